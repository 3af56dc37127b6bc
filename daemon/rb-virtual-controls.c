/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The VirtualRecorder interface of an emulated recorder: media changes,
 * image export and fault injection. Faults only make sense once the emulated
 * drive exists, so until then writing them is refused rather than stored.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbVirtualControls"

#include "rb-dbus-util.h"
#include "rb-virtual-controls.h"

struct _RbVirtualControls {
	RbVirtualRecorderSkeleton parent_instance;
	GDBusInterfaceVTable vtable;
};

G_DEFINE_TYPE(RbVirtualControls, rb_virtual_controls, RB_TYPE_VIRTUAL_RECORDER_SKELETON)

static GDBusInterfaceVTable *
rb_virtual_controls_get_vtable(GDBusInterfaceSkeleton *skeleton)
{
	RbVirtualControls *self = RB_VIRTUAL_CONTROLS(skeleton);
	GDBusInterfaceSkeletonClass *parent_class =
		G_DBUS_INTERFACE_SKELETON_CLASS(rb_virtual_controls_parent_class);

	self->vtable = *parent_class->get_vtable(skeleton);
	self->vtable.set_property = rb_dbus_util_refuse_property_write;
	return &self->vtable;
}

static void
rb_virtual_controls_class_init(RbVirtualControlsClass *klass)
{
	GDBusInterfaceSkeletonClass *skeleton_class = G_DBUS_INTERFACE_SKELETON_CLASS(klass);
	skeleton_class->get_vtable = rb_virtual_controls_get_vtable;
}

static void
rb_virtual_controls_init(RbVirtualControls *self)
{
	GVariant *no_faults = g_variant_new_array(G_VARIANT_TYPE("{sv}"), NULL, 0);

	rb_virtual_recorder_set_faults(RB_VIRTUAL_RECORDER(self), no_faults);
	rb_dbus_util_refuse_unimplemented_methods(G_DBUS_INTERFACE_SKELETON(self));
}

RbVirtualControls *
rb_virtual_controls_new(void)
{
	return g_object_new(RB_TYPE_VIRTUAL_CONTROLS, NULL);
}
