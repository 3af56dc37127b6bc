/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The emulated recorder behind umockdev. The testbed gets the sysfs and udev
 * view of an ATAPI CD-RW drive (SCSI device 1:0:0:0 with its block device
 * sr0 and its sg0 sibling); one ioctl handler, attached to every node a
 * program may open, turns SG_IO and CDROM_SEND_PACKET into
 * rb_vdrive_execute() calls and answers the sr and sg drivers' housekeeping
 * ioctls itself, as Linux 6.1 does.
 *
 * umockdev runs every handler on its own worker thread, so the handler's
 * state is behind a mutex; RbVdrive is thread-safe by itself.
 */
#include "config.h"

#include <stdlib.h>

#define G_LOG_DOMAIN "RbUmockdevDrive"

#include <errno.h>
#include <linux/cdrom.h>
#include <linux/hdreg.h>
#include <scsi/scsi.h>
#include <scsi/sg.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "rb-umockdev-cdrom.h"
#include "rb-umockdev-drive.h"

#define RB_UMOCKDEV_PRELOAD "libumockdev-preload.so.0"
#define RB_UMOCKDEV_SG_VERSION 30527
/* every device node a program may open for the drive; the handler is found
 * by the literal path given to open(), so each alias needs it attached */
static const gchar *const rb_umockdev_sr_nodes[] = {"/dev/sr0", "/dev/cdrom", "/dev/scd0"};
#define RB_UMOCKDEV_SG_NODE "/dev/sg0"
/* aliases of sr0: S: symlinks in the testbed, each with its own major:minor
 * entry so that stat() of the alias reports 11:0 as on a real system */
static const gchar *const rb_umockdev_sr_aliases[] = {"cdrom", "scd0"};

#if defined(__SANITIZE_ADDRESS__)
#define RB_UMOCKDEV_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RB_UMOCKDEV_ASAN 1
#endif
#endif

/* ------------------------------------------------------------------------ */
/* the preload */

static gboolean
rb_umockdev_preload_is_loaded(void)
{
	g_autofree gchar *maps = NULL;

	if (!g_file_get_contents("/proc/self/maps", &maps, NULL, NULL))
		return TRUE; /* cannot tell: let the testbed show it */
	return strstr(maps, "libumockdev-preload.so") != NULL;
}

gboolean
rb_umockdev_drive_ensure_preload(gchar **argv, GError **error)
{
	const gchar *preload = g_getenv("LD_PRELOAD");
	g_autofree gchar *new_preload = NULL;

	g_return_val_if_fail(argv != NULL && argv[0] != NULL, FALSE);

	if (preload != NULL && strstr(preload, "libumockdev-preload.so") != NULL) {
		/* named but absent: the dynamic loader could not find it, and
		 * re-executing again would loop */
		if (!rb_umockdev_preload_is_loaded()) {
			g_set_error(error,
				    G_IO_ERROR,
				    G_IO_ERROR_NOT_FOUND,
				    "LD_PRELOAD names %s but it was not loaded; is umockdev "
				    "installed?",
				    RB_UMOCKDEV_PRELOAD);
			return FALSE;
		}
		return TRUE;
	}

	if (preload != NULL && preload[0] != '\0')
		new_preload = g_strconcat(RB_UMOCKDEV_PRELOAD, ":", preload, NULL);
	else
		new_preload = g_strdup(RB_UMOCKDEV_PRELOAD);
	g_setenv("LD_PRELOAD", new_preload, TRUE);
#ifdef RB_UMOCKDEV_ASAN
	{
		/* ASan insists on coming first in the library list, which a
		 * preload makes impossible; tell it that this is intended */
		const gchar *asan = g_getenv("ASAN_OPTIONS");
		g_autofree gchar *new_asan = NULL;

		if (asan != NULL && asan[0] != '\0')
			new_asan = g_strconcat(asan, ":verify_asan_link_order=0", NULL);
		else
			new_asan = g_strdup("verify_asan_link_order=0");
		g_setenv("ASAN_OPTIONS", new_asan, TRUE);
	}
#endif
	/* /proc/self/exe, not argv[0]: the program may have been found on
	 * $PATH or started through a relative path from another directory */
	execv("/proc/self/exe", argv);
	g_set_error(error,
		    G_IO_ERROR,
		    g_io_error_from_errno(errno),
		    "Cannot re-execute %s under %s: %s",
		    argv[0],
		    RB_UMOCKDEV_PRELOAD,
		    g_strerror(errno));
	return FALSE;
}

void
rb_umockdev_drive_ensure_preload_or_exit(gchar **argv)
{
	g_autoptr(GError) error = NULL;

	if (!rb_umockdev_drive_ensure_preload(argv, &error)) {
		g_printerr("%s\n", error->message);
		exit(99);
	}
}

/* ------------------------------------------------------------------------ */
/* the ioctl handler */

/* what the kernel keeps per request queue (sr) or per sg device */
typedef struct {
	gint reserved_size;
	gint timeout; /* USER_HZ ticks */
} RbUmockdevQueue;

#define RB_TYPE_UMOCKDEV_IOCTL (rb_umockdev_ioctl_get_type())
G_DECLARE_FINAL_TYPE(RbUmockdevIoctl, rb_umockdev_ioctl, RB, UMOCKDEV_IOCTL, UMockdevIoctlBase)

struct _RbUmockdevIoctl {
	UMockdevIoctlBase parent_instance;
	RbVdrive *vdrive;

	/* everything below: written on the worker thread, read by tests */
	GMutex mutex;
	GHashTable *counts; /* request -> number of calls */
	RbUmockdevQueue sr;
	RbUmockdevQueue sg;
	gint cdrom_options;
	gboolean door_locked;
	gboolean media_changed;
};

G_DEFINE_TYPE(RbUmockdevIoctl, rb_umockdev_ioctl, UMOCKDEV_TYPE_IOCTL_BASE)

/* the kernel's scsi_command_size_tbl: CDROM_SEND_PACKET always carries 12
 * bytes, the length that reaches the drive follows from the opcode group */
static gsize
rb_umockdev_cdb_length(guint8 opcode)
{
	static const guint8 lengths[8] = {6, 10, 10, 12, 16, 12, 10, 10};
	return lengths[(opcode >> 5) & 7];
}

/* runs one CDB on the drive and measures it for sg_io_hdr.duration; FALSE
 * when the drive never answers (an injected time-out) */
