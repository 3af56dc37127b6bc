/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Manager and the recorder objects as clients see them on the bus.
 */
#include "config.h"

#include <gio/gunixfdlist.h>

#include "rb-error.h"
#include "rb-generated.h"
#include "rb-test-service.h"

static GVariant *
rb_call(RbTestService *service,
	const gchar *path,
	const gchar *interface,
	const gchar *method,
	GVariant *parameters,
	GError **error)
{
	return g_dbus_connection_call_sync(service->connection,
					   RB_DBUS_NAME,
					   path,
					   interface,
					   method,
					   parameters,
					   NULL,
					   G_DBUS_CALL_FLAGS_NONE,
					   -1,
					   NULL,
					   error);
}

static gchar **
rb_get_recorders(RbTestService *service)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = rb_call(service,
					    RB_DBUS_MANAGER_PATH,
					    "org.rawburn.RawBurn1.Manager",
					    "GetRecorders",
					    NULL,
					    &error);
	gchar **paths = NULL;

	ck_assert_msg(reply != NULL, "GetRecorders: %s", error ? error->message : "");
	ck_assert_str_eq(g_variant_get_type_string(reply), "(ao)");
	g_variant_get(reply, "(^ao)", &paths);
	return paths;
}

static GVariant *
rb_get_all(RbTestService *service, const gchar *path, const gchar *interface)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = rb_call(service,
					    path,
					    "org.freedesktop.DBus.Properties",
					    "GetAll",
					    g_variant_new("(s)", interface),
					    &error);
	GVariant *props;

	ck_assert_msg(
		reply != NULL, "GetAll %s on %s: %s", interface, path, error ? error->message : "");
	props = g_variant_get_child_value(reply, 0);
	return props;
}

/* the Recorder properties once the drive has answered (read off the main thread) */
static GVariant *
rb_wait_for_drive(RbTestService *service, const gchar *path)
{
	gint64 deadline = g_get_monotonic_time() + RB_TEST_TIMEOUT_SECONDS * G_USEC_PER_SEC / 2;

	for (;;) {
		g_autoptr(GVariant) props =
			rb_get_all(service, path, "org.rawburn.RawBurn1.Recorder");
		const gchar *vendor = NULL;
		if (g_variant_lookup(props, "VendorId", "&s", &vendor) && vendor[0] != '\0')
			return g_steal_pointer(&props);
		ck_assert_msg(
			g_get_monotonic_time() < deadline, "the drive of %s never answered", path);
		g_usleep(20 * 1000);
	}
}

START_TEST(test_manager_recorders_in_order)
{
	const gchar *const args[] = {"--virtual-recorder",
				     "media=cd-r-74,name=First",
				     "--virtual-recorder",
				     "media=none,name=Second",
				     "--virtual-recorder",
				     "media=cd-rw-80,name=Third",
				     NULL};
	const gchar *names[] = {"First", "Second", "Third"};
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_auto(GStrv) paths = NULL;

	rb_test_service_start_daemon(service, args);
	paths = rb_get_recorders(service);
	ck_assert_uint_eq(g_strv_length(paths), 3);
	for (guint i = 0; i < 3; i++) {
		g_autofree gchar *expected =
			g_strdup_printf(RB_DBUS_RECORDERS_PATH "/virtual%u", i);
		g_autoptr(GVariant) props = rb_wait_for_drive(service, paths[i]);
		const gchar *product = NULL;

		ck_assert_str_eq(paths[i], expected);
		ck_assert(g_variant_lookup(props, "ProductId", "&s", &product));
		ck_assert_str_eq(product, names[i]);
	}
	/* the same order on every call */
	g_strfreev(paths);
	paths = rb_get_recorders(service);
	ck_assert_str_eq(paths[2], RB_DBUS_RECORDERS_PATH "/virtual2");
	rb_test_service_stop_daemon(service);
}
END_TEST

