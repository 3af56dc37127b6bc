/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fuzz target: --virtual-recorder descriptions. Input: the text (cut at the
 * first NUL, as a command line would). A description either fails with a
 * G_OPTION_ERROR or gives a recorder whose every value is in range, and
 * which, written out again, parses to the same recorder.
 */
#include "config.h"

#include <string.h>

#include "rb-fuzz.h"
#include "rb-virtual-spec.h"

static void
rb_fuzz_check_spec(const RbVirtualSpec *spec)
{
	rb_fuzz_check(rb_virtual_media_to_string(spec->media) != NULL);
	rb_fuzz_check(spec->max_speed >= 1 && spec->max_speed <= RB_VIRTUAL_SPEED_MAX);
	rb_fuzz_check(spec->backing_fd == -1);
	/* the name is shown in INQUIRY and over D-Bus */
	if (spec->name != NULL) {
		rb_fuzz_check(spec->name[0] != '\0' && strlen(spec->name) <= 63);
		rb_fuzz_check(g_utf8_validate(spec->name, -1, NULL));
		rb_fuzz_check(strchr(spec->name, ',') == NULL);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autofree gchar *text = g_strndup((const gchar *)data, size);
	g_autoptr(GError) error = NULL;
	g_autoptr(RbVirtualSpec) spec = rb_virtual_spec_parse(text, &error);
	g_autoptr(RbVirtualSpec) again = NULL;
	g_autofree gchar *written = NULL;
	RbVirtualMedia media;

	if (spec == NULL) {
		rb_fuzz_check(g_error_matches(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE));
		return 0;
	}
	rb_fuzz_check(error == NULL);
	rb_fuzz_check_spec(spec);

	/* every key written out reads back to the same recorder */
	written = g_strdup_printf("media=%s,speed=%u,realtime=%s,test-write=%s%s%s",
				  rb_virtual_media_to_string(spec->media),
				  spec->max_speed,
				  spec->realtime ? "true" : "false",
				  spec->test_write ? "true" : "false",
				  spec->name != NULL ? ",name=" : "",
				  spec->name != NULL ? spec->name : "");
	again = rb_virtual_spec_parse(written, &error);
	rb_fuzz_check(again != NULL);
	rb_fuzz_check(again->media == spec->media);
	rb_fuzz_check(again->max_speed == spec->max_speed);
	rb_fuzz_check(again->realtime == spec->realtime);
	rb_fuzz_check(again->test_write == spec->test_write);
	rb_fuzz_check(g_strcmp0(again->name, spec->name) == 0);

	/* the media names are a bijection */
	rb_fuzz_check(rb_virtual_media_from_string(
		rb_virtual_media_to_string(spec->media), &media, NULL));
	rb_fuzz_check(media == spec->media);
	rb_fuzz_check(rb_virtual_media_get_imapi_type(media) <= 3);
	return 0;
}
