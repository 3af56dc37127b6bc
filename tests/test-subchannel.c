/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Q sub-channel (BCD, CRC, encode/decode), the P-W and P-Q layouts, sector
 * sizes, and the ECMA-130 scrambler with its sync pattern.
 */
#include "config.h"

#include <string.h>

#include "rb-scramble.h"
#include "rb-subchannel.h"
#include "rb-test-service.h"

/* wodim's TEST_CRC frames, re-verified in mmc-notes §8.4 */
static const guint8 rb_crc_vectors[][RB_SUBQ_SIZE] = {
	{0x01, 0x00, 0xA0, 0x98, 0x06, 0x12, 0x00, 0x01, 0x00, 0x00, 0xE3, 0x74},
	{0x01, 0x00, 0xA1, 0x98, 0x06, 0x14, 0x00, 0x13, 0x00, 0x00, 0x44, 0x21},
	{0x01, 0x00, 0xA2, 0x98, 0x06, 0x17, 0x00, 0x70, 0x40, 0x73, 0xE3, 0x85},
};

/* the same frames, decoded */
static const RbSubQ rb_crc_vectors_decoded[] = {
	{0, 1, 0, 0xA0, {98, 6, 12}, {1, 0, 0}},
	{0, 1, 0, 0xA1, {98, 6, 14}, {13, 0, 0}},
	{0, 1, 0, 0xA2, {98, 6, 17}, {70, 40, 73}},
};

G_STATIC_ASSERT(G_N_ELEMENTS(rb_crc_vectors) == G_N_ELEMENTS(rb_crc_vectors_decoded));

/* the scrambler's first 16 bytes */
static const guint8 rb_scramble_start[2][8] = {
	{0x01, 0x80, 0x00, 0x60, 0x00, 0x28, 0x00, 0x1E},
	{0x80, 0x08, 0x60, 0x06, 0xA8, 0x02, 0xFE, 0x81},
};

static void
rb_assert_msf_eq(RbMsf a, RbMsf b)
{
	ck_assert_uint_eq(a.minute, b.minute);
	ck_assert_uint_eq(a.second, b.second);
	ck_assert_uint_eq(a.frame, b.frame);
}

static void
rb_assert_subq_eq(const RbSubQ *a, const RbSubQ *b)
{
	ck_assert_uint_eq(a->ctl, b->ctl);
	ck_assert_uint_eq(a->adr, b->adr);
	ck_assert_uint_eq(a->tno, b->tno);
	ck_assert_uint_eq(a->index_or_point, b->index_or_point);
	rb_assert_msf_eq(a->relative, b->relative);
	rb_assert_msf_eq(a->absolute, b->absolute);
}

START_TEST(test_bcd_round_trip)
{
	for (guint value = 0; value < 100; value++) {
		guint8 bcd = 0xFF;
		guint8 back = 0xFF;

		ck_assert(rb_bcd_encode(value, &bcd));
		ck_assert_uint_eq(bcd, (value / 10) * 16 + value % 10);
		ck_assert(rb_bcd_is_valid(bcd));
		ck_assert(rb_bcd_decode(bcd, &back));
		ck_assert_uint_eq(back, value);
	}
}
END_TEST

START_TEST(test_bcd_invalid)
{
	guint8 bcd = 0x42;
	guint8 value = 42;
	guint valid = 0;

	ck_assert(!rb_bcd_encode(100, &bcd));
	ck_assert(!rb_bcd_encode(0xAA, &bcd));
	ck_assert_uint_eq(bcd, 0x42);
	ck_assert(!rb_bcd_decode(0x0A, &value));
	ck_assert(!rb_bcd_decode(0xA0, &value));
	ck_assert(!rb_bcd_decode(0x9F, &value));
	ck_assert(!rb_bcd_decode(0xAA, &value));
	ck_assert_uint_eq(value, 42);
	/* exactly 100 of the 256 byte values are BCD */
	for (guint b = 0; b < 256; b++)
		valid += rb_bcd_is_valid((guint8)b) ? 1 : 0;
	ck_assert_uint_eq(valid, 100);
}
END_TEST

