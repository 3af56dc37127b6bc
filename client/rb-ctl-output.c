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
 *
 * The temporary file is an unnamed O_TMPFILE where the file system has
 * them: a process killed half-way then leaves nothing behind; it gets a
 * name (linkat()) only when complete. Elsewhere it is a named hidden file,
 * and SIGINT and SIGTERM are caught so that it is removed on Ctrl-C.
 * Replacing the output by a rename breaks its hard links (the other names
 * keep the old data): accepted, the price of never leaving a half-written
 * output.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rb-ctl-output.h"

struct _RbCtlOutput {
	gchar *path;      /* as the user named it */
	gchar *target;    /* what the commit replaces: @path, or the file its link names */
	gchar *tmp;       /* the temporary file's name, once it has one */
	gboolean replace; /* @fd is a new file that the commit puts at @target */
	gint fd;
	guint sigint_id; /* SIGINT, SIGTERM caught while @tmp may be left behind */
	guint sigterm_id;
	gint signal; /* the one received, 0 = none */
};

/* a name of our own, short (the output's may be near NAME_MAX already) */
#define RB_CTL_OUTPUT_TMP_NAME ".rbXXXXXX"
#define RB_CTL_OUTPUT_TMP_ATTEMPTS 100

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

static gboolean
rb_ctl_output_on_signal(gpointer user_data, gint signum)
{
	RbCtlOutput *output = user_data;

	output->signal = signum;
	return G_SOURCE_CONTINUE;
}

static gboolean
rb_ctl_output_on_sigint(gpointer user_data)
{
	return rb_ctl_output_on_signal(user_data, SIGINT);
}

static gboolean
rb_ctl_output_on_sigterm(gpointer user_data)
{
	return rb_ctl_output_on_signal(user_data, SIGTERM);
}

/* a new file beside @output->target that nobody else has opened: unnamed
 * where the file system allows, else named and removed on a signal */
static gboolean
rb_ctl_output_create_tmp(RbCtlOutput *output, GError **error)
{
	g_autofree gchar *dir = g_path_get_dirname(output->target);
	g_autofree gchar *tmp = NULL;
	gint fd;

	fd = g_open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
	if (fd < 0) {
		g_debug("no O_TMPFILE in %s (%s): a named temporary file", dir, g_strerror(errno));
		tmp = g_build_filename(dir, RB_CTL_OUTPUT_TMP_NAME, NULL);
		fd = g_mkstemp_full(tmp, O_WRONLY | O_CLOEXEC | O_NOCTTY, 0644);
	}
	if (fd < 0) {
		gint errsv = errno;

		rb_ctl_output_set_errno(
			error, errsv, _("Cannot create “%s”: %s"), output->path, g_strerror(errsv));
		return FALSE;
	}
	output->fd = fd;
	output->replace = TRUE;
	output->tmp = g_steal_pointer(&tmp);
	/* caught for both kinds: the loop stops alike, and an O_TMPFILE's
	 * name exists for a moment at the commit */
	output->sigint_id = g_unix_signal_add(SIGINT, rb_ctl_output_on_sigint, output);
	output->sigterm_id = g_unix_signal_add(SIGTERM, rb_ctl_output_on_sigterm, output);
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
		/* a plain open would fail on a read-only file: so does the
		 * replacement (a rename needs only the folder's permission) */
		if (access(path, W_OK) != 0) {
			gint errsv = errno;

			rb_ctl_output_set_errno(
				error, errsv, _("Cannot open “%s”: %s"), path, g_strerror(errsv));
			return NULL;
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
	/* the replaced file keeps its permissions, not its setuid, setgid
	 * or sticky bits, which a plain write would not give the new data */
	if (exists && fchmod(output->fd, st.st_mode & 0777) != 0)
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
rb_ctl_output_check_signal(RbCtlOutput *output, GError **error)
{
	/* the signal sources run only when the context is iterated */
	while (g_main_context_iteration(NULL, FALSE))
		;
	if (output->signal == 0)
		return TRUE;
	g_set_error(error,
		    G_IO_ERROR,
		    G_IO_ERROR_CANCELLED,
		    _("Interrupted (%s): “%s” was not written"),
		    g_strsignal(output->signal),
		    output->path);
	return FALSE;
}

/* an unnamed O_TMPFILE gets a name beside the target */
static gboolean
rb_ctl_output_link_tmp(RbCtlOutput *output)
{
	g_autofree gchar *dir = g_path_get_dirname(output->target);
	g_autofree gchar *proc = g_strdup_printf("/proc/self/fd/%d", output->fd);

	for (guint i = 0; i < RB_CTL_OUTPUT_TMP_ATTEMPTS; i++) {
		g_autofree gchar *name =
			g_strdup_printf(".rb%06x", g_random_int_range(0, 0x1000000));
		g_autofree gchar *tmp = g_build_filename(dir, name, NULL);

		/* linkat(fd, "", AT_EMPTY_PATH) would need CAP_DAC_READ_SEARCH */
		if (linkat(AT_FDCWD, proc, AT_FDCWD, tmp, AT_SYMLINK_FOLLOW) == 0) {
			output->tmp = g_steal_pointer(&tmp);
			return TRUE;
		}
		if (errno != EEXIST)
			return FALSE;
	}
	errno = EEXIST;
	return FALSE;
}

/* a crash after the rename must find the data, and the new name, on disk */
static void
rb_ctl_output_sync_dir(const RbCtlOutput *output)
{
	g_autofree gchar *dir = g_path_get_dirname(output->target);
	gint fd = g_open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);

	if (fd < 0 || fsync(fd) != 0)
		g_debug("cannot sync the folder %s: %s", dir, g_strerror(errno));
	if (fd >= 0)
		close(fd);
}

gboolean
rb_ctl_output_commit(RbCtlOutput *output, GError **error)
{
	gint fd = output->fd;
	gint errsv = 0;

	if (!rb_ctl_output_check_signal(output, error))
		return FALSE;
	/* before the rename: else a crash may leave the output renamed but
	 * empty; a full disk may show only here (NFS, delayed allocation) */
	if (output->replace && fsync(fd) != 0)
		errsv = errno;
	if (errsv == 0 && output->replace && output->tmp == NULL && !rb_ctl_output_link_tmp(output))
		errsv = errno;
	output->fd = -1;
	if (close(fd) != 0 && errsv == 0)
		errsv = errno;
	if (errsv == 0 && output->replace && g_rename(output->tmp, output->target) != 0)
		errsv = errno;
	if (errsv != 0) {
		rb_ctl_output_set_errno(
			error, errsv, _("Cannot write “%s”: %s"), output->path, g_strerror(errsv));
		return FALSE;
	}
	if (output->replace)
		rb_ctl_output_sync_dir(output);
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
	g_clear_handle_id(&output->sigint_id, g_source_remove);
	g_clear_handle_id(&output->sigterm_id, g_source_remove);
	g_free(output->tmp);
	g_free(output->target);
	g_free(output->path);
	g_free(output);
}
