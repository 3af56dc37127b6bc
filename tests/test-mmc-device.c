/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The typed MMC calls end to end against the scripted transport: the CDB,
 * direction, transfer length and timeout each call sends, the data it
 * sends, and how it reads replies of unknown size.
 */
#include "config.h"

#include <string.h>

#include "rb-mmc-device.h"
#include "rb-test-fake-transport.h"
#include "rb-test-service.h"

static RbTestFakeTransport *rb_fake;

static void
rb_setup(void)
{
	rb_fake = rb_test_fake_transport_new();
}

static void
rb_teardown(void)
{
	g_clear_object(&rb_fake);
}

static RbMmcTransport *
rb_transport(void)
{
	return RB_MMC_TRANSPORT(rb_fake);
}

static void
rb_assert_command(guint i,
		  const guint8 *cdb,
		  gsize cdb_len,
		  RbMmcDirection direction,
		  gsize buffer_len,
		  guint timeout_ms)
{
	const RbTestFakeCommand *c = rb_test_fake_transport_get_command(rb_fake, i);

	ck_assert_uint_eq(c->cdb_len, cdb_len);
	ck_assert_mem_eq(c->cdb, cdb, cdb_len);
	ck_assert_uint_eq(c->direction, direction);
	ck_assert_uint_eq(c->buffer_len, buffer_len);
	ck_assert_uint_eq(c->timeout_ms, timeout_ms);
}

#define RB_ASSERT_COMMAND(i, direction, buffer_len, timeout_ms, ...)                               \
	do {                                                                                       \
		static const guint8 cdb_[] = {__VA_ARGS__};                                        \
		rb_assert_command(                                                                 \
			(i), cdb_, sizeof(cdb_), (direction), (buffer_len), (timeout_ms));         \
	} while (0)

/* clang-format off */
static const guint8 rb_inquiry_reply[36] = {
	0x05, 0x80, 0x00, 0x32, 0x1F, 0, 0, 0,
	'R', 'A', 'W', 'B', 'U', 'R', 'N', ' ',
	'V', 'i', 'r', 't', 'u', 'a', 'l', ' ', 'C', 'D', '-', 'R', 'W', ' ', ' ', ' ',
	'0', '.', '1', ' ',
};
/* clang-format on */

START_TEST(test_inquiry)
{
	g_autoptr(GError) error = NULL;
	RbMmcInquiry inquiry;

	rb_test_fake_transport_push_good(rb_fake, rb_inquiry_reply, sizeof(rb_inquiry_reply));
	ck_assert(rb_mmc_inquiry(rb_transport(), &inquiry, &error));
	RB_ASSERT_COMMAND(0, RB_MMC_DIR_IN, 36, 30000, 0x12, 0x00, 0x00, 0x00, 0x24, 0x00);
	ck_assert_str_eq(inquiry.vendor, "RAWBURN");
	ck_assert_str_eq(inquiry.product, "Virtual CD-RW");
	ck_assert_str_eq(inquiry.revision, "0.1");
}
END_TEST

START_TEST(test_inquiry_short_transfer)
{
	g_autoptr(GError) error = NULL;
	RbMmcInquiry inquiry;

	/* 30 of 36 bytes: the residual makes the reply short, not zeros */
	rb_test_fake_transport_push_good(rb_fake, rb_inquiry_reply, 30);
	ck_assert(!rb_mmc_inquiry(rb_transport(), &inquiry, &error));
	rb_assert_error(error, RB_ERROR, RB_ERROR_INVALID_RESPONSE_FROM_DEVICE);
	ck_assert_ptr_nonnull(strstr(error->message, "30 bytes"));
}
END_TEST

START_TEST(test_test_unit_ready_and_sense)
{
	g_autoptr(GError) error = NULL;
	RbMmcSense sense;
	guint8 reply[18];

	rb_test_fake_transport_push_check(rb_fake, 0x02, 0x3A, 0x01);
	ck_assert(!rb_mmc_test_unit_ready(rb_transport(), &error));
	rb_assert_error(error, RB_ERROR, RB_ERROR_MEDIA_NO_MEDIA);
	RB_ASSERT_COMMAND(0, RB_MMC_DIR_NONE, 0, 30000, 0, 0, 0, 0, 0, 0);

	rb_test_fill_fixed_sense(reply, 0x02, 0x04, 0x07, 0x1000);
	rb_test_fake_transport_push_good(rb_fake, reply, sizeof(reply));
	ck_assert(rb_mmc_request_sense(rb_transport(), &sense, NULL));
	RB_ASSERT_COMMAND(1, RB_MMC_DIR_IN, 32, 30000, 0x03, 0, 0, 0, 0x20, 0);
	ck_assert_uint_eq(sense.asc, 0x04);
	ck_assert(sense.progress_valid);
	ck_assert_uint_eq(sense.progress, 0x1000);
}
END_TEST

