/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Running one MMC command on a transport the way a burn needs it: with the
 * command's own timeout, a CHECK CONDITION turned into a named error, and
 * the retries drives expect (busy with backoff, unit attention once). Also
 * the poll that waits for a drive to finish after SYNCHRONIZE CACHE.
 */
#pragma once

#include <gio/gio.h>

#include "rb-mmc-cdb.h"
#include "rb-mmc-sense.h"
#include "rb-mmc-transport.h"

G_BEGIN_DECLS

/*
 * Per-command timeouts, from the table in mmc-notes.md 3.5. We follow
 * libburn, the most generous of the three writers, because a timeout in the
 * middle of a raw burn ruins the disc while waiting costs nothing:
 *  - 30 s for everything not listed (cdrdao and libburn's default);
 *  - WRITE(10) 200 s: the first writes of a DAO session wait for spin-up and
 *    power calibration, and a drive with a full buffer may hold one;
 *  - SYNCHRONIZE CACHE 200 s with Immed (it returns at once, the poll does
 *    the waiting), 3600 s without (the drive writes its buffer and closes
 *    the session inside the command);
 *  - BLANK 200 s with Immed, 5 h without (a full blank at 1x);
 *  - SEND OPC INFORMATION 200 s (calibration at low speed);
 *  - START STOP UNIT with LoEj 300 s (a tray load waits for the disc to spin up).
 */
#define RB_MMC_TIMEOUT_DEFAULT_MS (30 * 1000)
#define RB_MMC_TIMEOUT_WRITE_MS (200 * 1000)
#define RB_MMC_TIMEOUT_IMMED_MS (200 * 1000)
#define RB_MMC_TIMEOUT_SYNC_CACHE_MS (3600 * 1000)
#define RB_MMC_TIMEOUT_BLANK_MS (5 * 3600 * 1000)
#define RB_MMC_TIMEOUT_OPC_MS (200 * 1000)
#define RB_MMC_TIMEOUT_LOAD_MS (300 * 1000)

/*
 * Busy backoff (02/04/04, 02/04/07, 02/04/08, status BUSY): the delay
 * doubles from the first value up to the cap. WRITE(10) starts at 2 ms and
 * stays below 60 ms, since a full buffer drains in milliseconds and a long
 * sleep could empty it (wodim sleeps 60 ms, libburn 2 ms more per retry);
 * other commands start at 100 ms and stay below 2 s. The whole loop ends
 * when the next sleep would pass the command's timeout.
 */
#define RB_MMC_BUSY_WRITE_FIRST_US 2000
#define RB_MMC_BUSY_WRITE_MAX_US 60000
#define RB_MMC_BUSY_OTHER_FIRST_US 100000
#define RB_MMC_BUSY_OTHER_MAX_US 2000000

/* the finishing poll: TEST UNIT READY for at most an hour, as libburn does
 * after an Immed SYNCHRONIZE CACHE; first after 50 ms, so that a drive that
 * is already done is seen at once, then doubling up to once a second (the
 * pace of wodim's wait_unit_ready; cdrdao's finishDao polls every 2 s,
 * libburn's spc_wait_unit_attention every 0.1 s in its first versions and
 * every 0.5 s later, so drives are used to both). When the drive reports
 * its progress (SKSV), the poll comes sooner if the progress says the
 * drive will be done before the interval is over, but not within 10 ms */
#define RB_MMC_FINISH_POLL_FIRST_US 50000
#define RB_MMC_FINISH_POLL_MIN_US 10000
#define RB_MMC_FINISH_POLL_MAX_US 1000000
#define RB_MMC_FINISH_TIMEOUT_S 3600

/* Where time comes from: NULL members (or a NULL RbMmcEnv) mean the real
 * monotonic clock and a real sleep that a cancellation cuts short. Tests
 * pass a fake clock that advances when "sleeping". */
typedef struct {
	gint64 (*now_us)(gpointer user_data);
	void (*sleep_us)(guint64 usec, gpointer user_data);
	gpointer user_data;
	GCancellable *cancellable;
} RbMmcEnv;

/* what happened, for callers that need more than success or an error */
typedef struct {
	gsize transferred; /* bytes of the buffer the drive filled or took */
	guint attempts;    /* commands sent, retries included */
	gboolean check_condition;
	RbMmcSense sense; /* of the last CHECK CONDITION, when check_condition */
} RbMmcExecInfo;

guint rb_mmc_command_timeout_ms(const RbMmcCdb *cdb);
guint64 rb_mmc_busy_backoff_us(guint8 opcode, guint retry);

/* FALSE with a GError on a transport failure, on a CHECK CONDITION that
 * retries did not clear (the error from rb_mmc_sense_to_error()), on any
 * other non-GOOD status and on cancellation (RB_ERROR_REQUEST_CANCELLED).
 * @info may be NULL. */
gboolean rb_mmc_exec(RbMmcTransport *transport,
		     const RbMmcCdb *cdb,
		     RbMmcDirection direction,
		     guint8 *buffer,
		     gsize buffer_len,
		     const RbMmcEnv *env,
		     RbMmcExecInfo *info,
		     GError **error);

/* @fraction is 0..1, or negative while the drive gives no progress */
typedef void (*RbMmcProgressFunc)(gdouble fraction, gpointer user_data);

/* Waits until TEST UNIT READY passes, after SYNCHRONIZE CACHE or BLANK
 * with Immed: polls (RB_MMC_FINISH_POLL_FIRST_US, backing off to
 * RB_MMC_FINISH_POLL_MAX_US, sooner when the progress says the drive is
 * about to be done) while the drive
 * answers busy (02/04/04, 02/04/07, 02/04/08) or becoming ready (02/04/00,
 * 02/04/01), and reports the sense progress. Fails with MediaBusy after
 * @timeout_s, or with the error of any other sense. */
gboolean rb_mmc_wait_until_ready(RbMmcTransport *transport,
				 const RbMmcEnv *env,
				 guint timeout_s,
				 RbMmcProgressFunc progress,
				 gpointer user_data,
				 GError **error);

G_END_DECLS
