/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The emulated drive's validation report as the ValidationReport property
 * carries it.
 */
#pragma once

#include <gio/gio.h>

#include "rb-vdrive.h"

G_BEGIN_DECLS

/* a floating a{sv} */
GVariant *rb_virtual_report_to_variant(const RbVdriveReport *report);

G_END_DECLS
