/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The raw write job: PREPARING (page 05h, SET CD SPEED), WRITING (reader
 * thread: stream fd -> FIFO; writer thread: FIFO -> WRITE(10)) and
 * FINISHING (SYNCHRONIZE CACHE, the finishing poll, READ DISC INFORMATION).
 * A coordinator runs in a thread of its own and joins both workers before
 * the result goes back to the caller's context; the stream's side is in
 * rb-write-job-stream.c. See rb-write-job.h.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbWriteJob"

#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "rb-error.h"
#include "rb-mmc-cdb.h"
#include "rb-mmc-exec.h"
#include "rb-mmc-mode-pages.h"
#include "rb-mmc-replies.h"
#include "rb-write-job-private.h"

G_DEFINE_TYPE(RbWriteJob, rb_write_job, G_TYPE_OBJECT)

static void
rb_write_job_finalize(GObject *object)
{
	RbWriteJob *self = RB_WRITE_JOB(object);

	if (self->action_destroy != NULL)
		self->action_destroy(self->action_data);
	g_clear_pointer(&self->fifo, rb_fifo_free);
	g_clear_pointer(&self->check, rb_preflight_check_free);
	g_clear_pointer(&self->digests, g_array_unref);
	if (self->wake_id != 0)
		g_cancellable_disconnect(self->wake, self->wake_id);
	if (self->wake_fd >= 0)
		close(self->wake_fd);
	g_clear_object(&self->wake);
	g_clear_object(&self->cancellable);
	g_clear_object(&self->transport);
	g_clear_pointer(&self->context, g_main_context_unref);
	if (self->params.fd >= 0)
		close(self->params.fd);
	g_mutex_clear(&self->mutex);
	G_OBJECT_CLASS(rb_write_job_parent_class)->finalize(object);
}

static void
rb_write_job_class_init(RbWriteJobClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = rb_write_job_finalize;
}

static void
rb_write_job_init(RbWriteJob *self)
{
	g_mutex_init(&self->mutex);
	self->params.fd = -1;
	self->wake_fd = -1;
	self->total_sectors = -1;
	self->time_scale = 1.0;
	self->cancellable = g_cancellable_new();
	self->wake = g_cancellable_new();
}

/* @wake was cancelled: every poll() on the eventfd returns from now on */
static void
rb_write_job_on_wake(GCancellable *wake, gpointer user_data)
{
	guint64 one = 1;

	if (write(GPOINTER_TO_INT(user_data), &one, sizeof(one)) < 0)
		g_debug("cannot signal the wake-up eventfd: %s", g_strerror(errno));
}

