/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The CD-TEXT packs. What we encode is read back by libcdio's CD-TEXT
 * parser (cdtext_data_init, which wants the packs without READ TOC's
 * header) and compared field by field; a disc written by cdrdao is the
 * byte-for-byte vector for the encoder and the decoder; libburn's
 * published packs pin the CRC convention. Then decode(encode(x)) == x and
 * every refusal.
 */
#include "config.h"

#include <cdio/cdtext.h>
#include <string.h>

#include "rb-cdtext.h"
#include "rb-subchannel.h"
#include "rb-test-service.h"
#include "rb-cdtext-test.h"

/* the CRC as a pack carries it: plain CRC-16 of bytes 0-15, inverted, big-endian */
gboolean
rb_test_pack_crc_ok(const guint8 *pack)
{
	guint16 crc = (guint16)~rb_cd_crc16(pack, 16);
	return pack[16] == (crc >> 8) && pack[17] == (crc & 0xFF);
}

void
rb_test_pack_fix_crc(guint8 *pack)
{
	guint16 crc = (guint16)~rb_cd_crc16(pack, 16);
	pack[16] = crc >> 8;
	pack[17] = crc & 0xFF;
}

GBytes *
rb_test_hex_packs(const gchar *const *hex, gsize n_packs)
{
	GByteArray *bytes = g_byte_array_new();

	for (gsize i = 0; i < n_packs; i++) {
		g_auto(GStrv) words = g_strsplit(hex[i], " ", -1);

		ck_assert_uint_eq(g_strv_length(words), RB_CDTEXT_PACK_SIZE);
		for (guint k = 0; words[k] != NULL; k++) {
			guint8 byte = (guint8)g_ascii_strtoull(words[k], NULL, 16);
			g_byte_array_append(bytes, &byte, 1);
		}
	}
	return g_byte_array_free_to_bytes(bytes);
}

static void
rb_test_assert_crcs(GBytes *packs)
{
	gsize len;
	const guint8 *data = g_bytes_get_data(packs, &len);

	ck_assert_uint_gt(len, 0);
	ck_assert_uint_eq(len % RB_CDTEXT_PACK_SIZE, 0);
	for (gsize i = 0; i < len; i += RB_CDTEXT_PACK_SIZE)
		ck_assert_msg(rb_test_pack_crc_ok(data + i), "pack %zu: bad CRC", i / 18);
}

GBytes *
rb_test_encode(const RbCdText *cdtext, guint first, guint last)
{
	g_autoptr(GError) error = NULL;
	GBytes *packs = rb_cdtext_encode(cdtext, first, last, &error);

	ck_assert_msg(packs != NULL, "%s", error ? error->message : "");
	rb_test_assert_crcs(packs);
	return packs;
}

/* libcdio's reading of @packs; free with cdtext_destroy() */
static cdtext_t *
rb_test_libcdio_parse(GBytes *packs)
{
	gsize len;
	const guint8 *data = g_bytes_get_data(packs, &len);
	g_autofree guint8 *copy = g_memdup2(data, len);
	cdtext_t *parsed = cdtext_init();

	ck_assert_int_eq(cdtext_data_init(parsed, copy, len), 0);
	return parsed;
}

void
rb_test_set(RbCdText *cdtext, guint block, RbCdTextPackType type, guint track, const gchar *utf8)
{
	g_autoptr(GError) error = NULL;
	ck_assert_msg(rb_cdtext_set_text(cdtext, block, type, track, utf8, &error),
		      "%s",
		      error ? error->message : "");
}

void
rb_test_set_block(RbCdText *cdtext, guint block, guint8 language, RbCdTextCharset charset)
{
	g_autoptr(GError) error = NULL;
	ck_assert_msg(rb_cdtext_set_block(cdtext, block, language, charset, &error),
		      "%s",
		      error ? error->message : "");
}

