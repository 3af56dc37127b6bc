/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Image files burned end to end: rawburnctl burns WAV files, a CUE sheet
 * and a cdrdao TOC with CD-TEXT onto a virtual recorder of the service on
 * a private bus; the drive's ValidationReport must be clean, and the
 * exported disc is read back under the emulated drive by libcdio's cd-info
 * (the TOC, the CD-TEXT from READ TOC format 0101b) and cd-read (the
 * audio), compared with what the test put into the files. "show --json" is
 * parsed by python3, "image -o" must equal what was burned, every refusal
 * leaves the recorder untouched (no lock was ever taken: no
 * ExclusiveAccessOwner change on the bus), and an image that fails
 * mid-burn cancels the write through the service. NRG and CloneCD images
 * are burned in test-disc-burn-formats.c.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "rb-disc-test.h"
#include "rb-test-client.h"

#define RB_VIRTUAL0 "/org/rawburn/RawBurn1/recorders/virtual0"
#define RB_VIRTUAL1 "/org/rawburn/RawBurn1/recorders/virtual1"
/* cd-r-80's lead-in start (ATIP): the exported disc starts there */
#define RB_CD_R_80_LEADIN (-11634)
/* where the streams of image files start, 95:00:00 */
#define RB_STREAM_FIRST_LBA (-22650)
#define RB_SECTOR 2448
#define RB_MAIN 2352
#define RB_PAUSE 150
#define RB_LEADOUT_SECTORS 6750

static const gchar *const rb_fast_cd_r[] = {
	"--virtual-recorder", "media=cd-r-80,realtime=false", NULL};

/* ---- helpers ---- */

static gchar *
rb_path(RbTestService *service, const gchar *name)
{
	return g_build_filename(service->tmpdir, name, NULL);
}

/* rawburnctl with @args (NULL-terminated), which must exit with @status;
 * returns its standard error, *@out its standard output */
static gchar *
rb_ctl(RbTestService *service, gint status, gchar **out, const gchar *const *args)
{
	g_autofree gchar *stdout_text = NULL;
	gchar *err = NULL;
	gint got = rb_test_run_rawburnctl(service, args, &stdout_text, &err);

	ck_assert_msg(got == status,
		      "rawburnctl %s…: exit %d, not %d: %s%s",
		      args[0],
		      got,
		      status,
		      stdout_text,
		      err);
	if (out != NULL)
		*out = g_steal_pointer(&stdout_text);
	return err;
}

/* a strv of @first, @second, then @more */
static gchar **
rb_args(const gchar *const *first, const gchar *const *more)
{
	g_autoptr(GStrvBuilder) builder = g_strv_builder_new();

	g_strv_builder_addv(builder, (const gchar **)first);
	if (more != NULL)
		g_strv_builder_addv(builder, (const gchar **)more);
	return g_strv_builder_end(builder);
}

static void
rb_assert_contains(const gchar *haystack, const gchar *needle)
{
	ck_assert_msg(strstr(haystack, needle) != NULL, "“%s” not in:\n%s", needle, haystack);
}

/* every lock taken on a recorder shows on the bus as its ExclusiveAccessOwner */
typedef struct {
	guint n_locks;
	gchar *owner;
} RbLockWatch;

static void
rb_on_properties_changed(GDBusConnection *connection,
			 const gchar *sender,
			 const gchar *path,
			 const gchar *interface,
			 const gchar *signal,
			 GVariant *parameters,
			 gpointer user_data)
{
	RbLockWatch *watch = user_data;
	g_autoptr(GVariant) changed = g_variant_get_child_value(parameters, 1);
	const gchar *owner = NULL;

	if (g_variant_lookup(changed, "ExclusiveAccessOwner", "&s", &owner) && owner[0] != '\0') {
		watch->n_locks++;
		g_free(watch->owner);
		watch->owner = g_strdup(owner);
	}
}

static guint
rb_lock_watch_start(RbTestService *service, RbLockWatch *watch)
{
	return g_dbus_connection_signal_subscribe(service->connection,
						  NULL,
						  "org.freedesktop.DBus.Properties",
						  "PropertiesChanged",
						  NULL,
						  RB_TEST_RECORDER,
						  G_DBUS_SIGNAL_FLAGS_NONE,
						  rb_on_properties_changed,
						  watch,
						  NULL);
}

