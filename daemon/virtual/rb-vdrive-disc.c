/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the emulated drive reads off its medium: the ATIP of a blank, and
 * after a recording the disc information, the TOC and the sectors, all
 * answered from what was written (data sectors descrambled, as a drive
 * does), never from what the host meant to write.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbVdrive"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "rb-scramble.h"
#include "rb-subchannel.h"
#include "rb-vdrive-private.h"

#define RB_ASC_INVALID_FIELD_IN_CDB 0x24
#define RB_ASC_LBA_OUT_OF_RANGE 0x21
#define RB_ASC_ILLEGAL_MODE 0x64
#define RB_ADR_Q_POSITION 0x10

/* READ CD main channel selections this drive takes */
#define RB_READ_CD_MAIN_NONE 0x00
#define RB_READ_CD_MAIN_USER_DATA 0x10
#define RB_READ_CD_MAIN_ALL 0xF8
#define RB_READ_CD_SUB_NONE 0
#define RB_READ_CD_SUB_RAW 1
#define RB_READ_CD_SUB_Q 2
#define RB_MODE1_USER_DATA_OFFSET 16
#define RB_MODE1_USER_DATA_SIZE 2048

gboolean
rb_vdrive_read_stored(RbVdrive *self, gint32 lba, guint8 *out)
{
	off_t offset = (off_t)(lba - self->info.leadin_start) * RB_VDRIVE_STORED_SIZE;
	gsize done = 0;

	while (done < RB_VDRIVE_STORED_SIZE) {
		ssize_t n = pread(
			self->fd, out + done, RB_VDRIVE_STORED_SIZE - done, offset + (off_t)done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return FALSE;
		if (n == 0) {
			/* never written: a sparse hole reads as zero */
			memset(out + done, 0, RB_VDRIVE_STORED_SIZE - done);
			break;
		}
		done += (gsize)n;
	}
	return TRUE;
}

static void
rb_vdrive_put_msf(guint8 *p, gint32 lba)
{
	RbMsf msf = {0};

	rb_msf_from_lba(lba, &msf);
	p[0] = msf.minute;
	p[1] = msf.second;
	p[2] = msf.frame;
}

static gboolean
rb_vdrive_recorded(RbVdrive *self)
{
	return self->disc_status != RB_VDRIVE_DISC_BLANK && !self->recording;
}

void
rb_vdrive_cmd_read_disc_information(
	RbVdrive *self, const guint8 *cdb, guint8 *buf, gsize len, RbMmcResult *result)
{
	guint8 data[34] = {0};
	guint tracks = MAX(self->report.tracks, 1);

	if ((cdb[1] & 0x07) != 0) {
		rb_vdrive_set_sense(
			result, RB_SENSE_ILLEGAL_REQUEST, RB_ASC_INVALID_FIELD_IN_CDB, 0);
		return;
	}
	if (!rb_vdrive_check_ready(self, result))
		return;
	rb_vdrive_put_be16(data, sizeof(data) - 2);
	data[2] = self->info.rewritable ? 0x10 : 0x00;
	switch (self->disc_status) {
	case RB_VDRIVE_DISC_BLANK:
		/* empty session, blank disc */
		break;
	case RB_VDRIVE_DISC_INCOMPLETE:
		data[2] |= (0x01 << 2) | 0x01;
		break;
	case RB_VDRIVE_DISC_COMPLETE:
		data[2] |= (0x03 << 2) | 0x02;
		break;
	}
	data[3] = 1;
	data[4] = 1;
	data[5] = 1;
	data[6] = (guint8)(self->disc_status == RB_VDRIVE_DISC_BLANK ? 1 : tracks);
	data[7] = 0x20; /* unrestricted use */
	if (self->disc_status == RB_VDRIVE_DISC_BLANK) {
		rb_vdrive_put_msf(data + 17, self->info.leadin_start);
		rb_vdrive_put_msf(data + 21, self->info.last_leadout_start);
	} else {
		memset(data + 16, 0xFF, 8);
	}
	rb_vdrive_reply(result, buf, len, rb_vdrive_get_be16(cdb + 7), data, sizeof(data));
}

void
rb_vdrive_cmd_read_track_information(
	RbVdrive *self, const guint8 *cdb, guint8 *buf, gsize len, RbMmcResult *result)
{
	guint8 data[36] = {0};
	guint32 number = rb_vdrive_get_be32(cdb + 2);
	gboolean raw_selected =
		self->write_params_set && (self->page05[2] & 0x0F) == RB_MMC_WRITE_TYPE_RAW;

	if (!rb_vdrive_check_ready(self, result))
		return;
	/* by track number only; FFh is the invisible (next writable) track */
	if ((cdb[1] & 0x03) != 0x01) {
		rb_vdrive_set_sense(
			result, RB_SENSE_ILLEGAL_REQUEST, RB_ASC_INVALID_FIELD_IN_CDB, 0);
		return;
	}
	rb_vdrive_put_be16(data, sizeof(data) - 2);
	data[2] = 1; /* track number LSB */
	data[3] = 1; /* session */
	if (self->disc_status == RB_VDRIVE_DISC_BLANK && (number == 1 || number == 0xFF)) {
		data[5] = 0x04;
		data[6] = 0x40 | 0x0F; /* blank, data mode unknown */
		data[7] = 0x01;        /* NWA valid */
		/* in raw mode the next writable address is the lead-in (as hosts expect) */
		rb_vdrive_put_be32(data + 12, raw_selected ? (guint32)self->info.leadin_start : 0);
		rb_vdrive_put_be32(data + 16, (guint32)self->info.last_leadout_start);
		rb_vdrive_put_be32(data + 24, (guint32)self->info.last_leadout_start);
	} else if (rb_vdrive_recorded(self) && number >= 1 && number <= self->report.tracks) {
		gint32 start = g_array_index(self->track_starts, gint32, number - 1);
		gint32 end = number < self->report.tracks
				     ? g_array_index(self->track_starts, gint32, number)
				     : self->leadout_start;
		data[2] = (guint8)number;
		data[5] = g_array_index(self->track_ctl, guint8, number - 1) & 0x0F;
		data[6] = 0x01;
		rb_vdrive_put_be32(data + 8, (guint32)start);
		rb_vdrive_put_be32(data + 24, (guint32)(end - start));
	} else {
		rb_vdrive_set_sense(
			result, RB_SENSE_ILLEGAL_REQUEST, RB_ASC_INVALID_FIELD_IN_CDB, 0);
		return;
	}
	rb_vdrive_reply(result, buf, len, rb_vdrive_get_be16(cdb + 7), data, sizeof(data));
}

static const RbVdriveTocEntry *
rb_vdrive_toc_point(RbVdrive *self, guint8 point)
{
	for (guint i = 0; i < self->toc->len; i++) {
		const RbVdriveTocEntry *entry = &g_array_index(self->toc, RbVdriveTocEntry, i);
		if (entry->point == point)
			return entry;
	}
	return NULL;
}

static void
rb_vdrive_toc_descriptor(GByteArray *out, guint8 ctl, guint8 track, gint32 lba, gboolean msf)
{
	guint8 d[8] = {0};

	d[1] = RB_ADR_Q_POSITION | (ctl & 0x0F);
	d[2] = track;
	if (msf)
		rb_vdrive_put_msf(d + 5, lba);
	else
		rb_vdrive_put_be32(d + 4, (guint32)lba);
	g_byte_array_append(out, d, sizeof(d));
}

static gboolean
rb_vdrive_toc_format_0(RbVdrive *self, const guint8 *cdb, GByteArray *out)
{
	gboolean msf = (cdb[1] & 0x02) != 0;
	guint8 start = cdb[6];
	const RbVdriveTocEntry *leadout = rb_vdrive_toc_point(self, RB_SUBQ_POINT_LEADOUT);
	guint8 last = (guint8)self->report.tracks;

	if (leadout == NULL || (start > last && start != RB_SUBQ_TNO_LEADOUT))
		return FALSE;
	out->data[2] = 1;
	out->data[3] = last;
	for (guint8 track = MAX(start, 1); track <= last && start != RB_SUBQ_TNO_LEADOUT; track++) {
		const RbVdriveTocEntry *entry = rb_vdrive_toc_point(self, track);
		if (entry != NULL)
			rb_vdrive_toc_descriptor(out, entry->ctl, track, entry->p_lba, msf);
	}
	rb_vdrive_toc_descriptor(out, leadout->ctl, RB_SUBQ_TNO_LEADOUT, leadout->p_lba, msf);
	return TRUE;
}

static gboolean
rb_vdrive_toc_format_1(RbVdrive *self, const guint8 *cdb, GByteArray *out)
{
	const RbVdriveTocEntry *first = rb_vdrive_toc_point(self, 1);

	if (first == NULL)
		return FALSE;
	out->data[2] = 1;
	out->data[3] = 1;
	rb_vdrive_toc_descriptor(out, first->ctl, 1, first->p_lba, (cdb[1] & 0x02) != 0);
	return TRUE;
}

/* the raw lead-in entries: A0, A1, A2, then the tracks */
static gboolean
rb_vdrive_toc_format_2(RbVdrive *self, GByteArray *out)
{
	const guint8 order[] = {
		RB_SUBQ_POINT_FIRST_TRACK, RB_SUBQ_POINT_LAST_TRACK, RB_SUBQ_POINT_LEADOUT};

	if (self->toc->len == 0)
		return FALSE;
	out->data[2] = 1;
	out->data[3] = 1;
	for (guint pass = 0; pass < 2; pass++) {
		for (guint i = 0; i < self->toc->len; i++) {
			const RbVdriveTocEntry *entry =
				&g_array_index(self->toc, RbVdriveTocEntry, i);
			gboolean is_pointer = memchr(order, entry->point, sizeof(order)) != NULL;
			guint8 d[11] = {
				1, (guint8)(RB_ADR_Q_POSITION | entry->ctl), 0, entry->point};

			if ((pass == 0) != is_pointer)
				continue;
			d[8] = entry->pmin;
			d[9] = entry->psec;
			d[10] = entry->pframe;
			g_byte_array_append(out, d, sizeof(d));
		}
	}
	return TRUE;
}

static void
rb_vdrive_toc_atip(RbVdrive *self, GByteArray *out)
{
	guint8 d[24] = {0};

	d[0] = 0x50 | 0x05;                                  /* writing power, reference speed */
	d[1] = 0x40;                                         /* unrestricted use */
	d[2] = 0x80 | (self->info.rewritable ? 0x40 : 0x00); /* disc type */
	rb_vdrive_put_msf(d + 4, self->info.leadin_start);
	rb_vdrive_put_msf(d + 8, self->info.last_leadout_start);
	g_byte_array_append(out, d, sizeof(d));
}

void
rb_vdrive_cmd_read_toc(
	RbVdrive *self, const guint8 *cdb, guint8 *buf, gsize len, RbMmcResult *result)
{
	g_autoptr(GByteArray) out = g_byte_array_new();
	guint8 format = cdb[2] & 0x0F;
	guint8 header[4] = {0};
	gboolean ok;

	if (!rb_vdrive_check_ready(self, result))
		return;
	g_byte_array_append(out, header, sizeof(header));
	switch (format) {
	case 0:
		ok = rb_vdrive_recorded(self) && rb_vdrive_toc_format_0(self, cdb, out);
		break;
	case 1:
		ok = rb_vdrive_recorded(self) && rb_vdrive_toc_format_1(self, cdb, out);
		break;
	case 2:
		ok = rb_vdrive_recorded(self) && rb_vdrive_toc_format_2(self, out);
		break;
	case 4:
		rb_vdrive_toc_atip(self, out);
		ok = TRUE;
		break;
	default:
		ok = FALSE;
	}
	/* a blank disc has no TOC to read */
	if (!ok) {
		rb_vdrive_set_sense(
			result, RB_SENSE_ILLEGAL_REQUEST, RB_ASC_INVALID_FIELD_IN_CDB, 0);
		return;
	}
	rb_vdrive_put_be16(out->data, (guint16)(out->len - 2));
	rb_vdrive_reply(result, buf, len, rb_vdrive_get_be16(cdb + 7), out->data, out->len);
}

void
rb_vdrive_cmd_read_cd(
	RbVdrive *self, const guint8 *cdb, guint8 *buf, gsize len, RbMmcResult *result)
{
	guint8 expected_type = (cdb[1] >> 2) & 0x07;
	gint32 lba = (gint32)rb_vdrive_get_be32(cdb + 2);
	guint32 count = ((guint32)cdb[6] << 16) | ((guint32)cdb[7] << 8) | cdb[8];
	guint8 main_selection = cdb[9];
	guint8 sub_selection = cdb[10] & 0x07;
	gsize offset = 0;

	if (!rb_vdrive_check_ready(self, result))
		return;
	if ((main_selection != RB_READ_CD_MAIN_NONE &&
	     main_selection != RB_READ_CD_MAIN_USER_DATA &&
	     main_selection != RB_READ_CD_MAIN_ALL) ||
	    sub_selection > RB_READ_CD_SUB_Q || expected_type > 2) {
		rb_vdrive_set_sense(
			result, RB_SENSE_ILLEGAL_REQUEST, RB_ASC_INVALID_FIELD_IN_CDB, 0);
		return;
	}
	if (!rb_vdrive_recorded(self) || lba < 0 || (gint64)lba + count > self->next_lba) {
		rb_vdrive_set_sense(result, RB_SENSE_ILLEGAL_REQUEST, RB_ASC_LBA_OUT_OF_RANGE, 0);
		return;
	}
	for (guint32 i = 0; i < count; i++) {
		guint8 stored[RB_VDRIVE_STORED_SIZE];
		guint8 *main_channel = stored;
		gboolean is_data;
		const guint8 *part = main_channel;
		gsize part_len = 0;

		if (!rb_vdrive_read_stored(self, lba + (gint32)i, stored)) {
			rb_vdrive_set_sense(result, RB_SENSE_MEDIUM_ERROR, 0x11, 0x00);
			return;
		}
		/* the drive descrambles what it reads; audio was never scrambled */
		is_data = rb_scramble_has_sync(main_channel);
		if (is_data)
			rb_scramble_sector(main_channel);
		if ((expected_type == 1 && is_data) || (expected_type == 2 && !is_data)) {
			rb_vdrive_set_sense(
				result, RB_SENSE_ILLEGAL_REQUEST, RB_ASC_ILLEGAL_MODE, 0);
			return;
		}
		if (main_selection == RB_READ_CD_MAIN_ALL ||
		    (main_selection == RB_READ_CD_MAIN_USER_DATA && !is_data))
			part_len = RB_VDRIVE_MAIN_SIZE;
		else if (main_selection == RB_READ_CD_MAIN_USER_DATA) {
			part = main_channel + RB_MODE1_USER_DATA_OFFSET;
			part_len = RB_MODE1_USER_DATA_SIZE;
		}
		if (offset + part_len > len)
			break;
		memcpy(buf + offset, part, part_len);
		offset += part_len;
		if (sub_selection == RB_READ_CD_SUB_RAW) {
			if (offset + RB_SUBCHANNEL_PW_SIZE > len)
				break;
			memcpy(buf + offset, stored + RB_VDRIVE_MAIN_SIZE, RB_SUBCHANNEL_PW_SIZE);
			offset += RB_SUBCHANNEL_PW_SIZE;
		} else if (sub_selection == RB_READ_CD_SUB_Q) {
			if (offset + 16 > len)
				break;
			memset(buf + offset, 0, 16);
			rb_subchannel_pw_get_q(stored + RB_VDRIVE_MAIN_SIZE, buf + offset);
			offset += 16;
		}
	}
	result->residual = len - offset;
}
