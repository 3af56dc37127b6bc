/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a hostile local user sends the service: handles that name no
 * descriptor, descriptors of the wrong kind, names of any size, options of
 * the wrong type, more virtual recorders than allowed, and a daemon short of
 * file descriptors. Each gets a named error; the daemon keeps running, logs
 * no GLib critical (the fixture makes criticals fatal) and exits cleanly.
 */
#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rb-error.h"
#include "rb-test-client.h"

#define RB_VIRTUAL0 RB_DBUS_RECORDERS_PATH "/virtual0"
#define RB_CREATOR "creator"
#define RB_CREATOR_IFACE "org.rawburn.RawBurn1.RawCDImageCreator"

static const gchar *const rb_args[] = {"--virtual-recorder", "media=cd-r-80,realtime=false", NULL};

/* --- B1, B9: every `h` argument with an index that names no descriptor -------------------- */

typedef struct {
	const gchar *path;
	const gchar *interface;
	const gchar *method;
	const gchar *format; /* of the parameters, with the handle first */
	const gchar *argument;
} RbHandleMember;

static const RbHandleMember rb_handle_members[] = {
	{RB_VIRTUAL0, RB_TEST_FORMAT, "WriteMedia", "(h)", "data"},
	{RB_VIRTUAL0, RB_TEST_FORMAT, "WriteMedia2", "(hi)", "data"},
	{RB_VIRTUAL0, RB_TEST_FORMAT, "Burn", "(ha{sv})", "data"},
	{RB_VIRTUAL0, RB_TEST_VIRTUAL, "ExportImage", "(h)", "fd"},
	{RB_VIRTUAL0, RB_TEST_VIRTUAL, "LoadDisc", "(ha{sv})", "image"},
	{RB_DBUS_MANAGER_PATH, RB_TEST_MANAGER, "AddVirtualRecorder", "(a{sv})", "Backing"},
	/* RB_CREATOR: an image creator the caller made first */
	{RB_CREATOR, RB_CREATOR_IFACE, "AddTrack", "(uh)", "data"},
	{RB_CREATOR, RB_CREATOR_IFACE, "AddSpecialPregap", "(h)", "data"},
	{RB_CREATOR, RB_CREATOR_IFACE, "AddSubcodeRWGenerator", "(h)", "data"},
};

/* negative ones made the daemon dup its own descriptors or crash; large
 * ones logged a critical */
static const gint32 rb_bad_handles[] = {-1, -3, G_MININT32, 1, 7, G_MAXINT32};

/* handles have no text form in GVariant's parser */
static GVariant *
rb_backing_params(gint32 handle)
{
	g_autoptr(GVariantBuilder) options = g_variant_builder_new(G_VARIANT_TYPE_VARDICT);

	g_variant_builder_add(options, "{sv}", "Backing", g_variant_new_handle(handle));
	return g_variant_new("(a{sv})", options);
}

static GVariant *
rb_handle_params(const RbHandleMember *member, gint32 handle)
{
	if (g_strcmp0(member->format, "(h)") == 0)
		return g_variant_new("(h)", handle);
	if (g_strcmp0(member->format, "(uh)") == 0)
		return g_variant_new("(uh)", 0, handle);
	if (g_strcmp0(member->format, "(hi)") == 0)
		return g_variant_new("(hi)", handle, 22650);
	if (g_strcmp0(member->format, "(ha{sv})") == 0)
		return g_variant_new(
			"(h@a{sv})", handle, g_variant_new_parsed("{'ClientName': <'Hostile'>}"));
	return rb_backing_params(handle);
}

