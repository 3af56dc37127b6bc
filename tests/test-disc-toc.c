/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The cdrdao TOC reader (client/image/rb-disc-toc.c). Each sample set
 * (rb-disc-toc-test.h) is generated and read: the layout and CD-TEXT are
 * asserted against what the file says, every sector of the stream against
 * the files' bytes (cdrdao's reading and burning of the same files:
 * test-disc-toc-oracle.c). Malformed files must fail with their error and
 * a message naming the file and line.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "rb-disc-image-private.h"
#include "rb-disc-test.h"
#include "rb-disc-toc-test.h"
#include "rb-scramble.h"
#include "rb-test-service.h"

#define S 2352

/* what the audio TOC says, field by field */
START_TEST(test_toc_audio_model)
{
	RbTocTestSet *set = rb_toc_test_set_audio();
	g_autoptr(RbDiscImage) image = rb_toc_test_set_open(set);
	RbImageLayout *layout = rb_disc_image_get_layout(image);
	const RbImageTrack *t1 = rb_image_layout_get_track(layout, 0);
	const RbImageTrack *t2 = rb_image_layout_get_track(layout, 1);
	RbCdText *cdtext = rb_disc_image_get_cdtext(image);
	g_autofree gchar *where = rb_disc_image_describe_track_source(image, 1);

	ck_assert_str_eq(rb_image_layout_get_mcn(layout), "4006381333931");
	ck_assert_uint_eq(rb_image_layout_get_n_tracks(layout), 2);
	/* START 0:1:0: 75 blocks of a.wav are index 0, after the 150 generated */
	ck_assert_uint_eq(t1->pregap_sectors, 150 + 75);
	ck_assert_int_eq(t1->start, 75);
	ck_assert_uint_eq(t1->n_sectors, 425);
	ck_assert_uint_eq(t1->n_indexes, 2);
	ck_assert_uint_eq(t1->indexes[1], 150);
	ck_assert_str_eq(t1->isrc, "DEXXX9800001");
	ck_assert_int_eq(t1->copy, RB_IMAGE_COPY_PERMITTED);
	ck_assert(!t1->preemphasis);
	ck_assert_uint_eq(t2->pregap_sectors, 150);
	ck_assert_int_eq(t2->start, 650);
	ck_assert_uint_eq(t2->n_sectors, 675);
	ck_assert_int_eq(t2->copy, RB_IMAGE_COPY_PROHIBITED);
	ck_assert(t2->preemphasis);
	ck_assert_str_eq(t2->isrc, "");
	ck_assert_msg(strstr(where, "disc.toc line 28") != NULL, "%s", where);

	ck_assert(cdtext != NULL);
	ck_assert_uint_eq(rb_cdtext_get_n_blocks(cdtext), 2);
	ck_assert_uint_eq(rb_cdtext_get_language(cdtext, 0), 9);
	ck_assert_uint_eq(rb_cdtext_get_language(cdtext, 1), 8);
	ck_assert_str_eq(rb_cdtext_get_text(cdtext, 0, RB_CDTEXT_TITLE, 0), "Disc \"EN\"");
	ck_assert_str_eq(rb_cdtext_get_text(cdtext, 1, RB_CDTEXT_TITLE, 0), "Platte ü");
	ck_assert_str_eq(rb_cdtext_get_text(cdtext, 0, RB_CDTEXT_PERFORMER, 0), "Band");
	ck_assert_str_eq(rb_cdtext_get_text(cdtext, 1, RB_CDTEXT_PERFORMER, 0), "Gruppe");
	ck_assert_str_eq(rb_cdtext_get_text(cdtext, 0, RB_CDTEXT_TITLE, 1), "One");
	ck_assert_str_eq(rb_cdtext_get_text(cdtext, 1, RB_CDTEXT_TITLE, 1), "Eins");
	ck_assert_str_eq(rb_cdtext_get_text(cdtext, 0, RB_CDTEXT_TITLE, 2), "Two");
	ck_assert_str_eq(rb_cdtext_get_text(cdtext, 1, RB_CDTEXT_TITLE, 2), "Zwei");
	ck_assert_uint_eq(rb_cdtext_get_genre_code(cdtext, 0), 9);
	rb_toc_test_set_free(set);
}
END_TEST
/* ---- the stream against the files ---- */

