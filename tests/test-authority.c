/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * RbAuthority against python-dbusmock's polkitd template on a private bus,
 * and without any polkit on it.
 *
 * The tests run as root, and root is always allowed without polkit, so the
 * refusal a normal user gets when polkit is missing cannot be reached over
 * the bus; it is tested through rb_authority_check_without_polkit(), the
 * decision the asynchronous check itself makes once it knows the uid.
 */
#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rb-authority.h"
#include "rb-error.h"
#include "rb-test-service.h"

#define POLKIT_NAME "org.freedesktop.PolicyKit1"
#define POLKIT_PATH "/org/freedesktop/PolicyKit1/Authority"
#define MOCK_IFACE "org.freedesktop.DBus.Mock"

#ifdef HAVE_POLKIT
static void
rb_test_polkit_mock_call(RbTestService *service, const gchar *method, GVariant *parameters)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = NULL;

	reply = g_dbus_connection_call_sync(service->connection,
					    POLKIT_NAME,
					    POLKIT_PATH,
					    MOCK_IFACE,
					    method,
					    parameters,
					    NULL,
					    G_DBUS_CALL_FLAGS_NONE,
					    -1,
					    NULL,
					    &error);
	ck_assert_msg(reply != NULL, "%s: %s", method, error->message);
}

#endif /* HAVE_POLKIT */

static void
rb_test_result_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	GAsyncResult **slot = user_data;

	*slot = g_object_ref(result);
}

/* runs one check to its end; the caller is this test's own connection */
static gboolean
rb_test_check(RbAuthority *authority,
	      RbTestService *service,
	      const gchar *action_id,
	      GCancellable *cancellable,
	      GError **error)
{
	g_autoptr(GAsyncResult) result = NULL;

	rb_authority_check_async(authority,
				 g_dbus_connection_get_unique_name(service->connection),
				 action_id,
				 "Authentication is required to test rawburn",
				 cancellable,
				 rb_test_result_cb,
				 &result);
	while (result == NULL)
		g_main_context_iteration(NULL, TRUE);
	return rb_authority_check_finish(authority, result, error);
}

/* the authority asks polkit on the connection it is given; the mocks find
 * the bus through the environment */
static RbTestService *
rb_test_new_bus(void)
{
	RbTestService *service = rb_test_service_new_bus();

	g_setenv("DBUS_SYSTEM_BUS_ADDRESS", service->bus_address, TRUE);
	return service;
}

#ifdef HAVE_POLKIT
START_TEST(test_authority_polkit_allows)
{
	g_autoptr(RbTestService) service = rb_test_new_bus();
	GPid mock = rb_test_start_mock(service, "polkitd", POLKIT_NAME);
	g_autoptr(RbAuthority) authority = rb_authority_new(service->connection);
	g_autoptr(GError) error = NULL;
	const gchar *allowed[] = {RB_AUTHORITY_ACTION_BURN, NULL};

	rb_test_polkit_mock_call(service, "SetAllowed", g_variant_new("(^as)", allowed));
	ck_assert_msg(rb_test_check(authority, service, RB_AUTHORITY_ACTION_BURN, NULL, &error),
		      "%s",
		      error->message);
	/* the second check reuses the cached authority */
	ck_assert(rb_test_check(authority, service, RB_AUTHORITY_ACTION_BURN, NULL, NULL));
	rb_test_stop_mock(service, mock, POLKIT_NAME);
}
END_TEST

START_TEST(test_authority_polkit_denies)
{
	g_autoptr(RbTestService) service = rb_test_new_bus();
	GPid mock = rb_test_start_mock(service, "polkitd", POLKIT_NAME);
	g_autoptr(RbAuthority) authority = rb_authority_new(service->connection);
	g_autoptr(GError) error = NULL;
	const gchar *allowed[] = {RB_AUTHORITY_ACTION_BURN, NULL};

	rb_test_polkit_mock_call(service, "SetAllowed", g_variant_new("(^as)", allowed));
	ck_assert(!rb_test_check(
		authority, service, RB_AUTHORITY_ACTION_MANAGE_VIRTUAL, NULL, &error));
	ck_assert(g_error_matches(error, RB_ERROR, RB_ERROR_NOT_AUTHORIZED));
	ck_assert_msg(strstr(error->message, RB_AUTHORITY_ACTION_MANAGE_VIRTUAL) != NULL,
		      "%s",
		      error->message);
	ck_assert_msg(strstr(error->message, "administrator") != NULL, "%s", error->message);
	rb_test_stop_mock(service, mock, POLKIT_NAME);
}
END_TEST