RbWriteJob *
rb_write_job_new(RbMmcTransport *transport, const RbWriteJobParams *params, GError **error)
{
	g_autoptr(RbWriteJob) self = NULL;

	g_return_val_if_fail(RB_IS_MMC_TRANSPORT(transport), NULL);
	g_return_val_if_fail(params != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	self = g_object_new(RB_TYPE_WRITE_JOB, NULL);
	self->transport = g_object_ref(transport);
	self->params = *params;
	self->params.fd = -1;
	self->data_block_type = rb_mmc_imapi_sector_type_to_dbt(params->sector_type);
	if (self->data_block_type == RB_MMC_DBT_NONE) {
		rb_error_set(error,
			     RB_ERROR_DATA_BLOCK_TYPE_NOT_SUPPORTED,
			     _("Sector type %u is not a raw sector type; use 1 (PQ only), 2 "
			       "(cooked) or 3 (raw)."),
			     params->sector_type);
		return NULL;
	}
	self->sector_size = rb_mmc_dbt_sector_size(self->data_block_type);
	self->chunk_sectors = (guint)(RB_WRITE_JOB_MAX_TRANSFER / self->sector_size);
	self->end_limit = (gint64)params->last_leadout_start_lba + RB_WRITE_JOB_LEADOUT_SECTORS;
	self->last_read_lba = params->leadin_start_lba - 1;
	self->last_written_lba = params->leadin_start_lba - 1;

	if (params->stream_first_lba > params->leadin_start_lba) {
		rb_error_set(error,
			     RB_ERROR_STREAM_LEADIN_TOO_SHORT,
			     _("The stream starts at LBA %d, after this disc's lead-in start at "
			       "LBA %d; use an image with a longer lead-in (WriteMedia's "
			       "default starts at LBA -22650)."),
			     params->stream_first_lba,
			     params->leadin_start_lba);
		return NULL;
	}
	self->params.fd = fcntl(params->fd, F_DUPFD_CLOEXEC, 3);
	if (self->params.fd < 0) {
		rb_error_set(error,
			     RB_ERROR_STREAM_NOT_SUPPORTED,
			     _("The stream cannot be used: %s; pass an open, readable file "
			       "descriptor."),
			     g_strerror(errno));
		return NULL;
	}
	if (!rb_write_job_check_fd(self, error))
		return NULL;
	self->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (self->wake_fd < 0) {
		g_set_error(error,
			    G_DBUS_ERROR,
			    errno == EMFILE || errno == ENFILE ? G_DBUS_ERROR_LIMITS_EXCEEDED
							       : G_DBUS_ERROR_FAILED,
			    _("The service cannot start the burn: %s; try again later."),
			    g_strerror(errno));
		return NULL;
	}
	self->wake_id = g_cancellable_connect(
		self->wake, G_CALLBACK(rb_write_job_on_wake), GINT_TO_POINTER(self->wake_fd), NULL);
	/* from the disc's lead-in start on: what the drive would be sent */
	self->check = rb_preflight_check_new(params->preflight,
					     self->data_block_type,
					     self->sector_size,
					     params->leadin_start_lba,
					     params->last_leadout_start_lba);
	if (params->verify)
		rb_write_job_verify_init(self);
	self->fifo = rb_fifo_new(self->sector_size,
				 self->chunk_sectors,
				 params->fifo_size > 0 ? params->fifo_size : RB_FIFO_DEFAULT_SIZE,
				 self->wake);
	return g_steal_pointer(&self);
}

void
rb_write_job_set_action_func(RbWriteJob *self,
			     RbWriteJobActionFunc func,
			     gpointer user_data,
			     GDestroyNotify destroy)
{
	g_return_if_fail(RB_IS_WRITE_JOB(self));
	g_return_if_fail(!self->started);

	if (self->action_destroy != NULL)
		self->action_destroy(self->action_data);
	self->action_func = func;
	self->action_data = user_data;
	self->action_destroy = destroy;
}

void
rb_write_job_set_time_scale(RbWriteJob *self, gdouble scale)
{
	g_return_if_fail(RB_IS_WRITE_JOB(self));
	g_return_if_fail(scale > 0);
	g_return_if_fail(!self->started);
	self->time_scale = scale;
}

gsize
rb_write_job_get_sector_size(RbWriteJob *self)
{
	g_return_val_if_fail(RB_IS_WRITE_JOB(self), 0);
	return self->sector_size;
}

guint
rb_write_job_get_chunk_sectors(RbWriteJob *self)
{
	g_return_val_if_fail(RB_IS_WRITE_JOB(self), 0);
	return self->chunk_sectors;
}

/* ---- progress ---- */

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

static void
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

	g_return_if_fail(RB_IS_WRITE_JOB(self));
	g_return_if_fail(out != NULL);

	rb_fifo_get_stats(self->fifo, &stats);
	g_mutex_lock(&self->mutex);
	out->action = action != RB_WRITE_ACTION_UNKNOWN ? action : self->action;
	out->start_lba = self->params.leadin_start_lba;
	total = self->total_sectors >= 0 ? self->total_sectors : self->sectors_read;
	out->sector_count = (gint32)MIN(total, G_MAXINT32);
	out->last_read_lba = self->last_read_lba;
	out->last_written_lba = self->last_written_lba;
	if (self->start_us == 0)
		now = 0;
	else if (self->end_us != 0)
		now = self->end_us;
	out->elapsed_seconds = (gint32)((now - self->start_us) / G_USEC_PER_SEC);
	written = (gint64)self->last_written_lba - self->params.leadin_start_lba + 1;
	out->remaining_seconds = -1;
	if (self->action == RB_WRITE_ACTION_WRITING && self->total_sectors >= 0 && written > 0 &&
	    now > self->write_start_us) {
		gdouble rate =
			(gdouble)written * G_USEC_PER_SEC / (gdouble)(now - self->write_start_us);
		out->remaining_seconds = (gint32)((gdouble)(self->total_sectors - written) / rate);
	}
	/* the read-back reports its own range, as VerifyMedia's Update does */
	if (out->action == RB_WRITE_ACTION_VERIFYING) {
		gint64 done = (gint64)self->last_read_lba - self->verify_first_lba + 1;

		out->start_lba = self->verify_first_lba;
		out->sector_count = MAX(self->verify_end_lba - self->verify_first_lba, 0);
		if (self->verify_end_lba > self->verify_first_lba && done > 0 &&
		    now > self->verify_start_us) {
			gdouble rate = (gdouble)done * G_USEC_PER_SEC /
				       (gdouble)(now - self->verify_start_us);
			out->remaining_seconds =
				(gint32)((gdouble)(self->verify_end_lba - self->last_read_lba - 1) /
					 rate);
		}
	}
	g_mutex_unlock(&self->mutex);
	out->fifo_total = stats.size;
	out->fifo_used = stats.used;
	out->fifo_free = stats.size - stats.used;
}

