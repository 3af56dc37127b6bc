/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * rawburnd as on the system bus: a private bus with a real system bus's
 * policy and the project's dbus/org.rawburn.RawBurn1.conf, polkit and logind
 * mocked, callers as root and as nobody. Proves the infrastructure the
 * authorization tests stand on: the bus policy lets anyone reach the
 * service's interfaces and nothing else, polkit is asked with the caller as
 * subject and its answer decides, a check can be held and released, and a
 * prepared recorder holds a logind inhibitor.
 *
 * Needs root (to run the service and to become nobody); exits 99 otherwise.
 */
#include "config.h"

#include <string.h>

#include "rb-error.h"
#include "rb-test-client.h"

#define RB_RECORDER RB_DBUS_RECORDERS_PATH "/virtual0"
#define RB_PREPARE RB_TEST_FORMAT ".PrepareMedia"
#define RB_RELEASE RB_TEST_FORMAT ".ReleaseMedia"
#define RB_ACCESS_DENIED "ERROR org.freedesktop.DBus.Error.AccessDenied "
#define RB_NOT_AUTHORIZED "ERROR " RB_DBUS_ERROR_PREFIX "NotAuthorized "
#define LOGIND_NAME "org.freedesktop.login1"

static const gchar *const rb_args[] = {"--virtual-recorder", "media=cd-r-80,realtime=false", NULL};

/* the private system bus with rawburnd on it, as its unit starts it */
static RbTestService *
rb_system_service_new(void)
{
	RbTestService *service = rb_test_service_new_system_bus();
	g_autoptr(RbTestClient) client = NULL;

	rb_test_service_start_daemon_on(service, FALSE, rb_args);
	client = rb_test_client_new(service);
	rb_test_client_wait_for_drive(client, RB_RECORDER);
	return service;
}

/* --- the bus policy --------------------------------------------------------------- */

/* the policy lets every user reach the service's interfaces */
START_TEST(test_system_bus_policy_allows_service_interfaces)
{
	g_autoptr(RbTestService) service = rb_system_service_new();
	const guint uids[] = {RB_TEST_UID_NOBODY, 0};

	for (guint i = 0; i < G_N_ELEMENTS(uids); i++) {
		g_autofree gchar *recorders =
			rb_test_call_as(service,
					uids[i],
					FALSE,
					NULL,
					RB_DBUS_MANAGER_PATH,
					"org.rawburn.RawBurn1.Manager.GetRecorders",
					NULL);
		g_autofree gchar *props = rb_test_call_as(service,
							  uids[i],
							  FALSE,
							  NULL,
							  RB_RECORDER,
							  "org.freedesktop.DBus.Properties.GetAll",
							  "('" RB_TEST_RECORDER "',)");

		ck_assert_str_eq(recorders, "OK ([objectpath '" RB_RECORDER "'],)");
		ck_assert_msg(g_str_has_prefix(props, "OK ({") &&
				      strstr(props, "'ExclusiveAccessOwner': <''>") != NULL,
			      "uid %u GetAll: %s",
			      uids[i],
			      props);
	}
	rb_test_service_stop_daemon(service);
}
END_TEST

/* anything else on the service is refused by the bus, before the service
 * sees it: the service itself would answer UnknownMethod */
START_TEST(test_system_bus_policy_refuses_other_interfaces)
{
	g_autoptr(RbTestService) service = rb_system_service_new();
	g_autofree gchar *nope = rb_test_call_as(service,
						 RB_TEST_UID_NOBODY,
						 FALSE,
						 NULL,
						 RB_DBUS_MANAGER_PATH,
						 "org.rawburn.RawBurn1.Nope.Foo",
						 NULL);
	g_autofree gchar *stats = rb_test_call_as(service,
						  RB_TEST_UID_NOBODY,
						  FALSE,
						  NULL,
						  RB_DBUS_MANAGER_PATH,
						  "org.freedesktop.DBus.Debug.Stats.GetStats",
						  NULL);
	g_autofree gchar *unknown_member = rb_test_call_as(service,
							   RB_TEST_UID_NOBODY,
							   FALSE,
							   NULL,
							   RB_DBUS_MANAGER_PATH,
							   "org.rawburn.RawBurn1.Manager.Nope",
							   NULL);

	ck_assert_msg(g_str_has_prefix(nope, RB_ACCESS_DENIED), "%s", nope);
	ck_assert_msg(g_str_has_prefix(stats, RB_ACCESS_DENIED), "%s", stats);
	/* the contrast: a listed interface reaches the service, which knows no Nope */
	ck_assert_msg(
		g_str_has_prefix(unknown_member, "ERROR org.freedesktop.DBus.Error.UnknownMethod "),
		"%s",
		unknown_member);
	rb_test_service_stop_daemon(service);
}
END_TEST

