/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Sense decoding and the sense -> RbError table. The table is deliberately
 * small: each entry is a condition a client can act on (insert a disc, wait,
 * lower the speed); everything else is UnexpectedResponseFromDevice with the
 * key/ASC/ASCQ in the message, so a bug report carries the drive's words.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbMmc"

#include <string.h>

#include "rb-mmc-cdb.h"
#include "rb-mmc-replies.h"
#include "rb-mmc-sense.h"

/* fixed format: everything after byte 7 is counted by the additional length */
#define RB_SENSE_FIXED_MIN 3
#define RB_SENSE_DESCRIPTOR_MIN 4
#define RB_SENSE_HEADER_LEN 8
/* descriptor format sense: the information (00h) and sense-key specific
 * (02h) descriptors */
#define RB_SENSE_DESC_INFORMATION 0x00
#define RB_SENSE_DESC_SKS 0x02

static void
rb_mmc_sense_parse_fixed(const guint8 *data, gsize valid, RbMmcSense *sense)
{
	sense->key = data[2] & 0x0F;
	/* VALID (byte 0 bit 7) covers the INFORMATION field, bytes 3-6 */
	if (valid >= 7 && (data[0] & 0x80) != 0) {
		sense->information_valid = TRUE;
		sense->information = (gint32)rb_mmc_get_be32(data + 3);
	}
	if (valid >= 14) {
		sense->asc = data[12];
		sense->ascq = data[13];
	}
	if (valid >= 18 && (data[15] & 0x80) != 0) {
		sense->progress_valid = TRUE;
		sense->progress = (guint16)((data[16] << 8) | data[17]);
	}
}

static void
rb_mmc_sense_parse_descriptor(const guint8 *data, gsize valid, RbMmcSense *sense)
{
	sense->key = data[1] & 0x0F;
	sense->asc = data[2];
	sense->ascq = data[3];
	for (gsize off = RB_SENSE_HEADER_LEN; off + 2 <= valid;) {
		gsize desc_len = 2 + (gsize)data[off + 1];

		if (off + desc_len > valid)
			break;
		/* the 64-bit INFORMATION of a CD drive holds a 32-bit LBA in
		 * its low half */
		if (data[off] == RB_SENSE_DESC_INFORMATION && desc_len >= 12 &&
		    (data[off + 2] & 0x80) != 0) {
			sense->information_valid = TRUE;
			sense->information = (gint32)rb_mmc_get_be32(data + off + 8);
		}
		if (data[off] == RB_SENSE_DESC_SKS && desc_len >= 7 &&
		    (data[off + 4] & 0x80) != 0) {
			sense->progress_valid = TRUE;
			sense->progress = (guint16)((data[off + 5] << 8) | data[off + 6]);
		}
		off += desc_len;
	}
}

gboolean
rb_mmc_sense_parse(const guint8 *data, gsize len, RbMmcSense *sense, GError **error)
{
	guint8 code;
	gsize valid = len;

	g_return_val_if_fail(sense != NULL, FALSE);
	g_return_val_if_fail(data != NULL || len == 0, FALSE);

	memset(sense, 0, sizeof(*sense));
	if (len == 0) {
		rb_error_set(error,
			     RB_ERROR_INVALID_RESPONSE_FROM_DEVICE,
			     "%s (CHECK CONDITION without sense data)",
			     rb_error_get_description(RB_ERROR_INVALID_RESPONSE_FROM_DEVICE));
		return FALSE;
	}
	code = data[0] & 0x7F;
	/* the additional sense length (byte 7) bounds what the drive meant,
	 * whatever the transport copied */
	if (len >= RB_SENSE_HEADER_LEN)
		valid = MIN(len, RB_SENSE_HEADER_LEN + (gsize)data[7]);

	switch (code) {
	case 0x70:
	case 0x71:
		if (len < RB_SENSE_FIXED_MIN)
			break;
		sense->response_code = code;
		sense->deferred = code == 0x71;
		rb_mmc_sense_parse_fixed(data, valid, sense);
		break;
	case 0x72:
	case 0x73:
		if (len < RB_SENSE_DESCRIPTOR_MIN)
			break;
		sense->response_code = code;
		sense->descriptor_format = TRUE;
		sense->deferred = code == 0x73;
		rb_mmc_sense_parse_descriptor(data, valid, sense);
		break;
	default:
		rb_error_set(error,
			     RB_ERROR_INVALID_RESPONSE_FROM_DEVICE,
			     "%s (sense data of unknown format %02Xh)",
			     rb_error_get_description(RB_ERROR_INVALID_RESPONSE_FROM_DEVICE),
			     code);
		return FALSE;
	}
	if (sense->response_code == 0) {
		rb_error_set(error,
			     RB_ERROR_INVALID_RESPONSE_FROM_DEVICE,
			     "%s (sense data of %" G_GSIZE_FORMAT " bytes is truncated)",
			     rb_error_get_description(RB_ERROR_INVALID_RESPONSE_FROM_DEVICE),
			     len);
		return FALSE;
	}
	/* only NOT READY (and NO SENSE) carry a progress indication; for other
	 * keys the same bytes are a field pointer or a retry count */
	if (sense->key != RB_SENSE_NOT_READY && sense->key != RB_SENSE_NO_SENSE)
		sense->progress_valid = FALSE;
	if (!sense->progress_valid)
		sense->progress = 0;
	return TRUE;
}