START_TEST(test_crc_vectors)
{
	for (guint i = 0; i < G_N_ELEMENTS(rb_crc_vectors); i++) {
		const guint8 *v = rb_crc_vectors[i];
		guint8 q[RB_SUBQ_SIZE] = {0};

		ck_assert_uint_eq(rb_subq_compute_crc(v), (guint)((v[10] << 8) | v[11]));
		ck_assert(rb_subq_check_crc(v));
		ck_assert(!rb_subq_check_crc_uninverted(v));
		memcpy(q, v, RB_SUBQ_DATA_SIZE);
		rb_subq_set_crc(q);
		ck_assert_mem_eq(q, v, RB_SUBQ_SIZE);
	}
}
END_TEST

START_TEST(test_crc_plain_and_corrupt)
{
	const guint8 check[] = "123456789";
	guint8 q[RB_SUBQ_SIZE];

	/* the catalogued check value of this CRC (poly 1021h, init 0) */
	ck_assert_uint_eq(rb_cd_crc16(check, 9), 0x31C3);
	ck_assert_uint_eq(rb_cd_crc16(check, 0), 0);

	memcpy(q, rb_crc_vectors[0], RB_SUBQ_SIZE);
	q[10] = (guint8)~q[10];
	q[11] = (guint8)~q[11];
	ck_assert(!rb_subq_check_crc(q));
	ck_assert(rb_subq_check_crc_uninverted(q));

	/* any single flipped bit in the data is caught */
	for (guint bit = 0; bit < RB_SUBQ_DATA_SIZE * 8; bit++) {
		memcpy(q, rb_crc_vectors[2], RB_SUBQ_SIZE);
		q[bit / 8] ^= (guint8)(0x80 >> (bit % 8));
		ck_assert(!rb_subq_check_crc(q));
	}
}
END_TEST

/* the inverted CRC in every mode, the plain one in the 16-byte mode only */
START_TEST(test_crc_for_block_type)
{
	guint8 plain[RB_SUBQ_SIZE];
	guint8 corrupt[RB_SUBQ_SIZE];

	memcpy(plain, rb_crc_vectors[0], RB_SUBQ_SIZE);
	plain[10] = (guint8)~plain[10];
	plain[11] = (guint8)~plain[11];
	memcpy(corrupt, rb_crc_vectors[0], RB_SUBQ_SIZE);
	corrupt[3] ^= 0x01;
	for (guint dbt = RB_DATA_BLOCK_TYPE_RAW_PQ; dbt <= RB_DATA_BLOCK_TYPE_RAW_PW; dbt++) {
		ck_assert(rb_subq_check_crc_for_block_type(rb_crc_vectors[0], dbt));
		ck_assert(rb_subq_check_crc_for_block_type(plain, dbt) ==
			  (dbt == RB_DATA_BLOCK_TYPE_RAW_PQ));
		ck_assert(!rb_subq_check_crc_for_block_type(corrupt, dbt));
	}
}
END_TEST

START_TEST(test_subq_encode_vectors)
{
	for (guint i = 0; i < G_N_ELEMENTS(rb_crc_vectors); i++) {
		g_autoptr(GError) error = NULL;
		guint8 q[RB_SUBQ_SIZE] = {0};
		RbSubQ decoded = {0};

		ck_assert(rb_subq_encode(&rb_crc_vectors_decoded[i], q, &error));
		ck_assert_ptr_null(error);
		ck_assert_mem_eq(q, rb_crc_vectors[i], RB_SUBQ_SIZE);
		ck_assert(rb_subq_decode(rb_crc_vectors[i], &decoded, &error));
		ck_assert_ptr_null(error);
		rb_assert_subq_eq(&decoded, &rb_crc_vectors_decoded[i]);
	}
}
END_TEST

