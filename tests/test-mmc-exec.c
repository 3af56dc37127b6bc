/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The retry engine against the scripted transport and a fake clock: busy
 * backoff and its bound, unit attentions, sense -> error, timeouts per
 * command, cancellation and the finishing poll. Nothing here really sleeps
 * except the one test of the real clock.
 */
#include "config.h"

#include <string.h>

#include "rb-mmc-device.h"
#include "rb-mmc-exec.h"
#include "rb-test-fake-transport.h"
#include "rb-test-service.h"

typedef struct {
	gint64 now;
	GArray *sleeps; /* guint64 us */
	GCancellable *cancel_on_sleep;
} RbFakeClock;

static gint64
rb_fake_clock_now(gpointer user_data)
{
	RbFakeClock *clock = user_data;
	return clock->now;
}

static void
rb_fake_clock_sleep(guint64 usec, gpointer user_data)
{
	RbFakeClock *clock = user_data;

	clock->now += (gint64)usec;
	g_array_append_val(clock->sleeps, usec);
	if (clock->cancel_on_sleep != NULL)
		g_cancellable_cancel(clock->cancel_on_sleep);
}

static RbFakeClock rb_clock;
static RbMmcEnv rb_env;
static RbTestFakeTransport *rb_fake;

/* a fresh fake drive and clock for every test; the clock starts far from
 * zero so that nothing depends on it starting at 0 */
static void
rb_setup(void)
{
	rb_clock.now = 123456789;
	rb_clock.sleeps = g_array_new(FALSE, TRUE, sizeof(guint64));
	rb_clock.cancel_on_sleep = NULL;
	rb_env.now_us = rb_fake_clock_now;
	rb_env.sleep_us = rb_fake_clock_sleep;
	rb_env.user_data = &rb_clock;
	rb_env.cancellable = NULL;
	rb_fake = rb_test_fake_transport_new();
}

static void
rb_teardown(void)
{
	g_clear_object(&rb_fake);
	g_clear_pointer(&rb_clock.sleeps, g_array_unref);
	g_clear_object(&rb_clock.cancel_on_sleep);
}

static guint64
rb_sleep_at(guint i)
{
	return g_array_index(rb_clock.sleeps, guint64, i);
}

static guint64
rb_sleep_total(void)
{
	guint64 total = 0;

	for (guint i = 0; i < rb_clock.sleeps->len; i++)
		total += rb_sleep_at(i);
	return total;
}

static gboolean
rb_exec_tur(RbMmcExecInfo *info, GError **error)
{
	RbMmcCdb cdb;

	rb_mmc_cdb_test_unit_ready(&cdb);
	return rb_mmc_exec(
		RB_MMC_TRANSPORT(rb_fake), &cdb, RB_MMC_DIR_NONE, NULL, 0, &rb_env, info, error);
}

static guint8 rb_write_data[2 * 2448];

static gboolean
rb_exec_write(RbMmcExecInfo *info, GError **error)
{
	RbMmcCdb cdb;

	rb_mmc_cdb_write_10(&cdb, -150, 2);
	return rb_mmc_exec(RB_MMC_TRANSPORT(rb_fake),
			   &cdb,
			   RB_MMC_DIR_OUT,
			   rb_write_data,
			   sizeof(rb_write_data),
			   &rb_env,
			   info,
			   error);
}

