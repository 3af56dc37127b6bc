/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What others see of a write and how it is ended: IMAPI's Update signal
 * and the write's Job object follow the write job's progress; a Burn's job
 * begins with its preparation of the drive; CancelWrite and Job.Cancel
 * share one cancellable. The write itself is in rb-raw-cd-write.c.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbRawCdFormat"

#include "rb-dbus-util.h"
#include "rb-raw-cd-format-private.h"

static void
rb_raw_cd_write_emit_progress(RbRawCdFormat *self, const RbWriteProgress *p)
{
	/* the ring exists only while WRITING; before and after, the burn's
	 * buffer shows empty at the size it has while writing, so that a
	 * client dividing by the total never divides by zero */
	gsize total = p->fifo_total > 0 ? p->fifo_total : p->fifo_size;
	gsize used = p->fifo_total > 0 ? p->fifo_used : 0;

	rb_disc_format2_raw_cd_set_current_action(RB_DISC_FORMAT2_RAW_CD(self), p->action);
	/* FIFO figures in bytes, clamped to the signal's 32-bit fields */
	rb_disc_format2_raw_cd_emit_update(RB_DISC_FORMAT2_RAW_CD(self),
					   p->action,
					   p->elapsed_seconds,
					   p->remaining_seconds,
					   p->start_lba,
					   p->sector_count,
					   p->last_read_lba,
					   p->last_written_lba,
					   (gint32)MIN(total, G_MAXINT32),
					   (gint32)MIN(used, G_MAXINT32),
					   (gint32)MIN(total - used, G_MAXINT32));
}

/*
 * The Job's progress, from the same snapshot as Update: sectors written of
 * the stream's (a pipe's size is known only at its end: ProgressValid stays
 * false until then). A Burn with Verify reads as much back as it wrote, so
 * the write is the first half of its work and the read-back the second.
 */
static void
rb_raw_cd_write_feed_job(RbRawCdFormat *self, const RbWriteProgress *p)
{
	guint64 sector_size = rb_write_job_get_sector_size(self->job);
	guint64 factor = self->job_verify ? 2 : 1;
	gint64 done;

	if (self->service_job == NULL || !p->total_known)
		return;
	if (p->action == RB_WRITE_ACTION_VERIFYING) {
		done = (gint64)p->last_read_lba - p->start_lba + 1;
		rb_service_job_set_bytes_done(self->service_job,
					      (self->job_write_sectors + (guint64)MAX(done, 0)) *
						      sector_size,
					      self->job_write_sectors * factor * sector_size);
		return;
	}
	self->job_write_sectors = (guint64)MAX(p->sector_count, 0);
	done = (gint64)p->last_written_lba - p->start_lba + 1;
	rb_service_job_set_bytes_done(self->service_job,
				      (guint64)MAX(done, 0) * sector_size,
				      self->job_write_sectors * factor * sector_size);
}

void
rb_raw_cd_write_emit_update(RbRawCdFormat *self)
{
	RbWriteProgress progress;

	rb_write_job_get_progress(self->job, &progress);
	rb_raw_cd_write_emit_progress(self, &progress);
	rb_raw_cd_write_feed_job(self, &progress);
}

gboolean
rb_raw_cd_write_on_update_timer(gpointer user_data)
{
	rb_raw_cd_write_emit_update(RB_RAW_CD_FORMAT(user_data));
	return G_SOURCE_CONTINUE;
}

void
rb_raw_cd_write_on_action(RbWriteJob *job, RbWriteAction action, gpointer user_data)
{
	RbRawCdFormat *self = RB_RAW_CD_FORMAT(user_data);
	RbWriteProgress progress;

	/* the job may have ended already: only the live one reports */
	if (self->job != job)
		return;
	/*
	 * Each action gets its Update, however briefly it lasted (PREPARING
	 * of a fast drive is over before this runs), unless a later one was
	 * already reported: the actions never go back.
	 */
	if (action <
	    (RbWriteAction)rb_disc_format2_raw_cd_get_current_action(RB_DISC_FORMAT2_RAW_CD(self)))
		return;
	rb_write_job_get_progress_as(job, action, &progress);
	rb_raw_cd_write_emit_progress(self, &progress);
}

/* a Burn is one piece of work from its preparation of the drive on: its
 * job shows the preparation too, and a Job.Cancel or the holder's
 * CancelWrite there ends it before anything is written */
void
rb_raw_cd_burn_begin(RbRawCdFormat *self,
		     RbWriteArgs *args,
		     const gchar *sender,
		     const gchar *client_name)
{
	args->cancellable = g_cancellable_new();
	args->service_job = rb_raw_cd_format_start_job(
		self, RB_JOB_OPERATION_WRITE, sender, client_name, args->cancellable);
	g_set_object(&self->burn_preparing, args->cancellable);
}

/* the drive is prepared (or failed): CancelWrite no longer reaches the
 * preparation; the cancellable stays the call's */
void
rb_raw_cd_burn_prepared(RbRawCdFormat *self, RbWriteArgs *args)
{
	if (args != NULL && self->burn_preparing != NULL &&
	    self->burn_preparing == args->cancellable)
		g_clear_object(&self->burn_preparing);
}

/* the call's job ends with the error it replies with (NULL: success) */
void
rb_write_args_end_job(RbWriteArgs *args, const GError *error)
{
	if (args->service_job != NULL) {
		rb_service_job_complete(args->service_job, error);
		g_clear_object(&args->service_job);
	}
}

/* the write's job ends with the error the call replies with */
void
rb_raw_cd_write_end_job(RbRawCdFormat *self, const GError *error)
{
	if (self->service_job != NULL) {
		rb_service_job_complete(self->service_job, error);
		g_clear_object(&self->service_job);
	}
	g_clear_object(&self->cancellable);
}

gboolean
rb_raw_cd_format_handle_cancel_write(RbDiscFormat2RawCD *iface, GDBusMethodInvocation *invocation)
{
	RbRawCdFormat *self = RB_RAW_CD_FORMAT(iface);
	const gchar *sender = g_dbus_method_invocation_get_sender(invocation);

	if (!rb_raw_cd_format_is_holder(self, sender) ||
	    (!self->writing && self->operation_cancellable == NULL &&
	     self->burn_preparing == NULL)) {
		rb_dbus_util_refuse(invocation, RB_ERROR_WRITE_NOT_IN_PROGRESS);
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	/* the pending write (or verify) replies RequestCancelled once its
	 * threads stopped; a Burn still preparing the drive, once it is */
	if (self->writing)
		g_cancellable_cancel(self->cancellable);
	else if (self->operation_cancellable != NULL)
		g_cancellable_cancel(self->operation_cancellable);
	else
		g_cancellable_cancel(self->burn_preparing);
	rb_disc_format2_raw_cd_complete_cancel_write(iface, invocation);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}
