/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Burns over the bus, end to end: a generated raw DAO image passed as a file
 * descriptor (a file or a pipe) to WriteMedia on a virtual recorder, the
 * Update signals on the way, then the drive's validation report and the
 * exported image. Also cancelling, refusals and a holder that dies mid-write.
 */
#include "config.h"

#include <gio/gunixfdlist.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "rb-dao-stream.h"
#include "rb-error.h"
#include "rb-test-client.h"
#include "rb-test-service.h"

#define RB_RECORDER RB_DBUS_RECORDERS_PATH "/virtual0"
#define RB_FORMAT "org.rawburn.RawBurn1.DiscFormat2RawCD"
#define RB_VIRTUAL "org.rawburn.RawBurn1.VirtualRecorder"
#define RB_ERR(name) "org.rawburn.RawBurn1.Error." name
/* cd-r-80 in the emulated drive */
#define RB_LEADIN -11634

typedef struct {
	GDBusConnection *connection;
	GArray *updates; /* RbUpdate */
	guint subscription;
	gboolean done;
	gchar *error_name;
	gchar *error_message;
} RbClient;

typedef struct {
	guint32 action;
	gint32 last_read;
	gint32 last_written;
	gint32 fifo_total;
} RbUpdate;

static gboolean
rb_pattern_main(gint32 lba, guint8 *main_data, gpointer user_data, GError **error)
{
	for (guint i = 0; i < RB_CD_MAIN_SIZE; i++)
		main_data[i] = (guint8)(lba * 3 + i);
	return TRUE;
}

static RbDaoStream *
rb_stream_new(guint sector_type)
{
	const RbDaoTrack tracks[] = {{0, 400}, {400, 200}};
	g_autoptr(GError) error = NULL;
	RbDaoStream *stream = rb_dao_stream_new(
		-22650, tracks, 2, sector_type, rb_pattern_main, NULL, NULL, &error);
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
	RbClient *client = user_data;
	RbUpdate update;
	gint32 elapsed, remaining, start, count, used, free_bytes;

	g_variant_get(params,
		      "(uiiiiiiiii)",
		      &update.action,
		      &elapsed,
		      &remaining,
		      &start,
		      &count,
		      &update.last_read,
		      &update.last_written,
		      &update.fifo_total,
		      &used,
		      &free_bytes);
	ck_assert_int_eq(update.fifo_total, used + free_bytes);
	g_array_append_val(client->updates, update);
}

static RbClient *
rb_client_new_at(RbTestService *service, const gchar *name, const gchar *path, gboolean set_name);

static RbClient *
rb_client_new(RbTestService *service, const gchar *name)
{
	return rb_client_new_at(service, name, RB_RECORDER, TRUE);
}

static RbClient *
rb_client_new_at(RbTestService *service, const gchar *name, const gchar *path, gboolean set_name)
{
	g_autoptr(GError) error = NULL;
	RbClient *client = g_new0(RbClient, 1);
	g_autoptr(GVariant) reply = NULL;

	client->connection = g_dbus_connection_new_for_address_sync(
		service->bus_address,
		G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
			G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
		NULL,
		NULL,
		&error);
	ck_assert_msg(client->connection != NULL, "%s", error ? error->message : "");
	g_dbus_connection_set_exit_on_close(client->connection, FALSE);
	client->updates = g_array_new(FALSE, FALSE, sizeof(RbUpdate));
	client->subscription = g_dbus_connection_signal_subscribe(client->connection,
								  RB_DBUS_NAME,
								  RB_FORMAT,
								  "Update",
								  path,
								  NULL,
								  G_DBUS_SIGNAL_FLAGS_NONE,
								  rb_on_update,
								  client,
								  NULL);
	if (!set_name)
		return client;
	reply = g_dbus_connection_call_sync(
		client->connection,
		RB_DBUS_NAME,
		RB_RECORDER,
		"org.freedesktop.DBus.Properties",
		"Set",
		g_variant_new("(ssv)", RB_FORMAT, "ClientName", g_variant_new_string(name)),
		NULL,
		G_DBUS_CALL_FLAGS_NONE,
		-1,
		NULL,
		&error);
	ck_assert_msg(reply != NULL, "%s", error ? error->message : "");
	return client;
}

static void
rb_client_free(RbClient *client)
{
	if (client->connection != NULL) {
		rb_test_signal_unsubscribe(client->connection, client->subscription);
		g_object_unref(client->connection);
	}
	g_array_unref(client->updates);
	g_free(client->error_name);
	g_free(client->error_message);
	g_free(client);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RbClient, rb_client_free)

static gchar *
rb_call(RbClient *client, const gchar *interface, const gchar *method, GVariant *params)
{
	return rb_test_call_on(
		client->connection, RB_RECORDER, interface, method, params, NULL, NULL);
}

