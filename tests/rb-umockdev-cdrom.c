/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The CD-ROM layer's reading ioctls as Linux answers them on an sr device,
 * turned into MMC commands for the emulated drive. Facts from Linux
 * drivers/cdrom/cdrom.c (cdrom_ioctl and its helpers) and
 * drivers/scsi/sr_ioctl.c, sr.c (sr_read_tochdr, sr_read_tocentry,
 * sr_do_ioctl, sr_select_speed, sr_cd_check); no kernel code is reused.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbUmockdevDrive"

#include <errno.h>
#include <linux/cdrom.h>
#include <string.h>

#include "rb-umockdev-cdrom.h"

#define RB_CDROM_TOC_REPLY 12
#define RB_CDROM_SUBCHANNEL_REPLY 16
#define RB_CDROM_MCN_REPLY 24
#define RB_CDROM_FRAMES_PER_AUDIO_READ 75
#define RB_CDROM_RAW_SIZE 2352
#define RB_CDROM_MODE2_SIZE 2336
#define RB_CDROM_MODE1_SIZE 2048

typedef struct {
	RbVdrive *vdrive;
	UMockdevIoctlClient *client;
	gboolean *unit_attention;
} RbCdrom;

static guint32
rb_cdrom_be32(const guint8 *p)
{
	return ((guint32)p[0] << 24) | ((guint32)p[1] << 16) | ((guint32)p[2] << 8) | p[3];
}

/* one command as sr_do_ioctl() sends it: a unit attention is retried
 * (and remembered as a medium change); the errno of a failure is
 * ENOMEDIUM for "medium not present", else EIO; 0 on success */
static gint
rb_cdrom_execute(RbCdrom *self, const guint8 *cdb, guint8 *buf, gsize len)
{
	RbMmcResult result;

	for (guint attempt = 0; attempt < 3; attempt++) {
		if (!rb_vdrive_execute(self->vdrive,
				       cdb,
				       12,
				       len > 0 ? RB_MMC_DIR_IN : RB_MMC_DIR_NONE,
				       buf,
				       len,
				       &result))
			return EIO;
		if (result.status == RB_SCSI_STATUS_GOOD)
			return 0;
		if ((result.sense[2] & 0x0F) != RB_SENSE_UNIT_ATTENTION)
			break;
		*self->unit_attention = TRUE;
	}
	if ((result.sense[2] & 0x0F) == RB_SENSE_NOT_READY && result.sense[12] == 0x3A)
		return ENOMEDIUM;
	return EIO;
}

static UMockdevIoctlData *
rb_cdrom_resolve_arg(RbCdrom *self, gsize len)
{
	UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(self->client);
	g_autoptr(GError) error = NULL;
	UMockdevIoctlData *data = umockdev_ioctl_data_resolve(arg, 0, len, &error);

	if (data == NULL)
		umockdev_ioctl_client_complete(self->client, -1, EFAULT);
	return data;
}

static void
rb_cdrom_complete(RbCdrom *self, gint err)
{
	umockdev_ioctl_client_complete(self->client, err != 0 ? -1 : 0, err);
}

/* sr_read_tochdr: READ TOC format 0 from track 0, 12 bytes */
static gint
rb_cdrom_read_tochdr(RbCdrom *self, struct cdrom_tochdr *hdr)
{
	guint8 cdb[12] = {0x43, 0, 0, 0, 0, 0, 0, 0, RB_CDROM_TOC_REPLY};
	guint8 buf[RB_CDROM_TOC_REPLY] = {0};
	gint err = rb_cdrom_execute(self, cdb, buf, sizeof(buf));

	if (err == 0) {
		hdr->cdth_trk0 = buf[2];
		hdr->cdth_trk1 = buf[3];
	}
	return err;
}

/* sr_read_tocentry: READ TOC format 0 from the track, MSF bit as asked;
 * the address of the first descriptor; data mode from the control nibble */
