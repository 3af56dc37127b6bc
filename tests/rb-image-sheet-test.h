/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the sheet-mode and lead-in CD-TEXT tests share (rb-image-sheet-test.c).
 */
#pragma once

#include "rb-image.h"

G_BEGIN_DECLS

/* a CD-TEXT pack's bytes */
#define RB_SHEET_TEST_PACK 18

/* the test's sources for rb_image_producer_new() */
typedef struct {
	const RbImageLayout *layout;
	guint64 offset[RB_IMAGE_SOURCE_SUBCHANNEL + 1];
	/* the R-W generator puts a 1 in the lead-in at this stream sector, or -1 */
	gint64 rw_leadin_byte;
	/* the sub-channel source: the sector last built */
	gint64 sub_sector;
	guint8 sub[RB_SUBCHANNEL_PW_SIZE];
} RbSheetSource;

/* the byte at @pos of source @source's pattern */
guint8 rb_sheet_test_pattern(guint source, guint64 pos);
/* what the sub-channel source gives for the program-area sector at @lba */
void rb_sheet_test_sub_sector(const RbImageLayout *layout,
			      gint32 lba,
			      guint8 out[RB_SUBCHANNEL_PW_SIZE]);
/* an RbImageReadFunc over an RbSheetSource */
gssize
rb_sheet_test_source_read(gpointer user_data, guint source, guint8 *buf, gsize len, GError **error);
void rb_sheet_test_source_init(RbSheetSource *src, const RbImageLayout *layout);
/* the whole stream; every track's source read to its end */
GBytes *rb_sheet_test_produce(const RbImageLayout *layout, RbSheetSource *src);
/* Q's TNO, index and relative time (@rel frames) and P of @layout at @lba */
void rb_sheet_test_assert_q(
	const RbImageLayout *layout, gint32 lba, guint tno, guint index, guint rel, gboolean p);
/* CRC-16 0x1021 from 0, bit by bit: independent of the project's table */
guint16 rb_sheet_test_crc(const guint8 *data, gsize len);
/* @n title packs of block 0, sequence numbers 0.., CRCs set */
GBytes *rb_sheet_test_packs_new(guint n);
/* @n_tracks audio tracks of 300 sectors with 2 s pauses, image @type */
RbImageLayout *rb_sheet_test_audio_layout(guint type, guint n_tracks);

G_END_DECLS
