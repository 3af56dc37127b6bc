/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * rawburn-make-image: writes a raw disc-at-once image of an audio CD for
 * trying out burns: from LBA -22650 (95:00:00, where WriteMedia streams
 * start) through the 90-second lead-out, with the lead-in TOC and the
 * sub-channel of the chosen sector type, made by rb_dao_stream. Each track
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

#include "rb-dao-stream.h"

#define RB_MAKE_IMAGE_FIRST_LBA (-22650)
#define RB_MAKE_IMAGE_SECTORS_PER_SECOND 75
/* Red Book: a track plays at least 4 seconds */
#define RB_MAKE_IMAGE_MIN_TRACK_SECONDS 4
/* the usual 2-second pause before tracks 2..N */
#define RB_MAKE_IMAGE_PAUSE_SECTORS 150
/* stereo 16-bit frames at 44.1 kHz: 2352 / 4 */
#define RB_MAKE_IMAGE_FRAMES_PER_SECTOR 588
#define RB_MAKE_IMAGE_AMPLITUDE 8000
/* sectors per write */
#define RB_MAKE_IMAGE_CHUNK 75

typedef struct {
	RbDaoTrack tracks[RB_DAO_MAX_TRACKS];
	guint n_tracks;
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

static gboolean
rb_make_image_main(gint32 lba, guint8 *main_data, gpointer user_data, GError **error)
{
	RbMakeImage *self = user_data;
	guint track = 0;

	for (guint i = 0; i < self->n_tracks; i++) {
		if (lba >= self->tracks[i].start &&
		    lba < self->tracks[i].start + (gint32)self->tracks[i].length)
			track = i + 1;
	}
	/* pauses are silence */
	if (track == 0) {
		memset(main_data, 0, RB_CD_MAIN_SIZE);
		return TRUE;
	}
	for (guint i = 0; i < RB_MAKE_IMAGE_FRAMES_PER_SECTOR; i++) {
		guint64 sample = (guint64)lba * RB_MAKE_IMAGE_FRAMES_PER_SECTOR + i;
		gint left = rb_make_image_triangle(sample * track);

		rb_make_image_put_sample(main_data + i * 4, left);
		rb_make_image_put_sample(main_data + i * 4 + 2, left / 2);
	}
	return TRUE;
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
rb_make_image_write(const gchar *path, const RbDaoStream *stream, GError **error)
{
	g_autoptr(GOutputStream) out = rb_make_image_open(path, error);
	gsize sector_size = rb_dao_stream_get_sector_size(stream);
	g_autofree guint8 *buf = g_malloc(RB_MAKE_IMAGE_CHUNK * sector_size);
	gint32 end = rb_dao_stream_get_end_lba(stream);

	if (out == NULL)
		return FALSE;
	for (gint32 lba = rb_dao_stream_get_first_lba(stream); lba < end;) {
		guint n = (guint)MIN(RB_MAKE_IMAGE_CHUNK, end - lba);

		if (!rb_dao_stream_get_sectors(stream, lba, n, buf, error))
			return FALSE;
		if (!g_output_stream_write_all(out, buf, n * sector_size, NULL, NULL, error))
			return FALSE;
		lba += (gint32)n;
	}
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
	g_autoptr(RbDaoStream) stream = NULL;
	g_autofree RbMakeImage *self = g_new0(RbMakeImage, 1);
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
	if (n_tracks < 1 || n_tracks > RB_DAO_MAX_TRACKS) {
		g_printerr(_("rawburn-make-image: --tracks is 1 to %d.\n"), RB_DAO_MAX_TRACKS);
		return 2;
	}
	/* checked here so that one CD's worth cannot overflow the arithmetic */
	if (seconds < RB_MAKE_IMAGE_MIN_TRACK_SECONDS * n_tracks || seconds > 100 * 60) {
		g_printerr(_("rawburn-make-image: --seconds is %d (4 per track) to 6000.\n"),
			   RB_MAKE_IMAGE_MIN_TRACK_SECONDS * n_tracks);
		return 2;
	}
	track_length = (guint32)(seconds * RB_MAKE_IMAGE_SECTORS_PER_SECOND / n_tracks);
	self->n_tracks = (guint)n_tracks;
	for (guint i = 0; i < self->n_tracks; i++) {
		self->tracks[i].start = (gint32)(i * (track_length + RB_MAKE_IMAGE_PAUSE_SECTORS));
		self->tracks[i].length = track_length;
	}
	/* the stream checks the sector type and that it all fits before 90:00:00 */
	stream = rb_dao_stream_new(RB_MAKE_IMAGE_FIRST_LBA,
				   self->tracks,
				   self->n_tracks,
				   (guint)sector_type,
				   rb_make_image_main,
				   self,
				   NULL,
				   &error);
	if (stream == NULL) {
		g_printerr("rawburn-make-image: %s\n", error->message);
		return EXIT_FAILURE;
	}
	if (!rb_make_image_write(argv[1], stream, &error)) {
		g_printerr("rawburn-make-image: %s\n", error->message);
		return EXIT_FAILURE;
	}
	g_printerr(_("rawburn-make-image: %u tracks, LBA %d to %d, %u sectors of %zu bytes\n"),
		   self->n_tracks,
		   rb_dao_stream_get_first_lba(stream),
		   rb_dao_stream_get_end_lba(stream) - 1,
		   rb_dao_stream_get_n_sectors(stream),
		   rb_dao_stream_get_sector_size(stream));
	return EXIT_SUCCESS;
}
