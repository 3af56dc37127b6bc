/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The NRG reader: images written here chunk by chunk as libcdio's nrg.h
 * lays them out (version 2 "NER5" with CUEX/DAOX, version 1 "NERO" with
 * CUES/DAOI), read back by rb_disc_nrg_read() and by libcdio's
 * cdio_open_nrg() as the independent reader; the streamed sectors against
 * the bytes written; damaged images refused with the byte offset.
 */
#include "config.h"

#include <cdio/cdio.h>
#include <cdio/cdtext.h>
#include <cdio/logging.h>
#include <glib/gstdio.h>
#include <string.h>

#include "rb-disc-image-private.h"
#include "rb-disc-test-formats.h"
#include "rb-scramble.h"
#include "rb-test-service.h"

/* data track 1 (Mode 1, 2048), audio with ISRC and pre-emphasis, audio without pregap */
static const RbDiscTestNrgTrack rb_mixed[] = {
	{0x00, 2048, 150, 300, NULL, 0x4, 0},
	{0x07, 2352, 150, 400, "USRC17607839", 0x3, 0},
	{0x07, 2352, 0, 350, NULL, 0x0, 0},
};

/* raw Mode 1 track 1, then audio with a short pregap and an index 2 */
static const RbDiscTestNrgTrack rb_raw[] = {
	{0x05, 2352, 150, 300, NULL, 0x4, 0},
	{0x07, 2352, 75, 320, "GBAYE0000351", 0x0, 100},
};

/* audio only: libcdio reads its sectors at (LSN + 150) × 2352 */
static const RbDiscTestNrgTrack rb_audio[] = {
	{0x07, 2352, 150, 300, "USRC17607839", 0x2, 0},
	{0x07, 2352, 150, 310, NULL, 0x2, 0},
};

/* Mode 2 2336 (Form 1 and Form 2 in turn, its pregap in the file), then audio */
static const RbDiscTestNrgTrack rb_xa[] = {
	{0x03, 2336, 150, 300, NULL, 0x4, 0},
	{0x07, 2352, 150, 320, NULL, 0x0, 0},
};

static RbDiscImage *
rb_nrg_open(const gchar *path)
{
	g_autoptr(GError) error = NULL;
	RbDiscImage *image = rb_disc_image_open(path, &error);

	ck_assert_msg(image != NULL, "%s", error != NULL ? error->message : "");
	ck_assert_int_eq(rb_disc_image_get_format(image), RB_DISC_IMAGE_FORMAT_NRG);
	return image;
}

