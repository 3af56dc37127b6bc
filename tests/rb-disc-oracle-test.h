/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the image tests read off a burned disc, to compare rawburn's stream
 * with cdrdao's disc beyond the main channel and the position frames: the
 * MCN and ISRC a disc's Q carries (Q modes 2 and 3), and the CD-TEXT packs
 * its lead-in's R-W repeat. Both sides are given as rawburn-vdrive-run
 * --export writes a disc: 2352 + 96 bytes per sector from a first LBA.
 */
#pragma once

#include <glib.h>

#include "rb-cdtext.h"

G_BEGIN_DECLS

#define RB_DISC_ORACLE_MAX_TRACKS 99

typedef struct {
	/* the MCN of the Q mode 2 frames, "" when none; all must agree */
	gchar mcn[14];
	guint n_mcn;
	/* per track number, the ISRC of the mode 3 frames in that track
	 * (its pregap included), "" when none; all of a track must agree */
	gchar isrc[RB_DISC_ORACLE_MAX_TRACKS + 1][13];
	guint n_isrc;
} RbDiscOracleCodes;

/* the Q of sector @lba of @disc, which starts at LBA @first */
void rb_disc_oracle_q(GBytes *disc, gint32 first, gint32 lba, guint8 q[12]);
/*
 * The MCN and ISRCs of @disc's Q frames from LBA -150 to its end: each
 * frame's CRC checked, every value decoded (MCN: 13 BCD digits; ISRC: five
 * 6-bit characters, then seven BCD digits: Red Book, mmc-notes §5); a
 * frame that disagrees with an earlier one of its kind fails the test.
 */
void rb_disc_oracle_codes(GBytes *disc, gint32 first, RbDiscOracleCodes *codes);
/*
 * The CD-TEXT packs @disc's lead-in (@first up to LBA -151) carries in its
 * R-W: four 18-byte packs per sector, each 24 six-bit symbols in the low 6
 * bits of the P-W bytes, three bytes to four symbols (mmc-notes §8.1); the
 * packs with a CD-TEXT type and a good CRC, each block and sequence number
 * once (the first copy), in the order of block and sequence number: what
 * READ TOC format 0101b gives back. A copy that differs fails the test.
 */
GBytes *rb_disc_oracle_leadin_packs(GBytes *disc, gint32 first);

/* the LBA after @disc's last sector, @disc starting at LBA @first */
gint32 rb_disc_oracle_end(GBytes *disc, gint32 first);
/* the main channel (2352 bytes) of sector @lba of @disc */
const guint8 *rb_disc_oracle_main(GBytes *disc, gint32 first, gint32 lba);

typedef enum {
	/* one side's frame is not a position frame (ADR 1): not compared */
	RB_DISC_ORACLE_Q_CODE,
	RB_DISC_ORACLE_Q_EQUAL,
	RB_DISC_ORACLE_Q_DIFFER,
} RbDiscOracleQ;

/*
 * The Q of sector @lba on both discs (into @ours_q and @theirs_q), compared
 * where both are position frames: MCN and ISRC frames are placed
 * differently by design (cdrdao where LBA % 90 is 0 or 50, the core at its
 * own frames; test-image-oracle.c explains it), their values are
 * rb_disc_oracle_assert_codes()'. From @leadout on, cdrdao's CTL has the
 * last track's data bit alone, the core the whole CTL: where that is the
 * only difference, ours is compared with its CTL so reduced (CRC again).
 */
RbDiscOracleQ rb_disc_oracle_compare_q(GBytes *ours,
				       gint32 our_first,
				       GBytes *theirs,
				       gint32 their_first,
				       gint32 lba,
				       gint32 leadout,
				       guint8 ours_q[12],
				       guint8 theirs_q[12]);
/*
 * Both discs' MCN must be @mcn ("": none), carried by MCN frames exactly
 * when there is one, and each track's ISRC @isrc[its number] (NULL: none;
 * RB_DISC_ORACLE_MAX_TRACKS + 1 entries); @what names the disc in messages.
 */
void rb_disc_oracle_assert_codes(GBytes *ours,
				 gint32 our_first,
				 GBytes *theirs,
				 gint32 their_first,
				 const gchar *mcn,
				 const gchar *const *isrc,
				 const gchar *what);
/* @packs decoded (rb_disc_oracle_leadin_packs()), failing the test on error */
RbCdText *rb_disc_oracle_decode_text(GBytes *packs);

G_END_DECLS
