/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The second reading of a CUE sheet, by libcdio, and its comparison with
 * ours (what libcdio 2.1 keeps of a sheet: rb-disc-cue.c). libcdio opens a
 * sheet only beside a "<sheet>.bin" and refuses POSTGAP, so it is given a
 * copy of the sheet, line for line, in a folder of its own: POSTGAP lines
 * become REM lines, CDTEXTFILE names its file by its full path, and an
 * empty "sheet.bin" stands beside it (libcdio takes only the last track's
 * length from it, which is not compared).
 */
#include "config.h"

#include <cdio/cdio.h>
#include <cdio/cdtext.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "rb-disc-cdio.h"
#include "rb-disc-cue-private.h"

static gboolean
rb_cue_cdio_differ(const RbCueSheet *sheet,
		   guint line,
		   const gchar *what,
		   const gchar *ours,
		   const gchar *theirs,
		   GError **error)
{
	g_set_error(error,
		    RB_DISC_IMAGE_ERROR,
		    RB_DISC_IMAGE_ERROR_SYNTAX,
		    _("%s line %u: the sheet reads two ways (%s: “%s” here, “%s” by libcdio); "
		      "it is not burned, lest it be misunderstood: write the line plainly, or "
		      "report the sheet"),
		    sheet->path,
		    line,
		    what,
		    ours,
		    theirs);
	return FALSE;
}

/* @dir and what rb_cue_cdio_copy() wrote there, whatever it wrote */
static void
rb_cue_cdio_remove(const gchar *dir)
{
	g_autofree gchar *cue = g_build_filename(dir, "sheet.cue", NULL);
	g_autofree gchar *bin = g_build_filename(dir, "sheet.bin", NULL);

	g_unlink(cue);
	g_unlink(bin);
	g_rmdir(dir);
}

/* the copy of the sheet that libcdio reads, in @dir (rb_cue_cdio_remove()
 * removes it, also after a failure) */
static gchar *
rb_cue_cdio_copy(const RbCueSheet *sheet, const gchar *dir, GError **error)
{
	g_autoptr(GString) text = g_string_new(NULL);
	g_autofree gchar *cue = g_build_filename(dir, "sheet.cue", NULL);
	g_autofree gchar *bin = g_build_filename(dir, "sheet.bin", NULL);

	for (guint i = 0; sheet->lines[i] != NULL; i++) {
		const gchar *line = sheet->lines[i];
		const gchar *word = line + strspn(line, " \t");

		if (g_str_has_prefix(word, "POSTGAP"))
			g_string_append_printf(text, "REM %s\n", word);
		else if (g_str_has_prefix(word, "CDTEXTFILE") && sheet->cdtextfile != NULL)
			g_string_append_printf(text, "CDTEXTFILE \"%s\"\n", sheet->cdtextfile);
		else
			g_string_append_printf(text, "%s\n", line);
	}
	if (!g_file_set_contents(cue, text->str, (gssize)text->len, error) ||
	    !g_file_set_contents(bin, "", 0, error))
		return NULL;
	return g_steal_pointer(&cue);
}

/* libcdio's Latin-1 reading of the sheet's bytes, back to those bytes */
static gboolean
rb_cue_cdio_text_equal(const gchar *ours, const gchar *theirs)
{
	g_autofree gchar *latin1 = NULL;

	if (g_strcmp0(ours, theirs) == 0)
		return TRUE;
	if (theirs == NULL || ours == NULL)
		return FALSE;
	latin1 = g_convert(theirs, -1, "ISO-8859-1", "UTF-8", NULL, NULL, NULL);
	return g_strcmp0(ours, latin1) == 0;
}

static const cdtext_field_t rb_cue_cdio_fields[RB_CUE_N_TEXT] = {
	CDTEXT_FIELD_TITLE,
	CDTEXT_FIELD_PERFORMER,
	CDTEXT_FIELD_SONGWRITER,
	CDTEXT_FIELD_COMPOSER,
	CDTEXT_FIELD_ARRANGER,
	CDTEXT_FIELD_MESSAGE,
	CDTEXT_FIELD_DISCID,
	CDTEXT_FIELD_GENRE,
	CDTEXT_FIELD_UPC_EAN,
};

static gboolean
rb_cue_cdio_compare_text(const RbCueSheet *sheet, CdIo_t *cdio, GError **error)
{
	cdtext_t *cdtext = cdio_get_cdtext(cdio);

	/* with a CDTEXTFILE libcdio mixes the file's packs with the sheet's lines */
	if (sheet->cdtextfile != NULL)
		return TRUE;
	for (guint i = 0; i < RB_CUE_N_TEXT; i++) {
		for (guint t = 0; t <= sheet->n_tracks; t++) {
			const gchar *ours = t == 0 ? sheet->text[i] : sheet->tracks[t - 1].text[i];
			guint line =
				t == 0 ? sheet->text_line[i] : sheet->tracks[t - 1].text_line[i];
			const gchar *theirs =
				cdtext != NULL ? cdtext_get_const(
							 cdtext, rb_cue_cdio_fields[i], (track_t)t)
					       : NULL;

			if (!rb_cue_cdio_text_equal(ours, theirs))
				return rb_cue_cdio_differ(sheet,
							  line > 0 ? line : 1,
							  _("CD-TEXT"),
							  ours != NULL ? ours : "",
							  theirs != NULL ? theirs : "",
							  error);
		}
	}
	return TRUE;
}

