/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * PLACEHOLDER: the toc reader.
 */
#include "config.h"

#include "rb-disc-image-private.h"

RbDiscImage *
rb_disc_toc_read(const gchar *path, GError **error)
{
	g_set_error(error,
		    RB_DISC_IMAGE_ERROR,
		    RB_DISC_IMAGE_ERROR_UNSUPPORTED,
		    "%s: not read yet",
		    path);
	return NULL;
}
