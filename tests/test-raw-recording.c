/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The raw disc-at-once sequence a writer runs, through the MMC layer, end to
 * end: against the emulated drive by function call, and through the real
 * SG_IO transport with the same drive behind umockdev at /dev/sr0. After
 * the burn, READ DISC INFORMATION, READ TOC and READ CD must show the
 * generated disc, and the drive's validation report must be clean.
 */
#include "config.h"

#include <string.h>

#include "rb-dao-stream.h"
#include "rb-error.h"
#include "rb-mmc-cdb.h"
#include "rb-mmc-device.h"
#include "rb-mmc-exec.h"
#include "rb-mmc-mode-pages.h"
#include "rb-mmc-probe.h"
#include "rb-mmc-sg-transport.h"
#include "rb-test-service.h"
#include "rb-umockdev-drive.h"
#include "rb-vdrive-transport.h"

#define RB_TRACK2_START 300
#define RB_LEADOUT_START 500

typedef enum {
	RB_VIA_FUNCTION_CALL,
	RB_VIA_SG_IO,
} RbVia;

typedef struct {
	RbVia via;
	const gchar *spec;
	guint imapi_sector_type;
	guint chunk;
} RbBurnCase;

static const RbBurnCase rb_burn_cases[] = {
	{RB_VIA_FUNCTION_CALL, "media=cd-r-80,realtime=false", 3, 26},
	{RB_VIA_FUNCTION_CALL, "media=cd-rw-80,realtime=false", 2, 26},
	{RB_VIA_FUNCTION_CALL, "media=cd-r-74,realtime=false", 1, 27},
	/* paced at 52x: the host meets full-buffer 02/04/08 and retries */
	{RB_VIA_FUNCTION_CALL, "media=cd-r-80,speed=52,realtime=true", 3, 26},
	{RB_VIA_SG_IO, "media=cd-r-80,realtime=false", 3, 26},
	{RB_VIA_SG_IO, "media=cd-rw-74,realtime=false", 1, 27},
};

static gboolean
rb_pattern_main(gint32 lba, guint8 *main_data, gpointer user_data, GError **error)
{
	for (guint i = 0; i < RB_CD_MAIN_SIZE; i++)
		main_data[i] = (guint8)(lba * 13 + i);
	return TRUE;
}

typedef struct {
	guint sleeps;
} RbCountingClock;

/* the drive finishes in real time: a real clock that counts the sleeps */
static gint64
rb_counting_now(gpointer user_data)
{
	return g_get_monotonic_time();
}

static void
rb_counting_sleep(guint64 usec, gpointer user_data)
{
	RbCountingClock *clock = user_data;
	g_usleep(usec);
	clock->sleeps++;
}

/* page 05h as a raw writer sets it, keeping what it does not know */
static void
rb_select_raw(RbMmcTransport *transport, guint8 data_block_type, gboolean bufe)
{
	g_autoptr(GError) error = NULL;
	RbMmcModePage page = {0};
	RbMmcWriteParameters params;

	ck_assert_msg(
		rb_mmc_mode_sense_10(
			transport, RB_MMC_PC_CURRENT, RB_MMC_PAGE_WRITE_PARAMETERS, &page, &error),
		"%s",
		error ? error->message : "");
	ck_assert(rb_mmc_write_parameters_parse(&page, &params, &error));
	params.write_type = RB_MMC_WRITE_TYPE_RAW;
	params.data_block_type = data_block_type;
	params.bufe = bufe;
	params.test_write = FALSE;
	params.multi_session = 0;
	params.track_mode = 0;
	params.session_format = 0;
	ck_assert(rb_mmc_write_parameters_apply(&params, &page, &error));
	ck_assert_msg(
		rb_mmc_mode_select_10(transport, &page, &error), "%s", error ? error->message : "");
}

