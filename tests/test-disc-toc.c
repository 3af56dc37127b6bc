/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The cdrdao TOC reader (client/image/rb-disc-toc.c). Each sample set (an
 * audio disc from a WAV and a big-endian .cdr with SILENCE, START, PREGAP,
 * INDEX, ISRC, COPY, PRE_EMPHASIS and two CD-TEXT languages; a Mode 1 disc;
 * an XA disc; cdrdao's manual's mixed-mode disc) is generated here and read:
 * the layout is asserted against what the file says and against cdrdao's
 * own reading (`cdrdao show-toc`), every sector of the stream against the
 * files' bytes; then cdrdao burns the same TOC onto the emulated drive and
 * its disc must match our stream. Malformed files must fail with their
 * error and a message naming the file and line.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "rb-disc-image-private.h"
#include "rb-disc-oracle-test.h"
#include "rb-disc-test.h"
#include "rb-scramble.h"
#include "rb-test-service.h"

#define S 2352

typedef enum {
	RB_EXPECT_AUDIO,
	RB_EXPECT_MODE1,
	RB_EXPECT_FORM1,
	RB_EXPECT_MIX,
} RbExpectKind;

typedef struct {
	RbExpectKind kind;
	const guint8 *data; /* NULL = zeros */
	gsize block;
} RbExpect;

typedef struct {
	gchar *dir;
	gchar *toc;
	gchar *toc_path;
	GPtrArray *buffers;
	GArray *expect; /* of RbExpect, one per LBA from -150 */
} RbSet;

static const guint8 *
rb_set_keep(RbSet *set, guint8 *data)
{
	g_ptr_array_add(set->buffers, data);
	return data;
}

static void
rb_set_expect(RbSet *set, RbExpectKind kind, const guint8 *data, gsize block, guint n)
{
	for (guint i = 0; i < n; i++) {
		RbExpect e = {kind, data != NULL ? data + (gsize)i * block : NULL, block};

		g_array_append_val(set->expect, e);
	}
}

static RbSet *
rb_set_new(void)
{
	g_autoptr(GError) error = NULL;
	RbSet *set = g_new0(RbSet, 1);

	set->dir = g_dir_make_tmp("rawburn-toc-XXXXXX", &error);
	ck_assert(set->dir != NULL);
	set->buffers = g_ptr_array_new_with_free_func(g_free);
	set->expect = g_array_new(FALSE, FALSE, sizeof(RbExpect));
	return set;
}

static void
rb_set_write_toc(RbSet *set, const gchar *toc)
{
	set->toc = g_strdup(toc);
	set->toc_path = rb_disc_test_write(set->dir, "disc.toc", (const guint8 *)toc, strlen(toc));
}

static void
rb_set_free(RbSet *set)
{
	g_autoptr(GDir) dir = g_dir_open(set->dir, 0, NULL);
	const gchar *name;

	while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *path = g_build_filename(set->dir, name, NULL);
		g_unlink(path);
	}
	g_rmdir(set->dir);
	g_free(set->dir);
	g_free(set->toc);
	g_free(set->toc_path);
	g_ptr_array_unref(set->buffers);
	g_array_unref(set->expect);
	g_free(set);
}

/* ---- the sample sets ---- */

/* two languages (EN, DE); 8 = German in EBU Tech 3258 */
#define RB_AUDIO_CDTEXT                                                                            \
	"CD_TEXT {\n"                                                                              \
	"  LANGUAGE_MAP {\n    0 : EN\n    1 : 8\n  }\n"                                           \
	"  LANGUAGE 0 {\n    TITLE \"Disc \\\"EN\\\"\"\n    PERFORMER \"Band\"\n"                  \
	"    GENRE { 0, 9, 74, 97, 122, 122, 0 }\n  }\n"                                           \
	"  LANGUAGE 1 { TITLE \"Platte \\374\" PERFORMER \"Gruppe\" }\n"                           \
	"}\n"

