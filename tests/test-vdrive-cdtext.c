/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The CD-TEXT the emulated drive keeps from a lead-in and gives back with
 * READ TOC/PMA/ATIP format 5 (rb-vdrive-judge-pw.c), with a lead-in built
 * here: the set entered mid-cycle comes back once, in block and sequence
 * order; a pack with a wrong CRC or type is not kept, a later copy that
 * contradicts the first is reported; loading another disc or blanking
 * forgets it. test-cd-text-read.c reads cdrdao's CD-TEXT with real readers.
 */
#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "rb-test-cd-text-crc.h"
#include "rb-test-service.h"
#include "rb-vdrive-test.h"

#define RB_PACK 18
#define RB_SECTOR 2448
#define RB_MAIN 2352

static void
rb_load(RbVdrive *vdrive, const gchar *dir, gint32 first_lba)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *path = g_build_filename(dir, "built.img", NULL);
	gint fd = open(path, O_RDONLY);

	ck_assert_int_ge(fd, 0);
	ck_assert_msg(rb_vdrive_load_disc(vdrive, fd, RB_VIRTUAL_MEDIA_CD_RW_80, first_lba, &error),
		      "%s",
		      error ? error->message : "");
	close(fd);
}

/* READ TOC/PMA/ATIP format 5 into @buf, after the unit attention of the
 * inserted disc */
static RbCommand
rb_read_cdtext(RbVdrive *vdrive, guint8 *buf, gsize len)
{
	guint8 cdb[10] = {0x43, 0, 0x05, 0, 0, 0, 0, (guint8)(len >> 8), (guint8)len};

	rb_tur(vdrive);
	rb_tur(vdrive);
	return rb_cmd(vdrive, cdb, sizeof(cdb), RB_MMC_DIR_IN, buf, len);
}

#define RB_BUILT_FIRST_LBA (-170)
#define RB_BUILT_LEADIN_SECTORS 20 /* -170 .. -151, then the pregap to 0 */
#define RB_BUILT_SECTORS (1 - RB_BUILT_FIRST_LBA)

/* pack @index of a set of 6: blocks 0 and 1, sequence numbers 0-2 */
static void
rb_built_pack(guint index, guint8 *pack)
{
	guint block = index / 3;
	guint seq = index % 3;

	memset(pack, 0, RB_PACK);
	pack[0] = seq == 2 ? 0x8F : (guint8)(0x80 + seq);
	pack[1] = (guint8)seq;
	pack[2] = (guint8)seq;
	pack[3] = (guint8)(block << 4);
	g_snprintf((gchar *)pack + 4, 12, "b%u s%u", block, seq);
	rb_test_cd_text_crc_set(pack);
}

/* 72 bytes as 96 six-bit R-W symbols, 3 bytes to 4 (mmc-notes §8.1) */
static void
rb_rw_from_packs(const guint8 *bytes, guint8 *pw)
{
	for (guint i = 0; i < 24; i++) {
		const guint8 *b = bytes + 3 * i;

		pw[4 * i] = b[0] >> 2;
		pw[4 * i + 1] = (guint8)(((b[0] & 0x03) << 4) | (b[1] >> 4));
		pw[4 * i + 2] = (guint8)(((b[1] & 0x0F) << 2) | (b[2] >> 6));
		pw[4 * i + 3] = b[2] & 0x3F;
	}
}

/*
 * @dir/built.img: sectors from LBA -170 to 0, main channel and P/Q empty;
 * with @cdtext the lead-in's R-W carry the set of 6 cyclically from pack 3
 * (block 1 first, as a lead-in entered mid-cycle), with the first copy of
 * pack 3 (block 1 seq 0) carrying a wrong CRC, the first copy of pack 1
 * (block 0 seq 1) a type that is none, and the second copy of pack 4
 * (block 1 seq 1) other text with a right CRC (early, so that the finding
 * is among the first ones the report keeps, before the empty Q's)
 */
