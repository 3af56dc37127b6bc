/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The CDB encoders against CDBs written out by hand from the field tables
 * in mmc-notes.md, and the speed and sector-size conversions.
 */
#include "config.h"

#include "rb-mmc-cdb.h"
#include "rb-test-service.h"

static void
rb_assert_cdb(const RbMmcCdb *cdb, const guint8 *expected, gsize len)
{
	ck_assert_uint_eq(cdb->len, len);
	for (gsize i = 0; i < RB_MMC_CDB_MAX; i++) {
		guint8 want = i < len ? expected[i] : 0;
		ck_assert_msg(cdb->bytes[i] == want,
			      "CDB %02Xh byte %" G_GSIZE_FORMAT ": got %02Xh, expected %02Xh",
			      cdb->bytes[0],
			      i,
			      cdb->bytes[i],
			      want);
	}
}

#define RB_ASSERT_CDB(cdb, ...)                                                                    \
	do {                                                                                       \
		static const guint8 expected_[] = {__VA_ARGS__};                                   \
		rb_assert_cdb((cdb), expected_, sizeof(expected_));                                \
	} while (0)

START_TEST(test_cdb_identity)
{
	RbMmcCdb cdb;

	rb_mmc_cdb_test_unit_ready(&cdb);
	RB_ASSERT_CDB(&cdb, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00);
	rb_mmc_cdb_request_sense(&cdb, 18);
	RB_ASSERT_CDB(&cdb, 0x03, 0x00, 0x00, 0x00, 0x12, 0x00);
	rb_mmc_cdb_inquiry(&cdb, 36);
	RB_ASSERT_CDB(&cdb, 0x12, 0x00, 0x00, 0x00, 0x24, 0x00);
}
END_TEST

START_TEST(test_cdb_get_configuration)
{
	RbMmcCdb cdb;

	rb_mmc_cdb_get_configuration(&cdb, RB_MMC_RT_ONE, 0x002E, 264);
	RB_ASSERT_CDB(&cdb, 0x46, 0x02, 0x00, 0x2E, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00);
	rb_mmc_cdb_get_configuration(&cdb, RB_MMC_RT_ALL, 0x0000, 1024);
	RB_ASSERT_CDB(&cdb, 0x46, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00);
	rb_mmc_cdb_get_configuration(&cdb, RB_MMC_RT_CURRENT, 0x1234, 0xFFF8);
	RB_ASSERT_CDB(&cdb, 0x46, 0x01, 0x12, 0x34, 0x00, 0x00, 0x00, 0xFF, 0xF8, 0x00);
}
END_TEST

START_TEST(test_cdb_disc_and_track)
{
	RbMmcCdb cdb;

	rb_mmc_cdb_read_disc_information(&cdb, 34);
	RB_ASSERT_CDB(&cdb, 0x51, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x22, 0x00);
	rb_mmc_cdb_read_track_information(&cdb, RB_MMC_TRACK_ADDRESS_TRACK, 0xFF, 36);
	RB_ASSERT_CDB(&cdb, 0x52, 0x01, 0x00, 0x00, 0x00, 0xFF, 0x00, 0x00, 0x24, 0x00);
	rb_mmc_cdb_read_track_information(&cdb, RB_MMC_TRACK_ADDRESS_LBA, 0x00ABCDEF, 48);
	RB_ASSERT_CDB(&cdb, 0x52, 0x00, 0x00, 0xAB, 0xCD, 0xEF, 0x00, 0x00, 0x30, 0x00);
}
END_TEST

