/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the write job's parts share: its state (rb-write-job.c: the job, the
 * writer, the coordinator), the drive's side (rb-write-job-drive.c:
 * PREPARING, FINISHING), the progress (rb-write-job-progress.c) and the
 * stream's side (rb-write-job-stream.c: the up-front checks and the reader
 * thread).
 */
#pragma once

#include "rb-fifo.h"
#include "rb-mmc-exec.h"
#include "rb-write-job.h"

G_BEGIN_DECLS

/* a first session's lead-out, which the stream carries itself (mmc-notes 2.5) */
#define RB_WRITE_JOB_LEADOUT_SECTORS 6750
/* 64 KiB per WRITE(10): 26 sectors of 2448 bytes or 27 of 2368, what cdrdao
 * and wodim send (mmc-notes 3.1) and what any SG_IO host adapter takes */
#define RB_WRITE_JOB_MAX_TRANSFER 65536
/* room for the mode header, a block descriptor and the largest page */
#define RB_WRITE_JOB_MODE_SENSE_LEN 512

/* the hot path's progress fields: each written by one thread and read by the
 * snapshot without a lock (release stores, acquire loads) */
#define RB_WRITE_JOB_SET(field, value) __atomic_store_n(&(field), (value), __ATOMIC_RELEASE)
#define RB_WRITE_JOB_GET(field) __atomic_load_n(&(field), __ATOMIC_ACQUIRE)

struct _RbWriteJob {
	GObject parent_instance;

	RbMmcTransport *transport;
	RbWriteJobParams params; /* params.fd is our own dup() */
	guint8 data_block_type;
	gsize sector_size;
	guint chunk_sectors;
	gboolean seekable;
	/* seekable streams: the byte offset of the disc's lead-in start sector,
	 * and the stream's sectors from there on */
	guint64 data_offset;
	gint64 total_sectors;
	/* pipes: the bytes before the disc's lead-in start, read and dropped */
	guint64 skip_bytes;
	/* the first LBA the drive must not be sent */
	gint64 end_limit;
	gdouble time_scale;

	/* the caller's cancel (rb_write_job_cancel() or run_async's cancellable) */
	GCancellable *cancellable;
	/* what stops every wait: a cancel, or either worker failing */
	GCancellable *wake;
	/* its ring exists only while WRITING (rb_write_job_run_sync()) */
	RbFifo *fifo;
	/* the ring's size for this burn: a few seconds at the drive's rate */
	gsize fifo_size;
	gboolean started;
	GMainContext *context;
	GCancellable *external;
	gulong external_id;

	RbWriteJobActionFunc action_func;
	gpointer action_data;
	GDestroyNotify action_destroy;

	/* the progress snapshot, written by the threads, read by anyone: under
	 * the mutex, but for the fields the reader and the writer change per
	 * read() and per WRITE, which are atomics (RB_WRITE_JOB_SET/GET) */
	GMutex mutex;
	RbWriteAction action;
	gint64 start_us;
	gint64 write_start_us;   /* atomic; stored before writes_sent grows */
	gint64 verify_start_us;  /* Verify: when the read-back began */
	gint32 verify_first_lba; /* … the range it reads, for progress */
	gint32 verify_end_lba;
	gint64 end_us;
	/* atomics; last_read_lba is stored before the FIFO commit and
	 * last_written_lba after the WRITE, so that a snapshot that loads
	 * last_written_lba first never shows a sector written but not read */
	gint32 last_read_lba;
	gint32 last_written_lba;
	gint64 sectors_read;
	guint64 writes_sent;

	/* an eventfd that @wake's cancel makes readable: what the reader's poll()
	 * and the MMC layer's sleeps wait on. Ours rather than
	 * g_cancellable_make_pollfd(), which aborts the process when no
	 * descriptor is left; this one is made up front, where failing is an
	 * error */
	gint wake_fd;
	gulong wake_id;

	/* the reader thread's own: its nice value before it lowered it for the
	 * pre-fill, G_MININT once restored or when it could not lower it */
	gint reader_nice;

	/* NULL when Preflight is off; fed by the reader before each commit */
	RbPreflightCheck *check;
	/* a file's lead-in was checked in PREPARING: the first WRITE need not
	 * wait for the FIFO to hold it */
	gboolean lead_in_scanned;

	/* Verify: an RbVerifyDigest per sector from LBA -150 to the stream's
	 * lead-out start, made by the writer (rb-write-job-verify.c); NULL
	 * without Verify */
	GArray *digests;
	gint32 digest_leadout; /* G_MININT32 until the lead-out was sent */
};

/* rb-write-job-verify.c */
void rb_write_job_verify_init(RbWriteJob *self);
void rb_write_job_verify_digest(RbWriteJob *self, gint64 lba, const guint8 *data, guint n);
void rb_write_job_verify_begin(RbWriteJob *self);
gboolean rb_write_job_verify_run(RbWriteJob *self, const RbMmcEnv *env, GError **error);

/* rb-write-job-drive.c */
gboolean rb_write_job_prepare(RbWriteJob *self, const RbMmcEnv *env, GError **error);
gboolean rb_write_job_finish_disc(RbWriteJob *self, const RbMmcEnv *env, GError **error);

/* rb-write-job-progress.c */
void rb_write_job_set_action(RbWriteJob *self, RbWriteAction action);

/* rb-write-job-stream.c */
gboolean rb_write_job_check_fd(RbWriteJob *self, GError **error);
gboolean rb_write_job_scan_lead_in(RbWriteJob *self, GError **error);
gpointer rb_write_job_reader_thread(gpointer user_data);

G_END_DECLS
