/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fuzz target: the data-in replies a drive sends for the commands of a raw
 * burn. Input: one byte choosing the decoder, then the reply as transferred.
 * A decoder either refuses the reply with InvalidResponseFromDevice or
 * returns values that stay inside the reply it was given.
 */
#include "config.h"

#include <string.h>

#include "rb-error.h"
#include "rb-fuzz.h"
#include "rb-mmc-replies.h"
#include "rb-mmc-types.h"

typedef enum {
	RB_FUZZ_INQUIRY,
	RB_FUZZ_CONFIGURATION,
	RB_FUZZ_DISC_INFO,
	RB_FUZZ_TRACK_INFO,
	RB_FUZZ_TOC,
	RB_FUZZ_SESSION_INFO,
	RB_FUZZ_FULL_TOC,
	RB_FUZZ_ATIP,
	RB_FUZZ_WRITE_SPEEDS,
	RB_FUZZ_BUFFER_CAPACITY,
	RB_FUZZ_N_DECODERS,
} RbFuzzDecoder;

/* a refusal is always the one error code the decoders document */
static void
rb_fuzz_check_refusal(const GError *error)
{
	rb_fuzz_check(g_error_matches(error, RB_ERROR, RB_ERROR_INVALID_RESPONSE_FROM_DEVICE));
	rb_fuzz_check(g_utf8_validate(error->message, -1, NULL));
}

/* INQUIRY's strings become D-Bus properties: printable ASCII, trimmed */
static void
rb_fuzz_check_ascii(const gchar *text, gsize size)
{
	gsize len = strnlen(text, size);

	rb_fuzz_check(len < size);
	for (gsize i = 0; i < len; i++)
		rb_fuzz_check(text[i] >= 0x20 && text[i] < 0x7F);
	rb_fuzz_check(len == 0 || (text[0] != ' ' && text[len - 1] != ' '));
}

static void
rb_fuzz_inquiry(const guint8 *data, gsize len)
{
	g_autoptr(GError) error = NULL;
	RbMmcInquiry inquiry;

	if (!rb_mmc_inquiry_parse(data, len, &inquiry, &error)) {
		rb_fuzz_check_refusal(error);
		return;
	}
	rb_fuzz_check(len >= RB_MMC_INQUIRY_LEN);
	rb_fuzz_check_ascii(inquiry.vendor, sizeof(inquiry.vendor));
	rb_fuzz_check_ascii(inquiry.product, sizeof(inquiry.product));
	rb_fuzz_check_ascii(inquiry.revision, sizeof(inquiry.revision));
}

static void
rb_fuzz_configuration(const guint8 *data, gsize len)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RbMmcConfiguration) config = rb_mmc_configuration_parse(data, len, &error);
	gsize total = RB_MMC_CONFIGURATION_HEADER_LEN;

	if (config == NULL) {
		rb_fuzz_check_refusal(error);
		return;
	}
	for (guint i = 0; i < config->features->len; i++) {
		const RbMmcFeature *feature = &g_array_index(config->features, RbMmcFeature, i);
		gsize desc_len = 0;
		const guint8 *desc = g_bytes_get_data(feature->descriptor, &desc_len);
		g_autoptr(GError) feature_error = NULL;

		/* each descriptor is whole and where the reply has it */
		rb_fuzz_check(desc_len >= 4 && desc_len == 4 + (gsize)desc[3]);
		rb_fuzz_check(memcmp(desc, data + total, desc_len) == 0);
		rb_fuzz_check(feature->code == rb_mmc_get_be16(desc));
		total += desc_len;
		rb_fuzz_check(rb_mmc_configuration_get_feature(config, feature->code) != NULL);
		if (feature->code == RB_MMC_FEATURE_CD_TAO) {
			RbMmcFeatureCdTao tao;
			if (!rb_mmc_feature_parse_cd_tao(feature, &tao, &feature_error))
				rb_fuzz_check_refusal(feature_error);
			else
				rb_fuzz_check(desc_len >= 8);
		} else if (feature->code == RB_MMC_FEATURE_CD_MASTERING) {
			RbMmcFeatureCdMastering mastering;
			if (!rb_mmc_feature_parse_cd_mastering(feature, &mastering, &feature_error))
				rb_fuzz_check_refusal(feature_error);
			else
				rb_fuzz_check(mastering.max_cue_sheet_length <= 0xFFFFFF);
		}
	}
	rb_fuzz_check(total <= len);
	for (guint i = 0; i < config->profiles->len; i++) {
		guint16 number = g_array_index(config->profiles, RbMmcProfile, i).number;
		rb_fuzz_check(rb_mmc_configuration_has_profile(config, number));
	}
	/* profiles come from feature 0000h only */
	if (config->profiles->len > 0)
		rb_fuzz_check(rb_mmc_configuration_get_feature(
				      config, RB_MMC_FEATURE_PROFILE_LIST) != NULL);
}

