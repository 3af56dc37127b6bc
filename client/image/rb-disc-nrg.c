/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Nero NRG images into the image: the chunk chain (rb-disc-nrg-chunks.c)
 * gives the tracks, their indexes from the cue sheet chunk and their byte
 * offsets, sector sizes and mode codes from the disc-at-once chunk; here
 * each track's mode code becomes the image core's sector type, its offsets
 * are checked against the cue sheet's addresses, and its bytes become the
 * track's segments; libcdio then confirms what it knows
 * (rb-disc-nrg-cdio.c). Audio samples are taken as stored, little-endian,
 * as libcdio and libmirage both read them. 2352-byte data sectors are as
 * READ CD returns them and are scrambled on the way; Mode 2 2336-byte
 * sectors (sub-header and 2328 bytes) are each built into a raw sector of
 * the form their sub-header says, as the CUE reader's MODE2/2336.
 * Refused: the 2448-byte sub-channel sector sizes, unknown mode codes.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <inttypes.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rb-disc-nrg-private.h"

/* the core's type for a DAO mode code; FALSE with the reason otherwise */
static gboolean
rb_nrg_track_type(
	const RbNrg *nrg, gint fd, const RbNrgTrack *t, RbCdSectorType *type, GError **error)
{
	guint16 size = 0;
	guint8 submode = 0;

	switch (t->mode) {
	case RB_NRG_MODE1_2048:
		*type = RB_CD_SECTOR_MODE1;
		size = 2048;
		break;
	case RB_NRG_MODE2_FORM1_2048:
		*type = RB_CD_SECTOR_MODE2_FORM1;
		size = 2048;
		break;
	case RB_NRG_MODE2_2336:
		/* sub-header and 2328 bytes: each sector is built into a raw
		 * one of its own form on the way (rb-disc-stream.c), so the
		 * track takes the formless raw type, as a CUE MODE2/2336 track */
		*type = RB_CD_SECTOR_MODE2_FORM0_RAW;
		size = RB_CD_XA_INPUT_SIZE;
		break;
	case RB_NRG_MODE1_2352:
		*type = RB_CD_SECTOR_MODE1_RAW;
		size = RB_CD_MAIN_SIZE;
		break;
	case RB_NRG_MODE2_2352:
		/* CD-ROM XA: the first sector's sub-mode (byte 18) says its form;
		 * a track keeps one form for the disc's Q and TOC */
		if (pread(fd, &submode, 1, (off_t)t->offsets[1] + 18) != 1)
			submode = 0;
		*type = (submode & 0x20) != 0 ? RB_CD_SECTOR_MODE2_FORM2_RAW
					      : RB_CD_SECTOR_MODE2_FORM1_RAW;
		size = RB_CD_MAIN_SIZE;
		break;
	case RB_NRG_AUDIO_2352:
		*type = RB_CD_SECTOR_AUDIO;
		size = RB_CD_MAIN_SIZE;
		break;
	case 0x0F:
	case 0x10:
	case 0x11:
		return rb_nrg_fail(error,
				   RB_DISC_IMAGE_ERROR_UNSUPPORTED,
				   nrg,
				   t->dao_at,
				   _("track %u holds 2448-byte sectors with sub-channel data, "
				     "which rawburn does not burn from an NRG: make the image "
				     "without sub-channel data, or as CloneCD"),
				   t->number);
	default:
		return rb_nrg_fail(error,
				   RB_DISC_IMAGE_ERROR_UNSUPPORTED,
				   nrg,
				   t->dao_at,
				   _("track %u has the unknown mode code 0x%02x: rawburn will not "
				     "guess its sectors; convert the image to CUE/BIN"),
				   t->number,
				   t->mode);
	}
	if (t->sector_size != size)
		return rb_nrg_fail(error,
				   RB_DISC_IMAGE_ERROR_SYNTAX,
				   nrg,
				   t->dao_at,
				   _("track %u has mode code 0x%02x but %u-byte sectors (%u "
				     "expected): the image is damaged"),
				   t->number,
				   t->mode,
				   t->sector_size,
				   size);
	return TRUE;
}

