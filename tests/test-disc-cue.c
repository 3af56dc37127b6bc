/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The CUE sheet reader (client/image/rb-disc-cue.c): sample sets written
 * by the test (sheets, BIN/MOTOROLA/WAVE files of known patterns); their
 * layout against the sheet and against libcdio's own reading; the
 * streamed sectors' main channel against the files' bytes; CDTEXTFILE;
 * and every malformed sheet refused with its file and line. cdrdao burning
 * the same sheets is test-disc-cue-oracle.c.
 */
#include "config.h"

#include <cdio/cdio.h>
#include <cdio/logging.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "rb-disc-cue-test.h"
#include "rb-disc-image-private.h"
#include "rb-disc-test.h"
#include "rb-scramble.h"
#include "rb-test-service.h"

#define RB_TEST_SECTOR (RB_CD_MAIN_SIZE + RB_SUBCHANNEL_PW_SIZE)
#define RB_TEST_CHUNK 75

static gboolean
rb_test_has_note(RbDiscImage *image, const gchar *part)
{
	const GPtrArray *notes = rb_disc_image_get_notes(image);

	for (guint i = 0; i < notes->len; i++) {
		if (strstr(g_ptr_array_index(notes, i), part) != NULL)
			return TRUE;
	}
	return FALSE;
}

