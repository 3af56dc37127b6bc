/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The write job's FIFO: its geometry, order and integrity of the data across
 * many wrap-arounds with a producer and a consumer thread doing short reads
 * and short releases, the end of the stream with a partial sector, and
 * cancellation and failure waking both sides at once.
 */
#include "config.h"

#include <string.h>

#include "rb-fifo.h"
#include "rb-test-fake-transport.h"
#include "rb-test-service.h"

#define RB_SS 2448
#define RB_CHUNK 26

/* a byte that depends on its position in the stream, so that a sector out
 * of order or a torn chunk shows */
static guint8
rb_pattern_byte(guint64 offset)
{
	return (guint8)(offset * 7 + offset / RB_SS * 13 + 1);
}

START_TEST(test_fifo_geometry)
{
	g_autoptr(RbFifo) fifo = rb_fifo_new(RB_SS, RB_CHUNK, RB_FIFO_DEFAULT_SIZE, NULL);
	g_autoptr(RbFifo) tiny = rb_fifo_new(2368, 27, 1000, NULL);
	RbFifoStats stats;

	/* whole chunks, not more than asked for */
	ck_assert_uint_eq(rb_fifo_get_size(fifo) % (RB_SS * RB_CHUNK), 0);
	ck_assert_uint_le(rb_fifo_get_size(fifo), RB_FIFO_DEFAULT_SIZE);
	ck_assert_uint_gt(rb_fifo_get_size(fifo), RB_FIFO_DEFAULT_SIZE - RB_SS * RB_CHUNK);
	/* two chunks at least, so that one is filled while one is written */
	ck_assert_uint_eq(rb_fifo_get_size(tiny), 2 * 2368 * 27);
	ck_assert_uint_eq(rb_fifo_get_sector_size(tiny), 2368);
	ck_assert_uint_eq(rb_fifo_get_chunk_sectors(tiny), 27);
	rb_fifo_get_stats(fifo, &stats);
	ck_assert_uint_eq(stats.size, rb_fifo_get_size(fifo));
	ck_assert_uint_eq(stats.used, 0);
	ck_assert(!stats.closed);
}
END_TEST

/* short fills, a partial sector, and a chunk that the ring's end cuts */
START_TEST(test_fifo_partial_and_wrap)
{
	g_autoptr(GError) error = NULL;
	/* two chunks of 4 sectors */
	g_autoptr(RbFifo) fifo = rb_fifo_new(RB_SS, 4, 8 * RB_SS, NULL);
	const guint8 *rdata;
	guint8 *wdata;
	guint8 *ring;
	gsize len;
	guint n;
	RbFifoStats stats;

	ck_assert(rb_fifo_write_acquire(fifo, 4, &wdata, &len, &error));
	ring = wdata;
	ck_assert_uint_eq(len, 4 * RB_SS);
	/* 100 bytes in: the next space completes that sector first */
	rb_fifo_write_commit(fifo, 100);
	ck_assert(rb_fifo_write_acquire(fifo, 1, &wdata, &len, &error));
	ck_assert_ptr_eq(wdata, ring + 100);
	ck_assert_uint_eq(len, RB_SS - 100);
	rb_fifo_write_commit(fifo, len);
	/* fill the ring to its end: at most 4 sectors from the write position */
	ck_assert(rb_fifo_write_acquire(fifo, 4, &wdata, &len, &error));
	ck_assert_uint_eq(len, 4 * RB_SS);
	rb_fifo_write_commit(fifo, len);
	ck_assert(rb_fifo_write_acquire(fifo, 8, &wdata, &len, &error));
	ck_assert_uint_eq(len, 3 * RB_SS);
	rb_fifo_write_commit(fifo, len);
	rb_fifo_get_stats(fifo, &stats);
	ck_assert_uint_eq(stats.used, 8 * RB_SS);

	/* the consumer takes one sector of a chunk: the grid shifts */
	ck_assert(rb_fifo_read_acquire(fifo, 4, &rdata, &n, &error));
	ck_assert_ptr_eq(rdata, ring);
	ck_assert_uint_eq(n, 4);
	rb_fifo_read_release(fifo, 1);
	ck_assert(rb_fifo_read_acquire(fifo, 4, &rdata, &n, &error));
	ck_assert_ptr_eq(rdata, ring + RB_SS);
	ck_assert_uint_eq(n, 4);
	rb_fifo_read_release(fifo, 4);
	/* 3 sectors before the ring's end: a shorter chunk, never a straddling one */
	ck_assert(rb_fifo_read_acquire(fifo, 4, &rdata, &n, &error));
	ck_assert_ptr_eq(rdata, ring + 5 * RB_SS);
	ck_assert_uint_eq(n, 3);
	rb_fifo_read_release(fifo, 3);

	/* the producer wraps to the start; half a sector, then the end */
	ck_assert(rb_fifo_write_acquire(fifo, 4, &wdata, &len, &error));
	ck_assert_ptr_eq(wdata, ring);
	rb_fifo_write_commit(fifo, RB_SS + RB_SS / 2);
	rb_fifo_close(fifo);
	ck_assert(!rb_fifo_write_acquire(fifo, 4, &wdata, &len, &error));
	ck_assert(g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CLOSED));
	g_clear_error(&error);
	ck_assert(rb_fifo_read_acquire(fifo, 4, &rdata, &n, &error));
	ck_assert_uint_eq(n, 1);
	rb_fifo_read_release(fifo, 1);
	/* end of stream: the half sector stays, the caller judges it */
	ck_assert(rb_fifo_read_acquire(fifo, 4, &rdata, &n, &error));
	ck_assert_uint_eq(n, 0);
	rb_fifo_get_stats(fifo, &stats);
	ck_assert_uint_eq(stats.used, RB_SS / 2);
	ck_assert_uint_eq(stats.bytes_in, 9 * RB_SS + RB_SS / 2);
	ck_assert_uint_eq(stats.bytes_out, 9 * RB_SS);
	ck_assert(stats.closed);
	ck_assert(rb_fifo_wait_filled(fifo, G_MAXSIZE, &error));
}
END_TEST

