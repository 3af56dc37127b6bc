/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every failure of a command ends here: its D-Bus error name picks a
 * sentence in the user's language and the exit status of its class (the
 * table is in rb-ctl.h and in the manual page), and the service's own
 * message follows as the detail.
 *
 * The detail stays in the service's language: one rawburnd answers
 * clients of many languages and formats its messages in its own locale
 * (a system service's is usually C), so only the client can say it in the
 * user's. The detail is kept all the same, since it carries what the
 * sentence cannot: the HRESULT, the LBA and sense code of a failed write,
 * the client holding the lock.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>

#include "rb-ctl-errors.h"
#include "rb-ctl-json.h"
#include "rb-ctl.h"
#include "rb-error.h"

GQuark
rb_ctl_error_quark(void)
{
	return g_quark_from_static_string("rb-ctl-error-quark");
}

/* the class of each of the service's errors; a switch without default, so
 * that the compiler names an error added to RbError without a class */
static int
rb_ctl_errors_service_class(RbError code)
{
	switch (code) {
	case RB_ERROR_REQUEST_CANCELLED:
		return RB_CTL_EXIT_CANCELLED;
	case RB_ERROR_WRITE_IN_PROGRESS:
	case RB_ERROR_MEDIA_IS_PREPARED:
	case RB_ERROR_MEDIA_BECOMING_READY:
	case RB_ERROR_MEDIA_BUSY:
	case RB_ERROR_LOCKED:
	case RB_ERROR_ERASE_RECORDER_IN_USE:
		return RB_CTL_EXIT_BUSY;
	case RB_ERROR_MEDIA_IS_NOT_BLANK:
	case RB_ERROR_MEDIA_IS_NOT_SUPPORTED:
	case RB_ERROR_NOT_ENOUGH_SPACE:
	case RB_ERROR_MEDIA_NO_MEDIA:
	case RB_ERROR_MEDIA_INCOMPATIBLE:
	case RB_ERROR_MEDIA_UPSIDE_DOWN:
	case RB_ERROR_MEDIA_WRITE_PROTECTED:
	case RB_ERROR_MEDIA_SPEED_MISMATCH:
	case RB_ERROR_MEDIA_WRITE_FAILED:
	case RB_ERROR_ERASE_MEDIA_IS_NOT_ERASABLE:
	case RB_ERROR_ERASE_MEDIA_IS_NOT_SUPPORTED:
		return RB_CTL_EXIT_MEDIUM;
	case RB_ERROR_BURN_VERIFICATION_FAILED:
		return RB_CTL_EXIT_VERIFY_FAILED;
	case RB_ERROR_NOT_AUTHORIZED:
		return RB_CTL_EXIT_NOT_AUTHORIZED;
	case RB_ERROR_DEVICE_GONE:
		return RB_CTL_EXIT_NOT_FOUND;
	/* the client name comes from --client-name */
	case RB_ERROR_CLIENT_NAME_IS_NOT_VALID:
	case RB_ERROR_ERASE_CLIENT_NAME_IS_NOT_VALID:
		return RB_CTL_EXIT_USAGE;
	case RB_ERROR_STREAM_NOT_SUPPORTED:
	case RB_ERROR_STREAM_LEADIN_TOO_SHORT:
	case RB_ERROR_STREAM_INVALID:
	case RB_ERROR_RAW_IMAGE_TOO_MANY_TRACKS:
	case RB_ERROR_RAW_IMAGE_SECTOR_TYPE_NOT_SUPPORTED:
	case RB_ERROR_RAW_IMAGE_NO_TRACKS:
	case RB_ERROR_RAW_IMAGE_INSUFFICIENT_SPACE:
	case RB_ERROR_RAW_IMAGE_TOO_MANY_TRACK_INDEXES:
	case RB_ERROR_RAW_IMAGE_TRACK_INDEX_NOT_FOUND:
	case RB_ERROR_RAW_IMAGE_TRACK_INDEX_OFFSET_ZERO_CANNOT_BE_CLEARED:
	case RB_ERROR_RAW_IMAGE_TRACK_INDEX_TOO_CLOSE_TO_OTHER_INDEX:
		return RB_CTL_EXIT_DATAERR;
	/* the recorder, the drive's answers, or the order of the calls */
	case RB_ERROR_WRITE_NOT_IN_PROGRESS:
	case RB_ERROR_MEDIA_IS_NOT_PREPARED:
	case RB_ERROR_DATA_BLOCK_TYPE_NOT_SUPPORTED:
	case RB_ERROR_RECORDER_NOT_SUPPORTED:
	case RB_ERROR_INVALID_MODE_PARAMETERS:
	case RB_ERROR_COMMAND_TIMEOUT:
	case RB_ERROR_INVALID_RESPONSE_FROM_DEVICE:
	case RB_ERROR_LOSS_OF_STREAMING:
	case RB_ERROR_UNEXPECTED_RESPONSE_FROM_DEVICE:
	case RB_ERROR_RECORDER_HARDWARE_ERROR:
	case RB_ERROR_RAW_IMAGE_IS_READ_ONLY:
	case RB_ERROR_RAW_IMAGE_TRACKS_ALREADY_ADDED:
	case RB_ERROR_ERASE_ONLY_ONE_RECORDER_SUPPORTED:
	case RB_ERROR_ERASE_DISC_INFORMATION_TOO_SMALL:
	case RB_ERROR_ERASE_MODE_PAGE_2A_TOO_SMALL:
	case RB_ERROR_ERASE_DRIVE_FAILED_ERASE_COMMAND:
	case RB_ERROR_ERASE_TOOK_LONGER_THAN_ONE_HOUR:
	case RB_ERROR_ERASE_UNEXPECTED_DRIVE_RESPONSE_DURING_ERASE:
	case RB_ERROR_ERASE_DRIVE_FAILED_SPINUP_COMMAND:
	case RB_ERROR_ERASE_RECORDER_NOT_SUPPORTED:
	case RB_ERROR_TEST_WRITE_NOT_SUPPORTED:
	case RB_ERROR_N_ERRORS:
		break;
	}
	return EXIT_FAILURE;
}

typedef struct {
	const gchar *name;
	const gchar *sentence;
	int exit_status;
} RbCtlErrorClass;

/* the bus's errors the service's calls end with */
static const RbCtlErrorClass rb_ctl_errors_bus[] = {
	{"org.freedesktop.DBus.Error.InvalidArgs",
	 N_("The service refused a value given on the command line; check the options and "
	    "arguments."),
	 RB_CTL_EXIT_USAGE},
	{"org.freedesktop.DBus.Error.LimitsExceeded",
	 N_("The service has reached one of its limits (clients, open files or jobs); try "
	    "again when other work has finished."),
	 EXIT_FAILURE},
	{"org.freedesktop.DBus.Error.ServiceUnknown",
	 N_("The rawburn service is not running; start it with “systemctl start rawburnd” "
	    "(or “rawburnd --session” for --session) and try again."),
	 RB_CTL_EXIT_UNREACHABLE},
	{"org.freedesktop.DBus.Error.NameHasNoOwner",
	 N_("The rawburn service is not running; start it with “systemctl start rawburnd” "
	    "(or “rawburnd --session” for --session) and try again."),
	 RB_CTL_EXIT_UNREACHABLE},
	/* the service went away while the call was running */
	{"org.freedesktop.DBus.Error.NoReply",
	 N_("The rawburn service stopped answering; see its log (journalctl -u rawburnd) "
	    "and try again."),
	 RB_CTL_EXIT_UNREACHABLE},
	{"org.freedesktop.DBus.Error.Timeout",
	 N_("The rawburn service did not answer in time; see its log (journalctl -u "
	    "rawburnd) and try again."),
	 EXIT_FAILURE},
	{"org.freedesktop.DBus.Error.AccessDenied",
	 N_("The system bus does not let you talk to the rawburn service; ask an "
	    "administrator to allow it in its D-Bus policy."),
	 RB_CTL_EXIT_NOT_AUTHORIZED},
	{"org.freedesktop.DBus.Error.UnknownObject",
	 N_("The recorder is gone; “rawburnctl list” shows the recorders there are."),
	 RB_CTL_EXIT_NOT_FOUND},
	{"org.freedesktop.DBus.Error.UnknownMethod",
	 N_("The rawburn service does not know this call; rawburnctl and rawburnd are "
	    "probably of different versions."),
	 EXIT_FAILURE},
};

static const gchar *const rb_ctl_errors_own_names[] = {
	[RB_CTL_ERROR_NO_BUS] = RB_CTL_ERROR_PREFIX "NoBus",
	/* the same as the bus's, which says this when a call finds no service */
	[RB_CTL_ERROR_SERVICE_NOT_RUNNING] = "org.freedesktop.DBus.Error.ServiceUnknown",
	[RB_CTL_ERROR_NO_SUCH_RECORDER] = RB_CTL_ERROR_PREFIX "NoSuchRecorder",
	[RB_CTL_ERROR_NO_SUCH_JOB] = RB_CTL_ERROR_PREFIX "NoSuchJob",
};

static const int rb_ctl_errors_own_classes[] = {
	[RB_CTL_ERROR_NO_BUS] = RB_CTL_EXIT_UNREACHABLE,
	[RB_CTL_ERROR_SERVICE_NOT_RUNNING] = RB_CTL_EXIT_UNREACHABLE,
	[RB_CTL_ERROR_NO_SUCH_RECORDER] = RB_CTL_EXIT_NOT_FOUND,
	[RB_CTL_ERROR_NO_SUCH_JOB] = RB_CTL_EXIT_NOT_FOUND,
};

/* the name of a failure that no D-Bus error names, by its exit status */
static const gchar *
rb_ctl_errors_status_name(int status)
{
	switch (status) {
	case RB_CTL_EXIT_USAGE:
		return RB_CTL_ERROR_PREFIX "UsageError";
	case RB_CTL_EXIT_DATAERR:
		return RB_CTL_ERROR_PREFIX "ImageError";
	case RB_CTL_EXIT_NOINPUT:
		return RB_CTL_ERROR_PREFIX "InputError";
	case RB_CTL_EXIT_UNREACHABLE:
		return RB_CTL_ERROR_PREFIX "NoBus";
	case RB_CTL_EXIT_CANCELLED:
		return RB_CTL_ERROR_PREFIX "Cancelled";
	default:
		return RB_CTL_ERROR_PREFIX "Failed";
	}
}

/* an error of the service, or of the bus on its behalf */
static gboolean
rb_ctl_failure_set_remote(RbCtlFailure *failure, const GError *error)
{
	g_autoptr(GError) copy = g_error_copy(error);
	g_autofree gchar *name = g_dbus_error_get_remote_error(copy);

	if (name == NULL)
		return FALSE;
	g_dbus_error_strip_remote_error(copy);
	failure->detail = g_strdup(copy->message);
	if (g_str_has_prefix(name, RB_DBUS_ERROR_PREFIX)) {
		for (guint i = 0; i < RB_ERROR_N_ERRORS; i++) {
			if (g_strcmp0(name, rb_error_get_dbus_name((RbError)i)) != 0)
				continue;
			failure->message = g_strdup(rb_error_get_description((RbError)i));
			failure->exit_status = rb_ctl_errors_service_class((RbError)i);
		}
	}
	for (guint i = 0; i < G_N_ELEMENTS(rb_ctl_errors_bus); i++) {
		if (g_strcmp0(name, rb_ctl_errors_bus[i].name) != 0)
			continue;
		failure->message = g_strdup(_(rb_ctl_errors_bus[i].sentence));
		failure->exit_status = rb_ctl_errors_bus[i].exit_status;
	}
	/* a name this client does not know (a newer service's): its own words */
	if (failure->message == NULL) {
		failure->message = g_steal_pointer(&failure->detail);
		failure->exit_status = EXIT_FAILURE;
	}
	failure->name = g_steal_pointer(&name);
	return TRUE;
}

static int
rb_ctl_errors_local_class(const GError *error, int status)
{
	if (error->domain == RB_CTL_ERROR && error->code >= 0 &&
	    error->code < (gint)G_N_ELEMENTS(rb_ctl_errors_own_classes))
		return rb_ctl_errors_own_classes[error->code];
	/* the command knows: a usage error, a bad or an unreadable file before
	 * the recorder was touched (an image failing mid-burn stays 1) */
	if (status != EXIT_SUCCESS && status != EXIT_FAILURE)
		return status;
	/* the bus connection closed under a call: the service or the bus went away */
	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CLOSED) ||
	    g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED))
		return RB_CTL_EXIT_UNREACHABLE;
	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return RB_CTL_EXIT_CANCELLED;
	return EXIT_FAILURE;
}

