/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The recorder's lock lent to an erase or a verify (rb-raw-cd-operation.c),
 * over the bus on virtual recorders: while a real-time drive blanks, the
 * eraser's own calls that would reach the drive are refused with
 * WriteInProgress and another client's with Locked; a client whose
 * VerifyMedia waits on a pipe that stays open leaves the bus, and the
 * verify ends and the lock goes.
 */
#include "config.h"

#include <fcntl.h>
#include <gio/gunixfdlist.h>
#include <glib-unix.h>
#include <string.h>
#include <unistd.h>

#include "rb-dao-stream.h"
#include "rb-error.h"
#include "rb-test-client.h"
#include "rb-test-service.h"
#include "rb-test-tools.h"

#define RB_PATH RB_DBUS_RECORDERS_PATH "/virtual0"
#define RB_ERASE "org.rawburn.RawBurn1.DiscFormat2Erase"

static gchar *
rb_owner(RbTestClient *client)
{
	g_autoptr(GVariant) value =
		rb_test_client_get(client, RB_PATH, RB_TEST_RECORDER, "ExclusiveAccessOwner");

	return g_variant_dup_string(value, NULL);
}

/* waits until the recorder's ExclusiveAccessOwner is (@free) or is not "" */
static void
rb_wait_owner(RbTestClient *client, gboolean free)
{
	gint64 deadline = g_get_monotonic_time() + RB_TEST_TIMEOUT_SECONDS * G_USEC_PER_SEC / 2;

	for (;;) {
		g_autofree gchar *owner = rb_owner(client);

		if ((owner[0] == '\0') == free)
			return;
		ck_assert_msg(g_get_monotonic_time() < deadline,
			      free ? "the lock never went (held by “%s”)"
				   : "the lock was never taken%s",
			      owner);
		g_main_context_iteration(NULL, FALSE);
		g_usleep(20 * 1000);
	}
}

/* @method of DiscFormat2RawCD; the D-Bus error name, NULL on success */
static gchar *
rb_call(RbTestClient *client, const gchar *method, GVariant *params, gint fd)
{
	g_autoptr(GUnixFDList) fds = fd >= 0 ? rb_test_fd_list_new(fd) : NULL;

	return rb_test_client_call(client, RB_PATH, RB_TEST_FORMAT, method, params, fds, NULL);
}

static GVariant *
rb_no_options(void)
{
	return g_variant_new_array(G_VARIANT_TYPE("{sv}"), NULL, 0);
}

static void
rb_assert_refused(gchar *failure, const gchar *expected, const gchar *what)
{
	g_autofree gchar *owned = failure;

	ck_assert_msg(g_strcmp0(owned, expected) == 0,
		      "%s: expected %s, got %s",
		      what,
		      expected,
		      owned != NULL ? owned : "success");
}

static gboolean
rb_pattern_main(gint32 lba, guint8 *main_data, gpointer user_data, GError **error)
{
	for (guint i = 0; i < RB_CD_MAIN_SIZE; i++)
		main_data[i] = (guint8)(lba * 5 + i);
	return TRUE;
}

/* --- tests ---------------------------------------------------------------------------- */

/*
 * A full blank at 48x takes the emulated drive about 105 s: long enough
 * for every call below, however loaded the machine. Its own calls that
 * would reach the drive wait for nothing: WriteInProgress, as during a
 * write. Another client's are Locked, or, where IMAPI answers so whoever
 * does not hold the recorder, MediaIsNotPrepared; its SetWriteSpeed only
 * keeps its own request, for its PrepareMedia, and succeeds.
 */