/* the DAO entry's byte offsets against the cue sheet's addresses */
static gboolean
rb_nrg_check_offsets(const RbNrg *nrg, guint i, guint32 *file_pregap, GError **error)
{
	const RbNrgTrack *t = &nrg->tracks[i];
	gint32 next = i + 1 < nrg->n_tracks
			      ? (nrg->tracks[i + 1].has_index0 ? nrg->tracks[i + 1].index0
							       : nrg->tracks[i + 1].indexes[0])
			      : nrg->leadout;
	/* 64-bit: no difference of two 32-bit LBAs can overflow, whatever the
	 * chunk says (the parse range-checks them too) */
	gint64 cue_pregap = t->has_index0 ? (gint64)t->indexes[0] - t->index0 : 0;
	gint64 cue_sectors = (gint64)next - t->indexes[0];
	guint64 n_sectors;

	if (t->offsets[0] > t->offsets[1] || t->offsets[1] >= t->offsets[2] ||
	    t->offsets[2] > nrg->chain_at ||
	    (t->offsets[1] - t->offsets[0]) % t->sector_size != 0 ||
	    (t->offsets[2] - t->offsets[1]) % t->sector_size != 0)
		return rb_nrg_fail(error,
				   RB_DISC_IMAGE_ERROR_SYNTAX,
				   nrg,
				   t->dao_at,
				   _("track %u's data offsets %" PRIu64 ", %" PRIu64 " and %" PRIu64
				     " are out of order, not whole %u-byte sectors, or past the "
				     "data (which ends at byte %" PRIu64
				     "): the image is damaged or truncated"),
				   t->number,
				   t->offsets[0],
				   t->offsets[1],
				   t->offsets[2],
				   t->sector_size,
				   nrg->chain_at);
	*file_pregap = (guint32)((t->offsets[1] - t->offsets[0]) / t->sector_size);
	n_sectors = (t->offsets[2] - t->offsets[1]) / t->sector_size;
	/* track 1's first 150 sectors may be left out of the file (never part
	 * of a disc's user data); every other pregap is in the file whole */
	if (cue_sectors < 1 || cue_pregap < 0 || n_sectors != (guint64)cue_sectors ||
	    (i > 0 && (guint64)*file_pregap != (guint64)cue_pregap) ||
	    (i == 0 && (t->indexes[0] != 0 || *file_pregap > RB_IMAGE_PREGAP_SECTORS)))
		return rb_nrg_fail(error,
				   RB_DISC_IMAGE_ERROR_MISMATCH,
				   nrg,
				   t->dao_at,
				   _("track %u: the data has %u pregap and %" PRIu64
				     " track sectors, the cue sheet puts index 1 at LBA %d with "
				     "%" PRId64 " pregap and %" PRId64
				     " track sectors: the image is damaged"),
				   t->number,
				   *file_pregap,
				   n_sectors,
				   t->indexes[0],
				   cue_pregap,
				   cue_sectors);
	return TRUE;
}

static gboolean
rb_nrg_add_track(RbDiscImage *image, const RbNrg *nrg, gint fd, guint i, GError **error)
{
	const RbNrgTrack *t = &nrg->tracks[i];
	RbCdSectorType type = RB_CD_SECTOR_AUDIO;
	guint32 file_pregap = 0;
	guint32 pregap;
	gsize in_size;
	RbDiscSegmentFlags flags = RB_DISC_SEGMENT_NONE;
	g_autoptr(GError) error_local = NULL;

	if (!rb_nrg_track_type(nrg, fd, t, &type, error) ||
	    !rb_nrg_check_offsets(nrg, i, &file_pregap, error))
		return FALSE;
	if (rb_cd_sector_type_is_data(type) != ((t->ctl & RB_NRG_CTL_DATA) != 0))
		return rb_nrg_fail(error,
				   RB_DISC_IMAGE_ERROR_MISMATCH,
				   nrg,
				   t->dao_at,
				   _("track %u is %s by its mode code 0x%02x but %s by its cue "
				     "sheet control bits: the image is damaged"),
				   t->number,
				   rb_cd_sector_type_is_data(type) ? _("data") : _("audio"),
				   t->mode,
				   (t->ctl & RB_NRG_CTL_DATA) != 0 ? _("data") : _("audio"));
	pregap = i == 0 ? RB_IMAGE_PREGAP_SECTORS : file_pregap;
	in_size = rb_cd_sector_type_get_input_size(type);
	if (!rb_image_layout_add_track(image->layout,
				       type,
				       (guint32)((t->offsets[2] - t->offsets[1]) / t->sector_size),
				       NULL,
				       &error_local) ||
	    !rb_image_layout_track_set_pregap(image->layout, i, pregap, &error_local) ||
	    (t->isrc[0] != '\0' &&
	     !rb_image_layout_track_set_isrc(image->layout, i, t->isrc, &error_local)) ||
	    !rb_image_layout_track_set_copy(image->layout,
					    i,
					    (t->ctl & RB_NRG_CTL_COPY) != 0
						    ? RB_IMAGE_COPY_PERMITTED
						    : RB_IMAGE_COPY_PROHIBITED,
					    &error_local) ||
	    ((t->ctl & RB_NRG_CTL_PREEMPHASIS) != 0 && type == RB_CD_SECTOR_AUDIO &&
	     !rb_image_layout_track_set_preemphasis(image->layout, i, TRUE, &error_local)))
		return rb_nrg_fail(error,
				   RB_DISC_IMAGE_ERROR_INVALID,
				   nrg,
				   t->dao_at,
				   _("track %u: %s"),
				   t->number,
				   error_local->message);
	for (guint k = 1; k < t->n_indexes; k++) {
		/* after index 1 (the parse's order), within 32 bits (its range) */
		gint64 offset = (gint64)t->indexes[k] - t->indexes[0];

		if (offset < 1 || offset > G_MAXUINT32)
			return rb_nrg_fail(error,
					   RB_DISC_IMAGE_ERROR_SYNTAX,
					   nrg,
					   t->dao_at,
					   _("track %u index %u is at LBA %d, not after its index "
					     "1: the image is damaged"),
					   t->number,
					   k + 1,
					   t->indexes[k]);
		if (!rb_image_layout_track_add_index(
			    image->layout, i, (guint32)offset, NULL, &error_local))
			return rb_nrg_fail(error,
					   RB_DISC_IMAGE_ERROR_INVALID,
					   nrg,
					   t->dao_at,
					   _("track %u index %u: %s"),
					   t->number,
					   k + 1,
					   error_local->message);
	}
	/* track 1's pregap sectors the file leaves out: silence, or empty data */
	if (pregap > file_pregap) {
		if (rb_cd_sector_type_is_data(type) && rb_cd_sector_type_is_raw(type))
			rb_disc_image_add_empty_raw(image, i, pregap - file_pregap);
		else
			rb_disc_image_add_zero(image, i, (guint64)(pregap - file_pregap) * in_size);
	}
	if (t->mode == RB_NRG_MODE2_2336)
		flags = RB_DISC_SEGMENT_XA_2336;
	else if (rb_cd_sector_type_is_data(type) && rb_cd_sector_type_is_raw(type))
		flags = RB_DISC_SEGMENT_SCRAMBLE;
	rb_disc_image_add_file(
		image, i, nrg->path, t->offsets[0], t->offsets[2] - t->offsets[0], flags);
	rb_disc_image_set_origin(image, i, nrg->path, 0);
	return TRUE;
}

