/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the NRG reader's three parts share: the chunk chain as
 * rb-disc-nrg-chunks.c parses it (tracks, indexes, the DAO entries' sector
 * sizes, modes and byte offsets, the CD-TEXT packs), which rb-disc-nrg.c
 * builds into the image and rb-disc-nrg-cdio.c has libcdio confirm.
 */
#pragma once

#include "rb-disc-image-private.h"

G_BEGIN_DECLS

/* 99 tracks with many indexes and 8 blocks of CD-TEXT fit well within */
#define RB_NRG_CHAIN_MAX (1024 * 1024)
/* libcdio 2.1 asserts on longer chains (nrg.c parse_nrg) */
#define RB_NRG_CDIO_CHAIN_MAX 4096
#define RB_NRG_DAO_HEADER 22
#define RB_NRG_LEADOUT 0xAA
/* the cue sheet's LBAs: the times Q can say, 00:00:00 to 99:59:74 */
#define RB_NRG_LBA_MIN (-150)
#define RB_NRG_LBA_MAX 449849
/* the cue sheet entries' control nibble, as Q's */
#define RB_NRG_CTL_DATA 0x4
#define RB_NRG_CTL_COPY 0x2
#define RB_NRG_CTL_PREEMPHASIS 0x1

/* the DAO entries' mode codes (the file header comment of rb-disc-nrg-chunks.c) */
#define RB_NRG_MODE1_2048 0x00
#define RB_NRG_MODE2_FORM1_2048 0x02
#define RB_NRG_MODE2_2336 0x03
#define RB_NRG_MODE1_2352 0x05
#define RB_NRG_MODE2_2352 0x06
#define RB_NRG_AUDIO_2352 0x07

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

/* "PATH, byte AT: …" as @code of RB_DISC_IMAGE_ERROR; returns FALSE */
gboolean
rb_nrg_fail(GError **error, gint code, const RbNrg *nrg, guint64 at, const gchar *format, ...)
	G_GNUC_PRINTF(5, 6);

/* rb-disc-nrg-chunks.c: the footer and the chain it points to, read from
 * @fd (of @nrg->size bytes) into @nrg->chain; then its chunks, checked */
gboolean rb_nrg_read_chain(RbNrg *nrg, gint fd, GError **error);
gboolean rb_nrg_parse_chain(RbNrg *nrg, GError **error);

/* rb-disc-nrg-cdio.c: libcdio's reading of the facts it knows against
 * @nrg's, for the images it reads without asserting; a note otherwise */
gboolean rb_nrg_cross_check(RbDiscImage *image, const RbNrg *nrg, GError **error);

G_END_DECLS
