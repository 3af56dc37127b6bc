/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rb-mmc-transport.h"
#include "rb-vdrive.h"

G_BEGIN_DECLS

#define RB_TYPE_VDRIVE_TRANSPORT (rb_vdrive_transport_get_type())
G_DECLARE_FINAL_TYPE(RbVdriveTransport, rb_vdrive_transport, RB, VDRIVE_TRANSPORT, RbMmcTransport)

RbMmcTransport *rb_vdrive_transport_new(RbVdrive *drive);

G_END_DECLS
