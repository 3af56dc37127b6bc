/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The CUE reader's line scanner: the sheet's lines split into words
 * (double quotes keep spaces), each keyword read into the RbCueSheet with
 * its line, FILE lines checked against the files they name, the CD-TEXT
 * keywords kept as the sheet's bytes. TRACK, INDEX and the gaps are read
 * by rb-disc-cue-track.c; what this reads is built into the image by
 * rb-disc-cue-build.c.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <inttypes.h>
#include <string.h>

#include "rb-disc-cue-private.h"
#include "rb-disc-file.h"

static const gchar *const rb_cue_text_keywords[RB_CUE_N_TEXT] = {
	"TITLE",
	"PERFORMER",
	"SONGWRITER",
	"COMPOSER",
	"ARRANGER",
	"MESSAGE",
	"DISC_ID",
	"GENRE",
	"UPC_EAN",
};

/* the words of a line; a word in double quotes keeps its spaces */
static GPtrArray *
rb_cue_split(const gchar *line, gboolean *unterminated)
{
	GPtrArray *words = g_ptr_array_new_with_free_func(g_free);
	const gchar *p = line;

	*unterminated = FALSE;
	for (;;) {
		const gchar *start;

		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		if (*p == '"') {
			start = ++p;
			while (*p != '\0' && *p != '"')
				p++;
			if (*p != '"')
				*unterminated = TRUE;
			g_ptr_array_add(words, g_strndup(start, p - start));
			if (*p == '"')
				p++;
			continue;
		}
		start = p;
		while (*p != '\0' && *p != ' ' && *p != '\t')
			p++;
		g_ptr_array_add(words, g_strndup(start, p - start));
	}
	return words;
}

static gboolean
rb_cue_read_file(
	RbDiscImage *image, RbCueSheet *sheet, guint line, GPtrArray *words, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	g_autofree RbCueFile *file = g_new0(RbCueFile, 1);
	const gchar *type;
	GStatBuf st;

	if (words->len != 3)
		return rb_disc_cue_fail(
			sheet,
			line,
			error,
			RB_DISC_IMAGE_ERROR_SYNTAX,
			_("FILE needs a name and a type, e.g. FILE \"disc.bin\" BINARY"));
	type = g_ptr_array_index(words, 2);
	if (g_strcmp0(type, "BINARY") == 0)
		file->type = RB_CUE_FILE_BINARY;
	else if (g_strcmp0(type, "MOTOROLA") == 0)
		file->type = RB_CUE_FILE_MOTOROLA;
	else if (g_strcmp0(type, "WAVE") == 0)
		file->type = RB_CUE_FILE_WAVE;
	else if (g_strcmp0(type, "AIFF") == 0 || g_strcmp0(type, "MP3") == 0)
		return rb_disc_cue_fail(
			sheet,
			line,
			error,
			RB_DISC_IMAGE_ERROR_UNSUPPORTED,
			_("%s files are not read: convert the audio to a 44.1 kHz 16-bit "
			  "stereo WAV file and name it as WAVE"),
			type);
	else
		return rb_disc_cue_fail(sheet,
					line,
					error,
					RB_DISC_IMAGE_ERROR_SYNTAX,
					_("unknown file type “%s”: BINARY, MOTOROLA or WAVE"),
					type);
	file->path = rb_disc_image_resolve_path(image, g_ptr_array_index(words, 1));
	file->line = line;
	if (g_stat(file->path, &st) != 0 || !S_ISREG(st.st_mode)) {
		g_free(file->path);
		return rb_disc_cue_fail(
			sheet,
			line,
			error,
			RB_DISC_IMAGE_ERROR_FILE,
			_("the file “%s” is missing: put it beside the sheet or fix "
			  "its name"),
			(const gchar *)g_ptr_array_index(words, 1));
	}
	file->length = (guint64)st.st_size;
	if (file->type == RB_CUE_FILE_WAVE &&
	    !rb_disc_wav_probe(file->path, &file->offset, &file->length, &error_local)) {
		rb_disc_cue_fail(sheet, line, error, error_local->code, "%s", error_local->message);
		g_free(file->path);
		return FALSE;
	}
	g_ptr_array_add(sheet->files, g_steal_pointer(&file));
	return TRUE;
}

