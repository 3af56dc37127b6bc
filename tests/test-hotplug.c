/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Real-drive discovery, end to end: the emulated drive at /dev/sr0 behind
 * umockdev, rawburnd finding it through libudev and talking SG_IO to it.
 * Media changes and the drive's removal reach the bus; a failed PrepareMedia
 * closes the drive; a burn cut short by the drive's removal, SIGTERM or a
 * replacing daemon winds down. Burns through SG_IO are in
 * test-hotplug-burn.c.
 */
#include "config.h"

#include <gio/gunixfdlist.h>
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

START_TEST(test_hotplug_discovery_and_changes)
{
	g_autoptr(RbUmockdevDrive) drive = rb_test_drive_new("media=cd-rw-80,realtime=false");
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(GVariant) node = NULL;
	g_autoptr(GVariant) vendor = NULL;
	g_autoptr(GError) error = NULL;

	rb_test_service_start_daemon(service, NULL);
	rb_hotplug_test_wait_for(
		service, RB_FORMAT, "CurrentPhysicalMediaType", g_variant_new_uint32(3));
	node = rb_hotplug_test_get(service, RB_RECORDER_IFACE, "DeviceNode");
	vendor = rb_hotplug_test_get(service, RB_RECORDER_IFACE, "VendorId");
	ck_assert_str_eq(g_variant_get_string(node, NULL), "/dev/sr0");
	ck_assert_str_eq(g_variant_get_string(vendor, NULL), "RAWBURN");
	rb_hotplug_test_wait_for(
		service, RB_FORMAT, "StartOfNextSession", g_variant_new_int32(-11077));

	/* the medium out, then a CD-R in: PropertiesChanged follow udev */
	ck_assert(rb_umockdev_drive_set_media(drive, RB_VIRTUAL_MEDIA_NONE, &error));
	rb_hotplug_test_wait_for(
		service, RB_RECORDER_IFACE, "MediaPresent", g_variant_new_boolean(FALSE));
	ck_assert(rb_umockdev_drive_set_media(drive, RB_VIRTUAL_MEDIA_CD_R_80, &error));
	rb_hotplug_test_wait_for(
		service, RB_FORMAT, "CurrentPhysicalMediaType", g_variant_new_uint32(2));
	rb_hotplug_test_wait_for(
		service, RB_FORMAT, "StartOfNextSession", g_variant_new_int32(-11634));

	/* unplugged: the object goes */
	rb_umockdev_drive_remove(drive);
	rb_hotplug_test_wait_for(service, RB_RECORDER_IFACE, "VendorId", NULL);
	rb_test_service_stop_daemon(service);
}
END_TEST

typedef struct {
	gboolean done;
	gchar *error_name;
} RbAsyncWrite;

static void
rb_write_done(GObject *source, GAsyncResult *result, gpointer user_data)
{
	RbAsyncWrite *write = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = g_dbus_connection_call_with_unix_fd_list_finish(
		G_DBUS_CONNECTION(source), NULL, result, &error);

	if (reply == NULL)
		write->error_name = g_dbus_error_get_remote_error(error);
	write->done = TRUE;
}

/* a burn in progress on the emulated drive behind SG_IO: PrepareMedia,
 * then WriteMedia in the background until the drive has taken sectors */
