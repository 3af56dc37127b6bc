/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The image core's additions for image files: sheet mode (each track's
 * source brings its own pregap, of any length after track 1), CD-TEXT in
 * the lead-in and a sub-channel source. Each disc is produced and burned on
 * the emulated drive, whose judge must find nothing wrong, whose TOC must
 * be ExpectedTableOfContents and whose report must count the CD-TEXT packs;
 * the pregap sectors, the packs' six-bit symbols and the sub-channel
 * source's bytes are checked in the stream against what the test's sources
 * gave, decoded here independently of the image core. And the refusals.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "rb-image-private.h"
#include "rb-image-test.h"
#include "rb-scramble.h"
#include "rb-test-service.h"
#include "rb-vdrive-test.h"

#define RB_PACK 18

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

/* --- the sources ------------------------------------------------------------------------ */

typedef struct {
	const RbImageLayout *layout;
	guint64 offset[RB_IMAGE_SOURCE_SUBCHANNEL + 1];
	/* the R-W generator puts a 1 in the lead-in at this stream sector, or -1 */
	gint64 rw_leadin_byte;
	/* the sub-channel source: the sector last built */
	gint64 sub_sector;
	guint8 sub[RB_SUBCHANNEL_PW_SIZE];
} RbSource;

static guint8
rb_pattern(guint source, guint64 pos)
{
	return (guint8)(pos * 13u + source * 29u + (pos >> 10));
}

/* a track's source: its pregap's sectors, then its own */
static guint64
rb_track_size(const RbImageLayout *layout, guint i)
{
	const RbImageTrack *t = rb_image_layout_get_track(layout, i);

	return (guint64)(t->pregap_sectors + t->n_sectors) * rb_image_type_input_size(t->type);
}

static guint64
rb_source_size(const RbSource *src, guint source)
{
	gint32 leadout = 0;

	if (source == RB_IMAGE_SOURCE_RW)
		return (guint64)rb_image_layout_get_n_sectors(src->layout) * RB_SUBCHANNEL_PW_SIZE;
	if (source == RB_IMAGE_SOURCE_SUBCHANNEL) {
		ck_assert(rb_image_layout_get_leadout_start(src->layout, &leadout, NULL));
		return (guint64)leadout * RB_SUBCHANNEL_PW_SIZE;
	}
	ck_assert_uint_lt(source, rb_image_layout_get_n_tracks(src->layout));
	return rb_track_size(src->layout, source);
}

/* what the sub-channel source gives for the program-area sector at @lba:
 * P and Q as a reader expects them, and R-W that no generator would make */
static void
rb_sub_source_sector(const RbImageLayout *layout, gint32 lba, guint8 out[RB_SUBCHANNEL_PW_SIZE])
{
	guint8 q[RB_SUBQ_SIZE];
	gboolean p = FALSE;

	ck_assert(rb_image_layout_get_subq(layout, lba, q, &p));
	rb_subchannel_pw_build(q, p, out);
	for (guint k = 0; k < RB_SUBCHANNEL_PW_SIZE; k++)
		out[k] |= rb_pattern(RB_IMAGE_SOURCE_SUBCHANNEL, (guint64)lba * 96 + k) & 0x3F;
}

static guint8
rb_source_byte(RbSource *src, guint source, guint64 pos)
{
	if (source == RB_IMAGE_SOURCE_RW) {
		gint64 sector = (gint64)(pos / RB_SUBCHANNEL_PW_SIZE);
		if (RB_IMAGE_FIRST_LBA + sector < -150)
			return src->rw_leadin_byte == (gint64)pos ? 1 : 0;
		return rb_pattern(source, pos) & 0x3F;
	}
	if (source == RB_IMAGE_SOURCE_SUBCHANNEL) {
		gint64 sector = (gint64)(pos / RB_SUBCHANNEL_PW_SIZE);
		if (sector != src->sub_sector) {
			rb_sub_source_sector(src->layout, (gint32)sector, src->sub);
			src->sub_sector = sector;
		}
		return src->sub[pos % RB_SUBCHANNEL_PW_SIZE];
	}
	return rb_pattern(source, pos);
}

