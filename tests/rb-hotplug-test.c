/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the tests of the emulated /dev/sr0 over the bus share
 * (rb-hotplug-test.h).
 */
#include "config.h"

#include <gio/gunixfdlist.h>
#include <string.h>
#include <unistd.h>

#include "rb-cd-sector.h"
#include "rb-error.h"
#include "rb-hotplug-test.h"
#include "rb-test-client.h"
#include "rb-test-tools.h"

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

void
rb_hotplug_test_set(RbTestService *service,
		    const gchar *interface,
		    const gchar *property,
		    GVariant *value)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply =
		g_dbus_connection_call_sync(service->connection,
					    RB_DBUS_NAME,
					    RB_SR0,
					    "org.freedesktop.DBus.Properties",
					    "Set",
					    g_variant_new("(ssv)", interface, property, value),
					    NULL,
					    G_DBUS_CALL_FLAGS_NONE,
					    -1,
					    NULL,
					    &error);

	ck_assert_msg(reply != NULL, "%s", error ? error->message : "");
}

void
rb_hotplug_test_assert_call(RbTestService *service, const gchar *method)
{
	g_autofree gchar *failure = rb_hotplug_test_call(service, method, NULL);

	ck_assert_msg(failure == NULL, "%s: %s", method, failure);
}

GError *
rb_hotplug_test_call_fd(RbTestService *service, const gchar *method, GVariant *params, gint fd)
{
	g_autoptr(GUnixFDList) fds = rb_test_fd_list_new(fd);
	g_autoptr(GVariant) reply = NULL;
	GError *error = NULL;

	ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
	reply = g_dbus_connection_call_with_unix_fd_list_sync(service->connection,
							      RB_DBUS_NAME,
							      RB_SR0,
							      RB_FORMAT,
							      method,
							      params,
							      NULL,
							      G_DBUS_CALL_FLAGS_NONE,
							      G_MAXINT,
							      fds,
							      NULL,
							      NULL,
							      &error);
	return error;
}

void
rb_hotplug_test_write_media(RbTestService *service, RbDaoStream *stream)
{
	gint fd = rb_test_stream_to_file(stream);
	g_autoptr(GError) error =
		rb_hotplug_test_call_fd(service, "WriteMedia", g_variant_new("(h)", 0), fd);

	close(fd);
	ck_assert_msg(error == NULL, "WriteMedia: %s", error ? error->message : "");
}

RbDaoStream *
rb_hotplug_test_stream_new(guint sector_type)
{
	const RbDaoTrack tracks[] = {{0, 300}};
	g_autoptr(GError) error = NULL;
	RbDaoStream *stream = rb_dao_stream_new(
		-22650, tracks, 1, sector_type, rb_hotplug_test_pattern_main, NULL, NULL, &error);

	ck_assert_msg(stream != NULL, "%s", error ? error->message : "");
	return stream;
}

guint
rb_hotplug_test_sg_raw_disc_status(void)
{
	const gchar *const argv[] = {"sg_raw",
				     "-r",
				     "34",
				     "/dev/sr0",
				     "51",
				     "00",
				     "00",
				     "00",
				     "00",
				     "00",
				     "00",
				     "00",
				     "22",
				     "00",
				     NULL};
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_auto(GStrv) lines = NULL;

	rb_test_require_program("sg_raw");
	ck_assert_msg(rb_test_run_in(NULL, argv, NULL, &out, &err) == 0, "sg_raw: %s%s", out, err);
	/* the data follows "Received 34 bytes of data:" as " 00     00 20 0e 01 …" */
	lines = g_strsplit(err != NULL && strstr(err, "Received") != NULL ? err : out, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		g_auto(GStrv) fields = NULL;
		guint n = 0;

		if (!g_str_has_prefix(g_strstrip(lines[i]), "00 "))
			continue;
		/* "00", "", …, then the bytes: skip the offset and empty fields */
		fields = g_strsplit_set(lines[i], " ", -1);
		for (guint f = 1; fields[f] != NULL; f++) {
			if (fields[f][0] == '\0')
				continue;
			if (n++ == 2)
				return (guint)g_ascii_strtoull(fields[f], NULL, 16) & 0x03;
		}
	}
	ck_abort_msg("no disc information in sg_raw's output: %s%s", out, err);
	return G_MAXUINT;
}

gboolean
rb_hotplug_test_pattern_main(gint32 lba, guint8 *main_data, gpointer user_data, GError **error)
{
	for (guint i = 0; i < RB_CD_MAIN_SIZE; i++)
		main_data[i] = (guint8)(lba * 5 + i);
	return TRUE;
}
