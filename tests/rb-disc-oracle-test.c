/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Decoding a burned disc's MCN, ISRCs and lead-in CD-TEXT packs for the
 * image tests (rb-disc-oracle-test.h), independently of the image core's
 * encoders: the test compares what two writers put on a disc.
 */
#include "config.h"

#include <check.h>
#include <string.h>

#include "rb-cdtext.h"
#include "rb-disc-oracle-test.h"
#include "rb-subchannel.h"

#define RB_ORACLE_MAIN 2352
#define RB_ORACLE_SECTOR (RB_ORACLE_MAIN + 96)
#define RB_ORACLE_PACKS_PER_SECTOR 4
/* 8 blocks of 256 sequence numbers */
#define RB_ORACLE_SLOTS (8 * 256)

static const guint8 *
rb_disc_oracle_sector(GBytes *disc, gint32 first, gint32 lba)
{
	gsize len = 0;
	const guint8 *data = g_bytes_get_data(disc, &len);
	gsize at = (gsize)(lba - first) * RB_ORACLE_SECTOR;

	ck_assert_int_ge(lba, first);
	ck_assert_uint_le(at + RB_ORACLE_SECTOR, len);
	return data + at;
}

void
rb_disc_oracle_q(GBytes *disc, gint32 first, gint32 lba, guint8 q[12])
{
	const guint8 *pw = rb_disc_oracle_sector(disc, first, lba) + RB_ORACLE_MAIN;

	/* Q is bit 6 of each P-W byte, MSB first */
	memset(q, 0, 12);
	for (guint k = 0; k < 96; k++)
		q[k / 8] |= (guint8)(((pw[k] >> 6) & 1) << (7 - k % 8));
}

static guint
rb_disc_oracle_nibble(const guint8 *q, guint n)
{
	return (q[1 + n / 2] >> (n % 2 == 0 ? 4 : 0)) & 0x0F;
}

static void
rb_disc_oracle_mcn(const guint8 *q, gchar out[14])
{
	for (guint n = 0; n < 13; n++) {
		guint digit = rb_disc_oracle_nibble(q, n);

		ck_assert_uint_le(digit, 9);
		out[n] = (gchar)('0' + digit);
	}
	out[13] = '\0';
}

static void
rb_disc_oracle_isrc(const guint8 *q, gchar out[13])
{
	/* the 72 bits after CTL/ADR as one number, bit 71 first */
	guint64 bits = 0;

	for (guint i = 1; i <= 8; i++)
		bits = bits << 8 | q[i];
	/* I1-I5: 6 bits each, 0-9 as 00h-09h, A-Z as 11h-2Ah: '0' + code */
	for (guint n = 0; n < 5; n++) {
		guint code = (guint)(bits >> (58 - 6 * n)) & 0x3F;

		ck_assert(code <= 9 || (code >= 0x11 && code <= 0x2A));
		out[n] = (gchar)('0' + code);
	}
	/* two zero bits, then I6-I12 as BCD: nibbles 8-14 of bytes 1-9 */
	for (guint n = 0; n < 7; n++) {
		guint digit = rb_disc_oracle_nibble(q, 8 + n);

		ck_assert_uint_le(digit, 9);
		out[5 + n] = (gchar)('0' + digit);
	}
	out[12] = '\0';
}

void
rb_disc_oracle_codes(GBytes *disc, gint32 first, RbDiscOracleCodes *codes)
{
	gint32 end = first + (gint32)(g_bytes_get_size(disc) / RB_ORACLE_SECTOR);
	guint track = 0;

	memset(codes, 0, sizeof(*codes));
	for (gint32 lba = -150; lba < end; lba++) {
		guint8 q[12];
		gchar value[14];
		guint adr;

		rb_disc_oracle_q(disc, first, lba, q);
		/* neither writer writes a bad CRC: dropping such a frame would
		 * hide the very bug that corrupted it */
		ck_assert_msg(rb_subq_check_crc(q), "LBA %d: Q's CRC is wrong", lba);
		adr = q[0] & 0x0F;
		if (adr == RB_SUBQ_ADR_POSITION) {
			guint8 number = 0;

			/* the lead-out (AAh) ends the tracks */
			if (q[1] != 0xAA && rb_bcd_decode(q[1], &number))
				track = number;
			continue;
		}
		if (adr == RB_SUBQ_ADR_MCN) {
			rb_disc_oracle_mcn(q, value);
			ck_assert_msg(codes->n_mcn == 0 || strcmp(codes->mcn, value) == 0,
				      "LBA %d: MCN %s after %s",
				      lba,
				      value,
				      codes->mcn);
			memcpy(codes->mcn, value, sizeof(codes->mcn));
			codes->n_mcn++;
		} else if (adr == RB_SUBQ_ADR_ISRC) {
			ck_assert_uint_ge(track, 1);
			ck_assert_uint_le(track, RB_DISC_ORACLE_MAX_TRACKS);
			rb_disc_oracle_isrc(q, value);
			ck_assert_msg(codes->isrc[track][0] == '\0' ||
					      strcmp(codes->isrc[track], value) == 0,
				      "LBA %d: ISRC %s after %s in track %u",
				      lba,
				      value,
				      codes->isrc[track],
				      track);
			memcpy(codes->isrc[track], value, 13);
			codes->n_isrc++;
		}
	}
}

