/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `make bench`: how long a property Get takes while many clients poll and
 * a burn runs. rawburnd on a private bus with one paced 52× virtual
 * recorder; 100 connections, each polling org.freedesktop.DBus.Properties.Get
 * of Recorder and DiscFormat2RawCD properties at 10 Hz, spread over the
 * 100 ms period and driven from a few threads with their own GMainContext,
 * so that the bench's own loop is not what is measured. Every call's time
 * from send to reply is kept; each run gives p50 and p99 idle (no burn)
 * and during a burn of about 10 s from a pipe; the figures are their
 * medians over the runs. Beside them, each connection's Ping once a
 * second gives the bus round trip without rawburnd's main loop. The
 * virtual disc lives on tmpfs. Nothing is asserted on time.
 */
#include "config.h"

#include <fcntl.h>
#include <unistd.h>

#include "rb-bench-daemon.h"
#include "rb-bench.h"
#include "rb-dao-stream.h"
#include "rb-error.h"
#include "rb-test-client.h"
#include "rb-test-service.h"

#define RB_BENCH_PATH RB_DBUS_RECORDERS_PATH "/virtual0"
#define RB_BENCH_POLLERS 100
#define RB_BENCH_THREADS 4
#define RB_BENCH_PERIOD_MS 100
#define RB_BENCH_IDLE_SECONDS 3
/* 52× is 3900 sectors/s: the lead-in from -22650 and these take ~10 s */
#define RB_BENCH_TRACK_SECTORS 8000

typedef enum {
	RB_BENCH_PHASE_NONE,
	RB_BENCH_PHASE_IDLE,
	RB_BENCH_PHASE_BURN,
} RbBenchPhase;

/* what the poller threads share with the bench's thread */
typedef struct {
	const gchar *bus_address;
	gint phase; /* RbBenchPhase, atomic */
	gint stop;  /* atomic */
	gint ready; /* threads with their connections made, atomic */
} RbBenchShared;

typedef struct _RbBenchThread RbBenchThread;

typedef struct {
	RbBenchThread *thread;
	GDBusConnection *connection;
	guint index;
	guint next_property;
	gint64 sent_us;
	RbBenchPhase sent_phase;
	gboolean busy;
	/* the Ping beside the Gets */
	guint ticks;
	gint64 ping_sent_us;
	RbBenchPhase ping_phase;
	gboolean ping_busy;
} RbBenchPoller;

struct _RbBenchThread {
	RbBenchShared *shared;
	GMainContext *context;
	GThread *thread;
	guint first;
	RbBenchPoller pollers[RB_BENCH_POLLERS / RB_BENCH_THREADS];
	GArray *idle_ms;
	GArray *burn_ms;
	GArray *ping_idle_ms;
	GArray *ping_burn_ms;
	guint failures;
};

/* cached by the skeleton, computed per caller, or changing during a burn */
static const struct {
	const gchar *interface;
	const gchar *name;
} rb_bench_properties[] = {
	{RB_TEST_FORMAT, "CurrentAction"},
	{RB_TEST_RECORDER, "MediaPresent"},
	{RB_TEST_FORMAT, "ClientName"},
	{RB_TEST_FORMAT, "WriteInProgress"},
	{RB_TEST_RECORDER, "ExclusiveAccessOwner"},
	{RB_TEST_FORMAT, "RequestedSectorType"},
	{RB_TEST_FORMAT, "CurrentWriteSpeed"},
	{RB_TEST_RECORDER, "VendorId"},
};

static void
rb_bench_on_reply(GObject *source, GAsyncResult *result, gpointer user_data)
{
	RbBenchPoller *poller = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply =
		g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), result, &error);
	gdouble ms = (gdouble)(g_get_monotonic_time() - poller->sent_us) / 1000.0;

	poller->busy = FALSE;
	if (reply == NULL) {
		poller->thread->failures++;
		return;
	}
	if (poller->sent_phase == RB_BENCH_PHASE_IDLE)
		g_array_append_val(poller->thread->idle_ms, ms);
	else if (poller->sent_phase == RB_BENCH_PHASE_BURN)
		g_array_append_val(poller->thread->burn_ms, ms);
}

