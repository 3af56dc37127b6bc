/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Data discs and a two-language TOC burned end to end: rawburnctl burns
 * each sample set onto a virtual recorder of the service on a private bus;
 * the drive's ValidationReport must be clean and complete, and the
 * exported disc is read back under the emulated drive by independent
 * tools: cdrdao's read-toc and libcdio's cd-info (the TOC and the track
 * modes, the CD-TEXT of every language), sg_raw sending READ CD itself for
 * every sector's 2352 bytes (cd-read's data modes use read(), which the
 * emulated drive does not serve). The refusals of test-disc-burn.c are
 * completed with the CUE sheets the issue lists: each leaves the recorder
 * untouched.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "rb-disc-cue-test.h"
#include "rb-disc-test.h"
#include "rb-disc-toc-test.h"
#include "rb-test-client.h"

#define RB_VIRTUAL0 "/org/rawburn/RawBurn1/recorders/virtual0"
#define RB_MAIN 2352
/* READ CD's longest transfer through the emulated drive is 512 KiB */
#define RB_READ_CHUNK 200

static const gchar *const rb_fast_cd_r[] = {
	"--virtual-recorder", "media=cd-r-80,realtime=false", NULL};

/* ---- burning ---- */

static void
rb_assert_contains(const gchar *haystack, const gchar *needle)
{
	ck_assert_msg(strstr(haystack, needle) != NULL, "“%s” not in:\n%s", needle, haystack);
}

/* ---- what a reader sees: written here, not by the project's encoder ---- */

/* the CD-ROM EDC (ECMA-130 14.3), bit by bit */
static guint32
rb_edc(const guint8 *data, gsize len)
{
	guint32 edc = 0;

	for (gsize i = 0; i < len; i++) {
		edc ^= data[i];
		for (guint k = 0; k < 8; k++)
			edc = edc >> 1 ^ (edc & 1 ? 0xD8018001u : 0);
	}
	return edc;
}

static guint8
rb_bcd(guint n)
{
	return (guint8)(n / 10 << 4 | n % 10);
}

/* a data sector's sync and header at @lba in mode @mode */
static void
rb_sync_header(gint32 lba, guint mode, guint8 out[16])
{
	guint frames = (guint)(lba + 150);

	memset(out, 0xFF, 12);
	out[0] = out[11] = 0x00;
	out[12] = rb_bcd(frames / 75 / 60);
	out[13] = rb_bcd(frames / 75 % 60);
	out[14] = rb_bcd(frames % 75);
	out[15] = (guint8)mode;
}

/* a Mode 1 sector read back at @lba: its sync, header, @user data (NULL:
 * zeros), the zero bytes after the EDC and the EDC itself */
static void
rb_assert_mode1(const guint8 *got, gint32 lba, const guint8 *user)
{
	guint8 head[16];
	guint8 zeros[2048] = {0};
	guint32 edc = rb_edc(got, 2064);
	const guint8 edc_le[4] = {
		(guint8)edc, (guint8)(edc >> 8), (guint8)(edc >> 16), (guint8)(edc >> 24)};

	rb_sync_header(lba, 1, head);
	ck_assert_msg(memcmp(got, head, 16) == 0, "sync or header at LBA %d", lba);
	ck_assert_msg(memcmp(got + 16, user != NULL ? user : zeros, 2048) == 0,
		      "Mode 1 user data at LBA %d",
		      lba);
	ck_assert_msg(memcmp(got + 2064, edc_le, 4) == 0, "EDC at LBA %d", lba);
	ck_assert_msg(memcmp(got + 2068, zeros, 8) == 0, "zero bytes at LBA %d", lba);
}

/* a Mode 2 sector read back at @lba: its sync and header, then @xa, the
 * 2336 bytes of the source file */
static void
rb_assert_mode2(const guint8 *got, gint32 lba, const guint8 *xa)
{
	guint8 head[16];

	rb_sync_header(lba, 2, head);
	ck_assert_msg(memcmp(got, head, 16) == 0, "sync or header at LBA %d", lba);
	ck_assert_msg(memcmp(got + 16, xa, 2336) == 0, "Mode 2 sector at LBA %d", lba);
}

/*
 * sg_raw's READ CD of @n sectors from @first (two's complement below 0),
 * all of each sector's 2352 bytes (sync, headers, user data, EDC/ECC:
 * flags F8h), into @name; or the user data only (10h)
 */
