/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * rawburn-make-image: writes a raw disc-at-once image of an audio CD for
 * trying out burns: from LBA -22650 (95:00:00, where WriteMedia streams
 * start) through the 90-second lead-out, with the lead-in TOC and the
 * sub-channel of the chosen sector type, made by the image core (rb-image.h:
 * 2 s pauses, copy prohibited, as rb_dao_stream made it before). Each track
 * plays a triangle wave at 441 Hz times its number, the right channel at
 * half the left's level, so a listener or a hex dump can tell the tracks
 * and channels apart.
 */
#include "config.h"

#include <gio/gio.h>
#include <gio/gunixoutputstream.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <stdlib.h>
#include <unistd.h>

#include <string.h>

#include "rb-image.h"

#define RB_MAKE_IMAGE_SECTORS_PER_SECOND 75
/* Red Book: a track plays at least 4 seconds */
#define RB_MAKE_IMAGE_MIN_TRACK_SECONDS 4
/* stereo 16-bit frames at 44.1 kHz: 2352 / 4 */
#define RB_MAKE_IMAGE_FRAMES_PER_SECTOR 588
#define RB_MAKE_IMAGE_AMPLITUDE 8000
/* sectors per write */
#define RB_MAKE_IMAGE_CHUNK 75

typedef struct {
	const RbImageLayout *layout;
	/* bytes of each track read so far, and the sector being handed out */
	guint64 offset[RB_IMAGE_MAX_TRACKS];
	guint8 sector[RB_CD_MAIN_SIZE];
} RbMakeImage;

/* -A..A and back over 100 samples: 441 Hz at 44.1 kHz */
static gint
rb_make_image_triangle(guint64 phase)
{
	gint p = (gint)(phase % 100);

	return p < 50 ? -RB_MAKE_IMAGE_AMPLITUDE + 4 * RB_MAKE_IMAGE_AMPLITUDE * p / 100
		      : 3 * RB_MAKE_IMAGE_AMPLITUDE - 4 * RB_MAKE_IMAGE_AMPLITUDE * p / 100;
}

static void
rb_make_image_put_sample(guint8 *out, gint value)
{
	/* CD-DA samples are little-endian */
	out[0] = (guint8)(value & 0xff);
	out[1] = (guint8)((value >> 8) & 0xff);
}

/* the triangle of track @track (1-based) in the sector at @lba */
static void
rb_make_image_audio(guint track, gint32 lba, guint8 *main_data)
{
	for (guint i = 0; i < RB_MAKE_IMAGE_FRAMES_PER_SECTOR; i++) {
		guint64 sample = (guint64)lba * RB_MAKE_IMAGE_FRAMES_PER_SECTOR + i;
		gint left = rb_make_image_triangle(sample * track);

		rb_make_image_put_sample(main_data + i * 4, left);
		rb_make_image_put_sample(main_data + i * 4 + 2, left / 2);
	}
}

/* the image core's reader: each track's audio, in pieces of any size */
static gssize
rb_make_image_read(gpointer user_data, guint source, guint8 *buf, gsize len, GError **error)
{
	RbMakeImage *self = user_data;
	const RbImageTrack *track = rb_image_layout_get_track(self->layout, source);
	guint64 size;
	guint64 offset;
	gsize in_sector;

	if (track == NULL) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "no source %u", source);
		return -1;
	}
	size = (guint64)track->n_sectors * RB_CD_MAIN_SIZE;
	offset = self->offset[source];
	if (offset >= size)
		return 0;
	in_sector = (gsize)(offset % RB_CD_MAIN_SIZE);
	len = MIN(len, RB_CD_MAIN_SIZE - in_sector);
	rb_make_image_audio(
		source + 1, track->start + (gint32)(offset / RB_CD_MAIN_SIZE), self->sector);
	memcpy(buf, self->sector + in_sector, len);
	self->offset[source] += len;
	return (gssize)len;
}

static GOutputStream *
rb_make_image_open(const gchar *path, GError **error)
{
	g_autoptr(GFile) file = NULL;

	if (g_strcmp0(path, "-") == 0)
		return g_unix_output_stream_new(STDOUT_FILENO, FALSE);
	file = g_file_new_for_commandline_arg(path);
	return G_OUTPUT_STREAM(g_file_replace(file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, error));
}

