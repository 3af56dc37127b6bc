/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Nero NRG images: the disc's data first, then a chain of chunks (4-byte
 * id, 32-bit big-endian length, body), then a footer giving the chain's
 * offset: "NERO" + 32-bit (version 1) or "NER5" + 64-bit (version 2) in
 * the last 8 or 12 bytes. All integers are big-endian. The chunks rawburn
 * reads (the layout as libcdio's lib/driver/image/nrg.h and libmirage's
 * image-nrg parser both describe it):
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
 *
 * What libcdio 2.1 (cdio_open_nrg) keeps, and what it gets wrong:
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
 * So rawburn parses the chain itself, checks every offset and size, and
 * only then asks libcdio, for version 2 images of the shape it reads, to
 * confirm the facts both know: a disagreement is refused. Audio samples
 * are taken as stored, little-endian, as libcdio and libmirage both read
 * them. Refused: track-at-once images (ETNF/ETN2: no pregaps or indexes
 * are recorded, the tracks were written with run-in and run-out gaps), the
 * 2448-byte sub-channel sector sizes, Mode 2 2336 tracks, more than one
 * session.
 */
#include "config.h"

#include <cdio/cdio.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rb-disc-image-private.h"

/* 99 tracks with many indexes and 8 blocks of CD-TEXT fit well within */
#define RB_NRG_CHAIN_MAX (1024 * 1024)
/* libcdio 2.1 asserts on longer chains (nrg.c parse_nrg) */
#define RB_NRG_CDIO_CHAIN_MAX 4096
#define RB_NRG_DAO_HEADER 22
#define RB_NRG_LEADOUT 0xAA
#define RB_NRG_CTL_DATA 0x4
#define RB_NRG_CTL_COPY 0x2
#define RB_NRG_CTL_PREEMPHASIS 0x1

typedef struct {
	guint number;
	guint8 ctl;
	gboolean has_index0;
	gint32 index0;
	guint n_indexes;                      /* index 1 on */
	gint32 indexes[RB_IMAGE_MAX_INDEXES]; /* LBAs of index 1, 2, … */
	/* from the DAO chunk */
	gchar isrc[RB_IMAGE_ISRC_LENGTH + 1];
	guint16 sector_size;
	guint8 mode;
	guint64 offsets[3]; /* index 0, index 1, end */
	guint64 dao_at;     /* the entry's byte offset in the file */
} RbNrgTrack;

typedef struct {
	const gchar *path;
	guint64 size;
	guint64 chain_at;
	guint8 *chain;
	gsize chain_len;
	gboolean v2;
	RbNrgTrack tracks[RB_IMAGE_MAX_TRACKS];
	guint n_tracks;
	gint32 leadout;
	gboolean have_cue;
	gboolean have_dao;
	gboolean cue_is_cdio_shape; /* CUEX with index 0 and 1 per track only */
	gchar mcn[RB_IMAGE_MCN_LENGTH + 1];
	guint8 disc_byte; /* DAO header byte 18: libcdio's "disc mode" */
	const guint8 *cdtext;
	gsize cdtext_len;
	guint64 cdtext_at;
	gboolean cdtext_empty; /* a CDTX chunk of no packs */
	guint odd_chunk_sizes; /* SINF/MTYP not of the 4 bytes libcdio asserts */
} RbNrg;

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

