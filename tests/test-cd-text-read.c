/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The emulated drive gives back the CD-TEXT it recorded, as a real reading
 * drive does: cdrdao burns a two-track audio disc with CD-TEXT in two
 * languages, and libcdio (cd-info, and cdio_get_cdtext() in this process
 * through CDROM_SEND_PACKET) and cdrdao read-toc read the titles and
 * performers back, in the same run and after --export / --disc. READ
 * TOC/PMA/ATIP format 5 is checked byte for byte against the packs cdrdao
 * lists at verbosity 4 (CdTextEncoder::encode()), a disc without CD-TEXT
 * against what the hosts expect, and CDROM_SEND_PACKET against careless
 * callers (test-vdrive-cdtext.c has the keeping rules). The tools are
 * installed by .ci/build: a missing one fails the test, never skips it.
 */
#include "config.h"

#include <cdio/cdio.h>
#include <cdio/cdtext.h>
#include <cdio/mmc.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/cdrom.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "rb-test-service.h"
#include "rb-umockdev-test.h"

#define RB_PACK 18
#define RB_SECTOR 2448
#define RB_MAIN 2352
#define RB_TRACK_SECTORS 300
#define RB_SPEC "media=cd-r-80,realtime=false"

typedef struct {
	const gchar *title;
	const gchar *performer;
} RbText;

/* [language block][0 = disc, 1 and 2 = tracks] */
static const RbText rb_texts[2][3] = {
	{{"Disc Title", "Disc Performer"},
	 {"First Song", "Singer One"},
	 {"Second Song", "Singer Two"}},
	{{"Plattentitel", "Interpret"},
	 {"Erstes Lied", "Saenger Eins"},
	 {"Zweites Lied", "Saengerin Zwei"}},
};
/* EBU Tech 3264 codes, as numbers: cdrdao 1.2.4 knows only the keyword EN */
static const guint rb_languages[2] = {CDTEXT_LANGUAGE_ENGLISH, CDTEXT_LANGUAGE_GERMAN};
static const gchar *const rb_language_names[2] = {"English", "German"};

static const gchar rb_burn[] =
	"cdrdao write -v 4 --device /dev/sr0 --driver generic-mmc-raw -n disc.toc";

static void
rb_append_cd_text(GString *toc, guint item)
{
	g_string_append(toc, "CD_TEXT {\n");
	if (item == 0)
		g_string_append_printf(
			toc, "LANGUAGE_MAP { 0 : %u 1 : %u }\n", rb_languages[0], rb_languages[1]);
	for (guint block = 0; block < 2; block++)
		g_string_append_printf(toc,
				       "LANGUAGE %u { TITLE \"%s\" PERFORMER \"%s\" }\n",
				       block,
				       rb_texts[block][item].title,
				       rb_texts[block][item].performer);
	g_string_append(toc, "}\n");
}

/* a fresh directory with two 300-sector audio tracks and disc.toc, with
 * CD-TEXT for the disc and each track in both languages or none */
static gchar *
rb_inputs(gboolean cdtext)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GString) toc = g_string_new("CD_DA\n");
	gchar *dir = g_dir_make_tmp("rawburn-cdtext-XXXXXX", &error);
	g_autofree guint8 *audio = g_malloc(RB_MAIN * RB_TRACK_SECTORS);

	ck_assert_msg(dir != NULL, "%s", error ? error->message : "");
	if (cdtext)
		rb_append_cd_text(toc, 0);
	for (guint track = 1; track <= 2; track++) {
		g_autofree gchar *name = g_strdup_printf("t%u.raw", track);
		g_autofree gchar *path = g_build_filename(dir, name, NULL);

		for (guint i = 0; i < RB_MAIN * RB_TRACK_SECTORS; i++)
			audio[i] = (guint8)(i * 31 + i / RB_MAIN + track);
		ck_assert(g_file_set_contents(
			path, (const gchar *)audio, RB_MAIN * RB_TRACK_SECTORS, &error));
		g_string_append(toc, "TRACK AUDIO\n");
		if (cdtext)
			rb_append_cd_text(toc, track);
		g_string_append_printf(toc, "FILE \"%s\" 0\n", name);
	}
	{
		g_autofree gchar *path = g_build_filename(dir, "disc.toc", NULL);
		ck_assert(g_file_set_contents(path, toc->str, -1, &error));
	}
	return dir;
}

