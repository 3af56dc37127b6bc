/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * cdrdao as the oracle of the TOC reader (client/image/rb-disc-toc*.c):
 * each sample set (rb-disc-toc-test.h) is read by rawburn and by `cdrdao
 * show-toc`, whose layouts must agree; then cdrdao burns the same TOC onto
 * the emulated drive and its disc must match rawburn's stream: the main
 * channel, the position frames, the MCN and ISRC, the CD-TEXT packs.
 */
#include "config.h"

#include <string.h>

#include "rb-cdtext.h"
#include "rb-disc-image-private.h"
#include "rb-disc-oracle-test.h"
#include "rb-disc-test.h"
#include "rb-disc-toc-test.h"
#include "rb-test-service.h"

#define S 2352

/* ---- the layout against cdrdao's reading ---- */

/* `cdrdao show-toc`: each track's START (index 1) LBA, its INDEX LBAs and
 * the END of the last track (the lead-out), all from LBA 0 */
START_TEST(test_toc_layout_cdrdao)
{
	RbTocTestSet *set = rb_toc_test_set_make((guint)_i);
	g_autoptr(RbDiscImage) image = rb_toc_test_set_open(set);
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
	rb_toc_test_set_free(set);
}
END_TEST

/* ---- cdrdao as the oracle ---- */

/* the MCN and ISRCs of both discs' code frames: the TOC's */
static void
rb_toc_assert_codes(RbDiscImage *image, GBytes *ours, GBytes *theirs)
{
	RbImageLayout *layout = rb_disc_image_get_layout(image);
	const gchar *mcn = rb_image_layout_get_mcn(layout);
	const gchar *isrc[RB_DISC_ORACLE_MAX_TRACKS + 1] = {NULL};

	/* by the track's number, which FIRST_TRACK_NO may start above 1 */
	for (guint i = 0; i < rb_image_layout_get_n_tracks(layout); i++) {
		const RbImageTrack *track = rb_image_layout_get_track(layout, i);

		if (track->isrc[0] != '\0')
			isrc[track->number] = track->isrc;
	}
	rb_disc_oracle_assert_codes(ours,
				    RB_IMAGE_FIRST_LBA,
				    theirs,
				    RB_DISC_TEST_LEADIN,
				    mcn != NULL ? mcn : "",
				    isrc,
				    "the TOC");
}

/* the lead-in's CD-TEXT packs of both discs: the same text, the same bytes */
static void
rb_toc_assert_cdtext(RbDiscImage *image, GBytes *ours, GBytes *theirs)
{
	g_autoptr(GBytes) our_packs = rb_disc_oracle_leadin_packs(ours, RB_IMAGE_FIRST_LBA);
	g_autoptr(GBytes) their_packs = rb_disc_oracle_leadin_packs(theirs, RB_DISC_TEST_LEADIN);
	g_autoptr(RbCdText) our_text = NULL;
	g_autoptr(RbCdText) their_text = NULL;

	if (rb_disc_image_get_cdtext(image) == NULL) {
		ck_assert_uint_eq(g_bytes_get_size(our_packs), 0);
		ck_assert_uint_eq(g_bytes_get_size(their_packs), 0);
		return;
	}
	our_text = rb_disc_oracle_decode_text(our_packs);
	their_text = rb_disc_oracle_decode_text(their_packs);
	ck_assert(rb_cdtext_equal(our_text, rb_disc_image_get_cdtext(image)));
	ck_assert(rb_cdtext_equal(our_text, their_text));
	ck_assert_uint_eq(rb_cdtext_get_n_blocks(their_text),
			  rb_cdtext_get_n_blocks(rb_disc_image_get_cdtext(image)));
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
 * explains it), so there each side's frame is counted (at most 2 in 90:
 * more fails), not compared; every frame's CRC must be good; the values
 * they carry must be the TOC's on both discs. The lead-in's CD-TEXT
 * packs (the audio set's two languages) must decode to the same text and
 * be the same bytes.
 */
START_TEST(test_toc_cdrdao_oracle)
{
	RbTocTestSet *set = rb_toc_test_set_make((guint)_i);
	g_autoptr(RbDiscImage) image = rb_toc_test_set_open(set);
	g_autoptr(GBytes) ours = NULL;
	g_autoptr(GBytes) theirs = NULL;
	gboolean audio_disc = TRUE;
	RbDiscOracleCodeFrames codes = {0, 0};
	guint main_compared = 0;
	gint32 leadout = 0;
	gint32 end;

	for (guint i = 0; i < rb_image_layout_get_n_tracks(rb_disc_image_get_layout(image)); i++)
		audio_disc &= rb_image_layout_get_track(rb_disc_image_get_layout(image), i)->type ==
			      RB_CD_SECTOR_AUDIO;
	ours = rb_disc_test_stream(image);
	ck_assert(
		rb_image_layout_get_leadout_start(rb_disc_image_get_layout(image), &leadout, NULL));
	theirs = rb_disc_test_cdrdao_burn(set->dir, "disc.toc");
	end = rb_disc_oracle_end(theirs, RB_DISC_TEST_LEADIN);
	ck_assert_int_eq(rb_disc_oracle_end(ours, RB_IMAGE_FIRST_LBA), end);
	for (gint32 lba = RB_DISC_TEST_LEADIN; lba < end; lba++) {
		guint8 qx[12];
		guint8 qy[12];
		RbDiscOracleQ q;

		if (lba >= -150 || audio_disc) {
			ck_assert_msg(memcmp(rb_disc_oracle_main(ours, RB_IMAGE_FIRST_LBA, lba),
					     rb_disc_oracle_main(theirs, RB_DISC_TEST_LEADIN, lba),
					     S) == 0,
				      "LBA %d: main channel differs",
				      lba);
			main_compared++;
		}
		if (lba < -150)
			continue;
		q = rb_disc_oracle_compare_q(ours,
					     RB_IMAGE_FIRST_LBA,
					     theirs,
					     RB_DISC_TEST_LEADIN,
					     lba,
					     leadout,
					     &codes,
					     qx,
					     qy);
		ck_assert_msg(q != RB_DISC_ORACLE_Q_DIFFER, "LBA %d: Q differs", lba);
	}
	rb_disc_oracle_assert_code_frames(&codes, (guint)(end + 150), "TOC disc");
	ck_assert_uint_ge(main_compared, set->expect->len + 6750);
	rb_toc_assert_codes(image, ours, theirs);
	rb_toc_assert_cdtext(image, ours, theirs);
	rb_toc_test_set_free(set);
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("disc-toc-oracle");
	TCase *tc = tcase_create("disc-toc-oracle");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_toc_layout_cdrdao, 0, rb_toc_test_n_sets());
	tcase_add_loop_test(tc, test_toc_cdrdao_oracle, 0, rb_toc_test_n_sets());
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
