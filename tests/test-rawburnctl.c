/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * rawburnctl against a daemon on a private bus: text and JSON output and
 * its errors, and burns end to end: an image made by rawburn-make-image,
 * burned from a file or a pipe, cancelled by a signal or refused, then
 * checked with "report" and "export".
 */
#include "config.h"

#include <sys/stat.h>

#include <glib/gstdio.h>
#include <signal.h>

#include "rb-test-client.h"
#include "rb-test-service.h"
#include "rb-test-tools.h"

#define RB_VIRTUAL0 "/org/rawburn/RawBurn1/recorders/virtual0"

/* cd-r-80's lead-in start (ATIP) on the emulated drive: the exported disc starts there */
#define RB_CD_R_80_LEADIN (-11634)
/* where rawburn-make-image's images start */
#define RB_IMAGE_FIRST_LBA (-22650)

static const gchar *const rb_fast_cd_r[] = {
	"--virtual-recorder", "media=cd-r-80,realtime=false", NULL};

/* an image from the developer tool, in the fixture's directory */
static gchar *
rb_make_image(RbTestService *service, const gchar *name, const gchar *sector_type)
{
	g_autofree gchar *tool =
		g_build_filename(rb_test_get_builddir(), "tests", "rawburn-make-image", NULL);
	gchar *path = g_build_filename(service->tmpdir, name, NULL);
	const gchar *const argv[] = {
		tool, "--sector-type", sector_type, "--tracks", "2", "--seconds", "8", path, NULL};
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;

	ck_assert_msg(rb_test_run(argv, NULL, &out, &err) == 0, "rawburn-make-image: %s", err);
	return path;
}

/* the lock went with the burn: ReleaseMedia was called */
static void
rb_assert_released(RbTestService *service)
{
	g_autoptr(GVariant) owner = rb_test_get_property(service->connection,
							 RB_VIRTUAL0,
							 "org.rawburn.RawBurn1.Recorder",
							 "ExclusiveAccessOwner");
	ck_assert_str_eq(g_variant_get_string(owner, NULL), "");
}

/* "report --json" through python3: a clean, complete recording of two tracks */
static void
rb_assert_report_clean(RbTestService *service)
{
	const gchar *const args[] = {"--json", "report", "virtual0", NULL};
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *summary = NULL;

	ck_assert_msg(rb_test_run_rawburnctl(service, args, &out, &err) == 0, "%s", err);
	summary = rb_test_json_query(out,
				     "'%s %d %d %d %d %d' % (d['Complete'], d['BadQCrc'], "
				     "d['AddressMismatches'], d['TocMismatches'], d['Tracks'], "
				     "d['FirstLba'])");
	ck_assert_str_eq(summary, "True 0 0 0 2 -11634");
}

/* "export" writes the disc from its lead-in: the image's tail from there */
static void
rb_assert_export_equals(RbTestService *service, const gchar *image_path)
{
	g_autofree gchar *disc_path = g_build_filename(service->tmpdir, "disc.raw", NULL);
	const gchar *const args[] = {"export", "virtual0", disc_path, NULL};
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autoptr(GMappedFile) image = NULL;
	g_autoptr(GMappedFile) disc = NULL;
	gsize skip = (gsize)(RB_CD_R_80_LEADIN - RB_IMAGE_FIRST_LBA) * 2448;

	ck_assert_msg(rb_test_run_rawburnctl(service, args, &out, &err) == 0, "%s", err);
	ck_assert_str_eq(out, "");
	image = g_mapped_file_new(image_path, FALSE, NULL);
	disc = g_mapped_file_new(disc_path, FALSE, NULL);
	ck_assert(image != NULL && disc != NULL);
	ck_assert_uint_eq(g_mapped_file_get_length(disc), g_mapped_file_get_length(image) - skip);
	ck_assert(memcmp(g_mapped_file_get_contents(disc),
			 g_mapped_file_get_contents(image) + skip,
			 g_mapped_file_get_length(disc)) == 0);
	g_unlink(disc_path);
}