static gboolean
rb_mmc_sense_is_busy(guint8 key, guint8 asc, guint8 ascq)
{
	/* format in progress is included as wodim does: a CD-RW being blanked
	 * or formatted by someone else answers it */
	return key == RB_SENSE_NOT_READY && asc == RB_ASC_NOT_READY &&
	       (ascq == RB_ASCQ_FORMAT_IN_PROGRESS || ascq == RB_ASCQ_OPERATION_IN_PROGRESS ||
		ascq == RB_ASCQ_LONG_WRITE_IN_PROGRESS);
}

RbMmcSenseAction
rb_mmc_sense_get_action(const RbMmcSense *sense)
{
	g_return_val_if_fail(sense != NULL, RB_MMC_SENSE_ACTION_FAIL);

	/* RECOVERED ERROR: the command did complete, with the drive's retries */
	if (sense->key == RB_SENSE_RECOVERED_ERROR)
		return RB_MMC_SENSE_ACTION_SUCCEED;
	if (rb_mmc_sense_is_busy(sense->key, sense->asc, sense->ascq))
		return RB_MMC_SENSE_ACTION_RETRY_BUSY;
	if (sense->key == RB_SENSE_UNIT_ATTENTION &&
	    (sense->asc == RB_ASC_MEDIUM_MAY_HAVE_CHANGED || sense->asc == RB_ASC_POWER_ON_RESET))
		return RB_MMC_SENSE_ACTION_RETRY_ONCE;
	return RB_MMC_SENSE_ACTION_FAIL;
}

/*
 * The table, with the reason for each choice:
 *  x/3A/xx             MediaNoMedia: no disc, whatever the tray state (ASCQ).
 *  02/04/00, 02/04/01  MediaBecomingReady: spinning up; "cause not reportable"
 *                      is what many drives say during spin-up too.
 *  02/04/04,07,08      MediaBusy: only reached once the busy retries ran out.
 *  03|05/0C/09         LossOfStreaming: write error - loss of streaming.
 *  03|05/21/02         LossOfStreaming: invalid address for write, what drives
 *                      answer to the next WRITE after an underrun (wodim's
 *                      cdr_underrun treats both keys alike).
 *  05|07/27/xx         MediaWriteProtected: data protect is the normal key; some
 *                      drives use ILLEGAL REQUEST.
 *  05/26/xx, 05/24/00  InvalidModeParameters, but only for MODE SELECT, where the
 *                      parameter list is a write-parameters page; on other
 *                      commands they are our bug, so Unexpected.
 *  05/24/00 SET CD SPEED  MediaSpeedMismatch: drives that do not round a speed
 *                      they do not support refuse the field (wodim retries +177).
 *  02|03|05/30/xx      MediaIncompatible: incompatible medium / unknown format /
 *                      cannot write this format.
 *  05/63/00            NotEnoughSpace: end of user area, the write ran past the
 *                      last possible lead-out.
 *  05/64/00            MediaIsNotSupported: illegal mode for this track, i.e. the
 *                      medium cannot take the write type we set (raw on a disc
 *                      the drive will not write raw).
 *  06/28/xx            MediaBecomingReady: the medium changed under us (after
 *                      one retry); the caller re-reads the media state.
 *  06/29/xx            Unexpected: a second reset in a row is not something a
 *                      client can wait out.
 *  03/xx/xx on WRITE(10), SYNCHRONIZE CACHE
 *                      MediaWriteFailed: a medium error while recording (write
 *                      error, servo or tracking failure, power calibration):
 *                      the disc, the speed or a dirty lens; the client can
 *                      try another disc or speed.
 *  04/xx/xx            RecorderHardwareError: the drive itself failed.
 *  anything else       UnexpectedResponseFromDevice.
 */
