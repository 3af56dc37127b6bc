/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The SG_IO transport without a drive: open() errors, an fd that is no SCSI
 * device, and the evaluation of every status field of a completed SG_IO.
 * The ioctl path against an emulated drive is tested under umockdev.
 */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "rb-mmc-cdb.h"
#include "rb-mmc-sg-transport.h"
#include "rb-test-fake-transport.h"
#include "rb-test-service.h"

START_TEST(test_open_missing)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RbMmcTransport) transport = NULL;

	transport = rb_mmc_sg_transport_new("/nonexistent/sr9", &error);
	ck_assert_ptr_null(transport);
	rb_assert_error(error, RB_ERROR, RB_ERROR_DEVICE_GONE);
	ck_assert_ptr_nonnull(strstr(error->message, "/nonexistent/sr9"));
	ck_assert_ptr_nonnull(strstr(error->message, g_strerror(ENOENT)));
}
END_TEST

typedef struct {
	gint errsv;
	RbError code;
	const gchar *why;
} RbOpenCase;

static const RbOpenCase rb_open_cases[] = {
	{EBUSY, RB_ERROR_LOCKED, "in use, e.g. mounted"},
	{EACCES, RB_ERROR_NOT_AUTHORIZED, "no permission"},
	{EPERM, RB_ERROR_NOT_AUTHORIZED, "no permission"},
	{EROFS, RB_ERROR_NOT_AUTHORIZED, "no permission"},
	{ENOENT, RB_ERROR_DEVICE_GONE, "no such device"},
	{ENXIO, RB_ERROR_DEVICE_GONE, "no such device"},
	{ENODEV, RB_ERROR_DEVICE_GONE, "no such device"},
	{EMFILE, RB_ERROR_UNEXPECTED_RESPONSE_FROM_DEVICE, "cannot open"},
};

START_TEST(test_open_errors)
{
	const RbOpenCase *c = &rb_open_cases[_i];
	g_autoptr(GError) error = rb_mmc_sg_open_error_new("/dev/sr3", c->errsv);

	rb_assert_error(error, RB_ERROR, c->code);
	ck_assert_ptr_nonnull(strstr(error->message, "/dev/sr3: "));
	ck_assert_ptr_nonnull(strstr(error->message, c->why));
	ck_assert_ptr_nonnull(strstr(error->message, g_strerror(c->errsv)));
}
END_TEST

START_TEST(test_open_no_permission)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RbMmcTransport) transport = NULL;
	g_autofree gchar *path = NULL;
	gint fd;

	/* root opens anything: nothing to see there */
	if (geteuid() == 0)
		return;
	fd = g_file_open_tmp("rb-sg-XXXXXX", &path, NULL);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(g_chmod(path, 0400), 0);
	transport = rb_mmc_sg_transport_new(path, &error);
	g_unlink(path);
	ck_assert_ptr_null(transport);
	rb_assert_error(error, RB_ERROR, RB_ERROR_NOT_AUTHORIZED);
}
END_TEST

/* an fd that is not a SCSI device: the ioctl fails, the transport says so */
START_TEST(test_not_a_drive)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RbMmcTransport) transport = NULL;
	RbMmcResult result;
	RbMmcCdb cdb;

	transport = rb_mmc_sg_transport_new("/dev/null", &error);
	ck_assert_ptr_nonnull(transport);
	ck_assert_str_eq(rb_mmc_sg_transport_get_device(RB_MMC_SG_TRANSPORT(transport)),
			 "/dev/null");
	rb_mmc_cdb_test_unit_ready(&cdb);
	ck_assert(!rb_mmc_transport_execute(
		transport, cdb.bytes, cdb.len, RB_MMC_DIR_NONE, NULL, 0, 30000, &result, &error));
	rb_assert_error(error, RB_ERROR, RB_ERROR_UNEXPECTED_RESPONSE_FROM_DEVICE);
	ck_assert_ptr_nonnull(strstr(error->message, "/dev/null: TEST UNIT READY: SG_IO failed"));
}
END_TEST

