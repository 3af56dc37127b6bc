/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Values and file descriptors for fuzz-dbus-calls, decoded from the input.
 * Each value starts with a selector byte, so that a few bytes reach the
 * values the daemon compares against: the extremes of each integer type,
 * LBAs of the emulated media, option and property names, media kinds and
 * handles one past the passed fds. The input format is described in
 * tests/fuzz-corpus/README.
 */
#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rb-fuzz-values.h"
#include "rb-fuzz.h"

/* nesting of generated types and values: D-Bus allows 32, a few is enough */
#define RB_FUZZ_MAX_DEPTH 3

guint8
rb_fuzz_input_byte(RbFuzzInput *in)
{
	return in->pos < in->size ? in->data[in->pos++] : 0;
}

guint16
rb_fuzz_input_u16(RbFuzzInput *in)
{
	guint16 high = rb_fuzz_input_byte(in);
	return (guint16)((high << 8) | rb_fuzz_input_byte(in));
}

gsize
rb_fuzz_input_bytes(RbFuzzInput *in, guint8 *out, gsize max)
{
	gsize n = MIN(max, in->size - in->pos);

	memcpy(out, in->data + in->pos, n);
	in->pos += n;
	return n;
}

/* LBAs and counts the daemon and the emulated media compare with: the
 * lead-in starts and last lead-outs of the four media, WriteMedia's default
 * lead-in, the lead-out length, the sector sizes */
static const gint32 rb_fuzz_interesting[] = {
	-22650, 22650, -11634, 11634, -11625, -12525, -11077, 11077, 359849, 332850,
	6750,   -150,  150,    2448,  2368,   96,     16,     75,    -45150, 449999,
};

/* strings a client would send, and a few no client should */
static const gchar *const rb_fuzz_strings[] = {
	"",
	"cd-r-74",
	"cd-r-80",
	"cd-rw-74",
	"cd-rw-80",
	"none",
	"dvd+rw",
	"rawburn-fuzz",
	"Fuzz client 1.0: a;b,c-d_e.f",
	"client/with/slashes",
	"Brennprogramm \xc3\xa4\xc3\xb6\xc3\xbc \xe2\x82\xac \xf0\x9d\x84\x9e",
	"123456789012345678901234567890123456789012345678901234567890123",
	"1234567890123456789012345678901234567890123456789012345678901234",
	"org.rawburn.RawBurn1.Manager",
	"org.rawburn.RawBurn1.Recorder",
	"org.rawburn.RawBurn1.DiscFormat2RawCD",
	"org.rawburn.RawBurn1.VirtualRecorder",
	"org.freedesktop.DBus.Properties",
	"ClientName",
	"Faults",
	"lead-in",
	"full",
	"%s%s%n%x",
	"/dev/sr0",
};

/* a{sv} keys of AddVirtualRecorder, Burn and Faults (and of issue #5-#9
 * options), with the type each expects */
static const struct {
	const gchar *key;
	const gchar *type;
} rb_fuzz_options[] = {
	{"Media", "s"},
	{"MaxSpeed", "u"},
	{"Realtime", "b"},
	{"Name", "s"},
	{"Backing", "h"},
	{"ClientName", "s"},
	{"SectorType", "u"},
	{"BufferUnderrunFreeDisabled", "b"},
	{"WriteSpeed", "i"},
	{"PureCAV", "b"},
	{"StreamLeadInSectors", "i"},
	{"WriteErrorAtLba", "i"},
	{"NotReadyAfterLba", "i"},
	{"NotReadyCount", "u"},
	{"LongWriteSeconds", "u"},
	{"RemoveMediaAtLba", "i"},
	{"TimeoutAtLba", "i"},
	{"CorruptAtLba", "i"},
	{"auth.no_user_interaction", "b"},
	{"Preflight", "s"},
	{"TestWrite", "b"},
	{"Verify", "b"},
	{"FirstLba", "i"},
};