/* a configuration of 1296 bytes: 002Eh and five 256-byte vendor features */
static GByteArray *
rb_make_big_configuration(void)
{
	GByteArray *reply = g_byte_array_new();
	/* clang-format off */
	static const guint8 head[] = {
		0x00, 0x00, 0x05, 0x0C, 0x00, 0x00, 0x00, 0x09,
		0x00, 0x2E, 0x01, 0x04, 0x48, 0x00, 0x00, 0x00,
	};
	/* clang-format on */

	g_byte_array_append(reply, head, sizeof(head));
	for (guint i = 0; i < 5; i++) {
		guint8 feature[256] = {0xFF, (guint8)i, 0x00, 252};
		g_byte_array_append(reply, feature, sizeof(feature));
	}
	g_assert(reply->len == 1296);
	return reply;
}

START_TEST(test_get_configuration_grows)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GByteArray) reply = rb_make_big_configuration();
	g_autoptr(RbMmcConfiguration) config = NULL;
	RbMmcFeatureCdMastering mastering;

	/* the first answer fills the 1024 bytes asked for and announces more */
	rb_test_fake_transport_push_good(rb_fake, reply->data, reply->len);
	rb_test_fake_transport_push_good(rb_fake, reply->data, reply->len);
	config = rb_mmc_get_configuration(rb_transport(), RB_MMC_RT_ALL, 0, &error);
	ck_assert_ptr_nonnull(config);
	RB_ASSERT_COMMAND(0, RB_MMC_DIR_IN, 1024, 30000, 0x46, 0x00, 0, 0, 0, 0, 0, 0x04, 0x00, 0);
	RB_ASSERT_COMMAND(1, RB_MMC_DIR_IN, 1296, 30000, 0x46, 0x00, 0, 0, 0, 0, 0, 0x05, 0x10, 0);
	ck_assert_uint_eq(config->features->len, 6);
	ck_assert(rb_mmc_feature_parse_cd_mastering(
		rb_mmc_configuration_get_feature(config, RB_MMC_FEATURE_CD_MASTERING),
		&mastering,
		NULL));
	ck_assert(mastering.buf);
	ck_assert(mastering.raw);
}
END_TEST

START_TEST(test_get_configuration_one_feature)
{
	g_autoptr(RbMmcConfiguration) config = NULL;
	/* clang-format off */
	static const guint8 reply[] = {
		0x00, 0x00, 0x00, 0x0C, 0x00, 0x00, 0x00, 0x0A,
		0x00, 0x2E, 0x01, 0x04, 0x08, 0x00, 0x00, 0x00,
	};
	/* clang-format on */

	/* a short answer is complete: no second command */
	rb_test_fake_transport_push_good(rb_fake, reply, sizeof(reply));
	config = rb_mmc_get_configuration(rb_transport(), RB_MMC_RT_ONE, 0x002E, NULL);
	ck_assert_ptr_nonnull(config);
	ck_assert_uint_eq(rb_test_fake_transport_get_n_commands(rb_fake), 1);
	RB_ASSERT_COMMAND(
		0, RB_MMC_DIR_IN, 1024, 30000, 0x46, 0x02, 0x00, 0x2E, 0, 0, 0, 0x04, 0x00, 0);
	ck_assert_uint_eq(config->current_profile, RB_MMC_PROFILE_CD_RW);
}
END_TEST

