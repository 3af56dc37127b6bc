/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The emulated drive's state, shared by the files that implement its
 * command groups. Every function here is called with the drive's mutex held.
 */
#pragma once

#include "rb-subchannel.h"
#include "rb-vdrive.h"

G_BEGIN_DECLS

/* the raw sector as the drive keeps it: main channel + 96 bytes raw P-W */
#define RB_VDRIVE_MAIN_SIZE 2352
#define RB_VDRIVE_STORED_SIZE 2448
/* sectors of 2368 bytes the drive turns into stored ones per write to the
 * backing file: the 27 of cdrdao's and wodim's 64 KiB WRITEs, and more */
#define RB_VDRIVE_STORE_BLOCKS 32
/* 2 MiB, a typical recorder buffer */
#define RB_VDRIVE_BUFFER_SIZE (2 * 1024 * 1024)
/* a WRITE that finds the buffer full waits until this much more is free:
 * four 64 KiB WRITEs */
#define RB_VDRIVE_HOLD_SLACK (256 * 1024)
#define RB_VDRIVE_PAGE_05_LEN 0x32
#define RB_VDRIVE_PAGE_2A_LEN 0x2A
#define RB_VDRIVE_LEADOUT_SECTORS 6750
/* track 1's pregap: the lead-in ends here */
#define RB_VDRIVE_PREGAP_START (-RB_CD_MSF_OFFSET)

typedef enum {
	RB_VDRIVE_DISC_BLANK = 0,
	RB_VDRIVE_DISC_INCOMPLETE = 1,
	RB_VDRIVE_DISC_COMPLETE = 2,
} RbVdriveDiscStatus;

/* one entry of the lead-in TOC, as read back from the written Q channel */
typedef struct {
	guint8 point;
	guint8 ctl;
	gint32 p_lba; /* PMIN:PSEC:PFRAME as an LBA; for A0/A1 PMIN is a track number */
	gint32 lba;   /* where the entry was first read, for the report's problems */
	guint8 pmin;
	guint8 psec;
	guint8 pframe;
} RbVdriveTocEntry;

/* where the last Q position frame put the reading head */
typedef enum {
	RB_VDRIVE_AREA_NONE,    /* nothing read yet after the lead-in */
	RB_VDRIVE_AREA_PAUSE,   /* index 0 of a track */
	RB_VDRIVE_AREA_TRACK,   /* index 1 and up */
	RB_VDRIVE_AREA_LEADOUT, /* TNO AA */
} RbVdriveArea;

/* Q payload of a MCN or ISRC frame: bytes 1-8, without the AFRAME */
#define RB_VDRIVE_CODE_SIZE 8

/*
 * The judge's running state (rb-vdrive-judge-q.c, rb-vdrive-judge-pw.c):
 * a few values per sector, so that memory stays constant however long the
 * disc. G_MININT32 marks an LBA not seen yet.
 */
typedef struct {
	/* position, from the last Q mode 1 frame after the lead-in */
	RbVdriveArea area;
	guint tno; /* 1..99, or 100 for the lead-out (AA), so that order compares */
	guint index;
	gint32 idx1_start; /* index 1 of the current track */
	gboolean pending;  /* a frame broke the sequence: adopted if the next agrees */
	guint pending_tno;
	guint pending_index;
	gint32 pause_lba; /* the last pause frame whose relative time was right … */
	gint32 pause_rel; /* … and that time, in frames */
	/* Q modes 2 and 3 */
	gint32 first_idx1;       /* index 1 of the first track: the MCN rate counts from here */
	gint32 non_position_lba; /* the last frame of a Q mode other than 1 */
	gint32 mcn_lba;
	gboolean mcn_valid;
	guint8 mcn[RB_VDRIVE_CODE_SIZE];
	gint32 isrc_lba;
	gboolean track_has_isrc;   /* an ISRC frame inside the current track's index 1 up */
	gboolean track_isrc_valid; /* the current track's code, from its index 1 up */
	guint8 track_isrc[RB_VDRIVE_CODE_SIZE];
	gboolean prev_isrc_valid; /* the previous track's, which a pause may still carry */
	guint8 prev_isrc[RB_VDRIVE_CODE_SIZE];
	gboolean pause_isrc_valid; /* a pause's other code, which must be the next track's */
	guint8 pause_isrc[RB_VDRIVE_CODE_SIZE];
	/* P */
	gboolean p_leadin_run;         /* inside a run of P = 1 in the lead-in */
	gboolean p_pause_run;          /* inside a run of P = 0 in a pause */
	gint32 p_track_run;            /* start of a run of P = 1 that began inside a track */
	gboolean p_track_run_at_start; /* … at the track's first index 1 sector */
	gboolean p_leadout_value;
	gint32 p_leadout_run; /* start of the lead-out's current run of equal P */
	gboolean p_leadout_flagged;
} RbVdriveJudge;

