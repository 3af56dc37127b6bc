/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * rawburnd as on the system bus, with polkit and logind mocked on the
 * private bus: PrepareMedia needs the burn authorization, and a prepared
 * recorder holds a logind inhibitor until ReleaseMedia.
 */
#include "config.h"

#include "rb-error.h"
#include "rb-test-service.h"

#define RB_RECORDER RB_DBUS_RECORDERS_PATH "/virtual0"
#define RB_FORMAT "org.rawburn.RawBurn1.DiscFormat2RawCD"
#define POLKIT_NAME "org.freedesktop.PolicyKit1"
#define LOGIND_NAME "org.freedesktop.login1"

static const gchar *const rb_args[] = {"--virtual-recorder", "media=cd-r-80,realtime=false", NULL};

static gchar *
rb_call(RbTestService *service, const gchar *method, gchar **message)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = g_dbus_connection_call_sync(service->connection,
								RB_DBUS_NAME,
								RB_RECORDER,
								RB_FORMAT,
								method,
								NULL,
								NULL,
								G_DBUS_CALL_FLAGS_NONE,
								-1,
								NULL,
								&error);
	if (reply != NULL)
		return NULL;
	if (message != NULL)
		*message = g_strdup(error->message);
	return g_dbus_error_get_remote_error(error);
}

static void
rb_mock_call(RbTestService *service,
	     const gchar *name,
	     const gchar *path,
	     const gchar *method,
	     GVariant *params)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = g_dbus_connection_call_sync(service->connection,
								name,
								path,
								"org.freedesktop.DBus.Mock",
								method,
								params,
								NULL,
								G_DBUS_CALL_FLAGS_NONE,
								-1,
								NULL,
								&error);
	ck_assert_msg(reply != NULL, "%s: %s", method, error ? error->message : "");
}

/* the drive's properties come once it answered */
static void
rb_wait_for_drive(RbTestService *service)
{
	gint64 deadline = g_get_monotonic_time() + RB_TEST_TIMEOUT_SECONDS * G_USEC_PER_SEC / 2;

	for (;;) {
		g_autoptr(GVariant) reply = g_dbus_connection_call_sync(
			service->connection,
			RB_DBUS_NAME,
			RB_RECORDER,
			"org.freedesktop.DBus.Properties",
			"Get",
			g_variant_new("(ss)", RB_FORMAT, "SupportedSectorTypes"),
			NULL,
			G_DBUS_CALL_FLAGS_NONE,
			-1,
			NULL,
			NULL);
		g_autoptr(GVariant) value = NULL;
		if (reply != NULL) {
			g_variant_get(reply, "(v)", &value);
			if (g_variant_n_children(value) > 0)
				return;
		}
		ck_assert_msg(g_get_monotonic_time() < deadline, "the drive never answered");
		g_usleep(20 * 1000);
	}
}

#ifdef HAVE_POLKIT
typedef struct {
	const gchar *allowed;
	const gchar *error;
} RbAuthCase;

static const RbAuthCase rb_auth_cases[] = {
	{"org.rawburn.burn", NULL},
	{"org.rawburn.manage-virtual", "org.rawburn.RawBurn1.Error.NotAuthorized"},
};

START_TEST(test_system_bus_prepare_needs_authorization)
{
	const RbAuthCase *auth = &rb_auth_cases[_i];
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	GPid polkit = rb_test_start_mock(service, "polkitd", POLKIT_NAME);
	const gchar *allowed[] = {auth->allowed, NULL};
	g_autofree gchar *error = NULL;
	g_autofree gchar *message = NULL;

	rb_mock_call(service,
		     POLKIT_NAME,
		     "/org/freedesktop/PolicyKit1/Authority",
		     "SetAllowed",
		     g_variant_new("(^as)", allowed));
	rb_test_service_start_daemon_on(service, FALSE, rb_args);
	rb_wait_for_drive(service);
	error = rb_call(service, "PrepareMedia", &message);
	ck_assert_msg(
		g_strcmp0(error, auth->error) == 0, "PrepareMedia gave %s (%s)", error, message);
	if (error != NULL)
		ck_assert_msg(strstr(message, "org.rawburn.burn") != NULL, "%s", message);
	rb_test_service_stop_daemon(service);
	rb_test_stop_mock(service, polkit, POLKIT_NAME);
}
END_TEST
#endif

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
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	GPid logind = rb_test_start_mock(service, "logind", LOGIND_NAME);
	g_autoptr(GVariant) reply = NULL;

	/* no polkit on this bus: the caller is root, which is allowed */
	rb_test_service_start_daemon_on(service, FALSE, rb_args);
	rb_wait_for_drive(service);
	reply = g_dbus_connection_call_sync(
		service->connection,
		RB_DBUS_NAME,
		RB_RECORDER,
		"org.freedesktop.DBus.Properties",
		"Set",
		g_variant_new(
			"(ssv)", RB_FORMAT, "ClientName", g_variant_new_string("Inhibit test")),
		NULL,
		G_DBUS_CALL_FLAGS_NONE,
		-1,
		NULL,
		NULL);
	ck_assert_ptr_nonnull(reply);
	ck_assert_uint_eq(rb_count_rawburn_inhibitors(service), 0);
	ck_assert_ptr_null(rb_call(service, "PrepareMedia", NULL));
	rb_wait_inhibitors(service, 1);
	ck_assert_ptr_null(rb_call(service, "ReleaseMedia", NULL));
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
	if (rb_test_find_python() == NULL) {
		g_printerr("python3 with dbusmock not found: install python3-dbusmock (.ci/build "
			   "does)\n");
		return 99;
	}
	tcase_set_timeout(tc, RB_TEST_TIMEOUT_SECONDS);
#ifdef HAVE_POLKIT
	tcase_add_loop_test(
		tc, test_system_bus_prepare_needs_authorization, 0, G_N_ELEMENTS(rb_auth_cases));
#endif
	tcase_add_test(tc, test_system_bus_inhibitor_while_prepared);
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
