/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the two halves of test-cdtext share: pack CRC checks and setters
 * that fail the test on error (test-cdtext.c), and the vector, round-trip
 * and refusal tests (test-cdtext-vectors.c).
 */
#pragma once

#include <check.h>

#include "rb-cdtext.h"

G_BEGIN_DECLS

/* the pack's bytes 16-17 are the inverted CRC-16 of bytes 0-15 */
gboolean rb_test_pack_crc_ok(const guint8 *pack);
void rb_test_pack_fix_crc(guint8 *pack);
/* packs written as "80 00 00 00 …" (18 hex bytes each) */
GBytes *rb_test_hex_packs(const gchar *const *hex, gsize n_packs);
/* encodes, failing the test on error or on any bad CRC */
GBytes *rb_test_encode(const RbCdText *cdtext, guint first, guint last);
void
rb_test_set(RbCdText *cdtext, guint block, RbCdTextPackType type, guint track, const gchar *utf8);
void rb_test_set_block(RbCdText *cdtext, guint block, guint8 language, RbCdTextCharset charset);
/* decode(@packs) equals @cdtext */
void rb_test_assert_round_trip(const RbCdText *cdtext, GBytes *packs);

TCase *rb_test_cdtext_vectors_tcase(void);

G_END_DECLS