/* a file, the sector type given; progress as lines, as stdout is no terminal */
START_TEST(test_ctl_burn_file)
{
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autofree gchar *image = rb_make_image(service, "image.raw", "3");
	const gchar *const args[] = {"burn", "virtual0", image, "--sector-type", "3", NULL};
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_auto(GStrv) lines = NULL;
	guint progress = 0;

	rb_test_service_start_daemon(service, rb_fast_cd_r);
	ck_assert_msg(rb_test_run_rawburnctl(service, args, &out, &err) == 0, "%s", err);
	lines = g_strsplit(out, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		if (g_str_has_prefix(lines[i], "Writing: ") ||
		    g_str_has_prefix(lines[i], "Finishing: "))
			progress++;
	}
	ck_assert_msg(progress >= 2, "no progress lines: %s", out);
	ck_assert_msg(strstr(out, "Finishing: 100%, 19134 sectors") != NULL, "%s", out);
	ck_assert(strchr(out, '\r') == NULL);
	ck_assert(g_str_has_suffix(out, "Burn complete.\n"));
	rb_assert_released(service);
	rb_assert_report_clean(service);
	rb_assert_export_equals(service, image);
	rb_test_service_stop_daemon(service);
}
END_TEST

/*
 * A pipe on standard input, the sector type left to the default (2), JSON
 * progress: "rawburn-make-image ... - | rawburnctl --json burn virtual0 -".
 */
START_TEST(test_ctl_burn_stdin_json)
{
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autofree gchar *tool =
		g_build_filename(rb_test_get_builddir(), "tests", "rawburn-make-image", NULL);
	g_autofree gchar *image = rb_make_image(service, "image.raw", "2");
	g_auto(GStrv) envp = rb_test_service_get_environ(service);
	const gchar *const argv[] = {
		"/bin/sh",
		"-c",
		"\"$0\" --sector-type 2 --tracks 2 --seconds 8 - | "
		"\"$1\" --session --json burn --client-name 'From a pipe' virtual0 -",
		tool,
		rb_test_get_rawburnctl(),
		NULL};
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *summary = NULL;
	g_autoptr(GString) json = g_string_new("[");
	g_auto(GStrv) lines = NULL;

	rb_test_service_start_daemon(service, rb_fast_cd_r);
	ck_assert_msg(rb_test_run(argv, envp, &out, &err) == 0, "%s", err);
	/* one object per line: a JSON array of them for python3 */
	lines = g_strsplit(out, "\n", -1);
	for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
		g_string_append_printf(json, "%s%s", i > 0 ? "," : "", lines[i]);
	g_string_append(json, "]");
	summary =
		rb_test_json_query(json->str,
				   "'%d %s %s %d %d' % (len(d) >= 2, d[-1]['action'], "
				   "d[-1]['percent'], d[-1]['startLba'], d[-1]['sectorsWritten'])");
	ck_assert_str_eq(summary, "1 finishing 100 -11634 19134");
	rb_assert_released(service);
	rb_assert_report_clean(service);
	/* a pipe has no size: IS_COOKED, the default, and the same disc */
	rb_assert_export_equals(service, image);
	rb_test_service_stop_daemon(service);
}
END_TEST

/*
 * A named pipe is a raw stream like standard input: rawburnctl must open it
 * once only (a second open would leave its writer with SIGPIPE and itself
 * waiting on a pipe nobody writes): "mkfifo f; tool … > f & rawburnctl burn
 * virtual0 f".
 */
START_TEST(test_ctl_burn_named_pipe)
{
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autofree gchar *tool =
		g_build_filename(rb_test_get_builddir(), "tests", "rawburn-make-image", NULL);
	g_autofree gchar *image = rb_make_image(service, "image.raw", "3");
	g_autofree gchar *fifo = g_build_filename(service->tmpdir, "stream", NULL);
	g_auto(GStrv) envp = rb_test_service_get_environ(service);
	const gchar *const argv[] = {
		"/bin/sh",
		"-c",
		"\"$0\" --sector-type 3 --tracks 2 --seconds 8 - >\"$2\" & "
		"\"$1\" --session burn virtual0 \"$2\" --sector-type 3; status=$?; wait $! && "
		"exit $status",
		tool,
		rb_test_get_rawburnctl(),
		fifo,
		NULL};
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;

	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	rb_test_service_start_daemon(service, rb_fast_cd_r);
	ck_assert_msg(rb_test_run(argv, envp, &out, &err) == 0, "%s", err);
	ck_assert(g_str_has_suffix(out, "Burn complete.\n"));
	rb_assert_released(service);
	rb_assert_report_clean(service);
	rb_assert_export_equals(service, image);
	g_unlink(fifo);
	rb_test_service_stop_daemon(service);
}
END_TEST

