/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by the NRG, CloneCD and burn tests: Nero NRG images written chunk
 * by chunk as libcdio's nrg.h lays them out (version 2 "NER5" with
 * CUEX/DAOX, version 1 "NERO" with CUES/DAOI), CloneCD sets whose .sub is
 * built from a layout of the image core's (not from the reader's), and a
 * burned disc read back under the emulated drive by libcdio's cd-info and
 * cd-read.
 */
#include "config.h"

#include <check.h>
#include <glib/gstdio.h>
#include <string.h>

#include "rb-cd-sector.h"
#include "rb-cdtext.h"
#include "rb-disc-test-formats.h"
#include "rb-disc-test.h"
#include "rb-msf.h"
#include "rb-scramble.h"
#include "rb-subchannel.h"

/* ---- NRG ---- */

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

void
rb_disc_test_nrg_sector(guint8 mode, gint32 lba, guint8 out[2352])
{
	guint8 user[2352];

	for (gsize i = 0; i < sizeof(user); i++)
		user[i] = (guint8)(lba * 7 + i * 13 + mode);
	if (mode == 0x00 || mode == 0x05) {
		rb_cd_sector_encode(RB_CD_SECTOR_MODE1, lba, user, out);
	} else if (mode == 0x03 && lba % 2 != 0) {
		/* Form 2: sub-header (file 1, channel 2, submode Form 2), 2324
		 * bytes, the EDC the encoder adds */
		memcpy(user, "\x01\x02\x20\x00\x01\x02\x20\x00", 8);
		rb_cd_sector_encode(RB_CD_SECTOR_MODE2_FORM2, lba, user, out);
	} else if (mode == 0x03) {
		/* Form 1 with a data sub-header of its own: EDC over 16-2071
		 * and P/Q parity, as CD-ROM XA puts them */
		guint8 xa[2336] = {0x01, 0x00, 0x08, 0x00, 0x01, 0x00, 0x08, 0x00};
		guint32 edc;

		memcpy(xa + 8, user, 2048);
		rb_cd_sector_encode(RB_CD_SECTOR_MODE2_FORM0, lba, xa, out);
		edc = rb_cd_sector_edc(out + 16, 2056);
		for (guint i = 0; i < 4; i++)
			out[2072 + i] = (guint8)(edc >> (8 * i));
		rb_cd_sector_ecc(out, TRUE);
	} else {
		memcpy(out, user, 2352);
	}
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

/* DAO: header (size, MCN, 3 bytes, first, last), then the tracks */
static void
rb_nrg_dao(GByteArray *dao, const RbDiscTestNrg *w)
{
	guint8 mcn[13] = {0};
	guint8 tail[5] = {0, 0, 0, 1, (guint8)w->n_tracks};

	rb_put_be32(dao, 0);
	if (w->mcn != NULL)
		memcpy(mcn, w->mcn, 13);
	g_byte_array_append(dao, mcn, 13);
	g_byte_array_append(dao, tail, 5);
	for (guint t = 0; t < w->n_tracks; t++) {
		const RbDiscTestNrgTrack *s = &w->tracks[t];
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
}

static void
rb_nrg_cdtx(GByteArray *file, guint n_tracks)
{
	g_autoptr(RbCdText) text = rb_cdtext_new();
	g_autoptr(GBytes) packs = NULL;
	g_autoptr(GByteArray) body = g_byte_array_new();
	gsize len;
	const guint8 *data;

	ck_assert(rb_cdtext_set_text(text, 0, RB_CDTEXT_TITLE, 0, "Chunky Disc", NULL));
	ck_assert(rb_cdtext_set_text(text, 0, RB_CDTEXT_PERFORMER, 0, "The Nero", NULL));
	for (guint t = 1; t <= n_tracks; t++) {
		g_autofree gchar *title = g_strdup_printf("Song %u", t);
		g_autofree gchar *performer = g_strdup_printf("Singer %u", t);

		ck_assert(rb_cdtext_set_text(text, 0, RB_CDTEXT_TITLE, t, title, NULL));
		ck_assert(rb_cdtext_set_text(text, 0, RB_CDTEXT_PERFORMER, t, performer, NULL));
	}
	packs = rb_cdtext_encode(text, 1, n_tracks, NULL);
	ck_assert(packs != NULL);
	data = g_bytes_get_data(packs, &len);
	g_byte_array_append(body, data, len);
	rb_chunk(file, "CDTX", body, body->len);
}

gchar *
rb_disc_test_write_nrg(const gchar *dir, const gchar *name, RbDiscTestNrg *w)
{
	g_autoptr(GByteArray) file = g_byte_array_new();
	g_autoptr(GByteArray) cue = g_byte_array_new();
	g_autoptr(GByteArray) dao = g_byte_array_new();
	g_autoptr(GByteArray) one = g_byte_array_new();
	gchar *path = g_build_filename(dir, name, NULL);
	gint32 lba = -150;
	guint64 chain;
	guint64 dao_at;
	guint damaged_entry = 0; /* 0 = none: the lead-in entry is never damaged */

	rb_cue_entry(cue, !w->v2, w->tracks[0].ctl, 0, 0, -150);
	for (guint t = 0; t < w->n_tracks; t++) {
		const RbDiscTestNrgTrack *s = &w->tracks[t];
		gsize skip = s->size == 2352 ? 0 : 16;
		guint8 sector[2352];

		w->offsets[t][0] = file->len;
		if (w->hostile_track == t + 1)
			damaged_entry = cue->len / 8;
		/* a dropped index 1 shows at the next track's first entry */
		if (w->drop_index1 > 0 && w->drop_index1 == t)
			damaged_entry = cue->len / 8;
		rb_cue_entry(cue,
			     !w->v2,
			     s->ctl,
			     rb_bcd(t + 1),
			     0,
			     w->hostile_track == t + 1 ? w->hostile_index0 : lba);
		for (guint32 i = 0; i < s->pregap + s->n_sectors; i++, lba++) {
			rb_disc_test_nrg_sector(s->mode, lba, sector);
			if (i == s->pregap)
				w->offsets[t][1] = file->len;
			g_byte_array_append(file, sector + skip, s->size);
		}
		w->offsets[t][2] = file->len;
		if (w->drop_index1 != t + 1)
			rb_cue_entry(
				cue, !w->v2, s->ctl, rb_bcd(t + 1), 1, lba - (gint32)s->n_sectors);
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
	rb_nrg_dao(dao, w);

	chain = file->len;
	if (w->cut_cue)
		w->damaged_at = file->len;
	if (damaged_entry > 0)
		w->damaged_at = chain + 8 + 8 * (guint64)damaged_entry;
	rb_chunk(file, w->v2 ? "CUEX" : "CUES", cue, w->cut_cue ? 100000 : cue->len);
	dao_at = file->len;
	rb_chunk(file, w->v2 ? "DAOX" : "DAOI", dao, dao->len);
	if (w->cdtext)
		rb_nrg_cdtx(file, w->n_tracks);
	rb_put_be32(one, 1);
	rb_chunk(file, "SINF", one, 4);
	rb_chunk(file, "MTYP", one, 4);
	rb_chunk(file, "END!", NULL, 0);
	if (w->v2) {
		g_byte_array_append(file, (const guint8 *)"NER5", 4);
		rb_put_be64(file, chain);
	} else {
		g_byte_array_append(file, (const guint8 *)"NERO", 4);
		rb_put_be32(file, (guint32)chain);
	}
	if (w->bad_mode != 0)
		w->damaged_at = dao_at + 8 + 22 + (w->v2 ? 42 : 30);
	if (w->bad_offset)
		w->damaged_at = dao_at + 8 + 22 + (w->n_tracks - 1) * (w->v2 ? 42 : 30);
	ck_assert(g_file_set_contents(path, (const gchar *)file->data, file->len, NULL));
	return path;
}

/* ---- CloneCD ---- */

void
rb_disc_test_ccd_free(RbDiscTestCcd *set)
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

/* the disc's layout, built with the core as a burner would (independent of the reader) */
static RbImageLayout *
rb_ccd_reference_layout(void)
{
	RbImageLayout *layout = rb_image_layout_new();

	ck_assert(rb_image_layout_set_explicit_gaps(layout, TRUE, NULL));
	ck_assert(rb_image_layout_set_mcn(layout, RB_DISC_TEST_CCD_MCN, NULL));
	ck_assert(rb_image_layout_add_track(
		layout, RB_CD_SECTOR_MODE1_RAW, RB_DISC_TEST_CCD_T1_SECTORS, NULL, NULL));
	ck_assert(rb_image_layout_track_set_pregap(layout, 0, 150, NULL));
	ck_assert(rb_image_layout_add_track(
		layout, RB_CD_SECTOR_AUDIO, RB_DISC_TEST_CCD_T2_SECTORS, NULL, NULL));
	ck_assert(rb_image_layout_track_set_pregap(layout, 1, RB_DISC_TEST_CCD_T2_PREGAP, NULL));
	ck_assert(rb_image_layout_track_set_isrc(layout, 1, RB_DISC_TEST_CCD_ISRC, NULL));
	return layout;
}

void
rb_disc_test_ccd_sector(gint32 lba, guint8 out[2352])
{
	guint8 user[2352];

	for (gsize i = 0; i < sizeof(user); i++)
		user[i] = (guint8)(lba * 5 + i * 11);
	if (lba < RB_DISC_TEST_CCD_T1_SECTORS)
		rb_cd_sector_encode(RB_CD_SECTOR_MODE1, lba, user, out); /* descrambled */
	else
		memcpy(out, user, 2352);
}

RbDiscTestCcd *
rb_disc_test_ccd_new(const RbDiscTestCcdOptions *o)
{
	RbDiscTestCcd *set = g_new0(RbDiscTestCcd, 1);
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
		{0xA2, 0, RB_DISC_TEST_CCD_LEADOUT},
		{1, 4, 0},
		{2, 0, RB_DISC_TEST_CCD_T1_SECTORS + RB_DISC_TEST_CCD_T2_PREGAP},
	};

	set->dir = g_dir_make_tmp("rb-ccd-XXXXXX", NULL);
	set->ccd = g_build_filename(set->dir, "disc.ccd", NULL);
	set->img = g_build_filename(set->dir, "disc.img", NULL);
	set->sub = g_build_filename(set->dir, "disc.sub", NULL);
	set->symbols = g_malloc((gsize)RB_DISC_TEST_CCD_LEADOUT * 96);

	for (gint32 lba = 0; lba < RB_DISC_TEST_CCD_LEADOUT; lba++) {
		guint8 sector[2352];
		guint8 q[RB_SUBQ_SIZE];
		guint8 channels[96] = {0};
		guint8 *pw = set->symbols + (gsize)lba * 96;
		gboolean p = FALSE;

		rb_disc_test_ccd_sector(lba, sector);
		g_byte_array_append(img, sector, sizeof(sector));
		ck_assert(rb_image_layout_get_subq(layout, lba, q, &p));
		if (lba == o->bad_q_lba) {
			q[2] = 0x02; /* index 02 where the sheet has 01 */
			rb_subq_set_crc(q);
		}
		if (o->bad_crc_lba > 0 && lba == o->bad_crc_lba)
			q[RB_SUBQ_SIZE - 1] ^= 0x5A;
		if (o->bad_field_lba > 0 && lba == o->bad_field_lba) {
			q[3] = 0xFF;
			rb_subq_set_crc(q);
		}
		if (o->bad_adr_lba > 0 && lba == o->bad_adr_lba) {
			q[0] &= 0xF0;
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
	ck_assert(rb_cdtext_set_text(text, 0, RB_CDTEXT_PERFORMER, 0, "Clone Artist", NULL));
	ck_assert(rb_cdtext_set_text(text, 0, RB_CDTEXT_TITLE, 1, "Clone Data", NULL));
	ck_assert(rb_cdtext_set_text(text, 0, RB_CDTEXT_PERFORMER, 1, "Data Artist", NULL));
	ck_assert(rb_cdtext_set_text(text, 0, RB_CDTEXT_TITLE, 2, "Clone Song", NULL));
	ck_assert(rb_cdtext_set_text(text, 0, RB_CDTEXT_PERFORMER, 2, "Song Artist", NULL));
	packs = rb_cdtext_encode(text, 1, 2, NULL);
	ck_assert(packs != NULL);

	g_string_append(ccd, "[CloneCD]\r\nVersion=3\r\n[Disc]\r\n");
	g_string_append_printf(ccd, "TocEntries=%u\r\n", (guint)G_N_ELEMENTS(entries));
	g_string_append_printf(ccd, "Sessions=%u\r\n", o->sessions);
	g_string_append_printf(ccd,
			       "DataTracksScrambled=0\r\nCDTextLength=%u\r\nCATALOG=%s\r\n",
			       (guint)g_bytes_get_size(packs),
			       RB_DISC_TEST_CCD_MCN);
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
			       RB_DISC_TEST_CCD_ISRC,
			       RB_DISC_TEST_CCD_T1_SECTORS,
			       RB_DISC_TEST_CCD_T1_SECTORS + RB_DISC_TEST_CCD_T2_PREGAP);

	ck_assert(g_file_set_contents(set->ccd, ccd->str, (gssize)ccd->len, NULL));
	if (!o->no_img)
		ck_assert(g_file_set_contents(set->img, (const gchar *)img->data, img->len, NULL));
	ck_assert(g_file_set_contents(set->sub,
				      (const gchar *)sub->data,
				      o->short_sub ? sub->len - 96 * 10 : sub->len,
				      NULL));
	return set;
}

/* ---- a burned disc of audio and data tracks ---- */

GBytes *
rb_disc_test_read_back_disc(const gchar *dir, const gchar *disc, const RbDiscTestDisc *expected)
{
	/* cd-info prints the CD-TEXT in its analysis of the disc */
	g_autofree gchar *command =
		g_strdup_printf("cd-info --no-header --no-device-info /dev/sr0 && "
				"cd-read -m audio -s %d -n %u -o read-back.pcm /dev/sr0 >/dev/null",
				expected->audio_start,
				expected->audio_sectors);
	g_autofree gchar *info = rb_disc_test_read_disc(dir, disc, command);
	g_autofree gchar *pcm_path = g_build_filename(dir, "read-back.pcm", NULL);
	gchar *pcm = NULL;
	gsize pcm_len = 0;

	rb_disc_test_assert_cd_info(info,
				    expected->n_tracks,
				    expected->starts,
				    expected->formats,
				    expected->leadout,
				    expected->titles,
				    expected->performers);
	ck_assert(g_file_get_contents(pcm_path, &pcm, &pcm_len, NULL));
	g_unlink(pcm_path);
	ck_assert_uint_eq(pcm_len, (gsize)expected->audio_sectors * RB_CD_MAIN_SIZE);
	return g_bytes_new_take(pcm, pcm_len);
}

void
rb_disc_test_export_sector(GBytes *disc, gint32 lba, guint8 out[2448])
{
	gsize size = 0;
	const guint8 *data = g_bytes_get_data(disc, &size);
	gsize at = (gsize)(lba - RB_DISC_TEST_LEADIN) * RB_DISC_TEST_EXPORT_SECTOR;

	ck_assert_msg(lba >= RB_DISC_TEST_LEADIN && at + RB_DISC_TEST_EXPORT_SECTOR <= size,
		      "LBA %d is not on the exported disc",
		      lba);
	memcpy(out, data + at, RB_DISC_TEST_EXPORT_SECTOR);
	/* a reading drive descrambles data sectors; audio was never scrambled */
	if (rb_scramble_has_sync(out))
		rb_scramble_sector(out);
}
