/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads each written sector's sub-channel the way a player or a reading drive
 * later will, and counts what it would trip over. This file dispatches each
 * sector and keeps the Q checks that need the whole disc: bad CRCs, absolute
 * times that are not LBA + 150, lead-in TOC entries not repeated in runs of
 * three, and a TOC that disagrees with the tracks actually recorded. The
 * running checks of relative time, sequence, MCN and ISRC live in
 * rb-vdrive-judge-q.c, those of P and CD-TEXT in rb-vdrive-judge-pw.c.
 * Everything runs under the drive's mutex for each of up to ~360,000 sectors
 * a disc: constant memory, and text is formatted only for a finding.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbVdrive"

#include <glib/gi18n.h>
#include <stdarg.h>
#include <string.h>

#include "rb-subchannel.h"
#include "rb-vdrive-private.h"

/* the recorder's MODE SELECT data block type is the sub-channel one */
G_STATIC_ASSERT(RB_MMC_DBT_RAW_PQ == RB_DATA_BLOCK_TYPE_RAW_PQ);

/*
 * Keeps the findings with the lowest LBAs, in LBA order: some are only
 * judged after the fact (a P run, the TOC at the end), and a reader wants
 * the first places on the disc that go wrong, not the first noticed.
 */
void
rb_vdrive_note_problem(RbVdrive *self, gint32 lba, const gchar *kind, const gchar *format, ...)
{
	RbVdriveReport *report = &self->report;
	guint at = report->n_problems;
	va_list args;

	while (at > 0 && report->problems[at - 1].lba > lba)
		at--;
	if (at >= RB_VDRIVE_MAX_PROBLEMS)
		return;
	if (report->n_problems < RB_VDRIVE_MAX_PROBLEMS)
		report->n_problems++;
	memmove(&report->problems[at + 1],
		&report->problems[at],
		(report->n_problems - 1 - at) * sizeof(RbVdriveProblem));
	report->problems[at].lba = lba;
	report->problems[at].kind = kind;
	va_start(args, format);
	g_vsnprintf(report->problems[at].detail, sizeof(report->problems[at].detail), format, args);
	va_end(args);
}

static void rb_vdrive_toc_mismatch(RbVdrive *self, gint32 lba, const gchar *format, ...)
	G_GNUC_PRINTF(3, 4);

static void
rb_vdrive_toc_mismatch(RbVdrive *self, gint32 lba, const gchar *format, ...)
{
	g_autofree gchar *detail = NULL;
	va_list args;

	self->report.toc_mismatches++;
	va_start(args, format);
	detail = g_strdup_vprintf(format, args);
	va_end(args);
	rb_vdrive_note_problem(self, lba, "toc", "%s", detail);
}

static void
rb_vdrive_note_toc_entry(RbVdrive *self, const RbSubQ *subq, gint32 lba)
{
	RbVdriveTocEntry entry = {
		.point = subq->index_or_point,
		.ctl = subq->ctl,
		.p_lba = rb_msf_to_lba(subq->absolute),
		.lba = lba,
		.pmin = subq->absolute.minute,
		.psec = subq->absolute.second,
		.pframe = subq->absolute.frame,
	};

	for (guint i = 0; i < self->toc->len; i++) {
		RbVdriveTocEntry *known = &g_array_index(self->toc, RbVdriveTocEntry, i);
		if (known->point != entry.point)
			continue;
		/* the same point must say the same thing every time round */
		if (known->p_lba != entry.p_lba || known->ctl != entry.ctl)
			rb_vdrive_toc_mismatch(
				self,
				lba,
				/* 01-99 binary, A0 up as codes */
				entry.point < 0xA0
					? _("POINT %02u says LBA %d CTL %X, earlier LBA %d CTL %X")
					: _("POINT %02X says LBA %d CTL %X, earlier LBA %d CTL %X"),
				entry.point,
				entry.p_lba,
				entry.ctl,
				known->p_lba,
				known->ctl);
		return;
	}
	g_array_append_val(self->toc, entry);
}