/* the signals the service sent before answering a call are all handled */
static void
rb_lock_watch_flush(RbTestService *service)
{
	g_autoptr(GVariant) value = rb_test_get_property(
		service->connection, RB_VIRTUAL0, RB_TEST_RECORDER, "ExclusiveAccessOwner");

	while (g_main_context_iteration(NULL, FALSE))
		;
}

/* the recorder was never written: the report counts nothing, the disc is blank */
static void
rb_assert_untouched(RbTestService *service, const gchar *path)
{
	g_autoptr(GVariant) report = rb_test_get_property(
		service->connection, path, RB_TEST_VIRTUAL, "ValidationReport");
	g_autoptr(GVariant) blank = rb_test_get_property(
		service->connection, path, RB_TEST_FORMAT, "MediaPhysicallyBlank");
	guint64 written = 0;

	if (g_variant_lookup(report, "SectorsWritten", "t", &written))
		ck_assert_uint_eq(written, 0);
	ck_assert(g_variant_get_boolean(blank));
}

/* ---- what a disc must read back as ---- */

/* the recorder's report is clean and complete with the expected tracks;
 * the exported disc equals the stream "image -o" wrote from the lead-in on */
static gchar *
rb_assert_burned(RbTestService *service, const RbDiscTestExpected *expected, const gchar *stream)
{
	g_autoptr(GVariant) report = rb_test_get_property(
		service->connection, RB_VIRTUAL0, RB_TEST_VIRTUAL, "ValidationReport");
	gchar *disc = rb_path(service, "disc.img");
	const gchar *const export_args[] = {"export", "virtual0", disc, NULL};
	g_autofree gchar *err = rb_ctl(service, 0, NULL, export_args);
	g_autoptr(GMappedFile) image = g_mapped_file_new(stream, FALSE, NULL);
	g_autoptr(GMappedFile) burned = g_mapped_file_new(disc, FALSE, NULL);
	gsize skip = (gsize)(RB_CD_R_80_LEADIN - RB_STREAM_FIRST_LBA) * RB_SECTOR;
	gboolean complete = FALSE;

	rb_test_assert_report_clean(report);
	ck_assert(g_variant_lookup(report, "Complete", "b", &complete) && complete);
	ck_assert_uint_eq(rb_test_report_number(report, "Tracks"), expected->n_tracks);
	ck_assert(image != NULL && burned != NULL);
	ck_assert_uint_eq(g_mapped_file_get_length(image),
			  (gsize)(expected->leadout + RB_LEADOUT_SECTORS - RB_STREAM_FIRST_LBA) *
				  RB_SECTOR);
	ck_assert_uint_eq(g_mapped_file_get_length(burned), g_mapped_file_get_length(image) - skip);
	ck_assert(memcmp(g_mapped_file_get_contents(burned),
			 g_mapped_file_get_contents(image) + skip,
			 g_mapped_file_get_length(burned)) == 0);
	return disc;
}

/* "image -o" with @args, then "burn" with the same, checked end to end */
static void
rb_burn_and_check(RbTestService *service,
		  const gchar *const *args,
		  const RbDiscTestExpected *expected)
{
	g_autofree gchar *stream = rb_path(service, "stream.raw");
	const gchar *const image_head[] = {"image", "-o", stream, NULL};
	const gchar *const burn_head[] = {"burn", "virtual0", NULL};
	g_auto(GStrv) image_args = rb_args(image_head, args);
	g_auto(GStrv) burn_args = rb_args(burn_head, args);
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *err_image = NULL;
	g_autofree gchar *disc = NULL;
	RbLockWatch watch = {0};
	guint watch_id = rb_lock_watch_start(service, &watch);

	err_image = rb_ctl(service, 0, NULL, (const gchar *const *)image_args);
	err = rb_ctl(service, 0, &out, (const gchar *const *)burn_args);
	ck_assert_msg(g_str_has_suffix(out, "Burn complete.\n"), "%s", out);
	rb_lock_watch_flush(service);
	ck_assert_uint_eq(watch.n_locks, 1);
	ck_assert_str_eq(watch.owner, "rawburnctl");
	disc = rb_assert_burned(service, expected, stream);
	rb_disc_test_assert_read_back(service->tmpdir, disc, expected);
	rb_test_signal_unsubscribe(service->connection, watch_id);
	g_free(watch.owner);
}

/* ---- the tests ---- */

