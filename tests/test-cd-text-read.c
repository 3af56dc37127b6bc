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
 * libcdio in process and CDROM_SEND_PACKET: test-cd-text-ioctl.c.
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
#include "rb-umockdev-test.h"

/* ------------------------------------------------------------------------ */

/* burned, then read by cd-info and cdrdao read-toc in the same run */
START_TEST(test_same_run)
{
	g_autofree gchar *dir = rb_cd_text_test_inputs(TRUE);
	g_autofree gchar *script =
		g_strconcat(rb_cd_text_test_burn,
			    " && cd-info --no-header --no-device-info /dev/sr0 && "
			    "cdrdao read-toc --device /dev/sr0 read.toc",
			    NULL);
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autoptr(GByteArray) packs = NULL;

	rb_test_require_program("cdrdao");
	rb_test_require_program("cd-info");
	out = rb_test_run_vdrive(
		dir, (const gchar *[]){"--report", "sh", "-c", script, NULL}, &err);
	rb_cd_text_test_assert_readers(dir, out, "read.toc");
	rb_cd_text_test_assert_contains(err, "Found CD-TEXT data.");
	/* the drive's report: every lead-in sector carried 4 good packs */
	packs = rb_cd_text_test_cdrdao_packs(err);
	ck_assert_uint_gt(packs->len, 0);
	ck_assert_uint_eq(rb_cd_text_test_report_number(err, "CD-TEXT CRC errors "), 0);
	ck_assert_uint_eq(rb_cd_text_test_report_number(err, "CD-TEXT packs "),
			  4 * rb_cd_text_test_report_leadin(err));
	rb_test_remove_dir(dir);
}
END_TEST

/* the format 5 answer against cdrdao's own list of the packs it wrote */
START_TEST(test_read_toc_format_5)
{
	g_autoptr(GByteArray) packs = NULL;
	g_autofree gchar *report_text = NULL;
	g_autofree gchar *dir = rb_cd_text_test_burn_export(TRUE, &packs, &report_text);
	g_autoptr(RbVdrive) vdrive = rb_cd_text_test_vdrive_with_disc(dir);
	g_autofree guint8 *buf = g_malloc0(65536);
	guint n = packs->len / RB_CD_TEXT_TEST_PACK;
	RbVdriveReport report;
	RbMmcResult result;

	/* cdrdao made 2 blocks: 10 and 11 packs (CdTextEncoder log) */
	ck_assert_uint_ge(n, 2 * 3 + 2 * 3);
	/* the host asks for the length first (libcdio, cdrdao, libburn: 4 bytes) */
	rb_cd_text_test_read_cdtext(vdrive, 4, FALSE, buf, 65536, &result);
	ck_assert_uint_eq(result.status, RB_SCSI_STATUS_GOOD);
	ck_assert_uint_eq(result.residual, 65536 - 4);
	ck_assert_uint_eq((buf[0] << 8) | buf[1], 2 + n * RB_CD_TEXT_TEST_PACK);
	ck_assert_uint_eq(buf[2], 0);
	ck_assert_uint_eq(buf[3], 0);

	/* then everything, with the MSF bit as libcdio sets it: the packs in
	 * cdrdao's order (block by block, by sequence number), each once */
	rb_cd_text_test_read_cdtext(vdrive, 0xFFFF, TRUE, buf, 65536, &result);
	ck_assert_uint_eq(result.status, RB_SCSI_STATUS_GOOD);
	ck_assert_uint_eq(result.residual, 65536 - 4 - packs->len);
	ck_assert_uint_eq((buf[0] << 8) | buf[1], 2 + packs->len);
	ck_assert_int_eq(memcmp(buf + 4, packs->data, packs->len), 0);
	for (guint i = 0; i < n; i++) {
		const guint8 *pack = buf + 4 + i * RB_CD_TEXT_TEST_PACK;

		ck_assert_msg(rb_test_cd_text_crc_ok(pack), "pack %u", i);
		if (i > 0 && (pack[3] & 0x70) == (pack[3 - RB_CD_TEXT_TEST_PACK] & 0x70))
			ck_assert_uint_eq(pack[2], pack[2 - RB_CD_TEXT_TEST_PACK] + 1);
	}

	/* an allocation length in the middle of a pack cuts the data there */
	memset(buf, 0xAA, 65536);
	rb_cd_text_test_read_cdtext(
		vdrive, 4 + 2 * RB_CD_TEXT_TEST_PACK + 5, FALSE, buf, 65536, &result);
	ck_assert_uint_eq(result.residual, 65536 - (4 + 2 * RB_CD_TEXT_TEST_PACK + 5));
	ck_assert_uint_eq((buf[0] << 8) | buf[1], 2 + packs->len);
	ck_assert_int_eq(memcmp(buf + 4, packs->data, 2 * RB_CD_TEXT_TEST_PACK + 5), 0);

	/* the loaded disc's report agrees with the burn's */
	rb_vdrive_get_report(vdrive, &report);
	ck_assert_uint_eq(report.cdtext_crc_errors, 0);
	ck_assert_uint_eq(report.cdtext_packs,
			  rb_cd_text_test_report_number(report_text, "CD-TEXT packs "));
	ck_assert_uint_eq(report.cdtext_packs, 4 * report.leadin_sectors);
	rb_test_remove_dir(dir);
}
END_TEST

