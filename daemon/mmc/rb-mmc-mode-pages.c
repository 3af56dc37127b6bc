/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Mode pages. Drives are strict about MODE SELECT: CDEmu (and real drives
 * like it) reject block descriptors and any page length other than the one
 * they report, so the page travels as sensed and only named fields change.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbMmc"

#include <string.h>

#include "rb-error.h"
#include "rb-mmc-mode-pages.h"
#include "rb-mmc-replies.h"

gboolean
rb_mmc_mode_sense_parse(
	const guint8 *data, gsize len, guint8 page_code, RbMmcModePage *out, GError **error)
{
	gsize valid;
	gsize off;
	gsize page_len;

	if (len < RB_MMC_MODE_HEADER_10_LEN) {
		rb_error_set(error,
			     RB_ERROR_INVALID_RESPONSE_FROM_DEVICE,
			     "%s (MODE SENSE(10) page %02Xh: reply of %" G_GSIZE_FORMAT
			     " bytes has no complete header)",
			     rb_error_get_description(RB_ERROR_INVALID_RESPONSE_FROM_DEVICE),
			     page_code,
			     len);
		return FALSE;
	}
	/* the mode data length counts the bytes after itself */
	valid = MIN(len, 2 + (gsize)rb_mmc_get_be16(data));
	/* the page starts after the block descriptors, whatever their length */
	off = RB_MMC_MODE_HEADER_10_LEN + rb_mmc_get_be16(data + 6);
	if (valid < off + 2 || valid < off + 2 + data[off + 1]) {
		rb_error_set(error,
			     RB_ERROR_INVALID_RESPONSE_FROM_DEVICE,
			     "%s (MODE SENSE(10) page %02Xh: reply of %" G_GSIZE_FORMAT
			     " bytes is truncated)",
			     rb_error_get_description(RB_ERROR_INVALID_RESPONSE_FROM_DEVICE),
			     page_code,
			     valid);
		return FALSE;
	}
	if ((data[off] & 0x3F) != page_code) {
		rb_error_set(error,
			     RB_ERROR_INVALID_RESPONSE_FROM_DEVICE,
			     "%s (MODE SENSE(10): asked for page %02Xh, got page %02Xh)",
			     rb_error_get_description(RB_ERROR_INVALID_RESPONSE_FROM_DEVICE),
			     page_code,
			     data[off] & 0x3F);
		return FALSE;
	}
	page_len = 2 + (gsize)data[off + 1];
	memset(out, 0, sizeof(*out));
	out->medium_type = data[2];
	out->device_specific = data[3];
	out->block_descriptor_length = rb_mmc_get_be16(data + 6);
	memcpy(out->page, data + off, page_len);
	out->page_len = page_len;
	return TRUE;
}

gsize
rb_mmc_mode_select_build(const RbMmcModePage *page, guint8 *out)
{
	g_return_val_if_fail(page != NULL && out != NULL, 0);
	g_return_val_if_fail(page->page_len >= 2 && page->page_len <= RB_MMC_MODE_PAGE_MAX, 0);

	/* libburn's all-zero header: no mode data length (reserved in SELECT),
	 * no medium type, no block descriptors */
	memset(out, 0, RB_MMC_MODE_HEADER_10_LEN);
	memcpy(out + RB_MMC_MODE_HEADER_10_LEN, page->page, page->page_len);
	/* PS is reported by SENSE and must be 0 in SELECT data */
	out[RB_MMC_MODE_HEADER_10_LEN] &= 0x7F;
	return RB_MMC_MODE_HEADER_10_LEN + page->page_len;
}

static gboolean
rb_mmc_mode_page_check(const RbMmcModePage *page, guint8 code, gsize min_len, GError **error)
{
	if ((page->page[0] & 0x3F) != code || page->page_len < min_len) {
		rb_error_set(error,
			     RB_ERROR_INVALID_RESPONSE_FROM_DEVICE,
			     "%s (mode page %02Xh of %" G_GSIZE_FORMAT
			     " bytes, expected page %02Xh of at least %" G_GSIZE_FORMAT ")",
			     rb_error_get_description(RB_ERROR_INVALID_RESPONSE_FROM_DEVICE),
			     page->page[0] & 0x3F,
			     page->page_len,
			     code,
			     min_len);
		return FALSE;
	}
	return TRUE;
}