START_TEST(test_timeouts)
{
	RbMmcCdb cdb;

	rb_mmc_cdb_test_unit_ready(&cdb);
	ck_assert_uint_eq(rb_mmc_command_timeout_ms(&cdb), 30000);
	rb_mmc_cdb_mode_select_10(&cdb, 60);
	ck_assert_uint_eq(rb_mmc_command_timeout_ms(&cdb), 30000);
	rb_mmc_cdb_write_10(&cdb, -11077, 26);
	ck_assert_uint_eq(rb_mmc_command_timeout_ms(&cdb), 200000);
	rb_mmc_cdb_synchronize_cache(&cdb, TRUE);
	ck_assert_uint_eq(rb_mmc_command_timeout_ms(&cdb), 200000);
	rb_mmc_cdb_synchronize_cache(&cdb, FALSE);
	ck_assert_uint_eq(rb_mmc_command_timeout_ms(&cdb), 3600000);
	rb_mmc_cdb_blank(&cdb, RB_MMC_BLANK_MINIMAL, 0, TRUE);
	ck_assert_uint_eq(rb_mmc_command_timeout_ms(&cdb), 200000);
	rb_mmc_cdb_blank(&cdb, RB_MMC_BLANK_FULL, 0, FALSE);
	ck_assert_uint_eq(rb_mmc_command_timeout_ms(&cdb), 5 * 3600 * 1000);
	rb_mmc_cdb_send_opc_information(&cdb, TRUE);
	ck_assert_uint_eq(rb_mmc_command_timeout_ms(&cdb), 200000);
	rb_mmc_cdb_start_stop_unit(&cdb, TRUE, TRUE, FALSE);
	ck_assert_uint_eq(rb_mmc_command_timeout_ms(&cdb), 300000);
	rb_mmc_cdb_start_stop_unit(&cdb, TRUE, TRUE, TRUE);
	ck_assert_uint_eq(rb_mmc_command_timeout_ms(&cdb), 30000);
	rb_mmc_cdb_start_stop_unit(&cdb, TRUE, FALSE, FALSE);
	ck_assert_uint_eq(rb_mmc_command_timeout_ms(&cdb), 30000);
}
END_TEST

START_TEST(test_timeout_reaches_transport)
{
	rb_test_fake_transport_push_good(rb_fake, NULL, 0);
	ck_assert(rb_exec_write(NULL, NULL));
	ck_assert_uint_eq(rb_test_fake_transport_get_command(rb_fake, 0)->timeout_ms, 200000);
}
END_TEST

START_TEST(test_backoff_sequence)
{
	static const guint64 write_delays[] = {2000, 4000, 8000, 16000, 32000, 60000, 60000};
	static const guint64 other_delays[] = {
		100000,
		200000,
		400000,
		800000,
		1600000,
		2000000,
		2000000,
	};

	for (guint i = 0; i < G_N_ELEMENTS(write_delays); i++)
		ck_assert_uint_eq(rb_mmc_busy_backoff_us(RB_MMC_WRITE_10, i), write_delays[i]);
	for (guint i = 0; i < G_N_ELEMENTS(other_delays); i++) {
		ck_assert_uint_eq(rb_mmc_busy_backoff_us(RB_MMC_TEST_UNIT_READY, i),
				  other_delays[i]);
		ck_assert_uint_eq(rb_mmc_busy_backoff_us(RB_MMC_SYNCHRONIZE_CACHE, i),
				  other_delays[i]);
	}
	ck_assert_uint_eq(rb_mmc_busy_backoff_us(RB_MMC_WRITE_10, 1000000), 60000);
	ck_assert_uint_eq(rb_mmc_busy_backoff_us(RB_MMC_MODE_SELECT_10, G_MAXUINT), 2000000);
}
END_TEST

/* the example: 02/04/08 twice, then the WRITE goes through */
START_TEST(test_write_busy_twice_then_success)
{
	g_autoptr(GError) error = NULL;
	RbMmcExecInfo info;

	memset(rb_write_data, 0x5A, sizeof(rb_write_data));
	rb_test_fake_transport_push_check(rb_fake, 0x02, 0x04, 0x08);
	rb_test_fake_transport_push_check(rb_fake, 0x02, 0x04, 0x08);
	rb_test_fake_transport_push_good(rb_fake, NULL, 0);
	ck_assert(rb_exec_write(&info, &error));
	ck_assert_ptr_null(error);
	ck_assert_uint_eq(info.attempts, 3);
	ck_assert(!info.check_condition);
	ck_assert_uint_eq(info.transferred, sizeof(rb_write_data));

	ck_assert_uint_eq(rb_test_fake_transport_get_n_commands(rb_fake), 3);
	for (guint i = 0; i < 3; i++) {
		const RbTestFakeCommand *c = rb_test_fake_transport_get_command(rb_fake, i);
		static const guint8 cdb[] = {0x2A, 0, 0xFF, 0xFF, 0xFF, 0x6A, 0, 0, 0x02, 0};

		ck_assert_uint_eq(c->cdb_len, 10);
		ck_assert_mem_eq(c->cdb, cdb, sizeof(cdb));
		ck_assert_uint_eq(c->direction, RB_MMC_DIR_OUT);
		ck_assert_uint_eq(g_bytes_get_size(c->data_out), sizeof(rb_write_data));
		ck_assert_mem_eq(g_bytes_get_data(c->data_out, NULL), rb_write_data, 2448);
	}
	/* 2 ms, then 4 ms */
	ck_assert_uint_eq(rb_clock.sleeps->len, 2);
	ck_assert_uint_eq(rb_sleep_at(0), 2000);
	ck_assert_uint_eq(rb_sleep_at(1), 4000);
}
END_TEST

