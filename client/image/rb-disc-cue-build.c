/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * From the scanned CUE sheet to the image: the layout in sheet mode and
 * each track's segments of its files. Track 1's 150 sectors before LBA 0
 * are never in the files: they are generated, and a track 1 INDEX 00 in
 * the file comes after them, as cdrdao does (INDEX 00 00:00:00, INDEX 01
 * 00:02:00 puts index 1 at LBA 150). PREGAP is generated silence (empty
 * sectors in a data track) before the file's index 0, POSTGAP the same at
 * the end of the track's index 1. The byte offsets in a file follow from
 * the sector size of the track each stretch of it belongs to.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "rb-disc-cue-private.h"

/* the sector size of a mode in its file */
static gsize
rb_cue_mode_file_size(RbCueMode mode)
{
	switch (mode) {
	case RB_CUE_MODE_MODE1_2048:
	case RB_CUE_MODE_MODE2_2048:
		return 2048;
	case RB_CUE_MODE_MODE2_2336:
		return 2336;
	default:
		return RB_CD_MAIN_SIZE;
	}
}

/*
 * The image core's type: raw sectors as READ CD gives them are scrambled
 * on the way; 2336-byte XA sectors are built into raw ones of their own
 * form (rb-disc-stream.c), so both Mode 2 raw modes take the formless raw
 * type, whose empty gap sectors are what cdrdao writes there too.
 */
static RbCdSectorType
rb_cue_mode_type(RbCueMode mode)
{
	switch (mode) {
	case RB_CUE_MODE_MODE1_2048:
		return RB_CD_SECTOR_MODE1;
	case RB_CUE_MODE_MODE1_2352:
		return RB_CD_SECTOR_MODE1_RAW;
	case RB_CUE_MODE_MODE2_2048:
		return RB_CD_SECTOR_MODE2_FORM1;
	case RB_CUE_MODE_MODE2_2336:
	case RB_CUE_MODE_MODE2_2352:
		return RB_CD_SECTOR_MODE2_FORM0_RAW;
	default:
		return RB_CD_SECTOR_AUDIO;
	}
}

/* ---- from the sheet to the image ---- */

typedef struct {
	RbDiscImage *image;
	RbCueSheet *sheet;
	/* per file, the byte where the next stretch starts */
	guint64 *file_byte;
	gboolean padded;
} RbCueBuild;

/*
 * The sectors of track @t from @from up to @to (NULL: to the end of the
 * files), appended to its source; their count in @n_sectors.
 */
