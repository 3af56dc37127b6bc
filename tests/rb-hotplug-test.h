/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the tests of the emulated /dev/sr0 over the bus share
 * (test-hotplug.c, finding the drive and its lifecycle; test-hotplug-burn.c,
 * burns through SG_IO; test-erase-sg.c, blanking through SG_IO): sr0's
 * properties and methods on the service's connection, a stream to burn, and
 * sg_raw's view of the disc. Check assertions inside.
 */
#pragma once

#include "rb-dao-stream.h"
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
/* sets @property of sr0 on @interface; fails the test unless it is taken */
void rb_hotplug_test_set(RbTestService *service,
			 const gchar *interface,
			 const gchar *property,
			 GVariant *value);
/* @method of sr0's format interface with no arguments; fails the test
 * unless it succeeds */
void rb_hotplug_test_assert_call(RbTestService *service, const gchar *method);
/* @method of sr0's format interface with @params (handle 0 in them) and
 * @fd, rewound to its start, sent; NULL on success, else the error */
GError *
rb_hotplug_test_call_fd(RbTestService *service, const gchar *method, GVariant *params, gint fd);
/* WriteMedia of @stream on sr0; fails the test unless it succeeds */
void rb_hotplug_test_write_media(RbTestService *service, RbDaoStream *stream);
/* one track of 300 sectors of rb_hotplug_test_pattern_main from the lead-in
 * at -22650, in @sector_type */
RbDaoStream *rb_hotplug_test_stream_new(guint sector_type);
/* READ DISC INFORMATION's disc status (byte 2, bits 1-0: 0 blank, 2
 * complete) as sg_raw gets it from /dev/sr0: another program, through the
 * same SG_IO path as rawburnd */
guint rb_hotplug_test_sg_raw_disc_status(void);
/* an RbDaoMainFunc: a pattern that differs from sector to sector */
gboolean
rb_hotplug_test_pattern_main(gint32 lba, guint8 *main_data, gpointer user_data, GError **error);

G_END_DECLS
