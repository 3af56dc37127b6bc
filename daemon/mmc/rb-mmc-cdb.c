/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CDB encoders: each one fills every byte of the block, so a caller never
 * sends stale bytes from a reused RbMmcCdb. All multi-byte fields are
 * big-endian, as SCSI wants them.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbMmc"

#include <string.h>

#include "rb-mmc-cdb.h"

static void
rb_mmc_cdb_init(RbMmcCdb *cdb, guint8 opcode, gsize len)
{
	memset(cdb, 0, sizeof(*cdb));
	cdb->bytes[0] = opcode;
	cdb->len = len;
}

static void
rb_mmc_put_be16(guint8 *p, guint16 v)
{
	p[0] = (guint8)(v >> 8);
	p[1] = (guint8)v;
}

static void
rb_mmc_put_be24(guint8 *p, guint32 v)
{
	p[0] = (guint8)(v >> 16);
	p[1] = (guint8)(v >> 8);
	p[2] = (guint8)v;
}

static void
rb_mmc_put_be32(guint8 *p, guint32 v)
{
	p[0] = (guint8)(v >> 24);
	p[1] = (guint8)(v >> 16);
	p[2] = (guint8)(v >> 8);
	p[3] = (guint8)v;
}

void
rb_mmc_cdb_test_unit_ready(RbMmcCdb *cdb)
{
	rb_mmc_cdb_init(cdb, RB_MMC_TEST_UNIT_READY, 6);
}

void
rb_mmc_cdb_request_sense(RbMmcCdb *cdb, guint8 allocation_length)
{
	rb_mmc_cdb_init(cdb, RB_MMC_REQUEST_SENSE, 6);
	cdb->bytes[4] = allocation_length;
}

/* one byte of allocation length: ATAPI drives of the MMC-1 era read only byte 4 */
void
rb_mmc_cdb_inquiry(RbMmcCdb *cdb, guint8 allocation_length)
{
	rb_mmc_cdb_init(cdb, RB_MMC_INQUIRY, 6);
	cdb->bytes[4] = allocation_length;
}

void
rb_mmc_cdb_get_configuration(RbMmcCdb *cdb,
			     RbMmcConfigurationRt rt,
			     guint16 starting_feature,
			     guint16 allocation_length)
{
	rb_mmc_cdb_init(cdb, RB_MMC_GET_CONFIGURATION, 10);
	cdb->bytes[1] = (guint8)rt & 0x03;
	rb_mmc_put_be16(cdb->bytes + 2, starting_feature);
	rb_mmc_put_be16(cdb->bytes + 7, allocation_length);
}

void
rb_mmc_cdb_read_disc_information(RbMmcCdb *cdb, guint16 allocation_length)
{
	/* data type 000b (standard disc information) */
	rb_mmc_cdb_init(cdb, RB_MMC_READ_DISC_INFORMATION, 10);
	rb_mmc_put_be16(cdb->bytes + 7, allocation_length);
}

void
rb_mmc_cdb_read_track_information(RbMmcCdb *cdb,
				  RbMmcTrackAddressType address_type,
				  guint32 address,
				  guint16 allocation_length)
{
	rb_mmc_cdb_init(cdb, RB_MMC_READ_TRACK_INFORMATION, 10);
	cdb->bytes[1] = (guint8)address_type & 0x03;
	rb_mmc_put_be32(cdb->bytes + 2, address);
	rb_mmc_put_be16(cdb->bytes + 7, allocation_length);
}

void
rb_mmc_cdb_read_toc(
	RbMmcCdb *cdb, guint8 format, gboolean msf, guint8 track_session, guint16 allocation_length)
{
	rb_mmc_cdb_init(cdb, RB_MMC_READ_TOC_PMA_ATIP, 10);
	cdb->bytes[1] = msf ? 0x02 : 0x00;
	cdb->bytes[2] = format & 0x0F;
	cdb->bytes[6] = track_session;
	rb_mmc_put_be16(cdb->bytes + 7, allocation_length);
}

/* DBD stays 0: some older drives refuse it, and the parser skips block
 * descriptors anyway */
void
rb_mmc_cdb_mode_sense_10(RbMmcCdb *cdb,
			 RbMmcPageControl pc,
			 guint8 page_code,
			 guint16 allocation_length)
{
	rb_mmc_cdb_init(cdb, RB_MMC_MODE_SENSE_10, 10);
	cdb->bytes[2] = (guint8)(((guint8)pc & 0x03) << 6) | (page_code & 0x3F);
	rb_mmc_put_be16(cdb->bytes + 7, allocation_length);
}

/* PF=1 (the data is an MMC page), SP=0: never make write parameters persist */
void
rb_mmc_cdb_mode_select_10(RbMmcCdb *cdb, guint16 parameter_list_length)
{
	rb_mmc_cdb_init(cdb, RB_MMC_MODE_SELECT_10, 10);
	cdb->bytes[1] = 0x10;
	rb_mmc_put_be16(cdb->bytes + 7, parameter_list_length);
}

