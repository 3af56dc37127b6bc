/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The recorder discovery. Everything that touches the provider's state runs
 * on the main context it was started on: the udev monitor's fd source, the
 * coldplug, the probe completions and the signals. Only rb_drive_probe()
 * runs in worker threads, on a seed RbDriveInfo it owns alone, so no state
 * is shared with them except the count of running probes that stop()
 * waits for.
 *
 * Per device (keyed by kernel name) at most one probe runs; an event that
 * arrives meanwhile waits in a single slot, where a newer event replaces
 * it: a probe reads the drive as it is when it runs, so two waiting
 * "change"s would report the same thing twice. "remove" is handled at once
 * and bumps the device's generation; a probe started before it finds its
 * generation outdated when it completes and is dropped, so it can never
 * resurrect a device that is gone.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbUdevProvider"

#include <errno.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <libudev.h>
#include <string.h>

#include "rb-error.h"
#include "rb-udev-provider.h"

typedef struct udev RbUdev;
typedef struct udev_device RbUdevDevice;
typedef struct udev_enumerate RbUdevEnumerate;
typedef struct udev_monitor RbUdevMonitor;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RbUdev, udev_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RbUdevDevice, udev_device_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RbUdevEnumerate, udev_enumerate_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RbUdevMonitor, udev_monitor_unref)

/* one recorder the provider knows of */
typedef struct {
	gchar *kernel_name;
	/* the udev view of the newest event not yet probed, or NULL */
	RbDriveInfo *pending;
	gboolean probing;
	/* bumped by "remove": results of probes started before are stale */
	guint64 generation;
	/* the last report signalled; NULL until "recorder-added" and after
	 * "recorder-removed" */
	RbDriveInfo *reported;
	/* a failed probe was logged as a warning; later ones are debug */
	gboolean warned;
} RbUdevEntry;

/* The count of probes whose thread has not finished, which stop() waits
 * for. It lives apart from the provider so that the threads never hold a
 * reference to the provider: else a thread could drop the last one and
 * finalize the provider off the main thread. */
typedef struct {
	gint ref_count;
	GMutex lock;
	GCond cond;
	guint n_running;
} RbUdevWorkers;

/* what a worker thread gets; owned by its GTask */
typedef struct {
	gchar *kernel_name;
	guint64 generation;
	RbDriveInfo *seed;
	RbUdevWorkers *workers;
	/* the provider, for the completion on the main context; it may be
	 * gone by then */
	GWeakRef provider;
} RbUdevProbeJob;

struct _RbUdevProvider {
	GObject parent_instance;

	GMainContext *context;
	RbUdev *udev;
	RbUdevMonitor *monitor;
	GSource *monitor_source;
	GCancellable *cancellable;
	GHashTable *entries; /* kernel name -> RbUdevEntry */
	gboolean started;
	gboolean stopped;
	RbUdevWorkers *workers;
};

enum {
	SIGNAL_RECORDER_ADDED,
	SIGNAL_RECORDER_CHANGED,
	SIGNAL_RECORDER_REMOVED,
	N_SIGNALS,
};

static guint signals[N_SIGNALS] = {0};

G_DEFINE_TYPE(RbUdevProvider, rb_udev_provider, G_TYPE_OBJECT)

static void rb_udev_provider_next(RbUdevProvider *self, RbUdevEntry *entry);

static void
rb_udev_entry_free(gpointer data)
{
	RbUdevEntry *entry = data;

	g_free(entry->kernel_name);
	g_clear_pointer(&entry->pending, rb_drive_info_unref);
	g_clear_pointer(&entry->reported, rb_drive_info_unref);
	g_free(entry);
}

static RbUdevWorkers *
rb_udev_workers_new(void)
{
	RbUdevWorkers *workers = g_new0(RbUdevWorkers, 1);

	workers->ref_count = 1;
	g_mutex_init(&workers->lock);
	g_cond_init(&workers->cond);
	return workers;
}

