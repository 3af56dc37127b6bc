/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tests' own CD-TEXT pack CRC (rb-test-cd-text-crc.h).
 */
#include "config.h"

#include "rb-test-cd-text-crc.h"

guint16
rb_test_cd_text_crc(const guint8 *pack)
{
	guint16 crc = 0;

	for (guint i = 0; i < 16; i++) {
		crc ^= (guint16)(pack[i] << 8);
		for (guint bit = 0; bit < 8; bit++)
			crc = (guint16)((crc & 0x8000) ? (crc << 1) ^ 0x1021 : crc << 1);
	}
	return (guint16)~crc;
}

gboolean
rb_test_cd_text_crc_ok(const guint8 *pack)
{
	guint16 crc = rb_test_cd_text_crc(pack);

	return pack[16] == (crc >> 8) && pack[17] == (crc & 0xFF);
}

void
rb_test_cd_text_crc_set(guint8 *pack)
{
	guint16 crc = rb_test_cd_text_crc(pack);

	pack[16] = (guint8)(crc >> 8);
	pack[17] = (guint8)crc;
}
