/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The calls of rb-test-client.h. Each client has its own connection, so a
 * test can play several applications, or one that leaves the bus.
 */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include "rb-error.h"
#include "rb-test-client.h"

RbTestClient *
rb_test_client_new(RbTestService *service)
{
	g_autoptr(GError) error = NULL;
	RbTestClient *client = g_new0(RbTestClient, 1);

	client->connection = g_dbus_connection_new_for_address_sync(
		service->bus_address,
		G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
			G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
		NULL,
		NULL,
		&error);
	ck_assert_msg(client->connection != NULL, "%s", error ? error->message : "");
	g_dbus_connection_set_exit_on_close(client->connection, FALSE);
	return client;
}

void
rb_test_client_free(RbTestClient *client)
{
	if (client == NULL)
		return;
	if (client->connection != NULL) {
		g_dbus_connection_close_sync(client->connection, NULL, NULL);
		g_object_unref(client->connection);
	}
	g_free(client);
}

const gchar *
rb_test_client_get_name(RbTestClient *client)
{
	return g_dbus_connection_get_unique_name(client->connection);
}

gchar *
rb_test_call_on(GDBusConnection *connection,
		const gchar *path,
		const gchar *interface,
		const gchar *method,
		GVariant *params,
		GUnixFDList *fds,
		gchar **message)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply =
		g_dbus_connection_call_with_unix_fd_list_sync(connection,
							      RB_DBUS_NAME,
							      path,
							      interface,
							      method,
							      params,
							      NULL,
							      G_DBUS_CALL_FLAGS_NONE,
							      RB_TEST_TIMEOUT_SECONDS * 1000,
							      fds,
							      NULL,
							      NULL,
							      &error);

	if (reply != NULL)
		return NULL;
	if (message != NULL)
		*message = g_strdup(error->message);
	return g_dbus_error_is_remote_error(error) ? g_dbus_error_get_remote_error(error)
						   : g_strdup(error->message);
}

gchar *
rb_test_client_call(RbTestClient *client,
		    const gchar *path,
		    const gchar *interface,
		    const gchar *method,
		    GVariant *params,
		    GUnixFDList *fds,
		    gchar **message)
{
	return rb_test_call_on(client->connection, path, interface, method, params, fds, message);
}

gchar *
rb_test_client_call_with_fd(RbTestClient *client,
			    const gchar *path,
			    const gchar *interface,
			    const gchar *method,
			    GVariant *params,
			    gint fd,
			    gchar **message)
{
	g_autoptr(GUnixFDList) fds = fd >= 0 ? rb_test_fd_list_new(fd) : NULL;

	return rb_test_client_call(client, path, interface, method, params, fds, message);
}

void
rb_test_client_assert_call(RbTestClient *client,
			   const gchar *path,
			   const gchar *interface,
			   const gchar *method,
			   GVariant *params,
			   gint fd)
{
	g_autofree gchar *message = NULL;
	g_autofree gchar *error =
		rb_test_client_call_with_fd(client, path, interface, method, params, fd, &message);

	ck_assert_msg(error == NULL, "%s.%s: %s %s", interface, method, error, message);
}

/* a call that must succeed */
GVariant *
rb_test_client_call_reply(RbTestClient *client,
			  const gchar *path,
			  const gchar *interface,
			  const gchar *method,
			  GVariant *params)
{
	g_autoptr(GError) error = NULL;
	GVariant *reply = g_dbus_connection_call_sync(client->connection,
						      RB_DBUS_NAME,
						      path,
						      interface,
						      method,
						      params,
						      NULL,
						      G_DBUS_CALL_FLAGS_NONE,
						      RB_TEST_TIMEOUT_SECONDS * 1000,
						      NULL,
						      &error);

	ck_assert_msg(reply != NULL, "%s.%s: %s", interface, method, error ? error->message : "");
	return reply;
}