static gboolean
rb_umockdev_ioctl_execute(RbUmockdevIoctl *self,
			  const guint8 *cdb,
			  gsize cdb_len,
			  RbMmcDirection direction,
			  guint8 *buffer,
			  gsize buffer_len,
			  RbMmcResult *result,
			  guint *duration_ms)
{
	gint64 start = g_get_monotonic_time();
	gboolean answered = rb_vdrive_execute(
		self->vdrive, cdb, cdb_len, direction, buffer, buffer_len, result);

	if (duration_ms != NULL)
		*duration_ms = (guint)((g_get_monotonic_time() - start) / 1000);
	return answered;
}

/* a command without data, as the kernel sends on its own (START STOP UNIT,
 * PREVENT ALLOW MEDIUM REMOVAL, TEST UNIT READY); FALSE when it got no
 * answer at all */
static gboolean
rb_umockdev_ioctl_simple(RbUmockdevIoctl *self, guint8 opcode, guint8 byte4, RbMmcResult *result)
{
	guint8 cdb[6] = {opcode, 0, 0, 0, byte4, 0};
	return rb_umockdev_ioctl_execute(
		self, cdb, sizeof(cdb), RB_MMC_DIR_NONE, NULL, 0, result, NULL);
}

/* the time-out the kernel would apply: the caller's, else the queue's
 * (SG_SET_TIMEOUT, USER_HZ ticks), else BLK_DEFAULT_SG_TIMEOUT */
static guint
rb_umockdev_ioctl_timeout_ms(RbUmockdevIoctl *self, RbUmockdevQueue *queue, guint requested_ms)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->mutex);

	if (requested_ms > 0)
		return requested_ms;
	if (queue->timeout > 0)
		return (guint)queue->timeout * 10;
	return 60 * 1000;
}

/* a command the drive never answers: the host gives up after the time-out,
 * and the ioctl returns then, not before */
typedef struct {
	UMockdevIoctlClient *client;
	UMockdevIoctlData *data; /* the sg_io_hdr or cdrom_generic_command */
	gboolean send_packet;
	guint timeout_ms;
} RbUmockdevTimeout;

static void
rb_umockdev_timeout_free(gpointer user_data)
{
	RbUmockdevTimeout *timeout = user_data;

	g_object_unref(timeout->client);
	g_object_unref(timeout->data);
	g_free(timeout);
}

static gboolean
rb_umockdev_on_timeout(gpointer user_data)
{
	RbUmockdevTimeout *timeout = user_data;

	if (timeout->send_packet) {
		/* scsi_cdrom_send_packet() looks at the SCSI status only, which
		 * a timed-out command does not have: the ioctl "succeeds" with
		 * nothing transferred, on real drives too */
		struct cdrom_generic_command *cgc = (gpointer)timeout->data->data;
		cgc->stat = 0;
	} else {
		sg_io_hdr_t *hdr = (gpointer)timeout->data->data;
		hdr->status = 0;
		hdr->masked_status = 0;
		hdr->msg_status = 0;
		hdr->sb_len_wr = 0;
		hdr->host_status = 0x03; /* DID_TIME_OUT */
		hdr->driver_status = 0;
		hdr->resid = (gint)hdr->dxfer_len;
		hdr->duration = timeout->timeout_ms;
		hdr->info = SG_INFO_CHECK;
	}
	umockdev_ioctl_client_complete(timeout->client, 0, 0);
	return G_SOURCE_REMOVE;
}

/* completes @client after the time-out without blocking umockdev's worker
 * thread, whose main context is the current thread-default one here */
static void
rb_umockdev_ioctl_complete_later(UMockdevIoctlClient *client,
				 UMockdevIoctlData *data,
				 gboolean send_packet,
				 guint timeout_ms)
{
	RbUmockdevTimeout *timeout = g_new0(RbUmockdevTimeout, 1);
	g_autoptr(GSource) source = g_timeout_source_new(timeout_ms);

	timeout->client = g_object_ref(client);
	timeout->data = g_object_ref(data);
	timeout->send_packet = send_packet;
	timeout->timeout_ms = timeout_ms;
	g_debug("%s: the drive does not answer; timing out in %u ms",
		umockdev_ioctl_client_get_devnode(client),
		timeout_ms);
	g_source_set_callback(source, rb_umockdev_on_timeout, timeout, rb_umockdev_timeout_free);
	g_source_attach(source, g_main_context_get_thread_default());
}

static guint8
rb_umockdev_sense_key(const RbMmcResult *result)
{
	if (result->sense_len < 3)
		return RB_SENSE_NO_SENSE;
	if ((result->sense[0] & 0x7F) >= 0x72)
		return result->sense[1] & 0x0F;
	return result->sense[2] & 0x0F;
}

static guint8
rb_umockdev_sense_asc(const RbMmcResult *result, guint8 *ascq)
{
	gboolean descriptor = (result->sense[0] & 0x7F) >= 0x72;
	gsize asc_at = descriptor ? 2 : 12;

	if (result->sense_len < asc_at + 2) {
		*ascq = 0;
		return 0;
	}
	*ascq = result->sense[asc_at + 1];
	return result->sense[asc_at];
}

/* the pointer argument of an ioctl, resolved to local memory; NULL (and
 * the client completed with EFAULT) when it cannot be read */
static UMockdevIoctlData *
rb_umockdev_resolve_arg(UMockdevIoctlClient *client, gsize len)
{
	UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(client);
	g_autoptr(GError) error = NULL;
	UMockdevIoctlData *data = umockdev_ioctl_data_resolve(arg, 0, len, &error);

	if (data == NULL) {
		if (error != NULL)
			g_debug("cannot read the ioctl argument: %s", error->message);
		umockdev_ioctl_client_complete(client, -1, EFAULT);
	}
	return data;
}

static gulong
rb_umockdev_int_arg(UMockdevIoctlClient *client)
{
	UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(client);
	gulong value = 0;

	memcpy(&value, arg->data, MIN(sizeof(value), (gsize)arg->data_len));
	return value;
}

static void
rb_umockdev_put_int(UMockdevIoctlClient *client, gint value)
{
	g_autoptr(UMockdevIoctlData) data = rb_umockdev_resolve_arg(client, sizeof(gint));

	if (data == NULL)
		return;
	memcpy(data->data, &value, sizeof(value));
	umockdev_ioctl_client_complete(client, 0, 0);
}

static gboolean
rb_umockdev_get_int(UMockdevIoctlClient *client, gint *value)
{
	g_autoptr(UMockdevIoctlData) data = rb_umockdev_resolve_arg(client, sizeof(gint));

	if (data == NULL)
		return FALSE;
	memcpy(value, data->data, sizeof(*value));
	return TRUE;
}