/* the product comes from the drive's INQUIRY: 16 ASCII characters, others as '?' */
START_TEST(test_manager_long_name_cut)
{
	const gchar *const args[] = {
		"--virtual-recorder", "name=Brenner für Prüfungen im Labor", NULL};
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(GVariant) props = NULL;
	const gchar *product = NULL;

	rb_test_service_start_daemon(service, args);
	props = rb_wait_for_drive(service, RB_DBUS_RECORDERS_PATH "/virtual0");
	ck_assert(g_variant_lookup(props, "ProductId", "&s", &product));
	ck_assert_str_eq(product, "Brenner f?r Pr?f");
	rb_test_service_stop_daemon(service);
}
END_TEST

START_TEST(test_manager_no_recorders)
{
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_auto(GStrv) paths = NULL;

	rb_test_service_start_daemon(service, NULL);
	paths = rb_get_recorders(service);
	ck_assert_uint_eq(g_strv_length(paths), 0);
	rb_test_service_stop_daemon(service);
}
END_TEST

START_TEST(test_manager_properties)
{
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(GVariant) props = NULL;
	g_autoptr(GVariant) media_types = NULL;
	const gchar *version = NULL;
	gsize n = 0;
	const guint32 *types;

	rb_test_service_start_daemon(service, NULL);
	props = rb_get_all(service, RB_DBUS_MANAGER_PATH, "org.rawburn.RawBurn1.Manager");
	ck_assert(g_variant_lookup(props, "Version", "&s", &version));
	ck_assert_str_eq(version, PACKAGE_VERSION);
	media_types = g_variant_lookup_value(props, "SupportedMediaTypes", G_VARIANT_TYPE("au"));
	ck_assert_ptr_nonnull(media_types);
	types = g_variant_get_fixed_array(media_types, &n, sizeof(guint32));
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(types[0], 2);
	ck_assert_uint_eq(types[1], 3);
	rb_test_service_stop_daemon(service);
}
END_TEST

typedef struct {
	const gchar *spec;
	gboolean media_present;
	guint32 media_type;
} RbMediaCase;

static const RbMediaCase rb_media_cases[] = {
	{"media=none", FALSE, 0},
	{"media=cd-r-74", TRUE, 2},
	{"media=cd-r-80", TRUE, 2},
	{"media=cd-rw-74", TRUE, 3},
	{"media=cd-rw-80", TRUE, 3},
};

/* GetAll never fails, and the media figures follow what is in the drive */
START_TEST(test_manager_recorder_properties)
{
	const RbMediaCase *media = &rb_media_cases[_i];
	const gchar *const args[] = {"--virtual-recorder", media->spec, NULL};
	const gchar *path = RB_DBUS_RECORDERS_PATH "/virtual0";
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(GVariant) recorder = NULL;
	g_autoptr(GVariant) format = NULL;
	g_autoptr(GVariant) controls = NULL;
	gboolean present = !media->media_present;
	guint32 type = 99;
	const gchar *self_path = NULL;
	const gchar *owner = NULL;
	gint32 speed = 0;
	guint32 sector_type = 0;
	gboolean test_write = TRUE;

	rb_test_service_start_daemon(service, args);
	recorder = rb_wait_for_drive(service, path);
	format = rb_get_all(service, path, "org.rawburn.RawBurn1.DiscFormat2RawCD");
	controls = rb_get_all(service, path, "org.rawburn.RawBurn1.VirtualRecorder");
	ck_assert_uint_eq(g_variant_n_children(recorder), 12);
	/* IMAPI's, Preflight and TestWrite */
	ck_assert_uint_eq(g_variant_n_children(format), 22);
	/* Faults, ValidationReport, FinishingMilliseconds */
	ck_assert_uint_eq(g_variant_n_children(controls), 3);

	ck_assert(g_variant_lookup(recorder, "MediaPresent", "b", &present));
	ck_assert_int_eq(present, media->media_present);
	ck_assert(g_variant_lookup(recorder, "ExclusiveAccessOwner", "&s", &owner));
	ck_assert_str_eq(owner, "");
	ck_assert(g_variant_lookup(format, "CurrentPhysicalMediaType", "u", &type));
	ck_assert_uint_eq(type, media->media_type);
	ck_assert(g_variant_lookup(format, "Recorder", "&o", &self_path));
	ck_assert_str_eq(self_path, path);
	ck_assert(g_variant_lookup(format, "RequestedWriteSpeed", "i", &speed));
	ck_assert_int_eq(speed, -1);
	ck_assert(g_variant_lookup(format, "RequestedSectorType", "u", &sector_type));
	ck_assert_uint_eq(sector_type, 2);
	ck_assert(g_variant_lookup(format, "TestWrite", "b", &test_write));
	ck_assert(!test_write);
	rb_test_service_stop_daemon(service);
}
END_TEST