typedef struct {
	RbFifo *fifo;
	guint64 total;
	guint64 done;
	guint max_used_seen;
	gboolean ok;
	GError *error;
	gint64 returned_us;
} RbSide;

static gpointer
rb_producer(gpointer user_data)
{
	RbSide *side = user_data;
	GRand *rand = g_rand_new_with_seed(1);

	while (side->done < side->total) {
		guint8 *data;
		gsize len;
		gsize fill;

		if (!rb_fifo_write_acquire(side->fifo,
					   (guint)g_rand_int_range(rand, 1, 40),
					   &data,
					   &len,
					   &side->error))
			break;
		/* read() returns what it has: often less than asked for */
		fill = MIN(len, (gsize)g_rand_int_range(rand, 1, (gint)len + 1));
		fill = (gsize)MIN((guint64)fill, side->total - side->done);
		for (gsize i = 0; i < fill; i++)
			data[i] = rb_pattern_byte(side->done + i);
		rb_fifo_write_commit(side->fifo, fill);
		side->done += fill;
	}
	if (side->done == side->total)
		rb_fifo_close(side->fifo);
	g_rand_free(rand);
	side->ok = side->done == side->total;
	return NULL;
}

static gpointer
rb_consumer(gpointer user_data)
{
	RbSide *side = user_data;
	GRand *rand = g_rand_new_with_seed(2);

	if (!rb_fifo_wait_filled(side->fifo, rb_fifo_get_size(side->fifo) / 2, &side->error)) {
		g_rand_free(rand);
		return NULL;
	}
	for (;;) {
		const guint8 *data;
		guint n;
		guint take;

		if (!rb_fifo_read_acquire(side->fifo, RB_CHUNK, &data, &n, &side->error))
			break;
		if (n == 0) {
			side->ok = TRUE;
			break;
		}
		ck_assert_uint_le(n, RB_CHUNK);
		/* mostly whole chunks, as the writer does; now and then fewer */
		take = g_rand_int_range(rand, 0, 4) == 0
			       ? (guint)g_rand_int_range(rand, 1, (gint)n + 1)
			       : n;
		for (gsize i = 0; i < (gsize)take * RB_SS; i++) {
			if (data[i] != rb_pattern_byte(side->done + i))
				ck_abort_msg("byte %" G_GUINT64_FORMAT " differs", side->done + i);
		}
		side->done += (guint64)take * RB_SS;
		rb_fifo_read_release(side->fifo, take);
	}
	g_rand_free(rand);
	return NULL;
}

