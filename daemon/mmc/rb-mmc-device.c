/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Typed MMC calls. Replies whose size is not known up front (features, TOC,
 * mode pages, performance descriptors) are read with a generous allocation
 * and read again, once, with the announced size when it did not fit.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbMmc"

#include <string.h>

#include "rb-error.h"
#include "rb-mmc-device.h"
#include "rb-mmc-exec.h"

/* even, and below the 16-bit limit: some USB bridges mishandle odd lengths */
#define RB_MMC_ALLOCATION_MAX 0xFFF8

typedef void (*RbMmcEncodeFunc)(RbMmcCdb *cdb, guint16 allocation_length, gconstpointer args);

/* Runs a data-in command encoded by @encode. With @length_field_size 2 or 4
 * the reply's own length field is checked, and the command is sent again
 * with that length when the first reply filled the whole buffer. */
static GByteArray *
rb_mmc_read_reply(RbMmcTransport *transport,
		  RbMmcEncodeFunc encode,
		  gconstpointer args,
		  guint16 allocation_length,
		  guint length_field_size,
		  GError **error)
{
	for (guint round = 0;; round++) {
		g_autoptr(GByteArray) reply = g_byte_array_sized_new(allocation_length);
		RbMmcExecInfo info;
		RbMmcCdb cdb;
		gsize announced;

		g_byte_array_set_size(reply, allocation_length);
		encode(&cdb, allocation_length, args);
		if (!rb_mmc_exec(transport,
				 &cdb,
				 RB_MMC_DIR_IN,
				 reply->data,
				 reply->len,
				 NULL,
				 &info,
				 error))
			return NULL;
		g_byte_array_set_size(reply, (guint)info.transferred);
		announced = rb_mmc_reply_announced_len(reply->data, reply->len, length_field_size);
		if (round == 0 && info.transferred == allocation_length &&
		    announced > allocation_length && allocation_length < RB_MMC_ALLOCATION_MAX) {
			g_debug("%s: reply of %" G_GSIZE_FORMAT " bytes, asking again",
				rb_mmc_opcode_to_string(cdb.bytes[0]),
				announced);
			allocation_length = (guint16)MIN(announced, RB_MMC_ALLOCATION_MAX);
			continue;
		}
		return g_steal_pointer(&reply);
	}
}

static gboolean
rb_mmc_run_no_data(RbMmcTransport *transport, const RbMmcCdb *cdb, GError **error)
{
	return rb_mmc_exec(transport, cdb, RB_MMC_DIR_NONE, NULL, 0, NULL, NULL, error);
}

gboolean
rb_mmc_test_unit_ready(RbMmcTransport *transport, GError **error)
{
	RbMmcCdb cdb;

	rb_mmc_cdb_test_unit_ready(&cdb);
	return rb_mmc_run_no_data(transport, &cdb, error);
}

static void
rb_mmc_encode_request_sense(RbMmcCdb *cdb, guint16 allocation_length, gconstpointer args)
{
	rb_mmc_cdb_request_sense(cdb, (guint8)allocation_length);
}

gboolean
rb_mmc_request_sense(RbMmcTransport *transport, RbMmcSense *out, GError **error)
{
	g_autoptr(GByteArray) reply = rb_mmc_read_reply(
		transport, rb_mmc_encode_request_sense, NULL, RB_MMC_SENSE_MAX, 0, error);

	if (reply == NULL)
		return FALSE;
	return rb_mmc_sense_parse(reply->data, reply->len, out, error);
}

static void
rb_mmc_encode_inquiry(RbMmcCdb *cdb, guint16 allocation_length, gconstpointer args)
{
	rb_mmc_cdb_inquiry(cdb, (guint8)allocation_length);
}

gboolean
rb_mmc_inquiry(RbMmcTransport *transport, RbMmcInquiry *out, GError **error)
{
	g_autoptr(GByteArray) reply = rb_mmc_read_reply(
		transport, rb_mmc_encode_inquiry, NULL, RB_MMC_INQUIRY_LEN, 0, error);

	if (reply == NULL)
		return FALSE;
	return rb_mmc_inquiry_parse(reply->data, reply->len, out, error);
}

typedef struct {
	RbMmcConfigurationRt rt;
	guint16 starting_feature;
} RbMmcGetConfigurationArgs;

static void
rb_mmc_encode_get_configuration(RbMmcCdb *cdb, guint16 allocation_length, gconstpointer args)
{
	const RbMmcGetConfigurationArgs *a = args;
	rb_mmc_cdb_get_configuration(cdb, a->rt, a->starting_feature, allocation_length);
}

