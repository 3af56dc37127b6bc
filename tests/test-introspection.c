/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the running daemon introspects must be the installed contract, member
 * for member: methods and their arguments, signals, properties and access.
 */
#include "config.h"

#include <fcntl.h>
#include <gio/gunixfdlist.h>
#include <unistd.h>

#include "rb-error.h"
#include "rb-auth-map.h"
#include "rb-test-service.h"

static GDBusNodeInfo *
rb_introspect(RbTestService *service, const gchar *path)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = NULL;
	const gchar *xml = NULL;
	GDBusNodeInfo *node;

	reply = g_dbus_connection_call_sync(service->connection,
					    RB_DBUS_NAME,
					    path,
					    "org.freedesktop.DBus.Introspectable",
					    "Introspect",
					    NULL,
					    G_VARIANT_TYPE("(s)"),
					    G_DBUS_CALL_FLAGS_NONE,
					    -1,
					    NULL,
					    &error);
	ck_assert_msg(reply != NULL, "Introspect %s: %s", path, error ? error->message : "");
	g_variant_get(reply, "(&s)", &xml);
	node = g_dbus_node_info_new_for_xml(xml, &error);
	ck_assert_msg(
		node != NULL, "Introspect %s gave bad XML: %s", path, error ? error->message : "");
	return node;
}

static GDBusInterfaceInfo *
rb_load_contract(const gchar *interface_name, GDBusNodeInfo **node_out)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *file =
		g_strdup_printf("%s/%s.xml", rb_test_get_dbus_xml_dir(), interface_name);
	g_autofree gchar *xml = NULL;

	ck_assert_msg(
		g_file_get_contents(file, &xml, NULL, &error), "%s", error ? error->message : "");
	*node_out = g_dbus_node_info_new_for_xml(xml, &error);
	ck_assert_msg(*node_out != NULL, "%s: %s", file, error ? error->message : "");
	ck_assert_ptr_nonnull((*node_out)->interfaces[0]);
	ck_assert_ptr_null((*node_out)->interfaces[1]);
	ck_assert_str_eq((*node_out)->interfaces[0]->name, interface_name);
	return (*node_out)->interfaces[0];
}

static guint
rb_count(gpointer *array)
{
	guint n = 0;
	while (array != NULL && array[n] != NULL)
		n++;
	return n;
}

static void
rb_assert_args_equal(const gchar *where, GDBusArgInfo **live, GDBusArgInfo **contract)
{
	ck_assert_msg(rb_count((gpointer *)live) == rb_count((gpointer *)contract),
		      "%s: %u arguments live, %u in the contract",
		      where,
		      rb_count((gpointer *)live),
		      rb_count((gpointer *)contract));
	for (guint i = 0; contract != NULL && contract[i] != NULL; i++) {
		ck_assert_msg(g_strcmp0(live[i]->name, contract[i]->name) == 0,
			      "%s: argument %u is %s, contract says %s",
			      where,
			      i,
			      live[i]->name,
			      contract[i]->name);
		ck_assert_msg(g_strcmp0(live[i]->signature, contract[i]->signature) == 0,
			      "%s: argument %s has type %s, contract says %s",
			      where,
			      contract[i]->name,
			      live[i]->signature,
			      contract[i]->signature);
	}
}