static void
rb_vdrive_note_track_start(RbVdrive *self, const RbSubQ *subq, gint32 lba)
{
	guint track = subq->tno;
	gint32 unknown = G_MININT32;
	guint8 no_ctl = 0;

	while (self->track_starts->len < track) {
		g_array_append_val(self->track_starts, unknown);
		g_array_append_val(self->track_ctl, no_ctl);
	}
	if (g_array_index(self->track_starts, gint32, track - 1) == G_MININT32) {
		g_array_index(self->track_starts, gint32, track - 1) = lba;
		g_array_index(self->track_ctl, guint8, track - 1) = subq->ctl;
	}
}

static void
rb_vdrive_address_mismatch(RbVdrive *self, gint32 lba, const gchar *detail)
{
	self->report.address_mismatches++;
	rb_vdrive_note_problem(self, lba, "address", "%s", detail);
}

/* a Q mode 1 frame with a good CRC */
static void
rb_vdrive_check_position(RbVdrive *self, gint32 lba, const guint8 *q)
{
	RbSubQ subq;
	gboolean in_leadin_area = lba < RB_VDRIVE_PREGAP_START;
	gint32 absolute;

	if (!rb_subq_decode(q, &subq, NULL)) {
		rb_vdrive_address_mismatch(
			self, lba, _("Q mode 1 frame with a field that is not BCD"));
		return;
	}

	if (subq.tno == RB_SUBQ_TNO_LEADIN) {
		self->report.leadin_sectors++;
		if (!in_leadin_area) {
			rb_vdrive_address_mismatch(
				self, lba, _("TNO 00 (lead-in) after the lead-in"));
			return;
		}
		rb_vdrive_note_toc_entry(self, &subq, lba);
		/* each entry comes in a run of three frames */
		if (self->report.leadin_sectors > 1 && subq.index_or_point == self->run_point) {
			self->run_length++;
		} else {
			if (self->run_started && self->run_length < RB_SUBQ_TOC_RUN) {
				self->report.toc_short_runs++;
				rb_vdrive_note_problem(self,
						       lba - (gint32)self->run_length,
						       "toc",
						       _("POINT %02X in %u frames, expected %u"),
						       self->run_point,
						       self->run_length,
						       RB_SUBQ_TOC_RUN);
			}
			/* the first run may have been cut by trimming the lead-in */
			self->run_started = self->report.leadin_sectors > 1;
			self->run_point = subq.index_or_point;
			self->run_length = 1;
		}
		return;
	}
	if (in_leadin_area) {
		rb_vdrive_address_mismatch(
			self, lba, _("a program or lead-out TNO in the lead-in"));
		return;
	}
	absolute = rb_msf_to_lba(subq.absolute);
	if (absolute != lba) {
		RbMsf expected = {0};
		rb_msf_from_lba(lba, &expected);
		self->report.address_mismatches++;
		rb_vdrive_note_problem(self,
				       lba,
				       "address",
				       _("absolute time %02u:%02u:%02u, expected %02u:%02u:%02u"),
				       subq.absolute.minute,
				       subq.absolute.second,
				       subq.absolute.frame,
				       expected.minute,
				       expected.second,
				       expected.frame);
	}
	if (subq.tno == RB_SUBQ_TNO_LEADOUT) {
		self->report.leadout_sectors++;
		if (self->leadout_start == G_MININT32)
			self->leadout_start = lba;
	} else {
		self->report.program_sectors++;
		if (subq.tno >= 1 && subq.tno <= RB_SUBQ_MAX_TRACK && subq.index_or_point == 1)
			rb_vdrive_note_track_start(self, &subq, lba);
	}
	rb_vdrive_judge_position(self, lba, &subq);
}