static void
rb_write_done(GObject *source, GAsyncResult *result, gpointer user_data)
{
	RbClient *client = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = g_dbus_connection_call_with_unix_fd_list_finish(
		G_DBUS_CONNECTION(source), NULL, result, &error);

	if (reply == NULL) {
		client->error_name = g_dbus_error_get_remote_error(error);
		client->error_message = g_strdup(error->message);
	}
	client->done = TRUE;
}

/* WriteMedia2 in the background: iterate rb_iterate() until client->done */
static void
rb_write_start(RbClient *client, gint fd, gint32 lead_in)
{
	g_autoptr(GUnixFDList) fds = g_unix_fd_list_new();
	gint index = g_unix_fd_list_append(fds, fd, NULL);

	client->done = FALSE;
	g_dbus_connection_call_with_unix_fd_list(client->connection,
						 RB_DBUS_NAME,
						 RB_RECORDER,
						 RB_FORMAT,
						 "WriteMedia2",
						 g_variant_new("(hi)", index, lead_in),
						 NULL,
						 G_DBUS_CALL_FLAGS_NONE,
						 G_MAXINT,
						 fds,
						 NULL,
						 rb_write_done,
						 client);
}

static void
rb_iterate_until(gboolean *flag)
{
	gint64 deadline = g_get_monotonic_time() + RB_TEST_TIMEOUT_SECONDS * G_USEC_PER_SEC / 2;

	while (!*flag) {
		ck_assert_msg(g_get_monotonic_time() < deadline, "timed out");
		g_main_context_iteration(NULL, FALSE);
		g_usleep(1000);
	}
}

static void
rb_wait_for_drive(RbClient *client)
{
	gint64 deadline = g_get_monotonic_time() + RB_TEST_TIMEOUT_SECONDS * G_USEC_PER_SEC / 2;

	for (;;) {
		g_autoptr(GVariant) types = rb_test_get_property(
			client->connection, RB_RECORDER, RB_FORMAT, "SupportedSectorTypes");
		if (g_variant_n_children(types) > 0)
			return;
		ck_assert_msg(g_get_monotonic_time() < deadline, "the drive never answered");
		g_usleep(20 * 1000);
	}
}

/* the exported image equals the stream from the disc's lead-in start on */
static void
rb_assert_export_equals(RbClient *client, RbDaoStream *stream)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *path = NULL;
	gint fd = g_file_open_tmp("rawburn-export-XXXXXX", &path, &error);
	g_autoptr(GUnixFDList) fds = g_unix_fd_list_new();
	g_autoptr(GVariant) reply = NULL;
	g_autofree guint8 *image = NULL;
	gsize len = 0;
	guint8 expected[2448];
	gsize size = rb_dao_stream_get_sector_size(stream);

	ck_assert_int_ge(fd, 0);
	g_unix_fd_list_append(fds, fd, NULL);
	close(fd);
	reply = g_dbus_connection_call_with_unix_fd_list_sync(client->connection,
							      RB_DBUS_NAME,
							      RB_RECORDER,
							      RB_VIRTUAL,
							      "ExportImage",
							      g_variant_new("(h)", 0),
							      NULL,
							      G_DBUS_CALL_FLAGS_NONE,
							      -1,
							      fds,
							      NULL,
							      NULL,
							      &error);
	ck_assert_msg(reply != NULL, "%s", error ? error->message : "");
	ck_assert(g_file_get_contents(path, (gchar **)&image, &len, NULL));
	g_unlink(path);
	ck_assert_uint_eq(len, (gsize)(rb_dao_stream_get_end_lba(stream) - RB_LEADIN) * 2448);
	for (gint32 lba = RB_LEADIN; lba < rb_dao_stream_get_end_lba(stream); lba++) {
		ck_assert(rb_dao_stream_get_sector(stream, lba, expected, NULL));
		ck_assert(memcmp(image + (gsize)(lba - RB_LEADIN) * 2448,
				 expected,
				 RB_CD_MAIN_SIZE) == 0);
		/* 96-byte sub-channel as written; 16-byte P-Q is kept as P-W */
		if (size == 2448)
			ck_assert(memcmp(image + (gsize)(lba - RB_LEADIN) * 2448 + 2352,
					 expected + 2352,
					 96) == 0);
	}
}

