/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Sense data: decoding both formats (fixed 70h/71h, descriptor 72h/73h),
 * what the MMC layer does about a CHECK CONDITION (retry, accept, fail) and
 * which named RbError a client sees for it.
 */
#pragma once

#include <glib.h>

#include "rb-error.h"
#include "rb-mmc-types.h"

G_BEGIN_DECLS

/* additional sense codes the MMC layer acts on */
#define RB_ASC_NOT_READY 0x04
#define RB_ASCQ_BECOMING_READY 0x01
#define RB_ASCQ_FORMAT_IN_PROGRESS 0x04
#define RB_ASCQ_OPERATION_IN_PROGRESS 0x07
#define RB_ASCQ_LONG_WRITE_IN_PROGRESS 0x08
#define RB_ASC_WRITE_ERROR 0x0C
#define RB_ASCQ_LOSS_OF_STREAMING 0x09
#define RB_ASC_INVALID_OPCODE 0x20
#define RB_ASC_LBA_OUT_OF_RANGE 0x21
#define RB_ASCQ_INVALID_ADDRESS_FOR_WRITE 0x02
#define RB_ASC_INVALID_FIELD_IN_CDB 0x24
#define RB_ASC_INVALID_FIELD_IN_PARAMETER_LIST 0x26
#define RB_ASC_WRITE_PROTECTED 0x27
#define RB_ASC_MEDIUM_MAY_HAVE_CHANGED 0x28
#define RB_ASC_POWER_ON_RESET 0x29
#define RB_ASC_COMMAND_SEQUENCE_ERROR 0x2C
#define RB_ASC_INCOMPATIBLE_MEDIUM 0x30
#define RB_ASC_MEDIUM_NOT_PRESENT 0x3A
#define RB_ASC_END_OF_USER_AREA 0x63
#define RB_ASC_ILLEGAL_MODE_FOR_TRACK 0x64

typedef struct {
	guint8 response_code; /* 70h, 71h, 72h or 73h */
	gboolean descriptor_format;
	gboolean deferred; /* 71h/73h: about an earlier command */
	guint8 key;
	guint8 asc;
	guint8 ascq;
	/* NOT READY with SKSV: how far a long operation got, 0..65535 */
	gboolean progress_valid;
	guint16 progress;
	/* the INFORMATION field when the drive marks it valid: for a failed
	 * WRITE, the LBA of the block that failed (signed: lead-in LBAs are
	 * negative) */
	gboolean information_valid;
	gint32 information;
} RbMmcSense;

/* What to do about a CHECK CONDITION. */
typedef enum {
	RB_MMC_SENSE_ACTION_FAIL,
	/* the command completed after the drive recovered an error */
	RB_MMC_SENSE_ACTION_SUCCEED,
	/* 02/04/04, 02/04/07, 02/04/08: busy with a long operation; retry with backoff */
	RB_MMC_SENSE_ACTION_RETRY_BUSY,
	/* 06/28, 06/29: a unit attention consumed the command; send it once more */
	RB_MMC_SENSE_ACTION_RETRY_ONCE,
} RbMmcSenseAction;

gboolean rb_mmc_sense_parse(const guint8 *data, gsize len, RbMmcSense *sense, GError **error);
RbMmcSenseAction rb_mmc_sense_get_action(const RbMmcSense *sense);

/* the error for a CHECK CONDITION that was not retried away, for @opcode */
RbError rb_mmc_sense_to_error_code(const RbMmcSense *sense, guint8 opcode);
GError *rb_mmc_sense_to_error(const RbMmcSense *sense, guint8 opcode);

/* "medium not present" and the like for the codes seen with CD recorders,
 * NULL for the rest */
const gchar *rb_mmc_sense_describe(guint8 key, guint8 asc, guint8 ascq);

G_END_DECLS
