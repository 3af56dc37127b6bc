/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `make bench`: how fast rawburnctl turns image files into the raw stream
 * it burns (open the sheet, check it, stream every sector, discard the
 * output), for CUE sheets of ~300 MB of audio (BINARY, and MOTOROLA, whose
 * samples are swapped) and of Mode 1 raw sectors (scrambled on the way),
 * against plain read/write copying of the same BIN to /dev/null (what
 * `cat FILE > /dev/null` does) in the same run, interleaved; medians of 5
 * runs after a warm-up, with their spread, and the peak RSS growth while
 * streaming (the stream holds one sector per source, whatever the disc).
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

#define RB_BENCH_RUNS 5
#define RB_BENCH_SECTORS 127500 /* 28:20:00, 300 MB of 2352-byte sectors */
#define RB_BENCH_CHUNK 32

typedef struct {
	const gchar *name;
	gdouble seconds[RB_BENCH_RUNS];
} RbBenchFigure;

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

static void
rb_bench_print(const RbBenchFigure *figure, const RbBenchFigure *baseline)
{
	gdouble sorted[RB_BENCH_RUNS];
	gdouble ratios[RB_BENCH_RUNS];
	gdouble bytes = (gdouble)RB_BENCH_SECTORS * RB_CD_MAIN_SIZE;

	memcpy(sorted, figure->seconds, sizeof(sorted));
	qsort(sorted, RB_BENCH_RUNS, sizeof(gdouble), rb_bench_compare);
	/* each run against the cat run just before it, then the median of those */
	for (guint i = 0; i < RB_BENCH_RUNS; i++)
		ratios[i] = baseline->seconds[i] / figure->seconds[i];
	qsort(ratios, RB_BENCH_RUNS, sizeof(gdouble), rb_bench_compare);
	g_print("%s: %.0f MB/s of the BIN (%.0f-%.0f), %.3f s; %s %.2f of cat's rate\n",
		figure->name,
		bytes / sorted[RB_BENCH_RUNS / 2] / 1e6,
		bytes / sorted[RB_BENCH_RUNS - 1] / 1e6,
		bytes / sorted[0] / 1e6,
		sorted[RB_BENCH_RUNS / 2],
		figure == baseline ? "baseline," : "ratio",
		ratios[RB_BENCH_RUNS / 2]);
}

int
main(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *dir = g_dir_make_tmp("rawburn-bench-disc-XXXXXX", &error);
	g_autofree gchar *audio_bin = NULL;
	g_autofree gchar *mode1_bin = NULL;
	g_autofree gchar *cues[3] = {NULL};
	RbBenchFigure cat = {"cat of the audio BIN"};
	RbBenchFigure figures[3] = {{"CUE BINARY audio"},
				    {"CUE MOTOROLA audio (swapped)"},
				    {"CUE MODE1/2352 (scrambled)"}};
	guint64 stream_bytes = 0;
	glong rss_before, rss_after;

	if (dir == NULL)
		g_error("%s", error->message);
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
	rss_after = rb_bench_maxrss_kib();
	for (guint run = 0; run < RB_BENCH_RUNS; run++) {
		cat.seconds[run] = rb_bench_cat(audio_bin);
		for (guint i = 0; i < 3; i++)
			figures[i].seconds[run] = rb_bench_stream(cues[i], &stream_bytes);
	}
	for (guint i = 0; i < 3; i++)
		g_unlink(cues[i]);
	g_unlink(audio_bin);
	g_unlink(mode1_bin);
	g_rmdir(dir);

	rb_bench_print(&cat, &cat);
	for (guint i = 0; i < 3; i++)
		rb_bench_print(&figures[i], &cat);
	g_print("stream: %.0f MB of 2448-byte sectors per disc (lead-in and lead-out "
		"included); peak RSS +%ld KiB over a whole disc (%ld -> %ld KiB)\n",
		(gdouble)stream_bytes / 1e6,
		rss_after - rss_before,
		rss_before,
		rss_after);
	g_print("medians of %d interleaved runs after a warm-up (min-max)\n", RB_BENCH_RUNS);
	return 0;
}
