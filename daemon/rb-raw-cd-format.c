/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The DiscFormat2RawCD interface of one recorder. Its per-client properties
 * need their own property handlers (each connection sees its own values), so
 * the generated skeleton's vtable is replaced here; until per-client state
 * exists, writes to them are refused rather than shared between clients.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbRawCdFormat"

#include "rb-dbus-util.h"
#include "rb-raw-cd-format.h"

/* IMAPI_FORMAT2_RAW_CD_DATA_SECTOR_TYPE: IS_COOKED is the default */
#define RB_SECTOR_TYPE_DEFAULT 2
#define RB_WRITE_SPEED_FASTEST (-1)

struct _RbRawCdFormat {
	RbDiscFormat2RawCDSkeleton parent_instance;
	GDBusInterfaceVTable vtable;
};

G_DEFINE_TYPE(RbRawCdFormat, rb_raw_cd_format, RB_TYPE_DISC_FORMAT2_RAW_CD_SKELETON)

static GDBusInterfaceVTable *
rb_raw_cd_format_get_vtable(GDBusInterfaceSkeleton *skeleton)
{
	RbRawCdFormat *self = RB_RAW_CD_FORMAT(skeleton);
	GDBusInterfaceSkeletonClass *parent_class =
		G_DBUS_INTERFACE_SKELETON_CLASS(rb_raw_cd_format_parent_class);

	self->vtable = *parent_class->get_vtable(skeleton);
	self->vtable.set_property = rb_dbus_util_refuse_property_write;
	return &self->vtable;
}

static void
rb_raw_cd_format_class_init(RbRawCdFormatClass *klass)
{
	GDBusInterfaceSkeletonClass *skeleton_class = G_DBUS_INTERFACE_SKELETON_CLASS(klass);
	skeleton_class->get_vtable = rb_raw_cd_format_get_vtable;
}

static void
rb_raw_cd_format_init(RbRawCdFormat *self)
{
	RbDiscFormat2RawCD *iface = RB_DISC_FORMAT2_RAW_CD(self);
	GVariant *empty_au = g_variant_new_array(G_VARIANT_TYPE_UINT32, NULL, 0);
	GVariant *empty_ai = g_variant_new_array(G_VARIANT_TYPE_INT32, NULL, 0);
	GVariant *empty_descriptors = g_variant_new_array(G_VARIANT_TYPE("(ubi)"), NULL, 0);

	/* neutral values: a GetAll must never fail, even with no medium */
	rb_disc_format2_raw_cd_set_client_name(iface, "");
	rb_disc_format2_raw_cd_set_requested_sector_type(iface, RB_SECTOR_TYPE_DEFAULT);
	rb_disc_format2_raw_cd_set_requested_write_speed(iface, RB_WRITE_SPEED_FASTEST);
	rb_disc_format2_raw_cd_set_supported_sector_types(iface, empty_au);
	rb_disc_format2_raw_cd_set_supported_write_speeds(iface, empty_ai);
	rb_disc_format2_raw_cd_set_supported_write_speed_descriptors(iface, empty_descriptors);
	rb_disc_format2_raw_cd_set_current_write_speed(iface, RB_WRITE_SPEED_FASTEST);

	rb_dbus_util_refuse_unimplemented_methods(G_DBUS_INTERFACE_SKELETON(self));
}

RbRawCdFormat *
rb_raw_cd_format_new(const gchar *object_path, guint imapi_media_type)
{
	RbRawCdFormat *self = g_object_new(RB_TYPE_RAW_CD_FORMAT, NULL);
	RbDiscFormat2RawCD *iface = RB_DISC_FORMAT2_RAW_CD(self);
	gboolean media_present = imapi_media_type != 0;

	rb_disc_format2_raw_cd_set_recorder(iface, object_path);
	rb_disc_format2_raw_cd_set_current_physical_media_type(iface, imapi_media_type);
	/* a fresh medium in an emulated drive is blank; probing real media comes with the MMC layer
	 */
	rb_disc_format2_raw_cd_set_media_physically_blank(iface, media_present);
	rb_disc_format2_raw_cd_set_media_heuristically_blank(iface, media_present);
	rb_disc_format2_raw_cd_set_current_media_supported(iface, media_present);
	return self;
}

gboolean
rb_raw_cd_format_is_busy(RbRawCdFormat *self)
{
	RbDiscFormat2RawCD *iface = RB_DISC_FORMAT2_RAW_CD(self);
	return rb_disc_format2_raw_cd_get_write_in_progress(iface);
}
