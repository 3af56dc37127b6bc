/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The CUE reader's TRACK, INDEX, PREGAP and POSTGAP lines: track numbers in
 * turn, the modes rawburn burns, MM:SS:FF times, every INDEX as a place in
 * a file (times in a file must increase), the gaps that are generated.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "rb-disc-cue-private.h"

static const struct {
	const gchar *keyword;
	RbCueMode mode;
} rb_cue_modes[] = {
	{"AUDIO", RB_CUE_MODE_AUDIO},
	{"MODE1/2048", RB_CUE_MODE_MODE1_2048},
	{"MODE1/2352", RB_CUE_MODE_MODE1_2352},
	{"MODE2/2048", RB_CUE_MODE_MODE2_2048},
	{"MODE2/2336", RB_CUE_MODE_MODE2_2336},
	{"MODE2/2352", RB_CUE_MODE_MODE2_2352},
};

/* MM:SS:FF, minutes of one to three digits, as CDRWIN writes them */
static gboolean
rb_cue_parse_msf(const gchar *text, guint32 *frames)
{
	guint minutes = 0;
	guint n_digits = 0;
	const gchar *p = text;

	while (g_ascii_isdigit(*p) && n_digits < 3) {
		minutes = minutes * 10 + (guint)(*p++ - '0');
		n_digits++;
	}
	if (n_digits == 0 || p[0] != ':' || !g_ascii_isdigit(p[1]) || !g_ascii_isdigit(p[2]) ||
	    p[3] != ':' || !g_ascii_isdigit(p[4]) || !g_ascii_isdigit(p[5]) || p[6] != '\0')
		return FALSE;
	{
		guint seconds = (guint)(p[1] - '0') * 10 + (guint)(p[2] - '0');
		guint frame = (guint)(p[4] - '0') * 10 + (guint)(p[5] - '0');

		if (seconds >= 60 || frame >= RB_CUE_FRAMES_PER_SECOND)
			return FALSE;
		*frames = (minutes * 60 + seconds) * RB_CUE_FRAMES_PER_SECOND + frame;
	}
	return TRUE;
}

static gboolean
rb_cue_time_arg(const RbCueSheet *sheet,
		guint line,
		GPtrArray *words,
		guint i,
		guint32 *frames,
		GError **error)
{
	const gchar *keyword = g_ptr_array_index(words, 0);

	if (words->len != i + 1 || !rb_cue_parse_msf(g_ptr_array_index(words, i), frames))
		return rb_disc_cue_fail(
			sheet,
			line,
			error,
			RB_DISC_IMAGE_ERROR_SYNTAX,
			_("%s needs one time as MM:SS:FF (minutes, seconds under 60, "
			  "frames under 75), e.g. “%s 00:02:00”"),
			keyword,
			keyword);
	return TRUE;
}

/* the last place an INDEX gave, or none */
static const RbCuePoint *
rb_cue_last_point(const RbCueSheet *sheet)
{
	for (guint t = sheet->n_tracks; t > 0; t--) {
		const RbCueTrack *track = &sheet->tracks[t - 1];

		if (track->n_indexes > 0)
			return &track->indexes[track->n_indexes - 1];
		if (track->has_index0)
			return &track->index0;
	}
	return NULL;
}

gboolean
rb_disc_cue_read_index(
	RbCueSheet *sheet, RbCueTrack *track, guint line, GPtrArray *words, GError **error)
{
	const gchar *number = words->len > 1 ? g_ptr_array_index(words, 1) : "";
	const RbCuePoint *last = rb_cue_last_point(sheet);
	RbCuePoint point = {.file = sheet->files->len - 1, .line = line};
	guint n;

	if (strlen(number) != 2 || !g_ascii_isdigit(number[0]) || !g_ascii_isdigit(number[1]))
		return rb_disc_cue_fail(
			sheet,
			line,
			error,
			RB_DISC_IMAGE_ERROR_SYNTAX,
			_("INDEX needs a two-digit number and a time, e.g. “INDEX 01 "
			  "00:00:00”"));
	n = (guint)g_ascii_strtoull(number, NULL, 10);
	if (!rb_cue_time_arg(sheet, line, words, 2, &point.frame, error))
		return FALSE;
	if (track->postgap > 0)
		return rb_disc_cue_fail(
			sheet,
			line,
			error,
			RB_DISC_IMAGE_ERROR_SYNTAX,
			_("INDEX after POSTGAP: POSTGAP comes after a track's last INDEX"));
	if ((n == 0 && (track->has_index0 || track->n_indexes > 0)) ||
	    (n > 0 && n != track->n_indexes + 1))
		return rb_disc_cue_fail(
			sheet,
			line,
			error,
			RB_DISC_IMAGE_ERROR_SYNTAX,
			_("INDEX %02u is out of order: a track has INDEX 00 (optional), "
			  "then 01, 02, … each once and in turn"),
			n);
	if (last == NULL && point.frame != 0)
		return rb_disc_cue_fail(
			sheet,
			line,
			error,
			RB_DISC_IMAGE_ERROR_SYNTAX,
			_("the first INDEX is not at 00:00:00, so the start of the file "
			  "would not be burned: write “INDEX 00 00:00:00” before it"));
	if (last != NULL && last->file == point.file && point.frame <= last->frame)
		return rb_disc_cue_fail(
			sheet,
			line,
			error,
			RB_DISC_IMAGE_ERROR_SYNTAX,
			_("INDEX %02u is not after the INDEX of line %u: times in a file "
			  "must increase"),
			n,
			last->line);
	if (n == 0) {
		track->index0 = point;
		track->has_index0 = TRUE;
	} else {
		if (n > RB_IMAGE_MAX_INDEXES)
			return rb_disc_cue_fail(sheet,
						line,
						error,
						RB_DISC_IMAGE_ERROR_INVALID,
						_("a track has at most %u indexes"),
						RB_IMAGE_MAX_INDEXES);
		track->indexes[track->n_indexes++] = point;
	}
	return TRUE;
}

