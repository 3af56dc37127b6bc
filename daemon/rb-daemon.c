/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The daemon object: owns the ObjectManager at /org/rawburn/RawBurn1, the
 * Manager object and the recorder objects, in the order clients see them.
 * Every change of the object tree happens here, on the main thread.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbDaemon"

#include <glib/gi18n.h>

#include "rb-daemon.h"
#include "rb-error.h"
#include "rb-recorder-object.h"
#include "rb-service-manager.h"
#include "rb-udev-provider.h"

struct _RbDaemon {
	GObject parent_instance;
	GDBusConnection *connection;
	GDBusObjectManagerServer *object_manager;
	RbServiceManager *manager;
	GPtrArray *recorders; /* of RbRecorderObject, in GetRecorders order */
	RbAuthority *authority;
	gsize fifo_size;
	RbUdevProvider *provider;
	guint next_virtual_index;
};

G_DEFINE_TYPE(RbDaemon, rb_daemon, G_TYPE_OBJECT)

static void
rb_daemon_dispose(GObject *object)
{
	RbDaemon *self = RB_DAEMON(object);

	/* unexport before the objects go, so clients see InterfacesRemoved */
	if (self->provider != NULL) {
		g_signal_handlers_disconnect_by_data(self->provider, self);
		rb_udev_provider_stop(self->provider);
		g_clear_object(&self->provider);
	}
	if (self->object_manager != NULL)
		g_dbus_object_manager_server_set_connection(self->object_manager, NULL);
	g_clear_pointer(&self->recorders, g_ptr_array_unref);
	g_clear_object(&self->manager);
	g_clear_object(&self->authority);
	g_clear_object(&self->object_manager);
	g_clear_object(&self->connection);
	G_OBJECT_CLASS(rb_daemon_parent_class)->dispose(object);
}

static void
rb_daemon_class_init(RbDaemonClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	object_class->dispose = rb_daemon_dispose;
}

static void
rb_daemon_init(RbDaemon *self)
{
	self->recorders = g_ptr_array_new_with_free_func(g_object_unref);
}

RbDaemon *
rb_daemon_new(GDBusConnection *connection, gboolean system_bus, gsize fifo_size)
{
	RbDaemon *self = g_object_new(RB_TYPE_DAEMON, NULL);
	g_autoptr(RbObjectSkeleton) manager_object = rb_object_skeleton_new(RB_DBUS_MANAGER_PATH);

	g_return_val_if_fail(G_IS_DBUS_CONNECTION(connection), NULL);

	self->connection = g_object_ref(connection);
	self->fifo_size = fifo_size;
	/* on the session bus (development) everything the user runs is trusted */
	self->authority = system_bus ? rb_authority_new(connection) : rb_authority_new_trust_all();
	self->object_manager = g_dbus_object_manager_server_new(RB_DBUS_ROOT_PATH);
	self->manager = rb_service_manager_new(self);
	rb_object_skeleton_set_manager(manager_object, RB_MANAGER(self->manager));
	g_dbus_object_manager_server_export(self->object_manager,
					    G_DBUS_OBJECT_SKELETON(manager_object));
	g_dbus_object_manager_server_set_connection(self->object_manager, connection);
	return self;
}

gchar *
rb_daemon_add_virtual_recorder(RbDaemon *self, const RbVirtualSpec *spec, GError **error)
{
	g_autofree gchar *name = NULL;
	g_autoptr(RbRecorderObject) recorder = NULL;

	g_return_val_if_fail(RB_IS_DAEMON(self), NULL);
	g_return_val_if_fail(spec != NULL, NULL);

	name = g_strdup_printf("virtual%u", self->next_virtual_index++);
	recorder = rb_recorder_object_new_virtual(name, spec, self->authority, self->fifo_size);
	g_dbus_object_manager_server_export(self->object_manager, G_DBUS_OBJECT_SKELETON(recorder));
	g_ptr_array_add(self->recorders, g_object_ref(recorder));
	/* the properties follow once the drive has answered, off the main thread */
	rb_recorder_object_refresh(recorder);
	g_debug("added virtual recorder %s (media %s, %ux, realtime %s)",
		g_dbus_object_get_object_path(G_DBUS_OBJECT(recorder)),
		rb_virtual_media_to_string(spec->media),
		spec->max_speed,
		spec->realtime ? "yes" : "no");
	return g_strdup(g_dbus_object_get_object_path(G_DBUS_OBJECT(recorder)));
}

/* only emulated recorders go this way, and never while they write */
gboolean
rb_daemon_remove_virtual_recorder(RbDaemon *self, const gchar *object_path, GError **error)
{
	for (guint i = 0; i < self->recorders->len; i++) {
		RbRecorderObject *recorder = g_ptr_array_index(self->recorders, i);

		if (g_strcmp0(g_dbus_object_get_object_path(G_DBUS_OBJECT(recorder)),
			      object_path) != 0)
			continue;
		if (!rb_recorder_object_is_virtual(recorder))
			break;
		if (rb_recorder_object_is_writing(recorder)) {
			rb_error_set_default(error, RB_ERROR_WRITE_IN_PROGRESS);
			return FALSE;
		}
		g_dbus_object_manager_server_unexport(self->object_manager, object_path);
		g_ptr_array_remove_index(self->recorders, i);
		return TRUE;
	}
	g_set_error(error,
		    G_DBUS_ERROR,
		    G_DBUS_ERROR_INVALID_ARGS,
		    _("“%s” is not a virtual recorder; see GetRecorders."),
		    object_path);
	return FALSE;
}

