/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Raw recording as a strict drive takes it: write parameters first, the
 * first WRITE exactly at the ATIP lead-in start, then strictly sequential
 * whole blocks; SYNCHRONIZE CACHE ends the recording. In real-time mode a
 * 2 MiB buffer drains at the selected speed: a host that cannot keep it
 * filled underruns, which ruins the disc unless BUFE was set.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbVdrive"

#include <string.h>

#include "rb-subchannel.h"
#include "rb-vdrive-private.h"

#define RB_ASC_INVALID_FIELD_IN_CDB 0x24
#define RB_ASC_LBA_OUT_OF_RANGE 0x21
#define RB_ASCQ_INVALID_ADDRESS_FOR_WRITE 0x02
#define RB_ASC_COMMAND_SEQUENCE_ERROR 0x2C
#define RB_ASC_WRITE_ERROR 0x0C
#define RB_ASCQ_LOSS_OF_STREAMING 0x09
#define RB_ASC_NOT_READY 0x04
#define RB_ASCQ_LONG_WRITE 0x08
#define RB_ASCQ_OPERATION_IN_PROGRESS 0x07
#define RB_ASC_MEDIUM_NOT_PRESENT 0x3A
#define RB_ASC_ILLEGAL_MODE 0x64

void
rb_vdrive_recording_clear(RbVdrive *self)
{
	self->recording = FALSE;
	self->recording_failed = FALSE;
	self->finishing_end_us = 0;
	self->next_lba = 0;
	self->leadout_start = G_MININT32;
	g_array_set_size(self->toc, 0);
	g_array_set_size(self->track_starts, 0);
	g_array_set_size(self->track_ctl, 0);
	self->run_point = 0;
	self->last_read_lba = 0;
	self->run_length = 0;
	self->run_started = FALSE;
	rb_vdrive_judge_reset(self);
	rb_vdrive_cdtext_clear(self);
	memset(&self->report, 0, sizeof(self->report));
	self->report.leadout_start = G_MININT32;
	self->buffer_bytes = 0;
	self->buffer_time_us = 0;
	self->buffer_dry = FALSE;
}

static gsize
rb_vdrive_block_size(guint8 data_block_type)
{
	return rb_data_block_type_get_sector_size(data_block_type);
}

static gboolean
rb_vdrive_bufe(RbVdrive *self)
{
	return (self->page05[2] & 0x40) != 0;
}

/* bytes of host data the drive records per second at the speed in effect */
static gdouble
rb_vdrive_drain_rate(RbVdrive *self)
{
	guint kbs = self->write_speed_kbs;

	if (kbs == 0)
		kbs = (self->spec->max_speed * 1764 + 5) / 10;
	return (gdouble)kbs * 1000.0 / RB_VDRIVE_MAIN_SIZE *
	       (gdouble)rb_vdrive_block_size((guint8)self->recording_data_block_type);
}

/* how long a real-time drive still records when the host stops sending:
 * what is left in its buffer at the recording speed (a fast drive has
 * recorded everything already) */
static guint
rb_vdrive_drain_ms(RbVdrive *self)
{
	gdouble rate;
	gdouble left;

	if (!self->spec->realtime)
		return 0;
	rate = rb_vdrive_drain_rate(self);
	left = self->buffer_bytes -
	       (gdouble)(g_get_monotonic_time() - self->buffer_time_us) / G_USEC_PER_SEC * rate;
	if (left <= 0)
		return 0;
	return (guint)(left / rate * 1000.0) + 1;
}

/* advance the buffer model to now; FALSE if it ran dry without BUFE */
static gboolean
rb_vdrive_buffer_update(RbVdrive *self)
{
	gint64 now = g_get_monotonic_time();
	gdouble drained;

	if (!self->spec->realtime || !self->recording)
		return TRUE;
	drained =
		(gdouble)(now - self->buffer_time_us) / G_USEC_PER_SEC * rb_vdrive_drain_rate(self);
	self->buffer_time_us = now;
	if (drained <= self->buffer_bytes) {
		self->buffer_bytes -= drained;
		return TRUE;
	}
	self->buffer_bytes = 0;
	/* the laser starts with the first data: no underrun before it */
	if (self->report.sectors_written == 0)
		return TRUE;
	/* an underrun if a WRITE comes now (rb_vdrive_cmd_write counts it) */
	self->buffer_dry = TRUE;
	return rb_vdrive_bufe(self);
}

