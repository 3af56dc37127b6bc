/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The emulated recorder, command by command: what it answers, what it
 * refuses and how, and full raw recordings read back as a drive would.
 */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "rb-dao-stream.h"
#include "rb-msf.h"
#include "rb-scramble.h"
#include "rb-subchannel.h"
#include "rb-test-service.h"
#include "rb-vdrive-test.h"

#define RB_PAGE05_SELECT_LEN (8 + 2 + 0x32)

/* the first command after a medium change reports it */
static void
rb_clear_unit_attention(RbVdrive *drive)
{
	RbCommand cmd = rb_tur(drive);
	if (cmd.result.status != RB_SCSI_STATUS_GOOD)
		rb_assert_sense(cmd, RB_SENSE_UNIT_ATTENTION, 0x28, 0x00);
}

static void
rb_mode_sense_05(RbVdrive *drive, guint8 pc, guint8 *page_out)
{
	guint8 cdb[10] = {RB_MMC_MODE_SENSE_10, 0, (guint8)((pc << 6) | 0x05), 0, 0, 0, 0, 0, 255};
	guint8 buf[255] = {0};
	RbCommand cmd = rb_cmd(drive, cdb, sizeof(cdb), RB_MMC_DIR_IN, buf, sizeof(buf));

	rb_assert_good(cmd);
	ck_assert_uint_eq((buf[6] << 8) | buf[7], 0); /* block descriptor length */
	ck_assert_uint_eq((buf[0] << 8) | buf[1], 8 + 2 + 0x32 - 2);
	ck_assert_uint_eq(cmd.result.residual, sizeof(buf) - (8 + 2 + 0x32));
	memcpy(page_out, buf + 8, 2 + 0x32);
}

static RbCommand
rb_mode_select_05(RbVdrive *drive, const guint8 *page, gsize page_len)
{
	guint8 cdb[10] = {RB_MMC_MODE_SELECT_10, 0x10};
	guint8 list[8 + 256] = {0};

	memcpy(list + 8, page, page_len);
	cdb[7] = (guint8)((8 + page_len) >> 8);
	cdb[8] = (guint8)(8 + page_len);
	return rb_cmd(drive, cdb, sizeof(cdb), RB_MMC_DIR_OUT, list, 8 + page_len);
}

/* page 05h as a raw writer sets it: write type 3, the block type, BUFE */
static void
rb_select_raw(RbVdrive *drive, guint8 block_type, gboolean bufe, gboolean test_write)
{
	guint8 page[2 + 0x32];

	rb_mode_sense_05(drive, 0, page);
	page[0] &= 0x7F;
	page[2] = (guint8)((bufe ? 0x40 : 0) | (test_write ? 0x10 : 0) | RB_MMC_WRITE_TYPE_RAW);
	page[3] = 0;
	page[4] = block_type;
	rb_assert_good(rb_mode_select_05(drive, page, sizeof(page)));
}

static RbCommand
rb_sync_cache(RbVdrive *drive, gboolean immediate)
{
	const guint8 cdb[10] = {RB_MMC_SYNCHRONIZE_CACHE, immediate ? 0x02 : 0x00};
	return rb_cmd(drive, cdb, sizeof(cdb), RB_MMC_DIR_NONE, NULL, 0);
}

/* program-area main channel: a pattern that depends on the LBA */
static gboolean
rb_pattern_main(gint32 lba, guint8 *main_data, gpointer user_data, GError **error)
{
	for (guint i = 0; i < RB_CD_MAIN_SIZE; i++)
		main_data[i] = (guint8)(lba * 7 + i);
	return TRUE;
}

/* Mode 1 data sectors, scrambled as a raw writer sends them */
static gboolean
rb_data_main(gint32 lba, guint8 *main_data, gpointer user_data, GError **error)
{
	rb_pattern_main(lba, main_data, NULL, NULL);
	rb_scramble_set_sync(main_data);
	main_data[15] = 0x01;
	rb_scramble_sector(main_data);
	return TRUE;
}

static RbDaoStream *
rb_stream_new(gint32 leadin, guint block_type, RbDaoStreamMainFunc main_func)
{
	const RbDaoTrack tracks[] = {{0, 300}, {300, 200}};
	g_autoptr(GError) error = NULL;
	RbDaoStream *stream = rb_dao_stream_new(
		leadin, tracks, G_N_ELEMENTS(tracks), block_type, main_func, NULL, NULL, &error);

	ck_assert_msg(stream != NULL, "%s", error ? error->message : "");
	return stream;
}

/* the Q of every track sector (pregaps too) of a P-W @buf says data track,
 * as a Mode 1 track's does: a drive descrambles by the track's mode */
static void
rb_mark_data_track(guint8 *buf, guint n, gsize sector_size)
{
	for (guint i = 0; i < n; i++) {
		guint8 *pw = buf + (gsize)i * sector_size + RB_CD_MAIN_SIZE;
		guint8 q[RB_SUBQ_SIZE];

		rb_subchannel_pw_get_q(pw, q);
		if (q[1] == RB_SUBQ_TNO_LEADIN || q[1] == RB_SUBQ_TNO_LEADOUT)
			continue;
		q[0] |= 0x40;
		rb_subq_set_crc(q);
		rb_subchannel_pw_build(q, rb_subchannel_pw_get_p(pw), pw);
	}
}

/* writes the whole stream in WRITE(10)s of @chunk blocks, its tracks data
 * tracks with @data (P-W only); returns the first failure */
static RbCommand
rb_record_as(RbVdrive *drive, RbDaoStream *stream, guint chunk, gboolean data)
{
	gsize sector_size = rb_dao_stream_get_sector_size(stream);
	g_autofree guint8 *buf = g_malloc(chunk * sector_size);
	gint32 end = rb_dao_stream_get_end_lba(stream);
	RbCommand cmd = {0};

	for (gint32 lba = rb_dao_stream_get_first_lba(stream); lba < end;) {
		guint n = (guint)MIN((gint32)chunk, end - lba);
		ck_assert(rb_dao_stream_get_sectors(stream, lba, n, buf, NULL));
		if (data)
			rb_mark_data_track(buf, n, sector_size);
		cmd = rb_write(drive, lba, (guint16)n, buf, n * sector_size);
		if (cmd.result.status == RB_SCSI_STATUS_CHECK_CONDITION &&
		    (cmd.result.sense[2] & 0x0F) == RB_SENSE_NOT_READY &&
		    cmd.result.sense[12] == 0x04 && cmd.result.sense[13] == 0x08) {
			g_usleep(2000); /* buffer full: try the same command again */
			continue;
		}
		if (!cmd.completed || cmd.result.status != RB_SCSI_STATUS_GOOD)
			return cmd;
		lba += (gint32)n;
	}
	return cmd;
}

static RbCommand
rb_record(RbVdrive *drive, RbDaoStream *stream, guint chunk)
{
	return rb_record_as(drive, stream, chunk, FALSE);
}

/* --- identity ----------------------------------------------------------------- */

START_TEST(test_vdrive_inquiry)
{
	g_autoptr(RbVdrive) drive = rb_vdrive_test_new("media=cd-r-80,name=Lab drive");
	const guint8 cdb[6] = {RB_MMC_INQUIRY, 0, 0, 0, 96};
	const guint8 evpd[6] = {RB_MMC_INQUIRY, 1, 0x80, 0, 96};
	guint8 buf[96];
	RbCommand cmd = rb_cmd(drive, cdb, sizeof(cdb), RB_MMC_DIR_IN, buf, sizeof(buf));

	rb_assert_good(cmd);
	ck_assert_uint_eq(buf[0], 0x05);
	ck_assert_uint_eq(buf[1], 0x80);
	ck_assert(memcmp(buf + 8, "RAWBURN ", 8) == 0);
	ck_assert(memcmp(buf + 16, "Lab drive       ", 16) == 0);
	ck_assert_uint_eq(cmd.result.residual, 96 - 36);
	rb_assert_sense(rb_cmd(drive, evpd, sizeof(evpd), RB_MMC_DIR_IN, buf, sizeof(buf)),
			RB_SENSE_ILLEGAL_REQUEST,
			0x24,
			0x00);
}
END_TEST

