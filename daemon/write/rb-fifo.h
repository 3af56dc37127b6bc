/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The write job's FIFO: a bounded ring of whole sectors between the reader
 * thread (stream fd -> ring) and the writer thread (ring -> WRITE(10)). It
 * hands out pointers into its own memory, so the reader read()s straight
 * into the ring and the writer sends WRITEs straight from it: no copy and no
 * allocation per sector. Waits block on a mutex and condition and wake on
 * cancellation, on end of stream and on an error from either side.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* what IMAPI calls the "system buffer" of a burn */
#define RB_FIFO_DEFAULT_SIZE (32 * 1024 * 1024)

typedef struct _RbFifo RbFifo;

typedef struct {
	gsize size; /* bytes of the ring */
	gsize used; /* bytes filled and not yet released, a partial sector included */
	guint64 bytes_in;
	guint64 bytes_out;
	gboolean closed; /* the producer saw the end of the stream */
} RbFifoStats;

/*
 * A ring for sectors of @sector_size bytes, handed to the consumer in chunks
 * of at most @chunk_sectors. The ring is @size bytes rounded down to a whole
 * number of chunks (two at least), so that a full chunk never straddles its
 * end. @cancellable (may be NULL) wakes every wait when cancelled; they then
 * fail with G_IO_ERROR_CANCELLED.
 */
RbFifo *rb_fifo_new(gsize sector_size, guint chunk_sectors, gsize size, GCancellable *cancellable);
void rb_fifo_free(RbFifo *self);

gsize rb_fifo_get_size(RbFifo *self);
gsize rb_fifo_get_sector_size(RbFifo *self);
guint rb_fifo_get_chunk_sectors(RbFifo *self);

/*
 * Producer: waits for free space and returns, in @data and @len, contiguous
 * free bytes that end at most at the end of the @max_sectors-th sector
 * boundary from the current write position (a partly filled sector is
 * completed first). FALSE with @error on cancellation, on rb_fifo_fail() and
 * after rb_fifo_close().
 */
gboolean
rb_fifo_write_acquire(RbFifo *self, guint max_sectors, guint8 **data, gsize *len, GError **error);
/* makes @len bytes of the space just acquired visible to the consumer */
void rb_fifo_write_commit(RbFifo *self, gsize len);
/* end of stream: the consumer drains the whole sectors left, then sees 0 */
void rb_fifo_close(RbFifo *self);

/*
 * Consumer: waits until @max_sectors whole sectors are contiguous at the
 * read position (fewer only at the end of the ring or at end of stream) and
 * returns them. TRUE with *@n_sectors == 0 means end of stream. FALSE with
 * @error on cancellation and on rb_fifo_fail().
 */
gboolean rb_fifo_read_acquire(
	RbFifo *self, guint max_sectors, const guint8 **data, guint *n_sectors, GError **error);
/* gives back the first @n_sectors of what rb_fifo_read_acquire() returned */
void rb_fifo_read_release(RbFifo *self, guint n_sectors);
/* waits until @bytes are filled (capped at the ring's size) or the stream
 * ended: the writer's pre-fill before the first WRITE */
gboolean rb_fifo_wait_filled(RbFifo *self, gsize bytes, GError **error);

/* either side gives up: every wait, now and later, fails with the first
 * error given (a copy of it) */
void rb_fifo_fail(RbFifo *self, const GError *error);
/* a copy of the first error given to rb_fifo_fail(), or NULL */
GError *rb_fifo_dup_error(RbFifo *self);

/* a consistent snapshot (taken under the lock), from any thread */
void rb_fifo_get_stats(RbFifo *self, RbFifoStats *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RbFifo, rb_fifo_free)

G_END_DECLS
