/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The lead-in half of the stream preflight (rb-stream-check.c): the running
 * time in both writers' conventions, the TOC's runs of three, one value per
 * POINT, A0 <= tracks <= A1 with increasing starts and A2 inside the disc,
 * and, when the lead-in ends, every entry of a full cycle seen (mmc-notes
 * §8.4, "10. Measured").
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "rb-stream-check-private.h"

/* what must not change between the frames of one POINT */
static void
rb_stream_check_toc_fields(const guint8 *q, guint8 fields[4])
{
	fields[0] = q[0];
	memcpy(fields + 1, q + 7, 3);
}

/* a lead-in POINT's slot in the TOC table, or RB_STREAM_CHECK_N_SLOTS */
static guint
rb_stream_check_point_slot(guint8 point)
{
	guint8 track;

	if (point >= RB_SUBQ_POINT_FIRST_TRACK && point <= RB_SUBQ_POINT_LEADOUT)
		return RB_STREAM_CHECK_SLOT_A0 + (point - RB_SUBQ_POINT_FIRST_TRACK);
	if (!rb_bcd_decode(point, &track) || track == 0)
		return RB_STREAM_CHECK_N_SLOTS;
	return track - 1u;
}

/* the POINT of a slot, as the Q byte reads (tracks in BCD) */
static guint
rb_stream_check_slot_point(guint slot)
{
	guint8 point = 0;

	if (slot >= RB_STREAM_CHECK_SLOT_A0)
		return RB_SUBQ_POINT_FIRST_TRACK + (slot - RB_STREAM_CHECK_SLOT_A0);
	/* tracks 01..99: always BCD */
	rb_bcd_encode(slot + 1, &point);
	return point;
}

/*
 * Two conventions (mmc-notes "10. Measured"): our generator and wodim write
 * the sector's own address (97:26:66 at LBA -11634), cdrdao and libburn
 * count from 00:00:00 at their lead-in start. An address (90:00:00 up) must
 * be this LBA's, which pins the stream's lead-in length; a count must go on
 * one frame per sector.
 */
static gboolean
rb_stream_check_running_time(RbStreamCheck *self, gint32 lba, const guint8 *q, GError **error)
{
	RbMsf running;
	gchar text[2][RB_STREAM_CHECK_MSF_TEXT_SIZE];

	if (!rb_stream_check_decode_msf(q + 3, &running))
		return rb_stream_check_fail_bcd(lba, q, error);
	/* the texts only on failure: this runs on every lead-in sector */
	if (running.minute >= RB_CD_LEADIN_MINUTE && rb_msf_to_lba(running) != lba)
		return rb_stream_check_fail(
			error,
			RB_STREAM_CHECK_ERROR_ADDRESS,
			_("LBA %d: the lead-in running time %s is the address of LBA %d; the "
			  "stream's lead-in does not start where streamLeadInSectors says — pass "
			  "the right streamLeadInSectors"),
			lba,
			rb_stream_check_msf_text(running, text[0]),
			rb_msf_to_lba(running));
	/*
	 * A count after an address fails too: the address is this lead-in's
	 * LBA, below -150, and a count's is -150 or more, so the difference is
	 * always more than the sectors between them.
	 */
	if (running.minute < RB_CD_LEADIN_MINUTE && self->have_running &&
	    rb_msf_to_lba(running) - rb_msf_to_lba(self->running) != lba - self->running_lba) {
		rb_stream_check_msf_text(self->running, text[1]);
		rb_stream_check_msf_text(running, text[0]);
		return rb_stream_check_fail(error,
					    RB_STREAM_CHECK_ERROR_ADDRESS,
					    _("LBA %d: the lead-in running time jumps from %s at "
					      "LBA %d to %s; it must advance one frame per sector "
					      "— the stream is damaged or sectors are missing"),
					    lba,
					    text[1],
					    self->running_lba,
					    text[0]);
	}
	self->have_running = TRUE;
	self->running_lba = lba;
	self->running = running;
	return TRUE;
}

/*
 * Consecutive lead-in frames with the same mode and POINT form a run; an
 * ADR 1 run must be 3 frames or more, except the first one fed (the stream
 * may start trimmed) and the last one (checked nowhere: the stream may be
 * cut at -150).
 */
