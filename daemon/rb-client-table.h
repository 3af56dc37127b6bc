/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "rb-write-job.h"

G_BEGIN_DECLS

/* what each IMAPI client keeps in its own format object */
typedef struct {
	gchar *sender;
	gchar *client_name; /* NULL until set */
	guint32 requested_sector_type;
	gboolean buffer_underrun_free_disabled;
	gint32 requested_write_speed; /* sectors/s, -1 fastest */
	gboolean requested_pure_cav;
	RbPreflight preflight;
	gboolean test_write; /* TestWrite */
	gboolean full_erase; /* DiscFormat2Erase.FullErase */
	guint watch_id;
} RbClientState;

typedef void (*RbClientVanishedFunc)(const gchar *sender, gpointer user_data);

#define RB_TYPE_CLIENT_TABLE (rb_client_table_get_type())
G_DECLARE_FINAL_TYPE(RbClientTable, rb_client_table, RB, CLIENT_TABLE, GObject)

RbClientTable *
rb_client_table_new(GDBusConnection *connection, RbClientVanishedFunc vanished, gpointer user_data);
RbClientState *rb_client_table_lookup(RbClientTable *self, const gchar *sender);
RbClientState *rb_client_table_ensure(RbClientTable *self, const gchar *sender);
guint rb_client_table_get_size(RbClientTable *self);

gboolean rb_client_name_is_valid(const gchar *name);
gchar *rb_client_name_for_pid(guint32 pid);

G_END_DECLS