START_TEST(test_audio_layout)
{
	RbCueTestSet set;
	g_autoptr(RbDiscImage) image = NULL;
	RbImageLayout *layout;
	const RbImageTrack *t;
	RbCdText *cdtext;
	CdIo_t *cdio;
	g_autofree gchar *isrc = NULL;
	g_autofree gchar *libcdio_cue = NULL;
	g_autofree gchar *libcdio_bin = NULL;

	rb_cue_test_audio_set(&set, rb_cue_test_audio_sheet());
	image = rb_cue_test_open(&set);
	layout = rb_disc_image_get_layout(image);
	ck_assert_uint_eq(rb_image_layout_get_n_tracks(layout), 4);
	ck_assert_str_eq(rb_image_layout_get_mcn(layout), "4006381333931");

	/* track 1: 150 generated sectors, then the file's 2 s of INDEX 00 */
	t = rb_image_layout_get_track(layout, 0);
	ck_assert_uint_eq(t->pregap_sectors, 150 + 150);
	ck_assert_int_eq(t->pregap_start, -150);
	ck_assert_int_eq(t->start, 150);
	ck_assert_uint_eq(t->n_sectors, 600 - 150);
	ck_assert_uint_eq(t->n_indexes, 2);
	ck_assert_uint_eq(t->indexes[1], 375 - 150);
	ck_assert_str_eq(t->isrc, "USRC17607839");
	ck_assert_int_eq(t->copy, RB_IMAGE_COPY_PERMITTED);
	ck_assert(t->preemphasis);
	/* track 2: INDEX 00 in the file */
	t = rb_image_layout_get_track(layout, 1);
	ck_assert_uint_eq(t->pregap_sectors, 150);
	ck_assert_int_eq(t->pregap_start, 600);
	ck_assert_int_eq(t->start, 750);
	ck_assert_uint_eq(t->n_sectors, RB_CUE_TEST_DISC_BIN_SECTORS - 750);
	ck_assert_int_eq(t->copy, RB_IMAGE_COPY_SCMS);
	ck_assert(!t->preemphasis);
	/* track 3: PREGAP generated, the whole MOTOROLA file from index 1 */
	t = rb_image_layout_get_track(layout, 2);
	ck_assert_uint_eq(t->pregap_sectors, 75);
	ck_assert_int_eq(t->start, RB_CUE_TEST_DISC_BIN_SECTORS + 75);
	ck_assert_uint_eq(t->n_sectors, RB_CUE_TEST_SWAPPED_SECTORS);
	ck_assert_int_eq(t->copy, RB_IMAGE_COPY_PROHIBITED);
	/* track 4: the WAV padded to whole sectors, then 2 s of POSTGAP */
	t = rb_image_layout_get_track(layout, 3);
	ck_assert_uint_eq(t->pregap_sectors, 0);
	ck_assert_uint_eq(t->n_sectors, RB_CUE_TEST_WAV_BYTES / RB_CD_MAIN_SIZE + 1 + 150);
	ck_assert(rb_test_has_note(image, "REM"));
	ck_assert(rb_test_has_note(image, "zeros"));

	/* the CD-TEXT, UTF-8 taken as it is and Latin-1 converted */
	cdtext = rb_disc_image_get_cdtext(image);
	ck_assert_ptr_nonnull(cdtext);
	ck_assert_str_eq(rb_cdtext_get_text(cdtext, 0, RB_CDTEXT_PERFORMER, 0),
			 "Disc Performer \xC3\xA9");
	ck_assert_str_eq(rb_cdtext_get_text(cdtext, 0, RB_CDTEXT_TITLE, 0), "Disc Title");
	ck_assert_str_eq(rb_cdtext_get_text(cdtext, 0, RB_CDTEXT_TITLE, 1), "One");
	ck_assert_str_eq(rb_cdtext_get_text(cdtext, 0, RB_CDTEXT_PERFORMER, 1), "P\xC3\xA9rformer");
	ck_assert_str_eq(rb_cdtext_get_text(cdtext, 0, RB_CDTEXT_TITLE, 3), "Three");
	ck_assert_str_eq(rb_cdtext_get_text(cdtext, 0, RB_CDTEXT_UPC_ISRC, 1), "USRC17607839");
	ck_assert_ptr_null(rb_cdtext_get_text(cdtext, 0, RB_CDTEXT_TITLE, 4));

	/*
	 * libcdio's own reading of the sheet (disc.bin beside it, as it
	 * wants): in the first FILE, without PREGAP before, its LSNs are the
	 * disc's; the tracks of the other files it places by their file's
	 * times (rb-disc-cue.c), which is not compared.
	 */
	cdio_loglevel_default = CDIO_LOG_ERROR;
	{
		/* libcdio 2.1 refuses POSTGAP, and wants its .bin beside the sheet */
		g_auto(GStrv) parts = g_strsplit(rb_cue_test_audio_sheet(), "    POSTGAP", -1);
		g_autofree gchar *text = g_strjoinv("REM POSTGAP", parts);

		libcdio_cue = rb_cue_test_set_path(&set, "libcdio.cue");
		libcdio_bin = rb_cue_test_set_path(&set, "libcdio.bin");
		ck_assert(g_file_set_contents(libcdio_cue, text, -1, NULL));
		ck_assert_int_eq(symlink("disc.bin", libcdio_bin), 0);
	}
	cdio = cdio_open_cue(libcdio_cue);
	ck_assert_ptr_nonnull(cdio);
	ck_assert_int_eq(cdio_get_num_tracks(cdio), 4);
	for (guint i = 0; i < 2; i++) {
		t = rb_image_layout_get_track(layout, i);
		ck_assert_int_eq(cdio_get_track_lsn(cdio, (track_t)(i + 1)), t->start);
		ck_assert_int_eq(cdio_get_track_pregap_lsn(cdio, (track_t)(i + 1)),
				 t->pregap_start + (i == 0 ? 150 : 0));
	}
	isrc = cdio_get_track_isrc(cdio, 1);
	ck_assert_str_eq(isrc, rb_image_layout_get_track(layout, 0)->isrc);
	cdio_destroy(cdio);
	rb_cue_test_set_clear(&set);
}
END_TEST

/* ---- the stream against the files ---- */

/* the main channel the disc must get at @lba; FALSE when the test gives none */
typedef gboolean (*RbTestExpect)(const RbCueTestSet *set, gint32 lba, guint8 out[RB_CD_MAIN_SIZE]);

