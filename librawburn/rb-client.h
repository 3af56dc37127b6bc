/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * RbClient: a connection to rawburnd, its objects, its recorders and its
 * jobs.
 */
#pragma once

#include <gio/gio.h>

#include "rb-generated.h"

G_BEGIN_DECLS

#define RB_TYPE_CLIENT (rb_client_get_type())
G_DECLARE_FINAL_TYPE(RbClient, rb_client, RB, CLIENT, GObject)

void rb_client_new(GBusType bus_type,
		   GCancellable *cancellable,
		   GAsyncReadyCallback callback,
		   gpointer user_data);
RbClient *rb_client_new_finish(GAsyncResult *res, GError **error);
RbClient *rb_client_new_sync(GBusType bus_type, GCancellable *cancellable, GError **error);
void rb_client_new_for_connection(GDBusConnection *connection,
				  GCancellable *cancellable,
				  GAsyncReadyCallback callback,
				  gpointer user_data);
RbClient *rb_client_new_for_connection_sync(GDBusConnection *connection,
					    GCancellable *cancellable,
					    GError **error);

GDBusConnection *rb_client_get_connection(RbClient *client);
GDBusObjectManager *rb_client_get_object_manager(RbClient *client);
gchar *rb_client_get_name_owner(RbClient *client);
RbManager *rb_client_get_manager(RbClient *client);
GList *rb_client_get_recorders(RbClient *client);
RbObject *rb_client_lookup_recorder(RbClient *client, const gchar *name);
gchar *rb_client_get_recorder_name(const gchar *object_path);
GList *rb_client_get_jobs(RbClient *client);
GList *rb_client_get_jobs_for_object(RbClient *client, RbObject *object);
void rb_client_wait_for_job(RbClient *client,
			    RbObject *job,
			    GCancellable *cancellable,
			    GAsyncReadyCallback callback,
			    gpointer user_data);
gboolean rb_client_wait_for_job_finish(RbClient *client, GAsyncResult *res, GError **error);

GError *rb_client_error_from_job_message(const gchar *message);

G_END_DECLS
