/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fuzz target: CD-TEXT packs, as a CUE sheet's CDTEXTFILE or a CloneCD
 * [CDText] section brings them. Input: a byte whose bit 0 asks for every
 * pack's CRC to be made right first (else a fuzzer rarely gets past the
 * CRC check), then the packs, with or without READ TOC's 4-byte header.
 * Whatever decodes must encode (unless a block grows
 * past 256 packs once every track gets its string) and decode back to the
 * same text; whatever does not is refused with an error of our domain.
 */
#include "config.h"

#include "rb-cdtext.h"
#include "rb-fuzz.h"
#include "rb-subchannel.h"

static const RbCdTextPackType rb_fuzz_types[] = {
	RB_CDTEXT_TITLE,
	RB_CDTEXT_PERFORMER,
	RB_CDTEXT_SONGWRITER,
	RB_CDTEXT_COMPOSER,
	RB_CDTEXT_ARRANGER,
	RB_CDTEXT_MESSAGE,
	RB_CDTEXT_UPC_ISRC,
};

/* the tracks that have text, as the disc the encoder needs */
static void
rb_fuzz_track_range(const RbCdText *cdtext, guint *first, guint *last)
{
	*first = 0;
	*last = 0;
	for (guint b = 0; b < rb_cdtext_get_n_blocks(cdtext); b++) {
		for (guint t = 0; t < G_N_ELEMENTS(rb_fuzz_types); t++) {
			for (guint track = 1; track <= RB_CDTEXT_MAX_TRACK; track++) {
				if (rb_cdtext_get_text(cdtext, b, rb_fuzz_types[t], track) == NULL)
					continue;
				if (*first == 0 || track < *first)
					*first = track;
				*last = MAX(*last, track);
			}
		}
	}
	if (*first == 0)
		*first = *last = 1;
}

/* each whole pack's CRC as the packs carry it, after @skip bytes of header */
static void
rb_fuzz_fix_crcs(guint8 *packs, gsize size)
{
	gsize skip = size % RB_CDTEXT_PACK_SIZE == 4 ? 4 : 0;

	for (gsize i = skip; i + RB_CDTEXT_PACK_SIZE <= size; i += RB_CDTEXT_PACK_SIZE) {
		guint16 crc = (guint16)~rb_cd_crc16(packs + i, RB_CDTEXT_PACK_SIZE - 2);
		packs[i + RB_CDTEXT_PACK_SIZE - 2] = (guint8)(crc >> 8);
		packs[i + RB_CDTEXT_PACK_SIZE - 1] = (guint8)crc;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GError) error = NULL;
	g_autofree guint8 *input = NULL;
	g_autoptr(RbCdText) cdtext = NULL;
	g_autoptr(RbCdText) again = NULL;
	g_autoptr(GBytes) packs = NULL;
	g_autoptr(GBytes) packs_again = NULL;
	guint first;
	guint last;

	if (size < 1)
		return 0;
	input = g_memdup2(data + 1, size - 1);
	if (data[0] & 1)
		rb_fuzz_fix_crcs(input, size - 1);
	cdtext = rb_cdtext_decode(input, size - 1, &error);
	if (cdtext == NULL) {
		rb_fuzz_check(error != NULL && error->domain == RB_CDTEXT_ERROR);
		rb_fuzz_check(error->code == RB_CDTEXT_ERROR_CORRUPT ||
			      error->code == RB_CDTEXT_ERROR_CHARSET);
		return 0;
	}
	rb_fuzz_check(error == NULL);
	rb_fuzz_check(rb_cdtext_get_n_blocks(cdtext) >= 1);
	for (guint b = 0; b < rb_cdtext_get_n_blocks(cdtext); b++) {
		for (guint t = 0; t < G_N_ELEMENTS(rb_fuzz_types); t++) {
			for (guint track = 0; track <= RB_CDTEXT_MAX_TRACK; track++) {
				const gchar *text =
					rb_cdtext_get_text(cdtext, b, rb_fuzz_types[t], track);
				rb_fuzz_check(text == NULL ||
					      (*text != '\0' && g_utf8_validate(text, -1, NULL)));
			}
		}
	}

	rb_fuzz_track_range(cdtext, &first, &last);
	packs = rb_cdtext_encode(cdtext, first, last, &error);
	if (packs == NULL) {
		rb_fuzz_check(g_error_matches(error, RB_CDTEXT_ERROR, RB_CDTEXT_ERROR_TOO_LONG));
		return 0;
	}
	again = rb_cdtext_decode(g_bytes_get_data(packs, NULL), g_bytes_get_size(packs), &error);
	if (again == NULL)
		rb_fuzz_fail("our own packs do not decode: %s", error->message);
	rb_fuzz_check(rb_cdtext_equal(again, cdtext));
	/* and the encoding is a function of the text */
	packs_again = rb_cdtext_encode(again, first, last, NULL);
	rb_fuzz_check(packs_again != NULL && g_bytes_equal(packs, packs_again));
	return 0;
}
