/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The RawCDImageCreator interface (IMAPI2's IRawCDImageCreator): one object
 * per Manager.CreateImageCreator call, owned by the caller's connection and
 * by nobody else, holding an RbImageLayout and the descriptors its tracks
 * are read from. CreateResultImage hands the caller the read end of a pipe
 * that a producer thread fills with RbImageProducer's sectors; the thread
 * is cancelled and joined when the creator goes, so it never outlives it.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbImageCreator"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <gio/gunixfdlist.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rb-auth-map.h"
#include "rb-dbus-util.h"
#include "rb-error.h"
#include "rb-fd-limit.h"
#include "rb-image-creator.h"
#include "rb-image-track-object.h"
#include "rb-image.h"

/* sectors per write into the result pipe */
#define RB_IMAGE_CREATOR_CHUNK_SECTORS 64
/* a pipe track (or R-W generator) that sends nothing this long is refused */
#define RB_IMAGE_CREATOR_STALL_MS (30 * 1000)
/* the result pipe's buffer, when the kernel allows */
#define RB_IMAGE_CREATOR_PIPE_SIZE (1024 * 1024)

/* one kept descriptor: a track's data, the special pregap, the R-W generator */
typedef struct {
	gint fd;
	gboolean seekable;
	goffset offset; /* where the data starts (seekable) */
	guint64 pos;    /* bytes read so far */
} RbImageSource;

struct _RbImageCreator {
	RbRawCDImageCreatorSkeleton parent_instance;
	GDBusInterfaceVTable vtable;
	GDBusConnection *connection;
	gchar *path;
	gchar *owner;
	RbAuthority *authority;
	RbImageCreatorClosedFunc closed_func;
	gpointer closed_data;
	guint watch_id;
	gboolean closed;
	guint pending; /* authorizations in flight */

	RbImageLayout *layout;
	gint32 leadout_limit;
	RbImageSource tracks[RB_IMAGE_MAX_TRACKS];
	RbImageSource pregap;
	RbImageSource rw;
	gint pipe_track; /* the track read from a pipe, -1 for none */
	GPtrArray *track_objects;

	/* CreateResultImage was called: everything is read-only */
	gboolean read_only;
	GThread *thread;
	GCancellable *cancellable;
};

G_DEFINE_TYPE(RbImageCreator, rb_image_creator, RB_TYPE_RAW_CDIMAGE_CREATOR_SKELETON)

static void
rb_image_source_init(RbImageSource *source)
{
	source->fd = -1;
	source->seekable = FALSE;
	source->offset = 0;
	source->pos = 0;
}

static void
rb_image_source_clear(RbImageSource *source)
{
	if (source->fd >= 0)
		close(source->fd);
	rb_image_source_init(source);
}

/* --- errors -------------------------------------------------------------------------------- */

void
rb_image_creator_return_error(GDBusMethodInvocation *invocation, const GError *error)
{
	if (error->domain == RB_IMAGE_ERROR) {
		RbImageError code = (RbImageError)error->code;

		/* the first ten are IMAPI's E_IMAPI_RAW_IMAGE_*, in the same order */
		if (code <= RB_IMAGE_ERROR_TRACK_INDEX_TOO_CLOSE_TO_OTHER_INDEX) {
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
		if (code == RB_IMAGE_ERROR_INCOMPATIBLE_TRACK) {
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
		}
		/* what IMAPI answers with E_INVALIDARG */
		g_dbus_method_invocation_return_error(invocation,
						      G_DBUS_ERROR,
						      G_DBUS_ERROR_INVALID_ARGS,
						      _("The image cannot be built this way: %s."),
						      error->message);
		return;
	}
	rb_dbus_util_return_error(invocation, error);
}

static void
rb_image_creator_refuse_read_only(GDBusMethodInvocation *invocation)
{
	rb_dbus_util_refuse(invocation, RB_ERROR_RAW_IMAGE_IS_READ_ONLY);
}

/* --- who may call ---------------------------------------------------------------------------- */

gboolean
rb_image_creator_check_owner(RbImageCreator *self, GDBusMethodInvocation *invocation)
{
	const gchar *sender = g_dbus_method_invocation_get_sender(invocation);

	if (!self->closed && g_strcmp0(sender, self->owner) == 0)
		return TRUE;
	if (self->closed) {
		g_dbus_method_invocation_return_error(
			invocation,
			G_DBUS_ERROR,
			G_DBUS_ERROR_UNKNOWN_OBJECT,
			_("The image creator was closed; create a new one."));
		return FALSE;
	}
	g_dbus_method_invocation_return_error(
		invocation,
		G_DBUS_ERROR,
		G_DBUS_ERROR_ACCESS_DENIED,
		_("This image creator belongs to another connection (%s); create your own with "
		  "Manager.CreateImageCreator."),
		self->owner);
	return FALSE;
}

gboolean
rb_image_creator_check_map(GDBusMethodInvocation *invocation)
{
	const gchar *interface_name = g_dbus_method_invocation_get_interface_name(invocation);
	const gchar *member = g_dbus_method_invocation_get_method_name(invocation);
	gboolean property = FALSE;
	const RbAuthRule *rule;

	if (g_strcmp0(interface_name, "org.freedesktop.DBus.Properties") == 0) {
		GVariant *parameters = g_dbus_method_invocation_get_parameters(invocation);

		if (g_strcmp0(member, "Set") == 0 &&
		    g_variant_is_of_type(parameters, G_VARIANT_TYPE("(ssv)"))) {
			g_variant_get(parameters, "(&s&sv)", &interface_name, &member, NULL);
			property = TRUE;
		}
	}
	rule = rb_auth_map_lookup(interface_name, member, property);
	if (rule != NULL && rule->action_id == NULL)
		return TRUE;
	g_warning("%s.%s is not on the authorization map without an action; refusing it",
		  interface_name,
		  member);
	g_dbus_method_invocation_take_error(invocation,
					    rb_error_new(RB_ERROR_NOT_AUTHORIZED,
							 _("%s.%s has no authorization rule, so it "
							   "is refused; report this as a bug."),
							 interface_name,
							 member));
	return FALSE;
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

static void
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

/* every call and property access comes here first: the owner alone */
static void
rb_image_creator_method_call(GDBusConnection *connection,
			     const gchar *sender,
			     const gchar *object_path,
			     const gchar *interface_name,
			     const gchar *method_name,
			     GVariant *parameters,
			     GDBusMethodInvocation *invocation,
			     gpointer user_data)
{
	RbImageCreator *self = RB_IMAGE_CREATOR(user_data);
	GDBusInterfaceSkeletonClass *parent_class =
		G_DBUS_INTERFACE_SKELETON_CLASS(rb_image_creator_parent_class);

	if (!rb_image_creator_check_owner(self, invocation))
		return;
	if (g_strcmp0(interface_name, "org.freedesktop.DBus.Properties") != 0) {
		parent_class->get_vtable(G_DBUS_INTERFACE_SKELETON(self))
			->method_call(connection,
				      sender,
				      object_path,
				      interface_name,
				      method_name,
				      parameters,
				      invocation,
				      user_data);
		return;
	}
	if (rb_image_creator_handle_property_read(
		    G_DBUS_INTERFACE_SKELETON(self), method_name, parameters, invocation))
		return;
	/* Set: GDBus checked that the property exists, is writable and has its type */
	if (!rb_image_creator_check_map(invocation))
		return;
	rb_image_creator_set_property(self, invocation);
}

static GDBusInterfaceVTable *
rb_image_creator_get_vtable(GDBusInterfaceSkeleton *skeleton)
{
	RbImageCreator *self = RB_IMAGE_CREATOR(skeleton);
	GDBusInterfaceSkeletonClass *parent_class =
		G_DBUS_INTERFACE_SKELETON_CLASS(rb_image_creator_parent_class);

	self->vtable = *parent_class->get_vtable(skeleton);
	self->vtable.method_call = rb_image_creator_method_call;
	self->vtable.get_property = NULL;
	self->vtable.set_property = NULL;
	return &self->vtable;
}

/* --- the descriptors it keeps ------------------------------------------------------------------
 */

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
static gboolean
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
			    "%" G_GUINT64_FORMAT " sectors are more than a disc holds",
			    size / sector_size);
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

static gboolean
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
			    "sector type %u is not an IMAPI_CD_SECTOR_TYPE (0-9)",
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

static gboolean
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

static gboolean
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

/* --- CreateResultImage: the producer thread ------------------------------------------------------
 */

typedef struct {
	RbImageLayout *layout; /* a copy, laid out again once a pipe track was read */
	RbImageSource tracks[RB_IMAGE_MAX_TRACKS];
	guint n_tracks;
	RbImageSource pregap;
	RbImageSource rw;
	gint pipe_track;
	gint32 leadout_limit;
	gint read_end;
	gint write_end;
	GCancellable *cancellable;
	GDBusMethodInvocation *invocation; /* replied to from the thread */
	gchar *path;                       /* for the log */
} RbImageJob;

static void
rb_image_job_free(RbImageJob *job)
{
	for (guint i = 0; i < job->n_tracks; i++)
		rb_image_source_clear(&job->tracks[i]);
	rb_image_source_clear(&job->pregap);
	rb_image_source_clear(&job->rw);
	if (job->read_end >= 0)
		close(job->read_end);
	if (job->write_end >= 0)
		close(job->write_end);
	g_clear_pointer(&job->layout, rb_image_layout_free);
	g_clear_object(&job->cancellable);
	g_clear_object(&job->invocation);
	g_free(job->path);
	g_free(job);
}

/* waits until @fd is ready for @events; FALSE with @error on cancel or timeout */
static gboolean
rb_image_job_wait(RbImageJob *job, gint fd, gshort events, gint timeout_ms, GError **error)
{
	GPollFD cancel_fd;
	struct pollfd fds[2];

	if (!g_cancellable_make_pollfd(job->cancellable, &cancel_fd)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "no cancellable descriptor");
		return FALSE;
	}
	fds[0].fd = fd;
	fds[0].events = events;
	fds[1].fd = cancel_fd.fd;
	fds[1].events = POLLIN;
	for (;;) {
		gint r;

		fds[0].revents = fds[1].revents = 0;
		r = poll(fds, 2, timeout_ms);
		if (r < 0 && errno == EINTR)
			continue;
		g_cancellable_release_fd(job->cancellable);
		if (g_cancellable_set_error_if_cancelled(job->cancellable, error))
			return FALSE;
		if (r == 0) {
			g_set_error(error,
				    G_IO_ERROR,
				    G_IO_ERROR_TIMED_OUT,
				    "nothing came for %d s",
				    timeout_ms / 1000);
			return FALSE;
		}
		if (r < 0) {
			g_set_error(error,
				    G_IO_ERROR,
				    g_io_error_from_errno(errno),
				    "%s",
				    g_strerror(errno));
			return FALSE;
		}
		return TRUE;
	}
}

/* read(2) of a stream, that a stall or the creator's end interrupts */
static gssize
rb_image_job_read_stream(RbImageJob *job, gint fd, guint8 *buf, gsize len, GError **error)
{
	for (;;) {
		gssize n;

		if (!rb_image_job_wait(job, fd, POLLIN, RB_IMAGE_CREATOR_STALL_MS, error))
			return -1;
		n = read(fd, buf, len);
		if (n >= 0)
			return n;
		if (errno == EINTR || errno == EAGAIN)
			continue;
		g_set_error(
			error, G_IO_ERROR, g_io_error_from_errno(errno), "%s", g_strerror(errno));
		return -1;
	}
}

static gssize
rb_image_job_read(gpointer user_data, guint source_id, guint8 *buf, gsize len, GError **error)
{
	RbImageJob *job = user_data;
	RbImageSource *source;
	gssize n;

	if (source_id == RB_IMAGE_SOURCE_SPECIAL_PREGAP)
		source = &job->pregap;
	else if (source_id == RB_IMAGE_SOURCE_RW)
		source = &job->rw;
	else if (source_id < job->n_tracks)
		source = &job->tracks[source_id];
	else {
		g_set_error(error,
			    RB_IMAGE_ERROR,
			    RB_IMAGE_ERROR_READ_FAILED,
			    "no source %u",
			    source_id);
		return -1;
	}
	if (g_cancellable_set_error_if_cancelled(job->cancellable, error))
		return -1;
	if (!source->seekable) {
		n = rb_image_job_read_stream(job, source->fd, buf, len, error);
	} else {
		do
			n = pread(source->fd, buf, len, source->offset + (goffset)source->pos);
		while (n < 0 && errno == EINTR);
		if (n < 0)
			g_set_error(error,
				    G_IO_ERROR,
				    g_io_error_from_errno(errno),
				    "%s",
				    g_strerror(errno));
	}
	if (n > 0)
		source->pos += (guint64)n;
	return n;
}

/* the pipe track, into an unlinked temporary file: its length is needed
 * before the lead-in, whose TOC names the lead-out */
static gboolean
rb_image_job_spool(RbImageJob *job, guint64 max_bytes, guint64 *size, GError **error)
{
	RbImageSource *source = &job->tracks[job->pipe_track];
	g_autofree guint8 *buf = g_malloc(RB_IMAGE_CREATOR_CHUNK_SECTORS * RB_CD_MAIN_SIZE);
	g_autofree gchar *path = NULL;
	g_autoptr(GError) error_local = NULL;
	guint64 total = 0;
	gint spool = g_file_open_tmp("rawburn-track-XXXXXX", &path, &error_local);

	if (spool < 0) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_FAILED,
			    _("Cannot keep the piped track: %s; free some space in the temporary "
			      "directory."),
			    error_local->message);
		return FALSE;
	}
	g_unlink(path);
	for (;;) {
		gssize n =
			rb_image_job_read_stream(job,
						 source->fd,
						 buf,
						 RB_IMAGE_CREATOR_CHUNK_SECTORS * RB_CD_MAIN_SIZE,
						 error);
		gssize done = 0;

		if (n < 0) {
			close(spool);
			return FALSE;
		}
		if (n == 0)
			break;
		total += (guint64)n;
		if (total > max_bytes) {
			close(spool);
			g_set_error(error,
				    RB_IMAGE_ERROR,
				    RB_IMAGE_ERROR_INSUFFICIENT_SPACE,
				    "the piped track is longer than fits on a disc");
			return FALSE;
		}
		while (done < n) {
			gssize w = write(spool, buf + done, (gsize)(n - done));

			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0) {
				gint saved = errno;

				close(spool);
				g_set_error(error,
					    G_IO_ERROR,
					    g_io_error_from_errno(saved),
					    _("Cannot keep the piped track: %s."),
					    g_strerror(saved));
				return FALSE;
			}
			done += w;
		}
	}
	rb_image_source_clear(source);
	source->fd = spool;
	source->seekable = TRUE;
	*size = total;
	return TRUE;
}

