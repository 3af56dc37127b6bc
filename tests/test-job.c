/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Job objects over the bus: a second client follows a burn it did not start
 * (InterfacesAdded, progress, Completed, InterfacesRemoved), a client whose
 * Burn call timed out learns the result from the job, a failed burn's
 * Completed carries the reply's error, Cancel by the owner and by another
 * connection of the same user ends the burn, an erase cannot be cancelled,
 * VerifyMedia is a job too, and Cancel's arguments and late calls are
 * refused by name. Who may cancel without org.rawburn.cancel-other is a
 * pure rule, walked here case by case (the bus gives every test client the
 * same uid).
 */
#include "config.h"

#include <gio/gunixfdlist.h>
#include <string.h>
#include <unistd.h>

#include "rb-error.h"
#include "rb-job-watch.h"
#include "rb-service-job.h"
#include "rb-test-client.h"
#include "rb-test-service.h"

#define RB_PATH RB_DBUS_RECORDERS_PATH "/virtual0"
#define RB_ERASE "org.rawburn.RawBurn1.DiscFormat2Erase"
#define RB_REQUEST_CANCELLED RB_TEST_ERROR("RequestCancelled")

/* a two-track disc's DAO stream in a file, as IMAPI's sector type 2 */
static gint
rb_stream_fd(void)
{
	return rb_test_two_track_stream_fd(400, 200, 5);
}

static void
rb_burn_async(RbTestClient *client, gint fd, const gchar *options, RbTestPending *pending)
{
	g_autoptr(GUnixFDList) fds = rb_test_fd_list_new(fd);
	GVariant *dict = g_variant_new_parsed(options);

	ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
	rb_test_client_call_async(client,
				  RB_PATH,
				  RB_TEST_FORMAT,
				  "Burn",
				  g_variant_new("(h@a{sv})", 0, dict),
				  fds,
				  pending);
}

/* a burn by @burner on a drive @observer waited for, followed by @observer
 * until its job was announced */
static RbJobWatch *
rb_watch_burn(RbTestClient *burner,
	      RbTestClient *observer,
	      const gchar *options,
	      RbTestPending *pending)
{
	RbJobWatch *watch;
	gint fd = rb_stream_fd();

	rb_test_client_wait_for_drive(observer, RB_PATH);
	watch = rb_watch_new(observer->connection);
	rb_burn_async(burner, fd, options, pending);
	close(fd);
	rb_watch_wait_for_job(watch, pending);
	return watch;
}

static gchar *
rb_cancel(RbTestClient *client, const gchar *path, const gchar *options, gchar **message)
{
	return rb_test_client_call(client,
				   path,
				   RB_JOB_IFACE,
				   "Cancel",
				   g_variant_new("(@a{sv})", g_variant_new_parsed(options)),
				   NULL,
				   message);
}

/* (1) a second client follows a burn it did not start, to the end and the
 * job's removal */
START_TEST(test_job_follow_burn)
{
	g_autoptr(RbTestService) service =
		rb_test_service_new_with_recorder("media=cd-r-80,speed=24,realtime=true");
	g_autoptr(RbTestClient) burner = NULL;
	g_autoptr(RbTestClient) observer = NULL;
	g_autoptr(RbJobWatch) watch = NULL;
	g_autoptr(GVariant) objects = NULL;
	g_autoptr(GVariant) operation = NULL;
	const gchar **paths = NULL;
	RbTestPending pending;
	guint32 uid = 0;
	const gchar *client_name = NULL;
	guint64 start_time = 0;
	gboolean cancelable = FALSE;
	gboolean valid = TRUE;

	burner = rb_test_client_new(service);
	observer = rb_test_client_new(service);
	watch = rb_watch_burn(burner, observer, "{'ClientName': <'Job test'>}", &pending);

	ck_assert_str_eq(watch->operation, "raw-cd-write");
	ck_assert(g_variant_lookup(watch->added, "Objects", "^a&o", &paths));
	ck_assert_uint_eq(g_strv_length((gchar **)paths), 1);
	ck_assert_str_eq(paths[0], RB_PATH);
	g_free(paths);
	ck_assert(g_variant_lookup(watch->added, "StartedByUID", "u", &uid));
	ck_assert_uint_eq(uid, getuid());
	ck_assert(g_variant_lookup(watch->added, "ClientName", "&s", &client_name));
	ck_assert_str_eq(client_name, "Job test");
	ck_assert(g_variant_lookup(watch->added, "Cancelable", "b", &cancelable));
	ck_assert(cancelable);
	ck_assert(g_variant_lookup(watch->added, "StartTime", "t", &start_time));
	ck_assert_uint_gt(start_time, 0);
	ck_assert(g_variant_lookup(watch->added, "ProgressValid", "b", &valid));

	rb_watch_wait_completed(watch, TRUE);
	ck_assert_str_eq(watch->message, "");
	rb_test_pending_assert_ok(&pending);

	/* the progress rose over the burn, with a size, a rate and an end */
	ck_assert_uint_ge(watch->progress_changes, 2);
	ck_assert(watch->first_progress < watch->last_progress);
	ck_assert(watch->last_progress == 1.0);
	/* at least the 600 sectors of the tracks, 2352 bytes of main channel each */
	ck_assert_uint_ge(watch->bytes, 600 * 2352);
	ck_assert_uint_gt(watch->max_rate, 0);
	ck_assert_uint_gt(watch->expected_end, start_time);

	/* still there right after Completed, for a client that comes late */
	operation =
		rb_test_get_property(observer->connection, watch->path, RB_JOB_IFACE, "Operation");
	ck_assert_str_eq(g_variant_get_string(operation, NULL), "raw-cd-write");
	objects = rb_test_client_get_objects(observer);
	{
		g_autoptr(GVariant) entry =
			g_variant_lookup_value(objects, watch->path, G_VARIANT_TYPE("a{sa{sv}}"));

		ck_assert_ptr_nonnull(entry);
	}
	/* and gone later */
	rb_test_iterate_until(&watch->removed);
}
END_TEST

