/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The error domain against the table of the API contract, locally and
 * across a real (private) bus.
 */
#include "config.h"

#include "rb-error.h"
#include "rb-test-service.h"

typedef struct {
	RbError code;
	const gchar *name;
	guint32 hresult;
} RbExpectedError;

/* the table of dbus-api.md, typed in again on purpose */
static const RbExpectedError rb_expected_errors[] = {
	{RB_ERROR_REQUEST_CANCELLED, "RequestCancelled", 0xC0AA0002},
	{RB_ERROR_WRITE_IN_PROGRESS, "WriteInProgress", 0xC0AA0600},
	{RB_ERROR_WRITE_NOT_IN_PROGRESS, "WriteNotInProgress", 0xC0AA0601},
	{RB_ERROR_MEDIA_IS_NOT_PREPARED, "MediaIsNotPrepared", 0xC0AA0602},
	{RB_ERROR_MEDIA_IS_PREPARED, "MediaIsPrepared", 0xC0AA0603},
	{RB_ERROR_CLIENT_NAME_IS_NOT_VALID, "ClientNameIsNotValid", 0xC0AA0604},
	{RB_ERROR_MEDIA_IS_NOT_BLANK, "MediaIsNotBlank", 0xC0AA0606},
	{RB_ERROR_MEDIA_IS_NOT_SUPPORTED, "MediaIsNotSupported", 0xC0AA0607},
	{RB_ERROR_NOT_ENOUGH_SPACE, "NotEnoughSpace", 0xC0AA0609},
	{RB_ERROR_STREAM_NOT_SUPPORTED, "StreamNotSupported", 0xC0AA060D},
	{RB_ERROR_DATA_BLOCK_TYPE_NOT_SUPPORTED, "DataBlockTypeNotSupported", 0xC0AA060E},
	{RB_ERROR_STREAM_LEADIN_TOO_SHORT, "StreamLeadinTooShort", 0xC0AA060F},
	{RB_ERROR_RECORDER_NOT_SUPPORTED, "RecorderNotSupported", 0xC0AA0610},
	{RB_ERROR_NOT_AUTHORIZED, "NotAuthorized", 0x80070005},
	{RB_ERROR_MEDIA_NO_MEDIA, "MediaNoMedia", 0xC0AA0202},
	{RB_ERROR_MEDIA_INCOMPATIBLE, "MediaIncompatible", 0xC0AA0203},
	{RB_ERROR_MEDIA_UPSIDE_DOWN, "MediaUpsideDown", 0xC0AA0204},
	{RB_ERROR_MEDIA_BECOMING_READY, "MediaBecomingReady", 0xC0AA0205},
	{RB_ERROR_MEDIA_BUSY, "MediaBusy", 0xC0AA0207},
	{RB_ERROR_INVALID_MODE_PARAMETERS, "InvalidModeParameters", 0xC0AA0208},
	{RB_ERROR_MEDIA_WRITE_PROTECTED, "MediaWriteProtected", 0xC0AA0209},
	{RB_ERROR_COMMAND_TIMEOUT, "CommandTimeout", 0xC0AA020D},
	{RB_ERROR_MEDIA_SPEED_MISMATCH, "MediaSpeedMismatch", 0xC0AA020F},
	{RB_ERROR_LOCKED, "Locked", 0xC0AA0210},
	{RB_ERROR_INVALID_RESPONSE_FROM_DEVICE, "InvalidResponseFromDevice", 0xC0AA02FF},
	{RB_ERROR_LOSS_OF_STREAMING, "LossOfStreaming", 0xC0AA0300},
	{RB_ERROR_UNEXPECTED_RESPONSE_FROM_DEVICE, "UnexpectedResponseFromDevice", 0xC0AA0301},
	{RB_ERROR_DEVICE_GONE, "DeviceGone", 0x80070037},
	{RB_ERROR_STREAM_INVALID, "StreamInvalid", 0xC0AA06F0},
	{RB_ERROR_MEDIA_WRITE_FAILED, "MediaWriteFailed", 0xC0AA06F1},
	{RB_ERROR_RECORDER_HARDWARE_ERROR, "RecorderHardwareError", 0xC0AA06F2},
	{RB_ERROR_RAW_IMAGE_IS_READ_ONLY, "RawImageIsReadOnly", 0x80AA0A00},
	{RB_ERROR_RAW_IMAGE_TOO_MANY_TRACKS, "RawImageTooManyTracks", 0x80AA0A01},
	{RB_ERROR_RAW_IMAGE_SECTOR_TYPE_NOT_SUPPORTED,
	 "RawImageSectorTypeNotSupported",
	 0x80AA0A02},
	{RB_ERROR_RAW_IMAGE_NO_TRACKS, "RawImageNoTracks", 0x80AA0A03},
	{RB_ERROR_RAW_IMAGE_TRACKS_ALREADY_ADDED, "RawImageTracksAlreadyAdded", 0x80AA0A04},
	{RB_ERROR_RAW_IMAGE_INSUFFICIENT_SPACE, "RawImageInsufficientSpace", 0x80AA0A05},
	{RB_ERROR_RAW_IMAGE_TOO_MANY_TRACK_INDEXES, "RawImageTooManyTrackIndexes", 0x80AA0A06},
	{RB_ERROR_RAW_IMAGE_TRACK_INDEX_NOT_FOUND, "RawImageTrackIndexNotFound", 0x80AA0A07},
	{RB_ERROR_RAW_IMAGE_TRACK_INDEX_OFFSET_ZERO_CANNOT_BE_CLEARED,
	 "RawImageTrackIndexOffsetZeroCannotBeCleared",
	 0x80AA0A09},
	{RB_ERROR_RAW_IMAGE_TRACK_INDEX_TOO_CLOSE_TO_OTHER_INDEX,
	 "RawImageTrackIndexTooCloseToOtherIndex",
	 0x80AA0A0A},
	{RB_ERROR_ERASE_RECORDER_IN_USE, "EraseRecorderInUse", 0x80AA0900},
	{RB_ERROR_ERASE_ONLY_ONE_RECORDER_SUPPORTED, "EraseOnlyOneRecorderSupported", 0x80AA0901},
	{RB_ERROR_ERASE_DISC_INFORMATION_TOO_SMALL, "EraseDiscInformationTooSmall", 0x80AA0902},
	{RB_ERROR_ERASE_MODE_PAGE_2A_TOO_SMALL, "EraseModePage2ATooSmall", 0x80AA0903},
	{RB_ERROR_ERASE_MEDIA_IS_NOT_ERASABLE, "EraseMediaIsNotErasable", 0x80AA0904},
	{RB_ERROR_ERASE_DRIVE_FAILED_ERASE_COMMAND, "EraseDriveFailedEraseCommand", 0x80AA0905},
	{RB_ERROR_ERASE_TOOK_LONGER_THAN_ONE_HOUR, "EraseTookLongerThanOneHour", 0x80AA0906},
	{RB_ERROR_ERASE_UNEXPECTED_DRIVE_RESPONSE_DURING_ERASE,
	 "EraseUnexpectedDriveResponseDuringErase",
	 0x80AA0907},
	{RB_ERROR_ERASE_DRIVE_FAILED_SPINUP_COMMAND, "EraseDriveFailedSpinupCommand", 0x80AA0908},
	{RB_ERROR_ERASE_MEDIA_IS_NOT_SUPPORTED, "EraseMediaIsNotSupported", 0xC0AA0909},
	{RB_ERROR_ERASE_RECORDER_NOT_SUPPORTED, "EraseRecorderNotSupported", 0xC0AA090A},
	{RB_ERROR_ERASE_CLIENT_NAME_IS_NOT_VALID, "EraseClientNameIsNotValid", 0xC0AA090B},
	{RB_ERROR_BURN_VERIFICATION_FAILED, "BurnVerificationFailed", 0xC0AA0007},
	{RB_ERROR_TEST_WRITE_NOT_SUPPORTED, "TestWriteNotSupported", 0xC0AA06F3},
};

