/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Sense decoding (fixed and descriptor format, progress, truncation) and
 * the sense -> RbError table with the retry class of each entry.
 */
#include "config.h"

#include <string.h>

#include "rb-mmc-sense.h"
#include "rb-test-fake-transport.h"
#include "rb-test-service.h"

START_TEST(test_sense_fixed)
{
	g_autoptr(GError) error = NULL;
	RbMmcSense sense;
	/* 02/3A/01, valid bit set in byte 0 */
	/* clang-format off */
	const guint8 data[18] = {
		0xF0, 0x00, 0x02, 0, 0, 0, 0, 0x0A, 0, 0, 0, 0, 0x3A, 0x01, 0, 0, 0, 0,
	};
	/* clang-format on */

	ck_assert(rb_mmc_sense_parse(data, sizeof(data), &sense, &error));
	ck_assert_ptr_null(error);
	ck_assert_uint_eq(sense.response_code, 0x70);
	ck_assert(!sense.descriptor_format);
	ck_assert(!sense.deferred);
	ck_assert_uint_eq(sense.key, 0x02);
	ck_assert_uint_eq(sense.asc, 0x3A);
	ck_assert_uint_eq(sense.ascq, 0x01);
	ck_assert(!sense.progress_valid);
}
END_TEST

START_TEST(test_sense_fixed_deferred_and_filemark_bits)
{
	RbMmcSense sense;
	/* 71h, and the filemark/EOM/ILI bits above the key are not the key */
	/* clang-format off */
	const guint8 data[18] = {
		0x71, 0x00, 0xE3, 0, 0, 0, 0, 0x0A, 0, 0, 0, 0, 0x0C, 0x09, 0, 0, 0, 0,
	};
	/* clang-format on */

	ck_assert(rb_mmc_sense_parse(data, sizeof(data), &sense, NULL));
	ck_assert(sense.deferred);
	ck_assert_uint_eq(sense.key, 0x03);
	ck_assert_uint_eq(sense.asc, 0x0C);
	ck_assert_uint_eq(sense.ascq, 0x09);
}
END_TEST

START_TEST(test_sense_fixed_progress)
{
	RbMmcSense sense;
	guint8 data[18];

	/* 02/04/08 at half way: SKSV, bytes 16-17 = 8000h */
	rb_test_fill_fixed_sense(data, 0x02, 0x04, 0x08, 0x8000);
	ck_assert(rb_mmc_sense_parse(data, sizeof(data), &sense, NULL));
	ck_assert(sense.progress_valid);
	ck_assert_uint_eq(sense.progress, 0x8000);

	/* without SKSV the bytes mean nothing */
	data[15] = 0x00;
	ck_assert(rb_mmc_sense_parse(data, sizeof(data), &sense, NULL));
	ck_assert(!sense.progress_valid);
	ck_assert_uint_eq(sense.progress, 0);

	/* ILLEGAL REQUEST with SKSV: a field pointer, not progress */
	rb_test_fill_fixed_sense(data, 0x05, 0x24, 0x00, 0xC001);
	ck_assert(rb_mmc_sense_parse(data, sizeof(data), &sense, NULL));
	ck_assert(!sense.progress_valid);
}
END_TEST

START_TEST(test_sense_fixed_short)
{
	g_autoptr(GError) error = NULL;
	RbMmcSense sense;
	guint8 data[18];

	/* additional length 0: only the key is meant, ASC/ASCQ are not there */
	rb_test_fill_fixed_sense(data, 0x06, 0x29, 0x00, 0x1234);
	data[7] = 0;
	ck_assert(rb_mmc_sense_parse(data, sizeof(data), &sense, NULL));
	ck_assert_uint_eq(sense.key, 0x06);
	ck_assert_uint_eq(sense.asc, 0);
	ck_assert_uint_eq(sense.ascq, 0);

	/* 14 bytes: ASC/ASCQ, no sense-key specific bytes */
	rb_test_fill_fixed_sense(data, 0x02, 0x04, 0x07, 0x4000);
	ck_assert(rb_mmc_sense_parse(data, 14, &sense, NULL));
	ck_assert_uint_eq(sense.asc, 0x04);
	ck_assert_uint_eq(sense.ascq, 0x07);
	ck_assert(!sense.progress_valid);

	/* too short for the key */
	ck_assert(!rb_mmc_sense_parse(data, 2, &sense, &error));
	rb_assert_error(error, RB_ERROR, RB_ERROR_INVALID_RESPONSE_FROM_DEVICE);
	ck_assert_ptr_nonnull(strstr(error->message, "truncated"));
}
END_TEST