static void
rb_assert_report_clean(RbClient *client)
{
	g_autoptr(GVariant) report = rb_test_get_property(
		client->connection, RB_RECORDER, RB_VIRTUAL, "ValidationReport");
	guint64 bad_crc = 1, address = 1, toc = 1;
	guint32 underruns = 1;
	gboolean complete = FALSE;

	ck_assert(g_variant_lookup(report, "BadQCrc", "t", &bad_crc));
	/* a drive without Realtime has no buffer to run dry */
	ck_assert(g_variant_lookup(report, "Underruns", "u", &underruns));
	ck_assert_uint_eq(underruns, 0);
	ck_assert(g_variant_lookup(report, "AddressMismatches", "t", &address));
	ck_assert(g_variant_lookup(report, "TocMismatches", "t", &toc));
	ck_assert(g_variant_lookup(report, "Complete", "b", &complete));
	ck_assert_uint_eq(bad_crc, 0);
	ck_assert_uint_eq(address, 0);
	ck_assert_uint_eq(toc, 0);
	ck_assert(complete);
}

static void
rb_assert_updates(RbClient *client, gint32 end_lba)
{
	guint32 action = 0;
	gint32 last_written = G_MININT32;
	gboolean saw_writing = FALSE;

	ck_assert_uint_ge(client->updates->len, 3);
	for (guint i = 0; i < client->updates->len; i++) {
		RbUpdate *update = &g_array_index(client->updates, RbUpdate, i);
		/* actions in order, LBAs never going back */
		ck_assert_uint_ge(update->action, action);
		ck_assert_int_ge(update->last_written, last_written);
		ck_assert_int_ge(update->last_read, update->last_written);
		ck_assert_int_gt(update->fifo_total, 0);
		if (i + 1 < client->updates->len)
			action = update->action;
		last_written = update->last_written;
		saw_writing |= update->action == 2;
	}
	ck_assert(saw_writing);
	ck_assert_int_eq(last_written, end_lba - 1);
}

typedef struct {
	guint sector_type;
	gboolean pipe;
} RbBurnCase;

static const RbBurnCase rb_burn_cases[] = {{3, FALSE}, {2, TRUE}, {1, FALSE}};

/* a pipe's writer: the client streams the image as it would from a generator */
static gpointer
rb_feed_pipe(gpointer data)
{
	gint *fds = data;
	guint8 buf[65536];
	gssize n;

	while ((n = read(fds[0], buf, sizeof(buf))) > 0) {
		if (write(fds[1], buf, (gsize)n) != n)
			break;
	}
	close(fds[0]);
	close(fds[1]);
	return NULL;
}

START_TEST(test_burn_full)
{
	const RbBurnCase *bc = &rb_burn_cases[_i];
	const gchar *args[] = {"--virtual-recorder", "media=cd-r-80,realtime=false", NULL};
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(RbClient) client = NULL;
	g_autoptr(RbDaoStream) stream = rb_stream_new(bc->sector_type);
	g_autoptr(GThread) feeder = NULL;
	gint file_fd = rb_test_stream_to_file(stream);
	gint feed[2] = {-1, -1};
	gint pipe_fds[2];

	rb_test_service_start_daemon(service, args);
	client = rb_client_new(service, "Burn test");
	rb_wait_for_drive(client);
	ck_assert_ptr_null(rb_call(client, RB_FORMAT, "PrepareMedia", NULL));
	{
		g_autoptr(GError) error = NULL;
		g_autoptr(GVariant) reply = g_dbus_connection_call_sync(
			client->connection,
			RB_DBUS_NAME,
			RB_RECORDER,
			"org.freedesktop.DBus.Properties",
			"Set",
			g_variant_new("(ssv)",
				      RB_FORMAT,
				      "RequestedSectorType",
				      g_variant_new_uint32(bc->sector_type)),
			NULL,
			G_DBUS_CALL_FLAGS_NONE,
			-1,
			NULL,
			&error);
		ck_assert_msg(reply != NULL, "%s", error ? error->message : "");
	}
	if (bc->pipe) {
		ck_assert_int_eq(pipe(pipe_fds), 0);
		feed[0] = file_fd;
		feed[1] = pipe_fds[1];
		feeder = g_thread_new("feeder", rb_feed_pipe, feed);
		rb_write_start(client, pipe_fds[0], 22650);
		close(pipe_fds[0]);
	} else {
		rb_write_start(client, file_fd, 22650);
		close(file_fd);
	}
	rb_iterate_until(&client->done);
	ck_assert_msg(client->error_name == NULL, "WriteMedia2 failed: %s", client->error_name);
	/* the final Update arrives before the reply */
	rb_assert_updates(client, rb_dao_stream_get_end_lba(stream));
	rb_assert_report_clean(client);
	rb_assert_export_equals(client, stream);
	{
		g_autoptr(GVariant) blank = rb_test_get_property(
			client->connection, RB_RECORDER, RB_FORMAT, "MediaPhysicallyBlank");
		g_autoptr(GVariant) writing = rb_test_get_property(
			client->connection, RB_RECORDER, RB_FORMAT, "WriteInProgress");
		ck_assert(!g_variant_get_boolean(writing));
		(void)blank;
	}
	ck_assert_ptr_null(rb_call(client, RB_FORMAT, "ReleaseMedia", NULL));
	rb_test_service_stop_daemon(service);
}
END_TEST

