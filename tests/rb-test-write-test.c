/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the tests of simulated burns share (rb-test-write-test.h).
 */
#include "config.h"

#include <gio/gunixfdlist.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "rb-error.h"
#include "rb-test-client.h"
#include "rb-test-service.h"
#include "rb-test-tools.h"
#include "rb-test-write-test.h"

static gboolean
rb_pattern_main(gint32 lba, guint8 *main_data, gpointer user_data, GError **error)
{
	for (guint i = 0; i < RB_CD_MAIN_SIZE; i++)
		main_data[i] = (guint8)(lba * 11 + i);
	return TRUE;
}

/* two tracks from 95:00:00 on, in IMAPI's sector type 3 (raw P-W) */
RbDaoStream *
rb_test_write_stream_new(void)
{
	const RbDaoTrack tracks[] = {{0, 400}, {400, 200}};
	g_autoptr(GError) error = NULL;
	RbDaoStream *stream =
		rb_dao_stream_new(-22650, tracks, 2, 3, rb_pattern_main, NULL, NULL, &error);

	ck_assert_msg(stream != NULL, "%s", error ? error->message : "");
	return stream;
}

static void
rb_on_update(GDBusConnection *connection,
	     const gchar *sender,
	     const gchar *path,
	     const gchar *interface,
	     const gchar *signal,
	     GVariant *params,
	     gpointer user_data)
{
	RbTestWriteUpdates *updates = user_data;
	guint32 action;
	gint32 elapsed, remaining, start, count, last_read, last_written, total, used, free_bytes;

	g_variant_get(params,
		      "(uiiiiiiiii)",
		      &action,
		      &elapsed,
		      &remaining,
		      &start,
		      &count,
		      &last_read,
		      &last_written,
		      &total,
		      &used,
		      &free_bytes);
	ck_assert_int_eq(total, used + free_bytes);
	ck_assert_int_ge(last_read, last_written);
	g_array_append_val(updates->actions, action);
	updates->last_written = last_written;
}

void
rb_test_write_updates_watch(RbTestWriteUpdates *updates, RbTestClient *client, const gchar *path)
{
	updates->actions = g_array_new(FALSE, FALSE, sizeof(guint32));
	updates->last_written = G_MININT32;
	updates->connection = client->connection;
	updates->subscription = g_dbus_connection_signal_subscribe(client->connection,
								   RB_DBUS_NAME,
								   RB_TEST_FORMAT,
								   "Update",
								   path,
								   NULL,
								   G_DBUS_SIGNAL_FLAGS_NONE,
								   rb_on_update,
								   updates,
								   NULL);
}

void
rb_test_write_updates_clear(RbTestWriteUpdates *updates)
{
	rb_test_signal_unsubscribe(updates->connection, updates->subscription);
	g_clear_pointer(&updates->actions, g_array_unref);
}

/* PREPARING, WRITING and FINISHING, in order, the last Update at the
 * stream's end: a simulation goes through every step of a burn */
void
rb_test_write_updates_assert_whole_burn(RbTestWriteUpdates *updates, gint32 end_lba)
{
	gboolean seen[4] = {FALSE};
	guint32 previous = 0;

	for (guint i = 0; i < updates->actions->len; i++) {
		guint32 action = g_array_index(updates->actions, guint32, i);

		/* the very last Update may say UNKNOWN: the write is over */
		if (action == 0 && i + 1 == updates->actions->len)
			break;
		ck_assert_uint_ge(action, previous);
		ck_assert_uint_le(action, 3);
		seen[action] = TRUE;
		previous = action;
	}
	ck_assert_msg(seen[1] && seen[2] && seen[3], "Update lacks an action");
	ck_assert_int_eq(updates->last_written, end_lba - 1);
}

/* Burn of @stream with @options (an a{sv} in GVariant text), letting the
 * Update signals in while it runs; returns the error name, NULL on success */
gchar *
rb_test_write_burn(RbTestClient *client,
		   const gchar *path,
		   RbDaoStream *stream,
		   const gchar *options)
{
	gint fd = rb_test_stream_to_file(stream);
	g_autoptr(GUnixFDList) fds = rb_test_fd_list_new(fd);
	RbTestPending pending;
	gchar *error_name;

	close(fd);
	rb_test_client_call_async(client,
				  path,
				  RB_TEST_FORMAT,
				  "Burn",
				  g_variant_new("(h@a{sv})", 0, g_variant_new_parsed(options)),
				  fds,
				  &pending);
	rb_test_pending_wait(&pending);
	/* the Update signals sent before the reply */
	while (g_main_context_iteration(NULL, FALSE))
		;
	error_name = g_steal_pointer(&pending.error_name);
	rb_test_pending_clear(&pending);
	return error_name;
}

/* a property of @path once it equals @expected (the recorder re-reads the
 * drive after a write, off the main thread) */