START_TEST(test_nrg_v2_layout_and_libcdio)
{
	g_autofree gchar *dir = g_dir_make_tmp("rb-nrg-XXXXXX", NULL);
	RbDiscTestNrg w = {.v2 = TRUE,
			   .tracks = rb_mixed,
			   .n_tracks = 3,
			   .mcn = "0724349876545",
			   .cdtext = TRUE};
	g_autofree gchar *path = rb_disc_test_write_nrg(dir, "mixed.nrg", &w);
	g_autoptr(RbDiscImage) image = rb_nrg_open(path);
	RbImageLayout *layout = rb_disc_image_get_layout(image);
	CdIo_t *cdio;
	cdtext_t *text;
	gint32 start = 0;

	ck_assert_uint_eq(rb_image_layout_get_n_tracks(layout), 3);
	ck_assert_str_eq(rb_image_layout_get_mcn(layout), "0724349876545");
	/* libcdio, the independent reader, on the same file */
	cdio = cdio_open_nrg(path);
	ck_assert(cdio != NULL);
	ck_assert_int_eq(cdio_get_num_tracks(cdio), 3);
	for (guint i = 0; i < 3; i++) {
		const RbImageTrack *t = rb_image_layout_get_track(layout, i);
		g_autofree gchar *isrc = cdio_get_track_isrc(cdio, (track_t)(i + 1));

		ck_assert_uint_eq(t->n_sectors, rb_mixed[i].n_sectors);
		ck_assert_uint_eq(t->pregap_sectors, i == 0 ? 150 : rb_mixed[i].pregap);
		start += (gint32)(i == 0 ? 0 : rb_mixed[i].pregap);
		ck_assert_int_eq(t->start, start);
		ck_assert_int_eq(t->start, cdio_get_track_lsn(cdio, (track_t)(i + 1)));
		ck_assert_str_eq(t->isrc, isrc != NULL ? isrc : "");
		ck_assert_int_eq(t->copy == RB_IMAGE_COPY_PERMITTED,
				 cdio_get_track_copy_permit(cdio, (track_t)(i + 1)) ==
					 CDIO_TRACK_FLAG_TRUE);
		start += (gint32)rb_mixed[i].n_sectors;
	}
	ck_assert_int_eq(rb_image_layout_get_track(layout, 0)->type, RB_CD_SECTOR_MODE1);
	ck_assert_int_eq(cdio_get_track_format(cdio, 1), TRACK_FORMAT_DATA);
	ck_assert_int_eq(rb_image_layout_get_track(layout, 1)->type, RB_CD_SECTOR_AUDIO);
	ck_assert(rb_image_layout_get_track(layout, 1)->preemphasis);
	ck_assert(!rb_image_layout_get_track(layout, 2)->preemphasis);
	ck_assert_int_eq(rb_image_layout_get_track(layout, 2)->copy, RB_IMAGE_COPY_PROHIBITED);
	{
		g_autofree gchar *mcn = cdio_get_mcn(cdio);
		ck_assert_str_eq(mcn, rb_image_layout_get_mcn(layout));
	}
	/* the CD-TEXT as libcdio decodes the same packs */
	text = cdio_get_cdtext(cdio);
	ck_assert(text != NULL);
	ck_assert(rb_disc_image_get_cdtext(image) != NULL);
	ck_assert_str_eq(rb_cdtext_get_text(rb_disc_image_get_cdtext(image), 0, RB_CDTEXT_TITLE, 0),
			 cdtext_get_const(text, CDTEXT_FIELD_TITLE, 0));
	ck_assert_str_eq(rb_cdtext_get_text(rb_disc_image_get_cdtext(image), 0, RB_CDTEXT_TITLE, 2),
			 cdtext_get_const(text, CDTEXT_FIELD_TITLE, 2));
	cdio_destroy(cdio);
	g_unlink(path);
	g_rmdir(dir);
}
END_TEST

/* every sector of the stream's main channel against what was written */
static void
rb_nrg_assert_stream(RbDiscImage *image,
		     const RbDiscTestNrgTrack *specs,
		     guint n_tracks,
		     const gchar *path)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RbDiscImageStream) stream = rb_disc_image_stream_new(image, &error);
	RbImageLayout *layout = rb_disc_image_get_layout(image);
	gsize size;
	g_autofree guint8 *buf = NULL;
	gint32 lba = RB_IMAGE_FIRST_LBA;
	guint n = 0;
	guint checked = 0;
	CdIo_t *cdio = path != NULL ? cdio_open_nrg(path) : NULL;
	guint want_checked = 0;

	ck_assert_msg(stream != NULL, "%s", error != NULL ? error->message : "");
	for (guint t = 0; t < n_tracks; t++)
		want_checked += specs[t].pregap + specs[t].n_sectors;
	size = rb_disc_image_stream_get_sector_size(stream);
	buf = g_malloc(size * 64);
	while (rb_disc_image_stream_read(stream, buf, 64, &n, &error) && n > 0) {
		for (guint s = 0; s < n; s++, lba++) {
			guint8 *main = buf + s * size;
			guint8 want[2352];
			guint t;

			for (t = 0; t < n_tracks; t++) {
				const RbImageTrack *track = rb_image_layout_get_track(layout, t);
				if (lba >= track->start - (gint32)specs[t].pregap &&
				    lba < track->start + (gint32)track->n_sectors)
					break;
			}
			if (t == n_tracks)
				continue;
			rb_disc_test_nrg_sector(specs[t].mode, lba, want);
			if (specs[t].mode == 0x07) {
				ck_assert_msg(memcmp(main, want, 2352) == 0, "audio LBA %d", lba);
				if (cdio != NULL && lba >= 0) {
					guint8 theirs[2352];
					ck_assert_int_eq(
						cdio_read_audio_sectors(cdio, theirs, lba, 1), 0);
					ck_assert_msg(memcmp(main, theirs, 2352) == 0,
						      "libcdio at LBA %d",
						      lba);
				}
			} else {
				/* the whole raw sector: sync, header, sub-header, EDC, ECC */
				ck_assert(rb_scramble_has_sync(main));
				rb_scramble_sector(main);
				ck_assert_msg(memcmp(main, want, 2352) == 0, "data LBA %d", lba);
			}
			checked++;
		}
	}
	ck_assert_msg(error == NULL, "%s", error != NULL ? error->message : "");
	ck_assert_int_eq(lba, rb_image_layout_get_end_lba(layout));
	ck_assert_uint_eq(checked, want_checked);
	if (cdio != NULL)
		cdio_destroy(cdio);
}

