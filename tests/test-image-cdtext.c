/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CD-TEXT in the lead-in: the packs' six-bit symbols in the stream's R-W,
 * checked against the packs as given, decoded here independently of the
 * image core; the burned disc judged by the emulated drive, which counts
 * the packs and sees damage; and the R-W generator beside the packs.
 */
#include "config.h"

#include <string.h>

#include "rb-image-private.h"
#include "rb-image-sheet-test.h"
#include "rb-image-test.h"
#include "rb-test-service.h"
#include "rb-vdrive-test.h"

/* the 72 bytes of a sector's R-W symbols, four symbols to three bytes */
static void
rb_rw_bytes(const guint8 *pw, guint8 out[72])
{
	for (guint i = 0; i < 24; i++) {
		guint32 v = 0;
		for (guint s = 0; s < 4; s++)
			v = (v << 6) | (pw[4 * i + s] & 0x3Fu);
		out[3 * i] = (guint8)(v >> 16);
		out[3 * i + 1] = (guint8)(v >> 8);
		out[3 * i + 2] = (guint8)v;
	}
}

/* 7 packs (not a multiple of 4: they run on across sectors), in sheet mode or not */
START_TEST(test_cdtext_leadin)
{
	const guint n_packs = 7;
	g_autoptr(GBytes) packs = rb_sheet_test_packs_new(n_packs);
	g_autoptr(RbImageLayout) layout = rb_image_layout_new();
	g_autoptr(RbImageLayout) plain = NULL;
	g_autoptr(GBytes) image = NULL;
	g_autoptr(GBytes) plain_image = NULL;
	g_autoptr(RbVdrive) drive = NULL;
	const guint8 *data = g_bytes_get_data(packs, NULL);
	RbVdriveReport report;
	RbSheetSource src;

	ck_assert(rb_image_layout_set_image_type(layout, RB_DATA_BLOCK_TYPE_RAW_PW, NULL));
	ck_assert(rb_image_layout_set_explicit_gaps(layout, _i == 1, NULL));
	ck_assert(rb_image_layout_set_disable_gapless_audio(layout, TRUE, NULL));
	for (guint i = 0; i < 2; i++)
		ck_assert(rb_image_layout_add_track(layout, RB_CD_SECTOR_AUDIO, 300, NULL, NULL));
	plain = rb_image_layout_copy(layout);
	ck_assert(rb_image_layout_set_cdtext(layout, packs, NULL));
	ck_assert(rb_image_layout_get_cdtext(layout) == packs);
	ck_assert(rb_image_layout_get_cdtext(plain) == NULL);

	rb_sheet_test_source_init(&src, layout);
	image = rb_sheet_test_produce(layout, &src);
	rb_sheet_test_source_init(&src, plain);
	plain_image = rb_sheet_test_produce(plain, &src);

	/* sector k from the stream's start carries packs 4k..4k+3 modulo 7 */
	for (gint32 lba = RB_IMAGE_FIRST_LBA; lba < 0; lba++) {
		const guint8 *pw = rb_image_test_sector(image, layout, lba) + RB_CD_MAIN_SIZE;
		const guint8 *plain_pw =
			rb_image_test_sector(plain_image, plain, lba) + RB_CD_MAIN_SIZE;
		guint64 k = (guint64)(lba - RB_IMAGE_FIRST_LBA);
		guint8 bytes[72];

		/* P and Q, and the main channel, as without CD-TEXT */
		for (guint b = 0; b < RB_SUBCHANNEL_PW_SIZE; b++)
			ck_assert_uint_eq(pw[b] & 0xC0, plain_pw[b]);
		ck_assert(memcmp(rb_image_test_sector(image, layout, lba),
				 rb_image_test_sector(plain_image, plain, lba),
				 RB_CD_MAIN_SIZE) == 0);
		if (lba >= -150) {
			/* track 1's pregap: no R-W */
			for (guint b = 0; b < RB_SUBCHANNEL_PW_SIZE; b++)
				ck_assert_uint_eq(pw[b] & 0x3F, 0);
			continue;
		}
		rb_rw_bytes(pw, bytes);
		for (guint j = 0; j < 4; j++)
			ck_assert_msg(memcmp(bytes + j * RB_SHEET_TEST_PACK,
					     data + ((4 * k + j) % n_packs) * RB_SHEET_TEST_PACK,
					     RB_SHEET_TEST_PACK) == 0,
				      "LBA %d pack %u",
				      lba,
				      j);
	}

	drive = rb_image_test_burn(layout, image, &report);
	rb_image_test_assert_clean(&report, layout);
	rb_image_test_assert_toc(drive, layout);
	/* the drive found four good packs in every lead-in sector it got */
	ck_assert_uint_eq(report.leadin_sectors, (guint64)(-151 - RB_IMAGE_TEST_LEADIN + 1));
	ck_assert_uint_eq(report.cdtext_packs, 4 * report.leadin_sectors);
	ck_assert_uint_eq(report.cdtext_crc_errors, 0);
}
END_TEST

