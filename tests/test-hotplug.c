/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Real-drive discovery, end to end: the emulated drive at /dev/sr0 behind
 * umockdev, rawburnd finding it through libudev and talking SG_IO to it. A
 * burn over the bus goes through the sg transport; media changes and the
 * drive's removal reach the bus.
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
#include "rb-umockdev-drive.h"

#define RB_SR0 RB_DBUS_RECORDERS_PATH "/sr0"
#define RB_FORMAT "org.rawburn.RawBurn1.DiscFormat2RawCD"
#define RB_RECORDER_IFACE "org.rawburn.RawBurn1.Recorder"

static GVariant *
rb_get(RbTestService *service, const gchar *interface, const gchar *property)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply =
		g_dbus_connection_call_sync(service->connection,
					    RB_DBUS_NAME,
					    RB_SR0,
					    "org.freedesktop.DBus.Properties",
					    "Get",
					    g_variant_new("(ss)", interface, property),
					    G_VARIANT_TYPE("(v)"),
					    G_DBUS_CALL_FLAGS_NONE,
					    -1,
					    NULL,
					    &error);
	GVariant *value = NULL;

	if (reply == NULL)
		return NULL;
	g_variant_get(reply, "(v)", &value);
	return value;
}

/* waits until @property of sr0 equals @expected (NULL: until sr0 is gone) */
static void
rb_wait_for(RbTestService *service,
	    const gchar *interface,
	    const gchar *property,
	    GVariant *expected)
{
	g_autoptr(GVariant) want = expected != NULL ? g_variant_ref_sink(expected) : NULL;
	gint64 deadline = g_get_monotonic_time() + RB_TEST_TIMEOUT_SECONDS * G_USEC_PER_SEC / 2;

	for (;;) {
		g_autoptr(GVariant) value = rb_get(service, interface, property);
		if (want == NULL ? value == NULL : (value != NULL && g_variant_equal(value, want)))
			return;
		ck_assert_msg(g_get_monotonic_time() < deadline,
			      "%s of sr0 never became %s",
			      property,
			      want != NULL ? g_variant_print(want, FALSE) : "gone");
		g_usleep(20 * 1000);
	}
}

static gchar *
rb_call(RbTestService *service, const gchar *method, GVariant *params)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = g_dbus_connection_call_sync(service->connection,
								RB_DBUS_NAME,
								RB_SR0,
								RB_FORMAT,
								method,
								params,
								NULL,
								G_DBUS_CALL_FLAGS_NONE,
								G_MAXINT,
								NULL,
								&error);
	return reply != NULL ? NULL : g_strdup(error->message);
}

static RbUmockdevDrive *
rb_drive_new(const gchar *spec_text)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RbVirtualSpec) spec = rb_virtual_spec_parse(spec_text, &error);
	RbUmockdevDrive *drive = rb_umockdev_drive_new(spec, &error);

	ck_assert_msg(drive != NULL, "%s", error ? error->message : "");
	return drive;
}

START_TEST(test_hotplug_discovery_and_changes)
{
	g_autoptr(RbUmockdevDrive) drive = rb_drive_new("media=cd-rw-80,realtime=false");
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(GVariant) node = NULL;
	g_autoptr(GVariant) vendor = NULL;
	g_autoptr(GError) error = NULL;

	rb_test_service_start_daemon(service, NULL);
	rb_wait_for(service, RB_FORMAT, "CurrentPhysicalMediaType", g_variant_new_uint32(3));
	node = rb_get(service, RB_RECORDER_IFACE, "DeviceNode");
	vendor = rb_get(service, RB_RECORDER_IFACE, "VendorId");
	ck_assert_str_eq(g_variant_get_string(node, NULL), "/dev/sr0");
	ck_assert_str_eq(g_variant_get_string(vendor, NULL), "RAWBURN");
	rb_wait_for(service, RB_FORMAT, "StartOfNextSession", g_variant_new_int32(-11077));

	/* the medium out, then a CD-R in: PropertiesChanged follow udev */
	ck_assert(rb_umockdev_drive_set_media(drive, RB_VIRTUAL_MEDIA_NONE, &error));
	rb_wait_for(service, RB_RECORDER_IFACE, "MediaPresent", g_variant_new_boolean(FALSE));
	ck_assert(rb_umockdev_drive_set_media(drive, RB_VIRTUAL_MEDIA_CD_R_80, &error));
	rb_wait_for(service, RB_FORMAT, "CurrentPhysicalMediaType", g_variant_new_uint32(2));
	rb_wait_for(service, RB_FORMAT, "StartOfNextSession", g_variant_new_int32(-11634));

	/* unplugged: the object goes */
	rb_umockdev_drive_remove(drive);
	rb_wait_for(service, RB_RECORDER_IFACE, "VendorId", NULL);
	rb_test_service_stop_daemon(service);
}
END_TEST

