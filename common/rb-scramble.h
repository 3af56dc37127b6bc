/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The ECMA-130 Annex B scrambler for data sectors written in raw mode, and
 * the sync pattern that tells a data sector from audio (mmc-notes §8.5).
 */
#pragma once

#include <glib.h>

#include "rb-subchannel.h"

G_BEGIN_DECLS

/* 00 FF x10 00 opens every data sector and is never scrambled */
#define RB_CD_SYNC_SIZE 12
/* the scrambler covers the rest of the 2352-byte sector */
#define RB_SCRAMBLE_SIZE (RB_CD_MAIN_SIZE - RB_CD_SYNC_SIZE)

const guint8 *rb_scramble_get_table(void);
void rb_scramble_sector(guint8 sector[RB_CD_MAIN_SIZE]);

gboolean rb_scramble_has_sync(const guint8 sector[RB_CD_MAIN_SIZE]);
void rb_scramble_set_sync(guint8 sector[RB_CD_MAIN_SIZE]);

G_END_DECLS
