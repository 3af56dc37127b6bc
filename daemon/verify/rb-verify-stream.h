/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The stream side of VerifyMedia: the client's raw stream (a file or a
 * pipe) read once, front to back, as the expected sectors of a verify.
 */
#pragma once

#include <gio/gio.h>

#include "rb-verify-disc.h"

G_BEGIN_DECLS

typedef struct _RbVerifyStream RbVerifyStream;

/* takes @fd; @first_lba is the stream's first sector's LBA (-|lead-in|) */
RbVerifyStream *rb_verify_stream_new(gint fd,
				     guint data_block_type,
				     gint32 first_lba,
				     GCancellable *cancellable,
				     GError **error);
void rb_verify_stream_free(RbVerifyStream *self);
const RbVerifySourceFuncs *rb_verify_stream_get_funcs(void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RbVerifyStream, rb_verify_stream_free)

G_END_DECLS
