/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Turns the service's Update signal into what rawburnctl shows while it
 * burns or erases: a progress bar for a terminal, a line of text for a log, or a
 * JSON object per line for programs.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* the Update signal's arguments, in its order */
typedef struct {
	guint action;
	gint elapsed_time;
	gint remaining_time;
	gint start_lba;
	gint sector_count;
	gint last_read_lba;
	gint last_written_lba;
	gint total_system_buffer;
	gint used_system_buffer;
	gint free_system_buffer;
	/* not the signal's: the track being written (1-based in the image's
	 * order) of @n_tracks, from the image's layout; 0 = none or unknown */
	guint track;
	guint n_tracks;
	/* a simulation (TestWrite): nothing is recorded */
	gboolean simulated;
} RbCtlUpdate;

gchar *
rb_ctl_progress_format_bar(const RbCtlUpdate *update, gsize sector_size, gboolean size_known);
gchar *
rb_ctl_progress_format_line(const RbCtlUpdate *update, gsize sector_size, gboolean size_known);
gchar *
rb_ctl_progress_format_json(const RbCtlUpdate *update, gsize sector_size, gboolean size_known);

/* DiscFormat2Erase's Update(elapsedSeconds, expectedSeconds) */
gchar *rb_ctl_progress_format_erase_bar(gint elapsed_seconds, gint expected_seconds);
gchar *rb_ctl_progress_format_erase_line(gint elapsed_seconds, gint expected_seconds);
gchar *rb_ctl_progress_format_erase_json(gint elapsed_seconds, gint expected_seconds);

G_END_DECLS
