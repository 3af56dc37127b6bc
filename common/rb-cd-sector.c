/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ECMA-130 data sectors from a track's data, by IMAPI_CD_SECTOR_TYPE:
 * sync, header, Mode 2 sub-header, EDC (clause 14.3) and the Reed-Solomon
 * product code (RSPC, Annex A) that a raw writer must compute itself, since
 * in raw mode the drive records the 2352 bytes it is sent. The image
 * producer encodes every data sector of a disc through here, so EDC and
 * ECC are table-driven; the tables are built once, on first use.
 */
#include "config.h"

#include <string.h>

#include "rb-cd-sector.h"
#include "rb-msf.h"
#include "rb-scramble.h"

/* ECMA-130 clause 14 (Mode 2 forms: CD-ROM XA): where the fields of a
 * 2352-byte sector lie */
#define RB_CD_HEADER_OFFSET 12
#define RB_CD_HEADER_SIZE 4
#define RB_CD_DATA_OFFSET 16
#define RB_CD_MODE1_USER_SIZE 2048
#define RB_CD_MODE1_EDC_OFFSET 2064
#define RB_CD_MODE1_ZERO_OFFSET 2068
#define RB_CD_MODE1_ZERO_SIZE 8
#define RB_CD_SUBHEADER_SIZE 8
#define RB_CD_FORM1_USER_OFFSET (RB_CD_DATA_OFFSET + RB_CD_SUBHEADER_SIZE)
#define RB_CD_FORM1_EDC_OFFSET 2072
#define RB_CD_FORM2_EDC_OFFSET 2348
/* Mode 0 and Mode 2 carry 2336 bytes after the header */
#define RB_CD_MODE2_SIZE (RB_CD_MAIN_SIZE - RB_CD_DATA_OFFSET)
#define RB_CD_EDC_SIZE 4

/* CD-ROM XA sub-header: file, channel, submode, coding information, then
 * the same four bytes again; submode bit 5 says Form 2 */
#define RB_CD_SUBMODE_OFFSET 2
#define RB_CD_SUBMODE_FORM2 0x20

/*
 * ECMA-130 Annex A: bytes 12-2351 are 1170 16-bit words, word n being bytes
 * 12 + 2n (least significant) and 13 + 2n (most significant). The two bytes
 * of a word lie in two independent codes ("planes") that are encoded alike.
 * Words 0-1031 (bytes 12-2075) are the data the parity protects; P parity
 * is words 1032-1117 (bytes 2076-2247), Q parity words 1118-1169 (bytes
 * 2248-2351).
 */
#define RB_CD_ECC_OFFSET RB_CD_HEADER_OFFSET
/* P: 43 (26,24) codes, one per column Np; rows Mp 0-23 data, 24-25 parity */
#define RB_CD_P_COLUMNS 43
#define RB_CD_P_ROWS 24
/* Q: 26 (45,43) codes, one per diagonal Nq; Mq 0-42 data, 43-44 parity */
#define RB_CD_Q_DIAGONALS 26
#define RB_CD_Q_LENGTH 43
/* the words P protects (1032), and those Q protects: data and P (1118) */
#define RB_CD_P_WORDS (RB_CD_P_COLUMNS * RB_CD_P_ROWS)
#define RB_CD_Q_WORDS (RB_CD_P_WORDS + 2 * RB_CD_P_COLUMNS)
#define RB_CD_P_PARITY_OFFSET (RB_CD_ECC_OFFSET + 2 * RB_CD_P_WORDS)
#define RB_CD_Q_PARITY_OFFSET (RB_CD_ECC_OFFSET + 2 * RB_CD_Q_WORDS)

G_STATIC_ASSERT(RB_CD_P_PARITY_OFFSET == 2076);
G_STATIC_ASSERT(RB_CD_Q_PARITY_OFFSET == 2248);
G_STATIC_ASSERT(RB_CD_Q_PARITY_OFFSET + 4 * RB_CD_Q_DIAGONALS == RB_CD_MAIN_SIZE);

/*
 * The highest power of alpha a data symbol carries: a code of n symbols
 * weighs symbol i with alpha^(n-1-i), so Q's first symbol has alpha^44.
 */
#define RB_CD_ECC_WEIGHTS (RB_CD_Q_LENGTH + 2)

