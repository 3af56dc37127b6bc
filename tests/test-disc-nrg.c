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
#include <glib/gstdio.h>
#include <string.h>

#include "rb-disc-image-private.h"
#include "rb-scramble.h"
#include "rb-test-service.h"

typedef struct {
	guint8 mode; /* the DAO mode code */
	guint16 size;
	guint32 pregap; /* index 0 sectors in the file */
	guint32 n_sectors;
	const gchar *isrc;
	guint8 ctl;
	guint32 index2; /* 0 = none, else offset from index 1 */
} RbNrgSpec;

typedef struct {
	gboolean v2;
	const RbNrgSpec *tracks;
	guint n_tracks;
	const gchar *mcn;
	gboolean cdtext;
	/* damage: */
	guint8 bad_mode;     /* track 2's mode code replaced */
	gboolean bad_offset; /* the last track's end offset past the data */
	gboolean cut_cue;    /* the cue chunk's length past the footer */
	guint64 damaged_at;  /* set: the byte offset the damage is at */
	guint64 data_length; /* set: bytes of sector data */
	guint64 offsets[8][3];
} RbNrgWrite;

static void
rb_put_be32(GByteArray *a, guint32 v)
{
	guint8 b[4] = {v >> 24, v >> 16, v >> 8, v};
	g_byte_array_append(a, b, 4);
}

static void
rb_put_be64(GByteArray *a, guint64 v)
{
	rb_put_be32(a, (guint32)(v >> 32));
	rb_put_be32(a, (guint32)v);
}

static guint8
rb_bcd(guint v)
{
	return (guint8)((v / 10) << 4 | (v % 10));
}

/* the input bytes of sector @lba of a track of DAO mode @mode */
static void
rb_nrg_fill(guint8 mode, gint32 lba, guint8 *out, gsize size)
{
	guint8 user[2352];

	for (gsize i = 0; i < sizeof(user); i++)
		user[i] = (guint8)(lba * 7 + i * 13 + mode);
	if (mode == 0x05)
		rb_cd_sector_encode(RB_CD_SECTOR_MODE1, lba, user, out);
	else
		memcpy(out, user, size);
}

static void
rb_cue_entry(GByteArray *a, gboolean msf, guint8 ctl, guint8 track, guint8 index, gint32 lba)
{
	guint8 e[4] = {(guint8)(ctl << 4 | 1), track, index, 0};

	g_byte_array_append(a, e, 4);
	if (msf) {
		guint32 f = (guint32)(lba + 150);
		guint8 m[4] = {0, f / 4500, f / 75 % 60, f % 75};
		g_byte_array_append(a, m, 4);
	} else {
		rb_put_be32(a, (guint32)lba);
	}
}

static void
rb_chunk(GByteArray *file, const gchar *id, GByteArray *body, guint32 len)
{
	g_byte_array_append(file, (const guint8 *)id, 4);
	rb_put_be32(file, len);
	if (body != NULL)
		g_byte_array_append(file, body->data, body->len);
}

