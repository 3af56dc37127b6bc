/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A small file read through one descriptor (rb-disc-file.h says why).
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rb-disc-file.h"
#include "rb-disc-image.h"

static gchar *
rb_disc_file_fail(GError **error, const gchar *path, gint errsv)
{
	g_set_error(error,
		    RB_DISC_IMAGE_ERROR,
		    RB_DISC_IMAGE_ERROR_FILE,
		    _("Cannot read “%s”: %s"),
		    path,
		    g_strerror(errsv));
	return NULL;
}

gchar *
rb_disc_file_read(const gchar *path, gsize max_size, gsize *length, GError **error)
{
	g_autofree gchar *data = NULL;
	struct stat st;
	gsize got = 0;
	/* O_NONBLOCK: opening a FIFO with no writer would wait for one */
	gint fd = g_open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, 0);

	if (fd < 0)
		return rb_disc_file_fail(error, path, errno);
	if (fstat(fd, &st) != 0) {
		gint errsv = errno;

		close(fd);
		return rb_disc_file_fail(error, path, errsv);
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		g_set_error(error,
			    RB_DISC_IMAGE_ERROR,
			    RB_DISC_IMAGE_ERROR_FILE,
			    _("“%s” is no regular file (a FIFO, device or folder): name the "
			      "file itself"),
			    path);
		return NULL;
	}
	if ((guint64)st.st_size > max_size) {
		close(fd);
		g_set_error(error,
			    RB_DISC_IMAGE_ERROR,
			    RB_DISC_IMAGE_ERROR_FILE,
			    _("“%s” has %" PRIu64 " bytes, more than the %" PRIu64
			      " such a file may have"),
			    path,
			    (guint64)st.st_size,
			    (guint64)max_size);
		return NULL;
	}
	/* one byte more than allowed: a file that grew since fstat is seen */
	data = g_malloc(max_size + 2);
	while (got <= max_size) {
		gssize n = read(fd, data + got, max_size + 1 - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			gint errsv = errno;

			close(fd);
			return rb_disc_file_fail(error, path, errsv);
		}
		if (n == 0)
			break;
		got += (gsize)n;
	}
	close(fd);
	if (got > max_size) {
		g_set_error(error,
			    RB_DISC_IMAGE_ERROR,
			    RB_DISC_IMAGE_ERROR_FILE,
			    _("“%s” grew beyond %" PRIu64 " bytes while it was read"),
			    path,
			    (guint64)max_size);
		return NULL;
	}
	data[got] = '\0';
	*length = got;
	return g_realloc(g_steal_pointer(&data), got + 1);
}