static RbSet *
rb_set_audio(void)
{
	RbSet *set = rb_set_new();
	const guint8 *a = rb_set_keep(set, g_malloc(500 * S));
	const guint8 *b = rb_set_keep(set, g_malloc(600 * S));
	g_autofree guint8 *b_be = NULL;

	rb_disc_test_pattern((guint8 *)a, 500 * S, 1);
	rb_disc_test_pattern((guint8 *)b, 600 * S, 2);
	b_be = rb_disc_test_swap16(b, 600 * S);
	g_free(rb_disc_test_write_wav_data(set->dir, "a.wav", a, 500 * S));
	g_free(rb_disc_test_write(set->dir, "b.cdr", b_be, 600 * S));
	rb_set_write_toc(set,
			 "// an audio disc\n"
			 "CD_DA\n"
			 "CATALOG \"4006381333931\"\n"
			 /* lines 4-15 */
			 RB_AUDIO_CDTEXT
			 /* line 16 */
			 "TRACK AUDIO\n"
			 "COPY\n"
			 "ISRC \"DEXXX9800001\"\n"
			 "CD_TEXT {\n"
			 "  LANGUAGE 0 { TITLE \"One\" }\n"
			 "  LANGUAGE 1 {\n    TITLE \"Eins\"\n  }\n"
			 "}\n"
			 "FILE \"a.wav\" 0\n"
			 "START 0:1:0\n"
			 "INDEX 0:2:0\n"
			 /* line 28 */
			 "TRACK AUDIO\n"
			 "PRE_EMPHASIS\n"
			 "CD_TEXT { LANGUAGE 0 { TITLE \"Two\" } LANGUAGE 1 { TITLE \"Zwei\" } }\n"
			 "PREGAP 0:2:0\n"
			 "FILE \"b.cdr\" 0 0:5:0\n"
			 "SILENCE 0:1:0\n"
			 "FILE \"b.cdr\" 220500 // samples: 5 s\n");
	/* LBA -150…: track 1's generated 2 s, then a.wav (75 blocks of pregap);
	 * track 2: 150 of PREGAP, b's first 5 s, 1 s of silence, b's rest */
	rb_set_expect(set, RB_EXPECT_AUDIO, NULL, S, 150);
	rb_set_expect(set, RB_EXPECT_AUDIO, a, S, 500);
	rb_set_expect(set, RB_EXPECT_AUDIO, NULL, S, 150);
	rb_set_expect(set, RB_EXPECT_AUDIO, b, S, 375);
	rb_set_expect(set, RB_EXPECT_AUDIO, NULL, S, 75);
	rb_set_expect(set, RB_EXPECT_AUDIO, b + 375 * S, S, 225);
	return set;
}

static RbSet *
rb_set_mode1(void)
{
	RbSet *set = rb_set_new();
	const guint8 *d = rb_set_keep(set, g_malloc(400 * 2048));

	rb_disc_test_pattern((guint8 *)d, 400 * 2048, 3);
	g_free(rb_disc_test_write(set->dir, "data.iso", d, 400 * 2048));
	rb_set_write_toc(set, "CD_ROM\nTRACK MODE1\nDATAFILE \"data.iso\"\n");
	rb_set_expect(set, RB_EXPECT_MODE1, NULL, 2048, 150);
	rb_set_expect(set, RB_EXPECT_MODE1, d, 2048, 400);
	return set;
}

static RbSet *
rb_set_xa(void)
{
	RbSet *set = rb_set_new();
	guint8 *f1 = (guint8 *)rb_set_keep(set, g_malloc(400 * 2048));
	guint8 *mix = (guint8 *)rb_set_keep(set, g_malloc(350 * 2336));

	rb_disc_test_pattern(f1, 400 * 2048, 4);
	rb_disc_test_pattern(mix, 350 * 2336, 5);
	/* Form 2 sub-headers (form bit 0x20) with every third block Form 1,
	 * other bits varying */
	for (guint i = 0; i < 350; i++) {
		guint8 submode = (guint8)((i % 3 == 0 ? 0x08 : 0x20) | (i % 2 ? 0x01 : 0));
		const guint8 sub[8] = {1, (guint8)i, submode, 0, 1, (guint8)i, submode, 0};

		memcpy(mix + (gsize)i * 2336, sub, 8);
	}
	g_free(rb_disc_test_write(set->dir, "form1.bin", f1, 400 * 2048));
	g_free(rb_disc_test_write(set->dir, "mix.bin", mix, 350 * 2336));
	rb_set_write_toc(set,
			 "CD_ROM_XA\n"
			 "TRACK MODE2_FORM1\nDATAFILE \"form1.bin\"\n"
			 "TRACK MODE2_FORM_MIX\nDATAFILE \"mix.bin\" 0:4:50\n");
	rb_set_expect(set, RB_EXPECT_FORM1, NULL, 2048, 150);
	rb_set_expect(set, RB_EXPECT_FORM1, f1, 2048, 400);
	rb_set_expect(set, RB_EXPECT_MIX, mix, 2336, 350);
	return set;
}

