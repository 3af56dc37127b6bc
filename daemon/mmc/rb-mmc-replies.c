/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reply decoders. A reply's own length field is trusted only as far as the
 * transfer went: a drive may announce more than the allocation length let it
 * send, and a broken one may send less than it announces. Lists are decoded
 * up to the smaller of the two; an entry cut in half is an error.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbMmc"

#include <string.h>

#include "rb-error.h"
#include "rb-mmc-replies.h"
#include "rb-mmc-types.h"

guint16
rb_mmc_get_be16(const guint8 *p)
{
	return (guint16)((p[0] << 8) | p[1]);
}

guint32
rb_mmc_get_be24(const guint8 *p)
{
	return ((guint32)p[0] << 16) | ((guint32)p[1] << 8) | p[2];
}

guint32
rb_mmc_get_be32(const guint8 *p)
{
	return ((guint32)p[0] << 24) | ((guint32)p[1] << 16) | ((guint32)p[2] << 8) | p[3];
}

gsize
rb_mmc_reply_announced_len(const guint8 *data, gsize len, guint field_size)
{
	if (field_size == 2 && len >= 2)
		return 2 + (gsize)rb_mmc_get_be16(data);
	if (field_size == 4 && len >= 4)
		return 4 + (gsize)rb_mmc_get_be32(data);
	return 0;
}

static gboolean
rb_mmc_reply_need(const gchar *what, gsize have, gsize need, GError **error)
{
	if (have >= need)
		return TRUE;
	rb_error_set(error,
		     RB_ERROR_INVALID_RESPONSE_FROM_DEVICE,
		     "%s (%s: reply of %" G_GSIZE_FORMAT " bytes is truncated, %" G_GSIZE_FORMAT
		     " needed)",
		     rb_error_get_description(RB_ERROR_INVALID_RESPONSE_FROM_DEVICE),
		     what,
		     have,
		     need);
	return FALSE;
}

/* what a reply with a length field really holds: min(transferred, announced) */
static gsize
rb_mmc_reply_valid_len(const guint8 *data, gsize len, guint field_size)
{
	gsize announced = rb_mmc_reply_announced_len(data, len, field_size);
	return announced == 0 ? len : MIN(len, announced);
}

static void
rb_mmc_copy_ascii(gchar *out, gsize out_size, const guint8 *in, gsize in_len)
{
	gsize n = MIN(in_len, out_size - 1);

	/* D-Bus strings must be UTF-8: anything but printable ASCII becomes '?' */
	for (gsize i = 0; i < n; i++)
		out[i] = (in[i] >= 0x20 && in[i] < 0x7F) ? (gchar)in[i] : (in[i] == 0 ? ' ' : '?');
	out[n] = '\0';
	g_strstrip(out);
}

gboolean
rb_mmc_inquiry_parse(const guint8 *data, gsize len, RbMmcInquiry *out, GError **error)
{
	if (!rb_mmc_reply_need("INQUIRY", len, RB_MMC_INQUIRY_LEN, error))
		return FALSE;
	memset(out, 0, sizeof(*out));
	out->peripheral_qualifier = data[0] >> 5;
	out->peripheral_device_type = data[0] & 0x1F;
	out->removable = (data[1] & 0x80) != 0;
	out->version = data[2];
	rb_mmc_copy_ascii(out->vendor, sizeof(out->vendor), data + 8, 8);
	rb_mmc_copy_ascii(out->product, sizeof(out->product), data + 16, 16);
	rb_mmc_copy_ascii(out->revision, sizeof(out->revision), data + 32, 4);
	return TRUE;
}

static void
rb_mmc_feature_clear(gpointer data)
{
	RbMmcFeature *feature = data;
	g_clear_pointer(&feature->descriptor, g_bytes_unref);
}

void
rb_mmc_configuration_free(RbMmcConfiguration *config)
{
	if (config == NULL)
		return;
	g_clear_pointer(&config->profiles, g_array_unref);
	g_clear_pointer(&config->features, g_array_unref);
	g_free(config);
}

