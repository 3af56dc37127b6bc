/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The CloneCD .ccd sheet: INI text, CRLF as written on Windows. Its keys
 * (as CloneCD writes them, and as libmirage's image-ccd and other readers
 * parse them): [CloneCD] Version; [Disc] TocEntries, Sessions,
 * DataTracksScrambled, CDTextLength, CATALOG; [CDText] Entries and
 * "Entry N=" lines of hex pack bytes; [Session N] PreGapMode, PreGapSubC;
 * [Entry N] one TOC entry each (Session, Point, ADR, Control, TrackNo,
 * AMin/ASec/AFrame/ALBA, Zero, PMin/PSec/PFrame/PLBA): point A0h/A1h hold
 * the first/last track in PMin, A2h the lead-out, 01h-63h the tracks'
 * index 1; [TRACK N] MODE (0 audio, 1, 2), INDEX n=LBA, ISRC, FLAGS.
 * An entry's time is its PMin/PSec/PFrame, each in a Q time's range (they
 * become Q's bytes), and PLBA, when given, must say the same LBA.
 * Anything else is refused rather than guessed, and so are more than one
 * session and scrambled data tracks.
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <string.h>

#include "rb-disc-clonecd-private.h"
#include "rb-msf.h"

RbCcd *
rb_ccd_new(const gchar *path)
{
	RbCcd *ccd = g_new0(RbCcd, 1);

	ccd->path = path;
	ccd->cdtext = g_byte_array_new();
	for (guint n = 0; n <= RB_IMAGE_MAX_TRACKS; n++)
		ccd->tracks[n].mode = -1;
	return ccd;
}

void
rb_ccd_free(RbCcd *ccd)
{
	for (guint n = 0; n <= RB_IMAGE_MAX_TRACKS; n++) {
		g_free(ccd->tracks[n].isrc);
		g_free(ccd->tracks[n].flags);
	}
	g_free(ccd->catalog);
	g_byte_array_unref(ccd->cdtext);
	g_free(ccd);
}

gboolean
rb_ccd_fail(GError **error, gint code, const RbCcd *ccd, guint line, const gchar *format, ...)
{
	va_list args;

	va_start(args, format);
	rb_disc_image_set_sheet_error_valist(error, code, ccd->path, line, format, args);
	va_end(args);
	return FALSE;
}

/* decimal, or hexadecimal with 0x as CloneCD writes Point, ADR, Control */
static gboolean
rb_ccd_int(const gchar *text, gint64 min, gint64 max, gint64 *value)
{
	gchar *end = NULL;
	gint64 v;

	errno = 0;
	if (g_ascii_strncasecmp(text, "0x", 2) == 0)
		v = g_ascii_strtoll(text + 2, &end, 16);
	else
		v = g_ascii_strtoll(text, &end, 10);
	if (errno != 0 || end == text || *end != '\0' || v < min || v > max)
		return FALSE;
	*value = v;
	return TRUE;
}

/* the [Entry N] just read: a point of the TOC */
static gboolean
rb_ccd_close_entry(RbCcd *ccd, GError **error)
{
	guint line = ccd->entry_line; /* its [Entry N] */
	gint32 lba;
	RbMsf msf = {(guint8)ccd->entry_p[0], (guint8)ccd->entry_p[1], (guint8)ccd->entry_p[2]};

	if (g_strcmp0(ccd->section, "entry") != 0)
		return TRUE;
	ccd->n_entries++;
	if (ccd->entry_session != 1)
		return rb_ccd_fail(error,
				   RB_DISC_IMAGE_ERROR_UNSUPPORTED,
				   ccd,
				   line,
				   _("multi-session CloneCD images are not supported: this entry "
				     "is of session %u"),
				   ccd->entry_session);
	if (ccd->entry_adr != 1) {
		/* ADR 5 (B0h, C0h: a recordable disc's next session and ATIP)
		 * says nothing about this session's tracks */
		ccd->ignored_entries++;
		return TRUE;
	}
	/* the point's time is its MSF, as Q has it; without all three a
	 * start would be made up of zeros */
	if (ccd->entry_p_lines[0] == 0 || ccd->entry_p_lines[1] == 0 || ccd->entry_p_lines[2] == 0)
		return rb_ccd_fail(error,
				   RB_DISC_IMAGE_ERROR_SYNTAX,
				   ccd,
				   line,
				   _("the entry lacks PMin, PSec or PFrame: fix the sheet"));
	/* A0h/A1h hold numbers in PMin/PSec, CloneCD's PLBA is still their MSF's */
	lba = rb_msf_to_lba(msf);
	if (ccd->entry_p_lines[3] != 0 && lba != ccd->entry_p[3])
		return rb_ccd_fail(error,
				   RB_DISC_IMAGE_ERROR_SYNTAX,
				   ccd,
				   ccd->entry_p_lines[3],
				   _("PLBA=%d but PMin/PSec/PFrame say LBA %d: fix the sheet"),
				   ccd->entry_p[3],
				   lba);
	if (ccd->entry_point == 0xA0) {
		ccd->first = (guint)ccd->entry_p[0];
		ccd->have_first = TRUE;
	} else if (ccd->entry_point == 0xA1) {
		ccd->last = (guint)ccd->entry_p[0];
		ccd->have_last = TRUE;
	} else if (ccd->entry_point == 0xA2) {
		ccd->leadout = lba;
		ccd->have_leadout = TRUE;
	} else if (ccd->entry_point >= 1 && ccd->entry_point <= RB_IMAGE_MAX_TRACKS) {
		RbCcdTrack *t = &ccd->tracks[ccd->entry_point];

		t->has_entry = TRUE;
		t->control = (guint8)ccd->entry_control;
		t->start = lba;
		if (t->line == 0)
			t->line = line;
	} else {
		return rb_ccd_fail(error,
				   RB_DISC_IMAGE_ERROR_SYNTAX,
				   ccd,
				   line,
				   _("Point=0x%02x is no track, A0, A1 or A2 point: fix the sheet"),
				   ccd->entry_point);
	}
	return TRUE;
}

static gboolean
rb_ccd_section(RbCcd *ccd, gchar *name, guint line, GError **error)
{
	static const gchar *numbered[] = {"Session", "Entry", "TRACK"};
	static const gchar *plain[] = {"CloneCD", "Disc", "CDText"};

	if (!rb_ccd_close_entry(ccd, error))
		return FALSE;
	memset(ccd->entry_p, 0, sizeof(ccd->entry_p));
	memset(ccd->entry_p_lines, 0, sizeof(ccd->entry_p_lines));
	ccd->entry_line = line;
	ccd->entry_point = ccd->entry_adr = ccd->entry_control = 0;
	ccd->entry_session = 1;
	for (guint i = 0; i < G_N_ELEMENTS(plain); i++) {
		if (g_ascii_strcasecmp(name, plain[i]) == 0) {
			g_autofree gchar *lower = g_ascii_strdown(plain[i], -1);

			g_strlcpy(ccd->section, lower, sizeof(ccd->section));
			return TRUE;
		}
	}
	for (guint i = 0; i < G_N_ELEMENTS(numbered); i++) {
		gsize n = strlen(numbered[i]);
		gint64 number = 0;

		if (g_ascii_strncasecmp(name, numbered[i], n) == 0 && g_ascii_isspace(name[n]) &&
		    rb_ccd_int(g_strstrip(name + n), 0, 1000, &number)) {
			g_autofree gchar *lower = g_ascii_strdown(numbered[i], -1);

			g_strlcpy(ccd->section, lower, sizeof(ccd->section));
			ccd->section_number = (guint)number;
			if (i == 0 && number != 1)
				return rb_ccd_fail(
					error,
					RB_DISC_IMAGE_ERROR_UNSUPPORTED,
					ccd,
					line,
					_("multi-session CloneCD images are not supported"));
			if (i == 2 && (number < 1 || number > RB_IMAGE_MAX_TRACKS))
				break;
			if (i == 2 && ccd->tracks[number].line == 0)
				ccd->tracks[number].line = line;
			return TRUE;
		}
	}
	return rb_ccd_fail(error,
			   RB_DISC_IMAGE_ERROR_SYNTAX,
			   ccd,
			   line,
			   _("unknown section [%s]: rawburn will not burn a sheet it may "
			     "misunderstand"),
			   name);
}

static gboolean
rb_ccd_cdtext_line(RbCcd *ccd, const gchar *key, const gchar *value, guint line, GError **error)
{
	g_auto(GStrv) bytes = NULL;
	gint64 v = 0;

	if (g_ascii_strcasecmp(key, "Entries") == 0) {
		if (!rb_ccd_int(value, 0, 8 * 256, &v))
			return FALSE;
		ccd->cdtext_entries = (guint)v;
		return TRUE;
	}
	if (g_ascii_strncasecmp(key, "Entry", 5) != 0)
		return FALSE;
	bytes = g_strsplit_set(value, " \t", -1);
	for (guint i = 0; bytes[i] != NULL; i++) {
		guint8 b;

		if (bytes[i][0] == '\0')
			continue;
		if (strlen(bytes[i]) > 2 || !g_ascii_isxdigit(bytes[i][0]) ||
		    (bytes[i][1] != '\0' && !g_ascii_isxdigit(bytes[i][1])))
			return rb_ccd_fail(error,
					   RB_DISC_IMAGE_ERROR_SYNTAX,
					   ccd,
					   line,
					   _("“%s” is not a hexadecimal byte of a CD-TEXT pack"),
					   bytes[i]);
		b = (guint8)g_ascii_strtoull(bytes[i], NULL, 16);
		g_byte_array_append(ccd->cdtext, &b, 1);
	}
	return TRUE;
}

/* one "key=value" of the current section; FALSE with @error unset = unknown */
static gboolean
rb_ccd_key(RbCcd *ccd, const gchar *key, const gchar *value, guint line, GError **error)
{
	const gchar *s = ccd->section;
	gint64 v = 0;

	if (strcmp(s, "clonecd") == 0)
		return g_ascii_strcasecmp(key, "Version") == 0;
	if (strcmp(s, "session") == 0)
		return g_ascii_strcasecmp(key, "PreGapMode") == 0 ||
		       g_ascii_strcasecmp(key, "PreGapSubC") == 0;
	if (strcmp(s, "cdtext") == 0)
		return rb_ccd_cdtext_line(ccd, key, value, line, error);
	if (strcmp(s, "disc") == 0) {
		if (g_ascii_strcasecmp(key, "CATALOG") == 0) {
			g_free(ccd->catalog);
			ccd->catalog = g_strdup(value);
			return TRUE;
		}
		if (g_ascii_strcasecmp(key, "CDTextLength") == 0)
			return rb_ccd_int(value, 0, G_MAXINT32, &v);
		if (!rb_ccd_int(value, 0, 10000, &v))
			return FALSE;
		if (g_ascii_strcasecmp(key, "TocEntries") == 0)
			ccd->toc_entries = (guint)v;
		else if (g_ascii_strcasecmp(key, "Sessions") == 0)
			ccd->sessions = (guint)v;
		else if (g_ascii_strcasecmp(key, "DataTracksScrambled") == 0)
			ccd->scrambled = v != 0;
		else
			return FALSE;
		return TRUE;
	}
	if (strcmp(s, "entry") == 0) {
		static const gchar *p_keys[] = {"PMin", "PSec", "PFrame", "PLBA"};
		/* a time's fields, and the LBAs from 00:00:00 to 99:59:74
		 * (the greatest time Q can say) */
		static const gint64 p_min[] = {0, 0, 0, -RB_CD_MSF_OFFSET};
		static const gint64 p_max[] = {99, 59, 74, 449849};
		static const gchar *ignored[] = {
			"TrackNo", "AMin", "ASec", "AFrame", "ALBA", "Zero"};

		if (!rb_ccd_int(value, -1000000, 1000000, &v))
			return FALSE;
		for (guint i = 0; i < G_N_ELEMENTS(p_keys); i++) {
			if (g_ascii_strcasecmp(key, p_keys[i]) != 0)
				continue;
			if (v < p_min[i] || v > p_max[i])
				return rb_ccd_fail(error,
						   RB_DISC_IMAGE_ERROR_SYNTAX,
						   ccd,
						   line,
						   _("%s=%s is out of range (%d to %d): fix the "
						     "sheet"),
						   key,
						   value,
						   (gint)p_min[i],
						   (gint)p_max[i]);
			ccd->entry_p[i] = (gint32)v;
			ccd->entry_p_lines[i] = line;
			return TRUE;
		}
		for (guint i = 0; i < G_N_ELEMENTS(ignored); i++) {
			if (g_ascii_strcasecmp(key, ignored[i]) == 0)
				return TRUE;
		}
		if (g_ascii_strcasecmp(key, "Session") == 0)
			ccd->entry_session = (guint)v;
		else if (g_ascii_strcasecmp(key, "Point") == 0)
			ccd->entry_point = (guint)v;
		else if (g_ascii_strcasecmp(key, "ADR") == 0)
			ccd->entry_adr = (guint)v;
		else if (g_ascii_strcasecmp(key, "Control") == 0)
			ccd->entry_control = (guint)v;
		else
			return FALSE;
		return TRUE;
	}
	if (strcmp(s, "track") == 0) {
		RbCcdTrack *t = &ccd->tracks[ccd->section_number];

		if (g_ascii_strcasecmp(key, "MODE") == 0) {
			if (!rb_ccd_int(value, 0, 2, &v))
				return FALSE;
			t->mode = (gint)v;
		} else if (g_ascii_strncasecmp(key, "INDEX", 5) == 0 && g_ascii_isspace(key[5])) {
			gint64 index = 0;
			gchar *number = g_strstrip(g_strdup(key + 5));
			gboolean ok = rb_ccd_int(number, 0, RB_IMAGE_MAX_INDEXES, &index) &&
				      rb_ccd_int(value, 0, RB_IMAGE_LAST_USER_LBA, &v);

			g_free(number);
			if (!ok)
				return FALSE;
			t->indexes[index] = (gint32)v;
			t->has_index[index] = TRUE;
			t->n_indexes = MAX(t->n_indexes, (guint)index);
		} else if (g_ascii_strcasecmp(key, "ISRC") == 0) {
			g_free(t->isrc);
			t->isrc = g_strdup(value);
		} else if (g_ascii_strcasecmp(key, "FLAGS") == 0) {
			g_free(t->flags);
			t->flags = g_strdup(value);
		} else {
			return FALSE;
		}
		return TRUE;
	}
	return FALSE;
}

gboolean
rb_ccd_parse(RbCcd *ccd, const gchar *text, GError **error)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	guint n = 0;

	for (guint i = 0; lines[i] != NULL; i++) {
		gchar *line = g_strstrip(lines[i]);
		gchar *eq;
		g_autoptr(GError) error_local = NULL;

		n = i + 1;
		if (*line == '\0' || *line == ';')
			continue;
		if (*line == '[') {
			gchar *end = strchr(line, ']');

			if (end == NULL || end[1] != '\0')
				return rb_ccd_fail(error,
						   RB_DISC_IMAGE_ERROR_SYNTAX,
						   ccd,
						   n,
						   _("“%s” is no [section] line: fix the sheet"),
						   line);
			*end = '\0';
			if (!rb_ccd_section(ccd, g_strstrip(line + 1), n, error))
				return FALSE;
			continue;
		}
		eq = strchr(line, '=');
		if (eq == NULL || ccd->section[0] == '\0')
			return rb_ccd_fail(
				error,
				RB_DISC_IMAGE_ERROR_SYNTAX,
				ccd,
				n,
				_("“%s” is no “key=value” line of a section: fix the sheet"),
				line);
		*eq = '\0';
		if (!rb_ccd_key(ccd, g_strstrip(line), g_strstrip(eq + 1), n, &error_local)) {
			if (error_local != NULL) {
				g_propagate_error(error, g_steal_pointer(&error_local));
				return FALSE;
			}
			return rb_ccd_fail(error,
					   RB_DISC_IMAGE_ERROR_SYNTAX,
					   ccd,
					   n,
					   _("“%s=%s” is unknown or out of range in this section; "
					     "rawburn will not burn a sheet it may misunderstand"),
					   line,
					   eq + 1);
		}
	}
	return rb_ccd_close_entry(ccd, error);
}