G_STATIC_ASSERT(G_N_ELEMENTS(rb_expected_errors) == RB_ERROR_N_ERRORS);

static gchar *
rb_expected_dbus_name(const RbExpectedError *expected)
{
	return g_strconcat("org.rawburn.RawBurn1.Error.", expected->name, NULL);
}

START_TEST(test_error_table)
{
	const RbExpectedError *expected = &rb_expected_errors[_i];
	g_autofree gchar *name = rb_expected_dbus_name(expected);

	ck_assert_str_eq(rb_error_get_dbus_name(expected->code), name);
	ck_assert_uint_eq(rb_error_get_hresult(expected->code), expected->hresult);
	ck_assert_ptr_nonnull(rb_error_get_description(expected->code));
	ck_assert_int_gt(strlen(rb_error_get_description(expected->code)), 10);
}
END_TEST

START_TEST(test_error_encode_decode)
{
	const RbExpectedError *expected = &rb_expected_errors[_i];
	g_autofree gchar *name = rb_expected_dbus_name(expected);
	g_autofree gchar *prefix = g_strdup_printf("0x%08X: ", expected->hresult);
	g_autoptr(GError) error = rb_error_new(expected->code, "detail %d", 42);
	g_autofree gchar *encoded = NULL;
	g_autoptr(GError) decoded = NULL;

	ck_assert(g_error_matches(error, RB_ERROR, (gint)expected->code));
	ck_assert_msg(g_str_has_prefix(error->message, prefix),
		      "“%s” lacks “%s”",
		      error->message,
		      prefix);
	ck_assert(g_str_has_suffix(error->message, "detail 42"));

	encoded = g_dbus_error_encode_gerror(error);
	ck_assert_str_eq(encoded, name);
	decoded = g_dbus_error_new_for_dbus_error(name, "from the bus");
	ck_assert(g_error_matches(decoded, RB_ERROR, (gint)expected->code));
}
END_TEST

