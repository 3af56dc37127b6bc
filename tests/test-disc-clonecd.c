/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The CloneCD reader: a set (.ccd, .img, .sub) written here, a Mode 1
 * data track then an audio track, the .sub's P-Q the disc's own (from a
 * layout built independently with the image core) and its R-W a pattern;
 * the layout read back, the stream's P-W and main channel against the
 * files, and the refusals (a .sub whose Q disagrees, no .img, a truncated
 * .sub, two sessions).
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "rb-disc-image-private.h"
#include "rb-msf.h"
#include "rb-scramble.h"
#include "rb-test-service.h"

#define RB_T1_SECTORS 300
#define RB_T2_PREGAP 150
#define RB_T2_SECTORS 400
#define RB_LEADOUT (RB_T1_SECTORS + RB_T2_PREGAP + RB_T2_SECTORS)
#define RB_ISRC "USRC17607839"
#define RB_MCN "0724349876545"

typedef struct {
	gchar *dir;
	gchar *ccd;
	gchar *img;
	gchar *sub;
	guint8 *symbols; /* the .sub as P-W symbols, 96 per sector */
} RbCcdSet;

typedef struct {
	guint sessions;
	gint32 bad_q_lba; /* >= 0: this sector's Q says another index */
	gboolean short_sub;
	gboolean no_img;
} RbCcdOptions;

static void
rb_ccd_set_free(RbCcdSet *set)
{
	g_unlink(set->ccd);
	g_unlink(set->img);
	g_unlink(set->sub);
	g_rmdir(set->dir);
	g_free(set->dir);
	g_free(set->ccd);
	g_free(set->img);
	g_free(set->sub);
	g_free(set->symbols);
	g_free(set);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RbCcdSet, rb_ccd_set_free)

/* the disc's layout, built with the core as a burner would (independent of the reader) */
static RbImageLayout *
rb_ccd_reference_layout(void)
{
	RbImageLayout *layout = rb_image_layout_new();

	ck_assert(rb_image_layout_set_explicit_gaps(layout, TRUE, NULL));
	ck_assert(rb_image_layout_set_mcn(layout, RB_MCN, NULL));
	ck_assert(rb_image_layout_add_track(
		layout, RB_CD_SECTOR_MODE1_RAW, RB_T1_SECTORS, NULL, NULL));
	ck_assert(rb_image_layout_track_set_pregap(layout, 0, 150, NULL));
	ck_assert(rb_image_layout_add_track(layout, RB_CD_SECTOR_AUDIO, RB_T2_SECTORS, NULL, NULL));
	ck_assert(rb_image_layout_track_set_pregap(layout, 1, RB_T2_PREGAP, NULL));
	ck_assert(rb_image_layout_track_set_isrc(layout, 1, RB_ISRC, NULL));
	return layout;
}

static void
rb_ccd_img_sector(gint32 lba, guint8 out[2352])
{
	guint8 user[2352];

	for (gsize i = 0; i < sizeof(user); i++)
		user[i] = (guint8)(lba * 5 + i * 11);
	if (lba < RB_T1_SECTORS)
		rb_cd_sector_encode(RB_CD_SECTOR_MODE1, lba, user, out); /* descrambled */
	else
		memcpy(out, user, 2352);
}

