/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by the image file tests: sample sets generated on the fly (WAV,
 * BIN sectors, sheets), and burning them onto a virtual recorder.
 */
#include "config.h"

#include <check.h>
#include <unistd.h>
#include <gio/gio.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "rb-disc-image.h"
#include "rb-cd-sector.h"
#include "rb-disc-test.h"
#include "rb-error.h"
#include "rb-test-client.h"
#include "rb-test-tools.h"

/* ---- CUE tests (test-disc-cue.c); usable by any image test ---- */

guint8
rb_disc_test_pattern_byte(guint seed, guint64 offset)
{
	/* a multiplicative hash: no two nearby sectors alike, no long zero runs */
	guint64 x = (offset + 1) * 0x9E3779B97F4A7C15ull + (guint64)seed * 0xBF58476D1CE4E5B9ull;

	return (guint8)(x >> 56 ^ x >> 29);
}

static void
rb_disc_test_fill(guint8 *buf, gsize len, guint seed, guint64 offset)
{
	for (gsize i = 0; i < len; i++)
		buf[i] = rb_disc_test_pattern_byte(seed, offset + i);
}

static void
rb_disc_test_set_contents(const gchar *path, const guint8 *data, gsize len)
{
	g_autoptr(GError) error = NULL;

	ck_assert_msg(g_file_set_contents(path, (const gchar *)data, (gssize)len, &error),
		      "%s",
		      error != NULL ? error->message : "");
}

void
rb_disc_test_write_pattern(const gchar *path, gsize length, guint seed)
{
	g_autofree guint8 *data = g_malloc(length);

	rb_disc_test_pattern(data, length, seed);
	rb_disc_test_set_contents(path, data, length);
}

static void
rb_disc_test_le(guint8 *p, guint32 value, guint n)
{
	for (guint i = 0; i < n; i++)
		p[i] = (guint8)(value >> (8 * i));
}

/* the 44-byte header of a WAV file of @length bytes of 16-bit PCM; sizes
 * past 4 GiB are clamped (a sparse long disc's file says what it can) */
static void
rb_disc_test_wav_header(guint8 header[44], guint64 length, guint rate, guint channels)
{
	memset(header, 0, 44);
	memcpy(header, "RIFF", 4);
	rb_disc_test_le(header + 4, (guint32)MIN(36 + length, G_MAXUINT32), 4);
	memcpy(header + 8, "WAVEfmt ", 8);
	rb_disc_test_le(header + 16, 16, 4);
	rb_disc_test_le(header + 20, 1, 2); /* PCM */
	rb_disc_test_le(header + 22, channels, 2);
	rb_disc_test_le(header + 24, rate, 4);
	rb_disc_test_le(header + 28, rate * channels * 2, 4); /* bytes per second */
	rb_disc_test_le(header + 32, channels * 2, 2);        /* block align */
	rb_disc_test_le(header + 34, 16, 2);                  /* bits */
	memcpy(header + 36, "data", 4);
	rb_disc_test_le(header + 40, (guint32)MIN(length, G_MAXUINT32), 4);
}

void
rb_disc_test_write_wav(const gchar *path, gsize length, guint seed)
{
	rb_disc_test_write_wav_full(path, length, 44100, 2, seed, FALSE);
}

void
rb_disc_test_write_data(const gchar *path,
			guint mode,
			gint32 first_lba,
			guint n_sectors,
			guint seed,
			gboolean xa_2336)
{
	gsize out_size = xa_2336 ? 2336 : RB_CD_MAIN_SIZE;
	g_autofree guint8 *data = g_malloc((gsize)n_sectors * out_size);

	for (guint i = 0; i < n_sectors; i++) {
		guint8 input[2336];
		guint8 sector[RB_CD_MAIN_SIZE];
		RbCdSectorType type = mode == 1    ? RB_CD_SECTOR_MODE1
				      : i % 2 == 0 ? RB_CD_SECTOR_MODE2_FORM1
						   : RB_CD_SECTOR_MODE2_FORM2;

		rb_disc_test_fill(input, sizeof(input), seed, (guint64)i * sizeof(input));
		if (type == RB_CD_SECTOR_MODE2_FORM2) {
			/* a sub-header of Form 2, the same in both copies */
			memcpy(input, "\x01\x02\x20\x00\x01\x02\x20\x00", 8);
		}
		if (type == RB_CD_SECTOR_MODE2_FORM1) {
			/* the encoder writes a zero Form 1 sub-header: give the file
			 * one of its own (file 1), then EDC and ECC over it */
			guint8 xa[2336] = {0x01, 0x00, 0x08, 0x00, 0x01, 0x00, 0x08, 0x00};

			memcpy(xa + 8, input, 2048);
			rb_cd_sector_encode(
				RB_CD_SECTOR_MODE2_FORM0, first_lba + (gint32)i, xa, sector);
			rb_disc_test_le(sector + 2072, rb_cd_sector_edc(sector + 16, 2056), 4);
			rb_cd_sector_ecc(sector, TRUE);
		} else {
			rb_cd_sector_encode(type, first_lba + (gint32)i, input, sector);
		}
		memcpy(data + (gsize)i * out_size, xa_2336 ? sector + 16 : sector, out_size);
	}
	rb_disc_test_set_contents(path, data, (gsize)n_sectors * out_size);
}

