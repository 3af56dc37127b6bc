/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `make bench`: what one paced burn costs. rawburnd (as a service runs it)
 * with one virtual recorder of a 52× drive whose 2 MiB buffer drains at
 * that speed; a client calls Burn with a pipe it fills at full speed, ~9 s
 * of writing. Figures, each the median of --runs burns after a warm-up
 * burn, with min–max:
 *   - the daemon's CPU time during WRITING (first WRITING Update to the
 *     first FINISHING one) as % of one core;
 *   - the FIFO's minimum fill after its pre-fill: the journal's
 *     RAWBURN_FIFO_MIN_FILL of the write-end record when the daemon logs
 *     it, else the lowest used/total system buffer of the Updates during
 *     WRITING after the first WRITE while the client still sent (one every
 *     half second: an estimate);
 *   - the finishing tail: seconds from FINISHING to the Burn reply.
 * With RB_BENCH_BASELINE_RAWBURND naming another build's rawburnd, each
 * burn has one of that build's beside it, and the CPU and the tail are
 * also given as ratios to it, run by run.
 * Numbers only: nothing is asserted on them.
 */
#include "config.h"

#include <stdlib.h>

#include "rb-bench-daemon.h"

/* ~9 s at 52× with the lead-in, the pregap and the lead-out */
#define RB_BENCH_PROGRAM_SECTORS 16500

typedef struct {
	RbBench *bench;
} RbBenchBurnArgs;

/* the journal's exact low-water mark of the burn that just ended; FALSE
 * when the daemon does not log it */
static gboolean
rb_bench_journal_fifo_min(RbBenchDaemon *daemon, gdouble *percent)
{
	g_autoptr(GPtrArray) values =
		rb_bench_daemon_read_journal(daemon, "write-end", "RAWBURN_FIFO_MIN_FILL");

	if (values->len == 0)
		return FALSE;
	*percent = g_ascii_strtod(g_ptr_array_index(values, values->len - 1), NULL);
	return TRUE;
}

/* one paced burn on @daemon: its CPU while WRITING, FIFO low-water mark,
 * finishing tail and WRITING time */
typedef struct {
	gdouble cpu;
	gdouble fifo; /* < 0: unknown */
	gdouble tail;
	gdouble writing;
} RbBenchBurnResult;

static void
rb_bench_burn_once(RbBenchDaemon *daemon, GBytes *stream, RbBenchBurnResult *out)
{
	RbBenchRound round;
	RbBenchBurn *burn;
	gdouble journal_min = 0;

	rb_bench_round_run(daemon, stream, 1, &round);
	rb_bench_round_assert_ok(&round);
	burn = &round.burns[0];
	out->cpu = rb_bench_cpu_percent(&round.at_first_writing,
					&round.at_last_finishing,
					round.last_finishing_us - round.first_writing_us);
	if (rb_bench_journal_fifo_min(daemon, &journal_min))
		out->fifo = journal_min;
	else
		out->fifo = burn->fifo_min_percent;
	out->tail = (gdouble)(burn->replied_us - burn->finishing_us) / G_USEC_PER_SEC;
	out->writing = (gdouble)(burn->finishing_us - burn->writing_us) / G_USEC_PER_SEC;
	rb_bench_round_clear(&round);
	rb_bench_daemon_reload(daemon, 0);
}

static void
rb_bench_burns(gpointer data)
{
	RbBenchBurnArgs *args = data;
	g_autoptr(GBytes) stream = rb_bench_stream_new(RB_BENCH_PROGRAM_SECTORS);
	/* RB_BENCH_BASELINE_RAWBURND: another build's rawburnd, each of its
	 * burns beside one of ours (A B A B), the CPU and the tail as ratios
	 * run by run: what the host's drift between runs cannot fake */
	const gchar *baseline_path = g_getenv("RB_BENCH_BASELINE_RAWBURND");
	const gchar *baseline_name = baseline_path != NULL ? "baseline build" : NULL;
	RbBenchDaemon *daemon = rb_bench_daemon_new(1, RB_BENCH_PACED_SPEC);
	RbBenchDaemon *baseline = NULL;
	RbBenchFigure *cpu = rb_bench_figure_new(args->bench,
						 "paced 52× burn: rawburnd CPU while WRITING",
						 "% of a core",
						 baseline_name);
	RbBenchFigure *fifo = rb_bench_figure_new(
		args->bench, "paced 52× burn: FIFO minimum fill after pre-fill", "%", NULL);
	RbBenchFigure *tail = rb_bench_figure_new(
		args->bench, "paced 52× burn: FINISHING to the Burn reply", "s", baseline_name);
	RbBenchFigure *writing =
		rb_bench_figure_new(args->bench, "paced 52× burn: WRITING phase", "s", NULL);

	if (baseline_path != NULL) {
		g_setenv("RB_TEST_RAWBURND", baseline_path, TRUE);
		baseline = rb_bench_daemon_new(1, RB_BENCH_PACED_SPEC);
		g_unsetenv("RB_TEST_RAWBURND");
	}
	rb_bench_figure_set_target(cpu, "≤ 1 %");
	for (guint run = 0; run <= rb_bench_get_runs(args->bench); run++) {
		RbBenchBurnResult ours;
		RbBenchBurnResult theirs = {0};

		rb_bench_burn_once(daemon, stream, &ours);
		if (baseline != NULL)
			rb_bench_burn_once(baseline, stream, &theirs);
		/* the first burn of each warms it up and is not counted */
		if (run == 0)
			continue;
		if (baseline != NULL) {
			rb_bench_figure_add_pair(cpu, ours.cpu, theirs.cpu);
			rb_bench_figure_add_pair(tail, ours.tail, theirs.tail);
		} else {
			rb_bench_figure_add(cpu, ours.cpu);
			rb_bench_figure_add(tail, ours.tail);
		}
		if (ours.fifo >= 0)
			rb_bench_figure_add(fifo, ours.fifo);
		rb_bench_figure_add(writing, ours.writing);
	}
	if (baseline != NULL)
		rb_bench_daemon_free(baseline);
	rb_bench_daemon_free(daemon);
	rb_bench_figure_report(cpu);
	rb_bench_figure_report(fifo);
	rb_bench_figure_report(tail);
	rb_bench_figure_report(writing);
}

int
main(int argc, char **argv)
{
	RbBenchBurnArgs args = {rb_bench_new(&argc, &argv)};
	gint status = rb_bench_run(rb_bench_burns, &args);

	rb_bench_free(args.bench);
	return status;
}
