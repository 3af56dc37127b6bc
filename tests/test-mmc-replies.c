/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The reply decoders and mode pages against replies written out by hand
 * from the field tables in mmc-notes.md, including truncated ones.
 */
#include "config.h"

#include <string.h>

#include "rb-mmc-mode-pages.h"
#include "rb-mmc-replies.h"
#include "rb-test-fake-transport.h"
#include "rb-test-service.h"

/* ---- INQUIRY ---- */

/* clang-format off */
static const guint8 rb_inquiry_reply[36] = {
	0x05, 0x80, 0x05, 0x32, 0x1F, 0x00, 0x00, 0x00,
	'P', 'L', 'E', 'X', 'T', 'O', 'R', ' ',                                 /* vendor */
	'D', 'V', 'D', 'R', ' ', ' ', ' ', 'P',                                 /* product */
	'X', '-', '7', '1', '6', 'A', ' ', ' ',
	'1', '.', '1', '1',                                                     /* revision */
};
/* clang-format on */

START_TEST(test_inquiry)
{
	g_autoptr(GError) error = NULL;
	RbMmcInquiry inquiry;

	ck_assert(
		rb_mmc_inquiry_parse(rb_inquiry_reply, sizeof(rb_inquiry_reply), &inquiry, &error));
	ck_assert_uint_eq(inquiry.peripheral_device_type, RB_MMC_PERIPHERAL_TYPE_CD_DVD);
	ck_assert_uint_eq(inquiry.peripheral_qualifier, 0);
	ck_assert(inquiry.removable);
	ck_assert_uint_eq(inquiry.version, 0x05);
	ck_assert_str_eq(inquiry.vendor, "PLEXTOR");
	ck_assert_str_eq(inquiry.product, "DVDR   PX-716A");
	ck_assert_str_eq(inquiry.revision, "1.11");
}
END_TEST

START_TEST(test_inquiry_odd_strings)
{
	RbMmcInquiry inquiry;
	guint8 reply[36];

	memcpy(reply, rb_inquiry_reply, sizeof(reply));
	reply[0] = 0x7F; /* qualifier 3, type 1Fh: no device */
	reply[1] = 0x00;
	/* NUL padding and a byte that is not ASCII */
	memcpy(reply + 8, "  AB\0\0\0\0", 8);
	reply[17] = 0xE9;
	memset(reply + 32, 0, 4);
	ck_assert(rb_mmc_inquiry_parse(reply, sizeof(reply), &inquiry, NULL));
	ck_assert_uint_eq(inquiry.peripheral_qualifier, 3);
	ck_assert_uint_eq(inquiry.peripheral_device_type, 0x1F);
	ck_assert(!inquiry.removable);
	ck_assert_str_eq(inquiry.vendor, "AB");
	ck_assert_str_eq(inquiry.product, "D?DR   PX-716A");
	ck_assert_str_eq(inquiry.revision, "");
}
END_TEST

START_TEST(test_inquiry_truncated)
{
	g_autoptr(GError) error = NULL;
	RbMmcInquiry inquiry;

	ck_assert(!rb_mmc_inquiry_parse(rb_inquiry_reply, 35, &inquiry, &error));
	rb_assert_error(error, RB_ERROR, RB_ERROR_INVALID_RESPONSE_FROM_DEVICE);
	ck_assert(g_str_has_prefix(error->message, "0xC0AA02FF: "));
	ck_assert_ptr_nonnull(strstr(error->message, "INQUIRY: reply of 35 bytes is truncated"));
}
END_TEST

/* ---- GET CONFIGURATION ---- */

/* clang-format off */
static const guint8 rb_config_reply[36] = {
	0x00, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00, 0x09, /* 32 bytes follow; current CD-R */
	/* 0000h profile list: persistent, current, 8 bytes: CD-RW, CD-R (current) */
	0x00, 0x00, 0x03, 0x08, 0x00, 0x0A, 0x00, 0x00, 0x00, 0x09, 0x01, 0x00,
	/* 002Dh, version 2, current: BUF, R-W raw, R-W pack, TW, CD-RW, R-W; types 1234h */
	0x00, 0x2D, 0x09, 0x04, 0x5F, 0x00, 0x12, 0x34,
	/* 002Eh, current: BUF, Raw, TW, R-W; cue sheet 4000 bytes */
	0x00, 0x2E, 0x01, 0x04, 0x4D, 0x00, 0x0F, 0xA0,
};
/* clang-format on */

START_TEST(test_configuration)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RbMmcConfiguration) config = NULL;
	const RbMmcProfile *profile;
	const RbMmcFeature *feature;
	RbMmcFeatureCdTao tao;
	RbMmcFeatureCdMastering mastering;

	config = rb_mmc_configuration_parse(rb_config_reply, sizeof(rb_config_reply), &error);
	ck_assert_ptr_nonnull(config);
	ck_assert_uint_eq(config->current_profile, RB_MMC_PROFILE_CD_R);

	ck_assert_uint_eq(config->profiles->len, 2);
	profile = &g_array_index(config->profiles, RbMmcProfile, 0);
	ck_assert_uint_eq(profile->number, RB_MMC_PROFILE_CD_RW);
	ck_assert(!profile->current);
	profile = &g_array_index(config->profiles, RbMmcProfile, 1);
	ck_assert_uint_eq(profile->number, RB_MMC_PROFILE_CD_R);
	ck_assert(profile->current);
	ck_assert(rb_mmc_configuration_has_profile(config, RB_MMC_PROFILE_CD_RW));
	ck_assert(!rb_mmc_configuration_has_profile(config, RB_MMC_PROFILE_CD_ROM));

	ck_assert_uint_eq(config->features->len, 3);
	feature = &g_array_index(config->features, RbMmcFeature, 0);
	ck_assert_uint_eq(feature->code, RB_MMC_FEATURE_PROFILE_LIST);
	ck_assert(feature->persistent);
	ck_assert(feature->current);
	ck_assert_ptr_null(rb_mmc_configuration_get_feature(config, RB_MMC_FEATURE_CORE));

	feature = rb_mmc_configuration_get_feature(config, RB_MMC_FEATURE_CD_TAO);
	ck_assert_ptr_nonnull(feature);
	ck_assert_uint_eq(feature->version, 2);
	ck_assert(!feature->persistent);
	ck_assert(feature->current);
	ck_assert_uint_eq(g_bytes_get_size(feature->descriptor), 8);
	ck_assert(rb_mmc_feature_parse_cd_tao(feature, &tao, &error));
	ck_assert(tao.buf && tao.rw_raw && tao.rw_pack && tao.test_write && tao.cd_rw &&
		  tao.rw_subcode);
	ck_assert_uint_eq(tao.data_types_supported, 0x1234);

	feature = rb_mmc_configuration_get_feature(config, RB_MMC_FEATURE_CD_MASTERING);
	ck_assert_ptr_nonnull(feature);
	ck_assert(rb_mmc_feature_parse_cd_mastering(feature, &mastering, &error));
	ck_assert(mastering.buf);
	ck_assert(!mastering.sao);
	ck_assert(!mastering.raw_ms);
	ck_assert(mastering.raw);
	ck_assert(mastering.test_write);
	ck_assert(!mastering.cd_rw);
	ck_assert(mastering.rw);
	ck_assert_uint_eq(mastering.max_cue_sheet_length, 4000);
}
END_TEST