static void
rb_remove_dir(const gchar *dir)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const gchar *name;

	while (d != NULL && (name = g_dir_read_name(d)) != NULL) {
		g_autofree gchar *path = g_build_filename(dir, name, NULL);
		g_unlink(path);
	}
	g_rmdir(dir);
}

static void
rb_require_program(const gchar *name)
{
	g_autofree gchar *path = g_find_program_in_path(name);

	ck_assert_msg(path != NULL, "%s is missing: install it (.ci/build does)", name);
}

/* rawburn-vdrive-run --fast @args in @dir, without this process's preload
 * (the tool puts itself under it); asserts it succeeded */
static void
rb_run(const gchar *dir, const gchar *const *args, gchar **out, gchar **err)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_auto(GStrv) envp = g_get_environ();
	g_autoptr(GError) error = NULL;
	gint wait_status = 0;

	envp = g_environ_unsetenv(envp, "LD_PRELOAD");
	envp = g_environ_unsetenv(envp, "UMOCKDEV_DIR");
	g_ptr_array_add(argv, (gpointer)rb_test_tool_path());
	g_ptr_array_add(argv, (gpointer) "--fast");
	for (guint i = 0; args[i] != NULL; i++)
		g_ptr_array_add(argv, (gpointer)args[i]);
	g_ptr_array_add(argv, NULL);
	ck_assert_msg(g_spawn_sync(dir,
				   (gchar **)argv->pdata,
				   envp,
				   G_SPAWN_SEARCH_PATH,
				   NULL,
				   NULL,
				   out,
				   err,
				   &wait_status,
				   &error),
		      "%s",
		      error ? error->message : "");
	ck_assert_msg(WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0, "%s%s", *out, *err);
}

/* the packs cdrdao's encoder made, from its verbosity-4 listing
 * "80 00 00 00: 44 69 … 46  CRC: 95 67", in its order */
static GByteArray *
rb_cdrdao_packs(const gchar *log)
{
	g_autoptr(GRegex) line = g_regex_new("^((?:[0-9a-f]{2} ){3}[0-9a-f]{2}): "
					     "((?:[0-9a-f]{2} ){11}[0-9a-f]{2})  CRC: "
					     "([0-9a-f]{2} [0-9a-f]{2})$",
					     G_REGEX_MULTILINE,
					     0,
					     NULL);
	g_autoptr(GMatchInfo) match = NULL;
	GByteArray *packs = g_byte_array_new();

	g_regex_match(line, log, 0, &match);
	while (g_match_info_matches(match)) {
		for (guint group = 1; group <= 3; group++) {
			g_autofree gchar *hex = g_match_info_fetch(match, (gint)group);
			g_auto(GStrv) bytes = g_strsplit(hex, " ", -1);

			for (guint i = 0; bytes[i] != NULL; i++) {
				guint8 byte = (guint8)g_ascii_strtoull(bytes[i], NULL, 16);
				g_byte_array_append(packs, &byte, 1);
			}
		}
		g_match_info_next(match, NULL);
	}
	ck_assert_uint_eq(packs->len % RB_PACK, 0);
	return packs;
}

/* cdrdao burns disc.toc in a fresh directory, which gets the exported disc
 * as disc.img; *@packs: what cdrdao encoded, *@report: the drive's report */
static gchar *
rb_burn_export(gboolean cdtext, GByteArray **packs, gchar **report)
{
	gchar *dir = rb_inputs(cdtext);
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;

	rb_require_program("cdrdao");
	rb_run(dir,
	       (const gchar *[]){"--report", "--export", "disc.img", "sh", "-c", rb_burn, NULL},
	       &out,
	       &err);
	if (packs != NULL)
		*packs = rb_cdrdao_packs(err);
	if (report != NULL)
		*report = g_steal_pointer(&err);
	return dir;
}

/* the number after @label in the drive's report */
static guint64
rb_report_number(const gchar *report, const gchar *label)
{
	const gchar *at = strstr(report, label);

	ck_assert_msg(at != NULL, "“%s” not in:\n%s", label, report);
	return g_ascii_strtoull(at + strlen(label), NULL, 10);
}

