/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The preflight check of a raw DAO stream from its own Q sub-channel
 * (mmc-notes §8.4): every Q CRC, Q modes and BCD, the lead-in running time,
 * the lead-in TOC (runs of three, one value per POINT, A0 <= tracks <= A1,
 * increasing starts, A2 inside the disc), absolute time = LBA + 150 from
 * LBA -150 on, and the TOC against the track and lead-out starts actually
 * fed. What the conventions of the independent writers differ on (running
 * time, POINT order, P, pregap relative time; mmc-notes "10. Measured") is
 * accepted in every form they use. P, R-W, index and relative time in the
 * program area, and MCN/ISRC contents are left to other modules.
 *
 * The daemon runs this on every sector it streams, so a sector costs one Q
 * extraction, one CRC and a few byte compares, and nothing is allocated
 * after rb_stream_check_new(): the state is fixed-size whatever the length.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "rb-stream-check-private.h"

GQuark
rb_stream_check_error_quark(void)
{
	return g_quark_from_static_string("rb-stream-check-error-quark");
}

RbStreamCheck *
rb_stream_check_new(guint data_block_type, gint32 first_lba, gint32 last_leadout_start)
{
	RbStreamCheck *self;
	gsize sector_size = rb_data_block_type_get_sector_size(data_block_type);

	g_return_val_if_fail(sector_size != 0, NULL);

	self = g_new0(RbStreamCheck, 1);
	self->data_block_type = data_block_type;
	self->sector_size = sector_size;
	self->next_lba = first_lba;
	self->last_leadout_start = last_leadout_start;
	self->last_position_lba = first_lba - 1;
	return self;
}

void
rb_stream_check_free(RbStreamCheck *self)
{
	if (self == NULL)
		return;
	g_clear_error(&self->failure);
	g_free(self);
}

gint32
rb_stream_check_get_next_lba(const RbStreamCheck *self)
{
	g_return_val_if_fail(self != NULL, 0);
	return self->next_lba;
}

/* sets @error (never NULL here) and returns FALSE */
gboolean
rb_stream_check_fail(GError **error, gint code, const gchar *format, ...)
{
	va_list args;

	va_start(args, format);
	*error = g_error_new_valist(RB_STREAM_CHECK_ERROR, code, format, args);
	va_end(args);
	return FALSE;
}

/* FALSE with a copy of the failure, if any: the checker stays failed */
static gboolean
rb_stream_check_failed(RbStreamCheck *self, GError **error)
{
	if (self->failure == NULL)
		return TRUE;
	g_propagate_error(error, g_error_copy(self->failure));
	return FALSE;
}

/* @n <= RB_SUBQ_SIZE bytes as "12 34 …" */
void
rb_stream_check_hex(const guint8 *bytes, gsize n, gchar text[RB_STREAM_CHECK_Q_TEXT_SIZE])
{
	text[0] = '\0';
	for (gsize i = 0; i < n; i++)
		g_snprintf(text + 3 * i, 4, i + 1 < n ? "%02X " : "%02X", bytes[i]);
}

const gchar *
rb_stream_check_msf_text(RbMsf msf, gchar text[RB_STREAM_CHECK_MSF_TEXT_SIZE])
{
	g_snprintf(text,
		   RB_STREAM_CHECK_MSF_TEXT_SIZE,
		   "%02u:%02u:%02u",
		   msf.minute,
		   msf.second,
		   msf.frame);
	return text;
}

gboolean
rb_stream_check_fail_bcd(gint32 lba, const guint8 *q, GError **error)
{
	gchar text[RB_STREAM_CHECK_Q_TEXT_SIZE];

	rb_stream_check_hex(q, RB_SUBQ_SIZE, text);
	return rb_stream_check_fail(
		error,
		RB_STREAM_CHECK_ERROR_Q_MODE,
		_("LBA %d: the Q sub-channel holds a field that is not BCD or not a time (Q %s); "
		  "the stream is damaged or not a raw DAO image of this sector type"),
		lba,
		text);
}

