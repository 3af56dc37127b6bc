/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the `make bench` programs that measure rawburnd share: the daemon on
 * a private bus (tests/rb-test-service.h) as a service runs it (no
 * --debug), its temporary files and the virtual discs' backing files on
 * tmpfs, paced 52× virtual recorders, and rounds of Burn calls fed through
 * pipes at full speed, with the times of their actions, the FIFO fill the
 * Update signals show and /proc samples of the daemon.
 */
#pragma once

#include <glib.h>
#include <sys/types.h>

#include "rb-bench.h"
#include "rb-test-client.h"

G_BEGIN_DECLS

/* the virtual recorders the paced figures burn on */
#define RB_BENCH_PACED_SPEC "media=cd-r-80,speed=52"
/* raw sectors a 52× drive takes per second */
#define RB_BENCH_SECTORS_PER_SECOND (52 * 75)
/* cd-r-80's lead-in start: streams start there, so nothing is skipped */
#define RB_BENCH_LEADIN_START (-11634)

/*
 * Sets up the environment every daemon started later inherits (TMPDIR on
 * tmpfs, the journal as KEY=VALUE fields, SIGPIPE ignored), then runs
 * @body(@data) as the one test of a silent Check suite, so that the
 * fixture's assertions report what failed. Prints the failure and returns
 * EXIT_FAILURE if it failed.
 */
gint rb_bench_run(void (*body)(gpointer data), gpointer data);

typedef struct {
	RbTestService *service;
	RbTestClient *client;
	guint n_recorders;
	/* how much of the daemon's log was read (rb_bench_daemon_read_journal) */
	gsize log_offset;
} RbBenchDaemon;

/* rawburnd with @n_recorders virtual recorders of @spec, each ready */
RbBenchDaemon *rb_bench_daemon_new(guint n_recorders, const gchar *spec);
/* stops rawburnd (failing if it does not exit cleanly) and the bus */
void rb_bench_daemon_free(RbBenchDaemon *self);
pid_t rb_bench_daemon_get_pid(RbBenchDaemon *self);
/* the object path of virtual recorder @index */
gchar *rb_bench_recorder_path(guint index);
/* a blank disc in recorder @index again after a burn */
void rb_bench_daemon_reload(RbBenchDaemon *self, guint index);
/* a number of recorder @index's ValidationReport; FALSE when the report
 * has none of @keys (a figure the daemon cannot give yet) */
gboolean rb_bench_daemon_report_number(RbBenchDaemon *self,
				       guint index,
				       const gchar *const *keys,
				       guint64 *value);
/* the values of @field in the journal records of @event the daemon logged
 * since the last call, in order, as strings */
GPtrArray *
rb_bench_daemon_read_journal(RbBenchDaemon *self, const gchar *event, const gchar *field);
/* @self's /proc sample; fails the test when the daemon is gone */
void rb_bench_daemon_sample(RbBenchDaemon *self, RbBenchProcSample *out);

/* a raw stream (data block type 3) from RB_BENCH_LEADIN_START with one
 * audio track of @program_sectors, whole in memory */
GBytes *rb_bench_stream_new(guint32 program_sectors);

/* one Burn of a round */
typedef struct {
	gint64 called_us;
	gint64 writing_us;   /* first Update saying WRITING, 0: none */
	gint64 finishing_us; /* first Update saying FINISHING or later */
	gint64 replied_us;
	/* the lowest used/total system buffer of the Updates during WRITING
	 * after the first WRITE while the client was still sending; -1: none */
	gdouble fifo_min_percent;
	gchar *error_name; /* NULL: the burn succeeded */
	gchar *message;
} RbBenchBurn;

typedef struct {
	guint n;
	RbBenchBurn *burns;
	RbBenchProcSample at_call;          /* before the first call */
	RbBenchProcSample at_first_writing; /* when the first burn said WRITING */
	RbBenchProcSample at_last_finishing;
	gint64 first_writing_us;
	gint64 last_finishing_us;
	guint64 max_rss_kib; /* of samples every 100 ms from the calls to the replies */
} RbBenchRound;

/* Burn on recorders 0 … @n - 1 at once, each fed @stream through its own
 * pipe at full speed from its own thread; returns once every call replied.
 * Does not reload the discs. */
void rb_bench_round_run(RbBenchDaemon *daemon, GBytes *stream, guint n, RbBenchRound *round);
/* fails the test unless every burn of @round succeeded */
void rb_bench_round_assert_ok(RbBenchRound *round);
void rb_bench_round_clear(RbBenchRound *round);

/* CPU time between two samples as % of one core over @wall_us */
gdouble
rb_bench_cpu_percent(const RbBenchProcSample *from, const RbBenchProcSample *to, gint64 wall_us);

G_END_DECLS