static gint
rb_cdrom_read_tocentry(RbCdrom *self, struct cdrom_tocentry *entry)
{
	gboolean msf = entry->cdte_format == CDROM_MSF;
	guint8 cdb[12] = {
		0x43, msf ? 0x02 : 0, 0, 0, 0, 0, entry->cdte_track, 0, RB_CDROM_TOC_REPLY};
	guint8 buf[RB_CDROM_TOC_REPLY] = {0};
	gint err;

	if (!msf && entry->cdte_format != CDROM_LBA)
		return EINVAL;
	err = rb_cdrom_execute(self, cdb, buf, sizeof(buf));
	if (err != 0)
		return err;
	entry->cdte_ctrl = buf[5] & 0x0F;
	entry->cdte_adr = buf[5] >> 4;
	entry->cdte_datamode = (entry->cdte_ctrl & CDROM_DATA_TRACK) ? 1 : 0;
	if (msf) {
		entry->cdte_addr.msf.minute = buf[9];
		entry->cdte_addr.msf.second = buf[10];
		entry->cdte_addr.msf.frame = buf[11];
	} else {
		entry->cdte_addr.lba = (gint)rb_cdrom_be32(buf + 8);
	}
	return 0;
}

/* the kernel's sanitize_format(): an address given as MSF or LBA turned
 * into the other the way cdrom.c does it, the relative address included */
static void
rb_cdrom_msf_to_format(union cdrom_addr *addr, guint8 format)
{
	if (format == CDROM_LBA) {
		gint lba = (addr->msf.minute * 60 + addr->msf.second) * 75 + addr->msf.frame -
			   CD_MSF_OFFSET;
		addr->lba = lba;
	}
}

static void
rb_cdrom_lba_to_format(union cdrom_addr *addr, guint8 format)
{
	if (format == CDROM_MSF) {
		gint lba = addr->lba + CD_MSF_OFFSET;
		addr->msf.minute = (guint8)(lba / (60 * 75));
		addr->msf.second = (guint8)((lba / 75) % 60);
		addr->msf.frame = (guint8)(lba % 75);
	}
}

static void
rb_cdrom_tochdr(RbCdrom *self)
{
	g_autoptr(UMockdevIoctlData) data = rb_cdrom_resolve_arg(self, sizeof(struct cdrom_tochdr));
	gint err;

	if (data == NULL)
		return;
	err = rb_cdrom_read_tochdr(self, (struct cdrom_tochdr *)data->data);
	rb_cdrom_complete(self, err);
}

static void
rb_cdrom_tocentry(RbCdrom *self)
{
	g_autoptr(UMockdevIoctlData) data =
		rb_cdrom_resolve_arg(self, sizeof(struct cdrom_tocentry));
	gint err;

	if (data == NULL)
		return;
	err = rb_cdrom_read_tocentry(self, (struct cdrom_tocentry *)data->data);
	rb_cdrom_complete(self, err);
}

/* cdrom_ioctl_disc_status() over cdrom_count_tracks(): the TOC's tracks
 * by their control nibble; the format field stays CDROM_MSF on sr, so
 * every data track counts as Mode 1 */
static gint
rb_cdrom_disc_status(RbCdrom *self)
{
	struct cdrom_tochdr hdr = {0};
	guint audio = 0, data = 0;
	gint err = rb_cdrom_read_tochdr(self, &hdr);

	if (err != 0)
		return err == ENOMEDIUM ? CDS_NO_DISC : CDS_NO_INFO;
	for (guint track = hdr.cdth_trk0; track <= hdr.cdth_trk1 && track != 0; track++) {
		struct cdrom_tocentry entry = {.cdte_track = (guint8)track,
					       .cdte_format = CDROM_MSF};

		if (rb_cdrom_read_tocentry(self, &entry) != 0)
			return CDS_NO_INFO;
		if (entry.cdte_ctrl & CDROM_DATA_TRACK)
			data++;
		else
			audio++;
	}
	if (audio > 0)
		return data > 0 ? CDS_MIXED : CDS_AUDIO;
	if (data > 0)
		return CDS_DATA_1;
	return CDS_NO_INFO;
}

/* cdrom_read_subchannel(): READ SUB-CHANNEL, MSF, SubQ, format 1 or 2 */
static gint
rb_cdrom_read_subchannel(RbCdrom *self, guint8 format, guint8 *buf, gsize len)
{
	guint8 cdb[12] = {0x42, 0x02, 0x40, format, 0, 0, 0, 0, (guint8)len};

	return rb_cdrom_execute(self, cdb, buf, len);
}