static void
rb_test_read_at(const gchar *path, guint64 offset, guint8 *buf, gsize len)
{
	g_autoptr(GMappedFile) file = g_mapped_file_new(path, FALSE, NULL);
	gsize size;

	ck_assert_ptr_nonnull(file);
	size = g_mapped_file_get_length(file);
	memset(buf, 0, len);
	if (offset < size)
		memcpy(buf,
		       g_mapped_file_get_contents(file) + offset,
		       MIN(len, (gsize)(size - offset)));
}

static gboolean
rb_test_audio_expect(const RbCueTestSet *set, gint32 lba, guint8 out[RB_CD_MAIN_SIZE])
{
	g_autofree gchar *bin = rb_cue_test_set_path(set, "disc.bin");
	g_autofree gchar *raw = rb_cue_test_set_path(set, "swapped.raw");
	g_autofree gchar *wav = rb_cue_test_set_path(set, "tail.wav");
	gint32 t3 = RB_CUE_TEST_DISC_BIN_SECTORS + 75;
	gint32 t4 = t3 + RB_CUE_TEST_SWAPPED_SECTORS;

	memset(out, 0, RB_CD_MAIN_SIZE);
	if (lba < -150)
		return FALSE;
	if (lba < 0 || (lba >= RB_CUE_TEST_DISC_BIN_SECTORS && lba < t3))
		return TRUE;
	if (lba < RB_CUE_TEST_DISC_BIN_SECTORS) {
		rb_test_read_at(bin, (guint64)lba * RB_CD_MAIN_SIZE, out, RB_CD_MAIN_SIZE);
	} else if (lba < t4) {
		rb_test_read_at(raw, (guint64)(lba - t3) * RB_CD_MAIN_SIZE, out, RB_CD_MAIN_SIZE);
		/* MOTOROLA: big-endian samples, the disc's are little-endian */
		for (guint i = 0; i < RB_CD_MAIN_SIZE; i += 2) {
			guint8 b = out[i];
			out[i] = out[i + 1];
			out[i + 1] = b;
		}
	} else if ((guint64)(lba - t4) * RB_CD_MAIN_SIZE < RB_CUE_TEST_WAV_BYTES) {
		guint64 at = (guint64)(lba - t4) * RB_CD_MAIN_SIZE;

		rb_test_read_at(
			wav, 44 + at, out, MIN(RB_CD_MAIN_SIZE, RB_CUE_TEST_WAV_BYTES - at));
	}
	return TRUE;
}

/* streams @image and checks each sector's main channel; returns the stream's sectors */
static GBytes *
rb_test_stream(RbDiscImage *image, const RbCueTestSet *set, RbTestExpect expect, gint32 upto)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RbDiscImageStream) stream = NULL;
	g_autoptr(GByteArray) all = g_byte_array_new();
	g_autofree guint8 *chunk = g_malloc(RB_TEST_CHUNK * RB_TEST_SECTOR);
	gint32 lba = RB_IMAGE_FIRST_LBA;
	guint compared = 0;

	ck_assert(rb_image_layout_set_image_type(
		rb_disc_image_get_layout(image), RB_DATA_BLOCK_TYPE_RAW_PW, &error));
	stream = rb_disc_image_stream_new(image, &error);
	ck_assert_msg(stream != NULL, "%s", error != NULL ? error->message : "");
	ck_assert_uint_eq(rb_disc_image_stream_get_sector_size(stream), RB_TEST_SECTOR);
	for (;;) {
		guint n = 0;

		ck_assert_msg(rb_disc_image_stream_read(stream, chunk, RB_TEST_CHUNK, &n, &error),
			      "%s",
			      error != NULL ? error->message : "");
		if (n == 0)
			break;
		g_byte_array_append(all, chunk, n * RB_TEST_SECTOR);
		for (guint k = 0; k < n; k++, lba++) {
			guint8 want[RB_CD_MAIN_SIZE];

			if (lba >= upto || !expect(set, lba, want))
				continue;
			compared++;
			ck_assert_msg(memcmp(chunk + (gsize)k * RB_TEST_SECTOR,
					     want,
					     RB_CD_MAIN_SIZE) == 0,
				      "LBA %d: the streamed sector is not the file's",
				      lba);
		}
	}
	ck_assert_int_eq(lba, rb_image_layout_get_end_lba(rb_disc_image_get_layout(image)));
	ck_assert_uint_gt(compared, 0);
	return g_byte_array_free_to_bytes(g_steal_pointer(&all));
}

