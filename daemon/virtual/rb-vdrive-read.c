/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What readers of a written disc ask besides READ TOC and READ CD: READ
 * CAPACITY, READ(10) of Mode 1 user data, READ SUB-CHANNEL (the current
 * position, the MCN and a track's ISRC, which the Linux cdrom layer's
 * CDROMSUBCHNL and CDROM_GET_MCN are built on) and REZERO UNIT, which
 * cdrdao sends first. All answered from the recorded sectors.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbVdrive"

#include <string.h>

#include "rb-scramble.h"
#include "rb-subchannel.h"
#include "rb-vdrive-private.h"

#define RB_ASC_INVALID_FIELD_IN_CDB 0x24
#define RB_ASC_LBA_OUT_OF_RANGE 0x21
#define RB_ASC_ILLEGAL_MODE 0x64
#define RB_ASC_MEDIUM_ERROR_UNRECOVERED 0x11
#define RB_READ_BLOCK_SIZE 2048
#define RB_MODE1_USER_DATA_OFFSET 16
#define RB_MODE_BYTE 15
/* READ SUB-CHANNEL: "no current audio status to return" (nothing plays) */
#define RB_AUDIO_STATUS_NONE 0x15
#define RB_SUBCHANNEL_FORMAT_POSITION 0x01
#define RB_SUBCHANNEL_FORMAT_MCN 0x02
#define RB_SUBCHANNEL_FORMAT_ISRC 0x03
/* how far a drive looks for an MCN or ISRC frame: Red Book puts one in at
 * least every 100 frames; a few hundred is plenty */
#define RB_SUBCHANNEL_SCAN_SECTORS 300

static gboolean
rb_vdrive_read_recorded(RbVdrive *self)
{
	return self->disc_status != RB_VDRIVE_DISC_BLANK && !self->recording;
}

void
rb_vdrive_cmd_rezero_unit(RbVdrive *self, RbMmcResult *result)
{
	/* a seek to LBA 0: nothing moves in an emulation */
	if (rb_vdrive_check_ready(self, result))
		self->last_read_lba = 0;
}

/* the last readable block and the block length of READ(10) */
void
rb_vdrive_cmd_read_capacity(
	RbVdrive *self, const guint8 *cdb, guint8 *buf, gsize len, RbMmcResult *result)
{
	guint8 data[8] = {0};
	gint32 last = 0;

	if (!rb_vdrive_check_ready(self, result))
		return;
	/* a CD's capacity ends before the lead-out; a blank one holds nothing */
	if (rb_vdrive_read_recorded(self) && self->leadout_start != G_MININT32)
		last = self->leadout_start - 1;
	else if (rb_vdrive_read_recorded(self))
		last = self->next_lba - 1;
	rb_vdrive_put_be32(data, (guint32)MAX(last, 0));
	rb_vdrive_put_be32(data + 4, RB_READ_BLOCK_SIZE);
	rb_vdrive_reply(result, buf, len, sizeof(data), data, sizeof(data));
}

/* READ(10) reads 2048-byte Mode 1 user data; audio and other modes are
 * refused with ILLEGAL MODE FOR THIS TRACK as by drives at the default
 * block length */
