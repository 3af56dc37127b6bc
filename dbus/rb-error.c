/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One table maps each RbError to its D-Bus name and IMAPI2 HRESULT, so the
 * daemon, the client and the tests agree on them. Messages start with the
 * HRESULT so that people porting IMAPI applications recognise the error.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "rb-error.h"

typedef struct {
	const gchar *dbus_name;
	guint32 hresult;
	const gchar *description;
} RbErrorInfo;

/* clang-format off */
static const RbErrorInfo rb_error_info[] = {
	[RB_ERROR_REQUEST_CANCELLED] = {RB_DBUS_ERROR_PREFIX "RequestCancelled", 0xC0AA0002,
		N_("The request was cancelled.")},
	[RB_ERROR_WRITE_IN_PROGRESS] = {RB_DBUS_ERROR_PREFIX "WriteInProgress", 0xC0AA0600,
		N_("A write is in progress; wait for it to end or cancel it.")},
	[RB_ERROR_WRITE_NOT_IN_PROGRESS] = {RB_DBUS_ERROR_PREFIX "WriteNotInProgress", 0xC0AA0601,
		N_("No write is in progress.")},
	[RB_ERROR_MEDIA_IS_NOT_PREPARED] = {RB_DBUS_ERROR_PREFIX "MediaIsNotPrepared", 0xC0AA0602,
		N_("The medium is not prepared; call PrepareMedia first.")},
	[RB_ERROR_MEDIA_IS_PREPARED] = {RB_DBUS_ERROR_PREFIX "MediaIsPrepared", 0xC0AA0603,
		N_("The medium is already prepared; call ReleaseMedia first.")},
	[RB_ERROR_CLIENT_NAME_IS_NOT_VALID] = {RB_DBUS_ERROR_PREFIX "ClientNameIsNotValid", 0xC0AA0604,
		N_("The client name is not valid; use 1 to 63 characters of A-Z a-z 0-9 space . , : ; - _.")},
	[RB_ERROR_MEDIA_IS_NOT_BLANK] = {RB_DBUS_ERROR_PREFIX "MediaIsNotBlank", 0xC0AA0606,
		N_("The medium is not blank; insert a blank disc, or erase this one if it is a CD-RW (rawburnctl erase).")},
	[RB_ERROR_MEDIA_IS_NOT_SUPPORTED] = {RB_DBUS_ERROR_PREFIX "MediaIsNotSupported", 0xC0AA0607,
		N_("The medium cannot be written raw; insert a blank CD-R or CD-RW.")},
	[RB_ERROR_NOT_ENOUGH_SPACE] = {RB_DBUS_ERROR_PREFIX "NotEnoughSpace", 0xC0AA0609,
		N_("The image does not fit on the medium; use a larger disc or a smaller image.")},
	[RB_ERROR_STREAM_NOT_SUPPORTED] = {RB_DBUS_ERROR_PREFIX "StreamNotSupported", 0xC0AA060D,
		N_("The data stream cannot be used; pass a readable descriptor whose size is a multiple of the sector size.")},
	[RB_ERROR_DATA_BLOCK_TYPE_NOT_SUPPORTED] = {RB_DBUS_ERROR_PREFIX "DataBlockTypeNotSupported", 0xC0AA060E,
		N_("The recorder does not support this sector type; pick one of SupportedSectorTypes.")},
	[RB_ERROR_STREAM_LEADIN_TOO_SHORT] = {RB_DBUS_ERROR_PREFIX "StreamLeadinTooShort", 0xC0AA060F,
		N_("The stream starts after the disc's lead-in start; generate a longer lead-in.")},
	[RB_ERROR_RECORDER_NOT_SUPPORTED] = {RB_DBUS_ERROR_PREFIX "RecorderNotSupported", 0xC0AA0610,
		N_("The recorder cannot write raw disc-at-once; use another recorder.")},
	[RB_ERROR_NOT_AUTHORIZED] = {RB_DBUS_ERROR_PREFIX "NotAuthorized", 0x80070005,
		N_("Not authorized; ask an administrator to grant the rawburn polkit action.")},
	[RB_ERROR_MEDIA_NO_MEDIA] = {RB_DBUS_ERROR_PREFIX "MediaNoMedia", 0xC0AA0202,
		N_("There is no medium in the recorder; insert a blank disc.")},
	[RB_ERROR_MEDIA_INCOMPATIBLE] = {RB_DBUS_ERROR_PREFIX "MediaIncompatible", 0xC0AA0203,
		N_("The medium is incompatible with the recorder; insert another disc.")},
	[RB_ERROR_MEDIA_UPSIDE_DOWN] = {RB_DBUS_ERROR_PREFIX "MediaUpsideDown", 0xC0AA0204,
		N_("The medium seems to be upside down; turn it over.")},
	[RB_ERROR_MEDIA_BECOMING_READY] = {RB_DBUS_ERROR_PREFIX "MediaBecomingReady", 0xC0AA0205,
		N_("The medium is becoming ready; try again in a few seconds.")},
	[RB_ERROR_MEDIA_BUSY] = {RB_DBUS_ERROR_PREFIX "MediaBusy", 0xC0AA0207,
		N_("The recorder is busy with a long operation; try again when it has finished.")},
	[RB_ERROR_INVALID_MODE_PARAMETERS] = {RB_DBUS_ERROR_PREFIX "InvalidModeParameters", 0xC0AA0208,
		N_("The recorder refused the write parameters; try another sector type or speed.")},
	[RB_ERROR_MEDIA_WRITE_PROTECTED] = {RB_DBUS_ERROR_PREFIX "MediaWriteProtected", 0xC0AA0209,
		N_("The medium is write-protected; insert a writable disc.")},
	[RB_ERROR_COMMAND_TIMEOUT] = {RB_DBUS_ERROR_PREFIX "CommandTimeout", 0xC0AA020D,
		N_("The recorder did not answer in time; check the drive and its connection.")},
	[RB_ERROR_MEDIA_SPEED_MISMATCH] = {RB_DBUS_ERROR_PREFIX "MediaSpeedMismatch", 0xC0AA020F,
		N_("The medium cannot be written at this speed; choose another write speed.")},
	[RB_ERROR_LOCKED] = {RB_DBUS_ERROR_PREFIX "Locked", 0xC0AA0210,
		N_("Another client holds the recorder; wait until it releases the medium.")},
	[RB_ERROR_INVALID_RESPONSE_FROM_DEVICE] = {RB_DBUS_ERROR_PREFIX "InvalidResponseFromDevice", 0xC0AA02FF,
		N_("The recorder gave an invalid response; retry, or try another drive.")},
	[RB_ERROR_LOSS_OF_STREAMING] = {RB_DBUS_ERROR_PREFIX "LossOfStreaming", 0xC0AA0300,
		N_("The data did not arrive fast enough and the recording failed; lower the write speed or keep buffer underrun protection on.")},
	[RB_ERROR_UNEXPECTED_RESPONSE_FROM_DEVICE] = {RB_DBUS_ERROR_PREFIX "UnexpectedResponseFromDevice", 0xC0AA0301,
		N_("The recorder reported an unexpected error; retry, or try another disc or drive.")},
	[RB_ERROR_DEVICE_GONE] = {RB_DBUS_ERROR_PREFIX "DeviceGone", 0x80070037,
		N_("The recorder is gone; reconnect it and start again.")},
	[RB_ERROR_STREAM_INVALID] = {RB_DBUS_ERROR_PREFIX "StreamInvalid", 0xC0AA06F0,
		N_("The stream is not a valid raw disc image; check how it was made, its sector type and streamLeadInSectors.")},
	[RB_ERROR_MEDIA_WRITE_FAILED] = {RB_DBUS_ERROR_PREFIX "MediaWriteFailed", 0xC0AA06F1,
		N_("The recorder could not write the disc; try another disc or a lower write speed, or clean the drive.")},
	[RB_ERROR_RECORDER_HARDWARE_ERROR] = {RB_DBUS_ERROR_PREFIX "RecorderHardwareError", 0xC0AA06F2,
		N_("The recorder reported a hardware failure; power-cycle it, and if it persists, have it repaired or use another recorder.")},
	[RB_ERROR_RAW_IMAGE_IS_READ_ONLY] = {RB_DBUS_ERROR_PREFIX "RawImageIsReadOnly", 0x80AA0A00,
		N_("The image creator is read-only since CreateResultImage; create a new one to build another image.")},
	[RB_ERROR_RAW_IMAGE_TOO_MANY_TRACKS] = {RB_DBUS_ERROR_PREFIX "RawImageTooManyTracks", 0x80AA0A01,
		N_("The image already has the most tracks a disc can hold (track numbers end at 99).")},
	[RB_ERROR_RAW_IMAGE_SECTOR_TYPE_NOT_SUPPORTED] = {RB_DBUS_ERROR_PREFIX "RawImageSectorTypeNotSupported", 0x80AA0A02,
		N_("This sector type cannot be used here; use an IMAPI_CD_SECTOR_TYPE (0-9) that may follow the tracks already added.")},
	[RB_ERROR_RAW_IMAGE_NO_TRACKS] = {RB_DBUS_ERROR_PREFIX "RawImageNoTracks", 0x80AA0A03,
		N_("The image has no tracks; add a track first.")},
	[RB_ERROR_RAW_IMAGE_TRACKS_ALREADY_ADDED] = {RB_DBUS_ERROR_PREFIX "RawImageTracksAlreadyAdded", 0x80AA0A04,
		N_("Tracks have already been added; set this before adding the first track.")},
	[RB_ERROR_RAW_IMAGE_INSUFFICIENT_SPACE] = {RB_DBUS_ERROR_PREFIX "RawImageInsufficientSpace", 0x80AA0A05,
		N_("The image would not fit: its lead-out would start after StartOfLeadoutLimit or 88:29:74; use shorter tracks.")},
	[RB_ERROR_RAW_IMAGE_TOO_MANY_TRACK_INDEXES] = {RB_DBUS_ERROR_PREFIX "RawImageTooManyTrackIndexes", 0x80AA0A06,
		N_("The track already has 99 indexes.")},
	[RB_ERROR_RAW_IMAGE_TRACK_INDEX_NOT_FOUND] = {RB_DBUS_ERROR_PREFIX "RawImageTrackIndexNotFound", 0x80AA0A07,
		N_("The track has no index at this offset; see TrackIndexes.")},
	[RB_ERROR_RAW_IMAGE_TRACK_INDEX_OFFSET_ZERO_CANNOT_BE_CLEARED] = {RB_DBUS_ERROR_PREFIX "RawImageTrackIndexOffsetZeroCannotBeCleared", 0x80AA0A09,
		N_("Index 1 at offset 0 starts the track and cannot be cleared.")},
	[RB_ERROR_RAW_IMAGE_TRACK_INDEX_TOO_CLOSE_TO_OTHER_INDEX] = {RB_DBUS_ERROR_PREFIX "RawImageTrackIndexTooCloseToOtherIndex", 0x80AA0A0A,
		N_("Indexes must be at least 10 sectors apart and from the track's end; choose another offset.")},
	[RB_ERROR_ERASE_RECORDER_IN_USE] = {RB_DBUS_ERROR_PREFIX "EraseRecorderInUse", 0x80AA0900,
		N_("The recorder is in use; wait until it is free, then erase.")},
	[RB_ERROR_ERASE_ONLY_ONE_RECORDER_SUPPORTED] = {RB_DBUS_ERROR_PREFIX "EraseOnlyOneRecorderSupported", 0x80AA0901,
		N_("Only one recorder can be erased at a time by one erase object.")},
	[RB_ERROR_ERASE_DISC_INFORMATION_TOO_SMALL] = {RB_DBUS_ERROR_PREFIX "EraseDiscInformationTooSmall", 0x80AA0902,
		N_("The recorder gave too little disc information; the drive or the disc may not be supported.")},
	[RB_ERROR_ERASE_MODE_PAGE_2A_TOO_SMALL] = {RB_DBUS_ERROR_PREFIX "EraseModePage2ATooSmall", 0x80AA0903,
		N_("The recorder gave too little capability data (mode page 2Ah); the drive may not be supported.")},
	[RB_ERROR_ERASE_MEDIA_IS_NOT_ERASABLE] = {RB_DBUS_ERROR_PREFIX "EraseMediaIsNotErasable", 0x80AA0904,
		N_("The recorder reports that the medium is not erasable; insert a CD-RW.")},
	[RB_ERROR_ERASE_DRIVE_FAILED_ERASE_COMMAND] = {RB_DBUS_ERROR_PREFIX "EraseDriveFailedEraseCommand", 0x80AA0905,
		N_("The recorder refused to erase the disc; try a full erase, another disc or another drive.")},
	[RB_ERROR_ERASE_TOOK_LONGER_THAN_ONE_HOUR] = {RB_DBUS_ERROR_PREFIX "EraseTookLongerThanOneHour", 0x80AA0906,
		N_("The recorder did not finish erasing within an hour; it may need a power cycle or the disc removed.")},
	[RB_ERROR_ERASE_UNEXPECTED_DRIVE_RESPONSE_DURING_ERASE] = {RB_DBUS_ERROR_PREFIX "EraseUnexpectedDriveResponseDuringErase", 0x80AA0907,
		N_("The recorder reported an error while erasing; the disc may be unusable: erase it again with a full erase, or use another disc.")},
	[RB_ERROR_ERASE_DRIVE_FAILED_SPINUP_COMMAND] = {RB_DBUS_ERROR_PREFIX "EraseDriveFailedSpinupCommand", 0x80AA0908,
		N_("The recorder could not spin up the disc; check the disc and try again.")},
	[RB_ERROR_ERASE_MEDIA_IS_NOT_SUPPORTED] = {RB_DBUS_ERROR_PREFIX "EraseMediaIsNotSupported", 0xC0AA0909,
		N_("This medium cannot be erased; only a CD-RW can be, so insert one.")},
	[RB_ERROR_ERASE_RECORDER_NOT_SUPPORTED] = {RB_DBUS_ERROR_PREFIX "EraseRecorderNotSupported", 0xC0AA090A,
		N_("This recorder cannot erase discs; use a recorder that writes CD-RW.")},
	[RB_ERROR_ERASE_CLIENT_NAME_IS_NOT_VALID] = {RB_DBUS_ERROR_PREFIX "EraseClientNameIsNotValid", 0xC0AA090B,
		N_("The client name is not valid; use 1 to 63 characters of A-Z a-z 0-9 space . , : ; - _.")},
	[RB_ERROR_BURN_VERIFICATION_FAILED] = {RB_DBUS_ERROR_PREFIX "BurnVerificationFailed", 0xC0AA0007,
		N_("The disc does not read back as the image that was burned; burn it again on another disc or at a lower speed.")},
	[RB_ERROR_TEST_WRITE_NOT_SUPPORTED] = {RB_DBUS_ERROR_PREFIX "TestWriteNotSupported", 0xC0AA06F3,
		N_("The recorder cannot simulate a write (it claims no test write); burn without simulation or use another recorder.")},
};
/* clang-format on */

