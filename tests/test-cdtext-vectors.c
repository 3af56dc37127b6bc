/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CD-TEXT against a third party's packs, decode(encode(x)) == x, the
 * decoder's tolerances, and every refusal of the encoder and the decoder.
 */
#include "config.h"

#include <string.h>

#include "rb-test-service.h"
#include "rb-cdtext-test.h"

/*
 * What cdrdao 1.2.4 writes into the lead-in for this TOC (`cdrdao write
 * --driver generic-mmc-raw -v 4` onto the emulated recorder, which logs
 * the packs), two 300-sector audio tracks:
 *   CD_DA
 *   CD_TEXT { LANGUAGE_MAP { 0 : EN 1 : 8 }
 *     LANGUAGE 0 { TITLE "Joyful Nights" PERFORMER "United Cat Orchestra"
 *       DISC_ID "1234567890" UPC_EAN "1234567890123"
 *       GENRE { 0, 5, 70, 101, 108, 105, 110, 101, 32, 99, 108, 97, 115,
 *               115, 105, 99, 0 } }
 *     LANGUAGE 1 { TITLE "Frohe Naechte" PERFORMER "Vereinigtes Katzenorchester" } }
 *   TRACK AUDIO
 *   CD_TEXT { LANGUAGE 0 { TITLE "Song of Joy" PERFORMER "Felix and The Purrs"
 *                          ISRC "XYBLG1101234" }
 *             LANGUAGE 1 { TITLE "Lied der Freude" PERFORMER "Felix" } }
 *   TRACK AUDIO
 *   CD_TEXT { LANGUAGE 0 { TITLE "Humpty Dumpty" PERFORMER "" ISRC "XYBLG1100005" }
 *             LANGUAGE 1 { TITLE "Humpty Dumpty" PERFORMER "Catwalk" } }
 */
static const gchar *const rb_test_cdrdao_packs[] = {
	"80 00 00 00 4a 6f 79 66 75 6c 20 4e 69 67 68 74 f0 f7",
	"80 00 01 0c 73 00 53 6f 6e 67 20 6f 66 20 4a 6f 43 1c",
	"80 01 02 0a 79 00 48 75 6d 70 74 79 20 44 75 6d 43 f9",
	"80 02 03 0a 70 74 79 00 00 00 00 00 00 00 00 00 22 82",
	"81 00 04 00 55 6e 69 74 65 64 20 43 61 74 20 4f 4b 4d",
	"81 00 05 0c 72 63 68 65 73 74 72 61 00 46 65 6c fb 54",
	"81 01 06 03 69 78 20 61 6e 64 20 54 68 65 20 50 95 6e",
	"81 01 07 0f 75 72 72 73 00 00 00 00 00 00 00 00 56 a6",
	"86 00 08 00 31 32 33 34 35 36 37 38 39 30 00 00 a8 69",
	"87 00 09 00 00 05 46 65 6c 69 6e 65 20 63 6c 61 2e 05",
	"87 00 0a 0a 73 73 69 63 00 00 00 00 00 00 00 00 fa 1b",
	"8e 00 0b 00 31 32 33 34 35 36 37 38 39 30 31 32 14 fa",
	"8e 00 0c 0c 33 00 58 59 42 4c 47 31 31 30 31 32 4d 88",
	"8e 01 0d 0a 33 34 00 58 59 42 4c 47 31 31 30 30 10 eb",
	"8e 02 0e 09 30 30 35 00 00 00 00 00 00 00 00 00 0c 00",
	"8f 00 0f 00 00 01 02 00 04 04 00 00 00 00 01 02 ce e2",
	"8f 01 10 00 00 00 00 00 00 00 04 03 11 0a 00 00 a4 3e",
	"8f 02 11 00 00 00 00 00 09 08 00 00 00 00 00 00 b4 7f",
	"80 00 00 10 46 72 6f 68 65 20 4e 61 65 63 68 74 89 eb",
	"80 00 01 1c 65 00 4c 69 65 64 20 64 65 72 20 46 e9 63",
	"80 01 02 1a 72 65 75 64 65 00 48 75 6d 70 74 79 ab a2",
	"80 02 03 16 20 44 75 6d 70 74 79 00 00 00 00 00 96 2b",
	"81 00 04 10 56 65 72 65 69 6e 69 67 74 65 73 20 01 70",
	"81 00 05 1c 4b 61 74 7a 65 6e 6f 72 63 68 65 73 cf 2e",
	"81 00 06 1f 74 65 72 00 46 65 6c 69 78 00 43 61 d6 b6",
	"81 02 07 12 74 77 61 6c 6b 00 00 00 00 00 00 00 d7 3c",
	"8f 00 08 10 00 01 02 00 04 04 00 00 00 00 00 00 bb 23",
	"8f 01 09 10 00 00 00 00 00 00 00 03 11 0a 00 00 e2 d6",
	"8f 02 0a 10 00 00 00 00 09 08 00 00 00 00 00 00 02 f4",
};

