/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The image core's additions for image files: sheet mode (each track's
 * source brings its own pregap, of any length after track 1) and a
 * sub-channel source. Each disc is produced and burned on the emulated
 * drive, whose judge must find nothing wrong and whose TOC must be
 * ExpectedTableOfContents; the pregap sectors and the sub-channel source's
 * bytes are checked in the stream against what the test's sources gave.
 * And the refusals, CD-TEXT's included (CD-TEXT in the lead-in itself:
 * test-image-cdtext.c).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "rb-image-private.h"
#include "rb-image-sheet-test.h"
#include "rb-image-test.h"
#include "rb-scramble.h"
#include "rb-test-service.h"
#include "rb-vdrive-test.h"

#define rb_assert_error(call, expected_code)                                                       \
	G_STMT_START                                                                               \
	{                                                                                          \
		g_autoptr(GError) rb_error = NULL;                                                 \
		GError **error = &rb_error;                                                        \
		ck_assert(!(call));                                                                \
		ck_assert(rb_error != NULL);                                                       \
		ck_assert_msg(g_error_matches(rb_error, RB_IMAGE_ERROR, (expected_code)),          \
			      "%s",                                                                \
			      rb_error->message);                                                  \
	}                                                                                          \
	G_STMT_END

/* the descriptor of POINT @point in ExpectedTableOfContents */
static const guint8 *
rb_toc_point(GBytes *toc, guint8 point)
{
	gsize len = 0;
	const guint8 *d = g_bytes_get_data(toc, &len);

	for (gsize at = 4; at + RB_IMAGE_TOC_DESCRIPTOR_SIZE <= len;
	     at += RB_IMAGE_TOC_DESCRIPTOR_SIZE) {
		if (d[at + 3] == point)
			return d + at;
	}
	ck_abort_msg("no POINT %02X", point);
	return NULL;
}

/* the 2352 bytes of track @i's source sector @k (pregap first) at @lba, as
 * the stream must carry them: audio as given, cooked data built, scrambled */
static void
rb_expected_main(const RbImageTrack *t, guint i, guint32 k, gint32 lba, guint8 *out)
{
	gsize size = rb_image_type_input_size(t->type);
	guint8 input[RB_CD_MAIN_SIZE];

	for (gsize b = 0; b < size; b++)
		input[b] = rb_sheet_test_pattern(i, (guint64)k * size + b);
	if (t->type == RB_CD_SECTOR_AUDIO) {
		memcpy(out, input, RB_CD_MAIN_SIZE);
		return;
	}
	rb_cd_sector_encode(t->type, lba, input, out);
	rb_scramble_sector(out);
}

static void
rb_assert_track_sector(GBytes *image, const RbImageLayout *layout, guint i, guint32 k)
{
	const RbImageTrack *t = rb_image_layout_get_track(layout, i);
	gint32 lba = t->pregap_start + (gint32)k;
	guint8 expected[RB_CD_MAIN_SIZE];

	rb_expected_main(t, i, k, lba, expected);
	ck_assert_msg(memcmp(rb_image_test_sector(image, layout, lba), expected, RB_CD_MAIN_SIZE) ==
			      0,
		      "track %u source sector %u at LBA %d",
		      i + 1,
		      k,
		      lba);
}

/* --- sheet-mode discs -------------------------------------------------------------------- */

typedef struct {
	guint n;
	RbCdSectorType types[4];
	guint32 lengths[4];
	guint32 pregaps[4];
	/* A0's PSEC in the TOC: 0 (CD-DA, CD-ROM) or 20 (XA's 20h read as BCD) */
	guint8 disc_type;
} RbSheetDisc;

static const RbSheetDisc rb_sheet_discs[] = {
	/* audio, pregaps of 0, 75 and 150 after track 1's 150 */
	{4, {0, 0, 0, 0}, {300, 300, 300, 300}, {150, 0, 75, 150}, 0x00},
	/* a hidden track 1 pregap */
	{2, {0, 0}, {300, 450}, {300, 0}, 0x00},
	/* Mode 1 track 1, then audio after a 150-sector pregap */
	{2, {RB_CD_SECTOR_MODE1, 0}, {400, 300}, {150, 150}, 0x00},
	/* Mode 2 forms, the second track after a short pregap */
	{2, {RB_CD_SECTOR_MODE2_FORM1, RB_CD_SECTOR_MODE2_FORM2}, {300, 300}, {150, 75}, 20},
	/* audio then Mode 2 Form 1 (sheet mode takes any order) */
	{2, {0, RB_CD_SECTOR_MODE2_FORM1}, {300, 300}, {150, 150}, 20},
	/* Mode 0, then audio without a pregap */
	{2, {RB_CD_SECTOR_MODE_ZERO, 0}, {300, 300}, {150, 0}, 0x00},
};

