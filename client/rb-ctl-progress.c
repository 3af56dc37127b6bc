/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Turns the service's Update signal into what rawburnctl shows while it
 * burns: a progress bar for a terminal, a line of text for a log, or a
 * JSON object per line for programs.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "rb-ctl-progress.h"

#define RB_CTL_PROGRESS_BAR_WIDTH 20

/* IMAPI_FORMAT2_RAW_CD_WRITE_ACTION, for programs: never translated */
static const gchar *
rb_ctl_progress_action_id(guint action)
{
	switch (action) {
	case 1:
		return "preparing";
	case 2:
		return "writing";
	case 3:
		return "finishing";
	case 4:
		return "verifying";
	default:
		return "unknown";
	}
}

static const gchar *
rb_ctl_progress_action_label(guint action)
{
	switch (action) {
	case 1:
		return C_("burn action", "Preparing");
	case 2:
		return C_("burn action", "Writing");
	case 3:
		return C_("burn action", "Finishing");
	case 4:
		return C_("burn action", "Verifying");
	default:
		return C_("burn action", "Starting");
	}
}

/* sectors on the disc so far: the LBAs count from the lead-in start */
static gint64
rb_ctl_progress_written(const RbCtlUpdate *update)
{
	/* while verifying, how far the disc was read back */
	if (update->action == 4)
		return MAX((gint64)update->last_read_lba - update->start_lba + 1, 0);
	return MAX((gint64)update->last_written_lba - update->start_lba + 1, 0);
}

/*
 * Percent of the sectors to write, or -1. From a pipe the service cannot
 * know the total before it has read the whole stream (when it is finishing),
 * and until then its sector count is what it has read so far: a percentage
 * of that would only mislead.
 */
static gint
rb_ctl_progress_percent(const RbCtlUpdate *update, gboolean size_known)
{
	if ((!size_known && update->action < 3) || update->sector_count <= 0)
		return -1;
	return (gint)MIN(rb_ctl_progress_written(update) * 100 / update->sector_count, 100);
}

static gint
rb_ctl_progress_fifo_percent(const RbCtlUpdate *update)
{
	if (update->total_system_buffer <= 0)
		return 0;
	return (gint)((gint64)update->used_system_buffer * 100 / update->total_system_buffer);
}

static gdouble
rb_ctl_progress_megabytes(const RbCtlUpdate *update, gsize sector_size)
{
	/* what is read back is the main channel (2352 bytes), not a stream sector */
	if (update->action == 4)
		sector_size = 2352;
	return (gdouble)rb_ctl_progress_written(update) * (gdouble)sector_size / 1e6;
}

