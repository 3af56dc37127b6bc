/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A disc image as people hold it: a CUE sheet with BIN or WAV files, a
 * cdrdao TOC, a Nero NRG, a CloneCD set (.ccd, .img, .sub), a list of WAV
 * files, or a raw DAO stream as rawburnd takes it. Opening one reads its
 * sheet into the image core's layout (rb-image-layout.h, sheet mode), its
 * CD-TEXT, and where each sector's bytes come from (segments of files, or
 * zeros); a stream then produces the raw DAO sectors from those files in
 * constant memory. Every error names the file, and the line or byte
 * offset, and what is wrong.
 */
#pragma once

#include <glib.h>

#include "rb-cdtext.h"
#include "rb-image.h"

G_BEGIN_DECLS

typedef enum {
	RB_DISC_IMAGE_FORMAT_RAW_DAO, /* a stream for WriteMedia, passed on as it is */
	RB_DISC_IMAGE_FORMAT_CUE,
	RB_DISC_IMAGE_FORMAT_TOC,
	RB_DISC_IMAGE_FORMAT_NRG,
	RB_DISC_IMAGE_FORMAT_CLONECD,
	RB_DISC_IMAGE_FORMAT_WAV, /* one or more WAV files, a track each */
} RbDiscImageFormat;

#define RB_DISC_IMAGE_ERROR (rb_disc_image_error_quark())

typedef enum {
	/* a file the image names is missing or unreadable */
	RB_DISC_IMAGE_ERROR_FILE,
	/* the sheet cannot be read: file and line in the message */
	RB_DISC_IMAGE_ERROR_SYNTAX,
	/* a file ends before the sectors its tracks need */
	RB_DISC_IMAGE_ERROR_FILE_TOO_SHORT,
	/* what rawburn does not burn: a track mode, an audio format, MS-JIS */
	RB_DISC_IMAGE_ERROR_UNSUPPORTED,
	/* a disc the rules refuse: a track under 4 s, 100 tracks, … (the
	 * image core's error message follows) */
	RB_DISC_IMAGE_ERROR_INVALID,
	/* more than the medium holds */
	RB_DISC_IMAGE_ERROR_TOO_LONG,
	/* the content of a raw data sector disagrees with the sheet */
	RB_DISC_IMAGE_ERROR_MISMATCH,
} RbDiscImageError;

typedef struct _RbDiscImage RbDiscImage;
typedef struct _RbDiscImageStream RbDiscImageStream;

GQuark rb_disc_image_error_quark(void);

/*
 * Reads @path by its content, then its extension: a CUE sheet, a cdrdao
 * TOC, an NRG, a CloneCD .ccd (or its .img), a WAV file; anything else is
 * a raw DAO stream.
 */
RbDiscImage *rb_disc_image_open(const gchar *path, GError **error);
/* one audio track per WAV file, in order, each after a 2-second pause */
RbDiscImage *rb_disc_image_open_wav_files(const gchar *const *paths, GError **error);
void rb_disc_image_free(RbDiscImage *image);

RbDiscImageFormat rb_disc_image_get_format(const RbDiscImage *image);
/* "raw", "cue", "toc", "nrg", "clonecd", "wav" */
const gchar *rb_disc_image_format_to_string(RbDiscImageFormat format);
const gchar *rb_disc_image_get_path(const RbDiscImage *image);

/*
 * The layout (NULL for a raw DAO stream): owned by the image; its image
 * type may be changed before a stream is made.
 */
RbImageLayout *rb_disc_image_get_layout(RbDiscImage *image);
/* the CD-TEXT the sheet gave, or NULL; may be changed, or replaced */
RbCdText *rb_disc_image_get_cdtext(RbDiscImage *image);
void rb_disc_image_set_cdtext(RbDiscImage *image, RbCdText *cdtext);
/* what the reader ignored or assumed, one sentence each ("REM lines ignored") */
const GPtrArray *rb_disc_image_get_notes(const RbDiscImage *image);
/* every file the image reads: the one it was opened from (the sheet, or the
 * first WAV file), the files the reader read besides (a CDTEXTFILE), then
 * each file its sectors come from, each path once;
 * for refusing an output that would overwrite one of them */
GPtrArray *rb_disc_image_get_files(const RbDiscImage *image);
/* for "show": the file and position that track @track_index's data starts at */
gchar *rb_disc_image_describe_track_source(const RbDiscImage *image, guint track_index);

/*
 * Everything that can be checked before a disc is touched: the layout's
 * rules, the CD-TEXT's encoding, every file present and long enough, raw
 * data sectors' headers where the tracks start; and, when
 * @last_leadout_start is not 0 (a recorder's LastPossibleStartOfLeadout),
 * that the disc fits.
 */
gboolean rb_disc_image_check(RbDiscImage *image, gint32 last_leadout_start, GError **error);

/* the raw DAO stream from RB_IMAGE_FIRST_LBA, after rb_disc_image_check();
 * not for RAW_DAO images; @image must outlive the stream */
RbDiscImageStream *rb_disc_image_stream_new(RbDiscImage *image, GError **error);
gsize rb_disc_image_stream_get_sector_size(const RbDiscImageStream *stream);
guint32 rb_disc_image_stream_get_n_sectors(const RbDiscImageStream *stream);
/* as rb_image_producer_read(): up to @max_sectors into @out, 0 at the end */
gboolean rb_disc_image_stream_read(RbDiscImageStream *stream,
				   guint8 *out,
				   guint max_sectors,
				   guint *n_sectors,
				   GError **error);
void rb_disc_image_stream_free(RbDiscImageStream *stream);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RbDiscImage, rb_disc_image_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RbDiscImageStream, rb_disc_image_stream_free)

G_END_DECLS