/* only root may own the service's name (and no other user any name) */
START_TEST(test_system_bus_policy_owner_is_root)
{
	g_autoptr(RbTestService) service = rb_test_service_new_system_bus();
	RbTestCallOptions as_nobody = {.uid = RB_TEST_UID_NOBODY, .dest = "org.freedesktop.DBus"};
	RbTestCallOptions as_root = {.dest = "org.freedesktop.DBus"};
	g_autofree gchar *nobody = rb_test_call_full(service,
						     &as_nobody,
						     "/org/freedesktop/DBus",
						     "org.freedesktop.DBus.RequestName",
						     "('" RB_DBUS_NAME "', @u 0)");
	g_autofree gchar *other = rb_test_call_full(service,
						    &as_nobody,
						    "/org/freedesktop/DBus",
						    "org.freedesktop.DBus.RequestName",
						    "('org.rawburn.Test', @u 0)");
	/* the name is free (no rawburnd here): root gets it, 1 = primary owner */
	g_autofree gchar *root = rb_test_call_full(service,
						   &as_root,
						   "/org/freedesktop/DBus",
						   "org.freedesktop.DBus.RequestName",
						   "('" RB_DBUS_NAME "', @u 0)");

	ck_assert_msg(g_str_has_prefix(nobody, RB_ACCESS_DENIED), "%s", nobody);
	ck_assert_msg(g_str_has_prefix(other, RB_ACCESS_DENIED), "%s", other);
	ck_assert_str_eq(root, "OK (uint32 1,)");
}
END_TEST

#ifdef HAVE_POLKIT
/* --- polkit ----------------------------------------------------------------------- */

/* the polkitd mock itself answers as polkitd would */
START_TEST(test_system_bus_polkit_mock_like_polkitd)
{
	g_autoptr(RbTestService) service = rb_test_service_new_system_bus();
	GPid polkit = rb_test_start_polkit(service);
	g_autofree gchar *subject =
		g_strdup_printf("(('system-bus-name', {'name': <'%s'>}), ",
				g_dbus_connection_get_unique_name(service->connection));
	g_autofree gchar *registered_args =
		g_strconcat(subject, "'org.rawburn.burn', @a{ss} {}, @u 0, '')", NULL);
	g_autofree gchar *unregistered_args =
		g_strconcat(subject, "'org.rawburn.nope', @a{ss} {}, @u 0, '')", NULL);
	RbTestCallOptions as_root = {.dest = RB_TEST_POLKIT_NAME};
	RbTestCallOptions as_nobody = {.uid = RB_TEST_UID_NOBODY, .dest = RB_TEST_POLKIT_NAME};
	g_autofree gchar *root_registered = NULL;
	g_autofree gchar *root_unregistered = NULL;
	g_autofree gchar *nobody_about_root = NULL;
	g_autofree gchar *nobody_mock = NULL;
	g_autofree gchar *checks = NULL;

	/* uid 0 always, and only for registered actions */
	root_registered =
		rb_test_call_full(service,
				  &as_root,
				  "/org/freedesktop/PolicyKit1/Authority",
				  "org.freedesktop.PolicyKit1.Authority.CheckAuthorization",
				  registered_args);
	ck_assert_str_eq(root_registered, "OK ((true, false, @a{ss} {}),)");
	root_unregistered =
		rb_test_call_full(service,
				  &as_root,
				  "/org/freedesktop/PolicyKit1/Authority",
				  "org.freedesktop.PolicyKit1.Authority.CheckAuthorization",
				  unregistered_args);
	ck_assert_str_eq(root_unregistered,
			 "ERROR org.freedesktop.PolicyKit1.Error.Failed Action org.rawburn.nope is "
			 "not registered");
	/* another user may ask polkit, but not about someone else */
	nobody_about_root =
		rb_test_call_full(service,
				  &as_nobody,
				  "/org/freedesktop/PolicyKit1/Authority",
				  "org.freedesktop.PolicyKit1.Authority.CheckAuthorization",
				  registered_args);
	ck_assert_msg(g_str_has_prefix(nobody_about_root,
				       "ERROR org.freedesktop.PolicyKit1.Error.NotAuthorized "),
		      "%s",
		      nobody_about_root);
	/* nor steer the mock */
	nobody_mock = rb_test_call_full(service,
					&as_nobody,
					"/org/freedesktop/PolicyKit1/Authority",
					"org.freedesktop.DBus.Mock.AllowUnknown",
					"(true,)");
	ck_assert_msg(g_str_has_prefix(nobody_mock, RB_ACCESS_DENIED), "%s", nobody_mock);

	checks = rb_test_polkit_get_checks(service);
	ck_assert_str_eq(checks,
			 "org.rawburn.burn uid=0 flags=0; org.rawburn.nope uid=0 flags=0; "
			 "org.rawburn.burn uid=0 flags=0");
	rb_test_polkit_clear_checks(service);
	g_clear_pointer(&checks, g_free);
	checks = rb_test_polkit_get_checks(service);
	ck_assert_str_eq(checks, "");
	rb_test_stop_polkit(service, polkit);
}
END_TEST