gboolean
rb_disc_cue_read_track(RbCueSheet *sheet, guint line, GPtrArray *words, GError **error)
{
	const gchar *number = words->len > 1 ? g_ptr_array_index(words, 1) : "";
	const gchar *mode = words->len > 2 ? g_ptr_array_index(words, 2) : "";
	RbCueTrack *track;
	guint64 n;
	gchar *end = NULL;

	if (sheet->files->len == 0)
		return rb_disc_cue_fail(sheet,
					line,
					error,
					RB_DISC_IMAGE_ERROR_SYNTAX,
					_("TRACK before any FILE: name the data file first"));
	if (sheet->n_tracks > 0 && sheet->tracks[sheet->n_tracks - 1].n_indexes == 0)
		return rb_disc_cue_fail(sheet,
					sheet->tracks[sheet->n_tracks - 1].line,
					error,
					RB_DISC_IMAGE_ERROR_SYNTAX,
					_("the track has no INDEX 01"));
	n = g_ascii_strtoull(number, &end, 10);
	if (words->len != 3 || *number == '\0' || *end != '\0')
		return rb_disc_cue_fail(
			sheet,
			line,
			error,
			RB_DISC_IMAGE_ERROR_SYNTAX,
			_("TRACK needs a number and a mode, e.g. “TRACK 01 AUDIO”"));
	if (n == 0 || n > RB_IMAGE_MAX_TRACKS || sheet->n_tracks == RB_IMAGE_MAX_TRACKS)
		return rb_disc_cue_fail(
			sheet,
			line,
			error,
			RB_DISC_IMAGE_ERROR_INVALID,
			_("a CD holds tracks 1 to 99: leave tracks out or make two discs"));
	if (sheet->n_tracks > 0 && n != sheet->tracks[sheet->n_tracks - 1].number + 1)
		return rb_disc_cue_fail(
			sheet,
			line,
			error,
			RB_DISC_IMAGE_ERROR_SYNTAX,
			_("TRACK %02u follows track %02u: tracks are numbered in turn"),
			(guint)n,
			sheet->tracks[sheet->n_tracks - 1].number);
	track = &sheet->tracks[sheet->n_tracks];
	memset(track, 0, sizeof(*track));
	track->number = (guint)n;
	track->line = line;
	for (guint i = 0; i < G_N_ELEMENTS(rb_cue_modes); i++) {
		if (g_strcmp0(mode, rb_cue_modes[i].keyword) == 0) {
			sheet->n_tracks++;
			track->mode = rb_cue_modes[i].mode;
			if (track->mode != RB_CUE_MODE_AUDIO &&
			    ((RbCueFile *)g_ptr_array_index(sheet->files, sheet->files->len - 1))
					    ->type != RB_CUE_FILE_BINARY)
				return rb_disc_cue_fail(
					sheet,
					line,
					error,
					RB_DISC_IMAGE_ERROR_UNSUPPORTED,
					_("a %s track in a WAVE or MOTOROLA file: data "
					  "sectors come from BINARY files"),
					mode);
			return TRUE;
		}
	}
	if (g_strcmp0(mode, "CDG") == 0 || g_str_has_prefix(mode, "CDI/") ||
	    g_strcmp0(mode, "MODE2/2324") == 0)
		return rb_disc_cue_fail(
			sheet,
			line,
			error,
			RB_DISC_IMAGE_ERROR_UNSUPPORTED,
			_("%s tracks are not burned (CD+G and CD-i need their sub-channel "
			  "or disc format; 2324-byte sectors lack their sub-headers): "
			  "rawburn burns AUDIO, MODE1/2048, MODE1/2352, MODE2/2048, "
			  "MODE2/2336 and MODE2/2352"),
			mode);
	return rb_disc_cue_fail(
		sheet,
		line,
		error,
		RB_DISC_IMAGE_ERROR_SYNTAX,
		_("unknown track mode “%s”: AUDIO, MODE1/2048, MODE1/2352, MODE2/2048, "
		  "MODE2/2336 or MODE2/2352"),
		mode);
}

/* PREGAP and POSTGAP: generated silence (empty sectors in data tracks) */
gboolean
rb_disc_cue_read_gap(
	RbCueSheet *sheet, RbCueTrack *track, guint line, GPtrArray *words, GError **error)
{
	const gchar *keyword = g_ptr_array_index(words, 0);
	gboolean pre = keyword[1] == 'R';
	guint32 frames = 0;

	if (!rb_cue_time_arg(sheet, line, words, 1, &frames, error))
		return FALSE;
	if ((pre && (track->pregap > 0 || track->has_index0 || track->n_indexes > 0)) ||
	    (!pre && (track->postgap > 0 || track->n_indexes == 0)))
		return rb_disc_cue_fail(sheet,
					line,
					error,
					RB_DISC_IMAGE_ERROR_SYNTAX,
					pre ? _("PREGAP comes once, before the track's INDEX lines")
					    : _("POSTGAP comes once, after the track's INDEX "
						"lines"));
	if (frames == 0)
		return rb_disc_cue_fail(sheet,
					line,
					error,
					RB_DISC_IMAGE_ERROR_SYNTAX,
					_("%s 00:00:00 is no gap: remove the line"),
					keyword);
	*(pre ? &track->pregap : &track->postgap) = frames;
	return TRUE;
}
