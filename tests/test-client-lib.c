/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * librawburn's RbClient and RbBurn against rawburnd on a private bus: the
 * recorders and their lookup by name, a burn from a file with progress, a
 * burn cancelled through its GCancellable, and the decoding of a job's
 * error message.
 */
#include "config.h"

#include <fcntl.h>
#include <gio/gunixfdlist.h>
#include <string.h>
#include <unistd.h>

#include "rb-burn.h"
#include "rb-client.h"
#include "rb-error.h"
#include "rb-test-client.h"
#include "rb-test-service.h"

#define RB_LIB_RECORDER RB_DBUS_RECORDERS_PATH "/virtual0"

typedef struct {
	GAsyncResult *result;
	guint n_progress;
	guint n_writing;
	gdouble last_fraction;
	GCancellable *cancel_when_writing;
} RbLibTest;

static void
rb_lib_test_result_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	RbLibTest *test = user_data;

	test->result = g_object_ref(res);
}

static void
rb_lib_test_wait(RbLibTest *test)
{
	while (test->result == NULL)
		g_main_context_iteration(NULL, TRUE);
}

static void
rb_lib_test_progress_cb(
	RbBurn *burn, guint action, gdouble fraction, gint elapsed, gint remaining, RbLibTest *test)
{
	ck_assert(fraction == -1.0 || (fraction >= 0.0 && fraction <= 1.0));
	test->n_progress++;
	if (action == 2) {
		test->n_writing++;
		if (test->cancel_when_writing != NULL)
			g_cancellable_cancel(test->cancel_when_writing);
	}
	test->last_fraction = fraction;
}

/* a two-track raw DAO stream in an unlinked file */
static gint
rb_lib_test_stream_fd(void)
{
	return rb_test_two_track_stream_fd(300, 150, 7);
}

static RbClient *
rb_lib_test_client(RbTestService *service)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RbTestClient) waiter = rb_test_client_new(service);
	RbClient *client = NULL;

	rb_test_client_wait_for_drive(waiter, RB_LIB_RECORDER);
	client = rb_client_new_for_connection_sync(service->connection, NULL, &error);
	ck_assert_msg(client != NULL, "%s", error != NULL ? error->message : "");
	return client;
}

/* a burn on virtual0 */
static RbBurn *
rb_lib_test_burn_new(RbClient *client)
{
	g_autoptr(RbObject) recorder = rb_client_lookup_recorder(client, "virtual0");

	ck_assert_ptr_nonnull(recorder);
	return rb_burn_new(recorder);
}

/* the end of the burn @test waits for */
static gboolean
rb_lib_test_burn_finish(RbBurn *burn, RbLibTest *test, GError **error)
{
	gboolean done;

	rb_lib_test_wait(test);
	done = rb_burn_finish(burn, test->result, error);
	g_clear_object(&test->result);
	return done;
}