/* modes 2 and 3 after the lead-in, 5 inside it, 1 anywhere (§8.4) */
static gboolean
rb_stream_check_fail_adr(gint32 lba, const guint8 *q, GError **error)
{
	gchar text[RB_STREAM_CHECK_Q_TEXT_SIZE];

	rb_stream_check_hex(q, RB_SUBQ_SIZE, text);
	return rb_stream_check_fail(
		error,
		RB_STREAM_CHECK_ERROR_Q_MODE,
		_("LBA %d: Q mode (ADR) %u cannot be here (Q %s): MCN (2) and ISRC (3) belong "
		  "after the lead-in, multi-session pointers (5) inside it, and mode 1 is the only "
		  "other; the stream is damaged or not a raw DAO image of this sector type"),
		lba,
		q[0] & 0x0Fu,
		text);
}

/* the CRC as a drive writing this data block type takes it */
static gboolean
rb_stream_check_crc(guint data_block_type, gint32 lba, const guint8 *q, GError **error)
{
	guint16 expected;

	if (rb_subq_check_crc_for_block_type(q, data_block_type))
		return TRUE;
	/* the expected value only on failure: this runs on every sector */
	expected = rb_subq_compute_crc(q);
	return rb_stream_check_fail(
		error,
		RB_STREAM_CHECK_ERROR_Q_CRC,
		_("LBA %d: the Q sub-channel CRC is wrong (expected %02X %02X, found %02X %02X); "
		  "the stream is damaged or not a raw DAO image of this sector type"),
		lba,
		expected >> 8,
		expected & 0xFF,
		q[10],
		q[11]);
}

/* three BCD bytes that form a valid time */
gboolean
rb_stream_check_decode_msf(const guint8 *bcd, RbMsf *msf)
{
	return rb_bcd_decode(bcd[0], &msf->minute) && rb_bcd_decode(bcd[1], &msf->second) &&
	       rb_bcd_decode(bcd[2], &msf->frame) && rb_msf_is_valid(*msf);
}

/*
 * The TOC against where a track or the lead-out really starts. An MCN or
 * ISRC frame may take the start's place, so the start may lie anywhere after
 * the previous mode-1 frame.
 */
static gboolean
rb_stream_check_start(RbStreamCheck *self, gint32 lba, guint slot, GError **error)
{
	const RbStreamCheckTocEntry *entry = &self->toc[slot];

	if (entry->seen && entry->value > self->last_position_lba && entry->value <= lba)
		return TRUE;
	if (slot == RB_STREAM_CHECK_SLOT_A2)
		return rb_stream_check_fail(
			error,
			RB_STREAM_CHECK_ERROR_TOC,
			_("LBA %d: the lead-out starts here, but the lead-in TOC says LBA %d (A2); "
			  "the stream's TOC does not match its program area"),
			lba,
			entry->value);
	if (entry->seen)
		return rb_stream_check_fail(
			error,
			RB_STREAM_CHECK_ERROR_TOC,
			_("LBA %d: track %02u starts here, but the lead-in TOC says LBA %d; the "
			  "stream's TOC does not match its program area"),
			lba,
			slot + 1,
			entry->value);
	return rb_stream_check_fail(
		error,
		RB_STREAM_CHECK_ERROR_TOC,
		_("LBA %d: track %02u starts here, but the lead-in TOC does not list it; the "
		  "stream's TOC does not match its program area"),
		lba,
		slot + 1);
}

/*
 * At the lead-out every track the TOC lists must have started: a TOC entry
 * is only compared with the program area when its track starts, so an entry
 * for a track that never does would otherwise go unnoticed.
 */