static RbCcdSet *
rb_ccd_write(const RbCcdOptions *o)
{
	RbCcdSet *set = g_new0(RbCcdSet, 1);
	g_autoptr(RbImageLayout) layout = rb_ccd_reference_layout();
	g_autoptr(GString) ccd = g_string_new(NULL);
	g_autoptr(GByteArray) img = g_byte_array_new();
	g_autoptr(GByteArray) sub = g_byte_array_new();
	g_autoptr(RbCdText) text = rb_cdtext_new();
	g_autoptr(GBytes) packs = NULL;
	struct {
		guint point;
		guint control;
		gint32 lba;
	} entries[] = {
		{0xA0, 4, 0},
		{0xA1, 0, 0},
		{0xA2, 0, RB_LEADOUT},
		{1, 4, 0},
		{2, 0, RB_T1_SECTORS + RB_T2_PREGAP},
	};

	set->dir = g_dir_make_tmp("rb-ccd-XXXXXX", NULL);
	set->ccd = g_build_filename(set->dir, "disc.ccd", NULL);
	set->img = g_build_filename(set->dir, "disc.img", NULL);
	set->sub = g_build_filename(set->dir, "disc.sub", NULL);
	set->symbols = g_malloc((gsize)RB_LEADOUT * 96);

	for (gint32 lba = 0; lba < RB_LEADOUT; lba++) {
		guint8 sector[2352];
		guint8 q[RB_SUBQ_SIZE];
		guint8 channels[96] = {0};
		guint8 *pw = set->symbols + (gsize)lba * 96;
		gboolean p = FALSE;

		rb_ccd_img_sector(lba, sector);
		g_byte_array_append(img, sector, sizeof(sector));
		ck_assert(rb_image_layout_get_subq(layout, lba, q, &p));
		if (lba == o->bad_q_lba) {
			q[2] = 0x02; /* index 02 where the sheet has 01 */
			rb_subq_set_crc(q);
		}
		rb_subchannel_pw_build(q, p, pw);
		/* R-W: a pattern that is not zero, 6 bits per symbol */
		for (guint k = 0; k < 96; k++)
			pw[k] = (guint8)((pw[k] & 0xC0) | ((lba + k * 3) & 0x3F));
		/* CloneCD order: 12 bytes per channel, P first */
		for (guint k = 0; k < 96; k++) {
			for (guint c = 0; c < 8; c++) {
				if ((pw[k] >> (7 - c)) & 1)
					channels[c * 12 + k / 8] |= (guint8)(0x80 >> (k % 8));
			}
		}
		g_byte_array_append(sub, channels, sizeof(channels));
	}

	ck_assert(rb_cdtext_set_text(text, 0, RB_CDTEXT_TITLE, 0, "Clone Disc", NULL));
	ck_assert(rb_cdtext_set_text(text, 0, RB_CDTEXT_TITLE, 2, "Clone Song", NULL));
	packs = rb_cdtext_encode(text, 1, 2, NULL);
	ck_assert(packs != NULL);

	g_string_append(ccd, "[CloneCD]\r\nVersion=3\r\n[Disc]\r\n");
	g_string_append_printf(ccd, "TocEntries=%u\r\n", (guint)G_N_ELEMENTS(entries));
	g_string_append_printf(ccd, "Sessions=%u\r\n", o->sessions);
	g_string_append_printf(ccd,
			       "DataTracksScrambled=0\r\nCDTextLength=%u\r\nCATALOG=%s\r\n",
			       (guint)g_bytes_get_size(packs),
			       RB_MCN);
	g_string_append_printf(ccd,
			       "[CDText]\r\nEntries=%u\r\n",
			       (guint)(g_bytes_get_size(packs) / RB_CDTEXT_PACK_SIZE));
	for (gsize i = 0; i < g_bytes_get_size(packs) / RB_CDTEXT_PACK_SIZE; i++) {
		const guint8 *pack = (const guint8 *)g_bytes_get_data(packs, NULL) + i * 18;

		g_string_append_printf(ccd, "Entry %u=", (guint)i);
		for (guint b = 0; b < 18; b++)
			g_string_append_printf(ccd, b == 17 ? "%02x\r\n" : "%02x ", pack[b]);
	}
	g_string_append(ccd, "[Session 1]\r\nPreGapMode=1\r\nPreGapSubC=0\r\n");
	for (guint i = 0; i < G_N_ELEMENTS(entries); i++) {
		RbMsf msf = {0};
		gboolean is_count = entries[i].point == 0xA0 || entries[i].point == 0xA1;

		rb_msf_from_lba(entries[i].lba, &msf);
		g_string_append_printf(
			ccd,
			"[Entry %u]\r\nSession=%u\r\nPoint=0x%02x\r\nADR=0x01\r\n"
			"Control=0x%02x\r\nTrackNo=0\r\nAMin=0\r\nASec=0\r\nAFrame=0\r\n"
			"ALBA=-150\r\nZero=0\r\n",
			i,
			i == 4 && o->sessions > 1 ? 2 : 1,
			entries[i].point,
			entries[i].control);
		if (is_count)
			g_string_append_printf(
				ccd,
				"PMin=%u\r\nPSec=0\r\nPFrame=0\r\nPLBA=%d\r\n",
				entries[i].point == 0xA0 ? 1 : 2,
				rb_msf_to_lba((RbMsf){entries[i].point == 0xA0 ? 1 : 2, 0, 0}));
		else
			g_string_append_printf(ccd,
					       "PMin=%u\r\nPSec=%u\r\nPFrame=%u\r\nPLBA=%d\r\n",
					       msf.minute,
					       msf.second,
					       msf.frame,
					       entries[i].lba);
	}
	g_string_append(ccd, "[TRACK 1]\r\nMODE=1\r\nINDEX 1=0\r\n");
	g_string_append_printf(ccd,
			       "[TRACK 2]\r\nMODE=0\r\nISRC=%s\r\nINDEX 0=%d\r\nINDEX 1=%d\r\n",
			       RB_ISRC,
			       RB_T1_SECTORS,
			       RB_T1_SECTORS + RB_T2_PREGAP);

	ck_assert(g_file_set_contents(set->ccd, ccd->str, (gssize)ccd->len, NULL));
	if (!o->no_img)
		ck_assert(g_file_set_contents(set->img, (const gchar *)img->data, img->len, NULL));
	ck_assert(g_file_set_contents(set->sub,
				      (const gchar *)sub->data,
				      o->short_sub ? sub->len - 96 * 10 : sub->len,
				      NULL));
	return set;
}

