/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The image layout's rules (imapi-reference §4.6, §9), each hostile input
 * answered with its named error, and the positions each layout gives.
 */
#include "config.h"

#include <string.h>

#include "rb-image-layout.h"
#include "rb-test-service.h"

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

static RbImageLayout *
rb_layout_new(RbCdSectorType type, guint n_tracks)
{
	RbImageLayout *layout = rb_image_layout_new();

	for (guint i = 0; i < n_tracks; i++)
		ck_assert(rb_image_layout_add_track(layout, type, 600, NULL, NULL));
	return layout;
}

START_TEST(test_track_rules)
{
	g_autoptr(RbImageLayout) layout = rb_image_layout_new();
	g_autoptr(RbImageLayout) late = rb_image_layout_new();
	guint index = 0;

	rb_assert_error(rb_image_layout_validate(layout, error), RB_IMAGE_ERROR_NO_TRACKS);
	rb_assert_error(rb_image_layout_get_expected_toc(layout, error) != NULL,
			RB_IMAGE_ERROR_NO_TRACKS);
	rb_assert_error(rb_image_layout_add_track(layout, RB_CD_SECTOR_AUDIO, 299, NULL, error),
			RB_IMAGE_ERROR_TRACK_TOO_SHORT);
	rb_assert_error(rb_image_layout_add_track(layout, 10, 300, NULL, error),
			RB_IMAGE_ERROR_SECTOR_TYPE_NOT_SUPPORTED);
	for (guint i = 0; i < 99; i++) {
		ck_assert(rb_image_layout_add_track(layout, RB_CD_SECTOR_AUDIO, 300, &index, NULL));
		ck_assert_uint_eq(index, i);
	}
	rb_assert_error(rb_image_layout_add_track(layout, RB_CD_SECTOR_AUDIO, 300, NULL, error),
			RB_IMAGE_ERROR_TOO_MANY_TRACKS);
	/* 99 gapless tracks of 300 sectors cannot lend 2 s each */
	rb_assert_error(rb_image_layout_validate(layout, error), RB_IMAGE_ERROR_TRACK_TOO_SHORT);

	ck_assert(rb_image_layout_set_starting_track_number(late, 98, NULL));
	rb_assert_error(rb_image_layout_add_track(late, RB_CD_SECTOR_MODE1, 300, NULL, error),
			RB_IMAGE_ERROR_INCOMPATIBLE_TRACK);
	ck_assert(rb_image_layout_add_track(late, RB_CD_SECTOR_AUDIO, 450, NULL, NULL));
	ck_assert(rb_image_layout_add_track(late, RB_CD_SECTOR_AUDIO, 450, NULL, NULL));
	rb_assert_error(rb_image_layout_add_track(late, RB_CD_SECTOR_AUDIO, 450, NULL, error),
			RB_IMAGE_ERROR_TOO_MANY_TRACKS);
	ck_assert(rb_image_layout_validate(late, NULL));
	/* settings that must come first */
	rb_assert_error(rb_image_layout_set_disable_gapless_audio(late, TRUE, error),
			RB_IMAGE_ERROR_TRACKS_ALREADY_ADDED);
	rb_assert_error(rb_image_layout_set_starting_track_number(late, 1, error),
			RB_IMAGE_ERROR_TRACKS_ALREADY_ADDED);
	rb_assert_error(rb_image_layout_add_special_pregap(late, 150, error),
			RB_IMAGE_ERROR_TRACKS_ALREADY_ADDED);
	rb_image_layout_set_read_only(late);
	rb_assert_error(rb_image_layout_set_mcn(late, "", error), RB_IMAGE_ERROR_IS_READ_ONLY);
	rb_assert_error(rb_image_layout_add_track(late, RB_CD_SECTOR_AUDIO, 450, NULL, error),
			RB_IMAGE_ERROR_IS_READ_ONLY);
}
END_TEST

/* audio only with audio, Mode 1 with Mode 1, the Mode 2 forms together;
 * audio may follow data (mixed mode), never data audio */