START_TEST(test_hostile_bad_handles)
{
	/* one daemon per member and handle: each bug shows on its own */
	const RbHandleMember *member = &rb_handle_members[_i / G_N_ELEMENTS(rb_bad_handles)];
	gint32 handle = rb_bad_handles[_i % G_N_ELEMENTS(rb_bad_handles)];
	gboolean prepared = g_str_has_prefix(member->method, "WriteMedia");
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(RbTestClient) client = NULL;
	g_autoptr(GVariant) recorders = NULL;
	g_autoptr(GVariant) owner = NULL;
	g_autoptr(GUnixFDList) fds = NULL;
	g_autofree gchar *printed = NULL;
	g_autofree gchar *message = NULL;
	g_autofree gchar *error = NULL;
	g_autofree gchar *path = g_strdup(member->path);
	gint null_fd;

	rb_test_service_start_daemon(service, rb_args);
	client = rb_test_client_new(service);
	rb_test_client_wait_for_drive(client, RB_VIRTUAL0);
	if (g_strcmp0(member->path, RB_CREATOR) == 0) {
		g_autoptr(GVariant) reply = rb_test_client_call_reply(
			client, RB_DBUS_MANAGER_PATH, RB_TEST_MANAGER, "CreateImageCreator", NULL);

		g_free(path);
		g_variant_get(reply, "(o)", &path);
	}
	/* the writes take their stream only from the lock holder */
	if (prepared) {
		g_free(rb_test_client_set(client,
					  RB_VIRTUAL0,
					  RB_TEST_FORMAT,
					  "ClientName",
					  g_variant_new_string("Hostile"),
					  NULL));
		ck_assert_ptr_null(rb_test_client_call(
			client, RB_VIRTUAL0, RB_TEST_FORMAT, "PrepareMedia", NULL, NULL, NULL));
	}
	/* one descriptor travels with the call, so index 0 would be valid */
	null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	fds = rb_test_fd_list_new(null_fd);
	close(null_fd);
	error = rb_test_client_call(client,
				    path,
				    member->interface,
				    member->method,
				    rb_handle_params(member, handle),
				    fds,
				    &message);
	ck_assert_msg(g_strcmp0(error, RB_TEST_INVALID_ARGS) == 0,
		      "%s with handle %d: %s (%s)",
		      member->method,
		      handle,
		      error,
		      message);
	ck_assert_msg(strstr(message, member->argument) != NULL, "%s", message);
	/* nothing changed: the lock as it was, no recorder added, the service
	 * still answers */
	owner = rb_test_client_get(client, RB_VIRTUAL0, RB_TEST_RECORDER, "ExclusiveAccessOwner");
	ck_assert_str_eq(g_variant_get_string(owner, NULL), prepared ? "Hostile" : "");
	recorders = rb_test_client_call_reply(
		client, RB_DBUS_MANAGER_PATH, RB_TEST_MANAGER, "GetRecorders", NULL);
	printed = g_variant_print(recorders, FALSE);
	ck_assert_str_eq(printed, "(['" RB_VIRTUAL0 "'],)");
	/* a critical would have killed it: the exit must be clean */
	rb_test_service_stop_daemon(service);
}
END_TEST

/* --- B8: the Backing file and the Name of a virtual recorder ------------------------------- */

typedef enum {
	RB_BACKING_READ_ONLY,
	RB_BACKING_APPEND,
	RB_BACKING_DIRECTORY,
	RB_BACKING_PIPE,
	RB_BACKING_SOCKET,
	RB_BACKING_O_PATH,
	RB_BACKING_DEVICE,
	RB_BACKING_GOOD,
} RbBackingKind;

static gint
rb_backing_open(RbTestService *service, RbBackingKind kind)
{
	g_autofree gchar *path = g_build_filename(service->tmpdir, "backing", NULL);
	gint fds[2] = {-1, -1};
	gint fd = -1;

	switch (kind) {
	case RB_BACKING_READ_ONLY:
		fd = open(path, O_RDONLY | O_CREAT | O_CLOEXEC, 0600);
		break;
	case RB_BACKING_APPEND:
		fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
		break;
	case RB_BACKING_DIRECTORY:
		fd = open(service->tmpdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		break;
	case RB_BACKING_PIPE:
		ck_assert_int_eq(pipe(fds), 0);
		close(fds[0]);
		fd = fds[1];
		break;
	case RB_BACKING_SOCKET:
		ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
		close(fds[1]);
		fd = fds[0];
		break;
	case RB_BACKING_O_PATH:
		ck_assert(g_file_set_contents(path, "", 0, NULL));
		fd = open(path, O_PATH | O_CLOEXEC);
		break;
	case RB_BACKING_DEVICE:
		fd = open("/dev/null", O_RDWR | O_CLOEXEC);
		break;
	case RB_BACKING_GOOD:
		fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
		break;
	}
	ck_assert_int_ge(fd, 0);
	return fd;
}

START_TEST(test_hostile_backing_kinds)
{
	RbBackingKind kind = (RbBackingKind)_i;
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(RbTestClient) client = NULL;
	g_autoptr(GUnixFDList) fds = NULL;
	g_autofree gchar *message = NULL;
	g_autofree gchar *error = NULL;
	g_autofree gchar *path = g_build_filename(service->tmpdir, "backing", NULL);
	gint fd;

	rb_test_service_start_daemon(service, rb_args);
	client = rb_test_client_new(service);
	fd = rb_backing_open(service, kind);
	fds = rb_test_fd_list_new(fd);
	close(fd);
	error = rb_test_client_call(client,
				    RB_DBUS_MANAGER_PATH,
				    RB_TEST_MANAGER,
				    "AddVirtualRecorder",
				    rb_backing_params(0),
				    fds,
				    &message);
	if (kind == RB_BACKING_GOOD) {
		ck_assert_msg(error == NULL, "%s", message);
	} else {
		ck_assert_msg(g_strcmp0(error, RB_TEST_INVALID_ARGS) == 0,
			      "kind %d: %s (%s)",
			      kind,
			      error,
			      message);
		ck_assert_msg(strstr(message, "Backing") != NULL, "%s", message);
	}
	rb_test_service_stop_daemon(service);
	g_unlink(path);
}
END_TEST

START_TEST(test_hostile_names)
{
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(RbTestClient) client = NULL;
	g_autofree gchar *huge = g_strnfill(1024 * 1024, 'n');
	g_autofree gchar *long_name = g_strnfill(64, 'n');
	const gchar *bad[] = {"", huge, long_name, "tab\there", "bell\a"};
	g_autoptr(GVariant) recorders = NULL;
	gchar **paths = NULL;

	rb_test_service_start_daemon(service, rb_args);
	client = rb_test_client_new(service);
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autofree gchar *message = NULL;
		g_autofree gchar *error = rb_test_client_call(
			client,
			RB_DBUS_MANAGER_PATH,
			RB_TEST_MANAGER,
			"AddVirtualRecorder",
			g_variant_new("(@a{sv})", g_variant_new_parsed("{'Name': <%s>}", bad[i])),
			NULL,
			&message);
		ck_assert_msg(g_strcmp0(error, RB_TEST_INVALID_ARGS) == 0, "%u: %s", i, error);
		ck_assert_msg(strstr(message, "name") != NULL, "%s", message);
	}
	/* none was added */
	recorders = rb_test_client_call_reply(
		client, RB_DBUS_MANAGER_PATH, RB_TEST_MANAGER, "GetRecorders", NULL);
	g_variant_get(recorders, "(^ao)", &paths);
	ck_assert_uint_eq(g_strv_length(paths), 1);
	g_strfreev(paths);
	rb_test_service_stop_daemon(service);
}
END_TEST

