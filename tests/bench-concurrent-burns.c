/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `make bench`: how long a burn waits before it starts when a disc
 * duplicator's worth of recorders burn at once. rawburnd on a private bus
 * with 32 virtual recorders; 32 clients call Burn at the same moment, each
 * with a pipe it then feeds; the delay is from a call to its recorder's
 * first Update saying WRITING. Also how long an idle recorder's
 * PrepareMedia takes meanwhile. Prints medians and maxima over several
 * rounds; nothing is asserted.
 */
#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include "rb-error.h"
#include "rb-test-client.h"

#define RB_BENCH_RECORDERS 32
#define RB_BENCH_ROUNDS 5

typedef struct {
	gint64 sent_us[RB_BENCH_RECORDERS];
	gint64 writing_us[RB_BENCH_RECORDERS];
	guint n_writing;
} RbBenchRound;

static void
rb_bench_on_update(GDBusConnection *connection,
		   const gchar *sender,
		   const gchar *path,
		   const gchar *interface,
		   const gchar *signal,
		   GVariant *params,
		   gpointer user_data)
{
	RbBenchRound *round = user_data;
	guint32 action = 0;
	guint index = 0;

	g_variant_get_child(params, 0, "u", &action);
	if (action != 2 || sscanf(path, RB_DBUS_RECORDERS_PATH "/virtual%u", &index) != 1 ||
	    index >= RB_BENCH_RECORDERS || round->writing_us[index] != 0)
		return;
	round->writing_us[index] = g_get_monotonic_time();
	round->n_writing++;
}

static gint
rb_bench_compare(gconstpointer a, gconstpointer b)
{
	gdouble x = *(const gdouble *)a;
	gdouble y = *(const gdouble *)b;

	return x < y ? -1 : x > y;
}

static gdouble
rb_bench_median(GArray *values)
{
	g_array_sort(values, rb_bench_compare);
	return g_array_index(values, gdouble, values->len / 2);
}

