/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Starts a private dbus-daemon with its own configuration in a temporary
 * directory, and rawburnd on it in its own process group, so that a test
 * can tell whether the daemon exited cleanly and left no process behind.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rb-dao-stream.h"
#include "rb-error.h"
#include "rb-test-service.h"
#include "rb-test-tools.h"

#define RB_TEST_POLL_US (20 * 1000)

static const gchar rb_test_bus_config[] = "<busconfig>\n"
					  "  <type>session</type>\n"
					  "  <listen>unix:dir=%s</listen>\n"
					  "  <auth>EXTERNAL</auth>\n"
					  "  <policy context=\"default\">\n"
					  "    <allow send_destination=\"*\" eavesdrop=\"true\"/>\n"
					  "    <allow eavesdrop=\"true\"/>\n"
					  "    <allow own=\"*\"/>\n"
					  "  </policy>\n"
					  "</busconfig>\n";

/* Debian 12's /usr/share/dbus-1/system.conf minus what needs the machine (its
 * socket, user, pid file, service helper, service and system.d directories):
 * method calls and names are denied unless a policy file punches a hole. %s
 * are the socket's directory and the project's policy file as it is
 * installed. The last policies stand in for polkit's and logind's own files:
 * everyone may ask polkit, as on a real system; root owns the mocks' names
 * and alone may call them otherwise (their Mock interfaces). No service
 * directory: nothing is activated. */
static const gchar rb_test_system_bus_config[] =
	"<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n"
	" \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
	"<busconfig>\n"
	"  <type>system</type>\n"
	"  <listen>unix:path=%s/system_bus_socket</listen>\n"
	"  <auth>EXTERNAL</auth>\n"
	"  <policy context=\"default\">\n"
	"    <allow user=\"*\"/>\n"
	"    <deny own=\"*\"/>\n"
	"    <deny send_type=\"method_call\"/>\n"
	"    <allow send_type=\"signal\"/>\n"
	"    <allow send_requested_reply=\"true\" send_type=\"method_return\"/>\n"
	"    <allow send_requested_reply=\"true\" send_type=\"error\"/>\n"
	"    <allow receive_type=\"method_call\"/>\n"
	"    <allow receive_type=\"method_return\"/>\n"
	"    <allow receive_type=\"error\"/>\n"
	"    <allow receive_type=\"signal\"/>\n"
	"    <allow send_destination=\"org.freedesktop.DBus\"\n"
	"           send_interface=\"org.freedesktop.DBus\"/>\n"
	"    <allow send_destination=\"org.freedesktop.DBus\"\n"
	"           send_interface=\"org.freedesktop.DBus.Introspectable\"/>\n"
	"    <allow send_destination=\"org.freedesktop.DBus\"\n"
	"           send_interface=\"org.freedesktop.DBus.Properties\"/>\n"
	"    <allow send_destination=\"org.freedesktop.DBus\"\n"
	"           send_interface=\"org.freedesktop.DBus.Containers1\"/>\n"
	"    <deny send_destination=\"org.freedesktop.DBus\"\n"
	"          send_interface=\"org.freedesktop.DBus\"\n"
	"          send_member=\"UpdateActivationEnvironment\"/>\n"
	"    <deny send_destination=\"org.freedesktop.DBus\"\n"
	"          send_interface=\"org.freedesktop.DBus.Debug.Stats\"/>\n"
	"    <deny send_destination=\"org.freedesktop.DBus\"\n"
	"          send_interface=\"org.freedesktop.systemd1.Activator\"/>\n"
	"  </policy>\n"
	"  <policy user=\"root\">\n"
	"    <allow send_destination=\"org.freedesktop.DBus\"\n"
	"           send_interface=\"org.freedesktop.systemd1.Activator\"/>\n"
	"    <allow send_destination=\"org.freedesktop.DBus\"\n"
	"           send_interface=\"org.freedesktop.DBus.Monitoring\"/>\n"
	"    <allow send_destination=\"org.freedesktop.DBus\"\n"
	"           send_interface=\"org.freedesktop.DBus.Debug.Stats\"/>\n"
	"  </policy>\n"
	"  <include>%s</include>\n"
	"  <policy context=\"default\">\n"
	"    <allow send_destination=\"org.freedesktop.PolicyKit1\"\n"
	"           send_interface=\"org.freedesktop.PolicyKit1.Authority\"/>\n"
	"  </policy>\n"
	"  <policy user=\"root\">\n"
	"    <allow own=\"org.freedesktop.PolicyKit1\"/>\n"
	"    <allow own=\"org.freedesktop.login1\"/>\n"
	"    <allow send_destination=\"org.freedesktop.PolicyKit1\"/>\n"
	"    <allow send_destination=\"org.freedesktop.login1\"/>\n"
	"  </policy>\n"
	"</busconfig>\n";

