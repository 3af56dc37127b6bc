/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Image files in rawburnctl: opening them, the CD-TEXT options, the sector
 * type they are produced in, the exit status of their errors, and the
 * "image" command, which writes the raw DAO stream "burn" would send, so
 * that what goes to a recorder can be looked at (or burned elsewhere).
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <inttypes.h>
#include <stdlib.h>
#include <unistd.h>

#include "rb-ctl-image.h"
#include "rb-ctl-output.h"

/* sectors per read of the stream: 78 KB at 2448 bytes */
#define RB_CTL_IMAGE_CHUNK_SECTORS 32

void
rb_ctl_cdtext_options_clear(RbCtlCdTextOptions *options)
{
	g_clear_pointer(&options->title, g_free);
	g_clear_pointer(&options->performer, g_free);
	g_clear_pointer(&options->track_titles, g_strfreev);
	g_clear_pointer(&options->track_performers, g_strfreev);
}

void
rb_ctl_cdtext_options_add_entries(RbCtlCdTextOptions *options, GArray *entries)
{
	const GOptionEntry cdtext_entries[] = {
		{"title",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &options->title,
		 N_("CD-TEXT: the disc's title (replaces the sheet's)"),
		 N_("TEXT")},
		{"performer",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &options->performer,
		 N_("CD-TEXT: the disc's performer"),
		 N_("TEXT")},
		{"track-title",
		 0,
		 0,
		 G_OPTION_ARG_STRING_ARRAY,
		 &options->track_titles,
		 N_("CD-TEXT: the title of track N (repeatable)"),
		 N_("N=TEXT")},
		{"track-performer",
		 0,
		 0,
		 G_OPTION_ARG_STRING_ARRAY,
		 &options->track_performers,
		 N_("CD-TEXT: the performer of track N (repeatable)"),
		 N_("N=TEXT")},
		{"no-cd-text",
		 0,
		 0,
		 G_OPTION_ARG_NONE,
		 &options->no_cd_text,
		 N_("Leave the sheet's CD-TEXT out"),
		 NULL},
	};

	g_array_append_vals(entries, cdtext_entries, G_N_ELEMENTS(cdtext_entries));
}

gboolean
rb_ctl_cdtext_options_is_set(const RbCtlCdTextOptions *options)
{
	return options->title != NULL || options->performer != NULL ||
	       options->track_titles != NULL || options->track_performers != NULL;
}

/* "N=TEXT": @text points into @arg */
static gboolean
rb_ctl_cdtext_parse_track(
	const gchar *option, const gchar *arg, guint *track, const gchar **text, GError **error)
{
	const gchar *eq = strchr(arg, '=');
	g_autofree gchar *number = eq != NULL ? g_strndup(arg, eq - arg) : NULL;
	guint64 value = 0;

	if (number == NULL ||
	    !g_ascii_string_to_unsigned(number, 10, 1, RB_CDTEXT_MAX_TRACK, &value, NULL)) {
		g_set_error(error,
			    G_OPTION_ERROR,
			    G_OPTION_ERROR_BAD_VALUE,
			    _("%s takes a track number from 1 to 99, “=” and the text, e.g. "
			      "%s 2=\"Song\"; not “%s”"),
			    option,
			    option,
			    arg);
		return FALSE;
	}
	*track = (guint)value;
	*text = eq + 1;
	return TRUE;
}

