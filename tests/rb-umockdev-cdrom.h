/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Linux CD-ROM layer's reading ioctls (drivers/cdrom/cdrom.c with
 * drivers/scsi/sr_ioctl.c underneath) for the emulated drive behind
 * umockdev: each one becomes the MMC commands the kernel sends, executed by
 * the RbVdrive, so the drive stays the one source of truth.
 */
#pragma once

#include <umockdev.h>

#include "rb-vdrive.h"

G_BEGIN_DECLS

/*
 * Answers @request (CDROMREADTOCHDR, CDROMREADTOCENTRY, CDROMSUBCHNL,
 * CDROM_GET_MCN, CDROMMULTISESSION, CDROM_LAST_WRITTEN, CDROM_DISC_STATUS,
 * CDROMREADRAW, CDROMREADMODE1, CDROMREADMODE2, CDROMREADAUDIO,
 * CDROM_SELECT_SPEED) and completes @client. Returns FALSE, leaving the
 * client alone, for any other request. Sets *@unit_attention when the drive
 * reported a medium change on the way (the kernel then flags the medium as
 * changed).
 */
gboolean rb_umockdev_cdrom_handle(RbVdrive *vdrive,
				  UMockdevIoctlClient *client,
				  gulong request,
				  gboolean *unit_attention);

G_END_DECLS
