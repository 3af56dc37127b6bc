/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * NRG and CloneCD images burned end to end: rawburnctl burns each onto a
 * virtual recorder of the service on a private bus; the drive's
 * ValidationReport must be clean, and the exported disc is read back under
 * the emulated drive by libcdio's cd-info (the TOC, the CD-TEXT from READ
 * TOC format 0101b) and cd-read (the audio), compared with what the test
 * put into the image. The data sectors and, for CloneCD, the sub-channel
 * are compared on the exported disc itself, as a drive's READ CD would
 * give them (data descrambled, raw P-W): a copy of a disc without copy
 * protection must come out exact, R-W included; a CloneCD dump's
 * unreadable Q is burned repaired, not as it is (which would stop the burn).
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "rb-cd-sector.h"
#include "rb-disc-test-formats.h"
#include "rb-disc-test.h"
#include "rb-subchannel.h"
#include "rb-test-client.h"

#define RB_VIRTUAL0 "/org/rawburn/RawBurn1/recorders/virtual0"
#define RB_MAIN 2352
#define RB_PW 96

static const gchar *const rb_fast_cd_r[] = {
	"--virtual-recorder", "media=cd-r-80,realtime=false", NULL};

/*
 * "rawburnctl burn virtual0 @image", the recorder's report clean and
 * complete with @n_tracks tracks, then "export": the disc, 2352 + 96 bytes
 * per sector from the lead-in, its path in *@path, and the burn's stderr
 * (the image's notes) in *@warnings unless NULL
 */
static GBytes *
rb_burn_and_export(
	RbTestService *service, const gchar *image, guint n_tracks, gchar **path, gchar **warnings)
{
	g_autoptr(GError) error = NULL;
	gchar *data = NULL;
	gsize len = 0;

	*path = rb_disc_test_burn_and_export(service, image, n_tracks, warnings);
	ck_assert_msg(g_file_get_contents(*path, &data, &len, &error),
		      "%s",
		      error != NULL ? error->message : "");
	return g_bytes_new_take(data, len);
}

/* cd-read's audio: @n sectors from @first, each as @sector_of gives it */
static void
rb_assert_audio(GBytes *pcm, gint32 first, guint32 n, void (*sector_of)(gint32, guint8 *))
{
	const guint8 *data = g_bytes_get_data(pcm, NULL);

	for (guint32 i = 0; i < n; i++) {
		guint8 want[RB_MAIN];

		sector_of(first + (gint32)i, want);
		ck_assert_msg(memcmp(data + (gsize)i * RB_MAIN, want, RB_MAIN) == 0,
			      "audio read back at LBA %d differs from the image's",
			      first + (gint32)i);
	}
}

/* ---- NRG ---- */

/* a Mode 2 track of 2336-byte XA sectors (Form 1 and Form 2), then audio */
static const RbDiscTestNrgTrack rb_nrg_tracks[] = {
	{0x03, 2336, 150, 300, NULL, 0x4, 0},
	{0x07, 2352, 150, 320, "USRC17607839", 0x0, 0},
};

static void
rb_nrg_audio_sector(gint32 lba, guint8 *out)
{
	rb_disc_test_nrg_sector(0x07, lba, out);
}

START_TEST(test_burn_nrg)
{
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	RbDiscTestNrg w = {.v2 = TRUE, .tracks = rb_nrg_tracks, .n_tracks = 2, .cdtext = TRUE};
	g_autofree gchar *nrg = rb_disc_test_write_nrg(service->tmpdir, "disc.nrg", &w);
	const RbDiscTestDisc expected = {
		.n_tracks = 2,
		.starts = {0, 450},
		.formats = {"data", "audio"},
		.leadout = 770,
		.titles = {"Chunky Disc", "Song 1", "Song 2"},
		.performers = {"The Nero", "Singer 1", "Singer 2"},
		/* track 2 with its pregap, audio in the image */
		.audio_start = 300,
		.audio_sectors = 470,
	};
	g_autofree gchar *path = NULL;
	g_autoptr(GBytes) disc = NULL;
	g_autoptr(GBytes) pcm = NULL;

	rb_test_service_start_daemon(service, rb_fast_cd_r);
	disc = rb_burn_and_export(service, nrg, 2, &path, NULL);
	pcm = rb_disc_test_read_back_disc(service->tmpdir, path, &expected);
	rb_assert_audio(pcm, expected.audio_start, expected.audio_sectors, rb_nrg_audio_sector);
	/* the data track from its pregap on: each XA sector whole, its
	 * sub-header and form kept, EDC and ECC where its form has them */
	for (gint32 lba = -150; lba < 300; lba++) {
		guint8 got[RB_MAIN + RB_PW];
		guint8 want[RB_MAIN];

		rb_disc_test_export_sector(disc, lba, got);
		rb_disc_test_nrg_sector(0x03, lba, want);
		ck_assert_msg(memcmp(got, want, RB_MAIN) == 0, "data sector at LBA %d", lba);
	}
	rb_test_service_stop_daemon(service);
}
END_TEST

/* ---- CloneCD ---- */

