/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What fuzz-dbus-calls builds from its input bytes: D-Bus values of a given
 * type (with the extremes and the option names the daemon cares about),
 * values of a type the input chooses, and lists of file descriptors of every
 * kind a client can pass. Running out of input gives zeros, never an error.
 */
#pragma once

#include <gio/gio.h>
#include <gio/gunixfdlist.h>

G_BEGIN_DECLS

typedef struct {
	const guint8 *data;
	gsize size;
	gsize pos;
} RbFuzzInput;

guint8 rb_fuzz_input_byte(RbFuzzInput *in);
guint16 rb_fuzz_input_u16(RbFuzzInput *in);
/* up to @max bytes, as many as the input still has */
gsize rb_fuzz_input_bytes(RbFuzzInput *in, guint8 *out, gsize max);

/* the largest stream a memfd holds, in sectors: a burn of it ends quickly */
#define RB_FUZZ_MAX_SECTORS 16384

typedef struct {
	RbFuzzInput *in;
	const gchar *const *paths; /* object paths for 'o' values */
	guint n_paths;
	guint n_fds; /* handles index the call's fd list */
} RbFuzzValues;

GVariant *rb_fuzz_value_new(RbFuzzValues *ctx, const GVariantType *type);
/* a tuple of the method's in-arguments, or of @signature ("(...)") */
GVariant *rb_fuzz_args_new(RbFuzzValues *ctx, const GDBusArgInfo *const *args);
/* a tuple of a type the input chooses, its bytes straight from the input
 * (g_variant_new_from_data, normalised) */
GVariant *rb_fuzz_args_new_from_data(RbFuzzValues *ctx);

/* 0-3 fds, NULL for none; sets @ctx's n_fds */
GUnixFDList *rb_fuzz_fd_list_new(RbFuzzValues *ctx);

G_END_DECLS