static RbImageLayout *
rb_sheet_layout(const RbSheetDisc *disc, guint type)
{
	RbImageLayout *layout = rb_image_layout_new();

	ck_assert(rb_image_layout_set_image_type(layout, type, NULL));
	ck_assert(rb_image_layout_set_explicit_gaps(layout, TRUE, NULL));
	ck_assert(rb_image_layout_get_explicit_gaps(layout));
	for (guint i = 0; i < disc->n; i++) {
		guint index = G_MAXUINT;
		ck_assert(rb_image_layout_add_track(
			layout, disc->types[i], disc->lengths[i], &index, NULL));
		ck_assert_uint_eq(index, i);
		ck_assert(rb_image_layout_track_set_pregap(layout, i, disc->pregaps[i], NULL));
	}
	return layout;
}

/* positions, TOC, the judge, the pregaps' bytes and READ CD of each track */
START_TEST(test_sheet_disc)
{
	const RbSheetDisc *disc = &rb_sheet_discs[_i];
	g_autoptr(RbImageLayout) layout = rb_sheet_layout(disc, RB_DATA_BLOCK_TYPE_RAW_PW);
	g_autoptr(GBytes) toc = rb_image_layout_get_expected_toc(layout, NULL);
	g_autoptr(GBytes) image = NULL;
	g_autoptr(RbVdrive) drive = NULL;
	RbVdriveReport report;
	RbSheetSource src;
	gint32 at = -150;
	gint32 leadout = 0;

	/* the tracks abut, each after its own pregap */
	for (guint i = 0; i < disc->n; i++) {
		const RbImageTrack *t = rb_image_layout_get_track(layout, i);
		const guint8 *d = rb_toc_point(toc, (guint8)(i + 1));
		RbMsf msf;

		ck_assert_int_eq(t->pregap_start, at);
		ck_assert_int_eq(t->start, at + (gint32)disc->pregaps[i]);
		ck_assert_uint_eq(t->pregap_sectors, disc->pregaps[i]);
		rb_msf_from_lba(t->start, &msf);
		ck_assert_uint_eq(d[8], msf.minute);
		ck_assert_uint_eq(d[9], msf.second);
		ck_assert_uint_eq(d[10], msf.frame);
		ck_assert_uint_eq(d[1] & 0x0F, rb_image_type_is_data(disc->types[i]) ? 4 : 0);
		at = t->start + (gint32)disc->lengths[i];
	}
	ck_assert(rb_image_layout_get_leadout_start(layout, &leadout, NULL));
	ck_assert_int_eq(leadout, at);
	ck_assert_uint_eq(rb_toc_point(toc, 0xA0)[9], disc->disc_type);

	rb_sheet_test_source_init(&src, layout);
	image = rb_sheet_test_produce(layout, &src);
	drive = rb_image_test_burn(layout, image, &report);
	rb_image_test_assert_clean(&report, layout);
	rb_image_test_assert_toc(drive, layout);

	for (guint i = 0; i < disc->n; i++) {
		const RbImageTrack *t = rb_image_layout_get_track(layout, i);
		guint32 total = t->pregap_sectors + t->n_sectors;
		guint8 cdb[12] = {RB_MMC_READ_CD, 0, 0, 0, 0, 0, 0, 0, 1, 0xF8, 0};
		guint8 raw[RB_CD_MAIN_SIZE];
		guint8 expected[RB_CD_MAIN_SIZE];

		/* the source's first sector is the pregap's, the one after
		 * the pregap index 1's, its last the track's last */
		rb_assert_track_sector(image, layout, i, 0);
		rb_assert_track_sector(image, layout, i, t->pregap_sectors);
		rb_assert_track_sector(image, layout, i, total - 1);
		if (t->pregap_sectors > 1)
			rb_assert_track_sector(image, layout, i, t->pregap_sectors - 1);

		/* the drive reads index 1's first sector back (descrambled) */
		cdb[2] = (guint8)((guint32)t->start >> 24);
		cdb[3] = (guint8)((guint32)t->start >> 16);
		cdb[4] = (guint8)((guint32)t->start >> 8);
		cdb[5] = (guint8)t->start;
		if (t->type == RB_CD_SECTOR_AUDIO)
			cdb[9] = 0x10;
		rb_assert_good(rb_cmd(drive, cdb, sizeof(cdb), RB_MMC_DIR_IN, raw, sizeof(raw)));
		rb_expected_main(t, i, t->pregap_sectors, t->start, expected);
		if (t->type != RB_CD_SECTOR_AUDIO)
			rb_scramble_sector(expected);
		ck_assert_mem_eq(raw, expected, RB_CD_MAIN_SIZE);
	}
}
END_TEST

