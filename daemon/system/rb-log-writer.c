/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * rawburnd's log writer. GLib's default writer drops INFO unless
 * G_MESSAGES_DEBUG names the domain; the burn records (rb-journal.c) are
 * INFO and must reach the journal, so this writer keeps INFO and above and
 * leaves DEBUG to GLib's rules. Under systemd, stderr is the journal's
 * stream: the records go to the journal's socket instead, with their fields.
 * In a terminal, a record is one line with its RAWBURN_ fields appended.
 */
#include "config.h"

#include "rb-log-writer.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

typedef enum {
	RB_LOG_OUTPUT_LINES,
	RB_LOG_OUTPUT_FIELDS,
	RB_LOG_OUTPUT_JOURNAL,
} RbLogOutput;

static const gchar *
rb_log_writer_field(const GLogField *fields, gsize n_fields, const gchar *key)
{
	for (gsize i = 0; i < n_fields; i++) {
		if (g_strcmp0(fields[i].key, key) == 0 && fields[i].length < 0)
			return fields[i].value;
	}
	return NULL;
}

/* tabs and line ends escaped, so that a record stays one line */
static void
rb_log_writer_append_value(GString *line, const gchar *value)
{
	for (const gchar *p = value; *p != '\0'; p++) {
		if (*p == '\n')
			g_string_append(line, "\\n");
		else if (*p == '\t')
			g_string_append(line, "\\t");
		else if (*p == '\\')
			g_string_append(line, "\\\\");
		else
			g_string_append_c(line, *p);
	}
}

static GLogWriterOutput
rb_log_writer_write_fields(const GLogField *fields, gsize n_fields)
{
	g_autoptr(GString) line = g_string_new(NULL);

	for (gsize i = 0; i < n_fields; i++) {
		/* binary values (a length given) are not ours: shown by size */
		if (line->len > 0)
			g_string_append_c(line, '\t');
		g_string_append_printf(line, "%s=", fields[i].key);
		if (fields[i].length < 0)
			rb_log_writer_append_value(line, fields[i].value);
		else
			g_string_append_printf(
				line, "<%" G_GSSIZE_FORMAT " bytes>", fields[i].length);
	}
	g_string_append_c(line, '\n');
	if (fwrite(line->str, 1, line->len, stderr) != line->len)
		return G_LOG_WRITER_UNHANDLED;
	fflush(stderr);
	return G_LOG_WRITER_HANDLED;
}

/* a burn record: GLib's line, then its RAWBURN_ fields */
static GLogWriterOutput
rb_log_writer_write_line(const GLogField *fields, gsize n_fields)
{
	g_autoptr(GString) line = g_string_new("rawburnd: ");
	const gchar *message = rb_log_writer_field(fields, n_fields, "MESSAGE");

	rb_log_writer_append_value(line, message != NULL ? message : "");
	for (gsize i = 0; i < n_fields; i++) {
		if (!g_str_has_prefix(fields[i].key, "RAWBURN_") || fields[i].length >= 0)
			continue;
		g_string_append_printf(line, "  %s=", fields[i].key);
		rb_log_writer_append_value(line, fields[i].value);
	}
	g_string_append_c(line, '\n');
	if (fwrite(line->str, 1, line->len, stderr) != line->len)
		return G_LOG_WRITER_UNHANDLED;
	fflush(stderr);
	return G_LOG_WRITER_HANDLED;
}

static GLogWriterOutput
rb_log_writer_func(GLogLevelFlags log_level,
		   const GLogField *fields,
		   gsize n_fields,
		   gpointer user_data)
{
	RbLogOutput output = GPOINTER_TO_INT(user_data);

	/* DEBUG as GLib decides (--debug, G_MESSAGES_DEBUG); INFO always */
	if ((log_level & G_LOG_LEVEL_DEBUG) != 0 &&
	    g_log_writer_default_would_drop(G_LOG_LEVEL_DEBUG,
					    rb_log_writer_field(fields, n_fields, "GLIB_DOMAIN")))
		return G_LOG_WRITER_HANDLED;
	if (output == RB_LOG_OUTPUT_FIELDS)
		return rb_log_writer_write_fields(fields, n_fields);
	if (output == RB_LOG_OUTPUT_JOURNAL &&
	    g_log_writer_journald(log_level, fields, n_fields, NULL) == G_LOG_WRITER_HANDLED)
		return G_LOG_WRITER_HANDLED;
	if (rb_log_writer_field(fields, n_fields, "RAWBURN_EVENT") != NULL)
		return rb_log_writer_write_line(fields, n_fields);
	return g_log_writer_standard_streams(log_level, fields, n_fields, NULL);
}

void
rb_log_writer_install(void)
{
	RbLogOutput output = RB_LOG_OUTPUT_LINES;

	if (g_strcmp0(g_getenv(RB_LOG_FORMAT_ENV), "fields") == 0)
		output = RB_LOG_OUTPUT_FIELDS;
	else if (g_log_writer_is_journald(fileno(stderr)))
		output = RB_LOG_OUTPUT_JOURNAL;
	/* INFO and DEBUG too: stdout is not the log */
	g_log_writer_default_set_use_stderr(TRUE);
	g_log_set_writer_func(rb_log_writer_func, GINT_TO_POINTER(output), NULL);
}