static gboolean
rb_cue_span(RbCueBuild *b,
	    guint t,
	    const RbCuePoint *from,
	    const RbCuePoint *to,
	    guint32 *n_sectors,
	    GError **error)
{
	const RbCueTrack *track = &b->sheet->tracks[t];
	gsize size = rb_cue_mode_file_size(track->mode);
	guint last = to != NULL ? to->file : b->sheet->files->len - 1;
	RbDiscSegmentFlags flags = RB_DISC_SEGMENT_NONE;
	/* a stretch longer than a disc is refused before it is counted: the
	 * files' sizes (whole files between two INDEX lines, the last track's
	 * up to the end of its files) could add up to more than 32 bits hold,
	 * and a wrapped count would make a short track that skips their data */
	const guint64 max = RB_IMAGE_LAST_USER_LBA + 1 + RB_IMAGE_PREGAP_SECTORS;
	guint64 total = 0;

	if (track->mode == RB_CUE_MODE_MODE1_2352 || track->mode == RB_CUE_MODE_MODE2_2352)
		flags = RB_DISC_SEGMENT_SCRAMBLE;
	else if (track->mode == RB_CUE_MODE_MODE2_2336)
		flags = RB_DISC_SEGMENT_XA_2336;
	for (guint f = from->file; f <= last; f++) {
		const RbCueFile *file = g_ptr_array_index(b->sheet->files, f);
		guint64 start = b->file_byte[f];
		guint64 bytes;
		RbDiscSegmentFlags these = flags;

		if (file->type == RB_CUE_FILE_MOTOROLA)
			these |= RB_DISC_SEGMENT_SWAP16;
		if (to != NULL && f == to->file) {
			guint32 from_frame = f == from->file ? from->frame : 0;

			bytes = (guint64)(to->frame - from_frame) * size;
			if (start + bytes > file->length)
				return rb_disc_cue_fail(
					b->sheet,
					to->line,
					error,
					RB_DISC_IMAGE_ERROR_FILE_TOO_SHORT,
					_("“%s” has %" PRIu64 " bytes of sectors, but "
					  "this INDEX is at byte %" PRIu64
					  ": the file is truncated or the time is wrong"),
					file->path,
					file->length,
					start + bytes);
		} else {
			bytes = file->length > start ? file->length - start : 0;
			if (bytes % size != 0) {
				if (track->mode != RB_CUE_MODE_AUDIO)
					return rb_disc_cue_fail(
						b->sheet,
						track->line,
						error,
						RB_DISC_IMAGE_ERROR_FILE_TOO_SHORT,
						_("“%s” ends %" PRIu64
						  " bytes into a %zu-byte sector of this track: "
						  "the file is truncated or the mode is wrong"),
						file->path,
						bytes % size,
						size);
				these |= RB_DISC_SEGMENT_PAD;
				b->padded = TRUE;
			}
		}
		/* total <= max here: the difference cannot wrap */
		if (bytes / size + (bytes % size != 0 ? 1 : 0) > max - total)
			return rb_disc_cue_fail(
				b->sheet,
				file->line,
				error,
				RB_DISC_IMAGE_ERROR_TOO_LONG,
				_("track %02u takes more than the %" PRIu64 " sectors a CD "
				  "holds from “%s”: the file is not this sheet's, or an INDEX "
				  "is missing"),
				track->number,
				max,
				file->path);
		total += bytes / size + (bytes % size != 0 ? 1 : 0);
		if (bytes > 0)
			rb_disc_image_add_file(
				b->image, t, file->path, file->offset + start, bytes, these);
		b->file_byte[f] = start + bytes;
	}
	*n_sectors = (guint32)total;
	return TRUE;
}

static void
rb_cue_add_gap(RbCueBuild *b, guint t, guint32 n_sectors)
{
	RbCueMode mode = b->sheet->tracks[t].mode;

	if (mode == RB_CUE_MODE_AUDIO || mode == RB_CUE_MODE_MODE1_2048 ||
	    mode == RB_CUE_MODE_MODE2_2048)
		rb_disc_image_add_zero(
			b->image, t, (guint64)n_sectors * rb_cue_mode_file_size(mode));
	else
		rb_disc_image_add_empty_raw(b->image, t, n_sectors);
}

static gboolean
rb_cue_layout_fail(RbCueBuild *b, guint line, GError *error_local, GError **error)
{
	return rb_disc_cue_fail(b->sheet,
				line,
				error,
				g_error_matches(error_local,
						RB_IMAGE_ERROR,
						RB_IMAGE_ERROR_SECTOR_TYPE_NOT_SUPPORTED)
					? RB_DISC_IMAGE_ERROR_UNSUPPORTED
					: RB_DISC_IMAGE_ERROR_INVALID,
				"%s",
				error_local->message);
}

