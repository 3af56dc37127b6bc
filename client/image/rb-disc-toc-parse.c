/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The grammar of cdrdao TOC files (trackdb/TocParser.g) over the tokens
 * of rb-disc-toc-lex.c, in cdrdao's order: header (CATALOG, CD_DA /
 * CD_ROM / CD_ROM_XA, FIRST_TRACK_NO), the disc's CD_TEXT, then each
 * TRACK with its flags, CD_TEXT, PREGAP, data statements, START / END and
 * INDEX. It keeps every
 * statement with its line and refuses what it does not know (cdrdao
 * refuses it too: an unknown word is an illegal token there). What the
 * statements mean for the disc is rb-disc-toc.c's.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "rb-disc-toc-private.h"

static void
rb_toc_segment_clear(gpointer data)
{
	g_free(((RbTocSegment *)data)->name);
}

static void
rb_toc_text_clear(gpointer data)
{
	g_byte_array_unref(((RbTocText *)data)->bytes);
}

static void
rb_toc_track_free(gpointer data)
{
	RbTocTrack *track = data;

	g_free(track->isrc);
	g_array_unref(track->segments);
	g_array_unref(track->indexes);
	g_free(track);
}

void
rb_toc_free(RbToc *toc)
{
	if (toc == NULL)
		return;
	g_free(toc->path);
	g_free(toc->catalog);
	g_ptr_array_unref(toc->tracks);
	g_array_unref(toc->texts);
	g_free(toc);
}

/* ---- tracks ---- */

static const struct {
	const gchar *word;
	RbCdSectorType type;
	gsize block_size;
} rb_toc_modes[] = {
	{"AUDIO", RB_CD_SECTOR_AUDIO, 2352},
	{"MODE1", RB_CD_SECTOR_MODE1, 2048},
	/* raw sectors: the image core takes them scrambled (SCRAMBLE) */
	{"MODE1_RAW", RB_CD_SECTOR_MODE1_RAW, 2352},
	{"MODE2", RB_CD_SECTOR_MODE2_FORM0, 2336},
	{"MODE2_FORM1", RB_CD_SECTOR_MODE2_FORM1, 2048},
	/* 2324 user bytes a block: no IMAPI type takes these; refused by the reader */
	{"MODE2_FORM2", RB_CD_SECTOR_MODE2_FORM2, 2324},
	/* sub-header included: each block built raw in the form its sub-header
	 * says (RB_DISC_SEGMENT_XA_2336), as a CUE MODE2/2336 track */
	{"MODE2_FORM_MIX", RB_CD_SECTOR_MODE2_FORM0_RAW, 2336},
	/* 2352 as read: whichever form each sector is, it passes as it is */
	{"MODE2_RAW", RB_CD_SECTOR_MODE2_FORM0_RAW, 2352},
};

static gboolean
rb_toc_parse_flags(RbTocParser *p, RbTocTrack *track, GError **error)
{
	for (;;) {
		const RbTocToken *token = rb_toc_peek(p, 0);
		gboolean no = rb_toc_is_word(token, "NO");
		const RbTocToken *flag = no ? rb_toc_peek(p, 1) : token;

		if (rb_toc_is_word(token, "ISRC")) {
			g_autoptr(GByteArray) bytes = NULL;

			rb_toc_next(p);
			track->isrc_line = token->line;
			if (!rb_toc_parse_string(p, &bytes, error))
				return FALSE;
			g_free(track->isrc);
			track->isrc = g_strdup((const gchar *)bytes->data);
		} else if (rb_toc_is_word(flag, "COPY")) {
			track->copy = no ? RB_IMAGE_COPY_PROHIBITED : RB_IMAGE_COPY_PERMITTED;
			p->pos += no ? 2 : 1;
		} else if (rb_toc_is_word(flag, "PRE_EMPHASIS")) {
			track->preemphasis = !no;
			p->pos += no ? 2 : 1;
		} else if (no) {
			rb_toc_next(p);
			return rb_toc_expected(p, _("COPY or PRE_EMPHASIS after NO"), error);
		} else if (rb_toc_is_word(token, "TWO_CHANNEL_AUDIO")) {
			rb_toc_next(p);
		} else if (rb_toc_is_word(token, "FOUR_CHANNEL_AUDIO")) {
			return rb_toc_fail(error,
					   RB_DISC_IMAGE_ERROR_UNSUPPORTED,
					   p->toc,
					   token->line,
					   _("FOUR_CHANNEL_AUDIO: rawburn writes two-channel audio "
					     "only, as CD players play"));
		} else {
			return TRUE;
		}
	}
}