/*
 * The CD-TEXT a reading drive gives back (READ TOC/PMA/ATIP format 5): the
 * lead-in repeats the pack set cyclically, and the drive keeps one copy of
 * each good pack, found by its block (byte 3 bits 6-4, 0-7) and sequence
 * number (byte 2, counted from 0 in each block: cdrdao CdTextEncoder
 * buildPacks() resets it per block, and the size-information packs give a
 * last sequence number per block). At most 8 blocks of 256 packs.
 */
#define RB_VDRIVE_CDTEXT_PACK_SIZE 18
#define RB_VDRIVE_CDTEXT_BLOCKS 8
#define RB_VDRIVE_CDTEXT_SEQUENCES 256
#define RB_VDRIVE_CDTEXT_SLOTS (RB_VDRIVE_CDTEXT_BLOCKS * RB_VDRIVE_CDTEXT_SEQUENCES)

typedef struct {
	guint8 packs[RB_VDRIVE_CDTEXT_SLOTS][RB_VDRIVE_CDTEXT_PACK_SIZE];
	guint8 kept[RB_VDRIVE_CDTEXT_SLOTS]; /* 1 where packs[] holds a pack */
	guint count;
	gboolean conflict_noted; /* a pack contradicted its earlier copy */
} RbVdriveCdText;

typedef struct {
	/* ATIP of the medium */
	gint32 leadin_start;
	gint32 last_leadout_start;
	gboolean rewritable;
	guint16 profile;
} RbVdriveMediaInfo;

struct _RbVdrive {
	GObject parent_instance;
	GMutex mutex;

	RbVirtualSpec *spec;
	RbVirtualMedia media;
	RbVdriveMediaInfo info;
	gboolean tray_open;
	/* what the host sent, by opcode: tests assert the commands a drive heard */
	guint command_counts[256];
	gboolean prevent_removal;
	gboolean unit_attention; /* 06/28/00 once after a medium change */

	/* mode page 05h, current values, without the 2-byte page header */
	guint8 page05[RB_VDRIVE_PAGE_05_LEN + 2];
	gboolean write_params_set; /* a MODE SELECT of page 05h happened */
	guint write_speed_kbs;
	gboolean pure_cav;

	/* the disc */
	RbVdriveDiscStatus disc_status;
	gint fd; /* backing file, one RB_VDRIVE_STORED_SIZE block per LBA from leadin_start */
	gboolean recording;
	gint32 next_lba;
	gint32 recording_data_block_type;
	gboolean recording_test_write;
	gboolean recording_failed; /* an underrun or write error ruined it */
	guint finishing_ms;        /* FinishingMilliseconds */
	gint64 finishing_start_us; /* a long operation runs from here … */
	gint64 finishing_end_us;   /* … to here (monotonic); TUR answers "not ready" */
	guint8 finishing_ascq;     /* 04/08 long write (flushing) or 04/07 (blanking) */
	gint32 leadout_start;      /* first sector with TNO AA, G_MININT32 if none */
	GArray *toc;               /* RbVdriveTocEntry, from the lead-in */
	GArray *track_starts;      /* gint32 per track number - 1, from the program area */
	GArray *track_ctl;         /* guint8 */
	gint32 last_read_lba;      /* where the head is: READ SUB-CHANNEL's position */
	guint8 run_point;          /* the lead-in TOC run being read */
	guint run_length;
	gboolean run_started; /* FALSE for the first run, which trimming may cut */
	RbVdriveJudge judge;
	RbVdriveCdText *cdtext; /* the lead-in's CD-TEXT, as a reader keeps it; NULL: none */
	RbVdriveReport report;

