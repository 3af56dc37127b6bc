/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How rawburnctl fails: one exit status per failure class, the service's
 * error said in the user's language with its own message as the detail,
 * and with --json one object on standard output naming the error. The
 * table of every D-Bus name first, then each class against a daemon on a
 * private bus, one of them in German.
 */
#include "config.h"

#include <glib/gstdio.h>

#include "rb-ctl-errors.h"
#include "rb-ctl.h"
#include "rb-error.h"
#include "rb-test-client.h"
#include "rb-test-service.h"
#include "rb-test-tools.h"

#define RB_VIRTUAL0 "/org/rawburn/RawBurn1/recorders/virtual0"
#define RB_FORMAT "org.rawburn.RawBurn1.DiscFormat2RawCD"

typedef struct {
	const gchar *name;
	int exit_status;
	const gchar *message_part; /* of the sentence the client says */
} RbErrorCase;

static const RbErrorCase rb_error_cases[] = {
	{RB_DBUS_ERROR_PREFIX "NotAuthorized", RB_CTL_EXIT_NOT_AUTHORIZED, "Not authorized"},
	{"org.freedesktop.DBus.Error.AccessDenied", RB_CTL_EXIT_NOT_AUTHORIZED, "D-Bus policy"},
	{RB_DBUS_ERROR_PREFIX "Locked", RB_CTL_EXIT_BUSY, "Another client holds"},
	{RB_DBUS_ERROR_PREFIX "WriteInProgress", RB_CTL_EXIT_BUSY, "A write is in progress"},
	{RB_DBUS_ERROR_PREFIX "MediaBusy", RB_CTL_EXIT_BUSY, "busy"},
	{RB_DBUS_ERROR_PREFIX "MediaNoMedia", RB_CTL_EXIT_MEDIUM, "no medium"},
	{RB_DBUS_ERROR_PREFIX "MediaIsNotBlank", RB_CTL_EXIT_MEDIUM, "not blank"},
	{RB_DBUS_ERROR_PREFIX "EraseMediaIsNotErasable", RB_CTL_EXIT_MEDIUM, "not erasable"},
	{RB_DBUS_ERROR_PREFIX "RequestCancelled", RB_CTL_EXIT_CANCELLED, "cancelled"},
	{RB_DBUS_ERROR_PREFIX "BurnVerificationFailed", RB_CTL_EXIT_VERIFY_FAILED, "read back"},
	{RB_DBUS_ERROR_PREFIX "DeviceGone", RB_CTL_EXIT_NOT_FOUND, "gone"},
	{RB_DBUS_ERROR_PREFIX "StreamInvalid", RB_CTL_EXIT_DATAERR, "not a valid raw"},
	{RB_DBUS_ERROR_PREFIX "StreamLeadinTooShort", RB_CTL_EXIT_DATAERR, "lead-in"},
	{RB_DBUS_ERROR_PREFIX "TestWriteNotSupported", EXIT_FAILURE, "simulate"},
	{"org.freedesktop.DBus.Error.ServiceUnknown", RB_CTL_EXIT_UNREACHABLE, "not running"},
	{"org.freedesktop.DBus.Error.NameHasNoOwner", RB_CTL_EXIT_UNREACHABLE, "not running"},
	{"org.freedesktop.DBus.Error.NoReply", RB_CTL_EXIT_UNREACHABLE, "stopped answering"},
	{"org.freedesktop.DBus.Error.InvalidArgs", RB_CTL_EXIT_USAGE, "refused a value"},
	{"org.freedesktop.DBus.Error.LimitsExceeded", EXIT_FAILURE, "limits"},
	/* a newer service's name: its own words, exit 1 */
	{"org.rawburn.RawBurn1.Error.SomethingNew", EXIT_FAILURE, "0xC0AA06FF: the service says"},
};