void
rb_mmc_cdb_get_performance_write_speed(RbMmcCdb *cdb, guint16 max_descriptors)
{
	rb_mmc_cdb_init(cdb, RB_MMC_GET_PERFORMANCE, 12);
	rb_mmc_put_be16(cdb->bytes + 8, max_descriptors);
	cdb->bytes[10] = 0x03; /* type: write speed */
}

void
rb_mmc_cdb_set_cd_speed(RbMmcCdb *cdb,
			guint8 rotation_control,
			guint16 read_kbps,
			guint16 write_kbps)
{
	rb_mmc_cdb_init(cdb, RB_MMC_SET_CD_SPEED, 12);
	cdb->bytes[1] = rotation_control & 0x03;
	rb_mmc_put_be16(cdb->bytes + 2, read_kbps);
	rb_mmc_put_be16(cdb->bytes + 4, write_kbps);
}

/* no parameter list: with DoOPC the drive picks the power itself */
void
rb_mmc_cdb_send_opc_information(RbMmcCdb *cdb, gboolean do_opc)
{
	rb_mmc_cdb_init(cdb, RB_MMC_SEND_OPC_INFORMATION, 10);
	cdb->bytes[1] = do_opc ? 0x01 : 0x00;
}

void
rb_mmc_cdb_prevent_allow_medium_removal(RbMmcCdb *cdb, gboolean prevent)
{
	rb_mmc_cdb_init(cdb, RB_MMC_PREVENT_ALLOW_MEDIUM_REMOVAL, 6);
	cdb->bytes[4] = prevent ? 0x01 : 0x00;
}

void
rb_mmc_cdb_start_stop_unit(RbMmcCdb *cdb, gboolean start, gboolean load_eject, gboolean immed)
{
	rb_mmc_cdb_init(cdb, RB_MMC_START_STOP_UNIT, 6);
	cdb->bytes[1] = immed ? 0x01 : 0x00;
	cdb->bytes[4] = (load_eject ? 0x02 : 0x00) | (start ? 0x01 : 0x00);
}

/* lead-in LBAs are negative: the field is 32-bit two's complement */
void
rb_mmc_cdb_write_10(RbMmcCdb *cdb, gint32 lba, guint16 blocks)
{
	rb_mmc_cdb_init(cdb, RB_MMC_WRITE_10, 10);
	rb_mmc_put_be32(cdb->bytes + 2, (guint32)lba);
	rb_mmc_put_be16(cdb->bytes + 7, blocks);
}

void
rb_mmc_cdb_synchronize_cache(RbMmcCdb *cdb, gboolean immed)
{
	rb_mmc_cdb_init(cdb, RB_MMC_SYNCHRONIZE_CACHE, 10);
	cdb->bytes[1] = immed ? 0x02 : 0x00;
}

/* Block=0: the answer is in bytes, which is what the host FIFO counts */
void
rb_mmc_cdb_read_buffer_capacity(RbMmcCdb *cdb, guint16 allocation_length)
{
	rb_mmc_cdb_init(cdb, RB_MMC_READ_BUFFER_CAPACITY, 10);
	rb_mmc_put_be16(cdb->bytes + 7, allocation_length);
}

void
rb_mmc_cdb_read_cd(RbMmcCdb *cdb,
		   guint8 expected_sector_type,
		   gint32 lba,
		   guint32 blocks,
		   guint8 main_channel,
		   guint8 sub_channel)
{
	rb_mmc_cdb_init(cdb, RB_MMC_READ_CD, 12);
	cdb->bytes[1] = (guint8)((expected_sector_type & 0x07) << 2);
	rb_mmc_put_be32(cdb->bytes + 2, (guint32)lba);
	rb_mmc_put_be24(cdb->bytes + 6, blocks & 0xFFFFFF);
	cdb->bytes[9] = main_channel;
	cdb->bytes[10] = sub_channel & 0x07;
}

void
rb_mmc_cdb_blank(RbMmcCdb *cdb, guint8 blank_type, guint32 address, gboolean immed)
{
	rb_mmc_cdb_init(cdb, RB_MMC_BLANK, 12);
	cdb->bytes[1] = (immed ? 0x10 : 0x00) | (blank_type & 0x07);
	rb_mmc_put_be32(cdb->bytes + 2, address);
}

gboolean
rb_mmc_cdb_get_immed(const RbMmcCdb *cdb)
{
	switch (cdb->bytes[0]) {
	case RB_MMC_SYNCHRONIZE_CACHE:
		return (cdb->bytes[1] & 0x02) != 0;
	case RB_MMC_BLANK:
		return (cdb->bytes[1] & 0x10) != 0;
	case RB_MMC_START_STOP_UNIT:
		return (cdb->bytes[1] & 0x01) != 0;
	default:
		return FALSE;
	}
}