START_TEST(test_vdrive_unknown_and_short_commands)
{
	g_autoptr(RbVdrive) drive = rb_vdrive_test_new("media=cd-r-80");
	const guint8 vendor[10] = {0xD8};
	const guint8 short_write[6] = {RB_MMC_WRITE_10};

	rb_assert_sense(rb_cmd(drive, vendor, sizeof(vendor), RB_MMC_DIR_NONE, NULL, 0),
			RB_SENSE_ILLEGAL_REQUEST,
			0x20,
			0x00);
	rb_assert_sense(rb_cmd(drive, short_write, sizeof(short_write), RB_MMC_DIR_NONE, NULL, 0),
			RB_SENSE_ILLEGAL_REQUEST,
			0x20,
			0x00);
}
END_TEST

START_TEST(test_vdrive_media_states)
{
	g_autoptr(RbVdrive) drive = rb_vdrive_test_new("media=none");
	g_autoptr(GError) error = NULL;

	rb_assert_sense(rb_tur(drive), RB_SENSE_NOT_READY, 0x3A, 0x01);
	ck_assert(rb_vdrive_insert_media(drive, RB_VIRTUAL_MEDIA_CD_RW_74, &error));
	rb_assert_sense(rb_tur(drive), RB_SENSE_UNIT_ATTENTION, 0x28, 0x00);
	rb_assert_good(rb_tur(drive));
	ck_assert(rb_vdrive_remove_media(drive, &error));
	rb_assert_sense(rb_tur(drive), RB_SENSE_NOT_READY, 0x3A, 0x01);
	ck_assert(!rb_vdrive_insert_media(drive, RB_VIRTUAL_MEDIA_NONE, &error));
}
END_TEST

START_TEST(test_vdrive_configuration)
{
	g_autoptr(RbVdrive) drive = rb_vdrive_test_new("media=cd-rw-80");
	const guint8 all[10] = {RB_MMC_GET_CONFIGURATION, 0, 0, 0, 0, 0, 0, 0x04, 0x00};
	const guint8 one[10] = {RB_MMC_GET_CONFIGURATION, 2, 0x00, 0x2E, 0, 0, 0, 0, 64};
	guint8 buf[1024];
	RbCommand cmd;
	gsize total;
	gboolean saw_mastering = FALSE;

	rb_clear_unit_attention(drive);
	cmd = rb_cmd(drive, all, sizeof(all), RB_MMC_DIR_IN, buf, sizeof(buf));
	rb_assert_good(cmd);
	ck_assert_uint_eq((buf[6] << 8) | buf[7], RB_MMC_PROFILE_CD_RW);
	total = ((gsize)buf[0] << 24 | (gsize)buf[1] << 16 | (gsize)buf[2] << 8 | buf[3]) + 4;
	ck_assert_uint_eq(total, sizeof(buf) - cmd.result.residual);
	for (gsize off = 8; off < total; off += 4 + buf[off + 3]) {
		guint16 code = (guint16)((buf[off] << 8) | buf[off + 1]);
		if (code == RB_MMC_FEATURE_CD_MASTERING) {
			saw_mastering = TRUE;
			ck_assert_uint_eq(buf[off + 2] & 0x01, 1);    /* current on a blank */
			ck_assert_uint_eq(buf[off + 4] & 0x08, 0x08); /* Raw */
			ck_assert_uint_eq(buf[off + 4] & 0x40, 0x40); /* BUF */
			ck_assert_uint_eq(buf[off + 4] & 0x20, 0);    /* no SAO: not emulated */
		}
	}
	ck_assert(saw_mastering);

	cmd = rb_cmd(drive, one, sizeof(one), RB_MMC_DIR_IN, buf, 64);
	rb_assert_good(cmd);
	ck_assert_uint_eq(buf[3], 4 + 4 + 4); /* header and one descriptor */
	ck_assert_uint_eq((buf[8] << 8) | buf[9], 0x002E);
}
END_TEST

/* --- mode pages --------------------------------------------------------------- */

START_TEST(test_vdrive_mode_pages)
{
	g_autoptr(RbVdrive) drive = rb_vdrive_test_new("media=cd-r-80");
	guint8 page[2 + 0x32];
	guint8 changeable[2 + 0x32];
	const guint8 saved[10] = {RB_MMC_MODE_SENSE_10, 0, (3 << 6) | 0x05, 0, 0, 0, 0, 0, 255};
	const guint8 caps[10] = {RB_MMC_MODE_SENSE_10, 0, 0x2A, 0, 0, 0, 0, 0, 255};
	guint8 buf[255];

	rb_mode_sense_05(drive, 0, page);
	ck_assert_uint_eq(page[0], 0x05);
	ck_assert_uint_eq(page[1], 0x32);
	ck_assert_uint_eq(page[2] & 0x0F, 1); /* TAO until a writer selects raw */
	rb_mode_sense_05(drive, 1, changeable);
	ck_assert_uint_eq(changeable[2], 0x5F);
	ck_assert_uint_eq(changeable[4], 0x0F);
	rb_assert_sense(rb_cmd(drive, saved, sizeof(saved), RB_MMC_DIR_IN, buf, sizeof(buf)),
			RB_SENSE_ILLEGAL_REQUEST,
			0x39,
			0x00);
	rb_assert_good(rb_cmd(drive, caps, sizeof(caps), RB_MMC_DIR_IN, buf, sizeof(buf)));
	ck_assert_uint_eq(buf[8], 0x2A);
	ck_assert_uint_eq(buf[8 + 4] & 0x80, 0x80); /* BUF */
	ck_assert_uint_eq(buf[8 + 3] & 0x03, 0x03); /* writes CD-R and CD-RW */
}
END_TEST

typedef struct {
	const gchar *what;
	guint8 offset;
	guint8 value;
	guint8 asc;
	guint8 ascq;
} RbBadPage;

static const RbBadPage rb_bad_pages[] = {
	{"PS bit set", 0, 0x85, 0x26, 0x00},
	{"wrong page length", 1, 0x30, 0x26, 0x00},
	{"raw with DBT 0", 4, 0x00, 0x26, 0x02},
	{"raw with DBT 8", 4, 0x08, 0x26, 0x02},
	{"write type 4", 2, 0x04, 0x26, 0x02},
	{"raw multi-session", 3, 0xC0, 0x26, 0x02},
};

START_TEST(test_vdrive_mode_select_refused)
{
	const RbBadPage *bad = &rb_bad_pages[_i];
	g_autoptr(RbVdrive) drive = rb_vdrive_test_new("media=cd-r-80");
	guint8 page[2 + 0x32];

	rb_mode_sense_05(drive, 0, page);
	page[2] = RB_MMC_WRITE_TYPE_RAW;
	page[3] = 0;
	page[4] = RB_MMC_DBT_RAW_PW;
	page[bad->offset] = bad->value;
	rb_assert_sense(rb_mode_select_05(drive, page, sizeof(page)),
			RB_SENSE_ILLEGAL_REQUEST,
			bad->asc,
			bad->ascq);
}
END_TEST

START_TEST(test_vdrive_mode_select_header_rules)
{
	g_autoptr(RbVdrive) drive = rb_vdrive_test_new("media=cd-r-80");
	guint8 page[2 + 0x32];
	guint8 list[RB_PAGE05_SELECT_LEN] = {0};
	guint8 cdb[10] = {RB_MMC_MODE_SELECT_10, 0x10, 0, 0, 0, 0, 0, 0, RB_PAGE05_SELECT_LEN};

	rb_mode_sense_05(drive, 0, page);
	memcpy(list + 8, page, sizeof(page));
	/* a block descriptor length: none allowed on MMC */
	list[7] = 8;
	rb_assert_sense(rb_cmd(drive, cdb, sizeof(cdb), RB_MMC_DIR_OUT, list, sizeof(list)),
			RB_SENSE_ILLEGAL_REQUEST,
			0x26,
			0x00);
	list[7] = 0;
	/* PF clear */
	cdb[1] = 0x00;
	rb_assert_sense(rb_cmd(drive, cdb, sizeof(cdb), RB_MMC_DIR_OUT, list, sizeof(list)),
			RB_SENSE_ILLEGAL_REQUEST,
			0x24,
			0x00);
	/* save pages */
	cdb[1] = 0x11;
	rb_assert_sense(rb_cmd(drive, cdb, sizeof(cdb), RB_MMC_DIR_OUT, list, sizeof(list)),
			RB_SENSE_ILLEGAL_REQUEST,
			0x24,
			0x00);
	/* the parameter list length must be what is sent */
	cdb[1] = 0x10;
	cdb[8] = RB_PAGE05_SELECT_LEN - 1;
	rb_assert_sense(rb_cmd(drive, cdb, sizeof(cdb), RB_MMC_DIR_OUT, list, sizeof(list)),
			RB_SENSE_ILLEGAL_REQUEST,
			0x1A,
			0x00);
	/* and the unchanged page goes back in */
	cdb[8] = RB_PAGE05_SELECT_LEN;
	rb_assert_good(rb_cmd(drive, cdb, sizeof(cdb), RB_MMC_DIR_OUT, list, sizeof(list)));
}
END_TEST