START_TEST(test_nrg_v2_stream)
{
	g_autofree gchar *dir = g_dir_make_tmp("rb-nrg-XXXXXX", NULL);
	RbDiscTestNrg w = {.v2 = TRUE, .tracks = rb_audio, .n_tracks = 2};
	g_autofree gchar *path = rb_disc_test_write_nrg(dir, "audio.nrg", &w);
	g_autoptr(RbDiscImage) image = rb_nrg_open(path);

	rb_nrg_assert_stream(image, rb_audio, 2, path);
	g_unlink(path);
	g_rmdir(dir);
}
END_TEST

START_TEST(test_nrg_v1_raw_and_index2)
{
	g_autofree gchar *dir = g_dir_make_tmp("rb-nrg-XXXXXX", NULL);
	RbDiscTestNrg w = {.v2 = FALSE, .tracks = rb_raw, .n_tracks = 2};
	g_autofree gchar *path = rb_disc_test_write_nrg(dir, "raw.nrg", &w);
	g_autoptr(RbDiscImage) image = rb_nrg_open(path);
	RbImageLayout *layout = rb_disc_image_get_layout(image);
	const RbImageTrack *t2;

	ck_assert_uint_eq(rb_image_layout_get_n_tracks(layout), 2);
	ck_assert_int_eq(rb_image_layout_get_track(layout, 0)->type, RB_CD_SECTOR_MODE1_RAW);
	t2 = rb_image_layout_get_track(layout, 1);
	ck_assert_int_eq(t2->type, RB_CD_SECTOR_AUDIO);
	ck_assert_int_eq(t2->start, 300 + 75);
	ck_assert_uint_eq(t2->pregap_sectors, 75);
	ck_assert_uint_eq(t2->n_indexes, 2);
	ck_assert_uint_eq(t2->indexes[1], 100);
	ck_assert_str_eq(t2->isrc, "GBAYE0000351");
	rb_nrg_assert_stream(image, rb_raw, 2, NULL);
	g_unlink(path);
	g_rmdir(dir);
}
END_TEST

/* 2336-byte XA sectors each built into a raw sector of its own form (the
 * data sub-header kept in Form 1), libcdio agreeing on the layout */