START_TEST(test_sense_empty_and_unknown)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) error2 = NULL;
	RbMmcSense sense;
	const guint8 vendor[18] = {0x7F, 0x00, 0x02};

	ck_assert(!rb_mmc_sense_parse(NULL, 0, &sense, &error));
	rb_assert_error(error, RB_ERROR, RB_ERROR_INVALID_RESPONSE_FROM_DEVICE);
	ck_assert(!rb_mmc_sense_parse(vendor, sizeof(vendor), &sense, &error2));
	rb_assert_error(error2, RB_ERROR, RB_ERROR_INVALID_RESPONSE_FROM_DEVICE);
	ck_assert_ptr_nonnull(strstr(error2->message, "7Fh"));
}
END_TEST

START_TEST(test_sense_descriptor)
{
	g_autoptr(GError) error = NULL;
	RbMmcSense sense;
	/* 72h 02/04/07; an information descriptor (00h, 10 bytes), then the
	 * sense-key specific descriptor (02h) with SKSV and progress 4000h */
	/* clang-format off */
	const guint8 data[] = {
		0x72, 0x02, 0x04, 0x07, 0, 0, 0, 20,                    /* header */
		0x00, 0x0A, 0x80, 0, 0, 0, 0, 0, 0, 0, 0x12, 0x34,      /* information */
		0x02, 0x06, 0x00, 0x00, 0x80, 0x40, 0x00, 0x00,         /* SKS */
	};
	/* clang-format on */

	ck_assert(rb_mmc_sense_parse(data, sizeof(data), &sense, &error));
	ck_assert(sense.descriptor_format);
	ck_assert(!sense.deferred);
	ck_assert_uint_eq(sense.key, 0x02);
	ck_assert_uint_eq(sense.asc, 0x04);
	ck_assert_uint_eq(sense.ascq, 0x07);
	ck_assert(sense.progress_valid);
	ck_assert_uint_eq(sense.progress, 0x4000);
	ck_assert(sense.information_valid);
	ck_assert_int_eq(sense.information, 0x1234);
}
END_TEST

START_TEST(test_sense_descriptor_bounds)
{
	g_autoptr(GError) error = NULL;
	RbMmcSense sense;
	/* 73h; the SKS descriptor lies beyond the additional sense length */
	/* clang-format off */
	const guint8 outside[] = {
		0x73, 0x07, 0x27, 0x00, 0, 0, 0, 0,
		0x02, 0x06, 0, 0, 0x80, 0x40, 0, 0,
	};
	/* clang-format on */
	/* an SKS descriptor cut in half by the end of the transfer */
	const guint8 cut[] = {0x72, 0x02, 0x04, 0x08, 0, 0, 0, 8, 0x02, 0x06, 0, 0, 0x80};

	ck_assert(rb_mmc_sense_parse(outside, sizeof(outside), &sense, NULL));
	ck_assert(sense.deferred);
	ck_assert_uint_eq(sense.key, 0x07);
	ck_assert_uint_eq(sense.asc, 0x27);
	ck_assert(!sense.progress_valid);

	ck_assert(rb_mmc_sense_parse(cut, sizeof(cut), &sense, NULL));
	ck_assert_uint_eq(sense.ascq, 0x08);
	ck_assert(!sense.progress_valid);

	ck_assert(!rb_mmc_sense_parse(cut, 3, &sense, &error));
	rb_assert_error(error, RB_ERROR, RB_ERROR_INVALID_RESPONSE_FROM_DEVICE);
}
END_TEST

typedef struct {
	guint8 key;
	guint8 asc;
	guint8 ascq;
	guint8 opcode;
	RbError error;
	RbMmcSenseAction action;
} RbSenseCase;

/* the table of rb-mmc-sense.c, typed in again on purpose */
#define RB_CASE(key, asc, ascq, op, err, act)                                                      \
	{                                                                                          \
		key, asc, ascq, RB_MMC_##op, RB_ERROR_##err, RB_MMC_SENSE_ACTION_##act             \
	}