GBytes *
rb_disc_oracle_leadin_packs(GBytes *disc, gint32 first)
{
	g_autofree guint8 *slots = g_malloc0((gsize)RB_ORACLE_SLOTS * RB_CDTEXT_PACK_SIZE);
	g_autofree gboolean *kept = g_new0(gboolean, RB_ORACLE_SLOTS);
	GByteArray *out = g_byte_array_new();

	for (gint32 lba = first; lba < -150; lba++) {
		const guint8 *pw = rb_disc_oracle_sector(disc, first, lba) + RB_ORACLE_MAIN;

		for (guint p = 0; p < RB_ORACLE_PACKS_PER_SECTOR; p++) {
			guint8 pack[RB_CDTEXT_PACK_SIZE];
			const guint8 *sym = pw + p * 24;
			guint16 crc;
			guint slot;

			for (guint g = 0; g < 6; g++) {
				guint32 v = (guint32)(sym[4 * g] & 0x3F) << 18 |
					    (guint32)(sym[4 * g + 1] & 0x3F) << 12 |
					    (guint32)(sym[4 * g + 2] & 0x3F) << 6 |
					    (guint32)(sym[4 * g + 3] & 0x3F);

				pack[3 * g] = (guint8)(v >> 16);
				pack[3 * g + 1] = (guint8)(v >> 8);
				pack[3 * g + 2] = (guint8)v;
			}
			crc = (guint16)~rb_cd_crc16(pack, 16);
			if (pack[0] < 0x80 || pack[0] > 0x8F || pack[16] != (crc >> 8) ||
			    pack[17] != (crc & 0xFF))
				continue;
			slot = ((pack[3] >> 4) & 0x07) * 256 + pack[2];
			if (!kept[slot]) {
				memcpy(slots + (gsize)slot * RB_CDTEXT_PACK_SIZE,
				       pack,
				       RB_CDTEXT_PACK_SIZE);
				kept[slot] = TRUE;
			} else {
				ck_assert_msg(memcmp(slots + (gsize)slot * RB_CDTEXT_PACK_SIZE,
						     pack,
						     RB_CDTEXT_PACK_SIZE) == 0,
					      "LBA %d: CD-TEXT pack %u differs from its copy",
					      lba,
					      slot);
			}
		}
	}
	for (guint slot = 0; slot < RB_ORACLE_SLOTS; slot++) {
		if (kept[slot])
			g_byte_array_append(out,
					    slots + (gsize)slot * RB_CDTEXT_PACK_SIZE,
					    RB_CDTEXT_PACK_SIZE);
	}
	return g_byte_array_free_to_bytes(out);
}

gint32
rb_disc_oracle_end(GBytes *disc, gint32 first)
{
	gsize len = g_bytes_get_size(disc);

	ck_assert_uint_eq(len % RB_ORACLE_SECTOR, 0);
	return first + (gint32)(len / RB_ORACLE_SECTOR);
}

const guint8 *
rb_disc_oracle_main(GBytes *disc, gint32 first, gint32 lba)
{
	return rb_disc_oracle_sector(disc, first, lba);
}

/* whether @q (sector @lba of @side) is an MCN or ISRC frame; it must have
 * a good CRC and be one of those or a position frame */
