/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Independent writers judged by the emulated recorder and judging it:
 * cdrdao and wodim burn through rawburn-vdrive-run (16-byte and 96-byte
 * raw modes, with MCN, ISRC, pauses and CD-TEXT), and the drive's report
 * must find nothing in what they wrote; what they burned, read back, also
 * passes the stream preflight.
 *
 * The binary puts itself under umockdev's preload first thing, as
 * test-umockdev-drive does; each test builds its own testbed.
 */
#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rb-stream-check.h"
#include "rb-subchannel.h"
#include "rb-test-service.h"
#include "rb-umockdev-test.h"

typedef struct {
	const gchar *program;
	const gchar *media;
	const gchar *args[12];
	guint data_block_type; /* what it writes with */
} RbTestBurner;

static const RbTestBurner rb_test_burners[] = {
	{"cdrdao",
	 "cd-r-80",
	 {"cdrdao",
	  "write",
	  "--device",
	  "/dev/sr0",
	  "--driver",
	  "generic-mmc-raw",
	  "-n",
	  "disc.toc",
	  NULL},
	 1},
	{"wodim",
	 "cd-rw-74",
	 {"wodim", "dev=/dev/sr0", "-raw96r", "-audio", "gracetime=2", "track.raw", NULL},
	 3},
	{"wodim",
	 "cd-r-74",
	 {"wodim", "dev=/dev/sr0", "-raw16", "-audio", "gracetime=2", "track.raw", NULL},
	 1},
};

/* in @dir: a 600-sector audio track as track.raw and disc.toc for cdrdao; a
 * 300-sector track2.raw and codes.toc for the judge's discs */
static void
rb_test_burner_inputs(const gchar *dir)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *toc = g_build_filename(dir, "disc.toc", NULL);
	g_autofree gchar *track = g_build_filename(dir, "track.raw", NULL);
	g_autofree gchar *track2 = g_build_filename(dir, "track2.raw", NULL);
	g_autofree gchar *codes = g_build_filename(dir, "codes.toc", NULL);
	g_autofree guint8 *audio = g_malloc(2352 * 600);

	for (guint i = 0; i < 2352 * 600; i++)
		audio[i] = (guint8)(i * 31 + i / 2352);
	ck_assert(g_file_set_contents(track, (const gchar *)audio, 2352 * 600, &error));
	ck_assert(
		g_file_set_contents(toc, "CD_DA\nTRACK AUDIO\nFILE \"track.raw\" 0\n", -1, &error));
	/* a 300-sector second track, and a disc with a 2 s pause before it, a
	 * MCN (EAN-13, check digit right), an ISRC per track and CD-TEXT */
	ck_assert(g_file_set_contents(track2, (const gchar *)audio, 2352 * 300, &error));
	ck_assert(g_file_set_contents(
		codes,
		"CD_DA\n"
		"CATALOG \"4006381333931\"\n"
		"CD_TEXT { LANGUAGE_MAP { 0 : EN }\n"
		"  LANGUAGE 0 { TITLE \"Judge\" PERFORMER \"Rawburn\" } }\n"
		"TRACK AUDIO\n"
		"ISRC \"DEXXX0012345\"\n"
		"CD_TEXT { LANGUAGE 0 { TITLE \"One\" PERFORMER \"Rawburn\" } }\n"
		"FILE \"track.raw\" 0\n"
		"TRACK AUDIO\n"
		"ISRC \"DEXXX0012346\"\n"
		"CD_TEXT { LANGUAGE 0 { TITLE \"Two\" PERFORMER \"Rawburn\" } }\n"
		"PREGAP 0:2:0\n"
		"FILE \"track2.raw\" 0\n",
		-1,
		&error));
}

static void
rb_test_burner_inputs_remove(const gchar *dir)
{
	const gchar *names[] = {"disc.toc", "track.raw", "disc.img", "track2.raw", "codes.toc"};

	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		g_autofree gchar *path = g_build_filename(dir, names[i], NULL);
		g_unlink(path);
	}
	g_rmdir(dir);
}

/* runs @burner under rawburn-vdrive-run --report in a directory holding
 * the inputs; returns what the tool printed on stderr */
