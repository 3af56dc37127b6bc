/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the CD-TEXT reading tests share: see rb-cd-text-test.h.
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

#include "rb-cd-text-test.h"
#include "rb-test-service.h"

/* [language block][0 = disc, 1 and 2 = tracks] */
const RbCdTextTestText rb_cd_text_test_texts[2][3] = {
	{{"Disc Title", "Disc Performer"},
	 {"First Song", "Singer One"},
	 {"Second Song", "Singer Two"}},
	{{"Plattentitel", "Interpret"},
	 {"Erstes Lied", "Saenger Eins"},
	 {"Zweites Lied", "Saengerin Zwei"}},
};
/* EBU Tech 3264 codes, as numbers: cdrdao 1.2.4 knows only the keyword EN */
const guint rb_cd_text_test_languages[2] = {CDTEXT_LANGUAGE_ENGLISH, CDTEXT_LANGUAGE_GERMAN};
const gchar *const rb_cd_text_test_language_names[2] = {"English", "German"};

const gchar rb_cd_text_test_burn[] =
	"cdrdao write -v 4 --device /dev/sr0 --driver generic-mmc-raw -n disc.toc";

void
rb_cd_text_test_append_cd_text(GString *toc, guint item)
{
	g_string_append(toc, "CD_TEXT {\n");
	if (item == 0)
		g_string_append_printf(toc,
				       "LANGUAGE_MAP { 0 : %u 1 : %u }\n",
				       rb_cd_text_test_languages[0],
				       rb_cd_text_test_languages[1]);
	for (guint block = 0; block < 2; block++)
		g_string_append_printf(toc,
				       "LANGUAGE %u { TITLE \"%s\" PERFORMER \"%s\" }\n",
				       block,
				       rb_cd_text_test_texts[block][item].title,
				       rb_cd_text_test_texts[block][item].performer);
	g_string_append(toc, "}\n");
}

/* a fresh directory with two 300-sector audio tracks and disc.toc, with
 * CD-TEXT for the disc and each track in both languages or none */
gchar *
rb_cd_text_test_inputs(gboolean cdtext)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GString) toc = g_string_new("CD_DA\n");
	gchar *dir = g_dir_make_tmp("rawburn-cdtext-XXXXXX", &error);
	g_autofree guint8 *audio = g_malloc(RB_CD_TEXT_TEST_MAIN * RB_CD_TEXT_TEST_TRACK_SECTORS);

	ck_assert_msg(dir != NULL, "%s", error ? error->message : "");
	if (cdtext)
		rb_cd_text_test_append_cd_text(toc, 0);
	for (guint track = 1; track <= 2; track++) {
		g_autofree gchar *name = g_strdup_printf("t%u.raw", track);
		g_autofree gchar *path = g_build_filename(dir, name, NULL);

		for (guint i = 0; i < RB_CD_TEXT_TEST_MAIN * RB_CD_TEXT_TEST_TRACK_SECTORS; i++)
			audio[i] = (guint8)(i * 31 + i / RB_CD_TEXT_TEST_MAIN + track);
		ck_assert(g_file_set_contents(path,
					      (const gchar *)audio,
					      RB_CD_TEXT_TEST_MAIN * RB_CD_TEXT_TEST_TRACK_SECTORS,
					      &error));
		g_string_append(toc, "TRACK AUDIO\n");
		if (cdtext)
			rb_cd_text_test_append_cd_text(toc, track);
		g_string_append_printf(toc, "FILE \"%s\" 0\n", name);
	}
	{
		g_autofree gchar *path = g_build_filename(dir, "disc.toc", NULL);
		ck_assert(g_file_set_contents(path, toc->str, -1, &error));
	}
	return dir;
}

/* the packs cdrdao's encoder made, from its verbosity-4 listing
 * "80 00 00 00: 44 69 … 46  CRC: 95 67", in its order */
GByteArray *
rb_cd_text_test_cdrdao_packs(const gchar *log)
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
	ck_assert_uint_eq(packs->len % RB_CD_TEXT_TEST_PACK, 0);
	return packs;
}

/* cdrdao burns disc.toc in a fresh directory, which gets the exported disc
 * as disc.img; *@packs: what cdrdao encoded, *@report: the drive's report */
gchar *
rb_cd_text_test_burn_export(gboolean cdtext, GByteArray **packs, gchar **report)
{
	gchar *dir = rb_cd_text_test_inputs(cdtext);
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;

	rb_test_require_program("cdrdao");
	out = rb_test_run_vdrive(
		dir,
		(const gchar *[]){
			"--report", "--export", "disc.img", "sh", "-c", rb_cd_text_test_burn, NULL},
		&err);
	if (packs != NULL)
		*packs = rb_cd_text_test_cdrdao_packs(err);
	if (report != NULL)
		*report = g_steal_pointer(&err);
	return dir;
}

