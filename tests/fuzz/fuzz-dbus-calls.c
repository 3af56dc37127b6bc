/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fuzz target: rawburnd's D-Bus API, the daemon running in this process on
 * a private bus (rb-fuzz-bus.c). Each input is a short program of method
 * calls: to the Manager, the recorders, a removed or bogus object or the
 * root; any member of the four interfaces or of Properties (every property,
 * writable or not, values of the right type or not), Peer, Introspectable
 * and ObjectManager; arguments mostly of the right signature with values
 * from the input, sometimes of a wrong one; 0-3 fds of every kind attached.
 * Calls go out together unless the program waits; a program may also drop
 * its connection. The input fails when the daemon crashes, logs a warning or
 * critical, answers with an error name outside the API, stops answering,
 * keeps a lock of a client that left, or leaks a file descriptor. The input
 * format is in tests/fuzz-corpus/README.
 *
 * RB_FUZZ_DEBUG=1 in the environment prints each call and its reply.
 *
 * The daemon bugs it found (a negative handle reading before the fd list's
 * array, one past it a critical, RemoveVirtualRecorder freeing a recorder
 * under a pending call, any Backing taken) are regression inputs in
 * tests/fuzz-corpus/fuzz-dbus-calls/, replayed by make check.
 */
#include "config.h"

#include "rb-error.h"
#include "rb-fuzz-bus.h"
#include "rb-fuzz-values.h"
#include "rb-fuzz.h"
#include "rb-generated.h"

/* the program's first byte: the number of calls, and whether to be patient
 * (rarely: patient programs take seconds) */
#define RB_FUZZ_MAX_CALLS 8
#define RB_FUZZ_PATIENT 0xF8
/* writes still running this long after the input started are cancelled: a
 * paced recorder or an injected fault could make them last minutes. Even a
 * short burn spends 2 s finishing (the emulated drive's long-write polls),
 * so a write is cancelled as soon as it finishes, unless the program is
 * patient: then it gets 3 s, and the finishing paths are fuzzed too. */
#define RB_FUZZ_CANCEL_AFTER_US (G_USEC_PER_SEC / 2)
#define RB_FUZZ_PATIENT_CANCEL_AFTER_US (3 * G_USEC_PER_SEC)
/* Update's currentAction of a write that is finishing */
#define RB_FUZZ_ACTION_FINISHING 3
#define RB_FUZZ_TICK_MS 100

/* the flags byte of a call */
#define RB_FUZZ_CALL_SYNC 0x01       /* wait for every earlier reply first */
#define RB_FUZZ_CALL_DISCONNECT 0x02 /* drop the connection first */
#define RB_FUZZ_CALL_SHAPE(flags) (((flags) >> 2) & 0x03)
#define RB_FUZZ_SHAPE_WRONG 3
#define RB_FUZZ_CALL_NO_AUTO_START 0x10
#define RB_FUZZ_CALL_INTERACTIVE 0x20

typedef enum {
	RB_FUZZ_METHOD,
	RB_FUZZ_PROPERTY_GET,
	RB_FUZZ_PROPERTY_SET,
	RB_FUZZ_PROPERTY_GET_ALL,
} RbFuzzKind;

typedef struct {
	const gchar *interface;
	const gchar *member;
	const GDBusArgInfo *const *in_args;
	RbFuzzKind kind;
	gboolean changes_state;
} RbFuzzMember;

/* what one input did, for the waits and the reset */
typedef struct {
	guint pending;
	guint pending_writes;
	gchar *last_added;
	gchar *last_removed;
	gboolean dirty;
	gboolean client_left;
	gboolean patient;
	gint64 cancel_at;
	gint64 last_cancel;
} RbFuzzRun;

typedef struct {
	RbFuzzBus *bus;
	GArray *members; /* RbFuzzMember: every member the daemon exports */
	GDBusInterfaceInfo *interfaces[4];
	RbFuzzRun *run; /* the input running, if any */
} RbFuzzWorld;

static RbFuzzWorld rb_fuzz_world;

