/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The CUE reader's sheet as its own scanner reads it (rb-disc-cue-scan.c,
 * rb-disc-cue-track.c), shared with the second reading by libcdio that
 * must agree with it (rb-disc-cue-cdio.c) and with the builders of the
 * image (rb-disc-cue-build.c, rb-disc-cue-text.c); rb-disc-cue.c runs them.
 */
#pragma once

#include "rb-disc-image-private.h"

G_BEGIN_DECLS

#define RB_CUE_FRAMES_PER_SECOND 75
/* a CDTEXTFILE holds at most 8 blocks of 256 packs, maybe after READ TOC's
 * 4-byte header, maybe with a NUL after them (rb_cdtext_decode()) */
#define RB_CUE_CDT_MAX_SIZE (8 * 256 * RB_CDTEXT_PACK_SIZE + 4 + 1)

typedef enum {
	RB_CUE_FILE_BINARY,   /* little-endian samples, or sectors */
	RB_CUE_FILE_MOTOROLA, /* big-endian samples */
	RB_CUE_FILE_WAVE,
} RbCueFileType;

typedef struct {
	gchar *path; /* resolved */
	RbCueFileType type;
	guint line;
	guint64 offset; /* where its sectors start: 0, or a WAV's data chunk */
	guint64 length; /* the bytes of sectors it has */
} RbCueFile;

typedef enum {
	RB_CUE_MODE_AUDIO,
	RB_CUE_MODE_MODE1_2048,
	RB_CUE_MODE_MODE1_2352,
	RB_CUE_MODE_MODE2_2048,
	RB_CUE_MODE_MODE2_2336,
	RB_CUE_MODE_MODE2_2352,
} RbCueMode;

/* a place in the sheet's files: frame @frame of file @file */
typedef struct {
	guint file;
	guint32 frame;
	guint line;
} RbCuePoint;

/* the CD-TEXT keywords of a sheet, in this order */
typedef enum {
	RB_CUE_TEXT_TITLE,
	RB_CUE_TEXT_PERFORMER,
	RB_CUE_TEXT_SONGWRITER,
	RB_CUE_TEXT_COMPOSER,
	RB_CUE_TEXT_ARRANGER,
	RB_CUE_TEXT_MESSAGE,
	RB_CUE_TEXT_DISC_ID,
	RB_CUE_TEXT_GENRE,
	RB_CUE_TEXT_UPC_EAN,
	RB_CUE_N_TEXT,
} RbCueText;

typedef struct {
	guint number;
	guint line;
	RbCueMode mode;
	gboolean has_index0;
	RbCuePoint index0;
	guint n_indexes; /* index 1 on */
	RbCuePoint indexes[RB_IMAGE_MAX_INDEXES];
	guint32 pregap;  /* PREGAP: generated */
	guint32 postgap; /* POSTGAP: generated */
	gboolean copy_permitted;
	gboolean preemphasis;
	gboolean scms;
	gchar isrc[RB_IMAGE_ISRC_LENGTH + 1];
	gchar *text[RB_CUE_N_TEXT]; /* the sheet's bytes */
	guint text_line[RB_CUE_N_TEXT];
} RbCueTrack;

typedef struct {
	const gchar *path;
	GPtrArray *files; /* of RbCueFile */
	RbCueTrack tracks[RB_IMAGE_MAX_TRACKS];
	guint n_tracks;
	gchar mcn[RB_IMAGE_MCN_LENGTH + 1];
	guint mcn_line;
	gchar *text[RB_CUE_N_TEXT];
	guint text_line[RB_CUE_N_TEXT];
	gchar *cdtextfile; /* resolved */
	guint cdtextfile_line;
	/* the sheet's lines, for the second reading */
	gchar **lines;
} RbCueSheet;

/* RB_DISC_IMAGE_ERROR @code: "<sheet> line <line>: <what>" */
gboolean rb_disc_cue_fail(
	const RbCueSheet *sheet, guint line, GError **error, gint code, const gchar *format, ...)
	G_GNUC_PRINTF(5, 6);

/* rb-disc-cue.c: an empty sheet of @path (borrowed), and its memory freed */
void rb_disc_cue_sheet_init(RbCueSheet *sheet, const gchar *path);
void rb_disc_cue_sheet_clear(RbCueSheet *sheet);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(RbCueSheet, rb_disc_cue_sheet_clear)

/* rb-disc-cue-scan.c: the sheet's lines into @sheet (its path set) */
gboolean rb_disc_cue_scan(RbDiscImage *image, RbCueSheet *sheet, GError **error);
/* the same from @text of @length bytes, NUL-terminated there, which the
 * scan changes (a byte order mark blanked); what rb_disc_cue_scan() reads
 * from the file, and the fuzz target's input */
gboolean rb_disc_cue_scan_text(
	RbDiscImage *image, RbCueSheet *sheet, gchar *text, gsize length, GError **error);

/* rb-disc-cue-track.c: a TRACK, INDEX, PREGAP or POSTGAP line's words */
gboolean rb_disc_cue_read_track(RbCueSheet *sheet, guint line, GPtrArray *words, GError **error);
gboolean rb_disc_cue_read_index(
	RbCueSheet *sheet, RbCueTrack *track, guint line, GPtrArray *words, GError **error);
gboolean rb_disc_cue_read_gap(
	RbCueSheet *sheet, RbCueTrack *track, guint line, GPtrArray *words, GError **error);

/* rb-disc-cue-build.c: the layout, the segments, then the CD-TEXT */
gboolean rb_disc_cue_build(RbDiscImage *image, RbCueSheet *sheet, GError **error);

/* rb-disc-cue-text.c: the sheet's CD-TEXT lines, or its CDTEXTFILE, into @image */
gboolean rb_disc_cue_build_cdtext(RbDiscImage *image, const RbCueSheet *sheet, GError **error);

/*
 * libcdio's reading of @sheet against ours: every fact both keep must be
 * the same, else RB_DISC_IMAGE_ERROR_SYNTAX naming the line.
 */
gboolean rb_disc_cue_cdio_agree(const RbCueSheet *sheet, GError **error);

G_END_DECLS
