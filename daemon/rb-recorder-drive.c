/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads everything the Recorder and DiscFormat2RawCD properties show off a
 * drive, and applies a speed request, through the MMC layer. Blocking: the
 * recorder runs these in a worker thread, never on the main loop.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbRecorderDrive"

#include "rb-error.h"
#include "rb-mmc-cdb.h"
#include "rb-mmc-device.h"
#include "rb-mmc-mode-pages.h"
#include "rb-mmc-probe.h"
#include "rb-mmc-sense.h"
#include "rb-recorder-drive.h"
#include "rb-drive-probe.h"

/* IMAPI_MEDIA_PHYSICAL_TYPE */
#define RB_IMAPI_MEDIA_UNKNOWN 0
#define RB_IMAPI_MEDIA_CDROM 1
#define RB_IMAPI_MEDIA_CDR 2
#define RB_IMAPI_MEDIA_CDRW 3

RbDriveState *
rb_drive_state_new(void)
{
	RbDriveState *state = g_new0(RbDriveState, 1);

	state->supported_profiles = g_array_new(FALSE, FALSE, sizeof(guint32));
	state->current_profiles = g_array_new(FALSE, FALSE, sizeof(guint32));
	state->supported_features = g_array_new(FALSE, FALSE, sizeof(guint32));
	state->current_features = g_array_new(FALSE, FALSE, sizeof(guint32));
	state->mode_pages = g_array_new(FALSE, FALSE, sizeof(guint32));
	state->sector_types = g_array_new(FALSE, FALSE, sizeof(guint32));
	state->write_speeds = g_array_new(FALSE, FALSE, sizeof(RbMmcSpeedDescriptor));
	state->current_write_speed = -1;
	return state;
}

void
rb_drive_state_free(RbDriveState *state)
{
	if (state == NULL)
		return;
	g_free(state->vendor);
	g_free(state->product);
	g_free(state->revision);
	g_array_unref(state->supported_profiles);
	g_array_unref(state->current_profiles);
	g_array_unref(state->supported_features);
	g_array_unref(state->current_features);
	g_array_unref(state->mode_pages);
	g_array_unref(state->sector_types);
	g_array_unref(state->write_speeds);
	g_free(state);
}

static guint32
rb_recorder_drive_media_type(guint16 profile)
{
	switch (profile) {
	case RB_MMC_PROFILE_CD_ROM:
		return RB_IMAPI_MEDIA_CDROM;
	case RB_MMC_PROFILE_CD_R:
		return RB_IMAPI_MEDIA_CDR;
	case RB_MMC_PROFILE_CD_RW:
		return RB_IMAPI_MEDIA_CDRW;
	default:
		return RB_IMAPI_MEDIA_UNKNOWN;
	}
}

static void
rb_recorder_drive_read_configuration(RbMmcTransport *transport, RbDriveState *state)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RbMmcConfiguration) config =
		rb_mmc_get_configuration(transport, RB_MMC_RT_ALL, 0, &error);

	if (config == NULL) {
		g_debug("GET CONFIGURATION: %s", error->message);
		return;
	}
	for (guint i = 0; config->profiles != NULL && i < config->profiles->len; i++) {
		const RbMmcProfile *profile = &g_array_index(config->profiles, RbMmcProfile, i);
		guint32 number = profile->number;
		g_array_append_val(state->supported_profiles, number);
		if (profile->current)
			g_array_append_val(state->current_profiles, number);
	}
	for (guint i = 0; i < config->features->len; i++) {
		const RbMmcFeature *feature = &g_array_index(config->features, RbMmcFeature, i);
		guint32 code = feature->code;
		g_array_append_val(state->supported_features, code);
		if (feature->current)
			g_array_append_val(state->current_features, code);
	}
	state->media_type = rb_recorder_drive_media_type(config->current_profile);
}

/* the mode pages a raw writer needs, when the drive answers them */
static void
rb_recorder_drive_read_mode_pages(RbMmcTransport *transport, RbDriveState *state)
{
	const guint8 pages[] = {RB_MMC_PAGE_WRITE_PARAMETERS, RB_MMC_PAGE_CAPABILITIES};

	for (guint i = 0; i < G_N_ELEMENTS(pages); i++) {
		RbMmcModePage page = {0};
		g_autoptr(GError) error = NULL;
		guint32 code = pages[i];

		if (!rb_mmc_mode_sense_10(transport, RB_MMC_PC_CURRENT, pages[i], &page, &error))
			continue;
		g_array_append_val(state->mode_pages, code);
		if (pages[i] == RB_MMC_PAGE_CAPABILITIES) {
			g_autoptr(RbMmcCapabilities) caps = rb_mmc_capabilities_parse(&page, NULL);
			if (caps != NULL) {
				state->current_write_speed = (gint32)rb_mmc_speed_kbps_to_sectors(
					caps->current_write_speed_kbps);
				state->current_pure_cav = caps->rotation_control == 1;
			}
		}
	}
}

