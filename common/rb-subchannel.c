/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Q sub-channel encoding and the P-W / P-Q layouts of raw-mode sectors
 * (mmc-notes §8). Pure computation: no allocation, no I/O, so the daemon can
 * call it for every sector it streams.
 */
#include "config.h"

#include <string.h>

#include "rb-subchannel.h"

/* in the 96-byte layout, Q is bit 6 and P bit 7 of every symbol */
#define RB_PW_BIT_P 0x80
#define RB_PW_BIT_Q 0x40
/* in the 16-byte layout, P is bit 7 of the last byte */
#define RB_PQ_P_OFFSET 15
#define RB_PQ_BIT_P 0x80

G_STATIC_ASSERT(RB_SUBCHANNEL_PW_SIZE == RB_SUBQ_SIZE * 8);

GQuark
rb_subchannel_error_quark(void)
{
	return g_quark_from_static_string("rb-subchannel-error-quark");
}

gboolean
rb_bcd_is_valid(guint8 bcd)
{
	return (bcd >> 4) <= 9 && (bcd & 0x0F) <= 9;
}

gboolean
rb_bcd_encode(guint value, guint8 *bcd)
{
	g_return_val_if_fail(bcd != NULL, FALSE);
	if (value > 99)
		return FALSE;
	*bcd = (guint8)(((value / 10) << 4) | (value % 10));
	return TRUE;
}

gboolean
rb_bcd_decode(guint8 bcd, guint8 *value)
{
	g_return_val_if_fail(value != NULL, FALSE);
	if (!rb_bcd_is_valid(bcd))
		return FALSE;
	*value = (guint8)((bcd >> 4) * 10 + (bcd & 0x0F));
	return TRUE;
}

/*
 * Half a byte per step, from the remainders of each 4-bit value n << 12 by
 * the polynomial x^16 + x^12 + x^5 + 1 (0x1021): 32 bytes of table, one
 * cache line, where the bit-by-bit loop took eight branches a byte. Every
 * sector's Q goes through here twice during a burn (the preflight check
 * and the virtual drive's judge).
 */
static const guint16 rb_cd_crc16_remainders[16] = {0x0000,
						   0x1021,
						   0x2042,
						   0x3063,
						   0x4084,
						   0x50a5,
						   0x60c6,
						   0x70e7,
						   0x8108,
						   0x9129,
						   0xa14a,
						   0xb16b,
						   0xc18c,
						   0xd1ad,
						   0xe1ce,
						   0xf1ef};

guint16
rb_cd_crc16(const guint8 *data, gsize len)
{
	guint16 crc = 0;

	g_return_val_if_fail(data != NULL || len == 0, 0);
	for (gsize i = 0; i < len; i++) {
		crc = (guint16)((crc << 4) ^ rb_cd_crc16_remainders[(crc >> 12) ^ (data[i] >> 4)]);
		crc = (guint16)((crc << 4) ^
				rb_cd_crc16_remainders[(crc >> 12) ^ (data[i] & 0x0F)]);
	}
	return crc;
}

/* the value as the disc carries it: inverted ("Red Book" CRC) */
guint16
rb_subq_compute_crc(const guint8 q[RB_SUBQ_SIZE])
{
	return (guint16)~rb_cd_crc16(q, RB_SUBQ_DATA_SIZE);
}

void
rb_subq_set_crc(guint8 q[RB_SUBQ_SIZE])
{
	guint16 crc = rb_subq_compute_crc(q);

	q[10] = (guint8)(crc >> 8);
	q[11] = (guint8)(crc & 0xFF);
}

static guint16
rb_subq_get_stored_crc(const guint8 q[RB_SUBQ_SIZE])
{
	return (guint16)((q[10] << 8) | q[11]);
}

gboolean
rb_subq_check_crc(const guint8 q[RB_SUBQ_SIZE])
{
	return rb_subq_get_stored_crc(q) == rb_subq_compute_crc(q);
}

/*
 * Some writers send the plain CRC in the 16-byte mode, relying on the drive
 * to regenerate it (mmc-notes "10. Measured"); an emulated drive must accept
 * that form there too.
 */
