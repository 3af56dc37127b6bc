/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * RbClient's jobs: the writes, erases and verifications the service runs,
 * and waiting for one. A job ends with its Completed signal, which carries
 * the error of the call that started it as text; decoded here into the
 * error that call replied with.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "rb-client-private.h"
#include "rb-client.h"
#include "rb-error.h"

static gboolean
rb_client_is_job(RbObject *object, gconstpointer data)
{
	return rb_object_peek_job(object) != NULL;
}

static gboolean
rb_client_is_job_for(RbObject *object, gconstpointer data)
{
	RbJob *job = rb_object_peek_job(object);
	const gchar *const *paths = NULL;

	if (job == NULL)
		return FALSE;
	paths = rb_job_get_objects(job);
	return paths != NULL && g_strv_contains(paths, data);
}

/**
 * rb_client_get_jobs:
 * @client: an #RbClient
 *
 * Returns: (transfer full) (element-type RbObject): the job objects
 *   (writes, erases and verifications in progress or just completed),
 *   sorted by object path
 */
GList *
rb_client_get_jobs(RbClient *client)
{
	g_return_val_if_fail(RB_IS_CLIENT(client), NULL);
	return rb_client_get_objects(client, rb_client_is_job, NULL);
}

/**
 * rb_client_get_jobs_for_object:
 * @client: an #RbClient
 * @object: a recorder object
 *
 * Returns: (transfer full) (element-type RbObject): the job objects working
 *   on @object, sorted by object path
 */
GList *
rb_client_get_jobs_for_object(RbClient *client, RbObject *object)
{
	g_return_val_if_fail(RB_IS_CLIENT(client), NULL);
	g_return_val_if_fail(RB_IS_OBJECT(object), NULL);
	return rb_client_get_objects(
		client, rb_client_is_job_for, g_dbus_object_get_object_path(G_DBUS_OBJECT(object)));
}

/**
 * rb_client_error_from_job_message:
 * @message: the message of a job's Completed signal: "<D-Bus error name>:
 *   <message>"
 *
 * Decodes the error a job failed with, as the call that started it
 * replied: rawburn's errors are %RB_ERROR codes.
 *
 * Returns: (transfer full): the error
 */
GError *
rb_client_error_from_job_message(const gchar *message)
{
	const gchar *sep = NULL;
	g_autofree gchar *name = NULL;

	g_return_val_if_fail(message != NULL, NULL);
	(void)rb_error_quark();
	sep = strstr(message, ": ");
	if (sep == NULL || sep == message)
		return g_error_new(G_IO_ERROR,
				   G_IO_ERROR_FAILED,
				   _("The job failed: %s"),
				   message[0] != '\0' ? message : _("no reason given"));
	name = g_strndup(message, sep - message);
	return g_dbus_error_new_for_dbus_error(name, sep + 2);
}

typedef struct {
	RbJob *job;
	GDBusObjectManager *object_manager;
	gchar *path;
	gulong completed_id;
	gulong removed_id;
	gulong cancelled_id;
	GCancellable *cancellable;
} RbClientWait;

static void
rb_client_wait_free(RbClientWait *wait)
{
	g_clear_signal_handler(&wait->completed_id, wait->job);
	g_clear_signal_handler(&wait->removed_id, wait->object_manager);
	if (wait->cancellable != NULL)
		g_cancellable_disconnect(wait->cancellable, wait->cancelled_id);
	g_clear_object(&wait->cancellable);
	g_clear_object(&wait->job);
	g_clear_object(&wait->object_manager);
	g_free(wait->path);
	g_free(wait);
}

/* the first of Completed, the object's removal or the cancellation ends the
 * wait; the handlers go with the task's data */
static void
rb_client_wait_return(GTask *task, GError *error)
{
	RbClientWait *wait = g_task_get_task_data(task);

	g_clear_signal_handler(&wait->completed_id, wait->job);
	g_clear_signal_handler(&wait->removed_id, wait->object_manager);
	if (error != NULL)
		g_task_return_error(task, error);
	else
		g_task_return_boolean(task, TRUE);
	g_object_unref(task);
}

static void
rb_client_wait_completed_cb(RbJob *job, gboolean success, const gchar *message, GTask *task)
{
	rb_client_wait_return(task, success ? NULL : rb_client_error_from_job_message(message));
}