gboolean
rb_ctl_cdtext_options_check(const RbCtlCdTextOptions *options, GError **error)
{
	guint track;
	const gchar *text;

	if (options->no_cd_text && rb_ctl_cdtext_options_is_set(options)) {
		g_set_error(error,
			    G_OPTION_ERROR,
			    G_OPTION_ERROR_BAD_VALUE,
			    _("--no-cd-text leaves CD-TEXT out, so --title, --performer, "
			      "--track-title and --track-performer cannot go with it"));
		return FALSE;
	}
	for (guint i = 0; options->track_titles != NULL && options->track_titles[i] != NULL; i++) {
		if (!rb_ctl_cdtext_parse_track(
			    "--track-title", options->track_titles[i], &track, &text, error))
			return FALSE;
	}
	for (guint i = 0; options->track_performers != NULL && options->track_performers[i] != NULL;
	     i++) {
		if (!rb_ctl_cdtext_parse_track("--track-performer",
					       options->track_performers[i],
					       &track,
					       &text,
					       error))
			return FALSE;
	}
	return TRUE;
}

gboolean
rb_ctl_check_sector_type(gint type, gboolean zero_allowed, GError **error)
{
	if ((type == 0 && zero_allowed) ||
	    (type >= RB_CTL_SECTOR_PQ_ONLY && type <= RB_CTL_SECTOR_IS_RAW))
		return TRUE;
	g_set_error(error,
		    G_OPTION_ERROR,
		    G_OPTION_ERROR_BAD_VALUE,
		    _("--sector-type is 1 (PQ_ONLY, 2368-byte sectors), 2 (IS_COOKED) or "
		      "3 (IS_RAW, both 2448-byte sectors), not %d"),
		    type);
	return FALSE;
}

RbDiscImage *
rb_ctl_image_open(const gchar *const *files, GError **error)
{
	if (files[0] != NULL && files[1] == NULL)
		return rb_disc_image_open(files[0], error);
	return rb_disc_image_open_wav_files(files, error);
}

static gboolean
rb_ctl_image_set_text(RbCdText *cdtext,
		      RbCdTextPackType type,
		      guint track,
		      const gchar *option,
		      const gchar *text,
		      GError **error)
{
	g_autoptr(GError) error_local = NULL;

	if (text == NULL || rb_cdtext_set_text(cdtext, 0, type, track, text, &error_local))
		return TRUE;
	if (g_error_matches(error_local, RB_CDTEXT_ERROR, RB_CDTEXT_ERROR_CHARSET))
		g_set_error(error,
			    G_OPTION_ERROR,
			    G_OPTION_ERROR_BAD_VALUE,
			    _("%s “%s”: %s; CD-TEXT written by rawburn holds Latin-1 "
			      "(ISO-8859-1) text: leave the other characters out"),
			    option,
			    text,
			    error_local->message);
	else
		g_set_error(error,
			    G_OPTION_ERROR,
			    G_OPTION_ERROR_BAD_VALUE,
			    "%s “%s”: %s",
			    option,
			    text,
			    error_local->message);
	return FALSE;
}

static gboolean
rb_ctl_image_set_track_texts(RbDiscImage *image,
			     RbCdText *cdtext,
			     RbCdTextPackType type,
			     const gchar *option,
			     gchar **args,
			     GError **error)
{
	RbImageLayout *layout = rb_disc_image_get_layout(image);
	guint n_tracks = rb_image_layout_get_n_tracks(layout);
	guint first = rb_image_layout_get_track(layout, 0)->number;
	guint last = rb_image_layout_get_track(layout, n_tracks - 1)->number;

	for (guint i = 0; args != NULL && args[i] != NULL; i++) {
		guint track = 0;
		const gchar *text = NULL;

		if (!rb_ctl_cdtext_parse_track(option, args[i], &track, &text, error))
			return FALSE;
		if (track < first || track > last) {
			g_set_error(error,
				    G_OPTION_ERROR,
				    G_OPTION_ERROR_BAD_VALUE,
				    _("%s %u: the image has tracks %u to %u"),
				    option,
				    track,
				    first,
				    last);
			return FALSE;
		}
		if (!rb_ctl_image_set_text(cdtext, type, track, option, text, error))
			return FALSE;
	}
	return TRUE;
}

