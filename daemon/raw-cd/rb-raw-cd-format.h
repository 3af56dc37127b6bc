/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rb-generated.h"
#include "rb-authority.h"
#include "rb-error.h"
#include "rb-job-registry.h"
#include "rb-mmc-transport.h"
#include "rb-recorder-drive.h"

G_BEGIN_DECLS

#define RB_TYPE_RAW_CD_FORMAT (rb_raw_cd_format_get_type())
G_DECLARE_FINAL_TYPE(RbRawCdFormat, rb_raw_cd_format, RB, RAW_CD_FORMAT, RbDiscFormat2RawCDSkeleton)

/* IMAPI's Update cadence while writing, erasing and verifying: twice a second */
#define RB_UPDATE_INTERVAL_MS 500

/* the recorder's side, which the format uses and does not own */
typedef struct {
	/* a real drive is opened only while it is used: others may want it too */
	RbMmcTransport *(*get_transport)(gpointer recorder, GError **error);
	void (*drive_released)(gpointer recorder);
	GMutex *(*get_drive_mutex)(gpointer recorder);
	void (*apply_drive_state)(gpointer recorder, const RbDriveState *state);
	void (*set_exclusive_owner)(gpointer recorder, const gchar *client_name);
	/* a write ended: the medium changed */
	void (*write_finished)(gpointer recorder);
	/* who may burn; the daemon's, shared by every recorder */
	RbAuthority *(*get_authority)(gpointer recorder);
	/* where the jobs of its writes, erases and verifies go; NULL: none */
	RbJobRegistry *(*get_job_registry)(gpointer recorder);
} RbRawCdFormatRecorder;

RbRawCdFormat *rb_raw_cd_format_new(const gchar *object_path,
				    const RbRawCdFormatRecorder *recorder_ops,
				    GObject *recorder);
void rb_raw_cd_format_apply_drive_state(RbRawCdFormat *self, const RbDriveState *state);
gboolean rb_raw_cd_format_is_busy(RbRawCdFormat *self);
gboolean rb_raw_cd_format_is_writing(RbRawCdFormat *self);
void rb_raw_cd_format_set_fifo_size(RbRawCdFormat *self, gsize fifo_size);
void rb_raw_cd_format_device_gone(RbRawCdFormat *self);
void rb_raw_cd_format_shutdown(RbRawCdFormat *self);
void rb_raw_cd_format_detach(RbRawCdFormat *self);
const gchar *rb_raw_cd_format_get_lock_owner(RbRawCdFormat *self);
gboolean rb_raw_cd_format_is_lock_holder(RbRawCdFormat *self, const gchar *sender);
void rb_raw_cd_format_set_media_changed(RbRawCdFormat *self);

/* rb-raw-cd-journal.c: an erase's or verify's journal records, once it
 * began (@mode e.g. "full", may be NULL) and before it ends */
void rb_raw_cd_format_journal_operation_started(RbRawCdFormat *self, const gchar *mode);
void rb_raw_cd_format_journal_operation_ended(RbRawCdFormat *self, const GError *error);

/* rb-raw-cd-operation.c: erase and verify under the recorder's lock */
gboolean rb_raw_cd_format_begin_operation(RbRawCdFormat *self,
					  const gchar *operation,
					  const gchar *sender,
					  const gchar *client_name,
					  const gchar *why,
					  GCancellable *cancellable,
					  GError **error);
/* the Job of a write, erase or verify starting now, on the bus shortly;
 * @cancellable: what Job.Cancel cancels (NULL: not cancelable). NULL when
 * the recorder has no registry. */
RbServiceJob *rb_raw_cd_format_start_job(RbRawCdFormat *self,
					 const gchar *operation,
					 const gchar *sender,
					 const gchar *client_name,
					 GCancellable *cancellable);
void rb_raw_cd_format_end_operation(RbRawCdFormat *self, const RbDriveState *state);
void rb_raw_cd_format_abandon_operation(RbRawCdFormat *self);
/* runs in a worker thread, holding the drive mutex */
typedef gboolean (*RbFormatDriveFunc)(RbMmcTransport *transport,
				      gpointer data,
				      GCancellable *cancellable,
				      GError **error);
void rb_raw_cd_format_run_on_drive(RbRawCdFormat *self,
				   RbFormatDriveFunc func,
				   gpointer data,
				   GDestroyNotify data_free,
				   GCancellable *cancellable,
				   GAsyncReadyCallback callback,
				   gpointer user_data);
gboolean
rb_raw_cd_format_run_on_drive_finish(RbRawCdFormat *self, GAsyncResult *result, GError **error);

G_END_DECLS
