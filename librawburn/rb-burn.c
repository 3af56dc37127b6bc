/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * RbBurn wraps DiscFormat2RawCD.Burn: one call that prepares, writes and
 * releases the medium. The call replies when the burn has ended, so it
 * has no timeout; the Update signal becomes the "progress" signal, and a
 * GCancellable becomes CancelWrite, because only the service can stop a
 * drive cleanly: the call is never abandoned, and the burn's end is only
 * reported once the recorder is released.
 */
#include "config.h"

#include <unistd.h>
#include <gio/gfiledescriptorbased.h>
#include <gio/gunixfdlist.h>
#include <glib/gi18n-lib.h>

#include "rb-burn.h"
#include "rb-client-private.h"
#include "rb-error.h"

struct _RbBurn {
	GObject parent_instance;
	RbObject *recorder;
	RbDiscFormat2RawCD *format;
	/* the burn in progress: one at a time */
	GTask *task;
};

typedef struct {
	GVariant *options;
	gulong update_id;
	gulong cancelled_id;
	/* a CancelWrite call is on its way */
	gboolean cancel_pending;
	/* CancelWrite was accepted: no more are sent */
	gboolean cancel_done;
} RbBurnData;

enum { PROP_0, PROP_RECORDER, N_PROPS };
enum { SIGNAL_PROGRESS, N_SIGNALS };

static GParamSpec *rb_burn_props[N_PROPS];
static guint rb_burn_signals[N_SIGNALS];

G_DEFINE_TYPE(RbBurn, rb_burn, G_TYPE_OBJECT)

static void
rb_burn_data_free(RbBurnData *data)
{
	g_clear_pointer(&data->options, g_variant_unref);
	g_free(data);
}

static void
rb_burn_dispose(GObject *object)
{
	RbBurn *self = RB_BURN(object);

	g_clear_object(&self->format);
	g_clear_object(&self->recorder);
	G_OBJECT_CLASS(rb_burn_parent_class)->dispose(object);
}

