/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "rawburnctl monitor [--json]": one line per event until SIGINT or SIGTERM.
 * First what is there (the recorders, the jobs), then what changes: a
 * recorder appearing or going, its medium changing, a job starting, its
 * progress (at most once a second per job) and its end. The events come
 * from the ObjectManager and from the generated proxies, so nothing is
 * polled.
 */
#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "rb-ctl-jobs.h"
#include "rb-ctl-json.h"
#include "rb-error.h"

#define RB_CTL_MONITOR_PROGRESS_INTERVAL_US G_USEC_PER_SEC

typedef struct {
	RbCtl *ctl;
	GMainLoop *loop;
	GHashTable *last_progress; /* job path -> gint64* monotonic time of its last line */
} RbCtlMonitor;

static void
rb_ctl_monitor_emit(GString *line)
{
	g_print("%s\n", line->str);
	/* a pipe or a log sees each event as it happens */
	fflush(stdout);
}

static GString *
rb_ctl_monitor_json_start(const gchar *event)
{
	GString *line = g_string_new("{\"event\":");

	rb_ctl_json_append_string(line, event);
	return line;
}

static void
rb_ctl_monitor_json_field(GString *line, const gchar *key, GVariant *value)
{
	g_autoptr(GVariant) sunk = g_variant_ref_sink(value);

	g_string_append_c(line, ',');
	rb_ctl_json_append_string(line, key);
	g_string_append_c(line, ':');
	rb_ctl_json_append_variant(line, sunk);
}

/* a job's number, as a JSON number */
static GVariant *
rb_ctl_monitor_job_index(const gchar *path)
{
	return g_variant_new_uint64(g_ascii_strtoull(rb_ctl_job_number(path), NULL, 10));
}

static gboolean
rb_ctl_monitor_is_recorder(GDBusObject *object)
{
	g_autoptr(GDBusInterface) recorder =
		g_dbus_object_get_interface(object, "org.rawburn.RawBurn1.Recorder");

	return recorder != NULL;
}

/* the recorder a job works on, by its name */
static gchar *
rb_ctl_monitor_job_recorder(RbJob *job)
{
	const gchar *const *objects = rb_job_get_objects(job);

	return objects != NULL && objects[0] != NULL ? rb_ctl_recorder_name(objects[0])
						     : g_strdup("");
}

static void
rb_ctl_monitor_recorder(RbCtlMonitor *monitor, GDBusObject *object, gboolean added)
{
	const gchar *path = g_dbus_object_get_object_path(object);
	g_autofree gchar *name = rb_ctl_recorder_name(path);
	g_autoptr(GString) line = NULL;

	if (monitor->ctl->json) {
		line = rb_ctl_monitor_json_start(added ? "recorder-added" : "recorder-removed");
		rb_ctl_monitor_json_field(line, "recorder", g_variant_new_string(name));
		rb_ctl_monitor_json_field(line, "object", g_variant_new_object_path(path));
		g_string_append_c(line, '}');
	} else {
		line = g_string_new(NULL);
		/* TRANSLATORS: %s is a recorder's name such as sr0, then its object path */
		g_string_printf(line,
				added ? _("recorder added: %s (%s)")
				      : _("recorder removed: %s (%s)"),
				name,
				path);
	}
	rb_ctl_monitor_emit(line);
}