/* the same disc through our API */
static RbCdText *
rb_test_cdrdao_disc(void)
{
	RbCdText *cdtext = rb_cdtext_new();
	g_autoptr(GError) error = NULL;

	rb_test_set_block(cdtext, 0, 0x09, RB_CDTEXT_CHARSET_ISO8859_1);
	rb_test_set(cdtext, 0, RB_CDTEXT_TITLE, 0, "Joyful Nights");
	rb_test_set(cdtext, 0, RB_CDTEXT_PERFORMER, 0, "United Cat Orchestra");
	rb_test_set(cdtext, 0, RB_CDTEXT_DISC_ID, 0, "1234567890");
	ck_assert(rb_cdtext_set_genre(cdtext, 0, 5, "Feline classic", &error));
	rb_test_set(cdtext, 0, RB_CDTEXT_UPC_ISRC, 0, "1234567890123");
	rb_test_set(cdtext, 0, RB_CDTEXT_TITLE, 1, "Song of Joy");
	rb_test_set(cdtext, 0, RB_CDTEXT_PERFORMER, 1, "Felix and The Purrs");
	rb_test_set(cdtext, 0, RB_CDTEXT_UPC_ISRC, 1, "XYBLG1101234");
	rb_test_set(cdtext, 0, RB_CDTEXT_TITLE, 2, "Humpty Dumpty");
	rb_test_set(cdtext, 0, RB_CDTEXT_UPC_ISRC, 2, "XYBLG1100005");
	rb_test_set_block(cdtext, 1, 0x08, RB_CDTEXT_CHARSET_ISO8859_1);
	rb_test_set(cdtext, 1, RB_CDTEXT_TITLE, 0, "Frohe Naechte");
	rb_test_set(cdtext, 1, RB_CDTEXT_PERFORMER, 0, "Vereinigtes Katzenorchester");
	rb_test_set(cdtext, 1, RB_CDTEXT_TITLE, 1, "Lied der Freude");
	rb_test_set(cdtext, 1, RB_CDTEXT_PERFORMER, 1, "Felix");
	rb_test_set(cdtext, 1, RB_CDTEXT_TITLE, 2, "Humpty Dumpty");
	rb_test_set(cdtext, 1, RB_CDTEXT_PERFORMER, 2, "Catwalk");
	return cdtext;
}

START_TEST(test_cdtext_cdrdao_encode)
{
	g_autoptr(RbCdText) cdtext = rb_test_cdrdao_disc();
	g_autoptr(GBytes) packs = rb_test_encode(cdtext, 1, 2);
	g_autoptr(GBytes) expected =
		rb_test_hex_packs(rb_test_cdrdao_packs, G_N_ELEMENTS(rb_test_cdrdao_packs));
	const guint8 *data = g_bytes_get_data(packs, NULL);

	ck_assert_uint_eq(g_bytes_get_size(packs), g_bytes_get_size(expected));
	for (guint i = 0; i < G_N_ELEMENTS(rb_test_cdrdao_packs); i++) {
		ck_assert_msg(memcmp(data + i * RB_CDTEXT_PACK_SIZE,
				     (const guint8 *)g_bytes_get_data(expected, NULL) +
					     i * RB_CDTEXT_PACK_SIZE,
				     RB_CDTEXT_PACK_SIZE) == 0,
			      "pack %u differs from cdrdao's",
			      i);
	}
}
END_TEST

