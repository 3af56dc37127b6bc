/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * rb-test-call: one D-Bus method call on the bus in DBUS_SYSTEM_BUS_ADDRESS,
 * for the tests that call rawburnd as another user (run through setpriv).
 * A separate process because a bus identifies a caller by the uid of its
 * socket: a test cannot become "nobody" for one connection of its own.
 *
 *   rb-test-call [--interactive] [--fd KIND]... [--timeout MS]
 *                [--call '[PATH] INTERFACE.MEMBER [ARGS]']...
 *                DEST OBJECT_PATH INTERFACE.MEMBER [ARGS]
 *
 * ARGS is the parameters tuple in GVariant text format. Each call prints one
 * line on stdout: "OK <reply, g_variant_print with types>" or
 * "ERROR <D-Bus error name> <message>" (a timeout: NoReply). The --call calls
 * come first, in order, on the same connection (so per-connection state such
 * as PrepareMedia's lock carries over to the last call); only the last call
 * gets the fds; --interactive sets the ALLOW_INTERACTIVE_AUTHORIZATION flag
 * on every call. Exit status 0
 * whatever the calls answered; 2 for usage errors, 1 when the bus or a file
 * cannot be opened.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <gio/gunixfdlist.h>
#include <glib-unix.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RB_TEST_CALL_EXIT_FAILED 1
#define RB_TEST_CALL_EXIT_USAGE 2

typedef struct {
	gchar *path;
	gchar *interface;
	gchar *member;
	GVariant *parameters; /* NULL: the call has no arguments */
} RbTestCallSpec;

static void
rb_test_call_spec_free(RbTestCallSpec *spec)
{
	g_free(spec->path);
	g_free(spec->interface);
	g_free(spec->member);
	g_clear_pointer(&spec->parameters, g_variant_unref);
	g_free(spec);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RbTestCallSpec, rb_test_call_spec_free)

/* @text NULL or empty: no parameters; otherwise it must be a tuple */
static RbTestCallSpec *
rb_test_call_spec_new(const gchar *path,
		      const gchar *interface_member,
		      const gchar *text,
		      GError **error)
{
	g_autoptr(RbTestCallSpec) spec = g_new0(RbTestCallSpec, 1);
	const gchar *dot = strrchr(interface_member, '.');

	if (!g_variant_is_object_path(path)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "bad path %s", path);
		return NULL;
	}
	if (dot == NULL || dot == interface_member) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_ARGUMENT,
			    "%s is not INTERFACE.MEMBER",
			    interface_member);
		return NULL;
	}
	spec->path = g_strdup(path);
	spec->interface = g_strndup(interface_member, dot - interface_member);
	spec->member = g_strdup(dot + 1);
	if (!g_dbus_is_interface_name(spec->interface) || !g_dbus_is_member_name(spec->member)) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_ARGUMENT,
			    "%s is not INTERFACE.MEMBER",
			    interface_member);
		return NULL;
	}
	if (text != NULL && *text != '\0') {
		spec->parameters = g_variant_parse(NULL, text, NULL, NULL, error);
		if (spec->parameters == NULL) {
			g_prefix_error(error, "%s: ", text);
			return NULL;
		}
		if (!g_variant_is_of_type(spec->parameters, G_VARIANT_TYPE_TUPLE)) {
			g_set_error(error,
				    G_IO_ERROR,
				    G_IO_ERROR_INVALID_ARGUMENT,
				    "%s is not a tuple (write \"(1,)\" for one argument)",
				    text);
			return NULL;
		}
	}
	return g_steal_pointer(&spec);
}

/* a --call value: "[PATH] INTERFACE.MEMBER [ARGS]", PATH defaulting to @default_path */
static RbTestCallSpec *
rb_test_call_spec_parse(const gchar *value, const gchar *default_path, GError **error)
{
	g_autofree gchar *path = NULL;
	g_autofree gchar *interface_member = NULL;
	const gchar *p = value;
	const gchar *end;

	while (g_ascii_isspace(*p))
		p++;
	if (*p == '/') {
		end = p + strcspn(p, " \t\n");
		path = g_strndup(p, end - p);
		p = end;
		while (g_ascii_isspace(*p))
			p++;
	}
	end = p + strcspn(p, " \t\n");
	interface_member = g_strndup(p, end - p);
	return rb_test_call_spec_new(
		path != NULL ? path : default_path, interface_member, end, error);
}