START_TEST(test_configuration_feature_bits)
{
	g_autoptr(RbMmcConfiguration) config = NULL;
	RbMmcFeatureCdMastering mastering;
	RbMmcFeatureCdTao tao;
	/* the complementary bits: 002Eh SAO, Raw MS, CD-RW; 002Dh R-W pack only */
	/* clang-format off */
	const guint8 reply[] = {
		0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x0A,
		0x00, 0x2D, 0x00, 0x04, 0x08, 0x00, 0x00, 0x00,
		0x00, 0x2E, 0x00, 0x04, 0x32, 0x01, 0x02, 0x03,
	};
	/* clang-format on */

	config = rb_mmc_configuration_parse(reply, sizeof(reply), NULL);
	ck_assert_ptr_nonnull(config);
	ck_assert_uint_eq(config->current_profile, RB_MMC_PROFILE_CD_RW);
	ck_assert_uint_eq(config->profiles->len, 0);
	ck_assert(rb_mmc_feature_parse_cd_tao(
		rb_mmc_configuration_get_feature(config, RB_MMC_FEATURE_CD_TAO), &tao, NULL));
	ck_assert(!tao.buf && !tao.rw_raw && tao.rw_pack && !tao.test_write && !tao.cd_rw &&
		  !tao.rw_subcode);
	ck_assert(!rb_mmc_configuration_get_feature(config, RB_MMC_FEATURE_CD_MASTERING)->current);
	ck_assert(rb_mmc_feature_parse_cd_mastering(
		rb_mmc_configuration_get_feature(config, RB_MMC_FEATURE_CD_MASTERING),
		&mastering,
		NULL));
	ck_assert(!mastering.buf && mastering.sao && mastering.raw_ms && !mastering.raw &&
		  !mastering.test_write && mastering.cd_rw && !mastering.rw);
	ck_assert_uint_eq(mastering.max_cue_sheet_length, 0x010203);
}
END_TEST

START_TEST(test_configuration_truncated)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) error_cut = NULL;
	g_autoptr(GError) error_short = NULL;
	g_autoptr(GError) error_list = NULL;
	g_autoptr(RbMmcConfiguration) config = NULL;
	RbMmcFeatureCdMastering mastering;
	/* 002Eh with no additional data: byte 4 is missing */
	/* clang-format off */
	const guint8 short_feature[] = {
		0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x09,
		0x00, 0x2E, 0x01, 0x00,
	};
	/* clang-format on */
	/* a profile list of 6 bytes */
	/* clang-format off */
	const guint8 bad_list[] = {
		0x00, 0x00, 0x00, 0x0E, 0x00, 0x00, 0x00, 0x09,
		0x00, 0x00, 0x03, 0x06, 0x00, 0x09, 0x01, 0x00, 0x00, 0x0A,
	};
	/* clang-format on */

	ck_assert_ptr_null(rb_mmc_configuration_parse(rb_config_reply, 7, &error));
	rb_assert_error(error, RB_ERROR, RB_ERROR_INVALID_RESPONSE_FROM_DEVICE);
	/* the last feature cut in half */
	ck_assert_ptr_null(rb_mmc_configuration_parse(rb_config_reply, 30, &error_cut));
	rb_assert_error(error_cut, RB_ERROR, RB_ERROR_INVALID_RESPONSE_FROM_DEVICE);
	ck_assert_ptr_nonnull(strstr(error_cut->message, "truncated"));
	/* cut at a descriptor boundary: what was sent is complete */
	config = rb_mmc_configuration_parse(rb_config_reply, 28, NULL);
	ck_assert_ptr_nonnull(config);
	ck_assert_uint_eq(config->features->len, 2);
	g_clear_pointer(&config, rb_mmc_configuration_free);

	config = rb_mmc_configuration_parse(short_feature, sizeof(short_feature), NULL);
	ck_assert_ptr_nonnull(config);
	ck_assert(!rb_mmc_feature_parse_cd_mastering(
		rb_mmc_configuration_get_feature(config, RB_MMC_FEATURE_CD_MASTERING),
		&mastering,
		&error_short));
	rb_assert_error(error_short, RB_ERROR, RB_ERROR_INVALID_RESPONSE_FROM_DEVICE);

	ck_assert_ptr_null(rb_mmc_configuration_parse(bad_list, sizeof(bad_list), &error_list));
	rb_assert_error(error_list, RB_ERROR, RB_ERROR_INVALID_RESPONSE_FROM_DEVICE);
}
END_TEST