static void
rb_burn(RbMmcTransport *transport, RbVdrive *drive, const RbBurnCase *bc)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RbMmcRawCaps) caps = NULL;
	g_autoptr(RbDaoStream) stream = NULL;
	g_autoptr(RbMmcToc) toc = NULL;
	g_autofree guint8 *chunk = NULL;
	const RbDaoTrack tracks[] = {{0, RB_TRACK2_START},
				     {RB_TRACK2_START, RB_LEADOUT_START - RB_TRACK2_START}};
	guint8 data_block_type = (guint8)bc->imapi_sector_type; /* IMAPI 1/2/3 = DBT 1/2/3 */
	RbMmcDiscInfo disc_info = {0};
	RbMmcAtip atip = {0};
	RbVdriveReport report;
	gsize sector_size;
	guint8 read_back[2 * (RB_CD_MAIN_SIZE + 96)];
	guint8 expected[RB_CD_MAIN_SIZE + 96];
	guint write_kbps;
	RbCountingClock clock = {0};
	RbMmcEnv env = {rb_counting_now, rb_counting_sleep, &clock, NULL};

	/* a medium was just inserted: the MMC layer passes the unit attention */
	ck_assert_msg(rb_mmc_test_unit_ready(transport, &error), "%s", error ? error->message : "");

	caps = rb_mmc_probe_raw(transport, &error);
	ck_assert_msg(caps != NULL, "%s", error ? error->message : "");
	ck_assert(caps->feature_raw);
	ck_assert(caps->buf);
	ck_assert_uint_eq(caps->sector_types->len, 3);
	ck_assert(rb_mmc_raw_caps_has_sector_type(caps, bc->imapi_sector_type));
	ck_assert_uint_gt(caps->write_speeds->len, 0);

	/* the lead-in start, from disc information and, the same, from the ATIP */
	ck_assert(rb_mmc_read_disc_information(transport, &disc_info, &error));
	ck_assert_uint_eq(disc_info.disc_status, RB_MMC_DISC_STATUS_BLANK);
	ck_assert(disc_info.leadin_start_valid);
	ck_assert(rb_mmc_read_atip(transport, &atip, &error));
	ck_assert_int_eq(atip.leadin_start_lba, disc_info.leadin_start_lba);
	ck_assert_int_eq(atip.last_leadout_lba, disc_info.last_leadout_lba);

	rb_select_raw(transport, data_block_type, caps->buf);
	write_kbps = g_array_index(caps->write_speeds, RbMmcSpeedDescriptor, 0).kbps;
	ck_assert(rb_mmc_set_cd_speed(transport, 0, 0xFFFF, (guint16)write_kbps, &error));
	ck_assert(rb_mmc_prevent_allow_medium_removal(transport, TRUE, &error));

	stream = rb_dao_stream_new(disc_info.leadin_start_lba,
				   tracks,
				   G_N_ELEMENTS(tracks),
				   data_block_type,
				   rb_pattern_main,
				   NULL,
				   NULL,
				   &error);
	ck_assert_msg(stream != NULL, "%s", error ? error->message : "");
	sector_size = rb_dao_stream_get_sector_size(stream);
	ck_assert_uint_eq(sector_size, rb_mmc_dbt_sector_size(data_block_type));
	ck_assert_int_le(rb_dao_stream_get_leadout_start(stream), disc_info.last_leadout_lba);
	chunk = g_malloc(bc->chunk * sector_size);
	for (gint32 lba = rb_dao_stream_get_first_lba(stream);
	     lba < rb_dao_stream_get_end_lba(stream);) {
		guint n = (guint)MIN((gint32)bc->chunk, rb_dao_stream_get_end_lba(stream) - lba);
		ck_assert(rb_dao_stream_get_sectors(stream, lba, n, chunk, NULL));
		ck_assert_msg(
			rb_mmc_write_10(transport, lba, (guint16)n, chunk, sector_size, &error),
			"WRITE at %d: %s",
			lba,
			error ? error->message : "");
		lba += (gint32)n;
	}
	/* long enough to be seen by the first poll, which follows at once */
	rb_vdrive_set_finishing_ms(drive, 300);
	ck_assert(rb_mmc_synchronize_cache(transport, TRUE, &error));
	ck_assert_msg(rb_mmc_wait_until_ready(transport, &env, 60, NULL, NULL, &error),
		      "%s",
		      error ? error->message : "");
	/* the drive was busy finishing before it was ready */
	ck_assert_uint_ge(clock.sleeps, 1);
	ck_assert(rb_mmc_prevent_allow_medium_removal(transport, FALSE, &error));

	/* what a reader sees */
	rb_vdrive_get_report(drive, &report);
	ck_assert_uint_eq(report.sectors_written, rb_dao_stream_get_n_sectors(stream));
	ck_assert_uint_eq(report.bad_q_crc, 0);
	ck_assert_uint_eq(report.address_mismatches, 0);
	ck_assert_uint_eq(report.toc_mismatches, 0);
	ck_assert_uint_eq(report.toc_short_runs, 0);
	ck_assert(report.complete);

	ck_assert(rb_mmc_read_disc_information(transport, &disc_info, &error));
	ck_assert_uint_eq(disc_info.disc_status, RB_MMC_DISC_STATUS_COMPLETE);
	ck_assert_uint_eq(disc_info.last_track_last_session, 2);
	toc = rb_mmc_read_toc(transport, &error);
	ck_assert_msg(toc != NULL, "%s", error ? error->message : "");
	ck_assert_uint_eq(toc->first_track, 1);
	ck_assert_uint_eq(toc->last_track, 2);
	ck_assert_uint_eq(toc->tracks->len, 3);
	ck_assert_int_eq(g_array_index(toc->tracks, RbMmcTocTrack, 0).lba, 0);
	ck_assert_int_eq(g_array_index(toc->tracks, RbMmcTocTrack, 1).lba, RB_TRACK2_START);
	ck_assert_uint_eq(g_array_index(toc->tracks, RbMmcTocTrack, 2).track,
			  RB_MMC_TOC_LEADOUT_TRACK);
	ck_assert_int_eq(g_array_index(toc->tracks, RbMmcTocTrack, 2).lba, RB_LEADOUT_START);

	/* the first two sectors of track 2, main channel and raw P-W */
	ck_assert_msg(rb_mmc_read_cd(transport,
				     0,
				     RB_TRACK2_START,
				     2,
				     0xF8,
				     0x01,
				     read_back,
				     sizeof(read_back),
				     &error),
		      "%s",
		      error ? error->message : "");
	for (guint i = 0; i < 2; i++) {
		guint8 q_read[RB_SUBQ_SIZE];
		guint8 q_expected[RB_SUBQ_SIZE];
		gboolean p;
		ck_assert(rb_dao_stream_get_sector(
			stream, RB_TRACK2_START + (gint32)i, expected, NULL));
		ck_assert(memcmp(read_back + i * 2448, expected, RB_CD_MAIN_SIZE) == 0);
		/* the drive hands back Q whatever layout it was written in */
		rb_subchannel_pw_get_q(read_back + i * 2448 + RB_CD_MAIN_SIZE, q_read);
		ck_assert(rb_subchannel_get_q(
			data_block_type, expected + RB_CD_MAIN_SIZE, q_expected, &p, NULL));
		ck_assert(memcmp(q_read, q_expected, RB_SUBQ_SIZE) == 0);
	}
}

