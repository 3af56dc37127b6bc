/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Manager interface at /org/rawburn/RawBurn1/Manager.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbServiceManager"

#include <fcntl.h>
#include <glib/gi18n.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rb-auth-map.h"
#include "rb-daemon.h"
#include "rb-dbus-util.h"
#include "rb-drive-probe.h"
#include "rb-service-manager.h"

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

/* a Backing file the emulated drive can keep a disc in: a regular file,
 * opened for reading and writing, where pwrite() lands where it is told */
static gboolean
rb_service_manager_check_backing(gint fd, GError **error)
{
	struct stat st;
	gint flags = fcntl(fd, F_GETFL);

	if (flags < 0 || fstat(fd, &st) < 0 || (flags & O_PATH) != 0 || !S_ISREG(st.st_mode)) {
		g_set_error(error,
			    G_DBUS_ERROR,
			    G_DBUS_ERROR_INVALID_ARGS,
			    _("Backing must be a regular file, not a directory, pipe, socket, "
			      "device or O_PATH descriptor; open a file for reading and writing."));
		return FALSE;
	}
	if ((flags & O_ACCMODE) != O_RDWR || (flags & O_APPEND) != 0) {
		g_set_error(error,
			    G_DBUS_ERROR,
			    G_DBUS_ERROR_INVALID_ARGS,
			    _("Backing must be open for reading and writing, without O_APPEND; "
			      "open the file with O_RDWR."));
		return FALSE;
	}
	return TRUE;
}

/* AddVirtualRecorder's options onto a recorder description; nothing else
 * changes, so this runs before the caller is authorized */