/* the layout again, with the pipe track's real length */
static RbImageLayout *
rb_image_job_relayout(
	const RbImageLayout *old, guint pipe_track, guint32 n_sectors, gint32 limit, GError **error)
{
	g_autoptr(RbImageLayout) layout = rb_image_layout_new();
	const RbImageTrack *first = rb_image_layout_get_track(old, 0);

	if (!rb_image_layout_set_disable_gapless_audio(
		    layout, rb_image_layout_get_disable_gapless_audio(old), error) ||
	    !rb_image_layout_set_mcn(layout, rb_image_layout_get_mcn(old), error) ||
	    !rb_image_layout_set_starting_track_number(layout, first->number, error))
		return NULL;
	if (rb_image_layout_get_special_pregap(old) > 0 &&
	    !rb_image_layout_add_special_pregap(
		    layout, rb_image_layout_get_special_pregap(old), error))
		return NULL;
	if (!rb_image_layout_set_image_type(layout, rb_image_layout_get_image_type(old), error))
		return NULL;
	if (rb_image_layout_has_rw_generator(old) &&
	    !rb_image_layout_add_rw_generator(layout, error))
		return NULL;
	for (guint i = 0; i < rb_image_layout_get_n_tracks(old); i++) {
		const RbImageTrack *t = rb_image_layout_get_track(old, i);

		if (!rb_image_layout_add_track(layout,
					       t->type,
					       i == pipe_track ? n_sectors : t->n_sectors,
					       NULL,
					       error))
			return NULL;
		if ((t->isrc[0] != '\0' &&
		     !rb_image_layout_track_set_isrc(layout, i, t->isrc, error)) ||
		    (t->copy != RB_IMAGE_COPY_PROHIBITED &&
		     !rb_image_layout_track_set_copy(layout, i, t->copy, error)) ||
		    (t->preemphasis &&
		     !rb_image_layout_track_set_preemphasis(layout, i, TRUE, error)))
			return NULL;
		for (guint x = 1; x < t->n_indexes; x++) {
			if (!rb_image_layout_track_add_index(layout, i, t->indexes[x], NULL, error))
				return NULL;
		}
	}
	if (!rb_image_layout_set_leadout_limit(layout, limit, error))
		return NULL;
	return g_steal_pointer(&layout);
}

