/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CloneCD images: a .ccd sheet (INI text, CRLF as written on Windows), an
 * .img of 2352-byte sectors from LBA 0 to the lead-out, as READ CD returns
 * them (data descrambled), and an optional .sub of 96 bytes per .img
 * sector, channel after channel (12 bytes of P, of Q, … of W). libcdio 2.1
 * does not read CloneCD images, so this reader is rawburn's own; the .sub
 * is its second opinion: before anything is burned, the Q of every sector
 * with a good CRC must say the track, index and absolute time the .ccd's
 * layout gives that LBA. The .sub is then burned as it is (the core's
 * sub-channel source, raw P-W), so R-W data (CD+G, CD-TEXT in the program
 * area) is copied exactly; without a .sub the sub-channel is generated.
 *
 * The sheet (as CloneCD writes it, and as libmirage's image-ccd and other
 * readers parse it): [CloneCD] Version; [Disc] TocEntries, Sessions,
 * DataTracksScrambled, CDTextLength, CATALOG; [CDText] Entries and
 * "Entry N=" lines of hex pack bytes; [Session N] PreGapMode, PreGapSubC;
 * [Entry N] one TOC entry each (Session, Point, ADR, Control, TrackNo,
 * AMin/ASec/AFrame/ALBA, Zero, PMin/PSec/PFrame/PLBA): point A0h/A1h hold
 * the first/last track in PMin, A2h the lead-out, 01h-63h the tracks'
 * index 1; [TRACK N] MODE (0 audio, 1, 2), INDEX n=LBA, ISRC, FLAGS.
 * Refused: more than one session, scrambled data tracks, a .sub whose Q
 * disagrees with the sheet (a protected or damaged image needs a tool
 * that burns it as such).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rb-disc-image-private.h"
#include "rb-msf.h"

#define RB_CCD_SHEET_MAX (1024 * 1024)
#define RB_CCD_SUB_CHUNK 75 /* sectors read at once for the Q check */
#define RB_CCD_CTL_DATA 0x4
#define RB_CCD_CTL_COPY 0x2
#define RB_CCD_CTL_PREEMPHASIS 0x1
#define RB_CCD_IMAGE_TYPE_RAW 3 /* IS_RAW: the sub-channel source needs raw P-W */

typedef struct {
	guint line;
	gboolean has_entry;
	guint8 control;
	gint32 start; /* the entry's index 1 */
	gint mode;    /* [TRACK N] MODE, -1 = not given */
	guint n_indexes;
	gint32 indexes[RB_IMAGE_MAX_INDEXES + 1]; /* [0] index 0 */
	gboolean has_index[RB_IMAGE_MAX_INDEXES + 1];
	gchar *isrc;
	gchar *flags;
} RbCcdTrack;

typedef struct {
	const gchar *path;
	guint sessions;
	guint toc_entries;
	guint n_entries;
	gboolean scrambled;
	gchar *catalog;
	GByteArray *cdtext;
	guint cdtext_entries;
	guint first;
	guint last;
	gint32 leadout;
	gboolean have_first;
	gboolean have_last;
	gboolean have_leadout;
	guint ignored_entries;
	RbCcdTrack tracks[RB_IMAGE_MAX_TRACKS + 1]; /* by number */
	/* the section being read */
	gchar section[16];
	guint section_number;
	guint entry_point;
	guint entry_adr;
	guint entry_session;
	gint32 entry_p[4]; /* PMin, PSec, PFrame, PLBA */
	gboolean entry_has_plba;
	guint entry_control;
} RbCcd;