gboolean
rb_subq_check_crc_uninverted(const guint8 q[RB_SUBQ_SIZE])
{
	return rb_subq_get_stored_crc(q) == rb_cd_crc16(q, RB_SUBQ_DATA_SIZE);
}

/*
 * Whether a drive writing @data_block_type takes @q's CRC as good. The
 * on-disc CRC is inverted (§8.4). In the 16-byte P-Q mode cdrdao and libburn
 * send it plain and wodim inverted, and drives regenerate it there
 * (mmc-notes "10. Measured"), so both forms pass; in the 96-byte modes it
 * goes to disc as sent. One CRC computation: the stream preflight calls this
 * for every sector.
 */
gboolean
rb_subq_check_crc_for_block_type(const guint8 q[RB_SUBQ_SIZE], guint data_block_type)
{
	guint16 plain = rb_cd_crc16(q, RB_SUBQ_DATA_SIZE);
	guint16 inverted = (guint16)~plain;
	guint16 stored = rb_subq_get_stored_crc(q);

	if (stored == inverted)
		return TRUE;
	return data_block_type == RB_DATA_BLOCK_TYPE_RAW_PQ && stored == plain;
}

static gboolean
rb_subq_encode_msf(RbMsf msf, guint8 *out, const gchar *what, GError **error)
{
	if (!rb_bcd_encode(msf.minute, &out[0]) || !rb_bcd_encode(msf.second, &out[1]) ||
	    !rb_bcd_encode(msf.frame, &out[2])) {
		g_set_error(error,
			    RB_SUBCHANNEL_ERROR,
			    RB_SUBCHANNEL_ERROR_OUT_OF_RANGE,
			    "%s time %u:%u:%u does not fit BCD",
			    what,
			    msf.minute,
			    msf.second,
			    msf.frame);
		return FALSE;
	}
	return TRUE;
}

static gboolean
rb_subq_decode_msf(const guint8 *in, RbMsf *msf, const gchar *what, GError **error)
{
	if (!rb_bcd_decode(in[0], &msf->minute) || !rb_bcd_decode(in[1], &msf->second) ||
	    !rb_bcd_decode(in[2], &msf->frame)) {
		g_set_error(error,
			    RB_SUBCHANNEL_ERROR,
			    RB_SUBCHANNEL_ERROR_INVALID_BCD,
			    "%s time %02X:%02X:%02X is not BCD",
			    what,
			    in[0],
			    in[1],
			    in[2]);
		return FALSE;
	}
	return TRUE;
}

/*
 * Only the lead-in's POINT field carries non-BCD codes (A0h and up); an
 * INDEX never does.
 */
static gboolean
rb_subq_is_point_code(guint8 tno, guint8 value)
{
	return tno == RB_SUBQ_TNO_LEADIN && value >= RB_SUBQ_POINT_FIRST_TRACK;
}

