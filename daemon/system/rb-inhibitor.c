/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Takes a logind inhibitor lock for the time a recorder is prepared. logind
 * keeps the lock for as long as the file descriptor it hands out stays open,
 * so the lock is this object's fd: closing it (or dying) releases the lock.
 *
 * A machine without logind (containers, other init systems) can still burn:
 * the missing lock is reported once, and acquiring yields no inhibitor.
 */
#define G_LOG_DOMAIN "RbInhibitor"

#include "config.h"

#include <gio/gunixfdlist.h>
#include <unistd.h>

#include "rb-inhibitor.h"

struct _RbInhibitor {
	GObject parent_instance;
	gint fd; /* -1 once released */
};

G_DEFINE_TYPE(RbInhibitor, rb_inhibitor, G_TYPE_OBJECT)

/* The only global: a process runs without logind for its whole life, so
 * saying so on every burn would only fill the journal. Callbacks run on the
 * main context, but the flag is set atomically in case a caller uses
 * another thread's context. */
static gint rb_inhibitor_absence_logged = 0;

static void
rb_inhibitor_inhibit_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	g_autoptr(GError) error = NULL;
	g_autoptr(GUnixFDList) fd_list = NULL;
	g_autoptr(GVariant) reply = NULL;
	RbInhibitor *self;
	gint32 handle = -1;
	gint fd;

	reply = g_dbus_connection_call_with_unix_fd_list_finish(
		G_DBUS_CONNECTION(source), &fd_list, result, &error);
	if (reply == NULL) {
		if (g_error_matches(error, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN) ||
		    g_error_matches(error, G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER)) {
			if (g_atomic_int_compare_and_exchange(&rb_inhibitor_absence_logged, 0, 1))
				g_message("logind is not running: burns cannot keep the machine "
					  "from suspending or shutting down");
			g_task_return_pointer(task, NULL, NULL);
			return;
		}
		g_dbus_error_strip_remote_error(error);
		g_prefix_error(&error, "cannot take a logind inhibitor lock: ");
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	g_variant_get(reply, "(h)", &handle);
	if (fd_list == NULL || handle < 0 || handle >= g_unix_fd_list_get_length(fd_list)) {
		g_task_return_new_error(task,
					G_IO_ERROR,
					G_IO_ERROR_INVALID_DATA,
					"logind returned no inhibitor file descriptor");
		return;
	}
	/* a duplicate: the list closes its own copy when it goes */
	fd = g_unix_fd_list_get(fd_list, handle, &error);
	if (fd < 0) {
		g_prefix_error(&error, "cannot take a logind inhibitor lock: ");
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	self = g_object_new(RB_TYPE_INHIBITOR, NULL);
	self->fd = fd;
	g_debug("holding a logind inhibitor lock (fd %d)", fd);
	g_task_return_pointer(task, self, g_object_unref);
}

/*
 * Asks logind for a "block" lock on sleep, shutdown and idle. @who and @why
 * appear in `systemd-inhibit --list` and in the dialogs of desktops that are
 * about to suspend, so they should name the application and the recorder.
 */
void
rb_inhibitor_acquire_async(GDBusConnection *system_bus,
			   const gchar *who,
			   const gchar *why,
			   GCancellable *cancellable,
			   GAsyncReadyCallback callback,
			   gpointer user_data)
{
	GTask *task;

	g_return_if_fail(G_IS_DBUS_CONNECTION(system_bus));
	g_return_if_fail(who != NULL);
	g_return_if_fail(why != NULL);

	task = g_task_new(NULL, cancellable, callback, user_data);
	g_task_set_source_tag(task, rb_inhibitor_acquire_async);
	g_dbus_connection_call_with_unix_fd_list(
		system_bus,
		"org.freedesktop.login1",
		"/org/freedesktop/login1",
		"org.freedesktop.login1.Manager",
		"Inhibit",
		g_variant_new("(ssss)", RB_INHIBITOR_WHAT, who, why, RB_INHIBITOR_MODE),
		G_VARIANT_TYPE("(h)"),
		G_DBUS_CALL_FLAGS_NONE,
		-1,
		NULL,
		cancellable,
		rb_inhibitor_inhibit_cb,
		task);
}

/*
 * Returns the lock, or NULL: without @error set when logind is not running
 * (burning goes on unprotected), with it on any other failure (callers log
 * it and go on too; a burn is not refused for want of a lock).
 */
RbInhibitor *
rb_inhibitor_acquire_finish(GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, NULL), NULL);
	return g_task_propagate_pointer(G_TASK(result), error);
}

/* gives the lock back at once; safe to call more than once */
void
rb_inhibitor_release(RbInhibitor *self)
{
	g_return_if_fail(RB_IS_INHIBITOR(self));
	if (self->fd < 0)
		return;
	g_debug("releasing the logind inhibitor lock (fd %d)", self->fd);
	close(self->fd);
	self->fd = -1;
}

gboolean
rb_inhibitor_is_held(RbInhibitor *self)
{
	g_return_val_if_fail(RB_IS_INHIBITOR(self), FALSE);
	return self->fd >= 0;
}

static void
rb_inhibitor_finalize(GObject *object)
{
	rb_inhibitor_release(RB_INHIBITOR(object));
	G_OBJECT_CLASS(rb_inhibitor_parent_class)->finalize(object);
}

static void
rb_inhibitor_class_init(RbInhibitorClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = rb_inhibitor_finalize;
}

static void
rb_inhibitor_init(RbInhibitor *self)
{
	self->fd = -1;
}
