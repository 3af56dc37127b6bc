/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `make bench`: verify rate against burn rate in the same run. A ~100 MB
 * raw stream is burned unpaced with Burn's Verify to a virtual recorder;
 * the Update signals' arrival times split the run into the write phase
 * (action 2 to action 3) and the read-back (action 4 to the reply). Medians
 * of a few runs, each on a fresh daemon and disc. Numbers only.
 */
#include "config.h"

#include <gio/gunixfdlist.h>
#include <stdio.h>
#include <unistd.h>

#include "rb-dao-stream.h"
#include "rb-error.h"
#include "rb-test-client.h"
#include "rb-test-service.h"

#define RB_BENCH_RUNS 3
/* ~100 MB of stream: the lead-in, 40,000 program sectors and the lead-out */
#define RB_BENCH_PROGRAM_SECTORS 40000
#define RB_BENCH_RECORDER RB_DBUS_RECORDERS_PATH "/virtual0"

typedef struct {
	gint64 writing_us;
	gint64 finishing_us;
	gint64 verifying_us;
	gint32 last_written;
	gint32 last_read;
	gint32 start_lba;
} RbBenchTimes;

static void
rb_bench_on_update(GDBusConnection *connection,
		   const gchar *sender,
		   const gchar *path,
		   const gchar *interface,
		   const gchar *signal,
		   GVariant *params,
		   gpointer user_data)
{
	RbBenchTimes *t = user_data;
	RbTestUpdate update;
	gint64 now = g_get_monotonic_time();

	rb_test_update_parse(params, &update);
	/* an Update shows the action current when it is sent: a fast
	 * phase may be skipped */
	if (update.action >= 2 && t->writing_us == 0)
		t->writing_us = now;
	if (update.action >= 3 && t->finishing_us == 0) {
		t->finishing_us = now;
		t->last_written = update.last_written;
		t->start_lba = update.start_lba;
	}
	if (update.action == 4) {
		if (t->verifying_us == 0)
			t->verifying_us = now;
		t->last_read = update.last_read;
	}
}

static gboolean
rb_bench_main(gint32 lba, guint8 *main_data, gpointer user_data, GError **error)
{
	for (guint i = 0; i < RB_CD_MAIN_SIZE; i++)
		main_data[i] = (guint8)(lba + i);
	return TRUE;
}

static gint
rb_bench_compare_double(gconstpointer a, gconstpointer b)
{
	gdouble x = *(const gdouble *)a;
	gdouble y = *(const gdouble *)b;

	return x < y ? -1 : x > y;
}

/* a Check test, as the test helpers assert with Check */
START_TEST(bench_verify)
{
	const RbDaoTrack tracks[] = {{0, RB_BENCH_PROGRAM_SECTORS}};
	const gchar *args[] = {"--virtual-recorder", "media=cd-r-80,realtime=false", NULL};
	g_autoptr(RbDaoStream) stream =
		rb_dao_stream_new(-22650, tracks, 1, 2, rb_bench_main, NULL, NULL, NULL);
	gint fd = rb_test_stream_to_file(stream);
	gdouble write_rates[RB_BENCH_RUNS];
	gdouble verify_rates[RB_BENCH_RUNS];
	gdouble verify_sectors[RB_BENCH_RUNS];

	for (guint run = 0; run < RB_BENCH_RUNS; run++) {
		g_autoptr(RbTestService) service = rb_test_service_new_bus();
		g_autoptr(RbTestClient) client = NULL;
		g_autoptr(GUnixFDList) fds = NULL;
		RbTestPending pending = {0};
		RbBenchTimes t = {0};
		gint64 end_us;
		guint id;

		rb_test_service_start_daemon(service, args);
		client = rb_test_client_new(service);
		rb_test_client_wait_for_drive(client, RB_BENCH_RECORDER);
		id = g_dbus_connection_signal_subscribe(client->connection,
							RB_DBUS_NAME,
							RB_TEST_FORMAT,
							"Update",
							RB_BENCH_RECORDER,
							NULL,
							G_DBUS_SIGNAL_FLAGS_NONE,
							rb_bench_on_update,
							&t,
							NULL);
		lseek(fd, 0, SEEK_SET);
		fds = rb_test_fd_list_new(fd);
		rb_test_client_call_async(client,
					  RB_BENCH_RECORDER,
					  RB_TEST_FORMAT,
					  "Burn",
					  g_variant_new_parsed("(@h 0, {'Verify': <true>})"),
					  fds,
					  &pending);
		rb_test_pending_wait(&pending);
		end_us = g_get_monotonic_time();
		ck_assert_msg(
			pending.error_name == NULL, "%s: %s", pending.error_name, pending.message);
		/* stream bytes sent from the lead-in start; main channel + Q read back */
		write_rates[run] = (gdouble)((gint64)t.last_written - t.start_lba + 1) * 2448 /
				   (gdouble)(t.finishing_us - t.writing_us);
		verify_sectors[run] = (gdouble)t.last_read + 150 + 1;
		verify_rates[run] = verify_sectors[run] * 2368 / (gdouble)(end_us - t.verifying_us);
		rb_test_signal_unsubscribe(client->connection, id);
		rb_test_pending_clear(&pending);
		rb_test_service_stop_daemon(service);
	}
	qsort(write_rates, RB_BENCH_RUNS, sizeof(gdouble), rb_bench_compare_double);
	qsort(verify_rates, RB_BENCH_RUNS, sizeof(gdouble), rb_bench_compare_double);
	/* bytes per microsecond are MB/s */
	fflush(stdout);
	printf("verify vs burn (virtual recorder, unpaced, %d program sectors, median of %d): "
	       "write %.0f MB/s, verify %.0f MB/s (%.0f sectors read back), ratio %.2f\n",
	       RB_BENCH_PROGRAM_SECTORS,
	       RB_BENCH_RUNS,
	       write_rates[RB_BENCH_RUNS / 2],
	       verify_rates[RB_BENCH_RUNS / 2],
	       verify_sectors[0],
	       verify_rates[RB_BENCH_RUNS / 2] / write_rates[RB_BENCH_RUNS / 2]);
	fflush(stdout);
	close(fd);
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("bench-verify");
	TCase *tc = tcase_create("bench");

	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, bench_verify);
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
