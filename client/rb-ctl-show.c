/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "rawburnctl show FILE…": what an image file will put on a disc, read
 * from its sheet without a recorder: each track (type, where it starts,
 * its pregap, length, indexes, ISRC, flags and which file its data comes
 * from), the MCN, the CD-TEXT of each block, the stream's size, the
 * playing time, where the lead-out starts and whether the disc fits a 74-
 * or an 80-minute blank, and what the reader assumed. As text, or as one
 * JSON object with --json.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <glib/gstdio.h>
#include <stdlib.h>

#include "rb-ctl-image.h"
#include "rb-ctl-json.h"
#include "rb-msf.h"

/* the last lead-out start of a 74-minute (74:00:00) and of an 80-minute
 * blank (79:59:74): the ATIP values of common media (the Orange Book's
 * nominal capacities; the virtual recorder's cd-r-74 and cd-r-80) */
#define RB_CTL_SHOW_LEADOUT_74 332850
#define RB_CTL_SHOW_LEADOUT_80 359849

/* the CD-TEXT fields shown, with their JSON names */
static const struct {
	RbCdTextPackType type;
	const gchar *id;
	const gchar *label;
} rb_ctl_show_fields[] = {
	{RB_CDTEXT_TITLE, "title", N_("title")},
	{RB_CDTEXT_PERFORMER, "performer", N_("performer")},
	{RB_CDTEXT_SONGWRITER, "songwriter", N_("songwriter")},
	{RB_CDTEXT_COMPOSER, "composer", N_("composer")},
	{RB_CDTEXT_ARRANGER, "arranger", N_("arranger")},
	{RB_CDTEXT_MESSAGE, "message", N_("message")},
	{RB_CDTEXT_DISC_ID, "discId", N_("disc ID")},
	{RB_CDTEXT_UPC_ISRC, "upcIsrc", N_("UPC/ISRC")},
};

/* what follows from the layout, for both outputs */
typedef struct {
	RbDiscImage *image;
	RbImageLayout *layout;
	guint n_tracks;
	gint32 leadout;
	guint32 n_sectors;
	gsize sector_size;
	guint32 playing_sectors;
} RbCtlShow;

static gchar *
rb_ctl_show_msf(gint32 lba)
{
	RbMsf msf = {0};

	if (!rb_msf_from_lba(lba, &msf))
		return g_strdup("--:--:--");
	return g_strdup_printf("%02u:%02u:%02u", msf.minute, msf.second, msf.frame);
}

/* a duration as MM:SS:FF */
static gchar *
rb_ctl_show_length(guint32 n_sectors)
{
	return g_strdup_printf("%02u:%02u:%02u",
			       n_sectors / RB_CD_FRAMES_PER_SECOND / RB_CD_SECONDS_PER_MINUTE,
			       n_sectors / RB_CD_FRAMES_PER_SECOND % RB_CD_SECONDS_PER_MINUTE,
			       n_sectors % RB_CD_FRAMES_PER_SECOND);
}

static const gchar *
rb_ctl_show_type_id(RbCdSectorType type)
{
	static const gchar *const ids[] = {"audio",
					   "mode0",
					   "mode1",
					   "mode2",
					   "mode2-form1",
					   "mode2-form2",
					   "mode1-raw",
					   "mode2-raw",
					   "mode2-form1-raw",
					   "mode2-form2-raw"};

	return (guint)type < G_N_ELEMENTS(ids) ? ids[type] : "unknown";
}

