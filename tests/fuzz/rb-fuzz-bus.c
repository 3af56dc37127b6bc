/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The private bus and the in-process daemon of fuzz-dbus-calls. The bus is
 * a dbus-daemon with its own configuration, listening on an abstract socket
 * so that a crashed run leaves no file behind, and killed by the kernel when
 * this process dies. The daemon object is rawburnd's own, built as main.c
 * builds it but trusting every caller, as on a session bus. Everything runs
 * on this thread's default main context: whoever waits for a reply iterates
 * it, because the daemon answers from it.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rb-daemon.h"
#include "rb-error.h"
#include "rb-fuzz-bus.h"
#include "rb-fuzz.h"

/* a few WRITEs' worth, as small as rawburnd allows: burns stay quick */
#define RB_FUZZ_FIFO_SIZE (4 * 1024 * 1024)
#define RB_FUZZ_SETTLE_TIMEOUT_US (10 * G_USEC_PER_SEC)
#define RB_FUZZ_POLL_MS 2

static const gchar rb_fuzz_bus_config[] = "<busconfig>\n"
					  "  <type>session</type>\n"
					  "  <listen>unix:abstract=%s</listen>\n"
					  "  <auth>EXTERNAL</auth>\n"
					  "  <policy context=\"default\">\n"
					  "    <allow send_destination=\"*\" eavesdrop=\"true\"/>\n"
					  "    <allow eavesdrop=\"true\"/>\n"
					  "    <allow own=\"*\"/>\n"
					  "  </policy>\n"
					  "</busconfig>\n";

static const gchar *const rb_fuzz_base_specs[RB_FUZZ_BASE_RECORDERS] = {
	"media=cd-r-80,realtime=false",
	"media=cd-rw-80,realtime=false",
};

struct _RbFuzzBus {
	gchar *address;
	GPid bus_pid;
	GDBusConnection *daemon_connection;
	GDBusConnection *client;
	RbDaemon *daemon;
	guint owner_id;
	gboolean name_acquired;
	gchar *recorders[RB_FUZZ_BASE_RECORDERS];
	guint baseline_fds;
	gint stdin_writer;
};

/* ---- what fails an input besides a crash ---- */

/*
 * Messages the daemon legitimately logs at warning level while fuzzed.
 * Each entry says why it is expected; anything else at warning or critical
 * level is a bug and aborts, so that libFuzzer keeps the input.
 */
static const struct {
	const gchar *domain;
	const gchar *prefix;
} rb_fuzz_expected_warnings[] = {
	/* none so far: the private bus has no logind, which the inhibitor
	 * treats as "nothing to inhibit" without a warning */
	{NULL, NULL},
};

static gboolean
rb_fuzz_bus_log_is_expected(const gchar *domain, const gchar *message)
{
	for (guint i = 0; i < G_N_ELEMENTS(rb_fuzz_expected_warnings); i++) {
		if (rb_fuzz_expected_warnings[i].prefix != NULL &&
		    g_strcmp0(domain, rb_fuzz_expected_warnings[i].domain) == 0 &&
		    g_str_has_prefix(message, rb_fuzz_expected_warnings[i].prefix))
			return TRUE;
	}
	return FALSE;
}

static GLogWriterOutput
rb_fuzz_bus_log_writer(GLogLevelFlags level,
		       const GLogField *fields,
		       gsize n_fields,
		       gpointer user_data)
{
	const gchar *domain = NULL;
	const gchar *message = "";

	if ((level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING)) == 0) {
		/* RB_FUZZ_DEBUG=1 shows the daemon's debug messages */
		if (g_getenv("RB_FUZZ_DEBUG") != NULL)
			return g_log_writer_standard_streams(level, fields, n_fields, user_data);
		return G_LOG_WRITER_HANDLED;
	}
	for (gsize i = 0; i < n_fields; i++) {
		if (g_strcmp0(fields[i].key, "GLIB_DOMAIN") == 0)
			domain = fields[i].value;
		else if (g_strcmp0(fields[i].key, "MESSAGE") == 0)
			message = fields[i].value;
	}
	if ((level & G_LOG_LEVEL_ERROR) == 0 && rb_fuzz_bus_log_is_expected(domain, message))
		return G_LOG_WRITER_HANDLED;
	g_log_writer_standard_streams(level, fields, n_fields, user_data);
	rb_fuzz_fail("fuzz-dbus-calls: a GLib warning or critical fails the input");
}

/*
 * A negative handle makes g_unix_fd_list_get() read before its array, which
 * in practice holds 0: the daemon would use this process's standard input.
 * Standard input is therefore a pipe holding one byte, which only such a
 * daemon reads; the input fails when the byte is gone.
 */
