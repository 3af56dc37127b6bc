/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The raw capability probe against scripted drives: which MODE SELECTs it
 * sends, that a refusal means "not supported", that the original page 05h
 * is the last one selected, and where the write speeds come from.
 */
#include "config.h"

#include <string.h>

#include "rb-drive-probe.h"
#include "rb-mmc-cdb.h"
#include "rb-mmc-mode-pages.h"
#include "rb-mmc-probe.h"
#include "rb-test-fake-transport.h"
#include "rb-test-service.h"

#define RB_PAGE_05_LEN 52

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

/* a MODE SENSE(10) reply: 8-byte header, no block descriptor, the page */
static void
rb_push_page(const guint8 *page, gsize page_len)
{
	g_autofree guint8 *reply = g_malloc0(8 + page_len);

	reply[0] = (guint8)((6 + page_len) >> 8);
	reply[1] = (guint8)(6 + page_len);
	memcpy(reply + 8, page, page_len);
	rb_test_fake_transport_push_good(rb_fake, reply, 8 + page_len);
}

/* page 05h as a drive reports it: PS set, length 32h, the MCN marked so
 * that a changed byte shows */
static void
rb_fill_page_05(guint8 page[RB_PAGE_05_LEN], guint8 write_type, guint8 dbt)
{
	memset(page, 0, RB_PAGE_05_LEN);
	page[0] = 0x85;
	page[1] = 0x32;
	page[2] = 0x50 | write_type; /* BUFE, Test Write */
	page[3] = 0x04;              /* track mode 4 */
	page[4] = dbt;
	page[5] = 7;
	page[8] = 0x20;
	page[15] = 150;
	page[16] = 0x80;
	page[17] = '1';
}

static void
rb_push_page_05(guint8 write_type, guint8 dbt)
{
	guint8 page[RB_PAGE_05_LEN];

	rb_fill_page_05(page, write_type, dbt);
	rb_push_page(page, sizeof(page));
}

static void
rb_push_cd_mastering(guint8 flags)
{
	/* clang-format off */
	const guint8 reply[16] = {
		0x00, 0x00, 0x00, 0x0C, 0x00, 0x00, 0x00, 0x09,
		0x00, 0x2E, 0x01, 0x04, flags, 0x00, 0x00, 0x00,
	};
	/* clang-format on */
	rb_test_fake_transport_push_good(rb_fake, reply, sizeof(reply));
}

/* page 2Ah: BUF as given, max write 8472 kB/s, descriptors as given */
static void
rb_push_page_2a(gboolean buf, const guint16 *kbps, const guint8 *rotation, guint n)
{
	guint8 page[32 + 4 * 8] = {0x2A, 0};
	gsize len = n > 0 ? 32 + 4 * (gsize)n : 22;

	page[1] = (guint8)(len - 2);
	page[3] = 0x03;
	page[4] = buf ? 0x80 : 0x00;
	page[18] = 0x21;
	page[19] = 0x18;
	page[31] = (guint8)n;
	for (guint i = 0; i < n; i++) {
		page[32 + 4 * i + 1] = rotation[i];
		page[32 + 4 * i + 2] = (guint8)(kbps[i] >> 8);
		page[32 + 4 * i + 3] = (guint8)kbps[i];
	}
	rb_push_page(page, len);
}

/* GET PERFORMANCE type 03h with the given write speeds */
static void
rb_push_performance(const guint32 *kbps, const guint8 *wrc, guint n)
{
	g_autofree guint8 *reply = g_malloc0(8 + 16 * (gsize)n);

	reply[3] = (guint8)(4 + 16 * n);
	for (guint i = 0; i < n; i++) {
		guint8 *d = reply + 8 + 16 * i;

		d[0] = (guint8)(wrc[i] << 3);
		d[4] = 0x00;
		d[5] = 0x05;
		d[6] = 0x7E;
		d[7] = (guint8)(0x3F - i);
		d[12] = (guint8)(kbps[i] >> 24);
		d[13] = (guint8)(kbps[i] >> 16);
		d[14] = (guint8)(kbps[i] >> 8);
		d[15] = (guint8)kbps[i];
	}
	rb_test_fake_transport_push_good(rb_fake, reply, 8 + 16 * (gsize)n);
}

static const RbTestFakeCommand *
rb_command(guint i)
{
	return rb_test_fake_transport_get_command(rb_fake, i);
}