/* one row of the PrepareMedia matrix: a caller, what polkit allows, the outcome */
typedef struct {
	guint uid;
	gboolean interactive;
	const gchar *allowed;   /* NULL: nothing */
	const gchar *challenge; /* NULL: nothing */
	const gchar *agent;     /* NULL: one that authenticates */
	gboolean authorized;
	/* besides the action, in the refusal's message */
	const gchar *message;
} RbPrepareCase;

#define RB_NOBODY RB_TEST_UID_NOBODY
#define RB_BURN "org.rawburn.burn"
static const RbPrepareCase rb_prepare_cases[] = {
	{RB_NOBODY, FALSE, NULL, NULL, NULL, FALSE, "Ask an administrator"},
	{RB_NOBODY, FALSE, RB_BURN, NULL, NULL, TRUE, NULL},
	{RB_NOBODY, FALSE, "org.rawburn.manage-virtual", NULL, NULL, FALSE, NULL},
	/* polkit may ask only when the call carries ALLOW_INTERACTIVE_AUTHORIZATION */
	{RB_NOBODY, FALSE, NULL, RB_BURN, NULL, FALSE, "without authentication"},
	{RB_NOBODY, TRUE, NULL, RB_BURN, NULL, TRUE, NULL},
	/* no agent (a challenge), or the user dismissed it */
	{RB_NOBODY, TRUE, NULL, RB_BURN, "none", FALSE, "without authentication"},
	{RB_NOBODY, TRUE, NULL, RB_BURN, "dismissed", FALSE, "dismissed"},
	/* polkitd's rule: root is authorized for anything */
	{0, FALSE, NULL, NULL, NULL, TRUE, NULL},
};

