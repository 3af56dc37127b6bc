/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The DiscFormat2RawCD interface of one recorder: IMAPI's per-client format
 * object and its state machine; the exclusive lock is in rb-raw-cd-lock.c. Each D-Bus
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

/* --- life cycle ------------------------------------------------------------------------------- */

static void
rb_raw_cd_format_dispose(GObject *object)
{
	RbRawCdFormat *self = RB_RAW_CD_FORMAT(object);

	if (self->cancellable != NULL)
		g_cancellable_cancel(self->cancellable);
	g_clear_object(&self->cancellable);
	g_clear_object(&self->burn_preparing);
	g_clear_object(&self->service_job);
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
	g_clear_pointer(&self->journal, rb_journal_unref);
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
	rb_raw_cd_journal_release_reason(self, "recorder gone");
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
	rb_raw_cd_journal_release_reason(self, "service stopping");
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