static gboolean
rb_mmc_configuration_add_profiles(RbMmcConfiguration *config,
				  const guint8 *desc,
				  gsize desc_len,
				  GError **error)
{
	/* profile descriptors are 4 bytes: number, CurrentP, reserved */
	if ((desc_len - 4) % 4 != 0) {
		rb_error_set(error,
			     RB_ERROR_INVALID_RESPONSE_FROM_DEVICE,
			     "%s (GET CONFIGURATION: profile list of %" G_GSIZE_FORMAT
			     " bytes is not a multiple of 4)",
			     rb_error_get_description(RB_ERROR_INVALID_RESPONSE_FROM_DEVICE),
			     desc_len - 4);
		return FALSE;
	}
	for (gsize off = 4; off + 4 <= desc_len; off += 4) {
		RbMmcProfile profile = {
			.number = rb_mmc_get_be16(desc + off),
			.current = (desc[off + 2] & 0x01) != 0,
		};
		g_array_append_val(config->profiles, profile);
	}
	return TRUE;
}

RbMmcConfiguration *
rb_mmc_configuration_parse(const guint8 *data, gsize len, GError **error)
{
	g_autoptr(RbMmcConfiguration) config = NULL;
	gsize valid;

	if (!rb_mmc_reply_need("GET CONFIGURATION", len, RB_MMC_CONFIGURATION_HEADER_LEN, error))
		return NULL;
	valid = rb_mmc_reply_valid_len(data, len, 4);
	if (!rb_mmc_reply_need(
		    "GET CONFIGURATION header", valid, RB_MMC_CONFIGURATION_HEADER_LEN, error))
		return NULL;

	config = g_new0(RbMmcConfiguration, 1);
	config->current_profile = rb_mmc_get_be16(data + 6);
	config->profiles = g_array_new(FALSE, TRUE, sizeof(RbMmcProfile));
	config->features = g_array_new(FALSE, TRUE, sizeof(RbMmcFeature));
	g_array_set_clear_func(config->features, rb_mmc_feature_clear);

	for (gsize off = RB_MMC_CONFIGURATION_HEADER_LEN; off < valid;) {
		RbMmcFeature feature = {0};
		gsize desc_len;

		if (!rb_mmc_reply_need("GET CONFIGURATION feature header", valid - off, 4, error))
			return NULL;
		desc_len = 4 + (gsize)data[off + 3];
		if (!rb_mmc_reply_need("GET CONFIGURATION feature", valid - off, desc_len, error))
			return NULL;
		feature.code = rb_mmc_get_be16(data + off);
		feature.version = (data[off + 2] >> 2) & 0x0F;
		feature.persistent = (data[off + 2] & 0x02) != 0;
		feature.current = (data[off + 2] & 0x01) != 0;
		feature.descriptor = g_bytes_new(data + off, desc_len);
		if (feature.code == RB_MMC_FEATURE_PROFILE_LIST &&
		    !rb_mmc_configuration_add_profiles(config, data + off, desc_len, error)) {
			g_bytes_unref(feature.descriptor);
			return NULL;
		}
		g_array_append_val(config->features, feature);
		off += desc_len;
	}
	return g_steal_pointer(&config);
}

const RbMmcFeature *
rb_mmc_configuration_get_feature(const RbMmcConfiguration *config, guint16 code)
{
	g_return_val_if_fail(config != NULL, NULL);
	for (guint i = 0; i < config->features->len; i++) {
		const RbMmcFeature *feature = &g_array_index(config->features, RbMmcFeature, i);
		if (feature->code == code)
			return feature;
	}
	return NULL;
}

gboolean
rb_mmc_configuration_has_profile(const RbMmcConfiguration *config, guint16 profile)
{
	g_return_val_if_fail(config != NULL, FALSE);
	for (guint i = 0; i < config->profiles->len; i++) {
		if (g_array_index(config->profiles, RbMmcProfile, i).number == profile)
			return TRUE;
	}
	return FALSE;
}

/* both CD write features keep their flags in byte 4 of an 8-byte descriptor */
static const guint8 *
rb_mmc_feature_get_body(const RbMmcFeature *feature, guint16 code, gsize *len, GError **error)
{
	const guint8 *desc;
	g_autofree gchar *what = NULL;

	g_return_val_if_fail(feature != NULL, NULL);
	g_return_val_if_fail(feature->code == code, NULL);
	desc = g_bytes_get_data(feature->descriptor, len);
	what = g_strdup_printf("GET CONFIGURATION feature %04Xh", code);
	if (!rb_mmc_reply_need(what, *len, 8, error))
		return NULL;
	return desc;
}