START_TEST(test_manager_object_manager)
{
	const gchar *const args[] = {"--virtual-recorder", "media=cd-r-80", NULL};
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(GError) error = NULL;
	g_autoptr(GDBusObjectManager) manager = NULL;
	g_autolist(GDBusObject) objects = NULL;
	g_autoptr(GDBusObject) recorder = NULL;

	rb_test_service_start_daemon(service, args);
	manager = rb_object_manager_client_new_sync(
		service->connection,
		G_DBUS_OBJECT_MANAGER_CLIENT_FLAGS_DO_NOT_AUTO_START,
		RB_DBUS_NAME,
		RB_DBUS_ROOT_PATH,
		NULL,
		&error);
	ck_assert_msg(manager != NULL, "%s", error ? error->message : "");
	objects = g_dbus_object_manager_get_objects(manager);
	ck_assert_uint_eq(g_list_length(objects), 2);
	recorder = g_dbus_object_manager_get_object(manager, RB_DBUS_RECORDERS_PATH "/virtual0");
	ck_assert_ptr_nonnull(recorder);
	ck_assert_ptr_nonnull(rb_object_peek_recorder(RB_OBJECT(recorder)));
	ck_assert_ptr_nonnull(rb_object_peek_disc_format2_raw_cd(RB_OBJECT(recorder)));
	ck_assert_ptr_nonnull(rb_object_peek_virtual_recorder(RB_OBJECT(recorder)));
	g_clear_object(&recorder);
	g_clear_object(&manager);
	rb_test_service_stop_daemon(service);
}
END_TEST

/* WriteMedia, WriteMedia2, Burn and ExportImage take a passed fd: the
 * writes first meet IMAPI's state machine (no PrepareMedia yet) */