static guint8 rb_cdb_write[10] = {0x2A, 0, 0xFF, 0xFF, 0xFF, 0x6A, 0, 0, 1, 0};

static void
rb_hdr_init(struct sg_io_hdr *hdr, guint8 *sense, gsize dxfer_len)
{
	memset(hdr, 0, sizeof(*hdr));
	hdr->interface_id = 'S';
	hdr->cmdp = rb_cdb_write;
	hdr->cmd_len = sizeof(rb_cdb_write);
	hdr->dxfer_direction = SG_DXFER_TO_DEV;
	hdr->dxfer_len = (unsigned int)dxfer_len;
	hdr->sbp = sense;
	hdr->mx_sb_len = RB_MMC_SENSE_MAX;
}

typedef struct {
	gint ioctl_errno;
	guint8 host_status;
	guint8 driver_status;
	RbError code; /* RB_ERROR_N_ERRORS: success */
	const gchar *detail;
} RbEvalCase;

static const RbEvalCase rb_eval_cases[] = {
	{ENODEV, 0, 0, RB_ERROR_DEVICE_GONE, "SG_IO failed"},
	{ENXIO, 0, 0, RB_ERROR_DEVICE_GONE, "SG_IO failed"},
	{ETIMEDOUT, 0, 0, RB_ERROR_COMMAND_TIMEOUT, "SG_IO failed"},
	{EPERM, 0, 0, RB_ERROR_UNEXPECTED_RESPONSE_FROM_DEVICE, "SG_IO failed"},
	{EINVAL, 0, 0, RB_ERROR_UNEXPECTED_RESPONSE_FROM_DEVICE, "SG_IO failed"},
	{0, RB_SG_DID_TIME_OUT, 0, RB_ERROR_COMMAND_TIMEOUT, "DID_TIME_OUT"},
	{0, RB_SG_DID_NO_CONNECT, 0, RB_ERROR_DEVICE_GONE, "host status 01h"},
	{0, RB_SG_DID_BAD_TARGET, 0, RB_ERROR_DEVICE_GONE, "host status 04h"},
	{0, RB_SG_DID_BUS_BUSY, 0, RB_ERROR_UNEXPECTED_RESPONSE_FROM_DEVICE, "host status 02h"},
	{0, RB_SG_DID_ABORT, 0, RB_ERROR_UNEXPECTED_RESPONSE_FROM_DEVICE, "host status 05h"},
	{0, RB_SG_DID_ERROR, 0, RB_ERROR_UNEXPECTED_RESPONSE_FROM_DEVICE, "host status 07h"},
	{0, RB_SG_DID_RESET, 0, RB_ERROR_UNEXPECTED_RESPONSE_FROM_DEVICE, "host status 08h"},
	/* host status is looked at before driver status */
	{0, RB_SG_DID_NO_CONNECT, 0x06, RB_ERROR_DEVICE_GONE, "host status 01h"},
	{0, 0, RB_SG_DRIVER_TIMEOUT, RB_ERROR_COMMAND_TIMEOUT, "DRIVER_TIMEOUT"},
	{0,
	 0,
	 RB_SG_DRIVER_TIMEOUT | RB_SG_DRIVER_SENSE,
	 RB_ERROR_COMMAND_TIMEOUT,
	 "DRIVER_TIMEOUT"},
	{0, 0, 0x04, RB_ERROR_UNEXPECTED_RESPONSE_FROM_DEVICE, "driver status 04h"},
	{0, 0, 0x10, RB_ERROR_UNEXPECTED_RESPONSE_FROM_DEVICE, "driver status 10h"},
	/* DRIVER_SENSE alone is what a CHECK CONDITION looks like */
	{0, 0, RB_SG_DRIVER_SENSE, RB_ERROR_N_ERRORS, NULL},
	{0, 0, 0, RB_ERROR_N_ERRORS, NULL},
};

