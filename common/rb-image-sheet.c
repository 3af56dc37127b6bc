/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the image layout takes from the readers of image files (CUE, TOC,
 * NRG, CloneCD) beyond IMAPI's model: sheet mode, CD-TEXT in the lead-in
 * and a sub-channel source. Decisions where the sources leave a choice:
 * - Sheet mode (explicit gaps): the file says where every gap is, so the
 *   layout adds none. The tracks abut, each track's source gives its pregap
 *   (index 0) sectors and then its data from index 1 on, read and encoded
 *   like the rest of the track (cooked data with headers for their LBA,
 *   audio and raw data as given). Track 1's pregap starts at LBA -150 and
 *   is at least 150 sectors, the 2 s before index 1 that every disc has
 *   (MSF 00:00:00-00:02:00 before LBA 0, imapi-reference §9; IMAPI's
 *   AddSpecialPregap asks for at least as much); when the file's track 1
 *   has no pregap its reader gives 150 empty sectors. A longer one moves
 *   track 1's index 1 on: a hidden pregap. Later tracks may have any
 *   pregap, 0 included (a CUE file's tracks without INDEX 00).
 * - Rules: every track at least 4 s (300 sectors) from index 1 on, the
 *   lead-out limits as in IMAPI's mode. Tracks of any types follow each
 *   other in any order, whatever the first track number: cdrdao's own
 *   check of a TOC file (Toc::check) asks only for the 4 s, and a sheet
 *   describes a disc that exists, such as a data track 1 followed by audio
 *   tracks after a 150-sector pregap. What gaps a change of mode needs is
 *   the file's business; the layout adds no postgap. A0's disc type is XA
 *   when any track is Mode 2. A special pregap is IMAPI's track 1 pregap
 *   and is refused in sheet mode, where track 1's source brings it.
 * - P in sheet mode: P = 1 in every pregap and in the 150 sectors before
 *   each index 1, whose start flag thus begins in the previous track when
 *   its pregap is shorter (rb-image-subq.c, after cdrdao).
 * - CD-TEXT: the packs repeat through the whole lead-in's R-W, LBA
 *   RB_IMAGE_FIRST_LBA up to -151, four per sector, sector k (counted from
 *   the stream's start) carrying packs 4k .. 4k+3 modulo their number, so
 *   any number of packs fills every sector (cdrdao
 *   CdTextEncoder::buildSubChannels cycles its packs the same way). Each
 *   pack's 18 bytes become 24 six-bit symbols, three bytes to four symbols
 *   MSB first, in the low 6 bits of the 96 P-W bytes, not interleaved
 *   (mmc-notes §8.1; cdrdao PWSubChannel96::setRawRWdata). A pack must be
 *   of a CD-TEXT type (80h-8Fh) with its CRC right (a reader drops any
 *   other). With an R-W generator as well, the generator must leave the
 *   lead-in's R-W zero.
 * - Sub-channel source: 96 bytes of raw P-W per sector of the program area
 *   (LBA 0 up to the lead-out's start) written as given, a CloneCD .sub
 *   burned as is; track 1's pregap, the lead-in and the lead-out keep the
 *   generated P-W. It brings its own R-W, so an R-W generator beside it is
 *   refused. The layout's Q (ExpectedTableOfContents, the preflight) stays
 *   the generated one: the source should agree with it.
 * CD-TEXT and the sub-channel source need raw P-W (image type 3): the other
 * types cannot carry R-W as given.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "rb-cdtext.h"
#include "rb-image-private.h"

/* the CRC covers a pack's first 16 bytes */
#define RB_IMAGE_CDTEXT_PACK_DATA 16
#define RB_IMAGE_CDTEXT_TYPE_FIRST 0x80
#define RB_IMAGE_CDTEXT_TYPE_LAST 0x8F
/* 8 blocks of up to 256 packs (the sequence number is a byte) */
#define RB_IMAGE_CDTEXT_MAX_PACKS (8 * 256)
/* three bytes of a pack make four six-bit symbols */
#define RB_IMAGE_CDTEXT_SYMBOLS_PER_PACK (RB_CDTEXT_PACK_SIZE * 4 / 3)

G_STATIC_ASSERT(RB_IMAGE_CDTEXT_SYMBOLS_PER_PACK *RB_IMAGE_CDTEXT_PACKS_PER_SECTOR ==
		RB_SUBCHANNEL_PW_SIZE);

/* the special pregap is IMAPI's track 1 pregap; in sheet mode track 1's
 * source brings it */
static gboolean
rb_image_sheet_check_special_pregap(const RbImageLayout *layout, GError **error)
{
	if (layout->special_pregap > 0) {
		g_set_error(error,
			    RB_IMAGE_ERROR,
			    RB_IMAGE_ERROR_INVALID_ARGUMENT,
			    _("sheet mode takes track 1's pregap from track 1's source; "
			      "leave out the special pregap"));
		return FALSE;
	}
	return TRUE;
}

/* track 1's pregap of @n_sectors holds the 2 s before index 1 */
static gboolean
rb_image_sheet_check_first_pregap(const RbImageTrack *first, guint32 n_sectors, GError **error)
{
	if (n_sectors < RB_IMAGE_PREGAP_SECTORS) {
		g_set_error(error,
			    RB_IMAGE_ERROR,
			    RB_IMAGE_ERROR_TRACK_TOO_SHORT,
			    _("track %u's pregap has %u sectors; the first track needs at "
			      "least %u (2 s) before index 1"),
			    first->number,
			    n_sectors,
			    (guint)RB_IMAGE_PREGAP_SECTORS);
		return FALSE;
	}
	return TRUE;
}

gboolean
rb_image_layout_set_explicit_gaps(RbImageLayout *layout, gboolean explicit_gaps, GError **error)
{
	g_return_val_if_fail(layout != NULL, FALSE);
	if (!rb_image_layout_check_writable(layout, error))
		return FALSE;
	if (layout->n_tracks > 0) {
		g_set_error(error,
			    RB_IMAGE_ERROR,
			    RB_IMAGE_ERROR_TRACKS_ALREADY_ADDED,
			    _("sheet mode must be chosen before the first track"));
		return FALSE;
	}
	if (explicit_gaps && !rb_image_sheet_check_special_pregap(layout, error))
		return FALSE;
	layout->explicit_gaps = explicit_gaps;
	return TRUE;
}

gboolean
rb_image_layout_get_explicit_gaps(const RbImageLayout *layout)
{
	return layout->explicit_gaps;
}

gboolean
rb_image_layout_track_set_pregap(RbImageLayout *layout,
				 guint track_index,
				 guint32 n_sectors,
				 GError **error)
{
	RbImageTrack *t;
	guint32 old;

	g_return_val_if_fail(layout != NULL, FALSE);
	if (!rb_image_layout_check_writable(layout, error))
		return FALSE;
	if (!layout->explicit_gaps) {
		g_set_error(error,
			    RB_IMAGE_ERROR,
			    RB_IMAGE_ERROR_INVALID_ARGUMENT,
			    _("a track's pregap is set in sheet mode only; otherwise the "
			      "layout places the gaps"));
		return FALSE;
	}
	t = rb_image_layout_track_for_change(layout, track_index, error);
	if (t == NULL)
		return FALSE;
	if (track_index == 0 && !rb_image_sheet_check_first_pregap(t, n_sectors, error))
		return FALSE;
	if (n_sectors > RB_IMAGE_LAST_USER_LBA + 1) {
		g_set_error(error,
			    RB_IMAGE_ERROR,
			    RB_IMAGE_ERROR_INSUFFICIENT_SPACE,
			    _("a pregap of %u sectors is longer than a disc"),
			    n_sectors);
		return FALSE;
	}
	old = t->pregap_sectors;
	t->pregap_sectors = n_sectors;
	rb_image_layout_update(layout);
	/* the same test as a new track's, with a message that names the pregap */
	if (!rb_image_layout_check_space(layout, NULL)) {
		g_set_error(error,
			    RB_IMAGE_ERROR,
			    RB_IMAGE_ERROR_INSUFFICIENT_SPACE,
			    _("with a pregap of %u sectors before track %u the lead-out would "
			      "start at LBA %d, too late for the disc"),
			    n_sectors,
			    t->number,
			    layout->leadout_start);
		t->pregap_sectors = old;
		rb_image_layout_update(layout);
		return FALSE;
	}
	return TRUE;
}

/* type 80h-8Fh and the inverted CRC-16 of bytes 0-15 in bytes 16-17 */
static gboolean
rb_image_check_pack(const guint8 *pack, guint n, GError **error)
{
	guint16 expected = rb_cdtext_pack_crc(pack);
	guint16 stored = (guint16)((pack[RB_IMAGE_CDTEXT_PACK_DATA] << 8) |
				   pack[RB_IMAGE_CDTEXT_PACK_DATA + 1]);

	if (pack[0] < RB_IMAGE_CDTEXT_TYPE_FIRST || pack[0] > RB_IMAGE_CDTEXT_TYPE_LAST) {
		g_set_error(error,
			    RB_IMAGE_ERROR,
			    RB_IMAGE_ERROR_INVALID_ARGUMENT,
			    _("CD-TEXT pack %u has type %02Xh, not 80h-8Fh"),
			    n + 1,
			    pack[0]);
		return FALSE;
	}
	if (stored != expected) {
		g_set_error(error,
			    RB_IMAGE_ERROR,
			    RB_IMAGE_ERROR_INVALID_ARGUMENT,
			    _("CD-TEXT pack %u has CRC %04X, its bytes give %04X: the packs "
			      "are damaged"),
			    n + 1,
			    stored,
			    expected);
		return FALSE;
	}
	return TRUE;
}

gboolean
rb_image_layout_set_cdtext(RbImageLayout *layout, GBytes *packs, GError **error)
{
	const guint8 *data;
	gsize len = 0;

	g_return_val_if_fail(layout != NULL, FALSE);
	if (!rb_image_layout_check_writable(layout, error))
		return FALSE;
	if (packs == NULL || g_bytes_get_size(packs) == 0) {
		g_clear_pointer(&layout->cdtext, g_bytes_unref);
		return TRUE;
	}
	data = g_bytes_get_data(packs, &len);
	if (len % RB_CDTEXT_PACK_SIZE != 0 ||
	    len / RB_CDTEXT_PACK_SIZE > RB_IMAGE_CDTEXT_MAX_PACKS) {
		g_set_error(error,
			    RB_IMAGE_ERROR,
			    RB_IMAGE_ERROR_INVALID_ARGUMENT,
			    _("%zu bytes of CD-TEXT are not up to %u whole packs of %u bytes"),
			    len,
			    (guint)RB_IMAGE_CDTEXT_MAX_PACKS,
			    (guint)RB_CDTEXT_PACK_SIZE);
		return FALSE;
	}
	for (gsize n = 0; n < len / RB_CDTEXT_PACK_SIZE; n++) {
		if (!rb_image_check_pack(data + n * RB_CDTEXT_PACK_SIZE, (guint)n, error))
			return FALSE;
	}
	g_clear_pointer(&layout->cdtext, g_bytes_unref);
	layout->cdtext = g_bytes_ref(packs);
	return TRUE;
}

GBytes *
rb_image_layout_get_cdtext(const RbImageLayout *layout)
{
	return layout->cdtext;
}

gboolean
rb_image_layout_add_subchannel_source(RbImageLayout *layout, GError **error)
{
	g_return_val_if_fail(layout != NULL, FALSE);
	if (!rb_image_layout_check_writable(layout, error))
		return FALSE;
	layout->subchannel_source = TRUE;
	return TRUE;
}

gboolean
rb_image_layout_has_subchannel_source(const RbImageLayout *layout)
{
	return layout->subchannel_source;
}

gboolean
rb_image_layout_validate_sheet(const RbImageLayout *layout, GError **error)
{
	const gchar *what = layout->cdtext != NULL ? _("CD-TEXT") : _("a sub-channel source");

	if ((layout->cdtext != NULL || layout->subchannel_source) &&
	    layout->image_type != RB_DATA_BLOCK_TYPE_RAW_PW) {
		g_set_error(error,
			    RB_IMAGE_ERROR,
			    RB_IMAGE_ERROR_NEEDS_RAW_SUBCHANNEL,
			    _("%s needs image type 3 (raw P-W), not %u: only raw P-W "
			      "carries R-W as given"),
			    what,
			    layout->image_type);
		return FALSE;
	}
	if (layout->subchannel_source && layout->rw_generator) {
		g_set_error(error,
			    RB_IMAGE_ERROR,
			    RB_IMAGE_ERROR_INVALID_ARGUMENT,
			    _("a sub-channel source brings its own R-W; leave out the R-W "
			      "generator"));
		return FALSE;
	}
	if (!layout->explicit_gaps)
		return TRUE;
	if (!rb_image_sheet_check_special_pregap(layout, error))
		return FALSE;
	return rb_image_sheet_check_first_pregap(
		&layout->tracks[0], layout->tracks[0].pregap_sectors, error);
}

gboolean
rb_image_layout_get_cdtext_rw(const RbImageLayout *layout,
			      gint32 lba,
			      guint8 rw[RB_SUBCHANNEL_PW_SIZE])
{
	const guint8 *packs;
	gsize len = 0;
	guint64 n_packs;
	guint64 first;

	if (layout->cdtext == NULL || lba < RB_IMAGE_FIRST_LBA || lba >= -RB_IMAGE_PREGAP_SECTORS)
		return FALSE;
	packs = g_bytes_get_data(layout->cdtext, &len);
	n_packs = len / RB_CDTEXT_PACK_SIZE;
	first = (guint64)(lba - RB_IMAGE_FIRST_LBA) * RB_IMAGE_CDTEXT_PACKS_PER_SECTOR;
	for (guint j = 0; j < RB_IMAGE_CDTEXT_PACKS_PER_SECTOR; j++) {
		const guint8 *pack = packs + ((first + j) % n_packs) * RB_CDTEXT_PACK_SIZE;
		guint8 *out = rw + j * RB_IMAGE_CDTEXT_SYMBOLS_PER_PACK;

		for (guint b = 0; b < RB_CDTEXT_PACK_SIZE / 3; b++) {
			const guint8 *in = pack + 3 * b;

			out[4 * b] = in[0] >> 2;
			out[4 * b + 1] = (guint8)(((in[0] & 0x03) << 4) | (in[1] >> 4));
			out[4 * b + 2] = (guint8)(((in[1] & 0x0F) << 2) | (in[2] >> 6));
			out[4 * b + 3] = in[2] & 0x3F;
		}
	}
	return TRUE;
}