static void
rb_check_sector(const RbTocExpect *e, gint32 lba, const guint8 *stream_sector)
{
	guint8 sector[S];
	guint8 zeros[S] = {0};
	const guint8 *want = e->data != NULL ? e->data : zeros;

	memcpy(sector, stream_sector, S);
	switch (e->kind) {
	case RB_TOC_EXPECT_AUDIO:
		ck_assert_msg(memcmp(sector, want, S) == 0, "LBA %d: audio differs", lba);
		return;
	case RB_TOC_EXPECT_MODE1:
		rb_scramble_sector(sector);
		ck_assert_msg(sector[15] == 1 && memcmp(sector + 16, want, 2048) == 0,
			      "LBA %d: Mode 1 data differs",
			      lba);
		return;
	case RB_TOC_EXPECT_FORM1:
		rb_scramble_sector(sector);
		ck_assert_msg(sector[15] == 2 && (sector[18] & 0x20) == 0 &&
				      memcmp(sector + 24, want, 2048) == 0,
			      "LBA %d: Mode 2 Form 1 data differs",
			      lba);
		return;
	case RB_TOC_EXPECT_MIX:
		rb_scramble_sector(sector);
		/* sub-header and user data as given, by the sub-header's form:
		 * Form 2 2324 bytes and the EDC, Form 1 2048 and EDC/ECC */
		ck_assert_msg(sector[15] == 2 &&
				      memcmp(sector + 16, want, (want[2] & 0x20) ? 2332 : 2056) ==
					      0,
			      "LBA %d: Mode 2 data differs",
			      lba);
		if ((want[2] & 0x20) == 0)
			ck_assert_msg(rb_cd_sector_edc(sector + 16, 2056) ==
					      (guint32)(sector[2072] | sector[2073] << 8 |
							sector[2074] << 16 |
							(guint32)sector[2075] << 24),
				      "LBA %d: Form 1 EDC",
				      lba);
		return;
	}
}

START_TEST(test_toc_stream)
{
	RbTocTestSet *set = rb_toc_test_set_make((guint)_i);
	g_autoptr(RbDiscImage) image = rb_toc_test_set_open(set);
	g_autoptr(GBytes) stream = NULL;
	const guint8 *data;
	gsize len;
	gint32 leadout = 0;

	/* the CD-TEXT has its own test; this one is about the sectors */
	rb_disc_image_set_cdtext(image, NULL);
	stream = rb_disc_test_stream(image);
	data = g_bytes_get_data(stream, &len);
	ck_assert(
		rb_image_layout_get_leadout_start(rb_disc_image_get_layout(image), &leadout, NULL));
	ck_assert_int_eq(leadout, (gint32)set->expect->len - 150);
	for (guint i = 0; i < set->expect->len; i++) {
		gint32 lba = (gint32)i - 150;
		gsize at = (gsize)(lba - RB_IMAGE_FIRST_LBA) * RB_DISC_TEST_EXPORT_SECTOR;

		ck_assert_uint_le(at + S, len);
		rb_check_sector(&g_array_index(set->expect, RbTocExpect, i), lba, data + at);
	}
	rb_toc_test_set_free(set);
}
END_TEST
/* ---- malformed files ---- */

typedef struct {
	const gchar *toc;
	gint code;
	guint line;
} RbBadToc;

#define RB_T1 "TRACK AUDIO\nFILE \"a.cdr\" 0\n"