/* the CD-TEXT options, for two tracks */
static const gchar *const rb_wav_cdtext[] = {"--title",
					     "Disc Title",
					     "--performer",
					     "Disc Performer",
					     "--track-title",
					     "1=First Song",
					     "--track-performer",
					     "1=Singer One",
					     "--track-title",
					     "2=Second Song",
					     "--track-performer",
					     "2=Singer Two",
					     NULL};

/* two WAV files (the first's samples end inside a sector) and CD-TEXT from
 * the options: show, image, burn, report, cd-info, cd-read */
START_TEST(test_burn_wav_files)
{
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autofree gchar *a = rb_path(service, "a.wav");
	g_autofree gchar *b = rb_path(service, "b.wav");
	const gsize len_a = 300 * RB_MAIN + 1000;
	const gsize len_b = 330 * RB_MAIN;
	const gchar *files[] = {a, b, NULL};
	const gchar *const show_head[] = {"--json", "show", NULL};
	g_auto(GStrv) with_text = rb_args(files, rb_wav_cdtext);
	g_auto(GStrv) show_args = rb_args(show_head, (const gchar *const *)with_text);
	g_auto(RbDiscTestExpected) expected = {
		.n_tracks = 2,
		.titles = {"Disc Title", "First Song", "Second Song"},
		.performers = {"Disc Performer", "Singer One", "Singer Two"},
	};
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *summary = NULL;
	g_autofree gchar *wanted = NULL;

	rb_disc_test_write_wav(a, len_a, 1);
	rb_disc_test_write_wav(b, len_b, 2);
	/* every WAV track has a 2-second pause; the first track's samples are
	 * padded with silence to a whole sector */
	expected.starts[0] = 0;
	expected.starts[1] = (gint32)((len_a + RB_MAIN - 1) / RB_MAIN) + RB_PAUSE;
	expected.leadout = expected.starts[1] + (gint32)(len_b / RB_MAIN);
	rb_disc_test_expect_audio(&expected, 1, 0, len_a);
	rb_disc_test_expect_audio(&expected, 0, 0, (gsize)expected.starts[1] * RB_MAIN - len_a);
	rb_disc_test_expect_audio(&expected, 2, 0, len_b);

	rb_test_service_start_daemon(service, rb_fast_cd_r);
	err = rb_ctl(service, 0, &out, (const gchar *const *)show_args);
	summary = rb_test_json_query(
		out,
		"'%s %s %s %s %d %d %s %s %s %s %s %s' % (d['format'], [t['start'] for t in "
		"d['tracks']], [t['pregap'] for t in d['tracks']], [t['type'] for t in "
		"d['tracks']], "
		"d['leadoutStart'], d['streamBytes'], d['cdText'][0]['disc']['title'], "
		"[(t['number'], t['title'], t['performer']) for t in d['cdText'][0]['tracks']], "
		"d['tracks'][1]['source'].startswith('b.wav'), d['fits74'], d['problem'], "
		"d['playingTime'])");
	wanted = g_strdup_printf("wav [0, %d] [150, 150] ['audio', 'audio'] %d %d Disc Title "
				 "[(1, 'First Song', 'Singer One'), (2, 'Second Song', 'Singer "
				 "Two')] True True None 00:%02d:%02d",
				 expected.starts[1],
				 expected.leadout,
				 (expected.leadout + RB_LEADOUT_SECTORS - RB_STREAM_FIRST_LBA) *
					 RB_SECTOR,
				 expected.leadout / 75,
				 expected.leadout % 75);
	ck_assert_str_eq(summary, wanted);
	rb_burn_and_check(service, (const gchar *const *)with_text, &expected);
	rb_test_service_stop_daemon(service);
}
END_TEST

/* a CUE sheet with a BIN, an explicit pregap, CD-TEXT from the sheet, one
 * title of which an option replaces */