static void
rb_umockdev_ioctl_sg_io(RbUmockdevIoctl *self, UMockdevIoctlClient *client, RbUmockdevQueue *queue)
{
	g_autoptr(UMockdevIoctlData) hdr_data = NULL;
	g_autoptr(UMockdevIoctlData) cdb_data = NULL;
	g_autoptr(UMockdevIoctlData) dx_data = NULL;
	g_autoptr(UMockdevIoctlData) sb_data = NULL;
	g_autoptr(GError) error = NULL;
	RbMmcDirection direction = RB_MMC_DIR_NONE;
	RbMmcResult result;
	sg_io_hdr_t *hdr;
	guint duration = 0;

	hdr_data = rb_umockdev_resolve_arg(client, sizeof(sg_io_hdr_t));
	if (hdr_data == NULL)
		return;
	hdr = (sg_io_hdr_t *)hdr_data->data;

	/* the checks of the kernel's sg_io(), in its order */
	if (hdr->interface_id != 'S') {
		umockdev_ioctl_client_complete(client, -1, ENOSYS);
		return;
	}
	if (hdr->iovec_count != 0) {
		/* scatter lists: nothing we test uses them */
		umockdev_ioctl_client_complete(client, -1, EINVAL);
		return;
	}
	if (hdr->dxfer_len > RB_UMOCKDEV_MAX_TRANSFER) {
		umockdev_ioctl_client_complete(client, -1, EIO);
		return;
	}
	if (hdr->cmd_len < RB_MMC_CDB_MIN || hdr->cmd_len > RB_MMC_CDB_MAX) {
		umockdev_ioctl_client_complete(client, -1, EINVAL);
		return;
	}
	if (hdr->dxfer_len > 0) {
		switch (hdr->dxfer_direction) {
		case SG_DXFER_TO_DEV:
			direction = RB_MMC_DIR_OUT;
			break;
		case SG_DXFER_FROM_DEV:
		case SG_DXFER_TO_FROM_DEV:
			direction = RB_MMC_DIR_IN;
			break;
		default:
			umockdev_ioctl_client_complete(client, -1, EINVAL);
			return;
		}
	}

	cdb_data = umockdev_ioctl_data_resolve(
		hdr_data, G_STRUCT_OFFSET(sg_io_hdr_t, cmdp), hdr->cmd_len, &error);
	if (cdb_data == NULL) {
		umockdev_ioctl_client_complete(client, -1, EFAULT);
		return;
	}
	if (direction != RB_MMC_DIR_NONE) {
		dx_data = umockdev_ioctl_data_resolve(
			hdr_data, G_STRUCT_OFFSET(sg_io_hdr_t, dxferp), hdr->dxfer_len, &error);
		if (dx_data == NULL) {
			umockdev_ioctl_client_complete(client, -1, EFAULT);
			return;
		}
	}
	if (hdr->mx_sb_len > 0 && hdr->sbp != NULL) {
		sb_data = umockdev_ioctl_data_resolve(
			hdr_data, G_STRUCT_OFFSET(sg_io_hdr_t, sbp), hdr->mx_sb_len, &error);
		if (sb_data == NULL) {
			umockdev_ioctl_client_complete(client, -1, EFAULT);
			return;
		}
	}

	if (!rb_umockdev_ioctl_execute(self,
				       cdb_data->data,
				       hdr->cmd_len,
				       direction,
				       dx_data != NULL ? dx_data->data : NULL,
				       dx_data != NULL ? hdr->dxfer_len : 0,
				       &result,
				       &duration)) {
		rb_umockdev_ioctl_complete_later(
			client,
			hdr_data,
			FALSE,
			rb_umockdev_ioctl_timeout_ms(self, queue, hdr->timeout));
		return;
	}

	hdr->status = result.status;
	hdr->masked_status = (result.status >> 1) & 0x7F;
	hdr->msg_status = 0;
	hdr->host_status = 0;
	hdr->driver_status = 0;
	hdr->sb_len_wr = 0;
	if (result.status == RB_SCSI_STATUS_CHECK_CONDITION && result.sense_len > 0) {
		/* DRIVER_SENSE: the sense buffer holds something */
		hdr->driver_status = 0x08;
		if (sb_data != NULL) {
			gsize n = MIN(result.sense_len, (gsize)hdr->mx_sb_len);
			memcpy(sb_data->data, result.sense, n);
			hdr->sb_len_wr = (guint8)n;
		}
	}
	hdr->resid = direction != RB_MMC_DIR_NONE ? (gint)result.residual : 0;
	hdr->duration = duration;
	hdr->info = (hdr->status != 0 || hdr->host_status != 0 || hdr->driver_status != 0)
			    ? SG_INFO_CHECK
			    : SG_INFO_OK;
	/* SCSI errors travel in the header; the ioctl itself succeeded */
	umockdev_ioctl_client_complete(client, 0, 0);
}

static void
rb_umockdev_ioctl_send_packet(RbUmockdevIoctl *self,
			      UMockdevIoctlClient *client,
			      RbUmockdevQueue *queue)
{
	g_autoptr(UMockdevIoctlData) cgc_data = NULL;
	g_autoptr(UMockdevIoctlData) buf_data = NULL;
	g_autoptr(UMockdevIoctlData) sense_data = NULL;
	g_autoptr(GError) error = NULL;
	struct cdrom_generic_command *cgc;
	RbMmcDirection direction;
	RbMmcResult result;

	cgc_data = rb_umockdev_resolve_arg(client, sizeof(struct cdrom_generic_command));
	if (cgc_data == NULL)
		return;
	cgc = (struct cdrom_generic_command *)cgc_data->data;

	/* scsi_cdrom_send_packet() turns this into an sg_io_hdr */
	switch (cgc->data_direction) {
	case CGC_DATA_WRITE:
		direction = RB_MMC_DIR_OUT;
		break;
	case CGC_DATA_READ:
		direction = RB_MMC_DIR_IN;
		break;
	case CGC_DATA_NONE:
		direction = RB_MMC_DIR_NONE;
		break;
	default:
		umockdev_ioctl_client_complete(client, -1, EINVAL);
		return;
	}
	if (cgc->buflen > RB_UMOCKDEV_MAX_TRANSFER) {
		umockdev_ioctl_client_complete(client, -1, EIO);
		return;
	}
	if (cgc->buflen == 0) {
		direction = RB_MMC_DIR_NONE;
	} else if (direction == RB_MMC_DIR_NONE) {
		umockdev_ioctl_client_complete(client, -1, EINVAL);
		return;
	}

	if (direction != RB_MMC_DIR_NONE) {
		buf_data = umockdev_ioctl_data_resolve(
			cgc_data,
			G_STRUCT_OFFSET(struct cdrom_generic_command, buffer),
			cgc->buflen,
			&error);
		if (buf_data == NULL) {
			umockdev_ioctl_client_complete(client, -1, EFAULT);
			return;
		}
	}
	if (cgc->sense != NULL) {
		sense_data = umockdev_ioctl_data_resolve(
			cgc_data,
			G_STRUCT_OFFSET(struct cdrom_generic_command, sense),
			sizeof(struct request_sense),
			&error);
		if (sense_data == NULL) {
			umockdev_ioctl_client_complete(client, -1, EFAULT);
			return;
		}
	}

	if (!rb_umockdev_ioctl_execute(self,
				       cgc->cmd,
				       rb_umockdev_cdb_length(cgc->cmd[0]),
				       direction,
				       buf_data != NULL ? buf_data->data : NULL,
				       buf_data != NULL ? cgc->buflen : 0,
				       &result,
				       NULL)) {
		/* its time-out is in USER_HZ ticks */
		guint requested = cgc->timeout > 0 ? (guint)cgc->timeout * 10 : 0;
		rb_umockdev_ioctl_complete_later(
			client,
			cgc_data,
			TRUE,
			rb_umockdev_ioctl_timeout_ms(self, queue, requested));
		return;
	}

	if (result.status != RB_SCSI_STATUS_GOOD) {
		/* the kernel copies the sense, leaves the struct alone and fails */
		if (sense_data != NULL)
			memcpy(sense_data->data,
			       result.sense,
			       MIN(result.sense_len, sizeof(struct request_sense)));
		umockdev_ioctl_client_complete(client, -1, EIO);
		return;
	}
	cgc->stat = 0;
	cgc->buflen = direction != RB_MMC_DIR_NONE ? (guint)result.residual : 0;
	umockdev_ioctl_client_complete(client, 0, 0);
}