gboolean
rb_ctl_image_apply_cdtext(RbDiscImage *image, const RbCtlCdTextOptions *options, GError **error)
{
	RbImageLayout *layout = rb_disc_image_get_layout(image);
	RbCdText *cdtext;

	if (options->no_cd_text) {
		rb_disc_image_set_cdtext(image, NULL);
		return TRUE;
	}
	if (!rb_ctl_cdtext_options_is_set(options))
		return TRUE;
	if (layout == NULL || rb_image_layout_get_n_tracks(layout) == 0) {
		g_set_error(error,
			    G_OPTION_ERROR,
			    G_OPTION_ERROR_BAD_VALUE,
			    _("“%s” is a raw disc-at-once image, whose sub-channel is burned as "
			      "it is: the CD-TEXT options need a sheet (CUE, TOC, NRG, CloneCD) or "
			      "WAV files"),
			    rb_disc_image_get_path(image));
		return FALSE;
	}
	cdtext = rb_disc_image_get_cdtext(image);
	if (cdtext == NULL) {
		cdtext = rb_cdtext_new();
		rb_disc_image_set_cdtext(image, cdtext);
	}
	return rb_ctl_image_set_text(
		       cdtext, RB_CDTEXT_TITLE, 0, "--title", options->title, error) &&
	       rb_ctl_image_set_text(
		       cdtext, RB_CDTEXT_PERFORMER, 0, "--performer", options->performer, error) &&
	       rb_ctl_image_set_track_texts(image,
					    cdtext,
					    RB_CDTEXT_TITLE,
					    "--track-title",
					    options->track_titles,
					    error) &&
	       rb_ctl_image_set_track_texts(image,
					    cdtext,
					    RB_CDTEXT_PERFORMER,
					    "--track-performer",
					    options->track_performers,
					    error);
}

gboolean
rb_ctl_image_needs_raw(RbDiscImage *image)
{
	RbImageLayout *layout = rb_disc_image_get_layout(image);
	RbCdText *cdtext = rb_disc_image_get_cdtext(image);

	if (layout == NULL)
		return FALSE;
	return (cdtext != NULL && !rb_cdtext_is_empty(cdtext)) ||
	       rb_image_layout_has_subchannel_source(layout);
}

gboolean
rb_ctl_image_set_sector_type(RbDiscImage *image, guint sector_type, GError **error)
{
	RbImageLayout *layout = rb_disc_image_get_layout(image);
	g_autoptr(GError) error_local = NULL;

	if (sector_type != RB_CTL_SECTOR_IS_RAW && rb_ctl_image_needs_raw(image)) {
		if (rb_image_layout_has_subchannel_source(layout))
			g_set_error(error,
				    RB_DISC_IMAGE_ERROR,
				    RB_DISC_IMAGE_ERROR_UNSUPPORTED,
				    _("%s has a sub-channel file, which sector type %u would drop: "
				      "only IS_RAW (3) burns it as it is. Use --sector-type 3 on a "
				      "recorder that writes raw P-W (SupportedSectorTypes has 3)."),
				    rb_disc_image_get_path(image),
				    sector_type);
		else
			g_set_error(
				error,
				RB_DISC_IMAGE_ERROR,
				RB_DISC_IMAGE_ERROR_UNSUPPORTED,
				_("%s has CD-TEXT, which sector type %u would drop: only IS_RAW "
				  "(3) carries it in the lead-in. Use --no-cd-text to burn without "
				  "it, or --sector-type 3 on a recorder that writes raw P-W "
				  "(SupportedSectorTypes has 3)."),
				rb_disc_image_get_path(image),
				sector_type);
		return FALSE;
	}
	if (!rb_image_layout_set_image_type(layout, sector_type, &error_local)) {
		g_set_error(error,
			    RB_DISC_IMAGE_ERROR,
			    RB_DISC_IMAGE_ERROR_UNSUPPORTED,
			    "%s: %s",
			    rb_disc_image_get_path(image),
			    error_local->message);
		return FALSE;
	}
	return TRUE;
}

