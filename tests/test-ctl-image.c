/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "rawburnctl image -o" never costs the user a file: an output that is one
 * of the files the image reads (the BIN of a CUE sheet, the sheet, through
 * a link or standard output) is refused before anything is written, and a
 * stream that fails half-way leaves neither a partial file nor a changed
 * output behind. No service is needed: "image" works on files alone.
 */
#include "config.h"

#include <check.h>
#include <gio/gio.h>
#include <signal.h>
#include <stdlib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "rb-cdtext.h"
#include "rb-test-service.h"

#define RB_MAIN 2352
/* 4 s, the shortest track the rules allow */
#define RB_BIN_SECTORS 300
/* the stream from 95:00:00 through the 6750-sector lead-out, 2448-byte sectors */
#define RB_STREAM_BYTES ((gsize)(22650 + RB_BIN_SECTORS + 6750) * 2448)

typedef struct {
	gchar *dir;
	gchar *bin;
	gchar *cue;
	GBytes *bin_data;
} RbFixture;

static void
rb_fixture_clear(RbFixture *fixture)
{
	g_autoptr(GDir) dir = g_dir_open(fixture->dir, 0, NULL);
	const gchar *name;

	while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *path = g_build_filename(fixture->dir, name, NULL);

		g_unlink(path);
	}
	g_rmdir(fixture->dir);
	g_free(fixture->dir);
	g_free(fixture->bin);
	g_free(fixture->cue);
	g_bytes_unref(fixture->bin_data);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(RbFixture, rb_fixture_clear)

/* a CUE sheet and its BIN of one audio track, in a directory of their own */
static void
rb_fixture_init(RbFixture *fixture)
{
	g_autoptr(GError) error = NULL;
	guint8 *data = g_malloc(RB_BIN_SECTORS * RB_MAIN);

	fixture->dir = g_dir_make_tmp("rb-ctl-image-XXXXXX", &error);
	ck_assert_msg(fixture->dir != NULL, "%s", error ? error->message : "");
	fixture->bin = g_build_filename(fixture->dir, "disc.bin", NULL);
	fixture->cue = g_build_filename(fixture->dir, "disc.cue", NULL);
	for (gsize i = 0; i < RB_BIN_SECTORS * RB_MAIN; i++)
		data[i] = (guint8)(i * 7 + i / RB_MAIN + 1);
	fixture->bin_data = g_bytes_new_take(data, RB_BIN_SECTORS * RB_MAIN);
	ck_assert(g_file_set_contents(fixture->bin,
				      g_bytes_get_data(fixture->bin_data, NULL),
				      (gssize)g_bytes_get_size(fixture->bin_data),
				      NULL));
	ck_assert(g_file_set_contents(fixture->cue,
				      "FILE \"disc.bin\" BINARY\n"
				      "  TRACK 01 AUDIO\n"
				      "    INDEX 01 00:00:00\n",
				      -1,
				      NULL));
}

/* `sh -c @script` in the fixture's directory, $R the rawburnctl under test;
 * returns the exit status, *@err its standard error */
static gint
rb_sh(RbFixture *fixture, const gchar *script, gchar **err)
{
	g_auto(GStrv) envp = g_environ_setenv(g_get_environ(), "R", rb_test_get_rawburnctl(), TRUE);
	g_autofree gchar *in_dir = g_strdup_printf("cd '%s' && %s", fixture->dir, script);
	const gchar *const argv[] = {"/bin/sh", "-c", in_dir, NULL};
	g_autofree gchar *out = NULL;

	envp = g_environ_setenv(envp, "LC_ALL", "C.UTF-8", TRUE);
	return rb_test_run(argv, envp, &out, err);
}

static void
rb_assert_contents(const gchar *path, GBytes *expected)
{
	g_autofree gchar *data = NULL;
	gsize len = 0;

	ck_assert_msg(g_file_get_contents(path, &data, &len, NULL), "%s is gone", path);
	ck_assert_msg(len == g_bytes_get_size(expected) &&
			      memcmp(data, g_bytes_get_data(expected, NULL), len) == 0,
		      "%s changed (%zu bytes)",
		      path,
		      len);
}

/* the directory holds exactly @names (NULL-terminated): no temporary file left */
static void
rb_assert_files(RbFixture *fixture, const gchar *const *names)
{
	g_autoptr(GDir) dir = g_dir_open(fixture->dir, 0, NULL);
	const gchar *name;
	guint n = 0;

	while ((name = g_dir_read_name(dir)) != NULL) {
		ck_assert_msg(g_strv_contains(names, name), "%s left in the directory", name);
		n++;
	}
	ck_assert_uint_eq(n, g_strv_length((gchar **)names));
}

