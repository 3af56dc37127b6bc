/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The raw write job against the emulated recorder: whole burns in each
 * sector type from files and pipes (the drive's report clean, the recorded
 * image equal to the stream from the disc's lead-in start on), streams
 * refused before the first WRITE, streams that end badly, cancellation in
 * each action with both worker threads gone, progress that never goes
 * back, and drive errors reaching the caller by name.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "rb-dao-stream.h"
#include "rb-error.h"
#include "rb-fifo.h"
#include "rb-mmc-cdb.h"
#include "rb-mmc-transport.h"
#include "rb-subchannel.h"
#include "rb-test-fake-transport.h"
#include "rb-test-service.h"
#include "rb-vdrive-transport.h"
#include "rb-write-job.h"

#define RB_SPEC "media=cd-r-80,realtime=false"
#define RB_PROGRAM_SECTORS 300
/* 0.01: the drive's one-second finishing polls take 10 ms */
#define RB_TIME_SCALE 0.01
#define RB_CANCEL_DEADLINE_US 500000

/* ---- a transport in front of the drive: counts opcodes, may hold one ---- */

#define RB_TYPE_GATE_TRANSPORT (rb_gate_transport_get_type())
G_DECLARE_FINAL_TYPE(RbGateTransport, rb_gate_transport, RB, GATE_TRANSPORT, RbMmcTransport)

struct _RbGateTransport {
	RbMmcTransport parent_instance;
	RbMmcTransport *inner;
	GMutex mutex;
	GCond cond;
	gint gate_opcode; /* -1: none */
	gboolean open;
	guint counts[256];
	/* page 05h byte 2 of the last MODE SELECT(10), as the job sent it */
	guint8 page05_byte2;
	/* a drive that ignores Test Write: the bit never reaches it */
	gboolean strip_test_write;
};

G_DEFINE_TYPE(RbGateTransport, rb_gate_transport, RB_TYPE_MMC_TRANSPORT)

static gboolean
rb_gate_transport_execute(RbMmcTransport *transport,
			  const guint8 *cdb,
			  gsize cdb_len,
			  RbMmcDirection direction,
			  guint8 *buffer,
			  gsize buffer_len,
			  guint timeout_ms,
			  RbMmcResult *result,
			  GError **error)
{
	RbGateTransport *self = RB_GATE_TRANSPORT(transport);

	g_mutex_lock(&self->mutex);
	self->counts[cdb[0]]++;
	/* the 8-byte mode header, then the page: byte 2 has Test Write (bit 4) */
	if (cdb[0] == RB_MMC_MODE_SELECT_10 && buffer_len > 8 + 2) {
		self->page05_byte2 = buffer[8 + 2];
		if (self->strip_test_write)
			buffer[8 + 2] &= (guint8)~0x10;
	}
	while (cdb[0] == self->gate_opcode && !self->open)
		g_cond_wait(&self->cond, &self->mutex);
	g_mutex_unlock(&self->mutex);
	return rb_mmc_transport_execute(self->inner,
					cdb,
					cdb_len,
					direction,
					buffer,
					buffer_len,
					timeout_ms,
					result,
					error);
}

static void
rb_gate_transport_finalize(GObject *object)
{
	RbGateTransport *self = RB_GATE_TRANSPORT(object);

	g_object_unref(self->inner);
	g_mutex_clear(&self->mutex);
	g_cond_clear(&self->cond);
	G_OBJECT_CLASS(rb_gate_transport_parent_class)->finalize(object);
}

static void
rb_gate_transport_class_init(RbGateTransportClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = rb_gate_transport_finalize;
	RB_MMC_TRANSPORT_CLASS(klass)->execute = rb_gate_transport_execute;
}

static void
rb_gate_transport_init(RbGateTransport *self)
{
	g_mutex_init(&self->mutex);
	g_cond_init(&self->cond);
	self->gate_opcode = -1;
}

static RbGateTransport *
rb_gate_transport_new(RbVdrive *drive)
{
	RbGateTransport *self = g_object_new(RB_TYPE_GATE_TRANSPORT, NULL);
	self->inner = rb_vdrive_transport_new(drive);
	return self;
}

static void
rb_gate_transport_open(RbGateTransport *self)
{
	g_mutex_lock(&self->mutex);
	self->open = TRUE;
	g_cond_broadcast(&self->cond);
	g_mutex_unlock(&self->mutex);
}

/* from now on @opcode waits at the gate; one held there goes on */
static void
rb_gate_transport_hold(RbGateTransport *self, gint opcode)
{
	g_mutex_lock(&self->mutex);
	self->gate_opcode = opcode;
	self->open = FALSE;
	g_cond_broadcast(&self->cond);
	g_mutex_unlock(&self->mutex);
}

static guint
rb_gate_transport_count(RbGateTransport *self, guint8 opcode)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->mutex);
	return self->counts[opcode];
}

static guint
rb_gate_transport_count_all(RbGateTransport *self)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->mutex);
	guint n = 0;

	for (guint i = 0; i < G_N_ELEMENTS(self->counts); i++)
		n += self->counts[i];
	return n;
}

/* ---- a drive, a stream, a job ---- */

static gboolean
rb_pattern_main(gint32 lba, guint8 *main_data, gpointer user_data, GError **error)
{
	for (guint i = 0; i < RB_CD_MAIN_SIZE; i++)
		main_data[i] = (guint8)(lba * 7 + i);
	return TRUE;
}

typedef struct {
	RbVdrive *drive;
	RbGateTransport *transport;
	RbDaoStream *stream;
	gint32 leadin;
	gint32 last_leadout;
	RbPreflight preflight; /* lead-in unless a test wants the job's own checks */
	gboolean test_write;   /* simulate */
} RbBed;

static void
rb_bed_init(RbBed *bed, const gchar *spec_text, guint sector_type, gint32 stream_first_lba)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RbVirtualSpec) spec = rb_virtual_spec_parse(spec_text, &error);
	const RbDaoTrack track = {0, RB_PROGRAM_SECTORS};

	ck_assert_msg(spec != NULL, "%s", error ? error->message : "");
	bed->drive = rb_vdrive_new(spec);
	bed->transport = rb_gate_transport_new(bed->drive);
	bed->leadin = rb_vdrive_get_leadin_start(bed->drive);
	bed->last_leadout = rb_vdrive_get_last_leadout_start(bed->drive);
	if (stream_first_lba == 0)
		stream_first_lba = bed->leadin;
	bed->stream = rb_dao_stream_new(stream_first_lba,
					&track,
					1,
					rb_mmc_imapi_sector_type_to_dbt(sector_type),
					rb_pattern_main,
					NULL,
					NULL,
					&error);
	ck_assert_msg(bed->stream != NULL, "%s", error ? error->message : "");
}

static void
rb_bed_clear(RbBed *bed)
{
	g_clear_pointer(&bed->stream, rb_dao_stream_free);
	g_clear_object(&bed->transport);
	g_clear_object(&bed->drive);
}

/* the stream's sectors [from, to) into @fd */
static gboolean
rb_write_sectors(const RbDaoStream *stream, gint fd, gint32 from, gint32 to, guint64 *limit)
{
	gsize ss = rb_dao_stream_get_sector_size(stream);
	g_autofree guint8 *buf = g_malloc(256 * ss);

	for (gint32 lba = from; lba < to;) {
		guint n = (guint)MIN(256, to - lba);
		gsize len = n * ss;
		gsize done = 0;

		ck_assert(rb_dao_stream_get_sectors(stream, lba, n, buf, NULL));
		if (limit != NULL)
			len = (gsize)MIN((guint64)len, *limit);
		while (done < len) {
			gssize w = write(fd, buf + done, len - done);
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				return FALSE; /* EPIPE: the job stopped reading */
			done += (gsize)w;
		}
		if (limit != NULL) {
			*limit -= len;
			if (*limit == 0)
				return TRUE;
		}
		lba += (gint32)n;
	}
	return TRUE;
}