RbMmcConfiguration *
rb_mmc_get_configuration(RbMmcTransport *transport,
			 RbMmcConfigurationRt rt,
			 guint16 starting_feature,
			 GError **error)
{
	RbMmcGetConfigurationArgs args = {rt, starting_feature};
	g_autoptr(GByteArray) reply = NULL;

	reply = rb_mmc_read_reply(
		transport, rb_mmc_encode_get_configuration, &args, 1024, 4, error);
	if (reply == NULL)
		return NULL;
	return rb_mmc_configuration_parse(reply->data, reply->len, error);
}

static void
rb_mmc_encode_read_disc_information(RbMmcCdb *cdb, guint16 allocation_length, gconstpointer args)
{
	rb_mmc_cdb_read_disc_information(cdb, allocation_length);
}

gboolean
rb_mmc_read_disc_information(RbMmcTransport *transport, RbMmcDiscInfo *out, GError **error)
{
	/* the standard 34 bytes; OPC tables after them are not used */
	g_autoptr(GByteArray) reply = rb_mmc_read_reply(transport,
							rb_mmc_encode_read_disc_information,
							NULL,
							RB_MMC_DISC_INFO_LEN,
							0,
							error);

	if (reply == NULL)
		return FALSE;
	return rb_mmc_disc_info_parse(reply->data, reply->len, out, error);
}

/* the same under @env, for a worker that a cancellation or a test's fake
 * clock must reach: the standard 34 bytes, in one command */
gboolean
rb_mmc_read_disc_information_env(RbMmcTransport *transport,
				 const RbMmcEnv *env,
				 RbMmcDiscInfo *out,
				 GError **error)
{
	guint8 data[RB_MMC_DISC_INFO_LEN];
	RbMmcExecInfo info;
	RbMmcCdb cdb;

	rb_mmc_cdb_read_disc_information(&cdb, sizeof(data));
	if (!rb_mmc_exec(transport, &cdb, RB_MMC_DIR_IN, data, sizeof(data), env, &info, error))
		return FALSE;
	return rb_mmc_disc_info_parse(data, info.transferred, out, error);
}

typedef struct {
	RbMmcTrackAddressType address_type;
	guint32 address;
} RbMmcReadTrackArgs;

static void
rb_mmc_encode_read_track_information(RbMmcCdb *cdb, guint16 allocation_length, gconstpointer args)
{
	const RbMmcReadTrackArgs *a = args;
	rb_mmc_cdb_read_track_information(cdb, a->address_type, a->address, allocation_length);
}

gboolean
rb_mmc_read_track_information(RbMmcTransport *transport,
			      RbMmcTrackAddressType address_type,
			      guint32 address,
			      RbMmcTrackInfo *out,
			      GError **error)
{
	RbMmcReadTrackArgs args = {address_type, address};
	g_autoptr(GByteArray) reply = rb_mmc_read_reply(transport,
							rb_mmc_encode_read_track_information,
							&args,
							RB_MMC_TRACK_INFO_LEN,
							0,
							error);

	if (reply == NULL)
		return FALSE;
	return rb_mmc_track_info_parse(reply->data, reply->len, out, error);
}

static void
rb_mmc_encode_read_toc(RbMmcCdb *cdb, guint16 allocation_length, gconstpointer args)
{
	const guint8 *format = args;
	/* LBA addresses (MSF=0); track/session 0: from the first one */
	rb_mmc_cdb_read_toc(cdb, *format, FALSE, 0, allocation_length);
}

static GByteArray *
rb_mmc_read_toc_format(RbMmcTransport *transport,
		       guint8 format,
		       guint16 allocation_length,
		       GError **error)
{
	/* the ATIP and session info have fixed sizes; only the lists grow */
	guint field =
		format == RB_MMC_TOC_FORMAT_TOC || format == RB_MMC_TOC_FORMAT_FULL_TOC ? 2 : 0;
	return rb_mmc_read_reply(
		transport, rb_mmc_encode_read_toc, &format, allocation_length, field, error);
}

RbMmcToc *
rb_mmc_read_toc(RbMmcTransport *transport, GError **error)
{
	/* 99 tracks and the lead-out */
	g_autoptr(GByteArray) reply =
		rb_mmc_read_toc_format(transport, RB_MMC_TOC_FORMAT_TOC, 4 + 100 * 8, error);

	if (reply == NULL)
		return NULL;
	return rb_mmc_toc_parse(reply->data, reply->len, error);
}

gboolean
rb_mmc_read_session_info(RbMmcTransport *transport, RbMmcSessionInfo *out, GError **error)
{
	g_autoptr(GByteArray) reply =
		rb_mmc_read_toc_format(transport, RB_MMC_TOC_FORMAT_SESSION_INFO, 12, error);

	if (reply == NULL)
		return FALSE;
	return rb_mmc_session_info_parse(reply->data, reply->len, out, error);
}