static gssize
rb_source_read(gpointer user_data, guint source, guint8 *buf, gsize len, GError **error)
{
	RbSource *src = user_data;
	guint64 size = rb_source_size(src, source);
	guint64 *offset = &src->offset[source];
	/* short reads: the producer must ask again */
	gsize n = MIN(len, 1000);

	(void)error;
	if (*offset >= size)
		return 0;
	n = (gsize)MIN((guint64)n, size - *offset);
	for (gsize i = 0; i < n; i++)
		buf[i] = rb_source_byte(src, source, *offset + i);
	*offset += n;
	return (gssize)n;
}

static void
rb_source_init(RbSource *src, const RbImageLayout *layout)
{
	memset(src, 0, sizeof(*src));
	src->layout = layout;
	src->rw_leadin_byte = -1;
	src->sub_sector = -1;
}

/* --- producing -------------------------------------------------------------------------- */

/* the whole stream; every track's source, its pregap included, read to its end */
static GBytes *
rb_produce(const RbImageLayout *layout, RbSource *src)
{
	GBytes *image = rb_image_test_produce(layout, rb_source_read, src);

	for (guint i = 0; i < rb_image_layout_get_n_tracks(layout); i++)
		ck_assert_uint_eq(src->offset[i], rb_source_size(src, i));
	return image;
}

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
		input[b] = rb_pattern(i, (guint64)k * size + b);
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

/* Q (bytes 1-5: TNO, index, relative time) and P of the layout at @lba */
static void
rb_assert_q(const RbImageLayout *layout, gint32 lba, guint tno, guint index, guint rel, gboolean p)
{
	guint8 q[RB_SUBQ_SIZE];
	gboolean p_out = !p;

	ck_assert(rb_image_layout_get_subq(layout, lba, q, &p_out));
	ck_assert_msg(q[1] == tno && q[2] == index, "LBA %d: TNO %02X index %02X", lba, q[1], q[2]);
	ck_assert_msg((guint)(q[3] >> 4) * 10 + (q[3] & 0x0F) == rel / 4500 &&
			      (guint)(q[4] >> 4) * 10 + (q[4] & 0x0F) == rel / 75 % 60 &&
			      (guint)(q[5] >> 4) * 10 + (q[5] & 0x0F) == rel % 75,
		      "LBA %d: relative %02X:%02X:%02X, expected %u frames",
		      lba,
		      q[3],
		      q[4],
		      q[5],
		      rel);
	ck_assert_msg(p_out == p, "LBA %d: P %d", lba, p_out);
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
	RbSource src;
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

	rb_source_init(&src, layout);
	image = rb_produce(layout, &src);
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
	rb_assert_q(layout, -150, 0x01, 0x00, 150, TRUE);
	rb_assert_q(layout, -1, 0x01, 0x00, 1, TRUE);
	rb_assert_q(layout, 0, 0x01, 0x01, 0, FALSE);
	rb_assert_q(layout, 149, 0x01, 0x01, 149, FALSE);
	/* track 2 has no pregap: P's 2 s before its start lie in track 1 */
	rb_assert_q(layout, 150, 0x01, 0x01, 150, TRUE);
	rb_assert_q(layout, 299, 0x01, 0x01, 299, TRUE);
	rb_assert_q(layout, 300, 0x02, 0x01, 0, FALSE);
	/* track 3: 75 sectors of pregap at 600, the flag from 525 */
	rb_assert_q(layout, 524, 0x02, 0x01, 224, FALSE);
	rb_assert_q(layout, 525, 0x02, 0x01, 225, TRUE);
	rb_assert_q(layout, 599, 0x02, 0x01, 299, TRUE);
	rb_assert_q(layout, 600, 0x03, 0x00, 75, TRUE);
	rb_assert_q(layout, 674, 0x03, 0x00, 1, TRUE);
	rb_assert_q(layout, 675, 0x03, 0x01, 0, FALSE);
	/* track 4: a full pregap, the flag only there */
	rb_assert_q(layout, 974, 0x03, 0x01, 299, FALSE);
	rb_assert_q(layout, 975, 0x04, 0x00, 150, TRUE);
	rb_assert_q(layout, 1125, 0x04, 0x01, 0, FALSE);
	rb_assert_q(layout, 1425, 0xAA, 0x01, 0, FALSE);

	/* a hidden pregap: index 0 from -150 to 149 */
	rb_assert_q(hidden, -150, 0x01, 0x00, 300, TRUE);
	rb_assert_q(hidden, 0, 0x01, 0x00, 150, TRUE);
	rb_assert_q(hidden, 149, 0x01, 0x00, 1, TRUE);
	rb_assert_q(hidden, 150, 0x01, 0x01, 0, FALSE);
	rb_assert_q(hidden, 299, 0x01, 0x01, 149, FALSE);
	rb_assert_q(hidden, 300, 0x01, 0x01, 150, TRUE);
	rb_assert_q(hidden, 450, 0x02, 0x01, 0, FALSE);
}
END_TEST