static void
rb_assert_interface_equal(GDBusInterfaceInfo *live, GDBusInterfaceInfo *contract)
{
	ck_assert_uint_eq(rb_count((gpointer *)live->methods),
			  rb_count((gpointer *)contract->methods));
	for (guint i = 0; contract->methods != NULL && contract->methods[i] != NULL; i++) {
		GDBusMethodInfo *want = contract->methods[i];
		GDBusMethodInfo *got = g_dbus_interface_info_lookup_method(live, want->name);
		g_autofree gchar *in = g_strdup_printf("%s.%s (in)", contract->name, want->name);
		g_autofree gchar *out = g_strdup_printf("%s.%s (out)", contract->name, want->name);

		ck_assert_msg(got != NULL, "method %s.%s missing", contract->name, want->name);
		rb_assert_args_equal(in, got->in_args, want->in_args);
		rb_assert_args_equal(out, got->out_args, want->out_args);
	}

	ck_assert_uint_eq(rb_count((gpointer *)live->signals),
			  rb_count((gpointer *)contract->signals));
	for (guint i = 0; contract->signals != NULL && contract->signals[i] != NULL; i++) {
		GDBusSignalInfo *want = contract->signals[i];
		GDBusSignalInfo *got = g_dbus_interface_info_lookup_signal(live, want->name);
		g_autofree gchar *where =
			g_strdup_printf("signal %s.%s", contract->name, want->name);

		ck_assert_msg(got != NULL, "%s missing", where);
		rb_assert_args_equal(where, got->args, want->args);
	}

	ck_assert_uint_eq(rb_count((gpointer *)live->properties),
			  rb_count((gpointer *)contract->properties));
	for (guint i = 0; contract->properties != NULL && contract->properties[i] != NULL; i++) {
		GDBusPropertyInfo *want = contract->properties[i];
		GDBusPropertyInfo *got = g_dbus_interface_info_lookup_property(live, want->name);

		ck_assert_msg(got != NULL, "property %s.%s missing", contract->name, want->name);
		ck_assert_msg(g_strcmp0(got->signature, want->signature) == 0,
			      "property %s has type %s, contract says %s",
			      want->name,
			      got->signature,
			      want->signature);
		ck_assert_msg(got->flags == want->flags,
			      "property %s has access %d, contract says %d",
			      want->name,
			      got->flags,
			      want->flags);
	}
}

/* every org.rawburn interface on @path equals its contract, and the set is @expected */
static void
rb_assert_object_matches(RbTestService *service, const gchar *path, const gchar *const *expected)
{
	g_autoptr(GDBusNodeInfo) live = rb_introspect(service, path);
	guint n_rawburn = 0;

	for (guint i = 0; live->interfaces[i] != NULL; i++) {
		GDBusInterfaceInfo *iface = live->interfaces[i];
		g_autoptr(GDBusNodeInfo) contract_node = NULL;

		if (!g_str_has_prefix(iface->name, "org.rawburn."))
			continue;
		n_rawburn++;
		ck_assert_msg(g_strv_contains(expected, iface->name),
			      "%s: unexpected interface %s",
			      path,
			      iface->name);
		rb_assert_interface_equal(iface, rb_load_contract(iface->name, &contract_node));
	}
	ck_assert_uint_eq(n_rawburn, g_strv_length((gchar **)expected));
}