static const gchar *
rb_ctl_show_type_label(RbCdSectorType type)
{
	switch (type) {
	case RB_CD_SECTOR_AUDIO:
		return _("audio");
	case RB_CD_SECTOR_MODE_ZERO:
		return _("Mode 0 (zeros)");
	case RB_CD_SECTOR_MODE1:
		return _("Mode 1");
	case RB_CD_SECTOR_MODE2_FORM0:
		return _("Mode 2 formless");
	case RB_CD_SECTOR_MODE2_FORM1:
		return _("Mode 2 Form 1");
	case RB_CD_SECTOR_MODE2_FORM2:
		return _("Mode 2 Form 2");
	case RB_CD_SECTOR_MODE1_RAW:
		return _("Mode 1, raw sectors");
	case RB_CD_SECTOR_MODE2_FORM0_RAW:
		return _("Mode 2 formless, raw sectors");
	case RB_CD_SECTOR_MODE2_FORM1_RAW:
		return _("Mode 2 Form 1, raw sectors");
	case RB_CD_SECTOR_MODE2_FORM2_RAW:
		return _("Mode 2 Form 2, raw sectors");
	default:
		return _("unknown");
	}
}

static const gchar *
rb_ctl_show_copy_id(RbImageCopySetting copy)
{
	switch (copy) {
	case RB_IMAGE_COPY_PROHIBITED:
		return "prohibited";
	case RB_IMAGE_COPY_SCMS:
		return "scms";
	default:
		return "permitted";
	}
}

/* EBU Tech 3258's language codes of the common blocks */
static const gchar *
rb_ctl_show_language(guint8 code)
{
	switch (code) {
	case 0x08:
		return _("German");
	case 0x09:
		return _("English");
	case 0x0A:
		return _("Spanish");
	case 0x0F:
		return _("French");
	case 0x15:
		return _("Italian");
	case 0x1D:
		return _("Dutch");
	case 0x56:
		return _("Russian");
	case 0x65:
		return _("Korean");
	case 0x69:
		return _("Japanese");
	case 0x75:
		return _("Chinese");
	default:
		return NULL;
	}
}

static const gchar *
rb_ctl_show_charset(RbCdTextCharset charset)
{
	switch (charset) {
	case RB_CDTEXT_CHARSET_ASCII:
		return "ASCII";
	case RB_CDTEXT_CHARSET_MS_JIS:
		return "MS-JIS";
	default:
		return "ISO-8859-1";
	}
}

/* --- text ------------------------------------------------------------------------------------- */

static void
rb_ctl_show_text_track(RbCtlShow *show, GString *out, guint i)
{
	const RbImageTrack *t = rb_image_layout_get_track(show->layout, i);
	g_autofree gchar *start = rb_ctl_show_msf(t->start);
	g_autofree gchar *pregap = rb_ctl_show_length((guint32)(t->start - t->pregap_start));
	g_autofree gchar *length = rb_ctl_show_length(t->n_sectors);
	g_autofree gchar *source = rb_disc_image_describe_track_source(show->image, i);
	g_autoptr(GString) indexes = g_string_new(NULL);

	g_string_append_printf(
		out, _("Track %u: %s\n"), t->number, rb_ctl_show_type_label(t->type));
	g_string_append_printf(
		out, _("  start     LBA %d (%s), pregap %s\n"), t->start, start, pregap);
	g_string_append_printf(out, _("  length    %s (%u sectors)\n"), length, t->n_sectors);
	for (guint k = 0; k < t->n_indexes; k++) {
		g_autofree gchar *at = rb_ctl_show_msf(t->start + (gint32)t->indexes[k]);

		g_string_append_printf(indexes, "%s%02u %s", k > 0 ? ", " : "", k + 1, at);
	}
	g_string_append_printf(out, _("  indexes   %s\n"), indexes->str);
	if (t->isrc[0] != '\0')
		g_string_append_printf(out, _("  ISRC      %s\n"), t->isrc);
	if (t->copy != RB_IMAGE_COPY_PERMITTED || t->preemphasis)
		g_string_append_printf(out,
				       _("  flags     %s%s%s\n"),
				       t->copy == RB_IMAGE_COPY_PROHIBITED ? _("copy prohibited")
				       : t->copy == RB_IMAGE_COPY_SCMS     ? _("SCMS")
									   : "",
				       t->copy != RB_IMAGE_COPY_PERMITTED && t->preemphasis ? ", "
											    : "",
				       t->preemphasis ? _("pre-emphasis") : "");
	g_string_append_printf(out, _("  data      %s\n"), source);
}

