/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * DiscFormat2RawCD on the bus: each connection's own state, IMAPI's state
 * machine with its exact errors, and the exclusive lock between clients,
 * which dies with its holder's connection.
 */
#include "config.h"

#include <fcntl.h>
#include <gio/gunixfdlist.h>
#include <unistd.h>

#include "rb-error.h"
#include "rb-test-client.h"
#include "rb-test-service.h"

#define RB_RECORDER RB_DBUS_RECORDERS_PATH "/virtual0"
#define RB_FORMAT "org.rawburn.RawBurn1.DiscFormat2RawCD"

static GDBusConnection *
rb_client_new(RbTestService *service)
{
	g_autoptr(GError) error = NULL;
	GDBusConnection *connection = g_dbus_connection_new_for_address_sync(
		service->bus_address,
		G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
			G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
		NULL,
		NULL,
		&error);

	ck_assert_msg(connection != NULL, "%s", error ? error->message : "");
	g_dbus_connection_set_exit_on_close(connection, FALSE);
	return connection;
}

/* calls a method; returns NULL on success, else the D-Bus error name and message */
static gchar *
rb_call(GDBusConnection *connection, const gchar *method, GVariant *params, gchar **message)
{
	return rb_test_call_on(connection, RB_RECORDER, RB_FORMAT, method, params, NULL, message);
}

static gchar *
rb_set(GDBusConnection *connection, const gchar *property, GVariant *value)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply =
		g_dbus_connection_call_sync(connection,
					    RB_DBUS_NAME,
					    RB_RECORDER,
					    "org.freedesktop.DBus.Properties",
					    "Set",
					    g_variant_new("(ssv)", RB_FORMAT, property, value),
					    NULL,
					    G_DBUS_CALL_FLAGS_NONE,
					    -1,
					    NULL,
					    &error);

	return reply != NULL ? NULL : g_dbus_error_get_remote_error(error);
}

static GVariant *
rb_get(GDBusConnection *connection, const gchar *interface, const gchar *property)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply =
		g_dbus_connection_call_sync(connection,
					    RB_DBUS_NAME,
					    RB_RECORDER,
					    "org.freedesktop.DBus.Properties",
					    "Get",
					    g_variant_new("(ss)", interface, property),
					    G_VARIANT_TYPE("(v)"),
					    G_DBUS_CALL_FLAGS_NONE,
					    -1,
					    NULL,
					    &error);
	GVariant *value = NULL;

	ck_assert_msg(reply != NULL, "Get %s: %s", property, error ? error->message : "");
	g_variant_get(reply, "(v)", &value);
	return value;
}

static gchar *
rb_get_owner(GDBusConnection *connection)
{
	g_autoptr(GVariant) owner =
		rb_get(connection, "org.rawburn.RawBurn1.Recorder", "ExclusiveAccessOwner");
	return g_variant_dup_string(owner, NULL);
}

