/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The VirtualRecorder interface of an emulated recorder: media changes,
 * image export, fault injection and the drive's validation report. The
 * drive may be busy with a long WRITE, so everything that touches it runs in
 * a worker thread.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbVirtualControls"

#include <glib/gi18n.h>
#include <unistd.h>

#include "rb-dbus-util.h"
#include "rb-error.h"
#include "rb-virtual-controls.h"

#define RB_FAULTS_NOT_READY_COUNT_DEFAULT 5

struct _RbVirtualControls {
	RbVirtualRecorderSkeleton parent_instance;
	GDBusInterfaceVTable vtable;
	RbVdrive *drive;
	const RbVirtualControlsRecorder *recorder_ops;
	gpointer recorder;
};

G_DEFINE_TYPE(RbVirtualControls, rb_virtual_controls, RB_TYPE_VIRTUAL_RECORDER_SKELETON)

/* --- Faults ------------------------------------------------------------------------- */

gboolean
rb_virtual_controls_parse_faults(GVariant *faults, RbVdriveFaults *out, GError **error)
{
	GVariantIter iter;
	const gchar *key;
	GVariant *entry_value;

	rb_vdrive_faults_init(out);
	g_variant_iter_init(&iter, faults);
	while (g_variant_iter_next(&iter, "{&sv}", &key, &entry_value)) {
		/* iter_next, not iter_loop: returning early must not leak the value */
		g_autoptr(GVariant) value = entry_value;

		const GVariantType *want = G_VARIANT_TYPE_INT32;
		gint32 *lba = NULL;
		guint *count = NULL;

		if (g_strcmp0(key, "WriteErrorAtLba") == 0)
			lba = &out->write_error_at_lba;
		else if (g_strcmp0(key, "NotReadyAfterLba") == 0)
			lba = &out->not_ready_after_lba;
		else if (g_strcmp0(key, "RemoveMediaAtLba") == 0)
			lba = &out->remove_media_at_lba;
		else if (g_strcmp0(key, "TimeoutAtLba") == 0)
			lba = &out->timeout_at_lba;
		else if (g_strcmp0(key, "NotReadyCount") == 0)
			count = &out->not_ready_count;
		else if (g_strcmp0(key, "LongWriteSeconds") == 0)
			count = &out->long_write_polls; /* the finishing poll asks once a second */
		else {
			g_set_error(error,
				    G_DBUS_ERROR,
				    G_DBUS_ERROR_INVALID_ARGS,
				    _("Unknown fault “%s”; use WriteErrorAtLba, NotReadyAfterLba, "
				      "NotReadyCount, "
				      "LongWriteSeconds, RemoveMediaAtLba or TimeoutAtLba."),
				    key);
			return FALSE;
		}
		if (count != NULL)
			want = G_VARIANT_TYPE_UINT32;
		if (!g_variant_is_of_type(value, want)) {
			g_set_error(error,
				    G_DBUS_ERROR,
				    G_DBUS_ERROR_INVALID_ARGS,
				    _("The fault “%s” takes a value of type “%s”, not “%s”."),
				    key,
				    (const gchar *)want,
				    g_variant_get_type_string(value));
			return FALSE;
		}
		if (lba != NULL)
			*lba = g_variant_get_int32(value);
		else
			*count = g_variant_get_uint32(value);
	}
	if (out->not_ready_after_lba != RB_VDRIVE_FAULT_OFF && out->not_ready_count == 0)
		out->not_ready_count = RB_FAULTS_NOT_READY_COUNT_DEFAULT;
	return TRUE;
}