/* --- CD-TEXT ----------------------------------------------------------------------------- */

/* CRC-16 0x1021 from 0, bit by bit: independent of the project's table */
static guint16
rb_crc_ccitt(const guint8 *data, gsize len)
{
	guint16 crc = 0;

	for (gsize i = 0; i < len; i++) {
		crc ^= (guint16)(data[i] << 8);
		for (guint b = 0; b < 8; b++)
			crc = (crc & 0x8000) != 0 ? (guint16)((crc << 1) ^ 0x1021)
						  : (guint16)(crc << 1);
	}
	return crc;
}

/* @n title packs of block 0 (type 80h), sequence numbers 0.., CRCs set */
static GBytes *
rb_packs_new(guint n)
{
	guint8 *packs = g_malloc0((gsize)n * RB_PACK);

	for (guint k = 0; k < n; k++) {
		guint8 *p = packs + k * RB_PACK;
		guint16 crc;

		p[0] = 0x80;
		p[1] = (guint8)k;
		p[2] = (guint8)k;
		for (guint b = 4; b < 16; b++)
			p[b] = (guint8)('A' + (k * 12 + b) % 26);
		crc = (guint16)~rb_crc_ccitt(p, 16);
		p[16] = (guint8)(crc >> 8);
		p[17] = (guint8)crc;
	}
	return g_bytes_new_take(packs, (gsize)n * RB_PACK);
}

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

static RbImageLayout *
rb_audio_layout(guint type, guint n_tracks)
{
	RbImageLayout *layout = rb_image_layout_new();

	ck_assert(rb_image_layout_set_image_type(layout, type, NULL));
	/* 2 s pauses: tracks of 300 sectors need no gapless pregap */
	ck_assert(rb_image_layout_set_disable_gapless_audio(layout, TRUE, NULL));
	for (guint i = 0; i < n_tracks; i++)
		ck_assert(rb_image_layout_add_track(layout, RB_CD_SECTOR_AUDIO, 300, NULL, NULL));
	return layout;
}