static void rb_fuzz_subscribe_updates(void);

typedef struct {
	RbFuzzRun *run;
	const RbFuzzMember *member;
	GDBusConnection *connection;
	gchar *path_arg; /* RemoveVirtualRecorder's */
	gboolean is_write;
} RbFuzzCall;

/* ---- the members ---- */

static void
rb_fuzz_world_add(const gchar *interface,
		  const gchar *member,
		  const GDBusArgInfo *const *in_args,
		  RbFuzzKind kind,
		  gboolean changes_state)
{
	RbFuzzMember entry = {interface, member, in_args, kind, changes_state};
	g_array_append_val(rb_fuzz_world.members, entry);
}

/* every method of the four interfaces, from the introspection data the
 * daemon exports: a member added to the XML in dbus/ is fuzzed without a change
 * here; then the standard interfaces every object has */
static void
rb_fuzz_world_init_members(void)
{
	static const gchar *const read_only[] = {"GetRecorders", NULL};

	rb_fuzz_world.interfaces[0] = rb_manager_interface_info();
	rb_fuzz_world.interfaces[1] = rb_recorder_interface_info();
	rb_fuzz_world.interfaces[2] = rb_disc_format2_raw_cd_interface_info();
	rb_fuzz_world.interfaces[3] = rb_virtual_recorder_interface_info();
	rb_fuzz_world.members = g_array_new(FALSE, FALSE, sizeof(RbFuzzMember));
	for (guint i = 0; i < G_N_ELEMENTS(rb_fuzz_world.interfaces); i++) {
		GDBusInterfaceInfo *info = rb_fuzz_world.interfaces[i];
		for (guint m = 0; info->methods != NULL && info->methods[m] != NULL; m++) {
			GDBusMethodInfo *method = info->methods[m];
			rb_fuzz_world_add(info->name,
					  method->name,
					  (const GDBusArgInfo *const *)method->in_args,
					  RB_FUZZ_METHOD,
					  !g_strv_contains(read_only, method->name));
		}
	}
	rb_fuzz_world_add(
		"org.freedesktop.DBus.Properties", "Get", NULL, RB_FUZZ_PROPERTY_GET, FALSE);
	rb_fuzz_world_add(
		"org.freedesktop.DBus.Properties", "Set", NULL, RB_FUZZ_PROPERTY_SET, TRUE);
	rb_fuzz_world_add(
		"org.freedesktop.DBus.Properties", "GetAll", NULL, RB_FUZZ_PROPERTY_GET_ALL, FALSE);
	rb_fuzz_world_add("org.freedesktop.DBus.Peer", "Ping", NULL, RB_FUZZ_METHOD, FALSE);
	rb_fuzz_world_add(
		"org.freedesktop.DBus.Introspectable", "Introspect", NULL, RB_FUZZ_METHOD, FALSE);
	rb_fuzz_world_add("org.freedesktop.DBus.ObjectManager",
			  "GetManagedObjects",
			  NULL,
			  RB_FUZZ_METHOD,
			  FALSE);
}

static void
rb_fuzz_world_stop(void)
{
	rb_fuzz_bus_stop(rb_fuzz_world.bus);
	rb_fuzz_world.bus = NULL;
	g_clear_pointer(&rb_fuzz_world.members, g_array_unref);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	rb_fuzz_world_init_members();
	rb_fuzz_world.bus = rb_fuzz_bus_start();
	rb_fuzz_subscribe_updates();
	/* everything torn down at exit, so that LeakSanitizer sees real leaks only */
	atexit(rb_fuzz_world_stop);
	return 0;
}

/* ---- replies ---- */

/* clients only ever see the API's errors and the standard D-Bus ones, and
 * the API's start with their HRESULT */
