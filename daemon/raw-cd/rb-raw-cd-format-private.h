/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the parts of the DiscFormat2RawCD implementation share:
 * rb-raw-cd-format.c (clients, properties, the lock, drive operations) and
 * rb-raw-cd-write.c (WriteMedia, WriteMedia2 and Burn).
 */
#pragma once

#include "rb-client-table.h"
#include "rb-inhibitor.h"
#include "rb-journal.h"
#include "rb-raw-cd-format.h"
#include "rb-write-job.h"

G_BEGIN_DECLS

/* why a recorder takes no more work */
typedef enum {
	RB_FORMAT_ALIVE,
	RB_FORMAT_GONE,     /* unplugged or removed: DeviceGone */
	RB_FORMAT_STOPPING, /* the service stops: RequestCancelled */
} RbFormatLife;

struct _RbRawCdFormat {
	RbDiscFormat2RawCDSkeleton parent_instance;
	GDBusInterfaceVTable vtable;
	const RbRawCdFormatRecorder *recorder_ops;
	GObject *recorder;      /* not owned: it owns us; NULL once detached */
	RbClientTable *clients; /* created on first use, once exported */
	gchar *holder;          /* unique name of the lock holder, NULL when free */
	gchar *holder_name;     /* its ClientName, NULL while PrepareMedia runs */
	gboolean writing;
	gboolean release_after_write; /* the holder left while writing */
	/* the holder ejected or loaded the medium: what PrepareMedia read is stale */
	gboolean media_changed;
	/* the drive claims test writing, as last read (PrepareMedia reads it) */
	gboolean test_write_supported;
	RbFormatLife life;
	guint pending;             /* authorizations and drive operations in flight */
	GCancellable *cancellable; /* of the write running */
	/* the holder's Burn while the drive is prepared for it: CancelWrite
	 * ends it there; its job and cancellable are the call's (RbWriteArgs) */
	GCancellable *burn_preparing;
	RbWriteJob *job;
	/* the Job object of the write, erase or verify running, NULL when none */
	RbServiceJob *service_job;
	gboolean job_verify;       /* the write reads back (Burn's Verify) */
	guint64 job_write_sectors; /* the write's sectors, for the read-back's share */
	RbInhibitor *inhibitor;    /* logind's, from PrepareMedia to ReleaseMedia */
	guint update_id;
	gsize fifo_size;
	/* an erase or verify holding the lock (rb-raw-cd-operation.c), NULL when none */
	const gchar *operation;
	GCancellable *operation_cancellable; /* NULL: it cannot be stopped */
	gboolean operation_took_lock;        /* else the caller held it before */
	RbJournal *journal;                  /* the lock holder's records, NULL when free */
};

/*
 * What a WriteMedia, WriteMedia2 or Burn call carries from its handler to
 * the write: validated up front, applied only once authorized. Burn's
 * options are this call's values; they never become the caller's properties.
 */
typedef struct {
	gint fd; /* the stream, ours */
	gint32 lead_in_sectors;
	gboolean burn;
	gchar *client_name; /* NULL: the caller's */
	guint32 sector_type;
	gboolean buffer_underrun_free_disabled;
	gint32 write_speed;
	gboolean pure_cav;
	RbPreflight preflight;
	gboolean test_write; /* simulate: the Test Write bit, nothing recorded */
	gboolean verify;     /* read the disc back after FINISHING (Burn only) */
	gboolean have_sector_type;
	gboolean have_buffer_underrun_free_disabled;
	gboolean have_write_speed;
	gboolean have_pure_cav;
	gboolean have_preflight;
	gboolean have_test_write;
	/* a Burn's Job and the cancellable it shares with CancelWrite, from
	 * its preparation of the drive until the write takes them over: this
	 * call's own, so that no other call's end can touch them */
	RbServiceJob *service_job;
	GCancellable *cancellable;
} RbWriteArgs;

#define RB_WRITE_ARGS_KEY "rb-write-args"
#define RB_WRITE_SPEED_FASTEST (-1)
/* WriteMedia's stream starts at 95:00:00 */
#define RB_STREAM_LEADIN_DEFAULT 22650
#define RB_SECTOR_TYPE_DEFAULT 2

RbWriteArgs *rb_write_args_get(GDBusMethodInvocation *invocation);

typedef enum {
	RB_DRIVE_OP_PREPARE,
	RB_DRIVE_OP_RELEASE,
	RB_DRIVE_OP_SET_SPEED,
	RB_DRIVE_OP_CUSTOM, /* rb_raw_cd_format_run_on_drive() */
} RbDriveOp;

typedef struct {
	RbDriveOp op;
	gchar *sender;
	gchar *name;        /* the recorder's, for messages */
	gchar *client_name; /* NULL: the caller's process name */
	gint32 speed;
	gboolean pure_cav;
	GDBusConnection *connection;
	GObject *recorder; /* kept alive until the callback ran: it may be unplugged meanwhile */
	RbMmcTransport *transport;
	GMutex *drive_mutex;
	RbDriveState *state; /* result */
	gboolean (*custom)(RbMmcTransport *transport, gpointer data, GError **error);
	gpointer custom_data;
	GDestroyNotify custom_data_free;
	GAsyncReadyCallback callback;
	gpointer user_data;
} RbDriveOpData;

#define RB_RAW_CD_INTERFACE "org.rawburn.RawBurn1.DiscFormat2RawCD"