/* Q and P of chosen sectors, where short pregaps move the start flag */
START_TEST(test_sheet_subq)
{
	g_autoptr(RbImageLayout) layout =
		rb_sheet_layout(&rb_sheet_discs[0], RB_DATA_BLOCK_TYPE_RAW_PW);
	g_autoptr(RbImageLayout) hidden =
		rb_sheet_layout(&rb_sheet_discs[1], RB_DATA_BLOCK_TYPE_RAW_PW);

	/* track 1: pregap -150..-1, index 1 from 0 to 299 */
	rb_sheet_test_assert_q(layout, -150, 0x01, 0x00, 150, TRUE);
	rb_sheet_test_assert_q(layout, -1, 0x01, 0x00, 1, TRUE);
	rb_sheet_test_assert_q(layout, 0, 0x01, 0x01, 0, FALSE);
	rb_sheet_test_assert_q(layout, 149, 0x01, 0x01, 149, FALSE);
	/* track 2 has no pregap: P's 2 s before its start lie in track 1 */
	rb_sheet_test_assert_q(layout, 150, 0x01, 0x01, 150, TRUE);
	rb_sheet_test_assert_q(layout, 299, 0x01, 0x01, 299, TRUE);
	rb_sheet_test_assert_q(layout, 300, 0x02, 0x01, 0, FALSE);
	/* track 3: 75 sectors of pregap at 600, the flag from 525 */
	rb_sheet_test_assert_q(layout, 524, 0x02, 0x01, 224, FALSE);
	rb_sheet_test_assert_q(layout, 525, 0x02, 0x01, 225, TRUE);
	rb_sheet_test_assert_q(layout, 599, 0x02, 0x01, 299, TRUE);
	rb_sheet_test_assert_q(layout, 600, 0x03, 0x00, 75, TRUE);
	rb_sheet_test_assert_q(layout, 674, 0x03, 0x00, 1, TRUE);
	rb_sheet_test_assert_q(layout, 675, 0x03, 0x01, 0, FALSE);
	/* track 4: a full pregap, the flag only there */
	rb_sheet_test_assert_q(layout, 974, 0x03, 0x01, 299, FALSE);
	rb_sheet_test_assert_q(layout, 975, 0x04, 0x00, 150, TRUE);
	rb_sheet_test_assert_q(layout, 1125, 0x04, 0x01, 0, FALSE);
	rb_sheet_test_assert_q(layout, 1425, 0xAA, 0x01, 0, FALSE);

	/* a hidden pregap: index 0 from -150 to 149 */
	rb_sheet_test_assert_q(hidden, -150, 0x01, 0x00, 300, TRUE);
	rb_sheet_test_assert_q(hidden, 0, 0x01, 0x00, 150, TRUE);
	rb_sheet_test_assert_q(hidden, 149, 0x01, 0x00, 1, TRUE);
	rb_sheet_test_assert_q(hidden, 150, 0x01, 0x01, 0, FALSE);
	rb_sheet_test_assert_q(hidden, 299, 0x01, 0x01, 149, FALSE);
	rb_sheet_test_assert_q(hidden, 300, 0x01, 0x01, 150, TRUE);
	rb_sheet_test_assert_q(hidden, 450, 0x02, 0x01, 0, FALSE);
}
END_TEST

/* --- the sub-channel source -------------------------------------------------------------- */

