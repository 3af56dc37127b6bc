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
#define RB_ASC_NO_SEEK_COMPLETE 0x02
#define RB_ASC_MEDIUM_ERROR_UNRECOVERED 0x11
/* Q control bit 2 (byte 0 bit 6): a data track */
#define RB_Q_CONTROL_DATA 0x40
#define RB_ADR_Q_POSITION 0x10

/* READ CD byte 9: which parts of the main channel (MMC field bits) */
#define RB_READ_CD_SYNC 0x80
#define RB_READ_CD_HEADER 0x20    /* header code bit 0: the 4-byte header */
#define RB_READ_CD_SUBHEADER 0x40 /* header code bit 1: the Mode 2 sub-header */
#define RB_READ_CD_USER_DATA 0x10
#define RB_READ_CD_EDC_ECC 0x08
#define RB_READ_CD_C2 0x06
#define RB_CD_SYNC_BYTES 12
#define RB_CD_HEADER_BYTES 4
#define RB_CD_SUBHEADER_BYTES 8
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

/*
 * CD-TEXT: the packs the lead-in carried, each once, in block and sequence
 * order, after a header whose bytes 2-3 are reserved. A disc without
 * CD-TEXT gives the header alone (data length 2) with GOOD status, as
 * CDEmu's drive does (cdemu-daemon device-commands.c, READ TOC format 5);
 * every host copes with that answer as "no CD-TEXT" (libcdio
 * get_cdtext_generic(): data length - 2 = 0 is no CD-TEXT; cdrdao
 * CdrDriver::readCdTextPacks(): length <= 4 is none; libburn
 * mmc_get_leadin_text(): fewer than 22 bytes is none), and those hosts
 * take a CHECK CONDITION the same way, so the choice misleads none of them.
 * What MMC itself prescribes for this case is UNCONFIRMED here.
 */
