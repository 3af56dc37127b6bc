/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Test fixture: a private dbus-daemon and the built rawburnd on it. The
 * machine's own buses are never touched. Two kinds of bus: an allow-all
 * session-type bus for the tests of what the service does, and a system-type
 * bus with a real system bus's policy for the tests of who may do it, with a
 * polkitd mock and a helper that calls the service as another uid.
 */
#pragma once

#include <check.h>
#include <gio/gio.h>

G_BEGIN_DECLS

/* generous: under AddressSanitizer everything is several times slower */
#define RB_TEST_TIMEOUT_SECONDS 60

typedef struct {
	gchar *tmpdir;
	gchar *bus_address;
	GPid bus_pid;
	GPid daemon_pid;
	gchar *daemon_log;
	GDBusConnection *connection;
	/* RLIMIT_NOFILE (soft and hard) for the next daemon started; 0 keeps ours */
	guint daemon_fd_limit;
	/* the next daemon started without --debug, as a service runs */
	gboolean daemon_no_debug;
} RbTestService;

/* a session-type bus where everyone may own and call everything */
RbTestService *rb_test_service_new_bus(void);
/* a bus with rawburnd on it and one virtual recorder of @spec */
RbTestService *rb_test_service_new_with_recorder(const gchar *spec);
/* a system-type bus with Debian 12's system.conf policy (method calls and
 * names denied unless allowed) plus dbus/org.rawburn.RawBurn1.conf from the
 * source tree; everyone may call polkit's Authority interface, root alone
 * owns and steers the mocks (org.freedesktop.PolicyKit1,
 * org.freedesktop.login1). tmpdir and the socket are reachable by every
 * uid. Start rawburnd on it with rb_test_service_start_daemon_on(self,
 * FALSE, args), as its unit does. */
RbTestService *rb_test_service_new_system_bus(void);
/* rawburnd --session on the private bus (polkit not asked: trusts everyone) */
void rb_test_service_start_daemon(RbTestService *self, const gchar *const *extra_args);
/* rawburnd --debug [--session] @extra_args, in its own process group, output
 * in tmpdir/rawburnd.log (printed when it fails); returns once it owns its name */
void rb_test_service_start_daemon_on(RbTestService *self,
				     gboolean session,
				     const gchar *const *extra_args);
/* SIGTERM; fails the test unless rawburnd exits 0 and leaves no process */
gint rb_test_service_stop_daemon(RbTestService *self);
/* TRUE once rawburnd exited by itself within @timeout_ms */
gboolean rb_test_service_wait_daemon_exit(RbTestService *self, guint timeout_ms, gint *wait_status);
/* stops rawburnd (as above) and the bus, removes tmpdir; mocks are the
 * test's to stop */
void rb_test_service_free(RbTestService *self);

/* @contents (@length bytes, -1: a string) in tmpdir/@name with @mode (umask
 * not applied): files other uids must read or write; returns the path.
 * rb_test_service_free() removes them. */
gchar *rb_test_service_write_file(
	RbTestService *self, const gchar *name, const gchar *contents, gssize length, gint mode);

/* this environment, both bus addresses set to the private bus, LC_ALL=C.UTF-8 */
gchar **rb_test_service_get_environ(RbTestService *self);
/* runs @argv to its end (searching PATH); fails the test if it died of a
 * signal; returns its exit status */
gint rb_test_run(const gchar *const *argv,
		 gchar **envp,
		 gchar **standard_output,
		 gchar **standard_error);

/* rawburnctl --session @args against @self's bus; returns its exit status */
gint rb_test_run_rawburnctl(RbTestService *self,
			    const gchar *const *args,
			    gchar **standard_output,
			    gchar **standard_error);

/* absolute paths in the build and source trees */
const gchar *rb_test_get_rawburnd(void);
const gchar *rb_test_get_rawburnctl(void);
const gchar *rb_test_get_dbus_xml_dir(void);
const gchar *rb_test_get_builddir(void);

/* EXIT_SUCCESS when every test of @suite passed */
gint rb_test_run_suite(Suite *suite);

typedef struct _RbDaoStream RbDaoStream;
/* the whole stream in an unlinked temporary file, at offset 0 */
gint rb_test_stream_to_file(RbDaoStream *stream);
/* a two-track disc of @first then @second sectors from the lead-in start
 * (-22650) on, as IMAPI's sector type 2, in a file as above; byte i of a
 * sector's main data is lba * @factor + i, so that a sector written at the
 * wrong address differs */
gint rb_test_two_track_stream_fd(guint first, guint second, guint factor);

/* python-dbusmock templates on the private bus (a test dependency) */
/* the first python3 that imports dbusmock; NULL when none does */
const gchar *rb_test_find_python(void);
gboolean rb_test_name_has_owner(RbTestService *service, const gchar *name);
/* dbusmock's template @template_name (a stock name or a .py path) on the
 * private bus; returns once @bus_name has an owner */
GPid rb_test_start_mock(RbTestService *service, const gchar *template_name, const gchar *bus_name);
/* SIGTERM, and waits until @bus_name is gone */
void rb_test_stop_mock(RbTestService *service, GPid pid, const gchar *bus_name);

/* --- Calls as another user (needs root and setpriv, from util-linux) --- */

/* nobody / nogroup: the unprivileged caller */
#define RB_TEST_UID_NOBODY 65534

