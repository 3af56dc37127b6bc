/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `make bench`: the write job's unpaced throughput. A ~700 MB raw image
 * (sector type 3) on tmpfs; the job reads it from a pipe a thread fills
 * from the file, and writes it to an emulated drive (not paced) whose disc
 * lives in an unlinked file on the same tmpfs; timed from PREPARING to the
 * start of FINISHING (the drive's finishing is no throughput). Beside each
 * run, as baselines of the same bytes on the same tmpfs: `dd bs=1M` from
 * the image to a file, and `cat image | dd bs=1M` to a file (a pipe in
 * between, as the job has). After a warm-up run, --runs runs of each,
 * interleaved; the job's MB/s as median with min–max and its ratios to
 * each baseline taken run by run. Numbers only: nothing is asserted.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "rb-bench.h"
#include "rb-dao-stream.h"
#include "rb-mmc-cdb.h"
#include "rb-vdrive-transport.h"
#include "rb-write-job.h"

/* cd-r-80's lead-in start: the drive's, so nothing is skipped */
#define RB_BENCH_LEADIN (-11634)
#define RB_BENCH_BYTES (700 * 1000 * 1000)
#define RB_BENCH_COPY (1024 * 1024)

static gboolean
rb_bench_main(gint32 lba, guint8 *main_data, gpointer user_data, GError **error)
{
	for (guint i = 0; i < RB_CD_MAIN_SIZE; i++)
		main_data[i] = (guint8)(lba + i * 3);
	return TRUE;
}

static gboolean
rb_bench_make_image(const gchar *path, guint64 *size, GError **error)
{
	g_autoptr(RbDaoStream) stream = NULL;
	g_autofree guint8 *buf = g_malloc(512 * 2448);
	RbDaoTrack track = {0, 0};
	gint fd;

	/* the program area that makes the whole stream about RB_BENCH_BYTES */
	track.length = (guint32)(RB_BENCH_BYTES / 2448 + RB_BENCH_LEADIN - RB_DAO_LEADOUT_SECTORS -
				 RB_DAO_PREGAP_SECTORS);
	stream = rb_dao_stream_new(RB_BENCH_LEADIN, &track, 1, 3, rb_bench_main, NULL, NULL, error);
	if (stream == NULL)
		return FALSE;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		g_set_error(error,
			    G_IO_ERROR,
			    g_io_error_from_errno(errno),
			    "%s: %s",
			    path,
			    g_strerror(errno));
		return FALSE;
	}
	for (gint32 lba = RB_BENCH_LEADIN; lba < rb_dao_stream_get_end_lba(stream);) {
		guint n = (guint)MIN(512, rb_dao_stream_get_end_lba(stream) - lba);

		if (!rb_dao_stream_get_sectors(stream, lba, n, buf, error) ||
		    write(fd, buf, n * 2448) != (gssize)(n * 2448)) {
			close(fd);
			if (error != NULL && *error == NULL)
				g_set_error(error,
					    G_IO_ERROR,
					    G_IO_ERROR_FAILED,
					    "cannot write %s",
					    path);
			return FALSE;
		}
		lba += (gint32)n;
	}
	*size = (guint64)rb_dao_stream_get_n_sectors(stream) * 2448;
	close(fd);
	return TRUE;
}

typedef struct {
	gboolean done;
	GError *error;
} RbBenchRun;

static void
rb_bench_done_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	RbBenchRun *run = user_data;

	rb_write_job_run_finish(RB_WRITE_JOB(source), result, &run->error);
	run->done = TRUE;
}

/* the client's side of the pipe: the image file, as cat sends it */
typedef struct {
	const gchar *path;
	gint fd;
} RbBenchFeeder;

static gpointer
rb_bench_feed(gpointer user_data)
{
	RbBenchFeeder *feeder = user_data;
	g_autofree guint8 *buf = g_malloc(RB_BENCH_COPY);
	gint in = open(feeder->path, O_RDONLY | O_CLOEXEC);
	gssize n;

	while (in >= 0 && (n = read(in, buf, RB_BENCH_COPY)) > 0) {
		/* a failed job closed its end: its error says why */
		if (write(feeder->fd, buf, (gsize)n) != n)
			break;
	}
	if (in >= 0)
		close(in);
	close(feeder->fd);
	return NULL;
}

