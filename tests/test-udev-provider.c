/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * RbUdevProvider and the drive probe. The probe runs against the emulated
 * drive by function call; the provider runs against umockdev testbeds:
 * the emulated CD-RW recorder at /dev/sr0 (coldplug, medium out and in,
 * unplug, a removal racing a probe, stop during a probe), and a testbed
 * of hand-written devices with no ioctl handler, where a recorder is
 * plugged in next to a hard disk and cannot be probed.
 *
 * The binary puts itself under umockdev's preload first thing; each test
 * builds its own testbed (Check forks per test). Waiting for a signal
 * iterates the main context, with a generous guard against hangs only.
 */
#include "config.h"

#include <scsi/sg.h>
#include <string.h>

#include "rb-drive-probe.h"
#include "rb-error.h"
#include "rb-test-service.h"
#include "rb-udev-provider.h"
#include "rb-umockdev-drive.h"
#include "rb-vdrive-transport.h"

/* ASan builds are slow; this only keeps a broken build from hanging */
#define RB_TEST_WAIT_SECONDS 20

#define RB_TEST_SPEC_RW "media=cd-rw-80,realtime=false"
#define RB_TEST_SPEC_R "media=cd-r-80,realtime=false"
#define RB_TEST_SPEC_EMPTY "media=none,realtime=false"

/* the lead-in start of the emulated 80 min CD-RW, 97:26:73 */
#define RB_TEST_CD_RW_80_LEADIN (-11077)

/* ------------------------------------------------------------------------ */
/* recording the provider's signals */

typedef enum {
	RB_TEST_ADDED,
	RB_TEST_CHANGED,
	RB_TEST_REMOVED,
} RbTestEventType;

typedef struct {
	RbTestEventType type;
	RbDriveInfo *info; /* added, changed */
	gchar *kernel_name;
} RbTestEvent;

typedef struct {
	RbUdevProvider *provider;
	GPtrArray *events; /* RbTestEvent */
} RbTestLog;

static void
rb_test_event_free(gpointer data)
{
	RbTestEvent *event = data;

	g_clear_pointer(&event->info, rb_drive_info_unref);
	g_free(event->kernel_name);
	g_free(event);
}

static void
rb_test_log_info(RbTestLog *log, RbTestEventType type, RbDriveInfo *info)
{
	RbTestEvent *event = g_new0(RbTestEvent, 1);

	ck_assert_ptr_nonnull(info);
	event->type = type;
	event->info = rb_drive_info_ref(info);
	event->kernel_name = g_strdup(info->kernel_name);
	g_ptr_array_add(log->events, event);
}

static void
rb_test_on_added(RbUdevProvider *provider, RbDriveInfo *info, gpointer user_data)
{
	rb_test_log_info(user_data, RB_TEST_ADDED, info);
}

static void
rb_test_on_changed(RbUdevProvider *provider, RbDriveInfo *info, gpointer user_data)
{
	rb_test_log_info(user_data, RB_TEST_CHANGED, info);
}

static void
rb_test_on_removed(RbUdevProvider *provider, const gchar *kernel_name, gpointer user_data)
{
	RbTestLog *log = user_data;
	RbTestEvent *event = g_new0(RbTestEvent, 1);

	event->type = RB_TEST_REMOVED;
	event->kernel_name = g_strdup(kernel_name);
	g_ptr_array_add(log->events, event);
}

/* a started provider, recording into @log */
static void
rb_test_log_start(RbTestLog *log)
{
	g_autoptr(GError) error = NULL;

	log->events = g_ptr_array_new_with_free_func(rb_test_event_free);
	log->provider = rb_udev_provider_new();
	g_signal_connect(log->provider, "recorder-added", G_CALLBACK(rb_test_on_added), log);
	g_signal_connect(log->provider, "recorder-changed", G_CALLBACK(rb_test_on_changed), log);
	g_signal_connect(log->provider, "recorder-removed", G_CALLBACK(rb_test_on_removed), log);
	ck_assert_msg(rb_udev_provider_start(log->provider, &error),
		      "%s",
		      error != NULL ? error->message : "");
}

static gboolean
rb_test_on_guard(gpointer user_data)
{
	gboolean *expired = user_data;

	*expired = TRUE;
	return G_SOURCE_REMOVE;
}

