/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The TestWrite property and Burn option over the bus, on virtual CD-R and
 * CD-RW recorders: per client, of type b only, used by WriteMedia2 after
 * PrepareMedia, not changed by its holder while it writes, and checked like
 * its neighbours. A recorder that claims no test writing refuses a
 * simulation with TestWriteNotSupported before anything is written. The
 * simulated burns themselves are in test-test-write-burn.c.
 */
#include "config.h"

#include <gio/gunixfdlist.h>
#include <string.h>
#include <unistd.h>

#include "rb-dao-stream.h"
#include "rb-error.h"
#include "rb-test-client.h"
#include "rb-test-service.h"
#include "rb-test-tools.h"
#include "rb-test-write-test.h"

#define RB_V0 RB_DBUS_RECORDERS_PATH "/virtual0"
#define RB_V1 RB_DBUS_RECORDERS_PATH "/virtual1"
#define RB_NOT_SUPPORTED RB_TEST_ERROR("TestWriteNotSupported")

/* the recorder's PropertiesChanged signals one connection received */
static void
rb_on_properties_changed(GDBusConnection *connection,
			 const gchar *sender,
			 const gchar *path,
			 const gchar *interface,
			 const gchar *signal,
			 GVariant *params,
			 gpointer user_data)
{
	guint *count = user_data;
	g_autoptr(GVariant) changed = g_variant_get_child_value(params, 1);
	g_autoptr(GVariant) value = g_variant_lookup_value(changed, "TestWrite", NULL);

	if (value != NULL)
		(*count)++;
}

/* @client's TestWrite on @path set to @value; fails the test unless taken */
static void
rb_set_test_write(RbTestClient *client, const gchar *path, gboolean value)
{
	g_autofree gchar *failed = rb_test_client_set(
		client, path, RB_TEST_FORMAT, "TestWrite", g_variant_new_boolean(value), NULL);

	ck_assert_msg(failed == NULL, "%s", failed);
}

/* @stream in a fresh file, as the one fd of a call */
static GUnixFDList *
rb_stream_fds(RbDaoStream *stream)
{
	gint fd = rb_test_stream_to_file(stream);
	GUnixFDList *fds = rb_test_fd_list_new(fd);

	close(fd);
	return fds;
}

/*
 * The property: per client (another connection still reads false and
 * hears nothing of it), of type b only, and used by WriteMedia2 after
 * PrepareMedia as IMAPI's properties are.
 */