const gchar *
rb_test_get_builddir(void)
{
	return RB_TEST_ABS_BUILDDIR;
}

/* RB_TEST_RAWBURND: another build's, for a benchmark that compares two */
const gchar *
rb_test_get_rawburnd(void)
{
	const gchar *other = g_getenv("RB_TEST_RAWBURND");

	return other != NULL && *other != '\0' ? other : RB_TEST_ABS_BUILDDIR "/daemon/rawburnd";
}

const gchar *
rb_test_get_rawburnctl(void)
{
	return RB_TEST_ABS_BUILDDIR "/client/rawburnctl";
}

const gchar *
rb_test_get_dbus_xml_dir(void)
{
	return RB_TEST_ABS_SRCDIR "/dbus";
}

/* own process group: the test can then find any process the daemon left.
 * SIGTERM when the test dies: a failed assertion exits the test process
 * without running its cleanups, and the bus and the daemon (both root) must
 * not outlive it; the mocks leave with the bus. */
static void
rb_test_child_setup(gpointer user_data)
{
	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGTERM);
}

/* the daemon's: as above, and the descriptor limit the test asked for */
static void
rb_test_daemon_setup(gpointer user_data)
{
	RbTestService *self = user_data;

	rb_test_child_setup(NULL);
	if (self->daemon_fd_limit > 0) {
		struct rlimit limit = {self->daemon_fd_limit, self->daemon_fd_limit};
		setrlimit(RLIMIT_NOFILE, &limit);
	}
}

static RbTestService *
rb_test_service_new_with_config(gboolean system_bus)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *config = NULL;
	g_autofree gchar *config_path = NULL;
	g_autofree gchar *print_fd = NULL;
	RbTestService *self = g_new0(RbTestService, 1);
	gint out_fd = -1;
	g_autoptr(GIOChannel) channel = NULL;
	gsize terminator = 0;
	const gchar *argv[] = {DBUS_DAEMON_PATH, NULL, "--print-address=1", "--nofork", NULL};

	self->tmpdir = g_dir_make_tmp("rawburn-test-XXXXXX", &error);
	ck_assert_msg(self->tmpdir != NULL,
		      "cannot make a temporary directory: %s",
		      error ? error->message : "");
	if (system_bus) {
		/* other users reach the socket, and the files a test hands them */
		ck_assert_int_eq(g_chmod(self->tmpdir, 0755), 0);
		config = g_strdup_printf(rb_test_system_bus_config,
					 self->tmpdir,
					 RB_TEST_ABS_SRCDIR "/dbus/org.rawburn.RawBurn1.conf");
	} else {
		config = g_strdup_printf(rb_test_bus_config, self->tmpdir);
	}
	config_path = g_build_filename(self->tmpdir, "bus.conf", NULL);
	ck_assert(g_file_set_contents(config_path, config, -1, &error));
	argv[1] = print_fd = g_strdup_printf("--config-file=%s", config_path);

	ck_assert_msg(
		g_spawn_async_with_pipes(NULL,
					 (gchar **)argv,
					 NULL,
					 G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDERR_TO_DEV_NULL,
					 rb_test_child_setup,
					 NULL,
					 &self->bus_pid,
					 NULL,
					 &out_fd,
					 NULL,
					 &error),
		"cannot start dbus-daemon: %s",
		error ? error->message : "");
	channel = g_io_channel_unix_new(out_fd);
	g_io_channel_set_close_on_unref(channel, TRUE);
	ck_assert_msg(
		g_io_channel_read_line(channel, &self->bus_address, NULL, &terminator, &error) ==
			G_IO_STATUS_NORMAL,
		"dbus-daemon did not start with %s",
		config_path);
	self->bus_address[terminator] = '\0';

	self->connection = g_dbus_connection_new_for_address_sync(
		self->bus_address,
		G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
			G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
		NULL,
		NULL,
		&error);
	ck_assert_msg(self->connection != NULL,
		      "cannot connect to the test bus: %s",
		      error ? error->message : "");
	g_dbus_connection_set_exit_on_close(self->connection, FALSE);
	return self;
}

RbTestService *
rb_test_service_new_bus(void)
{
	return rb_test_service_new_with_config(FALSE);
}