/* cdrdao(1)'s "Mixed mode CD", plus a raw file with a header skipped by #offset */
static RbSet *
rb_set_mixed(void)
{
	RbSet *set = rb_set_new();
	const guint8 *d = rb_set_keep(set, g_malloc(400 * 2048));
	const guint8 *w = rb_set_keep(set, g_malloc(450 * S));
	guint8 *c = (guint8 *)rb_set_keep(set, g_malloc(300 * S));
	g_autofree guint8 *c_file = g_malloc(1000 + 300 * S);
	g_autofree guint8 *c_be = NULL;

	rb_disc_test_pattern((guint8 *)d, 400 * 2048, 6);
	rb_disc_test_pattern((guint8 *)w, 450 * S, 7);
	rb_disc_test_pattern(c, 300 * S, 8);
	c_be = rb_disc_test_swap16(c, 300 * S);
	memset(c_file, 0x55, 1000);
	memcpy(c_file + 1000, c_be, 300 * S);
	g_free(rb_disc_test_write(set->dir, "data_1", d, 400 * 2048));
	g_free(rb_disc_test_write_wav_data(set->dir, "data_2.wav", w, 450 * S));
	g_free(rb_disc_test_write(set->dir, "data_3.cdr", c_file, 1000 + 300 * S));
	rb_set_write_toc(set,
			 "CD_ROM\n"
			 "TRACK MODE1\n"
			 "DATAFILE \"data_1\"\n"
			 "ZERO 00:02:00 // post-gap\n"
			 "\n"
			 "TRACK AUDIO\n"
			 "SILENCE 00:02:00 // pre-gap\n"
			 "START\n"
			 "FILE \"data_2.wav\" 0\n"
			 "\n"
			 "TRACK AUDIO\n"
			 "FILE \"data_3.cdr\" #1000 0\n");
	rb_set_expect(set, RB_EXPECT_MODE1, NULL, 2048, 150);
	rb_set_expect(set, RB_EXPECT_MODE1, d, 2048, 400);
	rb_set_expect(set, RB_EXPECT_MODE1, NULL, 2048, 150);
	rb_set_expect(set, RB_EXPECT_AUDIO, NULL, S, 150);
	rb_set_expect(set, RB_EXPECT_AUDIO, w, S, 450);
	rb_set_expect(set, RB_EXPECT_AUDIO, c, S, 300);
	return set;
}

static RbSet *(*const rb_sets[])(void) = {rb_set_audio, rb_set_mode1, rb_set_xa, rb_set_mixed};

static RbDiscImage *
rb_set_open(RbSet *set)
{
	g_autoptr(GError) error = NULL;
	RbDiscImage *image = rb_disc_image_open(set->toc_path, &error);

	ck_assert_msg(image != NULL, "%s\n%s", set->toc, error != NULL ? error->message : "");
	ck_assert_int_eq(rb_disc_image_get_format(image), RB_DISC_IMAGE_FORMAT_TOC);
	return image;
}

/* ---- the layout against cdrdao's reading ---- */

/* `cdrdao show-toc`: each track's START (index 1) LBA, its INDEX LBAs and
 * the END of the last track (the lead-out), all from LBA 0 */