static gchar *
rb_nrg_write(const gchar *dir, const gchar *name, RbNrgWrite *w)
{
	g_autoptr(GByteArray) file = g_byte_array_new();
	g_autoptr(GByteArray) cue = g_byte_array_new();
	g_autoptr(GByteArray) dao = g_byte_array_new();
	gchar *path = g_build_filename(dir, name, NULL);
	gint32 lba = -150;
	guint64 chain;
	guint64 cue_at;
	guint64 dao_at;

	rb_cue_entry(cue, !w->v2, w->tracks[0].ctl, 0, 0, -150);
	for (guint t = 0; t < w->n_tracks; t++) {
		const RbNrgSpec *s = &w->tracks[t];
		guint8 sector[2352];

		w->offsets[t][0] = file->len;
		rb_cue_entry(cue, !w->v2, s->ctl, rb_bcd(t + 1), 0, lba);
		for (guint32 i = 0; i < s->pregap + s->n_sectors; i++, lba++) {
			rb_nrg_fill(s->mode, lba, sector, s->size);
			if (i == s->pregap)
				w->offsets[t][1] = file->len;
			g_byte_array_append(file, sector, s->size);
		}
		w->offsets[t][2] = file->len;
		rb_cue_entry(cue, !w->v2, s->ctl, rb_bcd(t + 1), 1, lba - (gint32)s->n_sectors);
		if (s->index2 > 0)
			rb_cue_entry(cue,
				     !w->v2,
				     s->ctl,
				     rb_bcd(t + 1),
				     2,
				     lba - (gint32)s->n_sectors + (gint32)s->index2);
	}
	rb_cue_entry(cue, !w->v2, w->tracks[w->n_tracks - 1].ctl, 0xAA, 1, lba);
	w->data_length = file->len;
	if (w->bad_offset)
		w->offsets[w->n_tracks - 1][2] += 2352 * 10;

	/* DAO: header (size, MCN, 3 bytes, first, last), then the tracks */
	rb_put_be32(dao, 0);
	{
		guint8 mcn[13] = {0};
		guint8 tail[5] = {0, 0, 0, 1, (guint8)w->n_tracks};

		if (w->mcn != NULL)
			memcpy(mcn, w->mcn, 13);
		g_byte_array_append(dao, mcn, 13);
		g_byte_array_append(dao, tail, 5);
	}
	for (guint t = 0; t < w->n_tracks; t++) {
		const RbNrgSpec *s = &w->tracks[t];
		guint8 isrc[12] = {0};
		guint8 mid[6] = {s->size >> 8, s->size & 0xFF, s->mode, 0, 0, 0};

		if (t == 1 && w->bad_mode != 0)
			mid[2] = w->bad_mode;
		if (s->isrc != NULL)
			memcpy(isrc, s->isrc, 12);
		g_byte_array_append(dao, isrc, 12);
		g_byte_array_append(dao, mid, 6);
		for (guint k = 0; k < 3; k++) {
			if (w->v2)
				rb_put_be64(dao, w->offsets[t][k]);
			else
				rb_put_be32(dao, (guint32)w->offsets[t][k]);
		}
	}

	chain = file->len;
	cue_at = file->len;
	rb_chunk(file, w->v2 ? "CUEX" : "CUES", cue, w->cut_cue ? 100000 : cue->len);
	dao_at = file->len;
	rb_chunk(file, w->v2 ? "DAOX" : "DAOI", dao, dao->len);
	if (w->cdtext) {
		g_autoptr(RbCdText) text = rb_cdtext_new();
		g_autoptr(GBytes) packs = NULL;
		g_autoptr(GByteArray) body = g_byte_array_new();
		gsize len;
		const guint8 *data;

		ck_assert(rb_cdtext_set_text(text, 0, RB_CDTEXT_TITLE, 0, "Chunky Disc", NULL));
		ck_assert(rb_cdtext_set_text(text, 0, RB_CDTEXT_PERFORMER, 0, "The Nero", NULL));
		for (guint t = 1; t <= w->n_tracks; t++) {
			g_autofree gchar *title = g_strdup_printf("Song %u", t);
			ck_assert(rb_cdtext_set_text(text, 0, RB_CDTEXT_TITLE, t, title, NULL));
		}
		packs = rb_cdtext_encode(text, 1, w->n_tracks, NULL);
		ck_assert(packs != NULL);
		data = g_bytes_get_data(packs, &len);
		g_byte_array_append(body, data, len);
		rb_chunk(file, "CDTX", body, body->len);
	}
	{
		g_autoptr(GByteArray) one = g_byte_array_new();
		rb_put_be32(one, 1);
		rb_chunk(file, "SINF", one, 4);
		rb_chunk(file, "MTYP", one, 4);
	}
	rb_chunk(file, "END!", NULL, 0);
	if (w->v2) {
		g_byte_array_append(file, (const guint8 *)"NER5", 4);
		rb_put_be64(file, chain);
	} else {
		g_byte_array_append(file, (const guint8 *)"NERO", 4);
		rb_put_be32(file, (guint32)chain);
	}
	if (w->cut_cue)
		w->damaged_at = cue_at;
	if (w->bad_mode != 0)
		w->damaged_at = dao_at + 8 + 22 + (w->v2 ? 42 : 30);
	if (w->bad_offset)
		w->damaged_at = dao_at + 8 + 22 + (w->n_tracks - 1) * (w->v2 ? 42 : 30);
	ck_assert(g_file_set_contents(path, (const gchar *)file->data, file->len, NULL));
	return path;
}

/* data track 1 (Mode 1, 2048), audio with ISRC and pre-emphasis, audio without pregap */
static const RbNrgSpec rb_mixed[] = {
	{0x00, 2048, 150, 300, NULL, 0x4, 0},
	{0x07, 2352, 150, 400, "USRC17607839", 0x3, 0},
	{0x07, 2352, 0, 350, NULL, 0x0, 0},
};

/* raw Mode 1 track 1, then audio with a short pregap and an index 2 */
static const RbNrgSpec rb_raw[] = {
	{0x05, 2352, 150, 300, NULL, 0x4, 0},
	{0x07, 2352, 75, 320, "GBAYE0000351", 0x0, 100},
};

