/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rb-authority.h"
#include "rb-generated.h"
#include "rb-vdrive.h"

G_BEGIN_DECLS

#define RB_TYPE_VIRTUAL_CONTROLS (rb_virtual_controls_get_type())
G_DECLARE_FINAL_TYPE(
	RbVirtualControls, rb_virtual_controls, RB, VIRTUAL_CONTROLS, RbVirtualRecorderSkeleton)

/* the recorder's side, which the controls use and do not own */
typedef struct {
	GMutex *(*get_drive_mutex)(gpointer recorder);
	/* the ClientName of the lock holder, NULL when free */
	const gchar *(*get_lock_owner)(gpointer recorder);
	/* whether @sender holds the lock */
	gboolean (*is_lock_holder)(gpointer recorder, const gchar *sender);
	gboolean (*is_writing)(gpointer recorder);
	void (*refresh)(gpointer recorder);
	RbAuthority *(*get_authority)(gpointer recorder);
} RbVirtualControlsRecorder;

RbVirtualControls *rb_virtual_controls_new(RbVdrive *drive,
					   const RbVirtualControlsRecorder *recorder_ops,
					   GObject *recorder);
void rb_virtual_controls_detach(RbVirtualControls *self);
gboolean rb_virtual_controls_is_busy(RbVirtualControls *self);
void rb_virtual_controls_update_report(RbVirtualControls *self);

G_END_DECLS