/* ---- the MMC layer's clock ---- */

static gint64
rb_write_job_now_us(gpointer user_data)
{
	RbWriteJob *self = user_data;
	return (gint64)((gdouble)g_get_monotonic_time() / self->time_scale);
}

/* a sleep that a cancel or a failing worker ends at once */
static void
rb_write_job_sleep_us(guint64 usec, gpointer user_data)
{
	RbWriteJob *self = user_data;
	guint64 real = (guint64)((gdouble)usec * self->time_scale);
	struct pollfd pollfd = {self->wake_fd, POLLIN, 0};

	if (poll(&pollfd, 1, (gint)MIN((real + 999) / 1000, (guint64)G_MAXINT)) < 0 &&
	    errno != EINTR)
		g_usleep((gulong)MIN(real, (guint64)G_MAXULONG));
}

static void
rb_write_job_env_init(RbWriteJob *self, RbMmcEnv *env)
{
	env->now_us = self->time_scale != 1.0 ? rb_write_job_now_us : NULL;
	env->sleep_us = rb_write_job_sleep_us;
	env->user_data = self;
	env->cancellable = self->wake;
}

/* ---- PREPARING ---- */

/* a drive that refuses the write parameters of a simulation (ILLEGAL
 * REQUEST on MODE SELECT: invalid field in parameter list) has no test
 * writing, whatever it claimed; nothing was written yet */
static void
rb_write_job_name_test_write_refusal(RbWriteJob *self, GError **error)
{
	g_autoptr(GError) refusal = NULL;

	if (!self->params.test_write || error == NULL ||
	    !g_error_matches(*error, RB_ERROR, RB_ERROR_INVALID_MODE_PARAMETERS))
		return;
	refusal = g_steal_pointer(error);
	rb_error_set(error,
		     RB_ERROR_TEST_WRITE_NOT_SUPPORTED,
		     _("The recorder refused to simulate (%s); nothing was written. Burn "
		       "without simulation or use another recorder."),
		     refusal->message);
}

