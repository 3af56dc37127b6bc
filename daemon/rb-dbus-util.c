/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What every interface implementation replies the same way: clients only
 * ever see the API's own error names (and the standard D-Bus ones), never a
 * GIO or GLib domain that happened to fail inside the daemon.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <gio/gunixfdlist.h>
#include <glib/gi18n.h>

#include "rb-dbus-util.h"
#include "rb-error.h"

/* the code's own description says what went wrong and what to do */
void
rb_dbus_util_refuse(GDBusMethodInvocation *invocation, RbError code)
{
	g_dbus_method_invocation_take_error(
		invocation, rb_error_new(code, "%s", rb_error_get_description(code)));
}

/* @owner: the holder's ClientName; NULL or empty when it gave none */
GError *
rb_dbus_util_new_locked_error(const gchar *owner)
{
	return rb_error_new(
		RB_ERROR_LOCKED,
		/* TRANSLATORS: %s is the ClientName of the application holding the recorder */
		_("“%s” holds the recorder; wait until it releases the medium."),
		owner != NULL && owner[0] != '\0' ? owner : _("another client"));
}

/* the error a call replies with for @error: ours and GDBus' as they are,
 * anything else named by what it is about */
GError *
rb_dbus_util_error_for_reply(const GError *error)
{
	if (error->domain == RB_ERROR || error->domain == G_DBUS_ERROR)
		return g_error_copy(error);
	/* the option parsers' errors are about the caller's values */
	if (error->domain == G_OPTION_ERROR)
		return g_error_new_literal(G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS, error->message);
	return rb_error_new(RB_ERROR_UNEXPECTED_RESPONSE_FROM_DEVICE,
			    "%s (%s)",
			    rb_error_get_description(RB_ERROR_UNEXPECTED_RESPONSE_FROM_DEVICE),
			    error->message);
}

void
rb_dbus_util_return_error(GDBusMethodInvocation *invocation, const GError *error)
{
	g_dbus_method_invocation_take_error(invocation, rb_dbus_util_error_for_reply(error));
}

/*
 * The file descriptor an `h` argument refers to, as a new descriptor the
 * caller owns. The index is the client's word, so it is checked here rather
 * than by g_unix_fd_list_get(): a negative one would otherwise pick one of
 * the daemon's own descriptors, a large one log a critical.
 */
gint
rb_dbus_util_get_fd(GDBusMethodInvocation *invocation,
		    gint32 handle,
		    const gchar *arg_name,
		    GError **error)
{
	GDBusMessage *message = g_dbus_method_invocation_get_message(invocation);
	GUnixFDList *fd_list = g_dbus_message_get_unix_fd_list(message);
	gint n = fd_list != NULL ? g_unix_fd_list_get_length(fd_list) : 0;
	g_autoptr(GError) error_local = NULL;
	gint fd;

	if (handle < 0 || handle >= n) {
		g_set_error(error,
			    G_DBUS_ERROR,
			    G_DBUS_ERROR_INVALID_ARGS,
			    /* TRANSLATORS: %s is an argument's name, e.g. “data” */
			    _("The argument “%s” refers to file descriptor %d, but the call "
			      "carried %d; pass the descriptor with the call (index 0 for the "
			      "first)."),
			    arg_name,
			    handle,
			    n);
		return -1;
	}
	fd = g_unix_fd_list_get(fd_list, handle, &error_local);
	if (fd < 0) {
		gboolean exhausted =
			g_error_matches(error_local, G_IO_ERROR, G_IO_ERROR_TOO_MANY_OPEN_FILES);

		g_warning("cannot take the descriptor of “%s”: %s", arg_name, error_local->message);
		g_set_error(error,
			    G_DBUS_ERROR,
			    exhausted ? G_DBUS_ERROR_LIMITS_EXCEEDED : G_DBUS_ERROR_FAILED,
			    _("The service cannot take the descriptor of “%s”: %s; try again "
			      "later."),
			    arg_name,
			    error_local->message);
		return -1;
	}
	return fd;
}

