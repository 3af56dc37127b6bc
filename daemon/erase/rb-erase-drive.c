/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Blanking a CD-RW the way cdrdao (GenericMMC::blankDisk) and libburn
 * (mmc_erase) do: BLANK with Immed, type 0 for the whole disc or 1 for the
 * PMA, the lead-in and the first track's pregap, then TEST UNIT READY until
 * the drive is ready again. Neither program can stop a blank once sent, nor
 * can we: MMC has no command that aborts BLANK, so a cancellation only ends
 * our wait, never the drive's work.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbErase"

#include <glib/gi18n.h>

#include "rb-erase-drive.h"
#include "rb-error.h"
#include "rb-mmc-device.h"
#include "rb-mmc-exec.h"
#include "rb-mmc-types.h"

/* 1x: 75 sectors a second; what we assume of a drive that names no speed */
#define RB_ERASE_SPEED_1X 75
/* the lead-out a full blank also clears: 90 s (6750 sectors), the most
 * the Red Book asks of a finished disc */
#define RB_ERASE_LEADOUT_SECTORS 6750
/* the first track's pregap (2 s) */
#define RB_ERASE_PREGAP_SECTORS 150
/* an 80-minute disc whose ATIP cannot be read: a lead-in from 97:32:00
 * (between the ATIP lead-ins mmc-notes §2.1 quotes, CDEmu's 97:34:23 and
 * libburn's typical −11635) and the last possible lead-out at 79:59:74,
 * the capacity 80-minute blanks carry (mmc-notes §2.3) */
#define RB_ERASE_NOMINAL_LEADIN_START (-11250)
#define RB_ERASE_NOMINAL_LAST_LEADOUT 359849

void
rb_erase_progress_init(RbEraseProgress *progress)
{
	g_mutex_init(&progress->lock);
	rb_erase_progress_reset(progress);
}

/* before each erase: nothing started */
void
rb_erase_progress_reset(RbEraseProgress *progress)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&progress->lock);

	progress->started_us = 0;
	progress->fraction = -1.0;
	progress->fraction_us = 0;
	progress->estimate_s = 0;
}

void
rb_erase_progress_clear(RbEraseProgress *progress)
{
	g_mutex_clear(&progress->lock);
}

void
rb_erase_progress_get(RbEraseProgress *progress,
		      gint64 *started_us,
		      gdouble *fraction,
		      gint64 *fraction_us,
		      gint *estimate_s)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&progress->lock);

	*started_us = progress->started_us;
	*fraction = progress->fraction;
	*fraction_us = progress->fraction_us;
	*estimate_s = progress->estimate_s;
}

static void
rb_erase_progress_set_started(RbEraseProgress *progress, gint estimate_s)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&progress->lock);

	progress->started_us = g_get_monotonic_time();
	progress->estimate_s = estimate_s;
}

static void
rb_erase_on_progress(gdouble fraction, gpointer user_data)
{
	RbEraseProgress *progress = user_data;
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&progress->lock);

	progress->fraction = fraction;
	progress->fraction_us = g_get_monotonic_time();
}

void
rb_erase_job_free(RbEraseJob *job)
{
	g_free(job->name);
	g_clear_object(&job->cancellable);
	g_clear_pointer(&job->state_before, rb_drive_state_free);
	g_clear_pointer(&job->state_after, rb_drive_state_free);
	g_free(job);
}

/*
 * What the drive writes: a full blank every sector from the lead-in to the
 * end of the longest lead-out, a minimal one the lead-in and the first
 * pregap (cdrdao: "erase PMA, lead-in and 1st track's pre-gap"; the PMA is
 * a few hundred sectors, small next to the lead-in, and not counted), at
 * the drive's write speed. The disc's size comes from its ATIP (@atip, NULL
 * when unread), which a written disc keeps, else from READ DISC
 * INFORMATION, which gives it on a blank disc only (FF:FF:FF on a complete
 * one, mmc-notes §2.2), else from a nominal 80-minute disc.
 */
