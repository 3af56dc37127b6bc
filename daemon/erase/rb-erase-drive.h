/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Blanking a CD-RW, the drive's side of DiscFormat2Erase.EraseMedia: the
 * checks, PREVENT MEDIUM REMOVAL, BLANK with Immed and the poll until the
 * drive is done. Runs in a worker thread; the main loop reads the progress
 * through an RbEraseProgress.
 */
#pragma once

#include "rb-mmc-replies.h"
#include "rb-mmc-transport.h"
#include "rb-recorder-drive.h"

G_BEGIN_DECLS

/* IMAPI's poll while erasing: a TEST UNIT READY every half second at most */
#define RB_ERASE_POLL_MAX_US 500000
/* IMAPI gives up after an hour (E_IMAPI_ERASE_TOOK_LONGER_THAN_ONE_HOUR) */
#define RB_ERASE_TIMEOUT_S 3600

/* what the worker tells the main loop, under @lock */
typedef struct {
	GMutex lock;
	gint64 started_us;  /* monotonic, when the drive took BLANK; 0 before */
	gdouble fraction;   /* the drive's progress 0..1, negative while it gives none */
	gint64 fraction_us; /* monotonic, when the drive said so */
	gint estimate_s;    /* what the medium and the speed suggest */
} RbEraseProgress;

void rb_erase_progress_init(RbEraseProgress *progress);
void rb_erase_progress_reset(RbEraseProgress *progress);
void rb_erase_progress_clear(RbEraseProgress *progress);
void rb_erase_progress_get(RbEraseProgress *progress,
			   gint64 *started_us,
			   gdouble *fraction,
			   gint64 *fraction_us,
			   gint *estimate_s);

typedef struct {
	gboolean full;             /* BLANK type 0 (the whole disc), else 1 (minimal) */
	gchar *name;               /* the recorder's, for messages */
	RbEraseProgress *progress; /* not owned: outlives the job */
	/* the poll stops when cancelled (the service stops); the drive does not */
	GCancellable *cancellable;
	RbDriveState *state_before; /* result: the medium before the blank */
	RbDriveState *state_after;  /* result: the blank medium */
} RbEraseJob;

void rb_erase_job_free(RbEraseJob *job);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RbEraseJob, rb_erase_job_free)

/* a BLANK of a disc this size at this speed takes about this long, for the
 * Update signal until the drive gives its own progress */
gint rb_erase_estimate_seconds(const RbDriveState *state, const RbMmcAtip *atip, gboolean full);

/* blocking: call from a worker thread only, holding the drive */
gboolean rb_erase_drive_run(RbMmcTransport *transport, RbEraseJob *job, GError **error);

G_END_DECLS
