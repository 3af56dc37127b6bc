/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The one seam between the MMC layer and a drive: execute a CDB. Real drives
 * go through SG_IO (RbMmcSgTransport), the emulated one through a function
 * call (RbMmcVirtualTransport); everything above is the same code.
 */
#pragma once

#include <gio/gio.h>

#include "rb-mmc-types.h"

G_BEGIN_DECLS

#define RB_TYPE_MMC_TRANSPORT (rb_mmc_transport_get_type())
G_DECLARE_DERIVABLE_TYPE(RbMmcTransport, rb_mmc_transport, RB, MMC_TRANSPORT, GObject)

struct _RbMmcTransportClass {
	GObjectClass parent_class;
	/* returns FALSE only when the command did not complete at the drive
	 * (RB_ERROR_COMMAND_TIMEOUT, RB_ERROR_DEVICE_GONE or
	 * RB_ERROR_UNEXPECTED_RESPONSE_FROM_DEVICE); a CHECK CONDITION is a
	 * TRUE return with the status and sense in @result */
	gboolean (*execute)(RbMmcTransport *self,
			    const guint8 *cdb,
			    gsize cdb_len,
			    RbMmcDirection direction,
			    guint8 *buffer,
			    gsize buffer_len,
			    guint timeout_ms,
			    RbMmcResult *result,
			    GError **error);
	gpointer padding[4];
};

gboolean rb_mmc_transport_execute(RbMmcTransport *self,
				  const guint8 *cdb,
				  gsize cdb_len,
				  RbMmcDirection direction,
				  guint8 *buffer,
				  gsize buffer_len,
				  guint timeout_ms,
				  RbMmcResult *result,
				  GError **error);

G_END_DECLS