/* the lead-in sector count: "… from LBA -11634: 11484 lead-in, …" */
static guint64
rb_report_leadin(const gchar *report)
{
	const gchar *at = strstr(report, "sectors written from LBA ");
	const gchar *colon = at != NULL ? strchr(at, ':') : NULL;

	ck_assert_msg(colon != NULL, "%s", report);
	return g_ascii_strtoull(colon + 1, NULL, 10);
}

static void
rb_assert_contains(const gchar *haystack, const gchar *needle)
{
	ck_assert_msg(strstr(haystack, needle) != NULL, "“%s” not in:\n%s", needle, haystack);
}

/* CRC-16 x^16+x^12+x^5+1 from 0 over bytes 0-15, inverted, in 16-17
 * (Red Book CD-TEXT pack), computed here bit by bit */
static gboolean
rb_pack_crc_ok(const guint8 *pack)
{
	guint16 crc = 0;

	for (guint i = 0; i < 16; i++) {
		crc ^= (guint16)(pack[i] << 8);
		for (guint bit = 0; bit < 8; bit++)
			crc = (guint16)((crc & 0x8000) ? (crc << 1) ^ 0x1021 : crc << 1);
	}
	crc = (guint16)~crc;
	return pack[16] == (crc >> 8) && pack[17] == (crc & 0xFF);
}

/* cd-info's report of CD-TEXT and cdrdao read-toc's TOC in @dir */
static void
rb_assert_readers(const gchar *dir, const gchar *info, const gchar *toc_name)
{
	g_autofree gchar *toc_path = g_build_filename(dir, toc_name, NULL);
	g_autofree gchar *toc = NULL;
	g_auto(GStrv) sections = NULL;

	ck_assert(g_file_get_contents(toc_path, &toc, NULL, NULL));
	/* the disc, then "// Track 1", then "// Track 2" */
	sections = g_regex_split_simple("^// Track [12]$", toc, G_REGEX_MULTILINE, 0);
	ck_assert_uint_eq(g_strv_length(sections), 3);
	rb_assert_contains(sections[0], "LANGUAGE_MAP {\n    0: 9\n    1: 8\n  }");
	for (guint block = 0; block < 2; block++) {
		g_autoptr(GString) expected = g_string_new(NULL);

		g_string_append_printf(
			expected, "Language %u '%s':\n", block, rb_language_names[block]);
		for (guint item = 0; item < 3; item++) {
			g_autofree gchar *in_toc =
				g_strdup_printf("  LANGUAGE %u {\n    TITLE \"%s\"\n"
						"    PERFORMER \"%s\"\n",
						block,
						rb_texts[block][item].title,
						rb_texts[block][item].performer);

			rb_assert_contains(sections[item], in_toc);
			if (item == 0)
				g_string_append(expected, "CD-TEXT for Disc:\n");
			else
				g_string_append_printf(expected, "CD-TEXT for Track %2u:\n", item);
			g_string_append_printf(expected,
					       "\tTITLE: %s\n\tPERFORMER: %s\n",
					       rb_texts[block][item].title,
					       rb_texts[block][item].performer);
		}
		rb_assert_contains(info, expected->str);
	}
}

static RbVdrive *
rb_vdrive_with_disc(const gchar *dir)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RbVirtualSpec) spec = rb_virtual_spec_parse(RB_SPEC, &error);
	g_autofree gchar *path = g_build_filename(dir, "disc.img", NULL);
	RbVdrive *vdrive = rb_vdrive_new(spec);
	gint fd = open(path, O_RDONLY);

	ck_assert_int_ge(fd, 0);
	ck_assert_msg(rb_vdrive_load_disc(
			      vdrive, fd, RB_VIRTUAL_MEDIA_CD_R_80, RB_VDRIVE_FAULT_OFF, &error),
		      "%s",
		      error ? error->message : "");
	close(fd);
	return vdrive;
}

/* READ TOC/PMA/ATIP format 5 with @alloc; the unit attention of a freshly
 * inserted disc is taken first, as the kernel's open does */
static void
rb_read_cdtext(
	RbVdrive *vdrive, guint16 alloc, gboolean msf, guint8 *buf, gsize len, RbMmcResult *result)
{
	const guint8 tur[6] = {0};
	guint8 cdb[10] = {
		0x43, msf ? 0x02 : 0, 0x05, 0, 0, 0, 0, (guint8)(alloc >> 8), (guint8)alloc};

	for (guint i = 0; i < 2; i++)
		rb_vdrive_execute(vdrive, tur, sizeof(tur), RB_MMC_DIR_NONE, NULL, 0, result);
	ck_assert(rb_vdrive_execute(vdrive, cdb, sizeof(cdb), RB_MMC_DIR_IN, buf, len, result));
}

