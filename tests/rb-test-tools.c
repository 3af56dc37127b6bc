/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Running the programs the tests check against (rb-test-tools.h).
 */
#include "config.h"

#include <check.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sys/wait.h>

#include "rb-test-tools.h"

const gchar *
rb_test_tool_path(void)
{
	return RB_TEST_ABS_BUILDDIR "/tests/rawburn-vdrive-run";
}

void
rb_test_require_program(const gchar *name)
{
	g_autofree gchar *path = g_find_program_in_path(name);

	/* a missing oracle fails, never skips: a skip would pass unchecked */
	ck_assert_msg(path != NULL, "%s is missing: install it (.ci/build does)", name);
}

gint
rb_test_spawn_in(const gchar *dir, const gchar *const *argv, gchar **envp, gchar **out, gchar **err)
{
	g_autoptr(GError) error = NULL;
	gint wait_status = 0;

	ck_assert_msg(g_spawn_sync(dir,
				   (gchar **)argv,
				   envp,
				   G_SPAWN_SEARCH_PATH,
				   NULL,
				   NULL,
				   out,
				   err,
				   &wait_status,
				   &error),
		      "cannot run %s: %s",
		      argv[0],
		      error != NULL ? error->message : "");
	return wait_status;
}

gint
rb_test_run_in(const gchar *dir, const gchar *const *argv, gchar **envp, gchar **out, gchar **err)
{
	gint wait_status = rb_test_spawn_in(dir, argv, envp, out, err);

	ck_assert_msg(
		WIFEXITED(wait_status), "%s died of signal %d", argv[0], WTERMSIG(wait_status));
	return WEXITSTATUS(wait_status);
}

gchar *
rb_test_run_vdrive(const gchar *dir, const gchar *const *args, gchar **err)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_auto(GStrv) envp = g_get_environ();
	g_autofree gchar *command = g_strjoinv(" ", (gchar **)args);
	g_autofree gchar *error_text = NULL;
	gchar *out = NULL;
	gint status;

	/* the tool puts itself under umockdev's preload: not under ours */
	envp = g_environ_unsetenv(envp, "LD_PRELOAD");
	envp = g_environ_unsetenv(envp, "UMOCKDEV_DIR");
	g_ptr_array_add(argv, (gpointer)rb_test_tool_path());
	/* no real-time pacing: the tests check what is written, not when */
	g_ptr_array_add(argv, (gpointer) "--fast");
	for (guint i = 0; args[i] != NULL; i++)
		g_ptr_array_add(argv, (gpointer)args[i]);
	g_ptr_array_add(argv, NULL);
	status = rb_test_run_in(dir, (const gchar *const *)argv->pdata, envp, &out, &error_text);
	ck_assert_msg(status == 0,
		      "rawburn-vdrive-run %s: exit status %d\n%s%s",
		      command,
		      status,
		      out,
		      error_text);
	if (err != NULL)
		*err = g_steal_pointer(&error_text);
	return out;
}

gchar *
rb_test_json_query(const gchar *json, const gchar *expression)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GSubprocess) python = NULL;
	g_autofree gchar *program = g_strdup_printf(
		"import json, sys\nd = json.load(sys.stdin)\nprint(%s)\n", expression);
	g_autofree gchar *err = NULL;
	gchar *out = NULL;

	/* JSON is checked by a real parser, not by the code under test */
	python = g_subprocess_new(G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
					  G_SUBPROCESS_FLAGS_STDERR_PIPE,
				  &error,
				  "python3",
				  "-c",
				  program,
				  NULL);
	ck_assert_msg(python != NULL, "python3: %s", error != NULL ? error->message : "");
	ck_assert(g_subprocess_communicate_utf8(python, json, NULL, &out, &err, &error));
	ck_assert_msg(g_subprocess_get_if_exited(python) &&
			      g_subprocess_get_exit_status(python) == 0,
		      "python3 on %s: %s",
		      json,
		      err);
	g_strchomp(out);
	return out;
}

void
rb_test_remove_dir(const gchar *dir)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const gchar *name;

	while (d != NULL && (name = g_dir_read_name(d)) != NULL) {
		g_autofree gchar *path = g_build_filename(dir, name, NULL);

		if (!g_file_test(path, G_FILE_TEST_IS_DIR))
			g_unlink(path);
	}
	g_rmdir(dir);
}
