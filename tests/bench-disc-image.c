/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `make bench`: how fast rawburnctl turns image files into the raw stream
 * it burns (open the sheet, check it, stream every sector, discard the
 * output), for CUE sheets of ~300 MB of audio (BINARY, and MOTOROLA, whose
 * samples are swapped) and of Mode 1 raw sectors (scrambled on the way),
 * against plain read/write copying of the same BIN to /dev/null (what
 * `cat FILE > /dev/null` does) beside each run, interleaved; after a
 * warm-up, --runs runs: rates as medians with min–max, ratios to cat taken
 * run by run; and the peak RSS growth of the warm-up's stream (the stream
 * holds one sector per source, whatever the disc), once per process as the
 * peak only grows.
 * Numbers only: nothing here is asserted on time.
 */
#include "config.h"

#include <fcntl.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rb-bench.h"
#include "rb-disc-image.h"

#define RB_BENCH_SECTORS 127500 /* 28:20:00, 300 MB of 2352-byte sectors */
#define RB_BENCH_CHUNK 32

/* RB_BENCH_SECTORS sectors: a pattern, or Mode 1 sectors as READ CD gives them */
static void
rb_bench_write_bin(const gchar *path, gboolean mode1)
{
	guint8 sector[RB_CD_MAIN_SIZE];
	guint8 user[2048];
	FILE *out = fopen(path, "wb");

	if (out == NULL)
		g_error("cannot write %s", path);
	for (guint32 i = 0; i < RB_BENCH_SECTORS; i++) {
		if (mode1) {
			for (guint j = 0; j < sizeof(user); j++)
				user[j] = (guint8)(i * 7 + j * 13);
			/* as READ CD returns it: built, not scrambled */
			rb_cd_sector_encode(RB_CD_SECTOR_MODE1, (gint32)i, user, sector);
		} else {
			for (guint j = 0; j < sizeof(sector); j++)
				sector[j] = (guint8)(i * 31 + j);
		}
		if (fwrite(sector, 1, sizeof(sector), out) != sizeof(sector))
			g_error("cannot write %s", path);
	}
	fclose(out);
}

static void
rb_bench_write_cue(const gchar *path, const gchar *bin, const gchar *file_type, const gchar *mode)
{
	g_autofree gchar *text = g_strdup_printf(
		"FILE \"%s\" %s\n  TRACK 01 %s\n    INDEX 01 00:00:00\n", bin, file_type, mode);

	if (!g_file_set_contents(path, text, -1, NULL))
		g_error("cannot write %s", path);
}

/* seconds to open, check and stream @cue to the end */
static gdouble
rb_bench_stream(const gchar *cue, guint64 *stream_bytes)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RbDiscImage) image = NULL;
	g_autoptr(RbDiscImageStream) stream = NULL;
	g_autofree guint8 *out = NULL;
	gint64 started = g_get_monotonic_time();
	guint n = 0;

	image = rb_disc_image_open(cue, &error);
	if (image == NULL ||
	    !rb_image_layout_set_image_type(rb_disc_image_get_layout(image), 3, &error) ||
	    !rb_disc_image_check(image, 0, &error) ||
	    (stream = rb_disc_image_stream_new(image, &error)) == NULL)
		g_error("%s", error->message);
	out = g_malloc(RB_BENCH_CHUNK * rb_disc_image_stream_get_sector_size(stream));
	*stream_bytes = (guint64)rb_disc_image_stream_get_n_sectors(stream) *
			rb_disc_image_stream_get_sector_size(stream);
	do {
		if (!rb_disc_image_stream_read(stream, out, RB_BENCH_CHUNK, &n, &error))
			g_error("%s", error->message);
	} while (n > 0);
	return (gdouble)(g_get_monotonic_time() - started) / G_USEC_PER_SEC;
}

int
main(int argc, char **argv)
{
	static const gchar *const names[] = {
		"CUE BINARY audio", "CUE MOTOROLA audio (swapped)", "CUE MODE1/2352 (scrambled)"};
	RbBench *bench = rb_bench_new(&argc, &argv);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *dir = NULL;
	g_autofree gchar *audio_bin = NULL;
	g_autofree gchar *mode1_bin = NULL;
	g_autofree gchar *cues[3] = {NULL};
	RbBenchFigure *cat =
		rb_bench_figure_new(bench, "cat of a 300 MB BIN to /dev/null", "MB/s", NULL);
	RbBenchFigure *figures[3];
	RbBenchFigure *rss =
		rb_bench_figure_new(bench, "CUE stream, peak RSS growth over a disc", "KiB", NULL);
	gdouble bytes = (gdouble)RB_BENCH_SECTORS * RB_CD_MAIN_SIZE;
	guint64 stream_bytes = 0;
	glong rss_before;

	/* the files on tmpfs, as cat's and the other benchmarks' */
	g_setenv("TMPDIR", rb_bench_tmpfs_dir(), TRUE);
	dir = g_dir_make_tmp("rawburn-bench-disc-XXXXXX", &error);
	if (dir == NULL)
		g_error("%s", error->message);
	for (guint i = 0; i < 3; i++)
		figures[i] = rb_bench_figure_new(bench, names[i], "MB/s of the BIN", "cat");
	audio_bin = g_build_filename(dir, "audio.bin", NULL);
	mode1_bin = g_build_filename(dir, "mode1.bin", NULL);
	rb_bench_write_bin(audio_bin, FALSE);
	rb_bench_write_bin(mode1_bin, TRUE);
	for (guint i = 0; i < 3; i++) {
		cues[i] = g_strdup_printf("%s/disc%u.cue", dir, i);
		rb_bench_write_cue(cues[i],
				   i == 2 ? "mode1.bin" : "audio.bin",
				   i == 1 ? "MOTOROLA" : "BINARY",
				   i == 2 ? "MODE1/2352" : "AUDIO");
	}

	/* warm-up: the files in the page cache, the code paths run once */
	rb_bench_cat(audio_bin);
	rb_bench_cat(mode1_bin);
	rss_before = rb_bench_maxrss_kib();
	rb_bench_stream(cues[2], &stream_bytes);
	rb_bench_figure_add(rss, (gdouble)(rb_bench_maxrss_kib() - rss_before));
	for (guint run = 0; run < rb_bench_get_runs(bench); run++) {
		gdouble cat_rate = bytes / rb_bench_cat(audio_bin) / 1e6;

		rb_bench_figure_add(cat, cat_rate);
		for (guint i = 0; i < 3; i++)
			rb_bench_figure_add_pair(figures[i],
						 bytes / rb_bench_stream(cues[i], &stream_bytes) /
							 1e6,
						 cat_rate);
	}
	for (guint i = 0; i < 3; i++)
		g_unlink(cues[i]);
	g_unlink(audio_bin);
	g_unlink(mode1_bin);
	g_rmdir(dir);

	rb_bench_figure_report(cat);
	for (guint i = 0; i < 3; i++)
		rb_bench_figure_report(figures[i]);
	rb_bench_figure_report(rss);
	rb_bench_free(bench);
	return 0;
}