START_TEST(test_manager_fd_methods_refused)
{
	const gchar *const args[] = {"--virtual-recorder", "media=cd-r-80", NULL};
	const gchar *methods[] = {"WriteMedia", "WriteMedia2", "Burn", "ExportImage"};
	const gchar *errors[] = {
		"org.rawburn.RawBurn1.Error.MediaIsNotPrepared",
		"org.rawburn.RawBurn1.Error.MediaIsNotPrepared",
		/* Burn prepares the medium itself, then finds no disc image in fd 0 */
		"org.rawburn.RawBurn1.Error.StreamNotSupported",
		/* fd 0 is not writable, and nothing was burned */
		"org.freedesktop.DBus.Error.InvalidArgs"};
	g_autoptr(RbTestService) service = rb_test_service_new_bus();

	rb_test_service_start_daemon(service, args);
	for (guint i = 0; i < G_N_ELEMENTS(methods); i++) {
		g_autoptr(GUnixFDList) fds = g_unix_fd_list_new();
		g_autoptr(GError) error = NULL;
		g_autoptr(GVariant) reply = NULL;
		g_autofree gchar *remote = NULL;
		GVariant *params;
		gint index = g_unix_fd_list_append(fds, 0, &error);
		const gchar *interface = i == 3 ? "org.rawburn.RawBurn1.VirtualRecorder"
						: "org.rawburn.RawBurn1.DiscFormat2RawCD";

		ck_assert_int_eq(index, 0);
		if (i == 1)
			params = g_variant_new("(hi)", index, 22650);
		else if (i == 2)
			params =
				g_variant_new("(h@a{sv})",
					      index,
					      g_variant_new_array(G_VARIANT_TYPE("{sv}"), NULL, 0));
		else
			params = g_variant_new("(h)", index);
		reply = g_dbus_connection_call_with_unix_fd_list_sync(service->connection,
								      RB_DBUS_NAME,
								      RB_DBUS_RECORDERS_PATH
								      "/virtual0",
								      interface,
								      methods[i],
								      params,
								      NULL,
								      G_DBUS_CALL_FLAGS_NONE,
								      -1,
								      fds,
								      NULL,
								      NULL,
								      &error);
		ck_assert_ptr_null(reply);
		remote = g_dbus_error_get_remote_error(error);
		ck_assert_str_eq(remote, errors[i]);
	}
	rb_test_service_stop_daemon(service);
}
END_TEST

/* Properties.Set that must fail: returns the error's message */
static gchar *
rb_set_property_fails(RbTestService *service,
		      const gchar *interface,
		      const gchar *property,
		      GVariant *value,
		      const gchar *expected_error)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = NULL;
	g_autofree gchar *remote = NULL;

	reply = rb_call(service,
			RB_DBUS_RECORDERS_PATH "/virtual0",
			"org.freedesktop.DBus.Properties",
			"Set",
			g_variant_new("(ssv)", interface, property, value),
			&error);
	ck_assert_msg(reply == NULL, "setting %s succeeded", property);
	remote = g_dbus_error_get_remote_error(error);
	ck_assert_str_eq(remote, expected_error);
	return g_strdup(error->message);
}

/* writes that are refused change nothing */
START_TEST(test_manager_property_writes)
{
	const gchar *const args[] = {"--virtual-recorder", "media=cd-r-80", NULL};
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(GVariant) format = NULL;
	g_autofree gchar *refused = NULL;
	g_autofree gchar *read_only = NULL;
	g_autofree gchar *wrong_type = NULL;
	const gchar *client_name = NULL;

	rb_test_service_start_daemon(service, args);
	refused = rb_set_property_fails(service,
					"org.rawburn.RawBurn1.VirtualRecorder",
					"Faults",
					g_variant_new_parsed("{'Bogus': <1>}"),
					"org.freedesktop.DBus.Error.InvalidArgs");
	ck_assert(strstr(refused, "Bogus") != NULL);
	format = rb_get_all(service,
			    RB_DBUS_RECORDERS_PATH "/virtual0",
			    "org.rawburn.RawBurn1.DiscFormat2RawCD");
	ck_assert(g_variant_lookup(format, "ClientName", "&s", &client_name));
	ck_assert_str_eq(client_name, "");

	/* read-only properties stay read-only (GDBus answers InvalidArgs) */
	read_only = rb_set_property_fails(service,
					  "org.rawburn.RawBurn1.Recorder",
					  "MediaPresent",
					  g_variant_new_boolean(FALSE),
					  "org.freedesktop.DBus.Error.InvalidArgs");
	ck_assert_msg(strstr(read_only, "not writable") != NULL, "%s", read_only);

	/* the wrong type for a writable property */
	wrong_type = rb_set_property_fails(service,
					   "org.rawburn.RawBurn1.DiscFormat2RawCD",
					   "RequestedSectorType",
					   g_variant_new_string("raw"),
					   "org.freedesktop.DBus.Error.InvalidArgs");
	rb_test_service_stop_daemon(service);
}
END_TEST

