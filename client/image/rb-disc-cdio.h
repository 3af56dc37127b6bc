/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libcdio's messages while a reader asks it for its second opinion
 * (rb-disc-cue-cdio.c, rb-disc-nrg-cdio.c). libcdio logs through one
 * process-wide handler that takes no user data, and its default prints on
 * stderr, which in rawburnctl is the user's terminal: between begin and
 * end its messages go to g_debug instead, and its warnings and errors are
 * kept for the reader, which may name them in its own error. One caller at
 * a time (a lock is held from begin to end): make every libcdio call,
 * cdio_destroy() included, between begin and end.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void rb_disc_cdio_log_begin(void);
/* the previous handler back; libcdio's warnings and errors since begin,
 * joined by spaces, or NULL when it gave none */
gchar *rb_disc_cdio_log_end(void);

G_END_DECLS