START_TEST(test_toc_layout_cdrdao)
{
	RbSet *set = rb_sets[_i]();
	g_autoptr(RbDiscImage) image = rb_set_open(set);
	RbImageLayout *layout = rb_disc_image_get_layout(image);
	const gchar *argv[] = {"cdrdao", "show-toc", "disc.toc", NULL};
	g_autofree gchar *out = rb_disc_test_run(set->dir, argv);
	g_auto(GStrv) lines = g_strsplit(out, "\n", -1);
	gint track = -1;
	guint n_index = 0;
	gint32 end = 0;
	gint32 leadout = 0;

	for (guint i = 0; lines[i] != NULL; i++) {
		const gchar *line = g_strstrip(lines[i]);
		const gchar *paren = strchr(line, '(');
		gint32 lba = paren != NULL ? (gint32)g_ascii_strtoll(paren + 1, NULL, 10) : 0;
		const RbImageTrack *t =
			track >= 0 ? rb_image_layout_get_track(layout, (guint)track) : NULL;

		if (g_str_has_prefix(line, "TRACK")) {
			track++;
			ck_assert_uint_lt((guint)track, rb_image_layout_get_n_tracks(layout));
			t = rb_image_layout_get_track(layout, (guint)track);
			/* cdrdao's first track starts at LBA 0 unless it has a START */
			n_index = 1;
		} else if (g_str_has_prefix(line, "START")) {
			ck_assert_msg(t->start == lba,
				      "track %d: ours %d, cdrdao %d",
				      track + 1,
				      t->start,
				      lba);
		} else if (g_str_has_prefix(line, "INDEX")) {
			ck_assert_uint_lt(n_index, t->n_indexes);
			ck_assert_int_eq(t->start + (gint32)t->indexes[n_index++], lba);
		} else if (g_str_has_prefix(line, "END")) {
			ck_assert_uint_eq(n_index, t->n_indexes);
			end = lba;
		} else if (g_str_has_prefix(line, "ISRC")) {
			g_autofree gchar *isrc = g_strdup(line + 4);
			g_auto(GStrv) parts = g_strsplit(g_strstrip(isrc), " ", -1);
			g_autofree gchar *joined = g_strjoinv("", parts);

			ck_assert_str_eq(t->isrc, joined);
		} else if (g_str_has_prefix(line, "COPY")) {
			ck_assert_int_eq(t->copy == RB_IMAGE_COPY_PERMITTED,
					 strstr(line, "NOT") == NULL);
		} else if (g_str_has_suffix(line, "PRE-EMPHASIS")) {
			ck_assert_int_eq(t->preemphasis, !g_str_has_prefix(line, "NO"));
		}
	}
	ck_assert_int_eq(track + 1, (gint)rb_image_layout_get_n_tracks(layout));
	ck_assert(rb_image_layout_get_leadout_start(layout, &leadout, NULL));
	ck_assert_int_eq(leadout, end);
	rb_set_free(set);
}
END_TEST

/* what the audio TOC says, field by field */
START_TEST(test_toc_audio_model)
{
	RbSet *set = rb_set_audio();
	g_autoptr(RbDiscImage) image = rb_set_open(set);
	RbImageLayout *layout = rb_disc_image_get_layout(image);
	const RbImageTrack *t1 = rb_image_layout_get_track(layout, 0);
	const RbImageTrack *t2 = rb_image_layout_get_track(layout, 1);
	RbCdText *cdtext = rb_disc_image_get_cdtext(image);
	g_autofree gchar *where = rb_disc_image_describe_track_source(image, 1);

	ck_assert_str_eq(rb_image_layout_get_mcn(layout), "4006381333931");
	ck_assert_uint_eq(rb_image_layout_get_n_tracks(layout), 2);
	/* START 0:1:0: 75 blocks of a.wav are index 0, after the 150 generated */
	ck_assert_uint_eq(t1->pregap_sectors, 150 + 75);
	ck_assert_int_eq(t1->start, 75);
	ck_assert_uint_eq(t1->n_sectors, 425);
	ck_assert_uint_eq(t1->n_indexes, 2);
	ck_assert_uint_eq(t1->indexes[1], 150);
	ck_assert_str_eq(t1->isrc, "DEXXX9800001");
	ck_assert_int_eq(t1->copy, RB_IMAGE_COPY_PERMITTED);
	ck_assert(!t1->preemphasis);
	ck_assert_uint_eq(t2->pregap_sectors, 150);
	ck_assert_int_eq(t2->start, 650);
	ck_assert_uint_eq(t2->n_sectors, 675);
	ck_assert_int_eq(t2->copy, RB_IMAGE_COPY_PROHIBITED);
	ck_assert(t2->preemphasis);
	ck_assert_str_eq(t2->isrc, "");
	ck_assert_msg(strstr(where, "disc.toc line 28") != NULL, "%s", where);

	ck_assert(cdtext != NULL);
	ck_assert_uint_eq(rb_cdtext_get_n_blocks(cdtext), 2);
	ck_assert_uint_eq(rb_cdtext_get_language(cdtext, 0), 9);
	ck_assert_uint_eq(rb_cdtext_get_language(cdtext, 1), 8);
	ck_assert_str_eq(rb_cdtext_get_text(cdtext, 0, RB_CDTEXT_TITLE, 0), "Disc \"EN\"");
	ck_assert_str_eq(rb_cdtext_get_text(cdtext, 1, RB_CDTEXT_TITLE, 0), "Platte ü");
	ck_assert_str_eq(rb_cdtext_get_text(cdtext, 0, RB_CDTEXT_PERFORMER, 0), "Band");
	ck_assert_str_eq(rb_cdtext_get_text(cdtext, 1, RB_CDTEXT_PERFORMER, 0), "Gruppe");
	ck_assert_str_eq(rb_cdtext_get_text(cdtext, 0, RB_CDTEXT_TITLE, 1), "One");
	ck_assert_str_eq(rb_cdtext_get_text(cdtext, 1, RB_CDTEXT_TITLE, 1), "Eins");
	ck_assert_str_eq(rb_cdtext_get_text(cdtext, 0, RB_CDTEXT_TITLE, 2), "Two");
	ck_assert_str_eq(rb_cdtext_get_text(cdtext, 1, RB_CDTEXT_TITLE, 2), "Zwei");
	ck_assert_uint_eq(rb_cdtext_get_genre_code(cdtext, 0), 9);
	rb_set_free(set);
}
END_TEST