/* (2) the Burn call times out after a second; the job tells how it ended */
START_TEST(test_job_timed_out_call)
{
	g_autoptr(RbTestService) service =
		rb_test_service_new_with_recorder("media=cd-r-80,speed=24,realtime=true");
	g_autoptr(RbTestClient) client = rb_test_client_new(service);
	g_autoptr(GUnixFDList) fds = NULL;
	g_autoptr(RbJobWatch) watch = NULL;
	RbTestPending pending = {0};
	gint fd = rb_stream_fd();

	rb_test_client_wait_for_drive(client, RB_PATH);
	fds = rb_test_fd_list_new(fd);
	close(fd);
	rb_test_client_call_async_timeout(
		client,
		RB_PATH,
		RB_TEST_FORMAT,
		"Burn",
		g_variant_new("(h@a{sv})", 0, g_variant_new_parsed("@a{sv} {}")),
		fds,
		1000,
		&pending);
	rb_test_pending_wait(&pending);
	ck_assert_msg(g_strcmp0(pending.error_name, "timeout") == 0,
		      "the burn ended within a second: %s %s",
		      pending.error_name,
		      pending.message);
	rb_test_pending_clear(&pending);

	/* what a client does that lost its call: find the recorder's job and
	 * wait for its end */
	watch = rb_watch_new(client->connection);
	watch->path = rb_test_client_find_job(client, RB_PATH);
	ck_assert_msg(watch->path != NULL, "no job for the burn");
	rb_watch_wait_completed(watch, TRUE);
	ck_assert_str_eq(watch->message, "");
}
END_TEST

/* Completed's message is the reply's "GDBus.Error:<name>: <message>"
 * without GDBus' prefix */
static void
rb_assert_job_message_is_reply(RbJobWatch *watch, RbTestPending *pending)
{
	ck_assert(g_str_has_prefix(pending->message, "GDBus.Error:"));
	ck_assert_str_eq(watch->message, pending->message + strlen("GDBus.Error:"));
}

/* (3) a write error after WRITE began: Completed carries the reply's error */
START_TEST(test_job_failed_burn)
{
	g_autoptr(RbTestService) service =
		rb_test_service_new_with_recorder("media=cd-r-80,realtime=false");
	g_autoptr(RbTestClient) burner = rb_test_client_new(service);
	g_autoptr(RbTestClient) observer = rb_test_client_new(service);
	g_autoptr(RbJobWatch) watch = NULL;
	RbTestPending pending;
	gint fd = rb_stream_fd();

	rb_test_client_wait_for_drive(observer, RB_PATH);
	rb_test_client_set_faults(burner, RB_PATH, "{'WriteErrorAtLba': <250>}");
	watch = rb_watch_new(observer->connection);
	rb_burn_async(burner, fd, "@a{sv} {}", &pending);
	close(fd);
	rb_test_pending_wait(&pending);
	ck_assert_str_eq(pending.error_name, RB_TEST_ERROR("MediaWriteFailed"));
	rb_watch_wait_completed(watch, FALSE);
	rb_assert_job_message_is_reply(watch, &pending);
	rb_test_pending_clear(&pending);
}
END_TEST

