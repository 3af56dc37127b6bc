/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The emulated drive's write path: what a WRITE leaves on the disc in
 * either sub-channel format when injected faults alter sectors in the
 * middle of it, how a real-time drive counts the times a host let its
 * buffer run dry, and how long it stays busy after SYNCHRONIZE CACHE.
 * Starved recordings wait far longer than the buffer lasts; nothing here
 * asserts how long anything took.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "rb-dao-stream.h"
#include "rb-subchannel.h"
#include "rb-test-service.h"
#include "rb-vdrive-test.h"

#define RB_STORED 2448
/* where the faults flip: rb-vdrive-store.c */
#define RB_CORRUPT_BYTE 1000
#define RB_BAD_Q_BYTE (2352 + 8 * 10)
#define RB_BAD_Q_BIT 0x40

static gboolean
rb_pattern_main(gint32 lba, guint8 *main_data, gpointer user_data, GError **error)
{
	for (guint i = 0; i < RB_CD_MAIN_SIZE; i++)
		main_data[i] = (guint8)(lba * 7 + i);
	return TRUE;
}

static RbDaoStream *
rb_stream_new(guint block_type)
{
	const RbDaoTrack tracks[] = {{0, 300}, {300, 200}};
	g_autoptr(GError) error = NULL;
	RbDaoStream *stream = rb_dao_stream_new(-11634,
						tracks,
						G_N_ELEMENTS(tracks),
						block_type,
						rb_pattern_main,
						NULL,
						NULL,
						&error);

	ck_assert_msg(stream != NULL, "%s", error ? error->message : "");
	return stream;
}

static RbCommand
rb_write_range(RbVdrive *drive, RbDaoStream *stream, gint32 first, guint count)
{
	gsize size = rb_dao_stream_get_sector_size(stream);
	g_autofree guint8 *buf = g_malloc(count * size);

	ck_assert(rb_dao_stream_get_sectors(stream, first, count, buf, NULL));
	return rb_write(drive, first, (guint16)count, buf, count * size);
}

static RbCommand
rb_sync_cache(RbVdrive *drive)
{
	const guint8 cdb[10] = {RB_MMC_SYNCHRONIZE_CACHE, 0x02};
	return rb_cmd(drive, cdb, sizeof(cdb), RB_MMC_DIR_NONE, NULL, 0);
}

static RbCommand
rb_read_buffer_capacity(RbVdrive *drive)
{
	const guint8 cdb[10] = {RB_MMC_READ_BUFFER_CAPACITY, 0, 0, 0, 0, 0, 0, 0, 12};
	guint8 buf[12];
	return rb_cmd(drive, cdb, sizeof(cdb), RB_MMC_DIR_IN, buf, sizeof(buf));
}

/* the whole stream in WRITEs of @chunk blocks, then the finish; the disc
 * as ExportImage gives it */
static GBytes *
rb_record_and_export(RbVdrive *drive, RbDaoStream *stream, guint chunk)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *path = NULL;
	gint32 end = rb_dao_stream_get_end_lba(stream);
	gint fd;
	gchar *image = NULL;
	gsize image_len = 0;

	for (gint32 lba = rb_dao_stream_get_first_lba(stream); lba < end;) {
		guint n = (guint)MIN((gint32)chunk, end - lba);
		rb_assert_good(rb_write_range(drive, stream, lba, n));
		lba += (gint32)n;
	}
	rb_assert_good(rb_sync_cache(drive));
	fd = g_file_open_tmp("rawburn-store-XXXXXX", &path, &error);
	ck_assert_int_ge(fd, 0);
	ck_assert_msg(rb_vdrive_export_image(drive, fd, &error), "%s", error ? error->message : "");
	close(fd);
	ck_assert(g_file_get_contents(path, &image, &image_len, &error));
	g_unlink(path);
	return g_bytes_new_take(image, image_len);
}

static void
rb_report(RbVdrive *drive, RbVdriveReport *report)
{
	rb_vdrive_get_report(drive, report);
}

/* one WRITE holds both faulted sectors (or both faults hit one sector):
 * they come out altered, every other sector as the host sent it; in
 * 16-byte mode the drive builds the same stored sectors as from 96 bytes
 * of P-W, in WRITEs larger than the buffer it builds them in */
static const struct {
	guint8 block_type;
	guint chunk;
	gint32 corrupt_lba;
	gint32 bad_q_lba;
} rb_fault_cases[] = {
	/* the WRITE of 26 from -116 holds both, the bad Q first */
	{RB_MMC_DBT_RAW_PW, 26, -100, -110},
	{RB_MMC_DBT_RAW_PW, 26, 5, 5},
	{RB_MMC_DBT_RAW_PW, 26, -116, -91},
	{RB_MMC_DBT_RAW_PQ, 40, -100, -110},
	{RB_MMC_DBT_RAW_PQ, 40, 5, 5},
};

