/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The emulated recorder: its life cycle, the command dispatcher and the
 * controls tests and the VirtualRecorder interface use. The command groups
 * live in rb-vdrive-identity.c, rb-vdrive-disc.c and rb-vdrive-recorder.c.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbVdrive"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "rb-error.h"
#include "rb-vdrive-private.h"

G_DEFINE_TYPE(RbVdrive, rb_vdrive, G_TYPE_OBJECT)

static void
rb_vdrive_finalize(GObject *object)
{
	RbVdrive *self = RB_VDRIVE(object);

	if (self->fd >= 0)
		close(self->fd);
	g_clear_pointer(&self->toc, g_array_unref);
	g_clear_pointer(&self->track_starts, g_array_unref);
	g_clear_pointer(&self->track_ctl, g_array_unref);
	g_clear_pointer(&self->cdtext, g_free);
	g_clear_pointer(&self->store_buffer, g_free);
	rb_virtual_spec_free(self->spec);
	g_mutex_clear(&self->mutex);
	G_OBJECT_CLASS(rb_vdrive_parent_class)->finalize(object);
}

static void
rb_vdrive_class_init(RbVdriveClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = rb_vdrive_finalize;
}

static void
rb_vdrive_init(RbVdrive *self)
{
	g_mutex_init(&self->mutex);
	self->fd = -1;
	self->toc = g_array_new(FALSE, TRUE, sizeof(RbVdriveTocEntry));
	self->track_starts = g_array_new(FALSE, TRUE, sizeof(gint32));
	self->track_ctl = g_array_new(FALSE, TRUE, sizeof(guint8));
	self->store_buffer = g_malloc((gsize)RB_VDRIVE_STORE_BLOCKS * RB_VDRIVE_STORED_SIZE);
	rb_vdrive_faults_init(&self->faults);
}

void
rb_vdrive_faults_init(RbVdriveFaults *faults)
{
	faults->write_error_at_lba = RB_VDRIVE_FAULT_OFF;
	faults->not_ready_after_lba = RB_VDRIVE_FAULT_OFF;
	faults->not_ready_count = 0;
	faults->remove_media_at_lba = RB_VDRIVE_FAULT_OFF;
	faults->timeout_at_lba = RB_VDRIVE_FAULT_OFF;
	faults->corrupt_at_lba = RB_VDRIVE_FAULT_OFF;
	faults->bad_q_crc_at_lba = RB_VDRIVE_FAULT_OFF;
	faults->unreadable_at_lba = RB_VDRIVE_FAULT_OFF;
	faults->refuse_pregap_read = FALSE;
	faults->stale_toc = FALSE;
	faults->long_write_ms = 0;
}

RbVdrive *
rb_vdrive_new(const RbVirtualSpec *spec)
{
	RbVdrive *self = g_object_new(RB_TYPE_VDRIVE, NULL);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *path = NULL;

	self->spec = rb_virtual_spec_new();
	self->spec->media = spec->media;
	self->spec->max_speed = spec->max_speed;
	self->spec->realtime = spec->realtime;
	self->spec->test_write = spec->test_write;
	self->spec->name = g_strdup(spec->name);
	self->media = spec->media;
	self->write_speed_kbs = 0; /* fastest */
	/* a real-time drive writes out its buffer after SYNCHRONIZE CACHE;
	 * FinishingMilliseconds is anything on top */
	self->finishing_ms = spec->realtime ? RB_VDRIVE_FINISHING_MS_REALTIME : 0;

	/* the disc lives in a file: the caller's, or an unlinked one (sparse,
	 * and no memory for a full CD) */
	if (spec->backing_fd >= 0) {
		self->fd = dup(spec->backing_fd);
	} else {
		self->fd = g_file_open_tmp("rawburn-disc-XXXXXX", &path, &error);
		if (self->fd >= 0)
			g_unlink(path);
	}
	if (self->fd < 0)
		g_warning("the virtual disc has no backing file: %s",
			  error != NULL ? error->message : g_strerror(errno));
	rb_vdrive_reset_write_parameters(self);
	rb_vdrive_media_reset(self);
	return self;
}