START_TEST(test_mixing)
{
	g_autoptr(RbImageLayout) mode1 = rb_layout_new(RB_CD_SECTOR_MODE1, 1);
	g_autoptr(RbImageLayout) audio = rb_layout_new(RB_CD_SECTOR_AUDIO, 1);
	g_autoptr(RbImageLayout) mode2 = rb_layout_new(RB_CD_SECTOR_MODE2_FORM1, 1);
	g_autoptr(RbImageLayout) mixed = rb_layout_new(RB_CD_SECTOR_MODE1, 1);

	rb_assert_error(
		rb_image_layout_add_track(mode1, RB_CD_SECTOR_MODE2_FORM1, 300, NULL, error),
		RB_IMAGE_ERROR_INCOMPATIBLE_TRACK);
	ck_assert(rb_image_layout_add_track(mode1, RB_CD_SECTOR_MODE1_RAW, 300, NULL, NULL));
	rb_assert_error(rb_image_layout_add_track(audio, RB_CD_SECTOR_MODE1, 300, NULL, error),
			RB_IMAGE_ERROR_INCOMPATIBLE_TRACK);
	rb_assert_error(
		rb_image_layout_add_track(audio, RB_CD_SECTOR_MODE2_FORM1, 300, NULL, error),
		RB_IMAGE_ERROR_INCOMPATIBLE_TRACK);
	/* data then audio: the data track's 2 s postgap, the audio track's 2 s
	 * pregap, even gapless */
	ck_assert(!rb_image_layout_get_disable_gapless_audio(mixed));
	ck_assert(rb_image_layout_add_track(mixed, RB_CD_SECTOR_AUDIO, 450, NULL, NULL));
	ck_assert_int_eq(rb_image_layout_get_track(mixed, 1)->pregap_start, 750);
	ck_assert_int_eq(rb_image_layout_get_track(mixed, 1)->start, 900);
	ck_assert(rb_image_layout_add_track(mixed, RB_CD_SECTOR_AUDIO, 450, NULL, NULL));
	ck_assert_int_eq(rb_image_layout_get_track(mixed, 2)->pregap_start, 1200);
	ck_assert_int_eq(rb_image_layout_get_track(mixed, 2)->start, 1350);
	/* then no data again, of any group */
	rb_assert_error(rb_image_layout_add_track(mixed, RB_CD_SECTOR_MODE1, 300, NULL, error),
			RB_IMAGE_ERROR_INCOMPATIBLE_TRACK);
	rb_assert_error(
		rb_image_layout_add_track(mixed, RB_CD_SECTOR_MODE2_FORM1, 300, NULL, error),
		RB_IMAGE_ERROR_INCOMPATIBLE_TRACK);
	ck_assert_uint_eq(rb_image_layout_get_n_tracks(mixed), 3);
	ck_assert(rb_image_layout_validate(mixed, NULL));
	ck_assert(rb_image_layout_add_track(mode2, RB_CD_SECTOR_MODE2_FORM2, 300, NULL, NULL));
	ck_assert(rb_image_layout_add_track(mode2, RB_CD_SECTOR_MODE2_FORM2_RAW, 300, NULL, NULL));
	rb_assert_error(rb_image_layout_add_track(mode2, RB_CD_SECTOR_MODE1, 300, NULL, error),
			RB_IMAGE_ERROR_INCOMPATIBLE_TRACK);
	/* data tracks: a 2 s pregap of their own before each */
	ck_assert_int_eq(rb_image_layout_get_track(mode2, 1)->pregap_start, 600);
	ck_assert_int_eq(rb_image_layout_get_track(mode2, 1)->start, 750);
	/* pre-emphasis and ISRC are for audio */
	rb_assert_error(rb_image_layout_track_set_preemphasis(mode1, 0, TRUE, error),
			RB_IMAGE_ERROR_INVALID_ARGUMENT);
	rb_assert_error(rb_image_layout_track_set_isrc(mode1, 0, "DEXXX0012345", error),
			RB_IMAGE_ERROR_INVALID_ISRC);
}
END_TEST