START_TEST(test_evaluate_status)
{
	const RbEvalCase *c = &rb_eval_cases[_i];
	g_autoptr(GError) error = NULL;
	struct sg_io_hdr hdr;
	guint8 sense[RB_MMC_SENSE_MAX] = {0};
	RbMmcResult result = {0};
	gboolean ok;

	rb_hdr_init(&hdr, sense, 2448);
	hdr.host_status = c->host_status;
	hdr.driver_status = c->driver_status;
	ok = rb_mmc_sg_evaluate("/dev/sr0", &hdr, c->ioctl_errno, &result, &error);
	if (c->code == RB_ERROR_N_ERRORS) {
		ck_assert(ok);
		ck_assert_ptr_null(error);
		return;
	}
	ck_assert(!ok);
	rb_assert_error(error, RB_ERROR, c->code);
	ck_assert_ptr_nonnull(strstr(error->message, "/dev/sr0: WRITE(10): "));
	ck_assert_ptr_nonnull(strstr(error->message, c->detail));
}
END_TEST

START_TEST(test_evaluate_check_condition)
{
	struct sg_io_hdr hdr;
	guint8 sense[RB_MMC_SENSE_MAX];
	RbMmcResult result = {0};

	rb_test_fill_fixed_sense(sense, 0x02, 0x04, 0x08, -1);
	rb_hdr_init(&hdr, sense, 2448);
	hdr.status = RB_SCSI_STATUS_CHECK_CONDITION;
	hdr.masked_status = 0x01;
	hdr.driver_status = RB_SG_DRIVER_SENSE;
	hdr.sb_len_wr = 18;
	hdr.resid = 2448;
	ck_assert(rb_mmc_sg_evaluate("/dev/sr0", &hdr, 0, &result, NULL));
	ck_assert_uint_eq(result.status, RB_SCSI_STATUS_CHECK_CONDITION);
	ck_assert_uint_eq(result.sense_len, 18);
	ck_assert_mem_eq(result.sense, sense, 18);
	ck_assert_uint_eq(result.residual, 2448);
}
END_TEST

START_TEST(test_evaluate_ranges)
{
	struct sg_io_hdr hdr;
	guint8 sense[RB_MMC_SENSE_MAX] = {0x70};
	RbMmcResult result = {0};

	/* the transport points sbp at the result: nothing to copy */
	rb_hdr_init(&hdr, result.sense, 512);
	hdr.resid = 100;
	ck_assert(rb_mmc_sg_evaluate("/dev/sr0", &hdr, 0, &result, NULL));
	ck_assert_uint_eq(result.status, RB_SCSI_STATUS_GOOD);
	ck_assert_uint_eq(result.sense_len, 0);
	ck_assert_uint_eq(result.residual, 100);

	/* nonsense from a driver stays in range */
	rb_hdr_init(&hdr, sense, 512);
	hdr.resid = -5;
	hdr.sb_len_wr = 200;
	ck_assert(rb_mmc_sg_evaluate("/dev/sr0", &hdr, 0, &result, NULL));
	ck_assert_uint_eq(result.residual, 0);
	ck_assert_uint_eq(result.sense_len, RB_MMC_SENSE_MAX);
	ck_assert_uint_eq(result.sense[0], 0x70);
	hdr.resid = 4096;
	ck_assert(rb_mmc_sg_evaluate("/dev/sr0", &hdr, 0, &result, NULL));
	ck_assert_uint_eq(result.residual, 512);
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("mmc-sg");
	TCase *tc_open = tcase_create("open");
	TCase *tc_eval = tcase_create("evaluate");

	tcase_add_test(tc_open, test_open_missing);
	tcase_add_loop_test(tc_open, test_open_errors, 0, G_N_ELEMENTS(rb_open_cases));
	tcase_add_test(tc_open, test_open_no_permission);
	tcase_add_test(tc_open, test_not_a_drive);
	suite_add_tcase(suite, tc_open);
	tcase_add_loop_test(tc_eval, test_evaluate_status, 0, G_N_ELEMENTS(rb_eval_cases));
	tcase_add_test(tc_eval, test_evaluate_check_condition);
	tcase_add_test(tc_eval, test_evaluate_ranges);
	suite_add_tcase(suite, tc_eval);
	return rb_test_run_suite(suite);
}