static void
rb_read_cd_command(GString *command, const gchar *name, gint32 first, guint n, gboolean user)
{
	guint32 lba = (guint32)first;

	g_string_append_printf(command,
			       "sg_raw -r %u -o %s /dev/sr0 be 00 %02x %02x %02x %02x 00 00 %02x "
			       "%s 00 00\n",
			       n * (user ? 2048 : RB_MAIN),
			       name,
			       lba >> 24 & 0xFF,
			       lba >> 16 & 0xFF,
			       lba >> 8 & 0xFF,
			       lba & 0xFF,
			       n,
			       user ? "10" : "f8");
}

/* ---- CUE/BIN data discs ---- */

typedef struct {
	const gchar *name; /* rb_cue_test_data()'s */
	guint n_tracks;
	gint32 starts[2];
	gint32 leadout;
	/* cd-info's track formats, cdrdao read-toc's track modes */
	const gchar *formats[2];
	const gchar *modes[2];
	/* LBA 400 (the data's end) to the audio track's start: a postgap of
	 * Mode 1 zero sectors, then silence */
	gint32 postgap_end;
	/* cdrdao's disc type: CD_ROM_XA from the full TOC's A0 (disc type 20h) */
	const gchar *disc_type;
} RbDataDisc;

/* the sheets of rb_cue_test_data(), in its order: 400 data sectors from
 * LBA 0, 300 audio sectors after a PREGAP of 2 s */
static const RbDataDisc rb_data_discs[] = {
	{"MODE1/2048 + audio",
	 2,
	 {0, 550},
	 850,
	 {"data", "audio"},
	 {"MODE1", "AUDIO"},
	 400,
	 "CD_ROM"},
	{"MODE1/2352 + audio",
	 2,
	 {0, 700},
	 1000,
	 {"data", "audio"},
	 {"MODE1", "AUDIO"},
	 550,
	 "CD_ROM"},
	{"MODE2/2336", 1, {0}, 400, {"data"}, {"MODE2_FORM_MIX"}, 400, "CD_ROM_XA"},
	{"MODE2/2352", 1, {0}, 400, {"data"}, {"MODE2_FORM_MIX"}, 400, "CD_ROM_XA"},
};

/* cd-info's and cdrdao's TOC of the disc against the sheet's */
static void
rb_assert_data_toc(const RbDataDisc *want, const gchar *info, const gchar *toc)
{
	g_autofree gchar *leadout_msf = rb_disc_test_msf(want->leadout);
	g_autofree gchar *leadout = NULL;
	g_auto(GStrv) lines = g_strsplit(toc, "\n", -1);
	guint n_tracks = 0;

	for (guint i = 0; i < want->n_tracks; i++) {
		g_autofree gchar *msf = rb_disc_test_msf(want->starts[i]);
		g_autofree gchar *line = g_strdup_printf(
			"%3u: %s  %06d %s ", i + 1, msf, want->starts[i], want->formats[i]);

		rb_assert_contains(info, line);
	}
	leadout = g_strdup_printf("170: %s  %06d leadout", leadout_msf, want->leadout);
	rb_assert_contains(info, leadout);
	/* cdrdao's TOC file begins with the disc type and names each track's
	 * mode from its sectors (cd-info's Linux driver says "data" of XA too) */
	ck_assert_str_eq(lines[0], want->disc_type);
	for (guint i = 0; lines[i] != NULL; i++) {
		if (!g_str_has_prefix(lines[i], "TRACK "))
			continue;
		ck_assert_uint_lt(n_tracks, want->n_tracks);
		ck_assert_str_eq(lines[i] + strlen("TRACK "), want->modes[n_tracks]);
		n_tracks++;
	}
	ck_assert_msg(n_tracks == want->n_tracks, "%s", toc);
}