/* the number after @label in the drive's report */
guint64
rb_cd_text_test_report_number(const gchar *report, const gchar *label)
{
	const gchar *at = strstr(report, label);

	ck_assert_msg(at != NULL, "“%s” not in:\n%s", label, report);
	return g_ascii_strtoull(at + strlen(label), NULL, 10);
}

/* the lead-in sector count: "… from LBA -11634: 11484 lead-in, …" */
guint64
rb_cd_text_test_report_leadin(const gchar *report)
{
	const gchar *at = strstr(report, "sectors written from LBA ");
	const gchar *colon = at != NULL ? strchr(at, ':') : NULL;

	ck_assert_msg(colon != NULL, "%s", report);
	return g_ascii_strtoull(colon + 1, NULL, 10);
}

void
rb_cd_text_test_assert_contains(const gchar *haystack, const gchar *needle)
{
	ck_assert_msg(strstr(haystack, needle) != NULL, "“%s” not in:\n%s", needle, haystack);
}

/* cd-info's report of CD-TEXT and cdrdao read-toc's TOC in @dir */
void
rb_cd_text_test_assert_readers(const gchar *dir, const gchar *info, const gchar *toc_name)
{
	g_autofree gchar *toc_path = g_build_filename(dir, toc_name, NULL);
	g_autofree gchar *toc = NULL;
	g_auto(GStrv) sections = NULL;

	ck_assert(g_file_get_contents(toc_path, &toc, NULL, NULL));
	/* the disc, then "// Track 1", then "// Track 2" */
	sections = g_regex_split_simple("^// Track [12]$", toc, G_REGEX_MULTILINE, 0);
	ck_assert_uint_eq(g_strv_length(sections), 3);
	rb_cd_text_test_assert_contains(sections[0], "LANGUAGE_MAP {\n    0: 9\n    1: 8\n  }");
	for (guint block = 0; block < 2; block++) {
		g_autoptr(GString) expected = g_string_new(NULL);

		g_string_append_printf(expected,
				       "Language %u '%s':\n",
				       block,
				       rb_cd_text_test_language_names[block]);
		for (guint item = 0; item < 3; item++) {
			g_autofree gchar *in_toc =
				g_strdup_printf("  LANGUAGE %u {\n    TITLE \"%s\"\n"
						"    PERFORMER \"%s\"\n",
						block,
						rb_cd_text_test_texts[block][item].title,
						rb_cd_text_test_texts[block][item].performer);

			rb_cd_text_test_assert_contains(sections[item], in_toc);
			if (item == 0)
				g_string_append(expected, "CD-TEXT for Disc:\n");
			else
				g_string_append_printf(expected, "CD-TEXT for Track %2u:\n", item);
			g_string_append_printf(expected,
					       "\tTITLE: %s\n\tPERFORMER: %s\n",
					       rb_cd_text_test_texts[block][item].title,
					       rb_cd_text_test_texts[block][item].performer);
		}
		rb_cd_text_test_assert_contains(info, expected->str);
	}
}

RbVdrive *
rb_cd_text_test_vdrive_with_disc(const gchar *dir)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RbVirtualSpec) spec = rb_virtual_spec_parse(RB_CD_TEXT_TEST_SPEC, &error);
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
void
rb_cd_text_test_read_cdtext(
	RbVdrive *vdrive, guint16 alloc, gboolean msf, guint8 *buf, gsize len, RbMmcResult *result)
{
	const guint8 tur[6] = {0};
	guint8 cdb[10] = {
		0x43, msf ? 0x02 : 0, 0x05, 0, 0, 0, 0, (guint8)(alloc >> 8), (guint8)alloc};

	for (guint i = 0; i < 2; i++)
		rb_vdrive_execute(vdrive, tur, sizeof(tur), RB_MMC_DIR_NONE, NULL, 0, result);
	ck_assert(rb_vdrive_execute(vdrive, cdb, sizeof(cdb), RB_MMC_DIR_IN, buf, len, result));
}

/* an umockdev drive holding @dir/disc.img, for readers in this process */
RbUmockdevDrive *
rb_cd_text_test_drive_with_disc(const gchar *dir)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *path = g_build_filename(dir, "disc.img", NULL);
	RbUmockdevDrive *drive = rb_test_drive_new(RB_CD_TEXT_TEST_SPEC);
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
