/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CD-TEXT text into packs (MMC-3 Annex J; libburn doc/cdtext.txt is the
 * clearest public description). Per block, in type order:
 * - 80h-85h and 8Eh: one NUL-terminated string for the disc, then one per
 *   track first…last, empty ones included, packed back to back over as many
 *   packs as they need, for every type the block uses at all;
 * - 86h (disc ID): the disc's string alone;
 * - 87h (genre): the 2-byte code, big-endian, then the disc's string; the
 *   code is not repeated in later packs (cdrdao CdTextEncoder does the same,
 *   and libburn's description allows either);
 * - 8Fh: three packs of size information close the block.
 * Byte 1 of a pack is the track of its first character, byte 2 the
 * sequence number, counted from 0 in every block (libburn doc/cdtext.txt,
 * cdrdao), byte 3 the block and the character position: how many
 * characters of that string earlier packs hold, 15 for 15 or more (for the
 * genre, of its text: the code does not count, as in cdrdao). The TAB
 * shorthand for "same as the previous track" is not used.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "rb-cdtext-private.h"

/* 80h-8Fh: the size information counts the packs of each */
#define RB_CDTEXT_N_PACK_TYPES 16

G_STATIC_ASSERT(RB_CDTEXT_SI_SIZE == RB_CDTEXT_SIZE_INFO_PACKS * RB_CDTEXT_PAYLOAD_SIZE);

/* one string of a pack type's stream: @bytes of @track, NUL included */
typedef struct {
	guint track;
	/* leading bytes that are not characters (the genre code) */
	guint prefix;
	GByteArray *bytes;
} RbCdTextString;

static void
rb_cdtext_string_clear(gpointer data)
{
	RbCdTextString *string = data;
	g_byte_array_unref(string->bytes);
}

/* a block's packs, without the CRCs until it is complete */
typedef struct {
	guint block;
	GByteArray *packs;
	guint counts[RB_CDTEXT_N_PACK_TYPES];
	/* the text packs and the size information: its last sequence number + 1 */
	guint n_total;
} RbCdTextBlockPacks;

static guint
rb_cdtext_block_packs_n(const RbCdTextBlockPacks *self)
{
	return self->packs->len / RB_CDTEXT_PACK_SIZE;
}

static guint8 *
rb_cdtext_block_packs_add(RbCdTextBlockPacks *self,
			  RbCdTextPackType type,
			  guint track,
			  guint char_pos)
{
	guint8 pack[RB_CDTEXT_PACK_SIZE] = {0};
	guint seq = rb_cdtext_block_packs_n(self);

	pack[0] = (guint8)type;
	pack[1] = (guint8)track;
	/* may wrap past 255: the caller refuses such a block before using it */
	pack[2] = (guint8)seq;
	pack[3] = (guint8)((self->block << RB_CDTEXT_BLOCK_SHIFT) |
			   MIN(char_pos, RB_CDTEXT_MAX_CHAR_POS));
	g_byte_array_append(self->packs, pack, sizeof(pack));
	self->counts[type - RB_CDTEXT_TITLE]++;
	return self->packs->data + self->packs->len - RB_CDTEXT_PACK_SIZE;
}

/* @strings of @type back to back over as many packs as they need */
static void
rb_cdtext_block_packs_add_stream(RbCdTextBlockPacks *self, RbCdTextPackType type, GArray *strings)
{
	guint8 *pack = NULL;
	guint used = RB_CDTEXT_PAYLOAD_SIZE;

	for (guint i = 0; i < strings->len; i++) {
		const RbCdTextString *string = &g_array_index(strings, RbCdTextString, i);

		for (guint k = 0; k < string->bytes->len; k++) {
			if (used == RB_CDTEXT_PAYLOAD_SIZE) {
				guint chars = k > string->prefix ? k - string->prefix : 0;
				pack = rb_cdtext_block_packs_add(self, type, string->track, chars);
				used = 0;
			}
			pack[RB_CDTEXT_HEADER_SIZE + used++] = string->bytes->data[k];
		}
	}
	/* the rest of the last pack stays 0 */
}

static void
rb_cdtext_strings_add(GArray *strings,
		      guint track,
		      guint prefix,
		      const guint8 *head,
		      gsize n_head,
		      const gchar *utf8)
{
	RbCdTextString string = {track, prefix, g_byte_array_new()};
	const guint8 nul = 0;

	g_byte_array_append(string.bytes, head, n_head);
	if (utf8 != NULL)
		rb_cdtext_append_bytes(string.bytes, utf8);
	g_byte_array_append(string.bytes, &nul, 1);
	g_array_append_val(strings, string);
}

static gboolean
rb_cdtext_slot_is_used(const RbCdTextBlock *block, RbCdTextSlot slot)
{
	for (guint track = 0; track <= RB_CDTEXT_MAX_TRACK; track++) {
		if (block->text[slot][track] != NULL)
			return TRUE;
	}
	return FALSE;
}

static void
rb_cdtext_block_packs_add_slot(RbCdTextBlockPacks *self,
			       const RbCdTextBlock *block,
			       RbCdTextSlot slot,
			       guint first_track,
			       guint last_track)
{
	g_autoptr(GArray) strings = g_array_new(FALSE, FALSE, sizeof(RbCdTextString));

	g_array_set_clear_func(strings, rb_cdtext_string_clear);
	if (!rb_cdtext_slot_is_used(block, slot))
		return;
	rb_cdtext_strings_add(strings, 0, 0, NULL, 0, block->text[slot][0]);
	/* the disc ID is the disc's alone; the other types name every track */
	if (slot != RB_CDTEXT_SLOT_DISC_ID) {
		for (guint track = first_track; track <= last_track; track++)
			rb_cdtext_strings_add(strings, track, 0, NULL, 0, block->text[slot][track]);
	}
	rb_cdtext_block_packs_add_stream(self, rb_cdtext_slot_to_type(slot), strings);
}

static void
rb_cdtext_block_packs_add_genre(RbCdTextBlockPacks *self, const RbCdTextBlock *block)
{
	g_autoptr(GArray) strings = g_array_new(FALSE, FALSE, sizeof(RbCdTextString));
	const guint8 code[RB_CDTEXT_GENRE_CODE_SIZE] = {block->genre_code >> 8,
							block->genre_code & 0xFF};

	g_array_set_clear_func(strings, rb_cdtext_string_clear);
	if (!block->has_genre)
		return;
	rb_cdtext_strings_add(strings, 0, sizeof(code), code, sizeof(code), block->genre_text);
	rb_cdtext_block_packs_add_stream(self, RB_CDTEXT_GENRE, strings);
}

/* text for a track the disc does not have would be silently dropped */
static gboolean
rb_cdtext_check_tracks(
	const RbCdTextBlock *block, guint b, guint first_track, guint last_track, GError **error)
{
	for (guint slot = 0; slot < RB_CDTEXT_N_SLOTS; slot++) {
		for (guint track = 1; track <= RB_CDTEXT_MAX_TRACK; track++) {
			if (block->text[slot][track] == NULL ||
			    (track >= first_track && track <= last_track))
				continue;
			g_set_error(error,
				    RB_CDTEXT_ERROR,
				    RB_CDTEXT_ERROR_INVALID_ARGUMENT,
				    _("CD-TEXT block %u has text for track %u, but the disc has "
				      "tracks %u to %u; remove that text or add the track"),
				    b,
				    track,
				    first_track,
				    last_track);
			return FALSE;
		}
	}
	return TRUE;
}

static gboolean
rb_cdtext_build_block(const RbCdText *cdtext,
		      RbCdTextBlockPacks *self,
		      guint first_track,
		      guint last_track,
		      GError **error)
{
	const RbCdTextBlock *block = &cdtext->blocks[self->block];
	guint n_packs;

	if (!rb_cdtext_block_is_used(block)) {
		g_set_error(error,
			    RB_CDTEXT_ERROR,
			    RB_CDTEXT_ERROR_INVALID_ARGUMENT,
			    _("CD-TEXT block %u is empty but a later block has text: blocks are "
			      "used in order; move the text to block %u"),
			    self->block,
			    self->block);
		return FALSE;
	}
	if (!rb_cdtext_check_tracks(block, self->block, first_track, last_track, error))
		return FALSE;
	for (guint slot = RB_CDTEXT_SLOT_TITLE; slot <= RB_CDTEXT_SLOT_DISC_ID; slot++)
		rb_cdtext_block_packs_add_slot(self, block, slot, first_track, last_track);
	rb_cdtext_block_packs_add_genre(self, block);
	rb_cdtext_block_packs_add_slot(
		self, block, RB_CDTEXT_SLOT_UPC_ISRC, first_track, last_track);
	n_packs = rb_cdtext_block_packs_n(self) + RB_CDTEXT_SIZE_INFO_PACKS;
	self->n_total = n_packs;
	if (n_packs > RB_CDTEXT_MAX_PACKS_PER_BLOCK) {
		guint excess = n_packs - RB_CDTEXT_MAX_PACKS_PER_BLOCK;
		g_set_error(error,
			    RB_CDTEXT_ERROR,
			    RB_CDTEXT_ERROR_TOO_LONG,
			    _("CD-TEXT block %u needs %u packs, %u more than the %u a block "
			      "holds; shorten its text by about %u characters"),
			    self->block,
			    n_packs,
			    excess,
			    RB_CDTEXT_MAX_PACKS_PER_BLOCK,
			    excess * RB_CDTEXT_PAYLOAD_SIZE);
		return FALSE;
	}
	return TRUE;
}

/* the 36 bytes of @blocks[@b]'s size information, which also give the last
 * sequence number and the language of every block */
static void
rb_cdtext_size_info(const RbCdText *cdtext,
		    RbCdTextBlockPacks *blocks,
		    guint n_blocks,
		    guint b,
		    guint first_track,
		    guint last_track,
		    guint8 info[RB_CDTEXT_SI_SIZE])
{
	memset(info, 0, RB_CDTEXT_SI_SIZE);
	info[RB_CDTEXT_SI_CHARSET] = (guint8)cdtext->blocks[b].charset;
	info[RB_CDTEXT_SI_FIRST_TRACK] = (guint8)first_track;
	info[RB_CDTEXT_SI_LAST_TRACK] = (guint8)last_track;
	/* 0: not copy-protected (3 would be) */
	info[RB_CDTEXT_SI_COPYRIGHT] = 0;
	for (guint type = 0; type < RB_CDTEXT_N_PACK_TYPES; type++)
		info[RB_CDTEXT_SI_PACK_COUNTS + type] = (guint8)blocks[b].counts[type];
	info[RB_CDTEXT_SI_PACK_COUNTS + (RB_CDTEXT_SIZE_INFO - RB_CDTEXT_TITLE)] =
		RB_CDTEXT_SIZE_INFO_PACKS;
	for (guint i = 0; i < n_blocks; i++) {
		info[RB_CDTEXT_SI_LAST_SEQUENCE + i] = (guint8)(blocks[i].n_total - 1);
		info[RB_CDTEXT_SI_LANGUAGES + i] = cdtext->blocks[i].language;
	}
}

GBytes *
rb_cdtext_encode(const RbCdText *cdtext, guint first_track, guint last_track, GError **error)
{
	RbCdTextBlockPacks blocks[RB_CDTEXT_MAX_BLOCKS] = {0};
	g_autoptr(GByteArray) out = g_byte_array_new();
	guint n_blocks;
	gboolean ok = TRUE;

	g_return_val_if_fail(cdtext != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);
	if (first_track < 1 || last_track > RB_CDTEXT_MAX_TRACK || first_track > last_track) {
		g_set_error(error,
			    RB_CDTEXT_ERROR,
			    RB_CDTEXT_ERROR_INVALID_ARGUMENT,
			    _("CD-TEXT for tracks %u to %u: a disc has tracks 1 to 99, the first "
			      "not after the last"),
			    first_track,
			    last_track);
		return NULL;
	}
	n_blocks = rb_cdtext_get_n_blocks(cdtext);
	for (guint b = 0; b < n_blocks && ok; b++) {
		blocks[b].block = b;
		blocks[b].packs = g_byte_array_new();
		ok = rb_cdtext_build_block(cdtext, &blocks[b], first_track, last_track, error);
	}
	for (guint b = 0; b < n_blocks && ok; b++) {
		guint8 info[RB_CDTEXT_SI_SIZE];

		rb_cdtext_size_info(cdtext, blocks, n_blocks, b, first_track, last_track, info);
		for (guint i = 0; i < RB_CDTEXT_SIZE_INFO_PACKS; i++) {
			/* byte 1 numbers the three packs 0, 1, 2 */
			guint8 *pack =
				rb_cdtext_block_packs_add(&blocks[b], RB_CDTEXT_SIZE_INFO, i, 0);
			memcpy(pack + RB_CDTEXT_HEADER_SIZE,
			       info + i * RB_CDTEXT_PAYLOAD_SIZE,
			       RB_CDTEXT_PAYLOAD_SIZE);
		}
		g_byte_array_append(out, blocks[b].packs->data, blocks[b].packs->len);
	}
	for (guint b = 0; b < n_blocks; b++)
		g_clear_pointer(&blocks[b].packs, g_byte_array_unref);
	if (!ok)
		return NULL;
	for (guint offset = 0; offset < out->len; offset += RB_CDTEXT_PACK_SIZE) {
		guint8 *pack = out->data + offset;
		guint16 crc = rb_cdtext_pack_crc(pack);
		pack[RB_CDTEXT_PACK_SIZE - 2] = crc >> 8;
		pack[RB_CDTEXT_PACK_SIZE - 1] = crc & 0xFF;
	}
	return g_byte_array_free_to_bytes(g_steal_pointer(&out));
}