#define rb_assert_ok(expr)                                                                         \
	G_STMT_START                                                                               \
	{                                                                                          \
		g_autofree gchar *_err = (expr);                                                   \
		ck_assert_msg(_err == NULL, "%s failed with %s", #expr, _err);                     \
	}                                                                                          \
	G_STMT_END

#define rb_assert_error(expr, name)                                                                \
	G_STMT_START                                                                               \
	{                                                                                          \
		g_autofree gchar *_err = (expr);                                                   \
		ck_assert_msg(                                                                     \
			g_strcmp0(_err, (name)) == 0, "%s gave %s, not %s", #expr, _err, (name));  \
	}                                                                                          \
	G_STMT_END

#define RB_ERR(name) "org.rawburn.RawBurn1.Error." name

/* the drive's properties are read once it answered, off the main loop */
static void
rb_wait_for_drive(GDBusConnection *connection)
{
	gint64 deadline = g_get_monotonic_time() + RB_TEST_TIMEOUT_SECONDS * G_USEC_PER_SEC / 2;

	for (;;) {
		g_autoptr(GVariant) types = rb_get(connection, RB_FORMAT, "SupportedSectorTypes");
		g_autoptr(GVariant) vendor =
			rb_get(connection, "org.rawburn.RawBurn1.Recorder", "VendorId");
		if (g_variant_n_children(types) > 0 ||
		    g_variant_get_string(vendor, NULL)[0] != '\0')
			return;
		ck_assert_msg(g_get_monotonic_time() < deadline, "the drive never answered");
		g_usleep(20 * 1000);
	}
}

START_TEST(test_recorder_drive_properties)
{
	g_autoptr(RbTestService) service =
		rb_test_service_new_with_recorder("media=cd-r-80,realtime=false");
	g_autoptr(GVariant) types = NULL;
	g_autoptr(GVariant) speeds = NULL;
	g_autoptr(GVariant) profiles = NULL;
	g_autoptr(GVariant) start = NULL;
	g_autoptr(GVariant) leadout = NULL;
	g_autoptr(GVariant) supported = NULL;
	gsize n = 0;
	const guint32 *values;

	rb_wait_for_drive(service->connection);
	types = rb_get(service->connection, RB_FORMAT, "SupportedSectorTypes");
	values = g_variant_get_fixed_array(types, &n, sizeof(guint32));
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(values[0], 1);
	ck_assert_uint_eq(values[2], 3);
	speeds = rb_get(service->connection, RB_FORMAT, "SupportedWriteSpeeds");
	ck_assert_uint_gt(g_variant_n_children(speeds), 3);
	profiles = rb_get(service->connection, "org.rawburn.RawBurn1.Recorder", "CurrentProfiles");
	values = g_variant_get_fixed_array(profiles, &n, sizeof(guint32));
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(values[0], 0x0009);
	start = rb_get(service->connection, RB_FORMAT, "StartOfNextSession");
	ck_assert_int_eq(g_variant_get_int32(start), -11634);
	leadout = rb_get(service->connection, RB_FORMAT, "LastPossibleStartOfLeadout");
	ck_assert_int_eq(g_variant_get_int32(leadout), 359849);
	supported = rb_get(service->connection, RB_FORMAT, "RecorderSupported");
	ck_assert(g_variant_get_boolean(supported));
	rb_test_service_stop_daemon(service);
}
END_TEST

/* what each client sets is its own */
START_TEST(test_recorder_per_client_state)
{
	g_autoptr(RbTestService) service =
		rb_test_service_new_with_recorder("media=cd-r-80,realtime=false");
	g_autoptr(GDBusConnection) a = rb_client_new(service);
	g_autoptr(GDBusConnection) b = rb_client_new(service);
	g_autoptr(GVariant) name_a = NULL;
	g_autoptr(GVariant) name_b = NULL;
	g_autoptr(GVariant) speed_a = NULL;
	g_autoptr(GVariant) speed_b = NULL;

	rb_assert_ok(rb_set(a, "ClientName", g_variant_new_string("Burner A")));
	rb_assert_error(rb_set(a, "ClientName", g_variant_new_string("")),
			RB_ERR("ClientNameIsNotValid"));
	rb_assert_error(rb_set(a, "ClientName", g_variant_new_string("no/slashes")),
			RB_ERR("ClientNameIsNotValid"));
	rb_assert_error(
		rb_set(b,
		       "ClientName",
		       g_variant_new_string(
			       "0123456789012345678901234567890123456789012345678901234567890123")),
		RB_ERR("ClientNameIsNotValid"));
	rb_assert_ok(rb_call(a, "SetWriteSpeed", g_variant_new("(ib)", 1800, TRUE), NULL));
	name_a = rb_get(a, RB_FORMAT, "ClientName");
	name_b = rb_get(b, RB_FORMAT, "ClientName");
	ck_assert_str_eq(g_variant_get_string(name_a, NULL), "Burner A");
	ck_assert_str_eq(g_variant_get_string(name_b, NULL), "");
	speed_a = rb_get(a, RB_FORMAT, "RequestedWriteSpeed");
	speed_b = rb_get(b, RB_FORMAT, "RequestedWriteSpeed");
	ck_assert_int_eq(g_variant_get_int32(speed_a), 1800);
	ck_assert_int_eq(g_variant_get_int32(speed_b), -1);
	rb_assert_error(rb_call(a, "SetWriteSpeed", g_variant_new("(ib)", -5, FALSE), NULL),
			"org.freedesktop.DBus.Error.InvalidArgs");
	rb_assert_error(rb_call(a, "SetWriteSpeed", g_variant_new("(ib)", 0, FALSE), NULL),
			"org.freedesktop.DBus.Error.InvalidArgs");
	rb_test_service_stop_daemon(service);
}
END_TEST

/* IMAPI's state machine before PrepareMedia */
START_TEST(test_recorder_not_prepared_errors)
{
	g_autoptr(RbTestService) service =
		rb_test_service_new_with_recorder("media=cd-r-80,realtime=false");
	g_autoptr(GUnixFDList) fds = g_unix_fd_list_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = NULL;
	g_autofree gchar *remote = NULL;

	rb_assert_error(rb_call(service->connection, "ReleaseMedia", NULL, NULL),
			RB_ERR("MediaIsNotPrepared"));
	rb_assert_error(rb_call(service->connection, "CancelWrite", NULL, NULL),
			RB_ERR("WriteNotInProgress"));
	rb_assert_error(rb_set(service->connection, "RequestedSectorType", g_variant_new_uint32(3)),
			RB_ERR("MediaIsNotPrepared"));
	rb_assert_error(rb_set(service->connection,
			       "BufferUnderrunFreeDisabled",
			       g_variant_new_boolean(TRUE)),
			RB_ERR("MediaIsNotPrepared"));
	g_unix_fd_list_append(fds, 0, NULL);
	reply = g_dbus_connection_call_with_unix_fd_list_sync(service->connection,
							      RB_DBUS_NAME,
							      RB_RECORDER,
							      RB_FORMAT,
							      "WriteMedia2",
							      g_variant_new("(hi)", 0, 22650),
							      NULL,
							      G_DBUS_CALL_FLAGS_NONE,
							      -1,
							      fds,
							      NULL,
							      NULL,
							      &error);
	ck_assert_ptr_null(reply);
	remote = g_dbus_error_get_remote_error(error);
	ck_assert_str_eq(remote, RB_ERR("MediaIsNotPrepared"));
	rb_test_service_stop_daemon(service);
}
END_TEST

/* PrepareMedia, the errors while prepared, and ReleaseMedia */
START_TEST(test_recorder_prepare_and_release)
{
	g_autoptr(RbTestService) service =
		rb_test_service_new_with_recorder("media=cd-rw-80,realtime=false");
	g_autoptr(GDBusConnection) a = rb_client_new(service);
	g_autoptr(GDBusConnection) b = rb_client_new(service);
	g_autofree gchar *owner = NULL;
	g_autofree gchar *message = NULL;
	g_autoptr(GVariant) type_a = NULL;
	g_autoptr(GVariant) type_b = NULL;
	g_autoptr(GVariant) bufe = NULL;
	g_autoptr(GVariant) current_speed = NULL;

	rb_wait_for_drive(a);
	rb_assert_ok(rb_set(a, "ClientName", g_variant_new_string("Burner A")));
	rb_assert_ok(rb_call(a, "PrepareMedia", NULL, NULL));
	owner = rb_get_owner(b);
	ck_assert_str_eq(owner, "Burner A");

	rb_assert_error(rb_call(a, "PrepareMedia", NULL, NULL), RB_ERR("MediaIsPrepared"));
	{
		g_autofree gchar *err = rb_call(b, "PrepareMedia", NULL, &message);
		ck_assert_str_eq(err, RB_ERR("Locked"));
		ck_assert_msg(strstr(message, "Burner A") != NULL, "%s", message);
		ck_assert_msg(strstr(message, "0xC0AA0210") != NULL, "%s", message);
	}
	rb_assert_error(rb_call(b, "ReleaseMedia", NULL, NULL), RB_ERR("MediaIsNotPrepared"));
	rb_assert_error(rb_set(a, "ClientName", g_variant_new_string("Other")),
			RB_ERR("MediaIsPrepared"));

	/* prepared: the sector type and BURN-Free are the holder's to set */
	rb_assert_ok(rb_set(a, "RequestedSectorType", g_variant_new_uint32(3)));
	rb_assert_error(rb_set(a, "RequestedSectorType", g_variant_new_uint32(7)),
			RB_ERR("DataBlockTypeNotSupported"));
	rb_assert_ok(rb_set(a, "BufferUnderrunFreeDisabled", g_variant_new_boolean(TRUE)));
	type_a = rb_get(a, RB_FORMAT, "RequestedSectorType");
	type_b = rb_get(b, RB_FORMAT, "RequestedSectorType");
	bufe = rb_get(a, RB_FORMAT, "BufferUnderrunFreeDisabled");
	ck_assert_uint_eq(g_variant_get_uint32(type_a), 3);
	ck_assert_uint_eq(g_variant_get_uint32(type_b), 2);
	ck_assert(g_variant_get_boolean(bufe));

	/* the holder's speed request reaches the drive at once: 1800 sectors/s = 24x */
	rb_assert_ok(rb_call(a, "SetWriteSpeed", g_variant_new("(ib)", 1800, FALSE), NULL));
	current_speed = rb_get(a, RB_FORMAT, "CurrentWriteSpeed");
	ck_assert_int_eq(g_variant_get_int32(current_speed), 1800);

	rb_assert_ok(rb_call(a, "ReleaseMedia", NULL, NULL));
	g_free(owner);
	owner = rb_get_owner(b);
	ck_assert_str_eq(owner, "");
	rb_assert_error(rb_call(a, "ReleaseMedia", NULL, NULL), RB_ERR("MediaIsNotPrepared"));
	/* the other client's turn */
	rb_assert_ok(rb_set(b, "ClientName", g_variant_new_string("Burner B")));
	rb_assert_ok(rb_call(b, "PrepareMedia", NULL, NULL));
	rb_assert_ok(rb_call(b, "ReleaseMedia", NULL, NULL));
	rb_test_service_stop_daemon(service);
}
END_TEST

/* without a ClientName, the caller's process name stands in */
START_TEST(test_recorder_default_client_name)
{
	g_autoptr(RbTestService) service =
		rb_test_service_new_with_recorder("media=cd-r-80,realtime=false");
	g_autofree gchar *owner = NULL;
	g_autofree gchar *comm = NULL;

	rb_wait_for_drive(service->connection);
	rb_assert_ok(rb_call(service->connection, "PrepareMedia", NULL, NULL));
	owner = rb_get_owner(service->connection);
	ck_assert(g_file_get_contents("/proc/self/comm", &comm, NULL, NULL));
	g_strstrip(comm);
	ck_assert_str_eq(owner, comm);
	rb_test_service_stop_daemon(service);
}
END_TEST

typedef struct {
	const gchar *spec;
	const gchar *error;
} RbPrepareRefusal;

static const RbPrepareRefusal rb_prepare_refusals[] = {
	{"media=none", RB_ERR("MediaNoMedia")},
};

START_TEST(test_recorder_prepare_refused)
{
	const RbPrepareRefusal *refusal = &rb_prepare_refusals[_i];
	g_autoptr(RbTestService) service = rb_test_service_new_with_recorder(refusal->spec);
	g_autoptr(GDBusConnection) other = rb_client_new(service);
	g_autofree gchar *owner = NULL;

	rb_assert_error(rb_call(service->connection, "PrepareMedia", NULL, NULL), refusal->error);
	/* the lock was not kept */
	owner = rb_get_owner(other);
	ck_assert_str_eq(owner, "");
	rb_assert_error(rb_call(other, "PrepareMedia", NULL, NULL), refusal->error);
	rb_test_service_stop_daemon(service);
}
END_TEST

/* a lock dies with its holder's connection */
START_TEST(test_recorder_holder_vanishes)
{
	g_autoptr(RbTestService) service =
		rb_test_service_new_with_recorder("media=cd-r-80,realtime=false");
	g_autoptr(GDBusConnection) holder = rb_client_new(service);
	g_autoptr(GDBusConnection) next = rb_client_new(service);
	gint64 deadline;

	rb_wait_for_drive(holder);
	rb_assert_ok(rb_set(holder, "ClientName", g_variant_new_string("Leaver")));
	rb_assert_ok(rb_call(holder, "PrepareMedia", NULL, NULL));
	rb_assert_error(rb_call(next, "PrepareMedia", NULL, NULL), RB_ERR("Locked"));
	g_dbus_connection_close_sync(holder, NULL, NULL);
	deadline = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;
	for (;;) {
		g_autofree gchar *owner = rb_get_owner(next);
		if (owner[0] == '\0')
			break;
		ck_assert_msg(g_get_monotonic_time() < deadline, "the lock outlived its holder");
		g_usleep(10 * 1000);
	}
	rb_assert_ok(rb_call(next, "PrepareMedia", NULL, NULL));
	rb_assert_ok(rb_call(next, "ReleaseMedia", NULL, NULL));
	rb_test_service_stop_daemon(service);
}
END_TEST

/* --- the VirtualRecorder controls --- */

static gchar *
rb_control(GDBusConnection *connection, const gchar *method, GVariant *params)
{
	return rb_test_call_on(
		connection, RB_RECORDER, RB_TEST_VIRTUAL, method, params, NULL, NULL);
}

/* waits until a property shows @expected (PropertiesChanged follows a re-read of the drive) */
static void
rb_wait_for_value(GDBusConnection *connection,
		  const gchar *interface,
		  const gchar *property,
		  GVariant *expected)
{
	g_autoptr(GVariant) want = g_variant_ref_sink(expected);
	gint64 deadline = g_get_monotonic_time() + RB_TEST_TIMEOUT_SECONDS * G_USEC_PER_SEC / 2;

	for (;;) {
		g_autoptr(GVariant) value = rb_get(connection, interface, property);
		if (g_variant_equal(value, want))
			return;
		ck_assert_msg(g_get_monotonic_time() < deadline,
			      "%s never became %s",
			      property,
			      g_variant_print(want, FALSE));
		g_usleep(20 * 1000);
	}
}

START_TEST(test_recorder_virtual_media)
{
	g_autoptr(RbTestService) service = rb_test_service_new_with_recorder("media=none");
	g_autoptr(GDBusConnection) holder = rb_client_new(service);

	rb_wait_for_drive(service->connection);
	rb_assert_error(
		rb_control(service->connection, "InsertMedia", g_variant_new("(s)", "floppy")),
		"org.freedesktop.DBus.Error.InvalidArgs");
	rb_assert_error(
		rb_control(service->connection, "InsertMedia", g_variant_new("(s)", "none")),
		"org.freedesktop.DBus.Error.InvalidArgs");
	rb_assert_ok(
		rb_control(service->connection, "InsertMedia", g_variant_new("(s)", "cd-rw-74")));
	rb_wait_for_value(service->connection,
			  "org.rawburn.RawBurn1.Recorder",
			  "MediaPresent",
			  g_variant_new_boolean(TRUE));
	rb_wait_for_value(service->connection,
			  RB_FORMAT,
			  "CurrentPhysicalMediaType",
			  g_variant_new_uint32(3));
	rb_wait_for_value(
		service->connection, RB_FORMAT, "StartOfNextSession", g_variant_new_int32(-12525));

	/* a prepared medium stays in */
	rb_assert_ok(rb_set(holder, "ClientName", g_variant_new_string("Holder")));
	rb_assert_ok(rb_call(holder, "PrepareMedia", NULL, NULL));
	rb_assert_error(rb_control(service->connection, "RemoveMedia", NULL), RB_ERR("Locked"));
	rb_assert_ok(rb_call(holder, "ReleaseMedia", NULL, NULL));
	rb_assert_ok(rb_control(service->connection, "RemoveMedia", NULL));
	rb_wait_for_value(service->connection,
			  "org.rawburn.RawBurn1.Recorder",
			  "MediaPresent",
			  g_variant_new_boolean(FALSE));
	rb_wait_for_value(service->connection,
			  RB_FORMAT,
			  "CurrentPhysicalMediaType",
			  g_variant_new_uint32(0));
	rb_test_service_stop_daemon(service);
}
END_TEST

START_TEST(test_recorder_virtual_faults_and_report)
{
	g_autoptr(RbTestService) service =
		rb_test_service_new_with_recorder("media=cd-r-80,realtime=false");
	g_autoptr(GVariant) faults = NULL;
	g_autoptr(GVariant) report = NULL;
	guint64 written = 99;
	gboolean complete = TRUE;

	rb_wait_for_drive(service->connection);
	{
		g_autoptr(GError) error = NULL;
		g_autoptr(GVariant) reply = g_dbus_connection_call_sync(
			service->connection,
			RB_DBUS_NAME,
			RB_RECORDER,
			"org.freedesktop.DBus.Properties",
			"Set",
			g_variant_new_parsed("('org.rawburn.RawBurn1.VirtualRecorder', 'Faults', "
					     "<{'WriteErrorAtLba': <int32 -100>, "
					     "'LongWriteSeconds': <uint32 3>}>)"),
			NULL,
			G_DBUS_CALL_FLAGS_NONE,
			-1,
			NULL,
			&error);
		ck_assert_msg(reply != NULL, "%s", error ? error->message : "");
	}
	faults = rb_get(service->connection, "org.rawburn.RawBurn1.VirtualRecorder", "Faults");
	ck_assert_uint_eq(g_variant_n_children(faults), 2);
	report = rb_get(
		service->connection, "org.rawburn.RawBurn1.VirtualRecorder", "ValidationReport");
	ck_assert(g_variant_lookup(report, "SectorsWritten", "t", &written));
	ck_assert(g_variant_lookup(report, "Complete", "b", &complete));
	ck_assert_uint_eq(written, 0);
	ck_assert(!complete);
	rb_test_service_stop_daemon(service);
}
END_TEST

static gchar *
rb_tray(GDBusConnection *connection, const gchar *method)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = g_dbus_connection_call_sync(connection,
								RB_DBUS_NAME,
								RB_RECORDER,
								"org.rawburn.RawBurn1.Recorder",
								method,
								NULL,
								NULL,
								G_DBUS_CALL_FLAGS_NONE,
								-1,
								NULL,
								&error);
	return reply != NULL ? NULL : g_dbus_error_get_remote_error(error);
}

/* EjectMedia and CloseTray move the tray; not while another client holds the medium */
START_TEST(test_recorder_eject_and_close)
{
	g_autoptr(RbTestService) service =
		rb_test_service_new_with_recorder("media=cd-r-80,realtime=false");
	g_autoptr(GDBusConnection) holder = rb_client_new(service);

	rb_wait_for_drive(service->connection);
	rb_assert_ok(rb_set(holder, "ClientName", g_variant_new_string("Holder")));
	rb_assert_ok(rb_call(holder, "PrepareMedia", NULL, NULL));
	rb_assert_error(rb_tray(service->connection, "EjectMedia"), RB_ERR("Locked"));
	rb_assert_error(rb_tray(service->connection, "CloseTray"), RB_ERR("Locked"));
	/* the holder moves its own medium (its lock prevented removal) */
	rb_assert_ok(rb_tray(holder, "EjectMedia"));
	rb_wait_for_value(service->connection,
			  "org.rawburn.RawBurn1.Recorder",
			  "MediaPresent",
			  g_variant_new_boolean(FALSE));
	rb_assert_ok(rb_tray(holder, "CloseTray"));
	rb_wait_for_value(service->connection,
			  "org.rawburn.RawBurn1.Recorder",
			  "MediaPresent",
			  g_variant_new_boolean(TRUE));
	/* what PrepareMedia read is stale now: a write must not trust it */
	{
		g_autofree gchar *message = NULL;
		gint null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
		g_autoptr(GUnixFDList) fds = g_unix_fd_list_new();
		g_autoptr(GError) error = NULL;
		g_autoptr(GVariant) reply = NULL;
		g_autofree gchar *remote = NULL;

		g_unix_fd_list_append(fds, null_fd, NULL);
		close(null_fd);
		reply = g_dbus_connection_call_with_unix_fd_list_sync(holder,
								      RB_DBUS_NAME,
								      RB_RECORDER,
								      RB_FORMAT,
								      "WriteMedia",
								      g_variant_new("(h)", 0),
								      NULL,
								      G_DBUS_CALL_FLAGS_NONE,
								      -1,
								      fds,
								      NULL,
								      NULL,
								      &error);
		ck_assert_ptr_null(reply);
		remote = g_dbus_error_get_remote_error(error);
		ck_assert_str_eq(remote, RB_ERR("MediaIsNotPrepared"));
		ck_assert_msg(strstr(error->message, "ejected") != NULL, "%s", error->message);
	}
	rb_assert_ok(rb_call(holder, "ReleaseMedia", NULL, NULL));
	rb_assert_ok(rb_tray(service->connection, "EjectMedia"));
	rb_wait_for_value(service->connection,
			  "org.rawburn.RawBurn1.Recorder",
			  "MediaPresent",
			  g_variant_new_boolean(FALSE));
	rb_assert_ok(rb_tray(service->connection, "CloseTray"));
	rb_wait_for_value(service->connection,
			  "org.rawburn.RawBurn1.Recorder",
			  "MediaPresent",
			  g_variant_new_boolean(TRUE));
	rb_test_service_stop_daemon(service);
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("recorder");
	TCase *tc = tcase_create("recorder");

	tcase_set_timeout(tc, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_test(tc, test_recorder_drive_properties);
	tcase_add_test(tc, test_recorder_per_client_state);
	tcase_add_test(tc, test_recorder_not_prepared_errors);
	tcase_add_test(tc, test_recorder_prepare_and_release);
	tcase_add_test(tc, test_recorder_default_client_name);
	tcase_add_loop_test(
		tc, test_recorder_prepare_refused, 0, G_N_ELEMENTS(rb_prepare_refusals));
	tcase_add_test(tc, test_recorder_holder_vanishes);
	tcase_add_test(tc, test_recorder_virtual_media);
	tcase_add_test(tc, test_recorder_virtual_faults_and_report);
	tcase_add_test(tc, test_recorder_eject_and_close);
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