static const guint8 *
rb_select_page(guint i)
{
	const RbTestFakeCommand *c = rb_command(i);

	ck_assert_uint_eq(c->cdb[0], RB_MMC_MODE_SELECT_10);
	ck_assert_uint_eq(c->cdb[1], 0x10);
	ck_assert_uint_eq(g_bytes_get_size(c->data_out), 8 + RB_PAGE_05_LEN);
	return (const guint8 *)g_bytes_get_data(c->data_out, NULL) + 8;
}

static guint
rb_speed_at(const RbMmcRawCaps *caps, guint i, gboolean *pure_cav)
{
	const RbMmcSpeedDescriptor *s = &g_array_index(caps->write_speeds, RbMmcSpeedDescriptor, i);
	if (pure_cav != NULL)
		*pure_cav = s->pure_cav;
	return s->sectors_per_second;
}

/* the example: a drive that refuses data block type 2 */
START_TEST(test_probe_refuses_dbt_2)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RbMmcRawCaps) caps = NULL;
	guint8 original[RB_PAGE_05_LEN];
	static const guint32 kbps[] = {7056, 3528, 7056, 8467};
	static const guint8 wrc[] = {0, 0, 0, 1};
	const guint8 *sent;
	guint n;
	gboolean cav = FALSE;

	rb_push_cd_mastering(0x48); /* BUF, Raw */
	rb_push_page_2a(FALSE, NULL, NULL, 0);
	rb_push_page_05(RB_MMC_WRITE_TYPE_TAO, 8);
	rb_test_fake_transport_push_good(rb_fake, NULL, 0); /* SELECT DBT 1 */
	rb_push_page_05(RB_MMC_WRITE_TYPE_RAW, 1);
	rb_test_fake_transport_push_check(rb_fake, 0x05, 0x26, 0x00); /* SELECT DBT 2 */
	rb_test_fake_transport_push_good(rb_fake, NULL, 0);           /* SELECT DBT 3 */
	rb_push_page_05(RB_MMC_WRITE_TYPE_RAW, 3);
	rb_test_fake_transport_push_good(rb_fake, NULL, 0); /* restore */
	rb_push_performance(kbps, wrc, G_N_ELEMENTS(kbps));

	caps = rb_mmc_probe_raw(RB_MMC_TRANSPORT(rb_fake), &error);
	ck_assert_msg(caps != NULL, "%s", error != NULL ? error->message : "");
	ck_assert_uint_eq(rb_test_fake_transport_get_n_pending(rb_fake), 0);

	ck_assert(caps->has_cd_mastering);
	ck_assert(caps->cd_mastering_current);
	ck_assert(caps->feature_raw);
	ck_assert(caps->buf);
	ck_assert_uint_eq(caps->sector_types->len, 2);
	ck_assert_uint_eq(g_array_index(caps->sector_types, guint, 0), 1);
	ck_assert_uint_eq(g_array_index(caps->sector_types, guint, 1), 3);
	ck_assert(rb_mmc_raw_caps_has_sector_type(caps, 1));
	ck_assert(!rb_mmc_raw_caps_has_sector_type(caps, 2));
	ck_assert(rb_mmc_raw_caps_has_sector_type(caps, 3));

	/* the commands: 002Eh alone, 2Ah, 05h, then the trials */
	n = rb_test_fake_transport_get_n_commands(rb_fake);
	ck_assert_uint_eq(n, 10);
	ck_assert_uint_eq(rb_command(0)->cdb[0], RB_MMC_GET_CONFIGURATION);
	ck_assert_uint_eq(rb_command(0)->cdb[1], RB_MMC_RT_ONE);
	ck_assert_uint_eq(rb_command(0)->cdb[3], 0x2E);
	ck_assert_uint_eq(rb_command(1)->cdb[2], 0x2A);
	ck_assert_uint_eq(rb_command(2)->cdb[2], 0x05);
	ck_assert_uint_eq(rb_test_fake_transport_count_opcode(rb_fake, RB_MMC_MODE_SELECT_10), 4);

	/* each trial: PS cleared, WT 3, TW 0, BUFE kept, the DBT, MS/TM 0,
	 * session format 0, the rest (MCN) as sensed */
	sent = rb_select_page(3);
	ck_assert_uint_eq(sent[0], 0x05);
	ck_assert_uint_eq(sent[1], 0x32);
	ck_assert_uint_eq(sent[2], 0x43);
	ck_assert_uint_eq(sent[3], 0x00);
	ck_assert_uint_eq(sent[4], 1);
	ck_assert_uint_eq(sent[8], 0x00);
	ck_assert_uint_eq(sent[15], 150);
	ck_assert_uint_eq(sent[16], 0x80);
	ck_assert_uint_eq(sent[17], '1');
	ck_assert_uint_eq(rb_select_page(5)[4], 2);
	ck_assert_uint_eq(rb_select_page(6)[4], 3);

	/* the last MODE SELECT puts back the page as it was found */
	ck_assert_uint_eq(rb_command(8)->cdb[0], RB_MMC_MODE_SELECT_10);
	rb_fill_page_05(original, RB_MMC_WRITE_TYPE_TAO, 8);
	original[0] &= 0x7F;
	ck_assert_mem_eq(rb_select_page(8), original, sizeof(original));
	ck_assert_mem_eq(g_bytes_get_data(rb_command(8)->data_out, NULL), "\0\0\0\0\0\0\0\0", 8);

	/* speeds from GET PERFORMANCE: fastest first, one per speed */
	ck_assert_uint_eq(rb_command(9)->cdb[0], RB_MMC_GET_PERFORMANCE);
	ck_assert_uint_eq(rb_command(9)->cdb[10], 0x03);
	ck_assert_uint_eq(caps->write_speeds->len, 3);
	ck_assert_uint_eq(rb_speed_at(caps, 0, &cav), 3600);
	ck_assert(cav);
	ck_assert_uint_eq(rb_speed_at(caps, 1, &cav), 3000);
	ck_assert(!cav);
	ck_assert_uint_eq(rb_speed_at(caps, 2, &cav), 1500);
	ck_assert(!cav);
	ck_assert_uint_eq(g_array_index(caps->write_speeds, RbMmcSpeedDescriptor, 2).kbps, 3528);
}
END_TEST