START_TEST(test_subchannel_source)
{
	g_autoptr(RbImageLayout) layout =
		_i == 0 ? rb_sheet_test_audio_layout(RB_DATA_BLOCK_TYPE_RAW_PW, 2)
			: rb_sheet_layout(&rb_sheet_discs[0], RB_DATA_BLOCK_TYPE_RAW_PW);
	g_autoptr(RbImageLayout) plain = NULL;
	g_autoptr(GBytes) image = NULL;
	g_autoptr(GBytes) plain_image = NULL;
	g_autoptr(RbVdrive) drive = NULL;
	RbVdriveReport report;
	RbSheetSource src;
	gint32 leadout = 0;

	plain = rb_image_layout_copy(layout);
	ck_assert(!rb_image_layout_has_subchannel_source(layout));
	ck_assert(rb_image_layout_add_subchannel_source(layout, NULL));
	ck_assert(rb_image_layout_has_subchannel_source(layout));
	ck_assert(rb_image_layout_get_leadout_start(layout, &leadout, NULL));
	rb_sheet_test_source_init(&src, layout);
	image = rb_sheet_test_produce(layout, &src);
	ck_assert_uint_eq(src.offset[RB_IMAGE_SOURCE_SUBCHANNEL],
			  (guint64)leadout * RB_SUBCHANNEL_PW_SIZE);
	rb_sheet_test_source_init(&src, plain);
	plain_image = rb_sheet_test_produce(plain, &src);

	/* verbatim from LBA 0 to the lead-out, generated elsewhere */
	for (gint32 lba = RB_IMAGE_FIRST_LBA; lba < rb_image_layout_get_end_lba(layout); lba++) {
		const guint8 *pw = rb_image_test_sector(image, layout, lba) + RB_CD_MAIN_SIZE;
		guint8 expected[RB_SUBCHANNEL_PW_SIZE];

		if (lba >= 0 && lba < leadout)
			rb_sheet_test_sub_sector(layout, lba, expected);
		else
			memcpy(expected,
			       rb_image_test_sector(plain_image, plain, lba) + RB_CD_MAIN_SIZE,
			       sizeof(expected));
		ck_assert_msg(memcmp(pw, expected, sizeof(expected)) == 0, "LBA %d", lba);
	}
	drive = rb_image_test_burn(layout, image, &report);
	rb_image_test_assert_clean(&report, layout);
	rb_image_test_assert_toc(drive, layout);
}
END_TEST

/* --- refusals ---------------------------------------------------------------------------- */