/* the BIN (by name, symbolic and hard link, standard output) and the sheet
 * as the output: refused as a usage error, every file as it was */
START_TEST(test_output_is_input)
{
	g_auto(RbFixture) fixture = {0};
	const gchar *const scripts[] = {
		"$R image \"$PWD/disc.cue\" -o disc.bin",
		"$R image \"$PWD/disc.cue\" -o \"$PWD/disc.bin\"",
		"$R image \"$PWD/disc.cue\" -o link.bin",
		"$R image \"$PWD/disc.cue\" -o hard.bin",
		"$R image \"$PWD/disc.cue\" -o disc.cue",
		"$R image \"$PWD/disc.cue\" -o - >>disc.bin",
	};
	const gchar *const names[] = {"disc.bin", "disc.cue", "link.bin", "hard.bin", NULL};
	g_autoptr(GBytes) cue_data = NULL;
	g_autofree gchar *link_path = NULL;
	g_autofree gchar *hard_path = NULL;
	gchar *cue_text = NULL;
	gsize cue_len = 0;

	rb_fixture_init(&fixture);
	link_path = g_build_filename(fixture.dir, "link.bin", NULL);
	hard_path = g_build_filename(fixture.dir, "hard.bin", NULL);
	ck_assert_int_eq(symlink("disc.bin", link_path), 0);
	ck_assert_int_eq(link(fixture.bin, hard_path), 0);
	ck_assert(g_file_get_contents(fixture.cue, &cue_text, &cue_len, NULL));
	cue_data = g_bytes_new_take(cue_text, cue_len);
	for (guint i = 0; i < G_N_ELEMENTS(scripts); i++) {
		g_autofree gchar *err = NULL;
		gint status = rb_sh(&fixture, scripts[i], &err);

		ck_assert_msg(status == 2, "%s: exit %d: %s", scripts[i], status, err);
		ck_assert_msg(strstr(err, "which the image reads") != NULL ||
				      strstr(err, "The image reads") != NULL,
			      "%s: %s",
			      scripts[i],
			      err);
		ck_assert_msg(strstr(err, "disc.") != NULL, "%s: %s", scripts[i], err);
		rb_assert_contents(fixture.bin, fixture.bin_data);
		rb_assert_contents(fixture.cue, cue_data);
		rb_assert_files(&fixture, names);
	}
}
END_TEST

/* a stream that fails half-way (a file size limit: EFBIG) leaves the output
 * as it was and no temporary file; the same command without the limit then
 * replaces the output, keeping its permissions */
START_TEST(test_failed_stream_leaves_output)
{
	g_auto(RbFixture) fixture = {0};
	g_autoptr(GBytes) precious = g_bytes_new_static("precious\n", 9);
	const gchar *const names[] = {"disc.bin", "disc.cue", "out.raw", NULL};
	const gchar *const names_new[] = {"disc.bin", "disc.cue", "out.raw", "new.raw", NULL};
	g_autofree gchar *out = NULL;
	g_autofree gchar *fresh = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *err_ok = NULL;
	g_autofree gchar *err_new = NULL;
	GStatBuf st;

	rb_fixture_init(&fixture);
	out = g_build_filename(fixture.dir, "out.raw", NULL);
	fresh = g_build_filename(fixture.dir, "new.raw", NULL);
	ck_assert(g_file_set_contents(out, "precious\n", -1, NULL));
	ck_assert_int_eq(g_chmod(out, 0600), 0);
	/* ulimit -f counts 512-byte blocks in sh: 1 MB of the 70 MB stream */
	ck_assert_int_eq(
		rb_sh(&fixture,
		      "ulimit -f 2048; trap '' XFSZ; $R image \"$PWD/disc.cue\" -o out.raw",
		      &err),
		1);
	ck_assert_msg(strstr(err, "Cannot write") != NULL, "%s", err);
	rb_assert_contents(out, precious);
	rb_assert_files(&fixture, names);
	/* a new output is not created at all */
	g_clear_pointer(&err, g_free);
	ck_assert_int_eq(
		rb_sh(&fixture,
		      "ulimit -f 2048; trap '' XFSZ; $R image \"$PWD/disc.cue\" -o new.raw",
		      &err),
		1);
	rb_assert_files(&fixture, names);

	ck_assert_int_eq(rb_sh(&fixture, "$R image \"$PWD/disc.cue\" -o out.raw", &err_ok), 0);
	ck_assert_int_eq(g_stat(out, &st), 0);
	ck_assert_uint_eq((guint64)st.st_size, RB_STREAM_BYTES);
	ck_assert_uint_eq(st.st_mode & 0777, 0600);
	ck_assert_int_eq(rb_sh(&fixture, "$R image \"$PWD/disc.cue\" -o new.raw", &err_new), 0);
	ck_assert_int_eq(g_stat(fresh, &st), 0);
	ck_assert_uint_eq((guint64)st.st_size, RB_STREAM_BYTES);
	rb_assert_files(&fixture, names_new);
}
END_TEST