static void
rb_cdrom_subchnl(RbCdrom *self)
{
	g_autoptr(UMockdevIoctlData) data =
		rb_cdrom_resolve_arg(self, sizeof(struct cdrom_subchnl));
	struct cdrom_subchnl *q;
	guint8 buf[RB_CDROM_SUBCHANNEL_REPLY] = {0};
	guint8 requested;
	gint err;

	if (data == NULL)
		return;
	q = (struct cdrom_subchnl *)data->data;
	requested = q->cdsc_format;
	if (requested != CDROM_MSF && requested != CDROM_LBA) {
		rb_cdrom_complete(self, EINVAL);
		return;
	}
	err = rb_cdrom_read_subchannel(self, 1, buf, sizeof(buf));
	if (err != 0) {
		rb_cdrom_complete(self, err);
		return;
	}
	q->cdsc_audiostatus = buf[1];
	q->cdsc_adr = buf[5] >> 4;
	q->cdsc_ctrl = buf[5] & 0x0F;
	q->cdsc_trk = buf[6];
	q->cdsc_ind = buf[7];
	q->cdsc_absaddr.msf.minute = buf[9];
	q->cdsc_absaddr.msf.second = buf[10];
	q->cdsc_absaddr.msf.frame = buf[11];
	q->cdsc_reladdr.msf.minute = buf[13];
	q->cdsc_reladdr.msf.second = buf[14];
	q->cdsc_reladdr.msf.frame = buf[15];
	q->cdsc_format = requested;
	rb_cdrom_msf_to_format(&q->cdsc_absaddr, requested);
	rb_cdrom_msf_to_format(&q->cdsc_reladdr, requested);
	rb_cdrom_complete(self, 0);
}

/* cdrom_get_mcn(): READ SUB-CHANNEL format 2, 13 digits from byte 9 */
static void
rb_cdrom_get_mcn(RbCdrom *self)
{
	g_autoptr(UMockdevIoctlData) data = rb_cdrom_resolve_arg(self, sizeof(struct cdrom_mcn));
	guint8 buf[RB_CDROM_MCN_REPLY] = {0};
	gint err;

	if (data == NULL)
		return;
	err = rb_cdrom_read_subchannel(self, 2, buf, sizeof(buf));
	if (err == 0) {
		memcpy(data->data, buf + 9, 13);
		data->data[13] = 0;
	}
	rb_cdrom_complete(self, err);
}

/* sr_cd_check() on an MMC drive: READ TOC with the old-style session format
 * in byte 9 (40h); the first track of the last session is at byte 8, and a
 * disc whose last session starts with track 1 has offset 0.
 * cdrom_ioctl_multisession() then gives it as LBA or MSF */
static void
rb_cdrom_multisession(RbCdrom *self)
{
	g_autoptr(UMockdevIoctlData) data =
		rb_cdrom_resolve_arg(self, sizeof(struct cdrom_multisession));
	struct cdrom_multisession *ms;
	guint8 cdb[12] = {0x43, 0, 0, 0, 0, 0, 0, 0, RB_CDROM_TOC_REPLY, 0x40};
	guint8 buf[RB_CDROM_TOC_REPLY] = {0};
	guint8 requested;
	gint lba = 0;

	if (data == NULL)
		return;
	ms = (struct cdrom_multisession *)data->data;
	requested = ms->addr_format;
	if (requested != CDROM_MSF && requested != CDROM_LBA) {
		rb_cdrom_complete(self, EINVAL);
		return;
	}
	if (rb_cdrom_execute(self, cdb, buf, sizeof(buf)) == 0 &&
	    ((buf[0] << 8) | buf[1]) >= 0x0A && buf[6] > 1)
		lba = (gint)rb_cdrom_be32(buf + 8);
	ms->addr.lba = lba;
	ms->xa_flag = lba > 0;
	ms->addr_format = requested;
	rb_cdrom_lba_to_format(&ms->addr, requested);
	rb_cdrom_complete(self, 0);
}

