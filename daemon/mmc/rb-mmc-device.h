/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Typed MMC calls on a transport: encode the CDB, run it through
 * rb_mmc_exec() (timeouts, retries, sense -> RbError) with the real clock,
 * decode the reply. Blocking: call them from a worker thread, never from
 * the main loop. Callers that need cancellation or a fake clock use the
 * *_env() variants, or rb_mmc_exec() with the encoders of rb-mmc-cdb.h
 * directly.
 */
#pragma once

#include <gio/gio.h>

#include "rb-mmc-cdb.h"
#include "rb-mmc-exec.h"
#include "rb-mmc-mode-pages.h"
#include "rb-mmc-replies.h"
#include "rb-mmc-sense.h"
#include "rb-mmc-transport.h"

G_BEGIN_DECLS

gboolean rb_mmc_test_unit_ready(RbMmcTransport *transport, GError **error);
gboolean rb_mmc_request_sense(RbMmcTransport *transport, RbMmcSense *out, GError **error);
gboolean rb_mmc_inquiry(RbMmcTransport *transport, RbMmcInquiry *out, GError **error);
RbMmcConfiguration *rb_mmc_get_configuration(RbMmcTransport *transport,
					     RbMmcConfigurationRt rt,
					     guint16 starting_feature,
					     GError **error);
gboolean
rb_mmc_read_disc_information(RbMmcTransport *transport, RbMmcDiscInfo *out, GError **error);
gboolean rb_mmc_read_disc_information_env(RbMmcTransport *transport,
					  const RbMmcEnv *env,
					  RbMmcDiscInfo *out,
					  GError **error);
gboolean rb_mmc_read_track_information(RbMmcTransport *transport,
				       RbMmcTrackAddressType address_type,
				       guint32 address,
				       RbMmcTrackInfo *out,
				       GError **error);
RbMmcToc *rb_mmc_read_toc(RbMmcTransport *transport, GError **error);
gboolean rb_mmc_read_session_info(RbMmcTransport *transport, RbMmcSessionInfo *out, GError **error);
RbMmcFullToc *rb_mmc_read_full_toc(RbMmcTransport *transport, GError **error);
gboolean rb_mmc_read_atip(RbMmcTransport *transport, RbMmcAtip *out, GError **error);
gboolean rb_mmc_mode_sense_10(RbMmcTransport *transport,
			      RbMmcPageControl pc,
			      guint8 page_code,
			      RbMmcModePage *out,
			      GError **error);
gboolean
rb_mmc_mode_select_10(RbMmcTransport *transport, const RbMmcModePage *page, GError **error);
/* GET PERFORMANCE type 03h: RbMmcWriteSpeed descriptors */
GArray *rb_mmc_get_write_speeds(RbMmcTransport *transport, GError **error);
gboolean rb_mmc_set_cd_speed(RbMmcTransport *transport,
			     guint8 rotation_control,
			     guint16 read_kbps,
			     guint16 write_kbps,
			     GError **error);
gboolean rb_mmc_send_opc_information(RbMmcTransport *transport, gboolean do_opc, GError **error);
gboolean
rb_mmc_prevent_allow_medium_removal(RbMmcTransport *transport, gboolean prevent, GError **error);
gboolean rb_mmc_start_stop_unit(RbMmcTransport *transport,
				gboolean start,
				gboolean load_eject,
				gboolean immed,
				GError **error);
/* @data holds @blocks * @block_size bytes */
gboolean rb_mmc_write_10(RbMmcTransport *transport,
			 gint32 lba,
			 guint16 blocks,
			 const guint8 *data,
			 gsize block_size,
			 GError **error);
gboolean rb_mmc_synchronize_cache(RbMmcTransport *transport, gboolean immed, GError **error);
gboolean
rb_mmc_read_buffer_capacity(RbMmcTransport *transport, RbMmcBufferCapacity *out, GError **error);
/* @buffer holds @blocks sectors of the size the selection implies */
gboolean rb_mmc_read_cd(RbMmcTransport *transport,
			guint8 expected_sector_type,
			gint32 lba,
			guint32 blocks,
			guint8 main_channel,
			guint8 sub_channel,
			guint8 *buffer,
			gsize buffer_len,
			GError **error);
gboolean rb_mmc_blank(RbMmcTransport *transport,
		      guint8 blank_type,
		      guint32 address,
		      gboolean immed,
		      GError **error);

G_END_DECLS
