/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tokens of a cdrdao TOC file as cdrdao's lexer makes them
 * (trackdb/TocParser.g): words, integers, "strings" with \" and \ooo, the
 * punctuation { } , : #, // comments, any layout of lines; each token with
 * its line. And the grammar's small pieces the parsers share: numbers,
 * MM:SS:FF times, samples and byte lengths, strings, and the errors that
 * name the line.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <string.h>

#include "rb-disc-toc-private.h"

gboolean
rb_toc_fail(GError **error, gint code, const RbToc *toc, guint line, const gchar *format, ...)
{
	va_list args;

	va_start(args, format);
	rb_disc_image_set_sheet_error_valist(error, code, toc->path, line, format, args);
	va_end(args);
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

GArray *
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

const RbTocToken *
rb_toc_peek(RbTocParser *p, guint ahead)
{
	guint i = MIN(p->pos + ahead, p->tokens->len - 1);

	return &g_array_index(p->tokens, RbTocToken, i);
}

const RbTocToken *
rb_toc_next(RbTocParser *p)
{
	const RbTocToken *token = rb_toc_peek(p, 0);

	if (token->kind != RB_TOC_TOKEN_EOF)
		p->pos++;
	return token;
}

gboolean
rb_toc_is_word(const RbTocToken *token, const gchar *word)
{
	return token->kind == RB_TOC_TOKEN_WORD &&
	       strcmp((const gchar *)token->text->data, word) == 0;
}

gboolean
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
		/* TRANSLATORS: a character of the TOC file, quoted as your language quotes */
		return g_strdup_printf(_("“%c”"), token->punct);
	case RB_TOC_TOKEN_STRING:
		return g_strdup_printf("\"%s\"", (const gchar *)token->text->data);
	default:
		/* TRANSLATORS: a word of the TOC file, quoted as your language quotes */
		return g_strdup_printf(_("“%s”"), (const gchar *)token->text->data);
	}
}

gboolean
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

gboolean
rb_toc_expect_punct(RbTocParser *p, gchar c, GError **error)
{
	g_autofree gchar *what = g_strdup_printf(_("“%c”"), c);

	if (!rb_toc_is_punct(rb_toc_peek(p, 0), c))
		return rb_toc_expected(p, what, error);
	rb_toc_next(p);
	return TRUE;
}

gboolean
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
				   _("%s is out of range (0 to %" PRIu64 ")"),
				   (const gchar *)token->text->data,
				   max);
	rb_toc_next(p);
	return TRUE;
}

gboolean
rb_toc_at_msf(RbTocParser *p)
{
	return rb_toc_peek(p, 0)->kind == RB_TOC_TOKEN_INT &&
	       rb_toc_is_punct(rb_toc_peek(p, 1), ':');
}

/* MM:SS:FF, SS < 60 and FF < 75, in frames (blocks) */
gboolean
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
gboolean
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
gboolean
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

gboolean
rb_toc_parse_string(RbTocParser *p, GByteArray **bytes, GError **error)
{
	const RbTocToken *token = rb_toc_peek(p, 0);

	if (token->kind != RB_TOC_TOKEN_STRING)
		return rb_toc_expected(p, _("a \"string\""), error);
	*bytes = g_byte_array_ref(token->text);
	rb_toc_next(p);
	return TRUE;
}
