/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * cdrdao, which reads .cue files itself, as the oracle of the CUE reader
 * (client/image/rb-disc-cue*.c): it burns the same sheet in raw mode onto
 * the emulated drive and its disc is compared with rawburn's stream: the
 * main channel and the position frames from LBA -150 on, the MCN and ISRC
 * the Q code frames carry, and the CD-TEXT packs of the lead-in.
 */
#include "config.h"

#include <string.h>

#include "rb-cdtext.h"
#include "rb-disc-cue-test.h"
#include "rb-disc-image-private.h"
#include "rb-disc-oracle-test.h"
#include "rb-disc-test.h"
#include "rb-scramble.h"
#include "rb-test-service.h"

#define RB_TEST_SECTOR RB_DISC_TEST_EXPORT_SECTOR
#define RB_TEST_MAX_PRINTED 8

typedef struct {
	const gchar *name;
	/* the data set of rb_cue_test_data(), or -1: the audio set */
	gint data;
	/* NULL: the data set's own sheet */
	const gchar *sheet;
	/* the LBAs of audio from BINARY files: cdrdao reads them as big-endian
	 * samples (its raw audio files' order; toc2cue's .bin files are known
	 * to need swapping for other readers), CDRWIN's BINARY is little-endian
	 * ("Intel"): there cdrdao's disc has every sample's bytes swapped */
	gint32 swapped_from;
	gint32 swapped_to;
	/* the MCN and the ISRCs the sheet gives, by track number */
	const gchar *mcn;
	const gchar *isrc[3];
} RbTestOracle;

/*
 * cdrdao 1.2.4 places an INDEX 02 of a track that has an INDEX 00 by the
 * time from index 1 rather than from the file's start (show-toc: "INDEX 00
 * 00:00:00, INDEX 01 00:02:00, INDEX 02 00:05:00" gives index 2 at 00:07:00,
 * against CDRWIN's file times), and refuses one in the last track ("Index
 * beyond track end"): INDEX 02 is compared in a track whose index 1 is at
 * its file's start, where both readings agree.
 */
static const RbTestOracle rb_test_oracles[] = {
	{"audio: INDEX 00 in track 1, INDEX 02, PREGAP, POSTGAP, ISRC, FLAGS, CATALOG, "
	 "BINARY, MOTOROLA, WAVE",
	 -1,
	 "CATALOG 4006381333931\n"
	 "FILE \"disc.bin\" BINARY\n"
	 "  TRACK 01 AUDIO\n    ISRC USRC17607839\n    FLAGS DCP PRE\n"
	 "    INDEX 00 00:00:00\n    INDEX 01 00:02:00\n"
	 "  TRACK 02 AUDIO\n    ISRC DEA1B9912345\n    INDEX 00 00:08:00\n"
	 "    INDEX 01 00:10:00\n"
	 "FILE \"swapped.raw\" MOTOROLA\n"
	 "  TRACK 03 AUDIO\n    PREGAP 00:01:00\n    INDEX 01 00:00:00\n    INDEX 02 00:02:00\n"
	 "FILE \"tail.wav\" WAVE\n"
	 "  TRACK 04 AUDIO\n    INDEX 01 00:00:00\n    POSTGAP 00:02:00\n",
	 0,
	 RB_CUE_TEST_DISC_BIN_SECTORS,
	 "4006381333931",
	 {NULL, "USRC17607839", "DEA1B9912345"}},
	{"mixed mode: MODE1/2352 + audio", 1, NULL, 700, 1000, NULL, {NULL}},
	{"MODE2/2336: XA sectors, Form 1 and Form 2 in turn", 2, NULL, 0, 0, NULL, {NULL}},
	{"MODE2/2352: XA sectors as read, Form 1 and Form 2 in turn", 3, NULL, 0, 0, NULL, {NULL}},
};

