/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "rawburnctl cancel JOB|RECORDER": Job.Cancel of a job given by its number
 * or object path, or of the job running on a recorder. A job someone else
 * started may need org.rawburn.cancel-other, so polkit may ask.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

#include "rb-ctl-errors.h"
#include "rb-ctl-jobs.h"
#include "rb-error.h"

const gchar *
rb_ctl_job_number(const gchar *object_path)
{
	const gchar *last = strrchr(object_path, '/');

	return last != NULL ? last + 1 : object_path;
}

static gboolean
rb_ctl_cancel_is_number(const gchar *text)
{
	if (text[0] == '\0')
		return FALSE;
	for (const gchar *p = text; *p != '\0'; p++) {
		if (!g_ascii_isdigit(*p))
			return FALSE;
	}
	return TRUE;
}

/* the job's number: the later of two jobs is the higher */
static guint64
rb_ctl_cancel_job_index(const gchar *path)
{
	return g_ascii_strtoull(rb_ctl_job_number(path), NULL, 10);
}

/*
 * @wanted as a job (a number, a job's object path) or a recorder (its
 * name, device node or object path): the job, or for a recorder the latest
 * of its jobs (an earlier one has ended). NULL when there is none.
 */
static RbJob *
rb_ctl_cancel_find(RbCtl *ctl, const gchar *wanted, gboolean *is_recorder)
{
	g_autofree gchar *job_path = rb_ctl_cancel_is_number(wanted)
					     ? g_strconcat(RB_CTL_JOB_PATH_PREFIX, wanted, NULL)
					     : g_strdup(wanted);
	GList *objects = g_dbus_object_manager_get_objects(ctl->object_manager);
	g_autofree gchar *recorder_path = NULL;
	RbJob *found = NULL;
	guint64 found_index = 0;

	*is_recorder = FALSE;
	/* the recorder, if @wanted names one */
	for (GList *l = objects; l != NULL && recorder_path == NULL; l = l->next) {
		const gchar *path = g_dbus_object_get_object_path(l->data);
		g_autoptr(RbRecorder) recorder = rb_object_get_recorder(RB_OBJECT(l->data));
		g_autofree gchar *name = rb_ctl_recorder_name(path);

		if (recorder == NULL)
			continue;
		if (g_strcmp0(wanted, path) == 0 || g_strcmp0(wanted, name) == 0 ||
		    (wanted[0] != '\0' &&
		     g_strcmp0(wanted, rb_recorder_get_device_node(recorder)) == 0))
			recorder_path = g_strdup(path);
	}
	*is_recorder = recorder_path != NULL;
	for (GList *l = objects; l != NULL; l = l->next) {
		const gchar *path = g_dbus_object_get_object_path(l->data);
		g_autoptr(RbJob) job = rb_object_get_job(RB_OBJECT(l->data));
		const gchar *const *on;

		if (job == NULL)
			continue;
		if (recorder_path == NULL) {
			if (g_strcmp0(path, job_path) == 0) {
				found = g_steal_pointer(&job);
				break;
			}
			continue;
		}
		on = rb_job_get_objects(job);
		if (on != NULL && g_strv_contains(on, recorder_path) &&
		    (found == NULL || rb_ctl_cancel_job_index(path) > found_index)) {
			g_clear_object(&found);
			found_index = rb_ctl_cancel_job_index(path);
			found = g_steal_pointer(&job);
		}
	}
	g_list_free_full(objects, g_object_unref);
	return found;
}

int
rb_ctl_cmd_cancel(RbCtl *ctl, gint argc, gchar **argv, GError **error)
{
	const GOptionEntry entries[] = {{NULL}};
	g_autoptr(RbJob) job = NULL;
	g_autoptr(GError) error_remote = NULL;
	gboolean is_recorder = FALSE;

	if (!rb_ctl_parse_command(
		    ctl,
		    "cancel",
		    _("JOB|RECORDER"),
		    _("Cancels a burn or verification: a job by its number or object path "
		      "(“rawburnctl monitor” shows them), or the one running on a recorder."),
		    entries,
		    1,
		    _("“cancel” needs one JOB (a number such as 3, or an object path) or "
		      "RECORDER (a name such as virtual0)"),
		    &argc,
		    &argv,
		    error))
		return RB_CTL_EXIT_USAGE;
	if (!rb_ctl_connect(ctl, error))
		return EXIT_FAILURE;
	job = rb_ctl_cancel_find(ctl, argv[1], &is_recorder);
	if (job == NULL) {
		if (is_recorder)
			g_set_error(error,
				    RB_CTL_ERROR,
				    RB_CTL_ERROR_NO_SUCH_JOB,
				    _("Nothing runs on “%s”: no burn, erase or verification to "
				      "cancel."),
				    argv[1]);
		else
			g_set_error(error,
				    RB_CTL_ERROR,
				    RB_CTL_ERROR_NO_SUCH_RECORDER,
				    _("No recorder or job “%s”; “rawburnctl list” shows the "
				      "recorders, “rawburnctl monitor” the jobs."),
				    argv[1]);
		return RB_CTL_EXIT_NOT_FOUND;
	}
	if (!rb_job_call_cancel_sync(job,
				     g_variant_new_array(G_VARIANT_TYPE("{sv}"), NULL, 0),
				     RB_CTL_CALL_FLAGS,
				     RB_CTL_AUTHORIZED_CALL_TIMEOUT_MS,
				     NULL,
				     &error_remote)) {
		g_autofree gchar *remote = g_dbus_error_get_remote_error(error_remote);

		/* a job kept after its end, or unexported since it was found:
		 * there is nothing to cancel any more */
		if (g_strcmp0(remote, RB_DBUS_ERROR_PREFIX "WriteNotInProgress") == 0 ||
		    g_strcmp0(remote, "org.freedesktop.DBus.Error.UnknownObject") == 0 ||
		    g_strcmp0(remote, "org.freedesktop.DBus.Error.UnknownMethod") == 0) {
			g_set_error(
				error,
				RB_CTL_ERROR,
				RB_CTL_ERROR_NO_SUCH_JOB,
				_("Job %s has already ended; nothing to cancel."),
				rb_ctl_job_number(g_dbus_proxy_get_object_path(G_DBUS_PROXY(job))));
			return RB_CTL_EXIT_NOT_FOUND;
		}
		rb_ctl_fail_remote(error, g_steal_pointer(&error_remote));
		return EXIT_FAILURE;
	}
	if (!ctl->json)
		g_print(_("Cancelled job %s.\n"),
			rb_ctl_job_number(g_dbus_proxy_get_object_path(G_DBUS_PROXY(job))));
	else
		/* a number, as monitor prints job numbers */
		g_print("{\"cancelled\":%" G_GUINT64_FORMAT "}\n",
			rb_ctl_cancel_job_index(g_dbus_proxy_get_object_path(G_DBUS_PROXY(job))));
	return EXIT_SUCCESS;
}
