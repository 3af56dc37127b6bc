/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Discs into the emulated drive: rb_vdrive_load_disc() from a file and a
 * pipe, the round trip with rb_vdrive_export_image(), hostile images, and
 * what readers then read: the pregap of track 1 but not the lead-in, READ
 * SUB-CHANNEL, READ CAPACITY, READ(10).
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "rb-dao-stream.h"
#include "rb-error.h"
#include "rb-subchannel.h"
#include "rb-test-service.h"
#include "rb-vdrive-test.h"

#define RB_SPEC "media=cd-r-80,realtime=false"
/* a short lead-in is enough for a TOC: images start here */
#define RB_FIRST_LBA (-1000)
#define RB_TRACK_LENGTH 300
#define RB_SECTOR 2448

static RbCommand
rb_read_cd(RbVdrive *drive, gint32 lba, guint count, guint8 sub, guint8 *buf, gsize len)
{
	guint8 cdb[12] = {RB_MMC_READ_CD, 0};

	cdb[2] = (guint8)((guint32)lba >> 24);
	cdb[3] = (guint8)((guint32)lba >> 16);
	cdb[4] = (guint8)((guint32)lba >> 8);
	cdb[5] = (guint8)lba;
	cdb[8] = (guint8)count;
	cdb[9] = 0xF8;
	cdb[10] = sub;
	return rb_cmd(drive, cdb, sizeof(cdb), RB_MMC_DIR_IN, buf, len);
}

static gboolean
rb_main(gint32 lba, guint8 *main_data, gpointer user_data, GError **error)
{
	for (guint i = 0; i < RB_CD_MAIN_SIZE; i++)
		main_data[i] = lba >= 0 ? (guint8)(lba * 3 + i) : 0;
	return TRUE;
}

static RbDaoStream *
rb_stream_new(void)
{
	RbDaoTrack track = {0, RB_TRACK_LENGTH};
	g_autoptr(GError) error = NULL;
	RbDaoStream *stream = rb_dao_stream_new(
		RB_FIRST_LBA, &track, 1, RB_DATA_BLOCK_TYPE_RAW_PW, rb_main, NULL, NULL, &error);

	ck_assert_msg(stream != NULL, "%s", error ? error->message : "");
	return stream;
}

/* @stream's sectors in a new unlinked file, positioned at its start */
static gint
rb_image_fd(RbDaoStream *stream)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *path = NULL;
	g_autofree guint8 *buf = g_malloc(100 * RB_SECTOR);
	gint fd = g_file_open_tmp("rawburn-load-XXXXXX", &path, &error);

	ck_assert_int_ge(fd, 0);
	g_unlink(path);
	for (gint32 lba = rb_dao_stream_get_first_lba(stream);
	     lba < rb_dao_stream_get_end_lba(stream);) {
		guint n = (guint)MIN(100, rb_dao_stream_get_end_lba(stream) - lba);

		ck_assert(rb_dao_stream_get_sectors(stream, lba, n, buf, NULL));
		ck_assert_int_eq(write(fd, buf, n * RB_SECTOR), (gssize)(n * RB_SECTOR));
		lba += (gint32)n;
	}
	ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
	return fd;
}

static gint
rb_bytes_fd(gsize size)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *path = NULL;
	gint fd = g_file_open_tmp("rawburn-load-XXXXXX", &path, &error);

	ck_assert_int_ge(fd, 0);
	g_unlink(path);
	/* sparse: even a longer-than-a-CD image costs nothing */
	ck_assert_int_eq(ftruncate(fd, (off_t)size), 0);
	return fd;
}

/* feeds a pipe from another thread, as a D-Bus client would */
typedef struct {
	gint source;
	gint pipe_in;
} RbFeeder;

static gpointer
rb_feed(gpointer user_data)
{
	RbFeeder *feeder = user_data;
	guint8 buf[65536];
	gssize n;

	while ((n = read(feeder->source, buf, sizeof(buf))) > 0) {
		if (write(feeder->pipe_in, buf, (gsize)n) != n)
			break;
	}
	close(feeder->pipe_in);
	return NULL;
}

