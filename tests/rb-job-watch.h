/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What one client sees of the service's jobs: the first job announced
 * (InterfacesAdded), its progress (PropertiesChanged), its Completed and
 * its removal (InterfacesRemoved), for the job tests.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define RB_JOB_IFACE "org.rawburn.RawBurn1.Job"

/* what one client saw of the jobs */
typedef struct {
	GDBusConnection *connection;
	guint added_id;
	guint removed_id;
	guint changed_id;
	guint completed_id;
	gchar *path;      /* the first job announced */
	GVariant *added;  /* its Job properties in InterfacesAdded */
	gchar *operation; /* of that job */
	guint progress_changes;
	gdouble first_progress;
	gdouble last_progress;
	guint64 max_rate;
	guint64 bytes;
	guint64 expected_end;
	gboolean completed;
	gboolean success;
	gchar *message;
	gboolean removed;
} RbJobWatch;

RbJobWatch *rb_watch_new(GDBusConnection *connection);
void rb_watch_free(RbJobWatch *watch);
/* until a job was announced, failing after half the test's time */
void rb_watch_wait_for_job(RbJobWatch *watch);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RbJobWatch, rb_watch_free)

G_END_DECLS