void
rb_vdrive_set_sense(RbMmcResult *result, guint8 key, guint8 asc, guint8 ascq)
{
	result->status = RB_SCSI_STATUS_CHECK_CONDITION;
	memset(result->sense, 0, sizeof(result->sense));
	result->sense[0] = 0x70;
	result->sense[2] = key;
	result->sense[7] = 10;
	result->sense[12] = asc;
	result->sense[13] = ascq;
	result->sense_len = 18;
}

void
rb_vdrive_set_sense_information(RbMmcResult *result, gint32 information)
{
	result->sense[0] |= 0x80;
	rb_vdrive_put_be32(result->sense + 3, (guint32)information);
}

/* copy a reply into the host's buffer, truncated to the CDB's allocation
 * length and to the buffer */
void
rb_vdrive_reply(RbMmcResult *result,
		guint8 *buffer,
		gsize buffer_len,
		gsize allocation_length,
		const guint8 *data,
		gsize data_len)
{
	gsize n = MIN(MIN(buffer_len, allocation_length), data_len);

	if (n > 0)
		memcpy(buffer, data, n);
	result->residual = buffer_len - n;
}

/* the checks every medium access command makes first */
gboolean
rb_vdrive_check_ready(RbVdrive *self, RbMmcResult *result)
{
	if (self->unit_attention) {
		self->unit_attention = FALSE;
		rb_vdrive_set_sense(result, RB_SENSE_UNIT_ATTENTION, 0x28, 0x00);
		return FALSE;
	}
	if (self->tray_open) {
		rb_vdrive_set_sense(result, RB_SENSE_NOT_READY, 0x3A, 0x02);
		return FALSE;
	}
	if (self->media == RB_VIRTUAL_MEDIA_NONE) {
		rb_vdrive_set_sense(result, RB_SENSE_NOT_READY, 0x3A, 0x01);
		return FALSE;
	}
	return TRUE;
}

/*
 * A long operation (flushing after SYNCHRONIZE CACHE, blanking): with Immed
 * the command returns at once and TEST UNIT READY answers 02/04/xx until it
 * is over, with the progress in the sense-key specific bytes (SKSV, bytes
 * 16-17 out of 65536; libburn spc_test_unit_ready_r reads them there);
 * without Immed the command itself takes that long, as with cdrdao's and
 * wodim's SYNCHRONIZE CACHE (mmc-notes §3.4).
 */
void
rb_vdrive_start_long_operation(RbVdrive *self, guint duration_ms, guint8 ascq, gboolean immediate)
{
	if (duration_ms == 0)
		return;
	self->finishing_start_us = g_get_monotonic_time();
	self->finishing_end_us = self->finishing_start_us + (gint64)duration_ms * 1000;
	self->finishing_ascq = ascq;
	if (!immediate) {
		/* the command takes that long; meanwhile the drive answers others
		 * "not ready", and whoever only wants to set a fault or read the
		 * report is not held up */
		g_mutex_unlock(&self->mutex);
		g_usleep((gulong)duration_ms * 1000);
		g_mutex_lock(&self->mutex);
	}
}

gboolean
rb_vdrive_long_operation_running(RbVdrive *self)
{
	return self->finishing_end_us > g_get_monotonic_time();
}

static void
rb_vdrive_set_long_operation_sense(RbVdrive *self, RbMmcResult *result)
{
	gint64 total = self->finishing_end_us - self->finishing_start_us;
	gint64 done = g_get_monotonic_time() - self->finishing_start_us;
	guint16 progress = (guint16)CLAMP(done * 65536 / MAX(total, 1), 0, 65535);

	rb_vdrive_set_sense(result, RB_SENSE_NOT_READY, 0x04, self->finishing_ascq);
	result->sense[15] = 0x80;
	rb_vdrive_put_be16(result->sense + 16, progress);
}

static void
rb_vdrive_cmd_test_unit_ready(RbVdrive *self, RbMmcResult *result)
{
	if (!rb_vdrive_check_ready(self, result))
		return;
	if (rb_vdrive_long_operation_running(self))
		rb_vdrive_set_long_operation_sense(self, result);
}

