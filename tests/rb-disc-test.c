/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by the image file tests: sample sets generated on the fly (WAV,
 * BIN sectors, sheets), and burning them onto a virtual recorder.
 */
#include "config.h"

#include "rb-disc-test.h"

/* ---- TOC reader tests (test-disc-toc.c) ---- */

#include <check.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>

#include "rb-disc-image.h"

void
rb_disc_test_pattern(guint8 *buf, gsize len, guint seed)
{
	for (gsize i = 0; i < len; i++)
		buf[i] = (guint8)(i * 31 + i / 2352 * 7 + i / 251 + seed * 101 + 1);
}

gchar *
rb_disc_test_write(const gchar *dir, const gchar *name, const guint8 *data, gsize len)
{
	g_autoptr(GError) error = NULL;
	gchar *path = g_build_filename(dir, name, NULL);

	ck_assert_msg(g_file_set_contents(path, (const gchar *)data, (gssize)len, &error),
		      "%s",
		      error != NULL ? error->message : "");
	return path;
}

static void
rb_disc_test_le32(guint8 *p, guint32 v)
{
	for (guint i = 0; i < 4; i++)
		p[i] = (guint8)(v >> (8 * i));
}

gchar *
rb_disc_test_write_wav(const gchar *dir, const gchar *name, const guint8 *samples, gsize len)
{
	g_autofree guint8 *file = g_malloc0(44 + len);

	memcpy(file, "RIFF", 4);
	rb_disc_test_le32(file + 4, (guint32)(36 + len));
	memcpy(file + 8, "WAVEfmt ", 8);
	rb_disc_test_le32(file + 16, 16);
	rb_disc_test_le32(file + 20, 1 | 2 << 16); /* PCM, 2 channels */
	rb_disc_test_le32(file + 24, 44100);
	rb_disc_test_le32(file + 28, 44100 * 4);
	rb_disc_test_le32(file + 32, 4 | 16 << 16); /* block align, bits */
	memcpy(file + 36, "data", 4);
	rb_disc_test_le32(file + 40, (guint32)len);
	memcpy(file + 44, samples, len);
	return rb_disc_test_write(dir, name, file, 44 + len);
}

guint8 *
rb_disc_test_swap16(const guint8 *data, gsize len)
{
	guint8 *out = g_malloc(len);

	for (gsize i = 0; i + 1 < len; i += 2) {
		out[i] = data[i + 1];
		out[i + 1] = data[i];
	}
	return out;
}

GBytes *
rb_disc_test_stream(gpointer image_pointer)
{
	RbDiscImage *image = image_pointer;
	g_autoptr(GError) error = NULL;
	g_autoptr(RbDiscImageStream) stream = NULL;
	GByteArray *all = g_byte_array_new();
	guint8 *chunk;
	gsize sector;

	ck_assert(rb_image_layout_set_image_type(
		rb_disc_image_get_layout(image), RB_DATA_BLOCK_TYPE_RAW_PW, &error));
	stream = rb_disc_image_stream_new(image, &error);
	ck_assert_msg(stream != NULL, "%s", error != NULL ? error->message : "");
	sector = rb_disc_image_stream_get_sector_size(stream);
	ck_assert_uint_eq(sector, RB_DISC_TEST_EXPORT_SECTOR);
	chunk = g_malloc(sector * 75);
	for (;;) {
		guint n = 0;

		ck_assert_msg(rb_disc_image_stream_read(stream, chunk, 75, &n, &error),
			      "%s",
			      error != NULL ? error->message : "");
		if (n == 0)
			break;
		g_byte_array_append(all, chunk, n * sector);
	}
	g_free(chunk);
	return g_byte_array_free_to_bytes(all);
}

gchar *
rb_disc_test_run(const gchar *dir, const gchar *const *argv)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *err = NULL;
	gchar *out = NULL;
	gint status = -1;

	ck_assert_msg(g_spawn_sync(dir,
				   (gchar **)argv,
				   NULL,
				   G_SPAWN_SEARCH_PATH,
				   NULL,
				   NULL,
				   &out,
				   &err,
				   &status,
				   &error),
		      "%s: %s",
		      argv[0],
		      error != NULL ? error->message : "");
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "%s failed:\n%s%s",
		      argv[0],
		      out,
		      err);
	return out;
}

GBytes *
rb_disc_test_cdrdao_burn(const gchar *dir, const gchar *toc_name)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *image = g_build_filename(dir, "cdrdao-disc.img", NULL);
	g_autofree gchar *out = NULL;
	g_autofree gchar *program = g_find_program_in_path("cdrdao");
	gchar *disc = NULL;
	gsize length = 0;
	/* --fast: what is written is compared, not when */
	const gchar *argv[] = {RB_TEST_ABS_BUILDDIR "/tests/rawburn-vdrive-run",
			       "--speed=52",
			       "--fast",
			       "--media",
			       "cd-r-80",
			       "--export",
			       image,
			       "cdrdao",
			       "write",
			       "--device",
			       "/dev/sr0",
			       "--driver",
			       "generic-mmc-raw",
			       "-n",
			       toc_name,
			       NULL};

	ck_assert_msg(program != NULL, "cdrdao is missing: install it (.ci/build does)");
	out = rb_disc_test_run(dir, argv);
	ck_assert_msg(g_file_get_contents(image, &disc, &length, &error),
		      "%s",
		      error != NULL ? error->message : "");
	g_unlink(image);
	return g_bytes_new_take(disc, length);
}