/*
 * A CloneCD set burned and read back: the .img's sectors and the .sub's
 * P-W, except where its Q was unreadable (@o->bad_crc_lba): there the Q is
 * the .sub's own with its CRC right (what the layout generates), P and R-W
 * the .sub's; the burn's warnings in *@warnings
 */
static void
rb_burn_clonecd(const RbDiscTestCcdOptions *o, gchar **warnings)
{
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(RbDiscTestCcd) set = rb_disc_test_ccd_new(o);
	const RbDiscTestDisc expected = {
		.n_tracks = 2,
		.starts = {0, RB_DISC_TEST_CCD_T1_SECTORS + RB_DISC_TEST_CCD_T2_PREGAP},
		.formats = {"data", "audio"},
		.leadout = RB_DISC_TEST_CCD_LEADOUT,
		.titles = {"Clone Disc", "Clone Data", "Clone Song"},
		.performers = {"Clone Artist", "Data Artist", "Song Artist"},
		.audio_start = RB_DISC_TEST_CCD_T1_SECTORS,
		.audio_sectors = RB_DISC_TEST_CCD_T2_PREGAP + RB_DISC_TEST_CCD_T2_SECTORS,
	};
	g_autofree gchar *path = NULL;
	g_autoptr(GBytes) disc = NULL;
	g_autoptr(GBytes) pcm = NULL;
	guint rw_nonzero = 0;

	rb_test_service_start_daemon(service, rb_fast_cd_r);
	disc = rb_burn_and_export(service, set->ccd, 2, &path, warnings);
	pcm = rb_disc_test_read_back_disc(service->tmpdir, path, &expected);
	rb_assert_audio(pcm, expected.audio_start, expected.audio_sectors, rb_disc_test_ccd_sector);
	/* the .img's sectors and the .sub's P-W, LBA 0 to the lead-out */
	for (gint32 lba = 0; lba < RB_DISC_TEST_CCD_LEADOUT; lba++) {
		guint8 got[RB_MAIN + RB_PW];
		guint8 want[RB_MAIN];
		const guint8 *pw = set->symbols + (gsize)lba * RB_PW;

		rb_disc_test_export_sector(disc, lba, got);
		rb_disc_test_ccd_sector(lba, want);
		ck_assert_msg(memcmp(got, want, RB_MAIN) == 0, "main channel at LBA %d", lba);
		if (o->bad_crc_lba > 0 && lba == o->bad_crc_lba) {
			guint8 q_got[RB_SUBQ_SIZE];
			guint8 q_want[RB_SUBQ_SIZE];

			rb_subchannel_pw_get_q(got + RB_MAIN, q_got);
			rb_subchannel_pw_get_q(pw, q_want);
			ck_assert(!rb_subq_check_crc(q_want));
			rb_subq_set_crc(q_want);
			ck_assert_msg(memcmp(q_got, q_want, RB_SUBQ_SIZE) == 0, "Q at LBA %d", lba);
			/* P is bit 7 of each symbol, Q bit 6, R-W bits 5-0 */
			for (guint k = 0; k < RB_PW; k++)
				ck_assert_msg((got[RB_MAIN + k] & 0xBF) == (pw[k] & 0xBF),
					      "P or R-W at LBA %d",
					      lba);
		} else {
			ck_assert_msg(memcmp(got + RB_MAIN, pw, RB_PW) == 0, "P-W at LBA %d", lba);
		}
		for (guint k = 0; k < RB_PW; k++)
			rw_nonzero += (pw[k] & 0x3F) != 0 ? 1 : 0;
	}
	/* the R-W compared were the .sub's pattern, not a blank the drive
	 * would have written anyway */
	ck_assert_uint_gt(rw_nonzero, RB_DISC_TEST_CCD_LEADOUT * RB_PW / 2);
	rb_test_service_stop_daemon(service);
}

START_TEST(test_burn_clonecd)
{
	RbDiscTestCcdOptions o = {.sessions = 1, .bad_q_lba = -1};

	rb_burn_clonecd(&o, NULL);
}
END_TEST

/*
 * A dump with one unreadable Q (a flipped CRC at LBA 500): the service's
 * stream check would stop the burn there; the reader repairs it, so the
 * burn completes with a clean report (no bad Q CRC on the disc), and says so
 */
START_TEST(test_burn_clonecd_repaired_q)
{
	RbDiscTestCcdOptions o = {.sessions = 1, .bad_q_lba = -1, .bad_crc_lba = 500};
	g_autofree gchar *warnings = NULL;

	rb_burn_clonecd(&o, &warnings);
	ck_assert_msg(warnings != NULL && strstr(warnings, "1 sector of the .sub") != NULL &&
			      strstr(warnings, "LibCrypt") != NULL,
		      "%s",
		      warnings != NULL ? warnings : "");
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("disc-burn-formats");
	TCase *tc = tcase_create("disc-burn-formats");

	tcase_set_timeout(tc, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_test(tc, test_burn_nrg);
	tcase_add_test(tc, test_burn_clonecd);
	tcase_add_test(tc, test_burn_clonecd_repaired_q);
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