static void
rb_start_slow_burn(RbTestService *service,
		   RbUmockdevDrive *drive,
		   RbDaoStream *stream,
		   RbAsyncWrite *pending)
{
	g_autoptr(GUnixFDList) fds = g_unix_fd_list_new();
	g_autofree gchar *failure = NULL;
	gint fd = rb_test_stream_to_file(stream);
	gint64 deadline;

	g_unix_fd_list_append(fds, fd, NULL);
	close(fd);
	rb_hotplug_test_wait_for(
		service, RB_FORMAT, "CurrentPhysicalMediaType", g_variant_new_uint32(2));
	failure = rb_hotplug_test_call(service, "PrepareMedia", NULL);
	ck_assert_msg(failure == NULL, "%s", failure);
	ck_assert(rb_vdrive_get_prevent_removal(rb_umockdev_drive_get_vdrive(drive)));
	g_dbus_connection_call_with_unix_fd_list(service->connection,
						 RB_DBUS_NAME,
						 RB_SR0,
						 RB_FORMAT,
						 "WriteMedia",
						 g_variant_new("(h)", 0),
						 NULL,
						 G_DBUS_CALL_FLAGS_NONE,
						 G_MAXINT,
						 fds,
						 NULL,
						 rb_write_done,
						 pending);
	deadline = g_get_monotonic_time() + 20 * G_USEC_PER_SEC;
	for (;;) {
		RbVdriveReport report;
		g_main_context_iteration(NULL, FALSE);
		rb_vdrive_get_report(rb_umockdev_drive_get_vdrive(drive), &report);
		if (report.sectors_written > 0)
			break;
		ck_assert(g_get_monotonic_time() < deadline);
		g_usleep(5000);
	}
	/* the recording is open: nothing has finished it yet */
	ck_assert_uint_eq(rb_vdrive_get_command_count(rb_umockdev_drive_get_vdrive(drive),
						      RB_MMC_SYNCHRONIZE_CACHE),
			  0);
}

/* unplugged while writing: the write fails with DeviceGone, the object goes */
START_TEST(test_hotplug_removed_while_writing)
{
	g_autoptr(RbUmockdevDrive) drive = rb_test_drive_new("media=cd-r-80,speed=4,realtime=true");
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	const RbDaoTrack tracks[] = {{0, 300}};
	g_autoptr(GError) error = NULL;
	g_autoptr(RbDaoStream) stream = rb_dao_stream_new(
		-22650, tracks, 1, 2, rb_hotplug_test_pattern_main, NULL, NULL, &error);
	RbAsyncWrite pending = {0};

	rb_test_service_start_daemon(service, NULL);
	rb_start_slow_burn(service, drive, stream, &pending);
	rb_umockdev_drive_remove(drive);
	rb_test_iterate_until(&pending.done);
	ck_assert_str_eq(pending.error_name, "org.rawburn.RawBurn1.Error.DeviceGone");
	g_free(pending.error_name);
	rb_hotplug_test_wait_for(service, RB_RECORDER_IFACE, "VendorId", NULL);
	rb_test_service_stop_daemon(service);
}
END_TEST

/* the drive was told the stream is over, and may be opened again */
static void
rb_assert_drive_wound_down(RbUmockdevDrive *drive)
{
	RbVdrive *vdrive = rb_umockdev_drive_get_vdrive(drive);

	ck_assert_uint_ge(rb_vdrive_get_command_count(vdrive, RB_MMC_SYNCHRONIZE_CACHE), 1);
	ck_assert(!rb_vdrive_get_prevent_removal(vdrive));
}

/* B4: systemctl stop during a burn: the write is cancelled with a reply,
 * the drive gets SYNCHRONIZE CACHE and ALLOW, and the daemon exits 0 */
START_TEST(test_hotplug_sigterm_mid_burn)
{
	g_autoptr(RbUmockdevDrive) drive = rb_test_drive_new("media=cd-r-80,speed=4,realtime=true");
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	const RbDaoTrack tracks[] = {{0, 300}};
	g_autoptr(GError) error = NULL;
	g_autoptr(RbDaoStream) stream = rb_dao_stream_new(
		-22650, tracks, 1, 2, rb_hotplug_test_pattern_main, NULL, NULL, &error);
	RbAsyncWrite pending = {0};
	gint wait_status = 0;

	rb_test_service_start_daemon(service, NULL);
	rb_start_slow_burn(service, drive, stream, &pending);
	ck_assert_int_eq(kill(service->daemon_pid, SIGTERM), 0);
	rb_test_iterate_until(&pending.done);
	ck_assert_str_eq(pending.error_name, "org.rawburn.RawBurn1.Error.RequestCancelled");
	g_free(pending.error_name);
	ck_assert(rb_test_service_wait_daemon_exit(service, 30 * 1000, &wait_status));
	service->daemon_pid = 0;
	ck_assert_msg(WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0,
		      "wait status %d",
		      wait_status);
	rb_assert_drive_wound_down(drive);
}
END_TEST

/* B4: a second rawburnd --replace takes the name during a burn: the first
 * winds its burn down the same way before it goes */
