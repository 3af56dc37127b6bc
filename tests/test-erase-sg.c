/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * EraseMedia through SG_IO: the emulated drive at /dev/sr0 behind
 * umockdev, rawburnd finding it through libudev, simulating a burn on a
 * CD-RW, burning it and then blanking it, and burning it again with
 * verification; sg_raw, a reader of its own, asks the drive with READ DISC
 * INFORMATION whether the disc is blank after each step. And the service stopping
 * mid-blank sends the busy drive nothing more.
 */
#include "config.h"

#include <scsi/sg.h>
#include <string.h>
#include <unistd.h>

#include "rb-dao-stream.h"
#include "rb-error.h"
#include "rb-hotplug-test.h"
#include "rb-mmc-types.h"
#include "rb-test-client.h"
#include "rb-test-tools.h"
#include "rb-umockdev-test.h"

#define RB_ERASE "org.rawburn.RawBurn1.DiscFormat2Erase"

START_TEST(test_erase_through_sg)
{
	g_autoptr(RbUmockdevDrive) drive = rb_test_drive_new("media=cd-rw-80,realtime=false");
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(RbTestClient) client = NULL;
	g_autoptr(RbDaoStream) stream = rb_hotplug_test_stream_new(2);
	g_autofree gchar *failure = NULL;
	g_autofree gchar *message = NULL;
	RbVdriveReport report;
	guint blanks_before;
	gint64 deadline;
	gint fd = rb_test_stream_to_file(stream);

	rb_test_require_program("sg_raw");
	rb_test_service_start_daemon(service, NULL);
	client = rb_test_client_new(service);
	rb_hotplug_test_wait_for(
		service, RB_TEST_FORMAT, "CurrentPhysicalMediaType", g_variant_new_uint32(3));
	rb_hotplug_test_wait_for(
		service, RB_ERASE, "CurrentPhysicalMediaType", g_variant_new_uint32(3));
	/* a simulation first: everything runs, the disc stays blank */
	failure = rb_test_client_call_fd(
		client, RB_SR0, "Burn", fd, "{'TestWrite': <true>}", &message);
	ck_assert_msg(failure == NULL, "Burn (TestWrite): %s %s", failure, message);
	ck_assert_uint_eq(rb_hotplug_test_sg_raw_disc_status(), 0);
	g_clear_pointer(&message, g_free);
	failure = rb_test_client_call_fd(client, RB_SR0, "Burn", fd, "{}", &message);
	ck_assert_msg(failure == NULL, "Burn: %s %s", failure, message);
	rb_hotplug_test_wait_for(
		service, RB_TEST_FORMAT, "MediaPhysicallyBlank", g_variant_new_boolean(FALSE));
	ck_assert_uint_eq(rb_hotplug_test_sg_raw_disc_status(), 2);

	blanks_before =
		rb_vdrive_get_command_count(rb_umockdev_drive_get_vdrive(drive), RB_MMC_BLANK);
	g_clear_pointer(&message, g_free);
	failure = rb_test_client_call(client, RB_SR0, RB_ERASE, "EraseMedia", NULL, NULL, &message);
	ck_assert_msg(failure == NULL, "EraseMedia: %s %s", failure, message);
	/* at once, before any udev event could say so */
	rb_hotplug_test_wait_for(
		service, RB_TEST_FORMAT, "MediaPhysicallyBlank", g_variant_new_boolean(TRUE));

	/* the BLANK went through SG_IO, the drive is free again, the disc blank */
	ck_assert_uint_eq(
		rb_vdrive_get_command_count(rb_umockdev_drive_get_vdrive(drive), RB_MMC_BLANK),
		blanks_before + 1);
	/* ALLOW MEDIUM REMOVAL follows the reply: the lock is free at once, the drive catches up */
	deadline = g_get_monotonic_time() + RB_TEST_TIMEOUT_SECONDS * G_USEC_PER_SEC / 2;
	while (rb_vdrive_get_prevent_removal(rb_umockdev_drive_get_vdrive(drive))) {
		ck_assert_msg(g_get_monotonic_time() < deadline, "the disc stays locked in");
		g_usleep(10 * 1000);
	}
	rb_vdrive_get_report(rb_umockdev_drive_get_vdrive(drive), &report);
	ck_assert_int_eq(report.last_blank, RB_VDRIVE_BLANK_MINIMAL);
	ck_assert_uint_eq(report.sectors_written, 0);
	ck_assert_uint_eq(rb_hotplug_test_sg_raw_disc_status(), 0);

	/* and the erased disc takes the burn again, verified by reading it back
	 * through SG_IO (READ CD), then compared once more by VerifyMedia */
	g_clear_pointer(&message, g_free);
	failure =
		rb_test_client_call_fd(client, RB_SR0, "Burn", fd, "{'Verify': <true>}", &message);
	ck_assert_msg(failure == NULL, "Burn (Verify): %s %s", failure, message);
	ck_assert_uint_eq(rb_hotplug_test_sg_raw_disc_status(), 2);
	g_clear_pointer(&message, g_free);
	failure = rb_test_client_call_fd(client, RB_SR0, "VerifyMedia", fd, "{}", &message);
	ck_assert_msg(failure == NULL, "VerifyMedia: %s %s", failure, message);
	ck_assert_uint_gt(
		rb_vdrive_get_command_count(rb_umockdev_drive_get_vdrive(drive), RB_MMC_READ_CD),
		0);
	close(fd);
	rb_test_service_stop_daemon(service);
}
END_TEST