START_TEST(test_burn_cue)
{
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autofree gchar *bin = rb_path(service, "disc.bin");
	g_autofree gchar *cue = rb_path(service, "disc.cue");
	const gchar *const args[] = {cue, "--track-title", "2=Replaced", NULL};
	g_auto(RbDiscTestExpected) expected = {
		.n_tracks = 2,
		.starts = {0, 600},
		.leadout = 1125,
		.titles = {"Cue Disc", "Opening", "Replaced"},
		.performers = {"Cue Artist", "Artist One", "Artist Two"},
	};

	rb_disc_test_write_pattern(bin, 1125 * RB_MAIN, 3);
	ck_assert(g_file_set_contents(cue,
				      "TITLE \"Cue Disc\"\n"
				      "PERFORMER \"Cue Artist\"\n"
				      "FILE \"disc.bin\" BINARY\n"
				      "  TRACK 01 AUDIO\n"
				      "    TITLE \"Opening\"\n"
				      "    PERFORMER \"Artist One\"\n"
				      "    INDEX 01 00:00:00\n"
				      "  TRACK 02 AUDIO\n"
				      "    TITLE \"Closing\"\n"
				      "    PERFORMER \"Artist Two\"\n"
				      "    INDEX 00 00:06:00\n"
				      "    INDEX 01 00:08:00\n",
				      -1,
				      NULL));
	rb_disc_test_expect_audio(&expected, 3, 0, 1125 * RB_MAIN);
	rb_test_service_start_daemon(service, rb_fast_cd_r);
	rb_burn_and_check(service, args, &expected);
	rb_test_service_stop_daemon(service);
}
END_TEST

/* a cdrdao TOC with a WAV file, START for the second track's pregap and
 * CD-TEXT in the sheet */
START_TEST(test_burn_toc)
{
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autofree gchar *wav = rb_path(service, "disc.wav");
	g_autofree gchar *toc = rb_path(service, "disc.toc");
	const gchar *const args[] = {toc, NULL};
	g_auto(RbDiscTestExpected) expected = {
		.n_tracks = 2,
		.starts = {0, 600},
		.leadout = 1125,
		.titles = {"Toc Disc", "Uno", "Dos"},
		.performers = {"Toc Artist", "Artist Uno", "Artist Dos"},
	};

	rb_disc_test_write_wav(wav, 1125 * RB_MAIN, 4);
	ck_assert(g_file_set_contents(
		toc,
		"CD_DA\n"
		"CD_TEXT {\n"
		"  LANGUAGE_MAP { 0 : EN }\n"
		"  LANGUAGE 0 { TITLE \"Toc Disc\" PERFORMER \"Toc Artist\" }\n"
		"}\n"
		"TRACK AUDIO\n"
		"CD_TEXT { LANGUAGE 0 { TITLE \"Uno\" PERFORMER \"Artist Uno\" } }\n"
		"FILE \"disc.wav\" 0 00:06:00\n"
		"TRACK AUDIO\n"
		"CD_TEXT { LANGUAGE 0 { TITLE \"Dos\" PERFORMER \"Artist Dos\" } }\n"
		"FILE \"disc.wav\" 00:06:00 00:09:00\n"
		"START 00:02:00\n",
		-1,
		NULL));
	rb_disc_test_expect_audio(&expected, 4, 0, 1125 * RB_MAIN);
	rb_test_service_start_daemon(service, rb_fast_cd_r);
	rb_burn_and_check(service, args, &expected);
	rb_test_service_stop_daemon(service);
}
END_TEST

typedef struct {
	const gchar *args[9];
	gint status;
	const gchar *message_part;
} RbRefusal;

/* in the fixture's directory; virtual1 holds a 74-minute blank */
static const RbRefusal rb_refusals[] = {
	{{"burn", "virtual0", "missing.wav"}, 66, "missing.wav"},
	{{"burn", "virtual0", "a.wav", "missing.wav"}, 66, "missing.wav"},
	{{"burn", "virtual0", "missing.cue"}, 66, "missing.cue"},
	{{"burn", "virtual0", "hz48.wav"}, 65, "48000 Hz"},
	{{"burn", "virtual0", "a.wav", "short.wav"}, 65, "at least 4 s"},
	{{"burn", "virtual0", "a.wav", "notes.txt"}, 65, "not a WAV file"},
	{{"burn", "virtual1", "long1.wav", "long2.wav", "long3.wav", "long4.wav"},
	 65,
	 "80 minutes"},
	{{"burn", "virtual0", "a.wav", "--title", "T", "--sector-type", "1"}, 65, "--no-cd-text"},
	{{"burn", "virtual0", "a.wav", "--track-title", "2=T"}, 2, "tracks 1 to 1"},
	{{"burn", "virtual0", "a.wav", "--track-title", "T"}, 2, "1 to 99"},
	{{"burn", "virtual0", "a.wav", "--title", "T", "--no-cd-text"}, 2, "cannot go with it"},
	{{"burn", "virtual0", "a.wav", "--lead-in", "150"}, 2, "--lead-in is for raw images"},
	{{"image", "a.wav"}, 2, "needs -o OUT"},
	{{"image", "missing.wav", "-o", "out.raw"}, 66, "missing.wav"},
	{{"show", "hz48.wav"}, 65, "48000 Hz"},
};

