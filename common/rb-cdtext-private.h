/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the CD-TEXT model (rb-cdtext.c), its encoder (rb-cdtext-encode.c)
 * and its decoder (rb-cdtext-decode.c) share.
 */
#pragma once

#include "rb-cdtext.h"

G_BEGIN_DECLS

/* the 12 text bytes between the 4-byte header and the CRC */
#define RB_CDTEXT_PAYLOAD_SIZE 12
#define RB_CDTEXT_HEADER_SIZE 4
/* a block's sequence numbers are one byte (libburn doc/cdtext.txt) */
#define RB_CDTEXT_MAX_PACKS_PER_BLOCK 256
/* the size information: 3 packs, 36 bytes */
#define RB_CDTEXT_SIZE_INFO_PACKS 3
/* the size information's fields (bytes of its 36-byte record) */
#define RB_CDTEXT_SI_CHARSET 0
#define RB_CDTEXT_SI_FIRST_TRACK 1
#define RB_CDTEXT_SI_LAST_TRACK 2
#define RB_CDTEXT_SI_COPYRIGHT 3
#define RB_CDTEXT_SI_PACK_COUNTS 4
#define RB_CDTEXT_SI_LAST_SEQUENCE 20
#define RB_CDTEXT_SI_LANGUAGES 28
#define RB_CDTEXT_SI_SIZE 36
/* the genre pack's 2-byte code, big-endian, before its text */
#define RB_CDTEXT_GENRE_CODE_SIZE 2
/* the character position field is 4 bits: 15 means "15 or more" */
#define RB_CDTEXT_MAX_CHAR_POS 15
/* byte 3 of a pack */
#define RB_CDTEXT_DBCC_BIT 0x80
#define RB_CDTEXT_BLOCK_SHIFT 4
#define RB_CDTEXT_BLOCK_MASK 0x07
#define RB_CDTEXT_CHAR_POS_MASK 0x0F
/* "same text as the previous track" (libburn doc/cdtext.txt) */
#define RB_CDTEXT_TAB 0x09
/* the language of a block that gets text without being declared */
#define RB_CDTEXT_LANGUAGE_ENGLISH 0x09
/* EBU Tech 3258 codes are 7-bit */
#define RB_CDTEXT_MAX_LANGUAGE 0x7F
/* the last code of the genre table (0x1B World Music) */
#define RB_CDTEXT_MAX_GENRE 0x1B

/* the types that hold a NUL-terminated string: 80h-86h and 8Eh */
typedef enum {
	RB_CDTEXT_SLOT_TITLE,
	RB_CDTEXT_SLOT_PERFORMER,
	RB_CDTEXT_SLOT_SONGWRITER,
	RB_CDTEXT_SLOT_COMPOSER,
	RB_CDTEXT_SLOT_ARRANGER,
	RB_CDTEXT_SLOT_MESSAGE,
	RB_CDTEXT_SLOT_DISC_ID,
	RB_CDTEXT_SLOT_UPC_ISRC,
	RB_CDTEXT_N_SLOTS,
} RbCdTextSlot;

typedef struct {
	/* declared with rb_cdtext_set_block(), or given text */
	gboolean declared;
	guint8 language;
	RbCdTextCharset charset;
	/* UTF-8; NULL when not set ("" is not stored) */
	gchar *text[RB_CDTEXT_N_SLOTS][RB_CDTEXT_MAX_TRACK + 1];
	gboolean has_genre;
	guint16 genre_code;
	gchar *genre_text;
} RbCdTextBlock;

struct _RbCdText {
	RbCdTextBlock blocks[RB_CDTEXT_MAX_BLOCKS];
};

/* -1 for a type that holds no string of its own */
gint rb_cdtext_type_to_slot(RbCdTextPackType type);
RbCdTextPackType rb_cdtext_slot_to_type(RbCdTextSlot slot);
/* whether a block has a declaration or any text */
gboolean rb_cdtext_block_is_used(const RbCdTextBlock *block);
/* @utf8 as the bytes of @charset (already checked: every character fits) */
void rb_cdtext_append_bytes(GByteArray *out, const gchar *utf8);
/* stores @utf8 after the checks of rb_cdtext_set_text() */
gboolean rb_cdtext_store_text(RbCdText *cdtext,
			      guint block,
			      RbCdTextPackType type,
			      guint track,
			      const gchar *utf8,
			      GError **error);
/* the genre without checking the code against the table (decoding keeps
 * whatever code the disc has) */
gboolean rb_cdtext_store_genre(
	RbCdText *cdtext, guint block, guint16 code, const gchar *utf8, GError **error);

G_END_DECLS
