/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the daemon knows about one CD recorder: udev's view (names, node,
 * the SCSI parent's vendor and model) completed by asking the drive itself
 * over MMC (INQUIRY, GET CONFIGURATION, mode pages, TEST UNIT READY, the
 * raw capability probe, READ DISC INFORMATION). The probe blocks on the
 * drive: run it in a worker thread.
 */
#pragma once

#include <gio/gio.h>

#include "rb-mmc-probe.h"
#include "rb-mmc-replies.h"
#include "rb-mmc-transport.h"

G_BEGIN_DECLS

/* IMAPI_MEDIA_PHYSICAL_TYPE values for the media a CD recorder takes */
typedef enum {
	RB_DRIVE_MEDIA_TYPE_NONE = 0, /* IMAPI_MEDIA_TYPE_UNKNOWN: none or not a CD */
	RB_DRIVE_MEDIA_TYPE_CD_ROM = 1,
	RB_DRIVE_MEDIA_TYPE_CD_R = 2,
	RB_DRIVE_MEDIA_TYPE_CD_RW = 3,
} RbDriveMediaType;

typedef struct {
	guint16 code;
	gboolean current;
} RbDriveFeature;

typedef struct {
	/* from udev */
	gchar *kernel_name; /* "sr0" */
	gchar *device_node; /* udev_device_get_devnode(): what the probe opens */
	gchar *syspath;
	/* from INQUIRY, or the SCSI parent's sysattrs when the drive was not asked */
	gchar *vendor;
	gchar *product;
	gchar *revision;

	/* TRUE when everything below came from the drive; FALSE when the
	 * probe failed and the media fields are udev's ID_CDROM_MEDIA* view */
	gboolean probed;
	guint16 current_profile;
	GArray *profiles;   /* RbMmcProfile, in reply order */
	GArray *features;   /* RbDriveFeature, in reply order */
	GArray *mode_pages; /* guint8: the codes of the pages MODE SENSE answered */
	/* the drive claims test writing: the Test Write bit of feature 002Dh
	 * or 002Eh, or of page 2Ah for a drive that lists neither */
	gboolean test_write;

	gboolean media_present;
	RbDriveMediaType media_type;
	/* READ DISC INFORMATION, when a medium is present */
	gboolean blank;
	gboolean erasable;
	gboolean leadin_start_valid;
	gint32 leadin_start; /* LBA, negative */
	gboolean last_leadout_valid;
	gint32 last_leadout_start; /* LBA of the last possible lead-out start */

	/* rb_mmc_probe_raw(), when a medium is present */
	gboolean raw_supported;
	gboolean buf;
	GArray *sector_types; /* guint, IMAPI_FORMAT2_RAW_CD_DATA_SECTOR_TYPE, ascending */
	GArray *write_speeds; /* RbMmcSpeedDescriptor, fastest first */

	/*< private >*/
	gint ref_count;
} RbDriveInfo;

#define RB_TYPE_DRIVE_INFO (rb_drive_info_get_type())
GType rb_drive_info_get_type(void);

RbDriveInfo *
rb_drive_info_new(const gchar *kernel_name, const gchar *device_node, const gchar *syspath);
RbDriveInfo *rb_drive_info_ref(RbDriveInfo *info);
void rb_drive_info_unref(RbDriveInfo *info);

/* @current may be NULL */
gboolean rb_drive_info_has_profile(const RbDriveInfo *info, guint16 profile, gboolean *current);
gboolean rb_drive_info_has_feature(const RbDriveInfo *info, guint16 code, gboolean *current);
gboolean rb_drive_info_has_mode_page(const RbDriveInfo *info, guint8 page_code);
gboolean rb_drive_info_has_sector_type(const RbDriveInfo *info, guint imapi_sector_type);

RbDriveMediaType rb_drive_media_type_from_profile(guint16 profile);

/*
 * Asks the drive: a new RbDriveInfo with @seed's names and what the drive
 * answered. @transport NULL opens @seed's device node with the SG_IO
 * transport for the duration of the probe. Steps a drive may refuse (old
 * drives without GET CONFIGURATION, no medium) leave their fields empty;
 * NULL with @error only when the drive cannot be opened or asked at all,
 * or on cancellation (RB_ERROR_REQUEST_CANCELLED). Blocking.
 */
RbDriveInfo *rb_drive_probe(const RbDriveInfo *seed,
			    RbMmcTransport *transport,
			    GCancellable *cancellable,
			    GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RbDriveInfo, rb_drive_info_unref)

G_END_DECLS
