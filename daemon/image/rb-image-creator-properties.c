/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The properties of RawCDImageCreator: Get and GetAll answered from the
 * skeleton's values, which rb_image_creator_sync() copies from the layout;
 * a write is applied to the layout and synced back. And the mapping of the
 * image core's errors (RB_IMAGE_ERROR) to IMAPI's D-Bus errors.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbImageCreator"

#include <glib/gi18n.h>

#include "rb-dbus-util.h"
#include "rb-error.h"
#include "rb-image-creator-private.h"
#include "rb-image-track-object.h"
#include "rb-image.h"

/* --- errors -------------------------------------------------------------------------------- */

void
rb_image_creator_return_error(GDBusMethodInvocation *invocation, const GError *error)
{
	if (error->domain == RB_IMAGE_ERROR) {
		RbImageError code = (RbImageError)error->code;

		/* every code named, no default: a new one must be mapped here */
		switch (code) {
		/* the first ten are IMAPI's E_IMAPI_RAW_IMAGE_*, in the same order */
		case RB_IMAGE_ERROR_IS_READ_ONLY:
		case RB_IMAGE_ERROR_TOO_MANY_TRACKS:
		case RB_IMAGE_ERROR_SECTOR_TYPE_NOT_SUPPORTED:
		case RB_IMAGE_ERROR_NO_TRACKS:
		case RB_IMAGE_ERROR_TRACKS_ALREADY_ADDED:
		case RB_IMAGE_ERROR_INSUFFICIENT_SPACE:
		case RB_IMAGE_ERROR_TOO_MANY_TRACK_INDEXES:
		case RB_IMAGE_ERROR_TRACK_INDEX_NOT_FOUND:
		case RB_IMAGE_ERROR_TRACK_INDEX_OFFSET_ZERO_CANNOT_BE_CLEARED:
		case RB_IMAGE_ERROR_TRACK_INDEX_TOO_CLOSE_TO_OTHER_INDEX: {
			RbError rb_code = RB_ERROR_RAW_IMAGE_IS_READ_ONLY + (RbError)code;

			g_dbus_method_invocation_take_error(
				invocation,
				rb_error_new(rb_code,
					     "%s (%s)",
					     rb_error_get_description(rb_code),
					     error->message));
			return;
		}
		/* a track that may not follow the others: IMAPI's nearest name */
		case RB_IMAGE_ERROR_INCOMPATIBLE_TRACK:
			g_dbus_method_invocation_take_error(
				invocation,
				rb_error_new(
					RB_ERROR_RAW_IMAGE_SECTOR_TYPE_NOT_SUPPORTED,
					_("This track cannot follow the tracks already added "
					  "(audio goes with audio, Mode 1 with Mode 1, the Mode "
					  "2 forms with each other, and only audio when "
					  "StartingTrackNumber is not 1): %s"),
					error->message));
			return;
		/* R-W as given in an image type that has none: IMAPI refuses
		 * an R-W generator with PQ_ONLY by E_INVALIDARG, and the fix
		 * is the property */
		case RB_IMAGE_ERROR_NEEDS_RAW_SUBCHANNEL:
			g_dbus_method_invocation_return_error(
				invocation,
				G_DBUS_ERROR,
				G_DBUS_ERROR_INVALID_ARGS,
				_("The image needs raw sub-channel data: set "
				  "ResultingImageType to 3 (raw P-W) (%s)."),
				error->message);
			return;
		/* what IMAPI answers with E_INVALIDARG */
		case RB_IMAGE_ERROR_TRACK_TOO_SHORT:
		case RB_IMAGE_ERROR_INVALID_MCN:
		case RB_IMAGE_ERROR_INVALID_ISRC:
		case RB_IMAGE_ERROR_INVALID_ARGUMENT:
		case RB_IMAGE_ERROR_DATA_ENDED_EARLY:
		case RB_IMAGE_ERROR_RW_HAS_PQ_BITS:
		case RB_IMAGE_ERROR_READ_FAILED:
			break;
		}
		g_dbus_method_invocation_return_error(invocation,
						      G_DBUS_ERROR,
						      G_DBUS_ERROR_INVALID_ARGS,
						      _("The image cannot be built this way: %s."),
						      error->message);
		return;
	}
	rb_dbus_util_return_error(invocation, error);
}

void
rb_image_creator_refuse_read_only(GDBusMethodInvocation *invocation)
{
	rb_dbus_util_refuse(invocation, RB_ERROR_RAW_IMAGE_IS_READ_ONLY);
}

gboolean
rb_image_creator_handle_property_read(GDBusInterfaceSkeleton *skeleton,
				      const gchar *method_name,
				      GVariant *parameters,
				      GDBusMethodInvocation *invocation)
{
	g_autoptr(GVariant) all = g_dbus_interface_skeleton_get_properties(skeleton);

	if (g_strcmp0(method_name, "GetAll") == 0) {
		g_dbus_method_invocation_return_value(invocation, g_variant_new_tuple(&all, 1));
		return TRUE;
	}
	if (g_strcmp0(method_name, "Get") == 0) {
		const gchar *name = NULL;
		g_autoptr(GVariant) value = NULL;

		g_variant_get(parameters, "(&s&s)", NULL, &name);
		value = g_variant_lookup_value(all, name, NULL);
		if (value == NULL) {
			g_dbus_method_invocation_return_error(invocation,
							      G_DBUS_ERROR,
							      G_DBUS_ERROR_INVALID_ARGS,
							      _("There is no property “%s”."),
							      name);
			return TRUE;
		}
		g_dbus_method_invocation_return_value(invocation, g_variant_new("(v)", value));
		return TRUE;
	}
	return FALSE;
}