static void
rb_fuzz_bus_plant_stdin(RbFuzzBus *self)
{
	gint fds[2];

	rb_fuzz_check(pipe2(fds, O_CLOEXEC) == 0);
	rb_fuzz_check(dup2(fds[0], STDIN_FILENO) == STDIN_FILENO);
	close(fds[0]);
	self->stdin_writer = fds[1];
	rb_fuzz_check(write(self->stdin_writer, "!", 1) == 1);
}

static void
rb_fuzz_bus_check_stdin(RbFuzzBus *self)
{
	gint available = 0;

	rb_fuzz_check(ioctl(STDIN_FILENO, FIONREAD, &available) == 0);
	if (available != 1) {
		rb_fuzz_fail("fuzz-dbus-calls: the daemon read this process's standard input, a "
			     "descriptor no client passed");
	}
}

/* from the sanitizer runtime, when there is one */
extern void __sanitizer_symbolize_pc(void *pc, const char *format, char *out, size_t out_size)
	__attribute__((weak));

/*
 * The sanitizers start llvm-symbolizer (two pipes and /dev/null) the first
 * time they name a function, which libFuzzer does whenever it reports new
 * coverage. Started before the descriptors are counted, it is no leak.
 */
static void
rb_fuzz_bus_start_symbolizer(void)
{
	char name[128];

	if (__sanitizer_symbolize_pc != NULL)
		__sanitizer_symbolize_pc(__builtin_return_address(0), "%F", name, sizeof(name));
}

static guint
rb_fuzz_count_fds(void)
{
	g_autoptr(GDir) dir = g_dir_open("/proc/self/fd", 0, NULL);
	guint n = 0;

	rb_fuzz_check(dir != NULL);
	while (g_dir_read_name(dir) != NULL)
		n++;
	/* the directory's own descriptor */
	return n - 1;
}

static void
rb_fuzz_print_fds(void)
{
	g_autoptr(GDir) dir = g_dir_open("/proc/self/fd", 0, NULL);
	const gchar *name;

	while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *path = g_build_filename("/proc/self/fd", name, NULL);
		g_autofree gchar *target = g_file_read_link(path, NULL);
		fprintf(stderr, "  fd %s -> %s\n", name, target != NULL ? target : "?");
	}
}

/* ---- waiting on the main context ---- */

static gboolean
rb_fuzz_bus_on_timeout(gpointer user_data)
{
	gboolean *fired = user_data;
	*fired = TRUE;
	return G_SOURCE_REMOVE;
}

/* lets the daemon's callbacks run for a while */
static void
rb_fuzz_bus_sleep(guint ms)
{
	gboolean fired = FALSE;

	g_timeout_add(ms, rb_fuzz_bus_on_timeout, &fired);
	while (!fired)
		g_main_context_iteration(NULL, TRUE);
}

typedef struct {
	gboolean done;
	GVariant *reply;
	GError *error;
} RbFuzzBusReply;

static void
rb_fuzz_bus_on_reply(GObject *source, GAsyncResult *result, gpointer user_data)
{
	RbFuzzBusReply *reply = user_data;

	reply->reply =
		g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), result, &reply->error);
	reply->done = TRUE;
}

GVariant *
rb_fuzz_bus_call(RbFuzzBus *self,
		 const gchar *object_path,
		 const gchar *interface_name,
		 const gchar *method_name,
		 GVariant *parameters,
		 GError **error)
{
	RbFuzzBusReply reply = {0};

	g_dbus_connection_call(self->client,
			       RB_DBUS_NAME,
			       object_path,
			       interface_name,
			       method_name,
			       parameters,
			       NULL,
			       G_DBUS_CALL_FLAGS_NONE,
			       RB_FUZZ_CALL_TIMEOUT_MS,
			       NULL,
			       rb_fuzz_bus_on_reply,
			       &reply);
	while (!reply.done)
		g_main_context_iteration(NULL, TRUE);
	if (reply.error != NULL && !g_dbus_error_is_remote_error(reply.error)) {
		rb_fuzz_fail("fuzz-dbus-calls: the daemon did not answer %s.%s on %s: %s",
			     interface_name,
			     method_name,
			     object_path,
			     reply.error->message);
	}
	if (reply.error != NULL)
		g_propagate_error(error, reply.error);
	return reply.reply;
}