/* CDROM_DRIVE_STATUS the way sr_drive_status() derives it from TEST UNIT READY */
static gint
rb_umockdev_ioctl_drive_status(RbUmockdevIoctl *self)
{
	RbMmcResult result;
	guint8 asc, ascq;

	/* like scsi_test_unit_ready(): a unit attention is retried, and it
	 * means the medium may have changed */
	for (guint i = 0; i < 3; i++) {
		if (!rb_umockdev_ioctl_simple(self, RB_MMC_TEST_UNIT_READY, 0, &result))
			return CDS_NO_INFO;
		if (result.status != RB_SCSI_STATUS_CHECK_CONDITION ||
		    rb_umockdev_sense_key(&result) != RB_SENSE_UNIT_ATTENTION)
			break;
		g_mutex_lock(&self->mutex);
		self->media_changed = TRUE;
		g_mutex_unlock(&self->mutex);
	}
	if (result.status == RB_SCSI_STATUS_GOOD)
		return CDS_DISC_OK;
	if (result.status != RB_SCSI_STATUS_CHECK_CONDITION ||
	    rb_umockdev_sense_key(&result) != RB_SENSE_NOT_READY)
		return CDS_NO_INFO;
	asc = rb_umockdev_sense_asc(&result, &ascq);
	if (asc == 0x3A)
		return ascq == 0x02 ? CDS_TRAY_OPEN : CDS_NO_DISC;
	if (asc == 0x04 && ascq == 0x01)
		return CDS_DRIVE_NOT_READY;
	/* "not ready" while busy (04/07 long write in progress, 04/08 …):
	 * the medium is there */
	return CDS_DISC_OK;
}

static void
rb_umockdev_ioctl_lock_door(RbUmockdevIoctl *self, UMockdevIoctlClient *client)
{
	gboolean lock = rb_umockdev_int_arg(client) != 0;
	RbMmcResult result;

	/* sr_lock_door() sends PREVENT ALLOW MEDIUM REMOVAL; a drive that
	 * refuses it as illegal is taken as one without a lock */
	if (!rb_umockdev_ioctl_simple(
		    self, RB_MMC_PREVENT_ALLOW_MEDIUM_REMOVAL, lock ? 1 : 0, &result) ||
	    (result.status != RB_SCSI_STATUS_GOOD &&
	     rb_umockdev_sense_key(&result) != RB_SENSE_ILLEGAL_REQUEST)) {
		umockdev_ioctl_client_complete(client, -1, EIO);
		return;
	}
	g_mutex_lock(&self->mutex);
	self->door_locked = lock;
	g_mutex_unlock(&self->mutex);
	umockdev_ioctl_client_complete(client, 0, 0);
}

static void
rb_umockdev_ioctl_start_stop(RbUmockdevIoctl *self, UMockdevIoctlClient *client, guint8 byte4)
{
	RbMmcResult result;

	/* since Linux 5.18 CDROMEJECT and CDROMCLOSETRAY bypass the CD-ROM
	 * layer and become START STOP UNIT (LoEj with Start 0 or 1) */
	if (!rb_umockdev_ioctl_simple(self, RB_MMC_START_STOP_UNIT, byte4, &result) ||
	    result.status != RB_SCSI_STATUS_GOOD)
		umockdev_ioctl_client_complete(client, -1, EIO);
	else
		umockdev_ioctl_client_complete(client, 0, 0);
}

static void
rb_umockdev_ioctl_options(RbUmockdevIoctl *self, UMockdevIoctlClient *client, gboolean set)
{
	gint arg = (gint)rb_umockdev_int_arg(client);
	gint options;

	/* cdrom_ioctl_set_options(): each option needs its capability */
	if (set) {
		switch (arg) {
		case 0:
			break;
		case CDO_USE_FFLAGS:
		case CDO_CHECK_TYPE:
		case CDO_LOCK:
			break;
		default:
			if ((arg & RB_UMOCKDEV_CDROM_CAPABILITY) == 0) {
				umockdev_ioctl_client_complete(client, -1, ENOSYS);
				return;
			}
		}
	}
	g_mutex_lock(&self->mutex);
	if (set)
		self->cdrom_options |= arg;
	else
		self->cdrom_options &= ~arg;
	options = self->cdrom_options;
	g_mutex_unlock(&self->mutex);
	umockdev_ioctl_client_complete(client, options, 0);
}

static void
rb_umockdev_ioctl_scsi_id(UMockdevIoctlClient *client)
{
	g_autoptr(UMockdevIoctlData) data =
		rb_umockdev_resolve_arg(client, sizeof(struct sg_scsi_id));
	struct sg_scsi_id id = {
		.host_no = RB_UMOCKDEV_SCSI_HOST,
		.channel = 0,
		.scsi_id = 0,
		.lun = 0,
		.scsi_type = TYPE_ROM,
		.h_cmd_per_lun = 1,
		.d_queue_depth = 1,
	};

	if (data == NULL)
		return;
	memcpy(data->data, &id, sizeof(id));
	umockdev_ioctl_client_complete(client, 0, 0);
}