/* a sheet named by a relative path finds its files beside it, wherever
 * rawburnctl runs from: the same stream as by the absolute path */
START_TEST(test_relative_sheet_path)
{
	g_auto(RbFixture) fixture = {0};
	g_autofree gchar *err = NULL;
	g_autofree gchar *err_up = NULL;
	g_autofree gchar *by_name = NULL;
	g_autofree gchar *from_parent = NULL;
	g_autofree gchar *base = NULL;
	g_autofree gchar *script = NULL;
	GStatBuf st;

	rb_fixture_init(&fixture);
	ck_assert_int_eq(rb_sh(&fixture, "$R image disc.cue -o by-name.raw", &err), 0);
	ck_assert_msg(strstr(err, "CRITICAL") == NULL && strstr(err, "WARNING") == NULL, "%s", err);
	by_name = g_build_filename(fixture.dir, "by-name.raw", NULL);
	ck_assert_int_eq(g_stat(by_name, &st), 0);
	ck_assert_uint_eq((guint64)st.st_size, RB_STREAM_BYTES);
	/* from the parent folder: "dir/disc.cue", whose "disc.bin" is dir's */
	base = g_path_get_basename(fixture.dir);
	script = g_strdup_printf("cd .. && $R image '%s/disc.cue' -o '%s/up.raw'", base, base);
	ck_assert_int_eq(rb_sh(&fixture, script, &err_up), 0);
	from_parent = g_build_filename(fixture.dir, "up.raw", NULL);
	ck_assert_int_eq(g_stat(from_parent, &st), 0);
	ck_assert_uint_eq((guint64)st.st_size, RB_STREAM_BYTES);
}
END_TEST

/* the CDTEXTFILE is one of the files the image reads: refused as the output */
START_TEST(test_output_is_cdtextfile)
{
	g_auto(RbFixture) fixture = {0};
	g_autoptr(RbCdText) cdtext = rb_cdtext_new();
	g_autoptr(GBytes) packs = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *cdt = NULL;
	g_autofree gchar *err = NULL;
	const gchar *const names[] = {"disc.bin", "disc.cue", "disc.cdt", NULL};

	rb_fixture_init(&fixture);
	ck_assert(rb_cdtext_set_text(cdtext, 0, RB_CDTEXT_TITLE, 0, "Album", &error));
	packs = rb_cdtext_encode(cdtext, 1, 1, &error);
	ck_assert_msg(packs != NULL, "%s", error ? error->message : "");
	cdt = g_build_filename(fixture.dir, "disc.cdt", NULL);
	ck_assert(g_file_set_contents(
		cdt, g_bytes_get_data(packs, NULL), (gssize)g_bytes_get_size(packs), NULL));
	ck_assert(g_file_set_contents(fixture.cue,
				      "CDTEXTFILE \"disc.cdt\"\n"
				      "FILE \"disc.bin\" BINARY\n"
				      "  TRACK 01 AUDIO\n"
				      "    INDEX 01 00:00:00\n",
				      -1,
				      NULL));
	ck_assert_int_eq(rb_sh(&fixture, "$R image disc.cue -o disc.cdt", &err), 2);
	ck_assert_msg(strstr(err, "disc.cdt") != NULL, "%s", err);
	rb_assert_contents(cdt, packs);
	rb_assert_files(&fixture, names);
}
END_TEST

/* "-o" refuses what a plain write could not do: a read-only output stays;
 * the replaced file's setuid bit is not copied; an output named near
 * NAME_MAX is written (the temporary file's name is short) */
