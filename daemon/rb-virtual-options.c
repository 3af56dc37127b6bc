/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What clients pass to a virtual recorder, checked before anything is
 * authorized or touched: the Faults dictionary, FinishingMilliseconds and
 * LoadDisc's options. Each unknown key or wrong type is an InvalidArgs
 * naming it.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbVirtualControls"

#include <glib/gi18n.h>

#include "rb-auth-map.h"
#include "rb-dbus-util.h"
#include "rb-virtual-options.h"

#define RB_FAULTS_NOT_READY_COUNT_DEFAULT 5

gboolean
rb_virtual_options_parse_faults(GVariant *faults, RbVdriveFaults *out, GError **error)
{
	GVariantIter iter;
	const gchar *key;
	GVariant *entry_value;
	guint long_write_seconds = 0;

	rb_vdrive_faults_init(out);
	g_variant_iter_init(&iter, faults);
	while (g_variant_iter_next(&iter, "{&sv}", &key, &entry_value)) {
		/* iter_next, not iter_loop: returning early must not leak the value */
		g_autoptr(GVariant) value = entry_value;

		gint32 *lba = NULL;
		guint *count = NULL;
		gboolean *flag = NULL;

		if (g_strcmp0(key, "WriteErrorAtLba") == 0)
			lba = &out->write_error_at_lba;
		else if (g_strcmp0(key, "NotReadyAfterLba") == 0)
			lba = &out->not_ready_after_lba;
		else if (g_strcmp0(key, "RemoveMediaAtLba") == 0)
			lba = &out->remove_media_at_lba;
		else if (g_strcmp0(key, "TimeoutAtLba") == 0)
			lba = &out->timeout_at_lba;
		else if (g_strcmp0(key, "CorruptAtLba") == 0)
			lba = &out->corrupt_at_lba;
		else if (g_strcmp0(key, "BadQCrcAtLba") == 0)
			lba = &out->bad_q_crc_at_lba;
		else if (g_strcmp0(key, "UnreadableAtLba") == 0)
			lba = &out->unreadable_at_lba;
		else if (g_strcmp0(key, "RefusePregapRead") == 0)
			flag = &out->refuse_pregap_read;
		else if (g_strcmp0(key, "StaleToc") == 0)
			flag = &out->stale_toc;
		else if (g_strcmp0(key, "NotReadyCount") == 0)
			count = &out->not_ready_count;
		else if (g_strcmp0(key, "LongWriteSeconds") == 0)
			count = &long_write_seconds;
		else {
			g_set_error(error,
				    G_DBUS_ERROR,
				    G_DBUS_ERROR_INVALID_ARGS,
				    _("Unknown fault “%s”; use WriteErrorAtLba, NotReadyAfterLba, "
				      "NotReadyCount, LongWriteSeconds, RemoveMediaAtLba, "
				      "TimeoutAtLba, CorruptAtLba, BadQCrcAtLba, UnreadableAtLba, "
				      "RefusePregapRead or StaleToc."),
				    key);
			return FALSE;
		}
		if (flag != NULL) {
			if (!rb_dbus_util_check_option_type(
				    key, value, G_VARIANT_TYPE_BOOLEAN, error))
				return FALSE;
			*flag = g_variant_get_boolean(value);
		} else if (lba != NULL) {
			gint64 number = 0;

			/* an LBA (i): any integer type holding one */
			if (!rb_dbus_util_parse_integer(
				    key, value, G_MININT32, G_MAXINT32, &number, error))
				return FALSE;
			*lba = (gint32)number;
		} else {
			gint64 number = 0;

			/* a count (u) */
			if (!rb_dbus_util_parse_integer(key, value, 0, G_MAXUINT32, &number, error))
				return FALSE;
			*count = (guint)number;
		}
	}
	out->long_write_ms = MIN(long_write_seconds, RB_VDRIVE_FINISHING_MS_MAX / 1000) * 1000;
	if (out->not_ready_after_lba != RB_VDRIVE_FAULT_OFF && out->not_ready_count == 0)
		out->not_ready_count = RB_FAULTS_NOT_READY_COUNT_DEFAULT;
	return TRUE;
}

gboolean
rb_virtual_options_parse_finishing_ms(GVariant *value, guint *out, GError **error)
{
	gint64 number = 0;

	if (!rb_dbus_util_parse_integer(
		    "FinishingMilliseconds", value, 0, RB_VDRIVE_FINISHING_MS_MAX, &number, error))
		return FALSE;
	*out = (guint)number;
	return TRUE;
}

gboolean
rb_virtual_options_parse_load_disc(GVariant *options,
				   RbVirtualMedia *media,
				   gint32 *first_lba,
				   GError **error)
{
	GVariantIter iter;
	const gchar *key;
	GVariant *entry_value;

	*media = RB_VIRTUAL_MEDIA_CD_R_80;
	*first_lba = RB_VDRIVE_FAULT_OFF;
	g_variant_iter_init(&iter, options);
	while (g_variant_iter_next(&iter, "{&sv}", &key, &entry_value)) {
		g_autoptr(GVariant) value = entry_value;
		gboolean flag = FALSE;
		gint64 number = 0;

		if (g_strcmp0(key, "FirstLba") == 0) {
			/* the lead-in is before LBA 0; where on the medium the drive decides */
			if (!rb_dbus_util_parse_integer(
				    key, value, G_MININT32 + 1, -1, &number, error))
				return FALSE;
			*first_lba = (gint32)number;
		} else if (g_strcmp0(key, "Media") == 0) {
			g_autoptr(GError) error_local = NULL;

			if (!g_variant_is_of_type(value, G_VARIANT_TYPE_STRING) ||
			    !rb_virtual_media_from_string(
				    g_variant_get_string(value, NULL), media, &error_local) ||
			    *media == RB_VIRTUAL_MEDIA_NONE) {
				g_set_error(error,
					    G_DBUS_ERROR,
					    G_DBUS_ERROR_INVALID_ARGS,
					    _("The option Media takes a medium kind (s): cd-r-74, "
					      "cd-r-80, cd-rw-74 or cd-rw-80."));
				return FALSE;
			}
		} else if (g_strcmp0(key, RB_AUTH_OPTION_NO_USER_INTERACTION) == 0) {
			if (!rb_auth_map_parse_no_user_interaction(value, &flag, error))
				return FALSE;
		} else {
			g_set_error(
				error,
				G_DBUS_ERROR,
				G_DBUS_ERROR_INVALID_ARGS,
				_("Unknown LoadDisc option “%s” of type “%s”; use FirstLba (i), "
				  "Media (s) or auth.no_user_interaction (b)."),
				key,
				g_variant_get_type_string(value));
			return FALSE;
		}
	}
	return TRUE;
}