/* ---- the stream against the files ---- */

static void
rb_check_sector(const RbExpect *e, gint32 lba, const guint8 *stream_sector)
{
	guint8 sector[S];
	guint8 zeros[S] = {0};
	const guint8 *want = e->data != NULL ? e->data : zeros;

	memcpy(sector, stream_sector, S);
	switch (e->kind) {
	case RB_EXPECT_AUDIO:
		ck_assert_msg(memcmp(sector, want, S) == 0, "LBA %d: audio differs", lba);
		return;
	case RB_EXPECT_MODE1:
		rb_scramble_sector(sector);
		ck_assert_msg(sector[15] == 1 && memcmp(sector + 16, want, 2048) == 0,
			      "LBA %d: Mode 1 data differs",
			      lba);
		return;
	case RB_EXPECT_FORM1:
		rb_scramble_sector(sector);
		ck_assert_msg(sector[15] == 2 && (sector[18] & 0x20) == 0 &&
				      memcmp(sector + 24, want, 2048) == 0,
			      "LBA %d: Mode 2 Form 1 data differs",
			      lba);
		return;
	case RB_EXPECT_MIX:
		rb_scramble_sector(sector);
		/* sub-header and user data as given, by the sub-header's form:
		 * Form 2 2324 bytes and the EDC, Form 1 2048 and EDC/ECC */
		ck_assert_msg(sector[15] == 2 &&
				      memcmp(sector + 16, want, (want[2] & 0x20) ? 2332 : 2056) ==
					      0,
			      "LBA %d: Mode 2 data differs",
			      lba);
		if ((want[2] & 0x20) == 0)
			ck_assert_msg(rb_cd_sector_edc(sector + 16, 2056) ==
					      (guint32)(sector[2072] | sector[2073] << 8 |
							sector[2074] << 16 |
							(guint32)sector[2075] << 24),
				      "LBA %d: Form 1 EDC",
				      lba);
		return;
	}
}

START_TEST(test_toc_stream)
{
	RbSet *set = rb_sets[_i]();
	g_autoptr(RbDiscImage) image = rb_set_open(set);
	g_autoptr(GBytes) stream = NULL;
	const guint8 *data;
	gsize len;
	gint32 leadout = 0;

	/* the CD-TEXT has its own test; this one is about the sectors */
	rb_disc_image_set_cdtext(image, NULL);
	stream = rb_disc_test_stream(image);
	data = g_bytes_get_data(stream, &len);
	ck_assert(
		rb_image_layout_get_leadout_start(rb_disc_image_get_layout(image), &leadout, NULL));
	ck_assert_int_eq(leadout, (gint32)set->expect->len - 150);
	for (guint i = 0; i < set->expect->len; i++) {
		gint32 lba = (gint32)i - 150;
		gsize at = (gsize)(lba - RB_IMAGE_FIRST_LBA) * RB_DISC_TEST_EXPORT_SECTOR;

		ck_assert_uint_le(at + S, len);
		rb_check_sector(&g_array_index(set->expect, RbExpect, i), lba, data + at);
	}
	rb_set_free(set);
}
END_TEST

/* ---- cdrdao as the oracle ---- */

/* the MCN and ISRCs of both discs' code frames: the TOC's */
static void
rb_toc_assert_codes(RbDiscImage *image, GBytes *ours, GBytes *theirs)
{
	RbImageLayout *layout = rb_disc_image_get_layout(image);
	const gchar *mcn = rb_image_layout_get_mcn(layout);
	RbDiscOracleCodes a;
	RbDiscOracleCodes b;

	rb_disc_oracle_codes(ours, RB_IMAGE_FIRST_LBA, &a);
	rb_disc_oracle_codes(theirs, RB_DISC_TEST_LEADIN, &b);
	ck_assert_str_eq(a.mcn, mcn != NULL ? mcn : "");
	ck_assert_str_eq(b.mcn, a.mcn);
	for (guint t = 1; t <= RB_DISC_ORACLE_MAX_TRACKS; t++) {
		const gchar *isrc = t <= rb_image_layout_get_n_tracks(layout)
					    ? rb_image_layout_get_track(layout, t - 1)->isrc
					    : "";

		ck_assert_msg(strcmp(a.isrc[t], isrc) == 0 && strcmp(b.isrc[t], isrc) == 0,
			      "track %u ISRC ours “%s”, cdrdao's “%s”, the TOC's “%s”",
			      t,
			      a.isrc[t],
			      b.isrc[t],
			      isrc);
	}
}