static gchar *
rb_test_burn_with_report(const RbTestBurner *burner)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *dir = g_dir_make_tmp("rawburn-burner-XXXXXX", &error);
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_autofree gchar *program = g_find_program_in_path(burner->program);
	g_auto(GStrv) envp = g_get_environ();
	g_autofree gchar *out = NULL;
	gchar *err = NULL;
	g_autofree gchar *old_cwd = g_get_current_dir();
	gint wait_status;

	ck_assert_msg(
		program != NULL, "%s is missing: install it (.ci/build does)", burner->program);
	rb_test_burner_inputs(dir);
	g_ptr_array_add(argv, (gpointer)rb_test_tool_path());
	g_ptr_array_add(argv, (gpointer) "--report");
	g_ptr_array_add(argv, (gpointer) "--speed=52");
	/* no real-time pacing: the checks are of what is written, not when */
	g_ptr_array_add(argv, (gpointer) "--fast");
	g_ptr_array_add(argv, (gpointer) "--media");
	g_ptr_array_add(argv, (gpointer)burner->media);
	for (guint i = 0; burner->args[i] != NULL; i++)
		g_ptr_array_add(argv, (gpointer)burner->args[i]);
	g_ptr_array_add(argv, NULL);
	envp = g_environ_unsetenv(envp, "LD_PRELOAD");
	envp = g_environ_unsetenv(envp, "UMOCKDEV_DIR");

	ck_assert_int_eq(chdir(dir), 0);
	wait_status = rb_test_spawn((const gchar **)argv->pdata, envp, &out, &err);
	ck_assert_int_eq(chdir(old_cwd), 0);
	ck_assert_msg(WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0, "%s%s", out, err);
	rb_test_burner_inputs_remove(dir);
	return err;
}

/* the judge's lines of the report: nothing found, whatever the writer's conventions */
static void
rb_test_assert_judge_clean(const gchar *err)
{
	ck_assert_msg(
		strstr(err,
		       "bad Q CRCs 0, address mismatches 0, TOC mismatches 0, TOC entries not "
		       "repeated 3 times 0") != NULL,
		"%s",
		err);
	ck_assert_msg(strstr(err,
			     "relative time mismatches 0, sequence errors 0, P mismatches 0 "
			     "(mixed 0, lead-in 0, pause 0, track 0, lead-out 0)") != NULL,
		      "%s",
		      err);
	ck_assert_msg(strstr(err, "MCN/ISRC errors 0,") != NULL, "%s", err);
	ck_assert_msg(strstr(err, "CD-TEXT CRC errors 0") != NULL, "%s", err);
	ck_assert_msg(strstr(err, "problem at") == NULL, "%s", err);
}

/* the number the report prints after @label */
static guint
rb_test_report_number(const gchar *err, const gchar *label)
{
	const gchar *at = strstr(err, label);

	ck_assert_msg(at != NULL, "no \"%s\" in %s", label, err);
	return (guint)g_ascii_strtoull(at + strlen(label), NULL, 10);
}

START_TEST(test_tool_third_party_burners)
{
	g_autofree gchar *err = rb_test_burn_with_report(&rb_test_burners[_i]);

	/* 150 pregap and 600 track sectors */
	ck_assert_msg(strstr(err, "750 program, 6750 lead-out (from LBA 600); 1 tracks") != NULL,
		      "%s",
		      err);
	ck_assert_msg(strstr(err, "disc complete") != NULL, "%s", err);
	rb_test_assert_judge_clean(err);
	ck_assert_uint_eq(rb_test_report_number(err, "MCN/ISRC frames "), 0);
	ck_assert_uint_eq(rb_test_report_number(err, "CD-TEXT packs "), 0);
}
END_TEST

/*
 * Discs that exercise the judge: two tracks with a pause between, MCN and
 * ISRC frames, and with cdrdao CD-TEXT in the lead-in (cdrdao then writes
 * block type 3). Each writer places these its own way (mmc-notes "10.
 * Measured"; rb-vdrive-judge-q.c): none of it may count as a finding.
 */
typedef struct {
	RbTestBurner burner;
	gboolean cdtext;
} RbTestJudgeBurner;