static void
rb_test_assert_field(cdtext_t *parsed, cdtext_field_t field, guint track, const gchar *expected)
{
	const gchar *got = cdtext_get_const(parsed, field, (track_t)track);
	ck_assert_msg(g_strcmp0(got, expected) == 0,
		      "%s of track %u: libcdio reads \"%s\", expected \"%s\"",
		      cdtext_field2str(field),
		      track,
		      got ? got : "(null)",
		      expected ? expected : "(null)");
}

/* every string field libcdio knows, against what we set in @block */
static void
rb_test_assert_block_read(cdtext_t *parsed, const RbCdText *cdtext, guint block, guint last)
{
	static const struct {
		RbCdTextPackType type;
		cdtext_field_t field;
	} map[] = {
		{RB_CDTEXT_TITLE, CDTEXT_FIELD_TITLE},
		{RB_CDTEXT_PERFORMER, CDTEXT_FIELD_PERFORMER},
		{RB_CDTEXT_SONGWRITER, CDTEXT_FIELD_SONGWRITER},
		{RB_CDTEXT_COMPOSER, CDTEXT_FIELD_COMPOSER},
		{RB_CDTEXT_ARRANGER, CDTEXT_FIELD_ARRANGER},
		{RB_CDTEXT_MESSAGE, CDTEXT_FIELD_MESSAGE},
	};

	for (guint track = 0; track <= last; track++) {
		for (guint i = 0; i < G_N_ELEMENTS(map); i++) {
			rb_test_assert_field(parsed,
					     map[i].field,
					     track,
					     rb_cdtext_get_text(cdtext, block, map[i].type, track));
		}
		rb_test_assert_field(parsed,
				     track == 0 ? CDTEXT_FIELD_UPC_EAN : CDTEXT_FIELD_ISRC,
				     track,
				     rb_cdtext_get_text(cdtext, block, RB_CDTEXT_UPC_ISRC, track));
	}
	rb_test_assert_field(parsed,
			     CDTEXT_FIELD_DISCID,
			     0,
			     rb_cdtext_get_text(cdtext, block, RB_CDTEXT_DISC_ID, 0));
	rb_test_assert_field(parsed,
			     CDTEXT_FIELD_GENRE,
			     0,
			     rb_cdtext_get_text(cdtext, block, RB_CDTEXT_GENRE, 0));
}

void
rb_test_assert_round_trip(const RbCdText *cdtext, GBytes *packs)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RbCdText) decoded =
		rb_cdtext_decode(g_bytes_get_data(packs, NULL), g_bytes_get_size(packs), &error);

	ck_assert_msg(decoded != NULL, "%s", error ? error->message : "");
	ck_assert(rb_cdtext_equal(decoded, cdtext));
}

START_TEST(test_cdtext_every_type)
{
	g_autoptr(RbCdText) cdtext = rb_cdtext_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) packs = NULL;
	cdtext_t *parsed;
	cdtext_lang_t *languages;
	const RbCdTextPackType types[] = {RB_CDTEXT_TITLE,
					  RB_CDTEXT_PERFORMER,
					  RB_CDTEXT_SONGWRITER,
					  RB_CDTEXT_COMPOSER,
					  RB_CDTEXT_ARRANGER,
					  RB_CDTEXT_MESSAGE};

	ck_assert(rb_cdtext_is_empty(cdtext));
	for (guint t = 0; t < G_N_ELEMENTS(types); t++) {
		for (guint track = 0; track <= 3; track++) {
			g_autofree gchar *text =
				g_strdup_printf("Fête %02X for %u, Straße", types[t], track);
			rb_test_set(cdtext, 0, types[t], track, text);
		}
	}
	rb_test_set(cdtext, 0, RB_CDTEXT_DISC_ID, 0, "CAT-0042");
	rb_test_set(cdtext, 0, RB_CDTEXT_UPC_ISRC, 0, "4006381333931");
	for (guint track = 1; track <= 3; track++) {
		g_autofree gchar *isrc = g_strdup_printf("DEXXX001234%u", track);
		rb_test_set(cdtext, 0, RB_CDTEXT_UPC_ISRC, track, isrc);
	}
	ck_assert(rb_cdtext_set_genre(cdtext, 0, 0x0005, "Baroque organ music", &error));
	ck_assert(!rb_cdtext_is_empty(cdtext));
	ck_assert_uint_eq(rb_cdtext_get_n_blocks(cdtext), 1);

	packs = rb_test_encode(cdtext, 1, 3);
	parsed = rb_test_libcdio_parse(packs);
	rb_test_assert_block_read(parsed, cdtext, 0, 3);
	ck_assert_int_eq(cdtext_get_genre(parsed), CDTEXT_GENRE_CLASSIC);
	ck_assert_int_eq(cdtext_get_first_track(parsed), 1);
	ck_assert_int_eq(cdtext_get_last_track(parsed), 3);
	languages = cdtext_list_languages_v2(parsed);
	ck_assert_int_eq(languages[0], CDTEXT_LANGUAGE_ENGLISH);
	for (guint b = 1; b < 8; b++)
		ck_assert_int_eq(languages[b], CDTEXT_LANGUAGE_BLOCK_UNUSED);
	cdtext_destroy(parsed);
	rb_test_assert_round_trip(cdtext, packs);
}
END_TEST

