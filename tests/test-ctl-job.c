/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * rawburnctl's jobs: "monitor --json" during a burn shows the recorder, the
 * job, its progress and its end, and stops with 0 on SIGTERM; "cancel
 * RECORDER" ends a burn (the Burn call replies RequestCancelled); a
 * recorder with nothing running, or a job that does not exist, is exit 9.
 */
#include "config.h"

#include <gio/gunixfdlist.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "rb-error.h"
#include "rb-test-client.h"
#include "rb-test-service.h"

#define RB_PATH RB_DBUS_RECORDERS_PATH "/virtual0"
#define RB_EXIT_NO_SUCH_JOB 9

static void
rb_burn_async(RbTestClient *client, RbTestPending *pending)
{
	gint fd = rb_test_two_track_stream_fd(400, 200, 11);
	g_autoptr(GUnixFDList) fds = rb_test_fd_list_new(fd);

	close(fd);
	rb_test_client_call_async(
		client,
		RB_PATH,
		RB_TEST_FORMAT,
		"Burn",
		g_variant_new("(h@a{sv})", 0, g_variant_new_parsed("{'ClientName': <'Ctl job'>}")),
		fds,
		pending);
}

/* "rawburnctl monitor --json", its output gathered line by line */
typedef struct {
	GSubprocess *process;
	GDataInputStream *out;
	GString *text;
	gboolean eof;
} RbMonitor;

static void rb_monitor_read(RbMonitor *monitor);

static void
rb_monitor_on_line(GObject *source, GAsyncResult *result, gpointer user_data)
{
	RbMonitor *monitor = user_data;
	g_autofree gchar *line = g_data_input_stream_read_line_finish_utf8(
		G_DATA_INPUT_STREAM(source), result, NULL, NULL);

	if (line == NULL) {
		monitor->eof = TRUE;
		return;
	}
	g_string_append_printf(monitor->text, "%s\n", line);
	rb_monitor_read(monitor);
}

static void
rb_monitor_read(RbMonitor *monitor)
{
	g_data_input_stream_read_line_async(
		monitor->out, G_PRIORITY_DEFAULT, NULL, rb_monitor_on_line, monitor);
}

static void
rb_monitor_start(RbTestService *service, RbMonitor *monitor)
{
	g_autoptr(GSubprocessLauncher) launcher =
		g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDOUT_PIPE);
	g_auto(GStrv) envp = rb_test_service_get_environ(service);
	g_autoptr(GError) error = NULL;

	g_subprocess_launcher_set_environ(launcher, envp);
	monitor->process = g_subprocess_launcher_spawn(
		launcher, &error, rb_test_get_rawburnctl(), "--session", "monitor", "--json", NULL);
	ck_assert_msg(monitor->process != NULL, "%s", error != NULL ? error->message : "");
	monitor->out = g_data_input_stream_new(g_subprocess_get_stdout_pipe(monitor->process));
	monitor->text = g_string_new(NULL);
	rb_monitor_read(monitor);
}

/* until the output has @text */
static void
rb_monitor_wait_for(RbMonitor *monitor, const gchar *text)
{
	gint64 deadline = g_get_monotonic_time() + RB_TEST_TIMEOUT_SECONDS * G_USEC_PER_SEC / 2;

	while (strstr(monitor->text->str, text) == NULL) {
		ck_assert_msg(
			!monitor->eof, "monitor ended without “%s”:\n%s", text, monitor->text->str);
		ck_assert_msg(g_get_monotonic_time() < deadline,
			      "no “%s” from monitor:\n%s",
			      text,
			      monitor->text->str);
		g_main_context_iteration(NULL, TRUE);
	}
}

