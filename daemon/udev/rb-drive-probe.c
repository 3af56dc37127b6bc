/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Probing a recorder for the daemon's view of it. Every command runs
 * through rb_mmc_exec() with the caller's cancellable, so that a shutdown
 * cuts retries and busy waits short. A CHECK CONDITION is an answer ("not
 * supported", "no medium"), never a failure: old drives lack GET
 * CONFIGURATION, an empty drive refuses READ DISC INFORMATION. Only a
 * drive that cannot be opened, does not answer INQUIRY or drops off the
 * bus fails the probe.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbDriveProbe"

#include <glib/gi18n.h>
#include <string.h>

#include "rb-drive-probe.h"
#include "rb-error.h"
#include "rb-mmc-cdb.h"
#include "rb-mmc-exec.h"
#include "rb-mmc-mode-pages.h"
#include "rb-mmc-sense.h"
#include "rb-mmc-sg-transport.h"

/* the first GET CONFIGURATION asks for this much; a longer reply is asked
 * for again with the length the drive announced */
#define RB_DRIVE_PROBE_CONFIG_FIRST 1024
/* the largest allocation length a 16-bit field holds, rounded down as
 * some drives and HBAs want it */
#define RB_DRIVE_PROBE_ALLOCATION_MAX 0xFFF8
/* MODE SENSE(10): header, one block descriptor drives may add, the page */
#define RB_DRIVE_PROBE_MODE_REPLY (RB_MMC_MODE_DATA_MAX + 8)

G_DEFINE_BOXED_TYPE(RbDriveInfo, rb_drive_info, rb_drive_info_ref, rb_drive_info_unref)

RbDriveInfo *
rb_drive_info_new(const gchar *kernel_name, const gchar *device_node, const gchar *syspath)
{
	RbDriveInfo *info = g_new0(RbDriveInfo, 1);

	info->ref_count = 1;
	info->kernel_name = g_strdup(kernel_name);
	info->device_node = g_strdup(device_node);
	info->syspath = g_strdup(syspath);
	info->profiles = g_array_new(FALSE, TRUE, sizeof(RbMmcProfile));
	info->features = g_array_new(FALSE, TRUE, sizeof(RbDriveFeature));
	info->mode_pages = g_array_new(FALSE, TRUE, sizeof(guint8));
	info->sector_types = g_array_new(FALSE, TRUE, sizeof(guint));
	info->write_speeds = g_array_new(FALSE, TRUE, sizeof(RbMmcSpeedDescriptor));
	return info;
}

RbDriveInfo *
rb_drive_info_ref(RbDriveInfo *info)
{
	g_return_val_if_fail(info != NULL, NULL);
	g_atomic_int_inc(&info->ref_count);
	return info;
}

void
rb_drive_info_unref(RbDriveInfo *info)
{
	if (info == NULL || !g_atomic_int_dec_and_test(&info->ref_count))
		return;
	g_free(info->kernel_name);
	g_free(info->device_node);
	g_free(info->syspath);
	g_free(info->vendor);
	g_free(info->product);
	g_free(info->revision);
	g_array_unref(info->profiles);
	g_array_unref(info->features);
	g_array_unref(info->mode_pages);
	g_array_unref(info->sector_types);
	g_array_unref(info->write_speeds);
	g_free(info);
}

gboolean
rb_drive_info_has_profile(const RbDriveInfo *info, guint16 profile, gboolean *current)
{
	g_return_val_if_fail(info != NULL, FALSE);
	for (guint i = 0; i < info->profiles->len; i++) {
		const RbMmcProfile *p = &g_array_index(info->profiles, RbMmcProfile, i);
		if (p->number == profile) {
			if (current != NULL)
				*current = p->current;
			return TRUE;
		}
	}
	return FALSE;
}

gboolean
rb_drive_info_has_feature(const RbDriveInfo *info, guint16 code, gboolean *current)
{
	g_return_val_if_fail(info != NULL, FALSE);
	for (guint i = 0; i < info->features->len; i++) {
		const RbDriveFeature *f = &g_array_index(info->features, RbDriveFeature, i);
		if (f->code == code) {
			if (current != NULL)
				*current = f->current;
			return TRUE;
		}
	}
	return FALSE;
}

gboolean
rb_drive_info_has_mode_page(const RbDriveInfo *info, guint8 page_code)
{
	g_return_val_if_fail(info != NULL, FALSE);
	for (guint i = 0; i < info->mode_pages->len; i++) {
		if (g_array_index(info->mode_pages, guint8, i) == page_code)
			return TRUE;
	}
	return FALSE;
}

gboolean
rb_drive_info_has_sector_type(const RbDriveInfo *info, guint imapi_sector_type)
{
	g_return_val_if_fail(info != NULL, FALSE);
	for (guint i = 0; i < info->sector_types->len; i++) {
		if (g_array_index(info->sector_types, guint, i) == imapi_sector_type)
			return TRUE;
	}
	return FALSE;
}

RbDriveMediaType
rb_drive_media_type_from_profile(guint16 profile)
{
	switch (profile) {
	case RB_MMC_PROFILE_CD_ROM:
		return RB_DRIVE_MEDIA_TYPE_CD_ROM;
	case RB_MMC_PROFILE_CD_R:
		return RB_DRIVE_MEDIA_TYPE_CD_R;
	case RB_MMC_PROFILE_CD_RW:
		return RB_DRIVE_MEDIA_TYPE_CD_RW;
	default:
		/* DVD, BD or nothing: not a medium this service writes */
		return RB_DRIVE_MEDIA_TYPE_NONE;
	}
}

/* ------------------------------------------------------------------------ */
/* the probe */

typedef struct {
	RbMmcTransport *transport;
	const gchar *device; /* for messages */
	RbMmcEnv env;
	/* the Test Write claims: of features 002Dh and 002Eh when the drive
	 * lists either, of page 2Ah otherwise */
	gboolean write_features_listed;
	gboolean features_test_write;
	gboolean page_2a_test_write;
} RbDriveProbe;

/* Runs one command. TRUE with *refused set when the drive answered with a
 * CHECK CONDITION (its sense in @sense when not NULL); FALSE only when the
 * command did not complete at the drive or the probe was cancelled. */
static gboolean
rb_drive_probe_run(RbDriveProbe *probe,
		   const RbMmcCdb *cdb,
		   RbMmcDirection direction,
		   guint8 *buffer,
		   gsize buffer_len,
		   gsize *transferred,
		   gboolean *refused,
		   RbMmcSense *sense,
		   GError **error)
{
	g_autoptr(GError) error_local = NULL;
	RbMmcExecInfo info;

	*refused = FALSE;
	if (rb_mmc_exec(probe->transport,
			cdb,
			direction,
			buffer,
			buffer_len,
			&probe->env,
			&info,
			&error_local)) {
		if (transferred != NULL)
			*transferred = info.transferred;
		return TRUE;
	}
	if (info.check_condition &&
	    !g_error_matches(error_local, RB_ERROR, RB_ERROR_REQUEST_CANCELLED)) {
		g_debug("%s: %s", probe->device, error_local->message);
		if (sense != NULL)
			*sense = info.sense;
		*refused = TRUE;
		return TRUE;
	}
	g_propagate_error(error, g_steal_pointer(&error_local));
	return FALSE;
}

static gboolean
rb_drive_probe_inquiry(RbDriveProbe *probe, RbDriveInfo *info, GError **error)
{
	guint8 reply[RB_MMC_INQUIRY_LEN] = {0};
	g_autoptr(GError) error_local = NULL;
	RbMmcInquiry inquiry;
	gboolean refused = FALSE;
	gsize len = 0;
	RbMmcCdb cdb;

	rb_mmc_cdb_inquiry(&cdb, sizeof(reply));
	if (!rb_drive_probe_run(
		    probe, &cdb, RB_MMC_DIR_IN, reply, sizeof(reply), &len, &refused, NULL, error))
		return FALSE;
	/* every SCSI device must answer INQUIRY; one that does not is not
	 * worth asking anything else */
	if (refused) {
		rb_error_set(error,
			     RB_ERROR_UNEXPECTED_RESPONSE_FROM_DEVICE,
			     _("%s refuses INQUIRY"),
			     probe->device);
		return FALSE;
	}
	if (!rb_mmc_inquiry_parse(reply, len, &inquiry, &error_local)) {
		g_propagate_prefixed_error(
			error, g_steal_pointer(&error_local), "%s: ", probe->device);
		return FALSE;
	}
	g_free(info->vendor);
	g_free(info->product);
	g_free(info->revision);
	info->vendor = g_strdup(inquiry.vendor);
	info->product = g_strdup(inquiry.product);
	info->revision = g_strdup(inquiry.revision);
	return TRUE;
}

/* the Test Write bit (byte 4 bit 2, mmc-notes §4) of feature 002Dh CD
 * Track-at-Once or 002Eh CD Mastering: a drive that lists either claims
 * test writing through them, current or not (the medium may be absent) */
static void
rb_drive_probe_feature_test_write(RbDriveProbe *probe, const RbMmcConfiguration *config)
{
	const RbMmcFeature *tao = rb_mmc_configuration_get_feature(config, RB_MMC_FEATURE_CD_TAO);
	const RbMmcFeature *mastering =
		rb_mmc_configuration_get_feature(config, RB_MMC_FEATURE_CD_MASTERING);
	RbMmcFeatureCdTao tao_data;
	RbMmcFeatureCdMastering mastering_data;

	if (tao != NULL && rb_mmc_feature_parse_cd_tao(tao, &tao_data, NULL)) {
		probe->write_features_listed = TRUE;
		probe->features_test_write |= tao_data.test_write;
	}
	if (mastering != NULL &&
	    rb_mmc_feature_parse_cd_mastering(mastering, &mastering_data, NULL)) {
		probe->write_features_listed = TRUE;
		probe->features_test_write |= mastering_data.test_write;
	}
}

static gboolean
rb_drive_probe_configuration(RbDriveProbe *probe, RbDriveInfo *info, GError **error)
{
	guint16 allocation_length = RB_DRIVE_PROBE_CONFIG_FIRST;

	for (guint round = 0;; round++) {
		g_autofree guint8 *reply = g_malloc0(allocation_length);
		g_autoptr(RbMmcConfiguration) config = NULL;
		g_autoptr(GError) error_local = NULL;
		gboolean refused = FALSE;
		gsize announced;
		gsize len = 0;
		RbMmcCdb cdb;

		rb_mmc_cdb_get_configuration(&cdb, RB_MMC_RT_ALL, 0, allocation_length);
		if (!rb_drive_probe_run(probe,
					&cdb,
					RB_MMC_DIR_IN,
					reply,
					allocation_length,
					&len,
					&refused,
					NULL,
					error))
			return FALSE;
		if (refused)
			return TRUE; /* an MMC-1 drive: no profiles, no features */

		/* the drive cut its reply to our buffer: ask once more for all */
		announced = rb_mmc_reply_announced_len(reply, len, 4);
		if (round == 0 && len == allocation_length && announced > allocation_length) {
			allocation_length =
				(guint16)MIN(announced, (gsize)RB_DRIVE_PROBE_ALLOCATION_MAX);
			continue;
		}

		config = rb_mmc_configuration_parse(reply, len, &error_local);
		if (config == NULL) {
			g_debug("%s: GET CONFIGURATION ignored: %s",
				probe->device,
				error_local->message);
			return TRUE;
		}
		info->current_profile = config->current_profile;
		g_array_append_vals(info->profiles, config->profiles->data, config->profiles->len);
		for (guint i = 0; i < config->features->len; i++) {
			const RbMmcFeature *f = &g_array_index(config->features, RbMmcFeature, i);
			RbDriveFeature feature = {.code = f->code, .current = f->current};
			g_array_append_val(info->features, feature);
		}
		rb_drive_probe_feature_test_write(probe, config);
		return TRUE;
	}
}

static gboolean
rb_drive_probe_mode_pages(RbDriveProbe *probe, RbDriveInfo *info, GError **error)
{
	static const guint8 page_codes[] = {RB_MMC_PAGE_WRITE_PARAMETERS, RB_MMC_PAGE_CAPABILITIES};

	for (guint i = 0; i < G_N_ELEMENTS(page_codes); i++) {
		guint8 reply[RB_DRIVE_PROBE_MODE_REPLY] = {0};
		g_autoptr(GError) error_local = NULL;
		gboolean refused = FALSE;
		RbMmcModePage page;
		gsize len = 0;
		RbMmcCdb cdb;

		rb_mmc_cdb_mode_sense_10(&cdb, RB_MMC_PC_CURRENT, page_codes[i], sizeof(reply));
		if (!rb_drive_probe_run(probe,
					&cdb,
					RB_MMC_DIR_IN,
					reply,
					sizeof(reply),
					&len,
					&refused,
					NULL,
					error))
			return FALSE;
		if (refused)
			continue;
		if (!rb_mmc_mode_sense_parse(reply, len, page_codes[i], &page, &error_local)) {
			g_debug("%s: page %02Xh ignored: %s",
				probe->device,
				page_codes[i],
				error_local->message);
			continue;
		}
		g_array_append_val(info->mode_pages, page_codes[i]);
		if (page_codes[i] == RB_MMC_PAGE_CAPABILITIES) {
			g_autoptr(RbMmcCapabilities) caps = rb_mmc_capabilities_parse(&page, NULL);
			probe->page_2a_test_write = caps != NULL && caps->test_write;
		}
	}
	return TRUE;
}

static gboolean
rb_drive_probe_medium_present(RbDriveProbe *probe, gboolean *present, GError **error)
{
	RbMmcSense sense = {0};
	gboolean refused = FALSE;
	RbMmcCdb cdb;

	rb_mmc_cdb_test_unit_ready(&cdb);
	if (!rb_drive_probe_run(
		    probe, &cdb, RB_MMC_DIR_NONE, NULL, 0, NULL, &refused, &sense, error))
		return FALSE;
	/* only "medium not present" means empty: a drive that is becoming
	 * ready or busy has a medium in it */
	*present = !(refused && sense.asc == RB_ASC_MEDIUM_NOT_PRESENT &&
		     (sense.key == RB_SENSE_NOT_READY || sense.key == RB_SENSE_UNIT_ATTENTION));
	return TRUE;
}

static void
rb_drive_probe_raw_caps(RbDriveProbe *probe, RbDriveInfo *info)
{
	g_autoptr(RbMmcRawCaps) caps = NULL;
	g_autoptr(GError) error_local = NULL;

	caps = rb_mmc_probe_raw(probe->transport, &error_local);
	if (caps == NULL) {
		/* if the drive is really gone, the next command says so */
		g_debug("%s: raw capabilities unknown: %s", probe->device, error_local->message);
		return;
	}
	info->buf = caps->buf;
	info->raw_supported = caps->sector_types->len > 0;
	g_array_append_vals(info->sector_types, caps->sector_types->data, caps->sector_types->len);
	g_array_append_vals(info->write_speeds, caps->write_speeds->data, caps->write_speeds->len);
}

static gboolean
rb_drive_probe_disc_information(RbDriveProbe *probe, RbDriveInfo *info, GError **error)
{
	guint8 reply[RB_MMC_DISC_INFO_LEN] = {0};
	g_autoptr(GError) error_local = NULL;
	RbMmcDiscInfo disc;
	gboolean refused = FALSE;
	gsize len = 0;
	RbMmcCdb cdb;

	rb_mmc_cdb_read_disc_information(&cdb, sizeof(reply));
	if (!rb_drive_probe_run(
		    probe, &cdb, RB_MMC_DIR_IN, reply, sizeof(reply), &len, &refused, NULL, error))
		return FALSE;
	if (refused)
		return TRUE;
	if (!rb_mmc_disc_info_parse(reply, len, &disc, &error_local)) {
		g_debug("%s: disc information ignored: %s", probe->device, error_local->message);
		return TRUE;
	}
	info->blank = disc.disc_status == RB_MMC_DISC_STATUS_BLANK;
	info->erasable = disc.erasable;
	info->leadin_start_valid = disc.leadin_start_valid;
	info->leadin_start = disc.leadin_start_valid ? disc.leadin_start_lba : 0;
	info->last_leadout_valid = disc.last_leadout_valid;
	info->last_leadout_start = disc.last_leadout_valid ? disc.last_leadout_lba : 0;
	return TRUE;
}

static gboolean
rb_drive_probe_check_cancelled(GCancellable *cancellable, GError **error)
{
	if (!g_cancellable_is_cancelled(cancellable))
		return TRUE;
	rb_error_set_default(error, RB_ERROR_REQUEST_CANCELLED);
	return FALSE;
}

RbDriveInfo *
rb_drive_probe(const RbDriveInfo *seed,
	       RbMmcTransport *transport,
	       GCancellable *cancellable,
	       GError **error)
{
	g_autoptr(RbMmcTransport) owned = NULL;
	g_autoptr(RbDriveInfo) info = NULL;
	RbDriveProbe probe = {0};

	g_return_val_if_fail(seed != NULL, NULL);
	g_return_val_if_fail(transport != NULL || seed->device_node != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (!rb_drive_probe_check_cancelled(cancellable, error))
		return NULL;
	if (transport == NULL) {
		owned = rb_mmc_sg_transport_new(seed->device_node, error);
		if (owned == NULL)
			return NULL;
		transport = owned;
	}

	info = rb_drive_info_new(seed->kernel_name, seed->device_node, seed->syspath);
	info->vendor = g_strdup(seed->vendor);
	info->product = g_strdup(seed->product);
	info->revision = g_strdup(seed->revision);
	probe.transport = transport;
	probe.device = seed->device_node != NULL ? seed->device_node : seed->kernel_name;
	probe.env.cancellable = cancellable;

	if (!rb_drive_probe_inquiry(&probe, info, error))
		return NULL;
	if (!rb_drive_probe_configuration(&probe, info, error))
		return NULL;
	if (!rb_drive_probe_mode_pages(&probe, info, error))
		return NULL;
	/* page 2Ah only speaks for drives without the write features: MMC-1
	 * drives, which have no GET CONFIGURATION */
	info->test_write =
		probe.write_features_listed ? probe.features_test_write : probe.page_2a_test_write;
	if (!rb_drive_probe_medium_present(&probe, &info->media_present, error))
		return NULL;
	if (info->media_present) {
		info->media_type = rb_drive_media_type_from_profile(info->current_profile);
		/* rb_mmc_probe_raw() takes no cancellable: check before it */
		if (!rb_drive_probe_check_cancelled(cancellable, error))
			return NULL;
		rb_drive_probe_raw_caps(&probe, info);
		if (!rb_drive_probe_disc_information(&probe, info, error))
			return NULL;
	}
	info->probed = TRUE;
	return g_steal_pointer(&info);
}