/*
 * An empty string (its NUL alone) must not shift the tracks after it.
 * libcdio 2.1 takes a NUL with nothing before it for padding and gives the
 * next string of the same pack the pack's track number (plus the non-empty
 * strings before it), so it can judge an empty string only where it ends a
 * pack: then the next pack's track number says whether it was counted.
 * "Album\0" "Firs\0" and track 2's "\0" fill the first pack exactly.
 */
START_TEST(test_cdtext_empty_track_string)
{
	g_autoptr(RbCdText) cdtext = rb_cdtext_new();
	g_autoptr(GBytes) packs = NULL;
	const guint8 *data;
	cdtext_t *parsed;

	rb_test_set(cdtext, 0, RB_CDTEXT_TITLE, 0, "Album");
	rb_test_set(cdtext, 0, RB_CDTEXT_TITLE, 1, "Firs");
	rb_test_set(cdtext, 0, RB_CDTEXT_TITLE, 2, "");
	rb_test_set(cdtext, 0, RB_CDTEXT_TITLE, 3, "Third");
	rb_test_set(cdtext, 0, RB_CDTEXT_TITLE, 4, "Fourth");
	for (guint track = 0; track <= 4; track++)
		rb_test_set(cdtext, 0, RB_CDTEXT_PERFORMER, track, "Perf");
	ck_assert_ptr_null(rb_cdtext_get_text(cdtext, 0, RB_CDTEXT_TITLE, 2));

	packs = rb_test_encode(cdtext, 1, 4);
	data = g_bytes_get_data(packs, NULL);
	ck_assert_uint_eq(data[18 + 1], 3);
	parsed = rb_test_libcdio_parse(packs);
	rb_test_assert_block_read(parsed, cdtext, 0, 4);
	cdtext_destroy(parsed);
	rb_test_assert_round_trip(cdtext, packs);
}
END_TEST

START_TEST(test_cdtext_99_tracks)
{
	g_autoptr(RbCdText) cdtext = rb_cdtext_new();
	g_autoptr(GBytes) packs = NULL;
	cdtext_t *parsed;

	rb_test_set(cdtext, 0, RB_CDTEXT_TITLE, 0, "Ninety-nine");
	for (guint track = 1; track <= 99; track++) {
		g_autofree gchar *title = g_strdup_printf("Track %u", track);
		rb_test_set(cdtext, 0, RB_CDTEXT_TITLE, track, title);
	}
	/* every track: an empty string among others is test_cdtext_empty_track_string's */
	for (guint track = 90; track <= 99; track++)
		rb_test_set(cdtext, 0, RB_CDTEXT_PERFORMER, track, "Performer of the last ten");

	packs = rb_test_encode(cdtext, 1, 99);
	parsed = rb_test_libcdio_parse(packs);
	rb_test_assert_block_read(parsed, cdtext, 0, 99);
	ck_assert_int_eq(cdtext_get_last_track(parsed), 99);
	cdtext_destroy(parsed);
	rb_test_assert_round_trip(cdtext, packs);
}
END_TEST

