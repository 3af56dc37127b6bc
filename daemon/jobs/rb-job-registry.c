/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Where the jobs live between the work's start and 10 seconds after its end.
 * The registry, not the recorder, owns them: a job outlives a recorder
 * unplugged or removed under it, and the client that started it.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbJob"

#include "rb-job-registry.h"

struct _RbJobRegistry {
	GObject parent_instance;
	GDBusObjectManagerServer *object_manager;
	GDBusConnection *connection;
	GHashTable *entries; /* RbServiceJob -> RbJobEntry, every job not yet unexported */
	guint next_number;
	gboolean stopping;
};

typedef struct {
	RbJobRegistry *registry; /* not owned: it owns the entry */
	RbServiceJob *job;
	RbObjectSkeleton *object; /* NULL until exported */
	gulong completed_id;
	guint remove_id;
} RbJobEntry;

G_DEFINE_TYPE(RbJobRegistry, rb_job_registry, G_TYPE_OBJECT)

static void
rb_job_entry_free(RbJobEntry *entry)
{
	g_clear_handle_id(&entry->remove_id, g_source_remove);
	g_clear_signal_handler(&entry->completed_id, entry->job);
	if (entry->object != NULL) {
		if (entry->registry->object_manager != NULL)
			g_dbus_object_manager_server_unexport(
				entry->registry->object_manager,
				g_dbus_object_get_object_path(G_DBUS_OBJECT(entry->object)));
		g_object_unref(entry->object);
	}
	g_object_unref(entry->job);
	g_free(entry);
}

static gboolean
rb_job_registry_on_keep_over(gpointer user_data)
{
	RbJobEntry *entry = user_data;

	entry->remove_id = 0;
	g_hash_table_remove(entry->registry->entries, entry->job);
	return G_SOURCE_REMOVE;
}

/* after the Completed signal went out: InterfacesRemoved comes later */
static void
rb_job_registry_on_completed(RbJob *job, gboolean success, const gchar *message, gpointer user_data)
{
	RbJobEntry *entry = user_data;

	if (entry->remove_id != 0)
		return;
	if (entry->registry->stopping) {
		entry->remove_id = g_idle_add(rb_job_registry_on_keep_over, entry);
		return;
	}
	entry->remove_id =
		g_timeout_add_seconds(RB_JOB_KEEP_SECONDS, rb_job_registry_on_keep_over, entry);
}

static void
rb_job_registry_export(RbJobRegistry *self, RbJobEntry *entry)
{
	g_autofree gchar *path = g_strdup_printf(RB_JOB_PATH_PREFIX "%u", self->next_number++);

	entry->object = rb_object_skeleton_new(path);
	rb_object_skeleton_set_job(entry->object, RB_JOB(entry->job));
	entry->completed_id = g_signal_connect_after(
		entry->job, "completed", G_CALLBACK(rb_job_registry_on_completed), entry);
	g_dbus_object_manager_server_export(self->object_manager,
					    G_DBUS_OBJECT_SKELETON(entry->object));
	rb_service_job_set_exported(entry->job);
}

typedef struct {
	RbJobRegistry *self;
	RbServiceJob *job;
} RbJobUidCall;

static void
rb_job_registry_got_uid(GObject *source, GAsyncResult *result, gpointer user_data)
{
	RbJobUidCall *call = user_data;
	g_autoptr(RbJobRegistry) self = call->self;
	g_autoptr(RbServiceJob) job = call->job;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply =
		g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), result, &error);
	RbJobEntry *entry;

	g_free(call);
	entry = self->entries != NULL ? g_hash_table_lookup(self->entries, job) : NULL;
	/* the service stopped meanwhile */
	if (entry == NULL || self->object_manager == NULL)
		return;
	if (reply != NULL) {
		guint32 uid = 0;

		g_variant_get(reply, "(u)", &uid);
		rb_job_set_started_by_uid(RB_JOB(job), uid);
	} else {
		/* the starter left already; the job is shown all the same */
		g_debug("the uid of %s is unknown: %s",
			rb_service_job_get_sender(job),
			error->message);
	}
	rb_job_registry_export(self, entry);
}

void
rb_job_registry_add(RbJobRegistry *self, RbServiceJob *job)
{
	RbJobEntry *entry;
	RbJobUidCall *call;

	g_return_if_fail(RB_IS_JOB_REGISTRY(self));
	g_return_if_fail(RB_IS_SERVICE_JOB(job));

	if (self->stopping || self->object_manager == NULL)
		return;
	entry = g_new0(RbJobEntry, 1);
	entry->registry = self;
	entry->job = g_object_ref(job);
	g_hash_table_insert(self->entries, job, entry);
	/* StartedByUID is right from InterfacesAdded on: the job is announced
	 * once the bus told the starter's uid, one round trip later */
	call = g_new0(RbJobUidCall, 1);
	call->self = g_object_ref(self);
	call->job = g_object_ref(job);
	g_dbus_connection_call(self->connection,
			       "org.freedesktop.DBus",
			       "/org/freedesktop/DBus",
			       "org.freedesktop.DBus",
			       "GetConnectionUnixUser",
			       g_variant_new("(s)", rb_service_job_get_sender(job)),
			       G_VARIANT_TYPE("(u)"),
			       G_DBUS_CALL_FLAGS_NONE,
			       -1,
			       NULL,
			       rb_job_registry_got_uid,
			       call);
}

static gboolean
rb_job_registry_is_completed(gpointer key, gpointer value, gpointer user_data)
{
	return rb_service_job_is_completed(RB_SERVICE_JOB(key));
}

void
rb_job_registry_shutdown(RbJobRegistry *self)
{
	g_return_if_fail(RB_IS_JOB_REGISTRY(self));

	self->stopping = TRUE;
	g_hash_table_foreach_remove(self->entries, rb_job_registry_is_completed, NULL);
}

void
rb_job_registry_close(RbJobRegistry *self)
{
	g_return_if_fail(RB_IS_JOB_REGISTRY(self));

	self->stopping = TRUE;
	if (self->entries != NULL)
		g_hash_table_remove_all(self->entries);
	g_clear_object(&self->object_manager);
	g_clear_object(&self->connection);
}

static void
rb_job_registry_dispose(GObject *object)
{
	rb_job_registry_close(RB_JOB_REGISTRY(object));
	G_OBJECT_CLASS(rb_job_registry_parent_class)->dispose(object);
}

static void
rb_job_registry_finalize(GObject *object)
{
	RbJobRegistry *self = RB_JOB_REGISTRY(object);

	g_clear_pointer(&self->entries, g_hash_table_unref);
	G_OBJECT_CLASS(rb_job_registry_parent_class)->finalize(object);
}

static void
rb_job_registry_class_init(RbJobRegistryClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->dispose = rb_job_registry_dispose;
	object_class->finalize = rb_job_registry_finalize;
}

static void
rb_job_registry_init(RbJobRegistry *self)
{
	self->entries = g_hash_table_new_full(NULL, NULL, NULL, (GDestroyNotify)rb_job_entry_free);
}

RbJobRegistry *
rb_job_registry_new(GDBusObjectManagerServer *object_manager, GDBusConnection *connection)
{
	RbJobRegistry *self = g_object_new(RB_TYPE_JOB_REGISTRY, NULL);

	g_return_val_if_fail(G_IS_DBUS_OBJECT_MANAGER_SERVER(object_manager), NULL);
	g_return_val_if_fail(G_IS_DBUS_CONNECTION(connection), NULL);

	self->object_manager = g_object_ref(object_manager);
	self->connection = g_object_ref(connection);
	return self;
}
