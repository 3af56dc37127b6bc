/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Parsing of --virtual-recorder descriptions.
 */
#include "config.h"

#include "rb-test-service.h"
#include "rb-virtual-spec.h"

START_TEST(test_spec_defaults)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RbVirtualSpec) spec = rb_virtual_spec_parse("", &error);

	ck_assert_ptr_nonnull(spec);
	ck_assert_int_eq(spec->media, RB_VIRTUAL_MEDIA_CD_R_80);
	ck_assert_uint_eq(spec->max_speed, 48);
	ck_assert(spec->realtime);
	ck_assert(spec->test_write);
	ck_assert_ptr_null(spec->name);
}
END_TEST

START_TEST(test_spec_all_keys)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RbVirtualSpec) spec = rb_virtual_spec_parse(
		"media=cd-rw-74,speed=16,realtime=false,test-write=no,name=Bench drive", &error);

	ck_assert_msg(spec != NULL, "%s", error ? error->message : "");
	ck_assert_int_eq(spec->media, RB_VIRTUAL_MEDIA_CD_RW_74);
	ck_assert_uint_eq(spec->max_speed, 16);
	ck_assert(!spec->realtime);
	ck_assert(!spec->test_write);
	ck_assert_str_eq(spec->name, "Bench drive");
}
END_TEST

START_TEST(test_spec_every_media_kind)
{
	const gchar *kinds[] = {"none", "cd-r-74", "cd-r-80", "cd-rw-74", "cd-rw-80"};
	const guint imapi_types[] = {0, 2, 2, 3, 3};

	for (guint i = 0; i < G_N_ELEMENTS(kinds); i++) {
		RbVirtualMedia media;
		g_autoptr(GError) error = NULL;

		ck_assert(rb_virtual_media_from_string(kinds[i], &media, &error));
		ck_assert_str_eq(rb_virtual_media_to_string(media), kinds[i]);
		ck_assert_uint_eq(rb_virtual_media_get_imapi_type(media), imapi_types[i]);
	}
}
END_TEST

typedef struct {
	const gchar *text;
	const gchar *message_part;
} RbBadSpec;

static const RbBadSpec rb_bad_specs[] = {
	{"media=floppy", "floppy"},
	{"media=floppy", "cd-rw-80"},
	{"media=", "cd-r-74"},
	{"speed=0", "speed"},
	{"speed=53", "1 to 52"},
	{"speed=fast", "fast"},
	{"speed=-4", "speed"},
	{"realtime=maybe", "true or false"},
	{"test-write=sometimes", "test-write"},
	{"testwrite=false", "test-write"},
	{"name=", "name"},
	{"colour=red", "colour"},
	{"cd-r-80", "KEY=VALUE"},
	{"media=cd-r-80,,speed=4", "KEY=VALUE"},
};

START_TEST(test_spec_refused)
{
	const RbBadSpec *bad = &rb_bad_specs[_i];
	g_autoptr(GError) error = NULL;
	g_autoptr(RbVirtualSpec) spec = rb_virtual_spec_parse(bad->text, &error);

	ck_assert_ptr_null(spec);
	ck_assert(g_error_matches(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE));
	ck_assert_msg(strstr(error->message, bad->message_part) != NULL,
		      "“%s”: message “%s” lacks “%s”",
		      bad->text,
		      error->message,
		      bad->message_part);
}
END_TEST

START_TEST(test_spec_long_name)
{
	g_autofree gchar *name = g_strnfill(64, 'x');
	g_autofree gchar *text = g_strdup_printf("name=%s", name);
	g_autoptr(GError) error = NULL;
	g_autoptr(RbVirtualSpec) spec = rb_virtual_spec_parse(text, &error);

	ck_assert_ptr_null(spec);
	ck_assert_ptr_nonnull(error);
	name[63] = '\0';
	g_free(text);
	text = g_strdup_printf("name=%s", name);
	g_clear_error(&error);
	spec = rb_virtual_spec_parse(text, &error);
	ck_assert_ptr_nonnull(spec);
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("virtual-spec");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, test_spec_defaults);
	tcase_add_test(tc, test_spec_all_keys);
	tcase_add_test(tc, test_spec_every_media_kind);
	tcase_add_loop_test(tc, test_spec_refused, 0, G_N_ELEMENTS(rb_bad_specs));
	tcase_add_test(tc, test_spec_long_name);
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
