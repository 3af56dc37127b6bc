/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Simulated burns (the TestWrite property and Burn option) over the bus and
 * through rawburnctl, on virtual CD-R and CD-RW recorders: everything runs
 * (the lock, the FIFO, Update with PREPARING, WRITING and FINISHING) and
 * the disc stays blank, as the drive's READ DISC INFORMATION and its
 * validation report say; a real burn of the same stream then succeeds. A
 * recorder that claims no test writing refuses a simulation with
 * TestWriteNotSupported before anything is written.
 */
#include "config.h"

#include <gio/gunixfdlist.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "rb-dao-stream.h"
#include "rb-error.h"
#include "rb-test-client.h"
#include "rb-test-service.h"
#include "rb-test-tools.h"

#define RB_V0 RB_DBUS_RECORDERS_PATH "/virtual0"
#define RB_V1 RB_DBUS_RECORDERS_PATH "/virtual1"
#define RB_NOT_SUPPORTED RB_TEST_ERROR("TestWriteNotSupported")

/* ---- helpers ---- */

static gboolean
rb_pattern_main(gint32 lba, guint8 *main_data, gpointer user_data, GError **error)
{
	for (guint i = 0; i < RB_CD_MAIN_SIZE; i++)
		main_data[i] = (guint8)(lba * 11 + i);
	return TRUE;
}

/* two tracks from 95:00:00 on, in IMAPI's sector type 3 (raw P-W) */
static RbDaoStream *
rb_stream_new(void)
{
	const RbDaoTrack tracks[] = {{0, 400}, {400, 200}};
	g_autoptr(GError) error = NULL;
	RbDaoStream *stream =
		rb_dao_stream_new(-22650, tracks, 2, 3, rb_pattern_main, NULL, NULL, &error);

	ck_assert_msg(stream != NULL, "%s", error ? error->message : "");
	return stream;
}

/* the actions of the Update signals one client received, in order */
typedef struct {
	GArray *actions; /* guint32 */
	gint32 last_written;
	guint subscription;
	GDBusConnection *connection;
} RbUpdates;