/* 7 packs (not a multiple of 4: they run on across sectors), in sheet mode or not */
START_TEST(test_cdtext_leadin)
{
	const guint n_packs = 7;
	g_autoptr(GBytes) packs = rb_packs_new(n_packs);
	g_autoptr(RbImageLayout) layout = rb_image_layout_new();
	g_autoptr(RbImageLayout) plain = NULL;
	g_autoptr(GBytes) image = NULL;
	g_autoptr(GBytes) plain_image = NULL;
	g_autoptr(RbVdrive) drive = NULL;
	const guint8 *data = g_bytes_get_data(packs, NULL);
	RbVdriveReport report;
	RbSource src;

	ck_assert(rb_image_layout_set_image_type(layout, RB_DATA_BLOCK_TYPE_RAW_PW, NULL));
	ck_assert(rb_image_layout_set_explicit_gaps(layout, _i == 1, NULL));
	ck_assert(rb_image_layout_set_disable_gapless_audio(layout, TRUE, NULL));
	for (guint i = 0; i < 2; i++)
		ck_assert(rb_image_layout_add_track(layout, RB_CD_SECTOR_AUDIO, 300, NULL, NULL));
	plain = rb_image_layout_copy(layout);
	ck_assert(rb_image_layout_set_cdtext(layout, packs, NULL));
	ck_assert(rb_image_layout_get_cdtext(layout) == packs);
	ck_assert(rb_image_layout_get_cdtext(plain) == NULL);

	rb_source_init(&src, layout);
	image = rb_produce(layout, &src);
	rb_source_init(&src, plain);
	plain_image = rb_produce(plain, &src);

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
			ck_assert_msg(memcmp(bytes + j * RB_PACK,
					     data + ((4 * k + j) % n_packs) * RB_PACK,
					     RB_PACK) == 0,
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
	g_autoptr(RbImageLayout) layout = rb_audio_layout(RB_DATA_BLOCK_TYPE_RAW_PW, 1);
	g_autoptr(GBytes) packs = rb_packs_new(4);
	g_autoptr(GBytes) image = NULL;
	g_autoptr(RbVdrive) drive = NULL;
	RbVdriveReport report;
	RbSource src;
	guint8 *bytes;

	ck_assert(rb_image_layout_set_cdtext(layout, packs, NULL));
	rb_source_init(&src, layout);
	image = rb_produce(layout, &src);
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
	g_autoptr(RbImageLayout) layout = rb_audio_layout(RB_DATA_BLOCK_TYPE_RAW_PW, 1);
	g_autoptr(GBytes) packs = rb_packs_new(5);
	g_autoptr(GBytes) image = NULL;
	g_autoptr(RbVdrive) drive = NULL;
	g_autoptr(RbImageProducer) producer = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree guint8 *buf = NULL;
	RbVdriveReport report;
	RbSource src;
	guint n = 0;
	gboolean ok = TRUE;

	ck_assert(rb_image_layout_set_cdtext(layout, packs, NULL));
	ck_assert(rb_image_layout_add_rw_generator(layout, NULL));
	rb_source_init(&src, layout);
	image = rb_produce(layout, &src);
	for (gint32 lba = 0; lba < 300; lba += 37) {
		const guint8 *pw = rb_image_test_sector(image, layout, lba) + RB_CD_MAIN_SIZE;
		guint64 pos = (guint64)(lba - RB_IMAGE_FIRST_LBA) * RB_SUBCHANNEL_PW_SIZE;
		for (guint b = 0; b < RB_SUBCHANNEL_PW_SIZE; b++)
			ck_assert_uint_eq(pw[b] & 0x3F,
					  rb_pattern(RB_IMAGE_SOURCE_RW, pos + b) & 0x3F);
	}
	drive = rb_image_test_burn(layout, image, &report);
	rb_image_test_assert_clean(&report, layout);
	ck_assert_uint_eq(report.cdtext_packs, 4 * report.leadin_sectors);
	ck_assert_uint_eq(report.cdtext_crc_errors, 0);

	/* a 1 in the lead-in of the generator's data: refused, at its LBA */
	rb_source_init(&src, layout);
	src.rw_leadin_byte = 1000 * RB_SUBCHANNEL_PW_SIZE + 7;
	producer = rb_image_producer_new(layout, rb_source_read, &src, &error);
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

/* --- the sub-channel source -------------------------------------------------------------- */

START_TEST(test_subchannel_source)
{
	g_autoptr(RbImageLayout) layout =
		_i == 0 ? rb_audio_layout(RB_DATA_BLOCK_TYPE_RAW_PW, 2)
			: rb_sheet_layout(&rb_sheet_discs[0], RB_DATA_BLOCK_TYPE_RAW_PW);
	g_autoptr(RbImageLayout) plain = NULL;
	g_autoptr(GBytes) image = NULL;
	g_autoptr(GBytes) plain_image = NULL;
	g_autoptr(RbVdrive) drive = NULL;
	RbVdriveReport report;
	RbSource src;
	gint32 leadout = 0;

	plain = rb_image_layout_copy(layout);
	ck_assert(!rb_image_layout_has_subchannel_source(layout));
	ck_assert(rb_image_layout_add_subchannel_source(layout, NULL));
	ck_assert(rb_image_layout_has_subchannel_source(layout));
	ck_assert(rb_image_layout_get_leadout_start(layout, &leadout, NULL));
	rb_source_init(&src, layout);
	image = rb_produce(layout, &src);
	ck_assert_uint_eq(src.offset[RB_IMAGE_SOURCE_SUBCHANNEL],
			  (guint64)leadout * RB_SUBCHANNEL_PW_SIZE);
	rb_source_init(&src, plain);
	plain_image = rb_produce(plain, &src);

	/* verbatim from LBA 0 to the lead-out, generated elsewhere */
	for (gint32 lba = RB_IMAGE_FIRST_LBA; lba < rb_image_layout_get_end_lba(layout); lba++) {
		const guint8 *pw = rb_image_test_sector(image, layout, lba) + RB_CD_MAIN_SIZE;
		guint8 expected[RB_SUBCHANNEL_PW_SIZE];

		if (lba >= 0 && lba < leadout)
			rb_sub_source_sector(layout, lba, expected);
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
	g_autoptr(GBytes) good = rb_packs_new(3);
	const guint8 *data = g_bytes_get_data(good, NULL);
	g_autoptr(GBytes) short_pack = g_bytes_new(data, 2 * RB_PACK - 1);
	g_autoptr(GBytes) long_pack = g_bytes_new(data, 2 * RB_PACK + 1);
	g_autofree guint8 *bad_crc = g_memdup2(data, 3 * RB_PACK);
	g_autofree guint8 *bad_type = g_memdup2(data, 3 * RB_PACK);
	g_autoptr(GBytes) bad_crc_bytes = NULL;
	g_autoptr(GBytes) bad_type_bytes = NULL;
	g_autoptr(RbImageLayout) sheet = rb_image_layout_new();
	g_autoptr(RbImageLayout) imapi = rb_audio_layout(RB_DATA_BLOCK_TYPE_RAW_PW, 1);
	g_autoptr(RbImageLayout) special = rb_image_layout_new();

	bad_crc[RB_PACK + 17] ^= 0x01;
	bad_type[2 * RB_PACK] = 0x7F;
	/* a valid CRC over the wrong type: only the type is wrong */
	{
		guint16 crc = (guint16)~rb_crc_ccitt(bad_type + 2 * RB_PACK, 16);
		bad_type[2 * RB_PACK + 16] = (guint8)(crc >> 8);
		bad_type[2 * RB_PACK + 17] = (guint8)crc;
	}
	bad_crc_bytes = g_bytes_new(bad_crc, 3 * RB_PACK);
	bad_type_bytes = g_bytes_new(bad_type, 3 * RB_PACK);

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
			g_autoptr(RbImageLayout) layout = rb_audio_layout(type, 1);
			RbSource src;

			if (what == 0)
				ck_assert(rb_image_layout_set_cdtext(layout, good, NULL));
			else
				ck_assert(rb_image_layout_add_subchannel_source(layout, NULL));
			rb_source_init(&src, layout);
			rb_assert_error(rb_image_layout_validate(layout, error),
					RB_IMAGE_ERROR_NEEDS_RAW_SUBCHANNEL);
			rb_assert_error(
				rb_image_producer_new(layout, rb_source_read, &src, error) != NULL,
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
	rb_assert_q(layout, 299, 0x01, 0x01, 299, FALSE);
	rb_assert_q(layout, 300, 0x02, 0x00, 150, TRUE);
	ck_assert(rb_image_layout_validate(layout, NULL));
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("image-sheet");
	TCase *tc_sheet = tcase_create("sheet");
	TCase *tc_cdtext = tcase_create("cdtext");
	TCase *tc_sub = tcase_create("subchannel");
	TCase *tc_rules = tcase_create("rules");

	tcase_set_timeout(tc_sheet, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_loop_test(tc_sheet, test_sheet_disc, 0, G_N_ELEMENTS(rb_sheet_discs));
	tcase_add_test(tc_sheet, test_sheet_subq);
	suite_add_tcase(suite, tc_sheet);

	tcase_set_timeout(tc_cdtext, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_loop_test(tc_cdtext, test_cdtext_leadin, 0, 2);
	tcase_add_test(tc_cdtext, test_cdtext_judge_sees_damage);
	tcase_add_test(tc_cdtext, test_cdtext_rw_generator);
	suite_add_tcase(suite, tc_cdtext);

	tcase_set_timeout(tc_sub, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_loop_test(tc_sub, test_subchannel_source, 0, 2);
	suite_add_tcase(suite, tc_sub);

	tcase_add_test(tc_rules, test_refusals);
	tcase_add_test(tc_rules, test_imapi_mode_unchanged);
	suite_add_tcase(suite, tc_rules);

	return rb_test_run_suite(suite);
}