START_TEST(test_cdtext_cdrdao_decode)
{
	g_autoptr(RbCdText) expected = rb_test_cdrdao_disc();
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) packs =
		rb_test_hex_packs(rb_test_cdrdao_packs, G_N_ELEMENTS(rb_test_cdrdao_packs));
	g_autoptr(RbCdText) decoded =
		rb_cdtext_decode(g_bytes_get_data(packs, NULL), g_bytes_get_size(packs), &error);

	ck_assert_msg(decoded != NULL, "%s", error ? error->message : "");
	ck_assert_uint_eq(rb_cdtext_get_n_blocks(decoded), 2);
	ck_assert_uint_eq(rb_cdtext_get_language(decoded, 1), 0x08);
	ck_assert_uint_eq(rb_cdtext_get_genre_code(decoded, 0), 5);
	ck_assert_str_eq(rb_cdtext_get_text(decoded, 0, RB_CDTEXT_GENRE, 0), "Feline classic");
	ck_assert_str_eq(rb_cdtext_get_text(decoded, 0, RB_CDTEXT_UPC_ISRC, 2), "XYBLG1100005");
	ck_assert_str_eq(rb_cdtext_get_text(decoded, 1, RB_CDTEXT_PERFORMER, 2), "Catwalk");
	ck_assert_ptr_null(rb_cdtext_get_text(decoded, 0, RB_CDTEXT_PERFORMER, 2));
	ck_assert(rb_cdtext_equal(decoded, expected));
}
END_TEST

/* a disc with a bit of everything, in two character sets */
static RbCdText *
rb_test_rich_disc(void)
{
	RbCdText *cdtext = rb_cdtext_new();
	g_autoptr(GError) error = NULL;

	rb_test_set(cdtext, 0, RB_CDTEXT_TITLE, 0, "Ça ira, à la Fête");
	rb_test_set(cdtext, 0, RB_CDTEXT_COMPOSER, 5, "¡Olé!");
	rb_test_set(cdtext, 0, RB_CDTEXT_MESSAGE, 0, "ÿ and ¿ are Latin-1");
	rb_test_set(cdtext, 0, RB_CDTEXT_DISC_ID, 0, "XY-1");
	rb_test_set(cdtext, 0, RB_CDTEXT_UPC_ISRC, 4, "GBAYE0000001");
	ck_assert(rb_cdtext_set_genre(cdtext, 0, 0x1B, NULL, &error));
	rb_test_set_block(cdtext, 1, 0x0F, RB_CDTEXT_CHARSET_ASCII);
	rb_test_set(cdtext, 1, RB_CDTEXT_ARRANGER, 3, "plain ASCII arranger");
	ck_assert(rb_cdtext_set_genre(cdtext, 1, 0, "no code, only words", &error));
	rb_test_set_block(cdtext, 2, 0x00, RB_CDTEXT_CHARSET_ISO8859_1);
	return cdtext;
}

