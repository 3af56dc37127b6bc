/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The TOC reader's sample sets, shared by its tests (test-disc-toc.c, the
 * model, the stream and malformed files; test-disc-toc-oracle.c, cdrdao
 * reading and burning the same TOC files): a folder with disc.toc and
 * files of known patterns, and what each sector of the disc must hold.
 */
#pragma once

#include <glib.h>

#include "rb-disc-image.h"

G_BEGIN_DECLS

typedef enum {
	RB_TOC_EXPECT_AUDIO,
	RB_TOC_EXPECT_MODE1,
	RB_TOC_EXPECT_FORM1,
	RB_TOC_EXPECT_MIX,
} RbTocExpectKind;

typedef struct {
	RbTocExpectKind kind;
	const guint8 *data; /* NULL = zeros */
	gsize block;
} RbTocExpect;

typedef struct {
	gchar *dir;
	gchar *toc;
	gchar *toc_path;
	GPtrArray *buffers;
	GArray *expect; /* of RbTocExpect, one per LBA from -150 */
} RbTocTestSet;

/* an empty folder; disc.toc holding @toc */
RbTocTestSet *rb_toc_test_set_new(void);
void rb_toc_test_set_write_toc(RbTocTestSet *set, const gchar *toc);
/* removes the folder and its files */
void rb_toc_test_set_free(RbTocTestSet *set);
/* the set's disc.toc opened as a TOC image (Check assertions inside) */
RbDiscImage *rb_toc_test_set_open(RbTocTestSet *set);

/*
 * The sample sets: an audio disc from a WAV and a big-endian .cdr with
 * SILENCE, START, PREGAP, INDEX, ISRC, COPY, PRE_EMPHASIS and two CD-TEXT
 * languages; a Mode 1 disc; an XA disc; cdrdao's manual's mixed-mode disc;
 * an audio disc numbered from FIRST_TRACK_NO 3 with its tracks' titles.
 */
RbTocTestSet *rb_toc_test_set_audio(void);
RbTocTestSet *rb_toc_test_set_mode1(void);
RbTocTestSet *rb_toc_test_set_xa(void);
RbTocTestSet *rb_toc_test_set_mixed(void);
RbTocTestSet *rb_toc_test_set_first_track(void);

guint rb_toc_test_n_sets(void);
/* sample set @i of rb_toc_test_n_sets() */
RbTocTestSet *rb_toc_test_set_make(guint i);

G_END_DECLS