/* ---- READ DISC INFORMATION ---- */

/* blank, erasable, URU; lead-in 97:34:23, last lead-out 79:59:74 */
/* clang-format off */
static const guint8 rb_disc_info_blank[34] = {
	0x00, 0x20, 0x10, 0x01, 0x01, 0x01, 0x01, 0x20, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00,
	0x00, 0x61, 0x22, 0x17, /* lead-in start 97:34:23 */
	0x00, 0x4F, 0x3B, 0x4A, /* last possible lead-out 79:59:74 */
};
/* clang-format on */

START_TEST(test_disc_info_blank)
{
	g_autoptr(GError) error = NULL;
	RbMmcDiscInfo info;

	ck_assert(rb_mmc_disc_info_parse(
		rb_disc_info_blank, sizeof(rb_disc_info_blank), &info, &error));
	ck_assert(info.erasable);
	ck_assert_uint_eq(info.disc_status, RB_MMC_DISC_STATUS_BLANK);
	ck_assert_uint_eq(info.last_session_state, RB_MMC_SESSION_STATE_EMPTY);
	ck_assert_uint_eq(info.first_track, 1);
	ck_assert_uint_eq(info.n_sessions, 1);
	ck_assert_uint_eq(info.first_track_last_session, 1);
	ck_assert_uint_eq(info.last_track_last_session, 1);
	ck_assert(info.uru);
	ck_assert(!info.did_v && !info.dbc_v && !info.dac_v);
	ck_assert(info.leadin_start_valid);
	ck_assert_int_eq(info.leadin_start_lba, -11077);
	ck_assert(info.last_leadout_valid);
	ck_assert_int_eq(info.last_leadout_lba, 359849);
}
END_TEST

START_TEST(test_disc_info_complete)
{
	RbMmcDiscInfo info;
	guint8 reply[34];

	memcpy(reply, rb_disc_info_blank, sizeof(reply));
	reply[2] = 0x0E; /* not erasable, last session complete, disc complete */
	reply[7] = 0x80; /* DID_V */
	reply[8] = 0x20; /* CD-ROM XA */
	reply[9] = 0x01; /* 257 sessions: the MSB bytes count */
	reply[10] = 0x02;
	reply[11] = 0x03;
	reply[12] = 0xDE;
	reply[13] = 0xAD;
	reply[14] = 0xBE;
	reply[15] = 0xEF;
	memset(reply + 17, 0xFF, 3);
	memset(reply + 21, 0xFF, 3);
	ck_assert(rb_mmc_disc_info_parse(reply, sizeof(reply), &info, NULL));
	ck_assert(!info.erasable);
	ck_assert_uint_eq(info.last_session_state, RB_MMC_SESSION_STATE_COMPLETE);
	ck_assert_uint_eq(info.disc_status, RB_MMC_DISC_STATUS_COMPLETE);
	ck_assert(info.did_v);
	ck_assert_uint_eq(info.disc_type, 0x20);
	ck_assert_uint_eq(info.n_sessions, 0x0101);
	ck_assert_uint_eq(info.first_track_last_session, 0x0201);
	ck_assert_uint_eq(info.last_track_last_session, 0x0301);
	ck_assert_uint_eq(info.disc_id, 0xDEADBEEF);
	/* FF:FF:FF = none */
	ck_assert(!info.leadin_start_valid);
	ck_assert(!info.last_leadout_valid);
}
END_TEST

START_TEST(test_disc_info_truncated)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) error2 = NULL;
	RbMmcDiscInfo info;
	guint8 reply[34];

	ck_assert(!rb_mmc_disc_info_parse(rb_disc_info_blank, 23, &info, &error));
	rb_assert_error(error, RB_ERROR, RB_ERROR_INVALID_RESPONSE_FROM_DEVICE);
	/* the drive's length field says the rest is not valid */
	memcpy(reply, rb_disc_info_blank, sizeof(reply));
	reply[1] = 0x14;
	ck_assert(!rb_mmc_disc_info_parse(reply, sizeof(reply), &info, &error2));
	rb_assert_error(error2, RB_ERROR, RB_ERROR_INVALID_RESPONSE_FROM_DEVICE);
}
END_TEST

/* ---- READ TRACK INFORMATION ---- */

START_TEST(test_track_info)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) error_short = NULL;
	RbMmcTrackInfo info;
	/* track 1 of session 1, blank, NWA_V; start = NWA = -11077 */
	/* clang-format off */
	const guint8 reply[36] = {
		0x00, 0x22, 0x01, 0x01, 0x00, 0x34, 0x41, 0x01,
		0xFF, 0xFF, 0xD4, 0xBB, /* track start */
		0xFF, 0xFF, 0xD4, 0xBB, /* NWA */
		0x00, 0x05, 0x7E, 0x41, /* free blocks */
		0x00, 0x00, 0x00, 0x10, /* fixed packet size */
		0x00, 0x05, 0x7E, 0x42, /* track size */
		0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00,
	};
	/* clang-format on */

	ck_assert(rb_mmc_track_info_parse(reply, sizeof(reply), &info, &error));
	ck_assert_uint_eq(info.track_number, 0x0101);
	ck_assert_uint_eq(info.session_number, 0x0201);
	ck_assert(info.damage);
	ck_assert(info.copy);
	ck_assert_uint_eq(info.track_mode, 4);
	ck_assert(!info.rt);
	ck_assert(info.blank);
	ck_assert(!info.packet);
	ck_assert(!info.fp);
	ck_assert_uint_eq(info.data_mode, 1);
	ck_assert(!info.lra_v);
	ck_assert(info.nwa_v);
	ck_assert_int_eq(info.track_start, -11077);
	ck_assert_int_eq(info.next_writable_address, -11077);
	ck_assert_uint_eq(info.free_blocks, 360001);
	ck_assert_uint_eq(info.fixed_packet_size, 16);
	ck_assert_uint_eq(info.track_size, 360002);

	/* an MMC-1 sized reply: no MSB bytes */
	ck_assert(rb_mmc_track_info_parse(reply, 28, &info, NULL));
	ck_assert_uint_eq(info.track_number, 1);
	ck_assert(!rb_mmc_track_info_parse(reply, 27, &info, &error_short));
	rb_assert_error(error_short, RB_ERROR, RB_ERROR_INVALID_RESPONSE_FROM_DEVICE);
}
END_TEST