START_TEST(test_cdtext_round_trip)
{
	g_autoptr(RbCdText) cdtext = NULL;
	g_autoptr(RbCdText) copy = NULL;
	g_autoptr(GBytes) packs = NULL;
	g_autoptr(GError) error = NULL;

	/* Ÿ (U+0178) is the odd one out: replace it first */
	cdtext = rb_cdtext_new();
	ck_assert(!rb_cdtext_set_text(cdtext, 0, RB_CDTEXT_MESSAGE, 0, "Ÿ", &error));
	g_clear_pointer(&cdtext, rb_cdtext_free);
	g_clear_error(&error);

	cdtext = rb_test_rich_disc();
	ck_assert_uint_eq(rb_cdtext_get_n_blocks(cdtext), 3);
	ck_assert_uint_eq(rb_cdtext_get_charset(cdtext, 1), RB_CDTEXT_CHARSET_ASCII);
	packs = rb_test_encode(cdtext, 2, 6);
	rb_test_assert_round_trip(cdtext, packs);

	/* equal() is not trivially true */
	copy = rb_cdtext_copy(cdtext);
	ck_assert(rb_cdtext_equal(copy, cdtext));
	rb_test_set(copy, 1, RB_CDTEXT_ARRANGER, 3, "plain ASCII arrangeR");
	ck_assert(!rb_cdtext_equal(copy, cdtext));
	rb_test_set(copy, 1, RB_CDTEXT_ARRANGER, 3, "plain ASCII arranger");
	ck_assert(rb_cdtext_equal(copy, cdtext));
	ck_assert(rb_cdtext_set_genre(copy, 0, 0x1A, NULL, &error));
	ck_assert(!rb_cdtext_equal(copy, cdtext));
}
END_TEST

/* the same packs after READ TOC's 4-byte header, and with a trailing NUL */
START_TEST(test_cdtext_decode_framing)
{
	g_autoptr(RbCdText) cdtext = rb_test_rich_disc();
	g_autoptr(GBytes) packs = rb_test_encode(cdtext, 2, 6);
	gsize len = g_bytes_get_size(packs);
	g_autofree guint8 *framed = g_malloc0(len + 5);

	framed[0] = (guint8)((len + 2) >> 8);
	framed[1] = (guint8)((len + 2) & 0xFF);
	memcpy(framed + 4, g_bytes_get_data(packs, NULL), len);
	for (guint variant = 0; variant < 3; variant++) {
		g_autoptr(GError) error = NULL;
		const guint8 *data = variant == 2 ? framed + 4 : framed;
		gsize size = variant == 0 ? len + 4 : variant == 1 ? len + 5 : len + 1;
		g_autoptr(RbCdText) decoded = rb_cdtext_decode(data, size, &error);

		ck_assert_msg(decoded != NULL, "%u: %s", variant, error ? error->message : "");
		ck_assert(rb_cdtext_equal(decoded, cdtext));
	}
}
END_TEST

/* a lone TAB: the previous track's text */
START_TEST(test_cdtext_decode_tab)
{
	g_autoptr(RbCdText) cdtext = rb_cdtext_new();
	g_autoptr(GBytes) packs = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(RbCdText) decoded = NULL;
	guint8 *data;
	guint8 *x;

	rb_test_set(cdtext, 0, RB_CDTEXT_TITLE, 0, "Disc");
	rb_test_set(cdtext, 0, RB_CDTEXT_TITLE, 1, "Same");
	rb_test_set(cdtext, 0, RB_CDTEXT_TITLE, 2, "X");
	packs = rb_test_encode(cdtext, 1, 2);
	data = g_memdup2(g_bytes_get_data(packs, NULL), g_bytes_get_size(packs));
	/* "Disc\0Same\0X\0": the X is the first pack's 11th text byte */
	x = data + 4 + 10;
	ck_assert_uint_eq(*x, 'X');
	*x = 0x09;
	rb_test_pack_fix_crc(data);
	decoded = rb_cdtext_decode(data, g_bytes_get_size(packs), &error);
	g_free(data);
	ck_assert_msg(decoded != NULL, "%s", error ? error->message : "");
	ck_assert_str_eq(rb_cdtext_get_text(decoded, 0, RB_CDTEXT_TITLE, 2), "Same");
}
END_TEST

static void
rb_test_assert_error(const GError *error, gint code, const gchar *const *fragments)
{
	ck_assert_ptr_nonnull(error);
	ck_assert_msg(g_error_matches(error, RB_CDTEXT_ERROR, code),
		      "error %d, expected %d: %s",
		      error->code,
		      code,
		      error->message);
	for (guint i = 0; fragments[i] != NULL; i++) {
		ck_assert_msg(strstr(error->message, fragments[i]) != NULL,
			      "\"%s\" not in \"%s\"",
			      fragments[i],
			      error->message);
	}
}

