/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What "rawburnctl burn" shares between its two kinds of image: the
 * options, and the session with the service (rb-ctl-burn.c: ClientName,
 * PrepareMedia, the settings, WriteMedia2 with progress and cancelling,
 * ReleaseMedia) that a raw DAO file goes through as it is and an image
 * file through a pipe its producer fills (rb-ctl-burn-image.c).
 */
#pragma once

#include <gio/gunixfdlist.h>

#include "rb-ctl-image.h"

G_BEGIN_DECLS

/* 95:00:00, where IMAPI's WriteMedia streams start */
#define RB_CTL_BURN_DEFAULT_LEAD_IN 22650

typedef struct {
	gint sector_type; /* 0: decide from the image (or the recorder) */
	gint lead_in;
	gint speed;
	gboolean no_burnfree;
	/* --simulate: the TestWrite property, the laser off, the disc left blank */
	gboolean simulate;
	gchar *client_name;
	RbCtlCdTextOptions cdtext;
	gboolean verify;      /* Burn with Verify: read back after writing */
	gboolean verify_only; /* "rawburnctl verify": VerifyMedia, nothing written */
} RbCtlBurnOptions;

/* the read-back, from its Update signals: when it began, where, and the
 * last LBA read (rb-ctl-verify.c) */
typedef struct {
	gint64 start_us;
	gint32 first_lba;
	gint32 last_lba;
} RbCtlVerifyProgress;

/* the state of one WriteMedia2 call (rb-ctl-burn.c) */
typedef struct _RbCtlBurn RbCtlBurn;

/* what WriteMedia2 reads, and who produces it */
typedef struct {
	GUnixFDList *fds; /* one descriptor; sent, then dropped */
	gboolean size_known;
	/* an image file: its tracks for the progress, and the stream's end */
	const RbImageLayout *layout;
	/* on the main thread once WriteMedia2 is sent: start producing */
	void (*start)(RbCtlBurn *burn, gpointer user_data);
	/* once WriteMedia2 replied: stop producing; FALSE with why it failed */
	gboolean (*finish)(gpointer user_data, GError **error);
	/* on the main thread, after rb_ctl_burn_abort(): close the stream's
	 * end, so that the service reads its end rather than wait for ever */
	void (*abandon)(gpointer user_data);
	gpointer user_data;
} RbCtlBurnStream;

/* everything from ClientName to ReleaseMedia; an exit status */
int rb_ctl_burn_session(RbCtl *ctl,
			RbDiscFormat2RawCD *format,
			RbCtlBurnStream *stream,
			const RbCtlBurnOptions *options,
			GError **error);
/* rb-ctl-burn-raw.c: a raw DAO file, or "-" for standard input, sent as
 * it is */
int rb_ctl_burn_raw(RbCtl *ctl,
		    const gchar *recorder,
		    const gchar *path,
		    RbCtlBurnOptions *options,
		    GError **error);
/* on the main thread: the producer failed, the service must stop the
 * write: CancelWrite, asked again until it succeeds or the write ends; the
 * stream is abandoned once a CancelWrite was answered, however */
void rb_ctl_burn_abort(RbCtlBurn *burn);

/* rb-ctl-burn-image.c: "burn" and "verify", the same image, the same
 * stream; @verify_only: VerifyMedia rather than a write */
int rb_ctl_burn_command(RbCtl *ctl, gint argc, gchar **argv, gboolean verify_only, GError **error);

/* rb-ctl-verify.c: Burn's parameters with Verify, or VerifyMedia's */
GVariant *rb_ctl_verify_params(const RbCtlBurnOptions *options);
/* an Update with action 4 VERIFYING */
void rb_ctl_verify_progress_update(RbCtlVerifyProgress *progress,
				   gint32 start_lba,
				   gint32 last_read_lba);
/* the result of a read-back that found the disc equal to the image */
void rb_ctl_verify_print(RbCtl *ctl,
			 const RbCtlVerifyProgress *progress,
			 const RbCtlBurnOptions *options);

/* rb-ctl-burn-image.c: an image file (not a raw DAO stream) onto @recorder */
int rb_ctl_burn_image(RbCtl *ctl,
		      const gchar *recorder,
		      RbDiscImage *image,
		      RbCtlBurnOptions *options,
		      GError **error);

G_END_DECLS
