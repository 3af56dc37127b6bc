/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The main() of a fuzz target outside a fuzzing build: feeds every file of
 * tests/fuzz-corpus/<target>/ (or the files and directories named on the
 * command line) to LLVMFuzzerTestOneInput, so that every seed and every
 * saved crash is a regression test in `make check`, under the sanitizers
 * too. A failing input aborts the program; the last "replay" line names it.
 * The summary has Check's format, so that CI counts the inputs.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "rb-fuzz.h"

/* not every target has one-time setup */
#pragma weak LLVMFuzzerInitialize

/* automake's code for a test that could not run at all */
#define RB_FUZZ_HARD_ERROR 99

static gint
rb_fuzz_compare_paths(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(const gchar *const *)a, *(const gchar *const *)b);
}

/* a directory's files in name order, so that runs are repeatable */
static gboolean
rb_fuzz_collect(const gchar *path, GPtrArray *files)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GDir) dir = NULL;
	g_autoptr(GPtrArray) names = NULL;
	const gchar *name;

	if (!g_file_test(path, G_FILE_TEST_IS_DIR)) {
		g_ptr_array_add(files, g_strdup(path));
		return TRUE;
	}
	dir = g_dir_open(path, 0, &error);
	if (dir == NULL) {
		fprintf(stderr, "cannot read %s: %s\n", path, error->message);
		return FALSE;
	}
	names = g_ptr_array_new_with_free_func(g_free);
	while ((name = g_dir_read_name(dir)) != NULL) {
		/* hidden files (an editor's, git's) are no inputs; libFuzzer skips them too */
		if (name[0] == '.')
			continue;
		g_ptr_array_add(names, g_build_filename(path, name, NULL));
	}
	g_ptr_array_sort(names, rb_fuzz_compare_paths);
	for (guint i = 0; i < names->len; i++)
		g_ptr_array_add(files, g_strdup(g_ptr_array_index(names, i)));
	return TRUE;
}

/* the input in a buffer of exactly its size, as libFuzzer passes it, so
 * that AddressSanitizer sees any read past its end */
static gboolean
rb_fuzz_replay_file(const gchar *path)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *contents = NULL;
	g_autofree guint8 *copy = NULL;
	gsize len = 0;

	if (!g_file_get_contents(path, &contents, &len, &error)) {
		fprintf(stderr, "cannot read %s: %s\n", path, error->message);
		return FALSE;
	}
	printf("replay %s (%" G_GSIZE_FORMAT " bytes)\n", path, len);
	fflush(stdout);
	copy = g_malloc(MAX(len, 1));
	memcpy(copy, contents, len);
	LLVMFuzzerTestOneInput(copy, len);
	return TRUE;
}

int
main(int argc, char **argv)
{
	g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);
	g_autofree gchar *corpus = g_build_filename(RB_FUZZ_CORPUS_DIR, RB_FUZZ_NAME, NULL);

	if (argc > 1) {
		for (gint i = 1; i < argc; i++) {
			if (!rb_fuzz_collect(argv[i], files))
				return RB_FUZZ_HARD_ERROR;
		}
	} else if (!rb_fuzz_collect(corpus, files)) {
		return RB_FUZZ_HARD_ERROR;
	}
	/* a target without inputs would pass without testing anything */
	if (files->len == 0) {
		fprintf(stderr, "no inputs to replay for %s\n", RB_FUZZ_NAME);
		return RB_FUZZ_HARD_ERROR;
	}
	if (LLVMFuzzerInitialize != NULL)
		LLVMFuzzerInitialize(&argc, &argv);
	for (guint i = 0; i < files->len; i++) {
		if (!rb_fuzz_replay_file(g_ptr_array_index(files, i)))
			return RB_FUZZ_HARD_ERROR;
	}
	printf("100%%: Checks: %u, Failures: 0, Errors: 0\n", files->len);
	return EXIT_SUCCESS;
}
