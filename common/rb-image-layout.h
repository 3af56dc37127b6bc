/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The layout of a raw DAO disc image (IRawCDImageCreator's model): tracks
 * of any IMAPI_CD_SECTOR_TYPE with their indexes, ISRC, copy and
 * pre-emphasis flags; the disc's MCN, first track number, pregaps and
 * lead-out; the rules IMAPI states (imapi-reference §4.6, §9) checked with
 * named errors; and what follows from the layout alone: every sector's Q
 * and P, and the READ TOC format 0010b answer the disc will give. Pure: no
 * I/O, the track data is read by the producer (rb-image.h).
 */
#pragma once

#include <glib.h>

#include "rb-cd-sector.h"
#include "rb-subchannel.h"

G_BEGIN_DECLS

#define RB_IMAGE_MAX_TRACKS 99
/* index 1 included */
#define RB_IMAGE_MAX_INDEXES 99
/* 4 s: the shortest track (Red Book, IMAPI AddTrack) */
#define RB_IMAGE_MIN_TRACK_SECTORS 300
/* 2 s: a pregap or pause */
#define RB_IMAGE_PREGAP_SECTORS 150
#define RB_IMAGE_MIN_INDEX_SPACING 10
/* a first session's lead-out: 90 s */
#define RB_IMAGE_LEADOUT_SECTORS 6750
/* 88:29:74: the last track sector, so that the lead-out ends by 89:59:74 */
#define RB_IMAGE_LAST_USER_LBA 398099
/* the stream starts at 95:00:00 (IMAPI CreateResultImage, WriteMedia) */
#define RB_IMAGE_FIRST_LBA (-22650)
/* ISRC CCOOOYYSSSSS and MCN: 13 digits, the last EAN-13's check digit */
#define RB_IMAGE_ISRC_LENGTH 12
#define RB_IMAGE_MCN_LENGTH 13
/* the READ TOC format 0010b descriptor */
#define RB_IMAGE_TOC_DESCRIPTOR_SIZE 11

#define RB_IMAGE_ERROR (rb_image_error_quark())

/*
 * The first ten mirror IMAPI's E_IMAPI_RAW_IMAGE_* (imapi2error.h, the
 * HRESULT in the comment) so the creator object maps them one to one; the
 * others are what IMAPI answers with E_INVALIDARG or a stream error.
 */
typedef enum {
	RB_IMAGE_ERROR_IS_READ_ONLY,                              /* 0x80AA0A00 */
	RB_IMAGE_ERROR_TOO_MANY_TRACKS,                           /* 0x80AA0A01 */
	RB_IMAGE_ERROR_SECTOR_TYPE_NOT_SUPPORTED,                 /* 0x80AA0A02 */
	RB_IMAGE_ERROR_NO_TRACKS,                                 /* 0x80AA0A03 */
	RB_IMAGE_ERROR_TRACKS_ALREADY_ADDED,                      /* 0x80AA0A04 */
	RB_IMAGE_ERROR_INSUFFICIENT_SPACE,                        /* 0x80AA0A05 */
	RB_IMAGE_ERROR_TOO_MANY_TRACK_INDEXES,                    /* 0x80AA0A06 */
	RB_IMAGE_ERROR_TRACK_INDEX_NOT_FOUND,                     /* 0x80AA0A07 */
	RB_IMAGE_ERROR_TRACK_INDEX_OFFSET_ZERO_CANNOT_BE_CLEARED, /* 0x80AA0A09 */
	RB_IMAGE_ERROR_TRACK_INDEX_TOO_CLOSE_TO_OTHER_INDEX,      /* 0x80AA0A0A */
	/* a track of the wrong type after the first (the mixing rules) */
	RB_IMAGE_ERROR_INCOMPATIBLE_TRACK,
	/* under 300 sectors, or too short to lend its end to a gapless pregap */
	RB_IMAGE_ERROR_TRACK_TOO_SHORT,
	RB_IMAGE_ERROR_INVALID_MCN,
	RB_IMAGE_ERROR_INVALID_ISRC,
	/* any other value out of range: a track number, an index offset, a
	 * track index, an image type, a flag for a track that has no such flag */
	RB_IMAGE_ERROR_INVALID_ARGUMENT,
	/* producing: a track's (or the special pregap's, or the R-W
	 * generator's) data ended before its last sector */
	RB_IMAGE_ERROR_DATA_ENDED_EARLY,
	/* producing: the R-W generator set a P or Q bit */
	RB_IMAGE_ERROR_RW_HAS_PQ_BITS,
	/* producing: a reader failed without saying why */
	RB_IMAGE_ERROR_READ_FAILED,
	/* CD-TEXT or a sub-channel source with an image type other than
	 * IS_RAW: only raw P-W carries R-W as given */
	RB_IMAGE_ERROR_NEEDS_RAW_SUBCHANNEL,
} RbImageError;

/* IMAPI_CD_TRACK_DIGITAL_COPY_SETTING */
typedef enum {
	RB_IMAGE_COPY_PERMITTED = 0,
	RB_IMAGE_COPY_PROHIBITED = 1,
	RB_IMAGE_COPY_SCMS = 2,
} RbImageCopySetting;

/*
 * One track, as computed from the layout. LBAs: @pregap_start is the first
 * sector whose Q says this track's index 0 (== @start when it has none),
 * @start its index 1 and the first sector of its data, whose @n_sectors
 * sectors follow without a break. In gapless audio the next track's pregap
 * lies on the last 150 of them.
 */
typedef struct {
	RbCdSectorType type;
	guint32 n_sectors;
	guint number;
	gint32 pregap_start;
	gint32 start;
	gchar isrc[RB_IMAGE_ISRC_LENGTH + 1]; /* "" = none */
	RbImageCopySetting copy;
	gboolean preemphasis;
	guint n_indexes;
	guint32 indexes[RB_IMAGE_MAX_INDEXES]; /* offsets from @start, [0] = 0, ascending */
	/* sheet mode: the index 0 sectors the track's source gives before
	 * @start (@start - @pregap_start of them) */
	guint32 pregap_sectors;
} RbImageTrack;

typedef struct _RbImageLayout RbImageLayout;

GQuark rb_image_error_quark(void);

RbImageLayout *rb_image_layout_new(void);
RbImageLayout *rb_image_layout_copy(const RbImageLayout *layout);
void rb_image_layout_free(RbImageLayout *layout);
/* after this every change fails with RB_IMAGE_ERROR_IS_READ_ONLY */
void rb_image_layout_set_read_only(RbImageLayout *layout);

/* ResultingImageType: a RbDataBlockType, 1 PQ_ONLY, 2 IS_COOKED (default), 3 IS_RAW */
gboolean rb_image_layout_set_image_type(RbImageLayout *layout, guint type, GError **error);
guint rb_image_layout_get_image_type(const RbImageLayout *layout);
/* 0 = no limit; else the lead-out must start at or before it */
gboolean rb_image_layout_set_leadout_limit(RbImageLayout *layout, gint32 limit, GError **error);
/* before the first track (IMAPI); see rb-image-layout.c for the meaning */
gboolean
rb_image_layout_set_disable_gapless_audio(RbImageLayout *layout, gboolean disable, GError **error);
gboolean rb_image_layout_get_disable_gapless_audio(const RbImageLayout *layout);
/* "" or NULL clears; leading zeros may be left out */
gboolean rb_image_layout_set_mcn(RbImageLayout *layout, const gchar *mcn, GError **error);
const gchar *rb_image_layout_get_mcn(const RbImageLayout *layout);
gboolean
rb_image_layout_set_starting_track_number(RbImageLayout *layout, guint number, GError **error);
/* audio for track 1's pregap, >= 150 sectors, before any track */
gboolean
rb_image_layout_add_special_pregap(RbImageLayout *layout, guint32 n_sectors, GError **error);
guint32 rb_image_layout_get_special_pregap(const RbImageLayout *layout);
/* the R-W generator: 96 bytes for every sector of the stream */
gboolean rb_image_layout_add_rw_generator(RbImageLayout *layout, GError **error);
gboolean rb_image_layout_has_rw_generator(const RbImageLayout *layout);

/*
 * Sheet mode, for the readers of CUE, TOC, NRG and CloneCD images: the
 * sheet says where every gap is, so the layout adds none (no IMAPI pregap,
 * gapless or mixed-mode gap). Before the first track. The tracks then abut:
 * each track's source gives its pregap (index 0) sectors, then its
 * n_sectors from index 1 on; track 1's pregap begins at LBA -150.
 */
gboolean
rb_image_layout_set_explicit_gaps(RbImageLayout *layout, gboolean explicit_gaps, GError **error);
gboolean rb_image_layout_get_explicit_gaps(const RbImageLayout *layout);
/* sheet mode: the first @n_sectors of the track's source are its index 0
 * (track 1: at least 150, the Red Book's 2 s before index 1) */
gboolean rb_image_layout_track_set_pregap(RbImageLayout *layout,
					  guint track_index,
					  guint32 n_sectors,
					  GError **error);

/*
 * CD-TEXT: packs from rb_cdtext_encode(), repeated through the lead-in's
 * R-W, four per sector; NULL clears. Producing it needs IS_RAW
 * (RB_IMAGE_ERROR_NEEDS_RAW_SUBCHANNEL otherwise).
 */
gboolean rb_image_layout_set_cdtext(RbImageLayout *layout, GBytes *packs, GError **error);
/* (transfer none) */
GBytes *rb_image_layout_get_cdtext(const RbImageLayout *layout);
/*
 * A sub-channel source (RB_IMAGE_SOURCE_SUBCHANNEL): 96 bytes of raw P-W
 * for each sector of the program area, LBA 0 up to the lead-out start,
 * burned as given in place of the generated P-W (a CloneCD .sub). IS_RAW
 * only.
 */
gboolean rb_image_layout_add_subchannel_source(RbImageLayout *layout, GError **error);
gboolean rb_image_layout_has_subchannel_source(const RbImageLayout *layout);

/* appends a track; @track_index (0-based) may be NULL */
gboolean rb_image_layout_add_track(RbImageLayout *layout,
				   RbCdSectorType type,
				   guint32 n_sectors,
				   guint *track_index,
				   GError **error);
guint rb_image_layout_get_n_tracks(const RbImageLayout *layout);
const RbImageTrack *rb_image_layout_get_track(const RbImageLayout *layout, guint track_index);

gboolean rb_image_layout_track_set_isrc(RbImageLayout *layout,
					guint track_index,
					const gchar *isrc,
					GError **error);
gboolean rb_image_layout_track_set_copy(RbImageLayout *layout,
					guint track_index,
					RbImageCopySetting copy,
					GError **error);
gboolean rb_image_layout_track_set_preemphasis(RbImageLayout *layout,
					       guint track_index,
					       gboolean preemphasis,
					       GError **error);
/* @already_exists (may be NULL) is IMAPI's S_IMAPI_RAW_IMAGE_TRACK_INDEX_ALREADY_EXISTS */
gboolean rb_image_layout_track_add_index(RbImageLayout *layout,
					 guint track_index,
					 guint32 offset,
					 gboolean *already_exists,
					 GError **error);
gboolean rb_image_layout_track_clear_index(RbImageLayout *layout,
					   guint track_index,
					   guint32 offset,
					   GError **error);

/* every rule that needs the whole disc: call before producing */
gboolean rb_image_layout_validate(const RbImageLayout *layout, GError **error);
/* StartOfLeadout; needs a track */
gboolean
rb_image_layout_get_leadout_start(const RbImageLayout *layout, gint32 *lba, GError **error);
/* LastUsedUserSectorInImage */
gint32 rb_image_layout_get_last_user_lba(const RbImageLayout *layout);
/* the stream: RB_IMAGE_FIRST_LBA up to (excluding) the lead-out's end */
gint32 rb_image_layout_get_end_lba(const RbImageLayout *layout);
guint32 rb_image_layout_get_n_sectors(const RbImageLayout *layout);
gsize rb_image_layout_get_sector_size(const RbImageLayout *layout);

/* rb-image-subq.c: the sub-channel and the TOC */

/* Q (with its CRC) and P of the stream sector at @lba; FALSE outside the stream */
gboolean rb_image_layout_get_subq(const RbImageLayout *layout,
				  gint32 lba,
				  guint8 q[RB_SUBQ_SIZE],
				  gboolean *p);
/* ExpectedTableOfContents: READ TOC format 0010b, header included */
GBytes *rb_image_layout_get_expected_toc(const RbImageLayout *layout, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RbImageLayout, rb_image_layout_free)

G_END_DECLS
