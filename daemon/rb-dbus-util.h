/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Small helpers shared by the daemon's D-Bus interface implementations.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void rb_dbus_util_return_error(GDBusMethodInvocation *invocation, const GError *error);
gboolean rb_dbus_util_refuse_property_write(const gchar *interface_name,
					    const gchar *property_name,
					    GError **error);

G_END_DECLS
