/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Finds CD recorders with libudev and keeps finding them: coldplug feeds
 * every block device with ID_CDROM=1 through the same handler as a hotplug
 * "add", a udev monitor delivers later events on the main context, and
 * each "add" or "change" is probed (rb_drive_probe()) in a worker thread,
 * one probe at a time per device and in event order. The results come
 * back as signals on the main context that started the provider:
 *
 *  - "recorder-added" (RbDriveInfo *): the first report of a device;
 *  - "recorder-changed" (RbDriveInfo *): a later one (medium changed, ...);
 *  - "recorder-removed" (const gchar *kernel_name): the device is gone.
 *
 * A device the probe cannot open (busy, no permission) is still reported,
 * with udev's view of it and RbDriveInfo.probed FALSE.
 */
#pragma once

#include <gio/gio.h>

#include "rb-drive-probe.h"

G_BEGIN_DECLS

#define RB_TYPE_UDEV_PROVIDER (rb_udev_provider_get_type())
G_DECLARE_FINAL_TYPE(RbUdevProvider, rb_udev_provider, RB, UDEV_PROVIDER, GObject)

RbUdevProvider *rb_udev_provider_new(void);

/* Starts watching on the thread-default main context and coldplugs the
 * drives present now; their signals arrive once the probes finish. Call
 * on the thread that runs that context. Fails when udev cannot be
 * reached. */
gboolean rb_udev_provider_start(RbUdevProvider *self, GError **error);

/* Stops watching, cancels the probes and waits until their threads have
 * finished; results still on their way are dropped. Idempotent; also done
 * on dispose. */
void rb_udev_provider_stop(RbUdevProvider *self);

/* TRUE while a probe runs or waits, or its result has not been delivered
 * yet; FALSE once every event so far has been reported */
gboolean rb_udev_provider_get_busy(RbUdevProvider *self);

/* the latest report of each device, RbDriveInfo *, in no order; free the
 * list with g_list_free() (the infos are owned by the provider) */
GList *rb_udev_provider_get_recorders(RbUdevProvider *self);

G_END_DECLS