/* the drive counts a damaged pack: the count above means something */
START_TEST(test_cdtext_judge_sees_damage)
{
	g_autoptr(RbImageLayout) layout = rb_sheet_test_audio_layout(RB_DATA_BLOCK_TYPE_RAW_PW, 1);
	g_autoptr(GBytes) packs = rb_sheet_test_packs_new(4);
	g_autoptr(GBytes) image = NULL;
	g_autoptr(RbVdrive) drive = NULL;
	RbVdriveReport report;
	RbSheetSource src;
	guint8 *bytes;

	ck_assert(rb_image_layout_set_cdtext(layout, packs, NULL));
	rb_sheet_test_source_init(&src, layout);
	image = rb_sheet_test_produce(layout, &src);
	/* one symbol of pack 2 flipped in one burned sector */
	bytes = (guint8 *)rb_image_test_sector(image, layout, -1000) + RB_CD_MAIN_SIZE;
	bytes[24 + 5] ^= 0x01;
	drive = rb_image_test_burn(layout, image, &report);
	ck_assert_uint_eq(report.cdtext_crc_errors, 1);
	ck_assert_uint_eq(report.cdtext_packs, 4 * report.leadin_sectors);
}
END_TEST

/* with an R-W generator: its lead-in must be zero, the program area is its own */
START_TEST(test_cdtext_rw_generator)
{
	g_autoptr(RbImageLayout) layout = rb_sheet_test_audio_layout(RB_DATA_BLOCK_TYPE_RAW_PW, 1);
	g_autoptr(GBytes) packs = rb_sheet_test_packs_new(5);
	g_autoptr(GBytes) image = NULL;
	g_autoptr(RbVdrive) drive = NULL;
	g_autoptr(RbImageProducer) producer = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree guint8 *buf = NULL;
	RbVdriveReport report;
	RbSheetSource src;
	guint n = 0;
	gboolean ok = TRUE;

	ck_assert(rb_image_layout_set_cdtext(layout, packs, NULL));
	ck_assert(rb_image_layout_add_rw_generator(layout, NULL));
	rb_sheet_test_source_init(&src, layout);
	image = rb_sheet_test_produce(layout, &src);
	for (gint32 lba = 0; lba < 300; lba += 37) {
		const guint8 *pw = rb_image_test_sector(image, layout, lba) + RB_CD_MAIN_SIZE;
		guint64 pos = (guint64)(lba - RB_IMAGE_FIRST_LBA) * RB_SUBCHANNEL_PW_SIZE;
		for (guint b = 0; b < RB_SUBCHANNEL_PW_SIZE; b++)
			ck_assert_uint_eq(pw[b] & 0x3F,
					  rb_sheet_test_pattern(RB_IMAGE_SOURCE_RW, pos + b) &
						  0x3F);
	}
	drive = rb_image_test_burn(layout, image, &report);
	rb_image_test_assert_clean(&report, layout);
	ck_assert_uint_eq(report.cdtext_packs, 4 * report.leadin_sectors);
	ck_assert_uint_eq(report.cdtext_crc_errors, 0);

	/* a 1 in the lead-in of the generator's data: refused, at its LBA */
	rb_sheet_test_source_init(&src, layout);
	src.rw_leadin_byte = 1000 * RB_SUBCHANNEL_PW_SIZE + 7;
	producer = rb_image_producer_new(layout, rb_sheet_test_source_read, &src, &error);
	ck_assert(producer != NULL);
	buf = g_malloc(75 * rb_image_producer_get_sector_size(producer));
	do
		ok = rb_image_producer_read(producer, buf, 75, &n, &error);
	while (ok && n > 0);
	ck_assert(!ok);
	ck_assert(g_error_matches(error, RB_IMAGE_ERROR, RB_IMAGE_ERROR_INVALID_ARGUMENT));
	ck_assert_msg(strstr(error->message, "-21650") != NULL, "%s", error->message);
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("image-cdtext");
	TCase *tc_cdtext = tcase_create("cdtext");

	tcase_set_timeout(tc_cdtext, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_loop_test(tc_cdtext, test_cdtext_leadin, 0, 2);
	tcase_add_test(tc_cdtext, test_cdtext_judge_sees_damage);
	tcase_add_test(tc_cdtext, test_cdtext_rw_generator);
	suite_add_tcase(suite, tc_cdtext);

	return rb_test_run_suite(suite);
}