START_TEST(test_client_recorders)
{
	g_autoptr(RbTestService) service =
		rb_test_service_new_with_recorder("media=cd-r-80,realtime=false");
	g_autoptr(RbClient) client = rb_lib_test_client(service);
	g_autoptr(RbClient) client_async = NULL;
	g_autoptr(RbObject) by_name = NULL;
	g_autoptr(RbObject) by_path = NULL;
	g_autoptr(RbObject) by_node = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *owner = rb_client_get_name_owner(client);
	g_autofree gchar *name = NULL;
	RbLibTest test = {0};
	GList *recorders = NULL;
	RbRecorder *recorder = NULL;

	ck_assert_ptr_nonnull(owner);
	ck_assert_ptr_nonnull(rb_client_get_manager(client));
	ck_assert_ptr_eq(rb_client_get_connection(client), service->connection);

	recorders = rb_client_get_recorders(client);
	ck_assert_uint_eq(g_list_length(recorders), 1);
	ck_assert_str_eq(g_dbus_object_get_object_path(recorders->data), RB_LIB_RECORDER);
	g_list_free_full(recorders, g_object_unref);

	name = rb_client_get_recorder_name(RB_LIB_RECORDER);
	ck_assert_str_eq(name, "virtual0");
	by_name = rb_client_lookup_recorder(client, "virtual0");
	by_path = rb_client_lookup_recorder(client, RB_LIB_RECORDER);
	ck_assert_ptr_nonnull(by_name);
	ck_assert_ptr_eq(by_name, by_path);
	recorder = rb_object_peek_recorder(by_name);
	ck_assert_ptr_nonnull(recorder);
	if (rb_recorder_get_device_node(recorder)[0] != '\0') {
		by_node = rb_client_lookup_recorder(client, rb_recorder_get_device_node(recorder));
		ck_assert_ptr_eq(by_node, by_name);
	}
	ck_assert_ptr_null(rb_client_lookup_recorder(client, "virtual9"));
	ck_assert_ptr_null(rb_client_lookup_recorder(client, ""));
	ck_assert_ptr_null(rb_client_lookup_recorder(client, RB_DBUS_MANAGER_PATH));

	/* no write runs: no jobs */
	ck_assert_ptr_null(rb_client_get_jobs_for_object(client, by_name));

	rb_client_new_for_connection(service->connection, NULL, rb_lib_test_result_cb, &test);
	rb_lib_test_wait(&test);
	client_async = rb_client_new_finish(test.result, &error);
	g_clear_object(&test.result);
	ck_assert_msg(client_async != NULL, "%s", error != NULL ? error->message : "");
	recorders = rb_client_get_recorders(client_async);
	ck_assert_uint_eq(g_list_length(recorders), 1);
	g_list_free_full(recorders, g_object_unref);
}
END_TEST

START_TEST(test_client_burn_file)
{
	g_autoptr(RbTestService) service =
		rb_test_service_new_with_recorder("media=cd-r-80,realtime=false");
	g_autoptr(RbClient) client = rb_lib_test_client(service);
	g_autoptr(RbBurn) burn = rb_lib_test_burn_new(client);
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) report = NULL;
	gint fd = rb_lib_test_stream_fd();
	g_autofree gchar *path = g_strdup_printf("/proc/self/fd/%d", fd);
	g_autoptr(GFile) file = g_file_new_for_path(path);
	RbLibTest test = {0};
	GVariantDict options;

	g_signal_connect(burn, "progress", G_CALLBACK(rb_lib_test_progress_cb), &test);
	g_variant_dict_init(&options, NULL);
	g_variant_dict_insert(&options, "ClientName", "s", "test-client-lib");
	rb_burn_burn_file(
		burn, file, g_variant_dict_end(&options), NULL, rb_lib_test_result_cb, &test);
	ck_assert_msg(rb_lib_test_burn_finish(burn, &test, &error),
		      "%s",
		      error != NULL ? error->message : "");
	close(fd);
	ck_assert_uint_gt(test.n_writing, 0);
	ck_assert(test.last_fraction == 1.0);

	/* the medium is read again after the reply: its properties follow */
	{
		g_autoptr(RbTestClient) waiter = rb_test_client_new(service);

		rb_test_client_wait_for_property(waiter,
						 RB_LIB_RECORDER,
						 RB_TEST_FORMAT,
						 "MediaPhysicallyBlank",
						 g_variant_new_boolean(FALSE));
	}
	report = rb_test_get_property(service->connection,
				      RB_LIB_RECORDER,
				      "org.rawburn.RawBurn1.VirtualRecorder",
				      "ValidationReport");
	rb_test_assert_report_clean(report);

	/* a second burn on the burned disc fails with rawburn's own error */
	fd = rb_lib_test_stream_fd();
	rb_burn_burn_fd(burn, fd, NULL, NULL, rb_lib_test_result_cb, &test);
	close(fd);
	ck_assert(!rb_lib_test_burn_finish(burn, &test, &error));
	ck_assert_msg(g_error_matches(error, RB_ERROR, RB_ERROR_MEDIA_IS_NOT_BLANK),
		      "%s",
		      error->message);
	/* stripped of the D-Bus error name */
	ck_assert(!g_dbus_error_is_remote_error(error));
}
END_TEST

