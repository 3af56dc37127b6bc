/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The DiscFormat2RawCD interface of one recorder: IMAPI's per-client format
 * object, its state machine and the recorder's exclusive lock. Each D-Bus
 * connection is one client with its own ClientName, sector type and speed
 * request, so the generated skeleton's property handlers are replaced; a
 * client's changes are signalled to that client only. Drive work runs in a
 * worker thread, one operation at a time per recorder.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbRawCdFormat"

#include <glib/gi18n.h>
#include <string.h>
#include <unistd.h>

#include "rb-client-table.h"
#include "rb-dbus-util.h"
#include "rb-error.h"
#include "rb-inhibitor.h"

#include "rb-mmc-device.h"
#include "rb-mmc-probe.h"
#include "rb-mmc-cdb.h"
#include "rb-raw-cd-format.h"
#include "rb-write-job.h"

#define RB_WRITE_SPEED_FASTEST (-1)
#define RB_IMAPI_MEDIA_CDR 2
#define RB_IMAPI_MEDIA_CDRW 3
#define RB_CLIENT_NAME_FALLBACK "rawburn-client"
/* WriteMedia's stream starts at 95:00:00 */
#define RB_STREAM_LEADIN_DEFAULT 22650
/* IMAPI's Update cadence while writing */
#define RB_UPDATE_INTERVAL_MS 500

struct _RbRawCdFormat {
	RbDiscFormat2RawCDSkeleton parent_instance;
	GDBusInterfaceVTable vtable;
	const RbRawCdFormatRecorder *recorder_ops;
	gpointer recorder;
	RbClientTable *clients; /* created on first use, once exported */
	gchar *holder;          /* unique name of the lock holder, NULL when free */
	gchar *holder_name;     /* its ClientName, NULL while PrepareMedia runs */
	gboolean writing;
	gboolean release_after_write; /* the holder left while writing */
	gboolean gone;                /* the drive was unplugged */
	GCancellable *cancellable;    /* of the write running */
	RbWriteJob *job;
	RbInhibitor *inhibitor; /* logind's, from PrepareMedia to ReleaseMedia */
	guint update_id;
	gsize fifo_size;
};

G_DEFINE_TYPE(RbRawCdFormat, rb_raw_cd_format, RB_TYPE_DISC_FORMAT2_RAW_CD_SKELETON)

/* Burn's own arguments, kept on its invocation through prepare and write */
typedef struct {
	GUnixFDList *fd_list;
	GVariant *handle;
	gint32 lead_in_sectors;
	guint32 sector_type;
	gboolean buffer_underrun_free_disabled;
} RbBurnArgs;

#define RB_BURN_ARGS_KEY "rb-burn"

static void
rb_burn_args_free(RbBurnArgs *args)
{
	g_clear_object(&args->fd_list);
	g_clear_pointer(&args->handle, g_variant_unref);
	g_free(args);
}

static RbBurnArgs *
rb_burn_args_get(GDBusMethodInvocation *invocation)
{
	return g_object_get_data(G_OBJECT(invocation), RB_BURN_ARGS_KEY);
}

static void rb_raw_cd_format_burn_write(RbRawCdFormat *self, GDBusMethodInvocation *invocation);

/* --- clients -------------------------------------------------------------------- */

static void rb_raw_cd_format_release_vanished(RbRawCdFormat *self);

static void
rb_raw_cd_format_on_client_vanished(const gchar *sender, gpointer user_data)
{
	RbRawCdFormat *self = RB_RAW_CD_FORMAT(user_data);

	/* a lock dies with its connection */
	if (g_strcmp0(sender, self->holder) == 0)
		rb_raw_cd_format_release_vanished(self);
}

static RbClientTable *
rb_raw_cd_format_get_clients(RbRawCdFormat *self)
{
	GDBusConnection *connection;

	if (self->clients != NULL)
		return self->clients;
	connection = g_dbus_interface_skeleton_get_connection(G_DBUS_INTERFACE_SKELETON(self));
	g_return_val_if_fail(connection != NULL, NULL);
	self->clients = rb_client_table_new(connection, rb_raw_cd_format_on_client_vanished, self);
	return self->clients;
}

static RbClientState *
rb_raw_cd_format_client(RbRawCdFormat *self, const gchar *sender)
{
	return rb_client_table_ensure(rb_raw_cd_format_get_clients(self), sender);
}

static gboolean
rb_raw_cd_format_is_holder(RbRawCdFormat *self, const gchar *sender)
{
	return self->holder != NULL && g_strcmp0(self->holder, sender) == 0;
}

/* PropertiesChanged for one client's own values, sent to that client only */
static void
rb_raw_cd_format_notify_client(RbRawCdFormat *self,
			       const gchar *sender,
			       const gchar *property,
			       GVariant *value)
{
	GDBusInterfaceSkeleton *skeleton = G_DBUS_INTERFACE_SKELETON(self);
	GDBusConnection *connection = g_dbus_interface_skeleton_get_connection(skeleton);
	g_autoptr(GVariantBuilder) changed = g_variant_builder_new(G_VARIANT_TYPE("a{sv}"));
	const gchar *invalidated[] = {NULL};

	if (connection == NULL)
		return;
	g_variant_builder_add(changed, "{sv}", property, value);
	g_dbus_connection_emit_signal(connection,
				      sender,
				      g_dbus_interface_skeleton_get_object_path(skeleton),
				      "org.freedesktop.DBus.Properties",
				      "PropertiesChanged",
				      g_variant_new("(sa{sv}^as)",
						    "org.rawburn.RawBurn1.DiscFormat2RawCD",
						    changed,
						    invalidated),
				      NULL);
}

/* --- properties -------------------------------------------------------------------- */

