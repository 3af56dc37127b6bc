/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <check.h>

#include "rb-error.h"
#include "rb-job-watch.h"
#include "rb-test-client.h"

static void
rb_watch_on_added(GDBusConnection *connection,
		  const gchar *sender,
		  const gchar *path,
		  const gchar *interface,
		  const gchar *signal,
		  GVariant *params,
		  gpointer user_data)
{
	RbJobWatch *watch = user_data;
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
rb_watch_on_removed(GDBusConnection *connection,
		    const gchar *sender,
		    const gchar *path,
		    const gchar *interface,
		    const gchar *signal,
		    GVariant *params,
		    gpointer user_data)
{
	RbJobWatch *watch = user_data;
	const gchar *object = NULL;
	g_autofree const gchar **interfaces = NULL;

	g_variant_get(params, "(&o^a&s)", &object, &interfaces);
	if (g_strcmp0(object, watch->path) == 0 &&
	    g_strv_contains((const gchar *const *)interfaces, RB_JOB_IFACE))
		watch->removed = TRUE;
}

static void
rb_watch_on_changed(GDBusConnection *connection,
		    const gchar *sender,
		    const gchar *path,
		    const gchar *interface,
		    const gchar *signal,
		    GVariant *params,
		    gpointer user_data)
{
	RbJobWatch *watch = user_data;
	g_autoptr(GVariant) changed = NULL;
	gdouble progress = 0;
	guint64 number = 0;

	if (g_strcmp0(path, watch->path) != 0)
		return;
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
rb_watch_on_completed(GDBusConnection *connection,
		      const gchar *sender,
		      const gchar *path,
		      const gchar *interface,
		      const gchar *signal,
		      GVariant *params,
		      gpointer user_data)
{
	RbJobWatch *watch = user_data;

	if (g_strcmp0(path, watch->path) != 0 || watch->completed)
		return;
	g_variant_get(params, "(bs)", &watch->success, &watch->message);
	watch->completed = TRUE;
}

RbJobWatch *
rb_watch_new(GDBusConnection *connection)
{
	RbJobWatch *watch = g_new0(RbJobWatch, 1);

	watch->connection = g_object_ref(connection);
	watch->added_id = g_dbus_connection_signal_subscribe(connection,
							     RB_DBUS_NAME,
							     "org.freedesktop.DBus.ObjectManager",
							     "InterfacesAdded",
							     RB_DBUS_ROOT_PATH,
							     NULL,
							     G_DBUS_SIGNAL_FLAGS_NONE,
							     rb_watch_on_added,
							     watch,
							     NULL);
	watch->removed_id = g_dbus_connection_signal_subscribe(connection,
							       RB_DBUS_NAME,
							       "org.freedesktop.DBus.ObjectManager",
							       "InterfacesRemoved",
							       RB_DBUS_ROOT_PATH,
							       NULL,
							       G_DBUS_SIGNAL_FLAGS_NONE,
							       rb_watch_on_removed,
							       watch,
							       NULL);
	watch->changed_id = g_dbus_connection_signal_subscribe(connection,
							       RB_DBUS_NAME,
							       "org.freedesktop.DBus.Properties",
							       "PropertiesChanged",
							       NULL,
							       RB_JOB_IFACE,
							       G_DBUS_SIGNAL_FLAGS_NONE,
							       rb_watch_on_changed,
							       watch,
							       NULL);
	watch->completed_id = g_dbus_connection_signal_subscribe(connection,
								 RB_DBUS_NAME,
								 RB_JOB_IFACE,
								 "Completed",
								 NULL,
								 NULL,
								 G_DBUS_SIGNAL_FLAGS_NONE,
								 rb_watch_on_completed,
								 watch,
								 NULL);
	return watch;
}

void
rb_watch_free(RbJobWatch *watch)
{
	rb_test_signal_unsubscribe(watch->connection, watch->added_id);
	rb_test_signal_unsubscribe(watch->connection, watch->removed_id);
	rb_test_signal_unsubscribe(watch->connection, watch->changed_id);
	rb_test_signal_unsubscribe(watch->connection, watch->completed_id);
	g_object_unref(watch->connection);
	g_free(watch->path);
	g_clear_pointer(&watch->added, g_variant_unref);
	g_free(watch->operation);
	g_free(watch->message);
	g_free(watch);
}

void
rb_watch_wait_for_job(RbJobWatch *watch)
{
	gint64 deadline = g_get_monotonic_time() + RB_TEST_TIMEOUT_SECONDS * G_USEC_PER_SEC / 2;

	while (watch->path == NULL) {
		ck_assert_msg(g_get_monotonic_time() < deadline, "no job appeared");
		g_main_context_iteration(NULL, TRUE);
	}
}