void
rb_vdrive_cmd_read_10(
	RbVdrive *self, const guint8 *cdb, guint8 *buf, gsize len, RbMmcResult *result)
{
	gint32 lba = (gint32)rb_vdrive_get_be32(cdb + 2);
	guint16 count = rb_vdrive_get_be16(cdb + 7);
	gint32 end = self->leadout_start != G_MININT32 ? self->leadout_start : self->next_lba;
	gsize offset = 0;

	if (!rb_vdrive_check_ready(self, result))
		return;
	if (!rb_vdrive_read_recorded(self) || lba < 0 || (gint64)lba + count > end) {
		rb_vdrive_set_sense(result, RB_SENSE_ILLEGAL_REQUEST, RB_ASC_LBA_OUT_OF_RANGE, 0);
		return;
	}
	for (guint i = 0; i < count && offset + RB_READ_BLOCK_SIZE <= len; i++) {
		guint8 stored[RB_VDRIVE_STORED_SIZE];

		if (!rb_vdrive_read_stored(self, lba + (gint32)i, stored)) {
			rb_vdrive_set_sense(
				result, RB_SENSE_MEDIUM_ERROR, RB_ASC_MEDIUM_ERROR_UNRECOVERED, 0);
			return;
		}
		if (!rb_vdrive_stored_is_data(stored)) {
			rb_vdrive_set_sense(
				result, RB_SENSE_ILLEGAL_REQUEST, RB_ASC_ILLEGAL_MODE, 0);
			return;
		}
		rb_scramble_sector(stored);
		if (stored[RB_MODE_BYTE] != 1) {
			rb_vdrive_set_sense(
				result, RB_SENSE_ILLEGAL_REQUEST, RB_ASC_ILLEGAL_MODE, 0);
			return;
		}
		memcpy(buf + offset, stored + RB_MODE1_USER_DATA_OFFSET, RB_READ_BLOCK_SIZE);
		offset += RB_READ_BLOCK_SIZE;
		self->last_read_lba = lba + (gint32)i;
	}
	result->residual = len - offset;
}

static gboolean
rb_vdrive_stored_q(RbVdrive *self, gint32 lba, guint8 *q)
{
	guint8 stored[RB_VDRIVE_STORED_SIZE];

	if (!rb_vdrive_read_stored(self, lba, stored))
		return FALSE;
	rb_subchannel_pw_get_q(stored + RB_VDRIVE_MAIN_SIZE, q);
	return rb_subq_check_crc(q);
}

static guint8
rb_vdrive_from_bcd(guint8 bcd)
{
	guint8 value = 0;

	rb_bcd_decode(bcd, &value);
	return value;
}

/* format 01h: where the head is, from the Q of the last sector read (the
 * next position frame when that one carries an MCN or ISRC) */
static gboolean
rb_vdrive_subchannel_position(RbVdrive *self, gboolean msf, guint8 *d)
{
	gint32 lba = CLAMP(self->last_read_lba, -RB_CD_MSF_OFFSET, self->next_lba - 1);
	guint8 q[RB_SUBQ_SIZE];
	gboolean found = FALSE;

	for (guint i = 0; i < 10 && lba + (gint32)i < self->next_lba; i++) {
		if (rb_vdrive_stored_q(self, lba + (gint32)i, q) &&
		    (q[0] & 0x0F) == RB_SUBQ_ADR_POSITION) {
			lba += (gint32)i;
			found = TRUE;
			break;
		}
	}
	if (!found)
		return FALSE;
	d[0] = RB_SUBCHANNEL_FORMAT_POSITION;
	/* ADR in the high nibble here, the reverse of the Q byte */
	d[1] = (guint8)(((q[0] & 0x0F) << 4) | (q[0] >> 4));
	/* the lead-out's track number AAh is not BCD and is passed as it is */
	d[2] = q[1] == RB_SUBQ_TNO_LEADOUT ? RB_SUBQ_TNO_LEADOUT : rb_vdrive_from_bcd(q[1]);
	d[3] = rb_vdrive_from_bcd(q[2]);
	if (msf) {
		d[5] = rb_vdrive_from_bcd(q[7]);
		d[6] = rb_vdrive_from_bcd(q[8]);
		d[7] = rb_vdrive_from_bcd(q[9]);
		d[9] = rb_vdrive_from_bcd(q[3]);
		d[10] = rb_vdrive_from_bcd(q[4]);
		d[11] = rb_vdrive_from_bcd(q[5]);
	} else {
		gint32 start = lba;
		guint track = d[2];

		if (track >= 1 && track <= self->track_starts->len)
			start = g_array_index(self->track_starts, gint32, track - 1);
		rb_vdrive_put_be32(d + 4, (guint32)lba);
		/* negative in a pregap, counting towards index 1 */
		rb_vdrive_put_be32(d + 8, (guint32)(lba - start));
	}
	return TRUE;
}

/* the MCN: 13 BCD digits in Q bytes 1-7 (cdrdao PQSubChannel16, wodim
 * subchan.c) */
