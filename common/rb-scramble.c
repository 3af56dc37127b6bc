/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ECMA-130 Annex B: bytes 12..2351 of a data sector are XORed with the output
 * of a 15-bit shift register (x^15 + x + 1, preset to 1), least significant
 * bit first. Drives expect data sectors scrambled in raw mode, audio not.
 * XOR makes the same call scramble and descramble.
 */
#include "config.h"

#include <string.h>

#include "rb-scramble.h"

static const guint8 rb_cd_sync[RB_CD_SYNC_SIZE] = {
	0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00};

/* read-only once built; g_once makes the first use from any thread safe */
static guint8 rb_scramble_table[RB_SCRAMBLE_SIZE];

static void
rb_scramble_build_table(guint8 *table)
{
	guint16 reg = 0x0001;

	for (gsize i = 0; i < RB_SCRAMBLE_SIZE; i++) {
		guint8 byte = 0;

		for (guint bit = 0; bit < 8; bit++) {
			guint16 feedback = (reg ^ (reg >> 1)) & 1;

			/* the register's low bit is the output */
			byte |= (guint8)((reg & 1) << bit);
			reg = (guint16)((reg >> 1) | (feedback << 14));
		}
		table[i] = byte;
	}
}

const guint8 *
rb_scramble_get_table(void)
{
	static gsize initialized = 0;

	if (g_once_init_enter(&initialized)) {
		rb_scramble_build_table(rb_scramble_table);
		g_once_init_leave(&initialized, 1);
	}
	return rb_scramble_table;
}

void
rb_scramble_sector(guint8 sector[RB_CD_MAIN_SIZE])
{
	const guint8 *table = rb_scramble_get_table();

	g_return_if_fail(sector != NULL);
	for (gsize i = 0; i < RB_SCRAMBLE_SIZE; i++)
		sector[RB_CD_SYNC_SIZE + i] ^= table[i];
}

/*
 * A heuristic, as drives and dumpers use it: audio samples can in principle
 * contain the pattern, but real audio practically never does.
 */
gboolean
rb_scramble_has_sync(const guint8 sector[RB_CD_MAIN_SIZE])
{
	g_return_val_if_fail(sector != NULL, FALSE);
	return memcmp(sector, rb_cd_sync, RB_CD_SYNC_SIZE) == 0;
}

void
rb_scramble_set_sync(guint8 sector[RB_CD_MAIN_SIZE])
{
	g_return_if_fail(sector != NULL);
	memcpy(sector, rb_cd_sync, RB_CD_SYNC_SIZE);
}