/* ---- READ TOC/PMA/ATIP ---- */

/* clang-format off */
static const guint8 rb_toc_reply[28] = {
	0x00, 0x1A, 0x01, 0x02,
	0x00, 0x10, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, /* track 1: ADR 1, audio, LBA 0 */
	0x00, 0x14, 0x02, 0x00, 0x00, 0x00, 0x2E, 0xE0, /* track 2: ADR 1, data, LBA 12000 */
	0x00, 0x16, 0xAA, 0x00, 0x00, 0x00, 0x46, 0x50, /* lead-out at 18000 */
};
/* clang-format on */

START_TEST(test_toc)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RbMmcToc) toc = rb_mmc_toc_parse(rb_toc_reply, sizeof(rb_toc_reply), &error);
	const RbMmcTocTrack *t;

	ck_assert_ptr_nonnull(toc);
	ck_assert_uint_eq(toc->first_track, 1);
	ck_assert_uint_eq(toc->last_track, 2);
	ck_assert_uint_eq(toc->tracks->len, 3);
	t = &g_array_index(toc->tracks, RbMmcTocTrack, 0);
	ck_assert_uint_eq(t->adr, 1);
	ck_assert_uint_eq(t->control, 0);
	ck_assert_uint_eq(t->track, 1);
	ck_assert_int_eq(t->lba, 0);
	t = &g_array_index(toc->tracks, RbMmcTocTrack, 1);
	ck_assert_uint_eq(t->control, 4);
	ck_assert_int_eq(t->lba, 12000);
	t = &g_array_index(toc->tracks, RbMmcTocTrack, 2);
	ck_assert_uint_eq(t->adr, 1);
	ck_assert_uint_eq(t->control, 6);
	ck_assert_uint_eq(t->track, RB_MMC_TOC_LEADOUT_TRACK);
	ck_assert_int_eq(t->lba, 18000);
}
END_TEST

START_TEST(test_toc_truncated)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) error2 = NULL;
	g_autoptr(RbMmcToc) toc = NULL;

	ck_assert_ptr_null(rb_mmc_toc_parse(rb_toc_reply, 3, &error));
	rb_assert_error(error, RB_ERROR, RB_ERROR_INVALID_RESPONSE_FROM_DEVICE);
	ck_assert_ptr_null(rb_mmc_toc_parse(rb_toc_reply, 24, &error2));
	rb_assert_error(error2, RB_ERROR, RB_ERROR_INVALID_RESPONSE_FROM_DEVICE);
	ck_assert_ptr_nonnull(strstr(error2->message, "not a multiple of 8"));
	/* an empty TOC is a TOC */
	toc = rb_mmc_toc_parse((const guint8[]){0x00, 0x02, 0x00, 0x00}, 4, NULL);
	ck_assert_ptr_nonnull(toc);
	ck_assert_uint_eq(toc->tracks->len, 0);
}
END_TEST

START_TEST(test_session_info)
{
	g_autoptr(GError) error = NULL;
	RbMmcSessionInfo info;
	/* clang-format off */
	const guint8 reply[12] = {
		0x00, 0x0A, 0x01, 0x02,
		0x00, 0x14, 0x03, 0x00, 0x00, 0x00, 0x2E, 0xE0,
	};
	/* clang-format on */

	ck_assert(rb_mmc_session_info_parse(reply, sizeof(reply), &info, NULL));
	ck_assert_uint_eq(info.first_session, 1);
	ck_assert_uint_eq(info.last_session, 2);
	ck_assert_uint_eq(info.adr, 1);
	ck_assert_uint_eq(info.control, 4);
	ck_assert_uint_eq(info.first_track_last_session, 3);
	ck_assert_int_eq(info.first_track_last_session_lba, 12000);
	ck_assert(!rb_mmc_session_info_parse(reply, 11, &info, &error));
	rb_assert_error(error, RB_ERROR, RB_ERROR_INVALID_RESPONSE_FROM_DEVICE);
}
END_TEST

/* clang-format off */
static const guint8 rb_full_toc_reply[48] = {
	0x00, 0x2E, 0x01, 0x01,
	/* session, ADR/CTL, TNO, POINT, MIN, SEC, FRAME, ZERO, PMIN, PSEC, PFRAME */
	0x01, 0x10, 0x00, 0xA0, 0x00, 0x00, 0x00, 0x00, 0x01, 0x20, 0x00,
	0x01, 0x10, 0x00, 0xA1, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
	0x01, 0x10, 0x00, 0xA2, 0x00, 0x00, 0x00, 0x00, 0x00, 0x20, 0x00,
	0x01, 0x14, 0x00, 0x01, 0x61, 0x22, 0x17, 0x00, 0x00, 0x02, 0x00,
};
/* clang-format on */