/* the same through the typed call, with the real clock (6 ms of sleep) */
START_TEST(test_write_busy_real_clock)
{
	g_autoptr(GError) error = NULL;
	gint64 start = g_get_monotonic_time();

	rb_test_fake_transport_push_check(rb_fake, 0x02, 0x04, 0x08);
	rb_test_fake_transport_push_check(rb_fake, 0x02, 0x04, 0x08);
	rb_test_fake_transport_push_good(rb_fake, NULL, 0);
	ck_assert(rb_mmc_write_10(RB_MMC_TRANSPORT(rb_fake), -150, 2, rb_write_data, 2448, &error));
	ck_assert_ptr_null(error);
	ck_assert_uint_eq(rb_test_fake_transport_get_n_commands(rb_fake), 3);
	ck_assert_int_ge(g_get_monotonic_time() - start, 6000);
}
END_TEST

START_TEST(test_write_busy_forever)
{
	g_autoptr(GError) error = NULL;
	RbMmcExecInfo info;
	guint n_commands;

	rb_test_fake_transport_set_default_check(rb_fake, 0x02, 0x04, 0x08);
	ck_assert(!rb_exec_write(&info, &error));
	rb_assert_error(error, RB_ERROR, RB_ERROR_MEDIA_BUSY);
	ck_assert_ptr_nonnull(strstr(error->message, "WRITE(10): sense 02/04/08"));
	ck_assert(info.check_condition);
	ck_assert_uint_eq(info.sense.ascq, 0x08);

	/* bounded by the WRITE timeout of 200 s, sleeping at most 60 ms */
	n_commands = rb_test_fake_transport_get_n_commands(rb_fake);
	ck_assert_uint_eq(n_commands, rb_clock.sleeps->len + 1);
	ck_assert_uint_eq(info.attempts, n_commands);
	for (guint i = 0; i < rb_clock.sleeps->len; i++)
		ck_assert_uint_le(rb_sleep_at(i), 60000);
	ck_assert_uint_le(rb_sleep_total(), 200 * G_USEC_PER_SEC);
	ck_assert_uint_gt(rb_sleep_total() + 60000, 200 * G_USEC_PER_SEC);
	ck_assert_uint_gt(n_commands, 3000);
}
END_TEST

START_TEST(test_other_busy_forever)
{
	g_autoptr(GError) error = NULL;
	RbMmcExecInfo info;

	rb_test_fake_transport_set_default_check(rb_fake, 0x02, 0x04, 0x07);
	ck_assert(!rb_exec_tur(&info, &error));
	rb_assert_error(error, RB_ERROR, RB_ERROR_MEDIA_BUSY);
	/* 0.1 + 0.2 + 0.4 + 0.8 + 1.6 s, then 2 s steps within 30 s */
	ck_assert_uint_eq(rb_sleep_at(0), 100000);
	ck_assert_uint_eq(rb_sleep_at(4), 1600000);
	for (guint i = 5; i < rb_clock.sleeps->len; i++)
		ck_assert_uint_eq(rb_sleep_at(i), 2000000);
	ck_assert_uint_le(rb_sleep_total(), 30 * G_USEC_PER_SEC);
	ck_assert_uint_gt(rb_sleep_total() + 2000000, 30 * G_USEC_PER_SEC);
	ck_assert_uint_eq(rb_test_fake_transport_get_n_commands(rb_fake), rb_clock.sleeps->len + 1);
}
END_TEST

