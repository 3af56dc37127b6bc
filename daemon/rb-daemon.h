/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "rb-authority.h"
#include "rb-virtual-spec.h"

G_BEGIN_DECLS

#define RB_TYPE_DAEMON (rb_daemon_get_type())
G_DECLARE_FINAL_TYPE(RbDaemon, rb_daemon, RB, DAEMON, GObject)

#define RB_DAEMON_MAX_VIRTUAL_RECORDERS_DEFAULT 32

RbDaemon *rb_daemon_new(GDBusConnection *connection, gboolean system_bus, gsize fifo_size);
gchar *rb_daemon_add_virtual_recorder(RbDaemon *self, const RbVirtualSpec *spec, GError **error);
gboolean
rb_daemon_remove_virtual_recorder(RbDaemon *self, const gchar *object_path, GError **error);
gchar *rb_daemon_create_image_creator(RbDaemon *self, const gchar *sender, GError **error);
RbAuthority *rb_daemon_get_authority(RbDaemon *self);
gboolean rb_daemon_start_discovery(RbDaemon *self, GError **error);
gchar **rb_daemon_dup_recorder_paths(RbDaemon *self);
gboolean rb_daemon_is_idle(RbDaemon *self);
void rb_daemon_set_max_virtual_recorders(RbDaemon *self, guint max);
void rb_daemon_shutdown_async(RbDaemon *self, GAsyncReadyCallback callback, gpointer user_data);
void rb_daemon_shutdown_now(RbDaemon *self);
gboolean rb_daemon_shutdown_finish(RbDaemon *self, GAsyncResult *result, GError **error);

G_END_DECLS