/* the .ccd's tracks, checked against each other and the TOC entries */
gboolean
rb_ccd_check_tracks(RbCcd *ccd, GError **error)
{
	if (ccd->sessions != 1)
		return rb_ccd_fail(
			error,
			RB_DISC_IMAGE_ERROR_UNSUPPORTED,
			ccd,
			0,
			_("multi-session CloneCD images are not supported (Sessions=%u)"),
			ccd->sessions);
	if (ccd->scrambled)
		return rb_ccd_fail(error,
				   RB_DISC_IMAGE_ERROR_UNSUPPORTED,
				   ccd,
				   0,
				   _("DataTracksScrambled=1: the .img holds scrambled data "
				     "sectors, which rawburn does not burn; read the disc again "
				     "without that option"));
	if (ccd->n_entries != ccd->toc_entries || !ccd->have_first || !ccd->have_last ||
	    !ccd->have_leadout || ccd->first < 1 || ccd->last < ccd->first ||
	    ccd->last > RB_IMAGE_MAX_TRACKS)
		return rb_ccd_fail(error,
				   RB_DISC_IMAGE_ERROR_SYNTAX,
				   ccd,
				   0,
				   _("the sheet has %u TOC entries for TocEntries=%u, or lacks the "
				     "first track, last track or lead-out entry: fix the sheet"),
				   ccd->n_entries,
				   ccd->toc_entries);
	for (guint n = ccd->first; n <= ccd->last; n++) {
		RbCcdTrack *t = &ccd->tracks[n];
		gint32 next = n < ccd->last ? ccd->tracks[n + 1].start : ccd->leadout;
		gboolean data = (t->control & RB_CCD_CTL_DATA) != 0;

		if (!t->has_entry)
			return rb_ccd_fail(error,
					   RB_DISC_IMAGE_ERROR_SYNTAX,
					   ccd,
					   0,
					   _("track %u has no TOC entry: fix the sheet"),
					   n);
		if (!t->has_index[1]) {
			t->has_index[1] = TRUE;
			t->indexes[1] = t->start;
			t->n_indexes = MAX(t->n_indexes, 1u);
		}
		/*
		 * The .img starts at LBA 0, so the sectors before the first
		 * track's INDEX 1 are its index 0 even where [TRACK] lacks INDEX
		 * 0: without it they were dropped and every later sector burned
		 * that many LBAs early. A later track needs no such rule: the
		 * track before it runs up to its INDEX 0 or, lacking that, its
		 * INDEX 1, so no sector lies between them.
		 */
		if (n == ccd->first && !t->has_index[0] && t->start > 0) {
			t->has_index[0] = TRUE;
			t->indexes[0] = 0;
		}
		if (n < ccd->last && ccd->tracks[n + 1].has_entry &&
		    ccd->tracks[n + 1].has_index[0])
			next = ccd->tracks[n + 1].indexes[0];
		if (t->indexes[1] != t->start || (t->mode >= 0 && (t->mode != 0) != data) ||
		    (t->has_index[0] && t->indexes[0] > t->indexes[1]) ||
		    (n == ccd->first && t->has_index[0] && t->indexes[0] != 0) ||
		    t->start < (n == ccd->first ? 0 : 1) || next - t->start < 1)
			return rb_ccd_fail(
				error,
				RB_DISC_IMAGE_ERROR_SYNTAX,
				ccd,
				t->line,
				_("track %u: its INDEX 0/INDEX 1/MODE disagree with its TOC "
				  "entry (start LBA %d, control 0x%x) or its neighbours: fix "
				  "the sheet"),
				n,
				t->start,
				t->control);
		for (guint k = 2; k <= t->n_indexes; k++) {
			if (!t->has_index[k] || t->indexes[k] <= t->indexes[k - 1] ||
			    t->indexes[k] >= next)
				return rb_ccd_fail(
					error,
					RB_DISC_IMAGE_ERROR_SYNTAX,
					ccd,
					t->line,
					_("track %u: INDEX %u is missing or out of order: "
					  "fix the sheet"),
					n,
					k);
		}
	}
	return TRUE;
}