gboolean
rb_stream_check_run(RbStreamCheck *self, gint32 lba, guint key, GError **error)
{
	if (key == self->run_key) {
		self->run_length++;
		return TRUE;
	}
	if (self->run_key >> 8 == RB_SUBQ_ADR_POSITION && !self->run_is_first &&
	    self->run_length < RB_SUBQ_TOC_RUN)
		return rb_stream_check_fail(
			error,
			RB_STREAM_CHECK_ERROR_TOC,
			g_dngettext(GETTEXT_PACKAGE,
				    "LBA %d: the lead-in TOC entry for POINT %02X is sent %u time "
				    "from LBA %d, not at least 3; the stream's lead-in is damaged",
				    "LBA %d: the lead-in TOC entry for POINT %02X is sent %u times "
				    "from LBA %d, not at least 3; the stream's lead-in is damaged",
				    self->run_length),
			lba,
			self->run_key & 0xFF,
			self->run_length,
			self->run_start);
	self->run_is_first = self->run_key == 0;
	self->run_key = key;
	self->run_length = 1;
	self->run_start = lba;
	return TRUE;
}

/*
 * The TOC as known so far, whatever order its entries came in: A0 <= A1,
 * every track between them, starts increasing with the track number and
 * before A2.
 */
static gboolean
rb_stream_check_toc_order(RbStreamCheck *self, gint32 lba, GError **error)
{
	const RbStreamCheckTocEntry *a0 = &self->toc[RB_STREAM_CHECK_SLOT_A0];
	const RbStreamCheckTocEntry *a1 = &self->toc[RB_STREAM_CHECK_SLOT_A1];
	const RbStreamCheckTocEntry *a2 = &self->toc[RB_STREAM_CHECK_SLOT_A2];
	gint32 first = a0->seen ? a0->value : 1;
	gint32 last = a1->seen ? a1->value : RB_SUBQ_MAX_TRACK;
	const RbStreamCheckTocEntry *previous = NULL;
	guint previous_track = 0;

	if (first > last)
		return rb_stream_check_fail(
			error,
			RB_STREAM_CHECK_ERROR_TOC,
			_("LBA %d: the lead-in TOC's first track %02d (A0) comes after its last "
			  "track %02d (A1); the stream's lead-in is damaged"),
			lba,
			first,
			last);
	for (guint track = 1; track <= RB_SUBQ_MAX_TRACK; track++) {
		const RbStreamCheckTocEntry *entry = &self->toc[track - 1];

		if (!entry->seen)
			continue;
		if ((gint32)track < first || (gint32)track > last)
			return rb_stream_check_fail(
				error,
				RB_STREAM_CHECK_ERROR_TOC,
				_("LBA %d: the lead-in TOC lists track %02u, outside tracks %02d "
				  "to %02d (A0, A1); the stream's lead-in is damaged"),
				lba,
				track,
				first,
				last);
		if (previous != NULL && entry->value <= previous->value)
			return rb_stream_check_fail(
				error,
				RB_STREAM_CHECK_ERROR_TOC,
				_("LBA %d: the lead-in TOC starts track %02u at LBA %d, not after "
				  "track %02u at LBA %d; the stream's lead-in is damaged"),
				lba,
				track,
				entry->value,
				previous_track,
				previous->value);
		if (a2->seen && entry->value >= a2->value)
			return rb_stream_check_fail(
				error,
				RB_STREAM_CHECK_ERROR_TOC,
				_("LBA %d: the lead-in TOC starts track %02u at LBA %d, not before "
				  "its lead-out at LBA %d (A2); the stream's lead-in is damaged"),
				lba,
				track,
				entry->value,
				a2->value);
		previous = entry;
		previous_track = track;
	}
	return TRUE;
}

/* a TOC entry seen for the first time: its P-fields, then the whole TOC */
static gboolean
rb_stream_check_toc_new(
	RbStreamCheck *self, gint32 lba, const guint8 *q, guint slot, GError **error)
{
	RbStreamCheckTocEntry *entry = &self->toc[slot];
	guint8 track = 0;
	RbMsf msf;

	if (slot == RB_STREAM_CHECK_SLOT_A0 || slot == RB_STREAM_CHECK_SLOT_A1) {
		/* PMIN is a track number, A0's PSEC the disc type 00/10/20 (§8.4) */
		if (!rb_bcd_decode(q[7], &track) || track == 0 ||
		    (slot == RB_STREAM_CHECK_SLOT_A0 && q[8] != 0x00 && q[8] != 0x10 &&
		     q[8] != 0x20))
			return rb_stream_check_fail_bcd(lba, q, error);
		entry->value = track;
	} else {
		if (!rb_stream_check_decode_msf(q + 7, &msf))
			return rb_stream_check_fail_bcd(lba, q, error);
		entry->value = rb_msf_to_lba(msf);
	}
	entry->seen = TRUE;
	entry->lba = lba;
	rb_stream_check_toc_fields(q, entry->fields);

	if (slot == RB_STREAM_CHECK_SLOT_A2 && entry->value > self->last_leadout_start)
		return rb_stream_check_fail(
			error,
			RB_STREAM_CHECK_ERROR_TOC,
			_("LBA %d: A2 lies past the disc: the stream's lead-out starts at LBA %d, "
			  "but this disc's last possible lead-out start is LBA %d; use a larger "
			  "disc or a shorter image"),
			lba,
			entry->value,
			self->last_leadout_start);
	return rb_stream_check_toc_order(self, lba, error);
}