/* FILE/AUDIOFILE "name" [SWAP] [#offset] start [length] */
static gboolean
rb_toc_parse_audiofile(RbTocParser *p, RbTocSegment *segment, GError **error)
{
	g_autoptr(GByteArray) name = NULL;

	if (!rb_toc_parse_string(p, &name, error))
		return FALSE;
	segment->name = g_strdup((const gchar *)name->data);
	if (rb_toc_is_word(rb_toc_peek(p, 0), "SWAP")) {
		segment->swap = TRUE;
		rb_toc_next(p);
	}
	if (rb_toc_is_punct(rb_toc_peek(p, 0), '#')) {
		rb_toc_next(p);
		if (!rb_toc_parse_uint(p, G_MAXINT64, &segment->offset, error))
			return FALSE;
	}
	if (!rb_toc_parse_samples(p, &segment->start, error))
		return FALSE;
	if (rb_toc_peek(p, 0)->kind == RB_TOC_TOKEN_INT)
		return rb_toc_parse_samples(p, &segment->length, error);
	return TRUE;
}

/* one data statement, or FALSE with @error; *@done when none comes */
static gboolean
rb_toc_parse_segment(RbTocParser *p, RbTocTrack *track, gboolean *done, GError **error)
{
	const RbTocToken *token = rb_toc_peek(p, 0);
	RbTocSegment segment = {.line = token->line};
	gboolean ok = TRUE;

	*done = FALSE;
	if (rb_toc_is_word(token, "FILE") || rb_toc_is_word(token, "AUDIOFILE")) {
		rb_toc_next(p);
		segment.kind = RB_TOC_SEGMENT_AUDIOFILE;
		ok = rb_toc_parse_audiofile(p, &segment, error);
	} else if (rb_toc_is_word(token, "DATAFILE")) {
		g_autoptr(GByteArray) name = NULL;

		rb_toc_next(p);
		segment.kind = RB_TOC_SEGMENT_DATAFILE;
		ok = rb_toc_parse_string(p, &name, error);
		if (ok)
			segment.name = g_strdup((const gchar *)name->data);
		if (ok && rb_toc_is_punct(rb_toc_peek(p, 0), '#')) {
			rb_toc_next(p);
			ok = rb_toc_parse_uint(p, G_MAXINT64, &segment.offset, error);
		}
		if (ok && rb_toc_peek(p, 0)->kind == RB_TOC_TOKEN_INT)
			ok = rb_toc_parse_bytes(p, track->block_size, &segment.length, error);
	} else if (rb_toc_is_word(token, "SILENCE")) {
		rb_toc_next(p);
		segment.kind = RB_TOC_SEGMENT_SILENCE;
		ok = rb_toc_parse_samples(p, &segment.length, error);
	} else if (rb_toc_is_word(token, "ZERO")) {
		const RbTocToken *mode;

		rb_toc_next(p);
		segment.kind = RB_TOC_SEGMENT_ZERO;
		mode = rb_toc_peek(p, 0);
		/* ZERO MODEx: sectors of another mode inside the track */
		if (mode->kind == RB_TOC_TOKEN_WORD && !rb_toc_is_word(mode, track->mode))
			return rb_toc_fail(error,
					   RB_DISC_IMAGE_ERROR_UNSUPPORTED,
					   p->toc,
					   mode->line,
					   _("ZERO %s in a %s track: rawburn writes one sector "
					     "mode per track; leave the mode out"),
					   (const gchar *)mode->text->data,
					   track->mode);
		if (mode->kind == RB_TOC_TOKEN_WORD)
			rb_toc_next(p);
		ok = rb_toc_parse_bytes(p, track->block_size, &segment.length, error);
	} else if (rb_toc_is_word(token, "FIFO")) {
		return rb_toc_fail(error,
				   RB_DISC_IMAGE_ERROR_UNSUPPORTED,
				   p->toc,
				   token->line,
				   _("FIFO: rawburn reads files only; write the data to a file "
				     "and name it with DATAFILE or FILE"));
	} else {
		*done = TRUE;
		return TRUE;
	}
	if (!ok) {
		g_free(segment.name);
		return FALSE;
	}
	if (segment.kind >= RB_TOC_SEGMENT_SILENCE && segment.length == 0) {
		g_free(segment.name);
		return rb_toc_fail(error,
				   RB_DISC_IMAGE_ERROR_SYNTAX,
				   p->toc,
				   segment.line,
				   _("a length of zero"));
	}
	g_array_append_val(track->segments, segment);
	return TRUE;
}