START_TEST(test_disc_track_toc)
{
	g_autoptr(RbMmcToc) toc = NULL;
	g_autoptr(RbMmcFullToc) full = NULL;
	RbMmcDiscInfo disc;
	RbMmcTrackInfo track;
	RbMmcSessionInfo session;
	RbMmcAtip atip;
	/* clang-format off */
	static const guint8 disc_reply[34] = {
		0x00, 0x20, 0x00, 0x01, 0x01, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x61, 0x22, 0x17, 0x00, 0x4F, 0x3B, 0x4A,
	};
	static const guint8 track_reply[36] = {
		0x00, 0x22, 0x01, 0x01, 0x00, 0x00, 0x40, 0x01, 0xFF, 0xFF, 0xD4, 0xBB,
		0xFF, 0xFF, 0xFF, 0x6A, 0x00, 0x05, 0x7E, 0x41,
	};
	static const guint8 toc_reply[12] = {
		0x00, 0x0A, 0x01, 0x01, 0x00, 0x10, 0xAA, 0x00, 0x00, 0x00, 0x08, 0xCA,
	};
	static const guint8 session_reply[12] = {
		0x00, 0x0A, 0x01, 0x01, 0x00, 0x10, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
	};
	static const guint8 full_reply[15] = {
		0x00, 0x0D, 0x01, 0x01, 0x01, 0x10, 0x00, 0xA0, 0, 0, 0, 0, 0x01, 0x00, 0x00,
	};
	static const guint8 atip_reply[28] = {
		0x00, 0x1A, 0x00, 0x00, 0x00, 0x00, 0x80, 0x00, 97, 26, 66, 0x00, 79, 59, 74, 0x00,
	};
	/* clang-format on */

	rb_test_fake_transport_push_good(rb_fake, disc_reply, sizeof(disc_reply));
	ck_assert(rb_mmc_read_disc_information(rb_transport(), &disc, NULL));
	RB_ASSERT_COMMAND(0, RB_MMC_DIR_IN, 34, 30000, 0x51, 0, 0, 0, 0, 0, 0, 0x00, 0x22, 0);
	ck_assert_int_eq(disc.leadin_start_lba, -11077);

	rb_test_fake_transport_push_good(rb_fake, track_reply, sizeof(track_reply));
	ck_assert(rb_mmc_read_track_information(
		rb_transport(), RB_MMC_TRACK_ADDRESS_TRACK, RB_MMC_TRACK_INVISIBLE, &track, NULL));
	RB_ASSERT_COMMAND(1, RB_MMC_DIR_IN, 36, 30000, 0x52, 0x01, 0, 0, 0, 0xFF, 0, 0x00, 0x24, 0);
	ck_assert(track.blank && track.nwa_v);
	ck_assert_int_eq(track.next_writable_address, -150);

	rb_test_fake_transport_push_good(rb_fake, toc_reply, sizeof(toc_reply));
	toc = rb_mmc_read_toc(rb_transport(), NULL);
	ck_assert_ptr_nonnull(toc);
	RB_ASSERT_COMMAND(2, RB_MMC_DIR_IN, 804, 30000, 0x43, 0, 0x00, 0, 0, 0, 0, 0x03, 0x24, 0);
	ck_assert_int_eq(g_array_index(toc->tracks, RbMmcTocTrack, 0).lba, 2250);

	rb_test_fake_transport_push_good(rb_fake, session_reply, sizeof(session_reply));
	ck_assert(rb_mmc_read_session_info(rb_transport(), &session, NULL));
	RB_ASSERT_COMMAND(3, RB_MMC_DIR_IN, 12, 30000, 0x43, 0, 0x01, 0, 0, 0, 0, 0x00, 0x0C, 0);

	rb_test_fake_transport_push_good(rb_fake, full_reply, sizeof(full_reply));
	full = rb_mmc_read_full_toc(rb_transport(), NULL);
	ck_assert_ptr_nonnull(full);
	RB_ASSERT_COMMAND(4, RB_MMC_DIR_IN, 1104, 30000, 0x43, 0, 0x02, 0, 0, 0, 0, 0x04, 0x50, 0);
	ck_assert_uint_eq(full->entries->len, 1);

	rb_test_fake_transport_push_good(rb_fake, atip_reply, sizeof(atip_reply));
	ck_assert(rb_mmc_read_atip(rb_transport(), &atip, NULL));
	RB_ASSERT_COMMAND(5, RB_MMC_DIR_IN, 28, 30000, 0x43, 0, 0x04, 0, 0, 0, 0, 0x00, 0x1C, 0);
	ck_assert_int_eq(atip.leadin_start_lba, -11634);
	ck_assert_int_eq(atip.last_leadout_lba, 359849);
}
END_TEST

