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
 * Our scanner (rb-disc-cue-scan.c, rb-disc-cue-track.c) reads everything a
 * burn needs, libcdio's facts included, so that the two can be compared:
 * the FILE types and lengths (a WAVE's sample data), every INDEX as a place
 * in a file, PREGAP, POSTGAP, SCMS. Where both know a fact (track count,
 * modes, INDEX 00/01 times, ISRC, DCP, PRE, MCN, the CD-TEXT bytes) a
 * difference refuses the sheet naming the line: two readings that disagree
 * are a misunderstood image. rb-disc-cue-build.c then makes the layout and
 * the segments, rb-disc-cue-text.c the CD-TEXT.
 *
 * BINARY audio is read little-endian, MOTOROLA big-endian, although cdrdao
 * 1.2.4 (the oracle of test-disc-cue-oracle.c) reads BINARY big-endian, as
 * its own raw audio files are: CDRWIN's User's Guide (Annex A, as GNU
 * ccd2cue's manual quotes it, "C.6 FILE") defines BINARY as "Intel binary
 * raw data, little-endian" and MOTOROLA as its big-endian twin, the order
 * READ CD returns samples in and the one rippers write .bin files in;
 * libcdio's bincue driver hands BINARY sectors on unswapped, so a .bin it
 * reads plays right only little-endian. cdrdao's difference is known
 * (toc2cue's .bin files need swapping for other readers): the oracle test
 * swaps its audio samples rather than rawburn following it.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdarg.h>

#include "rb-disc-cue-private.h"

static void
rb_cue_file_free(gpointer data)
{
	RbCueFile *file = data;

	g_free(file->path);
	g_free(file);
}

void
rb_disc_cue_sheet_init(RbCueSheet *sheet, const gchar *path)
{
	*sheet = (RbCueSheet){.path = path};
	sheet->files = g_ptr_array_new_with_free_func(rb_cue_file_free);
}

void
rb_disc_cue_sheet_clear(RbCueSheet *sheet)
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

gboolean
rb_disc_cue_fail(
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

RbDiscImage *
rb_disc_cue_read(const gchar *path, GError **error)
{
	g_autoptr(RbDiscImage) image = rb_disc_image_new(RB_DISC_IMAGE_FORMAT_CUE, path);
	g_auto(RbCueSheet) sheet = {0};

	rb_disc_cue_sheet_init(&sheet, path);
	if (!rb_disc_cue_scan(image, &sheet, error) || !rb_disc_cue_cdio_agree(&sheet, error) ||
	    !rb_disc_cue_build(image, &sheet, error))
		return NULL;
	return g_steal_pointer(&image);
}
