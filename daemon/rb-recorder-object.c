/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One exported recorder: the object at /org/rawburn/RawBurn1/recorders/<name>
 * carrying Recorder, DiscFormat2RawCD, DiscFormat2Erase and, for emulated drives,
 * VirtualRecorder. It owns the drive's transport and serializes the work
 * done on it; its properties come from what the drive answers.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbRecorderObject"

#include <glib/gi18n.h>

#include "rb-auth-map.h"
#include "rb-dbus-util.h"
#include "rb-erase-format.h"
#include "rb-error.h"
#include "rb-raw-cd-format.h"
#include "rb-recorder-drive.h"
#include "rb-recorder-object.h"
#include "rb-mmc-device.h"
#include "rb-mmc-sg-transport.h"
#include "rb-vdrive-transport.h"
#include "rb-virtual-controls.h"

struct _RbRecorderObject {
	RbObjectSkeleton parent_instance;
	gchar *name;
	RbRecorderSkeleton *recorder;
	RbRawCdFormat *format;
	RbEraseFormat *erase;        /* borrows the lock and the drive of format */
	RbVirtualControls *controls; /* NULL for real drives */
	RbVdrive *vdrive;            /* NULL for real drives */
	RbMmcTransport *transport;   /* a real drive's: open while it is used */
	gchar *device_node;          /* NULL for virtual drives */
	GMutex drive_mutex;          /* one drive operation at a time */
	RbAuthority *authority;
	RbJobRegistry *jobs;
	GCancellable *cancellable;
	guint pending; /* tray calls in flight */
	gboolean gone; /* unplugged, removed or the service stopping */
};

G_DEFINE_TYPE(RbRecorderObject, rb_recorder_object, RB_TYPE_OBJECT_SKELETON)

static void rb_recorder_object_apply_state(RbRecorderObject *self, const RbDriveState *state);

static void
rb_recorder_object_dispose(GObject *object)
{
	RbRecorderObject *self = RB_RECORDER_OBJECT(object);

	g_cancellable_cancel(self->cancellable);
	g_clear_object(&self->recorder);
	/* whoever still holds them must not reach us any more */
	if (self->format != NULL)
		rb_raw_cd_format_detach(self->format);
	if (self->erase != NULL)
		rb_erase_format_detach(self->erase);
	if (self->controls != NULL)
		rb_virtual_controls_detach(self->controls);
	g_clear_object(&self->format);
	g_clear_object(&self->erase);
	g_clear_object(&self->controls);
	g_clear_object(&self->authority);
	g_clear_object(&self->jobs);
	G_OBJECT_CLASS(rb_recorder_object_parent_class)->dispose(object);
}

static void
rb_recorder_object_finalize(GObject *object)
{
	RbRecorderObject *self = RB_RECORDER_OBJECT(object);

	g_free(self->name);
	g_free(self->device_node);
	g_clear_object(&self->transport);
	g_clear_object(&self->vdrive);
	g_clear_object(&self->cancellable);
	g_mutex_clear(&self->drive_mutex);
	G_OBJECT_CLASS(rb_recorder_object_parent_class)->finalize(object);
}

static void
rb_recorder_object_class_init(RbRecorderObjectClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	object_class->dispose = rb_recorder_object_dispose;
	object_class->finalize = rb_recorder_object_finalize;
}

static void
rb_recorder_object_init(RbRecorderObject *self)
{
	g_mutex_init(&self->drive_mutex);
	self->cancellable = g_cancellable_new();
}

static GVariant *
rb_recorder_object_au(const GArray *values)
{
	return g_variant_new_fixed_array(
		G_VARIANT_TYPE_UINT32, values->data, values->len, sizeof(guint32));
}

/* --- what the format uses of its recorder --- */

static RbMmcTransport *
rb_recorder_object_get_transport_op(gpointer recorder, GError **error)
{
	RbRecorderObject *self = RB_RECORDER_OBJECT(recorder);

	/* O_NONBLOCK: opening a device node does not wait for the medium */
	if (self->transport == NULL && self->device_node != NULL)
		self->transport = rb_mmc_sg_transport_new(self->device_node, error);
	return self->transport;
}

