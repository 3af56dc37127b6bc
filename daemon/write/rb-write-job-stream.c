/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The stream's side of the write job: what is checked of the client's
 * descriptor before anything reaches the drive, and the reader thread that
 * fills the FIFO from it, every sector through the preflight before it is
 * committed.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbWriteJob"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <inttypes.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rb-error.h"
#include "rb-write-job-private.h"

/* ---- up-front checks ---- */

gboolean
rb_write_job_check_fd(RbWriteJob *self, GError **error)
{
	struct stat st;
	gint flags = fcntl(self->params.fd, F_GETFL);

	if (flags < 0 || fstat(self->params.fd, &st) < 0) {
		rb_error_set(error,
			     RB_ERROR_STREAM_NOT_SUPPORTED,
			     _("The stream cannot be used: %s; pass an open, readable file "
			       "descriptor."),
			     g_strerror(errno));
		return FALSE;
	}
	if ((flags & O_ACCMODE) == O_WRONLY || (flags & O_PATH) != 0 || S_ISDIR(st.st_mode)) {
		rb_error_set(error,
			     RB_ERROR_STREAM_NOT_SUPPORTED,
			     _("The stream is not readable; pass a file or pipe opened for "
			       "reading."));
		return FALSE;
	}
	/* only files and block devices have a size worth checking up front;
	 * character devices accept lseek() but report nothing useful */
	if (S_ISREG(st.st_mode) || S_ISBLK(st.st_mode)) {
		off_t cur = lseek(self->params.fd, 0, SEEK_CUR);
		off_t end = S_ISREG(st.st_mode) ? st.st_size : lseek(self->params.fd, 0, SEEK_END);
		guint64 size;
		guint64 skip;

		if (cur < 0 || end < 0 ||
		    (!S_ISREG(st.st_mode) && lseek(self->params.fd, cur, SEEK_SET) < 0)) {
			rb_error_set(error,
				     RB_ERROR_STREAM_NOT_SUPPORTED,
				     _("The size of the stream cannot be found: %s."),
				     g_strerror(errno));
			return FALSE;
		}
		/* the stream starts where the caller's file offset stands */
		size = end > cur ? (guint64)(end - cur) : 0;
		if (size % self->sector_size != 0) {
			rb_error_set(error,
				     RB_ERROR_STREAM_NOT_SUPPORTED,
				     _("The stream is %" PRIu64
				       " bytes long, which is not a whole number of %zu"
				       "-byte sectors; check the image and the requested sector "
				       "type."),
				     size,
				     self->sector_size);
			return FALSE;
		}
		skip = (guint64)((gint64)self->params.leadin_start_lba -
				 self->params.stream_first_lba);
		if ((gint64)(size / self->sector_size) <= (gint64)skip) {
			rb_error_set(error,
				     RB_ERROR_STREAM_NOT_SUPPORTED,
				     _("The stream of %" PRIu64
				       " sectors ends before the disc's lead-in start (LBA %d); "
				       "pass a complete disc image."),
				     size / self->sector_size,
				     self->params.leadin_start_lba);
			return FALSE;
		}
		self->seekable = TRUE;
		self->data_offset = (guint64)cur + skip * self->sector_size;
		self->total_sectors = (gint64)(size / self->sector_size - skip);
		if (self->params.leadin_start_lba + self->total_sectors > self->end_limit) {
			rb_error_set(error,
				     RB_ERROR_NOT_ENOUGH_SPACE,
				     _("The stream ends at LBA %" PRId64
				       " but this disc ends at LBA %" PRId64
				       " (last lead-out start %d + %d lead-out sectors); use a "
				       "larger disc or a shorter image."),
				     self->params.leadin_start_lba + self->total_sectors - 1,
				     self->end_limit - 1,
				     self->params.last_leadout_start_lba,
				     RB_WRITE_JOB_LEADOUT_SECTORS);
			return FALSE;
		}
	} else {
		/* the pipe stays as the client made it: raised to 1 MiB, the
		 * client's large writes held the pipe's lock while the reader
		 * spun on it, and a paced burn's CPU rose by a third (make
		 * bench, against the 64 KiB default) */
		self->skip_bytes = (guint64)((gint64)self->params.leadin_start_lba -
					     self->params.stream_first_lba) *
				   self->sector_size;
	}
	return TRUE;
}

