/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Authorization of D-Bus callers. Each check is asynchronous because polkit
 * may show an authentication dialog and wait for the user for minutes; the
 * daemon must keep serving other clients meanwhile.
 *
 * Without polkit (not built in, or not running on the bus) root is still
 * allowed, as system services commonly do, so an administrator can burn on
 * a minimal system; everyone else gets an error saying how to fix it.
 */
#define G_LOG_DOMAIN "RbAuthority"

#include "config.h"

#include <glib/gi18n.h>

#include "rb-authority.h"
#include "rb-error.h"

struct _RbAuthority {
	GObject parent_instance;
	GDBusConnection *system_bus; /* NULL when trusting everyone */
	gboolean trust_all;
	/* every check in flight: cancelled when the service stops */
	GCancellable *cancellable;
	guint64 checks; /* names each polkit check for its cancellation */
};

G_DEFINE_TYPE(RbAuthority, rb_authority, G_TYPE_OBJECT)

/* what one check needs along its chain of callbacks */
typedef struct {
	gchar *sender;
	gchar *action_id;
	gchar *message_detail;
	RbAuthorityCheckFlags flags;
	RbAuthorityNoPolkitReason reason;
} RbAuthorityCheck;

static void
rb_authority_check_free(RbAuthorityCheck *check)
{
	g_free(check->sender);
	g_free(check->action_id);
	g_free(check->message_detail);
	g_free(check);
}

gboolean
rb_authority_check_without_polkit(guint32 caller_uid,
				  const gchar *action_id,
				  RbAuthorityNoPolkitReason reason,
				  GError **error)
{
	g_return_val_if_fail(action_id != NULL, FALSE);

	/* root could do everything the daemon does by hand anyway */
	if (caller_uid == 0)
		return TRUE;
	switch (reason) {
	case RB_AUTHORITY_NO_POLKIT_NOT_RUNNING:
		rb_error_set(error,
			     RB_ERROR_NOT_AUTHORIZED,
			     _("Cannot authorize “%s”: polkit is not running. Start polkit.service "
			       "(systemctl start polkit.service) and try again, or run the command "
			       "as root."),
			     action_id);
		break;
	case RB_AUTHORITY_NO_POLKIT_NOT_BUILT:
	default:
		rb_error_set(
			error,
			RB_ERROR_NOT_AUTHORIZED,
			_("Cannot authorize “%s”: rawburn was built without polkit, so only root "
			  "may do this. Run the command as root, or install a rawburn built "
			  "with polkit."),
			action_id);
		break;
	}
	return FALSE;
}

/* polkit cannot be asked: decide from the caller's uid, which the bus knows */
static void
rb_authority_uid_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	RbAuthorityCheck *check = g_task_get_task_data(task);
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = NULL;
	guint32 uid = 0;

	reply = g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), result, &error);
	if (reply == NULL) {
		if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
			g_task_return_error(task,
					    rb_error_new(RB_ERROR_REQUEST_CANCELLED,
							 _("The authorization check for “%s” was "
							   "cancelled."),
							 check->action_id));
			return;
		}
		g_dbus_error_strip_remote_error(error);
		g_task_return_error(task,
				    rb_error_new(RB_ERROR_NOT_AUTHORIZED,
						 _("Cannot authorize “%s”: the caller could not be "
						   "identified (%s). Try again."),
						 check->action_id,
						 error->message));
		return;
	}
	g_variant_get(reply, "(u)", &uid);
	g_debug("%s asks for %s without polkit, uid %u", check->sender, check->action_id, uid);
	if (!rb_authority_check_without_polkit(uid, check->action_id, check->reason, &error)) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	g_task_return_boolean(task, TRUE);
}