/* a reply's error as GDBus makes it: the name, then the service's message */
START_TEST(test_ctl_errors_table)
{
	const RbErrorCase *c = &rb_error_cases[_i];
	g_autoptr(GError) error = NULL;
	g_autoptr(RbCtlFailure) failure = NULL;

	rb_error_quark();
	error = g_dbus_error_new_for_dbus_error(c->name, "0xC0AA06FF: the service says");
	failure = rb_ctl_failure_new(error, EXIT_FAILURE);
	ck_assert_str_eq(failure->name, c->name);
	ck_assert_int_eq(failure->exit_status, c->exit_status);
	ck_assert_msg(strstr(failure->message, c->message_part) != NULL,
		      "%s: “%s” lacks “%s”",
		      c->name,
		      failure->message,
		      c->message_part);
	/* the detail is the service's message, without the name GDBus put before it */
	if (g_str_has_suffix(c->name, "SomethingNew"))
		ck_assert_ptr_null(failure->detail);
	else
		ck_assert_str_eq(failure->detail, "0xC0AA06FF: the service says");
}
END_TEST

/* every error the service sends has a sentence of its own; the stripped
 * error of a registered domain keeps its name */
START_TEST(test_ctl_errors_every_name)
{
	for (guint i = 0; i < RB_ERROR_N_ERRORS; i++) {
		g_autoptr(GError) error = rb_error_new((RbError)i, "the detail");
		g_autoptr(RbCtlFailure) failure = rb_ctl_failure_new(error, EXIT_FAILURE);

		ck_assert_str_eq(failure->name, rb_error_get_dbus_name((RbError)i));
		ck_assert_str_eq(failure->message, rb_error_get_description((RbError)i));
		ck_assert_ptr_nonnull(failure->detail);
		ck_assert_int_ne(failure->exit_status, EXIT_SUCCESS);
	}
}
END_TEST

/* rawburnctl with @args and @envp (NULL: the service's), which must exit
 * with @status; its standard output and error */
static void
rb_ctl_expect(RbTestService *service,
	      gchar **envp,
	      const gchar *const *args,
	      gint status,
	      gchar **out,
	      gchar **err)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_auto(GStrv) env = envp != NULL ? g_strdupv(envp) : rb_test_service_get_environ(service);
	gint got;

	g_ptr_array_add(argv, (gpointer)rb_test_get_rawburnctl());
	g_ptr_array_add(argv, (gpointer) "--session");
	for (guint i = 0; args[i] != NULL; i++)
		g_ptr_array_add(argv, (gpointer)args[i]);
	g_ptr_array_add(argv, NULL);
	got = rb_test_run((const gchar *const *)argv->pdata, env, out, err);
	ck_assert_msg(got == status,
		      "rawburnctl %s: exit %d, not %d: %s%s",
		      args[0],
		      got,
		      status,
		      *out,
		      *err);
}

/* with --json: one object on standard output, its name and exit status */
static void
rb_ctl_expect_json(RbTestService *service,
		   const gchar *const *args,
		   gint status,
		   const gchar *name,
		   const gchar *message_part)
{
	g_autoptr(GPtrArray) json_args = g_ptr_array_new();
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *summary = NULL;
	g_autofree gchar *want = g_strdup_printf("%s %d", name, status);
	g_autofree gchar *message = NULL;

	g_ptr_array_add(json_args, (gpointer) "--json");
	for (guint i = 0; args[i] != NULL; i++)
		g_ptr_array_add(json_args, (gpointer)args[i]);
	g_ptr_array_add(json_args, NULL);
	rb_ctl_expect(service, NULL, (const gchar *const *)json_args->pdata, status, &out, &err);
	summary = rb_test_json_query(out, "'%s %d' % (d['error'], d['exit'])");
	ck_assert_str_eq(summary, want);
	message = rb_test_json_query(out, "d['message']");
	ck_assert_msg(strstr(message, message_part) != NULL, "%s", out);
	ck_assert_msg(err[0] == '\0', "standard error: %s", err);
}

static gchar *
rb_write_raw_image(RbTestService *service)
{
	g_autofree gchar *zeros = g_malloc0(300 * 2448);

	return rb_test_service_write_file(service, "image.raw", zeros, 300 * 2448, 0644);
}

