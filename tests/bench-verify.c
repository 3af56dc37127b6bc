/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `make bench`: verify rate against burn rate in the same run. A ~100 MB
 * raw stream is burned unpaced with Burn's Verify to a virtual recorder;
 * the Update signals' arrival times split the run into the write phase
 * (action 2 to action 3) and the read-back (action 4 to the reply). After a
 * warm-up burn, --runs burns on one rawburnd (as a service runs it), a
 * blank disc each: rates as medians with min–max, the verify's ratio to
 * the write of the same burn taken burn by burn. Numbers only.
 */
#include "config.h"

#include <gio/gunixfdlist.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "rb-dao-stream.h"
#include "rb-error.h"
#include "rb-bench-daemon.h"

/* ~100 MB of stream: the lead-in, 40,000 program sectors and the lead-out */
#define RB_BENCH_PROGRAM_SECTORS 40000
#define RB_BENCH_RECORDER RB_DBUS_RECORDERS_PATH "/virtual0"

typedef struct {
	RbBench *bench;
} RbBenchArgs;

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

static void
rb_bench_verify(gpointer data)
{
	RbBenchArgs *args = data;
	const RbDaoTrack tracks[] = {{0, RB_BENCH_PROGRAM_SECTORS}};
	g_autoptr(RbDaoStream) stream =
		rb_dao_stream_new(-22650, tracks, 1, 2, rb_bench_main, NULL, NULL, NULL);
	gint fd = rb_test_stream_to_file(stream);
	RbBenchDaemon *daemon = rb_bench_daemon_new(1, "media=cd-r-80,realtime=false");
	RbBenchFigure *write_rate = rb_bench_figure_new(
		args->bench, "unpaced Burn with Verify: write phase", "MB/s", NULL);
	RbBenchFigure *verify_rate = rb_bench_figure_new(
		args->bench, "unpaced Burn with Verify: read-back", "MB/s", "write");

	/* run 0 warms up and is not counted */
	for (guint run = 0; run <= rb_bench_get_runs(args->bench); run++) {
		g_autoptr(GUnixFDList) fds = NULL;
		RbTestPending pending = {0};
		RbBenchTimes t = {0};
		gdouble write_mbs;
		gint64 end_us;
		guint id;

		id = g_dbus_connection_signal_subscribe(daemon->client->connection,
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
		rb_test_client_call_async(daemon->client,
					  RB_BENCH_RECORDER,
					  RB_TEST_FORMAT,
					  "Burn",
					  g_variant_new_parsed("(@h 0, {'Verify': <true>})"),
					  fds,
					  &pending);
		while (!pending.done)
			g_main_context_iteration(NULL, TRUE);
		end_us = g_get_monotonic_time();
		ck_assert_msg(
			pending.error_name == NULL, "%s: %s", pending.error_name, pending.message);
		/* stream bytes sent from the lead-in start; main channel + Q read
		 * back; bytes per microsecond are MB/s */
		write_mbs = (gdouble)((gint64)t.last_written - t.start_lba + 1) * 2448 /
			    (gdouble)(t.finishing_us - t.writing_us);
		if (run > 0) {
			rb_bench_figure_add(write_rate, write_mbs);
			rb_bench_figure_add_pair(verify_rate,
						 ((gdouble)t.last_read + 150 + 1) * 2368 /
							 (gdouble)(end_us - t.verifying_us),
						 write_mbs);
		}
		rb_test_signal_unsubscribe(daemon->client->connection, id);
		rb_test_pending_clear(&pending);
		rb_bench_daemon_reload(daemon, 0);
	}
	close(fd);
	rb_bench_daemon_free(daemon);
	rb_bench_figure_report(write_rate);
	rb_bench_figure_report(verify_rate);
}

int
main(int argc, char **argv)
{
	RbBenchArgs args = {rb_bench_new(&argc, &argv)};
	gint status = rb_bench_run(rb_bench_verify, &args);

	rb_bench_free(args.bench);
	return status;
}