static void
rb_authority_check_by_uid(GTask *task, RbAuthorityNoPolkitReason reason)
{
	RbAuthority *self = g_task_get_source_object(task);
	RbAuthorityCheck *check = g_task_get_task_data(task);

	check->reason = reason;
	g_dbus_connection_call(self->system_bus,
			       "org.freedesktop.DBus",
			       "/org/freedesktop/DBus",
			       "org.freedesktop.DBus",
			       "GetConnectionUnixUser",
			       g_variant_new("(s)", check->sender),
			       G_VARIANT_TYPE("(u)"),
			       G_DBUS_CALL_FLAGS_NONE,
			       -1,
			       g_task_get_cancellable(task),
			       rb_authority_uid_cb,
			       task);
}

#ifdef HAVE_POLKIT
/* polkitd's interface, asked directly: its client library would load
 * libsystemd and its compression and crypto libraries into an idle
 * service for one method call */
#define RB_POLKIT_NAME "org.freedesktop.PolicyKit1"
#define RB_POLKIT_PATH "/org/freedesktop/PolicyKit1/Authority"
#define RB_POLKIT_INTERFACE "org.freedesktop.PolicyKit1.Authority"
#define RB_POLKIT_ERROR_CANCELLED "org.freedesktop.PolicyKit1.Error.Cancelled"
#define RB_POLKIT_ALLOW_USER_INTERACTION 1

/* a check in polkitd: what its cancellation needs */
typedef struct {
	GTask *task; /* owned */
	GDBusConnection *system_bus;
	gchar *cancellation_id;
	GCancellable *cancellable;
	gulong cancelled_id;
} RbAuthorityPolkitCall;

static void
rb_authority_polkit_call_free(RbAuthorityPolkitCall *call)
{
	/* not from a cancelled handler: this waits for it to return */
	if (call->cancelled_id != 0)
		g_cancellable_disconnect(call->cancellable, call->cancelled_id);
	g_clear_object(&call->cancellable);
	g_clear_object(&call->system_bus);
	g_free(call->cancellation_id);
	g_clear_object(&call->task);
	g_free(call);
}

/* the dialog closes too, not only our wait for it */
static void
rb_authority_polkit_on_cancelled(GCancellable *cancellable, gpointer user_data)
{
	RbAuthorityPolkitCall *call = user_data;

	g_dbus_connection_call(call->system_bus,
			       RB_POLKIT_NAME,
			       RB_POLKIT_PATH,
			       RB_POLKIT_INTERFACE,
			       "CancelCheckAuthorization",
			       g_variant_new("(s)", call->cancellation_id),
			       NULL,
			       G_DBUS_CALL_FLAGS_NO_AUTO_START,
			       -1,
			       NULL,
			       NULL,
			       NULL);
}

static void
rb_authority_polkit_result_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	RbAuthorityPolkitCall *call = user_data;
	g_autoptr(GTask) task = g_steal_pointer(&call->task);
	RbAuthorityCheck *check = g_task_get_task_data(task);
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariant) details = NULL;
	gboolean authorized = FALSE;
	gboolean challenge = FALSE;
	g_autofree gchar *remote_error = NULL;

	reply = g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), result, &error);
	rb_authority_polkit_call_free(call);
	if (reply == NULL) {
		remote_error = g_dbus_error_get_remote_error(error);
		if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
		    g_strcmp0(remote_error, RB_POLKIT_ERROR_CANCELLED) == 0) {
			g_task_return_error(task,
					    rb_error_new(RB_ERROR_REQUEST_CANCELLED,
							 _("The authorization check for “%s” was "
							   "cancelled."),
							 check->action_id));
			return;
		}
		/* not on the bus (never started, or left); any other failure
		 * (no reply from a polkitd restarting, a bus refusal) is not
		 * "no polkit" and must not read as such */
		if (g_error_matches(error, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN) ||
		    g_error_matches(error, G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER)) {
			g_debug("polkit is not there: %s", error->message);
			rb_authority_check_by_uid(g_steal_pointer(&task),
						  RB_AUTHORITY_NO_POLKIT_NOT_RUNNING);
			return;
		}
		g_dbus_error_strip_remote_error(error);
		g_task_return_error(
			task,
			rb_error_new(RB_ERROR_NOT_AUTHORIZED,
				     _("Cannot authorize “%s”: polkit failed (%s). Try "
				       "again; if this persists, check the polkit service "
				       "(journalctl -u polkit.service)."),
				     check->action_id,
				     error->message));
		return;
	}
	g_variant_get(reply, "((bb@a{ss}))", &authorized, &challenge, &details);
	if (authorized) {
		g_task_return_boolean(task, TRUE);
		return;
	}
	if (g_variant_lookup(details, "polkit.dismissed", "&s", NULL)) {
		g_task_return_error(task,
				    rb_error_new(RB_ERROR_NOT_AUTHORIZED,
						 _("Not authorized to perform “%s”: the "
						   "authentication was dismissed. Try again and "
						   "authenticate."),
						 check->action_id));
		return;
	}
	if (challenge) {
		g_task_return_error(
			task,
			rb_error_new(RB_ERROR_NOT_AUTHORIZED,
				     _("Not authorized to perform “%s” without "
				       "authentication. Run the program in a session with a "
				       "polkit authentication agent, or ask an administrator "
				       "to allow this action for you."),
				     check->action_id));
		return;
	}
	g_task_return_error(
		task,
		rb_error_new(RB_ERROR_NOT_AUTHORIZED,
			     _("Not authorized to perform “%s”. Ask an administrator to "
			       "allow this action for you, or run the program from an "
			       "active local session."),
			     check->action_id));
}