static GVariant *
rb_fuzz_bus_get_property(RbFuzzBus *self,
			 const gchar *object_path,
			 const gchar *interface_name,
			 const gchar *property_name)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply =
		rb_fuzz_bus_call(self,
				 object_path,
				 "org.freedesktop.DBus.Properties",
				 "Get",
				 g_variant_new("(ss)", interface_name, property_name),
				 &error);
	GVariant *value = NULL;

	if (reply == NULL) {
		rb_fuzz_fail("fuzz-dbus-calls: cannot read %s.%s of %s: %s",
			     interface_name,
			     property_name,
			     object_path,
			     error->message);
	}
	g_variant_get(reply, "(v)", &value);
	return value;
}

/* ---- the bus and the daemon ---- */

/* the bus dies with us, even when a crash ends this process */
static void
rb_fuzz_bus_child_setup(gpointer user_data)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
}

static void
rb_fuzz_bus_spawn(RbFuzzBus *self)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *tmpdir = g_dir_make_tmp("rawburn-fuzz-XXXXXX", &error);
	g_autofree gchar *config = NULL;
	g_autofree gchar *config_path = NULL;
	g_autofree gchar *config_arg = NULL;
	g_autoptr(GIOChannel) channel = NULL;
	const gchar *argv[] = {DBUS_DAEMON_PATH, NULL, "--print-address=1", "--nofork", NULL};
	gsize terminator = 0;
	gint out_fd = -1;

	rb_fuzz_check(tmpdir != NULL);
	config = g_strdup_printf(rb_fuzz_bus_config, tmpdir);
	config_path = g_build_filename(tmpdir, "bus.conf", NULL);
	rb_fuzz_check(g_file_set_contents(config_path, config, -1, NULL));
	argv[1] = config_arg = g_strdup_printf("--config-file=%s", config_path);
	if (!g_spawn_async_with_pipes(NULL,
				      (gchar **)argv,
				      NULL,
				      G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDERR_TO_DEV_NULL,
				      rb_fuzz_bus_child_setup,
				      NULL,
				      &self->bus_pid,
				      NULL,
				      &out_fd,
				      NULL,
				      &error)) {
		rb_fuzz_fail("fuzz-dbus-calls: cannot start dbus-daemon: %s", error->message);
	}
	channel = g_io_channel_unix_new(out_fd);
	g_io_channel_set_close_on_unref(channel, TRUE);
	rb_fuzz_check(g_io_channel_read_line(channel, &self->address, NULL, &terminator, NULL) ==
		      G_IO_STATUS_NORMAL);
	self->address[terminator] = '\0';
	/* the bus has read its configuration and listens on an abstract socket */
	g_unlink(config_path);
	g_rmdir(tmpdir);
}

static GDBusConnection *
rb_fuzz_bus_connect(RbFuzzBus *self)
{
	g_autoptr(GError) error = NULL;
	GDBusConnection *connection = g_dbus_connection_new_for_address_sync(
		self->address,
		G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
			G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
		NULL,
		NULL,
		&error);

	if (connection == NULL) {
		rb_fuzz_fail("fuzz-dbus-calls: cannot connect to the bus: %s", error->message);
	}
	g_dbus_connection_set_exit_on_close(connection, FALSE);
	return connection;
}

static void
rb_fuzz_bus_on_name_acquired(GDBusConnection *connection, const gchar *name, gpointer user_data)
{
	RbFuzzBus *self = user_data;
	self->name_acquired = TRUE;
}

static void
rb_fuzz_bus_on_name_lost(GDBusConnection *connection, const gchar *name, gpointer user_data)
{
	rb_fuzz_fail("fuzz-dbus-calls: the daemon lost %s", name);
}

/* a new recorder has answered its first drive queries: its properties are
 * what every input starts from */
static void
rb_fuzz_bus_wait_refreshed(RbFuzzBus *self, const gchar *path)
{
	gint64 deadline = g_get_monotonic_time() + RB_FUZZ_SETTLE_TIMEOUT_US;

	for (;;) {
		g_autoptr(GVariant) supported = rb_fuzz_bus_get_property(
			self, path, "org.rawburn.RawBurn1.DiscFormat2RawCD", "RecorderSupported");
		if (g_variant_get_boolean(supported))
			return;
		if (g_get_monotonic_time() > deadline) {
			rb_fuzz_fail("fuzz-dbus-calls: recorder %s never read its drive", path);
		}
		rb_fuzz_bus_sleep(RB_FUZZ_POLL_MS);
	}
}

