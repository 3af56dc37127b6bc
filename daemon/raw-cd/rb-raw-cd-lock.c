/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The recorder's exclusive lock: PrepareMedia takes it (PREVENT MEDIUM
 * REMOVAL, the write speed, a logind inhibitor), ReleaseMedia or the
 * holder leaving the bus gives it back once any write in progress stopped.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbRawCdFormat"

#include <glib/gi18n.h>

#include "rb-dbus-util.h"
#include "rb-raw-cd-format-private.h"

void
rb_raw_cd_format_set_owner(RbRawCdFormat *self, const gchar *sender, const gchar *client_name)
{
	rb_raw_cd_journal_owner(self, sender, client_name);
	g_free(self->holder);
	self->holder = g_strdup(sender);
	g_free(self->holder_name);
	self->holder_name = g_strdup(client_name);
	if (sender == NULL)
		self->media_changed = FALSE;
	if (self->recorder != NULL)
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
	if (inhibitor == NULL || self->holder_name == NULL) {
		if (inhibitor != NULL)
			rb_inhibitor_release(inhibitor);
		return;
	}
	g_clear_object(&self->inhibitor);
	self->inhibitor = g_steal_pointer(&inhibitor);
}

/* a burn (or an erase) must not be cut short by suspend or shutdown, as
 * IMAPI asks of apps; @why is what logind shows */
void
rb_raw_cd_format_inhibit(RbRawCdFormat *self, const gchar *why)
{
	GDBusConnection *connection =
		g_dbus_interface_skeleton_get_connection(G_DBUS_INTERFACE_SKELETON(self));

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
	RbWriteArgs *args = rb_write_args_get(invocation);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *why = NULL;

	rb_raw_cd_burn_prepared(self, args);

	if (data->state != NULL && self->recorder != NULL) {
		self->recorder_ops->apply_drive_state(self->recorder, data->state);
		rb_raw_cd_format_apply_drive_state(self, data->state);
	}
	if (!g_task_propagate_boolean(G_TASK(result), &error)) {
		/* no medium, not blank, or a drive that refused SET CD SPEED after
		 * PREVENT: the tray is let go and the device closed, as after
		 * ReleaseMedia, so others may mount or eject */
		if (g_strcmp0(self->holder, data->sender) == 0)
			rb_raw_cd_format_release(self, NULL);
		rb_raw_cd_write_failed(self, invocation, error);
		return;
	}
	/* the client may have left, or the recorder gone, while the drive was
	 * busy. Its ALLOW may have reached the drive before our PREVENT (two
	 * operations race for the drive mutex): unless another client took the
	 * lock meanwhile, allow removal once more. */
	if (g_strcmp0(self->holder, data->sender) != 0 || self->life != RB_FORMAT_ALIVE) {
		g_autoptr(GError) cancelled = NULL;

		if (self->holder == NULL || g_strcmp0(self->holder, data->sender) == 0)
			rb_raw_cd_format_release(self, NULL);
		/* the job ends with the reply's error */
		if (self->life == RB_FORMAT_GONE)
			rb_error_set_default(&cancelled, RB_ERROR_DEVICE_GONE);
		else if (self->life == RB_FORMAT_STOPPING)
			cancelled = rb_dbus_util_new_stopping_error();
		else
			rb_error_set_default(&cancelled, RB_ERROR_REQUEST_CANCELLED);
		if (args != NULL)
			rb_write_args_end_job(args, cancelled);
		g_dbus_method_invocation_return_gerror(invocation, cancelled);
		return;
	}
	/* a Burn cancelled (Job.Cancel, CancelWrite) while the drive was being
	 * prepared: nothing was written, the lock goes */
	if (args != NULL && args->cancellable != NULL &&
	    g_cancellable_is_cancelled(args->cancellable)) {
		g_autoptr(GError) cancelled =
			rb_error_new(RB_ERROR_REQUEST_CANCELLED,
				     _("The burn was cancelled while the recorder was being "
				       "prepared; nothing was written, the disc is still blank."));

		rb_raw_cd_write_failed(self, invocation, cancelled);
		return;
	}
	rb_raw_cd_format_set_owner(self, data->sender, data->client_name);
	/* the process name stands in for a ClientName only now */
	if (args != NULL && args->service_job != NULL)
		rb_job_set_client_name(RB_JOB(args->service_job), data->client_name);
	rb_raw_cd_journal_prepared(self, data->speed);
	why = g_strdup_printf(_("Burning a CD for %s"), data->client_name);
	rb_raw_cd_format_inhibit(self, why);
	if (rb_write_args_get(invocation) != NULL) {
		rb_raw_cd_write_start(self, invocation);
		return;
	}
	rb_disc_format2_raw_cd_complete_prepare_media(RB_DISC_FORMAT2_RAW_CD(self), invocation);
}

