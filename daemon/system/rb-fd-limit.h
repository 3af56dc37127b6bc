/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * File descriptors as a budget: the daemon raises its soft limit to the hard
 * one at start, and anything that opens descriptors on a client's request
 * checks first that enough stay free for the bus, GLib's wake-ups and the
 * other clients, so that running out is a refusal, never a crash.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* kept free for GDBus (a message may carry descriptors), GLib and udev */
#define RB_FD_LIMIT_RESERVE 32

guint rb_fd_limit_raise(void);
gboolean rb_fd_limit_check(guint needed, GError **error);

G_END_DECLS
