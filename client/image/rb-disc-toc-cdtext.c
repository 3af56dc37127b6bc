/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The CD_TEXT blocks of a cdrdao TOC file: LANGUAGE_MAP (block numbers to
 * EBU Tech 3258 language codes, EN = 9), LANGUAGE n { items } with cdrdao
 * 1.2.5's ENCODING_*, strings or binary { … } items (trackdb/TocParser.g);
 * then the RbCdText the image gets, the mapped languages as blocks 0… in
 * order.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "rb-disc-toc-private.h"

/* ---- CD-TEXT ---- */

static const struct {
	const gchar *word;
	RbCdTextPackType type;
} rb_toc_text_items[] = {
	{"TITLE", RB_CDTEXT_TITLE},
	{"PERFORMER", RB_CDTEXT_PERFORMER},
	{"SONGWRITER", RB_CDTEXT_SONGWRITER},
	{"COMPOSER", RB_CDTEXT_COMPOSER},
	{"ARRANGER", RB_CDTEXT_ARRANGER},
	{"MESSAGE", RB_CDTEXT_MESSAGE},
	{"DISC_ID", RB_CDTEXT_DISC_ID},
	{"GENRE", RB_CDTEXT_GENRE},
	{"TOC_INFO1", RB_CDTEXT_TOC_INFO},
	{"TOC_INFO2", RB_CDTEXT_TOC_INFO2},
	{"RESERVED1", 0x8A},
	{"RESERVED2", 0x8B},
	{"RESERVED3", 0x8C},
	{"RESERVED4", 0x8D},
	{"UPC_EAN", RB_CDTEXT_UPC_ISRC},
	{"ISRC", RB_CDTEXT_UPC_ISRC},
	{"SIZE_INFO", RB_CDTEXT_SIZE_INFO},
};

/* { 0, 10, 255, … }: bytes */
static gboolean
rb_toc_parse_binary(RbTocParser *p, GByteArray *bytes, GError **error)
{
	if (!rb_toc_expect_punct(p, '{', error))
		return FALSE;
	while (!rb_toc_is_punct(rb_toc_peek(p, 0), '}')) {
		guint64 value = 0;

		if (bytes->len > 0 && !rb_toc_expect_punct(p, ',', error))
			return FALSE;
		if (!rb_toc_parse_uint(p, 255, &value, error))
			return FALSE;
		g_byte_array_append(bytes, (guint8[]){(guint8)value}, 1);
	}
	rb_toc_next(p);
	return TRUE;
}

static gboolean
rb_toc_parse_text_item(RbTocParser *p, guint block, guint track, GError **error)
{
	const RbTocToken *token = rb_toc_peek(p, 0);
	RbTocText text = {.block = block, .track = track, .line = token->line};
	guint i;

	for (i = 0; i < G_N_ELEMENTS(rb_toc_text_items); i++) {
		if (rb_toc_is_word(token, rb_toc_text_items[i].word))
			break;
	}
	if (i == G_N_ELEMENTS(rb_toc_text_items))
		return rb_toc_expected(p, _("a CD-TEXT item (TITLE, PERFORMER, …) or “}”"), error);
	text.type = rb_toc_text_items[i].type;
	/* cdrdao: genre, TOC information and sizes are the disc's alone */
	if (track > 0 && ((text.type >= RB_CDTEXT_GENRE && text.type <= RB_CDTEXT_TOC_INFO2) ||
			  text.type == RB_CDTEXT_SIZE_INFO))
		return rb_toc_fail(error,
				   RB_DISC_IMAGE_ERROR_SYNTAX,
				   p->toc,
				   token->line,
				   _("%s belongs in the disc's CD_TEXT block, not a track's"),
				   rb_toc_text_items[i].word);
	rb_toc_next(p);
	if (rb_toc_is_punct(rb_toc_peek(p, 0), '{')) {
		text.binary = TRUE;
		text.bytes = g_byte_array_new();
		if (!rb_toc_parse_binary(p, text.bytes, error)) {
			g_byte_array_unref(text.bytes);
			return FALSE;
		}
	} else if (!rb_toc_parse_string(p, &text.bytes, error)) {
		return FALSE;
	}
	g_array_append_val(p->toc->texts, text);
	return TRUE;
}

