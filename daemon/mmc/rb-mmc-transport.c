/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The transport base class checks what every implementation relies on, so
 * that a bad CDB from a caller never reaches a drive.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbMmcTransport"

#include <string.h>

#include "rb-error.h"
#include "rb-mmc-transport.h"

G_DEFINE_ABSTRACT_TYPE(RbMmcTransport, rb_mmc_transport, G_TYPE_OBJECT)

static void
rb_mmc_transport_class_init(RbMmcTransportClass *klass)
{
}

static void
rb_mmc_transport_init(RbMmcTransport *self)
{
}

gboolean
rb_mmc_transport_execute(RbMmcTransport *self,
			 const guint8 *cdb,
			 gsize cdb_len,
			 RbMmcDirection direction,
			 guint8 *buffer,
			 gsize buffer_len,
			 guint timeout_ms,
			 RbMmcResult *result,
			 GError **error)
{
	RbMmcTransportClass *klass;

	g_return_val_if_fail(RB_IS_MMC_TRANSPORT(self), FALSE);
	g_return_val_if_fail(cdb != NULL, FALSE);
	g_return_val_if_fail(cdb_len >= RB_MMC_CDB_MIN && cdb_len <= RB_MMC_CDB_MAX, FALSE);
	g_return_val_if_fail(direction == RB_MMC_DIR_NONE || buffer != NULL || buffer_len == 0,
			     FALSE);
	g_return_val_if_fail(result != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	klass = RB_MMC_TRANSPORT_GET_CLASS(self);
	memset(result, 0, sizeof(*result));
	if (direction == RB_MMC_DIR_NONE)
		buffer_len = 0;
	return klass->execute(
		self, cdb, cdb_len, direction, buffer, buffer_len, timeout_ms, result, error);
}
