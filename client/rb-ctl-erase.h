/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "rawburnctl erase": blanks a CD-RW through the service, the way an IMAPI
 * application drives IDiscFormat2Erase.
 */
#pragma once

#include "rb-ctl.h"

G_BEGIN_DECLS

int rb_ctl_cmd_erase(RbCtl *ctl, gint argc, gchar **argv, GError **error);

G_END_DECLS
