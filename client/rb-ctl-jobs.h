/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "rawburnctl monitor" and "rawburnctl cancel": the service's recorders,
 * media and jobs as they change, and ending a job, whoever started it.
 */
#pragma once

#include "rb-ctl.h"

G_BEGIN_DECLS

#define RB_CTL_JOB_PATH_PREFIX RB_DBUS_ROOT_PATH "/jobs/"

int rb_ctl_cmd_monitor(RbCtl *ctl, gint argc, gchar **argv, GError **error);
int rb_ctl_cmd_cancel(RbCtl *ctl, gint argc, gchar **argv, GError **error);

/* the job's number in its object path ("3" of …/jobs/3) */
const gchar *rb_ctl_job_number(const gchar *object_path);

G_END_DECLS