static gboolean
rb_test_equal_swapped(const guint8 *a, const guint8 *b)
{
	for (guint i = 0; i < RB_CD_MAIN_SIZE; i += 2) {
		if (a[i] != b[i + 1] || a[i + 1] != b[i])
			return FALSE;
	}
	return TRUE;
}

static void
rb_test_oracle_set(RbCueTestSet *set, const RbTestOracle *desc)
{
	if (desc->data < 0) {
		rb_cue_test_audio_set(set, desc->sheet);
	} else {
		RbCueTestData data = *rb_cue_test_data((guint)desc->data);

		if (desc->sheet != NULL)
			data.sheet = desc->sheet;
		rb_cue_test_data_set(set, &data);
		set->data = rb_cue_test_data((guint)desc->data);
	}
}

/* the MCN and ISRCs both discs carry must be the sheet's */
static void
rb_test_assert_codes(const RbTestOracle *desc, GBytes *ours, GBytes *theirs)
{
	const gchar *isrc[RB_DISC_ORACLE_MAX_TRACKS + 1] = {NULL};

	for (guint t = 0; t < G_N_ELEMENTS(desc->isrc); t++)
		isrc[t] = desc->isrc[t];
	rb_disc_oracle_assert_codes(ours,
				    RB_IMAGE_FIRST_LBA,
				    theirs,
				    RB_DISC_TEST_LEADIN,
				    desc->mcn != NULL ? desc->mcn : "",
				    isrc,
				    desc->name);
}

START_TEST(test_cdrdao_oracle)
{
	const RbTestOracle *desc = &rb_test_oracles[_i];
	RbCueTestSet set;
	g_autoptr(RbDiscImage) image = NULL;
	g_autoptr(GBytes) theirs = NULL;
	g_autoptr(GBytes) ours = NULL;
	guint main_differ = 0;
	guint q_differ = 0;
	guint q_compared = 0;
	RbDiscOracleCodeFrames codes = {0, 0};
	guint swapped = 0;
	gint32 leadout = 0;
	gint32 end;

	rb_test_oracle_set(&set, desc);
	image = rb_cue_test_open(&set);
	ck_assert(
		rb_image_layout_get_leadout_start(rb_disc_image_get_layout(image), &leadout, NULL));
	ours = rb_disc_test_stream(image);
	theirs = rb_disc_test_cdrdao_burn(set.dir, "disc.cue");
	end = rb_disc_oracle_end(ours, RB_IMAGE_FIRST_LBA);
	ck_assert_msg(rb_disc_oracle_end(theirs, RB_DISC_TEST_LEADIN) == end,
		      "%s: cdrdao's disc ends at LBA %d, ours at %d",
		      desc->name,
		      rb_disc_oracle_end(theirs, RB_DISC_TEST_LEADIN),
		      end);
	/* from LBA -150: the lead-in's data sectors are addressed differently
	 * by design (test-image-oracle.c says how) */
	for (gint32 lba = -150; lba < end; lba++) {
		const guint8 *x = rb_disc_oracle_main(ours, RB_IMAGE_FIRST_LBA, lba);
		const guint8 *y = rb_disc_oracle_main(theirs, RB_DISC_TEST_LEADIN, lba);
		guint8 qx[RB_SUBQ_SIZE];
		guint8 qy[RB_SUBQ_SIZE];
		RbDiscOracleQ q;

		if (lba >= desc->swapped_from && lba < desc->swapped_to &&
		    rb_test_equal_swapped(x, y))
			swapped++;
		else if (memcmp(x, y, RB_CD_MAIN_SIZE) != 0 && main_differ++ < RB_TEST_MAX_PRINTED)
			g_print("%s: LBA %d main channel differs\n", desc->name, lba);
		q = rb_disc_oracle_compare_q(ours,
					     RB_IMAGE_FIRST_LBA,
					     theirs,
					     RB_DISC_TEST_LEADIN,
					     lba,
					     leadout,
					     &codes,
					     qx,
					     qy);
		if (q == RB_DISC_ORACLE_Q_CODE)
			continue;
		q_compared++;
		if (q == RB_DISC_ORACLE_Q_DIFFER && q_differ++ < RB_TEST_MAX_PRINTED)
			g_print("%s: LBA %d Q ours %02x %02x %02x %02x %02x %02x, cdrdao's %02x "
				"%02x %02x %02x %02x %02x\n",
				desc->name,
				lba,
				qx[0],
				qx[1],
				qx[2],
				qx[3],
				qx[4],
				qx[5],
				qy[0],
				qy[1],
				qy[2],
				qy[3],
				qy[4],
				qy[5]);
	}
	g_print("%s: main channel of %d sectors from LBA -150: %u differ; Q: %u of %u position "
		"frames equal; MCN/ISRC frames not compared: ours %u, cdrdao's %u\n",
		desc->name,
		end + 150,
		main_differ,
		q_compared - q_differ,
		q_compared,
		codes.ours,
		codes.theirs);
	if (desc->swapped_to > desc->swapped_from)
		g_print("%s: %u audio sectors of BINARY files equal with their samples' bytes "
			"swapped (cdrdao reads BINARY as big-endian)\n",
			desc->name,
			swapped);
	ck_assert_uint_eq(main_differ, 0);
	ck_assert_uint_eq(q_differ, 0);
	rb_disc_oracle_assert_code_frames(&codes, (guint)(end + 150), desc->name);
	rb_test_assert_codes(desc, ours, theirs);
	rb_cue_test_set_clear(&set);
}
END_TEST