/* an integer of @bits bits, as raw bits */
static guint64
rb_fuzz_int_bits(RbFuzzInput *in, guint bits, gboolean is_signed)
{
	guint64 mask = bits == 64 ? G_MAXUINT64 : (G_GUINT64_CONSTANT(1) << bits) - 1;
	guint64 top = G_GUINT64_CONSTANT(1) << (bits - 1);
	guint64 value = 0;

	switch (rb_fuzz_input_byte(in) % 8) {
	case 0:
		return 0;
	case 1:
		return 1;
	case 2:
		return mask; /* -1, or the unsigned maximum */
	case 3:
		return is_signed ? top : mask - 1; /* the minimum, or the maximum - 1 */
	case 4:
		return is_signed ? top - 1 : top; /* the maximum, or the top bit alone */
	case 5:
		return rb_fuzz_input_byte(in);
	case 6:
		for (guint i = 0; i < bits / 8; i++)
			value = (value << 8) | rb_fuzz_input_byte(in);
		return value;
	default:
		return (guint64)(gint64)rb_fuzz_interesting[rb_fuzz_input_byte(in) %
							    G_N_ELEMENTS(rb_fuzz_interesting)] &
		       mask;
	}
}

/* a handle: mostly an index into the passed fds, else one a broken or
 * hostile client would send */
static gint32
rb_fuzz_handle(RbFuzzValues *ctx)
{
	guint8 selector = rb_fuzz_input_byte(ctx->in);
	gint32 handle;

	switch (selector % 8) {
	case 0:
	case 1:
	case 2:
		handle = selector % 3;
		break;
	case 3:
		handle = -1;
		break;
	case 4:
		handle = G_MININT32;
		break;
	case 5:
		handle = G_MAXINT32;
		break;
	case 6:
		handle = (gint32)ctx->n_fds; /* one past the end */
		break;
	default:
		handle = (gint32)rb_fuzz_int_bits(ctx->in, 32, TRUE);
		break;
	}
	return handle;
}

/* valid UTF-8 without NUL, as D-Bus strings must be */
static gchar *
rb_fuzz_string(RbFuzzInput *in)
{
	guint8 selector = rb_fuzz_input_byte(in);
	guint8 bytes[256];
	gsize len;

	if (selector < 0xC0)
		return g_strdup(rb_fuzz_strings[selector % G_N_ELEMENTS(rb_fuzz_strings)]);
	/* a long one: IMAPI's names stop at 63 characters, D-Bus does not */
	if (selector == 0xFF)
		return g_strnfill(4096 + rb_fuzz_input_byte(in), 'n');
	len = rb_fuzz_input_bytes(in, bytes, rb_fuzz_input_byte(in));
	for (gsize i = 0; i < len; i++) {
		if (bytes[i] == 0)
			bytes[i] = '0';
	}
	return g_utf8_make_valid((const gchar *)bytes, (gssize)len);
}

static GVariant *
rb_fuzz_basic_new(RbFuzzValues *ctx, gchar type)
{
	g_autofree gchar *text = NULL;
	guint8 selector;
	guint64 bits;
	gdouble number;

	switch (type) {
	case 'b':
		return g_variant_new_boolean(rb_fuzz_input_byte(ctx->in) & 1);
	case 'y':
		return g_variant_new_byte(rb_fuzz_input_byte(ctx->in));
	case 'n':
		return g_variant_new_int16((gint16)rb_fuzz_int_bits(ctx->in, 16, TRUE));
	case 'q':
		return g_variant_new_uint16((guint16)rb_fuzz_int_bits(ctx->in, 16, FALSE));
	case 'i':
		return g_variant_new_int32((gint32)rb_fuzz_int_bits(ctx->in, 32, TRUE));
	case 'u':
		return g_variant_new_uint32((guint32)rb_fuzz_int_bits(ctx->in, 32, FALSE));
	case 'x':
		return g_variant_new_int64((gint64)rb_fuzz_int_bits(ctx->in, 64, TRUE));
	case 't':
		return g_variant_new_uint64(rb_fuzz_int_bits(ctx->in, 64, FALSE));
	case 'h':
		return g_variant_new_handle(rb_fuzz_handle(ctx));
	case 'd':
		bits = rb_fuzz_int_bits(ctx->in, 64, FALSE);
		memcpy(&number, &bits, sizeof(number));
		return g_variant_new_double(number);
	case 'o':
		selector = rb_fuzz_input_byte(ctx->in);
		if (selector % (ctx->n_paths + 1) == ctx->n_paths)
			return g_variant_new_object_path(
				"/org/rawburn/RawBurn1/recorders/virtual99");
		return g_variant_new_object_path(ctx->paths[selector % (ctx->n_paths + 1)]);
	case 'g': {
		static const gchar *const signatures[] = {"", "s", "a{sv}", "(ii)", "h", "ao"};
		selector = rb_fuzz_input_byte(ctx->in);
		return g_variant_new_signature(signatures[selector % G_N_ELEMENTS(signatures)]);
	}
	default:
		text = rb_fuzz_string(ctx->in);
		return g_variant_new_string(text);
	}
}