START_TEST(test_vdrive_store_faults_in_one_write)
{
	g_autoptr(RbDaoStream) reference_stream = rb_stream_new(RB_MMC_DBT_RAW_PW);
	g_autoptr(RbDaoStream) stream = rb_stream_new(rb_fault_cases[_i].block_type);
	g_autoptr(RbVdrive) reference_drive = rb_vdrive_test_new_raw(RB_MMC_DBT_RAW_PW);
	g_autoptr(RbVdrive) drive = rb_vdrive_test_new_raw(rb_fault_cases[_i].block_type);
	g_autoptr(GBytes) reference = NULL;
	g_autoptr(GBytes) image = NULL;
	gint32 corrupt_lba = rb_fault_cases[_i].corrupt_lba;
	gint32 bad_q_lba = rb_fault_cases[_i].bad_q_lba;
	const guint8 *expected;
	const guint8 *got;
	gsize len;
	RbVdriveFaults faults;
	RbVdriveReport report;

	rb_vdrive_faults_init(&faults);
	faults.corrupt_at_lba = corrupt_lba;
	faults.bad_q_crc_at_lba = bad_q_lba;
	rb_vdrive_set_faults(drive, &faults);
	reference = rb_record_and_export(reference_drive, reference_stream, 26);
	image = rb_record_and_export(drive, stream, rb_fault_cases[_i].chunk);

	expected = g_bytes_get_data(reference, &len);
	got = g_bytes_get_data(image, NULL);
	ck_assert_uint_eq(g_bytes_get_size(image), len);
	ck_assert_uint_eq(len, (gsize)rb_dao_stream_get_n_sectors(stream) * RB_STORED);
	for (gsize sector = 0; sector < len / RB_STORED; sector++) {
		gint32 lba = (gint32)sector - 11634;
		guint8 want[RB_STORED];

		memcpy(want, expected + sector * RB_STORED, RB_STORED);
		if (lba == corrupt_lba)
			want[RB_CORRUPT_BYTE] ^= 0xFF;
		if (lba == bad_q_lba)
			want[RB_BAD_Q_BYTE] ^= RB_BAD_Q_BIT;
		ck_assert_msg(memcmp(got + sector * RB_STORED, want, RB_STORED) == 0,
			      "LBA %d stored differently",
			      lba);
	}
	/* judged as sent: the faults are on the disc, not in the stream */
	rb_report(drive, &report);
	ck_assert_uint_eq(report.bad_q_crc, 0);
	ck_assert(report.complete);
}
END_TEST

/* a test write judges every sector and records none, faults or not */
START_TEST(test_vdrive_store_test_write_records_nothing)
{
	for (guint i = 0; i < 2; i++) {
		guint8 block_type = i == 0 ? RB_MMC_DBT_RAW_PW : RB_MMC_DBT_RAW_PQ;
		g_autoptr(RbDaoStream) stream = rb_stream_new(block_type);
		g_autoptr(RbVdrive) drive = rb_vdrive_test_new_raw(block_type);
		const guint8 page05_test_write[] = {0x05, 0x32, 0x50 | RB_MMC_WRITE_TYPE_RAW};
		guint8 select[10] = {RB_MMC_MODE_SELECT_10, 0x10, 0, 0, 0, 0, 0, 0, 8 + 2 + 0x32};
		guint8 sense[10] = {RB_MMC_MODE_SENSE_10, 0, 0x05, 0, 0, 0, 0, 0, 255};
		guint8 buf[255] = {0};
		guint8 list[8 + 2 + 0x32] = {0};
		g_autoptr(GError) error = NULL;
		g_autofree gchar *path = NULL;
		RbVdriveFaults faults;
		RbVdriveReport report;
		gint fd;

		rb_assert_good(
			rb_cmd(drive, sense, sizeof(sense), RB_MMC_DIR_IN, buf, sizeof(buf)));
		memcpy(list + 8, buf + 8, 2 + 0x32);
		memcpy(list + 8, page05_test_write, sizeof(page05_test_write));
		rb_assert_good(
			rb_cmd(drive, select, sizeof(select), RB_MMC_DIR_OUT, list, sizeof(list)));
		rb_vdrive_faults_init(&faults);
		faults.corrupt_at_lba = -100;
		rb_vdrive_set_faults(drive, &faults);
		for (gint32 lba = -11634; lba < rb_dao_stream_get_end_lba(stream);) {
			guint n = (guint)MIN(40, rb_dao_stream_get_end_lba(stream) - lba);
			rb_assert_good(rb_write_range(drive, stream, lba, n));
			lba += (gint32)n;
		}
		rb_assert_good(rb_sync_cache(drive));
		rb_report(drive, &report);
		ck_assert(report.test_write);
		ck_assert_uint_eq(report.sectors_written, rb_dao_stream_get_n_sectors(stream));
		/* the first pregap and the two tracks */
		ck_assert_uint_eq(report.program_sectors, 150 + 500);
		ck_assert_uint_eq(report.bad_q_crc, 0);
		/* the disc stayed blank: nothing to export */
		fd = g_file_open_tmp("rawburn-store-XXXXXX", &path, &error);
		ck_assert_int_ge(fd, 0);
		g_unlink(path);
		ck_assert(!rb_vdrive_export_image(drive, fd, &error));
		close(fd);
	}
}
END_TEST