/* --- ATIP and disc information -------------------------------------------------- */

typedef struct {
	const gchar *spec;
	gint32 leadin;
	gint32 last_leadout;
	gboolean rewritable;
} RbAtipCase;

static const RbAtipCase rb_atip_cases[] = {
	{"media=cd-r-74", -11625, 332850, FALSE},
	{"media=cd-r-80", -11634, 359849, FALSE},
	{"media=cd-rw-74", -12525, 332850, TRUE},
	{"media=cd-rw-80", -11077, 359849, TRUE},
};

START_TEST(test_vdrive_atip_and_disc_info)
{
	const RbAtipCase *atip = &rb_atip_cases[_i];
	g_autoptr(RbVdrive) drive = rb_vdrive_test_new(atip->spec);
	const guint8 toc4[10] = {RB_MMC_READ_TOC_PMA_ATIP, 0, 4, 0, 0, 0, 0, 0, 28};
	const guint8 toc0[10] = {RB_MMC_READ_TOC_PMA_ATIP, 0, 0, 0, 0, 0, 0, 0, 100};
	const guint8 disc_info[10] = {RB_MMC_READ_DISC_INFORMATION, 0, 0, 0, 0, 0, 0, 0, 34};
	guint8 buf[100];
	RbMsf leadin;
	RbMsf leadout;

	rb_clear_unit_attention(drive);
	rb_assert_good(rb_cmd(drive, toc4, sizeof(toc4), RB_MMC_DIR_IN, buf, 28));
	ck_assert_uint_eq((buf[0] << 8) | buf[1], 26);
	ck_assert_uint_eq((buf[6] & 0x40) != 0, atip->rewritable);
	leadin = (RbMsf){buf[8], buf[9], buf[10]};
	leadout = (RbMsf){buf[12], buf[13], buf[14]};
	ck_assert_int_eq(rb_msf_to_lba(leadin), atip->leadin);
	ck_assert_int_eq(rb_msf_to_lba(leadout), atip->last_leadout);
	ck_assert_int_eq(rb_vdrive_get_leadin_start(drive), atip->leadin);

	/* READ DISC INFORMATION must report the same lead-in as the ATIP */
	rb_assert_good(rb_cmd(drive, disc_info, sizeof(disc_info), RB_MMC_DIR_IN, buf, 34));
	ck_assert_uint_eq(buf[2] & 0x03, 0); /* blank */
	ck_assert_uint_eq((buf[2] & 0x10) != 0, atip->rewritable);
	ck_assert_int_eq(rb_msf_to_lba((RbMsf){buf[17], buf[18], buf[19]}), atip->leadin);
	ck_assert_int_eq(rb_msf_to_lba((RbMsf){buf[21], buf[22], buf[23]}), atip->last_leadout);

	/* a blank disc has no TOC */
	rb_assert_sense(rb_cmd(drive, toc0, sizeof(toc0), RB_MMC_DIR_IN, buf, sizeof(buf)),
			RB_SENSE_ILLEGAL_REQUEST,
			0x24,
			0x00);
}
END_TEST

/* --- recording rules ---------------------------------------------------------------- */

START_TEST(test_vdrive_write_before_mode_select)
{
	g_autoptr(RbVdrive) drive = rb_vdrive_test_new("media=cd-r-80,realtime=false");
	g_autofree guint8 *block = g_malloc0(2448);

	rb_clear_unit_attention(drive);
	rb_assert_sense(
		rb_write(drive, -11634, 1, block, 2448), RB_SENSE_ILLEGAL_REQUEST, 0x2C, 0x00);
}
END_TEST

START_TEST(test_vdrive_write_addresses)
{
	g_autoptr(RbVdrive) drive = rb_vdrive_test_new("media=cd-r-80,realtime=false");
	g_autoptr(RbDaoStream) stream = rb_stream_new(-11634, RB_MMC_DBT_RAW_PW, rb_pattern_main);
	g_autofree guint8 *blocks = g_malloc0(4 * 2448);

	rb_clear_unit_attention(drive);
	rb_select_raw(drive, RB_MMC_DBT_RAW_PW, TRUE, FALSE);
	/* not at the lead-in start */
	rb_assert_sense(
		rb_write(drive, -11633, 1, blocks, 2448), RB_SENSE_ILLEGAL_REQUEST, 0x21, 0x02);
	rb_assert_sense(
		rb_write(drive, -150, 1, blocks, 2448), RB_SENSE_ILLEGAL_REQUEST, 0x21, 0x02);
	/* a transfer that is not blocks x 2448 */
	rb_assert_sense(
		rb_write(drive, -11634, 2, blocks, 2448), RB_SENSE_ILLEGAL_REQUEST, 0x24, 0x00);
	ck_assert(rb_dao_stream_get_sectors(stream, -11634, 4, blocks, NULL));
	rb_assert_good(rb_write(drive, -11634, 2, blocks, 2 * 2448));
	/* a gap, and going back */
	rb_assert_sense(
		rb_write(drive, -11631, 1, blocks, 2448), RB_SENSE_ILLEGAL_REQUEST, 0x21, 0x02);
	rb_assert_sense(
		rb_write(drive, -11634, 1, blocks, 2448), RB_SENSE_ILLEGAL_REQUEST, 0x21, 0x02);
	rb_assert_good(rb_write(drive, -11632, 2, blocks + 2 * 2448, 2 * 2448));
}
END_TEST

START_TEST(test_vdrive_write_past_capacity)
{
	g_autoptr(RbVdrive) drive = rb_vdrive_test_new("media=cd-r-80,realtime=false");
	RbVdriveReport report;

	rb_clear_unit_attention(drive);
	rb_select_raw(drive, RB_MMC_DBT_RAW_PW, TRUE, FALSE);
	/* the lead-out may start at most at the ATIP's last possible start */
	ck_assert_int_eq(rb_vdrive_get_last_leadout_start(drive) + 6750, 359849 + 6750);
	rb_vdrive_get_report(drive, &report);
	ck_assert_uint_eq(report.sectors_written, 0);
}
END_TEST

/* the judge's counters (tests/test-vdrive-judge.c makes each of them count) */
static void
rb_assert_judge_clean(const RbVdriveReport *report)
{
	ck_assert_uint_eq(report->relative_time_mismatches, 0);
	ck_assert_uint_eq(report->sequence_errors, 0);
	ck_assert_uint_eq(report->p_channel_mismatches, 0);
	ck_assert_uint_eq(report->mcn_isrc_frames, 0);
	ck_assert_uint_eq(report->mcn_isrc_errors, 0);
	ck_assert_uint_eq(report->cdtext_packs, 0);
	ck_assert_uint_eq(report->cdtext_crc_errors, 0);
}

static void
rb_assert_clean(const RbVdriveReport *report, guint tracks)
{
	ck_assert_uint_eq(report->bad_q_crc, 0);
	ck_assert_uint_eq(report->address_mismatches, 0);
	ck_assert_uint_eq(report->toc_mismatches, 0);
	ck_assert_uint_eq(report->toc_short_runs, 0);
	ck_assert_uint_eq(report->n_problems, 0);
	ck_assert_uint_eq(report->tracks, tracks);
	ck_assert_uint_eq(report->toc_entries, tracks + 3);
	ck_assert(report->complete);
	rb_assert_judge_clean(report);
}

