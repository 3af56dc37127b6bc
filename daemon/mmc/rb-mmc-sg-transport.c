/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SG_IO on /dev/srN. Plain open() and ioctl() from libc, and no fstat()
 * check for a block device, so that umockdev can stand in for the drive in
 * tests. Why SG_IO and not CDROM_SEND_PACKET: mmc-notes.md 7.3.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbMmc"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "rb-error.h"
#include "rb-mmc-cdb.h"
#include "rb-mmc-sg-transport.h"

struct _RbMmcSgTransport {
	RbMmcTransport parent_instance;
	gchar *device;
	gint fd;
};

G_DEFINE_TYPE(RbMmcSgTransport, rb_mmc_sg_transport, RB_TYPE_MMC_TRANSPORT)

GError *
rb_mmc_sg_open_error_new(const gchar *device, gint errsv)
{
	RbError code;
	const gchar *why;

	switch (errsv) {
	case ENOENT:
	case ENODEV:
	case ENXIO:
		code = RB_ERROR_DEVICE_GONE;
		why = _("no such device");
		break;
	case EBUSY:
		/* O_EXCL on a block device: mounted, or held by another burner */
		code = RB_ERROR_LOCKED;
		why = _("in use, e.g. mounted or opened exclusively by another program");
		break;
	case EACCES:
	case EPERM:
	case EROFS:
		/* the kernel lets write commands through only on a read-write fd */
		code = RB_ERROR_NOT_AUTHORIZED;
		why = _("no permission to open it read-write");
		break;
	default:
		code = RB_ERROR_UNEXPECTED_RESPONSE_FROM_DEVICE;
		why = _("cannot open it");
		break;
	}
	return rb_error_new(code,
			    "%s (%s: %s: %s)",
			    rb_error_get_description(code),
			    device,
			    why,
			    g_strerror(errsv));
}

static gboolean
rb_mmc_sg_fail(GError **error,
	       RbError code,
	       const gchar *device,
	       const struct sg_io_hdr *hdr,
	       const gchar *detail)
{
	rb_error_set(error,
		     code,
		     "%s (%s: %s: %s)",
		     rb_error_get_description(code),
		     device,
		     hdr->cmdp != NULL ? rb_mmc_opcode_to_string(hdr->cmdp[0]) : "SG_IO",
		     detail);
	return FALSE;
}

gboolean
rb_mmc_sg_evaluate(const gchar *device,
		   const struct sg_io_hdr *hdr,
		   gint ioctl_errno,
		   RbMmcResult *result,
		   GError **error)
{
	g_autofree gchar *detail = NULL;
	guint driver_status;

	g_return_val_if_fail(hdr != NULL && result != NULL, FALSE);

	if (ioctl_errno != 0) {
		RbError code = RB_ERROR_UNEXPECTED_RESPONSE_FROM_DEVICE;

		if (ioctl_errno == ENODEV || ioctl_errno == ENXIO)
			code = RB_ERROR_DEVICE_GONE;
		else if (ioctl_errno == ETIMEDOUT)
			code = RB_ERROR_COMMAND_TIMEOUT;
		detail = g_strdup_printf("SG_IO failed: %s", g_strerror(ioctl_errno));
		return rb_mmc_sg_fail(error, code, device, hdr, detail);
	}

	/* the host adapter: did the command reach the drive and come back? */
	switch (hdr->host_status) {
	case RB_SG_DID_OK:
		break;
	case RB_SG_DID_TIME_OUT:
		return rb_mmc_sg_fail(
			error, RB_ERROR_COMMAND_TIMEOUT, device, hdr, "timed out (DID_TIME_OUT)");
	case RB_SG_DID_NO_CONNECT:
	case RB_SG_DID_BAD_TARGET:
		/* what an unplugged USB drive or a vanished target gives */
		detail = g_strdup_printf("host status %02Xh: the drive is not connected",
					 hdr->host_status);
		return rb_mmc_sg_fail(error, RB_ERROR_DEVICE_GONE, device, hdr, detail);
	default:
		/* bus busy, abort, parity, error, reset: the drive may still be
		 * there, but this command's outcome is unknown */
		detail = g_strdup_printf("host status %02Xh", hdr->host_status);
		return rb_mmc_sg_fail(
			error, RB_ERROR_UNEXPECTED_RESPONSE_FROM_DEVICE, device, hdr, detail);
	}

	/* the low-level driver; DRIVER_SENSE only says sense data follows */
	driver_status = hdr->driver_status & RB_SG_DRIVER_STATUS_MASK;
	if (driver_status != 0) {
		if ((driver_status & 0x07) == RB_SG_DRIVER_TIMEOUT)
			return rb_mmc_sg_fail(error,
					      RB_ERROR_COMMAND_TIMEOUT,
					      device,
					      hdr,
					      "timed out (DRIVER_TIMEOUT)");
		detail = g_strdup_printf("driver status %02Xh", hdr->driver_status);
		return rb_mmc_sg_fail(
			error, RB_ERROR_UNEXPECTED_RESPONSE_FROM_DEVICE, device, hdr, detail);
	}

	result->status = hdr->status;
	result->sense_len = MIN((gsize)hdr->sb_len_wr, (gsize)RB_MMC_SENSE_MAX);
	if (result->sense_len > 0 && hdr->sbp != result->sense)
		memcpy(result->sense, hdr->sbp, result->sense_len);
	/* resid is signed and some drivers report nonsense; keep it in range */
	if (hdr->resid <= 0)
		result->residual = 0;
	else
		result->residual = MIN((gsize)hdr->resid, (gsize)hdr->dxfer_len);
	return TRUE;
}

