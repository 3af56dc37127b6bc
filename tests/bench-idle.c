/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `make bench`: what an idle rawburnd costs. rawburnd (as a service runs
 * it) with one virtual 52× recorder, settled 2 s after its start; over the
 * next 10 s its wake-ups per second (the context switches of its threads),
 * then its RSS and threads. The same again after one paced burn ended (2 s
 * after the reply): what the burn left behind, such as a FIFO not freed.
 * Each figure the median of --runs daemon starts after a warm-up start,
 * with min–max. Numbers only: nothing is asserted on them.
 */
#include "config.h"

#include <stdlib.h>

#include "rb-bench-daemon.h"

#define RB_BENCH_SETTLE_US (2 * G_USEC_PER_SEC)
#define RB_BENCH_WINDOW_US (10 * G_USEC_PER_SEC)
/* ~5 s at 52× with the lead-in, the pregap and the lead-out */
#define RB_BENCH_PROGRAM_SECTORS 1000

typedef struct {
	RbBenchFigure *wakeups;
	RbBenchFigure *rss;
	RbBenchFigure *threads;
} RbBenchIdleFigures;

typedef struct {
	RbBench *bench;
	RbBenchIdleFigures before;
	RbBenchIdleFigures after;
} RbBenchArgs;

static void
rb_bench_idle_figures_init(RbBenchIdleFigures *figures, RbBench *bench, const gchar *when)
{
	g_autofree gchar *wakeups = g_strdup_printf("idle rawburnd%s: wake-ups", when);
	g_autofree gchar *rss = g_strdup_printf("idle rawburnd%s: RSS", when);
	g_autofree gchar *threads = g_strdup_printf("idle rawburnd%s: threads", when);

	figures->wakeups = rb_bench_figure_new(bench, wakeups, "/s", NULL);
	figures->rss = rb_bench_figure_new(bench, rss, "KiB", NULL);
	figures->threads = rb_bench_figure_new(bench, threads, "", NULL);
	rb_bench_figure_set_target(figures->rss, "≤ 6144 KiB");
}

static void
rb_bench_idle_figures_report(RbBenchIdleFigures *figures)
{
	rb_bench_figure_report(figures->wakeups);
	rb_bench_figure_report(figures->rss);
	rb_bench_figure_report(figures->threads);
}

/* settles, then counts over the window */
static void
rb_bench_idle_measure(RbBenchDaemon *daemon, RbBenchIdleFigures *figures)
{
	RbBenchProcSample start;
	RbBenchProcSample end;
	gint64 start_us;
	gint64 end_us;

	g_usleep(RB_BENCH_SETTLE_US);
	rb_bench_daemon_sample(daemon, &start);
	start_us = g_get_monotonic_time();
	g_usleep(RB_BENCH_WINDOW_US);
	rb_bench_daemon_sample(daemon, &end);
	end_us = g_get_monotonic_time();
	rb_bench_figure_add(figures->wakeups,
			    (gdouble)(end.ctx_switches - start.ctx_switches) * G_USEC_PER_SEC /
				    (gdouble)(end_us - start_us));
	rb_bench_figure_add(figures->rss, (gdouble)end.rss_kib);
	rb_bench_figure_add(figures->threads, end.threads);
}

static void
rb_bench_idle(gpointer data)
{
	RbBenchArgs *args = data;
	g_autoptr(GBytes) stream = rb_bench_stream_new(RB_BENCH_PROGRAM_SECTORS);

	rb_bench_idle_figures_init(&args->before, args->bench, "");
	rb_bench_idle_figures_init(&args->after, args->bench, " after a burn");
	/* the warm-up start: the daemon's binary and libraries in the page
	 * cache, and the bus set up once; nothing counted */
	rb_bench_daemon_free(rb_bench_daemon_new(1, RB_BENCH_PACED_SPEC));
	for (guint run = 0; run < rb_bench_get_runs(args->bench); run++) {
		RbBenchDaemon *daemon = rb_bench_daemon_new(1, RB_BENCH_PACED_SPEC);
		RbBenchRound round;

		rb_bench_idle_measure(daemon, &args->before);
		rb_bench_round_run(daemon, stream, 1, &round);
		rb_bench_round_assert_ok(&round);
		rb_bench_round_clear(&round);
		rb_bench_idle_measure(daemon, &args->after);
		rb_bench_daemon_free(daemon);
	}
	rb_bench_idle_figures_report(&args->before);
	rb_bench_idle_figures_report(&args->after);
}

int
main(int argc, char **argv)
{
	RbBenchArgs args = {rb_bench_new(&argc, &argv)};
	gint status = rb_bench_run(rb_bench_idle, &args);

	rb_bench_free(args.bench);
	return status;
}