/* the lead-in's CD-TEXT packs of both discs: the same text, the same bytes */
static void
rb_toc_assert_cdtext(RbDiscImage *image, GBytes *ours, GBytes *theirs)
{
	g_autoptr(GBytes) our_packs = rb_disc_oracle_leadin_packs(ours, RB_IMAGE_FIRST_LBA);
	g_autoptr(GBytes) their_packs = rb_disc_oracle_leadin_packs(theirs, RB_DISC_TEST_LEADIN);
	g_autoptr(RbCdText) our_text = NULL;
	g_autoptr(RbCdText) their_text = NULL;
	g_autoptr(GError) error = NULL;

	if (rb_disc_image_get_cdtext(image) == NULL) {
		ck_assert_uint_eq(g_bytes_get_size(our_packs), 0);
		ck_assert_uint_eq(g_bytes_get_size(their_packs), 0);
		return;
	}
	our_text = rb_cdtext_decode(
		g_bytes_get_data(our_packs, NULL), g_bytes_get_size(our_packs), &error);
	ck_assert_msg(our_text != NULL, "%s", error != NULL ? error->message : "");
	their_text = rb_cdtext_decode(
		g_bytes_get_data(their_packs, NULL), g_bytes_get_size(their_packs), &error);
	ck_assert_msg(their_text != NULL, "%s", error != NULL ? error->message : "");
	ck_assert(rb_cdtext_equal(our_text, rb_disc_image_get_cdtext(image)));
	ck_assert(rb_cdtext_equal(our_text, their_text));
	ck_assert_uint_eq(rb_cdtext_get_n_blocks(their_text), 2);
	ck_assert_msg(g_bytes_equal(our_packs, their_packs),
		      "%zu packs ours, %zu cdrdao's: the same text, other bytes",
		      g_bytes_get_size(our_packs) / RB_CDTEXT_PACK_SIZE,
		      g_bytes_get_size(their_packs) / RB_CDTEXT_PACK_SIZE);
}

/*
 * cdrdao burns the TOC, rawburn's stream is compared with its disc by LBA:
 * the main channel from LBA -150 on (before it, a data disc's lead-in
 * sectors carry headers each writer addresses its own way: see
 * test-image-oracle.c) and, for an audio disc, from the lead-in start; Q
 * from LBA -150 on wherever both sides have a position frame (ADR 1). MCN
 * and ISRC frames are placed differently by the two writers (cdrdao where
 * LBA % 90 is 0 or 50, the core at its own frames; test-image-oracle.c
 * explains it), so there each side's frame is counted, not compared; the
 * values they carry must be the TOC's on both discs. The lead-in's CD-TEXT
 * packs (the audio set's two languages) must decode to the same text and
 * be the same bytes.
 */
