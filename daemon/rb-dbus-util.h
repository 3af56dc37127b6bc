/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Small helpers shared by the daemon's D-Bus interface implementations.
 */
#pragma once

#include <gio/gio.h>

#include "rb-error.h"

G_BEGIN_DECLS

#define RB_DBUS_PROPERTIES_INTERFACE "org.freedesktop.DBus.Properties"

void rb_dbus_util_refuse(GDBusMethodInvocation *invocation, RbError code);
GError *rb_dbus_util_new_locked_error(const gchar *owner);
/* the error a method call replies with for @error (a copy, or mapped) */
GError *rb_dbus_util_error_for_reply(const GError *error);
void rb_dbus_util_return_error(GDBusMethodInvocation *invocation, const GError *error);
gint rb_dbus_util_get_fd(GDBusMethodInvocation *invocation,
			 gint32 handle,
			 const gchar *arg_name,
			 GError **error);
gboolean rb_dbus_util_check_option_type(const gchar *key,
					GVariant *value,
					const GVariantType *type,
					GError **error);
gboolean rb_dbus_util_parse_integer(
	const gchar *key, GVariant *value, gint64 min, gint64 max, gint64 *out, GError **error);
/* hands @invocation to the generated skeleton's own handler (its handle-*
 * signals), for an override of method_call that does not take this call */
void rb_dbus_util_chain_method_call(const GDBusInterfaceVTable *parent_vtable,
				    GDBusInterfaceSkeleton *skeleton,
				    GDBusMethodInvocation *invocation);
void rb_dbus_util_get_property_set(GDBusMethodInvocation *invocation,
				   const gchar **property_name,
				   GVariant **value);
gboolean rb_dbus_util_parse_property_set(GDBusMethodInvocation *invocation,
					 const gchar **property_name,
					 GVariant **value);
gboolean rb_dbus_util_refuse_property_write(const gchar *interface_name,
					    const gchar *property_name,
					    GError **error);
const GDBusInterfaceVTable *rb_dbus_util_get_parent_vtable(GDBusInterfaceSkeleton *skeleton,
							   gpointer parent_class);
void rb_dbus_util_emit_changed_to(GDBusInterfaceSkeleton *skeleton,
				  const gchar *sender,
				  const gchar *interface_name,
				  const gchar *property_name,
				  GVariant *value);
const gchar *rb_dbus_util_stopping_message(void);
GError *rb_dbus_util_new_stopping_error(void);

G_END_DECLS