/* the whole stream in a temporary file, plus @extra bytes of garbage */
static gint
rb_stream_to_file(const RbDaoStream *stream, gsize extra)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *path = NULL;
	gint fd = g_file_open_tmp("rawburn-job-XXXXXX", &path, &error);

	ck_assert_msg(fd >= 0, "%s", error ? error->message : "");
	unlink(path);
	ck_assert(rb_write_sectors(stream,
				   fd,
				   rb_dao_stream_get_first_lba(stream),
				   rb_dao_stream_get_end_lba(stream),
				   NULL));
	if (extra > 0) {
		g_autofree guint8 *garbage = g_malloc0(extra);
		ck_assert_int_eq(write(fd, garbage, extra), (gssize)extra);
	}
	ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
	return fd;
}

/* a client writing the stream into a pipe: all of it, or its first
 * @limit bytes, or stalling after @limit bytes until @release is cancelled */
typedef struct {
	const RbDaoStream *stream;
	gint fd;
	guint64 limit;
	GCancellable *release;
	GThread *thread;
} RbFeeder;

static gpointer
rb_feeder_thread(gpointer user_data)
{
	RbFeeder *feeder = user_data;
	guint64 limit = feeder->limit;

	rb_write_sectors(feeder->stream,
			 feeder->fd,
			 rb_dao_stream_get_first_lba(feeder->stream),
			 rb_dao_stream_get_end_lba(feeder->stream),
			 limit > 0 ? &limit : NULL);
	if (feeder->release != NULL) {
		GPollFD pollfd;
		ck_assert(g_cancellable_make_pollfd(feeder->release, &pollfd));
		g_poll(&pollfd, 1, -1);
		g_cancellable_release_fd(feeder->release);
	}
	close(feeder->fd);
	return NULL;
}

/* the read end for the job; the feeder runs until joined */
static gint
rb_feeder_start(RbFeeder *feeder, const RbDaoStream *stream, guint64 limit, GCancellable *release)
{
	gint fds[2];

	ck_assert_int_eq(pipe(fds), 0);
	feeder->stream = stream;
	feeder->fd = fds[1];
	feeder->limit = limit;
	feeder->release = release;
	feeder->thread = g_thread_new("test-feeder", rb_feeder_thread, feeder);
	return fds[0];
}

static RbWriteJob *
rb_job_new(RbBed *bed, gint fd, guint sector_type, GError **error)
{
	RbWriteJobParams params = {
		.fd = fd,
		.stream_first_lba = rb_dao_stream_get_first_lba(bed->stream),
		.sector_type = sector_type,
		.leadin_start_lba = bed->leadin,
		.last_leadout_start_lba = bed->last_leadout,
		.bufe = TRUE,
		.write_speed_kbps = RB_MMC_SPEED_MAX,
		.rotation = RB_MMC_ROTATION_CLV,
		.fifo_size = 4 * 1024 * 1024,
		.preflight = bed->preflight,
		.test_write = bed->test_write,
	};
	RbWriteJob *job = rb_write_job_new(RB_MMC_TRANSPORT(bed->transport), &params, error);

	if (job != NULL)
		rb_write_job_set_time_scale(job, RB_TIME_SCALE);
	return job;
}

/* ---- running a job on a main loop, watching its progress ---- */

typedef struct {
	RbWriteJob *job;
	GMainLoop *loop;
	GAsyncResult *result;
	GArray *actions;
	RbWriteProgress last;
	gboolean have_last;
	guint polls;
	/* cancel at this action, or once this LBA is written */
	RbWriteAction cancel_at;
	gint32 cancel_at_lba;
	RbGateTransport *open_gate;
	gint64 cancelled_us;
} RbRun;

static void
rb_run_cancel(RbRun *run)
{
	if (run->cancelled_us != 0)
		return;
	run->cancelled_us = g_get_monotonic_time();
	rb_write_job_cancel(run->job);
	if (run->open_gate != NULL)
		rb_gate_transport_open(run->open_gate);
}

static void
rb_run_check_progress(RbRun *run)
{
	RbWriteProgress p;

	rb_write_job_get_progress(run->job, &p);
	run->polls++;
	ck_assert_uint_eq(p.fifo_total, p.fifo_used + p.fifo_free);
	ck_assert_int_ge(p.last_read_lba, p.last_written_lba);
	ck_assert_int_ge(p.elapsed_seconds, 0);
	if (run->have_last) {
		ck_assert_int_ge(p.action, run->last.action);
		ck_assert_int_ge(p.last_written_lba, run->last.last_written_lba);
		ck_assert_int_ge(p.last_read_lba, run->last.last_read_lba);
		ck_assert_int_ge(p.sector_count, run->last.sector_count);
		ck_assert_int_ge(p.elapsed_seconds, run->last.elapsed_seconds);
		ck_assert_int_eq(p.start_lba, run->last.start_lba);
	}
	run->last = p;
	run->have_last = TRUE;
	if (run->cancel_at_lba != G_MININT32 && p.last_written_lba >= run->cancel_at_lba)
		rb_run_cancel(run);
}

static gboolean
rb_run_poll_cb(gpointer user_data)
{
	rb_run_check_progress(user_data);
	return G_SOURCE_CONTINUE;
}

static void
rb_run_action_cb(RbWriteJob *job, RbWriteAction action, gpointer user_data)
{
	RbRun *run = user_data;

	ck_assert_ptr_eq(job, run->job);
	/* in order, each once */
	if (run->actions->len > 0)
		ck_assert_int_gt(action,
				 g_array_index(run->actions, RbWriteAction, run->actions->len - 1));
	g_array_append_val(run->actions, action);
	if (action == run->cancel_at)
		rb_run_cancel(run);
}

static void
rb_run_done_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	RbRun *run = user_data;

	run->result = g_object_ref(result);
	g_main_loop_quit(run->loop);
}