gboolean
rb_mmc_write_parameters_parse(const RbMmcModePage *page, RbMmcWriteParameters *out, GError **error)
{
	const guint8 *p = page->page;

	if (!rb_mmc_mode_page_check(
		    page, RB_MMC_PAGE_WRITE_PARAMETERS, RB_MMC_PAGE_05_MIN_LEN, error))
		return FALSE;
	memset(out, 0, sizeof(*out));
	out->bufe = (p[2] & 0x40) != 0;
	out->ls_v = (p[2] & 0x20) != 0;
	out->test_write = (p[2] & 0x10) != 0;
	out->write_type = p[2] & 0x0F;
	out->multi_session = (p[3] >> 6) & 0x03;
	out->fp = (p[3] & 0x20) != 0;
	out->copy = (p[3] & 0x10) != 0;
	out->track_mode = p[3] & 0x0F;
	out->data_block_type = p[4] & 0x0F;
	out->link_size = p[5];
	out->host_application_code = p[7] & 0x3F;
	out->session_format = p[8];
	out->packet_size = rb_mmc_get_be32(p + 10);
	out->audio_pause_length = rb_mmc_get_be16(p + 14);
	return TRUE;
}

gboolean
rb_mmc_write_parameters_apply(const RbMmcWriteParameters *params,
			      RbMmcModePage *page,
			      GError **error)
{
	guint8 *p = page->page;

	if (!rb_mmc_mode_page_check(
		    page, RB_MMC_PAGE_WRITE_PARAMETERS, RB_MMC_PAGE_05_MIN_LEN, error))
		return FALSE;
	p[2] = (guint8)((p[2] & 0x80) | (params->bufe ? 0x40 : 0) | (params->ls_v ? 0x20 : 0) |
			(params->test_write ? 0x10 : 0) | (params->write_type & 0x0F));
	p[3] = (guint8)(((params->multi_session & 0x03) << 6) | (params->fp ? 0x20 : 0) |
			(params->copy ? 0x10 : 0) | (params->track_mode & 0x0F));
	p[4] = (guint8)((p[4] & 0xF0) | (params->data_block_type & 0x0F));
	p[5] = params->link_size;
	p[7] = (guint8)((p[7] & 0xC0) | (params->host_application_code & 0x3F));
	p[8] = params->session_format;
	p[10] = (guint8)(params->packet_size >> 24);
	p[11] = (guint8)(params->packet_size >> 16);
	p[12] = (guint8)(params->packet_size >> 8);
	p[13] = (guint8)params->packet_size;
	p[14] = (guint8)(params->audio_pause_length >> 8);
	p[15] = (guint8)params->audio_pause_length;
	return TRUE;
}

void
rb_mmc_capabilities_free(RbMmcCapabilities *caps)
{
	if (caps == NULL)
		return;
	g_clear_pointer(&caps->write_speeds, g_array_unref);
	g_free(caps);
}

RbMmcCapabilities *
rb_mmc_capabilities_parse(const RbMmcModePage *page, GError **error)
{
	g_autoptr(RbMmcCapabilities) caps = NULL;
	const guint8 *p = page->page;
	gsize len = page->page_len;

	if (!rb_mmc_mode_page_check(page, RB_MMC_PAGE_CAPABILITIES, RB_MMC_PAGE_2A_MIN_LEN, error))
		return NULL;
	caps = g_new0(RbMmcCapabilities, 1);
	caps->write_speeds = g_array_new(FALSE, TRUE, sizeof(RbMmcPage2AWriteSpeed));
	caps->cd_r_write = (p[3] & 0x01) != 0;
	caps->cd_rw_write = (p[3] & 0x02) != 0;
	caps->test_write = (p[3] & 0x04) != 0;
	caps->buf = (p[4] & 0x80) != 0;
	caps->cdda_accurate = (p[5] & 0x02) != 0;
	caps->rw_supported = (p[5] & 0x04) != 0;
	caps->max_read_speed_kbps = rb_mmc_get_be16(p + 8);
	caps->buffer_size_kb = rb_mmc_get_be16(p + 12);
	caps->current_read_speed_kbps = rb_mmc_get_be16(p + 14);
	caps->max_write_speed_kbps = rb_mmc_get_be16(p + 18);
	if (len >= 22)
		caps->current_write_speed_kbps = rb_mmc_get_be16(p + 20);
	/* MMC-3 moved the current write speed to 28-29 and added descriptors */
	if (len >= 30) {
		caps->rotation_control = p[27] & 0x03;
		caps->current_write_speed_kbps = rb_mmc_get_be16(p + 28);
	}
	if (len >= 32) {
		guint n = rb_mmc_get_be16(p + 30);

		/* a count beyond the page is a drive bug; keep what is there */
		for (guint i = 0; i < n && 32 + 4 * (gsize)i + 4 <= len; i++) {
			const guint8 *d = p + 32 + 4 * i;
			RbMmcPage2AWriteSpeed speed = {
				.rotation_control = d[1] & 0x03,
				.write_speed_kbps = rb_mmc_get_be16(d + 2),
			};
			g_array_append_val(caps->write_speeds, speed);
		}
	}
	return g_steal_pointer(&caps);
}
