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
#include "rb-dbus-util.h"
#include "rb-error.h"
#include "rb-fd-limit.h"
#include "rb-image-creator.h"
#include "rb-recorder-object.h"
#include "rb-service-manager.h"
#include "rb-udev-provider.h"

struct _RbDaemon {
	GObject parent_instance;
	GDBusConnection *connection;
	GDBusObjectManagerServer *object_manager;
	RbServiceManager *manager;
	GPtrArray *recorders; /* of RbRecorderObject, in GetRecorders order */
	/* removed or unplugged, with calls still working on them: the service
	 * waits for them too before it exits */
	GPtrArray *retired;
	guint retired_poll_id;
	RbAuthority *authority;
	RbJobRegistry *jobs;
	gsize fifo_size;
	RbUdevProvider *provider;
	guint next_virtual_index;
	/* path -> RbImageCreator, exported on their own (not through the
	 * ObjectManager): each is its owner's alone */
	GHashTable *image_creators;
	guint next_image_creator;
	guint max_virtual_recorders;
	/* stopping: the recorders' work is being wound down */
	gboolean stopping;
	GTask *shutdown_task;
	guint shutdown_poll_id;
	gint64 shutdown_deadline;
};

G_DEFINE_TYPE(RbDaemon, rb_daemon, G_TYPE_OBJECT)

static guint rb_daemon_count_virtual(RbDaemon *self);
static void rb_daemon_close_image_creators(RbDaemon *self);
static void rb_daemon_retire(RbDaemon *self, guint index);

static void
rb_daemon_dispose(GObject *object)
{
	RbDaemon *self = RB_DAEMON(object);

	/* unexport before the objects go, so no call reaches a freed one. This
	 * sends no InterfacesRemoved: clients see the name go instead */
	if (self->provider != NULL) {
		g_signal_handlers_disconnect_by_data(self->provider, self);
		rb_udev_provider_stop(self->provider);
		g_clear_object(&self->provider);
	}
	g_clear_handle_id(&self->shutdown_poll_id, g_source_remove);
	g_clear_handle_id(&self->retired_poll_id, g_source_remove);
	g_clear_object(&self->shutdown_task);
	if (self->object_manager != NULL)
		g_dbus_object_manager_server_set_connection(self->object_manager, NULL);
	g_clear_pointer(&self->recorders, g_ptr_array_unref);
	g_clear_pointer(&self->retired, g_ptr_array_unref);
	rb_daemon_close_image_creators(self);
	g_clear_pointer(&self->image_creators, g_hash_table_unref);
	g_clear_object(&self->manager);
	if (self->jobs != NULL)
		rb_job_registry_close(self->jobs);
	g_clear_object(&self->jobs);
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
	self->retired = g_ptr_array_new_with_free_func(g_object_unref);
	self->image_creators =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_object_unref);
	self->max_virtual_recorders = RB_DAEMON_MAX_VIRTUAL_RECORDERS_DEFAULT;
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
	self->jobs = rb_job_registry_new(self->object_manager, connection);
	return self;
}

gchar *
rb_daemon_add_virtual_recorder(RbDaemon *self, const RbVirtualSpec *spec, GError **error)
{
	g_autofree gchar *name = NULL;
	g_autoptr(RbRecorderObject) recorder = NULL;

	g_return_val_if_fail(RB_IS_DAEMON(self), NULL);
	g_return_val_if_fail(spec != NULL, NULL);

	if (self->stopping) {
		g_set_error_literal(
			error, G_DBUS_ERROR, G_DBUS_ERROR_FAILED, rb_dbus_util_stopping_message());
		return NULL;
	}
	if (rb_daemon_count_virtual(self) >= self->max_virtual_recorders) {
		g_set_error(error,
			    G_DBUS_ERROR,
			    G_DBUS_ERROR_LIMITS_EXCEEDED,
			    _("There are already %u virtual recorders, the most this service "
			      "allows (--max-virtual-recorders); remove one first."),
			    self->max_virtual_recorders);
		return NULL;
	}
	/* the emulated disc's backing file, and room for its burns */
	if (!rb_fd_limit_check(2, error))
		return NULL;
	name = g_strdup_printf("virtual%u", self->next_virtual_index++);
	recorder = rb_recorder_object_new_virtual(name, spec, self->authority, self->fifo_size);
	rb_recorder_object_set_job_registry(recorder, self->jobs);
	g_dbus_object_manager_server_export(self->object_manager, G_DBUS_OBJECT_SKELETON(recorder));
	g_ptr_array_add(self->recorders, g_object_ref(recorder));
	/* the properties follow once the drive has answered, off the main thread */
	rb_recorder_object_refresh(recorder);
	g_debug("added virtual recorder %s (media %s, %ux, realtime %s, test write %s)",
		g_dbus_object_get_object_path(G_DBUS_OBJECT(recorder)),
		rb_virtual_media_to_string(spec->media),
		spec->max_speed,
		spec->realtime ? "yes" : "no",
		spec->test_write ? "yes" : "no");
	return g_strdup(g_dbus_object_get_object_path(G_DBUS_OBJECT(recorder)));
}