/* a Burn is a job from its preparation on: refused there (the disc is no
 * longer blank), the job still tells how it ended */
START_TEST(test_job_burn_refused_in_preparation)
{
	g_autoptr(RbTestService) service =
		rb_test_service_new_with_recorder("media=cd-r-80,realtime=false");
	g_autoptr(RbTestClient) burner = rb_test_client_new(service);
	g_autoptr(RbTestClient) observer = rb_test_client_new(service);
	g_autoptr(RbJobWatch) watch = NULL;
	RbTestPending pending;
	gint fd = rb_stream_fd();

	rb_test_client_wait_for_drive(observer, RB_PATH);
	rb_burn_async(burner, fd, "@a{sv} {}", &pending);
	close(fd);
	rb_test_pending_assert_ok(&pending);
	rb_test_client_wait_for_property(observer,
					 RB_PATH,
					 RB_TEST_FORMAT,
					 "MediaPhysicallyBlank",
					 g_variant_new_boolean(FALSE));
	/* the second Burn finds the disc written while preparing the drive */
	watch = rb_watch_new(observer->connection);
	fd = rb_stream_fd();
	rb_burn_async(burner, fd, "@a{sv} {}", &pending);
	close(fd);
	rb_test_pending_wait(&pending);
	ck_assert_str_eq(pending.error_name, RB_TEST_ERROR("MediaIsNotBlank"));
	rb_watch_wait_completed(watch, FALSE);
	ck_assert_str_eq(watch->operation, "raw-cd-write");
	rb_assert_job_message_is_reply(watch, &pending);
	rb_test_pending_clear(&pending);
}
END_TEST

/* CancelWrite right behind a Burn reaches it while the drive is prepared
 * (most rounds: the preparation is a thread's work, the cancel a message
 * already queued): the burn ends before anything is written, the job says
 * so. A round that lost the race burned or was refused; a fresh blank
 * then. */
START_TEST(test_job_cancel_in_preparation)
{
	g_autoptr(RbTestService) service =
		rb_test_service_new_with_recorder("media=cd-r-80,realtime=false");
	g_autoptr(RbTestClient) burner = rb_test_client_new(service);
	g_autoptr(RbTestClient) observer = rb_test_client_new(service);
	g_autofree gchar *message = NULL;
	gboolean reached = FALSE;
	gint fd = rb_stream_fd();

	rb_test_client_wait_for_drive(observer, RB_PATH);
	for (guint round = 0; round < 20 && !reached; round++) {
		g_autoptr(RbJobWatch) watch = rb_watch_new(observer->connection);
		g_autoptr(GVariant) blank = NULL;
		g_autofree gchar *cancel_error = NULL;
		RbTestPending pending;

		rb_burn_async(burner, fd, "@a{sv} {}", &pending);
		cancel_error = rb_test_client_call(
			burner, RB_PATH, RB_TEST_FORMAT, "CancelWrite", NULL, NULL, &message);
		g_clear_pointer(&message, g_free);
		rb_test_pending_wait(&pending);
		reached = pending.message != NULL && strstr(pending.message, "being prepared");
		if (reached) {
			ck_assert_ptr_null(cancel_error);
			ck_assert_str_eq(pending.error_name, RB_REQUEST_CANCELLED);
			rb_watch_wait_cancelled(watch);
			blank = rb_test_client_get(
				observer, RB_PATH, RB_TEST_FORMAT, "MediaPhysicallyBlank");
			ck_assert(g_variant_get_boolean(blank));
		} else {
			rb_test_assert_ok(rb_test_client_call(observer,
							      RB_PATH,
							      RB_TEST_VIRTUAL,
							      "InsertMedia",
							      g_variant_new("(s)", "cd-r-80"),
							      NULL,
							      &message),
					  &message);
			rb_test_client_wait_for_property(observer,
							 RB_PATH,
							 RB_TEST_FORMAT,
							 "MediaPhysicallyBlank",
							 g_variant_new_boolean(TRUE));
		}
		rb_test_pending_clear(&pending);
	}
	close(fd);
	ck_assert_msg(reached, "no CancelWrite reached a Burn's preparation in 20 rounds");
}
END_TEST