/* LANGUAGE n { [ENCODING_…] items } */
static gboolean
rb_toc_parse_language(RbTocParser *p, guint track, GError **error)
{
	const RbTocToken *token;
	guint64 block = 0;
	guint line;

	rb_toc_next(p);
	line = rb_toc_peek(p, 0)->line;
	if (!rb_toc_parse_uint(p, G_MAXUINT32, &block, error))
		return FALSE;
	if (block >= RB_TOC_MAX_LANGUAGES)
		return rb_toc_fail(error,
				   RB_DISC_IMAGE_ERROR_SYNTAX,
				   p->toc,
				   line,
				   _("LANGUAGE %u: CD-TEXT has blocks 0 to 7"),
				   (guint)block);
	if (!rb_toc_expect_punct(p, '{', error))
		return FALSE;
	/* cdrdao 1.2.5's encodings: what rawburn's CD-TEXT packs can carry */
	token = rb_toc_peek(p, 0);
	if (rb_toc_is_word(token, "ENCODING_ISO_8859_1")) {
		rb_toc_next(p);
	} else if (rb_toc_is_word(token, "ENCODING_ASCII")) {
		p->toc->ascii[block] = TRUE;
		rb_toc_next(p);
	} else if (rb_toc_is_word(token, "ENCODING_MS_JIS") ||
		   rb_toc_is_word(token, "ENCODING_KOREAN") ||
		   rb_toc_is_word(token, "ENCODING_MANDARIN")) {
		return rb_toc_fail(error,
				   RB_DISC_IMAGE_ERROR_UNSUPPORTED,
				   p->toc,
				   token->line,
				   _("%s: rawburn writes CD-TEXT in ISO-8859-1 or ASCII only; "
				     "give this language's text in ISO-8859-1"),
				   (const gchar *)token->text->data);
	}
	while (!rb_toc_is_punct(rb_toc_peek(p, 0), '}')) {
		if (!rb_toc_parse_text_item(p, (guint)block, track, error))
			return FALSE;
	}
	rb_toc_next(p);
	return TRUE;
}

/* LANGUAGE_MAP { n : code … }, codes a number or EN (9) */
static gboolean
rb_toc_parse_language_map(RbTocParser *p, GError **error)
{
	rb_toc_next(p);
	if (!rb_toc_expect_punct(p, '{', error))
		return FALSE;
	do {
		guint line = rb_toc_peek(p, 0)->line;
		guint64 block = 0;
		guint64 code = 0;

		if (!rb_toc_parse_uint(p, G_MAXUINT32, &block, error) ||
		    !rb_toc_expect_punct(p, ':', error))
			return FALSE;
		if (rb_toc_is_word(rb_toc_peek(p, 0), "EN")) {
			code = 9;
			rb_toc_next(p);
		} else if (!rb_toc_parse_uint(p, 255, &code, error)) {
			return FALSE;
		}
		if (block >= RB_TOC_MAX_LANGUAGES)
			return rb_toc_fail(error,
					   RB_DISC_IMAGE_ERROR_SYNTAX,
					   p->toc,
					   line,
					   _("language number %u: CD-TEXT has blocks 0 to 7"),
					   (guint)block);
		p->toc->languages[block] = (gint)code;
		p->toc->language_lines[block] = line;
	} while (!rb_toc_is_punct(rb_toc_peek(p, 0), '}'));
	rb_toc_next(p);
	return TRUE;
}

gboolean
rb_toc_parse_cdtext(RbTocParser *p, guint track, GError **error)
{
	rb_toc_next(p);
	if (!rb_toc_expect_punct(p, '{', error))
		return FALSE;
	if (track == 0 && rb_toc_is_word(rb_toc_peek(p, 0), "LANGUAGE_MAP") &&
	    !rb_toc_parse_language_map(p, error))
		return FALSE;
	while (rb_toc_is_word(rb_toc_peek(p, 0), "LANGUAGE")) {
		if (!rb_toc_parse_language(p, track, error))
			return FALSE;
	}
	return rb_toc_expect_punct(p, '}', error);
}