/* --- properties ------------------------------------------------------------------------------ */

RbImageLayout *
rb_image_creator_get_layout(RbImageCreator *self)
{
	g_return_val_if_fail(RB_IS_IMAGE_CREATOR(self), NULL);
	return self->layout;
}

gboolean
rb_image_creator_is_read_only(RbImageCreator *self)
{
	g_return_val_if_fail(RB_IS_IMAGE_CREATOR(self), TRUE);
	return self->read_only;
}

void
rb_image_creator_sync(RbImageCreator *self)
{
	RbRawCDImageCreator *iface = RB_RAW_CDIMAGE_CREATOR(self);
	guint n_tracks = rb_image_layout_get_n_tracks(self->layout);
	/* a pipe track's length is not known until it has been read */
	gboolean known = n_tracks > 0 && self->pipe_track < 0;
	g_autoptr(GStrvBuilder) paths = g_strv_builder_new();
	g_auto(GStrv) strv = NULL;
	g_autoptr(GBytes) toc = NULL;
	gint32 leadout = 0;

	if (known) {
		rb_image_layout_get_leadout_start(self->layout, &leadout, NULL);
		toc = rb_image_layout_get_expected_toc(self->layout, NULL);
	}
	rb_raw_cdimage_creator_set_resulting_image_type(
		iface, rb_image_layout_get_image_type(self->layout));
	rb_raw_cdimage_creator_set_start_of_leadout(iface, leadout);
	rb_raw_cdimage_creator_set_start_of_leadout_limit(iface, self->leadout_limit);
	rb_raw_cdimage_creator_set_disable_gapless_audio(
		iface, rb_image_layout_get_disable_gapless_audio(self->layout));
	rb_raw_cdimage_creator_set_media_catalog_number(iface,
							rb_image_layout_get_mcn(self->layout));
	rb_raw_cdimage_creator_set_number_of_existing_tracks(iface, (gint)n_tracks);
	rb_raw_cdimage_creator_set_last_used_user_sector_in_image(
		iface, known ? rb_image_layout_get_last_user_lba(self->layout) : 0);
	rb_raw_cdimage_creator_set_expected_table_of_contents(
		iface,
		toc != NULL ? g_variant_new_from_bytes(G_VARIANT_TYPE_BYTESTRING, toc, TRUE)
			    : g_variant_new_fixed_array(G_VARIANT_TYPE_BYTE, NULL, 0, 1));
	for (guint i = 0; i < self->track_objects->len; i++) {
		RbImageTrackObject *track = g_ptr_array_index(self->track_objects, i);

		rb_image_track_object_sync(track, (gint)i != self->pipe_track);
		g_strv_builder_add(paths,
				   g_dbus_interface_skeleton_get_object_path(
					   G_DBUS_INTERFACE_SKELETON(track)));
	}
	strv = g_strv_builder_end(paths);
	rb_raw_cdimage_creator_set_tracks(iface, (const gchar *const *)strv);
}

static gboolean
rb_image_creator_apply_property(RbImageCreator *self,
				const gchar *name,
				GVariant *value,
				GError **error)
{
	if (g_strcmp0(name, "ResultingImageType") == 0)
		return rb_image_layout_set_image_type(
			self->layout, g_variant_get_uint32(value), error);
	if (g_strcmp0(name, "StartOfLeadoutLimit") == 0) {
		gint32 limit = g_variant_get_int32(value);

		if (!rb_image_layout_set_leadout_limit(self->layout, limit, error))
			return FALSE;
		self->leadout_limit = limit;
		return TRUE;
	}
	if (g_strcmp0(name, "DisableGaplessAudio") == 0)
		return rb_image_layout_set_disable_gapless_audio(
			self->layout, g_variant_get_boolean(value), error);
	if (g_strcmp0(name, "MediaCatalogNumber") == 0)
		return rb_image_layout_set_mcn(
			self->layout, g_variant_get_string(value, NULL), error);
	if (g_strcmp0(name, "StartingTrackNumber") == 0) {
		gint32 number = g_variant_get_int32(value);

		if (number < 1 || number > RB_IMAGE_MAX_TRACKS) {
			g_set_error(error,
				    RB_IMAGE_ERROR,
				    RB_IMAGE_ERROR_INVALID_ARGUMENT,
				    "StartingTrackNumber takes 1 to 99, not %d",
				    number);
			return FALSE;
		}
		if (!rb_image_layout_set_starting_track_number(self->layout, (guint)number, error))
			return FALSE;
		rb_raw_cdimage_creator_set_starting_track_number(RB_RAW_CDIMAGE_CREATOR(self),
								 number);
		return TRUE;
	}
	return rb_dbus_util_refuse_property_write(
		"org.rawburn.RawBurn1.RawCDImageCreator", name, error);
}

void
rb_image_creator_set_property(RbImageCreator *self, GDBusMethodInvocation *invocation)
{
	g_autoptr(GVariant) value = NULL;
	g_autoptr(GError) error = NULL;
	const gchar *name = NULL;

	if (self->read_only) {
		rb_image_creator_refuse_read_only(invocation);
		return;
	}
	g_variant_get(g_dbus_method_invocation_get_parameters(invocation),
		      "(&s&sv)",
		      NULL,
		      &name,
		      &value);
	if (!rb_image_creator_apply_property(self, name, value, &error)) {
		rb_image_creator_return_error(invocation, error);
		return;
	}
	rb_image_creator_sync(self);
	g_dbus_method_invocation_return_value(invocation, NULL);
}