static gboolean
rb_stream_check_tracks_started(RbStreamCheck *self, gint32 lba, GError **error)
{
	for (guint track = 1; track <= RB_SUBQ_MAX_TRACK; track++) {
		const RbStreamCheckTocEntry *entry = &self->toc[track - 1];

		if (!entry->seen || self->track_started[track])
			continue;
		return rb_stream_check_fail(
			error,
			RB_STREAM_CHECK_ERROR_TOC,
			_("LBA %d: the lead-out starts here, but track %02u, which the lead-in TOC "
			  "lists at LBA %d, never started; the stream's TOC does not match its "
			  "program area"),
			lba,
			track,
			entry->value);
	}
	return TRUE;
}

/*
 * A mode-1 frame from LBA -150 on by itself: a track or the lead-out, at
 * LBA + 150; @track is its TNO (0 for the lead-out)
 */
static gboolean
rb_stream_check_q_position(gint32 lba, const guint8 *q, guint8 *track, GError **error)
{
	RbMsf absolute;

	*track = 0;
	if (q[1] == RB_SUBQ_TNO_LEADIN)
		return rb_stream_check_fail(error,
					    RB_STREAM_CHECK_ERROR_AREA,
					    _("LBA %d: lead-in data outside the lead-in; the "
					      "stream's lead-in is longer than streamLeadInSectors "
					      "says — pass the right streamLeadInSectors"),
					    lba);
	if ((q[1] != RB_SUBQ_TNO_LEADOUT && !rb_bcd_decode(q[1], track)) ||
	    !rb_bcd_is_valid(q[2]) || !rb_bcd_is_valid(q[3]) || !rb_bcd_is_valid(q[4]) ||
	    !rb_bcd_is_valid(q[5]) || !rb_stream_check_decode_msf(q + 7, &absolute))
		return rb_stream_check_fail_bcd(lba, q, error);
	if (rb_msf_to_lba(absolute) != lba) {
		RbMsf expected = {0};
		gchar text[2][RB_STREAM_CHECK_MSF_TEXT_SIZE];

		rb_msf_from_lba(lba, &expected);
		rb_stream_check_msf_text(absolute, text[0]);
		rb_stream_check_msf_text(expected, text[1]);
		return rb_stream_check_fail(error,
					    RB_STREAM_CHECK_ERROR_ADDRESS,
					    _("LBA %d: the Q absolute time is %s, not %s (LBA + "
					      "150); the stream is damaged or sectors are missing"),
					    lba,
					    text[0],
					    text[1]);
	}
	return TRUE;
}

/*
 * After its CRC, a Q from LBA -150 on by itself: a mode that can be there,
 * and a mode-1 frame's fields; @track as rb_stream_check_q_position() gives
 * it (0 for other modes)
 */
static gboolean
rb_stream_check_q_program(gint32 lba, const guint8 *q, guint8 *track, GError **error)
{
	guint adr = q[0] & 0x0F;

	*track = 0;
	if (adr == RB_SUBQ_ADR_POSITION)
		return rb_stream_check_q_position(lba, q, track, error);
	/* MCN and ISRC: CRC only; their contents are another module's */
	if (adr == RB_SUBQ_ADR_MCN || adr == RB_SUBQ_ADR_ISRC)
		return TRUE;
	return rb_stream_check_fail_adr(lba, q, error);
}