START_TEST(test_toc_cdrdao_oracle)
{
	RbSet *set = rb_sets[_i]();
	g_autoptr(RbDiscImage) image = rb_set_open(set);
	g_autoptr(GBytes) ours = NULL;
	g_autoptr(GBytes) theirs = NULL;
	const guint8 *a;
	const guint8 *b;
	gsize a_len;
	gsize b_len;
	gboolean audio_disc = rb_sets[_i] == rb_set_audio;
	guint q_compared = 0;
	guint main_compared = 0;
	gint32 leadout = 0;

	ours = rb_disc_test_stream(image);
	ck_assert(
		rb_image_layout_get_leadout_start(rb_disc_image_get_layout(image), &leadout, NULL));
	theirs = rb_disc_test_cdrdao_burn(set->dir, "disc.toc");
	a = g_bytes_get_data(ours, &a_len);
	b = g_bytes_get_data(theirs, &b_len);
	ck_assert_uint_eq(b_len % RB_DISC_TEST_EXPORT_SECTOR, 0);
	ck_assert_uint_eq(a_len / RB_DISC_TEST_EXPORT_SECTOR + RB_IMAGE_FIRST_LBA,
			  b_len / RB_DISC_TEST_EXPORT_SECTOR + RB_DISC_TEST_LEADIN);
	for (gint32 lba = RB_DISC_TEST_LEADIN;
	     lba < RB_DISC_TEST_LEADIN + (gint32)(b_len / RB_DISC_TEST_EXPORT_SECTOR);
	     lba++) {
		const guint8 *x =
			a + (gsize)(lba - RB_IMAGE_FIRST_LBA) * RB_DISC_TEST_EXPORT_SECTOR;
		const guint8 *y =
			b + (gsize)(lba - RB_DISC_TEST_LEADIN) * RB_DISC_TEST_EXPORT_SECTOR;
		guint8 qx[12];
		guint8 qy[12];

		if (lba >= -150 || audio_disc) {
			ck_assert_msg(memcmp(x, y, S) == 0, "LBA %d: main channel differs", lba);
			main_compared++;
		}
		if (lba < -150)
			continue;
		rb_disc_oracle_q(ours, RB_IMAGE_FIRST_LBA, lba, qx);
		rb_disc_oracle_q(theirs, RB_DISC_TEST_LEADIN, lba, qy);
		if ((qx[0] & 0x0F) != 1 || (qy[0] & 0x0F) != 1)
			continue;
		/* the lead-out's CTL: cdrdao gives it the last track's data bit
		 * alone, the core the whole CTL (test-image-oracle.c): compared
		 * without copy and pre-emphasis, the CRC left out */
		if (lba >= leadout) {
			ck_assert_msg((qx[0] & 0xCF) == (qy[0] & 0xCF) &&
					      memcmp(qx + 1, qy + 1, 9) == 0,
				      "LBA %d: lead-out Q differs",
				      lba);
			q_compared++;
			continue;
		}
		ck_assert_msg(memcmp(qx, qy, 12) == 0, "LBA %d: Q differs", lba);
		q_compared++;
	}
	/* nearly all of the disc: a code frame every tenth of a second at most */
	ck_assert_uint_gt(q_compared, (set->expect->len + 6750) * 8 / 10);
	ck_assert_uint_ge(main_compared, set->expect->len + 6750);
	rb_toc_assert_codes(image, ours, theirs);
	rb_toc_assert_cdtext(image, ours, theirs);
	rb_set_free(set);
}
END_TEST

/* ---- malformed files ---- */

typedef struct {
	const gchar *toc;
	gint code;
	guint line;
} RbBadToc;

#define RB_T1 "TRACK AUDIO\nFILE \"a.cdr\" 0\n"

static const RbBadToc rb_bad_tocs[] = {
	{"CD_DA\n" RB_T1 "BOGUS 1\n", RB_DISC_IMAGE_ERROR_SYNTAX, 4},
	{"CD_DA\nTRACK AUDIO\nFILE \"missing.cdr\" 0\n", RB_DISC_IMAGE_ERROR_FILE, 3},
	{"CD_DA\nTRACK AUDIO\nFILE \"a.cdr\" 0 0:9:0\n", RB_DISC_IMAGE_ERROR_FILE_TOO_SHORT, 3},
	{"CD_DA\nTRACK AUDIO\nFILE \"a.cdr\" 0 0:3:0\n", RB_DISC_IMAGE_ERROR_INVALID, 2},
	{"CD_I\n" RB_T1, RB_DISC_IMAGE_ERROR_UNSUPPORTED, 1},
	{"CD_DA\nTRACK AUDIO RW\nFILE \"a.cdr\" 0\n", RB_DISC_IMAGE_ERROR_UNSUPPORTED, 2},
	{"CD_DA\nTRACK AUDIO\nFOUR_CHANNEL_AUDIO\nFILE \"a.cdr\" 0\n",
	 RB_DISC_IMAGE_ERROR_UNSUPPORTED,
	 3},
	{"CD_DA\nCD_TEXT {\n LANGUAGE_MAP { 0 : EN }\n LANGUAGE 0 { ENCODING_MS_JIS\n"
	 " TITLE \"x\" } }\n" RB_T1,
	 RB_DISC_IMAGE_ERROR_UNSUPPORTED,
	 4},
	{"CD_DA\nCATALOG \"12345\"\n" RB_T1, RB_DISC_IMAGE_ERROR_SYNTAX, 2},
	{"CD_DA\nTRACK AUDIO\nISRC \"bad\"\nFILE \"a.cdr\" 0\n", RB_DISC_IMAGE_ERROR_INVALID, 3},
	{"CD_DA\nTRACK AUDIO\nFILE \"a.cdr\" 0\nINDEX 0:9:0\n", RB_DISC_IMAGE_ERROR_SYNTAX, 4},
	{"CD_DA\nTRACK AUDIO\nFILE \"a.cdr\" 0\nSTART 0:9:0\n", RB_DISC_IMAGE_ERROR_SYNTAX, 4},
	{"CD_DA\nTRACK AUDIO\nFILE \"a.cdr\" 0:0:80\n", RB_DISC_IMAGE_ERROR_SYNTAX, 3},
	{"CD_DA\nTRACK AUDIO\nFILE \"a.cdr 0\n", RB_DISC_IMAGE_ERROR_SYNTAX, 3},
	{"CD_DA\nTRACK MODE1\nFILE \"a.cdr\" 0\n", RB_DISC_IMAGE_ERROR_SYNTAX, 1},
	{"CD_ROM\nTRACK MODE1\nDATAFILE \"a.cdr\"\n" RB_T1 "ZERO 0:1:0\n",
	 RB_DISC_IMAGE_ERROR_SYNTAX,
	 6},
	{"CD_ROM_XA\nTRACK MODE2_FORM2\nDATAFILE \"a.cdr\"\n", RB_DISC_IMAGE_ERROR_UNSUPPORTED, 2},
	{"CD_DA\nTRACK AUDIO\nFIFO \"/tmp/f\" 100\n", RB_DISC_IMAGE_ERROR_UNSUPPORTED, 3},
	{"CD_DA\n", RB_DISC_IMAGE_ERROR_SYNTAX, 2},
	{"CD_DA\nTRACK AUDIO\nFILE \"x.mp3\" 0\n", RB_DISC_IMAGE_ERROR_UNSUPPORTED, 3},
};