/* audio only: libcdio reads its sectors at (LSN + 150) × 2352 */
static const RbNrgSpec rb_audio[] = {
	{0x07, 2352, 150, 300, "USRC17607839", 0x2, 0},
	{0x07, 2352, 150, 310, NULL, 0x2, 0},
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
	RbNrgWrite w = {.v2 = TRUE,
			.tracks = rb_mixed,
			.n_tracks = 3,
			.mcn = "0724349876545",
			.cdtext = TRUE};
	g_autofree gchar *path = rb_nrg_write(dir, "mixed.nrg", &w);
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
rb_nrg_assert_stream(RbDiscImage *image, const RbNrgSpec *specs, guint n_tracks, const gchar *path)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RbDiscImageStream) stream = rb_disc_image_stream_new(image, &error);
	RbImageLayout *layout = rb_disc_image_get_layout(image);
	gsize size;
	g_autofree guint8 *buf = NULL;
	gint32 lba = RB_IMAGE_FIRST_LBA;
	guint n = 0;
	guint checked = 0;
	CdIo_t *cdio = cdio_open_nrg(path);

	ck_assert_msg(stream != NULL, "%s", error != NULL ? error->message : "");
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
			rb_nrg_fill(specs[t].mode, lba, want, specs[t].size);
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
				rb_scramble_sector(main);
				ck_assert_msg(memcmp(specs[t].mode == 0x05 ? main : main + 16,
						     want,
						     specs[t].size) == 0,
					      "data LBA %d",
					      lba);
			}
			checked++;
		}
	}
	ck_assert_msg(error == NULL, "%s", error != NULL ? error->message : "");
	ck_assert_int_eq(lba, rb_image_layout_get_end_lba(layout));
	ck_assert_uint_gt(checked, 900);
	if (cdio != NULL)
		cdio_destroy(cdio);
}

START_TEST(test_nrg_v2_stream)
{
	g_autofree gchar *dir = g_dir_make_tmp("rb-nrg-XXXXXX", NULL);
	RbNrgWrite w = {.v2 = TRUE, .tracks = rb_audio, .n_tracks = 2};
	g_autofree gchar *path = rb_nrg_write(dir, "audio.nrg", &w);
	g_autoptr(RbDiscImage) image = rb_nrg_open(path);

	rb_nrg_assert_stream(image, rb_audio, 2, path);
	g_unlink(path);
	g_rmdir(dir);
}
END_TEST

START_TEST(test_nrg_v1_raw_and_index2)
{
	g_autofree gchar *dir = g_dir_make_tmp("rb-nrg-XXXXXX", NULL);
	RbNrgWrite w = {.v2 = FALSE, .tracks = rb_raw, .n_tracks = 2};
	g_autofree gchar *path = rb_nrg_write(dir, "raw.nrg", &w);
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

static void
rb_nrg_assert_refused(RbNrgWrite *w, gint code)
{
	g_autofree gchar *dir = g_dir_make_tmp("rb-nrg-XXXXXX", NULL);
	g_autofree gchar *path = rb_nrg_write(dir, "bad.nrg", w);
	g_autofree gchar *where = g_strdup_printf("byte %" G_GUINT64_FORMAT, w->damaged_at);
	g_autoptr(GError) error = NULL;
	g_autoptr(RbDiscImage) image = rb_disc_nrg_read(path, &error);

	ck_assert(image == NULL);
	ck_assert_msg(g_error_matches(error, RB_DISC_IMAGE_ERROR, code),
		      "%s",
		      error != NULL ? error->message : "");
	ck_assert_msg(strstr(error->message, where) != NULL, "%s lacks %s", error->message, where);
	ck_assert(strstr(error->message, path) != NULL);
	g_unlink(path);
	g_rmdir(dir);
}

START_TEST(test_nrg_refuses_truncated_chunk)
{
	RbNrgWrite w = {.v2 = TRUE, .tracks = rb_audio, .n_tracks = 2, .cut_cue = TRUE};
	rb_nrg_assert_refused(&w, RB_DISC_IMAGE_ERROR_SYNTAX);
}
END_TEST

START_TEST(test_nrg_refuses_offset_past_end)
{
	RbNrgWrite w = {.v2 = FALSE, .tracks = rb_raw, .n_tracks = 2, .bad_offset = TRUE};
	rb_nrg_assert_refused(&w, RB_DISC_IMAGE_ERROR_SYNTAX);
}
END_TEST

START_TEST(test_nrg_refuses_unknown_mode)
{
	RbNrgWrite w = {.v2 = TRUE, .tracks = rb_audio, .n_tracks = 2, .bad_mode = 0x42};
	rb_nrg_assert_refused(&w, RB_DISC_IMAGE_ERROR_UNSUPPORTED);
}
END_TEST

START_TEST(test_nrg_refuses_subchannel_sectors)
{
	RbNrgWrite w = {.v2 = TRUE, .tracks = rb_audio, .n_tracks = 2, .bad_mode = 0x10};
	rb_nrg_assert_refused(&w, RB_DISC_IMAGE_ERROR_UNSUPPORTED);
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
	tcase_add_test(tc, test_nrg_refuses_truncated_chunk);
	tcase_add_test(tc, test_nrg_refuses_offset_past_end);
	tcase_add_test(tc, test_nrg_refuses_unknown_mode);
	tcase_add_test(tc, test_nrg_refuses_subchannel_sectors);
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
