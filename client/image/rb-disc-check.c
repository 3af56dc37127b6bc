/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What can be checked of an image before a disc is touched (a burned disc
 * is the user's money): the CD-TEXT encodes, the layout keeps the rules,
 * every file is there and long enough for its tracks, the first raw data
 * sector of each file says the address and mode the sheet gives it, and
 * the disc fits the medium. Each error names the sheet (and line), the data
 * file, and what to do.
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <inttypes.h>
#include <glib/gstdio.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rb-disc-image-private.h"
#include "rb-msf.h"

/* "disc.cue line 7" or "disc.cue", for the track's messages */
static gchar *
rb_disc_check_where(const RbDiscImage *image, guint track_index)
{
	const RbDiscOrigin *origin =
		track_index < RB_IMAGE_MAX_TRACKS ? &image->origins[track_index] : NULL;

	if (origin != NULL && origin->file != NULL && origin->line > 0)
		return g_strdup_printf(_("%s line %u"), origin->file, origin->line);
	if (origin != NULL && origin->file != NULL)
		return g_strdup(origin->file);
	return g_strdup(image->path);
}

static gboolean
rb_disc_check_cdtext(RbDiscImage *image, GError **error)
{
	RbImageLayout *layout = image->layout;
	guint n_tracks = rb_image_layout_get_n_tracks(layout);
	g_autoptr(GBytes) packs = NULL;
	g_autoptr(GError) error_local = NULL;

	if (image->cdtext == NULL || rb_cdtext_is_empty(image->cdtext) || n_tracks == 0)
		return rb_image_layout_set_cdtext(layout, NULL, error);
	packs = rb_cdtext_encode(image->cdtext,
				 rb_image_layout_get_track(layout, 0)->number,
				 rb_image_layout_get_track(layout, n_tracks - 1)->number,
				 &error_local);
	if (packs == NULL) {
		g_set_error(error,
			    RB_DISC_IMAGE_ERROR,
			    g_error_matches(error_local, RB_CDTEXT_ERROR, RB_CDTEXT_ERROR_CHARSET)
				    ? RB_DISC_IMAGE_ERROR_UNSUPPORTED
				    : RB_DISC_IMAGE_ERROR_INVALID,
			    _("%s: CD-TEXT: %s"),
			    image->path,
			    error_local->message);
		return FALSE;
	}
	return rb_image_layout_set_cdtext(layout, packs, error);
}

/* the bytes each source must give, from the layout */
static guint64
rb_disc_check_source_need(const RbImageLayout *layout, guint source)
{
	if (source == RB_IMAGE_SOURCE_SUBCHANNEL) {
		gint32 leadout = 0;

		if (!rb_image_layout_has_subchannel_source(layout) ||
		    !rb_image_layout_get_leadout_start(layout, &leadout, NULL))
			return 0;
		return (guint64)MAX(leadout, 0) * RB_SUBCHANNEL_PW_SIZE;
	}
	if (source < rb_image_layout_get_n_tracks(layout)) {
		const RbImageTrack *t = rb_image_layout_get_track(layout, source);

		return (guint64)(t->pregap_sectors + t->n_sectors) *
		       rb_cd_sector_type_get_input_size(t->type);
	}
	return 0;
}

/* a raw data sector's header against the address and mode the sheet gives it */
static gboolean
rb_disc_check_raw_header(const RbDiscImage *image,
			 guint track_index,
			 const RbDiscSegment *segment,
			 gint32 lba,
			 GError **error)
{
	const RbImageTrack *t = rb_image_layout_get_track(image->layout, track_index);
	static const guint8 sync[12] = {
		0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00};
	guint8 sector[16];
	guint8 want[4];
	RbMsf msf;
	gint fd;
	gssize n;

	if (!rb_cd_sector_type_is_data(t->type) || !rb_cd_sector_type_is_raw(t->type))
		return TRUE;
	fd = g_open(segment->path, O_RDONLY | O_CLOEXEC | O_NOCTTY, 0);
	if (fd < 0)
		return TRUE; /* reported by the file check */
	n = pread(fd, sector, sizeof(sector), (off_t)segment->offset);
	close(fd);
	if (n != (gssize)sizeof(sector) || !rb_msf_from_lba(lba, &msf))
		return TRUE;
	rb_bcd_encode(msf.minute, &want[0]);
	rb_bcd_encode(msf.second, &want[1]);
	rb_bcd_encode(msf.frame, &want[2]);
	want[3] = (guint8)rb_cd_sector_type_get_mode(t->type);
	if (memcmp(sector + 12, want, sizeof(want)) == 0 && memcmp(sector, sync, sizeof(sync)) == 0)
		return TRUE;
	{
		g_autofree gchar *where = rb_disc_check_where(image, track_index);

		g_set_error(error,
			    RB_DISC_IMAGE_ERROR,
			    RB_DISC_IMAGE_ERROR_MISMATCH,
			    _("%s: the sector at byte %" PRIu64
			      " of “%s” says %02x:%02x:%02x mode %u, but the sheet puts it at "
			      "%02u:%02u:%02u (track %u, mode %u): the data file does not belong "
			      "to this sheet, or starts at another address"),
			    where,
			    segment->offset,
			    segment->path,
			    sector[12],
			    sector[13],
			    sector[14],
			    sector[15],
			    msf.minute,
			    msf.second,
			    msf.frame,
			    t->number,
			    want[3]);
	}
	return FALSE;
}

static gboolean
rb_disc_check_segments(RbDiscImage *image, guint source, GError **error)
{
	GArray *segments = image->sources[source];
	gboolean is_track = source < rb_image_layout_get_n_tracks(image->layout);
	guint64 position = 0;
	gsize sector_in = 0;
	gint32 first_lba = 0;

	if (is_track) {
		const RbImageTrack *t = rb_image_layout_get_track(image->layout, source);

		sector_in = rb_cd_sector_type_get_input_size(t->type);
		first_lba = t->pregap_start;
	}
	for (guint i = 0; segments != NULL && i < segments->len; i++) {
		const RbDiscSegment *segment = &g_array_index(segments, RbDiscSegment, i);
		g_autofree gchar *where = rb_disc_check_where(image, is_track ? source : G_MAXUINT);
		struct stat st;

		if (segment->kind == RB_DISC_SEGMENT_FILE) {
			if (g_stat(segment->path, &st) != 0 || !S_ISREG(st.st_mode)) {
				const gchar *why = g_stat(segment->path, &st) != 0
							   ? g_strerror(errno)
							   : _("not a regular file");

				g_set_error(error,
					    RB_DISC_IMAGE_ERROR,
					    RB_DISC_IMAGE_ERROR_FILE,
					    _("%s: the data file “%s” cannot be used (%s); put it "
					      "beside the sheet or fix its name"),
					    where,
					    segment->path,
					    why);
				return FALSE;
			}
			if (segment->offset + segment->data_length > (guint64)st.st_size) {
				g_set_error(error,
					    RB_DISC_IMAGE_ERROR,
					    RB_DISC_IMAGE_ERROR_FILE_TOO_SHORT,
					    _("%s: “%s” has %" PRIu64
					      " bytes, but the tracks need %" PRIu64
					      " from byte %" PRIu64
					      ": the file is truncated or the sheet is wrong"),
					    where,
					    segment->path,
					    (guint64)st.st_size,
					    segment->data_length,
					    segment->offset);
				return FALSE;
			}
			if (is_track && (segment->flags & RB_DISC_SEGMENT_SCRAMBLE) != 0 &&
			    !rb_disc_check_raw_header(image,
						      source,
						      segment,
						      first_lba + (gint32)(position / sector_in),
						      error))
				return FALSE;
		}
		position += segment->length;
	}
	return TRUE;
}

static gboolean
rb_disc_check_sources(RbDiscImage *image, GError **error)
{
	for (guint source = 0; source < RB_DISC_IMAGE_N_SOURCES; source++) {
		guint64 need = rb_disc_check_source_need(image->layout, source);
		guint64 have = rb_disc_image_get_source_length(image, source);

		/* the readers' sums: a difference is a reader's bug, not the user's */
		if (need != have) {
			g_set_error(error,
				    RB_DISC_IMAGE_ERROR,
				    RB_DISC_IMAGE_ERROR_INVALID,
				    _("%s: source %u of the image has %" PRIu64
				      " bytes for %" PRIu64
				      " needed; please report this with the sheet"),
				    image->path,
				    source,
				    have,
				    need);
			return FALSE;
		}
		if (!rb_disc_check_segments(image, source, error))
			return FALSE;
	}
	return TRUE;
}

static gboolean
rb_disc_check_fits(RbDiscImage *image, gint32 last_leadout_start, GError **error)
{
	gint32 leadout = 0;
	RbMsf need;
	RbMsf have;

	if (last_leadout_start == 0 ||
	    !rb_image_layout_get_leadout_start(image->layout, &leadout, NULL) ||
	    leadout <= last_leadout_start)
		return TRUE;
	rb_msf_from_lba(leadout, &need);
	rb_msf_from_lba(last_leadout_start, &have);
	g_set_error(error,
		    RB_DISC_IMAGE_ERROR,
		    RB_DISC_IMAGE_ERROR_TOO_LONG,
		    _("%s: the disc needs its lead-out at %02u:%02u:%02u, %d sectors past the "
		      "medium's last possible lead-out start %02u:%02u:%02u: use a longer blank "
		      "(80 minutes) or leave tracks out"),
		    image->path,
		    need.minute,
		    need.second,
		    need.frame,
		    leadout - last_leadout_start,
		    have.minute,
		    have.second,
		    have.frame);
	return FALSE;
}

gboolean
rb_disc_image_check(RbDiscImage *image, gint32 last_leadout_start, GError **error)
{
	g_autoptr(GError) error_local = NULL;

	g_return_val_if_fail(image != NULL, FALSE);
	if (image->layout == NULL)
		return TRUE;
	if (!rb_disc_check_cdtext(image, error))
		return FALSE;
	if (!rb_image_layout_validate(image->layout, &error_local)) {
		g_set_error(error,
			    RB_DISC_IMAGE_ERROR,
			    g_error_matches(
				    error_local, RB_IMAGE_ERROR, RB_IMAGE_ERROR_INSUFFICIENT_SPACE)
				    ? RB_DISC_IMAGE_ERROR_TOO_LONG
				    : RB_DISC_IMAGE_ERROR_INVALID,
			    "%s: %s",
			    image->path,
			    error_local->message);
		return FALSE;
	}
	return rb_disc_check_sources(image, error) &&
	       rb_disc_check_fits(image, last_leadout_start, error);
}
