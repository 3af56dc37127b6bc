/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The judge of Q beyond the absolute time: the relative time, the TNO and
 * index sequence, and the MCN (Q mode 2) and ISRC (Q mode 3) frames. The
 * rules, each with its source:
 * - relative time (Q bytes 3-5) counts up from 00:00:00 at a track's index 1
 *   through all its indices, and from 00:00:00 at the lead-out start (Red
 *   Book via mmc-notes §8.4). In a pause (index 0) it counts down by one a
 *   frame to 00:00:01 (cdrdao, libburn) or 00:00:00 (wodim) on the pause's
 *   last sector (mmc-notes "10. Measured"): either end, chosen per pause.
 * - sequence: TNO never goes back and never skips a number; a track starts
 *   at index 0 or 1; within a track the index never goes back or skips, so
 *   index 0 only comes before index 1; the lead-out is TNO AA index 01 (Red
 *   Book via mmc-notes §8.4; cdrdao analyzeCueSheet refuses the same
 *   sequences). A frame that breaks the sequence counts once, and when the
 *   next frame agrees with it the judge goes on from there: a skipped track
 *   number is one finding, not one per sector.
 * - MCN: 13 BCD digits in bytes 1-7, a zero nibble, byte 8 zero, byte 9 the
 *   sector's AFRAME (cdrdao SubChannel.cc encodeCatalogNumber and
 *   checkConsistency, PQChannelEncoder.cc aframe()).
 * - ISRC: five 6-bit characters in bytes 1-4 (0-9 as 00h-09h, A-Z as
 *   11h-2Ah) and 2 zero bits, 7 BCD digits in bytes 5-8 and a zero nibble,
 *   byte 9 the AFRAME (cdrdao SubChannel.cc encodeIsrcCode, ascii2Isrc).
 * - placement: neither in the lead-in, no ISRC in the lead-out; one MCN on
 *   the disc, one ISRC per track from its index 1 on. The MCN may go on into
 *   the lead-out: cdrdao writes it there (PQChannelEncoder.cc), and the rule
 *   as we have it does not forbid it (UNCONFIRMED). A pause may carry the
 *   previous track's ISRC (wodim: its pregap audio is the end of the
 *   previous file) or the next track's (cdrdao).
 * - rate: Q mode 1 in at least 9 of any 10 consecutive frames, and a mode 2
 *   frame in at least 1 of any 100 where present (ECMA-130 as quoted in
 *   cdrinfo.com's glossary, "q-Mode field"), the same for a track's ISRC
 *   (Red Book via mmc-notes §8.4). The MCN counts from the first track's
 *   index 1 to the lead-out (wodim writes its first MCN on the last sector
 *   of the first pause), an ISRC from its track's index 1 to the track's end.
 *   cdrdao writes them every 90 frames, wodim every 100.
 * Frames of modes 2 and 3 carry no position: the position checks skip them
 * and measure in LBAs, so continuity survives them.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbVdrive"

#include <glib/gi18n.h>
#include <stdarg.h>
#include <string.h>

#include "rb-vdrive-private.h"

/* the lead-out's TNO AA, ordered after track 99 */
#define RB_VDRIVE_TNO_LEADOUT_ORDER 100
/* mode 1 in at least 9 of 10 frames; a present MCN or ISRC in 1 of 100 */
#define RB_VDRIVE_MODE1_WINDOW 10
#define RB_VDRIVE_CODE_WINDOW 100
/* ISRC characters: digits 00h-09h, letters 11h-2Ah */
#define RB_VDRIVE_ISRC_LETTER_A 0x11
#define RB_VDRIVE_ISRC_LETTER_Z 0x2A

void
rb_vdrive_judge_reset(RbVdrive *self)
{
	RbVdriveJudge *j = &self->judge;

	memset(j, 0, sizeof(*j));
	j->area = RB_VDRIVE_AREA_NONE;
	j->idx1_start = G_MININT32;
	j->pause_lba = G_MININT32;
	j->first_idx1 = G_MININT32;
	j->non_position_lba = G_MININT32;
	j->mcn_lba = G_MININT32;
	j->isrc_lba = G_MININT32;
	j->p_track_run = G_MININT32;
	j->p_leadout_run = G_MININT32;
}

static guint
rb_vdrive_msf_frames(RbMsf msf)
{
	return ((guint)msf.minute * RB_CD_SECONDS_PER_MINUTE + msf.second) *
		       RB_CD_FRAMES_PER_SECOND +
	       msf.frame;
}

static const gchar *
rb_vdrive_frames_text(gint64 frames, gchar *buf, gsize len)
{
	if (frames < 0) {
		g_strlcpy(buf, _("below 00:00:00"), len);
		return buf;
	}
	g_snprintf(buf,
		   len,
		   "%02u:%02u:%02u",
		   (guint)(frames / (RB_CD_FRAMES_PER_SECOND * RB_CD_SECONDS_PER_MINUTE)),
		   (guint)(frames / RB_CD_FRAMES_PER_SECOND % RB_CD_SECONDS_PER_MINUTE),
		   (guint)(frames % RB_CD_FRAMES_PER_SECOND));
	return buf;
}

static const gchar *
rb_vdrive_tno_text(guint tno, gchar *buf, gsize len)
{
	if (tno == RB_VDRIVE_TNO_LEADOUT_ORDER)
		g_strlcpy(buf, "AA", len);
	else
		g_snprintf(buf, len, "%02u", tno);
	return buf;
}

static void
rb_vdrive_relative_mismatch(RbVdrive *self, gint32 lba, guint found, gint64 expected)
{
	gchar found_text[16];
	gchar expected_text[16];

	self->report.relative_time_mismatches++;
	rb_vdrive_note_problem(
		self,
		lba,
		"relative-time",
		_("relative time %s, expected %s"),
		rb_vdrive_frames_text(found, found_text, sizeof(found_text)),
		rb_vdrive_frames_text(expected, expected_text, sizeof(expected_text)));
}

static void rb_vdrive_mcn_isrc_error(RbVdrive *self, gint32 lba, const gchar *format, ...)
	G_GNUC_PRINTF(3, 4);

static void
rb_vdrive_mcn_isrc_error(RbVdrive *self, gint32 lba, const gchar *format, ...)
{
	g_autofree gchar *detail = NULL;
	va_list args;

	self->report.mcn_isrc_errors++;
	va_start(args, format);
	detail = g_strdup_vprintf(format, args);
	va_end(args);
	rb_vdrive_note_problem(self, lba, "mcn-isrc", "%s", detail);
}

/* FALSE (and one finding) if @tno/@index cannot follow the position before */
static gboolean
rb_vdrive_judge_sequence(RbVdrive *self, gint32 lba, guint tno, guint index)
{
	RbVdriveJudge *j = &self->judge;
	gboolean ok;
	gchar tno_text[4];
	gchar prev_text[4];

	if (j->area == RB_VDRIVE_AREA_NONE)
		ok = TRUE;
	else if (j->pending && tno == j->pending_tno && index == j->pending_index)
		ok = TRUE; /* two frames agree: the disc goes on from there */
	else if (tno == RB_VDRIVE_TNO_LEADOUT_ORDER)
		ok = index == 1;
	else if (tno == j->tno)
		ok = index == j->index || index == j->index + 1;
	else
		ok = tno == j->tno + 1 && index <= 1;
	if (ok) {
		j->pending = FALSE;
		return TRUE;
	}
	self->report.sequence_errors++;
	rb_vdrive_note_problem(self,
			       lba,
			       "sequence",
			       _("TNO %s index %02u after TNO %s index %02u"),
			       rb_vdrive_tno_text(tno, tno_text, sizeof(tno_text)),
			       index,
			       rb_vdrive_tno_text(j->tno, prev_text, sizeof(prev_text)),
			       j->index);
	j->pending = TRUE;
	j->pending_tno = tno;
	j->pending_index = index;
	return FALSE;
}

/* no 100 frames in a row without the code, counted after @from */
static gboolean
rb_vdrive_code_gap_ok(gint32 lba, gint32 from)
{
	return lba - from <= RB_VDRIVE_CODE_WINDOW;
}

/* the first frame of a new TNO at @lba: the old track has ended */
static void
rb_vdrive_judge_track_end(RbVdrive *self, gint32 lba)
{
	RbVdriveJudge *j = &self->judge;

	if (j->track_has_isrc) {
		gint32 from = MAX(j->isrc_lba, j->idx1_start - 1);
		if (!rb_vdrive_code_gap_ok(lba, from))
			rb_vdrive_mcn_isrc_error(self,
						 lba,
						 _("no ISRC in the last %d frames of track %02u"),
						 lba - from - 1,
						 j->tno);
	}
	j->prev_isrc_valid = j->track_isrc_valid;
	memcpy(j->prev_isrc, j->track_isrc, RB_VDRIVE_CODE_SIZE);
	j->track_isrc_valid = FALSE;
	j->track_has_isrc = FALSE;
	j->pause_isrc_valid = FALSE;
}

static void
rb_vdrive_judge_leadout_start(RbVdrive *self, gint32 lba)
{
	RbVdriveJudge *j = &self->judge;
	gint32 from;

	if (j->mcn_lba == G_MININT32 || j->first_idx1 == G_MININT32)
		return;
	from = MAX(j->mcn_lba, j->first_idx1 - 1);
	if (!rb_vdrive_code_gap_ok(lba, from))
		rb_vdrive_mcn_isrc_error(self,
					 lba,
					 _("no MCN in the last %d frames before the lead-out"),
					 lba - from - 1);
}

void
rb_vdrive_judge_position(RbVdrive *self, gint32 lba, const RbSubQ *subq)
{
	RbVdriveJudge *j = &self->judge;
	guint tno = subq->tno == RB_SUBQ_TNO_LEADOUT ? RB_VDRIVE_TNO_LEADOUT_ORDER : subq->tno;
	guint index = subq->index_or_point;
	guint relative = rb_vdrive_msf_frames(subq->relative);
	RbVdriveArea prev_area = j->area;
	gboolean new_tno = prev_area == RB_VDRIVE_AREA_NONE || tno != j->tno;

	if (!rb_vdrive_judge_sequence(self, lba, tno, index))
		return; /* its relative time belongs to a place it is not in */
	if (new_tno && prev_area != RB_VDRIVE_AREA_NONE)
		rb_vdrive_judge_track_end(self, lba);
	j->tno = tno;
	j->index = index;

	if (tno == RB_VDRIVE_TNO_LEADOUT_ORDER) {
		if (prev_area != RB_VDRIVE_AREA_LEADOUT)
			rb_vdrive_judge_leadout_start(self, lba);
		j->area = RB_VDRIVE_AREA_LEADOUT;
		if ((gint64)relative != (gint64)lba - self->leadout_start)
			rb_vdrive_relative_mismatch(
				self, lba, relative, (gint64)lba - self->leadout_start);
		return;
	}

	if (index == 0) {
		j->area = RB_VDRIVE_AREA_PAUSE;
		if (prev_area != RB_VDRIVE_AREA_PAUSE || new_tno) {
			/* where the countdown starts is the pause's length */
			j->pause_lba = lba;
			j->pause_rel = (gint32)relative;
			return;
		}
		if ((gint64)relative != (gint64)j->pause_rel - (lba - j->pause_lba)) {
			/* the last good frame stays the reference: one bad frame is one finding */
			rb_vdrive_relative_mismatch(
				self, lba, relative, (gint64)j->pause_rel - (lba - j->pause_lba));
			return;
		}
		j->pause_lba = lba;
		j->pause_rel = (gint32)relative;
		return;
	}

	if (prev_area == RB_VDRIVE_AREA_PAUSE && !new_tno) {
		/* the pause's last sector, lba - 1, must have reached 1 or 0 */
		gint64 end = (gint64)j->pause_rel - (lba - 1 - j->pause_lba);
		if (end != 0 && end != 1) {
			gchar end_text[16];
			self->report.relative_time_mismatches++;
			rb_vdrive_note_problem(
				self,
				lba - 1,
				"relative-time",
				_("pause ends at %s, expected 00:00:01 or 00:00:00"),
				rb_vdrive_frames_text(end, end_text, sizeof(end_text)));
		}
	}
	if (prev_area != RB_VDRIVE_AREA_TRACK || new_tno) {
		j->idx1_start = tno <= self->track_starts->len
					? g_array_index(self->track_starts, gint32, tno - 1)
					: G_MININT32;
		if (j->first_idx1 == G_MININT32)
			j->first_idx1 = j->idx1_start;
	}
	j->area = RB_VDRIVE_AREA_TRACK;
	if (j->idx1_start != G_MININT32 && (gint64)relative != (gint64)lba - j->idx1_start)
		rb_vdrive_relative_mismatch(self, lba, relative, (gint64)lba - j->idx1_start);
}

static gboolean
rb_vdrive_isrc_char_ok(guint c)
{
	return c <= 9 || (c >= RB_VDRIVE_ISRC_LETTER_A && c <= RB_VDRIVE_ISRC_LETTER_Z);
}

static gchar
rb_vdrive_isrc_char(guint c)
{
	if (c <= 9)
		return (gchar)('0' + c);
	if (c >= RB_VDRIVE_ISRC_LETTER_A && c <= RB_VDRIVE_ISRC_LETTER_Z)
		return (gchar)('A' + c - RB_VDRIVE_ISRC_LETTER_A);
	return '?';
}

static guint
rb_vdrive_nibble(const guint8 *bytes, guint n)
{
	return n % 2 == 0 ? bytes[n / 2] >> 4 : bytes[n / 2] & 0x0F;
}

/* @code is Q bytes 1-8; @out takes 13 characters and the NUL */
static void
rb_vdrive_mcn_text(const guint8 *code, gchar *out)
{
	for (guint n = 0; n < 13; n++) {
		guint digit = rb_vdrive_nibble(code, n);
		out[n] = digit <= 9 ? (gchar)('0' + digit) : '?';
	}
	out[13] = '\0';
}

static void
rb_vdrive_isrc_chars(const guint8 *code, guint chars[5])
{
	chars[0] = code[0] >> 2;
	chars[1] = (guint)((code[0] & 0x03) << 4) | (code[1] >> 4);
	chars[2] = (guint)((code[1] & 0x0F) << 2) | (code[2] >> 6);
	chars[3] = code[2] & 0x3F;
	chars[4] = code[3] >> 2;
}

/* @out takes 12 characters and the NUL */
static void
rb_vdrive_isrc_text(const guint8 *code, gchar *out)
{
	guint chars[5];

	rb_vdrive_isrc_chars(code, chars);
	for (guint i = 0; i < 5; i++)
		out[i] = rb_vdrive_isrc_char(chars[i]);
	for (guint n = 0; n < 7; n++) {
		guint digit = rb_vdrive_nibble(code + 4, n);
		out[5 + n] = digit <= 9 ? (gchar)('0' + digit) : '?';
	}
	out[12] = '\0';
}

/* the layout of bytes 1-8; FALSE (and one finding) if a reader would reject it */
static gboolean
rb_vdrive_judge_code_format(RbVdrive *self, gint32 lba, guint adr, const guint8 *code)
{
	if (adr == RB_SUBQ_ADR_MCN) {
		for (guint n = 0; n < 13; n++) {
			if (rb_vdrive_nibble(code, n) > 9) {
				rb_vdrive_mcn_isrc_error(self,
							 lba,
							 _("MCN digit %u is %Xh, expected 0-9"),
							 n + 1,
							 rb_vdrive_nibble(code, n));
				return FALSE;
			}
		}
		if ((code[6] & 0x0F) != 0 || code[7] != 0) {
			rb_vdrive_mcn_isrc_error(self,
						 lba,
						 _("MCN zero bits %X/%02X, expected 0/00"),
						 code[6] & 0x0F,
						 code[7]);
			return FALSE;
		}
		return TRUE;
	}

	guint chars[5];
	rb_vdrive_isrc_chars(code, chars);
	for (guint i = 0; i < 5; i++) {
		if (!rb_vdrive_isrc_char_ok(chars[i])) {
			rb_vdrive_mcn_isrc_error(
				self,
				lba,
				_("ISRC character %u is %02Xh, expected 00-09h or 11-2Ah"),
				i + 1,
				chars[i]);
			return FALSE;
		}
	}
	for (guint n = 0; n < 7; n++) {
		if (rb_vdrive_nibble(code + 4, n) > 9) {
			rb_vdrive_mcn_isrc_error(self,
						 lba,
						 _("ISRC digit %u is %Xh, expected 0-9"),
						 n + 1,
						 rb_vdrive_nibble(code + 4, n));
			return FALSE;
		}
	}
	if ((code[3] & 0x03) != 0 || (code[7] & 0x0F) != 0) {
		rb_vdrive_mcn_isrc_error(self,
					 lba,
					 _("ISRC zero bits %X/%X, expected 0/0"),
					 code[3] & 0x03,
					 code[7] & 0x0F);
		return FALSE;
	}
	return TRUE;
}

static void
rb_vdrive_judge_isrc_code(RbVdrive *self, gint32 lba, const guint8 *code)
{
	RbVdriveJudge *j = &self->judge;
	gchar found[16];
	gchar known[16];

	if (j->area == RB_VDRIVE_AREA_TRACK) {
		const guint8 *expected = NULL;
		if (j->track_isrc_valid)
			expected = j->track_isrc;
		else if (j->pause_isrc_valid)
			expected = j->pause_isrc; /* the pause announced this track's code */
		if (!j->track_isrc_valid) {
			j->track_isrc_valid = TRUE;
			memcpy(j->track_isrc, code, RB_VDRIVE_CODE_SIZE);
		}
		if (expected != NULL && memcmp(expected, code, RB_VDRIVE_CODE_SIZE) != 0) {
			rb_vdrive_isrc_text(code, found);
			rb_vdrive_isrc_text(expected, known);
			rb_vdrive_mcn_isrc_error(self,
						 lba,
						 _("ISRC %s in track %02u, expected %s"),
						 found,
						 j->tno,
						 known);
		}
		j->pause_isrc_valid = FALSE;
		return;
	}
	/* a pause: the previous track's code, or one code for the next track */
	if (j->prev_isrc_valid && memcmp(j->prev_isrc, code, RB_VDRIVE_CODE_SIZE) == 0)
		return;
	if (!j->pause_isrc_valid) {
		j->pause_isrc_valid = TRUE;
		memcpy(j->pause_isrc, code, RB_VDRIVE_CODE_SIZE);
		return;
	}
	if (memcmp(j->pause_isrc, code, RB_VDRIVE_CODE_SIZE) != 0) {
		rb_vdrive_isrc_text(code, found);
		rb_vdrive_isrc_text(j->pause_isrc, known);
		rb_vdrive_mcn_isrc_error(
			self, lba, _("ISRC %s in a pause that had %s"), found, known);
	}
}

static void
rb_vdrive_judge_mcn_code(RbVdrive *self, gint32 lba, const guint8 *code)
{
	RbVdriveJudge *j = &self->judge;
	gchar found[16];
	gchar known[16];

	if (!j->mcn_valid) {
		j->mcn_valid = TRUE;
		memcpy(j->mcn, code, RB_VDRIVE_CODE_SIZE);
		return;
	}
	if (memcmp(j->mcn, code, RB_VDRIVE_CODE_SIZE) != 0) {
		rb_vdrive_mcn_text(code, found);
		rb_vdrive_mcn_text(j->mcn, known);
		rb_vdrive_mcn_isrc_error(self, lba, _("MCN %s, the disc's is %s"), found, known);
	}
}

/* how often the code comes: from the first track's (MCN) or its track's (ISRC) index 1 */
static void
rb_vdrive_judge_code_rate(RbVdrive *self, gint32 lba, guint adr)
{
	RbVdriveJudge *j = &self->judge;
	gboolean in_program = j->area == RB_VDRIVE_AREA_PAUSE || j->area == RB_VDRIVE_AREA_TRACK;

	if (adr == RB_SUBQ_ADR_MCN) {
		if (!in_program)
			return;
		if (j->first_idx1 != G_MININT32) {
			gint32 from = MAX(j->mcn_lba, j->first_idx1 - 1);
			if (!rb_vdrive_code_gap_ok(lba, from))
				rb_vdrive_mcn_isrc_error(
					self,
					lba,
					_("no MCN in the %d frames before, expected 1 in 100"),
					lba - from - 1);
		}
		j->mcn_lba = lba;
		return;
	}
	if (j->area == RB_VDRIVE_AREA_TRACK && j->idx1_start != G_MININT32) {
		gint32 from = MAX(j->isrc_lba, j->idx1_start - 1);
		if (!rb_vdrive_code_gap_ok(lba, from))
			rb_vdrive_mcn_isrc_error(
				self,
				lba,
				_("no ISRC in the %d frames before, expected 1 in 100"),
				lba - from - 1);
		j->track_has_isrc = TRUE;
	}
	j->isrc_lba = lba;
}

/* a frame of a Q mode other than 1, with a good CRC */
void
rb_vdrive_judge_other_q(RbVdrive *self, gint32 lba, const guint8 *q)
{
	RbVdriveJudge *j = &self->judge;
	guint adr = q[0] & 0x0F;
	const guint8 *code = q + 1;
	guint8 aframe;
	const gchar *name = adr == RB_SUBQ_ADR_MCN ? "MCN" : "ISRC";

	/* the lead-in interleaves its own modes (5 with 1 on multi-session discs) */
	if (lba >= RB_VDRIVE_PREGAP_START) {
		if (j->non_position_lba != G_MININT32 &&
		    lba - j->non_position_lba < RB_VDRIVE_MODE1_WINDOW) {
			self->report.mcn_isrc_errors++;
			rb_vdrive_note_problem(
				self,
				lba,
				"mcn-isrc",
				_("Q mode %u %d frames after another mode, expected mode 1 "
				  "in 9 of 10"),
				adr,
				lba - j->non_position_lba);
		}
		j->non_position_lba = lba;
	}
	if (adr != RB_SUBQ_ADR_MCN && adr != RB_SUBQ_ADR_ISRC)
		return;
	self->report.mcn_isrc_frames++;
	if (lba < RB_VDRIVE_PREGAP_START) {
		rb_vdrive_mcn_isrc_error(self, lba, _("%s in the lead-in"), name);
		return;
	}
	if (adr == RB_SUBQ_ADR_ISRC && j->area == RB_VDRIVE_AREA_LEADOUT) {
		rb_vdrive_mcn_isrc_error(self, lba, _("ISRC in the lead-out"));
		return;
	}
	rb_vdrive_judge_code_rate(self, lba, adr);
	if (!rb_vdrive_judge_code_format(self, lba, adr, code))
		return;
	/* the sector's absolute frame: the only position these modes carry */
	if (!rb_bcd_decode(q[9], &aframe) ||
	    aframe != (guint)((lba + RB_CD_MSF_OFFSET) % RB_CD_FRAMES_PER_SECOND)) {
		rb_vdrive_mcn_isrc_error(
			self,
			lba,
			_("%s AFRAME %02X, expected %02u"),
			name,
			q[9],
			(guint)((lba + RB_CD_MSF_OFFSET) % RB_CD_FRAMES_PER_SECOND));
		return;
	}
	if (adr == RB_SUBQ_ADR_MCN)
		rb_vdrive_judge_mcn_code(self, lba, code);
	else
		rb_vdrive_judge_isrc_code(self, lba, code);
}