static gboolean
rb_toc_parse_position(RbTocParser *p, guint32 *frames, gboolean *given, GError **error)
{
	*given = rb_toc_at_msf(p);
	return !*given || rb_toc_parse_msf(p, frames, error);
}

/* the data statements with START and END among them, then INDEX */
static gboolean
rb_toc_parse_track_body(RbTocParser *p, RbTocTrack *track, GError **error)
{
	for (;;) {
		const RbTocToken *token = rb_toc_peek(p, 0);
		gboolean done = FALSE;
		gboolean given = FALSE;
		RbTocIndex index = {.line = token->line};

		if (rb_toc_is_word(token, "START")) {
			if (track->start_line != 0)
				return rb_toc_fail(
					error,
					RB_DISC_IMAGE_ERROR_SYNTAX,
					p->toc,
					token->line,
					_("a second START or PREGAP in the track (line %u "
					  "has one already)"),
					track->start_line);
			rb_toc_next(p);
			track->start_line = token->line;
			if (!rb_toc_parse_position(p, &track->start_frames, &given, error))
				return FALSE;
			track->start_given = given;
			track->start_segments = track->segments->len;
			continue;
		}
		if (rb_toc_is_word(token, "END")) {
			index.end = TRUE;
			rb_toc_next(p);
			if (!rb_toc_parse_position(p, &index.frames, &given, error))
				return FALSE;
			if (!given)
				return rb_toc_fail(
					error,
					RB_DISC_IMAGE_ERROR_UNSUPPORTED,
					p->toc,
					token->line,
					_("END without a time: give the post-gap's start "
					  "as MM:SS:FF from the track's start"));
			g_array_append_val(track->indexes, index);
			continue;
		}
		if (!rb_toc_parse_segment(p, track, &done, error))
			return FALSE;
		if (done)
			break;
	}
	if (track->segments->len == 0)
		return rb_toc_expected(
			p, _("the track's data (FILE, DATAFILE, SILENCE, ZERO)"), error);
	while (rb_toc_is_word(rb_toc_peek(p, 0), "INDEX")) {
		RbTocIndex index = {.line = rb_toc_next(p)->line};

		if (!rb_toc_parse_msf(p, &index.frames, error))
			return FALSE;
		g_array_append_val(track->indexes, index);
	}
	return TRUE;
}