void
rb_vdrive_check_sector(RbVdrive *self, gint32 lba, const guint8 *stored)
{
	const guint8 *pw = stored + RB_VDRIVE_MAIN_SIZE;
	guint8 q[RB_SUBQ_SIZE];

	rb_subchannel_pw_get_q(pw, q);
	if (!rb_subq_check_crc_for_block_type(q, (guint)self->recording_data_block_type)) {
		self->report.bad_q_crc++;
		rb_vdrive_note_problem(self,
				       lba,
				       "q-crc",
				       _("Q CRC %02X%02X, expected %04X"),
				       q[10],
				       q[11],
				       rb_subq_compute_crc(q));
	} else if ((q[0] & 0x0F) == RB_SUBQ_ADR_POSITION) {
		rb_vdrive_check_position(self, lba, q);
	} else {
		rb_vdrive_judge_other_q(self, lba, q);
	}
	/* P and R-W do not depend on whether Q could be read */
	rb_vdrive_judge_p(self, lba, pw);
	/* packed R-W (block type 2) would need the drive's interleaving first */
	if (lba < RB_VDRIVE_PREGAP_START &&
	    self->recording_data_block_type == RB_DATA_BLOCK_TYPE_RAW_PW)
		rb_vdrive_judge_cdtext(self, lba, pw);
}

static const RbVdriveTocEntry *
rb_vdrive_find_toc_entry(RbVdrive *self, guint8 point)
{
	for (guint i = 0; i < self->toc->len; i++) {
		const RbVdriveTocEntry *entry = &g_array_index(self->toc, RbVdriveTocEntry, i);
		if (entry->point == point)
			return entry;
	}
	return NULL;
}

/* the lead-in TOC against the program area actually recorded */
void
rb_vdrive_check_finish(RbVdrive *self)
{
	const RbVdriveTocEntry *a0 = rb_vdrive_find_toc_entry(self, RB_SUBQ_POINT_FIRST_TRACK);
	const RbVdriveTocEntry *a1 = rb_vdrive_find_toc_entry(self, RB_SUBQ_POINT_LAST_TRACK);
	const RbVdriveTocEntry *a2 = rb_vdrive_find_toc_entry(self, RB_SUBQ_POINT_LEADOUT);
	guint tracks = self->track_starts->len;
	gint32 first_lba = self->report.first_lba;

	for (guint i = 0; i < self->toc->len; i++) {
		const RbVdriveTocEntry *entry = &g_array_index(self->toc, RbVdriveTocEntry, i);
		gint32 start;
		if (entry->point < 1 || entry->point > RB_SUBQ_MAX_TRACK)
			continue;
		start = entry->point > tracks
				? G_MININT32
				: g_array_index(self->track_starts, gint32, entry->point - 1);
		if (start != entry->p_lba)
			rb_vdrive_toc_mismatch(self,
					       entry->lba,
					       _("TOC track %02u at LBA %d, recorded at %d"),
					       entry->point,
					       entry->p_lba,
					       start);
	}
	for (guint track = 1; track <= tracks; track++) {
		gint32 start = g_array_index(self->track_starts, gint32, track - 1);
		if (start != G_MININT32 && rb_vdrive_find_toc_entry(self, (guint8)track) == NULL)
			rb_vdrive_toc_mismatch(
				self, start, _("track %02u recorded, not in the TOC"), track);
	}
	if (a0 == NULL || a0->pmin != 1)
		rb_vdrive_toc_mismatch(self,
				       a0 != NULL ? a0->lba : first_lba,
				       _("A0 first track %02u, expected 01"),
				       a0 != NULL ? a0->pmin : 0);
	if (a1 == NULL || a1->pmin != tracks)
		rb_vdrive_toc_mismatch(self,
				       a1 != NULL ? a1->lba : first_lba,
				       _("A1 last track %02u, expected %02u"),
				       a1 != NULL ? a1->pmin : 0,
				       tracks);
	if (a2 == NULL || a2->p_lba != self->leadout_start)
		rb_vdrive_toc_mismatch(self,
				       a2 != NULL ? a2->lba : first_lba,
				       _("A2 lead-out at LBA %d, recorded at %d"),
				       a2 != NULL ? a2->p_lba : G_MININT32,
				       self->leadout_start);
	self->report.toc_entries = self->toc->len;
	self->report.tracks = tracks;
	self->report.leadout_start = self->leadout_start;
}
