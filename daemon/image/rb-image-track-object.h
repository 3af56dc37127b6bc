/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rb-generated.h"

G_BEGIN_DECLS

typedef struct _RbImageCreator RbImageCreator;

#define RB_TYPE_IMAGE_TRACK_OBJECT (rb_image_track_object_get_type())
G_DECLARE_FINAL_TYPE(RbImageTrackObject,
		     rb_image_track_object,
		     RB,
		     IMAGE_TRACK_OBJECT,
		     RbRawCDImageTrackInfoSkeleton)

/* @creator owns the track and detaches it before it goes */
RbImageTrackObject *rb_image_track_object_new(RbImageCreator *creator, guint track_index);
void rb_image_track_object_detach(RbImageTrackObject *self);
/* its properties, from the creator's layout */
void rb_image_track_object_sync(RbImageTrackObject *self, gboolean length_known);

G_END_DECLS
