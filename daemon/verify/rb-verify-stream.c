/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The client's stream as a verify source: read sequentially, never sought,
 * so that a pipe works as a file does; the lead-in sectors a drive cannot
 * read are read and dropped. See rb-verify-stream.h.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbVerify"

#include <errno.h>
#include <fcntl.h>
#include <gio/gunixinputstream.h>
#include <glib/gi18n.h>
#include <inttypes.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rb-error.h"
#include "rb-verify-stream.h"

/* sectors per read(): a READ CD's worth */
#define RB_VERIFY_STREAM_CHUNK 32

struct _RbVerifyStream {
	GInputStream *input;
	GCancellable *cancellable;
	guint data_block_type;
	gsize sector_size;
	gint32 next_lba; /* of the next sector handed out */
	guint8 *buf;
	guint n_buffered;
	guint pos;
	gboolean eof;
	guint8 main[RB_CD_MAIN_SIZE];
};

RbVerifyStream *
rb_verify_stream_new(
	gint fd, guint data_block_type, gint32 first_lba, GCancellable *cancellable, GError **error)
{
	RbVerifyStream *self;
	gint flags = fcntl(fd, F_GETFL);
	gsize sector_size = rb_data_block_type_get_sector_size(data_block_type);
	struct stat st;

	if (flags < 0 || (flags & O_ACCMODE) == O_WRONLY || (flags & O_PATH) != 0 ||
	    fstat(fd, &st) < 0 || S_ISDIR(st.st_mode)) {
		close(fd);
		rb_error_set(error,
			     RB_ERROR_STREAM_NOT_SUPPORTED,
			     "%s",
			     _("The stream is not readable; pass a file or pipe opened for "
			       "reading."));
		return NULL;
	}
	/* a file's size is checked now; a pipe's at its end */
	if (S_ISREG(st.st_mode)) {
		off_t cur = lseek(fd, 0, SEEK_CUR);
		guint64 size = cur >= 0 && st.st_size > cur ? (guint64)(st.st_size - cur) : 0;

		if (size % sector_size != 0) {
			close(fd);
			rb_error_set(error,
				     RB_ERROR_STREAM_NOT_SUPPORTED,
				     _("The stream is %" PRIu64
				       " bytes long, which is not a whole number of %zu-byte "
				       "sectors; check the image and the sector type."),
				     size,
				     sector_size);
			return NULL;
		}
	}
	self = g_new0(RbVerifyStream, 1);
	self->input = g_unix_input_stream_new(fd, TRUE);
	self->cancellable = cancellable != NULL ? g_object_ref(cancellable) : NULL;
	self->data_block_type = data_block_type;
	self->sector_size = sector_size;
	self->next_lba = first_lba;
	self->buf = g_malloc(sector_size * RB_VERIFY_STREAM_CHUNK);
	return self;
}

void
rb_verify_stream_free(RbVerifyStream *self)
{
	g_clear_object(&self->input);
	g_clear_object(&self->cancellable);
	g_free(self->buf);
	g_free(self);
}

/* the next whole sector, or NULL at the end of the stream */
static gboolean
rb_verify_stream_read(RbVerifyStream *self, const guint8 **sector, GError **error)
{
	*sector = NULL;
	if (self->pos == self->n_buffered && !self->eof) {
		g_autoptr(GError) local_error = NULL;
		gsize got = 0;

		if (!g_input_stream_read_all(self->input,
					     self->buf,
					     self->sector_size * RB_VERIFY_STREAM_CHUNK,
					     &got,
					     self->cancellable,
					     &local_error)) {
			if (g_error_matches(local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
				rb_error_set(error,
					     RB_ERROR_REQUEST_CANCELLED,
					     "%s",
					     _("The verification was cancelled."));
			else
				rb_error_set(error,
					     RB_ERROR_STREAM_NOT_SUPPORTED,
					     _("Cannot read the stream: %s; check the file or the "
					       "program writing the pipe."),
					     local_error->message);
			return FALSE;
		}
		if (got % self->sector_size != 0) {
			rb_error_set(error,
				     RB_ERROR_STREAM_NOT_SUPPORTED,
				     _("The stream ended inside a sector after LBA %d; check "
				       "the image and the sector type."),
				     self->next_lba + (gint32)(got / self->sector_size) - 1);
			return FALSE;
		}
		self->eof = got < self->sector_size * RB_VERIFY_STREAM_CHUNK;
		self->n_buffered = (guint)(got / self->sector_size);
		self->pos = 0;
	}
	if (self->pos == self->n_buffered)
		return TRUE;
	*sector = self->buf + (gsize)self->pos++ * self->sector_size;
	self->next_lba++;
	return TRUE;
}

static gboolean
rb_verify_stream_start(gpointer source, gint32 *lba, GError **error)
{
	RbVerifyStream *self = source;

	/* a stream without a pregap is compared from where it starts */
	if (self->next_lba > *lba)
		*lba = self->next_lba;
	while (self->next_lba < *lba) {
		const guint8 *sector;

		if (!rb_verify_stream_read(self, &sector, error))
			return FALSE;
		if (sector == NULL) {
			rb_error_set(error,
				     RB_ERROR_BURN_VERIFICATION_FAILED,
				     _("LBA %d: the stream ends here, before the first sector a "
				       "drive can read (LBA %d); the stream is shorter than the "
				       "disc."),
				     self->next_lba,
				     *lba);
			return FALSE;
		}
	}
	return TRUE;
}

static gboolean
rb_verify_stream_next(gpointer source, gint32 lba, RbVerifyExpected *out, GError **error)
{
	RbVerifyStream *self = source;
	const guint8 *sector;

	g_return_val_if_fail(lba == self->next_lba, FALSE);
	if (!rb_verify_stream_read(self, &sector, error))
		return FALSE;
	out->main = NULL;
	if (sector == NULL) {
		out->kind = RB_VERIFY_EXPECT_END;
		return TRUE;
	}
	/* the type was checked when the call came */
	rb_verify_sector_reader_view(self->data_block_type, sector, self->main, out->digest.q);
	out->kind = rb_verify_sector_is_leadout(out->digest.q) ? RB_VERIFY_EXPECT_LEADOUT
							       : RB_VERIFY_EXPECT_SECTOR;
	out->main = self->main;
	return TRUE;
}

const RbVerifySourceFuncs *
rb_verify_stream_get_funcs(void)
{
	static const RbVerifySourceFuncs funcs = {rb_verify_stream_start, rb_verify_stream_next};

	return &funcs;
}