static void
rb_vdrive_decode_mcn(const guint8 *q, guint8 *out)
{
	for (guint i = 0; i < 13; i++) {
		guint8 byte = q[1 + i / 2];
		out[i] = (guint8)('0' + ((i % 2 == 0) ? byte >> 4 : byte & 0x0F));
	}
}

/* the ISRC: five 6-bit characters (value + '0', as wodim's subchan.c
 * encodes them) in Q bytes 1-4, then 7 BCD digits */
static void
rb_vdrive_decode_isrc(const guint8 *q, guint8 *out)
{
	guint32 bits = rb_vdrive_get_be32(q + 1);

	for (guint i = 0; i < 5; i++)
		out[i] = (guint8)('0' + ((bits >> (26 - 6 * i)) & 0x3F));
	/* the first digit in the high nibble of byte 5 (cdrdao SubChannel.cc) */
	for (guint i = 0; i < 7; i++) {
		guint8 byte = q[5 + i / 2];
		out[5 + i] = (guint8)('0' + ((i % 2 == 0) ? byte >> 4 : byte & 0x0F));
	}
}

/* looks for a Q frame of @adr from @lba on; in a track only */
static gboolean
rb_vdrive_find_adr(RbVdrive *self, gint32 lba, gint32 end, guint8 adr, guint8 *q)
{
	for (gint32 i = 0; i < RB_SUBCHANNEL_SCAN_SECTORS && lba + i < end; i++) {
		if (rb_vdrive_stored_q(self, lba + i, q) && (q[0] & 0x0F) == adr)
			return TRUE;
	}
	return FALSE;
}

void
rb_vdrive_cmd_read_subchannel(
	RbVdrive *self, const guint8 *cdb, guint8 *buf, gsize len, RbMmcResult *result)
{
	gboolean msf = (cdb[1] & 0x02) != 0;
	gboolean subq = (cdb[2] & 0x40) != 0;
	guint8 format = cdb[3];
	guint8 track = cdb[6];
	guint8 data[24] = {0};
	gsize data_len = 4;
	guint8 q[RB_SUBQ_SIZE];

	if (!rb_vdrive_check_ready(self, result))
		return;
	if (format < RB_SUBCHANNEL_FORMAT_POSITION || format > RB_SUBCHANNEL_FORMAT_ISRC ||
	    (format == RB_SUBCHANNEL_FORMAT_ISRC &&
	     (track < 1 || track > self->track_starts->len))) {
		rb_vdrive_set_sense(
			result, RB_SENSE_ILLEGAL_REQUEST, RB_ASC_INVALID_FIELD_IN_CDB, 0);
		return;
	}
	data[1] = RB_AUDIO_STATUS_NONE;
	if (subq && rb_vdrive_read_recorded(self)) {
		switch (format) {
		case RB_SUBCHANNEL_FORMAT_POSITION:
			if (rb_vdrive_subchannel_position(self, msf, data + 4))
				data_len = 16;
			break;
		case RB_SUBCHANNEL_FORMAT_MCN:
			data[4] = format;
			if (rb_vdrive_find_adr(self, 0, self->next_lba, RB_SUBQ_ADR_MCN, q)) {
				data[8] = 0x80; /* MCVal */
				rb_vdrive_decode_mcn(q, data + 9);
			}
			data_len = 24;
			break;
		case RB_SUBCHANNEL_FORMAT_ISRC: {
			gint32 start = g_array_index(self->track_starts, gint32, track - 1);
			gint32 end = track < self->track_starts->len
					     ? g_array_index(self->track_starts, gint32, track)
					     : self->next_lba;

			data[4] = format;
			data[6] = track;
			if (rb_vdrive_find_adr(self, start, end, RB_SUBQ_ADR_ISRC, q)) {
				data[5] = (guint8)((RB_SUBQ_ADR_ISRC << 4) | (q[0] >> 4));
				data[8] = 0x80; /* TCVal */
				rb_vdrive_decode_isrc(q, data + 9);
			}
			data_len = 24;
			break;
		}
		}
	}
	rb_vdrive_put_be16(data + 2, (guint16)(data_len - 4));
	rb_vdrive_reply(result, buf, len, rb_vdrive_get_be16(cdb + 7), data, data_len);
}
