/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The write job's progress: the action it is in, told to the caller on the
 * caller's own context, and the snapshot that Update and the Progress
 * property are made from, read from any thread: the workers' per-WRITE
 * fields as atomics, the rest under the job's mutex.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbWriteJob"

#include "rb-write-job-private.h"

typedef struct {
	RbWriteJob *job;
	RbWriteAction action;
} RbWriteJobActionCall;

static gboolean
rb_write_job_action_cb(gpointer user_data)
{
	RbWriteJobActionCall *call = user_data;

	call->job->action_func(call->job, call->action, call->job->action_data);
	return G_SOURCE_REMOVE;
}

static void
rb_write_job_action_call_free(gpointer user_data)
{
	RbWriteJobActionCall *call = user_data;

	g_object_unref(call->job);
	g_free(call);
}

void
rb_write_job_set_action(RbWriteJob *self, RbWriteAction action)
{
	RbWriteJobActionCall *call;

	g_mutex_lock(&self->mutex);
	self->action = action;
	g_mutex_unlock(&self->mutex);
	if (self->action_func == NULL)
		return;
	/* the caller's objects live on its context: never call it from here */
	call = g_new0(RbWriteJobActionCall, 1);
	call->job = g_object_ref(self);
	call->action = action;
	g_main_context_invoke_full(self->context,
				   G_PRIORITY_DEFAULT,
				   rb_write_job_action_cb,
				   call,
				   rb_write_job_action_call_free);
}

void
rb_write_job_get_progress(RbWriteJob *self, RbWriteProgress *out)
{
	rb_write_job_get_progress_as(self, RB_WRITE_ACTION_UNKNOWN, out);
}

/* the progress as @action reports it (UNKNOWN: the job's current action):
 * an action's own Update may come after the job moved on, and the
 * read-back's range is not the write's */
void
rb_write_job_get_progress_as(RbWriteJob *self, RbWriteAction action, RbWriteProgress *out)
{
	RbFifoStats stats;
	gint64 now = g_get_monotonic_time();
	gint64 written;
	gint64 total;
	gint64 sectors_read;
	gint64 write_start_us;

	g_return_if_fail(RB_IS_WRITE_JOB(self));
	g_return_if_fail(out != NULL);

	rb_fifo_get_stats(self->fifo, &stats);
	/* written before read: a sector shows as written only once it shows
	 * as read, which the reader stored before it committed the sector */
	out->last_written_lba = RB_WRITE_JOB_GET(self->last_written_lba);
	out->last_read_lba = RB_WRITE_JOB_GET(self->last_read_lba);
	sectors_read = RB_WRITE_JOB_GET(self->sectors_read);
	write_start_us = RB_WRITE_JOB_GET(self->write_start_us);
	g_mutex_lock(&self->mutex);
	out->action = action != RB_WRITE_ACTION_UNKNOWN ? action : self->action;
	out->start_lba = self->params.leadin_start_lba;
	total = self->total_sectors >= 0 ? self->total_sectors : sectors_read;
	out->sector_count = (gint32)MIN(total, G_MAXINT32);
	out->total_known = self->total_sectors >= 0;
	if (self->start_us == 0)
		now = 0;
	else if (self->end_us != 0)
		now = self->end_us;
	out->elapsed_seconds = (gint32)((now - self->start_us) / G_USEC_PER_SEC);
	written = (gint64)out->last_written_lba - self->params.leadin_start_lba + 1;
	out->remaining_seconds = -1;
	if (self->action == RB_WRITE_ACTION_WRITING && self->total_sectors >= 0 && written > 0 &&
	    now > write_start_us) {
		gdouble rate = (gdouble)written * G_USEC_PER_SEC / (gdouble)(now - write_start_us);
		out->remaining_seconds = (gint32)((gdouble)(self->total_sectors - written) / rate);
	}
	/* the read-back reports its own range, as VerifyMedia's Update does */
	if (out->action == RB_WRITE_ACTION_VERIFYING) {
		gint64 done;

		/* loaded again under the lock the read-back stores it and its
		 * range with, so that the write's last LBA never pairs with
		 * the read-back's range */
		out->last_read_lba = RB_WRITE_JOB_GET(self->last_read_lba);
		done = (gint64)out->last_read_lba - self->verify_first_lba + 1;

		out->start_lba = self->verify_first_lba;
		out->sector_count = MAX(self->verify_end_lba - self->verify_first_lba, 0);
		out->total_known = self->verify_end_lba > self->verify_first_lba;
		if (self->verify_end_lba > self->verify_first_lba && done > 0 &&
		    now > self->verify_start_us) {
			gdouble rate = (gdouble)done * G_USEC_PER_SEC /
				       (gdouble)(now - self->verify_start_us);
			out->remaining_seconds =
				(gint32)((gdouble)(self->verify_end_lba - out->last_read_lba - 1) /
					 rate);
		}
	}
	g_mutex_unlock(&self->mutex);
	out->fifo_total = stats.size;
	out->fifo_used = stats.used;
	out->fifo_free = stats.size - stats.used;
	out->fifo_size = self->fifo_size;
	out->fifo_min_used = stats.min_used;
	out->fifo_times_empty = stats.times_empty;
}
