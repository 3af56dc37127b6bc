/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The properties of DiscFormat2RawCD: reads return the caller's own
 * per-client values, and writes are handled asynchronously (the vtable's
 * set_property is NULL, so GDBus sends them to method_call), because they
 * wait for polkit like the methods. The value is checked first, IMAPI's
 * rules of when it may change only once the caller is authorized.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbRawCdFormat"

#include <glib/gi18n.h>

#include "rb-dbus-util.h"
#include "rb-raw-cd-format-private.h"

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
	RbClientState *state = rb_raw_cd_format_lookup_client(self, sender);

	/* reads return the caller's own values: the defaults until it sets them */
	if (g_strcmp0(property_name, "ClientName") == 0)
		return g_variant_new_string(
			state != NULL && state->client_name != NULL ? state->client_name : "");
	if (g_strcmp0(property_name, "RequestedSectorType") == 0)
		return g_variant_new_uint32(state != NULL ? state->requested_sector_type
							  : RB_SECTOR_TYPE_DEFAULT);
	if (g_strcmp0(property_name, "BufferUnderrunFreeDisabled") == 0)
		return g_variant_new_boolean(state != NULL && state->buffer_underrun_free_disabled);
	if (g_strcmp0(property_name, "Preflight") == 0)
		return g_variant_new_string(rb_preflight_to_string(
			state != NULL ? state->preflight : RB_PREFLIGHT_LEAD_IN));
	if (g_strcmp0(property_name, "TestWrite") == 0)
		return g_variant_new_boolean(state != NULL && state->test_write);
	if (g_strcmp0(property_name, "RequestedWriteSpeed") == 0)
		return g_variant_new_int32(state != NULL ? state->requested_write_speed
							 : RB_WRITE_SPEED_FASTEST);
	if (g_strcmp0(property_name, "RequestedRotationTypeIsPureCAV") == 0)
		return g_variant_new_boolean(state != NULL && state->requested_pure_cav);
	return rb_raw_cd_format_get_parent_vtable(self)->get_property(
		connection, sender, object_path, interface_name, property_name, error, user_data);
}

gboolean
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

/* the value alone, before authorization: nothing of the caller's state */
static gboolean
rb_raw_cd_format_validate_property(const gchar *property_name, GVariant *value, GError **error)
{
	RbPreflight preflight;

	if (g_strcmp0(property_name, "ClientName") == 0 &&
	    !rb_client_name_is_valid(g_variant_get_string(value, NULL))) {
		rb_error_set_default(error, RB_ERROR_CLIENT_NAME_IS_NOT_VALID);
		return FALSE;
	}
	if (g_strcmp0(property_name, "Preflight") == 0 &&
	    !rb_preflight_parse(g_variant_get_string(value, NULL), &preflight, error))
		return FALSE;
	return TRUE;
}

/* the caller's state, once authorized: IMAPI's rules of when each may change */
static gboolean
rb_raw_cd_format_apply_property(RbRawCdFormat *self,
				const gchar *sender,
				const gchar *property_name,
				GVariant *value,
				GError **error)
{
	RbClientState *state = rb_raw_cd_format_client(self, sender);
	gboolean prepared = rb_raw_cd_format_is_holder(self, sender);

	if (prepared && self->writing) {
		rb_error_set_default(error, RB_ERROR_WRITE_IN_PROGRESS);
		return FALSE;
	}
	if (g_strcmp0(property_name, "ClientName") == 0) {
		if (prepared) {
			rb_error_set_default(error, RB_ERROR_MEDIA_IS_PREPARED);
			return FALSE;
		}
		g_free(state->client_name);
		state->client_name = g_variant_dup_string(value, NULL);
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
	} else if (g_strcmp0(property_name, "Preflight") == 0) {
		rb_preflight_from_string(g_variant_get_string(value, NULL), &state->preflight);
	} else if (g_strcmp0(property_name, "TestWrite") == 0) {
		/* prepared or not: whether the drive can simulate is asked when
		 * the write starts, from what PrepareMedia read */
		state->test_write = g_variant_get_boolean(value);
	} else {
		return rb_dbus_util_refuse_property_write(
			RB_RAW_CD_INTERFACE, property_name, error);
	}
	return TRUE;
}

static void
rb_raw_cd_format_set_property_authorized(RbRawCdFormat *self, GDBusMethodInvocation *invocation)
{
	const gchar *sender = g_dbus_method_invocation_get_sender(invocation);
	g_autoptr(GVariant) value = NULL;
	g_autoptr(GError) error = NULL;
	const gchar *property_name;

	rb_dbus_util_get_property_set(invocation, &property_name, &value);
	if (!rb_raw_cd_format_apply_property(self, sender, property_name, value, &error)) {
		rb_dbus_util_return_error(invocation, error);
		return;
	}
	rb_dbus_util_emit_changed_to(
		G_DBUS_INTERFACE_SKELETON(self), sender, RB_RAW_CD_INTERFACE, property_name, value);
	g_dbus_method_invocation_return_value(invocation, NULL);
}

/* Properties.Set of this interface: GDBus checked the property is writable
 * and the value's type before it got here */
static void
rb_raw_cd_format_method_call(GDBusConnection *connection,
			     const gchar *sender,
			     const gchar *object_path,
			     const gchar *interface_name,
			     const gchar *method_name,
			     GVariant *parameters,
			     GDBusMethodInvocation *invocation,
			     gpointer user_data)
{
	RbRawCdFormat *self = RB_RAW_CD_FORMAT(user_data);
	g_autoptr(GVariant) value = NULL;
	g_autoptr(GError) error = NULL;
	const gchar *property_name;

	if (g_strcmp0(interface_name, RB_DBUS_PROPERTIES_INTERFACE) != 0) {
		rb_dbus_util_chain_method_call(rb_raw_cd_format_get_parent_vtable(self),
					       G_DBUS_INTERFACE_SKELETON(self),
					       invocation);
		return;
	}
	if (!rb_dbus_util_parse_property_set(invocation, &property_name, &value))
		return;
	if (!rb_raw_cd_format_validate_property(property_name, value, &error)) {
		rb_dbus_util_return_error(invocation, error);
		return;
	}
	rb_raw_cd_format_authorize(
		self, invocation, NULL, rb_raw_cd_format_set_property_authorized);
}

/* GetAll and Get through our get_property; Set through method_call */
GDBusInterfaceVTable *
rb_raw_cd_format_get_vtable(GDBusInterfaceSkeleton *skeleton)
{
	RbRawCdFormat *self = RB_RAW_CD_FORMAT(skeleton);

	self->vtable = *rb_raw_cd_format_get_parent_vtable(self);
	self->vtable.method_call = rb_raw_cd_format_method_call;
	self->vtable.get_property = rb_raw_cd_format_get_property;
	self->vtable.set_property = NULL;
	return &self->vtable;
}