/* another client holds the recorder: 5, in English and in German */
START_TEST(test_ctl_errors_locked)
{
	const gchar *const recorder[] = {
		"--virtual-recorder", "media=cd-r-80,realtime=false", NULL};
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(RbTestClient) holder = NULL;
	g_autofree gchar *image = rb_write_raw_image(service);
	const gchar *const burn[] = {"burn", "virtual0", image, NULL};
	g_autofree gchar *locale_dir = g_build_filename(service->tmpdir, "de", "LC_MESSAGES", NULL);
	g_autofree gchar *mo = g_build_filename(locale_dir, GETTEXT_PACKAGE ".mo", NULL);
	g_autofree gchar *gmo = g_build_filename(RB_TEST_ABS_SRCDIR, "po", "de.gmo", NULL);
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *out_de = NULL;
	g_autofree gchar *err_de = NULL;
	g_auto(GStrv) envp = NULL;
	gchar *message = NULL;

	rb_test_service_start_daemon(service, recorder);
	holder = rb_test_client_new(service);
	rb_test_client_wait_for_drive(holder, RB_VIRTUAL0);
	rb_test_assert_ok(rb_test_client_set(holder,
					     RB_VIRTUAL0,
					     RB_FORMAT,
					     "ClientName",
					     g_variant_new_string("Holder"),
					     &message),
			  &message);
	rb_test_assert_ok(
		rb_test_client_call(
			holder, RB_VIRTUAL0, RB_FORMAT, "PrepareMedia", NULL, NULL, &message),
		&message);

	rb_ctl_expect(service, NULL, burn, RB_CTL_EXIT_BUSY, &out, &err);
	ck_assert_msg(g_str_has_prefix(err,
				       "rawburnctl: Another client holds the recorder; wait until "
				       "it releases the medium.\nDetails: 0xC0AA0210: "),
		      "%s",
		      err);
	/* the service's detail: who holds it */
	ck_assert_msg(strstr(err, "“Holder” holds the recorder") != NULL, "%s", err);
	rb_ctl_expect_json(
		service, burn, RB_CTL_EXIT_BUSY, RB_DBUS_ERROR_PREFIX "Locked", "Another client");

	/* the build's German translations, laid out as installed; a build
	 * without msgfmt has none to check */
	if (g_file_test(gmo, G_FILE_TEST_EXISTS)) {
		g_autofree gchar *contents = NULL;
		g_autofree gchar *de = g_path_get_dirname(locale_dir);
		gsize length = 0;

		ck_assert_int_eq(g_mkdir_with_parents(locale_dir, 0755), 0);
		ck_assert(g_file_get_contents(gmo, &contents, &length, NULL));
		ck_assert(g_file_set_contents(mo, contents, (gssize)length, NULL));
		envp = rb_test_service_get_environ(service);
		envp = g_environ_setenv(envp, "LANGUAGE", "de", TRUE);
		envp = g_environ_setenv(envp, "RAWBURN_LOCALEDIR", service->tmpdir, TRUE);
		rb_ctl_expect(service, envp, burn, RB_CTL_EXIT_BUSY, &out_de, &err_de);
		g_unlink(mo);
		g_rmdir(locale_dir);
		g_rmdir(de);
		ck_assert_msg(
			g_str_has_prefix(err_de,
					 "rawburnctl: Ein anderer Client belegt den Brenner; "),
			"%s",
			err_de);
		/* the service's own words stay in its language */
		ck_assert_msg(strstr(err_de, "\nEinzelheiten: 0xC0AA0210: “Holder” holds") != NULL,
			      "%s",
			      err_de);
	}
	rb_test_service_stop_daemon(service);
}
END_TEST

/* no medium: 6 */
START_TEST(test_ctl_errors_no_medium)
{
	const gchar *const recorder[] = {"--virtual-recorder", "media=none", NULL};
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autofree gchar *image = rb_write_raw_image(service);
	const gchar *const burn[] = {"burn", "virtual0", image, NULL};
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;

	rb_test_service_start_daemon(service, recorder);
	rb_ctl_expect(service, NULL, burn, RB_CTL_EXIT_MEDIUM, &out, &err);
	ck_assert_msg(strstr(err, "There is no medium in the recorder") != NULL, "%s", err);
	ck_assert_msg(strstr(err, "Details: 0xC0AA0202: ") != NULL, "%s", err);
	rb_ctl_expect_json(service,
			   burn,
			   RB_CTL_EXIT_MEDIUM,
			   RB_DBUS_ERROR_PREFIX "MediaNoMedia",
			   "no medium");
	rb_test_service_stop_daemon(service);
}
END_TEST