/* clang-format off */
static const RbSenseCase rb_sense_cases[] = {
	RB_CASE(0x02, 0x3A, 0x00, TEST_UNIT_READY, MEDIA_NO_MEDIA, FAIL),
	RB_CASE(0x02, 0x3A, 0x01, TEST_UNIT_READY, MEDIA_NO_MEDIA, FAIL),
	RB_CASE(0x02, 0x3A, 0x02, READ_DISC_INFORMATION, MEDIA_NO_MEDIA, FAIL),
	RB_CASE(0x02, 0x04, 0x00, TEST_UNIT_READY, MEDIA_BECOMING_READY, FAIL),
	RB_CASE(0x02, 0x04, 0x01, TEST_UNIT_READY, MEDIA_BECOMING_READY, FAIL),
	RB_CASE(0x02, 0x04, 0x02, TEST_UNIT_READY, UNEXPECTED_RESPONSE_FROM_DEVICE, FAIL),
	RB_CASE(0x02, 0x04, 0x04, TEST_UNIT_READY, MEDIA_BUSY, RETRY_BUSY),
	RB_CASE(0x02, 0x04, 0x07, SYNCHRONIZE_CACHE, MEDIA_BUSY, RETRY_BUSY),
	RB_CASE(0x02, 0x04, 0x08, WRITE_10, MEDIA_BUSY, RETRY_BUSY),
	RB_CASE(0x03, 0x0C, 0x09, WRITE_10, LOSS_OF_STREAMING, FAIL),
	RB_CASE(0x05, 0x0C, 0x09, WRITE_10, LOSS_OF_STREAMING, FAIL),
	RB_CASE(0x05, 0x21, 0x02, WRITE_10, LOSS_OF_STREAMING, FAIL),
	RB_CASE(0x03, 0x21, 0x02, WRITE_10, LOSS_OF_STREAMING, FAIL),
	/* medium errors while recording: the disc, the speed or the lens */
	RB_CASE(0x03, 0x0C, 0x00, WRITE_10, MEDIA_WRITE_FAILED, FAIL),
	RB_CASE(0x03, 0x0C, 0x07, WRITE_10, MEDIA_WRITE_FAILED, FAIL),
	RB_CASE(0x03, 0x09, 0x02, WRITE_10, MEDIA_WRITE_FAILED, FAIL),
	RB_CASE(0x03, 0x73, 0x03, WRITE_10, MEDIA_WRITE_FAILED, FAIL),
	RB_CASE(0x03, 0x0C, 0x00, SYNCHRONIZE_CACHE, MEDIA_WRITE_FAILED, FAIL),
	/* a medium error reading is not a failed recording */
	RB_CASE(0x03, 0x11, 0x00, READ_CD, UNEXPECTED_RESPONSE_FROM_DEVICE, FAIL),
	RB_CASE(0x05, 0x21, 0x00, WRITE_10, UNEXPECTED_RESPONSE_FROM_DEVICE, FAIL),
	RB_CASE(0x07, 0x27, 0x00, WRITE_10, MEDIA_WRITE_PROTECTED, FAIL),
	RB_CASE(0x07, 0x27, 0x05, BLANK, MEDIA_WRITE_PROTECTED, FAIL),
	RB_CASE(0x05, 0x27, 0x00, WRITE_10, MEDIA_WRITE_PROTECTED, FAIL),
	RB_CASE(0x05, 0x26, 0x00, MODE_SELECT_10, INVALID_MODE_PARAMETERS, FAIL),
	RB_CASE(0x05, 0x26, 0x01, MODE_SELECT_10, INVALID_MODE_PARAMETERS, FAIL),
	RB_CASE(0x05, 0x26, 0x02, MODE_SELECT_10, INVALID_MODE_PARAMETERS, FAIL),
	RB_CASE(0x05, 0x24, 0x00, MODE_SELECT_10, INVALID_MODE_PARAMETERS, FAIL),
	/* the same codes on other commands are our bug, not the parameters */
	RB_CASE(0x05, 0x26, 0x00, SEND_OPC_INFORMATION, UNEXPECTED_RESPONSE_FROM_DEVICE, FAIL),
	RB_CASE(0x05, 0x24, 0x00, WRITE_10, UNEXPECTED_RESPONSE_FROM_DEVICE, FAIL),
	RB_CASE(0x05, 0x24, 0x00, SET_CD_SPEED, MEDIA_SPEED_MISMATCH, FAIL),
	RB_CASE(0x05, 0x30, 0x00, WRITE_10, MEDIA_INCOMPATIBLE, FAIL),
	RB_CASE(0x05, 0x30, 0x05, MODE_SELECT_10, MEDIA_INCOMPATIBLE, FAIL),
	RB_CASE(0x02, 0x30, 0x00, TEST_UNIT_READY, MEDIA_INCOMPATIBLE, FAIL),
	RB_CASE(0x05, 0x63, 0x00, WRITE_10, NOT_ENOUGH_SPACE, FAIL),
	RB_CASE(0x05, 0x64, 0x00, WRITE_10, MEDIA_IS_NOT_SUPPORTED, FAIL),
	RB_CASE(0x06, 0x28, 0x00, TEST_UNIT_READY, MEDIA_BECOMING_READY, RETRY_ONCE),
	RB_CASE(0x06, 0x29, 0x00, TEST_UNIT_READY, UNEXPECTED_RESPONSE_FROM_DEVICE, RETRY_ONCE),
	RB_CASE(0x06, 0x29, 0x02, INQUIRY, UNEXPECTED_RESPONSE_FROM_DEVICE, RETRY_ONCE),
	RB_CASE(0x06, 0x2A, 0x01, WRITE_10, UNEXPECTED_RESPONSE_FROM_DEVICE, FAIL),
	RB_CASE(0x05, 0x2C, 0x00, WRITE_10, UNEXPECTED_RESPONSE_FROM_DEVICE, FAIL),
	RB_CASE(0x05, 0x20, 0x00, GET_PERFORMANCE, UNEXPECTED_RESPONSE_FROM_DEVICE, FAIL),
	RB_CASE(0x04, 0x08, 0x03, WRITE_10, RECORDER_HARDWARE_ERROR, FAIL),
	RB_CASE(0x04, 0x44, 0x00, TEST_UNIT_READY, RECORDER_HARDWARE_ERROR, FAIL),
	RB_CASE(0x0B, 0x00, 0x00, WRITE_10, UNEXPECTED_RESPONSE_FROM_DEVICE, FAIL),
	RB_CASE(0x00, 0x00, 0x00, TEST_UNIT_READY, UNEXPECTED_RESPONSE_FROM_DEVICE, FAIL),
	/* recovered: the command completed */
	RB_CASE(0x01, 0x17, 0x01, READ_CD, UNEXPECTED_RESPONSE_FROM_DEVICE, SUCCEED),
};
/* clang-format on */