gboolean
rb_mmc_feature_parse_cd_tao(const RbMmcFeature *feature, RbMmcFeatureCdTao *out, GError **error)
{
	gsize len = 0;
	const guint8 *d = rb_mmc_feature_get_body(feature, RB_MMC_FEATURE_CD_TAO, &len, error);

	if (d == NULL)
		return FALSE;
	memset(out, 0, sizeof(*out));
	out->buf = (d[4] & 0x40) != 0;
	out->rw_raw = (d[4] & 0x10) != 0;
	out->rw_pack = (d[4] & 0x08) != 0;
	out->test_write = (d[4] & 0x04) != 0;
	out->cd_rw = (d[4] & 0x02) != 0;
	out->rw_subcode = (d[4] & 0x01) != 0;
	out->data_types_supported = rb_mmc_get_be16(d + 6);
	return TRUE;
}

gboolean
rb_mmc_feature_parse_cd_mastering(const RbMmcFeature *feature,
				  RbMmcFeatureCdMastering *out,
				  GError **error)
{
	gsize len = 0;
	const guint8 *d =
		rb_mmc_feature_get_body(feature, RB_MMC_FEATURE_CD_MASTERING, &len, error);

	if (d == NULL)
		return FALSE;
	memset(out, 0, sizeof(*out));
	out->buf = (d[4] & 0x40) != 0;
	out->sao = (d[4] & 0x20) != 0;
	out->raw_ms = (d[4] & 0x10) != 0;
	out->raw = (d[4] & 0x08) != 0;
	out->test_write = (d[4] & 0x04) != 0;
	out->cd_rw = (d[4] & 0x02) != 0;
	out->rw = (d[4] & 0x01) != 0;
	out->max_cue_sheet_length = rb_mmc_get_be24(d + 5);
	return TRUE;
}

/* a binary MSF field of a reply; FF:FF:FF and out-of-range values are "none" */
static gboolean
rb_mmc_reply_msf(const guint8 *p, RbMsf *msf, gint32 *lba)
{
	RbMsf m = {p[0], p[1], p[2]};

	if (!rb_msf_is_valid(m))
		return FALSE;
	if (msf != NULL)
		*msf = m;
	*lba = rb_msf_to_lba(m);
	return TRUE;
}

gboolean
rb_mmc_disc_info_parse(const guint8 *data, gsize len, RbMmcDiscInfo *out, GError **error)
{
	gsize valid = rb_mmc_reply_valid_len(data, len, 2);

	/* up to the last possible lead-out address; later fields are not used */
	if (!rb_mmc_reply_need("READ DISC INFORMATION", valid, 24, error))
		return FALSE;
	memset(out, 0, sizeof(*out));
	out->erasable = (data[2] & 0x10) != 0;
	out->last_session_state = (data[2] >> 2) & 0x03;
	out->disc_status = data[2] & 0x03;
	out->first_track = data[3];
	out->n_sessions = (guint16)((data[9] << 8) | data[4]);
	out->first_track_last_session = (guint16)((data[10] << 8) | data[5]);
	out->last_track_last_session = (guint16)((data[11] << 8) | data[6]);
	out->did_v = (data[7] & 0x80) != 0;
	out->dbc_v = (data[7] & 0x40) != 0;
	out->uru = (data[7] & 0x20) != 0;
	out->dac_v = (data[7] & 0x10) != 0;
	out->disc_type = data[8];
	out->disc_id = rb_mmc_get_be32(data + 12);
	out->leadin_start_valid = rb_mmc_reply_msf(data + 17, NULL, &out->leadin_start_lba);
	out->last_leadout_valid = rb_mmc_reply_msf(data + 21, NULL, &out->last_leadout_lba);
	return TRUE;
}

gboolean
rb_mmc_track_info_parse(const guint8 *data, gsize len, RbMmcTrackInfo *out, GError **error)
{
	gsize valid = rb_mmc_reply_valid_len(data, len, 2);

	/* through the track size: every MMC revision since MMC-1 sends that much */
	if (!rb_mmc_reply_need("READ TRACK INFORMATION", valid, 28, error))
		return FALSE;
	memset(out, 0, sizeof(*out));
	out->track_number = data[2];
	out->session_number = data[3];
	if (valid >= 34) {
		out->track_number |= (guint16)(data[32] << 8);
		out->session_number |= (guint16)(data[33] << 8);
	}
	out->damage = (data[5] & 0x20) != 0;
	out->copy = (data[5] & 0x10) != 0;
	out->track_mode = data[5] & 0x0F;
	out->rt = (data[6] & 0x80) != 0;
	out->blank = (data[6] & 0x40) != 0;
	out->packet = (data[6] & 0x20) != 0;
	out->fp = (data[6] & 0x10) != 0;
	out->data_mode = data[6] & 0x0F;
	out->lra_v = (data[7] & 0x02) != 0;
	out->nwa_v = (data[7] & 0x01) != 0;
	out->track_start = (gint32)rb_mmc_get_be32(data + 8);
	out->next_writable_address = (gint32)rb_mmc_get_be32(data + 12);
	out->free_blocks = rb_mmc_get_be32(data + 16);
	out->fixed_packet_size = rb_mmc_get_be32(data + 20);
	out->track_size = rb_mmc_get_be32(data + 24);
	return TRUE;
}

