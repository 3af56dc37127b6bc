/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libcdio as the NRG reader's second opinion. What libcdio 2.1
 * (cdio_open_nrg) keeps, and what it gets wrong:
 *   - keeps, for CUEX images with index 0 and 1 per track: the track count,
 *     each track's index 1 start, the copy flag, the MCN, the ISRCs, the
 *     CD-TEXT (as text, not as packs);
 *   - gives every track the first track's mode (it reads one mode code for
 *     the disc), reads Nero's 2352-byte Mode 1 code as audio, ignores the
 *     sector size and the DAO byte offsets, computes pregaps as a byte
 *     offset divided by a sector size, and reads a track's index 2 or more
 *     as the next track;
 *   - misreads CUES (v1): the MSF bytes are taken as an LBA;
 *   - asserts (abort() with its default log handler) on chains over 4096
 *     bytes, CUEX entries it does not expect and chunk sizes it does not
 *     expect, and reads chunk bodies without checking their bounds.
 * So rawburn parses the chain itself (rb-disc-nrg-chunks.c), checks every
 * offset and size, and only then asks libcdio, for version 2 images of the
 * shape it reads, to confirm the facts both know: a disagreement is
 * refused.
 */
#include "config.h"

#include <cdio/cdio.h>
#include <glib/gi18n.h>
#include <string.h>

#include "rb-disc-cdio.h"
#include "rb-disc-nrg-private.h"

static gboolean
rb_nrg_disagree(
	GError **error, const RbNrg *nrg, const gchar *what, const gchar *ours, const gchar *cdio)
{
	return rb_nrg_fail(error,
			   RB_DISC_IMAGE_ERROR_MISMATCH,
			   nrg,
			   nrg->chain_at,
			   _("%s: rawburn reads “%s”, libcdio “%s”; rawburn will not burn an "
			     "image two readers understand differently: convert it to CUE/BIN "
			     "with Nero"),
			   what,
			   ours,
			   cdio);
}

/*
 * libcdio 2.1 frees its CD-TEXT twice (a crash) when its decoder fails: on
 * an empty chunk, a block without size information packs (8Fh), or
 * double-byte text; such images are not handed to it.
 */
static gboolean
rb_nrg_cdtext_safe_for_cdio(const RbNrg *nrg)
{
	guint used = 0;
	guint sized = 0;

	if (nrg->cdtext == NULL)
		return !nrg->cdtext_empty;
	for (gsize i = 0; i + RB_CDTEXT_PACK_SIZE <= nrg->cdtext_len; i += RB_CDTEXT_PACK_SIZE) {
		const guint8 *pack = nrg->cdtext + i;
		guint block = (pack[3] >> 4) & 0x07;

		if ((pack[3] & 0x80) != 0)
			return FALSE;
		used |= 1u << block;
		if (pack[0] == RB_CDTEXT_SIZE_INFO)
			sized |= 1u << block;
	}
	return used == sized;
}

/* what both readers say of a track, one whole translatable phrase per copy flag */
static gchar *
rb_nrg_describe_track(gint32 lba, const gchar *isrc, gboolean copy)
{
	return copy ? g_strdup_printf(_("LBA %d, ISRC %s, copy permitted"), lba, isrc)
		    : g_strdup_printf(_("LBA %d, ISRC %s, copy prohibited"), lba, isrc);
}

/* what libcdio reads of the facts the file header comment lists, against ours */
static gboolean
rb_nrg_compare(const RbNrg *nrg, GError **error)
{
	CdIo_t *cdio;
	gboolean ok = TRUE;
	g_autofree gchar *cdio_mcn = NULL;

	cdio = cdio_open_nrg(nrg->path);
	if (cdio == NULL)
		return rb_nrg_disagree(error, nrg, _("the image"), _("an NRG"), _("unreadable"));
	if (cdio_get_num_tracks(cdio) != nrg->n_tracks) {
		g_autofree gchar *ours = g_strdup_printf("%u", nrg->n_tracks);
		g_autofree gchar *theirs = g_strdup_printf("%u", cdio_get_num_tracks(cdio));

		ok = rb_nrg_disagree(error, nrg, _("the number of tracks"), ours, theirs);
	}
	for (guint i = 0; ok && i < nrg->n_tracks; i++) {
		const RbNrgTrack *t = &nrg->tracks[i];
		g_autofree gchar *isrc = cdio_get_track_isrc(cdio, (track_t)t->number);
		gboolean copy = cdio_get_track_copy_permit(cdio, (track_t)t->number) ==
				CDIO_TRACK_FLAG_TRUE;
		lsn_t lsn = cdio_get_track_lsn(cdio, (track_t)t->number);
		g_autofree gchar *what = g_strdup_printf(_("track %u"), t->number);
		g_autofree gchar *ours =
			rb_nrg_describe_track(t->indexes[0], t->isrc, t->ctl & RB_NRG_CTL_COPY);
		g_autofree gchar *theirs =
			rb_nrg_describe_track(lsn, isrc != NULL ? isrc : "", copy);

		if (strcmp(ours, theirs) != 0)
			ok = rb_nrg_disagree(error, nrg, what, ours, theirs);
	}
	cdio_mcn = cdio_get_mcn(cdio);
	if (ok && g_strcmp0(cdio_mcn != NULL ? cdio_mcn : "", nrg->mcn) != 0)
		ok = rb_nrg_disagree(error, nrg, _("the MCN"), nrg->mcn, cdio_mcn);
	/* libcdio gives every track the first track's mode (header comment) */
	if (ok && nrg->disc_byte == 0) {
		track_format_t want = TRACK_FORMAT_ERROR;
		track_format_t got = cdio_get_track_format(cdio, 1);

		switch (nrg->tracks[0].mode) {
		case RB_NRG_MODE1_2048:
			want = TRACK_FORMAT_DATA;
			break;
		case RB_NRG_MODE2_FORM1_2048:
		case RB_NRG_MODE2_2352:
			want = TRACK_FORMAT_XA;
			break;
		case RB_NRG_AUDIO_2352:
			want = TRACK_FORMAT_AUDIO;
			break;
		default:
			break;
		}
		if (want != TRACK_FORMAT_ERROR && want != got) {
			g_autofree gchar *ours = g_strdup_printf("%d", want);
			g_autofree gchar *theirs = g_strdup_printf("%d", got);

			ok = rb_nrg_disagree(error, nrg, _("track 1's format"), ours, theirs);
		}
	}
	cdio_destroy(cdio);
	return ok;
}

/*
 * libcdio's reading of the same facts (the file header comment says what it
 * knows); only for the images it reads without asserting, its complaints
 * in the debug log rather than on the user's terminal.
 */
gboolean
rb_nrg_cross_check(RbDiscImage *image, const RbNrg *nrg, GError **error)
{
	gboolean ok;

	if (!nrg->v2 || !nrg->cue_is_cdio_shape || nrg->chain_len > RB_NRG_CDIO_CHAIN_MAX ||
	    nrg->odd_chunk_sizes > 0 || nrg->tracks[0].number != 1 ||
	    !rb_nrg_cdtext_safe_for_cdio(nrg)) {
		rb_disc_image_add_note(image,
				       _("libcdio 2.1 cannot read this NRG's layout; it was "
					 "checked by rawburn's own reading only"));
		return TRUE;
	}
	rb_disc_cdio_log_begin();
	ok = rb_nrg_compare(nrg, error);
	/* its complaints are in the debug log; the comparison says what matters */
	g_free(rb_disc_cdio_log_end());
	return ok;
}