START_TEST(test_ctl_monitor)
{
	g_autoptr(RbTestService) service =
		rb_test_service_new_with_recorder("media=cd-r-80,speed=24,realtime=true");
	g_autoptr(RbTestClient) client = rb_test_client_new(service);
	g_autoptr(GError) error = NULL;
	RbMonitor monitor = {0};
	RbTestPending pending;

	rb_test_client_wait_for_drive(client, RB_PATH);
	rb_monitor_start(service, &monitor);
	/* what is there comes first: once it did, the monitor follows changes */
	rb_monitor_wait_for(
		&monitor,
		"{\"event\":\"recorder-added\",\"recorder\":\"virtual0\",\"object\":\"" RB_PATH
		"\"}");
	rb_burn_async(client, &pending);
	rb_monitor_wait_for(&monitor, "\"event\":\"job-added\"");
	ck_assert_msg(strstr(monitor.text->str,
			     "\"operation\":\"raw-cd-write\",\"recorder\":\"virtual0\","
			     "\"client\":\"Ctl job\"") != NULL,
		      "%s",
		      monitor.text->str);
	rb_monitor_wait_for(&monitor, "\"event\":\"job-progress\"");
	rb_monitor_wait_for(&monitor, "\"event\":\"job-completed\"");
	ck_assert_msg(strstr(monitor.text->str, "\"success\":true,\"message\":\"\"") != NULL,
		      "%s",
		      monitor.text->str);
	rb_test_pending_assert_ok(&pending);
	/* the medium is not blank any more */
	rb_monitor_wait_for(&monitor, "\"event\":\"media-changed\"");

	g_subprocess_send_signal(monitor.process, SIGTERM);
	ck_assert(g_subprocess_wait(monitor.process, NULL, &error));
	ck_assert(g_subprocess_get_if_exited(monitor.process));
	ck_assert_int_eq(g_subprocess_get_exit_status(monitor.process), 0);
	while (!monitor.eof)
		g_main_context_iteration(NULL, TRUE);
	g_object_unref(monitor.out);
	g_object_unref(monitor.process);
	g_string_free(monitor.text, TRUE);
}
END_TEST

START_TEST(test_ctl_cancel)
{
	g_autoptr(RbTestService) service =
		rb_test_service_new_with_recorder("media=cd-r-80,speed=4,realtime=true");
	g_autoptr(RbTestClient) client = rb_test_client_new(service);
	const gchar *cancel_recorder[] = {"cancel", "virtual0", NULL};
	const gchar *cancel_missing[] = {"cancel", "99", NULL};
	const gchar *cancel_nothing[] = {"cancel", "nosuch", NULL};
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *job = NULL;
	gint64 deadline;
	RbTestPending pending;

	rb_test_client_wait_for_drive(client, RB_PATH);
	/* nothing runs yet */
	ck_assert_int_eq(rb_test_run_rawburnctl(service, cancel_recorder, NULL, &err),
			 RB_EXIT_NO_SUCH_JOB);
	ck_assert_msg(strstr(err, "virtual0") != NULL, "%s", err);
	g_clear_pointer(&err, g_free);
	ck_assert_int_eq(rb_test_run_rawburnctl(service, cancel_missing, NULL, &err),
			 RB_EXIT_NO_SUCH_JOB);
	g_clear_pointer(&err, g_free);
	ck_assert_int_eq(rb_test_run_rawburnctl(service, cancel_nothing, NULL, &err),
			 RB_EXIT_NO_SUCH_JOB);
	g_clear_pointer(&err, g_free);

	rb_burn_async(client, &pending);
	deadline = g_get_monotonic_time() + RB_TEST_TIMEOUT_SECONDS * G_USEC_PER_SEC / 2;
	while ((job = rb_test_client_find_job(client, RB_PATH)) == NULL) {
		ck_assert_msg(g_get_monotonic_time() < deadline, "no job appeared");
		g_main_context_iteration(NULL, FALSE);
		g_usleep(10 * 1000);
	}
	ck_assert_msg(rb_test_run_rawburnctl(service, cancel_recorder, &out, &err) == 0,
		      "%s%s",
		      out,
		      err);
	rb_test_pending_assert_error(&pending, RB_TEST_ERROR("RequestCancelled"));
	/* the job is kept a while after its end: cancelling it again says so */
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	ck_assert_int_eq(rb_test_run_rawburnctl(service, cancel_recorder, &out, &err),
			 RB_EXIT_NO_SUCH_JOB);
	ck_assert_msg(strstr(err, "ended") != NULL, "%s", err);
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("ctl-job");
	TCase *tc = tcase_create("rawburnctl");

	tcase_set_timeout(tc, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_test(tc, test_ctl_monitor);
	tcase_add_test(tc, test_ctl_cancel);
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
