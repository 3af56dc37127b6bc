/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `make bench`: the image producer's rate for an audio disc and a Mode 1
 * disc of ~700 MB of track data each (the reader serves a pattern from
 * memory, the stream is discarded), against plain read/write copying of
 * the same number of bytes from a file in the temporary directory to
 * /dev/null (what `cat FILE > /dev/null` does), in the same run; medians of
 * 5 runs, and the peak RSS growth while producing. Numbers only: nothing
 * here is asserted on time.
 */
#include "config.h"

#include <fcntl.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rb-bench.h"
#include "rb-image.h"

#define RB_BENCH_RUNS 5
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

static gdouble
rb_bench_median(gdouble *values)
{
	qsort(values, RB_BENCH_RUNS, sizeof(gdouble), rb_bench_compare);
	return values[RB_BENCH_RUNS / 2];
}

int
main(void)
{
	g_autofree guint8 *pattern = g_malloc(RB_BENCH_PATTERN);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *path = NULL;
	guint32 audio_sectors = (guint32)(RB_BENCH_TRACK_BYTES / RB_CD_MAIN_SIZE);
	guint32 mode1_sectors = (guint32)(RB_BENCH_TRACK_BYTES / 2048);
	guint64 audio_bytes = (guint64)audio_sectors * RB_CD_MAIN_SIZE;
	guint64 mode1_bytes = (guint64)mode1_sectors * 2048;
	guint64 audio_stream = 0;
	guint64 mode1_stream = 0;
	gdouble audio[RB_BENCH_RUNS];
	gdouble mode1[RB_BENCH_RUNS];
	gdouble cat[RB_BENCH_RUNS];
	gdouble audio_rate, mode1_rate, cat_rate;
	glong rss_before, rss_after;
	gint fd;

	for (gsize i = 0; i < RB_BENCH_PATTERN; i++)
		pattern[i] = (guint8)(i * 31 + i / 2352);
	/* the file cat copies: the audio track's bytes, written once */
	fd = g_file_open_tmp("rawburn-bench-image-XXXXXX", &path, &error);
	if (fd < 0)
		g_error("%s", error->message);
	for (guint64 at = 0; at < audio_bytes; at += RB_BENCH_PATTERN) {
		gsize n = (gsize)MIN((guint64)RB_BENCH_PATTERN, audio_bytes - at);
		if (write(fd, pattern, n) != (gssize)n)
			g_error("cannot write %s", path);
	}
	close(fd);

	/* the first Mode 1 run alone, for the peak RSS it adds */
	rss_before = rb_bench_maxrss_kib();
	mode1[0] = rb_bench_produce(RB_CD_SECTOR_MODE1, mode1_sectors, pattern, &mode1_stream);
	rss_after = rb_bench_maxrss_kib();
	for (guint run = 0; run < RB_BENCH_RUNS; run++) {
		cat[run] = rb_bench_cat(path);
		audio[run] =
			rb_bench_produce(RB_CD_SECTOR_AUDIO, audio_sectors, pattern, &audio_stream);
		if (run > 0)
			mode1[run] = rb_bench_produce(
				RB_CD_SECTOR_MODE1, mode1_sectors, pattern, &mode1_stream);
	}
	g_unlink(path);

	cat_rate = (gdouble)audio_bytes / rb_bench_median(cat) / 1e6;
	audio_rate = (gdouble)audio_bytes / rb_bench_median(audio) / 1e6;
	mode1_rate = (gdouble)mode1_bytes / rb_bench_median(mode1) / 1e6;
	g_print("cat (read/write to /dev/null): %.0f MB in %.3f s: %.0f MB/s\n",
		(gdouble)audio_bytes / 1e6,
		rb_bench_median(cat),
		cat_rate);
	g_print("audio image: %u track sectors, %.0f MB of track data (%.0f MB of stream) in "
		"%.3f s: %.0f MB/s of track data; audio / cat = %.2f (goal >= 0.5)\n",
		audio_sectors,
		(gdouble)audio_bytes / 1e6,
		(gdouble)audio_stream / 1e6,
		rb_bench_median(audio),
		audio_rate,
		audio_rate / cat_rate);
	g_print("Mode 1 image: %u track sectors, %.0f MB of user data (%.0f MB of stream) in "
		"%.3f s: %.0f MB/s of user data (goal >= 200); Mode 1 / cat = %.2f\n",
		mode1_sectors,
		(gdouble)mode1_bytes / 1e6,
		(gdouble)mode1_stream / 1e6,
		rb_bench_median(mode1),
		mode1_rate,
		mode1_rate / cat_rate);
	g_print("peak RSS: %ld KiB before the first Mode 1 image, %ld KiB after: +%ld KiB\n",
		rss_before,
		rss_after,
		rss_after - rss_before);
	g_print("medians of %d runs\n", RB_BENCH_RUNS);
	return 0;
}