START_TEST(test_refusals)
{
	g_autoptr(GBytes) good = rb_sheet_test_packs_new(3);
	const guint8 *data = g_bytes_get_data(good, NULL);
	g_autoptr(GBytes) short_pack = g_bytes_new(data, 2 * RB_SHEET_TEST_PACK - 1);
	g_autoptr(GBytes) long_pack = g_bytes_new(data, 2 * RB_SHEET_TEST_PACK + 1);
	g_autofree guint8 *bad_crc = g_memdup2(data, 3 * RB_SHEET_TEST_PACK);
	g_autofree guint8 *bad_type = g_memdup2(data, 3 * RB_SHEET_TEST_PACK);
	g_autoptr(GBytes) bad_crc_bytes = NULL;
	g_autoptr(GBytes) bad_type_bytes = NULL;
	g_autoptr(RbImageLayout) sheet = rb_image_layout_new();
	g_autoptr(RbImageLayout) imapi = rb_sheet_test_audio_layout(RB_DATA_BLOCK_TYPE_RAW_PW, 1);
	g_autoptr(RbImageLayout) special = rb_image_layout_new();

	bad_crc[RB_SHEET_TEST_PACK + 17] ^= 0x01;
	bad_type[2 * RB_SHEET_TEST_PACK] = 0x7F;
	/* a valid CRC over the wrong type: only the type is wrong */
	{
		guint16 crc = (guint16)~rb_sheet_test_crc(bad_type + 2 * RB_SHEET_TEST_PACK, 16);
		bad_type[2 * RB_SHEET_TEST_PACK + 16] = (guint8)(crc >> 8);
		bad_type[2 * RB_SHEET_TEST_PACK + 17] = (guint8)crc;
	}
	bad_crc_bytes = g_bytes_new(bad_crc, 3 * RB_SHEET_TEST_PACK);
	bad_type_bytes = g_bytes_new(bad_type, 3 * RB_SHEET_TEST_PACK);

	/* bad packs; the layout keeps what it had */
	ck_assert(rb_image_layout_set_cdtext(imapi, good, NULL));
	rb_assert_error(rb_image_layout_set_cdtext(imapi, short_pack, error),
			RB_IMAGE_ERROR_INVALID_ARGUMENT);
	rb_assert_error(rb_image_layout_set_cdtext(imapi, long_pack, error),
			RB_IMAGE_ERROR_INVALID_ARGUMENT);
	rb_assert_error(rb_image_layout_set_cdtext(imapi, bad_crc_bytes, error),
			RB_IMAGE_ERROR_INVALID_ARGUMENT);
	rb_assert_error(rb_image_layout_set_cdtext(imapi, bad_type_bytes, error),
			RB_IMAGE_ERROR_INVALID_ARGUMENT);
	ck_assert(rb_image_layout_get_cdtext(imapi) == good);
	ck_assert(rb_image_layout_validate(imapi, NULL));

	/* CD-TEXT or a sub-channel source in PQ-only or cooked images */
	for (guint type = RB_DATA_BLOCK_TYPE_RAW_PQ; type < RB_DATA_BLOCK_TYPE_RAW_PW; type++) {
		for (guint what = 0; what < 2; what++) {
			g_autoptr(RbImageLayout) layout = rb_sheet_test_audio_layout(type, 1);
			RbSheetSource src;

			if (what == 0)
				ck_assert(rb_image_layout_set_cdtext(layout, good, NULL));
			else
				ck_assert(rb_image_layout_add_subchannel_source(layout, NULL));
			rb_sheet_test_source_init(&src, layout);
			rb_assert_error(rb_image_layout_validate(layout, error),
					RB_IMAGE_ERROR_NEEDS_RAW_SUBCHANNEL);
			rb_assert_error(rb_image_producer_new(
						layout, rb_sheet_test_source_read, &src, error) !=
						NULL,
					RB_IMAGE_ERROR_NEEDS_RAW_SUBCHANNEL);
			ck_assert(rb_image_layout_set_image_type(
				layout, RB_DATA_BLOCK_TYPE_RAW_PW, NULL));
			ck_assert(rb_image_layout_validate(layout, NULL));
		}
	}
	/* NULL clears */
	ck_assert(rb_image_layout_set_cdtext(imapi, NULL, NULL));
	ck_assert(rb_image_layout_get_cdtext(imapi) == NULL);

	/* a sub-channel source brings its own R-W */
	ck_assert(rb_image_layout_add_subchannel_source(imapi, NULL));
	ck_assert(rb_image_layout_add_rw_generator(imapi, NULL));
	rb_assert_error(rb_image_layout_validate(imapi, error), RB_IMAGE_ERROR_INVALID_ARGUMENT);

	/* pregaps belong to sheet mode, which is chosen before the tracks */
	rb_assert_error(rb_image_layout_track_set_pregap(imapi, 0, 150, error),
			RB_IMAGE_ERROR_INVALID_ARGUMENT);
	rb_assert_error(rb_image_layout_set_explicit_gaps(imapi, TRUE, error),
			RB_IMAGE_ERROR_TRACKS_ALREADY_ADDED);
	ck_assert(!rb_image_layout_get_explicit_gaps(imapi));

	/* track 1's pregap: at least 150; later ones anything that fits */
	ck_assert(rb_image_layout_set_explicit_gaps(sheet, TRUE, NULL));
	ck_assert(rb_image_layout_add_track(sheet, RB_CD_SECTOR_AUDIO, 300, NULL, NULL));
	ck_assert(rb_image_layout_add_track(sheet, RB_CD_SECTOR_AUDIO, 300, NULL, NULL));
	ck_assert_uint_eq(rb_image_layout_get_track(sheet, 0)->pregap_sectors, 150);
	ck_assert_uint_eq(rb_image_layout_get_track(sheet, 1)->pregap_sectors, 0);
	rb_assert_error(rb_image_layout_track_set_pregap(sheet, 0, 149, error),
			RB_IMAGE_ERROR_TRACK_TOO_SHORT);
	rb_assert_error(rb_image_layout_track_set_pregap(sheet, 0, 0, error),
			RB_IMAGE_ERROR_TRACK_TOO_SHORT);
	rb_assert_error(rb_image_layout_track_set_pregap(sheet, 2, 0, error),
			RB_IMAGE_ERROR_INVALID_ARGUMENT);
	rb_assert_error(rb_image_layout_track_set_pregap(sheet, 1, 398000, error),
			RB_IMAGE_ERROR_INSUFFICIENT_SPACE);
	ck_assert_uint_eq(rb_image_layout_get_track(sheet, 1)->pregap_sectors, 0);
	ck_assert_int_eq(rb_image_layout_get_track(sheet, 1)->start, 300);
	ck_assert(rb_image_layout_track_set_pregap(sheet, 1, 1, NULL));
	ck_assert(rb_image_layout_set_leadout_limit(sheet, 1000, NULL));
	rb_assert_error(rb_image_layout_track_set_pregap(sheet, 1, 401, error),
			RB_IMAGE_ERROR_INSUFFICIENT_SPACE);
	ck_assert(rb_image_layout_track_set_pregap(sheet, 1, 400, NULL));
	/* a track of 299 sectors from index 1 on, pregap or not */
	rb_assert_error(rb_image_layout_add_track(sheet, RB_CD_SECTOR_AUDIO, 299, NULL, error),
			RB_IMAGE_ERROR_TRACK_TOO_SHORT);
	ck_assert(rb_image_layout_validate(sheet, NULL));

	/* the special pregap is IMAPI's track 1 pregap */
	ck_assert(rb_image_layout_add_special_pregap(special, 300, NULL));
	rb_assert_error(rb_image_layout_set_explicit_gaps(special, TRUE, error),
			RB_IMAGE_ERROR_INVALID_ARGUMENT);

	/* read-only after creation */
	rb_image_layout_set_read_only(sheet);
	rb_assert_error(rb_image_layout_track_set_pregap(sheet, 1, 10, error),
			RB_IMAGE_ERROR_IS_READ_ONLY);
	rb_assert_error(rb_image_layout_set_cdtext(sheet, good, error),
			RB_IMAGE_ERROR_IS_READ_ONLY);
	rb_assert_error(rb_image_layout_add_subchannel_source(sheet, error),
			RB_IMAGE_ERROR_IS_READ_ONLY);
}
END_TEST

