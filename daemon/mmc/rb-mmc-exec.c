/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The retry engine. Retries are about the drive, not the transport: a
 * transport failure (timeout, device gone) is never retried here, because
 * resending a WRITE whose fate is unknown could write a sector twice.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbMmc"

#include <string.h>

#include "rb-error.h"
#include "rb-mmc-exec.h"

guint
rb_mmc_command_timeout_ms(const RbMmcCdb *cdb)
{
	g_return_val_if_fail(cdb != NULL, RB_MMC_TIMEOUT_DEFAULT_MS);

	switch (cdb->bytes[0]) {
	case RB_MMC_WRITE_10:
		return RB_MMC_TIMEOUT_WRITE_MS;
	case RB_MMC_SYNCHRONIZE_CACHE:
		return rb_mmc_cdb_get_immed(cdb) ? RB_MMC_TIMEOUT_IMMED_MS
						 : RB_MMC_TIMEOUT_SYNC_CACHE_MS;
	case RB_MMC_BLANK:
		return rb_mmc_cdb_get_immed(cdb) ? RB_MMC_TIMEOUT_IMMED_MS
						 : RB_MMC_TIMEOUT_BLANK_MS;
	case RB_MMC_SEND_OPC_INFORMATION:
		return RB_MMC_TIMEOUT_OPC_MS;
	case RB_MMC_START_STOP_UNIT:
		/* LoEj without Immed: the command lasts until the disc spins */
		if ((cdb->bytes[4] & 0x02) != 0 && !rb_mmc_cdb_get_immed(cdb))
			return RB_MMC_TIMEOUT_LOAD_MS;
		return RB_MMC_TIMEOUT_DEFAULT_MS;
	default:
		return RB_MMC_TIMEOUT_DEFAULT_MS;
	}
}

guint64
rb_mmc_busy_backoff_us(guint8 opcode, guint retry)
{
	guint64 first = RB_MMC_BUSY_OTHER_FIRST_US;
	guint64 cap = RB_MMC_BUSY_OTHER_MAX_US;
	guint64 delay;

	if (opcode == RB_MMC_WRITE_10) {
		first = RB_MMC_BUSY_WRITE_FIRST_US;
		cap = RB_MMC_BUSY_WRITE_MAX_US;
	}
	/* doubling; the shift is bounded so that it cannot overflow */
	delay = first << MIN(retry, 20u);
	return MIN(delay, cap);
}

static gint64
rb_mmc_env_now(const RbMmcEnv *env)
{
	if (env != NULL && env->now_us != NULL)
		return env->now_us(env->user_data);
	return g_get_monotonic_time();
}

static void
rb_mmc_env_sleep(const RbMmcEnv *env, guint64 usec)
{
	GPollFD pollfd;

	if (env != NULL && env->sleep_us != NULL) {
		env->sleep_us(usec, env->user_data);
		return;
	}
	/* wait on the cancellable's fd, so that a cancel ends the sleep */
	if (env != NULL && env->cancellable != NULL &&
	    g_cancellable_make_pollfd(env->cancellable, &pollfd)) {
		g_poll(&pollfd, 1, (gint)MIN((usec + 999) / 1000, (guint64)G_MAXINT));
		g_cancellable_release_fd(env->cancellable);
		return;
	}
	g_usleep((gulong)usec);
}

static gboolean
rb_mmc_env_check_cancelled(const RbMmcEnv *env, guint8 opcode, GError **error)
{
	if (env == NULL || !g_cancellable_is_cancelled(env->cancellable))
		return TRUE;
	rb_error_set(error,
		     RB_ERROR_REQUEST_CANCELLED,
		     "%s (before %s)",
		     rb_error_get_description(RB_ERROR_REQUEST_CANCELLED),
		     rb_mmc_opcode_to_string(opcode));
	return FALSE;
}