/* --- B5: how many virtual recorders, and a daemon short of descriptors ---------------------- */

/* Burn(h 0, options) */
static GVariant *
rb_burn_params(const gchar *options)
{
	return g_variant_new("(h@a{sv})", 0, g_variant_new_parsed(options));
}

static gchar *
rb_add_virtual(RbTestClient *client, gchar **message)
{
	return rb_test_client_call(client,
				   RB_DBUS_MANAGER_PATH,
				   RB_TEST_MANAGER,
				   "AddVirtualRecorder",
				   g_variant_new_parsed("({'Realtime': <false>},)"),
				   NULL,
				   message);
}

START_TEST(test_hostile_virtual_limit)
{
	const gchar *const args[] = {"--virtual-recorder",
				     "media=cd-r-80,realtime=false",
				     "--max-virtual-recorders",
				     "2",
				     NULL};
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(RbTestClient) client = NULL;
	g_autofree gchar *message = NULL;
	g_autofree gchar *first = NULL;
	g_autofree gchar *second = NULL;
	g_autofree gchar *removed = NULL;
	g_autofree gchar *again = NULL;

	rb_test_service_start_daemon(service, args);
	client = rb_test_client_new(service);
	first = rb_add_virtual(client, NULL);
	ck_assert_ptr_null(first);
	second = rb_add_virtual(client, &message);
	ck_assert_str_eq(second, "org.freedesktop.DBus.Error.LimitsExceeded");
	ck_assert_msg(strstr(message, "--max-virtual-recorders") != NULL, "%s", message);
	removed = rb_test_client_call(client,
				      RB_DBUS_MANAGER_PATH,
				      RB_TEST_MANAGER,
				      "RemoveVirtualRecorder",
				      g_variant_new("(o)", RB_DBUS_RECORDERS_PATH "/virtual1"),
				      NULL,
				      NULL);
	ck_assert_ptr_null(removed);
	again = rb_add_virtual(client, NULL);
	ck_assert_ptr_null(again);
	rb_test_service_stop_daemon(service);
}
END_TEST

/* past RLIMIT_NOFILE the next burn used to abort the daemon in GLib
 * ("Creating pipes for GWakeup"); now the requests are refused first */