/* how often a removed recorder's calls are looked at, until they are done */
#define RB_DAEMON_RETIRED_POLL_MS 50

/* removed recorders whose calls are done are let go */
static gboolean
rb_daemon_prune_retired(gpointer user_data)
{
	RbDaemon *self = RB_DAEMON(user_data);

	for (guint i = self->retired->len; i > 0; i--) {
		if (!rb_recorder_object_is_busy(g_ptr_array_index(self->retired, i - 1)))
			g_ptr_array_remove_index(self->retired, i - 1);
	}
	if (self->retired->len > 0)
		return G_SOURCE_CONTINUE;
	self->retired_poll_id = 0;
	return G_SOURCE_REMOVE;
}

/* off the bus: kept only while calls still work on it */
static void
rb_daemon_retire(RbDaemon *self, guint index)
{
	RbRecorderObject *recorder = g_ptr_array_steal_index(self->recorders, index);

	if (!rb_recorder_object_is_busy(recorder)) {
		g_object_unref(recorder);
		return;
	}
	g_ptr_array_add(self->retired, recorder);
	if (self->retired_poll_id == 0)
		self->retired_poll_id =
			g_timeout_add(RB_DAEMON_RETIRED_POLL_MS, rb_daemon_prune_retired, self);
}

static guint
rb_daemon_count_virtual(RbDaemon *self)
{
	guint n = 0;

	for (guint i = 0; i < self->recorders->len; i++) {
		if (rb_recorder_object_is_virtual(g_ptr_array_index(self->recorders, i)))
			n++;
	}
	return n;
}

void
rb_daemon_set_max_virtual_recorders(RbDaemon *self, guint max)
{
	g_return_if_fail(RB_IS_DAEMON(self));
	self->max_virtual_recorders = max;
}

/*
 * Only emulated recorders go this way, never while they write, and never
 * under a client holding the lock (its burn is its own). Calls still pending
 * on the recorder keep the object alive and fail with DeviceGone, or finish
 * what their worker thread already does; nothing is freed under them.
 */
gboolean
rb_daemon_remove_virtual_recorder(RbDaemon *self, const gchar *object_path, GError **error)
{
	for (guint i = 0; i < self->recorders->len; i++) {
		RbRecorderObject *recorder = g_ptr_array_index(self->recorders, i);
		const gchar *owner;

		if (g_strcmp0(g_dbus_object_get_object_path(G_DBUS_OBJECT(recorder)),
			      object_path) != 0)
			continue;
		if (!rb_recorder_object_is_virtual(recorder))
			break;
		if (rb_recorder_object_is_writing(recorder)) {
			rb_error_set_default(error, RB_ERROR_WRITE_IN_PROGRESS);
			return FALSE;
		}
		owner = rb_recorder_object_get_lock_owner(recorder);
		if (owner != NULL) {
			g_propagate_error(error, rb_dbus_util_new_locked_error(owner));
			return FALSE;
		}
		rb_recorder_object_device_gone(recorder);
		g_dbus_object_manager_server_unexport(self->object_manager, object_path);
		rb_daemon_retire(self, i);
		return TRUE;
	}
	g_set_error(error,
		    G_DBUS_ERROR,
		    G_DBUS_ERROR_INVALID_ARGS,
		    _("“%s” is not a virtual recorder; see GetRecorders."),
		    object_path);
	return FALSE;
}

/* --- image creators -------------------------------------------------------------------- */

static void
rb_daemon_on_image_creator_closed(RbImageCreator *creator, gpointer user_data)
{
	RbDaemon *self = RB_DAEMON(user_data);

	if (self->image_creators != NULL)
		g_hash_table_remove(self->image_creators, rb_image_creator_get_path(creator));
}

/* a new creator owned by @sender, at most RB_IMAGE_CREATOR_MAX_PER_CONNECTION each */
gchar *
rb_daemon_create_image_creator(RbDaemon *self, const gchar *sender, GError **error)
{
	g_autofree gchar *path = NULL;
	RbImageCreator *creator;
	GHashTableIter iter;
	gpointer value;
	guint n = 0;

	g_return_val_if_fail(RB_IS_DAEMON(self), NULL);
	if (self->stopping) {
		g_set_error_literal(
			error, G_DBUS_ERROR, G_DBUS_ERROR_FAILED, rb_dbus_util_stopping_message());
		return NULL;
	}
	g_hash_table_iter_init(&iter, self->image_creators);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		if (g_strcmp0(rb_image_creator_get_owner(value), sender) == 0)
			n++;
	}
	if (n >= RB_IMAGE_CREATOR_MAX_PER_CONNECTION) {
		g_set_error(error,
			    G_DBUS_ERROR,
			    G_DBUS_ERROR_LIMITS_EXCEEDED,
			    _("This connection already has %u image creators, the most allowed "
			      "(image creators per connection); close one first."),
			    (guint)RB_IMAGE_CREATOR_MAX_PER_CONNECTION);
		return NULL;
	}
	path = g_strdup_printf("%s/%u", RB_DBUS_IMAGE_CREATORS_PATH, self->next_image_creator++);
	creator = rb_image_creator_new(self->connection,
				       path,
				       sender,
				       self->authority,
				       rb_daemon_on_image_creator_closed,
				       self,
				       error);
	if (creator == NULL)
		return NULL;
	g_hash_table_insert(self->image_creators, g_strdup(path), creator);
	g_debug("added image creator %s for %s", path, sender);
	return g_steal_pointer(&path);
}

