/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The NRG chunk chain. Nero NRG images hold the disc's data first, then a
 * chain of chunks (4-byte id, 32-bit big-endian length, body), then a
 * footer giving the chain's offset: "NERO" + 32-bit (version 1) or "NER5"
 * + 64-bit (version 2) in the last 8 or 12 bytes. All integers are
 * big-endian. The chunks rawburn reads (the layout as libcdio's
 * lib/driver/image/nrg.h and libmirage's image-nrg parser both describe
 * it):
 *   CUES (v1, start as 0:M:S:F) / CUEX (v2, start as a signed LBA): 8 bytes
 *     per entry: ADR (low nibble) and control (high nibble), track (BCD; 0
 *     the lead-in, AAh the lead-out), index (BCD), 0, start;
 *   DAOI (v1, 32-bit offsets) / DAOX (v2, 64-bit): a 22-byte header (size,
 *     MCN[13], 3 bytes, first and last track) and per track ISRC[12],
 *     sector size (16-bit), mode code, 3 bytes, and the file offsets of
 *     index 0, index 1 and the track's end;
 *   CDTX: the CD-TEXT packs, 18 bytes each; SINF, MTYP, TOCT, RELO, VOLM:
 *     nothing a DAO copy needs; END!: the chain's end.
 * Mode codes: 00h Mode 1 2048, 02h Mode 2 Form 1 2048, 03h Mode 2 2336,
 * 05h Mode 1 2352, 06h Mode 2 2352, 07h audio 2352, 0Fh/10h/11h the same
 * with 96 bytes of P-W after each sector (2448).
 * Every offset and size is checked against the file before it is used;
 * refused here: track-at-once images (ETNF/ETN2: no pregaps or indexes are
 * recorded, the tracks were written with run-in and run-out gaps), more
 * than one session, chunks rawburn does not know.
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>

#include "rb-disc-nrg-private.h"

static guint32
rb_nrg_be32(const guint8 *p)
{
	return (guint32)p[0] << 24 | (guint32)p[1] << 16 | (guint32)p[2] << 8 | p[3];
}

static guint64
rb_nrg_be64(const guint8 *p)
{
	return (guint64)rb_nrg_be32(p) << 32 | rb_nrg_be32(p + 4);
}

gboolean
rb_nrg_fail(GError **error, gint code, const RbNrg *nrg, guint64 at, const gchar *format, ...)
{
	g_autofree gchar *what = NULL;
	va_list args;

	va_start(args, format);
	what = g_strdup_vprintf(format, args);
	va_end(args);
	g_set_error(error,
		    RB_DISC_IMAGE_ERROR,
		    code,
		    _("%s, byte %" PRIu64 ": %s"),
		    nrg->path,
		    at,
		    what);
	return FALSE;
}

static gboolean
rb_nrg_bcd(guint8 bcd, guint *value)
{
	if ((bcd >> 4) > 9 || (bcd & 0x0F) > 9)
		return FALSE;
	*value = (bcd >> 4) * 10u + (bcd & 0x0F);
	return TRUE;
}

gboolean
rb_nrg_read_chain(RbNrg *nrg, gint fd, GError **error)
{
	guint8 tail[12];
	guint64 end;

	if (nrg->size < sizeof(tail) ||
	    pread(fd, tail, sizeof(tail), (off_t)(nrg->size - sizeof(tail))) != sizeof(tail))
		return rb_nrg_fail(error,
				   RB_DISC_IMAGE_ERROR_SYNTAX,
				   nrg,
				   0,
				   _("the file is too short for an NRG footer"));
	if (memcmp(tail, "NER5", 4) == 0) {
		nrg->v2 = TRUE;
		nrg->chain_at = rb_nrg_be64(tail + 4);
		end = nrg->size - 12;
	} else if (memcmp(tail + 4, "NERO", 4) == 0) {
		nrg->chain_at = rb_nrg_be32(tail + 8);
		end = nrg->size - 8;
	} else {
		return rb_nrg_fail(error,
				   RB_DISC_IMAGE_ERROR_SYNTAX,
				   nrg,
				   nrg->size - sizeof(tail),
				   _("no “NER5” or “NERO” footer: this is not a Nero image"));
	}
	if (nrg->chain_at >= end || end - nrg->chain_at > RB_NRG_CHAIN_MAX)
		return rb_nrg_fail(error,
				   RB_DISC_IMAGE_ERROR_SYNTAX,
				   nrg,
				   nrg->size - sizeof(tail),
				   _("the footer puts the chunks at byte %" PRIu64
				     ", outside the file's last %u KiB: the image is damaged or "
				     "was not written completely"),
				   nrg->chain_at,
				   RB_NRG_CHAIN_MAX / 1024);
	nrg->chain_len = (gsize)(end - nrg->chain_at);
	nrg->chain = g_malloc(nrg->chain_len);
	if (pread(fd, nrg->chain, nrg->chain_len, (off_t)nrg->chain_at) != (gssize)nrg->chain_len)
		return rb_nrg_fail(error,
				   RB_DISC_IMAGE_ERROR_FILE,
				   nrg,
				   nrg->chain_at,
				   _("the chunks cannot be read: %s"),
				   g_strerror(errno));
	return TRUE;
}

