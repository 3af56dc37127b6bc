/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The DiscFormat2RawCD interface of one recorder: IMAPI's per-client format
 * object, its state machine and the recorder's exclusive lock. Each D-Bus
 * connection is one client with its own ClientName, sector type and speed
 * request, so the generated skeleton's property handlers are replaced; a
 * client's changes are signalled to that client only. Property writes are
 * handled asynchronously (the vtable's set_property is NULL, so GDBus sends
 * them to method_call), because they wait for polkit like the methods.
 * Drive work runs in a worker thread, one operation at a time per recorder.
 * The writes themselves are in rb-raw-cd-write.c.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbRawCdFormat"

#include <glib/gi18n.h>

#include "rb-auth-map.h"
#include "rb-dbus-util.h"
#include "rb-raw-cd-format-private.h"

G_DEFINE_TYPE(RbRawCdFormat, rb_raw_cd_format, RB_TYPE_DISC_FORMAT2_RAW_CD_SKELETON)

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

RbClientState *
rb_raw_cd_format_client(RbRawCdFormat *self, const gchar *sender)
{
	return rb_client_table_ensure(rb_raw_cd_format_get_clients(self), sender);
}

/* NULL for a caller that never set or asked anything */
RbClientState *
rb_raw_cd_format_lookup_client(RbRawCdFormat *self, const gchar *sender)
{
	return rb_client_table_lookup(rb_raw_cd_format_get_clients(self), sender);
}

/* the generated skeleton's handlers, which ours wrap */
const GDBusInterfaceVTable *
rb_raw_cd_format_get_parent_vtable(RbRawCdFormat *self)
{
	return rb_dbus_util_get_parent_vtable(G_DBUS_INTERFACE_SKELETON(self),
					      rb_raw_cd_format_parent_class);
}

gboolean
rb_raw_cd_format_is_holder(RbRawCdFormat *self, const gchar *sender)
{
	return self->holder != NULL && g_strcmp0(self->holder, sender) == 0;
}

/* FALSE, with the reply sent, when the recorder takes no more work */
gboolean
rb_raw_cd_format_check_alive(RbRawCdFormat *self, GDBusMethodInvocation *invocation)
{
	switch (self->life) {
	case RB_FORMAT_ALIVE:
		return TRUE;
	case RB_FORMAT_GONE:
		rb_dbus_util_refuse(invocation, RB_ERROR_DEVICE_GONE);
		return FALSE;
	case RB_FORMAT_STOPPING:
	default:
		g_dbus_method_invocation_take_error(invocation, rb_dbus_util_new_stopping_error());
		return FALSE;
	}
}

/* --- authorization: every change waits for it, holding the recorder ----------------- */

/* asks for what the member needs (rb-auth-map.c), then continues with @next */
void
rb_raw_cd_format_authorize(RbRawCdFormat *self,
			   GDBusMethodInvocation *invocation,
			   GVariant *options,
			   RbFormatContinuation next)
{
	if (!rb_raw_cd_format_check_alive(self, invocation))
		return;
	rb_auth_map_authorize_then(self->recorder_ops->get_authority(self->recorder),
				   invocation,
				   options,
				   G_OBJECT(self),
				   self->recorder,
				   &self->pending,
				   (RbAuthAliveFunc)rb_raw_cd_format_check_alive,
				   (RbAuthThenFunc)next);
}

/* --- PrepareMedia / ReleaseMedia --------------------------------------------------------- */

void
rb_raw_cd_format_set_owner(RbRawCdFormat *self, const gchar *sender, const gchar *client_name)
{
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
	g_autoptr(GError) error = NULL;
	g_autofree gchar *why = NULL;

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
		if (self->holder == NULL || g_strcmp0(self->holder, data->sender) == 0)
			rb_raw_cd_format_release(self, NULL);
		if (rb_raw_cd_format_check_alive(self, invocation))
			rb_dbus_util_refuse(invocation, RB_ERROR_REQUEST_CANCELLED);
		return;
	}
	rb_raw_cd_format_set_owner(self, data->sender, data->client_name);
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
static void
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