typedef struct {
	const gchar *spec;
	guint8 block_type;
	guint chunk;
} RbRecordingCase;

static const RbRecordingCase rb_recording_cases[] = {
	{"media=cd-r-80,realtime=false", RB_MMC_DBT_RAW_PW, 26},
	{"media=cd-rw-74,realtime=false", RB_MMC_DBT_RAW_PW_PACKED, 13},
	{"media=cd-r-74,realtime=false", RB_MMC_DBT_RAW_PQ, 27},
};

/* a whole disc, then READ DISC INFORMATION, READ TOC and READ CD as a reader sees them */
START_TEST(test_vdrive_full_recording)
{
	const RbRecordingCase *rc = &rb_recording_cases[_i];
	g_autoptr(RbVdrive) drive = rb_vdrive_test_new(rc->spec);
	gint32 leadin = 0;
	g_autoptr(RbDaoStream) stream = NULL;
	const guint8 disc_info[10] = {RB_MMC_READ_DISC_INFORMATION, 0, 0, 0, 0, 0, 0, 0, 34};
	const guint8 toc0[10] = {RB_MMC_READ_TOC_PMA_ATIP, 0, 0, 0, 0, 0, 0, 0, 100};
	const guint8 toc2[10] = {RB_MMC_READ_TOC_PMA_ATIP, 0, 2, 0, 0, 0, 0, 0, 200};
	guint8 read_cd[12] = {RB_MMC_READ_CD, 0, 0, 0, 0x01, 0x2C, 0, 0, 2, 0xF8, 0x01};
	guint8 buf[2 * 2448];
	guint8 expected[2448];
	RbVdriveReport report;

	rb_clear_unit_attention(drive);
	leadin = rb_vdrive_get_leadin_start(drive);
	stream = rb_stream_new(leadin, rc->block_type, rb_pattern_main);
	rb_select_raw(drive, rc->block_type, TRUE, FALSE);
	rb_assert_good(rb_record(drive, stream, rc->chunk));
	rb_assert_good(rb_sync_cache(drive, FALSE));

	rb_vdrive_get_report(drive, &report);
	rb_assert_clean(&report, 2);
	ck_assert_uint_eq(report.sectors_written, rb_dao_stream_get_n_sectors(stream));
	ck_assert_uint_eq(report.leadin_sectors, (guint64)(-150 - leadin));
	ck_assert_uint_eq(report.leadout_sectors, 6750);
	ck_assert_int_eq(report.leadout_start, 500);

	rb_assert_good(rb_cmd(drive, disc_info, sizeof(disc_info), RB_MMC_DIR_IN, buf, 34));
	ck_assert_uint_eq(buf[2] & 0x03, 2); /* complete */
	ck_assert_uint_eq(buf[6], 2);        /* last track */

	rb_assert_good(rb_cmd(drive, toc0, sizeof(toc0), RB_MMC_DIR_IN, buf, 100));
	ck_assert_uint_eq((buf[0] << 8) | buf[1], 2 + 3 * 8);
	ck_assert_uint_eq(buf[2], 1);
	ck_assert_uint_eq(buf[3], 2);
	ck_assert_uint_eq(buf[4 + 2], 1);
	ck_assert_uint_eq((guint32)(buf[8] << 24 | buf[9] << 16 | buf[10] << 8 | buf[11]), 0);
	ck_assert_uint_eq(buf[12 + 2], 2);
	ck_assert_uint_eq((guint32)(buf[16] << 24 | buf[17] << 16 | buf[18] << 8 | buf[19]), 300);
	ck_assert_uint_eq(buf[20 + 2], 0xAA);
	ck_assert_uint_eq((guint32)(buf[24] << 24 | buf[25] << 16 | buf[26] << 8 | buf[27]), 500);

	rb_assert_good(rb_cmd(drive, toc2, sizeof(toc2), RB_MMC_DIR_IN, buf, 200));
	ck_assert_uint_eq((buf[0] << 8) | buf[1], 2 + 5 * 11);
	ck_assert_uint_eq(buf[4 + 3], 0xA0);
	ck_assert_uint_eq(buf[4 + 2 * 11 + 3], 0xA2);
	ck_assert_int_eq(rb_msf_to_lba((RbMsf){buf[4 + 22 + 8], buf[4 + 22 + 9], buf[4 + 22 + 10]}),
			 500);

	/* READ CD of LBA 300-301: main channel and raw P-W as written */
	rb_assert_good(rb_cmd(drive, read_cd, sizeof(read_cd), RB_MMC_DIR_IN, buf, sizeof(buf)));
	for (guint i = 0; i < 2; i++) {
		ck_assert(rb_dao_stream_get_sector(stream, 300 + (gint32)i, expected, NULL));
		ck_assert(memcmp(buf + i * 2448, expected, 2352) == 0);
		if (rc->block_type != RB_MMC_DBT_RAW_PQ)
			ck_assert(memcmp(buf + i * 2448 + 2352, expected + 2352, 96) == 0);
	}
	/* beyond what was written */
	read_cd[2] = 0x7F;
	rb_assert_sense(rb_cmd(drive, read_cd, sizeof(read_cd), RB_MMC_DIR_IN, buf, sizeof(buf)),
			RB_SENSE_ILLEGAL_REQUEST,
			0x21,
			0x00);
}
END_TEST

START_TEST(test_vdrive_export_image)
{
	g_autoptr(RbVdrive) drive = rb_vdrive_test_new("media=cd-r-80,realtime=false");
	g_autoptr(RbDaoStream) stream = rb_stream_new(-11634, RB_MMC_DBT_RAW_PW, rb_pattern_main);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *path = NULL;
	gint fd = g_file_open_tmp("rawburn-export-XXXXXX", &path, &error);
	g_autofree guint8 *image = NULL;
	gsize image_len = 0;
	guint8 expected[2448];

	ck_assert_int_ge(fd, 0);
	ck_assert(!rb_vdrive_export_image(drive, fd, &error)); /* nothing recorded yet */
	g_clear_error(&error);
	rb_clear_unit_attention(drive);
	rb_select_raw(drive, RB_MMC_DBT_RAW_PW, TRUE, FALSE);
	rb_assert_good(rb_record(drive, stream, 26));
	rb_assert_good(rb_sync_cache(drive, FALSE));
	ck_assert_msg(rb_vdrive_export_image(drive, fd, &error), "%s", error ? error->message : "");
	close(fd);
	ck_assert(g_file_get_contents(path, (gchar **)&image, &image_len, &error));
	g_unlink(path);
	ck_assert_uint_eq(image_len, (gsize)rb_dao_stream_get_n_sectors(stream) * 2448);
	for (gint32 lba = -11634; lba < rb_dao_stream_get_end_lba(stream); lba += 997) {
		ck_assert(rb_dao_stream_get_sector(stream, lba, expected, NULL));
		ck_assert(memcmp(image + (gsize)(lba + 11634) * 2448, expected, 2448) == 0);
	}
}
END_TEST

/* data sectors go in scrambled and READ CD gives them back descrambled;
 * the same bytes in an audio track come back as written */
