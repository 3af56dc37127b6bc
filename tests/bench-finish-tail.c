/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `make bench`: the finishing tail of a real-time burn, from the end of
 * the last WRITE (the job turning to FINISHING) to the job's end: what the
 * emulated drive needs after SYNCHRONIZE CACHE plus what the host's poll
 * adds. A minimal disc (lead-in, 4 s of audio, lead-out: 45 MB) goes
 * through the write job in-process to a real-time drive at 52x, its backing
 * file on tmpfs. Also the CPU the whole process used per second of the
 * recording (PREPARING to the last WRITE), in percent of one core: the
 * virtual recorder runs in the daemon, so its cost is the daemon's. Numbers only; nothing is
 * asserted.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include "rb-bench.h"
#include "rb-dao-stream.h"
#include "rb-mmc-cdb.h"
#include "rb-vdrive-transport.h"
#include "rb-write-job.h"

static gboolean
rb_bench_main(gint32 lba, guint8 *main_data, gpointer user_data, GError **error)
{
	for (guint i = 0; i < RB_CD_MAIN_SIZE; i++)
		main_data[i] = (guint8)(lba + i * 3);
	return TRUE;
}

static gchar *
rb_bench_make_image(gint32 leadin, GError **error)
{
	g_autoptr(RbDaoStream) stream = NULL;
	g_autofree guint8 *buf = NULL;
	g_autofree gchar *path = NULL;
	RbDaoTrack track = {0, 300};
	gint fd;

	stream = rb_dao_stream_new(leadin, &track, 1, 3, rb_bench_main, NULL, NULL, error);
	if (stream == NULL)
		return NULL;
	path = g_build_filename(rb_bench_tmpfs_dir(), "rawburn-tail-XXXXXX.img", NULL);
	fd = g_mkstemp(path);
	if (fd < 0) {
		g_set_error(
			error, G_IO_ERROR, g_io_error_from_errno(errno), "%s", g_strerror(errno));
		return NULL;
	}
	buf = g_malloc(512 * 2448);
	for (gint32 lba = leadin; lba < rb_dao_stream_get_end_lba(stream);) {
		guint n = (guint)MIN(512, rb_dao_stream_get_end_lba(stream) - lba);
		if (!rb_dao_stream_get_sectors(stream, lba, n, buf, error) ||
		    write(fd, buf, n * 2448) != (gssize)(n * 2448)) {
			close(fd);
			return NULL;
		}
		lba += (gint32)n;
	}
	close(fd);
	return g_steal_pointer(&path);
}

static gint64
rb_bench_cpu_us(void)
{
	struct rusage usage;

	getrusage(RUSAGE_SELF, &usage);
	return (gint64)usage.ru_utime.tv_sec * G_USEC_PER_SEC + usage.ru_utime.tv_usec +
	       (gint64)usage.ru_stime.tv_sec * G_USEC_PER_SEC + usage.ru_stime.tv_usec;
}

typedef struct {
	gboolean done;
	GError *error;
	gint64 finishing_us; /* when the job turned to FINISHING */
	gint64 finishing_cpu_us;
} RbBenchRun;

/* FINISHING starts once the last WRITE returned; the call comes through
 * the main context, a fraction of a millisecond later */
static void
rb_bench_action_cb(RbWriteJob *job, RbWriteAction action, gpointer user_data)
{
	RbBenchRun *run = user_data;

	if (action == RB_WRITE_ACTION_FINISHING && run->finishing_us == 0) {
		run->finishing_us = g_get_monotonic_time();
		run->finishing_cpu_us = rb_bench_cpu_us();
	}
}

static void
rb_bench_done_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	RbBenchRun *run = user_data;

	rb_write_job_run_finish(RB_WRITE_JOB(source), result, &run->error);
	run->done = TRUE;
}

/* one burn: the tail in ms and the CPU in % of one core while recording */
static gboolean
rb_bench_burn(const gchar *image, gdouble *tail_ms, gdouble *cpu_percent, GError **error)
{
	g_autoptr(RbVirtualSpec) spec =
		rb_virtual_spec_parse("media=cd-r-80,speed=52,realtime=true", error);
	g_autoptr(RbVdrive) drive = NULL;
	g_autoptr(RbMmcTransport) transport = NULL;
	g_autoptr(RbWriteJob) job = NULL;
	RbBenchRun run = {FALSE, NULL, 0, 0};
	RbWriteJobParams params = {0};
	gint64 start;
	gint64 cpu_start;
	gint fd;

	if (spec == NULL)
		return FALSE;
	drive = rb_vdrive_new(spec);
	transport = rb_vdrive_transport_new(drive);
	fd = open(image, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		g_set_error(
			error, G_IO_ERROR, g_io_error_from_errno(errno), "%s", g_strerror(errno));
		return FALSE;
	}
	params.fd = fd;
	params.stream_first_lba = rb_vdrive_get_leadin_start(drive);
	params.sector_type = 3;
	params.leadin_start_lba = rb_vdrive_get_leadin_start(drive);
	params.last_leadout_start_lba = rb_vdrive_get_last_leadout_start(drive);
	params.bufe = TRUE;
	params.write_speed_kbps = RB_MMC_SPEED_MAX;
	params.rotation = RB_MMC_ROTATION_CLV;
	job = rb_write_job_new(transport, &params, error);
	close(fd);
	if (job == NULL)
		return FALSE;
	rb_write_job_set_action_func(job, rb_bench_action_cb, &run, NULL);
	start = g_get_monotonic_time();
	cpu_start = rb_bench_cpu_us();
	rb_write_job_run_async(job, NULL, rb_bench_done_cb, &run);
	while (!run.done)
		g_main_context_iteration(NULL, TRUE);
	if (run.error != NULL) {
		g_propagate_error(error, run.error);
		return FALSE;
	}
	*tail_ms = (gdouble)(g_get_monotonic_time() - run.finishing_us) / 1000.0;
	/* over the recording, PREPARING to the last WRITE: the finish is the
	 * tail's figure */
	*cpu_percent = 100.0 * (gdouble)(run.finishing_cpu_us - cpu_start) /
		       (gdouble)(run.finishing_us - start);
	return TRUE;
}

int
main(int argc, char **argv)
{
	RbBench *bench = rb_bench_new(&argc, &argv);
	RbBenchFigure *tail = rb_bench_figure_new(bench, "finishing tail at 52x", "ms", NULL);
	RbBenchFigure *cpu =
		rb_bench_figure_new(bench, "CPU of a paced 52x burn, in-process", "%", NULL);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *image = rb_bench_make_image(-11634, &error);

	if (image == NULL) {
		g_printerr("bench: %s\n", error->message);
		return EXIT_FAILURE;
	}
	for (guint i = 0; i < rb_bench_get_runs(bench); i++) {
		gdouble tail_ms = 0;
		gdouble cpu_percent = 0;

		if (!rb_bench_burn(image, &tail_ms, &cpu_percent, &error)) {
			g_printerr("bench: write job: %s\n", error->message);
			unlink(image);
			return EXIT_FAILURE;
		}
		rb_bench_figure_add(tail, tail_ms);
		rb_bench_figure_add(cpu, cpu_percent);
	}
	unlink(image);
	rb_bench_figure_set_target(cpu, "≤ 1 %");
	rb_bench_figure_report(tail);
	rb_bench_figure_report(cpu);
	rb_bench_free(bench);
	return EXIT_SUCCESS;
}
