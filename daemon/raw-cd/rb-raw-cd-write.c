/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * WriteMedia, WriteMedia2 and Burn of the DiscFormat2RawCD interface: the
 * arguments are checked and the stream's descriptor taken when the call
 * arrives, the caller is authorized, and only then does anything change;
 * the write job runs the burn and the IMAPI Update signal follows it.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbRawCdFormat"

#include <glib/gi18n.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rb-auth-map.h"
#include "rb-dbus-util.h"
#include "rb-fd-limit.h"
#include "rb-mmc-cdb.h"
#include "rb-raw-cd-format-private.h"

/* what one burn opens: the stream's dup, the job's wake-up eventfd, and room
 * for a real drive's device node */
#define RB_WRITE_FDS_NEEDED 4

static void
rb_write_args_free(RbWriteArgs *args)
{
	/* every path ends a Burn's job before its reply; this is the last net */
	if (args->service_job != NULL) {
		g_autoptr(GError) error = NULL;

		rb_error_set_default(&error, RB_ERROR_REQUEST_CANCELLED);

		rb_write_args_end_job(args, error);
	}
	g_clear_object(&args->cancellable);
	if (args->fd >= 0)
		close(args->fd);
	g_free(args->client_name);
	g_free(args);
}

RbWriteArgs *
rb_write_args_get(GDBusMethodInvocation *invocation)
{
	return g_object_get_data(G_OBJECT(invocation), RB_WRITE_ARGS_KEY);
}

static RbWriteArgs *
rb_write_args_attach(GDBusMethodInvocation *invocation)
{
	RbWriteArgs *args = g_new0(RbWriteArgs, 1);

	args->fd = -1;
	args->lead_in_sectors = RB_STREAM_LEADIN_DEFAULT;
	g_object_set_data_full(
		G_OBJECT(invocation), RB_WRITE_ARGS_KEY, args, (GDestroyNotify)rb_write_args_free);
	return args;
}

/* one Burn option onto @args; nothing of the caller's state changes here */
static gboolean
rb_write_args_parse_option(RbWriteArgs *args, const gchar *key, GVariant *value, GError **error)
{
	gint64 number = 0;
	gboolean flag = FALSE;

	if (g_strcmp0(key, "ClientName") == 0) {
		if (!rb_raw_cd_parse_client_name(value, &args->client_name, error))
			return FALSE;
	} else if (g_strcmp0(key, "SectorType") == 0) {
		if (!rb_dbus_util_parse_integer(key, value, 1, 3, &number, error))
			return FALSE;
		args->sector_type = (guint32)number;
		args->have_sector_type = TRUE;
	} else if (g_strcmp0(key, "BufferUnderrunFreeDisabled") == 0) {
		if (!rb_dbus_util_check_option_type(key, value, G_VARIANT_TYPE_BOOLEAN, error))
			return FALSE;
		args->buffer_underrun_free_disabled = g_variant_get_boolean(value);
		args->have_buffer_underrun_free_disabled = TRUE;
	} else if (g_strcmp0(key, "WriteSpeed") == 0) {
		if (!rb_dbus_util_parse_integer(key, value, -1, G_MAXINT32, &number, error))
			return FALSE;
		if (number == 0) {
			g_set_error(error,
				    G_DBUS_ERROR,
				    G_DBUS_ERROR_INVALID_ARGS,
				    _("The write speed must be -1 (fastest) or a number of "
				      "sectors per second above 0, not 0."));
			return FALSE;
		}
		args->write_speed = (gint32)number;
		args->have_write_speed = TRUE;
	} else if (g_strcmp0(key, "PureCAV") == 0) {
		if (!rb_dbus_util_check_option_type(key, value, G_VARIANT_TYPE_BOOLEAN, error))
			return FALSE;
		args->pure_cav = g_variant_get_boolean(value);
		args->have_pure_cav = TRUE;
	} else if (g_strcmp0(key, "StreamLeadInSectors") == 0) {
		if (!rb_raw_cd_parse_stream_lead_in(value, &args->lead_in_sectors, error))
			return FALSE;
	} else if (g_strcmp0(key, "Preflight") == 0) {
		if (!rb_dbus_util_check_option_type(key, value, G_VARIANT_TYPE_STRING, error))
			return FALSE;
		if (!rb_preflight_parse(g_variant_get_string(value, NULL), &args->preflight, error))
			return FALSE;
		args->have_preflight = TRUE;
	} else if (g_strcmp0(key, "Verify") == 0) {
		if (!rb_dbus_util_check_option_type(key, value, G_VARIANT_TYPE_BOOLEAN, error))
			return FALSE;
		args->verify = g_variant_get_boolean(value);
	} else if (g_strcmp0(key, "TestWrite") == 0) {
		if (!rb_dbus_util_check_option_type(key, value, G_VARIANT_TYPE_BOOLEAN, error))
			return FALSE;
		args->test_write = g_variant_get_boolean(value);
		args->have_test_write = TRUE;
	} else if (g_strcmp0(key, RB_AUTH_OPTION_NO_USER_INTERACTION) == 0) {
		return rb_auth_map_parse_no_user_interaction(value, &flag, error);
	} else {
		g_set_error(error,
			    G_DBUS_ERROR,
			    G_DBUS_ERROR_INVALID_ARGS,
			    _("Unknown Burn option “%s” of type “%s”; use ClientName (s), "
			      "SectorType (u), BufferUnderrunFreeDisabled (b), WriteSpeed (i), "
			      "PureCAV (b), StreamLeadInSectors (i), Preflight (s), TestWrite (b), "
			      "Verify (b) or auth.no_user_interaction (b)."),
			    key,
			    g_variant_get_type_string(value));
		return FALSE;
	}
	return TRUE;
}