RbMmcFullToc *
rb_mmc_read_full_toc(RbMmcTransport *transport, GError **error)
{
	g_autoptr(GByteArray) reply =
		rb_mmc_read_toc_format(transport, RB_MMC_TOC_FORMAT_FULL_TOC, 4 + 100 * 11, error);

	if (reply == NULL)
		return NULL;
	return rb_mmc_full_toc_parse(reply->data, reply->len, error);
}

gboolean
rb_mmc_read_atip(RbMmcTransport *transport, RbMmcAtip *out, GError **error)
{
	g_autoptr(GByteArray) reply =
		rb_mmc_read_toc_format(transport, RB_MMC_TOC_FORMAT_ATIP, RB_MMC_ATIP_LEN, error);

	if (reply == NULL)
		return FALSE;
	return rb_mmc_atip_parse(reply->data, reply->len, out, error);
}

typedef struct {
	RbMmcPageControl pc;
	guint8 page_code;
} RbMmcModeSenseArgs;

static void
rb_mmc_encode_mode_sense(RbMmcCdb *cdb, guint16 allocation_length, gconstpointer args)
{
	const RbMmcModeSenseArgs *a = args;
	rb_mmc_cdb_mode_sense_10(cdb, a->pc, a->page_code, allocation_length);
}

gboolean
rb_mmc_mode_sense_10(RbMmcTransport *transport,
		     RbMmcPageControl pc,
		     guint8 page_code,
		     RbMmcModePage *out,
		     GError **error)
{
	RbMmcModeSenseArgs args = {pc, page_code};
	/* room for the largest page and a block descriptor; more is asked for
	 * again by the announced length */
	g_autoptr(GByteArray) reply =
		rb_mmc_read_reply(transport, rb_mmc_encode_mode_sense, &args, 512, 2, error);

	if (reply == NULL)
		return FALSE;
	return rb_mmc_mode_sense_parse(reply->data, reply->len, page_code, out, error);
}

gboolean
rb_mmc_mode_select_10(RbMmcTransport *transport, const RbMmcModePage *page, GError **error)
{
	guint8 data[RB_MMC_MODE_DATA_MAX];
	gsize len;
	RbMmcCdb cdb;

	g_return_val_if_fail(page != NULL, FALSE);
	g_return_val_if_fail(page->page_len >= 2 && page->page_len <= RB_MMC_MODE_PAGE_MAX, FALSE);
	len = rb_mmc_mode_select_build(page, data);
	rb_mmc_cdb_mode_select_10(&cdb, (guint16)len);
	return rb_mmc_exec(transport, &cdb, RB_MMC_DIR_OUT, data, len, NULL, NULL, error);
}

static void
rb_mmc_encode_get_performance(RbMmcCdb *cdb, guint16 allocation_length, gconstpointer args)
{
	guint16 n = (guint16)((allocation_length - RB_MMC_PERFORMANCE_HEADER_LEN) /
			      RB_MMC_WRITE_SPEED_DESCRIPTOR_LEN);
	rb_mmc_cdb_get_performance_write_speed(cdb, n);
}

GArray *
rb_mmc_get_write_speeds(RbMmcTransport *transport, GError **error)
{
	/* ask for 32 descriptors at once: libburn notes that some drives
	 * announce only one descriptor when asked for none */
	g_autoptr(GByteArray) reply = rb_mmc_read_reply(
		transport,
		rb_mmc_encode_get_performance,
		NULL,
		RB_MMC_PERFORMANCE_HEADER_LEN + 32 * RB_MMC_WRITE_SPEED_DESCRIPTOR_LEN,
		4,
		error);

	if (reply == NULL)
		return NULL;
	return rb_mmc_write_speeds_parse(reply->data, reply->len, error);
}

gboolean
rb_mmc_set_cd_speed(RbMmcTransport *transport,
		    guint8 rotation_control,
		    guint16 read_kbps,
		    guint16 write_kbps,
		    GError **error)
{
	RbMmcCdb cdb;

	rb_mmc_cdb_set_cd_speed(&cdb, rotation_control, read_kbps, write_kbps);
	return rb_mmc_run_no_data(transport, &cdb, error);
}

gboolean
rb_mmc_send_opc_information(RbMmcTransport *transport, gboolean do_opc, GError **error)
{
	RbMmcCdb cdb;

	rb_mmc_cdb_send_opc_information(&cdb, do_opc);
	return rb_mmc_run_no_data(transport, &cdb, error);
}