static gboolean
rb_mmc_sg_transport_execute(RbMmcTransport *transport,
			    const guint8 *cdb,
			    gsize cdb_len,
			    RbMmcDirection direction,
			    guint8 *buffer,
			    gsize buffer_len,
			    guint timeout_ms,
			    RbMmcResult *result,
			    GError **error)
{
	RbMmcSgTransport *self = RB_MMC_SG_TRANSPORT(transport);
	struct sg_io_hdr hdr;
	gint errsv = 0;

	if (buffer_len > G_MAXUINT) {
		rb_error_set(error,
			     RB_ERROR_UNEXPECTED_RESPONSE_FROM_DEVICE,
			     "%s (%s: %s: a transfer of %" G_GSIZE_FORMAT " bytes is too large)",
			     rb_error_get_description(RB_ERROR_UNEXPECTED_RESPONSE_FROM_DEVICE),
			     self->device,
			     rb_mmc_opcode_to_string(cdb[0]),
			     buffer_len);
		return FALSE;
	}
	memset(&hdr, 0, sizeof(hdr));
	hdr.interface_id = 'S';
	hdr.cmdp = (unsigned char *)cdb;
	hdr.cmd_len = (unsigned char)cdb_len;
	switch (direction) {
	case RB_MMC_DIR_IN:
		hdr.dxfer_direction = SG_DXFER_FROM_DEV;
		break;
	case RB_MMC_DIR_OUT:
		hdr.dxfer_direction = SG_DXFER_TO_DEV;
		break;
	case RB_MMC_DIR_NONE:
	default:
		hdr.dxfer_direction = SG_DXFER_NONE;
		buffer = NULL;
		buffer_len = 0;
		break;
	}
	hdr.dxferp = buffer;
	hdr.dxfer_len = (unsigned int)buffer_len;
	hdr.sbp = result->sense;
	hdr.mx_sb_len = RB_MMC_SENSE_MAX;
	/* in ms; 0 would mean the kernel's default of 60 s */
	hdr.timeout = timeout_ms;

	if (ioctl(self->fd, SG_IO, &hdr) < 0)
		errsv = errno;
	return rb_mmc_sg_evaluate(self->device, &hdr, errsv, result, error);
}

static void
rb_mmc_sg_transport_finalize(GObject *object)
{
	RbMmcSgTransport *self = RB_MMC_SG_TRANSPORT(object);

	if (self->fd >= 0)
		close(self->fd);
	g_free(self->device);
	G_OBJECT_CLASS(rb_mmc_sg_transport_parent_class)->finalize(object);
}

static void
rb_mmc_sg_transport_class_init(RbMmcSgTransportClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	RbMmcTransportClass *transport_class = RB_MMC_TRANSPORT_CLASS(klass);

	object_class->finalize = rb_mmc_sg_transport_finalize;
	transport_class->execute = rb_mmc_sg_transport_execute;
}

static void
rb_mmc_sg_transport_init(RbMmcSgTransport *self)
{
	self->fd = -1;
}

RbMmcTransport *
rb_mmc_sg_transport_new(const gchar *device, GError **error)
{
	g_autoptr(RbMmcSgTransport) self = NULL;
	gint fd;

	g_return_val_if_fail(device != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	/* O_RDWR: the kernel filters write commands on read-only fds;
	 * O_EXCL: fail while mounted or held by another burner;
	 * O_NONBLOCK: open even without a disc */
	fd = open(device, O_RDWR | O_EXCL | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		g_propagate_error(error, rb_mmc_sg_open_error_new(device, errno));
		return NULL;
	}
	self = g_object_new(RB_TYPE_MMC_SG_TRANSPORT, NULL);
	self->device = g_strdup(device);
	self->fd = fd;
	return RB_MMC_TRANSPORT(g_steal_pointer(&self));
}

const gchar *
rb_mmc_sg_transport_get_device(RbMmcSgTransport *self)
{
	g_return_val_if_fail(RB_IS_MMC_SG_TRANSPORT(self), NULL);
	return self->device;
}
