/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fuzz target: CUE sheets, as our own scanner reads them
 * (rb_disc_cue_scan_text()); libcdio's second reading is not ours to fuzz.
 * Input: the sheet's bytes. The sheet lies in this target's corpus
 * directory, so that a FILE or CDTEXTFILE naming one of the seeds there
 * finds a regular file and the scan goes on to the tracks (the seeds name
 * themselves); nothing is written. The scan refuses the sheet with an
 * error of the image domain, or keeps 1 to 99 tracks, each with an index 1
 * in a file the sheet named.
 */
#include "config.h"

#include <string.h>

#include "rb-disc-cue-private.h"
#include "rb-disc-file.h"
#include "rb-fuzz.h"

#define RB_FUZZ_CUE_PATH RB_FUZZ_CORPUS_DIR "/fuzz-cue/fuzz.cue"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autofree gchar *text = NULL;
	g_autoptr(RbDiscImage) image =
		rb_disc_image_new(RB_DISC_IMAGE_FORMAT_CUE, RB_FUZZ_CUE_PATH);
	g_auto(RbCueSheet) sheet = {0};
	g_autoptr(GError) error = NULL;

	/* a sheet is no larger than this when read from its file */
	if (size > RB_DISC_FILE_SHEET_MAX)
		return 0;
	/* NUL-terminated as rb_disc_file_read() leaves it, NULs inside kept */
	text = g_malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	rb_disc_cue_sheet_init(&sheet, RB_FUZZ_CUE_PATH);
	if (!rb_disc_cue_scan_text(image, &sheet, text, size, &error)) {
		rb_fuzz_check(error != NULL && error->domain == RB_DISC_IMAGE_ERROR);
		return 0;
	}
	rb_fuzz_check(error == NULL);
	rb_fuzz_check(sheet.n_tracks >= 1 && sheet.n_tracks <= RB_IMAGE_MAX_TRACKS);
	for (guint t = 0; t < sheet.n_tracks; t++) {
		const RbCueTrack *track = &sheet.tracks[t];

		rb_fuzz_check(track->n_indexes >= 1 && track->n_indexes <= RB_IMAGE_MAX_INDEXES);
		for (guint i = 0; i < track->n_indexes; i++)
			rb_fuzz_check(track->indexes[i].file < sheet.files->len);
	}
	return 0;
}
