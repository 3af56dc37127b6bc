/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A Python application (tests/rb-gi-burn.py) and a GJS one
 * (tests/rb-gjs-burn.js) burn through librawburn's introspection data: the
 * uninstalled typelib and shared library, the private bus as their session
 * bus, an image from rawburn-make-image.
 */
#include "config.h"

#include <string.h>

#include "rb-error.h"
#include "rb-test-client.h"
#include "rb-test-service.h"

/* the interpreters the Debian packages python3-gi and gjs install */
static const struct {
	const gchar *interpreter;
	const gchar *script;
	const gchar *package;
} rb_gi_apps[] = {
	{"/usr/bin/python3", "rb-gi-burn.py", "python3 python3-gi"},
	{"/usr/bin/gjs", "rb-gjs-burn.js", "gjs"},
};

START_TEST(test_gi_burn)
{
	g_autoptr(RbTestService) service =
		rb_test_service_new_with_recorder("media=cd-r-80,realtime=false");
	g_autoptr(RbTestClient) waiter = rb_test_client_new(service);
	g_autofree gchar *tool =
		g_build_filename(rb_test_get_builddir(), "tests", "rawburn-make-image", NULL);
	g_autofree gchar *image = g_build_filename(service->tmpdir, "image.raw", NULL);
	g_autofree gchar *script =
		g_build_filename(RB_TEST_ABS_SRCDIR, "tests", rb_gi_apps[_i].script, NULL);
	g_autofree gchar *typelib_dir =
		g_build_filename(rb_test_get_builddir(), "librawburn", NULL);
	g_autofree gchar *lib_dir =
		g_build_filename(rb_test_get_builddir(), "librawburn", ".libs", NULL);
	const gchar *const make_argv[] = {
		tool, "--sector-type", "2", "--tracks", "2", "--seconds", "8", image, NULL};
	const gchar *const argv[] = {rb_gi_apps[_i].interpreter, script, "virtual0", image, NULL};
	g_auto(GStrv) envp = rb_test_service_get_environ(service);
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autoptr(GVariant) blank = NULL;
	gint status;

	ck_assert_msg(rb_test_run(make_argv, NULL, NULL, &err) == 0, "rawburn-make-image: %s", err);
	g_clear_pointer(&err, g_free);
	rb_test_client_wait_for_drive(waiter, RB_DBUS_RECORDERS_PATH "/virtual0");

	/* the built library and typelib, not any installed one */
	envp = g_environ_setenv(envp, "GI_TYPELIB_PATH", typelib_dir, TRUE);
	envp = g_environ_setenv(envp, "LD_LIBRARY_PATH", lib_dir, TRUE);
#ifdef RB_TEST_SANITIZER_RUNTIME
	/* a library built with the sanitizers needs their runtime loaded
	 * first; python's own allocations at exit are not the library's leaks */
	envp = g_environ_setenv(envp, "LD_PRELOAD", RB_TEST_SANITIZER_RUNTIME, TRUE);
	envp = g_environ_setenv(envp, "ASAN_OPTIONS", "detect_leaks=0", TRUE);
#endif
	status = rb_test_run(argv, envp, &out, &err);
	ck_assert_msg(status == 0, "%s exited %d:\n%s%s", rb_gi_apps[_i].script, status, out, err);
	ck_assert_msg(g_str_has_prefix(out, "burned virtual0: "), "%s", out);
	ck_assert_ptr_null(strstr(out, " 0 progress updates"));

	rb_test_client_wait_for_property(waiter,
					 RB_DBUS_RECORDERS_PATH "/virtual0",
					 RB_TEST_FORMAT,
					 "MediaPhysicallyBlank",
					 g_variant_new_boolean(FALSE));
	blank = rb_test_get_property(service->connection,
				     RB_DBUS_RECORDERS_PATH "/virtual0",
				     RB_TEST_FORMAT,
				     "MediaPhysicallyBlank");
	ck_assert(!g_variant_get_boolean(blank));
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("gi-burn");
	TCase *tc = tcase_create("burn");

	for (guint i = 0; i < G_N_ELEMENTS(rb_gi_apps); i++) {
		if (!g_file_test(rb_gi_apps[i].interpreter, G_FILE_TEST_IS_EXECUTABLE)) {
			g_printerr("test-gi-burn: %s is missing; install %s\n",
				   rb_gi_apps[i].interpreter,
				   rb_gi_apps[i].package);
			return 99;
		}
	}
	tcase_set_timeout(tc, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_loop_test(tc, test_gi_burn, 0, G_N_ELEMENTS(rb_gi_apps));
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