/* the 4-byte header and whole entries of a READ TOC/PMA/ATIP reply */
static gboolean
rb_mmc_toc_check(const gchar *what,
		 const guint8 *data,
		 gsize len,
		 gsize entry_len,
		 gsize *valid,
		 GError **error)
{
	*valid = rb_mmc_reply_valid_len(data, len, 2);
	if (!rb_mmc_reply_need(what, *valid, 4, error))
		return FALSE;
	if ((*valid - 4) % entry_len != 0) {
		rb_error_set(error,
			     RB_ERROR_INVALID_RESPONSE_FROM_DEVICE,
			     "%s (%s: %" G_GSIZE_FORMAT " bytes of descriptors are not a multiple "
			     "of %" G_GSIZE_FORMAT ")",
			     rb_error_get_description(RB_ERROR_INVALID_RESPONSE_FROM_DEVICE),
			     what,
			     *valid - 4,
			     entry_len);
		return FALSE;
	}
	return TRUE;
}

void
rb_mmc_toc_free(RbMmcToc *toc)
{
	if (toc == NULL)
		return;
	g_clear_pointer(&toc->tracks, g_array_unref);
	g_free(toc);
}

RbMmcToc *
rb_mmc_toc_parse(const guint8 *data, gsize len, GError **error)
{
	g_autoptr(RbMmcToc) toc = NULL;
	gsize valid = 0;

	if (!rb_mmc_toc_check("READ TOC", data, len, 8, &valid, error))
		return NULL;
	toc = g_new0(RbMmcToc, 1);
	toc->first_track = data[2];
	toc->last_track = data[3];
	toc->tracks = g_array_new(FALSE, TRUE, sizeof(RbMmcTocTrack));
	for (gsize off = 4; off + 8 <= valid; off += 8) {
		RbMmcTocTrack track = {
			.adr = data[off + 1] >> 4,
			.control = data[off + 1] & 0x0F,
			.track = data[off + 2],
			.lba = (gint32)rb_mmc_get_be32(data + off + 4),
		};
		g_array_append_val(toc->tracks, track);
	}
	return g_steal_pointer(&toc);
}

gboolean
rb_mmc_session_info_parse(const guint8 *data, gsize len, RbMmcSessionInfo *out, GError **error)
{
	gsize valid = rb_mmc_reply_valid_len(data, len, 2);

	if (!rb_mmc_reply_need("READ TOC session information", valid, 12, error))
		return FALSE;
	memset(out, 0, sizeof(*out));
	out->first_session = data[2];
	out->last_session = data[3];
	out->adr = data[5] >> 4;
	out->control = data[5] & 0x0F;
	out->first_track_last_session = data[6];
	out->first_track_last_session_lba = (gint32)rb_mmc_get_be32(data + 8);
	return TRUE;
}

void
rb_mmc_full_toc_free(RbMmcFullToc *toc)
{
	if (toc == NULL)
		return;
	g_clear_pointer(&toc->entries, g_array_unref);
	g_free(toc);
}

RbMmcFullToc *
rb_mmc_full_toc_parse(const guint8 *data, gsize len, GError **error)
{
	g_autoptr(RbMmcFullToc) toc = NULL;
	gsize valid = 0;

	if (!rb_mmc_toc_check("READ TOC full TOC", data, len, 11, &valid, error))
		return NULL;
	toc = g_new0(RbMmcFullToc, 1);
	toc->first_session = data[2];
	toc->last_session = data[3];
	toc->entries = g_array_new(FALSE, TRUE, sizeof(RbMmcFullTocEntry));
	for (gsize off = 4; off + 11 <= valid; off += 11) {
		const guint8 *d = data + off;
		RbMmcFullTocEntry entry = {
			.session = d[0],
			.adr = d[1] >> 4,
			.control = d[1] & 0x0F,
			.tno = d[2],
			.point = d[3],
			.min = d[4],
			.sec = d[5],
			.frame = d[6],
			.zero = d[7],
			.pmin = d[8],
			.psec = d[9],
			.pframe = d[10],
		};
		g_array_append_val(toc->entries, entry);
	}
	return g_steal_pointer(&toc);
}