RbAuthority *
rb_daemon_get_authority(RbDaemon *self)
{
	g_return_val_if_fail(RB_IS_DAEMON(self), NULL);
	return self->authority;
}

gchar **
rb_daemon_dup_recorder_paths(RbDaemon *self)
{
	g_autoptr(GStrvBuilder) builder = g_strv_builder_new();

	g_return_val_if_fail(RB_IS_DAEMON(self), NULL);
	for (guint i = 0; i < self->recorders->len; i++) {
		GDBusObject *object = g_ptr_array_index(self->recorders, i);
		g_strv_builder_add(builder, g_dbus_object_get_object_path(object));
	}
	return g_strv_builder_end(builder);
}

/* idle: nothing locked or writing, and no virtual recorder, whose disc
 * contents would be lost if the service exited */
gboolean
rb_daemon_is_idle(RbDaemon *self)
{
	g_return_val_if_fail(RB_IS_DAEMON(self), FALSE);
	for (guint i = 0; i < self->recorders->len; i++) {
		RbRecorderObject *recorder = g_ptr_array_index(self->recorders, i);
		if (rb_recorder_object_is_virtual(recorder) || rb_recorder_object_is_busy(recorder))
			return FALSE;
	}
	return TRUE;
}

static RbRecorderObject *
rb_daemon_find_recorder(RbDaemon *self, const gchar *name, guint *index)
{
	for (guint i = 0; i < self->recorders->len; i++) {
		RbRecorderObject *recorder = g_ptr_array_index(self->recorders, i);
		if (!rb_recorder_object_is_virtual(recorder) &&
		    g_strcmp0(rb_recorder_object_get_name(recorder), name) == 0) {
			if (index != NULL)
				*index = i;
			return recorder;
		}
	}
	return NULL;
}

static void
rb_daemon_on_recorder_added(RbUdevProvider *provider, RbDriveInfo *info, gpointer user_data)
{
	RbDaemon *self = RB_DAEMON(user_data);
	g_autoptr(RbRecorderObject) recorder = NULL;
	guint position = 0;

	if (rb_daemon_find_recorder(self, info->kernel_name, NULL) != NULL)
		return;
	recorder = rb_recorder_object_new_real(info, self->authority, self->fifo_size);
	/* kernel devices by name, then virtual recorders in creation order */
	while (position < self->recorders->len) {
		RbRecorderObject *other = g_ptr_array_index(self->recorders, position);
		if (rb_recorder_object_is_virtual(other) ||
		    g_strcmp0(rb_recorder_object_get_name(other), info->kernel_name) > 0)
			break;
		position++;
	}
	g_ptr_array_insert(self->recorders, (gint)position, g_object_ref(recorder));
	g_dbus_object_manager_server_export(self->object_manager, G_DBUS_OBJECT_SKELETON(recorder));
	g_debug("added recorder %s (%s)", info->kernel_name, info->device_node);
}

static void
rb_daemon_on_recorder_changed(RbUdevProvider *provider, RbDriveInfo *info, gpointer user_data)
{
	RbDaemon *self = RB_DAEMON(user_data);
	RbRecorderObject *recorder = rb_daemon_find_recorder(self, info->kernel_name, NULL);

	if (recorder == NULL) {
		rb_daemon_on_recorder_added(provider, info, user_data);
		return;
	}
	rb_recorder_object_apply_info(recorder, info);
}

static void
rb_daemon_on_recorder_removed(RbUdevProvider *provider, const gchar *name, gpointer user_data)
{
	RbDaemon *self = RB_DAEMON(user_data);
	guint index = 0;
	RbRecorderObject *recorder = rb_daemon_find_recorder(self, name, &index);

	if (recorder == NULL)
		return;
	g_debug("recorder %s is gone", name);
	/* a running write fails with DeviceGone and replies before the object goes */
	rb_recorder_object_device_gone(recorder);
	g_dbus_object_manager_server_unexport(
		self->object_manager, g_dbus_object_get_object_path(G_DBUS_OBJECT(recorder)));
	g_ptr_array_remove_index(self->recorders, index);
}

/* every CD recorder udev knows, now and as they come and go */
gboolean
rb_daemon_start_discovery(RbDaemon *self, GError **error)
{
	g_return_val_if_fail(RB_IS_DAEMON(self), FALSE);
	self->provider = rb_udev_provider_new();
	g_signal_connect(
		self->provider, "recorder-added", G_CALLBACK(rb_daemon_on_recorder_added), self);
	g_signal_connect(self->provider,
			 "recorder-changed",
			 G_CALLBACK(rb_daemon_on_recorder_changed),
			 self);
	g_signal_connect(self->provider,
			 "recorder-removed",
			 G_CALLBACK(rb_daemon_on_recorder_removed),
			 self);
	return rb_udev_provider_start(self->provider, error);
}