/* a type for a variant's value: mostly basic, sometimes a container */
static gchar *
rb_fuzz_type_string(RbFuzzInput *in, guint depth)
{
	static const gchar basic[] = "ybnqiuxtdsogh";
	guint8 selector = rb_fuzz_input_byte(in) % 20;
	g_autofree gchar *element = NULL;
	g_autofree gchar *value = NULL;
	GString *members;
	guint n;

	if (depth >= RB_FUZZ_MAX_DEPTH)
		selector %= sizeof(basic) - 1;
	if (selector < sizeof(basic) - 1) {
		gchar c = basic[selector];
		return g_strndup(&c, 1);
	}
	switch (selector) {
	case 13:
		return g_strdup("v");
	case 14:
	case 15:
		element = rb_fuzz_type_string(in, depth + 1);
		return g_strconcat("a", element, NULL);
	case 16:
		value = rb_fuzz_type_string(in, depth + 1);
		return g_strdup_printf("a{%c%s}", basic[rb_fuzz_input_byte(in) % 10], value);
	case 19:
		return g_strdup("ay");
	default:
		members = g_string_new("(");
		n = 1 + rb_fuzz_input_byte(in) % 3;
		for (guint i = 0; i < n; i++) {
			g_autofree gchar *member = rb_fuzz_type_string(in, depth + 1);
			g_string_append(members, member);
		}
		g_string_append_c(members, ')');
		return g_string_free(members, FALSE);
	}
}

static GVariant *rb_fuzz_value_new_depth(RbFuzzValues *ctx, const GVariantType *type, guint depth);

/* an a{sv} of options: known keys, mostly with the type they expect */
static GVariant *
rb_fuzz_options_new(RbFuzzValues *ctx, guint depth)
{
	GVariantBuilder builder;
	guint n = rb_fuzz_input_byte(ctx->in) % 5;

	g_variant_builder_init(&builder, G_VARIANT_TYPE_VARDICT);
	for (guint i = 0; i < n; i++) {
		guint8 selector = rb_fuzz_input_byte(ctx->in);
		g_autofree gchar *key = NULL;
		g_autofree gchar *type = NULL;
		GVariant *value;

		if (selector < 0xE0) {
			guint k = selector % G_N_ELEMENTS(rb_fuzz_options);
			key = g_strdup(rb_fuzz_options[k].key);
			if (rb_fuzz_input_byte(ctx->in) % 4 != 0)
				type = g_strdup(rb_fuzz_options[k].type);
		} else {
			key = rb_fuzz_string(ctx->in);
		}
		if (type == NULL)
			type = rb_fuzz_type_string(ctx->in, depth + 1);
		value = rb_fuzz_value_new_depth(ctx, G_VARIANT_TYPE(type), depth + 1);
		g_variant_builder_add(&builder, "{sv}", key, value);
	}
	return g_variant_builder_end(&builder);
}