static gboolean
rb_cue_read_flags(
	RbCueSheet *sheet, RbCueTrack *track, guint line, GPtrArray *words, GError **error)
{
	for (guint i = 1; i < words->len; i++) {
		const gchar *flag = g_ptr_array_index(words, i);

		if (g_strcmp0(flag, "DCP") == 0)
			track->copy_permitted = TRUE;
		else if (g_strcmp0(flag, "PRE") == 0)
			track->preemphasis = TRUE;
		else if (g_strcmp0(flag, "SCMS") == 0)
			track->scms = TRUE;
		else if (g_strcmp0(flag, "4CH") == 0)
			return rb_disc_cue_fail(
				sheet,
				line,
				error,
				RB_DISC_IMAGE_ERROR_UNSUPPORTED,
				_("four-channel audio (4CH) is not supported: remove the "
				  "flag if the track is stereo"));
		else
			return rb_disc_cue_fail(sheet,
						line,
						error,
						RB_DISC_IMAGE_ERROR_SYNTAX,
						_("unknown flag “%s”: DCP, PRE, SCMS"),
						flag);
	}
	return TRUE;
}

/* TITLE and the other CD-TEXT keywords; FALSE with no error when @keyword is none */
/* @keyword belongs to the disc, not to a track */
static gboolean
rb_cue_fail_disc_only(const RbCueSheet *sheet, guint line, const gchar *keyword, GError **error)
{
	return rb_disc_cue_fail(sheet,
				line,
				error,
				RB_DISC_IMAGE_ERROR_SYNTAX,
				_("%s is the disc's: put it before the first TRACK"),
				keyword);
}

static gboolean
rb_cue_read_text(RbCueSheet *sheet,
		 RbCueTrack *track,
		 guint line,
		 GPtrArray *words,
		 gboolean *matched,
		 GError **error)
{
	const gchar *keyword = g_ptr_array_index(words, 0);

	*matched = FALSE;
	for (guint i = 0; i < RB_CUE_N_TEXT; i++) {
		if (g_strcmp0(keyword, rb_cue_text_keywords[i]) != 0)
			continue;
		*matched = TRUE;
		if (words->len != 2)
			return rb_disc_cue_fail(sheet,
						line,
						error,
						RB_DISC_IMAGE_ERROR_SYNTAX,
						_("%s needs one text in double quotes"),
						keyword);
		if (track != NULL && (i == RB_CUE_TEXT_DISC_ID || i == RB_CUE_TEXT_GENRE ||
				      i == RB_CUE_TEXT_UPC_EAN))
			return rb_cue_fail_disc_only(sheet, line, keyword, error);
		if (track != NULL) {
			g_free(track->text[i]);
			track->text[i] = g_strdup(g_ptr_array_index(words, 1));
			track->text_line[i] = line;
		} else {
			g_free(sheet->text[i]);
			sheet->text[i] = g_strdup(g_ptr_array_index(words, 1));
			sheet->text_line[i] = line;
		}
		return TRUE;
	}
	return TRUE;
}

/*
 * CDTEXTFILE: checked here, before libcdio and rb-disc-cue-text.c read it
 * whole: a FIFO or a device would hang them or fill the memory, and no
 * file of CD-TEXT packs is larger than a disc's eight blocks.
 */
