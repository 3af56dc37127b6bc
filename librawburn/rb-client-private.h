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

G_END_DECLS
