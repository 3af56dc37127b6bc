/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The descriptors a RawCDImageCreator keeps: AddTrack, AddSpecialPregap
 * and AddSubcodeRWGenerator take the caller's descriptor (a file, whose
 * size gives the sectors, or a pipe, read later) and add it to the layout.
 * They stay with the creator until CreateResultImage hands them to its
 * producer thread.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbImageCreator"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <glib/gi18n.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rb-dbus-util.h"
#include "rb-fd-limit.h"
#include "rb-image-creator-private.h"
#include "rb-image-track-object.h"
#include "rb-image.h"

/* --- the descriptors it keeps ------------------------------------------------------------------
 */

void
rb_image_source_init(RbImageSource *source)
{
	source->fd = -1;
	source->seekable = FALSE;
	source->offset = 0;
	source->pos = 0;
}

void
rb_image_source_clear(RbImageSource *source)
{
	if (source->fd >= 0)
		close(source->fd);
	rb_image_source_init(source);
}

/*
 * The descriptor of @handle, readable, as a source: a regular file (or block
 * device) with its size from its current offset in @size, else a stream
 * (@size 0, source->seekable FALSE). The budget is asked first.
 */
static gboolean
rb_image_creator_take_source(GDBusMethodInvocation *invocation,
			     GVariant *handle,
			     RbImageSource *source,
			     guint64 *size,
			     GError **error)
{
	struct stat st;
	gint fd;
	gint flags;

	rb_image_source_init(source);
	*size = 0;
	if (!rb_fd_limit_check(1, error))
		return FALSE;
	fd = rb_dbus_util_get_fd(invocation, g_variant_get_handle(handle), "data", error);
	if (fd < 0)
		return FALSE;
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || (flags & O_PATH) != 0 || (flags & O_ACCMODE) == O_WRONLY ||
	    fstat(fd, &st) < 0 || S_ISDIR(st.st_mode)) {
		close(fd);
		g_set_error(error,
			    G_DBUS_ERROR,
			    G_DBUS_ERROR_INVALID_ARGS,
			    _("The argument “data” must be a descriptor open for reading (a file "
			      "or a pipe), not a directory or a write-only or O_PATH "
			      "descriptor."));
		return FALSE;
	}
	source->fd = fd;
	if (S_ISREG(st.st_mode) || S_ISBLK(st.st_mode)) {
		off_t offset = lseek(fd, 0, SEEK_CUR);
		off_t end = S_ISREG(st.st_mode) ? st.st_size : lseek(fd, 0, SEEK_END);

		if (offset < 0 || end < 0 ||
		    (S_ISBLK(st.st_mode) && lseek(fd, offset, SEEK_SET) < 0)) {
			rb_image_source_clear(source);
			g_set_error(error,
				    G_DBUS_ERROR,
				    G_DBUS_ERROR_INVALID_ARGS,
				    _("The argument “data” cannot be read: %s."),
				    g_strerror(errno));
			return FALSE;
		}
		source->seekable = TRUE;
		source->offset = offset;
		*size = end > offset ? (guint64)(end - offset) : 0;
	}
	return TRUE;
}

/* a whole number of sectors of @sector_size, or InvalidArgs */
gboolean
rb_image_creator_count_sectors(guint64 size, gsize sector_size, guint32 *n_sectors, GError **error)
{
	if (size % sector_size != 0) {
		g_set_error(error,
			    G_DBUS_ERROR,
			    G_DBUS_ERROR_INVALID_ARGS,
			    _("The argument “data” gives %" PRIu64
			      " bytes from its offset on, which is not a whole number of "
			      "%u-byte sectors; pad or cut it."),
			    size,
			    (guint)sector_size);
		return FALSE;
	}
	/* longer than any disc: the core would call it a bad length */
	if (size / sector_size > RB_IMAGE_LAST_USER_LBA + 1) {
		g_set_error(error,
			    RB_IMAGE_ERROR,
			    RB_IMAGE_ERROR_INSUFFICIENT_SPACE,
			    _("%" PRIu64 " sectors are more than a disc holds"),
			    (guint64)(size / sector_size));
		return FALSE;
	}
	*n_sectors = (guint32)(size / sector_size);
	return TRUE;
}

/* --- methods -----------------------------------------------------------------------------------
 */

static gboolean
rb_image_creator_begin(RbImageCreator *self, GDBusMethodInvocation *invocation)
{
	if (!rb_image_creator_check_map(invocation))
		return FALSE;
	if (self->read_only) {
		rb_image_creator_refuse_read_only(invocation);
		return FALSE;
	}
	return TRUE;
}