START_TEST(test_test_write_property)
{
	const gchar *const args[] = {"--virtual-recorder", "media=cd-r-80,realtime=false", NULL};
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(RbTestClient) a = NULL;
	g_autoptr(RbTestClient) b = NULL;
	g_autoptr(RbDaoStream) stream = rb_test_write_stream_new();
	g_autoptr(GUnixFDList) fds = NULL;
	g_autoptr(GVariant) value = NULL;
	g_autofree gchar *failed = NULL;
	g_autofree gchar *wrong = NULL;
	RbTestWriteUpdates updates;
	RbTestPending pending;
	guint heard_a = 0;
	guint heard_b = 0;
	guint sub_a;
	guint sub_b;

	rb_test_service_start_daemon(service, args);
	a = rb_test_client_new(service);
	b = rb_test_client_new(service);
	rb_test_client_wait_for_drive(a, RB_V0);
	sub_a = g_dbus_connection_signal_subscribe(a->connection,
						   RB_DBUS_NAME,
						   "org.freedesktop.DBus.Properties",
						   "PropertiesChanged",
						   RB_V0,
						   RB_TEST_FORMAT,
						   G_DBUS_SIGNAL_FLAGS_NONE,
						   rb_on_properties_changed,
						   &heard_a,
						   NULL);
	sub_b = g_dbus_connection_signal_subscribe(b->connection,
						   RB_DBUS_NAME,
						   "org.freedesktop.DBus.Properties",
						   "PropertiesChanged",
						   RB_V0,
						   RB_TEST_FORMAT,
						   G_DBUS_SIGNAL_FLAGS_NONE,
						   rb_on_properties_changed,
						   &heard_b,
						   NULL);

	value = rb_test_client_get(a, RB_V0, RB_TEST_FORMAT, "TestWrite");
	ck_assert(!g_variant_get_boolean(value));
	g_clear_pointer(&value, g_variant_unref);
	/* a wrong type is refused by its name, and changes nothing */
	wrong = rb_test_client_set(
		a, RB_V0, RB_TEST_FORMAT, "TestWrite", g_variant_new_string("yes"), NULL);
	ck_assert_str_eq(wrong, RB_TEST_INVALID_ARGS);
	g_clear_pointer(&wrong, g_free);
	wrong = rb_test_client_set(
		a, RB_V0, RB_TEST_FORMAT, "TestWrite", g_variant_new_uint32(1), NULL);
	ck_assert_str_eq(wrong, RB_TEST_INVALID_ARGS);
	/* set before PrepareMedia, as a client sets up its format object */
	rb_set_test_write(a, RB_V0, TRUE);
	value = rb_test_client_get(a, RB_V0, RB_TEST_FORMAT, "TestWrite");
	ck_assert(g_variant_get_boolean(value));
	g_clear_pointer(&value, g_variant_unref);
	value = rb_test_client_get(b, RB_V0, RB_TEST_FORMAT, "TestWrite");
	ck_assert(!g_variant_get_boolean(value));
	g_clear_pointer(&value, g_variant_unref);
	/* the Get calls above came after the signal: it has arrived if sent */
	while (g_main_context_iteration(NULL, FALSE))
		;
	ck_assert_uint_eq(heard_a, 1);
	ck_assert_uint_eq(heard_b, 0);

	/* PrepareMedia, then WriteMedia2: the caller's TestWrite applies */
	rb_test_write_updates_watch(&updates, a, RB_V0);
	rb_test_client_assert_call(a, RB_V0, RB_TEST_FORMAT, "PrepareMedia", NULL, -1);
	failed = rb_test_client_set(
		a, RB_V0, RB_TEST_FORMAT, "RequestedSectorType", g_variant_new_uint32(3), NULL);
	ck_assert_msg(failed == NULL, "%s", failed);
	fds = rb_stream_fds(stream);
	rb_test_client_call_async(a,
				  RB_V0,
				  RB_TEST_FORMAT,
				  "WriteMedia2",
				  g_variant_new("(hi)", 0, 22650),
				  fds,
				  &pending);
	rb_test_pending_wait(&pending);
	ck_assert_msg(pending.error_name == NULL, "WriteMedia2: %s", pending.message);
	rb_test_pending_clear(&pending);
	while (g_main_context_iteration(NULL, FALSE))
		;
	rb_test_write_updates_assert_whole_burn(&updates, rb_dao_stream_get_end_lba(stream));
	/* WriteMedia2 keeps the lock: the holder releases it */
	rb_test_client_assert_call(a, RB_V0, RB_TEST_FORMAT, "ReleaseMedia", NULL, -1);
	rb_test_write_assert_simulated(
		a, RB_V0, (guint64)(rb_dao_stream_get_end_lba(stream) + 11634));

	/* the other client, whose TestWrite is false, burns for real */
	failed = rb_test_write_burn(b, RB_V0, stream, "{'SectorType': <uint32 3>}");
	ck_assert_msg(failed == NULL, "%s", failed);
	rb_test_write_assert_burned(b, RB_V0, stream, -11634);

	rb_test_signal_unsubscribe(a->connection, sub_a);
	rb_test_signal_unsubscribe(b->connection, sub_b);
	rb_test_write_updates_clear(&updates);
	rb_test_service_stop_daemon(service);
}
END_TEST

/*
 * Not while this client writes: a slow simulation on a real-time drive
 * refuses its holder's change with WriteInProgress while another client
 * may still change its own; cancelled, the simulation leaves the disc
 * blank too.
 */