/* worker threads of any job alive in this process */
static guint
rb_count_job_threads(void)
{
	g_autoptr(GDir) dir = g_dir_open("/proc/self/task", 0, NULL);
	const gchar *name;
	guint n = 0;

	ck_assert(dir != NULL);
	while ((name = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *path = g_strdup_printf("/proc/self/task/%s/comm", name);
		g_autofree gchar *comm = NULL;

		if (!g_file_get_contents(path, &comm, NULL, NULL))
			continue;
		if (g_str_has_prefix(comm, "rb-job-reader") ||
		    g_str_has_prefix(comm, "rb-job-writer"))
			n++;
	}
	return n;
}

static void
rb_run_init(RbRun *run, RbWriteJob *job)
{
	memset(run, 0, sizeof(*run));
	run->job = job;
	run->actions = g_array_new(FALSE, FALSE, sizeof(RbWriteAction));
	run->cancel_at = (RbWriteAction)-1;
	run->cancel_at_lba = G_MININT32;
}

static void
rb_run_clear(RbRun *run)
{
	g_clear_pointer(&run->actions, g_array_unref);
}

/* runs the job to its end; returns its error. Checks that the reply came
 * only after both worker threads were gone. */
static GError *
rb_run(RbRun *run)
{
	g_autoptr(GMainContext) context = g_main_context_new();
	g_autoptr(GSource) poll_source = g_timeout_source_new(2);
	GError *error = NULL;

	g_main_context_push_thread_default(context);
	run->loop = g_main_loop_new(context, FALSE);
	rb_write_job_set_action_func(run->job, rb_run_action_cb, run, NULL);
	g_source_set_callback(poll_source, rb_run_poll_cb, run, NULL);
	g_source_attach(poll_source, context);
	rb_write_job_run_async(run->job, NULL, rb_run_done_cb, run);
	g_main_loop_run(run->loop);
	ck_assert_uint_eq(rb_count_job_threads(), 0);
	if (!rb_write_job_run_finish(run->job, run->result, &error))
		ck_assert(error != NULL);
	rb_run_check_progress(run);
	g_source_destroy(poll_source);
	g_clear_object(&run->result);
	g_clear_pointer(&run->loop, g_main_loop_unref);
	/* nothing may arrive after the reply */
	while (g_main_context_iteration(context, FALSE))
		;
	g_main_context_pop_thread_default(context);
	return error;
}

/* ---- checks on the recorded disc ---- */

static void
rb_assert_report_clean(RbBed *bed)
{
	RbVdriveReport report;
	gint32 end = rb_dao_stream_get_end_lba(bed->stream);

	rb_vdrive_get_report(bed->drive, &report);
	ck_assert_uint_eq(report.sectors_written, (guint64)(end - bed->leadin));
	ck_assert_int_eq(report.first_lba, bed->leadin);
	ck_assert_uint_eq(report.bad_q_crc, 0);
	ck_assert_uint_eq(report.address_mismatches, 0);
	ck_assert_uint_eq(report.toc_mismatches, 0);
	ck_assert_uint_eq(report.toc_short_runs, 0);
	ck_assert_uint_eq(report.tracks, 1);
	ck_assert_int_eq(report.leadout_start, RB_PROGRAM_SECTORS);
	ck_assert(report.complete);
}

/* the exported image (main + raw P-W per LBA) is the stream from the disc's
 * lead-in start on; for 16-byte P-Q the drive rebuilt P-W, so compare Q */
static void
rb_assert_export_equals_stream(RbBed *bed, guint sector_type)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *path = NULL;
	g_autofree gchar *image = NULL;
	g_autofree guint8 *expected = NULL;
	gsize ss = rb_dao_stream_get_sector_size(bed->stream);
	gint32 end = rb_dao_stream_get_end_lba(bed->stream);
	guint dbt = rb_mmc_imapi_sector_type_to_dbt(sector_type);
	gsize image_len = 0;
	gint fd = g_file_open_tmp("rawburn-export-XXXXXX", &path, &error);

	ck_assert(fd >= 0);
	ck_assert_msg(rb_vdrive_export_image(bed->drive, fd, &error), "%s", error->message);
	close(fd);
	ck_assert(g_file_get_contents(path, &image, &image_len, &error));
	unlink(path);
	ck_assert_uint_eq(image_len, (gsize)(end - bed->leadin) * 2448);
	expected = g_malloc(ss);
	for (gint32 lba = bed->leadin; lba < end; lba++) {
		const guint8 *got = (const guint8 *)image + (gsize)(lba - bed->leadin) * 2448;

		ck_assert(rb_dao_stream_get_sector(bed->stream, lba, expected, NULL));
		if (ss == 2448) {
			if (memcmp(got, expected, ss) != 0)
				ck_abort_msg("LBA %d differs", lba);
		} else {
			guint8 q_got[RB_SUBQ_SIZE];
			guint8 q_expected[RB_SUBQ_SIZE];
			gboolean p;

			if (memcmp(got, expected, RB_CD_MAIN_SIZE) != 0)
				ck_abort_msg("main channel of LBA %d differs", lba);
			rb_subchannel_pw_get_q(got + RB_CD_MAIN_SIZE, q_got);
			ck_assert(rb_subchannel_get_q(
				dbt, expected + RB_CD_MAIN_SIZE, q_expected, &p, NULL));
			if (memcmp(q_got, q_expected, RB_SUBQ_SIZE) != 0)
				ck_abort_msg("Q of LBA %d differs", lba);
		}
	}
}

/* ---- whole burns ---- */

typedef struct {
	guint sector_type;
	gint32 stream_first_lba; /* 0: the disc's own lead-in start */
	gboolean pipe;
} RbBurnCase;

static const RbBurnCase rb_burn_cases[] = {
	{3, RB_DAO_STREAM_LEADIN_ANCHOR, FALSE},
	{2, 0, FALSE},
	{1, RB_DAO_STREAM_LEADIN_ANCHOR, FALSE},
	{3, RB_DAO_STREAM_LEADIN_ANCHOR, TRUE},
	{2, RB_DAO_STREAM_LEADIN_ANCHOR, TRUE},
	{1, 0, TRUE},
};

START_TEST(test_write_job_burn)
{
	const RbBurnCase *bc = &rb_burn_cases[_i];
	g_autoptr(GError) error = NULL;
	g_autoptr(RbWriteJob) job = NULL;
	RbBed bed = {0};
	RbFeeder feeder = {0};
	RbRun run;
	gint32 end;
	gint fd;

	rb_bed_init(&bed, RB_SPEC, bc->sector_type, bc->stream_first_lba);
	ck_assert_int_eq(bed.leadin, -11634);
	end = rb_dao_stream_get_end_lba(bed.stream);
	fd = bc->pipe ? rb_feeder_start(&feeder, bed.stream, 0, NULL)
		      : rb_stream_to_file(bed.stream, 0);
	job = rb_job_new(&bed, fd, bc->sector_type, &error);
	ck_assert_msg(job != NULL, "%s", error ? error->message : "");
	close(fd); /* the job has its own */
	ck_assert_uint_eq(rb_write_job_get_sector_size(job), bc->sector_type == 1 ? 2368 : 2448);
	ck_assert_uint_eq(rb_write_job_get_chunk_sectors(job), bc->sector_type == 1 ? 27 : 26);

	rb_run_init(&run, job);
	error = rb_run(&run);
	ck_assert_msg(error == NULL, "%s", error ? error->message : "");
	if (bc->pipe)
		g_thread_join(feeder.thread);

	ck_assert_uint_eq(run.actions->len, 3);
	ck_assert_int_eq(g_array_index(run.actions, RbWriteAction, 0), RB_WRITE_ACTION_PREPARING);
	ck_assert_int_eq(g_array_index(run.actions, RbWriteAction, 1), RB_WRITE_ACTION_WRITING);
	ck_assert_int_eq(g_array_index(run.actions, RbWriteAction, 2), RB_WRITE_ACTION_FINISHING);
	ck_assert_int_eq(run.last.action, RB_WRITE_ACTION_FINISHING);
	ck_assert_int_eq(run.last.start_lba, bed.leadin);
	ck_assert_int_eq(run.last.sector_count, end - bed.leadin);
	ck_assert_int_eq(run.last.last_read_lba, end - 1);
	ck_assert_int_eq(run.last.last_written_lba, end - 1);
	ck_assert_uint_eq(run.last.fifo_used, 0);
	/* every WRITE full-size but the last */
	ck_assert_uint_eq(rb_gate_transport_count(bed.transport, RB_MMC_WRITE_10),
			  (guint)(end - bed.leadin + rb_write_job_get_chunk_sectors(job) - 1) /
				  rb_write_job_get_chunk_sectors(job));
	ck_assert_uint_eq(rb_gate_transport_count(bed.transport, RB_MMC_SYNCHRONIZE_CACHE), 1);

	rb_assert_report_clean(&bed);
	rb_assert_export_equals_stream(&bed, bc->sector_type);
	rb_run_clear(&run);
	g_clear_object(&job);
	rb_bed_clear(&bed);
}
END_TEST

