/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rb-drive-probe.h"
#include "rb-mmc-transport.h"

G_BEGIN_DECLS

/* what the daemon knows of a drive and its medium, read off the main thread */
typedef struct {
	gchar *vendor;
	gchar *product;
	gchar *revision;
	GArray *supported_profiles; /* guint32 */
	GArray *current_profiles;   /* guint32 */
	GArray *supported_features; /* guint32 */
	GArray *current_features;   /* guint32 */
	GArray *mode_pages;         /* guint32 */
	gboolean media_present;
	guint32 media_type; /* IMAPI_MEDIA_PHYSICAL_TYPE */
	gboolean media_blank;
	gboolean media_erasable; /* READ DISC INFORMATION's Erasable bit */
	gboolean raw_supported;
	gboolean buf;
	gboolean test_write;  /* the drive claims test writing (RbDriveInfo) */
	GArray *sector_types; /* guint32, IMAPI */
	GArray *write_speeds; /* RbMmcSpeedDescriptor, fastest first */
	gint32 leadin_start;
	gint32 last_leadout_start;
	gint32 current_write_speed; /* sectors/s */
	gboolean current_pure_cav;
} RbDriveState;

RbDriveState *rb_drive_state_new(void);
void rb_drive_state_free(RbDriveState *state);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RbDriveState, rb_drive_state_free)

RbDriveState *rb_drive_state_new_from_info(const RbDriveInfo *info);

/* blocking: call from a worker thread only */
RbDriveState *
rb_recorder_drive_read_state(RbMmcTransport *transport, const gchar *name, GError **error);
gboolean rb_recorder_drive_set_speed(RbMmcTransport *transport,
				     gint32 sectors_per_second,
				     gboolean pure_cav,
				     RbDriveState *state,
				     GError **error);

G_END_DECLS