static void
rb_ctl_show_text_cdtext_fields(GString *out, RbCdText *cdtext, guint block, guint track)
{
	for (guint f = 0; f < G_N_ELEMENTS(rb_ctl_show_fields); f++) {
		const gchar *text =
			rb_cdtext_get_text(cdtext, block, rb_ctl_show_fields[f].type, track);
		g_autofree gchar *who =
			track == 0 ? g_strdup(_("disc")) : g_strdup_printf(_("track %u"), track);

		if (text != NULL) {
			/* TRANSLATORS: a CD-TEXT value, quoted as your language quotes */
			g_autofree gchar *quoted = g_strdup_printf(_("“%s”"), text);

			g_string_append_printf(out,
					       "  %-9s %-11s %s\n",
					       who,
					       _(rb_ctl_show_fields[f].label),
					       quoted);
		}
	}
}

static void
rb_ctl_show_text_cdtext(RbCtlShow *show, GString *out)
{
	RbCdText *cdtext = rb_disc_image_get_cdtext(show->image);

	if (cdtext == NULL || rb_cdtext_is_empty(cdtext)) {
		g_string_append(out, _("CD-TEXT: none\n"));
		return;
	}
	for (guint b = 0; b < rb_cdtext_get_n_blocks(cdtext); b++) {
		guint8 code = rb_cdtext_get_language(cdtext, b);
		const gchar *language = rb_ctl_show_language(code);
		g_autofree gchar *code_text = g_strdup_printf("0x%02X", code);

		g_string_append_printf(out,
				       _("CD-TEXT block %u: %s, %s\n"),
				       b,
				       language != NULL ? language : code_text,
				       rb_ctl_show_charset(rb_cdtext_get_charset(cdtext, b)));
		rb_ctl_show_text_cdtext_fields(out, cdtext, b, 0);
		if (rb_cdtext_get_genre_code(cdtext, b) != 0)
			g_string_append_printf(out,
					       _("  disc      genre       %u\n"),
					       rb_cdtext_get_genre_code(cdtext, b));
		for (guint i = 0; i < show->n_tracks; i++)
			rb_ctl_show_text_cdtext_fields(
				out, cdtext, b, rb_image_layout_get_track(show->layout, i)->number);
	}
}

static void
rb_ctl_show_text_fits(GString *out, gint32 leadout, gint32 limit, guint minutes)
{
	if (leadout <= limit)
		g_string_append_printf(out,
				       _("%u-minute blank: fits, %d sectors to spare\n"),
				       minutes,
				       limit - leadout);
	else
		g_string_append_printf(out,
				       _("%u-minute blank: too long by %d sectors\n"),
				       minutes,
				       leadout - limit);
}

static gchar *
rb_ctl_show_text(RbCtlShow *show)
{
	GString *out = g_string_new(NULL);
	const gchar *mcn = rb_image_layout_get_mcn(show->layout);
	const GPtrArray *notes = rb_disc_image_get_notes(show->image);
	g_autofree gchar *playing = rb_ctl_show_length(show->playing_sectors);
	g_autofree gchar *leadout = rb_ctl_show_msf(show->leadout);

	g_string_append_printf(
		out,
		_("Image: %s (%s)\n"),
		rb_disc_image_get_path(show->image),
		rb_disc_image_format_to_string(rb_disc_image_get_format(show->image)));
	for (guint i = 0; i < show->n_tracks; i++)
		rb_ctl_show_text_track(show, out, i);
	g_string_append_printf(
		out, _("MCN: %s\n"), mcn != NULL && mcn[0] != '\0' ? mcn : _("none"));
	rb_ctl_show_text_cdtext(show, out);
	g_string_append_printf(
		out,
		_("Stream: %" PRIu64 " bytes, %u sectors of %u bytes from 95:00:00\n"),
		(guint64)show->n_sectors * show->sector_size,
		show->n_sectors,
		(guint)show->sector_size);
	g_string_append_printf(out, _("Playing time: %s\n"), playing);
	g_string_append_printf(out, _("Lead-out: LBA %d (%s)\n"), show->leadout, leadout);
	rb_ctl_show_text_fits(out, show->leadout, RB_CTL_SHOW_LEADOUT_74, 74);
	rb_ctl_show_text_fits(out, show->leadout, RB_CTL_SHOW_LEADOUT_80, 80);
	for (guint i = 0; i < notes->len; i++)
		g_string_append_printf(
			out, _("Note: %s\n"), (const gchar *)g_ptr_array_index(notes, i));
	return g_string_free(out, FALSE);
}