static GVariant *
rb_raw_cd_format_get_property(GDBusConnection *connection,
			      const gchar *sender,
			      const gchar *object_path,
			      const gchar *interface_name,
			      const gchar *property_name,
			      GError **error,
			      gpointer user_data)
{
	RbRawCdFormat *self = RB_RAW_CD_FORMAT(user_data);
	GDBusInterfaceSkeletonClass *parent_class =
		G_DBUS_INTERFACE_SKELETON_CLASS(rb_raw_cd_format_parent_class);
	RbClientState *state = rb_client_table_lookup(rb_raw_cd_format_get_clients(self), sender);

	/* reads return the caller's own values: the defaults until it sets them */
	if (g_strcmp0(property_name, "ClientName") == 0)
		return g_variant_new_string(
			state != NULL && state->client_name != NULL ? state->client_name : "");
	if (g_strcmp0(property_name, "RequestedSectorType") == 0)
		return g_variant_new_uint32(state != NULL ? state->requested_sector_type : 2);
	if (g_strcmp0(property_name, "BufferUnderrunFreeDisabled") == 0)
		return g_variant_new_boolean(state != NULL && state->buffer_underrun_free_disabled);
	if (g_strcmp0(property_name, "RequestedWriteSpeed") == 0)
		return g_variant_new_int32(state != NULL ? state->requested_write_speed
							 : RB_WRITE_SPEED_FASTEST);
	if (g_strcmp0(property_name, "RequestedRotationTypeIsPureCAV") == 0)
		return g_variant_new_boolean(state != NULL && state->requested_pure_cav);
	return parent_class->get_vtable(G_DBUS_INTERFACE_SKELETON(self))
		->get_property(connection,
			       sender,
			       object_path,
			       interface_name,
			       property_name,
			       error,
			       user_data);
}

static gboolean
rb_raw_cd_format_has_sector_type(RbRawCdFormat *self, guint32 type)
{
	g_autoptr(GVariant) types =
		rb_disc_format2_raw_cd_dup_supported_sector_types(RB_DISC_FORMAT2_RAW_CD(self));
	gsize n = 0;
	const guint32 *values = g_variant_get_fixed_array(types, &n, sizeof(guint32));

	for (gsize i = 0; i < n; i++) {
		if (values[i] == type)
			return TRUE;
	}
	return FALSE;
}

static gboolean
rb_raw_cd_format_set_property(GDBusConnection *connection,
			      const gchar *sender,
			      const gchar *object_path,
			      const gchar *interface_name,
			      const gchar *property_name,
			      GVariant *value,
			      GError **error,
			      gpointer user_data)
{
	RbRawCdFormat *self = RB_RAW_CD_FORMAT(user_data);
	RbClientState *state = rb_raw_cd_format_client(self, sender);
	gboolean prepared = rb_raw_cd_format_is_holder(self, sender);

	if (prepared && self->writing) {
		rb_error_set_default(error, RB_ERROR_WRITE_IN_PROGRESS);
		return FALSE;
	}
	if (g_strcmp0(property_name, "ClientName") == 0) {
		const gchar *name = g_variant_get_string(value, NULL);
		if (prepared) {
			rb_error_set_default(error, RB_ERROR_MEDIA_IS_PREPARED);
			return FALSE;
		}
		if (!rb_client_name_is_valid(name)) {
			rb_error_set_default(error, RB_ERROR_CLIENT_NAME_IS_NOT_VALID);
			return FALSE;
		}
		g_free(state->client_name);
		state->client_name = g_strdup(name);
	} else if (g_strcmp0(property_name, "RequestedSectorType") == 0) {
		guint32 type = g_variant_get_uint32(value);
		if (!prepared) {
			rb_error_set_default(error, RB_ERROR_MEDIA_IS_NOT_PREPARED);
			return FALSE;
		}
		if (!rb_raw_cd_format_has_sector_type(self, type)) {
			rb_error_set(error,
				     RB_ERROR_DATA_BLOCK_TYPE_NOT_SUPPORTED,
				     _("The recorder does not support sector type %u; pick one of "
				       "SupportedSectorTypes."),
				     type);
			return FALSE;
		}
		state->requested_sector_type = type;
	} else if (g_strcmp0(property_name, "BufferUnderrunFreeDisabled") == 0) {
		if (!prepared) {
			rb_error_set_default(error, RB_ERROR_MEDIA_IS_NOT_PREPARED);
			return FALSE;
		}
		state->buffer_underrun_free_disabled = g_variant_get_boolean(value);
	} else {
		return rb_dbus_util_refuse_property_write(interface_name, property_name, error);
	}
	rb_raw_cd_format_notify_client(self, sender, property_name, value);
	return TRUE;
}

static GDBusInterfaceVTable *
rb_raw_cd_format_get_vtable(GDBusInterfaceSkeleton *skeleton)
{
	RbRawCdFormat *self = RB_RAW_CD_FORMAT(skeleton);
	GDBusInterfaceSkeletonClass *parent_class =
		G_DBUS_INTERFACE_SKELETON_CLASS(rb_raw_cd_format_parent_class);

	self->vtable = *parent_class->get_vtable(skeleton);
	self->vtable.get_property = rb_raw_cd_format_get_property;
	self->vtable.set_property = rb_raw_cd_format_set_property;
	return &self->vtable;
}

/* --- drive operations, in a worker thread ---------------------------------------------- */

typedef enum {
	RB_DRIVE_OP_PREPARE,
	RB_DRIVE_OP_RELEASE,
	RB_DRIVE_OP_SET_SPEED,
} RbDriveOp;

typedef struct {
	RbDriveOp op;
	gchar *sender;
	gchar *name;        /* the recorder's, for messages */
	gchar *client_name; /* NULL: the caller's process name */
	gint32 speed;
	gboolean pure_cav;
	GDBusConnection *connection;
	GObject *recorder; /* kept alive until the callback ran: it may be unplugged meanwhile */
	RbMmcTransport *transport;
	GMutex *drive_mutex;
	RbDriveState *state; /* result */
} RbDriveOpData;

static void
rb_drive_op_data_free(RbDriveOpData *data)
{
	g_free(data->sender);
	g_free(data->name);
	g_free(data->client_name);
	g_clear_object(&data->connection);
	g_clear_object(&data->recorder);
	g_clear_object(&data->transport);
	rb_drive_state_free(data->state);
	g_free(data);
}

