/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A logind inhibitor lock: while a recorder is prepared the machine must not
 * suspend, shut down or idle away, or the disc is ruined.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* what a burn blocks; logind's names, colon-separated */
#define RB_INHIBITOR_WHAT "sleep:shutdown:idle"
#define RB_INHIBITOR_MODE "block"

#define RB_TYPE_INHIBITOR (rb_inhibitor_get_type())
G_DECLARE_FINAL_TYPE(RbInhibitor, rb_inhibitor, RB, INHIBITOR, GObject)

void rb_inhibitor_acquire_async(GDBusConnection *system_bus,
				const gchar *who,
				const gchar *why,
				GCancellable *cancellable,
				GAsyncReadyCallback callback,
				gpointer user_data);
RbInhibitor *rb_inhibitor_acquire_finish(GAsyncResult *result, GError **error);
void rb_inhibitor_release(RbInhibitor *self);
gboolean rb_inhibitor_is_held(RbInhibitor *self);

G_END_DECLS
