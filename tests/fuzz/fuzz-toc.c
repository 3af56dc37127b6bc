/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fuzz target: cdrdao TOC files, as rawburnctl reads the ones it is handed.
 * Input: the file's bytes. The scanner (rb_toc_parse()) either refuses
 * them with an error of the image domain, or gives a sheet whose every
 * text item converts to UTF-8 and whose CD-TEXT builds into an image or
 * is refused the same way. The files the sheet names are never opened:
 * that is the reader's next step (rb-disc-toc.c), and libcdio's reading
 * is not ours to fuzz.
 */
#include "config.h"

#include <string.h>

#include "rb-disc-toc-private.h"
#include "rb-fuzz.h"

#define RB_FUZZ_TOC_PATH "fuzz.toc"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a copy of exactly @size bytes, so that a read past the end is
	 * ASan's; never NULL, as the file reader's text is not */
	g_autofree gchar *text = g_malloc(MAX(size, 1));
	g_autoptr(GError) error = NULL;
	g_autoptr(RbToc) toc = NULL;
	g_autoptr(RbDiscImage) image = NULL;

	memcpy(text, data, size);
	toc = rb_toc_parse(RB_FUZZ_TOC_PATH, text, size, &error);
	if (toc == NULL) {
		rb_fuzz_check(error != NULL && error->domain == RB_DISC_IMAGE_ERROR);
		return 0;
	}
	rb_fuzz_check(error == NULL);
	rb_fuzz_check(toc->tracks->len >= 1 && toc->tracks->len <= RB_IMAGE_MAX_TRACKS);
	for (guint i = 0; i < toc->texts->len; i++) {
		g_autofree gchar *utf8 =
			rb_toc_text_to_utf8(&g_array_index(toc->texts, RbTocText, i));

		rb_fuzz_check(utf8 == NULL || g_utf8_validate(utf8, -1, NULL));
	}
	image = rb_disc_image_new(RB_DISC_IMAGE_FORMAT_TOC, RB_FUZZ_TOC_PATH);
	if (!rb_toc_build_cdtext(image, toc, &error))
		rb_fuzz_check(error != NULL && error->domain == RB_DISC_IMAGE_ERROR);
	return 0;
}
