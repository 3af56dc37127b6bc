/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A track's settings in the image layout (IRawCDImageTrackInfo): ISRC,
 * digital copy setting, pre-emphasis and indexes, with IMAPI's rules (index
 * 1 at offset 0 stays, up to 99 indexes at least 10 sectors apart); and the
 * sector types' properties the layout builds on (mixing group, Q control).
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "rb-image-private.h"

gsize
rb_image_type_input_size(RbCdSectorType type)
{
	return rb_cd_sector_type_get_input_size(type);
}

gboolean
rb_image_type_is_data(RbCdSectorType type)
{
	return rb_cd_sector_type_is_data(type);
}

RbCdSectorType
rb_image_type_cooked(RbCdSectorType type)
{
	return rb_cd_sector_type_get_cooked(type);
}

/* the mixing groups of imapi-reference §4.6 */
guint
rb_image_type_group(RbCdSectorType type)
{
	switch (type) {
	case RB_CD_SECTOR_AUDIO:
		return 0;
	case RB_CD_SECTOR_MODE_ZERO:
		return 1;
	case RB_CD_SECTOR_MODE1:
	case RB_CD_SECTOR_MODE1_RAW:
		return 2;
	default:
		return 3;
	}
}

guint8
rb_image_track_ctl(const RbImageTrack *track)
{
	guint8 ctl = 0;

	if (rb_image_type_is_data(track->type))
		ctl |= RB_IMAGE_CTL_DATA;
	if (track->copy == RB_IMAGE_COPY_PERMITTED)
		ctl |= RB_IMAGE_CTL_COPY;
	if (track->preemphasis)
		ctl |= RB_IMAGE_CTL_PREEMPHASIS;
	return ctl;
}

RbImageTrack *
rb_image_layout_track_for_change(RbImageLayout *layout, guint track_index, GError **error)
{
	if (!rb_image_layout_check_writable(layout, error))
		return NULL;
	if (track_index >= layout->n_tracks) {
		g_set_error(error,
			    RB_IMAGE_ERROR,
			    RB_IMAGE_ERROR_INVALID_ARGUMENT,
			    _("there is no track %u"),
			    track_index);
		return NULL;
	}
	return &layout->tracks[track_index];
}

gboolean
rb_image_layout_track_set_isrc(RbImageLayout *layout,
			       guint track_index,
			       const gchar *isrc,
			       GError **error)
{
	RbImageTrack *t = rb_image_layout_track_for_change(layout, track_index, error);
	gchar up[RB_IMAGE_ISRC_LENGTH + 1];

	if (t == NULL)
		return FALSE;
	if (isrc == NULL || isrc[0] == '\0') {
		t->isrc[0] = '\0';
		return TRUE;
	}
	if (strlen(isrc) != RB_IMAGE_ISRC_LENGTH || rb_image_type_is_data(t->type)) {
		g_set_error(error,
			    RB_IMAGE_ERROR,
			    RB_IMAGE_ERROR_INVALID_ISRC,
			    _("“%s” is not a 12-character ISRC of an audio track"),
			    isrc);
		return FALSE;
	}
	/* CC country (letters), OOO owner (letters, digits), YY year, SSSSS serial */
	for (guint i = 0; i < RB_IMAGE_ISRC_LENGTH; i++) {
		gchar c = g_ascii_toupper(isrc[i]);
		gboolean ok = i < 2   ? g_ascii_isupper(c)
			      : i < 5 ? g_ascii_isupper(c) || g_ascii_isdigit(c)
				      : g_ascii_isdigit(c);
		if (!ok) {
			g_set_error(error,
				    RB_IMAGE_ERROR,
				    RB_IMAGE_ERROR_INVALID_ISRC,
				    _("the ISRC “%s” is not CCOOOYYSSSSS (character %u)"),
				    isrc,
				    i + 1);
			return FALSE;
		}
		up[i] = c;
	}
	up[RB_IMAGE_ISRC_LENGTH] = '\0';
	memcpy(t->isrc, up, sizeof(up));
	return TRUE;
}

gboolean
rb_image_layout_track_set_copy(RbImageLayout *layout,
			       guint track_index,
			       RbImageCopySetting copy,
			       GError **error)
{
	RbImageTrack *t = rb_image_layout_track_for_change(layout, track_index, error);

	if (t == NULL)
		return FALSE;
	if ((guint)copy > RB_IMAGE_COPY_SCMS) {
		g_set_error(error,
			    RB_IMAGE_ERROR,
			    RB_IMAGE_ERROR_INVALID_ARGUMENT,
			    _("digital copy setting %u is not 0, 1 or 2"),
			    (guint)copy);
		return FALSE;
	}
	t->copy = copy;
	rb_image_layout_update(layout);
	return TRUE;
}