/* a Check test only because the fixture asserts with Check */
START_TEST(bench_concurrent_burns)
{
	g_autoptr(GPtrArray) args = g_ptr_array_new();
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(RbTestClient) watcher = NULL;
	g_autoptr(GArray) delays = g_array_new(FALSE, FALSE, sizeof(gdouble));
	g_autoptr(GArray) worst = g_array_new(FALSE, FALSE, sizeof(gdouble));
	g_autoptr(GArray) prepares = g_array_new(FALSE, FALSE, sizeof(gdouble));
	g_autofree gchar *idle =
		g_strdup_printf(RB_DBUS_RECORDERS_PATH "/virtual%u", RB_BENCH_RECORDERS);
	RbTestClient *clients[RB_BENCH_RECORDERS];
	guint8 start[2448] = {0};
	gdouble max_delay = 0;

	for (guint i = 0; i <= RB_BENCH_RECORDERS; i++) {
		g_ptr_array_add(args, (gpointer) "--virtual-recorder");
		g_ptr_array_add(args, (gpointer) "media=cd-r-80,realtime=false");
	}
	g_ptr_array_add(args, (gpointer) "--max-virtual-recorders");
	g_ptr_array_add(args, (gpointer) "40");
	g_ptr_array_add(args, (gpointer) "--fifo-size");
	g_ptr_array_add(args, (gpointer) "4");
	g_ptr_array_add(args, NULL);
	rb_test_service_start_daemon(service, (const gchar *const *)args->pdata);
	watcher = rb_test_client_new(service);
	for (guint i = 0; i < RB_BENCH_RECORDERS; i++) {
		g_autofree gchar *path = g_strdup_printf(RB_DBUS_RECORDERS_PATH "/virtual%u", i);
		clients[i] = rb_test_client_new(service);
		rb_test_client_wait_for_drive(clients[i], path);
	}
	rb_test_client_wait_for_drive(watcher, idle);

	for (guint r = 0; r < RB_BENCH_ROUNDS; r++) {
		RbBenchRound round = {{0}};
		RbTestPending burns[RB_BENCH_RECORDERS];
		gint writers[RB_BENCH_RECORDERS];
		guint subscription = g_dbus_connection_signal_subscribe(watcher->connection,
									RB_DBUS_NAME,
									RB_TEST_FORMAT,
									"Update",
									NULL,
									NULL,
									G_DBUS_SIGNAL_FLAGS_NONE,
									rb_bench_on_update,
									&round,
									NULL);
		gint64 prepare_start;
		gdouble prepare_ms;
		gdouble round_worst = 0;
		g_autofree gchar *prepared = NULL;
		g_autofree gchar *released = NULL;

		for (guint i = 0; i < RB_BENCH_RECORDERS; i++) {
			g_autofree gchar *path =
				g_strdup_printf(RB_DBUS_RECORDERS_PATH "/virtual%u", i);
			g_autoptr(GUnixFDList) fds = NULL;
			gint pipe_fds[2];

			g_assert(pipe(pipe_fds) == 0);
			g_assert(write(pipe_fds[1], start, sizeof(start)) == sizeof(start));
			writers[i] = pipe_fds[1];
			fds = rb_test_fd_list_new(pipe_fds[0]);
			close(pipe_fds[0]);
			round.sent_us[i] = g_get_monotonic_time();
			rb_test_client_call_async(
				clients[i],
				path,
				RB_TEST_FORMAT,
				"Burn",
				g_variant_new_parsed("(@h 0, {'SectorType': <uint32 3>})"),
				fds,
				&burns[i]);
		}
		/* an idle recorder, while all the others start their burns */
		prepare_start = g_get_monotonic_time();
		prepared = rb_test_client_call(
			watcher, idle, RB_TEST_FORMAT, "PrepareMedia", NULL, NULL, NULL);
		prepare_ms = (gdouble)(g_get_monotonic_time() - prepare_start) / 1000.0;
		g_array_append_val(prepares, prepare_ms);
		released = rb_test_client_call(
			watcher, idle, RB_TEST_FORMAT, "ReleaseMedia", NULL, NULL, NULL);
		while (round.n_writing < RB_BENCH_RECORDERS)
			g_main_context_iteration(NULL, TRUE);
		for (guint i = 0; i < RB_BENCH_RECORDERS; i++) {
			gdouble delay = (gdouble)(round.writing_us[i] - round.sent_us[i]) / 1000.0;
			g_array_append_val(delays, delay);
			round_worst = MAX(round_worst, delay);
			max_delay = MAX(max_delay, delay);
		}
		g_array_append_val(worst, round_worst);
		/* the streams end here: each burn fails, its recorder is free again */
		for (guint i = 0; i < RB_BENCH_RECORDERS; i++)
			close(writers[i]);
		for (guint i = 0; i < RB_BENCH_RECORDERS; i++) {
			rb_test_pending_wait(&burns[i]);
			rb_test_pending_clear(&burns[i]);
		}
		rb_test_signal_unsubscribe(watcher->connection, subscription);
	}
	g_print("%u burns at once, %u rounds:\n", RB_BENCH_RECORDERS, RB_BENCH_ROUNDS);
	g_print("  Burn call to WRITING: median %.1f ms, median of the slowest per round %.1f "
		"ms, slowest %.1f ms\n",
		rb_bench_median(delays),
		rb_bench_median(worst),
		max_delay);
	g_print("  an idle recorder's PrepareMedia meanwhile: median %.1f ms\n",
		rb_bench_median(prepares));
	for (guint i = 0; i < RB_BENCH_RECORDERS; i++)
		rb_test_client_free(clients[i]);
	rb_test_service_stop_daemon(service);
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("bench");
	TCase *tc = tcase_create("bench");

	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, bench_concurrent_burns);
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
