/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The image model the format readers fill (rb-disc-image-private.h): the
 * layout, the CD-TEXT, the segments of files each source reads; which
 * reader an image file needs; and the checks that can be made before a
 * disc is touched, each naming the file and what is wrong.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <inttypes.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rb-disc-image-private.h"
#include "rb-msf.h"
#include "rb-scramble.h"

/* a sheet is text and small; an image's data is neither */
#define RB_DISC_SHEET_MAX_SIZE (1024 * 1024)
#define RB_DISC_SNIFF_SIZE 4096

G_DEFINE_QUARK(rb - disc - image - error - quark, rb_disc_image_error)

RbDiscImage *
rb_disc_image_new(RbDiscImageFormat format, const gchar *path)
{
	RbDiscImage *image = g_new0(RbDiscImage, 1);

	image->format = format;
	image->path = g_strdup(path);
	image->notes = g_ptr_array_new_with_free_func(g_free);
	image->aux_files = g_ptr_array_new_with_free_func(g_free);
	if (format != RB_DISC_IMAGE_FORMAT_RAW_DAO) {
		image->layout = rb_image_layout_new();
		/* sheet mode never fails on a new layout */
		rb_image_layout_set_explicit_gaps(image->layout, TRUE, NULL);
	}
	return image;
}

static void
rb_disc_segment_clear(gpointer data)
{
	RbDiscSegment *segment = data;

	g_free(segment->path);
}

void
rb_disc_image_free(RbDiscImage *image)
{
	if (image == NULL)
		return;
	for (guint i = 0; i < RB_DISC_IMAGE_N_SOURCES; i++)
		g_clear_pointer(&image->sources[i], g_array_unref);
	for (guint i = 0; i < RB_IMAGE_MAX_TRACKS; i++)
		g_free(image->origins[i].file);
	g_clear_pointer(&image->layout, rb_image_layout_free);
	g_clear_pointer(&image->cdtext, rb_cdtext_free);
	g_ptr_array_unref(image->notes);
	g_ptr_array_unref(image->aux_files);
	g_free(image->path);
	g_free(image);
}

static void
rb_disc_image_append(RbDiscImage *image, guint source, const RbDiscSegment *segment)
{
	g_return_if_fail(source < RB_DISC_IMAGE_N_SOURCES);
	if (image->sources[source] == NULL) {
		image->sources[source] = g_array_new(FALSE, TRUE, sizeof(RbDiscSegment));
		g_array_set_clear_func(image->sources[source], rb_disc_segment_clear);
	}
	g_array_append_vals(image->sources[source], segment, 1);
}

void
rb_disc_image_add_file(RbDiscImage *image,
		       guint source,
		       const gchar *path,
		       guint64 offset,
		       guint64 length,
		       RbDiscSegmentFlags flags)
{
	RbDiscSegment segment = {
		.kind = RB_DISC_SEGMENT_FILE,
		.flags = flags,
		.path = g_strdup(path),
		.offset = offset,
		.data_length = length,
		.length = length,
	};

	if ((flags & RB_DISC_SEGMENT_XA_2336) != 0)
		segment.length = length / RB_CD_XA_INPUT_SIZE * RB_CD_MAIN_SIZE;
	if ((flags & RB_DISC_SEGMENT_PAD) != 0 && length % RB_CD_MAIN_SIZE != 0)
		segment.length += RB_CD_MAIN_SIZE - length % RB_CD_MAIN_SIZE;
	rb_disc_image_append(image, source, &segment);
}

void
rb_disc_image_add_zero(RbDiscImage *image, guint source, guint64 length)
{
	RbDiscSegment segment = {.kind = RB_DISC_SEGMENT_ZERO, .length = length};

	if (length > 0)
		rb_disc_image_append(image, source, &segment);
}

void
rb_disc_image_add_empty_raw(RbDiscImage *image, guint source, guint32 n_sectors)
{
	RbDiscSegment segment = {
		.kind = RB_DISC_SEGMENT_EMPTY_RAW,
		.length = (guint64)n_sectors * RB_CD_MAIN_SIZE,
	};

	if (n_sectors > 0)
		rb_disc_image_append(image, source, &segment);
}

void
rb_disc_image_set_origin(RbDiscImage *image, guint track_index, const gchar *file, guint line)
{
	g_return_if_fail(track_index < RB_IMAGE_MAX_TRACKS);
	g_free(image->origins[track_index].file);
	image->origins[track_index].file = g_strdup(file);
	image->origins[track_index].line = line;
}

