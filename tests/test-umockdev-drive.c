/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The emulated recorder behind umockdev, as a program sees it: libudev's
 * view of sr0, sg0 and their SCSI parent, uevents, SG_IO and
 * CDROM_SEND_PACKET reaching the drive unchanged, the sr and sg drivers'
 * housekeeping ioctls, other processes served by the handler in this one,
 * and the rawburn-vdrive-run tool (third-party burners through it:
 * test-third-party-burners.c).
 *
 * The binary puts itself under umockdev's preload first thing (synthesised
 * uevents need it in the process that sends them). Each test builds its
 * own testbed: Check forks per test, and a testbed made before the fork
 * would answer from the parent, out of the test's sight.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libudev.h>
#include <linux/cdrom.h>
#include <linux/hdreg.h>
#include <poll.h>
#include <scsi/scsi.h>
#include <scsi/sg.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "rb-error.h"
#include "rb-mmc-probe.h"
#include "rb-mmc-sg-transport.h"
#include "rb-stream-check.h"
#include "rb-subchannel.h"
#include "rb-test-service.h"
#include "rb-umockdev-drive.h"
#include "rb-umockdev-test.h"
#include "rb-vdrive-transport.h"

typedef struct udev RbTestUdev;
typedef struct udev_enumerate RbTestUdevEnumerate;
typedef struct udev_device RbTestUdevDevice;
typedef struct udev_monitor RbTestUdevMonitor;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RbTestUdev, udev_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RbTestUdevEnumerate, udev_enumerate_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RbTestUdevDevice, udev_device_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RbTestUdevMonitor, udev_monitor_unref)

#define RB_TEST_SPEC_RW "media=cd-rw-80,realtime=false"
#define RB_TEST_SPEC_EMPTY "media=none,realtime=false"
#define RB_TEST_INQUIRY_LINE "RAWBURN |Virtual CD-RW   |0100\n"

/* ------------------------------------------------------------------------ */
/* helpers */

/* how a recorder is opened for writing (mmc-notes §7.2) */
static gint
rb_test_open(const gchar *node)
{
	gint fd = open(node, O_RDWR | O_EXCL | O_NONBLOCK);
	ck_assert_msg(fd >= 0, "open %s: %s", node, g_strerror(errno));
	return fd;
}

static gint
rb_test_sg_io(gint fd,
	      const guint8 *cdb,
	      gsize cdb_len,
	      gint dxfer_direction,
	      guint8 *buffer,
	      gsize buffer_len,
	      guint8 *sense,
	      guint8 sense_len,
	      sg_io_hdr_t *hdr)
{
	memset(hdr, 0, sizeof(*hdr));
	hdr->interface_id = 'S';
	hdr->dxfer_direction = dxfer_direction;
	hdr->cmd_len = (guint8)cdb_len;
	hdr->cmdp = (guint8 *)cdb;
	hdr->dxferp = buffer;
	hdr->dxfer_len = (guint)buffer_len;
	hdr->sbp = sense;
	hdr->mx_sb_len = sense_len;
	hdr->timeout = 5000;
	return ioctl(fd, SG_IO, hdr);
}

static gint
rb_test_send_packet(gint fd,
		    const guint8 *cdb,
		    gsize cdb_len,
		    guchar data_direction,
		    guint8 *buffer,
		    gsize buffer_len,
		    struct request_sense *sense,
		    struct cdrom_generic_command *cgc)
{
	memset(cgc, 0, sizeof(*cgc));
	memcpy(cgc->cmd, cdb, MIN(cdb_len, sizeof(cgc->cmd)));
	cgc->buffer = buffer;
	cgc->buflen = (guint)buffer_len;
	cgc->sense = sense;
	cgc->data_direction = data_direction;
	cgc->stat = -42; /* shows whether the ioctl wrote it back */
	return ioctl(fd, CDROM_SEND_PACKET, cgc);
}

static void
rb_test_inquiry(gint fd, guint8 *data /* 36 bytes */)
{
	const guint8 cdb[6] = {RB_MMC_INQUIRY, 0, 0, 0, 36, 0};
	guint8 sense[32] = {0};
	sg_io_hdr_t hdr;

	ck_assert_int_eq(rb_test_sg_io(fd, cdb, 6, SG_DXFER_FROM_DEV, data, 36, sense, 32, &hdr),
			 0);
	ck_assert_uint_eq(hdr.status, 0);
	ck_assert_int_eq(hdr.resid, 0);
}

/* TEST UNIT READY until what it says is not a unit attention, which a
 * drive reports once after power-on or a medium change */
static void
rb_test_unit_ready(gint fd, sg_io_hdr_t *hdr, guint8 *sense /* 32 bytes */)
{
	const guint8 cdb[6] = {RB_MMC_TEST_UNIT_READY};

	for (guint i = 0; i < 3; i++) {
		memset(sense, 0, 32);
		ck_assert_int_eq(rb_test_sg_io(fd, cdb, 6, SG_DXFER_NONE, NULL, 0, sense, 32, hdr),
				 0);
		if (hdr->status != RB_SCSI_STATUS_CHECK_CONDITION ||
		    (sense[2] & 0x0F) != RB_SENSE_UNIT_ATTENTION)
			return;
	}
}

static RbTestUdevDevice *
rb_test_udev_find(RbTestUdev *udev, const gchar *subsystem, const gchar *sysname)
{
	g_autoptr(RbTestUdevEnumerate) enumerate = udev_enumerate_new(udev);
	struct udev_list_entry *entry;

	udev_enumerate_add_match_subsystem(enumerate, subsystem);
	udev_enumerate_add_match_sysname(enumerate, sysname);
	ck_assert_int_eq(udev_enumerate_scan_devices(enumerate), 0);
	entry = udev_enumerate_get_list_entry(enumerate);
	if (entry == NULL)
		return NULL;
	return udev_device_new_from_syspath(udev, udev_list_entry_get_name(entry));
}

static RbTestUdevDevice *
rb_test_udev_receive(RbTestUdevMonitor *monitor)
{
	struct pollfd pfd = {.fd = udev_monitor_get_fd(monitor), .events = POLLIN};

	ck_assert_int_eq(poll(&pfd, 1, 5000), 1);
	return udev_monitor_receive_device(monitor);
}

static gchar *
rb_test_self_path(void)
{
	g_autoptr(GError) error = NULL;
	gchar *path = g_file_read_link("/proc/self/exe", &error);

	ck_assert_msg(path != NULL, "%s", error != NULL ? error->message : "");
	return path;
}

/* ------------------------------------------------------------------------ */
/* sysfs, udev and the device nodes */

START_TEST(test_udev_block_device)
{
	g_autoptr(RbUmockdevDrive) drive = rb_test_drive_new(RB_TEST_SPEC_RW);
	g_autoptr(RbTestUdev) udev = udev_new();
	g_autoptr(RbTestUdevDevice) sr = rb_test_udev_find(udev, "block", "sr0");
	g_auto(GStrv) devlinks = NULL;
	struct udev_device *scsi;

	ck_assert_ptr_nonnull(sr);
	ck_assert_str_eq(udev_device_get_syspath(sr), rb_umockdev_drive_get_sysfs_path(drive));
	ck_assert_str_eq(udev_device_get_devnode(sr), "/dev/sr0");
	ck_assert_str_eq(udev_device_get_devtype(sr), "disk");
	ck_assert_uint_eq(udev_device_get_devnum(sr), makedev(11, 0));
	ck_assert_str_eq(udev_device_get_property_value(sr, "ID_CDROM"), "1");
	ck_assert_str_eq(udev_device_get_property_value(sr, "ID_CDROM_CD"), "1");
	ck_assert_str_eq(udev_device_get_property_value(sr, "ID_CDROM_CD_R"), "1");
	ck_assert_str_eq(udev_device_get_property_value(sr, "ID_CDROM_CD_RW"), "1");
	ck_assert_str_eq(udev_device_get_property_value(sr, "ID_CDROM_MEDIA"), "1");
	ck_assert_str_eq(udev_device_get_property_value(sr, "ID_CDROM_MEDIA_CD_RW"), "1");
	ck_assert_ptr_null(udev_device_get_property_value(sr, "ID_CDROM_MEDIA_CD_R"));
	ck_assert_str_eq(udev_device_get_property_value(sr, "ID_CDROM_MEDIA_STATE"), "blank");
	ck_assert_str_eq(udev_device_get_property_value(sr, "ID_MODEL"), "Virtual_CD-RW");
	ck_assert_str_eq(udev_device_get_sysattr_value(sr, "removable"), "1");
	ck_assert_str_eq(udev_device_get_sysattr_value(sr, "ro"), "0");
	ck_assert_str_eq(udev_device_get_sysattr_value(sr, "size"), "0");
	ck_assert_str_eq(udev_device_get_sysattr_value(sr, "capability"), "119");
	/* libudev takes devlinks from udev's database, which umockdev 0.17
	 * lacks; the property is what is there */
	devlinks = g_strsplit(udev_device_get_property_value(sr, "DEVLINKS"), " ", -1);
	ck_assert(g_strv_contains((const gchar *const *)devlinks, "/dev/cdrom"));

	/* the parent libudev walks to, with what the kernel read by INQUIRY,
	 * padded as sysfs shows it */
	scsi = udev_device_get_parent_with_subsystem_devtype(sr, "scsi", "scsi_device");
	ck_assert_ptr_nonnull(scsi);
	ck_assert_str_eq(udev_device_get_syspath(scsi), RB_UMOCKDEV_SCSI_SYSFS_PATH);
	ck_assert_str_eq(udev_device_get_sysname(scsi), "1:0:0:0");
	ck_assert_str_eq(udev_device_get_sysattr_value(scsi, "vendor"), "RAWBURN ");
	ck_assert_str_eq(udev_device_get_sysattr_value(scsi, "model"), "Virtual CD-RW   ");
	ck_assert_str_eq(udev_device_get_sysattr_value(scsi, "rev"), "0100");
	ck_assert_str_eq(udev_device_get_sysattr_value(scsi, "type"), "5");
	ck_assert_str_eq(udev_device_get_driver(scsi), "sr");
	ck_assert_str_eq(udev_device_get_property_value(scsi, "DRIVER"), "sr");
}
END_TEST