static RbUdevWorkers *
rb_udev_workers_ref(RbUdevWorkers *workers)
{
	g_atomic_int_inc(&workers->ref_count);
	return workers;
}

static void
rb_udev_workers_unref(RbUdevWorkers *workers)
{
	if (!g_atomic_int_dec_and_test(&workers->ref_count))
		return;
	g_mutex_clear(&workers->lock);
	g_cond_clear(&workers->cond);
	g_free(workers);
}

/* may run in a worker thread, when GTask drops its last reference there */
static void
rb_udev_probe_job_free(gpointer data)
{
	RbUdevProbeJob *job = data;

	g_free(job->kernel_name);
	rb_drive_info_unref(job->seed);
	rb_udev_workers_unref(job->workers);
	g_weak_ref_clear(&job->provider);
	g_free(job);
}

/* ------------------------------------------------------------------------ */
/* udev's view */

static gboolean
rb_udev_property_is_set(RbUdevDevice *dev, const gchar *key)
{
	return g_strcmp0(udev_device_get_property_value(dev, key), "1") == 0;
}

/* sysfs pads vendor and model with blanks, as INQUIRY does */
static gchar *
rb_udev_sysattr_stripped(RbUdevDevice *dev, const gchar *name)
{
	const gchar *value = udev_device_get_sysattr_value(dev, name);

	if (value == NULL)
		return NULL;
	return g_strstrip(g_strdup(value));
}

/* what udev says about @dev: the report when the drive cannot be asked.
 * The SCSI parent's sysattrs are what the kernel read by INQUIRY; reading
 * them is a read of a small sysfs file, which never waits for the drive. */
static RbDriveInfo *
rb_udev_provider_seed_new(RbUdevDevice *dev)
{
	RbDriveInfo *info = rb_drive_info_new(udev_device_get_sysname(dev),
					      udev_device_get_devnode(dev),
					      udev_device_get_syspath(dev));
	RbUdevDevice *scsi =
		udev_device_get_parent_with_subsystem_devtype(dev, "scsi", "scsi_device");

	if (scsi != NULL) {
		info->vendor = rb_udev_sysattr_stripped(scsi, "vendor");
		info->product = rb_udev_sysattr_stripped(scsi, "model");
		info->revision = rb_udev_sysattr_stripped(scsi, "rev");
	}
	if (info->vendor == NULL)
		info->vendor = g_strdup(udev_device_get_property_value(dev, "ID_VENDOR"));
	if (info->product == NULL)
		info->product = g_strdup(udev_device_get_property_value(dev, "ID_MODEL"));
	if (info->revision == NULL)
		info->revision = g_strdup(udev_device_get_property_value(dev, "ID_REVISION"));

	/* udev's cdrom_id has looked at the medium already */
	info->media_present = rb_udev_property_is_set(dev, "ID_CDROM_MEDIA");
	if (rb_udev_property_is_set(dev, "ID_CDROM_MEDIA_CD_RW"))
		info->media_type = RB_DRIVE_MEDIA_TYPE_CD_RW;
	else if (rb_udev_property_is_set(dev, "ID_CDROM_MEDIA_CD_R"))
		info->media_type = RB_DRIVE_MEDIA_TYPE_CD_R;
	else if (rb_udev_property_is_set(dev, "ID_CDROM_MEDIA_CD"))
		info->media_type = RB_DRIVE_MEDIA_TYPE_CD_ROM;
	info->blank = info->media_present &&
		      g_strcmp0(udev_device_get_property_value(dev, "ID_CDROM_MEDIA_STATE"),
				"blank") == 0;
	return info;
}

/* ------------------------------------------------------------------------ */
/* probing */

