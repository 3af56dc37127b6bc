/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `make bench`: the image producer's rate for an audio disc and a Mode 1
 * disc of ~700 MB of track data each (the reader serves a pattern from
 * memory, the stream is discarded), against plain read/write copying of
 * the same number of bytes from a file in the temporary directory to
 * /dev/null (what `cat FILE > /dev/null` does) beside each run (the file on
 * tmpfs); after a warm-up run, --runs runs, interleaved: rates as medians
 * with min–max, ratios to cat taken run by run; and the peak RSS growth of
 * the first (warm-up) Mode 1 run, once per process as the peak only grows.
 * Numbers only: nothing here is asserted on time.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rb-bench.h"
#include "rb-image.h"

#define RB_BENCH_TRACK_BYTES (700ull * 1000 * 1000)
#define RB_BENCH_PATTERN (1024 * 1024)
#define RB_BENCH_CHUNK 64

typedef struct {
	guint8 *pattern;
	guint64 offset;
	guint64 size;
} RbBenchSource;

static gssize
rb_bench_read(gpointer user_data, guint source, guint8 *buf, gsize len, GError **error)
{
	RbBenchSource *src = user_data;
	gsize at = (gsize)(src->offset % RB_BENCH_PATTERN);
	gsize n = MIN(len, RB_BENCH_PATTERN - at);

	(void)source;
	(void)error;
	n = (gsize)MIN((guint64)n, src->size - src->offset);
	memcpy(buf, src->pattern + at, n);
	src->offset += n;
	return (gssize)n;
}

/* seconds to produce the whole image of one track of @type */
static gdouble
rb_bench_produce(RbCdSectorType type, guint32 n_sectors, guint8 *pattern, guint64 *stream_bytes)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RbImageLayout) layout = rb_image_layout_new();
	g_autoptr(RbImageProducer) producer = NULL;
	g_autofree guint8 *out = NULL;
	RbBenchSource src = {
		pattern, 0, (guint64)n_sectors * rb_cd_sector_type_get_input_size(type)};
	gint64 started;
	guint n = 0;

	if (!rb_image_layout_set_image_type(layout, RB_DATA_BLOCK_TYPE_RAW_PW, &error) ||
	    !rb_image_layout_add_track(layout, type, n_sectors, NULL, &error))
		g_error("%s", error->message);
	producer = rb_image_producer_new(layout, rb_bench_read, &src, &error);
	if (producer == NULL)
		g_error("%s", error->message);
	out = g_malloc(RB_BENCH_CHUNK * rb_image_producer_get_sector_size(producer));
	*stream_bytes = (guint64)rb_image_producer_get_n_sectors(producer) *
			rb_image_producer_get_sector_size(producer);
	started = g_get_monotonic_time();
	do {
		if (!rb_image_producer_read(producer, out, RB_BENCH_CHUNK, &n, &error))
			g_error("%s", error->message);
	} while (n > 0);
	return (gdouble)(g_get_monotonic_time() - started) / G_USEC_PER_SEC;
}

int
main(int argc, char **argv)
{
	RbBench *bench = rb_bench_new(&argc, &argv);
	g_autofree guint8 *pattern = g_malloc(RB_BENCH_PATTERN);
	g_autofree gchar *path = NULL;
	guint32 audio_sectors = (guint32)(RB_BENCH_TRACK_BYTES / RB_CD_MAIN_SIZE);
	guint32 mode1_sectors = (guint32)(RB_BENCH_TRACK_BYTES / 2048);
	guint64 audio_bytes = (guint64)audio_sectors * RB_CD_MAIN_SIZE;
	guint64 mode1_bytes = (guint64)mode1_sectors * 2048;
	guint64 audio_stream = 0;
	guint64 mode1_stream = 0;
	RbBenchFigure *cat =
		rb_bench_figure_new(bench, "cat of a 700 MB file to /dev/null", "MB/s", NULL);
	RbBenchFigure *audio =
		rb_bench_figure_new(bench, "image producer, audio track data", "MB/s", "cat");
	RbBenchFigure *mode1 =
		rb_bench_figure_new(bench, "image producer, Mode 1 user data", "MB/s", "cat");
	RbBenchFigure *rss = rb_bench_figure_new(
		bench, "image producer, peak RSS growth of a Mode 1 image", "KiB", NULL);
	glong rss_before;
	gint fd;

	rb_bench_figure_set_target(audio, "≥ 0.5× cat");
	rb_bench_figure_set_target(mode1, "≥ 200 MB/s");
	for (gsize i = 0; i < RB_BENCH_PATTERN; i++)
		pattern[i] = (guint8)(i * 31 + i / 2352);
	/* the file cat copies: the audio track's bytes, written once, on tmpfs */
	path = g_build_filename(rb_bench_tmpfs_dir(), "rawburn-bench-image-XXXXXX", NULL);
	fd = g_mkstemp(path);
	if (fd < 0)
		g_error("cannot create %s: %s", path, g_strerror(errno));
	for (guint64 at = 0; at < audio_bytes; at += RB_BENCH_PATTERN) {
		gsize n = (gsize)MIN((guint64)RB_BENCH_PATTERN, audio_bytes - at);
		if (write(fd, pattern, n) != (gssize)n)
			g_error("cannot write %s", path);
	}
	close(fd);

	/* the warm-up, not counted: the first Mode 1 run alone for the peak RSS it adds */
	rss_before = rb_bench_maxrss_kib();
	rb_bench_produce(RB_CD_SECTOR_MODE1, mode1_sectors, pattern, &mode1_stream);
	rb_bench_figure_add(rss, (gdouble)(rb_bench_maxrss_kib() - rss_before));
	rb_bench_cat(path);
	rb_bench_produce(RB_CD_SECTOR_AUDIO, audio_sectors, pattern, &audio_stream);
	for (guint run = 0; run < rb_bench_get_runs(bench); run++) {
		gdouble cat_rate = (gdouble)audio_bytes / rb_bench_cat(path) / 1e6;
		gdouble audio_rate =
			(gdouble)audio_bytes /
			rb_bench_produce(
				RB_CD_SECTOR_AUDIO, audio_sectors, pattern, &audio_stream) /
			1e6;
		gdouble mode1_rate =
			(gdouble)mode1_bytes /
			rb_bench_produce(
				RB_CD_SECTOR_MODE1, mode1_sectors, pattern, &mode1_stream) /
			1e6;

		rb_bench_figure_add(cat, cat_rate);
		rb_bench_figure_add_pair(audio, audio_rate, cat_rate);
		rb_bench_figure_add_pair(mode1, mode1_rate, cat_rate);
	}
	g_unlink(path);
	rb_bench_figure_report(cat);
	rb_bench_figure_report(audio);
	rb_bench_figure_report(mode1);
	rb_bench_figure_report(rss);
	rb_bench_free(bench);
	return 0;
}
