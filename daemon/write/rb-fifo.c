/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The write job's FIFO: a ring of sectors in one page-aligned block, with a
 * producer position that may stop inside a sector (read() returns what it
 * has) and a consumer position that always stands on a sector boundary.
 * See rb-fifo.h for the contract.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbFifo"

#include <glib/gi18n.h>

#include "rb-fifo.h"

/* page alignment lets a transport hand the buffer to the kernel as it is */
#define RB_FIFO_ALIGNMENT 4096

struct _RbFifo {
	GMutex mutex;
	GCond cond; /* one condition for both sides: each wait re-checks its own predicate */
	guint8 *ring;
	gsize size;
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
};

static void
rb_fifo_cancelled_cb(GCancellable *cancellable, gpointer user_data)
{
	RbFifo *self = user_data;

	/* taking the lock orders the wake-up after a waiter's predicate check,
	 * so that no waiter misses it */
	g_mutex_lock(&self->mutex);
	g_cond_broadcast(&self->cond);
	g_mutex_unlock(&self->mutex);
}

RbFifo *
rb_fifo_new(gsize sector_size, guint chunk_sectors, gsize size, GCancellable *cancellable)
{
	RbFifo *self;
	gsize chunk_bytes;
	gsize n_chunks;

	g_return_val_if_fail(sector_size > 0, NULL);
	g_return_val_if_fail(chunk_sectors > 0, NULL);

	chunk_bytes = sector_size * chunk_sectors;
	n_chunks = MAX(size / chunk_bytes, 2);
	self = g_new0(RbFifo, 1);
	g_mutex_init(&self->mutex);
	g_cond_init(&self->cond);
	self->sector_size = sector_size;
	self->chunk_sectors = chunk_sectors;
	self->size = n_chunks * chunk_bytes;
	self->ring = g_aligned_alloc(n_chunks, chunk_bytes, RB_FIFO_ALIGNMENT);
	if (cancellable != NULL) {
		self->cancellable = g_object_ref(cancellable);
		self->cancelled_id = g_cancellable_connect(
			cancellable, G_CALLBACK(rb_fifo_cancelled_cb), self, NULL);
	}
	return self;
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
	g_clear_error(&self->error);
	g_aligned_free(self->ring);
	g_cond_clear(&self->cond);
	g_mutex_clear(&self->mutex);
	g_free(self);
}

gsize
rb_fifo_get_size(RbFifo *self)
{
	return self->size;
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

gboolean
rb_fifo_write_acquire(RbFifo *self, guint max_sectors, guint8 **data, gsize *len, GError **error)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->mutex);
	gsize boundary;

	g_return_val_if_fail(max_sectors > 0, FALSE);

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
		g_cond_wait(&self->cond, &self->mutex);
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
	self->used += len;
	self->bytes_in += len;
	g_cond_broadcast(&self->cond);
}

void
rb_fifo_close(RbFifo *self)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->mutex);

	self->closed = TRUE;
	g_cond_broadcast(&self->cond);
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

gboolean
rb_fifo_read_acquire(
	RbFifo *self, guint max_sectors, const guint8 **data, guint *n_sectors, GError **error)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->mutex);
	guint available;

	g_return_val_if_fail(max_sectors > 0, FALSE);

	for (;;) {
		gboolean to_end = FALSE;

		if (!rb_fifo_check_locked(self, error))
			return FALSE;
		available = rb_fifo_contiguous_sectors_locked(self, &to_end);
		/* whole chunks only, so that every WRITE but the last is full
		 * size; the ring's end cuts a chunk only if the producer's short
		 * reads moved the chunk grid */
		if (available >= max_sectors || (available > 0 && to_end))
			break;
		if (self->closed)
			break;
		g_cond_wait(&self->cond, &self->mutex);
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
	self->used -= len;
	self->bytes_out += len;
	g_cond_broadcast(&self->cond);
}

gboolean
rb_fifo_wait_filled(RbFifo *self, gsize bytes, GError **error)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->mutex);

	bytes = MIN(bytes, self->size);
	for (;;) {
		if (!rb_fifo_check_locked(self, error))
			return FALSE;
		if (self->used >= bytes || self->closed)
			return TRUE;
		g_cond_wait(&self->cond, &self->mutex);
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
	g_cond_broadcast(&self->cond);
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
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->mutex);

	out->size = self->size;
	out->used = self->used;
	out->bytes_in = self->bytes_in;
	out->bytes_out = self->bytes_out;
	out->closed = self->closed;
}