START_TEST(test_index_rules)
{
	g_autoptr(RbImageLayout) layout = rb_layout_new(RB_CD_SECTOR_AUDIO, 1);
	g_autoptr(RbImageLayout) big = rb_image_layout_new();
	gboolean exists = TRUE;

	ck_assert(rb_image_layout_track_add_index(layout, 0, 100, &exists, NULL));
	ck_assert(!exists);
	ck_assert(rb_image_layout_track_add_index(layout, 0, 100, &exists, NULL));
	ck_assert(exists);
	rb_assert_error(rb_image_layout_track_add_index(layout, 0, 109, NULL, error),
			RB_IMAGE_ERROR_TRACK_INDEX_TOO_CLOSE_TO_OTHER_INDEX);
	rb_assert_error(rb_image_layout_track_add_index(layout, 0, 5, NULL, error),
			RB_IMAGE_ERROR_TRACK_INDEX_TOO_CLOSE_TO_OTHER_INDEX);
	ck_assert(rb_image_layout_track_add_index(layout, 0, 110, NULL, NULL));
	rb_assert_error(rb_image_layout_track_add_index(layout, 0, 600, NULL, error),
			RB_IMAGE_ERROR_INVALID_ARGUMENT);
	rb_assert_error(rb_image_layout_track_add_index(layout, 1, 50, NULL, error),
			RB_IMAGE_ERROR_INVALID_ARGUMENT);
	rb_assert_error(rb_image_layout_track_clear_index(layout, 0, 0, error),
			RB_IMAGE_ERROR_TRACK_INDEX_OFFSET_ZERO_CANNOT_BE_CLEARED);
	rb_assert_error(rb_image_layout_track_clear_index(layout, 0, 50, error),
			RB_IMAGE_ERROR_TRACK_INDEX_NOT_FOUND);
	ck_assert(rb_image_layout_track_clear_index(layout, 0, 100, NULL));
	ck_assert_uint_eq(rb_image_layout_get_track(layout, 0)->n_indexes, 2);
	ck_assert_uint_eq(rb_image_layout_get_track(layout, 0)->indexes[1], 110);

	ck_assert(rb_image_layout_add_track(big, RB_CD_SECTOR_AUDIO, 2000, NULL, NULL));
	for (guint i = 1; i < 99; i++)
		ck_assert(rb_image_layout_track_add_index(big, 0, i * 10, NULL, NULL));
	rb_assert_error(rb_image_layout_track_add_index(big, 0, 1500, NULL, error),
			RB_IMAGE_ERROR_TOO_MANY_TRACK_INDEXES);
}
END_TEST

START_TEST(test_codes)
{
	g_autoptr(RbImageLayout) layout = rb_layout_new(RB_CD_SECTOR_AUDIO, 1);

	ck_assert(rb_image_layout_set_mcn(layout, "4006381333931", NULL));
	ck_assert_str_eq(rb_image_layout_get_mcn(layout), "4006381333931");
	/* leading zeros left out */
	ck_assert(rb_image_layout_set_mcn(layout, "12345678905", NULL));
	ck_assert_str_eq(rb_image_layout_get_mcn(layout), "0012345678905");
	rb_assert_error(rb_image_layout_set_mcn(layout, "4006381333932", error),
			RB_IMAGE_ERROR_INVALID_MCN);
	rb_assert_error(rb_image_layout_set_mcn(layout, "40063813339310", error),
			RB_IMAGE_ERROR_INVALID_MCN);
	rb_assert_error(rb_image_layout_set_mcn(layout, "400638133393a", error),
			RB_IMAGE_ERROR_INVALID_MCN);
	ck_assert(rb_image_layout_set_mcn(layout, NULL, NULL));
	ck_assert_str_eq(rb_image_layout_get_mcn(layout), "");

	ck_assert(rb_image_layout_track_set_isrc(layout, 0, "DEXXX0012345", NULL));
	rb_assert_error(rb_image_layout_track_set_isrc(layout, 0, "DEXXX001234", error),
			RB_IMAGE_ERROR_INVALID_ISRC);
	rb_assert_error(rb_image_layout_track_set_isrc(layout, 0, "1EXXX0012345", error),
			RB_IMAGE_ERROR_INVALID_ISRC);
	rb_assert_error(rb_image_layout_track_set_isrc(layout, 0, "DEXXX00A2345", error),
			RB_IMAGE_ERROR_INVALID_ISRC);
	rb_assert_error(rb_image_layout_track_set_isrc(layout, 0, "DEX-X0012345", error),
			RB_IMAGE_ERROR_INVALID_ISRC);
	ck_assert_str_eq(rb_image_layout_get_track(layout, 0)->isrc, "DEXXX0012345");
	rb_assert_error(rb_image_layout_track_set_copy(layout, 0, 3, error),
			RB_IMAGE_ERROR_INVALID_ARGUMENT);
}
END_TEST

