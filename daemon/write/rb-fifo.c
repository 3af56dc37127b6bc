/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The write job's FIFO: a ring of sectors in one page-aligned block, with a
 * producer position that may stop inside a sector (read() returns what it
 * has) and a consumer position that always stands on a sector boundary.
 * See rb-fifo.h for the contract.
 *
 * Each side waits on a condition of its own and is signalled only when it is
 * waiting and its wait can now end: the writer once a whole WRITE is there,
 * the reader once a refill's worth is free. Every other commit or release
 * costs no futex call, so a burn wakes its threads per WRITE at most, not
 * per read() or per sector.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbFifo"

#include <errno.h>
#include <glib/gi18n.h>
#include <sys/mman.h>

#include "rb-fifo.h"

/* a reader woken for less than this would read() a few sectors and sleep
 * again; more would let the ring run low for nothing */
#define RB_FIFO_REFILL_MAX (1024 * 1024)
/* page alignment lets a transport hand the ring to the kernel as it is */
#define RB_FIFO_ALIGNMENT 4096

/* the fields that rb_fifo_get_stats() reads without the lock are written
 * with these, under the lock; the lock's holder reads them plainly */
#define RB_FIFO_SET(field, value) __atomic_store_n(&(field), (value), __ATOMIC_RELEASE)
#define RB_FIFO_GET(field) __atomic_load_n(&(field), __ATOMIC_ACQUIRE)

struct _RbFifo {
	GMutex mutex;
	GCond data_cond;  /* the consumer waits here */
	GCond space_cond; /* the producer waits here */
	guint8 *ring;     /* mmap()ed; NULL while there is none */
	gsize size;
	gsize ring_size;
	gsize refill_bytes;
	gsize sector_size;
	guint chunk_sectors;
	gsize wpos; /* next byte the producer fills, in [0, size) */
	gsize rpos; /* next byte the consumer takes, on a sector boundary */
	gsize used;
	guint64 bytes_in;
	guint64 bytes_out;
	gboolean closed;
	GError *error;
	GCancellable *cancellable;
	gulong cancelled_id;

	/* what the waiting consumer waits for: @consumer_want sectors
	 * contiguous, or with @fill_want > 0 that many bytes filled */
	gboolean consumer_waiting;
	guint consumer_want;
	gsize fill_want;
	gboolean producer_waiting;

	gint64 min_used;
	guint times_empty;
	guint64 consumer_wakes;
	guint64 producer_wakes;
};

/* with the lock held: wakes both sides, whatever they wait for */
static void
rb_fifo_wake_all_locked(RbFifo *self)
{
	if (self->consumer_waiting) {
		RB_FIFO_SET(self->consumer_waiting, FALSE);
		RB_FIFO_SET(self->consumer_wakes, self->consumer_wakes + 1);
	}
	if (self->producer_waiting) {
		RB_FIFO_SET(self->producer_waiting, FALSE);
		RB_FIFO_SET(self->producer_wakes, self->producer_wakes + 1);
	}
	g_cond_broadcast(&self->data_cond);
	g_cond_broadcast(&self->space_cond);
}

static void
rb_fifo_cancelled_cb(GCancellable *cancellable, gpointer user_data)
{
	RbFifo *self = user_data;

	/* taking the lock orders the wake-up after a waiter's predicate check,
	 * so that no waiter misses it */
	g_mutex_lock(&self->mutex);
	rb_fifo_wake_all_locked(self);
	g_mutex_unlock(&self->mutex);
}

gsize
rb_fifo_round_size(gsize sector_size, guint chunk_sectors, gsize size)
{
	gsize chunk_bytes = sector_size * chunk_sectors;

	return MAX(size / chunk_bytes, 2) * chunk_bytes;
}

RbFifo *
rb_fifo_new_empty(gsize sector_size, guint chunk_sectors, GCancellable *cancellable)
{
	RbFifo *self;

	g_return_val_if_fail(sector_size > 0, NULL);
	g_return_val_if_fail(chunk_sectors > 0, NULL);

	self = g_new0(RbFifo, 1);
	g_mutex_init(&self->mutex);
	g_cond_init(&self->data_cond);
	g_cond_init(&self->space_cond);
	self->sector_size = sector_size;
	self->chunk_sectors = chunk_sectors;
	self->min_used = -1;
	if (cancellable != NULL) {
		self->cancellable = g_object_ref(cancellable);
		self->cancelled_id = g_cancellable_connect(
			cancellable, G_CALLBACK(rb_fifo_cancelled_cb), self, NULL);
	}
	return self;
}