/*
 * EDC (ECMA-130 14.3): a CRC-32 with the polynomial
 * x^32 + x^31 + x^16 + x^15 + x^4 + x^3 + x + 1 (0x8001801B), register
 * preset to zero and no final inversion, the bytes fed least significant
 * bit first; so the table-driven form works with the bit-reversed
 * polynomial and shifts right. Stored least significant byte first.
 */
#define RB_CD_EDC_POLY_REFLECTED 0xD8018001u

typedef struct {
	/* slice-by-4: edc[k][b] is byte b's effect k bytes further on */
	guint32 edc[4][256];
	/*
	 * parity[k][b], for a data symbol b of weight alpha^k: its share of the
	 * two parity symbols, the first (weight alpha^1) in the low byte and
	 * the last (weight alpha^0) in the high byte: one lookup per data
	 * byte gives both.
	 */
	guint16 parity[RB_CD_ECC_WEIGHTS][256];
} RbCdSectorTables;

static RbCdSectorTables rb_cd_sector_tables;

/* GF(2^8) with the field polynomial x^8 + x^4 + x^3 + x^2 + 1 (ECMA-130
 * Annex A), alpha = x */
#define RB_GF_POLY 0x11D

static guint8 rb_gf_exp[512];
static guint8 rb_gf_log[256];

static guint8
rb_gf_mul(guint8 a, guint8 b)
{
	if (a == 0 || b == 0)
		return 0;
	return rb_gf_exp[rb_gf_log[a] + rb_gf_log[b]];
}

static guint8
rb_gf_div(guint8 a, guint8 b)
{
	if (a == 0)
		return 0;
	return rb_gf_exp[rb_gf_log[a] + 255 - rb_gf_log[b]];
}

static void
rb_cd_sector_build_tables(RbCdSectorTables *tables)
{
	guint x = 1;

	for (guint b = 0; b < 256; b++) {
		guint32 crc = b;

		for (guint bit = 0; bit < 8; bit++)
			crc = (crc >> 1) ^ ((crc & 1) ? RB_CD_EDC_POLY_REFLECTED : 0);
		tables->edc[0][b] = crc;
	}
	for (guint b = 0; b < 256; b++) {
		for (guint k = 1; k < 4; k++) {
			guint32 prev = tables->edc[k - 1][b];

			tables->edc[k][b] = (prev >> 8) ^ tables->edc[0][prev & 0xFF];
		}
	}

	for (guint i = 0; i < 255; i++) {
		rb_gf_exp[i] = (guint8)x;
		rb_gf_exp[i + 255] = (guint8)x;
		rb_gf_log[x] = (guint8)i;
		x <<= 1;
		if (x & 0x100)
			x ^= RB_GF_POLY;
	}

	/*
	 * A code word v_0 … v_(n-1) of P or Q satisfies (ECMA-130 Annex A,
	 * the check matrices H_P and H_Q)
	 *   sum v_i = 0   and   sum alpha^(n-1-i) v_i = 0,
	 * the parity symbols being v_(n-2) (weight alpha) and v_(n-1) (weight
	 * 1). With S0 = sum d_i and S1 = sum alpha^k_i d_i over the data:
	 *   v_(n-2) = (S0 + S1) / (1 + alpha),   v_(n-1) = S0 + v_(n-2).
	 * Both are linear, so each data symbol's share is one table lookup.
	 */
	for (guint k = 2; k < RB_CD_ECC_WEIGHTS; k++) {
		guint8 first = rb_gf_div((guint8)(1 ^ rb_gf_exp[k]), (guint8)(1 ^ rb_gf_exp[1]));
		guint8 last = (guint8)(1 ^ first);

		for (guint b = 0; b < 256; b++) {
			tables->parity[k][b] = (guint16)(rb_gf_mul(first, (guint8)b) |
							 rb_gf_mul(last, (guint8)b) << 8);
		}
	}
}

static const RbCdSectorTables *
rb_cd_sector_get_tables(void)
{
	static gsize initialized = 0;

	if (g_once_init_enter(&initialized)) {
		rb_cd_sector_build_tables(&rb_cd_sector_tables);
		g_once_init_leave(&initialized, 1);
	}
	return &rb_cd_sector_tables;
}

gboolean
rb_cd_sector_type_is_valid(guint type)
{
	return type < RB_CD_SECTOR_TYPES;
}

