/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CD-TEXT: the text of a disc and of its tracks in up to eight blocks (one
 * language each), encoded as the 18-byte packs a lead-in's R-W carries
 * (Red Book CD-TEXT, MMC-3 Annex J; mmc-notes §8.1): pack type, track,
 * sequence number, block and character position, 12 text bytes, the
 * inverted CRC-16; the size information packs (8Fh) closing each block.
 * Also the reverse: packs (a CDTEXTFILE, READ TOC format 0101b, a CloneCD
 * [CDText] section) back into text. Pure: no I/O.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RB_CDTEXT_PACK_SIZE 18
#define RB_CDTEXT_MAX_BLOCKS 8
/* track 0 is the disc */
#define RB_CDTEXT_MAX_TRACK 99

/* the pack types (byte 0) */
typedef enum {
	RB_CDTEXT_TITLE = 0x80,
	RB_CDTEXT_PERFORMER = 0x81,
	RB_CDTEXT_SONGWRITER = 0x82,
	RB_CDTEXT_COMPOSER = 0x83,
	RB_CDTEXT_ARRANGER = 0x84,
	RB_CDTEXT_MESSAGE = 0x85,
	RB_CDTEXT_DISC_ID = 0x86,
	RB_CDTEXT_GENRE = 0x87,
	RB_CDTEXT_TOC_INFO = 0x88,
	RB_CDTEXT_TOC_INFO2 = 0x89,
	RB_CDTEXT_UPC_ISRC = 0x8E,
	RB_CDTEXT_SIZE_INFO = 0x8F,
} RbCdTextPackType;

/* the character code of a block (its size information, byte 0) */
typedef enum {
	RB_CDTEXT_CHARSET_ISO8859_1 = 0x00,
	RB_CDTEXT_CHARSET_ASCII = 0x01,
	RB_CDTEXT_CHARSET_MS_JIS = 0x80,
} RbCdTextCharset;

#define RB_CDTEXT_ERROR (rb_cdtext_error_quark())

typedef enum {
	/* a value out of range: block, track, pack type, language */
	RB_CDTEXT_ERROR_INVALID_ARGUMENT,
	/* text the block's character set cannot hold, or MS-JIS */
	RB_CDTEXT_ERROR_CHARSET,
	/* more text than a block's 256 packs hold */
	RB_CDTEXT_ERROR_TOO_LONG,
	/* decoding: a pack with a bad CRC, sequence or block structure */
	RB_CDTEXT_ERROR_CORRUPT,
} RbCdTextError;

typedef struct _RbCdText RbCdText;

GQuark rb_cdtext_error_quark(void);

RbCdText *rb_cdtext_new(void);
RbCdText *rb_cdtext_copy(const RbCdText *cdtext);
void rb_cdtext_free(RbCdText *cdtext);
gboolean rb_cdtext_is_empty(const RbCdText *cdtext);

/*
 * Declares block @block (0-7, used in order) with its EBU Tech 3258
 * language code (0x09 English, 0x08 German, …) and character set. A block
 * that gets text without being declared is English, ISO-8859-1.
 */
gboolean rb_cdtext_set_block(
	RbCdText *cdtext, guint block, guint8 language, RbCdTextCharset charset, GError **error);
guint rb_cdtext_get_n_blocks(const RbCdText *cdtext);
guint8 rb_cdtext_get_language(const RbCdText *cdtext, guint block);
RbCdTextCharset rb_cdtext_get_charset(const RbCdText *cdtext, guint block);

/*
 * @utf8 for pack type @type (TITLE … MESSAGE, DISC_ID, UPC_ISRC; not
 * GENRE, TOC_INFO*, SIZE_INFO) of @track (0 = the disc) in @block,
 * converted to the block's character set; NULL or "" removes it. DISC_ID
 * is the disc's only; DISC_ID, UPC_ISRC and the genre's text are ASCII in
 * any block. Control characters are refused (RB_CDTEXT_ERROR_CHARSET).
 */
gboolean rb_cdtext_set_text(RbCdText *cdtext,
			    guint block,
			    RbCdTextPackType type,
			    guint track,
			    const gchar *utf8,
			    GError **error);
/* UTF-8, or NULL when not set; @type GENRE with @track 0: the genre's text */
const gchar *
rb_cdtext_get_text(const RbCdText *cdtext, guint block, RbCdTextPackType type, guint track);
/* the disc's genre: a code of the CD-TEXT genre table and a free text */
gboolean
rb_cdtext_set_genre(RbCdText *cdtext, guint block, guint16 code, const gchar *utf8, GError **error);
guint16 rb_cdtext_get_genre_code(const RbCdText *cdtext, guint block);
/* the same blocks (language, character set) with the same text and genre */
gboolean rb_cdtext_equal(const RbCdText *a, const RbCdText *b);

/*
 * The packs of every block, RB_CDTEXT_PACK_SIZE bytes each with the CRC,
 * for a disc whose tracks are @first_track…@last_track: what a lead-in's
 * R-W repeats. Empty when no block is used.
 */
GBytes *
rb_cdtext_encode(const RbCdText *cdtext, guint first_track, guint last_track, GError **error);
/*
 * Packs back into text: @len a multiple of RB_CDTEXT_PACK_SIZE, or the
 * same after a 4-byte READ TOC header (a .cdt CDTEXTFILE has either), either
 * optionally followed by one NUL byte (as some .cdt files end).
 */
RbCdText *rb_cdtext_decode(const guint8 *data, gsize len, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RbCdText, rb_cdtext_free)

/* the pack's inverted CRC-16, as bytes 16-17 carry it */
guint16 rb_cdtext_pack_crc(const guint8 *pack);

G_END_DECLS
