/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The CUE reader (client/image/rb-disc-cue*.c) against hostile sheets and
 * files: sector counts that would wrap in 32 bits, a CDTEXTFILE that is a
 * FIFO or far too large (read whole, it would hang the reader or fill its
 * memory), and no temporary files left behind when libcdio's copy of the
 * sheet cannot be written.
 */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <sched.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rb-disc-cue-test.h"
#include "rb-disc-image-private.h"
#include "rb-disc-test.h"
#include "rb-test-service.h"

/* opening @set's sheet fails with @code, the message naming @line */
static void
rb_test_refused(const RbCueTestSet *set, gint code, guint line)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RbDiscImage) image = rb_disc_image_open(set->sheet, &error);
	g_autofree gchar *where = g_strdup_printf("line %u:", line);

	ck_assert_msg(image == NULL, "the sheet was accepted");
	ck_assert_msg(g_error_matches(error, RB_DISC_IMAGE_ERROR, code),
		      "%s: code %d, not %d",
		      error->message,
		      error->code,
		      code);
	ck_assert_msg(strstr(error->message, where) != NULL, "%s", error->message);
}

/* a sparse file of @size bytes in @set's folder */
static void
rb_test_sparse(const RbCueTestSet *set, const gchar *name, goffset size)
{
	g_autofree gchar *path = rb_cue_test_set_path(set, name);
	FILE *file = g_fopen(path, "w");

	ck_assert(file != NULL);
	ck_assert_int_eq(ftruncate(fileno(file), size), 0);
	fclose(file);
}

/*
 * The last track runs to the end of its file: 2^32 + 300 sectors of 2048
 * bytes (a sparse file of 8 TiB), which counted in 32 bits were a 4 s
 * track whose file was read for 300 sectors only.
 */
START_TEST(test_sectors_wrap)
{
	RbCueTestSet set;

	rb_cue_test_set_init(&set,
			     "FILE \"huge.iso\" BINARY\n"
			     "  TRACK 01 MODE1/2048\n    INDEX 01 00:00:00\n");
	rb_test_sparse(&set, "huge.iso", ((goffset)G_MAXUINT32 + 1 + 300) * 2048);
	rb_test_refused(&set, RB_DISC_IMAGE_ERROR_TOO_LONG, 1);
	rb_cue_test_set_clear(&set);
}
END_TEST

/* the same between two INDEX lines: whole files in the middle of a track */
START_TEST(test_sectors_wrap_between_files)
{
	RbCueTestSet set;
	g_autofree gchar *path = NULL;

	rb_cue_test_set_init(&set,
			     "FILE \"a.bin\" BINARY\n"
			     "  TRACK 01 AUDIO\n    INDEX 01 00:00:00\n"
			     "FILE \"huge.bin\" BINARY\n"
			     "FILE \"b.bin\" BINARY\n"
			     "  TRACK 02 AUDIO\n    INDEX 01 00:00:00\n");
	path = rb_cue_test_set_path(&set, "a.bin");
	rb_disc_test_write_pattern(path, 300 * RB_CD_MAIN_SIZE, 1);
	g_free(path);
	path = rb_cue_test_set_path(&set, "b.bin");
	rb_disc_test_write_pattern(path, 300 * RB_CD_MAIN_SIZE, 2);
	rb_test_sparse(&set, "huge.bin", (goffset)G_MAXUINT32 * RB_CD_MAIN_SIZE);
	rb_test_refused(&set, RB_DISC_IMAGE_ERROR_TOO_LONG, 4);
	rb_cue_test_set_clear(&set);
}
END_TEST

static void
rb_test_cdtextfile_set(RbCueTestSet *set)
{
	g_autofree gchar *path = NULL;

	rb_cue_test_set_init(set,
			     "REM\nCDTEXTFILE \"disc.cdt\"\nFILE \"a.bin\" BINARY\n"
			     "  TRACK 01 AUDIO\n    INDEX 01 00:00:00\n");
	path = rb_cue_test_set_path(set, "a.bin");
	rb_disc_test_write_pattern(path, 600 * RB_CD_MAIN_SIZE, 6);
}

/* a FIFO with no writer: reading it would block for ever */
START_TEST(test_cdtextfile_fifo)
{
	RbCueTestSet set;
	g_autofree gchar *path = NULL;

	rb_test_cdtextfile_set(&set);
	path = rb_cue_test_set_path(&set, "disc.cdt");
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	rb_test_refused(&set, RB_DISC_IMAGE_ERROR_FILE, 2);
	rb_cue_test_set_clear(&set);
}
END_TEST

/* 300 MB (sparse): refused by its size, never read; a full-size .cdt
 * (eight blocks of 256 packs, header, NUL) still gets to the decoder */