/* ---- refused up front ---- */

static void
rb_assert_nothing_sent(RbBed *bed)
{
	RbVdriveReport report;

	rb_vdrive_get_report(bed->drive, &report);
	ck_assert_uint_eq(report.sectors_written, 0);
	ck_assert_uint_eq(rb_gate_transport_count_all(bed->transport), 0);
}

START_TEST(test_write_job_refuse_misaligned)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RbWriteJob) job = NULL;
	g_autofree gchar *size_text = NULL;
	RbBed bed = {0};
	gint fd;

	rb_bed_init(&bed, RB_SPEC, 3, RB_DAO_STREAM_LEADIN_ANCHOR);
	fd = rb_stream_to_file(bed.stream, 100);
	job = rb_job_new(&bed, fd, 3, &error);
	ck_assert(job == NULL);
	rb_assert_error(error, RB_ERROR, RB_ERROR_STREAM_NOT_SUPPORTED);
	size_text = g_strdup_printf("%" G_GUINT64_FORMAT,
				    (guint64)rb_dao_stream_get_n_sectors(bed.stream) * 2448 + 100);
	ck_assert_msg(strstr(error->message, size_text) != NULL, "%s", error->message);
	ck_assert_msg(strstr(error->message, "2448") != NULL, "%s", error->message);
	g_clear_error(&error);
	/* the same file as 2368-byte sectors is misaligned too */
	job = rb_job_new(&bed, fd, 1, &error);
	ck_assert(job == NULL);
	rb_assert_error(error, RB_ERROR, RB_ERROR_STREAM_NOT_SUPPORTED);
	ck_assert_msg(strstr(error->message, "2368") != NULL, "%s", error->message);
	close(fd);
	rb_assert_nothing_sent(&bed);
	rb_bed_clear(&bed);
}
END_TEST

START_TEST(test_write_job_refuse_unreadable)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RbWriteJob) job = NULL;
	RbBed bed = {0};
	gint fds[2];

	rb_bed_init(&bed, RB_SPEC, 3, 0);
	/* the write end of a pipe */
	ck_assert_int_eq(pipe(fds), 0);
	job = rb_job_new(&bed, fds[1], 3, &error);
	ck_assert(job == NULL);
	rb_assert_error(error, RB_ERROR, RB_ERROR_STREAM_NOT_SUPPORTED);
	g_clear_error(&error);
	/* a closed descriptor */
	close(fds[0]);
	close(fds[1]);
	job = rb_job_new(&bed, fds[0], 3, &error);
	ck_assert(job == NULL);
	rb_assert_error(error, RB_ERROR, RB_ERROR_STREAM_NOT_SUPPORTED);
	rb_assert_nothing_sent(&bed);
	rb_bed_clear(&bed);
}
END_TEST

/* a stream that starts after the disc's lead-in start, from a file or a pipe */
START_TEST(test_write_job_refuse_leadin_too_short)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RbWriteJob) job = NULL;
	RbBed bed = {0};
	RbFeeder feeder = {0};
	gint fd;

	rb_bed_init(&bed, RB_SPEC, 3, -11634 + 75);
	fd = rb_stream_to_file(bed.stream, 0);
	job = rb_job_new(&bed, fd, 3, &error);
	ck_assert(job == NULL);
	rb_assert_error(error, RB_ERROR, RB_ERROR_STREAM_LEADIN_TOO_SHORT);
	g_clear_error(&error);
	close(fd);

	fd = rb_feeder_start(&feeder, bed.stream, 0, NULL);
	job = rb_job_new(&bed, fd, 3, &error);
	ck_assert(job == NULL);
	rb_assert_error(error, RB_ERROR, RB_ERROR_STREAM_LEADIN_TOO_SHORT);
	close(fd);
	g_thread_join(feeder.thread);
	rb_assert_nothing_sent(&bed);
	rb_bed_clear(&bed);
}
END_TEST

/* longer than the disc: refused up front from a file; from a pipe, refused
 * when the excess arrives, and no WRITE goes past the disc's end. The disc
 * is made to look small by what PrepareMedia would have read. */
START_TEST(test_write_job_refuse_too_long)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RbWriteJob) job = NULL;
	RbBed bed = {0};
	RbFeeder feeder = {0};
	RbVdriveReport report;
	RbRun run;
	gint fd;

	rb_bed_init(&bed, RB_SPEC, 3, RB_DAO_STREAM_LEADIN_ANCHOR);
	/* room for the program area but 10 sectors short of the lead-out */
	bed.last_leadout = RB_PROGRAM_SECTORS - 10;
	/* the job's own limits, behind the preflight (which sees A2 past the
	 * disc in the lead-in already: test_write_job_preflight) */
	bed.preflight = RB_PREFLIGHT_OFF;
	fd = rb_stream_to_file(bed.stream, 0);
	job = rb_job_new(&bed, fd, 3, &error);
	ck_assert(job == NULL);
	rb_assert_error(error, RB_ERROR, RB_ERROR_NOT_ENOUGH_SPACE);
	g_clear_error(&error);
	close(fd);
	rb_assert_nothing_sent(&bed);

	fd = rb_feeder_start(&feeder, bed.stream, 0, NULL);
	job = rb_job_new(&bed, fd, 3, &error);
	ck_assert_msg(job != NULL, "%s", error ? error->message : "");
	close(fd);
	rb_run_init(&run, job);
	error = rb_run(&run);
	rb_assert_error(error, RB_ERROR, RB_ERROR_NOT_ENOUGH_SPACE);
	g_clear_object(&job); /* closes the read end: the feeder stops */
	g_thread_join(feeder.thread);
	rb_vdrive_get_report(bed.drive, &report);
	ck_assert_uint_le(report.sectors_written, (guint64)(bed.last_leadout + 6750 - bed.leadin));
	rb_run_clear(&run);
	rb_bed_clear(&bed);
}
END_TEST

/* ---- streams that end badly ---- */

/* a pipe ending inside a sector: StreamNotSupported, the disc unfinished */
START_TEST(test_write_job_pipe_partial_sector)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RbWriteJob) job = NULL;
	RbBed bed = {0};
	RbFeeder feeder = {0};
	RbVdriveReport report;
	RbRun run;
	gint fd;

	rb_bed_init(&bed, RB_SPEC, 2, RB_DAO_STREAM_LEADIN_ANCHOR);
	fd = rb_feeder_start(&feeder,
			     bed.stream,
			     (guint64)rb_dao_stream_get_n_sectors(bed.stream) * 2448 - 1000,
			     NULL);
	job = rb_job_new(&bed, fd, 2, &error);
	ck_assert(job != NULL);
	close(fd);
	rb_run_init(&run, job);
	error = rb_run(&run);
	rb_assert_error(error, RB_ERROR, RB_ERROR_STREAM_NOT_SUPPORTED);
	ck_assert_msg(strstr(error->message, "2448") != NULL, "%s", error->message);
	g_thread_join(feeder.thread);
	/* the last, partial sector never reached the drive */
	rb_vdrive_get_report(bed.drive, &report);
	ck_assert_uint_lt(report.sectors_written,
			  (guint64)(rb_dao_stream_get_end_lba(bed.stream) - bed.leadin));
	/* no FINISHING: the burn failed in WRITING */
	ck_assert_int_eq(run.last.action, RB_WRITE_ACTION_WRITING);
	rb_run_clear(&run);
	g_clear_object(&job);
	rb_bed_clear(&bed);
}
END_TEST

/* A pipe ending at a sector boundary before the lead-out: the job writes
 * what came and finishes; the drive then reports the disc incomplete, and
 * the job fails with StreamNotSupported saying the stream had no lead-out. */