static void
rb_raw_cd_format_release_vanished(RbRawCdFormat *self)
{
	g_debug("lock holder %s left the bus: releasing the medium", self->holder);
	rb_raw_cd_format_release_stopping(self);
}

static gboolean
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

static void
rb_raw_cd_format_set_speed_authorized(RbRawCdFormat *self, GDBusMethodInvocation *invocation)
{
	const gchar *sender = g_dbus_method_invocation_get_sender(invocation);
	RbClientState *state = rb_raw_cd_format_client(self, sender);
	RbDriveOpData *data;
	gint32 sectors_per_second;
	gboolean pure_cav;

	g_variant_get(g_dbus_method_invocation_get_parameters(invocation),
		      "(ib)",
		      &sectors_per_second,
		      &pure_cav);
	/* the drive is the write's, erase's or verify's until it ends: a SET CD
	 * SPEED queued behind it would reach the drive after the lock went,
	 * maybe under another client's */
	if (rb_raw_cd_format_is_holder(self, sender) &&
	    (self->writing || self->operation != NULL)) {
		rb_dbus_util_refuse(invocation, RB_ERROR_WRITE_IN_PROGRESS);
		return;
	}
	state->requested_write_speed = sectors_per_second;
	state->requested_pure_cav = pure_cav;
	rb_dbus_util_emit_changed_to(G_DBUS_INTERFACE_SKELETON(self),
				     sender,
				     RB_RAW_CD_INTERFACE,
				     "RequestedWriteSpeed",
				     g_variant_new_int32(sectors_per_second));
	rb_dbus_util_emit_changed_to(G_DBUS_INTERFACE_SKELETON(self),
				     sender,
				     RB_RAW_CD_INTERFACE,
				     "RequestedRotationTypeIsPureCAV",
				     g_variant_new_boolean(pure_cav));
	/* only the lock holder's request reaches the drive now; others' at PrepareMedia */
	if (!rb_raw_cd_format_is_holder(self, sender) || self->holder_name == NULL) {
		rb_disc_format2_raw_cd_complete_set_write_speed(RB_DISC_FORMAT2_RAW_CD(self),
								invocation);
		return;
	}
	data = g_new0(RbDriveOpData, 1);
	data->op = RB_DRIVE_OP_SET_SPEED;
	data->sender = g_strdup(sender);
	data->speed = sectors_per_second;
	data->pure_cav = pure_cav;
	rb_raw_cd_format_run_drive_op(
		self, data, rb_raw_cd_format_set_speed_done, g_object_ref(invocation));
}

