/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The DiscFormat2Erase interface of one recorder (IMAPI's IDiscFormat2Erase):
 * per-client ClientName and FullErase, and EraseMedia, which borrows the
 * lock of the recorder's DiscFormat2RawCD for its duration
 * (rb-raw-cd-operation.c) and blanks in a worker thread (rb-erase-drive.c)
 * while a main-loop timer turns the drive's progress into Update signals.
 * As in rb-raw-cd-properties.c, property writes are handled asynchronously
 * (the vtable's set_property is NULL, so GDBus sends them to method_call)
 * because they wait for polkit.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbErase"

#include <glib/gi18n.h>

#include "rb-auth-map.h"
#include "rb-client-table.h"
#include "rb-dbus-util.h"
#include "rb-erase-drive.h"
#include "rb-erase-format.h"
#include "rb-error.h"

#define RB_ERASE_INTERFACE "org.rawburn.RawBurn1.DiscFormat2Erase"

typedef enum {
	RB_ERASE_ALIVE,
	RB_ERASE_GONE,     /* unplugged or removed: DeviceGone */
	RB_ERASE_STOPPING, /* the service stops: RequestCancelled */
} RbEraseLife;

struct _RbEraseFormat {
	RbDiscFormat2EraseSkeleton parent_instance;
	GDBusInterfaceVTable vtable;
	gchar *name;
	RbRawCdFormat *raw_cd; /* not owned: the recorder owns both; NULL once detached */
	GObject *recorder;     /* not owned; NULL once detached */
	RbAuthority *authority;
	RbClientTable *clients; /* created on first use, once exported */
	RbEraseLife life;
	guint pending;             /* authorizations in flight */
	GCancellable *cancellable; /* ends the wait (never the blank) when the service stops */
	RbEraseProgress progress;
	guint update_id;
	RbServiceJob *job; /* of the erase running, NULL when none */
};

G_DEFINE_TYPE(RbEraseFormat, rb_erase_format, RB_TYPE_DISC_FORMAT2_ERASE_SKELETON)

/* --- clients and properties ----------------------------------------------------------- */

static RbClientTable *
rb_erase_format_get_clients(RbEraseFormat *self)
{
	GDBusConnection *connection;

	if (self->clients != NULL)
		return self->clients;
	connection = g_dbus_interface_skeleton_get_connection(G_DBUS_INTERFACE_SKELETON(self));
	g_return_val_if_fail(connection != NULL, NULL);
	/* nothing to do when a client leaves: an erase it started keeps the
	 * recorder's lock until the drive is done (rb-raw-cd-operation.c) */
	self->clients = rb_client_table_new(connection, NULL, NULL);
	return self->clients;
}

static const GDBusInterfaceVTable *
rb_erase_format_get_parent_vtable(RbEraseFormat *self)
{
	return rb_dbus_util_get_parent_vtable(G_DBUS_INTERFACE_SKELETON(self),
					      rb_erase_format_parent_class);
}

static GVariant *
rb_erase_format_get_property(GDBusConnection *connection,
			     const gchar *sender,
			     const gchar *object_path,
			     const gchar *interface_name,
			     const gchar *property_name,
			     GError **error,
			     gpointer user_data)
{
	RbEraseFormat *self = RB_ERASE_FORMAT(user_data);
	RbClientState *state = rb_client_table_lookup(rb_erase_format_get_clients(self), sender);

	/* reads return the caller's own values: the defaults until it sets them */
	if (g_strcmp0(property_name, "ClientName") == 0)
		return g_variant_new_string(
			state != NULL && state->client_name != NULL ? state->client_name : "");
	if (g_strcmp0(property_name, "FullErase") == 0)
		return g_variant_new_boolean(state != NULL && state->full_erase);
	return rb_erase_format_get_parent_vtable(self)->get_property(
		connection, sender, object_path, interface_name, property_name, error, user_data);
}

/* FALSE, with the reply sent, when the recorder takes no more work */
static gboolean
rb_erase_format_check_alive(RbEraseFormat *self, GDBusMethodInvocation *invocation)
{
	switch (self->life) {
	case RB_ERASE_ALIVE:
		return TRUE;
	case RB_ERASE_GONE:
		rb_dbus_util_refuse(invocation, RB_ERROR_DEVICE_GONE);
		return FALSE;
	case RB_ERASE_STOPPING:
	default:
		g_dbus_method_invocation_take_error(invocation, rb_dbus_util_new_stopping_error());
		return FALSE;
	}
}

static void
rb_erase_format_authorize(RbEraseFormat *self,
			  GDBusMethodInvocation *invocation,
			  RbAuthThenFunc next)
{
	if (!rb_erase_format_check_alive(self, invocation))
		return;
	rb_auth_map_authorize_then(self->authority,
				   invocation,
				   NULL,
				   G_OBJECT(self),
				   self->recorder,
				   &self->pending,
				   (RbAuthAliveFunc)rb_erase_format_check_alive,
				   next);
}

static void
rb_erase_format_set_property_authorized(RbEraseFormat *self, GDBusMethodInvocation *invocation)
{
	const gchar *sender = g_dbus_method_invocation_get_sender(invocation);
	RbClientState *state = rb_client_table_ensure(rb_erase_format_get_clients(self), sender);
	g_autoptr(GVariant) value = NULL;
	const gchar *property_name;

	rb_dbus_util_get_property_set(invocation, &property_name, &value);
	/* IMAPI lets both change at any time: an erase running has read them */
	if (g_strcmp0(property_name, "ClientName") == 0) {
		g_free(state->client_name);
		state->client_name = g_variant_dup_string(value, NULL);
	} else {
		state->full_erase = g_variant_get_boolean(value);
	}
	rb_dbus_util_emit_changed_to(
		G_DBUS_INTERFACE_SKELETON(self), sender, RB_ERASE_INTERFACE, property_name, value);
	g_dbus_method_invocation_return_value(invocation, NULL);
}

/* Properties.Set: GDBus checked that the property exists and is writable */
static void
rb_erase_format_method_call(GDBusConnection *connection,
			    const gchar *sender,
			    const gchar *object_path,
			    const gchar *interface_name,
			    const gchar *method_name,
			    GVariant *parameters,
			    GDBusMethodInvocation *invocation,
			    gpointer user_data)
{
	RbEraseFormat *self = RB_ERASE_FORMAT(user_data);
	g_autoptr(GVariant) value = NULL;
	const gchar *property_name;

	if (g_strcmp0(interface_name, RB_DBUS_PROPERTIES_INTERFACE) != 0) {
		rb_dbus_util_chain_method_call(rb_erase_format_get_parent_vtable(self),
					       G_DBUS_INTERFACE_SKELETON(self),
					       invocation);
		return;
	}
	if (!rb_dbus_util_parse_property_set(invocation, &property_name, &value))
		return;
	/* the value alone, before authorization */
	if (g_strcmp0(property_name, "ClientName") == 0 &&
	    !rb_client_name_is_valid(g_variant_get_string(value, NULL))) {
		rb_dbus_util_refuse(invocation, RB_ERROR_ERASE_CLIENT_NAME_IS_NOT_VALID);
		return;
	}
	rb_erase_format_authorize(
		self, invocation, (RbAuthThenFunc)rb_erase_format_set_property_authorized);
}

static GDBusInterfaceVTable *
rb_erase_format_get_vtable(GDBusInterfaceSkeleton *skeleton)
{
	RbEraseFormat *self = RB_ERASE_FORMAT(skeleton);

	self->vtable = *rb_erase_format_get_parent_vtable(self);
	self->vtable.method_call = rb_erase_format_method_call;
	self->vtable.get_property = rb_erase_format_get_property;
	self->vtable.set_property = NULL;
	return &self->vtable;
}

/* --- EraseMedia ----------------------------------------------------------------------------- */

/* the drive's progress is trusted from 1% on: before, a few milliseconds
 * against a fraction quantized to 1/65536 say little of the total */
#define RB_ERASE_FRACTION_TRUSTED 0.01

/* the expected total: the drive's own figure (the time it took to reach the
 * fraction it last gave, scaled up) once it has made some progress, else the
 * estimate from the disc's size and the speed */
static void
rb_erase_format_emit_update(RbEraseFormat *self, gboolean final)
{
	gint64 started_us;
	gint64 fraction_us;
	gdouble fraction;
	gint estimate_s;
	gdouble elapsed;
	gint expected;

	rb_erase_progress_get(&self->progress, &started_us, &fraction, &fraction_us, &estimate_s);
	if (started_us == 0)
		return; /* the drive has not taken BLANK yet */
	elapsed = (gdouble)(g_get_monotonic_time() - started_us) / G_USEC_PER_SEC;
	if (final)
		expected = (gint)elapsed;
	else if (fraction >= RB_ERASE_FRACTION_TRUSTED && fraction < 1.0)
		expected = (gint)((gdouble)(fraction_us - started_us) / G_USEC_PER_SEC / fraction +
				  0.5);
	else
		expected = estimate_s;
	/* the end cannot lie behind now; the drive is still at it */
	if (!final)
		expected = MAX(expected, (gint)elapsed + 1);
	rb_disc_format2_erase_emit_update(RB_DISC_FORMAT2_ERASE(self), (gint)elapsed, expected);
	/* the job shows the same: the drive's fraction once trusted, else the
	 * share of the expected time gone by */
	if (self->job != NULL)
		rb_service_job_set_fraction(self->job,
					    final ? 1.0
					    : fraction >= RB_ERASE_FRACTION_TRUSTED
						    ? fraction
						    : elapsed / MAX(expected, 1),
					    expected);
}

static gboolean
rb_erase_format_on_update_timer(gpointer user_data)
{
	rb_erase_format_emit_update(RB_ERASE_FORMAT(user_data), FALSE);
	return G_SOURCE_CONTINUE;
}

static void
rb_erase_format_complete_job(RbEraseFormat *self, const GError *error)
{
	if (self->job == NULL)
		return;
	rb_service_job_complete(self->job, error);
	g_clear_object(&self->job);
}

typedef struct {
	RbEraseFormat *self;
	GDBusMethodInvocation *invocation;
	RbEraseJob *job; /* not owned: the drive call frees it after the callback */
} RbEraseCall;

static void
rb_erase_format_erase_done(GObject *source, GAsyncResult *result, gpointer user_data)
{
	RbEraseCall *call = user_data;
	g_autoptr(RbEraseFormat) self = call->self;
	g_autoptr(GDBusMethodInvocation) invocation = call->invocation;
	RbRawCdFormat *raw_cd = RB_RAW_CD_FORMAT(source);
	g_autoptr(GError) error = NULL;
	gboolean ok = rb_raw_cd_format_run_on_drive_finish(raw_cd, result, &error);

	g_clear_handle_id(&self->update_id, g_source_remove);
	/* "done" (elapsed = expected) only when it is: a poll given up or
	 * failed says nothing of when the drive ends */
	if (ok)
		rb_erase_format_emit_update(self, TRUE);
	rb_raw_cd_format_journal_operation_ended(raw_cd, error);
	if (!ok && g_cancellable_is_cancelled(self->cancellable)) {
		/* the service stops or the drive went, and the drive may still be
		 * blanking: the lock goes without a command it would refuse */
		rb_raw_cd_format_abandon_operation(raw_cd);
	} else {
		/* the blank medium on the bus before the reply; the lock and the
		 * inhibitor go, ALLOW MEDIUM REMOVAL on the release path */
		rb_raw_cd_format_end_operation(raw_cd, ok ? call->job->state_after : NULL);
	}
	g_free(call);
	if (!ok) {
		g_debug("erase on %s failed: %s", self->name, error->message);
		/* unplugged mid-blank: that, not the wait we gave up, is the news */
		if (self->life == RB_ERASE_GONE) {
			g_clear_error(&error);
			rb_error_set_default(&error, RB_ERROR_DEVICE_GONE);
		}
		rb_erase_format_complete_job(self, error);
		rb_dbus_util_return_error(invocation, error);
		return;
	}
	rb_erase_format_complete_job(self, NULL);
	rb_disc_format2_erase_complete_erase_media(RB_DISC_FORMAT2_ERASE(self), invocation);
}

static gboolean
rb_erase_format_drive_func(RbMmcTransport *transport,
			   gpointer data,
			   GCancellable *cancellable,
			   GError **error)
{
	return rb_erase_drive_run(transport, data, error);
}

static void
rb_erase_format_erase_authorized(RbEraseFormat *self, GDBusMethodInvocation *invocation)
{
	const gchar *sender = g_dbus_method_invocation_get_sender(invocation);
	RbClientState *state = rb_client_table_ensure(rb_erase_format_get_clients(self), sender);
	g_autofree gchar *why = NULL;
	g_autoptr(GError) error = NULL;
	RbEraseJob *job;
	RbEraseCall *call;

	if (self->raw_cd == NULL) {
		rb_dbus_util_refuse(invocation, RB_ERROR_DEVICE_GONE);
		return;
	}
	/* TRANSLATORS: what logind shows while a CD is blanked; %s is the client's name */
	why = g_strdup_printf(_("Erasing a CD for %s"),
			      state->client_name != NULL ? state->client_name : sender);
	/* no cancellable: neither the caller leaving nor CancelWrite can stop a blank */
	if (!rb_raw_cd_format_begin_operation(
		    self->raw_cd, "erase", sender, state->client_name, why, NULL, &error)) {
		rb_dbus_util_return_error(invocation, error);
		return;
	}
	rb_erase_progress_reset(&self->progress);
	/* not cancelable: a drive cannot stop blanking once it began */
	self->job = rb_raw_cd_format_start_job(
		self->raw_cd, RB_JOB_OPERATION_ERASE, sender, state->client_name, NULL);

	job = g_new0(RbEraseJob, 1);
	job->full = state->full_erase;
	rb_raw_cd_format_journal_operation_started(self->raw_cd, job->full ? "full" : "minimal");
	job->name = g_strdup(self->name);
	job->progress = &self->progress;
	job->cancellable = g_object_ref(self->cancellable);
	call = g_new0(RbEraseCall, 1);
	call->self = g_object_ref(self);
	call->invocation = g_object_ref(invocation);
	call->job = job;
	self->update_id =
		g_timeout_add(RB_UPDATE_INTERVAL_MS, rb_erase_format_on_update_timer, self);
	rb_raw_cd_format_run_on_drive(self->raw_cd,
				      rb_erase_format_drive_func,
				      job,
				      (GDestroyNotify)rb_erase_job_free,
				      NULL,
				      rb_erase_format_erase_done,
				      call);
}

static gboolean
rb_erase_format_handle_erase_media(RbDiscFormat2Erase *iface, GDBusMethodInvocation *invocation)
{
	rb_erase_format_authorize(RB_ERASE_FORMAT(iface),
				  invocation,
				  (RbAuthThenFunc)rb_erase_format_erase_authorized);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* --- life cycle ------------------------------------------------------------------------------- */

static void
rb_erase_format_dispose(GObject *object)
{
	RbEraseFormat *self = RB_ERASE_FORMAT(object);

	g_cancellable_cancel(self->cancellable);
	g_clear_handle_id(&self->update_id, g_source_remove);
	g_clear_object(&self->job);
	g_clear_object(&self->clients);
	g_clear_object(&self->authority);
	G_OBJECT_CLASS(rb_erase_format_parent_class)->dispose(object);
}

static void
rb_erase_format_finalize(GObject *object)
{
	RbEraseFormat *self = RB_ERASE_FORMAT(object);

	g_free(self->name);
	g_clear_object(&self->cancellable);
	rb_erase_progress_clear(&self->progress);
	G_OBJECT_CLASS(rb_erase_format_parent_class)->finalize(object);
}

static void
rb_erase_format_class_init(RbEraseFormatClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GDBusInterfaceSkeletonClass *skeleton_class = G_DBUS_INTERFACE_SKELETON_CLASS(klass);

	object_class->dispose = rb_erase_format_dispose;
	object_class->finalize = rb_erase_format_finalize;
	skeleton_class->get_vtable = rb_erase_format_get_vtable;
}

static void
rb_erase_format_init(RbEraseFormat *self)
{
	self->cancellable = g_cancellable_new();
	rb_erase_progress_init(&self->progress);
	g_signal_connect(
		self, "handle-erase-media", G_CALLBACK(rb_erase_format_handle_erase_media), NULL);
}

RbEraseFormat *
rb_erase_format_new(const gchar *object_path,
		    const gchar *name,
		    RbRawCdFormat *raw_cd,
		    GObject *recorder,
		    RbAuthority *authority)
{
	RbEraseFormat *self = g_object_new(RB_TYPE_ERASE_FORMAT, NULL);

	self->name = g_strdup(name);
	self->raw_cd = raw_cd;
	self->recorder = recorder;
	self->authority = g_object_ref(authority);
	rb_disc_format2_erase_set_recorder(RB_DISC_FORMAT2_ERASE(self), object_path);
	return self;
}

/* the shared property, in step with DiscFormat2RawCD's */
void
rb_erase_format_apply_drive_state(RbEraseFormat *self, const RbDriveState *state)
{
	g_return_if_fail(RB_IS_ERASE_FORMAT(self));
	rb_disc_format2_erase_set_current_physical_media_type(
		RB_DISC_FORMAT2_ERASE(self), state->media_present ? state->media_type : 0);
}

/* calls waiting for polkit; an erase running counts as the RawCD format's */
gboolean
rb_erase_format_is_busy(RbEraseFormat *self)
{
	g_return_val_if_fail(RB_IS_ERASE_FORMAT(self), FALSE);
	return self->pending > 0;
}

/* the drive went: the poll fails by itself; calls waiting for polkit fail
 * with DeviceGone when it answers */
void
rb_erase_format_device_gone(RbEraseFormat *self)
{
	g_return_if_fail(RB_IS_ERASE_FORMAT(self));
	self->life = RB_ERASE_GONE;
	g_cancellable_cancel(self->cancellable);
}

/* the service stops: we stop waiting for the drive (which finishes the
 * blank on its own: nothing can stop it) and EraseMedia replies
 * RequestCancelled, so the service does not wait up to an hour */
void
rb_erase_format_shutdown(RbEraseFormat *self)
{
	g_return_if_fail(RB_IS_ERASE_FORMAT(self));
	if (self->life == RB_ERASE_ALIVE)
		self->life = RB_ERASE_STOPPING;
	g_cancellable_cancel(self->cancellable);
}

/* the recorder is being finalized: nothing may reach it any more */
void
rb_erase_format_detach(RbEraseFormat *self)
{
	g_return_if_fail(RB_IS_ERASE_FORMAT(self));
	if (self->life == RB_ERASE_ALIVE)
		self->life = RB_ERASE_GONE;
	self->raw_cd = NULL;
	self->recorder = NULL;
}