/* sector @lba of @set's disc as read back: the source file's */
static void
rb_assert_data_sector(const RbCueTestSet *set,
		      const RbDataDisc *want,
		      GBytes *data,
		      GBytes *audio,
		      gint32 lba,
		      const guint8 *got)
{
	const RbCueTestData *desc = set->data;
	const guint8 *file = g_bytes_get_data(data, NULL);
	guint8 zeros[RB_MAIN] = {0};

	if (lba < 0 && desc->mode == 1) {
		rb_assert_mode1(got, lba, NULL);
	} else if (lba < 0) {
		/* a Mode 2 track's pregap: Mode 2 sectors of 2336 zero bytes, no
		 * sub-header (what the burner generates; a reader takes them as
		 * formless Mode 2) */
		guint8 xa[2336] = {0};

		rb_assert_mode2(got, lba, xa);
	} else if (lba < RB_CUE_TEST_DATA_SECTORS && desc->cooked) {
		rb_assert_mode1(got, lba, file + (gsize)lba * 2048);
	} else if (lba < RB_CUE_TEST_DATA_SECTORS && desc->xa_2336) {
		rb_assert_mode2(got, lba, file + (gsize)lba * 2336);
	} else if (lba < RB_CUE_TEST_DATA_SECTORS) {
		/* a raw BIN's sectors as they are, Form 1 and Form 2 alike */
		ck_assert_msg(memcmp(got, file + (gsize)lba * RB_MAIN, RB_MAIN) == 0,
			      "data sector at LBA %d",
			      lba);
	} else if (lba < want->postgap_end) {
		rb_assert_mode1(got, lba, NULL);
	} else if (lba < want->starts[1]) {
		ck_assert_msg(memcmp(got, zeros, RB_MAIN) == 0, "pregap silence at LBA %d", lba);
	} else {
		const guint8 *pcm = g_bytes_get_data(audio, NULL);

		ck_assert_msg(
			memcmp(got, pcm + (gsize)(lba - want->starts[1]) * RB_MAIN, RB_MAIN) == 0,
			"audio at LBA %d",
			lba);
	}
}

static GBytes *
rb_file_bytes(const gchar *dir, const gchar *name)
{
	g_autofree gchar *path = g_build_filename(dir, name, NULL);
	g_autoptr(GError) error = NULL;
	gchar *data = NULL;
	gsize len = 0;

	ck_assert_msg(g_file_get_contents(path, &data, &len, &error), "%s", error->message);
	return g_bytes_new_take(data, len);
}

START_TEST(test_burn_cue_data)
{
	const RbCueTestData *desc = rb_cue_test_data((guint)_i);
	const RbDataDisc *want = &rb_data_discs[_i];
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(GString) command = g_string_new("cd-info --no-header --no-device-info /dev/sr0\n"
						  "cdrdao read-toc --device /dev/sr0 read.toc "
						  "1>&2\n");
	g_autofree gchar *disc = NULL;
	g_autofree gchar *info = NULL;
	g_autofree gchar *toc = NULL;
	g_autoptr(GBytes) data = NULL;
	g_autoptr(GBytes) audio = NULL;
	RbCueTestSet set;

	ck_assert_uint_eq(G_N_ELEMENTS(rb_data_discs), rb_cue_test_n_data());
	ck_assert_str_eq(desc->name, want->name);
	rb_cue_test_data_set(&set, desc);
	data = rb_file_bytes(set.dir, "data.bin");
	audio = rb_file_bytes(set.dir, "audio.bin");
	rb_test_service_start_daemon(service, rb_fast_cd_r);
	disc = rb_disc_test_burn_and_export(service, set.sheet, want->n_tracks, NULL);

	/* every sector from track 1's pregap to the lead-out; set -e: a READ
	 * CD the drive refuses fails the test */
	g_string_prepend(command, "set -e\n");
	for (gint32 first = -150; first < want->leadout; first += RB_READ_CHUNK) {
		g_autofree gchar *name = g_strdup_printf("read%d.bin", first);

		rb_read_cd_command(command,
				   name,
				   first,
				   (guint)MIN(RB_READ_CHUNK, want->leadout - first),
				   FALSE);
	}
	/* a reader's user data of the cooked image's first sectors */
	if (desc->cooked)
		rb_read_cd_command(command, "user.bin", 0, RB_READ_CHUNK, TRUE);
	info = rb_disc_test_read_disc(service->tmpdir, disc, command->str);
	{
		g_autoptr(GBytes) toc_bytes = rb_file_bytes(service->tmpdir, "read.toc");

		toc = g_strndup(g_bytes_get_data(toc_bytes, NULL), g_bytes_get_size(toc_bytes));
	}
	rb_assert_data_toc(want, info, toc);
	for (gint32 first = -150; first < want->leadout; first += RB_READ_CHUNK) {
		g_autofree gchar *name = g_strdup_printf("read%d.bin", first);
		g_autoptr(GBytes) read = rb_file_bytes(service->tmpdir, name);
		guint n = (guint)MIN(RB_READ_CHUNK, want->leadout - first);
		const guint8 *got = g_bytes_get_data(read, NULL);

		ck_assert_uint_eq(g_bytes_get_size(read), (gsize)n * RB_MAIN);
		for (guint i = 0; i < n; i++)
			rb_assert_data_sector(&set,
					      want,
					      data,
					      audio,
					      first + (gint32)i,
					      got + (gsize)i * RB_MAIN);
	}
	if (desc->cooked) {
		g_autoptr(GBytes) user = rb_file_bytes(service->tmpdir, "user.bin");

		ck_assert_uint_eq(g_bytes_get_size(user), RB_READ_CHUNK * 2048);
		ck_assert(memcmp(g_bytes_get_data(user, NULL),
				 g_bytes_get_data(data, NULL),
				 RB_READ_CHUNK * 2048) == 0);
	}
	rb_cue_test_set_clear(&set);
	rb_test_service_stop_daemon(service);
}
END_TEST

