/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * RbClient holds one object manager client for rawburnd on a bus, so that
 * an application sees the recorders and jobs as they come and go without
 * asking again. Initialization is GInitable and GAsyncInitable: the bus
 * connection and the first GetManagedObjects are blocking calls that a
 * graphical application must not make on its main loop.
 */
#include "config.h"

#include "rb-client-private.h"
#include "rb-client.h"
#include "rb-error.h"

struct _RbClient {
	GObject parent_instance;
	GBusType bus_type;
	GDBusConnection *connection;
	GDBusObjectManager *object_manager;
};

enum { PROP_0, PROP_BUS_TYPE, PROP_CONNECTION, PROP_OBJECT_MANAGER, N_PROPS };

static GParamSpec *rb_client_props[N_PROPS];

static void rb_client_initable_iface_init(GInitableIface *iface);
static void rb_client_async_initable_iface_init(GAsyncInitableIface *iface);

G_DEFINE_TYPE_WITH_CODE(RbClient,
			rb_client,
			G_TYPE_OBJECT,
			G_IMPLEMENT_INTERFACE(G_TYPE_INITABLE, rb_client_initable_iface_init)
				G_IMPLEMENT_INTERFACE(G_TYPE_ASYNC_INITABLE,
						      rb_client_async_initable_iface_init))

static void
rb_client_finalize(GObject *object)
{
	RbClient *self = RB_CLIENT(object);

	g_clear_object(&self->object_manager);
	g_clear_object(&self->connection);
	G_OBJECT_CLASS(rb_client_parent_class)->finalize(object);
}

