/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * RbInhibitor against python-dbusmock's logind template on a private bus:
 * the lock shows in logind's list while held and leaves it when released
 * (the template watches the other end of the fd it hands out, as logind
 * does), and a bus without logind yields no lock, no error, one log line.
 */
#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rb-inhibitor.h"
#include "rb-test-service.h"

#define LOGIND_NAME "org.freedesktop.login1"
#define LOGIND_PATH "/org/freedesktop/login1"
#define LOGIND_IFACE "org.freedesktop.login1.Manager"
#define TEST_WHO "rawburn test"
#define TEST_WHY "Writing a CD in sr0"

static void
rb_test_result_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	GAsyncResult **slot = user_data;

	*slot = g_object_ref(result);
}

static RbInhibitor *
rb_test_acquire(RbTestService *service, GError **error)
{
	g_autoptr(GAsyncResult) result = NULL;

	rb_inhibitor_acquire_async(
		service->connection, TEST_WHO, TEST_WHY, NULL, rb_test_result_cb, &result);
	while (result == NULL)
		g_main_context_iteration(NULL, TRUE);
	return rb_inhibitor_acquire_finish(result, error);
}

/* logind's ListInhibitors: a(ssssuu) what, who, why, mode, uid, pid */
static GVariant *
rb_test_list_inhibitors(RbTestService *service)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = NULL;

	reply = g_dbus_connection_call_sync(service->connection,
					    LOGIND_NAME,
					    LOGIND_PATH,
					    LOGIND_IFACE,
					    "ListInhibitors",
					    NULL,
					    G_VARIANT_TYPE("(a(ssssuu))"),
					    G_DBUS_CALL_FLAGS_NONE,
					    -1,
					    NULL,
					    &error);
	ck_assert_msg(reply != NULL, "ListInhibitors: %s", error ? error->message : "");
	return g_variant_get_child_value(reply, 0);
}

static void
rb_test_assert_listed(RbTestService *service)
{
	g_autoptr(GVariant) list = rb_test_list_inhibitors(service);
	const gchar *what, *who, *why, *mode;

	ck_assert_uint_eq(g_variant_n_children(list), 1);
	g_variant_get_child(list, 0, "(&s&s&s&suu)", &what, &who, &why, &mode, NULL, NULL);
	ck_assert_str_eq(what, "sleep:shutdown:idle");
	ck_assert_str_eq(who, TEST_WHO);
	ck_assert_str_eq(why, TEST_WHY);
	ck_assert_str_eq(mode, "block");
}

/* logind notices the closed fd on its own main loop: poll for a while */
static void
rb_test_wait_unlisted(RbTestService *service)
{
	gint64 deadline = g_get_monotonic_time() + RB_TEST_TIMEOUT_SECONDS * G_USEC_PER_SEC / 2;

	for (;;) {
		g_autoptr(GVariant) list = rb_test_list_inhibitors(service);

		if (g_variant_n_children(list) == 0)
			return;
		ck_assert_msg(g_get_monotonic_time() < deadline, "the inhibitor is still listed");
		g_usleep(20 * 1000);
	}
}

START_TEST(test_inhibitor_acquire_release)
{
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	GPid mock = rb_test_start_mock(service, "logind", LOGIND_NAME);
	g_autoptr(GError) error = NULL;
	g_autoptr(RbInhibitor) inhibitor = rb_test_acquire(service, &error);

	ck_assert_msg(inhibitor != NULL, "%s", error ? error->message : "no error");
	ck_assert(rb_inhibitor_is_held(inhibitor));
	rb_test_assert_listed(service);

	rb_inhibitor_release(inhibitor);
	ck_assert(!rb_inhibitor_is_held(inhibitor));
	rb_test_wait_unlisted(service);
	/* a second release is harmless */
	rb_inhibitor_release(inhibitor);
	rb_test_stop_mock(service, mock, LOGIND_NAME);
}
END_TEST

/* dropping the last reference gives the lock back too */
START_TEST(test_inhibitor_finalize_releases)
{
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	GPid mock = rb_test_start_mock(service, "logind", LOGIND_NAME);
	g_autoptr(GError) error = NULL;
	RbInhibitor *inhibitor = rb_test_acquire(service, &error);

	ck_assert_msg(inhibitor != NULL, "%s", error ? error->message : "no error");
	rb_test_assert_listed(service);
	g_object_unref(inhibitor);
	rb_test_wait_unlisted(service);
	rb_test_stop_mock(service, mock, LOGIND_NAME);
}
END_TEST

static gint rb_test_absence_messages = 0;

/* counts RbInhibitor's messages, and lets everything else through */
static GLogWriterOutput
rb_test_log_writer(GLogLevelFlags log_level,
		   const GLogField *fields,
		   gsize n_fields,
		   gpointer user_data)
{
	for (gsize i = 0; i < n_fields; i++) {
		if (g_strcmp0(fields[i].key, "GLIB_DOMAIN") == 0 &&
		    g_strcmp0(fields[i].value, "RbInhibitor") == 0 &&
		    (log_level & G_LOG_LEVEL_MESSAGE) != 0)
			g_atomic_int_inc(&rb_test_absence_messages);
	}
	return g_log_writer_default(log_level, fields, n_fields, user_data);
}

/* no logind: no lock, no error, and one message however often it is tried */
START_TEST(test_inhibitor_no_logind)
{
	g_autoptr(RbTestService) service = rb_test_service_new_bus();

	g_log_set_writer_func(rb_test_log_writer, NULL, NULL);
	for (guint i = 0; i < 3; i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(RbInhibitor) inhibitor = rb_test_acquire(service, &error);

		ck_assert_ptr_null(inhibitor);
		ck_assert_msg(error == NULL, "%s", error ? error->message : "");
	}
	ck_assert_int_eq(g_atomic_int_get(&rb_test_absence_messages), 1);
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("inhibitor");
	TCase *tc = tcase_create("inhibitor");

	tcase_set_timeout(tc, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_test(tc, test_inhibitor_no_logind);
	/* python-dbusmock is a test dependency (.ci/build installs it) */
	if (rb_test_find_python() != NULL) {
		tcase_add_test(tc, test_inhibitor_acquire_release);
		tcase_add_test(tc, test_inhibitor_finalize_releases);
	} else {
		/* a missing test dependency fails the run, it never passes silently */
		g_printerr("python3 with dbusmock not found: install python3-dbusmock (.ci/build "
			   "does)\n");
		return 99;
	}
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