static gboolean
rb_cue_read_cdtextfile(
	RbDiscImage *image, RbCueSheet *sheet, guint line, const gchar *name, GError **error)
{
	g_autofree gchar *path = rb_disc_image_resolve_path(image, name);
	GStatBuf st;

	if (g_stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return rb_disc_cue_fail(sheet,
					line,
					error,
					RB_DISC_IMAGE_ERROR_FILE,
					_("the CD-TEXT file “%s” is missing or no regular file: "
					  "put the .cdt file beside the sheet or remove the line"),
					name);
	if ((guint64)st.st_size > RB_CUE_CDT_MAX_SIZE)
		return rb_disc_cue_fail(sheet,
					line,
					error,
					RB_DISC_IMAGE_ERROR_SYNTAX,
					_("“%s” has %" PRIu64 " bytes, more than the %u of eight "
					  "blocks of CD-TEXT packs: it is no .cdt file; name the "
					  "right one or remove the line"),
					name,
					(guint64)st.st_size,
					(guint)RB_CUE_CDT_MAX_SIZE);
	g_free(sheet->cdtextfile);
	sheet->cdtextfile = g_steal_pointer(&path);
	sheet->cdtextfile_line = line;
	return TRUE;
}

static gboolean
rb_cue_read_line(RbDiscImage *image,
		 RbCueSheet *sheet,
		 guint line,
		 GPtrArray *words,
		 guint *n_rem,
		 GError **error)
{
	const gchar *keyword = g_ptr_array_index(words, 0);
	RbCueTrack *track = sheet->n_tracks > 0 ? &sheet->tracks[sheet->n_tracks - 1] : NULL;
	gboolean matched = FALSE;

	if (g_strcmp0(keyword, "REM") == 0) {
		(*n_rem)++;
		return TRUE;
	}
	if (g_strcmp0(keyword, "FILE") == 0)
		return rb_cue_read_file(image, sheet, line, words, error);
	if (g_strcmp0(keyword, "TRACK") == 0)
		return rb_disc_cue_read_track(sheet, line, words, error);
	if (!rb_cue_read_text(sheet, track, line, words, &matched, error))
		return FALSE;
	if (matched)
		return TRUE;
	if (g_strcmp0(keyword, "CATALOG") == 0 || g_strcmp0(keyword, "CDTEXTFILE") == 0) {
		if (track != NULL)
			return rb_cue_fail_disc_only(sheet, line, keyword, error);
		if (words->len != 2)
			return rb_disc_cue_fail(sheet,
						line,
						error,
						RB_DISC_IMAGE_ERROR_SYNTAX,
						_("%s needs one value"),
						keyword);
		if (keyword[1] == 'A') {
			const gchar *mcn = g_ptr_array_index(words, 1);

			if (strlen(mcn) != RB_IMAGE_MCN_LENGTH)
				return rb_disc_cue_fail(
					sheet,
					line,
					error,
					RB_DISC_IMAGE_ERROR_SYNTAX,
					_("CATALOG needs the 13 digits of the disc's "
					  "UPC/EAN"));
			g_strlcpy(sheet->mcn, mcn, sizeof(sheet->mcn));
			sheet->mcn_line = line;
			return TRUE;
		}
		return rb_cue_read_cdtextfile(
			image, sheet, line, g_ptr_array_index(words, 1), error);
	}
	if (track == NULL &&
	    (g_strcmp0(keyword, "FLAGS") == 0 || g_strcmp0(keyword, "ISRC") == 0 ||
	     g_strcmp0(keyword, "PREGAP") == 0 || g_strcmp0(keyword, "POSTGAP") == 0 ||
	     g_strcmp0(keyword, "INDEX") == 0))
		return rb_disc_cue_fail(sheet,
					line,
					error,
					RB_DISC_IMAGE_ERROR_SYNTAX,
					_("%s belongs to a track: put it after a TRACK line"),
					keyword);
	if (g_strcmp0(keyword, "FLAGS") == 0)
		return rb_cue_read_flags(sheet, track, line, words, error);
	if (g_strcmp0(keyword, "INDEX") == 0)
		return rb_disc_cue_read_index(sheet, track, line, words, error);
	if (g_strcmp0(keyword, "ISRC") == 0) {
		if (words->len != 2 || strlen(g_ptr_array_index(words, 1)) != RB_IMAGE_ISRC_LENGTH)
			return rb_disc_cue_fail(
				sheet,
				line,
				error,
				RB_DISC_IMAGE_ERROR_SYNTAX,
				_("ISRC needs the 12 characters of a recording code, e.g. "
				  "“ISRC USRC17607839”"));
		g_strlcpy(track->isrc, g_ptr_array_index(words, 1), sizeof(track->isrc));
		return TRUE;
	}
	if (g_strcmp0(keyword, "PREGAP") == 0 || g_strcmp0(keyword, "POSTGAP") == 0)
		return rb_disc_cue_read_gap(sheet, track, line, words, error);
	{
		g_autofree gchar *upper = g_ascii_strup(keyword, -1);

		if (g_strcmp0(upper, keyword) != 0)
			return rb_disc_cue_fail(
				sheet,
				line,
				error,
				RB_DISC_IMAGE_ERROR_SYNTAX,
				_("unknown keyword “%s”: keywords are written in capitals "
				  "(%s)"),
				keyword,
				upper);
	}
	return rb_disc_cue_fail(
		sheet,
		line,
		error,
		RB_DISC_IMAGE_ERROR_SYNTAX,
		_("unknown keyword “%s”: the sheet cannot be burned as it is meant; "
		  "remove the line or make it a REM"),
		keyword);
}

gboolean
rb_disc_cue_scan(RbDiscImage *image, RbCueSheet *sheet, GError **error)
{
	g_autofree gchar *text = NULL;
	g_autoptr(GError) error_local = NULL;
	gsize length = 0;

	text = rb_disc_file_read(sheet->path, RB_DISC_FILE_SHEET_MAX, &length, &error_local);
	if (text == NULL) {
		g_set_error(error,
			    RB_DISC_IMAGE_ERROR,
			    RB_DISC_IMAGE_ERROR_FILE,
			    _("Cannot read the sheet: %s"),
			    error_local->message);
		return FALSE;
	}
	return rb_disc_cue_scan_text(image, sheet, text, length, error);
}

gboolean
rb_disc_cue_scan_text(
	RbDiscImage *image, RbCueSheet *sheet, gchar *text, gsize length, GError **error)
{
	guint n_rem = 0;

	if (memchr(text, '\0', length) != NULL) {
		g_set_error(error,
			    RB_DISC_IMAGE_ERROR,
			    RB_DISC_IMAGE_ERROR_SYNTAX,
			    _("%s: not a CUE sheet (it holds binary data): open the .cue file"),
			    sheet->path);
		return FALSE;
	}
	/* a UTF-8 byte order mark, as Windows editors write it */
	if (g_str_has_prefix(text, "\xEF\xBB\xBF"))
		memset(text, ' ', 3);
	sheet->lines = g_strsplit(text, "\n", -1);
	for (guint i = 0; sheet->lines[i] != NULL; i++) {
		g_autoptr(GPtrArray) words = NULL;
		gboolean unterminated = FALSE;
		gchar *line = sheet->lines[i];
		gsize len = strlen(line);

		if (len > 0 && line[len - 1] == '\r')
			line[len - 1] = '\0';
		words = rb_cue_split(line, &unterminated);
		if (unterminated)
			return rb_disc_cue_fail(sheet,
						i + 1,
						error,
						RB_DISC_IMAGE_ERROR_SYNTAX,
						_("a text in double quotes is not closed"));
		if (words->len > 0 && !rb_cue_read_line(image, sheet, i + 1, words, &n_rem, error))
			return FALSE;
	}
	if (sheet->n_tracks == 0) {
		g_set_error(error,
			    RB_DISC_IMAGE_ERROR,
			    RB_DISC_IMAGE_ERROR_SYNTAX,
			    _("%s: the sheet has no TRACK"),
			    sheet->path);
		return FALSE;
	}
	if (sheet->tracks[sheet->n_tracks - 1].n_indexes == 0)
		return rb_disc_cue_fail(sheet,
					sheet->tracks[sheet->n_tracks - 1].line,
					error,
					RB_DISC_IMAGE_ERROR_SYNTAX,
					_("the track has no INDEX 01"));
	if (n_rem > 0)
		rb_disc_image_add_note(image,
				       g_dngettext(GETTEXT_PACKAGE,
						   "%u REM line ignored",
						   "%u REM lines ignored",
						   n_rem),
				       n_rem);
	return TRUE;
}
