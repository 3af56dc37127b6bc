/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The VirtualRecorder interface of an emulated recorder: media changes,
 * discs loaded and exported, fault injection, the finishing time and the
 * drive's validation report. The drive may be busy with a long WRITE, so
 * everything that touches it runs in a worker thread.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbVirtualControls"

#include <glib/gi18n.h>
#include <unistd.h>

#include "rb-auth-map.h"
#include "rb-dbus-util.h"
#include "rb-error.h"
#include "rb-virtual-controls.h"
#include "rb-virtual-options.h"
#include "rb-virtual-report.h"

struct _RbVirtualControls {
	RbVirtualRecorderSkeleton parent_instance;
	GDBusInterfaceVTable vtable;
	RbVdrive *drive;
	const RbVirtualControlsRecorder *recorder_ops;
	GObject *recorder; /* not owned: it owns us; NULL once detached */
	gboolean gone;     /* removed: calls still waiting for polkit fail */
	guint pending;     /* authorizations and drive work in flight */
};

G_DEFINE_TYPE(RbVirtualControls, rb_virtual_controls, RB_TYPE_VIRTUAL_RECORDER_SKELETON)

/* validated, authorized and checked against the lock: then the drive takes it */
static void rb_virtual_controls_set_faults(RbVirtualControls *self,
					   GDBusMethodInvocation *invocation);
static void rb_virtual_controls_set_finishing_ms(RbVirtualControls *self,
						 GDBusMethodInvocation *invocation);

static void rb_virtual_controls_authorize(RbVirtualControls *self,
					  GDBusMethodInvocation *invocation,
					  GVariant *options,
					  void (*next)(RbVirtualControls *self,
						       GDBusMethodInvocation *invocation));

/* Properties.Set of Faults comes here (set_property is NULL), because it
 * waits for polkit; GDBus checked that the property is writable */
static void
rb_virtual_controls_method_call(GDBusConnection *connection,
				const gchar *sender,
				const gchar *object_path,
				const gchar *interface_name,
				const gchar *method_name,
				GVariant *parameters,
				GDBusMethodInvocation *invocation,
				gpointer user_data)
{
	RbVirtualControls *self = RB_VIRTUAL_CONTROLS(user_data);
	GDBusInterfaceSkeletonClass *parent_class =
		G_DBUS_INTERFACE_SKELETON_CLASS(rb_virtual_controls_parent_class);
	g_autoptr(GVariant) value = NULL;
	g_autoptr(GError) error = NULL;
	const gchar *property_name = NULL;
	RbVdriveFaults faults;
	guint finishing_ms = 0;

	if (g_strcmp0(interface_name, RB_DBUS_PROPERTIES_INTERFACE) != 0) {
		rb_dbus_util_chain_method_call(
			parent_class->get_vtable(G_DBUS_INTERFACE_SKELETON(self)),
			G_DBUS_INTERFACE_SKELETON(self),
			invocation);
		return;
	}
	g_variant_get(parameters, "(&s&sv)", NULL, &property_name, &value);
	if (g_strcmp0(property_name, "FinishingMilliseconds") == 0) {
		if (!rb_virtual_options_parse_finishing_ms(value, &finishing_ms, &error)) {
			g_dbus_method_invocation_return_gerror(invocation, error);
			return;
		}
		rb_virtual_controls_authorize(
			self, invocation, NULL, rb_virtual_controls_set_finishing_ms);
		return;
	}
	if (!g_variant_is_of_type(value, G_VARIANT_TYPE_VARDICT)) {
		g_dbus_method_invocation_return_error(
			invocation,
			G_DBUS_ERROR,
			G_DBUS_ERROR_INVALID_ARGS,
			_("Faults takes a value of type “a{sv}”, not “%s”."),
			g_variant_get_type_string(value));
		return;
	}
	if (!rb_virtual_options_parse_faults(value, &faults, &error)) {
		g_dbus_method_invocation_return_gerror(invocation, error);
		return;
	}
	rb_virtual_controls_authorize(self, invocation, NULL, rb_virtual_controls_set_faults);
}

static GDBusInterfaceVTable *
rb_virtual_controls_get_vtable(GDBusInterfaceSkeleton *skeleton)
{
	RbVirtualControls *self = RB_VIRTUAL_CONTROLS(skeleton);
	GDBusInterfaceSkeletonClass *parent_class =
		G_DBUS_INTERFACE_SKELETON_CLASS(rb_virtual_controls_parent_class);

	self->vtable = *parent_class->get_vtable(skeleton);
	self->vtable.method_call = rb_virtual_controls_method_call;
	self->vtable.set_property = NULL;
	return &self->vtable;
}

