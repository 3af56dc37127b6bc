/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "rawburnctl burn": its options, and the choice between a raw DAO stream
 * (sent as it is, rb-ctl-burn.c) and an image file. For an image file (a
 * sheet, WAV files) everything that can be refused is refused before the
 * recorder is touched (the sector type the recorder writes against the
 * CD-TEXT, the files, the rules, the medium's length), then the service
 * reads the raw DAO stream from a pipe that a worker thread fills from the
 * image in constant memory. When the image fails mid-burn (a file
 * vanished, a read error) the write is cancelled through the service
 * rather than ended early: a stream that merely stopped would be burned
 * short and closed as if complete. The pipe is closed once the cancel was
 * answered, so that the service can never wait on it for ever.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <inttypes.h>
#include <stdlib.h>
#include <unistd.h>

#include "rb-ctl-burn-private.h"
#include "rb-ctl-burn.h"

/* sectors per write into the pipe: 78 KB at 2448 bytes */
#define RB_CTL_PRODUCER_CHUNK_SECTORS 32

typedef struct {
	RbDiscImageStream *stream;
	gint write_fd;
	GCancellable *stop;   /* main thread → worker: stop producing */
	GCancellable *failed; /* worker → main thread: the image failed */
	GSource *failed_source;
	GThread *thread;
	GError *error; /* the worker's, read after the join */
	RbCtlBurn *burn;
} RbCtlProducer;

/* FALSE when told to stop, or when the service closed its end (its reply
 * says why: that is no failure of the image) */
static gboolean
rb_ctl_producer_write(RbCtlProducer *producer, const guint8 *data, gsize len)
{
	GPollFD fds[2] = {{producer->write_fd, G_IO_OUT, 0}, {-1, 0, 0}};
	gboolean ok = TRUE;

	g_cancellable_make_pollfd(producer->stop, &fds[1]);
	while (len > 0 && ok) {
		gssize n = write(producer->write_fd, data, len);

		if (n > 0) {
			data += n;
			len -= (gsize)n;
		} else if (n < 0 && errno == EAGAIN) {
			g_poll(fds, G_N_ELEMENTS(fds), -1);
			ok = !g_cancellable_is_cancelled(producer->stop);
		} else if (n < 0 && errno != EINTR) {
			g_debug("the service stopped reading: %s", g_strerror(errno));
			ok = FALSE;
		}
	}
	g_cancellable_release_fd(producer->stop);
	return ok;
}

static gpointer
rb_ctl_producer_run(gpointer user_data)
{
	RbCtlProducer *producer = user_data;
	gsize sector_size = rb_disc_image_stream_get_sector_size(producer->stream);
	guint32 n_sectors = rb_disc_image_stream_get_n_sectors(producer->stream);
	g_autofree guint8 *buf = g_malloc(sector_size * RB_CTL_PRODUCER_CHUNK_SECTORS);
	guint64 total = 0;

	while (!g_cancellable_is_cancelled(producer->stop)) {
		guint n = 0;

		if (!rb_disc_image_stream_read(producer->stream,
					       buf,
					       RB_CTL_PRODUCER_CHUNK_SECTORS,
					       &n,
					       &producer->error))
			break;
		if (n == 0 && total != n_sectors) {
			g_set_error(&producer->error,
				    RB_DISC_IMAGE_ERROR,
				    RB_DISC_IMAGE_ERROR_FILE_TOO_SHORT,
				    _("the image gave %" PRIu64
				      " sectors of %u; a file changed while it was read"),
				    total,
				    n_sectors);
			break;
		}
		if (n == 0) {
			/* the end of the stream, which the service sees as EOF */
			close(producer->write_fd);
			producer->write_fd = -1;
			return NULL;
		}
		if (!rb_ctl_producer_write(producer, buf, n * sector_size))
			return NULL;
		total += n;
	}
	/* the pipe stays open until the service was asked to cancel: one that
	 * merely ended would be burned short (rb_ctl_burn_abort()) */
	if (producer->error != NULL)
		g_cancellable_cancel(producer->failed);
	return NULL;
}

static gboolean
rb_ctl_producer_on_failed(GCancellable *cancellable, gpointer user_data)
{
	RbCtlProducer *producer = user_data;

	rb_ctl_burn_abort(producer->burn);
	return G_SOURCE_REMOVE;
}

/* the worker failed and has returned: its end of the pipe can go */
static void
rb_ctl_producer_abandon(gpointer user_data)
{
	RbCtlProducer *producer = user_data;

	if (producer->thread != NULL)
		g_thread_join(g_steal_pointer(&producer->thread));
	if (producer->write_fd >= 0)
		close(producer->write_fd);
	producer->write_fd = -1;
}

static void
rb_ctl_producer_start(RbCtlBurn *burn, gpointer user_data)
{
	RbCtlProducer *producer = user_data;

	producer->burn = burn;
	producer->failed_source = g_cancellable_source_new(producer->failed);
	g_source_set_callback(
		producer->failed_source, G_SOURCE_FUNC(rb_ctl_producer_on_failed), producer, NULL);
	g_source_attach(producer->failed_source, NULL);
	producer->thread = g_thread_new("rawburnctl-image", rb_ctl_producer_run, producer);
}

static gboolean
rb_ctl_producer_finish(gpointer user_data, GError **error)
{
	RbCtlProducer *producer = user_data;

	g_cancellable_cancel(producer->stop);
	if (producer->thread != NULL)
		g_thread_join(g_steal_pointer(&producer->thread));
	if (producer->failed_source != NULL) {
		g_source_destroy(producer->failed_source);
		g_clear_pointer(&producer->failed_source, g_source_unref);
	}
	if (producer->write_fd >= 0)
		close(producer->write_fd);
	producer->write_fd = -1;
	if (producer->error != NULL) {
		g_propagate_error(error, g_steal_pointer(&producer->error));
		return FALSE;
	}
	return TRUE;
}

static void
rb_ctl_producer_clear(RbCtlProducer *producer)
{
	if (producer->thread != NULL || producer->write_fd >= 0)
		rb_ctl_producer_finish(producer, NULL);
	g_clear_pointer(&producer->stream, rb_disc_image_stream_free);
	g_clear_object(&producer->stop);
	g_clear_object(&producer->failed);
	g_clear_error(&producer->error);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(RbCtlProducer, rb_ctl_producer_clear)

static void
rb_ctl_burn_options_clear(RbCtlBurnOptions *options)
{
	g_clear_pointer(&options->client_name, g_free);
	rb_ctl_cdtext_options_clear(&options->cdtext);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(RbCtlBurnOptions, rb_ctl_burn_options_clear)

/* the pipe's read end in a list for WriteMedia2; the write end non-blocking
 * for the worker, so that it can be told to stop while the pipe is full */
static GUnixFDList *
rb_ctl_burn_image_pipe(RbCtlProducer *producer, GError **error)
{
	g_autoptr(GUnixFDList) fds = g_unix_fd_list_new();
	gint ends[2];
	gint index;

	if (!g_unix_open_pipe(ends, FD_CLOEXEC, error))
		return NULL;
	index = g_unix_fd_list_append(fds, ends[0], error);
	close(ends[0]);
	producer->write_fd = ends[1];
	if (index < 0 || !g_unix_set_fd_nonblocking(ends[1], TRUE, error))
		return NULL;
	return g_steal_pointer(&fds);
}

/* IS_RAW when the recorder writes it (the only type that keeps CD-TEXT and
 * R-W), else IS_COOKED, else PQ_ONLY */
static guint
rb_ctl_burn_image_pick_type(RbDiscFormat2RawCD *format)
{
	GVariant *supported = rb_disc_format2_raw_cd_get_supported_sector_types(format);
	gboolean have[RB_CTL_SECTOR_IS_RAW + 1] = {FALSE};
	gsize n = 0;
	const guint32 *types;

	if (supported == NULL)
		return RB_CTL_SECTOR_IS_RAW;
	types = g_variant_get_fixed_array(supported, &n, sizeof(guint32));
	for (gsize i = 0; i < n; i++) {
		if (types[i] <= RB_CTL_SECTOR_IS_RAW)
			have[types[i]] = TRUE;
	}
	if (have[RB_CTL_SECTOR_IS_RAW] || n == 0)
		return RB_CTL_SECTOR_IS_RAW;
	return have[RB_CTL_SECTOR_IS_COOKED] ? RB_CTL_SECTOR_IS_COOKED : RB_CTL_SECTOR_PQ_ONLY;
}

/* before PrepareMedia: the sector type, the CD-TEXT it allows, the image's
 * files and rules, and the medium's length */
static gboolean
rb_ctl_burn_image_check(RbDiscImage *image,
			RbDiscFormat2RawCD *format,
			RbCtlBurnOptions *options,
			GError **error)
{
	gboolean chosen = options->sector_type == 0;
	gint32 last_leadout = rb_disc_format2_raw_cd_get_last_possible_start_of_leadout(format);

	if (chosen)
		options->sector_type = (gint)rb_ctl_burn_image_pick_type(format);
	if (!rb_ctl_image_set_sector_type(image, (guint)options->sector_type, error)) {
		if (chosen)
			g_prefix_error(error,
				       _("The recorder does not write raw P-W (sector type 3). "));
		return FALSE;
	}
	/* no medium: nothing to measure against; PrepareMedia will say so */
	return rb_disc_image_check(image, MAX(last_leadout, 0), error);
}

int
rb_ctl_burn_image(RbCtl *ctl,
		  const gchar *recorder,
		  RbDiscImage *image,
		  RbCtlBurnOptions *options,
		  GError **error)
{
	g_auto(RbCtlProducer) producer = {.write_fd = -1};
	g_autoptr(GDBusObject) object = NULL;
	g_autoptr(RbDiscFormat2RawCD) format = NULL;
	RbCtlBurnStream stream = {0};
	int status;

	if (!rb_ctl_image_apply_cdtext(image, &options->cdtext, error))
		return rb_ctl_image_exit_status(*error);
	object = rb_ctl_connect_recorder(ctl, recorder, error);
	if (object == NULL)
		return EXIT_FAILURE;
	format = rb_object_get_disc_format2_raw_cd(RB_OBJECT(object));
	if (!rb_ctl_burn_image_check(image, format, options, error))
		return rb_ctl_image_exit_status(*error);
	rb_ctl_image_print_notes(image);
	producer.stream = rb_disc_image_stream_new(image, error);
	if (producer.stream == NULL)
		return rb_ctl_image_exit_status(*error);
	producer.stop = g_cancellable_new();
	producer.failed = g_cancellable_new();

	stream.fds = rb_ctl_burn_image_pipe(&producer, error);
	if (stream.fds == NULL)
		return EXIT_FAILURE;
	/* the service counts from the lead-in, the progress to the stream's end */
	stream.size_known = TRUE;
	stream.layout = rb_disc_image_get_layout(image);
	stream.start = rb_ctl_producer_start;
	stream.finish = rb_ctl_producer_finish;
	stream.abandon = rb_ctl_producer_abandon;
	stream.user_data = &producer;
	status = rb_ctl_burn_session(ctl, format, &stream, options, error);
	g_clear_object(&stream.fds);
	return status;
}

static gboolean
rb_ctl_burn_check_options(const RbCtlBurnOptions *options, GError **error)
{
	if (!rb_ctl_check_sector_type(options->sector_type, TRUE, error))
		return FALSE;
	if (options->lead_in < 0) {
		g_set_error(error,
			    G_OPTION_ERROR,
			    G_OPTION_ERROR_BAD_VALUE,
			    _("--lead-in counts the sectors before LBA 0 and cannot be "
			      "negative"));
		return FALSE;
	}
	if (options->speed == 0 || options->speed < -1) {
		g_set_error(error,
			    G_OPTION_ERROR,
			    G_OPTION_ERROR_BAD_VALUE,
			    _("--speed is in sectors per second (75 for 1×), or -1 for the "
			      "fastest"));
		return FALSE;
	}
	return rb_ctl_cdtext_options_check(&options->cdtext, error);
}

int
rb_ctl_burn_command(RbCtl *ctl, gint argc, gchar **argv, gboolean verify_only, GError **error)
{
	g_auto(RbCtlBurnOptions) options = {
		.lead_in = RB_CTL_BURN_DEFAULT_LEAD_IN,
		.speed = -1,
		.verify_only = verify_only,
	};
	const GOptionEntry own_entries[] = {
		{"sector-type",
		 0,
		 0,
		 G_OPTION_ARG_INT,
		 &options.sector_type,
		 N_("1 PQ_ONLY (2368-byte sectors), 2 IS_COOKED or 3 IS_RAW (2448); default for "
		    "a raw image 1 when only 2368 divides its size, else 2; for an image file "
		    "the best the recorder writes, 3 first"),
		 "1|2|3"},
		{"lead-in",
		 0,
		 0,
		 G_OPTION_ARG_INT,
		 &options.lead_in,
		 N_("A raw image's first sector is LBA -SECTORS (default 22650, 95:00:00)"),
		 N_("SECTORS")},
		{"speed",
		 0,
		 0,
		 G_OPTION_ARG_INT,
		 &options.speed,
		 N_("Write speed in sectors per second, 75 per 1× (default -1, the fastest)"),
		 N_("SECTORS_PER_S")},
		{"no-burnfree",
		 0,
		 0,
		 G_OPTION_ARG_NONE,
		 &options.no_burnfree,
		 N_("Turn buffer underrun protection off"),
		 NULL},
		{"simulate",
		 0,
		 0,
		 G_OPTION_ARG_NONE,
		 &options.simulate,
		 N_("Simulate: the recorder does everything with the laser off (its test "
		    "write), and the disc stays blank"),
		 NULL},
		{"client-name",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &options.client_name,
		 N_("The name others see while the recorder is locked (default rawburnctl)"),
		 N_("NAME")},
		{"verify",
		 0,
		 0,
		 G_OPTION_ARG_NONE,
		 &options.verify,
		 N_("After writing, read the disc back and compare it with the image (burn only)"),
		 NULL},
	};
	g_autoptr(GArray) entries = g_array_new(TRUE, TRUE, sizeof(GOptionEntry));
	g_autoptr(RbDiscImage) image = NULL;
	const gchar *const *files;

	g_array_append_vals(entries, own_entries, G_N_ELEMENTS(own_entries));
	rb_ctl_cdtext_options_add_entries(&options.cdtext, entries);
	if (!rb_ctl_parse_command_range(
		    ctl,
		    verify_only ? "verify" : "burn",
		    _("RECORDER FILE…"),
		    verify_only
			    ? _("Reads the disc in RECORDER back and compares it with an image "
				"file "
				"(CUE, TOC, NRG, CloneCD), WAV files or a raw disc-at-once image, "
				"“-” for standard input: the stream “burn” sends.")
			    : _("Burns an image file (CUE, TOC, NRG, CloneCD), WAV files (a track "
				"each) or a raw disc-at-once image, “-” for standard input."),
		    (const GOptionEntry *)entries->data,
		    2,
		    RB_IMAGE_MAX_TRACKS + 1,
		    verify_only
			    ? _("“verify” needs a RECORDER and an IMAGE (an image file, WAV files, "
				"or “-” for a raw image on standard input)")
			    : _("“burn” needs a RECORDER and an IMAGE (an image file, WAV files, "
				"or "
				"“-” for a raw image on standard input)"),
		    &argc,
		    &argv,
		    error))
		return RB_CTL_EXIT_USAGE;
	if (verify_only && options.verify) {
		g_set_error(error,
			    G_OPTION_ERROR,
			    G_OPTION_ERROR_BAD_VALUE,
			    _("--verify is an option of “burn”; “verify” only reads back"));
		return RB_CTL_EXIT_USAGE;
	}
	if (options.simulate && (verify_only || options.verify)) {
		g_set_error(error,
			    G_OPTION_ERROR,
			    G_OPTION_ERROR_BAD_VALUE,
			    _("--simulate records nothing, so there is nothing to read back; "
			      "drop --simulate or the verification"));
		return RB_CTL_EXIT_USAGE;
	}
	if (!rb_ctl_burn_check_options(&options, error))
		return RB_CTL_EXIT_USAGE;
	if (options.client_name == NULL)
		options.client_name = g_strdup("rawburnctl");
	files = (const gchar *const *)argv + 2;

	/* standard input can only be a raw stream: nothing is read before the service */
	if (argc == 3 && g_strcmp0(files[0], "-") == 0) {
		if (rb_ctl_cdtext_options_is_set(&options.cdtext)) {
			g_set_error(error,
				    G_OPTION_ERROR,
				    G_OPTION_ERROR_BAD_VALUE,
				    _("The CD-TEXT options need an image file or WAV files, not a "
				      "raw image on standard input"));
			return RB_CTL_EXIT_USAGE;
		}
		return rb_ctl_burn_raw(ctl, argv[1], files[0], &options, error);
	}
	image = rb_ctl_image_open(files, error);
	if (image == NULL)
		return rb_ctl_image_exit_status(*error);
	if (rb_disc_image_get_layout(image) == NULL) {
		if (rb_ctl_cdtext_options_is_set(&options.cdtext)) {
			/* says why, as a usage error */
			rb_ctl_image_apply_cdtext(image, &options.cdtext, error);
			return RB_CTL_EXIT_USAGE;
		}
		return rb_ctl_burn_raw(ctl, argv[1], files[0], &options, error);
	}
	if (options.lead_in != RB_CTL_BURN_DEFAULT_LEAD_IN) {
		g_set_error(error,
			    G_OPTION_ERROR,
			    G_OPTION_ERROR_BAD_VALUE,
			    _("--lead-in is for raw images: an image file's stream starts at "
			      "95:00:00 (22650)"));
		return RB_CTL_EXIT_USAGE;
	}
	return rb_ctl_burn_image(ctl, argv[1], image, &options, error);
}

int
rb_ctl_cmd_burn(RbCtl *ctl, gint argc, gchar **argv, GError **error)
{
	return rb_ctl_burn_command(ctl, argc, argv, FALSE, error);
}