static void
rb_load_ok(RbVdrive *drive, gint fd)
{
	g_autoptr(GError) error = NULL;

	ck_assert_msg(
		rb_vdrive_load_disc(drive, fd, RB_VIRTUAL_MEDIA_CD_R_80, RB_FIRST_LBA, &error),
		"%s",
		error ? error->message : "");
}

static void
rb_read_toc0(RbVdrive *drive, guint8 *buf /* 64 */)
{
	const guint8 cdb[10] = {RB_MMC_READ_TOC_PMA_ATIP, 0, 0, 0, 0, 0, 0, 0, 64};

	memset(buf, 0, 64);
	rb_assert_good(rb_cmd(drive, cdb, sizeof(cdb), RB_MMC_DIR_IN, buf, 64));
}

/* export -> load into a new drive (through a pipe) -> the same disc */
START_TEST(test_load_round_trip)
{
	g_autoptr(RbVdrive) first = rb_vdrive_test_new(RB_SPEC);
	g_autoptr(RbVdrive) second = rb_vdrive_test_new(RB_SPEC);
	g_autoptr(RbDaoStream) stream = rb_stream_new();
	g_autoptr(GError) error = NULL;
	gint fd = rb_image_fd(stream);
	gint exported = rb_bytes_fd(0);
	gint pipe_fds[2];
	RbFeeder feeder;
	GThread *thread;
	RbVdriveReport report;
	guint8 toc_a[64], toc_b[64];
	g_autofree guint8 *a = g_malloc(3 * RB_SECTOR);
	g_autofree guint8 *b = g_malloc(3 * RB_SECTOR);
	guint8 expected[RB_SECTOR];
	const guint8 disc_info_cdb[10] = {RB_MMC_READ_DISC_INFORMATION, 0, 0, 0, 0, 0, 0, 0, 34};
	guint8 disc_info[34];
	GStatBuf st;

	rb_load_ok(first, fd);
	/* a medium was inserted: the first command hears of it */
	rb_assert_sense(rb_cmd(first, (guint8[]){0, 0, 0, 0, 0, 0}, 6, RB_MMC_DIR_NONE, NULL, 0),
			RB_SENSE_UNIT_ATTENTION,
			0x28,
			0x00);
	rb_vdrive_get_report(first, &report);
	ck_assert_uint_eq(report.sectors_written,
			  (guint64)(rb_dao_stream_get_end_lba(stream) - RB_FIRST_LBA));
	ck_assert_int_eq(report.first_lba, RB_FIRST_LBA);
	ck_assert_uint_eq(report.tracks, 1);
	ck_assert_int_eq(report.leadout_start, RB_TRACK_LENGTH);
	ck_assert(report.complete);
	ck_assert_uint_eq(report.bad_q_crc, 0);
	ck_assert_uint_eq(report.address_mismatches, 0);
	ck_assert_uint_eq(report.toc_mismatches, 0);
	rb_assert_good(
		rb_cmd(first, disc_info_cdb, 10, RB_MMC_DIR_IN, disc_info, sizeof(disc_info)));
	ck_assert_uint_eq(disc_info[2] & 0x03, 2); /* complete */

	ck_assert_msg(
		rb_vdrive_export_image(first, exported, &error), "%s", error ? error->message : "");
	ck_assert_int_eq(fstat(exported, &st), 0);
	ck_assert_int_eq(st.st_size, (goffset)report.sectors_written * RB_SECTOR);
	ck_assert_int_eq(lseek(exported, 0, SEEK_SET), 0);

	ck_assert_int_eq(pipe(pipe_fds), 0);
	feeder.source = exported;
	feeder.pipe_in = pipe_fds[1];
	thread = g_thread_new("feeder", rb_feed, &feeder);
	rb_load_ok(second, pipe_fds[0]);
	g_thread_join(thread);
	close(pipe_fds[0]);

	rb_tur(second);
	rb_read_toc0(first, toc_a);
	rb_read_toc0(second, toc_b);
	ck_assert(memcmp(toc_a, toc_b, sizeof(toc_a)) == 0);
	ck_assert_uint_eq(toc_a[3], 1); /* last track */
	for (gint32 lba = -150; lba < RB_TRACK_LENGTH; lba += 149) {
		rb_assert_good(rb_read_cd(first, lba, 3, 1, a, 3 * RB_SECTOR));
		rb_assert_good(rb_read_cd(second, lba, 3, 1, b, 3 * RB_SECTOR));
		ck_assert(memcmp(a, b, 3 * RB_SECTOR) == 0);
		ck_assert(rb_dao_stream_get_sector(stream, lba, expected, NULL));
		ck_assert(memcmp(a, expected, RB_SECTOR) == 0);
	}
	close(fd);
	close(exported);
}
END_TEST