static void
rb_client_wait_removed_cb(GDBusObjectManager *manager, GDBusObject *object, GTask *task)
{
	RbClientWait *wait = g_task_get_task_data(task);

	if (g_strcmp0(g_dbus_object_get_object_path(object), wait->path) != 0)
		return;
	rb_client_wait_return(task,
			      g_error_new(G_IO_ERROR,
					  G_IO_ERROR_NOT_FOUND,
					  _("The job %s is gone and its result is unknown; it "
					    "completed before it was waited for."),
					  wait->path));
}

static gboolean
rb_client_wait_cancelled_idle(gpointer user_data)
{
	GTask *task = user_data;
	RbClientWait *wait = g_task_get_task_data(task);

	/* Completed may have come first */
	if (wait->completed_id != 0)
		rb_client_wait_return(task,
				      g_error_new_literal(G_IO_ERROR,
							  G_IO_ERROR_CANCELLED,
							  _("Waiting for the job was cancelled.")));
	return G_SOURCE_REMOVE;
}

/**
 * rb_client_wait_for_job:
 * @client: an #RbClient
 * @job: a job object, e.g. from rb_client_get_jobs_for_object()
 * @cancellable: (nullable): a #GCancellable: cancelling stops waiting,
 *   not the job (rb_job_call_cancel() does that)
 * @callback: (scope async): called when the job has completed
 * @user_data: (closure): data for @callback
 *
 * Waits for the job's Completed signal; finish with
 * rb_client_wait_for_job_finish(). A job is exported for 10 seconds after
 * it completed: waiting for one whose Completed has passed ends when it
 * disappears, with %G_IO_ERROR_NOT_FOUND.
 */
void
rb_client_wait_for_job(RbClient *client,
		       RbObject *job,
		       GCancellable *cancellable,
		       GAsyncReadyCallback callback,
		       gpointer user_data)
{
	GTask *task = NULL;
	RbClientWait *wait = NULL;
	g_autoptr(GDBusObject) exported = NULL;

	g_return_if_fail(RB_IS_CLIENT(client));
	g_return_if_fail(RB_IS_OBJECT(job));
	task = g_task_new(client, cancellable, callback, user_data);
	/* a Completed that came before the cancel is the answer */
	g_task_set_check_cancellable(task, FALSE);
	g_task_set_source_tag(task, rb_client_wait_for_job);
	wait = g_new0(RbClientWait, 1);
	wait->path = g_strdup(g_dbus_object_get_object_path(G_DBUS_OBJECT(job)));
	wait->job = rb_object_get_job(job);
	wait->object_manager = g_object_ref(rb_client_get_object_manager(client));
	g_task_set_task_data(task, wait, (GDestroyNotify)rb_client_wait_free);
	if (g_task_return_error_if_cancelled(task)) {
		g_object_unref(task);
		return;
	}
	if (wait->job == NULL) {
		g_task_return_new_error(task,
					G_IO_ERROR,
					G_IO_ERROR_INVALID_ARGUMENT,
					_("%s is not a job object."),
					wait->path);
		g_object_unref(task);
		return;
	}
	exported =
		g_dbus_object_manager_get_object(rb_client_get_object_manager(client), wait->path);
	if (exported == NULL) {
		g_task_return_new_error(task,
					G_IO_ERROR,
					G_IO_ERROR_NOT_FOUND,
					_("The job %s is gone and its result is unknown."),
					wait->path);
		g_object_unref(task);
		return;
	}
	wait->completed_id = g_signal_connect(
		wait->job, "completed", G_CALLBACK(rb_client_wait_completed_cb), task);
	wait->removed_id = g_signal_connect(wait->object_manager,
					    "object-removed",
					    G_CALLBACK(rb_client_wait_removed_cb),
					    task);
	if (cancellable != NULL) {
		wait->cancellable = g_object_ref(cancellable);
		/* the task holds itself until one of the three ends it */
		wait->cancelled_id = g_cancellable_connect(
			cancellable,
			G_CALLBACK(rb_cancel_hook_cancelled),
			rb_cancel_hook_new(
				task, g_task_get_context(task), rb_client_wait_cancelled_idle),
			(GDestroyNotify)rb_cancel_hook_free);
	}
}

/**
 * rb_client_wait_for_job_finish:
 * @client: an #RbClient
 * @res: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the job succeeded; %FALSE with @error set to the
 *   error the job failed with (an %RB_ERROR code for rawburn's errors), or
 *   why waiting ended
 */
gboolean
rb_client_wait_for_job_finish(RbClient *client, GAsyncResult *res, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(res, client), FALSE);
	return g_task_propagate_boolean(G_TASK(res), error);
}