RbDriveState *
rb_recorder_drive_read_state(RbMmcTransport *transport, GError **error)
{
	g_autoptr(RbDriveState) state = rb_drive_state_new();
	g_autoptr(GError) error_local = NULL;
	RbMmcInquiry inquiry = {0};
	RbMmcDiscInfo disc_info = {0};

	if (!rb_mmc_inquiry(transport, &inquiry, error))
		return NULL;
	state->vendor = g_strdup(inquiry.vendor);
	state->product = g_strdup(inquiry.product);
	state->revision = g_strdup(inquiry.revision);

	/* a medium change reports itself once: the second answer is the state */
	if (!rb_mmc_test_unit_ready(transport, &error_local)) {
		if (!g_error_matches(error_local, RB_ERROR, RB_ERROR_MEDIA_NO_MEDIA)) {
			g_clear_error(&error_local);
			if (!rb_mmc_test_unit_ready(transport, &error_local) &&
			    !g_error_matches(error_local, RB_ERROR, RB_ERROR_MEDIA_NO_MEDIA)) {
				g_propagate_error(error, g_steal_pointer(&error_local));
				return NULL;
			}
		}
	}
	state->media_present = error_local == NULL;
	rb_recorder_drive_read_configuration(transport, state);
	rb_recorder_drive_read_mode_pages(transport, state);
	if (!state->media_present) {
		state->media_type = RB_IMAPI_MEDIA_UNKNOWN;
		return g_steal_pointer(&state);
	}

	/* raw capabilities: which sector types the drive really takes, and its speeds */
	{
		g_autoptr(GError) probe_error = NULL;
		g_autoptr(RbMmcRawCaps) caps = rb_mmc_probe_raw(transport, &probe_error);
		if (caps != NULL) {
			state->raw_supported = caps->feature_raw || caps->sector_types->len > 0;
			state->buf = caps->buf;
			for (guint i = 0; i < caps->sector_types->len; i++) {
				guint32 type = g_array_index(caps->sector_types, guint, i);
				g_array_append_val(state->sector_types, type);
			}
			g_array_append_vals(state->write_speeds,
					    caps->write_speeds->data,
					    caps->write_speeds->len);
		} else {
			g_debug("raw probe: %s", probe_error->message);
		}
	}
	if (rb_mmc_read_disc_information(transport, &disc_info, NULL)) {
		state->media_blank = disc_info.disc_status == RB_MMC_DISC_STATUS_BLANK;
		if (disc_info.leadin_start_valid)
			state->leadin_start = disc_info.leadin_start_lba;
		if (disc_info.last_leadout_valid)
			state->last_leadout_start = disc_info.last_leadout_lba;
	}
	return g_steal_pointer(&state);
}

/* the drive picks the nearest speed it has; the state shows what it took */
gboolean
rb_recorder_drive_set_speed(RbMmcTransport *transport,
			    gint32 sectors_per_second,
			    gboolean pure_cav,
			    RbDriveState *state,
			    GError **error)
{
	guint16 kbps = rb_mmc_speed_sectors_to_kbps(sectors_per_second);
	RbMmcModePage page = {0};

	if (!rb_mmc_set_cd_speed(transport, pure_cav ? 1 : 0, 0xFFFF, kbps, error))
		return FALSE;
	if (rb_mmc_mode_sense_10(
		    transport, RB_MMC_PC_CURRENT, RB_MMC_PAGE_CAPABILITIES, &page, NULL)) {
		g_autoptr(RbMmcCapabilities) caps = rb_mmc_capabilities_parse(&page, NULL);
		if (caps != NULL) {
			state->current_write_speed = (gint32)rb_mmc_speed_kbps_to_sectors(
				caps->current_write_speed_kbps);
			state->current_pure_cav = caps->rotation_control == 1;
		}
	}
	return TRUE;
}

/* what discovery probed, in the shape the properties are set from */
RbDriveState *
rb_drive_state_new_from_info(const RbDriveInfo *info)
{
	RbDriveState *state = rb_drive_state_new();

	state->vendor = g_strdup(info->vendor);
	state->product = g_strdup(info->product);
	state->revision = g_strdup(info->revision);
	for (guint i = 0; info->profiles != NULL && i < info->profiles->len; i++) {
		const RbMmcProfile *profile = &g_array_index(info->profiles, RbMmcProfile, i);
		guint32 number = profile->number;
		g_array_append_val(state->supported_profiles, number);
		if (profile->current)
			g_array_append_val(state->current_profiles, number);
	}
	for (guint i = 0; info->features != NULL && i < info->features->len; i++) {
		const RbDriveFeature *feature = &g_array_index(info->features, RbDriveFeature, i);
		guint32 code = feature->code;
		g_array_append_val(state->supported_features, code);
		if (feature->current)
			g_array_append_val(state->current_features, code);
	}
	for (guint i = 0; info->mode_pages != NULL && i < info->mode_pages->len; i++) {
		guint32 code = g_array_index(info->mode_pages, guint8, i);
		g_array_append_val(state->mode_pages, code);
	}
	state->media_present = info->media_present;
	state->media_type = info->media_type;
	state->media_blank = info->blank;
	state->raw_supported = info->raw_supported;
	state->buf = info->buf;
	for (guint i = 0; info->sector_types != NULL && i < info->sector_types->len; i++) {
		guint32 type = g_array_index(info->sector_types, guint, i);
		g_array_append_val(state->sector_types, type);
	}
	if (info->write_speeds != NULL)
		g_array_append_vals(
			state->write_speeds, info->write_speeds->data, info->write_speeds->len);
	if (info->leadin_start_valid)
		state->leadin_start = info->leadin_start;
	if (info->last_leadout_valid)
		state->last_leadout_start = info->last_leadout_start;
	return state;
}
