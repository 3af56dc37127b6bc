/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "rawburnctl virtual insert|load|remove": puts a fresh blank or a written
 * disc into a virtual recorder, or takes its medium out, so that a burn can
 * be tried, or a disc read back, without calling the bus by hand.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gunixfdlist.h>
#include <glib/gi18n.h>
#include <stdlib.h>
#include <unistd.h>

#include "rb-ctl-virtual.h"

static gboolean
rb_ctl_virtual_call(RbCtl *ctl,
		    const gchar *wanted,
		    const gchar *method,
		    GVariant *parameters,
		    GUnixFDList *fds,
		    GError **error)
{
	g_autoptr(RbVirtualRecorder) virt = NULL;
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariant) owned = g_variant_ref_sink(parameters);

	virt = rb_ctl_virtual_find(ctl, wanted, error);
	if (virt == NULL)
		return FALSE;
	/* polkit may ask, and a whole disc takes a while to load */
	reply = g_dbus_proxy_call_with_unix_fd_list_sync(G_DBUS_PROXY(virt),
							 method,
							 owned,
							 RB_CTL_CALL_FLAGS,
							 RB_CTL_AUTHORIZED_CALL_TIMEOUT_MS,
							 fds,
							 NULL,
							 NULL,
							 error);
	if (reply == NULL) {
		g_dbus_error_strip_remote_error(*error);
		return FALSE;
	}
	return TRUE;
}

static int
rb_ctl_virtual_insert(RbCtl *ctl, gint argc, gchar **argv, GError **error)
{
	if (!rb_ctl_parse_command(
		    ctl,
		    "virtual insert",
		    _("RECORDER MEDIA"),
		    _("Puts a blank medium into a virtual recorder: cd-r-74, cd-r-80, "
		      "cd-rw-74 or cd-rw-80."),
		    NULL,
		    2,
		    _("“virtual insert” needs a virtual RECORDER and a MEDIA kind such as "
		      "cd-r-80"),
		    &argc,
		    &argv,
		    error))
		return RB_CTL_EXIT_USAGE;
	if (!rb_ctl_virtual_call(
		    ctl, argv[1], "InsertMedia", g_variant_new("(s)", argv[2]), NULL, error))
		return EXIT_FAILURE;
	return EXIT_SUCCESS;
}

static int
rb_ctl_virtual_remove(RbCtl *ctl, gint argc, gchar **argv, GError **error)
{
	if (!rb_ctl_parse_command(ctl,
				  "virtual remove",
				  _("RECORDER"),
				  _("Takes the medium out of a virtual recorder."),
				  NULL,
				  1,
				  _("“virtual remove” needs one virtual RECORDER"),
				  &argc,
				  &argv,
				  error))
		return RB_CTL_EXIT_USAGE;
	if (!rb_ctl_virtual_call(ctl, argv[1], "RemoveMedia", g_variant_new("()"), NULL, error))
		return EXIT_FAILURE;
	return EXIT_SUCCESS;
}

static int
rb_ctl_virtual_load(RbCtl *ctl, gint argc, gchar **argv, GError **error)
{
	g_autofree gchar *media = NULL;
	gint first_lba = 0;
	const GOptionEntry entries[] = {
		{"media",
		 'm',
		 G_OPTION_FLAG_NONE,
		 G_OPTION_ARG_STRING,
		 &media,
		 N_("The kind of medium the disc is: cd-r-74, cd-r-80 (default), cd-rw-74 or "
		    "cd-rw-80"),
		 N_("KIND")},
		{"first-lba",
		 0,
		 G_OPTION_FLAG_NONE,
		 G_OPTION_ARG_INT,
		 &first_lba,
		 N_("The LBA of the image's first sector (default: the medium's lead-in start)"),
		 N_("LBA")},
		{NULL},
	};
	g_auto(GVariantBuilder) options = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE_VARDICT);
	g_autoptr(GUnixFDList) fds = g_unix_fd_list_new();
	gint fd;
	gint index;

	if (!rb_ctl_parse_command(
		    ctl,
		    "virtual load",
		    _("RECORDER FILE"),
		    _("Puts a written disc into a virtual recorder: FILE holds one "
		      "2448-byte sector per LBA from the lead-in on, as “export” "
		      "saves it; “-” for standard input."),
		    entries,
		    2,
		    _("“virtual load” needs a virtual RECORDER and a disc image FILE"),
		    &argc,
		    &argv,
		    error))
		return RB_CTL_EXIT_USAGE;
	if (media != NULL)
		g_variant_builder_add(&options, "{sv}", "Media", g_variant_new_string(media));
	if (first_lba != 0)
		g_variant_builder_add(&options, "{sv}", "FirstLba", g_variant_new_int32(first_lba));
	if (g_strcmp0(argv[2], "-") == 0)
		fd = dup(STDIN_FILENO);
	else
		fd = open(argv[2], O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		gint errsv = errno;
		g_set_error(error,
			    G_IO_ERROR,
			    g_io_error_from_errno(errsv),
			    _("Cannot read “%s”: %s"),
			    argv[2],
			    g_strerror(errsv));
		return EXIT_FAILURE;
	}
	index = g_unix_fd_list_append(fds, fd, error);
	close(fd);
	if (index < 0)
		return EXIT_FAILURE;
	if (!rb_ctl_virtual_call(ctl,
				 argv[1],
				 "LoadDisc",
				 g_variant_new("(h@a{sv})", index, g_variant_builder_end(&options)),
				 fds,
				 error))
		return EXIT_FAILURE;
	return EXIT_SUCCESS;
}

int
rb_ctl_cmd_virtual(RbCtl *ctl, gint argc, gchar **argv, GError **error)
{
	const struct {
		const gchar *name;
		int (*run)(RbCtl *ctl, gint argc, gchar **argv, GError **error);
	} subcommands[] = {
		{"insert", rb_ctl_virtual_insert},
		{"load", rb_ctl_virtual_load},
		{"remove", rb_ctl_virtual_remove},
	};

	for (guint i = 0; argc >= 2 && i < G_N_ELEMENTS(subcommands); i++) {
		if (g_strcmp0(argv[1], subcommands[i].name) == 0)
			return subcommands[i].run(ctl, argc - 1, argv + 1, error);
	}
	g_set_error(error,
		    G_OPTION_ERROR,
		    G_OPTION_ERROR_FAILED,
		    _("“virtual” needs what to do: insert RECORDER MEDIA, load RECORDER FILE or "
		      "remove RECORDER"));
	return RB_CTL_EXIT_USAGE;
}