/* --- the write ------------------------------------------------------------------------------ */

/* a Burn releases the medium it prepared before it replies */
void
rb_raw_cd_write_failed(RbRawCdFormat *self, GDBusMethodInvocation *invocation, const GError *error)
{
	RbWriteArgs *args = rb_write_args_get(invocation);

	/* the stream still ours: refused before the write began */
	if (args != NULL && args->fd >= 0)
		rb_raw_cd_journal_write_refused(self, invocation, error);
	/* a Burn refused before its write began: its job ends with this reply */
	if (args != NULL)
		rb_write_args_end_job(args, error);
	if (args != NULL && args->burn &&
	    rb_raw_cd_format_is_holder(self, g_dbus_method_invocation_get_sender(invocation)))
		rb_raw_cd_format_release(self, NULL);
	rb_dbus_util_return_error(invocation, error);
}

/* why the write really ended, once the recorder went away or the service stops */
static GError *
rb_raw_cd_write_get_outcome_error(RbRawCdFormat *self)
{
	if (self->life == RB_FORMAT_GONE)
		return rb_error_new(
			RB_ERROR_DEVICE_GONE, "%s", rb_error_get_description(RB_ERROR_DEVICE_GONE));
	return rb_error_new(RB_ERROR_REQUEST_CANCELLED,
			    _("The service is stopping (a system shutdown, “systemctl "
			      "stop” or a replacement), so the write was cancelled; a partly "
			      "written CD-R is unusable, a CD-RW must be blanked."));
}

static void
rb_raw_cd_write_done(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(GDBusMethodInvocation) invocation = user_data;
	RbRawCdFormat *self = g_object_get_data(G_OBJECT(invocation), "rb-format");
	g_autoptr(RbWriteJob) job = RB_WRITE_JOB(g_object_ref(source));
	g_autoptr(GError) error = NULL;
	gboolean ok = rb_write_job_run_finish(job, result, &error);
	RbWriteArgs *args = rb_write_args_get(invocation);

	if (self->life != RB_FORMAT_ALIVE) {
		g_clear_error(&error);
		error = rb_raw_cd_write_get_outcome_error(self);
		ok = FALSE;
	}

	rb_raw_cd_journal_write_ended(self, job, ok ? NULL : error);
	/* the last Update shows where the write ended */
	g_clear_handle_id(&self->update_id, g_source_remove);
	rb_raw_cd_write_emit_update(self);
	/* the job ends with the error the call replies with */
	rb_raw_cd_write_end_job(self, ok ? NULL : error);
	g_clear_object(&self->job);
	self->writing = FALSE;
	rb_disc_format2_raw_cd_set_write_in_progress(RB_DISC_FORMAT2_RAW_CD(self), FALSE);
	rb_disc_format2_raw_cd_set_current_action(RB_DISC_FORMAT2_RAW_CD(self),
						  RB_WRITE_ACTION_UNKNOWN);
	if (self->recorder != NULL)
		self->recorder_ops->write_finished(self->recorder);
	if (self->release_after_write) {
		self->release_after_write = FALSE;
		if (self->holder != NULL)
			rb_raw_cd_format_release(self, NULL);
	}
	if (!ok) {
		rb_raw_cd_write_failed(self, invocation, error);
		return;
	}
	if (args->burn && self->holder != NULL)
		rb_raw_cd_format_release(self, NULL);
	g_dbus_method_invocation_return_value(invocation, NULL);
}

