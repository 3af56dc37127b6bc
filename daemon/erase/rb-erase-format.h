/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rb-authority.h"
#include "rb-generated.h"
#include "rb-raw-cd-format.h"
#include "rb-recorder-drive.h"

G_BEGIN_DECLS

#define RB_TYPE_ERASE_FORMAT (rb_erase_format_get_type())
G_DECLARE_FINAL_TYPE(RbEraseFormat, rb_erase_format, RB, ERASE_FORMAT, RbDiscFormat2EraseSkeleton)

/* @raw_cd lends its lock and its drive; @recorder (not owned, it owns us)
 * is kept alive while polkit answers; @name is the recorder's, for messages */
RbEraseFormat *rb_erase_format_new(const gchar *object_path,
				   const gchar *name,
				   RbRawCdFormat *raw_cd,
				   GObject *recorder,
				   RbAuthority *authority);
void rb_erase_format_apply_drive_state(RbEraseFormat *self, const RbDriveState *state);
gboolean rb_erase_format_is_busy(RbEraseFormat *self);
void rb_erase_format_device_gone(RbEraseFormat *self);
void rb_erase_format_shutdown(RbEraseFormat *self);
void rb_erase_format_detach(RbEraseFormat *self);

G_END_DECLS
