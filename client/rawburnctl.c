/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * rawburnctl: the command-line client of the rawburn service. This file
 * holds "list", "info", the command table and main(); the other commands
 * and what they share live in the rb-ctl-*.c files.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>

#include "rb-ctl-burn.h"
#include "rb-ctl-erase.h"
#include "rb-ctl-errors.h"
#include "rb-ctl-image.h"
#include "rb-ctl-jobs.h"
#include "rb-ctl-json.h"
#include "rb-ctl-virtual.h"
#include "rb-ctl.h"
#include "rb-error.h"

static const gchar *
rb_ctl_media_label(guint imapi_type)
{
	switch (imapi_type) {
	case 0:
		return _("none");
	case 1:
		return "CD-ROM";
	case 2:
		return "CD-R";
	case 3:
		return "CD-RW";
	default:
		return _("other");
	}
}

static void
rb_ctl_print_table_row(const gchar *name,
		       const gchar *device,
		       const gchar *vendor,
		       const gchar *product,
		       const gchar *media)
{
	g_print("%-12s %-10s %-8s %-17s %s\n", name, device, vendor, product, media);
}

static int
rb_ctl_cmd_list(RbCtl *ctl, gint argc, gchar **argv, GError **error)
{
	g_auto(GStrv) paths = NULL;
	g_autoptr(GString) json = g_string_new("[");
	gboolean opt_names = FALSE;
	const GOptionEntry entries[] = {
		{"names",
		 0,
		 0,
		 G_OPTION_ARG_NONE,
		 &opt_names,
		 N_("Print only the recorders' names, one a line (for scripts and completion)"),
		 NULL},
		{NULL}};

	if (!rb_ctl_parse_command(ctl,
				  "list",
				  "",
				  _("Lists the CD recorders."),
				  entries,
				  0,
				  _("“list” takes no arguments"),
				  &argc,
				  &argv,
				  error))
		return RB_CTL_EXIT_USAGE;
	if (!rb_ctl_connect(ctl, error))
		return EXIT_FAILURE;
	paths = rb_ctl_get_recorder_paths(ctl, error);
	if (paths == NULL)
		return EXIT_FAILURE;

	if (opt_names) {
		for (guint i = 0; paths[i] != NULL; i++) {
			g_autofree gchar *name = rb_ctl_recorder_name(paths[i]);
			g_print("%s\n", name);
		}
		return EXIT_SUCCESS;
	}
	if (!ctl->json)
		/* TRANSLATORS: column headings of “rawburnctl list” */
		rb_ctl_print_table_row(
			_("RECORDER"), _("DEVICE"), _("VENDOR"), _("PRODUCT"), _("MEDIA"));
	for (guint i = 0; paths[i] != NULL; i++) {
		g_autoptr(GDBusObject) object =
			g_dbus_object_manager_get_object(ctl->object_manager, paths[i]);
		g_autoptr(RbRecorder) recorder = NULL;
		g_autoptr(RbDiscFormat2RawCD) format = NULL;
		g_autofree gchar *name = rb_ctl_recorder_name(paths[i]);
		const gchar *device;
		guint media_type;

		if (object == NULL)
			continue; /* removed between the two calls */
		recorder = rb_object_get_recorder(RB_OBJECT(object));
		format = rb_object_get_disc_format2_raw_cd(RB_OBJECT(object));
		if (recorder == NULL || format == NULL)
			continue;
		device = rb_recorder_get_device_node(recorder);
		media_type =
			rb_recorder_get_media_present(recorder)
				? rb_disc_format2_raw_cd_get_current_physical_media_type(format)
				: 0;
		if (ctl->json) {
			if (i > 0)
				g_string_append_c(json, ',');
			g_string_append(json, "{\"name\":");
			rb_ctl_json_append_string(json, name);
			g_string_append(json, ",\"object\":");
			rb_ctl_json_append_string(json, paths[i]);
			g_string_append(json, ",\"device\":");
			rb_ctl_json_append_string(json, device != NULL ? device : "");
			g_string_append(json, ",\"vendor\":");
			rb_ctl_json_append_string(json, rb_recorder_get_vendor_id(recorder));
			g_string_append(json, ",\"product\":");
			rb_ctl_json_append_string(json, rb_recorder_get_product_id(recorder));
			g_string_append_printf(
				json,
				",\"mediaPresent\":%s,\"mediaType\":%u,\"virtual\":%s}",
				rb_recorder_get_media_present(recorder) ? "true" : "false",
				media_type,
				rb_object_peek_virtual_recorder(RB_OBJECT(object)) != NULL
					? "true"
					: "false");
		} else {
			rb_ctl_print_table_row(name,
					       device != NULL && device[0] != '\0' ? device : "-",
					       rb_recorder_get_vendor_id(recorder),
					       rb_recorder_get_product_id(recorder),
					       rb_ctl_media_label(media_type));
		}
	}
	if (ctl->json) {
		g_string_append(json, "]\n");
		g_print("%s", json->str);
	}
	return EXIT_SUCCESS;
}

