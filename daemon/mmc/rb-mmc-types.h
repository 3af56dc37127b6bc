/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What host and drive agree on: SCSI status and sense layout, MMC opcodes,
 * and the result of one command. Shared by the transports, the MMC commands
 * and the emulated drive.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* large enough for fixed (18) and descriptor sense with a few descriptors */
#define RB_MMC_SENSE_MAX 32
#define RB_MMC_CDB_MIN 6
#define RB_MMC_CDB_MAX 16

typedef enum {
	RB_MMC_DIR_NONE,
	RB_MMC_DIR_IN,  /* drive to host */
	RB_MMC_DIR_OUT, /* host to drive */
} RbMmcDirection;

/* SCSI status byte */
#define RB_SCSI_STATUS_GOOD 0x00
#define RB_SCSI_STATUS_CHECK_CONDITION 0x02
#define RB_SCSI_STATUS_BUSY 0x08
#define RB_SCSI_STATUS_RESERVATION_CONFLICT 0x18
#define RB_SCSI_STATUS_TASK_SET_FULL 0x28

/* sense keys */
#define RB_SENSE_NO_SENSE 0x0
#define RB_SENSE_RECOVERED_ERROR 0x1
#define RB_SENSE_NOT_READY 0x2
#define RB_SENSE_MEDIUM_ERROR 0x3
#define RB_SENSE_HARDWARE_ERROR 0x4
#define RB_SENSE_ILLEGAL_REQUEST 0x5
#define RB_SENSE_UNIT_ATTENTION 0x6
#define RB_SENSE_DATA_PROTECT 0x7
#define RB_SENSE_ABORTED_COMMAND 0xB

/* MMC opcodes */
#define RB_MMC_TEST_UNIT_READY 0x00
#define RB_MMC_REZERO_UNIT 0x01
#define RB_MMC_REQUEST_SENSE 0x03
#define RB_MMC_INQUIRY 0x12
#define RB_MMC_START_STOP_UNIT 0x1B
#define RB_MMC_PREVENT_ALLOW_MEDIUM_REMOVAL 0x1E
#define RB_MMC_READ_CAPACITY 0x25
#define RB_MMC_READ_10 0x28
#define RB_MMC_WRITE_10 0x2A
#define RB_MMC_SYNCHRONIZE_CACHE 0x35
#define RB_MMC_READ_BUFFER 0x3C
#define RB_MMC_READ_SUB_CHANNEL 0x42
#define RB_MMC_READ_TOC_PMA_ATIP 0x43
#define RB_MMC_GET_CONFIGURATION 0x46
#define RB_MMC_READ_DISC_INFORMATION 0x51
#define RB_MMC_READ_TRACK_INFORMATION 0x52
#define RB_MMC_SEND_OPC_INFORMATION 0x54
#define RB_MMC_MODE_SELECT_10 0x55
#define RB_MMC_MODE_SENSE_10 0x5A
#define RB_MMC_READ_BUFFER_CAPACITY 0x5C
#define RB_MMC_BLANK 0xA1
#define RB_MMC_GET_PERFORMANCE 0xAC
#define RB_MMC_SET_CD_SPEED 0xBB
#define RB_MMC_READ_CD 0xBE

/* MMC profiles and features */
#define RB_MMC_PROFILE_CD_ROM 0x0008
#define RB_MMC_PROFILE_CD_R 0x0009
#define RB_MMC_PROFILE_CD_RW 0x000A
#define RB_MMC_FEATURE_PROFILE_LIST 0x0000
#define RB_MMC_FEATURE_CORE 0x0001
#define RB_MMC_FEATURE_MORPHING 0x0002
#define RB_MMC_FEATURE_REMOVABLE_MEDIUM 0x0003
#define RB_MMC_FEATURE_CD_READ 0x001E
#define RB_MMC_FEATURE_CD_TAO 0x002D
#define RB_MMC_FEATURE_CD_MASTERING 0x002E
#define RB_MMC_FEATURE_CD_RW_MEDIA_WRITE 0x0037

/* mode pages */
#define RB_MMC_PAGE_WRITE_PARAMETERS 0x05
#define RB_MMC_PAGE_CAPABILITIES 0x2A
#define RB_MMC_MODE_HEADER_10_LEN 8

/* page 05h: write types and data block types used for raw DAO */
#define RB_MMC_WRITE_TYPE_RAW 3
#define RB_MMC_DBT_RAW_PQ 1        /* 2352 + 16: P and Q */
#define RB_MMC_DBT_RAW_PW_PACKED 2 /* 2352 + 96: P-W, R-W packed (IMAPI IS_COOKED) */
#define RB_MMC_DBT_RAW_PW 3        /* 2352 + 96: P-W, R-W raw (IMAPI IS_RAW) */

/* the outcome of one command that reached the drive */
typedef struct {
	guint8 status;
	guint8 sense[RB_MMC_SENSE_MAX];
	gsize sense_len;
	gsize residual; /* bytes of the buffer not transferred */
} RbMmcResult;

G_END_DECLS
