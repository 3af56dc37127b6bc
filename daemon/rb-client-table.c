/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Per-connection state of the DiscFormat2RawCD interface: each D-Bus
 * connection is one IMAPI client with its own ClientName, sector type and
 * speed request. A connection's state is dropped when it leaves the bus, and
 * the owner is told so that a lock it held dies with it.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbClientTable"

#include <string.h>

#include "rb-client-table.h"

/* IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_COOKED */
#define RB_CLIENT_SECTOR_TYPE_DEFAULT 2
#define RB_CLIENT_NAME_MAX 63

struct _RbClientTable {
	GObject parent_instance;
	GDBusConnection *connection;
	GHashTable *clients; /* sender -> RbClientState */
	RbClientVanishedFunc vanished;
	gpointer vanished_data;
};

G_DEFINE_TYPE(RbClientTable, rb_client_table, G_TYPE_OBJECT)

static void
rb_client_state_free(RbClientState *state)
{
	if (state->watch_id != 0)
		g_bus_unwatch_name(state->watch_id);
	g_free(state->sender);
	g_free(state->client_name);
	g_free(state);
}

static void
rb_client_table_dispose(GObject *object)
{
	RbClientTable *self = RB_CLIENT_TABLE(object);

	g_clear_pointer(&self->clients, g_hash_table_unref);
	g_clear_object(&self->connection);
	G_OBJECT_CLASS(rb_client_table_parent_class)->dispose(object);
}

static void
rb_client_table_class_init(RbClientTableClass *klass)
{
	G_OBJECT_CLASS(klass)->dispose = rb_client_table_dispose;
}

static void
rb_client_table_init(RbClientTable *self)
{
	self->clients = g_hash_table_new_full(
		g_str_hash, g_str_equal, NULL, (GDestroyNotify)rb_client_state_free);
}

RbClientTable *
rb_client_table_new(GDBusConnection *connection, RbClientVanishedFunc vanished, gpointer user_data)
{
	RbClientTable *self = g_object_new(RB_TYPE_CLIENT_TABLE, NULL);

	self->connection = g_object_ref(connection);
	self->vanished = vanished;
	self->vanished_data = user_data;
	return self;
}

static void
rb_client_table_on_vanished(GDBusConnection *connection, const gchar *name, gpointer user_data)
{
	RbClientTable *self = RB_CLIENT_TABLE(user_data);
	g_autofree gchar *sender = g_strdup(name);

	if (!g_hash_table_contains(self->clients, sender))
		return;
	g_debug("client %s left the bus", sender);
	/* the owner first, while the state still exists to be consulted */
	if (self->vanished != NULL)
		self->vanished(sender, self->vanished_data);
	g_hash_table_remove(self->clients, sender);
}

RbClientState *
rb_client_table_lookup(RbClientTable *self, const gchar *sender)
{
	g_return_val_if_fail(RB_IS_CLIENT_TABLE(self), NULL);
	return sender != NULL ? g_hash_table_lookup(self->clients, sender) : NULL;
}

RbClientState *
rb_client_table_ensure(RbClientTable *self, const gchar *sender)
{
	RbClientState *state;

	g_return_val_if_fail(RB_IS_CLIENT_TABLE(self), NULL);
	g_return_val_if_fail(sender != NULL, NULL);

	state = g_hash_table_lookup(self->clients, sender);
	if (state != NULL)
		return state;
	state = g_new0(RbClientState, 1);
	state->sender = g_strdup(sender);
	state->requested_sector_type = RB_CLIENT_SECTOR_TYPE_DEFAULT;
	state->requested_write_speed = -1;
	g_hash_table_insert(self->clients, state->sender, state);
	/* unique names never come back: vanishing is final */
	state->watch_id = g_bus_watch_name_on_connection(self->connection,
							 sender,
							 G_BUS_NAME_WATCHER_FLAGS_NONE,
							 NULL,
							 rb_client_table_on_vanished,
							 self,
							 NULL);
	return state;
}

guint
rb_client_table_get_size(RbClientTable *self)
{
	g_return_val_if_fail(RB_IS_CLIENT_TABLE(self), 0);
	return g_hash_table_size(self->clients);
}

/* IMAPI's rule, as IOCTL_CDROM_EXCLUSIVE_ACCESS takes names */
gboolean
rb_client_name_is_valid(const gchar *name)
{
	gsize len;

	if (name == NULL)
		return FALSE;
	len = strlen(name);
	if (len < 1 || len > RB_CLIENT_NAME_MAX)
		return FALSE;
	for (gsize i = 0; i < len; i++) {
		if (!g_ascii_isalnum(name[i]) && strchr(" .,:;-_", name[i]) == NULL)
			return FALSE;
	}
	return TRUE;
}

/*
 * IMAPI's default ClientName: the name of the process with @pid (its
 * /proc/PID/comm, which procfs answers from memory, never waiting on a
 * device), with every character a ClientName may not hold made '_'.
 * NULL when the process is gone or its name is still not valid.
 */
gchar *
rb_client_name_for_pid(guint32 pid)
{
	g_autofree gchar *path = NULL;
	g_autofree gchar *comm = NULL;

	if (pid == 0)
		return NULL;
	path = g_strdup_printf("/proc/%u/comm", pid);
	if (!g_file_get_contents(path, &comm, NULL, NULL))
		return NULL;
	g_strstrip(comm);
	for (gchar *p = comm; *p != '\0'; p++) {
		if (!g_ascii_isalnum(*p) && strchr(" .,:;-_", *p) == NULL)
			*p = '_';
	}
	if (!rb_client_name_is_valid(comm))
		return NULL;
	return g_steal_pointer(&comm);
}