static gboolean G_GNUC_PRINTF(5, 6) rb_ccd_fail(
	GError **error, gint code, const RbCcd *ccd, guint line, const gchar *format, ...)
{
	g_autofree gchar *what = NULL;
	va_list args;

	va_start(args, format);
	what = g_strdup_vprintf(format, args);
	va_end(args);
	if (line > 0)
		g_set_error(error,
			    RB_DISC_IMAGE_ERROR,
			    code,
			    _("%s line %u: %s"),
			    ccd->path,
			    line,
			    what);
	else
		g_set_error(error, RB_DISC_IMAGE_ERROR, code, "%s: %s", ccd->path, what);
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
rb_ccd_close_entry(RbCcd *ccd, guint line, GError **error)
{
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
	/* A0h/A1h hold numbers in PMin/PSec, CloneCD's PLBA is still their MSF's */
	lba = rb_msf_to_lba(msf);
	if (ccd->entry_has_plba && lba != ccd->entry_p[3])
		return rb_ccd_fail(error,
				   RB_DISC_IMAGE_ERROR_SYNTAX,
				   ccd,
				   line,
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

	if (!rb_ccd_close_entry(ccd, line, error))
		return FALSE;
	memset(ccd->entry_p, 0, sizeof(ccd->entry_p));
	ccd->entry_has_plba = FALSE;
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
		static const gchar *ignored[] = {
			"TrackNo", "AMin", "ASec", "AFrame", "ALBA", "Zero"};

		if (!rb_ccd_int(value, -1000000, 1000000, &v))
			return FALSE;
		for (guint i = 0; i < G_N_ELEMENTS(p_keys); i++) {
			if (g_ascii_strcasecmp(key, p_keys[i]) == 0) {
				ccd->entry_p[i] = (gint32)v;
				ccd->entry_has_plba |= i == 3;
				return TRUE;
			}
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

static gboolean
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
	return rb_ccd_close_entry(ccd, n, error);
}

/* the .ccd's tracks, checked against each other and the TOC entries */
static gboolean
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

/* a data track's type from the mode byte of its first sector's header */
static gboolean
rb_ccd_data_type(RbCcd *ccd, gint fd, guint n, RbCdSectorType *type, GError **error)
{
	RbCcdTrack *t = &ccd->tracks[n];
	static const guint8 sync[12] = {
		0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00};
	guint8 head[24] = {0};
	gint mode;

	if (pread(fd, head, sizeof(head), (off_t)t->start * RB_CD_MAIN_SIZE) != sizeof(head) ||
	    memcmp(head, sync, sizeof(sync)) != 0 || (head[15] != 1 && head[15] != 2))
		return rb_ccd_fail(error,
				   RB_DISC_IMAGE_ERROR_MISMATCH,
				   ccd,
				   t->line,
				   _("track %u is data, but the .img sector at LBA %d is no Mode 1 "
				     "or Mode 2 data sector: the .img does not belong to this "
				     "sheet"),
				   n,
				   t->start);
	mode = head[15];
	if (t->mode >= 0 && t->mode != mode)
		return rb_ccd_fail(error,
				   RB_DISC_IMAGE_ERROR_MISMATCH,
				   ccd,
				   t->line,
				   _("track %u has MODE=%d, but its first sector says Mode %d: "
				     "fix the sheet"),
				   n,
				   t->mode,
				   mode);
	/* CD-ROM XA: the sub-mode's form 2 bit (byte 18) */
	*type = mode == 1 ? RB_CD_SECTOR_MODE1_RAW
			  : ((head[18] & 0x20) != 0 ? RB_CD_SECTOR_MODE2_FORM2_RAW
						    : RB_CD_SECTOR_MODE2_FORM1_RAW);
	return TRUE;
}

static gboolean
rb_ccd_layout_error(RbCcd *ccd, guint line, GError *error_local, GError **error)
{
	return rb_ccd_fail(
		error, RB_DISC_IMAGE_ERROR_INVALID, ccd, line, "%s", error_local->message);
}

static gboolean
rb_ccd_build(RbDiscImage *image, RbCcd *ccd, const gchar *img, gint fd, GError **error)
{
	RbImageLayout *layout = image->layout;
	g_autoptr(GError) error_local = NULL;

	if (ccd->first != 1 &&
	    !rb_image_layout_set_starting_track_number(layout, ccd->first, &error_local))
		return rb_ccd_layout_error(ccd, 0, error_local, error);
	if (ccd->catalog != NULL && ccd->catalog[0] != '\0' &&
	    !rb_image_layout_set_mcn(layout, ccd->catalog, &error_local))
		return rb_ccd_layout_error(ccd, 0, error_local, error);
	for (guint n = ccd->first; n <= ccd->last; n++) {
		RbCcdTrack *t = &ccd->tracks[n];
		guint i = n - ccd->first;
		gint32 next = n < ccd->last ? (ccd->tracks[n + 1].has_index[0]
						       ? ccd->tracks[n + 1].indexes[0]
						       : ccd->tracks[n + 1].start)
					    : ccd->leadout;
		gint32 from = t->has_index[0] ? t->indexes[0] : t->start;
		RbCdSectorType type = RB_CD_SECTOR_AUDIO;
		gboolean data = (t->control & RB_CCD_CTL_DATA) != 0;
		/* track 1's 150 sectors before LBA 0 are never in the .img */
		guint32 generated = i == 0 ? RB_IMAGE_PREGAP_SECTORS : 0;

		if (data && !rb_ccd_data_type(ccd, fd, n, &type, error))
			return FALSE;
		if (!rb_image_layout_add_track(
			    layout, type, (guint32)(next - t->start), NULL, &error_local) ||
		    !rb_image_layout_track_set_pregap(
			    layout, i, generated + (guint32)(t->start - from), &error_local) ||
		    (t->isrc != NULL && t->isrc[0] != '\0' &&
		     !rb_image_layout_track_set_isrc(layout, i, t->isrc, &error_local)) ||
		    !rb_image_layout_track_set_copy(layout,
						    i,
						    (t->control & RB_CCD_CTL_COPY) != 0
							    ? RB_IMAGE_COPY_PERMITTED
							    : RB_IMAGE_COPY_PROHIBITED,
						    &error_local) ||
		    (!data && (t->control & RB_CCD_CTL_PREEMPHASIS) != 0 &&
		     !rb_image_layout_track_set_preemphasis(layout, i, TRUE, &error_local)))
			return rb_ccd_layout_error(ccd, t->line, error_local, error);
		for (guint k = 2; k <= t->n_indexes; k++) {
			if (!rb_image_layout_track_add_index(layout,
							     i,
							     (guint32)(t->indexes[k] - t->start),
							     NULL,
							     &error_local))
				return rb_ccd_layout_error(ccd, t->line, error_local, error);
		}
		if (generated > 0 && data)
			rb_disc_image_add_empty_raw(image, i, generated);
		else
			rb_disc_image_add_zero(image, i, (guint64)generated * RB_CD_MAIN_SIZE);
		rb_disc_image_add_file(image,
				       i,
				       img,
				       (guint64)from * RB_CD_MAIN_SIZE,
				       (guint64)(next - from) * RB_CD_MAIN_SIZE,
				       data ? RB_DISC_SEGMENT_SCRAMBLE : RB_DISC_SEGMENT_NONE);
		rb_disc_image_set_origin(image, i, ccd->path, t->line);
	}
	if (ccd->cdtext->len > 0) {
		image->cdtext = rb_cdtext_decode(ccd->cdtext->data, ccd->cdtext->len, &error_local);
		if (image->cdtext == NULL)
			return rb_ccd_fail(
				error,
				RB_DISC_IMAGE_ERROR_SYNTAX,
				ccd,
				0,
				_("the [CDText] packs cannot be read (%s): fix or remove "
				  "the section"),
				error_local->message);
	}
	if (ccd->ignored_entries > 0)
		rb_disc_image_add_note(image,
				       _("%u TOC entries of other kinds than tracks (ADR 5: "
					 "recordable disc information) were ignored"),
				       ccd->ignored_entries);
	return TRUE;
}

/* the track number and index the layout gives @lba of the program area */
static void
rb_ccd_expected(const RbImageLayout *layout, gint32 lba, guint *number, guint *index)
{
	guint n_tracks = rb_image_layout_get_n_tracks(layout);
	const RbImageTrack *t = rb_image_layout_get_track(layout, 0);

	for (guint i = 1; i < n_tracks; i++) {
		const RbImageTrack *next = rb_image_layout_get_track(layout, i);

		if (next->pregap_start > lba)
			break;
		t = next;
	}
	*number = t->number;
	*index = 0;
	for (guint k = 0; lba >= t->start && k < t->n_indexes; k++) {
		if (t->start + (gint32)t->indexes[k] <= lba)
			*index = k + 1;
	}
}

/*
 * Every sector's Q with a good CRC and ADR 1 against the layout; the .sub
 * is read once, a second at a time.
 */
static gboolean
rb_ccd_check_sub(RbDiscImage *image, RbCcd *ccd, const gchar *sub, GError **error)
{
	g_autofree guint8 *buf = g_malloc(RB_CCD_SUB_CHUNK * RB_SUBCHANNEL_PW_SIZE);
	guint bad_crc = 0;
	struct stat st;
	gint fd = g_open(sub, O_RDONLY | O_CLOEXEC | O_NOCTTY, 0);
	guint64 need = (guint64)ccd->leadout * RB_SUBCHANNEL_PW_SIZE;

	if (fd < 0 || fstat(fd, &st) != 0 || (guint64)st.st_size < need) {
		if (fd >= 0)
			close(fd);
		return rb_ccd_fail(error,
				   RB_DISC_IMAGE_ERROR_FILE_TOO_SHORT,
				   ccd,
				   0,
				   _("“%s” has %" G_GUINT64_FORMAT " bytes, but the %d sectors up "
				     "to the lead-out need %" G_GUINT64_FORMAT
				     ": the .sub is truncated; read the disc again, or move "
				     "the .sub away to burn with a generated sub-channel"),
				   sub,
				   fd >= 0 ? (guint64)st.st_size : 0,
				   ccd->leadout,
				   need);
	}
	for (gint32 lba = 0; lba < ccd->leadout; lba += RB_CCD_SUB_CHUNK) {
		guint n = (guint)MIN(RB_CCD_SUB_CHUNK, ccd->leadout - lba);
		gsize len = (gsize)n * RB_SUBCHANNEL_PW_SIZE;

		if (pread(fd, buf, len, (off_t)lba * RB_SUBCHANNEL_PW_SIZE) != (gssize)len) {
			close(fd);
			return rb_ccd_fail(error,
					   RB_DISC_IMAGE_ERROR_FILE,
					   ccd,
					   0,
					   _("“%s” cannot be read: %s"),
					   sub,
					   g_strerror(errno));
		}
		for (guint s = 0; s < n; s++) {
			const guint8 *q = buf + s * RB_SUBCHANNEL_PW_SIZE + 12;
			guint number;
			guint index;
			guint8 tno = 0;
			guint8 idx = 0;
			RbMsf msf = {0};
			gint32 at = lba + (gint32)s;

			if (!rb_subq_check_crc(q)) {
				bad_crc++;
				continue;
			}
			if ((q[0] & 0x0F) != RB_SUBQ_ADR_POSITION)
				continue;
			rb_ccd_expected(image->layout, at, &number, &index);
			if (!rb_bcd_decode(q[1], &tno) || !rb_bcd_decode(q[2], &idx) ||
			    !rb_bcd_decode(q[7], &msf.minute) ||
			    !rb_bcd_decode(q[8], &msf.second) || !rb_bcd_decode(q[9], &msf.frame) ||
			    tno != number || idx != index || rb_msf_to_lba(msf) != at) {
				close(fd);
				return rb_ccd_fail(
					error,
					RB_DISC_IMAGE_ERROR_MISMATCH,
					ccd,
					0,
					_("at LBA %d the .sub's Q says track %02x index %02x at "
					  "%02x:%02x:%02x, the sheet track %u index %u: the image "
					  "is protected or damaged and needs a tool that burns it "
					  "as such, or move the .sub away to burn with a "
					  "generated sub-channel"),
					at,
					q[1],
					q[2],
					q[7],
					q[8],
					q[9],
					number,
					index);
			}
		}
	}
	close(fd);
	if (bad_crc > 0)
		rb_disc_image_add_note(image,
				       _("%u sectors of the .sub have a bad Q CRC (read errors "
					 "of the source disc): they are burned as they are"),
				       bad_crc);
	return TRUE;
}

/* @ccd's stem with the extension @ext, in whatever case is there */
static gchar *
rb_ccd_sibling(RbDiscImage *image, const gchar *path, const gchar *ext)
{
	const gchar *dot = strrchr(path, '.');
	g_autofree gchar *stem = dot != NULL ? g_strndup(path, dot - path) : g_strdup(path);
	g_autofree gchar *name = g_strconcat(stem, ".", ext, NULL);
	g_autofree gchar *base = g_path_get_basename(name);

	return rb_disc_image_resolve_path(image, base);
}

RbDiscImage *
rb_disc_clonecd_read(const gchar *path, GError **error)
{
	g_autoptr(RbDiscImage) image = rb_disc_image_new(RB_DISC_IMAGE_FORMAT_CLONECD, path);
	g_autofree gchar *text = NULL;
	g_autofree gchar *img = NULL;
	g_autofree gchar *sub = NULL;
	g_autoptr(GError) error_local = NULL;
	RbCcd *ccd = g_new0(RbCcd, 1);
	gsize len = 0;
	gboolean ok;
	gint fd;

	ccd->path = path;
	ccd->cdtext = g_byte_array_new();
	for (guint n = 0; n <= RB_IMAGE_MAX_TRACKS; n++)
		ccd->tracks[n].mode = -1;
	if (!g_file_get_contents(path, &text, &len, &error_local) || len > RB_CCD_SHEET_MAX) {
		ok = rb_ccd_fail(error,
				 RB_DISC_IMAGE_ERROR_FILE,
				 ccd,
				 0,
				 "%s",
				 error_local != NULL ? error_local->message
						     : _("the sheet is too large for a .ccd"));
	} else {
		ok = rb_ccd_parse(ccd, text, error) && rb_ccd_check_tracks(ccd, error);
	}
	if (ok) {
		img = rb_ccd_sibling(image, path, "img");
		sub = rb_ccd_sibling(image, path, "sub");
		fd = g_open(img, O_RDONLY | O_CLOEXEC | O_NOCTTY, 0);
		if (fd < 0) {
			ok = rb_ccd_fail(error,
					 RB_DISC_IMAGE_ERROR_FILE,
					 ccd,
					 0,
					 _("its sectors “%s” cannot be opened (%s): put the .img "
					   "beside the .ccd, with the same name"),
					 img,
					 g_strerror(errno));
		} else {
			ok = rb_ccd_build(image, ccd, img, fd, error);
			close(fd);
		}
	}
	if (ok && g_file_test(sub, G_FILE_TEST_EXISTS)) {
		ok = rb_ccd_check_sub(image, ccd, sub, error);
		if (ok && (!rb_image_layout_set_image_type(
				   image->layout, RB_CCD_IMAGE_TYPE_RAW, &error_local) ||
			   !rb_image_layout_add_subchannel_source(image->layout, &error_local)))
			ok = rb_ccd_layout_error(ccd, 0, error_local, error);
		if (ok)
			rb_disc_image_add_file(image,
					       RB_IMAGE_SOURCE_SUBCHANNEL,
					       sub,
					       0,
					       (guint64)ccd->leadout * RB_SUBCHANNEL_PW_SIZE,
					       RB_DISC_SEGMENT_SUB_CHANNELS);
	} else if (ok) {
		rb_disc_image_add_note(image,
				       _("no .sub beside the .ccd: the sub-channel is generated "
					 "from the sheet, R-W data of the original is not copied"));
	}
	for (guint n = 0; n <= RB_IMAGE_MAX_TRACKS; n++) {
		g_free(ccd->tracks[n].isrc);
		g_free(ccd->tracks[n].flags);
	}
	g_free(ccd->catalog);
	g_byte_array_unref(ccd->cdtext);
	g_free(ccd);
	if (!ok)
		return NULL;
	return g_steal_pointer(&image);
}