/* without sheet mode the IMAPI rules and positions stay */
START_TEST(test_imapi_mode_unchanged)
{
	g_autoptr(RbImageLayout) layout = rb_image_layout_new();

	ck_assert(rb_image_layout_add_track(layout, RB_CD_SECTOR_AUDIO, 450, NULL, NULL));
	ck_assert_uint_eq(rb_image_layout_get_track(layout, 0)->pregap_sectors, 0);
	rb_assert_error(rb_image_layout_add_track(layout, RB_CD_SECTOR_MODE1, 300, NULL, error),
			RB_IMAGE_ERROR_INCOMPATIBLE_TRACK);
	ck_assert(rb_image_layout_add_track(layout, RB_CD_SECTOR_AUDIO, 450, NULL, NULL));
	/* gapless: track 2's pregap is track 1's end */
	ck_assert_int_eq(rb_image_layout_get_track(layout, 1)->pregap_start, 300);
	ck_assert_int_eq(rb_image_layout_get_track(layout, 1)->start, 450);
	rb_sheet_test_assert_q(layout, 299, 0x01, 0x01, 299, FALSE);
	rb_sheet_test_assert_q(layout, 300, 0x02, 0x00, 150, TRUE);
	ck_assert(rb_image_layout_validate(layout, NULL));
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("image-sheet");
	TCase *tc_sheet = tcase_create("sheet");
	TCase *tc_sub = tcase_create("subchannel");
	TCase *tc_rules = tcase_create("rules");

	tcase_set_timeout(tc_sheet, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_loop_test(tc_sheet, test_sheet_disc, 0, G_N_ELEMENTS(rb_sheet_discs));
	tcase_add_test(tc_sheet, test_sheet_subq);
	suite_add_tcase(suite, tc_sheet);

	tcase_set_timeout(tc_sub, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_loop_test(tc_sub, test_subchannel_source, 0, 2);
	suite_add_tcase(suite, tc_sub);

	tcase_add_test(tc_rules, test_refusals);
	tcase_add_test(tc_rules, test_imapi_mode_unchanged);
	suite_add_tcase(suite, tc_rules);

	return rb_test_run_suite(suite);
}
