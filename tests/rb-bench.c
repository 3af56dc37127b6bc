/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the `make bench` programs share (rb-bench.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "rb-bench.h"

/* read/write in 128 KiB, as cat does */
#define RB_BENCH_COPY_BUFFER (128 * 1024)

struct _RbBench {
	guint runs;
	gboolean json;
};

struct _RbBenchFigure {
	RbBench *bench;
	gchar *name;
	gchar *unit;
	gchar *baseline_name;
	gchar *target;
	GArray *values;
	GArray *ratios;
};

RbBench *
rb_bench_new(gint *argc, gchar ***argv)
{
	RbBench *self = g_new0(RbBench, 1);
	gint runs = RB_BENCH_DEFAULT_RUNS;
	gboolean json = FALSE;
	GOptionEntry entries[] = {
		{"json", 0, 0, G_OPTION_ARG_NONE, &json, "One JSON object per figure", NULL},
		{"runs", 0, 0, G_OPTION_ARG_INT, &runs, "Measured runs per figure", "N"},
		G_OPTION_ENTRY_NULL,
	};
	g_autoptr(GOptionContext) context = g_option_context_new(NULL);
	g_autoptr(GError) error = NULL;

	g_option_context_add_main_entries(context, entries, NULL);
	if (!g_option_context_parse(context, argc, argv, &error) || runs < 1) {
		g_printerr("%s: %s\n",
			   g_get_prgname(),
			   error != NULL ? error->message : "--runs needs at least 1");
		exit(2);
	}
	self->runs = (guint)runs;
	self->json = json;
	return self;
}

void
rb_bench_free(RbBench *self)
{
	g_free(self);
}

guint
rb_bench_get_runs(RbBench *self)
{
	return self->runs;
}

gboolean
rb_bench_get_json(RbBench *self)
{
	return self->json;
}

RbBenchFigure *
rb_bench_figure_new(RbBench *bench,
		    const gchar *name,
		    const gchar *unit,
		    const gchar *baseline_name)
{
	RbBenchFigure *self = g_new0(RbBenchFigure, 1);

	self->bench = bench;
	self->name = g_strdup(name);
	self->unit = g_strdup(unit);
	self->baseline_name = g_strdup(baseline_name);
	self->values = g_array_new(FALSE, FALSE, sizeof(gdouble));
	self->ratios = g_array_new(FALSE, FALSE, sizeof(gdouble));
	return self;
}

void
rb_bench_figure_add(RbBenchFigure *self, gdouble value)
{
	g_array_append_val(self->values, value);
}

void
rb_bench_figure_add_pair(RbBenchFigure *self, gdouble value, gdouble baseline)
{
	g_array_append_val(self->values, value);
	if (baseline > 0) {
		gdouble ratio = value / baseline;
		g_array_append_val(self->ratios, ratio);
	}
}

void
rb_bench_figure_set_target(RbBenchFigure *self, const gchar *target)
{
	g_free(self->target);
	self->target = g_strdup(target);
}

gint
rb_bench_compare(gconstpointer a, gconstpointer b)
{
	gdouble x = *(const gdouble *)a;
	gdouble y = *(const gdouble *)b;

	return x < y ? -1 : x > y;
}

gdouble
rb_bench_quantile(GArray *values, gdouble quantile)
{
	gdouble rank;

	if (values->len == 0)
		return 0;
	g_array_sort(values, rb_bench_compare);
	if (quantile == 0.5 && values->len % 2 == 0)
		return (g_array_index(values, gdouble, values->len / 2 - 1) +
			g_array_index(values, gdouble, values->len / 2)) /
		       2;
	/* nearest rank: the smallest value with at least @quantile of all at
	 * or below it */
	rank = quantile * values->len;
	return g_array_index(
		values, gdouble, MIN((guint)MAX(rank + 0.999999, 1.0), values->len) - 1);
}

/* a value with the digits its size deserves */
static gchar *
rb_bench_format_value(gdouble value)
{
	gdouble size = ABS(value);

	/* counts (threads, underruns) as whole numbers */
	if (size >= 100 || value == (gdouble)(gint64)value)
		return g_strdup_printf("%.0f", value);
	if (size >= 10)
		return g_strdup_printf("%.1f", value);
	if (size >= 1)
		return g_strdup_printf("%.2f", value);
	return g_strdup_printf("%.3g", value);
}

static void
rb_bench_json_string(GString *out, const gchar *value)
{
	g_string_append_c(out, '"');
	for (const gchar *p = value; *p != '\0'; p++) {
		guchar c = (guchar)*p;

		if (c == '"' || c == '\\')
			g_string_append_printf(out, "\\%c", c);
		else if (c < 0x20)
			g_string_append_printf(out, "\\u%04x", c);
		else
			g_string_append_c(out, (gchar)c);
	}
	g_string_append_c(out, '"');
}

static void
rb_bench_json_number(GString *out, const gchar *key, gdouble value)
{
	gchar buf[G_ASCII_DTOSTR_BUF_SIZE];

	g_string_append_printf(out, ", \"%s\": %s", key, g_ascii_dtostr(buf, sizeof(buf), value));
}

static void
rb_bench_figure_free(RbBenchFigure *self)
{
	g_array_unref(self->values);
	g_array_unref(self->ratios);
	g_free(self->name);
	g_free(self->unit);
	g_free(self->baseline_name);
	g_free(self->target);
	g_free(self);
}

gchar *
rb_bench_figure_format(RbBenchFigure *self)
{
	GString *out = g_string_new(NULL);
	gboolean empty = self->values->len == 0;
	/* a count has no unit */
	const gchar *sep = self->unit[0] != '\0' ? " " : "";
	gdouble median = rb_bench_quantile(self->values, 0.5);
	gdouble min = rb_bench_quantile(self->values, 0);
	gdouble max = rb_bench_quantile(self->values, 1);

	if (self->bench->json) {
		g_string_append(out, "{\"name\": ");
		rb_bench_json_string(out, self->name);
		g_string_append(out, ", \"unit\": ");
		rb_bench_json_string(out, self->unit);
		/* a figure the code under test cannot give yet is null, not 0 */
		if (empty) {
			g_string_append(out, ", \"median\": null, \"min\": null, \"max\": null");
		} else {
			rb_bench_json_number(out, "median", median);
			rb_bench_json_number(out, "min", min);
			rb_bench_json_number(out, "max", max);
		}
		g_string_append_printf(out, ", \"runs\": %u", self->values->len);
		if (self->baseline_name != NULL && self->ratios->len > 0) {
			g_string_append(out, ", \"baseline\": ");
			rb_bench_json_string(out, self->baseline_name);
			rb_bench_json_number(out, "ratio", rb_bench_quantile(self->ratios, 0.5));
			rb_bench_json_number(out, "ratio_min", rb_bench_quantile(self->ratios, 0));
			rb_bench_json_number(out, "ratio_max", rb_bench_quantile(self->ratios, 1));
		}
		if (self->target != NULL) {
			g_string_append(out, ", \"target\": ");
			rb_bench_json_string(out, self->target);
		}
		g_string_append(out, "}");
	} else if (empty) {
		g_string_append_printf(out, "%s: n/a%s%s", self->name, sep, self->unit);
		if (self->target != NULL)
			g_string_append_printf(out, " [target %s]", self->target);
	} else {
		g_autofree gchar *m = rb_bench_format_value(median);
		g_autofree gchar *lo = rb_bench_format_value(min);
		g_autofree gchar *hi = rb_bench_format_value(max);

		g_string_append_printf(
			out, "%s: %s%s%s (%s–%s)", self->name, m, sep, self->unit, lo, hi);
		if (self->baseline_name != NULL && self->ratios->len > 0)
			g_string_append_printf(out,
					       " %.2f× %s (%.2f–%.2f)",
					       rb_bench_quantile(self->ratios, 0.5),
					       self->baseline_name,
					       rb_bench_quantile(self->ratios, 0),
					       rb_bench_quantile(self->ratios, 1));
		if (self->target != NULL)
			g_string_append_printf(out, " [target %s]", self->target);
	}
	return g_string_free(out, FALSE);
}

void
rb_bench_figure_report(RbBenchFigure *self)
{
	g_autofree gchar *line = rb_bench_figure_format(self);

	printf("%s\n", line);
	fflush(stdout);
	rb_bench_figure_free(self);
}

const gchar *
rb_bench_tmpfs_dir(void)
{
	if (access("/dev/shm", W_OK | X_OK) == 0)
		return "/dev/shm";
	return g_get_tmp_dir();
}

/* the value after @key in a /proc status text, 0 when absent */
static guint64
rb_bench_status_field(const gchar *text, const gchar *key)
{
	const gchar *at = strstr(text, key);

	return at != NULL ? g_ascii_strtoull(at + strlen(key), NULL, 10) : 0;
}

/* utime + stime of a /proc stat text, in ticks; FALSE when unreadable */
static gboolean
rb_bench_stat_ticks(const gchar *stat, guint64 *ticks)
{
	/* fields 14 and 15 count from after the command name, which may hold
	 * spaces */
	const gchar *after_comm = stat != NULL ? strrchr(stat, ')') : NULL;
	guint64 utime = 0;
	guint64 stime = 0;

	if (after_comm == NULL ||
	    sscanf(after_comm + 2,
		   "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %" G_GUINT64_FORMAT
		   " %" G_GUINT64_FORMAT,
		   &utime,
		   &stime) != 2)
		return FALSE;
	*ticks = utime + stime;
	return TRUE;
}

gboolean
rb_bench_proc_sample(pid_t pid, RbBenchProcSample *out, GError **error)
{
	g_autofree gchar *dir = g_strdup_printf("/proc/%d/task", (gint)pid);
	g_autofree gchar *status_path = g_strdup_printf("/proc/%d/status", (gint)pid);
	g_autofree gchar *stat_path = g_strdup_printf("/proc/%d/stat", (gint)pid);
	g_autofree gchar *status = NULL;
	g_autofree gchar *stat = NULL;
	g_autoptr(GDir) tasks = NULL;
	const gchar *task;
	gdouble ticks_per_second = (gdouble)sysconf(_SC_CLK_TCK);
	guint64 ticks = 0;

	memset(out, 0, sizeof(*out));
	if (!g_file_get_contents(status_path, &status, NULL, error) ||
	    !g_file_get_contents(stat_path, &stat, NULL, error))
		return FALSE;
	/* the process's stat counts the threads that already ended too (a
	 * burn's reader and writer end before FINISHING); its tasks' do not */
	if (!rb_bench_stat_ticks(stat, &ticks)) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "cannot parse %s", stat_path);
		return FALSE;
	}
	out->cpu_us = (guint64)((gdouble)ticks * G_USEC_PER_SEC / ticks_per_second);
	out->rss_kib = rb_bench_status_field(status, "\nVmRSS:");
	out->peak_rss_kib = rb_bench_status_field(status, "\nVmHWM:");
	out->threads = (guint)rb_bench_status_field(status, "\nThreads:");
	tasks = g_dir_open(dir, 0, error);
	if (tasks == NULL)
		return FALSE;
	/* context switches only per thread: of the live ones */
	while ((task = g_dir_read_name(tasks)) != NULL) {
		g_autofree gchar *task_status_path = g_strdup_printf("%s/%s/status", dir, task);
		g_autofree gchar *task_status = NULL;

		/* a thread may end between the listing and the read */
		if (!g_file_get_contents(task_status_path, &task_status, NULL, NULL))
			continue;
		out->ctx_switches +=
			rb_bench_status_field(task_status, "\nvoluntary_ctxt_switches:") +
			rb_bench_status_field(task_status, "\nnonvoluntary_ctxt_switches:");
	}
	return TRUE;
}