static void
rb_recorder_object_drive_released_op(gpointer recorder)
{
	RbRecorderObject *self = RB_RECORDER_OBJECT(recorder);

	/* closing ends our O_EXCL open: mounting, ripping and other burners may go on */
	if (self->device_node != NULL)
		g_clear_object(&self->transport);
}

static GMutex *
rb_recorder_object_get_drive_mutex_op(gpointer recorder)
{
	return &RB_RECORDER_OBJECT(recorder)->drive_mutex;
}

static void
rb_recorder_object_apply_drive_state_op(gpointer recorder, const RbDriveState *state)
{
	RbRecorderObject *self = RB_RECORDER_OBJECT(recorder);
	RbRecorder *iface = RB_RECORDER(self->recorder);

	rb_recorder_set_supported_profiles(iface, rb_recorder_object_au(state->supported_profiles));
	rb_recorder_set_current_profiles(iface, rb_recorder_object_au(state->current_profiles));
	rb_recorder_set_supported_feature_pages(iface,
						rb_recorder_object_au(state->supported_features));
	rb_recorder_set_current_feature_pages(iface,
					      rb_recorder_object_au(state->current_features));
	rb_recorder_set_supported_mode_pages(iface, rb_recorder_object_au(state->mode_pages));
	rb_recorder_set_media_present(iface, state->media_present);
	/* wherever DiscFormat2RawCD learns the medium, DiscFormat2Erase does too */
	if (self->erase != NULL)
		rb_erase_format_apply_drive_state(self->erase, state);
}

static void
rb_recorder_object_set_exclusive_owner_op(gpointer recorder, const gchar *client_name)
{
	rb_recorder_set_exclusive_access_owner(RB_RECORDER(RB_RECORDER_OBJECT(recorder)->recorder),
					       client_name);
}

static const gchar *
rb_recorder_object_get_lock_owner_op(gpointer recorder)
{
	return rb_raw_cd_format_get_lock_owner(RB_RECORDER_OBJECT(recorder)->format);
}

static void
rb_recorder_object_refresh_op(gpointer recorder)
{
	rb_recorder_object_refresh(RB_RECORDER_OBJECT(recorder));
}

static gboolean
rb_recorder_object_is_lock_holder_op(gpointer recorder, const gchar *sender)
{
	return rb_raw_cd_format_is_lock_holder(RB_RECORDER_OBJECT(recorder)->format, sender);
}

static gboolean
rb_recorder_object_is_writing_op(gpointer recorder)
{
	return rb_raw_cd_format_is_writing(RB_RECORDER_OBJECT(recorder)->format);
}

static RbAuthority *rb_recorder_object_get_authority_op(gpointer recorder);

static const RbVirtualControlsRecorder rb_recorder_object_controls_ops = {
	rb_recorder_object_get_drive_mutex_op,
	rb_recorder_object_get_lock_owner_op,
	rb_recorder_object_is_lock_holder_op,
	rb_recorder_object_is_writing_op,
	rb_recorder_object_refresh_op,
	rb_recorder_object_get_authority_op,
};

static void
rb_recorder_object_write_finished_op(gpointer recorder)
{
	RbRecorderObject *self = RB_RECORDER_OBJECT(recorder);

	rb_recorder_object_refresh(self);
	if (self->controls != NULL)
		rb_virtual_controls_update_report(self->controls);
}

static RbAuthority *
rb_recorder_object_get_authority_op(gpointer recorder)
{
	return RB_RECORDER_OBJECT(recorder)->authority;
}

static RbJobRegistry *
rb_recorder_object_get_job_registry_op(gpointer recorder)
{
	return RB_RECORDER_OBJECT(recorder)->jobs;
}

static const RbRawCdFormatRecorder rb_recorder_object_format_ops = {
	rb_recorder_object_get_transport_op,
	rb_recorder_object_drive_released_op,
	rb_recorder_object_get_drive_mutex_op,
	rb_recorder_object_apply_drive_state_op,
	rb_recorder_object_set_exclusive_owner_op,
	rb_recorder_object_write_finished_op,
	rb_recorder_object_get_authority_op,
	rb_recorder_object_get_job_registry_op,
};

/* --- reading the drive when the object appears --- */

