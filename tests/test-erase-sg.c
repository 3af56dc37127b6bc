/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * EraseMedia through SG_IO: the emulated drive at /dev/sr0 behind
 * umockdev, rawburnd finding it through libudev, burning a CD-RW and then
 * blanking it; sg_raw, a reader of its own, then asks the drive with READ
 * DISC INFORMATION whether the disc is blank. And the service stopping
 * mid-blank sends the busy drive nothing more.
 */
#include "config.h"

#include <gio/gunixfdlist.h>
#include <scsi/sg.h>
#include <string.h>
#include <unistd.h>

#include "rb-dao-stream.h"
#include "rb-error.h"
#include "rb-mmc-types.h"
#include "rb-test-client.h"
#include "rb-test-tools.h"
#include "rb-umockdev-drive.h"

#define RB_SR0 RB_DBUS_RECORDERS_PATH "/sr0"
#define RB_ERASE "org.rawburn.RawBurn1.DiscFormat2Erase"

static gboolean
rb_pattern_main(gint32 lba, guint8 *main_data, gpointer user_data, GError **error)
{
	for (guint i = 0; i < RB_CD_MAIN_SIZE; i++)
		main_data[i] = (guint8)(lba * 11 + i);
	return TRUE;
}

/* waits until @property of sr0 equals @expected */
static void
rb_wait_for(RbTestClient *client, const gchar *interface, const gchar *property, GVariant *expected)
{
	g_autoptr(GVariant) want = g_variant_ref_sink(expected);
	gint64 deadline = g_get_monotonic_time() + RB_TEST_TIMEOUT_SECONDS * G_USEC_PER_SEC / 2;

	for (;;) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GVariant) reply =
			g_dbus_connection_call_sync(client->connection,
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
		g_autoptr(GVariant) value = NULL;

		if (reply != NULL) {
			g_variant_get(reply, "(v)", &value);
			if (g_variant_equal(value, want))
				return;
		}
		ck_assert_msg(g_get_monotonic_time() < deadline,
			      "%s of sr0 never became %s",
			      property,
			      g_variant_print(want, FALSE));
		g_usleep(20 * 1000);
	}
}

/* byte 2 of READ DISC INFORMATION (51h), bits 1-0: 0 blank, 2 complete;
 * asked by sg_raw, which talks SG_IO to /dev/sr0 itself */
static guint
rb_sg_raw_disc_status(void)
{
	const gchar *argv[] = {"sg_raw",
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
	g_auto(GStrv) lines = NULL;
	gint status = rb_test_run_in(NULL, argv, NULL, &out, &err);

	ck_assert_msg(status == 0, "sg_raw: %s%s", out, err);
	/* the data follows "Received 34 bytes of data:" as " 00     00 20 0e 01 …" */
	lines = g_strsplit(err != NULL && strstr(err, "Received") != NULL ? err : out, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		g_auto(GStrv) fields = NULL;

		if (!g_str_has_prefix(g_strstrip(lines[i]), "00 "))
			continue;
		fields = g_strsplit_set(lines[i], " ", -1);
		/* "00", "", …, then the bytes: skip the offset and empty fields */
		{
			guint n = 0;
			for (guint f = 1; fields[f] != NULL; f++) {
				if (fields[f][0] == '\0')
					continue;
				if (n++ == 2)
					return (guint)g_ascii_strtoull(fields[f], NULL, 16) & 0x03;
			}
		}
	}
	ck_abort_msg("no disc information in sg_raw's output: %s%s", out, err);
	return G_MAXUINT;
}

START_TEST(test_erase_through_sg)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RbVirtualSpec) spec =
		rb_virtual_spec_parse("media=cd-rw-80,realtime=false", &error);
	g_autoptr(RbUmockdevDrive) drive = rb_umockdev_drive_new(spec, &error);
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(RbTestClient) client = NULL;
	const RbDaoTrack tracks[] = {{0, 300}};
	g_autoptr(RbDaoStream) stream = NULL;
	g_autoptr(GUnixFDList) fds = NULL;
	g_autofree gchar *failure = NULL;
	g_autofree gchar *message = NULL;
	RbVdriveReport report;
	guint blanks_before;
	gint64 deadline;
	gint fd;

	rb_test_require_program("sg_raw");
	ck_assert_msg(drive != NULL, "%s", error != NULL ? error->message : "");
	stream = rb_dao_stream_new(-22650, tracks, 1, 2, rb_pattern_main, NULL, NULL, &error);
	ck_assert_ptr_nonnull(stream);
	fd = rb_test_stream_to_file(stream);
	fds = rb_test_fd_list_new(fd);
	close(fd);

	rb_test_service_start_daemon(service, NULL);
	client = rb_test_client_new(service);
	rb_wait_for(client, RB_TEST_FORMAT, "CurrentPhysicalMediaType", g_variant_new_uint32(3));
	rb_wait_for(client, RB_ERASE, "CurrentPhysicalMediaType", g_variant_new_uint32(3));
	failure = rb_test_client_call(
		client,
		RB_SR0,
		RB_TEST_FORMAT,
		"Burn",
		g_variant_new("(h@a{sv})", 0, g_variant_new_array(G_VARIANT_TYPE("{sv}"), NULL, 0)),
		fds,
		&message);
	ck_assert_msg(failure == NULL, "Burn: %s %s", failure, message);
	rb_wait_for(client, RB_TEST_FORMAT, "MediaPhysicallyBlank", g_variant_new_boolean(FALSE));
	ck_assert_uint_eq(rb_sg_raw_disc_status(), 2);

	blanks_before =
		rb_vdrive_get_command_count(rb_umockdev_drive_get_vdrive(drive), RB_MMC_BLANK);
	g_clear_pointer(&message, g_free);
	failure = rb_test_client_call(client, RB_SR0, RB_ERASE, "EraseMedia", NULL, NULL, &message);
	ck_assert_msg(failure == NULL, "EraseMedia: %s %s", failure, message);
	/* at once, before any udev event could say so */
	rb_wait_for(client, RB_TEST_FORMAT, "MediaPhysicallyBlank", g_variant_new_boolean(TRUE));

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
	ck_assert_uint_eq(rb_sg_raw_disc_status(), 0);
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
	g_autoptr(GError) error = NULL;
	g_autoptr(RbVirtualSpec) spec =
		rb_virtual_spec_parse("media=cd-rw-80,speed=48,realtime=true", &error);
	g_autoptr(RbUmockdevDrive) drive = rb_umockdev_drive_new(spec, &error);
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(RbTestClient) client = NULL;
	g_autofree gchar *failure = NULL;
	RbTestPending pending = {0};
	RbVdrive *vdrive;
	guint removal_commands;

	ck_assert_msg(drive != NULL, "%s", error != NULL ? error->message : "");
	vdrive = rb_umockdev_drive_get_vdrive(drive);
	rb_test_service_start_daemon(service, NULL);
	client = rb_test_client_new(service);
	rb_wait_for(client, RB_ERASE, "CurrentPhysicalMediaType", g_variant_new_uint32(3));
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
