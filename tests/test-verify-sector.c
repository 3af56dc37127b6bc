/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a reader gets back of a stream sector, with byte vectors: data
 * sectors descrambled (the ECMA-130 scrambler's first output bytes are 01
 * 80 00 60 00 28, Annex B), audio as sent even when it looks like a data
 * sector, the Q of each sector type with the 16-byte mode's regenerated
 * CRC, the digest of both and the CRC-32 check value.
 */
#include "config.h"

#include <check.h>
#include <string.h>

#include "rb-cd-sector.h"
#include "rb-scramble.h"
#include "rb-subchannel.h"
#include "rb-verify-sector.h"

#define RB_TEST_SECTOR_PW (RB_CD_MAIN_SIZE + RB_SUBCHANNEL_PW_SIZE)
#define RB_TEST_SECTOR_PQ (RB_CD_MAIN_SIZE + RB_SUBCHANNEL_PQ_SIZE)

/* a mode-1 Q at LBA 0 of track 1, control @ctl, its CRC inverted (Red Book) */
static void
rb_test_q(guint8 ctl, guint8 q[RB_SUBQ_SIZE])
{
	RbSubQ subq = {ctl, 1, 1, 1, {0, 0, 0}, {0, 2, 0}};

	ck_assert(rb_subq_encode(&subq, q, NULL));
}

/* sync + header, zeros: scrambled as a raw writer sends it, with a P-W Q */
static void
rb_test_data_sector(guint8 sector[RB_TEST_SECTOR_PW], guint8 ctl)
{
	guint8 q[RB_SUBQ_SIZE];

	memset(sector, 0, RB_TEST_SECTOR_PW);
	rb_scramble_set_sync(sector);
	rb_scramble_sector(sector);
	rb_test_q(ctl, q);
	rb_subchannel_pw_build(q, FALSE, sector + RB_CD_MAIN_SIZE);
}

START_TEST(test_crc32_check_value)
{
	/* the CRC-32 catalogue's check: "123456789" */
	ck_assert_uint_eq(rb_verify_crc32(0, (const guint8 *)"123456789", 9), 0xCBF43926u);
	/* in pieces, as the digest feeds it */
	ck_assert_uint_eq(rb_verify_crc32(rb_verify_crc32(0, (const guint8 *)"12345", 5),
					  (const guint8 *)"6789",
					  4),
			  0xCBF43926u);
}
END_TEST

START_TEST(test_data_sector_descrambled)
{
	guint8 sector[RB_TEST_SECTOR_PW];
	guint8 main[RB_CD_MAIN_SIZE];
	guint8 zero[RB_CD_MAIN_SIZE] = {0};
	guint8 q[RB_SUBQ_SIZE];
	const guint8 annex_b[] = {0x01, 0x80, 0x00, 0x60, 0x00, 0x28};

	rb_test_data_sector(sector, 0x4);
	/* the stream carries the scrambler's sequence over the zeros */
	ck_assert_mem_eq(sector + RB_CD_SYNC_SIZE, annex_b, sizeof(annex_b));
	ck_assert(rb_verify_sector_reader_view(3, sector, main, q));
	ck_assert(rb_scramble_has_sync(main));
	ck_assert_mem_eq(main + RB_CD_SYNC_SIZE, zero + RB_CD_SYNC_SIZE, RB_SCRAMBLE_SIZE);
	ck_assert_uint_eq(q[0], 0x41);
}
END_TEST

/* a sync pattern in an audio track is audio: drives return it as is */
START_TEST(test_audio_with_sync_kept)
{
	guint8 sector[RB_TEST_SECTOR_PW];
	guint8 main[RB_CD_MAIN_SIZE];
	guint8 q[RB_SUBQ_SIZE];

	rb_test_data_sector(sector, 0x0);
	ck_assert(rb_verify_sector_reader_view(2, sector, main, q));
	ck_assert_mem_eq(main, sector, RB_CD_MAIN_SIZE);
	ck_assert(!rb_verify_sector_is_data(main, q));
}
END_TEST

