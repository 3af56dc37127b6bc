/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One raw disc-at-once burn (WriteMedia/WriteMedia2): checks the stream,
 * sets the write parameters and speed, then a reader thread fills the FIFO
 * from the stream fd while a writer thread sends WRITE(10)s from it, and
 * finally the drive's cache is flushed and the disc checked. The caller's
 * main loop gets the result and the action changes on its own context, and
 * polls rb_write_job_get_progress() for the IMAPI Update signal.
 */
#pragma once

#include <gio/gio.h>

#include "rb-mmc-transport.h"
#include "rb-preflight.h"

G_BEGIN_DECLS

/*
 * The FIFO's size: two seconds of the drive's rate, at least 4 MiB. A drive
 * has a buffer of its own (2 MiB on most, 0.2 s at 52x) and BUFE to ride out
 * an underrun; the FIFO covers what makes the stream late: a disk seek storm,
 * a client scheduled out, page-cache writeback. wodim's default FIFO is
 * 4 MiB (half a second at 48x); cdrdao's 32 buffers of one second at 1x
 * are 5.6 MB. Two seconds is four times wodim's at the fastest speeds and
 * keeps 64 burns at 52x under 1.2 GiB, where the old fixed 32 MiB took 2 GiB.
 * A pipe checked by Preflight also needs room for its whole lead-in (about
 * 28 MB), which is checked in the FIFO before the first WRITE; a file's is
 * read and checked before the ring is made.
 */
#define RB_WRITE_JOB_FIFO_SECONDS 2
#define RB_WRITE_JOB_FIFO_MIN (4 * 1024 * 1024)

#define RB_TYPE_WRITE_JOB (rb_write_job_get_type())
G_DECLARE_FINAL_TYPE(RbWriteJob, rb_write_job, RB, WRITE_JOB, GObject)

/* IMAPI_FORMAT2_RAW_CD_WRITE_ACTION */
typedef enum {
	RB_WRITE_ACTION_UNKNOWN = 0,
	RB_WRITE_ACTION_PREPARING = 1,
	RB_WRITE_ACTION_WRITING = 2,
	RB_WRITE_ACTION_FINISHING = 3,
	/* rawburn's own: IMAPI's raw format has no verify */
	RB_WRITE_ACTION_VERIFYING = 4,
} RbWriteAction;

typedef struct {
	gint fd;                       /* the stream; the job keeps a dup() of it */
	gint32 stream_first_lba;       /* −|streamLeadInSectors|, −22650 for WriteMedia */
	guint sector_type;             /* IMAPI 1 PQ_ONLY, 2 IS_COOKED, 3 IS_RAW */
	gint32 leadin_start_lba;       /* the disc's, from PrepareMedia */
	gint32 last_leadout_start_lba; /* LastPossibleStartOfLeadout */
	gboolean bufe;                 /* !BufferUnderrunFreeDisabled */
	guint16 write_speed_kbps;      /* RB_MMC_SPEED_MAX (0xFFFF) for the fastest */
	guint8 rotation;               /* RB_MMC_ROTATION_CLV or _PURE_CAV */
	/* the drive's rate at the selected speed, in sectors per second; 0
	 * when unknown. The FIFO holds RB_WRITE_JOB_FIFO_SECONDS of it, at
	 * least RB_WRITE_JOB_FIFO_MIN and at most @fifo_size */
	gint32 write_rate_sectors;
	gsize fifo_size; /* the most the FIFO may take, bytes; 0 for RB_FIFO_DEFAULT_SIZE */
	RbPreflight preflight;
	/* keep a digest of each sector written and, after FINISHING, read the
	 * disc back against them (action VERIFYING) */
	gboolean verify;
	/* simulate: page 05h's Test Write bit; the drive records nothing and
	 * the disc must still be blank after FINISHING */
	gboolean test_write;
} RbWriteJobParams;

/* the IMAPI Update figures: IDiscFormat2RawCDEventArgs + IWriteEngine2EventArgs */
typedef struct {
	RbWriteAction action;
	gint32 elapsed_seconds;
	gint32 remaining_seconds; /* -1 while unknown */
	gint32 start_lba;         /* the first LBA written: the disc's lead-in start */
	gint32 sector_count;      /* from start_lba on; for a pipe, what was read so far */
	gint32 last_read_lba;     /* start_lba - 1 before the first sector arrives */
	gint32 last_written_lba;  /* start_lba - 1 before the first WRITE */
	gboolean total_known;     /* sector_count is the stream's whole (seekable) */
	gsize fifo_total;         /* 0 but while WRITING: the ring exists only then */
	gsize fifo_used;
	gsize fifo_free;
	gsize fifo_size;        /* this burn's ring, also before and after WRITING */
	gint64 fifo_min_used;   /* the low-water mark once writing ran; -1 before */
	guint fifo_times_empty; /* the writer waited for the stream */
} RbWriteProgress;

/* called on the context that was thread-default at rb_write_job_run_async() */
typedef void (*RbWriteJobActionFunc)(RbWriteJob *job, RbWriteAction action, gpointer user_data);

/*
 * Checks the parameters and, when the fd is seekable, the whole stream
 * (size a multiple of the sector size, lead-in long enough, end within
 * LastPossibleStartOfLeadout + 6750): nothing reaches the drive when this
 * fails. Errors: RB_ERROR_STREAM_NOT_SUPPORTED, _STREAM_LEADIN_TOO_SHORT,
 * _NOT_ENOUGH_SPACE, _DATA_BLOCK_TYPE_NOT_SUPPORTED.
 */
RbWriteJob *
rb_write_job_new(RbMmcTransport *transport, const RbWriteJobParams *params, GError **error);

/* set before rb_write_job_run_async(); @destroy frees @user_data with the job */
void rb_write_job_set_action_func(RbWriteJob *self,
				  RbWriteJobActionFunc func,
				  gpointer user_data,
				  GDestroyNotify destroy);

/*
 * Makes the MMC layer's clock run 1/@scale times as fast for this job: its
 * sleeps (busy back-off, the one-second finishing poll) last @scale times as
 * long and its timeouts shrink alike. For tests only; 1.0 is real time.
 */
void rb_write_job_set_time_scale(RbWriteJob *self, gdouble scale);

/* runs the burn once, in threads of its own (never GLib's shared pool, so
 * that burns on many recorders never wait for each other); the reply comes
 * after every worker thread stopped */
void rb_write_job_run_async(RbWriteJob *self,
			    GCancellable *cancellable,
			    GAsyncReadyCallback callback,
			    gpointer user_data);
gboolean rb_write_job_run_finish(RbWriteJob *self, GAsyncResult *result, GError **error);

/* from any thread: the run ends soon with RB_ERROR_REQUEST_CANCELLED */
void rb_write_job_cancel(RbWriteJob *self);

/* from any thread */
void rb_write_job_get_progress(RbWriteJob *self, RbWriteProgress *out);
void rb_write_job_get_progress_as(RbWriteJob *self, RbWriteAction action, RbWriteProgress *out);
gsize rb_write_job_get_sector_size(RbWriteJob *self);
/* sectors per WRITE(10) */
guint rb_write_job_get_chunk_sectors(RbWriteJob *self);
/* the bytes the FIFO's ring takes while WRITING */
gsize rb_write_job_get_fifo_size(RbWriteJob *self);

G_END_DECLS
