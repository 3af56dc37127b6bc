/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Burns through SG_IO, end to end: the emulated drive at /dev/sr0 behind
 * umockdev, rawburnd talking SG_IO to it. WriteMedia records a clean disc;
 * Burn with Verify and VerifyMedia read it back with READ CD and find a
 * spoiled sector; a simulated burn leaves the disc blank, as sg_raw, another
 * program on the same SG_IO path, sees too.
 */
#include "config.h"

#include <gio/gunixfdlist.h>
#include <scsi/sg.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rb-dao-stream.h"
#include "rb-error.h"
#include "rb-mmc-types.h"
#include "rb-test-client.h"
#include "rb-test-tools.h"
#include "rb-hotplug-test.h"
#include "rb-umockdev-test.h"

/* the drive saw no Q CRC or address errors */
static void
rb_assert_clean_report(const RbVdriveReport *report)
{
	ck_assert_uint_eq(report->bad_q_crc, 0);
	ck_assert_uint_eq(report->address_mismatches, 0);
}

/* PrepareMedia, WriteMedia of @stream and ReleaseMedia on /dev/sr0 */
static void
rb_burn_prepared(RbTestService *service, RbDaoStream *stream)
{
	rb_hotplug_test_assert_call(service, "PrepareMedia");
	rb_hotplug_test_write_media(service, stream);
	rb_hotplug_test_assert_call(service, "ReleaseMedia");
}

/* a burn through SG_IO: PrepareMedia, WriteMedia, ReleaseMedia on /dev/sr0 */
START_TEST(test_hotplug_burn_through_sg)
{
	g_autoptr(RbUmockdevDrive) drive = rb_test_drive_new("media=cd-r-80,realtime=false");
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(RbDaoStream) stream = rb_hotplug_test_stream_new(2);
	g_autoptr(GVariant) owner = NULL;
	RbVdriveReport report;

	rb_test_service_start_daemon(service, NULL);
	rb_hotplug_test_wait_for(
		service, RB_FORMAT, "CurrentPhysicalMediaType", g_variant_new_uint32(2));
	rb_hotplug_test_assert_call(service, "PrepareMedia");
	owner = rb_hotplug_test_get(service, RB_RECORDER_IFACE, "ExclusiveAccessOwner");
	ck_assert_str_ne(g_variant_get_string(owner, NULL), "");
	rb_hotplug_test_write_media(service, stream);
	rb_hotplug_test_assert_call(service, "ReleaseMedia");

	/* the drive behind SG_IO saw a clean, complete disc */
	rb_vdrive_get_report(rb_umockdev_drive_get_vdrive(drive), &report);
	ck_assert_uint_eq(report.sectors_written,
			  (guint64)(rb_dao_stream_get_end_lba(stream) + 11634));
	rb_assert_clean_report(&report);
	ck_assert_uint_eq(report.toc_mismatches, 0);
	ck_assert(report.complete);
	ck_assert_uint_gt(rb_umockdev_drive_get_ioctl_count(drive, SG_IO), 700);
	rb_test_service_stop_daemon(service);
}
END_TEST

/* Burn (with Verify) or VerifyMedia of @fd as sector type 3 on the emulated
 * /dev/sr0; NULL when it succeeded, else the remote error */
static GError *
rb_call_verified(RbTestService *service, const gchar *method, gint fd)
{
	return rb_hotplug_test_call_fd(
		service,
		method,
		g_strcmp0(method, "Burn") == 0
			? g_variant_new_parsed(
				  "(@h 0, {'SectorType': <uint32 3>, 'Verify': <true>})")
			: g_variant_new_parsed("(@h 0, {'SectorType': <uint32 3>})"),
		fd);
}

/* Burn with Verify and VerifyMedia through SG_IO: the read-back's READ CDs
 * reach the drive behind umockdev. A clean disc verifies; a sector flipped
 * after recording fails both at that LBA */
