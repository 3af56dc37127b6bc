/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The TOC reader's sample sets (rb-disc-toc-test.h).
 */
#include "config.h"

#include <check.h>
#include <glib/gstdio.h>
#include <string.h>

#include "rb-disc-image.h"
#include "rb-disc-test.h"
#include "rb-disc-toc-test.h"

#define S 2352

static const guint8 *
rb_toc_test_set_keep(RbTocTestSet *set, guint8 *data)
{
	g_ptr_array_add(set->buffers, data);
	return data;
}

static void
rb_toc_test_set_expect(
	RbTocTestSet *set, RbTocExpectKind kind, const guint8 *data, gsize block, guint n)
{
	for (guint i = 0; i < n; i++) {
		RbTocExpect e = {kind, data != NULL ? data + (gsize)i * block : NULL, block};

		g_array_append_val(set->expect, e);
	}
}

RbTocTestSet *
rb_toc_test_set_new(void)
{
	g_autoptr(GError) error = NULL;
	RbTocTestSet *set = g_new0(RbTocTestSet, 1);

	set->dir = g_dir_make_tmp("rawburn-toc-XXXXXX", &error);
	ck_assert(set->dir != NULL);
	set->buffers = g_ptr_array_new_with_free_func(g_free);
	set->expect = g_array_new(FALSE, FALSE, sizeof(RbTocExpect));
	return set;
}

void
rb_toc_test_set_write_toc(RbTocTestSet *set, const gchar *toc)
{
	set->toc = g_strdup(toc);
	set->toc_path = rb_disc_test_write(set->dir, "disc.toc", (const guint8 *)toc, strlen(toc));
}

void
rb_toc_test_set_free(RbTocTestSet *set)
{
	rb_test_remove_dir(set->dir);
	g_free(set->dir);
	g_free(set->toc);
	g_free(set->toc_path);
	g_ptr_array_unref(set->buffers);
	g_array_unref(set->expect);
	g_free(set);
}

/* ---- the sample sets ---- */

/* two languages (EN, DE); 8 = German in EBU Tech 3258 */
#define RB_AUDIO_CDTEXT                                                                            \
	"CD_TEXT {\n"                                                                              \
	"  LANGUAGE_MAP {\n    0 : EN\n    1 : 8\n  }\n"                                           \
	"  LANGUAGE 0 {\n    TITLE \"Disc \\\"EN\\\"\"\n    PERFORMER \"Band\"\n"                  \
	"    GENRE { 0, 9, 74, 97, 122, 122, 0 }\n  }\n"                                           \
	"  LANGUAGE 1 { TITLE \"Platte \\374\" PERFORMER \"Gruppe\" }\n"                           \
	"}\n"

RbTocTestSet *
rb_toc_test_set_audio(void)
{
	RbTocTestSet *set = rb_toc_test_set_new();
	const guint8 *a = rb_toc_test_set_keep(set, g_malloc(500 * S));
	const guint8 *b = rb_toc_test_set_keep(set, g_malloc(600 * S));
	g_autofree guint8 *b_be = NULL;

	rb_disc_test_pattern((guint8 *)a, 500 * S, 1);
	rb_disc_test_pattern((guint8 *)b, 600 * S, 2);
	b_be = rb_disc_test_swap16(b, 600 * S);
	g_free(rb_disc_test_write_wav_data(set->dir, "a.wav", a, 500 * S));
	g_free(rb_disc_test_write(set->dir, "b.cdr", b_be, 600 * S));
	rb_toc_test_set_write_toc(
		set,
		"// an audio disc\n"
		"CD_DA\n"
		"CATALOG \"4006381333931\"\n"
		/* lines 4-15 */
		RB_AUDIO_CDTEXT
		/* line 16 */
		"TRACK AUDIO\n"
		"COPY\n"
		"ISRC \"DEXXX9800001\"\n"
		"CD_TEXT {\n"
		"  LANGUAGE 0 { TITLE \"One\" }\n"
		"  LANGUAGE 1 {\n    TITLE \"Eins\"\n  }\n"
		"}\n"
		"FILE \"a.wav\" 0\n"
		"START 0:1:0\n"
		"INDEX 0:2:0\n"
		/* line 28 */
		"TRACK AUDIO\n"
		"PRE_EMPHASIS\n"
		"CD_TEXT { LANGUAGE 0 { TITLE \"Two\" } LANGUAGE 1 { TITLE \"Zwei\" } }\n"
		"PREGAP 0:2:0\n"
		"FILE \"b.cdr\" 0 0:5:0\n"
		"SILENCE 0:1:0\n"
		"FILE \"b.cdr\" 220500 // samples: 5 s\n");
	/* LBA -150…: track 1's generated 2 s, then a.wav (75 blocks of pregap);
	 * track 2: 150 of PREGAP, b's first 5 s, 1 s of silence, b's rest */
	rb_toc_test_set_expect(set, RB_TOC_EXPECT_AUDIO, NULL, S, 150);
	rb_toc_test_set_expect(set, RB_TOC_EXPECT_AUDIO, a, S, 500);
	rb_toc_test_set_expect(set, RB_TOC_EXPECT_AUDIO, NULL, S, 150);
	rb_toc_test_set_expect(set, RB_TOC_EXPECT_AUDIO, b, S, 375);
	rb_toc_test_set_expect(set, RB_TOC_EXPECT_AUDIO, NULL, S, 75);
	rb_toc_test_set_expect(set, RB_TOC_EXPECT_AUDIO, b + 375 * S, S, 225);
	return set;
}