/* m:ss, or h:mm:ss; "-:--" when the service cannot tell */
static gchar *
rb_ctl_progress_format_time(gint seconds)
{
	if (seconds < 0)
		return g_strdup("-:--");
	if (seconds >= 3600)
		return g_strdup_printf(
			"%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
	return g_strdup_printf("%d:%02d", seconds / 60, seconds % 60);
}

/* one line of at most 80 columns, to be redrawn in place after a '\r' */
gchar *
rb_ctl_progress_format_bar(const RbCtlUpdate *update, gsize sector_size, gboolean size_known)
{
	gint percent = rb_ctl_progress_percent(update, size_known);
	g_autofree gchar *elapsed = rb_ctl_progress_format_time(update->elapsed_time);
	g_autofree gchar *remaining = rb_ctl_progress_format_time(update->remaining_time);
	g_autofree gchar *percent_text =
		percent >= 0 ? g_strdup_printf("%3d%%", percent) : g_strdup(" --%");
	gchar bar[RB_CTL_PROGRESS_BAR_WIDTH + 1];

	/* a shorter bar leaves room for the track within 80 columns */
	guint width = update->track > 0 ? RB_CTL_PROGRESS_BAR_WIDTH / 2 : RB_CTL_PROGRESS_BAR_WIDTH;
	guint filled = percent >= 0 ? (guint)percent * width / 100 : 0;

	for (guint i = 0; i < width; i++)
		bar[i] = i < filled ? '#' : '.';
	bar[width] = '\0';
	if (update->track > 0)
		/* TRANSLATORS: the progress bar of an image file: action, bar,
		 * percent, the track being written of all tracks, megabytes
		 * written, fill of the service's buffer, elapsed and remaining time */
		return g_strdup_printf(
			_("%-10s [%s] %s track %u/%u %7.1f MB  FIFO %3d%%  %s, %s left"),
			rb_ctl_progress_action_label(update->action),
			bar,
			percent_text,
			update->track,
			update->n_tracks,
			rb_ctl_progress_megabytes(update, sector_size),
			rb_ctl_progress_fifo_percent(update),
			elapsed,
			remaining);
	/* TRANSLATORS: the progress bar: action, bar, percent, megabytes
	 * written, fill of the service's buffer, elapsed and remaining time */
	return g_strdup_printf(_("%-10s [%s] %s %7.1f MB  FIFO %3d%%  %s, %s left"),
			       rb_ctl_progress_action_label(update->action),
			       bar,
			       percent_text,
			       rb_ctl_progress_megabytes(update, sector_size),
			       rb_ctl_progress_fifo_percent(update),
			       elapsed,
			       remaining);
}

gchar *
rb_ctl_progress_format_line(const RbCtlUpdate *update, gsize sector_size, gboolean size_known)
{
	gint percent = rb_ctl_progress_percent(update, size_known);
	g_autofree gchar *elapsed = rb_ctl_progress_format_time(update->elapsed_time);
	g_autofree gchar *remaining = rb_ctl_progress_format_time(update->remaining_time);
	g_autofree gchar *percent_text =
		percent >= 0 ? g_strdup_printf("%d%%", percent) : g_strdup("--%");

	if (update->track > 0)
		/* TRANSLATORS: one progress line per Update of an image file when
		 * not on a terminal: action, percent, the track being written of
		 * all tracks, sectors written, megabytes, buffer fill, times */
		return g_strdup_printf(_("%s: %s, track %u/%u, %" PRId64
					 " sectors, %.1f MB, FIFO %d%%, %s elapsed, %s left"),
				       rb_ctl_progress_action_label(update->action),
				       percent_text,
				       update->track,
				       update->n_tracks,
				       rb_ctl_progress_written(update),
				       rb_ctl_progress_megabytes(update, sector_size),
				       rb_ctl_progress_fifo_percent(update),
				       elapsed,
				       remaining);
	/* TRANSLATORS: one progress line per Update when not on a terminal:
	 * action, percent, sectors written, megabytes, buffer fill, times */
	return g_strdup_printf(
		_("%s: %s, %" PRId64 " sectors, %.1f MB, FIFO %d%%, %s elapsed, %s left"),
		rb_ctl_progress_action_label(update->action),
		percent_text,
		rb_ctl_progress_written(update),
		rb_ctl_progress_megabytes(update, sector_size),
		rb_ctl_progress_fifo_percent(update),
		elapsed,
		remaining);
}

/* the signal's arguments under their D-Bus names, plus what the text shows */
gchar *
rb_ctl_progress_format_json(const RbCtlUpdate *update, gsize sector_size, gboolean size_known)
{
	gint percent = rb_ctl_progress_percent(update, size_known);
	g_autoptr(GString) out = g_string_new(NULL);

	g_string_append_printf(out,
			       "{\"currentAction\":%u,\"action\":\"%s\",\"elapsedTime\":%d,"
			       "\"remainingTime\":%d,\"startLba\":%d,\"sectorCount\":%d,"
			       "\"lastReadLba\":%d,\"lastWrittenLba\":%d,"
			       "\"totalSystemBuffer\":%d,\"usedSystemBuffer\":%d,"
			       "\"freeSystemBuffer\":%d,\"sectorsWritten\":%" G_GINT64_FORMAT
			       ",\"bytesWritten\":%" G_GINT64_FORMAT ",\"percent\":",
			       update->action,
			       rb_ctl_progress_action_id(update->action),
			       update->elapsed_time,
			       update->remaining_time,
			       update->start_lba,
			       update->sector_count,
			       update->last_read_lba,
			       update->last_written_lba,
			       update->total_system_buffer,
			       update->used_system_buffer,
			       update->free_system_buffer,
			       rb_ctl_progress_written(update),
			       rb_ctl_progress_written(update) * (gint64)sector_size);
	if (percent >= 0)
		g_string_append_printf(out, "%d", percent);
	else
		g_string_append(out, "null");
	/* an image file's: which of its tracks is being written */
	if (update->track > 0)
		g_string_append_printf(
			out, ",\"track\":%u,\"trackCount\":%u", update->track, update->n_tracks);
	/* a simulation's sectors went to the drive, none onto the disc */
	g_string_append_printf(out, ",\"simulated\":%s", update->simulated ? "true" : "false");
	g_string_append_c(out, '}');
	return g_string_free(g_steal_pointer(&out), FALSE);
}

/* DiscFormat2Erase's Update: how far the blank is, as time */
static gint
rb_ctl_progress_erase_percent(gint elapsed_seconds, gint expected_seconds)
{
	if (expected_seconds <= 0)
		return -1;
	return CLAMP(elapsed_seconds * 100 / expected_seconds, 0, 100);
}

gchar *
rb_ctl_progress_format_erase_bar(gint elapsed_seconds, gint expected_seconds)
{
	gint percent = rb_ctl_progress_erase_percent(elapsed_seconds, expected_seconds);
	g_autofree gchar *elapsed = rb_ctl_progress_format_time(elapsed_seconds);
	g_autofree gchar *expected = rb_ctl_progress_format_time(expected_seconds);
	gchar bar[RB_CTL_PROGRESS_BAR_WIDTH + 1];
	guint filled = percent >= 0 ? (guint)percent * RB_CTL_PROGRESS_BAR_WIDTH / 100 : 0;

	for (guint i = 0; i < RB_CTL_PROGRESS_BAR_WIDTH; i++)
		bar[i] = i < filled ? '#' : '.';
	bar[RB_CTL_PROGRESS_BAR_WIDTH] = '\0';
	/* TRANSLATORS: the progress bar of an erase: bar, percent, elapsed
	 * and expected time */
	return g_strdup_printf(_("Erasing    [%s] %3d%%  %s of about %s"),
			       bar,
			       MAX(percent, 0),
			       elapsed,
			       expected);
}

gchar *
rb_ctl_progress_format_erase_line(gint elapsed_seconds, gint expected_seconds)
{
	g_autofree gchar *elapsed = rb_ctl_progress_format_time(elapsed_seconds);
	g_autofree gchar *expected = rb_ctl_progress_format_time(expected_seconds);

	/* TRANSLATORS: one progress line per Update of an erase when not on a
	 * terminal: percent, elapsed and expected time */
	return g_strdup_printf(
		_("Erasing: %d%%, %s elapsed of about %s"),
		MAX(rb_ctl_progress_erase_percent(elapsed_seconds, expected_seconds), 0),
		elapsed,
		expected);
}

/* the signal's arguments under their D-Bus names, and the percentage */
gchar *
rb_ctl_progress_format_erase_json(gint elapsed_seconds, gint expected_seconds)
{
	return g_strdup_printf(
		"{\"elapsedSeconds\":%d,\"expectedSeconds\":%d,\"percent\":%d}",
		elapsed_seconds,
		expected_seconds,
		MAX(rb_ctl_progress_erase_percent(elapsed_seconds, expected_seconds), 0));
}
