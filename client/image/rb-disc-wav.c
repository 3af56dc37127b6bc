/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * WAV files: where a RIFF WAVE file's samples are, and whether they are
 * what an audio CD holds (44.1 kHz, 16-bit, 2 channels, PCM); anything
 * else is refused with what the file holds, since converting audio is a
 * job for an audio tool, not for a burner. A list of WAV files is a disc of
 * one audio track each.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rb-disc-image-private.h"

#define RB_WAV_FORMAT_PCM 0x0001
#define RB_WAV_FORMAT_EXTENSIBLE 0xFFFE
#define RB_WAV_CD_RATE 44100
#define RB_WAV_CD_BITS 16
#define RB_WAV_CD_CHANNELS 2
/* the pause before each track after the first: cdrecord's DAO default */
#define RB_WAV_PAUSE_SECTORS 150

static guint32
rb_wav_le32(const guint8 *p)
{
	return (guint32)p[0] | (guint32)p[1] << 8 | (guint32)p[2] << 16 | (guint32)p[3] << 24;
}

static guint16
rb_wav_le16(const guint8 *p)
{
	return (guint16)(p[0] | p[1] << 8);
}

static gboolean
rb_wav_fail(GError **error, gint code, const gchar *path, const gchar *what)
{
	g_set_error(error, RB_DISC_IMAGE_ERROR, code, "%s: %s", path, what);
	return FALSE;
}

static gboolean
rb_wav_check_format(const gchar *path, const guint8 *fmt, guint32 size, GError **error)
{
	guint16 tag;
	guint16 channels;
	guint32 rate;
	guint16 bits;
	g_autofree gchar *what = NULL;

	if (size < 16)
		return rb_wav_fail(error,
				   RB_DISC_IMAGE_ERROR_SYNTAX,
				   path,
				   _("the WAV format chunk is too short"));
	tag = rb_wav_le16(fmt);
	channels = rb_wav_le16(fmt + 2);
	rate = rb_wav_le32(fmt + 4);
	bits = rb_wav_le16(fmt + 14);
	/* WAVE_FORMAT_EXTENSIBLE names the real format in its sub-format GUID */
	if (tag == RB_WAV_FORMAT_EXTENSIBLE && size >= 26)
		tag = rb_wav_le16(fmt + 24);
	if (tag != RB_WAV_FORMAT_PCM) {
		what = g_strdup_printf(
			_("the WAV file holds compressed or floating-point audio "
			  "(format 0x%04x); an audio CD needs 16-bit PCM: convert it, "
			  "e.g. “sox IN -r 44100 -b 16 -c 2 OUT.wav”"),
			tag);
		return rb_wav_fail(error, RB_DISC_IMAGE_ERROR_UNSUPPORTED, path, what);
	}
	if (channels != RB_WAV_CD_CHANNELS || rate != RB_WAV_CD_RATE || bits != RB_WAV_CD_BITS) {
		what = g_strdup_printf(
			g_dngettext(GETTEXT_PACKAGE,
				    "the WAV file has %u Hz, %u-bit, %u channel; an "
				    "audio CD needs 44100 Hz, 16-bit, 2 channels: "
				    "convert it, e.g. “sox IN -r 44100 -b 16 -c 2 "
				    "OUT.wav”",
				    "the WAV file has %u Hz, %u-bit, %u channels; an "
				    "audio CD needs 44100 Hz, 16-bit, 2 channels: "
				    "convert it, e.g. “sox IN -r 44100 -b 16 -c 2 "
				    "OUT.wav”",
				    channels),
			rate,
			bits,
			channels);
		return rb_wav_fail(error, RB_DISC_IMAGE_ERROR_UNSUPPORTED, path, what);
	}
	return TRUE;
}

static gboolean
rb_wav_read_at(gint fd, guint8 *buf, gsize len, guint64 offset)
{
	return pread(fd, buf, len, (off_t)offset) == (gssize)len;
}