static void
rb_ctl_append_interface(RbCtl *ctl, GString *out, GDBusProxy *proxy, gboolean first)
{
	GDBusInterfaceInfo *info = g_dbus_proxy_get_interface_info(proxy);
	const gchar *short_name = strrchr(info->name, '.') + 1;

	if (ctl->json) {
		if (!first)
			g_string_append_c(out, ',');
		rb_ctl_json_append_string(out, short_name);
		g_string_append(out, ":{");
	} else {
		g_string_append_printf(out, "  %s:\n", short_name);
	}
	/* in the order of the contract, not of the proxy's hash table */
	for (guint i = 0; info->properties != NULL && info->properties[i] != NULL; i++) {
		const gchar *prop = info->properties[i]->name;
		g_autoptr(GVariant) value = g_dbus_proxy_get_cached_property(proxy, prop);

		if (ctl->json) {
			if (i > 0)
				g_string_append_c(out, ',');
			rb_ctl_json_append_string(out, prop);
			g_string_append_c(out, ':');
			if (value != NULL)
				rb_ctl_json_append_variant(out, value);
			else
				g_string_append(out, "null");
		} else {
			g_autofree gchar *text = value != NULL ? g_variant_print(value, FALSE)
							       : g_strdup(_("(unknown)"));
			g_string_append_printf(out, "    %-32s %s\n", prop, text);
		}
	}
	if (ctl->json)
		g_string_append_c(out, '}');
}

static int
rb_ctl_cmd_info(RbCtl *ctl, gint argc, gchar **argv, GError **error)
{
	g_autoptr(GDBusObject) object = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	g_autofree gchar *name = NULL;
	const gchar *path;
	GDBusInterface *ifaces[3];

	if (!rb_ctl_parse_command(
		    ctl,
		    "info",
		    "RECORDER",
		    _("Shows everything about one recorder."),
		    NULL,
		    1,
		    _("“info” needs one RECORDER (a name such as virtual0, a device such as "
		      "/dev/sr0, or an object path)"),
		    &argc,
		    &argv,
		    error))
		return RB_CTL_EXIT_USAGE;
	object = rb_ctl_connect_recorder(ctl, argv[1], error);
	if (object == NULL)
		return EXIT_FAILURE;
	path = g_dbus_object_get_object_path(object);
	name = rb_ctl_recorder_name(path);
	ifaces[0] = G_DBUS_INTERFACE(rb_object_peek_recorder(RB_OBJECT(object)));
	ifaces[1] = G_DBUS_INTERFACE(rb_object_peek_disc_format2_raw_cd(RB_OBJECT(object)));
	ifaces[2] = G_DBUS_INTERFACE(rb_object_peek_virtual_recorder(RB_OBJECT(object)));

	if (ctl->json) {
		g_string_append(out, "{\"name\":");
		rb_ctl_json_append_string(out, name);
		g_string_append(out, ",\"object\":");
		rb_ctl_json_append_string(out, path);
	} else {
		g_string_append_printf(out, "%s (%s)\n", name, path);
	}
	for (guint i = 0; i < G_N_ELEMENTS(ifaces); i++) {
		if (ifaces[i] != NULL)
			rb_ctl_append_interface(ctl, out, G_DBUS_PROXY(ifaces[i]), FALSE);
	}
	if (ctl->json)
		g_string_append(out, "}\n");
	g_print("%s", out->str);
	return EXIT_SUCCESS;
}

typedef struct {
	const gchar *name;
	const gchar *args;
	const gchar *summary;
	/* parses its own options (argv[0] is the command), then connects */
	int (*run)(RbCtl *ctl, gint argc, gchar **argv, GError **error);
} RbCtlCommand;

static const RbCtlCommand rb_ctl_commands[] = {
	{"list", "", N_("List the CD recorders"), rb_ctl_cmd_list},
	{"info", "RECORDER", N_("Show everything about one recorder"), rb_ctl_cmd_info},
	{"burn",
	 "RECORDER FILE…",
	 N_("Burn an image file (CUE, TOC, NRG, CloneCD), WAV files or a raw disc-at-once "
	    "image (“-” for standard input)"),
	 rb_ctl_cmd_burn},
	{"erase",
	 "RECORDER",
	 N_("Blank a CD-RW (minimally, or every sector with --full)"),
	 rb_ctl_cmd_erase},
	{"verify",
	 "RECORDER FILE…",
	 N_("Read a burned disc back and compare it with the image it was burned from"),
	 rb_ctl_cmd_verify},
	{"show",
	 "FILE…",
	 N_("Show the tracks, CD-TEXT and length of an image file or of WAV files"),
	 rb_ctl_cmd_show},
	{"image",
	 "FILE… -o OUT",
	 N_("Write the raw disc-at-once stream “burn” would send for an image file"),
	 rb_ctl_cmd_image},
	{"report",
	 "RECORDER",
	 N_("Show a virtual recorder's check of the last burn"),
	 rb_ctl_cmd_report},
	{"export", "RECORDER FILE", N_("Save what a virtual recorder burned"), rb_ctl_cmd_export},
	{"virtual",
	 "insert|load|remove RECORDER …",
	 N_("Put a blank (insert) or a saved disc (load) into a virtual recorder, or take its "
	    "medium out (remove)"),
	 rb_ctl_cmd_virtual},
	{"monitor",
	 "",
	 N_("Show recorders, media and jobs (burns, erases, verifications) as they change"),
	 rb_ctl_cmd_monitor},
	{"cancel",
	 "JOB|RECORDER",
	 N_("Cancel a job, or the job running on a recorder"),
	 rb_ctl_cmd_cancel},
};