static const RbTestJudgeBurner rb_test_judge_burners[] = {
	{{"cdrdao",
	  "cd-r-80",
	  {"cdrdao",
	   "write",
	   "--device",
	   "/dev/sr0",
	   "--driver",
	   "generic-mmc-raw",
	   "-n",
	   "codes.toc",
	   NULL},
	  3},
	 TRUE},
	{{"wodim",
	  "cd-rw-74",
	  {"wodim",
	   "dev=/dev/sr0",
	   "-raw96r",
	   "-audio",
	   "gracetime=2",
	   "mcn=4006381333931",
	   "isrc=DEXXX0012345",
	   "track.raw",
	   "isrc=DEXXX0012346",
	   "track2.raw",
	   NULL},
	  3},
	 FALSE},
	{{"wodim",
	  "cd-r-74",
	  {"wodim",
	   "dev=/dev/sr0",
	   "-raw16",
	   "-audio",
	   "gracetime=2",
	   "mcn=4006381333931",
	   "isrc=DEXXX0012345",
	   "track.raw",
	   "isrc=DEXXX0012346",
	   "track2.raw",
	   NULL},
	  1},
	 FALSE},
};

START_TEST(test_tool_third_party_judge)
{
	const RbTestJudgeBurner *row = &rb_test_judge_burners[_i];
	g_autofree gchar *err = rb_test_burn_with_report(&row->burner);

	ck_assert_msg(
		strstr(err, "; 2 tracks, 5 lead-in TOC entries; disc complete") != NULL, "%s", err);
	rb_test_assert_judge_clean(err);
	ck_assert_uint_gt(rb_test_report_number(err, "MCN/ISRC frames "), 0);
	if (row->cdtext)
		ck_assert_uint_gt(rb_test_report_number(err, "CD-TEXT packs "), 0);
	else
		ck_assert_uint_eq(rb_test_report_number(err, "CD-TEXT packs "), 0);
}
END_TEST

/*
 * The stream preflight checker judged by independent writers rather than
 * by our own generator: what each of them burned, read back from the
 * drive, passes it. 16-byte burns are checked as 16-byte streams. The drive
 * regenerates a 16-byte Q CRC, as real drives do, and counts the plain ones
 * it met: where it met only plain ones (cdrdao), the stream is checked with
 * plain CRCs again, as the writer sent it.
 */