/* --- the report --------------------------------------------------------------------- */

void
rb_virtual_controls_update_report(RbVirtualControls *self)
{
	RbVdriveReport report;

	rb_vdrive_get_report(self->drive, &report);
	rb_virtual_recorder_set_validation_report(RB_VIRTUAL_RECORDER(self),
						  rb_virtual_report_to_variant(&report));
}

/* --- authorization, and the lock of the recorder ---------------------------------------- */

typedef void (*RbControlsContinuation)(RbVirtualControls *self, GDBusMethodInvocation *invocation);

/* FALSE, with the reply sent, once the recorder is gone */
static gboolean
rb_virtual_controls_check_alive(RbVirtualControls *self, GDBusMethodInvocation *invocation)
{
	if (self->recorder != NULL && !self->gone)
		return TRUE;
	rb_dbus_util_refuse(invocation, RB_ERROR_DEVICE_GONE);
	return FALSE;
}

/* @options: the call's a{sv}, for auth.no_user_interaction; NULL if none */
static void
rb_virtual_controls_authorize(RbVirtualControls *self,
			      GDBusMethodInvocation *invocation,
			      GVariant *options,
			      RbControlsContinuation next)
{
	if (!rb_virtual_controls_check_alive(self, invocation))
		return;
	rb_auth_map_authorize_then(self->recorder_ops->get_authority(self->recorder),
				   invocation,
				   options,
				   G_OBJECT(self),
				   self->recorder,
				   &self->pending,
				   (RbAuthAliveFunc)rb_virtual_controls_check_alive,
				   (RbAuthThenFunc)next);
}

/* the medium of a prepared recorder stays in, and another client's burn is
 * nobody else's to read or to disturb; the holder may, but not mid-write */
static gboolean
rb_virtual_controls_check_lock(RbVirtualControls *self,
			       GDBusMethodInvocation *invocation,
			       gboolean holder_may)
{
	const gchar *sender = g_dbus_method_invocation_get_sender(invocation);
	const gchar *owner = self->recorder_ops->get_lock_owner(self->recorder);

	if (owner != NULL &&
	    (!holder_may || !self->recorder_ops->is_lock_holder(self->recorder, sender))) {
		g_dbus_method_invocation_take_error(invocation,
						    rb_dbus_util_new_locked_error(owner));
		return FALSE;
	}
	if (holder_may && self->recorder_ops->is_writing(self->recorder) &&
	    g_strcmp0(g_dbus_method_invocation_get_method_name(invocation), "ExportImage") == 0) {
		rb_dbus_util_refuse(invocation, RB_ERROR_WRITE_IN_PROGRESS);
		return FALSE;
	}
	return TRUE;
}

static void
rb_virtual_controls_set_faults(RbVirtualControls *self, GDBusMethodInvocation *invocation)
{
	g_autoptr(GVariant) value = NULL;
	RbVdriveFaults faults;

	/* the holder injects into its own burn; nobody into another's */
	if (!rb_virtual_controls_check_lock(self, invocation, TRUE))
		return;
	g_variant_get(
		g_dbus_method_invocation_get_parameters(invocation), "(&s&sv)", NULL, NULL, &value);
	/* parsed before authorization, so it cannot fail now */
	rb_virtual_options_parse_faults(value, &faults, NULL);
	/* the drive's own mutex: never held long outside a WRITE, and a WRITE
	 * holding it is what faults are injected into */
	rb_vdrive_set_faults(self->drive, &faults);
	rb_virtual_recorder_set_faults(RB_VIRTUAL_RECORDER(self), value);
	g_dbus_method_invocation_return_value(invocation, NULL);
}

static void
rb_virtual_controls_set_finishing_ms(RbVirtualControls *self, GDBusMethodInvocation *invocation)
{
	g_autoptr(GVariant) value = NULL;
	guint finishing_ms = 0;

	/* like Faults: the holder may slow its own burn's end, nobody another's */
	if (!rb_virtual_controls_check_lock(self, invocation, TRUE))
		return;
	g_variant_get(
		g_dbus_method_invocation_get_parameters(invocation), "(&s&sv)", NULL, NULL, &value);
	/* parsed before authorization, so it cannot fail now */
	rb_virtual_options_parse_finishing_ms(value, &finishing_ms, NULL);
	rb_vdrive_set_finishing_ms(self->drive, finishing_ms);
	rb_virtual_recorder_set_finishing_milliseconds(RB_VIRTUAL_RECORDER(self), finishing_ms);
	g_dbus_method_invocation_return_value(invocation, NULL);
}