typedef struct {
	gsize trim_bytes; /* cut from the end of the file */
	gint32 lead_in;
	const gchar *error;
} RbRefusal;

static const RbRefusal rb_refusals[] = {
	{1000, 22650, RB_ERR("StreamNotSupported")},
	{0, 5000, RB_ERR("StreamLeadinTooShort")},
};

START_TEST(test_burn_refused_before_writing)
{
	const RbRefusal *refusal = &rb_refusals[_i];
	const gchar *args[] = {"--virtual-recorder", "media=cd-r-80,realtime=false", NULL};
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(RbClient) client = NULL;
	g_autoptr(RbDaoStream) stream = rb_stream_new(2);
	gint fd = rb_test_stream_to_file(stream);
	g_autoptr(GVariant) report = NULL;
	guint64 written = 1;

	ck_assert_int_eq(ftruncate(fd, lseek(fd, 0, SEEK_END) - (off_t)refusal->trim_bytes), 0);
	ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
	rb_test_service_start_daemon(service, args);
	client = rb_client_new(service, "Refused");
	rb_wait_for_drive(client);
	ck_assert_ptr_null(rb_call(client, RB_FORMAT, "PrepareMedia", NULL));
	rb_write_start(client, fd, refusal->lead_in);
	close(fd);
	rb_iterate_until(&client->done);
	ck_assert_str_eq(client->error_name, refusal->error);
	/* nothing reached the drive */
	report = rb_test_get_property(
		client->connection, RB_RECORDER, RB_VIRTUAL, "ValidationReport");
	ck_assert(g_variant_lookup(report, "SectorsWritten", "t", &written));
	ck_assert_uint_eq(written, 0);
	ck_assert_ptr_null(rb_call(client, RB_FORMAT, "ReleaseMedia", NULL));
	rb_test_service_stop_daemon(service);
}
END_TEST

/* CancelWrite while writing on a real-time drive: RequestCancelled, lock kept */
START_TEST(test_burn_cancel)
{
	const gchar *args[] = {"--virtual-recorder", "media=cd-r-80,speed=4,realtime=true", NULL};
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(RbClient) client = NULL;
	g_autoptr(RbDaoStream) stream = rb_stream_new(3);
	gint fd = rb_test_stream_to_file(stream);
	gint64 deadline;
	g_autofree gchar *again = NULL;

	rb_test_service_start_daemon(service, args);
	client = rb_client_new(service, "Canceller");
	rb_wait_for_drive(client);
	ck_assert_ptr_null(rb_call(client, RB_FORMAT, "PrepareMedia", NULL));
	rb_write_start(client, fd, 22650);
	close(fd);
	deadline = g_get_monotonic_time() + 20 * G_USEC_PER_SEC;
	for (;;) {
		g_autoptr(GVariant) writing = NULL;
		g_main_context_iteration(NULL, FALSE);
		writing = rb_test_get_property(
			client->connection, RB_RECORDER, RB_FORMAT, "WriteInProgress");
		if (g_variant_get_boolean(writing))
			break;
		ck_assert(g_get_monotonic_time() < deadline);
		g_usleep(5000);
	}
	/* a second write, and releasing, are refused meanwhile */
	again = rb_call(client, RB_FORMAT, "ReleaseMedia", NULL);
	ck_assert_str_eq(again, RB_ERR("WriteInProgress"));
	ck_assert_ptr_null(rb_call(client, RB_FORMAT, "CancelWrite", NULL));
	rb_iterate_until(&client->done);
	ck_assert_str_eq(client->error_name, RB_ERR("RequestCancelled"));
	g_free(again);
	again = rb_call(client, RB_FORMAT, "CancelWrite", NULL);
	ck_assert_str_eq(again, RB_ERR("WriteNotInProgress"));
	ck_assert_ptr_null(rb_call(client, RB_FORMAT, "ReleaseMedia", NULL));
	rb_test_service_stop_daemon(service);
}
END_TEST

/* the holder dies mid-write: the write stops, the lock is freed, the daemon
 * carries on, and the next client burns a fresh medium */