const gchar *
rb_mmc_opcode_to_string(guint8 opcode)
{
	switch (opcode) {
	case RB_MMC_TEST_UNIT_READY:
		return "TEST UNIT READY";
	case RB_MMC_REQUEST_SENSE:
		return "REQUEST SENSE";
	case RB_MMC_INQUIRY:
		return "INQUIRY";
	case RB_MMC_START_STOP_UNIT:
		return "START STOP UNIT";
	case RB_MMC_PREVENT_ALLOW_MEDIUM_REMOVAL:
		return "PREVENT ALLOW MEDIUM REMOVAL";
	case RB_MMC_WRITE_10:
		return "WRITE(10)";
	case RB_MMC_SYNCHRONIZE_CACHE:
		return "SYNCHRONIZE CACHE";
	case RB_MMC_READ_BUFFER:
		return "READ BUFFER";
	case RB_MMC_READ_TOC_PMA_ATIP:
		return "READ TOC/PMA/ATIP";
	case RB_MMC_GET_CONFIGURATION:
		return "GET CONFIGURATION";
	case RB_MMC_READ_DISC_INFORMATION:
		return "READ DISC INFORMATION";
	case RB_MMC_READ_TRACK_INFORMATION:
		return "READ TRACK INFORMATION";
	case RB_MMC_SEND_OPC_INFORMATION:
		return "SEND OPC INFORMATION";
	case RB_MMC_MODE_SELECT_10:
		return "MODE SELECT(10)";
	case RB_MMC_MODE_SENSE_10:
		return "MODE SENSE(10)";
	case RB_MMC_READ_BUFFER_CAPACITY:
		return "READ BUFFER CAPACITY";
	case RB_MMC_BLANK:
		return "BLANK";
	case RB_MMC_GET_PERFORMANCE:
		return "GET PERFORMANCE";
	case RB_MMC_SET_CD_SPEED:
		return "SET CD SPEED";
	case RB_MMC_READ_CD:
		return "READ CD";
	default:
		return "SCSI command";
	}
}

/* kB/s (1000 bytes) to whole sectors/s, rounded to the nearest: a drive
 * reporting 7056 kB/s (40 x 176.4) gives exactly 3000 */
guint
rb_mmc_speed_kbps_to_sectors(guint kbps)
{
	guint64 bytes = (guint64)kbps * 1000;
	return (guint)((bytes + RB_MMC_CD_MAIN_SECTOR_SIZE / 2) / RB_MMC_CD_MAIN_SECTOR_SIZE);
}

/* sectors/s to the kB/s of SET CD SPEED. Host tools send x * 177 for speed
 * x (one above 176.4) because drives round down to the speed they support;
 * rounding up here keeps that margin for speeds that are not whole x.
 * Zero or negative means "fastest": FFFFh. */
guint16
rb_mmc_speed_sectors_to_kbps(gint sectors_per_second)
{
	guint64 kbps;

	if (sectors_per_second <= 0)
		return RB_MMC_SPEED_MAX;
	kbps = ((guint64)sectors_per_second * 177 + RB_MMC_CD_SECTORS_PER_SECOND_1X - 1) /
	       RB_MMC_CD_SECTORS_PER_SECOND_1X;
	return (guint16)MIN(kbps, RB_MMC_SPEED_MAX - 1);
}

/* bytes the host sends per block for a page 05h data block type; 0 for
 * reserved and vendor types */
guint
rb_mmc_dbt_sector_size(guint8 data_block_type)
{
	switch (data_block_type) {
	case 0:
		return 2352;
	case RB_MMC_DBT_RAW_PQ:
		return 2368;
	case RB_MMC_DBT_RAW_PW_PACKED:
	case RB_MMC_DBT_RAW_PW:
		return 2448;
	case 8:
	case 10:
		return 2048;
	case 9:
		return 2336;
	case 11:
		return 2056;
	case 12:
		return 2324;
	case 13:
		return 2332;
	default:
		return 0;
	}
}

/* IMAPI_FORMAT2_RAW_CD_DATA_SECTOR_TYPE: PQ_ONLY 1, IS_COOKED 2, IS_RAW 3 are
 * the raw data block types 1, 2 and 3 under another name; 0 for the rest */
guint
rb_mmc_dbt_to_imapi_sector_type(guint8 data_block_type)
{
	switch (data_block_type) {
	case RB_MMC_DBT_RAW_PQ:
		return 1;
	case RB_MMC_DBT_RAW_PW_PACKED:
		return 2;
	case RB_MMC_DBT_RAW_PW:
		return 3;
	default:
		return 0;
	}
}

guint8
rb_mmc_imapi_sector_type_to_dbt(guint imapi_sector_type)
{
	switch (imapi_sector_type) {
	case 1:
		return RB_MMC_DBT_RAW_PQ;
	case 2:
		return RB_MMC_DBT_RAW_PW_PACKED;
	case 3:
		return RB_MMC_DBT_RAW_PW;
	default:
		return RB_MMC_DBT_NONE;
	}
}