START_TEST(test_cdtext_refuse_charset)
{
	g_autoptr(RbCdText) cdtext = rb_cdtext_new();
	g_autoptr(GError) error = NULL;

	ck_assert(!rb_cdtext_set_text(cdtext, 0, RB_CDTEXT_TITLE, 2, "5 €", &error));
	rb_test_assert_error(
		error,
		RB_CDTEXT_ERROR_CHARSET,
		(const gchar *[]){"“€”", "U+20AC", "title of track 2", "ISO-8859-1", NULL});
	g_clear_error(&error);

	rb_test_set_block(cdtext, 0, 0x09, RB_CDTEXT_CHARSET_ASCII);
	ck_assert(!rb_cdtext_set_text(cdtext, 0, RB_CDTEXT_PERFORMER, 0, "Café", &error));
	rb_test_assert_error(error,
			     RB_CDTEXT_ERROR_CHARSET,
			     (const gchar *[]){"“é”", "performer of the disc", "ASCII", NULL});
	g_clear_error(&error);

	/* Latin-1 text, then the block made ASCII under it */
	rb_test_set(cdtext, 1, RB_CDTEXT_SONGWRITER, 1, "Dvorak à Prague");
	ck_assert(!rb_cdtext_set_block(cdtext, 1, 0x09, RB_CDTEXT_CHARSET_ASCII, &error));
	rb_test_assert_error(error, RB_CDTEXT_ERROR_CHARSET, (const gchar *[]){"“à”", NULL});
	g_clear_error(&error);

	/* UPC/EAN and ISRC are ASCII in any block */
	ck_assert(!rb_cdtext_set_text(cdtext, 1, RB_CDTEXT_UPC_ISRC, 3, "ÄBCDE0000001", &error));
	rb_test_assert_error(
		error, RB_CDTEXT_ERROR_CHARSET, (const gchar *[]){"“Ä”", "ISRC of track 3", NULL});
	g_clear_error(&error);

	/* a TAB would read as "same as the previous track" */
	ck_assert(!rb_cdtext_set_text(cdtext, 1, RB_CDTEXT_TITLE, 3, "\t", &error));
	rb_test_assert_error(error, RB_CDTEXT_ERROR_CHARSET, (const gchar *[]){"U+0009", NULL});
}
END_TEST

START_TEST(test_cdtext_refuse_ms_jis)
{
	g_autoptr(RbCdText) cdtext = rb_cdtext_new();
	g_autoptr(RbCdText) sjis = NULL;
	g_autoptr(GBytes) packs = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree guint8 *data = NULL;
	gsize len;

	ck_assert(!rb_cdtext_set_block(cdtext, 0, 0x69, RB_CDTEXT_CHARSET_MS_JIS, &error));
	rb_test_assert_error(
		error, RB_CDTEXT_ERROR_CHARSET, (const gchar *[]){"MS-JIS", "ISO-8859-1", NULL});
	g_clear_error(&error);
	ck_assert_uint_eq(rb_cdtext_get_n_blocks(cdtext), 0);

	/* and packs whose size information says MS-JIS */
	rb_test_set(cdtext, 0, RB_CDTEXT_TITLE, 0, "Nihon");
	packs = rb_test_encode(cdtext, 1, 1);
	len = g_bytes_get_size(packs);
	data = g_memdup2(g_bytes_get_data(packs, NULL), len);
	ck_assert_uint_eq(data[len - 3 * 18], 0x8F);
	data[len - 3 * 18 + 4] = 0x80;
	rb_test_pack_fix_crc(data + len - 3 * 18);
	sjis = rb_cdtext_decode(data, len, &error);
	ck_assert_ptr_null(sjis);
	rb_test_assert_error(error, RB_CDTEXT_ERROR_CHARSET, (const gchar *[]){"MS-JIS", NULL});
}
END_TEST