static void
rb_recorder_object_refresh_thread(GTask *task,
				  gpointer source,
				  gpointer task_data,
				  GCancellable *cancellable)
{
	RbRecorderObject *self = RB_RECORDER_OBJECT(source);
	RbMmcTransport *transport = task_data;
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->drive_mutex);
	GError *error = NULL;
	RbDriveState *state = rb_recorder_drive_read_state(transport, self->name, &error);

	if (state == NULL)
		g_task_return_error(task, error);
	else
		g_task_return_pointer(task, state, (GDestroyNotify)rb_drive_state_free);
}

static void
rb_recorder_object_refresh_done(GObject *source, GAsyncResult *result, gpointer user_data)
{
	RbRecorderObject *self = RB_RECORDER_OBJECT(source);
	g_autoptr(GError) error = NULL;
	g_autoptr(RbDriveState) state = g_task_propagate_pointer(G_TASK(result), &error);

	if (state == NULL) {
		g_warning("cannot read recorder %s: %s", self->name, error->message);
		return;
	}
	rb_recorder_object_apply_state(self, state);
}

void
rb_recorder_object_refresh(RbRecorderObject *self)
{
	g_autoptr(GTask) task = NULL;

	/* a real drive that nobody uses is not opened: udev reports its changes */
	if (self->transport == NULL)
		return;
	task = g_task_new(self, self->cancellable, rb_recorder_object_refresh_done, NULL);
	/* its own reference: the lock holder's ReleaseMedia may let the
	 * recorder's go while the drive is being read */
	g_task_set_task_data(task, g_object_ref(self->transport), g_object_unref);

	/* the task keeps the object alive until the drive has answered */
	g_task_run_in_thread(task, rb_recorder_object_refresh_thread);
}

/* --- EjectMedia and CloseTray ------------------------------------------------------- */

typedef struct {
	RbRecorderObject *self;
	GDBusMethodInvocation *invocation;
	RbMmcTransport *transport;
	gboolean load;   /* CloseTray */
	gboolean holder; /* the lock holder's own medium: it is prevented from removal */
} RbTrayCall;

static void
rb_tray_call_free(RbTrayCall *call)
{
	g_object_unref(call->self);
	g_object_unref(call->invocation);
	g_clear_object(&call->transport);
	g_free(call);
}

static void
rb_recorder_object_tray_thread(GTask *task,
			       gpointer source,
			       gpointer task_data,
			       GCancellable *cancellable)
{
	RbTrayCall *call = task_data;
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&call->self->drive_mutex);
	g_autoptr(GError) error = NULL;

	/* PrepareMedia prevented removal, and drives refuse to eject then
	 * (05/53/02); the holder's medium stays locked once it is back in */
	if (call->holder && !call->load &&
	    !rb_mmc_prevent_allow_medium_removal(call->transport, FALSE, &error)) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	/* START STOP UNIT with LoEj: start loads (closes the tray), stop ejects */
	if (!rb_mmc_start_stop_unit(call->transport, call->load, TRUE, FALSE, &error)) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	if (call->holder && call->load &&
	    !rb_mmc_prevent_allow_medium_removal(call->transport, TRUE, &error)) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	g_task_return_boolean(task, TRUE);
}

static void
rb_recorder_object_tray_done(GObject *source, GAsyncResult *result, gpointer user_data)
{
	RbTrayCall *call = g_task_get_task_data(G_TASK(result));
	RbRecorderObject *self = call->self;
	g_autoptr(GError) error = NULL;

	/* here, not where the task data goes: that may be a worker thread */
	self->pending--;
	if (rb_raw_cd_format_get_lock_owner(self->format) == NULL)
		rb_recorder_object_drive_released_op(self);
	/* what the holder's PrepareMedia read is no longer what is in the drive;
	 * after a failure too, since the medium may have been let go (ALLOW)
	 * before START STOP UNIT failed */
	if (call->holder)
		rb_raw_cd_format_set_media_changed(self->format);
	if (!g_task_propagate_boolean(G_TASK(result), &error)) {
		rb_dbus_util_return_error(call->invocation, error);
		return;
	}
	rb_recorder_object_refresh(self);
	g_dbus_method_invocation_return_value(call->invocation, NULL);
}

