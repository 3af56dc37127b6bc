/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CreateResultImage of RawCDImageCreator: once authorized, the creator
 * turns read-only and hands a copy of its layout and its descriptors to an
 * RbImageJob. The job's thread spools a piped track (its length is needed
 * before the lead-in), replies with the read end of a pipe and fills the
 * pipe with RbImageProducer's sectors; the creator's cancellable stops it.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbImageCreator"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <gio/gunixfdlist.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rb-dbus-util.h"
#include "rb-error.h"
#include "rb-fd-limit.h"
#include "rb-image-creator-private.h"
#include "rb-image.h"

/* sectors per write into the result pipe */
#define RB_IMAGE_CREATOR_CHUNK_SECTORS 64
/* a pipe track (or R-W generator) that sends nothing this long is refused */
#define RB_IMAGE_CREATOR_STALL_MS (30 * 1000)
/* the result pipe's buffer, when the kernel allows */
#define RB_IMAGE_CREATOR_PIPE_SIZE (1024 * 1024)

/* --- CreateResultImage: the producer thread ------------------------------------------------------
 */

typedef struct {
	RbImageLayout *layout; /* a copy, laid out again once a pipe track was read */
	RbImageSource tracks[RB_IMAGE_MAX_TRACKS];
	guint n_tracks;
	RbImageSource pregap;
	RbImageSource rw;
	gint pipe_track;
	gint32 leadout_limit;
	gint read_end;
	gint write_end;
	GCancellable *cancellable;
	GPollFD cancel_fd; /* made once, in the budget: never in the thread */
	gboolean have_cancel_fd;
	GDBusMethodInvocation *invocation; /* replied to from the thread */
	gchar *path;                       /* for the log */
} RbImageJob;

static void
rb_image_job_free(RbImageJob *job)
{
	for (guint i = 0; i < job->n_tracks; i++)
		rb_image_source_clear(&job->tracks[i]);
	rb_image_source_clear(&job->pregap);
	rb_image_source_clear(&job->rw);
	if (job->read_end >= 0)
		close(job->read_end);
	if (job->write_end >= 0)
		close(job->write_end);
	g_clear_pointer(&job->layout, rb_image_layout_free);
	if (job->have_cancel_fd)
		g_cancellable_release_fd(job->cancellable);
	g_clear_object(&job->cancellable);
	g_clear_object(&job->invocation);
	g_free(job->path);
	g_free(job);
}

/* waits until @fd is ready for @events; FALSE with @error on cancel or timeout */
static gboolean
rb_image_job_wait(RbImageJob *job, gint fd, gshort events, gint timeout_ms, GError **error)
{
	struct pollfd fds[2];

	fds[0].fd = fd;
	fds[0].events = events;
	fds[1].fd = job->cancel_fd.fd;
	fds[1].events = POLLIN;
	for (;;) {
		gint r;

		fds[0].revents = fds[1].revents = 0;
		r = poll(fds, 2, timeout_ms);
		if (r < 0 && errno == EINTR)
			continue;
		if (g_cancellable_set_error_if_cancelled(job->cancellable, error))
			return FALSE;
		if (r == 0) {
			g_set_error(error,
				    G_IO_ERROR,
				    G_IO_ERROR_TIMED_OUT,
				    _("nothing came for %d s"),
				    timeout_ms / 1000);
			return FALSE;
		}
		if (r < 0) {
			g_set_error(error,
				    G_IO_ERROR,
				    g_io_error_from_errno(errno),
				    "%s",
				    g_strerror(errno));
			return FALSE;
		}
		return TRUE;
	}
}

/* read(2) of a stream, that a stall or the creator's end interrupts */
static gssize
rb_image_job_read_stream(RbImageJob *job, gint fd, guint8 *buf, gsize len, GError **error)
{
	for (;;) {
		gssize n;

		if (!rb_image_job_wait(job, fd, POLLIN, RB_IMAGE_CREATOR_STALL_MS, error))
			return -1;
		n = read(fd, buf, len);
		if (n >= 0)
			return n;
		if (errno == EINTR || errno == EAGAIN)
			continue;
		g_set_error(
			error, G_IO_ERROR, g_io_error_from_errno(errno), "%s", g_strerror(errno));
		return -1;
	}
}