RbTocTestSet *
rb_toc_test_set_mode1(void)
{
	RbTocTestSet *set = rb_toc_test_set_new();
	const guint8 *d = rb_toc_test_set_keep(set, g_malloc(400 * 2048));

	rb_disc_test_pattern((guint8 *)d, 400 * 2048, 3);
	g_free(rb_disc_test_write(set->dir, "data.iso", d, 400 * 2048));
	rb_toc_test_set_write_toc(set, "CD_ROM\nTRACK MODE1\nDATAFILE \"data.iso\"\n");
	rb_toc_test_set_expect(set, RB_TOC_EXPECT_MODE1, NULL, 2048, 150);
	rb_toc_test_set_expect(set, RB_TOC_EXPECT_MODE1, d, 2048, 400);
	return set;
}

RbTocTestSet *
rb_toc_test_set_xa(void)
{
	RbTocTestSet *set = rb_toc_test_set_new();
	guint8 *f1 = (guint8 *)rb_toc_test_set_keep(set, g_malloc(400 * 2048));
	guint8 *mix = (guint8 *)rb_toc_test_set_keep(set, g_malloc(350 * 2336));

	rb_disc_test_pattern(f1, 400 * 2048, 4);
	rb_disc_test_pattern(mix, 350 * 2336, 5);
	/* Form 2 sub-headers (form bit 0x20) with every third block Form 1,
	 * other bits varying */
	for (guint i = 0; i < 350; i++) {
		guint8 submode = (guint8)((i % 3 == 0 ? 0x08 : 0x20) | (i % 2 ? 0x01 : 0));
		const guint8 sub[8] = {1, (guint8)i, submode, 0, 1, (guint8)i, submode, 0};

		memcpy(mix + (gsize)i * 2336, sub, 8);
	}
	g_free(rb_disc_test_write(set->dir, "form1.bin", f1, 400 * 2048));
	g_free(rb_disc_test_write(set->dir, "mix.bin", mix, 350 * 2336));
	rb_toc_test_set_write_toc(set,
				  "CD_ROM_XA\n"
				  "TRACK MODE2_FORM1\nDATAFILE \"form1.bin\"\n"
				  "TRACK MODE2_FORM_MIX\nDATAFILE \"mix.bin\" 0:4:50\n");
	rb_toc_test_set_expect(set, RB_TOC_EXPECT_FORM1, NULL, 2048, 150);
	rb_toc_test_set_expect(set, RB_TOC_EXPECT_FORM1, f1, 2048, 400);
	rb_toc_test_set_expect(set, RB_TOC_EXPECT_MIX, mix, 2336, 350);
	return set;
}