RbFifo *
rb_fifo_new(gsize sector_size, guint chunk_sectors, gsize size, GCancellable *cancellable)
{
	RbFifo *self = rb_fifo_new_empty(sector_size, chunk_sectors, cancellable);
	g_autoptr(GError) error = NULL;

	if (self != NULL && !rb_fifo_alloc_ring(self, size, &error))
		g_error("%s", error->message);
	return self;
}

#if defined(__SANITIZE_ADDRESS__)
/* AddressSanitizer sees into heap blocks, not into mappings: under it the
 * ring is a heap block, so that a reader or writer running past the ring's
 * end is caught where it happens */
static void *
rb_fifo_map_ring(gsize size)
{
	return g_aligned_alloc(1, size, RB_FIFO_ALIGNMENT);
}

static void
rb_fifo_unmap_ring(void *ring, gsize size)
{
	g_aligned_free(ring);
}
#else
static void *
rb_fifo_map_ring(gsize size)
{
	void *ring = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return ring != MAP_FAILED ? ring : NULL;
}

static void
rb_fifo_unmap_ring(void *ring, gsize size)
{
	munmap(ring, size);
}
#endif

gboolean
rb_fifo_alloc_ring(RbFifo *self, gsize size, GError **error)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->mutex);
	gsize rounded = rb_fifo_round_size(self->sector_size, self->chunk_sectors, size);
	gsize chunk_bytes = self->sector_size * self->chunk_sectors;
	void *ring;

	g_return_val_if_fail(self->ring == NULL, FALSE);

	/* mmap() rather than malloc(): the pages go back to the system at
	 * munmap(), while glibc keeps a freed block of this size in the heap
	 * once its mmap threshold has grown past it, and they come page-aligned,
	 * so that a transport can hand them to the kernel as they are */
	ring = rb_fifo_map_ring(rounded);
	if (ring == NULL) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_NO_SPACE,
			    _("Cannot allocate the burn's buffer of %zu bytes: %s; lower "
			      "rawburnd's --fifo-size or free some memory."),
			    rounded,
			    g_strerror(errno));
		return FALSE;
	}
	self->ring = ring;
	self->wpos = 0;
	self->rpos = 0;
	self->refill_bytes = MAX(chunk_bytes, MIN(rounded / 8, RB_FIFO_REFILL_MAX));
	RB_FIFO_SET(self->used, 0);
	RB_FIFO_SET(self->ring_size, rounded);
	RB_FIFO_SET(self->size, rounded);
	return TRUE;
}

void
rb_fifo_free_ring(RbFifo *self)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->mutex);

	if (self->ring == NULL)
		return;
	g_warn_if_fail(!self->consumer_waiting && !self->producer_waiting);
	rb_fifo_unmap_ring(self->ring, self->size);
	self->ring = NULL;
	self->wpos = 0;
	self->rpos = 0;
	RB_FIFO_SET(self->size, 0);
	RB_FIFO_SET(self->used, 0);
}

void
rb_fifo_free(RbFifo *self)
{
	if (self == NULL)
		return;
	/* outside the lock: disconnecting waits for a running callback, which
	 * takes the lock */
	if (self->cancellable != NULL) {
		g_cancellable_disconnect(self->cancellable, self->cancelled_id);
		g_object_unref(self->cancellable);
	}
	rb_fifo_free_ring(self);
	g_clear_error(&self->error);
	g_cond_clear(&self->data_cond);
	g_cond_clear(&self->space_cond);
	g_mutex_clear(&self->mutex);
	g_free(self);
}

gsize
rb_fifo_get_size(RbFifo *self)
{
	return RB_FIFO_GET(self->size);
}

gsize
rb_fifo_get_sector_size(RbFifo *self)
{
	return self->sector_size;
}

guint
rb_fifo_get_chunk_sectors(RbFifo *self)
{
	return self->chunk_sectors;
}

gsize
rb_fifo_get_refill_bytes(RbFifo *self)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->mutex);

	return self->refill_bytes;
}

/* with the lock held: FALSE with @error when waiting must stop */
static gboolean
rb_fifo_check_locked(RbFifo *self, GError **error)
{
	if (self->error != NULL) {
		g_propagate_error(error, g_error_copy(self->error));
		return FALSE;
	}
	if (g_cancellable_set_error_if_cancelled(self->cancellable, error))
		return FALSE;
	return TRUE;
}