/*
 * CheckAuthorization of the caller's bus name. Never starts polkitd: one
 * that is not running is as good as missing, and asking the bus to
 * activate it would only delay that answer.
 */
static void
rb_authority_polkit_check(GTask *task)
{
	RbAuthority *self = g_task_get_source_object(task);
	RbAuthorityCheck *check = g_task_get_task_data(task);
	GCancellable *cancellable = g_task_get_cancellable(task);
	RbAuthorityPolkitCall *call = g_new0(RbAuthorityPolkitCall, 1);
	GVariantBuilder subject;
	GVariantBuilder details;
	guint32 flags = 0;

	g_variant_builder_init(&subject, G_VARIANT_TYPE("a{sv}"));
	g_variant_builder_add(&subject, "{sv}", "name", g_variant_new_string(check->sender));
	g_variant_builder_init(&details, G_VARIANT_TYPE("a{ss}"));
	if (check->message_detail != NULL) {
		/* polkit translates the message itself, in the caller's locale */
		g_variant_builder_add(&details, "{ss}", "polkit.message", check->message_detail);
		g_variant_builder_add(&details, "{ss}", "polkit.gettext_domain", GETTEXT_PACKAGE);
	}
	if ((check->flags & RB_AUTHORITY_CHECK_FLAGS_NO_USER_INTERACTION) == 0)
		flags |= RB_POLKIT_ALLOW_USER_INTERACTION;
	call->task = task;
	call->system_bus = g_object_ref(self->system_bus);
	call->cancellation_id = g_strdup_printf("rawburnd-%" G_GUINT64_FORMAT, ++self->checks);
	if (cancellable != NULL) {
		call->cancellable = g_object_ref(cancellable);
		call->cancelled_id = g_cancellable_connect(
			cancellable, G_CALLBACK(rb_authority_polkit_on_cancelled), call, NULL);
	}
	/* no timeout: the user may take minutes to answer the dialog */
	g_dbus_connection_call(self->system_bus,
			       RB_POLKIT_NAME,
			       RB_POLKIT_PATH,
			       RB_POLKIT_INTERFACE,
			       "CheckAuthorization",
			       g_variant_new("((sa{sv})sa{ss}us)",
					     "system-bus-name",
					     &subject,
					     check->action_id,
					     &details,
					     flags,
					     call->cancellation_id),
			       G_VARIANT_TYPE("((bba{ss}))"),
			       G_DBUS_CALL_FLAGS_NO_AUTO_START,
			       G_MAXINT,
			       cancellable,
			       rb_authority_polkit_result_cb,
			       call);
}
#endif /* HAVE_POLKIT */