/* IMAPI's default ClientName: the calling process's name, made valid */
static gchar *
rb_raw_cd_format_process_name(GDBusConnection *connection, const gchar *sender)
{
	g_autoptr(GVariant) reply = NULL;
	g_autofree gchar *path = NULL;
	g_autofree gchar *comm = NULL;
	guint32 pid = 0;

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
	path = g_strdup_printf("/proc/%u/comm", pid);
	if (pid == 0 || !g_file_get_contents(path, &comm, NULL, NULL))
		return g_strdup(RB_CLIENT_NAME_FALLBACK);
	g_strstrip(comm);
	for (gchar *p = comm; *p != '\0'; p++) {
		if (!g_ascii_isalnum(*p) && strchr(" .,:;-_", *p) == NULL)
			*p = '_';
	}
	if (!rb_client_name_is_valid(comm))
		return g_strdup(RB_CLIENT_NAME_FALLBACK);
	return g_steal_pointer(&comm);
}

static gboolean
rb_raw_cd_format_check_media(const RbDriveState *state, GError **error)
{
	if (!state->media_present) {
		rb_error_set_default(error, RB_ERROR_MEDIA_NO_MEDIA);
		return FALSE;
	}
	if (state->media_type != RB_IMAPI_MEDIA_CDR && state->media_type != RB_IMAPI_MEDIA_CDRW) {
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

static void
rb_raw_cd_format_run_drive_op(RbRawCdFormat *self,
			      RbDriveOpData *data,
			      GAsyncReadyCallback callback,
			      gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(self, NULL, callback, user_data);
	g_autoptr(GError) error = NULL;
	RbMmcTransport *transport = self->recorder_ops->get_transport(self->recorder, &error);

	data->recorder = g_object_ref(G_OBJECT(self->recorder));
	data->drive_mutex = self->recorder_ops->get_drive_mutex(self->recorder);
	data->name = g_path_get_basename(
		rb_disc_format2_raw_cd_get_recorder(RB_DISC_FORMAT2_RAW_CD(self)));
	data->connection = g_object_ref(
		g_dbus_interface_skeleton_get_connection(G_DBUS_INTERFACE_SKELETON(self)));
	g_task_set_task_data(task, data, (GDestroyNotify)rb_drive_op_data_free);
	if (transport == NULL) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	data->transport = g_object_ref(transport);
	g_task_run_in_thread(task, rb_raw_cd_format_drive_thread);
}

/* an IMAPI state error: the code's own description says what to do */
static void
rb_raw_cd_format_refuse(GDBusMethodInvocation *invocation, RbError code)
{
	g_dbus_method_invocation_take_error(
		invocation, rb_error_new(code, "%s", rb_error_get_description(code)));
}

/* --- PrepareMedia / ReleaseMedia --------------------------------------------------------- */

static void
rb_raw_cd_format_set_owner(RbRawCdFormat *self, const gchar *sender, const gchar *client_name)
{
	g_free(self->holder);
	self->holder = g_strdup(sender);
	g_free(self->holder_name);
	self->holder_name = g_strdup(client_name);
	self->recorder_ops->set_exclusive_owner(self->recorder,
						client_name != NULL ? client_name : "");
	if (sender == NULL && self->inhibitor != NULL) {
		rb_inhibitor_release(self->inhibitor);
		g_clear_object(&self->inhibitor);
	}
}

static void
rb_raw_cd_format_inhibitor_done(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(RbRawCdFormat) self = RB_RAW_CD_FORMAT(user_data);
	g_autoptr(GError) error = NULL;
	g_autoptr(RbInhibitor) inhibitor = rb_inhibitor_acquire_finish(result, &error);

	if (error != NULL)
		g_warning("cannot keep the machine from sleeping during the burn: %s",
			  error->message);
	/* released meanwhile: the lock is gone, so is the reason to inhibit */
	if (inhibitor == NULL || self->holder_name == NULL)
		return;
	g_clear_object(&self->inhibitor);
	self->inhibitor = g_steal_pointer(&inhibitor);
}

/* a burn must not be cut short by suspend or shutdown, as IMAPI asks of apps */
static void
rb_raw_cd_format_inhibit(RbRawCdFormat *self)
{
	GDBusConnection *connection =
		g_dbus_interface_skeleton_get_connection(G_DBUS_INTERFACE_SKELETON(self));
	g_autofree gchar *why = g_strdup_printf(_("Burning a CD for %s"), self->holder_name);

	rb_inhibitor_acquire_async(connection,
				   "rawburn",
				   why,
				   NULL,
				   rb_raw_cd_format_inhibitor_done,
				   g_object_ref(self));
}

static void
rb_raw_cd_format_prepare_done(GObject *source, GAsyncResult *result, gpointer user_data)
{
	RbRawCdFormat *self = RB_RAW_CD_FORMAT(source);
	g_autoptr(GDBusMethodInvocation) invocation = user_data;
	RbDriveOpData *data = g_task_get_task_data(G_TASK(result));
	g_autoptr(GError) error = NULL;

	if (data->state != NULL) {
		self->recorder_ops->apply_drive_state(self->recorder, data->state);
		rb_raw_cd_format_apply_drive_state(self, data->state);
	}
	if (!g_task_propagate_boolean(G_TASK(result), &error)) {
		if (g_strcmp0(self->holder, data->sender) == 0)
			rb_raw_cd_format_set_owner(self, NULL, NULL);
		rb_dbus_util_return_error(invocation, error);
		return;
	}
	/* the client may have left while the drive was busy */
	if (g_strcmp0(self->holder, data->sender) != 0) {
		g_dbus_method_invocation_return_error_literal(
			invocation,
			RB_ERROR,
			RB_ERROR_REQUEST_CANCELLED,
			rb_error_get_description(RB_ERROR_REQUEST_CANCELLED));
		return;
	}
	rb_raw_cd_format_set_owner(self, data->sender, data->client_name);
	rb_raw_cd_format_inhibit(self);
	if (rb_burn_args_get(invocation) != NULL) {
		rb_raw_cd_format_burn_write(self, invocation);
		return;
	}
	rb_disc_format2_raw_cd_complete_prepare_media(RB_DISC_FORMAT2_RAW_CD(self), invocation);
}

static void rb_raw_cd_format_prepare_authorized(RbRawCdFormat *self,
						GDBusMethodInvocation *invocation);

static void
rb_raw_cd_format_prepare_auth_done(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(GDBusMethodInvocation) invocation = user_data;
	RbRawCdFormat *self = g_object_get_data(G_OBJECT(invocation), "rb-format");
	g_autoptr(GError) error = NULL;

	if (!rb_authority_check_finish(RB_AUTHORITY(source), result, &error)) {
		rb_dbus_util_return_error(invocation, error);
		return;
	}
	rb_raw_cd_format_prepare_authorized(self, invocation);
}

/* writing a disc needs the burn authorization: PrepareMedia is where it starts */
static gboolean
rb_raw_cd_format_handle_prepare_media(RbDiscFormat2RawCD *iface, GDBusMethodInvocation *invocation)
{
	RbRawCdFormat *self = RB_RAW_CD_FORMAT(iface);

	g_object_set_data_full(
		G_OBJECT(invocation), "rb-format", g_object_ref(self), g_object_unref);
	rb_authority_check_async(self->recorder_ops->get_authority(self->recorder),
				 g_dbus_method_invocation_get_sender(invocation),
				 RB_AUTHORITY_ACTION_BURN,
				 _("Authentication is required to write to a CD recorder"),
				 NULL,
				 rb_raw_cd_format_prepare_auth_done,
				 g_object_ref(invocation));
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
rb_raw_cd_format_prepare_authorized(RbRawCdFormat *self, GDBusMethodInvocation *invocation)
{
	const gchar *sender = g_dbus_method_invocation_get_sender(invocation);
	RbClientState *state = rb_raw_cd_format_client(self, sender);
	RbDriveOpData *data;

	if (rb_raw_cd_format_is_holder(self, sender)) {
		rb_raw_cd_format_refuse(invocation, RB_ERROR_MEDIA_IS_PREPARED);
		return;
	}
	if (self->holder != NULL) {
		g_dbus_method_invocation_take_error(
			invocation,
			rb_error_new(
				RB_ERROR_LOCKED,
				/* TRANSLATORS: %s is the ClientName of the application holding the
				   recorder */
				_("“%s” holds the recorder; wait until it releases the medium."),
				self->holder_name != NULL ? self->holder_name
							  : _("another client")));
		return;
	}
	/* taken now, before the drive is asked, so that a second client waits its turn */
	rb_raw_cd_format_set_owner(self, sender, NULL);
	data = g_new0(RbDriveOpData, 1);
	data->op = RB_DRIVE_OP_PREPARE;
	data->sender = g_strdup(sender);
	data->client_name = g_strdup(state->client_name);
	data->speed = state->requested_write_speed;
	data->pure_cav = state->requested_pure_cav;
	rb_raw_cd_format_run_drive_op(
		self, data, rb_raw_cd_format_prepare_done, g_object_ref(invocation));
}

static void
rb_raw_cd_format_release_done(GObject *source, GAsyncResult *result, gpointer user_data)
{
	GDBusMethodInvocation *invocation = user_data;
	RbRawCdFormat *self = RB_RAW_CD_FORMAT(source);

	/* unless someone took the lock meanwhile, the drive is free for others */
	if (self->holder == NULL)
		self->recorder_ops->drive_released(self->recorder);
	if (invocation != NULL) {
		rb_disc_format2_raw_cd_complete_release_media(RB_DISC_FORMAT2_RAW_CD(source),
							      invocation);
		g_object_unref(invocation);
	}
}

static void
rb_raw_cd_format_release(RbRawCdFormat *self, GDBusMethodInvocation *invocation)
{
	RbDriveOpData *data = g_new0(RbDriveOpData, 1);

	data->op = RB_DRIVE_OP_RELEASE;
	data->sender = g_strdup(self->holder);
	/* free at once: the lock is the daemon's, the drive catches up */
	rb_raw_cd_format_set_owner(self, NULL, NULL);
	rb_raw_cd_format_run_drive_op(self,
				      data,
				      rb_raw_cd_format_release_done,
				      invocation != NULL ? g_object_ref(invocation) : NULL);
}

static void
rb_raw_cd_format_release_vanished(RbRawCdFormat *self)
{
	g_debug("lock holder %s left the bus: releasing the medium", self->holder);
	if (self->writing) {
		/* the drive is released once the write has stopped */
		self->release_after_write = TRUE;
		g_cancellable_cancel(self->cancellable);
		return;
	}
	rb_raw_cd_format_release(self, NULL);
}

static gboolean
rb_raw_cd_format_handle_release_media(RbDiscFormat2RawCD *iface, GDBusMethodInvocation *invocation)
{
	RbRawCdFormat *self = RB_RAW_CD_FORMAT(iface);
	const gchar *sender = g_dbus_method_invocation_get_sender(invocation);

	if (!rb_raw_cd_format_is_holder(self, sender) || self->holder_name == NULL) {
		rb_raw_cd_format_refuse(invocation, RB_ERROR_MEDIA_IS_NOT_PREPARED);
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	if (self->writing) {
		rb_raw_cd_format_refuse(invocation, RB_ERROR_WRITE_IN_PROGRESS);
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	rb_raw_cd_format_release(self, invocation);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* --- SetWriteSpeed / CancelWrite ---------------------------------------------------------- */

static void
rb_raw_cd_format_set_speed_done(GObject *source, GAsyncResult *result, gpointer user_data)
{
	RbRawCdFormat *self = RB_RAW_CD_FORMAT(source);
	g_autoptr(GDBusMethodInvocation) invocation = user_data;
	RbDriveOpData *data = g_task_get_task_data(G_TASK(result));
	g_autoptr(GError) error = NULL;

	if (!g_task_propagate_boolean(G_TASK(result), &error)) {
		rb_dbus_util_return_error(invocation, error);
		return;
	}
	rb_disc_format2_raw_cd_set_current_write_speed(RB_DISC_FORMAT2_RAW_CD(self),
						       data->state->current_write_speed);
	rb_disc_format2_raw_cd_set_current_rotation_type_is_pure_cav(RB_DISC_FORMAT2_RAW_CD(self),
								     data->state->current_pure_cav);
	rb_disc_format2_raw_cd_complete_set_write_speed(RB_DISC_FORMAT2_RAW_CD(self), invocation);
}

static gboolean
rb_raw_cd_format_handle_set_write_speed(RbDiscFormat2RawCD *iface,
					GDBusMethodInvocation *invocation,
					gint32 sectors_per_second,
					gboolean pure_cav)
{
	RbRawCdFormat *self = RB_RAW_CD_FORMAT(iface);
	const gchar *sender = g_dbus_method_invocation_get_sender(invocation);
	RbClientState *state = rb_raw_cd_format_client(self, sender);
	RbDriveOpData *data;

	if (sectors_per_second != RB_WRITE_SPEED_FASTEST && sectors_per_second <= 0) {
		g_dbus_method_invocation_return_error(
			invocation,
			G_DBUS_ERROR,
			G_DBUS_ERROR_INVALID_ARGS,
			_("The write speed must be -1 (fastest) or a number of sectors per second "
			  "above 0, not %d."),
			sectors_per_second);
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	if (rb_raw_cd_format_is_holder(self, sender) && self->writing) {
		rb_raw_cd_format_refuse(invocation, RB_ERROR_WRITE_IN_PROGRESS);
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	state->requested_write_speed = sectors_per_second;
	state->requested_pure_cav = pure_cav;
	rb_raw_cd_format_notify_client(
		self, sender, "RequestedWriteSpeed", g_variant_new_int32(sectors_per_second));
	rb_raw_cd_format_notify_client(
		self, sender, "RequestedRotationTypeIsPureCAV", g_variant_new_boolean(pure_cav));
	/* only the lock holder's request reaches the drive now; others' at PrepareMedia */
	if (!rb_raw_cd_format_is_holder(self, sender) || self->holder_name == NULL) {
		rb_disc_format2_raw_cd_complete_set_write_speed(iface, invocation);
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	data = g_new0(RbDriveOpData, 1);
	data->op = RB_DRIVE_OP_SET_SPEED;
	data->sender = g_strdup(sender);
	data->speed = sectors_per_second;
	data->pure_cav = pure_cav;
	rb_raw_cd_format_run_drive_op(
		self, data, rb_raw_cd_format_set_speed_done, g_object_ref(invocation));
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
rb_raw_cd_format_handle_cancel_write(RbDiscFormat2RawCD *iface, GDBusMethodInvocation *invocation)
{
	RbRawCdFormat *self = RB_RAW_CD_FORMAT(iface);
	const gchar *sender = g_dbus_method_invocation_get_sender(invocation);

	if (!rb_raw_cd_format_is_holder(self, sender) || !self->writing) {
		rb_raw_cd_format_refuse(invocation, RB_ERROR_WRITE_NOT_IN_PROGRESS);
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	/* the pending write replies RequestCancelled once both threads stopped */
	g_cancellable_cancel(self->cancellable);
	rb_disc_format2_raw_cd_complete_cancel_write(iface, invocation);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* --- the write ------------------------------------------------------------------------------ */

static gboolean
rb_raw_cd_format_check_can_write(RbRawCdFormat *self, GDBusMethodInvocation *invocation)
{
	const gchar *sender = g_dbus_method_invocation_get_sender(invocation);

	if (!rb_raw_cd_format_is_holder(self, sender) || self->holder_name == NULL) {
		rb_raw_cd_format_refuse(invocation, RB_ERROR_MEDIA_IS_NOT_PREPARED);
		return FALSE;
	}
	if (self->writing) {
		rb_raw_cd_format_refuse(invocation, RB_ERROR_WRITE_IN_PROGRESS);
		return FALSE;
	}
	return TRUE;
}

static void
rb_raw_cd_format_emit_update(RbRawCdFormat *self)
{
	RbWriteProgress progress;

	rb_write_job_get_progress(self->job, &progress);
	rb_disc_format2_raw_cd_set_current_action(RB_DISC_FORMAT2_RAW_CD(self), progress.action);
	/* FIFO figures in bytes, clamped to the signal's 32-bit fields */
	rb_disc_format2_raw_cd_emit_update(RB_DISC_FORMAT2_RAW_CD(self),
					   progress.action,
					   progress.elapsed_seconds,
					   progress.remaining_seconds,
					   progress.start_lba,
					   progress.sector_count,
					   progress.last_read_lba,
					   progress.last_written_lba,
					   (gint32)MIN(progress.fifo_total, G_MAXINT32),
					   (gint32)MIN(progress.fifo_used, G_MAXINT32),
					   (gint32)MIN(progress.fifo_free, G_MAXINT32));
}

static gboolean
rb_raw_cd_format_on_update_timer(gpointer user_data)
{
	rb_raw_cd_format_emit_update(RB_RAW_CD_FORMAT(user_data));
	return G_SOURCE_CONTINUE;
}

static void
rb_raw_cd_format_on_action(RbWriteJob *job, RbWriteAction action, gpointer user_data)
{
	RbRawCdFormat *self = RB_RAW_CD_FORMAT(user_data);

	/* the job may have ended already: only the live one reports */
	if (self->job == job)
		rb_raw_cd_format_emit_update(self);
}

/* a Burn releases the medium it prepared before it replies */
static void
rb_raw_cd_format_write_failed(RbRawCdFormat *self,
			      GDBusMethodInvocation *invocation,
			      const GError *error)
{
	if (rb_burn_args_get(invocation) != NULL && self->holder != NULL)
		rb_raw_cd_format_release(self, NULL);
	rb_dbus_util_return_error(invocation, error);
}

static void
rb_raw_cd_format_write_done(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(GDBusMethodInvocation) invocation = user_data;
	RbRawCdFormat *self = g_object_get_data(G_OBJECT(invocation), "rb-format");
	g_autoptr(RbWriteJob) job = RB_WRITE_JOB(g_object_ref(source));
	g_autoptr(GError) error = NULL;
	gboolean ok = rb_write_job_run_finish(job, result, &error);

	/* whatever the threads met, the reason is that the drive went away */
	if (self->gone) {
		g_clear_error(&error);
		error = rb_error_new(
			RB_ERROR_DEVICE_GONE, "%s", rb_error_get_description(RB_ERROR_DEVICE_GONE));
		ok = FALSE;
	}

	/* the last Update shows where the write ended */
	g_clear_handle_id(&self->update_id, g_source_remove);
	rb_raw_cd_format_emit_update(self);
	g_clear_object(&self->job);
	g_clear_object(&self->cancellable);
	self->writing = FALSE;
	rb_disc_format2_raw_cd_set_write_in_progress(RB_DISC_FORMAT2_RAW_CD(self), FALSE);
	rb_disc_format2_raw_cd_set_current_action(RB_DISC_FORMAT2_RAW_CD(self),
						  RB_WRITE_ACTION_UNKNOWN);
	self->recorder_ops->write_finished(self->recorder);
	if (self->release_after_write) {
		self->release_after_write = FALSE;
		rb_raw_cd_format_release(self, NULL);
	}
	if (!ok) {
		rb_raw_cd_format_write_failed(self, invocation, error);
		return;
	}
	if (rb_burn_args_get(invocation) != NULL && self->holder != NULL)
		rb_raw_cd_format_release(self, NULL);
	g_dbus_method_invocation_return_value(invocation, NULL);
}

static void
rb_raw_cd_format_start_write(RbRawCdFormat *self,
			     GDBusMethodInvocation *invocation,
			     GUnixFDList *fd_list,
			     GVariant *handle,
			     gint32 lead_in_sectors)
{
	RbDiscFormat2RawCD *iface = RB_DISC_FORMAT2_RAW_CD(self);
	const gchar *sender = g_dbus_method_invocation_get_sender(invocation);
	RbClientState *state = rb_raw_cd_format_client(self, sender);
	g_autoptr(GError) error = NULL;
	RbWriteJobParams params = {0};
	RbMmcTransport *transport;
	gint fd;

	if (!rb_raw_cd_format_check_can_write(self, invocation))
		return;
	fd = fd_list != NULL ? g_unix_fd_list_get(fd_list, g_variant_get_handle(handle), &error)
			     : -1;
	if (fd < 0) {
		g_autoptr(GError) fd_error =
			rb_error_new(RB_ERROR_STREAM_NOT_SUPPORTED,
				     "%s",
				     rb_error_get_description(RB_ERROR_STREAM_NOT_SUPPORTED));
		rb_raw_cd_format_write_failed(self, invocation, fd_error);
		return;
	}
	params.fd = fd;
	/* the stream's first sector is LBA -|streamLeadInSectors| */
	params.stream_first_lba =
		lead_in_sectors == G_MININT32 ? G_MININT32 : -ABS(lead_in_sectors);
	params.sector_type = state->requested_sector_type;
	params.leadin_start_lba = rb_disc_format2_raw_cd_get_start_of_next_session(iface);
	params.last_leadout_start_lba =
		rb_disc_format2_raw_cd_get_last_possible_start_of_leadout(iface);
	params.bufe = !state->buffer_underrun_free_disabled;
	params.write_speed_kbps = rb_mmc_speed_sectors_to_kbps(state->requested_write_speed);
	params.rotation = state->requested_pure_cav ? 1 : 0;
	params.fifo_size = self->fifo_size;
	transport = self->recorder_ops->get_transport(self->recorder, &error);
	self->job = transport != NULL ? rb_write_job_new(transport, &params, &error) : NULL;
	close(fd);
	if (self->job == NULL) {
		rb_raw_cd_format_write_failed(self, invocation, error);
		return;
	}
	self->writing = TRUE;
	self->cancellable = g_cancellable_new();
	rb_disc_format2_raw_cd_set_write_in_progress(iface, TRUE);
	rb_write_job_set_action_func(self->job, rb_raw_cd_format_on_action, self, NULL);
	self->update_id =
		g_timeout_add(RB_UPDATE_INTERVAL_MS, rb_raw_cd_format_on_update_timer, self);
	/* the reply comes when the burn has ended; the object lives until then */
	g_object_set_data_full(
		G_OBJECT(invocation), "rb-format", g_object_ref(self), g_object_unref);
	/* the recorder may be unplugged while writing: write_done still reports to it */
	g_object_set_data_full(G_OBJECT(invocation),
			       "rb-recorder",
			       g_object_ref(G_OBJECT(self->recorder)),
			       g_object_unref);
	rb_write_job_run_async(self->job,
			       self->cancellable,
			       rb_raw_cd_format_write_done,
			       g_object_ref(invocation));
}

static gboolean
rb_raw_cd_format_handle_write_media(RbDiscFormat2RawCD *iface,
				    GDBusMethodInvocation *invocation,
				    GUnixFDList *fd_list,
				    GVariant *data)
{
	rb_raw_cd_format_start_write(
		RB_RAW_CD_FORMAT(iface), invocation, fd_list, data, RB_STREAM_LEADIN_DEFAULT);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
rb_raw_cd_format_handle_write_media2(RbDiscFormat2RawCD *iface,
				     GDBusMethodInvocation *invocation,
				     GUnixFDList *fd_list,
				     GVariant *data,
				     gint32 lead_in_sectors)
{
	rb_raw_cd_format_start_write(
		RB_RAW_CD_FORMAT(iface), invocation, fd_list, data, lead_in_sectors);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* --- Burn: PrepareMedia, the settings, WriteMedia2 and ReleaseMedia in one call ----------- */

static void
rb_raw_cd_format_burn_write(RbRawCdFormat *self, GDBusMethodInvocation *invocation)
{
	RbBurnArgs *args = rb_burn_args_get(invocation);
	RbClientState *state =
		rb_raw_cd_format_client(self, g_dbus_method_invocation_get_sender(invocation));

	if (!rb_raw_cd_format_has_sector_type(self, args->sector_type)) {
		g_autoptr(GError) error =
			rb_error_new(RB_ERROR_DATA_BLOCK_TYPE_NOT_SUPPORTED,
				     _("The recorder does not support sector type %u; pick one of "
				       "SupportedSectorTypes."),
				     args->sector_type);
		rb_raw_cd_format_write_failed(self, invocation, error);
		return;
	}
	state->requested_sector_type = args->sector_type;
	state->buffer_underrun_free_disabled = args->buffer_underrun_free_disabled;
	rb_raw_cd_format_start_write(
		self, invocation, args->fd_list, args->handle, args->lead_in_sectors);
}

/* options onto the caller's state; FALSE with the reply sent on a bad one */
static gboolean
rb_raw_cd_format_burn_options(RbRawCdFormat *self,
			      GDBusMethodInvocation *invocation,
			      GVariant *options,
			      RbBurnArgs *args)
{
	RbClientState *state =
		rb_raw_cd_format_client(self, g_dbus_method_invocation_get_sender(invocation));
	GVariantIter iter;
	const gchar *key;
	GVariant *entry_value;

	g_variant_iter_init(&iter, options);
	while (g_variant_iter_next(&iter, "{&sv}", &key, &entry_value)) {
		/* iter_next, not iter_loop: returning early must not leak the value */
		g_autoptr(GVariant) value = entry_value;

		if (g_strcmp0(key, "ClientName") == 0 &&
		    g_variant_is_of_type(value, G_VARIANT_TYPE_STRING)) {
			if (!rb_client_name_is_valid(g_variant_get_string(value, NULL))) {
				g_dbus_method_invocation_take_error(
					invocation,
					rb_error_new(RB_ERROR_CLIENT_NAME_IS_NOT_VALID,
						     "%s",
						     rb_error_get_description(
							     RB_ERROR_CLIENT_NAME_IS_NOT_VALID)));
				return FALSE;
			}
			g_free(state->client_name);
			state->client_name = g_variant_dup_string(value, NULL);
		} else if (g_strcmp0(key, "SectorType") == 0 &&
			   g_variant_is_of_type(value, G_VARIANT_TYPE_UINT32)) {
			args->sector_type = g_variant_get_uint32(value);
		} else if (g_strcmp0(key, "BufferUnderrunFreeDisabled") == 0 &&
			   g_variant_is_of_type(value, G_VARIANT_TYPE_BOOLEAN)) {
			args->buffer_underrun_free_disabled = g_variant_get_boolean(value);
		} else if (g_strcmp0(key, "WriteSpeed") == 0 &&
			   g_variant_is_of_type(value, G_VARIANT_TYPE_INT32)) {
			gint32 speed = g_variant_get_int32(value);
			if (speed != RB_WRITE_SPEED_FASTEST && speed <= 0) {
				g_dbus_method_invocation_return_error(
					invocation,
					G_DBUS_ERROR,
					G_DBUS_ERROR_INVALID_ARGS,
					_("The write speed must be -1 (fastest) or a number of "
					  "sectors per second above 0, not %d."),
					speed);
				return FALSE;
			}
			state->requested_write_speed = speed;
		} else if (g_strcmp0(key, "PureCAV") == 0 &&
			   g_variant_is_of_type(value, G_VARIANT_TYPE_BOOLEAN)) {
			state->requested_pure_cav = g_variant_get_boolean(value);
		} else if (g_strcmp0(key, "StreamLeadInSectors") == 0 &&
			   g_variant_is_of_type(value, G_VARIANT_TYPE_INT32)) {
			args->lead_in_sectors = g_variant_get_int32(value);
		} else {
			g_dbus_method_invocation_return_error(
				invocation,
				G_DBUS_ERROR,
				G_DBUS_ERROR_INVALID_ARGS,
				_("Unknown Burn option “%s” of type “%s”; use ClientName (s), "
				  "SectorType (u), "
				  "BufferUnderrunFreeDisabled (b), WriteSpeed (i), PureCAV (b) or "
				  "StreamLeadInSectors (i)."),
				key,
				g_variant_get_type_string(value));
			return FALSE;
		}
	}
	return TRUE;
}

static gboolean
rb_raw_cd_format_handle_burn(RbDiscFormat2RawCD *iface,
			     GDBusMethodInvocation *invocation,
			     GUnixFDList *fd_list,
			     GVariant *handle,
			     GVariant *options)
{
	RbRawCdFormat *self = RB_RAW_CD_FORMAT(iface);
	RbBurnArgs *args = g_new0(RbBurnArgs, 1);

	args->fd_list = fd_list != NULL ? g_object_ref(fd_list) : NULL;
	args->handle = g_variant_ref(handle);
	args->lead_in_sectors = RB_STREAM_LEADIN_DEFAULT;
	args->sector_type = 2;
	g_object_set_data_full(
		G_OBJECT(invocation), RB_BURN_ARGS_KEY, args, (GDestroyNotify)rb_burn_args_free);
	if (!rb_raw_cd_format_burn_options(self, invocation, options, args))
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	/* the rest is PrepareMedia's way, continued by rb_raw_cd_format_burn_write() */
	return rb_raw_cd_format_handle_prepare_media(iface, invocation);
}

/* --- life cycle ------------------------------------------------------------------------------- */

static void
rb_raw_cd_format_dispose(GObject *object)
{
	RbRawCdFormat *self = RB_RAW_CD_FORMAT(object);

	if (self->cancellable != NULL)
		g_cancellable_cancel(self->cancellable);
	g_clear_object(&self->cancellable);
	g_clear_object(&self->clients);
	if (self->inhibitor != NULL)
		rb_inhibitor_release(self->inhibitor);
	g_clear_object(&self->inhibitor);
	G_OBJECT_CLASS(rb_raw_cd_format_parent_class)->dispose(object);
}

static void
rb_raw_cd_format_finalize(GObject *object)
{
	RbRawCdFormat *self = RB_RAW_CD_FORMAT(object);

	g_free(self->holder);
	g_free(self->holder_name);
	G_OBJECT_CLASS(rb_raw_cd_format_parent_class)->finalize(object);
}

static void
rb_raw_cd_format_class_init(RbRawCdFormatClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GDBusInterfaceSkeletonClass *skeleton_class = G_DBUS_INTERFACE_SKELETON_CLASS(klass);

	object_class->dispose = rb_raw_cd_format_dispose;
	object_class->finalize = rb_raw_cd_format_finalize;
	skeleton_class->get_vtable = rb_raw_cd_format_get_vtable;
}

static void
rb_raw_cd_format_init(RbRawCdFormat *self)
{
	RbDiscFormat2RawCD *iface = RB_DISC_FORMAT2_RAW_CD(self);

	/* neutral values: a GetAll must never fail, even with no medium */
	rb_disc_format2_raw_cd_set_supported_sector_types(
		iface, g_variant_new_array(G_VARIANT_TYPE_UINT32, NULL, 0));
	rb_disc_format2_raw_cd_set_supported_write_speeds(
		iface, g_variant_new_array(G_VARIANT_TYPE_INT32, NULL, 0));
	rb_disc_format2_raw_cd_set_supported_write_speed_descriptors(
		iface, g_variant_new_array(G_VARIANT_TYPE("(ubi)"), NULL, 0));
	rb_disc_format2_raw_cd_set_current_write_speed(iface, RB_WRITE_SPEED_FASTEST);
	rb_disc_format2_raw_cd_set_requested_sector_type(iface, 2);
	rb_disc_format2_raw_cd_set_requested_write_speed(iface, RB_WRITE_SPEED_FASTEST);

	g_signal_connect(self,
			 "handle-prepare-media",
			 G_CALLBACK(rb_raw_cd_format_handle_prepare_media),
			 NULL);
	g_signal_connect(self,
			 "handle-release-media",
			 G_CALLBACK(rb_raw_cd_format_handle_release_media),
			 NULL);
	g_signal_connect(self,
			 "handle-set-write-speed",
			 G_CALLBACK(rb_raw_cd_format_handle_set_write_speed),
			 NULL);
	g_signal_connect(self,
			 "handle-cancel-write",
			 G_CALLBACK(rb_raw_cd_format_handle_cancel_write),
			 NULL);
	g_signal_connect(
		self, "handle-write-media", G_CALLBACK(rb_raw_cd_format_handle_write_media), NULL);
	g_signal_connect(self,
			 "handle-write-media2",
			 G_CALLBACK(rb_raw_cd_format_handle_write_media2),
			 NULL);
	g_signal_connect(self, "handle-burn", G_CALLBACK(rb_raw_cd_format_handle_burn), NULL);
}

RbRawCdFormat *
rb_raw_cd_format_new(const gchar *object_path,
		     const RbRawCdFormatRecorder *recorder_ops,
		     gpointer recorder)
{
	RbRawCdFormat *self = g_object_new(RB_TYPE_RAW_CD_FORMAT, NULL);

	self->recorder_ops = recorder_ops;
	self->recorder = recorder;
	rb_disc_format2_raw_cd_set_recorder(RB_DISC_FORMAT2_RAW_CD(self), object_path);
	return self;
}

/* the shared, read-only properties from what the drive said */
void
rb_raw_cd_format_apply_drive_state(RbRawCdFormat *self, const RbDriveState *state)
{
	RbDiscFormat2RawCD *iface = RB_DISC_FORMAT2_RAW_CD(self);
	g_autoptr(GVariantBuilder) speeds = g_variant_builder_new(G_VARIANT_TYPE("ai"));
	g_autoptr(GVariantBuilder) descriptors = g_variant_builder_new(G_VARIANT_TYPE("a(ubi)"));
	gboolean supported = state->media_present && (state->media_type == RB_IMAPI_MEDIA_CDR ||
						      state->media_type == RB_IMAPI_MEDIA_CDRW);

	for (guint i = 0; i < state->write_speeds->len; i++) {
		const RbMmcSpeedDescriptor *speed =
			&g_array_index(state->write_speeds, RbMmcSpeedDescriptor, i);
		g_variant_builder_add(speeds, "i", (gint32)speed->sectors_per_second);
		g_variant_builder_add(descriptors,
				      "(ubi)",
				      state->media_type,
				      speed->pure_cav,
				      (gint32)speed->sectors_per_second);
	}
	rb_disc_format2_raw_cd_set_current_physical_media_type(
		iface, state->media_present ? state->media_type : 0);
	rb_disc_format2_raw_cd_set_media_physically_blank(
		iface, state->media_present && state->media_blank);
	rb_disc_format2_raw_cd_set_media_heuristically_blank(
		iface, state->media_present && state->media_blank);
	rb_disc_format2_raw_cd_set_current_media_supported(iface, supported && state->media_blank);
	rb_disc_format2_raw_cd_set_recorder_supported(iface, state->raw_supported);
	rb_disc_format2_raw_cd_set_supported_sector_types(
		iface,
		g_variant_new_fixed_array(G_VARIANT_TYPE_UINT32,
					  state->sector_types->data,
					  state->sector_types->len,
					  sizeof(guint32)));
	rb_disc_format2_raw_cd_set_supported_write_speeds(iface, g_variant_builder_end(speeds));
	rb_disc_format2_raw_cd_set_supported_write_speed_descriptors(
		iface, g_variant_builder_end(descriptors));
	rb_disc_format2_raw_cd_set_current_write_speed(iface, state->current_write_speed);
	rb_disc_format2_raw_cd_set_current_rotation_type_is_pure_cav(iface,
								     state->current_pure_cav);
	rb_disc_format2_raw_cd_set_start_of_next_session(
		iface, state->media_present ? state->leadin_start : 0);
	rb_disc_format2_raw_cd_set_last_possible_start_of_leadout(
		iface, state->media_present ? state->last_leadout_start : 0);
}

gboolean
rb_raw_cd_format_is_busy(RbRawCdFormat *self)
{
	g_return_val_if_fail(RB_IS_RAW_CD_FORMAT(self), FALSE);
	return self->holder != NULL || self->writing;
}

/* the holder's ClientName, or NULL when the recorder is free */
const gchar *
rb_raw_cd_format_get_lock_owner(RbRawCdFormat *self)
{
	g_return_val_if_fail(RB_IS_RAW_CD_FORMAT(self), NULL);
	if (self->holder == NULL)
		return NULL;
	return self->holder_name != NULL ? self->holder_name : "";
}

void
rb_raw_cd_format_set_fifo_size(RbRawCdFormat *self, gsize fifo_size)
{
	g_return_if_fail(RB_IS_RAW_CD_FORMAT(self));
	self->fifo_size = fifo_size;
}

/* the drive was unplugged: a write fails with DeviceGone and the lock goes */
void
rb_raw_cd_format_device_gone(RbRawCdFormat *self)
{
	g_return_if_fail(RB_IS_RAW_CD_FORMAT(self));
	self->gone = TRUE;
	if (self->writing) {
		self->release_after_write = TRUE;
		g_cancellable_cancel(self->cancellable);
		return;
	}
	if (self->holder != NULL)
		rb_raw_cd_format_set_owner(self, NULL, NULL);
}