START_TEST(test_vdrive_data_sectors_descrambled)
{
	g_autoptr(RbVdrive) drive = rb_vdrive_test_new("media=cd-r-80,realtime=false");
	g_autoptr(RbDaoStream) stream = rb_stream_new(-11634, RB_MMC_DBT_RAW_PW, rb_data_main);
	guint8 read_cd[12] = {RB_MMC_READ_CD, 0, 0, 0, 0, 10, 0, 0, 1, 0xF8, 0x00};
	guint8 user_data[12] = {RB_MMC_READ_CD, 2 << 2, 0, 0, 0, 10, 0, 0, 1, 0x10, 0x00};
	guint8 audio_read[12] = {RB_MMC_READ_CD, 1 << 2, 0, 0, 0, 10, 0, 0, 1, 0xF8, 0x00};
	guint8 buf[2352];
	guint8 expected[2352];

	rb_clear_unit_attention(drive);
	rb_select_raw(drive, RB_MMC_DBT_RAW_PW, TRUE, FALSE);
	rb_assert_good(rb_record_as(drive, stream, 26, TRUE));
	rb_assert_good(rb_sync_cache(drive, FALSE));
	rb_pattern_main(10, expected, NULL, NULL);
	rb_scramble_set_sync(expected);
	expected[15] = 0x01;
	rb_assert_good(rb_cmd(drive, read_cd, sizeof(read_cd), RB_MMC_DIR_IN, buf, sizeof(buf)));
	ck_assert(memcmp(buf, expected, 2352) == 0);
	rb_assert_good(rb_cmd(drive, user_data, sizeof(user_data), RB_MMC_DIR_IN, buf, 2048));
	ck_assert(memcmp(buf, expected + 16, 2048) == 0);
	rb_assert_sense(
		rb_cmd(drive, audio_read, sizeof(audio_read), RB_MMC_DIR_IN, buf, sizeof(buf)),
		RB_SENSE_ILLEGAL_REQUEST,
		0x64,
		0x00);

	/* an audio track's sector is never descrambled, whatever it looks like */
	{
		g_autoptr(RbVdrive) audio = rb_vdrive_test_new("media=cd-r-80,realtime=false");
		guint8 scrambled[2352];

		rb_clear_unit_attention(audio);
		rb_select_raw(audio, RB_MMC_DBT_RAW_PW, TRUE, FALSE);
		rb_assert_good(rb_record(audio, stream, 26));
		rb_assert_good(rb_sync_cache(audio, FALSE));
		rb_data_main(10, scrambled, NULL, NULL);
		rb_assert_good(
			rb_cmd(audio, read_cd, sizeof(read_cd), RB_MMC_DIR_IN, buf, sizeof(buf)));
		ck_assert(memcmp(buf, scrambled, 2352) == 0);
	}
}
END_TEST

/* --- what the validation report catches ---------------------------------------------- */

typedef enum {
	RB_CORRUPT_CRC,
	RB_CORRUPT_ABSOLUTE_TIME,
	RB_CORRUPT_A2,
} RbCorruption;

typedef struct {
	RbCorruption kind;
	gint32 at_lba;
} RbCorruptionState;

static void
rb_corrupt(guint8 *sector, gint32 lba, RbCorruption kind)
{
	guint8 q[RB_SUBQ_SIZE];

	rb_subchannel_pw_get_q(sector + 2352, q);
	switch (kind) {
	case RB_CORRUPT_CRC:
		q[11] ^= 0x01;
		break;
	case RB_CORRUPT_ABSOLUTE_TIME:
		q[9] = q[9] == 0x00 ? 0x01 : 0x00;
		rb_subq_set_crc(q);
		break;
	case RB_CORRUPT_A2:
		if (q[2] == 0xA2) {
			q[9] = q[9] == 0x00 ? 0x01 : 0x00;
			rb_subq_set_crc(q);
		}
		break;
	}
	rb_subchannel_pw_build(q, rb_subchannel_pw_get_p(sector + 2352), sector + 2352);
}

START_TEST(test_vdrive_report_catches)
{
	const RbCorruption kind = (RbCorruption)_i;
	g_autoptr(RbVdrive) drive = rb_vdrive_test_new("media=cd-r-80,realtime=false");
	g_autoptr(RbDaoStream) stream = rb_stream_new(-11634, RB_MMC_DBT_RAW_PW, rb_pattern_main);
	guint8 sector[2448];
	RbVdriveReport report;
	gint32 corrupt_lba = kind == RB_CORRUPT_A2 ? G_MININT32 : 123;

	rb_clear_unit_attention(drive);
	rb_select_raw(drive, RB_MMC_DBT_RAW_PW, TRUE, FALSE);
	for (gint32 lba = -11634; lba < rb_dao_stream_get_end_lba(stream); lba++) {
		ck_assert(rb_dao_stream_get_sector(stream, lba, sector, NULL));
		if (lba == corrupt_lba || (kind == RB_CORRUPT_A2 && lba < -150))
			rb_corrupt(sector, lba, kind);
		rb_assert_good(rb_write(drive, lba, 1, sector, sizeof(sector)));
	}
	rb_assert_good(rb_sync_cache(drive, FALSE));
	rb_vdrive_get_report(drive, &report);
	rb_assert_judge_clean(&report);
	ck_assert_uint_ge(report.n_problems, 1);
	switch (kind) {
	case RB_CORRUPT_CRC:
		ck_assert_uint_eq(report.bad_q_crc, 1);
		ck_assert_uint_eq(report.address_mismatches, 0);
		ck_assert_int_eq(report.problems[0].lba, 123);
		ck_assert_str_eq(report.problems[0].kind, "q-crc");
		break;
	case RB_CORRUPT_ABSOLUTE_TIME:
		ck_assert_uint_eq(report.bad_q_crc, 0);
		ck_assert_uint_eq(report.address_mismatches, 1);
		ck_assert_int_eq(report.problems[0].lba, 123);
		ck_assert_str_eq(report.problems[0].kind, "address");
		ck_assert_str_eq(report.problems[0].detail,
				 "absolute time 00:03:00, expected 00:03:48");
		break;
	case RB_CORRUPT_A2:
		ck_assert_uint_eq(report.bad_q_crc, 0);
		ck_assert_uint_ge(report.toc_mismatches, 1);
		/* where the lead-in first says it */
		ck_assert_int_lt(report.problems[0].lba, -150);
		ck_assert_str_eq(report.problems[0].kind, "toc");
		break;
	}
}
END_TEST

/* --- finishing, test writes, eject -------------------------------------------------------- */

/* FinishingMilliseconds plus the LongWrite fault: "long write in
 * progress" (02/04/08) with SKSV progress until then, ready after */
START_TEST(test_vdrive_sync_cache_immediate_polls)
{
	g_autoptr(RbVdrive) drive = rb_vdrive_test_new("media=cd-r-80,realtime=false");
	g_autoptr(RbDaoStream) stream = rb_stream_new(-11634, RB_MMC_DBT_RAW_PW, rb_pattern_main);
	RbVdriveFaults faults;
	RbCommand cmd;

	ck_assert_uint_eq(rb_vdrive_get_finishing_ms(drive), 0);
	rb_vdrive_set_finishing_ms(drive, 100);
	ck_assert_uint_eq(rb_vdrive_get_finishing_ms(drive), 100);
	rb_vdrive_faults_init(&faults);
	faults.long_write_ms = 200;
	rb_vdrive_set_faults(drive, &faults);
	rb_clear_unit_attention(drive);
	/* nothing recorded: nothing to flush */
	rb_assert_good(rb_sync_cache(drive, TRUE));
	rb_assert_good(rb_tur(drive));
	rb_select_raw(drive, RB_MMC_DBT_RAW_PW, TRUE, FALSE);
	rb_assert_good(rb_record(drive, stream, 26));
	rb_assert_good(rb_sync_cache(drive, TRUE));
	cmd = rb_tur(drive);
	rb_assert_sense(cmd, RB_SENSE_NOT_READY, 0x04, 0x08);
	ck_assert_uint_eq(cmd.result.sense[15] & 0x80, 0x80);
	/* 300 ms is the most it may take */
	g_usleep(320 * 1000);
	rb_assert_good(rb_tur(drive));
}
END_TEST

/* a fast drive (realtime=false) is done when SYNCHRONIZE CACHE returns */
START_TEST(test_vdrive_sync_cache_fast_drive_done_at_once)
{
	g_autoptr(RbVdrive) drive = rb_vdrive_test_new("media=cd-r-80,realtime=false");
	g_autoptr(RbVdrive) realtime = rb_vdrive_test_new("media=cd-r-80,realtime=true");
	g_autoptr(RbDaoStream) stream = rb_stream_new(-11634, RB_MMC_DBT_RAW_PW, rb_pattern_main);

	ck_assert_uint_eq(rb_vdrive_get_finishing_ms(realtime), RB_VDRIVE_FINISHING_MS_REALTIME);
	rb_clear_unit_attention(drive);
	rb_select_raw(drive, RB_MMC_DBT_RAW_PW, TRUE, FALSE);
	rb_assert_good(rb_record(drive, stream, 26));
	rb_assert_good(rb_sync_cache(drive, TRUE));
	rb_assert_good(rb_tur(drive));
}
END_TEST