static void
rb_burn_get_property(GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
	RbBurn *self = RB_BURN(object);

	switch (prop_id) {
	case PROP_RECORDER:
		g_value_set_object(value, self->recorder);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

static void
rb_burn_set_property(GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
	RbBurn *self = RB_BURN(object);

	switch (prop_id) {
	case PROP_RECORDER:
		self->recorder = g_value_dup_object(value);
		self->format = rb_object_get_disc_format2_raw_cd(self->recorder);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

static void
rb_burn_class_init(RbBurnClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->dispose = rb_burn_dispose;
	object_class->get_property = rb_burn_get_property;
	object_class->set_property = rb_burn_set_property;

	/**
	 * RbBurn:recorder:
	 *
	 * The recorder object burned on.
	 */
	rb_burn_props[PROP_RECORDER] = g_param_spec_object(
		"recorder",
		NULL,
		NULL,
		RB_TYPE_OBJECT,
		G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
	g_object_class_install_properties(object_class, N_PROPS, rb_burn_props);

	/**
	 * RbBurn::progress:
	 * @burn: the #RbBurn
	 * @action: what the recorder does: 1 preparing, 2 writing, 3
	 *   finishing, 4 verifying (the Update signal's currentAction)
	 * @fraction: how much of it is done, 0.0 to 1.0, or -1.0 while the
	 *   size is unknown
	 * @elapsed_seconds: seconds since the burn started
	 * @remaining_seconds: estimated seconds left
	 *
	 * Emitted for each Update of the recorder while a burn runs: at each
	 * action change and every half second while writing. From a pipe the
	 * service learns the size only when it has read it all, so @fraction
	 * is then relative to what was read so far.
	 */
	rb_burn_signals[SIGNAL_PROGRESS] = g_signal_new("progress",
							G_TYPE_FROM_CLASS(klass),
							G_SIGNAL_RUN_LAST,
							0,
							NULL,
							NULL,
							NULL,
							G_TYPE_NONE,
							4,
							G_TYPE_UINT,
							G_TYPE_DOUBLE,
							G_TYPE_INT,
							G_TYPE_INT);

	(void)rb_error_quark();
}

static void
rb_burn_init(RbBurn *self)
{
}

/**
 * rb_burn_new:
 * @recorder: a recorder object, e.g. from rb_client_lookup_recorder()
 *
 * Returns: (transfer full): a burner for @recorder
 */
RbBurn *
rb_burn_new(RbObject *recorder)
{
	g_return_val_if_fail(RB_IS_OBJECT(recorder), NULL);
	return g_object_new(RB_TYPE_BURN, "recorder", recorder, NULL);
}

/**
 * rb_burn_get_recorder:
 * @burn: an #RbBurn
 *
 * Returns: (transfer none): the recorder object
 */
RbObject *
rb_burn_get_recorder(RbBurn *burn)
{
	g_return_val_if_fail(RB_IS_BURN(burn), NULL);
	return burn->recorder;
}

/* how soon a CancelWrite refused before the write began is sent again */
#define RB_BURN_CANCEL_RETRY_MS 250

static void rb_burn_send_cancel(RbBurn *self);
static gboolean rb_burn_cancelled_idle(gpointer user_data);

static void
rb_burn_cancel_write_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(RbBurn) self = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GSource) retry = NULL;
	RbBurnData *data = NULL;

	if (self->task == NULL)
		return;
	data = g_task_get_task_data(self->task);
	data->cancel_pending = FALSE;
	if (rb_disc_format2_raw_cd_call_cancel_write_finish(
		    RB_DISC_FORMAT2_RAW_CD(source), res, &error)) {
		data->cancel_done = TRUE;
		return;
	}
	/* WriteNotInProgress while polkit asks or the medium is being
	 * prepared, before any Update: tried again shortly, until the burn's
	 * reply comes */
	g_debug("CancelWrite: %s", error->message);
	retry = g_timeout_source_new(RB_BURN_CANCEL_RETRY_MS);
	g_source_set_callback(retry, rb_burn_cancelled_idle, g_object_ref(self), g_object_unref);
	g_source_attach(retry, g_task_get_context(self->task));
}

static void
rb_burn_send_cancel(RbBurn *self)
{
	RbBurnData *data = g_task_get_task_data(self->task);

	if (data->cancel_pending || data->cancel_done)
		return;
	data->cancel_pending = TRUE;
	rb_disc_format2_raw_cd_call_cancel_write(self->format,
						 G_DBUS_CALL_FLAGS_NONE,
						 -1,
						 NULL,
						 rb_burn_cancel_write_cb,
						 g_object_ref(self));
}

static gboolean
rb_burn_cancelled_idle(gpointer user_data)
{
	RbBurn *self = user_data;

	/* the burn the cancellable belonged to may have ended meanwhile */
	if (self->task != NULL && g_cancellable_is_cancelled(g_task_get_cancellable(self->task)))
		rb_burn_send_cancel(self);
	return G_SOURCE_REMOVE;
}

static void
rb_burn_update_cb(RbDiscFormat2RawCD *format,
		  guint action,
		  gint elapsed,
		  gint remaining,
		  gint start_lba,
		  gint sector_count,
		  gint last_read_lba,
		  gint last_written_lba,
		  gint total_buffer,
		  gint used_buffer,
		  gint free_buffer,
		  RbBurn *self)
{
	gint64 done =
		(action == 4 ? (gint64)last_read_lba : (gint64)last_written_lba) - start_lba + 1;
	gdouble fraction = -1.0;

	if (sector_count > 0)
		fraction = CLAMP((gdouble)done / sector_count, 0.0, 1.0);
	if (self->task != NULL && g_cancellable_is_cancelled(g_task_get_cancellable(self->task)))
		rb_burn_send_cancel(self);
	g_signal_emit(
		self, rb_burn_signals[SIGNAL_PROGRESS], 0, action, fraction, elapsed, remaining);
}

static void
rb_burn_return(RbBurn *self, GError *error)
{
	g_autoptr(GTask) task = g_steal_pointer(&self->task);
	RbBurnData *data = g_task_get_task_data(task);
	GCancellable *cancellable = g_task_get_cancellable(task);

	g_clear_signal_handler(&data->update_id, self->format);
	if (cancellable != NULL && data->cancelled_id != 0)
		g_cancellable_disconnect(cancellable, data->cancelled_id);
	data->cancelled_id = 0;
	if (error == NULL) {
		g_task_return_boolean(task, TRUE);
		return;
	}
	/* the caller cancelled and the service stopped: GIO's convention, so
	 * that applications treat it as no failure */
	if (g_error_matches(error, RB_ERROR, RB_ERROR_REQUEST_CANCELLED) &&
	    g_cancellable_is_cancelled(cancellable)) {
		g_task_return_new_error(task,
					G_IO_ERROR,
					G_IO_ERROR_CANCELLED,
					_("The burn was cancelled; the recorder is released."));
		g_error_free(error);
		return;
	}
	g_task_return_error(task, error);
}

static void
rb_burn_call_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(RbBurn) self = user_data;
	GError *error = NULL;

	if (!rb_disc_format2_raw_cd_call_burn_finish(
		    RB_DISC_FORMAT2_RAW_CD(source), NULL, res, &error)) {
		g_dbus_error_strip_remote_error(error);
		rb_burn_return(self, error);
		return;
	}
	rb_burn_return(self, NULL);
}

/* burns the stream at index 0 of @fd_list */
static void
rb_burn_start(RbBurn *self, GUnixFDList *fd_list)
{
	RbBurnData *data = g_task_get_task_data(self->task);
	GCancellable *cancellable = g_task_get_cancellable(self->task);

	if (g_task_return_error_if_cancelled(self->task)) {
		g_clear_object(&self->task);
		return;
	}
	data->update_id =
		g_signal_connect(self->format, "update", G_CALLBACK(rb_burn_update_cb), self);
	if (cancellable != NULL)
		data->cancelled_id = g_cancellable_connect(
			cancellable,
			G_CALLBACK(rb_cancel_hook_cancelled),
			rb_cancel_hook_new(
				self, g_task_get_context(self->task), rb_burn_cancelled_idle),
			(GDestroyNotify)rb_cancel_hook_free);
	/* no cancellable and no timeout: the reply comes when the burn is
	 * over, which takes minutes, and polkit may ask the user first */
	rb_disc_format2_raw_cd_call_burn(self->format,
					 g_variant_new_handle(0),
					 data->options,
					 G_DBUS_CALL_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION,
					 G_MAXINT,
					 fd_list,
					 NULL,
					 rb_burn_call_cb,
					 g_object_ref(self));
}

/* the task of a new burn, or NULL when @self is burning already */
static gboolean
rb_burn_begin(RbBurn *self,
	      GVariant *options,
	      GCancellable *cancellable,
	      GAsyncReadyCallback callback,
	      gpointer user_data,
	      gpointer source_tag)
{
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);
	RbBurnData *data = g_new0(RbBurnData, 1);

	/* the service's reply decides: a burn that ended before CancelWrite
	 * reached it succeeded, whatever the cancellable says now */
	g_task_set_check_cancellable(task, FALSE);
	g_task_set_source_tag(task, source_tag);
	g_task_set_task_data(task, data, (GDestroyNotify)rb_burn_data_free);
	if (options != NULL)
		data->options = g_variant_ref_sink(options);
	else
		data->options = g_variant_ref_sink(g_variant_new("a{sv}", NULL));
	if (self->format == NULL) {
		g_task_return_new_error(
			task,
			G_IO_ERROR,
			G_IO_ERROR_NOT_SUPPORTED,
			_("%s is not a recorder that writes raw CDs."),
			g_dbus_object_get_object_path(G_DBUS_OBJECT(self->recorder)));
		return FALSE;
	}
	if (self->task != NULL) {
		g_task_return_new_error(task,
					G_IO_ERROR,
					G_IO_ERROR_PENDING,
					_("This RbBurn is burning already; wait for its burn to "
					  "end or use another one."));
		return FALSE;
	}
	if (!g_variant_is_of_type(data->options, G_VARIANT_TYPE_VARDICT)) {
		g_task_return_new_error(task,
					G_IO_ERROR,
					G_IO_ERROR_INVALID_ARGUMENT,
					_("The burn options must be an a{sv}, not %s."),
					g_variant_get_type_string(data->options));
		return FALSE;
	}
	self->task = g_steal_pointer(&task);
	return TRUE;
}

static void
rb_burn_start_fd(RbBurn *self, gint fd)
{
	g_autoptr(GUnixFDList) fd_list = g_unix_fd_list_new();
	GError *error = NULL;

	if (g_unix_fd_list_append(fd_list, fd, &error) < 0) {
		rb_burn_return(self, error);
		return;
	}
	rb_burn_start(self, fd_list);
}

/**
 * rb_burn_burn_fd:
 * @burn: an #RbBurn
 * @fd: a readable file descriptor with the raw stream (a file or a pipe);
 *   it is duplicated, the caller keeps it
 * @options: (nullable): Burn's options as an a{sv} (ClientName,
 *   SectorType, StreamLeadInSectors, WriteSpeed, TestWrite, Verify, …, see
 *   the D-Bus API); %NULL for none. A floating reference is taken.
 * @cancellable: (nullable): a #GCancellable: cancelling stops the burn
 *   with CancelWrite
 * @callback: (scope async): called when the burn has ended
 * @user_data: (closure): data for @callback
 *
 * Burns the raw stream read from @fd onto the recorder; finish with
 * rb_burn_finish(). Progress comes as #RbBurn::progress signals.
 */
void
rb_burn_burn_fd(RbBurn *burn,
		gint fd,
		GVariant *options,
		GCancellable *cancellable,
		GAsyncReadyCallback callback,
		gpointer user_data)
{
	g_return_if_fail(RB_IS_BURN(burn));
	if (!rb_burn_begin(burn, options, cancellable, callback, user_data, rb_burn_burn_fd))
		return;
	rb_burn_start_fd(burn, fd);
}

static void
rb_burn_file_read_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(RbBurn) self = user_data;
	g_autoptr(GFileInputStream) stream = NULL;
	GError *error = NULL;

	stream = g_file_read_finish(G_FILE(source), res, &error);
	if (stream == NULL) {
		rb_burn_return(self, error);
		return;
	}
	if (!G_IS_FILE_DESCRIPTOR_BASED(stream)) {
		g_autofree gchar *uri = g_file_get_uri(G_FILE(source));

		rb_burn_return(self,
			       g_error_new(G_IO_ERROR,
					   G_IO_ERROR_NOT_SUPPORTED,
					   _("%s is not a local file; copy it to a local disk "
					     "or pass a file descriptor."),
					   uri));
		return;
	}
	/* the list holds its own duplicate: the stream may close */
	rb_burn_start_fd(self, g_file_descriptor_based_get_fd(G_FILE_DESCRIPTOR_BASED(stream)));
}