/* an MMC-2 drive: no GET CONFIGURATION, no GET PERFORMANCE; BUF and the
 * speeds come from page 2Ah, and it takes every block type */
START_TEST(test_probe_old_drive)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RbMmcRawCaps) caps = NULL;
	static const guint16 kbps[] = {3528, 7056, 7056};
	static const guint8 rotation[] = {0, 0, 1};
	gboolean cav = TRUE;

	rb_test_fake_transport_push_check(rb_fake, 0x05, 0x20, 0x00);
	rb_push_page_2a(TRUE, kbps, rotation, G_N_ELEMENTS(kbps));
	rb_push_page_05(RB_MMC_WRITE_TYPE_SAO, 0);
	for (guint8 dbt = 1; dbt <= 3; dbt++) {
		rb_test_fake_transport_push_good(rb_fake, NULL, 0);
		rb_push_page_05(RB_MMC_WRITE_TYPE_RAW, dbt);
	}
	rb_test_fake_transport_push_good(rb_fake, NULL, 0);
	rb_test_fake_transport_push_check(rb_fake, 0x05, 0x20, 0x00);

	caps = rb_mmc_probe_raw(RB_MMC_TRANSPORT(rb_fake), &error);
	ck_assert_ptr_nonnull(caps);
	ck_assert_uint_eq(rb_test_fake_transport_get_n_pending(rb_fake), 0);
	ck_assert(!caps->has_cd_mastering);
	ck_assert(!caps->feature_raw);
	ck_assert(caps->buf);
	ck_assert_uint_eq(caps->sector_types->len, 3);
	for (guint i = 0; i < 3; i++)
		ck_assert_uint_eq(g_array_index(caps->sector_types, guint, i), i + 1);
	ck_assert_uint_eq(caps->write_speeds->len, 3);
	ck_assert_uint_eq(rb_speed_at(caps, 0, &cav), 3000);
	ck_assert(!cav);
	ck_assert_uint_eq(rb_speed_at(caps, 1, &cav), 3000);
	ck_assert(cav);
	ck_assert_uint_eq(rb_speed_at(caps, 2, NULL), 1500);
}
END_TEST

/* MMC-1: no descriptors, no GET PERFORMANCE answer: the maximum write speed */
START_TEST(test_probe_max_speed_only)
{
	g_autoptr(RbMmcRawCaps) caps = NULL;

	rb_push_cd_mastering(0x08);
	rb_push_page_2a(FALSE, NULL, NULL, 0);
	rb_push_page_05(RB_MMC_WRITE_TYPE_TAO, 8);
	for (guint i = 0; i < 3; i++)
		rb_test_fake_transport_push_check(rb_fake, 0x05, 0x26, 0x02);
	rb_test_fake_transport_push_good(rb_fake, NULL, 0);
	rb_push_performance(NULL, NULL, 0);

	caps = rb_mmc_probe_raw(RB_MMC_TRANSPORT(rb_fake), NULL);
	ck_assert_ptr_nonnull(caps);
	ck_assert(caps->feature_raw);
	ck_assert(!caps->buf);
	ck_assert_uint_eq(caps->sector_types->len, 0);
	ck_assert_uint_eq(caps->write_speeds->len, 1);
	/* 8472 kB/s = 48 x 176.5 */
	ck_assert_uint_eq(rb_speed_at(caps, 0, NULL), 3602);
	/* the restore is sent even when every trial was refused */
	ck_assert_uint_eq(rb_test_fake_transport_count_opcode(rb_fake, RB_MMC_MODE_SELECT_10), 4);
}
END_TEST