/* each refusal: its message, its exit status, and no lock ever taken; then
 * one burn that takes the lock, so the watch is shown to see one */
START_TEST(test_refusals)
{
	const gchar *const recorders[] = {"--virtual-recorder",
					  "media=cd-r-80,realtime=false",
					  "--virtual-recorder",
					  "media=cd-r-74,realtime=false",
					  NULL};
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autofree gchar *long_show = NULL;
	g_autofree gchar *summary = NULL;
	RbLockWatch watch = {0};
	guint watch_id;

	g_chdir(service->tmpdir);
	rb_disc_test_write_wav("a.wav", 300 * RB_MAIN, 1);
	rb_disc_test_write_wav_full("hz48.wav", 48000 * 4 * 5, 48000, 2, 1, FALSE);
	rb_disc_test_write_wav("short.wav", 299 * RB_MAIN, 2);
	ck_assert(g_file_set_contents("notes.txt", "not audio\n", -1, NULL));
	/* 4 × 19 minutes: more than 74, less than 80 */
	for (guint i = 1; i <= 4; i++) {
		g_autofree gchar *name = g_strdup_printf("long%u.wav", i);

		rb_disc_test_write_wav_full(name, 19 * 60 * 44100 * 4, 44100, 2, 0, TRUE);
	}
	rb_test_service_start_daemon(service, recorders);
	watch_id = rb_lock_watch_start(service, &watch);

	for (guint i = 0; i < G_N_ELEMENTS(rb_refusals); i++) {
		g_autofree gchar *err =
			rb_ctl(service, rb_refusals[i].status, NULL, rb_refusals[i].args);

		rb_assert_contains(err, rb_refusals[i].message_part);
	}
	{
		const gchar *const args[] = {
			"--json", "show", "long1.wav", "long2.wav", "long3.wav", "long4.wav", NULL};
		g_autofree gchar *err = rb_ctl(service, 0, &long_show, args);
	}
	summary = rb_test_json_query(long_show, "'%s %s' % (d['fits74'], d['fits80'])");
	ck_assert_str_eq(summary, "False True");
	rb_lock_watch_flush(service);
	ck_assert_uint_eq(watch.n_locks, 0);
	rb_assert_untouched(service, RB_VIRTUAL0);
	rb_assert_untouched(service, RB_VIRTUAL1);
	ck_assert(!g_file_test("out.raw", G_FILE_TEST_EXISTS));

	/* the same watch sees a burn's lock */
	{
		const gchar *const args[] = {"burn", "virtual0", "a.wav", NULL};
		g_autofree gchar *err = rb_ctl(service, 0, NULL, args);
	}
	rb_lock_watch_flush(service);
	ck_assert_uint_eq(watch.n_locks, 1);
	rb_test_signal_unsubscribe(service->connection, watch_id);
	g_free(watch.owner);
	rb_test_service_stop_daemon(service);
}
END_TEST

/* the progress of an image file names the track being written, the one
 * whose sectors lastWrittenLba is in; real-time pacing at 52× leaves the
 * two 30-second tracks in the updates every half second */
START_TEST(test_progress_tracks)
{
	const gchar *const recorder[] = {"--virtual-recorder", "media=cd-r-80,speed=52", NULL};
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autofree gchar *a = rb_path(service, "a.wav");
	g_autofree gchar *b = rb_path(service, "b.wav");
	const gchar *const args[] = {"--json", "burn", "virtual0", a, b, NULL};
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *summary = NULL;
	g_autofree gchar *check = NULL;
	g_autoptr(GString) json = g_string_new("[");
	g_auto(GStrv) lines = NULL;

	rb_disc_test_write_wav(a, 2250 * RB_MAIN, 1);
	rb_disc_test_write_wav(b, 2250 * RB_MAIN, 2);
	rb_test_service_start_daemon(service, recorder);
	err = rb_ctl(service, 0, &out, args);
	lines = g_strsplit(out, "\n", -1);
	for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
		g_string_append_printf(json, "%s%s", i > 0 ? "," : "", lines[i]);
	g_string_append(json, "]");
	/* track 1: LBA -150 to 2249, track 2: 2250 (its pause) to 4649 */
	check = g_strdup_printf(
		"'%%d %%d %%s %%s' %% (sum(1 for u in d if 'track' in u), sum(1 for u in d if "
		"u.get('track', 0) != (1 if -150 <= u['lastWrittenLba'] < 2250 else 2 if "
		"2250 <= u['lastWrittenLba'] < %d else 0) or u.get('trackCount', 2) != 2), "
		"d[-1]['percent'], all(u['percent'] is not None for u in d if u['action'] == "
		"'writing'))",
		2250 + RB_PAUSE + 2250);
	summary = rb_test_json_query(json->str, check);
	ck_assert_msg(!g_str_has_prefix(summary, "0 "), "no update named a track: %s", out);
	ck_assert_msg(strstr(summary, " 0 100 True") != NULL, "%s in %s", summary, out);
	rb_test_service_stop_daemon(service);
}
END_TEST