START_TEST(test_status_busy)
{
	g_autoptr(GError) error = NULL;

	rb_test_fake_transport_push_status(rb_fake, RB_SCSI_STATUS_BUSY);
	rb_test_fake_transport_push_status(rb_fake, RB_SCSI_STATUS_TASK_SET_FULL);
	rb_test_fake_transport_push_good(rb_fake, NULL, 0);
	ck_assert(rb_exec_tur(NULL, NULL));
	ck_assert_uint_eq(rb_test_fake_transport_get_n_commands(rb_fake), 3);

	/* a drive that stays BUSY: the command timed out */
	for (guint i = 0; i < 40; i++)
		rb_test_fake_transport_push_status(rb_fake, RB_SCSI_STATUS_BUSY);
	ck_assert(!rb_exec_tur(NULL, &error));
	rb_assert_error(error, RB_ERROR, RB_ERROR_COMMAND_TIMEOUT);
	ck_assert_uint_gt(rb_test_fake_transport_get_n_pending(rb_fake), 0);
}
END_TEST

START_TEST(test_unit_attention_once)
{
	g_autoptr(GError) error_reset = NULL;
	g_autoptr(GError) error_changed = NULL;
	g_autoptr(GError) error_write = NULL;

	/* a reset, then the command goes through */
	rb_test_fake_transport_push_check(rb_fake, 0x06, 0x29, 0x00);
	rb_test_fake_transport_push_good(rb_fake, NULL, 0);
	ck_assert(rb_exec_tur(NULL, NULL));
	ck_assert_uint_eq(rb_test_fake_transport_get_n_commands(rb_fake), 2);

	/* reset and medium change after it: each retried once */
	rb_test_fake_transport_push_check(rb_fake, 0x06, 0x29, 0x00);
	rb_test_fake_transport_push_check(rb_fake, 0x06, 0x28, 0x00);
	rb_test_fake_transport_push_good(rb_fake, NULL, 0);
	ck_assert(rb_exec_tur(NULL, NULL));
	ck_assert_uint_eq(rb_test_fake_transport_get_n_commands(rb_fake), 5);

	/* the same condition twice is an error */
	rb_test_fake_transport_push_check(rb_fake, 0x06, 0x29, 0x00);
	rb_test_fake_transport_push_check(rb_fake, 0x06, 0x29, 0x00);
	ck_assert(!rb_exec_tur(NULL, &error_reset));
	rb_assert_error(error_reset, RB_ERROR, RB_ERROR_UNEXPECTED_RESPONSE_FROM_DEVICE);
	ck_assert_uint_eq(rb_test_fake_transport_get_n_commands(rb_fake), 7);

	rb_test_fake_transport_push_check(rb_fake, 0x06, 0x28, 0x00);
	rb_test_fake_transport_push_check(rb_fake, 0x06, 0x28, 0x00);
	ck_assert(!rb_exec_tur(NULL, &error_changed));
	rb_assert_error(error_changed, RB_ERROR, RB_ERROR_MEDIA_BECOMING_READY);
	ck_assert_uint_eq(rb_test_fake_transport_get_n_commands(rb_fake), 9);

	/* never in the middle of a WRITE stream */
	rb_test_fake_transport_push_check(rb_fake, 0x06, 0x29, 0x00);
	ck_assert(!rb_exec_write(NULL, &error_write));
	rb_assert_error(error_write, RB_ERROR, RB_ERROR_UNEXPECTED_RESPONSE_FROM_DEVICE);
	ck_assert_uint_eq(rb_test_fake_transport_get_n_commands(rb_fake), 10);
	ck_assert_uint_eq(rb_clock.sleeps->len, 0);
}
END_TEST