/* one fd of the kinds the tests pass; -1 with @error set on failure */
static gint
rb_test_call_open_fd(const gchar *kind, GError **error)
{
	gint fd = -1;

	if (g_strcmp0(kind, "devnull") == 0) {
		fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	} else if (g_str_has_prefix(kind, "file:")) {
		fd = open(kind + strlen("file:"), O_RDONLY | O_CLOEXEC);
	} else if (g_str_has_prefix(kind, "wfile:")) {
		fd = open(kind + strlen("wfile:"), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	} else if (g_strcmp0(kind, "pipe-eof") == 0) {
		gint fds[2];
		if (!g_unix_open_pipe(fds, FD_CLOEXEC, error))
			return -1;
		/* the reader sees end-of-file at once */
		close(fds[1]);
		fd = fds[0];
	} else {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_ARGUMENT,
			    "unknown fd kind %s (devnull, file:PATH, wfile:PATH, pipe-eof)",
			    kind);
		return -1;
	}
	if (fd < 0) {
		gint saved_errno = errno;
		g_set_error(error,
			    G_IO_ERROR,
			    g_io_error_from_errno(saved_errno),
			    "cannot open %s: %s",
			    kind,
			    g_strerror(saved_errno));
	}
	return fd;
}

/* the outcome line; a timeout is NoReply, another local error gets GDBus'
 * encoded name */
static void
rb_test_call_print(GVariant *reply, GError *error)
{
	g_autofree gchar *text = NULL;
	g_autofree gchar *name = NULL;

	if (reply != NULL) {
		text = g_variant_print(reply, TRUE);
		g_print("OK %s\n", text);
		return;
	}
	name = g_dbus_error_get_remote_error(error);
	/* what libdbus clients (busctl, dbus-send) report for an unanswered call */
	if (name == NULL && g_error_matches(error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
		name = g_strdup("org.freedesktop.DBus.Error.NoReply");
	if (name == NULL)
		name = g_dbus_error_encode_gerror(error);
	g_dbus_error_strip_remote_error(error);
	/* one line per call, whatever the service put in its message */
	text = g_strdelimit(g_strdup(error->message), "\r\n", ' ');
	g_print("ERROR %s %s\n", name, text);
}

static void
rb_test_call_one(GDBusConnection *connection,
		 const gchar *dest,
		 RbTestCallSpec *spec,
		 GDBusCallFlags flags,
		 GUnixFDList *fd_list,
		 gint timeout_ms)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GUnixFDList) out_fd_list = NULL;

	reply = g_dbus_connection_call_with_unix_fd_list_sync(
		connection,
		dest,
		spec->path,
		spec->interface,
		spec->member,
		/* not floating (g_variant_parse): the call takes its own reference */
		spec->parameters,
		NULL,
		flags,
		timeout_ms,
		fd_list,
		&out_fd_list,
		NULL,
		&error);
	rb_test_call_print(reply, error);
}

