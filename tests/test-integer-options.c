/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Integer options of any integer type: busctl and gdbus users type "x" or
 * "q" where the contract says "i" or "u", and a value that fits is taken
 * as it is; one that does not, or a string, is InvalidArgs naming the
 * option, its range and the value. Booleans stay "b" only.
 */
#include "config.h"

#include <fcntl.h>

#include "rb-test-client.h"
#include "rb-test-service.h"

#define RB_VIRTUAL0 "/org/rawburn/RawBurn1/recorders/virtual0"

/* no medium: options that pass end with MediaNoMedia, after their check */
static const gchar *const rb_args[] = {"--virtual-recorder", "media=none,realtime=false", NULL};

typedef struct {
	const gchar *method;
	const gchar *options;
	const gchar *error;         /* the call's error name */
	const gchar *message_parts; /* "|"-separated, all in the message; NULL: none */
} RbIntegerCase;

static const RbIntegerCase rb_integer_cases[] = {
	/* wider and narrower types than the contract's, the value fitting */
	{"Burn",
	 "{'WriteSpeed': <int64 1764>, 'StreamLeadInSectors': <uint16 22650>}",
	 RB_TEST_ERROR("MediaNoMedia"),
	 NULL},
	{"Burn",
	 "{'WriteSpeed': <byte 0x10>, 'SectorType': <uint64 2>, 'StreamLeadInSectors': <int16 "
	 "-22650>}",
	 RB_TEST_ERROR("MediaNoMedia"),
	 NULL},
	{"Burn", "{'WriteSpeed': <int64 -1>}", RB_TEST_ERROR("MediaNoMedia"), NULL},
	/* values that do not fit the option's range */
	{"Burn",
	 "{'WriteSpeed': <uint32 4294967295>}",
	 RB_TEST_INVALID_ARGS,
	 "“WriteSpeed”|-1 to 2147483647|not 4294967295"},
	{"Burn", "{'SectorType': <int32 -1>}", RB_TEST_INVALID_ARGS, "“SectorType”|1 to 3|not -1"},
	{"Burn",
	 "{'StreamLeadInSectors': <uint64 18446744073709551615>}",
	 RB_TEST_INVALID_ARGS,
	 "“StreamLeadInSectors”|not 18446744073709551615"},
	{"Burn",
	 "{'StreamLeadInSectors': <int64 -2147483649>}",
	 RB_TEST_INVALID_ARGS,
	 "“StreamLeadInSectors”|not -2147483649"},
	/* not integers at all */
	{"Burn", "{'WriteSpeed': <'fast'>}", RB_TEST_INVALID_ARGS, "“WriteSpeed”|“s”"},
	{"Burn", "{'WriteSpeed': <1764.0>}", RB_TEST_INVALID_ARGS, "“WriteSpeed”|“d”"},
	/* a flag is a boolean, not a number */
	{"Burn", "{'Verify': <1>}", RB_TEST_INVALID_ARGS, "“Verify”|“b”"},
	{"VerifyMedia",
	 "{'StreamLeadInSectors': <uint32 4294967295>}",
	 RB_TEST_INVALID_ARGS,
	 "“StreamLeadInSectors”|not 4294967295"},
};

START_TEST(test_integer_options_burn)
{
	const RbIntegerCase *c = &rb_integer_cases[_i];
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(RbTestClient) client = NULL;
	g_autoptr(GUnixFDList) fds = NULL;
	g_autofree gchar *name = NULL;
	g_autofree gchar *message = NULL;
	gint null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	ck_assert_int_ge(null_fd, 0);
	rb_test_service_start_daemon(service, rb_args);
	client = rb_test_client_new(service);
	fds = rb_test_fd_list_new(null_fd);
	close(null_fd);
	name = rb_test_client_call(client,
				   RB_VIRTUAL0,
				   RB_TEST_FORMAT,
				   c->method,
				   g_variant_new("(h@a{sv})", 0, g_variant_new_parsed(c->options)),
				   fds,
				   &message);
	ck_assert_msg(g_strcmp0(name, c->error) == 0,
		      "%s %s: %s (%s), not %s",
		      c->method,
		      c->options,
		      name,
		      message,
		      c->error);
	if (c->message_parts != NULL) {
		g_auto(GStrv) parts = g_strsplit(c->message_parts, "|", -1);

		for (guint i = 0; parts[i] != NULL; i++)
			ck_assert_msg(strstr(message, parts[i]) != NULL,
				      "“%s” lacks “%s”",
				      message,
				      parts[i]);
	}
	rb_test_service_stop_daemon(service);
}
END_TEST

/* the virtual recorder's faults: LBAs (i) and counts (u) of any integer type */
START_TEST(test_integer_options_faults)
{
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(RbTestClient) client = NULL;
	g_autofree gchar *wide = NULL;
	g_autofree gchar *negative = NULL;
	g_autofree gchar *flag = NULL;
	g_autofree gchar *message = NULL;
	g_autoptr(GVariant) faults = NULL;
	gint64 lba = 0;

	rb_test_service_start_daemon(service, rb_args);
	client = rb_test_client_new(service);
	rb_test_client_set_faults(
		client, RB_VIRTUAL0, "{'CorruptAtLba': <int64 123>, 'NotReadyCount': <byte 2>}");
	faults = rb_test_client_get(client, RB_VIRTUAL0, RB_TEST_VIRTUAL, "Faults");
	/* the property holds what the client wrote */
	ck_assert(g_variant_lookup(faults, "CorruptAtLba", "x", &lba));
	ck_assert_int_eq(lba, 123);

	wide = rb_test_client_set(client,
				  RB_VIRTUAL0,
				  RB_TEST_VIRTUAL,
				  "Faults",
				  g_variant_new_parsed("{'CorruptAtLba': <uint32 4294967295>}"),
				  &message);
	ck_assert_str_eq(wide, RB_TEST_INVALID_ARGS);
	ck_assert_msg(strstr(message, "“CorruptAtLba”") != NULL && strstr(message, "4294967295"),
		      "%s",
		      message);
	g_clear_pointer(&message, g_free);
	negative = rb_test_client_set(client,
				      RB_VIRTUAL0,
				      RB_TEST_VIRTUAL,
				      "Faults",
				      g_variant_new_parsed("{'NotReadyCount': <-1>}"),
				      &message);
	ck_assert_str_eq(negative, RB_TEST_INVALID_ARGS);
	ck_assert_msg(strstr(message, "“NotReadyCount”") != NULL && strstr(message, "not -1"),
		      "%s",
		      message);
	g_clear_pointer(&message, g_free);
	flag = rb_test_client_set(client,
				  RB_VIRTUAL0,
				  RB_TEST_VIRTUAL,
				  "Faults",
				  g_variant_new_parsed("{'StaleToc': <1>}"),
				  &message);
	ck_assert_str_eq(flag, RB_TEST_INVALID_ARGS);
	ck_assert_msg(strstr(message, "“StaleToc”") != NULL, "%s", message);
	rb_test_service_stop_daemon(service);
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("integer-options");
	TCase *tc = tcase_create("integer-options");

	tcase_set_timeout(tc, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_loop_test(tc, test_integer_options_burn, 0, G_N_ELEMENTS(rb_integer_cases));
	tcase_add_test(tc, test_integer_options_faults);
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
