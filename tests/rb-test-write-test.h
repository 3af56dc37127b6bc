/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the tests of simulated burns share (test-test-write.c, the property
 * and its refusals; test-test-write-burn.c, the burns): a stream, the
 * Update signals a client heard, Burn over the bus, and what a simulation
 * or a real burn leaves on the virtual disc. Check assertions inside.
 */
#pragma once

#include <gio/gio.h>

#include "rb-dao-stream.h"
#include "rb-test-client.h"

G_BEGIN_DECLS

/* the actions of the Update signals one client received, in order */
typedef struct {
	GArray *actions; /* guint32 */
	gint32 last_written;
	guint subscription;
	GDBusConnection *connection;
} RbTestWriteUpdates;

/* two tracks from 95:00:00 on, in IMAPI's sector type 3 (raw P-W) */
RbDaoStream *rb_test_write_stream_new(void);

void
rb_test_write_updates_watch(RbTestWriteUpdates *updates, RbTestClient *client, const gchar *path);
void rb_test_write_updates_clear(RbTestWriteUpdates *updates);
/* PREPARING, WRITING and FINISHING, in order, the last at @end_lba - 1 */
void rb_test_write_updates_assert_whole_burn(RbTestWriteUpdates *updates, gint32 end_lba);

/* Burn of @stream with @options (an a{sv} in GVariant text); the error
 * name, NULL on success */
gchar *rb_test_write_burn(RbTestClient *client,
			  const gchar *path,
			  RbDaoStream *stream,
			  const gchar *options);

/* returns once @property of @path equals @expected (floating, consumed) */
void rb_test_write_wait_for(RbTestClient *client,
			    const gchar *path,
			    const gchar *interface,
			    const gchar *property,
			    GVariant *expected);
void rb_test_write_assert_released(RbTestClient *client, const gchar *path);
gboolean rb_test_write_report_bool(GVariant *report, const gchar *key);

/* the disc stayed blank after a simulation of @n_sectors sectors */
void rb_test_write_assert_simulated(RbTestClient *client, const gchar *path, guint64 n_sectors);
/* the disc a real burn of @stream left, from the lead-in start @leadin on */
void rb_test_write_assert_burned(RbTestClient *client,
				 const gchar *path,
				 RbDaoStream *stream,
				 gint32 leadin);

G_END_DECLS