gboolean
rb_image_layout_track_set_preemphasis(RbImageLayout *layout,
				      guint track_index,
				      gboolean preemphasis,
				      GError **error)
{
	RbImageTrack *t = rb_image_layout_track_for_change(layout, track_index, error);

	if (t == NULL)
		return FALSE;
	if (preemphasis && rb_image_type_is_data(t->type)) {
		g_set_error(error,
			    RB_IMAGE_ERROR,
			    RB_IMAGE_ERROR_INVALID_ARGUMENT,
			    _("track %u is data: pre-emphasis is for audio"),
			    t->number);
		return FALSE;
	}
	t->preemphasis = preemphasis;
	rb_image_layout_update(layout);
	return TRUE;
}

gboolean
rb_image_layout_track_add_index(RbImageLayout *layout,
				guint track_index,
				guint32 offset,
				gboolean *already_exists,
				GError **error)
{
	RbImageTrack *t = rb_image_layout_track_for_change(layout, track_index, error);
	guint at = 0;

	if (already_exists != NULL)
		*already_exists = FALSE;
	if (t == NULL)
		return FALSE;
	if (offset >= t->n_sectors) {
		g_set_error(error,
			    RB_IMAGE_ERROR,
			    RB_IMAGE_ERROR_INVALID_ARGUMENT,
			    _("index offset %u is beyond track %u's %u sectors"),
			    offset,
			    t->number,
			    t->n_sectors);
		return FALSE;
	}
	for (guint i = 0; i < t->n_indexes; i++) {
		if (t->indexes[i] == offset) {
			if (already_exists != NULL)
				*already_exists = TRUE;
			return TRUE;
		}
	}
	if (t->n_indexes >= RB_IMAGE_MAX_INDEXES) {
		g_set_error(error,
			    RB_IMAGE_ERROR,
			    RB_IMAGE_ERROR_TOO_MANY_TRACK_INDEXES,
			    _("track %u has 99 indexes already"),
			    t->number);
		return FALSE;
	}
	for (guint i = 0; i < t->n_indexes; i++) {
		guint32 d =
			t->indexes[i] > offset ? t->indexes[i] - offset : offset - t->indexes[i];
		if (d < RB_IMAGE_MIN_INDEX_SPACING) {
			g_set_error(error,
				    RB_IMAGE_ERROR,
				    RB_IMAGE_ERROR_TRACK_INDEX_TOO_CLOSE_TO_OTHER_INDEX,
				    _("index offset %u is %u sectors from the one at %u, fewer "
				      "than %u"),
				    offset,
				    d,
				    t->indexes[i],
				    (guint)RB_IMAGE_MIN_INDEX_SPACING);
			return FALSE;
		}
		if (t->indexes[i] < offset)
			at = i + 1;
	}
	memmove(&t->indexes[at + 1], &t->indexes[at], (t->n_indexes - at) * sizeof(guint32));
	t->indexes[at] = offset;
	t->n_indexes++;
	return TRUE;
}

gboolean
rb_image_layout_track_clear_index(RbImageLayout *layout,
				  guint track_index,
				  guint32 offset,
				  GError **error)
{
	RbImageTrack *t = rb_image_layout_track_for_change(layout, track_index, error);

	if (t == NULL)
		return FALSE;
	if (offset == 0) {
		g_set_error(error,
			    RB_IMAGE_ERROR,
			    RB_IMAGE_ERROR_TRACK_INDEX_OFFSET_ZERO_CANNOT_BE_CLEARED,
			    _("index 1 (offset 0) cannot be cleared"));
		return FALSE;
	}
	for (guint i = 1; i < t->n_indexes; i++) {
		if (t->indexes[i] == offset) {
			memmove(&t->indexes[i],
				&t->indexes[i + 1],
				(t->n_indexes - i - 1) * sizeof(guint32));
			t->n_indexes--;
			return TRUE;
		}
	}
	g_set_error(error,
		    RB_IMAGE_ERROR,
		    RB_IMAGE_ERROR_TRACK_INDEX_NOT_FOUND,
		    _("track %u has no index at offset %u"),
		    t->number,
		    offset);
	return FALSE;
}