/* --- JSON ------------------------------------------------------------------------------------- */

static void
rb_ctl_show_json_key(GString *out, const gchar *key)
{
	rb_ctl_json_append_string(out, key);
	g_string_append_c(out, ':');
}

static void
rb_ctl_show_json_msf(GString *out, const gchar *key, gint32 lba)
{
	g_autofree gchar *msf = rb_ctl_show_msf(lba);

	g_string_append_c(out, ',');
	rb_ctl_show_json_key(out, key);
	rb_ctl_json_append_string(out, msf);
}

static void
rb_ctl_show_json_track(RbCtlShow *show, GString *out, guint i)
{
	const RbImageTrack *t = rb_image_layout_get_track(show->layout, i);
	g_autofree gchar *length = rb_ctl_show_length(t->n_sectors);
	g_autofree gchar *source = rb_disc_image_describe_track_source(show->image, i);

	g_string_append_printf(out, "{\"number\":%u,\"type\":", t->number);
	rb_ctl_json_append_string(out, rb_ctl_show_type_id(t->type));
	g_string_append_printf(out,
			       ",\"sectorType\":%u,\"start\":%d,\"pregapStart\":%d,"
			       "\"pregap\":%d,\"sectors\":%u",
			       (guint)t->type,
			       t->start,
			       t->pregap_start,
			       t->start - t->pregap_start,
			       t->n_sectors);
	rb_ctl_show_json_msf(out, "startMsf", t->start);
	g_string_append(out, ",\"length\":");
	rb_ctl_json_append_string(out, length);
	g_string_append(out, ",\"indexes\":[");
	for (guint k = 0; k < t->n_indexes; k++)
		g_string_append_printf(
			out, "%s%d", k > 0 ? "," : "", t->start + (gint32)t->indexes[k]);
	g_string_append(out, "],\"isrc\":");
	if (t->isrc[0] != '\0')
		rb_ctl_json_append_string(out, t->isrc);
	else
		g_string_append(out, "null");
	g_string_append(out, ",\"copy\":");
	rb_ctl_json_append_string(out, rb_ctl_show_copy_id(t->copy));
	g_string_append_printf(
		out, ",\"preemphasis\":%s,\"source\":", t->preemphasis ? "true" : "false");
	rb_ctl_json_append_string(out, source);
	g_string_append_c(out, '}');
}

/* {"title":…,…} of one track (0: the disc) of a block; FALSE when empty */
static gboolean
rb_ctl_show_json_fields(GString *out, RbCdText *cdtext, guint block, guint track)
{
	gboolean any = FALSE;

	for (guint f = 0; f < G_N_ELEMENTS(rb_ctl_show_fields); f++) {
		const gchar *text =
			rb_cdtext_get_text(cdtext, block, rb_ctl_show_fields[f].type, track);

		if (text == NULL)
			continue;
		g_string_append_c(out, any ? ',' : '{');
		rb_ctl_show_json_key(out, rb_ctl_show_fields[f].id);
		rb_ctl_json_append_string(out, text);
		any = TRUE;
	}
	return any;
}