gboolean
rb_disc_wav_probe(const gchar *path, guint64 *data_offset, guint64 *data_length, GError **error)
{
	guint8 header[12];
	guint8 chunk[8];
	guint8 fmt[40];
	gboolean have_fmt = FALSE;
	guint64 offset = sizeof(header);
	guint64 size;
	struct stat st;
	gint fd = g_open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY, 0);

	if (fd < 0 || fstat(fd, &st) != 0) {
		gint errsv = errno;
		g_autofree gchar *what =
			g_strdup_printf(_("cannot open it: %s"), g_strerror(errsv));

		if (fd >= 0)
			close(fd);
		return rb_wav_fail(error, RB_DISC_IMAGE_ERROR_FILE, path, what);
	}
	size = (guint64)st.st_size;
	if (!rb_wav_read_at(fd, header, sizeof(header), 0) || memcmp(header, "RIFF", 4) != 0 ||
	    memcmp(header + 8, "WAVE", 4) != 0) {
		close(fd);
		return rb_wav_fail(error,
				   RB_DISC_IMAGE_ERROR_UNSUPPORTED,
				   path,
				   _("not a WAV file (no RIFF WAVE header); rawburn reads WAV "
				     "audio only: convert other formats to WAV first"));
	}
	/* chunks are word-aligned; "data" may come before or after "fmt " */
	while (offset + sizeof(chunk) <= size && rb_wav_read_at(fd, chunk, sizeof(chunk), offset)) {
		guint32 chunk_size = rb_wav_le32(chunk + 4);
		guint64 body = offset + sizeof(chunk);

		if (memcmp(chunk, "fmt ", 4) == 0) {
			gsize n = MIN(chunk_size, sizeof(fmt));

			if (!rb_wav_read_at(fd, fmt, n, body) ||
			    !rb_wav_check_format(path, fmt, chunk_size, error)) {
				close(fd);
				if (error != NULL && *error == NULL)
					return rb_wav_fail(
						error,
						RB_DISC_IMAGE_ERROR_FILE_TOO_SHORT,
						path,
						_("the WAV file ends inside its format chunk"));
				return FALSE;
			}
			have_fmt = TRUE;
		} else if (memcmp(chunk, "data", 4) == 0) {
			close(fd);
			if (!have_fmt)
				return rb_wav_fail(
					error,
					RB_DISC_IMAGE_ERROR_SYNTAX,
					path,
					_("the WAV data chunk comes before its format chunk"));
			*data_offset = body;
			/* streamed WAVs leave the size at 0 or 0xFFFFFFFF: the file's end counts */
			*data_length = chunk_size == 0 || chunk_size == G_MAXUINT32 ||
						       body + chunk_size > size
					       ? size - body
					       : chunk_size;
			return TRUE;
		}
		offset = body + chunk_size + (chunk_size & 1);
	}
	close(fd);
	return rb_wav_fail(error,
			   RB_DISC_IMAGE_ERROR_SYNTAX,
			   path,
			   have_fmt ? _("the WAV file has no data chunk")
				    : _("the WAV file has no format chunk"));
}

RbDiscImage *
rb_disc_image_open_wav_files(const gchar *const *paths, GError **error)
{
	g_autoptr(RbDiscImage) image = NULL;
	guint n = paths != NULL ? g_strv_length((gchar **)paths) : 0;

	if (n == 0 || n > RB_IMAGE_MAX_TRACKS) {
		g_set_error(error,
			    RB_DISC_IMAGE_ERROR,
			    RB_DISC_IMAGE_ERROR_INVALID,
			    _("a disc holds 1 to 99 tracks: %u WAV files were given"),
			    n);
		return NULL;
	}
	image = rb_disc_image_new(RB_DISC_IMAGE_FORMAT_WAV, paths[0]);
	for (guint i = 0; i < n; i++) {
		guint64 offset = 0;
		guint64 length = 0;
		guint32 n_sectors;
		guint32 pregap = RB_WAV_PAUSE_SECTORS;
		g_autoptr(GError) error_local = NULL;

		if (!rb_disc_wav_probe(paths[i], &offset, &length, error))
			return NULL;
		n_sectors = (guint32)((length + RB_CD_MAIN_SIZE - 1) / RB_CD_MAIN_SIZE);
		if (n_sectors < RB_IMAGE_MIN_TRACK_SECTORS) {
			g_set_error(error,
				    RB_DISC_IMAGE_ERROR,
				    RB_DISC_IMAGE_ERROR_INVALID,
				    _("%s: %.2f s of audio; a CD track needs at least 4 s"),
				    paths[i],
				    (gdouble)length / (RB_CD_MAIN_SIZE * 75.0));
			return NULL;
		}
		if (!rb_image_layout_add_track(
			    image->layout, RB_CD_SECTOR_AUDIO, n_sectors, NULL, &error_local) ||
		    !rb_image_layout_track_set_pregap(image->layout, i, pregap, &error_local)) {
			g_set_error(error,
				    RB_DISC_IMAGE_ERROR,
				    RB_DISC_IMAGE_ERROR_INVALID,
				    "%s: %s",
				    paths[i],
				    error_local->message);
			return NULL;
		}
		rb_disc_image_add_zero(image, i, (guint64)pregap * RB_CD_MAIN_SIZE);
		rb_disc_image_add_file(image, i, paths[i], offset, length, RB_DISC_SEGMENT_PAD);
		rb_disc_image_set_origin(image, i, paths[i], 0);
	}
	return g_steal_pointer(&image);
}
