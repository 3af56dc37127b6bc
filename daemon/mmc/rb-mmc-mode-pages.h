/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * MODE SENSE(10) replies and MODE SELECT(10) parameter lists, and typed
 * views of the two pages a raw burn uses: 05h Write Parameters and 2Ah
 * Capabilities. A page is kept as the bytes the drive sent, so that a
 * MODE SELECT echoes its exact length and every bit we do not touch.
 */
#pragma once

#include <glib.h>

#include "rb-mmc-types.h"

G_BEGIN_DECLS

/* page code byte, page length byte, at most 255 bytes of parameters */
#define RB_MMC_MODE_PAGE_MAX (2 + 255)
/* header and the largest page: what MODE SENSE asks for and SELECT sends */
#define RB_MMC_MODE_DATA_MAX (RB_MMC_MODE_HEADER_10_LEN + RB_MMC_MODE_PAGE_MAX)

typedef struct {
	/* from the mode parameter header, for diagnostics */
	guint8 medium_type;
	guint8 device_specific;
	guint16 block_descriptor_length;
	/* page[0] & 0x80 is PS as sensed; page_len = 2 + page[1] */
	guint8 page[RB_MMC_MODE_PAGE_MAX];
	gsize page_len;
} RbMmcModePage;

gboolean rb_mmc_mode_sense_parse(
	const guint8 *data, gsize len, guint8 page_code, RbMmcModePage *out, GError **error);

/* the MODE SELECT(10) parameter list for @page into @out (at least
 * RB_MMC_MODE_DATA_MAX bytes): a zeroed 8-byte header, no block
 * descriptor, the page with PS cleared and its sensed length. Returns the
 * parameter list length. */
gsize rb_mmc_mode_select_build(const RbMmcModePage *page, guint8 *out);

/* ---- page 05h Write Parameters ---- */

/* page length 0x32 in CDEmu and libburn; the fields we use end at byte 15 */
#define RB_MMC_PAGE_05_MIN_LEN 16

#define RB_MMC_WRITE_TYPE_PACKET 0
#define RB_MMC_WRITE_TYPE_TAO 1
#define RB_MMC_WRITE_TYPE_SAO 2

typedef struct {
	gboolean bufe;
	gboolean ls_v;
	gboolean test_write;
	guint8 write_type;
	guint8 multi_session;
	gboolean fp;
	gboolean copy;
	guint8 track_mode;
	guint8 data_block_type;
	guint8 link_size;
	guint8 host_application_code;
	guint8 session_format;
	guint32 packet_size;
	guint16 audio_pause_length;
} RbMmcWriteParameters;

gboolean
rb_mmc_write_parameters_parse(const RbMmcModePage *page, RbMmcWriteParameters *out, GError **error);
/* writes every field of @params into @page, keeping reserved bits and the
 * bytes after 15 (MCN, ISRC, sub-header) as they were */
gboolean rb_mmc_write_parameters_apply(const RbMmcWriteParameters *params,
				       RbMmcModePage *page,
				       GError **error);

/* ---- page 2Ah Capabilities and Mechanical Status ---- */

/* through the maximum write speed (bytes 18-19): MMC-1 pages have that */
#define RB_MMC_PAGE_2A_MIN_LEN 20

typedef struct {
	guint8 rotation_control; /* 0 CLV, 1 CAV */
	guint16 write_speed_kbps;
} RbMmcPage2AWriteSpeed;

typedef struct {
	gboolean cd_r_write;
	gboolean cd_rw_write;
	gboolean test_write;
	gboolean buf;
	gboolean cdda_accurate;
	gboolean rw_supported;
	guint16 max_read_speed_kbps;
	guint16 buffer_size_kb;
	guint16 current_read_speed_kbps;
	guint16 max_write_speed_kbps;
	guint16 current_write_speed_kbps; /* bytes 28-29 when present, else 20-21 */
	guint8 rotation_control;
	GArray *write_speeds; /* RbMmcPage2AWriteSpeed, in page order */
} RbMmcCapabilities;

RbMmcCapabilities *rb_mmc_capabilities_parse(const RbMmcModePage *page, GError **error);
void rb_mmc_capabilities_free(RbMmcCapabilities *caps);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RbMmcCapabilities, rb_mmc_capabilities_free)

G_END_DECLS
