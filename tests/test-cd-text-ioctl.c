/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The CD-TEXT the emulated drive recorded, read in this process through
 * the kernel's CDROM_SEND_PACKET (umockdev): libcdio's cdio_get_cdtext()
 * gives back cdrdao's packs and texts, and careless or hostile callers get
 * the kernel's answers while the drive keeps serving (test-cd-text-read.c
 * has the tools' side).
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

/* libcdio in this process, through CDROM_SEND_PACKET: the raw packs and
 * the parsed text of the exported disc, loaded as --disc loads it */
START_TEST(test_libcdio_in_process)
{
	g_autoptr(GByteArray) packs = NULL;
	g_autofree gchar *dir = rb_cd_text_test_burn_export(TRUE, &packs, NULL);
	g_autoptr(RbUmockdevDrive) drive = rb_cd_text_test_drive_with_disc(dir);
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
		ck_assert_uint_eq(languages[block], rb_cd_text_test_languages[block]);
		ck_assert(cdtext_select_language(cdtext, languages[block]));
		for (guint item = 0; item < 3; item++) {
			ck_assert_str_eq(cdtext_get_const(cdtext, CDTEXT_FIELD_TITLE, item),
					 rb_cd_text_test_texts[block][item].title);
			ck_assert_str_eq(cdtext_get_const(cdtext, CDTEXT_FIELD_PERFORMER, item),
					 rb_cd_text_test_texts[block][item].performer);
		}
	}
	for (guint block = 2; block < 8; block++)
		ck_assert_uint_eq(languages[block], CDTEXT_LANGUAGE_BLOCK_UNUSED);
	/* it all went through the CD-ROM layer's packet ioctl */
	ck_assert_uint_gt(rb_umockdev_drive_get_ioctl_count(drive, CDROM_SEND_PACKET), before);
	cdio_destroy(cdio);
	rb_test_remove_dir(dir);
}
END_TEST

/* CDROM_SEND_PACKET as a careless or hostile program sends it: the handler
 * answers as the kernel's scsi_cdrom_send_packet() and sg_io() do and
 * keeps serving */
START_TEST(test_send_packet_hostile)
{
	g_autoptr(GByteArray) packs = NULL;
	g_autofree gchar *dir = rb_cd_text_test_burn_export(TRUE, &packs, NULL);
	g_autoptr(RbUmockdevDrive) drive = rb_cd_text_test_drive_with_disc(dir);
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
	rb_test_remove_dir(dir);
}
END_TEST

int
main(int argc, char **argv)
{
	Suite *suite;
	TCase *tc;

	rb_umockdev_drive_ensure_preload_or_exit(argv);
	suite = suite_create("cd-text-ioctl");
	tc = tcase_create("cd-text");
	tcase_set_timeout(tc, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_test(tc, test_libcdio_in_process);
	tcase_add_test(tc, test_send_packet_hostile);
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