START_TEST(test_vdrive_test_write_records_nothing)
{
	g_autoptr(RbVdrive) drive = rb_vdrive_test_new("media=cd-r-80,realtime=false");
	g_autoptr(RbDaoStream) stream = rb_stream_new(-11634, RB_MMC_DBT_RAW_PW, rb_pattern_main);
	const guint8 disc_info[10] = {RB_MMC_READ_DISC_INFORMATION, 0, 0, 0, 0, 0, 0, 0, 34};
	guint8 buf[34];

	rb_clear_unit_attention(drive);
	rb_select_raw(drive, RB_MMC_DBT_RAW_PW, TRUE, TRUE);
	rb_assert_good(rb_record(drive, stream, 26));
	rb_assert_good(rb_sync_cache(drive, FALSE));
	rb_assert_good(
		rb_cmd(drive, disc_info, sizeof(disc_info), RB_MMC_DIR_IN, buf, sizeof(buf)));
	ck_assert_uint_eq(buf[2] & 0x03, 0); /* still blank */
}
END_TEST

/* a real burn after a test write is judged on its own: nothing of the
 * test write (its TOC, its lead-out, its counters) is left over */
START_TEST(test_vdrive_burn_after_test_write)
{
	g_autoptr(RbVdrive) drive = rb_vdrive_test_new("media=cd-r-80,realtime=false");
	g_autoptr(RbDaoStream) stream = rb_stream_new(-11634, RB_MMC_DBT_RAW_PW, rb_pattern_main);
	RbVdriveReport report;

	rb_clear_unit_attention(drive);
	rb_select_raw(drive, RB_MMC_DBT_RAW_PW, TRUE, TRUE);
	rb_assert_good(rb_record(drive, stream, 26));
	rb_assert_good(rb_sync_cache(drive, FALSE));
	rb_select_raw(drive, RB_MMC_DBT_RAW_PW, TRUE, FALSE);
	rb_assert_good(rb_record(drive, stream, 26));
	rb_assert_good(rb_sync_cache(drive, FALSE));
	rb_vdrive_get_report(drive, &report);
	ck_assert_uint_eq(report.sectors_written, rb_dao_stream_get_n_sectors(stream));
	rb_assert_clean(&report, 2);
}
END_TEST

/* after a test write the report says so, the disc reads blank and there
 * is nothing to export */
START_TEST(test_vdrive_test_write_report)
{
	g_autoptr(RbVdrive) drive = rb_vdrive_test_new("media=cd-rw-80,realtime=false");
	g_autoptr(RbDaoStream) stream = rb_stream_new(-11077, RB_MMC_DBT_RAW_PW, rb_pattern_main);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *path = NULL;
	RbVdriveReport report;
	gint fd;

	rb_clear_unit_attention(drive);
	rb_select_raw(drive, RB_MMC_DBT_RAW_PW, TRUE, TRUE);
	rb_assert_good(rb_record(drive, stream, 26));
	rb_assert_good(rb_sync_cache(drive, FALSE));
	rb_vdrive_get_report(drive, &report);
	ck_assert(report.test_write);
	ck_assert(!report.complete);
	ck_assert_uint_eq(report.sectors_written, rb_dao_stream_get_n_sectors(stream));
	fd = g_file_open_tmp("rawburn-export-XXXXXX", &path, NULL);
	ck_assert_int_ge(fd, 0);
	ck_assert(!rb_vdrive_export_image(drive, fd, &error));
	ck_assert_msg(strstr(error->message, "simulation") != NULL, "%s", error->message);
	close(fd);
	g_unlink(path);
}
END_TEST

/*
 * A recorder without test writing (test-write=false): no Test Write bit in
 * feature 002Eh nor in page 2Ah, not changeable in page 05h, and a MODE
 * SELECT that sets it is refused with 05/26/00, as real drives without the
 * feature answer; the same page without the bit is taken.
 */
START_TEST(test_vdrive_without_test_write)
{
	g_autoptr(RbVdrive) drive =
		rb_vdrive_test_new("media=cd-r-80,realtime=false,test-write=false");
	g_autoptr(RbVdrive) with = rb_vdrive_test_new("media=cd-r-80,realtime=false");
	const guint8 one[10] = {RB_MMC_GET_CONFIGURATION, 2, 0x00, 0x2E, 0, 0, 0, 0, 64};
	const guint8 caps[10] = {RB_MMC_MODE_SENSE_10, 0, 0x2A, 0, 0, 0, 0, 0, 255};
	RbVdrive *drives[] = {drive, with};
	guint8 page[2 + 0x32];
	guint8 buf[255];

	for (guint i = 0; i < G_N_ELEMENTS(drives); i++) {
		guint8 tw = i == 0 ? 0x00 : 0x04;

		rb_clear_unit_attention(drives[i]);
		rb_assert_good(rb_cmd(drives[i], one, sizeof(one), RB_MMC_DIR_IN, buf, 64));
		ck_assert_uint_eq((buf[8] << 8) | buf[9], 0x002E);
		ck_assert_uint_eq(buf[12] & 0x04, tw);
		ck_assert_uint_eq(buf[12] & 0x08, 0x08); /* raw all the same */
		rb_assert_good(
			rb_cmd(drives[i], caps, sizeof(caps), RB_MMC_DIR_IN, buf, sizeof(buf)));
		ck_assert_uint_eq(buf[8], 0x2A);
		ck_assert_uint_eq(buf[8 + 3] & 0x04, tw);
		ck_assert_uint_eq(buf[8 + 3] & 0x03, 0x03); /* writes CD-R and CD-RW */
		rb_mode_sense_05(drives[i], 1, page);
		ck_assert_uint_eq(page[2] & 0x10, tw << 2);
	}

	rb_mode_sense_05(drive, 0, page);
	page[0] &= 0x7F;
	page[2] = 0x40 | 0x10 | RB_MMC_WRITE_TYPE_RAW;
	page[3] = 0;
	page[4] = RB_MMC_DBT_RAW_PW;
	rb_assert_sense(
		rb_mode_select_05(drive, page, sizeof(page)), RB_SENSE_ILLEGAL_REQUEST, 0x26, 0x00);
	page[2] &= (guint8)~0x10;
	rb_assert_good(rb_mode_select_05(drive, page, sizeof(page)));
	rb_mode_sense_05(drive, 0, page);
	ck_assert_uint_eq(page[2] & 0x1F, RB_MMC_WRITE_TYPE_RAW);
}
END_TEST

START_TEST(test_vdrive_eject_and_load)
{
	g_autoptr(RbVdrive) drive = rb_vdrive_test_new("media=cd-r-80,realtime=false");
	g_autoptr(RbDaoStream) stream = rb_stream_new(-11634, RB_MMC_DBT_RAW_PW, rb_pattern_main);
	const guint8 prevent[6] = {RB_MMC_PREVENT_ALLOW_MEDIUM_REMOVAL, 0, 0, 0, 1};
	const guint8 allow[6] = {RB_MMC_PREVENT_ALLOW_MEDIUM_REMOVAL};
	const guint8 eject[6] = {RB_MMC_START_STOP_UNIT, 0, 0, 0, 0x02};
	const guint8 load[6] = {RB_MMC_START_STOP_UNIT, 0, 0, 0, 0x03};
	const guint8 toc0[10] = {RB_MMC_READ_TOC_PMA_ATIP, 0, 0, 0, 0, 0, 0, 0, 100};
	guint8 buf[100];

	rb_clear_unit_attention(drive);
	rb_select_raw(drive, RB_MMC_DBT_RAW_PW, TRUE, FALSE);
	rb_assert_good(rb_record(drive, stream, 26));
	rb_assert_good(rb_sync_cache(drive, FALSE));
	rb_assert_good(rb_cmd(drive, prevent, sizeof(prevent), RB_MMC_DIR_NONE, NULL, 0));
	rb_assert_sense(rb_cmd(drive, eject, sizeof(eject), RB_MMC_DIR_NONE, NULL, 0),
			RB_SENSE_ILLEGAL_REQUEST,
			0x53,
			0x02);
	rb_assert_good(rb_cmd(drive, allow, sizeof(allow), RB_MMC_DIR_NONE, NULL, 0));
	rb_assert_good(rb_cmd(drive, eject, sizeof(eject), RB_MMC_DIR_NONE, NULL, 0));
	rb_assert_sense(rb_tur(drive), RB_SENSE_NOT_READY, 0x3A, 0x02);
	rb_assert_good(rb_cmd(drive, load, sizeof(load), RB_MMC_DIR_NONE, NULL, 0));
	rb_assert_sense(rb_tur(drive), RB_SENSE_UNIT_ATTENTION, 0x28, 0x00);
	/* the recorded disc survives the cycle */
	rb_assert_good(rb_cmd(drive, toc0, sizeof(toc0), RB_MMC_DIR_IN, buf, sizeof(buf)));
	ck_assert_uint_eq(buf[3], 2);
}
END_TEST

