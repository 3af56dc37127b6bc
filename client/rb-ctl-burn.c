/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "rawburnctl burn" with the service, the way an IMAPI application drives
 * IDiscFormat2RawCD: ClientName, PrepareMedia, the per-client settings,
 * WriteMedia2 with the stream's file descriptor, progress from the Update
 * signals, ReleaseMedia. A raw DAO file goes as it is (rb-ctl-burn-raw.c);
 * an image file (a sheet, WAV files) through a pipe its producer fills
 * (rb-ctl-burn-image.c, which also holds the command's options). Burn with
 * Verify and VerifyMedia take the same path, their options and result
 * from rb-ctl-verify.c. SIGINT
 * and SIGTERM cancel the write through the service instead of killing the
 * client, so the disc is closed off the way the service does it.
 */
#include "config.h"

#include <gio/gunixfdlist.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "rb-ctl-burn-private.h"
#include "rb-ctl-progress.h"
#include "rb-error.h"

#define RB_CTL_BURN_PQ_ONLY RB_CTL_SECTOR_PQ_ONLY
/* a CancelWrite that failed (the write not started yet, a timeout, a lost
 * reply) is asked again, after twice as long each time up to the maximum */
#define RB_CTL_BURN_CANCEL_RETRY_MS 100
#define RB_CTL_BURN_CANCEL_RETRY_MAX_MS 5000
/* the lock holder's CancelWrite needs no polkit and is answered at once; a
 * call left unanswered (a stuck service, a lost reply) must not hold the
 * failed stream open for ever, nor the client */
#define RB_CTL_BURN_CANCEL_TIMEOUT_MS 30000

/* the state of one WriteMedia2 call, shared by the main loop's callbacks */
struct _RbCtlBurn {
	RbCtl *ctl;
	RbDiscFormat2RawCD *format;
	GMainLoop *loop;
	gsize sector_size;
	gboolean size_known;
	/* an image file's: the tracks, and the LBA its stream ends at */
	const RbImageLayout *layout;
	gint32 end_lba;
	gboolean tty;
	gboolean simulated; /* --simulate: TestWrite was set */
	gboolean bar_shown; /* a progress bar waits for its newline */
	gboolean writing;   /* the WriteMedia2 reply is due */
	RbCtlBurnStream *stream;
	gboolean cancelling;      /* CancelWrite was asked: by a signal, or for the producer */
	gboolean cancel_answered; /* one CancelWrite was answered, however */
	gboolean cancel_done;     /* one CancelWrite succeeded */
	gboolean stream_failed;   /* the producer failed: its stream must end */
	guint pending_cancel;     /* CancelWrite replies due */
	guint cancel_retry_id;
	guint cancel_retry_ms;
	GError *error;
	RbCtlVerifyProgress verify; /* the read-back, from its Update signals */
};

static gsize
rb_ctl_burn_sector_size(gint sector_type)
{
	return sector_type == RB_CTL_BURN_PQ_ONLY ? 2368 : 2448;
}

/*
 * The image failed mid-burn: its error says why, the service's what became
 * of the write (RequestCancelled: the cancel came first; another: the
 * stream ended short, or the drive failed meanwhile). Neither hides the
 * other; the service's name shows which it was.
 */
static gboolean
rb_ctl_burn_fail_image(GError **error, GError *error_image, GError *error_service)
{
	g_autoptr(GError) image = error_image;
	g_autoptr(GError) service = error_service;
	g_autofree gchar *name = NULL;
	g_autofree gchar *said = NULL;

	if (service == NULL) {
		g_set_error(error,
			    image->domain,
			    image->code,
			    _("The image failed mid-burn: %s"),
			    image->message);
		return FALSE;
	}
	name = g_dbus_error_get_remote_error(service);
	g_dbus_error_strip_remote_error(service);
	said = name != NULL ? g_strdup_printf("%s: %s", name, service->message)
			    : g_strdup(service->message);
	if (g_error_matches(service, RB_ERROR, RB_ERROR_REQUEST_CANCELLED))
		g_set_error(error,
			    image->domain,
			    image->code,
			    _("The burn was cancelled: %s\nThe service: %s"),
			    image->message,
			    said);
	else
		g_set_error(error,
			    image->domain,
			    image->code,
			    _("The image failed mid-burn: %s\nThe write failed as well: %s"),
			    image->message,
			    said);
	return FALSE;
}

static void
rb_ctl_burn_end_bar(RbCtlBurn *burn)
{
	if (burn->bar_shown) {
		g_print("\n");
		burn->bar_shown = FALSE;
	}
}

static void
rb_ctl_burn_on_update(RbDiscFormat2RawCD *format,
		      guint action,
		      gint elapsed_time,
		      gint remaining_time,
		      gint start_lba,
		      gint sector_count,
		      gint last_read_lba,
		      gint last_written_lba,
		      gint total_system_buffer,
		      gint used_system_buffer,
		      gint free_system_buffer,
		      gpointer user_data)
{
	RbCtlBurn *burn = user_data;
	const RbCtlUpdate update = {action,
				    elapsed_time,
				    remaining_time,
				    start_lba,
				    sector_count,
				    last_read_lba,
				    last_written_lba,
				    total_system_buffer,
				    used_system_buffer,
				    free_system_buffer};
	RbCtlUpdate shown = update;
	g_autofree gchar *text = NULL;

	if (action == 4)
		rb_ctl_verify_progress_update(&burn->verify, start_lba, last_read_lba);

	/*
	 * From a pipe the service learns the stream's size only at its end,
	 * but an image file's size is known here: the percentage counts to
	 * the stream's end from where the service starts (the lead-in).
	 */
	if (burn->layout != NULL && action != 4) {
		gint track = rb_ctl_image_track_at(burn->layout, last_written_lba);

		shown.sector_count = burn->end_lba - start_lba;
		shown.n_tracks = rb_image_layout_get_n_tracks(burn->layout);
		shown.track = track >= 0 ? (guint)track + 1 : 0;
	}
	shown.simulated = burn->simulated;
	if (burn->ctl->json) {
		text = rb_ctl_progress_format_json(&shown, burn->sector_size, burn->size_known);
		g_print("%s\n", text);
	} else if (burn->tty) {
		/* redrawn in place; ESC [ K clears what a longer line left */
		text = rb_ctl_progress_format_bar(&shown, burn->sector_size, burn->size_known);
		g_print("\r%s\033[K", text);
		burn->bar_shown = TRUE;
	} else {
		text = rb_ctl_progress_format_line(&shown, burn->sector_size, burn->size_known);
		g_print("%s\n", text);
	}
	/* a log or a pipe sees each line as it happens */
	fflush(stdout);
}

static void
rb_ctl_burn_maybe_quit(RbCtlBurn *burn)
{
	if (!burn->writing && burn->pending_cancel == 0)
		g_main_loop_quit(burn->loop);
}

static void
rb_ctl_burn_on_written(GObject *source, GAsyncResult *result, gpointer user_data)
{
	RbCtlBurn *burn = user_data;
	g_autoptr(GVariant) reply = NULL;

	reply = g_dbus_proxy_call_with_unix_fd_list_finish(
		G_DBUS_PROXY(source), NULL, result, &burn->error);
	burn->writing = FALSE;
	rb_ctl_burn_maybe_quit(burn);
}

static void rb_ctl_burn_send_cancel(RbCtlBurn *burn);

/*
 * A failed producer's stream ends once the service was asked to cancel:
 * it has then either cancelled (and says RequestCancelled whatever it
 * reads after) or reads a short stream; both end the write, where a pipe
 * held open would keep the service waiting on it for ever.
 */
static void
rb_ctl_burn_end_failed_stream(RbCtlBurn *burn)
{
	if (burn->stream_failed && burn->stream->abandon != NULL)
		burn->stream->abandon(burn->stream->user_data);
}

static gboolean
rb_ctl_burn_on_cancel_retry(gpointer user_data)
{
	RbCtlBurn *burn = user_data;

	burn->cancel_retry_id = 0;
	if (burn->writing && !burn->cancel_done)
		rb_ctl_burn_send_cancel(burn);
	return G_SOURCE_REMOVE;
}

static void
rb_ctl_burn_schedule_cancel(RbCtlBurn *burn)
{
	if (burn->cancel_done || burn->cancel_retry_id != 0 || burn->pending_cancel > 0)
		return;
	burn->cancel_retry_id =
		g_timeout_add(burn->cancel_retry_ms, rb_ctl_burn_on_cancel_retry, burn);
	burn->cancel_retry_ms = MIN(burn->cancel_retry_ms * 2, RB_CTL_BURN_CANCEL_RETRY_MAX_MS);
}

static void
rb_ctl_burn_on_cancelled(GObject *source, GAsyncResult *result, gpointer user_data)
{
	RbCtlBurn *burn = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = g_dbus_proxy_call_finish(G_DBUS_PROXY(source), result, &error);

	burn->pending_cancel--;
	burn->cancel_answered = TRUE;
	if (reply != NULL) {
		burn->cancel_done = TRUE;
		g_clear_handle_id(&burn->cancel_retry_id, g_source_remove);
	} else {
		/*
		 * Whatever failed, ask again while the write goes on: it may not
		 * have started yet (WriteNotInProgress while the service asks
		 * polkit), the call may have timed out or its reply been lost.
		 * A write that ended on its own meanwhile says how in its reply.
		 */
		g_debug("CancelWrite: %s", error->message);
		if (burn->writing)
			rb_ctl_burn_schedule_cancel(burn);
	}
	rb_ctl_burn_end_failed_stream(burn);
	rb_ctl_burn_maybe_quit(burn);
}

static void
rb_ctl_burn_send_cancel(RbCtlBurn *burn)
{
	burn->pending_cancel++;
	g_dbus_proxy_call(G_DBUS_PROXY(burn->format),
			  "CancelWrite",
			  NULL,
			  RB_CTL_CALL_FLAGS,
			  RB_CTL_BURN_CANCEL_TIMEOUT_MS,
			  NULL,
			  rb_ctl_burn_on_cancelled,
			  burn);
}

static void
rb_ctl_burn_cancel(RbCtlBurn *burn)
{
	if (!burn->writing || burn->cancelling)
		return;
	burn->cancelling = TRUE;
	rb_ctl_burn_send_cancel(burn);
}

void
rb_ctl_burn_abort(RbCtlBurn *burn)
{
	burn->stream_failed = TRUE;
	/* the write is over, or a cancel (a signal's) was answered already */
	if (!burn->writing || burn->cancel_answered)
		rb_ctl_burn_end_failed_stream(burn);
	rb_ctl_burn_cancel(burn);
}

/* SIGINT, SIGTERM: ask the service to stop, then wait for WriteMedia2's reply */
static gboolean
rb_ctl_burn_on_signal(gpointer user_data)
{
	RbCtlBurn *burn = user_data;

	if (!burn->writing)
		return G_SOURCE_CONTINUE;
	rb_ctl_burn_end_bar(burn);
	if (!burn->cancelling) {
		g_printerr(_("rawburnctl: cancelling the burn…\n"));
		rb_ctl_burn_cancel(burn);
		return G_SOURCE_CONTINUE;
	}
	/* the user insists: the first CancelWrite may be failing, or unanswered */
	g_printerr(_("rawburnctl: asking the service again to cancel the burn…\n"));
	g_clear_handle_id(&burn->cancel_retry_id, g_source_remove);
	rb_ctl_burn_send_cancel(burn);
	rb_ctl_burn_end_failed_stream(burn);
	return G_SOURCE_CONTINUE;
}

/*
 * WriteMedia2 replies only when the burn has ended, minutes later: it runs
 * asynchronously with no timeout while the main loop delivers the Update
 * signals and the cancelling signal handlers.
 */

static gboolean
rb_ctl_burn_write(RbCtl *ctl,
		  RbDiscFormat2RawCD *format,
		  RbCtlBurnStream *stream,
		  const RbCtlBurnOptions *options,
		  GError **error)
{
	g_autoptr(GMainLoop) loop = g_main_loop_new(NULL, FALSE);
	RbCtlBurn burn = {
		.ctl = ctl,
		.format = format,
		.loop = loop,
		.sector_size = rb_ctl_burn_sector_size(options->sector_type),
		.size_known = stream->size_known,
		.layout = stream->layout,
		.end_lba = stream->layout != NULL ? rb_image_layout_get_end_lba(stream->layout) : 0,
		.tty = isatty(STDOUT_FILENO) == 1,
		.simulated = options->simulate,
		.writing = TRUE,
		.stream = stream,
		.cancel_retry_ms = RB_CTL_BURN_CANCEL_RETRY_MS,
	};
	g_autoptr(GError) error_producer = NULL;
	gboolean produced = TRUE;
	gulong update_id;
	guint sigint_id;
	guint sigterm_id;

	/* the service's error names map to RB_ERROR once its domain is registered */
	rb_error_quark();
	update_id = g_signal_connect(format, "update", G_CALLBACK(rb_ctl_burn_on_update), &burn);
	sigint_id = g_unix_signal_add(SIGINT, rb_ctl_burn_on_signal, &burn);
	sigterm_id = g_unix_signal_add(SIGTERM, rb_ctl_burn_on_signal, &burn);
	if (options->simulate && !ctl->json) {
		g_print(_("Simulating the burn: the recorder goes through every step with the "
			  "laser off; nothing will be recorded.\n"));
		fflush(stdout);
	}
	g_dbus_proxy_call_with_unix_fd_list(G_DBUS_PROXY(format),
					    options->verify_only ? "VerifyMedia"
					    : options->verify    ? "Burn"
								 : "WriteMedia2",
					    options->verify || options->verify_only
						    ? rb_ctl_verify_params(options)
						    : g_variant_new("(hi)", 0, options->lead_in),
					    RB_CTL_CALL_FLAGS,
					    G_MAXINT,
					    stream->fds,
					    NULL,
					    rb_ctl_burn_on_written,
					    &burn);
	/* the message holds the descriptor until it is sent: a pipe's read end
	 * left open here would keep its writer from seeing the service stop */
	g_clear_object(&stream->fds);
	if (stream->start != NULL)
		stream->start(&burn, stream->user_data);
	g_main_loop_run(loop);
	g_source_remove(sigint_id);
	g_source_remove(sigterm_id);
	if (burn.cancel_retry_id != 0)
		g_source_remove(burn.cancel_retry_id);
	g_signal_handler_disconnect(format, update_id);
	rb_ctl_burn_end_bar(&burn);
	if (stream->finish != NULL)
		produced = stream->finish(stream->user_data, &error_producer);
	if (!produced)
		return rb_ctl_burn_fail_image(
			error, g_steal_pointer(&error_producer), g_steal_pointer(&burn.error));
	if (burn.error != NULL)
		return rb_ctl_fail_remote(error, burn.error);
	if (options->verify || options->verify_only)
		rb_ctl_verify_print(ctl, &burn.verify, options);
	else if (!ctl->json && options->simulate)
		g_print(_("Simulation complete: nothing was recorded, the disc is still "
			  "blank.\n"));
	else if (!ctl->json)
		g_print(_("Burn complete.\n"));
	return TRUE;
}

/* everything between PrepareMedia and ReleaseMedia */
static gboolean
rb_ctl_burn_prepared(RbCtl *ctl,
		     RbDiscFormat2RawCD *format,
		     RbCtlBurnStream *stream,
		     const RbCtlBurnOptions *options,
		     GError **error)
{
	g_autoptr(GVariant) reply = NULL;
	GError *error_local = NULL;

	if (!rb_ctl_set_property(G_DBUS_PROXY(format),
				 "RequestedSectorType",
				 g_variant_new_uint32((guint32)options->sector_type),
				 error))
		return FALSE;
	if (!rb_ctl_set_property(G_DBUS_PROXY(format),
				 "BufferUnderrunFreeDisabled",
				 g_variant_new_boolean(options->no_burnfree),
				 error))
		return FALSE;
	/* a recorder that cannot simulate says so when the write starts
	 * (TestWriteNotSupported), before anything reaches the disc */
	if (options->simulate &&
	    !rb_ctl_set_property(
		    G_DBUS_PROXY(format), "TestWrite", g_variant_new_boolean(TRUE), error))
		return FALSE;
	reply = g_dbus_proxy_call_sync(G_DBUS_PROXY(format),
				       "SetWriteSpeed",
				       g_variant_new("(ib)", options->speed, FALSE),
				       RB_CTL_CALL_FLAGS,
				       RB_CTL_AUTHORIZED_CALL_TIMEOUT_MS,
				       NULL,
				       &error_local);
	if (reply == NULL)
		return rb_ctl_fail_remote(error, error_local);
	return rb_ctl_burn_write(ctl, format, stream, options, error);
}

int
rb_ctl_burn_session(RbCtl *ctl,
		    RbDiscFormat2RawCD *format,
		    RbCtlBurnStream *stream,
		    const RbCtlBurnOptions *options,
		    GError **error)
{
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GError) error_release = NULL;
	GError *error_local = NULL;
	gboolean ok;

	/* Burn with Verify prepares and releases by itself, and VerifyMedia
	 * takes the lock for its own duration */
	if (options->verify || options->verify_only)
		return rb_ctl_burn_write(ctl, format, stream, options, error) ? EXIT_SUCCESS
									      : EXIT_FAILURE;
	/* ClientName is fixed once prepared: it goes first */
	if (!rb_ctl_set_property(G_DBUS_PROXY(format),
				 "ClientName",
				 g_variant_new_string(options->client_name),
				 error))
		return EXIT_FAILURE;
	reply = g_dbus_proxy_call_sync(G_DBUS_PROXY(format),
				       "PrepareMedia",
				       NULL,
				       RB_CTL_CALL_FLAGS,
				       RB_CTL_AUTHORIZED_CALL_TIMEOUT_MS,
				       NULL,
				       &error_local);
	if (reply == NULL) {
		rb_ctl_fail_remote(error, error_local);
		return EXIT_FAILURE;
	}
	g_clear_pointer(&reply, g_variant_unref);

	ok = rb_ctl_burn_prepared(ctl, format, stream, options, error);

	/* the lock, and the logind inhibitor with it, go whatever happened */
	reply = g_dbus_proxy_call_sync(G_DBUS_PROXY(format),
				       "ReleaseMedia",
				       NULL,
				       RB_CTL_CALL_FLAGS,
				       -1,
				       NULL,
				       &error_release);
	if (reply == NULL) {
		g_dbus_error_strip_remote_error(error_release);
		if (ok) {
			g_propagate_error(error, g_steal_pointer(&error_release));
			return EXIT_FAILURE;
		}
		g_printerr("rawburnctl: %s\n", error_release->message);
	}
	return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