static void
rb_vdrive_cmd_request_sense(
	RbVdrive *self, const guint8 *cdb, guint8 *buf, gsize len, RbMmcResult *result)
{
	RbMmcResult state = {0};
	guint8 sense[18] = {0x70, 0, RB_SENSE_NO_SENSE, 0, 0, 0, 0, 10};

	/* autosense already delivered each error: report the current state */
	if (self->tray_open || self->media == RB_VIRTUAL_MEDIA_NONE) {
		rb_vdrive_set_sense(
			&state, RB_SENSE_NOT_READY, 0x3A, self->tray_open ? 0x02 : 0x01);
		memcpy(sense, state.sense, sizeof(sense));
	} else if (rb_vdrive_long_operation_running(self)) {
		rb_vdrive_set_long_operation_sense(self, &state);
		memcpy(sense, state.sense, sizeof(sense));
	}
	rb_vdrive_reply(result, buf, len, cdb[4], sense, sizeof(sense));
}

static void
rb_vdrive_cmd_start_stop_unit(RbVdrive *self, const guint8 *cdb, RbMmcResult *result)
{
	gboolean load_eject = (cdb[4] & 0x02) != 0;
	gboolean start = (cdb[4] & 0x01) != 0;

	if (!load_eject)
		return; /* spin up or down: nothing to emulate */
	if (!start) {
		if (self->prevent_removal) {
			rb_vdrive_set_sense(result, RB_SENSE_ILLEGAL_REQUEST, 0x53, 0x02);
			return;
		}
		self->tray_open = TRUE;
		return;
	}
	if (self->tray_open) {
		self->tray_open = FALSE;
		/* the disc survives an eject and load cycle, as a real one does */
		if (self->media != RB_VIRTUAL_MEDIA_NONE)
			self->unit_attention = TRUE;
	}
}

static void
rb_vdrive_cmd_prevent_allow(RbVdrive *self, const guint8 *cdb, RbMmcResult *result)
{
	self->prevent_removal = (cdb[4] & 0x01) != 0;
}

static void
rb_vdrive_cmd_send_opc(RbVdrive *self, const guint8 *cdb, RbMmcResult *result)
{
	if (!rb_vdrive_check_ready(self, result))
		return;
	/* nothing to calibrate: an emulated laser is always right */
}

/* expected CDB length per opcode group (SPC): 6, 10, 10, reserved, 16, 12 */
static gsize
rb_vdrive_cdb_length_for(guint8 opcode)
{
	switch (opcode >> 5) {
	case 0:
		return 6;
	case 1:
	case 2:
		return 10;
	case 4:
		return 16;
	case 5:
		return 12;
	default:
		return 0;
	}
}