static gboolean
rb_pattern_main(gint32 lba, guint8 *main_data, gpointer user_data, GError **error)
{
	for (guint i = 0; i < RB_CD_MAIN_SIZE; i++)
		main_data[i] = (guint8)(lba * 5 + i);
	return TRUE;
}

/* a burn through SG_IO: PrepareMedia, WriteMedia, ReleaseMedia on /dev/sr0 */
START_TEST(test_hotplug_burn_through_sg)
{
	g_autoptr(RbUmockdevDrive) drive = rb_drive_new("media=cd-r-80,realtime=false");
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	const RbDaoTrack tracks[] = {{0, 300}};
	g_autoptr(GError) error = NULL;
	g_autoptr(RbDaoStream) stream =
		rb_dao_stream_new(-22650, tracks, 1, 2, rb_pattern_main, NULL, NULL, &error);
	gint fd;
	g_autoptr(GUnixFDList) fds = g_unix_fd_list_new();
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariant) owner = NULL;
	g_autofree gchar *failure = NULL;
	RbVdriveReport report;

	ck_assert_ptr_nonnull(stream);
	fd = rb_test_stream_to_file(stream);
	g_unix_fd_list_append(fds, fd, NULL);
	close(fd);

	rb_test_service_start_daemon(service, NULL);
	rb_wait_for(service, RB_FORMAT, "CurrentPhysicalMediaType", g_variant_new_uint32(2));
	failure = rb_call(service, "PrepareMedia", NULL);
	ck_assert_msg(failure == NULL, "%s", failure);
	owner = rb_get(service, RB_RECORDER_IFACE, "ExclusiveAccessOwner");
	ck_assert_str_ne(g_variant_get_string(owner, NULL), "");
	reply = g_dbus_connection_call_with_unix_fd_list_sync(service->connection,
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
							      NULL,
							      &error);
	ck_assert_msg(reply != NULL, "WriteMedia: %s", error ? error->message : "");
	failure = rb_call(service, "ReleaseMedia", NULL);
	ck_assert_msg(failure == NULL, "%s", failure);

	/* the drive behind SG_IO saw a clean, complete disc */
	rb_vdrive_get_report(rb_umockdev_drive_get_vdrive(drive), &report);
	ck_assert_uint_eq(report.sectors_written,
			  (guint64)(rb_dao_stream_get_end_lba(stream) + 11634));
	ck_assert_uint_eq(report.bad_q_crc, 0);
	ck_assert_uint_eq(report.address_mismatches, 0);
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
	g_autoptr(GUnixFDList) fds = g_unix_fd_list_new();
	g_autoptr(GVariant) reply = NULL;
	GError *error = NULL;

	ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
	g_unix_fd_list_append(fds, fd, NULL);
	reply = g_dbus_connection_call_with_unix_fd_list_sync(
		service->connection,
		RB_DBUS_NAME,
		RB_SR0,
		RB_FORMAT,
		method,
		g_strcmp0(method, "Burn") == 0
			? g_variant_new_parsed(
				  "(@h 0, {'SectorType': <uint32 3>, 'Verify': <true>})")
			: g_variant_new_parsed("(@h 0, {'SectorType': <uint32 3>})"),
		NULL,
		G_DBUS_CALL_FLAGS_NONE,
		G_MAXINT,
		fds,
		NULL,
		NULL,
		&error);
	return error;
}

/* Burn with Verify and VerifyMedia through SG_IO: the read-back's READ CDs
 * reach the drive behind umockdev. A clean disc verifies; a sector flipped
 * after recording fails both at that LBA */
