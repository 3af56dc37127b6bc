/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * PLACEHOLDER: WAV files.
 */
#include "config.h"

#include "rb-disc-image-private.h"

gboolean
rb_disc_wav_probe(const gchar *path, guint64 *data_offset, guint64 *data_length, GError **error)
{
	(void)data_offset;
	(void)data_length;
	g_set_error(error, RB_DISC_IMAGE_ERROR, RB_DISC_IMAGE_ERROR_UNSUPPORTED, "%s: not read yet", path);
	return FALSE;
}
