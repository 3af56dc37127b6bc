/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the format readers (rb-disc-cue.c, rb-disc-toc.c, rb-disc-nrg.c,
 * rb-disc-clonecd.c, rb-disc-wav.c) share with the image model
 * (rb-disc-image.c) and its stream (rb-disc-stream.c): each reader builds
 * the layout in sheet mode and says, per source of the image core (a track,
 * RB_IMAGE_SOURCE_SUBCHANNEL), which bytes of which files make it, in
 * order: its pregap's sectors first, then index 1 on, each sector in the
 * track type's input size (rb_cd_sector_type_get_input_size()).
 */
#pragma once

#include <sys/stat.h>

#include "rb-disc-image.h"

G_BEGIN_DECLS

typedef enum {
	RB_DISC_SEGMENT_FILE, /* @length bytes of @path from @offset */
	RB_DISC_SEGMENT_ZERO, /* @length zero bytes (silence; empty cooked data) */
	/* @length / 2352 empty sectors of a raw data track's mode, built
	 * (header of their LBA, EDC/ECC) and scrambled as the core wants raw
	 * sectors: a sheet's PREGAP, POSTGAP or ZERO in a 2352-byte data track */
	RB_DISC_SEGMENT_EMPTY_RAW,
} RbDiscSegmentKind;

typedef enum {
	RB_DISC_SEGMENT_NONE = 0,
	/* 16-bit samples big-endian in the file (CUE MOTOROLA, cdrdao
	 * raw audio files without SWAP): swapped to the disc's order */
	RB_DISC_SEGMENT_SWAP16 = 1 << 0,
	/* 2352-byte sectors as READ CD returns them (descrambled): those that
	 * start with the sync pattern are scrambled, as wodim's clone mode
	 * does (mmc-notes §8.5), audio passes as it is */
	RB_DISC_SEGMENT_SCRAMBLE = 1 << 1,
	/* CloneCD .sub: 96 bytes per sector, channel after channel (12 bytes
	 * of P, 12 of Q, … of W), turned into the raw P-W symbols */
	RB_DISC_SEGMENT_SUB_CHANNELS = 1 << 2,
	/* @data_length need not fill whole sectors: zeros complete the last
	 * one (audio files whose size is no multiple of 2352 bytes, as cdrdao
	 * and wodim pad them) */
	RB_DISC_SEGMENT_PAD = 1 << 3,
	/* CUE MODE2/2336, TOC MODE2_FORM_MIX: @data_length bytes of 2336-byte XA sectors
	 * (sub-header and 2328 bytes), each built into a raw 2352-byte sector of the form its
	 * sub-header says (sync, header of its LBA, EDC, ECC for Form 1) and
	 * scrambled; @length counts the 2352-byte sectors */
	RB_DISC_SEGMENT_XA_2336 = 1 << 4,
	/* with SUB_CHANNELS, on the sub-channel source (which starts at LBA 0:
	 * a unit's LBA is its position / 96): a Q (the unit's bytes 12-23)
	 * whose CRC is wrong or whose ADR is not 1, 2 or 3 is replaced by the
	 * layout's (rb_image_layout_get_subq()), P and R-W kept; the service's
	 * stream check would stop the burn at such a Q (a dump's read error) */
	RB_DISC_SEGMENT_REPAIR_Q = 1 << 5,
} RbDiscSegmentFlags;

/* a CUE MODE2/2336 sector in its file: sub-header and 2328 bytes */
#define RB_CD_XA_INPUT_SIZE 2336

typedef struct {
	RbDiscSegmentKind kind;
	RbDiscSegmentFlags flags;
	gchar *path; /* FILE only */
	guint64 offset;
	guint64 data_length; /* FILE: the bytes read from the file */
	guint64 length;      /* the bytes the segment gives (padding included) */
} RbDiscSegment;

/* where the sheet put a track: for messages and "show" */
typedef struct {
	gchar *file; /* the sheet file, or the data file (WAV list) */
	guint line;  /* 0 = none */
} RbDiscOrigin;

#define RB_DISC_IMAGE_N_SOURCES (RB_IMAGE_SOURCE_SUBCHANNEL + 1)

struct _RbDiscImage {
	RbDiscImageFormat format;
	gchar *path;
	RbImageLayout *layout;                    /* sheet mode; NULL for RAW_DAO */
	RbCdText *cdtext;                         /* NULL = none */
	GArray *sources[RB_DISC_IMAGE_N_SOURCES]; /* of RbDiscSegment, NULL = none */
	RbDiscOrigin origins[RB_IMAGE_MAX_TRACKS];
	GPtrArray *notes;
	/* files a reader read besides the sheet and the segments' (a CUE
	 * CDTEXTFILE): "image -o" must not write over them either */
	GPtrArray *aux_files;
};

RbDiscImage *rb_disc_image_new(RbDiscImageFormat format, const gchar *path);
/* @length bytes of @path from @offset (with PAD: rounded up to whole
 * 2352-byte sectors; with XA_2336: 2352 bytes for every 2336 of the file) */
void rb_disc_image_add_file(RbDiscImage *image,
			    guint source,
			    const gchar *path,
			    guint64 offset,
			    guint64 length,
			    RbDiscSegmentFlags flags);
void rb_disc_image_add_zero(RbDiscImage *image, guint source, guint64 length);
void rb_disc_image_add_empty_raw(RbDiscImage *image, guint source, guint32 n_sectors);
void rb_disc_image_set_origin(RbDiscImage *image, guint track_index, const gchar *file, guint line);
/* a file the image's stream does not read but the reader did */
void rb_disc_image_add_aux_file(RbDiscImage *image, const gchar *path);
void rb_disc_image_add_note(RbDiscImage *image, const gchar *format, ...) G_GNUC_PRINTF(2, 3);
/* a sheet reader's error: "@path line @line: …", or "@path: …" when
 * @line is 0 (an error of the whole sheet) */
void rb_disc_image_set_sheet_error_valist(
	GError **error, gint code, const gchar *path, guint line, const gchar *format, va_list args)
	G_GNUC_PRINTF(5, 0);
/* @path opened for reading and its status in @st: the descriptor, or -1
 * with RB_DISC_IMAGE_ERROR_FILE naming the image */
gint rb_disc_image_open_file(const gchar *path, struct stat *st, GError **error);
/* the bytes source @source has in all */
guint64 rb_disc_image_get_source_length(const RbDiscImage *image, guint source);

/*
 * A path in a sheet, relative to the sheet's folder; found also when only
 * its case differs (sheets written on Windows), as cdrdao and libcdio do
 * not, which the note then says.
 */
gchar *rb_disc_image_resolve_path(RbDiscImage *image, const gchar *name);

/* the readers: each fills a new image of its format or fails */
RbDiscImage *rb_disc_cue_read(const gchar *path, GError **error);
RbDiscImage *rb_disc_toc_read(const gchar *path, GError **error);
RbDiscImage *rb_disc_nrg_read(const gchar *path, GError **error);
RbDiscImage *rb_disc_clonecd_read(const gchar *path, GError **error);

/*
 * rb-disc-wav.c: a WAV file's sample data, 44.1 kHz, 16-bit, stereo PCM
 * only; anything else is RB_DISC_IMAGE_ERROR_UNSUPPORTED naming what the
 * file holds and what is needed. Used by the CUE reader (FILE … WAVE) too.
 */
gboolean
rb_disc_wav_probe(const gchar *path, guint64 *data_offset, guint64 *data_length, GError **error);

G_END_DECLS