gboolean
rb_vdrive_execute(RbVdrive *self,
		  const guint8 *cdb,
		  gsize cdb_len,
		  RbMmcDirection direction,
		  guint8 *buffer,
		  gsize buffer_len,
		  RbMmcResult *result)
{
	g_autoptr(GMutexLocker) locker = NULL;
	gsize expected_len;
	guint8 *in = direction == RB_MMC_DIR_IN ? buffer : NULL;
	gsize in_len = direction == RB_MMC_DIR_IN ? buffer_len : 0;
	const guint8 *out = direction == RB_MMC_DIR_OUT ? buffer : NULL;
	gsize out_len = direction == RB_MMC_DIR_OUT ? buffer_len : 0;

	g_return_val_if_fail(RB_IS_VDRIVE(self), TRUE);
	g_return_val_if_fail(cdb != NULL && result != NULL, TRUE);

	locker = g_mutex_locker_new(&self->mutex);
	self->command_counts[cdb[0]]++;
	memset(result, 0, sizeof(*result));
	result->residual = buffer_len;
	if (in != NULL)
		memset(in, 0, in_len);

	/* a short CDB is an invalid command to a drive, never a crash */
	expected_len = rb_vdrive_cdb_length_for(cdb[0]);
	if (cdb_len < 6 || (expected_len != 0 && cdb_len < expected_len)) {
		rb_vdrive_set_sense(result, RB_SENSE_ILLEGAL_REQUEST, 0x20, 0x00);
		return TRUE;
	}

	switch (cdb[0]) {
	case RB_MMC_TEST_UNIT_READY:
		rb_vdrive_cmd_test_unit_ready(self, result);
		break;
	case RB_MMC_REQUEST_SENSE:
		rb_vdrive_cmd_request_sense(self, cdb, in, in_len, result);
		break;
	case RB_MMC_INQUIRY:
		rb_vdrive_cmd_inquiry(self, cdb, in, in_len, result);
		break;
	case RB_MMC_START_STOP_UNIT:
		rb_vdrive_cmd_start_stop_unit(self, cdb, result);
		break;
	case RB_MMC_PREVENT_ALLOW_MEDIUM_REMOVAL:
		rb_vdrive_cmd_prevent_allow(self, cdb, result);
		break;
	case RB_MMC_GET_CONFIGURATION:
		rb_vdrive_cmd_get_configuration(self, cdb, in, in_len, result);
		break;
	case RB_MMC_MODE_SENSE_10:
		rb_vdrive_cmd_mode_sense(self, cdb, in, in_len, result);
		break;
	case RB_MMC_MODE_SELECT_10:
		rb_vdrive_cmd_mode_select(self, cdb, out, out_len, result);
		break;
	case RB_MMC_GET_PERFORMANCE:
		rb_vdrive_cmd_get_performance(self, cdb, in, in_len, result);
		break;
	case RB_MMC_SET_CD_SPEED:
		rb_vdrive_cmd_set_cd_speed(self, cdb, result);
		break;
	case RB_MMC_SEND_OPC_INFORMATION:
		rb_vdrive_cmd_send_opc(self, cdb, result);
		break;
	case RB_MMC_READ_DISC_INFORMATION:
		rb_vdrive_cmd_read_disc_information(self, cdb, in, in_len, result);
		break;
	case RB_MMC_READ_TRACK_INFORMATION:
		rb_vdrive_cmd_read_track_information(self, cdb, in, in_len, result);
		break;
	case RB_MMC_READ_TOC_PMA_ATIP:
		rb_vdrive_cmd_read_toc(self, cdb, in, in_len, result);
		break;
	case RB_MMC_READ_CD:
		rb_vdrive_cmd_read_cd(self, cdb, in, in_len, result);
		break;
	case RB_MMC_REZERO_UNIT:
		rb_vdrive_cmd_rezero_unit(self, result);
		break;
	case RB_MMC_READ_CAPACITY:
		rb_vdrive_cmd_read_capacity(self, cdb, in, in_len, result);
		break;
	case RB_MMC_READ_10:
		rb_vdrive_cmd_read_10(self, cdb, in, in_len, result);
		break;
	case RB_MMC_READ_SUB_CHANNEL:
		rb_vdrive_cmd_read_subchannel(self, cdb, in, in_len, result);
		break;
	case RB_MMC_WRITE_10: {
		gint32 first = (gint32)rb_vdrive_get_be32(cdb + 2);
		guint16 blocks = rb_vdrive_get_be16(cdb + 7);
		gint32 timeout_lba = self->faults.timeout_at_lba;

		if (timeout_lba != RB_VDRIVE_FAULT_OFF && timeout_lba >= first &&
		    timeout_lba < first + blocks) {
			self->faults.timeout_at_lba = RB_VDRIVE_FAULT_OFF;
			return FALSE;
		}
		rb_vdrive_cmd_write(self, cdb, out, out_len, result);
		break;
	}
	case RB_MMC_SYNCHRONIZE_CACHE:
		rb_vdrive_cmd_synchronize_cache(self, cdb, result);
		break;
	case RB_MMC_READ_BUFFER_CAPACITY:
		rb_vdrive_cmd_read_buffer_capacity(self, cdb, in, in_len, result);
		break;
	case RB_MMC_BLANK:
		rb_vdrive_cmd_blank(self, cdb, result);
		break;
	default:
		/* the commands a program tried that this drive lacks */
		g_debug("opcode %02Xh: invalid command operation code", cdb[0]);
		rb_vdrive_set_sense(result, RB_SENSE_ILLEGAL_REQUEST, 0x20, 0x00);
	}
	return TRUE;
}

gboolean
rb_vdrive_insert_media(RbVdrive *self, RbVirtualMedia media, GError **error)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->mutex);

	if (media == RB_VIRTUAL_MEDIA_NONE) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_ARGUMENT,
			    _("Insert a medium kind such as cd-r-80, not “none”; use RemoveMedia "
			      "to empty the drive."));
		return FALSE;
	}
	if (self->recording) {
		rb_error_set_default(error, RB_ERROR_WRITE_IN_PROGRESS);
		return FALSE;
	}
	self->media = media;
	self->tray_open = FALSE;
	self->unit_attention = TRUE;
	rb_vdrive_media_reset(self);
	return TRUE;
}

