/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Inserting a written disc: the image rb_vdrive_export_image() writes (one
 * 2448-byte sector, main channel + raw P-W, per LBA) becomes the drive's
 * medium. Every sector goes through the judge as if it had just been
 * recorded, so the TOC, the track starts, the lead-out and the report come
 * from the content and nothing is taken on trust. The fd is read strictly
 * sequentially, so a pipe does as well as a file.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbVdrive"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <inttypes.h>
#include <poll.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rb-error.h"
#include "rb-vdrive-private.h"

/* sectors read per read() round */
#define RB_VDRIVE_LOAD_CHUNK 64
/* a client's pipe that stops giving data must not hold the drive (and the
 * worker thread) for ever: this long without a byte ends the load */
#define RB_VDRIVE_LOAD_STALL_MS 30000

typedef struct {
	gint32 first_lba;
	gint32 end_limit; /* one past the last LBA the medium holds */
} RbVdriveLoadRange;

static gboolean
rb_vdrive_load_check_range(const RbVdriveMediaInfo *info,
			   gint32 first_lba,
			   RbVdriveLoadRange *range,
			   GError **error)
{
	range->first_lba = first_lba == RB_VDRIVE_FAULT_OFF ? info->leadin_start : first_lba;
	/* what a raw recording may cover: lead-in start to the end of a full
	 * lead-out after the last possible lead-out start (as WRITE allows) */
	range->end_limit = info->last_leadout_start + RB_VDRIVE_LEADOUT_SECTORS;
	if (range->first_lba < info->leadin_start || range->first_lba >= 0) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_ARGUMENT,
			    _("The image cannot start at LBA %d: this medium's lead-in starts at "
			      "LBA %d and the program area at 0. Give a first LBA from %d to -1, "
			      "or none for the lead-in start."),
			    range->first_lba,
			    info->leadin_start,
			    info->leadin_start);
		return FALSE;
	}
	return TRUE;
}

static gboolean
rb_vdrive_load_check_size(guint64 size, const RbVdriveLoadRange *range, GError **error)
{
	guint64 sectors = size / RB_VDRIVE_STORED_SIZE;

	if (size % RB_VDRIVE_STORED_SIZE != 0) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_DATA,
			    _("The disc image is %" PRIu64
			      " bytes long, which is not a multiple of %d: give an image of "
			      "2448-byte sectors (2352 main channel + 96 raw P-W), as ExportImage "
			      "writes it."),
			    size,
			    RB_VDRIVE_STORED_SIZE);
		return FALSE;
	}
	if ((gint64)range->first_lba + (gint64)sectors > range->end_limit) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_NO_SPACE,
			    _("The disc image has %" PRIu64
			      " sectors from LBA %d, past the end of this medium at LBA %d: "
			      "choose a larger medium or a shorter image."),
			    sectors,
			    range->first_lba,
			    range->end_limit);
		return FALSE;
	}
	return TRUE;
}

static gboolean
rb_vdrive_load_check_reaches_program(guint64 sectors,
				     const RbVdriveLoadRange *range,
				     GError **error)
{
	if ((gint64)range->first_lba + (gint64)sectors <= 0) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_DATA,
			    _("The disc image ends at LBA %" PRId64
			      " and holds no program area (it starts at LBA 0): give the whole "
			      "disc, lead-in, tracks and lead-out."),
			    (gint64)range->first_lba + (gint64)sectors - 1);
		return FALSE;
	}
	return TRUE;
}

/* reads up to @len bytes; fewer only at the end of the input */
static gssize
rb_vdrive_load_read(gint fd, guint8 *buf, gsize len, GError **error)
{
	gsize done = 0;

	while (done < len) {
		struct pollfd pollfd = {fd, POLLIN, 0};
		gint ready = poll(&pollfd, 1, RB_VDRIVE_LOAD_STALL_MS);
		gssize n;

		if (ready < 0 && errno == EINTR)
			continue;
		if (ready == 0) {
			g_set_error(error,
				    G_IO_ERROR,
				    G_IO_ERROR_TIMED_OUT,
				    _("No data of the disc image arrived for %d s; send the whole "
				      "image without pausing, or pass a file."),
				    RB_VDRIVE_LOAD_STALL_MS / 1000);
			return -1;
		}
		n = read(fd, buf + done, len - done);
		/* EAGAIN: a non-blocking descriptor that poll() woke too early */
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0) {
			gint saved = errno;
			g_set_error(error,
				    G_IO_ERROR,
				    g_io_error_from_errno(saved),
				    _("Cannot read the disc image: %s; pass a readable file "
				      "descriptor."),
				    g_strerror(saved));
			return -1;
		}
		if (n == 0)
			break;
		done += (gsize)n;
	}
	return (gssize)done;
}