START_TEST(test_mode_sense_select)
{
	g_autoptr(GError) error = NULL;
	RbMmcWriteParameters wp;
	RbMmcModePage page;
	const RbTestFakeCommand *select;
	const guint8 *sent;
	guint8 reply[60] = {0x00, 0x3A, 0x12, 0x34, 0, 0, 0, 0, 0x85, 0x32, 0x01, 0x00, 0x08};

	reply[8 + 14] = 0x00;
	reply[8 + 15] = 0x96;
	rb_test_fake_transport_push_good(rb_fake, reply, sizeof(reply));
	rb_test_fake_transport_push_good(rb_fake, NULL, 0);
	ck_assert(rb_mmc_mode_sense_10(
		rb_transport(), RB_MMC_PC_CURRENT, RB_MMC_PAGE_WRITE_PARAMETERS, &page, &error));
	RB_ASSERT_COMMAND(0, RB_MMC_DIR_IN, 512, 30000, 0x5A, 0, 0x05, 0, 0, 0, 0, 0x02, 0x00, 0);
	ck_assert(rb_mmc_write_parameters_parse(&page, &wp, NULL));
	wp.write_type = RB_MMC_WRITE_TYPE_RAW;
	wp.data_block_type = RB_MMC_DBT_RAW_PW;
	wp.bufe = TRUE;
	ck_assert(rb_mmc_write_parameters_apply(&wp, &page, NULL));
	ck_assert(rb_mmc_mode_select_10(rb_transport(), &page, &error));

	RB_ASSERT_COMMAND(1, RB_MMC_DIR_OUT, 60, 30000, 0x55, 0x10, 0, 0, 0, 0, 0, 0x00, 0x3C, 0);
	select = rb_test_fake_transport_get_command(rb_fake, 1);
	sent = g_bytes_get_data(select->data_out, NULL);
	/* zeroed header (not the sensed medium type), PS cleared, the length as sensed */
	ck_assert_mem_eq(sent, "\0\0\0\0\0\0\0\0\x05\x32\x43\x00\x03", 13);
	ck_assert_uint_eq(sent[8 + 15], 0x96);
}
END_TEST

START_TEST(test_mode_select_refused)
{
	g_autoptr(GError) error = NULL;
	RbMmcModePage page = {.page = {0x05, 0x0E}, .page_len = 16};

	rb_test_fake_transport_push_check(rb_fake, 0x05, 0x26, 0x00);
	ck_assert(!rb_mmc_mode_select_10(rb_transport(), &page, &error));
	rb_assert_error(error, RB_ERROR, RB_ERROR_INVALID_MODE_PARAMETERS);
	ck_assert_ptr_nonnull(strstr(error->message, "MODE SELECT(10): sense 05/26/00"));
}
END_TEST

START_TEST(test_speeds)
{
	g_autoptr(GArray) speeds = NULL;
	g_autoptr(GError) error = NULL;
	/* clang-format off */
	static const guint8 reply[24] = {
		0x00, 0x00, 0x00, 0x14, 0, 0, 0, 0,
		0x00, 0, 0, 0, 0x00, 0x05, 0x7E, 0x3F, 0x00, 0x00, 0x1B, 0x90, 0x00, 0x00, 0x1B, 0x90,
	};
	/* clang-format on */

	rb_test_fake_transport_push_good(rb_fake, reply, sizeof(reply));
	speeds = rb_mmc_get_write_speeds(rb_transport(), NULL);
	ck_assert_ptr_nonnull(speeds);
	ck_assert_uint_eq(speeds->len, 1);
	RB_ASSERT_COMMAND(
		0, RB_MMC_DIR_IN, 520, 30000, 0xAC, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x20, 0x03, 0);

	rb_test_fake_transport_push_good(rb_fake, NULL, 0);
	ck_assert(rb_mmc_set_cd_speed(rb_transport(),
				      RB_MMC_ROTATION_CLV,
				      RB_MMC_SPEED_MAX,
				      rb_mmc_speed_sectors_to_kbps(3000),
				      NULL));
	RB_ASSERT_COMMAND(
		1, RB_MMC_DIR_NONE, 0, 30000, 0xBB, 0, 0xFF, 0xFF, 0x1B, 0xA8, 0, 0, 0, 0, 0, 0);

	/* a speed the drive does not round: MediaSpeedMismatch */
	rb_test_fake_transport_push_check(rb_fake, 0x05, 0x24, 0x00);
	ck_assert(!rb_mmc_set_cd_speed(rb_transport(), RB_MMC_ROTATION_CLV, 0xFFFF, 1234, &error));
	rb_assert_error(error, RB_ERROR, RB_ERROR_MEDIA_SPEED_MISMATCH);
}
END_TEST