static gboolean
rb_mmc_exec_internal(RbMmcTransport *transport,
		     const RbMmcCdb *cdb,
		     RbMmcDirection direction,
		     guint8 *buffer,
		     gsize buffer_len,
		     const RbMmcEnv *env,
		     gboolean retry_busy,
		     RbMmcExecInfo *info,
		     GError **error)
{
	guint8 opcode = cdb->bytes[0];
	guint timeout_ms = rb_mmc_command_timeout_ms(cdb);
	gint64 start = rb_mmc_env_now(env);
	guint busy_retries = 0;
	gboolean retried_medium_changed = FALSE;
	gboolean retried_reset = FALSE;

	memset(info, 0, sizeof(*info));
	for (;;) {
		RbMmcResult result = {0};
		RbMmcSenseAction action = RB_MMC_SENSE_ACTION_FAIL;
		guint64 delay;
		gint64 elapsed;

		if (!rb_mmc_env_check_cancelled(env, opcode, error))
			return FALSE;
		/* a retried data-in must not return bytes of the failed attempt */
		if (direction == RB_MMC_DIR_IN && buffer_len > 0)
			memset(buffer, 0, buffer_len);
		info->attempts++;
		info->check_condition = FALSE;
		if (!rb_mmc_transport_execute(transport,
					      cdb->bytes,
					      cdb->len,
					      direction,
					      buffer,
					      buffer_len,
					      timeout_ms,
					      &result,
					      error))
			return FALSE;
		info->transferred = buffer_len - MIN(result.residual, buffer_len);

		switch (result.status) {
		case RB_SCSI_STATUS_GOOD:
			return TRUE;
		case RB_SCSI_STATUS_CHECK_CONDITION:
			info->check_condition = TRUE;
			if (!rb_mmc_sense_parse(
				    result.sense, result.sense_len, &info->sense, NULL)) {
				rb_error_set(error,
					     RB_ERROR_INVALID_RESPONSE_FROM_DEVICE,
					     "%s (%s: CHECK CONDITION with %" G_GSIZE_FORMAT
					     " bytes of sense data that cannot be decoded)",
					     rb_error_get_description(
						     RB_ERROR_INVALID_RESPONSE_FROM_DEVICE),
					     rb_mmc_opcode_to_string(opcode),
					     result.sense_len);
				return FALSE;
			}
			action = rb_mmc_sense_get_action(&info->sense);
			g_debug("%s: sense %02X/%02X/%02X (attempt %u)",
				rb_mmc_opcode_to_string(opcode),
				info->sense.key,
				info->sense.asc,
				info->sense.ascq,
				info->attempts);
			break;
		case RB_SCSI_STATUS_BUSY:
		case RB_SCSI_STATUS_TASK_SET_FULL:
			action = RB_MMC_SENSE_ACTION_RETRY_BUSY;
			break;
		case RB_SCSI_STATUS_RESERVATION_CONFLICT:
			rb_error_set(error,
				     RB_ERROR_LOCKED,
				     "%s (%s: the drive is reserved by another initiator)",
				     rb_error_get_description(RB_ERROR_LOCKED),
				     rb_mmc_opcode_to_string(opcode));
			return FALSE;
		default:
			rb_error_set(
				error,
				RB_ERROR_UNEXPECTED_RESPONSE_FROM_DEVICE,
				"%s (%s: SCSI status %02Xh)",
				rb_error_get_description(RB_ERROR_UNEXPECTED_RESPONSE_FROM_DEVICE),
				rb_mmc_opcode_to_string(opcode),
				result.status);
			return FALSE;
		}

		if (action == RB_MMC_SENSE_ACTION_SUCCEED) {
			info->check_condition = FALSE;
			return TRUE;
		}
		/* a unit attention means the command was not executed; resend it
		 * once per condition. Not a WRITE: after a reset or a medium change
		 * in the middle of a DAO stream the burn is lost, say so at once. */
		if (action == RB_MMC_SENSE_ACTION_RETRY_ONCE && opcode != RB_MMC_WRITE_10) {
			gboolean *retried = info->sense.asc == RB_ASC_POWER_ON_RESET
						    ? &retried_reset
						    : &retried_medium_changed;
			if (!*retried) {
				*retried = TRUE;
				continue;
			}
		}
		if (action != RB_MMC_SENSE_ACTION_RETRY_BUSY) {
			g_propagate_error(error, rb_mmc_sense_to_error(&info->sense, opcode));
			return FALSE;
		}

		/* busy: back off, within the command's own timeout */
		delay = rb_mmc_busy_backoff_us(opcode, busy_retries);
		elapsed = rb_mmc_env_now(env) - start;
		if (!retry_busy || elapsed + (gint64)delay > (gint64)timeout_ms * 1000) {
			if (!info->check_condition) {
				rb_error_set(error,
					     RB_ERROR_COMMAND_TIMEOUT,
					     "%s (%s: drive still busy after %u attempts in "
					     "%" G_GINT64_FORMAT " ms)",
					     rb_error_get_description(RB_ERROR_COMMAND_TIMEOUT),
					     rb_mmc_opcode_to_string(opcode),
					     info->attempts,
					     elapsed / 1000);
			} else {
				const gchar *text = rb_mmc_sense_describe(
					info->sense.key, info->sense.asc, info->sense.ascq);
				rb_error_set(
					error,
					RB_ERROR_MEDIA_BUSY,
					"%s (%s: sense %02X/%02X/%02X, %s, after %u attempts in "
					"%" G_GINT64_FORMAT " ms)",
					rb_error_get_description(RB_ERROR_MEDIA_BUSY),
					rb_mmc_opcode_to_string(opcode),
					info->sense.key,
					info->sense.asc,
					info->sense.ascq,
					text != NULL ? text : "busy",
					info->attempts,
					elapsed / 1000);
			}
			return FALSE;
		}
		rb_mmc_env_sleep(env, delay);
		busy_retries++;
	}
}

