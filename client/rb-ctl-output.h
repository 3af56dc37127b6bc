/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The file "rawburnctl image -o" writes, made so that no failure costs the
 * user a file: the stream goes into a new temporary file beside the output,
 * renamed over it only once complete; an output that is one of the files
 * the image reads is refused before anything is written.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _RbCtlOutput RbCtlOutput;

/*
 * @path, "-" for standard output (a terminal refused), a device or FIFO
 * written as it is, else a regular file (created or replaced on commit).
 * Refuses (G_OPTION_ERROR_BAD_VALUE) an output that is the same file as one
 * of @inputs (paths).
 */
RbCtlOutput *rb_ctl_output_open(const gchar *path, const GPtrArray *inputs, GError **error);
gint rb_ctl_output_get_fd(const RbCtlOutput *output);
/* the name to show in messages: the output's, not the temporary file's */
const gchar *rb_ctl_output_get_path(const RbCtlOutput *output);
/* between chunks: FALSE (G_IO_ERROR_CANCELLED) once SIGINT or SIGTERM
 * came, for a file being replaced (the temporary file is then removed by
 * rb_ctl_output_free(), where the signal would have left it) */
gboolean rb_ctl_output_check_signal(RbCtlOutput *output, GError **error);
/* syncs, closes, and puts the complete file in place */
gboolean rb_ctl_output_commit(RbCtlOutput *output, GError **error);
/* without a commit: closes, and removes the temporary file (nothing else) */
void rb_ctl_output_free(RbCtlOutput *output);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RbCtlOutput, rb_ctl_output_free)

G_END_DECLS