START_TEST(test_subq_round_trip)
{
	const RbSubQ frames[] = {
		/* pregap of track 1 at LBA -150 */
		{0, 1, 1, 0, {0, 2, 0}, {0, 0, 0}},
		/* a data track with copy permitted, index 99 */
		{6, 1, 42, 99, {12, 34, 56}, {79, 59, 74}},
		/* lead-out */
		{0, 1, RB_SUBQ_TNO_LEADOUT, 1, {1, 29, 74}, {74, 0, 0}},
		/* lead-in pointer codes other than A0-A2 pass through */
		{4, 1, 0, 0xB0, {97, 0, 0}, {0, 0, 0}},
		{0, 1, 0, 7, {99, 59, 74}, {3, 4, 5}},
	};

	for (guint i = 0; i < G_N_ELEMENTS(frames); i++) {
		g_autoptr(GError) error = NULL;
		guint8 q[RB_SUBQ_SIZE] = {0};
		RbSubQ decoded = {0};

		ck_assert(rb_subq_encode(&frames[i], q, &error));
		ck_assert(rb_subq_check_crc(q));
		ck_assert_uint_eq(q[6], 0);
		ck_assert(rb_subq_decode(q, &decoded, &error));
		ck_assert_ptr_null(error);
		rb_assert_subq_eq(&decoded, &frames[i]);
	}
}
END_TEST

START_TEST(test_subq_decode_invalid)
{
	struct {
		guint offset;
		guint8 value;
		gint code;
	} cases[] = {
		{0, 0x02, RB_SUBCHANNEL_ERROR_UNSUPPORTED_ADR}, /* MCN */
		{0, 0x03, RB_SUBCHANNEL_ERROR_UNSUPPORTED_ADR}, /* ISRC */
		{1, 0x1A, RB_SUBCHANNEL_ERROR_INVALID_BCD},
		{1, 0xAB, RB_SUBCHANNEL_ERROR_INVALID_BCD},
		{2, 0x0F, RB_SUBCHANNEL_ERROR_INVALID_BCD},
		{2, 0xA0, RB_SUBCHANNEL_ERROR_INVALID_BCD}, /* a POINT code outside the lead-in */
		{3, 0x9A, RB_SUBCHANNEL_ERROR_INVALID_BCD},
		{4, 0xF0, RB_SUBCHANNEL_ERROR_INVALID_BCD},
		{5, 0x7B, RB_SUBCHANNEL_ERROR_INVALID_BCD},
		{7, 0xC0, RB_SUBCHANNEL_ERROR_INVALID_BCD},
		{8, 0x0C, RB_SUBCHANNEL_ERROR_INVALID_BCD},
		{9, 0xFF, RB_SUBCHANNEL_ERROR_INVALID_BCD},
	};
	/* TNO 05, INDEX 01, 00:00:10, 12:34:56 */
	const guint8 good[RB_SUBQ_SIZE] = {
		0x01, 0x05, 0x01, 0x00, 0x00, 0x10, 0x00, 0x12, 0x34, 0x56};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		guint8 q[RB_SUBQ_SIZE];
		RbSubQ decoded = {.tno = 77};

		memcpy(q, good, RB_SUBQ_SIZE);
		q[cases[i].offset] = cases[i].value;
		rb_subq_set_crc(q);
		ck_assert(!rb_subq_decode(q, &decoded, &error));
		ck_assert(g_error_matches(error, RB_SUBCHANNEL_ERROR, cases[i].code));
		/* untouched on failure */
		ck_assert_uint_eq(decoded.tno, 77);
	}
}
END_TEST

START_TEST(test_subq_encode_invalid)
{
	const RbSubQ bad[] = {
		{16, 1, 1, 1, {0, 0, 0}, {0, 0, 0}},
		{0, 16, 1, 1, {0, 0, 0}, {0, 0, 0}},
		{0, 1, 100, 1, {0, 0, 0}, {0, 0, 0}},
		{0, 1, 0xAB, 1, {0, 0, 0}, {0, 0, 0}},
		{0, 1, 1, 0xA0, {0, 0, 0}, {0, 0, 0}}, /* POINT code outside the lead-in */
		{0, 1, 0, 100, {0, 0, 0}, {0, 0, 0}},
		{0, 1, 1, 1, {100, 0, 0}, {0, 0, 0}},
		{0, 1, 1, 1, {0, 0, 0}, {0, 0, 200}},
	};

	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) error = NULL;
		guint8 q[RB_SUBQ_SIZE];

		memset(q, 0x5A, sizeof(q));
		ck_assert(!rb_subq_encode(&bad[i], q, &error));
		ck_assert(g_error_matches(
			error, RB_SUBCHANNEL_ERROR, RB_SUBCHANNEL_ERROR_OUT_OF_RANGE));
		/* untouched on failure */
		ck_assert_uint_eq(q[0], 0x5A);
		ck_assert_uint_eq(q[11], 0x5A);
	}
}
END_TEST