/* the most an image may hold: every LBA of the longest medium, from the
 * earliest lead-in start (90:00:00) to 99:59:74 */
#define RB_VDRIVE_LOAD_MAX_SECTORS (100 * 60 * 75 - 90 * 60 * 75 + 450150)

static gboolean
rb_vdrive_load_write_all(gint fd, const guint8 *buf, gsize len, GError **error)
{
	gsize done = 0;

	while (done < len) {
		gssize n = write(fd, buf + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			g_set_error(error,
				    G_IO_ERROR,
				    G_IO_ERROR_FAILED,
				    _("Cannot keep the disc image: %s; free some space in the "
				      "temporary directory."),
				    g_strerror(errno));
			return FALSE;
		}
		done += (gsize)n;
	}
	return TRUE;
}

/* a client's image, copied into an unlinked file of the service's own
 * before the drive is touched: whatever the client does with its end (a
 * slow pipe, a stalled one, an endless one), the drive and its lock are
 * never held waiting for it */
gint
rb_vdrive_load_spool(gint fd, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	g_autofree gchar *path = NULL;
	g_autofree guint8 *buf = g_malloc(RB_VDRIVE_LOAD_CHUNK * RB_VDRIVE_STORED_SIZE);
	guint64 total = 0;
	gint spool = g_file_open_tmp("rawburn-load-XXXXXX", &path, &error_local);

	if (spool < 0) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_FAILED,
			    _("Cannot keep the disc image: %s; free some space in the temporary "
			      "directory."),
			    error_local->message);
		return -1;
	}
	g_unlink(path);
	for (;;) {
		gssize n = rb_vdrive_load_read(
			fd, buf, RB_VDRIVE_LOAD_CHUNK * RB_VDRIVE_STORED_SIZE, error);

		if (n < 0 || (n > 0 && !rb_vdrive_load_write_all(spool, buf, (gsize)n, error))) {
			close(spool);
			return -1;
		}
		total += (guint64)n;
		if (total > (guint64)RB_VDRIVE_LOAD_MAX_SECTORS * RB_VDRIVE_STORED_SIZE) {
			close(spool);
			g_set_error(error,
				    G_IO_ERROR,
				    G_IO_ERROR_NO_SPACE,
				    _("The disc image is longer than any CD (%d sectors of 2448 "
				      "bytes); give the image of one disc."),
				    RB_VDRIVE_LOAD_MAX_SECTORS);
			return -1;
		}
		if ((gsize)n < RB_VDRIVE_LOAD_CHUNK * RB_VDRIVE_STORED_SIZE)
			break;
	}
	if (lseek(spool, 0, SEEK_SET) != 0) {
		close(spool);
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_FAILED,
			    _("Cannot read back the kept disc image: %s."),
			    g_strerror(errno));
		return -1;
	}
	return spool;
}

/* streams the image into the backing file and through the judge; the
 * medium was reset to a blank of the right kind before */