RbError
rb_mmc_sense_to_error_code(const RbMmcSense *sense, guint8 opcode)
{
	guint8 key = sense->key;
	guint8 asc = sense->asc;
	guint8 ascq = sense->ascq;

	if (asc == RB_ASC_MEDIUM_NOT_PRESENT &&
	    (key == RB_SENSE_NOT_READY || key == RB_SENSE_UNIT_ATTENTION))
		return RB_ERROR_MEDIA_NO_MEDIA;
	if (rb_mmc_sense_is_busy(key, asc, ascq))
		return RB_ERROR_MEDIA_BUSY;
	if (key == RB_SENSE_NOT_READY && asc == RB_ASC_NOT_READY &&
	    (ascq == 0x00 || ascq == RB_ASCQ_BECOMING_READY))
		return RB_ERROR_MEDIA_BECOMING_READY;
	if ((key == RB_SENSE_MEDIUM_ERROR || key == RB_SENSE_ILLEGAL_REQUEST) &&
	    ((asc == RB_ASC_WRITE_ERROR && ascq == RB_ASCQ_LOSS_OF_STREAMING) ||
	     (asc == RB_ASC_LBA_OUT_OF_RANGE && ascq == RB_ASCQ_INVALID_ADDRESS_FOR_WRITE)))
		return RB_ERROR_LOSS_OF_STREAMING;
	if (asc == RB_ASC_WRITE_PROTECTED &&
	    (key == RB_SENSE_DATA_PROTECT || key == RB_SENSE_ILLEGAL_REQUEST))
		return RB_ERROR_MEDIA_WRITE_PROTECTED;
	if (key == RB_SENSE_ILLEGAL_REQUEST && opcode == RB_MMC_MODE_SELECT_10 &&
	    (asc == RB_ASC_INVALID_FIELD_IN_PARAMETER_LIST ||
	     (asc == RB_ASC_INVALID_FIELD_IN_CDB && ascq == 0x00)))
		return RB_ERROR_INVALID_MODE_PARAMETERS;
	if (key == RB_SENSE_ILLEGAL_REQUEST && opcode == RB_MMC_SET_CD_SPEED &&
	    asc == RB_ASC_INVALID_FIELD_IN_CDB && ascq == 0x00)
		return RB_ERROR_MEDIA_SPEED_MISMATCH;
	if (asc == RB_ASC_INCOMPATIBLE_MEDIUM &&
	    (key == RB_SENSE_NOT_READY || key == RB_SENSE_MEDIUM_ERROR ||
	     key == RB_SENSE_ILLEGAL_REQUEST))
		return RB_ERROR_MEDIA_INCOMPATIBLE;
	if (key == RB_SENSE_ILLEGAL_REQUEST && asc == RB_ASC_END_OF_USER_AREA && ascq == 0x00)
		return RB_ERROR_NOT_ENOUGH_SPACE;
	if (key == RB_SENSE_ILLEGAL_REQUEST && asc == RB_ASC_ILLEGAL_MODE_FOR_TRACK && ascq == 0x00)
		return RB_ERROR_MEDIA_IS_NOT_SUPPORTED;
	if (key == RB_SENSE_UNIT_ATTENTION && asc == RB_ASC_MEDIUM_MAY_HAVE_CHANGED)
		return RB_ERROR_MEDIA_BECOMING_READY;
	if (key == RB_SENSE_MEDIUM_ERROR &&
	    (opcode == RB_MMC_WRITE_10 || opcode == RB_MMC_SYNCHRONIZE_CACHE))
		return RB_ERROR_MEDIA_WRITE_FAILED;
	if (key == RB_SENSE_HARDWARE_ERROR)
		return RB_ERROR_RECORDER_HARDWARE_ERROR;
	return RB_ERROR_UNEXPECTED_RESPONSE_FROM_DEVICE;
}

typedef struct {
	guint8 asc;
	guint8 ascq; /* 0xFF: any */
	const gchar *text;
} RbSenseText;