static void
rb_ctl_monitor_job_added(RbCtlMonitor *monitor, RbJob *job, const gchar *path)
{
	g_autofree gchar *recorder = rb_ctl_monitor_job_recorder(job);
	g_autoptr(GString) line = NULL;

	if (monitor->ctl->json) {
		line = rb_ctl_monitor_json_start("job-added");
		rb_ctl_monitor_json_field(line, "job", rb_ctl_monitor_job_index(path));
		rb_ctl_monitor_json_field(line, "object", g_variant_new_object_path(path));
		rb_ctl_monitor_json_field(
			line, "operation", g_variant_new_string(rb_job_get_operation(job)));
		rb_ctl_monitor_json_field(line, "recorder", g_variant_new_string(recorder));
		rb_ctl_monitor_json_field(
			line, "client", g_variant_new_string(rb_job_get_client_name(job)));
		rb_ctl_monitor_json_field(
			line, "uid", g_variant_new_uint32(rb_job_get_started_by_uid(job)));
		rb_ctl_monitor_json_field(
			line, "cancelable", g_variant_new_boolean(rb_job_get_cancelable(job)));
		g_string_append_c(line, '}');
	} else {
		line = g_string_new(NULL);
		/* TRANSLATORS: job NUMBER OPERATION (raw-cd-write, erase, verify) on
		 * RECORDER by “CLIENT NAME” (uid NUMBER) */
		g_string_printf(line,
				_("job %s added: %s on %s by “%s” (uid %u)"),
				rb_ctl_job_number(path),
				rb_job_get_operation(job),
				recorder,
				rb_job_get_client_name(job),
				rb_job_get_started_by_uid(job));
	}
	rb_ctl_monitor_emit(line);
}

static void
rb_ctl_monitor_job_progress(RbCtlMonitor *monitor, RbJob *job, const gchar *path)
{
	gint64 now = g_get_monotonic_time();
	gint64 *last = g_hash_table_lookup(monitor->last_progress, path);
	guint64 end = rb_job_get_expected_end_time(job);
	g_autoptr(GString) line = NULL;

	if (!rb_job_get_progress_valid(job))
		return;
	if (last == NULL) {
		last = g_new0(gint64, 1);
		g_hash_table_insert(monitor->last_progress, g_strdup(path), last);
	} else if (now - *last < RB_CTL_MONITOR_PROGRESS_INTERVAL_US) {
		return;
	}
	*last = now;
	if (monitor->ctl->json) {
		line = rb_ctl_monitor_json_start("job-progress");
		rb_ctl_monitor_json_field(line, "job", rb_ctl_monitor_job_index(path));
		rb_ctl_monitor_json_field(
			line, "progress", g_variant_new_double(rb_job_get_progress(job)));
		rb_ctl_monitor_json_field(
			line, "bytes", g_variant_new_uint64(rb_job_get_bytes(job)));
		rb_ctl_monitor_json_field(line, "rate", g_variant_new_uint64(rb_job_get_rate(job)));
		rb_ctl_monitor_json_field(line, "expected_end", g_variant_new_uint64(end));
		g_string_append_c(line, '}');
	} else {
		line = g_string_new(NULL);
		/* TRANSLATORS: job NUMBER: PERCENT% */
		g_string_printf(line,
				_("job %s: %.0f%%"),
				rb_ctl_job_number(path),
				rb_job_get_progress(job) * 100.0);
		/* an erase knows no rate, an early sample no end */
		if (rb_job_get_rate(job) != 0) {
			g_autofree gchar *rate = g_format_size(rb_job_get_rate(job));

			/* TRANSLATORS: a rate such as 1.2 MB per second */
			g_string_append_printf(line, _(", %s/s"), rate);
		}
		if (end != 0) {
			g_autoptr(GDateTime) time =
				g_date_time_new_from_unix_local((gint64)(end / G_USEC_PER_SEC));
			g_autofree gchar *when =
				time != NULL ? g_date_time_format(time, "%X") : NULL;

			if (when != NULL)
				/* TRANSLATORS: the expected end, a time of day */
				g_string_append_printf(line, _(", ends at %s"), when);
		}
	}
	rb_ctl_monitor_emit(line);
}

static void
rb_ctl_monitor_on_completed(RbJob *job, gboolean success, const gchar *message, gpointer user_data)
{
	RbCtlMonitor *monitor = user_data;
	const gchar *path = g_dbus_proxy_get_object_path(G_DBUS_PROXY(job));
	g_autoptr(GString) line = NULL;

	if (monitor->ctl->json) {
		line = rb_ctl_monitor_json_start("job-completed");
		rb_ctl_monitor_json_field(line, "job", rb_ctl_monitor_job_index(path));
		rb_ctl_monitor_json_field(line, "success", g_variant_new_boolean(success));
		rb_ctl_monitor_json_field(line, "message", g_variant_new_string(message));
		g_string_append_c(line, '}');
	} else {
		line = g_string_new(NULL);
		if (success)
			g_string_printf(line, _("job %s completed"), rb_ctl_job_number(path));
		else
			/* TRANSLATORS: job NUMBER failed: the service's error */
			g_string_printf(
				line, _("job %s failed: %s"), rb_ctl_job_number(path), message);
	}
	rb_ctl_monitor_emit(line);
}

