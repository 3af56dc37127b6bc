/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * rawburnctl against a daemon on a private bus: text and JSON output and
 * its errors.
 */
#include "config.h"

#include "rb-test-service.h"

static gint
rb_run_ctl(RbTestService *service, const gchar *const *args, gchar **out, gchar **err)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_auto(GStrv) envp = rb_test_service_get_environ(service);

	g_ptr_array_add(argv, (gpointer)rb_test_get_rawburnctl());
	g_ptr_array_add(argv, (gpointer) "--session");
	for (guint i = 0; args[i] != NULL; i++)
		g_ptr_array_add(argv, (gpointer)args[i]);
	g_ptr_array_add(argv, NULL);
	return rb_test_run((const gchar *const *)argv->pdata, envp, out, err);
}

/* JSON is checked by a real parser: python3 prints what the test compares */
static gchar *
rb_json_query(const gchar *json, const gchar *expression)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GSubprocess) python = NULL;
	g_autofree gchar *program = g_strdup_printf(
		"import json, sys\nd = json.load(sys.stdin)\nprint(%s)\n", expression);
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;

	python = g_subprocess_new(G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
					  G_SUBPROCESS_FLAGS_STDERR_PIPE,
				  &error,
				  "python3",
				  "-c",
				  program,
				  NULL);
	ck_assert_msg(python != NULL, "python3: %s", error ? error->message : "");
	ck_assert(g_subprocess_communicate_utf8(python, json, NULL, &out, &err, &error));
	ck_assert_msg(g_subprocess_get_if_exited(python) &&
			      g_subprocess_get_exit_status(python) == 0,
		      "not valid JSON (%s): %s",
		      err,
		      json);
	g_strchomp(out);
	return g_steal_pointer(&out);
}

static const gchar *const rb_two_recorders[] = {"--virtual-recorder",
						"media=cd-rw-80",
						"--virtual-recorder",
						"media=none,name=Spare",
						NULL};

START_TEST(test_ctl_list)
{
	const gchar *const args[] = {"list", NULL};
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_auto(GStrv) lines = NULL;

	rb_test_service_start_daemon(service, rb_two_recorders);
	ck_assert_int_eq(rb_run_ctl(service, args, &out, &err), 0);
	lines = g_strsplit(out, "\n", -1);
	ck_assert_uint_eq(g_strv_length(lines), 4); /* heading, two recorders, "" */
	ck_assert(g_str_has_prefix(lines[0], "RECORDER"));
	ck_assert(g_str_has_prefix(lines[1], "virtual0"));
	ck_assert(strstr(lines[1], "CD-RW") != NULL);
	ck_assert(g_str_has_prefix(lines[2], "virtual1"));
	ck_assert(strstr(lines[2], "Spare") != NULL);
	ck_assert(strstr(lines[2], "none") != NULL);
	rb_test_service_stop_daemon(service);
}
END_TEST

START_TEST(test_ctl_list_json)
{
	const gchar *const args[] = {"--json", "list", NULL};
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *summary = NULL;

	rb_test_service_start_daemon(service, rb_two_recorders);
	ck_assert_int_eq(rb_run_ctl(service, args, &out, &err), 0);
	summary =
		rb_json_query(out,
			      "';'.join('%s,%s,%s,%s,%d' % (r['name'], r['object'], r['product'], "
			      "r['mediaPresent'], r['mediaType']) for r in d)");
	ck_assert_str_eq(summary,
			 "virtual0,/org/rawburn/RawBurn1/recorders/virtual0,Virtual CD-RW,True,3;"
			 "virtual1,/org/rawburn/RawBurn1/recorders/virtual1,Spare,False,0");
	rb_test_service_stop_daemon(service);
}
END_TEST

START_TEST(test_ctl_list_empty_json)
{
	const gchar *const args[] = {"list", "--json", NULL};
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *count = NULL;

	rb_test_service_start_daemon(service, NULL);
	ck_assert_int_eq(rb_run_ctl(service, args, &out, &err), 0);
	count = rb_json_query(out, "len(d)");
	ck_assert_str_eq(count, "0");
	rb_test_service_stop_daemon(service);
}
END_TEST