START_TEST(test_sense_table)
{
	const RbSenseCase *c = &rb_sense_cases[_i];
	RbMmcSense sense = {
		.response_code = 0x70,
		.key = c->key,
		.asc = c->asc,
		.ascq = c->ascq,
	};

	ck_assert_msg(rb_mmc_sense_to_error_code(&sense, c->opcode) == c->error,
		      "%02X/%02X/%02X on %02Xh: got error %d, expected %d",
		      c->key,
		      c->asc,
		      c->ascq,
		      c->opcode,
		      rb_mmc_sense_to_error_code(&sense, c->opcode),
		      c->error);
	ck_assert_msg(rb_mmc_sense_get_action(&sense) == c->action,
		      "%02X/%02X/%02X: got action %d, expected %d",
		      c->key,
		      c->asc,
		      c->ascq,
		      rb_mmc_sense_get_action(&sense),
		      c->action);
}
END_TEST

START_TEST(test_sense_error_message)
{
	RbMmcSense sense = {.response_code = 0x70, .key = 0x02, .asc = 0x3A, .ascq = 0x01};
	RbMmcSense odd = {
		.response_code = 0x71, .deferred = TRUE, .key = 0x04, .asc = 0x99, .ascq = 0x42};
	g_autoptr(GError) error = rb_mmc_sense_to_error(&sense, RB_MMC_TEST_UNIT_READY);
	g_autoptr(GError) error2 = rb_mmc_sense_to_error(&odd, RB_MMC_WRITE_10);

	rb_assert_error(error, RB_ERROR, RB_ERROR_MEDIA_NO_MEDIA);
	/* the IMAPI HRESULT first, then what to do, then the drive's words */
	ck_assert(g_str_has_prefix(error->message, "0xC0AA0202: "));
	ck_assert_ptr_nonnull(strstr(error->message, "TEST UNIT READY"));
	ck_assert_ptr_nonnull(strstr(error->message, "02/3A/01"));
	ck_assert_ptr_nonnull(strstr(error->message, "medium not present - tray closed"));

	rb_assert_error(error2, RB_ERROR, RB_ERROR_RECORDER_HARDWARE_ERROR);
	ck_assert(g_str_has_prefix(error2->message, "0xC0AA06F2: "));
	ck_assert_ptr_nonnull(strstr(error2->message, "WRITE(10): sense 04/99/42, deferred)"));
}
END_TEST

