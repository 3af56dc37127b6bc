/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The files the service installs besides its programs: the systemd unit,
 * the D-Bus activation file, the bus policy and the polkit actions.
 */
#include "config.h"

#include <glib/gstdio.h>

#include "rb-auth-map.h"
#include "rb-test-service.h"

static gchar *
rb_read_built(const gchar *relative)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *path = g_build_filename(rb_test_get_builddir(), relative, NULL);
	gchar *contents = NULL;

	ck_assert_msg(g_file_get_contents(path, &contents, NULL, &error),
		      "%s",
		      error ? error->message : "");
	return contents;
}

START_TEST(test_data_systemd_unit_verifies)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *unit = rb_read_built("systemd/rawburnd.service");
	g_autofree gchar *tmpdir = g_dir_make_tmp("rawburn-unit-XXXXXX", &error);
	g_autofree gchar *copy = g_build_filename(tmpdir, "rawburnd.service", NULL);
	g_autoptr(GRegex) exec = g_regex_new("^ExecStart=.*$", G_REGEX_MULTILINE, 0, NULL);
	g_autofree gchar *exec_line = g_strdup_printf("ExecStart=%s", rb_test_get_rawburnd());
	g_autofree gchar *local_unit = NULL;
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	const gchar *argv[] = {"systemd-analyze", "verify", copy, NULL};

	ck_assert(strstr(unit, "\nType=dbus\n") != NULL);
	ck_assert(strstr(unit, "\nBusName=org.rawburn.RawBurn1\n") != NULL);
	ck_assert(strstr(unit, "\nDeviceAllow=block-sr rw\n") != NULL);
	ck_assert(strstr(unit, "\nRestrictAddressFamilies=AF_UNIX AF_NETLINK\n") != NULL);
	ck_assert(strstr(unit, "\nProtectSystem=strict\n") != NULL);
	ck_assert(strstr(unit, "\nPrivateNetwork=yes\n") != NULL);
	ck_assert(strstr(unit, "\nNoNewPrivileges=yes\n") != NULL);
	/* rawburnd refuses work before it runs out of descriptors; the unit
	 * sets how many it has */
	ck_assert(strstr(unit, "\nLimitNOFILE=") != NULL);
	ck_assert(strstr(unit, "@libexecdir@") == NULL);

	/* verify checks that ExecStart exists: point it at the built daemon */
	local_unit = g_regex_replace_literal(exec, unit, -1, 0, exec_line, 0, NULL);
	ck_assert(g_file_set_contents(copy, local_unit, -1, &error));
	ck_assert_msg(
		rb_test_run(argv, NULL, &out, &err) == 0, "systemd-analyze verify: %s%s", out, err);
	g_unlink(copy);
	g_rmdir(tmpdir);
}
END_TEST

START_TEST(test_data_activation_file)
{
	g_autoptr(GKeyFile) keys = g_key_file_new();
	g_autoptr(GError) error = NULL;
	g_autofree gchar *path =
		g_build_filename(rb_test_get_builddir(), "dbus/org.rawburn.RawBurn1.service", NULL);
	g_autofree gchar *name = NULL;
	g_autofree gchar *exec = NULL;
	g_autofree gchar *unit = NULL;

	ck_assert_msg(g_key_file_load_from_file(keys, path, G_KEY_FILE_NONE, &error),
		      "%s",
		      error ? error->message : "");
	name = g_key_file_get_string(keys, "D-BUS Service", "Name", NULL);
	exec = g_key_file_get_string(keys, "D-BUS Service", "Exec", NULL);
	unit = g_key_file_get_string(keys, "D-BUS Service", "SystemdService", NULL);
	ck_assert_str_eq(name, "org.rawburn.RawBurn1");
	ck_assert_str_eq(unit, "rawburnd.service");
	ck_assert(g_path_is_absolute(exec));
	ck_assert(g_str_has_suffix(exec, "/rawburnd"));
}
END_TEST

START_TEST(test_data_polkit_actions)
{
	g_autofree gchar *policy = rb_read_built("dbus/org.rawburn.policy");

	/* the defaults of the contract's authorization map */
	const gchar *const expected[][4] = {
		{"org.rawburn.burn", "auth_admin", "auth_admin", "yes"},
		{"org.rawburn.manage-virtual", "auth_admin", "auth_admin", "auth_admin"},
		{"org.rawburn.cancel-other", "auth_admin", "auth_admin", "auth_admin"},
	};
	gsize n_rules = 0;
	const RbAuthRule *rules = rb_auth_map_get_rules(&n_rules);

	for (guint i = 0; i < G_N_ELEMENTS(expected); i++) {
		g_autofree gchar *pattern = g_strdup_printf(
			"<action id=\"%s\">.*?<allow_any>%s</allow_any>\\s*"
			"<allow_inactive>%s</allow_inactive>\\s*<allow_active>%s</allow_active>",
			expected[i][0],
			expected[i][1],
			expected[i][2],
			expected[i][3]);
		ck_assert_msg(g_regex_match_simple(pattern, policy, G_REGEX_DOTALL, 0),
			      "%s: not the defaults %s/%s/%s",
			      expected[i][0],
			      expected[i][1],
			      expected[i][2],
			      expected[i][3]);
	}
	/* every action the daemon asks for exists, or polkit refuses it */
	for (gsize i = 0; i < n_rules; i++) {
		g_autofree gchar *element = NULL;

		if (rules[i].action_id == NULL)
			continue;
		element = g_strdup_printf("<action id=\"%s\">", rules[i].action_id);
		ck_assert_msg(strstr(policy, element) != NULL, "%s is not in the policy", element);
	}
	/* translations are merged at build time */
	ck_assert_msg(strstr(policy, "xml:lang=\"de\"") != NULL,
		      "no German messages in the policy");
}
END_TEST

START_TEST(test_data_bus_policy)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *path =
		g_build_filename(RB_TEST_ABS_SRCDIR, "dbus/org.rawburn.RawBurn1.conf", NULL);
	g_autofree gchar *conf = NULL;

	ck_assert(g_file_get_contents(path, &conf, NULL, &error));
	ck_assert(
		strstr(conf, "<policy user=\"root\">\n    <allow own=\"org.rawburn.RawBurn1\"/>") !=
		NULL);
	/* no blanket allow: only the service's interfaces and the standard ones */
	ck_assert(strstr(conf, "send_interface=\"org.rawburn.RawBurn1.DiscFormat2RawCD\"") != NULL);
	ck_assert(strstr(conf, "<allow send_destination=\"org.rawburn.RawBurn1\"/>") == NULL);
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("data-files");
	TCase *tc = tcase_create("data-files");

	tcase_set_timeout(tc, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_test(tc, test_data_systemd_unit_verifies);
	tcase_add_test(tc, test_data_activation_file);
	tcase_add_test(tc, test_data_polkit_actions);
	tcase_add_test(tc, test_data_bus_policy);
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