START_TEST(test_ctl_info)
{
	const gchar *const by_name[] = {"info", "virtual1", NULL};
	const gchar *const by_path[] = {"info", "/org/rawburn/RawBurn1/recorders/virtual1", NULL};
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autofree gchar *out = NULL;
	g_autofree gchar *out_path = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *err_path = NULL;

	rb_test_service_start_daemon(service, rb_two_recorders);
	ck_assert_int_eq(rb_run_ctl(service, by_name, &out, &err), 0);
	ck_assert(g_str_has_prefix(out, "virtual1 (/org/rawburn/RawBurn1/recorders/virtual1)\n"));
	ck_assert(strstr(out, "ProductId") != NULL && strstr(out, "'Spare'") != NULL);
	ck_assert(strstr(out, "DiscFormat2RawCD:") != NULL);
	ck_assert(strstr(out, "LastPossibleStartOfLeadout") != NULL);
	ck_assert(strstr(out, "VirtualRecorder:") != NULL);
	ck_assert_int_eq(rb_run_ctl(service, by_path, &out_path, &err_path), 0);
	ck_assert_str_eq(out, out_path);
	rb_test_service_stop_daemon(service);
}
END_TEST

START_TEST(test_ctl_info_json)
{
	const gchar *const args[] = {"--json", "info", "virtual0", NULL};
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *summary = NULL;

	rb_test_service_start_daemon(service, rb_two_recorders);
	ck_assert_int_eq(rb_run_ctl(service, args, &out, &err), 0);
	summary = rb_json_query(
		out,
		"'%s %s %d %d %s %d %d' % (d['name'], d['Recorder']['VendorId'], "
		"d['DiscFormat2RawCD']['CurrentPhysicalMediaType'], "
		"d['DiscFormat2RawCD']['RequestedWriteSpeed'], "
		"d['Recorder']['MediaPresent'], len(d['Recorder']), len(d['DiscFormat2RawCD']))");
	ck_assert_str_eq(summary, "virtual0 RAWBURN 3 -1 True 12 20");
	rb_test_service_stop_daemon(service);
}
END_TEST

START_TEST(test_ctl_unknown_recorder)
{
	const gchar *const args[] = {"info", "sr9", NULL};
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;

	rb_test_service_start_daemon(service, rb_two_recorders);
	ck_assert_int_eq(rb_run_ctl(service, args, &out, &err), 1);
	ck_assert_msg(strstr(err, "No recorder “sr9”") != NULL, "%s", err);
	ck_assert(strstr(err, "rawburnctl list") != NULL);
	rb_test_service_stop_daemon(service);
}
END_TEST

/* the bus is there, the service is not */
START_TEST(test_ctl_service_absent)
{
	const gchar *const args[] = {"list", NULL};
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;

	ck_assert_int_eq(rb_run_ctl(service, args, &out, &err), 1);
	ck_assert_msg(strstr(err, "not running on the session bus") != NULL, "%s", err);
	ck_assert(strstr(err, "rawburnd --session") != NULL);
	ck_assert_str_eq(out, "");
}
END_TEST

typedef struct {
	const gchar *args[3];
	const gchar *message_part;
} RbCtlUsage;

static const RbCtlUsage rb_ctl_usages[] = {
	{{NULL}, "no command"},
	{{"frobnicate"}, "unknown command “frobnicate”"},
	{{"info"}, "needs one RECORDER"},
	{{"info", "a", "b"}, "needs one RECORDER"},
	{{"list", "extra"}, "takes no arguments"},
	{{"--colour"}, "rawburnctl --help"},
};

START_TEST(test_ctl_usage_errors)
{
	const RbCtlUsage *usage = &rb_ctl_usages[_i];
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;

	rb_test_service_start_daemon(service, NULL);
	ck_assert_int_eq(rb_run_ctl(service, usage->args, &out, &err), 2);
	ck_assert_msg(strstr(err, usage->message_part) != NULL,
		      "stderr “%s” lacks “%s”",
		      err,
		      usage->message_part);
	rb_test_service_stop_daemon(service);
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("rawburnctl");
	TCase *tc = tcase_create("rawburnctl");

	tcase_set_timeout(tc, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_test(tc, test_ctl_list);
	tcase_add_test(tc, test_ctl_list_json);
	tcase_add_test(tc, test_ctl_list_empty_json);
	tcase_add_test(tc, test_ctl_info);
	tcase_add_test(tc, test_ctl_info_json);
	tcase_add_test(tc, test_ctl_unknown_recorder);
	tcase_add_test(tc, test_ctl_service_absent);
	tcase_add_loop_test(tc, test_ctl_usage_errors, 0, G_N_ELEMENTS(rb_ctl_usages));
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
