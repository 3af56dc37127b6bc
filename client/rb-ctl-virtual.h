/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The commands for virtual recorders, to check a burn: "report" shows the
 * emulated drive's validation of the last recording, "export" saves what
 * it burned, "virtual" changes its medium (rb-ctl-virtual-media.c).
 */
#pragma once

#include "rb-ctl.h"

G_BEGIN_DECLS

int rb_ctl_cmd_report(RbCtl *ctl, gint argc, gchar **argv, GError **error);
int rb_ctl_cmd_export(RbCtl *ctl, gint argc, gchar **argv, GError **error);
int rb_ctl_cmd_virtual(RbCtl *ctl, gint argc, gchar **argv, GError **error);
/* the VirtualRecorder of a recorder named by the user, with an error saying
 * so when it is not virtual; connects first, as rb_ctl_connect_recorder() */
RbVirtualRecorder *rb_ctl_virtual_find(RbCtl *ctl, const gchar *wanted, GError **error);

G_END_DECLS