START_TEST(test_sector_sizes)
{
	ck_assert_uint_eq(rb_data_block_type_get_sector_size(RB_DATA_BLOCK_TYPE_RAW_PQ), 2368);
	ck_assert_uint_eq(rb_data_block_type_get_sector_size(RB_DATA_BLOCK_TYPE_RAW_PW_PACKED),
			  2448);
	ck_assert_uint_eq(rb_data_block_type_get_sector_size(RB_DATA_BLOCK_TYPE_RAW_PW), 2448);
	ck_assert_uint_eq(rb_data_block_type_get_subchannel_size(1), 16);
	ck_assert_uint_eq(rb_data_block_type_get_subchannel_size(2), 96);
	ck_assert_uint_eq(rb_data_block_type_get_subchannel_size(3), 96);
	/* 0 is raw without sub-channel; 8 and up are cooked modes */
	ck_assert_uint_eq(rb_data_block_type_get_sector_size(0), 0);
	ck_assert_uint_eq(rb_data_block_type_get_sector_size(4), 0);
	ck_assert_uint_eq(rb_data_block_type_get_sector_size(8), 0);
}
END_TEST

START_TEST(test_pw_layout)
{
	const guint8 *q = rb_crc_vectors[2];

	for (guint p = 0; p < 2; p++) {
		guint8 pw[RB_SUBCHANNEL_PW_SIZE];
		guint8 back[RB_SUBQ_SIZE] = {0};

		memset(pw, 0xFF, sizeof(pw));
		rb_subchannel_pw_build(q, p, pw);
		for (guint k = 0; k < RB_SUBCHANNEL_PW_SIZE; k++) {
			guint q_bit = (q[k / 8] >> (7 - k % 8)) & 1;

			ck_assert_uint_eq((pw[k] >> 7) & 1, p);
			ck_assert_uint_eq((pw[k] >> 6) & 1, q_bit);
			/* R-W zero */
			ck_assert_uint_eq(pw[k] & 0x3F, 0);
		}
		rb_subchannel_pw_get_q(pw, back);
		ck_assert_mem_eq(back, q, RB_SUBQ_SIZE);
		ck_assert_uint_eq(rb_subchannel_pw_get_p(pw), p);

		/* R-W content does not disturb P or Q */
		for (guint k = 0; k < RB_SUBCHANNEL_PW_SIZE; k++)
			pw[k] |= (guint8)((k * 37) & 0x3F);
		rb_subchannel_pw_get_q(pw, back);
		ck_assert_mem_eq(back, q, RB_SUBQ_SIZE);
		ck_assert_uint_eq(rb_subchannel_pw_get_p(pw), p);
	}
}
END_TEST

START_TEST(test_pw_first_bytes)
{
	/* Q byte 0 = 01h: only symbol 7 carries a Q bit; P set everywhere */
	guint8 pw[RB_SUBCHANNEL_PW_SIZE];

	rb_subchannel_pw_build(rb_crc_vectors[0], TRUE, pw);
	for (guint k = 0; k < 7; k++)
		ck_assert_uint_eq(pw[k], 0x80);
	ck_assert_uint_eq(pw[7], 0xC0);
	/* Q byte 2 = A0h = 1010 0000 */
	ck_assert_uint_eq(pw[16], 0xC0);
	ck_assert_uint_eq(pw[17], 0x80);
	ck_assert_uint_eq(pw[18], 0xC0);
	ck_assert_uint_eq(pw[19], 0x80);
}
END_TEST

START_TEST(test_pw_p_majority)
{
	guint8 pw[RB_SUBCHANNEL_PW_SIZE];

	rb_subchannel_pw_build(rb_crc_vectors[1], TRUE, pw);
	pw[0] &= 0x7F;
	pw[50] &= 0x7F;
	ck_assert(rb_subchannel_pw_get_p(pw));
	rb_subchannel_pw_build(rb_crc_vectors[1], FALSE, pw);
	pw[3] |= 0x80;
	ck_assert(!rb_subchannel_pw_get_p(pw));
}
END_TEST