START_TEST(test_cdtext_refuse_too_long)
{
	g_autoptr(RbCdText) cdtext = rb_cdtext_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) packs = NULL;
	g_autofree gchar *title = g_strnfill(3035, 'a');

	/* 3034 characters, the NUL and track 1's empty string: 253 packs,
	 * and the size information makes 256 */
	title[3034] = '\0';
	rb_test_set(cdtext, 0, RB_CDTEXT_TITLE, 0, title);
	packs = rb_test_encode(cdtext, 1, 1);
	ck_assert_uint_eq(g_bytes_get_size(packs), 256 * RB_CDTEXT_PACK_SIZE);
	rb_test_assert_round_trip(cdtext, packs);

	/* one character more */
	title[3034] = 'a';
	rb_test_set(cdtext, 1, RB_CDTEXT_TITLE, 0, "fine");
	rb_test_set(cdtext, 0, RB_CDTEXT_TITLE, 0, title);
	ck_assert_ptr_null(rb_cdtext_encode(cdtext, 1, 1, &error));
	rb_test_assert_error(error,
			     RB_CDTEXT_ERROR_TOO_LONG,
			     (const gchar *[]){"block 0", "257 packs", "1 more", NULL});
}
END_TEST

START_TEST(test_cdtext_refuse_arguments)
{
	g_autoptr(RbCdText) cdtext = rb_cdtext_new();
	g_autoptr(GError) error = NULL;

	ck_assert(!rb_cdtext_set_text(cdtext, 0, RB_CDTEXT_DISC_ID, 1, "ID", &error));
	rb_test_assert_error(error, RB_CDTEXT_ERROR_INVALID_ARGUMENT, (const gchar *[]){NULL});
	g_clear_error(&error);
	ck_assert(!rb_cdtext_set_text(cdtext, 0, RB_CDTEXT_TITLE, 100, "x", &error));
	rb_test_assert_error(error, RB_CDTEXT_ERROR_INVALID_ARGUMENT, (const gchar *[]){NULL});
	g_clear_error(&error);
	ck_assert(!rb_cdtext_set_text(cdtext, 8, RB_CDTEXT_TITLE, 1, "x", &error));
	rb_test_assert_error(error, RB_CDTEXT_ERROR_INVALID_ARGUMENT, (const gchar *[]){NULL});
	g_clear_error(&error);
	ck_assert(!rb_cdtext_set_text(cdtext, 0, RB_CDTEXT_SIZE_INFO, 0, "x", &error));
	rb_test_assert_error(error, RB_CDTEXT_ERROR_INVALID_ARGUMENT, (const gchar *[]){NULL});
	g_clear_error(&error);
	ck_assert(!rb_cdtext_set_genre(cdtext, 0, 0x1C, NULL, &error));
	rb_test_assert_error(error, RB_CDTEXT_ERROR_INVALID_ARGUMENT, (const gchar *[]){NULL});
	g_clear_error(&error);
	ck_assert(!rb_cdtext_set_block(cdtext, 0, 0x80, RB_CDTEXT_CHARSET_ASCII, &error));
	rb_test_assert_error(error, RB_CDTEXT_ERROR_INVALID_ARGUMENT, (const gchar *[]){NULL});
	g_clear_error(&error);
	ck_assert(rb_cdtext_is_empty(cdtext));

	/* text for a track the disc does not have */
	rb_test_set(cdtext, 0, RB_CDTEXT_TITLE, 5, "Five");
	ck_assert_ptr_null(rb_cdtext_encode(cdtext, 1, 4, &error));
	rb_test_assert_error(
		error, RB_CDTEXT_ERROR_INVALID_ARGUMENT, (const gchar *[]){"track 5", NULL});
	g_clear_error(&error);
	ck_assert_ptr_null(rb_cdtext_encode(cdtext, 3, 2, &error));
	rb_test_assert_error(error, RB_CDTEXT_ERROR_INVALID_ARGUMENT, (const gchar *[]){NULL});
	g_clear_error(&error);

	/* blocks are used in order */
	g_clear_pointer(&cdtext, rb_cdtext_free);
	cdtext = rb_cdtext_new();
	rb_test_set(cdtext, 1, RB_CDTEXT_TITLE, 0, "Second language only");
	ck_assert_ptr_null(rb_cdtext_encode(cdtext, 1, 1, &error));
	rb_test_assert_error(
		error, RB_CDTEXT_ERROR_INVALID_ARGUMENT, (const gchar *[]){"block 0", NULL});
}
END_TEST