gboolean
rb_mmc_exec(RbMmcTransport *transport,
	    const RbMmcCdb *cdb,
	    RbMmcDirection direction,
	    guint8 *buffer,
	    gsize buffer_len,
	    const RbMmcEnv *env,
	    RbMmcExecInfo *info,
	    GError **error)
{
	RbMmcExecInfo local_info;

	g_return_val_if_fail(RB_IS_MMC_TRANSPORT(transport), FALSE);
	g_return_val_if_fail(cdb != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	return rb_mmc_exec_internal(transport,
				    cdb,
				    direction,
				    buffer,
				    buffer_len,
				    env,
				    TRUE,
				    info != NULL ? info : &local_info,
				    error);
}

/* what the finishing poll waits through: busy with the long operation, and
 * spinning up again once it is over (cdrdao and wodim wait on both) */
static gboolean
rb_mmc_sense_is_finishing(const RbMmcSense *sense)
{
	if (rb_mmc_sense_get_action(sense) == RB_MMC_SENSE_ACTION_RETRY_BUSY)
		return TRUE;
	return sense->key == RB_SENSE_NOT_READY && sense->asc == RB_ASC_NOT_READY &&
	       (sense->ascq == 0x00 || sense->ascq == RB_ASCQ_BECOMING_READY);
}

/* the next poll: after the backoff interval, or sooner when the progress
 * the drive reports says it will be done before then, so that the wait
 * ends close to when the drive does instead of up to one interval later.
 * Only a progress that moved since the last poll (@last_progress) counts:
 * one stuck near its end would otherwise poll at the floor for minutes */
static guint64
rb_mmc_finish_poll_delay(const RbMmcSense *sense,
			 guint last_progress,
			 gint64 elapsed_us,
			 guint64 interval_us)
{
	gdouble fraction;
	gdouble left_us;

	if (!sense->progress_valid || sense->progress == 0 || sense->progress <= last_progress ||
	    elapsed_us <= 0)
		return interval_us;
	fraction = sense->progress / 65536.0;
	left_us = (gdouble)elapsed_us * (1.0 - fraction) / fraction;
	return (guint64)CLAMP(left_us, (gdouble)RB_MMC_FINISH_POLL_MIN_US, (gdouble)interval_us);
}

gboolean
rb_mmc_wait_until_ready(RbMmcTransport *transport,
			const RbMmcEnv *env,
			guint timeout_s,
			RbMmcProgressFunc progress,
			gpointer user_data,
			GError **error)
{
	RbMmcCdb cdb;
	gint64 start;
	guint64 interval_us = RB_MMC_FINISH_POLL_FIRST_US;
	guint last_progress = 0;

	g_return_val_if_fail(RB_IS_MMC_TRANSPORT(transport), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	rb_mmc_cdb_test_unit_ready(&cdb);
	start = rb_mmc_env_now(env);
	for (;;) {
		g_autoptr(GError) error_local = NULL;
		RbMmcExecInfo info;
		gint64 elapsed;
		guint64 delay;

		/* one TEST UNIT READY per poll, so that progress is reported
		 * between them instead of being hidden in a retry loop */
		if (rb_mmc_exec_internal(transport,
					 &cdb,
					 RB_MMC_DIR_NONE,
					 NULL,
					 0,
					 env,
					 FALSE,
					 &info,
					 &error_local))
			break;
		if (!info.check_condition || !rb_mmc_sense_is_finishing(&info.sense)) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return FALSE;
		}
		if (progress != NULL)
			progress(info.sense.progress_valid ? info.sense.progress / 65536.0 : -1.0,
				 user_data);
		elapsed = rb_mmc_env_now(env) - start;
		delay = rb_mmc_finish_poll_delay(&info.sense, last_progress, elapsed, interval_us);
		if (info.sense.progress_valid)
			last_progress = info.sense.progress;
		if (elapsed + (gint64)delay > (gint64)timeout_s * G_USEC_PER_SEC) {
			rb_error_set(error,
				     RB_ERROR_MEDIA_BUSY,
				     "%s (the drive was still finishing after %u s: sense "
				     "%02X/%02X/%02X)",
				     rb_error_get_description(RB_ERROR_MEDIA_BUSY),
				     timeout_s,
				     info.sense.key,
				     info.sense.asc,
				     info.sense.ascq);
			return FALSE;
		}
		rb_mmc_env_sleep(env, delay);
		interval_us = MIN(interval_us * 2, RB_MMC_FINISH_POLL_MAX_US);
	}
	if (progress != NULL)
		progress(1.0, user_data);
	return TRUE;
}