/* PrepareMedia, then ReleaseMedia on the same connection */
START_TEST(test_system_bus_polkit_prepare_matrix)
{
	const RbPrepareCase *c = &rb_prepare_cases[_i];
	g_autoptr(RbTestService) service = rb_test_service_new_system_bus();
	GPid polkit = rb_test_start_polkit(service);
	const gchar *const allowed[] = {c->allowed, NULL};
	const gchar *const challenge[] = {c->challenge, NULL};
	const gchar *const prepare[] = {RB_RECORDER " " RB_PREPARE, NULL};
	RbTestCallOptions options = {
		.uid = c->uid, .interactive = c->interactive, .before = prepare};
	g_autoptr(RbTestClient) client = NULL;
	g_autofree gchar *out = NULL;
	g_autofree gchar *checks = NULL;
	g_autofree gchar *expected_checks = NULL;
	g_auto(GStrv) lines = NULL;

	rb_test_polkit_set_allowed(service, allowed);
	rb_test_polkit_set_challenge(service, challenge);
	if (c->agent != NULL)
		rb_test_polkit_set_agent(service, c->agent);
	rb_test_service_start_daemon_on(service, FALSE, rb_args);
	client = rb_test_client_new(service);
	rb_test_client_wait_for_drive(client, RB_RECORDER);

	out = rb_test_call_full(service, &options, RB_RECORDER, RB_RELEASE, NULL);
	lines = g_strsplit(out, "\n", -1);
	ck_assert_uint_eq(g_strv_length(lines), 2);
	if (c->authorized) {
		ck_assert_str_eq(out, "OK ()\nOK ()");
	} else {
		/* the message names the action */
		ck_assert_msg(g_str_has_prefix(lines[0], RB_NOT_AUTHORIZED) &&
				      strstr(lines[0], "org.rawburn.burn") != NULL &&
				      (c->message == NULL || strstr(lines[0], c->message) != NULL),
			      "%s",
			      lines[0]);
		ck_assert_msg(g_str_has_prefix(lines[1],
					       "ERROR " RB_DBUS_ERROR_PREFIX "MediaIsNotPrepared "),
			      "%s",
			      lines[1]);
	}
	/* one check, for the caller, made whoever calls (root included) */
	checks = rb_test_polkit_get_checks(service);
	expected_checks =
		g_strdup_printf("org.rawburn.burn uid=%u flags=%u",
				c->uid,
				c->interactive ? RB_TEST_POLKIT_ALLOW_USER_INTERACTION : 0);
	ck_assert_str_eq(checks, expected_checks);
	rb_test_service_stop_daemon(service);
	rb_test_stop_polkit(service, polkit);
}
END_TEST

/* the subject is the calling connection, not the daemon's */
START_TEST(test_system_bus_polkit_subject_is_caller)
{
	g_autoptr(RbTestService) service = rb_test_service_new_system_bus();
	GPid polkit = rb_test_start_polkit(service);
	g_autoptr(RbTestClient) client = NULL;
	g_autoptr(GPtrArray) checks = NULL;
	g_autofree gchar *prepared = NULL;
	g_autofree gchar *released = NULL;
	RbTestPolkitCheck *check;

	rb_test_service_start_daemon_on(service, FALSE, rb_args);
	client = rb_test_client_new(service);
	rb_test_client_wait_for_drive(client, RB_RECORDER);
	prepared = rb_test_client_call(
		client, RB_RECORDER, RB_TEST_FORMAT, "PrepareMedia", NULL, NULL, NULL);
	ck_assert_ptr_null(prepared);
	released = rb_test_client_call(
		client, RB_RECORDER, RB_TEST_FORMAT, "ReleaseMedia", NULL, NULL, NULL);
	ck_assert_ptr_null(released);
	checks = rb_test_polkit_get_check_list(service);
	ck_assert_uint_eq(checks->len, 1);
	check = g_ptr_array_index(checks, 0);
	ck_assert_str_eq(check->action_id, "org.rawburn.burn");
	ck_assert_str_eq(check->bus_name, rb_test_client_get_name(client));
	ck_assert_uint_eq(check->uid, 0);
	/* the call did not allow interactive authorization */
	ck_assert_uint_eq(check->flags, 0);
	rb_test_service_stop_daemon(service);
	rb_test_stop_polkit(service, polkit);
}
END_TEST