START_TEST(test_check_condition_to_error)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) error_stream = NULL;
	RbMmcExecInfo info;

	rb_test_fake_transport_push_check(rb_fake, 0x02, 0x3A, 0x00);
	ck_assert(!rb_exec_tur(&info, &error));
	rb_assert_error(error, RB_ERROR, RB_ERROR_MEDIA_NO_MEDIA);
	ck_assert(info.check_condition);
	ck_assert_uint_eq(info.sense.key, 0x02);
	ck_assert_uint_eq(info.sense.asc, 0x3A);
	ck_assert_uint_eq(info.attempts, 1);

	rb_test_fake_transport_push_check(rb_fake, 0x03, 0x0C, 0x09);
	ck_assert(!rb_exec_write(&info, &error_stream));
	rb_assert_error(error_stream, RB_ERROR, RB_ERROR_LOSS_OF_STREAMING);
	ck_assert_ptr_nonnull(strstr(error_stream->message, "03/0C/09"));
	ck_assert_uint_eq(rb_clock.sleeps->len, 0);
}
END_TEST

START_TEST(test_recovered_error)
{
	RbMmcExecInfo info;

	rb_test_fake_transport_push_check(rb_fake, 0x01, 0x17, 0x01);
	ck_assert(rb_exec_tur(&info, NULL));
	ck_assert(!info.check_condition);
	ck_assert_uint_eq(info.attempts, 1);
}
END_TEST

START_TEST(test_transport_failure)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) error_timeout = NULL;
	RbMmcExecInfo info;

	/* never retried: the fate of the command is unknown */
	rb_test_fake_transport_push_failure(rb_fake, RB_ERROR_DEVICE_GONE);
	rb_test_fake_transport_push_good(rb_fake, NULL, 0);
	ck_assert(!rb_exec_write(&info, &error));
	rb_assert_error(error, RB_ERROR, RB_ERROR_DEVICE_GONE);
	ck_assert(!info.check_condition);
	ck_assert_uint_eq(rb_test_fake_transport_get_n_commands(rb_fake), 1);
	ck_assert_uint_eq(rb_test_fake_transport_get_n_pending(rb_fake), 1);
	ck_assert(rb_exec_tur(NULL, NULL));

	rb_test_fake_transport_push_failure(rb_fake, RB_ERROR_COMMAND_TIMEOUT);
	ck_assert(!rb_exec_tur(&info, &error_timeout));
	rb_assert_error(error_timeout, RB_ERROR, RB_ERROR_COMMAND_TIMEOUT);
}
END_TEST

START_TEST(test_other_status)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) error2 = NULL;
	g_autoptr(GError) error3 = NULL;
	const guint8 garbage[1] = {0x00};

	rb_test_fake_transport_push_status(rb_fake, RB_SCSI_STATUS_RESERVATION_CONFLICT);
	ck_assert(!rb_exec_tur(NULL, &error));
	rb_assert_error(error, RB_ERROR, RB_ERROR_LOCKED);

	rb_test_fake_transport_push_status(rb_fake, 0x40); /* TASK ABORTED */
	ck_assert(!rb_exec_tur(NULL, &error2));
	rb_assert_error(error2, RB_ERROR, RB_ERROR_UNEXPECTED_RESPONSE_FROM_DEVICE);
	ck_assert_ptr_nonnull(strstr(error2->message, "status 40h"));

	/* CHECK CONDITION whose sense cannot be decoded */
	rb_test_fake_transport_push_sense(rb_fake, garbage, sizeof(garbage));
	ck_assert(!rb_exec_tur(NULL, &error3));
	rb_assert_error(error3, RB_ERROR, RB_ERROR_INVALID_RESPONSE_FROM_DEVICE);
	ck_assert(g_str_has_prefix(error3->message, "0xC0AA02FF: "));
}
END_TEST

START_TEST(test_cancelled)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) error_busy = NULL;
	g_autoptr(GCancellable) cancellable = g_cancellable_new();

	rb_env.cancellable = cancellable;
	g_cancellable_cancel(cancellable);
	ck_assert(!rb_exec_write(NULL, &error));
	rb_assert_error(error, RB_ERROR, RB_ERROR_REQUEST_CANCELLED);
	ck_assert_uint_eq(rb_test_fake_transport_get_n_commands(rb_fake), 0);

	/* a cancel while backing off ends the loop at the next attempt */
	g_cancellable_reset(cancellable);
	rb_clock.cancel_on_sleep = g_object_ref(cancellable);
	rb_test_fake_transport_set_default_check(rb_fake, 0x02, 0x04, 0x08);
	ck_assert(!rb_exec_write(NULL, &error_busy));
	rb_assert_error(error_busy, RB_ERROR, RB_ERROR_REQUEST_CANCELLED);
	ck_assert_uint_eq(rb_test_fake_transport_get_n_commands(rb_fake), 1);
}
END_TEST

