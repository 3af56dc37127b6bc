/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Authorization of D-Bus callers: asks polkit (asynchronously, so a prompt
 * never blocks the daemon) whether a caller may perform an action, and
 * decides for root itself when polkit is missing.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* the actions of dbus/org.rawburn.policy.in */
#define RB_AUTHORITY_ACTION_BURN "org.rawburn.burn"
#define RB_AUTHORITY_ACTION_MANAGE_VIRTUAL "org.rawburn.manage-virtual"
/* Job.Cancel of a job another user started (the jobs of the next release) */
#define RB_AUTHORITY_ACTION_CANCEL_OTHER "org.rawburn.cancel-other"

typedef enum {
	RB_AUTHORITY_CHECK_FLAGS_NONE = 0,
	/* never show an authentication dialog (a client asked for no interaction) */
	RB_AUTHORITY_CHECK_FLAGS_NO_USER_INTERACTION = 1 << 0,
} RbAuthorityCheckFlags;

/* why polkit could not be asked; chooses the message of a refusal */
typedef enum {
	RB_AUTHORITY_NO_POLKIT_NOT_RUNNING,
	RB_AUTHORITY_NO_POLKIT_NOT_BUILT,
} RbAuthorityNoPolkitReason;

#define RB_TYPE_AUTHORITY (rb_authority_get_type())
G_DECLARE_FINAL_TYPE(RbAuthority, rb_authority, RB, AUTHORITY, GObject)

RbAuthority *rb_authority_new(GDBusConnection *system_bus);
RbAuthority *rb_authority_new_trust_all(void);
gboolean rb_authority_get_trust_all(RbAuthority *self);

void rb_authority_check_async(RbAuthority *self,
			      const gchar *sender,
			      const gchar *action_id,
			      const gchar *message_detail,
			      GCancellable *cancellable,
			      GAsyncReadyCallback callback,
			      gpointer user_data);
void rb_authority_check_full_async(RbAuthority *self,
				   const gchar *sender,
				   const gchar *action_id,
				   const gchar *message_detail,
				   RbAuthorityCheckFlags flags,
				   GCancellable *cancellable,
				   GAsyncReadyCallback callback,
				   gpointer user_data);
gboolean rb_authority_check_finish(RbAuthority *self, GAsyncResult *result, GError **error);
void rb_authority_cancel_all(RbAuthority *self);

gboolean rb_authority_check_without_polkit(guint32 caller_uid,
					   const gchar *action_id,
					   RbAuthorityNoPolkitReason reason,
					   GError **error);

G_END_DECLS
