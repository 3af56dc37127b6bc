/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads each written sector's Q channel the way a player or a reading drive
 * later will, and counts what it would trip over: bad CRCs, absolute times
 * that are not LBA + 150, lead-in TOC entries not repeated in runs of three,
 * and a TOC that disagrees with the tracks actually recorded.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbVdrive"

#include "rb-subchannel.h"
#include "rb-vdrive-private.h"

/* track 1's pregap: the lead-in ends here */
#define RB_VDRIVE_PREGAP_START (-RB_CD_MSF_OFFSET)

/* the recorder's MODE SELECT data block type is the sub-channel one */
G_STATIC_ASSERT(RB_MMC_DBT_RAW_PQ == RB_DATA_BLOCK_TYPE_RAW_PQ);

static void
rb_vdrive_note_toc_entry(RbVdrive *self, const RbSubQ *subq)
{
	RbVdriveTocEntry entry = {
		.point = subq->index_or_point,
		.ctl = subq->ctl,
		.p_lba = rb_msf_to_lba(subq->absolute),
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
			self->report.toc_mismatches++;
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

void
rb_vdrive_check_sector(RbVdrive *self, gint32 lba, const guint8 *stored)
{
	guint8 q[RB_SUBQ_SIZE];
	RbSubQ subq;
	gboolean in_leadin_area = lba < RB_VDRIVE_PREGAP_START;

	rb_subchannel_pw_get_q(stored + RB_VDRIVE_MAIN_SIZE, q);
	if (!rb_subq_check_crc_for_block_type(q, (guint)self->recording_data_block_type)) {
		self->report.bad_q_crc++;
		return;
	}
	if ((q[0] & 0x0F) != RB_SUBQ_ADR_POSITION)
		return; /* MCN, ISRC and other modes carry no position */
	if (!rb_subq_decode(q, &subq, NULL)) {
		self->report.address_mismatches++;
		return;
	}

	if (subq.tno == RB_SUBQ_TNO_LEADIN) {
		self->report.leadin_sectors++;
		if (!in_leadin_area) {
			self->report.address_mismatches++;
			return;
		}
		rb_vdrive_note_toc_entry(self, &subq);
		/* each entry comes in a run of three frames */
		if (self->report.leadin_sectors > 1 && subq.index_or_point == self->run_point) {
			self->run_length++;
		} else {
			if (self->run_started && self->run_length < RB_SUBQ_TOC_RUN)
				self->report.toc_short_runs++;
			/* the first run may have been cut by trimming the lead-in */
			self->run_started = self->report.leadin_sectors > 1;
			self->run_point = subq.index_or_point;
			self->run_length = 1;
		}
		return;
	}
	if (in_leadin_area) {
		self->report.address_mismatches++;
		return;
	}
	if (rb_msf_to_lba(subq.absolute) != lba)
		self->report.address_mismatches++;
	if (subq.tno == RB_SUBQ_TNO_LEADOUT) {
		self->report.leadout_sectors++;
		if (self->leadout_start == G_MININT32)
			self->leadout_start = lba;
		return;
	}
	self->report.program_sectors++;
	if (subq.tno >= 1 && subq.tno <= RB_SUBQ_MAX_TRACK && subq.index_or_point == 1)
		rb_vdrive_note_track_start(self, &subq, lba);
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

	for (guint i = 0; i < self->toc->len; i++) {
		const RbVdriveTocEntry *entry = &g_array_index(self->toc, RbVdriveTocEntry, i);
		if (entry->point < 1 || entry->point > RB_SUBQ_MAX_TRACK)
			continue;
		if (entry->point > tracks ||
		    g_array_index(self->track_starts, gint32, entry->point - 1) != entry->p_lba)
			self->report.toc_mismatches++;
	}
	for (guint track = 1; track <= tracks; track++) {
		if (g_array_index(self->track_starts, gint32, track - 1) != G_MININT32 &&
		    rb_vdrive_find_toc_entry(self, (guint8)track) == NULL)
			self->report.toc_mismatches++;
	}
	if (a0 == NULL || a0->pmin != 1)
		self->report.toc_mismatches++;
	if (a1 == NULL || a1->pmin != tracks)
		self->report.toc_mismatches++;
	if (a2 == NULL || a2->p_lba != self->leadout_start)
		self->report.toc_mismatches++;
	self->report.toc_entries = self->toc->len;
	self->report.tracks = tracks;
	self->report.leadout_start = self->leadout_start;
}