static void
rb_udev_provider_probe_thread(GTask *task,
			      gpointer source_object,
			      gpointer task_data,
			      GCancellable *cancellable)
{
	RbUdevProbeJob *job = task_data;
	g_autoptr(GError) error = NULL;
	RbDriveInfo *info = NULL;

	if (job->seed->device_node == NULL) {
		g_set_error(&error,
			    G_IO_ERROR,
			    G_IO_ERROR_NOT_FOUND,
			    _("%s has no device node"),
			    job->kernel_name);
	} else {
		info = rb_drive_probe(job->seed, NULL, cancellable, &error);
	}
	if (info != NULL)
		g_task_return_pointer(task, info, (GDestroyNotify)rb_drive_info_unref);
	else
		g_task_return_error(task, g_steal_pointer(&error));

	/* last: once the count is zero, stop() may return */
	g_mutex_lock(&job->workers->lock);
	job->workers->n_running--;
	g_cond_broadcast(&job->workers->cond);
	g_mutex_unlock(&job->workers->lock);
}

static void
rb_udev_provider_report(RbUdevProvider *self, RbUdevEntry *entry, RbDriveInfo *info)
{
	gboolean added = entry->reported == NULL;
	g_autoptr(RbDriveInfo) report = rb_drive_info_ref(info);

	g_clear_pointer(&entry->reported, rb_drive_info_unref);
	entry->reported = rb_drive_info_ref(info);
	g_debug("%s %s: %s %s %s, medium %s, type %u",
		added ? "added" : "changed",
		info->kernel_name,
		info->vendor != NULL ? info->vendor : "?",
		info->product != NULL ? info->product : "?",
		info->probed ? "(probed)" : "(udev only)",
		info->media_present ? "present" : "absent",
		info->media_type);
	/* @entry may be gone after this: handlers may do anything */
	g_signal_emit(
		self, signals[added ? SIGNAL_RECORDER_ADDED : SIGNAL_RECORDER_CHANGED], 0, report);
}

static void
rb_udev_provider_probe_done(GObject *source_object, GAsyncResult *result, gpointer user_data)
{
	RbUdevProbeJob *job = g_task_get_task_data(G_TASK(result));
	g_autoptr(RbUdevProvider) self = g_weak_ref_get(&job->provider);
	g_autoptr(GError) error = NULL;
	g_autoptr(RbDriveInfo) info = g_task_propagate_pointer(G_TASK(result), &error);
	g_autofree gchar *kernel_name = g_strdup(job->kernel_name);
	RbUdevEntry *entry;

	/* stop() dropped every result still on its way */
	if (self == NULL || self->stopped)
		return;
	entry = g_hash_table_lookup(self->entries, kernel_name);
	g_return_if_fail(entry != NULL && entry->probing);
	entry->probing = FALSE;

	if (job->generation != entry->generation) {
		g_debug("%s: dropping the result of a probe the device outlived", kernel_name);
	} else {
		if (info == NULL) {
			/* report what udev knows: a drive in use by another
			 * program is still a recorder */
			if (!entry->warned)
				g_warning("Cannot probe %s: %s", kernel_name, error->message);
			else
				g_debug("Cannot probe %s: %s", kernel_name, error->message);
			entry->warned = TRUE;
			info = rb_drive_info_ref(job->seed);
		}
		rb_udev_provider_report(self, entry, info);
		/* a handler may have stopped us or the entry may be gone */
		if (self->stopped)
			return;
		entry = g_hash_table_lookup(self->entries, kernel_name);
		if (entry == NULL)
			return;
	}
	rb_udev_provider_next(self, entry);
}

/* starts the probe of the waiting event; forgets an entry that has nothing
 * left to do and nothing reported */
static void
rb_udev_provider_next(RbUdevProvider *self, RbUdevEntry *entry)
{
	g_autoptr(GTask) task = NULL;
	RbUdevProbeJob *job;

	if (entry->probing)
		return;
	if (entry->pending == NULL) {
		if (entry->reported == NULL)
			g_hash_table_remove(self->entries, entry->kernel_name);
		return;
	}

	job = g_new0(RbUdevProbeJob, 1);
	job->kernel_name = g_strdup(entry->kernel_name);
	job->generation = entry->generation;
	job->seed = g_steal_pointer(&entry->pending);
	job->workers = rb_udev_workers_ref(self->workers);
	g_weak_ref_init(&job->provider, self);
	entry->probing = TRUE;

	g_mutex_lock(&self->workers->lock);
	self->workers->n_running++;
	g_mutex_unlock(&self->workers->lock);

	/* no source object: the task must not keep the provider alive */
	task = g_task_new(NULL, self->cancellable, rb_udev_provider_probe_done, NULL);
	g_task_set_source_tag(task, rb_udev_provider_next);
	g_task_set_task_data(task, job, rb_udev_probe_job_free);
	/* the result is always delivered, to keep the entry's state right */
	g_task_set_check_cancellable(task, FALSE);
	g_task_run_in_thread(task, rb_udev_provider_probe_thread);
}