/* a real sleep, cut short by a cancel from another thread */
static gpointer
rb_cancel_soon(gpointer data)
{
	g_usleep(20000);
	g_cancellable_cancel(data);
	return NULL;
}

START_TEST(test_cancel_wakes_real_sleep)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	RbMmcEnv env = {.cancellable = cancellable};
	GThread *thread;
	gint64 start = g_get_monotonic_time();
	RbMmcCdb cdb;

	/* TUR backs off 0.1 s, 0.2 s, 0.4 s ... for up to 30 s */
	rb_test_fake_transport_set_default_check(rb_fake, 0x02, 0x04, 0x07);
	rb_mmc_cdb_test_unit_ready(&cdb);
	thread = g_thread_new("cancel", rb_cancel_soon, cancellable);
	ck_assert(!rb_mmc_exec(
		RB_MMC_TRANSPORT(rb_fake), &cdb, RB_MMC_DIR_NONE, NULL, 0, &env, NULL, &error));
	g_thread_join(thread);
	rb_assert_error(error, RB_ERROR, RB_ERROR_REQUEST_CANCELLED);
	ck_assert_int_lt(g_get_monotonic_time() - start, 5 * G_USEC_PER_SEC);
}
END_TEST

START_TEST(test_data_in_cleared_between_attempts)
{
	guint8 buffer[36];
	const guint8 reply[10] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
	RbMmcExecInfo info;
	RbMmcCdb cdb;

	memset(buffer, 0xAA, sizeof(buffer));
	rb_test_fake_transport_push_check(rb_fake, 0x06, 0x29, 0x00);
	rb_test_fake_transport_push_good(rb_fake, reply, sizeof(reply));
	rb_mmc_cdb_inquiry(&cdb, sizeof(buffer));
	ck_assert(rb_mmc_exec(RB_MMC_TRANSPORT(rb_fake),
			      &cdb,
			      RB_MMC_DIR_IN,
			      buffer,
			      sizeof(buffer),
			      &rb_env,
			      &info,
			      NULL));
	ck_assert_uint_eq(info.transferred, 10);
	ck_assert_mem_eq(buffer, reply, sizeof(reply));
	for (gsize i = sizeof(reply); i < sizeof(buffer); i++)
		ck_assert_uint_eq(buffer[i], 0);
}
END_TEST

typedef struct {
	GArray *fractions; /* gdouble */
} RbProgressLog;

static void
rb_progress_cb(gdouble fraction, gpointer user_data)
{
	RbProgressLog *log = user_data;
	g_array_append_val(log->fractions, fraction);
}

START_TEST(test_wait_until_ready)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GArray) fractions = g_array_new(FALSE, TRUE, sizeof(gdouble));
	RbProgressLog log = {fractions};
	guint8 sense[18];

	rb_test_fill_fixed_sense(sense, 0x02, 0x04, 0x08, 0x4000);
	rb_test_fake_transport_push_sense(rb_fake, sense, sizeof(sense));
	rb_test_fill_fixed_sense(sense, 0x02, 0x04, 0x07, 0x8000);
	rb_test_fake_transport_push_sense(rb_fake, sense, sizeof(sense));
	rb_test_fake_transport_push_check(rb_fake, 0x02, 0x04, 0x08);
	/* spinning up again after closing the session */
	rb_test_fake_transport_push_check(rb_fake, 0x02, 0x04, 0x01);
	rb_test_fake_transport_push_good(rb_fake, NULL, 0);

	ck_assert(rb_mmc_wait_until_ready(
		RB_MMC_TRANSPORT(rb_fake), &rb_env, 3600, rb_progress_cb, &log, &error));
	ck_assert_ptr_null(error);
	/* one TEST UNIT READY per poll, 50 ms apart at first, then backing off;
	 * half done after 50 ms, the drive needs 50 ms more: the poll after
	 * it comes then, not 100 ms later */
	ck_assert_uint_eq(rb_test_fake_transport_get_n_commands(rb_fake), 5);
	ck_assert_uint_eq(rb_test_fake_transport_count_opcode(rb_fake, RB_MMC_TEST_UNIT_READY), 5);
	ck_assert_uint_eq(rb_clock.sleeps->len, 4);
	ck_assert_uint_eq(rb_sleep_at(0), 50000);
	ck_assert_uint_eq(rb_sleep_at(1), 50000);
	ck_assert_uint_eq(rb_sleep_at(2), 200000);
	ck_assert_uint_eq(rb_sleep_at(3), 400000);
	ck_assert_uint_eq(fractions->len, 5);
	ck_assert_double_eq(g_array_index(fractions, gdouble, 0), 0.25);
	ck_assert_double_eq(g_array_index(fractions, gdouble, 1), 0.5);
	ck_assert_double_lt(g_array_index(fractions, gdouble, 2), 0.0);
	ck_assert_double_lt(g_array_index(fractions, gdouble, 3), 0.0);
	ck_assert_double_eq(g_array_index(fractions, gdouble, 4), 1.0);
}
END_TEST

