/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a recorder can do for raw DAO: which raw sector types it accepts,
 * whether it has buffer underrun protection, and its write speeds. The
 * answer comes from trying, as cdrdao, wodim and libburn do: a MODE SELECT
 * of page 05h with write type raw and each data block type; feature 002Eh
 * alone does not say which block types work.
 */
#pragma once

#include <gio/gio.h>

#include "rb-mmc-transport.h"

G_BEGIN_DECLS

typedef struct {
	gboolean pure_cav;
	guint sectors_per_second;
	guint kbps;
} RbMmcSpeedDescriptor;

typedef struct {
	/* feature 002Eh CD Mastering, when the drive reported it */
	gboolean has_cd_mastering;
	gboolean cd_mastering_current;
	gboolean feature_raw;
	/* BUF from feature 002Eh or mode page 2Ah */
	gboolean buf;
	/* IMAPI_FORMAT2_RAW_CD_DATA_SECTOR_TYPE values (guint) the drive
	 * accepted in page 05h with write type raw, ascending */
	GArray *sector_types;
	/* RbMmcSpeedDescriptor, fastest first, no duplicates */
	GArray *write_speeds;
} RbMmcRawCaps;

/* NULL only when the drive could not be asked (transport failure) or
 * answered nonsense; a drive that refuses raw writing gives caps with no
 * sector types. Leaves page 05h as it found it. */
RbMmcRawCaps *rb_mmc_probe_raw(RbMmcTransport *transport, GError **error);
void rb_mmc_raw_caps_free(RbMmcRawCaps *caps);
gboolean rb_mmc_raw_caps_has_sector_type(const RbMmcRawCaps *caps, guint imapi_sector_type);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RbMmcRawCaps, rb_mmc_raw_caps_free)

G_END_DECLS
