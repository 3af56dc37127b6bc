/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fuzz target: CloneCD .ccd sheets. Input: the sheet's bytes (cut at the
 * first NUL, as the reader's C string is). The sheet is parsed and its
 * tracks checked against its TOC entries (rb-disc-clonecd-sheet.c);
 * either step refuses it with an error of the image domain, or every
 * track it keeps has an index 1 inside the disc. The .img and .sub are
 * not read: the sectors are no sheet.
 */
#include "config.h"

#include "rb-disc-clonecd-private.h"
#include "rb-fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autofree gchar *text = NULL;
	g_autoptr(RbCcd) ccd = NULL;
	g_autoptr(GError) error = NULL;

	/* the reader refuses larger sheets before parsing them */
	if (size > RB_CCD_SHEET_MAX)
		return 0;
	text = g_strndup((const gchar *)data, size);
	ccd = rb_ccd_new("fuzz.ccd");
	if (!rb_ccd_parse(ccd, text, &error) || !rb_ccd_check_tracks(ccd, &error)) {
		rb_fuzz_check(error != NULL && error->domain == RB_DISC_IMAGE_ERROR);
		return 0;
	}
	rb_fuzz_check(error == NULL);
	rb_fuzz_check(ccd->first >= 1 && ccd->first <= ccd->last &&
		      ccd->last <= RB_IMAGE_MAX_TRACKS);
	return 0;
}