START_TEST(test_fifo_threads_integrity)
{
	/* a ring of 3 chunks and 3000 sectors: about 40 wrap-arounds */
	g_autoptr(RbFifo) fifo = rb_fifo_new(RB_SS, RB_CHUNK, 3 * RB_CHUNK * RB_SS, NULL);
	RbSide producer = {fifo, 3000 * (guint64)RB_SS, 0, 0, FALSE, NULL, 0};
	RbSide consumer = {fifo, 0, 0, 0, FALSE, NULL, 0};
	GThread *p = g_thread_new("test-producer", rb_producer, &producer);
	GThread *c = g_thread_new("test-consumer", rb_consumer, &consumer);
	RbFifoStats stats;

	/* stats from a third thread while both run */
	for (guint i = 0; i < 100; i++) {
		rb_fifo_get_stats(fifo, &stats);
		ck_assert_uint_le(stats.used, stats.size);
		ck_assert_uint_le(stats.bytes_out, stats.bytes_in);
		g_thread_yield();
	}
	g_thread_join(p);
	g_thread_join(c);
	ck_assert_msg(producer.ok, "%s", producer.error ? producer.error->message : "");
	ck_assert_msg(consumer.ok, "%s", consumer.error ? consumer.error->message : "");
	ck_assert_uint_eq(consumer.done, producer.total);
	rb_fifo_get_stats(fifo, &stats);
	ck_assert_uint_eq(stats.used, 0);
	ck_assert_uint_eq(stats.bytes_in, producer.total);
}
END_TEST

static gpointer
rb_blocked_reader(gpointer user_data)
{
	RbSide *side = user_data;
	const guint8 *data;
	guint n;

	side->ok = rb_fifo_read_acquire(side->fifo, RB_CHUNK, &data, &n, &side->error);
	side->returned_us = g_get_monotonic_time();
	return NULL;
}

static gpointer
rb_blocked_writer(gpointer user_data)
{
	RbSide *side = user_data;
	guint8 *data;
	gsize len;

	/* fill the ring, then wait for space that never comes */
	for (;;) {
		side->ok = rb_fifo_write_acquire(side->fifo, RB_CHUNK, &data, &len, &side->error);
		if (!side->ok)
			break;
		rb_fifo_write_commit(side->fifo, len);
	}
	side->returned_us = g_get_monotonic_time();
	return NULL;
}

static gpointer
rb_blocked_prefill(gpointer user_data)
{
	RbSide *side = user_data;

	side->ok = rb_fifo_wait_filled(side->fifo, G_MAXSIZE, &side->error);
	side->returned_us = g_get_monotonic_time();
	return NULL;
}