static gboolean
rb_make_image_write(const gchar *path, RbImageProducer *producer, GError **error)
{
	g_autoptr(GOutputStream) out = rb_make_image_open(path, error);
	gsize sector_size = rb_image_producer_get_sector_size(producer);
	g_autofree guint8 *buf = g_malloc(RB_MAKE_IMAGE_CHUNK * sector_size);
	guint n = 0;

	if (out == NULL)
		return FALSE;
	do {
		if (!rb_image_producer_read(producer, buf, RB_MAKE_IMAGE_CHUNK, &n, error))
			return FALSE;
		if (!g_output_stream_write_all(out, buf, n * sector_size, NULL, NULL, error))
			return FALSE;
	} while (n > 0);
	return g_output_stream_close(out, NULL, error);
}

int
main(int argc, char **argv)
{
	gint sector_type = 2;
	gint n_tracks = 2;
	gint seconds = 30;
	const GOptionEntry entries[] = {
		{"sector-type",
		 0,
		 0,
		 G_OPTION_ARG_INT,
		 &sector_type,
		 N_("1 PQ_ONLY (2368-byte sectors), 2 IS_COOKED or 3 IS_RAW (2448); default 2"),
		 "1|2|3"},
		{"tracks",
		 0,
		 0,
		 G_OPTION_ARG_INT,
		 &n_tracks,
		 N_("Number of audio tracks (default 2)"),
		 "N"},
		{"seconds",
		 0,
		 0,
		 G_OPTION_ARG_INT,
		 &seconds,
		 N_("Playing time of all tracks together (default 30)"),
		 "S"},
		{NULL}};
	g_autoptr(GOptionContext) context = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(RbImageLayout) layout = rb_image_layout_new();
	g_autoptr(RbImageProducer) producer = NULL;
	g_autofree RbMakeImage *self = g_new0(RbMakeImage, 1);
	gint32 leadout = 0;
	guint32 track_length;

	setlocale(LC_ALL, "");
	bindtextdomain(GETTEXT_PACKAGE, LOCALEDIR);
	bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
	textdomain(GETTEXT_PACKAGE);

	context = g_option_context_new(_("OUT"));
	g_option_context_set_summary(
		context,
		_("Writes a raw disc-at-once image of an audio CD, from LBA -22650 through "
		  "the lead-out, for trying burns. OUT may be “-” for standard output."));
	g_option_context_add_main_entries(context, entries, GETTEXT_PACKAGE);
	if (!g_option_context_parse(context, &argc, &argv, &error)) {
		g_printerr("rawburn-make-image: %s\n", error->message);
		return 2;
	}
	if (argc != 2) {
		g_printerr(_("rawburn-make-image: give one OUT file; see --help.\n"));
		return 2;
	}
	if (n_tracks < 1 || n_tracks > RB_IMAGE_MAX_TRACKS) {
		g_printerr(_("rawburn-make-image: --tracks is 1 to %d.\n"), RB_IMAGE_MAX_TRACKS);
		return 2;
	}
	/* checked here so that one CD's worth cannot overflow the arithmetic */
	if (seconds < RB_MAKE_IMAGE_MIN_TRACK_SECONDS * n_tracks || seconds > 100 * 60) {
		g_printerr(_("rawburn-make-image: --seconds is %d (4 per track) to 6000.\n"),
			   RB_MAKE_IMAGE_MIN_TRACK_SECONDS * n_tracks);
		return 2;
	}
	track_length = (guint32)(seconds * RB_MAKE_IMAGE_SECTORS_PER_SECOND / n_tracks);
	/* the core checks the sector type and that it all fits before 90:00:00 */
	if (!rb_image_layout_set_image_type(layout, (guint)sector_type, &error) ||
	    !rb_image_layout_set_disable_gapless_audio(layout, TRUE, &error)) {
		g_printerr("rawburn-make-image: %s\n", error->message);
		return EXIT_FAILURE;
	}
	for (gint i = 0; i < n_tracks; i++) {
		if (!rb_image_layout_add_track(
			    layout, RB_CD_SECTOR_AUDIO, track_length, NULL, &error)) {
			g_printerr("rawburn-make-image: %s\n", error->message);
			return EXIT_FAILURE;
		}
	}
	self->layout = layout;
	producer = rb_image_producer_new(layout, rb_make_image_read, self, &error);
	if (producer == NULL || !rb_make_image_write(argv[1], producer, &error)) {
		g_printerr("rawburn-make-image: %s\n", error->message);
		return EXIT_FAILURE;
	}
	rb_image_layout_get_leadout_start(layout, &leadout, NULL);
	g_printerr(_("rawburn-make-image: %u tracks, LBA %d to %d, %u sectors of %zu bytes\n"),
		   (guint)n_tracks,
		   RB_IMAGE_FIRST_LBA,
		   rb_image_layout_get_end_lba(layout) - 1,
		   rb_image_layout_get_n_sectors(layout),
		   rb_image_layout_get_sector_size(layout));
	return EXIT_SUCCESS;
}