/* READ CD returns the pregap of track 1 (-150..-1) and refuses the lead-in */
START_TEST(test_read_cd_pregap_not_leadin)
{
	g_autoptr(RbVdrive) drive = rb_vdrive_test_new(RB_SPEC);
	g_autoptr(RbDaoStream) stream = rb_stream_new();
	g_autofree guint8 *buf = g_malloc(150 * (RB_CD_MAIN_SIZE + 16));
	gint fd = rb_image_fd(stream);
	guint8 q[RB_SUBQ_SIZE];

	rb_load_ok(drive, fd);
	close(fd);
	rb_tur(drive);
	/* the whole pregap, main channel and formatted Q */
	rb_assert_good(rb_read_cd(drive, -150, 150, 2, buf, 150 * (RB_CD_MAIN_SIZE + 16)));
	for (guint i = 0; i < 150; i += 149) {
		memcpy(q, buf + i * (RB_CD_MAIN_SIZE + 16) + RB_CD_MAIN_SIZE, RB_SUBQ_SIZE);
		ck_assert_uint_eq(q[1], 0x01);                 /* track 1 */
		ck_assert_uint_eq(q[2], 0x00);                 /* index 0 */
		ck_assert_uint_eq(q[9], i == 0 ? 0x00 : 0x74); /* 00:00:00 and 00:01:74 */
	}
	rb_assert_sense(rb_read_cd(drive, -151, 1, 0, buf, RB_CD_MAIN_SIZE),
			RB_SENSE_ILLEGAL_REQUEST,
			0x21,
			0x00);
	rb_assert_sense(rb_read_cd(drive, -151, 2, 0, buf, 2 * RB_CD_MAIN_SIZE),
			RB_SENSE_ILLEGAL_REQUEST,
			0x21,
			0x00);
	rb_assert_sense(rb_read_cd(drive, RB_FIRST_LBA, 1, 0, buf, RB_CD_MAIN_SIZE),
			RB_SENSE_ILLEGAL_REQUEST,
			0x21,
			0x00);
}
END_TEST

