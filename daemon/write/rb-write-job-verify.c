/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Burn's Verify in the write job: the writer digests every sector it sends
 * (rb-verify-sector.h: 16 bytes a sector, 5.8 MB for an 80-minute disc, in
 * one array sized up front), so that a stream from a pipe needs no second
 * read; after FINISHING the disc is read back against the digests
 * (rb-verify-disc.c) under the same lock.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbWriteJob"

#include "rb-verify-disc.h"
#include "rb-write-job-private.h"

/* the first sector a reader can reach: track 1's pregap */
#define RB_WRITE_JOB_VERIFY_FIRST_LBA (-150)

void
rb_write_job_verify_init(RbWriteJob *self)
{
	/* a seekable stream's length is known; a pipe gets room for the disc's
	 * whole program area, so that appending never reallocates while
	 * writing (untouched pages cost no memory) */
	gint64 sectors = self->seekable ? self->params.leadin_start_lba + self->total_sectors -
						  RB_WRITE_JOB_VERIFY_FIRST_LBA
					: (gint64)self->params.last_leadout_start_lba -
						  RB_WRITE_JOB_VERIFY_FIRST_LBA;

	self->digests = g_array_sized_new(
		FALSE, FALSE, sizeof(RbVerifyDigest), (guint)CLAMP(sectors, 0, G_MAXINT32));
	self->digest_leadout = G_MININT32;
	self->verify_first_lba = RB_WRITE_JOB_VERIFY_FIRST_LBA;
	self->verify_end_lba = RB_WRITE_JOB_VERIFY_FIRST_LBA;
}

/* the writer thread: @n sectors from @lba, as sent */
void
rb_write_job_verify_digest(RbWriteJob *self, gint64 lba, const guint8 *data, guint n)
{
	for (guint i = 0; i < n && self->digest_leadout == G_MININT32; i++) {
		RbVerifyDigest digest;

		if (lba + i < RB_WRITE_JOB_VERIFY_FIRST_LBA)
			continue;
		/* the block type was checked when the job was made */
		rb_verify_sector_digest(
			self->data_block_type, data + (gsize)i * self->sector_size, &digest);
		if (rb_verify_sector_is_leadout(digest.q)) {
			self->digest_leadout = (gint32)(lba + i);
			break;
		}
		g_array_append_val(self->digests, digest);
	}
}

/* the digests begin at the first sector a reader can reach, so wherever the
 * drive lets comparing begin is covered */
static gboolean
rb_write_job_verify_start(gpointer source, gint32 *lba, GError **error)
{
	return TRUE;
}

static gboolean
rb_write_job_verify_next(gpointer source, gint32 lba, RbVerifyExpected *out, GError **error)
{
	RbWriteJob *job = source;
	gint64 index = (gint64)lba - RB_WRITE_JOB_VERIFY_FIRST_LBA;

	out->main = NULL;
	if (job->digest_leadout != G_MININT32 && lba >= job->digest_leadout)
		out->kind = RB_VERIFY_EXPECT_LEADOUT;
	else if (index >= job->digests->len)
		out->kind = RB_VERIFY_EXPECT_END;
	else {
		out->kind = RB_VERIFY_EXPECT_SECTOR;
		out->digest = g_array_index(job->digests, RbVerifyDigest, index);
	}
	return TRUE;
}

static void
rb_write_job_verify_progress(gint32 last_read_lba,
			     gint32 first_lba,
			     gint32 end_lba,
			     gpointer user_data)
{
	RbWriteJob *self = user_data;

	g_mutex_lock(&self->mutex);
	RB_WRITE_JOB_SET(self->last_read_lba, last_read_lba);
	self->verify_first_lba = first_lba;
	self->verify_end_lba = end_lba;
	g_mutex_unlock(&self->mutex);
}

/* before the action says VERIFYING: no snapshot may show the write's
 * progress against the read-back's range */
void
rb_write_job_verify_begin(RbWriteJob *self)
{
	g_mutex_lock(&self->mutex);
	RB_WRITE_JOB_SET(self->last_read_lba, RB_WRITE_JOB_VERIFY_FIRST_LBA - 1);
	self->verify_first_lba = RB_WRITE_JOB_VERIFY_FIRST_LBA;
	self->verify_end_lba = RB_WRITE_JOB_VERIFY_FIRST_LBA;
	self->verify_start_us = g_get_monotonic_time();
	g_mutex_unlock(&self->mutex);
}

gboolean
rb_write_job_verify_run(RbWriteJob *self, const RbMmcEnv *env, GError **error)
{
	static const RbVerifySourceFuncs funcs = {rb_write_job_verify_start,
						  rb_write_job_verify_next};
	/* the end is the lead-out written, not READ TOC's: a drive may show the
	 * TOC of before straight after a raw DAO write (rb-verify-disc.c) */
	return rb_verify_disc(self->transport,
			      env,
			      &funcs,
			      self,
			      self->digest_leadout != G_MININT32 ? self->digest_leadout
								 : RB_VERIFY_LEADOUT_UNKNOWN,
			      rb_write_job_verify_progress,
			      self,
			      error);
}
