/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <check.h>

#include "rb-error.h"
#include "rb-job-watch.h"
#include "rb-test-client.h"

static void
rb_watch_on_added(RbJobWatch *watch, GVariant *params)
{
	const gchar *object = NULL;
	g_autoptr(GVariant) interfaces = NULL;
	g_autoptr(GVariant) job = NULL;

	g_variant_get(params, "(&o@a{sa{sv}})", &object, &interfaces);
	job = g_variant_lookup_value(interfaces, RB_JOB_IFACE, G_VARIANT_TYPE_VARDICT);
	if (job == NULL || watch->path != NULL)
		return;
	watch->path = g_strdup(object);
	watch->added = g_variant_ref(job);
	g_variant_lookup(job, "Operation", "s", &watch->operation);
}

static void
rb_watch_on_removed(RbJobWatch *watch, GVariant *params)
{
	const gchar *object = NULL;
	g_autofree const gchar **interfaces = NULL;

	g_variant_get(params, "(&o^a&s)", &object, &interfaces);
	if (g_strcmp0(object, watch->path) == 0 &&
	    g_strv_contains((const gchar *const *)interfaces, RB_JOB_IFACE))
		watch->removed = TRUE;
}

static void
rb_watch_on_changed(RbJobWatch *watch, GVariant *params)
{
	g_autoptr(GVariant) changed = NULL;
	gdouble progress = 0;
	guint64 number = 0;

	g_variant_get(params, "(&s@a{sv}@as)", NULL, &changed, NULL);
	if (g_variant_lookup(changed, "Progress", "d", &progress)) {
		if (watch->progress_changes++ == 0)
			watch->first_progress = progress;
		watch->last_progress = progress;
	}
	if (g_variant_lookup(changed, "Rate", "t", &number))
		watch->max_rate = MAX(watch->max_rate, number);
	if (g_variant_lookup(changed, "Bytes", "t", &number))
		watch->bytes = number;
	if (g_variant_lookup(changed, "ExpectedEndTime", "t", &number) && number != 0)
		watch->expected_end = number;
}

static void
rb_watch_on_completed(RbJobWatch *watch, GVariant *params)
{
	if (watch->completed)
		return;
	g_variant_get(params, "(bs)", &watch->success, &watch->message);
	watch->completed = TRUE;
}

/* the four subscriptions differ only in their match rule and handler */
static void
rb_watch_on_signal(GDBusConnection *connection,
		   const gchar *sender,
		   const gchar *path,
		   const gchar *interface,
		   const gchar *signal,
		   GVariant *params,
		   gpointer user_data)
{
	RbJobWatch *watch = user_data;

	if (g_strcmp0(signal, "InterfacesAdded") == 0)
		rb_watch_on_added(watch, params);
	else if (g_strcmp0(signal, "InterfacesRemoved") == 0)
		rb_watch_on_removed(watch, params);
	/* a job's own signals: only the one being watched */
	else if (g_strcmp0(path, watch->path) != 0)
		return;
	else if (g_strcmp0(signal, "PropertiesChanged") == 0)
		rb_watch_on_changed(watch, params);
	else
		rb_watch_on_completed(watch, params);
}

RbJobWatch *
rb_watch_new(GDBusConnection *connection)
{
	/* interface, member, path and arg0 of each match rule */
	static const gchar *const rules[][4] = {
		{"org.freedesktop.DBus.ObjectManager", "InterfacesAdded", RB_DBUS_ROOT_PATH, NULL},
		{"org.freedesktop.DBus.ObjectManager",
		 "InterfacesRemoved",
		 RB_DBUS_ROOT_PATH,
		 NULL},
		{"org.freedesktop.DBus.Properties", "PropertiesChanged", NULL, RB_JOB_IFACE},
		{RB_JOB_IFACE, "Completed", NULL, NULL},
	};
	RbJobWatch *watch = g_new0(RbJobWatch, 1);

	G_STATIC_ASSERT(G_N_ELEMENTS(rules) == G_N_ELEMENTS(watch->subscriptions));
	watch->connection = g_object_ref(connection);
	for (guint i = 0; i < G_N_ELEMENTS(rules); i++)
		watch->subscriptions[i] =
			g_dbus_connection_signal_subscribe(connection,
							   RB_DBUS_NAME,
							   rules[i][0],
							   rules[i][1],
							   rules[i][2],
							   rules[i][3],
							   G_DBUS_SIGNAL_FLAGS_NONE,
							   rb_watch_on_signal,
							   watch,
							   NULL);
	return watch;
}

void
rb_watch_free(RbJobWatch *watch)
{
	for (guint i = 0; i < G_N_ELEMENTS(watch->subscriptions); i++)
		rb_test_signal_unsubscribe(watch->connection, watch->subscriptions[i]);
	g_object_unref(watch->connection);
	g_free(watch->path);
	g_clear_pointer(&watch->added, g_variant_unref);
	g_free(watch->operation);
	g_free(watch->message);
	g_free(watch);
}

void
rb_watch_wait_for_job(RbJobWatch *watch, const RbTestPending *pending)
{
	gint64 deadline = g_get_monotonic_time() + RB_TEST_TIMEOUT_SECONDS * G_USEC_PER_SEC / 2;

	while (watch->path == NULL) {
		/* a job is announced one round trip after it began, so a reply
		 * may come first; only a failed one means there is none */
		ck_assert_msg(pending == NULL || !pending->done || pending->error_name == NULL,
			      "no job appeared: the call failed first with %s: %s",
			      pending != NULL ? pending->error_name : "",
			      pending != NULL ? pending->message : "");
		ck_assert_msg(g_get_monotonic_time() < deadline,
			      "no job appeared in %d s; the call %s",
			      RB_TEST_TIMEOUT_SECONDS / 2,
			      pending == NULL ? "is not watched"
			      : pending->done ? "succeeded"
					      : "has not been answered");
		g_main_context_iteration(NULL, TRUE);
	}
}

void
rb_watch_wait_completed(RbJobWatch *watch, gboolean success)
{
	rb_test_iterate_until(&watch->completed);
	ck_assert_msg(watch->success == success, "%s", watch->message);
}

void
rb_watch_wait_cancelled(RbJobWatch *watch)
{
	rb_watch_wait_completed(watch, FALSE);
	ck_assert_msg(g_str_has_prefix(watch->message, RB_TEST_ERROR("RequestCancelled") ": "),
		      "%s",
		      watch->message);
}