/* READ SUB-CHANNEL, READ CAPACITY, READ(10) and REZERO UNIT on the loaded disc */
START_TEST(test_reader_commands)
{
	g_autoptr(RbVdrive) drive = rb_vdrive_test_new(RB_SPEC);
	g_autoptr(RbDaoStream) stream = rb_stream_new();
	gint fd = rb_image_fd(stream);
	guint8 buf[RB_CD_MAIN_SIZE];
	guint8 sub_cdb[10] = {RB_MMC_READ_SUB_CHANNEL, 0x02, 0x40, 0x01, 0, 0, 0, 0, 16};
	const guint8 capacity_cdb[10] = {RB_MMC_READ_CAPACITY};
	const guint8 read10_cdb[10] = {RB_MMC_READ_10, 0, 0, 0, 0, 5, 0, 0, 1};
	const guint8 rezero_cdb[6] = {RB_MMC_REZERO_UNIT};
	RbCommand cmd;

	rb_load_ok(drive, fd);
	close(fd);
	rb_tur(drive);
	rb_assert_good(rb_read_cd(drive, 10, 1, 0, buf, sizeof(buf)));

	/* the position of the last sector read, in MSF */
	memset(buf, 0xEE, sizeof(buf));
	cmd = rb_cmd(drive, sub_cdb, sizeof(sub_cdb), RB_MMC_DIR_IN, buf, 16);
	rb_assert_good(cmd);
	ck_assert_uint_eq(buf[1], 0x15); /* no audio status */
	ck_assert_uint_eq((buf[2] << 8) | buf[3], 12);
	ck_assert_uint_eq(buf[4], 0x01);
	ck_assert_uint_eq(buf[5], 0x10); /* ADR 1, CTL 0 */
	ck_assert_uint_eq(buf[6], 1);
	ck_assert_uint_eq(buf[7], 1);
	ck_assert_uint_eq(buf[10], 2); /* 00:02:10 */
	ck_assert_uint_eq(buf[11], 10);
	ck_assert_uint_eq(buf[14], 0); /* 00:00:10 into the track */
	ck_assert_uint_eq(buf[15], 10);
	/* and as LBAs */
	sub_cdb[1] = 0;
	rb_assert_good(rb_cmd(drive, sub_cdb, sizeof(sub_cdb), RB_MMC_DIR_IN, buf, 16));
	ck_assert_uint_eq(buf[11], 10);
	ck_assert_uint_eq(buf[15], 10);
	/* in the pregap the track-relative LBA is negative */
	rb_assert_good(rb_read_cd(drive, -20, 1, 0, buf, sizeof(buf)));
	rb_assert_good(rb_cmd(drive, sub_cdb, sizeof(sub_cdb), RB_MMC_DIR_IN, buf, 16));
	ck_assert_uint_eq(buf[7], 0);
	ck_assert_int_eq((gint32)((guint32)buf[12] << 24 | buf[13] << 16 | buf[14] << 8 | buf[15]),
			 -20);
	/* without SubQ only the header */
	sub_cdb[2] = 0;
	cmd = rb_cmd(drive, sub_cdb, sizeof(sub_cdb), RB_MMC_DIR_IN, buf, 16);
	rb_assert_good(cmd);
	ck_assert_uint_eq(cmd.result.residual, 12);
	/* no MCN and no ISRC on this disc: the valid bits stay clear */
	sub_cdb[2] = 0x40;
	sub_cdb[3] = 0x02;
	sub_cdb[8] = 24;
	rb_assert_good(rb_cmd(drive, sub_cdb, sizeof(sub_cdb), RB_MMC_DIR_IN, buf, 24));
	ck_assert_uint_eq(buf[4], 0x02);
	ck_assert_uint_eq(buf[8] & 0x80, 0);
	sub_cdb[3] = 0x03;
	sub_cdb[6] = 1;
	rb_assert_good(rb_cmd(drive, sub_cdb, sizeof(sub_cdb), RB_MMC_DIR_IN, buf, 24));
	ck_assert_uint_eq(buf[6], 1);
	ck_assert_uint_eq(buf[8] & 0x80, 0);
	sub_cdb[6] = 2; /* no such track */
	rb_assert_sense(rb_cmd(drive, sub_cdb, sizeof(sub_cdb), RB_MMC_DIR_IN, buf, 24),
			RB_SENSE_ILLEGAL_REQUEST,
			0x24,
			0x00);

	/* the last block before the lead-out, 2048-byte blocks */
	rb_assert_good(rb_cmd(drive, capacity_cdb, sizeof(capacity_cdb), RB_MMC_DIR_IN, buf, 8));
	ck_assert_uint_eq((buf[2] << 8) | buf[3], RB_TRACK_LENGTH - 1);
	ck_assert_uint_eq((buf[6] << 8) | buf[7], 2048);
	/* READ(10) of an audio sector is the wrong mode */
	rb_assert_sense(rb_cmd(drive, read10_cdb, sizeof(read10_cdb), RB_MMC_DIR_IN, buf, 2048),
			RB_SENSE_ILLEGAL_REQUEST,
			0x64,
			0x00);
	rb_assert_good(rb_cmd(drive, rezero_cdb, sizeof(rezero_cdb), RB_MMC_DIR_NONE, NULL, 0));
}
END_TEST

