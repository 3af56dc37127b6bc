/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CD-TEXT: the text of a disc and its tracks per block, and the character
 * sets a block can hold. The packs themselves are built by
 * rb-cdtext-encode.c and read by rb-cdtext-decode.c.
 *
 * Character sets: CD-TEXT has no Unicode. A block is ISO-8859-1 (00h),
 * 7-bit ASCII (01h) or MS-JIS (80h, double-byte); we write the first two.
 * Whatever the block's set, the disc ID (86h), the genre's text (87h) and
 * the UPC/EAN and ISRCs (8Eh) are ASCII (libburn doc/cdtext.txt, after
 * Sony's input sheet: "use ASCII Code"). Control characters are refused:
 * NUL ends a string and a lone TAB means "the previous track's text".
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "rb-cdtext-private.h"
#include "rb-subchannel.h"

/* the highest code point of 7-bit ASCII and of ISO-8859-1 */
#define RB_CDTEXT_ASCII_MAX 0x7F
#define RB_CDTEXT_LATIN1_MAX 0xFF
/* C0, DEL and C1 */
#define RB_CDTEXT_IS_CONTROL(c) ((c) < 0x20 || ((c) >= 0x7F && (c) <= 0x9F))

GQuark
rb_cdtext_error_quark(void)
{
	return g_quark_from_static_string("rb-cdtext-error-quark");
}

gint
rb_cdtext_type_to_slot(RbCdTextPackType type)
{
	if (type >= RB_CDTEXT_TITLE && type <= RB_CDTEXT_DISC_ID)
		return (gint)(type - RB_CDTEXT_TITLE);
	if (type == RB_CDTEXT_UPC_ISRC)
		return RB_CDTEXT_SLOT_UPC_ISRC;
	return -1;
}

RbCdTextPackType
rb_cdtext_slot_to_type(RbCdTextSlot slot)
{
	if (slot == RB_CDTEXT_SLOT_UPC_ISRC)
		return RB_CDTEXT_UPC_ISRC;
	return (RbCdTextPackType)(RB_CDTEXT_TITLE + slot);
}

guint16
rb_cdtext_pack_crc(const guint8 *pack)
{
	/* the Q channel's CRC over bytes 0-15, inverted (MMC-3 Annex J) */
	return (guint16)~rb_cd_crc16(pack, RB_CDTEXT_PACK_SIZE - 2);
}

static void
rb_cdtext_block_clear(RbCdTextBlock *block)
{
	for (guint slot = 0; slot < RB_CDTEXT_N_SLOTS; slot++) {
		for (guint track = 0; track <= RB_CDTEXT_MAX_TRACK; track++)
			g_clear_pointer(&block->text[slot][track], g_free);
	}
	g_clear_pointer(&block->genre_text, g_free);
}

RbCdText *
rb_cdtext_new(void)
{
	RbCdText *cdtext = g_new0(RbCdText, 1);

	for (guint b = 0; b < RB_CDTEXT_MAX_BLOCKS; b++) {
		cdtext->blocks[b].language = RB_CDTEXT_LANGUAGE_ENGLISH;
		cdtext->blocks[b].charset = RB_CDTEXT_CHARSET_ISO8859_1;
	}
	return cdtext;
}

RbCdText *
rb_cdtext_copy(const RbCdText *cdtext)
{
	RbCdText *copy;

	g_return_val_if_fail(cdtext != NULL, NULL);
	copy = g_memdup2(cdtext, sizeof(*cdtext));
	for (guint b = 0; b < RB_CDTEXT_MAX_BLOCKS; b++) {
		RbCdTextBlock *block = &copy->blocks[b];
		for (guint slot = 0; slot < RB_CDTEXT_N_SLOTS; slot++) {
			for (guint track = 0; track <= RB_CDTEXT_MAX_TRACK; track++)
				block->text[slot][track] = g_strdup(block->text[slot][track]);
		}
		block->genre_text = g_strdup(block->genre_text);
	}
	return copy;
}

void
rb_cdtext_free(RbCdText *cdtext)
{
	if (cdtext == NULL)
		return;
	for (guint b = 0; b < RB_CDTEXT_MAX_BLOCKS; b++)
		rb_cdtext_block_clear(&cdtext->blocks[b]);
	g_free(cdtext);
}

static gboolean
rb_cdtext_block_has_text(const RbCdTextBlock *block)
{
	if (block->has_genre)
		return TRUE;
	for (guint slot = 0; slot < RB_CDTEXT_N_SLOTS; slot++) {
		for (guint track = 0; track <= RB_CDTEXT_MAX_TRACK; track++) {
			if (block->text[slot][track] != NULL)
				return TRUE;
		}
	}
	return FALSE;
}

gboolean
rb_cdtext_block_is_used(const RbCdTextBlock *block)
{
	return block->declared || rb_cdtext_block_has_text(block);
}

gboolean
rb_cdtext_is_empty(const RbCdText *cdtext)
{
	g_return_val_if_fail(cdtext != NULL, TRUE);
	for (guint b = 0; b < RB_CDTEXT_MAX_BLOCKS; b++) {
		if (rb_cdtext_block_has_text(&cdtext->blocks[b]))
			return FALSE;
	}
	return TRUE;
}

/* what an error message calls a field: "title of track 3" */
static gchar *
rb_cdtext_describe_field(RbCdTextPackType type, guint track)
{
	const gchar *field;

	switch (type) {
	case RB_CDTEXT_TITLE:
		field = _("title");
		break;
	case RB_CDTEXT_PERFORMER:
		field = _("performer");
		break;
	case RB_CDTEXT_SONGWRITER:
		field = _("songwriter");
		break;
	case RB_CDTEXT_COMPOSER:
		field = _("composer");
		break;
	case RB_CDTEXT_ARRANGER:
		field = _("arranger");
		break;
	case RB_CDTEXT_MESSAGE:
		field = _("message");
		break;
	case RB_CDTEXT_DISC_ID:
		field = _("disc ID");
		break;
	case RB_CDTEXT_GENRE:
		field = _("genre");
		break;
	case RB_CDTEXT_UPC_ISRC:
		field = track == 0 ? _("UPC/EAN") : _("ISRC");
		break;
	default:
		field = _("text");
		break;
	}
	if (track == 0)
		/* TRANSLATORS: "title of the disc" */
		return g_strdup_printf(_("%s of the disc"), field);
	/* TRANSLATORS: "title of track 3" */
	return g_strdup_printf(_("%s of track %u"), field, track);
}

/* every character of @utf8 fits @type's character set in a block of @charset */
static gboolean
rb_cdtext_check_chars(const gchar *utf8,
		      RbCdTextPackType type,
		      guint track,
		      guint block,
		      RbCdTextCharset charset,
		      GError **error)
{
	/* the binary-ish fields are ASCII whatever the block holds */
	gboolean ascii_field =
		type == RB_CDTEXT_DISC_ID || type == RB_CDTEXT_GENRE || type == RB_CDTEXT_UPC_ISRC;
	gunichar max = ascii_field || charset == RB_CDTEXT_CHARSET_ASCII ? RB_CDTEXT_ASCII_MAX
									 : RB_CDTEXT_LATIN1_MAX;

	if (!g_utf8_validate(utf8, -1, NULL)) {
		g_autofree gchar *field = rb_cdtext_describe_field(type, track);
		g_set_error(error,
			    RB_CDTEXT_ERROR,
			    RB_CDTEXT_ERROR_INVALID_ARGUMENT,
			    _("CD-TEXT %s, block %u: the text is not valid UTF-8; convert it "
			      "to UTF-8"),
			    field,
			    block);
		return FALSE;
	}
	for (const gchar *p = utf8; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		g_autofree gchar *field = NULL;
		gchar shown[8] = {0};

		if (!RB_CDTEXT_IS_CONTROL(c) && c <= max)
			continue;
		field = rb_cdtext_describe_field(type, track);
		g_unichar_to_utf8(c, shown);
		if (RB_CDTEXT_IS_CONTROL(c)) {
			g_set_error(error,
				    RB_CDTEXT_ERROR,
				    RB_CDTEXT_ERROR_CHARSET,
				    _("CD-TEXT %s, block %u: the control character U+%04X cannot "
				      "be written; remove it"),
				    field,
				    block,
				    c);
		} else if (ascii_field) {
			g_set_error(error,
				    RB_CDTEXT_ERROR,
				    RB_CDTEXT_ERROR_CHARSET,
				    _("CD-TEXT %s, block %u: “%s” (U+%04X) is not ASCII, which "
				      "this field always is; replace the character"),
				    field,
				    block,
				    shown,
				    c);
		} else if (charset == RB_CDTEXT_CHARSET_ASCII) {
			g_set_error(error,
				    RB_CDTEXT_ERROR,
				    RB_CDTEXT_ERROR_CHARSET,
				    _("CD-TEXT %s, block %u: “%s” (U+%04X) is not in ASCII, the "
				      "block's character set; declare the block ISO-8859-1 or "
				      "replace the character"),
				    field,
				    block,
				    shown,
				    c);
		} else {
			g_set_error(error,
				    RB_CDTEXT_ERROR,
				    RB_CDTEXT_ERROR_CHARSET,
				    _("CD-TEXT %s, block %u: “%s” (U+%04X) is not in ISO-8859-1, "
				      "the block's character set (CD-TEXT has no Unicode); "
				      "replace the character"),
				    field,
				    block,
				    shown,
				    c);
		}
		return FALSE;
	}
	return TRUE;
}

void
rb_cdtext_append_bytes(GByteArray *out, const gchar *utf8)
{
	/* both sets are the first code points of Unicode: one byte each */
	for (const gchar *p = utf8; *p != '\0'; p = g_utf8_next_char(p)) {
		guint8 byte = (guint8)g_utf8_get_char(p);
		g_byte_array_append(out, &byte, 1);
	}
}

static gboolean
rb_cdtext_check_block(guint block, GError **error)
{
	if (block < RB_CDTEXT_MAX_BLOCKS)
		return TRUE;
	g_set_error(error,
		    RB_CDTEXT_ERROR,
		    RB_CDTEXT_ERROR_INVALID_ARGUMENT,
		    _("CD-TEXT block %u does not exist: a disc has blocks 0 to %u"),
		    block,
		    RB_CDTEXT_MAX_BLOCKS - 1);
	return FALSE;
}

static gboolean
rb_cdtext_check_charset(RbCdTextCharset charset, GError **error)
{
	if (charset == RB_CDTEXT_CHARSET_ISO8859_1 || charset == RB_CDTEXT_CHARSET_ASCII)
		return TRUE;
	if (charset == RB_CDTEXT_CHARSET_MS_JIS) {
		g_set_error_literal(error,
				    RB_CDTEXT_ERROR,
				    RB_CDTEXT_ERROR_CHARSET,
				    _("CD-TEXT in MS-JIS (Japanese double-byte characters) is not "
				      "supported; use ISO-8859-1 or ASCII"));
		return FALSE;
	}
	g_set_error(error,
		    RB_CDTEXT_ERROR,
		    RB_CDTEXT_ERROR_CHARSET,
		    _("CD-TEXT character code 0x%02X is not supported; use ISO-8859-1 or ASCII"),
		    (guint)charset);
	return FALSE;
}

gboolean
rb_cdtext_set_block(
	RbCdText *cdtext, guint block, guint8 language, RbCdTextCharset charset, GError **error)
{
	RbCdTextBlock *b;

	g_return_val_if_fail(cdtext != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);
	if (!rb_cdtext_check_block(block, error) || !rb_cdtext_check_charset(charset, error))
		return FALSE;
	if (language > RB_CDTEXT_MAX_LANGUAGE) {
		g_set_error(error,
			    RB_CDTEXT_ERROR,
			    RB_CDTEXT_ERROR_INVALID_ARGUMENT,
			    _("CD-TEXT language code 0x%02X is not an EBU Tech 3258 code (0x00 to "
			      "0x7F)"),
			    language);
		return FALSE;
	}
	/* the text the block already holds must fit its new set */
	b = &cdtext->blocks[block];
	for (guint slot = 0; slot < RB_CDTEXT_N_SLOTS; slot++) {
		for (guint track = 0; track <= RB_CDTEXT_MAX_TRACK; track++) {
			if (b->text[slot][track] != NULL &&
			    !rb_cdtext_check_chars(b->text[slot][track],
						   rb_cdtext_slot_to_type(slot),
						   track,
						   block,
						   charset,
						   error))
				return FALSE;
		}
	}
	b->declared = TRUE;
	b->language = language;
	b->charset = charset;
	return TRUE;
}

guint
rb_cdtext_get_n_blocks(const RbCdText *cdtext)
{
	g_return_val_if_fail(cdtext != NULL, 0);
	for (guint b = RB_CDTEXT_MAX_BLOCKS; b > 0; b--) {
		if (rb_cdtext_block_is_used(&cdtext->blocks[b - 1]))
			return b;
	}
	return 0;
}

guint8
rb_cdtext_get_language(const RbCdText *cdtext, guint block)
{
	g_return_val_if_fail(cdtext != NULL, 0);
	/* an unused block's language is 0, as the size information says */
	if (block >= RB_CDTEXT_MAX_BLOCKS || !rb_cdtext_block_is_used(&cdtext->blocks[block]))
		return 0;
	return cdtext->blocks[block].language;
}

RbCdTextCharset
rb_cdtext_get_charset(const RbCdText *cdtext, guint block)
{
	g_return_val_if_fail(cdtext != NULL, RB_CDTEXT_CHARSET_ISO8859_1);
	if (block >= RB_CDTEXT_MAX_BLOCKS)
		return RB_CDTEXT_CHARSET_ISO8859_1;
	return cdtext->blocks[block].charset;
}

gboolean
rb_cdtext_store_text(RbCdText *cdtext,
		     guint block,
		     RbCdTextPackType type,
		     guint track,
		     const gchar *utf8,
		     GError **error)
{
	gint slot = rb_cdtext_type_to_slot(type);
	RbCdTextBlock *b;

	if (!rb_cdtext_check_block(block, error))
		return FALSE;
	if (slot < 0) {
		g_set_error(error,
			    RB_CDTEXT_ERROR,
			    RB_CDTEXT_ERROR_INVALID_ARGUMENT,
			    _("CD-TEXT pack type 0x%02X holds no text of its own; set the genre "
			      "with its code, and leave the TOC and size information to the "
			      "encoder"),
			    (guint)type);
		return FALSE;
	}
	if (track > RB_CDTEXT_MAX_TRACK || (type == RB_CDTEXT_DISC_ID && track != 0)) {
		g_set_error(error,
			    RB_CDTEXT_ERROR,
			    RB_CDTEXT_ERROR_INVALID_ARGUMENT,
			    type == RB_CDTEXT_DISC_ID
				    ? _("CD-TEXT disc ID for track %u: the disc ID belongs to the "
					"disc (track 0)")
				    : _("CD-TEXT for track %u: tracks are 1 to 99, and 0 is the "
					"disc"),
			    track);
		return FALSE;
	}
	b = &cdtext->blocks[block];
	if (utf8 != NULL && *utf8 != '\0' &&
	    !rb_cdtext_check_chars(utf8, type, track, block, b->charset, error))
		return FALSE;
	g_free(b->text[slot][track]);
	b->text[slot][track] = utf8 != NULL && *utf8 != '\0' ? g_strdup(utf8) : NULL;
	return TRUE;
}

gboolean
rb_cdtext_set_text(RbCdText *cdtext,
		   guint block,
		   RbCdTextPackType type,
		   guint track,
		   const gchar *utf8,
		   GError **error)
{
	g_return_val_if_fail(cdtext != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);
	return rb_cdtext_store_text(cdtext, block, type, track, utf8, error);
}

/* also the genre's text: @type GENRE, @track 0 */
const gchar *
rb_cdtext_get_text(const RbCdText *cdtext, guint block, RbCdTextPackType type, guint track)
{
	gint slot = rb_cdtext_type_to_slot(type);

	g_return_val_if_fail(cdtext != NULL, NULL);
	if (block >= RB_CDTEXT_MAX_BLOCKS || track > RB_CDTEXT_MAX_TRACK)
		return NULL;
	if (type == RB_CDTEXT_GENRE)
		return track == 0 ? cdtext->blocks[block].genre_text : NULL;
	if (slot < 0)
		return NULL;
	return cdtext->blocks[block].text[slot][track];
}

gboolean
rb_cdtext_store_genre(
	RbCdText *cdtext, guint block, guint16 code, const gchar *utf8, GError **error)
{
	RbCdTextBlock *b;

	if (!rb_cdtext_check_block(block, error))
		return FALSE;
	b = &cdtext->blocks[block];
	if (utf8 != NULL && *utf8 != '\0' &&
	    !rb_cdtext_check_chars(utf8, RB_CDTEXT_GENRE, 0, block, b->charset, error))
		return FALSE;
	g_clear_pointer(&b->genre_text, g_free);
	/* code 0 is "not used" (Sony): with no text there is no genre at all */
	b->has_genre = code != 0 || (utf8 != NULL && *utf8 != '\0');
	b->genre_code = b->has_genre ? code : 0;
	if (utf8 != NULL && *utf8 != '\0')
		b->genre_text = g_strdup(utf8);
	return TRUE;
}

gboolean
rb_cdtext_set_genre(RbCdText *cdtext, guint block, guint16 code, const gchar *utf8, GError **error)
{
	g_return_val_if_fail(cdtext != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);
	if (code > RB_CDTEXT_MAX_GENRE) {
		g_set_error(error,
			    RB_CDTEXT_ERROR,
			    RB_CDTEXT_ERROR_INVALID_ARGUMENT,
			    _("CD-TEXT genre code %u is not in the genre table (0 to %u)"),
			    code,
			    RB_CDTEXT_MAX_GENRE);
		return FALSE;
	}
	return rb_cdtext_store_genre(cdtext, block, code, utf8, error);
}

guint16
rb_cdtext_get_genre_code(const RbCdText *cdtext, guint block)
{
	g_return_val_if_fail(cdtext != NULL, 0);
	if (block >= RB_CDTEXT_MAX_BLOCKS)
		return 0;
	return cdtext->blocks[block].genre_code;
}

gboolean
rb_cdtext_equal(const RbCdText *a, const RbCdText *b)
{
	guint n_blocks;

	g_return_val_if_fail(a != NULL && b != NULL, FALSE);
	n_blocks = rb_cdtext_get_n_blocks(a);
	if (n_blocks != rb_cdtext_get_n_blocks(b))
		return FALSE;
	for (guint i = 0; i < n_blocks; i++) {
		const RbCdTextBlock *x = &a->blocks[i];
		const RbCdTextBlock *y = &b->blocks[i];

		if (rb_cdtext_get_language(a, i) != rb_cdtext_get_language(b, i) ||
		    x->charset != y->charset || x->has_genre != y->has_genre ||
		    x->genre_code != y->genre_code || g_strcmp0(x->genre_text, y->genre_text) != 0)
			return FALSE;
		for (guint slot = 0; slot < RB_CDTEXT_N_SLOTS; slot++) {
			for (guint track = 0; track <= RB_CDTEXT_MAX_TRACK; track++) {
				if (g_strcmp0(x->text[slot][track], y->text[slot][track]) != 0)
					return FALSE;
			}
		}
	}
	return TRUE;
}
