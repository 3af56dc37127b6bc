/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Decoders for the data-in replies of the MMC commands a raw burn needs:
 * bytes in, typed structs out, no I/O. Every decoder takes the number of
 * bytes the drive really transferred and fails with
 * RB_ERROR_INVALID_RESPONSE_FROM_DEVICE when a field it decodes is missing.
 * Mode pages are in rb-mmc-mode-pages.h.
 */
#pragma once

#include <glib.h>

#include "rb-msf.h"

G_BEGIN_DECLS

/* ---- INQUIRY ---- */

#define RB_MMC_INQUIRY_LEN 36
#define RB_MMC_PERIPHERAL_TYPE_CD_DVD 0x05

typedef struct {
	guint8 peripheral_qualifier;
	guint8 peripheral_device_type;
	gboolean removable;
	guint8 version;
	/* printable ASCII, surrounding blanks trimmed */
	gchar vendor[9];
	gchar product[17];
	gchar revision[5];
} RbMmcInquiry;

gboolean rb_mmc_inquiry_parse(const guint8 *data, gsize len, RbMmcInquiry *out, GError **error);

/* ---- GET CONFIGURATION ---- */

#define RB_MMC_CONFIGURATION_HEADER_LEN 8

typedef struct {
	guint16 number;
	gboolean current;
} RbMmcProfile;

typedef struct {
	guint16 code;
	guint8 version;
	gboolean persistent;
	gboolean current;
	/* the whole descriptor: 4 header bytes, then the additional data */
	GBytes *descriptor;
} RbMmcFeature;

typedef struct {
	guint16 current_profile;
	GArray *profiles; /* RbMmcProfile, from feature 0000h when it was returned */
	GArray *features; /* RbMmcFeature, in reply order */
} RbMmcConfiguration;

RbMmcConfiguration *rb_mmc_configuration_parse(const guint8 *data, gsize len, GError **error);
void rb_mmc_configuration_free(RbMmcConfiguration *config);
const RbMmcFeature *rb_mmc_configuration_get_feature(const RbMmcConfiguration *config,
						     guint16 code);
gboolean rb_mmc_configuration_has_profile(const RbMmcConfiguration *config, guint16 profile);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RbMmcConfiguration, rb_mmc_configuration_free)

/* feature 002Dh CD Track-at-Once, byte 4 and bytes 6-7 */
typedef struct {
	gboolean buf;
	gboolean rw_raw;
	gboolean rw_pack;
	gboolean test_write;
	gboolean cd_rw;
	gboolean rw_subcode;
	guint16 data_types_supported;
} RbMmcFeatureCdTao;

/* feature 002Eh CD Mastering, byte 4 and bytes 5-7 */
typedef struct {
	gboolean buf;
	gboolean sao;
	gboolean raw_ms;
	gboolean raw;
	gboolean test_write;
	gboolean cd_rw;
	gboolean rw;
	guint32 max_cue_sheet_length;
} RbMmcFeatureCdMastering;

gboolean
rb_mmc_feature_parse_cd_tao(const RbMmcFeature *feature, RbMmcFeatureCdTao *out, GError **error);
gboolean rb_mmc_feature_parse_cd_mastering(const RbMmcFeature *feature,
					   RbMmcFeatureCdMastering *out,
					   GError **error);

/* ---- READ DISC INFORMATION ---- */

#define RB_MMC_DISC_INFO_LEN 34

#define RB_MMC_DISC_STATUS_BLANK 0
#define RB_MMC_DISC_STATUS_INCOMPLETE 1
#define RB_MMC_DISC_STATUS_COMPLETE 2
#define RB_MMC_DISC_STATUS_OTHER 3
#define RB_MMC_SESSION_STATE_EMPTY 0
#define RB_MMC_SESSION_STATE_INCOMPLETE 1
#define RB_MMC_SESSION_STATE_COMPLETE 3

typedef struct {
	gboolean erasable;
	guint8 last_session_state;
	guint8 disc_status;
	guint8 first_track;
	guint16 n_sessions;
	guint16 first_track_last_session;
	guint16 last_track_last_session;
	gboolean did_v;
	gboolean dbc_v;
	gboolean uru;
	gboolean dac_v;
	guint8 disc_type; /* 00h CD-DA/CD-ROM, 10h CD-I, 20h CD-ROM XA */
	guint32 disc_id;
	/* FALSE when the drive reports FF:FF:FF (or no valid MSF) */
	gboolean leadin_start_valid;
	gint32 leadin_start_lba; /* of the last session; the next one's on an open disc */
	gboolean last_leadout_valid;
	gint32 last_leadout_lba; /* last possible lead-out start */
} RbMmcDiscInfo;

gboolean rb_mmc_disc_info_parse(const guint8 *data, gsize len, RbMmcDiscInfo *out, GError **error);

/* ---- READ TRACK INFORMATION ---- */

