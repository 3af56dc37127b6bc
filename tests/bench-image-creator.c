/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `make bench`: the service's memory while it produces a 700 MB image.
 * rawburnd on a private bus; a client adds one 700 MB Mode 1 track (a
 * sparse file) to an image creator, calls CreateResultImage and reads the
 * whole stream from the pipe; rawburnd's peak resident size (VmHWM) is
 * read before and after, and the stream's rate is printed. Nothing about
 * them is asserted; Check runs it for the private bus it sets up.
 */
#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "rb-error.h"
#include "rb-test-client.h"

#define RB_BENCH_TRACK_BYTES (700ull * 1000 * 1000 / 2048 * 2048)
#define RB_BENCH_MODE1 2

/* a /proc/PID/status field in KiB, 0 when missing */
static guint64
rb_bench_status_kib(GPid pid, const gchar *field)
{
	g_autofree gchar *path = g_strdup_printf("/proc/%d/status", (gint)pid);
	g_autofree gchar *text = NULL;
	g_auto(GStrv) lines = NULL;

	if (!g_file_get_contents(path, &text, NULL, NULL))
		return 0;
	lines = g_strsplit(text, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		if (g_str_has_prefix(lines[i], field))
			return g_ascii_strtoull(lines[i] + strlen(field), NULL, 10);
	}
	return 0;
}

START_TEST(bench_image_creator)
{
	const gchar *const args[] = {"--virtual-recorder", "media=cd-r-80,realtime=false", NULL};
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(RbTestClient) client = NULL;
	g_autoptr(GVariant) created = NULL;
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GUnixFDList) out_fds = NULL;
	g_autoptr(GUnixFDList) fds = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *track = g_build_filename(service->tmpdir, "track.bin", NULL);
	g_autofree guint8 *buf = g_malloc(1 << 20);
	const gchar *creator = NULL;
	guint64 idle_kib;
	guint64 peak_kib;
	guint64 total = 0;
	gint64 size = 0;
	gint64 start_us;
	gdouble seconds;
	gint fd;

	rb_test_service_start_daemon(service, args);
	client = rb_test_client_new(service);
	fd = open(track, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	ck_assert_msg(fd >= 0 && ftruncate(fd, (off_t)RB_BENCH_TRACK_BYTES) == 0,
		      "cannot make %s",
		      track);
	created = rb_test_client_call_reply(
		client, RB_DBUS_MANAGER_PATH, RB_TEST_MANAGER, "CreateImageCreator", NULL);
	g_variant_get(created, "(&o)", &creator);
	fds = rb_test_fd_list_new(fd);
	close(fd);
	{
		g_autofree gchar *message = NULL;
		g_autofree gchar *failed =
			rb_test_client_call(client,
					    creator,
					    "org.rawburn.RawBurn1.RawCDImageCreator",
					    "AddTrack",
					    g_variant_new("(uh)", RB_BENCH_MODE1, 0),
					    fds,
					    &message);
		ck_assert_msg(failed == NULL, "AddTrack: %s %s", failed, message);
	}
	idle_kib = rb_bench_status_kib(service->daemon_pid, "VmHWM:");
	start_us = g_get_monotonic_time();
	reply = g_dbus_connection_call_with_unix_fd_list_sync(
		client->connection,
		RB_DBUS_NAME,
		creator,
		"org.rawburn.RawBurn1.RawCDImageCreator",
		"CreateResultImage",
		NULL,
		G_VARIANT_TYPE("(hx)"),
		G_DBUS_CALL_FLAGS_NONE,
		-1,
		NULL,
		&out_fds,
		NULL,
		&error);
	ck_assert_msg(reply != NULL, "CreateResultImage: %s", error ? error->message : "");
	g_variant_get(reply, "(hx)", NULL, &size);
	fd = g_unix_fd_list_get(out_fds, 0, NULL);
	for (;;) {
		gssize n = read(fd, buf, 1 << 20);
		if (n <= 0)
			break;
		total += (guint64)n;
	}
	close(fd);
	seconds = (gdouble)(g_get_monotonic_time() - start_us) / G_USEC_PER_SEC;
	peak_kib = rb_bench_status_kib(service->daemon_pid, "VmHWM:");
	g_print("image creator: %" G_GUINT64_FORMAT " of %" G_GINT64_FORMAT
		" bytes in %.2f s (%.0f MB/s of stream, %.0f MB/s of track data)\n",
		total,
		size,
		seconds,
		(gdouble)total / seconds / 1e6,
		(gdouble)RB_BENCH_TRACK_BYTES / seconds / 1e6);
	g_print("rawburnd peak RSS: %" G_GUINT64_FORMAT " KiB before, %" G_GUINT64_FORMAT
		" KiB after (+%" G_GUINT64_FORMAT " KiB) producing a %" G_GUINT64_FORMAT
		" MB image\n",
		idle_kib,
		peak_kib,
		peak_kib - idle_kib,
		total / 1000000);
	rb_test_service_stop_daemon(service);
	g_unlink(track);
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("bench");
	TCase *tc = tcase_create("image-creator");

	/* a measurement, not a test: as long as it takes */
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, bench_image_creator);
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
