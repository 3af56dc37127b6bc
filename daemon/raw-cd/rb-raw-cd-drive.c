/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The drive work of DiscFormat2RawCD: PrepareMedia's reading and locking of
 * the medium, ReleaseMedia's ALLOW and SetWriteSpeed's SET CD SPEED, each in
 * a worker thread under the recorder's drive mutex, one at a time. A running
 * operation keeps the recorder alive and counts as pending, so neither a
 * removal nor the service's stop frees anything under it.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbRawCdFormat"

#include "rb-mmc-device.h"
#include "rb-raw-cd-format-private.h"

#define RB_CLIENT_NAME_FALLBACK "rawburn-client"

static void
rb_drive_op_data_free(RbDriveOpData *data)
{
	g_free(data->sender);
	g_free(data->name);
	g_free(data->client_name);
	g_clear_object(&data->connection);
	g_clear_object(&data->transport);
	rb_drive_state_free(data->state);
	if (data->custom_data_free != NULL)
		data->custom_data_free(data->custom_data);
	/* last: the recorder owns the drive mutex */
	g_clear_object(&data->recorder);
	g_free(data);
}

/* IMAPI's default ClientName: the calling process's name, made valid */
static gchar *
rb_raw_cd_format_process_name(GDBusConnection *connection, const gchar *sender)
{
	g_autoptr(GVariant) reply = NULL;
	gchar *name;
	guint32 pid = 0;

	if (connection == NULL)
		return g_strdup(RB_CLIENT_NAME_FALLBACK);
	reply = g_dbus_connection_call_sync(connection,
					    "org.freedesktop.DBus",
					    "/org/freedesktop/DBus",
					    "org.freedesktop.DBus",
					    "GetConnectionUnixProcessID",
					    g_variant_new("(s)", sender),
					    G_VARIANT_TYPE("(u)"),
					    G_DBUS_CALL_FLAGS_NONE,
					    -1,
					    NULL,
					    NULL);
	if (reply != NULL)
		g_variant_get(reply, "(u)", &pid);
	name = rb_client_name_for_pid(pid);
	return name != NULL ? name : g_strdup(RB_CLIENT_NAME_FALLBACK);
}

static gboolean
rb_raw_cd_format_check_media(const RbDriveState *state, GError **error)
{
	if (!state->media_present) {
		rb_error_set_default(error, RB_ERROR_MEDIA_NO_MEDIA);
		return FALSE;
	}
	if (state->media_type != RB_DRIVE_MEDIA_TYPE_CD_R &&
	    state->media_type != RB_DRIVE_MEDIA_TYPE_CD_RW) {
		rb_error_set_default(error, RB_ERROR_MEDIA_IS_NOT_SUPPORTED);
		return FALSE;
	}
	if (!state->raw_supported || state->sector_types->len == 0) {
		rb_error_set_default(error, RB_ERROR_RECORDER_NOT_SUPPORTED);
		return FALSE;
	}
	if (!state->media_blank) {
		rb_error_set_default(error, RB_ERROR_MEDIA_IS_NOT_BLANK);
		return FALSE;
	}
	return TRUE;
}

static void
rb_raw_cd_format_drive_thread(GTask *task,
			      gpointer source,
			      gpointer task_data,
			      GCancellable *cancellable)
{
	RbDriveOpData *data = task_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(data->drive_mutex);

	switch (data->op) {
	case RB_DRIVE_OP_PREPARE:
		if (data->client_name == NULL)
			data->client_name =
				rb_raw_cd_format_process_name(data->connection, data->sender);
		data->state = rb_recorder_drive_read_state(data->transport, data->name, &error);
		if (data->state == NULL || !rb_raw_cd_format_check_media(data->state, &error) ||
		    !rb_mmc_prevent_allow_medium_removal(data->transport, TRUE, &error) ||
		    !rb_recorder_drive_set_speed(
			    data->transport, data->speed, data->pure_cav, data->state, &error)) {
			g_task_return_error(task, g_steal_pointer(&error));
			return;
		}
		break;
	case RB_DRIVE_OP_RELEASE:
		/* the lock goes whatever the drive says: a gone drive must not keep it */
		if (!rb_mmc_prevent_allow_medium_removal(data->transport, FALSE, &error))
			g_debug("ALLOW MEDIUM REMOVAL: %s", error->message);
		break;
	case RB_DRIVE_OP_CUSTOM:
		if (!data->custom(data->transport, data->custom_data, &error)) {
			g_task_return_error(task, g_steal_pointer(&error));
			return;
		}
		break;
	case RB_DRIVE_OP_SET_SPEED:
		data->state = rb_drive_state_new();
		if (!rb_recorder_drive_set_speed(
			    data->transport, data->speed, data->pure_cav, data->state, &error)) {
			g_task_return_error(task, g_steal_pointer(&error));
			return;
		}
		break;
	}
	g_task_return_boolean(task, TRUE);
}

/* the operation is over, whatever it found: it no longer holds the recorder busy */
static void
rb_raw_cd_format_drive_op_done(GObject *source, GAsyncResult *result, gpointer user_data)
{
	RbRawCdFormat *self = RB_RAW_CD_FORMAT(source);
	RbDriveOpData *data = g_task_get_task_data(G_TASK(result));

	data->callback(source, result, data->user_data);
	self->pending--;
}

void
rb_raw_cd_format_run_drive_op(RbRawCdFormat *self,
			      RbDriveOpData *data,
			      GAsyncReadyCallback callback,
			      gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(self, NULL, rb_raw_cd_format_drive_op_done, NULL);
	g_autoptr(GError) error = NULL;
	RbMmcTransport *transport = self->recorder_ops->get_transport(self->recorder, &error);
	GDBusConnection *connection;

	self->pending++;
	data->callback = callback;
	data->user_data = user_data;
	data->recorder = g_object_ref(self->recorder);
	data->drive_mutex = self->recorder_ops->get_drive_mutex(self->recorder);
	data->name = g_path_get_basename(
		rb_disc_format2_raw_cd_get_recorder(RB_DISC_FORMAT2_RAW_CD(self)));
	connection = g_dbus_interface_skeleton_get_connection(G_DBUS_INTERFACE_SKELETON(self));
	/* an unexported recorder (unplugged, removed) still releases its drive */
	data->connection = connection != NULL ? g_object_ref(connection) : NULL;
	g_task_set_task_data(task, data, (GDestroyNotify)rb_drive_op_data_free);
	if (transport == NULL) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	data->transport = g_object_ref(transport);
	g_task_run_in_thread(task, rb_raw_cd_format_drive_thread);
}