	/* real-time model of the drive buffer */
	gint64 buffer_time_us;
	gdouble buffer_bytes;

	gboolean buffer_dry; /* ran dry since the last WRITE: the next one counts it */

	/* RB_VDRIVE_STORE_BLOCKS stored sectors, allocated once: the P-W the
	 * drive builds in 16-byte mode, or a sector a fault alters */
	guint8 *store_buffer;

	RbVdriveFaults faults;
	guint not_ready_left;
};

static inline guint32
rb_vdrive_get_be32(const guint8 *p)
{
	return ((guint32)p[0] << 24) | ((guint32)p[1] << 16) | ((guint32)p[2] << 8) | p[3];
}

static inline guint16
rb_vdrive_get_be16(const guint8 *p)
{
	return (guint16)((p[0] << 8) | p[1]);
}

static inline void
rb_vdrive_put_be32(guint8 *p, guint32 value)
{
	p[0] = (guint8)(value >> 24);
	p[1] = (guint8)(value >> 16);
	p[2] = (guint8)(value >> 8);
	p[3] = (guint8)value;
}

static inline void
rb_vdrive_put_be16(guint8 *p, guint16 value)
{
	p[0] = (guint8)(value >> 8);
	p[1] = (guint8)value;
}

void rb_vdrive_set_sense(RbMmcResult *result, guint8 key, guint8 asc, guint8 ascq);
void rb_vdrive_set_sense_information(RbMmcResult *result, gint32 information);
gboolean rb_vdrive_check_ready(RbVdrive *self, RbMmcResult *result);
void
rb_vdrive_start_long_operation(RbVdrive *self, guint duration_ms, guint8 ascq, gboolean immediate);
gboolean rb_vdrive_long_operation_running(RbVdrive *self);
void rb_vdrive_reply(RbMmcResult *result,
		     guint8 *buffer,
		     gsize buffer_len,
		     gsize allocation_length,
		     const guint8 *data,
		     gsize data_len);

/* rb-vdrive-media.c */
gboolean rb_vdrive_media_info_for(RbVirtualMedia media, RbVdriveMediaInfo *info);
void rb_vdrive_media_reset(RbVdrive *self);

/* rb-vdrive-identity.c: INQUIRY, GET CONFIGURATION, mode pages, performance */
void rb_vdrive_cmd_inquiry(
	RbVdrive *self, const guint8 *cdb, guint8 *buf, gsize len, RbMmcResult *result);
void rb_vdrive_cmd_get_configuration(
	RbVdrive *self, const guint8 *cdb, guint8 *buf, gsize len, RbMmcResult *result);
void rb_vdrive_cmd_mode_sense(
	RbVdrive *self, const guint8 *cdb, guint8 *buf, gsize len, RbMmcResult *result);
void rb_vdrive_cmd_mode_select(
	RbVdrive *self, const guint8 *cdb, const guint8 *buf, gsize len, RbMmcResult *result);
void rb_vdrive_cmd_get_performance(
	RbVdrive *self, const guint8 *cdb, guint8 *buf, gsize len, RbMmcResult *result);
void rb_vdrive_cmd_set_cd_speed(RbVdrive *self, const guint8 *cdb, RbMmcResult *result);
void rb_vdrive_reset_write_parameters(RbVdrive *self);

/* rb-vdrive-disc.c: READ DISC/TRACK INFORMATION, READ TOC/PMA/ATIP, READ CD */
void rb_vdrive_cmd_read_disc_information(
	RbVdrive *self, const guint8 *cdb, guint8 *buf, gsize len, RbMmcResult *result);