/* byte 3's low nibble: characters of the pack's first string in earlier packs */
static void
rb_test_assert_char_positions(GBytes *packs)
{
	gsize len;
	const guint8 *data = g_bytes_get_data(packs, &len);
	guint run = 0;
	guint8 type = 0;

	for (gsize i = 0; i < len; i += RB_CDTEXT_PACK_SIZE) {
		const guint8 *pack = data + i;

		if (pack[0] == RB_CDTEXT_SIZE_INFO || pack[0] == RB_CDTEXT_GENRE)
			continue;
		if (pack[0] != type)
			run = 0;
		type = pack[0];
		ck_assert_msg((pack[3] & 0x0F) == MIN(run, 15),
			      "pack %zu: character position %u, expected %u",
			      i / 18,
			      pack[3] & 0x0F,
			      MIN(run, 15));
		for (guint k = 4; k < 16; k++)
			run = pack[k] == 0 ? 0 : run + 1;
	}
}

START_TEST(test_cdtext_long_strings)
{
	g_autoptr(RbCdText) cdtext = rb_cdtext_new();
	g_autoptr(GBytes) packs = NULL;
	GString *long_title = g_string_new(NULL);
	cdtext_t *parsed;

	/* libcdio's parser holds at most 255 characters of a string */
	for (guint i = 0; long_title->len < 200; i++)
		g_string_append_printf(long_title, "word%u ", i);
	rb_test_set(cdtext, 0, RB_CDTEXT_TITLE, 0, long_title->str);
	rb_test_set(cdtext, 0, RB_CDTEXT_TITLE, 1, "Short");
	rb_test_set(cdtext, 0, RB_CDTEXT_TITLE, 2, long_title->str + 7);
	rb_test_set(cdtext, 0, RB_CDTEXT_MESSAGE, 2, "Thirteen char");

	packs = rb_test_encode(cdtext, 1, 2);
	rb_test_assert_char_positions(packs);
	parsed = rb_test_libcdio_parse(packs);
	rb_test_assert_block_read(parsed, cdtext, 0, 2);
	cdtext_destroy(parsed);
	rb_test_assert_round_trip(cdtext, packs);
	g_string_free(long_title, TRUE);
}
END_TEST

/* @n blocks of different languages, each with its own text */
static void
rb_test_languages(guint n)
{
	static const guint8 codes[] = {0x09, 0x08, 0x0F, 0x15, 0x0A, 0x1D, 0x28, 0x69};
	g_autoptr(RbCdText) cdtext = rb_cdtext_new();
	g_autoptr(GBytes) packs = NULL;
	cdtext_t *parsed;
	cdtext_lang_t *languages;

	for (guint b = 0; b < n; b++) {
		rb_test_set_block(cdtext, b, codes[b], RB_CDTEXT_CHARSET_ISO8859_1);
		for (guint track = 0; track <= 2; track++) {
			g_autofree gchar *title = g_strdup_printf("Titre %u, bloc %u", track, b);
			g_autofree gchar *performer =
				g_strdup_printf("Interprète %u", b * 10 + track);
			rb_test_set(cdtext, b, RB_CDTEXT_TITLE, track, title);
			if (b % 2 == 0)
				rb_test_set(cdtext, b, RB_CDTEXT_PERFORMER, track, performer);
		}
	}
	ck_assert_uint_eq(rb_cdtext_get_n_blocks(cdtext), n);

	packs = rb_test_encode(cdtext, 1, 2);
	parsed = rb_test_libcdio_parse(packs);
	languages = cdtext_list_languages_v2(parsed);
	for (guint b = 0; b < 8; b++) {
		ck_assert_int_eq(languages[b], b < n ? codes[b] : CDTEXT_LANGUAGE_BLOCK_UNUSED);
		ck_assert_uint_eq(rb_cdtext_get_language(cdtext, b), b < n ? codes[b] : 0);
	}
	for (guint b = 0; b < n; b++) {
		ck_assert(cdtext_set_language_index(parsed, (int)b));
		ck_assert_int_eq(cdtext_get_language(parsed), codes[b]);
		rb_test_assert_block_read(parsed, cdtext, b, 2);
	}
	/* and by language rather than by index */
	ck_assert(cdtext_select_language(parsed, codes[n - 1]));
	rb_test_assert_field(parsed,
			     CDTEXT_FIELD_TITLE,
			     1,
			     rb_cdtext_get_text(cdtext, n - 1, RB_CDTEXT_TITLE, 1));
	cdtext_destroy(parsed);
	rb_test_assert_round_trip(cdtext, packs);
}