G_STATIC_ASSERT(G_N_ELEMENTS(rb_error_info) == RB_ERROR_N_ERRORS);

GQuark
rb_error_quark(void)
{
	static gsize quark = 0;
	static gsize entries_ready = 0;
	static GDBusErrorEntry entries[RB_ERROR_N_ERRORS];

	/* the entries come from rb_error_info so that the table exists once */
	if (g_once_init_enter(&entries_ready)) {
		for (guint i = 0; i < RB_ERROR_N_ERRORS; i++) {
			entries[i].error_code = (gint)i;
			entries[i].dbus_error_name = rb_error_info[i].dbus_name;
		}
		g_once_init_leave(&entries_ready, 1);
	}
	/* the domain name must equal the quark's string, see g_dbus_error_register_error_domain()
	 */
	g_dbus_error_register_error_domain(
		"rb-error-quark", &quark, entries, G_N_ELEMENTS(entries));
	return (GQuark)quark;
}

/**
 * rb_error_get_dbus_name: (skip)
 * @code: an #RbError
 *
 * Skipped for introspection: GI would make it a method of the error domain,
 * which bindings cannot call; a #GError from the service already carries
 * its D-Bus name (g_dbus_error_get_remote_error()).
 *
 * Returns: (transfer none): the D-Bus error name of @code, e.g.
 * "org.rawburn.RawBurn1.Error.Locked"
 */