START_TEST(test_write_job_pipe_ends_early)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RbWriteJob) job = NULL;
	RbBed bed = {0};
	RbFeeder feeder = {0};
	RbVdriveReport report;
	RbRun run;
	gint fd;
	/* up to LBA 100 of the program area */
	guint64 sectors = (guint64)(100 - RB_DAO_STREAM_LEADIN_ANCHOR);

	rb_bed_init(&bed, RB_SPEC, 3, RB_DAO_STREAM_LEADIN_ANCHOR);
	/* what the drive says of such a disc; the preflight would have stopped
	 * the stream at its end (test_write_job_preflight) */
	bed.preflight = RB_PREFLIGHT_OFF;
	fd = rb_feeder_start(&feeder, bed.stream, sectors * 2448, NULL);
	job = rb_job_new(&bed, fd, 3, &error);
	ck_assert(job != NULL);
	close(fd);
	rb_run_init(&run, job);
	error = rb_run(&run);
	g_thread_join(feeder.thread);
	rb_assert_error(error, RB_ERROR, RB_ERROR_STREAM_NOT_SUPPORTED);
	ck_assert_msg(strstr(error->message, "LBA 99") != NULL, "%s", error->message);
	ck_assert_int_eq(run.last.action, RB_WRITE_ACTION_FINISHING);
	ck_assert_int_eq(run.last.last_written_lba, 99);
	ck_assert_int_eq(run.last.sector_count, 100 - bed.leadin);
	rb_vdrive_get_report(bed.drive, &report);
	ck_assert_uint_eq(report.sectors_written, (guint64)(100 - bed.leadin));
	ck_assert_uint_eq(report.bad_q_crc, 0);
	ck_assert(!report.complete);
	rb_run_clear(&run);
	g_clear_object(&job);
	rb_bed_clear(&bed);
}
END_TEST

/* ---- cancellation ---- */

typedef enum {
	RB_CANCEL_PREPARING,        /* held in MODE SELECT */
	RB_CANCEL_WRITING_BUSY,     /* the drive answers 02/04/08 for ever */
	RB_CANCEL_WRITING_REALTIME, /* a drive writing at 16x */
	RB_CANCEL_WRITING_STALLED,  /* the client's pipe gives nothing more */
	RB_CANCEL_FINISHING,        /* a long finishing poll */
} RbCancelCase;

START_TEST(test_write_job_cancel)
{
	RbCancelCase cc = (RbCancelCase)_i;
	g_autoptr(GError) error = NULL;
	g_autoptr(RbWriteJob) job = NULL;
	g_autoptr(GCancellable) release = g_cancellable_new();
	RbBed bed = {0};
	RbFeeder feeder = {0};
	RbVdriveFaults faults;
	RbVdriveReport report;
	RbRun run;
	gint64 ended_us;
	gint fd;

	rb_bed_init(&bed,
		    cc == RB_CANCEL_WRITING_REALTIME ? "media=cd-r-80,speed=16,realtime=true"
						     : RB_SPEC,
		    3,
		    0);
	rb_vdrive_faults_init(&faults);
	if (cc == RB_CANCEL_WRITING_BUSY) {
		faults.not_ready_after_lba = bed.leadin + 500;
		faults.not_ready_count = G_MAXUINT;
	} else if (cc == RB_CANCEL_FINISHING) {
		faults.long_write_ms = RB_VDRIVE_FINISHING_MS_MAX;
	}
	rb_vdrive_set_faults(bed.drive, &faults);
	if (cc == RB_CANCEL_PREPARING)
		bed.transport->gate_opcode = RB_MMC_MODE_SELECT_10;
	fd = cc == RB_CANCEL_WRITING_STALLED
		     ? rb_feeder_start(&feeder, bed.stream, 2000 * 2448 + 1000, release)
		     : rb_stream_to_file(bed.stream, 0);
	job = rb_job_new(&bed, fd, 3, &error);
	ck_assert(job != NULL);
	close(fd);

	rb_run_init(&run, job);
	switch (cc) {
	case RB_CANCEL_PREPARING:
		run.cancel_at = RB_WRITE_ACTION_PREPARING;
		run.open_gate = bed.transport;
		break;
	case RB_CANCEL_WRITING_BUSY:
		/* the WRITE after LBA +500 is retried while busy */
		run.cancel_at_lba = bed.leadin + 490;
		break;
	case RB_CANCEL_WRITING_STALLED:
		/* the FIFO drained, the reader in poll() on a silent pipe */
		run.cancel_at_lba = bed.leadin + 1970;
		break;
	case RB_CANCEL_WRITING_REALTIME:
		/* past the drive's 2 MiB buffer: WRITEs wait for the disc */
		run.cancel_at_lba = bed.leadin + 1500;
		break;
	case RB_CANCEL_FINISHING:
		run.cancel_at = RB_WRITE_ACTION_FINISHING;
		break;
	}
	error = rb_run(&run);
	ended_us = g_get_monotonic_time();
	rb_assert_error(error, RB_ERROR, RB_ERROR_REQUEST_CANCELLED);
	ck_assert_int_gt(run.cancelled_us, 0);
	ck_assert_int_lt(ended_us - run.cancelled_us, RB_CANCEL_DEADLINE_US);
	g_cancellable_cancel(release);
	if (feeder.thread != NULL)
		g_thread_join(feeder.thread);

	rb_vdrive_get_report(bed.drive, &report);
	switch (cc) {
	case RB_CANCEL_PREPARING:
		ck_assert_uint_eq(run.actions->len, 1);
		ck_assert_uint_eq(rb_gate_transport_count(bed.transport, RB_MMC_SET_CD_SPEED), 0);
		ck_assert_uint_eq(rb_gate_transport_count(bed.transport, RB_MMC_WRITE_10), 0);
		ck_assert_uint_eq(report.sectors_written, 0);
		break;
	case RB_CANCEL_WRITING_BUSY:
	case RB_CANCEL_WRITING_STALLED:
	case RB_CANCEL_WRITING_REALTIME:
		ck_assert_int_eq(run.last.action, RB_WRITE_ACTION_WRITING);
		ck_assert_uint_gt(report.sectors_written, 0);
		ck_assert(!report.complete);
		/* the drive was told the stream is over */
		ck_assert_uint_eq(rb_gate_transport_count(bed.transport, RB_MMC_SYNCHRONIZE_CACHE),
				  1);
		break;
	case RB_CANCEL_FINISHING:
		ck_assert_int_eq(run.last.action, RB_WRITE_ACTION_FINISHING);
		ck_assert_uint_eq(report.sectors_written,
				  (guint64)(rb_dao_stream_get_end_lba(bed.stream) - bed.leadin));
		break;
	}
	rb_run_clear(&run);
	g_clear_object(&job);
	rb_bed_clear(&bed);
}
END_TEST

/* a cancellable passed to run_async works like rb_write_job_cancel() */
/* the ring is there only while WRITING: none while PREPARING, none after */
static void
rb_iterate_until_sent(GMainContext *context, RbGateTransport *transport, guint8 opcode)
{
	while (rb_gate_transport_count(transport, opcode) == 0) {
		g_main_context_iteration(context, FALSE);
		g_usleep(1000);
	}
}

static void
rb_fifo_done_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(GError) error = NULL;

	ck_assert_msg(rb_write_job_run_finish(RB_WRITE_JOB(source), result, &error),
		      "%s",
		      error != NULL ? error->message : "");
	*(gboolean *)user_data = TRUE;
}