static gboolean
rb_write_job_prepare(RbWriteJob *self, const RbMmcEnv *env, GError **error)
{
	guint8 data[RB_WRITE_JOB_MODE_SENSE_LEN];
	RbMmcWriteParameters wp;
	RbMmcModePage page;
	RbMmcExecInfo info;
	RbMmcCdb cdb;
	gsize len;

	rb_mmc_cdb_mode_sense_10(
		&cdb, RB_MMC_PC_CURRENT, RB_MMC_PAGE_WRITE_PARAMETERS, sizeof(data));
	if (!rb_mmc_exec(
		    self->transport, &cdb, RB_MMC_DIR_IN, data, sizeof(data), env, &info, error))
		return FALSE;
	if (!rb_mmc_mode_sense_parse(
		    data, info.transferred, RB_MMC_PAGE_WRITE_PARAMETERS, &page, error))
		return FALSE;
	if (!rb_mmc_write_parameters_parse(&page, &wp, error))
		return FALSE;
	/* raw DAO of one whole disc: the stream carries all subcode, the TOC
	 * included, so track mode and session format stay 0 and no next
	 * session is opened (mmc-notes 1.2) */
	wp.write_type = RB_MMC_WRITE_TYPE_RAW;
	wp.data_block_type = self->data_block_type;
	wp.bufe = self->params.bufe;
	/* MMC leaves Test Write undefined for write type raw (wodim's
	 * README.raw: "the MMC standard does not allow -dummy in RAW mode"),
	 * yet cdrdao's simulate and wodim's -dummy set it with raw all the same
	 * (mmc-notes §"10. Measured"), and drives that claim test writing
	 * honour it; FINISHING checks that the disc stayed blank */
	wp.test_write = self->params.test_write;
	wp.multi_session = 0;
	wp.track_mode = 0;
	wp.session_format = 0;
	wp.fp = FALSE;
	wp.copy = FALSE;
	wp.ls_v = FALSE;
	if (!rb_mmc_write_parameters_apply(&wp, &page, error))
		return FALSE;
	len = rb_mmc_mode_select_build(&page, data);
	rb_mmc_cdb_mode_select_10(&cdb, (guint16)len);
	if (!rb_mmc_exec(self->transport, &cdb, RB_MMC_DIR_OUT, data, len, env, NULL, error)) {
		rb_write_job_name_test_write_refusal(self, error);
		return FALSE;
	}

	rb_mmc_cdb_set_cd_speed(
		&cdb, self->params.rotation, RB_MMC_SPEED_MAX, self->params.write_speed_kbps);
	return rb_mmc_exec(self->transport, &cdb, RB_MMC_DIR_NONE, NULL, 0, env, NULL, error);
}

/* ---- the writer thread ---- */

/* a failed WRITE says which sectors it carried, whatever the drive said */
static void
rb_write_job_name_write_error(GError **error, gint64 lba, guint n)
{
	gchar *message;

	if (error == NULL || *error == NULL || (*error)->domain != RB_ERROR ||
	    (*error)->code == RB_ERROR_REQUEST_CANCELLED)
		return;
	message = g_strdup_printf(_("%s; the WRITE carried LBA %" PRId64 " to %" PRId64),
				  (*error)->message,
				  lba,
				  lba + n - 1);
	g_free((*error)->message);
	(*error)->message = message;
}

