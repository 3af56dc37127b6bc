/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * RbBurn: one recorder's burns from a file descriptor, a file or an image
 * creator, with progress and cancellation.
 */
#pragma once

#include <gio/gio.h>

#include "rb-generated.h"

G_BEGIN_DECLS

#define RB_TYPE_BURN (rb_burn_get_type())
G_DECLARE_FINAL_TYPE(RbBurn, rb_burn, RB, BURN, GObject)

RbBurn *rb_burn_new(RbObject *recorder);
RbObject *rb_burn_get_recorder(RbBurn *burn);
void rb_burn_burn_fd(RbBurn *burn,
		     gint fd,
		     GVariant *options,
		     GCancellable *cancellable,
		     GAsyncReadyCallback callback,
		     gpointer user_data);
void rb_burn_burn_file(RbBurn *burn,
		       GFile *file,
		       GVariant *options,
		       GCancellable *cancellable,
		       GAsyncReadyCallback callback,
		       gpointer user_data);
void rb_burn_burn_image_creator(RbBurn *burn,
				RbRawCDImageCreator *creator,
				GVariant *options,
				GCancellable *cancellable,
				GAsyncReadyCallback callback,
				gpointer user_data);
gboolean rb_burn_finish(RbBurn *burn, GAsyncResult *res, GError **error);

G_END_DECLS