/* an unprivileged caller passes an fd of a file in the fixture's directory */
START_TEST(test_system_bus_polkit_fd_as_nobody)
{
	g_autoptr(RbTestService) service = rb_test_service_new_system_bus();
	GPid polkit = rb_test_start_polkit(service);
	const gchar *const manage[] = {"org.rawburn.manage-virtual", NULL};
	/* nobody may write it, but not create it: the directory is root's */
	g_autofree gchar *backing = rb_test_service_write_file(service, "backing.img", "", 0, 0666);
	g_autofree gchar *fd = g_strconcat("wfile:", backing, NULL);
	const gchar *const fds[] = {fd, NULL};
	g_autoptr(RbTestClient) client = NULL;
	g_autofree gchar *without_fd = NULL;
	g_autofree gchar *with_fd = NULL;
	g_autofree gchar *checks = NULL;

	rb_test_polkit_set_allowed(service, manage);
	rb_test_service_start_daemon_on(service, FALSE, rb_args);
	client = rb_test_client_new(service);
	rb_test_client_wait_for_drive(client, RB_RECORDER);
	/* the contrast: the handle without an fd behind it is refused, before
	 * polkit is asked */
	without_fd = rb_test_call_as(service,
				     RB_TEST_UID_NOBODY,
				     FALSE,
				     NULL,
				     RB_DBUS_MANAGER_PATH,
				     "org.rawburn.RawBurn1.Manager.AddVirtualRecorder",
				     "({'Backing': <@h 0>},)");
	ck_assert_msg(g_str_has_prefix(without_fd, "ERROR org.freedesktop.DBus.Error.InvalidArgs "),
		      "%s",
		      without_fd);
	with_fd = rb_test_call_as(service,
				  RB_TEST_UID_NOBODY,
				  FALSE,
				  fds,
				  RB_DBUS_MANAGER_PATH,
				  "org.rawburn.RawBurn1.Manager.AddVirtualRecorder",
				  "({'Backing': <@h 0>},)");
	ck_assert_str_eq(with_fd, "OK (objectpath '" RB_DBUS_RECORDERS_PATH "/virtual1',)");
	checks = rb_test_polkit_get_checks(service);
	/* a{sv} without auth.no_user_interaction: polkit may ask */
	ck_assert_str_eq(checks, "org.rawburn.manage-virtual uid=65534 flags=1");
	rb_test_service_stop_daemon(service);
	rb_test_stop_polkit(service, polkit);
}
END_TEST

/* a PrepareMedia waiting in polkit changes nothing, and completes on release */
START_TEST(test_system_bus_polkit_hang_release)
{
	g_autoptr(RbTestService) service = rb_test_service_new_system_bus();
	GPid polkit = rb_test_start_polkit(service);
	const gchar *const burn[] = {"org.rawburn.burn", NULL};
	RbTestCallOptions as_nobody = {.uid = RB_TEST_UID_NOBODY};
	RbTestCall *call;
	g_autoptr(RbTestClient) client = NULL;
	g_autoptr(GVariant) owner = NULL;
	g_autofree gchar *out = NULL;

	rb_test_polkit_set_allowed(service, burn);
	rb_test_polkit_hang_actions(service, burn);
	rb_test_service_start_daemon_on(service, FALSE, rb_args);
	client = rb_test_client_new(service);
	rb_test_client_wait_for_drive(client, RB_RECORDER);

	call = rb_test_call_start(service, &as_nobody, RB_RECORDER, RB_PREPARE, NULL);
	rb_test_polkit_wait_hanging(service);
	ck_assert(rb_test_call_is_running(call));
	/* the lock holder's ClientName, "" when free */
	owner = rb_test_client_get(client, RB_RECORDER, RB_TEST_RECORDER, "ExclusiveAccessOwner");
	ck_assert_str_eq(g_variant_get_string(owner, NULL), "");

	rb_test_polkit_release_hanging(service);
	out = rb_test_call_finish(call);
	ck_assert_str_eq(out, "OK ()");
	ck_assert(!rb_test_polkit_have_hanging(service));
	rb_test_service_stop_daemon(service);
	rb_test_stop_polkit(service, polkit);
}
END_TEST
#endif /* HAVE_POLKIT */

/* --- logind ----------------------------------------------------------------------- */

