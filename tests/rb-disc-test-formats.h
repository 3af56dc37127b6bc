/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by the NRG, CloneCD and burn tests: Nero NRG images written chunk
 * by chunk, CloneCD sets (.ccd, .img, .sub) with a known sub-channel, what
 * their sectors are on the disc, and a burned disc of audio and data
 * tracks read back under the emulated drive.
 */
#pragma once

#include <glib.h>

#include "rb-image.h"

G_BEGIN_DECLS

/* ---- NRG ---- */

typedef struct {
	guint8 mode; /* the DAO mode code */
	guint16 size;
	guint32 pregap; /* index 0 sectors in the file */
	guint32 n_sectors;
	const gchar *isrc;
	guint8 ctl;
	guint32 index2; /* 0 = none, else offset from index 1 */
} RbDiscTestNrgTrack;

typedef struct {
	gboolean v2;
	const RbDiscTestNrgTrack *tracks;
	guint n_tracks;
	const gchar *mcn;
	/* CDTX: disc "Chunky Disc" by "The Nero", track N "Song N" by "Singer N" */
	gboolean cdtext;
	/* damage: */
	guint8 bad_mode;     /* track 2's mode code replaced */
	gboolean bad_offset; /* the last track's end offset past the data */
	gboolean cut_cue;    /* the cue chunk's length past the footer */
	/* hostile cue sheet entries (damaged_at: the entry the reader must
	 * stop at): */
	guint drop_index1;     /* > 0: this track's index 1 entry left out */
	guint hostile_track;   /* > 0: this track's index 0 entry at: */
	gint32 hostile_index0; /* any LBA, written as the signed 32 bits of CUEX */
	/* set by the writer: */
	guint64 damaged_at;  /* the byte offset the damage is at */
	guint64 data_length; /* bytes of sector data */
	guint64 offsets[8][3];
} RbDiscTestNrg;

/*
 * Sector @lba of a track of DAO mode @mode as the disc has it: audio
 * samples, or a data sector not scrambled (Mode 2 2336: Form 1 on even
 * LBAs, Form 2 on odd ones, each with a sub-header of its form). An NRG
 * track of sector size 2352 holds all of it, of 2048 or 2336 the bytes
 * from 16 on (Mode 1 user data; a Mode 2 sector after its header).
 */
void rb_disc_test_nrg_sector(guint8 mode, gint32 lba, guint8 out[2352]);
/* @dir/@name, an NRG as @w says; fills @w's "set by the writer" fields */
gchar *rb_disc_test_write_nrg(const gchar *dir, const gchar *name, RbDiscTestNrg *w);

/* ---- CloneCD ---- */

/* a Mode 1 data track, then an audio track with a pregap and an ISRC */
#define RB_DISC_TEST_CCD_T1_SECTORS 300
#define RB_DISC_TEST_CCD_T2_PREGAP 150
#define RB_DISC_TEST_CCD_T2_SECTORS 400
#define RB_DISC_TEST_CCD_LEADOUT                                                                   \
	(RB_DISC_TEST_CCD_T1_SECTORS + RB_DISC_TEST_CCD_T2_PREGAP + RB_DISC_TEST_CCD_T2_SECTORS)
#define RB_DISC_TEST_CCD_ISRC "USRC17607839"
#define RB_DISC_TEST_CCD_MCN "0724349876545"

typedef struct {
	gchar *dir;
	gchar *ccd;
	gchar *img;
	gchar *sub;
	guint8 *symbols; /* the .sub as P-W symbols, 96 per sector (damage included) */
} RbDiscTestCcd;

typedef struct {
	guint sessions;
	gint32 bad_q_lba; /* >= 0: this sector's Q says another index */
	/* > 0: this sector's Q has a wrong CRC (a read error of the disc) */
	gint32 bad_crc_lba;
	/* > 0: this sector's Q has ADR 0 and a good CRC */
	gint32 bad_adr_lba;
	/* > 0: this sector's Q has a relative minute that is no BCD, a good CRC */
	gint32 bad_field_lba;
	gboolean short_sub;
	gboolean no_img;
} RbDiscTestCcdOptions;

/*
 * A set in a new folder: the .sub's P-Q the disc's own (from a layout built
 * independently with the image core), its R-W a pattern; [CDText] with the
 * disc "Clone Disc" by "Clone Artist", track 1 "Clone Data" by "Data
 * Artist", track 2 "Clone Song" by "Song Artist".
 */
RbDiscTestCcd *rb_disc_test_ccd_new(const RbDiscTestCcdOptions *options);
void rb_disc_test_ccd_free(RbDiscTestCcd *set);
/* the .img's sector @lba: as READ CD returns it (data not scrambled) */
void rb_disc_test_ccd_sector(gint32 lba, guint8 out[2352]);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RbDiscTestCcd, rb_disc_test_ccd_free)

/* ---- a burned disc of audio and data tracks ---- */

typedef struct {
	guint n_tracks;
	gint32 starts[3];
	/* cd-info's name of each track's format: "audio", "data" (Mode 2 too) */
	const gchar *formats[3];
	gint32 leadout;
	/* CD-TEXT block 0: [0] the disc, [1…] the tracks */
	const gchar *titles[3];
	const gchar *performers[3];
	/* the sectors cd-read reads as audio */
	gint32 audio_start;
	guint32 audio_sectors;
} RbDiscTestDisc;

/*
 * cd-info's TOC and CD-TEXT of the exported @disc under the emulated drive
 * (working files in @dir) against @expected; returns cd-read's audio of
 * @expected's audio sectors.
 */
GBytes *
rb_disc_test_read_back_disc(const gchar *dir, const gchar *disc, const RbDiscTestDisc *expected);
/* the 2352 + 96 bytes the exported @disc holds for @lba, the main channel
 * not scrambled (as READ CD gives it) */
void rb_disc_test_export_sector(GBytes *disc, gint32 lba, guint8 out[2448]);

G_END_DECLS
