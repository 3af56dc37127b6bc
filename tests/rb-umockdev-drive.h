/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The emulated recorder (RbVdrive) put behind umockdev: a testbed with
 * /dev/sr0 and /dev/sg0 whose sysfs and udev properties look like a real
 * CD-RW drive, and one ioctl handler that answers SG_IO, CDROM_SEND_PACKET
 * and the sr/sg drivers' housekeeping ioctls the way the kernel does. Code
 * under test then talks to the drive exactly as to real hardware.
 *
 * umockdev intercepts libc calls only in processes that run under its
 * preload library, and synthesised uevents need the creating process itself
 * under it (see /work/shared/spec/umockdev-notes.md): call
 * rb_umockdev_drive_ensure_preload() first thing in main().
 */
#pragma once

#include <umockdev.h>

#include "rb-vdrive.h"
#include "rb-virtual-spec.h"

G_BEGIN_DECLS

/* where the devices live in the testbed's sysfs: an ATAPI drive on the
 * second SATA port, SCSI host 1, channel 0, id 0, lun 0 */
#define RB_UMOCKDEV_SCSI_DEVPATH "/devices/pci0000:00/0000:00:1f.2/ata2/host1/target1:0:0/1:0:0:0"
#define RB_UMOCKDEV_SR_DEVPATH RB_UMOCKDEV_SCSI_DEVPATH "/block/sr0"
#define RB_UMOCKDEV_SG_DEVPATH RB_UMOCKDEV_SCSI_DEVPATH "/scsi_generic/sg0"
#define RB_UMOCKDEV_SCSI_SYSFS_PATH "/sys" RB_UMOCKDEV_SCSI_DEVPATH
#define RB_UMOCKDEV_SR_SYSFS_PATH "/sys" RB_UMOCKDEV_SR_DEVPATH
#define RB_UMOCKDEV_SG_SYSFS_PATH "/sys" RB_UMOCKDEV_SG_DEVPATH

/* the largest SG_IO transfer the emulated host adapter accepts (what the
 * kernel derives from max_hw_sectors); SG_SET_RESERVED_SIZE clamps to it */
#define RB_UMOCKDEV_MAX_TRANSFER (512 * 1024)
/* the sg driver's default reserved buffer */
#define RB_UMOCKDEV_SG_RESERVED_DEFAULT 32768
/* SG_GET_TIMEOUT's default, in USER_HZ ticks: 60 s */
#define RB_UMOCKDEV_TIMEOUT_DEFAULT 6000
/* CDROM_GET_CAPABILITY of a CD-RW recorder without DVD, changer or MRW */
#define RB_UMOCKDEV_CDROM_CAPABILITY 0x7BEF
/* struct sg_scsi_id / SCSI_IOCTL_GET_IDLUN of the emulated drive */
#define RB_UMOCKDEV_SCSI_HOST 1
#define RB_UMOCKDEV_SCSI_HOST_UNIQUE_ID 2

typedef struct _RbUmockdevDrive RbUmockdevDrive;

/*
 * Makes sure this process runs under libumockdev-preload.so.0: when
 * LD_PRELOAD lacks it, re-executes /proc/self/exe with @argv and the preload
 * (and, in AddressSanitizer builds, ASAN_OPTIONS=verify_asan_link_order=0)
 * and does not return. Returns FALSE with @error when the re-exec failed or
 * the library could not be loaded after all.
 */
gboolean rb_umockdev_drive_ensure_preload(gchar **argv, GError **error);
/* the same for a test's main(): on failure says why and exits with 99, a
 * hard error to automake's test driver */
void rb_umockdev_drive_ensure_preload_or_exit(gchar **argv);

/*
 * Builds the testbed (which sets $UMOCKDEV_DIR for this process and its
 * children) with a drive emulating @spec. One testbed per process at a time.
 */
RbUmockdevDrive *rb_umockdev_drive_new(const RbVirtualSpec *spec, GError **error);
void rb_umockdev_drive_free(RbUmockdevDrive *self);

UMockdevTestbed *rb_umockdev_drive_get_testbed(RbUmockdevDrive *self);
RbVdrive *rb_umockdev_drive_get_vdrive(RbUmockdevDrive *self);
/* the block device's sysfs path, RB_UMOCKDEV_SR_SYSFS_PATH */
const gchar *rb_umockdev_drive_get_sysfs_path(RbUmockdevDrive *self);
/* the testbed's root, the value of $UMOCKDEV_DIR */
const gchar *rb_umockdev_drive_get_root_dir(RbUmockdevDrive *self);

/*
 * Announces that the medium changed to @media (RB_VIRTUAL_MEDIA_NONE: taken
 * out) with ID_CDROM_MEDIA_STATE @state ("blank", "appendable", "complete";
 * NULL means "blank"): updates the ID_CDROM_MEDIA* properties, makes the
 * next CDROM_MEDIA_CHANGED answer 1 and sends a "change" uevent. It does not
 * change the RbVdrive's own medium; do that through its API.
 */
void
rb_umockdev_drive_announce_media(RbUmockdevDrive *self, RbVirtualMedia media, const gchar *state);

/*
 * Puts @media into the drive (RB_VIRTUAL_MEDIA_NONE: takes the medium out)
 * through the RbVdrive, then announces it as a blank medium. Fails as the
 * drive does, e.g. while the medium is locked in or a write runs.
 */
gboolean rb_umockdev_drive_set_media(RbUmockdevDrive *self, RbVirtualMedia media, GError **error);

/*
 * Unplugs the drive: "remove" uevents for sg0, sr0 and the SCSI device (sent
 * before the sysfs directories go, as umockdev 0.17 needs them), then the
 * devices, their /dev nodes and aliases, and the ioctl handlers, so later
 * opens fail with ENOENT. Already open descriptors stay served.
 */
void rb_umockdev_drive_remove(RbUmockdevDrive *self);

/* how many ioctls with @request reached the handler, answered or refused */
guint rb_umockdev_drive_get_ioctl_count(RbUmockdevDrive *self, gulong request);
/* the door lock state last set with CDROM_LOCKDOOR */
gboolean rb_umockdev_drive_get_door_locked(RbUmockdevDrive *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RbUmockdevDrive, rb_umockdev_drive_free)

G_END_DECLS
