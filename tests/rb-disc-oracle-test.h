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

/*
 * MCN and ISRC frames: cdrdao puts one of each in every 90 frames, where
 * LBA % 90 is 0 (MCN) and 50 (ISRC), PQChannelEncoder.cc; the core at
 * frames 10 and 55 of each 90 from 00:00:00, one moving on by a few frames
 * where it would fall on a part's first or last sector (rb-image-subq.c).
 * So either writer's share of a disc's Q is 2/90 (2.2 %) at most.
 */
#define RB_DISC_ORACLE_CODE_PERIOD 90
#define RB_DISC_ORACLE_CODES_PER_PERIOD 2

/* each side's MCN and ISRC frames, counted by rb_disc_oracle_compare_q() */
typedef struct {
	guint ours;
	guint theirs;
} RbDiscOracleCodeFrames;

typedef enum {
	/* one side's frame is an MCN or ISRC frame (ADR 2, 3): not compared */
	RB_DISC_ORACLE_Q_CODE,
	RB_DISC_ORACLE_Q_EQUAL,
	RB_DISC_ORACLE_Q_DIFFER,
} RbDiscOracleQ;

/*
 * The Q of sector @lba on both discs (into @ours_q and @theirs_q), compared
 * where both are position frames. Each frame's CRC must be good and its
 * ADR 1, 2 or 3, else the test fails; the MCN and ISRC frames are counted
 * in @codes (rb_disc_oracle_assert_code_frames() caps them) and not
 * compared, as they are placed
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
				       RbDiscOracleCodeFrames *codes,
				       guint8 ours_q[12],
				       guint8 theirs_q[12]);
/* @codes, of @n_frames compared by LBA, within what the writers place
 * (RB_DISC_ORACLE_CODE_PERIOD): more would let broken Q frames pass as
 * codes; @what names the disc */
void rb_disc_oracle_assert_code_frames(const RbDiscOracleCodeFrames *codes,
				       guint n_frames,
				       const gchar *what);
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