static void
rb_ctl_show_json_cdtext(RbCtlShow *show, GString *out)
{
	RbCdText *cdtext = rb_disc_image_get_cdtext(show->image);
	guint n_blocks =
		cdtext != NULL && !rb_cdtext_is_empty(cdtext) ? rb_cdtext_get_n_blocks(cdtext) : 0;

	g_string_append(out, ",\"cdText\":[");
	for (guint b = 0; b < n_blocks; b++) {
		gboolean first = TRUE;

		g_string_append_printf(out,
				       "%s{\"block\":%u,\"language\":%u,\"genre\":%u,\"charset\":",
				       b > 0 ? "," : "",
				       b,
				       rb_cdtext_get_language(cdtext, b),
				       rb_cdtext_get_genre_code(cdtext, b));
		rb_ctl_json_append_string(out,
					  rb_ctl_show_charset(rb_cdtext_get_charset(cdtext, b)));
		g_string_append(out, ",\"disc\":");
		if (!rb_ctl_show_json_fields(out, cdtext, b, 0))
			g_string_append(out, "{");
		g_string_append(out, "},\"tracks\":[");
		for (guint i = 0; i < show->n_tracks; i++) {
			guint number = rb_image_layout_get_track(show->layout, i)->number;
			gsize mark = out->len;

			g_string_append(out, first ? "" : ",");
			if (!rb_ctl_show_json_fields(out, cdtext, b, number)) {
				g_string_truncate(out, mark);
				continue;
			}
			g_string_append_printf(out, ",\"number\":%u}", number);
			first = FALSE;
		}
		g_string_append(out, "]}");
	}
	g_string_append_c(out, ']');
}

static gchar *
rb_ctl_show_json(RbCtlShow *show, const GError *problem)
{
	GString *out = g_string_new("{\"file\":");
	const gchar *mcn = rb_image_layout_get_mcn(show->layout);
	const GPtrArray *notes = rb_disc_image_get_notes(show->image);
	g_autofree gchar *playing = rb_ctl_show_length(show->playing_sectors);

	rb_ctl_json_append_string(out, rb_disc_image_get_path(show->image));
	g_string_append(out, ",\"format\":");
	rb_ctl_json_append_string(
		out, rb_disc_image_format_to_string(rb_disc_image_get_format(show->image)));
	g_string_append(out, ",\"tracks\":[");
	for (guint i = 0; i < show->n_tracks; i++) {
		if (i > 0)
			g_string_append_c(out, ',');
		rb_ctl_show_json_track(show, out, i);
	}
	g_string_append(out, "],\"mcn\":");
	if (mcn != NULL && mcn[0] != '\0')
		rb_ctl_json_append_string(out, mcn);
	else
		g_string_append(out, "null");
	rb_ctl_show_json_cdtext(show, out);
	g_string_append_printf(out,
			       ",\"sectorSize\":%" G_GSIZE_FORMAT ",\"streamSectors\":%u,"
			       "\"streamBytes\":%" G_GUINT64_FORMAT ",\"playingSectors\":%u,"
			       "\"playingTime\":",
			       show->sector_size,
			       show->n_sectors,
			       (guint64)show->n_sectors * show->sector_size,
			       show->playing_sectors);
	rb_ctl_json_append_string(out, playing);
	g_string_append_printf(out, ",\"leadoutStart\":%d", show->leadout);
	rb_ctl_show_json_msf(out, "leadoutMsf", show->leadout);
	g_string_append_printf(out,
			       ",\"fits74\":%s,\"fits80\":%s,\"notes\":[",
			       show->leadout <= RB_CTL_SHOW_LEADOUT_74 ? "true" : "false",
			       show->leadout <= RB_CTL_SHOW_LEADOUT_80 ? "true" : "false");
	for (guint i = 0; i < notes->len; i++) {
		if (i > 0)
			g_string_append_c(out, ',');
		rb_ctl_json_append_string(out, g_ptr_array_index(notes, i));
	}
	g_string_append(out, "],\"problem\":");
	if (problem != NULL)
		rb_ctl_json_append_string(out, problem->message);
	else
		g_string_append(out, "null");
	g_string_append(out, "}\n");
	return g_string_free(out, FALSE);
}