static void
rb_bench_on_ping(GObject *source, GAsyncResult *result, gpointer user_data)
{
	RbBenchPoller *poller = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply =
		g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), result, &error);
	gdouble ms = (gdouble)(g_get_monotonic_time() - poller->ping_sent_us) / 1000.0;

	poller->ping_busy = FALSE;
	if (reply == NULL) {
		poller->thread->failures++;
		return;
	}
	if (poller->ping_phase == RB_BENCH_PHASE_IDLE)
		g_array_append_val(poller->thread->ping_idle_ms, ms);
	else if (poller->ping_phase == RB_BENCH_PHASE_BURN)
		g_array_append_val(poller->thread->ping_burn_ms, ms);
}

/*
 * Once a second, half a period after a Get: org.freedesktop.DBus.Peer.Ping,
 * which GDBus answers in rawburnd's connection thread without its main
 * loop; the same round trip through the bus minus the main loop's hop and
 * the property's code, so Get − Ping is what rawburnd's side adds.
 */
static gboolean
rb_bench_ping(gpointer user_data)
{
	RbBenchPoller *poller = user_data;

	if (poller->ping_busy)
		return G_SOURCE_REMOVE;
	poller->ping_busy = TRUE;
	poller->ping_phase = g_atomic_int_get(&poller->thread->shared->phase);
	poller->ping_sent_us = g_get_monotonic_time();
	g_dbus_connection_call(poller->connection,
			       RB_DBUS_NAME,
			       RB_BENCH_PATH,
			       "org.freedesktop.DBus.Peer",
			       "Ping",
			       NULL,
			       G_VARIANT_TYPE_UNIT,
			       G_DBUS_CALL_FLAGS_NONE,
			       -1,
			       NULL,
			       rb_bench_on_ping,
			       poller);
	return G_SOURCE_REMOVE;
}

static gboolean
rb_bench_poll(gpointer user_data)
{
	RbBenchPoller *poller = user_data;
	guint p = poller->next_property++ % G_N_ELEMENTS(rb_bench_properties);

	if (poller->ticks++ % 10 == 0) {
		g_autoptr(GSource) ping = g_timeout_source_new(RB_BENCH_PERIOD_MS / 2);

		g_source_set_callback(ping, rb_bench_ping, poller, NULL);
		g_source_attach(ping, poller->thread->context);
	}

	/* a reply slower than the period delays the next call, as a polling
	 * client's would */
	if (poller->busy)
		return G_SOURCE_CONTINUE;
	poller->busy = TRUE;
	poller->sent_phase = g_atomic_int_get(&poller->thread->shared->phase);
	poller->sent_us = g_get_monotonic_time();
	g_dbus_connection_call(poller->connection,
			       RB_DBUS_NAME,
			       RB_BENCH_PATH,
			       "org.freedesktop.DBus.Properties",
			       "Get",
			       g_variant_new("(ss)",
					     rb_bench_properties[p].interface,
					     rb_bench_properties[p].name),
			       G_VARIANT_TYPE("(v)"),
			       G_DBUS_CALL_FLAGS_NONE,
			       -1,
			       NULL,
			       rb_bench_on_reply,
			       poller);
	return G_SOURCE_CONTINUE;
}

/* the first poll of each connection, spread over the period */
static gboolean
rb_bench_poll_start(gpointer user_data)
{
	RbBenchPoller *poller = user_data;
	g_autoptr(GSource) source = g_timeout_source_new(RB_BENCH_PERIOD_MS);

	g_source_set_callback(source, rb_bench_poll, poller, NULL);
	g_source_attach(source, poller->thread->context);
	rb_bench_poll(poller);
	return G_SOURCE_REMOVE;
}

