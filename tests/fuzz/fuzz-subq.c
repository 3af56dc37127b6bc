/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fuzz target: the Q sub-channel and the P-W / P-Q layouts it travels in.
 * Input: one byte choosing the data block type (1, 2, 3 or an invalid one),
 * then a sector's sub-channel (16 or 96 bytes), then anything. Every Q frame
 * that decodes must encode back to itself with a valid CRC, and every layout
 * must give back the Q and P it was built from.
 */
#include "config.h"

#include <string.h>

#include "rb-fuzz.h"
#include "rb-subchannel.h"

static void
rb_fuzz_check_round_trip(const guint8 q[RB_SUBQ_SIZE])
{
	g_autoptr(GError) error = NULL;
	guint8 again[RB_SUBQ_SIZE];
	RbSubQ subq;
	RbSubQ subq_again;

	if (!rb_subq_decode(q, &subq, &error)) {
		rb_fuzz_check(error != NULL && error->domain == RB_SUBCHANNEL_ERROR);
		return;
	}
	rb_fuzz_check(subq.adr == RB_SUBQ_ADR_POSITION);
	/* decode -> encode reproduces the frame: every field but ZERO, which
	 * the encoder writes as 0, and a CRC that checks */
	rb_fuzz_check(rb_subq_encode(&subq, again, NULL));
	rb_fuzz_check(memcmp(again, q, 6) == 0);
	rb_fuzz_check(again[6] == 0);
	rb_fuzz_check(memcmp(again + 7, q + 7, 3) == 0);
	rb_fuzz_check(rb_subq_check_crc(again));
	rb_fuzz_check(rb_subq_compute_crc(again) == ((again[10] << 8) | again[11]));
	/* the CRC bytes were the only ones the encoder added */
	if (q[6] == 0 && rb_subq_check_crc(q))
		rb_fuzz_check(memcmp(again, q, RB_SUBQ_SIZE) == 0);
	rb_fuzz_check(rb_subq_decode(again, &subq_again, NULL));
	rb_fuzz_check(memcmp(&subq, &subq_again, sizeof(subq)) == 0);
}

/* the inverted CRC and the plain one can never both check */
static void
rb_fuzz_check_crc_forms(const guint8 q[RB_SUBQ_SIZE])
{
	guint8 copy[RB_SUBQ_SIZE];

	rb_fuzz_check(!(rb_subq_check_crc(q) && rb_subq_check_crc_uninverted(q)));
	memcpy(copy, q, RB_SUBQ_SIZE);
	rb_subq_set_crc(copy);
	rb_fuzz_check(rb_subq_check_crc(copy));
	rb_fuzz_check(!rb_subq_check_crc_uninverted(copy));
	rb_fuzz_check(memcmp(copy, q, RB_SUBQ_DATA_SIZE) == 0);
}

static void
rb_fuzz_check_layout(guint data_block_type, const guint8 *subchannel, gsize len)
{
	g_autoptr(GError) error = NULL;
	gsize sub_size = rb_data_block_type_get_subchannel_size(data_block_type);
	guint8 built[RB_SUBCHANNEL_PW_SIZE];
	guint8 q[RB_SUBQ_SIZE];
	guint8 q_again[RB_SUBQ_SIZE];
	gboolean p = FALSE;
	gboolean p_again = FALSE;

	if (sub_size == 0) {
		rb_fuzz_check(rb_data_block_type_get_sector_size(data_block_type) == 0);
		rb_fuzz_check(!rb_subchannel_get_q(data_block_type, subchannel, q, &p, &error));
		rb_fuzz_check(g_error_matches(
			error, RB_SUBCHANNEL_ERROR, RB_SUBCHANNEL_ERROR_UNSUPPORTED_BLOCK_TYPE));
		return;
	}
	rb_fuzz_check(rb_data_block_type_get_sector_size(data_block_type) ==
		      RB_CD_MAIN_SIZE + sub_size);
	if (len < sub_size)
		return;
	rb_fuzz_check(rb_subchannel_get_q(data_block_type, subchannel, q, &p, NULL));
	rb_fuzz_check_round_trip(q);
	rb_fuzz_check_crc_forms(q);

	/* build -> get gives Q and P back, for any Q */
	rb_fuzz_check(rb_subchannel_build(data_block_type, q, p, built, NULL));
	rb_fuzz_check(rb_subchannel_get_q(data_block_type, built, q_again, &p_again, NULL));
	rb_fuzz_check(memcmp(q, q_again, RB_SUBQ_SIZE) == 0);
	rb_fuzz_check(p == p_again);
	rb_fuzz_check(rb_subchannel_build(data_block_type, q, !p, built, NULL));
	rb_fuzz_check(rb_subchannel_get_q(data_block_type, built, q_again, &p_again, NULL));
	rb_fuzz_check(p_again == !p);
}

/* CRC-16 without final inversion: a message followed by its CRC has CRC 0 */
static void
rb_fuzz_check_crc_residue(const guint8 *data, gsize size)
{
	g_autofree guint8 *framed = g_malloc(size + 2);
	guint16 crc = rb_cd_crc16(data, size);

	memcpy(framed, data, size);
	framed[size] = (guint8)(crc >> 8);
	framed[size + 1] = (guint8)crc;
	rb_fuzz_check(rb_cd_crc16(framed, size + 2) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	guint data_block_type;

	if (size < 1)
		return 0;
	/* 0 and 4 stand for every type that is not a raw one */
	data_block_type = data[0] % 5;
	rb_fuzz_check_layout(data_block_type, data + 1, size - 1);
	/* the same bytes as a bare Q frame, and the CRC over all of them */
	if (size - 1 >= RB_SUBQ_SIZE)
		rb_fuzz_check_round_trip(data + 1);
	rb_fuzz_check_crc_residue(data, size);
	/* BCD: every byte either decodes to 0..99 and encodes back, or is refused */
	for (gsize i = 1; i < MIN(size, (gsize)RB_SUBQ_SIZE + 1); i++) {
		guint8 value = 0;
		guint8 bcd = 0;

		if (!rb_bcd_decode(data[i], &value)) {
			rb_fuzz_check(!rb_bcd_is_valid(data[i]));
			continue;
		}
		rb_fuzz_check(value <= 99);
		rb_fuzz_check(rb_bcd_encode(value, &bcd) && bcd == data[i]);
	}
	return 0;
}