RbTestService *
rb_test_service_new_with_recorder(const gchar *spec)
{
	const gchar *args[] = {"--virtual-recorder", spec, NULL};
	RbTestService *service = rb_test_service_new_bus();

	rb_test_service_start_daemon(service, args);
	return service;
}

RbTestService *
rb_test_service_new_system_bus(void)
{
	return rb_test_service_new_with_config(TRUE);
}

gchar **
rb_test_service_get_environ(RbTestService *self)
{
	gchar **envp = g_get_environ();

	/* both buses point at the private one: nothing reaches the machine's buses */
	envp = g_environ_setenv(envp, "DBUS_SESSION_BUS_ADDRESS", self->bus_address, TRUE);
	envp = g_environ_setenv(envp, "DBUS_SYSTEM_BUS_ADDRESS", self->bus_address, TRUE);
	envp = g_environ_setenv(envp, "LC_ALL", "C.UTF-8", TRUE);
	envp = g_environ_unsetenv(envp, "LANGUAGE");
	return envp;
}

static gboolean
rb_test_service_name_has_owner(RbTestService *self)
{
	g_autoptr(GVariant) reply = NULL;
	gboolean has_owner = FALSE;

	reply = g_dbus_connection_call_sync(self->connection,
					    "org.freedesktop.DBus",
					    "/org/freedesktop/DBus",
					    "org.freedesktop.DBus",
					    "NameHasOwner",
					    g_variant_new("(s)", RB_DBUS_NAME),
					    G_VARIANT_TYPE("(b)"),
					    G_DBUS_CALL_FLAGS_NONE,
					    -1,
					    NULL,
					    NULL);
	if (reply != NULL)
		g_variant_get(reply, "(b)", &has_owner);
	return has_owner;
}

static void
rb_test_service_dump_log(RbTestService *self)
{
	g_autofree gchar *log = NULL;

	if (self->daemon_log != NULL && g_file_get_contents(self->daemon_log, &log, NULL, NULL) &&
	    log[0] != '\0')
		g_printerr("--- rawburnd output ---\n%s--- end ---\n", log);
}

void
rb_test_service_start_daemon(RbTestService *self, const gchar *const *extra_args)
{
	rb_test_service_start_daemon_on(self, TRUE, extra_args);
}