static void
rb_ctl_monitor_job_removed(RbCtlMonitor *monitor, const gchar *path)
{
	g_autoptr(GString) line = NULL;

	g_hash_table_remove(monitor->last_progress, path);
	if (monitor->ctl->json) {
		line = rb_ctl_monitor_json_start("job-removed");
		rb_ctl_monitor_json_field(line, "job", rb_ctl_monitor_job_index(path));
		g_string_append_c(line, '}');
	} else {
		line = g_string_new(NULL);
		g_string_printf(line, _("job %s removed"), rb_ctl_job_number(path));
	}
	rb_ctl_monitor_emit(line);
}

static void
rb_ctl_monitor_add_object(RbCtlMonitor *monitor, GDBusObject *object)
{
	g_autoptr(RbJob) job = rb_object_get_job(RB_OBJECT(object));

	if (job != NULL) {
		g_signal_connect(
			job, "completed", G_CALLBACK(rb_ctl_monitor_on_completed), monitor);
		rb_ctl_monitor_job_added(monitor, job, g_dbus_object_get_object_path(object));
		rb_ctl_monitor_job_progress(monitor, job, g_dbus_object_get_object_path(object));
	} else if (rb_ctl_monitor_is_recorder(object)) {
		rb_ctl_monitor_recorder(monitor, object, TRUE);
	}
}

static void
rb_ctl_monitor_on_object_added(GDBusObjectManager *manager, GDBusObject *object, gpointer user_data)
{
	rb_ctl_monitor_add_object(user_data, object);
}

static void
rb_ctl_monitor_on_object_removed(GDBusObjectManager *manager,
				 GDBusObject *object,
				 gpointer user_data)
{
	RbCtlMonitor *monitor = user_data;
	g_autoptr(RbJob) job = rb_object_get_job(RB_OBJECT(object));

	if (job != NULL) {
		g_signal_handlers_disconnect_by_data(job, monitor);
		rb_ctl_monitor_job_removed(monitor, g_dbus_object_get_object_path(object));
	} else if (rb_ctl_monitor_is_recorder(object)) {
		rb_ctl_monitor_recorder(monitor, object, FALSE);
	}
}

/* the medium's properties, the way "info" names them */
static gboolean
rb_ctl_monitor_is_media_property(const gchar *name)
{
	return g_strstr_len(name, -1, "Media") != NULL;
}

static void
rb_ctl_monitor_media_changed(RbCtlMonitor *monitor, GDBusObject *object, GVariant *changed)
{
	const gchar *path = g_dbus_object_get_object_path(object);
	g_autofree gchar *name = rb_ctl_recorder_name(path);
	g_autoptr(GString) line = NULL;
	g_autoptr(GString) values = g_string_new(NULL);
	GVariantIter iter;
	const gchar *key;
	GVariant *entry_value;

	g_variant_iter_init(&iter, changed);
	while (g_variant_iter_next(&iter, "{&sv}", &key, &entry_value)) {
		g_autoptr(GVariant) value = entry_value;

		if (!rb_ctl_monitor_is_media_property(key))
			continue;
		if (monitor->ctl->json) {
			g_string_append_c(values, values->len > 0 ? ',' : '{');
			rb_ctl_json_append_string(values, key);
			g_string_append_c(values, ':');
			rb_ctl_json_append_variant(values, value);
		} else {
			g_autofree gchar *text = g_variant_print(value, FALSE);

			g_string_append_printf(values, " %s=%s", key, text);
		}
	}
	if (values->len == 0)
		return;
	if (monitor->ctl->json) {
		line = rb_ctl_monitor_json_start("media-changed");
		rb_ctl_monitor_json_field(line, "recorder", g_variant_new_string(name));
		g_string_append_printf(line, ",\"properties\":%s}}", values->str);
	} else {
		line = g_string_new(NULL);
		/* TRANSLATORS: RECORDER, then the changed properties as NAME=VALUE */
		g_string_printf(line, _("media changed: %s%s"), name, values->str);
	}
	rb_ctl_monitor_emit(line);
}