static void
rb_test_assert_corrupt(const guint8 *data, gsize len, const gchar *fragment)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RbCdText) decoded = rb_cdtext_decode(data, len, &error);

	ck_assert_ptr_null(decoded);
	rb_test_assert_error(error, RB_CDTEXT_ERROR_CORRUPT, (const gchar *[]){fragment, NULL});
}

START_TEST(test_cdtext_refuse_corrupt)
{
	g_autoptr(RbCdText) cdtext = rb_test_cdrdao_disc();
	g_autoptr(GBytes) packs = rb_test_encode(cdtext, 1, 2);
	gsize len = g_bytes_get_size(packs);
	g_autofree guint8 *data = g_memdup2(g_bytes_get_data(packs, NULL), len);
	const guint block1 = 18 * RB_CDTEXT_PACK_SIZE;
	guint8 swap[RB_CDTEXT_PACK_SIZE];

	/* a bad CRC, named by its pack */
	data[5 * 18 + 7] ^= 0x20;
	rb_test_assert_corrupt(data, len, "pack 5:");
	data[5 * 18 + 7] ^= 0x20;
	data[7 * 18 + 17] ^= 0x01;
	rb_test_assert_corrupt(data, len, "pack 7:");
	data[7 * 18 + 17] ^= 0x01;

	/* not whole packs; none at all */
	rb_test_assert_corrupt(data, len - 2, "bytes");
	rb_test_assert_corrupt(data, 0, "bytes");

	/* two packs swapped: the sequence numbers say so */
	memcpy(swap, data + 2 * 18, 18);
	memcpy(data + 2 * 18, data + 3 * 18, 18);
	memcpy(data + 3 * 18, swap, 18);
	rb_test_assert_corrupt(data, len, "pack 2:");
	memcpy(data + 3 * 18, data + 2 * 18, 18);
	memcpy(data + 2 * 18, swap, 18);

	/* the size information missing */
	rb_test_assert_corrupt(data, block1 - 18, "size information");

	/* block 1 alone: a gap where block 0 should be */
	rb_test_assert_corrupt(data + block1, len - block1, "block 0");

	/* a track number out of step with the strings */
	data[2 * 18 + 1] = 2;
	rb_test_pack_fix_crc(data + 2 * 18);
	rb_test_assert_corrupt(data, len, "pack 2:");
	data[2 * 18 + 1] = 1;
	rb_test_pack_fix_crc(data + 2 * 18);

	/* a string that never ends */
	memset(data + 3 * 18 + 7, 'y', 9);
	rb_test_pack_fix_crc(data + 3 * 18);
	rb_test_assert_corrupt(data, len, "pack 3:");
}
END_TEST

TCase *
rb_test_cdtext_vectors_tcase(void)
{
	TCase *tc = tcase_create("vectors");

	tcase_add_test(tc, test_cdtext_cdrdao_encode);
	tcase_add_test(tc, test_cdtext_cdrdao_decode);
	tcase_add_test(tc, test_cdtext_round_trip);
	tcase_add_test(tc, test_cdtext_decode_framing);
	tcase_add_test(tc, test_cdtext_decode_tab);
	tcase_add_test(tc, test_cdtext_refuse_charset);
	tcase_add_test(tc, test_cdtext_refuse_ms_jis);
	tcase_add_test(tc, test_cdtext_refuse_too_long);
	tcase_add_test(tc, test_cdtext_refuse_arguments);
	tcase_add_test(tc, test_cdtext_refuse_corrupt);
	return tc;
}