static const RbBadToc rb_bad_tocs[] = {
	{"CD_DA\n" RB_T1 "BOGUS 1\n", RB_DISC_IMAGE_ERROR_SYNTAX, 4},
	{"CD_DA\nTRACK AUDIO\nFILE \"missing.cdr\" 0\n", RB_DISC_IMAGE_ERROR_FILE, 3},
	{"CD_DA\nTRACK AUDIO\nFILE \"a.cdr\" 0 0:9:0\n", RB_DISC_IMAGE_ERROR_FILE_TOO_SHORT, 3},
	{"CD_DA\nTRACK AUDIO\nFILE \"a.cdr\" 0 0:3:0\n", RB_DISC_IMAGE_ERROR_INVALID, 2},
	{"CD_I\n" RB_T1, RB_DISC_IMAGE_ERROR_UNSUPPORTED, 1},
	{"CD_DA\nTRACK AUDIO RW\nFILE \"a.cdr\" 0\n", RB_DISC_IMAGE_ERROR_UNSUPPORTED, 2},
	{"CD_DA\nTRACK AUDIO\nFOUR_CHANNEL_AUDIO\nFILE \"a.cdr\" 0\n",
	 RB_DISC_IMAGE_ERROR_UNSUPPORTED,
	 3},
	{"CD_DA\nCD_TEXT {\n LANGUAGE_MAP { 0 : EN }\n LANGUAGE 0 { ENCODING_MS_JIS\n"
	 " TITLE \"x\" } }\n" RB_T1,
	 RB_DISC_IMAGE_ERROR_UNSUPPORTED,
	 4},
	{"CD_DA\nCATALOG \"12345\"\n" RB_T1, RB_DISC_IMAGE_ERROR_SYNTAX, 2},
	{"CD_DA\nTRACK AUDIO\nISRC \"bad\"\nFILE \"a.cdr\" 0\n", RB_DISC_IMAGE_ERROR_INVALID, 3},
	{"CD_DA\nTRACK AUDIO\nFILE \"a.cdr\" 0\nINDEX 0:9:0\n", RB_DISC_IMAGE_ERROR_SYNTAX, 4},
	{"CD_DA\nTRACK AUDIO\nFILE \"a.cdr\" 0\nSTART 0:9:0\n", RB_DISC_IMAGE_ERROR_SYNTAX, 4},
	{"CD_DA\nTRACK AUDIO\nFILE \"a.cdr\" 0:0:80\n", RB_DISC_IMAGE_ERROR_SYNTAX, 3},
	{"CD_DA\nTRACK AUDIO\nFILE \"a.cdr 0\n", RB_DISC_IMAGE_ERROR_SYNTAX, 3},
	{"CD_DA\nTRACK MODE1\nFILE \"a.cdr\" 0\n", RB_DISC_IMAGE_ERROR_SYNTAX, 1},
	{"CD_ROM\nTRACK MODE1\nDATAFILE \"a.cdr\"\n" RB_T1 "ZERO 0:1:0\n",
	 RB_DISC_IMAGE_ERROR_SYNTAX,
	 6},
	{"CD_ROM_XA\nTRACK MODE2_FORM2\nDATAFILE \"a.cdr\"\n", RB_DISC_IMAGE_ERROR_UNSUPPORTED, 2},
	{"CD_DA\nTRACK AUDIO\nFIFO \"/tmp/f\" 100\n", RB_DISC_IMAGE_ERROR_UNSUPPORTED, 3},
	{"CD_DA\n", RB_DISC_IMAGE_ERROR_SYNTAX, 2},
	{"CD_DA\nTRACK AUDIO\nFILE \"x.mp3\" 0\n", RB_DISC_IMAGE_ERROR_UNSUPPORTED, 3},
};

START_TEST(test_toc_malformed)
{
	const RbBadToc *bad = &rb_bad_tocs[_i];
	RbTocTestSet *set = rb_toc_test_set_new();
	g_autofree guint8 *a = g_malloc0(450 * S);
	g_autoptr(GError) error = NULL;
	g_autoptr(RbDiscImage) image = NULL;
	g_autofree gchar *where = NULL;

	g_free(rb_disc_test_write(set->dir, "a.cdr", a, 450 * S));
	rb_toc_test_set_write_toc(set, bad->toc);
	image = rb_disc_image_open(set->toc_path, &error);
	ck_assert_msg(image == NULL, "accepted:\n%s", bad->toc);
	ck_assert_msg(error->code == bad->code,
		      "%s: code %d, not %d",
		      error->message,
		      error->code,
		      bad->code);
	where = g_strdup_printf("disc.toc line %u:", bad->line);
	ck_assert_msg(
		strstr(error->message, where) != NULL, "“%s” lacks “%s”", error->message, where);
	rb_toc_test_set_free(set);
}
END_TEST

/* a 100th track: the file names its line */
START_TEST(test_toc_too_many_tracks)
{
	RbTocTestSet *set = rb_toc_test_set_new();
	g_autofree guint8 *a = g_malloc0(300 * S);
	g_autoptr(GString) toc = g_string_new("CD_DA\n");
	g_autoptr(GError) error = NULL;
	g_autoptr(RbDiscImage) image = NULL;

	g_free(rb_disc_test_write(set->dir, "a.cdr", a, 300 * S));
	for (guint i = 0; i < 100; i++)
		g_string_append(toc, "TRACK AUDIO\nFILE \"a.cdr\" 0\n");
	rb_toc_test_set_write_toc(set, toc->str);
	image = rb_disc_image_open(set->toc_path, &error);
	ck_assert(image == NULL);
	ck_assert_int_eq(error->code, RB_DISC_IMAGE_ERROR_INVALID);
	ck_assert_msg(strstr(error->message, "disc.toc line 200:") != NULL, "%s", error->message);
	rb_toc_test_set_free(set);
}
END_TEST

