/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SetWriteSpeed: a client's speed request, which reaches the drive at once
 * only for the lock holder (the others' at their PrepareMedia).
 */
#include "config.h"

#define G_LOG_DOMAIN "RbRawCdFormat"

#include <glib/gi18n.h>

#include "rb-dbus-util.h"
#include "rb-raw-cd-format-private.h"

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

gboolean
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