/* a track through the service's image creator, burned from its pipe */
START_TEST(test_client_burn_image_creator)
{
	g_autoptr(RbTestService) service =
		rb_test_service_new_with_recorder("media=cd-r-80,realtime=false");
	g_autoptr(RbClient) client = rb_lib_test_client(service);
	g_autoptr(RbBurn) burn = rb_lib_test_burn_new(client);
	g_autoptr(RbRawCDImageCreator) creator = NULL;
	g_autoptr(GUnixFDList) fd_list = g_unix_fd_list_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) report = NULL;
	g_autofree gchar *path = NULL;
	g_autofree gchar *audio = g_malloc0(450 * 2352);
	g_autofree gchar *track = NULL;
	RbLibTest test = {0};
	gint track_index = -1;
	gint fd;

	/* the creator is the connection's that made it: the client's */
	ck_assert(rb_manager_call_create_image_creator_sync(
		rb_client_get_manager(client), G_DBUS_CALL_FLAGS_NONE, -1, &path, NULL, &error));
	creator = rb_raw_cdimage_creator_proxy_new_sync(rb_client_get_connection(client),
							G_DBUS_PROXY_FLAGS_NONE,
							RB_DBUS_NAME,
							path,
							NULL,
							&error);
	ck_assert_msg(creator != NULL, "%s", error != NULL ? error->message : "");
	/* 6 s of silence */
	track = rb_test_service_write_file(service, "track.raw", audio, 450 * 2352, 0644);
	fd = open(track, O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(g_unix_fd_list_append(fd_list, fd, NULL), 0);
	close(fd);
	ck_assert_msg(rb_raw_cdimage_creator_call_add_track_sync(creator,
								 0,
								 g_variant_new_handle(0),
								 G_DBUS_CALL_FLAGS_NONE,
								 -1,
								 fd_list,
								 &track_index,
								 NULL,
								 NULL,
								 &error),
		      "%s",
		      error != NULL ? error->message : "");
	ck_assert_int_eq(track_index, 1);

	g_signal_connect(burn, "progress", G_CALLBACK(rb_lib_test_progress_cb), &test);
	rb_burn_burn_image_creator(burn, creator, NULL, NULL, rb_lib_test_result_cb, &test);
	ck_assert_msg(rb_lib_test_burn_finish(burn, &test, &error),
		      "%s",
		      error != NULL ? error->message : "");
	ck_assert_uint_gt(test.n_writing, 0);
	report = rb_test_get_property(service->connection,
				      RB_LIB_RECORDER,
				      "org.rawburn.RawBurn1.VirtualRecorder",
				      "ValidationReport");
	rb_test_assert_report_clean(report);
	ck_assert_uint_gt(rb_test_report_number(report, "SectorsWritten"), 450);
	ck_assert(rb_raw_cdimage_creator_call_close_sync(
		creator, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error));
}
END_TEST

/*
 * Cancelling the GCancellable sends CancelWrite; the burn ends with
 * G_IO_ERROR_CANCELLED rather than RequestCancelled, GIO's convention for
 * what the caller asked for, and only once the service has replied: the
 * recorder is released by then.
 */