static gboolean
rb_virtual_controls_set_property(GDBusConnection *connection,
				 const gchar *sender,
				 const gchar *object_path,
				 const gchar *interface_name,
				 const gchar *property_name,
				 GVariant *value,
				 GError **error,
				 gpointer user_data)
{
	RbVirtualControls *self = RB_VIRTUAL_CONTROLS(user_data);
	RbVdriveFaults faults;

	if (g_strcmp0(property_name, "Faults") != 0)
		return rb_dbus_util_refuse_property_write(interface_name, property_name, error);
	if (!rb_virtual_controls_parse_faults(value, &faults, error))
		return FALSE;
	/* the drive's own mutex: never held long outside a WRITE, and a WRITE
	 * holding it is what faults are injected into */
	rb_vdrive_set_faults(self->drive, &faults);
	rb_virtual_recorder_set_faults(RB_VIRTUAL_RECORDER(self), value);
	return TRUE;
}

static GDBusInterfaceVTable *
rb_virtual_controls_get_vtable(GDBusInterfaceSkeleton *skeleton)
{
	RbVirtualControls *self = RB_VIRTUAL_CONTROLS(skeleton);
	GDBusInterfaceSkeletonClass *parent_class =
		G_DBUS_INTERFACE_SKELETON_CLASS(rb_virtual_controls_parent_class);

	self->vtable = *parent_class->get_vtable(skeleton);
	self->vtable.set_property = rb_virtual_controls_set_property;
	return &self->vtable;
}

/* --- the report --------------------------------------------------------------------- */

void
rb_virtual_controls_update_report(RbVirtualControls *self)
{
	g_autoptr(GVariantBuilder) builder = g_variant_builder_new(G_VARIANT_TYPE("a{sv}"));
	RbVdriveReport report;

	rb_vdrive_get_report(self->drive, &report);
	g_variant_builder_add(
		builder, "{sv}", "SectorsWritten", g_variant_new_uint64(report.sectors_written));
	g_variant_builder_add(
		builder, "{sv}", "LeadInSectors", g_variant_new_uint64(report.leadin_sectors));
	g_variant_builder_add(
		builder, "{sv}", "ProgramSectors", g_variant_new_uint64(report.program_sectors));
	g_variant_builder_add(
		builder, "{sv}", "LeadOutSectors", g_variant_new_uint64(report.leadout_sectors));
	g_variant_builder_add(builder, "{sv}", "BadQCrc", g_variant_new_uint64(report.bad_q_crc));
	g_variant_builder_add(builder,
			      "{sv}",
			      "AddressMismatches",
			      g_variant_new_uint64(report.address_mismatches));
	g_variant_builder_add(
		builder, "{sv}", "TocMismatches", g_variant_new_uint64(report.toc_mismatches));
	g_variant_builder_add(
		builder, "{sv}", "TocEntries", g_variant_new_uint32(report.toc_entries));
	g_variant_builder_add(
		builder, "{sv}", "TocShortRuns", g_variant_new_uint32(report.toc_short_runs));
	g_variant_builder_add(builder, "{sv}", "Tracks", g_variant_new_uint32(report.tracks));
	g_variant_builder_add(builder, "{sv}", "FirstLba", g_variant_new_int32(report.first_lba));
	g_variant_builder_add(
		builder,
		"{sv}",
		"LeadOutStart",
		g_variant_new_int32(report.leadout_start == G_MININT32 ? 0 : report.leadout_start));
	g_variant_builder_add(builder, "{sv}", "Complete", g_variant_new_boolean(report.complete));
	rb_virtual_recorder_set_validation_report(RB_VIRTUAL_RECORDER(self),
						  g_variant_builder_end(builder));
}

/* --- methods, in a worker thread ------------------------------------------------------- */

typedef enum {
	RB_CONTROL_INSERT,
	RB_CONTROL_REMOVE,
	RB_CONTROL_EXPORT,
} RbControlOp;

typedef struct {
	RbControlOp op;
	RbVirtualMedia media;
	gint fd;
	RbVdrive *drive;
	GMutex *drive_mutex;
} RbControlData;

static void
rb_control_data_free(RbControlData *data)
{
	if (data->fd >= 0)
		close(data->fd);
	g_clear_object(&data->drive);
	g_free(data);
}