START_TEST(test_burn_holder_killed)
{
	const gchar *args[] = {"--virtual-recorder", "media=cd-rw-80,speed=4,realtime=true", NULL};
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(RbClient) doomed = NULL;
	g_autoptr(RbClient) next = NULL;
	g_autoptr(RbDaoStream) stream = rb_stream_new(3);
	gint fd = rb_test_stream_to_file(stream);
	gint64 deadline;

	rb_test_service_start_daemon(service, args);
	doomed = rb_client_new(service, "Doomed");
	next = rb_client_new(service, "Next");
	rb_wait_for_drive(next);
	ck_assert_ptr_null(rb_call(doomed, RB_FORMAT, "PrepareMedia", NULL));
	rb_write_start(doomed, fd, 22650);
	close(fd);
	/* until sectors have reached the disc */
	deadline = g_get_monotonic_time() + 20 * G_USEC_PER_SEC;
	for (;;) {
		gboolean written = FALSE;
		g_main_context_iteration(NULL, FALSE);
		for (guint i = 0; i < doomed->updates->len; i++)
			/* cd-rw-80's lead-in starts at -11077 */
			written |=
				g_array_index(doomed->updates, RbUpdate, i).last_written >= -11077;
		if (written)
			break;
		ck_assert(g_get_monotonic_time() < deadline);
		g_usleep(5000);
	}
	g_dbus_connection_close_sync(doomed->connection, NULL, NULL);
	deadline = g_get_monotonic_time() + RB_TEST_TIMEOUT_SECONDS * G_USEC_PER_SEC / 2;
	for (;;) {
		g_autoptr(GVariant) owner = rb_test_get_property(next->connection,
								 RB_RECORDER,
								 "org.rawburn.RawBurn1.Recorder",
								 "ExclusiveAccessOwner");
		g_autoptr(GVariant) writing = rb_test_get_property(
			next->connection, RB_RECORDER, RB_FORMAT, "WriteInProgress");
		if (g_variant_get_string(owner, NULL)[0] == '\0' && !g_variant_get_boolean(writing))
			break;
		ck_assert_msg(g_get_monotonic_time() < deadline, "the lock outlived its holder");
		g_usleep(10 * 1000);
	}
	/* the half-written CD-RW is not blank any more: a fresh one, then burn
	 * (the waits are generous: 10 s ran out with four test programs
	 * sharing two CPUs) */
	{
		g_autofree gchar *err = rb_call(next, RB_FORMAT, "PrepareMedia", NULL);
		ck_assert_str_eq(err, RB_ERR("MediaIsNotBlank"));
	}
	ck_assert_ptr_null(
		rb_call(next, RB_VIRTUAL, "InsertMedia", g_variant_new("(s)", "cd-rw-80")));
	deadline = g_get_monotonic_time() + RB_TEST_TIMEOUT_SECONDS * G_USEC_PER_SEC / 2;
	for (;;) {
		g_autoptr(GVariant) blank = rb_test_get_property(
			next->connection, RB_RECORDER, RB_FORMAT, "MediaPhysicallyBlank");
		if (g_variant_get_boolean(blank))
			break;
		ck_assert(g_get_monotonic_time() < deadline);
		g_usleep(10 * 1000);
	}
	ck_assert_ptr_null(rb_call(next, RB_FORMAT, "PrepareMedia", NULL));
	ck_assert_ptr_null(rb_call(next, RB_FORMAT, "ReleaseMedia", NULL));
	rb_test_service_stop_daemon(service);
}
END_TEST

/* Burn: prepare, settings, write and release in one call */
START_TEST(test_burn_one_call)
{
	const gchar *args[] = {"--virtual-recorder", "media=cd-r-80,realtime=false", NULL};
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(RbClient) client = NULL;
	g_autoptr(RbDaoStream) stream = rb_stream_new(3);
	gint fd = rb_test_stream_to_file(stream);
	g_autoptr(GUnixFDList) fds = g_unix_fd_list_new();
	g_autoptr(GVariant) owner = NULL;

	rb_test_service_start_daemon(service, args);
	client = rb_client_new(service, "Unused");
	rb_wait_for_drive(client);
	g_unix_fd_list_append(fds, fd, NULL);
	close(fd);
	/* a bad option is refused before anything happens */
	client->done = FALSE;
	g_dbus_connection_call_with_unix_fd_list(
		client->connection,
		RB_DBUS_NAME,
		RB_RECORDER,
		RB_FORMAT,
		"Burn",
		g_variant_new_parsed("(@h 0, {'Colour': <'red'>})"),
		NULL,
		G_DBUS_CALL_FLAGS_NONE,
		G_MAXINT,
		fds,
		NULL,
		rb_write_done,
		client);
	rb_iterate_until(&client->done);
	ck_assert_str_eq(client->error_name, "org.freedesktop.DBus.Error.InvalidArgs");
	g_clear_pointer(&client->error_name, g_free);

	client->done = FALSE;
	g_dbus_connection_call_with_unix_fd_list(
		client->connection,
		RB_DBUS_NAME,
		RB_RECORDER,
		RB_FORMAT,
		"Burn",
		g_variant_new_parsed(
			"(@h 0, {'ClientName': <'One call'>, 'SectorType': <uint32 3>, "
			"'StreamLeadInSectors': <22650>})"),
		NULL,
		G_DBUS_CALL_FLAGS_NONE,
		G_MAXINT,
		fds,
		NULL,
		rb_write_done,
		client);
	rb_iterate_until(&client->done);
	ck_assert_msg(client->error_name == NULL, "Burn failed: %s", client->error_name);
	rb_assert_updates(client, rb_dao_stream_get_end_lba(stream));
	rb_assert_report_clean(client);
	rb_assert_export_equals(client, stream);
	/* released at the end */
	owner = rb_test_get_property(client->connection,
				     RB_RECORDER,
				     "org.rawburn.RawBurn1.Recorder",
				     "ExclusiveAccessOwner");
	ck_assert_str_eq(g_variant_get_string(owner, NULL), "");
	rb_test_service_stop_daemon(service);
}
END_TEST