/* for the main() of a test on rb_test_service_new_system_bus() that calls
 * as nobody: TRUE when it runs as root and python3 with dbusmock (the
 * mocks) and setpriv are there; else prints, naming @test_name, what is
 * missing and what to install, and returns FALSE: exit 99 then (a missing
 * test dependency fails the run, it never passes silently) */
gboolean rb_test_require_system_bus(const gchar *test_name);

/* tests/rb-test-call, the program behind these helpers */
const gchar *rb_test_get_call_program(void);

/* how rb-test-call runs; zero-initialized fields are the defaults */
typedef struct {
	/* 0 runs as root directly; else through setpriv with uid = gid = @uid and no
	 * supplementary groups */
	guint uid;
	/* G_DBUS_CALL_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION on the last call */
	gboolean interactive;
	/* fds sent with the last call, in order: "devnull", "file:PATH" (read),
	 * "wfile:PATH" (read-write, created), "pipe-eof"; PATH must be reachable by
	 * @uid: use rb_test_service_write_file() */
	const gchar *const *fds;
	/* calls made first on the same connection, each "[PATH] INTERFACE.MEMBER
	 * [ARGS]" (PATH defaults to the last call's); each prints its own line */
	const gchar *const *before;
	/* NULL: org.rawburn.RawBurn1 */
	const gchar *dest;
} RbTestCallOptions;

typedef struct _RbTestCall RbTestCall;

/* starts rb-test-call (@options NULL: as root, to org.rawburn.RawBurn1): one
 * connection, the @options.before calls, then @interface_member on @path
 * with @args (GVariant text of the parameters tuple, e.g.
 * "(@h 0, @a{sv} {})"; NULL: none); each call times out after half of
 * RB_TEST_TIMEOUT_SECONDS */
RbTestCall *rb_test_call_start(RbTestService *service,
			       const RbTestCallOptions *options,
			       const gchar *path,
			       const gchar *interface_member,
			       const gchar *args);
/* whether the program still runs (its calls are not all answered) */
gboolean rb_test_call_is_running(RbTestCall *call);
/* waits for the program and frees @call; returns one line per call, joined
 * by "\n": "OK <reply as g_variant_print with types>" or
 * "ERROR <D-Bus error name> <message>"; fails the test if the program failed */
gchar *rb_test_call_finish(RbTestCall *call);
/* both at once */
gchar *rb_test_call_full(RbTestService *service,
			 const RbTestCallOptions *options,
			 const gchar *path,
			 const gchar *interface_member,
			 const gchar *args);
/* the common case: one call to org.rawburn.RawBurn1 */
gchar *rb_test_call_as(RbTestService *service,
		       guint uid,
		       gboolean interactive,
		       const gchar *const *fds,
		       const gchar *path,
		       const gchar *interface_member,
		       const gchar *args);

/* --- The polkitd mock, tests/rb-polkitd-mock.py --- */

#define RB_TEST_POLKIT_NAME "org.freedesktop.PolicyKit1"
/* CheckAuthorization's flag: polkit may ask the user */
#define RB_TEST_POLKIT_ALLOW_USER_INTERACTION 1

/* starts the mock with the built dbus/org.rawburn.policy as its registered
 * actions and waits for its name. Like polkitd it authorizes uid 0 for any
 * registered action and fails unregistered ones; everyone else gets nothing
 * until the test allows it. Stop it with rb_test_stop_polkit(). */
GPid rb_test_start_polkit(RbTestService *service);
void rb_test_stop_polkit(RbTestService *service, GPid pid);
/* each replaces the previous list; NULL = empty */
void rb_test_polkit_set_allowed(RbTestService *service, const gchar *const *actions);
/* authorized only when the check allows user interaction (the mock's agent
 * then authenticates, see rb_test_polkit_set_agent); else a challenge */
void rb_test_polkit_set_challenge(RbTestService *service, const gchar *const *actions);
/* how the agent answers a challenge: "success" (default), "dismissed",
 * "failed", "none" (no agent: the challenge stays a challenge) */
void rb_test_polkit_set_agent(RbTestService *service, const gchar *mode);
/* checks for these actions wait until rb_test_polkit_release_hanging() */
void rb_test_polkit_hang_actions(RbTestService *service, const gchar *const *actions);
void rb_test_polkit_release_hanging(RbTestService *service);
gboolean rb_test_polkit_have_hanging(RbTestService *service);
/* waits until a check is waiting (fails the test after a timeout) */
void rb_test_polkit_wait_hanging(RbTestService *service);

/* one CheckAuthorization the mock received */
typedef struct {
	gchar *action_id;
	gchar *bus_name; /* the subject's unique name, "" for other subject kinds */
	guint32 uid;     /* the subject's uid, G_MAXUINT32 when unknown */
	guint32 flags;   /* RB_TEST_POLKIT_ALLOW_USER_INTERACTION, … */
} RbTestPolkitCheck;

/* every check since the start or the last clear, in order, as
 * "ACTION uid=UID flags=FLAGS" joined by "; " ("" for none): easy to assert */
gchar *rb_test_polkit_get_checks(RbTestService *service);
/* the same as RbTestPolkitCheck elements, with the subjects' bus names */
GPtrArray *rb_test_polkit_get_check_list(RbTestService *service);
void rb_test_polkit_clear_checks(RbTestService *service);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RbTestService, rb_test_service_free)

G_END_DECLS