GVariant *
rb_test_get_property(GDBusConnection *connection,
		     const gchar *path,
		     const gchar *interface,
		     const gchar *property)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply =
		g_dbus_connection_call_sync(connection,
					    RB_DBUS_NAME,
					    path,
					    "org.freedesktop.DBus.Properties",
					    "Get",
					    g_variant_new("(ss)", interface, property),
					    G_VARIANT_TYPE("(v)"),
					    G_DBUS_CALL_FLAGS_NONE,
					    RB_TEST_TIMEOUT_SECONDS * 1000,
					    NULL,
					    &error);
	GVariant *value = NULL;

	ck_assert_msg(reply != NULL, "%s.%s: %s", interface, property, error ? error->message : "");
	g_variant_get(reply, "(v)", &value);
	return value;
}

GVariant *
rb_test_client_get(RbTestClient *client,
		   const gchar *path,
		   const gchar *interface,
		   const gchar *property)
{
	return rb_test_get_property(client->connection, path, interface, property);
}

/*
 * Waits until @property equals @expected (floating, consumed): what a
 * write changed on the medium is read again after the reply, so a
 * property may take a moment to follow
 */
void
rb_test_client_wait_for_property(RbTestClient *client,
				 const gchar *path,
				 const gchar *interface,
				 const gchar *property,
				 GVariant *expected)
{
	g_autoptr(GVariant) want = g_variant_ref_sink(expected);
	gint64 deadline = g_get_monotonic_time() + RB_TEST_TIMEOUT_SECONDS * G_USEC_PER_SEC / 2;

	for (;;) {
		g_autoptr(GVariant) value = rb_test_client_get(client, path, interface, property);

		if (value != NULL && g_variant_equal(value, want))
			return;
		ck_assert_msg(g_get_monotonic_time() < deadline,
			      "%s.%s never became %s",
			      interface,
			      property,
			      g_variant_print(want, FALSE));
		g_usleep(10 * 1000);
	}
}

gchar *
rb_test_client_set(RbTestClient *client,
		   const gchar *path,
		   const gchar *interface,
		   const gchar *property,
		   GVariant *value,
		   gchar **message)
{
	return rb_test_client_call(client,
				   path,
				   "org.freedesktop.DBus.Properties",
				   "Set",
				   g_variant_new("(ssv)", interface, property, value),
				   NULL,
				   message);
}

/* the drive's properties come once it answered */
void
rb_test_client_wait_for_drive(RbTestClient *client, const gchar *path)
{
	gint64 deadline = g_get_monotonic_time() + RB_TEST_TIMEOUT_SECONDS * G_USEC_PER_SEC / 2;

	for (;;) {
		g_autoptr(GVariant) types =
			rb_test_client_get(client, path, RB_TEST_FORMAT, "SupportedSectorTypes");
		if (g_variant_n_children(types) > 0)
			return;
		ck_assert_msg(g_get_monotonic_time() < deadline, "%s never answered", path);
		g_usleep(20 * 1000);
	}
}

GVariant *
rb_test_client_get_objects(RbTestClient *client)
{
	g_autoptr(GVariant) reply = rb_test_client_call_reply(client,
							      RB_DBUS_ROOT_PATH,
							      "org.freedesktop.DBus.ObjectManager",
							      "GetManagedObjects",
							      NULL);

	return g_variant_get_child_value(reply, 0);
}

gchar *
rb_test_client_find_job(RbTestClient *client, const gchar *recorder)
{
	g_autoptr(GVariant) objects = rb_test_client_get_objects(client);
	GVariantIter iter;
	const gchar *path;
	GVariant *interfaces;

	g_variant_iter_init(&iter, objects);
	while (g_variant_iter_next(&iter, "{&o@a{sa{sv}}}", &path, &interfaces)) {
		g_autoptr(GVariant) owned = interfaces;
		g_autoptr(GVariant) job =
			g_variant_lookup_value(owned, RB_JOB_IFACE, G_VARIANT_TYPE_VARDICT);
		g_autofree const gchar **on = NULL;

		if (job != NULL && g_variant_lookup(job, "Objects", "^a&o", &on) &&
		    g_strv_contains((const gchar *const *)on, recorder))
			return g_strdup(path);
	}
	return NULL;
}

