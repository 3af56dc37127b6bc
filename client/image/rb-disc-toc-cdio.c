/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libcdio's reading of a TOC file, against rawburn's. libcdio 2.1.0 reads
 * one statement per line, opens files relative to the working directory
 * and merges CD-TEXT languages (rb-disc-toc.c lists what it keeps), so it
 * is given the statements it covers as it can read them: one per line,
 * file names absolute, its unreadable positions left out, and the CD-TEXT
 * of one language at a time. Each line of that copy remembers the TOC
 * file's line, so a disagreement names where the file says it. What libcdio
 * then reports (track count, each track's format, copy, pre-emphasis and
 * channel flags, ISRC, the MCN, each language's text) must be what the
 * image holds.
 */
#include "config.h"

#include <cdio/cdio.h>
#include <cdio/cdtext.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "rb-disc-cdio.h"
#include "rb-disc-toc-private.h"

typedef struct {
	GString *text;
	GArray *lines; /* the TOC file's line of each line of @text */
} RbTocView;

static void rb_toc_view_add(RbTocView *view, guint line, const gchar *format, ...)
	G_GNUC_PRINTF(3, 4);

static void
rb_toc_view_add(RbTocView *view, guint line, const gchar *format, ...)
{
	va_list args;

	va_start(args, format);
	g_string_append_vprintf(view->text, format, args);
	va_end(args);
	g_string_append_c(view->text, '\n');
	g_array_append_val(view->lines, line);
}

/* the text libcdio reads back: it cannot read a quote inside a string */
static gboolean
rb_toc_view_readable(const RbTocText *text)
{
	return !text->binary && text->type != RB_CDTEXT_UPC_ISRC &&
	       memchr(text->bytes->data, '"', text->bytes->len) == NULL &&
	       memchr(text->bytes->data, '\n', text->bytes->len) == NULL &&
	       strlen((const gchar *)text->bytes->data) == text->bytes->len && text->bytes->len > 0;
}

static const gchar *
rb_toc_item_word(RbCdTextPackType type)
{
	switch (type) {
	case RB_CDTEXT_TITLE:
		return "TITLE";
	case RB_CDTEXT_PERFORMER:
		return "PERFORMER";
	case RB_CDTEXT_SONGWRITER:
		return "SONGWRITER";
	case RB_CDTEXT_COMPOSER:
		return "COMPOSER";
	case RB_CDTEXT_ARRANGER:
		return "ARRANGER";
	case RB_CDTEXT_MESSAGE:
		return "MESSAGE";
	case RB_CDTEXT_DISC_ID:
		return "DISC_ID";
	default:
		return NULL;
	}
}

/* CD_TEXT { LANGUAGE n { … } } of @track, language @block only */
static void
rb_toc_view_cdtext(RbTocView *view, const RbToc *toc, guint track, gint block)
{
	gboolean open = FALSE;

	for (guint i = 0; block >= 0 && i < toc->texts->len; i++) {
		const RbTocText *text = &g_array_index(toc->texts, RbTocText, i);
		const gchar *word = rb_toc_item_word(text->type);

		if (text->track != track || text->block != (guint)block || word == NULL ||
		    !rb_toc_view_readable(text))
			continue;
		if (!open) {
			rb_toc_view_add(view, text->line, "CD_TEXT {");
			rb_toc_view_add(view, text->line, "LANGUAGE %d {", block);
			open = TRUE;
		}
		rb_toc_view_add(
			view, text->line, "%s \"%s\"", word, (const gchar *)text->bytes->data);
	}
	if (open) {
		rb_toc_view_add(view, 0, "}");
		rb_toc_view_add(view, 0, "}");
	}
}

static void
rb_toc_view_build(RbTocView *view,
		  const RbToc *toc,
		  const RbDiscImage *image,
		  const gchar *any_file,
		  gint block)
{
	static const gchar *const types[] = {NULL, "CD_DA", "CD_ROM", "CD_ROM_XA"};

	if (toc->disc_type != RB_TOC_DISC_NONE)
		rb_toc_view_add(view, toc->disc_type_line, "%s", types[toc->disc_type]);
	if (toc->catalog != NULL)
		rb_toc_view_add(view, toc->catalog_line, "CATALOG \"%s\"", toc->catalog);
	rb_toc_view_cdtext(view, toc, 0, block);
	for (guint i = 0; i < toc->tracks->len; i++) {
		const RbTocTrack *track = g_ptr_array_index(toc->tracks, i);
		GArray *segments = image->sources[i];
		const gchar *file = NULL;

		rb_toc_view_add(view, track->line, "TRACK %s", track->mode);
		if (track->copy == RB_IMAGE_COPY_PERMITTED)
			rb_toc_view_add(view, track->line, "COPY");
		if (track->preemphasis)
			rb_toc_view_add(view, track->line, "PRE_EMPHASIS");
		if (track->isrc != NULL)
			rb_toc_view_add(view, track->isrc_line, "ISRC \"%s\"", track->isrc);
		rb_toc_view_cdtext(view, toc, rb_toc_track_number(toc, i), block);
		/* libcdio wants a file for the track's length; given with a
		 * length, since it divides by a block size it leaves 0 for
		 * MODE2, MODE2_FORM1 and MODE2_FORM2 to find the length itself */
		for (guint k = 0; segments != NULL && k < segments->len && file == NULL; k++) {
			const RbDiscSegment *segment = &g_array_index(segments, RbDiscSegment, k);

			if (segment->kind == RB_DISC_SEGMENT_FILE)
				file = segment->path;
		}
		rb_toc_view_add(view,
				track->line,
				"FILE \"%s\" 00:00:00 00:00:01",
				file != NULL ? file : any_file);
	}
}

static gboolean
rb_toc_cdio_differs(GError **error,
		    const RbToc *toc,
		    guint line,
		    const gchar *what,
		    const gchar *ours,
		    const gchar *theirs)
{
	return rb_toc_fail(error,
			   RB_DISC_IMAGE_ERROR_MISMATCH,
			   toc,
			   line,
			   _("libcdio reads %s as “%s”, rawburn as “%s”: the file is not read "
			     "the same way by both; please report this with the TOC file"),
			   what,
			   theirs != NULL ? theirs : "",
			   ours != NULL ? ours : "");
}

static gboolean
rb_toc_cdio_tracks(CdIo_t *cdio, const RbToc *toc, RbDiscImage *image, GError **error)
{
	const RbImageLayout *layout = image->layout;
	g_autofree gchar *mcn = cdio_get_mcn(cdio);
	guint n = (guint)cdio_get_num_tracks(cdio);

	if (n != toc->tracks->len) {
		g_autofree gchar *ours = g_strdup_printf("%u", toc->tracks->len);
		g_autofree gchar *theirs = g_strdup_printf("%u", n);

		return rb_toc_cdio_differs(error, toc, 0, _("the track count"), ours, theirs);
	}
	if (g_strcmp0(mcn, toc->catalog) != 0 ||
	    (mcn != NULL && g_strcmp0(mcn, rb_image_layout_get_mcn(layout)) != 0))
		return rb_toc_cdio_differs(error,
					   toc,
					   toc->catalog_line,
					   "CATALOG",
					   rb_image_layout_get_mcn(layout),
					   mcn);
	for (guint i = 0; i < n; i++) {
		const RbTocTrack *track = g_ptr_array_index(toc->tracks, i);
		const RbImageTrack *t = rb_image_layout_get_track(layout, i);
		track_t number = (track_t)(i + 1);
		track_format_t format = cdio_get_track_format(cdio, number);
		track_format_t want = t->type == RB_CD_SECTOR_AUDIO ? TRACK_FORMAT_AUDIO
				      : rb_cd_sector_type_get_mode(t->type) == 2
					      ? TRACK_FORMAT_XA
					      : TRACK_FORMAT_DATA;
		gboolean copy = cdio_get_track_copy_permit(cdio, number) == CDIO_TRACK_FLAG_TRUE;
		gboolean pre = cdio_get_track_preemphasis(cdio, number) == CDIO_TRACK_FLAG_TRUE;
		g_autofree gchar *isrc = cdio_get_track_isrc(cdio, number);

		if (format != want)
			return rb_toc_cdio_differs(error,
						   toc,
						   track->line,
						   _("the track's format"),
						   track_format2str[want],
						   track_format2str[format]);
		if (copy != (t->copy == RB_IMAGE_COPY_PERMITTED))
			return rb_toc_cdio_differs(error,
						   toc,
						   track->line,
						   "COPY",
						   t->copy == RB_IMAGE_COPY_PERMITTED ? "COPY"
										      : "NO COPY",
						   copy ? "COPY" : "NO COPY");
		if (pre != t->preemphasis)
			return rb_toc_cdio_differs(error,
						   toc,
						   track->line,
						   "PRE_EMPHASIS",
						   t->preemphasis ? "PRE_EMPHASIS"
								  : "NO PRE_EMPHASIS",
						   pre ? "PRE_EMPHASIS" : "NO PRE_EMPHASIS");
		if (cdio_get_track_channels(cdio, number) != 2)
			return rb_toc_cdio_differs(error,
						   toc,
						   track->line,
						   _("the channels"),
						   "TWO_CHANNEL_AUDIO",
						   "FOUR_CHANNEL_AUDIO");
		if (g_strcmp0(isrc, t->isrc[0] != '\0' ? t->isrc : NULL) != 0)
			return rb_toc_cdio_differs(
				error, toc, track->isrc_line, "ISRC", t->isrc, isrc);
	}
	return TRUE;
}

/* the CD-TEXT block the TOC's LANGUAGE @block became, as rb-disc-toc.c numbers them */
static gint
rb_toc_cdio_block(const RbToc *toc, guint block)
{
	gint n = 0;

	for (guint b = 0; b < block; b++) {
		for (guint i = 0; toc->languages[b] >= 0 && i < toc->texts->len; i++) {
			if (g_array_index(toc->texts, RbTocText, i).block == b) {
				n++;
				break;
			}
		}
	}
	return n;
}

/* every item of language @block libcdio read, and every one it was given */
static gboolean
rb_toc_cdio_cdtext(CdIo_t *cdio, const RbToc *toc, RbDiscImage *image, guint block, GError **error)
{
	static const struct {
		cdtext_field_t field;
		RbCdTextPackType type;
	} fields[] = {
		{CDTEXT_FIELD_TITLE, RB_CDTEXT_TITLE},
		{CDTEXT_FIELD_PERFORMER, RB_CDTEXT_PERFORMER},
		{CDTEXT_FIELD_SONGWRITER, RB_CDTEXT_SONGWRITER},
		{CDTEXT_FIELD_COMPOSER, RB_CDTEXT_COMPOSER},
		{CDTEXT_FIELD_ARRANGER, RB_CDTEXT_ARRANGER},
		{CDTEXT_FIELD_MESSAGE, RB_CDTEXT_MESSAGE},
		{CDTEXT_FIELD_DISCID, RB_CDTEXT_DISC_ID},
	};
	cdtext_t *cdtext = cdio_get_cdtext(cdio);
	gint ours_block = rb_toc_cdio_block(toc, block);

	for (guint track = 0; track <= toc->tracks->len; track++) {
		/* libcdio refuses FIRST_TRACK_NO, so it is not given it and
		 * numbers the tracks from 1; ours are the disc's numbers */
		guint number = track == 0 ? 0 : rb_toc_track_number(toc, track - 1);

		for (guint f = 0; f < G_N_ELEMENTS(fields); f++) {
			const gchar *theirs =
				cdtext != NULL
					? cdtext_get_const(cdtext, fields[f].field, (track_t)track)
					: NULL;
			const gchar *ours = NULL;
			guint line = 0;

			for (guint i = 0; i < toc->texts->len; i++) {
				const RbTocText *text = &g_array_index(toc->texts, RbTocText, i);

				if (text->block == block && text->track == number &&
				    text->type == fields[f].type && rb_toc_view_readable(text)) {
					line = text->line;
					ours = rb_cdtext_get_text(image->cdtext,
								  (guint)ours_block,
								  text->type,
								  number);
				}
			}
			if (line == 0 && theirs == NULL)
				continue;
			if (g_strcmp0(ours, theirs) != 0)
				return rb_toc_cdio_differs(error,
							   toc,
							   line,
							   cdtext_field2str(fields[f].field),
							   ours,
							   theirs);
		}
	}
	return TRUE;
}

/* libcdio's reading of @toc with language @block's CD-TEXT (-1: none) */
static gboolean
rb_toc_cdio_read(
	const RbToc *toc, RbDiscImage *image, const gchar *any_file, gint block, GError **error)
{
	RbTocView view = {g_string_new(NULL), g_array_new(FALSE, FALSE, sizeof(guint))};
	g_autofree gchar *name = NULL;
	g_autoptr(GError) error_local = NULL;
	g_autofree gchar *message = NULL;
	CdIo_t *cdio = NULL;
	gboolean compared = FALSE;
	gboolean ok;
	gint fd;

	rb_toc_view_build(&view, toc, image, any_file, block);
	/* libcdio takes a TOC file by its name's ".toc" */
	fd = g_file_open_tmp("rawburn-XXXXXX.toc", &name, &error_local);
	ok = fd >= 0 &&
	     g_file_set_contents(name, view.text->str, (gssize)view.text->len, &error_local);
	if (fd >= 0)
		close(fd);
	if (ok) {
		/* its complaints belong in our message, not on the terminal; its
		 * getters and cdio_destroy() log too, so the swap spans them all */
		rb_disc_cdio_log_begin();
		cdio = cdio_open_cdrdao(name);
		if (cdio != NULL) {
			compared = rb_toc_cdio_tracks(cdio, toc, image, error) &&
				   (block < 0 ||
				    rb_toc_cdio_cdtext(cdio, toc, image, (guint)block, error));
			cdio_destroy(cdio);
		}
		message = rb_disc_cdio_log_end();
	}
	if (name != NULL)
		g_unlink(name);
	g_string_free(view.text, TRUE);
	g_array_unref(view.lines);
	if (!ok)
		return rb_toc_fail(error,
				   RB_DISC_IMAGE_ERROR_FILE,
				   toc,
				   0,
				   _("cannot write a temporary file for libcdio: %s"),
				   error_local->message);
	if (cdio == NULL)
		return rb_toc_fail(error,
				   RB_DISC_IMAGE_ERROR_MISMATCH,
				   toc,
				   0,
				   _("libcdio cannot read the TOC file's statements (%s); please "
				     "report this with the TOC file"),
				   message != NULL ? message : _("it gave no reason"));
	return compared;
}

/* a file of the image that has a block: libcdio is given one in each track */
static const gchar *
rb_toc_cdio_any_file(const RbDiscImage *image)
{
	for (guint i = 0; i < RB_IMAGE_MAX_TRACKS; i++) {
		for (guint k = 0; image->sources[i] != NULL && k < image->sources[i]->len; k++) {
			const RbDiscSegment *segment =
				&g_array_index(image->sources[i], RbDiscSegment, k);

			if (segment->kind == RB_DISC_SEGMENT_FILE &&
			    segment->offset + segment->data_length >= RB_CD_MAIN_SIZE)
				return segment->path;
		}
	}
	return NULL;
}

gboolean
rb_disc_toc_cdio_check(const RbToc *toc, RbDiscImage *image, GError **error)
{
	const gchar *any_file = rb_toc_cdio_any_file(image);
	gboolean any = FALSE;

	/* only silence and zeros: libcdio has no file to read them with */
	if (any_file == NULL) {
		rb_disc_image_add_note(image,
				       _("%s: the disc has no data file, so libcdio did not "
					 "read the TOC file"),
				       toc->path);
		return TRUE;
	}

	for (guint b = 0; b < RB_TOC_MAX_LANGUAGES; b++) {
		gboolean used = FALSE;

		for (guint i = 0; toc->languages[b] >= 0 && i < toc->texts->len; i++)
			used |= g_array_index(toc->texts, RbTocText, i).block == b;
		if (!used)
			continue;
		if (!rb_toc_cdio_read(toc, image, any_file, (gint)b, error))
			return FALSE;
		any = TRUE;
	}
	return any || rb_toc_cdio_read(toc, image, any_file, -1, error);
}
