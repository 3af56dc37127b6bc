/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by the image file tests: sample sets generated on the fly (WAV,
 * BIN sectors, sheets), and burning them onto a virtual recorder.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

G_END_DECLS

/* ---- TOC reader tests (test-disc-toc.c) ---- */

G_BEGIN_DECLS

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
rb_disc_test_write_wav(const gchar *dir, const gchar *name, const guint8 *samples, gsize len);
/* @data with the bytes of every 16-bit sample swapped (big-endian audio) */
guint8 *rb_disc_test_swap16(const guint8 *data, gsize len);
/* the whole raw DAO stream of @image, 2352 + 96 bytes per sector from
 * RB_IMAGE_FIRST_LBA (the image type is set to raw P-W) */
GBytes *rb_disc_test_stream(gpointer image);
/* `cdrdao write --driver generic-mmc-raw @toc_name` in @dir onto the
 * emulated drive (rawburn-vdrive-run --fast); the exported disc */
GBytes *rb_disc_test_cdrdao_burn(const gchar *dir, const gchar *toc_name);
/* a command's standard output, run in @dir (Check assertions inside) */
gchar *rb_disc_test_run(const gchar *dir, const gchar *const *argv);

G_END_DECLS
