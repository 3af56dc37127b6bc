/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CUE sheets (CDRWIN's format) with their BIN, MOTOROLA and WAVE files.
 *
 * Two readings, which must agree. libcdio's (rb-disc-cue-cdio.c) parses and
 * validates the sheet; what libcdio 2.1.0 (lib/driver/image/bincue.c, as
 * tried with cd-info and a test program) keeps of it, and what not:
 * - kept right: the track count, each track's format (AUDIO; MODE1/2048 and /2352 as
 *   DATA; MODE2/2048, /2324, /2336, /2352 as green XA, not told apart), the
 *   INDEX 01 and INDEX 00 times, FLAGS DCP and PRE (4CH as 4 channels),
 *   ISRC (not checked), CATALOG (13 digits checked), the CD-TEXT keywords
 *   of the disc and its tracks, CDTEXTFILE (decoded into the same CD-TEXT);
 *   time syntax (MM:SS:FF) and unknown keywords are refused with the line.
 * - dropped: the FILE names' types (BINARY, MOTOROLA, WAVE, AIFF, MP3 all
 *   taken alike), INDEX 02 and up, PREGAP (read, never counted), FLAGS
 *   SCMS (no getter), REM.
 * - wrong: LSNs are each INDEX time + 150 as written, never offset by the
 *   files before, PREGAPs or sector sizes: with several FILEs, or any
 *   PREGAP, the track starts it gives are not the disc's. Track lengths
 *   come from "<sheet>.bin" whatever the FILE lines name (a sheet without
 *   such a file does not open at all), the last track's from its size.
 *   The CD-TEXT is taken as ISO-8859-1 (a UTF-8 sheet's "é" reads "Ã©").
 * - refused: POSTGAP (an unknown keyword to it), CDG and CDI/... tracks,
 *   keywords in lower case.
 * So libcdio is given a line-for-line copy of the sheet in a folder of its
 * own, beside an empty "<sheet>.bin", with POSTGAP lines turned into REM
 * and CDTEXTFILE named by its full path; its facts are compared with ours.
 *
 * Our scanner (this file) reads everything a burn needs, libcdio's facts
 * included, so that the two can be compared: the FILE types and lengths
 * (a WAVE's sample data), every INDEX as a place in a file, PREGAP,
 * POSTGAP, SCMS; the byte offsets follow from the sector size of the
 * track that each stretch of a file belongs to. Where both know a fact
 * (track count, modes, INDEX 00/01 times, ISRC, DCP, PRE, MCN, the CD-TEXT
 * bytes) a difference refuses the sheet naming the line: two readings that
 * disagree are a misunderstood image.
 *
 * Track 1's 150 sectors before LBA 0 are never in the files: they are
 * generated, and a track 1 INDEX 00 in the file comes after them, as cdrdao
 * does (INDEX 00 00:00:00, INDEX 01 00:02:00 puts index 1 at LBA 150).
 * PREGAP is generated silence (empty sectors in a data track) before the
 * file's index 0, POSTGAP the same at the end of the track's index 1.
 * CDTEXTFILE wins over the sheet's CD-TEXT lines: it is the disc's own
 * packs, every language block included, which the sheet cannot express.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdarg.h>
#include <string.h>

#include "rb-disc-cue-private.h"

/* a .cdt holds at most 8 blocks of 256 packs, maybe after a 4-byte header */
#define RB_CUE_CDT_MAX_SIZE (8 * 256 * RB_CDTEXT_PACK_SIZE + 4)
#define RB_CUE_FRAMES_PER_SECOND 75

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

static void
rb_cue_file_free(gpointer data)
{
	RbCueFile *file = data;

	g_free(file->path);
	g_free(file);
}

static void
rb_cue_sheet_clear(RbCueSheet *sheet)
{
	for (guint i = 0; i < RB_CUE_N_TEXT; i++) {
		g_free(sheet->text[i]);
		for (guint t = 0; t < sheet->n_tracks; t++)
			g_free(sheet->tracks[t].text[i]);
	}
	g_clear_pointer(&sheet->files, g_ptr_array_unref);
	g_clear_pointer(&sheet->lines, g_strfreev);
	g_free(sheet->cdtextfile);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(RbCueSheet, rb_cue_sheet_clear)

static gboolean G_GNUC_PRINTF(5, 6) rb_cue_fail(
	const RbCueSheet *sheet, guint line, GError **error, gint code, const gchar *format, ...)
{
	g_autofree gchar *what = NULL;
	va_list args;

	va_start(args, format);
	what = g_strdup_vprintf(format, args);
	va_end(args);
	g_set_error(error, RB_DISC_IMAGE_ERROR, code, _("%s line %u: %s"), sheet->path, line, what);
	return FALSE;
}

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
		return rb_cue_fail(sheet,
				   line,
				   error,
				   RB_DISC_IMAGE_ERROR_SYNTAX,
				   _("%s needs one time as MM:SS:FF (minutes, seconds under 60, "
				     "frames under 75), e.g. “%s 00:02:00”"),
				   keyword,
				   keyword);
	return TRUE;
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
		return rb_cue_fail(
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
		return rb_cue_fail(
			sheet,
			line,
			error,
			RB_DISC_IMAGE_ERROR_UNSUPPORTED,
			_("%s files are not read: convert the audio to a 44.1 kHz 16-bit "
			  "stereo WAV file and name it as WAVE"),
			type);
	else
		return rb_cue_fail(sheet,
				   line,
				   error,
				   RB_DISC_IMAGE_ERROR_SYNTAX,
				   _("unknown file type “%s”: BINARY, MOTOROLA or WAVE"),
				   type);
	file->path = rb_disc_image_resolve_path(image, g_ptr_array_index(words, 1));
	file->line = line;
	if (g_stat(file->path, &st) != 0 || !S_ISREG(st.st_mode)) {
		g_free(file->path);
		return rb_cue_fail(sheet,
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
		rb_cue_fail(sheet, line, error, error_local->code, "%s", error_local->message);
		g_free(file->path);
		return FALSE;
	}
	g_ptr_array_add(sheet->files, g_steal_pointer(&file));
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

static gboolean
rb_cue_read_index(
	RbCueSheet *sheet, RbCueTrack *track, guint line, GPtrArray *words, GError **error)
{
	const gchar *number = words->len > 1 ? g_ptr_array_index(words, 1) : "";
	const RbCuePoint *last = rb_cue_last_point(sheet);
	RbCuePoint point = {.file = sheet->files->len - 1, .line = line};
	guint n;

	if (strlen(number) != 2 || !g_ascii_isdigit(number[0]) || !g_ascii_isdigit(number[1]))
		return rb_cue_fail(sheet,
				   line,
				   error,
				   RB_DISC_IMAGE_ERROR_SYNTAX,
				   _("INDEX needs a two-digit number and a time, e.g. “INDEX 01 "
				     "00:00:00”"));
	n = (guint)g_ascii_strtoull(number, NULL, 10);
	if (!rb_cue_time_arg(sheet, line, words, 2, &point.frame, error))
		return FALSE;
	if (track->postgap > 0)
		return rb_cue_fail(
			sheet,
			line,
			error,
			RB_DISC_IMAGE_ERROR_SYNTAX,
			_("INDEX after POSTGAP: POSTGAP comes after a track's last INDEX"));
	if ((n == 0 && (track->has_index0 || track->n_indexes > 0)) ||
	    (n > 0 && n != track->n_indexes + 1))
		return rb_cue_fail(sheet,
				   line,
				   error,
				   RB_DISC_IMAGE_ERROR_SYNTAX,
				   _("INDEX %02u is out of order: a track has INDEX 00 (optional), "
				     "then 01, 02, … each once and in turn"),
				   n);
	if (last == NULL && point.frame != 0)
		return rb_cue_fail(sheet,
				   line,
				   error,
				   RB_DISC_IMAGE_ERROR_SYNTAX,
				   _("the first INDEX is not at 00:00:00, so the start of the file "
				     "would not be burned: write “INDEX 00 00:00:00” before it"));
	if (last != NULL && last->file == point.file && point.frame <= last->frame)
		return rb_cue_fail(
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
			return rb_cue_fail(sheet,
					   line,
					   error,
					   RB_DISC_IMAGE_ERROR_INVALID,
					   _("a track has at most %u indexes"),
					   RB_IMAGE_MAX_INDEXES);
		track->indexes[track->n_indexes++] = point;
	}
	return TRUE;
}

static gboolean
rb_cue_read_track(RbCueSheet *sheet, guint line, GPtrArray *words, GError **error)
{
	const gchar *number = words->len > 1 ? g_ptr_array_index(words, 1) : "";
	const gchar *mode = words->len > 2 ? g_ptr_array_index(words, 2) : "";
	RbCueTrack *track;
	guint64 n;
	gchar *end = NULL;

	if (sheet->files->len == 0)
		return rb_cue_fail(sheet,
				   line,
				   error,
				   RB_DISC_IMAGE_ERROR_SYNTAX,
				   _("TRACK before any FILE: name the data file first"));
	if (sheet->n_tracks > 0 && sheet->tracks[sheet->n_tracks - 1].n_indexes == 0)
		return rb_cue_fail(sheet,
				   sheet->tracks[sheet->n_tracks - 1].line,
				   error,
				   RB_DISC_IMAGE_ERROR_SYNTAX,
				   _("the track has no INDEX 01"));
	n = g_ascii_strtoull(number, &end, 10);
	if (words->len != 3 || *number == '\0' || *end != '\0')
		return rb_cue_fail(sheet,
				   line,
				   error,
				   RB_DISC_IMAGE_ERROR_SYNTAX,
				   _("TRACK needs a number and a mode, e.g. “TRACK 01 AUDIO”"));
	if (n == 0 || n > RB_IMAGE_MAX_TRACKS || sheet->n_tracks == RB_IMAGE_MAX_TRACKS)
		return rb_cue_fail(
			sheet,
			line,
			error,
			RB_DISC_IMAGE_ERROR_INVALID,
			_("a CD holds tracks 1 to 99: leave tracks out or make two discs"));
	if (sheet->n_tracks > 0 && n != sheet->tracks[sheet->n_tracks - 1].number + 1)
		return rb_cue_fail(sheet,
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
				return rb_cue_fail(sheet,
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
		return rb_cue_fail(
			sheet,
			line,
			error,
			RB_DISC_IMAGE_ERROR_UNSUPPORTED,
			_("%s tracks are not burned (CD+G and CD-i need their sub-channel "
			  "or disc format; 2324-byte sectors lack their sub-headers): "
			  "rawburn burns AUDIO, MODE1/2048, MODE1/2352, MODE2/2048, "
			  "MODE2/2336 and MODE2/2352"),
			mode);
	return rb_cue_fail(sheet,
			   line,
			   error,
			   RB_DISC_IMAGE_ERROR_SYNTAX,
			   _("unknown track mode “%s”: AUDIO, MODE1/2048, MODE1/2352, MODE2/2048, "
			     "MODE2/2336 or MODE2/2352"),
			   mode);
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
			return rb_cue_fail(
				sheet,
				line,
				error,
				RB_DISC_IMAGE_ERROR_UNSUPPORTED,
				_("four-channel audio (4CH) is not supported: remove the "
				  "flag if the track is stereo"));
		else
			return rb_cue_fail(sheet,
					   line,
					   error,
					   RB_DISC_IMAGE_ERROR_SYNTAX,
					   _("unknown flag “%s”: DCP, PRE, SCMS"),
					   flag);
	}
	return TRUE;
}

/* TITLE and the other CD-TEXT keywords; FALSE with no error when @keyword is none */
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
			return rb_cue_fail(sheet,
					   line,
					   error,
					   RB_DISC_IMAGE_ERROR_SYNTAX,
					   _("%s needs one text in double quotes"),
					   keyword);
		if (track != NULL && (i == RB_CUE_TEXT_DISC_ID || i == RB_CUE_TEXT_GENRE ||
				      i == RB_CUE_TEXT_UPC_EAN))
			return rb_cue_fail(sheet,
					   line,
					   error,
					   RB_DISC_IMAGE_ERROR_SYNTAX,
					   _("%s is the disc's: put it before the first TRACK"),
					   keyword);
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
	guint32 frames = 0;

	if (g_strcmp0(keyword, "REM") == 0) {
		(*n_rem)++;
		return TRUE;
	}
	if (g_strcmp0(keyword, "FILE") == 0)
		return rb_cue_read_file(image, sheet, line, words, error);
	if (g_strcmp0(keyword, "TRACK") == 0)
		return rb_cue_read_track(sheet, line, words, error);
	if (!rb_cue_read_text(sheet, track, line, words, &matched, error))
		return FALSE;
	if (matched)
		return TRUE;
	if (g_strcmp0(keyword, "CATALOG") == 0 || g_strcmp0(keyword, "CDTEXTFILE") == 0) {
		if (track != NULL)
			return rb_cue_fail(sheet,
					   line,
					   error,
					   RB_DISC_IMAGE_ERROR_SYNTAX,
					   _("%s is the disc's: put it before the first TRACK"),
					   keyword);
		if (words->len != 2)
			return rb_cue_fail(sheet,
					   line,
					   error,
					   RB_DISC_IMAGE_ERROR_SYNTAX,
					   _("%s needs one value"),
					   keyword);
		if (keyword[1] == 'A') {
			const gchar *mcn = g_ptr_array_index(words, 1);

			if (strlen(mcn) != RB_IMAGE_MCN_LENGTH)
				return rb_cue_fail(sheet,
						   line,
						   error,
						   RB_DISC_IMAGE_ERROR_SYNTAX,
						   _("CATALOG needs the 13 digits of the disc's "
						     "UPC/EAN"));
			g_strlcpy(sheet->mcn, mcn, sizeof(sheet->mcn));
			sheet->mcn_line = line;
		} else {
			g_free(sheet->cdtextfile);
			sheet->cdtextfile =
				rb_disc_image_resolve_path(image, g_ptr_array_index(words, 1));
			sheet->cdtextfile_line = line;
		}
		return TRUE;
	}
	if (track == NULL &&
	    (g_strcmp0(keyword, "FLAGS") == 0 || g_strcmp0(keyword, "ISRC") == 0 ||
	     g_strcmp0(keyword, "PREGAP") == 0 || g_strcmp0(keyword, "POSTGAP") == 0 ||
	     g_strcmp0(keyword, "INDEX") == 0))
		return rb_cue_fail(sheet,
				   line,
				   error,
				   RB_DISC_IMAGE_ERROR_SYNTAX,
				   _("%s belongs to a track: put it after a TRACK line"),
				   keyword);
	if (g_strcmp0(keyword, "FLAGS") == 0)
		return rb_cue_read_flags(sheet, track, line, words, error);
	if (g_strcmp0(keyword, "INDEX") == 0)
		return rb_cue_read_index(sheet, track, line, words, error);
	if (g_strcmp0(keyword, "ISRC") == 0) {
		if (words->len != 2 || strlen(g_ptr_array_index(words, 1)) != RB_IMAGE_ISRC_LENGTH)
			return rb_cue_fail(
				sheet,
				line,
				error,
				RB_DISC_IMAGE_ERROR_SYNTAX,
				_("ISRC needs the 12 characters of a recording code, e.g. "
				  "“ISRC USRC17607839”"));
		g_strlcpy(track->isrc, g_ptr_array_index(words, 1), sizeof(track->isrc));
		return TRUE;
	}
	if (g_strcmp0(keyword, "PREGAP") == 0 || g_strcmp0(keyword, "POSTGAP") == 0) {
		gboolean pre = keyword[1] == 'R';

		if (!rb_cue_time_arg(sheet, line, words, 1, &frames, error))
			return FALSE;
		if ((pre && (track->pregap > 0 || track->has_index0 || track->n_indexes > 0)) ||
		    (!pre && (track->postgap > 0 || track->n_indexes == 0)))
			return rb_cue_fail(
				sheet,
				line,
				error,
				RB_DISC_IMAGE_ERROR_SYNTAX,
				pre ? _("PREGAP comes once, before the track's INDEX lines")
				    : _("POSTGAP comes once, after the track's INDEX "
					"lines"));
		if (frames == 0)
			return rb_cue_fail(sheet,
					   line,
					   error,
					   RB_DISC_IMAGE_ERROR_SYNTAX,
					   _("%s 00:00:00 is no gap: remove the line"),
					   keyword);
		*(pre ? &track->pregap : &track->postgap) = frames;
		return TRUE;
	}
	{
		g_autofree gchar *upper = g_ascii_strup(keyword, -1);

		if (g_strcmp0(upper, keyword) != 0)
			return rb_cue_fail(
				sheet,
				line,
				error,
				RB_DISC_IMAGE_ERROR_SYNTAX,
				_("unknown keyword “%s”: keywords are written in capitals "
				  "(%s)"),
				keyword,
				upper);
	}
	return rb_cue_fail(sheet,
			   line,
			   error,
			   RB_DISC_IMAGE_ERROR_SYNTAX,
			   _("unknown keyword “%s”: the sheet cannot be burned as it is meant; "
			     "remove the line or make it a REM"),
			   keyword);
}

static gboolean
rb_cue_scan(RbDiscImage *image, RbCueSheet *sheet, GError **error)
{
	g_autofree gchar *text = NULL;
	g_autoptr(GError) error_local = NULL;
	gsize length = 0;
	guint n_rem = 0;

	if (!g_file_get_contents(sheet->path, &text, &length, &error_local)) {
		g_set_error(error,
			    RB_DISC_IMAGE_ERROR,
			    RB_DISC_IMAGE_ERROR_FILE,
			    _("Cannot read the sheet: %s"),
			    error_local->message);
		return FALSE;
	}
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
			return rb_cue_fail(sheet,
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
		return rb_cue_fail(sheet,
				   sheet->tracks[sheet->n_tracks - 1].line,
				   error,
				   RB_DISC_IMAGE_ERROR_SYNTAX,
				   _("the track has no INDEX 01"));
	if (n_rem > 0)
		rb_disc_image_add_note(image, _("%u REM line(s) ignored"), n_rem);
	return TRUE;
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

	if (track->mode == RB_CUE_MODE_MODE1_2352 || track->mode == RB_CUE_MODE_MODE2_2352)
		flags = RB_DISC_SEGMENT_SCRAMBLE;
	else if (track->mode == RB_CUE_MODE_MODE2_2336)
		flags = RB_DISC_SEGMENT_XA_2336;
	*n_sectors = 0;
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
				return rb_cue_fail(
					b->sheet,
					to->line,
					error,
					RB_DISC_IMAGE_ERROR_FILE_TOO_SHORT,
					_("“%s” has %" G_GUINT64_FORMAT " bytes of sectors, but "
					  "this INDEX is at byte %" G_GUINT64_FORMAT
					  ": the file is truncated or the time is wrong"),
					file->path,
					file->length,
					start + bytes);
		} else {
			bytes = file->length > start ? file->length - start : 0;
			if (bytes % size != 0) {
				if (track->mode != RB_CUE_MODE_AUDIO)
					return rb_cue_fail(
						b->sheet,
						track->line,
						error,
						RB_DISC_IMAGE_ERROR_FILE_TOO_SHORT,
						_("“%s” ends %" G_GUINT64_FORMAT
						  " bytes into a %zu-byte sector of this track: "
						  "the file is truncated or the mode is wrong"),
						file->path,
						bytes % size,
						size);
				these |= RB_DISC_SEGMENT_PAD;
				b->padded = TRUE;
			}
		}
		if (bytes > 0)
			rb_disc_image_add_file(
				b->image, t, file->path, file->offset + start, bytes, these);
		*n_sectors += (guint32)((bytes + size - 1) / size);
		b->file_byte[f] = start + bytes;
	}
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
	return rb_cue_fail(b->sheet,
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
		return rb_cue_fail(b->sheet,
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

/* the sheet's bytes as UTF-8: valid UTF-8 as it is, else ISO-8859-1 */
static gchar *
rb_cue_text_utf8(const gchar *bytes)
{
	if (g_utf8_validate(bytes, -1, NULL))
		return g_strdup(bytes);
	return g_convert(bytes, -1, "UTF-8", "ISO-8859-1", NULL, NULL, NULL);
}

static gboolean
rb_cue_set_text(RbCueBuild *b,
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
		return rb_cue_fail(b->sheet,
				   line,
				   error,
				   RB_DISC_IMAGE_ERROR_UNSUPPORTED,
				   _("CD-TEXT: %s"),
				   error_local->message);
	return TRUE;
}

static gboolean
rb_cue_build_cdtext(RbCueBuild *b, GError **error)
{
	RbCueSheet *sheet = b->sheet;
	g_autoptr(RbCdText) cdtext = rb_cdtext_new();
	gboolean any = FALSE;

	if (sheet->cdtextfile != NULL) {
		g_autofree gchar *data = NULL;
		g_autoptr(GError) error_local = NULL;
		gsize length = 0;
		RbCdText *decoded;

		if (!g_file_get_contents(sheet->cdtextfile, &data, &length, &error_local))
			return rb_cue_fail(sheet,
					   sheet->cdtextfile_line,
					   error,
					   RB_DISC_IMAGE_ERROR_FILE,
					   _("the CD-TEXT file cannot be read: %s"),
					   error_local->message);
		decoded = length <= RB_CUE_CDT_MAX_SIZE
				  ? rb_cdtext_decode((const guint8 *)data, length, &error_local)
				  : NULL;
		if (decoded == NULL)
			return rb_cue_fail(sheet,
					   sheet->cdtextfile_line,
					   error,
					   RB_DISC_IMAGE_ERROR_SYNTAX,
					   _("“%s” holds no CD-TEXT packs (%s): give the .cdt file "
					     "a drive read, or remove the line"),
					   sheet->cdtextfile,
					   error_local != NULL ? error_local->message
							       : _("too large"));
		rb_disc_image_set_cdtext(b->image, decoded);
		for (guint i = 0; i < RB_CUE_N_TEXT && !any; i++) {
			any = sheet->text[i] != NULL;
			for (guint t = 0; t < sheet->n_tracks && !any; t++)
				any = sheet->tracks[t].text[i] != NULL;
		}
		if (any)
			rb_disc_image_add_note(
				b->image,
				_("the CD-TEXT comes from the CDTEXTFILE; the sheet's "
				  "TITLE, PERFORMER, … lines are ignored"));
		return TRUE;
	}
	for (guint i = 0; i < RB_CUE_N_TEXT; i++) {
		if (sheet->text[i] != NULL) {
			if (!rb_cue_set_text(
				    b, cdtext, i, 0, sheet->text[i], sheet->text_line[i], error))
				return FALSE;
			any = TRUE;
		}
		for (guint t = 0; t < sheet->n_tracks; t++) {
			const RbCueTrack *track = &sheet->tracks[t];

			if (track->text[i] == NULL)
				continue;
			if (!rb_cue_set_text(b,
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
		if (sheet->tracks[t].isrc[0] != '\0' && !rb_cue_set_text(b,
									 cdtext,
									 RB_CUE_TEXT_UPC_EAN,
									 sheet->tracks[t].number,
									 sheet->tracks[t].isrc,
									 sheet->tracks[t].line,
									 error))
			return FALSE;
	}
	rb_disc_image_set_cdtext(b->image, g_steal_pointer(&cdtext));
	return TRUE;
}

static gboolean
rb_cue_build(RbDiscImage *image, RbCueSheet *sheet, GError **error)
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
	return rb_cue_build_cdtext(&b, error);
}

RbDiscImage *
rb_disc_cue_read(const gchar *path, GError **error)
{
	g_autoptr(RbDiscImage) image = rb_disc_image_new(RB_DISC_IMAGE_FORMAT_CUE, path);
	g_auto(RbCueSheet) sheet = {.path = path};

	sheet.files = g_ptr_array_new_with_free_func(rb_cue_file_free);
	if (!rb_cue_scan(image, &sheet, error) || !rb_disc_cue_cdio_agree(&sheet, error) ||
	    !rb_cue_build(image, &sheet, error))
		return NULL;
	return g_steal_pointer(&image);
}