START_TEST(test_hotplug_burn_verify_through_sg)
{
	g_autoptr(RbUmockdevDrive) drive = rb_drive_new("media=cd-r-80,realtime=false");
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	const RbDaoTrack tracks[] = {{0, 300}};
	g_autoptr(GError) error = NULL;
	g_autoptr(RbDaoStream) stream =
		rb_dao_stream_new(-22650, tracks, 1, 3, rb_pattern_main, NULL, NULL, &error);
	RbVdrive *vdrive = rb_umockdev_drive_get_vdrive(drive);
	RbVdriveFaults faults;
	guint read_cds;
	gint fd;

	ck_assert_ptr_nonnull(stream);
	fd = rb_test_stream_to_file(stream);
	rb_test_service_start_daemon(service, NULL);
	rb_wait_for(service, RB_FORMAT, "CurrentPhysicalMediaType", g_variant_new_uint32(2));

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

/* READ DISC INFORMATION's disc status (byte 2, bits 1-0: 0 blank, 2
 * complete) as sg_raw gets it from /dev/sr0: another program, through the
 * same SG_IO path as rawburnd */
static guint
rb_sg_raw_disc_status(void)
{
	const gchar *const argv[] = {"sg_raw",
				     "-r",
				     "34",
				     "/dev/sr0",
				     "51",
				     "00",
				     "00",
				     "00",
				     "00",
				     "00",
				     "00",
				     "00",
				     "22",
				     "00",
				     NULL};
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	const gchar *row;
	guint bytes[3] = {0xFF, 0xFF, 0xFF};

	rb_test_require_program("sg_raw");
	ck_assert_msg(rb_test_run(argv, NULL, &out, &err) == 0, "sg_raw: %s%s", out, err);
	/* "Received 34 bytes of data:" then " 00     00 20 0e ..." */
	row = strstr(err, "\n 00 ");
	ck_assert_msg(row != NULL, "sg_raw printed: %s%s", out, err);
	ck_assert_int_eq(sscanf(row + 4, " %x %x %x", &bytes[0], &bytes[1], &bytes[2]), 3);
	return bytes[2] & 0x03;
}

static void
rb_write_media(RbTestService *service, RbDaoStream *stream)
{
	g_autoptr(GUnixFDList) fds = g_unix_fd_list_new();
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GError) error = NULL;
	gint fd = rb_test_stream_to_file(stream);

	g_unix_fd_list_append(fds, fd, NULL);
	close(fd);
	reply = g_dbus_connection_call_with_unix_fd_list_sync(service->connection,
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
							      NULL,
							      &error);
	ck_assert_msg(reply != NULL, "WriteMedia: %s", error ? error->message : "");
}

/* a simulated burn through SG_IO: the drive behind /dev/sr0 is sent every
 * sector with Test Write set and records none; the disc reads blank to
 * rawburnd and to sg_raw, and then takes the real burn */