static void
rb_fuzz_bus_add_base_recorders(RbFuzzBus *self)
{
	for (guint i = 0; i < RB_FUZZ_BASE_RECORDERS; i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(RbVirtualSpec) spec =
			rb_virtual_spec_parse(rb_fuzz_base_specs[i], &error);

		rb_fuzz_check(spec != NULL);
		g_free(self->recorders[i]);
		self->recorders[i] = rb_daemon_add_virtual_recorder(self->daemon, spec, &error);
		rb_fuzz_check(self->recorders[i] != NULL);
	}
	for (guint i = 0; i < RB_FUZZ_BASE_RECORDERS; i++)
		rb_fuzz_bus_wait_refreshed(self, self->recorders[i]);
}

RbFuzzBus *
rb_fuzz_bus_start(void)
{
	RbFuzzBus *self = g_new0(RbFuzzBus, 1);

	g_log_set_writer_func(rb_fuzz_bus_log_writer, NULL, NULL);
	rb_fuzz_bus_plant_stdin(self);
	rb_fuzz_bus_spawn(self);
	self->daemon_connection = rb_fuzz_bus_connect(self);
	/* as main.c: the error domain is registered before any reply carries it */
	(void)RB_ERROR;
	self->daemon = rb_daemon_new(self->daemon_connection, FALSE, RB_FUZZ_FIFO_SIZE);
	self->owner_id = g_bus_own_name_on_connection(self->daemon_connection,
						      RB_DBUS_NAME,
						      G_BUS_NAME_OWNER_FLAGS_NONE,
						      rb_fuzz_bus_on_name_acquired,
						      rb_fuzz_bus_on_name_lost,
						      self,
						      NULL);
	while (!self->name_acquired)
		g_main_context_iteration(NULL, TRUE);
	self->client = rb_fuzz_bus_connect(self);
	rb_fuzz_bus_add_base_recorders(self);
	rb_fuzz_bus_start_symbolizer();
	self->baseline_fds = rb_fuzz_count_fds();
	return self;
}

void
rb_fuzz_bus_stop(RbFuzzBus *self)
{
	if (self == NULL)
		return;
	g_dbus_connection_close_sync(self->client, NULL, NULL);
	g_clear_object(&self->client);
	g_bus_unown_name(self->owner_id);
	g_clear_object(&self->daemon);
	/* the daemon's last idle callbacks and unexports */
	while (g_main_context_iteration(NULL, FALSE))
		;
	g_dbus_connection_flush_sync(self->daemon_connection, NULL, NULL);
	g_dbus_connection_close_sync(self->daemon_connection, NULL, NULL);
	g_clear_object(&self->daemon_connection);
	kill(self->bus_pid, SIGTERM);
	waitpid(self->bus_pid, NULL, 0);
	g_spawn_close_pid(self->bus_pid);
	for (guint i = 0; i < RB_FUZZ_BASE_RECORDERS; i++)
		g_free(self->recorders[i]);
	close(self->stdin_writer);
	g_free(self->address);
	g_free(self);
}

GDBusConnection *
rb_fuzz_bus_get_client(RbFuzzBus *self)
{
	return self->client;
}

static gboolean
rb_fuzz_bus_name_has_owner(RbFuzzBus *self, const gchar *name)
{
	g_autoptr(GVariant) reply = g_dbus_connection_call_sync(self->client,
								"org.freedesktop.DBus",
								"/org/freedesktop/DBus",
								"org.freedesktop.DBus",
								"NameHasOwner",
								g_variant_new("(s)", name),
								G_VARIANT_TYPE("(b)"),
								G_DBUS_CALL_FLAGS_NONE,
								RB_FUZZ_CALL_TIMEOUT_MS,
								NULL,
								NULL);
	gboolean has_owner = TRUE;

	rb_fuzz_check(reply != NULL);
	g_variant_get(reply, "(b)", &has_owner);
	return has_owner;
}

/* Once the bus has dropped the old name, it has passed on every message the
 * old connection sent: whatever the daemon gets later comes from the new
 * one, so that the reset after the input knows what is still in flight. */
void
rb_fuzz_bus_reconnect(RbFuzzBus *self)
{
	g_autofree gchar *old_name = g_strdup(g_dbus_connection_get_unique_name(self->client));

	g_dbus_connection_flush_sync(self->client, NULL, NULL);
	g_dbus_connection_close_sync(self->client, NULL, NULL);
	g_clear_object(&self->client);
	self->client = rb_fuzz_bus_connect(self);
	/* the bus answers this itself: a synchronous call cannot block on the daemon */
	while (rb_fuzz_bus_name_has_owner(self, old_name))
		rb_fuzz_bus_sleep(RB_FUZZ_POLL_MS);
}