/* AddVirtualRecorder's Backing: the burned disc lands in the caller's file */
START_TEST(test_burn_backing_file)
{
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(RbClient) client = NULL;
	g_autoptr(RbDaoStream) stream = rb_stream_new(2);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *backing_path = NULL;
	gint backing = g_file_open_tmp("rawburn-backing-XXXXXX", &backing_path, &error);
	gint fd = rb_test_stream_to_file(stream);
	g_autoptr(GUnixFDList) add_fds = g_unix_fd_list_new();
	g_autoptr(GUnixFDList) burn_fds = g_unix_fd_list_new();
	g_autoptr(GVariant) reply = NULL;
	GStatBuf st;

	ck_assert_int_ge(backing, 0);
	g_unix_fd_list_append(add_fds, backing, NULL);
	g_unix_fd_list_append(burn_fds, fd, NULL);
	close(backing);
	close(fd);
	rb_test_service_start_daemon(service, NULL);
	client = rb_client_new_at(service, "Backing", RB_DBUS_RECORDERS_PATH "/virtual0", FALSE);
	reply = g_dbus_connection_call_with_unix_fd_list_sync(
		client->connection,
		RB_DBUS_NAME,
		RB_DBUS_MANAGER_PATH,
		"org.rawburn.RawBurn1.Manager",
		"AddVirtualRecorder",
		g_variant_new_parsed(
			"({'Media': <'cd-r-80'>, 'Realtime': <false>, 'Backing': <@h 0>},)"),
		NULL,
		G_DBUS_CALL_FLAGS_NONE,
		-1,
		add_fds,
		NULL,
		NULL,
		&error);
	ck_assert_msg(reply != NULL, "%s", error ? error->message : "");
	rb_wait_for_drive(client);
	client->done = FALSE;
	g_dbus_connection_call_with_unix_fd_list(
		client->connection,
		RB_DBUS_NAME,
		RB_RECORDER,
		RB_FORMAT,
		"Burn",
		g_variant_new_parsed("(@h 0, {'ClientName': <'Backing'>})"),
		NULL,
		G_DBUS_CALL_FLAGS_NONE,
		G_MAXINT,
		burn_fds,
		NULL,
		rb_write_done,
		client);
	rb_iterate_until(&client->done);
	ck_assert_msg(client->error_name == NULL, "Burn failed: %s", client->error_name);
	ck_assert_int_eq(g_stat(backing_path, &st), 0);
	g_unlink(backing_path);
	/* one 2448-byte block per LBA from the lead-in start through the lead-out */
	ck_assert_int_eq(st.st_size,
			 (goffset)(rb_dao_stream_get_end_lba(stream) - RB_LEADIN) * 2448);
	rb_test_service_stop_daemon(service);
}
END_TEST

/* --- Preflight: streams whose own sub-channel proves them wrong ------------------------ */

typedef enum {
	RB_BAD_ZERO,         /* all zero, of a valid size */
	RB_BAD_LEADIN_SHIFT, /* made from LBA -11634, passed as starting at -22650 */
	RB_BAD_LEADIN_CRC,   /* one Q bit flipped in the lead-in */
	RB_BAD_A2_PAST_DISC, /* a TOC for a longer disc, from a pipe */
	RB_BAD_PROGRAM_FULL, /* one bad program-area sector, Preflight full */
	RB_GOOD_FULL,        /* a valid stream with Preflight full still burns */
	RB_BAD_N_CASES,
} RbBadStream;