/* ------------------------------------------------------------------------ */

/* burned, then read by cd-info and cdrdao read-toc in the same run */
START_TEST(test_same_run)
{
	g_autofree gchar *dir = rb_inputs(TRUE);
	g_autofree gchar *script =
		g_strconcat(rb_burn,
			    " && cd-info --no-header --no-device-info /dev/sr0 && "
			    "cdrdao read-toc --device /dev/sr0 read.toc",
			    NULL);
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autoptr(GByteArray) packs = NULL;

	rb_require_program("cdrdao");
	rb_require_program("cd-info");
	rb_run(dir, (const gchar *[]){"--report", "sh", "-c", script, NULL}, &out, &err);
	rb_assert_readers(dir, out, "read.toc");
	rb_assert_contains(err, "Found CD-TEXT data.");
	/* the drive's report: every lead-in sector carried 4 good packs */
	packs = rb_cdrdao_packs(err);
	ck_assert_uint_gt(packs->len, 0);
	ck_assert_uint_eq(rb_report_number(err, "CD-TEXT CRC errors "), 0);
	ck_assert_uint_eq(rb_report_number(err, "CD-TEXT packs "), 4 * rb_report_leadin(err));
	rb_remove_dir(dir);
}
END_TEST

/* the format 5 answer against cdrdao's own list of the packs it wrote */
START_TEST(test_read_toc_format_5)
{
	g_autoptr(GByteArray) packs = NULL;
	g_autofree gchar *report_text = NULL;
	g_autofree gchar *dir = rb_burn_export(TRUE, &packs, &report_text);
	g_autoptr(RbVdrive) vdrive = rb_vdrive_with_disc(dir);
	g_autofree guint8 *buf = g_malloc0(65536);
	guint n = packs->len / RB_PACK;
	RbVdriveReport report;
	RbMmcResult result;

	/* cdrdao made 2 blocks: 10 and 11 packs (CdTextEncoder log) */
	ck_assert_uint_ge(n, 2 * 3 + 2 * 3);
	/* the host asks for the length first (libcdio, cdrdao, libburn: 4 bytes) */
	rb_read_cdtext(vdrive, 4, FALSE, buf, 65536, &result);
	ck_assert_uint_eq(result.status, RB_SCSI_STATUS_GOOD);
	ck_assert_uint_eq(result.residual, 65536 - 4);
	ck_assert_uint_eq((buf[0] << 8) | buf[1], 2 + n * RB_PACK);
	ck_assert_uint_eq(buf[2], 0);
	ck_assert_uint_eq(buf[3], 0);

	/* then everything, with the MSF bit as libcdio sets it: the packs in
	 * cdrdao's order (block by block, by sequence number), each once */
	rb_read_cdtext(vdrive, 0xFFFF, TRUE, buf, 65536, &result);
	ck_assert_uint_eq(result.status, RB_SCSI_STATUS_GOOD);
	ck_assert_uint_eq(result.residual, 65536 - 4 - packs->len);
	ck_assert_uint_eq((buf[0] << 8) | buf[1], 2 + packs->len);
	ck_assert_int_eq(memcmp(buf + 4, packs->data, packs->len), 0);
	for (guint i = 0; i < n; i++) {
		const guint8 *pack = buf + 4 + i * RB_PACK;

		ck_assert_msg(rb_pack_crc_ok(pack), "pack %u", i);
		if (i > 0 && (pack[3] & 0x70) == (pack[3 - RB_PACK] & 0x70))
			ck_assert_uint_eq(pack[2], pack[2 - RB_PACK] + 1);
	}

	/* an allocation length in the middle of a pack cuts the data there */
	memset(buf, 0xAA, 65536);
	rb_read_cdtext(vdrive, 4 + 2 * RB_PACK + 5, FALSE, buf, 65536, &result);
	ck_assert_uint_eq(result.residual, 65536 - (4 + 2 * RB_PACK + 5));
	ck_assert_uint_eq((buf[0] << 8) | buf[1], 2 + packs->len);
	ck_assert_int_eq(memcmp(buf + 4, packs->data, 2 * RB_PACK + 5), 0);

	/* the loaded disc's report agrees with the burn's */
	rb_vdrive_get_report(vdrive, &report);
	ck_assert_uint_eq(report.cdtext_crc_errors, 0);
	ck_assert_uint_eq(report.cdtext_packs, rb_report_number(report_text, "CD-TEXT packs "));
	ck_assert_uint_eq(report.cdtext_packs, 4 * report.leadin_sectors);
	rb_remove_dir(dir);
}
END_TEST