START_TEST(test_client_burn_cancel)
{
	g_autoptr(RbTestService) service =
		rb_test_service_new_with_recorder("media=cd-r-80,speed=4,realtime=true");
	g_autoptr(RbClient) client = rb_lib_test_client(service);
	g_autoptr(RbBurn) burn = rb_lib_test_burn_new(client);
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) owner = NULL;
	g_autoptr(GVariant) writing = NULL;
	gint fd = rb_lib_test_stream_fd();
	RbLibTest test = {0};

	test.cancel_when_writing = cancellable;
	g_signal_connect(burn, "progress", G_CALLBACK(rb_lib_test_progress_cb), &test);
	rb_burn_burn_fd(burn, fd, NULL, cancellable, rb_lib_test_result_cb, &test);
	close(fd);
	/* one burn at a time */
	{
		RbLibTest second = {0};
		g_autoptr(GError) error_second = NULL;

		rb_burn_burn_fd(burn, 0, NULL, NULL, rb_lib_test_result_cb, &second);
		ck_assert(!rb_lib_test_burn_finish(burn, &second, &error_second));
		ck_assert(g_error_matches(error_second, G_IO_ERROR, G_IO_ERROR_PENDING));
	}
	ck_assert(!rb_lib_test_burn_finish(burn, &test, &error));
	ck_assert_msg(
		g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED), "%s", error->message);
	ck_assert_uint_gt(test.n_writing, 0);

	owner = rb_test_get_property(service->connection,
				     RB_LIB_RECORDER,
				     "org.rawburn.RawBurn1.Recorder",
				     "ExclusiveAccessOwner");
	ck_assert_str_eq(g_variant_get_string(owner, NULL), "");
	writing = rb_test_get_property(
		service->connection, RB_LIB_RECORDER, RB_TEST_FORMAT, "WriteInProgress");
	ck_assert(!g_variant_get_boolean(writing));
}
END_TEST

/* rawburnd with jobs, played by the test on its own bus: a recorder and
 * jobs exported from this process, the client on a second connection */
typedef struct {
	RbTestService *service;
	GDBusObjectManagerServer *server;
	RbTestClient *client_connection;
	RbClient *client;
} RbLibJobs;

#define RB_LIB_JOB_PATH(n) RB_DBUS_ROOT_PATH "/jobs/" n

static void
rb_lib_jobs_export(RbLibJobs *jobs, const gchar *path, RbJob **job_out)
{
	g_autoptr(RbObjectSkeleton) object = rb_object_skeleton_new(path);

	if (job_out != NULL) {
		const gchar *objects[] = {RB_LIB_RECORDER, NULL};

		*job_out = rb_job_skeleton_new();
		rb_job_set_objects(*job_out, objects);
		rb_job_set_operation(*job_out, "raw-cd-write");
		rb_object_skeleton_set_job(object, *job_out);
	} else {
		g_autoptr(RbRecorder) recorder = rb_recorder_skeleton_new();

		rb_object_skeleton_set_recorder(object, recorder);
	}
	g_dbus_object_manager_server_export(jobs->server, G_DBUS_OBJECT_SKELETON(object));
}

static void
rb_lib_jobs_start(RbLibJobs *jobs)
{
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GError) error = NULL;

	jobs->service = rb_test_service_new_bus();
	reply = g_dbus_connection_call_sync(jobs->service->connection,
					    "org.freedesktop.DBus",
					    "/org/freedesktop/DBus",
					    "org.freedesktop.DBus",
					    "RequestName",
					    g_variant_new("(su)", RB_DBUS_NAME, 4),
					    G_VARIANT_TYPE("(u)"),
					    G_DBUS_CALL_FLAGS_NONE,
					    -1,
					    NULL,
					    &error);
	ck_assert_msg(reply != NULL, "%s", error != NULL ? error->message : "");
	jobs->server = g_dbus_object_manager_server_new(RB_DBUS_ROOT_PATH);
	rb_lib_jobs_export(jobs, RB_LIB_RECORDER, NULL);
	g_dbus_object_manager_server_set_connection(jobs->server, jobs->service->connection);
	jobs->client_connection = rb_test_client_new(jobs->service);
}

static void
rb_lib_jobs_stop(RbLibJobs *jobs)
{
	g_clear_object(&jobs->client);
	g_clear_pointer(&jobs->client_connection, rb_test_client_free);
	g_clear_object(&jobs->server);
	g_clear_pointer(&jobs->service, rb_test_service_free);
}