START_TEST(test_write_job_fifo_lifetime)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RbWriteJob) job = NULL;
	g_autoptr(GMainContext) context = g_main_context_new();
	RbBed bed = {0};
	RbWriteProgress p;
	gboolean done = FALSE;
	gint fd;

	rb_bed_init(&bed, RB_SPEC, 3, 0);
	fd = rb_stream_to_file(bed.stream, 0);
	job = rb_job_new(&bed, fd, 3, &error);
	ck_assert(job != NULL);
	close(fd);
	/* no rate given: the cap, rb_job_new()'s 4 MiB */
	ck_assert_uint_eq(rb_write_job_get_fifo_size(job),
			  rb_fifo_round_size(2448, 26, 4 * 1024 * 1024));
	rb_write_job_get_progress(job, &p);
	ck_assert_uint_eq(p.fifo_total, 0);
	ck_assert_uint_eq(p.fifo_size, rb_write_job_get_fifo_size(job));
	ck_assert_int_eq(p.fifo_min_used, -1);

	g_main_context_push_thread_default(context);
	rb_gate_transport_hold(bed.transport, RB_MMC_MODE_SELECT_10);
	rb_write_job_run_async(job, NULL, rb_fifo_done_cb, &done);
	rb_iterate_until_sent(context, bed.transport, RB_MMC_MODE_SELECT_10);
	rb_write_job_get_progress(job, &p);
	ck_assert_int_eq(p.action, RB_WRITE_ACTION_PREPARING);
	ck_assert_uint_eq(p.fifo_total, 0);
	ck_assert_uint_eq(p.fifo_free, 0);

	/* the first WRITE held: the ring is there, whole */
	rb_gate_transport_hold(bed.transport, RB_MMC_WRITE_10);
	rb_iterate_until_sent(context, bed.transport, RB_MMC_WRITE_10);
	rb_write_job_get_progress(job, &p);
	ck_assert_int_eq(p.action, RB_WRITE_ACTION_WRITING);
	ck_assert_uint_eq(p.fifo_total, rb_write_job_get_fifo_size(job));
	ck_assert_uint_eq(p.fifo_total, p.fifo_used + p.fifo_free);
	ck_assert_uint_gt(p.fifo_used, 0);

	rb_gate_transport_open(bed.transport);
	while (!done)
		g_main_context_iteration(context, TRUE);
	g_main_context_pop_thread_default(context);
	rb_write_job_get_progress(job, &p);
	ck_assert_uint_eq(p.fifo_total, 0);
	ck_assert_uint_eq(p.fifo_used, 0);
	ck_assert_uint_eq(p.fifo_size, rb_write_job_get_fifo_size(job));
	/* the low-water mark of a stream from a file: within the ring */
	ck_assert_int_ge(p.fifo_min_used, 0);
	ck_assert_int_le(p.fifo_min_used, (gint64)p.fifo_size);
	g_clear_object(&job);
	rb_bed_clear(&bed);
}
END_TEST

/* the ring: two seconds at the drive's rate, at least 4 MiB, at least
 * Preflight's lead-in, at most the cap */
START_TEST(test_write_job_fifo_size)
{
	struct {
		gint32 rate;
		gsize cap;
		RbPreflight preflight;
		gboolean pipe;
		gsize expected; /* before rounding; 0: the lead-in and a chunk */
	} cases[] = {
		{0, 4 * 1024 * 1024, RB_PREFLIGHT_OFF, FALSE, 4 * 1024 * 1024},
		{0, 0, RB_PREFLIGHT_OFF, FALSE, RB_FIFO_DEFAULT_SIZE},
		{52 * 75, 32 * 1024 * 1024, RB_PREFLIGHT_OFF, FALSE, 52 * 75 * 2448 * 2},
		{52 * 75, 8 * 1024 * 1024, RB_PREFLIGHT_OFF, FALSE, 8 * 1024 * 1024},
		{4 * 75, 32 * 1024 * 1024, RB_PREFLIGHT_OFF, FALSE, RB_WRITE_JOB_FIFO_MIN},
		/* a file's lead-in is checked in PREPARING, a pipe's in the ring */
		{4 * 75, 32 * 1024 * 1024, RB_PREFLIGHT_LEAD_IN, FALSE, RB_WRITE_JOB_FIFO_MIN},
		{4 * 75, 32 * 1024 * 1024, RB_PREFLIGHT_LEAD_IN, TRUE, 0},
		{52 * 75, 32 * 1024 * 1024, RB_PREFLIGHT_OFF, TRUE, 52 * 75 * 2448 * 2},
		{4 * 75, 1024 * 1024, RB_PREFLIGHT_LEAD_IN, TRUE, 1024 * 1024},
	};
	RbBed bed = {0};

	rb_bed_init(&bed, RB_SPEC, 3, 0);
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(RbWriteJob) job = NULL;
		gint fds[2] = {-1, -1};
		gint fd = cases[i].pipe ? (pipe(fds) == 0 ? fds[0] : -1)
					: rb_stream_to_file(bed.stream, 0);
		RbWriteJobParams params = {
			.fd = fd,
			.stream_first_lba = rb_dao_stream_get_first_lba(bed.stream),
			.sector_type = 3,
			.leadin_start_lba = bed.leadin,
			.last_leadout_start_lba = bed.last_leadout,
			.bufe = TRUE,
			.write_speed_kbps = RB_MMC_SPEED_MAX,
			.write_rate_sectors = cases[i].rate,
			.fifo_size = cases[i].cap,
			.preflight = cases[i].preflight,
		};
		gsize expected = cases[i].expected != 0
					 ? cases[i].expected
					 : (gsize)(75 - bed.leadin) * 2448 + 26 * 2448;

		job = rb_write_job_new(RB_MMC_TRANSPORT(bed.transport), &params, &error);
		ck_assert_msg(job != NULL, "%s", error ? error->message : "");
		close(fd);
		if (fds[1] >= 0)
			close(fds[1]);
		ck_assert_msg(rb_write_job_get_fifo_size(job) ==
				      rb_fifo_round_size(2448, 26, expected),
			      "case %u: %zu bytes, not %zu",
			      i,
			      rb_write_job_get_fifo_size(job),
			      rb_fifo_round_size(2448, 26, expected));
	}
	rb_bed_clear(&bed);
}
END_TEST

START_TEST(test_write_job_cancel_before_run)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RbWriteJob) job = NULL;
	RbBed bed = {0};
	RbRun run;
	gint fd;

	rb_bed_init(&bed, RB_SPEC, 3, 0);
	fd = rb_stream_to_file(bed.stream, 0);
	job = rb_job_new(&bed, fd, 3, &error);
	close(fd);
	rb_write_job_cancel(job);
	rb_run_init(&run, job);
	error = rb_run(&run);
	rb_assert_error(error, RB_ERROR, RB_ERROR_REQUEST_CANCELLED);
	ck_assert_uint_eq(rb_gate_transport_count_all(bed.transport), 0);
	rb_run_clear(&run);
	g_clear_object(&job);
	rb_bed_clear(&bed);
}
END_TEST

static void
rb_external_done_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	GError **error = user_data;

	ck_assert(!rb_write_job_run_finish(RB_WRITE_JOB(source), result, error));
}

