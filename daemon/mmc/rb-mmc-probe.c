/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The raw capability probe. Every step a drive may legitimately refuse (old
 * drives without GET CONFIGURATION or GET PERFORMANCE, writers that cannot
 * do raw) is "not supported", never an error; only transport failures and
 * an unreadable page 05h stop the probe.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbMmc"

#include <string.h>

#include "rb-error.h"
#include "rb-mmc-cdb.h"
#include "rb-mmc-exec.h"
#include "rb-mmc-mode-pages.h"
#include "rb-mmc-probe.h"
#include "rb-mmc-replies.h"

/* the reply buffer of every probe step: a page, one feature or 32 speeds */
#define RB_MMC_PROBE_REPLY_MAX                                                                     \
	(RB_MMC_PERFORMANCE_HEADER_LEN + 32 * RB_MMC_WRITE_SPEED_DESCRIPTOR_LEN)

G_STATIC_ASSERT(RB_MMC_PROBE_REPLY_MAX >= RB_MMC_MODE_HEADER_10_LEN + 8 + RB_MMC_MODE_PAGE_MAX);

void
rb_mmc_raw_caps_free(RbMmcRawCaps *caps)
{
	if (caps == NULL)
		return;
	g_clear_pointer(&caps->sector_types, g_array_unref);
	g_clear_pointer(&caps->write_speeds, g_array_unref);
	g_free(caps);
}

gboolean
rb_mmc_raw_caps_has_sector_type(const RbMmcRawCaps *caps, guint imapi_sector_type)
{
	g_return_val_if_fail(caps != NULL, FALSE);
	for (guint i = 0; i < caps->sector_types->len; i++) {
		if (g_array_index(caps->sector_types, guint, i) == imapi_sector_type)
			return TRUE;
	}
	return FALSE;
}

/* Runs one probe command. TRUE with *refused set when the drive answered
 * with a CHECK CONDITION; FALSE only for failures that end the probe. */
static gboolean
rb_mmc_probe_run(RbMmcTransport *transport,
		 const RbMmcCdb *cdb,
		 RbMmcDirection direction,
		 guint8 *buffer,
		 gsize buffer_len,
		 gsize *transferred,
		 gboolean *refused,
		 GError **error)
{
	g_autoptr(GError) error_local = NULL;
	RbMmcExecInfo info;

	*refused = FALSE;
	if (rb_mmc_exec(transport, cdb, direction, buffer, buffer_len, NULL, &info, &error_local)) {
		if (transferred != NULL)
			*transferred = info.transferred;
		return TRUE;
	}
	if (info.check_condition) {
		g_debug("probe: %s", error_local->message);
		*refused = TRUE;
		return TRUE;
	}
	g_propagate_error(error, g_steal_pointer(&error_local));
	return FALSE;
}

/* MODE SENSE(10) of a current page. With @optional, an unusable reply
 * counts as refused instead of failing the probe. */