/* the blocks the LANGUAGE_MAP names, in order, become CD-TEXT blocks 0… */
gboolean
rb_toc_build_cdtext(RbDiscImage *image, const RbToc *toc, GError **error)
{
	g_autoptr(RbCdText) cdtext = NULL;
	gint blocks[RB_TOC_MAX_LANGUAGES];
	guint n_blocks = 0;

	if (toc->texts->len == 0)
		return TRUE;
	cdtext = rb_cdtext_new();
	for (guint b = 0; b < RB_TOC_MAX_LANGUAGES; b++) {
		g_autoptr(GError) error_local = NULL;
		gboolean used = FALSE;

		blocks[b] = -1;
		for (guint i = 0; i < toc->texts->len; i++)
			used |= g_array_index(toc->texts, RbTocText, i).block == b;
		if (!used)
			continue;
		if (toc->languages[b] < 0) {
			/* cdrdao(1): "If no mapping exists for a language-number the
			 * data for this language will be ignored." */
			rb_disc_image_add_note(image,
					       _("CD-TEXT LANGUAGE %u is not in the LANGUAGE_MAP: "
						 "its text is left out, as cdrdao does"),
					       b);
			continue;
		}
		if (!rb_cdtext_set_block(cdtext,
					 n_blocks,
					 (guint8)toc->languages[b],
					 toc->ascii[b] ? RB_CDTEXT_CHARSET_ASCII
						       : RB_CDTEXT_CHARSET_ISO8859_1,
					 &error_local))
			return rb_toc_fail(error,
					   RB_DISC_IMAGE_ERROR_INVALID,
					   toc,
					   toc->language_lines[b],
					   "%s",
					   error_local->message);
		blocks[b] = (gint)n_blocks++;
	}
	for (guint i = 0; i < toc->texts->len; i++) {
		const RbTocText *text = &g_array_index(toc->texts, RbTocText, i);
		g_autofree gchar *utf8 = NULL;
		g_autoptr(GError) error_local = NULL;
		gboolean ok;

		if (blocks[text->block] < 0)
			continue;
		if (text->type == RB_CDTEXT_GENRE && !text->binary)
			return rb_toc_fail(
				error,
				RB_DISC_IMAGE_ERROR_UNSUPPORTED,
				toc,
				text->line,
				_("GENRE as a string: give it as cdrdao writes it, "
				  "{ code high byte, code low byte, the text's bytes…, 0 }"));
		if (text->type == RB_CDTEXT_GENRE && text->bytes->len < 2)
			return rb_toc_fail(error,
					   RB_DISC_IMAGE_ERROR_SYNTAX,
					   toc,
					   text->line,
					   _("GENRE needs its two-byte genre code first"));
		if ((text->type >= RB_CDTEXT_TOC_INFO && text->type < RB_CDTEXT_UPC_ISRC) ||
		    text->type == RB_CDTEXT_SIZE_INFO) {
			rb_disc_image_add_note(
				image,
				_("%s line %u: CD-TEXT TOC, size and reserved "
				  "items are left out; rawburn writes the sizes itself"),
				toc->path,
				text->line);
			continue;
		}
		if (text->type == RB_CDTEXT_GENRE) {
			RbTocText rest = *text;
			g_autoptr(GByteArray) tail = g_byte_array_new();

			g_byte_array_append(tail, text->bytes->data + 2, text->bytes->len - 2);
			rest.bytes = tail;
			utf8 = rb_toc_text_to_utf8(&rest);
			ok = rb_cdtext_set_genre(
				cdtext,
				(guint)blocks[text->block],
				(guint16)(text->bytes->data[0] << 8 | text->bytes->data[1]),
				utf8,
				&error_local);
		} else {
			utf8 = rb_toc_text_to_utf8(text);
			ok = rb_cdtext_set_text(cdtext,
						(guint)blocks[text->block],
						text->type,
						text->track,
						utf8,
						&error_local);
		}
		if (!ok)
			return rb_toc_fail(error,
					   g_error_matches(error_local,
							   RB_CDTEXT_ERROR,
							   RB_CDTEXT_ERROR_CHARSET)
						   ? RB_DISC_IMAGE_ERROR_UNSUPPORTED
						   : RB_DISC_IMAGE_ERROR_INVALID,
					   toc,
					   text->line,
					   "%s",
					   error_local->message);
	}
	rb_disc_image_set_cdtext(image, g_steal_pointer(&cdtext));
	return TRUE;
}