/* a refusal of the state the recorder is in: a Burn's ends its job and
 * gives back the lock it took, as any failure of a Burn does */
static void
rb_raw_cd_write_refuse(RbRawCdFormat *self, GDBusMethodInvocation *invocation, const GError *error)
{
	RbWriteArgs *args = rb_write_args_get(invocation);

	if (args != NULL && args->burn) {
		rb_raw_cd_write_failed(self, invocation, error);
		return;
	}
	rb_dbus_util_return_error(invocation, error);
}

/* sectors per second the drive writes at for a request of @requested (-1:
 * the fastest): its fastest write speed caps any request, since drives round
 * down to a speed they have; 0 when the drive lists none */
static gint32
rb_raw_cd_write_rate(RbRawCdFormat *self, gint32 requested)
{
	GVariant *speeds =
		rb_disc_format2_raw_cd_get_supported_write_speeds(RB_DISC_FORMAT2_RAW_CD(self));
	const gint32 *values;
	gsize n = 0;
	gint32 fastest = 0;

	if (speeds != NULL) {
		values = g_variant_get_fixed_array(speeds, &n, sizeof(gint32));
		for (gsize i = 0; i < n; i++)
			fastest = MAX(fastest, values[i]);
	}
	if (requested <= 0)
		return fastest;
	return fastest > 0 ? MIN(requested, fastest) : requested;
}