/* an umockdev drive holding @dir/disc.img, for readers in this process */
static RbUmockdevDrive *
rb_drive_with_disc(const gchar *dir)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *path = g_build_filename(dir, "disc.img", NULL);
	RbUmockdevDrive *drive = rb_test_drive_new(RB_SPEC);
	RbVdrive *vdrive = rb_umockdev_drive_get_vdrive(drive);
	const guint8 tur[6] = {0};
	RbMmcResult result;
	gint fd = open(path, O_RDONLY);

	ck_assert_int_ge(fd, 0);
	ck_assert_msg(rb_vdrive_load_disc(
			      vdrive, fd, RB_VIRTUAL_MEDIA_CD_R_80, RB_VDRIVE_FAULT_OFF, &error),
		      "%s",
		      error ? error->message : "");
	close(fd);
	rb_umockdev_drive_announce_media(drive, RB_VIRTUAL_MEDIA_CD_R_80, "complete");
	/* the kernel's open takes the medium change (sr_block_open ->
	 * disk_check_media_change); libcdio's own MMC commands would
	 * otherwise meet the unit attention first */
	rb_vdrive_execute(vdrive, tur, sizeof(tur), RB_MMC_DIR_NONE, NULL, 0, &result);
	return drive;
}

/* libcdio in this process, through CDROM_SEND_PACKET: the raw packs and
 * the parsed text of the exported disc, loaded as --disc loads it */
START_TEST(test_libcdio_in_process)
{
	g_autoptr(GByteArray) packs = NULL;
	g_autofree gchar *dir = rb_burn_export(TRUE, &packs, NULL);
	g_autoptr(RbUmockdevDrive) drive = rb_drive_with_disc(dir);
	guint before = rb_umockdev_drive_get_ioctl_count(drive, CDROM_SEND_PACKET);
	CdIo_t *cdio = cdio_open("/dev/sr0", DRIVER_LINUX);
	cdtext_t *cdtext;
	cdtext_lang_t *languages;
	guint8 *raw;

	ck_assert_ptr_nonnull(cdio);
	raw = mmc_read_cdtext(cdio);
	ck_assert_ptr_nonnull(raw);
	ck_assert_uint_eq((raw[0] << 8) | raw[1], 2 + packs->len);
	ck_assert_int_eq(memcmp(raw + 4, packs->data, packs->len), 0);
	free(raw);

	cdtext = cdio_get_cdtext(cdio);
	ck_assert_ptr_nonnull(cdtext);
	languages = cdtext_list_languages_v2(cdtext);
	ck_assert_ptr_nonnull(languages);
	for (guint block = 0; block < 2; block++) {
		ck_assert_uint_eq(languages[block], rb_languages[block]);
		ck_assert(cdtext_select_language(cdtext, languages[block]));
		for (guint item = 0; item < 3; item++) {
			ck_assert_str_eq(cdtext_get_const(cdtext, CDTEXT_FIELD_TITLE, item),
					 rb_texts[block][item].title);
			ck_assert_str_eq(cdtext_get_const(cdtext, CDTEXT_FIELD_PERFORMER, item),
					 rb_texts[block][item].performer);
		}
	}
	for (guint block = 2; block < 8; block++)
		ck_assert_uint_eq(languages[block], CDTEXT_LANGUAGE_BLOCK_UNUSED);
	/* it all went through the CD-ROM layer's packet ioctl */
	ck_assert_uint_gt(rb_umockdev_drive_get_ioctl_count(drive, CDROM_SEND_PACKET), before);
	cdio_destroy(cdio);
	rb_remove_dir(dir);
}
END_TEST