/* --- methods, in a worker thread ------------------------------------------------------- */

typedef enum {
	RB_CONTROL_INSERT,
	RB_CONTROL_REMOVE,
	RB_CONTROL_EXPORT,
	RB_CONTROL_LOAD,
} RbControlOp;

typedef struct {
	RbControlOp op;
	RbVirtualMedia media;
	gint32 first_lba;
	gint fd;
	RbVdrive *drive;
	GObject *recorder; /* owns the drive mutex: kept alive until the thread is done */
	GMutex *drive_mutex;
} RbControlData;

static void
rb_control_data_free(RbControlData *data)
{
	if (data->fd >= 0)
		close(data->fd);
	g_clear_object(&data->drive);
	g_clear_object(&data->recorder);
	g_free(data);
}

static void
rb_virtual_controls_thread(GTask *task,
			   gpointer source,
			   gpointer task_data,
			   GCancellable *cancellable)
{
	RbControlData *data = task_data;
	g_autoptr(GMutexLocker) locker = NULL;
	g_autoptr(GError) error = NULL;
	gboolean ok = FALSE;

	if (data->op == RB_CONTROL_LOAD) {
		/* before the drive is held: the client's end may be slow or stall */
		gint spooled = rb_vdrive_load_spool(data->fd, &error);

		if (spooled < 0) {
			g_task_return_error(task, g_steal_pointer(&error));
			return;
		}
		close(data->fd);
		data->fd = spooled;
	}
	locker = g_mutex_locker_new(data->drive_mutex);
	switch (data->op) {
	case RB_CONTROL_INSERT:
		ok = rb_vdrive_insert_media(data->drive, data->media, &error);
		break;
	case RB_CONTROL_REMOVE:
		ok = rb_vdrive_remove_media(data->drive, &error);
		break;
	case RB_CONTROL_EXPORT:
		ok = rb_vdrive_export_image(data->drive, data->fd, &error);
		break;
	case RB_CONTROL_LOAD:
		ok = rb_vdrive_load_disc(
			data->drive, data->fd, data->media, data->first_lba, &error);
		break;
	}
	if (!ok)
		g_task_return_error(task, g_steal_pointer(&error));
	else
		g_task_return_boolean(task, TRUE);
}

static void
rb_virtual_controls_done(GObject *source, GAsyncResult *result, gpointer user_data)
{
	RbVirtualControls *self = RB_VIRTUAL_CONTROLS(source);
	g_autoptr(GDBusMethodInvocation) invocation = user_data;
	RbControlData *data = g_task_get_task_data(G_TASK(result));
	g_autoptr(GError) error = NULL;

	self->pending--;
	if (!g_task_propagate_boolean(G_TASK(result), &error)) {
		/* the emulated drive's complaints about what was asked or sent; its
		 * own failures (a full disk) go out as what they are */
		if (error->domain == G_IO_ERROR &&
		    (error->code == G_IO_ERROR_INVALID_ARGUMENT ||
		     error->code == G_IO_ERROR_INVALID_DATA || error->code == G_IO_ERROR_NO_SPACE ||
		     error->code == G_IO_ERROR_NOT_FOUND || error->code == G_IO_ERROR_TIMED_OUT))
			g_dbus_method_invocation_return_error(invocation,
							      G_DBUS_ERROR,
							      G_DBUS_ERROR_INVALID_ARGS,
							      "%s",
							      error->message);
		else
			rb_dbus_util_return_error(invocation, error);
		return;
	}
	if (data->op != RB_CONTROL_EXPORT && self->recorder != NULL) {
		/* a new medium: the recorder reads it again, and its report is empty */
		self->recorder_ops->refresh(self->recorder);
		rb_virtual_controls_update_report(self);
	}
	g_dbus_method_invocation_return_value(invocation, NULL);
}

static void
rb_virtual_controls_run(RbVirtualControls *self,
			RbControlData *data,
			GDBusMethodInvocation *invocation)
{
	g_autoptr(GTask) task =
		g_task_new(self, NULL, rb_virtual_controls_done, g_object_ref(invocation));

	self->pending++;
	data->drive = g_object_ref(self->drive);
	data->recorder = g_object_ref(self->recorder);
	data->drive_mutex = self->recorder_ops->get_drive_mutex(self->recorder);
	g_task_set_task_data(task, data, (GDestroyNotify)rb_control_data_free);
	g_task_run_in_thread(task, rb_virtual_controls_thread);
}

