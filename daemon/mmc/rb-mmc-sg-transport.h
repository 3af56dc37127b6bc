/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The transport for real drives: /dev/srN opened read-write and exclusive,
 * commands through the SG_IO ioctl, with host and driver status checked so
 * that a host timeout or an unplugged drive never looks like success.
 */
#pragma once

#include <gio/gio.h>
#include <scsi/sg.h>

#include "rb-mmc-transport.h"

G_BEGIN_DECLS

#define RB_TYPE_MMC_SG_TRANSPORT (rb_mmc_sg_transport_get_type())
G_DECLARE_FINAL_TYPE(RbMmcSgTransport, rb_mmc_sg_transport, RB, MMC_SG_TRANSPORT, RbMmcTransport)

/* host_status values of the Linux SCSI midlayer (DID_*, not in the uapi headers) */
#define RB_SG_DID_OK 0x00
#define RB_SG_DID_NO_CONNECT 0x01
#define RB_SG_DID_BUS_BUSY 0x02
#define RB_SG_DID_TIME_OUT 0x03
#define RB_SG_DID_BAD_TARGET 0x04
#define RB_SG_DID_ABORT 0x05
#define RB_SG_DID_PARITY 0x06
#define RB_SG_DID_ERROR 0x07
#define RB_SG_DID_RESET 0x08
/* driver_status: the DRIVER_SENSE bit is set with every CHECK CONDITION */
#define RB_SG_DRIVER_STATUS_MASK 0xF7
#define RB_SG_DRIVER_TIMEOUT 0x06
#define RB_SG_DRIVER_SENSE 0x08

/* NULL with an RbError naming @device and the errno when it cannot be opened */
RbMmcTransport *rb_mmc_sg_transport_new(const gchar *device, GError **error);
const gchar *rb_mmc_sg_transport_get_device(RbMmcSgTransport *self);

/* The pieces of execute() that do not need a drive, for the tests: the
 * error for a failed open(), and the evaluation of a completed SG_IO
 * (@ioctl_errno is 0 when the ioctl returned 0). */
GError *rb_mmc_sg_open_error_new(const gchar *device, gint errsv);
gboolean rb_mmc_sg_evaluate(const gchar *device,
			    const struct sg_io_hdr *hdr,
			    gint ioctl_errno,
			    RbMmcResult *result,
			    GError **error);

G_END_DECLS