/* CUES / CUEX: the tracks, their indexes and control nibbles, the lead-out */
static gboolean
rb_nrg_parse_cue(RbNrg *nrg, const guint8 *body, guint32 len, gboolean msf, GError **error)
{
	guint64 at = nrg->chain_at + (guint64)(body - nrg->chain);
	guint n = len / 8;
	gboolean leadout_seen = FALSE;

	nrg->cue_is_cdio_shape = !msf;
	if (len % 8 != 0 || n < 3)
		return rb_nrg_fail(error,
				   RB_DISC_IMAGE_ERROR_SYNTAX,
				   nrg,
				   at - 8,
				   _("the cue sheet chunk has %u bytes, not whole 8-byte entries "
				     "for a lead-in, a track and a lead-out: the image is damaged"),
				   len);
	for (guint i = 0; i < n; i++) {
		const guint8 *e = body + i * 8;
		guint64 e_at = at + i * 8;
		guint track = 0;
		guint index = 0;
		gint32 lba;
		RbNrgTrack *t;

		if (msf) /* 0:M:S:F, binary, from 00:00:00 = LBA -150 */
			lba = ((gint32)e[5] * 60 + e[6]) * 75 + e[7] - 150;
		else
			lba = (gint32)rb_nrg_be32(e + 4);
		if (leadout_seen || !rb_nrg_bcd(e[2], &index) ||
		    (e[1] != RB_NRG_LEADOUT && !rb_nrg_bcd(e[1], &track)))
			return rb_nrg_fail(
				error,
				RB_DISC_IMAGE_ERROR_SYNTAX,
				nrg,
				e_at,
				_("cue sheet entry %u (track %02x index %02x) is not a "
				  "track, index or lead-out entry: the image is damaged"),
				i,
				e[1],
				e[2]);
		/* a time Q can say (00:00:00 to 99:59:74), so that no
		 * difference of two overflows and no start is made up */
		if (lba < RB_NRG_LBA_MIN || lba > RB_NRG_LBA_MAX)
			return rb_nrg_fail(
				error,
				RB_DISC_IMAGE_ERROR_SYNTAX,
				nrg,
				e_at,
				_("cue sheet entry %u (track %02x index %02x) is at LBA %d, "
				  "outside a disc (%d to %d): the image is damaged"),
				i,
				e[1],
				e[2],
				lba,
				RB_NRG_LBA_MIN,
				RB_NRG_LBA_MAX);
		if (i == 0) {
			/* the lead-in entry; libcdio asserts it is at -150 */
			if (e[1] != 0 || lba != -150)
				return rb_nrg_fail(
					error,
					RB_DISC_IMAGE_ERROR_SYNTAX,
					nrg,
					e_at,
					_("the cue sheet does not start with the lead-in "
					  "entry at 00:00:00: the image is damaged"));
			continue;
		}
		if (e[1] == RB_NRG_LEADOUT) {
			nrg->leadout = lba;
			leadout_seen = TRUE;
			continue;
		}
		if (nrg->n_tracks == 0 || nrg->tracks[nrg->n_tracks - 1].number != track) {
			const RbNrgTrack *previous =
				nrg->n_tracks > 0 ? &nrg->tracks[nrg->n_tracks - 1] : NULL;

			/* every later check reads the previous track's index 1 */
			if (previous != NULL && previous->n_indexes == 0)
				return rb_nrg_fail(error,
						   RB_DISC_IMAGE_ERROR_SYNTAX,
						   nrg,
						   e_at,
						   _("track %u has no index 1 before track %u "
						     "in the cue sheet: the image is damaged"),
						   previous->number,
						   track);
			if (previous != NULL && index == 0 &&
			    lba <= previous->indexes[previous->n_indexes - 1])
				return rb_nrg_fail(error,
						   RB_DISC_IMAGE_ERROR_SYNTAX,
						   nrg,
						   e_at,
						   _("track %u index 0 (LBA %d) is not after track "
						     "%u's last index in the cue sheet: the image "
						     "is damaged"),
						   track,
						   lba,
						   previous->number);
			if (nrg->n_tracks == RB_IMAGE_MAX_TRACKS ||
			    (nrg->n_tracks > 0 &&
			     track != nrg->tracks[nrg->n_tracks - 1].number + 1) ||
			    track == 0 || index > 1)
				return rb_nrg_fail(error,
						   RB_DISC_IMAGE_ERROR_SYNTAX,
						   nrg,
						   e_at,
						   _("track %u index %u is out of order in the cue "
						     "sheet: the image is damaged"),
						   track,
						   index);
			t = &nrg->tracks[nrg->n_tracks++];
			t->number = track;
			nrg->cue_is_cdio_shape = nrg->cue_is_cdio_shape && index == 0;
		}
		t = &nrg->tracks[nrg->n_tracks - 1];
		if (index == 0) {
			t->has_index0 = TRUE;
			t->index0 = lba;
			continue;
		}
		if (index != t->n_indexes + 1 ||
		    (t->n_indexes > 0 && lba <= t->indexes[t->n_indexes - 1]) ||
		    (t->has_index0 && lba < t->index0) ||
		    (nrg->n_tracks > 1 && t->n_indexes == 0 &&
		     lba <= nrg->tracks[nrg->n_tracks - 2].indexes[0]))
			return rb_nrg_fail(
				error,
				RB_DISC_IMAGE_ERROR_SYNTAX,
				nrg,
				e_at,
				_("track %u index %u (LBA %d) is out of order in the cue "
				  "sheet: the image is damaged"),
				track,
				index,
				lba);
		nrg->cue_is_cdio_shape = nrg->cue_is_cdio_shape && index == 1;
		if (index == 1)
			t->ctl = e[0] >> 4;
		t->indexes[t->n_indexes++] = lba;
	}
	if (!leadout_seen || nrg->n_tracks == 0 || nrg->tracks[nrg->n_tracks - 1].n_indexes == 0 ||
	    nrg->leadout <= nrg->tracks[nrg->n_tracks - 1].indexes[0])
		return rb_nrg_fail(error,
				   RB_DISC_IMAGE_ERROR_SYNTAX,
				   nrg,
				   at,
				   _("the cue sheet has no tracks with an index 1, or no lead-out "
				     "after them: the image is damaged"));
	return TRUE;
}

