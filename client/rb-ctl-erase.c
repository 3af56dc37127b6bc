/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "rawburnctl erase RECORDER [--full]": ClientName and FullErase on the
 * recorder's DiscFormat2Erase, then EraseMedia, with progress from its
 * Update signals. A drive cannot stop a blank once it began, so SIGINT and
 * SIGTERM only say so and keep waiting for the reply: the client leaving
 * would not stop the drive either, and the user would not learn the end.
 */
#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "rb-ctl-erase.h"
#include "rb-ctl-json.h"
#include "rb-ctl-progress.h"
#include "rb-error.h"

typedef struct {
	RbCtl *ctl;
	GMainLoop *loop;
	gboolean tty;
	gboolean bar_shown; /* a progress bar waits for its newline */
	GError *error;
} RbCtlErase;

static void
rb_ctl_erase_end_bar(RbCtlErase *erase)
{
	if (erase->bar_shown) {
		g_print("\n");
		erase->bar_shown = FALSE;
	}
}

static void
rb_ctl_erase_on_update(RbDiscFormat2Erase *format,
		       gint elapsed_seconds,
		       gint expected_seconds,
		       gpointer user_data)
{
	RbCtlErase *erase = user_data;
	g_autofree gchar *text = NULL;

	if (erase->ctl->json) {
		text = rb_ctl_progress_format_erase_json(elapsed_seconds, expected_seconds);
		g_print("%s\n", text);
	} else if (erase->tty) {
		/* redrawn in place; ESC [ K clears what a longer line left */
		text = rb_ctl_progress_format_erase_bar(elapsed_seconds, expected_seconds);
		g_print("\r%s\033[K", text);
		erase->bar_shown = TRUE;
	} else {
		text = rb_ctl_progress_format_erase_line(elapsed_seconds, expected_seconds);
		g_print("%s\n", text);
	}
	/* a log or a pipe sees each line as it happens */
	fflush(stdout);
}

static void
rb_ctl_erase_on_erased(GObject *source, GAsyncResult *result, gpointer user_data)
{
	RbCtlErase *erase = user_data;
	g_autoptr(GVariant) reply =
		g_dbus_proxy_call_finish(G_DBUS_PROXY(source), result, &erase->error);

	g_main_loop_quit(erase->loop);
}

static gboolean
rb_ctl_erase_on_signal(gpointer user_data)
{
	RbCtlErase *erase = user_data;

	rb_ctl_erase_end_bar(erase);
	g_printerr(_("rawburnctl: a drive cannot stop blanking once it began; waiting for it "
		     "to finish…\n"));
	return G_SOURCE_CONTINUE;
}

/* "0xC0AA0909: ..." is what the user needs; the D-Bus error name is not */
/*
 * EraseMedia replies when the drive is done, which takes up to an hour for
 * a full blank at 1×: it runs with no timeout while the main loop shows
 * the Update signals.
 */
static gboolean
rb_ctl_erase_run(RbCtl *ctl, RbDiscFormat2Erase *format, GError **error)
{
	g_autoptr(GMainLoop) loop = g_main_loop_new(NULL, FALSE);
	RbCtlErase erase = {
		.ctl = ctl,
		.loop = loop,
		.tty = isatty(STDOUT_FILENO) == 1,
	};
	gulong update_id;
	guint sigint_id;
	guint sigterm_id;

	/* the service's error names map to RB_ERROR once its domain is registered */
	rb_error_quark();
	update_id = g_signal_connect(format, "update", G_CALLBACK(rb_ctl_erase_on_update), &erase);
	sigint_id = g_unix_signal_add(SIGINT, rb_ctl_erase_on_signal, &erase);
	sigterm_id = g_unix_signal_add(SIGTERM, rb_ctl_erase_on_signal, &erase);
	g_dbus_proxy_call(G_DBUS_PROXY(format),
			  "EraseMedia",
			  NULL,
			  RB_CTL_CALL_FLAGS,
			  G_MAXINT,
			  NULL,
			  rb_ctl_erase_on_erased,
			  &erase);
	g_main_loop_run(loop);
	g_source_remove(sigint_id);
	g_source_remove(sigterm_id);
	g_signal_handler_disconnect(format, update_id);
	rb_ctl_erase_end_bar(&erase);
	if (erase.error != NULL)
		return rb_ctl_fail_remote(error, erase.error);
	return TRUE;
}

int
rb_ctl_cmd_erase(RbCtl *ctl, gint argc, gchar **argv, GError **error)
{
	gboolean full = FALSE;
	g_autofree gchar *client_name = NULL;
	const GOptionEntry entries[] = {
		{"full",
		 0,
		 0,
		 G_OPTION_ARG_NONE,
		 &full,
		 N_("Blank every sector instead of only the table of contents (much slower)"),
		 NULL},
		{"client-name",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &client_name,
		 N_("The name others see while the recorder is locked (default rawburnctl)"),
		 N_("NAME")},
		{NULL},
	};
	g_autoptr(GDBusObject) object = NULL;
	g_autoptr(RbDiscFormat2Erase) format = NULL;
	g_autofree gchar *name = NULL;

	if (!rb_ctl_parse_command(
		    ctl,
		    "erase",
		    _("RECORDER"),
		    _("Blanks the CD-RW in a recorder, so that it can be burned again."),
		    entries,
		    1,
		    _("“erase” needs one RECORDER (a name such as virtual0, a device such "
		      "as /dev/sr0, or an object path)"),
		    &argc,
		    &argv,
		    error))
		return RB_CTL_EXIT_USAGE;
	object = rb_ctl_connect_recorder(ctl, argv[1], error);
	if (object == NULL)
		return EXIT_FAILURE;
	format = rb_object_get_disc_format2_erase(RB_OBJECT(object));
	if (format == NULL) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_NOT_SUPPORTED,
			    _("The service does not offer erasing; update rawburnd."));
		return EXIT_FAILURE;
	}
	if (!rb_ctl_set_property(
		    G_DBUS_PROXY(format),
		    "ClientName",
		    g_variant_new_string(client_name != NULL ? client_name : "rawburnctl"),
		    error) ||
	    !rb_ctl_set_property(
		    G_DBUS_PROXY(format), "FullErase", g_variant_new_boolean(full), error) ||
	    !rb_ctl_erase_run(ctl, format, error))
		return EXIT_FAILURE;
	name = rb_ctl_recorder_name(g_dbus_object_get_object_path(object));
	if (ctl->json) {
		g_autoptr(GString) out = g_string_new("{\"recorder\":");

		rb_ctl_json_append_string(out, name);
		g_string_append_printf(
			out, ",\"erased\":true,\"full\":%s}\n", full ? "true" : "false");
		g_print("%s", out->str);
	} else {
		g_print(full ? _("Erased the disc in %s (full).\n")
			     : _("Erased the disc in %s (minimal).\n"),
			name);
	}
	return EXIT_SUCCESS;
}
