/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the image layout (rb-image-layout.c, rb-image-track.c), its sheet
 * mode and sources (rb-image-sheet.c), its sub-channel (rb-image-subq.c)
 * and the producer (rb-image.c) share.
 */
#pragma once

#include "rb-image-layout.h"

G_BEGIN_DECLS

/* the lead-in TOC: a point per track, then A0, A1, A2 */
#define RB_IMAGE_TOC_POINTERS 3
/* the postgap that ends a data track followed by audio (Yellow Book) */
#define RB_IMAGE_POSTGAP_SECTORS 150
/* Q control bits (byte 0, bits 7-4) */
#define RB_IMAGE_CTL_PREEMPHASIS 0x1
#define RB_IMAGE_CTL_COPY 0x2
#define RB_IMAGE_CTL_DATA 0x4
/* A0's PSEC: CD-DA or CD-ROM, CD-ROM XA */
#define RB_IMAGE_DISC_TYPE_CDDA_CDROM 0x00
#define RB_IMAGE_DISC_TYPE_XA 0x20
/* lead-in CD-TEXT: four 18-byte packs in a sector's R-W */
#define RB_IMAGE_CDTEXT_PACKS_PER_SECTOR 4

struct _RbImageLayout {
	gboolean read_only;
	guint image_type;
	gint32 leadout_limit;
	gboolean disable_gapless;
	gchar mcn[RB_IMAGE_MCN_LENGTH + 1];
	guint first_number;
	guint32 special_pregap;
	gboolean rw_generator;
	/* rb-image-sheet.c: no gaps of our own, the lead-in's CD-TEXT packs,
	 * the program area's P-W from a source */
	gboolean explicit_gaps;
	GBytes *cdtext;
	gboolean subchannel_source;
	guint n_tracks;
	RbImageTrack tracks[RB_IMAGE_MAX_TRACKS];
	/* computed by rb_image_layout_update() */
	gint32 leadout_start;
	guint n_toc;
	RbSubQ toc[RB_IMAGE_MAX_TRACKS + RB_IMAGE_TOC_POINTERS];
};

/* positions and the lead-in TOC, from the tracks and the settings */
void rb_image_layout_update(RbImageLayout *layout);
gboolean rb_image_layout_check_writable(const RbImageLayout *layout, GError **error);
/* the lead-out within the disc and the lead-out limit */
gboolean rb_image_layout_check_space(const RbImageLayout *layout, GError **error);
/* at least one track, or RB_IMAGE_ERROR_NO_TRACKS */
gboolean rb_image_layout_check_has_tracks(const RbImageLayout *layout, GError **error);
/* track @track_index of a writable layout, or NULL with the error */
RbImageTrack *
rb_image_layout_track_for_change(RbImageLayout *layout, guint track_index, GError **error);

/* the sector types' properties (rb-cd-sector.h) */
gsize rb_image_type_input_size(RbCdSectorType type);
gboolean rb_image_type_is_data(RbCdSectorType type);
/* the cooked type whose empty sectors fill a pregap or lead-out of @type */
RbCdSectorType rb_image_type_cooked(RbCdSectorType type);

/* IMAPI's mixing group of @type: 0 audio, 1 Mode 0, 2 Mode 1, 3 Mode 2 */
guint rb_image_type_group(RbCdSectorType type);

/* a track's Q control without SCMS's alternation */
guint8 rb_image_track_ctl(const RbImageTrack *track);
/* the track whose pregap or index 1 up holds @lba (-150 .. lead-out) */
guint rb_image_layout_find_track(const RbImageLayout *layout, gint32 lba);
/* the end of track @i's Q area: the next pregap or the lead-out */
gint32 rb_image_layout_track_end(const RbImageLayout *layout, guint i);

/* rb-image-sheet.c: the rules of sheet mode, CD-TEXT and the sub-channel source */
gboolean rb_image_layout_validate_sheet(const RbImageLayout *layout, GError **error);
/* the lead-in R-W of @lba from the CD-TEXT packs; FALSE (and @rw
 * untouched) when there are none or @lba is not in the lead-in */
gboolean rb_image_layout_get_cdtext_rw(const RbImageLayout *layout,
				       gint32 lba,
				       guint8 rw[RB_SUBCHANNEL_PW_SIZE]);

G_END_DECLS