START_TEST(test_hostile_out_of_descriptors)
{
	/* the default limit of virtual recorders (32) is not reached first:
	 * with 64 descriptors, the descriptor budget is */
	const gchar *const args[] = {"--virtual-recorder", "media=cd-r-80,realtime=false", NULL};
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(RbTestClient) client = NULL;
	g_autofree gchar *last_error = NULL;
	g_autofree gchar *last_message = NULL;
	g_autofree gchar *burn_error = NULL;
	g_autofree gchar *burn_message = NULL;
	g_autofree gchar *burned = NULL;
	gint null_fd;
	guint added = 0;

	service->daemon_fd_limit = 64;
	rb_test_service_start_daemon(service, args);
	client = rb_test_client_new(service);
	rb_test_client_wait_for_drive(client, RB_VIRTUAL0);
	for (guint i = 0; i < 100 && last_error == NULL; i++) {
		g_clear_pointer(&last_message, g_free);
		last_error = rb_add_virtual(client, &last_message);
		if (last_error == NULL)
			added++;
	}
	ck_assert_msg(g_strcmp0(last_error, "org.freedesktop.DBus.Error.LimitsExceeded") == 0,
		      "after %u recorders: %s (%s)",
		      added,
		      last_error,
		      last_message);
	ck_assert_msg(strstr(last_message, "LimitNOFILE") != NULL, "%s", last_message);
	ck_assert_uint_gt(added, 3);

	/* a burn now is refused the same way, and the daemon lives on */
	null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	{
		g_autoptr(GUnixFDList) fds = rb_test_fd_list_new(null_fd);
		burn_error = rb_test_client_call(client,
						 RB_VIRTUAL0,
						 RB_TEST_FORMAT,
						 "Burn",
						 rb_burn_params("@a{sv} {}"),
						 fds,
						 &burn_message);
	}
	ck_assert_msg(g_strcmp0(burn_error, "org.freedesktop.DBus.Error.LimitsExceeded") == 0,
		      "%s (%s)",
		      burn_error,
		      burn_message);

	/* with recorders gone, descriptors are free again: the burn gets as far
	 * as the stream, which /dev/null is not */
	for (guint i = 1; i <= added; i++) {
		g_autofree gchar *path = g_strdup_printf(RB_DBUS_RECORDERS_PATH "/virtual%u", i);
		g_autofree gchar *error = rb_test_client_call(client,
							      RB_DBUS_MANAGER_PATH,
							      RB_TEST_MANAGER,
							      "RemoveVirtualRecorder",
							      g_variant_new("(o)", path),
							      NULL,
							      NULL);
		ck_assert_ptr_null(error);
	}
	{
		g_autoptr(GUnixFDList) fds = rb_test_fd_list_new(null_fd);
		burned = rb_test_client_call(client,
					     RB_VIRTUAL0,
					     RB_TEST_FORMAT,
					     "Burn",
					     rb_burn_params("@a{sv} {}"),
					     fds,
					     NULL);
	}
	close(null_fd);
	ck_assert_str_eq(burned, RB_TEST_ERROR("StreamNotSupported"));
	rb_test_service_stop_daemon(service);
}
END_TEST

/* --- B7: Burn's options belong to the call, never to the caller's state ---------------------- */

/* the caller's per-client values are what they were */
static void
rb_assert_state_untouched(RbTestClient *client)
{
	g_autoptr(GVariant) name =
		rb_test_client_get(client, RB_VIRTUAL0, RB_TEST_FORMAT, "ClientName");
	g_autoptr(GVariant) speed =
		rb_test_client_get(client, RB_VIRTUAL0, RB_TEST_FORMAT, "RequestedWriteSpeed");
	g_autoptr(GVariant) cav = rb_test_client_get(
		client, RB_VIRTUAL0, RB_TEST_FORMAT, "RequestedRotationTypeIsPureCAV");

	ck_assert_str_eq(g_variant_get_string(name, NULL), "");
	ck_assert_int_eq(g_variant_get_int32(speed), -1);
	ck_assert(!g_variant_get_boolean(cav));
}

