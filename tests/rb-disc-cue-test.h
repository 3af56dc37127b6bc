/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The CUE reader's sample sets, shared by its tests (test-disc-cue.c, the
 * sheet and the stream; test-disc-cue-oracle.c, cdrdao burning the same
 * sheets): a folder with a sheet and files of known patterns.
 */
#pragma once

#include <glib.h>

#include "rb-cd-sector.h"
#include "rb-disc-image.h"

G_BEGIN_DECLS

typedef struct {
	const gchar *name;
	const gchar *sheet;
	guint mode;       /* 1 or 2 */
	gboolean xa_2336; /* the file has 2336-byte sectors */
	gboolean cooked;  /* the file has 2048-byte user data */
	RbCdSectorType type;
} RbCueTestData;

typedef struct {
	gchar *dir;
	gchar *sheet;
	/* the data set's description, or NULL */
	const RbCueTestData *data;
} RbCueTestSet;

/* a new folder holding disc.cue with @sheet_text */
void rb_cue_test_set_init(RbCueTestSet *set, const gchar *sheet_text);
gchar *rb_cue_test_set_path(const RbCueTestSet *set, const gchar *name);
/* removes the folder and its files */
void rb_cue_test_set_clear(RbCueTestSet *set);
/* the set's sheet opened as a CUE image (Check assertions inside) */
RbDiscImage *rb_cue_test_open(const RbCueTestSet *set);

/* ---- the audio set: BINARY with INDEX 00/02, MOTOROLA with PREGAP, WAVE with POSTGAP ---- */

#define RB_CUE_TEST_DISC_BIN_SECTORS 1200
#define RB_CUE_TEST_SWAPPED_SECTORS 400
#define RB_CUE_TEST_WAV_BYTES (350 * RB_CD_MAIN_SIZE + 100)

/* a sheet of four tracks over disc.bin, swapped.raw and tail.wav, with CD-TEXT */
const gchar *rb_cue_test_audio_sheet(void);
/* @sheet (the audio sheet, or another over the same files) and its files */
void rb_cue_test_audio_set(RbCueTestSet *set, const gchar *sheet);

/* ---- data sets: data.bin (a data track), audio.bin ---- */

#define RB_CUE_TEST_DATA_SECTORS 400
#define RB_CUE_TEST_AUDIO_SECTORS 300

guint rb_cue_test_n_data(void);
/* MODE1/2048 + audio, MODE1/2352 + audio, MODE2/2336, MODE2/2352 */
const RbCueTestData *rb_cue_test_data(guint i);
/* @desc's sheet and files; set->data is @desc */
void rb_cue_test_data_set(RbCueTestSet *set, const RbCueTestData *desc);

G_END_DECLS
