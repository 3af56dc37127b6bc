/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The stream preflight of a burn: what the write job checks of the stream
 * with common/rb-stream-check.h before the first WRITE, and of every sector
 * before it is sent, so that a stream its own sub-channel proves wrong never
 * costs a disc.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* what is checked before the first WRITE: the lead-in (as far as the FIFO
 * holds it) and the first FIFO fill, the whole stream when it is seekable,
 * or nothing at all, also not while writing */
typedef enum {
	RB_PREFLIGHT_LEAD_IN,
	RB_PREFLIGHT_FULL,
	RB_PREFLIGHT_OFF,
} RbPreflight;

gboolean rb_preflight_from_string(const gchar *text, RbPreflight *out);
gboolean rb_preflight_parse(const gchar *text, RbPreflight *out, GError **error);
const gchar *rb_preflight_to_string(RbPreflight preflight);

typedef struct _RbPreflightCheck RbPreflightCheck;

/* NULL for RB_PREFLIGHT_OFF: nothing is checked */
RbPreflightCheck *rb_preflight_check_new(RbPreflight mode,
					 guint data_block_type,
					 gsize sector_size,
					 gint32 first_lba,
					 gint32 last_leadout_start);
void rb_preflight_check_free(RbPreflightCheck *self);

/*
 * @n new bytes of the stream at @data, in stream order; a sector may span
 * two calls (its first bytes lie right before @data, as they do in the FIFO,
 * where a sector never wraps). Checks every sector completed by them.
 * @written: whether a WRITE was sent already, for the message.
 * Errors: RB_ERROR_STREAM_INVALID.
 */
gboolean rb_preflight_check_feed(
	RbPreflightCheck *self, const guint8 *data, gsize n, gboolean written, GError **error);
gboolean rb_preflight_check_finish(RbPreflightCheck *self, gboolean written, GError **error);

/* a seekable stream read with pread() before anything is written: with
 * RB_PREFLIGHT_FULL every sector of @total_sectors from @offset of @fd and
 * its end; with RB_PREFLIGHT_LEAD_IN what the first WRITE waits to see
 * checked (rb_preflight_lead_in_bytes()), so that the FIFO need not hold it */
gboolean rb_preflight_scan_fd(RbPreflight mode,
			      guint data_block_type,
			      gsize sector_size,
			      gint fd,
			      guint64 offset,
			      gint64 total_sectors,
			      gint32 first_lba,
			      gint32 last_leadout_start,
			      GCancellable *cancellable,
			      GError **error);

/* the lead-in and the pregap that Preflight checks before the first WRITE,
 * in bytes; 0 when it checks none */
gsize rb_preflight_lead_in_bytes(RbPreflight mode, gsize sector_size, gint32 leadin_start_lba);

/* how much of the stream the FIFO must hold before the first WRITE: the
 * lead-in and the pregap, checked, or half the FIFO, whichever is more,
 * and never more than the FIFO holds */
gsize rb_preflight_gate_bytes(RbPreflight mode,
			      gsize sector_size,
			      gint32 leadin_start_lba,
			      gsize fifo_size);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RbPreflightCheck, rb_preflight_check_free)

G_END_DECLS