static RbVirtualSpec *
rb_service_manager_parse_options(GDBusMethodInvocation *invocation,
				 GVariant *options,
				 GError **error)
{
	g_autoptr(RbVirtualSpec) spec = rb_virtual_spec_new();
	GVariantIter iter;
	const gchar *key;
	GVariant *entry_value;

	g_variant_iter_init(&iter, options);
	while (g_variant_iter_next(&iter, "{&sv}", &key, &entry_value)) {
		/* iter_next, not iter_loop: returning early must not leak the value */
		g_autoptr(GVariant) value = entry_value;
		gboolean no_interaction = FALSE;
		gint64 speed = 0;

		if (g_strcmp0(key, "Media") == 0 &&
		    g_variant_is_of_type(value, G_VARIANT_TYPE_STRING)) {
			if (!rb_virtual_media_from_string(
				    g_variant_get_string(value, NULL), &spec->media, error))
				return NULL;
		} else if (g_strcmp0(key, "MaxSpeed") == 0) {
			if (!rb_dbus_util_parse_integer(
				    key, value, 1, RB_VIRTUAL_SPEED_MAX, &speed, error))
				return NULL;
			spec->max_speed = (guint)speed;
		} else if (g_strcmp0(key, "Realtime") == 0 &&
			   g_variant_is_of_type(value, G_VARIANT_TYPE_BOOLEAN)) {
			spec->realtime = g_variant_get_boolean(value);
		} else if (g_strcmp0(key, "TestWrite") == 0 &&
			   g_variant_is_of_type(value, G_VARIANT_TYPE_BOOLEAN)) {
			spec->test_write = g_variant_get_boolean(value);
		} else if (g_strcmp0(key, "Backing") == 0 &&
			   g_variant_is_of_type(value, G_VARIANT_TYPE_HANDLE)) {
			if (spec->backing_fd >= 0)
				close(spec->backing_fd);
			spec->backing_fd = rb_dbus_util_get_fd(
				invocation, g_variant_get_handle(value), "Backing", error);
			if (spec->backing_fd < 0 ||
			    !rb_service_manager_check_backing(spec->backing_fd, error))
				return NULL;
		} else if (g_strcmp0(key, "Name") == 0 &&
			   g_variant_is_of_type(value, G_VARIANT_TYPE_STRING)) {
			if (!rb_virtual_spec_check_name(g_variant_get_string(value, NULL), error))
				return NULL;
			g_free(spec->name);
			spec->name = g_variant_dup_string(value, NULL);
		} else if (g_strcmp0(key, RB_AUTH_OPTION_NO_USER_INTERACTION) == 0) {
			if (!rb_auth_map_parse_no_user_interaction(value, &no_interaction, error))
				return NULL;
		} else {
			g_set_error(error,
				    G_DBUS_ERROR,
				    G_DBUS_ERROR_INVALID_ARGS,
				    _("Unknown option “%s” of type “%s”; use Media (s), MaxSpeed "
				      "(u), Realtime (b), TestWrite (b), Name (s), Backing (h) or "
				      "auth.no_user_interaction (b)."),
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
	RbVirtualSpec *spec; /* Add */
	gchar *path;         /* Remove */
} RbManagerCall;

static void
rb_manager_call_free(RbManagerCall *call)
{
	g_object_unref(call->self);
	g_object_unref(call->invocation);
	g_clear_pointer(&call->spec, rb_virtual_spec_free);
	g_free(call->path);
	g_free(call);
}

static void
rb_service_manager_authorized(GObject *source, GAsyncResult *result, gpointer user_data)
{
	RbManagerCall *call = user_data;
	RbManager *manager = RB_MANAGER(call->self);
	g_autoptr(GError) error = NULL;

	if (!rb_auth_map_authorize_finish(RB_AUTHORITY(source), result, &error)) {
		rb_dbus_util_return_error(call->invocation, error);
	} else if (call->spec != NULL) {
		g_autofree gchar *path =
			rb_daemon_add_virtual_recorder(call->self->daemon, call->spec, &error);
		if (path == NULL)
			rb_dbus_util_return_error(call->invocation, error);
		else
			rb_manager_complete_add_virtual_recorder(manager, call->invocation, path);
	} else if (!rb_daemon_remove_virtual_recorder(call->self->daemon, call->path, &error)) {
		rb_dbus_util_return_error(call->invocation, error);
	} else {
		rb_manager_complete_remove_virtual_recorder(manager, call->invocation);
	}
	rb_manager_call_free(call);
}

static gboolean
rb_service_manager_handle_add_virtual_recorder(RbManager *manager,
					       GDBusMethodInvocation *invocation,
					       GVariant *options)
{
	RbServiceManager *self = RB_SERVICE_MANAGER(manager);
	g_autoptr(GError) error = NULL;
	g_autoptr(RbVirtualSpec) spec =
		rb_service_manager_parse_options(invocation, options, &error);
	RbManagerCall *call;

	if (spec == NULL) {
		rb_dbus_util_return_error(invocation, error);
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	call = g_new0(RbManagerCall, 1);
	call->self = g_object_ref(self);
	call->invocation = g_object_ref(invocation);
	call->spec = g_steal_pointer(&spec);
	rb_auth_map_authorize_async(rb_daemon_get_authority(self->daemon),
				    invocation,
				    options,
				    rb_service_manager_authorized,
				    call);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
rb_service_manager_handle_remove_virtual_recorder(RbManager *manager,
						  GDBusMethodInvocation *invocation,
						  const gchar *path)
{
	RbServiceManager *self = RB_SERVICE_MANAGER(manager);
	RbManagerCall *call = g_new0(RbManagerCall, 1);

	call->self = g_object_ref(self);
	call->invocation = g_object_ref(invocation);
	call->path = g_strdup(path);
	rb_auth_map_authorize_async(rb_daemon_get_authority(self->daemon),
				    invocation,
				    NULL,
				    rb_service_manager_authorized,
				    call);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* no authorization: the creator only holds the caller's own data; its
 * CreateResultImage asks for org.rawburn.burn */
static gboolean
rb_service_manager_handle_create_image_creator(RbManager *manager,
					       GDBusMethodInvocation *invocation)
{
	RbServiceManager *self = RB_SERVICE_MANAGER(manager);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *path = rb_daemon_create_image_creator(
		self->daemon, g_dbus_method_invocation_get_sender(invocation), &error);

	if (path == NULL)
		rb_dbus_util_return_error(invocation, error);
	else
		rb_manager_complete_create_image_creator(manager, invocation, path);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
rb_service_manager_iface_init(RbManagerIface *iface)
{
	iface->handle_create_image_creator = rb_service_manager_handle_create_image_creator;
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
	const guint32 media_types[] = {RB_DRIVE_MEDIA_TYPE_CD_R, RB_DRIVE_MEDIA_TYPE_CD_RW};

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