gboolean
rb_mmc_atip_parse(const guint8 *data, gsize len, RbMmcAtip *out, GError **error)
{
	gsize valid = rb_mmc_reply_valid_len(data, len, 2);

	/* through the last possible lead-out start: what a raw burn needs */
	if (!rb_mmc_reply_need("READ TOC ATIP", valid, 15, error))
		return FALSE;
	memset(out, 0, sizeof(*out));
	out->writing_power = (data[4] >> 4) & 0x07;
	out->reference_speed = data[4] & 0x07;
	out->uru = (data[5] & 0x40) != 0;
	out->cd_rw = (data[6] & 0x40) != 0;
	out->disc_sub_type = (data[6] >> 3) & 0x07;
	out->a1_valid = (data[6] & 0x04) != 0;
	out->a2_valid = (data[6] & 0x02) != 0;
	out->a3_valid = (data[6] & 0x01) != 0;
	if (!rb_mmc_reply_msf(data + 8, &out->leadin_start, &out->leadin_start_lba) ||
	    !rb_mmc_reply_msf(data + 12, &out->last_leadout, &out->last_leadout_lba)) {
		rb_error_set(error,
			     RB_ERROR_INVALID_RESPONSE_FROM_DEVICE,
			     "%s (READ TOC ATIP: lead-in %02u:%02u:%02u or lead-out "
			     "%02u:%02u:%02u is no MSF address)",
			     rb_error_get_description(RB_ERROR_INVALID_RESPONSE_FROM_DEVICE),
			     data[8],
			     data[9],
			     data[10],
			     data[12],
			     data[13],
			     data[14]);
		return FALSE;
	}
	/* the A1..A3 values exist only in the full 28-byte reply */
	if (valid >= 19)
		memcpy(out->a1, data + 16, 3);
	if (valid >= 23)
		memcpy(out->a2, data + 20, 3);
	if (valid >= 27)
		memcpy(out->a3, data + 24, 3);
	return TRUE;
}

GArray *
rb_mmc_write_speeds_parse(const guint8 *data, gsize len, GError **error)
{
	g_autoptr(GArray) speeds = NULL;
	gsize valid = rb_mmc_reply_valid_len(data, len, 4);

	if (!rb_mmc_reply_need("GET PERFORMANCE", valid, RB_MMC_PERFORMANCE_HEADER_LEN, error))
		return NULL;
	if ((valid - RB_MMC_PERFORMANCE_HEADER_LEN) % RB_MMC_WRITE_SPEED_DESCRIPTOR_LEN != 0) {
		rb_error_set(error,
			     RB_ERROR_INVALID_RESPONSE_FROM_DEVICE,
			     "%s (GET PERFORMANCE: %" G_GSIZE_FORMAT
			     " bytes of descriptors are not a multiple of 16)",
			     rb_error_get_description(RB_ERROR_INVALID_RESPONSE_FROM_DEVICE),
			     valid - RB_MMC_PERFORMANCE_HEADER_LEN);
		return NULL;
	}
	speeds = g_array_new(FALSE, TRUE, sizeof(RbMmcWriteSpeed));
	for (gsize off = RB_MMC_PERFORMANCE_HEADER_LEN;
	     off + RB_MMC_WRITE_SPEED_DESCRIPTOR_LEN <= valid;
	     off += RB_MMC_WRITE_SPEED_DESCRIPTOR_LEN) {
		const guint8 *d = data + off;
		RbMmcWriteSpeed speed = {
			.wrc = (d[0] >> 3) & 0x03,
			.exact = (d[0] & 0x02) != 0,
			.mrw = (d[0] & 0x01) != 0,
			.end_lba = rb_mmc_get_be32(d + 4),
			.read_speed_kbps = rb_mmc_get_be32(d + 8),
			.write_speed_kbps = rb_mmc_get_be32(d + 12),
		};
		g_array_append_val(speeds, speed);
	}
	return g_steal_pointer(&speeds);
}

gboolean
rb_mmc_buffer_capacity_parse(const guint8 *data,
			     gsize len,
			     RbMmcBufferCapacity *out,
			     GError **error)
{
	gsize valid = rb_mmc_reply_valid_len(data, len, 2);

	if (!rb_mmc_reply_need("READ BUFFER CAPACITY", valid, RB_MMC_BUFFER_CAPACITY_LEN, error))
		return FALSE;
	out->buffer_length = rb_mmc_get_be32(data + 4);
	out->free_bytes = rb_mmc_get_be32(data + 8);
	return TRUE;
}