static gboolean
rb_vdrive_fault_in_range(gint32 fault_lba, gint32 first, guint blocks)
{
	return fault_lba != RB_VDRIVE_FAULT_OFF && fault_lba >= first &&
	       fault_lba < first + (gint32)blocks;
}

void
rb_vdrive_cmd_write(
	RbVdrive *self, const guint8 *cdb, const guint8 *buf, gsize len, RbMmcResult *result)
{
	gint32 lba = (gint32)rb_vdrive_get_be32(cdb + 2);
	guint16 blocks = rb_vdrive_get_be16(cdb + 7);
	guint8 data_block_type = self->page05[4] & 0x0F;
	gsize block_size;
	gboolean buffer_ok;

	if (!rb_vdrive_check_ready(self, result))
		return;
	/* raw needs its write parameters first; this drive records nothing else */
	if (!self->write_params_set || (self->page05[2] & 0x0F) != RB_MMC_WRITE_TYPE_RAW) {
		rb_vdrive_set_sense(
			result, RB_SENSE_ILLEGAL_REQUEST, RB_ASC_COMMAND_SEQUENCE_ERROR, 0);
		return;
	}
	if (self->recording_failed) {
		rb_vdrive_set_sense(result, RB_SENSE_MEDIUM_ERROR, RB_ASC_WRITE_ERROR, 0x00);
		return;
	}
	block_size = rb_vdrive_block_size(self->recording ? (guint8)self->recording_data_block_type
							  : data_block_type);
	if (blocks == 0 || len != blocks * block_size) {
		rb_vdrive_set_sense(
			result, RB_SENSE_ILLEGAL_REQUEST, RB_ASC_INVALID_FIELD_IN_CDB, 0);
		return;
	}
	if (!self->recording) {
		/* a raw recording starts exactly at the lead-in, on a blank disc */
		if (self->disc_status != RB_VDRIVE_DISC_BLANK || lba != self->info.leadin_start) {
			rb_vdrive_set_sense(result,
					    RB_SENSE_ILLEGAL_REQUEST,
					    RB_ASC_LBA_OUT_OF_RANGE,
					    RB_ASCQ_INVALID_ADDRESS_FOR_WRITE);
			return;
		}
		/* nothing of a test write before (which left the disc blank) may
		 * reach the judge of this recording */
		rb_vdrive_recording_clear(self);
		self->recording = TRUE;
		/* from the first sector on the disc is no longer blank, until a
		 * test write ends and leaves it as it was */
		self->disc_status = RB_VDRIVE_DISC_INCOMPLETE;
		self->recording_data_block_type = data_block_type;
		self->recording_test_write = (self->page05[2] & 0x10) != 0;
		self->report.test_write = self->recording_test_write;
		self->next_lba = lba;
		self->report.first_lba = lba;
		self->buffer_time_us = g_get_monotonic_time();
		self->buffer_bytes = 0;
	} else if (lba != self->next_lba) {
		rb_vdrive_set_sense(result,
				    RB_SENSE_ILLEGAL_REQUEST,
				    RB_ASC_LBA_OUT_OF_RANGE,
				    RB_ASCQ_INVALID_ADDRESS_FOR_WRITE);
		return;
	}
	if ((gint64)lba + blocks >
	    (gint64)self->info.last_leadout_start + RB_VDRIVE_LEADOUT_SECTORS) {
		rb_vdrive_set_sense(
			result, RB_SENSE_ILLEGAL_REQUEST, RB_ASC_LBA_OUT_OF_RANGE, 0x00);
		return;
	}

	/* injected faults, in the order a drive would meet them */
	if (self->faults.not_ready_after_lba != RB_VDRIVE_FAULT_OFF &&
	    lba > self->faults.not_ready_after_lba) {
		self->not_ready_left = self->faults.not_ready_count;
		self->faults.not_ready_after_lba = RB_VDRIVE_FAULT_OFF;
	}
	if (self->not_ready_left > 0) {
		self->not_ready_left--;
		rb_vdrive_set_sense(
			result, RB_SENSE_NOT_READY, RB_ASC_NOT_READY, RB_ASCQ_LONG_WRITE);
		return;
	}
	if (rb_vdrive_fault_in_range(self->faults.remove_media_at_lba, lba, blocks)) {
		self->faults.remove_media_at_lba = RB_VDRIVE_FAULT_OFF;
		self->media = RB_VIRTUAL_MEDIA_NONE;
		self->recording = FALSE;
		rb_vdrive_set_sense(result, RB_SENSE_NOT_READY, RB_ASC_MEDIUM_NOT_PRESENT, 0x00);
		return;
	}
	if (rb_vdrive_fault_in_range(self->faults.write_error_at_lba, lba, blocks)) {
		gint32 failed_lba = self->faults.write_error_at_lba;

		self->faults.write_error_at_lba = RB_VDRIVE_FAULT_OFF;
		self->recording_failed = TRUE;
		rb_vdrive_set_sense(result, RB_SENSE_MEDIUM_ERROR, RB_ASC_WRITE_ERROR, 0x00);
		/* drives name the block that failed in the INFORMATION field (SPC
		 * fixed sense bytes 3-6, VALID set), as cdrdao and wodim print it */
		rb_vdrive_set_sense_information(result, failed_lba);
		return;
	}

	buffer_ok = rb_vdrive_buffer_update(self);
	/* counted with BUFE too, where the drive stops the laser and resumes
	 * seamlessly: a host that starves its drive must be seen, once per time
	 * its next WRITE found the buffer dry, however often it asked meanwhile
	 * (running dry after the last WRITE is the end of the recording) */
	if (self->buffer_dry)
		self->report.underruns++;
	if (!buffer_ok) {
		self->recording_failed = TRUE;
		rb_vdrive_set_sense(result,
				    RB_SENSE_MEDIUM_ERROR,
				    RB_ASC_WRITE_ERROR,
				    RB_ASCQ_LOSS_OF_STREAMING);
		return;
	}
	/* a full buffer: like most drives, hold the command until there is room
	 * (hosts that cannot retry, such as cdrdao's raw driver, need this);
	 * the 02/04/08 answer of other drives is an injectable fault. Held
	 * until a few WRITEs more fit, so that a paced burn wakes the thread
	 * once per few WRITEs instead of once per WRITE */
	if (self->spec->realtime && self->buffer_bytes + (gdouble)len > RB_VDRIVE_BUFFER_SIZE) {
		/* the slack at most 50 ms of recording: the drive's lock is
		 * held meanwhile, and a report asked for waits for it */
		gdouble excess = self->buffer_bytes + (gdouble)len - RB_VDRIVE_BUFFER_SIZE +
				 MIN(RB_VDRIVE_HOLD_SLACK, rb_vdrive_drain_rate(self) / 20);
		g_usleep((gulong)(excess / rb_vdrive_drain_rate(self) * G_USEC_PER_SEC) + 1);
		rb_vdrive_buffer_update(self);
	}
	if (!rb_vdrive_store_write(self, lba, buf, blocks)) {
		self->recording_failed = TRUE;
		rb_vdrive_set_sense(result, RB_SENSE_HARDWARE_ERROR, 0x44, 0x00);
		return;
	}
	self->buffer_bytes += (gdouble)len;
	self->buffer_dry = FALSE;
	self->next_lba = lba + blocks;
	self->report.sectors_written += blocks;
	result->residual = 0;
}