static gssize
rb_image_job_read(gpointer user_data, guint source_id, guint8 *buf, gsize len, GError **error)
{
	RbImageJob *job = user_data;
	RbImageSource *source;
	gssize n;

	if (source_id == RB_IMAGE_SOURCE_SPECIAL_PREGAP)
		source = &job->pregap;
	else if (source_id == RB_IMAGE_SOURCE_RW)
		source = &job->rw;
	else if (source_id < job->n_tracks)
		source = &job->tracks[source_id];
	else {
		g_set_error(error,
			    RB_IMAGE_ERROR,
			    RB_IMAGE_ERROR_READ_FAILED,
			    "no source %u",
			    source_id);
		return -1;
	}
	if (g_cancellable_set_error_if_cancelled(job->cancellable, error))
		return -1;
	if (!source->seekable) {
		n = rb_image_job_read_stream(job, source->fd, buf, len, error);
	} else {
		do
			n = pread(source->fd, buf, len, source->offset + (goffset)source->pos);
		while (n < 0 && errno == EINTR);
		if (n < 0)
			g_set_error(error,
				    G_IO_ERROR,
				    g_io_error_from_errno(errno),
				    "%s",
				    g_strerror(errno));
	}
	if (n > 0)
		source->pos += (guint64)n;
	return n;
}

/* the pipe track, into an unlinked temporary file: its length is needed
 * before the lead-in, whose TOC names the lead-out */
static gboolean
rb_image_job_spool(RbImageJob *job, guint64 max_bytes, guint64 *size, GError **error)
{
	RbImageSource *source = &job->tracks[job->pipe_track];
	g_autofree guint8 *buf = g_malloc(RB_IMAGE_CREATOR_CHUNK_SECTORS * RB_CD_MAIN_SIZE);
	g_autofree gchar *path = NULL;
	g_autoptr(GError) error_local = NULL;
	guint64 total = 0;
	gint spool = g_file_open_tmp("rawburn-track-XXXXXX", &path, &error_local);

	if (spool < 0) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_FAILED,
			    _("Cannot keep the piped track: %s; free some space in the temporary "
			      "directory."),
			    error_local->message);
		return FALSE;
	}
	g_unlink(path);
	for (;;) {
		gssize n =
			rb_image_job_read_stream(job,
						 source->fd,
						 buf,
						 RB_IMAGE_CREATOR_CHUNK_SECTORS * RB_CD_MAIN_SIZE,
						 error);
		gssize done = 0;

		if (n < 0) {
			close(spool);
			return FALSE;
		}
		if (n == 0)
			break;
		total += (guint64)n;
		if (total > max_bytes) {
			close(spool);
			g_set_error(error,
				    RB_IMAGE_ERROR,
				    RB_IMAGE_ERROR_INSUFFICIENT_SPACE,
				    _("the piped track is longer than fits on a disc"));
			return FALSE;
		}
		while (done < n) {
			gssize w = write(spool, buf + done, (gsize)(n - done));

			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0) {
				gint saved = errno;

				close(spool);
				g_set_error(error,
					    G_IO_ERROR,
					    g_io_error_from_errno(saved),
					    _("Cannot keep the piped track: %s."),
					    g_strerror(saved));
				return FALSE;
			}
			done += w;
		}
	}
	rb_image_source_clear(source);
	source->fd = spool;
	source->seekable = TRUE;
	*size = total;
	return TRUE;
}

/* the layout again, with the pipe track's real length */
static RbImageLayout *
rb_image_job_relayout(
	const RbImageLayout *old, guint pipe_track, guint32 n_sectors, gint32 limit, GError **error)
{
	g_autoptr(RbImageLayout) layout = rb_image_layout_new();
	const RbImageTrack *first = rb_image_layout_get_track(old, 0);

	if (!rb_image_layout_set_disable_gapless_audio(
		    layout, rb_image_layout_get_disable_gapless_audio(old), error) ||
	    !rb_image_layout_set_mcn(layout, rb_image_layout_get_mcn(old), error) ||
	    !rb_image_layout_set_starting_track_number(layout, first->number, error))
		return NULL;
	if (rb_image_layout_get_special_pregap(old) > 0 &&
	    !rb_image_layout_add_special_pregap(
		    layout, rb_image_layout_get_special_pregap(old), error))
		return NULL;
	if (!rb_image_layout_set_image_type(layout, rb_image_layout_get_image_type(old), error))
		return NULL;
	if (rb_image_layout_has_rw_generator(old) &&
	    !rb_image_layout_add_rw_generator(layout, error))
		return NULL;
	for (guint i = 0; i < rb_image_layout_get_n_tracks(old); i++) {
		const RbImageTrack *t = rb_image_layout_get_track(old, i);

		if (!rb_image_layout_add_track(layout,
					       t->type,
					       i == pipe_track ? n_sectors : t->n_sectors,
					       NULL,
					       error))
			return NULL;
		if ((t->isrc[0] != '\0' &&
		     !rb_image_layout_track_set_isrc(layout, i, t->isrc, error)) ||
		    (t->copy != RB_IMAGE_COPY_PROHIBITED &&
		     !rb_image_layout_track_set_copy(layout, i, t->copy, error)) ||
		    (t->preemphasis &&
		     !rb_image_layout_track_set_preemphasis(layout, i, TRUE, error)))
			return NULL;
		for (guint x = 1; x < t->n_indexes; x++) {
			if (!rb_image_layout_track_add_index(layout, i, t->indexes[x], NULL, error))
				return NULL;
		}
	}
	if (!rb_image_layout_set_leadout_limit(layout, limit, error))
		return NULL;
	return g_steal_pointer(&layout);
}

