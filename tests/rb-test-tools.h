/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Running the programs the tests check against (rawburn-vdrive-run, the
 * readers and burners it hosts, python3 for JSON), with Check assertions
 * inside; one place for each job so that every test runs them alike.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* the built rawburn-vdrive-run */
const gchar *rb_test_tool_path(void);
/* fails the test, saying what to install, unless @name is on PATH */
void rb_test_require_program(const gchar *name);
/* runs @argv (found in PATH) in @dir (NULL: here) to its end; fails the
 * test if it cannot start; returns its wait status */
gint rb_test_spawn_in(
	const gchar *dir, const gchar *const *argv, gchar **envp, gchar **out, gchar **err);
/* runs @argv (searching PATH) in @dir (NULL: ours) with @envp (NULL: ours)
 * to its end; fails the test if it cannot start or dies of a signal;
 * returns its exit status */
gint
rb_test_run_in(const gchar *dir, const gchar *const *argv, gchar **envp, gchar **out, gchar **err);
/* rawburn-vdrive-run --fast @args in @dir; fails the test unless it exits
 * 0; returns its standard output (@err: its standard error, or NULL) */
gchar *rb_test_run_vdrive(const gchar *dir, const gchar *const *args, gchar **err);
/* @dir and the files in it (not below a subdirectory) removed */
void rb_test_remove_dir(const gchar *dir);
/* what python3 prints of @expression on @json, parsed as d; fails the
 * test unless @json is valid JSON */
gchar *rb_test_json_query(const gchar *json, const gchar *expression);

G_END_DECLS