/* (4) Cancel by the owner, then by another connection of the same user */
START_TEST(test_job_cancel)
{
	g_autoptr(RbTestService) service =
		rb_test_service_new_with_recorder("media=cd-rw-80,speed=4,realtime=true");
	g_autoptr(RbTestClient) burner = rb_test_client_new(service);
	g_autoptr(RbTestClient) other = rb_test_client_new(service);
	g_autofree gchar *message = NULL;
	RbTestPending pending;
	gint fd = rb_stream_fd();

	rb_test_client_wait_for_drive(other, RB_PATH);
	for (guint round = 0; round < 2; round++) {
		g_autoptr(RbJobWatch) watch = rb_watch_new(other->connection);
		RbTestClient *canceller = round == 0 ? burner : other;

		rb_burn_async(burner, fd, "@a{sv} {}", &pending);
		rb_watch_wait_for_job(watch, &pending);
		rb_test_assert_ok(rb_cancel(canceller, watch->path, "@a{sv} {}", &message),
				  &message);
		rb_test_pending_assert_error(&pending, RB_REQUEST_CANCELLED);
		rb_watch_wait_cancelled(watch);
		/* (6) over: a second Cancel is too late */
		rb_test_assert_error(rb_cancel(canceller, watch->path, "@a{sv} {}", &message),
				     &message,
				     RB_TEST_ERROR("WriteNotInProgress"),
				     NULL);
		/* a cancelled CD-RW is not blank: a fresh one for the next round */
		rb_test_assert_ok(rb_test_client_call(other,
						      RB_PATH,
						      RB_TEST_VIRTUAL,
						      "InsertMedia",
						      g_variant_new("(s)", "cd-rw-80"),
						      NULL,
						      &message),
				  &message);
		rb_test_client_wait_for_property(other,
						 RB_PATH,
						 RB_TEST_FORMAT,
						 "MediaPhysicallyBlank",
						 g_variant_new_boolean(TRUE));
	}
	close(fd);
}
END_TEST

/* (6) Cancel's options are checked before anything else */
START_TEST(test_job_cancel_options)
{
	g_autoptr(RbTestService) service =
		rb_test_service_new_with_recorder("media=cd-r-80,speed=4,realtime=true");
	g_autoptr(RbTestClient) burner = rb_test_client_new(service);
	g_autoptr(RbJobWatch) watch = NULL;
	g_autofree gchar *message = NULL;
	RbTestPending pending;

	watch = rb_watch_burn(burner, burner, "@a{sv} {}", &pending);
	rb_test_assert_error(rb_cancel(burner, watch->path, "{'Force': <true>}", &message),
			     &message,
			     RB_TEST_INVALID_ARGS,
			     "Force");
	rb_test_assert_error(
		rb_cancel(burner, watch->path, "{'auth.no_user_interaction': <'yes'>}", &message),
		&message,
		RB_TEST_INVALID_ARGS,
		NULL);
	/* the burn went on: the right call ends it */
	ck_assert(!pending.done);
	rb_test_assert_ok(
		rb_cancel(burner, watch->path, "{'auth.no_user_interaction': <true>}", &message),
		&message);
	rb_test_pending_assert_error(&pending, RB_REQUEST_CANCELLED);
}
END_TEST

/* (5) an erase is a job that cannot be cancelled */
START_TEST(test_job_erase)
{
	g_autoptr(RbTestService) service =
		rb_test_service_new_with_recorder("media=cd-rw-80,speed=48,realtime=true");
	g_autoptr(RbTestClient) client = rb_test_client_new(service);
	g_autoptr(RbJobWatch) watch = NULL;
	g_autofree gchar *message = NULL;
	RbTestPending pending;
	gboolean cancelable = TRUE;

	rb_test_client_wait_for_drive(client, RB_PATH);
	watch = rb_watch_new(client->connection);
	rb_test_client_call_async(client, RB_PATH, RB_ERASE, "EraseMedia", NULL, NULL, &pending);
	rb_watch_wait_for_job(watch, &pending);
	ck_assert_str_eq(watch->operation, "erase");
	ck_assert(g_variant_lookup(watch->added, "Cancelable", "b", &cancelable));
	ck_assert(!cancelable);
	rb_test_assert_error(rb_cancel(client, watch->path, "@a{sv} {}", &message),
			     &message,
			     "org.freedesktop.DBus.Error.NotSupported",
			     NULL);
	rb_test_pending_assert_ok(&pending);
	rb_watch_wait_completed(watch, TRUE);
}
END_TEST