static gboolean
rb_write_job_write_stream(RbWriteJob *self, GError **error)
{
	RbMmcEnv env;
	gint64 lba = self->params.leadin_start_lba;

	rb_write_job_env_init(self, &env);
	/* a deep buffer before the laser starts: without BUFE an underrun
	 * ruins the disc; and with Preflight, the lead-in and the pregap
	 * checked as far as the FIFO holds them, so that a stream that is
	 * wrong there costs nothing */
	if (!rb_fifo_wait_filled(self->fifo,
				 rb_preflight_gate_bytes(self->params.preflight,
							 self->sector_size,
							 self->params.leadin_start_lba,
							 rb_fifo_get_size(self->fifo)),
				 error))
		return FALSE;
	for (;;) {
		const guint8 *data;
		guint n;
		RbMmcExecInfo info;
		RbMmcCdb cdb;
		gsize len;

		if (!rb_fifo_read_acquire(self->fifo, self->chunk_sectors, &data, &n, error))
			return FALSE;
		if (n == 0)
			return TRUE;
		if (lba + n > self->end_limit) {
			rb_error_set(error,
				     RB_ERROR_NOT_ENOUGH_SPACE,
				     _("The stream goes on past this disc's end at LBA %" PRId64
				       "; use a larger disc or a shorter image."),
				     self->end_limit - 1);
			return FALSE;
		}
		len = (gsize)n * self->sector_size;
		rb_mmc_cdb_write_10(&cdb, (gint32)lba, (guint16)n);
		g_mutex_lock(&self->mutex);
		if (self->writes_sent++ == 0)
			self->write_start_us = g_get_monotonic_time();
		g_mutex_unlock(&self->mutex);
		/* straight from FIFO memory; a data-out command only reads it */
		if (!rb_mmc_exec(self->transport,
				 &cdb,
				 RB_MMC_DIR_OUT,
				 (guint8 *)data,
				 len,
				 &env,
				 &info,
				 error)) {
			rb_write_job_name_write_error(error, lba, n);
			return FALSE;
		}
		if (info.transferred != len) {
			rb_error_set(error,
				     RB_ERROR_UNEXPECTED_RESPONSE_FROM_DEVICE,
				     _("The recorder took %zu of %zu"
				       " bytes at LBA %" PRId64
				       "; the disc is unusable, try another recorder."),
				     info.transferred,
				     len,
				     lba);
			return FALSE;
		}
		/* digested from FIFO memory as it was sent, before it is reused */
		if (self->digests != NULL)
			rb_write_job_verify_digest(self, lba, data, n);
		rb_fifo_read_release(self->fifo, n);
		lba += n;
		g_mutex_lock(&self->mutex);
		self->last_written_lba = (gint32)(lba - 1);
		g_mutex_unlock(&self->mutex);
	}
}

static gpointer
rb_write_job_writer_thread(gpointer user_data)
{
	RbWriteJob *self = user_data;
	g_autoptr(GError) error = NULL;

	if (!rb_write_job_write_stream(self, &error)) {
		rb_fifo_fail(self->fifo, error);
		g_cancellable_cancel(self->wake);
	}
	return NULL;
}

/* ---- FINISHING ---- */

static gboolean
rb_write_job_finish_disc(RbWriteJob *self, const RbMmcEnv *env, GError **error)
{
	guint8 data[RB_MMC_DISC_INFO_LEN];
	RbMmcDiscInfo disc_info;
	RbMmcExecInfo info;
	RbMmcCdb cdb;

	/* Immed, then poll: a drive closing the disc inside the command would
	 * hold the host for minutes without a word of progress */
	rb_mmc_cdb_synchronize_cache(&cdb, TRUE);
	if (!rb_mmc_exec(self->transport, &cdb, RB_MMC_DIR_NONE, NULL, 0, env, NULL, error))
		return FALSE;
	if (!rb_mmc_wait_until_ready(
		    self->transport, env, RB_MMC_FINISH_TIMEOUT_S, NULL, NULL, error))
		return FALSE;
	/* a stream that stopped before its lead-out leaves the disc open;
	 * only the drive can tell, so ask it (mmc-notes 10, step 12) */
	rb_mmc_cdb_read_disc_information(&cdb, sizeof(data));
	if (!rb_mmc_exec(
		    self->transport, &cdb, RB_MMC_DIR_IN, data, sizeof(data), env, &info, error))
		return FALSE;
	if (!rb_mmc_disc_info_parse(data, info.transferred, &disc_info, error))
		return FALSE;
	/* a simulation leaves the disc as it found it; a drive that recorded
	 * all the same ignored the Test Write bit, which the caller must hear
	 * of: the disc is written now */
	if (self->params.test_write) {
		if (disc_info.disc_status == RB_MMC_DISC_STATUS_BLANK)
			return TRUE;
		rb_error_set(error,
			     RB_ERROR_TEST_WRITE_NOT_SUPPORTED,
			     _("The recorder was asked to simulate but recorded the disc (it "
			       "ignores the Test Write bit in raw mode): the disc is no longer "
			       "blank. Do not simulate with this recorder."));
		return FALSE;
	}
	if (disc_info.disc_status != RB_MMC_DISC_STATUS_COMPLETE) {
		rb_error_set(error,
			     RB_ERROR_STREAM_NOT_SUPPORTED,
			     _("The stream ended at LBA %d without a complete lead-out, so the "
			       "disc was left unfinished; pass a complete disc image."),
			     self->last_written_lba);
		return FALSE;
	}
	return TRUE;
}