/* 16-byte mode: the plain CRC cdrdao sends is recorded inverted */
START_TEST(test_pq_crc_regenerated)
{
	guint8 sector[RB_TEST_SECTOR_PQ] = {0};
	guint8 q[RB_SUBQ_SIZE];
	guint8 sent[RB_SUBQ_SIZE];
	guint8 main[RB_CD_MAIN_SIZE];
	guint8 got[RB_SUBQ_SIZE];

	rb_test_q(0x0, q);
	memcpy(sent, q, sizeof(q));
	sent[10] ^= 0xFF;
	sent[11] ^= 0xFF;
	ck_assert(rb_subq_check_crc_uninverted(sent));
	rb_subchannel_pq_build(sent, FALSE, sector + RB_CD_MAIN_SIZE);
	ck_assert(rb_verify_sector_reader_view(1, sector, main, got));
	ck_assert_mem_eq(got, q, RB_SUBQ_SIZE);
	/* in the 96-byte modes it goes to disc as sent */
	{
		guint8 pw[RB_TEST_SECTOR_PW] = {0};

		rb_subchannel_pw_build(sent, FALSE, pw + RB_CD_MAIN_SIZE);
		ck_assert(rb_verify_sector_reader_view(3, pw, main, got));
		ck_assert_mem_eq(got, sent, RB_SUBQ_SIZE);
	}
	ck_assert(!rb_verify_sector_reader_view(4, sector, main, got));
}
END_TEST

START_TEST(test_digest)
{
	guint8 sector[RB_TEST_SECTOR_PW];
	guint8 main[RB_CD_MAIN_SIZE];
	guint8 q[RB_SUBQ_SIZE];
	RbVerifyDigest digest;
	RbVerifyDigest other;

	rb_test_data_sector(sector, 0x4);
	ck_assert(rb_verify_sector_digest(3, sector, &digest));
	ck_assert(rb_verify_sector_reader_view(3, sector, main, q));
	/* of what the reader gets, not of the scrambled stream */
	ck_assert_uint_eq(digest.main_crc, rb_verify_crc32(0, main, RB_CD_MAIN_SIZE));
	ck_assert_uint_ne(digest.main_crc, rb_verify_crc32(0, sector, RB_CD_MAIN_SIZE));
	ck_assert_mem_eq(digest.q, q, RB_SUBQ_SIZE);
	/* one flipped byte changes it */
	sector[1000] ^= 0x01;
	ck_assert(rb_verify_sector_digest(3, sector, &other));
	ck_assert_uint_ne(digest.main_crc, other.main_crc);
}
END_TEST

START_TEST(test_first_difference_and_leadout)
{
	guint8 a[64] = {0};
	guint8 b[64] = {0};
	guint8 q[RB_SUBQ_SIZE];
	RbSubQ leadout = {0, 1, RB_SUBQ_TNO_LEADOUT, 1, {0, 0, 0}, {60, 0, 0}};

	ck_assert_int_eq(rb_verify_first_difference(a, b, sizeof(a)), -1);
	b[17] = 1;
	ck_assert_int_eq(rb_verify_first_difference(a, b, sizeof(a)), 17);
	ck_assert(rb_subq_encode(&leadout, q, NULL));
	ck_assert(rb_verify_sector_is_leadout(q));
	rb_test_q(0, q);
	ck_assert(!rb_verify_sector_is_leadout(q));
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("verify-sector");
	TCase *tc = tcase_create("units");
	SRunner *runner;
	gint failed;

	tcase_add_test(tc, test_crc32_check_value);
	tcase_add_test(tc, test_data_sector_descrambled);
	tcase_add_test(tc, test_audio_with_sync_kept);
	tcase_add_test(tc, test_pq_crc_regenerated);
	tcase_add_test(tc, test_digest);
	tcase_add_test(tc, test_first_difference_and_leadout);
	suite_add_tcase(suite, tc);
	runner = srunner_create(suite);
	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed == 0 ? 0 : 1;
}
