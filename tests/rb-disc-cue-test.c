/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The CUE reader's sample sets (rb-disc-cue-test.h).
 */
#include "config.h"

#include <check.h>
#include <glib/gstdio.h>

#include "rb-disc-cue-test.h"
#include "rb-disc-test.h"

void
rb_cue_test_set_init(RbCueTestSet *set, const gchar *sheet_text)
{
	g_autoptr(GError) error = NULL;

	set->data = NULL;
	set->dir = g_dir_make_tmp("rawburn-cue-test-XXXXXX", &error);
	ck_assert_msg(set->dir != NULL, "%s", error != NULL ? error->message : "");
	set->sheet = g_build_filename(set->dir, "disc.cue", NULL);
	ck_assert(g_file_set_contents(set->sheet, sheet_text, -1, &error));
}

gchar *
rb_cue_test_set_path(const RbCueTestSet *set, const gchar *name)
{
	return g_build_filename(set->dir, name, NULL);
}

void
rb_cue_test_set_clear(RbCueTestSet *set)
{
	rb_test_remove_dir(set->dir);
	g_free(set->dir);
	g_free(set->sheet);
}

RbDiscImage *
rb_cue_test_open(const RbCueTestSet *set)
{
	g_autoptr(GError) error = NULL;
	RbDiscImage *image = rb_disc_image_open(set->sheet, &error);

	ck_assert_msg(image != NULL, "%s", error != NULL ? error->message : "");
	ck_assert_int_eq(rb_disc_image_get_format(image), RB_DISC_IMAGE_FORMAT_CUE);
	return image;
}

const gchar *
rb_cue_test_audio_sheet(void)
{
	/* 4006381333931: an EAN-13 with a valid check digit */
	return "REM a sheet written by the test\n"
	       "CATALOG 4006381333931\n"
	       "PERFORMER \"Disc Performer \xC3\xA9\"\n"
	       "TITLE \"Disc Title\"\n"
	       "FILE \"disc.bin\" BINARY\n"
	       "  TRACK 01 AUDIO\n"
	       "    TITLE \"One\"\n"
	       "    PERFORMER \"P\xE9rformer\"\n"
	       "    ISRC USRC17607839\n"
	       "    FLAGS DCP PRE\n"
	       "    INDEX 00 00:00:00\n"
	       "    INDEX 01 00:02:00\n"
	       "    INDEX 02 00:05:00\n"
	       "  TRACK 02 AUDIO\n"
	       "    TITLE \"Two\"\n"
	       "    FLAGS SCMS\n"
	       "    INDEX 00 00:08:00\n"
	       "    INDEX 01 00:10:00\n"
	       "FILE \"swapped.raw\" MOTOROLA\n"
	       "  TRACK 03 AUDIO\n"
	       "    TITLE \"Three\"\n"
	       "    PREGAP 00:01:00\n"
	       "    INDEX 01 00:00:00\n"
	       "FILE \"tail.wav\" WAVE\n"
	       "  TRACK 04 AUDIO\n"
	       "    INDEX 01 00:00:00\n"
	       "    POSTGAP 00:02:00\n";
}

void
rb_cue_test_audio_set(RbCueTestSet *set, const gchar *sheet)
{
	g_autofree gchar *bin = NULL;
	g_autofree gchar *raw = NULL;
	g_autofree gchar *wav = NULL;

	rb_cue_test_set_init(set, sheet);
	bin = rb_cue_test_set_path(set, "disc.bin");
	raw = rb_cue_test_set_path(set, "swapped.raw");
	wav = rb_cue_test_set_path(set, "tail.wav");
	rb_disc_test_write_pattern(bin, RB_CUE_TEST_DISC_BIN_SECTORS * RB_CD_MAIN_SIZE, 1);
	rb_disc_test_write_pattern(raw, RB_CUE_TEST_SWAPPED_SECTORS * RB_CD_MAIN_SIZE, 2);
	rb_disc_test_write_wav(wav, RB_CUE_TEST_WAV_BYTES, 3);
}

static const RbCueTestData rb_cue_test_datas[] = {
	{"MODE1/2048 + audio",
	 "FILE \"data.bin\" BINARY\n  TRACK 01 MODE1/2048\n    INDEX 01 00:00:00\n"
	 "FILE \"audio.bin\" BINARY\n  TRACK 02 AUDIO\n    PREGAP 00:02:00\n"
	 "    INDEX 01 00:00:00\n",
	 1,
	 FALSE,
	 TRUE,
	 RB_CD_SECTOR_MODE1},
	{"MODE1/2352 + audio",
	 "FILE \"data.bin\" BINARY\n  TRACK 01 MODE1/2352\n    INDEX 01 00:00:00\n"
	 "    POSTGAP 00:02:00\n"
	 "FILE \"audio.bin\" BINARY\n  TRACK 02 AUDIO\n    PREGAP 00:02:00\n"
	 "    INDEX 01 00:00:00\n",
	 1,
	 FALSE,
	 FALSE,
	 RB_CD_SECTOR_MODE1_RAW},
	{"MODE2/2336",
	 "FILE \"data.bin\" BINARY\n  TRACK 01 MODE2/2336\n    INDEX 01 00:00:00\n",
	 2,
	 TRUE,
	 FALSE,
	 RB_CD_SECTOR_MODE2_FORM0_RAW},
	{"MODE2/2352",
	 "FILE \"data.bin\" BINARY\n  TRACK 01 MODE2/2352\n    INDEX 01 00:00:00\n",
	 2,
	 FALSE,
	 FALSE,
	 RB_CD_SECTOR_MODE2_FORM0_RAW},
};

guint
rb_cue_test_n_data(void)
{
	return G_N_ELEMENTS(rb_cue_test_datas);
}

const RbCueTestData *
rb_cue_test_data(guint i)
{
	ck_assert_uint_lt(i, G_N_ELEMENTS(rb_cue_test_datas));
	return &rb_cue_test_datas[i];
}

void
rb_cue_test_data_set(RbCueTestSet *set, const RbCueTestData *desc)
{
	g_autofree gchar *data = NULL;
	g_autofree gchar *audio = NULL;

	rb_cue_test_set_init(set, desc->sheet);
	set->data = desc;
	data = rb_cue_test_set_path(set, "data.bin");
	audio = rb_cue_test_set_path(set, "audio.bin");
	if (desc->cooked)
		rb_disc_test_write_pattern(data, RB_CUE_TEST_DATA_SECTORS * 2048, 4);
	else
		rb_disc_test_write_data(
			data, desc->mode, 0, RB_CUE_TEST_DATA_SECTORS, 4, desc->xa_2336);
	rb_disc_test_write_pattern(audio, RB_CUE_TEST_AUDIO_SECTORS * RB_CD_MAIN_SIZE, 5);
}
