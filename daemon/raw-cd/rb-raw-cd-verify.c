/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VerifyMedia of the DiscFormat2RawCD interface: the stream's descriptor
 * and the options are checked when the call arrives, the caller is
 * authorized, the recorder's lock is taken (or the caller's own used), and
 * a worker thread holding the drive reads the disc back against the stream
 * (rb-verify-disc.c, rb-verify-stream.c) while the main loop emits Update
 * with action 4 VERIFYING from an atomic snapshot.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbRawCdFormat"

#include <glib/gi18n.h>
#include <unistd.h>

#include "rb-auth-map.h"
#include "rb-dbus-util.h"
#include "rb-fd-limit.h"
#include "rb-raw-cd-format-private.h"
#include "rb-subchannel.h"
#include "rb-verify-stream.h"

/* the stream's dup and a real drive's device node */
#define RB_VERIFY_FDS_NEEDED 2
#define RB_VERIFY_CALL_KEY "rb-verify-call"

typedef struct {
	RbRawCdFormat *self;
	gint fd;
	guint sector_type;
	gint32 lead_in_sectors;
	gchar *client_name; /* NULL: the caller's process name */
	GCancellable *cancellable;
	RbServiceJob *job; /* what others see of it */
	guint update_id;
	gint64 start_us;
	/* the worker's progress, read by the main loop's timer */
	gint last_read_lba;
	gint first_lba;
	gint end_lba;
} RbVerifyCall;

static void
rb_verify_call_free(RbVerifyCall *call)
{
	if (call->fd >= 0)
		close(call->fd);
	g_clear_handle_id(&call->update_id, g_source_remove);
	g_clear_object(&call->cancellable);
	g_clear_object(&call->job);
	g_clear_object(&call->self);
	g_free(call->client_name);
	g_free(call);
}

static gboolean
rb_verify_parse_option(RbVerifyCall *call, const gchar *key, GVariant *value, GError **error)
{
	gint64 number = 0;
	gboolean flag = FALSE;

	if (g_strcmp0(key, "SectorType") == 0) {
		if (!rb_dbus_util_parse_integer(key, value, 1, 3, &number, error))
			return FALSE;
		call->sector_type = (guint)number;
	} else if (g_strcmp0(key, "StreamLeadInSectors") == 0) {
		if (!rb_raw_cd_parse_stream_lead_in(value, &call->lead_in_sectors, error))
			return FALSE;
	} else if (g_strcmp0(key, "ClientName") == 0) {
		if (!rb_raw_cd_parse_client_name(value, &call->client_name, error))
			return FALSE;
	} else if (g_strcmp0(key, RB_AUTH_OPTION_NO_USER_INTERACTION) == 0) {
		return rb_auth_map_parse_no_user_interaction(value, &flag, error);
	} else {
		g_set_error(error,
			    G_DBUS_ERROR,
			    G_DBUS_ERROR_INVALID_ARGS,
			    _("Unknown VerifyMedia option “%s” of type “%s”; use SectorType (u), "
			      "StreamLeadInSectors (i), ClientName (s) or "
			      "auth.no_user_interaction (b)."),
			    key,
			    g_variant_get_type_string(value));
		return FALSE;
	}
	return TRUE;
}