const gchar *
rb_fuzz_bus_get_recorder(RbFuzzBus *self, guint index)
{
	return self->recorders[index % RB_FUZZ_BASE_RECORDERS];
}

gchar **
rb_fuzz_bus_dup_recorders(RbFuzzBus *self)
{
	return rb_daemon_dup_recorder_paths(self->daemon);
}

/* ---- between inputs ---- */

/* a client that left loses its lock and its write, soon but not at once */
static void
rb_fuzz_bus_wait_released(RbFuzzBus *self, const gchar *path)
{
	gint64 deadline = g_get_monotonic_time() + RB_FUZZ_SETTLE_TIMEOUT_US;

	for (;;) {
		g_autoptr(GVariant) owner = rb_fuzz_bus_get_property(
			self, path, "org.rawburn.RawBurn1.Recorder", "ExclusiveAccessOwner");
		g_autoptr(GVariant) writing = rb_fuzz_bus_get_property(
			self, path, "org.rawburn.RawBurn1.DiscFormat2RawCD", "WriteInProgress");

		if (g_str_equal(g_variant_get_string(owner, NULL), "") &&
		    !g_variant_get_boolean(writing))
			return;
		if (g_get_monotonic_time() > deadline)
			rb_fuzz_fail(
				"fuzz-dbus-calls: %s is still held by \"%s\" (writing: %d) after "
				"its client left",
				path,
				g_variant_get_string(owner, NULL),
				g_variant_get_boolean(writing));
		rb_fuzz_bus_sleep(RB_FUZZ_POLL_MS);
	}
}

void
rb_fuzz_bus_reset(RbFuzzBus *self, gboolean client_left)
{
	g_auto(GStrv) paths = rb_daemon_dup_recorder_paths(self->daemon);

	for (guint i = 0; paths[i] != NULL; i++) {
		g_autoptr(GVariant) owner = rb_fuzz_bus_get_property(
			self, paths[i], "org.rawburn.RawBurn1.Recorder", "ExclusiveAccessOwner");
		g_autoptr(GVariant) reply = NULL;

		/* the client's own lock; a drive that just finished a write takes a
		 * while to answer, so only when there is one */
		if (!g_str_equal(g_variant_get_string(owner, NULL), ""))
			reply = rb_fuzz_bus_call(self,
						 paths[i],
						 "org.rawburn.RawBurn1.DiscFormat2RawCD",
						 "ReleaseMedia",
						 NULL,
						 NULL);
	}
	for (guint i = 0; client_left && paths[i] != NULL; i++)
		rb_fuzz_bus_wait_released(self, paths[i]);
	for (guint i = 0; paths[i] != NULL; i++) {
		g_autoptr(GError) error = NULL;

		if (!rb_daemon_remove_virtual_recorder(self->daemon, paths[i], &error)) {
			rb_fuzz_fail("fuzz-dbus-calls: cannot remove %s after the input: %s",
				     paths[i],
				     error->message);
		}
	}
	rb_fuzz_bus_add_base_recorders(self);
}

void
rb_fuzz_bus_check(RbFuzzBus *self)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = rb_fuzz_bus_call(self,
						     RB_DBUS_MANAGER_PATH,
						     "org.rawburn.RawBurn1.Manager",
						     "GetRecorders",
						     NULL,
						     &error);
	g_autofree const gchar **paths = NULL;
	gint64 deadline = g_get_monotonic_time() + RB_FUZZ_SETTLE_TIMEOUT_US;
	gsize n = 0;
	guint fds;

	if (reply == NULL) {
		rb_fuzz_fail("fuzz-dbus-calls: GetRecorders failed: %s", error->message);
	}
	rb_fuzz_bus_check_stdin(self);
	g_variant_get(reply, "(^a&o)", &paths);
	n = g_strv_length((gchar **)paths);
	rb_fuzz_check(n == RB_FUZZ_BASE_RECORDERS);
	for (guint i = 0; i < RB_FUZZ_BASE_RECORDERS; i++)
		rb_fuzz_check(g_str_equal(paths[i], self->recorders[i]));

	/* what the daemon opened for an input it closes, once its objects and
	 * threads are gone; fewer than before means it closed one of ours */
	while ((fds = rb_fuzz_count_fds()) > self->baseline_fds &&
	       g_get_monotonic_time() < deadline)
		rb_fuzz_bus_sleep(RB_FUZZ_POLL_MS);
	if (fds != self->baseline_fds) {
		fprintf(stderr,
			"fuzz-dbus-calls: %u file descriptors open after the input, %u before:\n",
			fds,
			self->baseline_fds);
		rb_fuzz_print_fds();
		abort();
	}
}
