/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The read-back of a verify; see rb-verify-disc.h.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbVerify"

#include <glib/gi18n.h>
#include <string.h>

#include "rb-error.h"
#include "rb-mmc-cdb.h"
#include "rb-mmc-replies.h"
#include "rb-verify-disc.h"

/* READ CD's formatted Q (sub-channel selection 010b): 16 bytes a sector */
#define RB_VERIFY_READ_Q_SIZE 16
#define RB_VERIFY_READ_SECTOR (RB_CD_MAIN_SIZE + RB_VERIFY_READ_Q_SIZE)
/* 27 sectors (63,936 bytes) per READ CD: under the 64 KiB any SG_IO host
 * adapter takes, as the burn's WRITEs */
#define RB_VERIFY_CHUNK (65536 / RB_VERIFY_READ_SECTOR)
/* track 1's pregap: the first sector a reader can reach */
#define RB_VERIFY_PREGAP_START (-150)
/* 99 tracks and the lead-out */
#define RB_VERIFY_TOC_LEN (4 + 100 * 8)

static gboolean
rb_verify_disc_leadout(RbMmcTransport *transport,
		       const RbMmcEnv *env,
		       gint32 *leadout,
		       GError **error)
{
	guint8 data[RB_VERIFY_TOC_LEN];
	g_autoptr(RbMmcToc) toc = NULL;
	RbMmcExecInfo info;
	RbMmcCdb cdb;

	/* a blank disc has nothing to compare: it fails at its first sector */
	rb_mmc_cdb_read_disc_information(&cdb, RB_MMC_DISC_INFO_LEN);
	if (!rb_mmc_exec(
		    transport, &cdb, RB_MMC_DIR_IN, data, RB_MMC_DISC_INFO_LEN, env, &info, error))
		return FALSE;
	{
		RbMmcDiscInfo disc_info;

		if (!rb_mmc_disc_info_parse(data, info.transferred, &disc_info, error))
			return FALSE;
		if (disc_info.disc_status == RB_MMC_DISC_STATUS_BLANK) {
			rb_error_set(error,
				     RB_ERROR_BURN_VERIFICATION_FAILED,
				     _("LBA %d: nothing is recorded there, the disc is blank; "
				       "burn the image first, or insert the disc it was burned "
				       "to."),
				     RB_VERIFY_PREGAP_START);
			return FALSE;
		}
	}
	/* the lead-out start from READ TOC: READ CD cannot read the lead-out
	 * (MMC: an LBA past the last track's end is out of range), so the
	 * comparison stops before it */
	rb_mmc_cdb_read_toc(&cdb, RB_MMC_TOC_FORMAT_TOC, FALSE, 0, sizeof(data));
	if (!rb_mmc_exec(transport, &cdb, RB_MMC_DIR_IN, data, sizeof(data), env, &info, error))
		return FALSE;
	toc = rb_mmc_toc_parse(data, info.transferred, error);
	if (toc == NULL)
		return FALSE;
	for (guint i = 0; i < toc->tracks->len; i++) {
		const RbMmcTocTrack *track = &g_array_index(toc->tracks, RbMmcTocTrack, i);

		if (track->track == RB_MMC_TOC_LEADOUT_TRACK) {
			*leadout = track->lba;
			return TRUE;
		}
	}
	rb_error_set(error,
		     RB_ERROR_INVALID_RESPONSE_FROM_DEVICE,
		     _("The recorder's TOC has no lead-out, so the disc cannot be compared; "
		       "try another recorder."));
	return FALSE;
}