/* the exported disc inserted with --disc: cd-info and cdrdao read-toc */
START_TEST(test_tools_after_export)
{
	g_autofree gchar *dir = rb_burn_export(TRUE, NULL, NULL);
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;

	rb_require_program("cd-info");
	rb_run(dir,
	       (const gchar *[]){"--disc",
				 "disc.img",
				 "sh",
				 "-c",
				 "cd-info --no-header --no-device-info /dev/sr0 && "
				 "cdrdao read-toc --device /dev/sr0 loaded.toc",
				 NULL},
	       &out,
	       &err);
	rb_assert_readers(dir, out, "loaded.toc");
	rb_remove_dir(dir);
}
END_TEST

/* a disc without CD-TEXT: the header alone, which every host takes as
 * "none"; a blank disc and an empty drive answer as for the TOC */
START_TEST(test_no_cdtext)
{
	g_autoptr(GByteArray) packs = NULL;
	g_autofree gchar *dir = rb_burn_export(FALSE, &packs, NULL);
	g_autoptr(RbUmockdevDrive) drive = rb_drive_with_disc(dir);
	RbVdrive *vdrive = rb_umockdev_drive_get_vdrive(drive);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *toc = NULL;
	g_autofree gchar *toc_path = g_build_filename(dir, "plain.toc", NULL);
	guint8 buf[64];
	RbMmcResult result;
	CdIo_t *cdio;

	ck_assert_uint_eq(packs->len, 0);
	rb_read_cdtext(vdrive, sizeof(buf), FALSE, buf, sizeof(buf), &result);
	ck_assert_uint_eq(result.status, RB_SCSI_STATUS_GOOD);
	ck_assert_uint_eq(result.residual, sizeof(buf) - 4);
	ck_assert_uint_eq((buf[0] << 8) | buf[1], 2);

	cdio = cdio_open("/dev/sr0", DRIVER_LINUX);
	ck_assert_ptr_nonnull(cdio);
	ck_assert_ptr_null(cdio_get_cdtext(cdio));
	ck_assert_int_eq(cdio_get_num_tracks(cdio), 2);
	cdio_destroy(cdio);

	rb_run(dir,
	       (const gchar *[]){"--disc",
				 "disc.img",
				 "sh",
				 "-c",
				 "cd-info --no-header --no-device-info /dev/sr0 && "
				 "cdrdao read-toc --device /dev/sr0 plain.toc",
				 NULL},
	       &out,
	       &err);
	rb_assert_contains(out, "No CD-TEXT on Disc.");
	rb_assert_contains(out, "CD-ROM Track List (1 - 2)");
	ck_assert_msg(strstr(err, "Found CD-TEXT data.") == NULL, "%s", err);
	ck_assert(g_file_get_contents(toc_path, &toc, NULL, NULL));
	ck_assert_msg(strstr(toc, "CD_TEXT") == NULL, "%s", toc);
	rb_assert_contains(toc, "TRACK AUDIO");

	/* a blank: 05/24/00 as formats 0-2; no medium: 02/3A */
	ck_assert(rb_vdrive_insert_media(vdrive, RB_VIRTUAL_MEDIA_CD_R_80, &error));
	rb_read_cdtext(vdrive, sizeof(buf), FALSE, buf, sizeof(buf), &result);
	ck_assert_uint_eq(result.status, RB_SCSI_STATUS_CHECK_CONDITION);
	ck_assert_uint_eq(result.sense[2] & 0x0F, RB_SENSE_ILLEGAL_REQUEST);
	ck_assert_uint_eq(result.sense[12], 0x24);
	ck_assert(rb_vdrive_remove_media(vdrive, &error));
	rb_read_cdtext(vdrive, sizeof(buf), FALSE, buf, sizeof(buf), &result);
	ck_assert_uint_eq(result.sense[2] & 0x0F, RB_SENSE_NOT_READY);
	ck_assert_uint_eq(result.sense[12], 0x3A);
	rb_remove_dir(dir);
}
END_TEST

/* CDROM_SEND_PACKET as a careless or hostile program sends it: the handler
 * answers as the kernel's scsi_cdrom_send_packet() and sg_io() do and
 * keeps serving */