START_TEST(test_lock_refusals_mid_erase)
{
	g_autoptr(RbTestService) service =
		rb_test_service_new_with_recorder("media=cd-rw-80,speed=48,realtime=true");
	g_autoptr(RbTestClient) eraser = rb_test_client_new(service);
	g_autoptr(RbTestClient) other = rb_test_client_new(service);
	RbTestPending pending = {0};
	g_autofree gchar *failure = NULL;
	gint fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	ck_assert_int_ge(fd, 0);
	rb_test_client_wait_for_drive(eraser, RB_PATH);
	failure = rb_test_client_set(
		eraser, RB_PATH, RB_ERASE, "FullErase", g_variant_new_boolean(TRUE), NULL);
	ck_assert_ptr_null(failure);
	rb_test_client_call_async(eraser, RB_PATH, RB_ERASE, "EraseMedia", NULL, NULL, &pending);
	rb_wait_owner(other, FALSE);
	ck_assert(!pending.done);

	rb_assert_refused(rb_call(eraser, "SetWriteSpeed", g_variant_new("(ib)", 300, FALSE), -1),
			  RB_TEST_ERROR("WriteInProgress"),
			  "the eraser's SetWriteSpeed");
	rb_assert_refused(rb_call(eraser, "PrepareMedia", NULL, -1),
			  RB_TEST_ERROR("WriteInProgress"),
			  "the eraser's PrepareMedia");
	rb_assert_refused(
		rb_call(eraser, "Burn", g_variant_new("(h@a{sv})", 0, rb_no_options()), fd),
		RB_TEST_ERROR("WriteInProgress"),
		"the eraser's Burn");
	rb_assert_refused(rb_call(eraser, "WriteMedia2", g_variant_new("(hi)", 0, 22650), fd),
			  RB_TEST_ERROR("WriteInProgress"),
			  "the eraser's WriteMedia2");
	rb_assert_refused(rb_call(eraser, "ReleaseMedia", NULL, -1),
			  RB_TEST_ERROR("WriteInProgress"),
			  "the eraser's ReleaseMedia");

	rb_assert_refused(
		rb_call(other, "PrepareMedia", NULL, -1), RB_TEST_ERROR("Locked"), "PrepareMedia");
	rb_assert_refused(
		rb_call(other, "Burn", g_variant_new("(h@a{sv})", 0, rb_no_options()), fd),
		RB_TEST_ERROR("Locked"),
		"Burn");
	rb_assert_refused(rb_call(other, "WriteMedia2", g_variant_new("(hi)", 0, 22650), fd),
			  RB_TEST_ERROR("MediaIsNotPrepared"),
			  "WriteMedia2");
	rb_assert_refused(rb_call(other, "ReleaseMedia", NULL, -1),
			  RB_TEST_ERROR("MediaIsNotPrepared"),
			  "ReleaseMedia");
	rb_assert_refused(rb_call(other, "SetWriteSpeed", g_variant_new("(ib)", 300, FALSE), -1),
			  NULL,
			  "SetWriteSpeed");

	/* still blanking, still the eraser's */
	ck_assert(!pending.done);
	failure = rb_owner(other);
	ck_assert_str_ne(failure, "");
	/* the service stops mid-blank; the call says so */
	rb_test_service_stop_daemon(service);
	rb_test_pending_wait(&pending);
	ck_assert_str_eq(pending.error_name, RB_TEST_ERROR("RequestCancelled"));
	rb_test_pending_clear(&pending);
	close(fd);
}
END_TEST

/*
 * VerifyMedia reads a pipe whose writer never closes it: without the
 * caller leaving, the verify would wait for ever. Its connection closes;
 * the verify ends, the lock goes, and another client erases the disc.
 */
START_TEST(test_verify_caller_leaves)
{
	g_autoptr(RbTestService) service =
		rb_test_service_new_with_recorder("media=cd-rw-80,realtime=false");
	RbTestClient *verifier = rb_test_client_new(service);
	g_autoptr(RbTestClient) other = rb_test_client_new(service);
	const RbDaoTrack tracks[] = {{0, 300}};
	g_autoptr(GError) error = NULL;
	g_autoptr(RbDaoStream) stream =
		rb_dao_stream_new(-22650, tracks, 1, 2, rb_pattern_main, NULL, NULL, &error);
	RbTestPending pending = {0};
	g_autoptr(GUnixFDList) fds = NULL;
	g_autofree gchar *failure = NULL;
	g_autofree gchar *owner = NULL;
	guint8 part[2448 * 4] = {0};
	gint pipe_fds[2];
	gint fd;

	ck_assert_msg(stream != NULL, "%s", error != NULL ? error->message : "");
	rb_test_client_wait_for_drive(other, RB_PATH);
	fd = rb_test_stream_to_file(stream);
	failure = rb_call(other, "Burn", g_variant_new("(h@a{sv})", 0, rb_no_options()), fd);
	ck_assert_msg(failure == NULL, "Burn: %s", failure);
	close(fd);

	/* a few sectors, and the pipe stays open: the verify waits for more */
	ck_assert(g_unix_open_pipe(pipe_fds, FD_CLOEXEC, NULL));
	ck_assert_int_eq(write(pipe_fds[1], part, sizeof(part)), (gssize)sizeof(part));
	fds = rb_test_fd_list_new(pipe_fds[0]);
	close(pipe_fds[0]);
	rb_test_client_call_async(verifier,
				  RB_PATH,
				  RB_TEST_FORMAT,
				  "VerifyMedia",
				  g_variant_new("(h@a{sv})", 0, rb_no_options()),
				  fds,
				  &pending);
	rb_wait_owner(other, FALSE);
	/* one more round trip: the verify still holds the recorder */
	owner = rb_owner(other);
	ck_assert_str_ne(owner, "");
	ck_assert(!pending.done);

	/* gone from the bus, its call unanswered, the pipe still open */
	rb_test_client_free(verifier);
	rb_wait_owner(other, TRUE);
	g_free(failure);
	/* the recorder is free: the written disc erases */
	failure = rb_test_client_call(other, RB_PATH, RB_ERASE, "EraseMedia", NULL, NULL, NULL);
	ck_assert_msg(failure == NULL, "EraseMedia: %s", failure);
	close(pipe_fds[1]);
	rb_test_pending_clear(&pending);
	rb_test_service_stop_daemon(service);
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("operation-lock");
	TCase *tc = tcase_create("operation-lock");

	tcase_set_timeout(tc, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_test(tc, test_lock_refusals_mid_erase);
	tcase_add_test(tc, test_verify_caller_leaves);
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