START_TEST(test_test_write_not_while_writing)
{
	const gchar *const args[] = {
		"--virtual-recorder", "media=cd-rw-80,speed=4,realtime=true", NULL};
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(RbTestClient) a = NULL;
	g_autoptr(RbTestClient) b = NULL;
	g_autoptr(RbDaoStream) stream = rb_test_write_stream_new();
	g_autoptr(GUnixFDList) fds = NULL;
	g_autofree gchar *failed = NULL;
	g_autofree gchar *refused = NULL;
	RbTestPending pending;
	RbTestWriteUpdates updates;
	gint64 deadline;

	rb_test_service_start_daemon(service, args);
	a = rb_test_client_new(service);
	b = rb_test_client_new(service);
	rb_test_client_wait_for_drive(a, RB_V0);
	rb_set_test_write(a, RB_V0, TRUE);
	rb_test_client_assert_call(a, RB_V0, RB_TEST_FORMAT, "PrepareMedia", NULL, -1);
	fds = rb_stream_fds(stream);
	rb_test_write_updates_watch(&updates, a, RB_V0);
	rb_test_client_call_async(
		a, RB_V0, RB_TEST_FORMAT, "WriteMedia", g_variant_new("(h)", 0), fds, &pending);
	/* until the drive has taken sectors: cd-rw-80's lead-in starts at -11077 */
	deadline = g_get_monotonic_time() + RB_TEST_TIMEOUT_SECONDS * G_USEC_PER_SEC / 2;
	while (updates.last_written < -11077) {
		ck_assert_msg(!pending.done, "the write ended: %s", pending.message);
		ck_assert_msg(g_get_monotonic_time() < deadline, "nothing was written");
		g_main_context_iteration(NULL, FALSE);
		g_usleep(5000);
	}
	rb_test_write_wait_for(
		a, RB_V0, RB_TEST_FORMAT, "WriteInProgress", g_variant_new_boolean(TRUE));

	refused = rb_test_client_set(
		a, RB_V0, RB_TEST_FORMAT, "TestWrite", g_variant_new_boolean(FALSE), NULL);
	ck_assert_str_eq(refused, RB_TEST_ERROR("WriteInProgress"));
	failed = rb_test_client_set(
		b, RB_V0, RB_TEST_FORMAT, "TestWrite", g_variant_new_boolean(TRUE), NULL);
	ck_assert_msg(failed == NULL, "another client's own value: %s", failed);

	rb_test_client_assert_call(a, RB_V0, RB_TEST_FORMAT, "CancelWrite", NULL, -1);
	rb_test_pending_wait(&pending);
	ck_assert_str_eq(pending.error_name, RB_TEST_ERROR("RequestCancelled"));
	rb_test_pending_clear(&pending);
	rb_test_client_assert_call(a, RB_V0, RB_TEST_FORMAT, "ReleaseMedia", NULL, -1);
	rb_test_write_wait_for(
		a, RB_V0, RB_TEST_FORMAT, "MediaPhysicallyBlank", g_variant_new_boolean(TRUE));
	{
		g_autoptr(GVariant) report =
			rb_test_client_get(a, RB_V0, RB_TEST_VIRTUAL, "ValidationReport");
		g_autoptr(GVariant) value =
			rb_test_client_get(a, RB_V0, RB_TEST_FORMAT, "TestWrite");

		ck_assert(rb_test_write_report_bool(report, "TestWrite"));
		ck_assert_uint_gt(rb_test_report_number(report, "SectorsWritten"), 0);
		ck_assert_uint_eq(rb_test_report_number(report, "SectorsRecorded"), 0);
		/* the refused change changed nothing */
		ck_assert(g_variant_get_boolean(value));
	}
	rb_test_write_updates_clear(&updates);
	rb_test_service_stop_daemon(service);
}
END_TEST

/*
 * A recorder without test writing (the spec key, and AddVirtualRecorder's
 * option): a simulation is refused by name before anything reaches the
 * disc, Burn's lock goes with it, the holder of WriteMedia2's keeps it,
 * and the same recorder then burns for real.
 */
START_TEST(test_test_write_not_supported)
{
	const gchar *const args[] = {
		"--virtual-recorder", "media=cd-r-80,realtime=false,test-write=false", NULL};
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(RbTestClient) client = NULL;
	g_autoptr(RbDaoStream) stream = rb_test_write_stream_new();
	g_autoptr(GVariant) added = NULL;
	g_autoptr(GUnixFDList) fds = NULL;
	g_autofree gchar *failed = NULL;
	g_autofree gchar *message = NULL;
	const gchar *const paths[] = {RB_V0, RB_V1};

	rb_test_service_start_daemon(service, args);
	client = rb_test_client_new(service);
	added = rb_test_client_call_reply(
		client,
		RB_DBUS_MANAGER_PATH,
		RB_TEST_MANAGER,
		"AddVirtualRecorder",
		g_variant_new_parsed("({'Media': <'cd-rw-74'>, 'Realtime': <false>, "
				     "'TestWrite': <false>},)"));
	ck_assert_str_eq(g_variant_get_type_string(added), "(o)");

	for (guint i = 0; i < G_N_ELEMENTS(paths); i++) {
		g_autoptr(GVariant) report = NULL;

		rb_test_client_wait_for_drive(client, paths[i]);
		g_clear_pointer(&failed, g_free);
		g_clear_pointer(&message, g_free);
		g_clear_object(&fds);
		fds = rb_stream_fds(stream);
		failed = rb_test_client_call(
			client,
			paths[i],
			RB_TEST_FORMAT,
			"Burn",
			g_variant_new_parsed(
				"(@h 0, {'TestWrite': <true>, 'SectorType': <uint32 3>})"),
			fds,
			&message);
		ck_assert_str_eq(failed, RB_NOT_SUPPORTED);
		ck_assert_msg(strstr(message, "0xC0AA06F3") != NULL, "%s", message);
		ck_assert_msg(strstr(message, "nothing was written") != NULL, "%s", message);
		/* Burn released what it prepared; nothing reached the drive */
		rb_test_write_assert_released(client, paths[i]);
		report = rb_test_client_get(client, paths[i], RB_TEST_VIRTUAL, "ValidationReport");
		ck_assert_uint_eq(rb_test_report_number(report, "SectorsWritten"), 0);
		rb_test_write_wait_for(client,
				       paths[i],
				       RB_TEST_FORMAT,
				       "MediaPhysicallyBlank",
				       g_variant_new_boolean(TRUE));
	}

	/* WriteMedia2 with the property: refused alike, the lock stays its holder's */
	g_clear_pointer(&failed, g_free);
	rb_set_test_write(client, RB_V0, TRUE);
	rb_test_client_assert_call(client, RB_V0, RB_TEST_FORMAT, "PrepareMedia", NULL, -1);
	g_clear_object(&fds);
	fds = rb_stream_fds(stream);
	failed = rb_test_client_call(client,
				     RB_V0,
				     RB_TEST_FORMAT,
				     "WriteMedia2",
				     g_variant_new("(hi)", 0, 22650),
				     fds,
				     NULL);
	ck_assert_str_eq(failed, RB_NOT_SUPPORTED);
	g_clear_pointer(&failed, g_free);
	{
		g_autoptr(GVariant) owner =
			rb_test_client_get(client, RB_V0, RB_TEST_RECORDER, "ExclusiveAccessOwner");
		g_autoptr(GVariant) writing =
			rb_test_client_get(client, RB_V0, RB_TEST_FORMAT, "WriteInProgress");
		ck_assert_str_ne(g_variant_get_string(owner, NULL), "");
		ck_assert(!g_variant_get_boolean(writing));
	}
	rb_test_client_assert_call(client, RB_V0, RB_TEST_FORMAT, "ReleaseMedia", NULL, -1);
	rb_test_write_assert_released(client, RB_V0);

	/* the daemon carries on, and the recorder burns without simulating */
	failed = rb_test_write_burn(
		client, RB_V0, stream, "{'SectorType': <uint32 3>, 'TestWrite': <false>}");
	ck_assert_msg(failed == NULL, "%s", failed);
	rb_test_write_assert_burned(client, RB_V0, stream, -11634);
	rb_test_service_stop_daemon(service);
}
END_TEST

