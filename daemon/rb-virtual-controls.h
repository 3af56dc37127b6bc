/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rb-generated.h"

G_BEGIN_DECLS

#define RB_TYPE_VIRTUAL_CONTROLS (rb_virtual_controls_get_type())
G_DECLARE_FINAL_TYPE(
	RbVirtualControls, rb_virtual_controls, RB, VIRTUAL_CONTROLS, RbVirtualRecorderSkeleton)

RbVirtualControls *rb_virtual_controls_new(void);

G_END_DECLS
