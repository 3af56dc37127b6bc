/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A small text file read whole (a CUE or TOC sheet, a CDTEXTFILE): opened
 * once, its type and size checked on that descriptor and read from it, so
 * neither a FIFO or device (which would hang the reading or fill the
 * memory) nor a file swapped in after a check gets through.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* a sheet is text and small: the limit rb-disc-image.c's sniffing assumes */
#define RB_DISC_FILE_SHEET_MAX (1024 * 1024)

/*
 * The bytes of @path, NUL-terminated, their number in @length: refused
 * (RB_DISC_IMAGE_ERROR_FILE, the message naming @path) unless it is a
 * regular file of at most @max_size bytes.
 */
gchar *rb_disc_file_read(const gchar *path, gsize max_size, gsize *length, GError **error);

G_END_DECLS