/* ------------------------------------------------------------------------ */
/* events */

static void
rb_udev_provider_remove(RbUdevProvider *self, RbUdevEntry *entry)
{
	g_autofree gchar *kernel_name = g_strdup(entry->kernel_name);
	gboolean was_reported = entry->reported != NULL;

	entry->generation++;
	g_clear_pointer(&entry->pending, rb_drive_info_unref);
	g_clear_pointer(&entry->reported, rb_drive_info_unref);
	/* with a probe running the entry stays, so that a new "add" waits
	 * for it and its stale result finds the entry to be dropped by */
	if (!entry->probing)
		g_hash_table_remove(self->entries, kernel_name);
	if (was_reported) {
		g_debug("removed %s", kernel_name);
		g_signal_emit(self, signals[SIGNAL_RECORDER_REMOVED], 0, kernel_name);
	}
}

/* the one handler of coldplug and hotplug */
static void
rb_udev_provider_handle_event(RbUdevProvider *self, const gchar *action, RbUdevDevice *dev)
{
	const gchar *kernel_name = udev_device_get_sysname(dev);
	RbUdevEntry *entry;

	if (kernel_name == NULL || action == NULL)
		return;
	entry = g_hash_table_lookup(self->entries, kernel_name);

	if (g_strcmp0(action, "remove") == 0) {
		if (entry != NULL)
			rb_udev_provider_remove(self, entry);
		return;
	}
	if (g_strcmp0(action, "add") != 0 && g_strcmp0(action, "change") != 0)
		return;
	/* every block disk passes the monitor's filter; only optical drives
	 * are ours. Devices are not required to be initialized: umockdev's
	 * never are, and udisks too carries on with uninitialized ones. */
	if (!rb_udev_property_is_set(dev, "ID_CDROM"))
		return;

	g_debug("%s %s", action, kernel_name);
	if (entry == NULL) {
		entry = g_new0(RbUdevEntry, 1);
		entry->kernel_name = g_strdup(kernel_name);
		g_hash_table_insert(self->entries, entry->kernel_name, entry);
	}
	g_clear_pointer(&entry->pending, rb_drive_info_unref);
	entry->pending = rb_udev_provider_seed_new(dev);
	rb_udev_provider_next(self, entry);
}

static gboolean
rb_udev_provider_on_monitor(gint fd, GIOCondition condition, gpointer user_data)
{
	/* a signal handler may drop the last other reference */
	g_autoptr(RbUdevProvider) self = g_object_ref(RB_UDEV_PROVIDER(user_data));

	if (condition & (G_IO_ERR | G_IO_HUP | G_IO_NVAL)) {
		g_warning("The udev monitor failed; recorders plugged in or out from now on go "
			  "unnoticed");
		g_clear_pointer(&self->monitor_source, g_source_unref);
		return G_SOURCE_REMOVE;
	}
	/* the monitor's socket is non-blocking: take all that is queued */
	while (!self->stopped && self->monitor != NULL) {
		g_autoptr(RbUdevDevice) dev = udev_monitor_receive_device(self->monitor);

		if (dev == NULL)
			break;
		rb_udev_provider_handle_event(self, udev_device_get_action(dev), dev);
	}
	return G_SOURCE_CONTINUE;
}