START_TEST(test_full_toc)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RbMmcFullToc) toc =
		rb_mmc_full_toc_parse(rb_full_toc_reply, sizeof(rb_full_toc_reply), &error);
	const RbMmcFullTocEntry *e;

	ck_assert_ptr_nonnull(toc);
	ck_assert_uint_eq(toc->first_session, 1);
	ck_assert_uint_eq(toc->last_session, 1);
	ck_assert_uint_eq(toc->entries->len, 4);
	e = &g_array_index(toc->entries, RbMmcFullTocEntry, 0);
	ck_assert_uint_eq(e->session, 1);
	ck_assert_uint_eq(e->adr, 1);
	ck_assert_uint_eq(e->control, 0);
	ck_assert_uint_eq(e->point, 0xA0);
	ck_assert_uint_eq(e->pmin, 1);
	ck_assert_uint_eq(e->psec, 0x20);
	e = &g_array_index(toc->entries, RbMmcFullTocEntry, 2);
	ck_assert_uint_eq(e->point, 0xA2);
	ck_assert_uint_eq(e->psec, 0x20);
	e = &g_array_index(toc->entries, RbMmcFullTocEntry, 3);
	ck_assert_uint_eq(e->adr, 1);
	ck_assert_uint_eq(e->control, 4);
	ck_assert_uint_eq(e->tno, 0);
	ck_assert_uint_eq(e->point, 0x01);
	ck_assert_uint_eq(e->min, 0x61);
	ck_assert_uint_eq(e->sec, 0x22);
	ck_assert_uint_eq(e->frame, 0x17);
	ck_assert_uint_eq(e->zero, 0);
	ck_assert_uint_eq(e->pmin, 0);
	ck_assert_uint_eq(e->psec, 2);
	ck_assert_uint_eq(e->pframe, 0);
}
END_TEST

START_TEST(test_full_toc_truncated)
{
	g_autoptr(GError) error = NULL;

	ck_assert_ptr_null(rb_mmc_full_toc_parse(rb_full_toc_reply, 4 + 11 * 4 - 5, &error));
	rb_assert_error(error, RB_ERROR, RB_ERROR_INVALID_RESPONSE_FROM_DEVICE);
	ck_assert_ptr_nonnull(strstr(error->message, "not a multiple of 11"));
}
END_TEST

/* CD-R: writing power 5, reference speed 2, URU, A1 valid; lead-in 97:34:23 */
/* clang-format off */
static const guint8 rb_atip_reply[28] = {
	0x00, 0x1A, 0x00, 0x00,
	0x52, 0x40, 0x84, 0x00, /* power, speed; URU; CD-R, A1 valid */
	0x61, 0x22, 0x17, 0x00, /* lead-in start 97:34:23 */
	0x4F, 0x3B, 0x4A, 0x00, /* last possible lead-out 79:59:74 */
	0x12, 0x34, 0x56, 0x00, /* A1 */
	0x01, 0x02, 0x03, 0x00, /* A2 */
	0x04, 0x05, 0x06, 0x00, /* A3 */
};
/* clang-format on */

START_TEST(test_atip)
{
	g_autoptr(GError) error = NULL;
	RbMmcAtip atip;

	ck_assert(rb_mmc_atip_parse(rb_atip_reply, sizeof(rb_atip_reply), &atip, &error));
	ck_assert_uint_eq(atip.writing_power, 5);
	ck_assert_uint_eq(atip.reference_speed, 2);
	ck_assert(atip.uru);
	ck_assert(!atip.cd_rw);
	ck_assert_uint_eq(atip.disc_sub_type, 0);
	ck_assert(atip.a1_valid);
	ck_assert(!atip.a2_valid);
	ck_assert(!atip.a3_valid);
	ck_assert_uint_eq(atip.leadin_start.minute, 97);
	ck_assert_uint_eq(atip.leadin_start.second, 34);
	ck_assert_uint_eq(atip.leadin_start.frame, 23);
	ck_assert_int_eq(atip.leadin_start_lba, -11077);
	ck_assert_int_eq(atip.last_leadout_lba, 359849);
	ck_assert_mem_eq(atip.a1, "\x12\x34\x56", 3);
	ck_assert_mem_eq(atip.a2, "\x01\x02\x03", 3);
	ck_assert_mem_eq(atip.a3, "\x04\x05\x06", 3);
}
END_TEST

START_TEST(test_atip_cd_rw)
{
	RbMmcAtip atip;
	guint8 reply[28];

	memcpy(reply, rb_atip_reply, sizeof(reply));
	reply[6] = 0xDF; /* CD-RW, sub-type 3, A1-A3 valid */
	/* the measured writers' lead-in 97:26:66 */
	reply[8] = 97;
	reply[9] = 26;
	reply[10] = 66;
	ck_assert(rb_mmc_atip_parse(reply, sizeof(reply), &atip, NULL));
	ck_assert(atip.cd_rw);
	ck_assert_uint_eq(atip.disc_sub_type, 3);
	ck_assert(atip.a1_valid && atip.a2_valid && atip.a3_valid);
	ck_assert_int_eq(atip.leadin_start_lba, -11634);

	/* a short reply still has the addresses, not the A values */
	ck_assert(rb_mmc_atip_parse(reply, 15, &atip, NULL));
	ck_assert_int_eq(atip.last_leadout_lba, 359849);
	ck_assert_mem_eq(atip.a1, "\0\0\0", 3);
}
END_TEST

START_TEST(test_atip_bad)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) error2 = NULL;
	RbMmcAtip atip;
	guint8 reply[28];

	ck_assert(!rb_mmc_atip_parse(rb_atip_reply, 14, &atip, &error));
	rb_assert_error(error, RB_ERROR, RB_ERROR_INVALID_RESPONSE_FROM_DEVICE);
	memcpy(reply, rb_atip_reply, sizeof(reply));
	reply[10] = 75; /* frame 75 does not exist */
	ck_assert(!rb_mmc_atip_parse(reply, sizeof(reply), &atip, &error2));
	rb_assert_error(error2, RB_ERROR, RB_ERROR_INVALID_RESPONSE_FROM_DEVICE);
	ck_assert_ptr_nonnull(strstr(error2->message, "97:34:75"));
}
END_TEST

/* ---- GET PERFORMANCE, READ BUFFER CAPACITY ---- */

/* clang-format off */
static const guint8 rb_performance_reply[40] = {
	0x00, 0x00, 0x00, 0x24, 0x00, 0x00, 0x00, 0x00,
	/* CLV, to LBA 359999: read 7056, write 7056 kB/s */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x7E, 0x3F,
	0x00, 0x00, 0x1B, 0x90, 0x00, 0x00, 0x1B, 0x90,
	/* CAV, exact: read 8467, write 3528 kB/s */
	0x0A, 0x00, 0x00, 0x00, 0x00, 0x05, 0x7E, 0x3F,
	0x00, 0x00, 0x21, 0x13, 0x00, 0x00, 0x0D, 0xC8,
};
/* clang-format on */

