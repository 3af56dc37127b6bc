/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What is verify's own in "rawburnctl burn --verify" and "rawburnctl
 * verify": the options of Burn with Verify and of VerifyMedia, the
 * read-back's progress from the Update signals with action 4, and the
 * result printed at the end. The session itself is rb-ctl-burn.c's.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "rb-ctl-burn-private.h"
#include "rb-ctl-burn.h"

int
rb_ctl_cmd_verify(RbCtl *ctl, gint argc, gchar **argv, GError **error)
{
	return rb_ctl_burn_command(ctl, argc, argv, TRUE, error);
}

void
rb_ctl_verify_progress_update(RbCtlVerifyProgress *progress, gint32 start_lba, gint32 last_read_lba)
{
	if (progress->start_us == 0) {
		progress->start_us = g_get_monotonic_time();
		/* Burn's read-back starts at the pregap, VerifyMedia's where it says */
		progress->first_lba = MAX(start_lba, -150);
	}
	progress->last_lba = last_read_lba;
}

GVariant *
rb_ctl_verify_params(const RbCtlBurnOptions *options)
{
	GVariantBuilder builder;

	g_variant_builder_init(&builder, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&builder,
			      "{sv}",
			      "SectorType",
			      g_variant_new_uint32((guint32)options->sector_type));
	g_variant_builder_add(
		&builder, "{sv}", "StreamLeadInSectors", g_variant_new_int32(options->lead_in));
	g_variant_builder_add(
		&builder, "{sv}", "ClientName", g_variant_new_string(options->client_name));
	if (options->verify) {
		g_variant_builder_add(&builder, "{sv}", "Verify", g_variant_new_boolean(TRUE));
		g_variant_builder_add(
			&builder, "{sv}", "WriteSpeed", g_variant_new_int32(options->speed));
		g_variant_builder_add(&builder,
				      "{sv}",
				      "BufferUnderrunFreeDisabled",
				      g_variant_new_boolean(options->no_burnfree));
	}
	return g_variant_new("(h@a{sv})", 0, g_variant_builder_end(&builder));
}

/* what was read back, and how fast: main channel bytes from the first LBA
 * compared to the last */
void
rb_ctl_verify_print(RbCtl *ctl,
		    const RbCtlVerifyProgress *progress,
		    const RbCtlBurnOptions *options)
{
	gint64 sectors = MAX((gint64)progress->last_lba - progress->first_lba + 1, 0);
	gdouble mb = (gdouble)sectors * 2352 / 1e6;
	gdouble seconds = progress->start_us != 0
				  ? (gdouble)(g_get_monotonic_time() - progress->start_us) / 1e6
				  : 0;
	gdouble rate = seconds > 0 ? mb / seconds : 0;

	if (ctl->json) {
		g_print("{\"result\":\"%s\",\"verified\":true,\"verifiedBytes\":%" G_GINT64_FORMAT
			",\"verifySeconds\":%.3f}\n",
			options->verify_only ? "verified" : "burned",
			sectors * 2352,
			seconds);
		return;
	}
	if (!options->verify_only)
		g_print(_("Burn complete.\n"));
	/* the clock starts at the first Update of the read-back, up to 0.5 s
	 * after it began: a rate from less than that would be noise */
	if (seconds < 1.0) {
		/* TRANSLATORS: megabytes of the main channel read back */
		g_print(_("Verified: %.1f MB read back and equal to the image.\n"), mb);
		return;
	}
	/* TRANSLATORS: megabytes of the main channel read back, seconds, MB/s */
	g_print(_("Verified: %.1f MB read back and equal to the image in %.1f s (%.1f MB/s).\n"),
		mb,
		seconds,
		rate);
}