static GVariant *
rb_fuzz_value_new_depth(RbFuzzValues *ctx, const GVariantType *type, guint depth)
{
	g_autofree gchar *inner = NULL;
	GVariantBuilder builder;
	guint n;

	if (g_variant_type_is_basic(type))
		return rb_fuzz_basic_new(ctx, g_variant_type_peek_string(type)[0]);
	if (g_variant_type_is_variant(type)) {
		inner = rb_fuzz_type_string(ctx->in, depth + 1);
		return g_variant_new_variant(
			rb_fuzz_value_new_depth(ctx, G_VARIANT_TYPE(inner), depth + 1));
	}
	if (g_variant_type_equal(type, G_VARIANT_TYPE_VARDICT))
		return rb_fuzz_options_new(ctx, depth);
	if (g_variant_type_equal(type, G_VARIANT_TYPE_BYTESTRING)) {
		guint8 bytes[256];
		gsize len = rb_fuzz_input_bytes(ctx->in, bytes, rb_fuzz_input_byte(ctx->in));
		return g_variant_new_fixed_array(G_VARIANT_TYPE_BYTE, bytes, len, 1);
	}
	g_variant_builder_init(&builder, type);
	if (g_variant_type_is_array(type)) {
		n = depth < RB_FUZZ_MAX_DEPTH ? rb_fuzz_input_byte(ctx->in) % 4 : 0;
		for (guint i = 0; i < n; i++)
			g_variant_builder_add_value(
				&builder,
				rb_fuzz_value_new_depth(
					ctx, g_variant_type_element(type), depth + 1));
		return g_variant_builder_end(&builder);
	}
	if (g_variant_type_is_dict_entry(type)) {
		g_variant_builder_add_value(
			&builder,
			rb_fuzz_value_new_depth(ctx, g_variant_type_key(type), depth + 1));
		g_variant_builder_add_value(
			&builder,
			rb_fuzz_value_new_depth(ctx, g_variant_type_value(type), depth + 1));
		return g_variant_builder_end(&builder);
	}
	/* a tuple; D-Bus has no maybe types, so the types here have none */
	for (const GVariantType *member = g_variant_type_first(type); member != NULL;
	     member = g_variant_type_next(member))
		g_variant_builder_add_value(&builder,
					    rb_fuzz_value_new_depth(ctx, member, depth + 1));
	return g_variant_builder_end(&builder);
}

GVariant *
rb_fuzz_value_new(RbFuzzValues *ctx, const GVariantType *type)
{
	return rb_fuzz_value_new_depth(ctx, type, 0);
}

GVariant *
rb_fuzz_args_new(RbFuzzValues *ctx, const GDBusArgInfo *const *args)
{
	g_autoptr(GPtrArray) values = g_ptr_array_new();

	for (guint i = 0; args != NULL && args[i] != NULL; i++)
		g_ptr_array_add(values, rb_fuzz_value_new(ctx, G_VARIANT_TYPE(args[i]->signature)));
	return g_variant_new_tuple((GVariant *const *)values->pdata, values->len);
}

GVariant *
rb_fuzz_args_new_from_data(RbFuzzValues *ctx)
{
	g_autofree gchar *type = NULL;
	g_autoptr(GVariant) value = NULL;
	guint8 *bytes = g_malloc(256);
	gsize len;

	type = rb_fuzz_type_string(ctx->in, 0);
	if (type[0] != '(') {
		gchar *tuple = g_strdup_printf("(%s)", type);
		g_free(type);
		type = tuple;
	}
	len = rb_fuzz_input_bytes(ctx->in, bytes, rb_fuzz_input_byte(ctx->in));
	value = g_variant_ref_sink(
		g_variant_new_from_data(G_VARIANT_TYPE(type), bytes, len, FALSE, g_free, bytes));
	/* what a peer could really send: the serialised form of some value */
	return g_variant_get_normal_form(value);
}

/* ---- file descriptors ---- */

typedef enum {
	RB_FUZZ_FD_DEV_NULL,
	RB_FUZZ_FD_PIPE_EOF,     /* a read end whose writer is gone */
	RB_FUZZ_FD_MEMFD,        /* a stream of fuzz bytes, maybe sized in sectors */
	RB_FUZZ_FD_DIRECTORY,    /* readable, but not a stream */
	RB_FUZZ_FD_PATH,         /* O_PATH: neither readable nor writable */
	RB_FUZZ_FD_SOCKET,       /* a stream socket whose peer is gone */
	RB_FUZZ_FD_PIPE_BROKEN,  /* a write end whose reader is gone */
	RB_FUZZ_FD_MEMFD_RDONLY, /* a read-only view of a memfd */
	RB_FUZZ_FD_N_KINDS,
} RbFuzzFdKind;