START_TEST(test_cdb_read_toc)
{
	RbMmcCdb cdb;

	rb_mmc_cdb_read_toc(&cdb, RB_MMC_TOC_FORMAT_TOC, FALSE, 0, 804);
	RB_ASSERT_CDB(&cdb, 0x43, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x24, 0x00);
	rb_mmc_cdb_read_toc(&cdb, RB_MMC_TOC_FORMAT_SESSION_INFO, FALSE, 0, 12);
	RB_ASSERT_CDB(&cdb, 0x43, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0C, 0x00);
	rb_mmc_cdb_read_toc(&cdb, RB_MMC_TOC_FORMAT_FULL_TOC, TRUE, 1, 1104);
	RB_ASSERT_CDB(&cdb, 0x43, 0x02, 0x02, 0x00, 0x00, 0x00, 0x01, 0x04, 0x50, 0x00);
	rb_mmc_cdb_read_toc(&cdb, RB_MMC_TOC_FORMAT_ATIP, FALSE, 0, 28);
	RB_ASSERT_CDB(&cdb, 0x43, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x1C, 0x00);
}
END_TEST

START_TEST(test_cdb_mode)
{
	RbMmcCdb cdb;

	rb_mmc_cdb_mode_sense_10(&cdb, RB_MMC_PC_CURRENT, 0x05, 512);
	RB_ASSERT_CDB(&cdb, 0x5A, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00);
	/* PC 01b in bits 7-6 of byte 2 */
	rb_mmc_cdb_mode_sense_10(&cdb, RB_MMC_PC_CHANGEABLE, 0x2A, 255);
	RB_ASSERT_CDB(&cdb, 0x5A, 0x00, 0x6A, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0x00);
	rb_mmc_cdb_mode_sense_10(&cdb, RB_MMC_PC_SAVED, 0x05, 60);
	RB_ASSERT_CDB(&cdb, 0x5A, 0x00, 0xC5, 0x00, 0x00, 0x00, 0x00, 0x00, 0x3C, 0x00);
	/* PF=1, SP=0 */
	rb_mmc_cdb_mode_select_10(&cdb, 60);
	RB_ASSERT_CDB(&cdb, 0x55, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x3C, 0x00);
}
END_TEST

START_TEST(test_cdb_speed)
{
	RbMmcCdb cdb;

	rb_mmc_cdb_get_performance_write_speed(&cdb, 32);
	RB_ASSERT_CDB(&cdb, 0xAC, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x20, 0x03, 0x00);
	/* 40x as host tools send it: 40 * 177 = 7080 = 1BA8h */
	rb_mmc_cdb_set_cd_speed(&cdb, RB_MMC_ROTATION_CLV, RB_MMC_SPEED_MAX, 7080);
	RB_ASSERT_CDB(&cdb, 0xBB, 0x00, 0xFF, 0xFF, 0x1B, 0xA8, 0, 0, 0, 0, 0, 0);
	rb_mmc_cdb_set_cd_speed(&cdb, RB_MMC_ROTATION_PURE_CAV, 0x1234, RB_MMC_SPEED_MAX);
	RB_ASSERT_CDB(&cdb, 0xBB, 0x01, 0x12, 0x34, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0);
	rb_mmc_cdb_send_opc_information(&cdb, TRUE);
	RB_ASSERT_CDB(&cdb, 0x54, 0x01, 0, 0, 0, 0, 0, 0, 0, 0);
	rb_mmc_cdb_send_opc_information(&cdb, FALSE);
	RB_ASSERT_CDB(&cdb, 0x54, 0x00, 0, 0, 0, 0, 0, 0, 0, 0);
}
END_TEST

START_TEST(test_cdb_mechanics)
{
	RbMmcCdb cdb;

	rb_mmc_cdb_prevent_allow_medium_removal(&cdb, TRUE);
	RB_ASSERT_CDB(&cdb, 0x1E, 0x00, 0x00, 0x00, 0x01, 0x00);
	rb_mmc_cdb_prevent_allow_medium_removal(&cdb, FALSE);
	RB_ASSERT_CDB(&cdb, 0x1E, 0x00, 0x00, 0x00, 0x00, 0x00);
	/* eject: LoEj=1 Start=0 */
	rb_mmc_cdb_start_stop_unit(&cdb, FALSE, TRUE, FALSE);
	RB_ASSERT_CDB(&cdb, 0x1B, 0x00, 0x00, 0x00, 0x02, 0x00);
	/* load: LoEj=1 Start=1 */
	rb_mmc_cdb_start_stop_unit(&cdb, TRUE, TRUE, FALSE);
	RB_ASSERT_CDB(&cdb, 0x1B, 0x00, 0x00, 0x00, 0x03, 0x00);
	rb_mmc_cdb_start_stop_unit(&cdb, FALSE, FALSE, TRUE);
	RB_ASSERT_CDB(&cdb, 0x1B, 0x01, 0x00, 0x00, 0x00, 0x00);
	ck_assert(rb_mmc_cdb_get_immed(&cdb));
}
END_TEST