static const gchar *const rb_bad_stream_words[] = {
	[RB_BAD_ZERO] = "LBA -11634",
	[RB_BAD_LEADIN_SHIFT] = "streamLeadInSectors",
	[RB_BAD_LEADIN_CRC] = "LBA -5000",
	[RB_BAD_A2_PAST_DISC] = "A2",
	[RB_BAD_PROGRAM_FULL] = "LBA 300",
	[RB_GOOD_FULL] = NULL,
};

/* flips one Q bit of @lba in a file of 2448-byte sectors from @first_lba */
static void
rb_corrupt_q(gint fd, gint32 first_lba, gint32 lba)
{
	off_t offset = (off_t)(lba - first_lba) * 2448 + RB_CD_MAIN_SIZE + 90;
	guint8 byte;

	ck_assert_int_eq(pread(fd, &byte, 1, offset), 1);
	byte ^= 0x40;
	ck_assert_int_eq(pwrite(fd, &byte, 1, offset), 1);
}

typedef struct {
	RbDaoStream *stream;
	gint fd;
} RbGenerator;

/* a stream too long for a file, made as the pipe takes it; stops when the
 * service closes its end */
static gpointer
rb_generate_into_pipe(gpointer data)
{
	RbGenerator *generator = data;
	g_autofree guint8 *buf = g_malloc(26 * 2448);

	for (gint32 lba = rb_dao_stream_get_first_lba(generator->stream);
	     lba < rb_dao_stream_get_end_lba(generator->stream);
	     lba += 26) {
		guint n = (guint)MIN(26, rb_dao_stream_get_end_lba(generator->stream) - lba);
		ck_assert(rb_dao_stream_get_sectors(generator->stream, lba, n, buf, NULL));
		if (write(generator->fd, buf, n * 2448) != (gssize)(n * 2448))
			break;
	}
	close(generator->fd);
	return NULL;
}

START_TEST(test_burn_preflight)
{
	RbBadStream bad = (RbBadStream)_i;
	const gchar *args[] = {"--virtual-recorder",
			       bad == RB_BAD_A2_PAST_DISC ? "media=cd-r-74,realtime=false"
							  : "media=cd-r-80,realtime=false",
			       NULL};
	const RbDaoTrack long_track[] = {{0, 340000}};
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(RbClient) client = NULL;
	g_autoptr(RbDaoStream) stream = NULL;
	g_autoptr(GVariant) report = NULL;
	g_autoptr(GThread) generator_thread = NULL;
	RbGenerator generator = {0};
	guint64 written = 1;
	gint32 lead_in = 22650;
	gint fd;

	if (bad == RB_BAD_LEADIN_SHIFT) {
		const RbDaoTrack tracks[] = {{0, 12000}};

		/* long enough for the up-front size check, which it passes: only
		 * the stream's own Q shows its lead-in is 11016 sectors shorter */
		stream = rb_dao_stream_new(-11634, tracks, 1, 3, rb_pattern_main, NULL, NULL, NULL);
	} else if (bad == RB_BAD_A2_PAST_DISC) {
		stream = rb_dao_stream_new(
			-22650, long_track, 1, 3, rb_pattern_main, NULL, NULL, NULL);
	} else {
		stream = rb_stream_new(3);
	}
	ck_assert_ptr_nonnull(stream);
	if (bad == RB_BAD_A2_PAST_DISC) {
		gint pipe_fds[2];

		ck_assert_int_eq(pipe(pipe_fds), 0);
		generator.stream = stream;
		generator.fd = pipe_fds[1];
		generator_thread = g_thread_new("generator", rb_generate_into_pipe, &generator);
		fd = pipe_fds[0];
	} else {
		fd = rb_test_stream_to_file(stream);
	}
	if (bad == RB_BAD_ZERO) {
		off_t size = lseek(fd, 0, SEEK_END);
		g_autofree guint8 *zeros = g_malloc0((gsize)size);
		ck_assert_int_eq(pwrite(fd, zeros, (gsize)size, 0), size);
		ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
	}
	if (bad == RB_BAD_LEADIN_CRC)
		rb_corrupt_q(fd, -22650, -5000);
	if (bad == RB_BAD_PROGRAM_FULL)
		rb_corrupt_q(fd, -22650, 300);

	rb_test_service_start_daemon(service, args);
	client = rb_client_new(service, "Preflight");
	rb_wait_for_drive(client);
	if (bad == RB_BAD_PROGRAM_FULL || bad == RB_GOOD_FULL)
		ck_assert_ptr_null(rb_call(
			client,
			"org.freedesktop.DBus.Properties",
			"Set",
			g_variant_new(
				"(ssv)", RB_FORMAT, "Preflight", g_variant_new_string("full"))));
	ck_assert_ptr_null(rb_call(client, RB_FORMAT, "PrepareMedia", NULL));
	ck_assert_ptr_null(rb_call(
		client,
		"org.freedesktop.DBus.Properties",
		"Set",
		g_variant_new("(ssv)", RB_FORMAT, "RequestedSectorType", g_variant_new_uint32(3))));
	rb_write_start(client, fd, lead_in);
	close(fd);
	rb_iterate_until(&client->done);
	report = rb_test_get_property(
		client->connection, RB_RECORDER, RB_VIRTUAL, "ValidationReport");
	ck_assert(g_variant_lookup(report, "SectorsWritten", "t", &written));
	if (bad == RB_GOOD_FULL) {
		ck_assert_msg(client->error_name == NULL, "%s", client->error_name);
		rb_assert_report_clean(client);
	} else {
		ck_assert_str_eq(client->error_name, RB_ERR("StreamInvalid"));
		ck_assert_msg(strstr(client->error_message, rb_bad_stream_words[bad]) != NULL,
			      "%s",
			      client->error_message);
		ck_assert_msg(strstr(client->error_message, "Nothing was written") != NULL,
			      "%s",
			      client->error_message);
		/* the emulated drive's word for it */
		ck_assert_uint_eq(written, 0);
	}
	ck_assert_ptr_null(rb_call(client, RB_FORMAT, "ReleaseMedia", NULL));
	rb_test_service_stop_daemon(service);
	if (generator_thread != NULL)
		g_thread_join(g_steal_pointer(&generator_thread));
}
END_TEST