START_TEST(test_audio_stream)
{
	RbCueTestSet set;
	g_autoptr(RbDiscImage) image = NULL;
	g_autoptr(GBytes) stream = NULL;
	gint32 leadout = 0;

	rb_cue_test_audio_set(&set, rb_cue_test_audio_sheet());
	image = rb_cue_test_open(&set);
	ck_assert(
		rb_image_layout_get_leadout_start(rb_disc_image_get_layout(image), &leadout, NULL));
	stream = rb_test_stream(image, &set, rb_test_audio_expect, leadout);
	rb_cue_test_set_clear(&set);
}
END_TEST

/* ---- data tracks ---- */

static gboolean
rb_test_data_expect(const RbCueTestSet *set, gint32 lba, guint8 out[RB_CD_MAIN_SIZE])
{
	const RbCueTestData *desc = set->data;
	g_autofree gchar *data = rb_cue_test_set_path(set, "data.bin");

	if (lba < 0 || lba >= RB_CUE_TEST_DATA_SECTORS)
		return FALSE;
	if (desc->cooked) {
		guint8 user[2048];

		rb_test_read_at(data, (guint64)lba * 2048, user, sizeof(user));
		rb_cd_sector_encode(RB_CD_SECTOR_MODE1, lba, user, out);
	} else if (desc->xa_2336) {
		/* the file's sectors came from complete ones: sync and header back */
		guint8 xa[2336];

		rb_test_read_at(data, (guint64)lba * 2336, xa, sizeof(xa));
		rb_cd_sector_encode(RB_CD_SECTOR_MODE2_FORM0, lba, xa, out);
	} else {
		rb_test_read_at(data, (guint64)lba * RB_CD_MAIN_SIZE, out, RB_CD_MAIN_SIZE);
	}
	/* the stream's data sectors are scrambled, as a raw writer sends them */
	rb_scramble_sector(out);
	return TRUE;
}

START_TEST(test_data_stream)
{
	const RbCueTestData *desc = rb_cue_test_data((guint)_i);
	RbCueTestSet set;
	g_autoptr(RbDiscImage) image = NULL;
	g_autoptr(GBytes) stream = NULL;
	const RbImageTrack *t;

	rb_cue_test_data_set(&set, desc);
	image = rb_cue_test_open(&set);
	t = rb_image_layout_get_track(rb_disc_image_get_layout(image), 0);
	ck_assert_int_eq(t->type, desc->type);
	ck_assert_int_eq(t->start, 0);
	stream = rb_test_stream(image, &set, rb_test_data_expect, RB_CUE_TEST_DATA_SECTORS);
	rb_cue_test_set_clear(&set);
}
END_TEST

/* ---- malformed sheets ---- */

typedef struct {
	const gchar *sheet;
	gint code;
	guint line;
	const gchar *says;
} RbTestBad;

#define RB_TEST_HEAD "FILE \"a.bin\" BINARY\n"
#define RB_TEST_T1 "  TRACK 01 AUDIO\n    INDEX 01 00:00:00\n"