START_TEST(test_write_speeds)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GArray) speeds = rb_mmc_write_speeds_parse(
		rb_performance_reply, sizeof(rb_performance_reply), &error);
	const RbMmcWriteSpeed *s;

	ck_assert_ptr_nonnull(speeds);
	ck_assert_uint_eq(speeds->len, 2);
	s = &g_array_index(speeds, RbMmcWriteSpeed, 0);
	ck_assert_uint_eq(s->wrc, 0);
	ck_assert(!s->exact);
	ck_assert(!s->mrw);
	ck_assert_uint_eq(s->end_lba, 359999);
	ck_assert_uint_eq(s->read_speed_kbps, 7056);
	ck_assert_uint_eq(s->write_speed_kbps, 7056);
	s = &g_array_index(speeds, RbMmcWriteSpeed, 1);
	ck_assert_uint_eq(s->wrc, 1);
	ck_assert(s->exact);
	ck_assert_uint_eq(s->read_speed_kbps, 8467);
	ck_assert_uint_eq(s->write_speed_kbps, 3528);
}
END_TEST

START_TEST(test_write_speeds_truncated)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) error2 = NULL;
	g_autoptr(GArray) speeds = NULL;

	ck_assert_ptr_null(rb_mmc_write_speeds_parse(rb_performance_reply, 7, &error));
	rb_assert_error(error, RB_ERROR, RB_ERROR_INVALID_RESPONSE_FROM_DEVICE);
	ck_assert_ptr_null(rb_mmc_write_speeds_parse(rb_performance_reply, 8 + 16 + 5, &error2));
	rb_assert_error(error2, RB_ERROR, RB_ERROR_INVALID_RESPONSE_FROM_DEVICE);
	/* cut after the first descriptor by the allocation length */
	speeds = rb_mmc_write_speeds_parse(rb_performance_reply, 24, NULL);
	ck_assert_ptr_nonnull(speeds);
	ck_assert_uint_eq(speeds->len, 1);
}
END_TEST

START_TEST(test_buffer_capacity)
{
	g_autoptr(GError) error = NULL;
	RbMmcBufferCapacity capacity;
	const guint8 reply[12] = {0x00, 0x0A, 0, 0, 0x00, 0x20, 0x00, 0x00, 0x00, 0x1F, 0x00, 0x00};

	ck_assert(rb_mmc_buffer_capacity_parse(reply, sizeof(reply), &capacity, NULL));
	ck_assert_uint_eq(capacity.buffer_length, 2097152);
	ck_assert_uint_eq(capacity.free_bytes, 2031616);
	ck_assert(!rb_mmc_buffer_capacity_parse(reply, 11, &capacity, &error));
	rb_assert_error(error, RB_ERROR, RB_ERROR_INVALID_RESPONSE_FROM_DEVICE);
}
END_TEST

/* ---- mode pages ---- */

/* MODE SENSE(10) page 05h: 8-byte header, page length 32h; BUFE, TW, SAO,
 * multi-session 3, track mode 4, DBT 8 with reserved bits, link size 7,
 * host application code 15h, session format 20h, packet 16, pause 150,
 * MCVAL and a marker in the ISRC */
static void
rb_fill_page_05_reply(guint8 reply[60])
{
	/* clang-format off */
	static const guint8 head[] = {
		0x00, 0x3A, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,             /* header */
		0x85, 0x32, 0x52, 0xC4, 0xA8, 0x07, 0x00, 0xD5, 0x20, 0x00, /* page 0-9 */
		0x00, 0x00, 0x00, 0x10, 0x00, 0x96, 0x80,                   /* page 10-16 */
	};
	/* clang-format on */

	memset(reply, 0, 60);
	memcpy(reply, head, sizeof(head));
	reply[8 + 32] = 'X';
	reply[8 + 51] = 0x5A;
}

START_TEST(test_mode_sense_page_05)
{
	g_autoptr(GError) error = NULL;
	RbMmcWriteParameters wp;
	RbMmcModePage page;
	guint8 reply[60];

	rb_fill_page_05_reply(reply);
	ck_assert(rb_mmc_mode_sense_parse(reply, sizeof(reply), 0x05, &page, &error));
	ck_assert_uint_eq(page.page_len, 52);
	ck_assert_uint_eq(page.page[0], 0x85);
	ck_assert_uint_eq(page.block_descriptor_length, 0);
	ck_assert_mem_eq(page.page, reply + 8, 52);

	ck_assert(rb_mmc_write_parameters_parse(&page, &wp, &error));
	ck_assert(wp.bufe);
	ck_assert(!wp.ls_v);
	ck_assert(wp.test_write);
	ck_assert_uint_eq(wp.write_type, RB_MMC_WRITE_TYPE_SAO);
	ck_assert_uint_eq(wp.multi_session, 3);
	ck_assert(!wp.fp);
	ck_assert(!wp.copy);
	ck_assert_uint_eq(wp.track_mode, 4);
	ck_assert_uint_eq(wp.data_block_type, 8);
	ck_assert_uint_eq(wp.link_size, 7);
	ck_assert_uint_eq(wp.host_application_code, 0x15);
	ck_assert_uint_eq(wp.session_format, 0x20);
	ck_assert_uint_eq(wp.packet_size, 16);
	ck_assert_uint_eq(wp.audio_pause_length, 150);
}
END_TEST