/* a drive that says yes to a MODE SELECT and keeps its old block type */
START_TEST(test_probe_accepts_but_ignores)
{
	g_autoptr(RbMmcRawCaps) caps = NULL;
	static const guint32 kbps[] = {7056};
	static const guint8 wrc[] = {0};

	rb_push_cd_mastering(0x08);
	rb_push_page_2a(FALSE, NULL, NULL, 0);
	rb_push_page_05(RB_MMC_WRITE_TYPE_SAO, 0);
	rb_test_fake_transport_push_good(rb_fake, NULL, 0);
	rb_push_page_05(RB_MMC_WRITE_TYPE_RAW, 1);
	rb_test_fake_transport_push_good(rb_fake, NULL, 0);
	rb_push_page_05(RB_MMC_WRITE_TYPE_RAW, 1); /* asked for 2, kept 1 */
	rb_test_fake_transport_push_good(rb_fake, NULL, 0);
	rb_test_fake_transport_push_check(rb_fake, 0x05, 0x20, 0x00); /* read back refused */
	rb_test_fake_transport_push_good(rb_fake, NULL, 0);
	rb_push_performance(kbps, wrc, 1);

	caps = rb_mmc_probe_raw(RB_MMC_TRANSPORT(rb_fake), NULL);
	ck_assert_ptr_nonnull(caps);
	ck_assert_uint_eq(rb_test_fake_transport_get_n_pending(rb_fake), 0);
	ck_assert_uint_eq(caps->sector_types->len, 1);
	ck_assert_uint_eq(g_array_index(caps->sector_types, guint, 0), 1);
}
END_TEST

/* no page 05h at all (a reader): nothing to try, nothing to restore */
START_TEST(test_probe_no_write_parameters)
{
	g_autoptr(RbMmcRawCaps) caps = NULL;
	static const guint32 kbps[] = {0};
	static const guint8 wrc[] = {0};

	rb_test_fake_transport_push_check(rb_fake, 0x05, 0x24, 0x00);
	rb_test_fake_transport_push_check(rb_fake, 0x05, 0x24, 0x00);
	rb_test_fake_transport_push_check(rb_fake, 0x05, 0x24, 0x00);
	rb_push_performance(kbps, wrc, 1);

	caps = rb_mmc_probe_raw(RB_MMC_TRANSPORT(rb_fake), NULL);
	ck_assert_ptr_nonnull(caps);
	ck_assert_uint_eq(rb_test_fake_transport_get_n_pending(rb_fake), 0);
	ck_assert_uint_eq(caps->sector_types->len, 0);
	ck_assert(!caps->buf);
	ck_assert_uint_eq(caps->write_speeds->len, 0);
	ck_assert_uint_eq(rb_test_fake_transport_count_opcode(rb_fake, RB_MMC_MODE_SELECT_10), 0);
}
END_TEST

START_TEST(test_probe_device_gone)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RbMmcRawCaps) caps = NULL;

	rb_push_cd_mastering(0x08);
	rb_push_page_2a(FALSE, NULL, NULL, 0);
	rb_push_page_05(RB_MMC_WRITE_TYPE_SAO, 0);
	rb_test_fake_transport_push_failure(rb_fake, RB_ERROR_DEVICE_GONE);

	caps = rb_mmc_probe_raw(RB_MMC_TRANSPORT(rb_fake), &error);
	ck_assert_ptr_null(caps);
	rb_assert_error(error, RB_ERROR, RB_ERROR_DEVICE_GONE);
	ck_assert_uint_eq(rb_test_fake_transport_get_n_commands(rb_fake), 4);
}
END_TEST

START_TEST(test_probe_bad_page_05)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RbMmcRawCaps) caps = NULL;
	const guint8 wrong[4] = {0x2A, 0x02, 0x00, 0x00};

	rb_push_cd_mastering(0x08);
	rb_test_fake_transport_push_check(rb_fake, 0x05, 0x24, 0x00);
	rb_push_page(wrong, sizeof(wrong)); /* asked for 05h, got 2Ah */

	caps = rb_mmc_probe_raw(RB_MMC_TRANSPORT(rb_fake), &error);
	ck_assert_ptr_null(caps);
	rb_assert_error(error, RB_ERROR, RB_ERROR_INVALID_RESPONSE_FROM_DEVICE);
}
END_TEST