static void
rb_virtual_controls_insert_authorized(RbVirtualControls *self, GDBusMethodInvocation *invocation)
{
	RbControlData *data;
	const gchar *kind;

	if (!rb_virtual_controls_check_lock(self, invocation, FALSE))
		return;
	g_variant_get(g_dbus_method_invocation_get_parameters(invocation), "(&s)", &kind);
	data = g_new0(RbControlData, 1);
	data->op = RB_CONTROL_INSERT;
	data->fd = -1;
	rb_virtual_media_from_string(kind, &data->media, NULL);
	rb_virtual_controls_run(self, data, invocation);
}

static gboolean
rb_virtual_controls_handle_insert_media(RbVirtualRecorder *iface,
					GDBusMethodInvocation *invocation,
					const gchar *kind)
{
	g_autoptr(GError) error = NULL;
	RbVirtualMedia media;

	if (!rb_virtual_media_from_string(kind, &media, &error) || media == RB_VIRTUAL_MEDIA_NONE) {
		g_dbus_method_invocation_return_error(
			invocation,
			G_DBUS_ERROR,
			G_DBUS_ERROR_INVALID_ARGS,
			"%s",
			error != NULL ? error->message
				      : _("Insert a medium kind such as cd-r-80, not “none”; use "
					  "RemoveMedia to empty the drive."));
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	rb_virtual_controls_authorize(RB_VIRTUAL_CONTROLS(iface),
				      invocation,
				      NULL,
				      rb_virtual_controls_insert_authorized);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
rb_virtual_controls_remove_authorized(RbVirtualControls *self, GDBusMethodInvocation *invocation)
{
	RbControlData *data;

	if (!rb_virtual_controls_check_lock(self, invocation, FALSE))
		return;
	data = g_new0(RbControlData, 1);
	data->op = RB_CONTROL_REMOVE;
	data->fd = -1;
	rb_virtual_controls_run(self, data, invocation);
}

static gboolean
rb_virtual_controls_handle_remove_media(RbVirtualRecorder *iface, GDBusMethodInvocation *invocation)
{
	rb_virtual_controls_authorize(RB_VIRTUAL_CONTROLS(iface),
				      invocation,
				      NULL,
				      rb_virtual_controls_remove_authorized);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* the descriptor a call passed waits with the call until it is authorized */
#define RB_CALL_FD_KEY "rb-call-fd"

static void
rb_virtual_controls_close_fd(gpointer data)
{
	close(GPOINTER_TO_INT(data) - 1);
}

static void
rb_virtual_controls_keep_fd(GDBusMethodInvocation *invocation, gint fd)
{
	/* stored +1, so that descriptor 0 is not NULL */
	g_object_set_data_full(G_OBJECT(invocation),
			       RB_CALL_FD_KEY,
			       GINT_TO_POINTER(fd + 1),
			       rb_virtual_controls_close_fd);
}

static gint
rb_virtual_controls_steal_fd(GDBusMethodInvocation *invocation)
{
	return GPOINTER_TO_INT(g_object_steal_data(G_OBJECT(invocation), RB_CALL_FD_KEY)) - 1;
}

static void
rb_virtual_controls_export_authorized(RbVirtualControls *self, GDBusMethodInvocation *invocation)
{
	RbControlData *data;

	/* what another client burned is theirs; the holder may read its own */
	if (!rb_virtual_controls_check_lock(self, invocation, TRUE))
		return;
	data = g_new0(RbControlData, 1);
	data->op = RB_CONTROL_EXPORT;
	data->fd = rb_virtual_controls_steal_fd(invocation);
	rb_virtual_controls_run(self, data, invocation);
}

static gboolean
rb_virtual_controls_handle_export_image(RbVirtualRecorder *iface,
					GDBusMethodInvocation *invocation,
					GUnixFDList *fd_list,
					GVariant *handle)
{
	g_autoptr(GError) error = NULL;
	gint fd = rb_dbus_util_get_fd(invocation, g_variant_get_handle(handle), "fd", &error);

	if (fd < 0) {
		rb_dbus_util_return_error(invocation, error);
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	rb_virtual_controls_keep_fd(invocation, fd);
	rb_virtual_controls_authorize(RB_VIRTUAL_CONTROLS(iface),
				      invocation,
				      NULL,
				      rb_virtual_controls_export_authorized);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
rb_virtual_controls_load_authorized(RbVirtualControls *self, GDBusMethodInvocation *invocation)
{
	g_autoptr(GVariant) options = NULL;
	RbControlData *data;

	/* a new disc is a medium change: nobody's medium changes under them */
	if (!rb_virtual_controls_check_lock(self, invocation, FALSE))
		return;
	g_variant_get(
		g_dbus_method_invocation_get_parameters(invocation), "(h@a{sv})", NULL, &options);
	data = g_new0(RbControlData, 1);
	data->op = RB_CONTROL_LOAD;
	/* parsed before authorization, so it cannot fail now */
	rb_virtual_options_parse_load_disc(options, &data->media, &data->first_lba, NULL);
	data->fd = rb_virtual_controls_steal_fd(invocation);
	rb_virtual_controls_run(self, data, invocation);
}

static gboolean
rb_virtual_controls_handle_load_disc(RbVirtualRecorder *iface,
				     GDBusMethodInvocation *invocation,
				     GUnixFDList *fd_list,
				     GVariant *handle,
				     GVariant *options)
{
	g_autoptr(GError) error = NULL;
	RbVirtualMedia media;
	gint32 first_lba;
	gint fd;

	fd = rb_dbus_util_get_fd(invocation, g_variant_get_handle(handle), "image", &error);
	if (fd < 0) {
		rb_dbus_util_return_error(invocation, error);
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	rb_virtual_controls_keep_fd(invocation, fd);
	if (!rb_virtual_options_parse_load_disc(options, &media, &first_lba, &error)) {
		g_dbus_method_invocation_return_gerror(invocation, error);
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	rb_virtual_controls_authorize(RB_VIRTUAL_CONTROLS(iface),
				      invocation,
				      options,
				      rb_virtual_controls_load_authorized);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* --- life cycle ------------------------------------------------------------------------ */

static void
rb_virtual_controls_dispose(GObject *object)
{
	RbVirtualControls *self = RB_VIRTUAL_CONTROLS(object);
	g_clear_object(&self->drive);
	G_OBJECT_CLASS(rb_virtual_controls_parent_class)->dispose(object);
}

static void
rb_virtual_controls_class_init(RbVirtualControlsClass *klass)
{
	GDBusInterfaceSkeletonClass *skeleton_class = G_DBUS_INTERFACE_SKELETON_CLASS(klass);

	G_OBJECT_CLASS(klass)->dispose = rb_virtual_controls_dispose;
	skeleton_class->get_vtable = rb_virtual_controls_get_vtable;
}

static void
rb_virtual_controls_init(RbVirtualControls *self)
{
	rb_virtual_recorder_set_faults(RB_VIRTUAL_RECORDER(self),
				       g_variant_new_array(G_VARIANT_TYPE("{sv}"), NULL, 0));
	g_signal_connect(self,
			 "handle-insert-media",
			 G_CALLBACK(rb_virtual_controls_handle_insert_media),
			 NULL);
	g_signal_connect(self,
			 "handle-remove-media",
			 G_CALLBACK(rb_virtual_controls_handle_remove_media),
			 NULL);
	g_signal_connect(self,
			 "handle-export-image",
			 G_CALLBACK(rb_virtual_controls_handle_export_image),
			 NULL);
	g_signal_connect(
		self, "handle-load-disc", G_CALLBACK(rb_virtual_controls_handle_load_disc), NULL);
}

RbVirtualControls *
rb_virtual_controls_new(RbVdrive *drive,
			const RbVirtualControlsRecorder *recorder_ops,
			GObject *recorder)
{
	RbVirtualControls *self = g_object_new(RB_TYPE_VIRTUAL_CONTROLS, NULL);

	self->drive = g_object_ref(drive);
	self->recorder_ops = recorder_ops;
	self->recorder = recorder;
	rb_virtual_recorder_set_finishing_milliseconds(RB_VIRTUAL_RECORDER(self),
						       rb_vdrive_get_finishing_ms(drive));
	rb_virtual_controls_update_report(self);
	return self;
}

/* removed or finalized: nothing reaches the recorder any more */
void
rb_virtual_controls_detach(RbVirtualControls *self)
{
	g_return_if_fail(RB_IS_VIRTUAL_CONTROLS(self));
	self->gone = TRUE;
	self->recorder = NULL;
}

gboolean
rb_virtual_controls_is_busy(RbVirtualControls *self)
{
	g_return_val_if_fail(RB_IS_VIRTUAL_CONTROLS(self), FALSE);
	return self->pending > 0;
}