static gboolean
rb_mmc_probe_sense_page(RbMmcTransport *transport,
			guint8 page_code,
			gboolean optional,
			RbMmcModePage *page,
			gboolean *refused,
			GError **error)
{
	g_autoptr(GError) error_local = NULL;
	guint8 reply[RB_MMC_PROBE_REPLY_MAX];
	gsize len = 0;
	RbMmcCdb cdb;

	rb_mmc_cdb_mode_sense_10(&cdb, RB_MMC_PC_CURRENT, page_code, sizeof(reply));
	if (!rb_mmc_probe_run(
		    transport, &cdb, RB_MMC_DIR_IN, reply, sizeof(reply), &len, refused, error))
		return FALSE;
	if (*refused)
		return TRUE;
	if (rb_mmc_mode_sense_parse(reply, len, page_code, page, &error_local))
		return TRUE;
	if (!optional) {
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	g_debug("probe: page %02Xh ignored: %s", page_code, error_local->message);
	*refused = TRUE;
	return TRUE;
}

static gboolean
rb_mmc_probe_select_page(RbMmcTransport *transport,
			 const RbMmcModePage *page,
			 gboolean *refused,
			 GError **error)
{
	guint8 data[RB_MMC_MODE_DATA_MAX];
	gsize len = rb_mmc_mode_select_build(page, data);
	RbMmcCdb cdb;

	rb_mmc_cdb_mode_select_10(&cdb, (guint16)len);
	return rb_mmc_probe_run(transport, &cdb, RB_MMC_DIR_OUT, data, len, NULL, refused, error);
}

static gboolean
rb_mmc_probe_cd_mastering(RbMmcTransport *transport, RbMmcRawCaps *caps, GError **error)
{
	g_autoptr(RbMmcConfiguration) config = NULL;
	g_autoptr(GError) error_local = NULL;
	guint8 reply[RB_MMC_PROBE_REPLY_MAX];
	const RbMmcFeature *feature;
	RbMmcFeatureCdMastering mastering;
	gboolean refused = FALSE;
	gsize len = 0;
	RbMmcCdb cdb;

	rb_mmc_cdb_get_configuration(
		&cdb, RB_MMC_RT_ONE, RB_MMC_FEATURE_CD_MASTERING, sizeof(reply));
	if (!rb_mmc_probe_run(
		    transport, &cdb, RB_MMC_DIR_IN, reply, sizeof(reply), &len, &refused, error))
		return FALSE;
	if (refused)
		return TRUE;
	config = rb_mmc_configuration_parse(reply, len, &error_local);
	if (config == NULL) {
		g_debug("probe: feature 002Eh ignored: %s", error_local->message);
		return TRUE;
	}
	feature = rb_mmc_configuration_get_feature(config, RB_MMC_FEATURE_CD_MASTERING);
	if (feature == NULL)
		return TRUE;
	if (!rb_mmc_feature_parse_cd_mastering(feature, &mastering, &error_local)) {
		g_debug("probe: feature 002Eh ignored: %s", error_local->message);
		return TRUE;
	}
	caps->has_cd_mastering = TRUE;
	caps->cd_mastering_current = feature->current;
	caps->feature_raw = mastering.raw;
	caps->buf = mastering.buf;
	return TRUE;
}

/* a MODE SELECT some drives accept without taking it: read the page back */
static gboolean
rb_mmc_probe_block_type(RbMmcTransport *transport,
			const RbMmcModePage *original,
			guint8 dbt,
			gboolean *supported,
			GError **error)
{
	RbMmcWriteParameters params;
	RbMmcModePage page = *original;
	RbMmcModePage readback;
	gboolean refused = FALSE;

	*supported = FALSE;
	if (!rb_mmc_write_parameters_parse(&page, &params, error))
		return FALSE;
	params.write_type = RB_MMC_WRITE_TYPE_RAW;
	params.data_block_type = dbt;
	params.test_write = FALSE;
	params.ls_v = FALSE;
	params.multi_session = 0;
	params.fp = FALSE;
	params.copy = FALSE;
	params.track_mode = 0;
	params.session_format = 0;
	if (!rb_mmc_write_parameters_apply(&params, &page, error))
		return FALSE;
	if (!rb_mmc_probe_select_page(transport, &page, &refused, error))
		return FALSE;
	if (refused)
		return TRUE;
	if (!rb_mmc_probe_sense_page(
		    transport, RB_MMC_PAGE_WRITE_PARAMETERS, TRUE, &readback, &refused, error))
		return FALSE;
	if (refused || !rb_mmc_write_parameters_parse(&readback, &params, NULL))
		return TRUE;
	*supported = params.write_type == RB_MMC_WRITE_TYPE_RAW && params.data_block_type == dbt;
	if (!*supported)
		g_debug("probe: data block type %u accepted but not kept", dbt);
	return TRUE;
}

static gint
rb_mmc_speed_compare(gconstpointer a, gconstpointer b)
{
	const RbMmcSpeedDescriptor *sa = a;
	const RbMmcSpeedDescriptor *sb = b;

	if (sa->sectors_per_second != sb->sectors_per_second)
		return sa->sectors_per_second > sb->sectors_per_second ? -1 : 1;
	return (gint)sa->pure_cav - (gint)sb->pure_cav;
}

static void
rb_mmc_probe_add_speed(GArray *speeds, gboolean pure_cav, guint kbps)
{
	RbMmcSpeedDescriptor speed = {
		.pure_cav = pure_cav,
		.sectors_per_second = rb_mmc_speed_kbps_to_sectors(kbps),
		.kbps = kbps,
	};

	if (speed.sectors_per_second == 0)
		return;
	/* drives list one descriptor per zone or medium; keep one per speed */
	for (guint i = 0; i < speeds->len; i++) {
		const RbMmcSpeedDescriptor *s = &g_array_index(speeds, RbMmcSpeedDescriptor, i);
		if (s->sectors_per_second == speed.sectors_per_second && s->pure_cav == pure_cav)
			return;
	}
	g_array_append_val(speeds, speed);
}

static gboolean
rb_mmc_probe_speeds_performance(RbMmcTransport *transport, GArray *speeds, GError **error)
{
	g_autoptr(GArray) descriptors = NULL;
	g_autoptr(GError) error_local = NULL;
	guint8 reply[RB_MMC_PROBE_REPLY_MAX];
	gboolean refused = FALSE;
	gsize len = 0;
	RbMmcCdb cdb;

	rb_mmc_cdb_get_performance_write_speed(&cdb, 32);
	if (!rb_mmc_probe_run(
		    transport, &cdb, RB_MMC_DIR_IN, reply, sizeof(reply), &len, &refused, error))
		return FALSE;
	if (refused)
		return TRUE;
	descriptors = rb_mmc_write_speeds_parse(reply, len, &error_local);
	if (descriptors == NULL) {
		g_debug("probe: GET PERFORMANCE ignored: %s", error_local->message);
		return TRUE;
	}
	for (guint i = 0; i < descriptors->len; i++) {
		const RbMmcWriteSpeed *d = &g_array_index(descriptors, RbMmcWriteSpeed, i);
		rb_mmc_probe_add_speed(
			speeds, d->wrc == RB_MMC_ROTATION_PURE_CAV, d->write_speed_kbps);
	}
	return TRUE;
}

static void
rb_mmc_probe_speeds_page_2a(const RbMmcCapabilities *caps2a, GArray *speeds)
{
	for (guint i = 0; i < caps2a->write_speeds->len; i++) {
		const RbMmcPage2AWriteSpeed *d =
			&g_array_index(caps2a->write_speeds, RbMmcPage2AWriteSpeed, i);
		rb_mmc_probe_add_speed(speeds,
				       d->rotation_control == RB_MMC_ROTATION_PURE_CAV,
				       d->write_speed_kbps);
	}
	/* MMC-1/2 drives have no descriptors, only a maximum */
	if (speeds->len == 0)
		rb_mmc_probe_add_speed(speeds, FALSE, caps2a->max_write_speed_kbps);
}

RbMmcRawCaps *
rb_mmc_probe_raw(RbMmcTransport *transport, GError **error)
{
	g_autoptr(RbMmcRawCaps) caps = g_new0(RbMmcRawCaps, 1);
	g_autoptr(RbMmcCapabilities) caps2a = NULL;
	RbMmcModePage original;
	RbMmcModePage page2a;
	gboolean refused = FALSE;
	static const guint8 block_types[] = {
		RB_MMC_DBT_RAW_PQ,
		RB_MMC_DBT_RAW_PW_PACKED,
		RB_MMC_DBT_RAW_PW,
	};

	g_return_val_if_fail(RB_IS_MMC_TRANSPORT(transport), NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	caps->sector_types = g_array_new(FALSE, TRUE, sizeof(guint));
	caps->write_speeds = g_array_new(FALSE, TRUE, sizeof(RbMmcSpeedDescriptor));

	if (!rb_mmc_probe_cd_mastering(transport, caps, error))
		return NULL;

	/* page 2Ah: BUF for drives without 002Eh, and the fallback speeds */
	if (!rb_mmc_probe_sense_page(
		    transport, RB_MMC_PAGE_CAPABILITIES, TRUE, &page2a, &refused, error))
		return NULL;
	if (!refused) {
		g_autoptr(GError) error_local = NULL;

		caps2a = rb_mmc_capabilities_parse(&page2a, &error_local);
		if (caps2a == NULL)
			g_debug("probe: page 2Ah ignored: %s", error_local->message);
		else if (caps2a->buf)
			caps->buf = TRUE;
	}

	/* page 05h: the trial of each raw block type, then the original back */
	if (!rb_mmc_probe_sense_page(
		    transport, RB_MMC_PAGE_WRITE_PARAMETERS, FALSE, &original, &refused, error))
		return NULL;
	if (!refused) {
		for (guint i = 0; i < G_N_ELEMENTS(block_types); i++) {
			gboolean supported = FALSE;
			guint imapi;

			if (!rb_mmc_probe_block_type(
				    transport, &original, block_types[i], &supported, error))
				return NULL;
			if (!supported)
				continue;
			imapi = rb_mmc_dbt_to_imapi_sector_type(block_types[i]);
			g_array_append_val(caps->sector_types, imapi);
		}
		/* a refused restore leaves only write parameters that the next
		 * burn sets anyway; not worth failing the probe for */
		if (!rb_mmc_probe_select_page(transport, &original, &refused, error))
			return NULL;
		if (refused)
			g_debug("probe: the drive refused its own page 05h back");
	}

	if (!rb_mmc_probe_speeds_performance(transport, caps->write_speeds, error))
		return NULL;
	if (caps->write_speeds->len == 0 && caps2a != NULL)
		rb_mmc_probe_speeds_page_2a(caps2a, caps->write_speeds);
	g_array_sort(caps->write_speeds, rb_mmc_speed_compare);
	return g_steal_pointer(&caps);
}
