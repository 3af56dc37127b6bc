/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The write job's preflight (rb-preflight.h). The reader thread feeds every
 * sector here before it commits it to the FIFO, so the writer never sends a
 * sector that was not checked; the writer's first WRITE waits until the
 * lead-in and the pregap are in the FIFO, which is what makes the check a
 * preflight: a stream aligned to the wrong lead-in length, or with a
 * broken lead-in TOC, is refused while the disc is still blank. The wait
 * ends when the FIFO is full, so a lead-in longer than the FIFO is checked
 * before the first WRITE only as far as the FIFO holds it.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbPreflight"

#include <errno.h>
#include <glib/gi18n.h>
#include <unistd.h>

#include "rb-error.h"
#include "rb-preflight.h"
#include "rb-stream-check.h"

/* the prescan reads this many sectors per pread() */
#define RB_PREFLIGHT_SCAN_SECTORS 256
/* the first WRITE waits for the program area's first second too: a stream
 * whose lead-in is longer than claimed shows there (mmc-notes 8.4) */
#define RB_PREFLIGHT_GATE_LBA 75

struct _RbPreflightCheck {
	RbStreamCheck *check;
	gsize sector_size;
	gsize partial; /* bytes of the current sector fed so far */
};

static const gchar *const rb_preflight_names[] = {
	[RB_PREFLIGHT_LEAD_IN] = "lead-in",
	[RB_PREFLIGHT_FULL] = "full",
	[RB_PREFLIGHT_OFF] = "off",
};

gboolean
rb_preflight_from_string(const gchar *text, RbPreflight *out)
{
	for (guint i = 0; i < G_N_ELEMENTS(rb_preflight_names); i++) {
		if (g_strcmp0(text, rb_preflight_names[i]) == 0) {
			*out = (RbPreflight)i;
			return TRUE;
		}
	}
	return FALSE;
}

/* a client's value: InvalidArgs naming the three */
gboolean
rb_preflight_parse(const gchar *text, RbPreflight *out, GError **error)
{
	if (rb_preflight_from_string(text, out))
		return TRUE;
	g_set_error(error,
		    G_DBUS_ERROR,
		    G_DBUS_ERROR_INVALID_ARGS,
		    _("Preflight is “lead-in”, “full” or “off”, not “%s”."),
		    text);
	return FALSE;
}

const gchar *
rb_preflight_to_string(RbPreflight preflight)
{
	g_return_val_if_fail(preflight < G_N_ELEMENTS(rb_preflight_names), NULL);
	return rb_preflight_names[preflight];
}

RbPreflightCheck *
rb_preflight_check_new(RbPreflight mode,
		       guint data_block_type,
		       gsize sector_size,
		       gint32 first_lba,
		       gint32 last_leadout_start)
{
	RbPreflightCheck *self;
	RbStreamCheck *check;

	if (mode == RB_PREFLIGHT_OFF)
		return NULL;
	check = rb_stream_check_new(data_block_type, first_lba, last_leadout_start);
	g_return_val_if_fail(check != NULL, NULL);
	self = g_new0(RbPreflightCheck, 1);
	self->check = check;
	self->sector_size = sector_size;
	return self;
}

void
rb_preflight_check_free(RbPreflightCheck *self)
{
	if (self == NULL)
		return;
	rb_stream_check_free(self->check);
	g_free(self);
}

/* the checker's verdict as the API's StreamInvalid, saying what it cost */
static void
rb_preflight_set_error(GError **error, const GError *check_error, gboolean written)
{
	if (written)
		rb_error_set(error,
			     RB_ERROR_STREAM_INVALID,
			     _("The stream is not a valid raw disc image: %s. The burn stopped "
			       "there; the disc is unusable."),
			     check_error->message);
	else
		rb_error_set(error,
			     RB_ERROR_STREAM_INVALID,
			     _("The stream is not a valid raw disc image: %s. Nothing was "
			       "written; the disc is still blank."),
			     check_error->message);
}

