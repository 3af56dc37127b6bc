/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The error domain of the rawburn D-Bus API: every error a client can see,
 * its D-Bus name and the IMAPI2 HRESULT it stands for.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define RB_DBUS_NAME "org.rawburn.RawBurn1"
#define RB_DBUS_ROOT_PATH "/org/rawburn/RawBurn1"
#define RB_DBUS_MANAGER_PATH "/org/rawburn/RawBurn1/Manager"
#define RB_DBUS_RECORDERS_PATH "/org/rawburn/RawBurn1/recorders"
#define RB_DBUS_ERROR_PREFIX "org.rawburn.RawBurn1.Error."

/* Keep in the order of rb_error_entries in rb-error.c. */
typedef enum {
	RB_ERROR_REQUEST_CANCELLED,
	RB_ERROR_WRITE_IN_PROGRESS,
	RB_ERROR_WRITE_NOT_IN_PROGRESS,
	RB_ERROR_MEDIA_IS_NOT_PREPARED,
	RB_ERROR_MEDIA_IS_PREPARED,
	RB_ERROR_CLIENT_NAME_IS_NOT_VALID,
	RB_ERROR_MEDIA_IS_NOT_BLANK,
	RB_ERROR_MEDIA_IS_NOT_SUPPORTED,
	RB_ERROR_NOT_ENOUGH_SPACE,
	RB_ERROR_STREAM_NOT_SUPPORTED,
	RB_ERROR_DATA_BLOCK_TYPE_NOT_SUPPORTED,
	RB_ERROR_STREAM_LEADIN_TOO_SHORT,
	RB_ERROR_RECORDER_NOT_SUPPORTED,
	RB_ERROR_NOT_AUTHORIZED,
	RB_ERROR_MEDIA_NO_MEDIA,
	RB_ERROR_MEDIA_INCOMPATIBLE,
	RB_ERROR_MEDIA_UPSIDE_DOWN,
	RB_ERROR_MEDIA_BECOMING_READY,
	RB_ERROR_MEDIA_BUSY,
	RB_ERROR_INVALID_MODE_PARAMETERS,
	RB_ERROR_MEDIA_WRITE_PROTECTED,
	RB_ERROR_COMMAND_TIMEOUT,
	RB_ERROR_MEDIA_SPEED_MISMATCH,
	RB_ERROR_LOCKED,
	RB_ERROR_INVALID_RESPONSE_FROM_DEVICE,
	RB_ERROR_LOSS_OF_STREAMING,
	RB_ERROR_UNEXPECTED_RESPONSE_FROM_DEVICE,
	RB_ERROR_DEVICE_GONE,
	/* rawburn's own, beyond IMAPI's table (HRESULTs 0xC0AA06Fx) */
	RB_ERROR_STREAM_INVALID,
	RB_ERROR_MEDIA_WRITE_FAILED,
	RB_ERROR_RECORDER_HARDWARE_ERROR,
	RB_ERROR_N_ERRORS /*< skip >*/
} RbError;

#define RB_ERROR (rb_error_quark())

GQuark rb_error_quark(void);

const gchar *rb_error_get_dbus_name(RbError code);
guint32 rb_error_get_hresult(RbError code);
const gchar *rb_error_get_description(RbError code);

GError *rb_error_new(RbError code, const gchar *format, ...) G_GNUC_PRINTF(2, 3);
void rb_error_set(GError **error, RbError code, const gchar *format, ...) G_GNUC_PRINTF(3, 4);
void rb_error_set_default(GError **error, RbError code);

G_END_DECLS
