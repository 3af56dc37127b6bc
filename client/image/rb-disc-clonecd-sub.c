/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The CloneCD .sub as the reader's second opinion. libcdio 2.1 does not
 * read CloneCD images, so the reader is rawburn's own; the .sub holds the
 * source disc's sub-channel, 96 bytes per .img sector, channel after
 * channel (12 bytes of P, of Q, … of W). Every Q is judged as the
 * service's stream check judges it (rb_stream_check_q), so that no Q the
 * service refuses mid-burn gets past this: the ones it cannot read (a bad
 * CRC, an unknown mode, a field that is no BCD) are counted, the stream
 * burns the layout's Q there (rb-disc-clonecd.c says why) and the note says
 * so; every other mode-1 Q must say the track, index and absolute time the
 * .ccd's layout gives that LBA, and a .sub that disagrees is refused before
 * anything is burned (a protected or damaged image needs a tool that burns
 * it as such).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <inttypes.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rb-disc-clonecd-private.h"
#include "rb-msf.h"
#include "rb-stream-check.h"

#define RB_CCD_SUB_CHUNK 75 /* sectors read at once for the Q check */

/* the track number and index the layout gives @lba of the program area */
static void
rb_ccd_expected(const RbImageLayout *layout, gint32 lba, guint *number, guint *index)
{
	guint n_tracks = rb_image_layout_get_n_tracks(layout);
	const RbImageTrack *t = rb_image_layout_get_track(layout, 0);

	for (guint i = 1; i < n_tracks; i++) {
		const RbImageTrack *next = rb_image_layout_get_track(layout, i);

		if (next->pregap_start > lba)
			break;
		t = next;
	}
	*number = t->number;
	*index = 0;
	for (guint k = 0; lba >= t->start && k < t->n_indexes; k++) {
		if (t->start + (gint32)t->indexes[k] <= lba)
			*index = k + 1;
	}
}

/*
 * Every sector's Q with a good CRC and ADR 1 against the layout; the .sub
 * is read once, a second at a time.
 */
gboolean
rb_ccd_check_sub(RbDiscImage *image, const RbCcd *ccd, const gchar *sub, GError **error)
{
	g_autofree guint8 *buf = g_malloc(RB_CCD_SUB_CHUNK * RB_SUBCHANNEL_PW_SIZE);
	guint repaired = 0;
	struct stat st;
	gint fd = g_open(sub, O_RDONLY | O_CLOEXEC | O_NOCTTY, 0);
	guint64 need = (guint64)ccd->leadout * RB_SUBCHANNEL_PW_SIZE;

	if (fd < 0 || fstat(fd, &st) != 0 || (guint64)st.st_size < need) {
		if (fd >= 0)
			close(fd);
		return rb_ccd_fail(error,
				   RB_DISC_IMAGE_ERROR_FILE_TOO_SHORT,
				   ccd,
				   0,
				   _("“%s” has %" PRIu64 " bytes, but the %d sectors up "
				     "to the lead-out need %" PRIu64
				     ": the .sub is truncated; read the disc again, or move "
				     "the .sub away to burn with a generated sub-channel"),
				   sub,
				   fd >= 0 ? (guint64)st.st_size : 0,
				   ccd->leadout,
				   need);
	}
	for (gint32 lba = 0; lba < ccd->leadout; lba += RB_CCD_SUB_CHUNK) {
		guint n = (guint)MIN(RB_CCD_SUB_CHUNK, ccd->leadout - lba);
		gsize len = (gsize)n * RB_SUBCHANNEL_PW_SIZE;

		if (pread(fd, buf, len, (off_t)lba * RB_SUBCHANNEL_PW_SIZE) != (gssize)len) {
			close(fd);
			return rb_ccd_fail(error,
					   RB_DISC_IMAGE_ERROR_FILE,
					   ccd,
					   0,
					   _("“%s” cannot be read: %s"),
					   sub,
					   g_strerror(errno));
		}
		for (guint s = 0; s < n; s++) {
			const guint8 *q = buf + s * RB_SUBCHANNEL_PW_SIZE + 12;
			g_autoptr(GError) refused = NULL;
			guint number;
			guint index;
			guint8 tno = 0;
			guint8 idx = 0;
			RbMsf msf = {0};
			gint32 at = lba + (gint32)s;

			/* what RB_DISC_SEGMENT_REPAIR_Q replaces in the stream: the
			 * .sub is burned as raw P-W */
			if (!rb_stream_check_q(RB_DATA_BLOCK_TYPE_RAW_PW, at, q, &refused) &&
			    (g_error_matches(
				     refused, RB_STREAM_CHECK_ERROR, RB_STREAM_CHECK_ERROR_Q_CRC) ||
			     g_error_matches(refused,
					     RB_STREAM_CHECK_ERROR,
					     RB_STREAM_CHECK_ERROR_Q_MODE))) {
				repaired++;
				continue;
			}
			if (refused == NULL && (q[0] & 0x0F) != RB_SUBQ_ADR_POSITION)
				continue;
			/* a readable mode-1 Q: a lead-in TNO or another time is
			 * refused as a disagreement, whatever the comparison says */
			rb_ccd_expected(image->layout, at, &number, &index);
			if (refused != NULL || !rb_bcd_decode(q[1], &tno) ||
			    !rb_bcd_decode(q[2], &idx) || !rb_bcd_decode(q[7], &msf.minute) ||
			    !rb_bcd_decode(q[8], &msf.second) || !rb_bcd_decode(q[9], &msf.frame) ||
			    tno != number || idx != index || rb_msf_to_lba(msf) != at) {
				close(fd);
				return rb_ccd_fail(
					error,
					RB_DISC_IMAGE_ERROR_MISMATCH,
					ccd,
					0,
					_("at LBA %d the .sub's Q says track %02x index %02x at "
					  "%02x:%02x:%02x, the sheet track %u index %u: the image "
					  "is protected or damaged and needs a tool that burns it "
					  "as such, or move the .sub away to burn with a "
					  "generated sub-channel"),
					at,
					q[1],
					q[2],
					q[7],
					q[8],
					q[9],
					number,
					index);
			}
		}
	}
	close(fd);
	if (repaired > 0)
		rb_disc_image_add_note(
			image,
			g_dngettext(GETTEXT_PACKAGE,
				    "%u sector of the .sub has a Q with a bad CRC, an unknown "
				    "mode or a field that is no BCD (a read error of the source "
				    "disc): it was repaired, its "
				    "Q burned as the sheet gives it, its P and R-W as the .sub "
				    "has them; copy protection relying on bad Q (LibCrypt) is not "
				    "kept",
				    "%u sectors of the .sub have a Q with a bad CRC, an unknown "
				    "mode or a field that is no BCD (read errors of the source "
				    "disc): they were repaired, "
				    "their Q burned as the sheet gives it, their P and R-W as the "
				    ".sub has them; copy protection relying on bad Q (LibCrypt) is "
				    "not kept",
				    repaired),
			repaired);
	return TRUE;
}