START_TEST(test_mode_select_raw)
{
	RbMmcWriteParameters wp;
	RbMmcModePage page;
	guint8 reply[60];
	guint8 out[RB_MMC_MODE_DATA_MAX];
	gsize len;
	/* what a raw burn sends: zero header, PS cleared, the sensed length;
	 * BUFE, WT=3; MS 0, TM 0; DBT 3 under the reserved bits; host
	 * application code 0 under its reserved bits; MCN/ISRC untouched */
	/* clang-format off */
	static const guint8 expected[26] = {
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* header */
		0x05, 0x32, 0x43, 0x00, 0xA3, 0x00, 0x00, 0xC0, 0x00, 0x00, /* page 0-9 */
		0x00, 0x00, 0x00, 0x00, 0x00, 0x96, 0x80, 0x00,             /* page 10-17 */
	};
	/* clang-format on */

	rb_fill_page_05_reply(reply);
	ck_assert(rb_mmc_mode_sense_parse(reply, sizeof(reply), 0x05, &page, NULL));
	ck_assert(rb_mmc_write_parameters_parse(&page, &wp, NULL));
	wp.write_type = RB_MMC_WRITE_TYPE_RAW;
	wp.data_block_type = RB_MMC_DBT_RAW_PW;
	wp.test_write = FALSE;
	wp.multi_session = 0;
	wp.track_mode = 0;
	wp.link_size = 0;
	wp.host_application_code = 0;
	wp.session_format = 0;
	wp.packet_size = 0;
	ck_assert(rb_mmc_write_parameters_apply(&wp, &page, NULL));
	/* PS stays as sensed in the struct; only the SELECT data clears it */
	ck_assert_uint_eq(page.page[0], 0x85);

	len = rb_mmc_mode_select_build(&page, out);
	ck_assert_uint_eq(len, 60);
	ck_assert_mem_eq(out, expected, sizeof(expected));
	ck_assert_uint_eq(out[8 + 32], 'X');
	ck_assert_uint_eq(out[8 + 51], 0x5A);
}
END_TEST

START_TEST(test_mode_sense_block_descriptor)
{
	g_autoptr(GError) error = NULL;
	RbMmcWriteParameters wp;
	RbMmcModePage page;
	guint8 reply[68];
	guint8 page05[60];

	/* the same page after an 8-byte block descriptor */
	rb_fill_page_05_reply(page05);
	memset(reply, 0, sizeof(reply));
	memcpy(reply, page05, 8);
	reply[1] = 0x42;
	reply[2] = 0x11; /* medium type */
	reply[3] = 0x80; /* device specific: WP */
	reply[7] = 0x08;
	memset(reply + 8, 0xEE, 8);
	memcpy(reply + 16, page05 + 8, 52);
	ck_assert(rb_mmc_mode_sense_parse(reply, sizeof(reply), 0x05, &page, &error));
	ck_assert_uint_eq(page.block_descriptor_length, 8);
	ck_assert_uint_eq(page.medium_type, 0x11);
	ck_assert_uint_eq(page.device_specific, 0x80);
	ck_assert_uint_eq(page.page_len, 52);
	ck_assert(rb_mmc_write_parameters_parse(&page, &wp, NULL));
	ck_assert_uint_eq(wp.audio_pause_length, 150);
}
END_TEST

START_TEST(test_mode_sense_bad)
{
	g_autoptr(GError) error_header = NULL;
	g_autoptr(GError) error_cut = NULL;
	g_autoptr(GError) error_code = NULL;
	g_autoptr(GError) error_short = NULL;
	g_autoptr(GError) error_apply = NULL;
	RbMmcWriteParameters wp = {0};
	RbMmcModePage page;
	guint8 reply[60];

	rb_fill_page_05_reply(reply);
	ck_assert(!rb_mmc_mode_sense_parse(reply, 7, 0x05, &page, &error_header));
	rb_assert_error(error_header, RB_ERROR, RB_ERROR_INVALID_RESPONSE_FROM_DEVICE);
	ck_assert(!rb_mmc_mode_sense_parse(reply, 59, 0x05, &page, &error_cut));
	rb_assert_error(error_cut, RB_ERROR, RB_ERROR_INVALID_RESPONSE_FROM_DEVICE);
	ck_assert_ptr_nonnull(strstr(error_cut->message, "truncated"));
	ck_assert(!rb_mmc_mode_sense_parse(reply, sizeof(reply), 0x2A, &page, &error_code));
	rb_assert_error(error_code, RB_ERROR, RB_ERROR_INVALID_RESPONSE_FROM_DEVICE);
	ck_assert_ptr_nonnull(strstr(error_code->message, "got page 05h"));

	/* a page 05h too short for the write parameters */
	reply[1] = 0x12;
	reply[9] = 0x0A;
	ck_assert(rb_mmc_mode_sense_parse(reply, sizeof(reply), 0x05, &page, NULL));
	ck_assert_uint_eq(page.page_len, 12);
	ck_assert(!rb_mmc_write_parameters_parse(&page, &wp, &error_short));
	rb_assert_error(error_short, RB_ERROR, RB_ERROR_INVALID_RESPONSE_FROM_DEVICE);
	ck_assert(!rb_mmc_write_parameters_apply(&wp, &page, &error_apply));
	rb_assert_error(error_apply, RB_ERROR, RB_ERROR_INVALID_RESPONSE_FROM_DEVICE);
}
END_TEST

/* an MMC-3 page 2Ah with two write speed descriptors */
/* clang-format off */
static const guint8 rb_page_2a[40] = {
	0x2A, 0x26, 0x3F, 0x07, 0x80, 0x06, 0x29, 0x23, /* 0-7 */
	0x1B, 0x90, 0x00, 0xFF, 0x08, 0x00, 0x1B, 0x90, /* 8-15: max read, buffer, cur read */
	0x00, 0x00, 0x21, 0x18, 0x1B, 0x90, 0x00, 0x00, /* 16-23: max write, cur write (old) */
	0x00, 0x00, 0x00, 0x01, 0x0D, 0xC8, 0x00, 0x02, /* 24-31: CAV, cur write, 2 descriptors */
	0x00, 0x00, 0x21, 0x18, 0x00, 0x01, 0x1B, 0x90, /* CLV 8472, CAV 7056 */
};
/* clang-format on */