/* the work before the reply: what the stream will be */
static RbImageProducer *
rb_image_job_prepare(RbImageJob *job, GError **error)
{
	g_autoptr(RbImageProducer) producer = NULL;
	const RbImageLayout *layout;

	if (job->pipe_track >= 0) {
		const RbImageTrack *t =
			rb_image_layout_get_track(job->layout, (guint)job->pipe_track);
		gsize input = rb_cd_sector_type_get_input_size(t->type);
		guint64 max_bytes = (guint64)(RB_IMAGE_LAST_USER_LBA + 1 - t->start) * input;
		RbImageLayout *relaid;
		guint64 size = 0;
		guint32 n_sectors = 0;

		if (!rb_image_job_spool(job, max_bytes, &size, error))
			return NULL;
		if (!rb_image_creator_count_sectors(size, input, &n_sectors, error))
			return NULL;
		relaid = rb_image_job_relayout(
			job->layout, (guint)job->pipe_track, n_sectors, job->leadout_limit, error);
		if (relaid == NULL)
			return NULL;
		rb_image_layout_free(job->layout);
		job->layout = relaid;
	}
	producer = rb_image_producer_new(job->layout, rb_image_job_read, job, error);
	if (producer == NULL)
		return NULL;
	layout = rb_image_producer_get_layout(producer);
	/* a file of R-W must give exactly what the stream needs */
	if (job->rw.fd >= 0 && job->rw.seekable) {
		struct stat st;
		guint64 needed =
			(guint64)rb_image_layout_get_n_sectors(layout) * RB_SUBCHANNEL_PW_SIZE;

		if (fstat(job->rw.fd, &st) < 0 || st.st_size < job->rw.offset ||
		    (guint64)(st.st_size - job->rw.offset) != needed) {
			g_set_error(error,
				    G_DBUS_ERROR,
				    G_DBUS_ERROR_INVALID_ARGS,
				    _("The R-W generator must give %" PRIu64
				      " bytes (96 for each of the image's %u sectors) from its "
				      "offset on."),
				    needed,
				    rb_image_layout_get_n_sectors(layout));
			return NULL;
		}
	}
	return g_steal_pointer(&producer);
}

static gboolean
rb_image_job_write_all(RbImageJob *job, const guint8 *buf, gsize len, GError **error)
{
	gsize done = 0;

	while (done < len) {
		gssize n;

		/* no stall limit: the reader may be a burn waiting for its drive */
		if (!rb_image_job_wait(job, job->write_end, POLLOUT, -1, error))
			return FALSE;
		n = write(job->write_end, buf + done, len - done);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0) {
			g_set_error(error,
				    G_IO_ERROR,
				    g_io_error_from_errno(errno),
				    "%s",
				    g_strerror(errno));
			return FALSE;
		}
		done += (gsize)n;
	}
	return TRUE;
}

static void
rb_image_job_reply_error(RbImageJob *job, const GError *error)
{
	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
		g_dbus_method_invocation_take_error(
			job->invocation,
			rb_error_new(
				RB_ERROR_REQUEST_CANCELLED,
				_("The image creator was closed before the image was ready.")));
	} else if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT)) {
		/* the caller's data: a pipe that stalled; the service's own
		 * failures (no temporary file, a full disk) go out as what they are */
		g_dbus_method_invocation_return_error(job->invocation,
						      G_DBUS_ERROR,
						      G_DBUS_ERROR_INVALID_ARGS,
						      _("The piped track cannot be used: %s."),
						      error->message);
	} else {
		rb_image_creator_return_error(job->invocation, error);
	}
}

/*
 * The thread: the reply (GDBus sends from any thread), then the sectors
 * into the pipe until the end, an error, the reader's close (EPIPE; the
 * daemon ignores SIGPIPE) or the creator's end (the cancellable).
 */