START_TEST(test_clonecd_layout)
{
	RbCcdOptions o = {.sessions = 1, .bad_q_lba = -1};
	g_autoptr(RbCcdSet) set = rb_ccd_write(&o);
	g_autoptr(GError) error = NULL;
	g_autoptr(RbDiscImage) image = rb_disc_image_open(set->ccd, &error);
	RbImageLayout *layout;
	const RbImageTrack *t;
	gint32 leadout = 0;

	ck_assert_msg(image != NULL, "%s", error != NULL ? error->message : "");
	ck_assert_int_eq(rb_disc_image_get_format(image), RB_DISC_IMAGE_FORMAT_CLONECD);
	layout = rb_disc_image_get_layout(image);
	ck_assert_uint_eq(rb_image_layout_get_n_tracks(layout), 2);
	ck_assert_str_eq(rb_image_layout_get_mcn(layout), RB_MCN);
	ck_assert(rb_image_layout_has_subchannel_source(layout));
	ck_assert_uint_eq(rb_image_layout_get_image_type(layout), 3);
	t = rb_image_layout_get_track(layout, 0);
	ck_assert_int_eq(t->type, RB_CD_SECTOR_MODE1_RAW);
	ck_assert_int_eq(t->start, 0);
	ck_assert_uint_eq(t->n_sectors, RB_T1_SECTORS);
	ck_assert_uint_eq(t->pregap_sectors, 150);
	t = rb_image_layout_get_track(layout, 1);
	ck_assert_int_eq(t->type, RB_CD_SECTOR_AUDIO);
	ck_assert_int_eq(t->start, RB_T1_SECTORS + RB_T2_PREGAP);
	ck_assert_uint_eq(t->pregap_sectors, RB_T2_PREGAP);
	ck_assert_uint_eq(t->n_sectors, RB_T2_SECTORS);
	ck_assert_str_eq(t->isrc, RB_ISRC);
	ck_assert(rb_image_layout_get_leadout_start(layout, &leadout, NULL));
	ck_assert_int_eq(leadout, RB_LEADOUT);
	ck_assert(rb_disc_image_get_cdtext(image) != NULL);
	ck_assert_str_eq(rb_cdtext_get_text(rb_disc_image_get_cdtext(image), 0, RB_CDTEXT_TITLE, 2),
			 "Clone Song");
}
END_TEST

