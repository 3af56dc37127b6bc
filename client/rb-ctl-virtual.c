/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The commands for virtual recorders, to check a burn: "report" shows the
 * emulated drive's validation of the last recording, "export" saves what
 * it burned.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gunixfdlist.h>
#include <glib/gi18n.h>
#include <stdlib.h>
#include <unistd.h>

#include "rb-ctl-json.h"
#include "rb-ctl-virtual.h"

#define RB_CTL_VIRTUAL_IFACE "org.rawburn.RawBurn1.VirtualRecorder"

RbVirtualRecorder *
rb_ctl_virtual_find(RbCtl *ctl, const gchar *wanted, GError **error)
{
	g_autoptr(GDBusObject) object = rb_ctl_connect_recorder(ctl, wanted, error);
	RbVirtualRecorder *virt;

	if (object == NULL)
		return NULL;
	virt = rb_object_get_virtual_recorder(RB_OBJECT(object));
	if (virt == NULL)
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_NOT_SUPPORTED,
			    _("“%s” is not a virtual recorder; only those check and keep what "
			      "they burn."),
			    wanted);
	return virt;
}

/* "LBA  kind  detail" per problem */
static void
rb_ctl_virtual_append_problems(GString *out, GVariant *problems)
{
	GVariantIter iter;
	GVariant *problem;

	if (problems == NULL || g_variant_n_children(problems) == 0)
		return;
	g_string_append_printf(out, "%s\n", _("First problems:"));
	g_variant_iter_init(&iter, problems);
	while (g_variant_iter_loop(&iter, "@a{sv}", &problem)) {
		gint32 lba = 0;
		const gchar *kind = "";
		const gchar *detail = "";

		g_variant_lookup(problem, "Lba", "i", &lba);
		g_variant_lookup(problem, "Kind", "&s", &kind);
		g_variant_lookup(problem, "Detail", "&s", &detail);
		g_string_append_printf(out, "  %8d  %-14s %s\n", lba, kind, detail);
	}
}

int
rb_ctl_cmd_report(RbCtl *ctl, gint argc, gchar **argv, GError **error)
{
	g_autoptr(RbVirtualRecorder) virt = NULL;
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariant) report = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	GVariantIter iter;
	const gchar *key;
	GVariant *value;

	if (!rb_ctl_parse_command(
		    ctl,
		    "report",
		    _("RECORDER"),
		    _("Shows how a virtual recorder found the last recording it took."),
		    NULL,
		    1,
		    _("“report” needs one RECORDER, a virtual one such as virtual0"),
		    &argc,
		    &argv,
		    error))
		return RB_CTL_EXIT_USAGE;
	virt = rb_ctl_virtual_find(ctl, argv[1], error);
	if (virt == NULL)
		return EXIT_FAILURE;
	/* asked for, not the proxy's cache: the report must be the latest */
	reply = g_dbus_proxy_call_sync(
		G_DBUS_PROXY(virt),
		"org.freedesktop.DBus.Properties.Get",
		g_variant_new("(ss)", RB_CTL_VIRTUAL_IFACE, "ValidationReport"),
		RB_CTL_CALL_FLAGS,
		-1,
		NULL,
		error);
	if (reply == NULL) {
		g_dbus_error_strip_remote_error(*error);
		return EXIT_FAILURE;
	}
	g_variant_get(reply, "(v)", &report);
	if (!g_variant_is_of_type(report, G_VARIANT_TYPE_VARDICT)) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_DATA,
			    _("The service sent a ValidationReport of type %s; is it a different "
			      "version?"),
			    g_variant_get_type_string(report));
		return EXIT_FAILURE;
	}
	if (ctl->json) {
		rb_ctl_json_append_variant(out, report);
		g_string_append_c(out, '\n');
	} else {
		g_autoptr(GVariant) problems = NULL;

		g_variant_iter_init(&iter, report);
		while (g_variant_iter_loop(&iter, "{&sv}", &key, &value)) {
			g_autofree gchar *text = NULL;

			/* one line per problem, below the counters */
			if (g_strcmp0(key, "FirstProblems") == 0 &&
			    g_variant_is_of_type(value, G_VARIANT_TYPE("aa{sv}"))) {
				problems = g_variant_ref(value);
				continue;
			}
			text = g_variant_print(value, FALSE);
			g_string_append_printf(out, "%-22s %s\n", key, text);
		}
		rb_ctl_virtual_append_problems(out, problems);
	}
	g_print("%s", out->str);
	return EXIT_SUCCESS;
}

/* FILE, or standard output for "-" */
static gint
rb_ctl_virtual_open_output(const gchar *path, GError **error)
{
	gint fd;

	if (g_strcmp0(path, "-") == 0)
		fd = dup(STDOUT_FILENO);
	else
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY, 0666);
	if (fd < 0) {
		gint errsv = errno;
		g_set_error(error,
			    G_IO_ERROR,
			    g_io_error_from_errno(errsv),
			    _("Cannot write “%s”: %s"),
			    path,
			    g_strerror(errsv));
	}
	return fd;
}

int
rb_ctl_cmd_export(RbCtl *ctl, gint argc, gchar **argv, GError **error)
{
	g_autoptr(RbVirtualRecorder) virt = NULL;
	g_autoptr(GUnixFDList) fds = g_unix_fd_list_new();
	g_autoptr(GVariant) reply = NULL;
	gint fd;
	gint index;

	if (!rb_ctl_parse_command(
		    ctl,
		    "export",
		    _("RECORDER FILE"),
		    _("Saves what a virtual recorder burned, one 2448-byte sector per LBA from "
		      "the lead-in start on; “-” for standard output."),
		    NULL,
		    2,
		    _("“export” needs a virtual RECORDER and a FILE to write"),
		    &argc,
		    &argv,
		    error))
		return RB_CTL_EXIT_USAGE;
	virt = rb_ctl_virtual_find(ctl, argv[1], error);
	if (virt == NULL)
		return EXIT_FAILURE;
	fd = rb_ctl_virtual_open_output(argv[2], error);
	if (fd < 0)
		return EXIT_FAILURE;
	index = g_unix_fd_list_append(fds, fd, error);
	close(fd);
	if (index < 0)
		return EXIT_FAILURE;
	/* a whole disc is most of a gigabyte: no timeout */
	reply = g_dbus_proxy_call_with_unix_fd_list_sync(G_DBUS_PROXY(virt),
							 "ExportImage",
							 g_variant_new("(h)", index),
							 RB_CTL_CALL_FLAGS,
							 G_MAXINT,
							 fds,
							 NULL,
							 NULL,
							 error);
	if (reply == NULL) {
		g_dbus_error_strip_remote_error(*error);
		return EXIT_FAILURE;
	}
	return EXIT_SUCCESS;
}