START_TEST(test_write_job_cancel_external)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RbWriteJob) job = NULL;
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	RbVdriveFaults faults;
	RbBed bed = {0};
	gint fd;

	rb_bed_init(&bed, RB_SPEC, 3, 0);
	rb_vdrive_faults_init(&faults);
	faults.not_ready_after_lba = bed.leadin;
	faults.not_ready_count = G_MAXUINT;
	rb_vdrive_set_faults(bed.drive, &faults);
	fd = rb_stream_to_file(bed.stream, 0);
	job = rb_job_new(&bed, fd, 3, &error);
	close(fd);
	rb_write_job_run_async(job, cancellable, rb_external_done_cb, &error);
	g_usleep(50000);
	g_cancellable_cancel(cancellable);
	while (error == NULL)
		g_main_context_iteration(NULL, TRUE);
	rb_assert_error(error, RB_ERROR, RB_ERROR_REQUEST_CANCELLED);
	ck_assert_uint_eq(rb_count_job_threads(), 0);
	g_clear_error(&error);
	/* a job runs once */
	rb_write_job_run_async(job, NULL, rb_external_done_cb, &error);
	while (error == NULL)
		g_main_context_iteration(NULL, TRUE);
	rb_assert_error(error, RB_ERROR, RB_ERROR_WRITE_IN_PROGRESS);
	g_clear_object(&job);
	rb_bed_clear(&bed);
}
END_TEST

/* ---- drive errors ---- */

START_TEST(test_write_job_drive_errors)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RbWriteJob) job = NULL;
	RbBed bed = {0};
	RbVdriveFaults faults;
	RbVdriveReport report;
	RbRun run;
	gint fd;

	rb_bed_init(&bed, RB_SPEC, 3, 0);
	rb_vdrive_faults_init(&faults);
	if (_i == 0)
		faults.write_error_at_lba = 150;
	else
		faults.remove_media_at_lba = 150;
	rb_vdrive_set_faults(bed.drive, &faults);
	fd = rb_stream_to_file(bed.stream, 0);
	job = rb_job_new(&bed, fd, 3, &error);
	close(fd);
	rb_run_init(&run, job);
	error = rb_run(&run);
	/* a write error is rawburn's own MediaWriteFailed naming the drive's
	 * sense and the block; a vanished disc is IMAPI's MediaNoMedia */
	rb_assert_error(
		error, RB_ERROR, _i == 0 ? RB_ERROR_MEDIA_WRITE_FAILED : RB_ERROR_MEDIA_NO_MEDIA);
	if (_i == 0) {
		ck_assert_msg(strstr(error->message, "03/0C/00") != NULL, "%s", error->message);
		ck_assert_msg(strstr(error->message, "at LBA 150") != NULL, "%s", error->message);
	}
	ck_assert_int_lt(run.last.last_written_lba, 150);
	ck_assert_int_eq(run.last.action, RB_WRITE_ACTION_WRITING);
	rb_vdrive_get_report(bed.drive, &report);
	ck_assert(!report.complete);
	rb_run_clear(&run);
	g_clear_object(&job);
	rb_bed_clear(&bed);
}
END_TEST

/* ---- simulation: page 05h's Test Write bit ---- */

/* READ DISC INFORMATION's disc status, through the job's transport */
static guint8
rb_disc_status(RbBed *bed)
{
	RbMmcResult result = {0};
	guint8 cdb[10] = {RB_MMC_READ_DISC_INFORMATION, 0, 0, 0, 0, 0, 0, 0, 34};
	guint8 data[34] = {0};
	g_autoptr(GError) error = NULL;

	ck_assert_msg(rb_mmc_transport_execute(RB_MMC_TRANSPORT(bed->transport),
					       cdb,
					       sizeof(cdb),
					       RB_MMC_DIR_IN,
					       data,
					       sizeof(data),
					       10000,
					       &result,
					       &error),
		      "%s",
		      error ? error->message : "");
	ck_assert_uint_eq(result.status, RB_SCSI_STATUS_GOOD);
	return data[2] & 0x03;
}

typedef enum {
	RB_SIMULATE_HONOURED, /* the drive simulates: the disc stays blank */
	RB_SIMULATE_IGNORED,  /* the drive records all the same */
	RB_SIMULATE_REFUSED,  /* a drive without test writing refuses page 05h */
	RB_SIMULATE_N_CASES,
} RbSimulateCase;

/*
 * The job sets Test Write and goes through PREPARING, WRITING and
 * FINISHING; the drive records nothing and FINISHING finds the disc blank.
 * A drive that ignores the bit (it never reaches it here) records the disc,
 * and the job says so rather than succeed: this also fails if the job
 * stops sending the bit. A drive without test writing refuses page 05h
 * before the first WRITE.
 */
START_TEST(test_write_job_test_write)
{
	RbSimulateCase simulate_case = (RbSimulateCase)_i;
	g_autoptr(GError) error = NULL;
	g_autoptr(RbWriteJob) job = NULL;
	RbBed bed = {0};
	RbVdriveReport report;
	RbRun run;
	gint32 end;
	gint fd;

	rb_bed_init(&bed,
		    simulate_case == RB_SIMULATE_REFUSED ? RB_SPEC ",test-write=false" : RB_SPEC,
		    3,
		    RB_DAO_STREAM_LEADIN_ANCHOR);
	bed.test_write = TRUE;
	bed.transport->strip_test_write = simulate_case == RB_SIMULATE_IGNORED;
	end = rb_dao_stream_get_end_lba(bed.stream);
	fd = rb_stream_to_file(bed.stream, 0);
	job = rb_job_new(&bed, fd, 3, &error);
	ck_assert_msg(job != NULL, "%s", error ? error->message : "");
	close(fd);
	rb_run_init(&run, job);
	error = rb_run(&run);
	/* what the job sent: raw, BUFE and Test Write */
	ck_assert_uint_eq(bed.transport->page05_byte2 & 0x5F, 0x40 | 0x10 | RB_MMC_WRITE_TYPE_RAW);
	rb_vdrive_get_report(bed.drive, &report);

	switch (simulate_case) {
	case RB_SIMULATE_HONOURED:
		ck_assert_msg(error == NULL, "%s", error->message);
		ck_assert_uint_eq(run.actions->len, 3);
		ck_assert_int_eq(g_array_index(run.actions, RbWriteAction, 2),
				 RB_WRITE_ACTION_FINISHING);
		ck_assert_int_eq(run.last.last_written_lba, end - 1);
		ck_assert_uint_eq(rb_gate_transport_count(bed.transport, RB_MMC_SYNCHRONIZE_CACHE),
				  1);
		ck_assert(report.test_write);
		ck_assert_uint_eq(report.sectors_written, (guint64)(end - bed.leadin));
		ck_assert_uint_eq(report.bad_q_crc, 0);
		ck_assert(!report.complete);
		ck_assert_uint_eq(rb_disc_status(&bed), 0); /* blank */
		break;
	case RB_SIMULATE_IGNORED:
		rb_assert_error(error, RB_ERROR, RB_ERROR_TEST_WRITE_NOT_SUPPORTED);
		ck_assert_msg(
			strstr(error->message, "recorded the disc") != NULL, "%s", error->message);
		ck_assert_int_eq(run.last.action, RB_WRITE_ACTION_FINISHING);
		ck_assert(!report.test_write);
		ck_assert(report.complete);
		ck_assert_uint_ne(rb_disc_status(&bed), 0);
		break;
	case RB_SIMULATE_REFUSED:
		rb_assert_error(error, RB_ERROR, RB_ERROR_TEST_WRITE_NOT_SUPPORTED);
		ck_assert_msg(strstr(error->message, "05/26/00") != NULL, "%s", error->message);
		ck_assert_msg(strstr(error->message, "nothing was written") != NULL,
			      "%s",
			      error->message);
		ck_assert_int_eq(run.last.action, RB_WRITE_ACTION_PREPARING);
		ck_assert_uint_eq(rb_gate_transport_count(bed.transport, RB_MMC_WRITE_10), 0);
		ck_assert_uint_eq(report.sectors_written, 0);
		ck_assert_uint_eq(rb_disc_status(&bed), 0);
		break;
	case RB_SIMULATE_N_CASES:
		g_assert_not_reached();
	}
	rb_run_clear(&run);
	g_clear_object(&job);
	rb_bed_clear(&bed);
}
END_TEST

