/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The recorder's lock lent to the work that is not a write: EraseMedia of
 * DiscFormat2Erase and VerifyMedia. Such an operation takes the lock
 * DiscFormat2RawCD.PrepareMedia takes (so ExclusiveAccessOwner, Locked and
 * the logind inhibitor behave the same), or runs under its caller's own lock,
 * does its drive work in a worker thread under the drive mutex, and gives
 * the lock back when it ends. If its caller leaves the bus meanwhile, the
 * lock is kept until the operation has ended: a drive cannot stop a blank
 * (cdrdao, wodim and libburn all wait for it), and the medium must not be
 * taken while it is read.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbRawCdFormat"

#include <glib/gi18n.h>

#include "rb-dbus-util.h"
#include "rb-raw-cd-format-private.h"

typedef struct {
	RbRawCdFormat *self;
	gchar *sender;
} RbOperationNameCall;

static void
rb_operation_name_call_free(RbOperationNameCall *call)
{
	g_object_unref(call->self);
	g_free(call->sender);
	g_free(call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RbOperationNameCall, rb_operation_name_call_free)

/* the default ClientName, as PrepareMedia's: the caller's process name */
static void
rb_raw_cd_operation_got_pid(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(RbOperationNameCall) call = user_data;
	RbRawCdFormat *self = call->self;
	g_autoptr(GVariant) reply =
		g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), result, NULL);
	g_autofree gchar *name = NULL;
	guint32 pid = 0;

	/* only while the stand-in (the unique name) is still the owner's name */
	if (reply == NULL || self->operation == NULL ||
	    !rb_raw_cd_format_is_holder(self, call->sender) ||
	    g_strcmp0(self->holder_name, call->sender) != 0)
		return;
	g_variant_get(reply, "(u)", &pid);
	name = rb_client_name_for_pid(pid);
	if (name != NULL)
		rb_raw_cd_format_set_owner(self, call->sender, name);
}

static void
rb_raw_cd_operation_resolve_client_name(RbRawCdFormat *self, const gchar *sender)
{
	GDBusConnection *connection =
		g_dbus_interface_skeleton_get_connection(G_DBUS_INTERFACE_SKELETON(self));
	RbOperationNameCall *call;

	if (connection == NULL)
		return;
	call = g_new0(RbOperationNameCall, 1);
	call->self = g_object_ref(self);
	call->sender = g_strdup(sender);
	g_dbus_connection_call(connection,
			       "org.freedesktop.DBus",
			       "/org/freedesktop/DBus",
			       "org.freedesktop.DBus",
			       "GetConnectionUnixProcessID",
			       g_variant_new("(s)", sender),
			       G_VARIANT_TYPE("(u)"),
			       G_DBUS_CALL_FLAGS_NONE,
			       -1,
			       NULL,
			       rb_raw_cd_operation_got_pid,
			       call);
}

/*
 * Takes the recorder's lock for @sender's @operation ("erase", "verify"),
 * or uses @sender's own lock if it holds one (prepared, not writing).
 * @client_name NULL: the caller's process name. @why is what logind shows
 * while the lock is held. @cancellable (may be NULL: the operation cannot
 * be stopped) is cancelled by CancelWrite of the holder, by the caller
 * leaving the bus and by the service stopping. Every successful call is
 * followed by rb_raw_cd_format_end_operation().
 */
gboolean
rb_raw_cd_format_begin_operation(RbRawCdFormat *self,
				 const gchar *operation,
				 const gchar *sender,
				 const gchar *client_name,
				 const gchar *why,
				 GCancellable *cancellable,
				 GError **error)
{
	g_return_val_if_fail(RB_IS_RAW_CD_FORMAT(self), FALSE);
	g_return_val_if_fail(operation != NULL, FALSE);

	if (self->life == RB_FORMAT_GONE || self->recorder == NULL) {
		rb_error_set_default(error, RB_ERROR_DEVICE_GONE);
		return FALSE;
	}
	if (self->life == RB_FORMAT_STOPPING) {
		g_propagate_error(error, rb_dbus_util_new_stopping_error());
		return FALSE;
	}
	if (self->holder != NULL && !rb_raw_cd_format_is_holder(self, sender)) {
		g_propagate_error(error, rb_dbus_util_new_locked_error(self->holder_name));
		return FALSE;
	}
	if (self->writing || self->operation != NULL) {
		rb_error_set_default(error, RB_ERROR_WRITE_IN_PROGRESS);
		return FALSE;
	}
	if (self->holder != NULL && self->holder_name == NULL) {
		rb_error_set(error,
			     RB_ERROR_MEDIA_BUSY,
			     "%s",
			     _("This client's PrepareMedia is still running; wait for its reply."));
		return FALSE;
	}
	/* a client the recorder knows: leaving the bus ends its verify (and
	 * its lock once the operation is over), as it ends its write */
	rb_raw_cd_format_client(self, sender);
	self->operation_took_lock = self->holder == NULL;
	if (self->operation_took_lock) {
		/* the unique name (a valid ClientName) stands in until the process
		 * name is known, one round trip to the bus later. Asking first
		 * would put that round trip between these checks and the lock,
		 * and another client could take the recorder meanwhile. */
		rb_raw_cd_format_set_owner(
			self, sender, client_name != NULL ? client_name : sender);
		rb_raw_cd_format_inhibit(self, why);
		if (client_name == NULL)
			rb_raw_cd_operation_resolve_client_name(self, sender);
	}
	self->operation = operation;
	g_set_object(&self->operation_cancellable, cancellable);
	/* like a drive operation: the recorder is busy and may not be freed */
	self->pending++;
	return TRUE;
}