START_TEST(test_hotplug_simulated_burn_through_sg)
{
	g_autoptr(RbUmockdevDrive) drive = rb_drive_new("media=cd-rw-80,realtime=false");
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	const RbDaoTrack tracks[] = {{0, 300}};
	g_autoptr(GError) error = NULL;
	g_autoptr(RbDaoStream) stream =
		rb_dao_stream_new(-22650, tracks, 1, 2, rb_pattern_main, NULL, NULL, &error);
	g_autoptr(GVariant) set = NULL;
	g_autofree gchar *failure = NULL;
	RbVdriveReport report;
	guint sg_io_before;

	ck_assert_ptr_nonnull(stream);
	rb_test_service_start_daemon(service, NULL);
	rb_wait_for(service, RB_FORMAT, "CurrentPhysicalMediaType", g_variant_new_uint32(3));
	ck_assert_uint_eq(rb_sg_raw_disc_status(), 0);
	set = g_dbus_connection_call_sync(
		service->connection,
		RB_DBUS_NAME,
		RB_SR0,
		"org.freedesktop.DBus.Properties",
		"Set",
		g_variant_new("(ssv)", RB_FORMAT, "TestWrite", g_variant_new_boolean(TRUE)),
		NULL,
		G_DBUS_CALL_FLAGS_NONE,
		-1,
		NULL,
		&error);
	ck_assert_msg(set != NULL, "%s", error ? error->message : "");
	g_clear_pointer(&set, g_variant_unref);
	sg_io_before = rb_umockdev_drive_get_ioctl_count(drive, SG_IO);
	failure = rb_call(service, "PrepareMedia", NULL);
	ck_assert_msg(failure == NULL, "%s", failure);
	rb_write_media(service, stream);
	failure = rb_call(service, "ReleaseMedia", NULL);
	ck_assert_msg(failure == NULL, "%s", failure);
	ck_assert_uint_gt(rb_umockdev_drive_get_ioctl_count(drive, SG_IO) - sg_io_before, 700);

	rb_vdrive_get_report(rb_umockdev_drive_get_vdrive(drive), &report);
	ck_assert(report.test_write);
	ck_assert_uint_eq(report.sectors_written,
			  (guint64)(rb_dao_stream_get_end_lba(stream) + 11077));
	ck_assert_uint_eq(report.bad_q_crc, 0);
	ck_assert_uint_eq(report.address_mismatches, 0);
	ck_assert(!report.complete);
	rb_wait_for(service, RB_FORMAT, "MediaPhysicallyBlank", g_variant_new_boolean(TRUE));
	ck_assert_uint_eq(rb_sg_raw_disc_status(), 0);

	/* the same blank disc, for real */
	set = g_dbus_connection_call_sync(
		service->connection,
		RB_DBUS_NAME,
		RB_SR0,
		"org.freedesktop.DBus.Properties",
		"Set",
		g_variant_new("(ssv)", RB_FORMAT, "TestWrite", g_variant_new_boolean(FALSE)),
		NULL,
		G_DBUS_CALL_FLAGS_NONE,
		-1,
		NULL,
		&error);
	ck_assert_msg(set != NULL, "%s", error ? error->message : "");
	failure = rb_call(service, "PrepareMedia", NULL);
	ck_assert_msg(failure == NULL, "%s", failure);
	rb_write_media(service, stream);
	failure = rb_call(service, "ReleaseMedia", NULL);
	ck_assert_msg(failure == NULL, "%s", failure);
	rb_vdrive_get_report(rb_umockdev_drive_get_vdrive(drive), &report);
	ck_assert(!report.test_write);
	ck_assert(report.complete);
	rb_wait_for(service, RB_FORMAT, "MediaPhysicallyBlank", g_variant_new_boolean(FALSE));
	ck_assert_uint_eq(rb_sg_raw_disc_status(), 2);
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
	rb_wait_for(service, RB_FORMAT, "CurrentPhysicalMediaType", g_variant_new_uint32(2));
	failure = rb_call(service, "PrepareMedia", NULL);
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
	g_autoptr(RbUmockdevDrive) drive = rb_drive_new("media=cd-r-80,speed=4,realtime=true");
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	const RbDaoTrack tracks[] = {{0, 300}};
	g_autoptr(GError) error = NULL;
	g_autoptr(RbDaoStream) stream =
		rb_dao_stream_new(-22650, tracks, 1, 2, rb_pattern_main, NULL, NULL, &error);
	RbAsyncWrite pending = {0};

	rb_test_service_start_daemon(service, NULL);
	rb_start_slow_burn(service, drive, stream, &pending);
	rb_umockdev_drive_remove(drive);
	rb_test_iterate_until(&pending.done);
	ck_assert_str_eq(pending.error_name, "org.rawburn.RawBurn1.Error.DeviceGone");
	g_free(pending.error_name);
	rb_wait_for(service, RB_RECORDER_IFACE, "VendorId", NULL);
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
	g_autoptr(RbUmockdevDrive) drive = rb_drive_new("media=cd-r-80,speed=4,realtime=true");
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	const RbDaoTrack tracks[] = {{0, 300}};
	g_autoptr(GError) error = NULL;
	g_autoptr(RbDaoStream) stream =
		rb_dao_stream_new(-22650, tracks, 1, 2, rb_pattern_main, NULL, NULL, &error);
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
	g_autoptr(RbUmockdevDrive) drive = rb_drive_new("media=cd-r-80,speed=4,realtime=true");
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	const RbDaoTrack tracks[] = {{0, 300}};
	const gchar *const replace[] = {"--replace", NULL};
	g_autoptr(GError) error = NULL;
	g_autoptr(RbDaoStream) stream =
		rb_dao_stream_new(-22650, tracks, 1, 2, rb_pattern_main, NULL, NULL, &error);
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
	g_autoptr(RbUmockdevDrive) drive = rb_drive_new("media=cd-r-80,realtime=false");
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(GError) error = NULL;
	g_autofree gchar *failure = NULL;
	gint64 deadline;

	rb_test_service_start_daemon(service, NULL);
	rb_wait_for(service, RB_FORMAT, "CurrentPhysicalMediaType", g_variant_new_uint32(2));
	ck_assert_uint_eq(rb_count_daemon_opens(service), 0);
	ck_assert_msg(rb_umockdev_drive_set_media(drive, RB_VIRTUAL_MEDIA_NONE, &error),
		      "%s",
		      error ? error->message : "");
	failure = rb_call(service, "PrepareMedia", NULL);
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
	tcase_add_test(tc, test_hotplug_burn_through_sg);
	tcase_add_test(tc, test_hotplug_burn_verify_through_sg);
	tcase_add_test(tc, test_hotplug_simulated_burn_through_sg);
	tcase_add_test(tc, test_hotplug_failed_prepare_closes_drive);
	tcase_add_test(tc, test_hotplug_removed_while_writing);
	tcase_add_test(tc, test_hotplug_sigterm_mid_burn);
	tcase_add_test(tc, test_hotplug_replace_mid_burn);
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