START_TEST(test_output_like_plain_write)
{
	g_auto(RbFixture) fixture = {0};
	g_autoptr(GBytes) precious = g_bytes_new_static("precious\n", 9);
	g_autofree gchar *ro = NULL;
	g_autofree gchar *suid = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *err_suid = NULL;
	g_autofree gchar *err_long = NULL;
	g_autofree gchar *long_name = g_strnfill(250, 'x');
	g_autofree gchar *script = NULL;
	g_autofree gchar *long_path = NULL;
	GStatBuf st;

	rb_fixture_init(&fixture);
	ro = g_build_filename(fixture.dir, "ro.raw", NULL);
	ck_assert(g_file_set_contents(ro, "precious\n", -1, NULL));
	ck_assert_int_eq(g_chmod(ro, 0444), 0);
	/* root writes anything: nothing to refuse */
	if (geteuid() != 0) {
		ck_assert_int_eq(rb_sh(&fixture, "$R image disc.cue -o ro.raw", &err), 1);
		ck_assert_msg(strstr(err, "ro.raw") != NULL, "%s", err);
		rb_assert_contents(ro, precious);
	}
	suid = g_build_filename(fixture.dir, "suid.raw", NULL);
	ck_assert(g_file_set_contents(suid, "old\n", -1, NULL));
	ck_assert_int_eq(g_chmod(suid, 04750), 0);
	ck_assert_int_eq(rb_sh(&fixture, "$R image disc.cue -o suid.raw", &err_suid), 0);
	ck_assert_int_eq(g_stat(suid, &st), 0);
	ck_assert_uint_eq((guint64)st.st_size, RB_STREAM_BYTES);
	ck_assert_uint_eq(st.st_mode & 07777, 0750);

	script = g_strdup_printf("$R image disc.cue -o %s", long_name);
	ck_assert_int_eq(rb_sh(&fixture, script, &err_long), 0);
	long_path = g_build_filename(fixture.dir, long_name, NULL);
	ck_assert_int_eq(g_stat(long_path, &st), 0);
	ck_assert_uint_eq((guint64)st.st_size, RB_STREAM_BYTES);
}
END_TEST

/* a regular file of @pid's, other than @bin, larger than @size: its
 * output, named or not (/proc/PID/fd follows an O_TMPFILE too) */
static gboolean
rb_has_large_output(GPid pid, const gchar *bin, goffset size)
{
	g_autofree gchar *fds = g_strdup_printf("/proc/%d/fd", pid);
	g_autoptr(GDir) dir = g_dir_open(fds, 0, NULL);
	const gchar *name;
	GStatBuf st_bin;

	ck_assert_int_eq(g_stat(bin, &st_bin), 0);
	while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *fd = g_build_filename(fds, name, NULL);
		GStatBuf st;

		if (g_stat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_ino != st_bin.st_ino &&
		    st.st_size > size)
			return TRUE;
	}
	return FALSE;
}

/* SIGINT while "-o" writes a large stream (a sparse 600 MB BIN) leaves no
 * temporary file and the output as it was */
START_TEST(test_interrupted_output)
{
	g_auto(RbFixture) fixture = {0};
	g_autoptr(GBytes) precious = g_bytes_new_static("precious\n", 9);
	const gchar *const names[] = {"disc.bin", "disc.cue", "out.raw", NULL};
	g_autoptr(GSubprocessLauncher) launcher =
		g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDERR_PIPE);
	g_autoptr(GSubprocess) ctl = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	gint64 deadline = g_get_monotonic_time() + 60 * G_USEC_PER_SEC;

	rb_fixture_init(&fixture);
	out = g_build_filename(fixture.dir, "out.raw", NULL);
	ck_assert(g_file_set_contents(out, "precious\n", -1, NULL));
	ck_assert_int_eq(truncate(fixture.bin, (off_t)255000 * RB_MAIN), 0);
	g_subprocess_launcher_setenv(launcher, "LC_ALL", "C.UTF-8", TRUE);
	ctl = g_subprocess_launcher_spawn(
		launcher, &error, rb_test_get_rawburnctl(), "image", fixture.cue, "-o", out, NULL);
	ck_assert_msg(ctl != NULL, "%s", error ? error->message : "");
	/* the signal once the temporary file has grown past 10 MB */
	while (!rb_has_large_output(
		(GPid)atoi(g_subprocess_get_identifier(ctl)), fixture.bin, 10 << 20)) {
		ck_assert_msg(g_get_monotonic_time() < deadline, "no output grew");
		g_usleep(5 * 1000);
	}
	g_subprocess_send_signal(ctl, SIGINT);
	ck_assert(g_subprocess_communicate_utf8(ctl, NULL, NULL, NULL, &err, &error));
	/* Ctrl-C: cancelled (7) */
	ck_assert_msg(g_subprocess_get_if_exited(ctl) && g_subprocess_get_exit_status(ctl) == 7,
		      "%s",
		      err);
	ck_assert_msg(strstr(err, "Interrupted") != NULL, "%s", err);
	rb_assert_contents(out, precious);
	rb_assert_files(&fixture, names);
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("ctl-image");
	TCase *tc = tcase_create("ctl-image");

	tcase_set_timeout(tc, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_test(tc, test_output_is_input);
	tcase_add_test(tc, test_failed_stream_leaves_output);
	tcase_add_test(tc, test_relative_sheet_path);
	tcase_add_test(tc, test_output_is_cdtextfile);
	tcase_add_test(tc, test_output_like_plain_write);
	tcase_add_test(tc, test_interrupted_output);
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
