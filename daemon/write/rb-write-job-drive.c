/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the write job tells the drive around the stream: PREPARING (page 05h
 * for a raw DAO recording, SET CD SPEED) before the first WRITE, and
 * FINISHING (SYNCHRONIZE CACHE, the finishing poll, READ DISC INFORMATION)
 * after the last, where the disc's state says whether the burn or the
 * simulation did what was asked.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbWriteJob"

#include <glib/gi18n.h>

#include "rb-error.h"
#include "rb-mmc-cdb.h"
#include "rb-mmc-device.h"
#include "rb-mmc-mode-pages.h"
#include "rb-mmc-replies.h"
#include "rb-write-job-private.h"

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

gboolean
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

/* ---- FINISHING ---- */

gboolean
rb_write_job_finish_disc(RbWriteJob *self, const RbMmcEnv *env, GError **error)
{
	RbMmcDiscInfo disc_info;
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
	if (!rb_mmc_read_disc_information_env(self->transport, env, &disc_info, error))
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
			     RB_WRITE_JOB_GET(self->last_written_lba));
		return FALSE;
	}
	return TRUE;
}