/* the spec key and the option are checked like their neighbours */
START_TEST(test_test_write_bad_options)
{
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(RbTestClient) client = NULL;
	g_autoptr(RbDaoStream) stream = rb_test_write_stream_new();
	g_autofree gchar *failed = NULL;
	g_autofree gchar *message = NULL;
	g_autoptr(GUnixFDList) fds = rb_stream_fds(stream);

	rb_test_service_start_daemon(service, NULL);
	client = rb_test_client_new(service);
	failed = rb_test_client_call(client,
				     RB_DBUS_MANAGER_PATH,
				     RB_TEST_MANAGER,
				     "AddVirtualRecorder",
				     g_variant_new_parsed("({'TestWrite': <'no'>},)"),
				     NULL,
				     &message);
	ck_assert_str_eq(failed, RB_TEST_INVALID_ARGS);
	ck_assert_msg(strstr(message, "TestWrite (b)") != NULL, "%s", message);
	g_clear_pointer(&failed, g_free);
	g_clear_pointer(&message, g_free);
	g_variant_unref(
		rb_test_client_call_reply(client,
					  RB_DBUS_MANAGER_PATH,
					  RB_TEST_MANAGER,
					  "AddVirtualRecorder",
					  g_variant_new_parsed("({'Realtime': <false>},)")));
	rb_test_client_wait_for_drive(client, RB_V0);
	failed = rb_test_client_call(client,
				     RB_V0,
				     RB_TEST_FORMAT,
				     "Burn",
				     g_variant_new_parsed("(@h 0, {'TestWrite': <1>})"),
				     fds,
				     &message);
	ck_assert_str_eq(failed, RB_TEST_INVALID_ARGS);
	ck_assert_msg(strstr(message, "TestWrite") != NULL, "%s", message);
	g_clear_pointer(&failed, g_free);
	g_clear_pointer(&message, g_free);
	/* the unknown-option message lists it, and Verify */
	failed = rb_test_client_call(client,
				     RB_V0,
				     RB_TEST_FORMAT,
				     "Burn",
				     g_variant_new_parsed("(@h 0, {'Simulate': <true>})"),
				     fds,
				     &message);
	ck_assert_str_eq(failed, RB_TEST_INVALID_ARGS);
	ck_assert_msg(strstr(message, "TestWrite (b)") != NULL, "%s", message);
	ck_assert_msg(strstr(message, "Verify (b)") != NULL, "%s", message);
	rb_test_write_assert_released(client, RB_V0);
	rb_test_service_stop_daemon(service);
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("test-write");
	TCase *tc = tcase_create("test-write");

	tcase_set_timeout(tc, RB_TEST_TIMEOUT_SECONDS * 2);
	tcase_add_test(tc, test_test_write_property);
	tcase_add_test(tc, test_test_write_not_while_writing);
	tcase_add_test(tc, test_test_write_not_supported);
	tcase_add_test(tc, test_test_write_bad_options);
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