/*
 * SIGTERM while the drive blanks (a full blank at 48x, about 105 s): the
 * service gives up its wait and lets the lock go without ALLOW MEDIUM
 * REMOVAL, which a drive still blanking answers "not ready" (02/04/07)
 * until the command layer's time-out; the kernel's sr driver allows
 * removal on the last close. Whatever was sent ends with the BLANK.
 */
START_TEST(test_erase_stop_sends_no_allow)
{
	g_autoptr(RbUmockdevDrive) drive =
		rb_test_drive_new("media=cd-rw-80,speed=48,realtime=true");
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(RbTestClient) client = NULL;
	g_autofree gchar *failure = NULL;
	RbTestPending pending = {0};
	RbVdrive *vdrive;
	guint removal_commands;

	vdrive = rb_umockdev_drive_get_vdrive(drive);
	rb_test_service_start_daemon(service, NULL);
	client = rb_test_client_new(service);
	rb_hotplug_test_wait_for(
		service, RB_ERASE, "CurrentPhysicalMediaType", g_variant_new_uint32(3));
	failure = rb_test_client_set(
		client, RB_SR0, RB_ERASE, "FullErase", g_variant_new_boolean(TRUE), NULL);
	ck_assert_ptr_null(failure);
	rb_test_client_call_async(client, RB_SR0, RB_ERASE, "EraseMedia", NULL, NULL, &pending);
	/* the BLANK is in: the disc was locked in before it */
	while (rb_vdrive_get_command_count(vdrive, RB_MMC_BLANK) == 0) {
		ck_assert_msg(!pending.done, "EraseMedia ended: %s", pending.error_name);
		g_main_context_iteration(NULL, FALSE);
		g_usleep(10 * 1000);
	}
	ck_assert(rb_vdrive_get_prevent_removal(vdrive));
	removal_commands = rb_vdrive_get_command_count(vdrive, RB_MMC_PREVENT_ALLOW_MEDIUM_REMOVAL);
	rb_test_service_stop_daemon(service);
	rb_test_pending_wait(&pending);
	ck_assert_str_eq(pending.error_name, RB_TEST_ERROR("RequestCancelled"));
	ck_assert_uint_eq(rb_vdrive_get_command_count(vdrive, RB_MMC_PREVENT_ALLOW_MEDIUM_REMOVAL),
			  removal_commands);
	rb_test_pending_clear(&pending);
}
END_TEST

int
main(int argc, char **argv)
{
	Suite *suite;
	TCase *tc;

	/* libudev and SG_IO of the daemon and of sg_raw, our children, go to the testbed */
	rb_umockdev_drive_ensure_preload_or_exit(argv);
	suite = suite_create("erase-sg");
	tc = tcase_create("erase-sg");
	tcase_set_timeout(tc, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_test(tc, test_erase_through_sg);
	tcase_add_test(tc, test_erase_stop_sends_no_allow);
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
