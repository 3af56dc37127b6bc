/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the emulated drive's own tests share: a drive from a spec, one
 * command run on it, and assertions on the status and sense it answered.
 */
#pragma once

#include "rb-vdrive.h"

G_BEGIN_DECLS

typedef struct {
	RbMmcResult result;
	gboolean completed;
} RbCommand;

RbVdrive *rb_vdrive_test_new(const gchar *spec_text);
/* a fast blank CD-R 80 set to raw writing of @block_type */
RbVdrive *rb_vdrive_test_new_raw(guint8 block_type);
/* a drive of @spec_text set to raw writing of @block_type, with BUFE or not */
RbVdrive *rb_vdrive_test_new_raw_spec(const gchar *spec_text, guint8 block_type, gboolean bufe);
RbCommand rb_cmd(RbVdrive *drive,
		 const guint8 *cdb,
		 gsize cdb_len,
		 RbMmcDirection dir,
		 guint8 *buf,
		 gsize len);
RbCommand rb_tur(RbVdrive *drive);
/* WRITE(10) of @blocks sectors at @lba from @data */
RbCommand rb_write(RbVdrive *drive, gint32 lba, guint16 blocks, guint8 *data, gsize len);
void rb_assert_good_at(RbCommand cmd, const gchar *file, gint line);
void rb_assert_sense_at(
	RbCommand cmd, guint8 key, guint8 asc, guint8 ascq, const gchar *file, gint line);

/* functions behind them, so that the command runs exactly once */
#define rb_assert_good(cmd) rb_assert_good_at((cmd), __FILE__, __LINE__)
#define rb_assert_sense(cmd, key, asc, ascq)                                                       \
	rb_assert_sense_at((cmd), (key), (asc), (ascq), __FILE__, __LINE__)

G_END_DECLS
