/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `make bench`: a disc duplicator's worth of paced burns at once. For N =
 * 1, 8, 32 and 64: rawburnd (as a service runs it) with N virtual 52×
 * recorders whose buffers drain at that speed; N clients call Burn at the
 * same moment, each with a pipe a thread of its own fills at full speed,
 * ~5 s of writing each. A round is N such burns; after a warm-up round,
 * --runs rounds per N. Figures per N, each the median over the rounds with
 * min–max:
 *   - start delay: from a call to its recorder's first Update saying
 *     WRITING, the median burn of the round and the slowest;
 *   - underruns: the recorders' ValidationReport count summed over the
 *     round (n/a while the report has none);
 *   - rawburnd's CPU time from the calls to the last FINISHING, % of one
 *     core;
 *   - rawburnd's RSS, the largest of samples every 100 ms.
 * Numbers only: nothing is asserted on them. Counts given on the command
 * line (bench-concurrent-burns [--runs N] [--json] [COUNT...]) replace
 * 1, 8, 32 and 64.
 */
#include "config.h"

#include <stdlib.h>

#include "rb-bench-daemon.h"

/* ~5 s at 52× with the lead-in, the pregap and the lead-out */
#define RB_BENCH_PROGRAM_SECTORS 1000

static const guint rb_bench_counts[] = {1, 8, 32, 64};
/* the most recorders a round may have (bench-concurrent-burns N ...) */
#define RB_BENCH_MAX_BURNS 128

/* the report's underrun count, under the names it may have */
static const gchar *const rb_bench_underrun_keys[] = {"Underruns", "BufferUnderruns", NULL};

typedef struct {
	RbBench *bench;
	GBytes *stream;
	const gchar *const *counts; /* NULL: rb_bench_counts */
} RbBenchArgs;

static gdouble
rb_bench_delay_ms(const RbBenchBurn *burn)
{
	return (gdouble)(burn->writing_us - burn->called_us) / 1000.0;
}

static void
rb_bench_concurrent(RbBenchArgs *args, guint n)
{
	RbBenchDaemon *daemon = rb_bench_daemon_new(n, RB_BENCH_PACED_SPEC);
	g_autofree gchar *name_delay = g_strdup_printf("%u paced burns: start delay, median", n);
	g_autofree gchar *name_slowest = g_strdup_printf("%u paced burns: start delay, slowest", n);
	g_autofree gchar *name_underruns = g_strdup_printf("%u paced burns: underruns", n);
	g_autofree gchar *name_cpu = g_strdup_printf("%u paced burns: rawburnd CPU", n);
	g_autofree gchar *name_rss = g_strdup_printf("%u paced burns: rawburnd RSS", n);
	RbBenchFigure *delay = rb_bench_figure_new(args->bench, name_delay, "ms", NULL);
	RbBenchFigure *slowest = rb_bench_figure_new(args->bench, name_slowest, "ms", NULL);
	RbBenchFigure *underruns = rb_bench_figure_new(args->bench, name_underruns, "", NULL);
	RbBenchFigure *cpu = rb_bench_figure_new(args->bench, name_cpu, "% of a core", NULL);
	RbBenchFigure *rss = rb_bench_figure_new(args->bench, name_rss, "KiB", NULL);

	if (n == 64) {
		rb_bench_figure_set_target(slowest, "≤ 100 ms");
		rb_bench_figure_set_target(underruns, "0");
	}
	for (guint run = 0; run <= rb_bench_get_runs(args->bench); run++) {
		g_autoptr(GArray) delays = g_array_new(FALSE, FALSE, sizeof(gdouble));
		RbBenchRound round;
		guint64 round_underruns = 0;
		gboolean have_underruns = TRUE;

		rb_bench_round_run(daemon, args->stream, n, &round);
		rb_bench_round_assert_ok(&round);
		for (guint i = 0; i < n; i++) {
			gdouble ms = rb_bench_delay_ms(&round.burns[i]);
			guint64 count = 0;

			g_array_append_val(delays, ms);
			if (rb_bench_daemon_report_number(
				    daemon, i, rb_bench_underrun_keys, &count))
				round_underruns += count;
			else
				have_underruns = FALSE;
			rb_bench_daemon_reload(daemon, i);
		}
		/* the first round warms the daemon up and is not counted */
		if (run > 0) {
			rb_bench_figure_add(delay, rb_bench_quantile(delays, 0.5));
			rb_bench_figure_add(slowest, rb_bench_quantile(delays, 1));
			if (have_underruns)
				rb_bench_figure_add(underruns, (gdouble)round_underruns);
			rb_bench_figure_add(cpu,
					    rb_bench_cpu_percent(&round.at_call,
								 &round.at_last_finishing,
								 round.last_finishing_us -
									 round.burns[0].called_us));
			rb_bench_figure_add(rss, (gdouble)round.max_rss_kib);
		}
		rb_bench_round_clear(&round);
	}
	rb_bench_daemon_free(daemon);
	rb_bench_figure_report(delay);
	rb_bench_figure_report(slowest);
	rb_bench_figure_report(underruns);
	rb_bench_figure_report(cpu);
	rb_bench_figure_report(rss);
}

static void
rb_bench_all(gpointer data)
{
	RbBenchArgs *args = data;

	args->stream = rb_bench_stream_new(RB_BENCH_PROGRAM_SECTORS);
	if (args->counts != NULL) {
		for (guint i = 0; args->counts[i] != NULL; i++)
			rb_bench_concurrent(
				args,
				(guint)CLAMP(g_ascii_strtoull(args->counts[i], NULL, 10),
					     1,
					     RB_BENCH_MAX_BURNS));
	} else {
		for (guint i = 0; i < G_N_ELEMENTS(rb_bench_counts); i++)
			rb_bench_concurrent(args, rb_bench_counts[i]);
	}
	g_bytes_unref(args->stream);
}

int
main(int argc, char **argv)
{
	RbBenchArgs args = {rb_bench_new(&argc, &argv), NULL, NULL};
	gint status;

	/* N ... on the command line: only these counts */
	if (argc > 1)
		args.counts = (const gchar *const *)argv + 1;
	status = rb_bench_run(rb_bench_all, &args);

	rb_bench_free(args.bench);
	return status;
}