START_TEST(test_udev_sg_device)
{
	g_autoptr(RbUmockdevDrive) drive = rb_test_drive_new(RB_TEST_SPEC_RW);
	g_autoptr(RbTestUdev) udev = udev_new();
	g_autoptr(RbTestUdevDevice) sg = rb_test_udev_find(udev, "scsi_generic", "sg0");
	struct udev_device *scsi;

	ck_assert_ptr_nonnull(sg);
	ck_assert_str_eq(udev_device_get_syspath(sg), RB_UMOCKDEV_SG_SYSFS_PATH);
	ck_assert_str_eq(udev_device_get_devnode(sg), "/dev/sg0");
	ck_assert_uint_eq(udev_device_get_devnum(sg), makedev(21, 0));
	scsi = udev_device_get_parent(sg);
	ck_assert_ptr_nonnull(scsi);
	ck_assert_str_eq(udev_device_get_syspath(scsi), RB_UMOCKDEV_SCSI_SYSFS_PATH);
	ck_assert_str_eq(udev_device_get_subsystem(scsi), "scsi");
}
END_TEST

typedef struct {
	const gchar *spec;
	const gchar *media_key; /* NULL: no medium */
} RbTestMediaProps;

static const RbTestMediaProps rb_test_media_props[] = {
	{"media=cd-r-74,realtime=false", "ID_CDROM_MEDIA_CD_R"},
	{"media=cd-r-80,realtime=false", "ID_CDROM_MEDIA_CD_R"},
	{"media=cd-rw-74,realtime=false", "ID_CDROM_MEDIA_CD_RW"},
	{RB_TEST_SPEC_EMPTY, NULL},
};

START_TEST(test_udev_media_properties)
{
	const RbTestMediaProps *props = &rb_test_media_props[_i];
	g_autoptr(RbUmockdevDrive) drive = rb_test_drive_new(props->spec);
	g_autoptr(RbTestUdev) udev = udev_new();
	g_autoptr(RbTestUdevDevice) sr = rb_test_udev_find(udev, "block", "sr0");

	ck_assert_ptr_nonnull(sr);
	/* the drive's own capabilities do not depend on the medium */
	ck_assert_str_eq(udev_device_get_property_value(sr, "ID_CDROM_CD_RW"), "1");
	if (props->media_key == NULL) {
		ck_assert_ptr_null(udev_device_get_property_value(sr, "ID_CDROM_MEDIA"));
		ck_assert_ptr_null(udev_device_get_property_value(sr, "ID_CDROM_MEDIA_CD_R"));
		ck_assert_ptr_null(udev_device_get_property_value(sr, "ID_CDROM_MEDIA_CD_RW"));
		ck_assert_ptr_null(udev_device_get_property_value(sr, "ID_CDROM_MEDIA_STATE"));
	} else {
		ck_assert_str_eq(udev_device_get_property_value(sr, "ID_CDROM_MEDIA"), "1");
		ck_assert_str_eq(udev_device_get_property_value(sr, props->media_key), "1");
		ck_assert_str_eq(udev_device_get_property_value(sr, "ID_CDROM_MEDIA_STATE"),
				 "blank");
	}
}
END_TEST