/* a failed WRITE names the block the drive reported */
START_TEST(test_sense_error_message_information)
{
	RbMmcSense sense;
	guint8 data[18];
	g_autoptr(GError) error = NULL;

	/* 03/0C/00, VALID, INFORMATION = -150 (FF FF FF 6A) */
	rb_test_fill_fixed_sense(data, 0x03, 0x0C, 0x00, -1);
	data[0] |= 0x80;
	data[3] = 0xFF;
	data[4] = 0xFF;
	data[5] = 0xFF;
	data[6] = 0x6A;
	ck_assert(rb_mmc_sense_parse(data, sizeof(data), &sense, NULL));
	ck_assert(sense.information_valid);
	ck_assert_int_eq(sense.information, -150);
	error = rb_mmc_sense_to_error(&sense, RB_MMC_WRITE_10);
	rb_assert_error(error, RB_ERROR, RB_ERROR_MEDIA_WRITE_FAILED);
	ck_assert(g_str_has_prefix(error->message, "0xC0AA06F1: "));
	ck_assert_ptr_nonnull(strstr(error->message, "sense 03/0C/00, write error, at LBA -150)"));

	/* without VALID the field is not the drive's word */
	data[0] &= 0x7F;
	ck_assert(rb_mmc_sense_parse(data, sizeof(data), &sense, NULL));
	ck_assert(!sense.information_valid);
}
END_TEST

START_TEST(test_sense_describe)
{
	ck_assert_str_eq(rb_mmc_sense_describe(0x02, 0x3A, 0x00), "medium not present");
	ck_assert_str_eq(rb_mmc_sense_describe(0x02, 0x3A, 0x02), "medium not present - tray open");
	ck_assert_str_eq(rb_mmc_sense_describe(0x07, 0x27, 0x05), "write protected");
	ck_assert_str_eq(rb_mmc_sense_describe(0x03, 0x0C, 0x09),
			 "write error - loss of streaming");
	ck_assert_str_eq(rb_mmc_sense_describe(0x02, 0x04, 0x08),
			 "logical unit not ready, long write in progress");
	ck_assert_ptr_null(rb_mmc_sense_describe(0x05, 0x99, 0x00));
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("mmc-sense");
	TCase *tc = tcase_create("decode");
	TCase *tc_map = tcase_create("mapping");

	tcase_add_test(tc, test_sense_fixed);
	tcase_add_test(tc, test_sense_fixed_deferred_and_filemark_bits);
	tcase_add_test(tc, test_sense_fixed_progress);
	tcase_add_test(tc, test_sense_fixed_short);
	tcase_add_test(tc, test_sense_empty_and_unknown);
	tcase_add_test(tc, test_sense_descriptor);
	tcase_add_test(tc, test_sense_descriptor_bounds);
	suite_add_tcase(suite, tc);
	tcase_add_loop_test(tc_map, test_sense_table, 0, G_N_ELEMENTS(rb_sense_cases));
	tcase_add_test(tc_map, test_sense_error_message);
	tcase_add_test(tc_map, test_sense_error_message_information);
	tcase_add_test(tc_map, test_sense_describe);
	suite_add_tcase(suite, tc_map);
	return rb_test_run_suite(suite);
}