static const RbTestBad rb_test_bad[] = {
	{"FILE \"missing.bin\" BINARY\n" RB_TEST_T1, RB_DISC_IMAGE_ERROR_FILE, 1, "missing"},
	{RB_TEST_HEAD RB_TEST_T1 "  TRACK 02 AUDIO\n    INDEX 01 00:10:00\n",
	 RB_DISC_IMAGE_ERROR_FILE_TOO_SHORT,
	 5,
	 "bytes"},
	{RB_TEST_HEAD RB_TEST_T1 "  TRACK 02 AUDIO\n    INDEX 01 00:03:00\n",
	 RB_DISC_IMAGE_ERROR_INVALID,
	 2,
	 "4 s"},
	{RB_TEST_HEAD "  TRACK 01 AUDIO\n    INDEX 01 00:00:00\n    FOO bar\n",
	 RB_DISC_IMAGE_ERROR_SYNTAX,
	 4,
	 "FOO"},
	{RB_TEST_HEAD "  TRACK 01 AUDIO\n    index 01 00:00:00\n",
	 RB_DISC_IMAGE_ERROR_SYNTAX,
	 3,
	 "capitals"},
	{RB_TEST_HEAD "  TRACK 01 AUDIO\n    INDEX 01 00:00:75\n",
	 RB_DISC_IMAGE_ERROR_SYNTAX,
	 3,
	 "MM:SS:FF"},
	{RB_TEST_HEAD "  TRACK 01 AUDIO\n    INDEX 01 0:2\n",
	 RB_DISC_IMAGE_ERROR_SYNTAX,
	 3,
	 "MM:SS:FF"},
	{RB_TEST_HEAD RB_TEST_T1 "    INDEX 03 00:05:00\n", RB_DISC_IMAGE_ERROR_SYNTAX, 4, "order"},
	{RB_TEST_HEAD RB_TEST_T1 "  TRACK 02 AUDIO\n    INDEX 00 00:06:00\n    INDEX 01 00:05:00\n",
	 RB_DISC_IMAGE_ERROR_SYNTAX,
	 6,
	 "increase"},
	{RB_TEST_HEAD "  TRACK 01 CDG\n    INDEX 01 00:00:00\n",
	 RB_DISC_IMAGE_ERROR_UNSUPPORTED,
	 2,
	 "CDG"},
	{RB_TEST_HEAD "  TRACK 01 CDI/2352\n    INDEX 01 00:00:00\n",
	 RB_DISC_IMAGE_ERROR_UNSUPPORTED,
	 2,
	 "CDI/2352"},
	{"FILE \"a.mp3\" MP3\n" RB_TEST_T1, RB_DISC_IMAGE_ERROR_UNSUPPORTED, 1, "MP3"},
	{"FILE \"a.aiff\" AIFF\n" RB_TEST_T1, RB_DISC_IMAGE_ERROR_UNSUPPORTED, 1, "AIFF"},
	{RB_TEST_HEAD "  TRACK 01 AUDIO\n    FLAGS 4CH\n    INDEX 01 00:00:00\n",
	 RB_DISC_IMAGE_ERROR_UNSUPPORTED,
	 3,
	 "4CH"},
	{RB_TEST_HEAD "  TRACK 100 AUDIO\n    INDEX 01 00:00:00\n",
	 RB_DISC_IMAGE_ERROR_INVALID,
	 2,
	 "99"},
	{RB_TEST_HEAD "  TRACK 01 AUDIO\n", RB_DISC_IMAGE_ERROR_SYNTAX, 2, "INDEX 01"},
	{RB_TEST_HEAD "  TRACK 01 AUDIO\n    INDEX 01 00:00:00\n    POSTGAP 00:02:00\n"
		      "    INDEX 02 00:05:00\n",
	 RB_DISC_IMAGE_ERROR_SYNTAX,
	 5,
	 "POSTGAP"},
	{"FILE \"odd.bin\" BINARY\n  TRACK 01 MODE1/2048\n    INDEX 01 00:00:00\n",
	 RB_DISC_IMAGE_ERROR_FILE_TOO_SHORT,
	 2,
	 "2048"},
	{"CATALOG 12345\n" RB_TEST_HEAD RB_TEST_T1, RB_DISC_IMAGE_ERROR_SYNTAX, 1, "13"},
	{RB_TEST_HEAD "  TRACK 01 AUDIO\n    TITLE \"open\n    INDEX 01 00:00:00\n",
	 RB_DISC_IMAGE_ERROR_SYNTAX,
	 3,
	 "quotes"},
};