gboolean
rb_mmc_prevent_allow_medium_removal(RbMmcTransport *transport, gboolean prevent, GError **error)
{
	RbMmcCdb cdb;

	rb_mmc_cdb_prevent_allow_medium_removal(&cdb, prevent);
	return rb_mmc_run_no_data(transport, &cdb, error);
}

gboolean
rb_mmc_start_stop_unit(RbMmcTransport *transport,
		       gboolean start,
		       gboolean load_eject,
		       gboolean immed,
		       GError **error)
{
	RbMmcCdb cdb;

	rb_mmc_cdb_start_stop_unit(&cdb, start, load_eject, immed);
	return rb_mmc_run_no_data(transport, &cdb, error);
}

gboolean
rb_mmc_write_10(RbMmcTransport *transport,
		gint32 lba,
		guint16 blocks,
		const guint8 *data,
		gsize block_size,
		GError **error)
{
	gsize len = (gsize)blocks * block_size;
	RbMmcExecInfo info;
	RbMmcCdb cdb;

	g_return_val_if_fail(data != NULL || blocks == 0, FALSE);
	rb_mmc_cdb_write_10(&cdb, lba, blocks);
	/* the transport takes one buffer pointer for both directions; a
	 * data-out command only reads it */
	if (!rb_mmc_exec(transport, &cdb, RB_MMC_DIR_OUT, (guint8 *)data, len, NULL, &info, error))
		return FALSE;
	/* a drive that took fewer bytes than the blocks announced has written
	 * something else than we think: the stream is out of step */
	if (info.transferred != len) {
		rb_error_set(error,
			     RB_ERROR_UNEXPECTED_RESPONSE_FROM_DEVICE,
			     "%s (WRITE(10) at LBA %d: the drive took %" G_GSIZE_FORMAT
			     " of %" G_GSIZE_FORMAT " bytes)",
			     rb_error_get_description(RB_ERROR_UNEXPECTED_RESPONSE_FROM_DEVICE),
			     lba,
			     info.transferred,
			     len);
		return FALSE;
	}
	return TRUE;
}

gboolean
rb_mmc_synchronize_cache(RbMmcTransport *transport, gboolean immed, GError **error)
{
	RbMmcCdb cdb;

	rb_mmc_cdb_synchronize_cache(&cdb, immed);
	return rb_mmc_run_no_data(transport, &cdb, error);
}

static void
rb_mmc_encode_read_buffer_capacity(RbMmcCdb *cdb, guint16 allocation_length, gconstpointer args)
{
	rb_mmc_cdb_read_buffer_capacity(cdb, allocation_length);
}

gboolean
rb_mmc_read_buffer_capacity(RbMmcTransport *transport, RbMmcBufferCapacity *out, GError **error)
{
	g_autoptr(GByteArray) reply = rb_mmc_read_reply(transport,
							rb_mmc_encode_read_buffer_capacity,
							NULL,
							RB_MMC_BUFFER_CAPACITY_LEN,
							0,
							error);

	if (reply == NULL)
		return FALSE;
	return rb_mmc_buffer_capacity_parse(reply->data, reply->len, out, error);
}

gboolean
rb_mmc_read_cd(RbMmcTransport *transport,
	       guint8 expected_sector_type,
	       gint32 lba,
	       guint32 blocks,
	       guint8 main_channel,
	       guint8 sub_channel,
	       guint8 *buffer,
	       gsize buffer_len,
	       GError **error)
{
	RbMmcExecInfo info;
	RbMmcCdb cdb;

	rb_mmc_cdb_read_cd(&cdb, expected_sector_type, lba, blocks, main_channel, sub_channel);
	if (!rb_mmc_exec(transport, &cdb, RB_MMC_DIR_IN, buffer, buffer_len, NULL, &info, error))
		return FALSE;
	if (info.transferred != buffer_len) {
		rb_error_set(error,
			     RB_ERROR_INVALID_RESPONSE_FROM_DEVICE,
			     "%s (READ CD at LBA %d: %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT
			     " bytes)",
			     rb_error_get_description(RB_ERROR_INVALID_RESPONSE_FROM_DEVICE),
			     lba,
			     info.transferred,
			     buffer_len);
		return FALSE;
	}
	return TRUE;
}

gboolean
rb_mmc_blank(RbMmcTransport *transport,
	     guint8 blank_type,
	     guint32 address,
	     gboolean immed,
	     GError **error)
{
	RbMmcCdb cdb;

	rb_mmc_cdb_blank(&cdb, blank_type, address, immed);
	return rb_mmc_run_no_data(transport, &cdb, error);
}
