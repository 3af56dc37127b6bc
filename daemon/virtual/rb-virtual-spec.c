/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Parses virtual recorder descriptions. Errors are G_OPTION_ERROR_BAD_VALUE
 * because the text comes from the command line, and they name the bad key or
 * value and list what is accepted.
 */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "rb-virtual-spec.h"

typedef struct {
	RbVirtualMedia media;
	const gchar *name;
	guint imapi_type; /* IMAPI_MEDIA_PHYSICAL_TYPE */
} RbVirtualMediaInfo;

static const RbVirtualMediaInfo rb_virtual_media_info[] = {
	{RB_VIRTUAL_MEDIA_NONE, "none", 0},
	{RB_VIRTUAL_MEDIA_CD_R_74, "cd-r-74", 2},
	{RB_VIRTUAL_MEDIA_CD_R_80, "cd-r-80", 2},
	{RB_VIRTUAL_MEDIA_CD_RW_74, "cd-rw-74", 3},
	{RB_VIRTUAL_MEDIA_CD_RW_80, "cd-rw-80", 3},
};

#define RB_VIRTUAL_MEDIA_CHOICES "none, cd-r-74, cd-r-80, cd-rw-74, cd-rw-80"
#define RB_VIRTUAL_NAME_MAX 63

RbVirtualSpec *
rb_virtual_spec_new(void)
{
	RbVirtualSpec *spec = g_new0(RbVirtualSpec, 1);
	spec->media = RB_VIRTUAL_MEDIA_CD_R_80;
	spec->max_speed = RB_VIRTUAL_SPEED_DEFAULT;
	spec->realtime = TRUE;
	spec->test_write = TRUE;
	spec->backing_fd = -1;
	return spec;
}

void
rb_virtual_spec_free(RbVirtualSpec *spec)
{
	if (spec == NULL)
		return;
	g_free(spec->name);
	if (spec->backing_fd >= 0)
		close(spec->backing_fd);
	g_free(spec);
}

gboolean
rb_virtual_media_from_string(const gchar *text, RbVirtualMedia *media, GError **error)
{
	for (guint i = 0; i < G_N_ELEMENTS(rb_virtual_media_info); i++) {
		if (g_strcmp0(text, rb_virtual_media_info[i].name) == 0) {
			*media = rb_virtual_media_info[i].media;
			return TRUE;
		}
	}
	g_set_error(error,
		    G_OPTION_ERROR,
		    G_OPTION_ERROR_BAD_VALUE,
		    /* TRANSLATORS: %s is the bad value, then the list of media kinds */
		    _("Unknown media kind “%s”; use one of %s"),
		    text,
		    RB_VIRTUAL_MEDIA_CHOICES);
	return FALSE;
}

const gchar *
rb_virtual_media_to_string(RbVirtualMedia media)
{
	for (guint i = 0; i < G_N_ELEMENTS(rb_virtual_media_info); i++) {
		if (rb_virtual_media_info[i].media == media)
			return rb_virtual_media_info[i].name;
	}
	return NULL;
}

guint
rb_virtual_media_get_imapi_type(RbVirtualMedia media)
{
	for (guint i = 0; i < G_N_ELEMENTS(rb_virtual_media_info); i++) {
		if (rb_virtual_media_info[i].media == media)
			return rb_virtual_media_info[i].imapi_type;
	}
	return 0;
}

static gboolean
rb_virtual_spec_parse_bool(const gchar *key, const gchar *value, gboolean *out, GError **error)
{
	if (g_strcmp0(value, "true") == 0 || g_strcmp0(value, "yes") == 0 ||
	    g_strcmp0(value, "1") == 0) {
		*out = TRUE;
		return TRUE;
	}
	if (g_strcmp0(value, "false") == 0 || g_strcmp0(value, "no") == 0 ||
	    g_strcmp0(value, "0") == 0) {
		*out = FALSE;
		return TRUE;
	}
	g_set_error(error,
		    G_OPTION_ERROR,
		    G_OPTION_ERROR_BAD_VALUE,
		    _("“%s” needs true or false, not “%s”"),
		    key,
		    value);
	return FALSE;
}