/* ---- the coordinator ---- */

static gboolean
rb_write_job_run_sync(RbWriteJob *self, GError **error)
{
	g_autoptr(GError) worker_error = NULL;
	RbMmcEnv env;
	GThread *reader;
	GThread *writer;

	rb_write_job_env_init(self, &env);
	rb_write_job_set_action(self, RB_WRITE_ACTION_PREPARING);
	/*
	 * Preflight "full": the whole file, before the drive hears a word. The
	 * reader still feeds every sector through the checker as it burns: the
	 * file can change between this scan and the burn, and checking costs
	 * little next to writing.
	 */
	if (self->check != NULL && self->params.preflight == RB_PREFLIGHT_FULL && self->seekable &&
	    !rb_preflight_scan_fd(self->data_block_type,
				  self->sector_size,
				  self->params.fd,
				  self->data_offset,
				  self->total_sectors,
				  self->params.leadin_start_lba,
				  self->params.last_leadout_start_lba,
				  self->wake,
				  error))
		return FALSE;
	if (!rb_write_job_prepare(self, &env, error))
		return FALSE;

	rb_write_job_set_action(self, RB_WRITE_ACTION_WRITING);
	reader = g_thread_try_new("rb-job-reader", rb_write_job_reader_thread, self, error);
	if (reader == NULL)
		return FALSE;
	writer = g_thread_try_new("rb-job-writer", rb_write_job_writer_thread, self, &worker_error);
	if (writer == NULL) {
		rb_fifo_fail(self->fifo, worker_error);
		g_cancellable_cancel(self->wake);
	}
	/* the reply waits for both workers, whatever happened */
	g_thread_join(reader);
	if (writer != NULL)
		g_thread_join(writer);
	g_clear_error(&worker_error);
	worker_error = rb_fifo_dup_error(self->fifo);
	if (worker_error != NULL) {
		/* a drive in the middle of a DAO recording is told the stream is
		 * over, so that it leaves the writing state; what it answers does
		 * not change the outcome */
		if (self->writes_sent > 0) {
			RbMmcCdb cdb;
			rb_mmc_cdb_synchronize_cache(&cdb, TRUE);
			rb_mmc_exec(
				self->transport, &cdb, RB_MMC_DIR_NONE, NULL, 0, NULL, NULL, NULL);
		}
		g_propagate_error(error, g_steal_pointer(&worker_error));
		return FALSE;
	}

	rb_write_job_set_action(self, RB_WRITE_ACTION_FINISHING);
	if (!rb_write_job_finish_disc(self, &env, error))
		return FALSE;
	if (self->digests == NULL)
		return TRUE;
	rb_write_job_set_action(self, RB_WRITE_ACTION_VERIFYING);
	return rb_write_job_verify_run(self, &env, error);
}

/* the caller's cancellable no longer reaches the job */
static void
rb_write_job_disconnect_external(RbWriteJob *self)
{
	if (self->external == NULL)
		return;
	g_cancellable_disconnect(self->external, self->external_id);
	g_clear_object(&self->external);
}

