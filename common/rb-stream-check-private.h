/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the two halves of the stream preflight share: the checker's state
 * and the helpers that word its verdicts.
 */
#pragma once

#include "rb-msf.h"
#include "rb-stream-check.h"
#include "rb-subchannel.h"

G_BEGIN_DECLS

/* track 1's pregap: the program area's first LBA, the lead-in's end */
#define RB_STREAM_CHECK_PREGAP_START (-RB_CD_MSF_OFFSET)
/* the TOC table: tracks 01..99 in slots 0..98, then A0, A1, A2 */
#define RB_STREAM_CHECK_SLOT_A0 RB_SUBQ_MAX_TRACK
#define RB_STREAM_CHECK_SLOT_A1 (RB_STREAM_CHECK_SLOT_A0 + 1)
#define RB_STREAM_CHECK_SLOT_A2 (RB_STREAM_CHECK_SLOT_A0 + 2)
#define RB_STREAM_CHECK_N_SLOTS (RB_STREAM_CHECK_SLOT_A0 + 3)
/* "12 34 …": 12 bytes of Q as text; "mm:ss:ff" */
#define RB_STREAM_CHECK_Q_TEXT_SIZE (RB_SUBQ_SIZE * 3)
#define RB_STREAM_CHECK_MSF_TEXT_SIZE 9

typedef struct {
	gboolean seen;
	gint32 lba; /* where it was first seen, for messages */
	/* CTL/ADR, PMIN, PSEC, PFRAME as sent: the same every time round */
	guint8 fields[4];
	/* tracks and A2: the start LBA; A0 and A1: the track number */
	gint32 value;
} RbStreamCheckTocEntry;

struct _RbStreamCheck {
	guint data_block_type;
	gsize sector_size;
	gint32 next_lba;
	gint32 last_leadout_start;
	/* the first error; the checker stays failed with it */
	GError *failure;

	/* the previous lead-in running time (ADR 1) and where it was */
	gboolean have_running;
	gint32 running_lba;
	RbMsf running;

	/* the current run of lead-in frames: (ADR << 8) | POINT, 0 = none yet */
	guint run_key;
	guint run_length;
	gint32 run_start;
	gboolean run_is_first;
	/* a POINT came round again: a whole TOC cycle was fed */
	gboolean full_cycle;
	RbStreamCheckTocEntry toc[RB_STREAM_CHECK_N_SLOTS];

	/* the last ADR 1 frame: MCN/ISRC frames may sit on a track start */
	gint32 last_position_lba;
	gboolean track_started[RB_SUBQ_MAX_TRACK + 1];
	gboolean leadout_seen;
};

/* rb-stream-check.c */
gboolean rb_stream_check_fail(GError **error, gint code, const gchar *format, ...)
	G_GNUC_PRINTF(3, 4);
gboolean rb_stream_check_fail_bcd(gint32 lba, const guint8 *q, GError **error);
void rb_stream_check_hex(const guint8 *bytes, gsize n, gchar text[RB_STREAM_CHECK_Q_TEXT_SIZE]);
const gchar *rb_stream_check_msf_text(RbMsf msf, gchar text[RB_STREAM_CHECK_MSF_TEXT_SIZE]);
gboolean rb_stream_check_decode_msf(const guint8 *bcd, RbMsf *msf);

/* rb-stream-check-leadin.c */
gboolean rb_stream_check_leadin(RbStreamCheck *self, gint32 lba, const guint8 *q, GError **error);
gboolean rb_stream_check_run(RbStreamCheck *self, gint32 lba, guint key, GError **error);
gboolean rb_stream_check_leadin_end(RbStreamCheck *self, gint32 lba, GError **error);

G_END_DECLS
