/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Command descriptor blocks of the MMC commands a raw DAO burn needs, as pure
 * encoders (no I/O), plus the unit conversions around them: write speeds in
 * kB/s and sectors/s, and the sector size of each data block type. Byte
 * layouts: shared/spec/mmc-notes.md.
 */
#pragma once

#include <glib.h>

#include "rb-mmc-types.h"

G_BEGIN_DECLS

typedef struct {
	guint8 bytes[RB_MMC_CDB_MAX];
	gsize len;
} RbMmcCdb;

/* GET CONFIGURATION request types (byte 1 bits 1-0) */
typedef enum {
	RB_MMC_RT_ALL = 0,     /* every feature from the starting one */
	RB_MMC_RT_CURRENT = 1, /* only current features */
	RB_MMC_RT_ONE = 2,     /* only the starting feature */
} RbMmcConfigurationRt;

/* MODE SENSE page control (byte 2 bits 7-6) */
typedef enum {
	RB_MMC_PC_CURRENT = 0,
	RB_MMC_PC_CHANGEABLE = 1,
	RB_MMC_PC_DEFAULT = 2,
	RB_MMC_PC_SAVED = 3,
} RbMmcPageControl;

/* READ TRACK INFORMATION address types (byte 1 bits 1-0) */
typedef enum {
	RB_MMC_TRACK_ADDRESS_LBA = 0,
	RB_MMC_TRACK_ADDRESS_TRACK = 1,
	RB_MMC_TRACK_ADDRESS_SESSION = 2,
} RbMmcTrackAddressType;

/* the invisible (next writable) track for READ TRACK INFORMATION */
#define RB_MMC_TRACK_INVISIBLE 0xFF

/* READ TOC/PMA/ATIP formats (byte 2 bits 3-0) */
#define RB_MMC_TOC_FORMAT_TOC 0
#define RB_MMC_TOC_FORMAT_SESSION_INFO 1
#define RB_MMC_TOC_FORMAT_FULL_TOC 2
#define RB_MMC_TOC_FORMAT_ATIP 4

/* SET CD SPEED rotation control (byte 1 bits 1-0) and "as fast as possible" */
#define RB_MMC_ROTATION_CLV 0
#define RB_MMC_ROTATION_PURE_CAV 1
#define RB_MMC_SPEED_MAX 0xFFFF

/* READ CD byte 9: main channel selection */
#define RB_MMC_READ_CD_SYNC 0x80
#define RB_MMC_READ_CD_HEADERS_ALL 0x60
#define RB_MMC_READ_CD_USER_DATA 0x10
#define RB_MMC_READ_CD_EDC_ECC 0x08
/* everything of a 2352-byte sector: what an audio or raw dump reads */
#define RB_MMC_READ_CD_MAIN_RAW 0xF8
/* READ CD byte 10: sub-channel selection */
#define RB_MMC_READ_CD_SUB_NONE 0
#define RB_MMC_READ_CD_SUB_RAW_PW 1
#define RB_MMC_READ_CD_SUB_Q 2
#define RB_MMC_READ_CD_SUB_RW 4
/* READ CD byte 1 bits 4-2: expected sector type */
#define RB_MMC_READ_CD_TYPE_ANY 0
#define RB_MMC_READ_CD_TYPE_CDDA 1

/* BLANK types (byte 1 bits 2-0) */
#define RB_MMC_BLANK_FULL 0
#define RB_MMC_BLANK_MINIMAL 1

/* 1x CD: 75 sectors of 2352 bytes per second = 176.4 kB/s (kB = 1000 bytes) */
#define RB_MMC_CD_SECTORS_PER_SECOND_1X 75
#define RB_MMC_CD_MAIN_SECTOR_SIZE 2352

void rb_mmc_cdb_test_unit_ready(RbMmcCdb *cdb);
void rb_mmc_cdb_request_sense(RbMmcCdb *cdb, guint8 allocation_length);
void rb_mmc_cdb_inquiry(RbMmcCdb *cdb, guint8 allocation_length);
void rb_mmc_cdb_get_configuration(RbMmcCdb *cdb,
				  RbMmcConfigurationRt rt,
				  guint16 starting_feature,
				  guint16 allocation_length);
void rb_mmc_cdb_read_disc_information(RbMmcCdb *cdb, guint16 allocation_length);
void rb_mmc_cdb_read_track_information(RbMmcCdb *cdb,
				       RbMmcTrackAddressType address_type,
				       guint32 address,
				       guint16 allocation_length);
void rb_mmc_cdb_read_toc(RbMmcCdb *cdb,
			 guint8 format,
			 gboolean msf,
			 guint8 track_session,
			 guint16 allocation_length);
void rb_mmc_cdb_mode_sense_10(RbMmcCdb *cdb,
			      RbMmcPageControl pc,
			      guint8 page_code,
			      guint16 allocation_length);
void rb_mmc_cdb_mode_select_10(RbMmcCdb *cdb, guint16 parameter_list_length);
void rb_mmc_cdb_get_performance_write_speed(RbMmcCdb *cdb, guint16 max_descriptors);
void rb_mmc_cdb_set_cd_speed(RbMmcCdb *cdb,
			     guint8 rotation_control,
			     guint16 read_kbps,
			     guint16 write_kbps);
void rb_mmc_cdb_send_opc_information(RbMmcCdb *cdb, gboolean do_opc);
void rb_mmc_cdb_prevent_allow_medium_removal(RbMmcCdb *cdb, gboolean prevent);
void rb_mmc_cdb_start_stop_unit(RbMmcCdb *cdb, gboolean start, gboolean load_eject, gboolean immed);
void rb_mmc_cdb_write_10(RbMmcCdb *cdb, gint32 lba, guint16 blocks);
void rb_mmc_cdb_synchronize_cache(RbMmcCdb *cdb, gboolean immed);
void rb_mmc_cdb_read_buffer_capacity(RbMmcCdb *cdb, guint16 allocation_length);
void rb_mmc_cdb_read_cd(RbMmcCdb *cdb,
			guint8 expected_sector_type,
			gint32 lba,
			guint32 blocks,
			guint8 main_channel,
			guint8 sub_channel);
void rb_mmc_cdb_blank(RbMmcCdb *cdb, guint8 blank_type, guint32 address, gboolean immed);

/* the Immed bit of commands that have one (SYNCHRONIZE CACHE, BLANK, START STOP UNIT) */
gboolean rb_mmc_cdb_get_immed(const RbMmcCdb *cdb);

/* "WRITE(10)", "MODE SELECT(10)", ...; "SCSI command" for others, never NULL */
const gchar *rb_mmc_opcode_to_string(guint8 opcode);

/* speeds */
guint rb_mmc_speed_kbps_to_sectors(guint kbps);
guint16 rb_mmc_speed_sectors_to_kbps(gint sectors_per_second);

/* sector sizes and the IMAPI names of the raw data block types */
guint rb_mmc_dbt_sector_size(guint8 data_block_type);
guint rb_mmc_dbt_to_imapi_sector_type(guint8 data_block_type);
/* RB_MMC_DBT_NONE for a number that is no IMAPI raw sector type */
#define RB_MMC_DBT_NONE 0xFF
guint8 rb_mmc_imapi_sector_type_to_dbt(guint imapi_sector_type);

G_END_DECLS