static gpointer
rb_write_job_coordinator_thread(gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	RbWriteJob *self = g_task_get_source_object(task);
	g_autoptr(GError) error = NULL;
	gboolean ok;
	RbWriteAction action;

	g_mutex_lock(&self->mutex);
	self->start_us = g_get_monotonic_time();
	g_mutex_unlock(&self->mutex);

	ok = rb_write_job_run_sync(self, &error);

	g_mutex_lock(&self->mutex);
	self->end_us = g_get_monotonic_time();
	action = self->action;
	g_mutex_unlock(&self->mutex);
	/* stop listening before replying, so that no cancel arrives later */
	rb_write_job_disconnect_external(self);
	/* once the caller cancelled, whatever failed after is its consequence */
	if (g_cancellable_is_cancelled(self->cancellable)) {
		g_debug("cancelled; the workers said: %s", error != NULL ? error->message : "ok");
		g_clear_error(&error);
		rb_error_set(&error,
			     RB_ERROR_REQUEST_CANCELLED,
			     _("The write was cancelled while %s; a partly written CD-R is "
			       "unusable, a CD-RW must be blanked."),
			     action == RB_WRITE_ACTION_PREPARING   ? _("preparing")
			     : action == RB_WRITE_ACTION_WRITING   ? _("writing")
			     : action == RB_WRITE_ACTION_FINISHING ? _("finishing")
			     : action == RB_WRITE_ACTION_VERIFYING ? _("verifying")
								   : _("starting"));
		ok = FALSE;
	}
	if (!ok)
		g_task_return_error(task, g_steal_pointer(&error));
	else
		g_task_return_boolean(task, TRUE);
	return NULL;
}

static void
rb_write_job_external_cancelled_cb(GCancellable *cancellable, gpointer user_data)
{
	rb_write_job_cancel(RB_WRITE_JOB(user_data));
}

void
rb_write_job_run_async(RbWriteJob *self,
		       GCancellable *cancellable,
		       GAsyncReadyCallback callback,
		       gpointer user_data)
{
	g_autoptr(GTask) task = NULL;
	g_autoptr(GError) error = NULL;
	GThread *thread;

	g_return_if_fail(RB_IS_WRITE_JOB(self));

	/* no cancellable on the task: GTask would then answer
	 * G_IO_ERROR_CANCELLED itself, before the threads stopped */
	task = g_task_new(self, NULL, callback, user_data);
	g_task_set_source_tag(task, rb_write_job_run_async);
	if (self->started) {
		g_task_return_new_error(task,
					RB_ERROR,
					RB_ERROR_WRITE_IN_PROGRESS,
					"%s",
					_("This write job was already started; create a new one."));
		return;
	}
	self->started = TRUE;
	self->context = g_main_context_ref_thread_default();
	if (cancellable != NULL) {
		self->external = g_object_ref(cancellable);
		/* runs at once when already cancelled */
		self->external_id = g_cancellable_connect(
			cancellable, G_CALLBACK(rb_write_job_external_cancelled_cb), self, NULL);
	}
	/* its own thread: GLib's task pool has ten, and a coordinator holds one
	 * for the whole burn, so an eleventh burn would wait for a free one */
	thread = g_thread_try_new(
		"rb-job", rb_write_job_coordinator_thread, g_object_ref(task), &error);
	if (thread == NULL) {
		g_object_unref(task);
		rb_write_job_disconnect_external(self);
		g_task_return_new_error(
			task,
			G_DBUS_ERROR,
			G_DBUS_ERROR_LIMITS_EXCEEDED,
			_("The service cannot start the burn: %s; try again later."),
			error->message);
		return;
	}
	/* detached: the task's result is what the caller waits for */
	g_thread_unref(thread);
}

gboolean
rb_write_job_run_finish(RbWriteJob *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, self), FALSE);
	return g_task_propagate_boolean(G_TASK(result), error);
}

void
rb_write_job_cancel(RbWriteJob *self)
{
	g_return_if_fail(RB_IS_WRITE_JOB(self));
	g_cancellable_cancel(self->cancellable);
	g_cancellable_cancel(self->wake);
}