/* DAOI / DAOX: MCN, and per track ISRC, sector size, mode, byte offsets */
static gboolean
rb_nrg_parse_dao(RbNrg *nrg, const guint8 *body, guint32 len, gboolean wide, GError **error)
{
	guint64 at = nrg->chain_at + (guint64)(body - nrg->chain);
	gsize entry = wide ? 42 : 30;
	guint n;

	if (len < RB_NRG_DAO_HEADER || (len - RB_NRG_DAO_HEADER) % entry != 0)
		return rb_nrg_fail(error,
				   RB_DISC_IMAGE_ERROR_SYNTAX,
				   nrg,
				   at - 8,
				   _("the disc-at-once chunk has %u bytes, not a header and whole "
				     "track entries: the image is damaged"),
				   len);
	n = (len - RB_NRG_DAO_HEADER) / entry;
	if (n != nrg->n_tracks || body[20] != nrg->tracks[0].number ||
	    body[21] != nrg->tracks[nrg->n_tracks - 1].number)
		return rb_nrg_fail(error,
				   RB_DISC_IMAGE_ERROR_SYNTAX,
				   nrg,
				   at,
				   _("the disc-at-once chunk lists tracks %u-%u (%u entries), the "
				     "cue sheet %u tracks from %u: the image is damaged"),
				   body[20],
				   body[21],
				   n,
				   nrg->n_tracks,
				   nrg->tracks[0].number);
	for (guint i = 0; i < RB_IMAGE_MCN_LENGTH; i++)
		nrg->mcn[i] = g_ascii_isdigit(body[4 + i]) ? (gchar)body[4 + i] : '\0';
	nrg->mcn[body[4] == 0 ? 0 : RB_IMAGE_MCN_LENGTH] = '\0';
	nrg->disc_byte = body[18];
	for (guint i = 0; i < n; i++) {
		const guint8 *e = body + RB_NRG_DAO_HEADER + i * entry;
		RbNrgTrack *t = &nrg->tracks[i];

		t->dao_at = at + RB_NRG_DAO_HEADER + i * entry;
		if (e[0] != 0)
			memcpy(t->isrc, e, RB_IMAGE_ISRC_LENGTH);
		t->sector_size = (guint16)(e[12] << 8 | e[13]);
		t->mode = e[14];
		for (guint k = 0; k < 3; k++)
			t->offsets[k] =
				wide ? rb_nrg_be64(e + 18 + 8 * k) : rb_nrg_be32(e + 18 + 4 * k);
	}
	return TRUE;
}