/*
 * Preflight "lead-in" on a file: the lead-in and the pregap read and checked
 * before the ring is made rather than held in the FIFO until the first
 * WRITE, so that the ring can be sized by the drive's rate alone (27 MiB of
 * lead-in would otherwise decide it). The coordinator calls it once WRITING,
 * as the same check in the FIFO was, so that a burn reaches WRITING as soon
 * as the drive is set up; nothing is written until it passed. The reader
 * checks these sectors again as it burns: the file may change meanwhile.
 */
gboolean
rb_write_job_scan_lead_in(RbWriteJob *self, GError **error)
{
	if (self->check == NULL || self->params.preflight != RB_PREFLIGHT_LEAD_IN ||
	    !self->seekable)
		return TRUE;
	if (!rb_preflight_scan_fd(RB_PREFLIGHT_LEAD_IN,
				  self->data_block_type,
				  self->sector_size,
				  self->params.fd,
				  self->data_offset,
				  self->total_sectors,
				  self->params.leadin_start_lba,
				  self->params.last_leadout_start_lba,
				  self->wake,
				  error))
		return FALSE;
	self->lead_in_scanned = TRUE;
	return TRUE;
}

/* ---- the reader thread ---- */

/* a read() that a cancel or the writer's failure interrupts: on a pipe the
 * client may stall for ever, so wait in poll() on the wake fd as well.
 * Returns the bytes read, 0 at the end, -1 with @error. */
static gssize
rb_write_job_read_some(RbWriteJob *self, guint8 *buf, gsize len, guint64 offset, GError **error)
{
	for (;;) {
		gssize n;

		if (!self->seekable) {
			struct pollfd fds[2] = {{self->params.fd, POLLIN, 0},
						{self->wake_fd, POLLIN, 0}};
			gint r = poll(fds, 2, -1);

			if (r < 0 && errno != EINTR) {
				rb_error_set(error,
					     RB_ERROR_STREAM_NOT_SUPPORTED,
					     _("Cannot wait for the stream: %s."),
					     g_strerror(errno));
				return -1;
			}
			if (g_cancellable_set_error_if_cancelled(self->wake, error))
				return -1;
			if (r <= 0)
				continue;
		}
		/* pread() keeps our reads apart from the offset of the client's
		 * own descriptor, which a dup() shares */
		n = self->seekable ? pread(self->params.fd, buf, len, (off_t)offset)
				   : read(self->params.fd, buf, len);
		if (n >= 0)
			return n;
		if (errno == EINTR || errno == EAGAIN)
			continue;
		rb_error_set(error,
			     RB_ERROR_STREAM_NOT_SUPPORTED,
			     _("Cannot read the stream: %s; check the file or the program "
			       "writing the pipe."),
			     g_strerror(errno));
		return -1;
	}
}

static gboolean
rb_write_job_has_written(RbWriteJob *self)
{
	return RB_WRITE_JOB_GET(self->writes_sent) > 0;
}

/*
 * The reader fills seconds of FIFO ahead of the drive, so it can wait; the
 * service's main loop and the drive's side cannot. When many burns start
 * at once, their readers pre-fill tens of MB each (a pipe's whole lead-in
 * with Preflight) and, at the service's own priority, kept its main loop
 * from the next burn's start: 64 burns on 2 CPUs reached WRITING after
 * 0.5 s, and 0.1 s with the readers 10 nice levels below until their
 * first WRITE (wodim and cdrdao go further, raising the whole burner to
 * real-time priority when root). On Linux the nice value is the thread's
 * own.
 */
#define RB_WRITE_JOB_READER_NICENESS 10

static void
rb_write_job_lower_reader_priority(RbWriteJob *self)
{
	gint current;

	self->reader_nice = G_MININT;
	errno = 0;
	current = getpriority(PRIO_PROCESS, 0);
	if (errno != 0 ||
	    setpriority(PRIO_PROCESS, 0, MIN(current + RB_WRITE_JOB_READER_NICENESS, 19)) < 0) {
		g_debug("the stream's reader keeps the service's priority: %s", g_strerror(errno));
		return;
	}
	self->reader_nice = current;
}

/* once the first WRITE went out, the ring is full and the reader only tops
 * it up as the drive takes it: back to the service's priority, so that no
 * busy program on the machine can starve it. Without CAP_SYS_NICE a thread
 * cannot take its priority back and stays lower */
static void
rb_write_job_restore_reader_priority(RbWriteJob *self)
{
	if (self->reader_nice == G_MININT || !rb_write_job_has_written(self))
		return;
	if (setpriority(PRIO_PROCESS, 0, self->reader_nice) < 0)
		g_debug("the stream's reader stays at a lower priority: %s", g_strerror(errno));
	self->reader_nice = G_MININT;
}