static void
rb_verify_emit_update(RbVerifyCall *call, guint action)
{
	RbDiscFormat2RawCD *iface = RB_DISC_FORMAT2_RAW_CD(call->self);
	gint64 now = g_get_monotonic_time();
	gint first = g_atomic_int_get(&call->first_lba);
	gint end = g_atomic_int_get(&call->end_lba);
	gint last = g_atomic_int_get(&call->last_read_lba);
	gint32 elapsed = (gint32)((now - call->start_us) / G_USEC_PER_SEC);
	gint32 remaining = -1;
	gint64 done = (gint64)last - first + 1;

	if (end > first && done > 0 && now > call->start_us) {
		gdouble rate = (gdouble)done * G_USEC_PER_SEC / (gdouble)(now - call->start_us);
		remaining = (gint32)((gdouble)(end - last - 1) / rate);
	}
	rb_disc_format2_raw_cd_set_current_action(iface, action);
	/* nothing is written and no FIFO is used while verifying */
	rb_disc_format2_raw_cd_emit_update(iface,
					   action,
					   elapsed,
					   remaining,
					   first,
					   MAX(end - first, 0),
					   last,
					   first - 1,
					   0,
					   0,
					   0);
	/* the job counts the sectors read back, in the stream's sector size */
	if (call->job != NULL && end > first)
		rb_service_job_set_bytes_done(
			call->job,
			(guint64)MAX(done, 0) *
				rb_data_block_type_get_sector_size(call->sector_type),
			(guint64)(end - first) *
				rb_data_block_type_get_sector_size(call->sector_type));
}

static gboolean
rb_verify_on_update_timer(gpointer user_data)
{
	rb_verify_emit_update(user_data, RB_WRITE_ACTION_VERIFYING);
	return G_SOURCE_CONTINUE;
}

static void
rb_verify_on_progress(gint32 last_read_lba, gint32 first_lba, gint32 end_lba, gpointer user_data)
{
	RbVerifyCall *call = user_data;

	g_atomic_int_set(&call->first_lba, first_lba);
	g_atomic_int_set(&call->end_lba, end_lba);
	g_atomic_int_set(&call->last_read_lba, last_read_lba);
}

/* the worker thread, holding the drive */
static gboolean
rb_verify_run(RbMmcTransport *transport, gpointer data, GCancellable *cancellable, GError **error)
{
	RbVerifyCall *call = data;
	RbMmcEnv env = {NULL, NULL, NULL, cancellable};
	g_autoptr(RbVerifyStream) stream = NULL;
	gint fd = call->fd;

	call->fd = -1;
	stream = rb_verify_stream_new(fd,
				      call->sector_type,
				      rb_raw_cd_stream_first_lba(call->lead_in_sectors),
				      cancellable,
				      error);
	if (stream == NULL)
		return FALSE;
	return rb_verify_disc(transport,
			      &env,
			      rb_verify_stream_get_funcs(),
			      stream,
			      RB_VERIFY_LEADOUT_UNKNOWN,
			      rb_verify_on_progress,
			      call,
			      error);
}

static void
rb_verify_done(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(GDBusMethodInvocation) invocation = user_data;
	RbRawCdFormat *self = RB_RAW_CD_FORMAT(source);
	RbVerifyCall *call = g_object_get_data(G_OBJECT(invocation), RB_VERIFY_CALL_KEY);
	g_autoptr(GError) error = NULL;
	gboolean ok = rb_raw_cd_format_run_on_drive_finish(self, result, &error);

	g_clear_handle_id(&call->update_id, g_source_remove);
	/* the last Update shows where the verify ended */
	rb_verify_emit_update(call, RB_WRITE_ACTION_VERIFYING);
	rb_disc_format2_raw_cd_set_current_action(RB_DISC_FORMAT2_RAW_CD(self),
						  RB_WRITE_ACTION_UNKNOWN);
	if (self->life == RB_FORMAT_GONE) {
		g_clear_error(&error);
		rb_error_set_default(&error, RB_ERROR_DEVICE_GONE);
		ok = FALSE;
	} else if (g_cancellable_is_cancelled(call->cancellable) &&
		   !g_error_matches(error, RB_ERROR, RB_ERROR_BURN_VERIFICATION_FAILED)) {
		/* whatever failed after the cancel is its consequence */
		g_clear_error(&error);
		rb_error_set(&error,
			     RB_ERROR_REQUEST_CANCELLED,
			     "%s",
			     _("The verification was cancelled; the disc was not changed."));
		ok = FALSE;
	}
	rb_raw_cd_format_journal_operation_ended(self, ok ? NULL : error);
	rb_raw_cd_format_end_operation(self, NULL);
	if (call->job != NULL)
		rb_service_job_complete(call->job, ok ? NULL : error);
	if (!ok) {
		rb_dbus_util_return_error(invocation, error);
		return;
	}
	g_dbus_method_invocation_return_value(invocation, NULL);
}