static void
rb_write_built_image(const gchar *dir, gboolean cdtext)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *path = g_build_filename(dir, "built.img", NULL);
	g_autofree guint8 *image = g_malloc0((gsize)RB_BUILT_SECTORS * RB_SECTOR);

	for (guint s = 0; cdtext && s < RB_BUILT_LEADIN_SECTORS; s++) {
		guint8 bytes[4 * RB_PACK];

		for (guint k = 0; k < 4; k++) {
			guint n = s * 4 + k;
			guint8 *pack = bytes + k * RB_PACK;

			rb_built_pack((n + 3) % 6, pack);
			if (n == 0)
				pack[17] ^= 0x01;
			if (n == 4)
				pack[0] = 0x00;
			if (n == 7) {
				ck_assert_uint_eq((n + 3) % 6, 4);
				pack[4] = 'X';
				rb_test_cd_text_crc_set(pack);
			}
		}
		rb_rw_from_packs(bytes, image + (gsize)s * RB_SECTOR + RB_MAIN);
	}
	ck_assert(g_file_set_contents(
		path, (const gchar *)image, (gssize)RB_BUILT_SECTORS * RB_SECTOR, &error));
}

START_TEST(test_pack_set_kept_once)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *dir = g_dir_make_tmp("rawburn-cdtext-XXXXXX", &error);
	g_autofree gchar *path = g_build_filename(dir, "built.img", NULL);
	g_autoptr(RbVdrive) vdrive = rb_vdrive_test_new("media=cd-rw-80,realtime=false");
	g_autoptr(GByteArray) expected = g_byte_array_new();
	const guint8 blank[12] = {0xA1, 0x01};
	guint8 buf[4 + 8 * RB_PACK];
	RbVdriveReport report;
	gboolean noted = FALSE;

	for (guint i = 0; i < 6; i++) {
		guint8 pack[RB_PACK];

		rb_built_pack(i, pack);
		g_byte_array_append(expected, pack, RB_PACK);
	}
	rb_write_built_image(dir, TRUE);
	rb_load(vdrive, dir, RB_BUILT_FIRST_LBA);
	rb_assert_good(rb_read_cdtext(vdrive, buf, sizeof(buf)));
	ck_assert_uint_eq((buf[0] << 8) | buf[1], 2 + 6 * RB_PACK);
	ck_assert_int_eq(memcmp(buf + 4, expected->data, expected->len), 0);
	rb_vdrive_get_report(vdrive, &report);
	ck_assert_uint_eq(report.cdtext_packs, RB_BUILT_LEADIN_SECTORS * 4);
	ck_assert_uint_eq(report.cdtext_crc_errors, 2);
	for (guint i = 0; i < report.n_problems; i++)
		noted |= g_strcmp0(report.problems[i].kind, "cd-text") == 0 &&
			 strstr(report.problems[i].detail, "block 1 sequence 1") != NULL;
	ck_assert(noted);

	/* another disc, without CD-TEXT: nothing of the first one stays */
	rb_write_built_image(dir, FALSE);
	rb_load(vdrive, dir, RB_BUILT_FIRST_LBA);
	rb_assert_good(rb_read_cdtext(vdrive, buf, sizeof(buf)));
	ck_assert_uint_eq((buf[0] << 8) | buf[1], 2);

	/* BLANK leaves a blank, which has no CD-TEXT to read: 05/24/00 */
	rb_write_built_image(dir, TRUE);
	rb_load(vdrive, dir, RB_BUILT_FIRST_LBA);
	rb_vdrive_set_finishing_ms(vdrive, 0);
	rb_assert_good(rb_read_cdtext(vdrive, buf, sizeof(buf)));
	ck_assert_uint_eq((buf[0] << 8) | buf[1], 2 + 6 * RB_PACK);
	rb_assert_good(rb_cmd(vdrive, blank, sizeof(blank), RB_MMC_DIR_NONE, NULL, 0));
	rb_assert_sense(
		rb_read_cdtext(vdrive, buf, sizeof(buf)), RB_SENSE_ILLEGAL_REQUEST, 0x24, 0);

	g_unlink(path);
	g_rmdir(dir);
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("vdrive-cdtext");
	TCase *tc = tcase_create("keep");

	tcase_set_timeout(tc, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_test(tc, test_pack_set_kept_once);
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
