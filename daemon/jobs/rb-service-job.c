/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A Job object (udisks2's convention): the work that started it feeds it
 * progress and its end, and Cancel reaches the work through the work's own
 * GCancellable, exactly as the lock holder's CancelWrite does. Nothing here
 * waits for the work: the method call that started it still replies when it
 * has ended.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbJob"

#include <glib/gi18n.h>

#include "rb-auth-map.h"
#include "rb-dbus-util.h"
#include "rb-journal.h"
#include "rb-error.h"
#include "rb-service-job.h"

/*
 * The work samples its progress on IMAPI's Update timer (twice a second);
 * the job's properties follow at most once a second, udisks' convention:
 * each change is a PropertiesChanged to every client on the bus, and a
 * shell's progress bar gains nothing from more.
 */
#define RB_JOB_PUBLISH_INTERVAL_US G_USEC_PER_SEC

struct _RbServiceJob {
	RbJobSkeleton parent_instance;
	gchar *sender;
	GCancellable *cancellable; /* NULL: not cancelable, or completed */
	RbAuthority *authority;
	gboolean completed;
	gboolean exported;
	gboolean success;
	gboolean cancelled; /* by Job.Cancel */
	gchar *message;
	gint64 last_publish_us;
	gint64 sample_us;
	guint64 sample_done;
	gdouble rate; /* bytes per second, smoothed over the recent samples */
};

static void rb_service_job_iface_init(RbJobIface *iface);

G_DEFINE_TYPE_WITH_CODE(RbServiceJob,
			rb_service_job,
			RB_TYPE_JOB_SKELETON,
			G_IMPLEMENT_INTERFACE(RB_TYPE_JOB, rb_service_job_iface_init))

/* --- Cancel --------------------------------------------------------------------------------- */

typedef struct {
	RbServiceJob *self;
	GDBusMethodInvocation *invocation;
	GVariant *options;
	guint32 caller_uid; /* from the bus; G_MAXUINT32 until known */
} RbJobCancelCall;

static void
rb_job_cancel_call_free(RbJobCancelCall *call)
{
	g_object_unref(call->self);
	g_object_unref(call->invocation);
	g_variant_unref(call->options);
	g_free(call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RbJobCancelCall, rb_job_cancel_call_free)

gboolean
rb_service_job_cancel_needs_action(const gchar *job_sender,
				   guint32 job_uid,
				   const gchar *caller,
				   guint32 caller_uid)
{
	if (g_strcmp0(job_sender, caller) == 0)
		return FALSE;
	/* G_MAXUINT32: the starter's uid could not be learned; nobody matches it */
	return job_uid == G_MAXUINT32 || caller_uid != job_uid;
}

static void
rb_service_job_do_cancel(RbServiceJob *self, GDBusMethodInvocation *invocation, guint32 caller_uid)
{
	const gchar *const *objects = rb_job_get_objects(RB_JOB(self));

	/* the work may have ended while the caller was looked up or polkit asked */
	if (self->completed || self->cancellable == NULL) {
		rb_dbus_util_refuse(invocation, RB_ERROR_WRITE_NOT_IN_PROGRESS);
		return;
	}
	rb_journal_job_cancelled(
		g_dbus_interface_skeleton_get_object_path(G_DBUS_INTERFACE_SKELETON(self)),
		objects != NULL ? objects[0] : NULL,
		g_dbus_method_invocation_get_sender(invocation),
		caller_uid,
		rb_job_get_started_by_uid(RB_JOB(self)));
	self->cancelled = TRUE;
	/* the work's call replies RequestCancelled once its threads stopped,
	 * and Completed follows from there */
	g_cancellable_cancel(self->cancellable);
	rb_job_complete_cancel(RB_JOB(self), invocation);
}

static void
rb_service_job_cancel_authorized(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(RbJobCancelCall) call = user_data;
	g_autoptr(GError) error = NULL;

	if (!rb_auth_map_authorize_finish(RB_AUTHORITY(source), result, &error)) {
		rb_dbus_util_return_error(call->invocation, error);
		return;
	}
	rb_service_job_do_cancel(call->self, call->invocation, call->caller_uid);
}

static void
rb_service_job_cancel_got_uid(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(RbJobCancelCall) call = user_data;
	RbServiceJob *self = call->self;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply =
		g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), result, &error);
	GDBusMethodInvocation *invocation;
	GVariant *options;
	guint32 uid = G_MAXUINT32;

	if (reply != NULL)
		g_variant_get(reply, "(u)", &uid);
	call->caller_uid = uid;
	if (reply == NULL)
		g_debug("the uid of %s is unknown: %s",
			g_dbus_method_invocation_get_sender(call->invocation),
			error->message);
	if (!rb_service_job_cancel_needs_action(
		    self->sender,
		    rb_job_get_started_by_uid(RB_JOB(self)),
		    g_dbus_method_invocation_get_sender(call->invocation),
		    uid)) {
		rb_service_job_do_cancel(self, call->invocation, uid);
		return;
	}
	/* the map names org.rawburn.cancel-other for Job.Cancel; the call is
	 * the callback's from here on */
	invocation = call->invocation;
	options = call->options;
	rb_auth_map_authorize_async(self->authority,
				    invocation,
				    options,
				    rb_service_job_cancel_authorized,
				    g_steal_pointer(&call));
}