void
rb_vdrive_cmd_synchronize_cache(RbVdrive *self, const guint8 *cdb, RbMmcResult *result)
{
	gboolean immediate = (cdb[1] & 0x02) != 0;
	guint drain_ms;

	if (!rb_vdrive_check_ready(self, result))
		return;
	if (!self->recording)
		return; /* nothing cached */
	self->recording = FALSE;
	/* the host has sent everything: running dry now is the end, not an underrun */
	if (self->recording_failed) {
		self->disc_status = RB_VDRIVE_DISC_INCOMPLETE;
		rb_vdrive_set_sense(result,
				    RB_SENSE_MEDIUM_ERROR,
				    RB_ASC_WRITE_ERROR,
				    RB_ASCQ_LOSS_OF_STREAMING);
		return;
	}
	drain_ms = rb_vdrive_drain_ms(self);
	rb_vdrive_check_finish(self);
	if (self->recording_test_write) {
		self->disc_status = RB_VDRIVE_DISC_BLANK;
	} else {
		/* without a lead-out the disc stays unfinished, as after a real aborted burn */
		self->disc_status = self->leadout_start != G_MININT32 ? RB_VDRIVE_DISC_COMPLETE
								      : RB_VDRIVE_DISC_INCOMPLETE;
	}
	self->report.complete = self->disc_status == RB_VDRIVE_DISC_COMPLETE;
	/* the drive writes out its buffer and, in raw mode, nothing else: the
	 * host wrote lead-in and lead-out itself (mmc-notes §3.4), so there is
	 * no lead-out or TOC to add as in TAO. FinishingMilliseconds (the
	 * spec's 2 s by default with Realtime) is how long it stays busy, but
	 * never less than its buffer takes to empty */
	rb_vdrive_start_long_operation(self,
				       MAX(drain_ms, self->finishing_ms) +
					       self->faults.long_write_ms,
				       RB_ASCQ_LONG_WRITE,
				       immediate);
}