START_TEST(test_vdrive_blank)
{
	g_autoptr(RbVdrive) cdr = rb_vdrive_test_new("media=cd-r-80,realtime=false");
	g_autoptr(RbVdrive) cdrw = rb_vdrive_test_new("media=cd-rw-80,realtime=false");
	g_autoptr(RbDaoStream) stream = rb_stream_new(-11077, RB_MMC_DBT_RAW_PW, rb_pattern_main);
	const guint8 blank[12] = {RB_MMC_BLANK, 0x01};
	const guint8 disc_info[10] = {RB_MMC_READ_DISC_INFORMATION, 0, 0, 0, 0, 0, 0, 0, 34};
	guint8 buf[34];

	rb_clear_unit_attention(cdr);
	rb_clear_unit_attention(cdrw);
	rb_assert_sense(rb_cmd(cdr, blank, sizeof(blank), RB_MMC_DIR_NONE, NULL, 0),
			RB_SENSE_ILLEGAL_REQUEST,
			0x64,
			0x00);
	rb_select_raw(cdrw, RB_MMC_DBT_RAW_PW, TRUE, FALSE);
	rb_assert_good(rb_record(cdrw, stream, 26));
	rb_assert_good(rb_sync_cache(cdrw, FALSE));
	rb_assert_good(rb_cmd(cdrw, blank, sizeof(blank), RB_MMC_DIR_NONE, NULL, 0));
	rb_assert_good(rb_cmd(cdrw, disc_info, sizeof(disc_info), RB_MMC_DIR_IN, buf, sizeof(buf)));
	ck_assert_uint_eq(buf[2] & 0x03, 0);
	/* and it can be written again */
	rb_assert_good(rb_record(cdrw, stream, 26));
}
END_TEST

/* BLANK with Immed: a real-time drive is busy (02/04/07, with progress)
 * for as long as the sectors take at its speed, a fast one done at once;
 * the report names the blank */
START_TEST(test_vdrive_blank_immed)
{
	/* minimal at 4x: 11227 sectors at 300 a second, 37 s */
	g_autoptr(RbVdrive) slow = rb_vdrive_test_new("media=cd-rw-80,speed=4,realtime=true");
	g_autoptr(RbVdrive) fast = rb_vdrive_test_new("media=cd-rw-80,realtime=false");
	g_autoptr(RbVdrive) empty = rb_vdrive_test_new("media=none,realtime=false");
	const guint8 minimal[12] = {RB_MMC_BLANK, 0x11};
	const guint8 full[12] = {RB_MMC_BLANK, 0x10};
	RbVdriveReport report;
	RbCommand cmd;

	rb_clear_unit_attention(slow);
	rb_clear_unit_attention(fast);
	rb_assert_good(rb_cmd(slow, minimal, sizeof(minimal), RB_MMC_DIR_NONE, NULL, 0));
	cmd = rb_tur(slow);
	rb_assert_sense(cmd, RB_SENSE_NOT_READY, 0x04, 0x07);
	ck_assert_uint_eq(cmd.result.sense[15] & 0x80, 0x80); /* SKSV: progress follows */
	rb_vdrive_get_report(slow, &report);
	ck_assert_int_eq(report.last_blank, RB_VDRIVE_BLANK_MINIMAL);

	rb_assert_good(rb_cmd(fast, full, sizeof(full), RB_MMC_DIR_NONE, NULL, 0));
	rb_assert_good(rb_tur(fast));
	rb_vdrive_get_report(fast, &report);
	ck_assert_int_eq(report.last_blank, RB_VDRIVE_BLANK_FULL);
	ck_assert_uint_eq(report.sectors_written, 0);

	rb_assert_sense(rb_cmd(empty, minimal, sizeof(minimal), RB_MMC_DIR_NONE, NULL, 0),
			RB_SENSE_NOT_READY,
			0x3A,
			0x01);
}
END_TEST

/* --- speeds ------------------------------------------------------------------------------ */

START_TEST(test_vdrive_speeds)
{
	g_autoptr(RbVdrive) drive = rb_vdrive_test_new("media=cd-r-80,speed=40");
	const guint8 perf[12] = {RB_MMC_GET_PERFORMANCE, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0x03};
	guint8 set_speed[12] = {
		RB_MMC_SET_CD_SPEED, 0, 0xFF, 0xFF, 0x1B, 0x00}; /* 6912 kB/s ~ 39x */
	const guint8 caps[10] = {RB_MMC_MODE_SENSE_10, 0, 0x2A, 0, 0, 0, 0, 0, 255};
	guint8 buf[512];
	guint32 count;

	rb_clear_unit_attention(drive);
	rb_assert_good(rb_cmd(drive, perf, sizeof(perf), RB_MMC_DIR_IN, buf, sizeof(buf)));
	count = (((guint32)buf[0] << 24 | buf[1] << 16 | buf[2] << 8 | buf[3]) - 4) / 16;
	ck_assert_uint_eq(count, 7); /* 40 32 24 16 10 8 4 */
	ck_assert_uint_eq(
		(guint32)(buf[8 + 12] << 24 | buf[8 + 13] << 16 | buf[8 + 14] << 8 | buf[8 + 15]),
		7056);
	ck_assert_uint_eq((guint32)(buf[8 + 6 * 16 + 14] << 8 | buf[8 + 6 * 16 + 15]), 706);
	/* the drive rounds down to a speed it has */
	rb_assert_good(rb_cmd(drive, set_speed, sizeof(set_speed), RB_MMC_DIR_NONE, NULL, 0));
	rb_assert_good(rb_cmd(drive, caps, sizeof(caps), RB_MMC_DIR_IN, buf, sizeof(buf)));
	ck_assert_uint_eq((guint)(buf[8 + 28] << 8 | buf[8 + 29]), 5645); /* 32x */
	set_speed[4] = 0x00;
	set_speed[5] = 0x10; /* below the slowest */
	rb_assert_good(rb_cmd(drive, set_speed, sizeof(set_speed), RB_MMC_DIR_NONE, NULL, 0));
	rb_assert_good(rb_cmd(drive, caps, sizeof(caps), RB_MMC_DIR_IN, buf, sizeof(buf)));
	ck_assert_uint_eq((guint)(buf[8 + 28] << 8 | buf[8 + 29]), 706);
}
END_TEST

/* --- real time: buffer, underrun, BURN-Free --------------------------------------------------- */

static RbCommand
rb_write_stream_range(RbVdrive *drive, RbDaoStream *stream, gint32 first, guint count)
{
	g_autofree guint8 *buf = g_malloc(count * 2448);
	ck_assert(rb_dao_stream_get_sectors(stream, first, count, buf, NULL));
	return rb_write(drive, first, (guint16)count, buf, count * 2448);
}

START_TEST(test_vdrive_underrun_without_bufe)
{
	g_autoptr(RbVdrive) drive = rb_vdrive_test_new("media=cd-r-80,speed=48,realtime=true");
	g_autoptr(RbDaoStream) stream = rb_stream_new(-11634, RB_MMC_DBT_RAW_PW, rb_pattern_main);

	rb_clear_unit_attention(drive);
	rb_select_raw(drive, RB_MMC_DBT_RAW_PW, FALSE, FALSE);
	rb_assert_good(rb_write_stream_range(drive, stream, -11634, 10));
	/* 10 blocks drain in about 3 ms at 48x; the host comes back much later */
	g_usleep(100 * 1000);
	rb_assert_sense(rb_write_stream_range(drive, stream, -11624, 10),
			RB_SENSE_MEDIUM_ERROR,
			0x0C,
			0x09);
	/* the disc is lost: nothing more is accepted */
	rb_assert_sense(rb_write_stream_range(drive, stream, -11624, 10),
			RB_SENSE_MEDIUM_ERROR,
			0x0C,
			0x00);
}
END_TEST

