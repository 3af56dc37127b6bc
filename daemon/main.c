/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * rawburnd: parses the command line, connects to the bus, owns the service
 * name and runs the main loop until a signal, the idle timeout or the loss
 * of the name ends it.
 */
#include "config.h"

#include <signal.h>

#define G_LOG_DOMAIN "rawburnd"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <stdlib.h>

#include "rb-daemon.h"
#include "rb-error.h"
#include "rb-fd-limit.h"
#include "rb-log-writer.h"

#define RB_MAIN_POOL_IDLE_MS 1000

typedef struct {
	GMainLoop *loop;
	RbDaemon *daemon;
	GDBusConnection *connection;
	gboolean name_acquired;
	gint exit_status;
	guint idle_timeout;
	guint idle_id;
	const gchar *bus_label;
	gboolean stopping;
} RbMain;

static void
rb_main_on_shutdown_done(GObject *source, GAsyncResult *result, gpointer user_data)
{
	RbMain *main_state = user_data;

	rb_daemon_shutdown_finish(RB_DAEMON(source), result, NULL);
	g_debug("every recorder is idle; exiting");
	g_main_loop_quit(main_state->loop);
}

/* the drives are wound down before the loop ends: a burn is cancelled with
 * a reply, and its drive gets SYNCHRONIZE CACHE and ALLOW MEDIUM REMOVAL */
static void
rb_main_quit(RbMain *main_state, gint exit_status)
{
	if (exit_status != EXIT_SUCCESS)
		main_state->exit_status = exit_status;
	if (main_state->stopping)
		return;
	main_state->stopping = TRUE;
	rb_daemon_shutdown_async(main_state->daemon, rb_main_on_shutdown_done, main_state);
}

static gboolean
rb_main_on_signal(gpointer user_data)
{
	RbMain *main_state = user_data;

	/* a second signal means: now */
	if (main_state->stopping) {
		g_warning("stopping at once on a second signal");
		rb_daemon_shutdown_now(main_state->daemon);
		return G_SOURCE_CONTINUE;
	}
	g_debug("shutting down on signal");
	rb_main_quit(main_state, EXIT_SUCCESS);
	return G_SOURCE_CONTINUE;
}

static gboolean
rb_main_on_idle_timeout(gpointer user_data)
{
	RbMain *main_state = user_data;

	if (!rb_daemon_is_idle(main_state->daemon))
		return G_SOURCE_CONTINUE;
	g_debug("idle for %u s, exiting", main_state->idle_timeout);
	rb_main_quit(main_state, EXIT_SUCCESS);
	main_state->idle_id = 0;
	return G_SOURCE_REMOVE;
}

static void
rb_main_on_name_acquired(GDBusConnection *connection, const gchar *name, gpointer user_data)
{
	RbMain *main_state = user_data;
	main_state->name_acquired = TRUE;
	g_debug("owns %s on the %s bus", name, main_state->bus_label);
}

static void
rb_main_on_name_lost(GDBusConnection *connection, const gchar *name, gpointer user_data)
{
	RbMain *main_state = user_data;

	if (connection == NULL) {
		g_printerr(_("rawburnd: lost the connection to the %s bus.\n"),
			   main_state->bus_label);
	} else if (main_state->name_acquired) {
		g_printerr(_("rawburnd: another service replaced this one as %s.\n"), name);
	} else {
		g_printerr(_("rawburnd: cannot own %s on the %s bus: another rawburnd runs (stop "
			     "it, or "
			     "start this one with --replace) or the bus policy forbids it (install "
			     "org.rawburn.RawBurn1.conf and run as root).\n"),
			   name,
			   main_state->bus_label);
	}
	rb_main_quit(main_state, EXIT_FAILURE);
}

static void
rb_main_on_connection_closed(GDBusConnection *connection,
			     gboolean remote_peer_vanished,
			     GError *error,
			     gpointer user_data)
{
	RbMain *main_state = user_data;
	g_printerr(_("rawburnd: the %s bus closed the connection.\n"), main_state->bus_label);
	rb_main_quit(main_state, EXIT_FAILURE);
}

static gboolean
rb_main_parse_virtual_specs(gchar **texts, GPtrArray *specs, GError **error)
{
	for (guint i = 0; texts != NULL && texts[i] != NULL; i++) {
		g_autoptr(GError) error_local = NULL;
		RbVirtualSpec *spec = rb_virtual_spec_parse(texts[i], &error_local);

		if (spec == NULL) {
			g_set_error(error,
				    G_OPTION_ERROR,
				    G_OPTION_ERROR_BAD_VALUE,
				    _("Bad --virtual-recorder “%s”: %s"),
				    texts[i],
				    error_local->message);
			return FALSE;
		}
		g_ptr_array_add(specs, spec);
	}
	return TRUE;
}