static gboolean
rb_cue_build_track(RbCueBuild *b, guint t, GError **error)
{
	RbImageLayout *layout = b->image->layout;
	const RbCueTrack *track = &b->sheet->tracks[t];
	const RbCuePoint *next = NULL;
	guint32 generated = (t == 0 ? RB_IMAGE_PREGAP_SECTORS : 0) + track->pregap;
	guint32 in_file_pregap = 0;
	guint32 offsets[RB_IMAGE_MAX_INDEXES] = {0};
	/* at most 99 spans of a disc each (rb_cue_span) and a POSTGAP under
	 * 1000 minutes: far from wrapping */
	guint32 n_main = 0;
	g_autoptr(GError) error_local = NULL;

	if (t + 1 < b->sheet->n_tracks) {
		const RbCueTrack *after = &b->sheet->tracks[t + 1];
		next = after->has_index0 ? &after->index0 : &after->indexes[0];
	}
	rb_cue_add_gap(b, t, generated);
	if (track->has_index0 &&
	    !rb_cue_span(b, t, &track->index0, &track->indexes[0], &in_file_pregap, error))
		return FALSE;
	for (guint k = 0; k < track->n_indexes; k++) {
		guint32 n = 0;

		offsets[k] = n_main;
		if (!rb_cue_span(b,
				 t,
				 &track->indexes[k],
				 k + 1 < track->n_indexes ? &track->indexes[k + 1] : next,
				 &n,
				 error))
			return FALSE;
		n_main += n;
	}
	rb_cue_add_gap(b, t, track->postgap);
	n_main += track->postgap;
	if (n_main < RB_IMAGE_MIN_TRACK_SECTORS)
		return rb_disc_cue_fail(
			b->sheet,
			track->line,
			error,
			RB_DISC_IMAGE_ERROR_INVALID,
			_("track %02u has %.2f s from its INDEX 01 on; a CD track needs "
			  "at least 4 s"),
			track->number,
			n_main / (gdouble)RB_CUE_FRAMES_PER_SECOND);
	if (!rb_image_layout_add_track(
		    layout, rb_cue_mode_type(track->mode), n_main, NULL, &error_local) ||
	    !rb_image_layout_track_set_pregap(layout, t, generated + in_file_pregap, &error_local))
		return rb_cue_layout_fail(b, track->line, error_local, error);
	for (guint k = 1; k < track->n_indexes; k++) {
		if (!rb_image_layout_track_add_index(layout, t, offsets[k], NULL, &error_local))
			return rb_cue_layout_fail(b, track->indexes[k].line, error_local, error);
	}
	if ((track->isrc[0] != '\0' &&
	     !rb_image_layout_track_set_isrc(layout, t, track->isrc, &error_local)) ||
	    !rb_image_layout_track_set_copy(layout,
					    t,
					    track->copy_permitted ? RB_IMAGE_COPY_PERMITTED
					    : track->scms         ? RB_IMAGE_COPY_SCMS
								  : RB_IMAGE_COPY_PROHIBITED,
					    &error_local) ||
	    (track->preemphasis &&
	     !rb_image_layout_track_set_preemphasis(layout, t, TRUE, &error_local)))
		return rb_cue_layout_fail(b, track->line, error_local, error);
	rb_disc_image_set_origin(b->image, t, b->sheet->path, track->line);
	return TRUE;
}

gboolean
rb_disc_cue_build(RbDiscImage *image, RbCueSheet *sheet, GError **error)
{
	g_autofree guint64 *file_byte = g_new0(guint64, sheet->files->len);
	RbCueBuild b = {.image = image, .sheet = sheet, .file_byte = file_byte};
	g_autoptr(GError) error_local = NULL;

	if (!rb_image_layout_set_starting_track_number(
		    image->layout, sheet->tracks[0].number, &error_local))
		return rb_cue_layout_fail(&b, sheet->tracks[0].line, error_local, error);
	if (sheet->mcn[0] != '\0' &&
	    !rb_image_layout_set_mcn(image->layout, sheet->mcn, &error_local))
		return rb_cue_layout_fail(&b, sheet->mcn_line, error_local, error);
	for (guint t = 0; t < sheet->n_tracks; t++) {
		if (!rb_cue_build_track(&b, t, error))
			return FALSE;
	}
	if (b.padded)
		rb_disc_image_add_note(image,
				       _("an audio file ends inside a sector: zeros complete it"));
	return rb_disc_cue_build_cdtext(image, sheet, error);
}