static void
rb_verify_authorized(RbRawCdFormat *self, GDBusMethodInvocation *invocation)
{
	RbVerifyCall *call = g_object_get_data(G_OBJECT(invocation), RB_VERIFY_CALL_KEY);
	const gchar *sender = g_dbus_method_invocation_get_sender(invocation);
	g_autofree gchar *why = NULL;
	g_autoptr(GError) error = NULL;

	if (!rb_fd_limit_check(RB_VERIFY_FDS_NEEDED, &error)) {
		rb_dbus_util_return_error(invocation, error);
		return;
	}
	why = g_strdup_printf(_("Verifying a CD for %s"),
			      call->client_name != NULL ? call->client_name : sender);
	call->cancellable = g_cancellable_new();
	if (!rb_raw_cd_format_begin_operation(
		    self, "verify", sender, call->client_name, why, call->cancellable, &error)) {
		rb_dbus_util_return_error(invocation, error);
		return;
	}
	rb_raw_cd_format_journal_operation_started(self, NULL);
	call->self = g_object_ref(self);
	call->job = rb_raw_cd_format_start_job(
		self, RB_JOB_OPERATION_VERIFY, sender, call->client_name, call->cancellable);
	call->start_us = g_get_monotonic_time();
	call->first_lba = -150;
	call->end_lba = -150;
	call->last_read_lba = -151;
	rb_verify_emit_update(call, RB_WRITE_ACTION_VERIFYING);
	call->update_id = g_timeout_add(RB_UPDATE_INTERVAL_MS, rb_verify_on_update_timer, call);
	/* the call (and its descriptor) lives on the invocation, which the
	 * callback holds until the reply */
	rb_raw_cd_format_run_on_drive(self,
				      rb_verify_run,
				      call,
				      NULL,
				      call->cancellable,
				      rb_verify_done,
				      g_object_ref(invocation));
}

static gboolean
rb_verify_handle_verify_media(RbDiscFormat2RawCD *iface,
			      GDBusMethodInvocation *invocation,
			      GUnixFDList *fd_list,
			      GVariant *handle,
			      GVariant *options)
{
	g_autoptr(GError) error = NULL;
	RbVerifyCall *call = g_new0(RbVerifyCall, 1);
	GVariantIter iter;
	const gchar *key;
	GVariant *entry_value;

	call->fd = -1;
	call->sector_type = RB_SECTOR_TYPE_DEFAULT;
	call->lead_in_sectors = RB_STREAM_LEADIN_DEFAULT;
	g_object_set_data_full(G_OBJECT(invocation),
			       RB_VERIFY_CALL_KEY,
			       call,
			       (GDestroyNotify)rb_verify_call_free);
	/* a bad handle or option is refused before polkit is asked anything */
	call->fd = rb_dbus_util_get_fd(invocation, g_variant_get_handle(handle), "data", &error);
	if (call->fd < 0) {
		rb_dbus_util_return_error(invocation, error);
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	g_variant_iter_init(&iter, options);
	while (g_variant_iter_next(&iter, "{&sv}", &key, &entry_value)) {
		g_autoptr(GVariant) value = entry_value;

		if (!rb_verify_parse_option(call, key, value, &error)) {
			rb_dbus_util_return_error(invocation, error);
			return G_DBUS_METHOD_INVOCATION_HANDLED;
		}
	}
	rb_raw_cd_format_authorize(
		RB_RAW_CD_FORMAT(iface), invocation, options, rb_verify_authorized);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

void
rb_raw_cd_verify_init(RbRawCdFormat *self)
{
	g_signal_connect(
		self, "handle-verify-media", G_CALLBACK(rb_verify_handle_verify_media), NULL);
}