int
main(int argc, char **argv)
{
	gboolean opt_session = FALSE;
	gboolean opt_replace = FALSE;
	gboolean opt_debug = FALSE;
	gboolean opt_version = FALSE;
	gint opt_idle_timeout = 0;
	gint opt_fifo_size_mib = 32;
	gint opt_max_virtual = RB_DAEMON_MAX_VIRTUAL_RECORDERS_DEFAULT;
	g_auto(GStrv) opt_virtual = NULL;
	const GOptionEntry entries[] = {
		{"session",
		 0,
		 0,
		 G_OPTION_ARG_NONE,
		 &opt_session,
		 N_("Use the session bus instead of the system bus"),
		 NULL},
		{"replace",
		 'r',
		 0,
		 G_OPTION_ARG_NONE,
		 &opt_replace,
		 N_("Replace a running instance"),
		 NULL},
		{"virtual-recorder",
		 0,
		 0,
		 G_OPTION_ARG_STRING_ARRAY,
		 &opt_virtual,
		 N_("Add an emulated recorder, e.g. media=cd-r-80,speed=48,realtime=false "
		    "(repeatable)"),
		 N_("SPEC")},
		{"idle-timeout",
		 0,
		 0,
		 G_OPTION_ARG_INT,
		 &opt_idle_timeout,
		 N_("Exit after this many idle seconds when no virtual recorder exists (0: never)"),
		 N_("SECONDS")},
		{"fifo-size",
		 0,
		 0,
		 G_OPTION_ARG_INT,
		 &opt_fifo_size_mib,
		 N_("The most a burn's buffer between the client and the drive may take, in MiB "
		    "(default 32); a burn takes two seconds at the recorder's speed, 4 MiB at "
		    "least"),
		 N_("MIB")},
		{"max-virtual-recorders",
		 0,
		 0,
		 G_OPTION_ARG_INT,
		 &opt_max_virtual,
		 N_("Allow at most this many virtual recorders (default 32)"),
		 N_("N")},
		{"debug", 'v', 0, G_OPTION_ARG_NONE, &opt_debug, N_("Print debug messages"), NULL},
		{"version",
		 0,
		 0,
		 G_OPTION_ARG_NONE,
		 &opt_version,
		 N_("Print the version and exit"),
		 NULL},
		{NULL}};
	g_autoptr(GOptionContext) context = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) specs =
		g_ptr_array_new_with_free_func((GDestroyNotify)rb_virtual_spec_free);
	g_autoptr(GMainLoop) loop = NULL;
	g_autoptr(GDBusConnection) connection = NULL;
	g_autoptr(RbDaemon) daemon = NULL;
	RbMain main_state = {0};
	guint owner_id;
	guint sigterm_id;
	guint sigint_id;
	gulong closed_id;

	setlocale(LC_ALL, "");
	bindtextdomain(GETTEXT_PACKAGE, LOCALEDIR);
	bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
	textdomain(GETTEXT_PACKAGE);

	context = g_option_context_new(NULL);
	g_option_context_set_summary(context,
				     _("Burns raw CD images on request of D-Bus clients."));
	g_option_context_add_main_entries(context, entries, GETTEXT_PACKAGE);
	if (!g_option_context_parse(context, &argc, &argv, &error)) {
		g_printerr("rawburnd: %s\n", error->message);
		g_printerr(_("Run “rawburnd --help” to see the options.\n"));
		return EXIT_FAILURE;
	}
	if (argc > 1) {
		g_printerr(_("rawburnd: unexpected argument “%s”; rawburnd takes options only.\n"),
			   argv[1]);
		return EXIT_FAILURE;
	}
	if (opt_version) {
		g_print("rawburnd %s\n", PACKAGE_VERSION);
		return EXIT_SUCCESS;
	}
	if (opt_idle_timeout < 0) {
		g_printerr(_("rawburnd: --idle-timeout needs 0 or more seconds, not %d.\n"),
			   opt_idle_timeout);
		return EXIT_FAILURE;
	}
	/* at least a few WRITEs' worth; at most what a 32-bit Update field shows */
	if (opt_fifo_size_mib < 1 || opt_fifo_size_mib > 1024) {
		g_printerr(_("rawburnd: --fifo-size needs 1 to 1024 MiB, not %d.\n"),
			   opt_fifo_size_mib);
		return EXIT_FAILURE;
	}
	if (opt_max_virtual < 0 || opt_max_virtual > 1024) {
		g_printerr(_("rawburnd: --max-virtual-recorders needs 0 to 1024, not %d.\n"),
			   opt_max_virtual);
		return EXIT_FAILURE;
	}
	if (!rb_main_parse_virtual_specs(opt_virtual, specs, &error)) {
		g_printerr("rawburnd: %s\n", error->message);
		return EXIT_FAILURE;
	}
	if (specs->len > (guint)opt_max_virtual) {
		g_printerr(_("rawburnd: %u --virtual-recorder options, but --max-virtual-recorders "
			     "is %d; remove one or raise the limit.\n"),
			   specs->len,
			   opt_max_virtual);
		return EXIT_FAILURE;
	}
	if (opt_debug)
		g_log_set_debug_enabled(TRUE);
	rb_log_writer_install();

	/* register the error domain before any reply can carry one */
	(void)RB_ERROR;
	g_debug("up to %u file descriptors", rb_fd_limit_raise());

	main_state.bus_label = opt_session ? _("session") : _("system");
	connection =
		g_bus_get_sync(opt_session ? G_BUS_TYPE_SESSION : G_BUS_TYPE_SYSTEM, NULL, &error);
	if (connection == NULL) {
		g_printerr(_("rawburnd: cannot connect to the %s bus: %s\n"),
			   main_state.bus_label,
			   error->message);
		return EXIT_FAILURE;
	}
	/* we quit the loop ourselves, so that shutdown still unexports and cleans up */
	g_dbus_connection_set_exit_on_close(connection, FALSE);

	/* a reader that closes an image creator's result pipe is an EPIPE for
	 * its producer thread, not the end of the service */
	signal(SIGPIPE, SIG_IGN);

	/* a worker thread of GTask (drive probes, tray, PrepareMedia...) waits
	 * 15 s for more work by default; a service that is idle between rare
	 * calls need not keep it, and starting one takes far less than the
	 * drive command it runs */
	g_thread_pool_set_max_idle_time(RB_MAIN_POOL_IDLE_MS);

	loop = g_main_loop_new(NULL, FALSE);
	main_state.loop = loop;
	main_state.connection = connection;
	main_state.exit_status = EXIT_SUCCESS;
	main_state.idle_timeout = (guint)opt_idle_timeout;

	daemon = rb_daemon_new(connection, !opt_session, (gsize)opt_fifo_size_mib * 1024 * 1024);
	main_state.daemon = daemon;
	rb_daemon_set_max_virtual_recorders(daemon, (guint)opt_max_virtual);
	for (guint i = 0; i < specs->len; i++) {
		g_autofree gchar *path =
			rb_daemon_add_virtual_recorder(daemon, g_ptr_array_index(specs, i), &error);
		if (path == NULL) {
			g_printerr("rawburnd: %s\n", error->message);
			return EXIT_FAILURE;
		}
	}

	/* recorders that cannot be watched are not fatal: virtual ones still work */
	if (!rb_daemon_start_discovery(daemon, &error)) {
		g_warning("%s", error->message);
		g_clear_error(&error);
	}

	closed_id = g_signal_connect(
		connection, "closed", G_CALLBACK(rb_main_on_connection_closed), &main_state);
	sigterm_id = g_unix_signal_add(SIGTERM, rb_main_on_signal, &main_state);
	sigint_id = g_unix_signal_add(SIGINT, rb_main_on_signal, &main_state);
	if (opt_idle_timeout > 0)
		main_state.idle_id = g_timeout_add_seconds(
			(guint)opt_idle_timeout, rb_main_on_idle_timeout, &main_state);

	/* the objects are exported first, so a client woken by the name sees them all */
	owner_id = g_bus_own_name_on_connection(
		connection,
		RB_DBUS_NAME,
		G_BUS_NAME_OWNER_FLAGS_ALLOW_REPLACEMENT |
			(opt_replace ? G_BUS_NAME_OWNER_FLAGS_REPLACE : 0),
		rb_main_on_name_acquired,
		rb_main_on_name_lost,
		&main_state,
		NULL);

	g_main_loop_run(loop);

	g_bus_unown_name(owner_id);
	g_source_remove(sigterm_id);
	g_source_remove(sigint_id);
	g_clear_handle_id(&main_state.idle_id, g_source_remove);
	g_signal_handler_disconnect(connection, closed_id);
	g_clear_object(&daemon);
	/* flush, so that the name's release reaches the bus before we exit */
	g_dbus_connection_flush_sync(connection, NULL, NULL);
	return main_state.exit_status;
}