START_TEST(test_raw_recording)
{
	const RbBurnCase *bc = &rb_burn_cases[_i];
	g_autoptr(GError) error = NULL;
	g_autoptr(RbVirtualSpec) spec = rb_virtual_spec_parse(bc->spec, &error);
	g_autoptr(RbMmcTransport) transport = NULL;

	ck_assert(spec != NULL);
	if (bc->via == RB_VIA_FUNCTION_CALL) {
		g_autoptr(RbVdrive) drive = rb_vdrive_new(spec);
		transport = rb_vdrive_transport_new(drive);
		rb_burn(transport, drive, bc);
	} else {
		g_autoptr(RbUmockdevDrive) bed = rb_umockdev_drive_new(spec, &error);
		ck_assert_msg(bed != NULL, "%s", error ? error->message : "");
		transport = rb_mmc_sg_transport_new("/dev/sr0", &error);
		ck_assert_msg(transport != NULL, "%s", error ? error->message : "");
		rb_burn(transport, rb_umockdev_drive_get_vdrive(bed), bc);
		g_clear_object(&transport);
	}
}
END_TEST

/* a recording the drive refuses: the MMC layer names the problem */
START_TEST(test_raw_recording_refused_errors)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RbVirtualSpec) spec =
		rb_virtual_spec_parse("media=cd-r-80,realtime=false", &error);
	g_autoptr(RbVdrive) drive = rb_vdrive_new(spec);
	g_autoptr(RbMmcTransport) transport = rb_vdrive_transport_new(drive);
	g_autofree guint8 *block = g_malloc0(2448);
	RbVdriveFaults faults;

	ck_assert(rb_mmc_test_unit_ready(transport, NULL));
	/* raw write parameters missing: the drive's 05/2C/00 */
	ck_assert(!rb_mmc_write_10(transport, -11634, 1, block, 2448, &error));
	ck_assert(error->domain == RB_ERROR);
	g_clear_error(&error);
	/* wrong address: 05/21/02 is what an underrun looks like to a host too */
	rb_select_raw(transport, 3, TRUE);
	ck_assert(!rb_mmc_write_10(transport, -100, 1, block, 2448, &error));
	ck_assert(g_error_matches(error, RB_ERROR, RB_ERROR_LOSS_OF_STREAMING));
	g_clear_error(&error);
	/* an injected time-out reaches the caller as CommandTimeout */
	rb_vdrive_faults_init(&faults);
	faults.timeout_at_lba = -11634;
	rb_vdrive_set_faults(drive, &faults);
	ck_assert(!rb_mmc_write_10(transport, -11634, 1, block, 2448, &error));
	ck_assert(g_error_matches(error, RB_ERROR, RB_ERROR_COMMAND_TIMEOUT));
	g_clear_error(&error);
	/* the medium taken out mid-burn */
	faults.timeout_at_lba = RB_VDRIVE_FAULT_OFF;
	faults.remove_media_at_lba = -11634;
	rb_vdrive_set_faults(drive, &faults);
	ck_assert(!rb_mmc_write_10(transport, -11634, 1, block, 2448, &error));
	ck_assert(g_error_matches(error, RB_ERROR, RB_ERROR_MEDIA_NO_MEDIA));
}
END_TEST

int
main(int argc, char **argv)
{
	Suite *suite;
	TCase *tc;

	/* the SG_IO cases need umockdev's preload in this process */
	rb_umockdev_drive_ensure_preload_or_exit(argv);
	suite = suite_create("raw-recording");
	tc = tcase_create("raw-recording");
	tcase_set_timeout(tc, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_loop_test(tc, test_raw_recording, 0, G_N_ELEMENTS(rb_burn_cases));
	tcase_add_test(tc, test_raw_recording_refused_errors);
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