/* @session FALSE: rawburnd as on the system bus (which is the private bus here) */
void
rb_test_service_start_daemon_on(RbTestService *self,
				gboolean session,
				const gchar *const *extra_args)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_auto(GStrv) envp = rb_test_service_get_environ(self);
	gint64 deadline = g_get_monotonic_time() + RB_TEST_TIMEOUT_SECONDS * G_USEC_PER_SEC / 2;
	gint log_fd;

	/* a GLib critical in the daemon is a bug a client provoked: it must
	 * kill the daemon, so that stopping it fails the test */
	envp = g_environ_setenv(envp, "G_DEBUG", "fatal-criticals", TRUE);

	ck_assert_int_eq(self->daemon_pid, 0);
	g_ptr_array_add(argv, (gpointer)rb_test_get_rawburnd());
	if (session)
		g_ptr_array_add(argv, (gpointer) "--session");
	if (!self->daemon_no_debug)
		g_ptr_array_add(argv, (gpointer) "--debug");
	for (guint i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
		g_ptr_array_add(argv, (gpointer)extra_args[i]);
	g_ptr_array_add(argv, NULL);

	g_free(self->daemon_log);
	self->daemon_log = g_build_filename(self->tmpdir, "rawburnd.log", NULL);
	log_fd = open(self->daemon_log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	ck_assert_int_ge(log_fd, 0);
	ck_assert_msg(g_spawn_async_with_pipes_and_fds(NULL,
						       (const gchar *const *)argv->pdata,
						       (const gchar *const *)envp,
						       G_SPAWN_DO_NOT_REAP_CHILD,
						       rb_test_daemon_setup,
						       self,
						       -1,
						       log_fd,
						       log_fd,
						       NULL,
						       NULL,
						       0,
						       &self->daemon_pid,
						       NULL,
						       NULL,
						       NULL,
						       &error),
		      "cannot start rawburnd: %s",
		      error ? error->message : "");
	close(log_fd);

	while (!rb_test_service_name_has_owner(self)) {
		gint wait_status = 0;
		if (waitpid(self->daemon_pid, &wait_status, WNOHANG) == self->daemon_pid) {
			self->daemon_pid = 0;
			rb_test_service_dump_log(self);
			ck_abort_msg("rawburnd exited before owning its name (wait status %d)",
				     wait_status);
		}
		if (g_get_monotonic_time() > deadline) {
			rb_test_service_dump_log(self);
			ck_abort_msg("rawburnd did not own %s in time", RB_DBUS_NAME);
		}
		g_usleep(RB_TEST_POLL_US);
	}
}

gboolean
rb_test_service_wait_daemon_exit(RbTestService *self, guint timeout_ms, gint *wait_status)
{
	gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;

	ck_assert_int_ne(self->daemon_pid, 0);
	while (g_get_monotonic_time() < deadline) {
		pid_t pid = waitpid(self->daemon_pid, wait_status, WNOHANG);
		if (pid == self->daemon_pid)
			return TRUE;
		ck_assert_int_eq(pid, 0);
		g_usleep(RB_TEST_POLL_US);
	}
	return FALSE;
}

/* the group must be empty once the daemon is gone: no leaked helper processes */
static void
rb_test_service_assert_group_empty(GPid pgid)
{
	gint64 deadline = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;

	while (kill(-pgid, 0) == 0) {
		if (g_get_monotonic_time() > deadline) {
			kill(-pgid, SIGKILL);
			ck_abort_msg("rawburnd left a process behind in group %d", (int)pgid);
		}
		g_usleep(RB_TEST_POLL_US);
	}
	ck_assert_int_eq(errno, ESRCH);
}

/* SIGTERM, then the daemon must exit 0 on its own: a crash, a sanitizer
 * report or a hang fails the test */
gint
rb_test_service_stop_daemon(RbTestService *self)
{
	gint wait_status = 0;
	GPid pid = self->daemon_pid;

	ck_assert_int_ne(pid, 0);
	ck_assert_int_eq(kill(pid, SIGTERM), 0);
	if (!rb_test_service_wait_daemon_exit(
		    self, RB_TEST_TIMEOUT_SECONDS * 1000 / 2, &wait_status)) {
		kill(-pid, SIGKILL);
		waitpid(pid, NULL, 0);
		self->daemon_pid = 0;
		rb_test_service_dump_log(self);
		ck_abort_msg("rawburnd did not exit after SIGTERM");
	}
	self->daemon_pid = 0;
	if (!WIFEXITED(wait_status) || WEXITSTATUS(wait_status) != 0)
		rb_test_service_dump_log(self);
	ck_assert_msg(WIFEXITED(wait_status), "rawburnd died of signal %d", WTERMSIG(wait_status));
	ck_assert_msg(WEXITSTATUS(wait_status) == 0,
		      "rawburnd exited with status %d",
		      WEXITSTATUS(wait_status));
	rb_test_service_assert_group_empty(pid);
	return WEXITSTATUS(wait_status);
}

void
rb_test_service_free(RbTestService *self)
{
	if (self == NULL)
		return;
	if (self->daemon_pid != 0)
		rb_test_service_stop_daemon(self);
	if (self->connection != NULL) {
		g_dbus_connection_close_sync(self->connection, NULL, NULL);
		g_object_unref(self->connection);
	}
	if (self->bus_pid != 0) {
		kill(self->bus_pid, SIGTERM);
		waitpid(self->bus_pid, NULL, 0);
	}
	if (self->tmpdir != NULL)
		rb_test_remove_dir(self->tmpdir);
	g_free(self->daemon_log);
	g_free(self->bus_address);
	g_free(self->tmpdir);
	g_free(self);
}

gint
rb_test_run(const gchar *const *argv, gchar **envp, gchar **standard_output, gchar **standard_error)
{
	return rb_test_run_in(NULL, argv, envp, standard_output, standard_error);
}

/* the first Python that has dbusmock; NULL when none has */
const gchar *
rb_test_find_python(void)
{
	static const gchar *candidates[] = {"python3", "/usr/bin/python3"};

	for (guint i = 0; i < G_N_ELEMENTS(candidates); i++) {
		const gchar *argv[] = {candidates[i], "-c", "import dbusmock", NULL};
		gint wait_status = 0;

		if (g_spawn_sync(NULL,
				 (gchar **)argv,
				 NULL,
				 G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL |
					 G_SPAWN_STDERR_TO_DEV_NULL,
				 NULL,
				 NULL,
				 NULL,
				 NULL,
				 &wait_status,
				 NULL) &&
		    WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0)
			return candidates[i];
	}
	return NULL;
}

gboolean
rb_test_require_system_bus(const gchar *test_name)
{
	g_autofree gchar *setpriv = g_find_program_in_path("setpriv");
	gboolean ready = TRUE;

	/* every missing one is named, not only the first */
	if (getuid() != 0) {
		g_printerr("%s runs rawburnd as on the system bus and calls it as uid %u: run it "
			   "as root (CI does)\n",
			   test_name,
			   RB_TEST_UID_NOBODY);
		ready = FALSE;
	}
	if (rb_test_find_python() == NULL) {
		g_printerr("%s: python3 with dbusmock not found: install python3-dbusmock "
			   "(.ci/build does)\n",
			   test_name);
		ready = FALSE;
	}
	if (setpriv == NULL) {
		g_printerr("%s: setpriv not found: install util-linux\n", test_name);
		ready = FALSE;
	}
	return ready;
}

gboolean
rb_test_name_has_owner(RbTestService *service, const gchar *name)
{
	g_autoptr(GVariant) reply = NULL;
	gboolean has_owner = FALSE;

	reply = g_dbus_connection_call_sync(service->connection,
					    "org.freedesktop.DBus",
					    "/org/freedesktop/DBus",
					    "org.freedesktop.DBus",
					    "NameHasOwner",
					    g_variant_new("(s)", name),
					    G_VARIANT_TYPE("(b)"),
					    G_DBUS_CALL_FLAGS_NONE,
					    -1,
					    NULL,
					    NULL);
	if (reply != NULL)
		g_variant_get(reply, "(b)", &has_owner);
	return has_owner;
}

/* `python3 -m dbusmock --system --template TEMPLATE [-p PARAMETERS]` on the
 * private bus, running until @bus_name has an owner */
static GPid
rb_test_start_mock_full(RbTestService *service,
			const gchar *template_name,
			const gchar *parameters,
			const gchar *bus_name)
{
	g_autoptr(GError) error = NULL;
	g_auto(GStrv) envp = rb_test_service_get_environ(service);
	const gchar *argv[] = {rb_test_find_python(),
			       "-m",
			       "dbusmock",
			       "--system",
			       "--template",
			       template_name,
			       parameters != NULL ? "--parameters" : NULL,
			       parameters,
			       NULL};
	gint64 deadline = g_get_monotonic_time() + RB_TEST_TIMEOUT_SECONDS * G_USEC_PER_SEC / 2;
	GPid pid = 0;

	ck_assert_ptr_nonnull(argv[0]);
	ck_assert_msg(g_spawn_async(NULL,
				    (gchar **)argv,
				    envp,
				    G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD |
					    G_SPAWN_STDOUT_TO_DEV_NULL,
				    NULL,
				    NULL,
				    &pid,
				    &error),
		      "cannot start dbusmock: %s",
		      error ? error->message : "");
	while (!rb_test_name_has_owner(service, bus_name)) {
		ck_assert_msg(
			waitpid(pid, NULL, WNOHANG) == 0, "dbusmock %s exited", template_name);
		ck_assert_msg(g_get_monotonic_time() < deadline, "%s did not appear", bus_name);
		g_usleep(RB_TEST_POLL_US);
	}
	return pid;
}

GPid
rb_test_start_mock(RbTestService *service, const gchar *template_name, const gchar *bus_name)
{
	return rb_test_start_mock_full(service, template_name, NULL, bus_name);
}

void
rb_test_stop_mock(RbTestService *service, GPid pid, const gchar *bus_name)
{
	ck_assert_int_eq(kill(pid, SIGTERM), 0);
	ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
	/* the bus may announce the name's loss a moment after the exit */
	while (rb_test_name_has_owner(service, bus_name))
		g_usleep(20 * 1000);
}

/* the whole stream into an unlinked temporary file, offset 0 */
gint
rb_test_stream_to_file(RbDaoStream *stream)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *path = NULL;
	gint fd = g_file_open_tmp("rawburn-image-XXXXXX", &path, &error);
	gsize size = rb_dao_stream_get_sector_size(stream);
	g_autofree guint8 *buf = g_malloc(100 * size);

	ck_assert_int_ge(fd, 0);
	g_unlink(path);
	for (gint32 lba = rb_dao_stream_get_first_lba(stream);
	     lba < rb_dao_stream_get_end_lba(stream);) {
		guint n = (guint)MIN(100, rb_dao_stream_get_end_lba(stream) - lba);
		ck_assert(rb_dao_stream_get_sectors(stream, lba, n, buf, NULL));
		ck_assert_int_eq(write(fd, buf, n * size), (gssize)(n * size));
		lba += (gint32)n;
	}
	ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
	return fd;
}