static void
rb_page_from_bytes(RbMmcModePage *page, const guint8 *bytes, gsize len)
{
	memset(page, 0, sizeof(*page));
	memcpy(page->page, bytes, len);
	page->page_len = len;
}

START_TEST(test_capabilities)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RbMmcCapabilities) caps = NULL;
	const RbMmcPage2AWriteSpeed *s;
	RbMmcModePage page;

	rb_page_from_bytes(&page, rb_page_2a, sizeof(rb_page_2a));
	caps = rb_mmc_capabilities_parse(&page, &error);
	ck_assert_ptr_nonnull(caps);
	ck_assert(caps->cd_r_write);
	ck_assert(caps->cd_rw_write);
	ck_assert(caps->test_write);
	ck_assert(caps->buf);
	ck_assert(caps->cdda_accurate);
	ck_assert(caps->rw_supported);
	ck_assert_uint_eq(caps->max_read_speed_kbps, 7056);
	ck_assert_uint_eq(caps->buffer_size_kb, 2048);
	ck_assert_uint_eq(caps->current_read_speed_kbps, 7056);
	ck_assert_uint_eq(caps->max_write_speed_kbps, 8472);
	ck_assert_uint_eq(caps->rotation_control, 1);
	ck_assert_uint_eq(caps->current_write_speed_kbps, 3528);
	ck_assert_uint_eq(caps->write_speeds->len, 2);
	s = &g_array_index(caps->write_speeds, RbMmcPage2AWriteSpeed, 0);
	ck_assert_uint_eq(s->rotation_control, 0);
	ck_assert_uint_eq(s->write_speed_kbps, 8472);
	s = &g_array_index(caps->write_speeds, RbMmcPage2AWriteSpeed, 1);
	ck_assert_uint_eq(s->rotation_control, 1);
	ck_assert_uint_eq(s->write_speed_kbps, 7056);
}
END_TEST

START_TEST(test_capabilities_old_and_bad)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RbMmcCapabilities) old = NULL;
	g_autoptr(RbMmcCapabilities) lying = NULL;
	RbMmcModePage page;
	guint8 bytes[40];

	/* MMC-1: page length 14h, no descriptors, current write speed at 20 */
	memcpy(bytes, rb_page_2a, sizeof(bytes));
	bytes[1] = 0x14;
	bytes[3] = 0x01;
	bytes[4] = 0x00;
	rb_page_from_bytes(&page, bytes, 22);
	old = rb_mmc_capabilities_parse(&page, NULL);
	ck_assert_ptr_nonnull(old);
	ck_assert(old->cd_r_write);
	ck_assert(!old->cd_rw_write);
	ck_assert(!old->buf);
	ck_assert_uint_eq(old->max_write_speed_kbps, 8472);
	ck_assert_uint_eq(old->current_write_speed_kbps, 7056);
	ck_assert_uint_eq(old->write_speeds->len, 0);

	/* five descriptors announced, two there */
	memcpy(bytes, rb_page_2a, sizeof(bytes));
	bytes[31] = 5;
	rb_page_from_bytes(&page, bytes, sizeof(bytes));
	lying = rb_mmc_capabilities_parse(&page, NULL);
	ck_assert_uint_eq(lying->write_speeds->len, 2);

	/* too short for the maximum write speed */
	rb_page_from_bytes(&page, rb_page_2a, 18);
	ck_assert_ptr_null(rb_mmc_capabilities_parse(&page, &error));
	rb_assert_error(error, RB_ERROR, RB_ERROR_INVALID_RESPONSE_FROM_DEVICE);
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("mmc-replies");
	TCase *tc_id = tcase_create("identity");
	TCase *tc_disc = tcase_create("disc");
	TCase *tc_toc = tcase_create("toc");
	TCase *tc_speed = tcase_create("speed");
	TCase *tc_mode = tcase_create("mode-pages");

	tcase_add_test(tc_id, test_inquiry);
	tcase_add_test(tc_id, test_inquiry_odd_strings);
	tcase_add_test(tc_id, test_inquiry_truncated);
	tcase_add_test(tc_id, test_configuration);
	tcase_add_test(tc_id, test_configuration_feature_bits);
	tcase_add_test(tc_id, test_configuration_truncated);
	suite_add_tcase(suite, tc_id);
	tcase_add_test(tc_disc, test_disc_info_blank);
	tcase_add_test(tc_disc, test_disc_info_complete);
	tcase_add_test(tc_disc, test_disc_info_truncated);
	tcase_add_test(tc_disc, test_track_info);
	suite_add_tcase(suite, tc_disc);
	tcase_add_test(tc_toc, test_toc);
	tcase_add_test(tc_toc, test_toc_truncated);
	tcase_add_test(tc_toc, test_session_info);
	tcase_add_test(tc_toc, test_full_toc);
	tcase_add_test(tc_toc, test_full_toc_truncated);
	tcase_add_test(tc_toc, test_atip);
	tcase_add_test(tc_toc, test_atip_cd_rw);
	tcase_add_test(tc_toc, test_atip_bad);
	suite_add_tcase(suite, tc_toc);
	tcase_add_test(tc_speed, test_write_speeds);
	tcase_add_test(tc_speed, test_write_speeds_truncated);
	tcase_add_test(tc_speed, test_buffer_capacity);
	suite_add_tcase(suite, tc_speed);
	tcase_add_test(tc_mode, test_mode_sense_page_05);
	tcase_add_test(tc_mode, test_mode_select_raw);
	tcase_add_test(tc_mode, test_mode_sense_block_descriptor);
	tcase_add_test(tc_mode, test_mode_sense_bad);
	tcase_add_test(tc_mode, test_capabilities);
	tcase_add_test(tc_mode, test_capabilities_old_and_bad);
	suite_add_tcase(suite, tc_mode);
	return rb_test_run_suite(suite);
}
