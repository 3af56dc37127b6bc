/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The daemon's jobs: numbered, put on the ObjectManager once the starter's
 * uid is known, kept 10 seconds after Completed, then unexported.
 */
#pragma once

#include "rb-service-job.h"

G_BEGIN_DECLS

/* how long a completed job stays exported: a client whose method call
 * timed out still learns the result */
#define RB_JOB_KEEP_SECONDS 10
#define RB_JOB_PATH_PREFIX "/org/rawburn/RawBurn1/jobs/"

#define RB_TYPE_JOB_REGISTRY (rb_job_registry_get_type())
G_DECLARE_FINAL_TYPE(RbJobRegistry, rb_job_registry, RB, JOB_REGISTRY, GObject)

RbJobRegistry *rb_job_registry_new(GDBusObjectManagerServer *object_manager,
				   GDBusConnection *connection);
/* the registry keeps @job until it is unexported */
void rb_job_registry_add(RbJobRegistry *self, RbServiceJob *job);
/* the service stops: completed jobs go at once, the others right after
 * their Completed (the registry's disposal takes any left) */
void rb_job_registry_shutdown(RbJobRegistry *self);

/* the daemon goes: every job is unexported now, and no more are taken
 * (recorders still finishing their work may hold the registry longer) */
void rb_job_registry_close(RbJobRegistry *self);

G_END_DECLS
