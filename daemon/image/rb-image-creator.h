/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rb-authority.h"
#include "rb-generated.h"
#include "rb-image-layout.h"

G_BEGIN_DECLS

/* IMAPI's limit is 99 tracks; a connection may keep this many creators */
#define RB_IMAGE_CREATOR_MAX_PER_CONNECTION 8
#define RB_DBUS_IMAGE_CREATORS_PATH "/org/rawburn/RawBurn1/image_creators"

#define RB_TYPE_IMAGE_CREATOR (rb_image_creator_get_type())
G_DECLARE_FINAL_TYPE(
	RbImageCreator, rb_image_creator, RB, IMAGE_CREATOR, RbRawCDImageCreatorSkeleton)

/* called once, on the main thread, when the creator closes (Close(), its
 * owner gone, the service stopping): the owner of the object lets it go */
typedef void (*RbImageCreatorClosedFunc)(RbImageCreator *creator, gpointer user_data);

RbImageCreator *rb_image_creator_new(GDBusConnection *connection,
				     const gchar *object_path,
				     const gchar *owner,
				     RbAuthority *authority,
				     RbImageCreatorClosedFunc closed,
				     gpointer user_data,
				     GError **error);
const gchar *rb_image_creator_get_owner(RbImageCreator *self);
const gchar *rb_image_creator_get_path(RbImageCreator *self);
/* unexports, stops production (waits for its thread), closes the fds */
void rb_image_creator_close(RbImageCreator *self);

/* for the track objects */
RbImageLayout *rb_image_creator_get_layout(RbImageCreator *self);
gboolean rb_image_creator_is_read_only(RbImageCreator *self);
void rb_image_creator_sync(RbImageCreator *self);
/* FALSE, with AccessDenied sent, when @invocation is not the owner's */
gboolean rb_image_creator_check_owner(RbImageCreator *self, GDBusMethodInvocation *invocation);
/* Properties.Get/GetAll answered from @skeleton's values; FALSE for Set */
gboolean rb_image_creator_handle_property_read(GDBusInterfaceSkeleton *skeleton,
					       const gchar *method_name,
					       GVariant *parameters,
					       GDBusMethodInvocation *invocation);
/* the D-Bus error for an image core error (RB_IMAGE_ERROR) or any other */
void rb_image_creator_return_error(GDBusMethodInvocation *invocation, const GError *error);
/* whether the authorization map lets @invocation through without asking
 * polkit (TRUE) or refuses it (FALSE, reply sent): the map fails closed */
gboolean rb_image_creator_check_map(GDBusMethodInvocation *invocation);

G_END_DECLS