START_TEST(test_send_packet_hostile)
{
	g_autoptr(GByteArray) packs = NULL;
	g_autofree gchar *dir = rb_burn_export(TRUE, &packs, NULL);
	g_autoptr(RbUmockdevDrive) drive = rb_drive_with_disc(dir);
	struct cdrom_generic_command cgc;
	struct request_sense sense;
	g_autofree guint8 *whole = g_malloc0(4 + packs->len);
	guint8 small[10];
	gint fd = open("/dev/sr0", O_RDONLY | O_NONBLOCK);

	ck_assert_int_ge(fd, 0);
	/* an allocation length far beyond the buffer: the buffer's worth */
	memset(&cgc, 0, sizeof(cgc));
	cgc.cmd[0] = 0x43;
	cgc.cmd[2] = 0x05;
	cgc.cmd[7] = 0xFF;
	cgc.cmd[8] = 0xFF;
	cgc.buffer = small;
	cgc.buflen = sizeof(small);
	cgc.sense = &sense;
	cgc.data_direction = CGC_DATA_READ;
	ck_assert_int_eq(ioctl(fd, CDROM_SEND_PACKET, &cgc), 0);
	ck_assert_int_eq(cgc.stat, 0);
	ck_assert_uint_eq(cgc.buflen, 0);
	ck_assert_uint_eq((small[0] << 8) | small[1], 2 + packs->len);
	ck_assert_int_eq(memcmp(small + 4, packs->data, sizeof(small) - 4), 0);

	/* a buffer pointer of NULL with a length: EFAULT */
	cgc.buffer = NULL;
	cgc.buflen = 100;
	ck_assert_int_eq(ioctl(fd, CDROM_SEND_PACKET, &cgc), -1);
	ck_assert_int_eq(errno, EFAULT);
	/* longer than the host adapter takes: EIO before any memory is read */
	cgc.buffer = small;
	cgc.buflen = 64 * 1024 * 1024;
	ck_assert_int_eq(ioctl(fd, CDROM_SEND_PACKET, &cgc), -1);
	ck_assert_int_eq(errno, EIO);
	/* data with "no data" as the direction: EINVAL */
	cgc.buflen = sizeof(small);
	cgc.data_direction = CGC_DATA_NONE;
	ck_assert_int_eq(ioctl(fd, CDROM_SEND_PACKET, &cgc), -1);
	ck_assert_int_eq(errno, EINVAL);
	/* no buffer at all: nothing moves, the command still succeeds */
	cgc.buffer = NULL;
	cgc.buflen = 0;
	cgc.data_direction = CGC_DATA_READ;
	ck_assert_int_eq(ioctl(fd, CDROM_SEND_PACKET, &cgc), 0);
	/* no argument */
	ck_assert_int_eq(ioctl(fd, CDROM_SEND_PACKET, NULL), -1);
	ck_assert_int_eq(errno, EFAULT);
	/* a format the drive refuses, without a sense buffer: EIO */
	cgc.cmd[2] = 0x0F;
	cgc.buffer = small;
	cgc.buflen = sizeof(small);
	cgc.sense = NULL;
	ck_assert_int_eq(ioctl(fd, CDROM_SEND_PACKET, &cgc), -1);
	ck_assert_int_eq(errno, EIO);

	/* and after all that, a proper read of everything */
	memset(&cgc, 0, sizeof(cgc));
	cgc.cmd[0] = 0x43;
	cgc.cmd[2] = 0x05;
	cgc.cmd[7] = (guint8)((4 + packs->len) >> 8);
	cgc.cmd[8] = (guint8)(4 + packs->len);
	cgc.buffer = whole;
	cgc.buflen = 4 + packs->len;
	cgc.sense = &sense;
	cgc.data_direction = CGC_DATA_READ;
	ck_assert_int_eq(ioctl(fd, CDROM_SEND_PACKET, &cgc), 0);
	ck_assert_uint_eq(cgc.buflen, 0);
	ck_assert_int_eq(memcmp(whole + 4, packs->data, packs->len), 0);
	close(fd);
	rb_remove_dir(dir);
}
END_TEST

int
main(int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	Suite *suite;
	TCase *tc;

	if (!rb_umockdev_drive_ensure_preload(argv, &error)) {
		g_printerr("%s\n", error->message);
		return 99;
	}
	suite = suite_create("cd-text-read");
	tc = tcase_create("cd-text");
	tcase_set_timeout(tc, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_test(tc, test_same_run);
	tcase_add_test(tc, test_read_toc_format_5);
	tcase_add_test(tc, test_libcdio_in_process);
	tcase_add_test(tc, test_tools_after_export);
	tcase_add_test(tc, test_no_cdtext);
	tcase_add_test(tc, test_send_packet_hostile);
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