/* a check the user has not answered yet is cancelled by its caller */
START_TEST(test_authority_polkit_cancel)
{
	g_autoptr(RbTestService) service = rb_test_new_bus();
	GPid mock = rb_test_start_mock(service, "polkitd", POLKIT_NAME);
	g_autoptr(RbAuthority) authority = rb_authority_new(service->connection);
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	g_autoptr(GAsyncResult) result = NULL;
	g_autoptr(GError) error = NULL;

	rb_test_polkit_mock_call(service, "SimulateHang", g_variant_new("(b)", TRUE));
	rb_authority_check_async(authority,
				 g_dbus_connection_get_unique_name(service->connection),
				 RB_AUTHORITY_ACTION_BURN,
				 NULL,
				 cancellable,
				 rb_test_result_cb,
				 &result);
	/* wait until the mock holds the call, then cancel it */
	for (;;) {
		g_autoptr(GVariant) reply = NULL;
		gboolean hanging = FALSE;

		while (g_main_context_iteration(NULL, FALSE))
			;
		reply = g_dbus_connection_call_sync(service->connection,
						    POLKIT_NAME,
						    POLKIT_PATH,
						    MOCK_IFACE,
						    "HaveHangingCalls",
						    NULL,
						    G_VARIANT_TYPE("(b)"),
						    G_DBUS_CALL_FLAGS_NONE,
						    -1,
						    NULL,
						    NULL);
		ck_assert_ptr_nonnull(reply);
		g_variant_get(reply, "(b)", &hanging);
		if (hanging)
			break;
		g_usleep(20 * 1000);
	}
	ck_assert_ptr_null(result);
	g_cancellable_cancel(cancellable);
	while (result == NULL)
		g_main_context_iteration(NULL, TRUE);
	ck_assert(!rb_authority_check_finish(authority, result, &error));
	ck_assert_msg(
		g_error_matches(error, RB_ERROR, RB_ERROR_REQUEST_CANCELLED), "%s", error->message);
	rb_test_stop_mock(service, mock, POLKIT_NAME);
}
END_TEST

/* a cancelled check is withdrawn from polkitd too (CancelCheckAuthorization),
 * so that a dialog nobody waits for closes; rawburn's polkitd mock drops a
 * held check only on that call */
START_TEST(test_authority_polkit_cancel_withdraws)
{
	g_autoptr(RbTestService) service = rb_test_new_bus();
	GPid polkit = rb_test_start_polkit(service);
	g_autoptr(RbAuthority) authority = rb_authority_new(service->connection);
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	g_autoptr(GAsyncResult) result = NULL;
	g_autoptr(GError) error = NULL;
	const gchar *const burn[] = {RB_AUTHORITY_ACTION_BURN, NULL};

	rb_test_polkit_hang_actions(service, burn);
	rb_authority_check_async(authority,
				 g_dbus_connection_get_unique_name(service->connection),
				 RB_AUTHORITY_ACTION_BURN,
				 NULL,
				 cancellable,
				 rb_test_result_cb,
				 &result);
	rb_test_polkit_wait_hanging(service);
	g_cancellable_cancel(cancellable);
	while (result == NULL)
		g_main_context_iteration(NULL, TRUE);
	ck_assert(!rb_authority_check_finish(authority, result, &error));
	ck_assert_msg(
		g_error_matches(error, RB_ERROR, RB_ERROR_REQUEST_CANCELLED), "%s", error->message);
	/* the withdrawal is a call of its own, after the reply: the test's
	 * timeout fails a check that stays */
	while (rb_test_polkit_have_hanging(service))
		g_usleep(20 * 1000);
	rb_test_stop_polkit(service, polkit);
}
END_TEST

#endif /* HAVE_POLKIT */

/* no polkit on the bus: root is allowed anyway, anyone else is told why not */
START_TEST(test_authority_no_polkit)
{
	g_autoptr(RbTestService) service = rb_test_new_bus();
	g_autoptr(RbAuthority) authority = rb_authority_new(service->connection);
	g_autoptr(GError) error = NULL;
	gboolean allowed;

	allowed =
		rb_test_check(authority, service, RB_AUTHORITY_ACTION_MANAGE_VIRTUAL, NULL, &error);
	if (getuid() == 0) {
		ck_assert_msg(allowed, "%s", error->message);
		return;
	}
	ck_assert(!allowed);
	ck_assert(g_error_matches(error, RB_ERROR, RB_ERROR_NOT_AUTHORIZED));
#ifdef HAVE_POLKIT
	ck_assert_msg(
		strstr(error->message, "polkit is not running") != NULL, "%s", error->message);
#else
	ck_assert_msg(strstr(error->message, "built without polkit") != NULL, "%s", error->message);
#endif
}
END_TEST

