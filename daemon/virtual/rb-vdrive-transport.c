/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The virtual transport: the MMC layer's commands go to the emulated drive
 * by a function call, so everything above the transport runs the same code
 * for real and emulated recorders.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbVdriveTransport"

#include <glib/gi18n.h>

#include "rb-error.h"
#include "rb-vdrive-transport.h"

struct _RbVdriveTransport {
	RbMmcTransport parent_instance;
	RbVdrive *drive;
};

G_DEFINE_TYPE(RbVdriveTransport, rb_vdrive_transport, RB_TYPE_MMC_TRANSPORT)

static gboolean
rb_vdrive_transport_execute(RbMmcTransport *transport,
			    const guint8 *cdb,
			    gsize cdb_len,
			    RbMmcDirection direction,
			    guint8 *buffer,
			    gsize buffer_len,
			    guint timeout_ms,
			    RbMmcResult *result,
			    GError **error)
{
	RbVdriveTransport *self = RB_VDRIVE_TRANSPORT(transport);

	if (!rb_vdrive_execute(self->drive, cdb, cdb_len, direction, buffer, buffer_len, result)) {
		/* what SG_IO reports when the host adapter gives up on a command */
		rb_error_set(error,
			     RB_ERROR_COMMAND_TIMEOUT,
			     _("The virtual recorder did not complete command %02Xh within %u ms; "
			       "check its Faults."),
			     cdb[0],
			     timeout_ms);
		return FALSE;
	}
	return TRUE;
}

static void
rb_vdrive_transport_dispose(GObject *object)
{
	RbVdriveTransport *self = RB_VDRIVE_TRANSPORT(object);
	g_clear_object(&self->drive);
	G_OBJECT_CLASS(rb_vdrive_transport_parent_class)->dispose(object);
}

static void
rb_vdrive_transport_class_init(RbVdriveTransportClass *klass)
{
	G_OBJECT_CLASS(klass)->dispose = rb_vdrive_transport_dispose;
	RB_MMC_TRANSPORT_CLASS(klass)->execute = rb_vdrive_transport_execute;
}

static void
rb_vdrive_transport_init(RbVdriveTransport *self)
{
}

RbMmcTransport *
rb_vdrive_transport_new(RbVdrive *drive)
{
	RbVdriveTransport *self = g_object_new(RB_TYPE_VDRIVE_TRANSPORT, NULL);
	self->drive = g_object_ref(drive);
	return RB_MMC_TRANSPORT(self);
}