/* cdrom_get_last_written(): the last track's start + size from READ DISC
 * INFORMATION and READ TRACK INFORMATION (the previous track if it is
 * blank), else the lead-out address of the TOC */
static gint
rb_cdrom_last_written(RbCdrom *self, glong *last)
{
	guint8 di_cdb[12] = {0x51, 0, 0, 0, 0, 0, 0, 0, 34};
	guint8 di[34] = {0};
	guint8 ti[36] = {0};
	struct cdrom_tocentry leadout = {.cdte_track = CDROM_LEADOUT, .cdte_format = CDROM_LBA};
	gint err;

	if (rb_cdrom_execute(self, di_cdb, di, sizeof(di)) == 0) {
		guint track = (guint)(di[11] << 8 | di[6]);

		for (guint attempt = 0; attempt < 2 && track >= 1; attempt++, track--) {
			guint8 ti_cdb[12] = {
				0x52, 0x01, 0, 0, (guint8)(track >> 8), (guint8)track, 0, 0, 36};

			if (rb_cdrom_execute(self, ti_cdb, ti, sizeof(ti)) != 0)
				break;
			if ((ti[6] & 0x40) != 0)
				continue; /* blank: try the one before */
			if ((ti[7] & 0x02) != 0) {
				*last = (gint32)rb_cdrom_be32(ti + 28);
				return 0;
			}
			*last = (gint32)rb_cdrom_be32(ti + 8) + (gint32)rb_cdrom_be32(ti + 24);
			if (rb_cdrom_be32(ti + 16) != 0)
				*last -= (glong)rb_cdrom_be32(ti + 16) + 7;
			return 0;
		}
	}
	err = rb_cdrom_read_tocentry(self, &leadout);
	if (err == 0)
		*last = leadout.cdte_addr.lba;
	return err;
}

/* mmc_ioctl_cdrom_read_data(): one block at an MSF address by READ CD;
 * the block overwrites the argument. Negative LBAs are refused. */
static void
rb_cdrom_read_data(RbCdrom *self, gulong request)
{
	gsize size = request == CDROMREADRAW     ? RB_CDROM_RAW_SIZE
		     : request == CDROMREADMODE1 ? RB_CDROM_MODE1_SIZE
						 : RB_CDROM_MODE2_SIZE;
	g_autoptr(UMockdevIoctlData) data = rb_cdrom_resolve_arg(self, size);
	struct cdrom_msf msf;
	guint8 cdb[12] = {0xBE};
	gint lba;

	if (data == NULL)
		return;
	memcpy(&msf, data->data, sizeof(msf));
	lba = (msf.cdmsf_min0 * 60 + msf.cdmsf_sec0) * 75 + msf.cdmsf_frame0 - CD_MSF_OFFSET;
	if (lba < 0) {
		rb_cdrom_complete(self, EINVAL);
		return;
	}
	/* cdrom_read_block(): expected type Mode 1 for CDROMREADMODE1, else
	 * any; the main channel part follows from the block size */
	cdb[1] = (guint8)((request == CDROMREADMODE1 ? 2 : 0) << 2);
	cdb[2] = (guint8)(lba >> 24);
	cdb[3] = (guint8)(lba >> 16);
	cdb[4] = (guint8)(lba >> 8);
	cdb[5] = (guint8)lba;
	cdb[8] = 1;
	cdb[9] = size == RB_CDROM_RAW_SIZE ? 0xF8 : size == RB_CDROM_MODE2_SIZE ? 0x58 : 0x10;
	rb_cdrom_complete(self, rb_cdrom_execute(self, cdb, data->data, size));
}

/* mmc_ioctl_cdrom_read_audio() / cdrom_read_cdda_old(): 1 to 75 CD-DA
 * frames by READ CD (expected type CD-DA, whole main channel) */