START_TEST(test_cdtextfile_too_large)
{
	RbCueTestSet set;
	g_autoptr(GError) error = NULL;
	g_autoptr(RbDiscImage) image = NULL;

	rb_test_cdtextfile_set(&set);
	rb_test_sparse(&set, "disc.cdt", 300 * 1000 * 1000);
	rb_test_refused(&set, RB_DISC_IMAGE_ERROR_SYNTAX, 2);
	/* by its size, before anything read it */
	image = rb_disc_image_open(set.sheet, &error);
	ck_assert(image == NULL);
	ck_assert_msg(strstr(error->message, "300000000 bytes") != NULL, "%s", error->message);
	g_clear_error(&error);
	rb_test_sparse(&set, "disc.cdt", 8 * 256 * RB_CDTEXT_PACK_SIZE + 4 + 2);
	rb_test_refused(&set, RB_DISC_IMAGE_ERROR_SYNTAX, 2);
	rb_test_sparse(&set, "disc.cdt", 8 * 256 * RB_CDTEXT_PACK_SIZE + 4 + 1);
	image = rb_disc_image_open(set.sheet, &error);
	/* zeros are no packs: refused by the decoder, which names them */
	ck_assert(image == NULL);
	ck_assert_msg(
		strstr(error->message, "holds no CD-TEXT packs") != NULL, "%s", error->message);
	rb_cue_test_set_clear(&set);
}
END_TEST

/*
 * libcdio's copy of the sheet (rb-disc-cue-cdio.c) on a file system with
 * inodes for its root, the folder and sheet.cue only: writing sheet.bin
 * fails, and neither sheet.cue nor the folder may stay. The sheet lives
 * outside it; the temporary folder is the TMPDIR the reader first asks
 * GLib for (Check runs each test in a fresh process). Needs a mount of its
 * own (as root, or in a user namespace); without one it is skipped.
 */
START_TEST(test_copy_cleaned_up)
{
	/* not g_get_tmp_dir(): GLib keeps the first answer it gives */
	g_autofree gchar *base = g_strdup("/tmp/rawburn-cue-limits-XXXXXX");
	g_autofree gchar *sheet = NULL;
	g_autofree gchar *bin = NULL;
	g_autofree gchar *mnt = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(RbDiscImage) image = NULL;
	g_autoptr(GDir) dir = NULL;
	const gchar *text = "FILE \"a.bin\" BINARY\n  TRACK 01 AUDIO\n    INDEX 01 00:00:00\n";

	ck_assert(g_mkdtemp(base) != NULL);
	sheet = g_build_filename(base, "disc.cue", NULL);
	bin = g_build_filename(base, "a.bin", NULL);
	mnt = g_build_filename(base, "tmp", NULL);
	ck_assert(g_file_set_contents(sheet, text, -1, NULL));
	rb_disc_test_write_pattern(bin, 600 * RB_CD_MAIN_SIZE, 6);
	ck_assert_int_eq(g_mkdir(mnt, 0700), 0);
	if ((unshare(CLONE_NEWNS) == 0 || unshare(CLONE_NEWUSER | CLONE_NEWNS) == 0) &&
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0 &&
	    mount("tmpfs", mnt, "tmpfs", 0, "nr_inodes=3,size=1m") == 0) {
		g_setenv("TMPDIR", mnt, TRUE);
		ck_assert_str_eq(g_get_tmp_dir(), mnt);
		image = rb_disc_image_open(sheet, &error);
		ck_assert(image == NULL);
		ck_assert_msg(
			g_error_matches(error, RB_DISC_IMAGE_ERROR, RB_DISC_IMAGE_ERROR_FILE) &&
				strstr(error->message, "temporary folder") != NULL,
			"%s",
			error->message);
		dir = g_dir_open(mnt, 0, NULL);
		ck_assert(dir != NULL);
		ck_assert_msg(g_dir_read_name(dir) == NULL, "a temporary file is left");
		g_clear_pointer(&dir, g_dir_close);
		umount(mnt);
	} else {
		g_printerr("test_copy_cleaned_up: no tmpfs of its own (%s): skipped\n",
			   g_strerror(errno));
	}
	g_rmdir(mnt);
	g_unlink(bin);
	g_unlink(sheet);
	g_rmdir(base);
}
END_TEST

/* a FIFO and an oversized sparse sheet: refused unread (rb-disc-file.c) */
START_TEST(test_cue_sheet_not_regular)
{
	rb_disc_test_sheet_refused(rb_disc_cue_read, "cue");
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("disc-cue-limits");
	TCase *tc = tcase_create("limits");

	tcase_set_timeout(tc, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_test(tc, test_sectors_wrap);
	tcase_add_test(tc, test_sectors_wrap_between_files);
	tcase_add_test(tc, test_cdtextfile_fifo);
	tcase_add_test(tc, test_cdtextfile_too_large);
	tcase_add_test(tc, test_copy_cleaned_up);
	tcase_add_test(tc, test_cue_sheet_not_regular);
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