static gboolean
rb_verify_disc_read(RbMmcTransport *transport,
		    const RbMmcEnv *env,
		    gint32 lba,
		    guint n,
		    guint8 *buf,
		    RbMmcExecInfo *info,
		    GError **error)
{
	RbMmcCdb cdb;
	gsize len = (gsize)n * RB_VERIFY_READ_SECTOR;

	/* any sector type, the whole 2352 bytes (sync, headers, user data,
	 * EDC/ECC: 0xF8, as libcdio's mmc_read_cd with all fields), formatted Q */
	rb_mmc_cdb_read_cd(&cdb, 0, lba, n, RB_MMC_READ_CD_MAIN_RAW, RB_MMC_READ_CD_SUB_Q);
	if (!rb_mmc_exec(transport, &cdb, RB_MMC_DIR_IN, buf, len, env, info, error))
		return FALSE;
	if (info->transferred != len) {
		rb_error_set(error,
			     RB_ERROR_INVALID_RESPONSE_FROM_DEVICE,
			     _("READ CD at LBA %d returned %zu of %zu bytes; try another "
			       "recorder."),
			     lba,
			     info->transferred,
			     len);
		return FALSE;
	}
	return TRUE;
}

/*
 * Where the comparison begins: LBA -150, the pregap of track 1, where the
 * drive reads it (most do through READ CD, cdrdao's read-cd starts there);
 * a drive that refuses it with ILLEGAL REQUEST (some firmware starts at
 * -135 or at 0) is read from LBA 0, and the pregap is not compared. The
 * lead-in is never readable.
 */
static gboolean
rb_verify_disc_first_lba(
	RbMmcTransport *transport, const RbMmcEnv *env, guint8 *buf, gint32 *first, GError **error)
{
	g_autoptr(GError) local_error = NULL;
	RbMmcExecInfo info = {0};

	if (rb_verify_disc_read(
		    transport, env, RB_VERIFY_PREGAP_START, 1, buf, &info, &local_error)) {
		*first = RB_VERIFY_PREGAP_START;
		return TRUE;
	}
	if (!info.check_condition || info.sense.key != RB_SENSE_ILLEGAL_REQUEST) {
		g_propagate_error(error, g_steal_pointer(&local_error));
		return FALSE;
	}
	g_debug("the drive refuses READ CD of the pregap (%s): comparing from LBA 0",
		local_error->message);
	*first = 0;
	return TRUE;
}

static gchar *
rb_verify_disc_hex(const guint8 *bytes, gsize len)
{
	GString *s = g_string_new(NULL);

	for (gsize i = 0; i < len; i++)
		g_string_append_printf(s, "%02x", bytes[i]);
	return g_string_free(s, FALSE);
}

/* one sector read back against the expected one */
static gboolean
rb_verify_disc_compare(gint32 lba,
		       const guint8 *main,
		       const guint8 *q,
		       const RbVerifyExpected *expected,
		       gint32 leadout,
		       GError **error)
{
	if (expected->kind == RB_VERIFY_EXPECT_LEADOUT) {
		rb_error_set(error,
			     RB_ERROR_BURN_VERIFICATION_FAILED,
			     _("LBA %d: the stream's lead-out starts here, but the disc's "
			       "program area goes on to LBA %d; the stream is not the one "
			       "burned to this disc."),
			     lba,
			     leadout - 1);
		return FALSE;
	}
	if (expected->kind == RB_VERIFY_EXPECT_END) {
		rb_error_set(error,
			     RB_ERROR_BURN_VERIFICATION_FAILED,
			     _("LBA %d: the stream ends here, but the disc's program area goes "
			       "on to LBA %d; the stream is shorter than the disc."),
			     lba,
			     leadout - 1);
		return FALSE;
	}
	if (expected->main != NULL) {
		gssize at = rb_verify_first_difference(main, expected->main, RB_CD_MAIN_SIZE);

		if (at >= 0) {
			rb_error_set(error,
				     RB_ERROR_BURN_VERIFICATION_FAILED,
				     _("LBA %d: main channel byte %zd differs (read 0x%02x, "
				       "expected 0x%02x); the disc does not hold the stream."),
				     lba,
				     at,
				     main[at],
				     expected->main[at]);
			return FALSE;
		}
	} else {
		guint32 crc = rb_verify_crc32(0, main, RB_CD_MAIN_SIZE);

		if (crc != expected->digest.main_crc) {
			rb_error_set(error,
				     RB_ERROR_BURN_VERIFICATION_FAILED,
				     _("LBA %d: main channel differs (CRC-32 read %08x, expected "
				       "%08x); the disc does not hold what was written."),
				     lba,
				     crc,
				     expected->digest.main_crc);
			return FALSE;
		}
	}
	/* the 10 Q data bytes, and the CRC where the drive returns one: some
	 * drives leave the formatted Q's CRC field zero */
	if (memcmp(q, expected->digest.q, RB_SUBQ_DATA_SIZE) != 0 ||
	    ((q[10] != 0 || q[11] != 0) &&
	     memcmp(q + RB_SUBQ_DATA_SIZE, expected->digest.q + RB_SUBQ_DATA_SIZE, 2) != 0)) {
		g_autofree gchar *got = rb_verify_disc_hex(q, RB_SUBQ_SIZE);
		g_autofree gchar *want = rb_verify_disc_hex(expected->digest.q, RB_SUBQ_SIZE);

		rb_error_set(error,
			     RB_ERROR_BURN_VERIFICATION_FAILED,
			     _("LBA %d: sub-channel Q differs (read %s, expected %s); the disc "
			       "does not hold the stream."),
			     lba,
			     got,
			     want);
		return FALSE;
	}
	return TRUE;
}

