/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The CD-TEXT pack CRC as the tests compute it: bit by bit from the Red
 * Book's polynomial, on purpose not the project's rb_cd_crc16(), so that a
 * fault there cannot hide in the checks of what the drive and cdrdao made.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* CRC-16 x^16+x^12+x^5+1 from 0 over bytes 0-15, inverted: what bytes
 * 16-17 of a CD-TEXT pack hold (big-endian) */
guint16 rb_test_cd_text_crc(const guint8 *pack);
/* whether bytes 16-17 of @pack are its CRC */
gboolean rb_test_cd_text_crc_ok(const guint8 *pack);
/* writes @pack's CRC into its bytes 16-17 */
void rb_test_cd_text_crc_set(guint8 *pack);

G_END_DECLS