/* the work before the reply: what the stream will be */
static RbImageProducer *
rb_image_job_prepare(RbImageJob *job, GError **error)
{
	g_autoptr(RbImageProducer) producer = NULL;
	const RbImageLayout *layout;

	if (job->pipe_track >= 0) {
		const RbImageTrack *t =
			rb_image_layout_get_track(job->layout, (guint)job->pipe_track);
		gsize input = rb_cd_sector_type_get_input_size(t->type);
		guint64 max_bytes = (guint64)(RB_IMAGE_LAST_USER_LBA + 1 - t->start) * input;
		RbImageLayout *relaid;
		guint64 size = 0;
		guint32 n_sectors = 0;

		if (!rb_image_job_spool(job, max_bytes, &size, error))
			return NULL;
		if (!rb_image_creator_count_sectors(size, input, &n_sectors, error))
			return NULL;
		relaid = rb_image_job_relayout(
			job->layout, (guint)job->pipe_track, n_sectors, job->leadout_limit, error);
		if (relaid == NULL)
			return NULL;
		rb_image_layout_free(job->layout);
		job->layout = relaid;
	}
	producer = rb_image_producer_new(job->layout, rb_image_job_read, job, error);
	if (producer == NULL)
		return NULL;
	layout = rb_image_producer_get_layout(producer);
	/* a file of R-W must give exactly what the stream needs */
	if (job->rw.fd >= 0 && job->rw.seekable) {
		struct stat st;
		guint64 needed =
			(guint64)rb_image_layout_get_n_sectors(layout) * RB_SUBCHANNEL_PW_SIZE;

		if (fstat(job->rw.fd, &st) < 0 || st.st_size < job->rw.offset ||
		    (guint64)(st.st_size - job->rw.offset) != needed) {
			g_set_error(error,
				    G_DBUS_ERROR,
				    G_DBUS_ERROR_INVALID_ARGS,
				    _("The R-W generator must give %" PRIu64
				      " bytes (96 for each of the image's %u sectors) from its "
				      "offset on."),
				    needed,
				    rb_image_layout_get_n_sectors(layout));
			return NULL;
		}
	}
	return g_steal_pointer(&producer);
}