/* failures before the service: a bad image 65, a missing one 66, an
 * unknown recorder 9, a wrong command line 2 */
START_TEST(test_ctl_errors_local)
{
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autofree gchar *bad =
		rb_test_service_write_file(service, "bad.cue", "GARBAGE\n", -1, 0644);
	g_autofree gchar *missing = g_build_filename(service->tmpdir, "missing.cue", NULL);
	g_autofree gchar *image = rb_write_raw_image(service);
	const gchar *const burn_bad[] = {"burn", "virtual0", bad, NULL};
	const gchar *const burn_missing[] = {"burn", "virtual0", missing, NULL};
	const gchar *const burn_nowhere[] = {"burn", "sr9", image, NULL};
	/* not UTF-8: the JSON line must stay valid all the same */
	const gchar *const burn_latin1[] = {"burn", "sr\xe9", image, NULL};
	const gchar *const usage[] = {"burn", "virtual0", NULL};
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;

	rb_test_service_start_daemon(service, NULL);
	rb_ctl_expect(service, NULL, burn_bad, RB_CTL_EXIT_DATAERR, &out, &err);
	ck_assert_msg(strstr(err, "bad.cue") != NULL, "%s", err);
	rb_ctl_expect_json(service,
			   burn_bad,
			   RB_CTL_EXIT_DATAERR,
			   RB_CTL_ERROR_PREFIX "ImageError",
			   "bad.cue");
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	rb_ctl_expect(service, NULL, burn_missing, RB_CTL_EXIT_NOINPUT, &out, &err);
	ck_assert_msg(strstr(err, "missing.cue") != NULL, "%s", err);
	rb_ctl_expect_json(service,
			   burn_missing,
			   RB_CTL_EXIT_NOINPUT,
			   RB_CTL_ERROR_PREFIX "InputError",
			   "missing.cue");
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	rb_ctl_expect(service, NULL, burn_nowhere, RB_CTL_EXIT_NOT_FOUND, &out, &err);
	ck_assert_msg(strstr(err, "No recorder “sr9”") != NULL, "%s", err);
	rb_ctl_expect_json(service,
			   burn_nowhere,
			   RB_CTL_EXIT_NOT_FOUND,
			   RB_CTL_ERROR_PREFIX "NoSuchRecorder",
			   "sr9");
	rb_ctl_expect_json(service,
			   burn_latin1,
			   RB_CTL_EXIT_NOT_FOUND,
			   RB_CTL_ERROR_PREFIX "NoSuchRecorder",
			   "sr\xef\xbf\xbd");
	rb_ctl_expect_json(
		service, usage, RB_CTL_EXIT_USAGE, RB_CTL_ERROR_PREFIX "UsageError", "RECORDER");
	rb_test_service_stop_daemon(service);
}
END_TEST

/* a bus without rawburnd: 3 */
START_TEST(test_ctl_errors_service_absent)
{
	const gchar *const list[] = {"list", NULL};
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;

	rb_ctl_expect(service, NULL, list, RB_CTL_EXIT_UNREACHABLE, &out, &err);
	ck_assert_msg(strstr(err, "not running on the session bus") != NULL, "%s", err);
	rb_ctl_expect_json(service,
			   list,
			   RB_CTL_EXIT_UNREACHABLE,
			   "org.freedesktop.DBus.Error.ServiceUnknown",
			   "rawburnd --session");
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("ctl-errors");
	TCase *tc = tcase_create("ctl-errors");

	tcase_set_timeout(tc, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_loop_test(tc, test_ctl_errors_table, 0, G_N_ELEMENTS(rb_error_cases));
	tcase_add_test(tc, test_ctl_errors_every_name);
	tcase_add_test(tc, test_ctl_errors_locked);
	tcase_add_test(tc, test_ctl_errors_no_medium);
	tcase_add_test(tc, test_ctl_errors_local);
	tcase_add_test(tc, test_ctl_errors_service_absent);
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
