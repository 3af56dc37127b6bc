/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A cdrdao TOC file as read, before it becomes an image: what the scanner
 * (rb-disc-toc-parse.c) fills, the reader (rb-disc-toc.c) turns into the
 * layout and segments, and the libcdio cross-check (rb-disc-toc-cdio.c)
 * compares with libcdio's reading. Every statement keeps its line.
 */
#pragma once

#include "rb-disc-image-private.h"

G_BEGIN_DECLS

#define RB_TOC_MAX_LANGUAGES 8
/* 588 stereo 16-bit samples of 4 bytes make a 2352-byte block */
#define RB_TOC_SAMPLE_SIZE 4

typedef enum {
	RB_TOC_DISC_NONE,
	RB_TOC_DISC_CD_DA,
	RB_TOC_DISC_CD_ROM,
	RB_TOC_DISC_CD_ROM_XA,
} RbTocDiscType;

typedef enum {
	/* FILE / AUDIOFILE: @start and @length in samples */
	RB_TOC_SEGMENT_AUDIOFILE,
	/* DATAFILE: @length in bytes */
	RB_TOC_SEGMENT_DATAFILE,
	/* SILENCE, or PREGAP in an audio track: @length in samples */
	RB_TOC_SEGMENT_SILENCE,
	/* ZERO, or PREGAP in a data track: @length in bytes */
	RB_TOC_SEGMENT_ZERO,
} RbTocSegmentKind;

typedef struct {
	RbTocSegmentKind kind;
	guint line;
	gchar *name; /* files: as the sheet spells it */
	gboolean swap;
	guint64 offset; /* "#n": bytes skipped before the data (a WAV: its header) */
	guint64 start;
	guint64 length; /* files: 0 = up to the end of the file */
} RbTocSegment;

typedef struct {
	guint32 frames; /* from index 1; END: from the track's first block */
	guint line;
	gboolean end; /* END: the post-gap's start, an index there (cdrdao Track::end) */
} RbTocIndex;

typedef struct {
	guint line;
	const gchar *mode; /* the keyword: "AUDIO", "MODE1", … */
	RbCdSectorType type;
	gsize block_size; /* cdrdao's bytes per block of the mode */
	RbImageCopySetting copy;
	gboolean preemphasis;
	gchar *isrc;
	guint isrc_line;
	GArray *segments; /* of RbTocSegment */
	/* START / PREGAP: the pregap's blocks; START without MSF: the
	 * segments before it (@start_segments) make the pregap */
	guint start_line;
	gboolean start_given;
	guint32 start_frames;
	guint start_segments;
	GArray *indexes; /* of RbTocIndex */
} RbTocTrack;

/* one CD-TEXT item: a string (ISO-8859-1 bytes) or cdrdao's binary { … } */
typedef struct {
	guint block;
	guint track; /* 0 = the disc */
	RbCdTextPackType type;
	GByteArray *bytes;
	gboolean binary;
	guint line;
} RbTocText;

typedef struct {
	gchar *path;
	RbTocDiscType disc_type;
	guint disc_type_line;
	gchar *catalog;
	guint catalog_line;
	guint first_track;                    /* FIRST_TRACK_NO, 0 = not given */
	gint languages[RB_TOC_MAX_LANGUAGES]; /* -1 = not in LANGUAGE_MAP */
	guint language_lines[RB_TOC_MAX_LANGUAGES];
	GPtrArray *tracks;                    /* of RbTocTrack */
	GArray *texts;                        /* of RbTocText */
	gboolean ascii[RB_TOC_MAX_LANGUAGES]; /* ENCODING_ASCII */
} RbToc;

/* the disc's number of the track at @index: the layout, the CD-TEXT and
 * cdrdao number tracks from FIRST_TRACK_NO on */
static inline guint
rb_toc_track_number(const RbToc *toc, guint index)
{
	return (toc->first_track != 0 ? toc->first_track : 1) + index;
}

/* rb-disc-toc-lex.c: tokens and the grammar's small pieces */

typedef enum {
	RB_TOC_TOKEN_EOF,
	RB_TOC_TOKEN_WORD,
	RB_TOC_TOKEN_INT,
	RB_TOC_TOKEN_STRING,
	RB_TOC_TOKEN_PUNCT,
} RbTocTokenKind;

typedef struct {
	RbTocTokenKind kind;
	guint line;
	GByteArray *text; /* the word, digits or string bytes, NUL-terminated */
	gchar punct;
} RbTocToken;

typedef struct {
	RbToc *toc;
	GArray *tokens;
	guint pos;
} RbTocParser;

GArray *rb_toc_lex(RbToc *toc, const gchar *text, gsize len, GError **error);
const RbTocToken *rb_toc_peek(RbTocParser *p, guint ahead);
const RbTocToken *rb_toc_next(RbTocParser *p);
gboolean rb_toc_is_word(const RbTocToken *token, const gchar *word);
gboolean rb_toc_is_punct(const RbTocToken *token, gchar c);
/* an error: what was found where @what was expected */
gboolean rb_toc_expected(RbTocParser *p, const gchar *what, GError **error);
gboolean rb_toc_expect_punct(RbTocParser *p, gchar c, GError **error);
gboolean rb_toc_parse_uint(RbTocParser *p, guint64 max, guint64 *value, GError **error);
gboolean rb_toc_at_msf(RbTocParser *p);
/* MM:SS:FF in frames (blocks) */
gboolean rb_toc_parse_msf(RbTocParser *p, guint32 *frames, GError **error);
/* cdrdao's "samples": MM:SS:FF or a sample count */
gboolean rb_toc_parse_samples(RbTocParser *p, guint64 *samples, GError **error);
/* cdrdao's "dataLength": MM:SS:FF in blocks of @block_size, or bytes */
gboolean rb_toc_parse_bytes(RbTocParser *p, gsize block_size, guint64 *bytes, GError **error);
gboolean rb_toc_parse_string(RbTocParser *p, GByteArray **bytes, GError **error);

/* rb-disc-toc-cdtext.c: CD_TEXT { … } of @track (0: the disc's, with its
 * LANGUAGE_MAP), and the image's CD-TEXT from what was read */
gboolean rb_toc_parse_cdtext(RbTocParser *p, guint track, GError **error);
gboolean rb_toc_build_cdtext(RbDiscImage *image, const RbToc *toc, GError **error);

/* rb-disc-toc-parse.c */
RbToc *rb_toc_parse(const gchar *path, const gchar *text, gsize len, GError **error);
void rb_toc_free(RbToc *toc);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RbToc, rb_toc_free)

/* "disc.toc line 7: what": an error of @code */
gboolean
rb_toc_fail(GError **error, gint code, const RbToc *toc, guint line, const gchar *format, ...)
	G_GNUC_PRINTF(5, 6);

/* UTF-8 of a CD-TEXT item's ISO-8859-1 bytes (up to the first NUL) */
gchar *rb_toc_text_to_utf8(const RbTocText *text);

/*
 * rb-disc-toc-cdio.c: libcdio's own reading of what it covers, compared
 * with @toc and the image built from it; the first disagreement is an
 * RB_DISC_IMAGE_ERROR_MISMATCH naming the line.
 */
gboolean rb_disc_toc_cdio_check(const RbToc *toc, RbDiscImage *image, GError **error);

G_END_DECLS