/* ---- the two-language TOC ---- */

/*
 * The TOC sample set with CD_TEXT in English and German (EBU code 8):
 * cd-info reads the packs with READ TOC format 0101b through the drive and
 * prints each language's block; the audio read back equals the files'
 */
START_TEST(test_burn_toc_two_languages)
{
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	RbTocTestSet *set = rb_toc_test_set_audio();
	/* the set's track 1 starts 1 s into a.wav, track 2 after its PREGAP */
	const gint32 starts[] = {75, 650};
	const gint32 leadout = (gint32)set->expect->len - 150;
	g_autofree gchar *command =
		g_strdup_printf("cd-info --no-header --no-device-info /dev/sr0 && "
				"cd-read -m audio -s 0 -n %d -o read-back.pcm /dev/sr0 >/dev/null",
				leadout);
	g_autofree gchar *disc = NULL;
	g_autofree gchar *info = NULL;
	g_autoptr(GBytes) pcm = NULL;
	const guint8 *got;
	g_autofree gchar *leadout_msf = rb_disc_test_msf(leadout);
	g_autofree gchar *leadout_line = NULL;

	rb_test_service_start_daemon(service, rb_fast_cd_r);
	disc = rb_disc_test_burn_and_export(service, set->toc_path, 2, NULL);
	info = rb_disc_test_read_disc(service->tmpdir, disc, command);
	for (guint i = 0; i < G_N_ELEMENTS(starts); i++) {
		g_autofree gchar *msf = rb_disc_test_msf(starts[i]);
		g_autofree gchar *line =
			g_strdup_printf("%3u: %s  %06d audio ", i + 1, msf, starts[i]);

		rb_assert_contains(info, line);
	}
	leadout_line = g_strdup_printf("170: %s  %06d leadout", leadout_msf, leadout);
	rb_assert_contains(info, leadout_line);
	/* both blocks, each under its language, the German title's ü
	 * (ISO 8859-1 in the packs) as UTF-8 */
	rb_assert_contains(info,
			   "Language 0 'English':\n"
			   "CD-TEXT for Disc:\n"
			   "\tTITLE: Disc \"EN\"\n"
			   "\tPERFORMER: Band\n"
			   "\tGENRE: Jazz\n"
			   "\tGENRE_CODE: 9 ");
	rb_assert_contains(info,
			   ")\n"
			   "CD-TEXT for Track  1:\n"
			   "\tTITLE: One\n"
			   "CD-TEXT for Track  2:\n"
			   "\tTITLE: Two\n"
			   "\n"
			   "Language 1 'German':\n"
			   "CD-TEXT for Disc:\n"
			   "\tTITLE: Platte \xC3\xBC\n"
			   "\tPERFORMER: Gruppe\n"
			   "CD-TEXT for Track  1:\n"
			   "\tTITLE: Eins\n"
			   "CD-TEXT for Track  2:\n"
			   "\tTITLE: Zwei\n");

	pcm = rb_file_bytes(service->tmpdir, "read-back.pcm");
	ck_assert_uint_eq(g_bytes_get_size(pcm), (gsize)leadout * RB_MAIN);
	got = g_bytes_get_data(pcm, NULL);
	for (gint32 lba = 0; lba < leadout; lba++) {
		const RbTocExpect *e = &g_array_index(set->expect, RbTocExpect, lba + 150);
		guint8 zeros[RB_MAIN] = {0};

		ck_assert_int_eq(e->kind, RB_TOC_EXPECT_AUDIO);
		ck_assert_msg(memcmp(got + (gsize)lba * RB_MAIN,
				     e->data != NULL ? e->data : zeros,
				     RB_MAIN) == 0,
			      "audio at LBA %d",
			      lba);
	}
	rb_toc_test_set_free(set);
	rb_test_service_stop_daemon(service);
}
END_TEST

/* ---- refusals ---- */

typedef struct {
	const gchar *sheet; /* disc.cue */
	gint status;
	const gchar *says[3];
} RbCueRefusal;

/* the CUE sheets of rb_cue_refusals with their files; short.bin is 100
 * sectors, one.bin 400 */