START_TEST(test_vdrive_underrun_with_bufe_pauses)
{
	g_autoptr(RbVdrive) drive = rb_vdrive_test_new("media=cd-r-80,speed=48,realtime=true");
	g_autoptr(RbDaoStream) stream = rb_stream_new(-11634, RB_MMC_DBT_RAW_PW, rb_pattern_main);

	rb_clear_unit_attention(drive);
	rb_select_raw(drive, RB_MMC_DBT_RAW_PW, TRUE, FALSE);
	rb_assert_good(rb_write_stream_range(drive, stream, -11634, 10));
	g_usleep(100 * 1000);
	rb_assert_good(rb_write_stream_range(drive, stream, -11624, 10));
}
END_TEST

/* a full buffer holds the WRITE until there is room, as most drives do */
START_TEST(test_vdrive_buffer_full_holds_write)
{
	g_autoptr(RbVdrive) drive = rb_vdrive_test_new("media=cd-r-80,speed=4,realtime=true");
	g_autoptr(RbDaoStream) stream = rb_stream_new(-11634, RB_MMC_DBT_RAW_PW, rb_pattern_main);
	const guint8 capacity[10] = {RB_MMC_READ_BUFFER_CAPACITY, 0, 0, 0, 0, 0, 0, 0, 12};
	guint8 buf[12];
	gint32 lba = -11634;

	rb_clear_unit_attention(drive);
	rb_select_raw(drive, RB_MMC_DBT_RAW_PW, TRUE, FALSE);
	/* 2.5 MB at 4x (734 kB/s): the last writes wait for the buffer to drain */
	for (guint i = 0; i < 40; i++) {
		rb_assert_good(rb_write_stream_range(drive, stream, lba, 26));
		lba += 26;
	}
	rb_assert_good(rb_cmd(drive, capacity, sizeof(capacity), RB_MMC_DIR_IN, buf, sizeof(buf)));
	ck_assert_uint_eq((guint32)(buf[4] << 24 | buf[5] << 16 | buf[6] << 8 | buf[7]),
			  2 * 1024 * 1024);
	/* nearly full: the host has been held, not refused */
	ck_assert_uint_lt((guint32)(buf[8] << 24 | buf[9] << 16 | buf[10] << 8 | buf[11]),
			  8 * 26 * 2448);
}
END_TEST

/* --- injected faults ------------------------------------------------------------------------- */

START_TEST(test_vdrive_faults)
{
	g_autoptr(RbDaoStream) stream = rb_stream_new(-11634, RB_MMC_DBT_RAW_PW, rb_pattern_main);
	RbVdriveFaults faults;

	/* write error */
	{
		g_autoptr(RbVdrive) drive = rb_vdrive_test_new("media=cd-r-80,realtime=false");
		rb_vdrive_faults_init(&faults);
		faults.write_error_at_lba = -11600;
		rb_vdrive_set_faults(drive, &faults);
		rb_clear_unit_attention(drive);
		rb_select_raw(drive, RB_MMC_DBT_RAW_PW, TRUE, FALSE);
		rb_assert_sense(rb_record(drive, stream, 26), RB_SENSE_MEDIUM_ERROR, 0x0C, 0x00);
	}
	/* not-ready burst: the host's retries get through */
	{
		g_autoptr(RbVdrive) drive = rb_vdrive_test_new("media=cd-r-80,realtime=false");
		RbVdriveReport report;
		guint not_ready = 0;
		rb_vdrive_faults_init(&faults);
		faults.not_ready_after_lba = -1000;
		faults.not_ready_count = 5;
		rb_vdrive_set_faults(drive, &faults);
		rb_clear_unit_attention(drive);
		rb_select_raw(drive, RB_MMC_DBT_RAW_PW, TRUE, FALSE);
		for (gint32 lba = -11634; lba < rb_dao_stream_get_end_lba(stream);) {
			guint n = (guint)MIN(26, rb_dao_stream_get_end_lba(stream) - lba);
			RbCommand cmd = rb_write_stream_range(drive, stream, lba, n);
			if (cmd.result.status != RB_SCSI_STATUS_GOOD) {
				rb_assert_sense(cmd, RB_SENSE_NOT_READY, 0x04, 0x08);
				not_ready++;
				continue;
			}
			lba += (gint32)n;
		}
		ck_assert_uint_eq(not_ready, 5);
		rb_assert_good(rb_sync_cache(drive, FALSE));
		rb_vdrive_get_report(drive, &report);
		rb_assert_clean(&report, 2);
	}
	/* medium removed */
	{
		g_autoptr(RbVdrive) drive = rb_vdrive_test_new("media=cd-r-80,realtime=false");
		rb_vdrive_faults_init(&faults);
		faults.remove_media_at_lba = 100;
		rb_vdrive_set_faults(drive, &faults);
		rb_clear_unit_attention(drive);
		rb_select_raw(drive, RB_MMC_DBT_RAW_PW, TRUE, FALSE);
		rb_assert_sense(rb_record(drive, stream, 26), RB_SENSE_NOT_READY, 0x3A, 0x00);
		rb_assert_sense(rb_tur(drive), RB_SENSE_NOT_READY, 0x3A, 0x01);
	}
	/* a command that never completes */
	{
		g_autoptr(RbVdrive) drive = rb_vdrive_test_new("media=cd-r-80,realtime=false");
		RbCommand cmd;
		rb_vdrive_faults_init(&faults);
		faults.timeout_at_lba = -11000;
		rb_vdrive_set_faults(drive, &faults);
		rb_clear_unit_attention(drive);
		rb_select_raw(drive, RB_MMC_DBT_RAW_PW, TRUE, FALSE);
		cmd = rb_record(drive, stream, 26);
		ck_assert(!cmd.completed);
	}
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("vdrive");
	TCase *tc = tcase_create("vdrive");

	tcase_set_timeout(tc, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_test(tc, test_vdrive_inquiry);
	tcase_add_test(tc, test_vdrive_unknown_and_short_commands);
	tcase_add_test(tc, test_vdrive_media_states);
	tcase_add_test(tc, test_vdrive_configuration);
	tcase_add_test(tc, test_vdrive_mode_pages);
	tcase_add_loop_test(tc, test_vdrive_mode_select_refused, 0, G_N_ELEMENTS(rb_bad_pages));
	tcase_add_test(tc, test_vdrive_mode_select_header_rules);
	tcase_add_loop_test(tc, test_vdrive_atip_and_disc_info, 0, G_N_ELEMENTS(rb_atip_cases));
	tcase_add_test(tc, test_vdrive_write_before_mode_select);
	tcase_add_test(tc, test_vdrive_write_addresses);
	tcase_add_test(tc, test_vdrive_write_past_capacity);
	tcase_add_loop_test(tc, test_vdrive_full_recording, 0, G_N_ELEMENTS(rb_recording_cases));
	tcase_add_test(tc, test_vdrive_export_image);
	tcase_add_test(tc, test_vdrive_data_sectors_descrambled);
	tcase_add_loop_test(tc, test_vdrive_report_catches, 0, 3);
	tcase_add_test(tc, test_vdrive_sync_cache_immediate_polls);
	tcase_add_test(tc, test_vdrive_sync_cache_fast_drive_done_at_once);
	tcase_add_test(tc, test_vdrive_test_write_records_nothing);
	tcase_add_test(tc, test_vdrive_burn_after_test_write);
	tcase_add_test(tc, test_vdrive_test_write_report);
	tcase_add_test(tc, test_vdrive_without_test_write);
	tcase_add_test(tc, test_vdrive_eject_and_load);
	tcase_add_test(tc, test_vdrive_blank);
	tcase_add_test(tc, test_vdrive_blank_immed);
	tcase_add_test(tc, test_vdrive_speeds);
	tcase_add_test(tc, test_vdrive_underrun_without_bufe);
	tcase_add_test(tc, test_vdrive_underrun_with_bufe_pauses);
	tcase_add_test(tc, test_vdrive_buffer_full_holds_write);
	tcase_add_test(tc, test_vdrive_faults);
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