void
rb_disc_image_add_note(RbDiscImage *image, const gchar *format, ...)
{
	va_list args;

	va_start(args, format);
	g_ptr_array_add(image->notes, g_strdup_vprintf(format, args));
	va_end(args);
}

void
rb_disc_image_add_aux_file(RbDiscImage *image, const gchar *path)
{
	if (!g_ptr_array_find_with_equal_func(image->aux_files, path, g_str_equal, NULL))
		g_ptr_array_add(image->aux_files, g_strdup(path));
}

guint64
rb_disc_image_get_source_length(const RbDiscImage *image, guint source)
{
	guint64 total = 0;

	if (source >= RB_DISC_IMAGE_N_SOURCES || image->sources[source] == NULL)
		return 0;
	/* a hostile sheet's lengths must not wrap round to the sum the layout
	 * expects: G_MAXUINT64 never equals it */
	for (guint i = 0; i < image->sources[source]->len; i++) {
		if (!g_uint64_checked_add(
			    &total,
			    total,
			    g_array_index(image->sources[source], RbDiscSegment, i).length))
			return G_MAXUINT64;
	}
	return total;
}

gchar *
rb_disc_image_resolve_path(RbDiscImage *image, const gchar *name)
{
	g_autofree gchar *dir = g_path_get_dirname(image->path);
	/* NULL: relative to the working folder */
	g_autofree gchar *folder_abs = g_canonicalize_filename(dir, NULL);
	g_autofree gchar *path = NULL;
	g_autofree gchar *folder = NULL;
	g_autofree gchar *base = NULL;
	g_autoptr(GDir) listing = NULL;
	const gchar *entry;

	/* absolute: the path is handed on to libcdio, which resolves relative
	 * names against its own working folder */
	path = g_canonicalize_filename(name, folder_abs);
	if (g_file_test(path, G_FILE_TEST_EXISTS))
		return g_steal_pointer(&path);

	/* sheets written on Windows name "Track 01.BIN" for "track 01.bin" */
	folder = g_path_get_dirname(path);
	base = g_path_get_basename(path);
	listing = g_dir_open(folder, 0, NULL);
	while (listing != NULL && (entry = g_dir_read_name(listing)) != NULL) {
		if (g_ascii_strcasecmp(entry, base) == 0) {
			rb_disc_image_add_note(
				image,
				_("“%s” was found as “%s” (the names differ in case)"),
				name,
				entry);
			return g_build_filename(folder, entry, NULL);
		}
	}
	return g_steal_pointer(&path);
}

RbDiscImageFormat
rb_disc_image_get_format(const RbDiscImage *image)
{
	return image->format;
}

const gchar *
rb_disc_image_format_to_string(RbDiscImageFormat format)
{
	switch (format) {
	case RB_DISC_IMAGE_FORMAT_RAW_DAO:
		return "raw";
	case RB_DISC_IMAGE_FORMAT_CUE:
		return "cue";
	case RB_DISC_IMAGE_FORMAT_TOC:
		return "toc";
	case RB_DISC_IMAGE_FORMAT_NRG:
		return "nrg";
	case RB_DISC_IMAGE_FORMAT_CLONECD:
		return "clonecd";
	case RB_DISC_IMAGE_FORMAT_WAV:
		return "wav";
	}
	return "unknown";
}

const gchar *
rb_disc_image_get_path(const RbDiscImage *image)
{
	return image->path;
}

RbImageLayout *
rb_disc_image_get_layout(RbDiscImage *image)
{
	return image->layout;
}

RbCdText *
rb_disc_image_get_cdtext(RbDiscImage *image)
{
	return image->cdtext;
}

void
rb_disc_image_set_cdtext(RbDiscImage *image, RbCdText *cdtext)
{
	if (image->cdtext == cdtext)
		return;
	g_clear_pointer(&image->cdtext, rb_cdtext_free);
	image->cdtext = cdtext;
}

const GPtrArray *
rb_disc_image_get_notes(const RbDiscImage *image)
{
	return image->notes;
}

