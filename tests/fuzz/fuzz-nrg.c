/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fuzz target: Nero NRG images' footer and chunk chain
 * (rb-disc-nrg-chunks.c). Input: the whole image file, put in a memfd,
 * since the footer reader takes the descriptor the reader opened. The
 * image is refused with an error of the image domain, or has 1 to 99
 * tracks, each with its DAO entry's sector size and an index 1.
 */
#include "config.h"

#include <sys/mman.h>
#include <unistd.h>

#include "rb-disc-nrg-private.h"
#include "rb-fuzz.h"

static void
rb_fuzz_close(gint *fd)
{
	if (*fd >= 0)
		close(*fd);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	__attribute__((cleanup(rb_fuzz_close))) gint fd = memfd_create("fuzz-nrg", MFD_CLOEXEC);
	g_autofree guint8 *chain = NULL;
	g_autoptr(GError) error = NULL;
	RbNrg nrg = {.path = "fuzz.nrg", .size = size};
	gboolean ok;

	rb_fuzz_check(fd >= 0);
	rb_fuzz_check(size == 0 || write(fd, data, size) == (gssize)size);
	ok = rb_nrg_read_chain(&nrg, fd, &error);
	chain = nrg.chain;
	ok = ok && rb_nrg_parse_chain(&nrg, &error);
	if (!ok) {
		rb_fuzz_check(error != NULL && error->domain == RB_DISC_IMAGE_ERROR);
		return 0;
	}
	rb_fuzz_check(error == NULL);
	rb_fuzz_check(nrg.n_tracks >= 1 && nrg.n_tracks <= RB_IMAGE_MAX_TRACKS);
	for (guint t = 0; t < nrg.n_tracks; t++)
		rb_fuzz_check(nrg.tracks[t].n_indexes >= 1);
	return 0;
}