gboolean
rb_preflight_check_feed(
	RbPreflightCheck *self, const guint8 *data, gsize n, gboolean written, GError **error)
{
	g_autoptr(GError) check_error = NULL;
	gsize total = self->partial + n;
	gsize whole = total / self->sector_size;

	/* the sector the previous call began ends in this one: its first
	 * bytes lie right before @data */
	if (whole > 0 &&
	    !rb_stream_check_sectors(self->check, data - self->partial, whole, &check_error)) {
		rb_preflight_set_error(error, check_error, written);
		return FALSE;
	}
	self->partial = total % self->sector_size;
	return TRUE;
}

gboolean
rb_preflight_check_finish(RbPreflightCheck *self, gboolean written, GError **error)
{
	g_autoptr(GError) check_error = NULL;

	if (!rb_stream_check_finish(self->check, &check_error)) {
		rb_preflight_set_error(error, check_error, written);
		return FALSE;
	}
	return TRUE;
}

/* @total_sectors from @offset of @fd through a check of @mode; @finish:
 * they are the whole stream, whose end is checked too */
static gboolean
rb_preflight_scan_range(RbPreflight mode,
			guint data_block_type,
			gsize sector_size,
			gint fd,
			guint64 offset,
			gint64 total_sectors,
			gint32 first_lba,
			gint32 last_leadout_start,
			gboolean finish,
			GCancellable *cancellable,
			GError **error)
{
	g_autoptr(RbPreflightCheck) check = rb_preflight_check_new(
		mode, data_block_type, sector_size, first_lba, last_leadout_start);
	g_autofree guint8 *buf = g_malloc(RB_PREFLIGHT_SCAN_SECTORS * sector_size);
	guint64 total = (guint64)total_sectors * sector_size;
	guint64 done = 0;

	/* whole sectors per round: @total is a multiple of the sector size */
	while (done < total) {
		gsize want =
			(gsize)MIN((guint64)RB_PREFLIGHT_SCAN_SECTORS * sector_size, total - done);
		gsize got = 0;

		while (got < want) {
			gssize n = pread(fd, buf + got, want - got, (off_t)(offset + done + got));

			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				rb_error_set(error,
					     RB_ERROR_STREAM_NOT_SUPPORTED,
					     _("Cannot read the stream for its preflight check: "
					       "%s; check the file."),
					     n < 0 ? g_strerror(errno)
						   : _("it became shorter while it was read"));
				return FALSE;
			}
			got += (gsize)n;
		}
		if (g_cancellable_set_error_if_cancelled(cancellable, error))
			return FALSE;
		if (!rb_preflight_check_feed(check, buf, want, FALSE, error))
			return FALSE;
		done += want;
	}
	return !finish || rb_preflight_check_finish(check, FALSE, error);
}

gboolean
rb_preflight_scan_fd(RbPreflight mode,
		     guint data_block_type,
		     gsize sector_size,
		     gint fd,
		     guint64 offset,
		     gint64 total_sectors,
		     gint32 first_lba,
		     gint32 last_leadout_start,
		     GCancellable *cancellable,
		     GError **error)
{
	gint64 gate = first_lba < RB_PREFLIGHT_GATE_LBA ? RB_PREFLIGHT_GATE_LBA - first_lba : 0;
	gboolean full = mode == RB_PREFLIGHT_FULL;

	g_return_val_if_fail(mode != RB_PREFLIGHT_OFF, FALSE);
	return rb_preflight_scan_range(mode,
				       data_block_type,
				       sector_size,
				       fd,
				       offset,
				       full ? total_sectors : MIN(total_sectors, gate),
				       first_lba,
				       last_leadout_start,
				       full,
				       cancellable,
				       error);
}

gsize
rb_preflight_lead_in_bytes(RbPreflight mode, gsize sector_size, gint32 leadin_start_lba)
{
	if (mode == RB_PREFLIGHT_OFF || leadin_start_lba >= RB_PREFLIGHT_GATE_LBA)
		return 0;
	return (gsize)(RB_PREFLIGHT_GATE_LBA - leadin_start_lba) * sector_size;
}

gsize
rb_preflight_gate_bytes(RbPreflight mode,
			gsize sector_size,
			gint32 leadin_start_lba,
			gsize fifo_size)
{
	gsize gate = rb_preflight_lead_in_bytes(mode, sector_size, leadin_start_lba);

	return MIN(MAX(fifo_size / 2, gate), fifo_size);
}
