/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The RawCDImageCreator interface (IMAPI2's IRawCDImageCreator): one object
 * per Manager.CreateImageCreator call, owned by the caller's connection and
 * by nobody else, holding an RbImageLayout and the descriptors its tracks
 * are read from. This file has the object and its life cycle, the checks of
 * who may call and the dispatch of methods and properties; the properties,
 * the descriptors and CreateResultImage's producer thread (cancelled when
 * the creator goes; it owns what it uses and ends by itself) have their own.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbImageCreator"

#include <glib/gi18n.h>

#include "rb-auth-map.h"
#include "rb-dbus-util.h"
#include "rb-error.h"
#include "rb-image-creator-private.h"
#include "rb-image-track-object.h"

G_DEFINE_TYPE(RbImageCreator, rb_image_creator, RB_TYPE_RAW_CDIMAGE_CREATOR_SKELETON)

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

	if (g_strcmp0(interface_name, RB_DBUS_PROPERTIES_INTERFACE) == 0) {
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

/* --- dispatch ------------------------------------------------------------------------------- */

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
	/* the thread owns its job (layout, descriptors, invocation) and ends at
	 * its next wait; it is not joined here: a read of a track on a stalled
	 * file system would block the main loop with it */
	g_cancellable_cancel(self->cancellable);
	g_clear_pointer(&self->thread, g_thread_unref);
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