/* FALSE, with the reply sent, once the recorder is gone */
static gboolean
rb_recorder_object_check_alive(RbRecorderObject *self, GDBusMethodInvocation *invocation)
{
	if (!self->gone)
		return TRUE;
	rb_dbus_util_refuse(invocation, RB_ERROR_DEVICE_GONE);
	return FALSE;
}

static void
rb_recorder_object_tray_authorized(RbRecorderObject *self, GDBusMethodInvocation *invocation)
{
	g_autoptr(GTask) task = NULL;
	g_autoptr(GError) error = NULL;
	const gchar *sender = g_dbus_method_invocation_get_sender(invocation);
	const gchar *owner = rb_raw_cd_format_get_lock_owner(self->format);
	gboolean holder = rb_raw_cd_format_is_lock_holder(self->format, sender);
	RbMmcTransport *transport;
	RbTrayCall *call;

	/* a prepared medium stays where its holder wants it; the holder may move
	 * it, but not in the middle of a burn */
	if (owner != NULL && !holder) {
		g_dbus_method_invocation_take_error(invocation,
						    rb_dbus_util_new_locked_error(owner));
		return;
	}
	if (rb_raw_cd_format_is_writing(self->format)) {
		rb_dbus_util_refuse(invocation, RB_ERROR_WRITE_IN_PROGRESS);
		return;
	}
	transport = rb_recorder_object_get_transport_op(self, &error);
	if (transport == NULL) {
		rb_dbus_util_return_error(invocation, error);
		return;
	}
	self->pending++;
	call = g_new0(RbTrayCall, 1);
	call->self = g_object_ref(self);
	call->invocation = g_object_ref(invocation);
	call->transport = g_object_ref(transport);
	call->load =
		g_strcmp0(g_dbus_method_invocation_get_method_name(invocation), "CloseTray") == 0;
	call->holder = holder;
	task = g_task_new(self, NULL, rb_recorder_object_tray_done, NULL);
	g_task_set_task_data(task, call, (GDestroyNotify)rb_tray_call_free);
	g_task_run_in_thread(task, rb_recorder_object_tray_thread);
}