/* hostile images and bad moments: each refused with a named error, and the
 * drive's disc untouched where the input could be judged up front */
typedef enum {
	RB_HOSTILE_BAD_SIZE,
	RB_HOSTILE_BELOW_LEADIN,
	RB_HOSTILE_FIRST_LBA_ZERO,
	RB_HOSTILE_NO_PROGRAM_AREA,
	RB_HOSTILE_TOO_LONG,
	RB_HOSTILE_NO_MEDIUM_KIND,
	RB_HOSTILE_PIPE_BAD_SIZE,
	RB_HOSTILE_N,
} RbHostile;

START_TEST(test_load_hostile)
{
	g_autoptr(RbVdrive) drive = rb_vdrive_test_new(RB_SPEC);
	g_autoptr(GError) error = NULL;
	gint32 first_lba = RB_FIRST_LBA;
	RbVirtualMedia media = RB_VIRTUAL_MEDIA_CD_R_80;
	GQuark domain = G_IO_ERROR;
	gint code = G_IO_ERROR_INVALID_DATA;
	const gchar *part = NULL;
	gint fd = -1;
	gint pipe_fds[2] = {-1, -1};
	gboolean ok;

	switch ((RbHostile)_i) {
	case RB_HOSTILE_BAD_SIZE:
		fd = rb_bytes_fd(RB_SECTOR * 2000 + 5);
		part = "not a multiple of 2448";
		break;
	case RB_HOSTILE_BELOW_LEADIN:
		fd = rb_bytes_fd(RB_SECTOR * 30000);
		first_lba = -20000;
		code = G_IO_ERROR_INVALID_ARGUMENT;
		part = "LBA -20000";
		break;
	case RB_HOSTILE_FIRST_LBA_ZERO:
		fd = rb_bytes_fd(RB_SECTOR * 100);
		first_lba = 0;
		code = G_IO_ERROR_INVALID_ARGUMENT;
		part = "from -11634 to -1";
		break;
	case RB_HOSTILE_NO_PROGRAM_AREA:
		fd = rb_bytes_fd(RB_SECTOR * 1000);
		part = "no program area";
		break;
	case RB_HOSTILE_TOO_LONG:
		/* past the 80-minute medium's lead-out limit */
		fd = rb_bytes_fd((gsize)RB_SECTOR * 400000);
		code = G_IO_ERROR_NO_SPACE;
		part = "past the end of this medium";
		break;
	case RB_HOSTILE_NO_MEDIUM_KIND:
		fd = rb_bytes_fd(RB_SECTOR * 2000);
		media = RB_VIRTUAL_MEDIA_NONE;
		code = G_IO_ERROR_INVALID_ARGUMENT;
		part = "cd-r-80";
		break;
	case RB_HOSTILE_PIPE_BAD_SIZE: {
		guint8 junk[RB_SECTOR + 7];

		/* found only at the end of the input: the drive is left empty */
		memset(junk, 0, sizeof(junk));
		ck_assert_int_eq(pipe(pipe_fds), 0);
		ck_assert_int_eq(write(pipe_fds[1], junk, sizeof(junk)), (gssize)sizeof(junk));
		close(pipe_fds[1]);
		fd = pipe_fds[0];
		part = "2455 bytes long";
		break;
	}
	case RB_HOSTILE_N:
		g_assert_not_reached();
	}
	ok = rb_vdrive_load_disc(drive, fd, media, first_lba, &error);
	ck_assert(!ok);
	ck_assert_msg(g_error_matches(error, domain, code), "%s", error->message);
	ck_assert_msg(
		strstr(error->message, part) != NULL, "“%s” not in “%s”", part, error->message);
	if (_i == RB_HOSTILE_PIPE_BAD_SIZE)
		ck_assert_int_eq(rb_vdrive_get_media(drive), RB_VIRTUAL_MEDIA_NONE);
	else
		ck_assert_int_eq(rb_vdrive_get_media(drive), RB_VIRTUAL_MEDIA_CD_R_80);
	close(fd);
}
END_TEST