static gboolean
rb_test_pattern_main(gint32 lba, guint8 *main_data, gpointer user_data, GError **error)
{
	guint factor = GPOINTER_TO_UINT(user_data);

	for (guint i = 0; i < RB_CD_MAIN_SIZE; i++)
		main_data[i] = (guint8)(lba * factor + i);
	return TRUE;
}

gint
rb_test_two_track_stream_fd(guint first, guint second, guint factor)
{
	const RbDaoTrack tracks[] = {{0, first}, {(gint32)first, second}};
	g_autoptr(GError) error = NULL;
	g_autoptr(RbDaoStream) stream = rb_dao_stream_new(
		-22650, tracks, 2, 2, rb_test_pattern_main, GUINT_TO_POINTER(factor), NULL, &error);

	ck_assert_msg(stream != NULL, "%s", error != NULL ? error->message : "");
	return rb_test_stream_to_file(stream);
}

gint
rb_test_run_suite(Suite *suite)
{
	SRunner *runner = srunner_create(suite);
	gint failed;

	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

gchar *
rb_test_service_write_file(
	RbTestService *self, const gchar *name, const gchar *contents, gssize length, gint mode)
{
	g_autoptr(GError) error = NULL;
	gchar *path = g_build_filename(self->tmpdir, name, NULL);

	ck_assert_msg(g_file_set_contents(path, contents, length, &error),
		      "cannot write %s: %s",
		      path,
		      error ? error->message : "");
	/* g_file_set_contents() makes 0666 & ~umask; the test wants exactly @mode */
	ck_assert_int_eq(g_chmod(path, mode), 0);
	return path;
}

/* --- Calls as another user ------------------------------------------------------- */

struct _RbTestCall {
	GPid pid;
	gint stdout_fd;
	gboolean exited;
	gint wait_status;
	gchar *description; /* for failure messages */
};

const gchar *
rb_test_get_call_program(void)
{
	return RB_TEST_ABS_BUILDDIR "/tests/rb-test-call";
}

RbTestCall *
rb_test_call_start(RbTestService *service,
		   const RbTestCallOptions *options,
		   const gchar *path,
		   const gchar *interface_member,
		   const gchar *args)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
	g_auto(GStrv) envp = rb_test_service_get_environ(service);
	RbTestCallOptions defaults = {0};
	RbTestCall *call = g_new0(RbTestCall, 1);

	if (options == NULL)
		options = &defaults;
	/* setpriv changes the real and effective ids and drops root's groups and
	 * capabilities before it executes the program: the bus sees only @uid */
	if (options->uid != 0) {
		g_ptr_array_add(argv, g_strdup("setpriv"));
		g_ptr_array_add(argv, g_strdup_printf("--reuid=%u", options->uid));
		g_ptr_array_add(argv, g_strdup_printf("--regid=%u", options->uid));
		g_ptr_array_add(argv, g_strdup("--clear-groups"));
		g_ptr_array_add(argv, g_strdup("--"));
	}
	g_ptr_array_add(argv, g_strdup(rb_test_get_call_program()));
	if (options->interactive)
		g_ptr_array_add(argv, g_strdup("--interactive"));
	for (guint i = 0; options->fds != NULL && options->fds[i] != NULL; i++)
		g_ptr_array_add(argv, g_strdup_printf("--fd=%s", options->fds[i]));
	for (guint i = 0; options->before != NULL && options->before[i] != NULL; i++)
		g_ptr_array_add(argv, g_strdup_printf("--call=%s", options->before[i]));
	g_ptr_array_add(argv, g_strdup_printf("--timeout=%d", RB_TEST_TIMEOUT_SECONDS * 1000 / 2));
	g_ptr_array_add(argv, g_strdup(options->dest != NULL ? options->dest : RB_DBUS_NAME));
	g_ptr_array_add(argv, g_strdup(path));
	g_ptr_array_add(argv, g_strdup(interface_member));
	if (args != NULL)
		g_ptr_array_add(argv, g_strdup(args));
	g_ptr_array_add(argv, NULL);

	call->description =
		g_strdup_printf("rb-test-call as uid %u: %s", options->uid, interface_member);
	/* stderr is the test's: a sanitizer report shows in the test log. The
	 * working directory is one every uid may enter. */
	ck_assert_msg(g_spawn_async_with_pipes(service->tmpdir,
					       (gchar **)argv->pdata,
					       envp,
					       G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD,
					       NULL,
					       NULL,
					       &call->pid,
					       NULL,
					       &call->stdout_fd,
					       NULL,
					       &error),
		      "cannot run %s: %s",
		      call->description,
		      error ? error->message : "");
	return call;
}