/* EjectMedia and CloseTray: authorized, then one START STOP UNIT */
static gboolean
rb_recorder_object_handle_tray(RbRecorderObject *self, GDBusMethodInvocation *invocation)
{
	rb_auth_map_authorize_then(self->authority,
				   invocation,
				   NULL,
				   G_OBJECT(self),
				   NULL,
				   &self->pending,
				   (RbAuthAliveFunc)rb_recorder_object_check_alive,
				   (RbAuthThenFunc)rb_recorder_object_tray_authorized);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
rb_recorder_object_handle_eject_media(RbRecorder *iface,
				      GDBusMethodInvocation *invocation,
				      gpointer user_data)
{
	return rb_recorder_object_handle_tray(RB_RECORDER_OBJECT(user_data), invocation);
}

static gboolean
rb_recorder_object_handle_close_tray(RbRecorder *iface,
				     GDBusMethodInvocation *invocation,
				     gpointer user_data)
{
	return rb_recorder_object_handle_tray(RB_RECORDER_OBJECT(user_data), invocation);
}

static RbRecorderSkeleton *
rb_recorder_object_new_recorder_iface(void)
{
	RbRecorderSkeleton *skeleton = RB_RECORDER_SKELETON(rb_recorder_skeleton_new());
	RbRecorder *iface = RB_RECORDER(skeleton);

	rb_recorder_set_device_node(iface, "");
	rb_recorder_set_exclusive_access_owner(iface, "");
	rb_recorder_set_supported_profiles(iface,
					   g_variant_new_array(G_VARIANT_TYPE_UINT32, NULL, 0));
	rb_recorder_set_current_profiles(iface,
					 g_variant_new_array(G_VARIANT_TYPE_UINT32, NULL, 0));
	rb_recorder_set_supported_feature_pages(
		iface, g_variant_new_array(G_VARIANT_TYPE_UINT32, NULL, 0));
	rb_recorder_set_current_feature_pages(iface,
					      g_variant_new_array(G_VARIANT_TYPE_UINT32, NULL, 0));
	rb_recorder_set_supported_mode_pages(iface,
					     g_variant_new_array(G_VARIANT_TYPE_UINT32, NULL, 0));
	return skeleton;
}

RbRecorderObject *
rb_recorder_object_new_virtual(const gchar *name,
			       const RbVirtualSpec *spec,
			       RbAuthority *authority,
			       gsize fifo_size)
{
	g_autofree gchar *escaped = g_dbus_escape_object_path(name);
	g_autofree gchar *path = g_strdup_printf("%s/%s", RB_DBUS_RECORDERS_PATH, escaped);
	RbRecorderObject *self = g_object_new(RB_TYPE_RECORDER_OBJECT, "g-object-path", path, NULL);
	RbRecorder *recorder;

	self->name = g_strdup(name);
	self->authority = g_object_ref(authority);
	self->vdrive = rb_vdrive_new(spec);
	self->transport = rb_vdrive_transport_new(self->vdrive);
	self->recorder = rb_recorder_object_new_recorder_iface();
	g_signal_connect(self->recorder,
			 "handle-eject-media",
			 G_CALLBACK(rb_recorder_object_handle_eject_media),
			 self);
	g_signal_connect(self->recorder,
			 "handle-close-tray",
			 G_CALLBACK(rb_recorder_object_handle_close_tray),
			 self);
	recorder = RB_RECORDER(self->recorder);
	rb_recorder_set_device_can_load_media(recorder, TRUE);

	self->format = rb_raw_cd_format_new(path, &rb_recorder_object_format_ops, G_OBJECT(self));
	rb_raw_cd_format_set_fifo_size(self->format, fifo_size);
	self->erase = rb_erase_format_new(path, name, self->format, G_OBJECT(self), authority);
	self->controls = rb_virtual_controls_new(
		self->vdrive, &rb_recorder_object_controls_ops, G_OBJECT(self));

	rb_object_skeleton_set_recorder(RB_OBJECT_SKELETON(self), recorder);
	rb_object_skeleton_set_disc_format2_raw_cd(RB_OBJECT_SKELETON(self),
						   RB_DISC_FORMAT2_RAW_CD(self->format));
	rb_object_skeleton_set_disc_format2_erase(RB_OBJECT_SKELETON(self),
						  RB_DISC_FORMAT2_ERASE(self->erase));
	rb_object_skeleton_set_virtual_recorder(RB_OBJECT_SKELETON(self),
						RB_VIRTUAL_RECORDER(self->controls));
	return self;
}

const gchar *
rb_recorder_object_get_name(RbRecorderObject *self)
{
	g_return_val_if_fail(RB_IS_RECORDER_OBJECT(self), NULL);
	return self->name;
}

gboolean
rb_recorder_object_is_virtual(RbRecorderObject *self)
{
	g_return_val_if_fail(RB_IS_RECORDER_OBJECT(self), FALSE);
	return self->vdrive != NULL;
}

/* locked, writing, or a call still working on the recorder or its drive */
gboolean
rb_recorder_object_is_busy(RbRecorderObject *self)
{
	g_return_val_if_fail(RB_IS_RECORDER_OBJECT(self), FALSE);
	return self->pending > 0 || rb_raw_cd_format_is_busy(self->format) ||
	       rb_erase_format_is_busy(self->erase) ||
	       (self->controls != NULL && rb_virtual_controls_is_busy(self->controls));
}

/* the lock holder's ClientName, NULL when free */
const gchar *
rb_recorder_object_get_lock_owner(RbRecorderObject *self)
{
	g_return_val_if_fail(RB_IS_RECORDER_OBJECT(self), NULL);
	return rb_raw_cd_format_get_lock_owner(self->format);
}

RbVdrive *
rb_recorder_object_get_vdrive(RbRecorderObject *self)
{
	g_return_val_if_fail(RB_IS_RECORDER_OBJECT(self), NULL);
	return self->vdrive;
}

gboolean
rb_recorder_object_is_writing(RbRecorderObject *self)
{
	g_return_val_if_fail(RB_IS_RECORDER_OBJECT(self), FALSE);
	return rb_disc_format2_raw_cd_get_write_in_progress(RB_DISC_FORMAT2_RAW_CD(self->format));
}

/* the identity and medium properties from a drive state */
static void
rb_recorder_object_apply_state(RbRecorderObject *self, const RbDriveState *state)
{
	rb_recorder_set_vendor_id(RB_RECORDER(self->recorder),
				  state->vendor != NULL ? state->vendor : "");
	rb_recorder_set_product_id(RB_RECORDER(self->recorder),
				   state->product != NULL ? state->product : "");
	rb_recorder_set_product_revision(RB_RECORDER(self->recorder),
					 state->revision != NULL ? state->revision : "");
	rb_recorder_object_apply_drive_state_op(self, state);
	rb_raw_cd_format_apply_drive_state(self->format, state);
}

RbRecorderObject *
rb_recorder_object_new_real(const RbDriveInfo *info, RbAuthority *authority, gsize fifo_size)
{
	g_autofree gchar *escaped = g_dbus_escape_object_path(info->kernel_name);
	g_autofree gchar *path = g_strdup_printf("%s/%s", RB_DBUS_RECORDERS_PATH, escaped);
	RbRecorderObject *self = g_object_new(RB_TYPE_RECORDER_OBJECT, "g-object-path", path, NULL);

	self->name = g_strdup(info->kernel_name);
	self->device_node = g_strdup(info->device_node);
	self->authority = g_object_ref(authority);
	self->recorder = rb_recorder_object_new_recorder_iface();
	g_signal_connect(self->recorder,
			 "handle-eject-media",
			 G_CALLBACK(rb_recorder_object_handle_eject_media),
			 self);
	g_signal_connect(self->recorder,
			 "handle-close-tray",
			 G_CALLBACK(rb_recorder_object_handle_close_tray),
			 self);
	rb_recorder_set_device_node(RB_RECORDER(self->recorder),
				    info->device_node != NULL ? info->device_node : "");
	rb_recorder_set_device_can_load_media(
		RB_RECORDER(self->recorder),
		rb_drive_info_has_feature(info, RB_MMC_FEATURE_REMOVABLE_MEDIUM, NULL));
	self->format = rb_raw_cd_format_new(path, &rb_recorder_object_format_ops, G_OBJECT(self));
	rb_raw_cd_format_set_fifo_size(self->format, fifo_size);
	self->erase = rb_erase_format_new(
		path, info->kernel_name, self->format, G_OBJECT(self), authority);
	rb_object_skeleton_set_recorder(RB_OBJECT_SKELETON(self), RB_RECORDER(self->recorder));
	rb_object_skeleton_set_disc_format2_raw_cd(RB_OBJECT_SKELETON(self),
						   RB_DISC_FORMAT2_RAW_CD(self->format));
	rb_object_skeleton_set_disc_format2_erase(RB_OBJECT_SKELETON(self),
						  RB_DISC_FORMAT2_ERASE(self->erase));
	rb_recorder_object_apply_info(self, info);
	return self;
}

void
rb_recorder_object_apply_info(RbRecorderObject *self, const RbDriveInfo *info)
{
	g_autoptr(RbDriveState) state = rb_drive_state_new_from_info(info);

	g_return_if_fail(RB_IS_RECORDER_OBJECT(self));
	/* while a client holds the drive, what it reads itself wins */
	if (rb_raw_cd_format_get_lock_owner(self->format) != NULL && info->probed == FALSE)
		return;
	rb_recorder_object_apply_state(self, state);
}

/* unplugged or removed: a write fails with DeviceGone, the lock goes, and
 * calls still waiting for polkit fail with DeviceGone when it answers */
void
rb_recorder_object_device_gone(RbRecorderObject *self)
{
	g_return_if_fail(RB_IS_RECORDER_OBJECT(self));
	self->gone = TRUE;
	rb_raw_cd_format_device_gone(self->format);
	rb_erase_format_device_gone(self->erase);
	if (self->controls != NULL)
		rb_virtual_controls_detach(self->controls);
}

/* the service stops: the write is cancelled, the medium released */
void
rb_recorder_object_shutdown(RbRecorderObject *self)
{
	g_return_if_fail(RB_IS_RECORDER_OBJECT(self));
	self->gone = TRUE;
	rb_raw_cd_format_shutdown(self->format);
	rb_erase_format_shutdown(self->erase);
}

/* the daemon's: the jobs of this recorder's work are put there */
void
rb_recorder_object_set_job_registry(RbRecorderObject *self, RbJobRegistry *jobs)
{
	g_return_if_fail(RB_IS_RECORDER_OBJECT(self));
	g_set_object(&self->jobs, jobs);
}