void rb_vdrive_cmd_read_track_information(
	RbVdrive *self, const guint8 *cdb, guint8 *buf, gsize len, RbMmcResult *result);
void rb_vdrive_cmd_read_toc(
	RbVdrive *self, const guint8 *cdb, guint8 *buf, gsize len, RbMmcResult *result);
void rb_vdrive_cmd_read_cd(
	RbVdrive *self, const guint8 *cdb, guint8 *buf, gsize len, RbMmcResult *result);
gboolean rb_vdrive_read_stored(RbVdrive *self, gint32 lba, guint8 *out);
/* a stored sector (main channel + raw P-W) of a data track, which the drive
 * descrambles when reading */
gboolean rb_vdrive_stored_is_data(const guint8 *stored);

/* rb-vdrive-read.c: READ CAPACITY, READ(10), READ SUB-CHANNEL, REZERO UNIT */
void rb_vdrive_cmd_rezero_unit(RbVdrive *self, RbMmcResult *result);
void rb_vdrive_cmd_read_capacity(
	RbVdrive *self, const guint8 *cdb, guint8 *buf, gsize len, RbMmcResult *result);
void rb_vdrive_cmd_read_10(
	RbVdrive *self, const guint8 *cdb, guint8 *buf, gsize len, RbMmcResult *result);
void rb_vdrive_cmd_read_subchannel(
	RbVdrive *self, const guint8 *cdb, guint8 *buf, gsize len, RbMmcResult *result);

/* rb-vdrive-recorder.c: WRITE(10), SYNCHRONIZE CACHE, buffer, BLANK */
void rb_vdrive_cmd_write(
	RbVdrive *self, const guint8 *cdb, const guint8 *buf, gsize len, RbMmcResult *result);
void rb_vdrive_cmd_synchronize_cache(RbVdrive *self, const guint8 *cdb, RbMmcResult *result);
void rb_vdrive_cmd_read_buffer_capacity(
	RbVdrive *self, const guint8 *cdb, guint8 *buf, gsize len, RbMmcResult *result);
void rb_vdrive_cmd_blank(RbVdrive *self, const guint8 *cdb, RbMmcResult *result);
void rb_vdrive_recording_clear(RbVdrive *self);

/* rb-vdrive-store.c: a WRITE's sectors, judged and kept in the backing file */
gboolean rb_vdrive_store_write(RbVdrive *self, gint32 lba, const guint8 *buf, guint blocks);
/* keeps one stored-format sector (main + raw P-W) in the backing file */
gboolean rb_vdrive_store_sector(RbVdrive *self, gint32 lba, const guint8 *block);

/* rb-vdrive-checker.c: what a reader would see of each written sector */
void rb_vdrive_check_sector(RbVdrive *self, gint32 lba, const guint8 *stored);
void rb_vdrive_check_finish(RbVdrive *self);
void rb_vdrive_note_problem(RbVdrive *self, gint32 lba, const gchar *kind, const gchar *format, ...)
	G_GNUC_PRINTF(4, 5);

/* rb-vdrive-judge-q.c: relative time, TNO/index sequence, MCN and ISRC */
void rb_vdrive_judge_reset(RbVdrive *self);
void rb_vdrive_judge_position(RbVdrive *self, gint32 lba, const RbSubQ *subq);
void rb_vdrive_judge_other_q(RbVdrive *self, gint32 lba, const guint8 *q);

/* rb-vdrive-judge-pw.c: the P flag and lead-in CD-TEXT */
void rb_vdrive_judge_p(RbVdrive *self, gint32 lba, const guint8 *pw);
void rb_vdrive_judge_cdtext(RbVdrive *self, gint32 lba, const guint8 *pw);
/* forgets the kept CD-TEXT, with the rest of the judge's state */
void rb_vdrive_cdtext_clear(RbVdrive *self);
/* appends the kept packs in block and sequence order; returns how many */
guint rb_vdrive_cdtext_append(RbVdrive *self, GByteArray *out);

G_END_DECLS
