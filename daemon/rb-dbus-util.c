/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Members of the contract that this release does not implement yet must not
 * pretend to work: they answer org.freedesktop.DBus.Error.NotSupported with
 * a message that says so, instead of GDBus' generic UnknownMethod.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "rb-dbus-util.h"

#define RB_HANDLE_SIGNAL_PREFIX "handle-"

/* one marshaller for every handle-* signal, whatever its arguments:
 * param_values[1] is always the GDBusMethodInvocation */
static void
rb_dbus_util_not_supported_marshal(GClosure *closure,
				   GValue *return_value,
				   guint n_param_values,
				   const GValue *param_values,
				   gpointer invocation_hint,
				   gpointer marshal_data)
{
	GDBusMethodInvocation *invocation;

	g_return_if_fail(n_param_values >= 2);
	invocation = g_value_get_object(&param_values[1]);
	g_dbus_method_invocation_return_error(
		invocation,
		G_DBUS_ERROR,
		G_DBUS_ERROR_NOT_SUPPORTED,
		/* TRANSLATORS: the first %s is a D-Bus interface, the second a method, the third a
		   version */
		_("%s.%s is not implemented in rawburn %s yet; use a later release of the "
		  "service."),
		g_dbus_method_invocation_get_interface_name(invocation),
		g_dbus_method_invocation_get_method_name(invocation),
		PACKAGE_VERSION);
	g_value_set_boolean(return_value, TRUE);
}

void
rb_dbus_util_refuse_unimplemented_methods(GDBusInterfaceSkeleton *skeleton)
{
	GType type = G_TYPE_FROM_INSTANCE(skeleton);
	g_autofree GType *ifaces = g_type_interfaces(type, NULL);

	/* the handle-* signals are defined on the generated D-Bus interface type */
	for (guint i = 0; ifaces[i] != 0; i++) {
		guint n_ids = 0;
		g_autofree guint *ids = g_signal_list_ids(ifaces[i], &n_ids);

		for (guint j = 0; j < n_ids; j++) {
			GClosure *closure;

			if (!g_str_has_prefix(g_signal_name(ids[j]), RB_HANDLE_SIGNAL_PREFIX))
				continue;
			closure = g_closure_new_simple(sizeof(GClosure), NULL);
			g_closure_set_marshal(closure, rb_dbus_util_not_supported_marshal);
			/* after: a class handler or a handler returning TRUE wins */
			g_signal_connect_closure_by_id(skeleton, ids[j], 0, closure, TRUE);
		}
	}
}

gboolean
rb_dbus_util_refuse_property_write(GDBusConnection *connection,
				   const gchar *sender,
				   const gchar *object_path,
				   const gchar *interface_name,
				   const gchar *property_name,
				   GVariant *value,
				   GError **error,
				   gpointer user_data)
{
	g_set_error(error,
		    G_DBUS_ERROR,
		    G_DBUS_ERROR_NOT_SUPPORTED,
		    /* TRANSLATORS: the first %s is a D-Bus interface, the second a property, the
		       third a version */
		    _("Setting %s.%s is not implemented in rawburn %s yet; use a later release of "
		      "the service."),
		    interface_name,
		    property_name,
		    PACKAGE_VERSION);
	return FALSE;
}