static void
rb_client_get_property(GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
	RbClient *self = RB_CLIENT(object);

	switch (prop_id) {
	case PROP_BUS_TYPE:
		g_value_set_enum(value, self->bus_type);
		break;
	case PROP_CONNECTION:
		g_value_set_object(value, self->connection);
		break;
	case PROP_OBJECT_MANAGER:
		g_value_set_object(value, self->object_manager);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

static void
rb_client_set_property(GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
	RbClient *self = RB_CLIENT(object);

	switch (prop_id) {
	case PROP_BUS_TYPE:
		self->bus_type = g_value_get_enum(value);
		break;
	case PROP_CONNECTION:
		self->connection = g_value_dup_object(value);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

static void
rb_client_class_init(RbClientClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->finalize = rb_client_finalize;
	object_class->get_property = rb_client_get_property;
	object_class->set_property = rb_client_set_property;

	/**
	 * RbClient:bus-type:
	 *
	 * The bus to connect to when #RbClient:connection is not set.
	 */
	rb_client_props[PROP_BUS_TYPE] = g_param_spec_enum(
		"bus-type",
		NULL,
		NULL,
		G_TYPE_BUS_TYPE,
		G_BUS_TYPE_SYSTEM,
		G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
	/**
	 * RbClient:connection:
	 *
	 * The bus connection rawburnd is reached on.
	 */
	rb_client_props[PROP_CONNECTION] = g_param_spec_object(
		"connection",
		NULL,
		NULL,
		G_TYPE_DBUS_CONNECTION,
		G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
	/**
	 * RbClient:object-manager:
	 *
	 * The object manager client for rawburnd's objects.
	 */
	rb_client_props[PROP_OBJECT_MANAGER] =
		g_param_spec_object("object-manager",
				    NULL,
				    NULL,
				    G_TYPE_DBUS_OBJECT_MANAGER,
				    G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	g_object_class_install_properties(object_class, N_PROPS, rb_client_props);

	/* remote errors arrive as RB_ERROR codes from the first client on */
	(void)rb_error_quark();
}

static void
rb_client_init(RbClient *self)
{
	self->bus_type = G_BUS_TYPE_SYSTEM;
}

static gboolean
rb_client_initable_init(GInitable *initable, GCancellable *cancellable, GError **error)
{
	RbClient *self = RB_CLIENT(initable);

	if (self->object_manager != NULL)
		return TRUE;
	if (self->connection == NULL) {
		self->connection = g_bus_get_sync(self->bus_type, cancellable, error);
		if (self->connection == NULL)
			return FALSE;
	}
	self->object_manager =
		rb_object_manager_client_new_sync(self->connection,
						  G_DBUS_OBJECT_MANAGER_CLIENT_FLAGS_NONE,
						  RB_DBUS_NAME,
						  RB_DBUS_ROOT_PATH,
						  cancellable,
						  error);
	return self->object_manager != NULL;
}

static void
rb_client_initable_iface_init(GInitableIface *iface)
{
	iface->init = rb_client_initable_init;
}

static void
rb_client_init_manager_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	RbClient *self = g_task_get_source_object(task);
	GError *error = NULL;

	self->object_manager = rb_object_manager_client_new_finish(res, &error);
	if (self->object_manager == NULL) {
		g_task_return_error(task, error);
		return;
	}
	g_task_return_boolean(task, TRUE);
}

static void
rb_client_init_manager(GTask *task)
{
	RbClient *self = g_task_get_source_object(task);

	rb_object_manager_client_new(self->connection,
				     G_DBUS_OBJECT_MANAGER_CLIENT_FLAGS_NONE,
				     RB_DBUS_NAME,
				     RB_DBUS_ROOT_PATH,
				     g_task_get_cancellable(task),
				     rb_client_init_manager_cb,
				     task);
}

static void
rb_client_init_bus_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	RbClient *self = g_task_get_source_object(task);
	GError *error = NULL;

	self->connection = g_bus_get_finish(res, &error);
	if (self->connection == NULL) {
		g_task_return_error(task, error);
		return;
	}
	rb_client_init_manager(g_steal_pointer(&task));
}

static void
rb_client_init_async(GAsyncInitable *initable,
		     int io_priority,
		     GCancellable *cancellable,
		     GAsyncReadyCallback callback,
		     gpointer user_data)
{
	RbClient *self = RB_CLIENT(initable);
	GTask *task = g_task_new(self, cancellable, callback, user_data);

	g_task_set_source_tag(task, rb_client_init_async);
	if (self->object_manager != NULL) {
		g_task_return_boolean(task, TRUE);
		g_object_unref(task);
		return;
	}
	if (self->connection == NULL) {
		g_bus_get(self->bus_type, cancellable, rb_client_init_bus_cb, task);
		return;
	}
	rb_client_init_manager(task);
}

static gboolean
rb_client_init_finish(GAsyncInitable *initable, GAsyncResult *res, GError **error)
{
	return g_task_propagate_boolean(G_TASK(res), error);
}

static void
rb_client_async_initable_iface_init(GAsyncInitableIface *iface)
{
	iface->init_async = rb_client_init_async;
	iface->init_finish = rb_client_init_finish;
}

/**
 * rb_client_new:
 * @bus_type: the bus rawburnd is on: %G_BUS_TYPE_SYSTEM, or
 *   %G_BUS_TYPE_SESSION for `rawburnd --session`
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the client is ready
 * @user_data: (closure): data for @callback
 *
 * Connects to rawburnd on @bus_type without blocking; finish with
 * rb_client_new_finish(). The client is created even when the service is
 * not running: rb_client_get_name_owner() tells.
 */
void
rb_client_new(GBusType bus_type,
	      GCancellable *cancellable,
	      GAsyncReadyCallback callback,
	      gpointer user_data)
{
	g_async_initable_new_async(RB_TYPE_CLIENT,
				   G_PRIORITY_DEFAULT,
				   cancellable,
				   callback,
				   user_data,
				   "bus-type",
				   bus_type,
				   NULL);
}

static RbClient *
rb_client_new_finish_object(GAsyncResult *res, GError **error)
{
	g_autoptr(GObject) source = g_async_result_get_source_object(res);
	GObject *object = g_async_initable_new_finish(G_ASYNC_INITABLE(source), res, error);

	return object != NULL ? RB_CLIENT(object) : NULL;
}

/**
 * rb_client_new_finish:
 * @res: the #GAsyncResult given to the callback of rb_client_new()
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the client, or %NULL with @error set when the
 *   bus cannot be reached
 */
RbClient *
rb_client_new_finish(GAsyncResult *res, GError **error)
{
	return rb_client_new_finish_object(res, error);
}

/**
 * rb_client_new_sync:
 * @bus_type: the bus rawburnd is on
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Connects to rawburnd on @bus_type, blocking; for command line programs.
 *
 * Returns: (transfer full): the client, or %NULL with @error set when the
 *   bus cannot be reached
 */
RbClient *
rb_client_new_sync(GBusType bus_type, GCancellable *cancellable, GError **error)
{
	return g_initable_new(RB_TYPE_CLIENT, cancellable, error, "bus-type", bus_type, NULL);
}

/**
 * rb_client_new_for_connection:
 * @connection: a connection to the bus rawburnd is on
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the client is ready
 * @user_data: (closure): data for @callback
 *
 * Like rb_client_new() on a connection of the caller's, e.g. a private
 * bus; finish with rb_client_new_finish().
 */
void
rb_client_new_for_connection(GDBusConnection *connection,
			     GCancellable *cancellable,
			     GAsyncReadyCallback callback,
			     gpointer user_data)
{
	g_return_if_fail(G_IS_DBUS_CONNECTION(connection));
	g_async_initable_new_async(RB_TYPE_CLIENT,
				   G_PRIORITY_DEFAULT,
				   cancellable,
				   callback,
				   user_data,
				   "connection",
				   connection,
				   NULL);
}

/**
 * rb_client_new_for_connection_sync:
 * @connection: a connection to the bus rawburnd is on
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Like rb_client_new_sync() on a connection of the caller's.
 *
 * Returns: (transfer full): the client, or %NULL with @error set
 */
RbClient *
rb_client_new_for_connection_sync(GDBusConnection *connection,
				  GCancellable *cancellable,
				  GError **error)
{
	g_return_val_if_fail(G_IS_DBUS_CONNECTION(connection), NULL);
	return g_initable_new(RB_TYPE_CLIENT, cancellable, error, "connection", connection, NULL);
}

/**
 * rb_client_get_connection:
 * @client: an #RbClient
 *
 * Returns: (transfer none): the bus connection
 */
GDBusConnection *
rb_client_get_connection(RbClient *client)
{
	g_return_val_if_fail(RB_IS_CLIENT(client), NULL);
	return client->connection;
}

/**
 * rb_client_get_object_manager:
 * @client: an #RbClient
 *
 * Its objects are #RbObject instances with the generated proxies.
 *
 * Returns: (transfer none): the object manager client for rawburnd
 */
GDBusObjectManager *
rb_client_get_object_manager(RbClient *client)
{
	g_return_val_if_fail(RB_IS_CLIENT(client), NULL);
	return client->object_manager;
}

/**
 * rb_client_get_name_owner:
 * @client: an #RbClient
 *
 * Returns: (transfer full) (nullable): the unique bus name of the running
 *   rawburnd, or %NULL when the service is not running
 */
gchar *
rb_client_get_name_owner(RbClient *client)
{
	g_return_val_if_fail(RB_IS_CLIENT(client), NULL);
	return g_dbus_object_manager_client_get_name_owner(
		G_DBUS_OBJECT_MANAGER_CLIENT(client->object_manager));
}

/**
 * rb_client_get_manager:
 * @client: an #RbClient
 *
 * Returns: (transfer none) (nullable): the proxy of
 *   org.rawburn.RawBurn1.Manager, or %NULL when the service is not running
 */
RbManager *
rb_client_get_manager(RbClient *client)
{
	g_autoptr(GDBusObject) object = NULL;

	g_return_val_if_fail(RB_IS_CLIENT(client), NULL);
	object = g_dbus_object_manager_get_object(client->object_manager, RB_DBUS_MANAGER_PATH);
	if (object == NULL)
		return NULL;
	/* the object manager keeps the object and its proxies */
	return rb_object_peek_manager(RB_OBJECT(object));
}

static gint
rb_client_compare_paths(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(g_dbus_object_get_object_path(G_DBUS_OBJECT(a)),
			 g_dbus_object_get_object_path(G_DBUS_OBJECT(b)));
}

/* @client's objects that pass @filter, sorted by path */
GList *
rb_client_get_objects(RbClient *client, RbClientFilter filter, gconstpointer data)
{
	GList *objects = g_dbus_object_manager_get_objects(client->object_manager);
	GList *kept = NULL;

	for (GList *l = objects; l != NULL; l = l->next) {
		if (filter(RB_OBJECT(l->data), data))
			kept = g_list_prepend(kept, g_object_ref(l->data));
	}
	g_list_free_full(objects, g_object_unref);
	return g_list_sort(kept, rb_client_compare_paths);
}

static gboolean
rb_client_is_recorder(RbObject *object, gconstpointer data)
{
	return rb_object_peek_recorder(object) != NULL;
}

/**
 * rb_client_get_recorders:
 * @client: an #RbClient
 *
 * Returns: (transfer full) (element-type RbObject): the recorder objects,
 *   sorted by object path; free with g_list_free_full() and
 *   g_object_unref()
 */
GList *
rb_client_get_recorders(RbClient *client)
{
	g_return_val_if_fail(RB_IS_CLIENT(client), NULL);
	return rb_client_get_objects(client, rb_client_is_recorder, NULL);
}

/**
 * rb_client_get_recorder_name:
 * @object_path: a recorder's object path
 *
 * The short name rawburnctl shows for a recorder: the last element of its
 * object path, unescaped (sr0, virtual0).
 *
 * Returns: (transfer full): the name
 */
gchar *
rb_client_get_recorder_name(const gchar *object_path)
{
	const gchar *last = NULL;
	g_autofree guint8 *bytes = NULL;

	g_return_val_if_fail(object_path != NULL, NULL);
	last = strrchr(object_path, '/');
	last = last != NULL ? last + 1 : object_path;
	bytes = g_dbus_unescape_object_path(last);
	/* an unescaped name that isn't text is shown as escaped */
	if (bytes == NULL || !g_utf8_validate((const gchar *)bytes, -1, NULL))
		return g_strdup(last);
	return (gchar *)g_steal_pointer(&bytes);
}

static gboolean
rb_client_recorder_has_name(RbObject *object, gconstpointer data)
{
	const gchar *wanted = data;
	const gchar *path = g_dbus_object_get_object_path(G_DBUS_OBJECT(object));
	RbRecorder *recorder = rb_object_peek_recorder(object);
	g_autofree gchar *name = NULL;

	if (recorder == NULL)
		return FALSE;
	name = rb_client_get_recorder_name(path);
	return g_strcmp0(wanted, path) == 0 || g_strcmp0(wanted, name) == 0 ||
	       g_strcmp0(wanted, rb_recorder_get_device_node(recorder)) == 0;
}

/**
 * rb_client_lookup_recorder:
 * @client: an #RbClient
 * @name: the recorder's object path, its short name as rawburnctl shows
 *   it (sr0, virtual0, see rb_client_get_recorder_name()) or its device
 *   node (/dev/sr0)
 *
 * Returns: (transfer full) (nullable): the recorder object, or %NULL when
 *   there is no such recorder
 */
RbObject *
rb_client_lookup_recorder(RbClient *client, const gchar *name)
{
	GList *found = NULL;
	RbObject *object = NULL;

	g_return_val_if_fail(RB_IS_CLIENT(client), NULL);
	g_return_val_if_fail(name != NULL, NULL);
	if (name[0] == '\0')
		return NULL;
	found = rb_client_get_objects(client, rb_client_recorder_has_name, name);
	if (found != NULL)
		object = g_object_ref(found->data);
	g_list_free_full(found, g_object_unref);
	return object;
}