/*
 * CD-TEXT: cdrdao 1.2.4 takes TITLE, PERFORMER and SONGWRITER from a sheet
 * (COMPOSER, ARRANGER, MESSAGE, DISC_ID, GENRE and UPC_EAN it refuses as
 * "Unknown command"), and writes no UPC/ISRC packs for a sheet's ISRCs,
 * which rawburn adds: so a sheet of these three keywords without ISRC, on
 * the disc and on every track. Where a track lacks a keyword the disc has,
 * cdrdao writes the disc's text for that track (seen with SONGWRITER), the
 * CUE reader nothing. And cdrdao copies a sheet's bytes into the packs as
 * they are: a UTF-8 sheet's "é" (C3h A9h) becomes "Ã©" in the ISO-8859-1
 * block, where the CUE reader takes valid UTF-8 as UTF-8 and writes E9h
 * (it reads other sheets as ISO-8859-1, where both agree). The first sheet
 * is ASCII with every keyword on every track: the packs must be the same
 * bytes; the second shows both differences, and only them.
 */
static const gchar *const rb_test_cdtext_sheets[] = {
	"TITLE \"Disc Title\"\nPERFORMER \"Disc Performer\"\nSONGWRITER \"Disc Writer\"\n"
	"FILE \"disc.bin\" BINARY\n"
	"  TRACK 01 AUDIO\n    TITLE \"One\"\n    PERFORMER \"Perf One\"\n"
	"    SONGWRITER \"Writer One\"\n    INDEX 01 00:00:00\n"
	"  TRACK 02 AUDIO\n    TITLE \"Two\"\n    PERFORMER \"Perf Two\"\n"
	"    SONGWRITER \"Writer Two\"\n    INDEX 01 00:08:00\n",
	"TITLE \"Disc Title\"\nPERFORMER \"Disc Performer\"\nSONGWRITER \"Disc Writer\"\n"
	"FILE \"disc.bin\" BINARY\n"
	"  TRACK 01 AUDIO\n    TITLE \"One\"\n    PERFORMER \"Perf One\"\n"
	"    SONGWRITER \"Writer One\"\n    INDEX 01 00:00:00\n"
	"  TRACK 02 AUDIO\n    TITLE \"Two \xC3\xA9\"\n    PERFORMER \"Perf Two\"\n"
	"    INDEX 01 00:08:00\n",
};