static void
rb_umockdev_ioctl_idlun(UMockdevIoctlClient *client)
{
	/* struct scsi_idlun: id | lun << 8 | channel << 16 | host << 24 */
	gint idlun[2] = {RB_UMOCKDEV_SCSI_HOST << 24, RB_UMOCKDEV_SCSI_HOST_UNIQUE_ID};
	g_autoptr(UMockdevIoctlData) data = rb_umockdev_resolve_arg(client, sizeof(idlun));

	if (data == NULL)
		return;
	memcpy(data->data, idlun, sizeof(idlun));
	umockdev_ioctl_client_complete(client, 0, 0);
}

static void
rb_umockdev_ioctl_set_reserved(RbUmockdevIoctl *self,
			       UMockdevIoctlClient *client,
			       RbUmockdevQueue *queue)
{
	gint size;

	if (!rb_umockdev_get_int(client, &size))
		return;
	if (size < 0) {
		umockdev_ioctl_client_complete(client, -1, EINVAL);
		return;
	}
	g_mutex_lock(&self->mutex);
	queue->reserved_size = MIN(size, RB_UMOCKDEV_MAX_TRANSFER);
	g_mutex_unlock(&self->mutex);
	umockdev_ioctl_client_complete(client, 0, 0);
}

static void
rb_umockdev_ioctl_set_timeout(RbUmockdevIoctl *self,
			      UMockdevIoctlClient *client,
			      RbUmockdevQueue *queue)
{
	gint timeout;

	if (!rb_umockdev_get_int(client, &timeout))
		return;
	if (timeout < 0) {
		umockdev_ioctl_client_complete(client, -1, EIO);
		return;
	}
	g_mutex_lock(&self->mutex);
	queue->timeout = timeout;
	g_mutex_unlock(&self->mutex);
	umockdev_ioctl_client_complete(client, 0, 0);
}

static gint
rb_umockdev_ioctl_read_queue(RbUmockdevIoctl *self, const gint *field)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->mutex);
	return *field;
}

static gboolean
rb_umockdev_ioctl_handle_ioctl(UMockdevIoctlBase *base, UMockdevIoctlClient *client)
{
	RbUmockdevIoctl *self = RB_UMOCKDEV_IOCTL(base);
	gulong request = umockdev_ioctl_client_get_request(client);
	gboolean is_sg = g_str_has_prefix(umockdev_ioctl_client_get_devnode(client), "/dev/sg");
	RbUmockdevQueue *queue = is_sg ? &self->sg : &self->sr;

	g_mutex_lock(&self->mutex);
	g_hash_table_replace(self->counts,
			     GSIZE_TO_POINTER(request),
			     GUINT_TO_POINTER(GPOINTER_TO_UINT(g_hash_table_lookup(
						      self->counts, GSIZE_TO_POINTER(request))) +
					      1));
	g_mutex_unlock(&self->mutex);

	/* what both drivers answer: the sg driver first, then scsi_ioctl() */
	switch (request) {
	case SG_IO:
		rb_umockdev_ioctl_sg_io(self, client, queue);
		return TRUE;
	case CDROM_SEND_PACKET:
		rb_umockdev_ioctl_send_packet(self, client, queue);
		return TRUE;
	case SG_GET_VERSION_NUM:
		rb_umockdev_put_int(client, RB_UMOCKDEV_SG_VERSION);
		return TRUE;
	case SG_GET_RESERVED_SIZE:
		rb_umockdev_put_int(client,
				    rb_umockdev_ioctl_read_queue(self, &queue->reserved_size));
		return TRUE;
	case SG_SET_RESERVED_SIZE:
		rb_umockdev_ioctl_set_reserved(self, client, queue);
		return TRUE;
	case SG_EMULATED_HOST:
		/* the block layer's answer is 1; sg asks the host template,
		 * and libata's says 0 */
		rb_umockdev_put_int(client, is_sg ? 0 : 1);
		return TRUE;
	case SG_GET_TIMEOUT:
		umockdev_ioctl_client_complete(
			client, rb_umockdev_ioctl_read_queue(self, &queue->timeout), 0);
		return TRUE;
	case SG_SET_TIMEOUT:
		rb_umockdev_ioctl_set_timeout(self, client, queue);
		return TRUE;
	case SCSI_IOCTL_GET_IDLUN:
		rb_umockdev_ioctl_idlun(client);
		return TRUE;
	case SCSI_IOCTL_GET_BUS_NUMBER:
		rb_umockdev_put_int(client, RB_UMOCKDEV_SCSI_HOST);
		return TRUE;
	case CDROMEJECT:
		rb_umockdev_ioctl_start_stop(self, client, 0x02);
		return TRUE;
	case CDROMCLOSETRAY:
		rb_umockdev_ioctl_start_stop(self, client, 0x03);
		return TRUE;
	default:
		break;
	}

	/* the sg driver's own */
	if (is_sg) {
		if (request == SG_GET_SCSI_ID)
			rb_umockdev_ioctl_scsi_id(client);
		else
			umockdev_ioctl_client_complete(client, -1, ENOTTY);
		return TRUE;
	}

	/* the CD-ROM layer, on sr only: first its reading ioctls */
	{
		gboolean unit_attention = FALSE;
		gboolean handled =
			rb_umockdev_cdrom_handle(self->vdrive, client, request, &unit_attention);

		if (unit_attention) {
			g_mutex_lock(&self->mutex);
			self->media_changed = TRUE;
			g_mutex_unlock(&self->mutex);
		}
		if (handled)
			return TRUE;
	}
	switch (request) {
	case CDROM_GET_CAPABILITY:
		umockdev_ioctl_client_complete(client, RB_UMOCKDEV_CDROM_CAPABILITY, 0);
		break;
	case CDROM_DRIVE_STATUS:
		umockdev_ioctl_client_complete(client, rb_umockdev_ioctl_drive_status(self), 0);
		break;
	case CDROM_LOCKDOOR:
		rb_umockdev_ioctl_lock_door(self, client);
		break;
	case CDROM_MEDIA_CHANGED: {
		gboolean changed;

		g_mutex_lock(&self->mutex);
		changed = self->media_changed;
		self->media_changed = FALSE;
		g_mutex_unlock(&self->mutex);
		umockdev_ioctl_client_complete(client, changed ? 1 : 0, 0);
		break;
	}
	case CDROM_SET_OPTIONS:
		rb_umockdev_ioctl_options(self, client, TRUE);
		break;
	case CDROM_CLEAR_OPTIONS:
		rb_umockdev_ioctl_options(self, client, FALSE);
		break;
	case HDIO_GET_IDENTITY:
		/* an ATAPI drive behind sr is no IDE disk; programs probe this */
		umockdev_ioctl_client_complete(client, -1, ENOTTY);
		break;
	default:
		g_debug("%s: ioctl 0x%lx not emulated",
			umockdev_ioctl_client_get_devnode(client),
			request);
		umockdev_ioctl_client_complete(client, -1, ENOTTY);
	}
	return TRUE;
}