int
main(int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GOptionContext) context = NULL;
	g_autoptr(GDBusConnection) connection = NULL;
	g_autoptr(GUnixFDList) fd_list = g_unix_fd_list_new();
	g_autoptr(GPtrArray) calls =
		g_ptr_array_new_with_free_func((GDestroyNotify)rb_test_call_spec_free);
	g_auto(GStrv) fd_kinds = NULL;
	g_auto(GStrv) before = NULL;
	RbTestCallSpec *spec;
	gboolean interactive = FALSE;
	gint timeout_ms = -1;
	const gchar *address = g_getenv("DBUS_SYSTEM_BUS_ADDRESS");
	const GOptionEntry entries[] = {
		{"interactive",
		 0,
		 0,
		 G_OPTION_ARG_NONE,
		 &interactive,
		 "Set ALLOW_INTERACTIVE_AUTHORIZATION on the last call",
		 NULL},
		{"fd",
		 0,
		 0,
		 G_OPTION_ARG_STRING_ARRAY,
		 &fd_kinds,
		 "Pass one fd with the last call: devnull, file:PATH, wfile:PATH, pipe-eof",
		 "KIND"},
		{"timeout", 0, 0, G_OPTION_ARG_INT, &timeout_ms, "Call timeout", "MS"},
		{"call",
		 0,
		 0,
		 G_OPTION_ARG_STRING_ARRAY,
		 &before,
		 "Make this call first, on the same connection",
		 "'[PATH] INTERFACE.MEMBER [ARGS]'"},
		{NULL},
	};

	context = g_option_context_new("DEST OBJECT_PATH INTERFACE.MEMBER [ARGS]");
	g_option_context_set_summary(context,
				     "One D-Bus method call on $DBUS_SYSTEM_BUS_ADDRESS; prints "
				     "\"OK <reply>\" or \"ERROR <name> <message>\".");
	g_option_context_add_main_entries(context, entries, NULL);
	if (!g_option_context_parse(context, &argc, &argv, &error)) {
		g_printerr("rb-test-call: %s\n", error->message);
		return RB_TEST_CALL_EXIT_USAGE;
	}
	if (argc < 4 || argc > 5 || !g_dbus_is_name(argv[1])) {
		g_printerr("rb-test-call: usage: rb-test-call [OPTION…] DEST OBJECT_PATH "
			   "INTERFACE.MEMBER [ARGS]\n");
		return RB_TEST_CALL_EXIT_USAGE;
	}
	/* the tests' private bus only: never the machine's own system bus */
	if (address == NULL || *address == '\0') {
		g_printerr("rb-test-call: DBUS_SYSTEM_BUS_ADDRESS is not set\n");
		return RB_TEST_CALL_EXIT_USAGE;
	}
	for (guint i = 0; before != NULL && before[i] != NULL; i++) {
		spec = rb_test_call_spec_parse(before[i], argv[2], &error);
		if (spec == NULL) {
			g_printerr("rb-test-call: --call %s: %s\n", before[i], error->message);
			return RB_TEST_CALL_EXIT_USAGE;
		}
		g_ptr_array_add(calls, spec);
	}
	spec = rb_test_call_spec_new(argv[2], argv[3], argc == 5 ? argv[4] : NULL, &error);
	if (spec == NULL) {
		g_printerr("rb-test-call: %s\n", error->message);
		return RB_TEST_CALL_EXIT_USAGE;
	}
	g_ptr_array_add(calls, spec);
	for (guint i = 0; fd_kinds != NULL && fd_kinds[i] != NULL; i++) {
		gint fd = rb_test_call_open_fd(fd_kinds[i], &error);
		if (fd < 0) {
			g_printerr("rb-test-call: %s\n", error->message);
			return error->code == G_IO_ERROR_INVALID_ARGUMENT
				       ? RB_TEST_CALL_EXIT_USAGE
				       : RB_TEST_CALL_EXIT_FAILED;
		}
		/* the list holds its own duplicate */
		if (g_unix_fd_list_append(fd_list, fd, &error) < 0) {
			close(fd);
			g_printerr("rb-test-call: %s\n", error->message);
			return RB_TEST_CALL_EXIT_FAILED;
		}
		close(fd);
	}

	connection = g_dbus_connection_new_for_address_sync(
		address,
		G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
			G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
		NULL,
		NULL,
		&error);
	if (connection == NULL) {
		g_printerr("rb-test-call: cannot connect to %s: %s\n", address, error->message);
		return RB_TEST_CALL_EXIT_FAILED;
	}
	for (guint i = 0; i < calls->len; i++) {
		gboolean last = i + 1 == calls->len;
		GDBusCallFlags flags = G_DBUS_CALL_FLAGS_NONE;

		/* a caller that waits for a dialog waits for it on every call */
		if (interactive)
			flags |= G_DBUS_CALL_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION;
		RbTestCallSpec *call = g_ptr_array_index(calls, i);
		/* the fds go with the last call, and with earlier ones that take a handle */
		gboolean takes_fds =
			last || (call->parameters != NULL &&
				 strchr(g_variant_get_type_string(call->parameters), 'h') != NULL);

		rb_test_call_one(connection,
				 argv[1],
				 call,
				 flags,
				 takes_fds && g_unix_fd_list_get_length(fd_list) > 0 ? fd_list
										     : NULL,
				 timeout_ms);
	}
	/* whatever the service does when this caller leaves happens after our output */
	g_dbus_connection_close_sync(connection, NULL, NULL);
	return EXIT_SUCCESS;
}
