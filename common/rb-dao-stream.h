/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A raw disc-at-once stream of an audio disc, sector by sector: the lead-in
 * with its TOC in Q, the pregap of track 1, the program area and a 90-second
 * lead-out, each sector as main channel plus the sub-channel of the chosen
 * data block type. The client turns images into such a stream; tests and
 * benchmarks use it as an oracle.
 */
#pragma once

#include <glib.h>

#include "rb-msf.h"
#include "rb-subchannel.h"

G_BEGIN_DECLS

#define RB_DAO_MAX_TRACKS RB_SUBQ_MAX_TRACK
/* track 1's pregap: LBA -150..-1, index 0 */
#define RB_DAO_PREGAP_SECTORS 150
/* the lead-out of a first session: 90 seconds */
#define RB_DAO_LEADOUT_SECTORS 6750
/*
 * 95:00:00, where a WriteMedia stream starts by default. The lead-in TOC
 * cycle is anchored at this LBA, whatever the stream's own start, so that a
 * stream from a later lead-in start is exactly the tail of one from an
 * earlier start: a service may trim a lead-in without changing a byte.
 */
#define RB_DAO_STREAM_LEADIN_ANCHOR (-22650)

#define RB_DAO_STREAM_ERROR (rb_dao_stream_error_quark())

typedef enum {
	/* the disc layout or a parameter cannot form a stream */
	RB_DAO_STREAM_ERROR_INVALID_ARGUMENT,
	/* an LBA outside the stream */
	RB_DAO_STREAM_ERROR_OUT_OF_RANGE,
} RbDaoStreamError;

/*
 * One audio track: @start is the LBA of index 01 (track 1 starts at 0),
 * @length its sectors. A gap before the next track's start becomes that
 * track's pregap (index 00, P set).
 */
typedef struct {
	gint32 start;
	guint32 length;
} RbDaoTrack;

/*
 * Fills all RB_CD_MAIN_SIZE bytes of @main_data for program-area sector @lba
 * (0 up to the lead-out start, later pregaps included). Returns FALSE and
 * sets @error when the data cannot be had.
 */
typedef gboolean (*RbDaoStreamMainFunc)(gint32 lba,
					guint8 *main_data,
					gpointer user_data,
					GError **error);

typedef struct _RbDaoStream RbDaoStream;

GQuark rb_dao_stream_error_quark(void);

RbDaoStream *rb_dao_stream_new(gint32 leadin_start,
			       const RbDaoTrack *tracks,
			       guint n_tracks,
			       guint data_block_type,
			       RbDaoStreamMainFunc main_func,
			       gpointer user_data,
			       GDestroyNotify user_data_free,
			       GError **error);
void rb_dao_stream_free(RbDaoStream *stream);

gint32 rb_dao_stream_get_first_lba(const RbDaoStream *stream);
gint32 rb_dao_stream_get_leadout_start(const RbDaoStream *stream);
gint32 rb_dao_stream_get_end_lba(const RbDaoStream *stream);
guint32 rb_dao_stream_get_n_sectors(const RbDaoStream *stream);
guint rb_dao_stream_get_data_block_type(const RbDaoStream *stream);
gsize rb_dao_stream_get_sector_size(const RbDaoStream *stream);

gboolean rb_dao_stream_get_subq(
	const RbDaoStream *stream, gint32 lba, RbSubQ *subq, gboolean *p, GError **error);
gboolean
rb_dao_stream_get_sector(const RbDaoStream *stream, gint32 lba, guint8 *out, GError **error);
gboolean rb_dao_stream_get_sectors(
	const RbDaoStream *stream, gint32 lba, guint count, guint8 *out, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RbDaoStream, rb_dao_stream_free)

G_END_DECLS
