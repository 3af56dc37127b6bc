/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Object lifetimes across pending calls: a virtual recorder removed while
 * calls on it are still running, or while a client holds its lock; and
 * many recorders burning at once, none waiting for another. Run under
 * AddressSanitizer in CI, where freeing an object under a pending call, or
 * clearing a locked mutex, ends the daemon and fails the test.
 */
#include "config.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rb-dao-stream.h"
#include "rb-error.h"
#include "rb-test-client.h"

#define RB_VIRTUAL0 RB_DBUS_RECORDERS_PATH "/virtual0"
#define RB_UNKNOWN_METHOD "org.freedesktop.DBus.Error.UnknownMethod"
#define RB_UNKNOWN_OBJECT "org.freedesktop.DBus.Error.UnknownObject"

static gchar *
rb_remove(RbTestClient *client, const gchar *path, gchar **message)
{
	return rb_test_client_call(client,
				   RB_DBUS_MANAGER_PATH,
				   RB_TEST_MANAGER,
				   "RemoveVirtualRecorder",
				   g_variant_new("(o)", path),
				   NULL,
				   message);
}

static gchar *
rb_add(RbTestClient *client)
{
	g_autoptr(GVariant) reply = rb_test_client_call_reply(
		client,
		RB_DBUS_MANAGER_PATH,
		RB_TEST_MANAGER,
		"AddVirtualRecorder",
		g_variant_new_parsed("({'Realtime': <false>, 'Media': <'cd-r-80'>},)"));
	gchar *path = NULL;

	g_variant_get(reply, "(o)", &path);
	return path;
}

/* B2: a held lock keeps the recorder: its holder's burn is its own */
START_TEST(test_lifecycle_remove_while_held)
{
	const gchar *const args[] = {"--virtual-recorder", "media=cd-r-80,realtime=false", NULL};
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(RbTestClient) holder = NULL;
	g_autoptr(RbTestClient) admin = NULL;
	g_autofree gchar *message = NULL;
	g_autofree gchar *locked = NULL;
	g_autofree gchar *prepared = NULL;
	g_autofree gchar *released = NULL;
	g_autofree gchar *removed = NULL;
	g_autofree gchar *late = NULL;

	rb_test_service_start_daemon(service, args);
	holder = rb_test_client_new(service);
	admin = rb_test_client_new(service);
	rb_test_client_wait_for_drive(holder, RB_VIRTUAL0);
	g_free(rb_test_client_set(holder,
				  RB_VIRTUAL0,
				  RB_TEST_FORMAT,
				  "ClientName",
				  g_variant_new_string("Holder"),
				  NULL));
	prepared = rb_test_client_call(
		holder, RB_VIRTUAL0, RB_TEST_FORMAT, "PrepareMedia", NULL, NULL, NULL);
	ck_assert_ptr_null(prepared);
	locked = rb_remove(admin, RB_VIRTUAL0, &message);
	ck_assert_str_eq(locked, RB_TEST_ERROR("Locked"));
	ck_assert_msg(strstr(message, "Holder") != NULL, "%s", message);
	released = rb_test_client_call(
		holder, RB_VIRTUAL0, RB_TEST_FORMAT, "ReleaseMedia", NULL, NULL, NULL);
	ck_assert_ptr_null(released);
	removed = rb_remove(admin, RB_VIRTUAL0, NULL);
	ck_assert_ptr_null(removed);
	/* the object is gone for everyone */
	late = rb_test_client_call(
		holder, RB_VIRTUAL0, RB_TEST_FORMAT, "PrepareMedia", NULL, NULL, NULL);
	ck_assert_msg(g_strcmp0(late, RB_UNKNOWN_METHOD) == 0 ||
			      g_strcmp0(late, RB_UNKNOWN_OBJECT) == 0,
		      "%s",
		      late);
	rb_test_service_stop_daemon(service);
}
END_TEST