GBytes *
rb_disc_test_cdrdao_burn(const gchar *dir, const gchar *sheet)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *image = g_build_filename(dir, "cdrdao-disc.img", NULL);
	g_autofree gchar *out = NULL;
	gchar *disc = NULL;
	gsize length = 0;
	const gchar *args[] = {"--speed=52",
			       "--media",
			       "cd-r-80",
			       "--export",
			       image,
			       "cdrdao",
			       "write",
			       "--device",
			       "/dev/sr0",
			       "--driver",
			       "generic-mmc-raw",
			       "-n",
			       sheet,
			       NULL};

	/* the CUE and TOC readers need it as their oracle */
	rb_test_require_program("cdrdao");
	out = rb_test_run_vdrive(dir, args, NULL);
	ck_assert(g_file_get_contents(image, &disc, &length, &error));
	return g_bytes_new_take(disc, length);
}

/* ---- TOC reader tests (test-disc-toc.c) ---- */

void
rb_disc_test_pattern(guint8 *buf, gsize len, guint seed)
{
	rb_disc_test_fill(buf, len, seed, 0);
}

gchar *
rb_disc_test_write(const gchar *dir, const gchar *name, const guint8 *data, gsize len)
{
	gchar *path = g_build_filename(dir, name, NULL);

	rb_disc_test_set_contents(path, data, len);
	return path;
}

gchar *
rb_disc_test_write_wav_data(const gchar *dir, const gchar *name, const guint8 *samples, gsize len)
{
	g_autofree guint8 *file = g_malloc(44 + len);

	rb_disc_test_wav_header(file, len, 44100, 2);
	memcpy(file + 44, samples, len);
	return rb_disc_test_write(dir, name, file, 44 + len);
}

guint8 *
rb_disc_test_swap16(const guint8 *data, gsize len)
{
	guint8 *out = g_malloc(len);

	for (gsize i = 0; i + 1 < len; i += 2) {
		out[i] = data[i + 1];
		out[i + 1] = data[i];
	}
	return out;
}

GBytes *
rb_disc_test_stream(gpointer image_pointer)
{
	RbDiscImage *image = image_pointer;
	g_autoptr(GError) error = NULL;
	g_autoptr(RbDiscImageStream) stream = NULL;
	GByteArray *all = g_byte_array_new();
	guint8 *chunk;
	gsize sector;

	ck_assert(rb_image_layout_set_image_type(
		rb_disc_image_get_layout(image), RB_DATA_BLOCK_TYPE_RAW_PW, &error));
	stream = rb_disc_image_stream_new(image, &error);
	ck_assert_msg(stream != NULL, "%s", error != NULL ? error->message : "");
	sector = rb_disc_image_stream_get_sector_size(stream);
	ck_assert_uint_eq(sector, RB_DISC_TEST_EXPORT_SECTOR);
	chunk = g_malloc(sector * 75);
	for (;;) {
		guint n = 0;

		ck_assert_msg(rb_disc_image_stream_read(stream, chunk, 75, &n, &error),
			      "%s",
			      error != NULL ? error->message : "");
		if (n == 0)
			break;
		g_byte_array_append(all, chunk, n * sector);
	}
	g_free(chunk);
	return g_byte_array_free_to_bytes(all);
}