/* cdrdao(1)'s "Mixed mode CD", plus a raw file with a header skipped by #offset */
RbTocTestSet *
rb_toc_test_set_mixed(void)
{
	RbTocTestSet *set = rb_toc_test_set_new();
	const guint8 *d = rb_toc_test_set_keep(set, g_malloc(400 * 2048));
	const guint8 *w = rb_toc_test_set_keep(set, g_malloc(450 * S));
	guint8 *c = (guint8 *)rb_toc_test_set_keep(set, g_malloc(300 * S));
	g_autofree guint8 *c_file = g_malloc(1000 + 300 * S);
	g_autofree guint8 *c_be = NULL;

	rb_disc_test_pattern((guint8 *)d, 400 * 2048, 6);
	rb_disc_test_pattern((guint8 *)w, 450 * S, 7);
	rb_disc_test_pattern(c, 300 * S, 8);
	c_be = rb_disc_test_swap16(c, 300 * S);
	memset(c_file, 0x55, 1000);
	memcpy(c_file + 1000, c_be, 300 * S);
	g_free(rb_disc_test_write(set->dir, "data_1", d, 400 * 2048));
	g_free(rb_disc_test_write_wav_data(set->dir, "data_2.wav", w, 450 * S));
	g_free(rb_disc_test_write(set->dir, "data_3.cdr", c_file, 1000 + 300 * S));
	rb_toc_test_set_write_toc(set,
				  "CD_ROM\n"
				  "TRACK MODE1\n"
				  "DATAFILE \"data_1\"\n"
				  "ZERO 00:02:00 // post-gap\n"
				  "\n"
				  "TRACK AUDIO\n"
				  "SILENCE 00:02:00 // pre-gap\n"
				  "START\n"
				  "FILE \"data_2.wav\" 0\n"
				  "\n"
				  "TRACK AUDIO\n"
				  "FILE \"data_3.cdr\" #1000 0\n");
	rb_toc_test_set_expect(set, RB_TOC_EXPECT_MODE1, NULL, 2048, 150);
	rb_toc_test_set_expect(set, RB_TOC_EXPECT_MODE1, d, 2048, 400);
	rb_toc_test_set_expect(set, RB_TOC_EXPECT_MODE1, NULL, 2048, 150);
	rb_toc_test_set_expect(set, RB_TOC_EXPECT_AUDIO, NULL, S, 150);
	rb_toc_test_set_expect(set, RB_TOC_EXPECT_AUDIO, w, S, 450);
	rb_toc_test_set_expect(set, RB_TOC_EXPECT_AUDIO, c, S, 300);
	return set;
}

/* FIRST_TRACK_NO 3: the tracks are 3 and 4, and so are their titles' */
RbTocTestSet *
rb_toc_test_set_first_track(void)
{
	RbTocTestSet *set = rb_toc_test_set_new();
	const guint8 *a = rb_toc_test_set_keep(set, g_malloc(600 * S));

	rb_disc_test_pattern((guint8 *)a, 600 * S, 9);
	g_free(rb_disc_test_write_wav_data(set->dir, "a.wav", a, 600 * S));
	rb_toc_test_set_write_toc(set,
				  "CD_DA\n"
				  "FIRST_TRACK_NO 3\n"
				  "CD_TEXT {\n"
				  "  LANGUAGE_MAP { 0 : EN }\n"
				  "  LANGUAGE 0 { TITLE \"Disc\" PERFORMER \"Band\" }\n"
				  "}\n"
				  "TRACK AUDIO\n"
				  "CD_TEXT { LANGUAGE 0 { TITLE \"Three\" } }\n"
				  "FILE \"a.wav\" 0 0:4:0\n"
				  "TRACK AUDIO\n"
				  "CD_TEXT { LANGUAGE 0 { TITLE \"Four\" } }\n"
				  "FILE \"a.wav\" 0:4:0\n");
	rb_toc_test_set_expect(set, RB_TOC_EXPECT_AUDIO, NULL, S, 150);
	rb_toc_test_set_expect(set, RB_TOC_EXPECT_AUDIO, a, S, 600);
	return set;
}

RbDiscImage *
rb_toc_test_set_open(RbTocTestSet *set)
{
	g_autoptr(GError) error = NULL;
	RbDiscImage *image = rb_disc_image_open(set->toc_path, &error);

	ck_assert_msg(image != NULL, "%s\n%s", set->toc, error != NULL ? error->message : "");
	ck_assert_int_eq(rb_disc_image_get_format(image), RB_DISC_IMAGE_FORMAT_TOC);
	return image;
}

static RbTocTestSet *(*const rb_toc_test_sets[])(void) = {
	rb_toc_test_set_audio,
	rb_toc_test_set_mode1,
	rb_toc_test_set_xa,
	rb_toc_test_set_mixed,
	rb_toc_test_set_first_track,
};

guint
rb_toc_test_n_sets(void)
{
	return G_N_ELEMENTS(rb_toc_test_sets);
}

RbTocTestSet *
rb_toc_test_set_make(guint i)
{
	g_assert(i < G_N_ELEMENTS(rb_toc_test_sets));
	return rb_toc_test_sets[i]();
}
