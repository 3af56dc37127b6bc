/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What clients pass to a virtual recorder, checked before anything else.
 */
#pragma once

#include <gio/gio.h>

#include "rb-vdrive.h"

G_BEGIN_DECLS

gboolean rb_virtual_options_parse_faults(GVariant *faults, RbVdriveFaults *out, GError **error);
gboolean rb_virtual_options_parse_finishing_ms(GVariant *value, guint *out, GError **error);
/* @first_lba is RB_VDRIVE_FAULT_OFF unless the options name one */
gboolean rb_virtual_options_parse_load_disc(GVariant *options,
					    RbVirtualMedia *media,
					    gint32 *first_lba,
					    GError **error);

G_END_DECLS