static void
rb_ctl_monitor_on_properties_changed(GDBusObjectManagerClient *manager,
				     GDBusObjectProxy *object_proxy,
				     GDBusProxy *interface_proxy,
				     GVariant *changed,
				     const gchar *const *invalidated,
				     gpointer user_data)
{
	RbCtlMonitor *monitor = user_data;
	GDBusObject *object = G_DBUS_OBJECT(object_proxy);

	if (RB_IS_JOB(interface_proxy)) {
		rb_ctl_monitor_job_progress(
			monitor, RB_JOB(interface_proxy), g_dbus_object_get_object_path(object));
		return;
	}
	if (rb_ctl_monitor_is_recorder(object))
		rb_ctl_monitor_media_changed(monitor, object, changed);
}

static gboolean
rb_ctl_monitor_on_signal(gpointer user_data)
{
	RbCtlMonitor *monitor = user_data;

	g_main_loop_quit(monitor->loop);
	return G_SOURCE_CONTINUE;
}

int
rb_ctl_cmd_monitor(RbCtl *ctl, gint argc, gchar **argv, GError **error)
{
	const GOptionEntry entries[] = {{NULL}};
	RbCtlMonitor monitor = {ctl, NULL, NULL};
	GList *objects;
	guint sigint_id;
	guint sigterm_id;

	if (!rb_ctl_parse_command(
		    ctl,
		    "monitor",
		    "",
		    _("Shows the recorders, media and jobs (burns, erases, verifications) as "
		      "they change, one line per event, until interrupted."),
		    entries,
		    0,
		    _("“monitor” takes no arguments"),
		    &argc,
		    &argv,
		    error))
		return RB_CTL_EXIT_USAGE;
	if (!rb_ctl_connect(ctl, error))
		return EXIT_FAILURE;
	monitor.loop = g_main_loop_new(NULL, FALSE);
	monitor.last_progress = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_signal_connect(ctl->object_manager,
			 "object-added",
			 G_CALLBACK(rb_ctl_monitor_on_object_added),
			 &monitor);
	g_signal_connect(ctl->object_manager,
			 "object-removed",
			 G_CALLBACK(rb_ctl_monitor_on_object_removed),
			 &monitor);
	g_signal_connect(ctl->object_manager,
			 "interface-proxy-properties-changed",
			 G_CALLBACK(rb_ctl_monitor_on_properties_changed),
			 &monitor);
	objects = g_dbus_object_manager_get_objects(ctl->object_manager);
	for (GList *l = objects; l != NULL; l = l->next)
		rb_ctl_monitor_add_object(&monitor, l->data);
	g_list_free_full(objects, g_object_unref);
	/* an interrupt is how a monitor ends: not a failure */
	sigint_id = g_unix_signal_add(SIGINT, rb_ctl_monitor_on_signal, &monitor);
	sigterm_id = g_unix_signal_add(SIGTERM, rb_ctl_monitor_on_signal, &monitor);
	g_main_loop_run(monitor.loop);
	g_source_remove(sigint_id);
	g_source_remove(sigterm_id);
	g_signal_handlers_disconnect_by_data(ctl->object_manager, &monitor);
	objects = g_dbus_object_manager_get_objects(ctl->object_manager);
	for (GList *l = objects; l != NULL; l = l->next) {
		g_autoptr(RbJob) job = rb_object_get_job(RB_OBJECT(l->data));

		if (job != NULL)
			g_signal_handlers_disconnect_by_data(job, &monitor);
	}
	g_list_free_full(objects, g_object_unref);
	g_hash_table_unref(monitor.last_progress);
	g_main_loop_unref(monitor.loop);
	return EXIT_SUCCESS;
}
