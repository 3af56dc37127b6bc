/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the tests of the emulated /dev/sr0 over the bus share
 * (rb-hotplug-test.h).
 */
#include "config.h"

#include "rb-cd-sector.h"
#include "rb-error.h"
#include "rb-hotplug-test.h"

GVariant *
rb_hotplug_test_get(RbTestService *service, const gchar *interface, const gchar *property)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply =
		g_dbus_connection_call_sync(service->connection,
					    RB_DBUS_NAME,
					    RB_SR0,
					    "org.freedesktop.DBus.Properties",
					    "Get",
					    g_variant_new("(ss)", interface, property),
					    G_VARIANT_TYPE("(v)"),
					    G_DBUS_CALL_FLAGS_NONE,
					    -1,
					    NULL,
					    &error);
	GVariant *value = NULL;

	if (reply == NULL)
		return NULL;
	g_variant_get(reply, "(v)", &value);
	return value;
}

/* waits until @property of sr0 equals @expected (NULL: until sr0 is gone) */
void
rb_hotplug_test_wait_for(RbTestService *service,
			 const gchar *interface,
			 const gchar *property,
			 GVariant *expected)
{
	g_autoptr(GVariant) want = expected != NULL ? g_variant_ref_sink(expected) : NULL;
	gint64 deadline = g_get_monotonic_time() + RB_TEST_TIMEOUT_SECONDS * G_USEC_PER_SEC / 2;

	for (;;) {
		g_autoptr(GVariant) value = rb_hotplug_test_get(service, interface, property);
		if (want == NULL ? value == NULL : (value != NULL && g_variant_equal(value, want)))
			return;
		ck_assert_msg(g_get_monotonic_time() < deadline,
			      "%s of sr0 never became %s",
			      property,
			      want != NULL ? g_variant_print(want, FALSE) : "gone");
		g_usleep(20 * 1000);
	}
}

gchar *
rb_hotplug_test_call(RbTestService *service, const gchar *method, GVariant *params)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = g_dbus_connection_call_sync(service->connection,
								RB_DBUS_NAME,
								RB_SR0,
								RB_FORMAT,
								method,
								params,
								NULL,
								G_DBUS_CALL_FLAGS_NONE,
								G_MAXINT,
								NULL,
								&error);
	return reply != NULL ? NULL : g_strdup(error->message);
}

gboolean
rb_hotplug_test_pattern_main(gint32 lba, guint8 *main_data, gpointer user_data, GError **error)
{
	for (guint i = 0; i < RB_CD_MAIN_SIZE; i++)
		main_data[i] = (guint8)(lba * 5 + i);
	return TRUE;
}
