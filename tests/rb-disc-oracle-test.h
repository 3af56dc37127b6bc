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

G_END_DECLS