gint
rb_erase_estimate_seconds(const RbDriveState *state, const RbMmcAtip *atip, gboolean full)
{
	gint64 leadin_start = RB_ERASE_NOMINAL_LEADIN_START;
	gint64 last_leadout = RB_ERASE_NOMINAL_LAST_LEADOUT;
	gint64 speed = state->current_write_speed;
	gint64 sectors;

	if (atip != NULL && atip->leadin_start_lba < 0 && atip->last_leadout_lba > 0) {
		leadin_start = atip->leadin_start_lba;
		last_leadout = atip->last_leadout_lba;
	} else if (state->leadin_start < 0 && state->last_leadout_start > 0) {
		leadin_start = state->leadin_start;
		last_leadout = state->last_leadout_start;
	}
	sectors = -leadin_start + RB_ERASE_PREGAP_SECTORS;
	if (full)
		sectors = -leadin_start + last_leadout + RB_ERASE_LEADOUT_SECTORS;
	if (speed <= 0 && state->write_speeds->len > 0)
		speed = g_array_index(state->write_speeds, RbMmcSpeedDescriptor, 0)
				.sectors_per_second;
	if (speed <= 0)
		speed = RB_ERASE_SPEED_1X;
	return (gint)MAX((sectors + speed - 1) / speed, 1);
}

static gboolean
rb_erase_has_profile(const GArray *profiles, guint32 profile)
{
	for (guint i = 0; i < profiles->len; i++) {
		if (g_array_index(profiles, guint32, i) == profile)
			return TRUE;
	}
	return FALSE;
}

/* IMAPI's order: a medium first, then a recorder that can blank, then a
 * CD-RW, then one the drive says it can erase (the Erasable bit of READ
 * DISC INFORMATION; E_IMAPI_ERASE_MEDIA_IS_NOT_ERASABLE) */
static gboolean
rb_erase_check_media(const RbDriveState *state, GError **error)
{
	if (!state->media_present) {
		rb_error_set_default(error, RB_ERROR_MEDIA_NO_MEDIA);
		return FALSE;
	}
	if (!rb_erase_has_profile(state->supported_profiles, RB_MMC_PROFILE_CD_RW)) {
		rb_error_set_default(error, RB_ERROR_ERASE_RECORDER_NOT_SUPPORTED);
		return FALSE;
	}
	if (state->media_type != RB_DRIVE_MEDIA_TYPE_CD_RW) {
		rb_error_set_default(error, RB_ERROR_ERASE_MEDIA_IS_NOT_SUPPORTED);
		return FALSE;
	}
	if (!state->media_erasable) {
		rb_error_set_default(error, RB_ERROR_ERASE_MEDIA_IS_NOT_ERASABLE);
		return FALSE;
	}
	return TRUE;
}

/* the sleep between polls: at most half a second (IMAPI's Update cadence,
 * so each Update has fresh progress), cut short by the cancellable */
static void
rb_erase_sleep(guint64 usec, gpointer user_data)
{
	GCancellable *cancellable = user_data;
	gint timeout_ms = (gint)(MIN(usec, RB_ERASE_POLL_MAX_US) / 1000);
	GPollFD pollfd;

	if (cancellable != NULL && g_cancellable_make_pollfd(cancellable, &pollfd)) {
		g_poll(&pollfd, 1, timeout_ms);
		g_cancellable_release_fd(cancellable);
		return;
	}
	g_usleep((gulong)timeout_ms * 1000);
}

/* the drive's own words after our explanation, so that the error names both */
static void
rb_erase_wrap_error(GError **error, RbError code, GError *drive_error)
{
	rb_error_set(error, code, "%s (%s)", rb_error_get_description(code), drive_error->message);
}