static gboolean
rb_write_job_read_stream(RbWriteJob *self, GError **error)
{
	guint64 capacity =
		(guint64)(self->end_limit - self->params.leadin_start_lba) * self->sector_size;
	guint64 total = self->seekable ? (guint64)self->total_sectors * self->sector_size : 0;
	guint64 skip_left = self->skip_bytes;
	guint64 got = 0;

	/* a pipe's sectors before the disc's lead-in start: read them into
	 * free FIFO space and never commit them */
	while (skip_left > 0) {
		guint8 *buf;
		gsize len;
		gssize n;

		if (!rb_fifo_write_acquire(self->fifo, self->chunk_sectors, &buf, &len, error))
			return FALSE;
		n = rb_write_job_read_some(self, buf, MIN(len, skip_left), 0, error);
		if (n < 0)
			return FALSE;
		if (n == 0) {
			rb_error_set(error,
				     RB_ERROR_STREAM_NOT_SUPPORTED,
				     _("The stream ended before the disc's lead-in start (LBA %d); "
				       "pass a complete disc image."),
				     self->params.leadin_start_lba);
			return FALSE;
		}
		skip_left -= (guint64)n;
	}

	for (;;) {
		guint8 *buf;
		gsize len;
		gssize n;

		if (self->seekable && got == total)
			break;
		if (!rb_fifo_write_acquire(self->fifo, self->chunk_sectors, &buf, &len, error))
			return FALSE;
		if (self->seekable)
			len = (gsize)MIN((guint64)len, total - got);
		n = rb_write_job_read_some(self, buf, len, self->data_offset + got, error);
		if (n < 0)
			return FALSE;
		if (n == 0) {
			if (self->seekable) {
				rb_error_set(error,
					     RB_ERROR_STREAM_NOT_SUPPORTED,
					     _("The stream ended after %" PRIu64 " of %" PRIu64
					       " bytes; the file was changed while it was being "
					       "burned."),
					     got,
					     total);
				return FALSE;
			}
			break;
		}
		/* a pipe's size shows only now: refuse data the disc cannot hold
		 * before the writer can send it */
		if (!self->seekable && got + (guint64)n > capacity) {
			rb_error_set(error,
				     RB_ERROR_NOT_ENOUGH_SPACE,
				     _("The stream goes on past this disc's end at LBA %" PRId64
				       "; use a larger disc or a shorter image."),
				     self->end_limit - 1);
			return FALSE;
		}
		/* before the commit: the writer never sends a sector unchecked */
		if (self->check != NULL &&
		    !rb_preflight_check_feed(
			    self->check, buf, (gsize)n, rb_write_job_has_written(self), error))
			return FALSE;
		got += (guint64)n;
		/* before the commit, so that a snapshot never shows a sector
		 * written but not read */
		RB_WRITE_JOB_SET(self->sectors_read, (gint64)(got / self->sector_size));
		RB_WRITE_JOB_SET(self->last_read_lba,
				 (gint32)(self->params.leadin_start_lba +
					  (gint64)(got / self->sector_size) - 1));
		rb_fifo_write_commit(self->fifo, (gsize)n);
		rb_write_job_restore_reader_priority(self);
	}
	if (got % self->sector_size != 0) {
		rb_error_set(error,
			     RB_ERROR_STREAM_NOT_SUPPORTED,
			     _("The stream ended inside a sector: %" PRIu64
			       " bytes after the lead-in start are not a whole number of "
			       "%zu-byte sectors; check the image and the "
			       "requested sector type."),
			     got,
			     self->sector_size);
		return FALSE;
	}
	if (got == 0) {
		rb_error_set(error,
			     RB_ERROR_STREAM_NOT_SUPPORTED,
			     _("The stream ended at the disc's lead-in start (LBA %d); pass a "
			       "complete disc image."),
			     self->params.leadin_start_lba);
		return FALSE;
	}
	/* a stream that stops before its lead-out would leave the disc open */
	if (self->check != NULL &&
	    !rb_preflight_check_finish(self->check, rb_write_job_has_written(self), error))
		return FALSE;
	rb_fifo_close(self->fifo);
	return TRUE;
}

gpointer
rb_write_job_reader_thread(gpointer user_data)
{
	RbWriteJob *self = user_data;
	g_autoptr(GError) error = NULL;

	rb_write_job_lower_reader_priority(self);
	if (!rb_write_job_read_stream(self, &error)) {
		/* the first error given is the one the caller sees */
		rb_fifo_fail(self->fifo, error);
		g_cancellable_cancel(self->wake);
	}
	return NULL;
}