/* a memfd with fuzz bytes at the start, its size a whole number of sectors
 * of either size, or not */
static gint
rb_fuzz_memfd_new(RbFuzzInput *in)
{
	static const gsize sector_sizes[] = {0, 2448, 2368, 2448};
	guint8 mode = rb_fuzz_input_byte(in) % 4;
	guint sectors = rb_fuzz_input_u16(in) % (RB_FUZZ_MAX_SECTORS + 1);
	guint8 bytes[256];
	gsize len = rb_fuzz_input_bytes(in, bytes, rb_fuzz_input_byte(in));
	gint fd = memfd_create("rawburn-fuzz-stream", MFD_CLOEXEC);
	off_t size = mode == 0 ? (off_t)len : (off_t)(sectors * sector_sizes[mode]);

	rb_fuzz_check(fd >= 0);
	if (mode == 3)
		size += 1;
	rb_fuzz_check(write(fd, bytes, len) == (gssize)len);
	rb_fuzz_check(ftruncate(fd, size) == 0);
	rb_fuzz_check(lseek(fd, 0, SEEK_SET) == 0);
	return fd;
}

/* no descriptor here can block a reader or a writer for ever */
static gint
rb_fuzz_fd_new(RbFuzzInput *in, RbFuzzFdKind *kind)
{
	g_autofree gchar *proc_path = NULL;
	gint fds[2] = {-1, -1};
	gint fd;

	*kind = (RbFuzzFdKind)(rb_fuzz_input_byte(in) % RB_FUZZ_FD_N_KINDS);
	switch (*kind) {
	case RB_FUZZ_FD_PIPE_EOF:
		rb_fuzz_check(pipe2(fds, O_CLOEXEC) == 0);
		close(fds[1]);
		return fds[0];
	case RB_FUZZ_FD_PIPE_BROKEN:
		rb_fuzz_check(pipe2(fds, O_CLOEXEC) == 0);
		close(fds[0]);
		return fds[1];
	case RB_FUZZ_FD_MEMFD:
		return rb_fuzz_memfd_new(in);
	case RB_FUZZ_FD_MEMFD_RDONLY:
		fd = rb_fuzz_memfd_new(in);
		proc_path = g_strdup_printf("/proc/self/fd/%d", fd);
		fds[0] = open(proc_path, O_RDONLY | O_CLOEXEC);
		close(fd);
		rb_fuzz_check(fds[0] >= 0);
		return fds[0];
	case RB_FUZZ_FD_DIRECTORY:
		fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		break;
	case RB_FUZZ_FD_PATH:
		fd = open("/dev/null", O_PATH | O_CLOEXEC);
		break;
	case RB_FUZZ_FD_SOCKET:
		rb_fuzz_check(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) == 0);
		close(fds[1]);
		return fds[0];
	case RB_FUZZ_FD_DEV_NULL:
	default:
		fd = open("/dev/null", O_RDWR | O_CLOEXEC);
		break;
	}
	rb_fuzz_check(fd >= 0);
	return fd;
}

GUnixFDList *
rb_fuzz_fd_list_new(RbFuzzValues *ctx)
{
	guint n = rb_fuzz_input_byte(ctx->in) % 4;
	GUnixFDList *list;

	ctx->n_fds = n;
	if (n == 0)
		return NULL;
	list = g_unix_fd_list_new();
	for (guint i = 0; i < n; i++) {
		RbFuzzFdKind kind = RB_FUZZ_FD_DEV_NULL;
		gint fd = rb_fuzz_fd_new(ctx->in, &kind);

		/* the list keeps a duplicate */
		rb_fuzz_check(g_unix_fd_list_append(list, fd, NULL) == (gint)i);
		close(fd);
	}
	return list;
}