void
rb_test_write_wait_for(RbTestClient *client,
		       const gchar *path,
		       const gchar *interface,
		       const gchar *property,
		       GVariant *expected)
{
	g_autoptr(GVariant) want = g_variant_ref_sink(expected);
	gint64 deadline = g_get_monotonic_time() + RB_TEST_TIMEOUT_SECONDS * G_USEC_PER_SEC / 2;

	for (;;) {
		g_autoptr(GVariant) value = rb_test_client_get(client, path, interface, property);

		if (g_variant_equal(value, want))
			return;
		ck_assert_msg(g_get_monotonic_time() < deadline,
			      "%s never became %s",
			      property,
			      g_variant_print(want, FALSE));
		g_usleep(20 * 1000);
	}
}

void
rb_test_write_assert_released(RbTestClient *client, const gchar *path)
{
	g_autoptr(GVariant) owner =
		rb_test_client_get(client, path, RB_TEST_RECORDER, "ExclusiveAccessOwner");
	ck_assert_str_eq(g_variant_get_string(owner, NULL), "");
}

gboolean
rb_test_write_report_bool(GVariant *report, const gchar *key)
{
	gboolean value = FALSE;

	ck_assert_msg(g_variant_lookup(report, key, "b", &value), "no %s", key);
	return value;
}

/* the disc is blank after a simulation of @n_sectors sectors: READ DISC
 * INFORMATION says so (MediaPhysicallyBlank, re-read from the drive once
 * the write ended), the drive judged every sector it was sent and
 * recorded none, and there is nothing to export */
void
rb_test_write_assert_simulated(RbTestClient *client, const gchar *path, guint64 n_sectors)
{
	g_autoptr(GVariant) report = NULL;
	g_autofree gchar *export_path = NULL;
	g_autoptr(GUnixFDList) fds = NULL;
	g_autofree gchar *failed = NULL;
	gint fd;

	rb_test_write_wait_for(
		client, path, RB_TEST_FORMAT, "MediaPhysicallyBlank", g_variant_new_boolean(TRUE));
	rb_test_write_wait_for(
		client, path, RB_TEST_FORMAT, "CurrentMediaSupported", g_variant_new_boolean(TRUE));
	report = rb_test_client_get(client, path, RB_TEST_VIRTUAL, "ValidationReport");
	ck_assert(rb_test_write_report_bool(report, "TestWrite"));
	ck_assert(!rb_test_write_report_bool(report, "Complete"));
	ck_assert_uint_eq(rb_test_report_number(report, "SectorsWritten"), n_sectors);
	ck_assert_uint_eq(rb_test_report_number(report, "SectorsRecorded"), 0);
	/* a simulation still has the stream judged: it was a good one */
	rb_test_assert_report_clean(report);
	ck_assert_uint_eq(rb_test_report_number(report, "Tracks"), 2);

	fd = g_file_open_tmp("rawburn-export-XXXXXX", &export_path, NULL);
	ck_assert_int_ge(fd, 0);
	fds = rb_test_fd_list_new(fd);
	close(fd);
	failed = rb_test_client_call(
		client, path, RB_TEST_VIRTUAL, "ExportImage", g_variant_new("(h)", 0), fds, NULL);
	ck_assert_ptr_nonnull(failed);
	g_unlink(export_path);
}

/* the disc a real burn left: complete, clean, and the stream from the
 * disc's lead-in start on */
void
rb_test_write_assert_burned(RbTestClient *client,
			    const gchar *path,
			    RbDaoStream *stream,
			    gint32 leadin)
{
	g_autoptr(GVariant) report =
		rb_test_client_get(client, path, RB_TEST_VIRTUAL, "ValidationReport");
	g_autofree gchar *export_path = NULL;
	g_autoptr(GUnixFDList) fds = NULL;
	g_autofree gchar *failed = NULL;
	g_autofree guint8 *image = NULL;
	guint8 expected[2448];
	gint32 end = rb_dao_stream_get_end_lba(stream);
	gsize len = 0;
	gint fd;

	ck_assert(!rb_test_write_report_bool(report, "TestWrite"));
	ck_assert(rb_test_write_report_bool(report, "Complete"));
	ck_assert_uint_eq(rb_test_report_number(report, "SectorsRecorded"),
			  (guint64)(end - leadin));
	rb_test_assert_report_clean(report);
	rb_test_write_wait_for(
		client, path, RB_TEST_FORMAT, "MediaPhysicallyBlank", g_variant_new_boolean(FALSE));

	fd = g_file_open_tmp("rawburn-export-XXXXXX", &export_path, NULL);
	ck_assert_int_ge(fd, 0);
	fds = rb_test_fd_list_new(fd);
	close(fd);
	failed = rb_test_client_call(
		client, path, RB_TEST_VIRTUAL, "ExportImage", g_variant_new("(h)", 0), fds, NULL);
	ck_assert_msg(failed == NULL, "ExportImage: %s", failed);
	ck_assert(g_file_get_contents(export_path, (gchar **)&image, &len, NULL));
	g_unlink(export_path);
	ck_assert_uint_eq(len, (gsize)(end - leadin) * 2448);
	for (gint32 lba = leadin; lba < end; lba++) {
		ck_assert(rb_dao_stream_get_sector(stream, lba, expected, NULL));
		if (memcmp(image + (gsize)(lba - leadin) * 2448, expected, sizeof(expected)) != 0)
			ck_abort_msg("LBA %d differs", lba);
	}
}