#ifdef HAVE_POLKIT
/* polkit leaves after the first check: the cached authority notices */
START_TEST(test_authority_polkit_goes_away)
{
	g_autoptr(RbTestService) service = rb_test_new_bus();
	GPid mock = rb_test_start_mock(service, "polkitd", POLKIT_NAME);
	g_autoptr(RbAuthority) authority = rb_authority_new(service->connection);
	g_autoptr(GError) error = NULL;

	/* the mock refuses everything by default, even root */
	ck_assert(!rb_test_check(authority, service, RB_AUTHORITY_ACTION_BURN, NULL, &error));
	ck_assert(g_error_matches(error, RB_ERROR, RB_ERROR_NOT_AUTHORIZED));
	g_clear_error(&error);
	rb_test_stop_mock(service, mock, POLKIT_NAME);
	ck_assert_msg(rb_test_check(authority, service, RB_AUTHORITY_ACTION_BURN, NULL, &error),
		      "%s",
		      error->message);
}
END_TEST

#endif /* HAVE_POLKIT */

/* the decision the check makes from the uid when polkit cannot be asked */
START_TEST(test_authority_without_polkit_decision)
{
	g_autoptr(GError) error = NULL;

	ck_assert(rb_authority_check_without_polkit(
		0, RB_AUTHORITY_ACTION_BURN, RB_AUTHORITY_NO_POLKIT_NOT_RUNNING, NULL));
	ck_assert(rb_authority_check_without_polkit(
		0, RB_AUTHORITY_ACTION_BURN, RB_AUTHORITY_NO_POLKIT_NOT_BUILT, NULL));

	ck_assert(!rb_authority_check_without_polkit(
		1000, RB_AUTHORITY_ACTION_BURN, RB_AUTHORITY_NO_POLKIT_NOT_RUNNING, &error));
	ck_assert(g_error_matches(error, RB_ERROR, RB_ERROR_NOT_AUTHORIZED));
	ck_assert_msg(
		strstr(error->message, "polkit is not running") != NULL, "%s", error->message);
	ck_assert_msg(strstr(error->message, "polkit.service") != NULL, "%s", error->message);
	ck_assert_msg(
		strstr(error->message, RB_AUTHORITY_ACTION_BURN) != NULL, "%s", error->message);
	g_clear_error(&error);

	ck_assert(!rb_authority_check_without_polkit(1000,
						     RB_AUTHORITY_ACTION_MANAGE_VIRTUAL,
						     RB_AUTHORITY_NO_POLKIT_NOT_BUILT,
						     &error));
	ck_assert(g_error_matches(error, RB_ERROR, RB_ERROR_NOT_AUTHORIZED));
	ck_assert_msg(strstr(error->message, "built without polkit") != NULL, "%s", error->message);
	ck_assert_msg(strstr(error->message, RB_AUTHORITY_ACTION_MANAGE_VIRTUAL) != NULL,
		      "%s",
		      error->message);
}
END_TEST

/* the session bus (`rawburnd --session`): no bus needed, nothing refused */
START_TEST(test_authority_trust_all)
{
	g_autoptr(RbAuthority) authority = rb_authority_new_trust_all();
	const gchar *actions[] = {RB_AUTHORITY_ACTION_BURN,
				  RB_AUTHORITY_ACTION_MANAGE_VIRTUAL,
				  "org.example.anything"};

	ck_assert(rb_authority_get_trust_all(authority));
	for (guint i = 0; i < G_N_ELEMENTS(actions); i++) {
		g_autoptr(GAsyncResult) result = NULL;
		g_autoptr(GError) error = NULL;

		rb_authority_check_async(
			authority, ":1.999", actions[i], NULL, NULL, rb_test_result_cb, &result);
		while (result == NULL)
			g_main_context_iteration(NULL, TRUE);
		ck_assert(rb_authority_check_finish(authority, result, &error));
		ck_assert_ptr_null(error);
	}
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("authority");
	TCase *tc = tcase_create("authority");

	tcase_set_timeout(tc, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_test(tc, test_authority_no_polkit);
	tcase_add_test(tc, test_authority_without_polkit_decision);
	tcase_add_test(tc, test_authority_trust_all);
	suite_add_tcase(suite, tc);

#ifdef HAVE_POLKIT
	/* python-dbusmock is a test dependency (.ci/build installs it) */
	if (rb_test_find_python() != NULL) {
		TCase *tc_mock = tcase_create("authority-polkitd");

		tcase_set_timeout(tc_mock, RB_TEST_TIMEOUT_SECONDS);
		tcase_add_test(tc_mock, test_authority_polkit_allows);
		tcase_add_test(tc_mock, test_authority_polkit_denies);
		tcase_add_test(tc_mock, test_authority_polkit_cancel);
		tcase_add_test(tc_mock, test_authority_polkit_cancel_withdraws);
		tcase_add_test(tc_mock, test_authority_polkit_goes_away);
		suite_add_tcase(suite, tc_mock);
	} else {
		/* a missing test dependency fails the run, it never passes silently */
		g_printerr("python3 with dbusmock not found: install python3-dbusmock (.ci/build "
			   "does)\n");
		return 99;
	}
#endif
	return rb_test_run_suite(suite);
}
