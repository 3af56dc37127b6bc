/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Manager interface at /org/rawburn/RawBurn1/Manager.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbServiceManager"

#include "rb-daemon.h"
#include "rb-dbus-util.h"
#include "rb-service-manager.h"

/* IMAPI_MEDIA_PHYSICAL_TYPE values of the media this service writes */
#define RB_IMAPI_MEDIA_CDR 2
#define RB_IMAPI_MEDIA_CDRW 3

struct _RbServiceManager {
	RbManagerSkeleton parent_instance;
	RbDaemon *daemon; /* not owned: the daemon owns us */
};

static void rb_service_manager_iface_init(RbManagerIface *iface);

G_DEFINE_TYPE_WITH_CODE(RbServiceManager,
			rb_service_manager,
			RB_TYPE_MANAGER_SKELETON,
			G_IMPLEMENT_INTERFACE(RB_TYPE_MANAGER, rb_service_manager_iface_init))

static gboolean
rb_service_manager_handle_get_recorders(RbManager *manager, GDBusMethodInvocation *invocation)
{
	RbServiceManager *self = RB_SERVICE_MANAGER(manager);
	g_auto(GStrv) paths = rb_daemon_dup_recorder_paths(self->daemon);

	rb_manager_complete_get_recorders(manager, invocation, (const gchar *const *)paths);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
rb_service_manager_iface_init(RbManagerIface *iface)
{
	iface->handle_get_recorders = rb_service_manager_handle_get_recorders;
}

static void
rb_service_manager_class_init(RbServiceManagerClass *klass)
{
}

static void
rb_service_manager_init(RbServiceManager *self)
{
	const guint32 media_types[] = {RB_IMAPI_MEDIA_CDR, RB_IMAPI_MEDIA_CDRW};

	rb_manager_set_version(RB_MANAGER(self), PACKAGE_VERSION);
	rb_manager_set_supported_media_types(RB_MANAGER(self),
					     g_variant_new_fixed_array(G_VARIANT_TYPE_UINT32,
								       media_types,
								       G_N_ELEMENTS(media_types),
								       sizeof(media_types[0])));
	rb_dbus_util_refuse_unimplemented_methods(G_DBUS_INTERFACE_SKELETON(self));
}

RbServiceManager *
rb_service_manager_new(RbDaemon *daemon)
{
	RbServiceManager *self = g_object_new(RB_TYPE_SERVICE_MANAGER, NULL);
	self->daemon = daemon;
	return self;
}
