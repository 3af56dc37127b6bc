/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The RawCDImageTrackInfo interface (IMAPI2's IRawCDImageTrackInfo): one
 * object per track of an image creator, a view of the creator's layout.
 * Like the creator it answers its owner alone and is read-only once the
 * image was created.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbImageTrackObject"

#include <glib/gi18n.h>

#include "rb-dbus-util.h"
#include "rb-error.h"
#include "rb-image-creator.h"
#include "rb-image-track-object.h"

struct _RbImageTrackObject {
	RbRawCDImageTrackInfoSkeleton parent_instance;
	GDBusInterfaceVTable vtable;
	RbImageCreator *creator; /* not owned: it owns us; NULL once detached */
	guint index;
};

G_DEFINE_TYPE(RbImageTrackObject, rb_image_track_object, RB_TYPE_RAW_CDIMAGE_TRACK_INFO_SKELETON)

void
rb_image_track_object_sync(RbImageTrackObject *self, gboolean length_known)
{
	RbRawCDImageTrackInfo *iface = RB_RAW_CDIMAGE_TRACK_INFO(self);
	const RbImageTrack *t;

	g_return_if_fail(RB_IS_IMAGE_TRACK_OBJECT(self));
	if (self->creator == NULL)
		return;
	t = rb_image_layout_get_track(rb_image_creator_get_layout(self->creator), self->index);
	if (t == NULL)
		return;
	rb_raw_cdimage_track_info_set_starting_lba(iface, t->start);
	rb_raw_cdimage_track_info_set_sector_count(iface, length_known ? (gint)t->n_sectors : 0);
	rb_raw_cdimage_track_info_set_track_number(iface, (gint)t->number);
	rb_raw_cdimage_track_info_set_sector_type(iface, (guint)t->type);
	rb_raw_cdimage_track_info_set_isrc(iface, t->isrc);
	rb_raw_cdimage_track_info_set_digital_audio_copy_setting(iface, (guint)t->copy);
	rb_raw_cdimage_track_info_set_audio_has_preemphasis(iface, t->preemphasis);
	rb_raw_cdimage_track_info_set_track_indexes(
		iface,
		g_variant_new_fixed_array(
			G_VARIANT_TYPE_INT32, t->indexes, t->n_indexes, sizeof(t->indexes[0])));
}

/* FALSE with the reply sent when the call must not change anything */
static gboolean
rb_image_track_object_begin(RbImageTrackObject *self, GDBusMethodInvocation *invocation)
{
	if (!rb_image_creator_check_map(invocation))
		return FALSE;
	if (rb_image_creator_is_read_only(self->creator)) {
		rb_dbus_util_refuse(invocation, RB_ERROR_RAW_IMAGE_IS_READ_ONLY);
		return FALSE;
	}
	return TRUE;
}

static gboolean
rb_image_track_object_apply(RbImageTrackObject *self,
			    const gchar *name,
			    GVariant *value,
			    GError **error)
{
	RbImageLayout *layout = rb_image_creator_get_layout(self->creator);

	if (g_strcmp0(name, "ISRC") == 0)
		return rb_image_layout_track_set_isrc(
			layout, self->index, g_variant_get_string(value, NULL), error);
	if (g_strcmp0(name, "DigitalAudioCopySetting") == 0) {
		guint32 copy = g_variant_get_uint32(value);

		if (copy > RB_IMAGE_COPY_SCMS) {
			g_set_error(error,
				    RB_IMAGE_ERROR,
				    RB_IMAGE_ERROR_INVALID_ARGUMENT,
				    "DigitalAudioCopySetting takes 0, 1 or 2, not %u",
				    copy);
			return FALSE;
		}
		return rb_image_layout_track_set_copy(
			layout, self->index, (RbImageCopySetting)copy, error);
	}
	if (g_strcmp0(name, "AudioHasPreemphasis") == 0)
		return rb_image_layout_track_set_preemphasis(
			layout, self->index, g_variant_get_boolean(value), error);
	return rb_dbus_util_refuse_property_write(
		"org.rawburn.RawBurn1.RawCDImageTrackInfo", name, error);
}

static void
rb_image_track_object_method_call(GDBusConnection *connection,
				  const gchar *sender,
				  const gchar *object_path,
				  const gchar *interface_name,
				  const gchar *method_name,
				  GVariant *parameters,
				  GDBusMethodInvocation *invocation,
				  gpointer user_data)
{
	RbImageTrackObject *self = RB_IMAGE_TRACK_OBJECT(user_data);
	GDBusInterfaceSkeletonClass *parent_class =
		G_DBUS_INTERFACE_SKELETON_CLASS(rb_image_track_object_parent_class);
	g_autoptr(GVariant) value = NULL;
	g_autoptr(GError) error = NULL;
	const gchar *name = NULL;

	if (self->creator == NULL) {
		g_dbus_method_invocation_return_error(
			invocation,
			G_DBUS_ERROR,
			G_DBUS_ERROR_UNKNOWN_OBJECT,
			_("The image creator was closed; create a new one."));
		return;
	}
	if (!rb_image_creator_check_owner(self->creator, invocation))
		return;
	if (g_strcmp0(interface_name, RB_DBUS_PROPERTIES_INTERFACE) != 0) {
		rb_dbus_util_chain_method_call(
			parent_class->get_vtable(G_DBUS_INTERFACE_SKELETON(self)),
			G_DBUS_INTERFACE_SKELETON(self),
			invocation);
		return;
	}
	if (rb_image_creator_handle_property_read(
		    G_DBUS_INTERFACE_SKELETON(self), method_name, parameters, invocation))
		return;
	if (!rb_image_track_object_begin(self, invocation))
		return;
	g_variant_get(parameters, "(&s&sv)", NULL, &name, &value);
	if (!rb_image_track_object_apply(self, name, value, &error)) {
		rb_image_creator_return_error(invocation, error);
		return;
	}
	rb_image_creator_sync(self->creator);
	g_dbus_method_invocation_return_value(invocation, NULL);
}

static GDBusInterfaceVTable *
rb_image_track_object_get_vtable(GDBusInterfaceSkeleton *skeleton)
{
	RbImageTrackObject *self = RB_IMAGE_TRACK_OBJECT(skeleton);
	GDBusInterfaceSkeletonClass *parent_class =
		G_DBUS_INTERFACE_SKELETON_CLASS(rb_image_track_object_parent_class);

	self->vtable = *parent_class->get_vtable(skeleton);
	self->vtable.method_call = rb_image_track_object_method_call;
	self->vtable.get_property = NULL;
	self->vtable.set_property = NULL;
	return &self->vtable;
}

static gboolean
rb_image_track_object_check_offset(GDBusMethodInvocation *invocation, gint offset)
{
	if (offset >= 0)
		return TRUE;
	g_dbus_method_invocation_return_error(
		invocation,
		G_DBUS_ERROR,
		G_DBUS_ERROR_INVALID_ARGS,
		_("The argument “lbaOffset” is %d; offsets count from the track's first "
		  "sector, from 0."),
		offset);
	return FALSE;
}

static gboolean
rb_image_track_object_handle_add_index(RbRawCDImageTrackInfo *iface,
				       GDBusMethodInvocation *invocation,
				       gint offset)
{
	RbImageTrackObject *self = RB_IMAGE_TRACK_OBJECT(iface);
	g_autoptr(GError) error = NULL;
	gboolean exists = FALSE;

	if (!rb_image_track_object_begin(self, invocation) ||
	    !rb_image_track_object_check_offset(invocation, offset))
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	if (!rb_image_layout_track_add_index(rb_image_creator_get_layout(self->creator),
					     self->index,
					     (guint32)offset,
					     &exists,
					     &error)) {
		rb_image_creator_return_error(invocation, error);
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	/* IMAPI's S_IMAPI_RAW_IMAGE_TRACK_INDEX_ALREADY_EXISTS is a success */
	if (exists)
		g_debug("track %u already has an index at %d", self->index + 1, offset);
	rb_image_creator_sync(self->creator);
	rb_raw_cdimage_track_info_complete_add_track_index(iface, invocation);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
rb_image_track_object_handle_clear_index(RbRawCDImageTrackInfo *iface,
					 GDBusMethodInvocation *invocation,
					 gint offset)
{
	RbImageTrackObject *self = RB_IMAGE_TRACK_OBJECT(iface);
	g_autoptr(GError) error = NULL;

	if (!rb_image_track_object_begin(self, invocation) ||
	    !rb_image_track_object_check_offset(invocation, offset))
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	if (!rb_image_layout_track_clear_index(rb_image_creator_get_layout(self->creator),
					       self->index,
					       (guint32)offset,
					       &error)) {
		rb_image_creator_return_error(invocation, error);
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	rb_image_creator_sync(self->creator);
	rb_raw_cdimage_track_info_complete_clear_track_index(iface, invocation);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
rb_image_track_object_class_init(RbImageTrackObjectClass *klass)
{
	G_DBUS_INTERFACE_SKELETON_CLASS(klass)->get_vtable = rb_image_track_object_get_vtable;
}

static void
rb_image_track_object_init(RbImageTrackObject *self)
{
	g_signal_connect(self,
			 "handle-add-track-index",
			 G_CALLBACK(rb_image_track_object_handle_add_index),
			 NULL);
	g_signal_connect(self,
			 "handle-clear-track-index",
			 G_CALLBACK(rb_image_track_object_handle_clear_index),
			 NULL);
}

RbImageTrackObject *
rb_image_track_object_new(RbImageCreator *creator, guint track_index)
{
	RbImageTrackObject *self = g_object_new(RB_TYPE_IMAGE_TRACK_OBJECT, NULL);

	self->creator = creator;
	self->index = track_index;
	return self;
}

void
rb_image_track_object_detach(RbImageTrackObject *self)
{
	g_return_if_fail(RB_IS_IMAGE_TRACK_OBJECT(self));
	self->creator = NULL;
}
