/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the `make bench` programs that measure rawburnd share
 * (rb-bench-daemon.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rb-bench-daemon.h"
#include "rb-dao-stream.h"
#include "rb-error.h"

/* Check's test functions take no argument: the body rb_bench_run() runs */
typedef struct {
	void (*body)(gpointer data);
	gpointer data;
} RbBenchBody;

static RbBenchBody rb_bench_body;

START_TEST(rb_bench_test)
{
	rb_bench_body.body(rb_bench_body.data);
}
END_TEST

gint
rb_bench_run(void (*body)(gpointer data), gpointer data)
{
	Suite *suite = suite_create("bench");
	TCase *tc = tcase_create("bench");
	SRunner *runner;
	gint failed;

	/* before anything reads it: g_get_tmp_dir() keeps its first answer */
	g_setenv("TMPDIR", rb_bench_tmpfs_dir(), TRUE);
	g_setenv("RAWBURN_LOG_FORMAT", "fields", TRUE);
	/* a burn that fails leaves its feeder writing into a closed pipe */
	signal(SIGPIPE, SIG_IGN);
	rb_bench_body.body = body;
	rb_bench_body.data = data;
	/* a measurement, not a test: as long as it takes */
	tcase_set_timeout(tc, 3600);
	tcase_add_test(tc, rb_bench_test);
	suite_add_tcase(suite, tc);
	runner = srunner_create(suite);
	srunner_run_all(runner, CK_SILENT);
	failed = srunner_ntests_failed(runner);
	if (failed > 0)
		srunner_print(runner, CK_NORMAL);
	srunner_free(runner);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

gchar *
rb_bench_recorder_path(guint index)
{
	return g_strdup_printf(RB_DBUS_RECORDERS_PATH "/virtual%u", index);
}

RbBenchDaemon *
rb_bench_daemon_new(guint n_recorders, const gchar *spec)
{
	RbBenchDaemon *self = g_new0(RbBenchDaemon, 1);
	g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func(g_free);

	for (guint i = 0; i < n_recorders; i++) {
		g_ptr_array_add(args, g_strdup("--virtual-recorder"));
		g_ptr_array_add(args, g_strdup(spec));
	}
	g_ptr_array_add(args, g_strdup("--max-virtual-recorders"));
	g_ptr_array_add(args, g_strdup_printf("%u", MAX(n_recorders, 32)));
	g_ptr_array_add(args, NULL);
	self->n_recorders = n_recorders;
	self->service = rb_test_service_new_bus();
	/* as a service runs: debug output would be part of what is measured */
	self->service->daemon_no_debug = TRUE;
	rb_test_service_start_daemon(self->service, (const gchar *const *)args->pdata);
	self->client = rb_test_client_new(self->service);
	for (guint i = 0; i < n_recorders; i++) {
		g_autofree gchar *path = rb_bench_recorder_path(i);
		rb_test_client_wait_for_drive(self->client, path);
	}
	return self;
}

void
rb_bench_daemon_free(RbBenchDaemon *self)
{
	rb_test_client_free(self->client);
	rb_test_service_stop_daemon(self->service);
	rb_test_service_free(self->service);
	g_free(self);
}

pid_t
rb_bench_daemon_get_pid(RbBenchDaemon *self)
{
	return (pid_t)self->service->daemon_pid;
}

void
rb_bench_daemon_reload(RbBenchDaemon *self, guint index)
{
	g_autofree gchar *path = rb_bench_recorder_path(index);

	rb_test_client_assert_call(self->client, path, RB_TEST_VIRTUAL, "RemoveMedia", NULL, -1);
	rb_test_client_assert_call(self->client,
				   path,
				   RB_TEST_VIRTUAL,
				   "InsertMedia",
				   g_variant_new("(s)", "cd-r-80"),
				   -1);
}

gboolean
rb_bench_daemon_report_number(RbBenchDaemon *self,
			      guint index,
			      const gchar *const *keys,
			      guint64 *value)
{
	g_autofree gchar *path = rb_bench_recorder_path(index);
	g_autoptr(GVariant) report =
		rb_test_client_get(self->client, path, RB_TEST_VIRTUAL, "ValidationReport");

	for (guint i = 0; keys[i] != NULL; i++) {
		g_autoptr(GVariant) number = g_variant_lookup_value(report, keys[i], NULL);

		if (number != NULL) {
			*value = rb_test_report_number(report, keys[i]);
			return TRUE;
		}
	}
	return FALSE;
}

GPtrArray *
rb_bench_daemon_read_journal(RbBenchDaemon *self, const gchar *event, const gchar *field)
{
	GPtrArray *values = g_ptr_array_new_with_free_func(g_free);
	g_autofree gchar *log = NULL;
	g_autofree gchar *event_field = g_strdup_printf("RAWBURN_EVENT=%s", event);
	g_autofree gchar *prefix = g_strdup_printf("%s=", field);
	g_auto(GStrv) lines = NULL;
	gsize length = 0;

	if (!g_file_get_contents(self->service->daemon_log, &log, &length, NULL) ||
	    length < self->log_offset)
		return values;
	/* only whole lines: the daemon may be writing the next one */
	for (gsize end = length; end > self->log_offset; end--) {
		if (log[end - 1] == '\n') {
			log[end - 1] = '\0';
			lines = g_strsplit(log + self->log_offset, "\n", -1);
			self->log_offset = end;
			break;
		}
	}
	for (guint i = 0; lines != NULL && lines[i] != NULL; i++) {
		g_auto(GStrv) fields = g_strsplit(lines[i], "\t", -1);
		const gchar *value = NULL;
		gboolean is_event = FALSE;

		for (guint j = 0; fields[j] != NULL; j++) {
			if (g_strcmp0(fields[j], event_field) == 0)
				is_event = TRUE;
			else if (g_str_has_prefix(fields[j], prefix))
				value = fields[j] + strlen(prefix);
		}
		if (is_event && value != NULL)
			g_ptr_array_add(values, g_strdup(value));
	}
	return values;
}

void
rb_bench_daemon_sample(RbBenchDaemon *self, RbBenchProcSample *out)
{
	g_autoptr(GError) error = NULL;

	ck_assert_msg(rb_bench_proc_sample(rb_bench_daemon_get_pid(self), out, &error),
		      "cannot sample rawburnd: %s",
		      error != NULL ? error->message : "");
}

gdouble
rb_bench_cpu_percent(const RbBenchProcSample *from, const RbBenchProcSample *to, gint64 wall_us)
{
	if (wall_us <= 0)
		return 0;
	return (gdouble)(to->cpu_us - from->cpu_us) * 100.0 / (gdouble)wall_us;
}

static gboolean
rb_bench_pattern(gint32 lba, guint8 *main_data, gpointer user_data, GError **error)
{
	for (guint i = 0; i < RB_CD_MAIN_SIZE; i++)
		main_data[i] = (guint8)(lba * 5 + i);
	return TRUE;
}

GBytes *
rb_bench_stream_new(guint32 program_sectors)
{
	const RbDaoTrack track = {0, program_sectors};
	g_autoptr(GError) error = NULL;
	g_autoptr(RbDaoStream) stream = rb_dao_stream_new(
		RB_BENCH_LEADIN_START, &track, 1, 3, rb_bench_pattern, NULL, NULL, &error);
	gsize sector_size;
	guint32 n_sectors;
	guint8 *bytes;

	ck_assert_msg(stream != NULL, "%s", error != NULL ? error->message : "");
	sector_size = rb_dao_stream_get_sector_size(stream);
	n_sectors = rb_dao_stream_get_n_sectors(stream);
	bytes = g_malloc((gsize)n_sectors * sector_size);
	ck_assert_msg(
		rb_dao_stream_get_sectors(stream, RB_BENCH_LEADIN_START, n_sectors, bytes, &error),
		"%s",
		error != NULL ? error->message : "");
	return g_bytes_new_take(bytes, (gsize)n_sectors * sector_size);
}

/* one pipe's writer: the whole stream, then the end of it */
typedef struct {
	GBytes *stream;
	gint fd;
	gint feeding; /* atomic: 1 until the last byte is in the pipe */
	GThread *thread;
} RbBenchFeeder;

static gpointer
rb_bench_feed(gpointer user_data)
{
	RbBenchFeeder *feeder = user_data;
	gsize size = 0;
	const guint8 *data = g_bytes_get_data(feeder->stream, &size);

	for (gsize done = 0; done < size;) {
		gssize n = write(feeder->fd, data + done, size - done);

		if (n < 0 && errno == EINTR)
			continue;
		/* the burn failed and closed its end: the call's reply says why */
		if (n <= 0)
			break;
		done += (gsize)n;
	}
	g_atomic_int_set(&feeder->feeding, 0);
	close(feeder->fd);
	return NULL;
}

typedef struct {
	RbBenchDaemon *daemon;
	RbBenchRound *round;
	RbBenchFeeder *feeders;
	guint n_writing;
	guint n_finishing;
} RbBenchWatch;

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
	RbBenchRound *round = watch->round;
	gint64 now = g_get_monotonic_time();
	RbTestUpdate update;
	RbBenchBurn *burn;
	guint index = 0;

	if (sscanf(path, RB_DBUS_RECORDERS_PATH "/virtual%u", &index) != 1 || index >= round->n)
		return;
	burn = &round->burns[index];
	rb_test_update_parse(params, &update);
	/* an Update shows the action current when it is sent: a short
	 * action may be skipped */
	if (update.action >= 2 && burn->writing_us == 0) {
		burn->writing_us = now;
		if (watch->n_writing++ == 0) {
			round->first_writing_us = now;
			rb_bench_daemon_sample(watch->daemon, &round->at_first_writing);
		}
	}
	if (update.action >= 3 && burn->finishing_us == 0) {
		burn->finishing_us = now;
		if (++watch->n_finishing == round->n) {
			round->last_finishing_us = now;
			rb_bench_daemon_sample(watch->daemon, &round->at_last_finishing);
		}
	}
	/* the pre-fill is over once a sector was written; once the client
	 * sent its last byte the FIFO drains by design */
	if (update.action == 2 && update.last_written >= update.start_lba &&
	    update.fifo_total > 0 && g_atomic_int_get(&watch->feeders[index].feeding)) {
		gdouble percent = 100.0 * update.fifo_used / update.fifo_total;

		if (burn->fifo_min_percent < 0 || percent < burn->fifo_min_percent)
			burn->fifo_min_percent = percent;
	}
}

static gboolean
rb_bench_on_rss_timer(gpointer user_data)
{
	RbBenchWatch *watch = user_data;
	RbBenchProcSample sample;

	rb_bench_daemon_sample(watch->daemon, &sample);
	watch->round->max_rss_kib = MAX(watch->round->max_rss_kib, sample.rss_kib);
	return G_SOURCE_CONTINUE;
}

void
rb_bench_round_run(RbBenchDaemon *daemon, GBytes *stream, guint n, RbBenchRound *round)
{
	g_autofree RbTestPending *pending = g_new0(RbTestPending, n);
	g_autofree RbBenchFeeder *feeders = g_new0(RbBenchFeeder, n);
	g_autofree gchar *options = g_strdup_printf(
		"{'SectorType': <uint32 3>, 'StreamLeadInSectors': <%d>}", -RB_BENCH_LEADIN_START);
	RbBenchWatch watch = {daemon, round, feeders, 0, 0};
	guint subscription;
	guint timer;
	gboolean all_done = FALSE;

	memset(round, 0, sizeof(*round));
	round->n = n;
	round->burns = g_new0(RbBenchBurn, n);
	for (guint i = 0; i < n; i++)
		round->burns[i].fifo_min_percent = -1;
	subscription = g_dbus_connection_signal_subscribe(daemon->client->connection,
							  RB_DBUS_NAME,
							  RB_TEST_FORMAT,
							  "Update",
							  NULL,
							  NULL,
							  G_DBUS_SIGNAL_FLAGS_NONE,
							  rb_bench_on_update,
							  &watch,
							  NULL);
	timer = g_timeout_add(100, rb_bench_on_rss_timer, &watch);
	rb_bench_daemon_sample(daemon, &round->at_call);
	round->max_rss_kib = round->at_call.rss_kib;
	for (guint i = 0; i < n; i++) {
		g_autofree gchar *path = rb_bench_recorder_path(i);
		g_autoptr(GUnixFDList) fds = NULL;
		gint pipe_fds[2];

		ck_assert_int_eq(g_unix_open_pipe(pipe_fds, FD_CLOEXEC, NULL), TRUE);
		fds = rb_test_fd_list_new(pipe_fds[0]);
		close(pipe_fds[0]);
		feeders[i].stream = stream;
		feeders[i].fd = pipe_fds[1];
		feeders[i].feeding = 1;
		round->burns[i].called_us = g_get_monotonic_time();
		rb_test_client_call_async(
			daemon->client,
			path,
			RB_TEST_FORMAT,
			"Burn",
			g_variant_new("(h@a{sv})", 0, g_variant_new_parsed(options)),
			fds,
			&pending[i]);
		feeders[i].thread = g_thread_new("bench-feeder", rb_bench_feed, &feeders[i]);
	}
	while (!all_done) {
		g_main_context_iteration(NULL, TRUE);
		all_done = TRUE;
		for (guint i = 0; i < n; i++) {
			if (pending[i].done && round->burns[i].replied_us == 0)
				round->burns[i].replied_us = g_get_monotonic_time();
			all_done = all_done && pending[i].done;
		}
	}
	g_source_remove(timer);
	rb_test_signal_unsubscribe(daemon->client->connection, subscription);
	for (guint i = 0; i < n; i++) {
		g_thread_join(feeders[i].thread);
		round->burns[i].error_name = g_steal_pointer(&pending[i].error_name);
		round->burns[i].message = g_steal_pointer(&pending[i].message);
		rb_test_pending_clear(&pending[i]);
	}
}

void
rb_bench_round_assert_ok(RbBenchRound *round)
{
	for (guint i = 0; i < round->n; i++) {
		ck_assert_msg(round->burns[i].error_name == NULL,
			      "burn %u of %u: %s: %s",
			      i,
			      round->n,
			      round->burns[i].error_name,
			      round->burns[i].message);
		ck_assert_msg(round->burns[i].writing_us != 0 && round->burns[i].finishing_us != 0,
			      "burn %u of %u: no Update said WRITING and FINISHING",
			      i,
			      round->n);
	}
}

void
rb_bench_round_clear(RbBenchRound *round)
{
	for (guint i = 0; i < round->n; i++) {
		g_free(round->burns[i].error_name);
		g_free(round->burns[i].message);
	}
	g_clear_pointer(&round->burns, g_free);
}