static gboolean
rb_vdrive_load_sectors(RbVdrive *self, gint fd, const RbVdriveLoadRange *range, GError **error)
{
	g_autofree guint8 *buf = g_malloc(RB_VDRIVE_LOAD_CHUNK * RB_VDRIVE_STORED_SIZE);
	guint64 total = 0;
	gint32 lba = range->first_lba;

	for (;;) {
		gssize n = rb_vdrive_load_read(
			fd, buf, RB_VDRIVE_LOAD_CHUNK * RB_VDRIVE_STORED_SIZE, error);
		guint sectors;

		if (n < 0)
			return FALSE;
		total += (guint64)n;
		/* a short read is the end: a partial sector is refused below */
		sectors = (guint)((gsize)n / RB_VDRIVE_STORED_SIZE);
		if (!rb_vdrive_load_check_size((guint64)(lba - range->first_lba + (gint64)sectors) *
						       RB_VDRIVE_STORED_SIZE,
					       range,
					       error))
			return FALSE;
		for (guint i = 0; i < sectors; i++) {
			const guint8 *sector = buf + (gsize)i * RB_VDRIVE_STORED_SIZE;

			rb_vdrive_check_sector(self, lba, sector);
			if (!rb_vdrive_store_sector(self, lba, sector)) {
				g_set_error(error,
					    G_IO_ERROR,
					    G_IO_ERROR_FAILED,
					    _("Cannot store LBA %d of the virtual disc: %s; "
					      "free some space for the drive's backing file."),
					    lba,
					    g_strerror(errno));
				return FALSE;
			}
			lba++;
		}
		if ((gsize)n < RB_VDRIVE_LOAD_CHUNK * RB_VDRIVE_STORED_SIZE)
			break;
	}
	if (!rb_vdrive_load_check_size(total, range, error) ||
	    !rb_vdrive_load_check_reaches_program(total / RB_VDRIVE_STORED_SIZE, range, error))
		return FALSE;
	self->report.sectors_written = total / RB_VDRIVE_STORED_SIZE;
	self->next_lba = lba;
	return TRUE;
}

gboolean
rb_vdrive_load_disc(RbVdrive *self, gint fd, RbVirtualMedia media, gint32 first_lba, GError **error)
{
	g_autoptr(GMutexLocker) locker = NULL;
	RbVdriveMediaInfo info;
	RbVdriveLoadRange range;
	struct stat st;

	g_return_val_if_fail(RB_IS_VDRIVE(self), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	locker = g_mutex_locker_new(&self->mutex);
	if (self->recording) {
		rb_error_set_default(error, RB_ERROR_WRITE_IN_PROGRESS);
		return FALSE;
	}
	if (self->prevent_removal) {
		rb_error_set(error,
			     RB_ERROR_LOCKED,
			     "%s",
			     _("The medium is locked in the drive; release it before loading "
			       "another disc."));
		return FALSE;
	}
	if (!rb_vdrive_media_info_for(media, &info)) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_ARGUMENT,
			    _("Load a disc on a medium kind such as cd-r-80, not “none”."));
		return FALSE;
	}
	if (!rb_vdrive_load_check_range(&info, first_lba, &range, error))
		return FALSE;
	/* a file's size is known: refuse a bad one before the disc is touched */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		off_t at = lseek(fd, 0, SEEK_CUR);
		guint64 left = (guint64)st.st_size - (guint64)MAX(at, 0);

		if (!rb_vdrive_load_check_size(left, &range, error) ||
		    !rb_vdrive_load_check_reaches_program(
			    left / RB_VDRIVE_STORED_SIZE, &range, error))
			return FALSE;
	}

	/* the old disc goes; a fresh blank of the new kind takes the content */
	self->media = media;
	self->tray_open = FALSE;
	rb_vdrive_media_reset(self);
	/* what the judge checks the Q CRCs against: raw P-W, Red Book CRC */
	self->recording_data_block_type = RB_MMC_DBT_RAW_PW;
	self->report.first_lba = range.first_lba;
	self->next_lba = range.first_lba;
	if (!rb_vdrive_load_sectors(self, fd, &range, error)) {
		/* a half-read disc is no disc: the drive is left empty */
		self->media = RB_VIRTUAL_MEDIA_NONE;
		rb_vdrive_media_reset(self);
		self->unit_attention = TRUE;
		return FALSE;
	}
	rb_vdrive_check_finish(self);
	/* without a lead-out the disc reads as unfinished, as after an aborted burn */
	self->disc_status = self->leadout_start != G_MININT32 ? RB_VDRIVE_DISC_COMPLETE
							      : RB_VDRIVE_DISC_INCOMPLETE;
	self->report.complete = self->disc_status == RB_VDRIVE_DISC_COMPLETE;
	/* a medium was inserted: the host hears of it once (06/28/00) */
	self->unit_attention = TRUE;
	return TRUE;
}
