/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What one client sees of the service's jobs: the first job announced
 * (InterfacesAdded), its progress (PropertiesChanged), its Completed and
 * its removal (InterfacesRemoved), for the job tests.
 */
#pragma once

#include <gio/gio.h>

#include "rb-test-client.h"

G_BEGIN_DECLS

/* what one client saw of the jobs */
typedef struct {
	GDBusConnection *connection;
	guint subscriptions[4];
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
/* until a job was announced, failing after half the test's time, or at
 * once when @pending (may be NULL), the call that should start the job,
 * was answered first: a call refused before its job exists names itself */
void rb_watch_wait_for_job(RbJobWatch *watch, const RbTestPending *pending);
/* until the job's Completed, which must say @success */
void rb_watch_wait_completed(RbJobWatch *watch, gboolean success);
/* until the job's Completed, which must say it was cancelled */
void rb_watch_wait_cancelled(RbJobWatch *watch);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RbJobWatch, rb_watch_free)

G_END_DECLS