/* a drive that reports its progress is polled when it says it will be
 * done: never later than the backoff, never sooner than 10 ms apart */
START_TEST(test_wait_until_ready_follows_progress)
{
	g_autoptr(GError) error = NULL;
	guint8 sense[18];

	/* no progress yet: the first interval */
	rb_test_fill_fixed_sense(sense, 0x02, 0x04, 0x08, 0x0000);
	rb_test_fake_transport_push_sense(rb_fake, sense, sizeof(sense));
	/* a quarter after 50 ms: 150 ms left, more than the 100 ms interval */
	rb_test_fill_fixed_sense(sense, 0x02, 0x04, 0x08, 0x4000);
	rb_test_fake_transport_push_sense(rb_fake, sense, sizeof(sense));
	/* three quarters after 150 ms: 50 ms left, less than 200 ms */
	rb_test_fill_fixed_sense(sense, 0x02, 0x04, 0x08, 0xC000);
	rb_test_fake_transport_push_sense(rb_fake, sense, sizeof(sense));
	/* all but done after 200 ms: no sooner than the 10 ms floor */
	rb_test_fill_fixed_sense(sense, 0x02, 0x04, 0x08, 0xFFFF);
	rb_test_fake_transport_push_sense(rb_fake, sense, sizeof(sense));
	rb_test_fake_transport_push_good(rb_fake, NULL, 0);

	ck_assert(rb_mmc_wait_until_ready(
		RB_MMC_TRANSPORT(rb_fake), &rb_env, 3600, NULL, NULL, &error));
	ck_assert_ptr_null(error);
	ck_assert_uint_eq(rb_test_fake_transport_count_opcode(rb_fake, RB_MMC_TEST_UNIT_READY), 5);
	ck_assert_uint_eq(rb_clock.sleeps->len, 4);
	ck_assert_uint_eq(rb_sleep_at(0), 50000);
	ck_assert_uint_eq(rb_sleep_at(1), 100000);
	ck_assert_uint_eq(rb_sleep_at(2), 50000);
	ck_assert_uint_eq(rb_sleep_at(3), RB_MMC_FINISH_POLL_MIN_US);
	ck_assert_uint_eq(rb_sleep_total(), 210000);
}
END_TEST

/* a progress that stops moving near its end no longer shortens the poll:
 * the backoff holds, instead of polling at the floor until it is done */
START_TEST(test_wait_until_ready_stuck_progress)
{
	g_autoptr(GError) error = NULL;
	guint8 sense[18];

	for (guint i = 0; i < 3; i++) {
		rb_test_fill_fixed_sense(sense, 0x02, 0x04, 0x08, 0xFFF0);
		rb_test_fake_transport_push_sense(rb_fake, sense, sizeof(sense));
	}
	rb_test_fake_transport_push_good(rb_fake, NULL, 0);

	ck_assert(rb_mmc_wait_until_ready(
		RB_MMC_TRANSPORT(rb_fake), &rb_env, 3600, NULL, NULL, &error));
	ck_assert_ptr_null(error);
	ck_assert_uint_eq(rb_clock.sleeps->len, 3);
	/* the first poll has nothing to go by; the next two see no movement */
	ck_assert_uint_eq(rb_sleep_at(0), RB_MMC_FINISH_POLL_FIRST_US);
	ck_assert_uint_eq(rb_sleep_at(1), 2 * RB_MMC_FINISH_POLL_FIRST_US);
	ck_assert_uint_eq(rb_sleep_at(2), 4 * RB_MMC_FINISH_POLL_FIRST_US);
}
END_TEST