/* with the lock held: whole sectors filled from rpos without wrapping, and
 * whether they reach the ring's end */
static guint
rb_fifo_contiguous_sectors_locked(RbFifo *self, gboolean *to_end)
{
	gsize to_ring_end = self->size - self->rpos;
	gsize contiguous = MIN(self->used, to_ring_end);

	*to_end = contiguous == to_ring_end;
	return (guint)(contiguous / self->sector_size);
}

/* with the lock held: whether rb_fifo_read_acquire() with @max_sectors can
 * return, setting *@available */
static gboolean
rb_fifo_chunk_ready_locked(RbFifo *self, guint max_sectors, guint *available)
{
	gboolean to_end = FALSE;

	*available = rb_fifo_contiguous_sectors_locked(self, &to_end);
	/* whole chunks only, so that every WRITE but the last is full size;
	 * the ring's end cuts a chunk only if the producer's short reads moved
	 * the chunk grid */
	return *available >= max_sectors || (*available > 0 && to_end) || self->closed;
}

/* with the lock held: the waiting consumer's wait can end */
static void
rb_fifo_wake_consumer_locked(RbFifo *self)
{
	guint available;

	if (!self->consumer_waiting)
		return;
	if (self->fill_want > 0
		    ? self->used < self->fill_want && !self->closed
		    : !rb_fifo_chunk_ready_locked(self, self->consumer_want, &available))
		return;
	RB_FIFO_SET(self->consumer_waiting, FALSE);
	RB_FIFO_SET(self->consumer_wakes, self->consumer_wakes + 1);
	g_cond_signal(&self->data_cond);
}

/* with the lock held: the waiting producer has a refill's worth of room */
static void
rb_fifo_wake_producer_locked(RbFifo *self, gsize min_free)
{
	if (!self->producer_waiting || self->size - self->used < min_free)
		return;
	RB_FIFO_SET(self->producer_waiting, FALSE);
	RB_FIFO_SET(self->producer_wakes, self->producer_wakes + 1);
	g_cond_signal(&self->space_cond);
}

gboolean
rb_fifo_write_acquire(RbFifo *self, guint max_sectors, guint8 **data, gsize *len, GError **error)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->mutex);
	gsize boundary;

	g_return_val_if_fail(max_sectors > 0, FALSE);
	g_return_val_if_fail(self->ring != NULL, FALSE);

	for (;;) {
		if (!rb_fifo_check_locked(self, error))
			return FALSE;
		if (self->closed) {
			g_set_error_literal(error,
					    G_IO_ERROR,
					    G_IO_ERROR_CLOSED,
					    _("The end of the stream was already signalled."));
			return FALSE;
		}
		if (self->used < self->size)
			break;
		/* a full ring has a whole chunk for the consumer: should it wait
		 * all the same, it must not sleep while we do */
		rb_fifo_wake_consumer_locked(self);
		RB_FIFO_SET(self->producer_waiting, TRUE);
		g_cond_wait(&self->space_cond, &self->mutex);
		RB_FIFO_SET(self->producer_waiting, FALSE);
	}
	/* the free space runs from wpos to the ring's end or to rpos; the ring's
	 * end is a sector boundary, so a sector never wraps */
	boundary = (self->wpos / self->sector_size + max_sectors) * self->sector_size;
	*len = MIN(MIN(self->size - self->used, self->size - self->wpos), boundary - self->wpos);
	*data = self->ring + self->wpos;
	return TRUE;
}

void
rb_fifo_write_commit(RbFifo *self, gsize len)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->mutex);

	g_return_if_fail(len <= MIN(self->size - self->used, self->size - self->wpos));
	if (len == 0)
		return;
	self->wpos += len;
	if (self->wpos == self->size)
		self->wpos = 0;
	RB_FIFO_SET(self->used, self->used + len);
	RB_FIFO_SET(self->bytes_in, self->bytes_in + len);
	rb_fifo_wake_consumer_locked(self);
}

void
rb_fifo_close(RbFifo *self)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->mutex);

	RB_FIFO_SET(self->closed, TRUE);
	rb_fifo_wake_all_locked(self);
}