static gboolean
rb_udev_provider_coldplug(RbUdevProvider *self, GError **error)
{
	g_autoptr(RbUdevEnumerate) enumerate = udev_enumerate_new(self->udev);
	struct udev_list_entry *item;

	if (enumerate == NULL || udev_enumerate_add_match_subsystem(enumerate, "block") < 0 ||
	    udev_enumerate_add_match_property(enumerate, "ID_CDROM", "1") < 0 ||
	    udev_enumerate_scan_devices(enumerate) < 0) {
		gint errsv = errno;
		g_set_error(error,
			    G_IO_ERROR,
			    g_io_error_from_errno(errsv),
			    _("Cannot list the optical drives: %s"),
			    g_strerror(errsv));
		return FALSE;
	}
	udev_list_entry_foreach(item, udev_enumerate_get_list_entry(enumerate))
	{
		g_autoptr(RbUdevDevice) dev =
			udev_device_new_from_syspath(self->udev, udev_list_entry_get_name(item));

		/* gone between the scan and now: its "remove" is on its way */
		if (dev == NULL)
			continue;
		rb_udev_provider_handle_event(self, "add", dev);
		if (self->stopped)
			break;
	}
	return TRUE;
}

/* ------------------------------------------------------------------------ */
/* public */

gboolean
rb_udev_provider_start(RbUdevProvider *self, GError **error)
{
	g_autoptr(RbUdevMonitor) monitor = NULL;
	g_autoptr(RbUdev) udev = NULL;

	g_return_val_if_fail(RB_IS_UDEV_PROVIDER(self), FALSE);
	g_return_val_if_fail(!self->started && !self->stopped, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	udev = udev_new();
	if (udev != NULL)
		monitor = udev_monitor_new_from_netlink(udev, "udev");
	/* the filter before receiving, the monitor before the coldplug: a
	 * drive plugged in during the scan is reported twice, which shows as
	 * a "recorder-changed", rather than never */
	if (monitor == NULL ||
	    udev_monitor_filter_add_match_subsystem_devtype(monitor, "block", "disk") < 0 ||
	    udev_monitor_enable_receiving(monitor) < 0) {
		gint errsv = errno;
		g_set_error(error,
			    G_IO_ERROR,
			    g_io_error_from_errno(errsv),
			    _("Cannot watch for optical drives: %s"),
			    g_strerror(errsv));
		return FALSE;
	}

	self->started = TRUE;
	self->context = g_main_context_ref_thread_default();
	self->udev = g_steal_pointer(&udev);
	self->monitor = g_steal_pointer(&monitor);
	self->monitor_source = g_unix_fd_source_new(udev_monitor_get_fd(self->monitor),
						    G_IO_IN | G_IO_ERR | G_IO_HUP);
	g_source_set_callback(
		self->monitor_source, G_SOURCE_FUNC(rb_udev_provider_on_monitor), self, NULL);
	g_source_set_static_name(self->monitor_source, "[rawburn] udev monitor");
	g_source_attach(self->monitor_source, self->context);

	return rb_udev_provider_coldplug(self, error);
}

void
rb_udev_provider_stop(RbUdevProvider *self)
{
	GHashTableIter iter;
	gpointer value;

	g_return_if_fail(RB_IS_UDEV_PROVIDER(self));

	if (self->stopped)
		return;
	self->stopped = TRUE;
	g_cancellable_cancel(self->cancellable);
	if (self->monitor_source != NULL) {
		g_source_destroy(self->monitor_source);
		g_clear_pointer(&self->monitor_source, g_source_unref);
	}
	g_clear_pointer(&self->monitor, udev_monitor_unref);

	g_hash_table_iter_init(&iter, self->entries);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		RbUdevEntry *entry = value;
		entry->generation++;
		g_clear_pointer(&entry->pending, rb_drive_info_unref);
	}

	/* a probe between two commands sees the cancellation at once; one
	 * inside a command finishes that command first */
	g_mutex_lock(&self->workers->lock);
	while (self->workers->n_running > 0)
		g_cond_wait(&self->workers->cond, &self->workers->lock);
	g_mutex_unlock(&self->workers->lock);
}