/* cd-info's report of @dir/disc.img inserted with --disc, and cdrdao
 * read-toc's TOC of it in @dir/@toc_name; @err: what they said there */
static gchar *
rb_read_exported(const gchar *dir, const gchar *toc_name, gchar **err)
{
	g_autofree gchar *script =
		g_strdup_printf("cd-info --no-header --no-device-info /dev/sr0 && "
				"cdrdao read-toc --device /dev/sr0 %s",
				toc_name);

	return rb_test_run_vdrive(
		dir, (const gchar *[]){"--disc", "disc.img", "sh", "-c", script, NULL}, err);
}

/* the exported disc inserted with --disc: cd-info and cdrdao read-toc */
START_TEST(test_tools_after_export)
{
	g_autofree gchar *dir = rb_cd_text_test_burn_export(TRUE, NULL, NULL);
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;

	rb_test_require_program("cd-info");
	out = rb_read_exported(dir, "loaded.toc", &err);
	rb_cd_text_test_assert_readers(dir, out, "loaded.toc");
	rb_test_remove_dir(dir);
}
END_TEST

/* a disc without CD-TEXT: the header alone, which every host takes as
 * "none"; a blank disc and an empty drive answer as for the TOC */
START_TEST(test_no_cdtext)
{
	g_autoptr(GByteArray) packs = NULL;
	g_autofree gchar *dir = rb_cd_text_test_burn_export(FALSE, &packs, NULL);
	g_autoptr(RbUmockdevDrive) drive = rb_cd_text_test_drive_with_disc(dir);
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
	rb_cd_text_test_read_cdtext(vdrive, sizeof(buf), FALSE, buf, sizeof(buf), &result);
	ck_assert_uint_eq(result.status, RB_SCSI_STATUS_GOOD);
	ck_assert_uint_eq(result.residual, sizeof(buf) - 4);
	ck_assert_uint_eq((buf[0] << 8) | buf[1], 2);

	cdio = cdio_open("/dev/sr0", DRIVER_LINUX);
	ck_assert_ptr_nonnull(cdio);
	ck_assert_ptr_null(cdio_get_cdtext(cdio));
	ck_assert_int_eq(cdio_get_num_tracks(cdio), 2);
	cdio_destroy(cdio);

	out = rb_read_exported(dir, "plain.toc", &err);
	rb_cd_text_test_assert_contains(out, "No CD-TEXT on Disc.");
	rb_cd_text_test_assert_contains(out, "CD-ROM Track List (1 - 2)");
	ck_assert_msg(strstr(err, "Found CD-TEXT data.") == NULL, "%s", err);
	ck_assert(g_file_get_contents(toc_path, &toc, NULL, NULL));
	ck_assert_msg(strstr(toc, "CD_TEXT") == NULL, "%s", toc);
	rb_cd_text_test_assert_contains(toc, "TRACK AUDIO");

	/* a blank: 05/24/00 as formats 0-2; no medium: 02/3A */
	ck_assert(rb_vdrive_insert_media(vdrive, RB_VIRTUAL_MEDIA_CD_R_80, &error));
	rb_cd_text_test_read_cdtext(vdrive, sizeof(buf), FALSE, buf, sizeof(buf), &result);
	ck_assert_uint_eq(result.status, RB_SCSI_STATUS_CHECK_CONDITION);
	ck_assert_uint_eq(result.sense[2] & 0x0F, RB_SENSE_ILLEGAL_REQUEST);
	ck_assert_uint_eq(result.sense[12], 0x24);
	ck_assert(rb_vdrive_remove_media(vdrive, &error));
	rb_cd_text_test_read_cdtext(vdrive, sizeof(buf), FALSE, buf, sizeof(buf), &result);
	ck_assert_uint_eq(result.sense[2] & 0x0F, RB_SENSE_NOT_READY);
	ck_assert_uint_eq(result.sense[12], 0x3A);
	rb_test_remove_dir(dir);
}
END_TEST

int
main(int argc, char **argv)
{
	Suite *suite;
	TCase *tc;

	rb_umockdev_drive_ensure_preload_or_exit(argv);
	suite = suite_create("cd-text-read");
	tc = tcase_create("cd-text");
	tcase_set_timeout(tc, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_test(tc, test_same_run);
	tcase_add_test(tc, test_read_toc_format_5);
	tcase_add_test(tc, test_tools_after_export);
	tcase_add_test(tc, test_no_cdtext);
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