START_TEST(test_device_nodes)
{
	g_autoptr(RbUmockdevDrive) drive = rb_test_drive_new(RB_TEST_SPEC_RW);
	const gchar *root = rb_umockdev_drive_get_root_dir(drive);
	g_autofree gchar *fallback = g_build_filename(root, "ioctl", "_default", NULL);
	g_autofree gchar *model = NULL;
	struct stat st;

	ck_assert_str_eq(g_getenv("UMOCKDEV_DIR"), root);

	ck_assert_int_eq(stat("/dev/sr0", &st), 0);
	ck_assert(S_ISBLK(st.st_mode));
	ck_assert_uint_eq(st.st_rdev, makedev(11, 0));
	ck_assert_int_eq(stat("/dev/sg0", &st), 0);
	ck_assert(S_ISCHR(st.st_mode));
	ck_assert_uint_eq(st.st_rdev, makedev(21, 0));
	for (guint i = 0; i < 2; i++) {
		const gchar *alias = i == 0 ? "/dev/cdrom" : "/dev/scd0";

		ck_assert_int_eq(lstat(alias, &st), 0);
		ck_assert(S_ISLNK(st.st_mode));
		ck_assert_int_eq(stat(alias, &st), 0);
		ck_assert(S_ISBLK(st.st_mode));
		ck_assert_uint_eq(st.st_rdev, makedev(11, 0));
	}

	/* what programs read instead of asking udev */
	ck_assert(g_file_test("/sys/kernel", G_FILE_TEST_IS_DIR));
	ck_assert(g_file_get_contents("/sys/block/sr0/device/model", &model, NULL, NULL));
	ck_assert_str_eq(model, "Virtual CD-RW   \n");
	ck_assert(g_file_test("/sys/class/scsi_generic/sg0/device/vendor", G_FILE_TEST_EXISTS));

	/* see the notes: unknown /dev nodes must fail plainly */
	ck_assert(!g_file_test(fallback, G_FILE_TEST_EXISTS));
	ck_assert_int_eq(open("/dev/sr7", O_RDONLY | O_NONBLOCK), -1);
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

START_TEST(test_udev_monitor)
{
	g_autoptr(RbUmockdevDrive) drive = rb_test_drive_new(RB_TEST_SPEC_RW);
	g_autoptr(RbTestUdev) udev = udev_new();
	g_autoptr(RbTestUdevMonitor) monitor = udev_monitor_new_from_netlink(udev, "udev");
	g_autoptr(RbTestUdevDevice) gone = NULL;
	g_autoptr(RbTestUdevDevice) after = NULL;
	g_autoptr(GError) error = NULL;
	guint8 inquiry[36];
	struct stat st;
	gint fd;

	ck_assert_ptr_nonnull(monitor);
	ck_assert_int_eq(udev_monitor_filter_add_match_subsystem_devtype(monitor, "block", NULL),
			 0);
	ck_assert_int_eq(udev_monitor_enable_receiving(monitor), 0);

	/* the medium taken out: every ID_CDROM_MEDIA* property goes */
	ck_assert(rb_umockdev_drive_set_media(drive, RB_VIRTUAL_MEDIA_NONE, &error));
	{
		g_autoptr(RbTestUdevDevice) dev = rb_test_udev_receive(monitor);

		ck_assert_ptr_nonnull(dev);
		ck_assert_str_eq(udev_device_get_action(dev), "change");
		ck_assert_str_eq(udev_device_get_sysname(dev), "sr0");
		ck_assert_str_eq(udev_device_get_property_value(dev, "ID_CDROM"), "1");
		ck_assert_ptr_null(udev_device_get_property_value(dev, "ID_CDROM_MEDIA"));
		ck_assert_ptr_null(udev_device_get_property_value(dev, "ID_CDROM_MEDIA_STATE"));
		ck_assert_ptr_null(udev_device_get_property_value(dev, "ID_CDROM_MEDIA_CD_RW"));
	}
	ck_assert_int_eq(rb_vdrive_get_media(rb_umockdev_drive_get_vdrive(drive)),
			 RB_VIRTUAL_MEDIA_NONE);

	/* a blank CD-R put in */
	ck_assert(rb_umockdev_drive_set_media(drive, RB_VIRTUAL_MEDIA_CD_R_80, &error));
	{
		g_autoptr(RbTestUdevDevice) dev = rb_test_udev_receive(monitor);

		ck_assert_ptr_nonnull(dev);
		ck_assert_str_eq(udev_device_get_action(dev), "change");
		ck_assert_str_eq(udev_device_get_property_value(dev, "ID_CDROM_MEDIA"), "1");
		ck_assert_str_eq(udev_device_get_property_value(dev, "ID_CDROM_MEDIA_CD_R"), "1");
		ck_assert_ptr_null(udev_device_get_property_value(dev, "ID_CDROM_MEDIA_CD_RW"));
		ck_assert_str_eq(udev_device_get_property_value(dev, "ID_CDROM_MEDIA_STATE"),
				 "blank");
	}

	/* ... and, once written, announced as complete */
	rb_umockdev_drive_announce_media(drive, RB_VIRTUAL_MEDIA_CD_R_80, "complete");
	{
		g_autoptr(RbTestUdevDevice) dev = rb_test_udev_receive(monitor);

		ck_assert_ptr_nonnull(dev);
		ck_assert_str_eq(udev_device_get_property_value(dev, "ID_CDROM_MEDIA_STATE"),
				 "complete");
	}

	/* unplugged: a descriptor opened before still reaches the drive */
	fd = rb_test_open("/dev/sr0");
	rb_umockdev_drive_remove(drive);
	gone = rb_test_udev_receive(monitor);
	ck_assert_ptr_nonnull(gone);
	ck_assert_str_eq(udev_device_get_action(gone), "remove");
	ck_assert_str_eq(udev_device_get_sysname(gone), "sr0");
	ck_assert_int_eq(stat("/dev/sr0", &st), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(stat("/dev/cdrom", &st), -1);
	ck_assert_int_eq(open("/dev/sg0", O_RDWR | O_NONBLOCK), -1);
	ck_assert_int_eq(errno, ENOENT);
	after = rb_test_udev_find(udev, "block", "sr0");
	ck_assert_ptr_null(after);
	rb_test_inquiry(fd, inquiry);
	ck_assert_int_eq(memcmp(inquiry + 8, "RAWBURN ", 8), 0);
	close(fd);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* SG_IO and CDROM_SEND_PACKET */

static const gchar *const rb_test_nodes[] = {"/dev/sr0", "/dev/sg0", "/dev/cdrom", "/dev/scd0"};

START_TEST(test_sg_io_inquiry)
{
	g_autoptr(RbUmockdevDrive) drive = rb_test_drive_new(RB_TEST_SPEC_RW);
	const guint8 cdb[6] = {RB_MMC_INQUIRY, 0, 0, 0, 36, 0};
	guint8 data[36] = {0};
	guint8 sense[32] = {0};
	sg_io_hdr_t hdr;
	gint fd = rb_test_open(rb_test_nodes[_i]);

	ck_assert_int_eq(rb_test_sg_io(fd, cdb, 6, SG_DXFER_FROM_DEV, data, 36, sense, 32, &hdr),
			 0);
	ck_assert_uint_eq(hdr.status, 0);
	ck_assert_uint_eq(hdr.masked_status, 0);
	ck_assert_uint_eq(hdr.host_status, 0);
	ck_assert_uint_eq(hdr.driver_status, 0);
	ck_assert_uint_eq(hdr.sb_len_wr, 0);
	ck_assert_uint_eq(hdr.info & SG_INFO_CHECK, 0);
	ck_assert_int_eq(hdr.resid, 0);
	ck_assert_uint_eq(data[0] & 0x1F, TYPE_ROM);
	ck_assert_int_eq(memcmp(data + 8, "RAWBURN Virtual CD-RW   0100", 28), 0);
	/* the handler worked on copies: the caller's pointers come back */
	ck_assert_ptr_eq(hdr.cmdp, cdb);
	ck_assert_ptr_eq(hdr.dxferp, data);
	ck_assert_ptr_eq(hdr.sbp, sense);
	ck_assert_uint_eq(rb_umockdev_drive_get_ioctl_count(drive, SG_IO), 1);
	close(fd);
}
END_TEST

START_TEST(test_sg_io_residual)
{
	g_autoptr(RbUmockdevDrive) drive = rb_test_drive_new(RB_TEST_SPEC_RW);
	const guint8 cdb[6] = {RB_MMC_INQUIRY, 0, 0, 0, 96, 0};
	guint8 data[96];
	sg_io_hdr_t hdr;
	gint fd = rb_test_open("/dev/sr0");
	gsize returned;

	memset(data, 0xAA, sizeof(data));
	ck_assert_int_eq(rb_test_sg_io(fd, cdb, 6, SG_DXFER_FROM_DEV, data, 96, NULL, 0, &hdr), 0);
	ck_assert_uint_eq(hdr.status, 0);
	returned = MIN(96, (gsize)data[4] + 5);
	ck_assert_int_eq(hdr.resid, (gint)(96 - returned));
	ck_assert_int_eq(memcmp(data + 8, "RAWBURN ", 8), 0);
	close(fd);
}
END_TEST

START_TEST(test_sg_io_check_condition)
{
	g_autoptr(RbUmockdevDrive) drive = rb_test_drive_new(RB_TEST_SPEC_EMPTY);
	const guint8 tur[6] = {RB_MMC_TEST_UNIT_READY};
	const guint8 bad[10] = {0xFF};
	guint8 sense[32];
	sg_io_hdr_t hdr;
	gint fd = rb_test_open(rb_test_nodes[_i]);

	/* no medium: 02/3A/xx */
	rb_test_unit_ready(fd, &hdr, sense);
	ck_assert_uint_eq(hdr.status, RB_SCSI_STATUS_CHECK_CONDITION);
	ck_assert_uint_eq(hdr.masked_status, CHECK_CONDITION);
	ck_assert_uint_eq(hdr.host_status, 0);
	ck_assert_uint_eq(hdr.driver_status, 0x08);
	ck_assert_uint_ne(hdr.info & SG_INFO_CHECK, 0);
	ck_assert_uint_eq(hdr.sb_len_wr, 18);
	ck_assert_uint_eq(sense[0] & 0x7F, 0x70);
	ck_assert_uint_eq(sense[2] & 0x0F, RB_SENSE_NOT_READY);
	ck_assert_uint_eq(sense[7], 10);
	ck_assert_uint_eq(sense[12], 0x3A);

	/* a short sense buffer gets what fits */
	memset(sense, 0, sizeof(sense));
	ck_assert_int_eq(rb_test_sg_io(fd, tur, 6, SG_DXFER_NONE, NULL, 0, sense, 8, &hdr), 0);
	ck_assert_uint_eq(hdr.status, RB_SCSI_STATUS_CHECK_CONDITION);
	ck_assert_uint_eq(hdr.sb_len_wr, 8);
	ck_assert_uint_eq(sense[2] & 0x0F, RB_SENSE_NOT_READY);
	ck_assert_uint_eq(sense[12], 0);

	/* an opcode no drive knows: 05/20/00 */
	memset(sense, 0, sizeof(sense));
	ck_assert_int_eq(rb_test_sg_io(fd, bad, 10, SG_DXFER_NONE, NULL, 0, sense, 32, &hdr), 0);
	ck_assert_uint_eq(hdr.status, RB_SCSI_STATUS_CHECK_CONDITION);
	ck_assert_uint_eq(hdr.driver_status, 0x08);
	ck_assert_uint_eq(sense[2] & 0x0F, RB_SENSE_ILLEGAL_REQUEST);
	ck_assert_uint_eq(sense[12], 0x20);
	ck_assert_uint_eq(sense[13], 0x00);
	close(fd);
}
END_TEST

START_TEST(test_sg_io_refused)
{
	g_autoptr(RbUmockdevDrive) drive = rb_test_drive_new(RB_TEST_SPEC_RW);
	const guint8 cdb[6] = {RB_MMC_INQUIRY, 0, 0, 0, 36, 0};
	g_autofree guint8 *big = g_malloc0(RB_UMOCKDEV_MAX_TRANSFER + 2048);
	guint8 data[36];
	sg_io_hdr_t hdr;
	gint fd = rb_test_open("/dev/sr0");

	/* not the v3 interface */
	memset(&hdr, 0, sizeof(hdr));
	hdr.interface_id = 'Q';
	ck_assert_int_eq(ioctl(fd, SG_IO, &hdr), -1);
	ck_assert_int_eq(errno, ENOSYS);

	/* scatter lists are not emulated */
	memset(&hdr, 0, sizeof(hdr));
	hdr.interface_id = 'S';
	hdr.iovec_count = 1;
	hdr.cmd_len = 6;
	hdr.cmdp = (guint8 *)cdb;
	ck_assert_int_eq(ioctl(fd, SG_IO, &hdr), -1);
	ck_assert_int_eq(errno, EINVAL);

	/* CDBs of impossible length */
	ck_assert_int_eq(rb_test_sg_io(fd, cdb, 2, SG_DXFER_FROM_DEV, data, 36, NULL, 0, &hdr), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(rb_test_sg_io(fd, cdb, 17, SG_DXFER_FROM_DEV, data, 36, NULL, 0, &hdr),
			 -1);
	ck_assert_int_eq(errno, EINVAL);

	/* more than the host adapter moves at once */
	ck_assert_int_eq(rb_test_sg_io(fd,
				       cdb,
				       6,
				       SG_DXFER_FROM_DEV,
				       big,
				       RB_UMOCKDEV_MAX_TRANSFER + 2048,
				       NULL,
				       0,
				       &hdr),
			 -1);
	ck_assert_int_eq(errno, EIO);

	/* data without a direction */
	ck_assert_int_eq(rb_test_sg_io(fd, cdb, 6, SG_DXFER_NONE, data, 36, NULL, 0, &hdr), -1);
	ck_assert_int_eq(errno, EINVAL);

	/* no CDB at all */
	ck_assert_int_eq(rb_test_sg_io(fd, NULL, 6, SG_DXFER_NONE, NULL, 0, NULL, 0, &hdr), -1);
	ck_assert_int_eq(errno, EFAULT);
	ck_assert_uint_eq(rb_umockdev_drive_get_ioctl_count(drive, SG_IO), 7);
	close(fd);
}
END_TEST

START_TEST(test_send_packet)
{
	g_autoptr(RbUmockdevDrive) drive = rb_test_drive_new(RB_TEST_SPEC_EMPTY);
	const guint8 inquiry_cdb[6] = {RB_MMC_INQUIRY, 0, 0, 0, 36, 0};
	const guint8 tur[6] = {RB_MMC_TEST_UNIT_READY};
	struct cdrom_generic_command cgc;
	struct request_sense sense;
	const guint8 *raw = (const guint8 *)&sense;
	guint8 data[36] = {0};
	gint fd = rb_test_open("/dev/sr0");
	guint calls = 0;
	gint rc;

	/* success: stat 0, buflen becomes the residual */
	ck_assert_int_eq(
		rb_test_send_packet(fd, inquiry_cdb, 6, CGC_DATA_READ, data, 36, &sense, &cgc), 0);
	ck_assert_int_eq(cgc.stat, 0);
	ck_assert_uint_eq(cgc.buflen, 0);
	ck_assert_int_eq(memcmp(data + 8, "RAWBURN Virtual CD-RW   0100", 28), 0);
	ck_assert_ptr_eq(cgc.buffer, data);
	ck_assert_ptr_eq(cgc.sense, &sense);

	/* CHECK CONDITION: EIO, the sense copied, the struct left alone; a
	 * unit attention first is fine too */
	for (guint i = 0; i < 3; i++) {
		memset(&sense, 0, sizeof(sense));
		rc = rb_test_send_packet(fd, tur, 6, CGC_DATA_NONE, NULL, 0, &sense, &cgc);
		calls++;
		if (rc != -1 || (raw[2] & 0x0F) != RB_SENSE_UNIT_ATTENTION)
			break;
	}
	ck_assert_int_eq(rc, -1);
	ck_assert_int_eq(errno, EIO);
	ck_assert_int_eq(cgc.stat, -42);
	ck_assert_uint_eq(raw[0] & 0x7F, 0x70);
	ck_assert_uint_eq(raw[2] & 0x0F, RB_SENSE_NOT_READY);
	ck_assert_uint_eq(raw[12], 0x3A);

	/* without a sense buffer the failure still shows */
	ck_assert_int_eq(rb_test_send_packet(fd, tur, 6, CGC_DATA_NONE, NULL, 0, NULL, &cgc), -1);
	ck_assert_int_eq(errno, EIO);

	/* a direction the kernel does not know */
	ck_assert_int_eq(
		rb_test_send_packet(fd, inquiry_cdb, 6, CGC_DATA_UNKNOWN, data, 36, &sense, &cgc),
		-1);
	ck_assert_int_eq(errno, EINVAL);
	/* INQUIRY, the TURs, the one without sense, the refused one */
	ck_assert_uint_eq(rb_umockdev_drive_get_ioctl_count(drive, CDROM_SEND_PACKET), calls + 3);
	close(fd);
}
END_TEST

/*
 * The transport must be transparent: the same commands through SG_IO (on
 * sr0 or sg0) or CDROM_SEND_PACKET and straight into a twin RbVdrive give
 * the same status, sense, data and residual, data-out included (a MODE
 * SELECT whose effect the next MODE SENSE shows).
 */
typedef struct {
	guint8 cdb[12];
	gsize cdb_len;
	RbMmcDirection direction;
	gsize len;
} RbTestCommand;

static const RbTestCommand rb_test_script[] = {
	{{RB_MMC_INQUIRY, 0, 0, 0, 96}, 6, RB_MMC_DIR_IN, 96},
	{{RB_MMC_TEST_UNIT_READY}, 6, RB_MMC_DIR_NONE, 0},
	{{RB_MMC_TEST_UNIT_READY}, 6, RB_MMC_DIR_NONE, 0},
	{{RB_MMC_GET_CONFIGURATION, 0x02, 0, 0, 0, 0, 0, 0x01, 0x00}, 10, RB_MMC_DIR_IN, 256},
	{{RB_MMC_MODE_SENSE_10, 0, RB_MMC_PAGE_CAPABILITIES, 0, 0, 0, 0, 0x01, 0x00},
	 10,
	 RB_MMC_DIR_IN,
	 256},
	{{RB_MMC_MODE_SENSE_10, 0, RB_MMC_PAGE_WRITE_PARAMETERS, 0, 0, 0, 0, 0x01, 0x00},
	 10,
	 RB_MMC_DIR_IN,
	 256},
	/* MODE SELECT: filled in from the reply above */
	{{RB_MMC_MODE_SELECT_10, 0x10}, 10, RB_MMC_DIR_OUT, 0},
	{{RB_MMC_MODE_SENSE_10, 0, RB_MMC_PAGE_WRITE_PARAMETERS, 0, 0, 0, 0, 0x01, 0x00},
	 10,
	 RB_MMC_DIR_IN,
	 256},
	{{RB_MMC_READ_DISC_INFORMATION, 0, 0, 0, 0, 0, 0, 0, 34}, 10, RB_MMC_DIR_IN, 34},
	{{RB_MMC_READ_TOC_PMA_ATIP, 0x02, 0x04, 0, 0, 0, 0, 0x01, 0x00}, 10, RB_MMC_DIR_IN, 256},
	{{RB_MMC_READ_TRACK_INFORMATION, 0x01, 0, 0, 0, 1, 0, 0, 48}, 10, RB_MMC_DIR_IN, 48},
	{{RB_MMC_READ_BUFFER_CAPACITY, 0, 0, 0, 0, 0, 0, 0, 12}, 10, RB_MMC_DIR_IN, 12},
	{{0xFF}, 10, RB_MMC_DIR_NONE, 0},
	{{RB_MMC_PREVENT_ALLOW_MEDIUM_REMOVAL, 0, 0, 0, 1}, 6, RB_MMC_DIR_NONE, 0},
	{{RB_MMC_START_STOP_UNIT, 0, 0, 0, 0x02}, 6, RB_MMC_DIR_NONE, 0},
	{{RB_MMC_PREVENT_ALLOW_MEDIUM_REMOVAL, 0, 0, 0, 0}, 6, RB_MMC_DIR_NONE, 0},
	{{RB_MMC_START_STOP_UNIT, 0, 0, 0, 0x02}, 6, RB_MMC_DIR_NONE, 0},
	{{RB_MMC_TEST_UNIT_READY}, 6, RB_MMC_DIR_NONE, 0},
	{{RB_MMC_START_STOP_UNIT, 0, 0, 0, 0x03}, 6, RB_MMC_DIR_NONE, 0},
	{{RB_MMC_TEST_UNIT_READY}, 6, RB_MMC_DIR_NONE, 0},
	{{RB_MMC_TEST_UNIT_READY}, 6, RB_MMC_DIR_NONE, 0},
	{{RB_MMC_SYNCHRONIZE_CACHE}, 10, RB_MMC_DIR_NONE, 0},
};

/* the MODE SELECT(10) parameter list from a MODE SENSE(10) page 05 reply:
 * raw writing with 96 bytes of raw P-W, as the daemon will ask for */
static gsize
rb_test_mode_select_data(const guint8 *sense_reply, gsize reply_len, guint8 *out)
{
	gsize len = MIN(reply_len, (gsize)((sense_reply[0] << 8) | sense_reply[1]) + 2);
	gsize page = RB_MMC_MODE_HEADER_10_LEN + ((sense_reply[6] << 8) | sense_reply[7]);

	memcpy(out, sense_reply, len);
	out[0] = out[1] = 0; /* mode data length is reserved in MODE SELECT */
	if (page + 4 < len) {
		out[page + 2] = (out[page + 2] & 0xF0) | RB_MMC_WRITE_TYPE_RAW;
		out[page + 4] = (out[page + 4] & 0xF0) | RB_MMC_DBT_RAW_PW;
	}
	return len;
}

typedef enum {
	RB_TEST_VIA_SG_IO_SR,
	RB_TEST_VIA_SG_IO_SG,
	RB_TEST_VIA_SEND_PACKET,
} RbTestVia;

START_TEST(test_transport_is_transparent)
{
	RbTestVia via = (RbTestVia)_i;
	g_autoptr(RbUmockdevDrive) drive = rb_test_drive_new(RB_TEST_SPEC_RW);
	g_autoptr(RbVirtualSpec) spec = rb_virtual_spec_parse(RB_TEST_SPEC_RW, NULL);
	g_autoptr(RbVdrive) twin = rb_vdrive_new(spec);
	gint fd = rb_test_open(via == RB_TEST_VIA_SG_IO_SG ? "/dev/sg0" : "/dev/sr0");
	guint8 select_data[256] = {0};
	gsize select_len = 0;
	gboolean select_accepted = FALSE;

	for (guint n = 0; n < G_N_ELEMENTS(rb_test_script); n++) {
		RbTestCommand command = rb_test_script[n];
		guint8 ours[256] = {0};
		guint8 theirs[256] = {0};
		guint8 sense[64] = {0};
		RbMmcResult expected;
		gsize residual;
		guint8 status;

		if (command.cdb[0] == RB_MMC_MODE_SELECT_10) {
			command.len = select_len;
			command.cdb[7] = (guint8)(select_len >> 8);
			command.cdb[8] = (guint8)select_len;
			memcpy(ours, select_data, select_len);
			memcpy(theirs, select_data, select_len);
		}

		ck_assert(rb_vdrive_execute(twin,
					    command.cdb,
					    command.cdb_len,
					    command.direction,
					    command.len > 0 ? theirs : NULL,
					    command.len,
					    &expected));

		if (via == RB_TEST_VIA_SEND_PACKET) {
			struct cdrom_generic_command cgc;
			guchar dir = command.direction == RB_MMC_DIR_IN    ? CGC_DATA_READ
				     : command.direction == RB_MMC_DIR_OUT ? CGC_DATA_WRITE
									   : CGC_DATA_NONE;
			gint rc = rb_test_send_packet(fd,
						      command.cdb,
						      command.cdb_len,
						      dir,
						      command.len > 0 ? ours : NULL,
						      command.len,
						      (struct request_sense *)sense,
						      &cgc);

			if (expected.status == RB_SCSI_STATUS_GOOD) {
				ck_assert_msg(rc == 0, "command %u: %s", n, g_strerror(errno));
				status = RB_SCSI_STATUS_GOOD;
				residual = cgc.buflen;
			} else {
				ck_assert_int_eq(rc, -1);
				ck_assert_int_eq(errno, EIO);
				status = expected.status;
				residual = expected.residual;
			}
		} else {
			static const gint sg_dir[] = {
				[RB_MMC_DIR_NONE] = SG_DXFER_NONE,
				[RB_MMC_DIR_IN] = SG_DXFER_FROM_DEV,
				[RB_MMC_DIR_OUT] = SG_DXFER_TO_DEV,
			};
			sg_io_hdr_t hdr;

			ck_assert_int_eq(rb_test_sg_io(fd,
						       command.cdb,
						       command.cdb_len,
						       sg_dir[command.direction],
						       command.len > 0 ? ours : NULL,
						       command.len,
						       sense,
						       RB_MMC_SENSE_MAX,
						       &hdr),
					 0);
			status = hdr.status;
			residual = (gsize)hdr.resid;
			ck_assert_uint_eq(hdr.sb_len_wr, expected.sense_len);
		}

		ck_assert_msg(status == expected.status,
			      "command %u (%02x): status %02x, directly %02x",
			      n,
			      command.cdb[0],
			      status,
			      expected.status);
		ck_assert_msg(
			residual == (command.direction == RB_MMC_DIR_NONE ? 0 : expected.residual),
			"command %u: residual %zu, directly %zu",
			n,
			residual,
			expected.residual);
		ck_assert_msg(memcmp(sense, expected.sense, expected.sense_len) == 0,
			      "command %u: sense differs",
			      n);
		ck_assert_msg(
			memcmp(ours, theirs, sizeof(ours)) == 0, "command %u: data differs", n);

		if (command.cdb[0] == RB_MMC_MODE_SENSE_10 &&
		    command.cdb[2] == RB_MMC_PAGE_WRITE_PARAMETERS && select_len == 0 &&
		    status == RB_SCSI_STATUS_GOOD)
			select_len =
				rb_test_mode_select_data(ours, command.len - residual, select_data);
		if (command.cdb[0] == RB_MMC_MODE_SELECT_10)
			select_accepted = status == RB_SCSI_STATUS_GOOD;
		/* the data-out arrived whole: the page reads back as written */
		if (command.cdb[0] == RB_MMC_MODE_SENSE_10 &&
		    command.cdb[2] == RB_MMC_PAGE_WRITE_PARAMETERS && select_accepted) {
			gsize page = RB_MMC_MODE_HEADER_10_LEN + ((ours[6] << 8) | ours[7]);

			ck_assert_uint_eq(ours[page + 2] & 0x0F, RB_MMC_WRITE_TYPE_RAW);
			ck_assert_uint_eq(ours[page + 4] & 0x0F, RB_MMC_DBT_RAW_PW);
		}
	}
	ck_assert_uint_gt(select_len, 0);
	/* raw writing with raw P-W is what a recorder for rawburn must take */
	ck_assert(select_accepted);
	close(fd);
}
END_TEST

#define RB_TEST_WRITE_TIMEOUT_MS 1000

typedef struct {
	gint fd;
	gint rc;
	sg_io_hdr_t hdr;
	guint8 block[2448];
	gint done;
} RbTestSlowWrite;

static gpointer
rb_test_slow_write_thread(gpointer user_data)
{
	RbTestSlowWrite *write = user_data;
	const guint8 cdb[10] = {RB_MMC_WRITE_10, 0, 0, 0, 0, 0, 0, 0, 1};

	memset(&write->hdr, 0, sizeof(write->hdr));
	write->hdr.interface_id = 'S';
	write->hdr.dxfer_direction = SG_DXFER_TO_DEV;
	write->hdr.cmd_len = sizeof(cdb);
	write->hdr.cmdp = (guint8 *)cdb;
	write->hdr.dxferp = write->block;
	write->hdr.dxfer_len = sizeof(write->block);
	write->hdr.timeout = RB_TEST_WRITE_TIMEOUT_MS;
	write->rc = ioctl(write->fd, SG_IO, &write->hdr);
	g_atomic_int_set(&write->done, 1);
	return NULL;
}

START_TEST(test_time_out)
{
	g_autoptr(RbUmockdevDrive) drive = rb_test_drive_new(RB_TEST_SPEC_RW);
	RbVdriveFaults faults;
	RbTestSlowWrite write = {0};
	guint8 inquiry[36];
	GThread *thread;
	gint64 start;
	gint sg;

	/* the WRITE covering LBA 0 is never answered */
	rb_vdrive_faults_init(&faults);
	faults.timeout_at_lba = 0;
	rb_vdrive_set_faults(rb_umockdev_drive_get_vdrive(drive), &faults);

	write.fd = rb_test_open("/dev/sr0");
	sg = rb_test_open("/dev/sg0");
	start = g_get_monotonic_time();
	thread = g_thread_new("slow-write", rb_test_slow_write_thread, &write);
	/* meanwhile the handler keeps serving everybody else */
	g_usleep(100 * 1000);
	rb_test_inquiry(sg, inquiry);
	ck_assert(!g_atomic_int_get(&write.done));
	g_thread_join(thread);

	/* SG_IO itself succeeds; the host says it timed out (DID_TIME_OUT),
	 * after the caller's time-out and not before */
	ck_assert_int_ge(g_get_monotonic_time() - start, RB_TEST_WRITE_TIMEOUT_MS * 1000);
	ck_assert_int_eq(write.rc, 0);
	ck_assert_uint_eq(write.hdr.status, 0);
	ck_assert_uint_eq(write.hdr.host_status, 0x03);
	ck_assert_uint_ne(write.hdr.info & SG_INFO_CHECK, 0);
	ck_assert_int_eq(write.hdr.resid, (gint)sizeof(write.block));
	ck_assert_uint_eq(write.hdr.duration, RB_TEST_WRITE_TIMEOUT_MS);

	/* CDROM_SEND_PACKET (time-out in USER_HZ ticks) looks only at the SCSI
	 * status, which a timed-out command lacks: the kernel returns 0 */
	rb_vdrive_set_faults(rb_umockdev_drive_get_vdrive(drive), &faults);
	{
		const guint8 cdb[10] = {RB_MMC_WRITE_10, 0, 0, 0, 0, 0, 0, 0, 1};
		struct cdrom_generic_command cgc = {
			.buffer = write.block,
			.buflen = sizeof(write.block),
			.data_direction = CGC_DATA_WRITE,
			.timeout = 30,
		};

		memcpy(cgc.cmd, cdb, sizeof(cdb));
		start = g_get_monotonic_time();
		ck_assert_int_eq(ioctl(write.fd, CDROM_SEND_PACKET, &cgc), 0);
		ck_assert_int_ge(g_get_monotonic_time() - start, 300 * 1000);
		ck_assert_int_eq(cgc.stat, 0);
		ck_assert_uint_eq(cgc.buflen, sizeof(write.block));
	}
	close(sg);
	close(write.fd);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* housekeeping ioctls */

START_TEST(test_housekeeping_sr)
{
	g_autoptr(RbUmockdevDrive) drive = rb_test_drive_new(RB_TEST_SPEC_RW);
	gint fd = rb_test_open(_i == 0 ? "/dev/sr0" : "/dev/cdrom");
	gint value = 0;
	gint idlun[2] = {0};
	struct sg_scsi_id id;
	gint options;

	ck_assert_int_eq(ioctl(fd, SG_GET_VERSION_NUM, &value), 0);
	ck_assert_int_eq(value, 30527);

	/* the block layer's reserved size: the max transfer, clamped */
	ck_assert_int_eq(ioctl(fd, SG_GET_RESERVED_SIZE, &value), 0);
	ck_assert_int_eq(value, RB_UMOCKDEV_MAX_TRANSFER);
	value = 65536;
	ck_assert_int_eq(ioctl(fd, SG_SET_RESERVED_SIZE, &value), 0);
	ck_assert_int_eq(ioctl(fd, SG_GET_RESERVED_SIZE, &value), 0);
	ck_assert_int_eq(value, 65536);
	value = 16 * 1024 * 1024;
	ck_assert_int_eq(ioctl(fd, SG_SET_RESERVED_SIZE, &value), 0);
	ck_assert_int_eq(ioctl(fd, SG_GET_RESERVED_SIZE, &value), 0);
	ck_assert_int_eq(value, RB_UMOCKDEV_MAX_TRANSFER);
	value = -1;
	ck_assert_int_eq(ioctl(fd, SG_SET_RESERVED_SIZE, &value), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(ioctl(fd, SG_GET_RESERVED_SIZE, NULL), -1);
	ck_assert_int_eq(errno, EFAULT);

	ck_assert_int_eq(ioctl(fd, SG_EMULATED_HOST, &value), 0);
	ck_assert_int_eq(value, 1);

	/* SG_GET_TIMEOUT answers in its return value */
	ck_assert_int_eq(ioctl(fd, SG_GET_TIMEOUT), RB_UMOCKDEV_TIMEOUT_DEFAULT);
	value = 1234;
	ck_assert_int_eq(ioctl(fd, SG_SET_TIMEOUT, &value), 0);
	ck_assert_int_eq(ioctl(fd, SG_GET_TIMEOUT), 1234);
	value = -5;
	ck_assert_int_eq(ioctl(fd, SG_SET_TIMEOUT, &value), -1);
	ck_assert_int_eq(errno, EIO);

	ck_assert_int_eq(ioctl(fd, SCSI_IOCTL_GET_IDLUN, idlun), 0);
	ck_assert_int_eq(idlun[0], RB_UMOCKDEV_SCSI_HOST << 24);
	ck_assert_int_eq(idlun[1], RB_UMOCKDEV_SCSI_HOST_UNIQUE_ID);
	ck_assert_int_eq(ioctl(fd, SCSI_IOCTL_GET_BUS_NUMBER, &value), 0);
	ck_assert_int_eq(value, RB_UMOCKDEV_SCSI_HOST);

	/* a CD-RW recorder: no DVD, no changer */
	value = ioctl(fd, CDROM_GET_CAPABILITY, 0);
	ck_assert_int_eq(value, RB_UMOCKDEV_CDROM_CAPABILITY);
	ck_assert_int_ne(value & CDC_CD_RW, 0);
	ck_assert_int_ne(value & CDC_CD_R, 0);
	ck_assert_int_ne(value & CDC_GENERIC_PACKET, 0);
	ck_assert_int_ne(value & CDC_LOCK, 0);
	ck_assert_int_ne(value & CDC_OPEN_TRAY, 0);
	ck_assert_int_eq(value & (CDC_DVD | CDC_DVD_R | CDC_DVD_RAM | CDC_SELECT_DISC), 0);

	/* the CD-ROM layer's defaults: USE_FFLAGS, AUTO_CLOSE, LOCK */
	options = ioctl(fd, CDROM_SET_OPTIONS, 0);
	ck_assert_int_eq(options, CDO_USE_FFLAGS | CDO_AUTO_CLOSE | CDO_LOCK);
	ck_assert_int_eq(ioctl(fd, CDROM_SET_OPTIONS, CDO_AUTO_EJECT), options | CDO_AUTO_EJECT);
	ck_assert_int_eq(ioctl(fd, CDROM_CLEAR_OPTIONS, CDO_AUTO_EJECT | CDO_LOCK),
			 options & ~CDO_LOCK);

	/* an ATAPI drive behind sr is not an IDE disk, nor an sg device */
	ck_assert_int_eq(ioctl(fd, HDIO_GET_IDENTITY, &id), -1);
	ck_assert_int_eq(errno, ENOTTY);
	ck_assert_int_eq(ioctl(fd, SG_GET_SCSI_ID, &id), -1);
	ck_assert_int_eq(errno, ENOTTY);
	ck_assert_int_eq(ioctl(fd, TCGETS, &id), -1);
	ck_assert_int_eq(errno, ENOTTY);

	ck_assert_uint_eq(rb_umockdev_drive_get_ioctl_count(drive, SG_SET_RESERVED_SIZE), 3);
	ck_assert_uint_eq(rb_umockdev_drive_get_ioctl_count(drive, SG_GET_TIMEOUT), 2);
	ck_assert_uint_eq(rb_umockdev_drive_get_ioctl_count(drive, HDIO_GET_IDENTITY), 1);
	ck_assert_uint_eq(rb_umockdev_drive_get_ioctl_count(drive, SG_IO), 0);
	close(fd);
}
END_TEST

START_TEST(test_housekeeping_sg)
{
	g_autoptr(RbUmockdevDrive) drive = rb_test_drive_new(RB_TEST_SPEC_RW);
	gint fd = rb_test_open("/dev/sg0");
	gint sr = rb_test_open("/dev/sr0");
	struct sg_scsi_id id;
	gint idlun[2] = {0};
	gint value = 0;

	ck_assert_int_eq(ioctl(fd, SG_GET_VERSION_NUM, &value), 0);
	ck_assert_int_eq(value, 30527);
	ck_assert_int_eq(ioctl(fd, SG_EMULATED_HOST, &value), 0);
	ck_assert_int_eq(value, 0);

	/* sg's own reserved buffer, apart from the block device's */
	ck_assert_int_eq(ioctl(fd, SG_GET_RESERVED_SIZE, &value), 0);
	ck_assert_int_eq(value, RB_UMOCKDEV_SG_RESERVED_DEFAULT);
	value = 1 << 20;
	ck_assert_int_eq(ioctl(fd, SG_SET_RESERVED_SIZE, &value), 0);
	ck_assert_int_eq(ioctl(fd, SG_GET_RESERVED_SIZE, &value), 0);
	ck_assert_int_eq(value, RB_UMOCKDEV_MAX_TRANSFER);
	value = 4096;
	ck_assert_int_eq(ioctl(fd, SG_SET_RESERVED_SIZE, &value), 0);
	ck_assert_int_eq(ioctl(sr, SG_GET_RESERVED_SIZE, &value), 0);
	ck_assert_int_eq(value, RB_UMOCKDEV_MAX_TRANSFER);

	memset(&id, 0xFF, sizeof(id));
	ck_assert_int_eq(ioctl(fd, SG_GET_SCSI_ID, &id), 0);
	ck_assert_int_eq(id.host_no, RB_UMOCKDEV_SCSI_HOST);
	ck_assert_int_eq(id.channel, 0);
	ck_assert_int_eq(id.scsi_id, 0);
	ck_assert_int_eq(id.lun, 0);
	ck_assert_int_eq(id.scsi_type, TYPE_ROM);

	ck_assert_int_eq(ioctl(fd, SCSI_IOCTL_GET_IDLUN, idlun), 0);
	ck_assert_int_eq(idlun[0], RB_UMOCKDEV_SCSI_HOST << 24);
	ck_assert_int_eq(ioctl(fd, SCSI_IOCTL_GET_BUS_NUMBER, &value), 0);
	ck_assert_int_eq(value, RB_UMOCKDEV_SCSI_HOST);
	ck_assert_int_eq(ioctl(fd, SG_GET_TIMEOUT), RB_UMOCKDEV_TIMEOUT_DEFAULT);

	/* the CD-ROM layer lives on sr only */
	ck_assert_int_eq(ioctl(fd, CDROM_GET_CAPABILITY, 0), -1);
	ck_assert_int_eq(errno, ENOTTY);
	ck_assert_int_eq(ioctl(fd, CDROM_DRIVE_STATUS, CDSL_CURRENT), -1);
	ck_assert_int_eq(errno, ENOTTY);
	ck_assert_int_eq(ioctl(fd, CDROM_LOCKDOOR, 1), -1);
	ck_assert_int_eq(errno, ENOTTY);
	ck_assert_int_eq(ioctl(fd, HDIO_GET_IDENTITY, &id), -1);
	ck_assert_int_eq(errno, ENOTTY);
	close(sr);
	close(fd);
}
END_TEST

START_TEST(test_drive_status_and_tray)
{
	g_autoptr(RbUmockdevDrive) drive = rb_test_drive_new(RB_TEST_SPEC_RW);
	gint fd = rb_test_open("/dev/sr0");

	ck_assert_int_eq(ioctl(fd, CDROM_DRIVE_STATUS, CDSL_CURRENT), CDS_DISC_OK);

	/* locked: the drive refuses to eject */
	ck_assert_int_eq(ioctl(fd, CDROM_LOCKDOOR, 1), 0);
	ck_assert(rb_umockdev_drive_get_door_locked(drive));
	ck_assert_int_eq(ioctl(fd, CDROMEJECT), -1);
	ck_assert_int_eq(errno, EIO);
	ck_assert_int_eq(ioctl(fd, CDROM_DRIVE_STATUS, CDSL_CURRENT), CDS_DISC_OK);

	ck_assert_int_eq(ioctl(fd, CDROM_LOCKDOOR, 0), 0);
	ck_assert(!rb_umockdev_drive_get_door_locked(drive));
	ck_assert_int_eq(ioctl(fd, CDROMEJECT), 0);
	ck_assert_int_eq(ioctl(fd, CDROM_DRIVE_STATUS, CDSL_CURRENT), CDS_TRAY_OPEN);
	ck_assert_int_eq(ioctl(fd, CDROMCLOSETRAY), 0);
	/* the unit attention after loading is taken as a medium change */
	ck_assert_int_eq(ioctl(fd, CDROM_DRIVE_STATUS, CDSL_CURRENT), CDS_DISC_OK);
	ck_assert_int_eq(ioctl(fd, CDROM_MEDIA_CHANGED, CDSL_CURRENT), 1);
	ck_assert_int_eq(ioctl(fd, CDROM_MEDIA_CHANGED, CDSL_CURRENT), 0);

	ck_assert_uint_eq(rb_umockdev_drive_get_ioctl_count(drive, CDROM_DRIVE_STATUS), 4);
	ck_assert_uint_eq(rb_umockdev_drive_get_ioctl_count(drive, CDROMEJECT), 2);
	ck_assert_uint_eq(rb_umockdev_drive_get_ioctl_count(drive, CDROM_LOCKDOOR), 2);
	close(fd);
}
END_TEST

START_TEST(test_drive_status_no_disc)
{
	g_autoptr(RbUmockdevDrive) drive = rb_test_drive_new(RB_TEST_SPEC_EMPTY);
	g_autoptr(GError) error = NULL;
	gint fd = rb_test_open("/dev/sr0");

	ck_assert_int_eq(ioctl(fd, CDROM_DRIVE_STATUS, CDSL_CURRENT), CDS_NO_DISC);
	ck_assert_int_eq(ioctl(fd, CDROM_MEDIA_CHANGED, CDSL_CURRENT), 0);
	ck_assert(rb_umockdev_drive_set_media(drive, RB_VIRTUAL_MEDIA_CD_RW_74, &error));
	ck_assert_int_eq(ioctl(fd, CDROM_MEDIA_CHANGED, CDSL_CURRENT), 1);
	ck_assert_int_eq(ioctl(fd, CDROM_MEDIA_CHANGED, CDSL_CURRENT), 0);
	ck_assert_int_eq(ioctl(fd, CDROM_DRIVE_STATUS, CDSL_CURRENT), CDS_DISC_OK);
	close(fd);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* the daemon's own SG_IO transport, end to end */

START_TEST(test_sg_transport)
{
	g_autoptr(RbUmockdevDrive) drive = rb_test_drive_new(RB_TEST_SPEC_RW);
	g_autoptr(RbMmcTransport) transport = NULL;
	g_autoptr(RbMmcTransport) gone = NULL;
	g_autoptr(GError) error = NULL;
	const guint8 inquiry_cdb[6] = {RB_MMC_INQUIRY, 0, 0, 0, 36, 0};
	const guint8 tur[6] = {RB_MMC_TEST_UNIT_READY};
	const guint8 write_cdb[10] = {RB_MMC_WRITE_10, 0, 0, 0, 0, 0, 0, 0, 1};
	guint8 block[2448] = {0};
	guint8 data[36] = {0};
	RbVdriveFaults faults;
	RbMmcResult result;

	transport = rb_mmc_sg_transport_new(_i == 0 ? "/dev/sr0" : "/dev/sg0", &error);
	ck_assert_msg(transport != NULL, "%s", error != NULL ? error->message : "");

	ck_assert(rb_mmc_transport_execute(
		transport, inquiry_cdb, 6, RB_MMC_DIR_IN, data, 36, 5000, &result, &error));
	ck_assert_uint_eq(result.status, RB_SCSI_STATUS_GOOD);
	ck_assert_uint_eq(result.residual, 0);
	ck_assert_int_eq(memcmp(data + 8, "RAWBURN Virtual CD-RW   0100", 28), 0);

	/* a CHECK CONDITION is a completed command, sense included */
	ck_assert(rb_umockdev_drive_set_media(drive, RB_VIRTUAL_MEDIA_NONE, &error));
	for (guint i = 0; i < 3; i++) {
		ck_assert(rb_mmc_transport_execute(
			transport, tur, 6, RB_MMC_DIR_NONE, NULL, 0, 5000, &result, &error));
		if ((result.sense[2] & 0x0F) != RB_SENSE_UNIT_ATTENTION)
			break;
	}
	ck_assert_uint_eq(result.status, RB_SCSI_STATUS_CHECK_CONDITION);
	ck_assert_uint_eq(result.sense_len, 18);
	ck_assert_uint_eq(result.sense[2] & 0x0F, RB_SENSE_NOT_READY);
	ck_assert_uint_eq(result.sense[12], 0x3A);

	/* a command the drive never answers: the host's time-out */
	ck_assert(rb_umockdev_drive_set_media(drive, RB_VIRTUAL_MEDIA_CD_R_80, &error));
	rb_vdrive_faults_init(&faults);
	faults.timeout_at_lba = 0;
	rb_vdrive_set_faults(rb_umockdev_drive_get_vdrive(drive), &faults);
	ck_assert(!rb_mmc_transport_execute(transport,
					    write_cdb,
					    10,
					    RB_MMC_DIR_OUT,
					    block,
					    sizeof(block),
					    300,
					    &result,
					    &error));
	ck_assert_msg(g_error_matches(error, RB_ERROR, RB_ERROR_COMMAND_TIMEOUT),
		      "%s",
		      error != NULL ? error->message : "no error");
	g_clear_error(&error);

	/* unplugged: opening fails as for a vanished drive */
	rb_umockdev_drive_remove(drive);
	gone = rb_mmc_sg_transport_new("/dev/sr0", &error);
	ck_assert_ptr_null(gone);
	ck_assert_msg(g_error_matches(error, RB_ERROR, RB_ERROR_DEVICE_GONE),
		      "%s",
		      error != NULL ? error->message : "no error");
}
END_TEST

static gboolean
rb_test_arrays_equal(const GArray *a, const GArray *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return a->len == b->len &&
	       memcmp(a->data, b->data, (gsize)a->len * g_array_get_element_size((GArray *)a)) == 0;
}

/* the daemon's raw-capability probe sees the same recorder through SG_IO
 * as through a direct call */
START_TEST(test_sg_transport_probe)
{
	g_autoptr(RbUmockdevDrive) drive = rb_test_drive_new(RB_TEST_SPEC_RW);
	g_autoptr(RbVirtualSpec) spec = rb_virtual_spec_parse(RB_TEST_SPEC_RW, NULL);
	g_autoptr(RbVdrive) twin = rb_vdrive_new(spec);
	g_autoptr(RbMmcTransport) direct = rb_vdrive_transport_new(twin);
	g_autoptr(RbMmcTransport) transport = NULL;
	g_autoptr(RbMmcRawCaps) caps = NULL;
	g_autoptr(RbMmcRawCaps) expected = NULL;
	g_autoptr(GError) error = NULL;

	transport = rb_mmc_sg_transport_new("/dev/sr0", &error);
	ck_assert_msg(transport != NULL, "%s", error != NULL ? error->message : "");
	caps = rb_mmc_probe_raw(transport, &error);
	ck_assert_msg(caps != NULL, "%s", error != NULL ? error->message : "");
	expected = rb_mmc_probe_raw(direct, &error);
	ck_assert_msg(expected != NULL, "%s", error != NULL ? error->message : "");

	ck_assert_uint_gt(caps->sector_types->len, 0);
	ck_assert(rb_test_arrays_equal(caps->sector_types, expected->sector_types));
	ck_assert(rb_test_arrays_equal(caps->write_speeds, expected->write_speeds));
	ck_assert_int_eq(caps->buf, expected->buf);
	ck_assert_int_eq(caps->has_cd_mastering, expected->has_cd_mastering);
	ck_assert_uint_gt(rb_umockdev_drive_get_ioctl_count(drive, SG_IO), 0);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* other processes, and the tool */

START_TEST(test_child_process)
{
	g_autoptr(RbUmockdevDrive) drive = rb_test_drive_new(RB_TEST_SPEC_RW);
	g_autofree gchar *self = rb_test_self_path();
	const gchar *argv[] = {self, "--inquiry", rb_test_nodes[_i], NULL};
	g_auto(GStrv) envp = g_get_environ();
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	gint wait_status;

	/* it inherits LD_PRELOAD and $UMOCKDEV_DIR; this process answers */
	wait_status = rb_test_spawn(argv, envp, &out, &err);
	ck_assert_msg(WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0, "%s", err);
	ck_assert_str_eq(out, RB_TEST_INQUIRY_LINE);
	ck_assert_uint_eq(rb_umockdev_drive_get_ioctl_count(drive, SG_IO), 1);
}
END_TEST

START_TEST(test_tool_runs_program)
{
	g_autofree gchar *self = rb_test_self_path();
	const gchar *inquiry[] = {
		rb_test_tool_path(), "--media", "cd-rw-80", self, "--inquiry", "/dev/sg0", NULL};
	const gchar *script[] = {rb_test_tool_path(),
				 "--speed=16",
				 "sh",
				 "-c",
				 "test -b /dev/sr0 && test -c /dev/sg0 && test -b /dev/cdrom && "
				 "cat /sys/block/sr0/device/vendor; exit 7",
				 NULL};
	const gchar *sg_inq[] = {rb_test_tool_path(), "sg_inq", "/dev/sr0", NULL};
	g_autofree gchar *sg_inq_path = g_find_program_in_path("sg_inq");
	g_auto(GStrv) envp = g_get_environ();
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	gint wait_status;

	/* without the preload, as a developer would start it: the tool puts
	 * itself under it */
	envp = g_environ_unsetenv(envp, "LD_PRELOAD");
	envp = g_environ_unsetenv(envp, "UMOCKDEV_DIR");

	wait_status = rb_test_spawn(inquiry, envp, &out, &err);
	ck_assert_msg(WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0, "%s", err);
	ck_assert_str_eq(out, RB_TEST_INQUIRY_LINE);
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);

	/* the program's exit status is the tool's */
	wait_status = rb_test_spawn(script, envp, &out, &err);
	ck_assert_msg(WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 7, "%s", err);
	ck_assert_str_eq(out, "RAWBURN \n");
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);

	/* a third-party program (sg3-utils, installed by .ci/build) */
	ck_assert_msg(sg_inq_path != NULL, "sg_inq is missing: install sg3-utils (.ci/build does)");
	wait_status = rb_test_spawn(sg_inq, envp, &out, &err);
	ck_assert_msg(WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0, "%s", err);
	ck_assert_ptr_nonnull(strstr(out, "Vendor identification: RAWBURN"));
}
END_TEST

/* the usual Linux raw writers, unmodified, burn onto the emulated drive,
 * and its checker finds what they wrote clean */
typedef struct {
	const gchar *args[4];
	gint exit_status;
	const gchar *message_parts[2];
} RbTestToolError;

static const RbTestToolError rb_test_tool_errors[] = {
	{{"--media", "floppy", "true"}, 2, {"floppy", "cd-rw-80"}},
	{{"--speed", "99", "true"}, 2, {"99", "1 to 52"}},
	{{"--media", "cd-r-80"}, 2, {"PROGRAM", NULL}},
	{{"/nonexistent/burner"}, 127, {"/nonexistent/burner", NULL}},
	{{"no-such-program-here"}, 127, {"no-such-program-here", NULL}},
};

START_TEST(test_tool_errors)
{
	const RbTestToolError *bad = &rb_test_tool_errors[_i];
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	gint wait_status;

	g_ptr_array_add(argv, (gpointer)rb_test_tool_path());
	for (guint i = 0; i < G_N_ELEMENTS(bad->args) && bad->args[i] != NULL; i++)
		g_ptr_array_add(argv, (gpointer)bad->args[i]);
	g_ptr_array_add(argv, NULL);

	wait_status = rb_test_spawn((const gchar *const *)argv->pdata, NULL, &out, &err);
	ck_assert(WIFEXITED(wait_status));
	ck_assert_int_eq(WEXITSTATUS(wait_status), bad->exit_status);
	for (guint i = 0; i < G_N_ELEMENTS(bad->message_parts); i++) {
		if (bad->message_parts[i] != NULL)
			ck_assert_msg(strstr(err, bad->message_parts[i]) != NULL,
				      "“%s” not in “%s”",
				      bad->message_parts[i],
				      err);
	}
}
END_TEST

/* the other side of test_child_process: an unrelated program's INQUIRY */
static gint
rb_test_child_inquiry(const gchar *node)
{
	const guint8 cdb[6] = {RB_MMC_INQUIRY, 0, 0, 0, 36, 0};
	guint8 data[36] = {0};
	sg_io_hdr_t hdr;
	gint fd = open(node, O_RDONLY | O_NONBLOCK);

	if (fd < 0) {
		g_printerr("open %s: %s\n", node, g_strerror(errno));
		return 1;
	}
	if (rb_test_sg_io(fd, cdb, 6, SG_DXFER_FROM_DEV, data, 36, NULL, 0, &hdr) != 0 ||
	    hdr.status != 0) {
		g_printerr("INQUIRY on %s failed\n", node);
		close(fd);
		return 1;
	}
	close(fd);
	g_print("%.8s|%.16s|%.4s\n", data + 8, data + 16, data + 32);
	return 0;
}

int
main(int argc, char **argv)
{
	Suite *suite;
	TCase *tc;

	rb_umockdev_drive_ensure_preload_or_exit(argv);
	if (argc == 3 && g_strcmp0(argv[1], "--inquiry") == 0)
		return rb_test_child_inquiry(argv[2]);

	suite = suite_create("umockdev-drive");

	tc = tcase_create("udev");
	tcase_set_timeout(tc, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_test(tc, test_udev_block_device);
	tcase_add_test(tc, test_udev_sg_device);
	tcase_add_loop_test(tc, test_udev_media_properties, 0, G_N_ELEMENTS(rb_test_media_props));
	tcase_add_test(tc, test_device_nodes);
	tcase_add_test(tc, test_udev_monitor);
	suite_add_tcase(suite, tc);

	tc = tcase_create("commands");
	tcase_set_timeout(tc, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_loop_test(tc, test_sg_io_inquiry, 0, G_N_ELEMENTS(rb_test_nodes));
	tcase_add_test(tc, test_sg_io_residual);
	tcase_add_loop_test(tc, test_sg_io_check_condition, 0, 2);
	tcase_add_test(tc, test_sg_io_refused);
	tcase_add_test(tc, test_send_packet);
	tcase_add_loop_test(tc, test_transport_is_transparent, 0, RB_TEST_VIA_SEND_PACKET + 1);
	tcase_add_test(tc, test_time_out);
	suite_add_tcase(suite, tc);

	tc = tcase_create("housekeeping");
	tcase_set_timeout(tc, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_loop_test(tc, test_housekeeping_sr, 0, 2);
	tcase_add_test(tc, test_housekeeping_sg);
	tcase_add_test(tc, test_drive_status_and_tray);
	tcase_add_test(tc, test_drive_status_no_disc);
	suite_add_tcase(suite, tc);

	tc = tcase_create("sg-transport");
	tcase_set_timeout(tc, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_loop_test(tc, test_sg_transport, 0, 2);
	tcase_add_test(tc, test_sg_transport_probe);
	suite_add_tcase(suite, tc);

	tc = tcase_create("processes");
	tcase_set_timeout(tc, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_loop_test(tc, test_child_process, 0, G_N_ELEMENTS(rb_test_nodes));
	tcase_add_test(tc, test_tool_runs_program);
	tcase_add_loop_test(tc, test_tool_errors, 0, G_N_ELEMENTS(rb_test_tool_errors));
	suite_add_tcase(suite, tc);

	return rb_test_run_suite(suite);
}