/* each cancels its producer thread, which ends by itself at its next wait */
static void
rb_daemon_close_image_creators(RbDaemon *self)
{
	g_autoptr(GPtrArray) creators = g_ptr_array_new_with_free_func(g_object_unref);
	GHashTableIter iter;
	gpointer value;

	if (self->image_creators == NULL)
		return;
	g_hash_table_iter_init(&iter, self->image_creators);
	while (g_hash_table_iter_next(&iter, NULL, &value))
		g_ptr_array_add(creators, g_object_ref(value));
	for (guint i = 0; i < creators->len; i++)
		rb_image_creator_close(g_ptr_array_index(creators, i));
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
	/* a client's image would be lost too */
	if (g_hash_table_size(self->image_creators) > 0)
		return FALSE;
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
	rb_recorder_object_set_job_registry(recorder, self->jobs);
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
	rb_daemon_retire(self, index);
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

/* --- stopping: the drives first, then the process ------------------------------------ */

/* a burn's drive must hear SYNCHRONIZE CACHE and ALLOW before we go: a
 * recorder left prevented, or mid-recording, would need a power cycle */
#define RB_DAEMON_SHUTDOWN_POLL_MS 20
#define RB_DAEMON_SHUTDOWN_TIMEOUT_S 60

static gboolean
rb_daemon_all_idle(RbDaemon *self)
{
	for (guint i = 0; i < self->recorders->len; i++) {
		if (rb_recorder_object_is_busy(g_ptr_array_index(self->recorders, i)))
			return FALSE;
	}
	for (guint i = 0; i < self->retired->len; i++) {
		if (rb_recorder_object_is_busy(g_ptr_array_index(self->retired, i)))
			return FALSE;
	}
	return TRUE;
}

static gboolean
rb_daemon_shutdown_poll(gpointer user_data)
{
	RbDaemon *self = RB_DAEMON(user_data);
	g_autoptr(GTask) task = NULL;

	if (!rb_daemon_all_idle(self)) {
		if (g_get_monotonic_time() < self->shutdown_deadline)
			return G_SOURCE_CONTINUE;
		g_warning("stopping although recorders are still busy");
	}
	self->shutdown_poll_id = 0;
	task = g_steal_pointer(&self->shutdown_task);
	g_task_return_boolean(task, TRUE);
	return G_SOURCE_REMOVE;
}

/*
 * Winds the service down for a SIGTERM, a replacement or a lost bus: every
 * running write is cancelled (its caller gets RequestCancelled, the drive
 * SYNCHRONIZE CACHE), every lock released (ALLOW MEDIUM REMOVAL), pending
 * authorizations cancelled; completes once every recorder is idle.
 */
void
rb_daemon_shutdown_async(RbDaemon *self, GAsyncReadyCallback callback, gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(self, NULL, callback, user_data);

	g_return_if_fail(RB_IS_DAEMON(self));
	if (self->stopping) {
		g_task_return_new_error(
			task, G_IO_ERROR, G_IO_ERROR_PENDING, "the service is already stopping");
		return;
	}
	self->stopping = TRUE;
	g_debug("stopping: winding down %u recorders", self->recorders->len);
	rb_authority_cancel_all(self->authority);
	rb_job_registry_shutdown(self->jobs);
	/* their producer threads are cancelled: a burn reading one
	 * sees its stream end, and is cancelled below anyway */
	rb_daemon_close_image_creators(self);
	for (guint i = 0; i < self->recorders->len; i++)
		rb_recorder_object_shutdown(g_ptr_array_index(self->recorders, i));
	self->shutdown_task = g_steal_pointer(&task);
	self->shutdown_deadline =
		g_get_monotonic_time() + RB_DAEMON_SHUTDOWN_TIMEOUT_S * G_USEC_PER_SEC;
	self->shutdown_poll_id =
		g_timeout_add(RB_DAEMON_SHUTDOWN_POLL_MS, rb_daemon_shutdown_poll, self);
}

/* a second signal: the recorders are not waited for any longer, but the
 * shutdown still completes through its task, so the daemon is disposed and
 * its objects leave the bus */
void
rb_daemon_shutdown_now(RbDaemon *self)
{
	g_return_if_fail(RB_IS_DAEMON(self));
	self->shutdown_deadline = 0;
}

gboolean
rb_daemon_shutdown_finish(RbDaemon *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, self), FALSE);
	return g_task_propagate_boolean(G_TASK(result), error);
}