static void
rb_raw_cd_format_finish_operation(RbRawCdFormat *self,
				  const RbDriveState *state,
				  gboolean drive_busy)
{
	if (state != NULL && self->recorder != NULL) {
		self->recorder_ops->apply_drive_state(self->recorder, state);
		rb_raw_cd_format_apply_drive_state(self, state);
	}
	self->operation = NULL;
	g_clear_object(&self->operation_cancellable);
	self->pending--;
	/* a drive still blanking answers every command "not ready": no
	 * reading the medium again, no ALLOW MEDIUM REMOVAL */
	if (self->recorder != NULL && !drive_busy)
		self->recorder_ops->write_finished(self->recorder);
	if (self->operation_took_lock || self->release_after_write) {
		self->release_after_write = FALSE;
		self->operation_took_lock = FALSE;
		if (self->holder != NULL && drive_busy)
			rb_raw_cd_format_release_lock_only(self);
		else if (self->holder != NULL)
			rb_raw_cd_format_release(self, NULL);
	}
}

/*
 * The operation ended. @state (may be NULL) is what the drive reads now
 * (after a blank: a blank medium), applied before any reply so that the
 * caller sees it at once; the medium is also read again as after a write.
 * The lock goes unless the caller held it before — and then too if the
 * caller left the bus, the recorder went or the service stops.
 */
void
rb_raw_cd_format_end_operation(RbRawCdFormat *self, const RbDriveState *state)
{
	g_return_if_fail(RB_IS_RAW_CD_FORMAT(self));
	g_return_if_fail(self->operation != NULL);
	rb_raw_cd_format_finish_operation(self, state, FALSE);
}

/*
 * The operation was given up while the drive is still at it (the service
 * stops or the drive went in the middle of a blank, which nothing stops):
 * the lock goes as in rb_raw_cd_format_end_operation(), but without a
 * command to the drive. A drive blanking answers ALLOW MEDIUM REMOVAL with
 * 02/04/07 "operation in progress", which the command layer would retry
 * until its time-out and so hold up the service's stop; closing the
 * device is enough: the kernel's sr driver allows removal itself on the
 * last close of the device (drivers/cdrom/cdrom.c, cdrom_release(): "Unlocking
 * door!" when the use count drops to 0 and the door was not locked by
 * CDROM_LOCKDOOR).
 */
void
rb_raw_cd_format_abandon_operation(RbRawCdFormat *self)
{
	g_return_if_fail(RB_IS_RAW_CD_FORMAT(self));
	g_return_if_fail(self->operation != NULL);
	rb_raw_cd_format_finish_operation(self, NULL, TRUE);
}

/* --- drive work ------------------------------------------------------------------- */

typedef struct {
	RbFormatDriveFunc func;
	gpointer data;
	GDestroyNotify data_free;
	GCancellable *cancellable;
} RbOperationDriveCall;

static void
rb_operation_drive_call_free(gpointer user_data)
{
	RbOperationDriveCall *call = user_data;

	if (call->data_free != NULL && call->data != NULL)
		call->data_free(call->data);
	g_clear_object(&call->cancellable);
	g_free(call);
}

static gboolean
rb_raw_cd_operation_run(RbMmcTransport *transport, gpointer user_data, GError **error)
{
	RbOperationDriveCall *call = user_data;

	return call->func(transport, call->data, call->cancellable, error);
}

/*
 * Runs @func in a worker thread with the drive's transport, holding the
 * drive mutex (one drive operation at a time) and keeping the recorder
 * alive; @callback runs on the main loop with @self as its source: get the
 * outcome with rb_raw_cd_format_run_on_drive_finish(). @data is freed with
 * @data_free after @callback.
 */
void
rb_raw_cd_format_run_on_drive(RbRawCdFormat *self,
			      RbFormatDriveFunc func,
			      gpointer data,
			      GDestroyNotify data_free,
			      GCancellable *cancellable,
			      GAsyncReadyCallback callback,
			      gpointer user_data)
{
	RbDriveOpData *op = g_new0(RbDriveOpData, 1);
	RbOperationDriveCall *call = g_new0(RbOperationDriveCall, 1);

	call->func = func;
	call->data = data;
	call->data_free = data_free;
	call->cancellable = cancellable != NULL ? g_object_ref(cancellable) : NULL;
	op->op = RB_DRIVE_OP_CUSTOM;
	op->custom = rb_raw_cd_operation_run;
	op->custom_data = call;
	op->custom_data_free = rb_operation_drive_call_free;
	rb_raw_cd_format_run_drive_op(self, op, callback, user_data);
}

gboolean
rb_raw_cd_format_run_on_drive_finish(RbRawCdFormat *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, self), FALSE);
	return g_task_propagate_boolean(G_TASK(result), error);
}

/* --- the job others see -------------------------------------------------------------- */

RbServiceJob *
rb_raw_cd_format_start_job(RbRawCdFormat *self,
			   const gchar *operation,
			   const gchar *sender,
			   const gchar *client_name,
			   GCancellable *cancellable)
{
	RbJobRegistry *jobs;
	RbServiceJob *job;

	g_return_val_if_fail(RB_IS_RAW_CD_FORMAT(self), NULL);

	if (self->recorder == NULL || self->recorder_ops->get_job_registry == NULL)
		return NULL;
	jobs = self->recorder_ops->get_job_registry(self->recorder);
	if (jobs == NULL)
		return NULL;
	job = rb_service_job_new(operation,
				 g_dbus_object_get_object_path(G_DBUS_OBJECT(self->recorder)),
				 sender,
				 client_name,
				 cancellable,
				 self->recorder_ops->get_authority(self->recorder));
	rb_job_registry_add(jobs, job);
	return job;
}
