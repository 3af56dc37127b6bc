/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "rawburnctl burn" and "verify" of a raw DAO file, or of standard input:
 * the stream goes to the service as it is, in the session of
 * rb-ctl-burn.c; its sector type, when not given, is guessed from its
 * size.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gunixfdlist.h>
#include <glib/gi18n.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rb-ctl-burn-private.h"

#define RB_CTL_BURN_PQ_ONLY RB_CTL_SECTOR_PQ_ONLY
#define RB_CTL_BURN_IS_COOKED RB_CTL_SECTOR_IS_COOKED

static GUnixFDList *
rb_ctl_burn_open_failed(const gchar *path, gint errsv, GError **error)
{
	g_set_error(error,
		    G_IO_ERROR,
		    g_io_error_from_errno(errsv),
		    _("Cannot open the image “%s”: %s"),
		    path,
		    g_strerror(errsv));
	return NULL;
}

/*
 * "-" is standard input, passed on as it is: usually a pipe. The image ends
 * up in a GUnixFDList, which owns it from then on.
 */
static GUnixFDList *
rb_ctl_burn_open_image(const gchar *path, struct stat *st, GError **error)
{
	g_autoptr(GUnixFDList) fds = g_unix_fd_list_new();
	gint fd;
	gint index;

	if (g_strcmp0(path, "-") == 0) {
		if (isatty(STDIN_FILENO)) {
			g_set_error(error,
				    G_IO_ERROR,
				    G_IO_ERROR_INVALID_ARGUMENT,
				    _("Standard input is a terminal; pipe the image into "
				      "rawburnctl or name its file."));
			return NULL;
		}
		fd = dup(STDIN_FILENO);
	} else {
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	}
	if (fd < 0)
		return rb_ctl_burn_open_failed(path, errno, error);
	/* the list keeps a duplicate */
	index = g_unix_fd_list_append(fds, fd, error);
	close(fd);
	if (index < 0)
		return NULL;
	if (fstat(g_unix_fd_list_peek_fds(fds, NULL)[index], st) != 0)
		return rb_ctl_burn_open_failed(path, errno, error);
	if (S_ISDIR(st->st_mode))
		return rb_ctl_burn_open_failed(path, EISDIR, error);
	return g_steal_pointer(&fds);
}

/*
 * No header says which sectors an image holds. 2448 bytes (P-W sub-channel)
 * is IMAPI's default and the common case; an image whose size only 2368
 * divides can only be PQ_ONLY. From a pipe the size is unknown: 2448.
 */
static gint
rb_ctl_burn_guess_sector_type(const struct stat *st)
{
	if (S_ISREG(st->st_mode) && st->st_size > 0 && st->st_size % 2368 == 0 &&
	    st->st_size % 2448 != 0)
		return RB_CTL_BURN_PQ_ONLY;
	return RB_CTL_BURN_IS_COOKED;
}

/* a raw DAO file or standard input, passed to the service as it is */
int
rb_ctl_burn_raw(RbCtl *ctl,
		const gchar *recorder,
		const gchar *path,
		RbCtlBurnOptions *options,
		GError **error)
{
	g_autoptr(GDBusObject) object = NULL;
	g_autoptr(RbDiscFormat2RawCD) format = NULL;
	RbCtlBurnStream stream = {0};
	struct stat st;
	int status;

	stream.fds = rb_ctl_burn_open_image(path, &st, error);
	if (stream.fds == NULL)
		return RB_CTL_EXIT_NOINPUT;
	stream.size_known = S_ISREG(st.st_mode);
	if (options->sector_type == 0)
		options->sector_type = rb_ctl_burn_guess_sector_type(&st);
	object = rb_ctl_connect_recorder(ctl, recorder, error);
	if (object == NULL) {
		g_clear_object(&stream.fds);
		return EXIT_FAILURE;
	}
	format = rb_object_get_disc_format2_raw_cd(RB_OBJECT(object));
	status = rb_ctl_burn_session(ctl, format, &stream, options, error);
	g_clear_object(&stream.fds);
	return status;
}