GPtrArray *
rb_disc_image_get_files(const RbDiscImage *image)
{
	GPtrArray *files = g_ptr_array_new_with_free_func(g_free);

	g_ptr_array_add(files, g_strdup(image->path));
	for (guint i = 0; i < image->aux_files->len; i++)
		g_ptr_array_add(files, g_strdup(g_ptr_array_index(image->aux_files, i)));
	for (guint i = 0; i < RB_DISC_IMAGE_N_SOURCES; i++) {
		GArray *segments = image->sources[i];

		for (guint j = 0; segments != NULL && j < segments->len; j++) {
			const RbDiscSegment *segment = &g_array_index(segments, RbDiscSegment, j);

			if (segment->kind == RB_DISC_SEGMENT_FILE &&
			    !g_ptr_array_find_with_equal_func(
				    files, segment->path, g_str_equal, NULL))
				g_ptr_array_add(files, g_strdup(segment->path));
		}
	}
	return files;
}

gchar *
rb_disc_image_describe_track_source(const RbDiscImage *image, guint track_index)
{
	const RbDiscOrigin *origin;
	g_autofree gchar *data = NULL;
	GArray *segments;

	if (track_index >= RB_IMAGE_MAX_TRACKS)
		return NULL;
	origin = &image->origins[track_index];
	segments = image->sources[track_index];
	for (guint i = 0; segments != NULL && i < segments->len && data == NULL; i++) {
		const RbDiscSegment *segment = &g_array_index(segments, RbDiscSegment, i);
		g_autofree gchar *base = NULL;

		if (segment->kind != RB_DISC_SEGMENT_FILE)
			continue;
		base = g_path_get_basename(segment->path);
		data = g_strdup_printf(_("%s from byte %" PRIu64), base, segment->offset);
	}
	if (data == NULL)
		data = g_strdup(_("silence or empty sectors"));
	if (origin->file != NULL && origin->line > 0) {
		g_autofree gchar *base = g_path_get_basename(origin->file);
		return g_strdup_printf(_("%s (%s line %u)"), data, base, origin->line);
	}
	return g_steal_pointer(&data);
}

void
rb_disc_image_set_sheet_error_valist(
	GError **error, gint code, const gchar *path, guint line, const gchar *format, va_list args)
{
	g_autofree gchar *what = g_strdup_vprintf(format, args);

	if (line > 0)
		g_set_error(
			error, RB_DISC_IMAGE_ERROR, code, _("%s line %u: %s"), path, line, what);
	else
		g_set_error(error, RB_DISC_IMAGE_ERROR, code, "%s: %s", path, what);
}

gint
rb_disc_image_open_file(const gchar *path, struct stat *st, GError **error)
{
	/* O_NONBLOCK: a FIFO swapped in for a file must not hang the open */
	gint fd = g_open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, 0);

	if (fd < 0 || fstat(fd, st) != 0) {
		gint errsv = errno;

		if (fd >= 0)
			close(fd);
		g_set_error(error,
			    RB_DISC_IMAGE_ERROR,
			    RB_DISC_IMAGE_ERROR_FILE,
			    _("Cannot open the image “%s”: %s"),
			    path,
			    g_strerror(errsv));
		return -1;
	}
	return fd;
}

/* the first bytes of @path, and its size */
static GBytes *
rb_disc_image_sniff(const gchar *path, guint64 *size, GError **error)
{
	g_autofree guint8 *head = g_malloc(RB_DISC_SNIFF_SIZE);
	struct stat st;
	gssize n;
	gint fd = rb_disc_image_open_file(path, &st, error);

	if (fd < 0)
		return NULL;
	*size = S_ISREG(st.st_mode) ? (guint64)st.st_size : 0;
	n = S_ISREG(st.st_mode) ? read(fd, head, RB_DISC_SNIFF_SIZE) : 0;
	close(fd);
	return g_bytes_new(head, n > 0 ? (gsize)n : 0);
}

/* a Nero image ends with "NER5" + a 64-bit or "NERO" + a 32-bit chunk offset */
static gboolean
rb_disc_image_has_nrg_footer(const gchar *path, guint64 size)
{
	guint8 tail[12];
	gboolean found = FALSE;
	gint fd;

	if (size < sizeof(tail))
		return FALSE;
	fd = g_open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY, 0);
	if (fd < 0)
		return FALSE;
	if (pread(fd, tail, sizeof(tail), (off_t)(size - sizeof(tail))) == sizeof(tail))
		found = memcmp(tail, "NER5", 4) == 0 || memcmp(tail + 4, "NERO", 4) == 0;
	close(fd);
	return found;
}

static gboolean
rb_disc_image_looks_like_text(GBytes *head, guint64 size)
{
	gsize len;
	const guint8 *data = g_bytes_get_data(head, &len);

	if (size == 0 || size > RB_DISC_SHEET_MAX_SIZE)
		return FALSE;
	return memchr(data, 0, len) == NULL;
}

