/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CloneCD images into the image: a .ccd sheet (rb-disc-clonecd-sheet.c),
 * an .img of 2352-byte sectors from LBA 0 to the lead-out, as READ CD
 * returns them (data descrambled, so scrambled on the way), and an
 * optional .sub of 96 bytes per .img sector, checked against the sheet
 * (rb-disc-clonecd-sub.c). The .sub is then burned as it is (the core's
 * sub-channel source, raw P-W), so R-W data (CD+G, CD-TEXT in the program
 * area) is copied exactly; without a .sub the sub-channel is generated.
 * Except for one thing: a sector whose .sub Q the service's stream check
 * cannot read (a bad CRC, an ADR other than 1, 2 or 3, a field that is no
 * BCD: rb_stream_check_q) gets the layout's Q in its place, P and R-W kept
 * (RB_DISC_SEGMENT_REPAIR_Q). Dumps of scratched discs have such sectors,
 * and the service stops a burn at the first (its stream check refuses a Q
 * it cannot read), which would cost the disc half-way; a read error is not
 * worth copying, and rawburn burns what the sheet says, not a copy
 * protection, so protections that rely on bad Q (LibCrypt) are not kept
 * (the note says so and counts the sectors). A Q with a good CRC that
 * disagrees with the sheet is still refused before burning: that is no
 * read error.
 * A data track's mode is its first sector's, which must agree with the
 * sheet's MODE.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <inttypes.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rb-disc-clonecd-private.h"
#include "rb-disc-file.h"

#define RB_CCD_IMAGE_TYPE_RAW 3 /* IS_RAW: the sub-channel source needs raw P-W */

/* a data track's type from the mode byte of its first sector's header */
static gboolean
rb_ccd_data_type(RbCcd *ccd, gint fd, guint n, RbCdSectorType *type, GError **error)
{
	RbCcdTrack *t = &ccd->tracks[n];
	static const guint8 sync[12] = {
		0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00};
	guint8 head[24] = {0};
	gint mode;

	if (pread(fd, head, sizeof(head), (off_t)t->start * RB_CD_MAIN_SIZE) != sizeof(head) ||
	    memcmp(head, sync, sizeof(sync)) != 0 || (head[15] != 1 && head[15] != 2))
		return rb_ccd_fail(error,
				   RB_DISC_IMAGE_ERROR_MISMATCH,
				   ccd,
				   t->line,
				   _("track %u is data, but the .img sector at LBA %d is no Mode 1 "
				     "or Mode 2 data sector: the .img does not belong to this "
				     "sheet"),
				   n,
				   t->start);
	mode = head[15];
	if (t->mode >= 0 && t->mode != mode)
		return rb_ccd_fail(error,
				   RB_DISC_IMAGE_ERROR_MISMATCH,
				   ccd,
				   t->line,
				   _("track %u has MODE=%d, but its first sector says Mode %d: "
				     "fix the sheet"),
				   n,
				   t->mode,
				   mode);
	/* CD-ROM XA: the sub-mode's form 2 bit (byte 18) */
	*type = mode == 1 ? RB_CD_SECTOR_MODE1_RAW
			  : ((head[18] & 0x20) != 0 ? RB_CD_SECTOR_MODE2_FORM2_RAW
						    : RB_CD_SECTOR_MODE2_FORM1_RAW);
	return TRUE;
}

static gboolean
rb_ccd_layout_error(RbCcd *ccd, guint line, GError *error_local, GError **error)
{
	return rb_ccd_fail(
		error, RB_DISC_IMAGE_ERROR_INVALID, ccd, line, "%s", error_local->message);
}