const gchar *
rb_error_get_dbus_name(RbError code)
{
	g_return_val_if_fail(code < RB_ERROR_N_ERRORS, NULL);
	return rb_error_info[code].dbus_name;
}

/**
 * rb_error_get_hresult: (skip)
 * @code: an #RbError
 *
 * Skipped for introspection, as rb_error_get_dbus_name().
 *
 * Returns: the IMAPI HRESULT of @code, which the service's messages start with
 */
guint32
rb_error_get_hresult(RbError code)
{
	g_return_val_if_fail(code < RB_ERROR_N_ERRORS, 0);
	return rb_error_info[code].hresult;
}

/**
 * rb_error_get_description: (skip)
 * @code: an #RbError
 *
 * Skipped for introspection, as rb_error_get_dbus_name().
 *
 * Returns: (transfer none): the translated default text for @code, for
 * errors that need no detail
 */
const gchar *
rb_error_get_description(RbError code)
{
	g_return_val_if_fail(code < RB_ERROR_N_ERRORS, NULL);
	return g_dgettext(GETTEXT_PACKAGE, rb_error_info[code].description);
}

static GError *rb_error_new_valist(RbError code, const gchar *format, va_list args)
	G_GNUC_PRINTF(2, 0);

static GError *
rb_error_new_valist(RbError code, const gchar *format, va_list args)
{
	g_autofree gchar *detail = g_strdup_vprintf(format, args);
	return g_error_new(RB_ERROR,
			   (gint)code,
			   "0x%08" G_GINT32_MODIFIER "X: %s",
			   rb_error_info[code].hresult,
			   detail);
}

GError *
rb_error_new(RbError code, const gchar *format, ...)
{
	va_list args;
	GError *error;

	g_return_val_if_fail(code < RB_ERROR_N_ERRORS, NULL);
	va_start(args, format);
	error = rb_error_new_valist(code, format, args);
	va_end(args);
	return error;
}

void
rb_error_set(GError **error, RbError code, const gchar *format, ...)
{
	va_list args;

	g_return_if_fail(code < RB_ERROR_N_ERRORS);
	if (error == NULL)
		return;
	va_start(args, format);
	g_propagate_error(error, rb_error_new_valist(code, format, args));
	va_end(args);
}

void
rb_error_set_default(GError **error, RbError code)
{
	rb_error_set(error, code, "%s", rb_error_get_description(code));
}
