/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the tests of the emulated /dev/sr0 over the bus share
 * (test-hotplug.c, finding the drive and its lifecycle; test-hotplug-burn.c,
 * burns through SG_IO): sr0's properties and methods on the service's
 * connection, and a sector pattern. Check assertions inside.
 */
#pragma once

#include "rb-test-service.h"

G_BEGIN_DECLS

#define RB_SR0 RB_DBUS_RECORDERS_PATH "/sr0"
#define RB_FORMAT "org.rawburn.RawBurn1.DiscFormat2RawCD"
#define RB_RECORDER_IFACE "org.rawburn.RawBurn1.Recorder"

/* @property of sr0 on @interface, NULL when sr0 or the property is gone */
GVariant *
rb_hotplug_test_get(RbTestService *service, const gchar *interface, const gchar *property);
void rb_hotplug_test_wait_for(RbTestService *service,
			      const gchar *interface,
			      const gchar *property,
			      GVariant *expected);
/* @method of sr0's format interface; NULL on success, else the error message */
gchar *rb_hotplug_test_call(RbTestService *service, const gchar *method, GVariant *params);
/* an RbDaoMainFunc: a pattern that differs from sector to sector */
gboolean
rb_hotplug_test_pattern_main(gint32 lba, guint8 *main_data, gpointer user_data, GError **error);

G_END_DECLS