static gboolean
rb_ccd_build(RbDiscImage *image, RbCcd *ccd, const gchar *img, gint fd, GError **error)
{
	RbImageLayout *layout = image->layout;
	g_autoptr(GError) error_local = NULL;

	if (ccd->first != 1 &&
	    !rb_image_layout_set_starting_track_number(layout, ccd->first, &error_local))
		return rb_ccd_layout_error(ccd, 0, error_local, error);
	if (ccd->catalog != NULL && ccd->catalog[0] != '\0' &&
	    !rb_image_layout_set_mcn(layout, ccd->catalog, &error_local))
		return rb_ccd_layout_error(ccd, 0, error_local, error);
	for (guint n = ccd->first; n <= ccd->last; n++) {
		RbCcdTrack *t = &ccd->tracks[n];
		guint i = n - ccd->first;
		gint32 next = n < ccd->last ? (ccd->tracks[n + 1].has_index[0]
						       ? ccd->tracks[n + 1].indexes[0]
						       : ccd->tracks[n + 1].start)
					    : ccd->leadout;
		gint32 from = t->has_index[0] ? t->indexes[0] : t->start;
		RbCdSectorType type = RB_CD_SECTOR_AUDIO;
		gboolean data = (t->control & RB_CCD_CTL_DATA) != 0;
		/* track 1's 150 sectors before LBA 0 are never in the .img */
		guint32 generated = i == 0 ? RB_IMAGE_PREGAP_SECTORS : 0;

		if (data && !rb_ccd_data_type(ccd, fd, n, &type, error))
			return FALSE;
		if (!rb_image_layout_add_track(
			    layout, type, (guint32)(next - t->start), NULL, &error_local) ||
		    !rb_image_layout_track_set_pregap(
			    layout, i, generated + (guint32)(t->start - from), &error_local) ||
		    (t->isrc != NULL && t->isrc[0] != '\0' &&
		     !rb_image_layout_track_set_isrc(layout, i, t->isrc, &error_local)) ||
		    !rb_image_layout_track_set_copy(layout,
						    i,
						    (t->control & RB_CCD_CTL_COPY) != 0
							    ? RB_IMAGE_COPY_PERMITTED
							    : RB_IMAGE_COPY_PROHIBITED,
						    &error_local) ||
		    (!data && (t->control & RB_CCD_CTL_PREEMPHASIS) != 0 &&
		     !rb_image_layout_track_set_preemphasis(layout, i, TRUE, &error_local)))
			return rb_ccd_layout_error(ccd, t->line, error_local, error);
		for (guint k = 2; k <= t->n_indexes; k++) {
			if (!rb_image_layout_track_add_index(layout,
							     i,
							     (guint32)(t->indexes[k] - t->start),
							     NULL,
							     &error_local))
				return rb_ccd_layout_error(ccd, t->line, error_local, error);
		}
		if (generated > 0 && data)
			rb_disc_image_add_empty_raw(image, i, generated);
		else
			rb_disc_image_add_zero(image, i, (guint64)generated * RB_CD_MAIN_SIZE);
		rb_disc_image_add_file(image,
				       i,
				       img,
				       (guint64)from * RB_CD_MAIN_SIZE,
				       (guint64)(next - from) * RB_CD_MAIN_SIZE,
				       data ? RB_DISC_SEGMENT_SCRAMBLE : RB_DISC_SEGMENT_NONE);
		rb_disc_image_set_origin(image, i, ccd->path, t->line);
	}
	if (ccd->cdtext->len > 0) {
		image->cdtext = rb_cdtext_decode(ccd->cdtext->data, ccd->cdtext->len, &error_local);
		if (image->cdtext == NULL)
			return rb_ccd_fail(
				error,
				RB_DISC_IMAGE_ERROR_SYNTAX,
				ccd,
				0,
				_("the [CDText] packs cannot be read (%s): fix or remove "
				  "the section"),
				error_local->message);
	}
	if (ccd->ignored_entries > 0)
		rb_disc_image_add_note(image,
				       _("%u TOC entries of other kinds than tracks (ADR 5: "
					 "recordable disc information) were ignored"),
				       ccd->ignored_entries);
	return TRUE;
}

/* @ccd's stem with the extension @ext, in whatever case is there */
static gchar *
rb_ccd_sibling(RbDiscImage *image, const gchar *path, const gchar *ext)
{
	const gchar *dot = strrchr(path, '.');
	g_autofree gchar *stem = dot != NULL ? g_strndup(path, dot - path) : g_strdup(path);
	g_autofree gchar *name = g_strconcat(stem, ".", ext, NULL);
	g_autofree gchar *base = g_path_get_basename(name);

	return rb_disc_image_resolve_path(image, base);
}

RbDiscImage *
rb_disc_clonecd_read(const gchar *path, GError **error)
{
	g_autoptr(RbDiscImage) image = rb_disc_image_new(RB_DISC_IMAGE_FORMAT_CLONECD, path);
	g_autofree gchar *text = NULL;
	g_autofree gchar *img = NULL;
	g_autofree gchar *sub = NULL;
	g_autoptr(GError) error_local = NULL;
	g_autoptr(RbCcd) ccd = rb_ccd_new(path);
	gsize length = 0;
	gboolean ok;
	gint fd;

	/* checked before it is read: a FIFO or a huge sparse file is refused */
	text = rb_disc_file_read(path, RB_CCD_SHEET_MAX, &length, error);
	ok = text != NULL && rb_ccd_parse(ccd, text, error) && rb_ccd_check_tracks(ccd, error);
	if (ok) {
		img = rb_ccd_sibling(image, path, "img");
		sub = rb_ccd_sibling(image, path, "sub");
		fd = g_open(img, O_RDONLY | O_CLOEXEC | O_NOCTTY, 0);
		if (fd < 0) {
			ok = rb_ccd_fail(error,
					 RB_DISC_IMAGE_ERROR_FILE,
					 ccd,
					 0,
					 _("its sectors “%s” cannot be opened (%s): put the .img "
					   "beside the .ccd, with the same name"),
					 img,
					 g_strerror(errno));
		} else {
			ok = rb_ccd_build(image, ccd, img, fd, error);
			close(fd);
		}
	}
	if (ok && g_file_test(sub, G_FILE_TEST_EXISTS)) {
		ok = rb_ccd_check_sub(image, ccd, sub, error);
		if (ok && (!rb_image_layout_set_image_type(
				   image->layout, RB_CCD_IMAGE_TYPE_RAW, &error_local) ||
			   !rb_image_layout_add_subchannel_source(image->layout, &error_local)))
			ok = rb_ccd_layout_error(ccd, 0, error_local, error);
		if (ok)
			rb_disc_image_add_file(image,
					       RB_IMAGE_SOURCE_SUBCHANNEL,
					       sub,
					       0,
					       (guint64)ccd->leadout * RB_SUBCHANNEL_PW_SIZE,
					       RB_DISC_SEGMENT_SUB_CHANNELS |
						       RB_DISC_SEGMENT_REPAIR_Q);
	} else if (ok) {
		rb_disc_image_add_note(image,
				       _("no .sub beside the .ccd: the sub-channel is generated "
					 "from the sheet, R-W data of the original is not copied"));
	}
	if (!ok)
		return NULL;
	return g_steal_pointer(&image);
}