RbCtlFailure *
rb_ctl_failure_new(const GError *error, int status)
{
	g_autoptr(RbCtlFailure) failure = g_new0(RbCtlFailure, 1);

	/* a reply's error name maps to RB_ERROR once the domain is registered */
	rb_error_quark();
	if (rb_ctl_failure_set_remote(failure, error))
		return g_steal_pointer(&failure);
	failure->exit_status = rb_ctl_errors_local_class(error, status);
	failure->message = g_strdup(error->message);
	if (error->domain == RB_CTL_ERROR && error->code >= 0 &&
	    error->code < (gint)G_N_ELEMENTS(rb_ctl_errors_own_names))
		failure->name = g_strdup(rb_ctl_errors_own_names[error->code]);
	else
		failure->name = g_strdup(rb_ctl_errors_status_name(failure->exit_status));
	return g_steal_pointer(&failure);
}

void
rb_ctl_failure_free(RbCtlFailure *failure)
{
	g_free(failure->name);
	g_free(failure->message);
	g_free(failure->detail);
	g_free(failure);
}

/*
 * With --json the object goes to standard output, where a consumer already
 * reads the command's result: one line, after any progress lines, and
 * nothing on standard error, so that the failure is not shown twice.
 */
int
rb_ctl_errors_report(const GError *error, int status, gboolean json)
{
	g_autoptr(RbCtlFailure) failure = rb_ctl_failure_new(error, status);

	if (json) {
		g_autoptr(GString) out = g_string_new("{\"error\":");

		rb_ctl_json_append_string(out, failure->name);
		g_string_append(out, ",\"message\":");
		rb_ctl_json_append_string(out, failure->message);
		if (failure->detail != NULL) {
			g_string_append(out, ",\"detail\":");
			rb_ctl_json_append_string(out, failure->detail);
		}
		g_string_append_printf(out, ",\"exit\":%d}\n", failure->exit_status);
		g_print("%s", out->str);
	} else {
		g_printerr("rawburnctl: %s\n", failure->message);
		if (failure->detail != NULL)
			/* TRANSLATORS: the service's own message, in its language */
			g_printerr(_("Details: %s\n"), failure->detail);
	}
	return failure->exit_status;
}
