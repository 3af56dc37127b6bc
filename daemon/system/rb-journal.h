/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a recorder's lock holder did, for the system journal: one structured
 * record per event (prepare, write, erase, verify, release) with the
 * recorder, the client and its uid as fields.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _RbJournal RbJournal;

/* what a write is asked to do, for its start record */
typedef struct {
	guint32 sector_type;
	gint64 stream_bytes; /* -1: a pipe, unknown */
	gsize sector_size;
	gint32 lead_in_sectors;
	gint32 write_speed; /* sectors/s, -1 fastest */
	gboolean test_write;
	gboolean verify;
	gboolean bufe; /* buffer underrun free recording asked for */
} RbJournalWrite;

/* the uid and pid of @bus_name are asked of the bus at once; records made
 * before the answer wait for it, in order */
RbJournal *rb_journal_new(GDBusConnection *connection,
			  const gchar *recorder,
			  const gchar *bus_name,
			  const gchar *client_name);
RbJournal *rb_journal_ref(RbJournal *self);
void rb_journal_unref(RbJournal *self);
const gchar *rb_journal_get_bus_name(RbJournal *self);
void rb_journal_set_client_name(RbJournal *self, const gchar *client_name);
/* why the lock will go; the first reason given stays */
void rb_journal_set_release_reason(RbJournal *self, const gchar *reason);

void rb_journal_prepared(RbJournal *self, gint32 write_speed);
void rb_journal_write_started(RbJournal *self, const RbJournalWrite *write);
/* refused before anything reached the drive */
void rb_journal_write_refused(RbJournal *self, const GError *error);
/* @sectors written, of @sector_size bytes; @error NULL: the write ended
 * well; RequestCancelled: cancelled for @how. @fifo_size: the burn's FIFO
 * in bytes (0: none was made); @fifo_min_fill: its low-water mark while
 * writing, in percent, -1 when no WRITE completed */
void rb_journal_write_ended(RbJournal *self,
			    gint64 sectors,
			    gsize sector_size,
			    gint32 last_written_lba,
			    gsize fifo_size,
			    gint fifo_min_fill,
			    const GError *error,
			    const gchar *how);
/* @operation "erase" or "verify"; @mode e.g. "full" or "minimal" (may be NULL) */
void rb_journal_operation_started(RbJournal *self, const gchar *operation, const gchar *mode);
void rb_journal_operation_ended(RbJournal *self, const GError *error);
void rb_journal_released(RbJournal *self);
/* a Job.Cancel that was let through: who ended whose work, for the audit
 * trail (another user's needs org.rawburn.cancel-other) */
void rb_journal_job_cancelled(const gchar *job_path,
			      const gchar *recorder_path,
			      const gchar *caller_bus_name,
			      guint32 caller_uid,
			      guint32 started_by_uid);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RbJournal, rb_journal_unref)

G_END_DECLS