/* a raw DAO stream has no sheet: its size is all there is to show */
static int
rb_ctl_show_raw(RbCtl *ctl, RbDiscImage *image)
{
	const gchar *path = rb_disc_image_get_path(image);
	GStatBuf st = {0};
	guint64 size;

	size = g_stat(path, &st) == 0 ? (guint64)st.st_size : 0;
	if (ctl->json) {
		g_autoptr(GString) out = g_string_new("{\"file\":");

		rb_ctl_json_append_string(out, path);
		g_string_append_printf(
			out, ",\"format\":\"raw\",\"streamBytes\":%" G_GUINT64_FORMAT "}\n", size);
		g_print("%s", out->str);
	} else {
		g_print(_("Image: %s (raw)\n"), path);
		g_print(_("A raw disc-at-once stream of %" PRIu64
			  " bytes, burned as it is (“rawburnctl burn --sector-type”)\n"),
			size);
	}
	return EXIT_SUCCESS;
}

int
rb_ctl_cmd_show(RbCtl *ctl, gint argc, gchar **argv, GError **error)
{
	g_auto(RbCtlCdTextOptions) cdtext = {0};
	g_autoptr(GArray) entries = g_array_new(TRUE, TRUE, sizeof(GOptionEntry));
	g_autoptr(RbDiscImage) image = NULL;
	g_autoptr(GError) problem = NULL;
	g_autofree gchar *text = NULL;
	RbCtlShow show = {0};
	guint first_start;

	rb_ctl_cdtext_options_add_entries(&cdtext, entries);
	if (!rb_ctl_parse_command_range(
		    ctl,
		    "show",
		    _("FILE…"),
		    _("Shows what an image file (CUE, TOC, NRG, CloneCD) or a list of WAV files "
		      "puts on a disc, without a recorder."),
		    (const GOptionEntry *)entries->data,
		    1,
		    RB_IMAGE_MAX_TRACKS,
		    _("“show” needs a FILE (a sheet, or WAV files)"),
		    &argc,
		    &argv,
		    error))
		return RB_CTL_EXIT_USAGE;
	if (!rb_ctl_cdtext_options_check(&cdtext, error))
		return RB_CTL_EXIT_USAGE;
	image = rb_ctl_image_open((const gchar *const *)argv + 1, error);
	if (image == NULL)
		return rb_ctl_image_exit_status(*error);
	if (rb_disc_image_get_layout(image) == NULL)
		return rb_ctl_show_raw(ctl, image);
	if (!rb_ctl_image_apply_cdtext(image, &cdtext, error))
		return rb_ctl_image_exit_status(*error);

	show.image = image;
	show.layout = rb_disc_image_get_layout(image);
	show.n_tracks = rb_image_layout_get_n_tracks(show.layout);
	/* the stream "burn" sends to a recorder with raw P-W, and "image" writes */
	if (!rb_image_layout_set_image_type(show.layout, RB_CTL_SECTOR_IS_RAW, error) ||
	    !rb_image_layout_get_leadout_start(show.layout, &show.leadout, error))
		return RB_CTL_EXIT_DATAERR;
	/* everything else is shown even when the image cannot be burned */
	rb_disc_image_check(image, 0, &problem);
	show.n_sectors = rb_image_layout_get_n_sectors(show.layout);
	show.sector_size = rb_image_layout_get_sector_size(show.layout);
	first_start = (guint)MAX(rb_image_layout_get_track(show.layout, 0)->start, 0);
	show.playing_sectors = (guint32)MAX(show.leadout - (gint32)first_start, 0);

	text = ctl->json ? rb_ctl_show_json(&show, problem) : rb_ctl_show_text(&show);
	g_print("%s", text);
	if (problem != NULL) {
		g_propagate_error(error, g_steal_pointer(&problem));
		return rb_ctl_image_exit_status(*error);
	}
	return EXIT_SUCCESS;
}