static void
rb_fuzz_check_error(const RbFuzzCall *call, GError *error)
{
	g_autofree gchar *name = g_dbus_error_get_remote_error(error);

	if (name == NULL) {
		/* the connection this call went out on was dropped by the program */
		if (call->connection != rb_fuzz_bus_get_client(rb_fuzz_world.bus) &&
		    g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CLOSED))
			return;
		/* random bytes of a 'v' may hold a type D-Bus cannot carry, such as
		 * "()": GDBus refuses to send the call */
		if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT))
			return;
		rb_fuzz_fail("fuzz-dbus-calls: no reply to %s.%s: %s",
			     call->member->interface,
			     call->member->member,
			     error->message);
	}
	if (g_str_has_prefix(name, "org.freedesktop.DBus.Error.")) {
		/* the bus answers these when the daemon has left it */
		rb_fuzz_check(!g_str_equal(name, "org.freedesktop.DBus.Error.ServiceUnknown"));
		rb_fuzz_check(!g_str_equal(name, "org.freedesktop.DBus.Error.NoReply"));
		return;
	}
	if (!g_str_has_prefix(name, RB_DBUS_ERROR_PREFIX)) {
		rb_fuzz_fail("fuzz-dbus-calls: %s.%s failed with %s, which is not in the API: %s",
			     call->member->interface,
			     call->member->member,
			     name,
			     error->message);
	}
	g_dbus_error_strip_remote_error(error);
	rb_fuzz_check(error->domain == RB_ERROR && error->code < RB_ERROR_N_ERRORS);
	{
		g_autofree gchar *hresult =
			g_strdup_printf("0x%08" G_GINT32_MODIFIER "X: ",
					rb_error_get_hresult((RbError)error->code));
		rb_fuzz_check(g_str_has_prefix(error->message, hresult));
	}
}

static void
rb_fuzz_on_reply(GObject *source, GAsyncResult *result, gpointer user_data)
{
	RbFuzzCall *call = user_data;
	RbFuzzRun *run = call->run;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = g_dbus_connection_call_with_unix_fd_list_finish(
		G_DBUS_CONNECTION(source), NULL, result, &error);

	run->pending--;
	if (call->is_write)
		run->pending_writes--;
	if (g_getenv("RB_FUZZ_DEBUG") != NULL) {
		g_autofree gchar *text = reply != NULL ? g_variant_print(reply, FALSE) : NULL;
		fprintf(stderr,
			"%.3f %s.%s -> %s\n",
			(gdouble)(g_get_monotonic_time() % (100 * G_USEC_PER_SEC)) / G_USEC_PER_SEC,
			call->member->interface,
			call->member->member,
			text != NULL ? text : error->message);
	}
	if (reply == NULL) {
		rb_fuzz_check_error(call, error);
	} else if (g_str_equal(call->member->member, "AddVirtualRecorder") &&
		   g_variant_is_of_type(reply, G_VARIANT_TYPE("(o)"))) {
		g_free(run->last_added);
		g_variant_get(reply, "(o)", &run->last_added);
	} else if (g_str_equal(call->member->member, "RemoveVirtualRecorder") &&
		   call->path_arg != NULL) {
		g_free(run->last_removed);
		run->last_removed = g_strdup(call->path_arg);
	}
	g_object_unref(call->connection);
	g_free(call->path_arg);
	g_free(call);
}