START_TEST(test_hotplug_replace_mid_burn)
{
	g_autoptr(RbUmockdevDrive) drive = rb_test_drive_new("media=cd-r-80,speed=4,realtime=true");
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	const RbDaoTrack tracks[] = {{0, 300}};
	const gchar *const replace[] = {"--replace", NULL};
	g_autoptr(GError) error = NULL;
	g_autoptr(RbDaoStream) stream = rb_dao_stream_new(
		-22650, tracks, 1, 2, rb_hotplug_test_pattern_main, NULL, NULL, &error);
	RbAsyncWrite pending = {0};
	gint wait_status = 0;
	GPid first;

	rb_test_service_start_daemon(service, NULL);
	rb_start_slow_burn(service, drive, stream, &pending);
	first = service->daemon_pid;
	service->daemon_pid = 0;
	rb_test_service_start_daemon(service, replace);
	rb_test_iterate_until(&pending.done);
	ck_assert_str_eq(pending.error_name, "org.rawburn.RawBurn1.Error.RequestCancelled");
	g_free(pending.error_name);
	ck_assert_int_eq(waitpid(first, &wait_status, 0), first);
	ck_assert_msg(WIFEXITED(wait_status),
		      "the replaced daemon died of signal %d",
		      WTERMSIG(wait_status));
	rb_assert_drive_wound_down(drive);
	rb_test_service_stop_daemon(service);
}
END_TEST

/* how many of the daemon's descriptors are open on the testbed's /dev/sr0 */
static guint
rb_count_daemon_opens(RbTestService *service)
{
	g_autofree gchar *dir_path = g_strdup_printf("/proc/%d/fd", (gint)service->daemon_pid);
	g_autoptr(GDir) dir = g_dir_open(dir_path, 0, NULL);
	const gchar *name;
	guint n = 0;

	ck_assert_ptr_nonnull(dir);
	while ((name = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *link = g_build_filename(dir_path, name, NULL);
		g_autofree gchar *target = g_file_read_link(link, NULL);

		if (target != NULL && g_str_has_suffix(target, "/dev/sr0"))
			n++;
	}
	return n;
}

/* a PrepareMedia that fails (here: no medium) leaves the drive as
 * ReleaseMedia does: closed, so mounting and other burners may have it */
START_TEST(test_hotplug_failed_prepare_closes_drive)
{
	g_autoptr(RbUmockdevDrive) drive = rb_test_drive_new("media=cd-r-80,realtime=false");
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(GError) error = NULL;
	g_autofree gchar *failure = NULL;
	gint64 deadline;

	rb_test_service_start_daemon(service, NULL);
	rb_hotplug_test_wait_for(
		service, RB_FORMAT, "CurrentPhysicalMediaType", g_variant_new_uint32(2));
	ck_assert_uint_eq(rb_count_daemon_opens(service), 0);
	ck_assert_msg(rb_umockdev_drive_set_media(drive, RB_VIRTUAL_MEDIA_NONE, &error),
		      "%s",
		      error ? error->message : "");
	failure = rb_hotplug_test_call(service, "PrepareMedia", NULL);
	ck_assert_msg(failure != NULL &&
			      strstr(failure, RB_DBUS_ERROR_PREFIX "MediaNoMedia:") != NULL,
		      "%s",
		      failure);
	deadline = g_get_monotonic_time() + 20 * G_USEC_PER_SEC;
	while (rb_count_daemon_opens(service) > 0) {
		ck_assert_msg(g_get_monotonic_time() < deadline,
			      "the drive stays open after a failed PrepareMedia");
		g_usleep(10 * 1000);
	}
	ck_assert(!rb_vdrive_get_prevent_removal(rb_umockdev_drive_get_vdrive(drive)));
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
	suite = suite_create("hotplug");
	tc = tcase_create("hotplug");
	tcase_set_timeout(tc, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_test(tc, test_hotplug_discovery_and_changes);
	tcase_add_test(tc, test_hotplug_failed_prepare_closes_drive);
	tcase_add_test(tc, test_hotplug_removed_while_writing);
	tcase_add_test(tc, test_hotplug_sigterm_mid_burn);
	tcase_add_test(tc, test_hotplug_replace_mid_burn);
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
