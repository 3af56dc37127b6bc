/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a reader gets back of a raw stream sector once it is on the disc:
 * the 2352-byte main channel as READ CD returns it (data sectors
 * descrambled by the drive, audio as written) and the 12 Q bytes as
 * recorded (in 16-byte P-Q mode the drive regenerates the Q CRC). Plus a
 * small per-sector digest of both, so that a burn can be verified without
 * reading its stream twice. Pure: byte buffers in, values out.
 */
#pragma once

#include <glib.h>

#include "rb-subchannel.h"

G_BEGIN_DECLS

/*
 * The digest of one sector, 16 bytes: 360,000 sectors of an 80-minute disc
 * take 5.8 MB. The main channel is kept as a CRC-32 (IEEE 802.3): it catches
 * every error burst of up to 32 bits and a wider change with a chance of
 * 1 - 2^-32 per sector, so the first bad LBA is found where it is; a
 * cryptographic hash would cost more per byte than the burn's own copy and
 * say nothing more about where a disc differs. The Q is kept whole (12
 * bytes): it is small, and a mismatch can then be shown byte for byte.
 */
typedef struct {
	guint32 main_crc;
	guint8 q[RB_SUBQ_SIZE];
} RbVerifyDigest;

G_STATIC_ASSERT(sizeof(RbVerifyDigest) == 16);

/* CRC-32 (IEEE 802.3, reflected, as zlib's crc32()): @crc 0 to start */
guint32 rb_verify_crc32(guint32 crc, const guint8 *data, gsize len);

/* a data sector: its Q says data track (control bit 2) and it opens with
 * the sync pattern; the drive descrambles those and only those */
gboolean rb_verify_sector_is_data(const guint8 main_channel[RB_CD_MAIN_SIZE],
				  const guint8 q[RB_SUBQ_SIZE]);

/* the first lead-out sector: Q mode 1 with TNO AA */
gboolean rb_verify_sector_is_leadout(const guint8 q[RB_SUBQ_SIZE]);

/*
 * A whole stream sector (main channel + sub-channel of @data_block_type) as
 * READ CD returns it: @main (2352 bytes) and @q. FALSE for an unknown block
 * type.
 */
gboolean rb_verify_sector_reader_view(guint data_block_type,
				      const guint8 *sector,
				      guint8 main[RB_CD_MAIN_SIZE],
				      guint8 q[RB_SUBQ_SIZE]);

/* the digest of a stream sector, without touching @sector */
gboolean rb_verify_sector_digest(guint data_block_type, const guint8 *sector, RbVerifyDigest *out);

/* the offset of the first byte that differs, or -1 */
gssize rb_verify_first_difference(const guint8 *a, const guint8 *b, gsize len);

G_END_DECLS
