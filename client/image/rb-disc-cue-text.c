/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The CUE sheet's CD-TEXT: the disc's and the tracks' TITLE, PERFORMER, …
 * lines (UTF-8 as it is, anything else read as ISO-8859-1) into block 0 of
 * the image's CD-TEXT, the tracks' ISRCs added as UPC/ISRC packs; or the
 * packs of a CDTEXTFILE, which win over the sheet's lines: they are the
 * disc's own packs, every language block included, which the sheet cannot
 * express.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "rb-disc-cue-private.h"
#include "rb-disc-file.h"

static const RbCdTextPackType rb_cue_text_packs[RB_CUE_N_TEXT] = {
	RB_CDTEXT_TITLE,
	RB_CDTEXT_PERFORMER,
	RB_CDTEXT_SONGWRITER,
	RB_CDTEXT_COMPOSER,
	RB_CDTEXT_ARRANGER,
	RB_CDTEXT_MESSAGE,
	RB_CDTEXT_DISC_ID,
	RB_CDTEXT_GENRE,
	RB_CDTEXT_UPC_ISRC,
};

/* the sheet's bytes as UTF-8: valid UTF-8 as it is, else ISO-8859-1 */
static gchar *
rb_cue_text_utf8(const gchar *bytes)
{
	if (g_utf8_validate(bytes, -1, NULL))
		return g_strdup(bytes);
	return g_convert(bytes, -1, "UTF-8", "ISO-8859-1", NULL, NULL, NULL);
}

static gboolean
rb_cue_set_text(const RbCueSheet *sheet,
		RbCdText *cdtext,
		guint i,
		guint track,
		const gchar *bytes,
		guint line,
		GError **error)
{
	g_autofree gchar *utf8 = rb_cue_text_utf8(bytes);
	g_autoptr(GError) error_local = NULL;
	gboolean ok;

	if (i == RB_CUE_TEXT_GENRE)
		/* a sheet names no genre code: 1, "not defined" in the CD-TEXT table */
		ok = rb_cdtext_set_genre(cdtext, 0, 1, utf8, &error_local);
	else
		ok = rb_cdtext_set_text(cdtext, 0, rb_cue_text_packs[i], track, utf8, &error_local);
	if (!ok)
		return rb_disc_cue_fail(sheet,
					line,
					error,
					RB_DISC_IMAGE_ERROR_UNSUPPORTED,
					_("CD-TEXT: %s"),
					error_local->message);
	return TRUE;
}

gboolean
rb_disc_cue_build_cdtext(RbDiscImage *image, const RbCueSheet *sheet, GError **error)
{
	g_autoptr(RbCdText) cdtext = rb_cdtext_new();
	gboolean any = FALSE;

	if (sheet->cdtextfile != NULL) {
		g_autofree gchar *data = NULL;
		g_autoptr(GError) error_local = NULL;
		gsize length = 0;
		RbCdText *decoded;

		rb_disc_image_add_aux_file(image, sheet->cdtextfile);
		/* checked again on the descriptor read: it may have been swapped
		 * since its line was read */
		data = rb_disc_file_read(
			sheet->cdtextfile, RB_CUE_CDT_MAX_SIZE, &length, &error_local);
		if (data == NULL)
			return rb_disc_cue_fail(sheet,
						sheet->cdtextfile_line,
						error,
						RB_DISC_IMAGE_ERROR_FILE,
						_("the CD-TEXT file cannot be read: %s"),
						error_local->message);
		decoded = length <= RB_CUE_CDT_MAX_SIZE
				  ? rb_cdtext_decode((const guint8 *)data, length, &error_local)
				  : NULL;
		if (decoded == NULL)
			return rb_disc_cue_fail(
				sheet,
				sheet->cdtextfile_line,
				error,
				RB_DISC_IMAGE_ERROR_SYNTAX,
				_("“%s” holds no CD-TEXT packs (%s): give the .cdt file "
				  "a drive read, or remove the line"),
				sheet->cdtextfile,
				error_local != NULL ? error_local->message : _("too large"));
		rb_disc_image_set_cdtext(image, decoded);
		for (guint i = 0; i < RB_CUE_N_TEXT && !any; i++) {
			any = sheet->text[i] != NULL;
			for (guint t = 0; t < sheet->n_tracks && !any; t++)
				any = sheet->tracks[t].text[i] != NULL;
		}
		if (any)
			rb_disc_image_add_note(
				image,
				_("the CD-TEXT comes from the CDTEXTFILE; the sheet's "
				  "TITLE, PERFORMER, … lines are ignored"));
		return TRUE;
	}
	for (guint i = 0; i < RB_CUE_N_TEXT; i++) {
		if (sheet->text[i] != NULL) {
			if (!rb_cue_set_text(sheet,
					     cdtext,
					     i,
					     0,
					     sheet->text[i],
					     sheet->text_line[i],
					     error))
				return FALSE;
			any = TRUE;
		}
		for (guint t = 0; t < sheet->n_tracks; t++) {
			const RbCueTrack *track = &sheet->tracks[t];

			if (track->text[i] == NULL)
				continue;
			if (!rb_cue_set_text(sheet,
					     cdtext,
					     i,
					     track->number,
					     track->text[i],
					     track->text_line[i],
					     error))
				return FALSE;
			any = TRUE;
		}
	}
	if (!any)
		return TRUE;
	/* the ISRCs go into the CD-TEXT too, as the tracks' UPC/ISRC packs */
	for (guint t = 0; t < sheet->n_tracks; t++) {
		if (sheet->tracks[t].isrc[0] != '\0' && !rb_cue_set_text(sheet,
									 cdtext,
									 RB_CUE_TEXT_UPC_EAN,
									 sheet->tracks[t].number,
									 sheet->tracks[t].isrc,
									 sheet->tracks[t].line,
									 error))
			return FALSE;
	}
	rb_disc_image_set_cdtext(image, g_steal_pointer(&cdtext));
	return TRUE;
}