gboolean
rb_verify_disc(RbMmcTransport *transport,
	       const RbMmcEnv *env,
	       const RbVerifySourceFuncs *funcs,
	       gpointer source,
	       RbVerifyProgressFunc progress,
	       gpointer user_data,
	       RbVerifyResult *result,
	       GError **error)
{
	g_autofree guint8 *buf = g_malloc((gsize)RB_VERIFY_CHUNK * RB_VERIFY_READ_SECTOR);
	gint32 leadout = 0;
	gint32 first = 0;
	RbVerifyExpected expected;

	if (!rb_verify_disc_leadout(transport, env, &leadout, error))
		return FALSE;
	if (!rb_verify_disc_first_lba(transport, env, buf, &first, error))
		return FALSE;
	if (!funcs->start(source, &first, error))
		return FALSE;
	if (result != NULL) {
		result->first_lba = first;
		result->leadout_lba = leadout;
	}
	for (gint32 lba = first; lba < leadout;) {
		guint n = (guint)MIN(leadout - lba, RB_VERIFY_CHUNK);
		RbMmcExecInfo info;

		if (env != NULL && g_cancellable_set_error_if_cancelled(env->cancellable, NULL)) {
			rb_error_set(error,
				     RB_ERROR_REQUEST_CANCELLED,
				     "%s",
				     _("The verification was cancelled."));
			return FALSE;
		}
		if (!rb_verify_disc_read(transport, env, lba, n, buf, &info, error))
			return FALSE;
		for (guint i = 0; i < n; i++) {
			const guint8 *main = buf + (gsize)i * RB_VERIFY_READ_SECTOR;

			if (!funcs->next(source, lba + (gint32)i, &expected, error))
				return FALSE;
			if (!rb_verify_disc_compare(lba + (gint32)i,
						    main,
						    main + RB_CD_MAIN_SIZE,
						    &expected,
						    leadout,
						    error))
				return FALSE;
		}
		lba += (gint32)n;
		if (progress != NULL)
			progress(lba - 1, first, leadout, user_data);
	}
	/* at the disc's lead-out the stream must end or start its own */
	if (!funcs->next(source, leadout, &expected, error))
		return FALSE;
	if (expected.kind == RB_VERIFY_EXPECT_SECTOR) {
		rb_error_set(error,
			     RB_ERROR_BURN_VERIFICATION_FAILED,
			     _("LBA %d: the disc's lead-out starts here, but the stream goes on; "
			       "the stream is longer than the disc."),
			     leadout);
		return FALSE;
	}
	return TRUE;
}