/* iterates the main context until signal number @index (from 0) arrived */
static RbTestEvent *
rb_test_log_wait(RbTestLog *log, guint index)
{
	gboolean expired = FALSE;
	guint guard = g_timeout_add_seconds(RB_TEST_WAIT_SECONDS, rb_test_on_guard, &expired);

	while (log->events->len <= index && !expired)
		g_main_context_iteration(NULL, TRUE);
	if (!expired)
		g_source_remove(guard);
	ck_assert_msg(log->events->len > index,
		      "signal #%u did not arrive within %d s",
		      index,
		      RB_TEST_WAIT_SECONDS);
	return g_ptr_array_index(log->events, index);
}

static RbDriveInfo *
rb_test_log_wait_info(RbTestLog *log, guint index, RbTestEventType type)
{
	RbTestEvent *event = rb_test_log_wait(log, index);

	ck_assert_int_eq(event->type, type);
	ck_assert_ptr_nonnull(event->info);
	return event->info;
}

/* runs what is ready on the main context without waiting */
static void
rb_test_drain(void)
{
	while (g_main_context_iteration(NULL, FALSE))
		;
}

/* iterates the main context until every event so far has been reported */
static void
rb_test_log_wait_idle(RbTestLog *log)
{
	gboolean expired = FALSE;
	guint guard = g_timeout_add_seconds(RB_TEST_WAIT_SECONDS, rb_test_on_guard, &expired);

	while (rb_udev_provider_get_busy(log->provider) && !expired)
		g_main_context_iteration(NULL, TRUE);
	if (!expired)
		g_source_remove(guard);
	ck_assert_msg(!rb_udev_provider_get_busy(log->provider),
		      "the provider was still busy after %d s",
		      RB_TEST_WAIT_SECONDS);
}

/* stops and drops the provider: stop() waits for the probe threads, and
 * they hold no reference to it, so the last unref finalizes it at once */
static void
rb_test_log_finish(RbTestLog *log)
{
	rb_udev_provider_stop(log->provider);
	ck_assert(!rb_udev_provider_get_busy(log->provider));
	g_object_add_weak_pointer(G_OBJECT(log->provider), (gpointer *)&log->provider);
	g_object_unref(log->provider);
	ck_assert_msg(log->provider == NULL, "the provider was not finalized");
	/* completions of cancelled probes that are already queued find no
	 * provider and are dropped */
	rb_test_drain();
}

static void
rb_test_log_clear(RbTestLog *log)
{
	g_clear_pointer(&log->events, g_ptr_array_unref);
}

static RbUmockdevDrive *
rb_test_drive_new(const gchar *spec_text)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RbVirtualSpec) spec = rb_virtual_spec_parse(spec_text, &error);
	RbUmockdevDrive *drive;

	ck_assert_msg(spec != NULL, "%s", error != NULL ? error->message : "");
	drive = rb_umockdev_drive_new(spec, &error);
	ck_assert_msg(drive != NULL, "%s", error != NULL ? error->message : "");
	return drive;
}

/* what the probe sees of an emulated drive with @spec_text, by function call */
static RbDriveInfo *
rb_test_probe_direct(const gchar *spec_text)
{
	g_autoptr(RbVirtualSpec) spec = rb_virtual_spec_parse(spec_text, NULL);
	g_autoptr(RbVdrive) vdrive = NULL;
	g_autoptr(RbMmcTransport) transport = NULL;
	g_autoptr(RbDriveInfo) seed = rb_drive_info_new("sr0", "/dev/sr0", NULL);
	g_autoptr(GError) error = NULL;
	RbDriveInfo *info;

	ck_assert_ptr_nonnull(spec);
	vdrive = rb_vdrive_new(spec);
	transport = rb_vdrive_transport_new(vdrive);
	info = rb_drive_probe(seed, transport, NULL, &error);
	ck_assert_msg(info != NULL, "%s", error != NULL ? error->message : "");
	return info;
}

static gboolean
rb_test_arrays_equal(GArray *a, GArray *b)
{
	return a->len == b->len &&
	       memcmp(a->data, b->data, (gsize)a->len * g_array_get_element_size(a)) == 0;
}

/* field by field: RbMmcProfile and RbDriveFeature have padding, which
 * memcmp() would compare */
