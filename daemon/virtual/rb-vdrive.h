/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An emulated MMC CD-R/RW recorder: CDB in, status, sense and data out. It
 * knows nothing of how commands reach it (a function call from the daemon,
 * or umockdev's SG_IO handler in tests).
 */
#pragma once

#include <gio/gio.h>

#include "rb-mmc-types.h"
#include "rb-virtual-spec.h"

G_BEGIN_DECLS

#define RB_TYPE_VDRIVE (rb_vdrive_get_type())
G_DECLARE_FINAL_TYPE(RbVdrive, rb_vdrive, RB, VDRIVE, GObject)

RbVdrive *rb_vdrive_new(const RbVirtualSpec *spec);

/* thread-safe: one command at a time, from any thread; a data-in command
 * fills @buffer and sets result->residual to what it did not fill */
void rb_vdrive_execute(RbVdrive *self,
		       const guint8 *cdb,
		       gsize cdb_len,
		       RbMmcDirection direction,
		       guint8 *buffer,
		       gsize buffer_len,
		       RbMmcResult *result);

G_END_DECLS
