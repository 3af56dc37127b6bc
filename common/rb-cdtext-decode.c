/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CD-TEXT packs back into text: what a CUE sheet's CDTEXTFILE (.cdt), a
 * CloneCD [CDText] section or READ TOC format 0101b holds. Every pack's CRC
 * is checked, and so is the structure the text depends on: blocks used in
 * order, sequence numbers running on within a block (from 0, or on from
 * the previous block's), each block's three size information packs, and
 * the track number of every pack that starts with a string. What a
 * tolerant reader needs beyond that is accepted:
 * - the size information packs of all blocks may come after all text
 *   (cdrdao's CdTextEncoder writes them so);
 * - a lone TAB stands for the previous track's text (libburn
 *   doc/cdtext.txt);
 * - later genre packs may repeat the 2-byte code (libburn doc/cdtext.txt:
 *   "may or may not be repeated");
 * - the character positions, the pack counts and first/last track of the
 *   size information are not needed to read the text and are not checked;
 * - TOC (88h, 89h) and closed information (8Dh) packs are skipped.
 * MS-JIS blocks are refused, as the encoder refuses them.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "rb-cdtext-private.h"

/* READ TOC/PMA/ATIP's header: data length and two reserved bytes */
#define RB_CDTEXT_READ_TOC_HEADER 4
#define RB_CDTEXT_ASCII_MAX 0x7F
/* a repeated genre code starts below it: genre codes are small */
#define RB_CDTEXT_FIRST_PRINTABLE 0x20

/* the packs of one block, by index into the data */
typedef struct {
	GArray *packs;
	guint8 size_info[RB_CDTEXT_SI_SIZE];
	guint size_info_seen;
	RbCdTextCharset charset;
} RbCdTextDecodeBlock;

static gboolean
rb_cdtext_corrupt(GError **error, guint pack, const gchar *what)
{
	g_set_error(error,
		    RB_CDTEXT_ERROR,
		    RB_CDTEXT_ERROR_CORRUPT,
		    /* TRANSLATORS: "CD-TEXT pack 12: it has a bad CRC; …" */
		    _("CD-TEXT pack %u: %s; the CD-TEXT data is damaged, read it again or "
		      "leave it out"),
		    pack,
		    what);
	return FALSE;
}

/* @bytes (@len, no NUL) of @charset as UTF-8 */
static gchar *
rb_cdtext_bytes_to_utf8(
	const guint8 *bytes, gsize len, RbCdTextCharset charset, guint pack, GError **error)
{
	GString *utf8 = g_string_sized_new(len);

	for (gsize i = 0; i < len; i++) {
		if (charset == RB_CDTEXT_CHARSET_ASCII && bytes[i] > RB_CDTEXT_ASCII_MAX) {
			g_autofree gchar *what = g_strdup_printf(
				_("byte 0x%02X in a block declared ASCII"), bytes[i]);
			g_string_free(utf8, TRUE);
			rb_cdtext_corrupt(error, pack, what);
			return NULL;
		}
		/* ISO-8859-1 is Unicode's first 256 code points */
		g_string_append_unichar(utf8, bytes[i]);
	}
	return g_string_free(utf8, FALSE);
}

/* a string of @type for @track (@previous: the track before it in the
 * stream): stored, after the checks set_text makes */
static gboolean
rb_cdtext_decode_store(RbCdText *cdtext,
		       guint b,
		       RbCdTextPackType type,
		       guint track,
		       guint previous,
		       GByteArray *bytes,
		       guint pack,
		       GError **error)
{
	g_autoptr(GError) local_error = NULL;
	g_autofree gchar *utf8 = NULL;
	gint slot = rb_cdtext_type_to_slot(type);

	if (bytes->len == 0)
		return TRUE;
	if (track > RB_CDTEXT_MAX_TRACK)
		return rb_cdtext_corrupt(error, pack, _("text for a track after track 99"));
	/* the disc ID is the disc's alone: a track's is not kept */
	if (type == RB_CDTEXT_DISC_ID && track != 0)
		return TRUE;
	if (bytes->len == 1 && bytes->data[0] == RB_CDTEXT_TAB) {
		/* a lone TAB: the previous track's text again */
		if (track == 0)
			return rb_cdtext_corrupt(error, pack, _("the disc's text refers back"));
		utf8 = g_strdup(cdtext->blocks[b].text[slot][previous]);
	} else {
		utf8 = rb_cdtext_bytes_to_utf8(
			bytes->data, bytes->len, cdtext->blocks[b].charset, pack, error);
		if (utf8 == NULL)
			return FALSE;
	}
	if (!rb_cdtext_store_text(cdtext, b, type, track, utf8, &local_error))
		return rb_cdtext_corrupt(error, pack, local_error->message);
	return TRUE;
}

/* the strings of @type in block @b, back to back in its packs */
static gboolean
rb_cdtext_decode_stream(RbCdText *cdtext,
			guint b,
			const RbCdTextDecodeBlock *block,
			const guint8 *data,
			RbCdTextPackType type,
			GError **error)
{
	g_autoptr(GByteArray) string = g_byte_array_new();
	guint track = 0;
	guint previous = 0;
	gboolean first = TRUE;
	guint last_pack = 0;

	for (guint i = 0; i < block->packs->len; i++) {
		guint index = g_array_index(block->packs, guint, i);
		const guint8 *pack = data + (gsize)index * RB_CDTEXT_PACK_SIZE;

		if (pack[0] != type)
			continue;
		if (first)
			track = pack[1];
		else if (pack[1] != track)
			return rb_cdtext_corrupt(
				error, index, _("its track number is out of order"));
		first = FALSE;
		last_pack = index;
		for (guint k = 0; k < RB_CDTEXT_PAYLOAD_SIZE; k++) {
			guint8 byte = pack[RB_CDTEXT_HEADER_SIZE + k];
			if (byte != 0) {
				g_byte_array_append(string, &byte, 1);
				continue;
			}
			if (!rb_cdtext_decode_store(
				    cdtext, b, type, track, previous, string, index, error))
				return FALSE;
			g_byte_array_set_size(string, 0);
			previous = track;
			/* after the disc's string, the first track's (size information) */
			track = track == 0 ? MAX(block->size_info[RB_CDTEXT_SI_FIRST_TRACK], 1)
					   : track + 1;
		}
	}
	if (string->len > 0)
		return rb_cdtext_corrupt(error, last_pack, _("its text is not terminated"));
	return TRUE;
}

static gboolean
rb_cdtext_decode_genre(RbCdText *cdtext,
		       guint b,
		       const RbCdTextDecodeBlock *block,
		       const guint8 *data,
		       GError **error)
{
	g_autoptr(GByteArray) text = g_byte_array_new();
	g_autoptr(GError) local_error = NULL;
	g_autofree gchar *utf8 = NULL;
	guint8 code[RB_CDTEXT_GENRE_CODE_SIZE] = {0};
	gboolean first = TRUE;
	gboolean ended = FALSE;
	guint last_pack = 0;

	for (guint i = 0; i < block->packs->len; i++) {
		guint index = g_array_index(block->packs, guint, i);
		const guint8 *payload =
			data + (gsize)index * RB_CDTEXT_PACK_SIZE + RB_CDTEXT_HEADER_SIZE;
		guint k = 0;

		if (data[(gsize)index * RB_CDTEXT_PACK_SIZE] != RB_CDTEXT_GENRE)
			continue;
		last_pack = index;
		if (first || (!ended && payload[0] < RB_CDTEXT_FIRST_PRINTABLE &&
			      memcmp(payload, code, sizeof(code)) == 0 && code[1] != 0)) {
			memcpy(code, payload, sizeof(code));
			k = sizeof(code);
		}
		first = FALSE;
		for (; k < RB_CDTEXT_PAYLOAD_SIZE && !ended; k++) {
			if (payload[k] == 0)
				ended = TRUE;
			else
				g_byte_array_append(text, &payload[k], 1);
		}
	}
	if (first)
		return TRUE;
	if (!ended)
		return rb_cdtext_corrupt(error, last_pack, _("the genre is not terminated"));
	utf8 = rb_cdtext_bytes_to_utf8(
		text->data, text->len, cdtext->blocks[b].charset, last_pack, error);
	if (utf8 == NULL)
		return FALSE;
	if (!rb_cdtext_store_genre(
		    cdtext, b, (guint16)(code[0] << 8 | code[1]), utf8, &local_error))
		return rb_cdtext_corrupt(error, last_pack, local_error->message);
	/* code 0 without text is still a genre pack the disc has */
	cdtext->blocks[b].has_genre = TRUE;
	return TRUE;
}

/* every pack's CRC and type; the packs sorted into their blocks */
static gboolean
rb_cdtext_decode_sort(const guint8 *data,
		      guint n_packs,
		      RbCdTextDecodeBlock blocks[RB_CDTEXT_MAX_BLOCKS],
		      GError **error)
{
	for (guint i = 0; i < n_packs; i++) {
		const guint8 *pack = data + (gsize)i * RB_CDTEXT_PACK_SIZE;
		guint16 crc = (guint16)(pack[RB_CDTEXT_PACK_SIZE - 2] << 8 |
					pack[RB_CDTEXT_PACK_SIZE - 1]);
		guint b = (pack[3] >> RB_CDTEXT_BLOCK_SHIFT) & RB_CDTEXT_BLOCK_MASK;

		if (crc != rb_cdtext_pack_crc(pack)) {
			g_autofree gchar *what =
				g_strdup_printf(_("its CRC is %04X where its bytes give %04X"),
						crc,
						rb_cdtext_pack_crc(pack));
			return rb_cdtext_corrupt(error, i, what);
		}
		if (pack[0] < RB_CDTEXT_TITLE) {
			g_autofree gchar *what = g_strdup_printf(
				_("its type 0x%02X is not a CD-TEXT pack type (0x80 to 0x8F)"),
				pack[0]);
			return rb_cdtext_corrupt(error, i, what);
		}
		if (pack[3] & RB_CDTEXT_DBCC_BIT) {
			g_set_error(error,
				    RB_CDTEXT_ERROR,
				    RB_CDTEXT_ERROR_CHARSET,
				    _("CD-TEXT block %u is in MS-JIS (Japanese double-byte "
				      "characters), which is not supported; use CD-TEXT in "
				      "ISO-8859-1 or ASCII"),
				    b);
			return FALSE;
		}
		g_array_append_val(blocks[b].packs, i);
	}
	return TRUE;
}

/* blocks used in order, sequence numbers running on, size information */
static gboolean
rb_cdtext_decode_check_block(
	const guint8 *data, RbCdTextDecodeBlock *blocks, guint b, guint *next_seq, GError **error)
{
	RbCdTextDecodeBlock *block = &blocks[b];
	guint first = g_array_index(block->packs, guint, 0);
	guint seq = data[(gsize)first * RB_CDTEXT_PACK_SIZE + 2];

	if (b > 0 && blocks[b - 1].packs->len == 0) {
		g_autofree gchar *what = g_strdup_printf(
			_("it is in block %u, but block %u has no packs"), b, b - 1);
		return rb_cdtext_corrupt(error, first, what);
	}
	if (block->packs->len > RB_CDTEXT_MAX_PACKS_PER_BLOCK) {
		guint index = g_array_index(block->packs, guint, RB_CDTEXT_MAX_PACKS_PER_BLOCK);
		g_autofree gchar *what =
			g_strdup_printf(_("block %u has more than the %u packs a block holds"),
					b,
					RB_CDTEXT_MAX_PACKS_PER_BLOCK);
		return rb_cdtext_corrupt(error, index, what);
	}
	/* from 0 in every block, or on from the previous block */
	if (seq != 0 && seq != *next_seq)
		return rb_cdtext_corrupt(error, first, _("its sequence number is out of order"));
	for (guint i = 0; i < block->packs->len; i++) {
		guint index = g_array_index(block->packs, guint, i);
		const guint8 *pack = data + (gsize)index * RB_CDTEXT_PACK_SIZE;

		if (pack[2] != ((seq + i) & 0xFF))
			return rb_cdtext_corrupt(
				error, index, _("its sequence number is out of order"));
		if (pack[0] != RB_CDTEXT_SIZE_INFO)
			continue;
		if (pack[1] >= RB_CDTEXT_SIZE_INFO_PACKS ||
		    (block->size_info_seen & (1u << pack[1])) != 0)
			return rb_cdtext_corrupt(
				error,
				index,
				_("the size information is repeated or out of range"));
		block->size_info_seen |= 1u << pack[1];
		memcpy(block->size_info + pack[1] * RB_CDTEXT_PAYLOAD_SIZE,
		       pack + RB_CDTEXT_HEADER_SIZE,
		       RB_CDTEXT_PAYLOAD_SIZE);
	}
	*next_seq = (seq + block->packs->len) & 0xFF;
	if (block->size_info_seen != (1u << RB_CDTEXT_SIZE_INFO_PACKS) - 1) {
		guint last = g_array_index(block->packs, guint, block->packs->len - 1);
		g_autofree gchar *what = g_strdup_printf(
			_("block %u ends without its three size information packs"), b);
		return rb_cdtext_corrupt(error, last, what);
	}
	return TRUE;
}

static gboolean
rb_cdtext_decode_block(RbCdText *cdtext,
		       const guint8 *data,
		       const RbCdTextDecodeBlock *block,
		       guint b,
		       GError **error)
{
	guint8 charset = block->size_info[RB_CDTEXT_SI_CHARSET];
	guint8 language = block->size_info[RB_CDTEXT_SI_LANGUAGES + b];

	if (charset == RB_CDTEXT_CHARSET_MS_JIS) {
		g_set_error(error,
			    RB_CDTEXT_ERROR,
			    RB_CDTEXT_ERROR_CHARSET,
			    _("CD-TEXT block %u is in MS-JIS (Japanese double-byte characters), "
			      "which is not supported; use CD-TEXT in ISO-8859-1 or ASCII"),
			    b);
		return FALSE;
	}
	if (charset != RB_CDTEXT_CHARSET_ISO8859_1 && charset != RB_CDTEXT_CHARSET_ASCII) {
		g_set_error(error,
			    RB_CDTEXT_ERROR,
			    RB_CDTEXT_ERROR_CHARSET,
			    _("CD-TEXT block %u has character code 0x%02X, which is not "
			      "supported; use CD-TEXT in ISO-8859-1 or ASCII"),
			    b,
			    charset);
		return FALSE;
	}
	if (language > RB_CDTEXT_MAX_LANGUAGE) {
		guint index = g_array_index(block->packs, guint, 0);
		g_autofree gchar *what = g_strdup_printf(
			_("block %u's language code 0x%02X is not an EBU code"), b, language);
		return rb_cdtext_corrupt(error, index, what);
	}
	if (!rb_cdtext_set_block(cdtext, b, language, (RbCdTextCharset)charset, error))
		return FALSE;
	for (guint slot = 0; slot < RB_CDTEXT_N_SLOTS; slot++) {
		if (!rb_cdtext_decode_stream(
			    cdtext, b, block, data, rb_cdtext_slot_to_type(slot), error))
			return FALSE;
	}
	return rb_cdtext_decode_genre(cdtext, b, block, data, error);
}

RbCdText *
rb_cdtext_decode(const guint8 *data, gsize len, GError **error)
{
	RbCdTextDecodeBlock blocks[RB_CDTEXT_MAX_BLOCKS] = {0};
	g_autoptr(RbCdText) cdtext = rb_cdtext_new();
	guint n_packs;
	guint next_seq = 0;
	gboolean ok;

	g_return_val_if_fail(data != NULL || len == 0, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);
	/* some .cdt files end with one NUL (libcdio's cdtext-raw example drops it) */
	if (len % RB_CDTEXT_PACK_SIZE == 1 ||
	    len % RB_CDTEXT_PACK_SIZE == RB_CDTEXT_READ_TOC_HEADER + 1) {
		if (data[len - 1] == 0)
			len--;
	}
	if (len % RB_CDTEXT_PACK_SIZE == RB_CDTEXT_READ_TOC_HEADER) {
		data += RB_CDTEXT_READ_TOC_HEADER;
		len -= RB_CDTEXT_READ_TOC_HEADER;
	}
	if (len == 0 || len % RB_CDTEXT_PACK_SIZE != 0) {
		g_set_error(error,
			    RB_CDTEXT_ERROR,
			    RB_CDTEXT_ERROR_CORRUPT,
			    _("CD-TEXT data of %zu bytes is not a series of 18-byte packs (with "
			      "or without a 4-byte header); it is damaged or not CD-TEXT"),
			    len);
		return NULL;
	}
	n_packs = (guint)MIN(len / RB_CDTEXT_PACK_SIZE, G_MAXUINT);
	for (guint b = 0; b < RB_CDTEXT_MAX_BLOCKS; b++)
		blocks[b].packs = g_array_new(FALSE, FALSE, sizeof(guint));
	ok = rb_cdtext_decode_sort(data, n_packs, blocks, error);
	for (guint b = 0; b < RB_CDTEXT_MAX_BLOCKS && ok; b++) {
		if (blocks[b].packs->len == 0)
			continue;
		ok = rb_cdtext_decode_check_block(data, blocks, b, &next_seq, error) &&
		     rb_cdtext_decode_block(cdtext, data, &blocks[b], b, error);
	}
	for (guint b = 0; b < RB_CDTEXT_MAX_BLOCKS; b++)
		g_array_unref(blocks[b].packs);
	if (!ok)
		return NULL;
	return g_steal_pointer(&cdtext);
}