START_TEST(test_cdtext_two_languages)
{
	rb_test_languages(2);
}
END_TEST

START_TEST(test_cdtext_eight_languages)
{
	rb_test_languages(8);
}
END_TEST

/* libburn doc/cdtext.txt's packs from a Sony example, CRCs as published */
static const gchar *const rb_test_published_packs[] = {
	"8f 00 2a 00 01 01 03 00 06 05 04 05 07 06 01 02 48 65",
	"8f 01 2b 00 00 00 00 00 00 00 06 03 2c 00 00 00 c0 20",
	"8f 02 2c 00 00 00 00 00 09 00 00 00 00 00 00 00 11 45",
	"88 00 23 00 01 0e 00 3f 02 12 00 00 00 00 00 00 12 00",
	"88 01 24 00 00 02 00 04 0b 19 08 02 32 0b 2f 3e 67 2d",
	"88 0d 27 00 35 18 19 39 03 19 00 00 00 00 00 00 ea af",
	"89 01 28 00 01 04 00 00 00 00 02 29 30 02 34 3a f3 0c",
	"89 06 29 00 02 04 00 00 00 00 17 0e 19 17 1d 3c 73 92",
	"89 07 2a 00 03 04 00 00 00 00 1c 1e 27 1c 2a 1e 72 20",
	"89 0d 2b 00 04 04 00 00 00 00 37 0d 1a 37 1f 32 0b 62",
};

START_TEST(test_cdtext_published_crcs)
{
	g_autoptr(GBytes) packs =
		rb_test_hex_packs(rb_test_published_packs, G_N_ELEMENTS(rb_test_published_packs));
	const guint8 *data = g_bytes_get_data(packs, NULL);

	for (guint i = 0; i < G_N_ELEMENTS(rb_test_published_packs); i++) {
		guint8 pack[RB_CDTEXT_PACK_SIZE];

		ck_assert_msg(rb_test_pack_crc_ok(data + i * RB_CDTEXT_PACK_SIZE), "pack %u", i);
		/* not merely any CRC: one flipped bit breaks it */
		memcpy(pack, data + i * RB_CDTEXT_PACK_SIZE, sizeof(pack));
		pack[5] ^= 0x01;
		ck_assert(!rb_test_pack_crc_ok(pack));
	}
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("cdtext");
	TCase *tc = tcase_create("libcdio");

	tcase_add_test(tc, test_cdtext_every_type);
	tcase_add_test(tc, test_cdtext_empty_track_string);
	tcase_add_test(tc, test_cdtext_99_tracks);
	tcase_add_test(tc, test_cdtext_long_strings);
	tcase_add_test(tc, test_cdtext_two_languages);
	tcase_add_test(tc, test_cdtext_eight_languages);
	tcase_add_test(tc, test_cdtext_published_crcs);
	suite_add_tcase(suite, tc);
	suite_add_tcase(suite, rb_test_cdtext_vectors_tcase());
	return rb_test_run_suite(suite);
}