static gboolean
rb_disc_oracle_is_code(const guint8 q[12], gint32 lba, const gchar *side)
{
	guint adr = q[0] & 0x0F;

	ck_assert_msg(rb_subq_check_crc(q), "LBA %d: %s Q's CRC is wrong", lba, side);
	ck_assert_msg(adr == RB_SUBQ_ADR_POSITION || adr == RB_SUBQ_ADR_MCN ||
			      adr == RB_SUBQ_ADR_ISRC,
		      "LBA %d: %s Q has ADR %u",
		      lba,
		      side,
		      adr);
	return adr != RB_SUBQ_ADR_POSITION;
}

RbDiscOracleQ
rb_disc_oracle_compare_q(GBytes *ours,
			 gint32 our_first,
			 GBytes *theirs,
			 gint32 their_first,
			 gint32 lba,
			 gint32 leadout,
			 RbDiscOracleCodeFrames *codes,
			 guint8 ours_q[12],
			 guint8 theirs_q[12])
{
	gboolean our_code;
	gboolean their_code;

	rb_disc_oracle_q(ours, our_first, lba, ours_q);
	rb_disc_oracle_q(theirs, their_first, lba, theirs_q);
	our_code = rb_disc_oracle_is_code(ours_q, lba, "our");
	their_code = rb_disc_oracle_is_code(theirs_q, lba, "cdrdao's");
	codes->ours += our_code ? 1 : 0;
	codes->theirs += their_code ? 1 : 0;
	if (our_code || their_code)
		return RB_DISC_ORACLE_Q_CODE;
	if (lba >= leadout && ours_q[0] != theirs_q[0] &&
	    (ours_q[0] & 0x4F) == (theirs_q[0] & 0x4F)) {
		ours_q[0] &= 0x4F;
		rb_subq_set_crc(ours_q);
	}
	return memcmp(ours_q, theirs_q, RB_SUBQ_SIZE) == 0 ? RB_DISC_ORACLE_Q_EQUAL
							   : RB_DISC_ORACLE_Q_DIFFER;
}

void
rb_disc_oracle_assert_code_frames(const RbDiscOracleCodeFrames *codes,
				  guint n_frames,
				  const gchar *what)
{
	/* each writer: at most one MCN and one ISRC frame per 90 (the header
	 * says where), and a period cut at either end of the range counts
	 * whole, as may a frame moved on into the next period: 2.2 % */
	guint most = RB_DISC_ORACLE_CODES_PER_PERIOD * (n_frames / RB_DISC_ORACLE_CODE_PERIOD + 2);

	ck_assert_msg(codes->ours <= most && codes->theirs <= most,
		      "%s: of %u frames, %u of ours and %u of cdrdao's are MCN/ISRC "
		      "frames, not compared; at most %u may be",
		      what,
		      n_frames,
		      codes->ours,
		      codes->theirs,
		      most);
}

void
rb_disc_oracle_assert_codes(GBytes *ours,
			    gint32 our_first,
			    GBytes *theirs,
			    gint32 their_first,
			    const gchar *mcn,
			    const gchar *const *isrc,
			    const gchar *what)
{
	RbDiscOracleCodes a;
	RbDiscOracleCodes b;

	rb_disc_oracle_codes(ours, our_first, &a);
	rb_disc_oracle_codes(theirs, their_first, &b);
	g_print("%s: MCN frames: ours %u, cdrdao's %u; ISRC frames: ours %u, cdrdao's %u\n",
		what,
		a.n_mcn,
		b.n_mcn,
		a.n_isrc,
		b.n_isrc);
	ck_assert_str_eq(a.mcn, mcn);
	ck_assert_str_eq(b.mcn, mcn);
	ck_assert_uint_eq(a.n_mcn > 0, mcn[0] != '\0');
	ck_assert_uint_eq(b.n_mcn > 0, mcn[0] != '\0');
	for (guint t = 1; t <= RB_DISC_ORACLE_MAX_TRACKS; t++) {
		const gchar *want = isrc[t] != NULL ? isrc[t] : "";

		ck_assert_msg(strcmp(a.isrc[t], want) == 0 && strcmp(b.isrc[t], want) == 0,
			      "%s: track %u ISRC ours “%s”, cdrdao's “%s”, expected “%s”",
			      what,
			      t,
			      a.isrc[t],
			      b.isrc[t],
			      want);
	}
}

RbCdText *
rb_disc_oracle_decode_text(GBytes *packs)
{
	g_autoptr(GError) error = NULL;
	RbCdText *text =
		rb_cdtext_decode(g_bytes_get_data(packs, NULL), g_bytes_get_size(packs), &error);

	ck_assert_msg(text != NULL, "%s", error != NULL ? error->message : "");
	return text;
}