/* the SPC/MMC names of the codes CD recorders answer with */
static const RbSenseText rb_sense_texts[] = {
	{0x00, 0x00, "no additional sense information"},
	{0x02, 0x00, "no seek complete"},
	{0x04, 0x00, "logical unit not ready, cause not reportable"},
	{0x04, 0x01, "logical unit is in process of becoming ready"},
	{0x04, 0x02, "logical unit not ready, initializing command required"},
	{0x04, 0x03, "logical unit not ready, manual intervention required"},
	{0x04, 0x04, "logical unit not ready, format in progress"},
	{0x04, 0x07, "logical unit not ready, operation in progress"},
	{0x04, 0x08, "logical unit not ready, long write in progress"},
	{0x08, 0x00, "logical unit communication failure"},
	{0x09, 0x00, "track following error"},
	{0x09, 0x01, "tracking servo failure"},
	{0x09, 0x02, "focus servo failure"},
	{0x09, 0x03, "spindle servo failure"},
	{0x0C, 0x00, "write error"},
	{0x0C, 0x02, "write error - auto reallocation failed"},
	{0x0C, 0x03, "write error - recommend reassignment"},
	{0x0C, 0x07, "write error - recovery needed"},
	{0x0C, 0x08, "write error - recovery failed"},
	{0x0C, 0x09, "write error - loss of streaming"},
	{0x0C, 0x0A, "write error - padding blocks added"},
	{0x11, 0x00, "unrecovered read error"},
	{0x15, 0x00, "random positioning error"},
	{0x15, 0x01, "mechanical positioning error"},
	{0x1A, 0x00, "parameter list length error"},
	{0x20, 0x00, "invalid command operation code"},
	{0x21, 0x00, "logical block address out of range"},
	{0x21, 0x02, "invalid address for write"},
	{0x24, 0x00, "invalid field in CDB"},
	{0x26, 0x00, "invalid field in parameter list"},
	{0x26, 0x01, "parameter not supported"},
	{0x26, 0x02, "parameter value invalid"},
	{0x27, 0xFF, "write protected"},
	{0x28, 0xFF, "not ready to ready change, medium may have changed"},
	{0x29, 0xFF, "power on, reset, or bus device reset occurred"},
	{0x2A, 0x01, "mode parameters changed"},
	{0x2C, 0x00, "command sequence error"},
	{0x30, 0x00, "incompatible medium installed"},
	{0x30, 0x01, "cannot read medium - unknown format"},
	{0x30, 0x02, "cannot read medium - incompatible format"},
	{0x30, 0x05, "cannot write medium - incompatible format"},
	{0x30, 0xFF, "incompatible medium"},
	{0x31, 0x00, "medium format corrupted"},
	{0x3A, 0x00, "medium not present"},
	{0x3A, 0x01, "medium not present - tray closed"},
	{0x3A, 0x02, "medium not present - tray open"},
	{0x3A, 0xFF, "medium not present"},
	{0x3E, 0x01, "logical unit failure"},
	{0x44, 0x00, "internal target failure"},
	{0x57, 0x00, "unable to recover table-of-contents"},
	{0x63, 0x00, "end of user area encountered on this track"},
	{0x64, 0x00, "illegal mode for this track"},
	{0x73, 0x00, "CD control error"},
	{0x73, 0x01, "power calibration area almost full"},
	{0x73, 0x02, "power calibration area is full"},
	{0x73, 0x03, "power calibration area error"},
	{0x73, 0xFF, "CD control error"},
};

const gchar *
rb_mmc_sense_describe(guint8 key, guint8 asc, guint8 ascq)
{
	if (key == RB_SENSE_NO_SENSE && asc == 0 && ascq == 0)
		return "no sense";
	/* exact matches come before the 0xFF wildcard of the same ASC */
	for (guint i = 0; i < G_N_ELEMENTS(rb_sense_texts); i++) {
		if (rb_sense_texts[i].asc == asc &&
		    (rb_sense_texts[i].ascq == ascq || rb_sense_texts[i].ascq == 0xFF))
			return rb_sense_texts[i].text;
	}
	return NULL;
}

GError *
rb_mmc_sense_to_error(const RbMmcSense *sense, guint8 opcode)
{
	RbError code;
	const gchar *text;
	g_autofree gchar *where = NULL;

	g_return_val_if_fail(sense != NULL, NULL);

	code = rb_mmc_sense_to_error_code(sense, opcode);
	text = rb_mmc_sense_describe(sense->key, sense->asc, sense->ascq);
	if (sense->information_valid)
		where = g_strdup_printf(", at LBA %d", sense->information);
	return rb_error_new(code,
			    "%s (%s: sense %02X/%02X/%02X%s%s%s%s)",
			    rb_error_get_description(code),
			    rb_mmc_opcode_to_string(opcode),
			    sense->key,
			    sense->asc,
			    sense->ascq,
			    text != NULL ? ", " : "",
			    text != NULL ? text : "",
			    where != NULL ? where : "",
			    sense->deferred ? ", deferred" : "");
}