static gboolean
rb_cue_cdio_compare_track(const RbCueSheet *sheet, CdIo_t *cdio, guint t, GError **error)
{
	const RbCueTrack *track = &sheet->tracks[t];
	track_t number = (track_t)(cdio_get_first_track_num(cdio) + t);
	track_format_t format = cdio_get_track_format(cdio, number);
	track_format_t want =
		track->mode == RB_CUE_MODE_AUDIO ? TRACK_FORMAT_AUDIO
		: track->mode == RB_CUE_MODE_MODE1_2048 || track->mode == RB_CUE_MODE_MODE1_2352
			? TRACK_FORMAT_DATA
			: TRACK_FORMAT_XA;
	lsn_t index1 = cdio_get_track_lsn(cdio, number);
	lsn_t index0 = cdio_get_track_pregap_lsn(cdio, number);
	g_autofree gchar *ours = NULL;
	g_autofree gchar *theirs = NULL;
	g_autofree gchar *isrc = cdio_get_track_isrc(cdio, number);
	gboolean copy = cdio_get_track_copy_permit(cdio, number) == CDIO_TRACK_FLAG_TRUE;
	gboolean pre = cdio_get_track_preemphasis(cdio, number) == CDIO_TRACK_FLAG_TRUE;

	if (format != want) {
		ours = g_strdup_printf("%d", want);
		theirs = g_strdup_printf("%d", format);
		return rb_cue_cdio_differ(
			sheet, track->line, _("track format"), ours, theirs, error);
	}
	/* libcdio's LSN of an INDEX is its time as written (+150 -150) */
	if (index1 != (lsn_t)track->indexes[0].frame) {
		ours = g_strdup_printf("%u", track->indexes[0].frame);
		theirs = g_strdup_printf("%d", index1);
		return rb_cue_cdio_differ(
			sheet, track->indexes[0].line, _("INDEX 01"), ours, theirs, error);
	}
	if (track->has_index0 && index0 != (lsn_t)track->index0.frame) {
		ours = g_strdup_printf("%u", track->index0.frame);
		theirs = g_strdup_printf("%d", index0);
		return rb_cue_cdio_differ(
			sheet, track->index0.line, _("INDEX 00"), ours, theirs, error);
	}
	if (g_strcmp0(isrc != NULL ? isrc : "", track->isrc) != 0)
		return rb_cue_cdio_differ(
			sheet, track->line, "ISRC", track->isrc, isrc != NULL ? isrc : "", error);
	if (copy != track->copy_permitted || pre != track->preemphasis) {
		ours = g_strdup_printf("%s%s",
				       track->copy_permitted ? "DCP " : "",
				       track->preemphasis ? "PRE" : "");
		theirs = g_strdup_printf("%s%s", copy ? "DCP " : "", pre ? "PRE" : "");
		return rb_cue_cdio_differ(sheet, track->line, "FLAGS", ours, theirs, error);
	}
	return TRUE;
}

static gboolean
rb_cue_cdio_compare(const RbCueSheet *sheet, CdIo_t *cdio, GError **error)
{
	g_autofree gchar *mcn = cdio_get_mcn(cdio);
	track_t n_tracks = cdio_get_num_tracks(cdio);

	if (n_tracks != sheet->n_tracks) {
		g_autofree gchar *ours = g_strdup_printf("%u", sheet->n_tracks);
		g_autofree gchar *theirs = g_strdup_printf("%u", n_tracks);

		return rb_cue_cdio_differ(
			sheet, sheet->tracks[0].line, _("number of tracks"), ours, theirs, error);
	}
	if (g_strcmp0(mcn != NULL ? mcn : "", sheet->mcn) != 0)
		return rb_cue_cdio_differ(sheet,
					  MAX(sheet->mcn_line, 1),
					  "CATALOG",
					  sheet->mcn,
					  mcn != NULL ? mcn : "",
					  error);
	for (guint t = 0; t < sheet->n_tracks; t++) {
		if (!rb_cue_cdio_compare_track(sheet, cdio, t, error))
			return FALSE;
	}
	return rb_cue_cdio_compare_text(sheet, cdio, error);
}

gboolean
rb_disc_cue_cdio_agree(const RbCueSheet *sheet, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	g_autofree gchar *dir = g_dir_make_tmp("rawburn-cue-XXXXXX", &error_local);
	g_autofree gchar *copy = NULL;
	g_autofree gchar *message = NULL;
	CdIo_t *cdio;
	gboolean ok = FALSE;

	if (dir == NULL || (copy = rb_cue_cdio_copy(sheet, dir, &error_local)) == NULL) {
		g_set_error(error,
			    RB_DISC_IMAGE_ERROR,
			    RB_DISC_IMAGE_ERROR_FILE,
			    _("%s: no temporary folder for libcdio's reading: %s"),
			    sheet->path,
			    error_local->message);
		if (dir != NULL)
			rb_cue_cdio_remove(dir);
		return FALSE;
	}
	/* libcdio says why it refused a sheet only through its log; its
	 * getters and cdio_destroy() log too, so the swap spans them all */
	rb_disc_cdio_log_begin();
	cdio = cdio_open_cue(copy);
	if (cdio != NULL) {
		ok = rb_cue_cdio_compare(sheet, cdio, error);
		cdio_destroy(cdio);
	}
	message = rb_disc_cdio_log_end();

	rb_cue_cdio_remove(dir);
	if (cdio == NULL) {
		/* its messages name the copy: put the sheet's name in its place */
		g_autofree gchar *why = NULL;

		if (message != NULL) {
			g_auto(GStrv) parts = g_strsplit(message, copy, -1);
			why = g_strjoinv(sheet->path, parts);
		}
		g_set_error(error,
			    RB_DISC_IMAGE_ERROR,
			    RB_DISC_IMAGE_ERROR_SYNTAX,
			    _("%s: libcdio cannot read the sheet (%s): it is not burned, lest it "
			      "be misunderstood; fix the line named"),
			    sheet->path,
			    why != NULL ? why : _("no reason given"));
		return FALSE;
	}
	return ok;
}