/* rb-raw-cd-drive.c */
void rb_raw_cd_format_run_drive_op(RbRawCdFormat *self,
				   RbDriveOpData *data,
				   GAsyncReadyCallback callback,
				   gpointer user_data);

/* rb-raw-cd-properties.c */
GDBusInterfaceVTable *rb_raw_cd_format_get_vtable(GDBusInterfaceSkeleton *skeleton);

/* rb-raw-cd-format.c */
RbClientState *rb_raw_cd_format_client(RbRawCdFormat *self, const gchar *sender);
RbClientState *rb_raw_cd_format_lookup_client(RbRawCdFormat *self, const gchar *sender);
const GDBusInterfaceVTable *rb_raw_cd_format_get_parent_vtable(RbRawCdFormat *self);
gboolean rb_raw_cd_format_is_holder(RbRawCdFormat *self, const gchar *sender);
gboolean rb_raw_cd_format_has_sector_type(RbRawCdFormat *self, guint32 type);
gboolean rb_raw_cd_format_check_alive(RbRawCdFormat *self, GDBusMethodInvocation *invocation);
typedef void (*RbFormatContinuation)(RbRawCdFormat *self, GDBusMethodInvocation *invocation);
void rb_raw_cd_format_authorize(RbRawCdFormat *self,
				GDBusMethodInvocation *invocation,
				GVariant *options,
				RbFormatContinuation next);

/* rb-raw-cd-lock.c */
void rb_raw_cd_format_set_owner(RbRawCdFormat *self, const gchar *sender, const gchar *client_name);
void rb_raw_cd_format_inhibit(RbRawCdFormat *self, const gchar *why);
void rb_raw_cd_format_release(RbRawCdFormat *self, GDBusMethodInvocation *invocation);
void rb_raw_cd_format_release_lock_only(RbRawCdFormat *self);
void rb_raw_cd_format_release_stopping(RbRawCdFormat *self);
void rb_raw_cd_format_release_vanished(RbRawCdFormat *self);
gboolean rb_raw_cd_format_handle_prepare_media(RbDiscFormat2RawCD *iface,
					       GDBusMethodInvocation *invocation);
gboolean rb_raw_cd_format_handle_release_media(RbDiscFormat2RawCD *iface,
					       GDBusMethodInvocation *invocation);
void rb_raw_cd_format_prepare_authorized(RbRawCdFormat *self, GDBusMethodInvocation *invocation);

/* rb-raw-cd-journal.c */
void rb_raw_cd_journal_owner(RbRawCdFormat *self, const gchar *sender, const gchar *client_name);
void rb_raw_cd_journal_release_reason(RbRawCdFormat *self, const gchar *reason);
void rb_raw_cd_journal_prepared(RbRawCdFormat *self, gint32 write_speed);
void rb_raw_cd_journal_write_started(RbRawCdFormat *self,
				     const RbWriteArgs *args,
				     const RbWriteJobParams *params,
				     gint32 write_speed,
				     gint64 stream_bytes);
void rb_raw_cd_journal_write_refused(RbRawCdFormat *self,
				     GDBusMethodInvocation *invocation,
				     const GError *error);
void rb_raw_cd_journal_write_ended(RbRawCdFormat *self, RbWriteJob *job, const GError *error);

/* rb-raw-cd-speed.c */
gboolean rb_raw_cd_format_handle_set_write_speed(RbDiscFormat2RawCD *iface,
						 GDBusMethodInvocation *invocation,
						 gint32 sectors_per_second,
						 gboolean pure_cav);

/* rb-raw-cd-write.c */
void rb_raw_cd_write_init(RbRawCdFormat *self);
void rb_raw_cd_write_start(RbRawCdFormat *self, GDBusMethodInvocation *invocation);
void
rb_raw_cd_write_failed(RbRawCdFormat *self, GDBusMethodInvocation *invocation, const GError *error);

/* rb-raw-cd-write-progress.c */
void rb_raw_cd_write_emit_update(RbRawCdFormat *self);
gboolean rb_raw_cd_write_on_update_timer(gpointer user_data);
void rb_raw_cd_write_on_action(RbWriteJob *job, RbWriteAction action, gpointer user_data);
void rb_raw_cd_burn_begin(RbRawCdFormat *self,
			  RbWriteArgs *args,
			  const gchar *sender,
			  const gchar *client_name);
void rb_raw_cd_burn_prepared(RbRawCdFormat *self, RbWriteArgs *args);
void rb_write_args_end_job(RbWriteArgs *args, const GError *error);
void rb_raw_cd_write_end_job(RbRawCdFormat *self, const GError *error);
gboolean rb_raw_cd_format_handle_cancel_write(RbDiscFormat2RawCD *iface,
					      GDBusMethodInvocation *invocation);

/* rb-raw-cd-verify.c */
void rb_raw_cd_verify_init(RbRawCdFormat *self);

/* StreamLeadInSectors (any int32, as IMAPI's streamLeadInSectors) to the
 * stream's first LBA, -|sectors|; the same for Burn, WriteMedia2 and
 * VerifyMedia */
gboolean rb_raw_cd_parse_stream_lead_in(GVariant *value, gint32 *out, GError **error);
gint32 rb_raw_cd_stream_first_lba(gint32 lead_in_sectors);
/* the ClientName option of Burn and VerifyMedia into @client_name (the old
 * one freed) */
gboolean rb_raw_cd_parse_client_name(GVariant *value, gchar **client_name, GError **error);

G_END_DECLS