/* each POINT says the same thing every time round */
static gboolean
rb_stream_check_toc_entry(
	RbStreamCheck *self, gint32 lba, const guint8 *q, guint slot, GError **error)
{
	const RbStreamCheckTocEntry *entry = &self->toc[slot];
	guint8 fields[4];
	gchar text[2][RB_STREAM_CHECK_Q_TEXT_SIZE];

	if (!entry->seen)
		return rb_stream_check_toc_new(self, lba, q, slot, error);
	rb_stream_check_toc_fields(q, fields);
	if (memcmp(fields, entry->fields, sizeof(fields)) == 0)
		return TRUE;
	rb_stream_check_hex(fields, sizeof(fields), text[0]);
	rb_stream_check_hex(entry->fields, sizeof(fields), text[1]);
	return rb_stream_check_fail(
		error,
		RB_STREAM_CHECK_ERROR_TOC,
		_("LBA %d: inconsistent lead-in TOC entry for POINT %02X: CTL/ADR and P-fields %s "
		  "here, %s at LBA %d; the stream's lead-in is damaged"),
		lba,
		q[2],
		text[0],
		text[1],
		entry->lba);
}

/* a lead-in frame of mode 1: TNO 00, a POINT, the running time, the TOC */
gboolean
rb_stream_check_leadin(RbStreamCheck *self, gint32 lba, const guint8 *q, GError **error)
{
	guint slot;

	if (q[1] != RB_SUBQ_TNO_LEADIN) {
		if (q[1] != RB_SUBQ_TNO_LEADOUT && !rb_bcd_is_valid(q[1]))
			return rb_stream_check_fail_bcd(lba, q, error);
		return rb_stream_check_fail(
			error,
			RB_STREAM_CHECK_ERROR_AREA,
			_("LBA %d: track %02X inside the lead-in; the stream's lead-in is shorter "
			  "than streamLeadInSectors says — pass the right streamLeadInSectors"),
			lba,
			q[1]);
	}
	slot = rb_stream_check_point_slot(q[2]);
	if (slot == RB_STREAM_CHECK_N_SLOTS)
		return rb_stream_check_fail_bcd(lba, q, error);
	if (!rb_stream_check_running_time(self, lba, q, error))
		return FALSE;
	if (!rb_stream_check_run(self, lba, (RB_SUBQ_ADR_POSITION << 8) | q[2], error))
		return FALSE;
	if (self->run_length == 1 && self->toc[slot].seen)
		self->full_cycle = TRUE;
	self->last_position_lba = lba;
	return rb_stream_check_toc_entry(self, lba, q, slot, error);
}

/* after a whole TOC cycle, every entry A0..A2 and first..last was in it */
gboolean
rb_stream_check_leadin_end(RbStreamCheck *self, gint32 lba, GError **error)
{
	const RbStreamCheckTocEntry *a0 = &self->toc[RB_STREAM_CHECK_SLOT_A0];
	const RbStreamCheckTocEntry *a1 = &self->toc[RB_STREAM_CHECK_SLOT_A1];
	guint missing = RB_STREAM_CHECK_N_SLOTS;

	if (!self->full_cycle)
		return TRUE;
	for (guint slot = RB_STREAM_CHECK_SLOT_A0; slot < RB_STREAM_CHECK_N_SLOTS; slot++) {
		if (!self->toc[slot].seen && missing == RB_STREAM_CHECK_N_SLOTS)
			missing = slot;
	}
	for (gint32 track = a0->value;
	     missing == RB_STREAM_CHECK_N_SLOTS && a0->seen && a1->seen && track <= a1->value;
	     track++) {
		if (!self->toc[track - 1].seen)
			missing = (guint)track - 1;
	}
	if (missing == RB_STREAM_CHECK_N_SLOTS)
		return TRUE;
	return rb_stream_check_fail(
		error,
		RB_STREAM_CHECK_ERROR_TOC,
		_("LBA %d: the lead-in TOC has no entry for POINT %02X though a whole cycle of it "
		  "was sent; the stream's lead-in is damaged"),
		lba,
		rb_stream_check_slot_point(missing));
}