static gpointer
rb_bench_thread_run(gpointer user_data)
{
	RbBenchThread *self = user_data;
	RbBenchShared *shared = self->shared;
	guint outstanding;

	g_main_context_push_thread_default(self->context);
	for (guint i = 0; i < G_N_ELEMENTS(self->pollers); i++) {
		RbBenchPoller *poller = &self->pollers[i];
		g_autoptr(GError) error = NULL;

		poller->thread = self;
		poller->index = self->first + i;
		poller->next_property = poller->index;
		poller->connection = g_dbus_connection_new_for_address_sync(
			shared->bus_address,
			G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
				G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
			NULL,
			NULL,
			&error);
		if (poller->connection == NULL)
			g_error("cannot connect to the private bus: %s", error->message);
		g_dbus_connection_set_exit_on_close(poller->connection, FALSE);
	}
	for (guint i = 0; i < G_N_ELEMENTS(self->pollers); i++) {
		RbBenchPoller *poller = &self->pollers[i];
		g_autoptr(GSource) source =
			g_timeout_source_new(poller->index * RB_BENCH_PERIOD_MS / RB_BENCH_POLLERS);

		g_source_set_callback(source, rb_bench_poll_start, poller, NULL);
		g_source_attach(source, self->context);
	}
	g_atomic_int_inc(&shared->ready);
	while (!g_atomic_int_get(&shared->stop))
		g_main_context_iteration(self->context, TRUE);
	/* the calls in flight end before their pollers do */
	do {
		outstanding = 0;
		for (guint i = 0; i < G_N_ELEMENTS(self->pollers); i++)
			outstanding += self->pollers[i].busy + self->pollers[i].ping_busy;
		if (outstanding > 0)
			g_main_context_iteration(self->context, TRUE);
	} while (outstanding > 0);
	for (guint i = 0; i < G_N_ELEMENTS(self->pollers); i++) {
		g_dbus_connection_close_sync(self->pollers[i].connection, NULL, NULL);
		g_object_unref(self->pollers[i].connection);
	}
	g_main_context_pop_thread_default(self->context);
	return NULL;
}

/* a two-track DAO stream (sector type 2) from the lead-in start on,
 * written to the pipe as fast as the burn takes it */
static gboolean
rb_bench_pattern(gint32 lba, guint8 *main_data, gpointer user_data, GError **error)
{
	for (guint i = 0; i < RB_CD_MAIN_SIZE; i++)
		main_data[i] = (guint8)(lba + i);
	return TRUE;
}

static gpointer
rb_bench_feed(gpointer user_data)
{
	gint fd = GPOINTER_TO_INT(user_data);
	const RbDaoTrack tracks[] = {{0, RB_BENCH_TRACK_SECTORS},
				     {RB_BENCH_TRACK_SECTORS, RB_BENCH_TRACK_SECTORS}};
	g_autoptr(GError) error = NULL;
	g_autoptr(RbDaoStream) stream =
		rb_dao_stream_new(-22650, tracks, 2, 2, rb_bench_pattern, NULL, NULL, &error);
	gsize size;
	g_autofree guint8 *buf = NULL;

	if (stream == NULL)
		g_error("%s", error->message);
	size = rb_dao_stream_get_sector_size(stream);
	buf = g_malloc(100 * size);
	for (gint32 lba = rb_dao_stream_get_first_lba(stream);
	     lba < rb_dao_stream_get_end_lba(stream);) {
		guint n = (guint)MIN(100, rb_dao_stream_get_end_lba(stream) - lba);
		gsize done = 0;

		if (!rb_dao_stream_get_sectors(stream, lba, n, buf, &error))
			g_error("%s", error->message);
		while (done < n * size) {
			gssize w = write(fd, buf + done, n * size - done);
			/* the burn failed and closed its end: its reply says why */
			if (w < 0)
				goto out;
			done += (gsize)w;
		}
		lba += (gint32)n;
	}
out:
	close(fd);
	return NULL;
}

static void
rb_bench_burn(RbTestService *service)
{
	g_autoptr(RbTestClient) burner = rb_test_client_new(service);
	g_autoptr(GUnixFDList) fds = NULL;
	g_autoptr(GThread) feeder = NULL;
	RbTestPending pending = {0};
	gint pipe_fds[2];

	rb_test_client_wait_for_drive(burner, RB_BENCH_PATH);
	ck_assert_int_eq(pipe(pipe_fds), 0);
	fcntl(pipe_fds[1], F_SETFD, FD_CLOEXEC);
	fds = rb_test_fd_list_new(pipe_fds[0]);
	close(pipe_fds[0]);
	feeder = g_thread_new("feeder", rb_bench_feed, GINT_TO_POINTER(pipe_fds[1]));
	rb_test_client_call_async(burner,
				  RB_BENCH_PATH,
				  RB_TEST_FORMAT,
				  "Burn",
				  g_variant_new_parsed("(@h 0, {'SectorType': <uint32 2>})"),
				  fds,
				  &pending);
	rb_test_pending_wait(&pending);
	rb_test_pending_assert_ok(&pending);
	rb_test_pending_clear(&pending);
	g_thread_join(g_steal_pointer(&feeder));
}