/* an a{sv} option's value of the one type @key takes; for booleans too:
 * every binding and busctl/gdbus can send a "b", and a number taken for a
 * flag would let a value meant for another option switch it on unnoticed */
gboolean
rb_dbus_util_check_option_type(const gchar *key,
			       GVariant *value,
			       const GVariantType *type,
			       GError **error)
{
	g_autofree gchar *expected = NULL;

	if (g_variant_is_of_type(value, type))
		return TRUE;
	expected = g_variant_type_dup_string(type);
	g_set_error(error,
		    G_DBUS_ERROR,
		    G_DBUS_ERROR_INVALID_ARGS,
		    _("The option “%s” takes a value of type “%s”, not “%s”."),
		    key,
		    expected,
		    g_variant_get_type_string(value));
	return FALSE;
}

/* busctl and gdbus users type integers without a type: any integer type
 * whose value is in range will do */
gboolean
rb_dbus_util_parse_integer(
	const gchar *key, GVariant *value, gint64 min, gint64 max, gint64 *out, GError **error)
{
	gint64 number;

	if (g_variant_is_of_type(value, G_VARIANT_TYPE_INT32))
		number = g_variant_get_int32(value);
	else if (g_variant_is_of_type(value, G_VARIANT_TYPE_UINT32))
		number = g_variant_get_uint32(value);
	else if (g_variant_is_of_type(value, G_VARIANT_TYPE_INT64))
		number = g_variant_get_int64(value);
	else if (g_variant_is_of_type(value, G_VARIANT_TYPE_UINT64) &&
		 g_variant_get_uint64(value) > G_MAXINT64) {
		/* above every range an option has: say the value as it came */
		g_set_error(error,
			    G_DBUS_ERROR,
			    G_DBUS_ERROR_INVALID_ARGS,
			    _("The option “%s” takes %" PRId64 " to %" PRId64 ", not %" PRIu64 "."),
			    key,
			    min,
			    max,
			    (guint64)g_variant_get_uint64(value));
		return FALSE;
	} else if (g_variant_is_of_type(value, G_VARIANT_TYPE_UINT64))
		number = (gint64)g_variant_get_uint64(value);
	else if (g_variant_is_of_type(value, G_VARIANT_TYPE_INT16))
		number = g_variant_get_int16(value);
	else if (g_variant_is_of_type(value, G_VARIANT_TYPE_UINT16))
		number = g_variant_get_uint16(value);
	else if (g_variant_is_of_type(value, G_VARIANT_TYPE_BYTE))
		number = g_variant_get_byte(value);
	else {
		g_set_error(error,
			    G_DBUS_ERROR,
			    G_DBUS_ERROR_INVALID_ARGS,
			    _("The option “%s” takes an integer, not “%s”."),
			    key,
			    g_variant_get_type_string(value));
		return FALSE;
	}
	if (number < min || number > max) {
		g_set_error(error,
			    G_DBUS_ERROR,
			    G_DBUS_ERROR_INVALID_ARGS,
			    _("The option “%s” takes %" PRId64 " to %" PRId64 ", not %" PRId64 "."),
			    key,
			    min,
			    max,
			    number);
		return FALSE;
	}
	*out = number;
	return TRUE;
}

/*
 * Properties.Set's arguments: @property_name borrowed from @invocation,
 * @value the caller's own reference. For the handler that runs once the
 * caller is authorized, which rb_dbus_util_parse_property_set() checked.
 */
void
rb_dbus_util_get_property_set(GDBusMethodInvocation *invocation,
			      const gchar **property_name,
			      GVariant **value)
{
	g_variant_get(g_dbus_method_invocation_get_parameters(invocation),
		      "(&s&sv)",
		      NULL,
		      property_name,
		      value);
}