gboolean
rb_test_call_is_running(RbTestCall *call)
{
	pid_t pid;

	if (call->exited)
		return FALSE;
	pid = waitpid(call->pid, &call->wait_status, WNOHANG);
	ck_assert_int_ge(pid, 0);
	call->exited = pid == call->pid;
	return !call->exited;
}

gchar *
rb_test_call_finish(RbTestCall *call)
{
	g_autoptr(GString) out = g_string_new(NULL);
	g_autofree gchar *description = g_steal_pointer(&call->description);
	gchar buf[4096];
	gssize n;
	gint wait_status;

	/* end-of-file when the program has made all its calls */
	while ((n = read(call->stdout_fd, buf, sizeof(buf))) != 0) {
		ck_assert_msg(
			n > 0 || errno == EINTR, "reading %s: %s", description, g_strerror(errno));
		if (n > 0)
			g_string_append_len(out, buf, n);
	}
	close(call->stdout_fd);
	if (!call->exited)
		ck_assert_int_eq(waitpid(call->pid, &call->wait_status, 0), call->pid);
	wait_status = call->wait_status;
	g_free(call);
	ck_assert_msg(WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0,
		      "%s failed (wait status %d), output: %s",
		      description,
		      wait_status,
		      out->str);
	ck_assert_msg(g_str_has_suffix(out->str, "\n"), "%s printed \"%s\"", description, out->str);
	g_string_truncate(out, out->len - 1);
	return g_string_free(g_steal_pointer(&out), FALSE);
}

