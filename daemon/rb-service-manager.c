/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Manager interface at /org/rawburn/RawBurn1/Manager.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbServiceManager"

#include <gio/gunixfdlist.h>
#include <glib/gi18n.h>
#include <unistd.h>

#include "rb-daemon.h"
#include "rb-dbus-util.h"
#include "rb-service-manager.h"

/* IMAPI_MEDIA_PHYSICAL_TYPE values of the media this service writes */
#define RB_IMAPI_MEDIA_CDR 2
#define RB_IMAPI_MEDIA_CDRW 3

struct _RbServiceManager {
	RbManagerSkeleton parent_instance;
	RbDaemon *daemon; /* not owned: the daemon owns us */
};

static void rb_service_manager_iface_init(RbManagerIface *iface);

G_DEFINE_TYPE_WITH_CODE(RbServiceManager,
			rb_service_manager,
			RB_TYPE_MANAGER_SKELETON,
			G_IMPLEMENT_INTERFACE(RB_TYPE_MANAGER, rb_service_manager_iface_init))

static gboolean
rb_service_manager_handle_get_recorders(RbManager *manager, GDBusMethodInvocation *invocation)
{
	RbServiceManager *self = RB_SERVICE_MANAGER(manager);
	g_auto(GStrv) paths = rb_daemon_dup_recorder_paths(self->daemon);

	rb_manager_complete_get_recorders(manager, invocation, (const gchar *const *)paths);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* AddVirtualRecorder's options onto a recorder description */
static RbVirtualSpec *
rb_service_manager_parse_options(GVariant *options, GUnixFDList *fd_list, GError **error)
{
	g_autoptr(RbVirtualSpec) spec = rb_virtual_spec_new();
	GVariantIter iter;
	const gchar *key;
	GVariant *entry_value;

	g_variant_iter_init(&iter, options);
	while (g_variant_iter_next(&iter, "{&sv}", &key, &entry_value)) {
		/* iter_next, not iter_loop: returning early must not leak the value */
		g_autoptr(GVariant) value = entry_value;

		if (g_strcmp0(key, "Media") == 0 &&
		    g_variant_is_of_type(value, G_VARIANT_TYPE_STRING)) {
			if (!rb_virtual_media_from_string(
				    g_variant_get_string(value, NULL), &spec->media, error))
				return NULL;
		} else if (g_strcmp0(key, "MaxSpeed") == 0 &&
			   g_variant_is_of_type(value, G_VARIANT_TYPE_UINT32)) {
			spec->max_speed = g_variant_get_uint32(value);
			if (spec->max_speed < 1 || spec->max_speed > RB_VIRTUAL_SPEED_MAX) {
				g_set_error(error,
					    G_OPTION_ERROR,
					    G_OPTION_ERROR_BAD_VALUE,
					    _("MaxSpeed needs 1 to %u, not %u."),
					    (guint)RB_VIRTUAL_SPEED_MAX,
					    spec->max_speed);
				return NULL;
			}
		} else if (g_strcmp0(key, "Realtime") == 0 &&
			   g_variant_is_of_type(value, G_VARIANT_TYPE_BOOLEAN)) {
			spec->realtime = g_variant_get_boolean(value);
		} else if (g_strcmp0(key, "Backing") == 0 &&
			   g_variant_is_of_type(value, G_VARIANT_TYPE_HANDLE)) {
			if (spec->backing_fd >= 0)
				close(spec->backing_fd);
			spec->backing_fd = fd_list != NULL
						   ? g_unix_fd_list_get(fd_list,
									g_variant_get_handle(value),
									NULL)
						   : -1;
			if (spec->backing_fd < 0) {
				g_set_error(
					error,
					G_OPTION_ERROR,
					G_OPTION_ERROR_BAD_VALUE,
					_("Backing needs a file descriptor passed with the call."));
				return NULL;
			}
		} else if (g_strcmp0(key, "Name") == 0 &&
			   g_variant_is_of_type(value, G_VARIANT_TYPE_STRING)) {
			g_free(spec->name);
			spec->name = g_variant_dup_string(value, NULL);
		} else {
			g_set_error(error,
				    G_OPTION_ERROR,
				    G_OPTION_ERROR_BAD_VALUE,
				    _("Unknown option “%s” of type “%s”; use Media (s), MaxSpeed "
				      "(u), Realtime (b) or Name (s)."),
				    key,
				    g_variant_get_type_string(value));
			return NULL;
		}
	}
	return g_steal_pointer(&spec);
}

typedef struct {
	RbServiceManager *self;
	GDBusMethodInvocation *invocation;
	GVariant *options; /* Add */
	gchar *path;       /* Remove */
} RbManagerCall;

static void
rb_manager_call_free(RbManagerCall *call)
{
	g_object_unref(call->self);
	g_object_unref(call->invocation);
	g_clear_pointer(&call->options, g_variant_unref);
	g_free(call->path);
	g_free(call);
}

static void
rb_service_manager_authorized(GObject *source, GAsyncResult *result, gpointer user_data)
{
	RbManagerCall *call = user_data;
	RbManager *manager = RB_MANAGER(call->self);
	g_autoptr(GError) error = NULL;

	if (!rb_authority_check_finish(RB_AUTHORITY(source), result, &error)) {
		g_dbus_method_invocation_return_gerror(call->invocation, error);
	} else if (call->options != NULL) {
		GDBusMessage *message = g_dbus_method_invocation_get_message(call->invocation);
		g_autoptr(RbVirtualSpec) spec = rb_service_manager_parse_options(
			call->options, g_dbus_message_get_unix_fd_list(message), &error);
		g_autofree gchar *path =
			spec != NULL
				? rb_daemon_add_virtual_recorder(call->self->daemon, spec, &error)
				: NULL;
		if (path == NULL)
			g_dbus_method_invocation_return_error(call->invocation,
							      G_DBUS_ERROR,
							      G_DBUS_ERROR_INVALID_ARGS,
							      "%s",
							      error->message);
		else
			rb_manager_complete_add_virtual_recorder(manager, call->invocation, path);
	} else if (!rb_daemon_remove_virtual_recorder(call->self->daemon, call->path, &error)) {
		g_dbus_method_invocation_return_gerror(call->invocation, error);
	} else {
		rb_manager_complete_remove_virtual_recorder(manager, call->invocation);
	}
	rb_manager_call_free(call);
}

static void
rb_service_manager_authorize(RbServiceManager *self, RbManagerCall *call)
{
	rb_authority_check_async(
		rb_daemon_get_authority(self->daemon),
		g_dbus_method_invocation_get_sender(call->invocation),
		RB_AUTHORITY_ACTION_MANAGE_VIRTUAL,
		_("Authentication is required to add or remove a virtual CD recorder"),
		NULL,
		rb_service_manager_authorized,
		call);
}

static gboolean
rb_service_manager_handle_add_virtual_recorder(RbManager *manager,
					       GDBusMethodInvocation *invocation,
					       GVariant *options)
{
	RbManagerCall *call = g_new0(RbManagerCall, 1);

	call->self = g_object_ref(RB_SERVICE_MANAGER(manager));
	call->invocation = g_object_ref(invocation);
	call->options = g_variant_ref(options);
	rb_service_manager_authorize(call->self, call);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
rb_service_manager_handle_remove_virtual_recorder(RbManager *manager,
						  GDBusMethodInvocation *invocation,
						  const gchar *path)
{
	RbManagerCall *call = g_new0(RbManagerCall, 1);

	call->self = g_object_ref(RB_SERVICE_MANAGER(manager));
	call->invocation = g_object_ref(invocation);
	call->path = g_strdup(path);
	rb_service_manager_authorize(call->self, call);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
rb_service_manager_iface_init(RbManagerIface *iface)
{
	iface->handle_get_recorders = rb_service_manager_handle_get_recorders;
	iface->handle_add_virtual_recorder = rb_service_manager_handle_add_virtual_recorder;
	iface->handle_remove_virtual_recorder = rb_service_manager_handle_remove_virtual_recorder;
}

static void
rb_service_manager_class_init(RbServiceManagerClass *klass)
{
}

static void
rb_service_manager_init(RbServiceManager *self)
{
	const guint32 media_types[] = {RB_IMAPI_MEDIA_CDR, RB_IMAPI_MEDIA_CDRW};

	rb_manager_set_version(RB_MANAGER(self), PACKAGE_VERSION);
	rb_manager_set_supported_media_types(RB_MANAGER(self),
					     g_variant_new_fixed_array(G_VARIANT_TYPE_UINT32,
								       media_types,
								       G_N_ELEMENTS(media_types),
								       sizeof(media_types[0])));
}

RbServiceManager *
rb_service_manager_new(RbDaemon *daemon)
{
	RbServiceManager *self = g_object_new(RB_TYPE_SERVICE_MANAGER, NULL);
	self->daemon = daemon;
	return self;
}