static gboolean
rb_image_job_write_all(RbImageJob *job, const guint8 *buf, gsize len, GError **error)
{
	gsize done = 0;

	while (done < len) {
		gssize n;

		/* no stall limit: the reader may be a burn waiting for its drive */
		if (!rb_image_job_wait(job, job->write_end, POLLOUT, -1, error))
			return FALSE;
		n = write(job->write_end, buf + done, len - done);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0) {
			g_set_error(error,
				    G_IO_ERROR,
				    g_io_error_from_errno(errno),
				    "%s",
				    g_strerror(errno));
			return FALSE;
		}
		done += (gsize)n;
	}
	return TRUE;
}

static void
rb_image_job_reply_error(RbImageJob *job, const GError *error)
{
	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
		g_dbus_method_invocation_take_error(
			job->invocation,
			rb_error_new(
				RB_ERROR_REQUEST_CANCELLED,
				_("The image creator was closed before the image was ready.")));
	} else if (error->domain == G_IO_ERROR) {
		/* the caller's data: a pipe that stalled or was too long */
		g_dbus_method_invocation_return_error(job->invocation,
						      G_DBUS_ERROR,
						      G_DBUS_ERROR_INVALID_ARGS,
						      _("The piped track cannot be used: %s."),
						      error->message);
	} else {
		rb_image_creator_return_error(job->invocation, error);
	}
}