static void
rb_fuzz_disc_info(const guint8 *data, gsize len)
{
	g_autoptr(GError) error = NULL;
	RbMmcDiscInfo info;

	if (!rb_mmc_disc_info_parse(data, len, &info, &error)) {
		rb_fuzz_check_refusal(error);
		return;
	}
	rb_fuzz_check(info.disc_status <= RB_MMC_DISC_STATUS_OTHER);
	/* a valid MSF is at most 99:59:74 */
	if (info.leadin_start_valid)
		rb_fuzz_check(info.leadin_start_lba < 100 * 60 * 75);
	if (info.last_leadout_valid)
		rb_fuzz_check(info.last_leadout_lba < 100 * 60 * 75);
}

static void
rb_fuzz_track_info(const guint8 *data, gsize len)
{
	g_autoptr(GError) error = NULL;
	RbMmcTrackInfo info;

	if (!rb_mmc_track_info_parse(data, len, &info, &error))
		rb_fuzz_check_refusal(error);
}

static void
rb_fuzz_toc(const guint8 *data, gsize len)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RbMmcToc) toc = rb_mmc_toc_parse(data, len, &error);

	if (toc == NULL) {
		rb_fuzz_check_refusal(error);
		return;
	}
	rb_fuzz_check(4 + 8 * (gsize)toc->tracks->len <= len);
}

static void
rb_fuzz_session_info(const guint8 *data, gsize len)
{
	g_autoptr(GError) error = NULL;
	RbMmcSessionInfo info;

	if (!rb_mmc_session_info_parse(data, len, &info, &error))
		rb_fuzz_check_refusal(error);
}

static void
rb_fuzz_full_toc(const guint8 *data, gsize len)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RbMmcFullToc) toc = rb_mmc_full_toc_parse(data, len, &error);

	if (toc == NULL) {
		rb_fuzz_check_refusal(error);
		return;
	}
	rb_fuzz_check(4 + 11 * (gsize)toc->entries->len <= len);
	for (guint i = 0; i < toc->entries->len; i++) {
		const RbMmcFullTocEntry *entry = &g_array_index(toc->entries, RbMmcFullTocEntry, i);
		rb_fuzz_check(entry->adr <= 0x0F && entry->control <= 0x0F);
		rb_fuzz_check(entry->point == data[4 + 11 * i + 3]);
	}
}

static void
rb_fuzz_atip(const guint8 *data, gsize len)
{
	g_autoptr(GError) error = NULL;
	RbMmcAtip atip;

	if (!rb_mmc_atip_parse(data, len, &atip, &error)) {
		rb_fuzz_check_refusal(error);
		return;
	}
	/* the LBAs a burn starts and ends at are the MSFs' */
	rb_fuzz_check(rb_msf_is_valid(atip.leadin_start));
	rb_fuzz_check(rb_msf_is_valid(atip.last_leadout));
	rb_fuzz_check(atip.leadin_start_lba == rb_msf_to_lba(atip.leadin_start));
	rb_fuzz_check(atip.last_leadout_lba == rb_msf_to_lba(atip.last_leadout));
}

static void
rb_fuzz_write_speeds(const guint8 *data, gsize len)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GArray) speeds = rb_mmc_write_speeds_parse(data, len, &error);

	if (speeds == NULL) {
		rb_fuzz_check_refusal(error);
		return;
	}
	rb_fuzz_check(RB_MMC_PERFORMANCE_HEADER_LEN +
			      RB_MMC_WRITE_SPEED_DESCRIPTOR_LEN * (gsize)speeds->len <=
		      len);
}

static void
rb_fuzz_buffer_capacity(const guint8 *data, gsize len)
{
	g_autoptr(GError) error = NULL;
	RbMmcBufferCapacity capacity;

	if (!rb_mmc_buffer_capacity_parse(data, len, &capacity, &error))
		rb_fuzz_check_refusal(error);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const guint8 *reply;
	gsize len;

	if (size < 1)
		return 0;
	reply = data + 1;
	len = size - 1;
	/* the announced length is a pure function: no length field, no length */
	if (len < 2)
		rb_fuzz_check(rb_mmc_reply_announced_len(reply, len, 2) == 0);
	switch ((RbFuzzDecoder)(data[0] % RB_FUZZ_N_DECODERS)) {
	case RB_FUZZ_INQUIRY:
		rb_fuzz_inquiry(reply, len);
		break;
	case RB_FUZZ_CONFIGURATION:
		rb_fuzz_configuration(reply, len);
		break;
	case RB_FUZZ_DISC_INFO:
		rb_fuzz_disc_info(reply, len);
		break;
	case RB_FUZZ_TRACK_INFO:
		rb_fuzz_track_info(reply, len);
		break;
	case RB_FUZZ_TOC:
		rb_fuzz_toc(reply, len);
		break;
	case RB_FUZZ_SESSION_INFO:
		rb_fuzz_session_info(reply, len);
		break;
	case RB_FUZZ_FULL_TOC:
		rb_fuzz_full_toc(reply, len);
		break;
	case RB_FUZZ_ATIP:
		rb_fuzz_atip(reply, len);
		break;
	case RB_FUZZ_WRITE_SPEEDS:
		rb_fuzz_write_speeds(reply, len);
		break;
	case RB_FUZZ_BUFFER_CAPACITY:
		rb_fuzz_buffer_capacity(reply, len);
		break;
	case RB_FUZZ_N_DECODERS:
		g_assert_not_reached();
	}
	return 0;
}