#define RB_MMC_TRACK_INFO_LEN 36

typedef struct {
	guint16 track_number;
	guint16 session_number;
	gboolean damage;
	gboolean copy;
	guint8 track_mode;
	gboolean rt;
	gboolean blank;
	gboolean packet;
	gboolean fp;
	guint8 data_mode;
	gboolean lra_v;
	gboolean nwa_v;
	gint32 track_start;
	gint32 next_writable_address;
	guint32 free_blocks;
	guint32 fixed_packet_size;
	guint32 track_size;
} RbMmcTrackInfo;

gboolean
rb_mmc_track_info_parse(const guint8 *data, gsize len, RbMmcTrackInfo *out, GError **error);

/* ---- READ TOC/PMA/ATIP ---- */

#define RB_MMC_TOC_LEADOUT_TRACK 0xAA

typedef struct {
	guint8 adr;
	guint8 control;
	guint8 track; /* 1..99 or RB_MMC_TOC_LEADOUT_TRACK */
	gint32 lba;
} RbMmcTocTrack;

/* format 0 */
typedef struct {
	guint8 first_track;
	guint8 last_track;
	GArray *tracks; /* RbMmcTocTrack, the lead-out last */
} RbMmcToc;

RbMmcToc *rb_mmc_toc_parse(const guint8 *data, gsize len, GError **error);
void rb_mmc_toc_free(RbMmcToc *toc);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RbMmcToc, rb_mmc_toc_free)

/* format 1 */
typedef struct {
	guint8 first_session;
	guint8 last_session;
	guint8 adr;
	guint8 control;
	guint8 first_track_last_session;
	gint32 first_track_last_session_lba;
} RbMmcSessionInfo;

gboolean
rb_mmc_session_info_parse(const guint8 *data, gsize len, RbMmcSessionInfo *out, GError **error);

/* format 2: the lead-in's Q entries, 11 bytes each, MSF binary as sent */
typedef struct {
	guint8 session;
	guint8 adr;
	guint8 control;
	guint8 tno;
	guint8 point;
	guint8 min;
	guint8 sec;
	guint8 frame;
	guint8 zero;
	guint8 pmin;
	guint8 psec;
	guint8 pframe;
} RbMmcFullTocEntry;

typedef struct {
	guint8 first_session;
	guint8 last_session;
	GArray *entries; /* RbMmcFullTocEntry */
} RbMmcFullToc;

RbMmcFullToc *rb_mmc_full_toc_parse(const guint8 *data, gsize len, GError **error);
void rb_mmc_full_toc_free(RbMmcFullToc *toc);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RbMmcFullToc, rb_mmc_full_toc_free)

/* format 4 */
#define RB_MMC_ATIP_LEN 28

typedef struct {
	guint8 writing_power;
	guint8 reference_speed;
	gboolean uru;
	gboolean cd_rw;
	guint8 disc_sub_type;
	gboolean a1_valid;
	gboolean a2_valid;
	gboolean a3_valid;
	RbMsf leadin_start;
	gint32 leadin_start_lba;
	RbMsf last_leadout;
	gint32 last_leadout_lba;
	guint8 a1[3];
	guint8 a2[3];
	guint8 a3[3];
} RbMmcAtip;

gboolean rb_mmc_atip_parse(const guint8 *data, gsize len, RbMmcAtip *out, GError **error);

/* ---- GET PERFORMANCE type 03h (write speed) ---- */

#define RB_MMC_PERFORMANCE_HEADER_LEN 8
#define RB_MMC_WRITE_SPEED_DESCRIPTOR_LEN 16

typedef struct {
	guint8 wrc; /* rotation control: 0 CLV, 1 CAV */
	gboolean exact;
	gboolean mrw;
	guint32 end_lba;
	guint32 read_speed_kbps;
	guint32 write_speed_kbps;
} RbMmcWriteSpeed;

GArray *rb_mmc_write_speeds_parse(const guint8 *data, gsize len, GError **error);

/* ---- READ BUFFER CAPACITY ---- */

#define RB_MMC_BUFFER_CAPACITY_LEN 12

typedef struct {
	guint32 buffer_length;
	guint32 free_bytes;
} RbMmcBufferCapacity;

gboolean rb_mmc_buffer_capacity_parse(const guint8 *data,
				      gsize len,
				      RbMmcBufferCapacity *out,
				      GError **error);

/* big-endian helpers the decoders share */
guint16 rb_mmc_get_be16(const guint8 *p);
guint32 rb_mmc_get_be24(const guint8 *p);
guint32 rb_mmc_get_be32(const guint8 *p);

/* the announced total length of a reply with a 2- or 4-byte length field
 * that counts the bytes after itself; 0 if @len cannot hold the field */
gsize rb_mmc_reply_announced_len(const guint8 *data, gsize len, guint field_size);

G_END_DECLS
