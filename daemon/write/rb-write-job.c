/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The raw write job: PREPARING, WRITING (reader thread: stream fd -> FIFO;
 * writer thread: FIFO -> WRITE(10)) and FINISHING. A coordinator runs in a
 * thread of its own and joins both workers before the result goes back to
 * the caller's context. The stream's side is in rb-write-job-stream.c, the
 * drive's commands before and after the stream in rb-write-job-drive.c, the
 * progress in rb-write-job-progress.c. See rb-write-job.h.
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

/* RB_WRITE_JOB_FIFO_SECONDS of the drive's rate, whole WRITEs, within
 * [RB_WRITE_JOB_FIFO_MIN, params.fifo_size]; the cap alone when the rate is
 * unknown. A pipe's Preflight lead-in counts too: it is checked in the FIFO
 * before the first WRITE, so that a wrong lead-in costs no disc, and a ring
 * smaller than it would let the laser start on a lead-in only partly
 * checked */
static gsize
rb_write_job_choose_fifo_size(RbWriteJob *self)
{
	gsize cap = self->params.fifo_size > 0 ? self->params.fifo_size : RB_FIFO_DEFAULT_SIZE;
	guint64 want = cap;

	if (self->params.write_rate_sectors > 0) {
		gsize lead_in = rb_preflight_lead_in_bytes(
			self->params.preflight, self->sector_size, self->params.leadin_start_lba);

		want = MAX((guint64)self->params.write_rate_sectors * self->sector_size *
				   RB_WRITE_JOB_FIFO_SECONDS,
			   (guint64)RB_WRITE_JOB_FIFO_MIN);
		/* a file's lead-in is scanned before the ring is made instead
		 * (rb_write_job_run_sync()); the lead-in's last sectors may
		 * share a chunk with the program area's */
		if (lead_in > 0 && !self->seekable)
			want = MAX(want,
				   (guint64)lead_in + self->sector_size * self->chunk_sectors);
	}
	return rb_fifo_round_size(self->sector_size, self->chunk_sectors, (gsize)MIN(want, cap));
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
	/* the ring comes when WRITING starts: a burn that waits for its
	 * authorization, prepares or finishes holds none */
	self->fifo = rb_fifo_new_empty(self->sector_size, self->chunk_sectors, self->wake);
	self->fifo_size = rb_write_job_choose_fifo_size(self);
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

gsize
rb_write_job_get_fifo_size(RbWriteJob *self)
{
	g_return_val_if_fail(RB_IS_WRITE_JOB(self), 0);
	return self->fifo_size;
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
	guint64 writes_sent = 0;

	rb_write_job_env_init(self, &env);
	/* a deep buffer before the laser starts: without BUFE an underrun
	 * ruins the disc; and with Preflight, the lead-in and the pregap
	 * checked as far as the FIFO holds them, so that a stream that is
	 * wrong there costs nothing */
	if (!rb_fifo_wait_filled(self->fifo,
				 rb_preflight_gate_bytes(self->lead_in_scanned
								 ? RB_PREFLIGHT_OFF
								 : self->params.preflight,
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
		/* only this thread changes them: no lock, no read-modify-write */
		if (writes_sent == 0)
			RB_WRITE_JOB_SET(self->write_start_us, g_get_monotonic_time());
		RB_WRITE_JOB_SET(self->writes_sent, ++writes_sent);
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
		RB_WRITE_JOB_SET(self->last_written_lba, (gint32)(lba - 1));
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
	    !rb_preflight_scan_fd(RB_PREFLIGHT_FULL,
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
	if (!rb_write_job_prepare(self, &env, error))
		return FALSE;

	rb_write_job_set_action(self, RB_WRITE_ACTION_WRITING);
	if (!rb_write_job_scan_lead_in(self, error))
		return FALSE;
	if (!rb_fifo_alloc_ring(self->fifo, self->fifo_size, &worker_error)) {
		g_set_error(error,
			    G_DBUS_ERROR,
			    G_DBUS_ERROR_LIMITS_EXCEEDED,
			    "%s",
			    worker_error->message);
		return FALSE;
	}
	reader = g_thread_try_new("rb-job-reader", rb_write_job_reader_thread, self, error);
	if (reader == NULL) {
		rb_fifo_free_ring(self->fifo);
		return FALSE;
	}
	writer = g_thread_try_new("rb-job-writer", rb_write_job_writer_thread, self, &worker_error);
	if (writer == NULL) {
		rb_fifo_fail(self->fifo, worker_error);
		g_cancellable_cancel(self->wake);
	}
	/* the reply waits for both workers, whatever happened */
	g_thread_join(reader);
	if (writer != NULL)
		g_thread_join(writer);
	/* nobody uses the ring any more: FINISHING and VERIFYING hold none */
	rb_fifo_free_ring(self->fifo);
	g_clear_error(&worker_error);
	worker_error = rb_fifo_dup_error(self->fifo);
	if (worker_error != NULL) {
		/* a drive in the middle of a DAO recording is told the stream is
		 * over, so that it leaves the writing state; what it answers does
		 * not change the outcome */
		if (RB_WRITE_JOB_GET(self->writes_sent) > 0) {
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
	rb_write_job_verify_begin(self);
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

/* on GLib's pool: the coordinator gets a thread of its own, as it holds
 * it for the whole burn and the pool has ten; the run's task goes to it */
static void
rb_write_job_spawn_coordinator(GTask *spawn,
			       gpointer source,
			       gpointer task_data,
			       GCancellable *cancellable)
{
	RbWriteJob *self = RB_WRITE_JOB(source);
	GTask *task = task_data;
	g_autoptr(GError) error = NULL;
	GThread *thread;

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
	} else {
		/* detached: the task's result is what the caller waits for */
		g_thread_unref(thread);
	}
	g_task_return_boolean(spawn, TRUE);
}

void
rb_write_job_run_async(RbWriteJob *self,
		       GCancellable *cancellable,
		       GAsyncReadyCallback callback,
		       gpointer user_data)
{
	g_autoptr(GTask) task = NULL;
	g_autoptr(GTask) spawn = NULL;

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
	/* made on GLib's pool, not here: mapping a thread's stack waits for the
	 * memory-map lock, which 64 burns filling their FIFOs held 375 ms */
	spawn = g_task_new(self, NULL, NULL, NULL);
	g_task_set_task_data(spawn, g_steal_pointer(&task), g_object_unref);
	g_task_run_in_thread(spawn, rb_write_job_spawn_coordinator);
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