START_TEST(test_manager_add_remove_virtual)
{
	const gchar *const args[] = {"--virtual-recorder", "media=cd-r-80", NULL};
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariant) props = NULL;
	g_auto(GStrv) paths = NULL;
	const gchar *path = NULL;
	const gchar *product = NULL;
	g_autofree gchar *remote = NULL;

	rb_test_service_start_daemon(service, args);
	reply = rb_call(
		service,
		RB_DBUS_MANAGER_PATH,
		"org.rawburn.RawBurn1.Manager",
		"AddVirtualRecorder",
		g_variant_new_parsed(
			"({'Media': <'cd-rw-74'>, 'Name': <'Added'>, 'MaxSpeed': <uint32 16>},)"),
		&error);
	ck_assert_msg(reply != NULL, "%s", error ? error->message : "");
	g_variant_get(reply, "(&o)", &path);
	ck_assert_str_eq(path, RB_DBUS_RECORDERS_PATH "/virtual1");
	paths = rb_get_recorders(service);
	ck_assert_uint_eq(g_strv_length(paths), 2);
	ck_assert_str_eq(paths[1], path);
	props = rb_wait_for_drive(service, path);
	ck_assert(g_variant_lookup(props, "ProductId", "&s", &product));
	ck_assert_str_eq(product, "Added");

	/* bad options are named */
	g_clear_pointer(&reply, g_variant_unref);
	reply = rb_call(service,
			RB_DBUS_MANAGER_PATH,
			"org.rawburn.RawBurn1.Manager",
			"AddVirtualRecorder",
			g_variant_new_parsed("({'Media': <'floppy'>},)"),
			&error);
	ck_assert_ptr_null(reply);
	remote = g_dbus_error_get_remote_error(error);
	ck_assert_str_eq(remote, "org.freedesktop.DBus.Error.InvalidArgs");
	ck_assert_msg(strstr(error->message, "floppy") != NULL, "%s", error->message);
	g_clear_error(&error);
	g_clear_pointer(&remote, g_free);

	/* removed: gone from the list; removing it again is refused */
	g_clear_pointer(&reply, g_variant_unref);
	reply = rb_call(service,
			RB_DBUS_MANAGER_PATH,
			"org.rawburn.RawBurn1.Manager",
			"RemoveVirtualRecorder",
			g_variant_new("(o)", RB_DBUS_RECORDERS_PATH "/virtual1"),
			&error);
	ck_assert_msg(reply != NULL, "%s", error ? error->message : "");
	g_strfreev(paths);
	paths = rb_get_recorders(service);
	ck_assert_uint_eq(g_strv_length(paths), 1);
	g_clear_pointer(&reply, g_variant_unref);
	reply = rb_call(service,
			RB_DBUS_MANAGER_PATH,
			"org.rawburn.RawBurn1.Manager",
			"RemoveVirtualRecorder",
			g_variant_new("(o)", RB_DBUS_RECORDERS_PATH "/virtual1"),
			&error);
	ck_assert_ptr_null(reply);
	remote = g_dbus_error_get_remote_error(error);
	ck_assert_str_eq(remote, "org.freedesktop.DBus.Error.InvalidArgs");
	rb_test_service_stop_daemon(service);
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("manager");
	TCase *tc = tcase_create("manager");

	tcase_set_timeout(tc, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_test(tc, test_manager_recorders_in_order);
	tcase_add_test(tc, test_manager_long_name_cut);
	tcase_add_test(tc, test_manager_no_recorders);
	tcase_add_test(tc, test_manager_properties);
	tcase_add_loop_test(tc, test_manager_recorder_properties, 0, G_N_ELEMENTS(rb_media_cases));
	tcase_add_test(tc, test_manager_object_manager);
	tcase_add_test(tc, test_manager_fd_methods_refused);
	tcase_add_test(tc, test_manager_property_writes);
	tcase_add_test(tc, test_manager_add_remove_virtual);
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