/* a write error is named: rawburn's MediaWriteFailed with the drive's sense
 * and the LBA, the lock released by Burn, the daemon fine */
START_TEST(test_burn_write_error_named)
{
	const gchar *args[] = {"--virtual-recorder", "media=cd-r-80,realtime=false", NULL};
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(RbClient) client = NULL;
	g_autoptr(RbDaoStream) stream = rb_stream_new(3);
	gint fd = rb_test_stream_to_file(stream);
	g_autoptr(GUnixFDList) fds = g_unix_fd_list_new();
	g_autoptr(GVariant) owner = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = NULL;
	g_autofree gchar *remote = NULL;

	rb_test_service_start_daemon(service, args);
	client = rb_client_new(service, "Write error");
	rb_wait_for_drive(client);
	ck_assert_ptr_null(rb_call(
		client,
		"org.freedesktop.DBus.Properties",
		"Set",
		g_variant_new_parsed("(%s, 'Faults', <{'WriteErrorAtLba': <250>}>)", RB_VIRTUAL)));
	g_unix_fd_list_append(fds, fd, NULL);
	close(fd);
	reply = g_dbus_connection_call_with_unix_fd_list_sync(
		client->connection,
		RB_DBUS_NAME,
		RB_RECORDER,
		RB_FORMAT,
		"Burn",
		g_variant_new_parsed("(@h 0, {'SectorType': <uint32 3>})"),
		NULL,
		G_DBUS_CALL_FLAGS_NONE,
		G_MAXINT,
		fds,
		NULL,
		NULL,
		&error);
	ck_assert_ptr_null(reply);
	remote = g_dbus_error_get_remote_error(error);
	ck_assert_str_eq(remote, RB_ERR("MediaWriteFailed"));
	ck_assert_msg(strstr(error->message, "0xC0AA06F1") != NULL, "%s", error->message);
	ck_assert_msg(strstr(error->message, "03/0C/00") != NULL, "%s", error->message);
	ck_assert_msg(strstr(error->message, "at LBA 250") != NULL, "%s", error->message);
	ck_assert_msg(
		strstr(error->message, "the WRITE carried LBA") != NULL, "%s", error->message);
	owner = rb_test_get_property(client->connection,
				     RB_RECORDER,
				     "org.rawburn.RawBurn1.Recorder",
				     "ExclusiveAccessOwner");
	ck_assert_str_eq(g_variant_get_string(owner, NULL), "");
	rb_test_service_stop_daemon(service);
}
END_TEST

int
main(void)
{
	/* a generator writing into a pipe the service closed gets EPIPE */
	signal(SIGPIPE, SIG_IGN);
	Suite *suite = suite_create("burn");
	TCase *tc = tcase_create("burn");

	tcase_set_timeout(tc, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_loop_test(tc, test_burn_full, 0, G_N_ELEMENTS(rb_burn_cases));
	tcase_add_loop_test(tc, test_burn_refused_before_writing, 0, G_N_ELEMENTS(rb_refusals));
	tcase_add_test(tc, test_burn_cancel);
	tcase_add_test(tc, test_burn_holder_killed);
	tcase_add_test(tc, test_burn_one_call);
	tcase_add_test(tc, test_burn_backing_file);
	tcase_add_test(tc, test_burn_write_error_named);
	tcase_add_loop_test(tc, test_burn_preflight, 0, RB_BAD_N_CASES);
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