gsize
rb_cd_sector_type_get_input_size(RbCdSectorType type)
{
	g_return_val_if_fail(rb_cd_sector_type_is_valid(type), 0);
	/* imapi-reference §4.6 */
	switch (type) {
	case RB_CD_SECTOR_MODE1:
	case RB_CD_SECTOR_MODE2_FORM1:
		return RB_CD_MODE1_USER_SIZE;
	case RB_CD_SECTOR_MODE_ZERO:
	case RB_CD_SECTOR_MODE2_FORM0:
	case RB_CD_SECTOR_MODE2_FORM2:
		return RB_CD_MODE2_SIZE;
	default:
		return RB_CD_MAIN_SIZE;
	}
}

gboolean
rb_cd_sector_type_is_data(RbCdSectorType type)
{
	g_return_val_if_fail(rb_cd_sector_type_is_valid(type), FALSE);
	return type != RB_CD_SECTOR_AUDIO;
}

guint
rb_cd_sector_type_get_mode(RbCdSectorType type)
{
	g_return_val_if_fail(rb_cd_sector_type_is_valid(type), 0);
	switch (type) {
	case RB_CD_SECTOR_AUDIO:
	case RB_CD_SECTOR_MODE_ZERO:
		return 0;
	case RB_CD_SECTOR_MODE1:
	case RB_CD_SECTOR_MODE1_RAW:
		return 1;
	default:
		return 2;
	}
}

gboolean
rb_cd_sector_type_is_raw(RbCdSectorType type)
{
	g_return_val_if_fail(rb_cd_sector_type_is_valid(type), FALSE);
	return type >= RB_CD_SECTOR_MODE1_RAW;
}

RbCdSectorType
rb_cd_sector_type_get_cooked(RbCdSectorType type)
{
	switch (type) {
	case RB_CD_SECTOR_MODE1_RAW:
		return RB_CD_SECTOR_MODE1;
	case RB_CD_SECTOR_MODE2_FORM0_RAW:
		return RB_CD_SECTOR_MODE2_FORM0;
	case RB_CD_SECTOR_MODE2_FORM1_RAW:
		return RB_CD_SECTOR_MODE2_FORM1;
	case RB_CD_SECTOR_MODE2_FORM2_RAW:
		return RB_CD_SECTOR_MODE2_FORM2;
	default:
		return type;
	}
}

guint32
rb_cd_sector_edc(const guint8 *data, gsize len)
{
	const RbCdSectorTables *tables = rb_cd_sector_get_tables();
	guint32 crc = 0;
	gsize i = 0;

	g_return_val_if_fail(data != NULL || len == 0, 0);
	/* four bytes per step: the register takes them least significant
	 * first, as they come */
	for (; i + 4 <= len; i += 4) {
		crc ^= (guint32)data[i] | (guint32)data[i + 1] << 8 | (guint32)data[i + 2] << 16 |
		       (guint32)data[i + 3] << 24;
		crc = tables->edc[3][crc & 0xFF] ^ tables->edc[2][(crc >> 8) & 0xFF] ^
		      tables->edc[1][(crc >> 16) & 0xFF] ^ tables->edc[0][crc >> 24];
	}
	for (; i < len; i++)
		crc = (crc >> 8) ^ tables->edc[0][(crc ^ data[i]) & 0xFF];
	return crc;
}

/* ECMA-130 14.3: the EDC is recorded least significant byte first */
static void
rb_cd_sector_put_edc(guint8 *sector, gsize from, gsize to)
{
	guint32 edc = rb_cd_sector_edc(sector + from, to - from);

	sector[to] = (guint8)edc;
	sector[to + 1] = (guint8)(edc >> 8);
	sector[to + 2] = (guint8)(edc >> 16);
	sector[to + 3] = (guint8)(edc >> 24);
}

/*
 * One code's two parity words from its data words, which lie @stride words
 * apart from word @start (modulo @wrap, for Q's diagonals), @length of
 * them, the first weighing alpha^(@length + 1). The low bytes of the words
 * are one code and the high bytes another; both are summed in one pass.
 */