static void
rb_umockdev_ioctl_finalize(GObject *object)
{
	RbUmockdevIoctl *self = RB_UMOCKDEV_IOCTL(object);

	g_clear_object(&self->vdrive);
	g_hash_table_unref(self->counts);
	g_mutex_clear(&self->mutex);
	G_OBJECT_CLASS(rb_umockdev_ioctl_parent_class)->finalize(object);
}

static void
rb_umockdev_ioctl_class_init(RbUmockdevIoctlClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = rb_umockdev_ioctl_finalize;
	UMOCKDEV_IOCTL_BASE_CLASS(klass)->handle_ioctl = rb_umockdev_ioctl_handle_ioctl;
}

static void
rb_umockdev_ioctl_init(RbUmockdevIoctl *self)
{
	g_mutex_init(&self->mutex);
	self->counts = g_hash_table_new(g_direct_hash, g_direct_equal);
	/* the block layer clamps its unlimited default to the max transfer */
	self->sr.reserved_size = RB_UMOCKDEV_MAX_TRANSFER;
	self->sr.timeout = RB_UMOCKDEV_TIMEOUT_DEFAULT;
	self->sg.reserved_size = RB_UMOCKDEV_SG_RESERVED_DEFAULT;
	self->sg.timeout = RB_UMOCKDEV_TIMEOUT_DEFAULT;
	/* the CD-ROM layer's defaults: autoclose=1, lockdoor=1 */
	self->cdrom_options = CDO_USE_FFLAGS | CDO_AUTO_CLOSE | CDO_LOCK;
}

static RbUmockdevIoctl *
rb_umockdev_ioctl_new(RbVdrive *vdrive)
{
	RbUmockdevIoctl *self = g_object_new(RB_TYPE_UMOCKDEV_IOCTL, NULL);
	self->vdrive = g_object_ref(vdrive);
	return self;
}

/* ------------------------------------------------------------------------ */
/* the testbed */

struct _RbUmockdevDrive {
	UMockdevTestbed *testbed;
	RbUmockdevIoctl *handler;
	RbVdrive *vdrive;
	gchar *root_dir;
	gboolean removed;
};

/* a text field of the INQUIRY data for an "A:" line of umockdev's device
 * description: printable, no escapes, ending in a newline like the kernel's
 * sysfs attributes ("%.8s\n") */
static void
rb_umockdev_append_attr(GString *desc, const gchar *name, const guint8 *text, gsize len)
{
	g_string_append_printf(desc, "A: %s=", name);
	for (gsize i = 0; i < len; i++) {
		if (text[i] == '\\')
			g_string_append(desc, "\\\\");
		else if (text[i] < 0x20 || text[i] > 0x7E)
			g_string_append_c(desc, ' ');
		else
			g_string_append_c(desc, (gchar)text[i]);
	}
	g_string_append(desc, "\\n\n");
}

/* udev's ID_VENDOR/ID_MODEL form: trimmed, blanks as underscores */
static gchar *
rb_umockdev_udev_string(const guint8 *text, gsize len)
{
	g_autofree gchar *copy = g_strndup((const gchar *)text, len);

	g_strstrip(copy);
	for (gchar *p = copy; *p != '\0'; p++) {
		if (!g_ascii_isgraph(*p))
			*p = '_';
	}
	return g_steal_pointer(&copy);
}

static void
rb_umockdev_append_media_props(GString *props, RbVirtualMedia media, const gchar *state)
{
	gboolean rewritable;

	switch (media) {
	case RB_VIRTUAL_MEDIA_CD_R_74:
	case RB_VIRTUAL_MEDIA_CD_R_80:
		rewritable = FALSE;
		break;
	case RB_VIRTUAL_MEDIA_CD_RW_74:
	case RB_VIRTUAL_MEDIA_CD_RW_80:
		rewritable = TRUE;
		break;
	case RB_VIRTUAL_MEDIA_NONE:
	default:
		return;
	}
	g_string_append(props, "ID_CDROM_MEDIA=1\n");
	g_string_append(props, rewritable ? "ID_CDROM_MEDIA_CD_RW=1\n" : "ID_CDROM_MEDIA_CD_R=1\n");
	g_string_append_printf(props, "ID_CDROM_MEDIA_STATE=%s\n", state != NULL ? state : "blank");
}

/* umockdev's "E:" lines from "KEY=VALUE\n" text */
static void
rb_umockdev_append_props_as_lines(GString *desc, const gchar *props)
{
	g_auto(GStrv) lines = g_strsplit(props, "\n", -1);

	for (guint i = 0; lines[i] != NULL; i++) {
		if (lines[i][0] != '\0')
			g_string_append_printf(desc, "E: %s\n", lines[i]);
	}
}