/*
 * The reviewer's TOC: 1176 × SILENCE 4294967295 samples then a file of 302
 * blocks make 2^33 + 300 blocks, which in 32 bits were a 4 s track of
 * zeros whose file was never read; the first statement a disc cannot
 * hold is refused.
 */
START_TEST(test_toc_length_wraps)
{
	RbTocTestSet *set = rb_toc_test_set_new();
	g_autofree guint8 *a = g_malloc0(302 * S);
	g_autoptr(GString) toc = g_string_new("CD_DA\nTRACK AUDIO\n");
	g_autoptr(GError) error = NULL;
	g_autoptr(RbDiscImage) image = NULL;

	g_free(rb_disc_test_write(set->dir, "a.raw", a, 302 * S));
	for (guint i = 0; i < 1176; i++)
		g_string_append(toc, "SILENCE 4294967295\n");
	g_string_append(toc, "FILE \"a.raw\" 0\n");
	rb_toc_test_set_write_toc(set, toc->str);
	image = rb_disc_image_open(set->toc_path, &error);
	ck_assert_msg(image == NULL, "a track of 2^33 + 300 blocks accepted");
	ck_assert_int_eq(error->code, RB_DISC_IMAGE_ERROR_TOO_LONG);
	ck_assert_msg(strstr(error->message, "disc.toc line 3:") != NULL, "%s", error->message);
	rb_toc_test_set_free(set);
}
END_TEST

/* FIRST_TRACK_NO 3: the titles of the TOC's tracks are tracks 3 and 4's */
START_TEST(test_toc_first_track_cdtext)
{
	RbTocTestSet *set = rb_toc_test_set_first_track();
	g_autoptr(RbDiscImage) image = rb_toc_test_set_open(set);
	RbImageLayout *layout = rb_disc_image_get_layout(image);
	RbCdText *cdtext = rb_disc_image_get_cdtext(image);
	g_autoptr(GBytes) packs = NULL;
	g_autoptr(GError) error = NULL;

	ck_assert_uint_eq(rb_image_layout_get_n_tracks(layout), 2);
	ck_assert_uint_eq(rb_image_layout_get_track(layout, 0)->number, 3);
	ck_assert_uint_eq(rb_image_layout_get_track(layout, 1)->number, 4);
	ck_assert(cdtext != NULL);
	ck_assert_str_eq(rb_cdtext_get_text(cdtext, 0, RB_CDTEXT_TITLE, 0), "Disc");
	ck_assert_str_eq(rb_cdtext_get_text(cdtext, 0, RB_CDTEXT_TITLE, 3), "Three");
	ck_assert_str_eq(rb_cdtext_get_text(cdtext, 0, RB_CDTEXT_TITLE, 4), "Four");
	ck_assert(rb_cdtext_get_text(cdtext, 0, RB_CDTEXT_TITLE, 1) == NULL);
	packs = rb_cdtext_encode(cdtext, 3, 4, &error);
	ck_assert_msg(packs != NULL, "%s", error != NULL ? error->message : "");
	rb_toc_test_set_free(set);
}
END_TEST

/* a FIFO and an oversized sparse sheet: refused unread (rb-disc-file.c) */
START_TEST(test_toc_sheet_not_regular)
{
	rb_disc_test_sheet_refused(rb_disc_toc_read, "toc");
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("disc-toc");
	TCase *tc = tcase_create("disc-toc");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_toc_audio_model);
	tcase_add_test(tc, test_toc_first_track_cdtext);
	tcase_add_loop_test(tc, test_toc_stream, 0, rb_toc_test_n_sets());
	tcase_add_loop_test(tc, test_toc_malformed, 0, G_N_ELEMENTS(rb_bad_tocs));
	tcase_add_test(tc, test_toc_too_many_tracks);
	tcase_add_test(tc, test_toc_length_wraps);
	tcase_add_test(tc, test_toc_sheet_not_regular);
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