static gchar *
rb_ctl_commands_description(void)
{
	GString *text = g_string_new(_("Commands:"));
	for (guint i = 0; i < G_N_ELEMENTS(rb_ctl_commands); i++) {
		g_autofree gchar *usage =
			g_strdup_printf("%s %s", rb_ctl_commands[i].name, rb_ctl_commands[i].args);
		/* padded by characters: “…” is three bytes */
		glong width = g_utf8_strlen(usage, -1);

		g_string_append_printf(text,
				       "\n  %s%*s %s",
				       usage,
				       (gint)MAX(20 - width, 0),
				       "",
				       _(rb_ctl_commands[i].summary));
	}
	return g_string_free(text, FALSE);
}

int
main(int argc, char **argv)
{
	g_auto(RbCtl) ctl = {0};
	gboolean opt_version = FALSE;
	const GOptionEntry entries[] = {{"version",
					 0,
					 0,
					 G_OPTION_ARG_NONE,
					 &opt_version,
					 N_("Print the version and exit"),
					 NULL},
					{NULL}};
	g_autoptr(GOptionContext) context = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *description = NULL;
	const RbCtlCommand *command = NULL;
	int status;

	/* "burn" writes an image's stream into a pipe the service reads: a
	 * service that stopped reading (it failed, or went away) must give the
	 * writer EPIPE, and the service's error, not kill the client */
	signal(SIGPIPE, SIG_IGN);
	setlocale(LC_ALL, "");
	/* before any call: the service's error names map to RB_ERROR from then on */
	rb_error_quark();
	/* RAWBURN_LOCALEDIR: the translations of a build not installed yet (the tests') */
	bindtextdomain(GETTEXT_PACKAGE,
		       g_getenv("RAWBURN_LOCALEDIR") != NULL ? g_getenv("RAWBURN_LOCALEDIR")
							     : LOCALEDIR);
	bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
	textdomain(GETTEXT_PACKAGE);

	context = g_option_context_new(_("COMMAND [ARGUMENTS…]"));
	g_option_context_set_summary(
		context,
		_("Lists CD recorders and burns CD images (raw, CUE, TOC, NRG, CloneCD, WAV) "
		  "through the rawburn service."));
	description = rb_ctl_commands_description();
	g_option_context_set_description(context, description);
	rb_ctl_add_global_entries(&ctl, context);
	g_option_context_add_main_entries(context, entries, GETTEXT_PACKAGE);
	/* stop at COMMAND: what follows is the command's, options included */
	g_option_context_set_strict_posix(context, TRUE);
	if (!g_option_context_parse(context, &argc, &argv, &error)) {
		if (ctl.json)
			return rb_ctl_errors_report(error, RB_CTL_EXIT_USAGE, TRUE);
		g_printerr("rawburnctl: %s\n", error->message);
		g_printerr(_("Run “rawburnctl --help” to see the commands and options.\n"));
		return RB_CTL_EXIT_USAGE;
	}
	if (opt_version) {
		g_print("rawburnctl %s\n", PACKAGE_VERSION);
		return EXIT_SUCCESS;
	}
	if (argc < 2) {
		g_printerr(_("rawburnctl: no command given.\n"));
		g_printerr("%s\n", description);
		return RB_CTL_EXIT_USAGE;
	}
	for (guint i = 0; i < G_N_ELEMENTS(rb_ctl_commands); i++) {
		if (g_strcmp0(argv[1], rb_ctl_commands[i].name) == 0)
			command = &rb_ctl_commands[i];
	}
	if (command == NULL && ctl.json) {
		g_set_error(&error,
			    G_OPTION_ERROR,
			    G_OPTION_ERROR_FAILED,
			    _("Unknown command “%s”; “rawburnctl --help” lists the commands."),
			    argv[1]);
		return rb_ctl_errors_report(error, RB_CTL_EXIT_USAGE, TRUE);
	}
	if (command == NULL) {
		g_printerr(_("rawburnctl: unknown command “%s”.\n"), argv[1]);
		g_printerr("%s\n", description);
		return RB_CTL_EXIT_USAGE;
	}
	status = command->run(&ctl, argc - 1, argv + 1, &error);
	/* every command's failure: a sentence in the user's language and the
	 * exit status of its class, whatever status the command returned */
	if (error != NULL)
		return rb_ctl_errors_report(error, status, ctl.json);
	return status;
}
