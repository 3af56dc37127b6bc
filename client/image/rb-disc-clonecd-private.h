/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the CloneCD reader's three parts share: the .ccd sheet as
 * rb-disc-clonecd-sheet.c parses and checks it (the TOC entries, the
 * [TRACK N] sections, the CD-TEXT packs), which rb-disc-clonecd.c builds
 * into the image with the .img, and against which rb-disc-clonecd-sub.c
 * checks the .sub's Q.
 */
#pragma once

#include "rb-disc-file.h"
#include "rb-disc-image-private.h"

G_BEGIN_DECLS

#define RB_CCD_SHEET_MAX RB_DISC_FILE_SHEET_MAX
/* the TOC entries' control nibble, as Q's */
#define RB_CCD_CTL_DATA 0x4
#define RB_CCD_CTL_COPY 0x2
#define RB_CCD_CTL_PREEMPHASIS 0x1

typedef struct {
	guint line;
	gboolean has_entry;
	guint8 control;
	gint32 start; /* the entry's index 1 */
	gint mode;    /* [TRACK N] MODE, -1 = not given */
	guint n_indexes;
	gint32 indexes[RB_IMAGE_MAX_INDEXES + 1]; /* [0] index 0 */
	gboolean has_index[RB_IMAGE_MAX_INDEXES + 1];
	gchar *isrc;
	gchar *flags;
} RbCcdTrack;

typedef struct {
	const gchar *path;
	guint sessions;
	guint toc_entries;
	guint n_entries;
	gboolean scrambled;
	gchar *catalog;
	GByteArray *cdtext;
	guint cdtext_entries;
	guint first;
	guint last;
	gint32 leadout;
	gboolean have_first;
	gboolean have_last;
	gboolean have_leadout;
	guint ignored_entries;
	RbCcdTrack tracks[RB_IMAGE_MAX_TRACKS + 1]; /* by number */
	/* the section being read */
	gchar section[16];
	guint section_number;
	guint entry_point;
	guint entry_adr;
	guint entry_session;
	guint entry_line;
	gint32 entry_p[4];      /* PMin, PSec, PFrame, PLBA */
	guint entry_p_lines[4]; /* where each was given, 0 = not given */
	guint entry_control;
} RbCcd;

/* "PATH line LINE: …" (no line when 0) as @code of RB_DISC_IMAGE_ERROR;
 * returns FALSE */
gboolean
rb_ccd_fail(GError **error, gint code, const RbCcd *ccd, guint line, const gchar *format, ...)
	G_GNUC_PRINTF(5, 6);

/* rb-disc-clonecd-sheet.c: an empty sheet of @path (borrowed), and its end */
RbCcd *rb_ccd_new(const gchar *path);
void rb_ccd_free(RbCcd *ccd);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RbCcd, rb_ccd_free)

/* the sheet's text into @ccd; then its tracks
 * checked against each other and the TOC entries (index 1 filled in from
 * the entries where [TRACK N] lacks it) */
gboolean rb_ccd_parse(RbCcd *ccd, const gchar *text, GError **error);
gboolean rb_ccd_check_tracks(RbCcd *ccd, GError **error);

/* rb-disc-clonecd-sub.c: the Q of every sector of the .sub @sub against
 * @image's layout, which @ccd was built into */
gboolean rb_ccd_check_sub(RbDiscImage *image, const RbCcd *ccd, const gchar *sub, GError **error);

G_END_DECLS