/* iterates until the client has the object at @path, or has it no more */
static void
rb_lib_jobs_wait_object(RbLibJobs *jobs, const gchar *path, gboolean present)
{
	GDBusObjectManager *manager = rb_client_get_object_manager(jobs->client);

	for (;;) {
		g_autoptr(GDBusObject) object = g_dbus_object_manager_get_object(manager, path);

		if ((object != NULL) == present)
			return;
		g_main_context_iteration(NULL, TRUE);
	}
}

static gboolean
rb_lib_jobs_wait(RbLibJobs *jobs, const gchar *path, RbLibTest *test, GCancellable *cancellable)
{
	g_autoptr(GDBusObject) object =
		g_dbus_object_manager_get_object(rb_client_get_object_manager(jobs->client), path);

	ck_assert_ptr_nonnull(object);
	test->result = NULL;
	rb_client_wait_for_job(
		jobs->client, RB_OBJECT(object), cancellable, rb_lib_test_result_cb, test);
	/* let the wait subscribe before the test acts */
	while (g_main_context_iteration(NULL, FALSE))
		;
	return test->result == NULL;
}

/* the end of the wait for a job that @test waits for */
static gboolean
rb_lib_jobs_finish(RbLibJobs *jobs, RbLibTest *test, GError **error)
{
	gboolean done;

	rb_lib_test_wait(test);
	done = rb_client_wait_for_job_finish(jobs->client, test->result, error);
	g_clear_object(&test->result);
	return done;
}