static gboolean
rb_bench_timeout(gpointer user_data)
{
	*(gboolean *)user_data = TRUE;
	return G_SOURCE_REMOVE;
}

/* the figures of a run, in the order of rb_bench_figure_names */
enum {
	RB_BENCH_GET_IDLE_P50,
	RB_BENCH_GET_IDLE_P99,
	RB_BENCH_GET_BURN_P50,
	RB_BENCH_GET_BURN_P99,
	RB_BENCH_PING_IDLE_P50,
	RB_BENCH_PING_IDLE_P99,
	RB_BENCH_PING_BURN_P50,
	RB_BENCH_PING_BURN_P99,
	RB_BENCH_N_FIGURES,
};

static const gchar *const rb_bench_figure_names[RB_BENCH_N_FIGURES] = {
	"Get p50 idle",
	"Get p99 idle",
	"Get p50 during a 52× burn",
	"Get p99 during a 52× burn",
	"Ping p50 idle (the bus round trip alone)",
	"Ping p99 idle (the bus round trip alone)",
	"Ping p50 during a 52× burn",
	"Ping p99 during a 52× burn",
};

/* @from's values into @to, and @from freed */
static void
rb_bench_collect(GArray *to, GArray *from)
{
	g_array_append_vals(to, from->data, from->len);
	g_array_unref(from);
}