static gboolean
rb_service_job_parse_cancel_options(GVariant *options, GError **error)
{
	GVariantIter iter;
	const gchar *key;
	GVariant *entry_value;
	gboolean flag = FALSE;

	g_variant_iter_init(&iter, options);
	while (g_variant_iter_next(&iter, "{&sv}", &key, &entry_value)) {
		g_autoptr(GVariant) value = entry_value;

		if (g_strcmp0(key, RB_AUTH_OPTION_NO_USER_INTERACTION) == 0) {
			if (!rb_auth_map_parse_no_user_interaction(value, &flag, error))
				return FALSE;
			continue;
		}
		g_set_error(error,
			    G_DBUS_ERROR,
			    G_DBUS_ERROR_INVALID_ARGS,
			    _("Unknown Cancel option “%s” of type “%s”; the only option is "
			      "auth.no_user_interaction (b)."),
			    key,
			    g_variant_get_type_string(value));
		return FALSE;
	}
	return TRUE;
}

static gboolean
rb_service_job_handle_cancel(RbJob *iface, GDBusMethodInvocation *invocation, GVariant *options)
{
	RbServiceJob *self = RB_SERVICE_JOB(iface);
	const gchar *caller = g_dbus_method_invocation_get_sender(invocation);
	GDBusConnection *connection = g_dbus_method_invocation_get_connection(invocation);
	g_autoptr(GError) error = NULL;
	RbJobCancelCall *call;

	if (!rb_service_job_parse_cancel_options(options, &error)) {
		rb_dbus_util_return_error(invocation, error);
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	/* first: an erase never can be cancelled, running or not */
	if (!rb_job_get_cancelable(iface)) {
		g_dbus_method_invocation_return_error_literal(
			invocation,
			G_DBUS_ERROR,
			G_DBUS_ERROR_NOT_SUPPORTED,
			_("This job cannot be cancelled: a drive cannot stop blanking once it "
			  "began. Wait for its Completed signal."));
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	/* a job that ended is WriteNotInProgress (rb_service_job_do_cancel), but
	 * only to a caller that may cancel it: the others learn nothing of it
	 * that polkit would not let them */
	/* the starting connection needs no look-up */
	if (g_strcmp0(self->sender, caller) == 0) {
		rb_service_job_do_cancel(self, invocation, rb_job_get_started_by_uid(RB_JOB(self)));
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	call = g_new0(RbJobCancelCall, 1);
	call->self = g_object_ref(self);
	call->invocation = g_object_ref(invocation);
	call->options = g_variant_ref(options);
	call->caller_uid = G_MAXUINT32;
	g_dbus_connection_call(connection,
			       "org.freedesktop.DBus",
			       "/org/freedesktop/DBus",
			       "org.freedesktop.DBus",
			       "GetConnectionUnixUser",
			       g_variant_new("(s)", caller),
			       G_VARIANT_TYPE("(u)"),
			       G_DBUS_CALL_FLAGS_NONE,
			       -1,
			       NULL,
			       rb_service_job_cancel_got_uid,
			       call);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* --- progress ------------------------------------------------------------------------------- */

/* FALSE when the last publication is less than a second old */
static gboolean
rb_service_job_may_publish(RbServiceJob *self, gint64 now)
{
	if (self->completed)
		return FALSE;
	if (self->last_publish_us != 0 && now - self->last_publish_us < RB_JOB_PUBLISH_INTERVAL_US)
		return FALSE;
	self->last_publish_us = now;
	return TRUE;
}

void
rb_service_job_set_bytes_done(RbServiceJob *self, guint64 done, guint64 total)
{
	RbJob *job = RB_JOB(self);
	gint64 now = g_get_monotonic_time();
	guint64 expected_end = 0;

	g_return_if_fail(RB_IS_SERVICE_JOB(self));

	if (total == 0 || !rb_service_job_may_publish(self, now))
		return;
	done = MIN(done, total);
	/* the rate since the last sample, smoothed: the recent speed, not the
	 * average since a start that may have spent a minute on OPC */
	if (self->sample_us != 0 && now > self->sample_us && done >= self->sample_done) {
		gdouble recent = (gdouble)(done - self->sample_done) * G_USEC_PER_SEC /
				 (gdouble)(now - self->sample_us);

		self->rate = self->rate > 0 ? (self->rate + recent) / 2 : recent;
	}
	self->sample_us = now;
	self->sample_done = done;
	if (self->rate >= 1.0)
		expected_end = (guint64)g_get_real_time() +
			       (guint64)((gdouble)(total - done) / self->rate * G_USEC_PER_SEC);
	rb_job_set_bytes(job, total);
	rb_job_set_progress(job, (gdouble)done / (gdouble)total);
	rb_job_set_progress_valid(job, TRUE);
	rb_job_set_rate(job, (guint64)self->rate);
	rb_job_set_expected_end_time(job, expected_end);
}

void
rb_service_job_set_fraction(RbServiceJob *self, gdouble fraction, gint expected_seconds)
{
	RbJob *job = RB_JOB(self);

	g_return_if_fail(RB_IS_SERVICE_JOB(self));

	if (!rb_service_job_may_publish(self, g_get_monotonic_time()))
		return;
	rb_job_set_progress(job, CLAMP(fraction, 0.0, 1.0));
	rb_job_set_progress_valid(job, TRUE);
	if (expected_seconds > 0)
		rb_job_set_expected_end_time(job,
					     rb_job_get_start_time(job) +
						     (guint64)expected_seconds * G_USEC_PER_SEC);
}

/* --- the end -------------------------------------------------------------------------------- */

static void
rb_service_job_emit_completed(RbServiceJob *self)
{
	/* the last Progress and Rate go out before Completed, so that a client
	 * reading them on Completed sees the end (the skeleton sends property
	 * changes from an idle, signals at once) */
	g_dbus_interface_skeleton_flush(G_DBUS_INTERFACE_SKELETON(self));
	rb_job_emit_completed(RB_JOB(self), self->success, self->message);
}

void
rb_service_job_complete(RbServiceJob *self, const GError *error)
{
	g_return_if_fail(RB_IS_SERVICE_JOB(self));

	if (self->completed)
		return;
	self->completed = TRUE;
	self->success = error == NULL;
	if (error != NULL) {
		/* the reply's error, as the caller sees it */
		g_autoptr(GError) reply = rb_dbus_util_error_for_reply(error);
		g_autofree gchar *name = g_dbus_error_encode_gerror(reply);

		self->message = g_strdup_printf("%s: %s", name, reply->message);
	} else {
		self->message = g_strdup("");
		if (rb_job_get_progress_valid(RB_JOB(self)))
			rb_job_set_progress(RB_JOB(self), 1.0);
	}
	/* the work is over: nothing of it is kept alive by the job */
	g_clear_object(&self->cancellable);
	rb_job_set_rate(RB_JOB(self), 0);
	if (self->exported)
		rb_service_job_emit_completed(self);
}

void
rb_service_job_set_exported(RbServiceJob *self)
{
	g_return_if_fail(RB_IS_SERVICE_JOB(self));

	self->exported = TRUE;
	/* the work ended before the starter's uid was known */
	if (self->completed)
		rb_service_job_emit_completed(self);
}

const gchar *
rb_service_job_get_sender(RbServiceJob *self)
{
	g_return_val_if_fail(RB_IS_SERVICE_JOB(self), NULL);
	return self->sender;
}

/* TRUE once a Job.Cancel ended the work (rather than CancelWrite) */
gboolean
rb_service_job_was_cancelled(RbServiceJob *self)
{
	g_return_val_if_fail(RB_IS_SERVICE_JOB(self), FALSE);
	return self->cancelled;
}

gboolean
rb_service_job_is_completed(RbServiceJob *self)
{
	g_return_val_if_fail(RB_IS_SERVICE_JOB(self), FALSE);
	return self->completed;
}

/* --- life cycle ----------------------------------------------------------------------------- */

static void
rb_service_job_dispose(GObject *object)
{
	RbServiceJob *self = RB_SERVICE_JOB(object);

	g_clear_object(&self->cancellable);
	g_clear_object(&self->authority);
	G_OBJECT_CLASS(rb_service_job_parent_class)->dispose(object);
}

static void
rb_service_job_finalize(GObject *object)
{
	RbServiceJob *self = RB_SERVICE_JOB(object);

	g_free(self->sender);
	g_free(self->message);
	G_OBJECT_CLASS(rb_service_job_parent_class)->finalize(object);
}

static void
rb_service_job_iface_init(RbJobIface *iface)
{
	iface->handle_cancel = rb_service_job_handle_cancel;
}

static void
rb_service_job_class_init(RbServiceJobClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->dispose = rb_service_job_dispose;
	object_class->finalize = rb_service_job_finalize;
}

static void
rb_service_job_init(RbServiceJob *self)
{
}

RbServiceJob *
rb_service_job_new(const gchar *operation,
		   const gchar *recorder_path,
		   const gchar *sender,
		   const gchar *client_name,
		   GCancellable *cancellable,
		   RbAuthority *authority)
{
	RbServiceJob *self = g_object_new(RB_TYPE_SERVICE_JOB, NULL);
	const gchar *objects[] = {recorder_path, NULL};

	g_return_val_if_fail(operation != NULL, NULL);
	g_return_val_if_fail(g_variant_is_object_path(recorder_path), NULL);
	g_return_val_if_fail(RB_IS_AUTHORITY(authority), NULL);

	self->sender = g_strdup(sender);
	self->cancellable = cancellable != NULL ? g_object_ref(cancellable) : NULL;
	self->authority = g_object_ref(authority);
	rb_job_set_operation(RB_JOB(self), operation);
	rb_job_set_objects(RB_JOB(self), objects);
	rb_job_set_client_name(RB_JOB(self), client_name != NULL ? client_name : "");
	/* unknown until the registry asked the bus; no one matches it meanwhile */
	rb_job_set_started_by_uid(RB_JOB(self), G_MAXUINT32);
	rb_job_set_start_time(RB_JOB(self), (guint64)g_get_real_time());
	rb_job_set_cancelable(RB_JOB(self), cancellable != NULL);
	return self;
}