START_TEST(test_cdrdao_cdtext)
{
	RbCueTestSet set;
	g_autoptr(RbDiscImage) image = NULL;
	g_autoptr(GBytes) ours = NULL;
	g_autoptr(GBytes) theirs = NULL;
	g_autoptr(GBytes) our_packs = NULL;
	g_autoptr(GBytes) their_packs = NULL;
	g_autoptr(RbCdText) our_text = NULL;
	g_autoptr(RbCdText) their_text = NULL;
	g_autoptr(GError) error = NULL;
	gsize n_ours;
	gsize n_theirs;

	rb_cue_test_audio_set(&set, rb_test_cdtext_sheets[_i]);
	image = rb_cue_test_open(&set);
	ck_assert_ptr_nonnull(rb_disc_image_get_cdtext(image));
	ours = rb_disc_test_stream(image);
	theirs = rb_disc_test_cdrdao_burn(set.dir, "disc.cue");
	our_packs = rb_disc_oracle_leadin_packs(ours, RB_IMAGE_FIRST_LBA);
	their_packs = rb_disc_oracle_leadin_packs(theirs, RB_DISC_TEST_LEADIN);
	n_ours = g_bytes_get_size(our_packs) / RB_CDTEXT_PACK_SIZE;
	n_theirs = g_bytes_get_size(their_packs) / RB_CDTEXT_PACK_SIZE;
	ck_assert_uint_gt(n_ours, 0);
	ck_assert_uint_gt(n_theirs, 0);
	our_text = rb_disc_oracle_decode_text(our_packs);
	their_text = rb_disc_oracle_decode_text(their_packs);
	/* what the lead-in carries is what the sheet said */
	ck_assert(rb_cdtext_equal(our_text, rb_disc_image_get_cdtext(image)));
	g_print("CD-TEXT sheet %d: %zu packs ours, %zu cdrdao's; bytes %s\n",
		_i,
		n_ours,
		n_theirs,
		g_bytes_equal(our_packs, their_packs) ? "identical" : "differ");
	if (_i == 0) {
		ck_assert(rb_cdtext_equal(our_text, their_text));
		ck_assert(g_bytes_equal(our_packs, their_packs));
	} else {
		ck_assert_ptr_null(rb_cdtext_get_text(our_text, 0, RB_CDTEXT_SONGWRITER, 2));
		ck_assert_str_eq(rb_cdtext_get_text(their_text, 0, RB_CDTEXT_SONGWRITER, 2),
				 "Disc Writer");
		ck_assert_str_eq(rb_cdtext_get_text(our_text, 0, RB_CDTEXT_TITLE, 2),
				 "Two \xC3\xA9");
		ck_assert_str_eq(rb_cdtext_get_text(their_text, 0, RB_CDTEXT_TITLE, 2),
				 "Two \xC3\x83\xC2\xA9");
		ck_assert(!rb_cdtext_equal(our_text, their_text));
		/* with those two set as cdrdao has them, both say the same */
		ck_assert(rb_cdtext_set_text(
			our_text, 0, RB_CDTEXT_SONGWRITER, 2, "Disc Writer", &error));
		ck_assert(rb_cdtext_set_text(
			our_text, 0, RB_CDTEXT_TITLE, 2, "Two \xC3\x83\xC2\xA9", &error));
		ck_assert(rb_cdtext_equal(our_text, their_text));
	}
	rb_cue_test_set_clear(&set);
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("disc-cue-oracle");
	TCase *tc = tcase_create("cdrdao");

	tcase_set_timeout(tc, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_loop_test(tc, test_cdrdao_oracle, 0, G_N_ELEMENTS(rb_test_oracles));
	tcase_add_loop_test(tc, test_cdrdao_cdtext, 0, G_N_ELEMENTS(rb_test_cdtext_sheets));
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
