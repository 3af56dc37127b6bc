/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by the image file tests: sample sets generated on the fly (WAV,
 * BIN sectors, sheets), and burning them onto a virtual recorder.
 */
#pragma once

#include <glib.h>

#include "rb-disc-image.h"
#include "rb-test-service.h"
#include "rb-test-tools.h"

G_BEGIN_DECLS

/* ---- CUE tests (test-disc-cue.c); usable by any image test ---- */

/* the byte at @offset of the deterministic pattern @seed */
guint8 rb_disc_test_pattern_byte(guint seed, guint64 offset);
/* @length bytes of pattern @seed into @path */
void rb_disc_test_write_pattern(const gchar *path, gsize length, guint seed);
/* a 44.1 kHz 16-bit stereo WAV whose sample data is @length bytes of pattern @seed */
void rb_disc_test_write_wav(const gchar *path, gsize length, guint seed);
/*
 * @n_sectors raw 2352-byte data sectors as READ CD returns them (not
 * scrambled), from LBA @first_lba, of @mode 1 or 2 (Mode 2: Form 1 and
 * Form 2 in turn), user data from pattern @seed; with @xa_2336 only their
 * 2336 bytes after the header (a CUE MODE2/2336 file).
 */
void rb_disc_test_write_data(const gchar *path,
			     guint mode,
			     gint32 first_lba,
			     guint n_sectors,
			     guint seed,
			     gboolean xa_2336);
/*
 * Burns @sheet (in @dir, with its files) with cdrdao in raw mode onto the
 * emulated drive (rawburn-vdrive-run --fast) and returns the exported disc:
 * 2448 bytes per sector from the lead-in start of cd-r-80 (LBA -11634).
 */
GBytes *rb_disc_test_cdrdao_burn(const gchar *dir, const gchar *sheet);

/* ---- TOC reader tests (test-disc-toc.c) ---- */

/* the lead-in start of rawburn-vdrive-run's default medium, cd-r-80 (97:26:66) */
#define RB_DISC_TEST_LEADIN (-11634)
/* what rawburn-vdrive-run --export writes per LBA: main channel and raw P-W */
#define RB_DISC_TEST_EXPORT_SECTOR (2352 + 96)

/* @len bytes that differ from byte to byte and sector to sector, never silent */
void rb_disc_test_pattern(guint8 *buf, gsize len, guint seed);
/* @dir/@name holding @len bytes of @data (Check assertions inside) */
gchar *rb_disc_test_write(const gchar *dir, const gchar *name, const guint8 *data, gsize len);
/* @dir/@name, a 44.1 kHz 16-bit stereo WAV file holding @len bytes of @samples */
gchar *
rb_disc_test_write_wav_data(const gchar *dir, const gchar *name, const guint8 *samples, gsize len);
/* @data with the bytes of every 16-bit sample swapped (big-endian audio) */
guint8 *rb_disc_test_swap16(const guint8 *data, gsize len);
/* the whole raw DAO stream of @image, 2352 + 96 bytes per sector from
 * RB_IMAGE_FIRST_LBA (the image type is set to raw P-W) */
GBytes *rb_disc_test_stream(gpointer image);
/* a command's standard output, run in @dir (Check assertions inside) */
gchar *rb_disc_test_run(const gchar *dir, const gchar *const *argv);

/* ---- burning image files with rawburnctl (test-disc-burn.c) ---- */

/*
 * "rawburnctl burn virtual0 @image", the recorder's report clean and
 * complete with @n_tracks tracks, then "export": the exported disc's path
 * (2352 + 96 bytes per sector from the lead-in); the burn's standard error
 * (the image's notes) in *@warnings unless NULL
 */
gchar *rb_disc_test_burn_and_export(RbTestService *service,
				    const gchar *image,
				    guint n_tracks,
				    gchar **warnings);

/* a WAV header for @length bytes of 16-bit PCM with @rate and @channels,
 * then @length bytes of pattern @seed; with @sparse no data is written and
 * the file is extended with a hole: a long disc at no cost */
void rb_disc_test_write_wav_full(
	const gchar *path, guint64 length, guint rate, guint channels, guint seed, gboolean sparse);
/*
 * Runs `sh -c @command` in @dir under the emulated drive (rawburn-vdrive-run
 * --fast) with the exported disc @disc in it, /dev/sr0 its device; fails
 * the test unless it exits 0; returns its standard output.
 */
gchar *rb_disc_test_read_disc(const gchar *dir, const gchar *disc, const gchar *command);
/* @lba as cd-info prints it: "MM:SS:FF" of @lba + 150 */
gchar *rb_disc_test_msf(gint32 lba);

/* cd-info's report @info shows @n_tracks tracks from @starts, of
 * @formats (cd-info's names; NULL: all "audio"), the lead-out at @leadout,
 * and CD-TEXT block 0's @titles and @performers ([0] the disc) */
void rb_disc_test_assert_cd_info(const gchar *info,
				 guint n_tracks,
				 const gint32 *starts,
				 const gchar *const *formats,
				 gint32 leadout,
				 const gchar *const *titles,
				 const gchar *const *performers);

/* what a burned audio disc must read back as */
typedef struct {
	guint n_tracks;
	gint32 starts[3];
	gint32 leadout;
	/* the program area's audio, LBA 0 to the lead-out */
	GByteArray *audio;
	/* CD-TEXT block 0: [0] the disc, [1…] the tracks */
	const gchar *titles[3];
	const gchar *performers[3];
} RbDiscTestExpected;

void rb_disc_test_expected_clear(RbDiscTestExpected *expected);
/* @length bytes of pattern @seed from @offset, or of silence for seed 0 */
void
rb_disc_test_expect_audio(RbDiscTestExpected *expected, guint seed, guint64 offset, gsize length);
/* cd-info's TOC and CD-TEXT, and cd-read's audio, of the exported @disc
 * under the emulated drive (working files in @dir) */
void rb_disc_test_assert_read_back(const gchar *dir,
				   const gchar *disc,
				   const RbDiscTestExpected *expected);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(RbDiscTestExpected, rb_disc_test_expected_clear)

/*
 * A sheet (@ext: "cue", "toc") that is a FIFO, then a sparse 400 MB file,
 * given to @read and the second to rb_disc_image_open() too: each must be
 * refused by its type or size, the file named.
 */
void rb_disc_test_sheet_refused(RbDiscImage *(*read)(const gchar *path, GError **error),
				const gchar *ext);

G_END_DECLS
