/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A stream sector as a reader gets it back, and its digest. See
 * rb-verify-sector.h.
 */
#include "config.h"

#include <string.h>

#include "rb-scramble.h"
#include "rb-verify-sector.h"

/* Q control bit 2 (byte 0 bit 6): a data track */
#define RB_VERIFY_Q_CONTROL_DATA 0x40
/* the reflected IEEE 802.3 polynomial */
#define RB_VERIFY_CRC32_POLY 0xEDB88320u

/*
 * Slicing by 4 (four tables, four bytes per step): about four times the
 * speed of one table, which matters because a verifying burn digests every
 * sector on the writer's path. The tables are made once.
 */
static guint32 rb_verify_crc32_table[4][256];

static gpointer
rb_verify_crc32_init(gpointer user_data)
{
	for (guint i = 0; i < 256; i++) {
		guint32 c = i;

		for (guint k = 0; k < 8; k++)
			c = (c & 1) != 0 ? (c >> 1) ^ RB_VERIFY_CRC32_POLY : c >> 1;
		rb_verify_crc32_table[0][i] = c;
	}
	for (guint i = 0; i < 256; i++) {
		for (guint t = 1; t < 4; t++) {
			guint32 prev = rb_verify_crc32_table[t - 1][i];

			rb_verify_crc32_table[t][i] =
				(prev >> 8) ^ rb_verify_crc32_table[0][prev & 0xFF];
		}
	}
	return NULL;
}

guint32
rb_verify_crc32(guint32 crc, const guint8 *data, gsize len)
{
	static GOnce once = G_ONCE_INIT;
	const guint32(*t)[256] = (const guint32(*)[256])rb_verify_crc32_table;

	g_once(&once, rb_verify_crc32_init, NULL);
	crc = ~crc;
	while (len >= 4) {
		crc ^= (guint32)data[0] | ((guint32)data[1] << 8) | ((guint32)data[2] << 16) |
		       ((guint32)data[3] << 24);
		crc = t[3][crc & 0xFF] ^ t[2][(crc >> 8) & 0xFF] ^ t[1][(crc >> 16) & 0xFF] ^
		      t[0][crc >> 24];
		data += 4;
		len -= 4;
	}
	while (len-- > 0)
		crc = (crc >> 8) ^ t[0][(crc ^ *data++) & 0xFF];
	return ~crc;
}

/*
 * The Q of a stream sector of @data_block_type (1 P-Q, 2 or 3 P-W) as the
 * disc holds it: in P-Q mode a CRC sent uninverted (cdrdao, libburn) is
 * recorded inverted, as the drive encodes it (mmc-notes 8.3); otherwise as
 * sent. FALSE for an unknown block type.
 */
static gboolean
rb_verify_sector_disc_q(guint data_block_type, const guint8 *subchannel, guint8 q[RB_SUBQ_SIZE])
{
	if (!rb_subchannel_get_q(data_block_type, subchannel, q, NULL, NULL))
		return FALSE;
	/* the drive encodes Q itself in 16-byte mode; a CRC wrong in both
	 * polarities is recorded as sent, as the emulated drive does */
	if (data_block_type == RB_DATA_BLOCK_TYPE_RAW_PQ && !rb_subq_check_crc(q) &&
	    rb_subq_check_crc_uninverted(q))
		rb_subq_set_crc(q);
	return TRUE;
}

gboolean
rb_verify_sector_is_data(const guint8 main_channel[RB_CD_MAIN_SIZE], const guint8 q[RB_SUBQ_SIZE])
{
	return (q[0] & RB_VERIFY_Q_CONTROL_DATA) != 0 && rb_scramble_has_sync(main_channel);
}

gboolean
rb_verify_sector_is_leadout(const guint8 q[RB_SUBQ_SIZE])
{
	return (q[0] & 0x0F) == RB_SUBQ_ADR_POSITION && q[1] == RB_SUBQ_TNO_LEADOUT;
}

gboolean
rb_verify_sector_reader_view(guint data_block_type,
			     const guint8 *sector,
			     guint8 main[RB_CD_MAIN_SIZE],
			     guint8 q[RB_SUBQ_SIZE])
{
	if (!rb_verify_sector_disc_q(data_block_type, sector + RB_CD_MAIN_SIZE, q))
		return FALSE;
	memcpy(main, sector, RB_CD_MAIN_SIZE);
	/* the scrambler is its own inverse */
	if (rb_verify_sector_is_data(main, q))
		rb_scramble_sector(main);
	return TRUE;
}

gboolean
rb_verify_sector_digest(guint data_block_type, const guint8 *sector, RbVerifyDigest *out)
{
	const guint8 *table = rb_scramble_get_table();
	guint8 block[256];
	guint32 crc;

	if (!rb_verify_sector_disc_q(data_block_type, sector + RB_CD_MAIN_SIZE, out->q))
		return FALSE;
	if (!rb_verify_sector_is_data(sector, out->q)) {
		out->main_crc = rb_verify_crc32(0, sector, RB_CD_MAIN_SIZE);
		return TRUE;
	}
	/* descrambled through a small block on the stack: the stream's own
	 * bytes (FIFO memory the drive is sent) stay untouched */
	crc = rb_verify_crc32(0, sector, RB_CD_SYNC_SIZE);
	for (gsize at = 0; at < RB_SCRAMBLE_SIZE; at += sizeof(block)) {
		gsize n = MIN(sizeof(block), RB_SCRAMBLE_SIZE - at);

		for (gsize i = 0; i < n; i++)
			block[i] = sector[RB_CD_SYNC_SIZE + at + i] ^ table[at + i];
		crc = rb_verify_crc32(crc, block, n);
	}
	out->main_crc = crc;
	return TRUE;
}

gssize
rb_verify_first_difference(const guint8 *a, const guint8 *b, gsize len)
{
	if (memcmp(a, b, len) == 0)
		return -1;
	for (gsize i = 0; i < len; i++) {
		if (a[i] != b[i])
			return (gssize)i;
	}
	return -1;
}