static gboolean
rb_erase_send_blank(RbMmcTransport *transport, RbEraseJob *job, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	RbMmcEnv env = {.cancellable = job->cancellable};
	RbMmcCdb cdb;

	rb_mmc_cdb_blank(&cdb, job->full ? RB_MMC_BLANK_FULL : RB_MMC_BLANK_MINIMAL, 0, TRUE);
	if (!rb_mmc_exec(transport, &cdb, RB_MMC_DIR_NONE, NULL, 0, &env, NULL, &error_local)) {
		if (g_error_matches(error_local, RB_ERROR, RB_ERROR_REQUEST_CANCELLED)) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return FALSE;
		}
		rb_erase_wrap_error(error, RB_ERROR_ERASE_DRIVE_FAILED_ERASE_COMMAND, error_local);
		return FALSE;
	}
	return TRUE;
}

static gboolean
rb_erase_wait(RbMmcTransport *transport, RbEraseJob *job, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	RbMmcEnv env = {
		.sleep_us = rb_erase_sleep,
		.user_data = job->cancellable,
		.cancellable = job->cancellable,
	};

	if (rb_mmc_wait_until_ready(transport,
				    &env,
				    RB_ERASE_TIMEOUT_S,
				    rb_erase_on_progress,
				    job->progress,
				    &error_local))
		return TRUE;
	if (g_error_matches(error_local, RB_ERROR, RB_ERROR_REQUEST_CANCELLED)) {
		rb_error_set(error,
			     RB_ERROR_REQUEST_CANCELLED,
			     "%s",
			     _("The service stopped while the drive was blanking; the drive "
			       "finishes the blank on its own. Erase the disc again if it "
			       "does not read as blank."));
		return FALSE;
	}
	/* the poll's own time-out: IMAPI's hour is up */
	if (g_error_matches(error_local, RB_ERROR, RB_ERROR_MEDIA_BUSY)) {
		rb_erase_wrap_error(error, RB_ERROR_ERASE_TOOK_LONGER_THAN_ONE_HOUR, error_local);
		return FALSE;
	}
	rb_erase_wrap_error(
		error, RB_ERROR_ERASE_UNEXPECTED_DRIVE_RESPONSE_DURING_ERASE, error_local);
	return FALSE;
}

/* the ATIP, for the estimate only: a drive that does not give it still blanks */
static gboolean
rb_erase_read_atip(RbMmcTransport *transport, RbEraseJob *job, RbMmcAtip *atip)
{
	g_autoptr(GError) error_local = NULL;

	if (rb_mmc_read_atip(transport, atip, &error_local))
		return TRUE;
	g_debug("%s: no ATIP, the erase time is a guess: %s", job->name, error_local->message);
	return FALSE;
}

gboolean
rb_erase_drive_run(RbMmcTransport *transport, RbEraseJob *job, GError **error)
{
	RbMmcAtip atip;
	gboolean have_atip;

	g_return_val_if_fail(RB_IS_MMC_TRANSPORT(transport), FALSE);
	g_return_val_if_fail(job != NULL && job->progress != NULL, FALSE);

	job->state_before = rb_recorder_drive_read_state(transport, job->name, error);
	if (job->state_before == NULL || !rb_erase_check_media(job->state_before, error))
		return FALSE;
	/* the disc stays in until the blank is over: a disc taken out halfway
	 * reads as neither the old one nor a blank; the release path allows
	 * removal again */
	have_atip = rb_erase_read_atip(transport, job, &atip);
	if (!rb_mmc_prevent_allow_medium_removal(transport, TRUE, error))
		return FALSE;
	if (!rb_erase_send_blank(transport, job, error))
		return FALSE;
	rb_erase_progress_set_started(
		job->progress,
		rb_erase_estimate_seconds(job->state_before, have_atip ? &atip : NULL, job->full));
	if (!rb_erase_wait(transport, job, error))
		return FALSE;
	rb_erase_on_progress(1.0, job->progress);
	/* what the recorder's properties show before EraseMedia replies */
	job->state_after = rb_recorder_drive_read_state(transport, job->name, error);
	return job->state_after != NULL;
}