/* (5) VerifyMedia is a job, and so is the burn before it */
START_TEST(test_job_verify)
{
	g_autoptr(RbTestService) service =
		rb_test_service_new_with_recorder("media=cd-r-80,realtime=false");
	g_autoptr(RbTestClient) client = rb_test_client_new(service);
	g_autoptr(RbJobWatch) watch = NULL;
	g_autofree gchar *message = NULL;
	gint fd = rb_stream_fd();
	gboolean cancelable = FALSE;

	rb_test_client_wait_for_drive(client, RB_PATH);
	rb_test_assert_ok(rb_test_client_call_fd(client, RB_PATH, "Burn", fd, "{}", &message),
			  &message);
	watch = rb_watch_new(client->connection);
	rb_test_assert_ok(
		rb_test_client_call_fd(client, RB_PATH, "VerifyMedia", fd, "{}", &message),
		&message);
	close(fd);
	rb_watch_wait_completed(watch, TRUE);
	ck_assert_str_eq(watch->operation, "verify");
	ck_assert(g_variant_lookup(watch->added, "Cancelable", "b", &cancelable));
	ck_assert(cancelable);
}
END_TEST

/* the client that started a burn leaves mid-burn, then the recorder goes
 * (a write in progress refuses RemoveVirtualRecorder, so after the end):
 * the job outlives both, answers, and is removed as usual */
START_TEST(test_job_outlives_recorder)
{
	g_autoptr(RbTestService) service =
		rb_test_service_new_with_recorder("media=cd-r-80,speed=4,realtime=true");
	g_autoptr(RbTestClient) burner = rb_test_client_new(service);
	g_autoptr(RbTestClient) observer = rb_test_client_new(service);
	g_autoptr(RbJobWatch) watch = NULL;
	g_autoptr(GVariant) objects = NULL;
	g_autofree gchar *message = NULL;
	const gchar **paths = NULL;
	RbTestPending pending;

	watch = rb_watch_burn(burner, observer, "@a{sv} {}", &pending);
	/* the starter leaves: its write is cancelled, the job reports it */
	g_dbus_connection_close_sync(burner->connection, NULL, NULL);
	rb_watch_wait_cancelled(watch);
	rb_test_pending_clear(&pending);
	rb_test_client_wait_for_property(observer,
					 RB_PATH,
					 RB_TEST_RECORDER,
					 "ExclusiveAccessOwner",
					 g_variant_new_string(""));
	rb_test_assert_ok(rb_test_client_call(observer,
					      RB_DBUS_MANAGER_PATH,
					      RB_TEST_MANAGER,
					      "RemoveVirtualRecorder",
					      g_variant_new("(o)", RB_PATH),
					      NULL,
					      &message),
			  &message);
	/* the job still answers, about a recorder that is gone */
	objects = rb_test_get_property(observer->connection, watch->path, RB_JOB_IFACE, "Objects");
	paths = g_variant_get_objv(objects, NULL);
	ck_assert_str_eq(paths[0], RB_PATH);
	g_free(paths);
	rb_test_assert_error(rb_cancel(observer, watch->path, "@a{sv} {}", &message),
			     &message,
			     RB_TEST_ERROR("WriteNotInProgress"),
			     NULL);
	rb_test_iterate_until(&watch->removed);
}
END_TEST

/* who needs org.rawburn.cancel-other: neither the starting connection nor
 * its user */
START_TEST(test_job_cancel_rule)
{
	ck_assert(!rb_service_job_cancel_needs_action(":1.5", 1000, ":1.5", 1000));
	ck_assert(!rb_service_job_cancel_needs_action(":1.5", 1000, ":1.9", 1000));
	ck_assert(rb_service_job_cancel_needs_action(":1.5", 1000, ":1.9", 1001));
	ck_assert(rb_service_job_cancel_needs_action(":1.5", 1000, ":1.9", 0));
	/* the starter's uid unknown: only its own connection */
	ck_assert(!rb_service_job_cancel_needs_action(":1.5", G_MAXUINT32, ":1.5", 7));
	ck_assert(rb_service_job_cancel_needs_action(":1.5", G_MAXUINT32, ":1.9", G_MAXUINT32));
}
END_TEST

static Suite *
rb_job_suite(void)
{
	Suite *suite = suite_create("job");
	TCase *tc = tcase_create("bus");

	tcase_set_timeout(tc, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_test(tc, test_job_cancel_rule);
	tcase_add_test(tc, test_job_follow_burn);
	tcase_add_test(tc, test_job_timed_out_call);
	tcase_add_test(tc, test_job_failed_burn);
	tcase_add_test(tc, test_job_burn_refused_in_preparation);
	tcase_add_test(tc, test_job_cancel_in_preparation);
	tcase_add_test(tc, test_job_cancel);
	tcase_add_test(tc, test_job_cancel_options);
	tcase_add_test(tc, test_job_erase);
	tcase_add_test(tc, test_job_verify);
	tcase_add_test(tc, test_job_outlives_recorder);
	suite_add_tcase(suite, tc);
	return suite;
}

int
main(void)
{
	return rb_test_run_suite(rb_job_suite());
}