/**
 * rb_burn_burn_file:
 * @burn: an #RbBurn
 * @file: a local file with the raw stream, opened read-only
 * @options: (nullable): Burn's options as an a{sv}, see rb_burn_burn_fd()
 * @cancellable: (nullable): a #GCancellable: cancelling stops the burn
 * @callback: (scope async): called when the burn has ended
 * @user_data: (closure): data for @callback
 *
 * Burns the raw stream in @file; finish with rb_burn_finish().
 */
void
rb_burn_burn_file(RbBurn *burn,
		  GFile *file,
		  GVariant *options,
		  GCancellable *cancellable,
		  GAsyncReadyCallback callback,
		  gpointer user_data)
{
	g_return_if_fail(RB_IS_BURN(burn));
	g_return_if_fail(G_IS_FILE(file));
	if (!rb_burn_begin(burn, options, cancellable, callback, user_data, rb_burn_burn_file))
		return;
	g_file_read_async(
		file, G_PRIORITY_DEFAULT, cancellable, rb_burn_file_read_cb, g_object_ref(burn));
}

static void
rb_burn_image_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(RbBurn) self = user_data;
	g_autoptr(GVariant) handle = NULL;
	g_autoptr(GUnixFDList) fd_list = NULL;
	GError *error = NULL;
	gint64 size = 0;
	gint fd = -1;

	if (!rb_raw_cdimage_creator_call_create_result_image_finish(
		    RB_RAW_CDIMAGE_CREATOR(source), &handle, &size, &fd_list, res, &error)) {
		g_dbus_error_strip_remote_error(error);
		rb_burn_return(self, error);
		return;
	}
	fd = g_unix_fd_list_get(fd_list, g_variant_get_handle(handle), &error);
	if (fd < 0) {
		rb_burn_return(self, error);
		return;
	}
	rb_burn_start_fd(self, fd);
	close(fd);
}