/*
 * The thread: the reply (GDBus sends from any thread), then the sectors
 * into the pipe until the end, an error, the reader's close (EPIPE; the
 * daemon ignores SIGPIPE) or the creator's end (the cancellable).
 */
static gpointer
rb_image_job_thread(gpointer user_data)
{
	RbImageJob *job = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(RbImageProducer) producer = rb_image_job_prepare(job, &error);
	g_autoptr(GUnixFDList) fd_list = NULL;
	g_autofree guint8 *buf = NULL;
	gsize sector_size;
	gint64 size;

	if (producer == NULL) {
		rb_image_job_reply_error(job, error);
		rb_image_job_free(job);
		return NULL;
	}
	sector_size = rb_image_producer_get_sector_size(producer);
	size = (gint64)rb_image_producer_get_n_sectors(producer) * (gint64)sector_size;
	fd_list = g_unix_fd_list_new_from_array(&job->read_end, 1);
	/* the list owns it now */
	job->read_end = -1;
	g_dbus_method_invocation_return_value_with_unix_fd_list(
		job->invocation, g_variant_new("(hx)", 0, size), fd_list);
	g_clear_object(&job->invocation);
	g_clear_object(&fd_list);

	buf = g_malloc(RB_IMAGE_CREATOR_CHUNK_SECTORS * sector_size);
	for (;;) {
		guint n = 0;

		if (!rb_image_producer_read(
			    producer, buf, RB_IMAGE_CREATOR_CHUNK_SECTORS, &n, &error))
			break;
		if (n == 0)
			break;
		if (!rb_image_job_write_all(job, buf, n * sector_size, &error))
			break;
	}
	if (error != NULL && !g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
	    !g_error_matches(error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE))
		g_message("%s: the image stream ends early at LBA %d: %s",
			  job->path,
			  rb_image_producer_get_lba(producer),
			  error->message);
	else if (error != NULL)
		g_debug("%s: production stopped: %s", job->path, error->message);
	else
		g_debug("%s: the image stream is complete", job->path);
	/* the pipe closes here: an early end is what the reader sees */
	rb_image_job_free(job);
	return NULL;
}