START_TEST(test_bad_sheet)
{
	const RbTestBad *bad = &rb_test_bad[_i];
	g_autoptr(GError) error = NULL;
	g_autoptr(RbDiscImage) image = NULL;
	g_autofree gchar *a = NULL;
	g_autofree gchar *odd = NULL;
	g_autofree gchar *where = NULL;
	RbCueTestSet set;

	rb_cue_test_set_init(&set, bad->sheet);
	a = rb_cue_test_set_path(&set, "a.bin");
	odd = rb_cue_test_set_path(&set, "odd.bin");
	/* 8 s of audio; 300.5 cooked data sectors */
	rb_disc_test_write_pattern(a, 600 * RB_CD_MAIN_SIZE, 6);
	rb_disc_test_write_pattern(odd, 300 * 2048 + 1024, 7);
	image = rb_disc_image_open(set.sheet, &error);
	ck_assert_msg(image == NULL, "case %d was read", _i);
	ck_assert_msg(g_error_matches(error, RB_DISC_IMAGE_ERROR, bad->code),
		      "case %d: %s (code %d)",
		      _i,
		      error->message,
		      error->code);
	where = g_strdup_printf("%s line %u", set.sheet, bad->line);
	ck_assert_msg(strstr(error->message, where) != NULL && strstr(error->message, bad->says),
		      "case %d: “%s” does not name “%s” and “%s”",
		      _i,
		      error->message,
		      where,
		      bad->says);
	rb_cue_test_set_clear(&set);
}
END_TEST

/* ---- CDTEXTFILE ---- */

/*
 * A .cdt file of two languages (what the sheet's lines cannot say), as
 * rb_cdtext_encode() writes packs: bare, and after the 4-byte header READ
 * TOC format 0101b gives (data length, two reserved bytes). Its text is the
 * image's, the sheet's TITLE/PERFORMER lines are ignored with a note
 * (rb-disc-cue-text.c: CDTEXTFILE wins).
 */