/**
 * rb_burn_burn_image_creator:
 * @burn: an #RbBurn
 * @creator: an image creator proxy on the same bus, with its tracks added
 * @options: (nullable): Burn's options as an a{sv}, see rb_burn_burn_fd()
 * @cancellable: (nullable): a #GCancellable: cancelling stops the burn
 * @callback: (scope async): called when the burn has ended
 * @user_data: (closure): data for @callback
 *
 * Calls the creator's CreateResultImage and burns the image it produces
 * while it is read; finish with rb_burn_finish(). The creator is
 * read-only afterwards: Close() it when done.
 */
void
rb_burn_burn_image_creator(RbBurn *burn,
			   RbRawCDImageCreator *creator,
			   GVariant *options,
			   GCancellable *cancellable,
			   GAsyncReadyCallback callback,
			   gpointer user_data)
{
	g_return_if_fail(RB_IS_BURN(burn));
	g_return_if_fail(RB_IS_RAW_CDIMAGE_CREATOR(creator));
	if (!rb_burn_begin(
		    burn, options, cancellable, callback, user_data, rb_burn_burn_image_creator))
		return;
	rb_raw_cdimage_creator_call_create_result_image(
		creator,
		G_DBUS_CALL_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION,
		-1,
		NULL,
		cancellable,
		rb_burn_image_cb,
		g_object_ref(burn));
}

/**
 * rb_burn_finish:
 * @burn: an #RbBurn
 * @res: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Ends any of the burns. When it was cancelled through its #GCancellable
 * the error is %G_IO_ERROR_CANCELLED, reported once the service has
 * stopped the drive and released the recorder; a burn that ended before
 * CancelWrite reached it returns %TRUE.
 *
 * Returns: %TRUE when the disc was burned; else %FALSE with @error set,
 *   rawburn's errors as %RB_ERROR codes
 */
gboolean
rb_burn_finish(RbBurn *burn, GAsyncResult *res, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(res, burn), FALSE);
	return g_task_propagate_boolean(G_TASK(res), error);
}
