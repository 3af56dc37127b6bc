/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rb-authority.h"
#include "rb-drive-probe.h"
#include "rb-generated.h"
#include "rb-job-registry.h"
#include "rb-vdrive.h"
#include "rb-virtual-spec.h"

G_BEGIN_DECLS

#define RB_TYPE_RECORDER_OBJECT (rb_recorder_object_get_type())
G_DECLARE_FINAL_TYPE(RbRecorderObject, rb_recorder_object, RB, RECORDER_OBJECT, RbObjectSkeleton)

RbRecorderObject *rb_recorder_object_new_virtual(const gchar *name,
						 const RbVirtualSpec *spec,
						 RbAuthority *authority,
						 gsize fifo_size);
RbRecorderObject *
rb_recorder_object_new_real(const RbDriveInfo *info, RbAuthority *authority, gsize fifo_size);
void rb_recorder_object_set_job_registry(RbRecorderObject *self, RbJobRegistry *jobs);
void rb_recorder_object_apply_info(RbRecorderObject *self, const RbDriveInfo *info);
void rb_recorder_object_device_gone(RbRecorderObject *self);
void rb_recorder_object_shutdown(RbRecorderObject *self);
const gchar *rb_recorder_object_get_lock_owner(RbRecorderObject *self);
const gchar *rb_recorder_object_get_name(RbRecorderObject *self);
gboolean rb_recorder_object_is_virtual(RbRecorderObject *self);
gboolean rb_recorder_object_is_busy(RbRecorderObject *self);
gboolean rb_recorder_object_is_writing(RbRecorderObject *self);
void rb_recorder_object_refresh(RbRecorderObject *self);
RbVdrive *rb_recorder_object_get_vdrive(RbRecorderObject *self);

G_END_DECLS