/* authorized: read-only from now on, the fds go to the thread */
static void
rb_image_creator_create_authorized(RbImageCreator *self, GDBusMethodInvocation *invocation)
{
	g_autoptr(GError) error = NULL;
	RbImageJob *job;
	gint fds[2];
	guint n_tracks;

	if (self->read_only) {
		rb_image_creator_refuse_read_only(invocation);
		return;
	}
	if (!rb_image_layout_validate(self->layout, &error)) {
		rb_image_creator_return_error(invocation, error);
		return;
	}
	/* the pipe, and a temporary file for a pipe track */
	if (!rb_fd_limit_check(3, &error)) {
		rb_dbus_util_return_error(invocation, error);
		return;
	}
	if (!g_unix_open_pipe(fds, FD_CLOEXEC, &error)) {
		rb_dbus_util_return_error(invocation, error);
		return;
	}
	fcntl(fds[1], F_SETFL, fcntl(fds[1], F_GETFL) | O_NONBLOCK);
	/* fewer wake-ups; the default is fine too */
	(void)fcntl(fds[1], F_SETPIPE_SZ, RB_IMAGE_CREATOR_PIPE_SIZE);

	self->read_only = TRUE;
	rb_image_layout_set_read_only(self->layout);
	job = g_new0(RbImageJob, 1);
	job->layout = rb_image_layout_copy(self->layout);
	n_tracks = rb_image_layout_get_n_tracks(self->layout);
	for (guint i = 0; i < n_tracks; i++) {
		job->tracks[i] = self->tracks[i];
		rb_image_source_init(&self->tracks[i]);
	}
	job->n_tracks = n_tracks;
	job->pregap = self->pregap;
	rb_image_source_init(&self->pregap);
	job->rw = self->rw;
	rb_image_source_init(&self->rw);
	job->pipe_track = self->pipe_track;
	job->leadout_limit = self->leadout_limit;
	job->read_end = fds[0];
	job->write_end = fds[1];
	job->cancellable = g_object_ref(self->cancellable);
	job->invocation = g_object_ref(invocation);
	job->path = g_strdup(self->path);
	self->thread = g_thread_try_new("rb-image", rb_image_job_thread, job, &error);
	if (self->thread == NULL) {
		g_clear_object(&job->invocation);
		rb_image_job_free(job);
		rb_dbus_util_return_error(invocation, error);
	}
}