START_TEST(test_client_jobs)
{
	RbLibJobs jobs = {0};
	g_autoptr(RbJob) failing = NULL;
	g_autoptr(RbJob) succeeding = NULL;
	g_autoptr(RbJob) vanishing = NULL;
	g_autoptr(RbJob) waited = NULL;
	g_autoptr(RbObject) recorder = NULL;
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	g_autoptr(GError) error = NULL;
	RbLibTest test = {0};
	GList *list = NULL;

	rb_lib_jobs_start(&jobs);
	rb_lib_jobs_export(&jobs, RB_LIB_JOB_PATH("2"), &failing);
	rb_lib_jobs_export(&jobs, RB_LIB_JOB_PATH("1"), &succeeding);
	/* asynchronously: this process answers GetManagedObjects */
	rb_client_new_for_connection(
		jobs.client_connection->connection, NULL, rb_lib_test_result_cb, &test);
	rb_lib_test_wait(&test);
	jobs.client = rb_client_new_finish(test.result, &error);
	g_clear_object(&test.result);
	ck_assert_msg(jobs.client != NULL, "%s", error != NULL ? error->message : "");

	/* sorted by path, and found through the recorder they work on */
	list = rb_client_get_jobs(jobs.client);
	ck_assert_uint_eq(g_list_length(list), 2);
	ck_assert_str_eq(g_dbus_object_get_object_path(list->data), RB_LIB_JOB_PATH("1"));
	g_list_free_full(list, g_object_unref);
	recorder = rb_client_lookup_recorder(jobs.client, "virtual0");
	ck_assert_ptr_nonnull(recorder);
	list = rb_client_get_jobs_for_object(jobs.client, recorder);
	ck_assert_uint_eq(g_list_length(list), 2);
	g_list_free_full(list, g_object_unref);
	list = rb_client_get_recorders(jobs.client);
	ck_assert_uint_eq(g_list_length(list), 1);
	g_list_free_full(list, g_object_unref);

	/* Completed(false, "<D-Bus error name>: <message>"): an RB_ERROR */
	ck_assert(rb_lib_jobs_wait(&jobs, RB_LIB_JOB_PATH("2"), &test, NULL));
	rb_job_emit_completed(
		failing, FALSE, RB_DBUS_ERROR_PREFIX "MediaWriteFailed: 0xC0AA06F1: sense 3/0C/00");
	ck_assert(!rb_lib_jobs_finish(&jobs, &test, &error));
	ck_assert_msg(g_error_matches(error, RB_ERROR, RB_ERROR_MEDIA_WRITE_FAILED),
		      "%s",
		      error->message);
	ck_assert_ptr_nonnull(strstr(error->message, "sense 3/0C/00"));
	g_clear_error(&error);

	/* Completed(true) */
	ck_assert(rb_lib_jobs_wait(&jobs, RB_LIB_JOB_PATH("1"), &test, NULL));
	rb_job_emit_completed(succeeding, TRUE, "");
	ck_assert_msg(rb_lib_jobs_finish(&jobs, &test, &error),
		      "%s",
		      error != NULL ? error->message : "");

	/* a job that goes without Completed */
	rb_lib_jobs_export(&jobs, RB_LIB_JOB_PATH("3"), &vanishing);
	rb_lib_jobs_wait_object(&jobs, RB_LIB_JOB_PATH("3"), TRUE);
	ck_assert(rb_lib_jobs_wait(&jobs, RB_LIB_JOB_PATH("3"), &test, NULL));
	g_dbus_object_manager_server_unexport(jobs.server, RB_LIB_JOB_PATH("3"));
	ck_assert(!rb_lib_jobs_finish(&jobs, &test, &error));
	ck_assert(g_error_matches(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND));
	g_clear_error(&error);

	/* cancelling stops the wait, not the job; a later Completed is ignored */
	rb_lib_jobs_export(&jobs, RB_LIB_JOB_PATH("4"), &waited);
	rb_lib_jobs_wait_object(&jobs, RB_LIB_JOB_PATH("4"), TRUE);
	ck_assert(rb_lib_jobs_wait(&jobs, RB_LIB_JOB_PATH("4"), &test, cancellable));
	g_cancellable_cancel(cancellable);
	ck_assert(!rb_lib_jobs_finish(&jobs, &test, &error));
	ck_assert(g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
	g_clear_error(&error);
	rb_job_emit_completed(waited, TRUE, "");

	/* a recorder is no job */
	ck_assert(!rb_lib_jobs_wait(&jobs, RB_LIB_RECORDER, &test, NULL));
	ck_assert(!rb_lib_jobs_finish(&jobs, &test, &error));
	ck_assert(g_error_matches(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT));
	rb_lib_jobs_stop(&jobs);
}
END_TEST

START_TEST(test_client_job_message)
{
	g_autoptr(GError) cancelled =
		rb_client_error_from_job_message("org.rawburn.RawBurn1.Error.RequestCancelled: "
						 "0xC0AA0002: The request was cancelled.");
	g_autoptr(GError) other =
		rb_client_error_from_job_message("org.freedesktop.DBus.Error.NoReply: gone");
	g_autoptr(GError) bare = rb_client_error_from_job_message("broken");

	ck_assert(g_error_matches(cancelled, RB_ERROR, RB_ERROR_REQUEST_CANCELLED));
	g_dbus_error_strip_remote_error(cancelled);
	ck_assert_str_eq(cancelled->message, "0xC0AA0002: The request was cancelled.");
	ck_assert(g_error_matches(other, G_DBUS_ERROR, G_DBUS_ERROR_NO_REPLY));
	ck_assert(g_error_matches(bare, G_IO_ERROR, G_IO_ERROR_FAILED));
	ck_assert_ptr_nonnull(strstr(bare->message, "broken"));
}
END_TEST

static Suite *
rb_client_lib_suite(void)
{
	Suite *suite = suite_create("client-lib");
	TCase *tc = tcase_create("client");

	tcase_set_timeout(tc, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_test(tc, test_client_recorders);
	tcase_add_test(tc, test_client_burn_file);
	tcase_add_test(tc, test_client_burn_image_creator);
	tcase_add_test(tc, test_client_burn_cancel);
	tcase_add_test(tc, test_client_jobs);
	tcase_add_test(tc, test_client_job_message);
	suite_add_tcase(suite, tc);
	return suite;
}

int
main(void)
{
	return rb_test_run_suite(rb_client_lib_suite());
}