void
rb_authority_check_full_async(RbAuthority *self,
			      const gchar *sender,
			      const gchar *action_id,
			      const gchar *message_detail,
			      RbAuthorityCheckFlags flags,
			      GCancellable *cancellable,
			      GAsyncReadyCallback callback,
			      gpointer user_data)
{
	g_autoptr(GTask) task = NULL;
	RbAuthorityCheck *check;

	g_return_if_fail(RB_IS_AUTHORITY(self));
	g_return_if_fail(sender != NULL);
	g_return_if_fail(action_id != NULL);

	/* the service's own stop cancels whatever the caller waits for */
	task = g_task_new(
		self, cancellable != NULL ? cancellable : self->cancellable, callback, user_data);
	g_task_set_source_tag(task, rb_authority_check_full_async);
	/* a cancelled check ends with RequestCancelled, which clients know,
	 * rather than GIO's own error */
	g_task_set_check_cancellable(task, FALSE);
	check = g_new0(RbAuthorityCheck, 1);
	check->sender = g_strdup(sender);
	check->action_id = g_strdup(action_id);
	check->message_detail = g_strdup(message_detail);
	check->flags = flags;
	g_task_set_task_data(task, check, (GDestroyNotify)rb_authority_check_free);

	if (self->trust_all) {
		g_task_return_boolean(task, TRUE);
		return;
	}
	/* each callback chain owns the task reference from here on */
#ifdef HAVE_POLKIT
	rb_authority_polkit_check(g_steal_pointer(&task));
#else
	rb_authority_check_by_uid(g_steal_pointer(&task), RB_AUTHORITY_NO_POLKIT_NOT_BUILT);
#endif
}

/* allows user interaction: a client that calls a method is waiting for it */
void
rb_authority_check_async(RbAuthority *self,
			 const gchar *sender,
			 const gchar *action_id,
			 const gchar *message_detail,
			 GCancellable *cancellable,
			 GAsyncReadyCallback callback,
			 gpointer user_data)
{
	rb_authority_check_full_async(self,
				      sender,
				      action_id,
				      message_detail,
				      RB_AUTHORITY_CHECK_FLAGS_NONE,
				      cancellable,
				      callback,
				      user_data);
}

gboolean
rb_authority_check_finish(RbAuthority *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(RB_IS_AUTHORITY(self), FALSE);
	g_return_val_if_fail(g_task_is_valid(result, self), FALSE);
	return g_task_propagate_boolean(G_TASK(result), error);
}

gboolean
rb_authority_get_trust_all(RbAuthority *self)
{
	g_return_val_if_fail(RB_IS_AUTHORITY(self), FALSE);
	return self->trust_all;
}

static void
rb_authority_finalize(GObject *object)
{
	RbAuthority *self = RB_AUTHORITY(object);

	g_clear_object(&self->system_bus);
	g_clear_object(&self->cancellable);
	G_OBJECT_CLASS(rb_authority_parent_class)->finalize(object);
}

static void
rb_authority_class_init(RbAuthorityClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = rb_authority_finalize;
}

static void
rb_authority_init(RbAuthority *self)
{
	self->cancellable = g_cancellable_new();
}

/* the service is stopping: every check in flight ends with RequestCancelled,
 * and later ones at once */
void
rb_authority_cancel_all(RbAuthority *self)
{
	g_return_if_fail(RB_IS_AUTHORITY(self));
	g_cancellable_cancel(self->cancellable);
}

/* @system_bus is where callers come from and where their uid is looked up */
RbAuthority *
rb_authority_new(GDBusConnection *system_bus)
{
	RbAuthority *self;

	g_return_val_if_fail(G_IS_DBUS_CONNECTION(system_bus), NULL);
	self = g_object_new(RB_TYPE_AUTHORITY, NULL);
	self->system_bus = g_object_ref(system_bus);
	return self;
}

/* for `rawburnd --session` (development): the session bus has no polkit and
 * every caller is the developer's own user */
RbAuthority *
rb_authority_new_trust_all(void)
{
	RbAuthority *self = g_object_new(RB_TYPE_AUTHORITY, NULL);

	self->trust_all = TRUE;
	return self;
}