static gboolean
rb_raw_cd_format_handle_set_write_speed(RbDiscFormat2RawCD *iface,
					GDBusMethodInvocation *invocation,
					gint32 sectors_per_second,
					gboolean pure_cav)
{
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
	rb_raw_cd_format_authorize(
		RB_RAW_CD_FORMAT(iface), invocation, NULL, rb_raw_cd_format_set_speed_authorized);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
rb_raw_cd_format_handle_cancel_write(RbDiscFormat2RawCD *iface, GDBusMethodInvocation *invocation)
{
	RbRawCdFormat *self = RB_RAW_CD_FORMAT(iface);
	const gchar *sender = g_dbus_method_invocation_get_sender(invocation);

	if (!rb_raw_cd_format_is_holder(self, sender) ||
	    (!self->writing && self->operation_cancellable == NULL)) {
		rb_dbus_util_refuse(invocation, RB_ERROR_WRITE_NOT_IN_PROGRESS);
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	/* the pending write (or verify) replies RequestCancelled once its threads stopped */
	g_cancellable_cancel(self->writing ? self->cancellable : self->operation_cancellable);
	rb_disc_format2_raw_cd_complete_cancel_write(iface, invocation);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* --- life cycle ------------------------------------------------------------------------------- */

static void
rb_raw_cd_format_dispose(GObject *object)
{
	RbRawCdFormat *self = RB_RAW_CD_FORMAT(object);

	if (self->cancellable != NULL)
		g_cancellable_cancel(self->cancellable);
	g_clear_object(&self->cancellable);
	g_clear_object(&self->operation_cancellable);
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
	rb_disc_format2_raw_cd_set_requested_sector_type(iface, RB_SECTOR_TYPE_DEFAULT);
	rb_disc_format2_raw_cd_set_requested_write_speed(iface, RB_WRITE_SPEED_FASTEST);
	rb_disc_format2_raw_cd_set_preflight(iface, rb_preflight_to_string(RB_PREFLIGHT_LEAD_IN));

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
	rb_raw_cd_write_init(self);
	rb_raw_cd_verify_init(self);
}

RbRawCdFormat *
rb_raw_cd_format_new(const gchar *object_path,
		     const RbRawCdFormatRecorder *recorder_ops,
		     GObject *recorder)
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
	gboolean supported =
		state->media_present && (state->media_type == RB_DRIVE_MEDIA_TYPE_CD_R ||
					 state->media_type == RB_DRIVE_MEDIA_TYPE_CD_RW);

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
	self->test_write_supported = state->test_write;
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

/* locked, writing, or a call still working on the recorder */
gboolean
rb_raw_cd_format_is_busy(RbRawCdFormat *self)
{
	g_return_val_if_fail(RB_IS_RAW_CD_FORMAT(self), FALSE);
	return self->holder != NULL || self->writing || self->operation != NULL ||
	       self->pending > 0;
}

/* writing, erasing or verifying: the medium may not be moved or changed */
gboolean
rb_raw_cd_format_is_writing(RbRawCdFormat *self)
{
	g_return_val_if_fail(RB_IS_RAW_CD_FORMAT(self), FALSE);
	return self->writing || self->operation != NULL;
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

/* TRUE once the PrepareMedia of @sender succeeded */
gboolean
rb_raw_cd_format_is_lock_holder(RbRawCdFormat *self, const gchar *sender)
{
	g_return_val_if_fail(RB_IS_RAW_CD_FORMAT(self), FALSE);
	return rb_raw_cd_format_is_holder(self, sender) && self->holder_name != NULL;
}

/* the holder ejected or loaded a medium: it must prepare it again */
void
rb_raw_cd_format_set_media_changed(RbRawCdFormat *self)
{
	g_return_if_fail(RB_IS_RAW_CD_FORMAT(self));
	if (self->holder != NULL)
		self->media_changed = TRUE;
}

void
rb_raw_cd_format_set_fifo_size(RbRawCdFormat *self, gsize fifo_size)
{
	g_return_if_fail(RB_IS_RAW_CD_FORMAT(self));
	self->fifo_size = fifo_size;
}

/* the drive was unplugged or removed: a write fails with DeviceGone, the
 * lock goes, and calls still waiting for polkit fail when it answers */
void
rb_raw_cd_format_device_gone(RbRawCdFormat *self)
{
	g_return_if_fail(RB_IS_RAW_CD_FORMAT(self));
	self->life = RB_FORMAT_GONE;
	rb_raw_cd_format_release_stopping(self);
}

/* the service stops: a write is cancelled (the drive gets SYNCHRONIZE CACHE
 * and, with the lock, ALLOW MEDIUM REMOVAL) and replies RequestCancelled */
void
rb_raw_cd_format_shutdown(RbRawCdFormat *self)
{
	g_return_if_fail(RB_IS_RAW_CD_FORMAT(self));
	if (self->life == RB_FORMAT_ALIVE)
		self->life = RB_FORMAT_STOPPING;
	rb_raw_cd_format_release_stopping(self);
}

/* the recorder is being finalized: nothing may reach it any more */
void
rb_raw_cd_format_detach(RbRawCdFormat *self)
{
	g_return_if_fail(RB_IS_RAW_CD_FORMAT(self));
	if (self->life == RB_FORMAT_ALIVE)
		self->life = RB_FORMAT_GONE;
	self->recorder = NULL;
}