START_TEST(test_pq_layout)
{
	const guint8 *q = rb_crc_vectors[1];

	for (guint p = 0; p < 2; p++) {
		guint8 pq[RB_SUBCHANNEL_PQ_SIZE];
		guint8 back[RB_SUBQ_SIZE] = {0};

		memset(pq, 0xFF, sizeof(pq));
		rb_subchannel_pq_build(q, p, pq);
		ck_assert_mem_eq(pq, q, RB_SUBQ_SIZE);
		ck_assert_uint_eq(pq[12], 0);
		ck_assert_uint_eq(pq[13], 0);
		ck_assert_uint_eq(pq[14], 0);
		ck_assert_uint_eq(pq[15], p ? 0x80 : 0x00);
		rb_subchannel_pq_get_q(pq, back);
		ck_assert_mem_eq(back, q, RB_SUBQ_SIZE);
		ck_assert_uint_eq(rb_subchannel_pq_get_p(pq), p);
	}
}
END_TEST

START_TEST(test_subchannel_by_block_type)
{
	const guint8 *q = rb_crc_vectors[0];

	for (guint dbt = 1; dbt <= 3; dbt++) {
		g_autoptr(GError) error = NULL;
		guint8 sub[RB_SUBCHANNEL_PW_SIZE] = {0};
		guint8 back[RB_SUBQ_SIZE] = {0};
		gboolean p = FALSE;

		ck_assert(rb_subchannel_build(dbt, q, TRUE, sub, &error));
		ck_assert(rb_subchannel_get_q(dbt, sub, back, &p, &error));
		ck_assert_ptr_null(error);
		ck_assert_mem_eq(back, q, RB_SUBQ_SIZE);
		ck_assert(p);
		if (dbt == 1)
			ck_assert_mem_eq(sub, q, RB_SUBQ_SIZE);
		else
			ck_assert_uint_eq(sub[7], 0xC0);
	}
	for (guint dbt = 0; dbt <= 4; dbt += 4) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GError) error2 = NULL;
		guint8 sub[RB_SUBCHANNEL_PW_SIZE] = {0};
		guint8 back[RB_SUBQ_SIZE] = {0};

		ck_assert(!rb_subchannel_build(dbt, q, TRUE, sub, &error));
		ck_assert(g_error_matches(
			error, RB_SUBCHANNEL_ERROR, RB_SUBCHANNEL_ERROR_UNSUPPORTED_BLOCK_TYPE));
		ck_assert(!rb_subchannel_get_q(dbt, sub, back, NULL, &error2));
		ck_assert(g_error_matches(
			error2, RB_SUBCHANNEL_ERROR, RB_SUBCHANNEL_ERROR_UNSUPPORTED_BLOCK_TYPE));
	}
}
END_TEST

START_TEST(test_scramble_table_start)
{
	ck_assert_mem_eq(rb_scramble_get_table(), rb_scramble_start, sizeof(rb_scramble_start));
	/* built once */
	ck_assert_ptr_eq(rb_scramble_get_table(), rb_scramble_get_table());
}
END_TEST

static guint
rb_table_bit(const guint8 *table, gsize k)
{
	/* each byte is output least significant bit first */
	return (table[k / 8] >> (k % 8)) & 1;
}

START_TEST(test_scramble_table_recurrence)
{
	const guint8 *table = rb_scramble_get_table();

	/*
	 * x^15 + x + 1 with the output at the register's low end means every
	 * output bit is the XOR of the bits 15 and 14 places earlier.
	 */
	ck_assert_uint_eq(rb_table_bit(table, 0), 1);
	for (gsize k = 1; k < 15; k++)
		ck_assert_uint_eq(rb_table_bit(table, k), 0);
	for (gsize k = 0; k + 15 < RB_SCRAMBLE_SIZE * 8; k++)
		ck_assert_uint_eq(rb_table_bit(table, k + 15),
				  rb_table_bit(table, k) ^ rb_table_bit(table, k + 1));
}
END_TEST