/* ---- the drive's claim of test writing (rb_drive_probe) ---- */

typedef struct {
	gboolean mmc1;             /* GET CONFIGURATION refused */
	gint tao_test_write;       /* feature 002Dh: -1 absent, else its Test Write bit */
	gint mastering_test_write; /* feature 002Eh, likewise */
	gboolean page_2a_test_write;
	gboolean claimed;
} RbClaimCase;

static const RbClaimCase rb_claim_cases[] = {
	/* an MMC-1 drive: page 2Ah says it */
	{TRUE, -1, -1, TRUE, TRUE},
	{TRUE, -1, -1, FALSE, FALSE},
	/* the features speak when the drive lists them */
	{FALSE, 1, -1, FALSE, TRUE},
	{FALSE, 0, -1, TRUE, FALSE},
	{FALSE, 0, 1, FALSE, TRUE},
	{FALSE, -1, 0, TRUE, FALSE},
	/* a drive with neither feature listed: page 2Ah again */
	{FALSE, -1, -1, TRUE, TRUE},
};

static void
rb_push_feature(GByteArray *reply, guint16 code, gint test_write)
{
	const guint8 descriptor[8] = {(guint8)(code >> 8),
				      (guint8)code,
				      0x02,
				      4,
				      (guint8)(0x40 | (test_write ? 0x04 : 0))};

	if (test_write >= 0)
		g_byte_array_append(reply, descriptor, sizeof(descriptor));
}

START_TEST(test_drive_probe_test_write_claim)
{
	const RbClaimCase *c = &rb_claim_cases[_i];
	g_autoptr(RbDriveInfo) seed = rb_drive_info_new("sr9", NULL, NULL);
	g_autoptr(RbDriveInfo) info = NULL;
	g_autoptr(GError) error = NULL;
	guint8 inquiry[36] = {0x05, 0x80, 0x05, 0x32, 31};
	guint8 page_05[RB_PAGE_05_LEN];
	guint8 page_2a[22] = {0x2A, 20, 0x03, 0x03};

	memcpy(inquiry + 8, "TEST    Old recorder    1.00", 28);
	rb_test_fake_transport_push_good(rb_fake, inquiry, sizeof(inquiry));
	if (c->mmc1) {
		rb_test_fake_transport_push_check(rb_fake, 0x05, 0x20, 0x00);
	} else {
		g_autoptr(GByteArray) reply = g_byte_array_new();
		const guint8 header[8] = {0};

		g_byte_array_append(reply, header, sizeof(header));
		rb_push_feature(reply, 0x002D, c->tao_test_write);
		rb_push_feature(reply, 0x002E, c->mastering_test_write);
		reply->data[3] = (guint8)(reply->len - 4);
		rb_test_fake_transport_push_good(rb_fake, reply->data, reply->len);
	}
	rb_fill_page_05(page_05, 1, 8);
	rb_push_page(page_05, sizeof(page_05));
	if (c->page_2a_test_write)
		page_2a[3] |= 0x04;
	rb_push_page(page_2a, sizeof(page_2a));
	/* no medium: the probe ends there, the claim is the drive's own */
	rb_test_fake_transport_push_check(rb_fake, 0x02, 0x3A, 0x00);

	info = rb_drive_probe(seed, RB_MMC_TRANSPORT(rb_fake), NULL, &error);
	ck_assert_msg(info != NULL, "%s", error ? error->message : "");
	ck_assert(info->probed);
	ck_assert(!info->media_present);
	ck_assert_int_eq(info->test_write, c->claimed);
	ck_assert_uint_eq(rb_test_fake_transport_get_n_pending(rb_fake), 0);
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("mmc-probe");
	TCase *tc = tcase_create("probe");

	tcase_add_checked_fixture(tc, rb_setup, rb_teardown);
	tcase_add_test(tc, test_probe_refuses_dbt_2);
	tcase_add_test(tc, test_probe_old_drive);
	tcase_add_test(tc, test_probe_max_speed_only);
	tcase_add_test(tc, test_probe_accepts_but_ignores);
	tcase_add_test(tc, test_probe_no_write_parameters);
	tcase_add_test(tc, test_probe_device_gone);
	tcase_add_test(tc, test_probe_bad_page_05);
	tcase_add_loop_test(tc, test_drive_probe_test_write_claim, 0, G_N_ELEMENTS(rb_claim_cases));
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
