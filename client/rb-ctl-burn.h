/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "rawburnctl burn": a raw image onto a recorder through the service, the
 * way an IMAPI application drives IDiscFormat2RawCD.
 */
#pragma once

#include "rb-ctl.h"

G_BEGIN_DECLS

int rb_ctl_cmd_burn(RbCtl *ctl, gint argc, gchar **argv, GError **error);
/* "rawburnctl verify": the same stream, read back rather than written */
int rb_ctl_cmd_verify(RbCtl *ctl, gint argc, gchar **argv, GError **error);

G_END_DECLS