static void
rb_on_update(GDBusConnection *connection,
	     const gchar *sender,
	     const gchar *path,
	     const gchar *interface,
	     const gchar *signal,
	     GVariant *params,
	     gpointer user_data)
{
	RbUpdates *updates = user_data;
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

static void
rb_updates_watch(RbUpdates *updates, RbTestClient *client, const gchar *path)
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

static void
rb_updates_clear(RbUpdates *updates)
{
	g_dbus_connection_signal_unsubscribe(updates->connection, updates->subscription);
	g_clear_pointer(&updates->actions, g_array_unref);
}

/* PREPARING, WRITING and FINISHING, in order, the last Update at the
 * stream's end: a simulation goes through every step of a burn */
static void
rb_updates_assert_whole_burn(RbUpdates *updates, gint32 end_lba)
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
static gchar *
rb_burn(RbTestClient *client, const gchar *path, RbDaoStream *stream, const gchar *options)
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
static void
rb_wait_for(RbTestClient *client,
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

static void
rb_assert_released(RbTestClient *client, const gchar *path)
{
	g_autoptr(GVariant) owner =
		rb_test_client_get(client, path, RB_TEST_RECORDER, "ExclusiveAccessOwner");
	ck_assert_str_eq(g_variant_get_string(owner, NULL), "");
}

static gboolean
rb_report_bool(GVariant *report, const gchar *key)
{
	gboolean value = FALSE;

	ck_assert_msg(g_variant_lookup(report, key, "b", &value), "no %s", key);
	return value;
}

/* the disc is blank after a simulation of @n_sectors sectors: READ DISC
 * INFORMATION says so (MediaPhysicallyBlank, re-read from the drive once
 * the write ended), the drive judged every sector it was sent and
 * recorded none, and there is nothing to export */
static void
rb_assert_simulated(RbTestClient *client, const gchar *path, guint64 n_sectors)
{
	g_autoptr(GVariant) report = NULL;
	g_autofree gchar *export_path = NULL;
	g_autoptr(GUnixFDList) fds = NULL;
	g_autofree gchar *failed = NULL;
	gint fd;

	rb_wait_for(
		client, path, RB_TEST_FORMAT, "MediaPhysicallyBlank", g_variant_new_boolean(TRUE));
	rb_wait_for(
		client, path, RB_TEST_FORMAT, "CurrentMediaSupported", g_variant_new_boolean(TRUE));
	report = rb_test_client_get(client, path, RB_TEST_VIRTUAL, "ValidationReport");
	ck_assert(rb_report_bool(report, "TestWrite"));
	ck_assert(!rb_report_bool(report, "Complete"));
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
static void
rb_assert_burned(RbTestClient *client, const gchar *path, RbDaoStream *stream, gint32 leadin)
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

	ck_assert(!rb_report_bool(report, "TestWrite"));
	ck_assert(rb_report_bool(report, "Complete"));
	ck_assert_uint_eq(rb_test_report_number(report, "SectorsRecorded"),
			  (guint64)(end - leadin));
	rb_test_assert_report_clean(report);
	rb_wait_for(
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

static gint32
rb_get_leadin(RbTestClient *client, const gchar *path)
{
	g_autoptr(GVariant) start =
		rb_test_client_get(client, path, RB_TEST_FORMAT, "StartOfNextSession");
	return g_variant_get_int32(start);
}

/* ---- over the bus ---- */

static const gchar *const rb_media[] = {"media=cd-r-80,realtime=false",
					"media=cd-rw-80,realtime=false"};

/* Burn with the TestWrite option: everything runs, nothing is recorded;
 * then a real Burn of the same stream on the same disc */
START_TEST(test_test_write_burn)
{
	const gchar *const args[] = {"--virtual-recorder", rb_media[_i], NULL};
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(RbTestClient) client = NULL;
	g_autoptr(RbDaoStream) stream = rb_stream_new();
	g_autofree gchar *failed = NULL;
	RbUpdates updates;
	gint32 leadin;

	rb_test_service_start_daemon(service, args);
	client = rb_test_client_new(service);
	rb_test_client_wait_for_drive(client, RB_V0);
	leadin = rb_get_leadin(client, RB_V0);
	ck_assert_int_eq(leadin, _i == 0 ? -11634 : -11077);
	rb_updates_watch(&updates, client, RB_V0);

	failed = rb_burn(client,
			 RB_V0,
			 stream,
			 "{'ClientName': <'Simulation'>, 'SectorType': <uint32 3>, "
			 "'TestWrite': <true>}");
	ck_assert_msg(failed == NULL, "simulated Burn: %s", failed);
	rb_updates_assert_whole_burn(&updates, rb_dao_stream_get_end_lba(stream));
	rb_assert_released(client, RB_V0);
	rb_assert_simulated(client, RB_V0, (guint64)(rb_dao_stream_get_end_lba(stream) - leadin));
	/* Burn's option was for that call: the caller's property is untouched */
	{
		g_autoptr(GVariant) value =
			rb_test_client_get(client, RB_V0, RB_TEST_FORMAT, "TestWrite");
		ck_assert(!g_variant_get_boolean(value));
	}

	/* the same disc, blank still, takes the real burn */
	g_array_set_size(updates.actions, 0);
	failed = rb_burn(client, RB_V0, stream, "{'SectorType': <uint32 3>}");
	ck_assert_msg(failed == NULL, "real Burn after the simulation: %s", failed);
	rb_updates_assert_whole_burn(&updates, rb_dao_stream_get_end_lba(stream));
	rb_assert_burned(client, RB_V0, stream, leadin);
	rb_assert_released(client, RB_V0);
	rb_updates_clear(&updates);
	rb_test_service_stop_daemon(service);
}
END_TEST

/* the recorder's PropertiesChanged signals one connection received */
static void
rb_on_properties_changed(GDBusConnection *connection,
			 const gchar *sender,
			 const gchar *path,
			 const gchar *interface,
			 const gchar *signal,
			 GVariant *params,
			 gpointer user_data)
{
	guint *count = user_data;
	g_autoptr(GVariant) changed = g_variant_get_child_value(params, 1);
	g_autoptr(GVariant) value = g_variant_lookup_value(changed, "TestWrite", NULL);

	if (value != NULL)
		(*count)++;
}

/*
 * The property: per client (another connection still reads false and
 * hears nothing of it), of type b only, and used by WriteMedia2 after
 * PrepareMedia as IMAPI's properties are.
 */
START_TEST(test_test_write_property)
{
	const gchar *const args[] = {"--virtual-recorder", rb_media[0], NULL};
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(RbTestClient) a = NULL;
	g_autoptr(RbTestClient) b = NULL;
	g_autoptr(RbDaoStream) stream = rb_stream_new();
	g_autoptr(GUnixFDList) fds = NULL;
	g_autoptr(GVariant) value = NULL;
	g_autofree gchar *failed = NULL;
	g_autofree gchar *wrong = NULL;
	RbUpdates updates;
	RbTestPending pending;
	guint heard_a = 0;
	guint heard_b = 0;
	guint sub_a;
	guint sub_b;
	gint fd;

	rb_test_service_start_daemon(service, args);
	a = rb_test_client_new(service);
	b = rb_test_client_new(service);
	rb_test_client_wait_for_drive(a, RB_V0);
	sub_a = g_dbus_connection_signal_subscribe(a->connection,
						   RB_DBUS_NAME,
						   "org.freedesktop.DBus.Properties",
						   "PropertiesChanged",
						   RB_V0,
						   RB_TEST_FORMAT,
						   G_DBUS_SIGNAL_FLAGS_NONE,
						   rb_on_properties_changed,
						   &heard_a,
						   NULL);
	sub_b = g_dbus_connection_signal_subscribe(b->connection,
						   RB_DBUS_NAME,
						   "org.freedesktop.DBus.Properties",
						   "PropertiesChanged",
						   RB_V0,
						   RB_TEST_FORMAT,
						   G_DBUS_SIGNAL_FLAGS_NONE,
						   rb_on_properties_changed,
						   &heard_b,
						   NULL);

	value = rb_test_client_get(a, RB_V0, RB_TEST_FORMAT, "TestWrite");
	ck_assert(!g_variant_get_boolean(value));
	g_clear_pointer(&value, g_variant_unref);
	/* a wrong type is refused by its name, and changes nothing */
	wrong = rb_test_client_set(
		a, RB_V0, RB_TEST_FORMAT, "TestWrite", g_variant_new_string("yes"), NULL);
	ck_assert_str_eq(wrong, RB_TEST_INVALID_ARGS);
	g_clear_pointer(&wrong, g_free);
	wrong = rb_test_client_set(
		a, RB_V0, RB_TEST_FORMAT, "TestWrite", g_variant_new_uint32(1), NULL);
	ck_assert_str_eq(wrong, RB_TEST_INVALID_ARGS);
	/* set before PrepareMedia, as a client sets up its format object */
	failed = rb_test_client_set(
		a, RB_V0, RB_TEST_FORMAT, "TestWrite", g_variant_new_boolean(TRUE), NULL);
	ck_assert_msg(failed == NULL, "%s", failed);
	value = rb_test_client_get(a, RB_V0, RB_TEST_FORMAT, "TestWrite");
	ck_assert(g_variant_get_boolean(value));
	g_clear_pointer(&value, g_variant_unref);
	value = rb_test_client_get(b, RB_V0, RB_TEST_FORMAT, "TestWrite");
	ck_assert(!g_variant_get_boolean(value));
	g_clear_pointer(&value, g_variant_unref);
	/* the Get calls above came after the signal: it has arrived if sent */
	while (g_main_context_iteration(NULL, FALSE))
		;
	ck_assert_uint_eq(heard_a, 1);
	ck_assert_uint_eq(heard_b, 0);

	/* PrepareMedia, then WriteMedia2: the caller's TestWrite applies */
	rb_updates_watch(&updates, a, RB_V0);
	failed = rb_test_client_call(a, RB_V0, RB_TEST_FORMAT, "PrepareMedia", NULL, NULL, NULL);
	ck_assert_msg(failed == NULL, "%s", failed);
	failed = rb_test_client_set(
		a, RB_V0, RB_TEST_FORMAT, "RequestedSectorType", g_variant_new_uint32(3), NULL);
	ck_assert_msg(failed == NULL, "%s", failed);
	fd = rb_test_stream_to_file(stream);
	fds = rb_test_fd_list_new(fd);
	close(fd);
	rb_test_client_call_async(a,
				  RB_V0,
				  RB_TEST_FORMAT,
				  "WriteMedia2",
				  g_variant_new("(hi)", 0, 22650),
				  fds,
				  &pending);
	rb_test_pending_wait(&pending);
	ck_assert_msg(pending.error_name == NULL, "WriteMedia2: %s", pending.message);
	rb_test_pending_clear(&pending);
	while (g_main_context_iteration(NULL, FALSE))
		;
	rb_updates_assert_whole_burn(&updates, rb_dao_stream_get_end_lba(stream));
	/* WriteMedia2 keeps the lock: the holder releases it */
	failed = rb_test_client_call(a, RB_V0, RB_TEST_FORMAT, "ReleaseMedia", NULL, NULL, NULL);
	ck_assert_msg(failed == NULL, "%s", failed);
	rb_assert_simulated(a, RB_V0, (guint64)(rb_dao_stream_get_end_lba(stream) + 11634));

	/* the other client, whose TestWrite is false, burns for real */
	failed = rb_burn(b, RB_V0, stream, "{'SectorType': <uint32 3>}");
	ck_assert_msg(failed == NULL, "%s", failed);
	rb_assert_burned(b, RB_V0, stream, -11634);

	g_dbus_connection_signal_unsubscribe(a->connection, sub_a);
	g_dbus_connection_signal_unsubscribe(b->connection, sub_b);
	rb_updates_clear(&updates);
	rb_test_service_stop_daemon(service);
}
END_TEST

/*
 * Not while this client writes: a slow simulation on a real-time drive
 * refuses its holder's change with WriteInProgress while another client
 * may still change its own; cancelled, the simulation leaves the disc
 * blank too.
 */
START_TEST(test_test_write_not_while_writing)
{
	const gchar *const args[] = {
		"--virtual-recorder", "media=cd-rw-80,speed=4,realtime=true", NULL};
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(RbTestClient) a = NULL;
	g_autoptr(RbTestClient) b = NULL;
	g_autoptr(RbDaoStream) stream = rb_stream_new();
	g_autoptr(GUnixFDList) fds = NULL;
	g_autofree gchar *failed = NULL;
	g_autofree gchar *refused = NULL;
	RbTestPending pending;
	RbUpdates updates;
	gint64 deadline;
	gint fd;

	rb_test_service_start_daemon(service, args);
	a = rb_test_client_new(service);
	b = rb_test_client_new(service);
	rb_test_client_wait_for_drive(a, RB_V0);
	failed = rb_test_client_set(
		a, RB_V0, RB_TEST_FORMAT, "TestWrite", g_variant_new_boolean(TRUE), NULL);
	ck_assert_msg(failed == NULL, "%s", failed);
	failed = rb_test_client_call(a, RB_V0, RB_TEST_FORMAT, "PrepareMedia", NULL, NULL, NULL);
	ck_assert_msg(failed == NULL, "%s", failed);
	fd = rb_test_stream_to_file(stream);
	fds = rb_test_fd_list_new(fd);
	close(fd);
	rb_updates_watch(&updates, a, RB_V0);
	rb_test_client_call_async(
		a, RB_V0, RB_TEST_FORMAT, "WriteMedia", g_variant_new("(h)", 0), fds, &pending);
	/* until the drive has taken sectors: cd-rw-80's lead-in starts at -11077 */
	deadline = g_get_monotonic_time() + RB_TEST_TIMEOUT_SECONDS * G_USEC_PER_SEC / 2;
	while (updates.last_written < -11077) {
		ck_assert_msg(!pending.done, "the write ended: %s", pending.message);
		ck_assert_msg(g_get_monotonic_time() < deadline, "nothing was written");
		g_main_context_iteration(NULL, FALSE);
		g_usleep(5000);
	}
	rb_wait_for(a, RB_V0, RB_TEST_FORMAT, "WriteInProgress", g_variant_new_boolean(TRUE));

	refused = rb_test_client_set(
		a, RB_V0, RB_TEST_FORMAT, "TestWrite", g_variant_new_boolean(FALSE), NULL);
	ck_assert_str_eq(refused, RB_TEST_ERROR("WriteInProgress"));
	failed = rb_test_client_set(
		b, RB_V0, RB_TEST_FORMAT, "TestWrite", g_variant_new_boolean(TRUE), NULL);
	ck_assert_msg(failed == NULL, "another client's own value: %s", failed);

	failed = rb_test_client_call(a, RB_V0, RB_TEST_FORMAT, "CancelWrite", NULL, NULL, NULL);
	ck_assert_msg(failed == NULL, "%s", failed);
	rb_test_pending_wait(&pending);
	ck_assert_str_eq(pending.error_name, RB_TEST_ERROR("RequestCancelled"));
	rb_test_pending_clear(&pending);
	failed = rb_test_client_call(a, RB_V0, RB_TEST_FORMAT, "ReleaseMedia", NULL, NULL, NULL);
	ck_assert_msg(failed == NULL, "%s", failed);
	rb_wait_for(a, RB_V0, RB_TEST_FORMAT, "MediaPhysicallyBlank", g_variant_new_boolean(TRUE));
	{
		g_autoptr(GVariant) report =
			rb_test_client_get(a, RB_V0, RB_TEST_VIRTUAL, "ValidationReport");
		g_autoptr(GVariant) value =
			rb_test_client_get(a, RB_V0, RB_TEST_FORMAT, "TestWrite");

		ck_assert(rb_report_bool(report, "TestWrite"));
		ck_assert_uint_gt(rb_test_report_number(report, "SectorsWritten"), 0);
		ck_assert_uint_eq(rb_test_report_number(report, "SectorsRecorded"), 0);
		/* the refused change changed nothing */
		ck_assert(g_variant_get_boolean(value));
	}
	rb_updates_clear(&updates);
	rb_test_service_stop_daemon(service);
}
END_TEST

/*
 * A recorder without test writing (the spec key, and AddVirtualRecorder's
 * option): a simulation is refused by name before anything reaches the
 * disc, Burn's lock goes with it, the holder of WriteMedia2's keeps it,
 * and the same recorder then burns for real.
 */
START_TEST(test_test_write_not_supported)
{
	const gchar *const args[] = {
		"--virtual-recorder", "media=cd-r-80,realtime=false,test-write=false", NULL};
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(RbTestClient) client = NULL;
	g_autoptr(RbDaoStream) stream = rb_stream_new();
	g_autoptr(GVariant) added = NULL;
	g_autoptr(GUnixFDList) fds = NULL;
	g_autofree gchar *failed = NULL;
	g_autofree gchar *message = NULL;
	const gchar *const paths[] = {RB_V0, RB_V1};
	gint fd;

	rb_test_service_start_daemon(service, args);
	client = rb_test_client_new(service);
	added = rb_test_client_call_reply(
		client,
		RB_DBUS_MANAGER_PATH,
		RB_TEST_MANAGER,
		"AddVirtualRecorder",
		g_variant_new_parsed("({'Media': <'cd-rw-74'>, 'Realtime': <false>, "
				     "'TestWrite': <false>},)"));
	ck_assert_str_eq(g_variant_get_type_string(added), "(o)");

	for (guint i = 0; i < G_N_ELEMENTS(paths); i++) {
		g_autoptr(GVariant) report = NULL;

		rb_test_client_wait_for_drive(client, paths[i]);
		g_clear_pointer(&failed, g_free);
		g_clear_pointer(&message, g_free);
		fd = rb_test_stream_to_file(stream);
		g_clear_object(&fds);
		fds = rb_test_fd_list_new(fd);
		close(fd);
		failed = rb_test_client_call(
			client,
			paths[i],
			RB_TEST_FORMAT,
			"Burn",
			g_variant_new_parsed(
				"(@h 0, {'TestWrite': <true>, 'SectorType': <uint32 3>})"),
			fds,
			&message);
		ck_assert_str_eq(failed, RB_NOT_SUPPORTED);
		ck_assert_msg(strstr(message, "0xC0AA06F3") != NULL, "%s", message);
		ck_assert_msg(strstr(message, "nothing was written") != NULL, "%s", message);
		/* Burn released what it prepared; nothing reached the drive */
		rb_assert_released(client, paths[i]);
		report = rb_test_client_get(client, paths[i], RB_TEST_VIRTUAL, "ValidationReport");
		ck_assert_uint_eq(rb_test_report_number(report, "SectorsWritten"), 0);
		rb_wait_for(client,
			    paths[i],
			    RB_TEST_FORMAT,
			    "MediaPhysicallyBlank",
			    g_variant_new_boolean(TRUE));
	}

	/* WriteMedia2 with the property: refused alike, the lock stays its holder's */
	g_clear_pointer(&failed, g_free);
	failed = rb_test_client_set(
		client, RB_V0, RB_TEST_FORMAT, "TestWrite", g_variant_new_boolean(TRUE), NULL);
	ck_assert_msg(failed == NULL, "%s", failed);
	failed = rb_test_client_call(
		client, RB_V0, RB_TEST_FORMAT, "PrepareMedia", NULL, NULL, NULL);
	ck_assert_msg(failed == NULL, "%s", failed);
	fd = rb_test_stream_to_file(stream);
	g_clear_object(&fds);
	fds = rb_test_fd_list_new(fd);
	close(fd);
	failed = rb_test_client_call(client,
				     RB_V0,
				     RB_TEST_FORMAT,
				     "WriteMedia2",
				     g_variant_new("(hi)", 0, 22650),
				     fds,
				     NULL);
	ck_assert_str_eq(failed, RB_NOT_SUPPORTED);
	g_clear_pointer(&failed, g_free);
	{
		g_autoptr(GVariant) owner =
			rb_test_client_get(client, RB_V0, RB_TEST_RECORDER, "ExclusiveAccessOwner");
		g_autoptr(GVariant) writing =
			rb_test_client_get(client, RB_V0, RB_TEST_FORMAT, "WriteInProgress");
		ck_assert_str_ne(g_variant_get_string(owner, NULL), "");
		ck_assert(!g_variant_get_boolean(writing));
	}
	failed = rb_test_client_call(
		client, RB_V0, RB_TEST_FORMAT, "ReleaseMedia", NULL, NULL, NULL);
	ck_assert_msg(failed == NULL, "%s", failed);
	rb_assert_released(client, RB_V0);

	/* the daemon carries on, and the recorder burns without simulating */
	failed = rb_burn(client, RB_V0, stream, "{'SectorType': <uint32 3>, 'TestWrite': <false>}");
	ck_assert_msg(failed == NULL, "%s", failed);
	rb_assert_burned(client, RB_V0, stream, -11634);
	rb_test_service_stop_daemon(service);
}
END_TEST

/* the spec key and the option are checked like their neighbours */
START_TEST(test_test_write_bad_options)
{
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(RbTestClient) client = NULL;
	g_autoptr(RbDaoStream) stream = rb_stream_new();
	g_autofree gchar *failed = NULL;
	g_autofree gchar *message = NULL;
	gint fd = rb_test_stream_to_file(stream);
	g_autoptr(GUnixFDList) fds = rb_test_fd_list_new(fd);

	close(fd);
	rb_test_service_start_daemon(service, NULL);
	client = rb_test_client_new(service);
	failed = rb_test_client_call(client,
				     RB_DBUS_MANAGER_PATH,
				     RB_TEST_MANAGER,
				     "AddVirtualRecorder",
				     g_variant_new_parsed("({'TestWrite': <'no'>},)"),
				     NULL,
				     &message);
	ck_assert_str_eq(failed, RB_TEST_INVALID_ARGS);
	ck_assert_msg(strstr(message, "TestWrite (b)") != NULL, "%s", message);
	g_clear_pointer(&failed, g_free);
	g_clear_pointer(&message, g_free);
	g_variant_unref(
		rb_test_client_call_reply(client,
					  RB_DBUS_MANAGER_PATH,
					  RB_TEST_MANAGER,
					  "AddVirtualRecorder",
					  g_variant_new_parsed("({'Realtime': <false>},)")));
	rb_test_client_wait_for_drive(client, RB_V0);
	failed = rb_test_client_call(client,
				     RB_V0,
				     RB_TEST_FORMAT,
				     "Burn",
				     g_variant_new_parsed("(@h 0, {'TestWrite': <1>})"),
				     fds,
				     &message);
	ck_assert_str_eq(failed, RB_TEST_INVALID_ARGS);
	ck_assert_msg(strstr(message, "TestWrite") != NULL, "%s", message);
	g_clear_pointer(&failed, g_free);
	g_clear_pointer(&message, g_free);
	/* the unknown-option message lists it, and Verify */
	failed = rb_test_client_call(client,
				     RB_V0,
				     RB_TEST_FORMAT,
				     "Burn",
				     g_variant_new_parsed("(@h 0, {'Simulate': <true>})"),
				     fds,
				     &message);
	ck_assert_str_eq(failed, RB_TEST_INVALID_ARGS);
	ck_assert_msg(strstr(message, "TestWrite (b)") != NULL, "%s", message);
	ck_assert_msg(strstr(message, "Verify (b)") != NULL, "%s", message);
	rb_assert_released(client, RB_V0);
	rb_test_service_stop_daemon(service);
}
END_TEST

/* ---- rawburnctl burn --simulate ---- */

/* an image from the developer tool, in the fixture's directory */
static gchar *
rb_make_image(RbTestService *service, const gchar *name)
{
	g_autofree gchar *tool =
		g_build_filename(rb_test_get_builddir(), "tests", "rawburn-make-image", NULL);
	gchar *path = g_build_filename(service->tmpdir, name, NULL);
	const gchar *const argv[] = {
		tool, "--sector-type", "3", "--tracks", "2", "--seconds", "8", path, NULL};
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;

	ck_assert_msg(rb_test_run(argv, NULL, &out, &err) == 0, "rawburn-make-image: %s", err);
	return path;
}

/* a CUE sheet of one audio track in a BIN file */
static gchar *
rb_make_cue(RbTestService *service)
{
	gsize len = 600 * RB_CD_MAIN_SIZE;
	g_autofree guint8 *audio = g_malloc(len);
	g_autofree gchar *bin = NULL;

	for (gsize i = 0; i < len; i++)
		audio[i] = (guint8)(i * 7 + i / 4096);
	bin = rb_test_service_write_file(
		service, "track.bin", (const gchar *)audio, (gssize)len, 0644);
	return rb_test_service_write_file(service,
					  "disc.cue",
					  "FILE \"track.bin\" BINARY\n"
					  "  TRACK 01 AUDIO\n"
					  "    INDEX 01 00:00:00\n",
					  -1,
					  0644);
}

/* "rawburnctl --json report": TestWrite, Complete, SectorsRecorded */
static gchar *
rb_ctl_report_summary(RbTestService *service)
{
	const gchar *const args[] = {"--json", "report", "virtual0", NULL};
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;

	ck_assert_msg(rb_test_run_rawburnctl(service, args, &out, &err) == 0, "%s", err);
	return rb_test_json_query(
		out, "'%s %s %d' % (d['TestWrite'], d['Complete'], d['SectorsRecorded'] > 0)");
}

/* a raw image and a CUE sheet, simulated then burned, text and JSON */
START_TEST(test_test_write_rawburnctl)
{
	const gboolean cue = _i == 1;
	const gchar *const args[] = {"--virtual-recorder", rb_media[_i], NULL};
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(RbTestClient) client = NULL;
	g_autofree gchar *image = cue ? rb_make_cue(service) : rb_make_image(service, "image.raw");
	const gchar *const simulate[] = {"burn", "--simulate", "virtual0", image, NULL};
	const gchar *const simulate_json[] = {
		"--json", "burn", "virtual0", image, "--simulate", NULL};
	const gchar *const burn[] = {"burn", "virtual0", image, NULL};
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *summary = NULL;
	g_autoptr(GString) json = g_string_new("[");
	g_auto(GStrv) lines = NULL;

	rb_test_service_start_daemon(service, args);
	client = rb_test_client_new(service);
	rb_test_client_wait_for_drive(client, RB_V0);

	/* text: it says so before and after, with progress in between */
	ck_assert_msg(rb_test_run_rawburnctl(service, simulate, &out, &err) == 0, "%s", err);
	ck_assert_msg(strstr(out, "Simulating the burn") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "Writing: ") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "Finishing: 100%") != NULL, "%s", out);
	ck_assert_msg(g_str_has_suffix(out,
				       "Simulation complete: nothing was recorded, the disc is "
				       "still blank.\n"),
		      "%s",
		      out);
	ck_assert(strstr(out, "Burn complete") == NULL);
	rb_assert_released(client, RB_V0);
	rb_wait_for(
		client, RB_V0, RB_TEST_FORMAT, "MediaPhysicallyBlank", g_variant_new_boolean(TRUE));
	summary = rb_ctl_report_summary(service);
	ck_assert_str_eq(summary, "True False 0");
	g_clear_pointer(&summary, g_free);
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);

	/* JSON: every progress object says it is a simulation */
	ck_assert_msg(rb_test_run_rawburnctl(service, simulate_json, &out, &err) == 0, "%s", err);
	lines = g_strsplit(out, "\n", -1);
	for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
		g_string_append_printf(json, "%s%s", i > 0 ? "," : "", lines[i]);
	g_string_append(json, "]");
	summary = rb_test_json_query(json->str,
				     "'%d %s %s' % (len(d) >= 2 and all(x['simulated'] is True "
				     "for x in d), d[-1]['action'], d[-1]['percent'])");
	ck_assert_str_eq(summary, "1 finishing 100");
	g_clear_pointer(&summary, g_free);
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	rb_wait_for(
		client, RB_V0, RB_TEST_FORMAT, "MediaPhysicallyBlank", g_variant_new_boolean(TRUE));

	/* then for real, on the same disc */
	ck_assert_msg(rb_test_run_rawburnctl(service, burn, &out, &err) == 0, "%s", err);
	ck_assert_msg(g_str_has_suffix(out, "Burn complete.\n"), "%s", out);
	ck_assert(strstr(out, "Simulat") == NULL);
	rb_wait_for(client,
		    RB_V0,
		    RB_TEST_FORMAT,
		    "MediaPhysicallyBlank",
		    g_variant_new_boolean(FALSE));
	summary = rb_ctl_report_summary(service);
	ck_assert_str_eq(summary, "False True 1");
	rb_test_service_stop_daemon(service);
}
END_TEST

/* a simulation records nothing to read back: refused as a usage error,
 * before the service is asked anything */
START_TEST(test_test_write_rawburnctl_with_verify)
{
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autofree gchar *image = rb_make_image(service, "image.raw");
	const gchar *const burn[] = {"burn", "--simulate", "--verify", "virtual0", image, NULL};
	const gchar *const verify[] = {"verify", "--simulate", "virtual0", image, NULL};
	const gchar *const *const commands[] = {burn, verify};

	for (guint i = 0; i < G_N_ELEMENTS(commands); i++) {
		g_autofree gchar *out = NULL;
		g_autofree gchar *err = NULL;

		ck_assert_int_eq(rb_test_run_rawburnctl(service, commands[i], &out, &err), 2);
		ck_assert_msg(strstr(err, "--simulate") != NULL, "%s", err);
	}
}
END_TEST

/* a recorder without test writing: rawburnctl fails with the service's
 * named reason, the lock released and the disc blank */
START_TEST(test_test_write_rawburnctl_not_supported)
{
	const gchar *const args[] = {
		"--virtual-recorder", "media=cd-rw-80,realtime=false,test-write=false", NULL};
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(RbTestClient) client = NULL;
	g_autofree gchar *image = rb_make_image(service, "image.raw");
	const gchar *const simulate[] = {"burn", "--simulate", "virtual0", image, NULL};
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autoptr(GVariant) report = NULL;

	rb_test_service_start_daemon(service, args);
	client = rb_test_client_new(service);
	rb_test_client_wait_for_drive(client, RB_V0);
	ck_assert_int_eq(rb_test_run_rawburnctl(service, simulate, &out, &err), 1);
	ck_assert_msg(g_str_has_prefix(err, "rawburnctl: 0xC0AA06F3: "), "%s", err);
	ck_assert(strstr(err, "org.rawburn") == NULL);
	rb_assert_released(client, RB_V0);
	report = rb_test_client_get(client, RB_V0, RB_TEST_VIRTUAL, "ValidationReport");
	ck_assert_uint_eq(rb_test_report_number(report, "SectorsWritten"), 0);
	rb_wait_for(
		client, RB_V0, RB_TEST_FORMAT, "MediaPhysicallyBlank", g_variant_new_boolean(TRUE));
	rb_test_service_stop_daemon(service);
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("test-write");
	TCase *tc = tcase_create("test-write");

	tcase_set_timeout(tc, RB_TEST_TIMEOUT_SECONDS * 2);
	tcase_add_loop_test(tc, test_test_write_burn, 0, G_N_ELEMENTS(rb_media));
	tcase_add_test(tc, test_test_write_property);
	tcase_add_test(tc, test_test_write_not_while_writing);
	tcase_add_test(tc, test_test_write_not_supported);
	tcase_add_test(tc, test_test_write_bad_options);
	tcase_add_loop_test(tc, test_test_write_rawburnctl, 0, G_N_ELEMENTS(rb_media));
	tcase_add_test(tc, test_test_write_rawburnctl_not_supported);
	tcase_add_test(tc, test_test_write_rawburnctl_with_verify);
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
