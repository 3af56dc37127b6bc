/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rb-generated.h"

G_BEGIN_DECLS

#define RB_TYPE_RAW_CD_FORMAT (rb_raw_cd_format_get_type())
G_DECLARE_FINAL_TYPE(RbRawCdFormat, rb_raw_cd_format, RB, RAW_CD_FORMAT, RbDiscFormat2RawCDSkeleton)

RbRawCdFormat *rb_raw_cd_format_new(const gchar *object_path, guint imapi_media_type);
gboolean rb_raw_cd_format_is_busy(RbRawCdFormat *self);

G_END_DECLS