/* a WAV file cut short while the disc is written: the image fails, the
 * client cancels the write through the service and says why, and what the
 * service answered */
START_TEST(test_image_fails_midway)
{
	/* a small FIFO keeps the stream near the drive: the second track is
	 * read seconds after the lead-in has begun */
	const gchar *const recorder[] = {
		"--fifo-size", "1", "--virtual-recorder", "media=cd-r-80,speed=52", NULL};
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autofree gchar *a = rb_path(service, "a.wav");
	g_autofree gchar *b = rb_path(service, "b.wav");
	g_auto(GStrv) envp = rb_test_service_get_environ(service);
	g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new(
		G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
	g_autoptr(GSubprocess) ctl = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) report = NULL;
	g_autoptr(GVariant) owner = NULL;
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	gboolean complete = TRUE;
	gint64 deadline;

	rb_disc_test_write_wav(a, 300 * RB_MAIN, 1);
	rb_disc_test_write_wav(b, 300 * RB_MAIN, 2);
	rb_test_service_start_daemon(service, recorder);
	g_subprocess_launcher_set_environ(launcher, envp);
	ctl = g_subprocess_launcher_spawn(launcher,
					  &error,
					  rb_test_get_rawburnctl(),
					  "--session",
					  "burn",
					  "virtual0",
					  a,
					  b,
					  NULL);
	ck_assert_msg(ctl != NULL, "%s", error ? error->message : "");
	deadline = g_get_monotonic_time() + 20 * G_USEC_PER_SEC;
	for (;;) {
		g_autoptr(GVariant) writing = rb_test_get_property(
			service->connection, RB_VIRTUAL0, RB_TEST_FORMAT, "WriteInProgress");

		if (g_variant_get_boolean(writing))
			break;
		ck_assert_msg(g_get_monotonic_time() < deadline, "the burn never started");
		g_usleep(20 * 1000);
	}
	ck_assert_int_eq(truncate(b, 44 + 100 * RB_MAIN), 0);
	ck_assert(g_subprocess_communicate_utf8(ctl, NULL, NULL, &out, &err, &error));
	ck_assert_int_eq(g_subprocess_get_exit_status(ctl), 1);
	rb_assert_contains(err, "The burn was cancelled: ");
	rb_assert_contains(err, "b.wav");
	/* the service's answer: cancelled, not a stream that merely ended short */
	rb_assert_contains(err, "The service: " RB_TEST_ERROR("RequestCancelled") ": 0xC0AA0002");
	report = rb_test_get_property(
		service->connection, RB_VIRTUAL0, RB_TEST_VIRTUAL, "ValidationReport");
	ck_assert(g_variant_lookup(report, "Complete", "b", &complete));
	ck_assert(!complete);
	owner = rb_test_get_property(
		service->connection, RB_VIRTUAL0, RB_TEST_RECORDER, "ExclusiveAccessOwner");
	ck_assert_str_eq(g_variant_get_string(owner, NULL), "");
	rb_test_service_stop_daemon(service);
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("disc-burn");
	TCase *tc = tcase_create("disc-burn");

	tcase_set_timeout(tc, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_test(tc, test_burn_wav_files);
	tcase_add_test(tc, test_burn_cue);
	tcase_add_test(tc, test_burn_toc);
	tcase_add_test(tc, test_refusals);
	tcase_add_test(tc, test_progress_tracks);
	tcase_add_test(tc, test_image_fails_midway);
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
