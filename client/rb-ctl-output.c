/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The output file of "rawburnctl image -o". Opening it with O_TRUNC would
 * empty it before the image is read, and the image may read that very file
 * (a CUE sheet's BIN named as the output); removing it after a failure
 * would then lose the user's data. So an output that is one of the image's
 * files is refused first, the stream goes into a temporary file of our
 * own beside the output (same directory: same file system, so the rename
 * is atomic), and only that temporary file is ever removed.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rb-ctl-output.h"

struct _RbCtlOutput {
	gchar *path;   /* as the user named it */
	gchar *target; /* what the commit replaces: @path, or the file its link names */
	gchar *tmp;    /* the temporary file we created; NULL: @fd is the output itself */
	gint fd;
};

static void G_GNUC_PRINTF(3, 4)
	rb_ctl_output_set_errno(GError **error, gint errsv, const gchar *format, ...)
{
	g_autofree gchar *message = NULL;
	va_list args;

	va_start(args, format);
	message = g_strdup_vprintf(format, args);
	va_end(args);
	g_set_error_literal(error, G_IO_ERROR, g_io_error_from_errno(errsv), message);
}

/* the same file by device and inode: hard and symbolic links included */
static gboolean
rb_ctl_output_check_inputs(const gchar *path,
			   const struct stat *st,
			   const GPtrArray *inputs,
			   GError **error)
{
	for (guint i = 0; inputs != NULL && i < inputs->len; i++) {
		const gchar *input = g_ptr_array_index(inputs, i);
		struct stat st_input;

		if (g_stat(input, &st_input) != 0 || st_input.st_dev != st->st_dev ||
		    st_input.st_ino != st->st_ino)
			continue;
		if (g_strcmp0(path, input) == 0)
			g_set_error(
				error,
				G_OPTION_ERROR,
				G_OPTION_ERROR_BAD_VALUE,
				_("The image reads “%s”: writing the stream over it would destroy "
				  "it. Name another output file."),
				input);
		else
			g_set_error(error,
				    G_OPTION_ERROR,
				    G_OPTION_ERROR_BAD_VALUE,
				    _("The output “%s” is “%s”, which the image reads: writing the "
				      "stream there would destroy it. Name another output file."),
				    path,
				    input);
		return FALSE;
	}
	return TRUE;
}

static gboolean
rb_ctl_output_open_stdout(RbCtlOutput *output, const GPtrArray *inputs, GError **error)
{
	struct stat st;

	if (isatty(STDOUT_FILENO)) {
		g_set_error(error,
			    G_OPTION_ERROR,
			    G_OPTION_ERROR_BAD_VALUE,
			    _("Standard output is a terminal; redirect it to a file or a "
			      "program, or name a file with -o"));
		return FALSE;
	}
	/* "-o - >>disc.bin" would read and write the same file */
	if (fstat(STDOUT_FILENO, &st) == 0 &&
	    !rb_ctl_output_check_inputs(_("standard output"), &st, inputs, error))
		return FALSE;
	output->fd = dup(STDOUT_FILENO);
	if (output->fd < 0) {
		gint errsv = errno;

		rb_ctl_output_set_errno(error,
					errsv,
					_("Cannot write “%s”: %s"),
					_("standard output"),
					g_strerror(errsv));
		return FALSE;
	}
	return TRUE;
}

/* a new file beside @output->target that nobody else has opened */
static gboolean
rb_ctl_output_create_tmp(RbCtlOutput *output, GError **error)
{
	g_autofree gchar *dir = g_path_get_dirname(output->target);
	g_autofree gchar *base = g_path_get_basename(output->target);
	g_autofree gchar *name = g_strdup_printf(".%s.XXXXXX", base);
	g_autofree gchar *tmp = g_build_filename(dir, name, NULL);
	gint fd = g_mkstemp_full(tmp, O_WRONLY | O_CLOEXEC | O_NOCTTY, 0644);

	if (fd < 0) {
		gint errsv = errno;

		rb_ctl_output_set_errno(
			error, errsv, _("Cannot create “%s”: %s"), output->path, g_strerror(errsv));
		return FALSE;
	}
	output->fd = fd;
	output->tmp = g_steal_pointer(&tmp);
	return TRUE;
}

RbCtlOutput *
rb_ctl_output_open(const gchar *path, const GPtrArray *inputs, GError **error)
{
	g_autoptr(RbCtlOutput) output = g_new0(RbCtlOutput, 1);
	struct stat st;
	gboolean exists;

	output->fd = -1;
	output->path = g_strdup(path);
	if (g_strcmp0(path, "-") == 0)
		return rb_ctl_output_open_stdout(output, inputs, error) ? g_steal_pointer(&output)
									: NULL;
	exists = g_stat(path, &st) == 0;
	if (exists) {
		if (!rb_ctl_output_check_inputs(path, &st, inputs, error))
			return NULL;
		/* a device or a FIFO: nothing to replace, nothing to remove */
		if (!S_ISREG(st.st_mode)) {
			output->fd = g_open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY, 0);
			if (output->fd < 0) {
				gint errsv = errno;

				rb_ctl_output_set_errno(error,
							errsv,
							_("Cannot open “%s”: %s"),
							path,
							g_strerror(errsv));
				return NULL;
			}
			return g_steal_pointer(&output);
		}
		/* a symbolic link stays, the file it names is replaced */
		{
			g_autofree gchar *resolved = realpath(path, NULL);

			output->target = g_strdup(resolved);
		}
	}
	if (output->target == NULL)
		output->target = g_strdup(path);
	if (!rb_ctl_output_create_tmp(output, error))
		return NULL;
	/* the replaced file keeps its permissions */
	if (exists && fchmod(output->fd, st.st_mode & 07777) != 0)
		g_debug("cannot keep the mode of %s: %s", path, g_strerror(errno));
	return g_steal_pointer(&output);
}

gint
rb_ctl_output_get_fd(const RbCtlOutput *output)
{
	return output->fd;
}

const gchar *
rb_ctl_output_get_path(const RbCtlOutput *output)
{
	return output->path;
}

gboolean
rb_ctl_output_commit(RbCtlOutput *output, GError **error)
{
	gint fd = output->fd;

	output->fd = -1;
	/* a full disk may show only here (NFS, delayed allocation) */
	if (close(fd) != 0) {
		gint errsv = errno;

		rb_ctl_output_set_errno(
			error, errsv, _("Cannot write “%s”: %s"), output->path, g_strerror(errsv));
		return FALSE;
	}
	if (output->tmp == NULL)
		return TRUE;
	if (g_rename(output->tmp, output->target) != 0) {
		gint errsv = errno;

		rb_ctl_output_set_errno(
			error, errsv, _("Cannot write “%s”: %s"), output->path, g_strerror(errsv));
		return FALSE;
	}
	g_clear_pointer(&output->tmp, g_free);
	return TRUE;
}

void
rb_ctl_output_free(RbCtlOutput *output)
{
	if (output == NULL)
		return;
	if (output->fd >= 0)
		close(output->fd);
	/* ours alone: no half an image left to be burned by mistake */
	if (output->tmp != NULL)
		g_unlink(output->tmp);
	g_free(output->tmp);
	g_free(output->target);
	g_free(output->path);
	g_free(output);
}
