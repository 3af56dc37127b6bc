/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The preflight check of a raw DAO stream: what the stream's own Q
 * sub-channel proves about it, sector by sector in stream order, so that a
 * stream that is damaged, of another sector type, or aligned to the wrong
 * lead-in length is refused before it costs a disc. Pure: byte buffers in,
 * a verdict out; constant memory whatever the stream's length.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RB_STREAM_CHECK_ERROR (rb_stream_check_error_quark())

typedef enum {
	RB_STREAM_CHECK_ERROR_Q_CRC,   /* the Q CRC is wrong */
	RB_STREAM_CHECK_ERROR_Q_MODE,  /* undecodable Q: a Q mode (ADR) that cannot be at this LBA,
					  or a field that is not BCD or not a valid value */
	RB_STREAM_CHECK_ERROR_ADDRESS, /* absolute time != LBA + 150, or lead-in running time
					  inconsistent */
	RB_STREAM_CHECK_ERROR_AREA,    /* TNO 00 outside the lead-in, or another TNO inside it */
	RB_STREAM_CHECK_ERROR_TOC,     /* lead-in TOC entries inconsistent, short runs, A2 past the
					  disc, TOC vs program area */
} RbStreamCheckError;

typedef struct _RbStreamCheck RbStreamCheck;

GQuark rb_stream_check_error_quark(void);

/*
 * @data_block_type: 1 (2352+16 P-Q), 2 (2352+96 P-W packed R-W) or 3
 *   (2352+96 P-W raw);
 * @first_lba: the LBA of the first sector that will be fed;
 * @last_leadout_start: the disc's last possible lead-out start (ATIP); A2
 *   must not lie past it (G_MAXINT32: no limit)
 */
RbStreamCheck *
rb_stream_check_new(guint data_block_type, gint32 first_lba, gint32 last_leadout_start);
void rb_stream_check_free(RbStreamCheck *self);

/*
 * @n whole sectors in stream order, continuing at
 * rb_stream_check_get_next_lba(); FALSE with @error (RB_STREAM_CHECK_ERROR)
 * at the first bad sector, whose LBA the message starts with. The checker
 * then stays failed: later calls fail with the same error, and the next LBA
 * stays at the bad sector.
 */
gboolean
rb_stream_check_sectors(RbStreamCheck *self, const guint8 *sectors, gsize n, GError **error);
gint32 rb_stream_check_get_next_lba(const RbStreamCheck *self);

/* the end of the stream was reached: checks that need the whole stream */
gboolean rb_stream_check_finish(RbStreamCheck *self, GError **error);

/*
 * What rb_stream_check_sectors() judges of one Q from LBA -150 on by itself,
 * whatever the stream around it: the CRC as @data_block_type takes it, a
 * mode that can be there, and a mode-1 frame's BCD fields, TNO (not the
 * lead-in's) and absolute time (@lba + 150). A Q this refuses, the stream
 * check refuses at @lba with the same error; one it accepts can still be
 * refused for what only the whole stream shows (the lead-in TOC against the
 * track starts). @q: RB_SUBQ_SIZE bytes; @lba >= -150.
 */
gboolean rb_stream_check_q(guint data_block_type, gint32 lba, const guint8 *q, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RbStreamCheck, rb_stream_check_free)

G_END_DECLS