gchar *
rb_disc_test_run(const gchar *dir, const gchar *const *argv)
{
	g_autofree gchar *err = NULL;
	gchar *out = NULL;

	ck_assert_msg(rb_test_run_in(dir, argv, NULL, &out, &err) == 0,
		      "%s failed:\n%s%s",
		      argv[0],
		      out,
		      err);
	return out;
}

/* ---- burning image files with rawburnctl (test-disc-burn.c) ---- */

gchar *
rb_disc_test_burn_and_export(RbTestService *service,
			     const gchar *image,
			     guint n_tracks,
			     gchar **warnings)
{
	g_autoptr(RbTestClient) client = rb_test_client_new(service);
	gchar *disc = g_build_filename(service->tmpdir, "disc.img", NULL);
	const gchar *const burn[] = {"burn", "virtual0", image, NULL};
	const gchar *const export[] = {"export", "virtual0", disc, NULL};
	g_autoptr(GVariant) report = NULL;
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	gboolean complete = FALSE;
	gint status;

	status = rb_test_run_rawburnctl(service, burn, &out, &err);
	ck_assert_msg(status == 0, "burn: exit %d: %s%s", status, out, err);
	ck_assert_msg(g_str_has_suffix(out, "Burn complete.\n"), "%s", out);
	report = rb_test_client_get(
		client, RB_DBUS_RECORDERS_PATH "/virtual0", RB_TEST_VIRTUAL, "ValidationReport");
	rb_test_assert_report_clean(report);
	ck_assert(g_variant_lookup(report, "Complete", "b", &complete) && complete);
	ck_assert_uint_eq(rb_test_report_number(report, "Tracks"), n_tracks);
	if (warnings != NULL)
		*warnings = g_steal_pointer(&err);
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	status = rb_test_run_rawburnctl(service, export, &out, &err);
	ck_assert_msg(status == 0, "export: exit %d: %s%s", status, out, err);
	return disc;
}

void
rb_disc_test_write_wav_full(
	const gchar *path, guint64 length, guint rate, guint channels, guint seed, gboolean sparse)
{
	guint8 header[44];
	gint fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	ck_assert_msg(fd >= 0, "%s", path);
	rb_disc_test_wav_header(header, length, rate, channels);
	ck_assert_int_eq(write(fd, header, sizeof(header)), sizeof(header));
	if (sparse) {
		ck_assert_int_eq(ftruncate(fd, (off_t)(sizeof(header) + length)), 0);
	} else {
		g_autofree guint8 *data = g_malloc(length);

		rb_disc_test_fill(data, length, seed, 0);
		ck_assert_int_eq(write(fd, data, length), (gssize)length);
	}
	close(fd);
}

gchar *
rb_disc_test_read_disc(const gchar *dir, const gchar *disc, const gchar *command)
{
	const gchar *args[] = {"--disc", disc, "sh", "-c", command, NULL};

	return rb_test_run_vdrive(dir, args, NULL);
}

gchar *
rb_disc_test_msf(gint32 lba)
{
	gint32 frames = lba + 150;

	return g_strdup_printf("%02d:%02d:%02d", frames / 75 / 60, frames / 75 % 60, frames % 75);
}

void
rb_disc_test_expected_clear(RbDiscTestExpected *expected)
{
	g_clear_pointer(&expected->audio, g_byte_array_unref);
}

void
rb_disc_test_expect_audio(RbDiscTestExpected *expected, guint seed, guint64 offset, gsize length)
{
	gsize at;

	if (expected->audio == NULL)
		expected->audio = g_byte_array_new();
	at = expected->audio->len;
	g_byte_array_set_size(expected->audio, at + length);
	for (gsize i = 0; i < length; i++)
		expected->audio->data[at + i] =
			seed == 0 ? 0 : rb_disc_test_pattern_byte(seed, offset + i);
}

static void
rb_disc_test_assert_contains(const gchar *haystack, const gchar *needle)
{
	ck_assert_msg(strstr(haystack, needle) != NULL, "“%s” not in:\n%s", needle, haystack);
}

