/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The authorization map: which polkit action each member of the API needs,
 * in one table, and the one way every handler asks for it.
 */
#pragma once

#include "rb-authority.h"

G_BEGIN_DECLS

/* the Burn/AddVirtualRecorder option that keeps polkit from asking the user */
#define RB_AUTH_OPTION_NO_USER_INTERACTION "auth.no_user_interaction"

typedef struct {
	const gchar *interface_name;
	/* a method, or a writable property when @property is TRUE */
	const gchar *member;
	gboolean property;
	/* NULL: no authorization, because the member only reads, or only the
	 * lock holder (already authorized) may call it */
	const gchar *action_id;
	/* what polkit shows, untranslated: polkit translates it for the caller */
	const gchar *message;
} RbAuthRule;

const RbAuthRule *rb_auth_map_get_rules(gsize *n_rules);
const RbAuthRule *
rb_auth_map_lookup(const gchar *interface_name, const gchar *member, gboolean property);

gboolean rb_auth_map_parse_no_user_interaction(GVariant *value, gboolean *out, GError **error);

/*
 * Asks for what @invocation needs by the map: its method, or for a
 * Properties.Set the property it writes. @options is the call's a{sv} when
 * the method takes one (auth.no_user_interaction decides whether polkit may
 * ask the user), else NULL (the ALLOW_INTERACTIVE_AUTHORIZATION header flag
 * decides). A member missing from the map is refused: the map fails closed.
 */
void rb_auth_map_authorize_async(RbAuthority *authority,
				 GDBusMethodInvocation *invocation,
				 GVariant *options,
				 GAsyncReadyCallback callback,
				 gpointer user_data);
gboolean rb_auth_map_authorize_finish(RbAuthority *authority, GAsyncResult *result, GError **error);

/* FALSE, with the reply sent, when @self takes no more work */
typedef gboolean (*RbAuthAliveFunc)(gpointer self, GDBusMethodInvocation *invocation);
/* the call, authorized: now it may change state */
typedef void (*RbAuthThenFunc)(gpointer self, GDBusMethodInvocation *invocation);

/*
 * The way an interface implementation waits for polkit: @self and
 * @keep_alive (its recorder, which may be removed while polkit thinks) are
 * referenced until the answer, *@pending counts the call as work in flight,
 * and once authorized @alive is asked again before @then runs.
 */
void rb_auth_map_authorize_then(RbAuthority *authority,
				GDBusMethodInvocation *invocation,
				GVariant *options,
				GObject *self,
				GObject *keep_alive,
				guint *pending,
				RbAuthAliveFunc alive,
				RbAuthThenFunc then);

G_END_DECLS