static gchar *
rb_umockdev_describe(const guint8 *inquiry, RbVirtualMedia media)
{
	GString *desc = g_string_new(NULL);
	g_autoptr(GString) media_props = g_string_new(NULL);
	g_autofree gchar *vendor = rb_umockdev_udev_string(inquiry + 8, 8);
	g_autofree gchar *model = rb_umockdev_udev_string(inquiry + 16, 16);
	g_autofree gchar *rev = rb_umockdev_udev_string(inquiry + 32, 4);

	/* the SCSI device, bound to sr, with what the kernel read by INQUIRY */
	g_string_append(desc, "P: " RB_UMOCKDEV_SCSI_DEVPATH "\n");
	g_string_append(desc,
			"E: DEVTYPE=scsi_device\n"
			"E: DRIVER=sr\n"
			"E: MODALIAS=scsi:t-0x05\n"
			"E: SUBSYSTEM=scsi\n");
	g_string_append_printf(desc, "A: type=%u\\n\n", inquiry[0] & 0x1F);
	rb_umockdev_append_attr(desc, "vendor", inquiry + 8, 8);
	rb_umockdev_append_attr(desc, "model", inquiry + 16, 16);
	rb_umockdev_append_attr(desc, "rev", inquiry + 32, 4);
	g_string_append(desc,
			"A: state=running\\n\n"
			"A: scsi_level=6\\n\n"
			"L: driver=../../../../../../../bus/scsi/drivers/sr\n"
			"\n");

	/* the block device, with what udev's cdrom_id and scsi_id add; "dev"
	 * without the kernel's newline, as umockdev reads it back verbatim */
	g_string_append(desc, "P: " RB_UMOCKDEV_SR_DEVPATH "\n");
	g_string_append(desc,
			"N: sr0\n"
			"S: cdrom\n"
			"S: scd0\n"
			"E: DEVNAME=/dev/sr0\n"
			"E: DEVTYPE=disk\n"
			"E: SUBSYSTEM=block\n"
			"E: MAJOR=11\n"
			"E: MINOR=0\n"
			"E: DEVLINKS=/dev/cdrom /dev/scd0\n"
			"E: ID_CDROM=1\n"
			"E: ID_CDROM_CD=1\n"
			"E: ID_CDROM_CD_R=1\n"
			"E: ID_CDROM_CD_RW=1\n"
			"E: ID_BUS=scsi\n"
			"E: ID_TYPE=cd\n");
	g_string_append_printf(desc, "E: ID_VENDOR=%s\n", vendor);
	g_string_append_printf(desc, "E: ID_MODEL=%s\n", model);
	g_string_append_printf(desc, "E: ID_REVISION=%s\n", rev);
	rb_umockdev_append_media_props(media_props, media, NULL);
	rb_umockdev_append_props_as_lines(desc, media_props->str);
	g_string_append(desc,
			"A: dev=11:0\n"
			"A: removable=1\\n\n"
			"A: ro=0\\n\n"
			"A: size=0\\n\n"
			"A: capability=119\\n\n"
			"L: device=../../../1:0:0:0\n"
			"\n");

	/* the sg sibling; given contents it becomes a plain file rather than
	 * a pty, which umockdev would otherwise make for a char device */
	g_string_append(desc, "P: " RB_UMOCKDEV_SG_DEVPATH "\n");
	g_string_append(desc,
			"N: sg0=00\n"
			"E: DEVNAME=/dev/sg0\n"
			"E: MAJOR=21\n"
			"E: MINOR=0\n"
			"E: SUBSYSTEM=scsi_generic\n"
			"A: dev=21:0\n"
			"L: device=../../../1:0:0:0\n");
	return g_string_free(desc, FALSE);
}

static gboolean
rb_umockdev_drive_prepare_root(RbUmockdevDrive *self, GError **error)
{
	g_autofree gchar *fallback = g_build_filename(self->root_dir, "ioctl", "_default", NULL);
	g_autofree gchar *kernel = g_build_filename(self->root_dir, "sys", "kernel", NULL);
	g_autofree gchar *driver =
		g_build_filename(self->root_dir, "sys", "bus", "scsi", "drivers", "sr", NULL);

	/* umockdev 0.17 gives every failed open() under /dev one of its 50
	 * descriptor slots when the fallback socket exists; without it,
	 * unknown nodes simply fail as they would on the host */
	if (g_unlink(fallback) != 0 && errno != ENOENT) {
		g_set_error(error,
			    G_IO_ERROR,
			    g_io_error_from_errno(errno),
			    "Cannot remove %s: %s",
			    fallback,
			    g_strerror(errno));
		return FALSE;
	}
	/* some programs take a missing /sys/kernel for "sysfs not mounted" */
	if (g_mkdir_with_parents(kernel, 0755) != 0 || g_mkdir_with_parents(driver, 0755) != 0) {
		g_set_error(error,
			    G_IO_ERROR,
			    g_io_error_from_errno(errno),
			    "Cannot populate %s: %s",
			    self->root_dir,
			    g_strerror(errno));
		return FALSE;
	}
	return TRUE;
}

static gboolean
rb_umockdev_drive_add_alias_nodes(RbUmockdevDrive *self, GError **error)
{
	for (guint i = 0; i < G_N_ELEMENTS(rb_umockdev_sr_aliases); i++) {
		g_autofree gchar *path = g_build_filename(
			self->root_dir, "dev", ".node", rb_umockdev_sr_aliases[i], NULL);

		if (symlink("11:0", path) != 0) {
			g_set_error(error,
				    G_IO_ERROR,
				    g_io_error_from_errno(errno),
				    "Cannot create %s: %s",
				    path,
				    g_strerror(errno));
			return FALSE;
		}
	}
	return TRUE;
}

static gboolean
rb_umockdev_drive_attach(RbUmockdevDrive *self, GError **error)
{
	for (guint i = 0; i < G_N_ELEMENTS(rb_umockdev_sr_nodes); i++) {
		if (!umockdev_testbed_attach_ioctl(self->testbed,
						   rb_umockdev_sr_nodes[i],
						   UMOCKDEV_IOCTL_BASE(self->handler),
						   error))
			return FALSE;
	}
	return umockdev_testbed_attach_ioctl(
		self->testbed, RB_UMOCKDEV_SG_NODE, UMOCKDEV_IOCTL_BASE(self->handler), error);
}

/* stops new open()s from reaching the handler. Not with
 * umockdev_testbed_detach_ioctl(): that closes the listening socket, which
 * resets a connection the kernel accepted but the worker thread has not
 * yet taken, and that client then dies of EPIPE. An unlinked socket keeps
 * serving whoever is connected. */
static void
rb_umockdev_drive_close_sockets(RbUmockdevDrive *self)
{
	for (guint i = 0; i <= G_N_ELEMENTS(rb_umockdev_sr_nodes); i++) {
		const gchar *node = i < G_N_ELEMENTS(rb_umockdev_sr_nodes) ? rb_umockdev_sr_nodes[i]
									   : RB_UMOCKDEV_SG_NODE;
		g_autofree gchar *socket = g_build_filename(self->root_dir, "ioctl", node, NULL);

		if (g_unlink(socket) != 0)
			g_debug("cannot remove %s: %s", socket, g_strerror(errno));
	}
}

RbUmockdevDrive *
rb_umockdev_drive_new(const RbVirtualSpec *spec, GError **error)
{
	g_autoptr(RbUmockdevDrive) self = g_new0(RbUmockdevDrive, 1);
	const guint8 inquiry_cdb[6] = {RB_MMC_INQUIRY, 0, 0, 0, 36, 0};
	guint8 inquiry[36] = {0};
	g_autofree gchar *desc = NULL;
	RbMmcResult result;

	g_return_val_if_fail(spec != NULL, NULL);

	/* the kernel learns vendor, model and revision by INQUIRY; so do we,
	 * so that sysfs and the drive cannot disagree */
	self->vdrive = rb_vdrive_new(spec);
	if (!rb_vdrive_execute(self->vdrive,
			       inquiry_cdb,
			       sizeof(inquiry_cdb),
			       RB_MMC_DIR_IN,
			       inquiry,
			       sizeof(inquiry),
			       &result) ||
	    result.status != RB_SCSI_STATUS_GOOD || result.residual != 0) {
		g_set_error_literal(error,
				    G_IO_ERROR,
				    G_IO_ERROR_FAILED,
				    "The emulated drive does not answer INQUIRY");
		return NULL;
	}

	self->testbed = umockdev_testbed_new();
	self->root_dir = umockdev_testbed_get_root_dir(self->testbed);
	if (!rb_umockdev_drive_prepare_root(self, error))
		return NULL;

	desc = rb_umockdev_describe(inquiry, spec->media);
	if (!umockdev_testbed_add_from_string(self->testbed, desc, error))
		return NULL;
	if (!rb_umockdev_drive_add_alias_nodes(self, error))
		return NULL;

	self->handler = rb_umockdev_ioctl_new(self->vdrive);
	if (!rb_umockdev_drive_attach(self, error))
		return NULL;
	return g_steal_pointer(&self);
}

