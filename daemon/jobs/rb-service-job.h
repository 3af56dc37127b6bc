/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One org.rawburn.RawBurn1.Job: a write, erase or verify as others see it.
 * The job mirrors the work (its progress, its end) and can cancel it
 * through the work's own GCancellable; it never drives it.
 */
#pragma once

#include "rb-authority.h"
#include "rb-generated.h"

G_BEGIN_DECLS

#define RB_JOB_OPERATION_WRITE "raw-cd-write"
#define RB_JOB_OPERATION_ERASE "erase"
#define RB_JOB_OPERATION_VERIFY "verify"

#define RB_TYPE_SERVICE_JOB (rb_service_job_get_type())
G_DECLARE_FINAL_TYPE(RbServiceJob, rb_service_job, RB, SERVICE_JOB, RbJobSkeleton)

/*
 * @recorder_path: the recorder object worked on; @sender: the unique name
 * of the connection that started the work; @cancellable: what Cancel
 * cancels (the work's own, as CancelWrite's), NULL when the work cannot be
 * stopped (Cancelable false); @authority: who may cancel another's job.
 */
RbServiceJob *rb_service_job_new(const gchar *operation,
				 const gchar *recorder_path,
				 const gchar *sender,
				 const gchar *client_name,
				 GCancellable *cancellable,
				 RbAuthority *authority);
const gchar *rb_service_job_get_sender(RbServiceJob *self);
gboolean rb_service_job_is_completed(RbServiceJob *self);
gboolean rb_service_job_was_cancelled(RbServiceJob *self);

/* progress in bytes (a write, a verify): Rate and ExpectedEndTime follow
 * from the recent rate; @total 0: not known yet (ProgressValid false) */
void rb_service_job_set_bytes_done(RbServiceJob *self, guint64 done, guint64 total);
/* progress as a fraction with the work's own expected duration in seconds
 * since StartTime (an erase: the drive tells a fraction, not bytes) */
void rb_service_job_set_fraction(RbServiceJob *self, gdouble fraction, gint expected_seconds);

/* the work ended with the error its method call replies with (NULL:
 * success): Completed once, then the registry unexports the job */
void rb_service_job_complete(RbServiceJob *self, const GError *error);

/* the registry: the job is on the bus (Completed can be seen now) */
void rb_service_job_set_exported(RbServiceJob *self);

/* who may cancel without org.rawburn.cancel-other: the starting connection
 * or a connection of the same user. Pure, so a test can walk its cases. */
gboolean rb_service_job_cancel_needs_action(const gchar *job_sender,
					    guint32 job_uid,
					    const gchar *caller,
					    guint32 caller_uid);

G_END_DECLS
