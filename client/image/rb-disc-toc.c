/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * cdrdao TOC files (cdrdao(1), "TOC FILES"; grammar trackdb/TocParser.g,
 * meaning trackdb/Track.cc and TrackData.cc of cdrdao 1.2.4, Debian 12's).
 *
 * What libcdio 2.1.0 (lib/driver/image/cdrdao.c, unchanged since 2017) keeps
 * of a TOC file, found by reading it and by opening small TOCs with
 * cdio_open_cdrdao() and cd-info --toc-file:
 * - it reads one keyword per line (strtok on the line's first word; the rest
 *   of the line is that keyword's), so cdrdao's free layout breaks it: a
 *   LANGUAGE_MAP spread over lines (cdrdao's manual's own example) makes the
 *   open fail ("0" is an unrecognized word), and CD-TEXT items on the line
 *   of their "{" are dropped without a word;
 * - it keeps the track count, each track's format (audio, data, XA), COPY,
 *   PRE_EMPHASIS, FOUR_CHANNEL_AUDIO, ISRC and CATALOG (checked: 13 digits),
 *   and refuses unknown words, unknown track modes and CD_I;
 * - it does not keep: INDEX (parsed, thrown away), ZERO ("unimplemented"),
 *   SILENCE (its length overwrites the track's), several FILE statements in
 *   a track (the last one wins), FILE start and length as sample counts
 *   (refused: MSF only, and the start is taken as a disc address), "#offset"
 *   in FILE (refused), SWAP, the RW / RW_RAW sub-channel modes (ignored),
 *   END, FIRST_TRACK_NO (refused);
 * - its LSNs cannot be trusted: every track starts at the LSN its FILE start
 *   gives (0 for "FILE x 0"), the lead-out from the last file's size alone;
 * - CD-TEXT: LANGUAGE_MAP is ignored and every LANGUAGE block is written
 *   into block 0, labelled English, so with two languages the second one's
 *   text replaces the first one's; strings end at the first '"' (no \"
 *   or \ooo) and need exactly one space after the item; binary items
 *   (GENRE { 0, 1, … }) become the text "{ 0, 1, … }"; an ISRC item inside
 *   a track's CD_TEXT replaces that track's ISRC, inside the disc's it is
 *   written before the track table;
 * - it divides by a block size it leaves 0 for MODE2, MODE2_FORM1 and
 *   MODE2_FORM2 tracks when it must find their length from a file's size
 *   (the last track, or a DATAFILE after one): the process dies of SIGFPE;
 * - it opens FILE names relative to the working directory, not to the TOC
 *   file (DATAFILE names it finds relative to the TOC in one place, the
 *   working directory in another).
 *
 * So rawburn reads TOC files with its own scanner (rb-disc-toc-parse.c, all
 * of cdrdao's grammar, every statement with its line) and uses libcdio for
 * what it understands (rb-disc-toc-cdio.c): the statements it covers, one
 * per line, file names absolute, each language of the CD-TEXT separately,
 * go through cdio_open_cdrdao(); its track count, formats, flags, ISRCs,
 * MCN and each language's text must be ours, else the file is refused
 * naming the line. This file turns what the scanner read into the image:
 * the layout in sheet mode (track 1's 150 sectors before LBA 0 generated,
 * as cdrdao's drivers write them), the segments (raw audio files are
 * big-endian unless SWAP, .wav files little-endian; a track's data ends
 * padded with zeros to a whole block), and the CD-TEXT blocks.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <inttypes.h>
#include <string.h>
#include <sys/stat.h>

#include "rb-disc-file.h"
#include "rb-disc-toc-private.h"

static gboolean
rb_toc_ext_is(const gchar *name, const gchar *ext)
{
	const gchar *dot = strrchr(name, '.');

	return dot != NULL && g_ascii_strcasecmp(dot + 1, ext) == 0;
}

static gboolean
rb_toc_layout_fail(GError **error, const RbToc *toc, guint line, GError *error_local)
{
	return rb_toc_fail(
		error,
		g_error_matches(error_local, RB_IMAGE_ERROR, RB_IMAGE_ERROR_INSUFFICIENT_SPACE)
			? RB_DISC_IMAGE_ERROR_TOO_LONG
			: RB_DISC_IMAGE_ERROR_INVALID,
		toc,
		line,
		"%s",
		error_local->message);
}

/* where a file segment's bytes are: its path, first byte, byte count, flags */
typedef struct {
	gchar *path;
	guint64 offset;
	guint64 length;
	RbDiscSegmentFlags flags;
} RbTocPiece;

/* an audio file (FILE, or DATAFILE in an audio track): a .wav's samples
 * after its header, little-endian; any other file raw big-endian samples
 * from "#offset" (cdrdao TrackData::audioFileType, TrackDataReader) */
static gboolean
rb_toc_audio_piece(const RbToc *toc, const RbTocSegment *segment, RbTocPiece *piece, GError **error)
{
	gboolean wave = rb_toc_ext_is(segment->name, "wav");
	guint64 data_offset = segment->offset;
	guint64 data_length = 0;
	guint64 start = segment->start * RB_TOC_SAMPLE_SIZE;
	guint64 length;
	g_autoptr(GError) error_local = NULL;
	struct stat st;

	if (wave && segment->offset > 0)
		return rb_toc_fail(error,
				   RB_DISC_IMAGE_ERROR_UNSUPPORTED,
				   toc,
				   segment->line,
				   _("“#%" PRIu64 "” before a WAV file's header: rawburn "
				     "reads WAV files from their start; remove the offset"),
				   segment->offset);
	if (wave) {
		if (!rb_disc_wav_probe(piece->path, &data_offset, &data_length, &error_local))
			return rb_toc_fail(error,
					   error_local->code,
					   toc,
					   segment->line,
					   "%s",
					   error_local->message);
	} else if (g_stat(piece->path, &st) == 0 && (guint64)st.st_size >= segment->offset) {
		data_length = (guint64)st.st_size - segment->offset;
	}
	/* cdrdao counts whole samples of a file */
	data_length -= data_length % RB_TOC_SAMPLE_SIZE;
	length = segment->kind == RB_TOC_SEGMENT_AUDIOFILE ? segment->length * RB_TOC_SAMPLE_SIZE
							   : segment->length;
	if (length == 0 && start <= data_length)
		length = data_length - start;
	if (start + length > data_length || length == 0)
		return rb_toc_fail(error,
				   RB_DISC_IMAGE_ERROR_FILE_TOO_SHORT,
				   toc,
				   segment->line,
				   _("“%s” has %" PRIu64 " bytes of audio, but the "
				     "statement wants %" PRIu64 " from byte %" PRIu64
				     ": the file is truncated or the start or length is wrong"),
				   segment->name,
				   data_length,
				   length,
				   start);
	piece->offset = data_offset + start;
	piece->length = length;
	/* cdrdao: WAVE is little-endian, raw big-endian, SWAP turns either round */
	piece->flags = wave != segment->swap ? RB_DISC_SEGMENT_NONE : RB_DISC_SEGMENT_SWAP16;
	return TRUE;
}

static gboolean
rb_toc_data_piece(const RbToc *toc,
		  const RbTocTrack *track,
		  const RbTocSegment *segment,
		  RbTocPiece *piece,
		  GError **error)
{
	struct stat st;
	guint64 size;

	if (g_stat(piece->path, &st) != 0 || !S_ISREG(st.st_mode))
		return rb_toc_fail(
			error,
			RB_DISC_IMAGE_ERROR_FILE,
			toc,
			segment->line,
			_("the data file “%s” cannot be read; put it beside the TOC file "
			  "or fix its name"),
			segment->name);
	size = (guint64)st.st_size;
	piece->offset = segment->offset;
	piece->length = segment->length;
	if (piece->length == 0 && size > segment->offset)
		piece->length = size - segment->offset;
	if (piece->length == 0 || segment->offset + piece->length > size)
		return rb_toc_fail(error,
				   RB_DISC_IMAGE_ERROR_FILE_TOO_SHORT,
				   toc,
				   segment->line,
				   _("“%s” has %" PRIu64 " bytes, but the statement wants "
				     "%" PRIu64 " from byte %" PRIu64
				     ": the file is truncated or the length is wrong"),
				   segment->name,
				   size,
				   piece->length,
				   segment->offset);
	piece->flags = rb_cd_sector_type_is_raw(track->type) ? RB_DISC_SEGMENT_SCRAMBLE
							     : RB_DISC_SEGMENT_NONE;
	return TRUE;
}

/*
 * @bytes more of the track's data: refused once no disc could hold the
 * track (from LBA -150 to the last user LBA), which also keeps *@total
 * from wrapping round, whatever the statements' lengths add up to: a
 * wrapped total would make a short track of a long TOC, and its padding
 * would replace the files' data with zeros.
 */
static gboolean
rb_toc_count(const RbToc *toc,
	     const RbTocTrack *track,
	     const RbTocSegment *segment,
	     guint64 bytes,
	     guint64 *total,
	     GError **error)
{
	guint64 max =
		(guint64)(RB_IMAGE_LAST_USER_LBA + 1 + RB_IMAGE_PREGAP_SECTORS) * track->block_size;

	/* *total <= max here: the difference cannot wrap */
	if (bytes > max - *total)
		return rb_toc_fail(error,
				   RB_DISC_IMAGE_ERROR_TOO_LONG,
				   toc,
				   segment->line,
				   _("the track is longer than a CD can hold (%" PRIu64
				     " bytes of %s blocks at most): the length is wrong"),
				   max,
				   track->mode);
	*total += bytes;
	return TRUE;
}

/* the track's segments into the image; its data bytes in *@total */
static gboolean
rb_toc_add_segments(RbDiscImage *image,
		    const RbToc *toc,
		    guint index,
		    guint64 *total,
		    guint64 *before_start,
		    GError **error)
{
	const RbTocTrack *track = g_ptr_array_index(toc->tracks, index);
	gboolean audio = track->type == RB_CD_SECTOR_AUDIO;
	gboolean raw = rb_cd_sector_type_is_raw(track->type);
	/* MODE2_FORM_MIX: 2336-byte blocks in the files, raw sectors on the disc */
	gboolean xa = raw && track->block_size == RB_CD_XA_INPUT_SIZE;
	gsize raw_unit = xa ? RB_CD_XA_INPUT_SIZE : RB_CD_MAIN_SIZE;
	gint cut = -1;

	*total = 0;
	for (guint i = 0; i < track->segments->len; i++) {
		const RbTocSegment *segment = &g_array_index(track->segments, RbTocSegment, i);
		gboolean sample_cut = segment->kind == RB_TOC_SEGMENT_AUDIOFILE ||
				      segment->kind == RB_TOC_SEGMENT_SILENCE;
		g_autofree gchar *path = NULL;
		RbTocPiece piece = {0};

		if (i == track->start_segments)
			*before_start = *total;
		if (sample_cut && !audio)
			return rb_toc_fail(error,
					   RB_DISC_IMAGE_ERROR_SYNTAX,
					   toc,
					   segment->line,
					   _("FILE and SILENCE are for audio tracks; in a %s track "
					     "use DATAFILE and ZERO"),
					   track->mode);
		/* cdrdao Track::append: samples and blocks do not mix in a track */
		if (cut >= 0 && cut != (gint)sample_cut)
			return rb_toc_fail(error,
					   RB_DISC_IMAGE_ERROR_SYNTAX,
					   toc,
					   segment->line,
					   _("FILE/SILENCE and DATAFILE/ZERO in one track: cdrdao "
					     "refuses the mix (PREGAP counts as SILENCE in audio "
					     "tracks); use one kind"));
		cut = (gint)sample_cut;
		if (segment->kind == RB_TOC_SEGMENT_SILENCE ||
		    segment->kind == RB_TOC_SEGMENT_ZERO) {
			guint64 bytes = segment->kind == RB_TOC_SEGMENT_SILENCE
						? segment->length * RB_TOC_SAMPLE_SIZE
						: segment->length;

			if (raw && bytes % raw_unit != 0)
				return rb_toc_fail(error,
						   RB_DISC_IMAGE_ERROR_UNSUPPORTED,
						   toc,
						   segment->line,
						   _("ZERO of %" PRIu64 " bytes in a %s "
						     "track: give whole blocks (MM:SS:FF)"),
						   bytes,
						   track->mode);
			if (!rb_toc_count(toc, track, segment, bytes, total, error))
				return FALSE;
			if (raw)
				rb_disc_image_add_empty_raw(
					image, index, (guint32)(bytes / raw_unit));
			else
				rb_disc_image_add_zero(image, index, bytes);
			continue;
		}
		if (g_strcmp0(segment->name, "-") == 0)
			return rb_toc_fail(error,
					   RB_DISC_IMAGE_ERROR_UNSUPPORTED,
					   toc,
					   segment->line,
					   _("“-” (standard input): rawburn reads files only; save "
					     "the data to a file and name it"));
		if (audio &&
		    (rb_toc_ext_is(segment->name, "mp3") || rb_toc_ext_is(segment->name, "ogg")))
			return rb_toc_fail(
				error,
				RB_DISC_IMAGE_ERROR_UNSUPPORTED,
				toc,
				segment->line,
				_("“%s”: rawburn reads WAV and raw audio only; decode it "
				  "to WAV first (e.g. “sox IN -r 44100 -b 16 -c 2 OUT.wav”)"),
				segment->name);
		path = rb_disc_image_resolve_path(image, segment->name);
		if (!g_file_test(path, G_FILE_TEST_IS_REGULAR))
			return rb_toc_fail(error,
					   RB_DISC_IMAGE_ERROR_FILE,
					   toc,
					   segment->line,
					   _("the file “%s” is missing; put it beside the TOC file "
					     "or fix its name"),
					   segment->name);
		piece.path = path;
		if (audio ? !rb_toc_audio_piece(toc, segment, &piece, error)
			  : !rb_toc_data_piece(toc, track, segment, &piece, error))
			return FALSE;
		if (xa) {
			if (piece.length % RB_CD_XA_INPUT_SIZE != 0)
				return rb_toc_fail(error,
						   RB_DISC_IMAGE_ERROR_FILE_TOO_SHORT,
						   toc,
						   segment->line,
						   _("“%s” gives %" PRIu64
						     " bytes, no whole number "
						     "of 2336-byte MODE2_FORM_MIX blocks: the file "
						     "is truncated or the length is wrong"),
						   segment->name,
						   piece.length);
			piece.flags = RB_DISC_SEGMENT_XA_2336;
		}
		if (!rb_toc_count(toc, track, segment, piece.length, total, error))
			return FALSE;
		rb_disc_image_add_file(image, index, path, piece.offset, piece.length, piece.flags);
	}
	if (track->start_segments == track->segments->len)
		*before_start = *total;
	return TRUE;
}

static gboolean
rb_toc_add_track(RbDiscImage *image, const RbToc *toc, guint index, GError **error)
{
	const RbTocTrack *track = g_ptr_array_index(toc->tracks, index);
	RbImageLayout *layout = image->layout;
	gsize block = track->block_size;
	/* track 1's 2 s before LBA 0 are in no file: cdrdao's drivers write
	 * them as silence or empty blocks of the track's mode */
	guint32 generated = index == 0 ? RB_IMAGE_PREGAP_SECTORS : 0;
	guint64 total = 0;
	guint64 before_start = 0;
	guint64 n_blocks64;
	guint32 n_blocks;
	guint32 pregap = 0;
	g_autoptr(GError) error_local = NULL;

	if (g_strcmp0(track->mode, "MODE2_FORM2") == 0)
		return rb_toc_fail(error,
				   RB_DISC_IMAGE_ERROR_UNSUPPORTED,
				   toc,
				   track->line,
				   _("MODE2_FORM2 takes 2324-byte blocks, which rawburn does not "
				     "burn yet; give the blocks with their 8-byte sub-header as "
				     "MODE2_FORM_MIX (2336 bytes)"));
	if (generated > 0) {
		if (rb_cd_sector_type_is_raw(track->type))
			rb_disc_image_add_empty_raw(image, index, generated);
		else
			rb_disc_image_add_zero(
				image,
				index,
				(guint64)generated * rb_cd_sector_type_get_input_size(track->type));
	}
	if (!rb_toc_add_segments(image, toc, index, &total, &before_start, error))
		return FALSE;
	/* cdrdao Track::update: zeros complete the last block */
	n_blocks64 = total / block + (total % block != 0 ? 1 : 0);
	/* rb_toc_count() bounds total to a disc's blocks, so this fits in 32 bits */
	g_assert(n_blocks64 <= RB_IMAGE_LAST_USER_LBA + 1 + RB_IMAGE_PREGAP_SECTORS);
	n_blocks = (guint32)n_blocks64;
	if (rb_cd_sector_type_is_raw(track->type) && total % block != 0)
		return rb_toc_fail(error,
				   RB_DISC_IMAGE_ERROR_FILE_TOO_SHORT,
				   toc,
				   track->line,
				   _("the %s track's data ends inside a %zu-byte block; the "
				     "file is truncated"),
				   track->mode,
				   block);
	g_assert(total <= (guint64)n_blocks * block);
	rb_disc_image_add_zero(image, index, (guint64)n_blocks * block - total);
	if (track->start_line != 0)
		pregap = track->start_given ? track->start_frames
					    : (guint32)((before_start + block - 1) / block);
	if (track->start_line != 0 && pregap >= n_blocks)
		return rb_toc_fail(error,
				   RB_DISC_IMAGE_ERROR_SYNTAX,
				   toc,
				   track->start_line,
				   _("START at block %u, but the track has %u blocks: the pregap "
				     "must end before the track does"),
				   pregap,
				   n_blocks);
	if (n_blocks - pregap < RB_IMAGE_MIN_TRACK_SECTORS)
		return rb_toc_fail(error,
				   RB_DISC_IMAGE_ERROR_INVALID,
				   toc,
				   track->line,
				   _("track %u is %.2f s long after its pregap; a CD track needs "
				     "at least 4 s: lengthen it or join it to its neighbour"),
				   rb_toc_track_number(toc, index),
				   (n_blocks - pregap) / 75.0);
	if (!rb_image_layout_add_track(
		    layout, track->type, n_blocks - pregap, NULL, &error_local) ||
	    !rb_image_layout_track_set_pregap(layout, index, pregap + generated, &error_local) ||
	    !rb_image_layout_track_set_copy(layout, index, track->copy, &error_local) ||
	    (track->preemphasis &&
	     !rb_image_layout_track_set_preemphasis(layout, index, TRUE, &error_local)))
		return rb_toc_layout_fail(error, toc, track->line, error_local);
	if (track->isrc != NULL &&
	    !rb_image_layout_track_set_isrc(layout, index, track->isrc, &error_local))
		return rb_toc_layout_fail(error, toc, track->isrc_line, error_local);
	for (guint i = 0; i < track->indexes->len; i++) {
		const RbTocIndex *mark = &g_array_index(track->indexes, RbTocIndex, i);
		gint64 offset = (gint64)mark->frames - (mark->end ? pregap : 0);

		/* cdrdao Track::appendIndex: after index 1, before the end */
		if (offset <= 0 || offset >= (gint64)(n_blocks - pregap))
			return rb_toc_fail(
				error,
				RB_DISC_IMAGE_ERROR_SYNTAX,
				toc,
				mark->line,
				_("an index %" PRId64 " blocks after the track's "
				  "START, but it has %u: an index lies inside the track"),
				offset,
				n_blocks - pregap);
		if (!rb_image_layout_track_add_index(
			    layout, index, (guint32)offset, NULL, &error_local))
			return rb_toc_layout_fail(error, toc, mark->line, error_local);
	}
	rb_disc_image_set_origin(image, index, toc->path, track->line);
	return TRUE;
}

/* cdrdao: the declared disc type must fit the tracks; the TOC's disc type
 * rawburn writes comes from the tracks */
static gboolean
rb_toc_check_disc_type(const RbToc *toc, GError **error)
{
	gboolean data = FALSE;
	gboolean mode2 = FALSE;

	for (guint i = 0; i < toc->tracks->len; i++) {
		const RbTocTrack *track = g_ptr_array_index(toc->tracks, i);

		data |= track->type != RB_CD_SECTOR_AUDIO;
		mode2 |= rb_cd_sector_type_get_mode(track->type) == 2;
	}
	if (toc->disc_type == RB_TOC_DISC_CD_DA && data)
		return rb_toc_fail(error,
				   RB_DISC_IMAGE_ERROR_SYNTAX,
				   toc,
				   toc->disc_type_line,
				   _("CD_DA, but the disc has data tracks: write CD_ROM (Mode 1) "
				     "or CD_ROM_XA (Mode 2)"));
	if (toc->disc_type == RB_TOC_DISC_CD_ROM && mode2)
		return rb_toc_fail(error,
				   RB_DISC_IMAGE_ERROR_SYNTAX,
				   toc,
				   toc->disc_type_line,
				   _("CD_ROM, but the disc has Mode 2 tracks: write CD_ROM_XA"));
	if (toc->disc_type == RB_TOC_DISC_CD_ROM_XA && !mode2)
		return rb_toc_fail(error,
				   RB_DISC_IMAGE_ERROR_UNSUPPORTED,
				   toc,
				   toc->disc_type_line,
				   _("CD_ROM_XA without a Mode 2 track: rawburn gives a disc the "
				     "type its tracks have; write CD_ROM or CD_DA"));
	return TRUE;
}

RbDiscImage *
rb_disc_toc_read(const gchar *path, GError **error)
{
	g_autoptr(RbDiscImage) image = NULL;
	g_autoptr(RbToc) toc = NULL;
	g_autoptr(GError) error_local = NULL;
	g_autofree gchar *text = NULL;
	gsize len = 0;

	text = rb_disc_file_read(path, RB_DISC_FILE_SHEET_MAX, &len, &error_local);
	if (text == NULL) {
		g_set_error(error,
			    RB_DISC_IMAGE_ERROR,
			    RB_DISC_IMAGE_ERROR_FILE,
			    _("Cannot read the TOC file: %s"),
			    error_local->message);
		return NULL;
	}
	if (memchr(text, 0, len) != NULL) {
		g_set_error(error,
			    RB_DISC_IMAGE_ERROR,
			    RB_DISC_IMAGE_ERROR_SYNTAX,
			    _("%s is no TOC file (it is binary); name the image's .toc file, or "
			      "the image itself"),
			    path);
		return NULL;
	}
	toc = rb_toc_parse(path, text, len, error);
	if (toc == NULL || !rb_toc_check_disc_type(toc, error))
		return NULL;
	/* cdrdao Toc::catalog: exactly 13 digits */
	if (toc->catalog != NULL && (strlen(toc->catalog) != RB_IMAGE_MCN_LENGTH ||
				     strspn(toc->catalog, "0123456789") != RB_IMAGE_MCN_LENGTH)) {
		rb_toc_fail(error,
			    RB_DISC_IMAGE_ERROR_SYNTAX,
			    toc,
			    toc->catalog_line,
			    _("CATALOG \"%s\": a catalog number (MCN) has exactly 13 digits"),
			    toc->catalog);
		return NULL;
	}
	image = rb_disc_image_new(RB_DISC_IMAGE_FORMAT_TOC, path);
	if (toc->catalog != NULL &&
	    !rb_image_layout_set_mcn(image->layout, toc->catalog, &error_local)) {
		rb_toc_layout_fail(error, toc, toc->catalog_line, error_local);
		return NULL;
	}
	if (toc->first_track != 0 && !rb_image_layout_set_starting_track_number(
					     image->layout, toc->first_track, &error_local)) {
		rb_toc_layout_fail(error, toc, 0, error_local);
		return NULL;
	}
	for (guint i = 0; i < toc->tracks->len; i++) {
		if (!rb_toc_add_track(image, toc, i, error))
			return NULL;
	}
	if (!rb_toc_build_cdtext(image, toc, error) || !rb_disc_toc_cdio_check(toc, image, error))
		return NULL;
	return g_steal_pointer(&image);
}