gboolean
rb_nrg_parse_chain(RbNrg *nrg, GError **error)
{
	gsize pos = 0;

	while (TRUE) {
		guint64 at = nrg->chain_at + pos;
		const guint8 *body;
		gchar id[5] = {0};
		guint32 len;

		if (pos + 8 > nrg->chain_len)
			return rb_nrg_fail(error,
					   RB_DISC_IMAGE_ERROR_SYNTAX,
					   nrg,
					   at,
					   _("the chunks end without an “END!” chunk: the image is "
					     "damaged or was not written completely"));
		memcpy(id, nrg->chain + pos, 4);
		len = rb_nrg_be32(nrg->chain + pos + 4);
		body = nrg->chain + pos + 8;
		if (len > nrg->chain_len - pos - 8) {
			g_autofree gchar *name = g_strescape(id, NULL);

			return rb_nrg_fail(error,
					   RB_DISC_IMAGE_ERROR_SYNTAX,
					   nrg,
					   at,
					   _("the chunk “%s” of %u bytes runs past the footer: the "
					     "image is damaged or was not written completely"),
					   name,
					   len);
		}
		if (strcmp(id, "END!") == 0)
			break;
		if (strcmp(id, "CUES") == 0 || strcmp(id, "CUEX") == 0 || strcmp(id, "DAOI") == 0 ||
		    strcmp(id, "DAOX") == 0) {
			gboolean is_cue = id[0] == 'C';

			if ((is_cue && nrg->have_cue) || (!is_cue && nrg->have_dao))
				return rb_nrg_fail(
					error,
					RB_DISC_IMAGE_ERROR_UNSUPPORTED,
					nrg,
					at,
					_("a second “%s” chunk: multi-session NRG images are "
					  "not supported; burn each session with Nero"),
					id);
			if (!is_cue && !nrg->have_cue)
				return rb_nrg_fail(error,
						   RB_DISC_IMAGE_ERROR_SYNTAX,
						   nrg,
						   at,
						   _("the disc-at-once chunk comes before the cue "
						     "sheet: the image is damaged"));
			if (is_cue && !rb_nrg_parse_cue(nrg, body, len, id[3] == 'S', error))
				return FALSE;
			if (!is_cue && !rb_nrg_parse_dao(nrg, body, len, id[3] == 'X', error))
				return FALSE;
			nrg->have_cue |= is_cue;
			nrg->have_dao |= !is_cue;
		} else if (strcmp(id, "ETNF") == 0 || strcmp(id, "ETN2") == 0) {
			return rb_nrg_fail(
				error,
				RB_DISC_IMAGE_ERROR_UNSUPPORTED,
				nrg,
				at,
				_("a track-at-once NRG image (chunk “%s”) holds no pregaps "
				  "or indexes to burn in one pass: burn it with Nero, or "
				  "make a disc-at-once image"),
				id);
		} else if (strcmp(id, "CDTX") == 0) {
			if (len % RB_CDTEXT_PACK_SIZE != 0)
				return rb_nrg_fail(error,
						   RB_DISC_IMAGE_ERROR_SYNTAX,
						   nrg,
						   at,
						   _("the CD-TEXT chunk has %u bytes, not whole "
						     "18-byte packs: the image is damaged"),
						   len);
			nrg->cdtext = len > 0 ? body : NULL;
			nrg->cdtext_empty = len == 0;
			nrg->cdtext_len = len;
			nrg->cdtext_at = at + 8;
		} else if (strcmp(id, "SINF") == 0 || strcmp(id, "MTYP") == 0) {
			/* libcdio asserts these hold 4 bytes */
			nrg->odd_chunk_sizes += len == 4 ? 0 : 1;
		} else if (strcmp(id, "TOCT") != 0 && strcmp(id, "RELO") != 0 &&
			   strcmp(id, "VOLM") != 0) {
			g_autofree gchar *name = g_strescape(id, NULL);

			return rb_nrg_fail(error,
					   RB_DISC_IMAGE_ERROR_UNSUPPORTED,
					   nrg,
					   at,
					   _("the chunk “%s” is unknown to rawburn, which will not "
					     "burn what it may misunderstand: convert the image to "
					     "CUE/BIN with Nero"),
					   name);
		}
		pos += 8 + (gsize)len;
	}
	if (!nrg->have_cue || !nrg->have_dao)
		return rb_nrg_fail(error,
				   RB_DISC_IMAGE_ERROR_SYNTAX,
				   nrg,
				   nrg->chain_at,
				   _("the image has no cue sheet or no disc-at-once chunk: it is "
				     "damaged, or not a CD image"));
	return TRUE;
}