gchar *
rb_test_call_full(RbTestService *service,
		  const RbTestCallOptions *options,
		  const gchar *path,
		  const gchar *interface_member,
		  const gchar *args)
{
	return rb_test_call_finish(
		rb_test_call_start(service, options, path, interface_member, args));
}

gchar *
rb_test_call_as(RbTestService *service,
		guint uid,
		gboolean interactive,
		const gchar *const *fds,
		const gchar *path,
		const gchar *interface_member,
		const gchar *args)
{
	RbTestCallOptions options = {.uid = uid, .interactive = interactive, .fds = fds};

	return rb_test_call_full(service, &options, path, interface_member, args);
}

/* --- The polkitd mock ------------------------------------------------------------ */

#define RB_TEST_POLKIT_PATH "/org/freedesktop/PolicyKit1/Authority"

GPid
rb_test_start_polkit(RbTestService *service)
{
	const gchar *policy = RB_TEST_ABS_BUILDDIR "/dbus/org.rawburn.policy";
	g_autofree gchar *parameters = NULL;

	/* the parameters are JSON; a path needing escapes would need a JSON writer */
	ck_assert_msg(strpbrk(policy, "\"\\") == NULL, "cannot quote %s", policy);
	ck_assert_msg(g_file_test(policy, G_FILE_TEST_IS_REGULAR), "%s is not built", policy);
	parameters = g_strdup_printf("{\"policy\": \"%s\"}", policy);
	return rb_test_start_mock_full(service,
				       RB_TEST_ABS_SRCDIR "/tests/rb-polkitd-mock.py",
				       parameters,
				       RB_TEST_POLKIT_NAME);
}

void
rb_test_stop_polkit(RbTestService *service, GPid pid)
{
	rb_test_stop_mock(service, pid, RB_TEST_POLKIT_NAME);
}

/* a method of the mock's org.freedesktop.DBus.Mock interface (@params
 * floating); the reply is "()" for the methods without a result */
static GVariant *
rb_test_polkit_call(RbTestService *service,
		    const gchar *method,
		    GVariant *params,
		    const GVariantType *reply_type)
{
	g_autoptr(GError) error = NULL;
	GVariant *reply = g_dbus_connection_call_sync(service->connection,
						      RB_TEST_POLKIT_NAME,
						      RB_TEST_POLKIT_PATH,
						      "org.freedesktop.DBus.Mock",
						      method,
						      params,
						      reply_type,
						      G_DBUS_CALL_FLAGS_NONE,
						      -1,
						      NULL,
						      &error);

	ck_assert_msg(reply != NULL, "polkit mock %s: %s", method, error ? error->message : "");
	return reply;
}

