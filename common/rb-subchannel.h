/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CD sub-channel formats: the Q channel (BCD fields and its inverted CRC-16),
 * the 96-byte P-W and 16-byte P-Q layouts a raw-mode WRITE carries after the
 * 2352-byte main channel, and the sector size of each data block type.
 */
#pragma once

#include <glib.h>

#include "rb-msf.h"

G_BEGIN_DECLS

/* bytes of main channel (audio samples or a whole raw data sector) per sector */
#define RB_CD_MAIN_SIZE 2352
/* Q: 10 data bytes and the CRC */
#define RB_SUBQ_SIZE 12
#define RB_SUBQ_DATA_SIZE 10
/* the sub-channel appended to the main channel in raw mode */
#define RB_SUBCHANNEL_PQ_SIZE 16
#define RB_SUBCHANNEL_PW_SIZE 96

/* TNO of the lead-out; TNO 00 is the lead-in */
#define RB_SUBQ_TNO_LEADIN 0x00
#define RB_SUBQ_TNO_LEADOUT 0xAA
/* lead-in POINT codes: first track and disc type, last track, lead-out start */
#define RB_SUBQ_POINT_FIRST_TRACK 0xA0
#define RB_SUBQ_POINT_LAST_TRACK 0xA1
#define RB_SUBQ_POINT_LEADOUT 0xA2
/* Q mode 1: position (program area, lead-out) or the TOC (lead-in) */
#define RB_SUBQ_ADR_POSITION 1
/* Q modes 2 and 3, after the lead-in: the disc's MCN and a track's ISRC */
#define RB_SUBQ_ADR_MCN 2
#define RB_SUBQ_ADR_ISRC 3
/* Q mode 5, inside the lead-in: the multi-session pointers */
#define RB_SUBQ_ADR_MULTISESSION 5
/* every lead-in TOC entry is sent in at least 3 consecutive frames (§8.4) */
#define RB_SUBQ_TOC_RUN 3
/* track numbers (TNO, POINT) run from 01 to 99 */
#define RB_SUBQ_MAX_TRACK 99

#define RB_SUBCHANNEL_ERROR (rb_subchannel_error_quark())

typedef enum {
	/* a Q byte holds a value that is neither BCD nor an allowed code */
	RB_SUBCHANNEL_ERROR_INVALID_BCD,
	/* a value does not fit its field */
	RB_SUBCHANNEL_ERROR_OUT_OF_RANGE,
	/* a Q mode (ADR) this module does not decode */
	RB_SUBCHANNEL_ERROR_UNSUPPORTED_ADR,
	/* a data block type other than 1, 2 or 3 */
	RB_SUBCHANNEL_ERROR_UNSUPPORTED_BLOCK_TYPE,
} RbSubchannelError;

/* MODE SELECT page 05h data block types of raw writing (mmc-notes §8) */
typedef enum {
	RB_DATA_BLOCK_TYPE_RAW_PQ = 1,        /* 2352 + 16-byte P-Q */
	RB_DATA_BLOCK_TYPE_RAW_PW_PACKED = 2, /* 2352 + 96-byte P-W, R-W in packs */
	RB_DATA_BLOCK_TYPE_RAW_PW = 3,        /* 2352 + 96-byte P-W, R-W raw */
} RbDataBlockType;

/*
 * A decoded Q frame of mode 1 (ADR 1). All numbers are binary; the BCD
 * conversion happens in rb_subq_encode() and rb_subq_decode().
 * @tno is 0 (lead-in), 1..99 or RB_SUBQ_TNO_LEADOUT.
 * @index_or_point is the index 0..99, or in the lead-in the POINT: a track
 *   number 1..99 or a code from A0h up, kept as is (A0h is not BCD).
 * @relative is the time in the track (counting down in a pregap), or the
 *   running time in the lead-in.
 * @absolute is the absolute time, or in the lead-in PMIN:PSEC:PFRAME.
 * The ZERO byte is written as 0 and ignored when decoding.
 */
typedef struct {
	guint8 ctl;
	guint8 adr;
	guint8 tno;
	guint8 index_or_point;
	RbMsf relative;
	RbMsf absolute;
} RbSubQ;

GQuark rb_subchannel_error_quark(void);

gboolean rb_bcd_is_valid(guint8 bcd);
gboolean rb_bcd_encode(guint value, guint8 *bcd);
gboolean rb_bcd_decode(guint8 bcd, guint8 *value);

guint16 rb_cd_crc16(const guint8 *data, gsize len);
guint16 rb_subq_compute_crc(const guint8 q[RB_SUBQ_SIZE]);
void rb_subq_set_crc(guint8 q[RB_SUBQ_SIZE]);
gboolean rb_subq_check_crc(const guint8 q[RB_SUBQ_SIZE]);
gboolean rb_subq_check_crc_uninverted(const guint8 q[RB_SUBQ_SIZE]);
gboolean rb_subq_check_crc_for_block_type(const guint8 q[RB_SUBQ_SIZE], guint data_block_type);

gboolean rb_subq_encode(const RbSubQ *subq, guint8 q[RB_SUBQ_SIZE], GError **error);
gboolean rb_subq_decode(const guint8 q[RB_SUBQ_SIZE], RbSubQ *subq, GError **error);

gsize rb_data_block_type_get_subchannel_size(guint data_block_type);
gsize rb_data_block_type_get_sector_size(guint data_block_type);

void rb_subchannel_pw_get_q(const guint8 pw[RB_SUBCHANNEL_PW_SIZE], guint8 q[RB_SUBQ_SIZE]);
gboolean rb_subchannel_pw_get_p(const guint8 pw[RB_SUBCHANNEL_PW_SIZE]);
void
rb_subchannel_pw_build(const guint8 q[RB_SUBQ_SIZE], gboolean p, guint8 pw[RB_SUBCHANNEL_PW_SIZE]);

void rb_subchannel_pq_get_q(const guint8 pq[RB_SUBCHANNEL_PQ_SIZE], guint8 q[RB_SUBQ_SIZE]);
gboolean rb_subchannel_pq_get_p(const guint8 pq[RB_SUBCHANNEL_PQ_SIZE]);
void
rb_subchannel_pq_build(const guint8 q[RB_SUBQ_SIZE], gboolean p, guint8 pq[RB_SUBCHANNEL_PQ_SIZE]);

gboolean rb_subchannel_get_q(guint data_block_type,
			     const guint8 *subchannel,
			     guint8 q[RB_SUBQ_SIZE],
			     gboolean *p,
			     GError **error);
gboolean rb_subchannel_build(guint data_block_type,
			     const guint8 q[RB_SUBQ_SIZE],
			     gboolean p,
			     guint8 *subchannel,
			     GError **error);

G_END_DECLS