START_TEST(test_cdtextfile)
{
	g_autoptr(RbCdText) cdt = rb_cdtext_new();
	g_autoptr(GBytes) packs = NULL;
	g_autoptr(GByteArray) file = g_byte_array_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(RbDiscImage) image = NULL;
	g_autofree gchar *path = NULL;
	g_autofree gchar *sheet = NULL;
	RbCueTestSet set;
	RbCdText *cdtext;
	gsize len;

	ck_assert(rb_cdtext_set_block(cdt, 0, 0x09, RB_CDTEXT_CHARSET_ISO8859_1, &error));
	ck_assert(rb_cdtext_set_block(cdt, 1, 0x08, RB_CDTEXT_CHARSET_ISO8859_1, &error));
	ck_assert(rb_cdtext_set_text(cdt, 0, RB_CDTEXT_TITLE, 0, "File Title", &error));
	ck_assert(rb_cdtext_set_text(cdt, 1, RB_CDTEXT_TITLE, 0, "Dateititel \xC3\xBC", &error));
	ck_assert(rb_cdtext_set_text(cdt, 0, RB_CDTEXT_TITLE, 1, "File One", &error));
	ck_assert(rb_cdtext_set_text(cdt, 1, RB_CDTEXT_TITLE, 1, "Eins", &error));
	packs = rb_cdtext_encode(cdt, 1, 1, &error);
	ck_assert_msg(packs != NULL, "%s", error != NULL ? error->message : "");
	len = g_bytes_get_size(packs);
	if (_i == 1) {
		/* the data length counts the two reserved bytes and the packs */
		const guint8 header[4] = {(guint8)((len + 2) >> 8), (guint8)(len + 2), 0, 0};

		g_byte_array_append(file, header, sizeof(header));
	}
	g_byte_array_append(file, g_bytes_get_data(packs, NULL), len);
	sheet = g_strdup("CDTEXTFILE \"disc.cdt\"\nTITLE \"Sheet Title\"\n"
			 "FILE \"a.bin\" BINARY\n  TRACK 01 AUDIO\n    TITLE \"Sheet One\"\n"
			 "    PERFORMER \"Sheet Performer\"\n    INDEX 01 00:00:00\n");
	rb_cue_test_set_init(&set, sheet);
	path = rb_cue_test_set_path(&set, "disc.cdt");
	ck_assert(g_file_set_contents(path, (const gchar *)file->data, file->len, &error));
	g_free(path);
	path = rb_cue_test_set_path(&set, "a.bin");
	rb_disc_test_write_pattern(path, 600 * RB_CD_MAIN_SIZE, 6);
	image = rb_cue_test_open(&set);
	cdtext = rb_disc_image_get_cdtext(image);
	ck_assert_ptr_nonnull(cdtext);
	ck_assert(rb_cdtext_equal(cdtext, cdt));
	ck_assert_uint_eq(rb_cdtext_get_n_blocks(cdtext), 2);
	ck_assert_str_eq(rb_cdtext_get_text(cdtext, 1, RB_CDTEXT_TITLE, 0), "Dateititel \xC3\xBC");
	/* nothing of the sheet's lines */
	ck_assert_ptr_null(rb_cdtext_get_text(cdtext, 0, RB_CDTEXT_PERFORMER, 1));
	ck_assert(rb_test_has_note(image, "CDTEXTFILE"));
	rb_cue_test_set_clear(&set);
}
END_TEST

/* a CDTEXTFILE that holds no packs is refused naming its line */
START_TEST(test_cdtextfile_bad)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RbDiscImage) image = NULL;
	g_autofree gchar *path = NULL;
	RbCueTestSet set;

	rb_cue_test_set_init(&set,
			     "REM\nCDTEXTFILE \"disc.cdt\"\nFILE \"a.bin\" BINARY\n"
			     "  TRACK 01 AUDIO\n    INDEX 01 00:00:00\n");
	path = rb_cue_test_set_path(&set, "disc.cdt");
	ck_assert(g_file_set_contents(path, "not CD-TEXT at all, 35 bytes long.", -1, NULL));
	g_free(path);
	path = rb_cue_test_set_path(&set, "a.bin");
	rb_disc_test_write_pattern(path, 600 * RB_CD_MAIN_SIZE, 6);
	image = rb_disc_image_open(set.sheet, &error);
	ck_assert(image == NULL);
	ck_assert_msg(g_error_matches(error, RB_DISC_IMAGE_ERROR, RB_DISC_IMAGE_ERROR_SYNTAX) &&
			      strstr(error->message, "line 2:") != NULL,
		      "%s",
		      error->message);
	rb_cue_test_set_clear(&set);
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("disc-cue");
	TCase *tc = tcase_create("sheet");
	TCase *tc_stream = tcase_create("stream");

	tcase_add_test(tc, test_audio_layout);
	tcase_add_loop_test(tc, test_cdtextfile, 0, 2);
	tcase_add_test(tc, test_cdtextfile_bad);
	tcase_add_loop_test(tc, test_bad_sheet, 0, G_N_ELEMENTS(rb_test_bad));
	tcase_set_timeout(tc_stream, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_test(tc_stream, test_audio_stream);
	tcase_add_loop_test(tc_stream, test_data_stream, 0, rb_cue_test_n_data());
	suite_add_tcase(suite, tc);
	suite_add_tcase(suite, tc_stream);
	return rb_test_run_suite(suite);
}