gboolean
rb_image_creator_handle_add_track(RbRawCDImageCreator *iface,
				  GDBusMethodInvocation *invocation,
				  GUnixFDList *fd_list,
				  guint sector_type,
				  GVariant *handle)
{
	RbImageCreator *self = RB_IMAGE_CREATOR(iface);
	g_autoptr(GError) error = NULL;
	g_autoptr(RbImageTrackObject) track = NULL;
	g_autofree gchar *path = NULL;
	RbImageSource source;
	guint64 size = 0;
	guint32 n_sectors = RB_IMAGE_MIN_TRACK_SECTORS;
	guint index = 0;

	if (!rb_image_creator_begin(self, invocation))
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	if (!rb_cd_sector_type_is_valid(sector_type)) {
		g_set_error(&error,
			    RB_IMAGE_ERROR,
			    RB_IMAGE_ERROR_SECTOR_TYPE_NOT_SUPPORTED,
			    _("sector type %u is not an IMAPI_CD_SECTOR_TYPE (0-9)"),
			    sector_type);
		rb_image_creator_return_error(invocation, error);
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	if (self->pipe_track >= 0) {
		g_dbus_method_invocation_return_error(
			invocation,
			G_DBUS_ERROR,
			G_DBUS_ERROR_INVALID_ARGS,
			_("Track %d is read from a pipe, so it must be the last track; give "
			  "the earlier tracks as files."),
			self->pipe_track + 1);
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	if (rb_image_layout_get_n_tracks(self->layout) >= RB_IMAGE_MAX_TRACKS) {
		g_set_error(&error,
			    RB_IMAGE_ERROR,
			    RB_IMAGE_ERROR_TOO_MANY_TRACKS,
			    "the image has %u tracks, the most allowed",
			    (guint)RB_IMAGE_MAX_TRACKS);
		rb_image_creator_return_error(invocation, error);
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	if (!rb_image_creator_take_source(invocation, handle, &source, &size, &error)) {
		rb_image_creator_return_error(invocation, error);
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	/* a pipe counts as the shortest track until it has been read */
	if ((source.seekable &&
	     !rb_image_creator_count_sectors(
		     size, rb_cd_sector_type_get_input_size(sector_type), &n_sectors, &error)) ||
	    !rb_image_layout_add_track(
		    self->layout, (RbCdSectorType)sector_type, n_sectors, &index, &error)) {
		rb_image_source_clear(&source);
		rb_image_creator_return_error(invocation, error);
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	self->tracks[index] = source;
	if (!source.seekable)
		self->pipe_track = (gint)index;
	track = rb_image_track_object_new(self, index);
	path = g_strdup_printf("%s/tracks/%u", self->path, index + 1);
	if (!g_dbus_interface_skeleton_export(
		    G_DBUS_INTERFACE_SKELETON(track), self->connection, path, &error))
		g_warning("cannot export %s: %s", path, error->message);
	g_ptr_array_add(self->track_objects, g_steal_pointer(&track));
	rb_image_creator_sync(self);
	rb_raw_cdimage_creator_complete_add_track(iface, invocation, NULL, (gint)index + 1);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

gboolean
rb_image_creator_handle_add_special_pregap(RbRawCDImageCreator *iface,
					   GDBusMethodInvocation *invocation,
					   GUnixFDList *fd_list,
					   GVariant *handle)
{
	RbImageCreator *self = RB_IMAGE_CREATOR(iface);
	g_autoptr(GError) error = NULL;
	RbImageSource source;
	guint64 size = 0;
	guint32 n_sectors = 0;

	if (!rb_image_creator_begin(self, invocation))
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	if (rb_image_layout_get_n_tracks(self->layout) > 0) {
		g_set_error(&error,
			    RB_IMAGE_ERROR,
			    RB_IMAGE_ERROR_TRACKS_ALREADY_ADDED,
			    "the special pregap comes before the first track");
		rb_image_creator_return_error(invocation, error);
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	if (!rb_image_creator_take_source(invocation, handle, &source, &size, &error)) {
		rb_image_creator_return_error(invocation, error);
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	if (!source.seekable) {
		rb_image_source_clear(&source);
		g_dbus_method_invocation_return_error(
			invocation,
			G_DBUS_ERROR,
			G_DBUS_ERROR_INVALID_ARGS,
			_("The special pregap must be a file, not a pipe: the tracks are laid out "
			  "after it."));
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	if (!rb_image_creator_count_sectors(size, RB_CD_MAIN_SIZE, &n_sectors, &error) ||
	    !rb_image_layout_add_special_pregap(self->layout, n_sectors, &error)) {
		rb_image_source_clear(&source);
		rb_image_creator_return_error(invocation, error);
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	rb_image_source_clear(&self->pregap);
	self->pregap = source;
	rb_image_creator_sync(self);
	rb_raw_cdimage_creator_complete_add_special_pregap(iface, invocation, NULL);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

gboolean
rb_image_creator_handle_add_subcode_rw_generator(RbRawCDImageCreator *iface,
						 GDBusMethodInvocation *invocation,
						 GUnixFDList *fd_list,
						 GVariant *handle)
{
	RbImageCreator *self = RB_IMAGE_CREATOR(iface);
	g_autoptr(GError) error = NULL;
	RbImageSource source;
	guint64 size = 0;

	if (!rb_image_creator_begin(self, invocation))
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	if (!rb_image_creator_take_source(invocation, handle, &source, &size, &error)) {
		rb_image_creator_return_error(invocation, error);
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	/* PQ_ONLY is refused here, by the core */
	if (!rb_image_layout_add_rw_generator(self->layout, &error)) {
		rb_image_source_clear(&source);
		rb_image_creator_return_error(invocation, error);
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	rb_image_source_clear(&self->rw);
	self->rw = source;
	rb_image_creator_sync(self);
	rb_raw_cdimage_creator_complete_add_subcode_rwgenerator(iface, invocation, NULL);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}
