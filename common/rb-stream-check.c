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
#include <string.h>

#include "rb-msf.h"
#include "rb-stream-check.h"
#include "rb-subchannel.h"

/* track 1's pregap: the program area's first LBA, the lead-in's end */
#define RB_STREAM_CHECK_PREGAP_START (-150)
/* every lead-in TOC entry is sent in at least 3 consecutive frames (§8.4) */
#define RB_STREAM_CHECK_TOC_RUN 3
/* Q modes: MCN, ISRC, and the lead-in's multi-session pointers (§8.4) */
#define RB_STREAM_CHECK_ADR_MCN 2
#define RB_STREAM_CHECK_ADR_ISRC 3
#define RB_STREAM_CHECK_ADR_MULTISESSION 5
#define RB_STREAM_CHECK_MAX_TRACK 99
/* the TOC table: tracks 01..99 in slots 0..98, then A0, A1, A2 */
#define RB_STREAM_CHECK_SLOT_A0 RB_STREAM_CHECK_MAX_TRACK
#define RB_STREAM_CHECK_SLOT_A1 (RB_STREAM_CHECK_SLOT_A0 + 1)
#define RB_STREAM_CHECK_SLOT_A2 (RB_STREAM_CHECK_SLOT_A0 + 2)
#define RB_STREAM_CHECK_N_SLOTS (RB_STREAM_CHECK_SLOT_A0 + 3)
/* "12 34 …": 12 bytes of Q as text; "mm:ss:ff" */
#define RB_STREAM_CHECK_Q_TEXT_SIZE (RB_SUBQ_SIZE * 3)
#define RB_STREAM_CHECK_MSF_TEXT_SIZE 9

typedef struct {
	gboolean seen;
	gint32 lba; /* where it was first seen, for messages */
	/* CTL/ADR, PMIN, PSEC, PFRAME as sent: the same every time round */
	guint8 fields[4];
	/* tracks and A2: the start LBA; A0 and A1: the track number */
	gint32 value;
} RbStreamCheckTocEntry;

struct _RbStreamCheck {
	guint data_block_type;
	gsize sector_size;
	gint32 next_lba;
	gint32 last_leadout_start;
	/* the first error; the checker stays failed with it */
	GError *failure;

	/* the previous lead-in running time (ADR 1) and where it was */
	gboolean have_running;
	gint32 running_lba;
	RbMsf running;

	/* the current run of lead-in frames: (ADR << 8) | POINT, 0 = none yet */
	guint run_key;
	guint run_length;
	gint32 run_start;
	gboolean run_is_first;
	/* a POINT came round again: a whole TOC cycle was fed */
	gboolean full_cycle;
	gboolean leadin_ended;
	RbStreamCheckTocEntry toc[RB_STREAM_CHECK_N_SLOTS];

	/* the last ADR 1 frame: MCN/ISRC frames may sit on a track start */
	gint32 last_position_lba;
	gboolean track_started[RB_STREAM_CHECK_MAX_TRACK + 1];
	gboolean leadout_seen;
};

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
G_GNUC_PRINTF(3, 4)
static gboolean
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
static void
rb_stream_check_hex(const guint8 *bytes, gsize n, gchar text[RB_STREAM_CHECK_Q_TEXT_SIZE])
{
	text[0] = '\0';
	for (gsize i = 0; i < n; i++)
		g_snprintf(text + 3 * i, 4, i + 1 < n ? "%02X " : "%02X", bytes[i]);
}

/* what must not change between the frames of one POINT */
static void
rb_stream_check_toc_fields(const guint8 *q, guint8 fields[4])
{
	fields[0] = q[0];
	memcpy(fields + 1, q + 7, 3);
}

static const gchar *
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

static gboolean
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

/*
 * The on-disc CRC is inverted (§8.4). In 16-byte mode cdrdao and libburn
 * send it plain and wodim inverted, and drives regenerate it there
 * ("10. Measured"), so both pass; in 96-byte modes it goes to disc as sent.
 */