/* no disc goes in while one is being recorded or is locked in */
START_TEST(test_load_refused_while_busy)
{
	g_autoptr(RbVdrive) drive = rb_vdrive_test_new(RB_SPEC);
	g_autoptr(RbDaoStream) stream = rb_stream_new();
	g_autoptr(GError) error = NULL;
	const guint8 prevent[6] = {RB_MMC_PREVENT_ALLOW_MEDIUM_REMOVAL, 0, 0, 0, 1, 0};
	const guint8 allow[6] = {RB_MMC_PREVENT_ALLOW_MEDIUM_REMOVAL, 0, 0, 0, 0, 0};
	guint8 sense_page[255] = {0};
	const guint8 sense_cdb[10] = {RB_MMC_MODE_SENSE_10, 0, 0x05, 0, 0, 0, 0, 0, 255};
	guint8 select[8 + 2 + 0x32] = {0};
	guint8 select_cdb[10] = {RB_MMC_MODE_SELECT_10, 0x10, 0, 0, 0, 0, 0, 0, sizeof(select)};
	guint8 write_cdb[10] = {RB_MMC_WRITE_10};
	guint8 block[RB_SECTOR];
	gint32 leadin = rb_vdrive_get_leadin_start(drive);
	gint fd = rb_image_fd(stream);

	rb_tur(drive);
	rb_assert_good(rb_cmd(drive, prevent, 6, RB_MMC_DIR_NONE, NULL, 0));
	ck_assert(!rb_vdrive_load_disc(drive, fd, RB_VIRTUAL_MEDIA_CD_R_80, RB_FIRST_LBA, &error));
	ck_assert_msg(g_error_matches(error, RB_ERROR, RB_ERROR_LOCKED), "%s", error->message);
	ck_assert_ptr_nonnull(strstr(error->message, "release it"));
	g_clear_error(&error);
	rb_assert_good(rb_cmd(drive, allow, 6, RB_MMC_DIR_NONE, NULL, 0));

	/* a raw recording begun at the lead-in */
	rb_assert_good(rb_cmd(drive, sense_cdb, 10, RB_MMC_DIR_IN, sense_page, sizeof(sense_page)));
	memcpy(select + 8, sense_page + 8, 2 + 0x32);
	select[8] &= 0x7F;
	select[8 + 2] = RB_MMC_WRITE_TYPE_RAW;
	select[8 + 3] = 0;
	select[8 + 4] = RB_MMC_DBT_RAW_PW;
	rb_assert_good(rb_cmd(drive, select_cdb, 10, RB_MMC_DIR_OUT, select, sizeof(select)));
	memset(block, 0, sizeof(block));
	write_cdb[2] = (guint8)((guint32)leadin >> 24);
	write_cdb[3] = (guint8)((guint32)leadin >> 16);
	write_cdb[4] = (guint8)((guint32)leadin >> 8);
	write_cdb[5] = (guint8)leadin;
	write_cdb[8] = 1;
	rb_assert_good(rb_cmd(drive, write_cdb, 10, RB_MMC_DIR_OUT, block, sizeof(block)));
	ck_assert(!rb_vdrive_load_disc(drive, fd, RB_VIRTUAL_MEDIA_CD_R_80, RB_FIRST_LBA, &error));
	ck_assert_msg(
		g_error_matches(error, RB_ERROR, RB_ERROR_WRITE_IN_PROGRESS), "%s", error->message);
	close(fd);
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("vdrive-load");
	TCase *tc = tcase_create("load");

	tcase_set_timeout(tc, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_test(tc, test_load_round_trip);
	tcase_add_test(tc, test_read_cd_pregap_not_leadin);
	tcase_add_test(tc, test_reader_commands);
	tcase_add_loop_test(tc, test_load_hostile, 0, RB_HOSTILE_N);
	tcase_add_test(tc, test_load_refused_while_busy);
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