void
rb_ctl_image_print_notes(RbDiscImage *image)
{
	const GPtrArray *notes = rb_disc_image_get_notes(image);

	for (guint i = 0; i < notes->len; i++)
		g_printerr(_("rawburnctl: warning: %s\n"),
			   (const gchar *)g_ptr_array_index(notes, i));
}

int
rb_ctl_image_exit_status(const GError *error)
{
	if (error == NULL)
		return EXIT_SUCCESS;
	if (error->domain == G_OPTION_ERROR)
		return RB_CTL_EXIT_USAGE;
	if (g_error_matches(error, RB_DISC_IMAGE_ERROR, RB_DISC_IMAGE_ERROR_FILE))
		return RB_CTL_EXIT_NOINPUT;
	if (error->domain == RB_DISC_IMAGE_ERROR || error->domain == RB_IMAGE_ERROR ||
	    error->domain == RB_CDTEXT_ERROR)
		return RB_CTL_EXIT_DATAERR;
	return EXIT_FAILURE;
}

gint
rb_ctl_image_track_at(const RbImageLayout *layout, gint32 lba)
{
	guint n_tracks = rb_image_layout_get_n_tracks(layout);
	gint32 leadout = 0;

	if (n_tracks == 0 || !rb_image_layout_get_leadout_start(layout, &leadout, NULL) ||
	    lba >= leadout || lba < rb_image_layout_get_track(layout, 0)->pregap_start)
		return -1;
	for (guint i = n_tracks; i > 0; i--) {
		if (lba >= rb_image_layout_get_track(layout, i - 1)->pregap_start)
			return (gint)(i - 1);
	}
	return -1;
}

/* --- "image" ---------------------------------------------------------------------------------- */

static gboolean
rb_ctl_image_write_all(gint fd, const guint8 *data, gsize len, const gchar *out, GError **error)
{
	while (len > 0) {
		gssize n = write(fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			gint errsv = errno;

			g_set_error(error,
				    G_IO_ERROR,
				    g_io_error_from_errno(errsv),
				    _("Cannot write “%s”: %s"),
				    out,
				    g_strerror(errsv));
			return FALSE;
		}
		data += n;
		len -= (gsize)n;
	}
	return TRUE;
}

/* the whole stream into @fd; the number of sectors must be the layout's */
static gboolean
rb_ctl_image_write_stream(RbDiscImage *image, RbCtlOutput *output, GError **error)
{
	gint fd = rb_ctl_output_get_fd(output);
	const gchar *out = rb_ctl_output_get_path(output);
	g_autoptr(RbDiscImageStream) stream = rb_disc_image_stream_new(image, error);
	g_autofree guint8 *buf = NULL;
	gsize sector_size;
	guint64 total = 0;

	if (stream == NULL)
		return FALSE;
	sector_size = rb_disc_image_stream_get_sector_size(stream);
	buf = g_malloc(sector_size * RB_CTL_IMAGE_CHUNK_SECTORS);
	for (;;) {
		guint n = 0;

		if (!rb_ctl_output_check_signal(output, error) ||
		    !rb_disc_image_stream_read(stream, buf, RB_CTL_IMAGE_CHUNK_SECTORS, &n, error))
			return FALSE;
		if (n == 0)
			break;
		if (!rb_ctl_image_write_all(fd, buf, n * sector_size, out, error))
			return FALSE;
		total += n;
	}
	if (total != rb_disc_image_stream_get_n_sectors(stream)) {
		g_set_error(error,
			    RB_DISC_IMAGE_ERROR,
			    RB_DISC_IMAGE_ERROR_FILE_TOO_SHORT,
			    _("%s: the image gave %" PRIu64
			      " sectors of %u; a file changed while it was read"),
			    rb_disc_image_get_path(image),
			    total,
			    rb_disc_image_stream_get_n_sectors(stream));
		return FALSE;
	}
	return TRUE;
}

