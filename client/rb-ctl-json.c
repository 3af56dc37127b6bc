/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Writes D-Bus values as JSON for `rawburnctl --json`: strings and object
 * paths as strings, numbers as numbers, arrays and structs as arrays,
 * dictionaries as objects.
 */
#include "config.h"

#include "rb-ctl-json.h"

void
rb_ctl_json_append_string(GString *out, const gchar *text)
{
	/* JSON is UTF-8: a file name or argument in another encoding would
	 * make the whole line unreadable to a strict parser */
	g_autofree gchar *valid = g_utf8_make_valid(text, -1);

	g_string_append_c(out, '"');
	for (const gchar *p = valid; *p != '\0'; p++) {
		guchar c = (guchar)*p;
		switch (c) {
		case '"':
			g_string_append(out, "\\\"");
			break;
		case '\\':
			g_string_append(out, "\\\\");
			break;
		case '\n':
			g_string_append(out, "\\n");
			break;
		case '\r':
			g_string_append(out, "\\r");
			break;
		case '\t':
			g_string_append(out, "\\t");
			break;
		default:
			if (c < 0x20)
				g_string_append_printf(out, "\\u%04x", c);
			else
				g_string_append_c(out, (gchar)c);
		}
	}
	g_string_append_c(out, '"');
}

static void
rb_ctl_json_append_container(GString *out, GVariant *value)
{
	gboolean is_dict = g_variant_is_of_type(value, G_VARIANT_TYPE("a{?*}"));
	gsize n = g_variant_n_children(value);

	g_string_append_c(out, is_dict ? '{' : '[');
	for (gsize i = 0; i < n; i++) {
		g_autoptr(GVariant) child = g_variant_get_child_value(value, i);

		if (i > 0)
			g_string_append_c(out, ',');
		if (is_dict) {
			g_autoptr(GVariant) key = g_variant_get_child_value(child, 0);
			g_autoptr(GVariant) val = g_variant_get_child_value(child, 1);
			if (g_variant_is_of_type(key, G_VARIANT_TYPE_STRING)) {
				rb_ctl_json_append_string(out, g_variant_get_string(key, NULL));
			} else {
				/* JSON keys are strings: print other basic keys as text */
				g_autofree gchar *text = g_variant_print(key, FALSE);
				rb_ctl_json_append_string(out, text);
			}
			g_string_append_c(out, ':');
			rb_ctl_json_append_variant(out, val);
		} else {
			rb_ctl_json_append_variant(out, child);
		}
	}
	g_string_append_c(out, is_dict ? '}' : ']');
}

void
rb_ctl_json_append_variant(GString *out, GVariant *value)
{
	switch (g_variant_classify(value)) {
	case G_VARIANT_CLASS_BOOLEAN:
		g_string_append(out, g_variant_get_boolean(value) ? "true" : "false");
		break;
	case G_VARIANT_CLASS_BYTE:
		g_string_append_printf(out, "%u", g_variant_get_byte(value));
		break;
	case G_VARIANT_CLASS_INT16:
		g_string_append_printf(out, "%d", g_variant_get_int16(value));
		break;
	case G_VARIANT_CLASS_UINT16:
		g_string_append_printf(out, "%u", g_variant_get_uint16(value));
		break;
	case G_VARIANT_CLASS_INT32:
		g_string_append_printf(out, "%" G_GINT32_FORMAT, g_variant_get_int32(value));
		break;
	case G_VARIANT_CLASS_UINT32:
		g_string_append_printf(out, "%" G_GUINT32_FORMAT, g_variant_get_uint32(value));
		break;
	case G_VARIANT_CLASS_INT64:
		g_string_append_printf(out, "%" G_GINT64_FORMAT, g_variant_get_int64(value));
		break;
	case G_VARIANT_CLASS_UINT64:
		g_string_append_printf(out, "%" G_GUINT64_FORMAT, g_variant_get_uint64(value));
		break;
	case G_VARIANT_CLASS_HANDLE:
		g_string_append_printf(out, "%" G_GINT32_FORMAT, g_variant_get_handle(value));
		break;
	case G_VARIANT_CLASS_DOUBLE: {
		gchar buf[G_ASCII_DTOSTR_BUF_SIZE];
		g_string_append(out, g_ascii_dtostr(buf, sizeof(buf), g_variant_get_double(value)));
		break;
	}
	case G_VARIANT_CLASS_STRING:
	case G_VARIANT_CLASS_OBJECT_PATH:
	case G_VARIANT_CLASS_SIGNATURE:
		rb_ctl_json_append_string(out, g_variant_get_string(value, NULL));
		break;
	case G_VARIANT_CLASS_VARIANT: {
		g_autoptr(GVariant) inner = g_variant_get_variant(value);
		rb_ctl_json_append_variant(out, inner);
		break;
	}
	case G_VARIANT_CLASS_MAYBE:
		if (g_variant_n_children(value) == 0) {
			g_string_append(out, "null");
		} else {
			g_autoptr(GVariant) inner = g_variant_get_child_value(value, 0);
			rb_ctl_json_append_variant(out, inner);
		}
		break;
	case G_VARIANT_CLASS_ARRAY:
	case G_VARIANT_CLASS_TUPLE:
	case G_VARIANT_CLASS_DICT_ENTRY:
		rb_ctl_json_append_container(out, value);
		break;
	}
}
