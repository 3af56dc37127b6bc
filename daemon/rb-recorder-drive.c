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

/* the write speed and rotation in effect, from page 2Ah */
static void
rb_recorder_drive_read_current_speed(RbMmcTransport *transport, RbDriveState *state)
{
	RbMmcModePage page = {0};
	g_autoptr(RbMmcCapabilities) caps = NULL;

	if (!rb_mmc_mode_sense_10(
		    transport, RB_MMC_PC_CURRENT, RB_MMC_PAGE_CAPABILITIES, &page, NULL))
		return;
	caps = rb_mmc_capabilities_parse(&page, NULL);
	if (caps == NULL)
		return;
	state->current_write_speed =
		(gint32)rb_mmc_speed_kbps_to_sectors(caps->current_write_speed_kbps);
	state->current_pure_cav = caps->rotation_control == 1;
}

/* the same probe discovery runs, through the transport the recorder holds */
RbDriveState *
rb_recorder_drive_read_state(RbMmcTransport *transport, const gchar *name, GError **error)
{
	g_autoptr(RbDriveInfo) seed = rb_drive_info_new(name, NULL, NULL);
	g_autoptr(RbDriveInfo) info = rb_drive_probe(seed, transport, NULL, error);
	RbDriveState *state;

	if (info == NULL)
		return NULL;
	state = rb_drive_state_new_from_info(info);
	rb_recorder_drive_read_current_speed(transport, state);
	return state;
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

	if (!rb_mmc_set_cd_speed(transport, pure_cav ? 1 : 0, 0xFFFF, kbps, error))
		return FALSE;
	rb_recorder_drive_read_current_speed(transport, state);
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
	state->media_erasable = info->erasable;
	state->raw_supported = info->raw_supported;
	state->buf = info->buf;
	state->test_write = info->test_write;
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
