/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `make bench`: what a paced burn costs the service. rawburnd --session on a
 * private bus with N virtual recorders at 52x in real time (3,900 sectors/s);
 * N clients (rawburnctl burn) burn the same image from a file at once. While
 * every burn is WRITING, from /proc: the service's CPU in % of one core, its
 * context switches per second (every thread's wake-ups), and its peak RSS
 * over the whole run. With a second rawburnd given, each run of it sits
 * beside one of the first (A B A B ...) and the ratios are pairwise.
 *
 *   bench-paced-burn [--runs N] [--json] BURNS RAWBURND [BASELINE_RAWBURND]
 *
 * RAWBURNCTL, DBUS_DAEMON and MAKE_IMAGE name the programs (the build
 * tree's by default). Nothing is asserted.
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rb-bench.h"

#define RB_BENCH_NAME "org.rawburn.RawBurn1"
#define RB_BENCH_FORMAT "org.rawburn.RawBurn1.DiscFormat2RawCD"
#define RB_BENCH_MAX_BURNS 64

typedef struct {
	guint burns;
	guint writing;  /* recorders that said WRITING */
	guint finished; /* recorders past WRITING */
	gboolean seen[RB_BENCH_MAX_BURNS];
	gboolean done[RB_BENCH_MAX_BURNS];
} RbBenchWatch;

typedef struct {
	gdouble cpu_percent;
	gdouble switches_per_s;
	gdouble peak_rss_mib;
	gboolean ok;
} RbBenchResult;

static const gchar *
rb_bench_env(const gchar *name, const gchar *fallback)
{
	const gchar *value = g_getenv(name);
	return value != NULL ? value : fallback;
}

static void
rb_bench_on_update(GDBusConnection *connection,
		   const gchar *sender,
		   const gchar *path,
		   const gchar *interface,
		   const gchar *signal,
		   GVariant *params,
		   gpointer user_data)
{
	RbBenchWatch *watch = user_data;
	const gchar *slash = strrchr(path, '/');
	guint32 action = 0;
	guint index;

	g_variant_get_child(params, 0, "u", &action);
	if (slash == NULL || sscanf(slash, "/virtual%u", &index) != 1 || index >= watch->burns)
		return;
	if (action == 2 && !watch->seen[index]) {
		watch->seen[index] = TRUE;
		watch->writing++;
	}
	if (action > 2 && !watch->done[index]) {
		watch->done[index] = TRUE;
		watch->finished++;
	}
}

static GPid
rb_bench_spawn(const gchar *const *argv, gchar **envp, gint *stdout_fd)
{
	g_autoptr(GError) error = NULL;
	GPid pid;

	if (!g_spawn_async_with_pipes(NULL,
				      (gchar **)argv,
				      envp,
				      G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_SEARCH_PATH |
					      G_SPAWN_STDERR_TO_DEV_NULL |
					      (stdout_fd == NULL ? G_SPAWN_STDOUT_TO_DEV_NULL : 0),
				      NULL,
				      NULL,
				      &pid,
				      NULL,
				      stdout_fd,
				      NULL,
				      &error))
		g_error("cannot start %s: %s", argv[0], error->message);
	return pid;
}

static gint
rb_bench_wait(GPid pid)
{
	gint status = 0;

	waitpid(pid, &status, 0);
	g_spawn_close_pid(pid);
	return status;
}

/* utime + stime of the whole process, exited threads included */
static guint64
rb_bench_process_cpu_us(GPid pid)
{
	g_autofree gchar *path = g_strdup_printf("/proc/%d/stat", (gint)pid);
	g_autofree gchar *text = NULL;
	unsigned long long utime = 0;
	unsigned long long stime = 0;
	const gchar *after_comm;

	if (!g_file_get_contents(path, &text, NULL, NULL) ||
	    (after_comm = strrchr(text, ')')) == NULL ||
	    sscanf(after_comm + 2,
		   "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
		   &utime,
		   &stime) != 2)
		return 0;
	return (guint64)((gdouble)(utime + stime) * G_USEC_PER_SEC / sysconf(_SC_CLK_TCK));
}

static RbBenchResult
rb_bench_run(const gchar *rawburnd, const gchar *image, guint burns, const gchar *tmp)
{
	g_autofree gchar *conf = g_build_filename(tmp, "bus.conf", NULL);
	g_autofree gchar *conf_text = g_strdup_printf(
		"<busconfig><type>session</type><listen>unix:dir=%s</listen>"
		"<auth>EXTERNAL</auth><policy context=\"default\"><allow "
		"send_destination=\"*\"/><allow receive_sender=\"*\"/><allow own=\"*\"/>"
		"</policy></busconfig>",
		tmp);
	const gchar *bus_argv[] = {rb_bench_env("DBUS_DAEMON", "dbus-daemon"),
				   "--config-file",
				   conf,
				   "--nofork",
				   "--print-address=1",
				   NULL};
	g_autoptr(GPtrArray) daemon_argv = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GError) error = NULL;
	g_autoptr(GDBusConnection) connection = NULL;
	g_auto(GStrv) envp = NULL;
	const gchar *rawburnctl =
		rb_bench_env("RAWBURNCTL", RB_TEST_ABS_BUILDDIR "/client/rawburnctl");
	RbBenchWatch watch = {burns, 0, 0, {0}, {0}};
	RbBenchProcSample start;
	RbBenchProcSample end;
	RbBenchProcSample after;
	RbBenchResult result;
	GPid clients[RB_BENCH_MAX_BURNS];
	GPid bus_pid;
	GPid daemon_pid;
	gint64 start_us;
	gint64 end_us;
	guint64 start_cpu_us;
	guint64 end_cpu_us;
	guint64 switches = 0;
	guint subscription;
	gchar address[512] = {0};
	gint bus_out;
	gssize n;

	g_assert(g_file_set_contents(conf, conf_text, -1, NULL));
	bus_pid = rb_bench_spawn(bus_argv, NULL, &bus_out);
	n = read(bus_out, address, sizeof(address) - 1);
	g_assert(n > 0);
	close(bus_out);
	*strchr(address, '\n') = '\0';
	envp = g_environ_setenv(g_get_environ(), "DBUS_SESSION_BUS_ADDRESS", address, TRUE);

	g_ptr_array_add(daemon_argv, g_strdup(rawburnd));
	g_ptr_array_add(daemon_argv, g_strdup("--session"));
	g_ptr_array_add(daemon_argv, g_strdup("--max-virtual-recorders"));
	g_ptr_array_add(daemon_argv, g_strdup_printf("%u", RB_BENCH_MAX_BURNS));
	for (guint i = 0; i < burns; i++) {
		g_ptr_array_add(daemon_argv, g_strdup("--virtual-recorder"));
		g_ptr_array_add(daemon_argv, g_strdup("media=cd-r-80,speed=52"));
	}
	g_ptr_array_add(daemon_argv, NULL);
	daemon_pid = rb_bench_spawn((const gchar *const *)daemon_argv->pdata, envp, NULL);

	connection = g_dbus_connection_new_for_address_sync(
		address,
		G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
			G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
		NULL,
		NULL,
		&error);
	g_assert_no_error(error);
	subscription = g_dbus_connection_signal_subscribe(connection,
							  NULL,
							  RB_BENCH_FORMAT,
							  "Update",
							  NULL,
							  NULL,
							  G_DBUS_SIGNAL_FLAGS_NONE,
							  rb_bench_on_update,
							  &watch,
							  NULL);
	/* the service answers once its recorders are listed */
	for (guint tries = 0;; tries++) {
		const gchar *list_argv[] = {rawburnctl, "--session", "list", NULL};

		if (rb_bench_wait(rb_bench_spawn(list_argv, envp, NULL)) == 0)
			break;
		g_assert(tries < 200);
		g_usleep(100000);
	}
	for (guint i = 0; i < burns; i++) {
		g_autofree gchar *name = g_strdup_printf("virtual%u", i);
		const gchar *burn_argv[] = {
			rawburnctl, "--session", "burn", name, image, "--sector-type", "3", NULL};

		clients[i] = rb_bench_spawn(burn_argv, envp, NULL);
	}
	/* from every burn WRITING to the first one past it */
	while (watch.writing < burns)
		g_main_context_iteration(NULL, TRUE);
	g_assert(rb_bench_proc_sample(daemon_pid, &start, NULL));
	start_cpu_us = rb_bench_process_cpu_us(daemon_pid);
	start_us = g_get_monotonic_time();
	end = start;
	end_us = start_us;
	end_cpu_us = start_cpu_us;
	/* the last sample taken while every burn still writes ends the window.
	 * The thread sums lose a thread that exits (a GLib worker), so the
	 * switches add up the sums' rises between samples; the CPU comes from
	 * the process's own figure, which keeps its exited threads' */
	while (watch.finished == 0) {
		RbBenchProcSample sample;
		gint64 sample_us;
		guint64 sample_cpu_us;

		g_usleep(100000);
		while (g_main_context_iteration(NULL, FALSE))
			;
		sample_us = g_get_monotonic_time();
		sample_cpu_us = rb_bench_process_cpu_us(daemon_pid);
		if (watch.finished != 0)
			break;
		/* fails when a thread exits while its task is read */
		if (!rb_bench_proc_sample(daemon_pid, &sample, NULL))
			continue;
		if (sample.ctx_switches > end.ctx_switches)
			switches += sample.ctx_switches - end.ctx_switches;
		end = sample;
		end_us = sample_us;
		end_cpu_us = sample_cpu_us;
	}
	for (guint i = 0; i < burns; i++) {
		gint status = rb_bench_wait(clients[i]);

		if (status != 0)
			g_printerr("burn %u failed (wait status %d)\n", i, status);
	}
	if (g_getenv("RB_BENCH_VERBOSE") != NULL)
		g_printerr("%s: writing for %.2f s, %" G_GUINT64_FORMAT " µs of CPU\n",
			   rawburnd,
			   (gdouble)(end_us - start_us) / 1e6,
			   end_cpu_us - start_cpu_us);
	g_assert(rb_bench_proc_sample(daemon_pid, &after, NULL));
	result.peak_rss_mib = (gdouble)after.peak_rss_kib / 1024.0;
	/* a burn that failed at once leaves no window: the caller runs again */
	result.ok = end_us > start_us;
	result.cpu_percent =
		(gdouble)(end_cpu_us - start_cpu_us) * 100.0 / (gdouble)(end_us - start_us);
	result.switches_per_s = (gdouble)switches * 1e6 / (gdouble)(end_us - start_us);
	/* no signal of this run may reach the next one's watch */
	g_dbus_connection_signal_unsubscribe(connection, subscription);
	g_dbus_connection_close_sync(connection, NULL, NULL);
	while (g_main_context_iteration(NULL, FALSE))
		;
	kill(daemon_pid, SIGTERM);
	rb_bench_wait(daemon_pid);
	kill(bus_pid, SIGTERM);
	rb_bench_wait(bus_pid);
	if (!result.ok)
		g_printerr("%s: no burn wrote for 0.1 s; running again\n", rawburnd);
	return result;
}

static RbBenchResult
rb_bench_run_ok(const gchar *rawburnd, const gchar *image, guint burns, const gchar *tmp)
{
	for (guint tries = 0;; tries++) {
		RbBenchResult result = rb_bench_run(rawburnd, image, burns, tmp);

		if (result.ok)
			return result;
		g_assert(tries < 3);
	}
}

int
main(int argc, char **argv)
{
	RbBench *bench = rb_bench_new(&argc, &argv);
	g_autofree gchar *tmp = g_dir_make_tmp("rawburn-bench-XXXXXX", NULL);
	g_autofree gchar *image = NULL;
	g_autofree gchar *title = NULL;
	RbBenchFigure *cpu;
	RbBenchFigure *switches;
	RbBenchFigure *rss;
	const gchar *baseline;
	guint burns = 1;
	gint status;

	if (argc < 3 || argc > 4) {
		g_printerr("usage: %s [--runs N] [--json] BURNS RAWBURND [BASELINE]\n", argv[0]);
		return 2;
	}
	burns = (guint)CLAMP(g_ascii_strtoull(argv[1], NULL, 10), 1, RB_BENCH_MAX_BURNS);
	argv++;
	argc--;
	baseline = argc == 3 ? argv[2] : NULL;
	image = g_build_filename(rb_bench_tmpfs_dir(), "rawburn-bench-paced.raw", NULL);
	{
		const gchar *make_argv[] = {rb_bench_env("MAKE_IMAGE",
							 RB_TEST_ABS_BUILDDIR
							 "/tests/rawburn-make-image"),
					    "--sector-type",
					    "3",
					    "--tracks",
					    "2",
					    "--seconds",
					    "120",
					    image,
					    NULL};
		status = rb_bench_wait(rb_bench_spawn(make_argv, NULL, NULL));
		g_assert(status == 0);
	}

	title = g_strdup_printf("%u paced 52x burn(s)", burns);
	cpu = rb_bench_figure_new(
		bench, "CPU while writing", "% of a core", baseline ? "old" : NULL);
	switches = rb_bench_figure_new(
		bench, "context switches while writing", "/s", baseline ? "old" : NULL);
	rss = rb_bench_figure_new(bench, "peak RSS", "MiB", baseline ? "old" : NULL);
	g_print("%s:\n", title);
	for (guint r = 0; r < rb_bench_get_runs(bench); r++) {
		RbBenchResult now = rb_bench_run_ok(argv[1], image, burns, tmp);

		if (baseline != NULL) {
			RbBenchResult old = rb_bench_run_ok(baseline, image, burns, tmp);

			rb_bench_figure_add_pair(cpu, now.cpu_percent, old.cpu_percent);
			rb_bench_figure_add_pair(switches, now.switches_per_s, old.switches_per_s);
			rb_bench_figure_add_pair(rss, now.peak_rss_mib, old.peak_rss_mib);
		} else {
			rb_bench_figure_add(cpu, now.cpu_percent);
			rb_bench_figure_add(switches, now.switches_per_s);
			rb_bench_figure_add(rss, now.peak_rss_mib);
		}
	}
	rb_bench_figure_set_target(cpu, burns == 1 ? "≤ 1 %" : NULL);
	rb_bench_figure_report(cpu);
	rb_bench_figure_report(switches);
	rb_bench_figure_report(rss);
	g_unlink(image);
	g_rmdir(tmp);
	rb_bench_free(bench);
	return 0;
}