static void
rb_vdrive_toc_format_5(RbVdrive *self, GByteArray *out)
{
	rb_vdrive_cdtext_append(self, out);
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

/* the fault StaleToc: the TOC still that of the blank disc after a raw
 * DAO write, which is why wodim reloads the tray before reading it
 * (mmc-notes) */
static gboolean
rb_vdrive_toc_current(RbVdrive *self)
{
	return rb_vdrive_recorded(self) && !self->faults.stale_toc;
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
	/* the pre-MMC place of the format, byte 9 bits 7-6, still honoured when
	 * byte 2 says 0: Linux sr_cd_check() asks for the session info so */
	if (format == 0)
		format = cdb[9] >> 6;
	g_byte_array_append(out, header, sizeof(header));
	switch (format) {
	case 0:
		ok = rb_vdrive_toc_current(self) && rb_vdrive_toc_format_0(self, cdb, out);
		break;
	case 1:
		ok = rb_vdrive_toc_current(self) && rb_vdrive_toc_format_1(self, cdb, out);
		break;
	case 2:
		ok = rb_vdrive_toc_current(self) && rb_vdrive_toc_format_2(self, out);
		break;
	case 4:
		rb_vdrive_toc_atip(self, out);
		ok = TRUE;
		break;
	case 5:
		ok = rb_vdrive_recorded(self);
		if (ok)
			rb_vdrive_toc_format_5(self, out);
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

/*
 * The part of a sector's main channel that READ CD byte 9 selects. Audio
 * has no sync, header or EDC: any selection with user data gives all 2352
 * bytes. A data sector gives the fields asked for in disc order: sync
 * (0-11), header (12-15: header codes 01b and 11b), Mode 2 sub-header
 * (16-23: codes 10b and 11b; Mode 1 has none), user data (2048 for Mode 1
 * from 16, 2336 for Mode 2), EDC/ECC (Mode 1: 2064-2351). The fields are
 * contiguous, so the selection is one run of bytes.
 */
static void
rb_vdrive_read_cd_part(const guint8 *sector,
		       gboolean is_data,
		       guint8 selection,
		       const guint8 **part,
		       gsize *part_len)
{
	gsize first = RB_VDRIVE_MAIN_SIZE;
	gsize end = 0;
	gboolean mode1 = is_data && sector[RB_CD_SYNC_BYTES + 3] == 1;
	gsize user_end =
		mode1 ? RB_MODE1_USER_DATA_OFFSET + RB_MODE1_USER_DATA_SIZE : RB_VDRIVE_MAIN_SIZE;

	*part = sector;
	*part_len = 0;
	if (!is_data) {
		if ((selection & RB_READ_CD_USER_DATA) != 0)
			*part_len = RB_VDRIVE_MAIN_SIZE;
		return;
	}
	if ((selection & RB_READ_CD_SYNC) != 0) {
		first = 0;
		end = MAX(end, RB_CD_SYNC_BYTES);
	}
	if ((selection & RB_READ_CD_HEADER) != 0) {
		first = MIN(first, RB_CD_SYNC_BYTES);
		end = MAX(end, RB_CD_SYNC_BYTES + RB_CD_HEADER_BYTES);
	}
	if ((selection & RB_READ_CD_SUBHEADER) != 0 && !mode1) {
		first = MIN(first, RB_MODE1_USER_DATA_OFFSET);
		end = MAX(end, RB_MODE1_USER_DATA_OFFSET + RB_CD_SUBHEADER_BYTES);
	}
	if ((selection & RB_READ_CD_USER_DATA) != 0) {
		first = MIN(first, RB_MODE1_USER_DATA_OFFSET);
		end = MAX(end, user_end);
	}
	if ((selection & RB_READ_CD_EDC_ECC) != 0 && mode1) {
		first = MIN(first, user_end);
		end = RB_VDRIVE_MAIN_SIZE;
	}
	if (end > first) {
		*part = sector + first;
		*part_len = end - first;
	}
}

/*
 * Whether a stored sector is read back descrambled. A real drive goes by
 * the track's mode, which the TOC's control field (made from Q's) gives,
 * not by what the bytes look like: a data track's sector opens with the
 * sync pattern, but so may a few audio samples. The sector's own Q control
 * says the track's mode here; the sync is required too, since a data
 * track's sector without one (a damaged or deliberately odd stream) has
 * nothing a drive could descramble. The rule is the daemon's
 * rb_verify_sector_is_data(), so that both read a disc alike.
 */
gboolean
rb_vdrive_stored_is_data(const guint8 *stored)
{
	guint8 q[RB_SUBQ_SIZE];

	rb_subchannel_pw_get_q(stored + RB_VDRIVE_MAIN_SIZE, q);
	return (q[0] & RB_Q_CONTROL_DATA) != 0 && rb_scramble_has_sync(stored);
}

/* FALSE when @buf is full */
static gboolean
rb_vdrive_read_cd_append(guint8 *buf, gsize len, gsize *offset, const guint8 *part, gsize part_len)
{
	gsize n = MIN(part_len, len - *offset);

	if (n > 0)
		memcpy(buf + *offset, part, n);
	*offset += n;
	return n == part_len;
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
	/* no C2 error pointers: this drive never has read errors to point at */
	if ((main_selection & RB_READ_CD_C2) != 0 || sub_selection > RB_READ_CD_SUB_Q ||
	    expected_type > 2) {
		rb_vdrive_set_sense(
			result, RB_SENSE_ILLEGAL_REQUEST, RB_ASC_INVALID_FIELD_IN_CDB, 0);
		return;
	}
	/*
	 * A reading drive returns the pregap of track 1, LBA -150..-1, like the
	 * program area, but not the lead-in below it: there READ CD fails with
	 * 05/21/00 (LBA out of range). Firmware differs at the edges (redumper,
	 * superg/redumper drive.ixx and drive/plextor.ixx: per-drive "pregap
	 * start" of -135 or -150 for READ CD; Plextor firmware blocks READ CD
	 * below -20000 and only vendor commands reach the lead-in), and Linux's
	 * own CDROMREADAUDIO and CDROMREAD* ioctls refuse any LBA < 0 with EINVAL
	 * (drivers/cdrom/cdrom.c mmc_ioctl_cdrom_read_audio,
	 * mmc_ioctl_cdrom_read_data), so the pregap is read with READ CD through
	 * SG_IO or CDROM_SEND_PACKET, as cdrdao and libcdio's MMC reads do.
	 */
	if (!rb_vdrive_recorded(self) || lba < -RB_CD_MSF_OFFSET ||
	    (gint64)lba + count > self->next_lba) {
		rb_vdrive_set_sense(result, RB_SENSE_ILLEGAL_REQUEST, RB_ASC_LBA_OUT_OF_RANGE, 0);
		return;
	}
	/* the fault RefusePregapRead: firmware that cannot seek into the
	 * pregap answers NO SEEK COMPLETE rather than ILLEGAL REQUEST */
	if (self->faults.refuse_pregap_read && lba < 0) {
		rb_vdrive_set_sense(result, RB_SENSE_MEDIUM_ERROR, RB_ASC_NO_SEEK_COMPLETE, 0);
		return;
	}
	/* the fault UnreadableAtLba: a sector no retry recovers fails the whole
	 * READ CD with UNRECOVERED READ ERROR, its LBA in INFORMATION */
	if (self->faults.unreadable_at_lba != RB_VDRIVE_FAULT_OFF &&
	    self->faults.unreadable_at_lba >= lba &&
	    (gint64)self->faults.unreadable_at_lba < (gint64)lba + count) {
		rb_vdrive_set_sense(
			result, RB_SENSE_MEDIUM_ERROR, RB_ASC_MEDIUM_ERROR_UNRECOVERED, 0);
		rb_vdrive_set_sense_information(result, self->faults.unreadable_at_lba);
		return;
	}
	for (guint32 i = 0; i < count; i++) {
		guint8 stored[RB_VDRIVE_STORED_SIZE];
		guint8 *main_channel = stored;
		gboolean is_data;
		const guint8 *part = main_channel;
		gsize part_len = 0;

		if (!rb_vdrive_read_stored(self, lba + (gint32)i, stored)) {
			rb_vdrive_set_sense(
				result, RB_SENSE_MEDIUM_ERROR, RB_ASC_MEDIUM_ERROR_UNRECOVERED, 0);
			return;
		}
		/* the drive descrambles a sector of a data track; audio was never
		 * scrambled, even where its samples happen to look like a sync */
		is_data = rb_vdrive_stored_is_data(stored);
		if (is_data)
			rb_scramble_sector(main_channel);
		if ((expected_type == 1 && is_data) || (expected_type == 2 && !is_data)) {
			rb_vdrive_set_sense(
				result, RB_SENSE_ILLEGAL_REQUEST, RB_ASC_ILLEGAL_MODE, 0);
			return;
		}
		rb_vdrive_read_cd_part(main_channel, is_data, main_selection, &part, &part_len);
		self->last_read_lba = lba + (gint32)i;
		/* a host buffer shorter than the transfer gets what fits, as the
		 * kernel cuts a transfer at the buffer's end */
		if (!rb_vdrive_read_cd_append(buf, len, &offset, part, part_len))
			break;
		if (sub_selection == RB_READ_CD_SUB_RAW) {
			if (!rb_vdrive_read_cd_append(buf,
						      len,
						      &offset,
						      stored + RB_VDRIVE_MAIN_SIZE,
						      RB_SUBCHANNEL_PW_SIZE))
				break;
		} else if (sub_selection == RB_READ_CD_SUB_Q) {
			guint8 q[16] = {0};

			rb_subchannel_pw_get_q(stored + RB_VDRIVE_MAIN_SIZE, q);
			if (!rb_vdrive_read_cd_append(buf, len, &offset, q, sizeof(q)))
				break;
		}
	}
	result->residual = len - offset;
}