START_TEST(test_cdb_write_10)
{
	RbMmcCdb cdb;

	/* the cookbook's example: -150 = FF FF FF 6A */
	rb_mmc_cdb_write_10(&cdb, -150, 26);
	RB_ASSERT_CDB(&cdb, 0x2A, 0x00, 0xFF, 0xFF, 0xFF, 0x6A, 0x00, 0x00, 0x1A, 0x00);
	/* the ATIP lead-in start 97:34:23: -11077 = FFFFD4BBh */
	rb_mmc_cdb_write_10(&cdb, -11077, 27);
	RB_ASSERT_CDB(&cdb, 0x2A, 0x00, 0xFF, 0xFF, 0xD4, 0xBB, 0x00, 0x00, 0x1B, 0x00);
	/* libburn's typical lead-in start -11635 = FF FF D2 8D */
	rb_mmc_cdb_write_10(&cdb, -11635, 13);
	RB_ASSERT_CDB(&cdb, 0x2A, 0x00, 0xFF, 0xFF, 0xD2, 0x8D, 0x00, 0x00, 0x0D, 0x00);
	rb_mmc_cdb_write_10(&cdb, 0x12345, 0x0102);
	RB_ASSERT_CDB(&cdb, 0x2A, 0x00, 0x00, 0x01, 0x23, 0x45, 0x00, 0x01, 0x02, 0x00);
	rb_mmc_cdb_write_10(&cdb, -1, 1);
	RB_ASSERT_CDB(&cdb, 0x2A, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x01, 0x00);
}
END_TEST