START_TEST(test_introspection_matches_contract)
{
	const gchar *const args[] = {
		"--virtual-recorder", "media=cd-r-80", "--virtual-recorder", "media=none", NULL};
	const gchar *const manager_ifaces[] = {"org.rawburn.RawBurn1.Manager", NULL};
	const gchar *const recorder_ifaces[] = {"org.rawburn.RawBurn1.Recorder",
						"org.rawburn.RawBurn1.DiscFormat2RawCD",
						"org.rawburn.RawBurn1.DiscFormat2Erase",
						"org.rawburn.RawBurn1.VirtualRecorder",
						NULL};
	const gchar *const creator_ifaces[] = {"org.rawburn.RawBurn1.RawCDImageCreator", NULL};
	const gchar *const track_ifaces[] = {"org.rawburn.RawBurn1.RawCDImageTrackInfo", NULL};
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(GVariant) creator = NULL;
	g_autoptr(GVariant) track = NULL;
	g_autoptr(GUnixFDList) fds = g_unix_fd_list_new();
	g_autofree gchar *file = NULL;
	const gchar *creator_path = NULL;
	g_autofree gchar *track_path = NULL;
	gint fd;

	rb_test_service_start_daemon(service, args);
	rb_assert_object_matches(service, RB_DBUS_MANAGER_PATH, manager_ifaces);
	/* an image creator with a track: the introspection is anyone's to read */
	creator = g_dbus_connection_call_sync(service->connection,
					      RB_DBUS_NAME,
					      RB_DBUS_MANAGER_PATH,
					      "org.rawburn.RawBurn1.Manager",
					      "CreateImageCreator",
					      NULL,
					      G_VARIANT_TYPE("(o)"),
					      G_DBUS_CALL_FLAGS_NONE,
					      -1,
					      NULL,
					      NULL);
	ck_assert_ptr_nonnull(creator);
	g_variant_get(creator, "(&o)", &creator_path);
	file = rb_test_service_write_file(service, "track.raw", "", 0, 0644);
	ck_assert(truncate(file, 300 * 2352) == 0);
	fd = open(file, O_RDONLY | O_CLOEXEC);
	ck_assert_int_eq(g_unix_fd_list_append(fds, fd, NULL), 0);
	close(fd);
	track = g_dbus_connection_call_with_unix_fd_list_sync(
		service->connection,
		RB_DBUS_NAME,
		creator_path,
		"org.rawburn.RawBurn1.RawCDImageCreator",
		"AddTrack",
		g_variant_new("(uh)", 0, 0),
		G_VARIANT_TYPE("(i)"),
		G_DBUS_CALL_FLAGS_NONE,
		-1,
		fds,
		NULL,
		NULL,
		NULL);
	ck_assert_ptr_nonnull(track);
	track_path = g_strdup_printf("%s/tracks/1", creator_path);
	rb_assert_object_matches(service, creator_path, creator_ifaces);
	rb_assert_object_matches(service, track_path, track_ifaces);
	rb_assert_object_matches(service, RB_DBUS_RECORDERS_PATH "/virtual0", recorder_ifaces);
	rb_assert_object_matches(service, RB_DBUS_RECORDERS_PATH "/virtual1", recorder_ifaces);
	rb_test_service_stop_daemon(service);
}
END_TEST

START_TEST(test_introspection_object_tree)
{
	const gchar *const args[] = {"--virtual-recorder", "media=cd-rw-80", NULL};
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(GDBusNodeInfo) root = NULL;
	g_autoptr(GDBusNodeInfo) recorders = NULL;
	gboolean has_manager = FALSE;
	gboolean has_recorders = FALSE;

	rb_test_service_start_daemon(service, args);
	root = rb_introspect(service, RB_DBUS_ROOT_PATH);
	ck_assert_ptr_nonnull(
		g_dbus_node_info_lookup_interface(root, "org.freedesktop.DBus.ObjectManager"));
	for (guint i = 0; root->nodes[i] != NULL; i++) {
		has_manager |= g_strcmp0(root->nodes[i]->path, "Manager") == 0;
		has_recorders |= g_strcmp0(root->nodes[i]->path, "recorders") == 0;
	}
	ck_assert(has_manager);
	ck_assert(has_recorders);
	recorders = rb_introspect(service, RB_DBUS_RECORDERS_PATH);
	ck_assert_ptr_nonnull(recorders->nodes[0]);
	ck_assert_str_eq(recorders->nodes[0]->path, "virtual0");
	ck_assert_ptr_null(recorders->nodes[1]);
	rb_test_service_stop_daemon(service);
}
END_TEST

static void
rb_assert_well_formed(const gchar *name)
{
	g_autofree gchar *file = g_strdup_printf("%s/%s.xml", rb_test_get_dbus_xml_dir(), name);
	const gchar *argv[] = {"xmllint", "--noout", file, NULL};
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;

	ck_assert_msg(
		rb_test_run(argv, NULL, &out, &err) == 0, "%s is not well-formed: %s", file, err);
}

/* the four files are the contract: each must parse and name its interface.
 * GMarkup forgives what expat (gdbus-codegen, other languages' bindings)
 * refuses, such as "--" inside a comment: a strict parser reads them too */