START_TEST(test_scramble_sector)
{
	guint8 sector[RB_CD_MAIN_SIZE];
	guint8 copy[RB_CD_MAIN_SIZE];
	const guint8 *table = rb_scramble_get_table();

	for (gsize i = 0; i < RB_CD_MAIN_SIZE; i++)
		sector[i] = (guint8)(i * 7 + 3);
	rb_scramble_set_sync(sector);
	memcpy(copy, sector, sizeof(sector));

	rb_scramble_sector(sector);
	/* the sync is not scrambled, the rest is XORed with the table */
	ck_assert_mem_eq(sector, copy, RB_CD_SYNC_SIZE);
	ck_assert(rb_scramble_has_sync(sector));
	for (gsize i = 0; i < RB_SCRAMBLE_SIZE; i++)
		ck_assert_uint_eq(sector[RB_CD_SYNC_SIZE + i],
				  copy[RB_CD_SYNC_SIZE + i] ^ table[i]);
	/* its own inverse */
	rb_scramble_sector(sector);
	ck_assert_mem_eq(sector, copy, RB_CD_MAIN_SIZE);
}
END_TEST

static gpointer
rb_scramble_thread(gpointer data)
{
	return (gpointer)rb_scramble_get_table();
}

START_TEST(test_scramble_table_threads)
{
	GThread *threads[8];
	const guint8 *table = NULL;

	for (guint i = 0; i < G_N_ELEMENTS(threads); i++)
		threads[i] = g_thread_new("scramble", rb_scramble_thread, NULL);
	for (guint i = 0; i < G_N_ELEMENTS(threads); i++) {
		const guint8 *t = g_thread_join(threads[i]);

		if (table == NULL)
			table = t;
		ck_assert_ptr_eq(t, table);
	}
	ck_assert_uint_eq(table[0], 0x01);
	ck_assert_uint_eq(table[1], 0x80);
}
END_TEST

START_TEST(test_sync_pattern)
{
	guint8 sector[RB_CD_MAIN_SIZE] = {0};

	/* silence is audio */
	ck_assert(!rb_scramble_has_sync(sector));
	rb_scramble_set_sync(sector);
	ck_assert_uint_eq(sector[0], 0x00);
	for (guint i = 1; i <= 10; i++)
		ck_assert_uint_eq(sector[i], 0xFF);
	ck_assert_uint_eq(sector[11], 0x00);
	ck_assert(rb_scramble_has_sync(sector));
	for (guint i = 0; i < RB_CD_SYNC_SIZE; i++) {
		sector[i] ^= 0x01;
		ck_assert(!rb_scramble_has_sync(sector));
		sector[i] ^= 0x01;
	}
	memset(sector, 0xFF, sizeof(sector));
	ck_assert(!rb_scramble_has_sync(sector));
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("subchannel");
	TCase *tc_q = tcase_create("q");
	TCase *tc_layout = tcase_create("layout");
	TCase *tc_scramble = tcase_create("scramble");

	tcase_add_test(tc_q, test_bcd_round_trip);
	tcase_add_test(tc_q, test_bcd_invalid);
	tcase_add_test(tc_q, test_crc_vectors);
	tcase_add_test(tc_q, test_crc_plain_and_corrupt);
	tcase_add_test(tc_q, test_crc_for_block_type);
	tcase_add_test(tc_q, test_subq_encode_vectors);
	tcase_add_test(tc_q, test_subq_round_trip);
	tcase_add_test(tc_q, test_subq_decode_invalid);
	tcase_add_test(tc_q, test_subq_encode_invalid);
	suite_add_tcase(suite, tc_q);

	tcase_add_test(tc_layout, test_sector_sizes);
	tcase_add_test(tc_layout, test_pw_layout);
	tcase_add_test(tc_layout, test_pw_first_bytes);
	tcase_add_test(tc_layout, test_pw_p_majority);
	tcase_add_test(tc_layout, test_pq_layout);
	tcase_add_test(tc_layout, test_subchannel_by_block_type);
	suite_add_tcase(suite, tc_layout);

	tcase_add_test(tc_scramble, test_scramble_table_start);
	tcase_add_test(tc_scramble, test_scramble_table_recurrence);
	tcase_add_test(tc_scramble, test_scramble_sector);
	tcase_add_test(tc_scramble, test_scramble_table_threads);
	tcase_add_test(tc_scramble, test_sync_pattern);
	suite_add_tcase(suite, tc_scramble);

	return rb_test_run_suite(suite);
}