START_TEST(test_error_set_default)
{
	g_autoptr(GError) error = NULL;

	rb_error_set_default(&error, RB_ERROR_LOCKED);
	ck_assert(g_error_matches(error, RB_ERROR, RB_ERROR_LOCKED));
	ck_assert(g_str_has_prefix(error->message, "0xC0AA0210: "));
	ck_assert(strstr(error->message, rb_error_get_description(RB_ERROR_LOCKED)) != NULL);
	/* a NULL GError ** is allowed, as everywhere in GLib */
	rb_error_set_default(NULL, RB_ERROR_LOCKED);
}
END_TEST

START_TEST(test_error_unknown_name)
{
	g_autoptr(GError) decoded =
		g_dbus_error_new_for_dbus_error("org.rawburn.RawBurn1.Error.NoSuchThing", "x");

	(void)RB_ERROR;
	ck_assert(!g_error_matches(decoded, RB_ERROR, 0));
	ck_assert(g_error_matches(decoded, G_IO_ERROR, G_IO_ERROR_DBUS_ERROR));
}
END_TEST

/* --- across a real bus: one connection replies with each error, another calls --- */

static const gchar rb_error_test_xml[] =
	"<node><interface name='org.rawburn.Test'>"
	"<method name='Fail'><arg name='code' type='u' direction='in'/></method>"
	"</interface></node>";

static void
rb_error_test_method_call(GDBusConnection *connection,
			  const gchar *sender,
			  const gchar *object_path,
			  const gchar *interface_name,
			  const gchar *method_name,
			  GVariant *parameters,
			  GDBusMethodInvocation *invocation,
			  gpointer user_data)
{
	guint32 code = 0;
	g_variant_get(parameters, "(u)", &code);
	g_dbus_method_invocation_take_error(invocation,
					    rb_error_new((RbError)code, "from the service"));
}

static const GDBusInterfaceVTable rb_error_test_vtable = {rb_error_test_method_call};

typedef struct {
	GDBusConnection *connection;
	GVariant *reply;
	GError *error;
	gboolean done;
} RbErrorCall;

static void
rb_error_call_done(GObject *source, GAsyncResult *result, gpointer user_data)
{
	RbErrorCall *call = user_data;
	call->reply =
		g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), result, &call->error);
	call->done = TRUE;
}

START_TEST(test_error_over_the_bus)
{
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(GError) error = NULL;
	g_autoptr(GDBusNodeInfo) node = g_dbus_node_info_new_for_xml(rb_error_test_xml, &error);
	g_autoptr(GDBusConnection) caller = NULL;
	guint registration;

	ck_assert_ptr_nonnull(node);
	registration = g_dbus_connection_register_object(service->connection,
							 "/org/rawburn/Test",
							 node->interfaces[0],
							 &rb_error_test_vtable,
							 NULL,
							 NULL,
							 &error);
	ck_assert_uint_ne(registration, 0);
	caller = g_dbus_connection_new_for_address_sync(
		service->bus_address,
		G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
			G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
		NULL,
		NULL,
		&error);
	ck_assert_ptr_nonnull(caller);

	for (guint i = 0; i < G_N_ELEMENTS(rb_expected_errors); i++) {
		RbErrorCall call = {0};
		g_autofree gchar *remote = NULL;
		g_autofree gchar *name = rb_expected_dbus_name(&rb_expected_errors[i]);

		/* the replying connection is served by this thread's main context */
		g_dbus_connection_call(caller,
				       g_dbus_connection_get_unique_name(service->connection),
				       "/org/rawburn/Test",
				       "org.rawburn.Test",
				       "Fail",
				       g_variant_new("(u)", (guint32)rb_expected_errors[i].code),
				       NULL,
				       G_DBUS_CALL_FLAGS_NONE,
				       10000,
				       NULL,
				       rb_error_call_done,
				       &call);
		while (!call.done)
			g_main_context_iteration(NULL, TRUE);
		ck_assert_ptr_null(call.reply);
		remote = g_dbus_error_get_remote_error(call.error);
		ck_assert_str_eq(remote, name);
		ck_assert(g_error_matches(call.error, RB_ERROR, (gint)rb_expected_errors[i].code));
		ck_assert(g_dbus_error_strip_remote_error(call.error));
		ck_assert(g_str_has_suffix(call.error->message, "from the service"));
		g_clear_error(&call.error);
	}
	g_dbus_connection_unregister_object(service->connection, registration);
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("error");
	TCase *tc = tcase_create("error");

	tcase_set_timeout(tc, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_loop_test(tc, test_error_table, 0, G_N_ELEMENTS(rb_expected_errors));
	tcase_add_loop_test(tc, test_error_encode_decode, 0, G_N_ELEMENTS(rb_expected_errors));
	tcase_add_test(tc, test_error_set_default);
	tcase_add_test(tc, test_error_unknown_name);
	tcase_add_test(tc, test_error_over_the_bus);
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
