/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the sheet-mode and lead-in CD-TEXT tests share: the test's sources
 * (a pattern per track, its pregap included; R-W and a sub-channel source
 * built independently of the image core), the whole stream produced from
 * them, CD-TEXT packs with their CRC computed here, and Q and P of a layout.
 */
#include "config.h"

#include <string.h>

#include "rb-image-private.h"
#include "rb-image-sheet-test.h"
#include "rb-image-test.h"
#include "rb-test-service.h"

guint8
rb_sheet_test_pattern(guint source, guint64 pos)
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
rb_source_size(const RbSheetSource *src, guint source)
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
void
rb_sheet_test_sub_sector(const RbImageLayout *layout, gint32 lba, guint8 out[RB_SUBCHANNEL_PW_SIZE])
{
	guint8 q[RB_SUBQ_SIZE];
	gboolean p = FALSE;

	ck_assert(rb_image_layout_get_subq(layout, lba, q, &p));
	rb_subchannel_pw_build(q, p, out);
	for (guint k = 0; k < RB_SUBCHANNEL_PW_SIZE; k++)
		out[k] |= rb_sheet_test_pattern(RB_IMAGE_SOURCE_SUBCHANNEL, (guint64)lba * 96 + k) &
			  0x3F;
}

static guint8
rb_source_byte(RbSheetSource *src, guint source, guint64 pos)
{
	if (source == RB_IMAGE_SOURCE_RW) {
		gint64 sector = (gint64)(pos / RB_SUBCHANNEL_PW_SIZE);
		if (RB_IMAGE_FIRST_LBA + sector < -150)
			return src->rw_leadin_byte == (gint64)pos ? 1 : 0;
		return rb_sheet_test_pattern(source, pos) & 0x3F;
	}
	if (source == RB_IMAGE_SOURCE_SUBCHANNEL) {
		gint64 sector = (gint64)(pos / RB_SUBCHANNEL_PW_SIZE);
		if (sector != src->sub_sector) {
			rb_sheet_test_sub_sector(src->layout, (gint32)sector, src->sub);
			src->sub_sector = sector;
		}
		return src->sub[pos % RB_SUBCHANNEL_PW_SIZE];
	}
	return rb_sheet_test_pattern(source, pos);
}

gssize
rb_sheet_test_source_read(gpointer user_data, guint source, guint8 *buf, gsize len, GError **error)
{
	RbSheetSource *src = user_data;
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

void
rb_sheet_test_source_init(RbSheetSource *src, const RbImageLayout *layout)
{
	memset(src, 0, sizeof(*src));
	src->layout = layout;
	src->rw_leadin_byte = -1;
	src->sub_sector = -1;
}

/* the whole stream; every track's source, its pregap included, read to its end */
GBytes *
rb_sheet_test_produce(const RbImageLayout *layout, RbSheetSource *src)
{
	GBytes *image = rb_image_test_produce(layout, rb_sheet_test_source_read, src);

	for (guint i = 0; i < rb_image_layout_get_n_tracks(layout); i++)
		ck_assert_uint_eq(src->offset[i], rb_source_size(src, i));
	return image;
}

/* Q (bytes 1-5: TNO, index, relative time) and P of the layout at @lba */
void
rb_sheet_test_assert_q(
	const RbImageLayout *layout, gint32 lba, guint tno, guint index, guint rel, gboolean p)
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

/* CRC-16 0x1021 from 0, bit by bit: independent of the project's table */
guint16
rb_sheet_test_crc(const guint8 *data, gsize len)
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
GBytes *
rb_sheet_test_packs_new(guint n)
{
	guint8 *packs = g_malloc0((gsize)n * RB_SHEET_TEST_PACK);

	for (guint k = 0; k < n; k++) {
		guint8 *p = packs + k * RB_SHEET_TEST_PACK;
		guint16 crc;

		p[0] = 0x80;
		p[1] = (guint8)k;
		p[2] = (guint8)k;
		for (guint b = 4; b < 16; b++)
			p[b] = (guint8)('A' + (k * 12 + b) % 26);
		crc = (guint16)~rb_sheet_test_crc(p, 16);
		p[16] = (guint8)(crc >> 8);
		p[17] = (guint8)crc;
	}
	return g_bytes_new_take(packs, (gsize)n * RB_SHEET_TEST_PACK);
}

RbImageLayout *
rb_sheet_test_audio_layout(guint type, guint n_tracks)
{
	RbImageLayout *layout = rb_image_layout_new();

	ck_assert(rb_image_layout_set_image_type(layout, type, NULL));
	/* 2 s pauses: tracks of 300 sectors need no gapless pregap */
	ck_assert(rb_image_layout_set_disable_gapless_audio(layout, TRUE, NULL));
	for (guint i = 0; i < n_tracks; i++)
		ck_assert(rb_image_layout_add_track(layout, RB_CD_SECTOR_AUDIO, 300, NULL, NULL));
	return layout;
}