gboolean
rb_udev_provider_get_busy(RbUdevProvider *self)
{
	GHashTableIter iter;
	gpointer value;

	g_return_val_if_fail(RB_IS_UDEV_PROVIDER(self), FALSE);

	if (self->stopped)
		return FALSE;
	g_hash_table_iter_init(&iter, self->entries);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		RbUdevEntry *entry = value;
		if (entry->probing || entry->pending != NULL)
			return TRUE;
	}
	return FALSE;
}

GList *
rb_udev_provider_get_recorders(RbUdevProvider *self)
{
	GList *recorders = NULL;
	GHashTableIter iter;
	gpointer value;

	g_return_val_if_fail(RB_IS_UDEV_PROVIDER(self), NULL);

	g_hash_table_iter_init(&iter, self->entries);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		RbUdevEntry *entry = value;
		if (entry->reported != NULL)
			recorders = g_list_prepend(recorders, entry->reported);
	}
	return recorders;
}

RbUdevProvider *
rb_udev_provider_new(void)
{
	return g_object_new(RB_TYPE_UDEV_PROVIDER, NULL);
}

static void
rb_udev_provider_dispose(GObject *object)
{
	RbUdevProvider *self = RB_UDEV_PROVIDER(object);

	rb_udev_provider_stop(self);
	G_OBJECT_CLASS(rb_udev_provider_parent_class)->dispose(object);
}

static void
rb_udev_provider_finalize(GObject *object)
{
	RbUdevProvider *self = RB_UDEV_PROVIDER(object);

	g_hash_table_unref(self->entries);
	g_object_unref(self->cancellable);
	g_clear_pointer(&self->udev, udev_unref);
	g_clear_pointer(&self->context, g_main_context_unref);
	rb_udev_workers_unref(self->workers);
	G_OBJECT_CLASS(rb_udev_provider_parent_class)->finalize(object);
}

static void
rb_udev_provider_init(RbUdevProvider *self)
{
	self->entries = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, rb_udev_entry_free);
	self->cancellable = g_cancellable_new();
	self->workers = rb_udev_workers_new();
}

static void
rb_udev_provider_class_init(RbUdevProviderClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->dispose = rb_udev_provider_dispose;
	object_class->finalize = rb_udev_provider_finalize;

	/**
	 * RbUdevProvider::recorder-added:
	 * @info: (type RbDriveInfo): the recorder as probed, or udev's view
	 *
	 * The first report of a recorder, from coldplug or hotplug.
	 */
	signals[SIGNAL_RECORDER_ADDED] = g_signal_new("recorder-added",
						      G_TYPE_FROM_CLASS(klass),
						      G_SIGNAL_RUN_LAST,
						      0,
						      NULL,
						      NULL,
						      NULL,
						      G_TYPE_NONE,
						      1,
						      RB_TYPE_DRIVE_INFO);
	/**
	 * RbUdevProvider::recorder-changed:
	 * @info: (type RbDriveInfo): the recorder as probed now
	 *
	 * A later report of a known recorder, e.g. after a medium change.
	 */
	signals[SIGNAL_RECORDER_CHANGED] = g_signal_new("recorder-changed",
							G_TYPE_FROM_CLASS(klass),
							G_SIGNAL_RUN_LAST,
							0,
							NULL,
							NULL,
							NULL,
							G_TYPE_NONE,
							1,
							RB_TYPE_DRIVE_INFO);
	/**
	 * RbUdevProvider::recorder-removed:
	 * @kernel_name: e.g. "sr0"
	 *
	 * The recorder is gone; no report of it follows unless it returns.
	 */
	signals[SIGNAL_RECORDER_REMOVED] = g_signal_new("recorder-removed",
							G_TYPE_FROM_CLASS(klass),
							G_SIGNAL_RUN_LAST,
							0,
							NULL,
							NULL,
							NULL,
							G_TYPE_NONE,
							1,
							G_TYPE_STRING);
}