START_TEST(test_clonecd_stream)
{
	RbCcdOptions o = {.sessions = 1, .bad_q_lba = -1};
	g_autoptr(RbCcdSet) set = rb_ccd_write(&o);
	g_autoptr(GError) error = NULL;
	g_autoptr(RbDiscImage) image = rb_disc_clonecd_read(set->ccd, &error);
	g_autoptr(RbDiscImageStream) stream = NULL;
	g_autofree guint8 *buf = NULL;
	gsize size;
	guint n = 0;
	guint pw_checked = 0;
	guint main_checked = 0;
	gint32 lba = RB_IMAGE_FIRST_LBA;

	ck_assert_msg(image != NULL, "%s", error != NULL ? error->message : "");
	stream = rb_disc_image_stream_new(image, &error);
	ck_assert_msg(stream != NULL, "%s", error != NULL ? error->message : "");
	size = rb_disc_image_stream_get_sector_size(stream);
	ck_assert_uint_eq(size, 2352 + 96);
	buf = g_malloc(size * 64);
	while (rb_disc_image_stream_read(stream, buf, 64, &n, &error) && n > 0) {
		for (guint s = 0; s < n; s++, lba++) {
			guint8 *sector = buf + s * size;
			guint8 want[2352];

			if (lba < 0 || lba >= RB_LEADOUT)
				continue;
			/* the .sub burned as it is, R-W included */
			ck_assert_msg(memcmp(sector + 2352, set->symbols + (gsize)lba * 96, 96) ==
					      0,
				      "P-W at LBA %d",
				      lba);
			pw_checked++;
			rb_ccd_img_sector(lba, want);
			if (lba < RB_T1_SECTORS)
				rb_scramble_sector(want);
			ck_assert_msg(memcmp(sector, want, 2352) == 0, "main at LBA %d", lba);
			main_checked++;
		}
	}
	ck_assert_msg(error == NULL, "%s", error != NULL ? error->message : "");
	ck_assert_uint_eq(pw_checked, RB_LEADOUT);
	ck_assert_uint_eq(main_checked, RB_LEADOUT);
}
END_TEST

static void
rb_ccd_assert_refused(const RbCcdOptions *o, gint code, const gchar *says)
{
	g_autoptr(RbCcdSet) set = rb_ccd_write(o);
	g_autoptr(GError) error = NULL;
	g_autoptr(RbDiscImage) image = rb_disc_clonecd_read(set->ccd, &error);

	ck_assert(image == NULL);
	ck_assert_msg(g_error_matches(error, RB_DISC_IMAGE_ERROR, code),
		      "%s",
		      error != NULL ? error->message : "");
	ck_assert_msg(
		strstr(error->message, says) != NULL, "“%s” lacks “%s”", error->message, says);
}

START_TEST(test_clonecd_refuses_q_disagreement)
{
	RbCcdOptions o = {.sessions = 1, .bad_q_lba = 500};
	rb_ccd_assert_refused(&o, RB_DISC_IMAGE_ERROR_MISMATCH, "LBA 500");
}
END_TEST

START_TEST(test_clonecd_refuses_missing_img)
{
	RbCcdOptions o = {.sessions = 1, .bad_q_lba = -1, .no_img = TRUE};
	rb_ccd_assert_refused(&o, RB_DISC_IMAGE_ERROR_FILE, "disc.img");
}
END_TEST

START_TEST(test_clonecd_refuses_short_sub)
{
	RbCcdOptions o = {.sessions = 1, .bad_q_lba = -1, .short_sub = TRUE};
	rb_ccd_assert_refused(&o, RB_DISC_IMAGE_ERROR_FILE_TOO_SHORT, "disc.sub");
}
END_TEST

START_TEST(test_clonecd_refuses_two_sessions)
{
	RbCcdOptions o = {.sessions = 2, .bad_q_lba = -1};
	rb_ccd_assert_refused(&o, RB_DISC_IMAGE_ERROR_UNSUPPORTED, "multi-session");
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("disc-clonecd");
	TCase *tc = tcase_create("disc-clonecd");

	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_clonecd_layout);
	tcase_add_test(tc, test_clonecd_stream);
	tcase_add_test(tc, test_clonecd_refuses_q_disagreement);
	tcase_add_test(tc, test_clonecd_refuses_missing_img);
	tcase_add_test(tc, test_clonecd_refuses_short_sub);
	tcase_add_test(tc, test_clonecd_refuses_two_sessions);
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
