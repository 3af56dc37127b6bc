/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The description of a virtual recorder, as given to --virtual-recorder
 * ("media=cd-r-80,speed=48,realtime=false,test-write=false,name=Test") or, later, to
 * Manager.AddVirtualRecorder.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
	RB_VIRTUAL_MEDIA_NONE,
	RB_VIRTUAL_MEDIA_CD_R_74,
	RB_VIRTUAL_MEDIA_CD_R_80,
	RB_VIRTUAL_MEDIA_CD_RW_74,
	RB_VIRTUAL_MEDIA_CD_RW_80,
} RbVirtualMedia;

#define RB_VIRTUAL_SPEED_DEFAULT 48
#define RB_VIRTUAL_SPEED_MAX 52

typedef struct {
	RbVirtualMedia media;
	guint max_speed;
	gboolean realtime;
	/* whether the drive claims test writing (the Test Write bit of feature
	 * 002Eh and page 2Ah) and takes page 05h with it; without it, a drive
	 * refuses a simulation as real drives without the feature do */
	gboolean test_write;
	gchar *name;
	gint backing_fd; /* the disc's file, owned by the spec; -1: an anonymous one */
} RbVirtualSpec;

RbVirtualSpec *rb_virtual_spec_new(void);
RbVirtualSpec *rb_virtual_spec_parse(const gchar *text, GError **error);
void rb_virtual_spec_free(RbVirtualSpec *spec);

gboolean rb_virtual_media_from_string(const gchar *text, RbVirtualMedia *media, GError **error);
const gchar *rb_virtual_media_to_string(RbVirtualMedia media);
guint rb_virtual_media_get_imapi_type(RbVirtualMedia media);
gboolean rb_virtual_spec_check_name(const gchar *value, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RbVirtualSpec, rb_virtual_spec_free)

G_END_DECLS