/* once authorized and, for Burn, prepared: the caller's values or Burn's */
void
rb_raw_cd_write_start(RbRawCdFormat *self, GDBusMethodInvocation *invocation)
{
	RbDiscFormat2RawCD *iface = RB_DISC_FORMAT2_RAW_CD(self);
	const gchar *sender = g_dbus_method_invocation_get_sender(invocation);
	RbClientState *state = rb_raw_cd_format_client(self, sender);
	RbWriteArgs *args = rb_write_args_get(invocation);
	g_autoptr(GError) error = NULL;
	RbWriteJobParams params = {0};
	RbMmcTransport *transport;
	guint32 sector_type;
	gboolean test_write;
	struct stat stream_stat;
	gint64 stream_bytes;

	if (!rb_raw_cd_format_is_holder(self, sender) || self->holder_name == NULL) {
		g_autoptr(GError) refusal = NULL;

		rb_error_set_default(&refusal, RB_ERROR_MEDIA_IS_NOT_PREPARED);

		rb_raw_cd_write_refuse(self, invocation, refusal);
		return;
	}
	if (self->writing || self->operation != NULL) {
		g_autoptr(GError) refusal = NULL;

		rb_error_set_default(&refusal, RB_ERROR_WRITE_IN_PROGRESS);

		rb_raw_cd_write_refuse(self, invocation, refusal);
		return;
	}
	if (self->media_changed) {
		g_autoptr(GError) refusal =
			rb_error_new(RB_ERROR_MEDIA_IS_NOT_PREPARED,
				     _("The medium was ejected or loaded since PrepareMedia; call "
				       "ReleaseMedia and PrepareMedia again."));

		rb_raw_cd_write_refuse(self, invocation, refusal);
		return;
	}
	sector_type =
		args->burn ? (args->have_sector_type ? args->sector_type : RB_SECTOR_TYPE_DEFAULT)
			   : state->requested_sector_type;
	if (!rb_raw_cd_format_has_sector_type(self, sector_type)) {
		g_autoptr(GError) type_error =
			rb_error_new(RB_ERROR_DATA_BLOCK_TYPE_NOT_SUPPORTED,
				     _("The recorder does not support sector type %u; pick one of "
				       "SupportedSectorTypes."),
				     sector_type);
		rb_raw_cd_write_failed(self, invocation, type_error);
		return;
	}
	test_write = args->have_test_write ? args->test_write : state->test_write;
	/* a simulation records nothing that could be read back */
	if (test_write && args->verify) {
		g_autoptr(GError) verify_error = g_error_new(
			G_DBUS_ERROR,
			G_DBUS_ERROR_INVALID_ARGS,
			_("Verify and TestWrite do not go together: a simulation records "
			  "nothing to read back; drop one of them."));
		rb_raw_cd_write_failed(self, invocation, verify_error);
		return;
	}
	/*
	 * A simulation needs a drive that claims it (the Test Write bit of
	 * feature 002Dh or 002Eh, or of page 2Ah), as PrepareMedia read it:
	 * refused here, before the first MODE SELECT, so nothing is written.
	 */
	if (test_write && !self->test_write_supported) {
		g_autoptr(GError) test_write_error = rb_error_new(
			RB_ERROR_TEST_WRITE_NOT_SUPPORTED,
			_("The recorder does not claim test writing (no Test Write bit in "
			  "feature 002Dh, 002Eh or page 2Ah), so it cannot simulate; nothing "
			  "was written. Burn without simulation or use another recorder."));
		rb_raw_cd_write_failed(self, invocation, test_write_error);
		return;
	}
	if (!rb_fd_limit_check(RB_WRITE_FDS_NEEDED, &error)) {
		rb_raw_cd_write_failed(self, invocation, error);
		return;
	}
	params.fd = args->fd;
	params.test_write = test_write;
	params.stream_first_lba = rb_raw_cd_stream_first_lba(args->lead_in_sectors);
	params.sector_type = sector_type;
	params.leadin_start_lba = rb_disc_format2_raw_cd_get_start_of_next_session(iface);
	params.last_leadout_start_lba =
		rb_disc_format2_raw_cd_get_last_possible_start_of_leadout(iface);
	params.bufe = args->burn && args->have_buffer_underrun_free_disabled
			      ? !args->buffer_underrun_free_disabled
		      : args->burn ? TRUE
				   : !state->buffer_underrun_free_disabled;
	params.write_speed_kbps = rb_mmc_speed_sectors_to_kbps(
		args->have_write_speed ? args->write_speed : state->requested_write_speed);
	params.rotation =
		(args->have_pure_cav ? args->pure_cav : state->requested_pure_cav) ? 1 : 0;
	params.preflight = args->have_preflight ? args->preflight : state->preflight;
	params.write_rate_sectors = rb_raw_cd_write_rate(
		self, args->have_write_speed ? args->write_speed : state->requested_write_speed);
	params.fifo_size = self->fifo_size;
	params.verify = args->burn && args->verify;
	transport = self->recorder_ops->get_transport(self->recorder, &error);
	self->job = transport != NULL ? rb_write_job_new(transport, &params, &error) : NULL;
	stream_bytes = fstat(args->fd, &stream_stat) == 0 && S_ISREG(stream_stat.st_mode)
			       ? (gint64)stream_stat.st_size
			       : -1;
	if (self->job == NULL) {
		rb_raw_cd_write_failed(self, invocation, error);
		return;
	}
	/* the job holds its own duplicate */
	close(args->fd);
	args->fd = -1;
	rb_raw_cd_journal_write_started(self,
					args,
					&params,
					args->have_write_speed ? args->write_speed
							       : state->requested_write_speed,
					stream_bytes);
	self->writing = TRUE;
	/* what Job.Cancel cancels is what CancelWrite cancels; a Burn's began
	 * with its preparation and are the write's from here */
	if (args->service_job != NULL) {
		self->service_job = g_steal_pointer(&args->service_job);
		self->cancellable = g_steal_pointer(&args->cancellable);
	} else {
		self->cancellable = g_cancellable_new();
		self->service_job = rb_raw_cd_format_start_job(
			self, RB_JOB_OPERATION_WRITE, sender, self->holder_name, self->cancellable);
	}
	self->job_verify = params.verify;
	self->job_write_sectors = 0;
	rb_disc_format2_raw_cd_set_write_in_progress(iface, TRUE);
	rb_write_job_set_action_func(self->job, rb_raw_cd_write_on_action, self, NULL);
	self->update_id =
		g_timeout_add(RB_UPDATE_INTERVAL_MS, rb_raw_cd_write_on_update_timer, self);
	/* the reply comes when the burn has ended; the object lives until then */
	g_object_set_data_full(
		G_OBJECT(invocation), "rb-format", g_object_ref(self), g_object_unref);
	/* the recorder may be unplugged while writing: write_done still reports to it */
	g_object_set_data_full(
		G_OBJECT(invocation), "rb-recorder", g_object_ref(self->recorder), g_object_unref);
	rb_write_job_run_async(
		self->job, self->cancellable, rb_raw_cd_write_done, g_object_ref(invocation));
}

static void
rb_raw_cd_write_authorized(RbRawCdFormat *self, GDBusMethodInvocation *invocation)
{
	rb_raw_cd_write_start(self, invocation);
}

/* the stream's descriptor, taken now: a bad handle is refused before polkit
 * is asked anything */
static RbWriteArgs *
rb_raw_cd_write_take_stream(GDBusMethodInvocation *invocation, GVariant *handle)
{
	g_autoptr(GError) error = NULL;
	RbWriteArgs *args = rb_write_args_attach(invocation);

	args->fd = rb_dbus_util_get_fd(invocation, g_variant_get_handle(handle), "data", &error);
	if (args->fd < 0) {
		rb_dbus_util_return_error(invocation, error);
		return NULL;
	}
	return args;
}