static void
rb_virtual_controls_thread(GTask *task,
			   gpointer source,
			   gpointer task_data,
			   GCancellable *cancellable)
{
	RbControlData *data = task_data;
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(data->drive_mutex);
	g_autoptr(GError) error = NULL;
	gboolean ok = FALSE;

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

	if (!g_task_propagate_boolean(G_TASK(result), &error)) {
		/* the emulated drive's own complaints are about the request */
		if (error->domain == G_IO_ERROR)
			g_dbus_method_invocation_return_error(invocation,
							      G_DBUS_ERROR,
							      G_DBUS_ERROR_INVALID_ARGS,
							      "%s",
							      error->message);
		else
			rb_dbus_util_return_error(invocation, error);
		return;
	}
	if (data->op != RB_CONTROL_EXPORT) {
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

	data->drive = g_object_ref(self->drive);
	data->drive_mutex = self->recorder_ops->get_drive_mutex(self->recorder);
	g_task_set_task_data(task, data, (GDestroyNotify)rb_control_data_free);
	g_task_run_in_thread(task, rb_virtual_controls_thread);
}

/* a medium locked by a client stays in */
static gboolean
rb_virtual_controls_check_unlocked(RbVirtualControls *self, GDBusMethodInvocation *invocation)
{
	const gchar *owner = self->recorder_ops->get_lock_owner(self->recorder);

	if (owner == NULL)
		return TRUE;
	g_dbus_method_invocation_take_error(
		invocation,
		rb_error_new(RB_ERROR_LOCKED,
			     _("“%s” holds the recorder; wait until it releases the medium."),
			     owner));
	return FALSE;
}

static gboolean
rb_virtual_controls_handle_insert_media(RbVirtualRecorder *iface,
					GDBusMethodInvocation *invocation,
					const gchar *kind)
{
	RbVirtualControls *self = RB_VIRTUAL_CONTROLS(iface);
	g_autoptr(GError) error = NULL;
	RbControlData *data;
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
	if (!rb_virtual_controls_check_unlocked(self, invocation))
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	data = g_new0(RbControlData, 1);
	data->op = RB_CONTROL_INSERT;
	data->media = media;
	data->fd = -1;
	rb_virtual_controls_run(self, data, invocation);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
rb_virtual_controls_handle_remove_media(RbVirtualRecorder *iface, GDBusMethodInvocation *invocation)
{
	RbVirtualControls *self = RB_VIRTUAL_CONTROLS(iface);
	RbControlData *data;

	if (!rb_virtual_controls_check_unlocked(self, invocation))
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	data = g_new0(RbControlData, 1);
	data->op = RB_CONTROL_REMOVE;
	data->fd = -1;
	rb_virtual_controls_run(self, data, invocation);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
rb_virtual_controls_handle_export_image(RbVirtualRecorder *iface,
					GDBusMethodInvocation *invocation,
					GUnixFDList *fd_list,
					GVariant *handle)
{
	RbVirtualControls *self = RB_VIRTUAL_CONTROLS(iface);
	g_autoptr(GError) error = NULL;
	RbControlData *data;
	gint fd = fd_list != NULL
			  ? g_unix_fd_list_get(fd_list, g_variant_get_handle(handle), &error)
			  : -1;

	if (fd < 0) {
		g_dbus_method_invocation_return_error(
			invocation,
			G_DBUS_ERROR,
			G_DBUS_ERROR_INVALID_ARGS,
			_("Pass a writable file descriptor for the image."));
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	data = g_new0(RbControlData, 1);
	data->op = RB_CONTROL_EXPORT;
	data->fd = fd;
	rb_virtual_controls_run(self, data, invocation);
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
}

RbVirtualControls *
rb_virtual_controls_new(RbVdrive *drive,
			const RbVirtualControlsRecorder *recorder_ops,
			gpointer recorder)
{
	RbVirtualControls *self = g_object_new(RB_TYPE_VIRTUAL_CONTROLS, NULL);

	self->drive = g_object_ref(drive);
	self->recorder_ops = recorder_ops;
	self->recorder = recorder;
	rb_virtual_controls_update_report(self);
	return self;
}