/*
 * Properties.Set's arguments, as rb_dbus_util_get_property_set(), for an
 * interface whose set_property is NULL so that writes reach method_call.
 * The value's type is checked against the property's signature here too,
 * whatever GDBus let through, because the handlers read it with
 * g_variant_get_*(), which would abort on another type. FALSE, with
 * InvalidArgs replied, when it does not match.
 */
gboolean
rb_dbus_util_parse_property_set(GDBusMethodInvocation *invocation,
				const gchar **property_name,
				GVariant **value)
{
	const GDBusPropertyInfo *info = g_dbus_method_invocation_get_property_info(invocation);
	g_autoptr(GVariant) value_local = NULL;
	const gchar *name;

	rb_dbus_util_get_property_set(invocation, &name, &value_local);
	if (info == NULL || !g_variant_is_of_type(value_local, G_VARIANT_TYPE(info->signature))) {
		g_dbus_method_invocation_return_error(invocation,
						      G_DBUS_ERROR,
						      G_DBUS_ERROR_INVALID_ARGS,
						      _("%s takes a value of type “%s”, not “%s”."),
						      name,
						      info != NULL ? info->signature : "?",
						      g_variant_get_type_string(value_local));
		return FALSE;
	}
	*property_name = name;
	*value = g_steal_pointer(&value_local);
	return TRUE;
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

void
rb_dbus_util_chain_method_call(const GDBusInterfaceVTable *parent_vtable,
			       GDBusInterfaceSkeleton *skeleton,
			       GDBusMethodInvocation *invocation)
{
	/* the generated vtable's user data is the skeleton itself */
	parent_vtable->method_call(g_dbus_method_invocation_get_connection(invocation),
				   g_dbus_method_invocation_get_sender(invocation),
				   g_dbus_method_invocation_get_object_path(invocation),
				   g_dbus_method_invocation_get_interface_name(invocation),
				   g_dbus_method_invocation_get_method_name(invocation),
				   g_dbus_method_invocation_get_parameters(invocation),
				   invocation,
				   skeleton);
}

/* the generated skeleton's vtable, which an implementation's own wraps;
 * @parent_class is the implementation's parent class */
const GDBusInterfaceVTable *
rb_dbus_util_get_parent_vtable(GDBusInterfaceSkeleton *skeleton, gpointer parent_class)
{
	return G_DBUS_INTERFACE_SKELETON_CLASS(parent_class)->get_vtable(skeleton);
}

/*
 * PropertiesChanged of @interface_name's @property_name on @skeleton's
 * object, sent to @sender only: the per-client properties (ClientName and
 * the like) are that client's own, so no other client hears of a change.
 * Takes @value if it is floating.
 */
void
rb_dbus_util_emit_changed_to(GDBusInterfaceSkeleton *skeleton,
			     const gchar *sender,
			     const gchar *interface_name,
			     const gchar *property_name,
			     GVariant *value)
{
	GDBusConnection *connection = g_dbus_interface_skeleton_get_connection(skeleton);
	g_autoptr(GVariantBuilder) changed = g_variant_builder_new(G_VARIANT_TYPE("a{sv}"));
	g_autoptr(GVariant) owned = g_variant_ref_sink(value);
	const gchar *invalidated[] = {NULL};

	if (connection == NULL)
		return;
	g_variant_builder_add(changed, "{sv}", property_name, owned);
	g_dbus_connection_emit_signal(
		connection,
		sender,
		g_dbus_interface_skeleton_get_object_path(skeleton),
		RB_DBUS_PROPERTIES_INTERFACE,
		"PropertiesChanged",
		g_variant_new("(sa{sv}^as)", interface_name, changed, invalidated),
		NULL);
}

/* what every call refused because the service stops says */
const gchar *
rb_dbus_util_stopping_message(void)
{
	return _("The service is stopping; try again once it runs again.");
}

/* RequestCancelled: the service stops and takes no more work */
GError *
rb_dbus_util_new_stopping_error(void)
{
	return rb_error_new(RB_ERROR_REQUEST_CANCELLED, "%s", rb_dbus_util_stopping_message());
}