static void
rb_cd_sector_parity(const RbCdSectorTables *tables,
		    const guint8 *words,
		    guint start,
		    guint stride,
		    guint wrap,
		    guint length,
		    guint8 *first,
		    guint8 *last)
{
	guint lo = 0;
	guint hi = 0;
	guint word = start;

	for (guint i = 0; i < length; i++) {
		const guint16 *share = tables->parity[length + 1 - i];

		lo ^= share[words[2 * word]];
		hi ^= share[words[2 * word + 1]];
		word += stride;
		if (word >= wrap)
			word -= wrap;
	}
	first[0] = (guint8)lo;
	first[1] = (guint8)hi;
	last[0] = (guint8)(lo >> 8);
	last[1] = (guint8)(hi >> 8);
}

void
rb_cd_sector_ecc(guint8 sector[RB_CD_MAIN_SIZE], gboolean zero_header)
{
	const RbCdSectorTables *tables = rb_cd_sector_get_tables();
	const guint8 *words = sector + RB_CD_ECC_OFFSET;
	guint8 header[RB_CD_HEADER_SIZE] = {0};

	g_return_if_fail(sector != NULL);
	/* Mode 2 Form 1 (CD-ROM XA, on ECMA-130's RSPC): the parity is computed with
	 * the header as zeros, so that a sector's ECC does not depend on its
	 * address; the header is put back afterwards */
	if (zero_header) {
		memcpy(header, sector + RB_CD_HEADER_OFFSET, RB_CD_HEADER_SIZE);
		memset(sector + RB_CD_HEADER_OFFSET, 0, RB_CD_HEADER_SIZE);
	}

	/* P (Annex A): column Np holds words 43 Mp + Np, Mp 0-23; its parity
	 * goes to rows Mp 24 and 25 */
	for (guint np = 0; np < RB_CD_P_COLUMNS; np++) {
		guint8 *first = sector + RB_CD_P_PARITY_OFFSET + 2 * np;

		rb_cd_sector_parity(tables,
				    words,
				    np,
				    RB_CD_P_COLUMNS,
				    RB_CD_Q_WORDS,
				    RB_CD_P_ROWS,
				    first,
				    first + 2 * RB_CD_P_COLUMNS);
	}
	/* Q (Annex A): diagonal Nq holds words (44 Mq + 43 Nq) mod 1118, Mq
	 * 0-42, over the data and P; its parity goes to words 1118 + Nq and
	 * 1144 + Nq */
	for (guint nq = 0; nq < RB_CD_Q_DIAGONALS; nq++) {
		guint8 *first = sector + RB_CD_Q_PARITY_OFFSET + 2 * nq;

		rb_cd_sector_parity(tables,
				    words,
				    (RB_CD_P_COLUMNS * nq) % RB_CD_Q_WORDS,
				    RB_CD_P_COLUMNS + 1,
				    RB_CD_Q_WORDS,
				    RB_CD_Q_LENGTH,
				    first,
				    first + 2 * RB_CD_Q_DIAGONALS);
	}

	if (zero_header)
		memcpy(sector + RB_CD_HEADER_OFFSET, header, RB_CD_HEADER_SIZE);
}

/* sync and header (ECMA-130 clause 14): the sector's address as MSF in BCD,
 * then its mode */
static void
rb_cd_sector_put_header(guint8 *sector, RbMsf msf, guint8 mode)
{
	rb_scramble_set_sync(sector);
	sector[RB_CD_HEADER_OFFSET] = (guint8)((msf.minute / 10) << 4 | msf.minute % 10);
	sector[RB_CD_HEADER_OFFSET + 1] = (guint8)((msf.second / 10) << 4 | msf.second % 10);
	sector[RB_CD_HEADER_OFFSET + 2] = (guint8)((msf.frame / 10) << 4 | msf.frame % 10);
	sector[RB_CD_HEADER_OFFSET + 3] = mode;
}

