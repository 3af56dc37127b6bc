/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The scanner of cdrdao TOC files: tokens as cdrdao's lexer makes them
 * (trackdb/TocParser.g: words, integers, "strings" with \" and \ooo, the
 * punctuation { } , : #, // comments, any layout of lines), then cdrdao's
 * grammar in its order: header (CATALOG, CD_DA / CD_ROM / CD_ROM_XA,
 * FIRST_TRACK_NO), the disc's CD_TEXT, then each TRACK with its flags,
 * CD_TEXT, PREGAP, data statements, START / END and INDEX. It keeps every
 * statement with its line and refuses what it does not know (cdrdao
 * refuses it too: an unknown word is an illegal token there). What the
 * statements mean for the disc is rb-disc-toc.c's.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "rb-disc-toc-private.h"

typedef enum {
	RB_TOC_TOKEN_EOF,
	RB_TOC_TOKEN_WORD,
	RB_TOC_TOKEN_INT,
	RB_TOC_TOKEN_STRING,
	RB_TOC_TOKEN_PUNCT,
} RbTocTokenKind;

typedef struct {
	RbTocTokenKind kind;
	guint line;
	GByteArray *text; /* the word, digits or string bytes, NUL-terminated */
	gchar punct;
} RbTocToken;

typedef struct {
	RbToc *toc;
	GArray *tokens;
	guint pos;
} RbTocParser;

gboolean
rb_toc_fail(GError **error, gint code, const RbToc *toc, guint line, const gchar *format, ...)
{
	g_autofree gchar *what = NULL;
	va_list args;

	va_start(args, format);
	what = g_strdup_vprintf(format, args);
	va_end(args);
	if (line > 0)
		g_set_error(error,
			    RB_DISC_IMAGE_ERROR,
			    code,
			    _("%s line %u: %s"),
			    toc->path,
			    line,
			    what);
	else
		g_set_error(error, RB_DISC_IMAGE_ERROR, code, "%s: %s", toc->path, what);
	return FALSE;
}

gchar *
rb_toc_text_to_utf8(const RbTocText *text)
{
	GString *s = g_string_new(NULL);

	/* cdrdao and libcdio take the sheet's bytes as ISO-8859-1 */
	for (guint i = 0; i < text->bytes->len && text->bytes->data[i] != 0; i++)
		g_string_append_unichar(s, text->bytes->data[i]);
	return g_string_free(s, FALSE);
}

static void
rb_toc_token_clear(gpointer data)
{
	RbTocToken *token = data;

	if (token->text != NULL)
		g_byte_array_unref(token->text);
}

static void
rb_toc_segment_clear(gpointer data)
{
	g_free(((RbTocSegment *)data)->name);
}

static void
rb_toc_text_clear(gpointer data)
{
	g_byte_array_unref(((RbTocText *)data)->bytes);
}

static void
rb_toc_track_free(gpointer data)
{
	RbTocTrack *track = data;

	g_free(track->isrc);
	g_array_unref(track->segments);
	g_array_unref(track->indexes);
	g_free(track);
}

void
rb_toc_free(RbToc *toc)
{
	if (toc == NULL)
		return;
	g_free(toc->path);
	g_free(toc->catalog);
	g_ptr_array_unref(toc->tracks);
	g_array_unref(toc->texts);
	g_free(toc);
}

static void
rb_toc_push(GArray *tokens, RbTocTokenKind kind, guint line, const gchar *text, gsize len)
{
	RbTocToken token = {.kind = kind, .line = line};

	if (kind == RB_TOC_TOKEN_PUNCT) {
		token.punct = text[0];
	} else if (kind != RB_TOC_TOKEN_EOF) {
		token.text = g_byte_array_sized_new(len + 1);
		g_byte_array_append(token.text, (const guint8 *)text, len);
		g_byte_array_append(token.text, (const guint8 *)"", 1);
		token.text->len--;
	}
	g_array_append_val(tokens, token);
}

/* a string after its opening quote: \" is a quote, \ooo a byte, any other
 * backslash itself; it ends on its line */
static gboolean
rb_toc_lex_string(
	RbToc *toc, const gchar **p, const gchar *end, guint line, GArray *tokens, GError **error)
{
	g_autoptr(GByteArray) bytes = g_byte_array_new();
	const gchar *s = *p;

	while (s < end && *s != '"' && *s != '\n') {
		guint8 c = (guint8)*s++;

		if (c == '\\' && s < end && *s == '"') {
			c = '"';
			s++;
		} else if (c == '\\' && end - s >= 3 && s[0] >= '0' && s[0] <= '7' && s[1] >= '0' &&
			   s[1] <= '7' && s[2] >= '0' && s[2] <= '7') {
			c = (guint8)((s[0] - '0') * 64 + (s[1] - '0') * 8 + (s[2] - '0'));
			s += 3;
		}
		g_byte_array_append(bytes, &c, 1);
	}
	if (s >= end || *s != '"')
		return rb_toc_fail(error,
				   RB_DISC_IMAGE_ERROR_SYNTAX,
				   toc,
				   line,
				   _("a string is not closed on its line: add the closing \""));
	rb_toc_push(tokens, RB_TOC_TOKEN_STRING, line, (const gchar *)bytes->data, bytes->len);
	*p = s + 1;
	return TRUE;
}

static GArray *
rb_toc_lex(RbToc *toc, const gchar *text, gsize len, GError **error)
{
	g_autoptr(GArray) tokens = g_array_new(FALSE, TRUE, sizeof(RbTocToken));
	const gchar *p = text;
	const gchar *end = text + len;
	guint line = 1;

	g_array_set_clear_func(tokens, rb_toc_token_clear);
	while (p < end) {
		const gchar *start = p;

		if (*p == '\n') {
			line++;
			p++;
		} else if (*p == ' ' || *p == '\t' || *p == '\r') {
			p++;
		} else if (*p == '/' && p + 1 < end && p[1] == '/') {
			while (p < end && *p != '\n')
				p++;
		} else if (*p == '"') {
			p++;
			if (!rb_toc_lex_string(toc, &p, end, line, tokens, error))
				return NULL;
		} else if (g_ascii_isdigit(*p)) {
			while (p < end && g_ascii_isdigit(*p))
				p++;
			rb_toc_push(tokens, RB_TOC_TOKEN_INT, line, start, p - start);
		} else if (g_ascii_isalpha(*p) || *p == '_') {
			while (p < end && (g_ascii_isalnum(*p) || *p == '_'))
				p++;
			rb_toc_push(tokens, RB_TOC_TOKEN_WORD, line, start, p - start);
		} else if (strchr("{},:#", *p) != NULL) {
			rb_toc_push(tokens, RB_TOC_TOKEN_PUNCT, line, p, 1);
			p++;
		} else {
			rb_toc_fail(error,
				    RB_DISC_IMAGE_ERROR_SYNTAX,
				    toc,
				    line,
				    _("unexpected character “%c” (0x%02x): a TOC file has words, "
				      "numbers, \"strings\", { } , : # and // comments"),
				    g_ascii_isprint(*p) ? *p : '?',
				    (guint8)*p);
			return NULL;
		}
	}
	rb_toc_push(tokens, RB_TOC_TOKEN_EOF, line, NULL, 0);
	return g_steal_pointer(&tokens);
}

static const RbTocToken *
rb_toc_peek(RbTocParser *p, guint ahead)
{
	guint i = MIN(p->pos + ahead, p->tokens->len - 1);

	return &g_array_index(p->tokens, RbTocToken, i);
}

static const RbTocToken *
rb_toc_next(RbTocParser *p)
{
	const RbTocToken *token = rb_toc_peek(p, 0);

	if (token->kind != RB_TOC_TOKEN_EOF)
		p->pos++;
	return token;
}

static gboolean
rb_toc_is_word(const RbTocToken *token, const gchar *word)
{
	return token->kind == RB_TOC_TOKEN_WORD &&
	       strcmp((const gchar *)token->text->data, word) == 0;
}

static gboolean
rb_toc_is_punct(const RbTocToken *token, gchar c)
{
	return token->kind == RB_TOC_TOKEN_PUNCT && token->punct == c;
}

/* what the token is, for messages */
static gchar *
rb_toc_describe(const RbTocToken *token)
{
	switch (token->kind) {
	case RB_TOC_TOKEN_EOF:
		return g_strdup(_("the end of the file"));
	case RB_TOC_TOKEN_PUNCT:
		return g_strdup_printf("“%c”", token->punct);
	case RB_TOC_TOKEN_STRING:
		return g_strdup_printf("\"%s\"", (const gchar *)token->text->data);
	default:
		return g_strdup_printf("“%s”", (const gchar *)token->text->data);
	}
}

static gboolean
rb_toc_expected(RbTocParser *p, const gchar *what, GError **error)
{
	const RbTocToken *token = rb_toc_peek(p, 0);
	g_autofree gchar *found = rb_toc_describe(token);

	if (token->kind == RB_TOC_TOKEN_WORD)
		return rb_toc_fail(error,
				   RB_DISC_IMAGE_ERROR_SYNTAX,
				   p->toc,
				   token->line,
				   _("%s where %s was expected: an unknown keyword or one out of "
				     "place (cdrdao's manual page, “TOC FILES”, gives the order)"),
				   found,
				   what);
	return rb_toc_fail(error,
			   RB_DISC_IMAGE_ERROR_SYNTAX,
			   p->toc,
			   token->line,
			   _("%s where %s was expected"),
			   found,
			   what);
}

static gboolean
rb_toc_expect_punct(RbTocParser *p, gchar c, GError **error)
{
	g_autofree gchar *what = g_strdup_printf("“%c”", c);

	if (!rb_toc_is_punct(rb_toc_peek(p, 0), c))
		return rb_toc_expected(p, what, error);
	rb_toc_next(p);
	return TRUE;
}

static gboolean
rb_toc_parse_uint(RbTocParser *p, guint64 max, guint64 *value, GError **error)
{
	const RbTocToken *token = rb_toc_peek(p, 0);

	if (token->kind != RB_TOC_TOKEN_INT)
		return rb_toc_expected(p, _("a number"), error);
	if (!g_ascii_string_to_unsigned((const gchar *)token->text->data, 10, 0, max, value, NULL))
		return rb_toc_fail(error,
				   RB_DISC_IMAGE_ERROR_SYNTAX,
				   p->toc,
				   token->line,
				   _("%s is out of range (0 to %" G_GUINT64_FORMAT ")"),
				   (const gchar *)token->text->data,
				   max);
	rb_toc_next(p);
	return TRUE;
}

static gboolean
rb_toc_at_msf(RbTocParser *p)
{
	return rb_toc_peek(p, 0)->kind == RB_TOC_TOKEN_INT &&
	       rb_toc_is_punct(rb_toc_peek(p, 1), ':');
}

/* MM:SS:FF, SS < 60 and FF < 75, in frames (blocks) */
static gboolean
rb_toc_parse_msf(RbTocParser *p, guint32 *frames, GError **error)
{
	guint line = rb_toc_peek(p, 0)->line;
	guint64 m = 0;
	guint64 s = 0;
	guint64 f = 0;

	if (!rb_toc_at_msf(p))
		return rb_toc_expected(p, _("a time MM:SS:FF"), error);
	if (!rb_toc_parse_uint(p, 99, &m, error) || !rb_toc_expect_punct(p, ':', error) ||
	    !rb_toc_parse_uint(p, G_MAXUINT64, &s, error) || !rb_toc_expect_punct(p, ':', error) ||
	    !rb_toc_parse_uint(p, G_MAXUINT64, &f, error))
		return FALSE;
	if (s > 59 || f > 74)
		return rb_toc_fail(
			error,
			RB_DISC_IMAGE_ERROR_SYNTAX,
			p->toc,
			line,
			_("%02u:%02u:%02u is not a time: seconds go to 59, frames to 74"),
			(guint)m,
			(guint)MIN(s, 999),
			(guint)MIN(f, 999));
	*frames = (guint32)((m * 60 + s) * 75 + f);
	return TRUE;
}

/* cdrdao's "samples": MM:SS:FF (588 per frame) or a sample count */
static gboolean
rb_toc_parse_samples(RbTocParser *p, guint64 *samples, GError **error)
{
	guint32 frames = 0;

	if (!rb_toc_at_msf(p))
		return rb_toc_parse_uint(p, G_MAXUINT32, samples, error);
	if (!rb_toc_parse_msf(p, &frames, error))
		return FALSE;
	*samples = (guint64)frames * (RB_CD_MAIN_SIZE / RB_TOC_SAMPLE_SIZE);
	return TRUE;
}

/* cdrdao's "dataLength": MM:SS:FF (blocks of @block_size) or bytes */
static gboolean
rb_toc_parse_bytes(RbTocParser *p, gsize block_size, guint64 *bytes, GError **error)
{
	guint32 frames = 0;

	if (!rb_toc_at_msf(p))
		return rb_toc_parse_uint(p, G_MAXUINT32, bytes, error);
	if (!rb_toc_parse_msf(p, &frames, error))
		return FALSE;
	*bytes = (guint64)frames * block_size;
	return TRUE;
}

static gboolean
rb_toc_parse_string(RbTocParser *p, GByteArray **bytes, GError **error)
{
	const RbTocToken *token = rb_toc_peek(p, 0);

	if (token->kind != RB_TOC_TOKEN_STRING)
		return rb_toc_expected(p, _("a \"string\""), error);
	*bytes = g_byte_array_ref(token->text);
	rb_toc_next(p);
	return TRUE;
}

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

static gboolean
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

/* ---- tracks ---- */

static const struct {
	const gchar *word;
	RbCdSectorType type;
	gsize block_size;
} rb_toc_modes[] = {
	{"AUDIO", RB_CD_SECTOR_AUDIO, 2352},
	{"MODE1", RB_CD_SECTOR_MODE1, 2048},
	/* raw sectors: the image core takes them scrambled (SCRAMBLE) */
	{"MODE1_RAW", RB_CD_SECTOR_MODE1_RAW, 2352},
	{"MODE2", RB_CD_SECTOR_MODE2_FORM0, 2336},
	{"MODE2_FORM1", RB_CD_SECTOR_MODE2_FORM1, 2048},
	/* 2324 user bytes a block: no IMAPI type takes these; refused by the reader */
	{"MODE2_FORM2", RB_CD_SECTOR_MODE2_FORM2, 2324},
	/* sub-header included; the reader checks that every block is Form 2 */
	{"MODE2_FORM_MIX", RB_CD_SECTOR_MODE2_FORM2, 2336},
	/* 2352 as read: whichever form each sector is, it passes as it is */
	{"MODE2_RAW", RB_CD_SECTOR_MODE2_FORM0_RAW, 2352},
};

static gboolean
rb_toc_parse_flags(RbTocParser *p, RbTocTrack *track, GError **error)
{
	for (;;) {
		const RbTocToken *token = rb_toc_peek(p, 0);
		gboolean no = rb_toc_is_word(token, "NO");
		const RbTocToken *flag = no ? rb_toc_peek(p, 1) : token;

		if (rb_toc_is_word(token, "ISRC")) {
			g_autoptr(GByteArray) bytes = NULL;

			rb_toc_next(p);
			track->isrc_line = token->line;
			if (!rb_toc_parse_string(p, &bytes, error))
				return FALSE;
			g_free(track->isrc);
			track->isrc = g_strdup((const gchar *)bytes->data);
		} else if (rb_toc_is_word(flag, "COPY")) {
			track->copy = no ? RB_IMAGE_COPY_PROHIBITED : RB_IMAGE_COPY_PERMITTED;
			p->pos += no ? 2 : 1;
		} else if (rb_toc_is_word(flag, "PRE_EMPHASIS")) {
			track->preemphasis = !no;
			p->pos += no ? 2 : 1;
		} else if (no) {
			rb_toc_next(p);
			return rb_toc_expected(p, _("COPY or PRE_EMPHASIS after NO"), error);
		} else if (rb_toc_is_word(token, "TWO_CHANNEL_AUDIO")) {
			rb_toc_next(p);
		} else if (rb_toc_is_word(token, "FOUR_CHANNEL_AUDIO")) {
			return rb_toc_fail(error,
					   RB_DISC_IMAGE_ERROR_UNSUPPORTED,
					   p->toc,
					   token->line,
					   _("FOUR_CHANNEL_AUDIO: rawburn writes two-channel audio "
					     "only, as CD players play"));
		} else {
			return TRUE;
		}
	}
}

/* FILE/AUDIOFILE "name" [SWAP] [#offset] start [length] */
static gboolean
rb_toc_parse_audiofile(RbTocParser *p, RbTocSegment *segment, GError **error)
{
	g_autoptr(GByteArray) name = NULL;

	if (!rb_toc_parse_string(p, &name, error))
		return FALSE;
	segment->name = g_strdup((const gchar *)name->data);
	if (rb_toc_is_word(rb_toc_peek(p, 0), "SWAP")) {
		segment->swap = TRUE;
		rb_toc_next(p);
	}
	if (rb_toc_is_punct(rb_toc_peek(p, 0), '#')) {
		rb_toc_next(p);
		if (!rb_toc_parse_uint(p, G_MAXINT64, &segment->offset, error))
			return FALSE;
	}
	if (!rb_toc_parse_samples(p, &segment->start, error))
		return FALSE;
	if (rb_toc_peek(p, 0)->kind == RB_TOC_TOKEN_INT)
		return rb_toc_parse_samples(p, &segment->length, error);
	return TRUE;
}

/* one data statement, or FALSE with @error; *@done when none comes */
static gboolean
rb_toc_parse_segment(RbTocParser *p, RbTocTrack *track, gboolean *done, GError **error)
{
	const RbTocToken *token = rb_toc_peek(p, 0);
	RbTocSegment segment = {.line = token->line};
	gboolean ok = TRUE;

	*done = FALSE;
	if (rb_toc_is_word(token, "FILE") || rb_toc_is_word(token, "AUDIOFILE")) {
		rb_toc_next(p);
		segment.kind = RB_TOC_SEGMENT_AUDIOFILE;
		ok = rb_toc_parse_audiofile(p, &segment, error);
	} else if (rb_toc_is_word(token, "DATAFILE")) {
		g_autoptr(GByteArray) name = NULL;

		rb_toc_next(p);
		segment.kind = RB_TOC_SEGMENT_DATAFILE;
		ok = rb_toc_parse_string(p, &name, error);
		if (ok)
			segment.name = g_strdup((const gchar *)name->data);
		if (ok && rb_toc_is_punct(rb_toc_peek(p, 0), '#')) {
			rb_toc_next(p);
			ok = rb_toc_parse_uint(p, G_MAXINT64, &segment.offset, error);
		}
		if (ok && rb_toc_peek(p, 0)->kind == RB_TOC_TOKEN_INT)
			ok = rb_toc_parse_bytes(p, track->block_size, &segment.length, error);
	} else if (rb_toc_is_word(token, "SILENCE")) {
		rb_toc_next(p);
		segment.kind = RB_TOC_SEGMENT_SILENCE;
		ok = rb_toc_parse_samples(p, &segment.length, error);
	} else if (rb_toc_is_word(token, "ZERO")) {
		const RbTocToken *mode;

		rb_toc_next(p);
		segment.kind = RB_TOC_SEGMENT_ZERO;
		mode = rb_toc_peek(p, 0);
		/* ZERO MODEx: sectors of another mode inside the track */
		if (mode->kind == RB_TOC_TOKEN_WORD && !rb_toc_is_word(mode, track->mode))
			return rb_toc_fail(error,
					   RB_DISC_IMAGE_ERROR_UNSUPPORTED,
					   p->toc,
					   mode->line,
					   _("ZERO %s in a %s track: rawburn writes one sector "
					     "mode per track; leave the mode out"),
					   (const gchar *)mode->text->data,
					   track->mode);
		if (mode->kind == RB_TOC_TOKEN_WORD)
			rb_toc_next(p);
		ok = rb_toc_parse_bytes(p, track->block_size, &segment.length, error);
	} else if (rb_toc_is_word(token, "FIFO")) {
		return rb_toc_fail(error,
				   RB_DISC_IMAGE_ERROR_UNSUPPORTED,
				   p->toc,
				   token->line,
				   _("FIFO: rawburn reads files only; write the data to a file "
				     "and name it with DATAFILE or FILE"));
	} else {
		*done = TRUE;
		return TRUE;
	}
	if (!ok) {
		g_free(segment.name);
		return FALSE;
	}
	if (segment.kind >= RB_TOC_SEGMENT_SILENCE && segment.length == 0) {
		g_free(segment.name);
		return rb_toc_fail(error,
				   RB_DISC_IMAGE_ERROR_SYNTAX,
				   p->toc,
				   segment.line,
				   _("a length of zero"));
	}
	g_array_append_val(track->segments, segment);
	return TRUE;
}

static gboolean
rb_toc_parse_position(RbTocParser *p, guint32 *frames, gboolean *given, GError **error)
{
	*given = rb_toc_at_msf(p);
	return !*given || rb_toc_parse_msf(p, frames, error);
}

/* the data statements with START and END among them, then INDEX */
static gboolean
rb_toc_parse_track_body(RbTocParser *p, RbTocTrack *track, GError **error)
{
	for (;;) {
		const RbTocToken *token = rb_toc_peek(p, 0);
		gboolean done = FALSE;
		gboolean given = FALSE;
		RbTocIndex index = {.line = token->line};

		if (rb_toc_is_word(token, "START")) {
			if (track->start_line != 0)
				return rb_toc_fail(
					error,
					RB_DISC_IMAGE_ERROR_SYNTAX,
					p->toc,
					token->line,
					_("a second START or PREGAP in the track (line %u "
					  "has one already)"),
					track->start_line);
			rb_toc_next(p);
			track->start_line = token->line;
			if (!rb_toc_parse_position(p, &track->start_frames, &given, error))
				return FALSE;
			track->start_given = given;
			track->start_segments = track->segments->len;
			continue;
		}
		if (rb_toc_is_word(token, "END")) {
			index.end = TRUE;
			rb_toc_next(p);
			if (!rb_toc_parse_position(p, &index.frames, &given, error))
				return FALSE;
			if (!given)
				return rb_toc_fail(
					error,
					RB_DISC_IMAGE_ERROR_UNSUPPORTED,
					p->toc,
					token->line,
					_("END without a time: give the post-gap's start "
					  "as MM:SS:FF from the track's start"));
			g_array_append_val(track->indexes, index);
			continue;
		}
		if (!rb_toc_parse_segment(p, track, &done, error))
			return FALSE;
		if (done)
			break;
	}
	if (track->segments->len == 0)
		return rb_toc_expected(
			p, _("the track's data (FILE, DATAFILE, SILENCE, ZERO)"), error);
	while (rb_toc_is_word(rb_toc_peek(p, 0), "INDEX")) {
		RbTocIndex index = {.line = rb_toc_next(p)->line};

		if (!rb_toc_parse_msf(p, &index.frames, error))
			return FALSE;
		g_array_append_val(track->indexes, index);
	}
	return TRUE;
}

static gboolean
rb_toc_parse_track(RbTocParser *p, GError **error)
{
	g_autoptr(GPtrArray) holder = g_ptr_array_new_with_free_func(rb_toc_track_free);
	RbTocTrack *track = g_new0(RbTocTrack, 1);
	const RbTocToken *token;
	guint i;

	g_ptr_array_add(holder, track);
	track->line = rb_toc_next(p)->line;
	track->copy = RB_IMAGE_COPY_PROHIBITED; /* cdrdao's default: copy not permitted */
	track->segments = g_array_new(FALSE, TRUE, sizeof(RbTocSegment));
	g_array_set_clear_func(track->segments, rb_toc_segment_clear);
	track->indexes = g_array_new(FALSE, TRUE, sizeof(RbTocIndex));
	token = rb_toc_peek(p, 0);
	for (i = 0; i < G_N_ELEMENTS(rb_toc_modes); i++) {
		if (rb_toc_is_word(token, rb_toc_modes[i].word))
			break;
	}
	if (i == G_N_ELEMENTS(rb_toc_modes))
		return rb_toc_expected(
			p,
			_("a track mode (AUDIO, MODE1, MODE1_RAW, MODE2, MODE2_FORM1, "
			  "MODE2_FORM2, MODE2_FORM_MIX, MODE2_RAW)"),
			error);
	track->mode = rb_toc_modes[i].word;
	track->type = rb_toc_modes[i].type;
	track->block_size = rb_toc_modes[i].block_size;
	rb_toc_next(p);
	token = rb_toc_peek(p, 0);
	if (rb_toc_is_word(token, "RW") || rb_toc_is_word(token, "RW_RAW"))
		return rb_toc_fail(error,
				   RB_DISC_IMAGE_ERROR_UNSUPPORTED,
				   p->toc,
				   token->line,
				   _("TRACK %s %s: the track's own R-W sub-channel data is not "
				     "burned by rawburn; remove “%s” and the 96 bytes per block "
				     "from the track's file"),
				   track->mode,
				   (const gchar *)token->text->data,
				   (const gchar *)token->text->data);
	if (!rb_toc_parse_flags(p, track, error))
		return FALSE;
	if (rb_toc_is_word(rb_toc_peek(p, 0), "CD_TEXT") &&
	    !rb_toc_parse_cdtext(p, p->toc->tracks->len + 1, error))
		return FALSE;
	/* PREGAP: as SILENCE (audio) or ZERO (data) of that length, then START */
	token = rb_toc_peek(p, 0);
	if (rb_toc_is_word(token, "PREGAP")) {
		RbTocSegment segment = {.line = token->line};
		guint32 frames = 0;

		rb_toc_next(p);
		if (!rb_toc_parse_msf(p, &frames, error))
			return FALSE;
		if (frames == 0)
			return rb_toc_fail(error,
					   RB_DISC_IMAGE_ERROR_SYNTAX,
					   p->toc,
					   token->line,
					   _("a length of zero"));
		segment.kind = track->type == RB_CD_SECTOR_AUDIO ? RB_TOC_SEGMENT_SILENCE
								 : RB_TOC_SEGMENT_ZERO;
		segment.length = track->type == RB_CD_SECTOR_AUDIO
					 ? (guint64)frames * (RB_CD_MAIN_SIZE / RB_TOC_SAMPLE_SIZE)
					 : (guint64)frames * track->block_size;
		g_array_append_val(track->segments, segment);
		track->start_line = token->line;
		track->start_given = TRUE;
		track->start_frames = frames;
		track->start_segments = 1;
	}
	if (!rb_toc_parse_track_body(p, track, error))
		return FALSE;
	g_ptr_array_add(p->toc->tracks, g_ptr_array_steal_index(holder, 0));
	return TRUE;
}

static gboolean
rb_toc_parse_header(RbTocParser *p, GError **error)
{
	static const gchar *const types[] = {NULL, "CD_DA", "CD_ROM", "CD_ROM_XA"};

	for (;;) {
		const RbTocToken *token = rb_toc_peek(p, 0);
		gboolean known = FALSE;

		for (guint i = 1; i < G_N_ELEMENTS(types); i++) {
			if (rb_toc_is_word(token, types[i])) {
				p->toc->disc_type = (RbTocDiscType)i;
				p->toc->disc_type_line = token->line;
				known = TRUE;
			}
		}
		if (known) {
			rb_toc_next(p);
		} else if (rb_toc_is_word(token, "CD_I")) {
			return rb_toc_fail(error,
					   RB_DISC_IMAGE_ERROR_UNSUPPORTED,
					   p->toc,
					   token->line,
					   _("CD_I: rawburn does not write CD-i discs; a CD-ROM XA "
					     "disc (CD_ROM_XA) is what drives read"));
		} else if (rb_toc_is_word(token, "CATALOG")) {
			g_autoptr(GByteArray) bytes = NULL;

			rb_toc_next(p);
			p->toc->catalog_line = token->line;
			if (!rb_toc_parse_string(p, &bytes, error))
				return FALSE;
			g_free(p->toc->catalog);
			p->toc->catalog = g_strdup((const gchar *)bytes->data);
		} else {
			break;
		}
	}
	if (rb_toc_is_word(rb_toc_peek(p, 0), "FIRST_TRACK_NO")) {
		guint64 number = 0;
		guint line = rb_toc_next(p)->line;

		if (!rb_toc_parse_uint(p, G_MAXUINT32, &number, error))
			return FALSE;
		if (number < 1 || number > RB_IMAGE_MAX_TRACKS)
			return rb_toc_fail(error,
					   RB_DISC_IMAGE_ERROR_SYNTAX,
					   p->toc,
					   line,
					   _("FIRST_TRACK_NO %u: track numbers go from 1 to 99"),
					   (guint)MIN(number, G_MAXUINT));
		p->toc->first_track = (guint)number;
	}
	if (rb_toc_is_word(rb_toc_peek(p, 0), "CD_TEXT"))
		return rb_toc_parse_cdtext(p, 0, error);
	return TRUE;
}

RbToc *
rb_toc_parse(const gchar *path, const gchar *text, gsize len, GError **error)
{
	g_autoptr(RbToc) toc = g_new0(RbToc, 1);
	g_autoptr(GArray) tokens = NULL;
	RbTocParser p = {.toc = toc};

	toc->path = g_strdup(path);
	toc->tracks = g_ptr_array_new_with_free_func(rb_toc_track_free);
	toc->texts = g_array_new(FALSE, TRUE, sizeof(RbTocText));
	g_array_set_clear_func(toc->texts, rb_toc_text_clear);
	for (guint i = 0; i < RB_TOC_MAX_LANGUAGES; i++)
		toc->languages[i] = -1;
	tokens = rb_toc_lex(toc, text, len, error);
	if (tokens == NULL)
		return NULL;
	p.tokens = tokens;
	if (!rb_toc_parse_header(&p, error))
		return NULL;
	while (rb_toc_is_word(rb_toc_peek(&p, 0), "TRACK")) {
		if (toc->tracks->len == RB_IMAGE_MAX_TRACKS) {
			rb_toc_fail(error,
				    RB_DISC_IMAGE_ERROR_INVALID,
				    toc,
				    rb_toc_peek(&p, 0)->line,
				    _("a 100th track: a CD holds 99 tracks; split the disc"));
			return NULL;
		}
		if (!rb_toc_parse_track(&p, error))
			return NULL;
	}
	if (toc->tracks->len == 0) {
		rb_toc_expected(&p, _("TRACK"), error);
		return NULL;
	}
	if (rb_toc_peek(&p, 0)->kind != RB_TOC_TOKEN_EOF) {
		rb_toc_expected(&p, _("TRACK or the end of the file"), error);
		return NULL;
	}
	return g_steal_pointer(&toc);
}