/* --- real time: underruns and the finish ------------------------------------------------------ */

/* 10 blocks drain in about 3 ms at 48x: a host back after 100 ms has let
 * the buffer run dry. With BUFE the drive resumes and the recording goes
 * on; each time is counted once, however often the host asks meanwhile */
START_TEST(test_vdrive_underruns_counted_with_bufe)
{
	g_autoptr(RbVdrive) drive = rb_vdrive_test_new_raw_spec(
		"media=cd-r-80,speed=48,realtime=true", RB_MMC_DBT_RAW_PW, TRUE);
	g_autoptr(RbDaoStream) stream = rb_stream_new(RB_MMC_DBT_RAW_PW);
	RbVdriveReport report;

	rb_assert_good(rb_write_range(drive, stream, -11634, 10));
	g_usleep(100 * 1000);
	rb_assert_good(rb_read_buffer_capacity(drive));
	rb_assert_good(rb_read_buffer_capacity(drive));
	rb_assert_good(rb_write_range(drive, stream, -11624, 10));
	g_usleep(100 * 1000);
	rb_assert_good(rb_write_range(drive, stream, -11614, 10));
	rb_report(drive, &report);
	ck_assert_uint_eq(report.underruns, 2);
	ck_assert_uint_eq(report.sectors_written, 30);
	/* running dry after the last WRITE is the end of the recording, even
	 * when the host asks for the buffer's state before it finishes */
	g_usleep(100 * 1000);
	rb_assert_good(rb_read_buffer_capacity(drive));
	rb_vdrive_set_finishing_ms(drive, 0);
	rb_assert_good(rb_sync_cache(drive));
	rb_report(drive, &report);
	ck_assert_uint_eq(report.underruns, 2);
	/* an empty buffer and no settling asked: ready at once */
	rb_assert_good(rb_tur(drive));
}
END_TEST

/* without BUFE the underrun ruins the recording, and is counted too */
START_TEST(test_vdrive_underrun_counted_without_bufe)
{
	g_autoptr(RbVdrive) drive = rb_vdrive_test_new_raw_spec(
		"media=cd-r-80,speed=48,realtime=true", RB_MMC_DBT_RAW_PW, FALSE);
	g_autoptr(RbDaoStream) stream = rb_stream_new(RB_MMC_DBT_RAW_PW);
	RbVdriveReport report;

	rb_assert_good(rb_write_range(drive, stream, -11634, 10));
	g_usleep(100 * 1000);
	rb_assert_sense(
		rb_write_range(drive, stream, -11624, 10), RB_SENSE_MEDIUM_ERROR, 0x0C, 0x09);
	rb_report(drive, &report);
	ck_assert_uint_eq(report.underruns, 1);
}
END_TEST

/* a host that keeps the buffer filled never underruns; the drive then
 * needs the time to write out what its buffer holds: at 1x, the 1.9 MB
 * sent here take about 10 s, so it is still busy right after the finish */
START_TEST(test_vdrive_fed_recording_no_underrun)
{
	g_autoptr(RbVdrive) drive = rb_vdrive_test_new_raw_spec(
		"media=cd-r-80,speed=1,realtime=true", RB_MMC_DBT_RAW_PW, TRUE);
	g_autoptr(RbDaoStream) stream = rb_stream_new(RB_MMC_DBT_RAW_PW);
	RbVdriveReport report;
	RbCommand cmd;

	for (gint32 i = 0; i < 30; i++)
		rb_assert_good(rb_write_range(drive, stream, -11634 + i * 26, 26));
	rb_assert_good(rb_read_buffer_capacity(drive));
	rb_report(drive, &report);
	ck_assert_uint_eq(report.underruns, 0);
	ck_assert_uint_eq(report.sectors_written, 30 * 26);
	/* nothing but the buffer keeps it busy */
	rb_vdrive_set_finishing_ms(drive, 0);
	rb_assert_good(rb_sync_cache(drive));
	cmd = rb_tur(drive);
	rb_assert_sense(cmd, RB_SENSE_NOT_READY, 0x04, 0x08);
	ck_assert_uint_eq(cmd.result.sense[15] & 0x80, 0x80);
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("vdrive-store");
	TCase *tc = tcase_create("store");
	TCase *tc_realtime = tcase_create("realtime");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(
		tc, test_vdrive_store_faults_in_one_write, 0, G_N_ELEMENTS(rb_fault_cases));
	tcase_add_test(tc, test_vdrive_store_test_write_records_nothing);
	suite_add_tcase(suite, tc);
	tcase_add_test(tc_realtime, test_vdrive_underruns_counted_with_bufe);
	tcase_add_test(tc_realtime, test_vdrive_underrun_counted_without_bufe);
	tcase_add_test(tc_realtime, test_vdrive_fed_recording_no_underrun);
	suite_add_tcase(suite, tc_realtime);
	return rb_test_run_suite(suite);
}
