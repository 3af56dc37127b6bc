/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The world of fuzz-dbus-calls: a private dbus-daemon, rawburnd's daemon
 * object in this process on one connection to it, owning the service name
 * with virtual recorders, and a client connection that sends the calls.
 * Also what keeps inputs independent (the reset after each one) and what
 * fails an input (a daemon that stopped answering, a leaked fd, a GLib
 * warning or critical).
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* recorders every input starts with: a CD-R and a CD-RW, not paced */
#define RB_FUZZ_BASE_RECORDERS 2
/* a reply later than this is a daemon that hangs or dropped the call */
#define RB_FUZZ_CALL_TIMEOUT_MS 20000

typedef struct _RbFuzzBus RbFuzzBus;

RbFuzzBus *rb_fuzz_bus_start(void);
void rb_fuzz_bus_stop(RbFuzzBus *self);

GDBusConnection *rb_fuzz_bus_get_client(RbFuzzBus *self);
/* drops the client connection (the daemon sees it leave) and opens a new one */
void rb_fuzz_bus_reconnect(RbFuzzBus *self);
const gchar *rb_fuzz_bus_get_recorder(RbFuzzBus *self, guint index);
gchar **rb_fuzz_bus_dup_recorders(RbFuzzBus *self);

/* one call from the client, the main context iterated until it is answered */
GVariant *rb_fuzz_bus_call(RbFuzzBus *self,
			   const gchar *object_path,
			   const gchar *interface_name,
			   const gchar *method_name,
			   GVariant *parameters,
			   GError **error);

/* back to the state after start: every recorder released and replaced by
 * fresh base recorders; @client_left: a client that held locks is gone */
void rb_fuzz_bus_reset(RbFuzzBus *self, gboolean client_left);
/* aborts unless the daemon answers, lists exactly the base recorders and
 * holds no more file descriptors than after start */
void rb_fuzz_bus_check(RbFuzzBus *self);

G_END_DECLS