static gboolean
rb_raw_cd_write_handle_write_media(RbDiscFormat2RawCD *iface,
				   GDBusMethodInvocation *invocation,
				   GUnixFDList *fd_list,
				   GVariant *data)
{
	if (rb_raw_cd_write_take_stream(invocation, data) == NULL)
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	rb_raw_cd_format_authorize(
		RB_RAW_CD_FORMAT(iface), invocation, NULL, rb_raw_cd_write_authorized);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
rb_raw_cd_write_handle_write_media2(RbDiscFormat2RawCD *iface,
				    GDBusMethodInvocation *invocation,
				    GUnixFDList *fd_list,
				    GVariant *data,
				    gint32 lead_in_sectors)
{
	RbWriteArgs *args = rb_raw_cd_write_take_stream(invocation, data);

	if (args == NULL)
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	args->lead_in_sectors = lead_in_sectors;
	rb_raw_cd_format_authorize(
		RB_RAW_CD_FORMAT(iface), invocation, NULL, rb_raw_cd_write_authorized);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* PrepareMedia, the settings, WriteMedia2 and ReleaseMedia in one call */
static gboolean
rb_raw_cd_write_handle_burn(RbDiscFormat2RawCD *iface,
			    GDBusMethodInvocation *invocation,
			    GUnixFDList *fd_list,
			    GVariant *handle,
			    GVariant *options)
{
	g_autoptr(GError) error = NULL;
	RbWriteArgs *args;
	GVariantIter iter;
	const gchar *key;
	GVariant *entry_value;

	args = rb_raw_cd_write_take_stream(invocation, handle);
	if (args == NULL)
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	args->burn = TRUE;
	g_variant_iter_init(&iter, options);
	while (g_variant_iter_next(&iter, "{&sv}", &key, &entry_value)) {
		/* iter_next, not iter_loop: returning early must not leak the value */
		g_autoptr(GVariant) value = entry_value;

		if (!rb_write_args_parse_option(args, key, value, &error)) {
			rb_dbus_util_return_error(invocation, error);
			return G_DBUS_METHOD_INVOCATION_HANDLED;
		}
	}
	if (args->verify && args->test_write) {
		g_dbus_method_invocation_return_error(
			invocation,
			G_DBUS_ERROR,
			G_DBUS_ERROR_INVALID_ARGS,
			"%s",
			_("The options “Verify” and “TestWrite” exclude each other: nothing is "
			  "recorded in a simulation, so there is nothing to verify; drop one."));
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	/* the rest is PrepareMedia's way, continued by rb_raw_cd_write_start() */
	rb_raw_cd_format_authorize(
		RB_RAW_CD_FORMAT(iface), invocation, options, rb_raw_cd_format_prepare_authorized);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

gboolean
rb_raw_cd_parse_stream_lead_in(GVariant *value, gint32 *out, GError **error)
{
	gint64 number = 0;

	/* the stream starts at LBA -|StreamLeadInSectors| (WriteMedia2's rule): any
	 * int32, its sign free */
	if (!rb_dbus_util_parse_integer(
		    "StreamLeadInSectors", value, G_MININT32, G_MAXINT32, &number, error))
		return FALSE;
	*out = (gint32)number;
	return TRUE;
}

gboolean
rb_raw_cd_parse_client_name(GVariant *value, gchar **client_name, GError **error)
{
	if (!rb_dbus_util_check_option_type("ClientName", value, G_VARIANT_TYPE_STRING, error))
		return FALSE;
	if (!rb_client_name_is_valid(g_variant_get_string(value, NULL))) {
		rb_error_set_default(error, RB_ERROR_CLIENT_NAME_IS_NOT_VALID);
		return FALSE;
	}
	g_free(*client_name);
	*client_name = g_variant_dup_string(value, NULL);
	return TRUE;
}

gint32
rb_raw_cd_stream_first_lba(gint32 lead_in_sectors)
{
	/* -|G_MININT32| does not fit: it stays, earlier than any lead-in */
	return lead_in_sectors == G_MININT32 ? G_MININT32 : -ABS(lead_in_sectors);
}

void
rb_raw_cd_write_init(RbRawCdFormat *self)
{
	g_signal_connect(
		self, "handle-write-media", G_CALLBACK(rb_raw_cd_write_handle_write_media), NULL);
	g_signal_connect(
		self, "handle-write-media2", G_CALLBACK(rb_raw_cd_write_handle_write_media2), NULL);
	g_signal_connect(self, "handle-burn", G_CALLBACK(rb_raw_cd_write_handle_burn), NULL);
}