static void
rb_test_polkit_set_list(RbTestService *service, const gchar *method, const gchar *const *actions)
{
	const gchar *const none[] = {NULL};

	g_variant_unref(rb_test_polkit_call(
		service, method, g_variant_new("(^as)", actions != NULL ? actions : none), NULL));
}

void
rb_test_polkit_set_allowed(RbTestService *service, const gchar *const *actions)
{
	rb_test_polkit_set_list(service, "SetAllowed", actions);
}

void
rb_test_polkit_set_challenge(RbTestService *service, const gchar *const *actions)
{
	rb_test_polkit_set_list(service, "SetChallenge", actions);
}

void
rb_test_polkit_hang_actions(RbTestService *service, const gchar *const *actions)
{
	rb_test_polkit_set_list(service, "SimulateHangActions", actions);
}

void
rb_test_polkit_set_agent(RbTestService *service, const gchar *mode)
{
	g_variant_unref(rb_test_polkit_call(service, "SetAgent", g_variant_new("(s)", mode), NULL));
}

void
rb_test_polkit_release_hanging(RbTestService *service)
{
	g_variant_unref(rb_test_polkit_call(service, "ReleaseHangingCalls", NULL, NULL));
}

gboolean
rb_test_polkit_have_hanging(RbTestService *service)
{
	g_autoptr(GVariant) reply =
		rb_test_polkit_call(service, "HaveHangingCalls", NULL, G_VARIANT_TYPE("(b)"));
	gboolean have = FALSE;

	g_variant_get(reply, "(b)", &have);
	return have;
}

void
rb_test_polkit_wait_hanging(RbTestService *service)
{
	gint64 deadline = g_get_monotonic_time() + RB_TEST_TIMEOUT_SECONDS * G_USEC_PER_SEC / 2;

	while (!rb_test_polkit_have_hanging(service)) {
		ck_assert_msg(g_get_monotonic_time() < deadline, "no check reached polkit");
		g_usleep(RB_TEST_POLL_US);
	}
}

static void
rb_test_polkit_check_free(RbTestPolkitCheck *check)
{
	g_free(check->action_id);
	g_free(check->bus_name);
	g_free(check);
}

GPtrArray *
rb_test_polkit_get_check_list(RbTestService *service)
{
	g_autoptr(GVariant) reply =
		rb_test_polkit_call(service, "GetChecks", NULL, G_VARIANT_TYPE("(a(ssuu))"));
	g_autoptr(GVariantIter) iter = NULL;
	GPtrArray *checks =
		g_ptr_array_new_with_free_func((GDestroyNotify)rb_test_polkit_check_free);
	const gchar *action_id;
	const gchar *bus_name;
	guint32 uid;
	guint32 flags;

	g_variant_get(reply, "(a(ssuu))", &iter);
	while (g_variant_iter_next(iter, "(&s&suu)", &action_id, &bus_name, &uid, &flags)) {
		RbTestPolkitCheck *check = g_new0(RbTestPolkitCheck, 1);
		check->action_id = g_strdup(action_id);
		check->bus_name = g_strdup(bus_name);
		check->uid = uid;
		check->flags = flags;
		g_ptr_array_add(checks, check);
	}
	return checks;
}

gchar *
rb_test_polkit_get_checks(RbTestService *service)
{
	g_autoptr(GPtrArray) checks = rb_test_polkit_get_check_list(service);
	g_autoptr(GString) out = g_string_new(NULL);

	for (guint i = 0; i < checks->len; i++) {
		RbTestPolkitCheck *check = g_ptr_array_index(checks, i);
		if (i > 0)
			g_string_append(out, "; ");
		g_string_append_printf(
			out, "%s uid=%u flags=%u", check->action_id, check->uid, check->flags);
	}
	return g_string_free(g_steal_pointer(&out), FALSE);
}

void
rb_test_polkit_clear_checks(RbTestService *service)
{
	g_variant_unref(rb_test_polkit_call(service, "ClearChecks", NULL, NULL));
}

gint
rb_test_run_rawburnctl(RbTestService *self,
		       const gchar *const *args,
		       gchar **standard_output,
		       gchar **standard_error)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_auto(GStrv) envp = rb_test_service_get_environ(self);

	g_ptr_array_add(argv, (gpointer)rb_test_get_rawburnctl());
	g_ptr_array_add(argv, (gpointer) "--session");
	for (guint i = 0; args[i] != NULL; i++)
		g_ptr_array_add(argv, (gpointer)args[i]);
	g_ptr_array_add(argv, NULL);
	return rb_test_run(
		(const gchar *const *)argv->pdata, envp, standard_output, standard_error);
}