static gboolean G_GNUC_PRINTF(5, 6) rb_nrg_fail(
	GError **error, gint code, const RbNrg *nrg, guint64 at, const gchar *format, ...)
{
	g_autofree gchar *what = NULL;
	va_list args;

	va_start(args, format);
	what = g_strdup_vprintf(format, args);
	va_end(args);
	g_set_error(error,
		    RB_DISC_IMAGE_ERROR,
		    code,
		    _("%s, byte %" G_GUINT64_FORMAT ": %s"),
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

static gboolean
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
				   _("the footer puts the chunks at byte %" G_GUINT64_FORMAT
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

static gboolean
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

/* the core's type for a DAO mode code; FALSE with the reason otherwise */
static gboolean
rb_nrg_track_type(
	const RbNrg *nrg, gint fd, const RbNrgTrack *t, RbCdSectorType *type, GError **error)
{
	guint16 size = 0;
	guint8 submode = 0;

	switch (t->mode) {
	case 0x00:
		*type = RB_CD_SECTOR_MODE1;
		size = 2048;
		break;
	case 0x02:
		*type = RB_CD_SECTOR_MODE2_FORM1;
		size = 2048;
		break;
	case 0x05:
		*type = RB_CD_SECTOR_MODE1_RAW;
		size = RB_CD_MAIN_SIZE;
		break;
	case 0x06:
		/* CD-ROM XA: the first sector's sub-mode (byte 18) says its form;
		 * a track keeps one form for the disc's Q and TOC */
		if (pread(fd, &submode, 1, (off_t)t->offsets[1] + 18) != 1)
			submode = 0;
		*type = (submode & 0x20) != 0 ? RB_CD_SECTOR_MODE2_FORM2_RAW
					      : RB_CD_SECTOR_MODE2_FORM1_RAW;
		size = RB_CD_MAIN_SIZE;
		break;
	case 0x07:
		*type = RB_CD_SECTOR_AUDIO;
		size = RB_CD_MAIN_SIZE;
		break;
	case 0x03:
		return rb_nrg_fail(error,
				   RB_DISC_IMAGE_ERROR_UNSUPPORTED,
				   nrg,
				   t->dao_at,
				   _("track %u is Mode 2 with 2336-byte sectors, which rawburn "
				     "does not burn from an NRG yet: convert the image to CUE/BIN "
				     "with 2352-byte sectors"),
				   t->number);
	case 0x0F:
	case 0x10:
	case 0x11:
		return rb_nrg_fail(error,
				   RB_DISC_IMAGE_ERROR_UNSUPPORTED,
				   nrg,
				   t->dao_at,
				   _("track %u holds 2448-byte sectors with sub-channel data, "
				     "which rawburn does not burn from an NRG: make the image "
				     "without sub-channel data, or as CloneCD"),
				   t->number);
	default:
		return rb_nrg_fail(error,
				   RB_DISC_IMAGE_ERROR_UNSUPPORTED,
				   nrg,
				   t->dao_at,
				   _("track %u has the unknown mode code 0x%02x: rawburn will not "
				     "guess its sectors; convert the image to CUE/BIN"),
				   t->number,
				   t->mode);
	}
	if (t->sector_size != size)
		return rb_nrg_fail(error,
				   RB_DISC_IMAGE_ERROR_SYNTAX,
				   nrg,
				   t->dao_at,
				   _("track %u has mode code 0x%02x but %u-byte sectors (%u "
				     "expected): the image is damaged"),
				   t->number,
				   t->mode,
				   t->sector_size,
				   size);
	return TRUE;
}

/* the DAO entry's byte offsets against the cue sheet's addresses */
static gboolean
rb_nrg_check_offsets(const RbNrg *nrg, guint i, guint32 *file_pregap, GError **error)
{
	const RbNrgTrack *t = &nrg->tracks[i];
	gint32 next = i + 1 < nrg->n_tracks
			      ? (nrg->tracks[i + 1].has_index0 ? nrg->tracks[i + 1].index0
							       : nrg->tracks[i + 1].indexes[0])
			      : nrg->leadout;
	gint32 cue_pregap = t->has_index0 ? t->indexes[0] - t->index0 : 0;
	guint64 n_sectors;

	if (t->offsets[0] > t->offsets[1] || t->offsets[1] >= t->offsets[2] ||
	    t->offsets[2] > nrg->chain_at ||
	    (t->offsets[1] - t->offsets[0]) % t->sector_size != 0 ||
	    (t->offsets[2] - t->offsets[1]) % t->sector_size != 0)
		return rb_nrg_fail(error,
				   RB_DISC_IMAGE_ERROR_SYNTAX,
				   nrg,
				   t->dao_at,
				   _("track %u's data offsets %" G_GUINT64_FORMAT
				     ", %" G_GUINT64_FORMAT " and %" G_GUINT64_FORMAT
				     " are out of order, not whole %u-byte sectors, or past the "
				     "data (which ends at byte %" G_GUINT64_FORMAT
				     "): the image is damaged or truncated"),
				   t->number,
				   t->offsets[0],
				   t->offsets[1],
				   t->offsets[2],
				   t->sector_size,
				   nrg->chain_at);
	*file_pregap = (guint32)((t->offsets[1] - t->offsets[0]) / t->sector_size);
	n_sectors = (t->offsets[2] - t->offsets[1]) / t->sector_size;
	/* track 1's first 150 sectors may be left out of the file (never part
	 * of a disc's user data); every other pregap is in the file whole */
	if (n_sectors != (guint64)(next - t->indexes[0]) ||
	    (i > 0 && *file_pregap != (guint32)cue_pregap) ||
	    (i == 0 && (t->indexes[0] != 0 || *file_pregap > RB_IMAGE_PREGAP_SECTORS)))
		return rb_nrg_fail(error,
				   RB_DISC_IMAGE_ERROR_MISMATCH,
				   nrg,
				   t->dao_at,
				   _("track %u: the data has %u pregap and %" G_GUINT64_FORMAT
				     " track sectors, the cue sheet puts index 1 at LBA %d with "
				     "%d pregap and %d track sectors: the image is damaged"),
				   t->number,
				   *file_pregap,
				   n_sectors,
				   t->indexes[0],
				   cue_pregap,
				   next - t->indexes[0]);
	return TRUE;
}

static gboolean
rb_nrg_add_track(RbDiscImage *image, const RbNrg *nrg, gint fd, guint i, GError **error)
{
	const RbNrgTrack *t = &nrg->tracks[i];
	RbCdSectorType type = RB_CD_SECTOR_AUDIO;
	guint32 file_pregap = 0;
	guint32 pregap;
	gsize in_size;
	g_autoptr(GError) error_local = NULL;

	if (!rb_nrg_track_type(nrg, fd, t, &type, error) ||
	    !rb_nrg_check_offsets(nrg, i, &file_pregap, error))
		return FALSE;
	if (rb_cd_sector_type_is_data(type) != ((t->ctl & RB_NRG_CTL_DATA) != 0))
		return rb_nrg_fail(error,
				   RB_DISC_IMAGE_ERROR_MISMATCH,
				   nrg,
				   t->dao_at,
				   _("track %u is %s by its mode code 0x%02x but %s by its cue "
				     "sheet control bits: the image is damaged"),
				   t->number,
				   rb_cd_sector_type_is_data(type) ? _("data") : _("audio"),
				   t->mode,
				   (t->ctl & RB_NRG_CTL_DATA) != 0 ? _("data") : _("audio"));
	pregap = i == 0 ? RB_IMAGE_PREGAP_SECTORS : file_pregap;
	in_size = rb_cd_sector_type_get_input_size(type);
	if (!rb_image_layout_add_track(image->layout,
				       type,
				       (guint32)((t->offsets[2] - t->offsets[1]) / t->sector_size),
				       NULL,
				       &error_local) ||
	    !rb_image_layout_track_set_pregap(image->layout, i, pregap, &error_local) ||
	    (t->isrc[0] != '\0' &&
	     !rb_image_layout_track_set_isrc(image->layout, i, t->isrc, &error_local)) ||
	    !rb_image_layout_track_set_copy(image->layout,
					    i,
					    (t->ctl & RB_NRG_CTL_COPY) != 0
						    ? RB_IMAGE_COPY_PERMITTED
						    : RB_IMAGE_COPY_PROHIBITED,
					    &error_local) ||
	    ((t->ctl & RB_NRG_CTL_PREEMPHASIS) != 0 && type == RB_CD_SECTOR_AUDIO &&
	     !rb_image_layout_track_set_preemphasis(image->layout, i, TRUE, &error_local)))
		return rb_nrg_fail(error,
				   RB_DISC_IMAGE_ERROR_INVALID,
				   nrg,
				   t->dao_at,
				   _("track %u: %s"),
				   t->number,
				   error_local->message);
	for (guint k = 1; k < t->n_indexes; k++) {
		if (!rb_image_layout_track_add_index(image->layout,
						     i,
						     (guint32)(t->indexes[k] - t->indexes[0]),
						     NULL,
						     &error_local))
			return rb_nrg_fail(error,
					   RB_DISC_IMAGE_ERROR_INVALID,
					   nrg,
					   t->dao_at,
					   _("track %u index %u: %s"),
					   t->number,
					   k + 1,
					   error_local->message);
	}
	/* track 1's pregap sectors the file leaves out: silence, or empty data */
	if (pregap > file_pregap) {
		if (rb_cd_sector_type_is_data(type) && rb_cd_sector_type_is_raw(type))
			rb_disc_image_add_empty_raw(image, i, pregap - file_pregap);
		else
			rb_disc_image_add_zero(image, i, (guint64)(pregap - file_pregap) * in_size);
	}
	rb_disc_image_add_file(image,
			       i,
			       nrg->path,
			       t->offsets[0],
			       t->offsets[2] - t->offsets[0],
			       rb_cd_sector_type_is_data(type) && rb_cd_sector_type_is_raw(type)
				       ? RB_DISC_SEGMENT_SCRAMBLE
				       : RB_DISC_SEGMENT_NONE);
	rb_disc_image_set_origin(image, i, nrg->path, 0);
	return TRUE;
}

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

/*
 * libcdio's reading of the same facts (see the header comment for what it
 * knows); only for the images it reads without asserting.
 */
static gboolean
rb_nrg_cross_check(RbDiscImage *image, const RbNrg *nrg, GError **error)
{
	CdIo_t *cdio;
	gboolean ok = TRUE;
	g_autofree gchar *cdio_mcn = NULL;

	if (!nrg->v2 || !nrg->cue_is_cdio_shape || nrg->chain_len > RB_NRG_CDIO_CHAIN_MAX ||
	    nrg->odd_chunk_sizes > 0 || nrg->tracks[0].number != 1 ||
	    !rb_nrg_cdtext_safe_for_cdio(nrg)) {
		rb_disc_image_add_note(image,
				       _("libcdio 2.1 cannot read this NRG's layout; it was "
					 "checked by rawburn's own reading only"));
		return TRUE;
	}
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
		g_autofree gchar *ours = g_strdup_printf(_("LBA %d, ISRC %s, copy %s"),
							 t->indexes[0],
							 t->isrc,
							 t->ctl & RB_NRG_CTL_COPY ? "yes" : "no");
		g_autofree gchar *theirs = g_strdup_printf(_("LBA %d, ISRC %s, copy %s"),
							   lsn,
							   isrc != NULL ? isrc : "",
							   copy ? "yes" : "no");

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
		case 0x00:
			want = TRACK_FORMAT_DATA;
			break;
		case 0x02:
		case 0x06:
			want = TRACK_FORMAT_XA;
			break;
		case 0x07:
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

static gboolean
rb_nrg_build(RbDiscImage *image, RbNrg *nrg, gint fd, GError **error)
{
	g_autoptr(GError) error_local = NULL;

	if (nrg->tracks[0].number != 1 &&
	    !rb_image_layout_set_starting_track_number(
		    image->layout, nrg->tracks[0].number, &error_local))
		return rb_nrg_fail(error,
				   RB_DISC_IMAGE_ERROR_INVALID,
				   nrg,
				   nrg->chain_at,
				   "%s",
				   error_local->message);
	if (nrg->mcn[0] != '\0' && !rb_image_layout_set_mcn(image->layout, nrg->mcn, &error_local))
		return rb_nrg_fail(error,
				   RB_DISC_IMAGE_ERROR_INVALID,
				   nrg,
				   nrg->chain_at,
				   _("MCN “%s”: %s"),
				   nrg->mcn,
				   error_local->message);
	for (guint i = 0; i < nrg->n_tracks; i++) {
		if (!rb_nrg_add_track(image, nrg, fd, i, error))
			return FALSE;
	}
	if (nrg->tracks[0].offsets[1] == nrg->tracks[0].offsets[0])
		rb_disc_image_add_note(image,
				       _("track 1's 2-second pregap is not in the image: it is "
					 "burned as silence or empty sectors"));
	if (nrg->cdtext != NULL) {
		image->cdtext = rb_cdtext_decode(nrg->cdtext, nrg->cdtext_len, &error_local);
		if (image->cdtext == NULL)
			return rb_nrg_fail(
				error,
				RB_DISC_IMAGE_ERROR_SYNTAX,
				nrg,
				nrg->cdtext_at,
				_("the CD-TEXT cannot be read (%s): the image is damaged"),
				error_local->message);
	}
	return rb_nrg_cross_check(image, nrg, error);
}

RbDiscImage *
rb_disc_nrg_read(const gchar *path, GError **error)
{
	g_autoptr(RbDiscImage) image = rb_disc_image_new(RB_DISC_IMAGE_FORMAT_NRG, path);
	RbNrg nrg = {.path = path};
	struct stat st;
	gboolean ok;
	gint fd = g_open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY, 0);

	if (fd < 0 || fstat(fd, &st) != 0) {
		gint errsv = errno;

		if (fd >= 0)
			close(fd);
		g_set_error(error,
			    RB_DISC_IMAGE_ERROR,
			    RB_DISC_IMAGE_ERROR_FILE,
			    _("Cannot open the image “%s”: %s"),
			    path,
			    g_strerror(errsv));
		return NULL;
	}
	nrg.size = (guint64)st.st_size;
	ok = rb_nrg_read_chain(&nrg, fd, error) && rb_nrg_parse_chain(&nrg, error) &&
	     rb_nrg_build(image, &nrg, fd, error);
	close(fd);
	g_free(nrg.chain);
	if (!ok)
		return NULL;
	return g_steal_pointer(&image);
}