static gboolean
rb_image_creator_alive(RbImageCreator *self, GDBusMethodInvocation *invocation)
{
	if (!self->closed)
		return TRUE;
	g_dbus_method_invocation_return_error(invocation,
					      G_DBUS_ERROR,
					      G_DBUS_ERROR_UNKNOWN_OBJECT,
					      _("The image creator was closed; create a new one."));
	return FALSE;
}

static gboolean
rb_image_creator_handle_create_result_image(RbRawCDImageCreator *iface,
					    GDBusMethodInvocation *invocation,
					    GUnixFDList *fd_list)
{
	RbImageCreator *self = RB_IMAGE_CREATOR(iface);
	g_autoptr(GError) error = NULL;

	if (self->read_only) {
		rb_image_creator_refuse_read_only(invocation);
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	/* what can be known now is refused before polkit is asked */
	if (!rb_image_layout_validate(self->layout, &error)) {
		rb_image_creator_return_error(invocation, error);
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	rb_auth_map_authorize_then(self->authority,
				   invocation,
				   NULL,
				   G_OBJECT(self),
				   NULL,
				   &self->pending,
				   (RbAuthAliveFunc)rb_image_creator_alive,
				   (RbAuthThenFunc)rb_image_creator_create_authorized);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
rb_image_creator_handle_close(RbRawCDImageCreator *iface, GDBusMethodInvocation *invocation)
{
	RbImageCreator *self = RB_IMAGE_CREATOR(iface);

	if (!rb_image_creator_check_map(invocation))
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	/* the reply first: closing may drop the last reference */
	rb_raw_cdimage_creator_complete_close(iface, invocation);
	rb_image_creator_close(self);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* --- life cycle ---------------------------------------------------------------------------- */

void
rb_image_creator_close(RbImageCreator *self)
{
	g_autoptr(RbImageCreator) keep = NULL;

	g_return_if_fail(RB_IS_IMAGE_CREATOR(self));
	if (self->closed)
		return;
	keep = g_object_ref(self);
	self->closed = TRUE;
	g_debug("closing %s of %s", self->path, self->owner);
	g_clear_handle_id(&self->watch_id, g_bus_unwatch_name);
	for (guint i = 0; i < self->track_objects->len; i++) {
		GDBusInterfaceSkeleton *track = g_ptr_array_index(self->track_objects, i);

		g_dbus_interface_skeleton_unexport(track);
		rb_image_track_object_detach(RB_IMAGE_TRACK_OBJECT(track));
	}
	g_ptr_array_set_size(self->track_objects, 0);
	g_dbus_interface_skeleton_unexport(G_DBUS_INTERFACE_SKELETON(self));
	/* the thread stops at its next wait or read, and never blocks for long */
	g_cancellable_cancel(self->cancellable);
	if (self->thread != NULL)
		g_thread_join(g_steal_pointer(&self->thread));
	for (guint i = 0; i < RB_IMAGE_MAX_TRACKS; i++)
		rb_image_source_clear(&self->tracks[i]);
	rb_image_source_clear(&self->pregap);
	rb_image_source_clear(&self->rw);
	if (self->closed_func != NULL)
		self->closed_func(self, self->closed_data);
}

static void
rb_image_creator_on_owner_vanished(GDBusConnection *connection,
				   const gchar *name,
				   gpointer user_data)
{
	RbImageCreator *self = RB_IMAGE_CREATOR(user_data);

	g_debug("%s: its owner %s left the bus", self->path, name);
	rb_image_creator_close(self);
}

static void
rb_image_creator_dispose(GObject *object)
{
	RbImageCreator *self = RB_IMAGE_CREATOR(object);

	self->closed_func = NULL;
	if (self->track_objects != NULL)
		rb_image_creator_close(self);
	g_clear_pointer(&self->track_objects, g_ptr_array_unref);
	g_clear_object(&self->cancellable);
	g_clear_object(&self->authority);
	g_clear_object(&self->connection);
	G_OBJECT_CLASS(rb_image_creator_parent_class)->dispose(object);
}

static void
rb_image_creator_finalize(GObject *object)
{
	RbImageCreator *self = RB_IMAGE_CREATOR(object);

	g_clear_pointer(&self->layout, rb_image_layout_free);
	g_free(self->path);
	g_free(self->owner);
	G_OBJECT_CLASS(rb_image_creator_parent_class)->finalize(object);
}

static void
rb_image_creator_class_init(RbImageCreatorClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GDBusInterfaceSkeletonClass *skeleton_class = G_DBUS_INTERFACE_SKELETON_CLASS(klass);

	object_class->dispose = rb_image_creator_dispose;
	object_class->finalize = rb_image_creator_finalize;
	skeleton_class->get_vtable = rb_image_creator_get_vtable;
}

static void
rb_image_creator_init(RbImageCreator *self)
{
	self->layout = rb_image_layout_new();
	self->track_objects = g_ptr_array_new_with_free_func(g_object_unref);
	self->cancellable = g_cancellable_new();
	self->pipe_track = -1;
	for (guint i = 0; i < RB_IMAGE_MAX_TRACKS; i++)
		rb_image_source_init(&self->tracks[i]);
	rb_image_source_init(&self->pregap);
	rb_image_source_init(&self->rw);
	rb_raw_cdimage_creator_set_starting_track_number(RB_RAW_CDIMAGE_CREATOR(self), 1);
	g_signal_connect(
		self, "handle-add-track", G_CALLBACK(rb_image_creator_handle_add_track), NULL);
	g_signal_connect(self,
			 "handle-add-special-pregap",
			 G_CALLBACK(rb_image_creator_handle_add_special_pregap),
			 NULL);
	g_signal_connect(self,
			 "handle-add-subcode-rwgenerator",
			 G_CALLBACK(rb_image_creator_handle_add_subcode_rw_generator),
			 NULL);
	g_signal_connect(self,
			 "handle-create-result-image",
			 G_CALLBACK(rb_image_creator_handle_create_result_image),
			 NULL);
	g_signal_connect(self, "handle-close", G_CALLBACK(rb_image_creator_handle_close), NULL);
}

RbImageCreator *
rb_image_creator_new(GDBusConnection *connection,
		     const gchar *object_path,
		     const gchar *owner,
		     RbAuthority *authority,
		     RbImageCreatorClosedFunc closed,
		     gpointer user_data,
		     GError **error)
{
	g_autoptr(RbImageCreator) self = g_object_new(RB_TYPE_IMAGE_CREATOR, NULL);

	self->connection = g_object_ref(connection);
	self->path = g_strdup(object_path);
	self->owner = g_strdup(owner);
	self->authority = g_object_ref(authority);
	rb_image_creator_sync(self);
	if (!g_dbus_interface_skeleton_export(
		    G_DBUS_INTERFACE_SKELETON(self), connection, object_path, error))
		return NULL;
	/* set after the export: a failed one needs no closing */
	self->closed_func = closed;
	self->closed_data = user_data;
	/* unique names never come back: vanishing is final */
	self->watch_id = g_bus_watch_name_on_connection(connection,
							owner,
							G_BUS_NAME_WATCHER_FLAGS_NONE,
							NULL,
							rb_image_creator_on_owner_vanished,
							self,
							NULL);
	return g_steal_pointer(&self);
}

const gchar *
rb_image_creator_get_owner(RbImageCreator *self)
{
	g_return_val_if_fail(RB_IS_IMAGE_CREATOR(self), NULL);
	return self->owner;
}

const gchar *
rb_image_creator_get_path(RbImageCreator *self)
{
	g_return_val_if_fail(RB_IS_IMAGE_CREATOR(self), NULL);
	return self->path;
}