static gboolean
rb_toc_parse_track(RbTocParser *p, GError **error)
{
	g_autoptr(GPtrArray) holder = g_ptr_array_new_with_free_func(rb_toc_track_free);
	RbTocTrack *track = g_new0(RbTocTrack, 1);
	const RbTocToken *token;
	guint i;

	g_ptr_array_add(holder, track);
	track->line = rb_toc_next(p)->line;
	track->copy = RB_IMAGE_COPY_PROHIBITED; /* cdrdao's default: copy not permitted */
	track->segments = g_array_new(FALSE, TRUE, sizeof(RbTocSegment));
	g_array_set_clear_func(track->segments, rb_toc_segment_clear);
	track->indexes = g_array_new(FALSE, TRUE, sizeof(RbTocIndex));
	token = rb_toc_peek(p, 0);
	for (i = 0; i < G_N_ELEMENTS(rb_toc_modes); i++) {
		if (rb_toc_is_word(token, rb_toc_modes[i].word))
			break;
	}
	if (i == G_N_ELEMENTS(rb_toc_modes))
		return rb_toc_expected(
			p,
			_("a track mode (AUDIO, MODE1, MODE1_RAW, MODE2, MODE2_FORM1, "
			  "MODE2_FORM2, MODE2_FORM_MIX, MODE2_RAW)"),
			error);
	track->mode = rb_toc_modes[i].word;
	track->type = rb_toc_modes[i].type;
	track->block_size = rb_toc_modes[i].block_size;
	rb_toc_next(p);
	token = rb_toc_peek(p, 0);
	if (rb_toc_is_word(token, "RW") || rb_toc_is_word(token, "RW_RAW"))
		return rb_toc_fail(error,
				   RB_DISC_IMAGE_ERROR_UNSUPPORTED,
				   p->toc,
				   token->line,
				   _("TRACK %s %s: the track's own R-W sub-channel data is not "
				     "burned by rawburn; remove “%s” and the 96 bytes per block "
				     "from the track's file"),
				   track->mode,
				   (const gchar *)token->text->data,
				   (const gchar *)token->text->data);
	if (!rb_toc_parse_flags(p, track, error))
		return FALSE;
	if (rb_toc_is_word(rb_toc_peek(p, 0), "CD_TEXT") &&
	    !rb_toc_parse_cdtext(p, rb_toc_track_number(p->toc, p->toc->tracks->len), error))
		return FALSE;
	/* PREGAP: as SILENCE (audio) or ZERO (data) of that length, then START */
	token = rb_toc_peek(p, 0);
	if (rb_toc_is_word(token, "PREGAP")) {
		RbTocSegment segment = {.line = token->line};
		guint32 frames = 0;

		rb_toc_next(p);
		if (!rb_toc_parse_msf(p, &frames, error))
			return FALSE;
		if (frames == 0)
			return rb_toc_fail(error,
					   RB_DISC_IMAGE_ERROR_SYNTAX,
					   p->toc,
					   token->line,
					   _("a length of zero"));
		segment.kind = track->type == RB_CD_SECTOR_AUDIO ? RB_TOC_SEGMENT_SILENCE
								 : RB_TOC_SEGMENT_ZERO;
		segment.length = track->type == RB_CD_SECTOR_AUDIO
					 ? (guint64)frames * (RB_CD_MAIN_SIZE / RB_TOC_SAMPLE_SIZE)
					 : (guint64)frames * track->block_size;
		g_array_append_val(track->segments, segment);
		track->start_line = token->line;
		track->start_given = TRUE;
		track->start_frames = frames;
		track->start_segments = 1;
	}
	if (!rb_toc_parse_track_body(p, track, error))
		return FALSE;
	g_ptr_array_add(p->toc->tracks, g_ptr_array_steal_index(holder, 0));
	return TRUE;
}