void
rb_disc_test_assert_cd_info(const gchar *info,
			    guint n_tracks,
			    const gint32 *starts,
			    const gchar *const *formats,
			    gint32 leadout,
			    const gchar *const *titles,
			    const gchar *const *performers)
{
	g_autofree gchar *leadout_msf = rb_disc_test_msf(leadout);
	g_autofree gchar *leadout_line =
		g_strdup_printf("170: %s  %06d leadout", leadout_msf, leadout);

	for (guint i = 0; i < n_tracks; i++) {
		g_autofree gchar *msf = rb_disc_test_msf(starts[i]);
		g_autofree gchar *line = g_strdup_printf("%3u: %s  %06d %s ",
							 i + 1,
							 msf,
							 starts[i],
							 formats != NULL ? formats[i] : "audio");

		rb_disc_test_assert_contains(info, line);
	}
	rb_disc_test_assert_contains(info, leadout_line);
	/* cd-info reads the CD-TEXT with READ TOC format 0101b */
	for (guint item = 0; item <= n_tracks; item++) {
		g_autofree gchar *heading =
			item == 0 ? g_strdup("CD-TEXT for Disc:\n")
				  : g_strdup_printf("CD-TEXT for Track %2u:\n", item);
		g_autofree gchar *text = g_strdup_printf("%s\tTITLE: %s\n\tPERFORMER: %s\n",
							 heading,
							 titles[item],
							 performers[item]);

		rb_disc_test_assert_contains(info, text);
	}
}

void
rb_disc_test_assert_read_back(const gchar *dir,
			      const gchar *disc,
			      const RbDiscTestExpected *expected)
{
	g_autofree gchar *command =
		g_strdup_printf("cd-info --no-header --no-device-info /dev/sr0 && "
				"cd-read -m audio -s 0 -n %d -o read-back.pcm /dev/sr0 >/dev/null",
				expected->leadout);
	g_autofree gchar *info = rb_disc_test_read_disc(dir, disc, command);
	g_autofree gchar *pcm_path = g_build_filename(dir, "read-back.pcm", NULL);
	g_autofree gchar *pcm = NULL;
	gsize pcm_len = 0;

	rb_disc_test_assert_cd_info(info,
				    expected->n_tracks,
				    expected->starts,
				    NULL,
				    expected->leadout,
				    expected->titles,
				    expected->performers);
	ck_assert(g_file_get_contents(pcm_path, &pcm, &pcm_len, NULL));
	ck_assert_uint_eq(pcm_len, expected->audio->len);
	ck_assert_msg(memcmp(pcm, expected->audio->data, pcm_len) == 0,
		      "the audio read back differs from the files'");
}

/* a FIFO with no writer would block a reading for ever; a sparse file far
 * over 1 MiB, read whole, would fill the memory */
void
rb_disc_test_sheet_refused(RbDiscImage *(*read)(const gchar *path, GError **error),
			   const gchar *ext)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *dir = g_dir_make_tmp("rawburn-sheet-XXXXXX", &error);
	g_autofree gchar *fifo_name = g_strconcat("fifo.", ext, NULL);
	g_autofree gchar *sparse_name = g_strconcat("sparse.", ext, NULL);
	g_autofree gchar *fifo = NULL;
	g_autofree gchar *sparse = NULL;
	RbDiscImage *image;
	gint fd;

	ck_assert_msg(dir != NULL, "%s", error != NULL ? error->message : "");
	fifo = g_build_filename(dir, fifo_name, NULL);
	sparse = g_build_filename(dir, sparse_name, NULL);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	image = read(fifo, &error);
	ck_assert(image == NULL);
	ck_assert_msg(g_error_matches(error, RB_DISC_IMAGE_ERROR, RB_DISC_IMAGE_ERROR_FILE) &&
			      strstr(error->message, fifo) != NULL &&
			      strstr(error->message, "no regular file") != NULL,
		      "%s",
		      error->message);
	g_clear_error(&error);
	fd = g_open(sparse, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, 400 * 1000 * 1000), 0);
	close(fd);
	/* the sniffing takes a file that large as no sheet, then goes by the
	 * extension to the same reader */
	for (guint i = 0; i < 2; i++) {
		image = i == 0 ? read(sparse, &error) : rb_disc_image_open(sparse, &error);
		ck_assert(image == NULL);
		ck_assert_msg(
			g_error_matches(error, RB_DISC_IMAGE_ERROR, RB_DISC_IMAGE_ERROR_FILE) &&
				strstr(error->message, sparse) != NULL &&
				strstr(error->message, "400000000 bytes") != NULL,
			"%s",
			error->message);
		g_clear_error(&error);
	}
	g_unlink(fifo);
	g_unlink(sparse);
	g_rmdir(dir);
}