void
rb_vdrive_cmd_read_buffer_capacity(
	RbVdrive *self, const guint8 *cdb, guint8 *buf, gsize len, RbMmcResult *result)
{
	guint8 data[12] = {0};

	if ((cdb[1] & 0x01) != 0) {
		rb_vdrive_set_sense(
			result, RB_SENSE_ILLEGAL_REQUEST, RB_ASC_INVALID_FIELD_IN_CDB, 0);
		return;
	}
	rb_vdrive_buffer_update(self);
	rb_vdrive_put_be16(data, sizeof(data) - 2);
	rb_vdrive_put_be32(data + 4, RB_VDRIVE_BUFFER_SIZE);
	rb_vdrive_put_be32(data + 8,
			   (guint32)(RB_VDRIVE_BUFFER_SIZE - (guint32)self->buffer_bytes));
	rb_vdrive_reply(result, buf, len, rb_vdrive_get_be16(cdb + 7), data, sizeof(data));
}

/*
 * How long a BLANK takes: the sectors the drive rewrites at its write
 * speed. Full: every sector from the lead-in to the end of the longest
 * lead-out (90 s past the last possible lead-out start). Minimal: the PMA,
 * the lead-in and the first track's pregap (cdrdao GenericMMC::blankDisk:
 * "erase PMA, lead-in and 1st track's pre-gap"); the PMA, a few hundred
 * sectors, is not counted.
 */
static guint
rb_vdrive_blank_ms(RbVdrive *self, gboolean full)
{
	guint kbs = self->write_speed_kbs;
	gint64 sectors = -(gint64)self->info.leadin_start + 150;
	gdouble sectors_per_second;

	if (full)
		sectors = -(gint64)self->info.leadin_start + self->info.last_leadout_start + 6750;
	if (kbs == 0)
		kbs = (self->spec->max_speed * 1764 + 5) / 10;
	sectors_per_second = (gdouble)kbs * 1000.0 / RB_VDRIVE_MAIN_SIZE;
	return (guint)((gdouble)sectors * 1000.0 / MAX(sectors_per_second, 1.0));
}

void
rb_vdrive_cmd_blank(RbVdrive *self, const guint8 *cdb, RbMmcResult *result)
{
	guint8 type = cdb[1] & 0x07;

	if (!rb_vdrive_check_ready(self, result))
		return;
	if (!self->info.rewritable) {
		rb_vdrive_set_sense(result, RB_SENSE_ILLEGAL_REQUEST, RB_ASC_ILLEGAL_MODE, 0x00);
		return;
	}
	/* full (0) and minimal (1) blanking are what CD-RW recorders offer */
	if (type > 1) {
		rb_vdrive_set_sense(
			result, RB_SENSE_ILLEGAL_REQUEST, RB_ASC_INVALID_FIELD_IN_CDB, 0);
		return;
	}
	/* a fresh report: the old recording is gone; which blank made the disc
	 * blank stays in it, so that a test tells a full blank from a minimal
	 * one without timing it */
	rb_vdrive_media_reset(self);
	self->report.last_blank = type == 0 ? RB_VDRIVE_BLANK_FULL : RB_VDRIVE_BLANK_MINIMAL;
	/* a drive blanks at its writing speed; a fast test drive at once */
	rb_vdrive_start_long_operation(self,
				       self->spec->realtime ? rb_vdrive_blank_ms(self, type == 0)
							    : 0,
				       RB_ASCQ_OPERATION_IN_PROGRESS,
				       (cdb[1] & 0x10) != 0);
}