/* logind's inhibitors: a(ssssuu) what, who, why, mode, uid, pid */
static guint
rb_count_rawburn_inhibitors(RbTestService *service)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = g_dbus_connection_call_sync(service->connection,
								LOGIND_NAME,
								"/org/freedesktop/login1",
								"org.freedesktop.login1.Manager",
								"ListInhibitors",
								NULL,
								G_VARIANT_TYPE("(a(ssssuu))"),
								G_DBUS_CALL_FLAGS_NONE,
								-1,
								NULL,
								&error);
	g_autoptr(GVariantIter) iter = NULL;
	const gchar *what, *who, *why, *mode;
	guint32 uid, pid;
	guint n = 0;

	ck_assert_msg(reply != NULL, "%s", error ? error->message : "");
	g_variant_get(reply, "(a(ssssuu))", &iter);
	while (g_variant_iter_loop(iter, "(&s&s&s&suu)", &what, &who, &why, &mode, &uid, &pid)) {
		if (g_strcmp0(who, "rawburn") == 0 && g_strcmp0(what, "sleep:shutdown:idle") == 0 &&
		    g_strcmp0(mode, "block") == 0 && strstr(why, "Inhibit test") != NULL)
			n++;
	}
	return n;
}

static void
rb_wait_inhibitors(RbTestService *service, guint expected)
{
	gint64 deadline = g_get_monotonic_time() + RB_TEST_TIMEOUT_SECONDS * G_USEC_PER_SEC / 2;

	while (rb_count_rawburn_inhibitors(service) != expected) {
		ck_assert_msg(g_get_monotonic_time() < deadline, "not %u inhibitors", expected);
		g_usleep(20 * 1000);
	}
}

START_TEST(test_system_bus_inhibitor_while_prepared)
{
	g_autoptr(RbTestService) service = rb_test_service_new_system_bus();
	GPid logind = rb_test_start_mock(service, "logind", LOGIND_NAME);
	/* one connection: the ClientName it sets names its own lock */
	g_autoptr(RbTestClient) client = NULL;
	g_autofree gchar *named = NULL;
	g_autofree gchar *prepared = NULL;
	g_autofree gchar *released = NULL;

	/* no polkit on this bus: the caller is root, which is allowed */
	rb_test_service_start_daemon_on(service, FALSE, rb_args);
	client = rb_test_client_new(service);
	rb_test_client_wait_for_drive(client, RB_RECORDER);
	named = rb_test_client_set(client,
				   RB_RECORDER,
				   RB_TEST_FORMAT,
				   "ClientName",
				   g_variant_new_string("Inhibit test"),
				   NULL);
	ck_assert_ptr_null(named);
	ck_assert_uint_eq(rb_count_rawburn_inhibitors(service), 0);
	prepared = rb_test_client_call(
		client, RB_RECORDER, RB_TEST_FORMAT, "PrepareMedia", NULL, NULL, NULL);
	ck_assert_ptr_null(prepared);
	rb_wait_inhibitors(service, 1);
	released = rb_test_client_call(
		client, RB_RECORDER, RB_TEST_FORMAT, "ReleaseMedia", NULL, NULL, NULL);
	ck_assert_ptr_null(released);
	rb_wait_inhibitors(service, 0);
	rb_test_service_stop_daemon(service);
	rb_test_stop_mock(service, logind, LOGIND_NAME);
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("system-bus");
	TCase *tc = tcase_create("system-bus");

	/* a missing test dependency fails the run, it never passes silently */
	if (!rb_test_require_system_bus("test-system-bus"))
		return 99;
	tcase_set_timeout(tc, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_test(tc, test_system_bus_policy_allows_service_interfaces);
	tcase_add_test(tc, test_system_bus_policy_refuses_other_interfaces);
	tcase_add_test(tc, test_system_bus_policy_owner_is_root);
#ifdef HAVE_POLKIT
	tcase_add_test(tc, test_system_bus_polkit_mock_like_polkitd);
	tcase_add_loop_test(
		tc, test_system_bus_polkit_prepare_matrix, 0, G_N_ELEMENTS(rb_prepare_cases));
	tcase_add_test(tc, test_system_bus_polkit_subject_is_caller);
	tcase_add_test(tc, test_system_bus_polkit_fd_as_nobody);
	tcase_add_test(tc, test_system_bus_polkit_hang_release);
#endif
	tcase_add_test(tc, test_system_bus_inhibitor_while_prepared);
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