/* every reply a call racing the removal may get: done before, refused after */
static void
rb_assert_race_outcome(const gchar *method, const RbTestPending *pending)
{
	const gchar *allowed[] = {RB_TEST_ERROR("DeviceGone"),
				  RB_TEST_ERROR("Locked"),
				  RB_TEST_ERROR("MediaNoMedia"),
				  RB_TEST_ERROR("MediaIsNotPrepared"),
				  RB_UNKNOWN_METHOD,
				  RB_UNKNOWN_OBJECT,
				  NULL};

	if (pending->error_name == NULL)
		return;
	/* a blank disc has nothing to export */
	if (g_strcmp0(method, "ExportImage") == 0 &&
	    g_strcmp0(pending->error_name, RB_TEST_INVALID_ARGS) == 0 &&
	    strstr(pending->message, "Nothing was recorded") != NULL)
		return;
	ck_assert_msg(g_strv_contains(allowed, pending->error_name),
		      "%s racing the removal: %s (%s)",
		      method,
		      pending->error_name,
		      pending->message);
}

/* B2: RemoveVirtualRecorder pipelined behind calls of every kind on the
 * same recorder, so that it lands while they wait for authorization, sit
 * in a worker thread, or are about to take the lock */
START_TEST(test_lifecycle_remove_races_pending_calls)
{
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(RbTestClient) client = NULL;
	g_autoptr(RbTestClient) admin = NULL;
	g_autofree gchar *export_path = g_build_filename(service->tmpdir, "export", NULL);

	rb_test_service_start_daemon(service, NULL);
	client = rb_test_client_new(service);
	admin = rb_test_client_new(service);
	for (guint round = 0; round < 12; round++) {
		g_autofree gchar *path = rb_add(admin);
		gint export_fd = open(export_path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		g_autoptr(GUnixFDList) export_fds = rb_test_fd_list_new(export_fd);
		const gchar *methods[] = {"InsertMedia",
					  "RemoveMedia",
					  "ExportImage",
					  "PrepareMedia",
					  "EjectMedia",
					  "Faults",
					  "SetWriteSpeed",
					  "CloseTray"};
		RbTestPending pending[G_N_ELEMENTS(methods)];
		RbTestPending remove;
		guint first = round % G_N_ELEMENTS(methods);

		close(export_fd);
		/* rounds differ in which call goes first and whether the drive
		 * answered yet */
		if (round % 2 == 1)
			rb_test_client_wait_for_drive(client, path);
		for (guint k = 0; k < G_N_ELEMENTS(methods); k++) {
			guint i = (first + k) % G_N_ELEMENTS(methods);

			if (g_strcmp0(methods[i], "InsertMedia") == 0)
				rb_test_client_call_async(client,
							  path,
							  RB_TEST_VIRTUAL,
							  "InsertMedia",
							  g_variant_new("(s)", "cd-rw-80"),
							  NULL,
							  &pending[i]);
			else if (g_strcmp0(methods[i], "RemoveMedia") == 0)
				rb_test_client_call_async(client,
							  path,
							  RB_TEST_VIRTUAL,
							  "RemoveMedia",
							  NULL,
							  NULL,
							  &pending[i]);
			else if (g_strcmp0(methods[i], "ExportImage") == 0)
				rb_test_client_call_async(client,
							  path,
							  RB_TEST_VIRTUAL,
							  "ExportImage",
							  g_variant_new("(h)", 0),
							  export_fds,
							  &pending[i]);
			else if (g_strcmp0(methods[i], "PrepareMedia") == 0)
				rb_test_client_call_async(client,
							  path,
							  RB_TEST_FORMAT,
							  "PrepareMedia",
							  NULL,
							  NULL,
							  &pending[i]);
			else if (g_strcmp0(methods[i], "Faults") == 0)
				rb_test_client_call_async(
					client,
					path,
					"org.freedesktop.DBus.Properties",
					"Set",
					g_variant_new_parsed(
						"(%s, 'Faults', <{'WriteErrorAtLba': <100>}>)",
						RB_TEST_VIRTUAL),
					NULL,
					&pending[i]);
			else if (g_strcmp0(methods[i], "SetWriteSpeed") == 0)
				rb_test_client_call_async(client,
							  path,
							  RB_TEST_FORMAT,
							  "SetWriteSpeed",
							  g_variant_new("(ib)", 1764, FALSE),
							  NULL,
							  &pending[i]);
			else
				rb_test_client_call_async(client,
							  path,
							  RB_TEST_RECORDER,
							  methods[i],
							  NULL,
							  NULL,
							  &pending[i]);
		}
		rb_test_client_call_async(admin,
					  RB_DBUS_MANAGER_PATH,
					  RB_TEST_MANAGER,
					  "RemoveVirtualRecorder",
					  g_variant_new("(o)", path),
					  NULL,
					  &remove);
		for (guint i = 0; i < G_N_ELEMENTS(methods); i++) {
			rb_test_pending_wait(&pending[i]);
			rb_assert_race_outcome(methods[i], &pending[i]);
		}
		rb_test_pending_wait(&remove);
		/* PrepareMedia may have taken the lock first; then it is released
		 * and the removal tried again */
		if (remove.error_name != NULL) {
			g_autofree gchar *released = NULL;
			g_autofree gchar *removed = NULL;

			ck_assert_str_eq(remove.error_name, RB_TEST_ERROR("Locked"));
			/* or it only held the lock while it asked the drive, and
			 * failed: then there is nothing to release */
			released = rb_test_client_call(
				client, path, RB_TEST_FORMAT, "ReleaseMedia", NULL, NULL, NULL);
			ck_assert(released == NULL ||
				  g_strcmp0(released, RB_TEST_ERROR("MediaIsNotPrepared")) == 0);
			removed = rb_remove(admin, path, NULL);
			ck_assert_ptr_null(removed);
		}
		/* every call above may have succeeded; the removal still did its
		 * part: the recorder is no longer listed */
		{
			g_autoptr(GVariant) recorders = rb_test_client_call_reply(
				admin, RB_DBUS_MANAGER_PATH, RB_TEST_MANAGER, "GetRecorders", NULL);
			g_autofree const gchar **paths = NULL;

			g_variant_get(recorders, "(^a&o)", &paths);
			ck_assert_msg(!g_strv_contains(paths, path), "%s is still listed", path);
		}
		for (guint i = 0; i < G_N_ELEMENTS(methods); i++)
			rb_test_pending_clear(&pending[i]);
		rb_test_pending_clear(&remove);
	}
	/* the service still works: a new recorder, its drive read */
	{
		g_autofree gchar *path = rb_add(admin);
		rb_test_client_wait_for_drive(client, path);
	}
	rb_test_service_stop_daemon(service);
}
END_TEST

static gboolean
rb_pattern_main(gint32 lba, guint8 *main_data, gpointer user_data, GError **error)
{
	memset(main_data, lba & 0xFF, RB_CD_MAIN_SIZE);
	return TRUE;
}

static RbDaoStream *
rb_stream_new(gint32 first_lba)
{
	const RbDaoTrack tracks[] = {{0, 300}};
	g_autoptr(GError) error = NULL;
	RbDaoStream *stream =
		rb_dao_stream_new(first_lba, tracks, 1, 3, rb_pattern_main, NULL, NULL, &error);

	ck_assert_msg(stream != NULL, "%s", error ? error->message : "");
	return stream;
}

/* the daemon's fds on a virtual disc's unlinked backing file (each virtual
 * recorder holds one) */
static guint
rb_count_daemon_disc_files(RbTestService *service)
{
	g_autofree gchar *fds = g_strdup_printf("/proc/%d/fd", (gint)service->daemon_pid);
	g_autoptr(GDir) dir = g_dir_open(fds, 0, NULL);
	const gchar *fd;
	guint n = 0;

	ck_assert_ptr_nonnull(dir);
	while ((fd = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *path = g_build_filename(fds, fd, NULL);
		/* NULL when the fd was closed since the directory was read */
		g_autofree gchar *target = g_file_read_link(path, NULL);

		if (target != NULL && strstr(target, "rawburn-disc-") != NULL)
			n++;
	}
	return n;
}

/* virtual0 burned, then ExportImage blocked writing into a pipe nobody reads
 * yet; returns the pipe's read end */
static gint
rb_start_blocked_export(RbTestClient *client, RbDaoStream *stream, RbTestPending *export)
{
	g_autoptr(GUnixFDList) stream_fds = NULL;
	g_autoptr(GUnixFDList) export_fds = NULL;
	g_autofree gchar *burned = NULL;
	gint file_fd = rb_test_stream_to_file(stream);
	gint pipe_fds[2];
	struct pollfd readable;

	rb_test_client_wait_for_drive(client, RB_VIRTUAL0);
	stream_fds = rb_test_fd_list_new(file_fd);
	close(file_fd);
	burned = rb_test_client_call(client,
				     RB_VIRTUAL0,
				     RB_TEST_FORMAT,
				     "Burn",
				     g_variant_new_parsed("(@h 0, {'SectorType': <uint32 3>, "
							  "'StreamLeadInSectors': <11634>})"),
				     stream_fds,
				     NULL);
	ck_assert_ptr_null(burned);

	ck_assert_int_eq(pipe(pipe_fds), 0);
	export_fds = rb_test_fd_list_new(pipe_fds[1]);
	close(pipe_fds[1]);
	rb_test_client_call_async(client,
				  RB_VIRTUAL0,
				  RB_TEST_VIRTUAL,
				  "ExportImage",
				  g_variant_new("(h)", 0),
				  export_fds,
				  export);
	/* data in the pipe: the export thread is writing, and it cannot write
	 * the whole image (~29 MB) before we read. poll() reads nothing: a
	 * count of the bytes still sees every one. */
	readable = (struct pollfd){.fd = pipe_fds[0], .events = POLLIN};
	ck_assert_int_eq(poll(&readable, 1, RB_TEST_TIMEOUT_SECONDS * 1000 / 2), 1);
	return pipe_fds[0];
}

/* B2: removed while ExportImage sits in its worker thread, blocked writing
 * into a pipe nobody reads yet; let go once the export is done */
START_TEST(test_lifecycle_remove_under_running_export)
{
	const gchar *const args[] = {"--virtual-recorder", "media=cd-r-80,realtime=false", NULL};
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(RbTestClient) client = NULL;
	g_autoptr(RbDaoStream) stream = rb_stream_new(-11634);
	g_autofree gchar *removed = NULL;
	RbTestPending export;
	gint read_fd;
	guint8 buf[65536];
	guint64 total = 0;
	gssize n;
	gint64 deadline;

	rb_test_service_start_daemon(service, args);
	client = rb_test_client_new(service);
	read_fd = rb_start_blocked_export(client, stream, &export);
	/* virtual0 is the daemon's only virtual recorder */
	ck_assert_uint_eq(rb_count_daemon_disc_files(service), 1);
	removed = rb_remove(client, RB_VIRTUAL0, NULL);
	ck_assert_ptr_null(removed);
	while ((n = read(read_fd, buf, sizeof(buf))) > 0) {
		total += (guint64)n;
		g_main_context_iteration(NULL, FALSE);
	}
	close(read_fd);
	rb_test_pending_wait(&export);
	ck_assert_msg(export.error_name == NULL, "%s", export.message);
	ck_assert_uint_eq(total, (guint64)(rb_dao_stream_get_end_lba(stream) + 11634) * 2448);
	/* its calls done, the removed recorder is let go (and its disc file
	 * closed) without waiting for another removal or the daemon's exit */
	deadline = g_get_monotonic_time() + RB_TEST_TIMEOUT_SECONDS * G_USEC_PER_SEC / 2;
	while (rb_count_daemon_disc_files(service) > 0) {
		ck_assert_msg(g_get_monotonic_time() < deadline,
			      "the removed recorder is still kept after its export ended");
		g_usleep(20 * 1000);
	}
	rb_test_pending_clear(&export);
	rb_test_service_stop_daemon(service);
}
END_TEST

/* B4: SIGTERM waits for a busy recorder (here an export nobody reads); a
 * second SIGTERM stops at once, and the daemon is still torn down (under
 * the sanitizers too) with exit status 0 */
START_TEST(test_lifecycle_second_signal_while_busy)
{
	const gchar *const args[] = {"--virtual-recorder", "media=cd-r-80,realtime=false", NULL};
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(RbTestClient) client = NULL;
	g_autoptr(RbDaoStream) stream = rb_stream_new(-11634);
	RbTestPending export;
	gint read_fd;
	gint wait_status = 0;

	rb_test_service_start_daemon(service, args);
	client = rb_test_client_new(service);
	read_fd = rb_start_blocked_export(client, stream, &export);
	ck_assert_int_eq(kill(service->daemon_pid, SIGTERM), 0);
	ck_assert(!rb_test_service_wait_daemon_exit(service, 500, &wait_status));
	ck_assert_int_eq(kill(service->daemon_pid, SIGTERM), 0);
	ck_assert_msg(rb_test_service_wait_daemon_exit(
			      service, RB_TEST_TIMEOUT_SECONDS * 1000 / 2, &wait_status),
		      "rawburnd did not exit on a second SIGTERM");
	service->daemon_pid = 0;
	ck_assert_msg(WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0,
		      "wait status %d",
		      wait_status);
	close(read_fd);
	/* the call ends with the daemon's connection; its reply must not
	 * arrive after this frame is gone */
	rb_test_pending_wait(&export);
	ck_assert_ptr_nonnull(export.error_name);
	rb_test_pending_clear(&export);
}
END_TEST

#define RB_CONCURRENT_BURNS 32

/* the daemon's threads of that name, as the kernel shows them */
static guint
rb_count_daemon_threads(RbTestService *service, const gchar *name)
{
	g_autofree gchar *tasks = g_strdup_printf("/proc/%d/task", (gint)service->daemon_pid);
	g_autoptr(GDir) dir = g_dir_open(tasks, 0, NULL);
	const gchar *tid;
	guint n = 0;

	ck_assert_ptr_nonnull(dir);
	while ((tid = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *path = g_build_filename(tasks, tid, "comm", NULL);
		g_autofree gchar *comm = NULL;

		if (g_file_get_contents(path, &comm, NULL, NULL) &&
		    g_strcmp0(g_strstrip(comm), name) == 0)
			n++;
	}
	return n;
}

typedef struct {
	GHashTable *writing; /* object paths whose Update said WRITING */
} RbUpdateWatch;

static void
rb_on_update(GDBusConnection *connection,
	     const gchar *sender,
	     const gchar *path,
	     const gchar *interface,
	     const gchar *signal,
	     GVariant *params,
	     gpointer user_data)
{
	RbUpdateWatch *watch = user_data;
	guint32 action = 0;

	g_variant_get_child(params, 0, "u", &action);
	if (action == 2)
		g_hash_table_add(watch->writing, g_strdup(path));
}

/* a duplicator's worth of recorders, all burning at once: every one reaches
 * WRITING while all the others are still at it, and an idle recorder's
 * PrepareMedia goes through meanwhile. `make bench` measures the delays. */
START_TEST(test_lifecycle_concurrent_burns)
{
	g_autoptr(GPtrArray) args = g_ptr_array_new();
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(RbTestClient) watcher = NULL;
	g_autoptr(RbDaoStream) stream = rb_stream_new(-22650);
	RbTestClient *clients[RB_CONCURRENT_BURNS];
	RbTestPending burns[RB_CONCURRENT_BURNS];
	gint writers[RB_CONCURRENT_BURNS];
	RbUpdateWatch watch = {g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL)};
	g_autofree guint8 *chunk = g_malloc(20 * 2448);
	g_autofree gchar *idle_path = NULL;
	g_autofree gchar *prepared = NULL;
	g_autofree gchar *released = NULL;
	gint64 deadline;
	guint subscription;

	for (guint i = 0; i <= RB_CONCURRENT_BURNS; i++) {
		g_ptr_array_add(args, (gpointer) "--virtual-recorder");
		g_ptr_array_add(args, (gpointer) "media=cd-r-80,realtime=false");
	}
	g_ptr_array_add(args, (gpointer) "--max-virtual-recorders");
	g_ptr_array_add(args, (gpointer) "40");
	g_ptr_array_add(args, (gpointer) "--fifo-size");
	g_ptr_array_add(args, (gpointer) "4");
	g_ptr_array_add(args, NULL);
	rb_test_service_start_daemon(service, (const gchar *const *)args->pdata);
	watcher = rb_test_client_new(service);
	subscription = g_dbus_connection_signal_subscribe(watcher->connection,
							  RB_DBUS_NAME,
							  RB_TEST_FORMAT,
							  "Update",
							  NULL,
							  NULL,
							  G_DBUS_SIGNAL_FLAGS_NONE,
							  rb_on_update,
							  &watch,
							  NULL);
	ck_assert(rb_dao_stream_get_sectors(stream, -22650, 20, chunk, NULL));
	for (guint i = 0; i < RB_CONCURRENT_BURNS; i++) {
		g_autofree gchar *path = g_strdup_printf(RB_DBUS_RECORDERS_PATH "/virtual%u", i);
		g_autoptr(GUnixFDList) fds = NULL;
		gint pipe_fds[2];

		clients[i] = rb_test_client_new(service);
		rb_test_client_wait_for_drive(clients[i], path);
		ck_assert_int_eq(pipe(pipe_fds), 0);
		/* the start of a stream, and then nothing: the burn waits for more */
		ck_assert_int_eq(write(pipe_fds[1], chunk, 20 * 2448), 20 * 2448);
		writers[i] = pipe_fds[1];
		fds = rb_test_fd_list_new(pipe_fds[0]);
		close(pipe_fds[0]);
		rb_test_client_call_async(
			clients[i],
			path,
			RB_TEST_FORMAT,
			"Burn",
			g_variant_new_parsed("(@h 0, {'SectorType': <uint32 3>})"),
			fds,
			&burns[i]);
	}
	deadline = g_get_monotonic_time() + RB_TEST_TIMEOUT_SECONDS * G_USEC_PER_SEC / 2;
	while (g_hash_table_size(watch.writing) < RB_CONCURRENT_BURNS) {
		ck_assert_msg(g_get_monotonic_time() < deadline,
			      "only %u of %u burns reached WRITING",
			      g_hash_table_size(watch.writing),
			      RB_CONCURRENT_BURNS);
		for (guint i = 0; i < RB_CONCURRENT_BURNS; i++)
			ck_assert_msg(!burns[i].done, "burn %u ended: %s", i, burns[i].message);
		g_main_context_iteration(NULL, FALSE);
		g_usleep(1000);
	}
	/* each burn's coordinator has a thread of its own, not one of GLib's
	 * ten shared pool threads (which made burns 11 to 32 wait seconds) */
	ck_assert_uint_ge(rb_count_daemon_threads(service, "rb-job"), RB_CONCURRENT_BURNS);
	/* an idle recorder's drive is not queued behind the burns */
	idle_path = g_strdup_printf(RB_DBUS_RECORDERS_PATH "/virtual%u", RB_CONCURRENT_BURNS);
	prepared = rb_test_client_call(
		watcher, idle_path, RB_TEST_FORMAT, "PrepareMedia", NULL, NULL, NULL);
	ck_assert_ptr_null(prepared);
	released = rb_test_client_call(
		watcher, idle_path, RB_TEST_FORMAT, "ReleaseMedia", NULL, NULL, NULL);
	ck_assert_ptr_null(released);
	for (guint i = 0; i < RB_CONCURRENT_BURNS; i++) {
		g_autofree gchar *path = g_strdup_printf(RB_DBUS_RECORDERS_PATH "/virtual%u", i);
		g_autofree gchar *cancelled = rb_test_client_call(
			clients[i], path, RB_TEST_FORMAT, "CancelWrite", NULL, NULL, NULL);

		ck_assert_ptr_null(cancelled);
	}
	for (guint i = 0; i < RB_CONCURRENT_BURNS; i++) {
		rb_test_pending_wait(&burns[i]);
		ck_assert_str_eq(burns[i].error_name, RB_TEST_ERROR("RequestCancelled"));
		rb_test_pending_clear(&burns[i]);
		close(writers[i]);
		rb_test_client_free(clients[i]);
	}
	rb_test_signal_unsubscribe(watcher->connection, subscription);
	g_hash_table_unref(watch.writing);
	rb_test_service_stop_daemon(service);
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("lifecycle");
	TCase *tc = tcase_create("lifecycle");

	tcase_set_timeout(tc, RB_TEST_TIMEOUT_SECONDS * 2);
	tcase_add_test(tc, test_lifecycle_remove_while_held);
	tcase_add_test(tc, test_lifecycle_remove_races_pending_calls);
	tcase_add_test(tc, test_lifecycle_remove_under_running_export);
	tcase_add_test(tc, test_lifecycle_second_signal_while_busy);
	tcase_add_test(tc, test_lifecycle_concurrent_burns);
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