gboolean
rb_vdrive_remove_media(RbVdrive *self, GError **error)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->mutex);

	if (self->prevent_removal) {
		rb_error_set(error,
			     RB_ERROR_LOCKED,
			     "%s",
			     _("The medium is locked in the drive; release it first."));
		return FALSE;
	}
	self->media = RB_VIRTUAL_MEDIA_NONE;
	rb_vdrive_media_reset(self);
	return TRUE;
}

RbVirtualMedia
rb_vdrive_get_media(RbVdrive *self)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->mutex);
	return self->media;
}

gint32
rb_vdrive_get_leadin_start(RbVdrive *self)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->mutex);
	return self->info.leadin_start;
}

gint32
rb_vdrive_get_last_leadout_start(RbVdrive *self)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->mutex);
	return self->info.last_leadout_start;
}

void
rb_vdrive_get_report(RbVdrive *self, RbVdriveReport *report)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->mutex);
	*report = self->report;
}

void
rb_vdrive_set_faults(RbVdrive *self, const RbVdriveFaults *faults)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->mutex);
	self->faults = *faults;
	self->not_ready_left = 0;
}

/* every written sector as 2448 bytes (main + raw P-W), from the lead-in start */
gboolean
rb_vdrive_export_image(RbVdrive *self, gint fd, GError **error)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->mutex);
	guint8 block[RB_VDRIVE_STORED_SIZE];

	if (self->report.sectors_written == 0) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_NOT_FOUND,
			    _("Nothing was recorded on this virtual disc; burn an image first."));
		return FALSE;
	}
	if (self->report.test_write) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_NOT_FOUND,
			    _("Nothing was recorded on this virtual disc: the last burn was a "
			      "simulation (test write); burn it without simulating first."));
		return FALSE;
	}
	for (gint32 lba = self->report.first_lba; lba < self->next_lba; lba++) {
		gsize done = 0;

		if (!rb_vdrive_read_stored(self, lba, block)) {
			g_set_error(error,
				    G_IO_ERROR,
				    G_IO_ERROR_FAILED,
				    _("Cannot read LBA %d of the virtual disc."),
				    lba);
			return FALSE;
		}
		while (done < sizeof(block)) {
			gssize n = write(fd, block + done, sizeof(block) - done);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				g_set_error(error,
					    G_IO_ERROR,
					    g_io_error_from_errno(errno),
					    _("Cannot write the image: %s; pass a writable file "
					      "descriptor."),
					    g_strerror(errno));
				return FALSE;
			}
			done += (gsize)n;
		}
	}
	return TRUE;
}

void
rb_vdrive_set_finishing_ms(RbVdrive *self, guint finishing_ms)
{
	g_autoptr(GMutexLocker) locker = NULL;

	g_return_if_fail(RB_IS_VDRIVE(self));
	locker = g_mutex_locker_new(&self->mutex);
	self->finishing_ms = finishing_ms;
}

guint
rb_vdrive_get_finishing_ms(RbVdrive *self)
{
	g_autoptr(GMutexLocker) locker = NULL;

	g_return_val_if_fail(RB_IS_VDRIVE(self), 0);
	locker = g_mutex_locker_new(&self->mutex);
	return self->finishing_ms;
}

/* how many commands with @opcode the drive received */
guint
rb_vdrive_get_command_count(RbVdrive *self, guint8 opcode)
{
	g_autoptr(GMutexLocker) locker = NULL;

	g_return_val_if_fail(RB_IS_VDRIVE(self), 0);
	locker = g_mutex_locker_new(&self->mutex);
	return self->command_counts[opcode];
}

/* whether PREVENT ALLOW MEDIUM REMOVAL last said prevent */
gboolean
rb_vdrive_get_prevent_removal(RbVdrive *self)
{
	g_autoptr(GMutexLocker) locker = NULL;

	g_return_val_if_fail(RB_IS_VDRIVE(self), FALSE);
	locker = g_mutex_locker_new(&self->mutex);
	return self->prevent_removal;
}