START_TEST(test_write_and_finish)
{
	g_autoptr(GError) error = NULL;
	guint8 data[2 * 2448];
	RbMmcBufferCapacity capacity;
	static const guint8 capacity_reply[12] = {0, 0x0A, 0, 0, 0, 0x20, 0, 0, 0, 0x10, 0, 0};

	memset(data, 0xC3, sizeof(data));
	rb_test_fake_transport_push_good(rb_fake, NULL, 0);
	ck_assert(rb_mmc_write_10(rb_transport(), -11077, 2, data, 2448, &error));
	RB_ASSERT_COMMAND(0,
			  RB_MMC_DIR_OUT,
			  sizeof(data),
			  200000,
			  0x2A,
			  0,
			  0xFF,
			  0xFF,
			  0xD4,
			  0xBB,
			  0,
			  0,
			  0x02,
			  0);
	ck_assert_uint_eq(
		g_bytes_get_size(rb_test_fake_transport_get_command(rb_fake, 0)->data_out), 4896);

	rb_test_fake_transport_push_good(rb_fake, NULL, 0);
	ck_assert(rb_mmc_synchronize_cache(rb_transport(), TRUE, NULL));
	RB_ASSERT_COMMAND(1, RB_MMC_DIR_NONE, 0, 200000, 0x35, 0x02, 0, 0, 0, 0, 0, 0, 0, 0);

	rb_test_fake_transport_push_good(rb_fake, capacity_reply, sizeof(capacity_reply));
	ck_assert(rb_mmc_read_buffer_capacity(rb_transport(), &capacity, NULL));
	RB_ASSERT_COMMAND(2, RB_MMC_DIR_IN, 12, 30000, 0x5C, 0, 0, 0, 0, 0, 0, 0, 0x0C, 0);
	ck_assert_uint_eq(capacity.free_bytes, 0x100000);

	rb_test_fake_transport_push_good(rb_fake, NULL, 0);
	ck_assert(rb_mmc_send_opc_information(rb_transport(), TRUE, NULL));
	RB_ASSERT_COMMAND(3, RB_MMC_DIR_NONE, 0, 200000, 0x54, 0x01, 0, 0, 0, 0, 0, 0, 0, 0);
}
END_TEST

START_TEST(test_mechanics_and_blank)
{
	rb_test_fake_transport_push_good(rb_fake, NULL, 0);
	ck_assert(rb_mmc_prevent_allow_medium_removal(rb_transport(), TRUE, NULL));
	RB_ASSERT_COMMAND(0, RB_MMC_DIR_NONE, 0, 30000, 0x1E, 0, 0, 0, 0x01, 0);

	rb_test_fake_transport_push_good(rb_fake, NULL, 0);
	ck_assert(rb_mmc_start_stop_unit(rb_transport(), FALSE, TRUE, FALSE, NULL));
	RB_ASSERT_COMMAND(1, RB_MMC_DIR_NONE, 0, 300000, 0x1B, 0, 0, 0, 0x02, 0);

	rb_test_fake_transport_push_good(rb_fake, NULL, 0);
	ck_assert(rb_mmc_blank(rb_transport(), RB_MMC_BLANK_MINIMAL, 0, TRUE, NULL));
	RB_ASSERT_COMMAND(2, RB_MMC_DIR_NONE, 0, 200000, 0xA1, 0x11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}
END_TEST

START_TEST(test_read_cd)
{
	g_autoptr(GError) error = NULL;
	guint8 buffer[2 * 2448];
	guint8 sector[2448];

	memset(sector, 0x11, sizeof(sector));
	rb_test_fake_transport_push_good(rb_fake, sector, sizeof(sector));
	ck_assert(!rb_mmc_read_cd(rb_transport(),
				  RB_MMC_READ_CD_TYPE_CDDA,
				  0,
				  2,
				  RB_MMC_READ_CD_MAIN_RAW,
				  RB_MMC_READ_CD_SUB_RAW_PW,
				  buffer,
				  sizeof(buffer),
				  &error));
	rb_assert_error(error, RB_ERROR, RB_ERROR_INVALID_RESPONSE_FROM_DEVICE);
	RB_ASSERT_COMMAND(0,
			  RB_MMC_DIR_IN,
			  sizeof(buffer),
			  30000,
			  0xBE,
			  0x04,
			  0,
			  0,
			  0,
			  0,
			  0,
			  0,
			  0x02,
			  0xF8,
			  0x01,
			  0);
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("mmc-device");
	TCase *tc = tcase_create("calls");

	tcase_add_checked_fixture(tc, rb_setup, rb_teardown);
	tcase_add_test(tc, test_inquiry);
	tcase_add_test(tc, test_inquiry_short_transfer);
	tcase_add_test(tc, test_test_unit_ready_and_sense);
	tcase_add_test(tc, test_get_configuration_grows);
	tcase_add_test(tc, test_get_configuration_one_feature);
	tcase_add_test(tc, test_disc_track_toc);
	tcase_add_test(tc, test_mode_sense_select);
	tcase_add_test(tc, test_mode_select_refused);
	tcase_add_test(tc, test_speeds);
	tcase_add_test(tc, test_write_and_finish);
	tcase_add_test(tc, test_mechanics_and_blank);
	tcase_add_test(tc, test_read_cd);
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