START_TEST(test_hostile_burn_options_stay_local)
{
	const gchar *const args[] = {"--virtual-recorder", "media=none,realtime=false", NULL};
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(RbTestClient) client = NULL;
	g_autoptr(GVariant) preflight = NULL;
	g_autofree gchar *no_media = NULL;
	g_autofree gchar *bad_option = NULL;
	g_autofree gchar *bad_message = NULL;
	g_autofree gchar *lenient = NULL;
	gint null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	rb_test_service_start_daemon(service, args);
	client = rb_test_client_new(service);
	/* valid options, and a Burn that fails for want of a disc */
	{
		g_autoptr(GUnixFDList) fds = rb_test_fd_list_new(null_fd);
		no_media = rb_test_client_call(
			client,
			RB_VIRTUAL0,
			RB_TEST_FORMAT,
			"Burn",
			rb_burn_params("{'ClientName': <'Sneaky'>, 'WriteSpeed': <1764>, "
				       "'SectorType': <uint32 3>, 'PureCAV': <true>}"),
			fds,
			NULL);
	}
	ck_assert_str_eq(no_media, RB_TEST_ERROR("MediaNoMedia"));
	rb_assert_state_untouched(client);
	/* a valid option, then a bad one */
	{
		g_autoptr(GUnixFDList) fds = rb_test_fd_list_new(null_fd);
		bad_option = rb_test_client_call(
			client,
			RB_VIRTUAL0,
			RB_TEST_FORMAT,
			"Burn",
			rb_burn_params("{'ClientName': <'Sneaky'>, 'PureCAV': <true>, "
				       "'WriteSpeed': <0>}"),
			fds,
			&bad_message);
	}
	ck_assert_str_eq(bad_option, RB_TEST_INVALID_ARGS);
	ck_assert_msg(strstr(bad_message, "not 0") != NULL, "%s", bad_message);
	rb_assert_state_untouched(client);
	/* integers of any type where the value fits (busctl types int32), and
	 * Preflight for this call only */
	{
		g_autoptr(GUnixFDList) fds = rb_test_fd_list_new(null_fd);
		lenient = rb_test_client_call(
			client,
			RB_VIRTUAL0,
			RB_TEST_FORMAT,
			"Burn",
			rb_burn_params(
				"{'SectorType': <int32 3>, 'WriteSpeed': <uint32 1764>, "
				"'StreamLeadInSectors': <int64 22650>, 'Preflight': <'off'>}"),
			fds,
			NULL);
	}
	close(null_fd);
	ck_assert_str_eq(lenient, RB_TEST_ERROR("MediaNoMedia"));
	rb_assert_state_untouched(client);
	preflight = rb_test_client_get(client, RB_VIRTUAL0, RB_TEST_FORMAT, "Preflight");
	ck_assert_str_eq(g_variant_get_string(preflight, NULL), "lead-in");
	rb_test_service_stop_daemon(service);
}
END_TEST

/* property writes: the value is checked before anything else */
START_TEST(test_hostile_property_values)
{
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(RbTestClient) client = NULL;
	g_autoptr(GVariant) preflight = NULL;
	g_autofree gchar *bad_preflight = NULL;
	g_autofree gchar *bad_type = NULL;
	g_autofree gchar *bad_name = NULL;
	g_autofree gchar *good = NULL;

	rb_test_service_start_daemon(service, rb_args);
	client = rb_test_client_new(service);
	bad_preflight = rb_test_client_set(client,
					   RB_VIRTUAL0,
					   RB_TEST_FORMAT,
					   "Preflight",
					   g_variant_new_string("sloppy"),
					   NULL);
	ck_assert_str_eq(bad_preflight, RB_TEST_INVALID_ARGS);
	bad_type = rb_test_client_set(
		client, RB_VIRTUAL0, RB_TEST_FORMAT, "Preflight", g_variant_new_int32(1), NULL);
	ck_assert_str_eq(bad_type, RB_TEST_INVALID_ARGS);
	bad_name = rb_test_client_set(client,
				      RB_VIRTUAL0,
				      RB_TEST_FORMAT,
				      "ClientName",
				      g_variant_new_string("semi;colon?"),
				      NULL);
	ck_assert_str_eq(bad_name, RB_TEST_ERROR("ClientNameIsNotValid"));
	good = rb_test_client_set(client,
				  RB_VIRTUAL0,
				  RB_TEST_FORMAT,
				  "Preflight",
				  g_variant_new_string("full"),
				  NULL);
	ck_assert_ptr_null(good);
	preflight = rb_test_client_get(client, RB_VIRTUAL0, RB_TEST_FORMAT, "Preflight");
	ck_assert_str_eq(g_variant_get_string(preflight, NULL), "full");
	rb_test_service_stop_daemon(service);
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("hostile");
	TCase *tc = tcase_create("hostile");

	tcase_set_timeout(tc, RB_TEST_TIMEOUT_SECONDS * 2);
	tcase_add_loop_test(tc,
			    test_hostile_bad_handles,
			    0,
			    G_N_ELEMENTS(rb_handle_members) * G_N_ELEMENTS(rb_bad_handles));
	tcase_add_loop_test(tc, test_hostile_backing_kinds, 0, RB_BACKING_GOOD + 1);
	tcase_add_test(tc, test_hostile_names);
	tcase_add_test(tc, test_hostile_virtual_limit);
	tcase_add_test(tc, test_hostile_out_of_descriptors);
	tcase_add_test(tc, test_hostile_burn_options_stay_local);
	tcase_add_test(tc, test_hostile_property_values);
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