gdouble
rb_bench_cat(const gchar *path)
{
	g_autofree guint8 *buf = g_malloc(RB_BENCH_COPY_BUFFER);
	gint in = open(path, O_RDONLY);
	gint out = open("/dev/null", O_WRONLY);
	gint64 started = g_get_monotonic_time();
	gssize n;

	if (in < 0 || out < 0)
		g_error("cannot open %s or /dev/null", path);
	while ((n = read(in, buf, RB_BENCH_COPY_BUFFER)) > 0) {
		if (write(out, buf, (gsize)n) != n)
			g_error("write to /dev/null failed");
	}
	close(in);
	close(out);
	return (gdouble)(g_get_monotonic_time() - started) / G_USEC_PER_SEC;
}

gdouble
rb_bench_dd(const gchar *in, const gchar *cat_in, const gchar *out, GError **error)
{
	g_autofree gchar *command = NULL;
	g_autofree gchar *q_in = g_shell_quote(in != NULL ? in : cat_in);
	g_autofree gchar *q_out = g_shell_quote(out);
	const gchar *argv[] = {"/bin/sh", "-c", NULL, NULL};
	gint64 start;
	gint status;

	command = in != NULL ? g_strdup_printf("dd if=%s of=%s bs=1M 2>/dev/null", q_in, q_out)
			     : g_strdup_printf("cat %s | dd of=%s bs=1M 2>/dev/null", q_in, q_out);
	argv[2] = command;
	start = g_get_monotonic_time();
	if (!g_spawn_sync(NULL,
			  (gchar **)argv,
			  NULL,
			  G_SPAWN_STDOUT_TO_DEV_NULL,
			  NULL,
			  NULL,
			  NULL,
			  NULL,
			  &status,
			  error) ||
	    !g_spawn_check_wait_status(status, error))
		return -1;
	return (gdouble)(g_get_monotonic_time() - start) / G_USEC_PER_SEC;
}

glong
rb_bench_maxrss_kib(void)
{
	struct rusage usage;

	getrusage(RUSAGE_SELF, &usage);
	return usage.ru_maxrss;
}