START_TEST(test_hotplug_burn_verify_through_sg)
{
	g_autoptr(RbUmockdevDrive) drive = rb_test_drive_new("media=cd-r-80,realtime=false");
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(RbDaoStream) stream = rb_hotplug_test_stream_new(3);
	RbVdrive *vdrive = rb_umockdev_drive_get_vdrive(drive);
	RbVdriveFaults faults;
	guint read_cds;
	gint fd = rb_test_stream_to_file(stream);

	rb_test_service_start_daemon(service, NULL);
	rb_hotplug_test_wait_for(
		service, RB_FORMAT, "CurrentPhysicalMediaType", g_variant_new_uint32(2));
	for (guint pass = 0; pass < 2; pass++) {
		g_autoptr(GError) call_error =
			rb_call_verified(service, pass == 0 ? "Burn" : "VerifyMedia", fd);
		ck_assert_msg(call_error == NULL, "%s", call_error->message);
	}
	/* read back through SG_IO, with READ CD */
	read_cds = rb_vdrive_get_command_count(vdrive, RB_MMC_READ_CD);
	ck_assert_uint_gt(read_cds, 20);

	/* a fresh blank, and the last program sector spoiled once recorded */
	ck_assert(rb_vdrive_insert_media(vdrive, RB_VIRTUAL_MEDIA_CD_R_80, NULL));
	rb_vdrive_faults_init(&faults);
	faults.corrupt_at_lba = 299;
	rb_vdrive_set_faults(vdrive, &faults);
	for (guint pass = 0; pass < 2; pass++) {
		g_autoptr(GError) call_error =
			rb_call_verified(service, pass == 0 ? "Burn" : "VerifyMedia", fd);
		g_autofree gchar *remote = NULL;

		ck_assert_ptr_nonnull(call_error);
		remote = g_dbus_error_get_remote_error(call_error);
		ck_assert_str_eq(remote, "org.rawburn.RawBurn1.Error.BurnVerificationFailed");
		ck_assert_msg(strstr(call_error->message,
				     pass == 0 ? "LBA 299: main channel"
					       : "LBA 299: main channel byte 1000 differs") != NULL,
			      "%s",
			      call_error->message);
	}
	ck_assert_uint_gt(rb_vdrive_get_command_count(vdrive, RB_MMC_READ_CD), read_cds);
	close(fd);
	rb_test_service_stop_daemon(service);
}
END_TEST

/* a simulated burn through SG_IO: the drive behind /dev/sr0 is sent every
 * sector with Test Write set and records none; the disc reads blank to
 * rawburnd and to sg_raw, and then takes the real burn */
START_TEST(test_hotplug_simulated_burn_through_sg)
{
	g_autoptr(RbUmockdevDrive) drive = rb_test_drive_new("media=cd-rw-80,realtime=false");
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(RbDaoStream) stream = rb_hotplug_test_stream_new(2);
	RbVdriveReport report;
	guint sg_io_before;

	rb_test_service_start_daemon(service, NULL);
	rb_hotplug_test_wait_for(
		service, RB_FORMAT, "CurrentPhysicalMediaType", g_variant_new_uint32(3));
	ck_assert_uint_eq(rb_hotplug_test_sg_raw_disc_status(), 0);
	rb_hotplug_test_set(service, RB_FORMAT, "TestWrite", g_variant_new_boolean(TRUE));
	sg_io_before = rb_umockdev_drive_get_ioctl_count(drive, SG_IO);
	rb_burn_prepared(service, stream);
	ck_assert_uint_gt(rb_umockdev_drive_get_ioctl_count(drive, SG_IO) - sg_io_before, 700);

	rb_vdrive_get_report(rb_umockdev_drive_get_vdrive(drive), &report);
	ck_assert(report.test_write);
	ck_assert_uint_eq(report.sectors_written,
			  (guint64)(rb_dao_stream_get_end_lba(stream) + 11077));
	rb_assert_clean_report(&report);
	ck_assert(!report.complete);
	rb_hotplug_test_wait_for(
		service, RB_FORMAT, "MediaPhysicallyBlank", g_variant_new_boolean(TRUE));
	ck_assert_uint_eq(rb_hotplug_test_sg_raw_disc_status(), 0);

	/* the same blank disc, for real */
	rb_hotplug_test_set(service, RB_FORMAT, "TestWrite", g_variant_new_boolean(FALSE));
	rb_burn_prepared(service, stream);
	rb_vdrive_get_report(rb_umockdev_drive_get_vdrive(drive), &report);
	ck_assert(!report.test_write);
	ck_assert(report.complete);
	rb_hotplug_test_wait_for(
		service, RB_FORMAT, "MediaPhysicallyBlank", g_variant_new_boolean(FALSE));
	ck_assert_uint_eq(rb_hotplug_test_sg_raw_disc_status(), 2);
	rb_test_service_stop_daemon(service);
}
END_TEST

int
main(int argc, char **argv)
{
	Suite *suite;
	TCase *tc;

	/* libudev and SG_IO of the daemon, our child, go to the testbed */
	rb_umockdev_drive_ensure_preload_or_exit(argv);
	suite = suite_create("hotplug-burn");
	tc = tcase_create("hotplug-burn");
	tcase_set_timeout(tc, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_test(tc, test_hotplug_burn_through_sg);
	tcase_add_test(tc, test_hotplug_burn_verify_through_sg);
	tcase_add_test(tc, test_hotplug_simulated_burn_through_sg);
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