START_TEST(test_third_party_burns_pass_preflight)
{
	const RbTestBurner *burner = &rb_test_burners[_i];
	g_autofree gchar *spec = g_strdup_printf("media=%s,speed=52,realtime=false", burner->media);
	g_autoptr(RbUmockdevDrive) drive = rb_test_drive_new(spec);
	RbVdrive *vdrive = rb_umockdev_drive_get_vdrive(drive);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *dir = g_dir_make_tmp("rawburn-preflight-XXXXXX", &error);
	g_autofree gchar *image = g_build_filename(dir, "disc.img", NULL);
	g_autofree gchar *program = g_find_program_in_path(burner->program);
	g_autofree gchar *old_cwd = g_get_current_dir();
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_auto(GStrv) envp = g_get_environ();
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *data = NULL;
	gsize length = 0;
	gint32 leadin_start = rb_vdrive_get_leadin_start(vdrive);
	g_autoptr(RbStreamCheck) check = rb_stream_check_new(
		burner->data_block_type, leadin_start, rb_vdrive_get_last_leadout_start(vdrive));
	guint8 sector[2448];
	guint n_sectors;
	guint plain_crcs = 0;
	gboolean sent_plain;
	RbVdriveReport report;
	guint8 first_q[RB_SUBQ_SIZE];
	RbMsf leadin_msf;
	gint wait_status;
	gint fd;

	ck_assert_msg(
		program != NULL, "%s is missing: install it (.ci/build does)", burner->program);
	rb_test_burner_inputs(dir);
	g_ptr_array_add(argv, program);
	for (guint i = 1; burner->args[i] != NULL; i++)
		g_ptr_array_add(argv, (gpointer)burner->args[i]);
	g_ptr_array_add(argv, NULL);

	/* the writer inherits LD_PRELOAD and $UMOCKDEV_DIR; this process answers */
	ck_assert_int_eq(chdir(dir), 0);
	wait_status = rb_test_spawn((const gchar **)argv->pdata, envp, &out, &err);
	ck_assert_int_eq(chdir(old_cwd), 0);
	ck_assert_msg(WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0, "%s%s", out, err);

	fd = open(image, O_RDWR | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_msg(rb_vdrive_export_image(vdrive, fd, &error), "%s", error->message);
	close(fd);
	ck_assert(g_file_get_contents(image, &data, &length, &error));
	ck_assert_uint_eq(length % 2448, 0);
	n_sectors = (guint)(length / 2448);
	/* the whole disc from its lead-in: lead-in, 750 program and 6750 lead-out */
	ck_assert_uint_eq(n_sectors, (guint)(-150 - leadin_start) + 750 + 6750);
	rb_vdrive_get_report(vdrive, &report);
	sent_plain = report.plain_q_crc == n_sectors;

	for (guint i = 0; i < n_sectors; i++) {
		const guint8 *pw = (const guint8 *)data + (gsize)i * 2448;

		memcpy(sector, pw, RB_CD_MAIN_SIZE);
		if (burner->data_block_type == RB_DATA_BLOCK_TYPE_RAW_PQ) {
			guint8 q[RB_SUBQ_SIZE];

			rb_subchannel_pw_get_q(pw + RB_CD_MAIN_SIZE, q);
			/* recorded with the Red Book CRC whatever was sent */
			ck_assert(rb_subq_check_crc(q));
			if (sent_plain) {
				q[10] ^= 0xFF;
				q[11] ^= 0xFF;
			}
			rb_subchannel_pq_build(q,
					       rb_subchannel_pw_get_p(pw + RB_CD_MAIN_SIZE),
					       sector + RB_CD_MAIN_SIZE);
			if (!rb_subq_check_crc(q) && rb_subq_check_crc_uninverted(q))
				plain_crcs++;
		} else {
			memcpy(sector + RB_CD_MAIN_SIZE,
			       pw + RB_CD_MAIN_SIZE,
			       RB_SUBCHANNEL_PW_SIZE);
		}
		ck_assert_msg(rb_stream_check_sectors(check, sector, 1, &error),
			      "%s, data block type %u: %s",
			      burner->program,
			      burner->data_block_type,
			      error->message);
	}
	ck_assert_msg(rb_stream_check_finish(check, &error), "%s", error->message);
	ck_assert_int_eq(rb_stream_check_get_next_lba(check), leadin_start + (gint32)n_sectors);
	/* the writers' conventions differ (mmc-notes "10. Measured") and each
	 * reached the checker: cdrdao's plain 16-byte CRC and lead-in running
	 * time from 00:00:00, wodim's inverted CRC and absolute lead-in time */
	rb_subchannel_pw_get_q((const guint8 *)data + RB_CD_MAIN_SIZE, first_q);
	ck_assert(rb_msf_from_lba(leadin_start, &leadin_msf));
	if (g_strcmp0(burner->program, "cdrdao") == 0) {
		ck_assert(sent_plain);
		ck_assert_uint_eq(plain_crcs, n_sectors);
		ck_assert_uint_eq(first_q[3] | first_q[4] | first_q[5], 0);
	} else {
		/* only 16-byte rows count plain CRCs (see the loop); in a 96-byte
		 * row the checker itself refuses a plain one */
		ck_assert_uint_eq(report.plain_q_crc, 0);
		if (burner->data_block_type == RB_DATA_BLOCK_TYPE_RAW_PQ)
			ck_assert_uint_eq(plain_crcs, 0);
		ck_assert_uint_eq(first_q[3],
				  (leadin_msf.minute / 10) << 4 | leadin_msf.minute % 10);
		ck_assert_uint_eq(first_q[4],
				  (leadin_msf.second / 10) << 4 | leadin_msf.second % 10);
		ck_assert_uint_eq(first_q[5], (leadin_msf.frame / 10) << 4 | leadin_msf.frame % 10);
	}
	rb_test_burner_inputs_remove(dir);
}
END_TEST

int
main(int argc, char **argv)
{
	Suite *suite;
	TCase *tc;

	rb_umockdev_drive_ensure_preload_or_exit(argv);
	suite = suite_create("third-party-burners");
	tc = tcase_create("third-party-burners");
	tcase_set_timeout(tc, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_loop_test(tc, test_tool_third_party_burners, 0, G_N_ELEMENTS(rb_test_burners));
	tcase_add_loop_test(
		tc, test_tool_third_party_judge, 0, G_N_ELEMENTS(rb_test_judge_burners));
	tcase_add_loop_test(
		tc, test_third_party_burns_pass_preflight, 0, G_N_ELEMENTS(rb_test_burners));
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