/* seconds the job took from PREPARING to the start of FINISHING */
static gdouble
rb_bench_burn(const gchar *image, GError **error)
{
	g_autoptr(RbVirtualSpec) spec =
		rb_virtual_spec_parse("media=cd-r-80,realtime=false", error);
	g_autoptr(RbVdrive) drive = NULL;
	g_autoptr(RbMmcTransport) transport = NULL;
	g_autoptr(RbWriteJob) job = NULL;
	RbBenchRun run = {FALSE, NULL};
	RbWriteJobParams params = {0};
	RbBenchFeeder feeder = {image, -1};
	GThread *thread;
	gdouble seconds;
	gint64 start;
	gint fds[2];

	if (spec == NULL || !g_unix_open_pipe(fds, FD_CLOEXEC, error))
		return -1;
	/* the disc's unlinked backing file goes to TMPDIR: tmpfs */
	drive = rb_vdrive_new(spec);
	transport = rb_vdrive_transport_new(drive);
	params.fd = fds[0];
	params.stream_first_lba = rb_vdrive_get_leadin_start(drive);
	params.sector_type = 3;
	params.leadin_start_lba = rb_vdrive_get_leadin_start(drive);
	params.last_leadout_start_lba = rb_vdrive_get_last_leadout_start(drive);
	params.bufe = TRUE;
	params.write_speed_kbps = RB_MMC_SPEED_MAX;
	params.rotation = RB_MMC_ROTATION_CLV;
	job = rb_write_job_new(transport, &params, error);
	close(fds[0]);
	if (job == NULL) {
		close(fds[1]);
		return -1;
	}
	/* the drive's two one-second finishing polls are not throughput */
	rb_write_job_set_time_scale(job, 0.001);
	feeder.fd = fds[1];
	start = g_get_monotonic_time();
	thread = g_thread_new("bench-feeder", rb_bench_feed, &feeder);
	rb_write_job_run_async(job, NULL, rb_bench_done_cb, &run);
	/* the FINISHING action starts after both threads stopped */
	while (!run.done) {
		RbWriteProgress p;

		rb_write_job_get_progress(job, &p);
		if (p.action == RB_WRITE_ACTION_FINISHING)
			break;
		g_main_context_iteration(NULL, FALSE);
		g_usleep(1000);
	}
	seconds = (gdouble)(g_get_monotonic_time() - start) / G_USEC_PER_SEC;
	while (!run.done)
		g_main_context_iteration(NULL, TRUE);
	g_thread_join(thread);
	if (run.error != NULL) {
		g_propagate_error(error, run.error);
		return -1;
	}
	return seconds;
}

int
main(int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *dir = NULL;
	g_autofree gchar *image = NULL;
	g_autofree gchar *copy = NULL;
	RbBench *bench = rb_bench_new(&argc, &argv);
	RbBenchFigure *vs_dd;
	RbBenchFigure *vs_cat_dd;
	guint64 size = 0;
	gdouble mb;
	gint status = EXIT_SUCCESS;

	/* before anything reads it: the virtual disc's file on tmpfs too */
	g_setenv("TMPDIR", rb_bench_tmpfs_dir(), TRUE);
	signal(SIGPIPE, SIG_IGN);
	dir = g_dir_make_tmp("rawburn-bench-write-XXXXXX", &error);
	if (dir == NULL) {
		g_printerr("bench-write-job: %s\n", error->message);
		return EXIT_FAILURE;
	}
	image = g_build_filename(dir, "image.raw", NULL);
	copy = g_build_filename(dir, "copy.raw", NULL);
	if (!rb_bench_make_image(image, &size, &error)) {
		g_printerr("bench-write-job: %s\n", error->message);
		g_unlink(image);
		g_rmdir(dir);
		return EXIT_FAILURE;
	}
	mb = (gdouble)size / 1e6;
	vs_dd = rb_bench_figure_new(
		bench, "unpaced write job, pipe to virtual recorder, vs dd", "MB/s", "dd");
	vs_cat_dd = rb_bench_figure_new(bench,
					"unpaced write job, pipe to virtual recorder, vs cat | dd",
					"MB/s",
					"cat | dd");
	rb_bench_figure_set_target(vs_dd, "≥ 0.6× dd");
	/* run 0 warms up: the page cache, the code, the tmpfs pages */
	for (guint run = 0; run <= rb_bench_get_runs(bench); run++) {
		gdouble t_job = rb_bench_burn(image, &error);
		gdouble t_dd = t_job >= 0 ? rb_bench_dd(image, NULL, copy, &error) : -1;
		gdouble t_cat_dd;

		g_unlink(copy);
		t_cat_dd = t_dd >= 0 ? rb_bench_dd(NULL, image, copy, &error) : -1;
		g_unlink(copy);
		if (t_cat_dd < 0) {
			g_printerr("bench-write-job: %s\n", error->message);
			status = EXIT_FAILURE;
			break;
		}
		if (run > 0) {
			rb_bench_figure_add_pair(vs_dd, mb / t_job, mb / t_dd);
			rb_bench_figure_add_pair(vs_cat_dd, mb / t_job, mb / t_cat_dd);
		}
	}
	g_unlink(image);
	g_rmdir(dir);
	if (status == EXIT_SUCCESS) {
		rb_bench_figure_report(vs_dd);
		rb_bench_figure_report(vs_cat_dd);
	}
	rb_bench_free(bench);
	return status;
}
