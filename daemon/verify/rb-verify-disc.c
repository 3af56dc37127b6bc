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
#include "rb-mmc-device.h"
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
/* 03/02/00 */
#define RB_VERIFY_ASC_NO_SEEK_COMPLETE 0x02
/* unreadable Q frames pass when no more than 1 in this many sectors */
#define RB_VERIFY_BAD_Q_RATIO 100

/* the blank check: a blank disc has nothing to compare, so it fails at its
 * first sector */
static gboolean
rb_verify_disc_check_recorded(RbMmcTransport *transport, const RbMmcEnv *env, GError **error)
{
	RbMmcDiscInfo disc_info;

	if (!rb_mmc_read_disc_information_env(transport, env, &disc_info, error))
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
	return TRUE;
}

/* the lead-out start from READ TOC: READ CD cannot read the lead-out (MMC:
 * an LBA past the last track's end is out of range), so the comparison
 * stops before it */
static gboolean
rb_verify_disc_toc_leadout(RbMmcTransport *transport,
			   const RbMmcEnv *env,
			   gint32 *leadout,
			   GError **error)
{
	guint8 data[RB_VERIFY_TOC_LEN];
	g_autoptr(RbMmcToc) toc = NULL;
	RbMmcExecInfo info;
	RbMmcCdb cdb;

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
		       "eject and reinsert the disc, or try another recorder."));
	return FALSE;
}

/*
 * Where the comparison ends. A burn knows the lead-out it wrote and uses
 * it: straight after a raw DAO write some drives still report the TOC of
 * before (mmc-notes; wodim reloads the tray before reading it, cdrecord.c
 * after fixating), so READ TOC is only asked to be told about it.
 */