/* writing a disc needs the burn authorization: PrepareMedia is where it starts */
gboolean
rb_raw_cd_format_handle_prepare_media(RbDiscFormat2RawCD *iface, GDBusMethodInvocation *invocation)
{
	rb_raw_cd_format_authorize(
		RB_RAW_CD_FORMAT(iface), invocation, NULL, rb_raw_cd_format_prepare_authorized);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* PrepareMedia's way, and Burn's with this call's own values */
void
rb_raw_cd_format_prepare_authorized(RbRawCdFormat *self, GDBusMethodInvocation *invocation)
{
	const gchar *sender = g_dbus_method_invocation_get_sender(invocation);
	RbClientState *state = rb_raw_cd_format_client(self, sender);
	RbWriteArgs *args = rb_write_args_get(invocation);
	RbDriveOpData *data;

	/* in the middle of its own write, erase or verify, that is the news */
	if (rb_raw_cd_format_is_holder(self, sender) &&
	    (self->writing || self->operation != NULL)) {
		rb_dbus_util_refuse(invocation, RB_ERROR_WRITE_IN_PROGRESS);
		return;
	}
	if (rb_raw_cd_format_is_holder(self, sender)) {
		rb_dbus_util_refuse(invocation, RB_ERROR_MEDIA_IS_PREPARED);
		return;
	}
	if (self->holder != NULL) {
		g_dbus_method_invocation_take_error(
			invocation, rb_dbus_util_new_locked_error(self->holder_name));
		return;
	}
	/* taken now, before the drive is asked, so that a second client waits its turn */
	rb_raw_cd_format_set_owner(self, sender, NULL);
	data = g_new0(RbDriveOpData, 1);
	data->op = RB_DRIVE_OP_PREPARE;
	data->sender = g_strdup(sender);
	data->client_name = g_strdup(
		args != NULL && args->client_name != NULL ? args->client_name : state->client_name);
	data->speed = args != NULL && args->have_write_speed ? args->write_speed
							     : state->requested_write_speed;
	data->pure_cav =
		args != NULL && args->have_pure_cav ? args->pure_cav : state->requested_pure_cav;
	/* a Burn is one piece of work from here: its job shows (and may cancel)
	 * the preparation too */
	if (args != NULL && args->burn)
		rb_raw_cd_burn_begin(self, args, sender, data->client_name);
	rb_raw_cd_format_run_drive_op(
		self, data, rb_raw_cd_format_prepare_done, g_object_ref(invocation));
}

static void
rb_raw_cd_format_release_done(GObject *source, GAsyncResult *result, gpointer user_data)
{
	GDBusMethodInvocation *invocation = user_data;
	RbRawCdFormat *self = RB_RAW_CD_FORMAT(source);

	/* unless someone took the lock meanwhile, the drive is free for others */
	if (self->holder == NULL && self->recorder != NULL)
		self->recorder_ops->drive_released(self->recorder);
	if (invocation != NULL) {
		rb_disc_format2_raw_cd_complete_release_media(RB_DISC_FORMAT2_RAW_CD(source),
							      invocation);
		g_object_unref(invocation);
	}
}

void
rb_raw_cd_format_release(RbRawCdFormat *self, GDBusMethodInvocation *invocation)
{
	RbDriveOpData *data;

	/* free at once: the lock is the daemon's, the drive catches up */
	rb_raw_cd_format_set_owner(self, NULL, NULL);
	if (self->recorder == NULL) {
		if (invocation != NULL)
			rb_disc_format2_raw_cd_complete_release_media(RB_DISC_FORMAT2_RAW_CD(self),
								      invocation);
		return;
	}
	data = g_new0(RbDriveOpData, 1);
	data->op = RB_DRIVE_OP_RELEASE;
	rb_raw_cd_format_run_drive_op(self,
				      data,
				      rb_raw_cd_format_release_done,
				      invocation != NULL ? g_object_ref(invocation) : NULL);
}

/* the lock goes with no command to the drive, which is still busy
 * (rb_raw_cd_format_abandon_operation()); closing it is all */
void
rb_raw_cd_format_release_lock_only(RbRawCdFormat *self)
{
	rb_raw_cd_format_set_owner(self, NULL, NULL);
	if (self->recorder != NULL)
		self->recorder_ops->drive_released(self->recorder);
}

/* a write in progress stops first; the drive is released once it has */
void
rb_raw_cd_format_release_stopping(RbRawCdFormat *self)
{
	/* an erase or verify ends first (a blank cannot be stopped; a verify
	 * can), and releases what it took when it does */
	if (self->operation != NULL) {
		self->release_after_write = TRUE;
		if (self->operation_cancellable != NULL)
			g_cancellable_cancel(self->operation_cancellable);
		return;
	}
	if (self->writing) {
		self->release_after_write = TRUE;
		g_cancellable_cancel(self->cancellable);
		return;
	}
	if (self->holder != NULL)
		rb_raw_cd_format_release(self, NULL);
}

void
rb_raw_cd_format_release_vanished(RbRawCdFormat *self)
{
	g_debug("lock holder %s left the bus: releasing the medium", self->holder);
	rb_raw_cd_journal_release_reason(self, "client left the bus");
	rb_raw_cd_format_release_stopping(self);
}

gboolean
rb_raw_cd_format_handle_release_media(RbDiscFormat2RawCD *iface, GDBusMethodInvocation *invocation)
{
	RbRawCdFormat *self = RB_RAW_CD_FORMAT(iface);
	const gchar *sender = g_dbus_method_invocation_get_sender(invocation);

	if (!rb_raw_cd_format_is_holder(self, sender) || self->holder_name == NULL) {
		rb_dbus_util_refuse(invocation, RB_ERROR_MEDIA_IS_NOT_PREPARED);
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	if (self->writing || self->operation != NULL) {
		rb_dbus_util_refuse(invocation, RB_ERROR_WRITE_IN_PROGRESS);
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	rb_raw_cd_journal_release_reason(self, "ReleaseMedia");
	rb_raw_cd_format_release(self, invocation);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}