gchar *
rb_test_client_call_fd(RbTestClient *client,
		       const gchar *path,
		       const gchar *method,
		       gint fd,
		       const gchar *options,
		       gchar **message)
{
	g_autoptr(GUnixFDList) fds = rb_test_fd_list_new(fd);
	g_autoptr(GVariant) dict =
		g_variant_parse(G_VARIANT_TYPE_VARDICT, options, NULL, NULL, NULL);

	ck_assert_msg(dict != NULL, "not an a{sv}: %s", options);
	ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
	return rb_test_client_call(client,
				   path,
				   RB_TEST_FORMAT,
				   method,
				   g_variant_new("(h@a{sv})", 0, dict),
				   fds,
				   message);
}

void
rb_test_client_assert_call_fd_ok(
	RbTestClient *client, const gchar *path, const gchar *method, gint fd, const gchar *options)
{
	gchar *message = NULL;

	rb_test_assert_ok(rb_test_client_call_fd(client, path, method, fd, options, &message),
			  &message);
}

void
rb_test_client_assert_call_fd_fails(RbTestClient *client,
				    const gchar *path,
				    const gchar *method,
				    gint fd,
				    const gchar *options,
				    const gchar *want,
				    const gchar *text)
{
	gchar *message = NULL;

	rb_test_assert_error(rb_test_client_call_fd(client, path, method, fd, options, &message),
			     &message,
			     want,
			     text);
}

void
rb_test_client_set_faults(RbTestClient *client, const gchar *path, const gchar *faults)
{
	g_autoptr(GVariant) value = g_variant_parse(NULL, faults, NULL, NULL, NULL);
	g_autofree gchar *message = NULL;
	g_autofree gchar *error = NULL;

	ck_assert_msg(value != NULL, "not a GVariant: %s", faults);
	error = rb_test_client_set(client, path, RB_TEST_VIRTUAL, "Faults", value, &message);
	ck_assert_msg(error == NULL, "%s", message);
}

void
rb_test_assert_ok(gchar *error_name, gchar **message)
{
	ck_assert_msg(error_name == NULL, "%s: %s", error_name, *message);
	g_clear_pointer(message, g_free);
}

void
rb_test_assert_error(gchar *error_name, gchar **message, const gchar *want, const gchar *text)
{
	ck_assert_msg(error_name != NULL, "succeeded, wanted %s", want);
	ck_assert_msg(
		want == NULL || g_strcmp0(error_name, want) == 0, "%s: %s", error_name, *message);
	ck_assert_msg(
		text == NULL || strstr(*message, text) != NULL, "“%s” not in: %s", text, *message);
	g_free(error_name);
	g_clear_pointer(message, g_free);
}

void
rb_test_update_parse(GVariant *params, RbTestUpdate *update)
{
	g_variant_get(params,
		      "(uiiiiiiiii)",
		      &update->action,
		      &update->elapsed,
		      &update->remaining,
		      &update->start_lba,
		      &update->sector_count,
		      &update->last_read,
		      &update->last_written,
		      &update->fifo_total,
		      &update->fifo_used,
		      &update->fifo_free);
}

static void
rb_test_pending_done(GObject *source, GAsyncResult *result, gpointer user_data)
{
	RbTestPending *pending = user_data;
	g_autoptr(GError) error = NULL;

	pending->reply = g_dbus_connection_call_with_unix_fd_list_finish(
		G_DBUS_CONNECTION(source), NULL, result, &error);
	if (pending->reply == NULL) {
		/* a name a test can compare: GIO's message for it is translated */
		if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
			pending->error_name = g_strdup("timeout");
		else
			pending->error_name = g_dbus_error_is_remote_error(error)
						      ? g_dbus_error_get_remote_error(error)
						      : g_strdup(error->message);
		pending->message = g_strdup(error->message);
	}
	pending->done = TRUE;
}

void
rb_test_client_call_async_timeout(RbTestClient *client,
				  const gchar *path,
				  const gchar *interface,
				  const gchar *method,
				  GVariant *params,
				  GUnixFDList *fds,
				  gint timeout_msec,
				  RbTestPending *pending)
{
	memset(pending, 0, sizeof(*pending));
	g_dbus_connection_call_with_unix_fd_list(client->connection,
						 RB_DBUS_NAME,
						 path,
						 interface,
						 method,
						 params,
						 NULL,
						 G_DBUS_CALL_FLAGS_NONE,
						 timeout_msec,
						 fds,
						 NULL,
						 rb_test_pending_done,
						 pending);
}