static gboolean
rb_verify_disc_leadout(RbMmcTransport *transport,
		       const RbMmcEnv *env,
		       gint32 written_leadout,
		       gint32 *leadout,
		       GError **error)
{
	g_autoptr(GError) toc_error = NULL;
	gint32 toc_leadout = 0;

	if (!rb_verify_disc_check_recorded(transport, env, error))
		return FALSE;
	if (written_leadout == RB_VERIFY_LEADOUT_UNKNOWN)
		return rb_verify_disc_toc_leadout(transport, env, leadout, error);
	*leadout = written_leadout;
	if (!rb_verify_disc_toc_leadout(transport, env, &toc_leadout, &toc_error))
		g_debug("READ TOC after writing failed (%s): reading back to the lead-out "
			"written, LBA %d",
			toc_error->message,
			written_leadout);
	else if (toc_leadout != written_leadout)
		g_debug("READ TOC after writing says the lead-out starts at LBA %d, but it was "
			"written at LBA %d (a stale TOC): reading back to the one written",
			toc_leadout,
			written_leadout);
	return TRUE;
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
 * Whether a drive's answer to READ CD of LBA -150 means "not the pregap"
 * rather than a broken drive or disc: ILLEGAL REQUEST of any kind (LBA out
 * of range from firmware whose pregap starts at -135 or 0, as redumper's
 * per-drive pregap starts record; 05/64/00 ILLEGAL MODE FOR THIS TRACK from
 * firmware that has no track mode before track 1) and 03/02/00 NO SEEK
 * COMPLETE, SECTOR NOT FOUND from firmware that cannot seek before LBA 0.
 * cdrdao's GenericMMC::readTrackData takes both as "this sector cannot be
 * read" rather than as a hard error, alongside 05/63 and 03/11.
 */
static gboolean
rb_verify_disc_refuses_pregap(const RbMmcExecInfo *info)
{
	if (!info->check_condition)
		return FALSE;
	return info->sense.key == RB_SENSE_ILLEGAL_REQUEST ||
	       (info->sense.key == RB_SENSE_MEDIUM_ERROR &&
		info->sense.asc == RB_VERIFY_ASC_NO_SEEK_COMPLETE);
}

/*
 * Where the comparison begins: LBA -150, the pregap of track 1, where the
 * drive reads it (most do through READ CD, cdrdao's read-cd starts there);
 * a drive that refuses it (rb_verify_disc_refuses_pregap()) is read from
 * LBA 0, and the pregap is not compared. Only this first read falls back:
 * a refusal later is an error. The lead-in is never readable.
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
	if (!rb_verify_disc_refuses_pregap(&info)) {
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

/* what the Q comparison passed over, for the debug log and the bound */
typedef struct {
	guint compared;     /* sectors whose Q was looked at */
	guint bad_crc;      /* of those: read with a CRC error, unreadable */
	guint adr_replaced; /* position in place of MCN/ISRC or back */
} RbVerifyQCounts;

static gboolean
rb_verify_disc_is_mcn_isrc(guint8 adr)
{
	return adr == RB_SUBQ_ADR_MCN || adr == RB_SUBQ_ADR_ISRC;
}

/*
 * The Q read back against the Q written. The sub-channel has no CIRC
 * protection, only its CRC, and real discs read back with Q CRC errors
 * several times a second; cdrdao's CdrDriver::analyzeTrackScan counts Q
 * frames failing checkCrc() and passes over them. So:
 *  - a Q whose CRC the drive returns (some leave the formatted Q's CRC
 *    field zero) and which fails it was not read: it is counted, not
 *    compared, and rb_verify_disc() fails only when such frames pass 1 %
 *    of the sectors;
 *  - an MCN or ISRC frame (ADR 2, 3) read where a position frame (ADR 1)
 *    was written, or the reverse, is no difference: Red Book lets the
 *    encoder put an MCN or ISRC frame in place of any position frame (one
 *    in at least every 100), drives that format Q interpolate the position
 *    over such a frame, and cdrdao's scans (CdrDriver::analyzeTrackScan,
 *    CdrDriver::readCatalogScan) take whichever ADR each sector gives;
 *  - any other difference of a Q read with a valid CRC (or none) fails.
 */
static gboolean
rb_verify_disc_compare_q(
	gint32 lba, const guint8 *q, const guint8 *want_q, RbVerifyQCounts *counts, GError **error)
{
	gboolean crc_returned = q[10] != 0 || q[11] != 0;
	guint8 adr = q[0] & 0x0F;
	guint8 want_adr = want_q[0] & 0x0F;

	counts->compared++;
	if (crc_returned && !rb_subq_check_crc(q)) {
		counts->bad_crc++;
		return TRUE;
	}
	if (adr != want_adr &&
	    ((adr == RB_SUBQ_ADR_POSITION && rb_verify_disc_is_mcn_isrc(want_adr)) ||
	     (want_adr == RB_SUBQ_ADR_POSITION && rb_verify_disc_is_mcn_isrc(adr)))) {
		counts->adr_replaced++;
		return TRUE;
	}
	if (memcmp(q, want_q, RB_SUBQ_DATA_SIZE) != 0 ||
	    (crc_returned && memcmp(q + RB_SUBQ_DATA_SIZE, want_q + RB_SUBQ_DATA_SIZE, 2) != 0)) {
		g_autofree gchar *got = rb_verify_disc_hex(q, RB_SUBQ_SIZE);
		g_autofree gchar *want = rb_verify_disc_hex(want_q, RB_SUBQ_SIZE);

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

/* one sector read back against the expected one */
static gboolean
rb_verify_disc_compare(gint32 lba,
		       const guint8 *main,
		       const guint8 *q,
		       const RbVerifyExpected *expected,
		       gint32 leadout,
		       RbVerifyQCounts *counts,
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
	return rb_verify_disc_compare_q(lba, q, expected->digest.q, counts, error);
}

/*
 * A multi-sector READ CD that fails with MEDIUM ERROR says neither which
 * sector nor whether the rest could be read, and drives differ in whether
 * they set INFORMATION; so the chunk is read again one sector at a time and
 * the first sector that still fails is named. HARDWARE ERROR (sense key 4)
 * is the drive's fault, not the disc's, and stays a device error. Sectors
 * that read on the second try are kept in @buf and compared.
 */
static gboolean
rb_verify_disc_reread(RbMmcTransport *transport,
		      const RbMmcEnv *env,
		      gint32 lba,
		      guint n,
		      guint8 *buf,
		      GError **error)
{
	for (guint i = 0; i < n; i++) {
		g_autoptr(GError) local_error = NULL;
		RbMmcExecInfo info = {0};
		gint32 at = lba + (gint32)i;
		const gchar *what;

		if (rb_verify_disc_read(transport,
					env,
					at,
					1,
					buf + (gsize)i * RB_VERIFY_READ_SECTOR,
					&info,
					&local_error))
			continue;
		if (!info.check_condition || info.sense.key != RB_SENSE_MEDIUM_ERROR) {
			g_propagate_error(error, g_steal_pointer(&local_error));
			return FALSE;
		}
		what = rb_mmc_sense_describe(info.sense.key, info.sense.asc, info.sense.ascq);
		rb_error_set(error,
			     RB_ERROR_BURN_VERIFICATION_FAILED,
			     _("LBA %d: unreadable (%02X/%02X/%02X %s); clean the disc and "
			       "verify again, or try another drive; if it stays unreadable, "
			       "the burn is bad there."),
			     at,
			     info.sense.key,
			     info.sense.asc,
			     info.sense.ascq,
			     what != NULL ? what : _("medium error"));
		return FALSE;
	}
	return TRUE;
}

/* one READ CD of @n sectors from @lba into @buf */
static gboolean
rb_verify_disc_read_chunk(RbMmcTransport *transport,
			  const RbMmcEnv *env,
			  gint32 lba,
			  guint n,
			  guint8 *buf,
			  GError **error)
{
	g_autoptr(GError) local_error = NULL;
	RbMmcExecInfo info = {0};

	if (rb_verify_disc_read(transport, env, lba, n, buf, &info, &local_error))
		return TRUE;
	if (!info.check_condition || info.sense.key != RB_SENSE_MEDIUM_ERROR) {
		g_propagate_error(error, g_steal_pointer(&local_error));
		return FALSE;
	}
	g_debug("READ CD of LBA %d..%d failed (%s): reading them one by one",
		lba,
		lba + (gint32)n - 1,
		local_error->message);
	return rb_verify_disc_reread(transport, env, lba, n, buf, error);
}

/* the Q frames passed over: fine in small numbers, a bad disc or drive in
 * large ones */
static gboolean
rb_verify_disc_check_q_counts(const RbVerifyQCounts *counts, GError **error)
{
	g_debug("Q compared in %u sectors: %u with a CRC error (unreadable), %u MCN/ISRC "
		"frames read as position or back",
		counts->compared,
		counts->bad_crc,
		counts->adr_replaced);
	if ((guint64)counts->bad_crc * RB_VERIFY_BAD_Q_RATIO <= counts->compared)
		return TRUE;
	rb_error_set(error,
		     RB_ERROR_BURN_VERIFICATION_FAILED,
		     _("The sub-channel Q of %u of %u sectors could not be read (CRC errors), "
		       "more than 1 in %u; clean the disc and verify again, or try another "
		       "drive."),
		     counts->bad_crc,
		     counts->compared,
		     RB_VERIFY_BAD_Q_RATIO);
	return FALSE;
}

gboolean
rb_verify_disc(RbMmcTransport *transport,
	       const RbMmcEnv *env,
	       const RbVerifySourceFuncs *funcs,
	       gpointer source,
	       gint32 written_leadout,
	       RbVerifyProgressFunc progress,
	       gpointer user_data,
	       GError **error)
{
	g_autofree guint8 *buf = g_malloc((gsize)RB_VERIFY_CHUNK * RB_VERIFY_READ_SECTOR);
	RbVerifyQCounts counts = {0, 0, 0};
	gint32 leadout = 0;
	gint32 first = 0;
	RbVerifyExpected expected;

	if (!rb_verify_disc_leadout(transport, env, written_leadout, &leadout, error))
		return FALSE;
	if (!rb_verify_disc_first_lba(transport, env, buf, &first, error))
		return FALSE;
	if (!funcs->start(source, &first, error))
		return FALSE;
	for (gint32 lba = first; lba < leadout;) {
		guint n = (guint)MIN(leadout - lba, RB_VERIFY_CHUNK);

		if (env != NULL && g_cancellable_set_error_if_cancelled(env->cancellable, NULL)) {
			rb_error_set(error,
				     RB_ERROR_REQUEST_CANCELLED,
				     "%s",
				     _("The verification was cancelled."));
			return FALSE;
		}
		if (!rb_verify_disc_read_chunk(transport, env, lba, n, buf, error))
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
						    &counts,
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
	return rb_verify_disc_check_q_counts(&counts, error);
}
