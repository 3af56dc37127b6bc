/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The judge of P and of the lead-in's R-W. The P rule, from Red Book as
 * mmc-notes §8.4 reports it and widened to what real writers send (mmc-notes
 * "10. Measured"; cdrdao PQChannelEncoder.cc "set P channel flag in pre-gap
 * and 2 seconds before next track starts" and "P channel flag is 0 2 secs
 * from start of lead-out, after that flag alternates at 2 Hz"):
 * - mixed: a sector's 96 P bits are one flag and must all be equal; a mixed
 *   sector counts once and its majority is judged below;
 * - lead-in: P = 0 (mmc-notes §8.4: wodim write_leadin passes dop = 0;
 *   "10. Measured": all three writers);
 * - pause (index 0): P = 1;
 * - track (index 1 up): P = 0, except on the first sector of index 1
 *   (cdrdao, libburn) and in the 150 sectors (2 s) before the next track's
 *   index 1 or the lead-out (cdrdao); wodim sets neither;
 * - lead-out: the first 150 sectors are free (cdrdao 1 then 0, wodim 0,
 *   libburn 1 then 0); after them P must alternate, no value lasting more
 *   than 150 sectors (cdrdao and libburn flip every 19, wodim every 75): a
 *   P that is missing or stuck is caught, whichever blinking a writer chose.
 * P findings count once per run of wrong flags, at the run's first sector:
 * a wrong stretch of the flag is one defect however long it lasts.
 *
 * CD-TEXT: in raw P-W (block type 3) a lead-in sector's R-W symbols carry 72
 * bytes, 4 packs of 18, not interleaved (mmc-notes §8.1; cdrdao
 * CdTextEncoder::buildSubChannels). A pack has its type, 80h-8Fh, in byte 0
 * and in bytes 16-17 the CRC of bytes 0-15: CRC-16 0x1021 from 0, inverted,
 * as Q's (mmc-notes "10. Measured": "each pack with an inverted CRC"). A
 * pack of another type or with a wrong CRC counts as a bad pack: a reader
 * drops either. The good ones are kept as a reading drive keeps them for
 * READ TOC/PMA/ATIP format 5: one copy per block and sequence number,
 * whatever point of the cycle the lead-in starts at.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbVdrive"

#include <glib/gi18n.h>
#include <stdarg.h>
#include <string.h>

#include "rb-vdrive-private.h"

#define RB_PW_BIT_P 0x80
#define RB_PW_RW_MASK 0x3F
/* 2 s: P's freedom at either end of a track and at the lead-out start */
#define RB_VDRIVE_P_SLACK 150
/* the longest a lead-out P may stay the same after its first 2 s */
#define RB_VDRIVE_P_LEADOUT_RUN 150
#define RB_CDTEXT_PACK_SIZE RB_VDRIVE_CDTEXT_PACK_SIZE
#define RB_CDTEXT_PACK_DATA 16
/* pack byte 3: bit 7 double-byte characters, bits 6-4 block, 3-0 position */
#define RB_CDTEXT_BLOCK_SHIFT 4
#define RB_CDTEXT_BLOCK_MASK 0x07
#define RB_CDTEXT_PACKS_PER_SECTOR 4
#define RB_CDTEXT_TYPE_FIRST 0x80
#define RB_CDTEXT_TYPE_LAST 0x8F

G_STATIC_ASSERT(RB_CDTEXT_PACK_SIZE *RB_CDTEXT_PACKS_PER_SECTOR * 4 == RB_SUBCHANNEL_PW_SIZE * 3);

const gchar *
rb_vdrive_p_kind_to_string(RbVdrivePKind kind)
{
	switch (kind) {
	case RB_VDRIVE_P_MIXED:
		return "mixed";
	case RB_VDRIVE_P_LEADIN:
		return "lead-in";
	case RB_VDRIVE_P_PAUSE:
		return "pause";
	case RB_VDRIVE_P_TRACK:
		return "track";
	case RB_VDRIVE_P_LEADOUT:
		return "lead-out";
	case RB_VDRIVE_P_KINDS:
		break;
	}
	return "unknown";
}

static void
rb_vdrive_p_finding(RbVdrive *self, RbVdrivePKind kind, gint32 lba, const gchar *format, ...)
	G_GNUC_PRINTF(4, 5);

static void
rb_vdrive_p_finding(RbVdrive *self, RbVdrivePKind kind, gint32 lba, const gchar *format, ...)
{
	g_autofree gchar *detail = NULL;
	va_list args;

	self->report.p_by_kind[kind]++;
	self->report.p_channel_mismatches++;
	va_start(args, format);
	detail = g_strdup_vprintf(format, args);
	va_end(args);
	rb_vdrive_note_problem(
		self, lba, "p-channel", "%s: %s", rb_vdrive_p_kind_to_string(kind), detail);
}

/* a run of P = 1 begun in a track reached the next index 1 or the lead-out at @start */
static void
rb_vdrive_p_run_reaches_start(RbVdrive *self, gint32 start)
{
	RbVdriveJudge *j = &self->judge;

	if (j->p_track_run == G_MININT32)
		return;
	if (j->p_track_run < start - RB_VDRIVE_P_SLACK)
		rb_vdrive_p_finding(
			self,
			RB_VDRIVE_P_TRACK,
			j->p_track_run,
			_("P = 1 from %d frames before the next start, expected at most %d"),
			start - j->p_track_run,
			RB_VDRIVE_P_SLACK);
	j->p_track_run = G_MININT32;
}

/* a run of P = 1 begun in a track ended at @lba without reaching a start */
static void
rb_vdrive_p_run_ends(RbVdrive *self, gint32 lba)
{
	RbVdriveJudge *j = &self->judge;

	if (!(j->p_track_run_at_start && lba - j->p_track_run == 1))
		rb_vdrive_p_finding(self,
				    RB_VDRIVE_P_TRACK,
				    j->p_track_run,
				    _("P = 1 for %d frames inside track %02u, expected 0"),
				    lba - j->p_track_run,
				    j->tno);
	j->p_track_run = G_MININT32;
}

static void
rb_vdrive_judge_p_leadout(RbVdrive *self, gint32 lba, gboolean p)
{
	RbVdriveJudge *j = &self->judge;
	gint32 from;

	if (j->p_leadout_run == G_MININT32 || p != j->p_leadout_value) {
		j->p_leadout_value = p;
		j->p_leadout_run = lba;
		j->p_leadout_flagged = FALSE;
	}
	from = MAX(j->p_leadout_run, self->leadout_start + RB_VDRIVE_P_SLACK);
	if (!j->p_leadout_flagged && lba - from >= RB_VDRIVE_P_LEADOUT_RUN) {
		j->p_leadout_flagged = TRUE;
		rb_vdrive_p_finding(self,
				    RB_VDRIVE_P_LEADOUT,
				    from,
				    _("P = %d for more than %d frames, expected it to alternate"),
				    p ? 1 : 0,
				    RB_VDRIVE_P_LEADOUT_RUN);
	}
}

void
rb_vdrive_judge_p(RbVdrive *self, gint32 lba, const guint8 *pw)
{
	RbVdriveJudge *j = &self->judge;
	guint set = 0;
	gboolean p;

	for (guint k = 0; k < RB_SUBCHANNEL_PW_SIZE; k++)
		set += (pw[k] & RB_PW_BIT_P) != 0;
	if (set != 0 && set != RB_SUBCHANNEL_PW_SIZE)
		rb_vdrive_p_finding(self,
				    RB_VDRIVE_P_MIXED,
				    lba,
				    _("%u of %u P bits set, expected all or none"),
				    set,
				    RB_SUBCHANNEL_PW_SIZE);
	p = set > RB_SUBCHANNEL_PW_SIZE / 2;

	if (lba < RB_VDRIVE_PREGAP_START) {
		if (p && !j->p_leadin_run)
			rb_vdrive_p_finding(self, RB_VDRIVE_P_LEADIN, lba, _("P = 1, expected 0"));
		j->p_leadin_run = p;
		return;
	}
	switch (j->area) {
	case RB_VDRIVE_AREA_NONE:
		break;
	case RB_VDRIVE_AREA_PAUSE:
		if (!p && !j->p_pause_run)
			rb_vdrive_p_finding(self, RB_VDRIVE_P_PAUSE, lba, _("P = 0, expected 1"));
		j->p_pause_run = !p;
		/* a track's run may go on through the pause to the next index 1 */
		if (!p && j->p_track_run != G_MININT32)
			rb_vdrive_p_run_ends(self, lba);
		break;
	case RB_VDRIVE_AREA_TRACK:
		j->p_pause_run = FALSE;
		if (lba == j->idx1_start)
			rb_vdrive_p_run_reaches_start(self, lba);
		if (p && j->p_track_run == G_MININT32) {
			j->p_track_run = lba;
			j->p_track_run_at_start = lba == j->idx1_start;
		} else if (!p && j->p_track_run != G_MININT32) {
			rb_vdrive_p_run_ends(self, lba);
		}
		break;
	case RB_VDRIVE_AREA_LEADOUT:
		j->p_pause_run = FALSE;
		rb_vdrive_p_run_reaches_start(self, self->leadout_start);
		rb_vdrive_judge_p_leadout(self, lba, p);
		break;
	}
}

/* a disc without CD-TEXT (most, and every blank) keeps none: the 38 KiB
 * of slots exist only once a pack came */
void
rb_vdrive_cdtext_clear(RbVdrive *self)
{
	g_clear_pointer(&self->cdtext, g_free);
}

guint
rb_vdrive_cdtext_append(RbVdrive *self, GByteArray *out)
{
	const RbVdriveCdText *cdtext = self->cdtext;

	if (cdtext == NULL)
		return 0;
	for (guint slot = 0; slot < RB_VDRIVE_CDTEXT_SLOTS; slot++)
		if (cdtext->kept[slot])
			g_byte_array_append(out, cdtext->packs[slot], RB_CDTEXT_PACK_SIZE);
	return cdtext->count;
}

/* a pack with a good CRC: the first copy of its block and sequence number
 * is the one a reader keeps; a later copy that says something else is a
 * writer's fault, which the report names once (it recurs every cycle) */
static void
rb_vdrive_cdtext_keep(RbVdrive *self, gint32 lba, const guint8 *pack)
{
	RbVdriveCdText *cdtext;
	guint block = (pack[3] >> RB_CDTEXT_BLOCK_SHIFT) & RB_CDTEXT_BLOCK_MASK;
	guint slot = block * RB_VDRIVE_CDTEXT_SEQUENCES + pack[2];

	if (self->cdtext == NULL)
		self->cdtext = g_new0(RbVdriveCdText, 1);
	cdtext = self->cdtext;

	if (!cdtext->kept[slot]) {
		memcpy(cdtext->packs[slot], pack, RB_CDTEXT_PACK_SIZE);
		cdtext->kept[slot] = 1;
		cdtext->count++;
	} else if (!cdtext->conflict_noted &&
		   memcmp(cdtext->packs[slot], pack, RB_CDTEXT_PACK_SIZE) != 0) {
		cdtext->conflict_noted = TRUE;
		rb_vdrive_note_problem(
			self,
			lba,
			"cd-text",
			_("pack of block %u sequence %u differs from its earlier copy"),
			block,
			pack[2]);
	}
}

void
rb_vdrive_judge_cdtext(RbVdrive *self, gint32 lba, const guint8 *pw)
{
	guint8 any = 0;
	guint8 packs[RB_CDTEXT_PACK_SIZE * RB_CDTEXT_PACKS_PER_SECTOR];

	for (guint k = 0; k < RB_SUBCHANNEL_PW_SIZE; k++)
		any |= pw[k] & RB_PW_RW_MASK;
	if (any == 0)
		return; /* no CD-TEXT: R-W left blank */

	/* four 6-bit symbols make three bytes */
	for (guint i = 0; i < RB_SUBCHANNEL_PW_SIZE / 4; i++) {
		guint8 s0 = pw[4 * i] & RB_PW_RW_MASK;
		guint8 s1 = pw[4 * i + 1] & RB_PW_RW_MASK;
		guint8 s2 = pw[4 * i + 2] & RB_PW_RW_MASK;
		guint8 s3 = pw[4 * i + 3] & RB_PW_RW_MASK;

		packs[3 * i] = (guint8)((s0 << 2) | (s1 >> 4));
		packs[3 * i + 1] = (guint8)(((s1 & 0x0F) << 4) | (s2 >> 2));
		packs[3 * i + 2] = (guint8)(((s2 & 0x03) << 6) | s3);
	}
	for (guint n = 0; n < RB_CDTEXT_PACKS_PER_SECTOR; n++) {
		const guint8 *pack = packs + n * RB_CDTEXT_PACK_SIZE;
		guint16 expected = (guint16)~rb_cd_crc16(pack, RB_CDTEXT_PACK_DATA);
		guint16 stored =
			(guint16)((pack[RB_CDTEXT_PACK_DATA] << 8) | pack[RB_CDTEXT_PACK_DATA + 1]);

		self->report.cdtext_packs++;
		if (pack[0] < RB_CDTEXT_TYPE_FIRST || pack[0] > RB_CDTEXT_TYPE_LAST) {
			self->report.cdtext_crc_errors++;
			rb_vdrive_note_problem(self,
					       lba,
					       "cd-text",
					       _("pack %u type %02Xh, expected 80h-8Fh"),
					       n + 1,
					       pack[0]);
		} else if (stored != expected) {
			self->report.cdtext_crc_errors++;
			rb_vdrive_note_problem(self,
					       lba,
					       "cd-text",
					       _("pack %u CRC %04X, expected %04X"),
					       n + 1,
					       stored,
					       expected);
		} else {
			rb_vdrive_cdtext_keep(self, lba, pack);
		}
	}
}
