/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What every interface implementation replies the same way: clients only
 * ever see the API's own error names (and the standard D-Bus ones), never a
 * GIO or GLib domain that happened to fail inside the daemon.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "rb-dbus-util.h"
#include "rb-error.h"

void
rb_dbus_util_return_error(GDBusMethodInvocation *invocation, const GError *error)
{
	if (error->domain == RB_ERROR || error->domain == G_DBUS_ERROR) {
		g_dbus_method_invocation_return_gerror(invocation, error);
		return;
	}
	g_dbus_method_invocation_take_error(
		invocation,
		rb_error_new(RB_ERROR_UNEXPECTED_RESPONSE_FROM_DEVICE,
			     "%s (%s)",
			     rb_error_get_description(RB_ERROR_UNEXPECTED_RESPONSE_FROM_DEVICE),
			     error->message));
}

/* GDBus refuses writes of read-only properties itself; this answers a
 * writable property the implementation does not handle */
gboolean
rb_dbus_util_refuse_property_write(const gchar *interface_name,
				   const gchar *property_name,
				   GError **error)
{
	g_set_error(error,
		    G_DBUS_ERROR,
		    G_DBUS_ERROR_PROPERTY_READ_ONLY,
		    _("%s.%s cannot be set."),
		    interface_name,
		    property_name);
	return FALSE;
}