/*
 * CUE or cdrdao TOC by their TRACK lines: "TRACK 01 AUDIO" names the number
 * first, "TRACK AUDIO" the mode; a CloneCD sheet starts with [CloneCD].
 */
static RbDiscImageFormat
rb_disc_image_sheet_kind(GBytes *head)
{
	gsize len;
	const gchar *data = g_bytes_get_data(head, &len);
	g_autofree gchar *text = g_strndup(data, len);
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);

	for (guint i = 0; lines[i] != NULL; i++) {
		gchar *line = g_strstrip(lines[i]);

		if (g_ascii_strncasecmp(line, "[CloneCD]", 9) == 0)
			return RB_DISC_IMAGE_FORMAT_CLONECD;
		if (g_ascii_strncasecmp(line, "TRACK", 5) == 0 && g_ascii_isspace(line[5])) {
			line = g_strchug(line + 5);
			return g_ascii_isdigit(*line) ? RB_DISC_IMAGE_FORMAT_CUE
						      : RB_DISC_IMAGE_FORMAT_TOC;
		}
	}
	return RB_DISC_IMAGE_FORMAT_RAW_DAO;
}

static gboolean
rb_disc_image_ext_is(const gchar *path, const gchar *ext)
{
	const gchar *dot = strrchr(path, '.');

	return dot != NULL && g_ascii_strcasecmp(dot + 1, ext) == 0;
}

/* an .img beside its .ccd */
static gchar *
rb_disc_image_clonecd_sheet(const gchar *path)
{
	g_autofree gchar *stem = NULL;
	const gchar *dot = strrchr(path, '.');
	const gchar *exts[] = {"ccd", "CCD", "Ccd"};

	if (dot == NULL)
		return NULL;
	stem = g_strndup(path, dot - path);
	for (guint i = 0; i < G_N_ELEMENTS(exts); i++) {
		g_autofree gchar *ccd = g_strconcat(stem, ".", exts[i], NULL);
		if (g_file_test(ccd, G_FILE_TEST_IS_REGULAR))
			return g_steal_pointer(&ccd);
	}
	return NULL;
}

RbDiscImage *
rb_disc_image_open(const gchar *path, GError **error)
{
	g_autoptr(GBytes) head = NULL;
	g_autofree gchar *ccd = NULL;
	RbDiscImageFormat kind = RB_DISC_IMAGE_FORMAT_RAW_DAO;
	const guint8 *data;
	gsize len;
	guint64 size = 0;
	struct stat st;

	/* a FIFO's writer dies of SIGPIPE when its reader opens and closes it
	 * before the burn opens it again, and no reader reads a sheet from a
	 * pipe or a device: anything but a regular file is a raw stream, left
	 * unopened until the burn */
	if (g_stat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return rb_disc_image_new(RB_DISC_IMAGE_FORMAT_RAW_DAO, path);
	head = rb_disc_image_sniff(path, &size, error);
	if (head == NULL)
		return NULL;
	data = g_bytes_get_data(head, &len);

	if (len >= 12 && memcmp(data, "RIFF", 4) == 0 && memcmp(data + 8, "WAVE", 4) == 0) {
		const gchar *paths[] = {path, NULL};
		return rb_disc_image_open_wav_files(paths, error);
	}
	if (rb_disc_image_has_nrg_footer(path, size))
		return rb_disc_nrg_read(path, error);
	if (rb_disc_image_looks_like_text(head, size))
		kind = rb_disc_image_sheet_kind(head);
	if (kind == RB_DISC_IMAGE_FORMAT_CLONECD || rb_disc_image_ext_is(path, "ccd"))
		return rb_disc_clonecd_read(path, error);
	if (kind == RB_DISC_IMAGE_FORMAT_CUE ||
	    (kind == RB_DISC_IMAGE_FORMAT_RAW_DAO && rb_disc_image_ext_is(path, "cue")))
		return rb_disc_cue_read(path, error);
	if (kind == RB_DISC_IMAGE_FORMAT_TOC ||
	    (kind == RB_DISC_IMAGE_FORMAT_RAW_DAO && rb_disc_image_ext_is(path, "toc")))
		return rb_disc_toc_read(path, error);
	if (rb_disc_image_ext_is(path, "img") && (ccd = rb_disc_image_clonecd_sheet(path)) != NULL)
		return rb_disc_clonecd_read(ccd, error);
	return rb_disc_image_new(RB_DISC_IMAGE_FORMAT_RAW_DAO, path);
}
