/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the `make bench` programs share. A figure is the median of several
 * runs with their minimum and maximum; a figure with a baseline (dd, cat)
 * also gets the median of its ratios, each ratio taken from a run and the
 * baseline run beside it (A B A B ...), so that the machine's drift between
 * runs cancels instead of landing in one side. Each program takes
 *   --json      one JSON object per figure and line instead of text
 *   --runs N    measured runs per figure (default 5, at least 5 for a
 *               figure that is reported; fewer only for a quick look)
 * and prints, per figure, one line:
 *   name: value unit (min–max) ratio × baseline (min–max)
 * Nothing is ever asserted on time.
 */
#pragma once

#include <glib.h>
#include <sys/types.h>

G_BEGIN_DECLS

#define RB_BENCH_DEFAULT_RUNS 5

typedef struct _RbBench RbBench;
typedef struct _RbBenchFigure RbBenchFigure;

/* parses and removes the options above; exits with usage on a bad one */
RbBench *rb_bench_new(gint *argc, gchar ***argv);
void rb_bench_free(RbBench *self);
guint rb_bench_get_runs(RbBench *self);
gboolean rb_bench_get_json(RbBench *self);

/*
 * A figure of @unit ("MB/s", "%", "ms", "KiB", ...). With @baseline_name
 * (e.g. "dd"), add samples with rb_bench_figure_add_pair(); the ratio is
 * value / baseline value, so for times pass rates (or inverse) such that a
 * ratio above 1 means faster than the baseline.
 */
RbBenchFigure *rb_bench_figure_new(RbBench *bench,
				   const gchar *name,
				   const gchar *unit,
				   const gchar *baseline_name);
void rb_bench_figure_add(RbBenchFigure *self, gdouble value);
void rb_bench_figure_add_pair(RbBenchFigure *self, gdouble value, gdouble baseline);
/* a target the figure is compared with in the output ("≤ 1 %"), or NULL */
void rb_bench_figure_set_target(RbBenchFigure *self, const gchar *target);
/* the figure's line (text or JSON object, no newline); a figure without
 * values is "n/a" (JSON null): a figure the code under test cannot give */
gchar *rb_bench_figure_format(RbBenchFigure *self);
/* prints the figure (text line or JSON object) and frees it */
void rb_bench_figure_report(RbBenchFigure *self);

/* order statistics of @values (sorted in place); 0 when empty.
 * @quantile in [0, 1]: 0.5 the median, 0.99 the 99th percentile
 * (nearest rank) */
gdouble rb_bench_quantile(GArray *values, gdouble quantile);

/* a directory on tmpfs (/dev/shm) when there is one, so that file I/O is
 * memory speed on both sides of a comparison; else the temporary directory */
const gchar *rb_bench_tmpfs_dir(void);

/* what /proc says of a process */
typedef struct {
	guint64 cpu_us;       /* utime + stime, of ended threads too (clock ticks) */
	guint64 rss_kib;      /* VmRSS */
	guint64 peak_rss_kib; /* VmHWM */
	guint threads;
	guint64 ctx_switches; /* voluntary + involuntary over the live threads: wake-ups */
} RbBenchProcSample;

gboolean rb_bench_proc_sample(pid_t pid, RbBenchProcSample *out, GError **error);

/* seconds to copy @path to /dev/null with read(2) and write(2) */
gdouble rb_bench_cat(const gchar *path);
/* seconds for `dd if=@in of=@out bs=1M` (@in NULL: `cat @cat_in | dd ...`) */
gdouble rb_bench_dd(const gchar *in, const gchar *cat_in, const gchar *out, GError **error);
/* for qsort() of gdouble */
gint rb_bench_compare(gconstpointer a, gconstpointer b);
/* the process's peak RSS so far */
glong rb_bench_maxrss_kib(void);

G_END_DECLS