START_TEST(test_toc_malformed)
{
	const RbBadToc *bad = &rb_bad_tocs[_i];
	RbSet *set = rb_set_new();
	g_autofree guint8 *a = g_malloc0(450 * S);
	g_autoptr(GError) error = NULL;
	g_autoptr(RbDiscImage) image = NULL;
	g_autofree gchar *where = NULL;

	g_free(rb_disc_test_write(set->dir, "a.cdr", a, 450 * S));
	rb_set_write_toc(set, bad->toc);
	image = rb_disc_image_open(set->toc_path, &error);
	ck_assert_msg(image == NULL, "accepted:\n%s", bad->toc);
	ck_assert_msg(error->code == bad->code,
		      "%s: code %d, not %d",
		      error->message,
		      error->code,
		      bad->code);
	where = g_strdup_printf("disc.toc line %u:", bad->line);
	ck_assert_msg(
		strstr(error->message, where) != NULL, "“%s” lacks “%s”", error->message, where);
	rb_set_free(set);
}
END_TEST

/* a 100th track: the file names its line */
START_TEST(test_toc_too_many_tracks)
{
	RbSet *set = rb_set_new();
	g_autofree guint8 *a = g_malloc0(300 * S);
	g_autoptr(GString) toc = g_string_new("CD_DA\n");
	g_autoptr(GError) error = NULL;
	g_autoptr(RbDiscImage) image = NULL;

	g_free(rb_disc_test_write(set->dir, "a.cdr", a, 300 * S));
	for (guint i = 0; i < 100; i++)
		g_string_append(toc, "TRACK AUDIO\nFILE \"a.cdr\" 0\n");
	rb_set_write_toc(set, toc->str);
	image = rb_disc_image_open(set->toc_path, &error);
	ck_assert(image == NULL);
	ck_assert_int_eq(error->code, RB_DISC_IMAGE_ERROR_INVALID);
	ck_assert_msg(strstr(error->message, "disc.toc line 200:") != NULL, "%s", error->message);
	rb_set_free(set);
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("disc-toc");
	TCase *tc = tcase_create("disc-toc");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_toc_audio_model);
	tcase_add_loop_test(tc, test_toc_layout_cdrdao, 0, G_N_ELEMENTS(rb_sets));
	tcase_add_loop_test(tc, test_toc_stream, 0, G_N_ELEMENTS(rb_sets));
	tcase_add_loop_test(tc, test_toc_cdrdao_oracle, 0, G_N_ELEMENTS(rb_sets));
	tcase_add_loop_test(tc, test_toc_malformed, 0, G_N_ELEMENTS(rb_bad_tocs));
	tcase_add_test(tc, test_toc_too_many_tracks);
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