static gboolean
rb_virtual_spec_parse_speed(const gchar *value, guint *out, GError **error)
{
	guint64 speed = 0;

	if (!g_ascii_string_to_unsigned(value, 10, 1, RB_VIRTUAL_SPEED_MAX, &speed, NULL)) {
		g_set_error(error,
			    G_OPTION_ERROR,
			    G_OPTION_ERROR_BAD_VALUE,
			    /* TRANSLATORS: speed is a CD speed factor such as 48 */
			    _("“speed” needs a whole number from 1 to %u, not “%s”"),
			    (guint)RB_VIRTUAL_SPEED_MAX,
			    value);
		return FALSE;
	}
	*out = (guint)speed;
	return TRUE;
}

/* a name goes into the drive's INQUIRY data and the recorder's ProductId:
 * printable UTF-8 of 1 to 63 bytes */
gboolean
rb_virtual_spec_check_name(const gchar *value, GError **error)
{
	gsize len = strlen(value);
	gboolean printable = g_utf8_validate(value, -1, NULL);

	for (const gchar *p = value; printable && *p != '\0'; p = g_utf8_next_char(p)) {
		if (!g_unichar_isprint(g_utf8_get_char(p)))
			printable = FALSE;
	}
	if (len == 0 || len > RB_VIRTUAL_NAME_MAX || !printable) {
		g_set_error(error,
			    G_OPTION_ERROR,
			    G_OPTION_ERROR_BAD_VALUE,
			    _("“name” needs 1 to %u bytes of printable UTF-8 text"),
			    (guint)RB_VIRTUAL_NAME_MAX);
		return FALSE;
	}
	return TRUE;
}

static gboolean
rb_virtual_spec_parse_name(const gchar *value, gchar **out, GError **error)
{
	if (!rb_virtual_spec_check_name(value, error))
		return FALSE;
	g_free(*out);
	*out = g_strdup(value);
	return TRUE;
}

RbVirtualSpec *
rb_virtual_spec_parse(const gchar *text, GError **error)
{
	g_autoptr(RbVirtualSpec) spec = rb_virtual_spec_new();
	g_auto(GStrv) items = NULL;

	g_return_val_if_fail(text != NULL, NULL);

	/* an empty text is a recorder with every default */
	if (text[0] == '\0')
		return g_steal_pointer(&spec);

	items = g_strsplit(text, ",", -1);
	for (guint i = 0; items[i] != NULL; i++) {
		g_autofree gchar *key = NULL;
		const gchar *value;
		const gchar *eq = strchr(items[i], '=');

		if (eq == NULL) {
			g_set_error(error,
				    G_OPTION_ERROR,
				    G_OPTION_ERROR_BAD_VALUE,
				    _("“%s” is not KEY=VALUE; write e.g. "
				      "media=cd-r-80,speed=48,realtime=false"),
				    items[i]);
			return NULL;
		}
		key = g_strndup(items[i], eq - items[i]);
		value = eq + 1;
		if (g_strcmp0(key, "media") == 0) {
			if (!rb_virtual_media_from_string(value, &spec->media, error))
				return NULL;
		} else if (g_strcmp0(key, "speed") == 0) {
			if (!rb_virtual_spec_parse_speed(value, &spec->max_speed, error))
				return NULL;
		} else if (g_strcmp0(key, "realtime") == 0) {
			if (!rb_virtual_spec_parse_bool(key, value, &spec->realtime, error))
				return NULL;
		} else if (g_strcmp0(key, "test-write") == 0) {
			if (!rb_virtual_spec_parse_bool(key, value, &spec->test_write, error))
				return NULL;
		} else if (g_strcmp0(key, "name") == 0) {
			if (!rb_virtual_spec_parse_name(value, &spec->name, error))
				return NULL;
		} else {
			g_set_error(error,
				    G_OPTION_ERROR,
				    G_OPTION_ERROR_BAD_VALUE,
				    _("Unknown key “%s”; use media, speed, realtime, test-write or "
				      "name"),
				    key);
			return NULL;
		}
	}
	return g_steal_pointer(&spec);
}