/* a size no sector divides: the service's StreamNotSupported, then released */
START_TEST(test_ctl_burn_refused)
{
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autofree gchar *image = rb_make_image(service, "image.raw", "2");
	const gchar *const args[] = {"burn", "virtual0", image, NULL};
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autoptr(GVariant) report = NULL;
	guint64 written = 1;
	GStatBuf st;

	ck_assert_int_eq(g_stat(image, &st), 0);
	ck_assert_int_eq(truncate(image, st.st_size - 1000), 0);
	rb_test_service_start_daemon(service, rb_fast_cd_r);
	/* a stream the service cannot use: the image's class */
	ck_assert_int_eq(rb_test_run_rawburnctl(service, args, &out, &err), 65);
	/* the client's sentence, then the daemon's message without the D-Bus error name */
	ck_assert_msg(
		g_str_has_prefix(err, "rawburnctl: The data stream cannot be used; "), "%s", err);
	ck_assert_msg(strstr(err, "\nDetails: 0xC0AA060D: ") != NULL, "%s", err);
	ck_assert_msg(strstr(err, "not a whole number of 2448-byte sectors") != NULL, "%s", err);
	ck_assert(strstr(err, "org.rawburn") == NULL);
	rb_assert_released(service);
	report = rb_test_get_property(service->connection,
				      RB_VIRTUAL0,
				      "org.rawburn.RawBurn1.VirtualRecorder",
				      "ValidationReport");
	ck_assert(g_variant_lookup(report, "SectorsWritten", "t", &written));
	ck_assert_uint_eq(written, 0);
	rb_test_service_stop_daemon(service);
}
END_TEST

