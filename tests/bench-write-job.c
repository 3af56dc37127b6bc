/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `make bench`: burns a ~200 MB raw image (sector type 3) through the write
 * job to an emulated drive that records to a file in the same temporary
 * directory, and times dd copying the same image to /dev/null and to a file
 * for comparison. Prints numbers only; nothing is asserted.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "rb-dao-stream.h"
#include "rb-mmc-cdb.h"
#include "rb-vdrive-transport.h"
#include "rb-write-job.h"

#define RB_BENCH_BYTES (200 * 1000 * 1000)

static gboolean
rb_bench_main(gint32 lba, guint8 *main_data, gpointer user_data, GError **error)
{
	for (guint i = 0; i < RB_CD_MAIN_SIZE; i++)
		main_data[i] = (guint8)(lba + i * 3);
	return TRUE;
}

static gchar *
rb_bench_make_image(gint32 leadin, guint64 *size, GError **error)
{
	g_autoptr(RbDaoStream) stream = NULL;
	g_autofree guint8 *buf = NULL;
	g_autofree gchar *path = NULL;
	RbDaoTrack track = {0, 0};
	gint fd;

	/* the program area that makes the whole stream about RB_BENCH_BYTES */
	track.length = (guint32)(RB_BENCH_BYTES / 2448 + leadin - RB_DAO_LEADOUT_SECTORS);
	stream = rb_dao_stream_new(leadin, &track, 1, 3, rb_bench_main, NULL, NULL, error);
	if (stream == NULL)
		return NULL;
	fd = g_file_open_tmp("rawburn-bench-XXXXXX.img", &path, error);
	if (fd < 0)
		return NULL;
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
	*size = (guint64)rb_dao_stream_get_n_sectors(stream) * 2448;
	close(fd);
	return g_steal_pointer(&path);
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

/* seconds the job took from PREPARING to the end of FINISHING */
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
	gdouble seconds;
	gint64 start;
	gint fd;

	if (spec == NULL)
		return -1;
	drive = rb_vdrive_new(spec);
	transport = rb_vdrive_transport_new(drive);
	fd = open(image, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		g_set_error(
			error, G_IO_ERROR, g_io_error_from_errno(errno), "%s", g_strerror(errno));
		return -1;
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
		return -1;
	/* the drive's two one-second finishing polls are not throughput */
	rb_write_job_set_time_scale(job, 0.001);
	start = g_get_monotonic_time();
	rb_write_job_run_async(job, NULL, rb_bench_done_cb, &run);
	/* from PREPARING to the end of the last WRITE: the FINISHING action
	 * starts after both threads stopped */
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
	if (run.error != NULL) {
		g_propagate_error(error, run.error);
		return -1;
	}
	return seconds;
}

static gdouble
rb_bench_dd(const gchar *image, const gchar *target, GError **error)
{
	g_autofree gchar *if_arg = g_strdup_printf("if=%s", image);
	g_autofree gchar *of_arg = g_strdup_printf("of=%s", target);
	const gchar *argv[] = {"dd", if_arg, of_arg, "bs=1M", NULL};
	gint64 start = g_get_monotonic_time();
	gint status;

	if (!g_spawn_sync(NULL,
			  (gchar **)argv,
			  NULL,
			  G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL |
				  G_SPAWN_STDERR_TO_DEV_NULL,
			  NULL,
			  NULL,
			  NULL,
			  NULL,
			  &status,
			  error) ||
	    !g_spawn_check_wait_status(status, error))
		return -1;
	return (gdouble)(g_get_monotonic_time() - start) / G_USEC_PER_SEC;
}

int
main(int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *image = NULL;
	g_autofree gchar *copy = NULL;
	guint64 size = 0;
	gdouble mb;
	gdouble t_job;
	gdouble t_null;
	gdouble t_file;

	image = rb_bench_make_image(-11634, &size, &error);
	if (image == NULL) {
		g_printerr("bench: %s\n", error->message);
		return EXIT_FAILURE;
	}
	copy = g_strconcat(image, ".copy", NULL);
	mb = (gdouble)size / 1e6;
	/* the image was just written: all three read it from the page cache */
	t_job = rb_bench_burn(image, &error);
	if (t_job < 0) {
		g_printerr("bench: write job: %s\n", error->message);
		unlink(image);
		return EXIT_FAILURE;
	}
	t_null = rb_bench_dd(image, "/dev/null", &error);
	t_file = t_null >= 0 ? rb_bench_dd(image, copy, &error) : -1;
	unlink(copy);
	unlink(image);
	if (t_file < 0) {
		g_printerr("bench: dd: %s\n", error->message);
		return EXIT_FAILURE;
	}
	printf("image                      %.1f MB, %" G_GUINT64_FORMAT
	       " sectors of 2448 bytes (type 3)\n",
	       mb,
	       size / 2448);
	printf("write job -> virtual drive %.2f s  %.1f MB/s\n", t_job, mb / t_job);
	printf("dd bs=1M -> /dev/null      %.2f s  %.1f MB/s\n", t_null, mb / t_null);
	printf("dd bs=1M -> file           %.2f s  %.1f MB/s\n", t_file, mb / t_file);
	printf("job / dd-to-file           %.2f\n", (mb / t_job) / (mb / t_file));
	printf("job / dd-to-null           %.2f\n", (mb / t_job) / (mb / t_null));
	printf("allocations per sector     0 (ring preallocated; read() into it, WRITE(10) "
	       "from it; one lock per read and per WRITE)\n");
	return EXIT_SUCCESS;
}