START_TEST(test_nrg_v2_mode2_2336)
{
	g_autofree gchar *dir = g_dir_make_tmp("rb-nrg-XXXXXX", NULL);
	RbDiscTestNrg w = {.v2 = TRUE, .tracks = rb_xa, .n_tracks = 2};
	g_autofree gchar *path = rb_disc_test_write_nrg(dir, "xa.nrg", &w);
	g_autoptr(RbDiscImage) image = rb_nrg_open(path);
	RbImageLayout *layout = rb_disc_image_get_layout(image);
	const RbImageTrack *t1 = rb_image_layout_get_track(layout, 0);

	ck_assert_uint_eq(rb_image_layout_get_n_tracks(layout), 2);
	ck_assert_int_eq(t1->type, RB_CD_SECTOR_MODE2_FORM0_RAW);
	ck_assert_uint_eq(t1->n_sectors, 300);
	ck_assert_int_eq(rb_image_layout_get_track(layout, 1)->start, 300 + 150);
	/* libcdio reads the audio at 2352 bytes per sector from the start,
	 * whatever the sector size before it: not asked for the audio */
	rb_nrg_assert_stream(image, rb_xa, 2, NULL);
	g_unlink(path);
	g_rmdir(dir);
}
END_TEST

/* @w refused with @code at its damaged byte, saying @says unless NULL */
static void
rb_nrg_assert_refused(RbDiscTestNrg *w, gint code, const gchar *says)
{
	g_autofree gchar *dir = g_dir_make_tmp("rb-nrg-XXXXXX", NULL);
	g_autofree gchar *path = rb_disc_test_write_nrg(dir, "bad.nrg", w);
	g_autofree gchar *where = g_strdup_printf("byte %" G_GUINT64_FORMAT, w->damaged_at);
	g_autoptr(GError) error = NULL;
	g_autoptr(RbDiscImage) image = rb_disc_nrg_read(path, &error);

	ck_assert(image == NULL);
	ck_assert_msg(g_error_matches(error, RB_DISC_IMAGE_ERROR, code),
		      "%s",
		      error != NULL ? error->message : "");
	ck_assert_msg(strstr(error->message, where) != NULL, "%s lacks %s", error->message, where);
	ck_assert(strstr(error->message, path) != NULL);
	ck_assert_msg(says == NULL || strstr(error->message, says) != NULL,
		      "%s lacks %s",
		      error->message,
		      says);
	g_unlink(path);
	g_rmdir(dir);
}

START_TEST(test_nrg_refuses_truncated_chunk)
{
	RbDiscTestNrg w = {.v2 = TRUE, .tracks = rb_audio, .n_tracks = 2, .cut_cue = TRUE};
	rb_nrg_assert_refused(&w, RB_DISC_IMAGE_ERROR_SYNTAX, NULL);
}
END_TEST

START_TEST(test_nrg_refuses_offset_past_end)
{
	RbDiscTestNrg w = {.v2 = FALSE, .tracks = rb_raw, .n_tracks = 2, .bad_offset = TRUE};
	rb_nrg_assert_refused(&w, RB_DISC_IMAGE_ERROR_SYNTAX, NULL);
}
END_TEST

START_TEST(test_nrg_refuses_unknown_mode)
{
	RbDiscTestNrg w = {.v2 = TRUE, .tracks = rb_audio, .n_tracks = 2, .bad_mode = 0x42};
	rb_nrg_assert_refused(&w, RB_DISC_IMAGE_ERROR_UNSUPPORTED, NULL);
}
END_TEST

START_TEST(test_nrg_refuses_subchannel_sectors)
{
	RbDiscTestNrg w = {.v2 = TRUE, .tracks = rb_audio, .n_tracks = 2, .bad_mode = 0x10};
	rb_nrg_assert_refused(&w, RB_DISC_IMAGE_ERROR_UNSUPPORTED, NULL);
}
END_TEST

/* what libcdio logs through the handler the program set */
static guint rb_nrg_cdio_messages;

static void
rb_nrg_count_cdio_log(cdio_log_level_t level, const char *message)
{
	(void)level;
	(void)message;
	rb_nrg_cdio_messages++;
}

/*
 * libcdio's messages while it reads an NRG (at every level, so that there
 * are some) go to rawburn's debug log, not to the program's handler
 * (rawburnctl's stderr); the program's handler is back after.
 */