START_TEST(test_introspection_contract_files)
{
	const gchar *names[] = {"org.rawburn.RawBurn1.Manager",
				"org.rawburn.RawBurn1.Recorder",
				"org.rawburn.RawBurn1.DiscFormat2RawCD",
				"org.rawburn.RawBurn1.VirtualRecorder",
				"org.rawburn.RawBurn1.RawCDImageCreator",
				"org.rawburn.RawBurn1.RawCDImageTrackInfo",
				"org.rawburn.RawBurn1.DiscFormat2Erase"};
	/* 0.2 adds DiscFormat2RawCD's Preflight and TestWrite properties and
	 * VerifyMedia, VirtualRecorder's LoadDisc and FinishingMilliseconds,
	 * Manager's CreateImageCreator, the image creator's two interfaces
	 * and DiscFormat2Erase */
	const guint n_members[] = {4 + 2, 2 + 12, 7 + 1 + 21 + 2, 4 + 3, 5 + 10, 2 + 8, 1 + 1 + 4};

	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		g_autoptr(GDBusNodeInfo) node = NULL;
		GDBusInterfaceInfo *iface = rb_load_contract(names[i], &node);
		guint n = rb_count((gpointer *)iface->methods) +
			  rb_count((gpointer *)iface->signals) +
			  rb_count((gpointer *)iface->properties);
		ck_assert_msg(n == n_members[i],
			      "%s has %u members, dbus-api.md lists %u",
			      names[i],
			      n,
			      n_members[i]);
		rb_assert_well_formed(names[i]);
	}
}
END_TEST

/* the authorization map names every method and writable property of the
 * contract, and nothing else: a member added to the XML without a rule
 * would be refused at run time, so this fails first */
START_TEST(test_introspection_auth_map_complete)
{
	const gchar *names[] = {"org.rawburn.RawBurn1.Manager",
				"org.rawburn.RawBurn1.Recorder",
				"org.rawburn.RawBurn1.DiscFormat2RawCD",
				"org.rawburn.RawBurn1.VirtualRecorder",
				"org.rawburn.RawBurn1.RawCDImageCreator",
				"org.rawburn.RawBurn1.RawCDImageTrackInfo",
				"org.rawburn.RawBurn1.DiscFormat2Erase",
				"org.rawburn.RawBurn1.Job"};
	gsize n_rules = 0;
	const RbAuthRule *rules = rb_auth_map_get_rules(&n_rules);
	guint n_covered = 0;

	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		g_autoptr(GDBusNodeInfo) node = NULL;
		GDBusInterfaceInfo *iface = rb_load_contract(names[i], &node);

		for (guint m = 0; iface->methods[m] != NULL; m++) {
			ck_assert_msg(rb_auth_map_lookup(
					      names[i], iface->methods[m]->name, FALSE) != NULL,
				      "%s.%s is not on the authorization map",
				      names[i],
				      iface->methods[m]->name);
			n_covered++;
		}
		for (guint p = 0; iface->properties[p] != NULL; p++) {
			const GDBusPropertyInfo *property = iface->properties[p];
			gboolean writable =
				(property->flags & G_DBUS_PROPERTY_INFO_FLAGS_WRITABLE) != 0;

			ck_assert_msg((rb_auth_map_lookup(names[i], property->name, TRUE) !=
				       NULL) == writable,
				      "%s.%s: writable %d, but the map says otherwise",
				      names[i],
				      property->name,
				      writable);
			n_covered += writable ? 1 : 0;
		}
	}
	/* no stale rules for members that are gone */
	ck_assert_uint_eq(n_covered, n_rules);
	/* the actions are those of the policy file */
	for (gsize i = 0; i < n_rules; i++) {
		ck_assert(rules[i].action_id == NULL ||
			  g_str_has_prefix(rules[i].action_id, "org.rawburn."));
		ck_assert((rules[i].action_id == NULL) == (rules[i].message == NULL));
	}
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("introspection");
	TCase *tc = tcase_create("introspection");

	tcase_set_timeout(tc, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_test(tc, test_introspection_contract_files);
	tcase_add_test(tc, test_introspection_auth_map_complete);
	tcase_add_test(tc, test_introspection_matches_contract);
	tcase_add_test(tc, test_introspection_object_tree);
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