static gboolean
rb_stream_check_crc(RbStreamCheck *self, gint32 lba, const guint8 *q, GError **error)
{
	guint16 crc = rb_cd_crc16(q, RB_SUBQ_DATA_SIZE);
	guint16 expected = (guint16)~crc;
	guint16 found = (guint16)((q[10] << 8) | q[11]);

	if (found == expected)
		return TRUE;
	if (found == crc && self->data_block_type == RB_DATA_BLOCK_TYPE_RAW_PQ)
		return TRUE;
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
static gboolean
rb_stream_check_decode_msf(const guint8 *bcd, RbMsf *msf)
{
	return rb_bcd_decode(bcd[0], &msf->minute) && rb_bcd_decode(bcd[1], &msf->second) &&
	       rb_bcd_decode(bcd[2], &msf->frame) && rb_msf_is_valid(*msf);
}

static gint32
rb_stream_check_msf_frames(RbMsf msf)
{
	return (msf.minute * RB_CD_SECONDS_PER_MINUTE + msf.second) * RB_CD_FRAMES_PER_SECOND +
	       msf.frame;
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
	if (slot >= RB_STREAM_CHECK_SLOT_A0)
		return RB_SUBQ_POINT_FIRST_TRACK + (slot - RB_STREAM_CHECK_SLOT_A0);
	return ((slot + 1) / 10) << 4 | (slot + 1) % 10;
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
	if (running.minute < RB_CD_LEADIN_MINUTE && self->have_running &&
	    rb_stream_check_msf_frames(running) - rb_stream_check_msf_frames(self->running) !=
		    lba - self->running_lba) {
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
static gboolean
rb_stream_check_run(RbStreamCheck *self, gint32 lba, guint key, GError **error)
{
	if (key == self->run_key) {
		self->run_length++;
		return TRUE;
	}
	if (self->run_key >> 8 == RB_SUBQ_ADR_POSITION && !self->run_is_first &&
	    self->run_length < RB_STREAM_CHECK_TOC_RUN)
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
	gint32 last = a1->seen ? a1->value : RB_STREAM_CHECK_MAX_TRACK;
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
	for (guint track = 1; track <= RB_STREAM_CHECK_MAX_TRACK; track++) {
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
static gboolean
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
static gboolean
rb_stream_check_leadin_end(RbStreamCheck *self, gint32 lba, GError **error)
{
	const RbStreamCheckTocEntry *a0 = &self->toc[RB_STREAM_CHECK_SLOT_A0];
	const RbStreamCheckTocEntry *a1 = &self->toc[RB_STREAM_CHECK_SLOT_A1];
	guint missing = RB_STREAM_CHECK_N_SLOTS;

	self->leadin_ended = TRUE;
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

/* a mode-1 frame from LBA -150 on: a track or the lead-out, at LBA + 150 */
static gboolean
rb_stream_check_position(RbStreamCheck *self, gint32 lba, const guint8 *q, GError **error)
{
	RbMsf absolute;
	guint8 track = 0;
	gboolean ok = TRUE;

	if (q[1] == RB_SUBQ_TNO_LEADIN)
		return rb_stream_check_fail(error,
					    RB_STREAM_CHECK_ERROR_AREA,
					    _("LBA %d: lead-in data outside the lead-in; the "
					      "stream's lead-in is longer than streamLeadInSectors "
					      "says — pass the right streamLeadInSectors"),
					    lba);
	if ((q[1] != RB_SUBQ_TNO_LEADOUT && !rb_bcd_decode(q[1], &track)) ||
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

	/* the TOC is checked against the program area only once it was seen */
	if (q[1] == RB_SUBQ_TNO_LEADOUT && !self->leadout_seen) {
		self->leadout_seen = TRUE;
		if (self->toc[RB_STREAM_CHECK_SLOT_A2].seen)
			ok = rb_stream_check_start(self, lba, RB_STREAM_CHECK_SLOT_A2, error);
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
	guint adr;

	if (self->data_block_type == RB_DATA_BLOCK_TYPE_RAW_PQ)
		rb_subchannel_pq_get_q(subchannel, q);
	else
		rb_subchannel_pw_get_q(subchannel, q);
	if (!rb_stream_check_crc(self, lba, q, error))
		return FALSE;
	adr = q[0] & 0x0F;

	if (lba < RB_STREAM_CHECK_PREGAP_START) {
		if (adr == RB_SUBQ_ADR_POSITION)
			return rb_stream_check_leadin(self, lba, q, error);
		/* multi-session pointers: CRC only, but they end a TOC run */
		if (adr == RB_STREAM_CHECK_ADR_MULTISESSION)
			return rb_stream_check_run(self, lba, (adr << 8) | q[2], error);
		return rb_stream_check_fail_adr(lba, q, error);
	}
	if (!self->leadin_ended && !rb_stream_check_leadin_end(self, lba, error))
		return FALSE;
	if (adr == RB_SUBQ_ADR_POSITION)
		return rb_stream_check_position(self, lba, q, error);
	/* MCN and ISRC: CRC only; their contents are another module's */
	if (adr == RB_STREAM_CHECK_ADR_MCN || adr == RB_STREAM_CHECK_ADR_ISRC)
		return TRUE;
	return rb_stream_check_fail_adr(lba, q, error);
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