static gpointer
rb_image_job_thread(gpointer user_data)
{
	RbImageJob *job = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(RbImageProducer) producer = rb_image_job_prepare(job, &error);
	g_autoptr(GUnixFDList) fd_list = NULL;
	g_autofree guint8 *buf = NULL;
	gsize sector_size;
	gint64 size;

	if (producer == NULL) {
		rb_image_job_reply_error(job, error);
		rb_image_job_free(job);
		return NULL;
	}
	sector_size = rb_image_producer_get_sector_size(producer);
	size = (gint64)rb_image_producer_get_n_sectors(producer) * (gint64)sector_size;
	fd_list = g_unix_fd_list_new_from_array(&job->read_end, 1);
	/* the list owns it now */
	job->read_end = -1;
	g_dbus_method_invocation_return_value_with_unix_fd_list(
		job->invocation, g_variant_new("(hx)", 0, size), fd_list);
	g_clear_object(&job->invocation);
	g_clear_object(&fd_list);

	buf = g_malloc(RB_IMAGE_CREATOR_CHUNK_SECTORS * sector_size);
	for (;;) {
		guint n = 0;

		if (!rb_image_producer_read(
			    producer, buf, RB_IMAGE_CREATOR_CHUNK_SECTORS, &n, &error))
			break;
		if (n == 0)
			break;
		if (!rb_image_job_write_all(job, buf, n * sector_size, &error))
			break;
	}
	if (error != NULL && !g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
	    !g_error_matches(error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE))
		g_message("%s: the image stream ends early at LBA %d: %s",
			  job->path,
			  rb_image_producer_get_lba(producer),
			  error->message);
	else if (error != NULL)
		g_debug("%s: production stopped: %s", job->path, error->message);
	else
		g_debug("%s: the image stream is complete", job->path);
	/* the pipe closes here: an early end is what the reader sees */
	rb_image_job_free(job);
	return NULL;
}

/* authorized: read-only from now on, the fds go to the thread */
void
rb_image_creator_create_authorized(RbImageCreator *self, GDBusMethodInvocation *invocation)
{
	g_autoptr(GError) error = NULL;
	RbImageJob *job;
	gint fds[2];
	guint n_tracks;

	if (self->read_only) {
		rb_image_creator_refuse_read_only(invocation);
		return;
	}
	if (!rb_image_layout_validate(self->layout, &error)) {
		rb_image_creator_return_error(invocation, error);
		return;
	}
	/* the pipe, a temporary file for a pipe track, the cancellable's wake-up */
	if (!rb_fd_limit_check(4, &error)) {
		rb_dbus_util_return_error(invocation, error);
		return;
	}
	if (!g_unix_open_pipe(fds, FD_CLOEXEC, &error)) {
		rb_dbus_util_return_error(invocation, error);
		return;
	}
	fcntl(fds[1], F_SETFL, fcntl(fds[1], F_GETFL) | O_NONBLOCK);
	/* fewer wake-ups; the default is fine too */
	(void)fcntl(fds[1], F_SETPIPE_SZ, RB_IMAGE_CREATOR_PIPE_SIZE);

	self->read_only = TRUE;
	rb_image_layout_set_read_only(self->layout);
	job = g_new0(RbImageJob, 1);
	job->layout = rb_image_layout_copy(self->layout);
	n_tracks = rb_image_layout_get_n_tracks(self->layout);
	for (guint i = 0; i < n_tracks; i++) {
		job->tracks[i] = self->tracks[i];
		rb_image_source_init(&self->tracks[i]);
	}
	job->n_tracks = n_tracks;
	job->pregap = self->pregap;
	rb_image_source_init(&self->pregap);
	job->rw = self->rw;
	rb_image_source_init(&self->rw);
	job->pipe_track = self->pipe_track;
	job->leadout_limit = self->leadout_limit;
	job->read_end = fds[0];
	job->write_end = fds[1];
	job->cancellable = g_object_ref(self->cancellable);
	/* GLib aborts when it cannot make the wake-up: made now, counted above */
	job->cancel_fd.fd = -1;
	job->have_cancel_fd = g_cancellable_make_pollfd(job->cancellable, &job->cancel_fd);
	job->invocation = g_object_ref(invocation);
	job->path = g_strdup(self->path);
	self->thread = g_thread_try_new("rb-image", rb_image_job_thread, job, &error);
	if (self->thread == NULL) {
		g_clear_object(&job->invocation);
		rb_image_job_free(job);
		rb_dbus_util_return_error(invocation, error);
	}
}
