/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Q and P of every sector of an image, its TOC and the stream's extent,
 * from the layout alone; each sector on its own, so a check may ask for any
 * LBA. Conventions (the
 * same as rb-dao-stream, where independent writers agree, mmc-notes
 * "10. Measured"):
 * - lead-in: the TOC points of the tracks, then A0, A1, A2, each in 3
 *   frames, the cycle anchored at 95:00:00; running time = the absolute MSF
 *   (survives trimming the lead-in); P = 0;
 * - pregap and pauses (index 0): relative time counting down to 00:00:01,
 *   P = 1; index 1 up: counting up from the track start, P = 0, except in
 *   the 150 sectors before the next track's index 1: P = 1 marks a track's
 *   start for 2 s however short its pregap (cdrdao PQChannelEncoder sets P
 *   "in pre-gap and 2 seconds before next track starts"; the Red Book's
 *   start flag). Only the pregaps of sheet mode (rb-image-sheet.c) are
 *   shorter than 150 sectors; with the others the two rules are one;
 * - lead-out: TNO AA, index 01, CTL of the last track (cdrdao keeps only
 *   its data bit, GenericMMC::createCueSheet; no text we have decides, and
 *   the last track's whole control is what a player saw last); P = 0 for
 *   2 s, then 19 frames on, 19 off (cdrdao's 2 Hz);
 * - CTL of a track in its pregap, its body and its TOC point (A0: the first
 *   track's, A1 and A2: the last's, as cdrdao);
 * - MCN (Q mode 2) and ISRC (mode 3) every 90 frames, cdrdao's period (it
 *   puts them at LBA % 90 == 0 and 50, PQChannelEncoder.cc; the standard
 *   asks only for one in 100), here at frames 10 and 55 of each 90 from
 *   00:00:00, in the program area only (the MCN
 *   from track 1's pregap, an ISRC from its track's index 1). A frame that
 *   would fall on the first or last sector of a pregap, index, track or the
 *   lead-out moves on to the second sector of the next part: the reader
 *   (and the judge) find a track's start and the lead-out's start from the
 *   first position frame, and see a pause's end in its last.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "rb-image-private.h"

#define RB_IMAGE_LEADOUT_P_QUIET 150
#define RB_IMAGE_LEADOUT_P_HALF_PERIOD 19
#define RB_IMAGE_CODE_PERIOD 90
#define RB_IMAGE_MCN_PHASE 10
#define RB_IMAGE_ISRC_PHASE 55
/* SCMS: the copy bit alternates every 4 frames (9.375 Hz) */
#define RB_IMAGE_SCMS_HALF_PERIOD 4
/* ISRC characters: 0-9 as 00h-09h, A-Z as 11h-2Ah */
#define RB_IMAGE_ISRC_LETTER_A 0x11

gint32
rb_image_layout_track_end(const RbImageLayout *layout, guint i)
{
	if (i + 1 < layout->n_tracks)
		return layout->tracks[i + 1].pregap_start;
	return layout->leadout_start;
}

guint
rb_image_layout_find_track(const RbImageLayout *layout, gint32 lba)
{
	guint lo = 0;
	guint hi = layout->n_tracks - 1;

	while (lo < hi) {
		guint mid = (lo + hi + 1) / 2;

		if (layout->tracks[mid].pregap_start <= lba)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

gboolean
rb_image_layout_get_leadout_start(const RbImageLayout *layout, gint32 *lba, GError **error)
{
	g_return_val_if_fail(layout != NULL, FALSE);
	if (!rb_image_layout_check_has_tracks(layout, error))
		return FALSE;
	*lba = layout->leadout_start;
	return TRUE;
}

gint32
rb_image_layout_get_last_user_lba(const RbImageLayout *layout)
{
	return layout->leadout_start - 1;
}

gint32
rb_image_layout_get_end_lba(const RbImageLayout *layout)
{
	return layout->leadout_start + RB_IMAGE_LEADOUT_SECTORS;
}

guint32
rb_image_layout_get_n_sectors(const RbImageLayout *layout)
{
	return (guint32)(rb_image_layout_get_end_lba(layout) - RB_IMAGE_FIRST_LBA);
}

gsize
rb_image_layout_get_sector_size(const RbImageLayout *layout)
{
	return rb_data_block_type_get_sector_size(layout->image_type);
}

static RbMsf
rb_image_msf_from_frames(gint32 frames)
{
	RbMsf msf = {
		.minute = (guint8)(frames / (RB_CD_SECONDS_PER_MINUTE * RB_CD_FRAMES_PER_SECOND)),
		.second = (guint8)((frames / RB_CD_FRAMES_PER_SECOND) % RB_CD_SECONDS_PER_MINUTE),
		.frame = (guint8)(frames % RB_CD_FRAMES_PER_SECOND),
	};
	return msf;
}

static guint8
rb_image_bcd(guint value)
{
	return (guint8)(((value / 10) << 4) | (value % 10));
}

/* the first sector of a part of the program area or of the lead-out */
static gboolean
rb_image_is_boundary(const RbImageLayout *layout, gint32 lba)
{
	guint i;
	const RbImageTrack *t;

	if (lba == -RB_IMAGE_PREGAP_SECTORS || lba == layout->leadout_start)
		return TRUE;
	if (lba < -RB_IMAGE_PREGAP_SECTORS || lba > layout->leadout_start)
		return FALSE;
	i = rb_image_layout_find_track(layout, lba);
	t = &layout->tracks[i];
	if (lba == t->pregap_start)
		return TRUE;
	for (guint k = 0; k < t->n_indexes; k++) {
		if (lba == t->start + (gint32)t->indexes[k])
			return TRUE;
	}
	return FALSE;
}

/* whether the code of @phase goes into the sector at @lba */
static gboolean
rb_image_is_code_frame(const RbImageLayout *layout, gint32 lba, guint phase)
{
	for (gint32 k = 0; k <= 2; k++) {
		gint32 slot = lba - k;
		gint32 shift;

		if ((slot + RB_CD_MSF_OFFSET) % RB_IMAGE_CODE_PERIOD != (gint32)phase)
			continue;
		shift = rb_image_is_boundary(layout, slot)       ? 1
			: rb_image_is_boundary(layout, slot + 1) ? 2
								 : 0;
		if (shift == k)
			return TRUE;
	}
	return FALSE;
}

static void
rb_image_q_mcn(guint8 q[RB_SUBQ_SIZE], guint8 ctl, const gchar *mcn, gint32 lba)
{
	memset(q, 0, RB_SUBQ_SIZE);
	q[0] = (guint8)(ctl << 4 | RB_SUBQ_ADR_MCN);
	for (guint n = 0; n < RB_IMAGE_MCN_LENGTH; n++)
		q[1 + n / 2] |= (guint8)((mcn[n] - '0') << (n % 2 == 0 ? 4 : 0));
	q[9] = rb_image_bcd((guint)(lba + RB_CD_MSF_OFFSET) % RB_CD_FRAMES_PER_SECOND);
	rb_subq_set_crc(q);
}

static void
rb_image_q_isrc(guint8 q[RB_SUBQ_SIZE], guint8 ctl, const gchar *isrc, gint32 lba)
{
	guint64 bits = 0;

	memset(q, 0, RB_SUBQ_SIZE);
	q[0] = (guint8)(ctl << 4 | RB_SUBQ_ADR_ISRC);
	/* five 6-bit characters and 2 zero bits, then 7 BCD digits */
	for (guint i = 0; i < 5; i++) {
		guint c = g_ascii_isdigit(isrc[i])
				  ? (guint)(isrc[i] - '0')
				  : (guint)(isrc[i] - 'A') + RB_IMAGE_ISRC_LETTER_A;
		bits = (bits << 6) | c;
	}
	bits <<= 2;
	for (guint i = 0; i < 4; i++)
		q[1 + i] = (guint8)(bits >> (24 - 8 * i));
	for (guint n = 0; n < 7; n++)
		q[5 + n / 2] |= (guint8)((isrc[5 + n] - '0') << (n % 2 == 0 ? 4 : 0));
	q[9] = rb_image_bcd((guint)(lba + RB_CD_MSF_OFFSET) % RB_CD_FRAMES_PER_SECOND);
	rb_subq_set_crc(q);
}

static gboolean
rb_image_leadout_p(gint32 frames)
{
	if (frames < RB_IMAGE_LEADOUT_P_QUIET)
		return FALSE;
	return (frames - RB_IMAGE_LEADOUT_P_QUIET) % (2 * RB_IMAGE_LEADOUT_P_HALF_PERIOD) <
	       RB_IMAGE_LEADOUT_P_HALF_PERIOD;
}

gboolean
rb_image_layout_get_subq(const RbImageLayout *layout,
			 gint32 lba,
			 guint8 q[RB_SUBQ_SIZE],
			 gboolean *p)
{
	RbSubQ subq = {.adr = RB_SUBQ_ADR_POSITION};
	gboolean p_out = FALSE;
	const RbImageTrack *t = NULL;
	guint i;

	g_return_val_if_fail(layout != NULL && layout->n_tracks > 0, FALSE);
	if (lba < RB_IMAGE_FIRST_LBA || lba >= rb_image_layout_get_end_lba(layout))
		return FALSE;

	if (lba < -RB_IMAGE_PREGAP_SECTORS) {
		gint64 period = (gint64)layout->n_toc * RB_SUBQ_TOC_RUN;
		gint64 phase = ((gint64)lba - RB_IMAGE_FIRST_LBA) % period;

		subq = layout->toc[phase / RB_SUBQ_TOC_RUN];
		rb_msf_from_lba(lba, &subq.relative);
	} else if (lba >= layout->leadout_start) {
		gint32 frames = lba - layout->leadout_start;

		subq.ctl = rb_image_track_ctl(&layout->tracks[layout->n_tracks - 1]);
		subq.tno = RB_SUBQ_TNO_LEADOUT;
		subq.index_or_point = 1;
		subq.relative = rb_image_msf_from_frames(frames);
		rb_msf_from_lba(lba, &subq.absolute);
		p_out = rb_image_leadout_p(frames);
	} else {
		i = rb_image_layout_find_track(layout, lba);
		t = &layout->tracks[i];
		subq.ctl = rb_image_track_ctl(t);
		subq.tno = (guint8)t->number;
		if (lba < t->start) {
			subq.index_or_point = 0;
			subq.relative = rb_image_msf_from_frames(t->start - lba);
			p_out = TRUE;
		} else {
			guint32 offset = (guint32)(lba - t->start);
			guint index = 0;

			while (index < t->n_indexes && t->indexes[index] <= offset)
				index++;
			subq.index_or_point = (guint8)index;
			subq.relative = rb_image_msf_from_frames((gint32)offset);
			if (t->copy == RB_IMAGE_COPY_SCMS &&
			    offset / RB_IMAGE_SCMS_HALF_PERIOD % 2 == 0)
				subq.ctl |= RB_IMAGE_CTL_COPY;
			/* a short pregap: the start flag begins in this track */
			p_out = i + 1 < layout->n_tracks &&
				lba >= layout->tracks[i + 1].start - RB_IMAGE_PREGAP_SECTORS;
		}
		rb_msf_from_lba(lba, &subq.absolute);
	}
	/* cannot fail: every field was built in range */
	rb_subq_encode(&subq, q, NULL);

	if (t != NULL && layout->mcn[0] != '\0' &&
	    rb_image_is_code_frame(layout, lba, RB_IMAGE_MCN_PHASE))
		rb_image_q_mcn(q, subq.ctl, layout->mcn, lba);
	else if (t != NULL && lba >= t->start && t->isrc[0] != '\0' &&
		 rb_image_is_code_frame(layout, lba, RB_IMAGE_ISRC_PHASE))
		rb_image_q_isrc(q, subq.ctl, t->isrc, lba);
	if (p != NULL)
		*p = p_out;
	return TRUE;
}

static void
rb_image_toc_descriptor(GByteArray *out, const RbSubQ *entry)
{
	guint8 d[RB_IMAGE_TOC_DESCRIPTOR_SIZE] = {0};

	d[0] = 1; /* session */
	d[1] = (guint8)(RB_SUBQ_ADR_POSITION << 4 | entry->ctl);
	d[3] = entry->index_or_point;
	d[8] = entry->absolute.minute;
	d[9] = entry->absolute.second;
	d[10] = entry->absolute.frame;
	g_byte_array_append(out, d, sizeof(d));
}

/*
 * READ TOC format 0010b of a one-session disc: the header (length, first and
 * last session 1), then A0, A1, A2 and the tracks, as drives list them; the
 * lead-in running time (bytes 4-6) 0 and PMIN:PSEC:PFRAME binary, as the
 * virtual drive answers (A0's PSEC is the BCD-looking disc type code 00h or
 * 20h decoded as BCD: 0 or 20).
 */
GBytes *
rb_image_layout_get_expected_toc(const RbImageLayout *layout, GError **error)
{
	g_autoptr(GByteArray) out = g_byte_array_new();
	guint8 header[4] = {0, 0, 1, 1};
	guint n_tracks = layout->n_tracks;

	g_return_val_if_fail(layout != NULL, NULL);
	if (n_tracks == 0) {
		g_set_error(
			error, RB_IMAGE_ERROR, RB_IMAGE_ERROR_NO_TRACKS, "the image has no tracks");
		return NULL;
	}
	g_byte_array_append(out, header, sizeof(header));
	for (guint i = 0; i < RB_IMAGE_TOC_POINTERS; i++)
		rb_image_toc_descriptor(out, &layout->toc[n_tracks + i]);
	for (guint i = 0; i < n_tracks; i++)
		rb_image_toc_descriptor(out, &layout->toc[i]);
	out->data[0] = (guint8)((out->len - 2) >> 8);
	out->data[1] = (guint8)(out->len - 2);
	return g_byte_array_free_to_bytes(g_steal_pointer(&out));
}
