/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the parts of the RawCDImageCreator implementation share:
 * rb-image-creator.c (the object, its life cycle, who may call, the dispatch),
 * rb-image-creator-properties.c (the properties and the error mapping),
 * rb-image-creator-sources.c (the kept descriptors: AddTrack,
 * AddSpecialPregap, AddSubcodeRWGenerator) and rb-image-job.c
 * (CreateResultImage and its producer thread).
 */
#pragma once

#include "rb-image-creator.h"

G_BEGIN_DECLS

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

/* rb-image-creator-sources.c */
void rb_image_source_init(RbImageSource *source);
void rb_image_source_clear(RbImageSource *source);
/* a whole number of sectors of @sector_size, or InvalidArgs */
gboolean
rb_image_creator_count_sectors(guint64 size, gsize sector_size, guint32 *n_sectors, GError **error);
gboolean rb_image_creator_handle_add_track(RbRawCDImageCreator *iface,
					   GDBusMethodInvocation *invocation,
					   GUnixFDList *fd_list,
					   guint sector_type,
					   GVariant *handle);
gboolean rb_image_creator_handle_add_special_pregap(RbRawCDImageCreator *iface,
						    GDBusMethodInvocation *invocation,
						    GUnixFDList *fd_list,
						    GVariant *handle);
gboolean rb_image_creator_handle_add_subcode_rw_generator(RbRawCDImageCreator *iface,
							  GDBusMethodInvocation *invocation,
							  GUnixFDList *fd_list,
							  GVariant *handle);

/* rb-image-creator-properties.c */
void rb_image_creator_refuse_read_only(GDBusMethodInvocation *invocation);
/* Properties.Set, once the owner and the map let it through */
void rb_image_creator_set_property(RbImageCreator *self, GDBusMethodInvocation *invocation);

/* rb-image-job.c */
/* CreateResultImage, authorized: read-only from now on, the fds go to the thread */
void rb_image_creator_create_authorized(RbImageCreator *self, GDBusMethodInvocation *invocation);

G_END_DECLS