START_TEST(test_nrg_cdio_messages_not_on_stderr)
{
	g_autofree gchar *dir = g_dir_make_tmp("rb-nrg-XXXXXX", NULL);
	RbDiscTestNrg w = {.v2 = TRUE, .tracks = rb_mixed, .n_tracks = 3, .cdtext = TRUE};
	g_autofree gchar *path = rb_disc_test_write_nrg(dir, "log.nrg", &w);
	cdio_log_level_t level = cdio_loglevel_default;
	cdio_log_handler_t previous = cdio_log_set_handler(rb_nrg_count_cdio_log);
	g_autoptr(RbDiscImage) image = NULL;
	CdIo_t *cdio;

	cdio_loglevel_default = CDIO_LOG_DEBUG;
	rb_nrg_cdio_messages = 0;
	image = rb_nrg_open(path);
	ck_assert_uint_eq(rb_nrg_cdio_messages, 0);
	/* the same reading outside the reader does log: the test can fail */
	cdio = cdio_open_nrg(path);
	ck_assert(cdio != NULL);
	cdio_destroy(cdio);
	ck_assert_uint_gt(rb_nrg_cdio_messages, 0);
	cdio_log_set_handler(previous);
	cdio_loglevel_default = level;
	g_unlink(path);
	g_rmdir(dir);
}
END_TEST

/* a track without index 1: the next track's checks read its index 1 */
START_TEST(test_nrg_refuses_track_without_index1)
{
	RbDiscTestNrg w = {.v2 = TRUE, .tracks = rb_audio, .n_tracks = 2, .drop_index1 = 1};
	rb_nrg_assert_refused(&w, RB_DISC_IMAGE_ERROR_SYNTAX, "track 1 has no index 1");
}
END_TEST

/* LBAs whose differences overflow 32 bits, and one before the disc */
START_TEST(test_nrg_refuses_hostile_lbas)
{
	const gint32 lbas[] = {G_MININT32, G_MAXINT32, -151, 449850};

	for (guint i = 0; i < G_N_ELEMENTS(lbas); i++) {
		for (guint track = 1; track <= 2; track++) {
			RbDiscTestNrg w = {.v2 = TRUE,
					   .tracks = rb_audio,
					   .n_tracks = 2,
					   .hostile_track = track,
					   .hostile_index0 = lbas[i]};
			g_autofree gchar *says =
				g_strdup_printf("is at LBA %d, outside a disc", lbas[i]);

			rb_nrg_assert_refused(&w, RB_DISC_IMAGE_ERROR_SYNTAX, says);
		}
	}
}
END_TEST

/* track 2's index 0 before track 1's index 1: track 1 of -100 sectors */
START_TEST(test_nrg_refuses_overlapping_index0)
{
	RbDiscTestNrg w = {.v2 = TRUE,
			   .tracks = rb_audio,
			   .n_tracks = 2,
			   .hostile_track = 2,
			   .hostile_index0 = -100};
	rb_nrg_assert_refused(
		&w, RB_DISC_IMAGE_ERROR_SYNTAX, "track 2 index 0 (LBA -100) is not after track 1");
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("disc-nrg");
	TCase *tc = tcase_create("disc-nrg");

	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_nrg_v2_layout_and_libcdio);
	tcase_add_test(tc, test_nrg_v2_stream);
	tcase_add_test(tc, test_nrg_v1_raw_and_index2);
	tcase_add_test(tc, test_nrg_v2_mode2_2336);
	tcase_add_test(tc, test_nrg_refuses_truncated_chunk);
	tcase_add_test(tc, test_nrg_refuses_offset_past_end);
	tcase_add_test(tc, test_nrg_refuses_unknown_mode);
	tcase_add_test(tc, test_nrg_refuses_subchannel_sectors);
	tcase_add_test(tc, test_nrg_cdio_messages_not_on_stderr);
	tcase_add_test(tc, test_nrg_refuses_track_without_index1);
	tcase_add_test(tc, test_nrg_refuses_hostile_lbas);
	tcase_add_test(tc, test_nrg_refuses_overlapping_index0);
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
