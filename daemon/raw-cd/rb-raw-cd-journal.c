/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The journal records of a recorder's lock holder (rb-journal.c): one
 * RbJournal from the lock taken to its release, fed by one call at each
 * event of the lock, the write, the erase and the verify.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbRawCdFormat"

#include "rb-error.h"
#include "rb-raw-cd-format-private.h"
#include "rb-service-job.h"

void
rb_raw_cd_journal_owner(RbRawCdFormat *self, const gchar *sender, const gchar *client_name)
{
	GDBusInterfaceSkeleton *skeleton = G_DBUS_INTERFACE_SKELETON(self);

	if (sender == NULL) {
		if (self->journal != NULL)
			rb_journal_released(self->journal);
		g_clear_pointer(&self->journal, rb_journal_unref);
		return;
	}
	/* PrepareMedia takes the lock before the client's name is known */
	if (client_name == NULL)
		return;
	if (self->journal != NULL &&
	    g_strcmp0(rb_journal_get_bus_name(self->journal), sender) == 0) {
		rb_journal_set_client_name(self->journal, client_name);
		return;
	}
	g_clear_pointer(&self->journal, rb_journal_unref);
	self->journal = rb_journal_new(g_dbus_interface_skeleton_get_connection(skeleton),
				       g_dbus_interface_skeleton_get_object_path(skeleton),
				       sender,
				       client_name);
}

void
rb_raw_cd_journal_release_reason(RbRawCdFormat *self, const gchar *reason)
{
	if (self->journal != NULL)
		rb_journal_set_release_reason(self->journal, reason);
}

void
rb_raw_cd_journal_prepared(RbRawCdFormat *self, gint32 write_speed)
{
	if (self->journal != NULL)
		rb_journal_prepared(self->journal, write_speed);
}

void
rb_raw_cd_journal_write_started(RbRawCdFormat *self,
				const RbWriteArgs *args,
				const RbWriteJobParams *params,
				gint32 write_speed,
				gint64 stream_bytes)
{
	RbJournalWrite write = {
		.sector_type = params->sector_type,
		.stream_bytes = stream_bytes,
		.sector_size = rb_write_job_get_sector_size(self->job),
		.lead_in_sectors = args->lead_in_sectors,
		.write_speed = write_speed,
		.test_write = params->test_write,
		.verify = params->verify,
		.bufe = params->bufe,
	};

	if (self->journal == NULL)
		return;
	if (args->burn)
		rb_journal_set_release_reason(self->journal, "end of Burn");
	rb_journal_write_started(self->journal, &write);
}

/* the holder's write refused before it began (sector type, stream checks…) */
void
rb_raw_cd_journal_write_refused(RbRawCdFormat *self,
				GDBusMethodInvocation *invocation,
				const GError *error)
{
	RbWriteArgs *args = rb_write_args_get(invocation);

	if (self->journal == NULL ||
	    !rb_raw_cd_format_is_holder(self, g_dbus_method_invocation_get_sender(invocation)))
		return;
	if (args != NULL && args->burn)
		rb_journal_set_release_reason(self->journal, "end of Burn");
	rb_journal_write_refused(self->journal, error);
}

/* before the write's end changes anything: why it was cancelled is still
 * to be seen */
void
rb_raw_cd_journal_write_ended(RbRawCdFormat *self, RbWriteJob *job, const GError *error)
{
	RbWriteProgress progress;
	const gchar *how = "CancelWrite";
	gint64 sectors;
	gint min_fill = -1;

	if (self->journal == NULL)
		return;
	rb_write_job_get_progress_as(job, RB_WRITE_ACTION_WRITING, &progress);
	sectors = MAX((gint64)progress.last_written_lba - progress.start_lba + 1, 0);
	if (self->life == RB_FORMAT_STOPPING)
		how = "service stopping";
	else if (self->release_after_write)
		how = "client left the bus";
	else if (self->service_job != NULL && rb_service_job_was_cancelled(self->service_job))
		how = "Job.Cancel";
	if (progress.fifo_min_used >= 0 && progress.fifo_size > 0)
		min_fill = (gint)(progress.fifo_min_used * 100 / (gint64)progress.fifo_size);
	rb_journal_write_ended(self->journal,
			       sectors,
			       rb_write_job_get_sector_size(job),
			       progress.last_written_lba,
			       progress.fifo_size,
			       min_fill,
			       error,
			       how);
}

void
rb_raw_cd_format_journal_operation_started(RbRawCdFormat *self, const gchar *mode)
{
	g_return_if_fail(RB_IS_RAW_CD_FORMAT(self));
	if (self->journal == NULL || self->operation == NULL)
		return;
	if (self->operation_took_lock) {
		g_autofree gchar *reason = g_strdup_printf("end of %s", self->operation);

		rb_journal_set_release_reason(self->journal, reason);
	}
	rb_journal_operation_started(self->journal, self->operation, mode);
}

void
rb_raw_cd_format_journal_operation_ended(RbRawCdFormat *self, const GError *error)
{
	g_return_if_fail(RB_IS_RAW_CD_FORMAT(self));
	if (self->journal != NULL && self->operation != NULL)
		rb_journal_operation_ended(self->journal, error);
}
