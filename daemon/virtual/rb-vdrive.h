/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An emulated MMC CD-R/RW recorder: CDB in, status, sense and data out. It
 * knows nothing of how commands reach it (a function call from the daemon,
 * or umockdev's SG_IO handler in tests).
 */
#pragma once

#include <gio/gio.h>

#include "rb-mmc-types.h"
#include "rb-virtual-spec.h"

G_BEGIN_DECLS

#define RB_TYPE_VDRIVE (rb_vdrive_get_type())
G_DECLARE_FINAL_TYPE(RbVdrive, rb_vdrive, RB, VDRIVE, GObject)

/* the kinds of P channel findings (the rule each checks: rb-vdrive-judge-pw.c) */
typedef enum {
	RB_VDRIVE_P_MIXED,   /* a sector's 96 P bits are not all equal */
	RB_VDRIVE_P_LEADIN,  /* P = 1 in the lead-in */
	RB_VDRIVE_P_PAUSE,   /* P = 0 in a pause (index 0) */
	RB_VDRIVE_P_TRACK,   /* P = 1 inside a track, away from its ends */
	RB_VDRIVE_P_LEADOUT, /* the lead-out's P does not alternate */
	RB_VDRIVE_P_KINDS,
} RbVdrivePKind;

/* the first findings, in LBA order; kind is a static string such as
 * "q-crc" or "relative-time", detail says what was found and expected */
#define RB_VDRIVE_MAX_PROBLEMS 16
typedef struct {
	gint32 lba;
	const gchar *kind;
	gchar detail[96];
} RbVdriveProblem;

/* the BLANK that left the disc blank, if one did */
typedef enum {
	RB_VDRIVE_BLANK_NONE,
	RB_VDRIVE_BLANK_MINIMAL,
	RB_VDRIVE_BLANK_FULL,
} RbVdriveBlank;

/* what a reader of the recorded disc would see, for tests and D-Bus */
typedef struct {
	guint64 sectors_written;
	guint64 leadin_sectors;
	guint64 program_sectors;
	guint64 leadout_sectors;
	guint64 bad_q_crc;          /* Q CRC wrong */
	guint64 address_mismatches; /* Q absolute time != LBA + 150, or bad Q for the area */
	guint64 toc_mismatches;     /* lead-in TOC entries that disagree with the program area */
	guint toc_entries;          /* distinct lead-in TOC points seen */
	guint toc_short_runs;       /* TOC entries not repeated in runs of 3 */
	guint tracks;
	gint32 first_lba;
	gint32 leadout_start;
	gboolean complete;
	/* the recording was a test write (page 05h's Test Write bit): every
	 * sector was checked as sent, nothing reached the disc, which stayed
	 * blank */
	gboolean test_write;
	/* real time: how often the buffer ran dry after the first sector,
	 * with BUFE (which survives it) or without (which fails the WRITE) */
	guint underruns;
	guint64 plain_q_crc; /* 16-byte mode: Q CRCs that came non-inverted (regenerated) */
	guint relative_time_mismatches; /* Q bytes 3-5 not counting as the position asks */
	guint sequence_errors;          /* TNO or index going backwards or skipping */
	guint p_channel_mismatches;     /* the sum of p_by_kind */
	guint p_by_kind[RB_VDRIVE_P_KINDS];
	guint mcn_isrc_frames; /* ADR 2 and 3 frames seen */
	guint mcn_isrc_errors; /* of those: bad format, wrong place, or too rare */
	guint cdtext_packs;    /* CD-TEXT packs in R-W of the lead-in */
	guint cdtext_crc_errors;
	guint n_problems;
	RbVdriveProblem problems[RB_VDRIVE_MAX_PROBLEMS];
	RbVdriveBlank last_blank; /* until the next recording */
} RbVdriveReport;

/* LBAs are negative in the lead-in, so "off" is this value (0 for counts) */
#define RB_VDRIVE_FAULT_OFF G_MININT32

typedef struct {
	gint32 write_error_at_lba;  /* WRITE covering it: 03/0C/00 */
	gint32 not_ready_after_lba; /* then not_ready_count WRITEs answer 02/04/08 */
	guint not_ready_count;
	gint32 remove_media_at_lba;  /* the medium vanishes when this LBA is written */
	gint32 timeout_at_lba;       /* the WRITE covering it never completes */
	gint32 corrupt_at_lba;       /* once recorded, a byte of its main channel flips */
	gint32 bad_q_crc_at_lba;     /* once recorded, its Q's CRC is broken */
	gint32 unreadable_at_lba;    /* READ CD covering it: 03/11/00 naming it */
	gboolean refuse_pregap_read; /* READ CD below LBA 0: 03/02/00 */
	gboolean stale_toc;          /* READ TOC answers as for the blank disc */
	guint long_write_ms;         /* finishing takes this much longer */
} RbVdriveFaults;

/* FinishingMilliseconds of a real-time drive by default (the API's 2 s: a
 * drive settling after its last sector); a drive busy longer writing out
 * its buffer takes that long. A fast drive finishes at once */
#define RB_VDRIVE_FINISHING_MS_REALTIME 2000
/* the most a client may ask for: longer than any real drive's flush */
#define RB_VDRIVE_FINISHING_MS_MAX 600000

RbVdrive *rb_vdrive_new(const RbVirtualSpec *spec);

/* thread-safe: one command at a time, from any thread. A data-in command
 * fills @buffer and sets result->residual to what it did not fill. Returns
 * FALSE when the command never completes (an injected timeout): the
 * transport then reports its own time-out. */
gboolean rb_vdrive_execute(RbVdrive *self,
			   const guint8 *cdb,
			   gsize cdb_len,
			   RbMmcDirection direction,
			   guint8 *buffer,
			   gsize buffer_len,
			   RbMmcResult *result);

gboolean rb_vdrive_insert_media(RbVdrive *self, RbVirtualMedia media, GError **error);
gboolean rb_vdrive_remove_media(RbVdrive *self, GError **error);
RbVirtualMedia rb_vdrive_get_media(RbVdrive *self);
void rb_vdrive_get_report(RbVdrive *self, RbVdriveReport *report);
void rb_vdrive_set_faults(RbVdrive *self, const RbVdriveFaults *faults);
void rb_vdrive_faults_init(RbVdriveFaults *faults);
gint32 rb_vdrive_get_leadin_start(RbVdrive *self);
gint32 rb_vdrive_get_last_leadout_start(RbVdrive *self);
gboolean rb_vdrive_export_image(RbVdrive *self, gint fd, GError **error);
/* inserts a written disc: @fd holds one 2448-byte sector (main channel +
 * raw P-W) per LBA from @first_lba (RB_VDRIVE_FAULT_OFF: the medium's
 * lead-in start), as rb_vdrive_export_image() writes it */
gboolean rb_vdrive_load_disc(
	RbVdrive *self, gint fd, RbVirtualMedia media, gint32 first_lba, GError **error);
/* a copy of the image in @fd in a private unlinked file, positioned at its
 * start, for rb_vdrive_load_disc(); -1 with @error when the input stalls
 * (30 s without data), fails or is longer than any CD */
gint rb_vdrive_load_spool(gint fd, GError **error);
/* how much longer than writing out its buffer the drive stays "long write
 * in progress" after SYNCHRONIZE CACHE */
void rb_vdrive_set_finishing_ms(RbVdrive *self, guint finishing_ms);
guint rb_vdrive_get_finishing_ms(RbVdrive *self);
const gchar *rb_vdrive_p_kind_to_string(RbVdrivePKind kind);
guint rb_vdrive_get_command_count(RbVdrive *self, guint8 opcode);
gboolean rb_vdrive_get_prevent_removal(RbVdrive *self);

G_END_DECLS