gboolean
rb_fifo_read_acquire(
	RbFifo *self, guint max_sectors, const guint8 **data, guint *n_sectors, GError **error)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->mutex);
	gboolean counted = FALSE;
	guint available;

	g_return_val_if_fail(max_sectors > 0, FALSE);
	g_return_val_if_fail(self->ring != NULL, FALSE);

	for (;;) {
		if (!rb_fifo_check_locked(self, error))
			return FALSE;
		if (rb_fifo_chunk_ready_locked(self, max_sectors, &available))
			break;
		/* once writing runs, a consumer that waits is one the stream
		 * did not keep up with */
		if (!counted && self->bytes_out > 0) {
			RB_FIFO_SET(self->times_empty, self->times_empty + 1);
			counted = TRUE;
		}
		/* a producer asleep on a nearly full ring must fill the rest */
		rb_fifo_wake_producer_locked(self, 1);
		self->consumer_want = max_sectors;
		self->fill_want = 0;
		RB_FIFO_SET(self->consumer_waiting, TRUE);
		g_cond_wait(&self->data_cond, &self->mutex);
		RB_FIFO_SET(self->consumer_waiting, FALSE);
	}
	*n_sectors = MIN(available, max_sectors);
	*data = self->ring + self->rpos;
	return TRUE;
}

void
rb_fifo_read_release(RbFifo *self, guint n_sectors)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->mutex);
	gsize len = (gsize)n_sectors * self->sector_size;

	g_return_if_fail(len <= MIN(self->used, self->size - self->rpos));
	if (len == 0)
		return;
	self->rpos += len;
	if (self->rpos == self->size)
		self->rpos = 0;
	RB_FIFO_SET(self->used, self->used - len);
	RB_FIFO_SET(self->bytes_out, self->bytes_out + len);
	/* the low-water mark: from the first WRITE on, until the end of the
	 * stream drains the ring on purpose */
	if (!self->closed && (self->min_used < 0 || (gint64)self->used < self->min_used))
		RB_FIFO_SET(self->min_used, (gint64)self->used);
	rb_fifo_wake_producer_locked(self, self->refill_bytes);
}

gboolean
rb_fifo_wait_filled(RbFifo *self, gsize bytes, GError **error)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->mutex);

	g_return_val_if_fail(self->ring != NULL, FALSE);

	bytes = MAX(MIN(bytes, self->size), 1);
	for (;;) {
		if (!rb_fifo_check_locked(self, error))
			return FALSE;
		if (self->used >= bytes || self->closed)
			return TRUE;
		rb_fifo_wake_producer_locked(self, 1);
		self->fill_want = bytes;
		RB_FIFO_SET(self->consumer_waiting, TRUE);
		g_cond_wait(&self->data_cond, &self->mutex);
		RB_FIFO_SET(self->consumer_waiting, FALSE);
		self->fill_want = 0;
	}
}

void
rb_fifo_fail(RbFifo *self, const GError *error)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->mutex);

	g_return_if_fail(error != NULL);
	/* the first error is the cause; later ones are its consequences */
	if (self->error == NULL)
		self->error = g_error_copy(error);
	rb_fifo_wake_all_locked(self);
}

GError *
rb_fifo_dup_error(RbFifo *self)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->mutex);

	return self->error != NULL ? g_error_copy(self->error) : NULL;
}

void
rb_fifo_get_stats(RbFifo *self, RbFifoStats *out)
{
	out->size = RB_FIFO_GET(self->size);
	/* a ring freed between the two loads shows as empty, never as more
	 * used than its size */
	out->used = MIN(RB_FIFO_GET(self->used), out->size);
	/* out before in: a sector is released only after it was committed,
	 * so the snapshot never shows more out than in */
	out->bytes_out = RB_FIFO_GET(self->bytes_out);
	out->bytes_in = RB_FIFO_GET(self->bytes_in);
	out->closed = RB_FIFO_GET(self->closed);
	out->ring_size = RB_FIFO_GET(self->ring_size);
	out->min_used = RB_FIFO_GET(self->min_used);
	out->times_empty = RB_FIFO_GET(self->times_empty);
	out->consumer_wakes = RB_FIFO_GET(self->consumer_wakes);
	out->producer_wakes = RB_FIFO_GET(self->producer_wakes);
	out->consumer_waiting = RB_FIFO_GET(self->consumer_waiting);
	out->producer_waiting = RB_FIFO_GET(self->producer_waiting);
}