static gboolean
rb_nrg_build(RbDiscImage *image, RbNrg *nrg, gint fd, GError **error)
{
	g_autoptr(GError) error_local = NULL;

	if (nrg->tracks[0].number != 1 &&
	    !rb_image_layout_set_starting_track_number(
		    image->layout, nrg->tracks[0].number, &error_local))
		return rb_nrg_fail(error,
				   RB_DISC_IMAGE_ERROR_INVALID,
				   nrg,
				   nrg->chain_at,
				   "%s",
				   error_local->message);
	if (nrg->mcn[0] != '\0' && !rb_image_layout_set_mcn(image->layout, nrg->mcn, &error_local))
		return rb_nrg_fail(error,
				   RB_DISC_IMAGE_ERROR_INVALID,
				   nrg,
				   nrg->chain_at,
				   _("MCN “%s”: %s"),
				   nrg->mcn,
				   error_local->message);
	for (guint i = 0; i < nrg->n_tracks; i++) {
		if (!rb_nrg_add_track(image, nrg, fd, i, error))
			return FALSE;
	}
	if (nrg->tracks[0].offsets[1] == nrg->tracks[0].offsets[0])
		rb_disc_image_add_note(image,
				       _("track 1's 2-second pregap is not in the image: it is "
					 "burned as silence or empty sectors"));
	if (nrg->cdtext != NULL) {
		image->cdtext = rb_cdtext_decode(nrg->cdtext, nrg->cdtext_len, &error_local);
		if (image->cdtext == NULL)
			return rb_nrg_fail(
				error,
				RB_DISC_IMAGE_ERROR_SYNTAX,
				nrg,
				nrg->cdtext_at,
				_("the CD-TEXT cannot be read (%s): the image is damaged"),
				error_local->message);
	}
	return rb_nrg_cross_check(image, nrg, error);
}

RbDiscImage *
rb_disc_nrg_read(const gchar *path, GError **error)
{
	g_autoptr(RbDiscImage) image = rb_disc_image_new(RB_DISC_IMAGE_FORMAT_NRG, path);
	RbNrg nrg = {.path = path};
	struct stat st;
	gboolean ok;
	gint fd = rb_disc_image_open_file(path, &st, error);

	if (fd < 0)
		return NULL;
	nrg.size = (guint64)st.st_size;
	ok = rb_nrg_read_chain(&nrg, fd, error) && rb_nrg_parse_chain(&nrg, error) &&
	     rb_nrg_build(image, &nrg, fd, error);
	close(fd);
	g_free(nrg.chain);
	if (!ok)
		return NULL;
	return g_steal_pointer(&image);
}