void
rb_test_client_call_async(RbTestClient *client,
			  const gchar *path,
			  const gchar *interface,
			  const gchar *method,
			  GVariant *params,
			  GUnixFDList *fds,
			  RbTestPending *pending)
{
	/* a burn may take long: only the test's own timeout ends the wait */
	rb_test_client_call_async_timeout(
		client, path, interface, method, params, fds, G_MAXINT, pending);
}

void
rb_test_iterate_until(gboolean *flag)
{
	gint64 deadline = g_get_monotonic_time() + RB_TEST_TIMEOUT_SECONDS * G_USEC_PER_SEC / 2;

	while (!*flag) {
		ck_assert_msg(g_get_monotonic_time() < deadline, "timed out waiting for a reply");
		g_main_context_iteration(NULL, FALSE);
		g_usleep(1000);
	}
}

void
rb_test_pending_wait(RbTestPending *pending)
{
	rb_test_iterate_until(&pending->done);
}

void
rb_test_pending_clear(RbTestPending *pending)
{
	g_clear_pointer(&pending->error_name, g_free);
	g_clear_pointer(&pending->message, g_free);
	g_clear_pointer(&pending->reply, g_variant_unref);
	pending->done = FALSE;
}

void
rb_test_pending_assert_ok(RbTestPending *pending)
{
	rb_test_pending_wait(pending);
	ck_assert_msg(pending->error_name == NULL, "%s: %s", pending->error_name, pending->message);
	rb_test_pending_clear(pending);
}

void
rb_test_pending_assert_error(RbTestPending *pending, const gchar *want)
{
	rb_test_pending_wait(pending);
	ck_assert_str_eq(pending->error_name, want);
	rb_test_pending_clear(pending);
}

GUnixFDList *
rb_test_fd_list_new(gint fd)
{
	GUnixFDList *fds = g_unix_fd_list_new();

	ck_assert_int_ge(g_unix_fd_list_append(fds, fd, NULL), 0);
	return fds;
}

guint64
rb_test_report_number(GVariant *report, const gchar *key)
{
	g_autoptr(GVariant) value = g_variant_lookup_value(report, key, NULL);

	ck_assert_msg(value != NULL, "ValidationReport has no %s", key);
	if (g_variant_is_of_type(value, G_VARIANT_TYPE_UINT64))
		return g_variant_get_uint64(value);
	if (g_variant_is_of_type(value, G_VARIANT_TYPE_UINT32))
		return g_variant_get_uint32(value);
	if (g_variant_is_of_type(value, G_VARIANT_TYPE_INT32))
		return (guint64)(gint64)g_variant_get_int32(value);
	ck_abort_msg("%s has type %s", key, g_variant_get_type_string(value));
	return 0;
}

void
rb_test_assert_report_clean(GVariant *report)
{
	/* every counter of a finding; PlainQCrc counts what the drive mended */
	const gchar *const counters[] = {
		"BadQCrc",
		"PlainQCrc",
		"AddressMismatches",
		"TocMismatches",
		"TocShortRuns",
		"RelativeTimeMismatches",
		"SequenceErrors",
		"PChannelMismatches",
		"McnIsrcErrors",
		"CdTextCrcErrors",
	};
	g_autoptr(GVariant) problems =
		g_variant_lookup_value(report, "FirstProblems", G_VARIANT_TYPE("aa{sv}"));

	for (guint i = 0; i < G_N_ELEMENTS(counters); i++)
		ck_assert_msg(rb_test_report_number(report, counters[i]) == 0,
			      "%s is not 0",
			      counters[i]);
	ck_assert_msg(problems != NULL && g_variant_n_children(problems) == 0,
		      "the report lists problems");
}

/*
 * Ends a signal subscription and dispatches what was already queued for it:
 * GDBus delivers each signal through an idle source in the subscriber's main
 * context, holding the message and the connection. Left undispatched, they
 * outlive the test and LeakSanitizer reports them; once unsubscribed they
 * are dropped without calling back, and no new ones are queued.
 */
void
rb_test_signal_unsubscribe(GDBusConnection *connection, guint subscription)
{
	g_dbus_connection_signal_unsubscribe(connection, subscription);
	while (g_main_context_iteration(NULL, FALSE))
		;
}