gboolean
rb_subq_encode(const RbSubQ *subq, guint8 q[RB_SUBQ_SIZE], GError **error)
{
	guint8 out[RB_SUBQ_SIZE] = {0};

	g_return_val_if_fail(subq != NULL, FALSE);
	g_return_val_if_fail(q != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (subq->ctl > 0x0F || subq->adr > 0x0F) {
		g_set_error(error,
			    RB_SUBCHANNEL_ERROR,
			    RB_SUBCHANNEL_ERROR_OUT_OF_RANGE,
			    "CTL %u or ADR %u does not fit 4 bits",
			    subq->ctl,
			    subq->adr);
		return FALSE;
	}
	out[0] = (guint8)((subq->ctl << 4) | subq->adr);

	if (subq->tno == RB_SUBQ_TNO_LEADOUT) {
		out[1] = subq->tno;
	} else if (!rb_bcd_encode(subq->tno, &out[1])) {
		g_set_error(error,
			    RB_SUBCHANNEL_ERROR,
			    RB_SUBCHANNEL_ERROR_OUT_OF_RANGE,
			    "TNO %u is neither 0..99 nor AAh",
			    subq->tno);
		return FALSE;
	}

	if (rb_subq_is_point_code(subq->tno, subq->index_or_point)) {
		out[2] = subq->index_or_point;
	} else if (!rb_bcd_encode(subq->index_or_point, &out[2])) {
		g_set_error(error,
			    RB_SUBCHANNEL_ERROR,
			    RB_SUBCHANNEL_ERROR_OUT_OF_RANGE,
			    "INDEX/POINT %u does not fit TNO %u",
			    subq->index_or_point,
			    subq->tno);
		return FALSE;
	}

	if (!rb_subq_encode_msf(subq->relative, &out[3], "relative", error))
		return FALSE;
	/* out[6] is ZERO */
	if (!rb_subq_encode_msf(subq->absolute, &out[7], "absolute", error))
		return FALSE;

	rb_subq_set_crc(out);
	memcpy(q, out, RB_SUBQ_SIZE);
	return TRUE;
}

gboolean
rb_subq_decode(const guint8 q[RB_SUBQ_SIZE], RbSubQ *subq, GError **error)
{
	RbSubQ out = {0};

	g_return_val_if_fail(q != NULL, FALSE);
	g_return_val_if_fail(subq != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	out.ctl = q[0] >> 4;
	out.adr = q[0] & 0x0F;
	/* MCN (2) and ISRC (3) frames pack their bytes differently */
	if (out.adr != RB_SUBQ_ADR_POSITION) {
		g_set_error(error,
			    RB_SUBCHANNEL_ERROR,
			    RB_SUBCHANNEL_ERROR_UNSUPPORTED_ADR,
			    "Q with ADR %u is not position data",
			    out.adr);
		return FALSE;
	}

	if (q[1] == RB_SUBQ_TNO_LEADOUT) {
		out.tno = q[1];
	} else if (!rb_bcd_decode(q[1], &out.tno)) {
		g_set_error(error,
			    RB_SUBCHANNEL_ERROR,
			    RB_SUBCHANNEL_ERROR_INVALID_BCD,
			    "TNO %02X is neither BCD nor AAh",
			    q[1]);
		return FALSE;
	}

	if (rb_subq_is_point_code(out.tno, q[2])) {
		out.index_or_point = q[2];
	} else if (!rb_bcd_decode(q[2], &out.index_or_point)) {
		g_set_error(error,
			    RB_SUBCHANNEL_ERROR,
			    RB_SUBCHANNEL_ERROR_INVALID_BCD,
			    "INDEX/POINT %02X is not BCD for TNO %02X",
			    q[2],
			    q[1]);
		return FALSE;
	}

	if (!rb_subq_decode_msf(&q[3], &out.relative, "relative", error))
		return FALSE;
	if (!rb_subq_decode_msf(&q[7], &out.absolute, "absolute", error))
		return FALSE;

	*subq = out;
	return TRUE;
}

gsize
rb_data_block_type_get_subchannel_size(guint data_block_type)
{
	switch (data_block_type) {
	case RB_DATA_BLOCK_TYPE_RAW_PQ:
		return RB_SUBCHANNEL_PQ_SIZE;
	case RB_DATA_BLOCK_TYPE_RAW_PW_PACKED:
	case RB_DATA_BLOCK_TYPE_RAW_PW:
		return RB_SUBCHANNEL_PW_SIZE;
	default:
		return 0;
	}
}

gsize
rb_data_block_type_get_sector_size(guint data_block_type)
{
	gsize subchannel_size = rb_data_block_type_get_subchannel_size(data_block_type);

	if (subchannel_size == 0)
		return 0;
	return RB_CD_MAIN_SIZE + subchannel_size;
}

void
rb_subchannel_pw_get_q(const guint8 pw[RB_SUBCHANNEL_PW_SIZE], guint8 q[RB_SUBQ_SIZE])
{
	/* eight symbols at once: their Q bits moved to bit 0 of each byte, then
	 * one multiplication gathers them into the top byte, the first symbol
	 * as the most significant bit (each symbol's bit lands at 63 - k and no
	 * two partial products overlap, so nothing carries) */
	for (guint n = 0; n < RB_SUBQ_SIZE; n++) {
		guint64 symbols;

		memcpy(&symbols, pw + 8 * n, sizeof(symbols));
		symbols = (GUINT64_FROM_LE(symbols) >> 6) & G_GUINT64_CONSTANT(0x0101010101010101);
		q[n] = (guint8)((symbols * G_GUINT64_CONSTANT(0x8040201008040201)) >> 56);
	}
}

/*
 * P is one flag spread over all 96 symbols; a majority vote reads it even from
 * a dump where a few bits flipped.
 */
gboolean
rb_subchannel_pw_get_p(const guint8 pw[RB_SUBCHANNEL_PW_SIZE])
{
	guint set = 0;

	for (guint k = 0; k < RB_SUBCHANNEL_PW_SIZE; k++) {
		if (pw[k] & RB_PW_BIT_P)
			set++;
	}
	return set > RB_SUBCHANNEL_PW_SIZE / 2;
}

void
rb_subchannel_pw_build(const guint8 q[RB_SUBQ_SIZE], gboolean p, guint8 pw[RB_SUBCHANNEL_PW_SIZE])
{
	guint8 p_bit = p ? RB_PW_BIT_P : 0;

	for (guint n = 0; n < RB_SUBQ_SIZE; n++) {
		for (guint i = 0; i < 8; i++) {
			guint8 q_bit = ((q[n] >> (7 - i)) & 1) ? RB_PW_BIT_Q : 0;
			pw[8 * n + i] = p_bit | q_bit;
		}
	}
}

void
rb_subchannel_pq_get_q(const guint8 pq[RB_SUBCHANNEL_PQ_SIZE], guint8 q[RB_SUBQ_SIZE])
{
	memcpy(q, pq, RB_SUBQ_SIZE);
}

gboolean
rb_subchannel_pq_get_p(const guint8 pq[RB_SUBCHANNEL_PQ_SIZE])
{
	return (pq[RB_PQ_P_OFFSET] & RB_PQ_BIT_P) != 0;
}

void
rb_subchannel_pq_build(const guint8 q[RB_SUBQ_SIZE], gboolean p, guint8 pq[RB_SUBCHANNEL_PQ_SIZE])
{
	memcpy(pq, q, RB_SUBQ_SIZE);
	memset(pq + RB_SUBQ_SIZE, 0, RB_SUBCHANNEL_PQ_SIZE - RB_SUBQ_SIZE);
	if (p)
		pq[RB_PQ_P_OFFSET] = RB_PQ_BIT_P;
}

static gboolean
rb_subchannel_check_block_type(guint data_block_type, GError **error)
{
	if (rb_data_block_type_get_subchannel_size(data_block_type) == 0) {
		g_set_error(error,
			    RB_SUBCHANNEL_ERROR,
			    RB_SUBCHANNEL_ERROR_UNSUPPORTED_BLOCK_TYPE,
			    "data block type %u is not a raw type with sub-channel",
			    data_block_type);
		return FALSE;
	}
	return TRUE;
}

gboolean
rb_subchannel_get_q(guint data_block_type,
		    const guint8 *subchannel,
		    guint8 q[RB_SUBQ_SIZE],
		    gboolean *p,
		    GError **error)
{
	g_return_val_if_fail(subchannel != NULL, FALSE);
	g_return_val_if_fail(q != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (!rb_subchannel_check_block_type(data_block_type, error))
		return FALSE;
	if (data_block_type == RB_DATA_BLOCK_TYPE_RAW_PQ) {
		rb_subchannel_pq_get_q(subchannel, q);
		if (p != NULL)
			*p = rb_subchannel_pq_get_p(subchannel);
	} else {
		rb_subchannel_pw_get_q(subchannel, q);
		if (p != NULL)
			*p = rb_subchannel_pw_get_p(subchannel);
	}
	return TRUE;
}

/* R-W are left zero: this module writes no CD-TEXT or graphics */
gboolean
rb_subchannel_build(guint data_block_type,
		    const guint8 q[RB_SUBQ_SIZE],
		    gboolean p,
		    guint8 *subchannel,
		    GError **error)
{
	g_return_val_if_fail(q != NULL, FALSE);
	g_return_val_if_fail(subchannel != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (!rb_subchannel_check_block_type(data_block_type, error))
		return FALSE;
	if (data_block_type == RB_DATA_BLOCK_TYPE_RAW_PQ)
		rb_subchannel_pq_build(q, p, subchannel);
	else
		rb_subchannel_pw_build(q, p, subchannel);
	return TRUE;
}