static gboolean
rb_test_profiles_equal(GArray *a, GArray *b)
{
	if (a->len != b->len)
		return FALSE;
	for (guint i = 0; i < a->len; i++) {
		const RbMmcProfile *pa = &g_array_index(a, RbMmcProfile, i);
		const RbMmcProfile *pb = &g_array_index(b, RbMmcProfile, i);

		if (pa->number != pb->number || pa->current != pb->current)
			return FALSE;
	}
	return TRUE;
}

static gboolean
rb_test_features_equal(GArray *a, GArray *b)
{
	if (a->len != b->len)
		return FALSE;
	for (guint i = 0; i < a->len; i++) {
		const RbDriveFeature *fa = &g_array_index(a, RbDriveFeature, i);
		const RbDriveFeature *fb = &g_array_index(b, RbDriveFeature, i);

		if (fa->code != fb->code || fa->current != fb->current)
			return FALSE;
	}
	return TRUE;
}

/* the emulated CD-RW recorder's answers, whichever medium it holds */
static void
rb_test_assert_emulated_drive(const RbDriveInfo *info)
{
	gboolean current = TRUE;

	ck_assert(info->probed);
	ck_assert_str_eq(info->vendor, "RAWBURN");
	ck_assert_str_eq(info->product, "Virtual CD-RW");
	ck_assert_str_eq(info->revision, "0100");
	ck_assert(rb_drive_info_has_profile(info, RB_MMC_PROFILE_CD_ROM, NULL));
	ck_assert(rb_drive_info_has_profile(info, RB_MMC_PROFILE_CD_R, NULL));
	ck_assert(rb_drive_info_has_profile(info, RB_MMC_PROFILE_CD_RW, NULL));
	ck_assert(rb_drive_info_has_feature(info, RB_MMC_FEATURE_CORE, &current));
	ck_assert(current);
	ck_assert(rb_drive_info_has_feature(info, RB_MMC_FEATURE_CD_MASTERING, NULL));
	ck_assert(rb_drive_info_has_mode_page(info, RB_MMC_PAGE_WRITE_PARAMETERS));
	ck_assert(rb_drive_info_has_mode_page(info, RB_MMC_PAGE_CAPABILITIES));
	/* 002Eh's Test Write bit, with or without a medium */
	ck_assert(info->test_write);
}

/* a blank 80 min CD-RW as the probe must report it */
static void
rb_test_assert_blank_cd_rw(const RbDriveInfo *info)
{
	gboolean current = FALSE;

	rb_test_assert_emulated_drive(info);
	ck_assert_uint_eq(info->current_profile, RB_MMC_PROFILE_CD_RW);
	ck_assert(rb_drive_info_has_profile(info, RB_MMC_PROFILE_CD_RW, &current));
	ck_assert(current);
	ck_assert(rb_drive_info_has_profile(info, RB_MMC_PROFILE_CD_R, &current));
	ck_assert(!current);
	ck_assert(info->media_present);
	ck_assert_int_eq(info->media_type, RB_DRIVE_MEDIA_TYPE_CD_RW);
	ck_assert(info->blank);
	ck_assert(info->erasable);
	ck_assert(info->leadin_start_valid);
	ck_assert_int_eq(info->leadin_start, RB_TEST_CD_RW_80_LEADIN);
	ck_assert(info->last_leadout_valid);
	ck_assert_int_gt(info->last_leadout_start, 75 * 60 * 79);
	ck_assert(info->raw_supported);
	ck_assert_uint_eq(info->sector_types->len, 3);
	for (guint type = 1; type <= 3; type++)
		ck_assert(rb_drive_info_has_sector_type(info, type));
	ck_assert_uint_gt(info->write_speeds->len, 0);
	for (guint i = 0; i < info->write_speeds->len; i++) {
		const RbMmcSpeedDescriptor *s =
			&g_array_index(info->write_speeds, RbMmcSpeedDescriptor, i);
		ck_assert_uint_gt(s->sectors_per_second, 0);
		ck_assert_uint_gt(s->kbps, 0);
	}
}

/* ------------------------------------------------------------------------ */
/* the probe by function call */

START_TEST(test_probe_blank_cd_rw)
{
	g_autoptr(RbDriveInfo) info = rb_test_probe_direct(RB_TEST_SPEC_RW);

	ck_assert_str_eq(info->kernel_name, "sr0");
	ck_assert_str_eq(info->device_node, "/dev/sr0");
	rb_test_assert_blank_cd_rw(info);
}
END_TEST