gboolean
rb_stream_check_q(guint data_block_type, gint32 lba, const guint8 *q, GError **error)
{
	GError *error_local = NULL;
	guint8 track = 0;

	g_return_val_if_fail(rb_data_block_type_get_sector_size(data_block_type) != 0, FALSE);
	g_return_val_if_fail(lba >= RB_STREAM_CHECK_PREGAP_START, FALSE);
	g_return_val_if_fail(q != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	/* the helpers set their error unconditionally: @error may be NULL */
	if (rb_stream_check_crc(data_block_type, lba, q, &error_local) &&
	    rb_stream_check_q_program(lba, q, &track, &error_local))
		return TRUE;
	g_propagate_error(error, error_local);
	return FALSE;
}

/*
 * A mode-1 frame from LBA -150 on that rb_stream_check_q_program() passed:
 * the TOC against where track @track (0: the lead-out) starts
 */
static gboolean
rb_stream_check_position(
	RbStreamCheck *self, gint32 lba, const guint8 *q, guint8 track, GError **error)
{
	gboolean ok = TRUE;

	/* the TOC is checked against the program area only once it was seen */
	if (q[1] == RB_SUBQ_TNO_LEADOUT && !self->leadout_seen) {
		self->leadout_seen = TRUE;
		if (self->toc[RB_STREAM_CHECK_SLOT_A2].seen)
			ok = rb_stream_check_start(self, lba, RB_STREAM_CHECK_SLOT_A2, error);
		if (ok)
			ok = rb_stream_check_tracks_started(self, lba, error);
	} else if (track != 0 && q[2] == 0x01 && !self->track_started[track]) {
		self->track_started[track] = TRUE;
		if (self->toc[track - 1].seen || self->full_cycle)
			ok = rb_stream_check_start(self, lba, track - 1u, error);
	}
	self->last_position_lba = lba;
	return ok;
}

static gboolean
rb_stream_check_sector(RbStreamCheck *self, gint32 lba, const guint8 *sector, GError **error)
{
	const guint8 *subchannel = sector + RB_CD_MAIN_SIZE;
	guint8 q[RB_SUBQ_SIZE];
	guint8 track = 0;
	guint adr;

	if (self->data_block_type == RB_DATA_BLOCK_TYPE_RAW_PQ)
		rb_subchannel_pq_get_q(subchannel, q);
	else
		rb_subchannel_pw_get_q(subchannel, q);
	if (!rb_stream_check_crc(self->data_block_type, lba, q, error))
		return FALSE;
	adr = q[0] & 0x0F;

	if (lba < RB_STREAM_CHECK_PREGAP_START) {
		if (adr == RB_SUBQ_ADR_POSITION)
			return rb_stream_check_leadin(self, lba, q, error);
		/* multi-session pointers: CRC only, but they end a TOC run */
		if (adr == RB_SUBQ_ADR_MULTISESSION)
			return rb_stream_check_run(self, lba, (adr << 8) | q[2], error);
		return rb_stream_check_fail_adr(lba, q, error);
	}
	/*
	 * The lead-in's end: a stream that starts later fed no lead-in, so
	 * there is nothing to check; one that starts at or before it reaches it
	 * exactly once.
	 */
	if (lba == RB_STREAM_CHECK_PREGAP_START && !rb_stream_check_leadin_end(self, lba, error))
		return FALSE;
	/* what rb_stream_check_q() judges, then what needs the stream around it */
	if (!rb_stream_check_q_program(lba, q, &track, error))
		return FALSE;
	if (adr == RB_SUBQ_ADR_POSITION)
		return rb_stream_check_position(self, lba, q, track, error);
	return TRUE;
}

gboolean
rb_stream_check_sectors(RbStreamCheck *self, const guint8 *sectors, gsize n, GError **error)
{
	g_return_val_if_fail(self != NULL, FALSE);
	g_return_val_if_fail(sectors != NULL || n == 0, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	for (gsize i = 0; self->failure == NULL && i < n; i++) {
		if (rb_stream_check_sector(
			    self, self->next_lba, sectors + i * self->sector_size, &self->failure))
			self->next_lba++;
	}
	return rb_stream_check_failed(self, error);
}

gboolean
rb_stream_check_finish(RbStreamCheck *self, GError **error)
{
	const RbStreamCheckTocEntry *a2;

	g_return_val_if_fail(self != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	a2 = &self->toc[RB_STREAM_CHECK_SLOT_A2];
	if (self->failure == NULL && !self->leadout_seen && a2->seen)
		rb_stream_check_fail(&self->failure,
				     RB_STREAM_CHECK_ERROR_TOC,
				     _("LBA %d: the stream ends here, before its lead-out at LBA "
				       "%d (A2); the stream was cut short — pass the whole image"),
				     self->next_lba,
				     a2->value);
	return rb_stream_check_failed(self, error);
}
