/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What every rawburnctl command shares: the global options, the connection
 * to the service, finding a recorder by name, and parsing a command's own
 * options.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "rb-ctl-errors.h"
#include "rb-ctl.h"
#include "rb-error.h"

void
rb_ctl_clear(RbCtl *ctl)
{
	g_clear_object(&ctl->object_manager);
	g_clear_object(&ctl->client);
}

/* the options valid before and after the command: "rawburnctl list --json" */
void
rb_ctl_add_global_entries(RbCtl *ctl, GOptionContext *context)
{
	/* the context copies the entries, so a local array will do */
	const GOptionEntry entries[] = {
		{"session",
		 0,
		 0,
		 G_OPTION_ARG_NONE,
		 &ctl->session,
		 N_("Talk to a service on the session bus (rawburnd --session)"),
		 NULL},
		{"json",
		 'j',
		 0,
		 G_OPTION_ARG_NONE,
		 &ctl->json,
		 N_("Print JSON instead of text"),
		 NULL},
		{NULL}};

	g_option_context_add_main_entries(context, entries, GETTEXT_PACKAGE);
}

/*
 * Parses the options after COMMAND (argv[0] is the command). The global
 * options come first on the command line, so main() parses with strict
 * POSIX rules that stop at the command, and each command parses the rest
 * here with its own options added.
 */
gboolean
rb_ctl_parse_command_range(RbCtl *ctl,
			   const gchar *command,
			   const gchar *parameters,
			   const gchar *summary,
			   const GOptionEntry *entries,
			   guint min_args,
			   guint max_args,
			   const gchar *wrong_args,
			   gint *argc,
			   gchar ***argv,
			   GError **error)
{
	g_autofree gchar *usage = g_strdup_printf("%s %s", command, parameters);
	g_autoptr(GOptionContext) context = g_option_context_new(usage);
	g_autoptr(GError) error_local = NULL;

	g_option_context_set_summary(context, summary);
	rb_ctl_add_global_entries(ctl, context);
	if (entries != NULL)
		g_option_context_add_main_entries(context, entries, GETTEXT_PACKAGE);
	if (!g_option_context_parse(context, argc, argv, &error_local)) {
		g_set_error(error,
			    G_OPTION_ERROR,
			    G_OPTION_ERROR_BAD_VALUE,
			    _("%s\nRun “rawburnctl %s --help” to see its options."),
			    error_local->message,
			    command);
		return FALSE;
	}
	/* argv[0] is the command */
	if (*argc < (gint)min_args + 1 || *argc > (gint)max_args + 1) {
		g_set_error_literal(error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, wrong_args);
		return FALSE;
	}
	return TRUE;
}

gboolean
rb_ctl_parse_command(RbCtl *ctl,
		     const gchar *command,
		     const gchar *parameters,
		     const gchar *summary,
		     const GOptionEntry *entries,
		     guint n_args,
		     const gchar *wrong_args,
		     gint *argc,
		     gchar ***argv,
		     GError **error)
{
	return rb_ctl_parse_command_range(ctl,
					  command,
					  parameters,
					  summary,
					  entries,
					  n_args,
					  n_args,
					  wrong_args,
					  argc,
					  argv,
					  error);
}

static const gchar *
rb_ctl_bus_label(RbCtl *ctl)
{
	return ctl->session ? _("session") : _("system");
}