static void
rb_write_refusal_files(const gchar *dir)
{
	g_autofree gchar *one = g_build_filename(dir, "one.bin", NULL);
	g_autofree gchar *short_bin = g_build_filename(dir, "short.bin", NULL);
	g_autofree gchar *many = g_build_filename(dir, "many.cue", NULL);
	g_autoptr(GString) sheet = g_string_new("FILE \"one.bin\" BINARY\n");

	rb_disc_test_write_pattern(one, 400 * RB_MAIN, 1);
	rb_disc_test_write_pattern(short_bin, 100 * RB_MAIN, 2);
	/* 100 tracks of 4 s over one file: line 2 + 2 × 99 names the 100th */
	for (guint i = 1; i <= 100; i++)
		g_string_append_printf(sheet,
				       "  TRACK %02u AUDIO\n    INDEX 01 %02u:%02u:00\n",
				       i,
				       (i - 1) * 4 / 60,
				       (i - 1) * 4 % 60);
	ck_assert(g_file_set_contents(many, sheet->str, -1, NULL));
}

static const RbCueRefusal rb_cue_refusals[] = {
	{NULL, 65, {"many.cue", "line 200:", "tracks 1 to 99"}},
	{"FILE \"one.bin\" BINARY\n  TRACK 01 CDG\n    INDEX 01 00:00:00\n",
	 65,
	 {"cdg.cue", "line 2:", "CDG tracks are not burned"}},
	{"FILE \"short.bin\" BINARY\n  TRACK 01 AUDIO\n    INDEX 01 00:00:00\n"
	 "  TRACK 02 AUDIO\n    INDEX 01 00:10:00\n",
	 65,
	 {"short.cue", "line 5:", "short.bin"}},
	{"FILE \"missing.bin\" BINARY\n  TRACK 01 AUDIO\n    INDEX 01 00:00:00\n",
	 66,
	 {"missing.cue", "line 1:", "missing.bin"}},
};

static const gchar *const rb_cue_refusal_names[] = {
	"many.cue", "cdg.cue", "short.cue", "missing.cue"};

/* the recorder was never written: the report counts nothing, the disc is blank */
static void
rb_assert_untouched(RbTestService *service)
{
	g_autoptr(RbTestClient) client = rb_test_client_new(service);
	g_autoptr(GVariant) report =
		rb_test_client_get(client, RB_VIRTUAL0, RB_TEST_VIRTUAL, "ValidationReport");
	g_autoptr(GVariant) blank =
		rb_test_client_get(client, RB_VIRTUAL0, RB_TEST_FORMAT, "MediaPhysicallyBlank");
	guint64 written = 0;

	if (g_variant_lookup(report, "SectorsWritten", "t", &written))
		ck_assert_uint_eq(written, 0);
	ck_assert(g_variant_get_boolean(blank));
}

/* each refusal: the sheet and the line named, the exit status, the recorder blank */
START_TEST(test_cue_refusals)
{
	g_autoptr(RbTestService) service = rb_test_service_new_bus();

	rb_write_refusal_files(service->tmpdir);
	rb_test_service_start_daemon(service, rb_fast_cd_r);
	for (guint i = 0; i < G_N_ELEMENTS(rb_cue_refusals); i++) {
		const RbCueRefusal *r = &rb_cue_refusals[i];
		g_autofree gchar *cue =
			g_build_filename(service->tmpdir, rb_cue_refusal_names[i], NULL);
		const gchar *const args[] = {"burn", "virtual0", cue, NULL};
		g_autofree gchar *out = NULL;
		g_autofree gchar *err = NULL;
		gint status;

		if (r->sheet != NULL)
			ck_assert(g_file_set_contents(cue, r->sheet, -1, NULL));
		status = rb_test_run_rawburnctl(service, args, &out, &err);
		ck_assert_msg(status == r->status,
			      "%s: exit %d, not %d: %s%s",
			      rb_cue_refusal_names[i],
			      status,
			      r->status,
			      out,
			      err);
		for (guint k = 0; k < G_N_ELEMENTS(r->says); k++)
			rb_assert_contains(err, r->says[k]);
		rb_assert_untouched(service);
	}
	rb_test_service_stop_daemon(service);
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("disc-burn-data");
	TCase *tc = tcase_create("disc-burn-data");

	tcase_set_timeout(tc, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_loop_test(tc, test_burn_cue_data, 0, G_N_ELEMENTS(rb_data_discs));
	tcase_add_test(tc, test_burn_toc_two_languages);
	tcase_add_test(tc, test_cue_refusals);
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