START_TEST(test_probe_blank_cd_r)
{
	g_autoptr(RbDriveInfo) info = rb_test_probe_direct(RB_TEST_SPEC_R);
	gboolean current = FALSE;

	rb_test_assert_emulated_drive(info);
	ck_assert_uint_eq(info->current_profile, RB_MMC_PROFILE_CD_R);
	ck_assert(rb_drive_info_has_profile(info, RB_MMC_PROFILE_CD_R, &current));
	ck_assert(current);
	ck_assert(info->media_present);
	ck_assert_int_eq(info->media_type, RB_DRIVE_MEDIA_TYPE_CD_R);
	ck_assert(info->blank);
	ck_assert(!info->erasable);
	ck_assert(info->leadin_start_valid);
	ck_assert_int_lt(info->leadin_start, 0);
	ck_assert(info->raw_supported);
	ck_assert_uint_gt(info->sector_types->len, 0);
}
END_TEST

/* a recorder without test writing writes raw all the same */
START_TEST(test_probe_without_test_write)
{
	g_autoptr(RbDriveInfo) info =
		rb_test_probe_direct("media=cd-rw-80,realtime=false,test-write=false");

	ck_assert(info->probed);
	ck_assert(info->raw_supported);
	ck_assert(info->blank);
	ck_assert(!info->test_write);
}
END_TEST

START_TEST(test_probe_no_medium)
{
	g_autoptr(RbDriveInfo) info = rb_test_probe_direct(RB_TEST_SPEC_EMPTY);

	rb_test_assert_emulated_drive(info);
	ck_assert(!info->media_present);
	ck_assert_int_eq(info->media_type, RB_DRIVE_MEDIA_TYPE_NONE);
	ck_assert(!info->blank);
	ck_assert(!info->leadin_start_valid);
	ck_assert_uint_eq(info->sector_types->len, 0);
	ck_assert_uint_eq(info->write_speeds->len, 0);
	ck_assert(!info->raw_supported);
}
END_TEST

START_TEST(test_probe_cancelled)
{
	g_autoptr(RbVirtualSpec) spec = rb_virtual_spec_parse(RB_TEST_SPEC_RW, NULL);
	g_autoptr(RbVdrive) vdrive = rb_vdrive_new(spec);
	g_autoptr(RbMmcTransport) transport = rb_vdrive_transport_new(vdrive);
	g_autoptr(RbDriveInfo) seed = rb_drive_info_new("sr0", "/dev/sr0", NULL);
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	g_autoptr(RbDriveInfo) info = NULL;
	g_autoptr(GError) error = NULL;

	g_cancellable_cancel(cancellable);
	info = rb_drive_probe(seed, transport, cancellable, &error);
	ck_assert_ptr_null(info);
	ck_assert(g_error_matches(error, RB_ERROR, RB_ERROR_REQUEST_CANCELLED));
}
END_TEST

START_TEST(test_probe_cannot_open)
{
	g_autoptr(RbDriveInfo) seed = rb_drive_info_new("sr9", "/nonexistent/sr9", NULL);
	g_autoptr(RbDriveInfo) info = NULL;
	g_autoptr(GError) error = NULL;

	info = rb_drive_probe(seed, NULL, NULL, &error);
	ck_assert_ptr_null(info);
	ck_assert_ptr_nonnull(error);
	ck_assert_ptr_nonnull(strstr(error->message, "/nonexistent/sr9"));
}
END_TEST

/* ------------------------------------------------------------------------ */
/* the provider against the emulated recorder */

