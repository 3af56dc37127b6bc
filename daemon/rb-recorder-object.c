/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One exported recorder: the object at /org/rawburn/RawBurn1/recorders/<name>
 * carrying Recorder, DiscFormat2RawCD and, for emulated drives,
 * VirtualRecorder.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbRecorderObject"

#include "rb-dbus-util.h"
#include "rb-error.h"
#include "rb-raw-cd-format.h"
#include "rb-recorder-object.h"
#include "rb-virtual-controls.h"

/* INQUIRY identification of the emulated drive: 8 and 16 characters at most */
#define RB_VIRTUAL_VENDOR_ID "RAWBURN"
#define RB_VIRTUAL_PRODUCT_ID "Virtual CD-RW"
#define RB_INQUIRY_PRODUCT_ID_MAX 16

struct _RbRecorderObject {
	RbObjectSkeleton parent_instance;
	gchar *name;
	RbRecorderSkeleton *recorder;
	RbRawCdFormat *format;
	RbVirtualControls *controls; /* NULL for real drives */
};

G_DEFINE_TYPE(RbRecorderObject, rb_recorder_object, RB_TYPE_OBJECT_SKELETON)

static void
rb_recorder_object_finalize(GObject *object)
{
	RbRecorderObject *self = RB_RECORDER_OBJECT(object);

	g_free(self->name);
	g_clear_object(&self->recorder);
	g_clear_object(&self->format);
	g_clear_object(&self->controls);
	G_OBJECT_CLASS(rb_recorder_object_parent_class)->finalize(object);
}

static void
rb_recorder_object_class_init(RbRecorderObjectClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	object_class->finalize = rb_recorder_object_finalize;
}

static void
rb_recorder_object_init(RbRecorderObject *self)
{
}

static RbRecorderSkeleton *
rb_recorder_object_new_recorder_iface(void)
{
	RbRecorderSkeleton *skeleton = RB_RECORDER_SKELETON(rb_recorder_skeleton_new());
	RbRecorder *iface = RB_RECORDER(skeleton);

	rb_recorder_set_device_node(iface, "");
	rb_recorder_set_exclusive_access_owner(iface, "");
	rb_recorder_set_supported_profiles(iface,
					   g_variant_new_array(G_VARIANT_TYPE_UINT32, NULL, 0));
	rb_recorder_set_current_profiles(iface,
					 g_variant_new_array(G_VARIANT_TYPE_UINT32, NULL, 0));
	rb_recorder_set_supported_feature_pages(
		iface, g_variant_new_array(G_VARIANT_TYPE_UINT32, NULL, 0));
	rb_recorder_set_current_feature_pages(iface,
					      g_variant_new_array(G_VARIANT_TYPE_UINT32, NULL, 0));
	rb_recorder_set_supported_mode_pages(iface,
					     g_variant_new_array(G_VARIANT_TYPE_UINT32, NULL, 0));
	rb_dbus_util_refuse_unimplemented_methods(G_DBUS_INTERFACE_SKELETON(skeleton));
	return skeleton;
}

RbRecorderObject *
rb_recorder_object_new_virtual(const gchar *name, const RbVirtualSpec *spec)
{
	g_autofree gchar *escaped = g_dbus_escape_object_path(name);
	g_autofree gchar *path = g_strdup_printf("%s/%s", RB_DBUS_RECORDERS_PATH, escaped);
	g_autofree gchar *product_id = NULL;
	RbRecorderObject *self = g_object_new(RB_TYPE_RECORDER_OBJECT, "g-object-path", path, NULL);
	RbRecorder *recorder;
	guint media_type = rb_virtual_media_get_imapi_type(spec->media);

	self->name = g_strdup(name);
	self->recorder = rb_recorder_object_new_recorder_iface();
	recorder = RB_RECORDER(self->recorder);
	/* a Name option shows where people look for a drive's identity */
	if (spec->name == NULL)
		product_id = g_strdup(RB_VIRTUAL_PRODUCT_ID);
	else if (g_utf8_strlen(spec->name, -1) > RB_INQUIRY_PRODUCT_ID_MAX)
		product_id = g_utf8_substring(spec->name, 0, RB_INQUIRY_PRODUCT_ID_MAX);
	else
		product_id = g_strdup(spec->name);
	rb_recorder_set_vendor_id(recorder, RB_VIRTUAL_VENDOR_ID);
	rb_recorder_set_product_id(recorder, product_id);
	rb_recorder_set_product_revision(recorder, PACKAGE_VERSION);
	rb_recorder_set_device_can_load_media(recorder, TRUE);
	rb_recorder_set_media_present(recorder, spec->media != RB_VIRTUAL_MEDIA_NONE);

	self->format = rb_raw_cd_format_new(path, media_type);
	self->controls = rb_virtual_controls_new();

	rb_object_skeleton_set_recorder(RB_OBJECT_SKELETON(self), recorder);
	rb_object_skeleton_set_disc_format2_raw_cd(RB_OBJECT_SKELETON(self),
						   RB_DISC_FORMAT2_RAW_CD(self->format));
	rb_object_skeleton_set_virtual_recorder(RB_OBJECT_SKELETON(self),
						RB_VIRTUAL_RECORDER(self->controls));
	return self;
}

const gchar *
rb_recorder_object_get_name(RbRecorderObject *self)
{
	g_return_val_if_fail(RB_IS_RECORDER_OBJECT(self), NULL);
	return self->name;
}

gboolean
rb_recorder_object_is_virtual(RbRecorderObject *self)
{
	g_return_val_if_fail(RB_IS_RECORDER_OBJECT(self), FALSE);
	return self->controls != NULL;
}

gboolean
rb_recorder_object_is_busy(RbRecorderObject *self)
{
	const gchar *owner;

	g_return_val_if_fail(RB_IS_RECORDER_OBJECT(self), FALSE);
	owner = rb_recorder_get_exclusive_access_owner(RB_RECORDER(self->recorder));
	return (owner != NULL && owner[0] != '\0') || rb_raw_cd_format_is_busy(self->format);
}
