/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Small helpers shared by the daemon's D-Bus interface implementations.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void rb_dbus_util_refuse_unimplemented_methods(GDBusInterfaceSkeleton *skeleton);
gboolean rb_dbus_util_refuse_property_write(GDBusConnection *connection,
					    const gchar *sender,
					    const gchar *object_path,
					    const gchar *interface_name,
					    const gchar *property_name,
					    GVariant *value,
					    GError **error,
					    gpointer user_data);

G_END_DECLS