static void
rb_fuzz_send(RbFuzzRun *run,
	     const RbFuzzMember *member,
	     const gchar *path,
	     GVariant *parameters,
	     GUnixFDList *fd_list,
	     GDBusCallFlags flags)
{
	RbFuzzCall *call = g_new0(RbFuzzCall, 1);
	GDBusConnection *client = rb_fuzz_bus_get_client(rb_fuzz_world.bus);

	call->run = run;
	call->member = member;
	call->connection = g_object_ref(client);
	call->is_write =
		member->kind == RB_FUZZ_METHOD &&
		(g_str_equal(member->member, "WriteMedia") ||
		 g_str_equal(member->member, "WriteMedia2") || g_str_equal(member->member, "Burn"));
	if (parameters != NULL && g_variant_is_of_type(parameters, G_VARIANT_TYPE("(o)")))
		g_variant_get(parameters, "(o)", &call->path_arg);
	if (g_getenv("RB_FUZZ_DEBUG") != NULL) {
		g_autofree gchar *text =
			parameters != NULL ? g_variant_print(parameters, TRUE) : g_strdup("()");
		fprintf(stderr,
			"%s %s.%s%s, %d fds\n",
			path,
			member->interface,
			member->member,
			text,
			fd_list != NULL ? g_unix_fd_list_get_length(fd_list) : 0);
	}
	run->pending++;
	if (call->is_write)
		run->pending_writes++;
	if (member->changes_state)
		run->dirty = TRUE;
	g_dbus_connection_call_with_unix_fd_list(client,
						 RB_DBUS_NAME,
						 path,
						 member->interface,
						 member->member,
						 parameters,
						 NULL,
						 flags,
						 RB_FUZZ_CALL_TIMEOUT_MS,
						 fd_list,
						 NULL,
						 rb_fuzz_on_reply,
						 call);
}

/* ---- waiting ---- */

static const RbFuzzMember *
rb_fuzz_find_member(const gchar *name)
{
	for (guint i = 0; i < rb_fuzz_world.members->len; i++) {
		const RbFuzzMember *member = &g_array_index(rb_fuzz_world.members, RbFuzzMember, i);
		if (g_str_equal(member->member, name))
			return member;
	}
	rb_fuzz_fail("fuzz-dbus-calls: no member %s", name);
}

/* every recorder asked to stop writing: only the writer's own request works */
static void
rb_fuzz_cancel_writes(RbFuzzRun *run)
{
	g_auto(GStrv) paths = rb_fuzz_bus_dup_recorders(rb_fuzz_world.bus);
	const RbFuzzMember *cancel = rb_fuzz_find_member("CancelWrite");

	for (guint i = 0; paths[i] != NULL; i++)
		rb_fuzz_send(run, cancel, paths[i], NULL, NULL, G_DBUS_CALL_FLAGS_NONE);
	run->last_cancel = g_get_monotonic_time();
}

static gboolean
rb_fuzz_on_tick(gpointer user_data)
{
	RbFuzzRun *run = user_data;
	gint64 now = g_get_monotonic_time();

	if (run->pending_writes > 0 && now >= run->cancel_at &&
	    now - run->last_cancel >= G_USEC_PER_SEC)
		rb_fuzz_cancel_writes(run);
	return G_SOURCE_CONTINUE;
}

/* a write that reached FINISHING has shown what the fuzzer can change */
static void
rb_fuzz_on_update(GDBusConnection *connection,
		  const gchar *sender,
		  const gchar *object_path,
		  const gchar *interface_name,
		  const gchar *signal_name,
		  GVariant *parameters,
		  gpointer user_data)
{
	RbFuzzRun *run = rb_fuzz_world.run;
	guint32 action = 0;

	if (run == NULL || !g_variant_is_of_type(parameters, G_VARIANT_TYPE("(uiiiiiiiii)")))
		return;
	g_variant_get_child(parameters, 0, "u", &action);
	if (action == RB_FUZZ_ACTION_FINISHING && !run->patient)
		rb_fuzz_send(run,
			     rb_fuzz_find_member("CancelWrite"),
			     object_path,
			     NULL,
			     NULL,
			     G_DBUS_CALL_FLAGS_NONE);
}

/* on every client connection, the one after a DISCONNECT too */
static void
rb_fuzz_subscribe_updates(void)
{
	g_dbus_connection_signal_subscribe(rb_fuzz_bus_get_client(rb_fuzz_world.bus),
					   NULL,
					   "org.rawburn.RawBurn1.DiscFormat2RawCD",
					   "Update",
					   NULL,
					   NULL,
					   G_DBUS_SIGNAL_FLAGS_NONE,
					   rb_fuzz_on_update,
					   NULL,
					   NULL);
}

/* @writes_too FALSE: until only writes are left, which a client leaving
 * must be able to interrupt */