/* both sides and the pre-fill wait, each blocked, wake within 100 ms */
START_TEST(test_fifo_cancel_wakes_both)
{
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	g_autoptr(RbFifo) empty = rb_fifo_new(RB_SS, RB_CHUNK, 0, cancellable);
	g_autoptr(RbFifo) full = rb_fifo_new(RB_SS, RB_CHUNK, 0, cancellable);
	g_autoptr(RbFifo) prefill = rb_fifo_new(RB_SS, RB_CHUNK, 0, cancellable);
	RbSide reader = {empty, 0, 0, 0, TRUE, NULL, 0};
	RbSide writer = {full, 0, 0, 0, TRUE, NULL, 0};
	RbSide waiter = {prefill, 0, 0, 0, TRUE, NULL, 0};
	GThread *threads[3];
	RbFifoStats stats;
	gint64 cancelled_us;

	threads[0] = g_thread_new("test-reader", rb_blocked_reader, &reader);
	threads[1] = g_thread_new("test-writer", rb_blocked_writer, &writer);
	threads[2] = g_thread_new("test-prefill", rb_blocked_prefill, &waiter);
	/* until the writer has filled its ring, and a little more for the others */
	do {
		g_usleep(1000);
		rb_fifo_get_stats(full, &stats);
	} while (stats.used < stats.size);
	g_usleep(20000);
	ck_assert_int_eq(reader.returned_us, 0);
	ck_assert_int_eq(writer.returned_us, 0);
	ck_assert_int_eq(waiter.returned_us, 0);

	cancelled_us = g_get_monotonic_time();
	g_cancellable_cancel(cancellable);
	for (guint i = 0; i < G_N_ELEMENTS(threads); i++)
		g_thread_join(threads[i]);
	ck_assert(!reader.ok);
	ck_assert(!writer.ok);
	ck_assert(!waiter.ok);
	ck_assert(g_error_matches(reader.error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
	ck_assert(g_error_matches(writer.error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
	ck_assert(g_error_matches(waiter.error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
	ck_assert_int_lt(reader.returned_us - cancelled_us, 100000);
	ck_assert_int_lt(writer.returned_us - cancelled_us, 100000);
	ck_assert_int_lt(waiter.returned_us - cancelled_us, 100000);
	g_clear_error(&reader.error);
	g_clear_error(&writer.error);
	g_clear_error(&waiter.error);
}
END_TEST

/* a FIFO made on a cancellable that is already cancelled never waits */
START_TEST(test_fifo_cancelled_before)
{
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	g_autoptr(RbFifo) fifo = NULL;
	g_autoptr(GError) error = NULL;
	const guint8 *data;
	guint n;

	g_cancellable_cancel(cancellable);
	fifo = rb_fifo_new(RB_SS, RB_CHUNK, 0, cancellable);
	ck_assert(!rb_fifo_read_acquire(fifo, RB_CHUNK, &data, &n, &error));
	ck_assert(g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
}
END_TEST

/* one side's error reaches the other, blocked or not; the first one stays */
START_TEST(test_fifo_fail_wakes_other_side)
{
	g_autoptr(RbFifo) fifo = rb_fifo_new(RB_SS, RB_CHUNK, 0, NULL);
	g_autoptr(GError) first = g_error_new_literal(G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE, "first");
	g_autoptr(GError) second = g_error_new_literal(G_IO_ERROR, G_IO_ERROR_FAILED, "second");
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) kept = NULL;
	RbSide writer = {fifo, 0, 0, 0, TRUE, NULL, 0};
	GThread *thread = g_thread_new("test-writer", rb_blocked_writer, &writer);
	RbFifoStats stats;
	guint8 *data;
	gsize len;
	gint64 failed_us;

	do {
		g_usleep(1000);
		rb_fifo_get_stats(fifo, &stats);
	} while (stats.used < stats.size);
	ck_assert_ptr_null(rb_fifo_dup_error(fifo));
	failed_us = g_get_monotonic_time();
	rb_fifo_fail(fifo, first);
	rb_fifo_fail(fifo, second);
	g_thread_join(thread);
	ck_assert(!writer.ok);
	ck_assert(g_error_matches(writer.error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE));
	ck_assert_int_lt(writer.returned_us - failed_us, 100000);
	g_clear_error(&writer.error);
	kept = rb_fifo_dup_error(fifo);
	ck_assert_str_eq(kept->message, "first");
	ck_assert(!rb_fifo_write_acquire(fifo, 1, &data, &len, &error));
	ck_assert(g_error_matches(error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE));
}
END_TEST

/* ---- wake-ups, the low-water mark, the ring's lifetime ---- */

typedef struct {
	RbFifo *fifo;
	guint want;
	guint got;
	gboolean ok;
} RbWaiter;

static gpointer
rb_chunk_reader(gpointer user_data)
{
	RbWaiter *waiter = user_data;
	const guint8 *data;

	waiter->ok = rb_fifo_read_acquire(waiter->fifo, waiter->want, &data, &waiter->got, NULL);
	return NULL;
}

static gpointer
rb_space_writer(gpointer user_data)
{
	RbWaiter *waiter = user_data;
	guint8 *data;
	gsize len;

	waiter->ok = rb_fifo_write_acquire(waiter->fifo, waiter->want, &data, &len, NULL);
	waiter->got = (guint)len;
	return NULL;
}

static void
rb_commit(RbFifo *fifo, gsize bytes)
{
	while (bytes > 0) {
		guint8 *data;
		gsize len;

		ck_assert(rb_fifo_write_acquire(fifo, 64, &data, &len, NULL));
		len = MIN(len, bytes);
		rb_fifo_write_commit(fifo, len);
		bytes -= len;
	}
}

/* until the other thread is blocked in its wait: no timing involved */
static void
rb_wait_until_waiting(RbFifo *fifo, gboolean consumer)
{
	RbFifoStats stats;

	do {
		g_usleep(1000);
		rb_fifo_get_stats(fifo, &stats);
	} while (!(consumer ? stats.consumer_waiting : stats.producer_waiting));
}

/* a consumer waiting for a chunk sleeps through commits of less */
START_TEST(test_fifo_wakes_consumer_per_chunk)
{
	g_autoptr(RbFifo) fifo = rb_fifo_new(RB_SS, 4, 8 * RB_SS, NULL);
	RbWaiter waiter = {fifo, 4, 0, FALSE};
	RbFifoStats stats;
	GThread *thread = g_thread_new("test-consumer", rb_chunk_reader, &waiter);

	rb_wait_until_waiting(fifo, TRUE);
	/* a sector, then a half, then more than two: still not a chunk */
	rb_commit(fifo, RB_SS);
	rb_commit(fifo, RB_SS / 2);
	rb_commit(fifo, 2 * RB_SS);
	rb_fifo_get_stats(fifo, &stats);
	ck_assert_uint_eq(stats.consumer_wakes, 0);
	ck_assert(stats.consumer_waiting);
	/* the chunk's last bytes: one wake-up */
	rb_commit(fifo, RB_SS / 2);
	g_thread_join(thread);
	ck_assert(waiter.ok);
	ck_assert_uint_eq(waiter.got, 4);
	rb_fifo_get_stats(fifo, &stats);
	ck_assert_uint_eq(stats.consumer_wakes, 1);
	/* a commit with nobody waiting signals nobody */
	rb_commit(fifo, RB_SS);
	rb_fifo_get_stats(fifo, &stats);
	ck_assert_uint_eq(stats.consumer_wakes, 1);
	ck_assert_uint_eq(stats.producer_wakes, 0);
}
END_TEST

/* a producer waiting for room sleeps until a refill's worth is free */
START_TEST(test_fifo_wakes_producer_per_refill)
{
	/* 64 chunks of 4 sectors: the refill is an eighth, 8 chunks */
	g_autoptr(RbFifo) fifo = rb_fifo_new(RB_SS, 4, 256 * RB_SS, NULL);
	RbWaiter waiter = {fifo, 64, 0, FALSE};
	gsize refill = rb_fifo_get_refill_bytes(fifo);
	RbFifoStats stats;
	GThread *thread;
	gsize released = 0;
	const guint8 *data;
	guint n;

	ck_assert_uint_eq(refill, 32 * RB_SS);
	rb_commit(fifo, rb_fifo_get_size(fifo));
	thread = g_thread_new("test-producer", rb_space_writer, &waiter);
	rb_wait_until_waiting(fifo, FALSE);
	while (released + 4 * RB_SS < refill) {
		ck_assert(rb_fifo_read_acquire(fifo, 4, &data, &n, NULL));
		ck_assert_uint_eq(n, 4);
		rb_fifo_read_release(fifo, 4);
		released += 4 * RB_SS;
	}
	rb_fifo_get_stats(fifo, &stats);
	ck_assert_uint_eq(stats.producer_wakes, 0);
	ck_assert(stats.producer_waiting);
	/* the chunk that makes it a refill */
	ck_assert(rb_fifo_read_acquire(fifo, 4, &data, &n, NULL));
	rb_fifo_read_release(fifo, 4);
	g_thread_join(thread);
	ck_assert(waiter.ok);
	ck_assert_uint_ge(waiter.got, RB_SS);
	rb_fifo_get_stats(fifo, &stats);
	ck_assert_uint_eq(stats.producer_wakes, 1);
	ck_assert_uint_eq(stats.consumer_wakes, 0);
}
END_TEST

/* the lowest fill from the first release until the end of the stream */
START_TEST(test_fifo_low_water_mark)
{
	g_autoptr(RbFifo) fifo = rb_fifo_new(RB_SS, 4, 8 * RB_SS, NULL);
	RbFifoStats stats;
	const guint8 *data;
	guint n;

	rb_commit(fifo, 8 * RB_SS);
	rb_fifo_get_stats(fifo, &stats);
	ck_assert_int_eq(stats.min_used, -1);
	ck_assert(rb_fifo_read_acquire(fifo, 4, &data, &n, NULL));
	rb_fifo_read_release(fifo, 4);
	rb_fifo_get_stats(fifo, &stats);
	ck_assert_int_eq(stats.min_used, 4 * RB_SS);
	ck_assert(rb_fifo_read_acquire(fifo, 4, &data, &n, NULL));
	rb_fifo_read_release(fifo, 3);
	rb_fifo_get_stats(fifo, &stats);
	ck_assert_int_eq(stats.min_used, RB_SS);
	/* refilled, then the end drains it: that does not count */
	rb_commit(fifo, 6 * RB_SS);
	rb_fifo_close(fifo);
	for (;;) {
		ck_assert(rb_fifo_read_acquire(fifo, 4, &data, &n, NULL));
		if (n == 0)
			break;
		rb_fifo_read_release(fifo, n);
	}
	rb_fifo_get_stats(fifo, &stats);
	ck_assert_uint_eq(stats.used, 0);
	ck_assert_int_eq(stats.min_used, RB_SS);
	ck_assert_uint_eq(stats.times_empty, 0);
}
END_TEST

/* a writer that had to wait for the stream after the first WRITE */
START_TEST(test_fifo_times_empty)
{
	g_autoptr(RbFifo) fifo = rb_fifo_new(RB_SS, 4, 8 * RB_SS, NULL);
	RbWaiter waiter = {fifo, 4, 0, FALSE};
	RbFifoStats stats;
	GThread *thread;

	/* the first chunk's wait is the pre-fill's, not an underrun */
	thread = g_thread_new("test-consumer", rb_chunk_reader, &waiter);
	rb_wait_until_waiting(fifo, TRUE);
	rb_commit(fifo, 4 * RB_SS);
	g_thread_join(thread);
	rb_fifo_read_release(fifo, 4);
	rb_fifo_get_stats(fifo, &stats);
	ck_assert_uint_eq(stats.times_empty, 0);
	ck_assert_int_eq(stats.min_used, 0);

	thread = g_thread_new("test-consumer", rb_chunk_reader, &waiter);
	rb_wait_until_waiting(fifo, TRUE);
	rb_commit(fifo, 4 * RB_SS);
	g_thread_join(thread);
	rb_fifo_get_stats(fifo, &stats);
	ck_assert_uint_eq(stats.times_empty, 1);
}
END_TEST

/* the ring exists between rb_fifo_alloc_ring() and rb_fifo_free_ring() */
START_TEST(test_fifo_ring_lifetime)
{
	g_autoptr(RbFifo) fifo = rb_fifo_new_empty(RB_SS, RB_CHUNK, NULL);
	g_autoptr(GError) error = NULL;
	gsize size = rb_fifo_round_size(RB_SS, RB_CHUNK, 4 * 1024 * 1024);
	RbFifoStats stats;

	rb_fifo_get_stats(fifo, &stats);
	ck_assert_uint_eq(stats.size, 0);
	ck_assert_uint_eq(stats.ring_size, 0);
	ck_assert(rb_fifo_alloc_ring(fifo, 4 * 1024 * 1024, &error));
	ck_assert_uint_eq(rb_fifo_get_size(fifo), size);
	rb_commit(fifo, 10 * RB_SS);
	rb_fifo_get_stats(fifo, &stats);
	ck_assert_uint_eq(stats.size, size);
	ck_assert_uint_eq(stats.used, 10 * RB_SS);
	rb_fifo_free_ring(fifo);
	rb_fifo_get_stats(fifo, &stats);
	ck_assert_uint_eq(stats.size, 0);
	ck_assert_uint_eq(stats.used, 0);
	ck_assert_uint_eq(stats.ring_size, size);
	ck_assert_uint_eq(stats.bytes_in, 10 * RB_SS);
}
END_TEST

int
main(int argc, char **argv)
{
	Suite *suite = suite_create("fifo");
	TCase *tc = tcase_create("fifo");

	tcase_set_timeout(tc, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_test(tc, test_fifo_geometry);
	tcase_add_test(tc, test_fifo_partial_and_wrap);
	tcase_add_test(tc, test_fifo_threads_integrity);
	tcase_add_test(tc, test_fifo_cancel_wakes_both);
	tcase_add_test(tc, test_fifo_cancelled_before);
	tcase_add_test(tc, test_fifo_fail_wakes_other_side);
	tcase_add_test(tc, test_fifo_wakes_consumer_per_chunk);
	tcase_add_test(tc, test_fifo_wakes_producer_per_refill);
	tcase_add_test(tc, test_fifo_low_water_mark);
	tcase_add_test(tc, test_fifo_times_empty);
	tcase_add_test(tc, test_fifo_ring_lifetime);
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