START_TEST(test_cdb_finish_and_buffer)
{
	RbMmcCdb cdb;

	rb_mmc_cdb_synchronize_cache(&cdb, TRUE);
	RB_ASSERT_CDB(&cdb, 0x35, 0x02, 0, 0, 0, 0, 0, 0, 0, 0);
	ck_assert(rb_mmc_cdb_get_immed(&cdb));
	rb_mmc_cdb_synchronize_cache(&cdb, FALSE);
	RB_ASSERT_CDB(&cdb, 0x35, 0x00, 0, 0, 0, 0, 0, 0, 0, 0);
	ck_assert(!rb_mmc_cdb_get_immed(&cdb));
	rb_mmc_cdb_read_buffer_capacity(&cdb, 12);
	RB_ASSERT_CDB(&cdb, 0x5C, 0x00, 0, 0, 0, 0, 0, 0x00, 0x0C, 0x00);
	rb_mmc_cdb_blank(&cdb, RB_MMC_BLANK_MINIMAL, 0, TRUE);
	RB_ASSERT_CDB(&cdb, 0xA1, 0x11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	ck_assert(rb_mmc_cdb_get_immed(&cdb));
	rb_mmc_cdb_blank(&cdb, RB_MMC_BLANK_FULL, 0x01020304, FALSE);
	RB_ASSERT_CDB(&cdb, 0xA1, 0x00, 0x01, 0x02, 0x03, 0x04, 0, 0, 0, 0, 0, 0);
	ck_assert(!rb_mmc_cdb_get_immed(&cdb));
}
END_TEST

START_TEST(test_cdb_read_cd)
{
	RbMmcCdb cdb;

	/* CD-DA, 2 sectors from LBA 16, everything of the main channel, raw P-W */
	rb_mmc_cdb_read_cd(&cdb,
			   RB_MMC_READ_CD_TYPE_CDDA,
			   16,
			   2,
			   RB_MMC_READ_CD_MAIN_RAW,
			   RB_MMC_READ_CD_SUB_RAW_PW);
	RB_ASSERT_CDB(&cdb, 0xBE, 0x04, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x02, 0xF8, 0x01, 0x00);
	/* a 24-bit length and a lead-in address */
	rb_mmc_cdb_read_cd(&cdb,
			   RB_MMC_READ_CD_TYPE_ANY,
			   -150,
			   0x010203,
			   RB_MMC_READ_CD_USER_DATA,
			   RB_MMC_READ_CD_SUB_NONE);
	RB_ASSERT_CDB(&cdb, 0xBE, 0x00, 0xFF, 0xFF, 0xFF, 0x6A, 0x01, 0x02, 0x03, 0x10, 0x00, 0x00);
	ck_assert_uint_eq(RB_MMC_READ_CD_SYNC | RB_MMC_READ_CD_HEADERS_ALL |
				  RB_MMC_READ_CD_USER_DATA | RB_MMC_READ_CD_EDC_ECC,
			  RB_MMC_READ_CD_MAIN_RAW);
}
END_TEST

START_TEST(test_cdb_reuse_clears)
{
	RbMmcCdb cdb;

	/* a short CDB after a long one leaves no stale bytes behind */
	rb_mmc_cdb_read_cd(&cdb, 1, -1, 0xFFFFFF, 0xFF, 0x07);
	rb_mmc_cdb_test_unit_ready(&cdb);
	RB_ASSERT_CDB(&cdb, 0, 0, 0, 0, 0, 0);
}
END_TEST

START_TEST(test_opcode_names)
{
	ck_assert_str_eq(rb_mmc_opcode_to_string(RB_MMC_WRITE_10), "WRITE(10)");
	ck_assert_str_eq(rb_mmc_opcode_to_string(RB_MMC_MODE_SELECT_10), "MODE SELECT(10)");
	ck_assert_str_eq(rb_mmc_opcode_to_string(RB_MMC_READ_TOC_PMA_ATIP), "READ TOC/PMA/ATIP");
	ck_assert_str_eq(rb_mmc_opcode_to_string(0xFF), "SCSI command");
}
END_TEST

START_TEST(test_speed_conversions)
{
	/* 1x = 75 sectors/s = 176.4 kB/s, kB = 1000 bytes */
	ck_assert_uint_eq(rb_mmc_speed_kbps_to_sectors(176), 75);
	ck_assert_uint_eq(rb_mmc_speed_kbps_to_sectors(177), 75);
	ck_assert_uint_eq(rb_mmc_speed_kbps_to_sectors(1764), 750);
	ck_assert_uint_eq(rb_mmc_speed_kbps_to_sectors(7056), 3000);
	ck_assert_uint_eq(rb_mmc_speed_kbps_to_sectors(8467), 3600);
	ck_assert_uint_eq(rb_mmc_speed_kbps_to_sectors(0), 0);
	ck_assert_uint_eq(rb_mmc_speed_kbps_to_sectors(0xFFFF), 27864);

	/* x * 177 for SET CD SPEED */
	ck_assert_uint_eq(rb_mmc_speed_sectors_to_kbps(75), 177);
	ck_assert_uint_eq(rb_mmc_speed_sectors_to_kbps(150), 354);
	ck_assert_uint_eq(rb_mmc_speed_sectors_to_kbps(3000), 7080);
	ck_assert_uint_eq(rb_mmc_speed_sectors_to_kbps(3600), 8496);
	/* not a whole x: rounded up, so that a rounding-down drive lands on it */
	ck_assert_uint_eq(rb_mmc_speed_sectors_to_kbps(100), 236);
	ck_assert_uint_eq(rb_mmc_speed_sectors_to_kbps(101), 239);
	/* fastest */
	ck_assert_uint_eq(rb_mmc_speed_sectors_to_kbps(-1), 0xFFFF);
	ck_assert_uint_eq(rb_mmc_speed_sectors_to_kbps(0), 0xFFFF);
	/* never FFFFh by accident */
	ck_assert_uint_eq(rb_mmc_speed_sectors_to_kbps(G_MAXINT), 0xFFFE);

	/* what is set is never below the speed asked for, for any speed a
	 * client may ask: a drive rounding down still reaches it */
	for (gint sectors = 1; sectors <= 75 * 56; sectors++) {
		guint kbps = rb_mmc_speed_sectors_to_kbps(sectors);
		ck_assert_uint_ge((guint64)kbps * 1000, (guint64)sectors * 2352);
	}
}
END_TEST

START_TEST(test_sector_sizes)
{
	ck_assert_uint_eq(rb_mmc_dbt_sector_size(RB_MMC_DBT_RAW_PQ), 2368);
	ck_assert_uint_eq(rb_mmc_dbt_sector_size(RB_MMC_DBT_RAW_PW_PACKED), 2448);
	ck_assert_uint_eq(rb_mmc_dbt_sector_size(RB_MMC_DBT_RAW_PW), 2448);
	ck_assert_uint_eq(rb_mmc_dbt_sector_size(0), 2352);
	ck_assert_uint_eq(rb_mmc_dbt_sector_size(8), 2048);
	ck_assert_uint_eq(rb_mmc_dbt_sector_size(9), 2336);
	ck_assert_uint_eq(rb_mmc_dbt_sector_size(13), 2332);
	ck_assert_uint_eq(rb_mmc_dbt_sector_size(4), 0);
	ck_assert_uint_eq(rb_mmc_dbt_sector_size(7), 0);
	ck_assert_uint_eq(rb_mmc_dbt_sector_size(15), 0);

	ck_assert_uint_eq(rb_mmc_dbt_to_imapi_sector_type(1), 1);
	ck_assert_uint_eq(rb_mmc_dbt_to_imapi_sector_type(2), 2);
	ck_assert_uint_eq(rb_mmc_dbt_to_imapi_sector_type(3), 3);
	ck_assert_uint_eq(rb_mmc_dbt_to_imapi_sector_type(0), 0);
	ck_assert_uint_eq(rb_mmc_dbt_to_imapi_sector_type(8), 0);
	ck_assert_uint_eq(rb_mmc_imapi_sector_type_to_dbt(1), RB_MMC_DBT_RAW_PQ);
	ck_assert_uint_eq(rb_mmc_imapi_sector_type_to_dbt(2), RB_MMC_DBT_RAW_PW_PACKED);
	ck_assert_uint_eq(rb_mmc_imapi_sector_type_to_dbt(3), RB_MMC_DBT_RAW_PW);
	ck_assert_uint_eq(rb_mmc_imapi_sector_type_to_dbt(0), RB_MMC_DBT_NONE);
	ck_assert_uint_eq(rb_mmc_imapi_sector_type_to_dbt(4), RB_MMC_DBT_NONE);
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("mmc-cdb");
	TCase *tc = tcase_create("encoders");
	TCase *tc_units = tcase_create("units");

	tcase_add_test(tc, test_cdb_identity);
	tcase_add_test(tc, test_cdb_get_configuration);
	tcase_add_test(tc, test_cdb_disc_and_track);
	tcase_add_test(tc, test_cdb_read_toc);
	tcase_add_test(tc, test_cdb_mode);
	tcase_add_test(tc, test_cdb_speed);
	tcase_add_test(tc, test_cdb_mechanics);
	tcase_add_test(tc, test_cdb_write_10);
	tcase_add_test(tc, test_cdb_finish_and_buffer);
	tcase_add_test(tc, test_cdb_read_cd);
	tcase_add_test(tc, test_cdb_reuse_clears);
	tcase_add_test(tc, test_opcode_names);
	suite_add_tcase(suite, tc);
	tcase_add_test(tc_units, test_speed_conversions);
	tcase_add_test(tc_units, test_sector_sizes);
	suite_add_tcase(suite, tc_units);
	return rb_test_run_suite(suite);
}