/* ---- Preflight: what the stream's own sub-channel proves ---- */

/* one Q bit of @lba's sector in a file of 2448-byte P-W sectors: its CRC no
 * longer matches */
static void
rb_corrupt_q(gint fd, const RbDaoStream *stream, gint32 lba)
{
	off_t offset =
		(off_t)(lba - rb_dao_stream_get_first_lba(stream)) * 2448 + RB_CD_MAIN_SIZE + 90;
	guint8 byte;

	ck_assert_int_eq(pread(fd, &byte, 1, offset), 1);
	byte ^= 0x40;
	ck_assert_int_eq(pwrite(fd, &byte, 1, offset), 1);
}

typedef enum {
	RB_PREFLIGHT_CASE_A2_PAST_DISC,
	RB_PREFLIGHT_CASE_ENDS_EARLY,
	RB_PREFLIGHT_CASE_BAD_PROGRAM_SECTOR,
	RB_PREFLIGHT_CASE_BAD_PROGRAM_SECTOR_FULL,
	RB_PREFLIGHT_CASE_VALID_FULL,
	RB_PREFLIGHT_N_CASES,
} RbPreflightCase;

#define RB_BAD_LBA 200

START_TEST(test_write_job_preflight)
{
	RbPreflightCase preflight_case = (RbPreflightCase)_i;
	g_autoptr(GError) error = NULL;
	g_autoptr(RbWriteJob) job = NULL;
	RbBed bed = {0};
	RbFeeder feeder = {0};
	RbVdriveReport report;
	RbRun run;
	gint fd;

	rb_bed_init(&bed, RB_SPEC, 3, RB_DAO_STREAM_LEADIN_ANCHOR);
	switch (preflight_case) {
	case RB_PREFLIGHT_CASE_A2_PAST_DISC:
		/* from a pipe, so the size check cannot see it: the TOC does */
		bed.last_leadout = RB_PROGRAM_SECTORS - 10;
		fd = rb_feeder_start(&feeder, bed.stream, 0, NULL);
		break;
	case RB_PREFLIGHT_CASE_ENDS_EARLY:
		fd = rb_feeder_start(&feeder,
				     bed.stream,
				     (guint64)(100 - RB_DAO_STREAM_LEADIN_ANCHOR) * 2448,
				     NULL);
		break;
	case RB_PREFLIGHT_CASE_BAD_PROGRAM_SECTOR_FULL:
		bed.preflight = RB_PREFLIGHT_FULL;
		/* fall through */
	case RB_PREFLIGHT_CASE_BAD_PROGRAM_SECTOR:
		fd = rb_stream_to_file(bed.stream, 0);
		rb_corrupt_q(fd, bed.stream, RB_BAD_LBA);
		break;
	case RB_PREFLIGHT_CASE_VALID_FULL:
	default:
		bed.preflight = RB_PREFLIGHT_FULL;
		fd = rb_stream_to_file(bed.stream, 0);
		break;
	}
	job = rb_job_new(&bed, fd, 3, &error);
	ck_assert_msg(job != NULL, "%s", error ? error->message : "");
	close(fd);
	rb_run_init(&run, job);
	error = rb_run(&run);
	g_clear_object(&job); /* closes a pipe's read end: the feeder stops */
	if (feeder.thread != NULL)
		g_thread_join(feeder.thread);
	rb_vdrive_get_report(bed.drive, &report);
	switch (preflight_case) {
	case RB_PREFLIGHT_CASE_A2_PAST_DISC:
		/* refused before the first WRITE: the disc is still blank */
		rb_assert_error(error, RB_ERROR, RB_ERROR_STREAM_INVALID);
		ck_assert_msg(strstr(error->message, "Nothing was written") != NULL,
			      "%s",
			      error->message);
		ck_assert_uint_eq(report.sectors_written, 0);
		ck_assert_uint_eq(rb_vdrive_get_command_count(bed.drive, RB_MMC_WRITE_10), 0);
		break;
	case RB_PREFLIGHT_CASE_BAD_PROGRAM_SECTOR_FULL:
		/* the whole file, before the drive heard anything */
		rb_assert_error(error, RB_ERROR, RB_ERROR_STREAM_INVALID);
		ck_assert_msg(strstr(error->message, "LBA 200") != NULL, "%s", error->message);
		rb_assert_nothing_sent(&bed);
		break;
	case RB_PREFLIGHT_CASE_ENDS_EARLY:
		/* the end of a pipe shows only after writing began; no FINISHING
		 * then, the drive is told the stream is over */
		rb_assert_error(error, RB_ERROR, RB_ERROR_STREAM_INVALID);
		ck_assert_msg(strstr(error->message, "LBA 100") != NULL, "%s", error->message);
		ck_assert_int_eq(run.last.action, RB_WRITE_ACTION_WRITING);
		break;
	case RB_PREFLIGHT_CASE_BAD_PROGRAM_SECTOR:
		/* the lead-in was fine, writing began; the bad sector never
		 * reached the drive */
		rb_assert_error(error, RB_ERROR, RB_ERROR_STREAM_INVALID);
		ck_assert_msg(strstr(error->message, "LBA 200") != NULL, "%s", error->message);
		ck_assert_msg(strstr(error->message, "stopped") != NULL, "%s", error->message);
		ck_assert_uint_gt(report.sectors_written, 0);
		ck_assert_uint_le(report.sectors_written, (guint64)(RB_BAD_LBA - bed.leadin));
		break;
	case RB_PREFLIGHT_CASE_VALID_FULL:
	default:
		ck_assert_msg(error == NULL, "%s", error->message);
		ck_assert(report.complete);
		ck_assert_uint_eq(report.bad_q_crc, 0);
		break;
	}
	rb_run_clear(&run);
	rb_bed_clear(&bed);
}
END_TEST

int
main(int argc, char **argv)
{
	Suite *suite = suite_create("write-job");
	TCase *tc = tcase_create("write-job");

	/* a feeder whose reader went away gets EPIPE, not a signal */
	signal(SIGPIPE, SIG_IGN);
	tcase_set_timeout(tc, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_loop_test(tc, test_write_job_burn, 0, G_N_ELEMENTS(rb_burn_cases));
	tcase_add_test(tc, test_write_job_refuse_misaligned);
	tcase_add_test(tc, test_write_job_refuse_unreadable);
	tcase_add_test(tc, test_write_job_refuse_leadin_too_short);
	tcase_add_test(tc, test_write_job_refuse_too_long);
	tcase_add_test(tc, test_write_job_pipe_partial_sector);
	tcase_add_test(tc, test_write_job_pipe_ends_early);
	tcase_add_loop_test(tc, test_write_job_preflight, 0, RB_PREFLIGHT_N_CASES);
	tcase_add_loop_test(
		tc, test_write_job_cancel, RB_CANCEL_PREPARING, RB_CANCEL_FINISHING + 1);
	tcase_add_test(tc, test_write_job_fifo_lifetime);
	tcase_add_test(tc, test_write_job_fifo_size);
	tcase_add_test(tc, test_write_job_cancel_before_run);
	tcase_add_test(tc, test_write_job_cancel_external);
	tcase_add_loop_test(tc, test_write_job_drive_errors, 0, 2);
	tcase_add_loop_test(tc, test_write_job_test_write, 0, RB_SIMULATE_N_CASES);
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
