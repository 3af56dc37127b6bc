/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What RbClient's files share, not exported.
 */
#pragma once

#include "rb-client.h"

G_BEGIN_DECLS

typedef gboolean (*RbClientFilter)(RbObject *object, gconstpointer data);

/* @client's objects that pass @filter, sorted by path (transfer full) */
G_GNUC_INTERNAL GList *
rb_client_get_objects(RbClient *client, RbClientFilter filter, gconstpointer data);

/* What a GCancellable's handler may touch: it runs in whichever thread
 * cancels, maybe while the operation ends in its own. So it holds no
 * pointer to the operation, only a weak reference and the context to
 * continue in, and it continues from an idle there (disconnecting the
 * handler from inside it would deadlock). */
typedef struct {
	GWeakRef owner;
	GMainContext *context;
	GSourceFunc idle; /* called with a reference to the owner */
} RbCancelHook;

static inline RbCancelHook *
rb_cancel_hook_new(gpointer owner, GMainContext *context, GSourceFunc idle)
{
	RbCancelHook *hook = g_new0(RbCancelHook, 1);

	g_weak_ref_init(&hook->owner, owner);
	hook->context = context != NULL ? g_main_context_ref(context) : NULL;
	hook->idle = idle;
	return hook;
}

static inline void
rb_cancel_hook_free(RbCancelHook *hook)
{
	g_weak_ref_clear(&hook->owner);
	if (hook->context != NULL)
		g_main_context_unref(hook->context);
	g_free(hook);
}

/* the GCallback for g_cancellable_connect(), with rb_cancel_hook_free() */
static inline void
rb_cancel_hook_cancelled(GCancellable *cancellable, RbCancelHook *hook)
{
	gpointer owner = g_weak_ref_get(&hook->owner);
	g_autoptr(GSource) source = NULL;

	if (owner == NULL)
		return;
	source = g_idle_source_new();
	g_source_set_callback(source, hook->idle, owner, g_object_unref);
	g_source_attach(source, hook->context);
}

G_END_DECLS