static void
rb_fuzz_wait(RbFuzzRun *run, gboolean writes_too)
{
	while (run->pending > (writes_too ? 0 : run->pending_writes))
		g_main_context_iteration(NULL, TRUE);
}

/* ---- one call ---- */

static const gchar *
rb_fuzz_interface_name(guint index)
{
	if (index < G_N_ELEMENTS(rb_fuzz_world.interfaces))
		return rb_fuzz_world.interfaces[index]->name;
	return index == G_N_ELEMENTS(rb_fuzz_world.interfaces) ? "org.freedesktop.DBus.Properties"
							       : "org.rawburn.RawBurn1.Nothing";
}

/* Get(ss), Set(ssv), GetAll(s): any interface, any of its properties or one
 * it lacks, a value of the property's type or of another */
static GVariant *
rb_fuzz_property_args(RbFuzzValues *ctx, RbFuzzKind kind)
{
	guint index = rb_fuzz_input_byte(ctx->in) % (G_N_ELEMENTS(rb_fuzz_world.interfaces) + 2);
	const gchar *interface = rb_fuzz_interface_name(index);
	GDBusPropertyInfo **properties = NULL;
	const gchar *name = "NoSuchProperty";
	const gchar *signature = NULL;
	GVariant *value;
	guint n = 0;
	guint8 selector;

	if (kind == RB_FUZZ_PROPERTY_GET_ALL)
		return g_variant_new("(s)", interface);
	if (index < G_N_ELEMENTS(rb_fuzz_world.interfaces))
		properties = rb_fuzz_world.interfaces[index]->properties;
	while (properties != NULL && properties[n] != NULL)
		n++;
	selector = rb_fuzz_input_byte(ctx->in);
	if (selector % (n + 1) < n) {
		name = properties[selector % (n + 1)]->name;
		signature = properties[selector % (n + 1)]->signature;
	}
	if (kind == RB_FUZZ_PROPERTY_GET)
		return g_variant_new("(ss)", interface, name);
	/* a 'v' value is a variant of a type the input chooses */
	if (signature != NULL && rb_fuzz_input_byte(ctx->in) % 4 != 0)
		value = g_variant_new_variant(rb_fuzz_value_new(ctx, G_VARIANT_TYPE(signature)));
	else
		value = rb_fuzz_value_new(ctx, G_VARIANT_TYPE_VARIANT);
	return g_variant_new("(ss@v)", interface, name, value);
}

static GVariant *
rb_fuzz_right_args(RbFuzzValues *ctx, const RbFuzzMember *member)
{
	if (member->kind != RB_FUZZ_METHOD)
		return rb_fuzz_property_args(ctx, member->kind);
	return rb_fuzz_args_new(ctx, member->in_args);
}

/* a body of another type: random bytes of a random type, one argument too
 * few or too many, or none at all */
static GVariant *
rb_fuzz_wrong_args(RbFuzzValues *ctx, const RbFuzzMember *member)
{
	g_autoptr(GVariant) right = NULL;
	g_autoptr(GPtrArray) values = NULL;
	gsize n;

	switch (rb_fuzz_input_byte(ctx->in) % 3) {
	case 0:
		return rb_fuzz_args_new_from_data(ctx);
	case 1:
		right = g_variant_ref_sink(rb_fuzz_right_args(ctx, member));
		n = g_variant_n_children(right);
		values = g_ptr_array_new_with_free_func((GDestroyNotify)g_variant_unref);
		for (gsize i = 0; i + 1 < n; i++)
			g_ptr_array_add(values, g_variant_get_child_value(right, i));
		if (n == 0)
			g_ptr_array_add(values,
					g_variant_ref_sink(
						g_variant_new_uint32(rb_fuzz_input_byte(ctx->in))));
		return g_variant_new_tuple((GVariant *const *)values->pdata, values->len);
	default:
		return NULL;
	}
}