START_TEST(test_coldplug)
{
	g_autoptr(RbUmockdevDrive) drive = rb_test_drive_new(RB_TEST_SPEC_RW);
	g_autoptr(RbDriveInfo) expected = rb_test_probe_direct(RB_TEST_SPEC_RW);
	RbTestLog log = {0};
	RbDriveInfo *info;
	GList *recorders;

	rb_test_log_start(&log);
	info = rb_test_log_wait_info(&log, 0, RB_TEST_ADDED);
	ck_assert_str_eq(info->kernel_name, "sr0");
	ck_assert_str_eq(info->device_node, "/dev/sr0");
	ck_assert_str_eq(info->syspath, rb_umockdev_drive_get_sysfs_path(drive));
	rb_test_assert_blank_cd_rw(info);

	/* through SG_IO, exactly what the drive says by function call */
	ck_assert_uint_eq(info->current_profile, expected->current_profile);
	ck_assert(rb_test_profiles_equal(info->profiles, expected->profiles));
	ck_assert(rb_test_features_equal(info->features, expected->features));
	ck_assert(rb_test_arrays_equal(info->mode_pages, expected->mode_pages));
	ck_assert(rb_test_arrays_equal(info->sector_types, expected->sector_types));
	ck_assert(rb_test_arrays_equal(info->write_speeds, expected->write_speeds));
	ck_assert_int_eq(info->buf, expected->buf);
	ck_assert_int_eq(info->last_leadout_start, expected->last_leadout_start);
	ck_assert_uint_gt(rb_umockdev_drive_get_ioctl_count(drive, SG_IO), 0);

	recorders = rb_udev_provider_get_recorders(log.provider);
	ck_assert_uint_eq(g_list_length(recorders), 1);
	ck_assert_ptr_eq(recorders->data, info);
	g_list_free(recorders);

	/* one drive, one report */
	rb_test_log_wait_idle(&log);
	ck_assert_uint_eq(log.events->len, 1);
	rb_test_log_finish(&log);
	ck_assert_uint_eq(log.events->len, 1);
	rb_test_log_clear(&log);
}
END_TEST

START_TEST(test_media_change_and_unplug)
{
	g_autoptr(RbUmockdevDrive) drive = rb_test_drive_new(RB_TEST_SPEC_RW);
	g_autoptr(GError) error = NULL;
	RbTestLog log = {0};
	RbTestEvent *event;
	RbDriveInfo *info;
	GList *recorders;

	rb_test_log_start(&log);
	info = rb_test_log_wait_info(&log, 0, RB_TEST_ADDED);
	ck_assert(info->media_present);

	/* the medium taken out */
	ck_assert_msg(rb_umockdev_drive_set_media(drive, RB_VIRTUAL_MEDIA_NONE, &error),
		      "%s",
		      error != NULL ? error->message : "");
	info = rb_test_log_wait_info(&log, 1, RB_TEST_CHANGED);
	ck_assert_str_eq(info->kernel_name, "sr0");
	rb_test_assert_emulated_drive(info);
	ck_assert(!info->media_present);
	ck_assert_int_eq(info->media_type, RB_DRIVE_MEDIA_TYPE_NONE);
	ck_assert_uint_eq(info->sector_types->len, 0);

	/* a blank CD-R put in */
	ck_assert_msg(rb_umockdev_drive_set_media(drive, RB_VIRTUAL_MEDIA_CD_R_80, &error),
		      "%s",
		      error != NULL ? error->message : "");
	info = rb_test_log_wait_info(&log, 2, RB_TEST_CHANGED);
	ck_assert(info->media_present);
	ck_assert_int_eq(info->media_type, RB_DRIVE_MEDIA_TYPE_CD_R);
	ck_assert_uint_eq(info->current_profile, RB_MMC_PROFILE_CD_R);
	ck_assert(info->blank);
	ck_assert(!info->erasable);
	ck_assert(info->raw_supported);

	/* unplugged */
	rb_umockdev_drive_remove(drive);
	event = rb_test_log_wait(&log, 3);
	ck_assert_int_eq(event->type, RB_TEST_REMOVED);
	ck_assert_str_eq(event->kernel_name, "sr0");
	ck_assert_ptr_null(event->info);
	recorders = rb_udev_provider_get_recorders(log.provider);
	ck_assert_ptr_null(recorders);

	rb_test_log_finish(&log);
	ck_assert_uint_eq(log.events->len, 4);
	rb_test_log_clear(&log);
}
END_TEST

/* a "remove" that comes while the probe of a "change" runs: the probe's
 * result must not follow the removal */