START_TEST(test_wait_until_ready_bounded)
{
	g_autoptr(GError) error = NULL;

	rb_test_fake_transport_set_default_check(rb_fake, 0x02, 0x04, 0x08);
	ck_assert(!rb_mmc_wait_until_ready(
		RB_MMC_TRANSPORT(rb_fake), &rb_env, 10, NULL, NULL, &error));
	rb_assert_error(error, RB_ERROR, RB_ERROR_MEDIA_BUSY);
	ck_assert_ptr_nonnull(strstr(error->message, "10 s"));
	/* polls at 0, 0.05, 0.15, 0.35, 0.75, 1.55 s, then every second up to
	 * 9.55 s: none after the 10 s are over */
	ck_assert_uint_eq(rb_test_fake_transport_get_n_commands(rb_fake), 14);
	ck_assert_uint_eq(rb_sleep_at(4), 800000);
	ck_assert_uint_eq(rb_sleep_at(5), 1000000);
	ck_assert_uint_eq(rb_sleep_total(), 9550000);
}
END_TEST

START_TEST(test_wait_until_ready_other_error)
{
	g_autoptr(GError) error = NULL;

	rb_test_fake_transport_push_check(rb_fake, 0x02, 0x04, 0x07);
	rb_test_fake_transport_push_check(rb_fake, 0x03, 0x0C, 0x00);
	ck_assert(!rb_mmc_wait_until_ready(
		RB_MMC_TRANSPORT(rb_fake), &rb_env, 3600, NULL, NULL, &error));
	rb_assert_error(error, RB_ERROR, RB_ERROR_UNEXPECTED_RESPONSE_FROM_DEVICE);
	ck_assert_ptr_nonnull(strstr(error->message, "03/0C/00"));
	ck_assert_uint_eq(rb_test_fake_transport_get_n_commands(rb_fake), 2);
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("mmc-exec");
	TCase *tc = tcase_create("exec");
	TCase *tc_poll = tcase_create("finish-poll");

	tcase_add_checked_fixture(tc, rb_setup, rb_teardown);
	tcase_add_test(tc, test_timeouts);
	tcase_add_test(tc, test_timeout_reaches_transport);
	tcase_add_test(tc, test_backoff_sequence);
	tcase_add_test(tc, test_write_busy_twice_then_success);
	tcase_add_test(tc, test_write_busy_real_clock);
	tcase_add_test(tc, test_write_busy_forever);
	tcase_add_test(tc, test_other_busy_forever);
	tcase_add_test(tc, test_status_busy);
	tcase_add_test(tc, test_unit_attention_once);
	tcase_add_test(tc, test_check_condition_to_error);
	tcase_add_test(tc, test_recovered_error);
	tcase_add_test(tc, test_transport_failure);
	tcase_add_test(tc, test_other_status);
	tcase_add_test(tc, test_cancelled);
	tcase_add_test(tc, test_cancel_wakes_real_sleep);
	tcase_add_test(tc, test_data_in_cleared_between_attempts);
	suite_add_tcase(suite, tc);
	tcase_add_checked_fixture(tc_poll, rb_setup, rb_teardown);
	tcase_add_test(tc_poll, test_wait_until_ready);
	tcase_add_test(tc_poll, test_wait_until_ready_follows_progress);
	tcase_add_test(tc_poll, test_wait_until_ready_stuck_progress);
	tcase_add_test(tc_poll, test_wait_until_ready_bounded);
	tcase_add_test(tc_poll, test_wait_until_ready_other_error);
	suite_add_tcase(suite, tc_poll);
	return rb_test_run_suite(suite);
}