/* the objects a call can go to; 'o' arguments pick from the same list */
static void
rb_fuzz_paths(RbFuzzRun *run, const gchar *paths[8])
{
	paths[0] = RB_DBUS_MANAGER_PATH;
	paths[1] = rb_fuzz_bus_get_recorder(rb_fuzz_world.bus, 0);
	paths[2] = rb_fuzz_bus_get_recorder(rb_fuzz_world.bus, 1);
	paths[3] =
		run->last_added != NULL ? run->last_added : RB_DBUS_RECORDERS_PATH "/virtual9999";
	paths[4] = run->last_removed != NULL ? run->last_removed : RB_DBUS_RECORDERS_PATH "/gone";
	paths[5] = RB_DBUS_ROOT_PATH;
	paths[6] = RB_DBUS_RECORDERS_PATH;
	paths[7] = "/";
}

static void
rb_fuzz_run_call(RbFuzzRun *run, RbFuzzInput *in)
{
	guint8 flags = rb_fuzz_input_byte(in);
	guint8 target = rb_fuzz_input_byte(in);
	const RbFuzzMember *member =
		&g_array_index(rb_fuzz_world.members,
			       RbFuzzMember,
			       rb_fuzz_input_byte(in) % rb_fuzz_world.members->len);
	g_autoptr(GUnixFDList) fd_list = NULL;
	g_autoptr(GVariant) parameters = NULL;
	GDBusCallFlags call_flags = G_DBUS_CALL_FLAGS_NONE;
	const gchar *paths[8];
	RbFuzzValues ctx = {in, paths, G_N_ELEMENTS(paths), 0};

	if (flags & RB_FUZZ_CALL_DISCONNECT) {
		rb_fuzz_wait(run, FALSE);
		rb_fuzz_bus_reconnect(rb_fuzz_world.bus);
		rb_fuzz_subscribe_updates();
		run->client_left = TRUE;
		run->dirty = TRUE;
	}
	if (flags & RB_FUZZ_CALL_SYNC)
		rb_fuzz_wait(run, TRUE);
	if (flags & RB_FUZZ_CALL_NO_AUTO_START)
		call_flags |= G_DBUS_CALL_FLAGS_NO_AUTO_START;
	if (flags & RB_FUZZ_CALL_INTERACTIVE)
		call_flags |= G_DBUS_CALL_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION;
	rb_fuzz_paths(run, paths);
	fd_list = rb_fuzz_fd_list_new(&ctx);
	if (RB_FUZZ_CALL_SHAPE(flags) == RB_FUZZ_SHAPE_WRONG)
		parameters = rb_fuzz_wrong_args(&ctx, member);
	else
		parameters = rb_fuzz_right_args(&ctx, member);
	/* floating or not (a normal form is not), ours to release */
	if (parameters != NULL)
		g_variant_take_ref(parameters);
	rb_fuzz_send(
		run, member, paths[target % G_N_ELEMENTS(paths)], parameters, fd_list, call_flags);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	RbFuzzInput in = {data, size, 0};
	RbFuzzRun run = {0};
	guint8 header = rb_fuzz_input_byte(&in);
	guint n_calls = 1 + header % RB_FUZZ_MAX_CALLS;
	guint tick_id;

	run.patient = (header & RB_FUZZ_PATIENT) == RB_FUZZ_PATIENT;
	run.cancel_at = g_get_monotonic_time() +
			(run.patient ? RB_FUZZ_PATIENT_CANCEL_AFTER_US : RB_FUZZ_CANCEL_AFTER_US);
	tick_id = g_timeout_add(RB_FUZZ_TICK_MS, rb_fuzz_on_tick, &run);
	rb_fuzz_world.run = &run;
	for (guint i = 0; i < n_calls; i++)
		rb_fuzz_run_call(&run, &in);
	rb_fuzz_wait(&run, TRUE);
	rb_fuzz_world.run = NULL;
	g_source_remove(tick_id);

	if (run.dirty)
		rb_fuzz_bus_reset(rb_fuzz_world.bus, run.client_left);
	rb_fuzz_bus_check(rb_fuzz_world.bus);
	g_free(run.last_added);
	g_free(run.last_removed);
	return 0;
}