static void
rb_cdrom_read_audio(RbCdrom *self)
{
	g_autoptr(UMockdevIoctlData) data =
		rb_cdrom_resolve_arg(self, sizeof(struct cdrom_read_audio));
	g_autoptr(UMockdevIoctlData) frames = NULL;
	g_autoptr(GError) error = NULL;
	struct cdrom_read_audio *ra;
	guint8 cdb[12] = {0xBE, 1 << 2};
	gint lba;

	if (data == NULL)
		return;
	ra = (struct cdrom_read_audio *)data->data;
	if (ra->addr_format == CDROM_MSF)
		lba = (ra->addr.msf.minute * 60 + ra->addr.msf.second) * 75 + ra->addr.msf.frame -
		      CD_MSF_OFFSET;
	else if (ra->addr_format == CDROM_LBA)
		lba = ra->addr.lba;
	else {
		rb_cdrom_complete(self, EINVAL);
		return;
	}
	if (lba < 0 || ra->nframes <= 0 || ra->nframes > RB_CDROM_FRAMES_PER_AUDIO_READ) {
		rb_cdrom_complete(self, EINVAL);
		return;
	}
	frames = umockdev_ioctl_data_resolve(data,
					     G_STRUCT_OFFSET(struct cdrom_read_audio, buf),
					     (gsize)ra->nframes * RB_CDROM_RAW_SIZE,
					     &error);
	if (frames == NULL) {
		rb_cdrom_complete(self, EFAULT);
		return;
	}
	cdb[2] = (guint8)(lba >> 24);
	cdb[3] = (guint8)(lba >> 16);
	cdb[4] = (guint8)(lba >> 8);
	cdb[5] = (guint8)lba;
	cdb[8] = (guint8)ra->nframes;
	cdb[9] = 0xF8;
	rb_cdrom_complete(
		self,
		rb_cdrom_execute(self, cdb, frames->data, (gsize)ra->nframes * RB_CDROM_RAW_SIZE));
}

/* sr_select_speed(): SET CD SPEED, read = x·177 (0: the fastest) */
static void
rb_cdrom_select_speed(RbCdrom *self)
{
	UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(self->client);
	gulong speed = 0;
	guint16 kbs;
	guint8 cdb[12] = {0xBB, 0, 0, 0, 0xFF, 0xFF};

	memcpy(&speed, arg->data, MIN(sizeof(speed), (gsize)arg->data_len));
	kbs = speed == 0 || speed > 0xFFFF / 177 ? 0xFFFF : (guint16)(speed * 177);
	cdb[2] = (guint8)(kbs >> 8);
	cdb[3] = (guint8)kbs;
	rb_cdrom_complete(self, rb_cdrom_execute(self, cdb, NULL, 0));
}

gboolean
rb_umockdev_cdrom_handle(RbVdrive *vdrive,
			 UMockdevIoctlClient *client,
			 gulong request,
			 gboolean *unit_attention)
{
	RbCdrom self = {vdrive, client, unit_attention};

	switch (request) {
	case CDROMREADTOCHDR:
		rb_cdrom_tochdr(&self);
		return TRUE;
	case CDROMREADTOCENTRY:
		rb_cdrom_tocentry(&self);
		return TRUE;
	case CDROM_DISC_STATUS:
		umockdev_ioctl_client_complete(client, rb_cdrom_disc_status(&self), 0);
		return TRUE;
	case CDROMSUBCHNL:
		rb_cdrom_subchnl(&self);
		return TRUE;
	case CDROM_GET_MCN:
		rb_cdrom_get_mcn(&self);
		return TRUE;
	case CDROMMULTISESSION:
		rb_cdrom_multisession(&self);
		return TRUE;
	case CDROM_LAST_WRITTEN: {
		g_autoptr(UMockdevIoctlData) data = rb_cdrom_resolve_arg(&self, sizeof(glong));
		glong last = 0;
		gint err;

		if (data == NULL)
			return TRUE;
		err = rb_cdrom_last_written(&self, &last);
		if (err == 0)
			memcpy(data->data, &last, sizeof(last));
		rb_cdrom_complete(&self, err);
		return TRUE;
	}
	case CDROMREADRAW:
	case CDROMREADMODE1:
	case CDROMREADMODE2:
		rb_cdrom_read_data(&self, request);
		return TRUE;
	case CDROMREADAUDIO:
		rb_cdrom_read_audio(&self);
		return TRUE;
	case CDROM_SELECT_SPEED:
		rb_cdrom_select_speed(&self);
		return TRUE;
	default:
		return FALSE;
	}
}
