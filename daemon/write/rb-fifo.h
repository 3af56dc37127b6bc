/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The write job's FIFO: a bounded ring of whole sectors between the reader
 * thread (stream fd -> ring) and the writer thread (ring -> WRITE(10)). It
 * hands out pointers into its own memory, so the reader read()s straight
 * into the ring and the writer sends WRITEs straight from it: no copy and no
 * allocation per sector. Waits block on a mutex and a condition per side and
 * wake on cancellation, on end of stream and on an error from either side.
 *
 * The control structure lives as long as the job; the ring itself only
 * while the stream is written (rb_fifo_alloc_ring() .. rb_fifo_free_ring()),
 * so that a burn waiting, preparing, finishing or verifying holds none.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* the most a burn's ring may take unless the daemon's --fifo-size says
 * otherwise; what IMAPI calls the "system buffer" of a burn */
#define RB_FIFO_DEFAULT_SIZE (32 * 1024 * 1024)

typedef struct _RbFifo RbFifo;

/*
 * Each field is read atomically without the FIFO's lock, so that a progress
 * reader never stalls the two workers; the fields together are therefore
 * not one instant's (used may be a WRITE newer than bytes_out).
 */
typedef struct {
	gsize size; /* bytes of the ring; 0 while there is none */
	gsize used; /* bytes filled and not yet released, a partial sector included */
	guint64 bytes_in;
	guint64 bytes_out;
	gboolean closed; /* the producer saw the end of the stream */
	/* the size of the last ring, kept after it was freed */
	gsize ring_size;
	/* the lowest fill seen from the consumer's first release until the
	 * end of the stream (which drains the ring on purpose); -1 while
	 * nothing was released */
	gint64 min_used;
	/* how often the consumer found less than it asked for and had to wait
	 * for the producer, the end of the stream aside (wodim's "fifo was N
	 * times empty") */
	guint times_empty;
	/* condition signals sent to a waiting side, to see that each side is
	 * woken only when its wait can end */
	guint64 consumer_wakes;
	guint64 producer_wakes;
	/* a side is blocked in a wait right now */
	gboolean consumer_waiting;
	gboolean producer_waiting;
} RbFifoStats;

/*
 * A ring for sectors of @sector_size bytes, handed to the consumer in chunks
 * of at most @chunk_sectors. The ring is @size bytes rounded down to a whole
 * number of chunks (two at least), so that a full chunk never straddles its
 * end. @cancellable (may be NULL) wakes every wait when cancelled; they then
 * fail with G_IO_ERROR_CANCELLED. rb_fifo_new() aborts when the ring cannot
 * be allocated, as g_malloc() does; rb_fifo_new_empty() makes none.
 */
RbFifo *rb_fifo_new(gsize sector_size, guint chunk_sectors, gsize size, GCancellable *cancellable);
RbFifo *rb_fifo_new_empty(gsize sector_size, guint chunk_sectors, GCancellable *cancellable);
void rb_fifo_free(RbFifo *self);

/* the ring of rb_fifo_new(), for a FIFO that has none: FALSE with @error
 * (G_IO_ERROR_NO_SPACE) when the memory is not there */
gboolean rb_fifo_alloc_ring(RbFifo *self, gsize size, GError **error);
/* gives the ring's memory back to the system; no side may be using it */
void rb_fifo_free_ring(RbFifo *self);

/* the ring's size as rb_fifo_new() would round @size */
gsize rb_fifo_round_size(gsize sector_size, guint chunk_sectors, gsize size);

gsize rb_fifo_get_size(RbFifo *self);
gsize rb_fifo_get_sector_size(RbFifo *self);
guint rb_fifo_get_chunk_sectors(RbFifo *self);

/*
 * Producer: waits for free space and returns, in @data and @len, contiguous
 * free bytes that end at most at the end of the @max_sectors-th sector
 * boundary from the current write position (a partly filled sector is
 * completed first). FALSE with @error on cancellation, on rb_fifo_fail() and
 * after rb_fifo_close(). A producer that waits for a full ring is woken only
 * once a refill's worth is free (rb_fifo_get_refill_bytes()).
 */
gboolean
rb_fifo_write_acquire(RbFifo *self, guint max_sectors, guint8 **data, gsize *len, GError **error);
/* makes @len bytes of the space just acquired visible to the consumer */
void rb_fifo_write_commit(RbFifo *self, gsize len);
/* end of stream: the consumer drains the whole sectors left, then sees 0 */
void rb_fifo_close(RbFifo *self);
/* the free space that wakes a producer waiting for a full ring */
gsize rb_fifo_get_refill_bytes(RbFifo *self);

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

/* from any thread, without the lock: see RbFifoStats */
void rb_fifo_get_stats(RbFifo *self, RbFifoStats *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RbFifo, rb_fifo_free)

G_END_DECLS
