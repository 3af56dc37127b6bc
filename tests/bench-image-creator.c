/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `make bench`: the service producing a 700 MB image. rawburnd (as a
 * service runs it) on a private bus; a client adds one 700 MB Mode 1 track
 * (a sparse file on tmpfs) to a new image creator, calls CreateResultImage
 * and reads the whole stream from the pipe. After a warm-up image, --runs
 * images: the stream's rate in MB/s of track data, and how far rawburnd's
 * RSS rose above its level before the call (samples every 64 MiB read),
 * medians with min–max. Numbers only: nothing is asserted on them.
 */
#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "rb-bench-daemon.h"
#include "rb-error.h"

#define RB_BENCH_TRACK_BYTES (700ull * 1000 * 1000 / 2048 * 2048)
#define RB_BENCH_MODE1 2
#define RB_BENCH_READ (1 << 20)
#define RB_BENCH_SAMPLE_EVERY (64ull << 20)

typedef struct {
	RbBench *bench;
} RbBenchArgs;

/* a new creator with the track: its object path */
static gchar *
rb_bench_creator_new(RbBenchDaemon *daemon, const gchar *track)
{
	g_autoptr(GVariant) created = NULL;
	g_autoptr(GUnixFDList) fds = NULL;
	g_autofree gchar *message = NULL;
	g_autofree gchar *failed = NULL;
	gchar *creator = NULL;
	gint fd = open(track, O_RDONLY | O_CLOEXEC);

	ck_assert_msg(fd >= 0, "cannot open %s", track);
	created = rb_test_client_call_reply(
		daemon->client, RB_DBUS_MANAGER_PATH, RB_TEST_MANAGER, "CreateImageCreator", NULL);
	g_variant_get(created, "(o)", &creator);
	fds = rb_test_fd_list_new(fd);
	close(fd);
	failed = rb_test_client_call(daemon->client,
				     creator,
				     "org.rawburn.RawBurn1.RawCDImageCreator",
				     "AddTrack",
				     g_variant_new("(uh)", RB_BENCH_MODE1, 0),
				     fds,
				     &message);
	ck_assert_msg(failed == NULL, "AddTrack: %s %s", failed, message);
	return creator;
}

/* reads the creator's whole stream: seconds; *@rss_rise_kib the highest
 * RSS sample above the one before the call */
static gdouble
rb_bench_produce(RbBenchDaemon *daemon, const gchar *creator, guint64 *rss_rise_kib)
{
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GUnixFDList) out_fds = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree guint8 *buf = g_malloc(RB_BENCH_READ);
	RbBenchProcSample before;
	RbBenchProcSample sample;
	guint64 total = 0;
	guint64 next_sample = RB_BENCH_SAMPLE_EVERY;
	guint64 max_rss;
	gint64 start_us;
	gint64 size = 0;
	gint fd;

	rb_bench_daemon_sample(daemon, &before);
	max_rss = before.rss_kib;
	start_us = g_get_monotonic_time();
	reply = g_dbus_connection_call_with_unix_fd_list_sync(
		daemon->client->connection,
		RB_DBUS_NAME,
		creator,
		"org.rawburn.RawBurn1.RawCDImageCreator",
		"CreateResultImage",
		NULL,
		G_VARIANT_TYPE("(hx)"),
		G_DBUS_CALL_FLAGS_NONE,
		-1,
		NULL,
		&out_fds,
		NULL,
		&error);
	ck_assert_msg(reply != NULL, "CreateResultImage: %s", error ? error->message : "");
	g_variant_get(reply, "(hx)", NULL, &size);
	fd = g_unix_fd_list_get(out_fds, 0, NULL);
	for (;;) {
		gssize n = read(fd, buf, RB_BENCH_READ);

		if (n <= 0)
			break;
		total += (guint64)n;
		if (total >= next_sample) {
			rb_bench_daemon_sample(daemon, &sample);
			max_rss = MAX(max_rss, sample.rss_kib);
			next_sample += RB_BENCH_SAMPLE_EVERY;
		}
	}
	close(fd);
	ck_assert_msg((gint64)total == size,
		      "read %" G_GUINT64_FORMAT " of %" G_GINT64_FORMAT " bytes",
		      total,
		      size);
	*rss_rise_kib = max_rss - before.rss_kib;
	return (gdouble)(g_get_monotonic_time() - start_us) / G_USEC_PER_SEC;
}

static void
rb_bench_image_creator(gpointer data)
{
	RbBenchArgs *args = data;
	RbBenchDaemon *daemon = rb_bench_daemon_new(1, "media=cd-r-80,realtime=false");
	g_autofree gchar *track = g_build_filename(daemon->service->tmpdir, "track.bin", NULL);
	RbBenchFigure *rate = rb_bench_figure_new(
		args->bench, "image creator, 700 MB Mode 1 image", "MB/s of track data", NULL);
	RbBenchFigure *rss = rb_bench_figure_new(
		args->bench, "image creator, rawburnd RSS rise while producing", "KiB", NULL);
	gint fd = open(track, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	ck_assert_msg(fd >= 0 && ftruncate(fd, (off_t)RB_BENCH_TRACK_BYTES) == 0,
		      "cannot make %s",
		      track);
	close(fd);
	/* run 0 warms up and is not counted */
	for (guint run = 0; run <= rb_bench_get_runs(args->bench); run++) {
		g_autofree gchar *creator = rb_bench_creator_new(daemon, track);
		guint64 rise = 0;
		gdouble seconds = rb_bench_produce(daemon, creator, &rise);

		if (run > 0) {
			rb_bench_figure_add(rate, (gdouble)RB_BENCH_TRACK_BYTES / seconds / 1e6);
			rb_bench_figure_add(rss, (gdouble)rise);
		}
	}
	g_unlink(track);
	rb_bench_daemon_free(daemon);
	rb_bench_figure_report(rate);
	rb_bench_figure_report(rss);
}

int
main(int argc, char **argv)
{
	RbBenchArgs args = {rb_bench_new(&argc, &argv)};
	gint status = rb_bench_run(rb_bench_image_creator, &args);

	rb_bench_free(args.bench);
	return status;
}