void
rb_cd_sector_encode(RbCdSectorType type,
		    gint32 lba,
		    const guint8 *input,
		    guint8 out[RB_CD_MAIN_SIZE])
{
	RbMsf msf = {0};

	g_return_if_fail(rb_cd_sector_type_is_valid(type));
	g_return_if_fail(out != NULL);
	g_return_if_fail(input != NULL || type == RB_CD_SECTOR_MODE_ZERO);

	if (rb_cd_sector_type_is_raw(type) || type == RB_CD_SECTOR_AUDIO) {
		memcpy(out, input, RB_CD_MAIN_SIZE);
		return;
	}

	/* lead-in LBAs have 90:00:00 and up, as MMC maps them */
	if (!rb_msf_from_lba(lba, &msf)) {
		g_critical("LBA %" G_GINT32_FORMAT " has no MSF address", lba);
		memset(out, 0, RB_CD_MAIN_SIZE);
		return;
	}

	switch (type) {
	case RB_CD_SECTOR_MODE_ZERO:
		/* ECMA-130 clause 14: Mode 0 has 2336 zero bytes, whatever the track
		 * gave */
		rb_cd_sector_put_header(out, msf, 0);
		memset(out + RB_CD_DATA_OFFSET, 0, RB_CD_MODE2_SIZE);
		break;
	case RB_CD_SECTOR_MODE1:
		/* ECMA-130 clause 14: EDC over bytes 0-2063, 8 zero bytes, then
		 * P and Q over the header, data, EDC and zeros */
		rb_cd_sector_put_header(out, msf, 1);
		memcpy(out + RB_CD_DATA_OFFSET, input, RB_CD_MODE1_USER_SIZE);
		rb_cd_sector_put_edc(out, 0, RB_CD_MODE1_EDC_OFFSET);
		memset(out + RB_CD_MODE1_ZERO_OFFSET, 0, RB_CD_MODE1_ZERO_SIZE);
		rb_cd_sector_ecc(out, FALSE);
		break;
	case RB_CD_SECTOR_MODE2_FORM0:
		/* ECMA-130 clause 14: formless Mode 2 is 2336 bytes with no EDC or
		 * ECC; the track's bytes are kept as they are */
		rb_cd_sector_put_header(out, msf, 2);
		memcpy(out + RB_CD_DATA_OFFSET, input, RB_CD_MODE2_SIZE);
		break;
	case RB_CD_SECTOR_MODE2_FORM1:
		/*
		 * IMAPI hands over 2048 bytes only, so the sub-header is ours:
		 * all zeros, which is what cdrdao writes for a MODE2_FORM1
		 * track (trackdb/Track.cc clears it) and what an MMC drive
		 * writes for 2048-byte Mode 2 Form 1 blocks with the default
		 * sub-header of page 05h. The form bit is clear: Form 1. EDC
		 * over the sub-header and data (16-2071), then P and Q with
		 * the header taken as zero (CD-ROM XA, as cdrdao lec.cc and
		 * wodim's libedc do).
		 */
		rb_cd_sector_put_header(out, msf, 2);
		memset(out + RB_CD_DATA_OFFSET, 0, RB_CD_SUBHEADER_SIZE);
		memcpy(out + RB_CD_FORM1_USER_OFFSET, input, RB_CD_MODE1_USER_SIZE);
		rb_cd_sector_put_edc(out, RB_CD_DATA_OFFSET, RB_CD_FORM1_EDC_OFFSET);
		rb_cd_sector_ecc(out, TRUE);
		break;
	case RB_CD_SECTOR_MODE2_FORM2:
		/*
		 * IMAPI's 2336 bytes are the sub-header, 2324 user bytes and 4
		 * of "optional CRC" (imapi-reference §4.6). The sector type
		 * says Form 2, and a reader tells the forms apart by the
		 * sub-header's form bit alone, so the bit is set in both
		 * copies, as wodim (sector.c) and cdrdao (Track.cc) do for
		 * their Form 2 tracks. The EDC over 16-2347 is always
		 * computed: CD-ROM XA lets Form 2 leave it zero ("not
		 * computed"), but a reader checks a non-zero one, and both
		 * writers compute it; a caller's correct CRC is thereby kept
		 * and a missing one filled in.
		 */
		rb_cd_sector_put_header(out, msf, 2);
		memcpy(out + RB_CD_DATA_OFFSET, input, RB_CD_MODE2_SIZE);
		out[RB_CD_DATA_OFFSET + RB_CD_SUBMODE_OFFSET] |= RB_CD_SUBMODE_FORM2;
		out[RB_CD_DATA_OFFSET + 4 + RB_CD_SUBMODE_OFFSET] |= RB_CD_SUBMODE_FORM2;
		rb_cd_sector_put_edc(out, RB_CD_DATA_OFFSET, RB_CD_FORM2_EDC_OFFSET);
		break;
	default:
		g_assert_not_reached();
	}
}