void
rb_umockdev_drive_free(RbUmockdevDrive *self)
{
	if (self == NULL)
		return;
	/* the testbed's finalizer unregisters the handlers, deletes the
	 * directory and unsets $UMOCKDEV_DIR; clients still connected keep
	 * their reference to the handler, and it to the drive */
	if (self->testbed != NULL)
		g_object_unref(self->testbed);
	g_clear_object(&self->handler);
	g_clear_object(&self->vdrive);
	g_free(self->root_dir);
	g_free(self);
}

UMockdevTestbed *
rb_umockdev_drive_get_testbed(RbUmockdevDrive *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->testbed;
}

RbVdrive *
rb_umockdev_drive_get_vdrive(RbUmockdevDrive *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->vdrive;
}

const gchar *
rb_umockdev_drive_get_sysfs_path(RbUmockdevDrive *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return RB_UMOCKDEV_SR_SYSFS_PATH;
}

const gchar *
rb_umockdev_drive_get_root_dir(RbUmockdevDrive *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->root_dir;
}

void
rb_umockdev_drive_announce_media(RbUmockdevDrive *self, RbVirtualMedia media, const gchar *state)
{
	g_autofree gchar *uevent_path = NULL;
	g_autofree gchar *contents = NULL;
	g_autoptr(GString) props = g_string_new(NULL);
	g_autoptr(GError) error = NULL;
	g_auto(GStrv) lines = NULL;

	g_return_if_fail(self != NULL);
	g_return_if_fail(!self->removed);

	/* umockdev can set properties but not drop them, and a medium taken
	 * out must lose all of ID_CDROM_MEDIA*: rewrite the uevent file */
	uevent_path = g_build_filename(self->root_dir, RB_UMOCKDEV_SR_SYSFS_PATH, "uevent", NULL);
	if (!g_file_get_contents(uevent_path, &contents, NULL, &error)) {
		g_warning("%s", error->message);
		return;
	}
	lines = g_strsplit(contents, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		if (lines[i][0] != '\0' && !g_str_has_prefix(lines[i], "ID_CDROM_MEDIA"))
			g_string_append_printf(props, "%s\n", lines[i]);
	}
	rb_umockdev_append_media_props(props, media, state);
	if (!g_file_set_contents(uevent_path, props->str, (gssize)props->len, &error)) {
		g_warning("%s", error->message);
		return;
	}

	g_mutex_lock(&self->handler->mutex);
	self->handler->media_changed = TRUE;
	g_mutex_unlock(&self->handler->mutex);
	umockdev_testbed_uevent(self->testbed, RB_UMOCKDEV_SR_SYSFS_PATH, "change");
}

gboolean
rb_umockdev_drive_set_media(RbUmockdevDrive *self, RbVirtualMedia media, GError **error)
{
	g_return_val_if_fail(self != NULL, FALSE);

	if (media == RB_VIRTUAL_MEDIA_NONE) {
		if (!rb_vdrive_remove_media(self->vdrive, error))
			return FALSE;
	} else if (!rb_vdrive_insert_media(self->vdrive, media, error)) {
		return FALSE;
	}
	rb_umockdev_drive_announce_media(self, media, NULL);
	return TRUE;
}

void
rb_umockdev_drive_remove(RbUmockdevDrive *self)
{
	g_autofree gchar *block_link = NULL;

	g_return_if_fail(self != NULL);
	if (self->removed)
		return;

	/* children first, as the kernel reports a hot unplug; umockdev 0.17
	 * neither sends these itself nor can once the directories are gone */
	umockdev_testbed_uevent(self->testbed, RB_UMOCKDEV_SG_SYSFS_PATH, "remove");
	umockdev_testbed_uevent(self->testbed, RB_UMOCKDEV_SR_SYSFS_PATH, "remove");
	umockdev_testbed_uevent(self->testbed, RB_UMOCKDEV_SCSI_SYSFS_PATH, "remove");

	/* no new clients: an open() now fails like on the host */
	rb_umockdev_drive_close_sockets(self);
	for (guint i = 0; i < G_N_ELEMENTS(rb_umockdev_sr_aliases); i++) {
		g_autofree gchar *link =
			g_build_filename(self->root_dir, "dev", rb_umockdev_sr_aliases[i], NULL);
		g_autofree gchar *node = g_build_filename(
			self->root_dir, "dev", ".node", rb_umockdev_sr_aliases[i], NULL);

		g_unlink(link);
		g_unlink(node);
	}
	/* one at a time: removing the parent alone leaves the children's
	 * /dev nodes and class links behind */
	umockdev_testbed_remove_device(self->testbed, RB_UMOCKDEV_SG_SYSFS_PATH);
	umockdev_testbed_remove_device(self->testbed, RB_UMOCKDEV_SR_SYSFS_PATH);
	umockdev_testbed_remove_device(self->testbed, RB_UMOCKDEV_SCSI_SYSFS_PATH);
	/* nor does umockdev remove /sys/block/sr0 */
	block_link = g_build_filename(self->root_dir, "sys", "block", "sr0", NULL);
	g_unlink(block_link);
	self->removed = TRUE;
}

guint
rb_umockdev_drive_get_ioctl_count(RbUmockdevDrive *self, gulong request)
{
	g_autoptr(GMutexLocker) locker = NULL;

	g_return_val_if_fail(self != NULL, 0);
	locker = g_mutex_locker_new(&self->handler->mutex);
	return GPOINTER_TO_UINT(
		g_hash_table_lookup(self->handler->counts, GSIZE_TO_POINTER(request)));
}

gboolean
rb_umockdev_drive_get_door_locked(RbUmockdevDrive *self)
{
	g_autoptr(GMutexLocker) locker = NULL;

	g_return_val_if_fail(self != NULL, FALSE);
	locker = g_mutex_locker_new(&self->handler->mutex);
	return self->handler->door_locked;
}