/* one run: a fresh rawburnd (a blank disc), its figures in ms */
static void
rb_bench_measure_once(gdouble *figures)
{
	const gchar *args[] = {"--virtual-recorder", "media=cd-r-80,speed=52", NULL};
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(GArray) idle_ms = g_array_new(FALSE, FALSE, sizeof(gdouble));
	g_autoptr(GArray) burn_ms = g_array_new(FALSE, FALSE, sizeof(gdouble));
	g_autoptr(GArray) ping_idle_ms = g_array_new(FALSE, FALSE, sizeof(gdouble));
	g_autoptr(GArray) ping_burn_ms = g_array_new(FALSE, FALSE, sizeof(gdouble));
	RbBenchShared shared = {0};
	RbBenchThread threads[RB_BENCH_THREADS] = {{0}};
	gboolean idle_done = FALSE;
	guint failures = 0;

	/* as a service runs: its debug output would be most of its work */
	service->daemon_no_debug = TRUE;
	rb_test_service_start_daemon(service, args);
	shared.bus_address = service->bus_address;
	for (guint t = 0; t < RB_BENCH_THREADS; t++) {
		threads[t].shared = &shared;
		threads[t].context = g_main_context_new();
		threads[t].first = t * G_N_ELEMENTS(threads[t].pollers);
		threads[t].idle_ms = g_array_new(FALSE, FALSE, sizeof(gdouble));
		threads[t].burn_ms = g_array_new(FALSE, FALSE, sizeof(gdouble));
		threads[t].ping_idle_ms = g_array_new(FALSE, FALSE, sizeof(gdouble));
		threads[t].ping_burn_ms = g_array_new(FALSE, FALSE, sizeof(gdouble));
		threads[t].thread = g_thread_new("poller", rb_bench_thread_run, &threads[t]);
	}
	while (g_atomic_int_get(&shared.ready) < RB_BENCH_THREADS)
		g_usleep(10 * 1000);

	g_atomic_int_set(&shared.phase, RB_BENCH_PHASE_IDLE);
	g_timeout_add_seconds(RB_BENCH_IDLE_SECONDS, rb_bench_timeout, &idle_done);
	rb_test_iterate_until(&idle_done);
	g_atomic_int_set(&shared.phase, RB_BENCH_PHASE_BURN);
	rb_bench_burn(service);
	g_atomic_int_set(&shared.phase, RB_BENCH_PHASE_NONE);

	g_atomic_int_set(&shared.stop, TRUE);
	for (guint t = 0; t < RB_BENCH_THREADS; t++) {
		g_main_context_wakeup(threads[t].context);
		g_thread_join(threads[t].thread);
		rb_bench_collect(idle_ms, threads[t].idle_ms);
		rb_bench_collect(burn_ms, threads[t].burn_ms);
		rb_bench_collect(ping_idle_ms, threads[t].ping_idle_ms);
		rb_bench_collect(ping_burn_ms, threads[t].ping_burn_ms);
		failures += threads[t].failures;
		g_main_context_unref(threads[t].context);
	}
	ck_assert_msg(failures == 0, "%u calls failed", failures);
	ck_assert_uint_gt(burn_ms->len, 0);
	figures[RB_BENCH_GET_IDLE_P50] = rb_bench_quantile(idle_ms, 0.5);
	figures[RB_BENCH_GET_IDLE_P99] = rb_bench_quantile(idle_ms, 0.99);
	figures[RB_BENCH_GET_BURN_P50] = rb_bench_quantile(burn_ms, 0.5);
	figures[RB_BENCH_GET_BURN_P99] = rb_bench_quantile(burn_ms, 0.99);
	figures[RB_BENCH_PING_IDLE_P50] = rb_bench_quantile(ping_idle_ms, 0.5);
	figures[RB_BENCH_PING_IDLE_P99] = rb_bench_quantile(ping_idle_ms, 0.99);
	figures[RB_BENCH_PING_BURN_P50] = rb_bench_quantile(ping_burn_ms, 0.5);
	figures[RB_BENCH_PING_BURN_P99] = rb_bench_quantile(ping_burn_ms, 0.99);
	g_printerr("run: %u Gets idle p50 %.3f p99 %.3f ms, %u during the burn p50 %.3f p99 "
		   "%.3f ms; Ping idle p99 %.3f, during the burn p99 %.3f ms\n",
		   idle_ms->len,
		   figures[RB_BENCH_GET_IDLE_P50],
		   figures[RB_BENCH_GET_IDLE_P99],
		   burn_ms->len,
		   figures[RB_BENCH_GET_BURN_P50],
		   figures[RB_BENCH_GET_BURN_P99],
		   figures[RB_BENCH_PING_IDLE_P99],
		   figures[RB_BENCH_PING_BURN_P99]);
	rb_test_service_stop_daemon(service);
}

static void
rb_bench_property_get(gpointer data)
{
	RbBench *bench = data;
	RbBenchFigure *figures[RB_BENCH_N_FIGURES];

	for (guint f = 0; f < RB_BENCH_N_FIGURES; f++)
		figures[f] = rb_bench_figure_new(bench, rb_bench_figure_names[f], "ms", NULL);
	rb_bench_figure_set_target(figures[RB_BENCH_GET_BURN_P99], "≤ 1 ms");
	for (guint r = 0; r < rb_bench_get_runs(bench); r++) {
		gdouble values[RB_BENCH_N_FIGURES];

		rb_bench_measure_once(values);
		for (guint f = 0; f < RB_BENCH_N_FIGURES; f++)
			rb_bench_figure_add(figures[f], values[f]);
	}
	if (!rb_bench_get_json(bench))
		g_print("%u clients polling Get at %u Hz each, and a Ping each per second:\n",
			RB_BENCH_POLLERS,
			1000 / RB_BENCH_PERIOD_MS);
	for (guint f = 0; f < RB_BENCH_N_FIGURES; f++)
		rb_bench_figure_report(figures[f]);
}

int
main(int argc, char **argv)
{
	RbBench *bench = rb_bench_new(&argc, &argv);
	/* the fixture asserts with Check: rb_bench_run() runs the body as a
	 * silent test, on tmpfs (the virtual disc's backing file in memory) */
	gint status = rb_bench_run(rb_bench_property_get, bench);

	rb_bench_free(bench);
	return status;
}
