/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * rawburnd's command line, its idle timeout and its name ownership.
 */
#include "config.h"

#include <sys/wait.h>

#include "rb-error.h"
#include "rb-test-service.h"

static gint
rb_run_rawburnd(RbTestService *service, const gchar *const *args, gchar **out, gchar **err)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_auto(GStrv) envp = NULL;

	if (service != NULL) {
		envp = rb_test_service_get_environ(service);
	} else {
		envp = g_get_environ();
		envp = g_environ_setenv(envp, "LC_ALL", "C.UTF-8", TRUE);
		/* no bus reachable: the option errors must come before any connection */
		envp = g_environ_setenv(
			envp, "DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus", TRUE);
		envp = g_environ_setenv(
			envp, "DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/nonexistent/bus", TRUE);
	}
	g_ptr_array_add(argv, (gpointer)rb_test_get_rawburnd());
	for (guint i = 0; args[i] != NULL; i++)
		g_ptr_array_add(argv, (gpointer)args[i]);
	g_ptr_array_add(argv, NULL);
	return rb_test_run((const gchar *const *)argv->pdata, envp, out, err);
}

START_TEST(test_cli_version)
{
	const gchar *const args[] = {"--version", NULL};
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;

	ck_assert_int_eq(rb_run_rawburnd(NULL, args, &out, &err), 0);
	ck_assert_str_eq(out, "rawburnd " PACKAGE_VERSION "\n");
}
END_TEST

typedef struct {
	const gchar *args[8];
	const gchar *message_parts[2];
} RbBadCommandLine;

static const RbBadCommandLine rb_bad_command_lines[] = {
	{{"--bogus"}, {"--bogus", "rawburnd --help"}},
	{{"--idle-timeout", "-1"}, {"--idle-timeout", "0 or more"}},
	{{"--idle-timeout", "soon"}, {"soon", "rawburnd --help"}},
	{{"--virtual-recorder", "media=floppy"}, {"floppy", "cd-rw-80"}},
	{{"--virtual-recorder", "speed=0"}, {"speed", "1 to 52"}},
	{{"--virtual-recorder", "cd-r-80"}, {"KEY=VALUE", "media=cd-r-80"}},
	{{"--virtual-recorder", "media=cd-r-80", "--virtual-recorder", "realtime=often"},
	 {"often", "true or false"}},
	{{"burn"}, {"burn", "options only"}},
	{{"--max-virtual-recorders", "-1"}, {"--max-virtual-recorders", "0 to 1024"}},
	{{"--max-virtual-recorders",
	  "1",
	  "--virtual-recorder",
	  "media=none",
	  "--virtual-recorder",
	  "media=none"},
	 {"--max-virtual-recorders", "remove one"}},
};

START_TEST(test_cli_bad_command_line)
{
	const RbBadCommandLine *bad = &rb_bad_command_lines[_i];
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;

	ck_assert_int_ne(rb_run_rawburnd(NULL, bad->args, &out, &err), 0);
	for (guint i = 0; i < G_N_ELEMENTS(bad->message_parts); i++)
		ck_assert_msg(strstr(err, bad->message_parts[i]) != NULL,
			      "stderr “%s” lacks “%s”",
			      err,
			      bad->message_parts[i]);
	ck_assert_str_eq(out, "");
}
END_TEST

START_TEST(test_cli_no_bus)
{
	const gchar *const args[] = {"--session", NULL};
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;

	ck_assert_int_ne(rb_run_rawburnd(NULL, args, &out, &err), 0);
	ck_assert_msg(strstr(err, "cannot connect to the session bus") != NULL, "%s", err);
}
END_TEST

START_TEST(test_cli_idle_timeout_exits)
{
	const gchar *const args[] = {"--idle-timeout", "1", NULL};
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	gint wait_status = -1;

	rb_test_service_start_daemon(service, args);
	ck_assert_msg(rb_test_service_wait_daemon_exit(
			      service, RB_TEST_TIMEOUT_SECONDS * 1000 / 2, &wait_status),
		      "rawburnd did not exit when idle");
	service->daemon_pid = 0;
	ck_assert(WIFEXITED(wait_status));
	ck_assert_int_eq(WEXITSTATUS(wait_status), 0);
}
END_TEST

/* a virtual recorder holds a disc that would be lost: no idle exit */
START_TEST(test_cli_idle_timeout_kept_by_virtual_recorder)
{
	const gchar *const args[] = {
		"--idle-timeout", "1", "--virtual-recorder", "media=cd-r-80", NULL};
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	gint wait_status = -1;

	rb_test_service_start_daemon(service, args);
	ck_assert(!rb_test_service_wait_daemon_exit(service, 3500, &wait_status));
	rb_test_service_stop_daemon(service);
}
END_TEST

START_TEST(test_cli_name_taken)
{
	const gchar *const args[] = {"--session", NULL};
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;

	rb_test_service_start_daemon(service, NULL);
	ck_assert_int_ne(rb_run_rawburnd(service, args, &out, &err), 0);
	ck_assert_msg(strstr(err, "--replace") != NULL, "%s", err);
	rb_test_service_stop_daemon(service);
}
END_TEST

START_TEST(test_cli_replace)
{
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(GError) error = NULL;
	g_auto(GStrv) envp = rb_test_service_get_environ(service);
	const gchar *argv[] = {rb_test_get_rawburnd(), "--session", "--replace", NULL};
	g_autoptr(GSubprocess) second = NULL;
	g_autoptr(GSubprocessLauncher) launcher =
		g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDERR_PIPE);
	gint wait_status = -1;

	rb_test_service_start_daemon(service, NULL);
	g_subprocess_launcher_set_environ(launcher, envp);
	second = g_subprocess_launcher_spawnv(launcher, argv, &error);
	ck_assert_ptr_nonnull(second);
	/* the first one gives way and exits with failure: it lost its name */
	ck_assert_msg(rb_test_service_wait_daemon_exit(
			      service, RB_TEST_TIMEOUT_SECONDS * 1000 / 2, &wait_status),
		      "the replaced rawburnd did not exit");
	service->daemon_pid = 0;
	ck_assert(WIFEXITED(wait_status));
	ck_assert_int_eq(WEXITSTATUS(wait_status), 1);
	g_subprocess_send_signal(second, SIGTERM);
	ck_assert(g_subprocess_wait(second, NULL, &error));
	ck_assert(g_subprocess_get_if_exited(second));
	ck_assert_int_eq(g_subprocess_get_exit_status(second), 0);
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("daemon-cli");
	TCase *tc = tcase_create("cli");

	tcase_set_timeout(tc, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_test(tc, test_cli_version);
	tcase_add_loop_test(tc, test_cli_bad_command_line, 0, G_N_ELEMENTS(rb_bad_command_lines));
	tcase_add_test(tc, test_cli_no_bus);
	tcase_add_test(tc, test_cli_idle_timeout_exits);
	tcase_add_test(tc, test_cli_idle_timeout_kept_by_virtual_recorder);
	tcase_add_test(tc, test_cli_name_taken);
	tcase_add_test(tc, test_cli_replace);
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