START_TEST(test_remove_not_overtaken)
{
	g_autoptr(RbUmockdevDrive) drive = rb_test_drive_new(RB_TEST_SPEC_RW);
	g_autoptr(GError) error = NULL;
	RbTestLog log = {0};
	guint removed_at = G_MAXUINT;

	rb_test_log_start(&log);
	rb_test_log_wait_info(&log, 0, RB_TEST_ADDED);

	ck_assert(rb_umockdev_drive_set_media(drive, RB_VIRTUAL_MEDIA_CD_R_80, &error));
	rb_umockdev_drive_remove(drive);
	for (guint i = 1; removed_at == G_MAXUINT; i++) {
		RbTestEvent *event = rb_test_log_wait(&log, i);
		if (event->type == RB_TEST_REMOVED)
			removed_at = i;
		else
			ck_assert_int_eq(event->type, RB_TEST_CHANGED);
	}
	/* every probe finished and its result delivered: nothing after */
	rb_test_log_wait_idle(&log);
	ck_assert_uint_eq(log.events->len, removed_at + 1);
	rb_test_log_finish(&log);
	ck_assert_uint_eq(log.events->len, removed_at + 1);
	rb_test_log_clear(&log);
}
END_TEST

/* stop() while the coldplug probe may run: no report after it */
START_TEST(test_stop_during_probe)
{
	g_autoptr(RbUmockdevDrive) drive = rb_test_drive_new(RB_TEST_SPEC_RW);
	RbTestLog log = {0};

	rb_test_log_start(&log);
	/* the coldplug queued the probe of sr0 */
	ck_assert(rb_udev_provider_get_busy(log.provider));
	rb_test_log_finish(&log);
	ck_assert_uint_eq(log.events->len, 0);
	rb_test_log_clear(&log);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* the provider against hand-written devices without an ioctl handler */

/* a SATA hard disk: a block disk without ID_CDROM */
static const gchar rb_test_hard_disk[] =
	"P: /devices/pci0000:00/0000:00:1f.2/ata1/host0/target0:0:0/0:0:0:0\n"
	"E: SUBSYSTEM=scsi\n"
	"E: DEVTYPE=scsi_device\n"
	"A: vendor=ATA     \n"
	"A: model=Spinning Disk   \n"
	"A: rev=1.0 \n"
	"A: type=0\n"
	"\n"
	"P: /devices/pci0000:00/0000:00:1f.2/ata1/host0/target0:0:0/0:0:0:0/block/sda\n"
	"N: sda\n"
	"E: SUBSYSTEM=block\n"
	"E: DEVTYPE=disk\n"
	"E: DEVNAME=/dev/sda\n"
	"E: MAJOR=8\n"
	"E: MINOR=0\n"
	"A: dev=8:0\n"
	"A: removable=0\n";

/* a recorder with a blank CD-R as udev sees it; minor 7 keeps a host's
 * udev database (which umockdev 0.17 still reads) out of the way */
#define RB_TEST_SR7_SYSFS_PATH                                                                     \
	"/sys/devices/pci0000:00/0000:00:1f.2/ata4/host3/target3:0:0/3:0:0:0/block/sr7"
static const gchar rb_test_recorder[] =
	"P: /devices/pci0000:00/0000:00:1f.2/ata4/host3/target3:0:0/3:0:0:0\n"
	"E: SUBSYSTEM=scsi\n"
	"E: DEVTYPE=scsi_device\n"
	"A: vendor=HOTPLUG \n"
	"A: model=Test Burner     \n"
	"A: rev=2.01\n"
	"A: type=5\n"
	"\n"
	"P: /devices/pci0000:00/0000:00:1f.2/ata4/host3/target3:0:0/3:0:0:0/block/sr7\n"
	"N: sr7\n"
	"E: SUBSYSTEM=block\n"
	"E: DEVTYPE=disk\n"
	"E: DEVNAME=/dev/sr7\n"
	"E: MAJOR=11\n"
	"E: MINOR=7\n"
	"E: ID_CDROM=1\n"
	"E: ID_CDROM_CD_R=1\n"
	"E: ID_CDROM_MEDIA=1\n"
	"E: ID_CDROM_MEDIA_CD_R=1\n"
	"E: ID_CDROM_MEDIA_STATE=blank\n"
	"A: dev=11:7\n"
	"A: removable=1\n";

START_TEST(test_hotplug_unprobeable)
{
	g_autoptr(UMockdevTestbed) testbed = umockdev_testbed_new();
	g_autoptr(GError) error = NULL;
	RbTestLog log = {0};
	RbTestEvent *event;
	RbDriveInfo *info;

	/* no optical drive: nothing at all */
	ck_assert_msg(umockdev_testbed_add_from_string(testbed, rb_test_hard_disk, &error),
		      "%s",
		      error != NULL ? error->message : "");
	rb_test_log_start(&log);
	ck_assert(!rb_udev_provider_get_busy(log.provider));
	rb_test_drain();
	ck_assert_uint_eq(log.events->len, 0);
	ck_assert_ptr_null(rb_udev_provider_get_recorders(log.provider));

	/* the hard disk's "change" comes before the recorder's "add", so by
	 * the time the recorder is reported the disk has been passed over */
	umockdev_testbed_uevent(testbed,
				"/sys/devices/pci0000:00/0000:00:1f.2/ata1/host0/"
				"target0:0:0/0:0:0:0/block/sda",
				"change");
	ck_assert_msg(umockdev_testbed_add_from_string(testbed, rb_test_recorder, &error),
		      "%s",
		      error != NULL ? error->message : "");

	/* SG_IO reaches no drive, so the report is udev's view */
	info = rb_test_log_wait_info(&log, 0, RB_TEST_ADDED);
	ck_assert_str_eq(info->kernel_name, "sr7");
	ck_assert_str_eq(info->device_node, "/dev/sr7");
	ck_assert_str_eq(info->syspath, RB_TEST_SR7_SYSFS_PATH);
	ck_assert(!info->probed);
	ck_assert_str_eq(info->vendor, "HOTPLUG");
	ck_assert_str_eq(info->product, "Test Burner");
	ck_assert_str_eq(info->revision, "2.01");
	ck_assert(info->media_present);
	ck_assert_int_eq(info->media_type, RB_DRIVE_MEDIA_TYPE_CD_R);
	ck_assert(info->blank);
	ck_assert_uint_eq(info->profiles->len, 0);
	ck_assert_uint_eq(info->sector_types->len, 0);

	/* the medium taken out, as udev announces it */
	umockdev_testbed_set_property(testbed, RB_TEST_SR7_SYSFS_PATH, "ID_CDROM_MEDIA", "0");
	umockdev_testbed_set_property(testbed, RB_TEST_SR7_SYSFS_PATH, "ID_CDROM_MEDIA_CD_R", "0");
	umockdev_testbed_uevent(testbed, RB_TEST_SR7_SYSFS_PATH, "change");
	info = rb_test_log_wait_info(&log, 1, RB_TEST_CHANGED);
	ck_assert(!info->probed);
	ck_assert(!info->media_present);
	ck_assert_int_eq(info->media_type, RB_DRIVE_MEDIA_TYPE_NONE);

	/* unplugged: umockdev 0.17 needs the uevent sent before the removal */
	umockdev_testbed_uevent(testbed, RB_TEST_SR7_SYSFS_PATH, "remove");
	umockdev_testbed_remove_device(testbed, RB_TEST_SR7_SYSFS_PATH);
	event = rb_test_log_wait(&log, 2);
	ck_assert_int_eq(event->type, RB_TEST_REMOVED);
	ck_assert_str_eq(event->kernel_name, "sr7");

	rb_test_log_finish(&log);
	ck_assert_uint_eq(log.events->len, 3);
	rb_test_log_clear(&log);
}
END_TEST

int
main(int argc, char **argv)
{
	Suite *suite;
	TCase *tc;

	rb_umockdev_drive_ensure_preload_or_exit(argv);

	suite = suite_create("udev-provider");

	tc = tcase_create("probe");
	tcase_set_timeout(tc, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_test(tc, test_probe_blank_cd_rw);
	tcase_add_test(tc, test_probe_blank_cd_r);
	tcase_add_test(tc, test_probe_without_test_write);
	tcase_add_test(tc, test_probe_no_medium);
	tcase_add_test(tc, test_probe_cancelled);
	tcase_add_test(tc, test_probe_cannot_open);
	suite_add_tcase(suite, tc);

	tc = tcase_create("provider");
	tcase_set_timeout(tc, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_test(tc, test_coldplug);
	tcase_add_test(tc, test_media_change_and_unplug);
	tcase_add_test(tc, test_remove_not_overtaken);
	tcase_add_test(tc, test_stop_during_probe);
	tcase_add_test(tc, test_hotplug_unprobeable);
	suite_add_tcase(suite, tc);

	return rb_test_run_suite(suite);
}