static gboolean
rb_toc_parse_header(RbTocParser *p, GError **error)
{
	static const gchar *const types[] = {NULL, "CD_DA", "CD_ROM", "CD_ROM_XA"};

	for (;;) {
		const RbTocToken *token = rb_toc_peek(p, 0);
		gboolean known = FALSE;

		for (guint i = 1; i < G_N_ELEMENTS(types); i++) {
			if (rb_toc_is_word(token, types[i])) {
				p->toc->disc_type = (RbTocDiscType)i;
				p->toc->disc_type_line = token->line;
				known = TRUE;
			}
		}
		if (known) {
			rb_toc_next(p);
		} else if (rb_toc_is_word(token, "CD_I")) {
			return rb_toc_fail(error,
					   RB_DISC_IMAGE_ERROR_UNSUPPORTED,
					   p->toc,
					   token->line,
					   _("CD_I: rawburn does not write CD-i discs; a CD-ROM XA "
					     "disc (CD_ROM_XA) is what drives read"));
		} else if (rb_toc_is_word(token, "CATALOG")) {
			g_autoptr(GByteArray) bytes = NULL;

			rb_toc_next(p);
			p->toc->catalog_line = token->line;
			if (!rb_toc_parse_string(p, &bytes, error))
				return FALSE;
			g_free(p->toc->catalog);
			p->toc->catalog = g_strdup((const gchar *)bytes->data);
		} else {
			break;
		}
	}
	if (rb_toc_is_word(rb_toc_peek(p, 0), "FIRST_TRACK_NO")) {
		guint64 number = 0;
		guint line = rb_toc_next(p)->line;

		if (!rb_toc_parse_uint(p, G_MAXUINT32, &number, error))
			return FALSE;
		if (number < 1 || number > RB_IMAGE_MAX_TRACKS)
			return rb_toc_fail(error,
					   RB_DISC_IMAGE_ERROR_SYNTAX,
					   p->toc,
					   line,
					   _("FIRST_TRACK_NO %u: track numbers go from 1 to 99"),
					   (guint)MIN(number, G_MAXUINT));
		p->toc->first_track = (guint)number;
	}
	if (rb_toc_is_word(rb_toc_peek(p, 0), "CD_TEXT"))
		return rb_toc_parse_cdtext(p, 0, error);
	return TRUE;
}

RbToc *
rb_toc_parse(const gchar *path, const gchar *text, gsize len, GError **error)
{
	g_autoptr(RbToc) toc = g_new0(RbToc, 1);
	g_autoptr(GArray) tokens = NULL;
	RbTocParser p = {.toc = toc};

	toc->path = g_strdup(path);
	toc->tracks = g_ptr_array_new_with_free_func(rb_toc_track_free);
	toc->texts = g_array_new(FALSE, TRUE, sizeof(RbTocText));
	g_array_set_clear_func(toc->texts, rb_toc_text_clear);
	for (guint i = 0; i < RB_TOC_MAX_LANGUAGES; i++)
		toc->languages[i] = -1;
	tokens = rb_toc_lex(toc, text, len, error);
	if (tokens == NULL)
		return NULL;
	p.tokens = tokens;
	if (!rb_toc_parse_header(&p, error))
		return NULL;
	while (rb_toc_is_word(rb_toc_peek(&p, 0), "TRACK")) {
		if (toc->tracks->len == RB_IMAGE_MAX_TRACKS) {
			rb_toc_fail(error,
				    RB_DISC_IMAGE_ERROR_INVALID,
				    toc,
				    rb_toc_peek(&p, 0)->line,
				    _("a 100th track: a CD holds 99 tracks; split the disc"));
			return NULL;
		}
		if (!rb_toc_parse_track(&p, error))
			return NULL;
	}
	if (toc->tracks->len == 0) {
		rb_toc_expected(&p, _("TRACK"), error);
		return NULL;
	}
	if (rb_toc_peek(&p, 0)->kind != RB_TOC_TOKEN_EOF) {
		rb_toc_expected(&p, _("TRACK or the end of the file"), error);
		return NULL;
	}
	return g_steal_pointer(&toc);
}