/* connect and make sure the service answers, with a message saying how to start it */
gboolean
rb_ctl_connect(RbCtl *ctl, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	g_autofree gchar *owner = NULL;

	ctl->client = rb_client_new_sync(
		ctl->session ? G_BUS_TYPE_SESSION : G_BUS_TYPE_SYSTEM, NULL, &error_local);
	if (ctl->client == NULL) {
		/* the bus answered, the service (or the bus policy) refused: its
		 * error says which, and decides the exit status */
		if (g_dbus_error_is_remote_error(error_local))
			return rb_ctl_fail_remote(error, g_steal_pointer(&error_local));
		g_set_error(error,
			    RB_CTL_ERROR,
			    RB_CTL_ERROR_NO_BUS,
			    _("Cannot connect to the %s bus: %s"),
			    rb_ctl_bus_label(ctl),
			    error_local->message);
		return FALSE;
	}
	ctl->object_manager = g_object_ref(rb_client_get_object_manager(ctl->client));
	owner = rb_client_get_name_owner(ctl->client);
	if (owner == NULL) {
		if (ctl->session) {
			g_set_error(
				error,
				RB_CTL_ERROR,
				RB_CTL_ERROR_SERVICE_NOT_RUNNING,
				_("The rawburn service is not running on the session bus; start it "
				  "with “rawburnd --session”."));
		} else {
			g_set_error(
				error,
				RB_CTL_ERROR,
				RB_CTL_ERROR_SERVICE_NOT_RUNNING,
				_("The rawburn service is not running on the system bus; start it "
				  "with “systemctl start rawburnd”, or use --session for a "
				  "service started with “rawburnd --session”."));
		}
		return FALSE;
	}
	return TRUE;
}

gchar **
rb_ctl_get_recorder_paths(RbCtl *ctl, GError **error)
{
	RbManager *manager = rb_client_get_manager(ctl->client);
	g_auto(GStrv) paths = NULL;

	if (manager == NULL) {
		g_set_error(
			error,
			G_IO_ERROR,
			G_IO_ERROR_NOT_FOUND,
			_("The rawburn service has no Manager object; is it a different version?"));
		return NULL;
	}
	/* the service's order, which "rawburnctl list" shows */
	if (!rb_manager_call_get_recorders_sync(
		    manager, RB_CTL_CALL_FLAGS, -1, &paths, NULL, error)) {
		g_dbus_error_strip_remote_error(*error);
		return NULL;
	}
	return g_steal_pointer(&paths);
}

gchar *
rb_ctl_recorder_name(const gchar *object_path)
{
	return rb_client_get_recorder_name(object_path);
}

/* finds RECORDER given as a name (sr0, virtual0), a device node or an object path */
GDBusObject *
rb_ctl_connect_recorder(RbCtl *ctl, const gchar *wanted, GError **error)
{
	RbObject *object = NULL;

	if (!rb_ctl_connect(ctl, error))
		return NULL;
	object = rb_client_lookup_recorder(ctl->client, wanted);
	if (object == NULL) {
		g_set_error(error,
			    RB_CTL_ERROR,
			    RB_CTL_ERROR_NO_SUCH_RECORDER,
			    _("No recorder “%s”; “rawburnctl list” shows the recorders."),
			    wanted);
		return NULL;
	}
	return G_DBUS_OBJECT(object);
}

/* the name stays in the message: rb_ctl_errors_report() needs it for a
 * name no domain maps (a newer service's) and strips it before printing.
 * Takes @error_remote; FALSE, to return it in one line. */
gboolean
rb_ctl_fail_remote(GError **error, GError *error_remote)
{
	g_propagate_error(error, error_remote);
	return FALSE;
}

/* a property of @proxy's interface; @value is taken if floating */
gboolean
rb_ctl_set_property(GDBusProxy *proxy, const gchar *name, GVariant *value, GError **error)
{
	g_autoptr(GVariant) reply = NULL;
	GError *error_local = NULL;

	/* not the generated setter: it neither waits nor reports the refusal */
	reply = g_dbus_proxy_call_sync(
		proxy,
		"org.freedesktop.DBus.Properties.Set",
		g_variant_new("(ssv)", g_dbus_proxy_get_interface_name(proxy), name, value),
		RB_CTL_CALL_FLAGS,
		RB_CTL_AUTHORIZED_CALL_TIMEOUT_MS,
		NULL,
		&error_local);
	if (reply == NULL)
		return rb_ctl_fail_remote(error, error_local);
	return TRUE;
}