int
rb_ctl_cmd_image(RbCtl *ctl, gint argc, gchar **argv, GError **error)
{
	g_auto(RbCtlCdTextOptions) cdtext = {0};
	g_autofree gchar *out = NULL;
	gint sector_type = RB_CTL_SECTOR_IS_RAW;
	g_autoptr(GArray) entries = g_array_new(TRUE, TRUE, sizeof(GOptionEntry));
	const GOptionEntry own_entries[] = {
		{"output",
		 'o',
		 0,
		 G_OPTION_ARG_FILENAME,
		 &out,
		 N_("Write the stream to OUT (“-” for standard output)"),
		 N_("OUT")},
		{"sector-type",
		 0,
		 0,
		 G_OPTION_ARG_INT,
		 &sector_type,
		 N_("1 PQ_ONLY (2368-byte sectors), 2 IS_COOKED or 3 IS_RAW (2448; the "
		    "default)"),
		 "1|2|3"},
	};
	g_autoptr(RbDiscImage) image = NULL;
	g_autoptr(GPtrArray) inputs = NULL;
	g_autoptr(RbCtlOutput) output = NULL;

	g_array_append_vals(entries, own_entries, G_N_ELEMENTS(own_entries));
	rb_ctl_cdtext_options_add_entries(&cdtext, entries);
	if (!rb_ctl_parse_command_range(
		    ctl,
		    "image",
		    _("FILE… -o OUT"),
		    _("Writes the raw disc-at-once stream “burn” would send for an image file "
		      "(CUE, TOC, NRG, CloneCD) or for WAV files, from 95:00:00."),
		    (const GOptionEntry *)entries->data,
		    1,
		    RB_IMAGE_MAX_TRACKS,
		    _("“image” needs a FILE (a sheet, or WAV files) and -o OUT"),
		    &argc,
		    &argv,
		    error))
		return RB_CTL_EXIT_USAGE;
	if (out == NULL) {
		g_set_error(error,
			    G_OPTION_ERROR,
			    G_OPTION_ERROR_BAD_VALUE,
			    _("“image” needs -o OUT, the file to write (“-” for standard output)"));
		return RB_CTL_EXIT_USAGE;
	}
	if (!rb_ctl_check_sector_type(sector_type, FALSE, error))
		return RB_CTL_EXIT_USAGE;
	if (!rb_ctl_cdtext_options_check(&cdtext, error))
		return RB_CTL_EXIT_USAGE;

	image = rb_ctl_image_open((const gchar *const *)argv + 1, error);
	if (image == NULL)
		return rb_ctl_image_exit_status(*error);
	if (rb_disc_image_get_layout(image) == NULL) {
		g_set_error(error,
			    RB_DISC_IMAGE_ERROR,
			    RB_DISC_IMAGE_ERROR_UNSUPPORTED,
			    _("“%s” is no sheet, WAV or Nero file: it is taken for a raw "
			      "disc-at-once image already, which “burn” sends as it is"),
			    argv[1]);
		return RB_CTL_EXIT_DATAERR;
	}
	if (!rb_ctl_image_apply_cdtext(image, &cdtext, error) ||
	    !rb_ctl_image_set_sector_type(image, (guint)sector_type, error) ||
	    !rb_disc_image_check(image, 0, error))
		return rb_ctl_image_exit_status(*error);
	rb_ctl_image_print_notes(image);

	/* before anything is written: the output may be one of the image's files */
	inputs = rb_disc_image_get_files(image);
	output = rb_ctl_output_open(out, inputs, error);
	if (output == NULL)
		return rb_ctl_image_exit_status(*error);
	if (!rb_ctl_image_write_stream(image, output, error) ||
	    !rb_ctl_output_commit(output, error))
		return rb_ctl_image_exit_status(*error);
	return EXIT_SUCCESS;
}