/* the last track sector at 398,099 at most, and the limit if set */
START_TEST(test_space)
{
	g_autoptr(RbImageLayout) layout = rb_image_layout_new();
	g_autoptr(RbImageLayout) full = rb_image_layout_new();
	g_autoptr(RbImageLayout) special = rb_image_layout_new();
	gint32 leadout = 0;

	ck_assert(rb_image_layout_add_track(full, RB_CD_SECTOR_AUDIO, 398100, NULL, NULL));
	ck_assert(rb_image_layout_get_leadout_start(full, &leadout, NULL));
	ck_assert_int_eq(leadout, 398100);
	ck_assert_int_eq(rb_image_layout_get_last_user_lba(full), 398099);
	rb_assert_error(rb_image_layout_add_track(full, RB_CD_SECTOR_AUDIO, 300, NULL, error),
			RB_IMAGE_ERROR_INSUFFICIENT_SPACE);
	ck_assert_uint_eq(rb_image_layout_get_n_tracks(full), 1);

	ck_assert(rb_image_layout_set_leadout_limit(layout, 1000, NULL));
	rb_assert_error(rb_image_layout_set_leadout_limit(layout, 398100, error),
			RB_IMAGE_ERROR_INVALID_ARGUMENT);
	ck_assert(rb_image_layout_add_track(layout, RB_CD_SECTOR_AUDIO, 1000, NULL, NULL));
	rb_assert_error(rb_image_layout_add_track(layout, RB_CD_SECTOR_AUDIO, 300, NULL, error),
			RB_IMAGE_ERROR_INSUFFICIENT_SPACE);
	ck_assert(rb_image_layout_set_leadout_limit(layout, 999, NULL));
	rb_assert_error(rb_image_layout_validate(layout, error), RB_IMAGE_ERROR_INSUFFICIENT_SPACE);

	rb_assert_error(rb_image_layout_add_special_pregap(special, 149, error),
			RB_IMAGE_ERROR_TRACK_TOO_SHORT);
	rb_assert_error(rb_image_layout_add_special_pregap(special, 397950 + 1, error),
			RB_IMAGE_ERROR_INSUFFICIENT_SPACE);
	ck_assert(rb_image_layout_add_special_pregap(special, 397950, NULL));
	ck_assert(rb_image_layout_add_track(special, RB_CD_SECTOR_AUDIO, 300, NULL, NULL));
	ck_assert_int_eq(rb_image_layout_get_last_user_lba(special), 398099);
}
END_TEST

START_TEST(test_special_pregap_needs_audio)
{
	g_autoptr(RbImageLayout) layout = rb_image_layout_new();

	ck_assert(rb_image_layout_add_special_pregap(layout, 150, NULL));
	ck_assert(rb_image_layout_add_track(layout, RB_CD_SECTOR_MODE1, 300, NULL, NULL));
	rb_assert_error(rb_image_layout_validate(layout, error), RB_IMAGE_ERROR_INCOMPATIBLE_TRACK);
}
END_TEST

/* READ TOC format 0010b of a two-track audio disc, byte for byte */
START_TEST(test_expected_toc)
{
	g_autoptr(RbImageLayout) layout = rb_image_layout_new();
	g_autoptr(GBytes) toc = NULL;
	const guint8 expected[] = {
		0x00, 0x39, 0x01, 0x01,                               /* header */
		0x01, 0x10, 0x00, 0xA0, 0, 0, 0, 0, 0x01, 0x00, 0x00, /* first track 1 */
		0x01, 0x10, 0x00, 0xA1, 0, 0, 0, 0, 0x02, 0x00, 0x00, /* last track 2 */
		0x01, 0x10, 0x00, 0xA2, 0, 0, 0, 0, 0x00, 0x16, 0x00, /* lead-out 1500 */
		0x01, 0x10, 0x00, 0x01, 0, 0, 0, 0, 0x00, 0x02, 0x00, /* track 1 at 0 */
		0x01, 0x10, 0x00, 0x02, 0, 0, 0, 0, 0x00, 0x12, 0x00, /* track 2 at 1200 */
	};

	ck_assert(rb_image_layout_set_disable_gapless_audio(layout, TRUE, NULL));
	ck_assert(rb_image_layout_add_track(layout, RB_CD_SECTOR_AUDIO, 1050, NULL, NULL));
	ck_assert(rb_image_layout_add_track(layout, RB_CD_SECTOR_AUDIO, 300, NULL, NULL));
	toc = rb_image_layout_get_expected_toc(layout, NULL);
	ck_assert_uint_eq(g_bytes_get_size(toc), sizeof(expected));
	ck_assert_mem_eq(g_bytes_get_data(toc, NULL), expected, sizeof(expected));
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("image-layout");
	TCase *tc = tcase_create("rules");

	tcase_add_test(tc, test_track_rules);
	tcase_add_test(tc, test_mixing);
	tcase_add_test(tc, test_index_rules);
	tcase_add_test(tc, test_codes);
	tcase_add_test(tc, test_space);
	tcase_add_test(tc, test_special_pregap_needs_audio);
	tcase_add_test(tc, test_expected_toc);
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