/* SIGINT mid-burn: CancelWrite, the service's RequestCancelled, ReleaseMedia */
START_TEST(test_ctl_burn_cancel)
{
	const gchar *const slow[] = {
		"--virtual-recorder", "media=cd-r-80,speed=4,realtime=true", NULL};
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autofree gchar *image = rb_make_image(service, "image.raw", "3");
	g_auto(GStrv) envp = rb_test_service_get_environ(service);
	g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new(
		G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
	g_autoptr(GSubprocess) ctl = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	gint64 deadline;

	rb_test_service_start_daemon(service, slow);
	g_subprocess_launcher_set_environ(launcher, envp);
	ctl = g_subprocess_launcher_spawn(launcher,
					  &error,
					  rb_test_get_rawburnctl(),
					  "--session",
					  "burn",
					  "--client-name",
					  "Cancel test",
					  "virtual0",
					  image,
					  NULL);
	ck_assert_msg(ctl != NULL, "%s", error ? error->message : "");
	/* until the service writes for the client, under the name it gave */
	deadline = g_get_monotonic_time() + 20 * G_USEC_PER_SEC;
	for (;;) {
		g_autoptr(GVariant) writing =
			rb_test_get_property(service->connection,
					     RB_VIRTUAL0,
					     "org.rawburn.RawBurn1.DiscFormat2RawCD",
					     "WriteInProgress");
		if (g_variant_get_boolean(writing))
			break;
		ck_assert_msg(g_get_monotonic_time() < deadline, "the burn never started");
		g_usleep(20 * 1000);
	}
	{
		g_autoptr(GVariant) owner = rb_test_get_property(service->connection,
								 RB_VIRTUAL0,
								 "org.rawburn.RawBurn1.Recorder",
								 "ExclusiveAccessOwner");
		ck_assert_str_eq(g_variant_get_string(owner, NULL), "Cancel test");
	}
	g_subprocess_send_signal(ctl, SIGINT);
	ck_assert(g_subprocess_communicate_utf8(ctl, NULL, NULL, &out, &err, &error));
	ck_assert_msg(g_subprocess_get_if_exited(ctl), "rawburnctl died of its signal");
	ck_assert_int_eq(g_subprocess_get_exit_status(ctl), 7);
	ck_assert_msg(strstr(err, "cancelling") != NULL, "%s", err);
	ck_assert_msg(
		strstr(err, "rawburnctl: The request was cancelled.\nDetails: 0xC0AA0002: ") !=
			NULL,
		"%s",
		err);
	rb_assert_released(service);
	rb_test_service_stop_daemon(service);
}
END_TEST

static const gchar *const rb_two_recorders[] = {"--virtual-recorder",
						"media=cd-rw-80",
						"--virtual-recorder",
						"media=none,name=Spare",
						NULL};

START_TEST(test_ctl_list)
{
	const gchar *const args[] = {"list", NULL};
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_auto(GStrv) lines = NULL;

	rb_test_service_start_daemon(service, rb_two_recorders);
	ck_assert_int_eq(rb_test_run_rawburnctl(service, args, &out, &err), 0);
	lines = g_strsplit(out, "\n", -1);
	ck_assert_uint_eq(g_strv_length(lines), 4); /* heading, two recorders, "" */
	ck_assert(g_str_has_prefix(lines[0], "RECORDER"));
	ck_assert(g_str_has_prefix(lines[1], "virtual0"));
	ck_assert(strstr(lines[1], "CD-RW") != NULL);
	ck_assert(g_str_has_prefix(lines[2], "virtual1"));
	ck_assert(strstr(lines[2], "Spare") != NULL);
	ck_assert(strstr(lines[2], "none") != NULL);
	rb_test_service_stop_daemon(service);
}
END_TEST

START_TEST(test_ctl_list_json)
{
	const gchar *const args[] = {"--json", "list", NULL};
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *summary = NULL;

	rb_test_service_start_daemon(service, rb_two_recorders);
	ck_assert_int_eq(rb_test_run_rawburnctl(service, args, &out, &err), 0);
	summary = rb_test_json_query(
		out,
		"';'.join('%s,%s,%s,%s,%d' % (r['name'], r['object'], r['product'], "
		"r['mediaPresent'], r['mediaType']) for r in d)");
	ck_assert_str_eq(summary,
			 "virtual0,/org/rawburn/RawBurn1/recorders/virtual0,Virtual CD-RW,True,3;"
			 "virtual1,/org/rawburn/RawBurn1/recorders/virtual1,Spare,False,0");
	rb_test_service_stop_daemon(service);
}
END_TEST

START_TEST(test_ctl_list_empty_json)
{
	const gchar *const args[] = {"list", "--json", NULL};
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *count = NULL;

	rb_test_service_start_daemon(service, NULL);
	ck_assert_int_eq(rb_test_run_rawburnctl(service, args, &out, &err), 0);
	count = rb_test_json_query(out, "len(d)");
	ck_assert_str_eq(count, "0");
	rb_test_service_stop_daemon(service);
}
END_TEST

START_TEST(test_ctl_info)
{
	const gchar *const by_name[] = {"info", "virtual1", NULL};
	const gchar *const by_path[] = {"info", "/org/rawburn/RawBurn1/recorders/virtual1", NULL};
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autofree gchar *out = NULL;
	g_autofree gchar *out_path = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *err_path = NULL;

	rb_test_service_start_daemon(service, rb_two_recorders);
	ck_assert_int_eq(rb_test_run_rawburnctl(service, by_name, &out, &err), 0);
	ck_assert(g_str_has_prefix(out, "virtual1 (/org/rawburn/RawBurn1/recorders/virtual1)\n"));
	ck_assert(strstr(out, "ProductId") != NULL && strstr(out, "'Spare'") != NULL);
	ck_assert(strstr(out, "DiscFormat2RawCD:") != NULL);
	ck_assert(strstr(out, "LastPossibleStartOfLeadout") != NULL);
	ck_assert(strstr(out, "VirtualRecorder:") != NULL);
	ck_assert_int_eq(rb_test_run_rawburnctl(service, by_path, &out_path, &err_path), 0);
	ck_assert_str_eq(out, out_path);
	rb_test_service_stop_daemon(service);
}
END_TEST

START_TEST(test_ctl_info_json)
{
	const gchar *const args[] = {"--json", "info", "virtual0", NULL};
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *summary = NULL;

	rb_test_service_start_daemon(service, rb_two_recorders);
	ck_assert_int_eq(rb_test_run_rawburnctl(service, args, &out, &err), 0);
	summary = rb_test_json_query(
		out,
		"'%s %s %d %d %s %d %d' % (d['name'], d['Recorder']['VendorId'], "
		"d['DiscFormat2RawCD']['CurrentPhysicalMediaType'], "
		"d['DiscFormat2RawCD']['RequestedWriteSpeed'], "
		"d['Recorder']['MediaPresent'], len(d['Recorder']), len(d['DiscFormat2RawCD']))");
	ck_assert_str_eq(summary, "virtual0 RAWBURN 3 -1 True 12 22");
	rb_test_service_stop_daemon(service);
}
END_TEST

START_TEST(test_ctl_unknown_recorder)
{
	const gchar *const args[] = {"info", "sr9", NULL};
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;

	rb_test_service_start_daemon(service, rb_two_recorders);
	ck_assert_int_eq(rb_test_run_rawburnctl(service, args, &out, &err), 9);
	ck_assert_msg(strstr(err, "No recorder “sr9”") != NULL, "%s", err);
	ck_assert(strstr(err, "rawburnctl list") != NULL);
	rb_test_service_stop_daemon(service);
}
END_TEST

/* the bus is there, the service is not */
START_TEST(test_ctl_service_absent)
{
	const gchar *const args[] = {"list", NULL};
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;

	ck_assert_int_eq(rb_test_run_rawburnctl(service, args, &out, &err), 3);
	ck_assert_msg(strstr(err, "not running on the session bus") != NULL, "%s", err);
	ck_assert(strstr(err, "rawburnd --session") != NULL);
	ck_assert_str_eq(out, "");
}
END_TEST

typedef struct {
	const gchar *args[6];
	const gchar *message_part;
} RbCtlUsage;

static const RbCtlUsage rb_ctl_usages[] = {
	{{NULL}, "no command"},
	{{"frobnicate"}, "unknown command “frobnicate”"},
	{{"info"}, "needs one RECORDER"},
	{{"info", "a", "b"}, "needs one RECORDER"},
	{{"list", "extra"}, "takes no arguments"},
	{{"--colour"}, "rawburnctl --help"},
	{{"list", "--colour"}, "rawburnctl list --help"},
	{{"burn"}, "needs a RECORDER and an IMAGE"},
	{{"burn", "virtual0"}, "needs a RECORDER and an IMAGE"},
	{{"burn", "virtual0", "-", "--title", "T"}, "need an image file or WAV files"},
	{{"show"}, "needs a FILE"},
	{{"image", "a.wav"}, "needs -o OUT"},
	{{"burn", "virtual0", "a.raw", "--sector-type", "4"}, "--sector-type is 1"},
	{{"burn", "virtual0", "a.raw", "--speed", "0"}, "--speed is in sectors per second"},
	{{"burn", "virtual0", "a.raw", "--lead-in", "-5"}, "--lead-in counts"},
	{{"burn", "virtual0", "a.raw", "--sector-type", "x"}, "rawburnctl burn --help"},
	{{"report"}, "needs one RECORDER"},
	{{"export", "virtual0"}, "needs a virtual RECORDER and a FILE"},
};

START_TEST(test_ctl_usage_errors)
{
	const RbCtlUsage *usage = &rb_ctl_usages[_i];
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;

	rb_test_service_start_daemon(service, NULL);
	ck_assert_int_eq(rb_test_run_rawburnctl(service, usage->args, &out, &err), 2);
	ck_assert_msg(strstr(err, usage->message_part) != NULL,
		      "stderr “%s” lacks “%s”",
		      err,
		      usage->message_part);
	rb_test_service_stop_daemon(service);
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("rawburnctl");
	TCase *tc = tcase_create("rawburnctl");

	tcase_set_timeout(tc, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_test(tc, test_ctl_list);
	tcase_add_test(tc, test_ctl_list_json);
	tcase_add_test(tc, test_ctl_list_empty_json);
	tcase_add_test(tc, test_ctl_info);
	tcase_add_test(tc, test_ctl_info_json);
	tcase_add_test(tc, test_ctl_unknown_recorder);
	tcase_add_test(tc, test_ctl_service_absent);
	tcase_add_loop_test(tc, test_ctl_usage_errors, 0, G_N_ELEMENTS(rb_ctl_usages));
	tcase_add_test(tc, test_ctl_burn_file);
	tcase_add_test(tc, test_ctl_burn_stdin_json);
	tcase_add_test(tc, test_ctl_burn_named_pipe);
	tcase_add_test(tc, test_ctl_burn_refused);
	tcase_add_test(tc, test_ctl_burn_cancel);
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
