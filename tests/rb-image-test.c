/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Producing an image in memory and burning it on the emulated drive from
 * its ATIP lead-in start, as WriteMedia2 does; the drive's report must be
 * clean and its raw TOC must be ExpectedTableOfContents.
 */
#include "config.h"

#include <stdlib.h>

#include "rb-image-test.h"
#include "rb-test-service.h"
#include "rb-vdrive-test.h"

#define RB_IMAGE_TEST_CHUNK 26
#define RB_MMC_READ_TOC_PMA_ATIP 0x43

GBytes *
rb_image_test_produce(const RbImageLayout *layout, RbImageReadFunc read_func, gpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RbImageProducer) producer =
		rb_image_producer_new(layout, read_func, user_data, &error);
	gsize size;
	guint8 *image;
	guint n = 0;

	ck_assert_msg(producer != NULL, "%s", error ? error->message : "");
	size = rb_image_producer_get_sector_size(producer);
	image = g_malloc((gsize)rb_image_producer_get_n_sectors(producer) * size);
	for (gsize at = 0;; at += n) {
		ck_assert_msg(rb_image_producer_read(producer, image + at * size, 75, &n, &error),
			      "%s",
			      error ? error->message : "");
		if (n == 0) {
			ck_assert_uint_eq(at, rb_image_producer_get_n_sectors(producer));
			break;
		}
	}
	return g_bytes_new_take(image, (gsize)rb_image_producer_get_n_sectors(producer) * size);
}

const guint8 *
rb_image_test_sector(GBytes *image, const RbImageLayout *layout, gint32 lba)
{
	gsize size = rb_image_layout_get_sector_size(layout);

	return (const guint8 *)g_bytes_get_data(image, NULL) +
	       (gsize)(lba - RB_IMAGE_FIRST_LBA) * size;
}

/* burns from the ATIP lead-in start, as WriteMedia2 does */
RbVdrive *
rb_image_test_burn(const RbImageLayout *layout, GBytes *image, RbVdriveReport *report)
{
	g_autoptr(RbVdrive) drive =
		rb_vdrive_test_new_raw((guint8)rb_image_layout_get_image_type(layout));
	gsize size = rb_image_layout_get_sector_size(layout);
	gint32 end = rb_image_layout_get_end_lba(layout);
	const guint8 sync[10] = {RB_MMC_SYNCHRONIZE_CACHE};

	for (gint32 lba = RB_IMAGE_TEST_LEADIN; lba < end;) {
		guint n = (guint)MIN(RB_IMAGE_TEST_CHUNK, end - lba);
		guint8 wr[10] = {RB_MMC_WRITE_10};

		wr[2] = (guint8)((guint32)lba >> 24);
		wr[3] = (guint8)((guint32)lba >> 16);
		wr[4] = (guint8)((guint32)lba >> 8);
		wr[5] = (guint8)lba;
		wr[8] = (guint8)n;
		rb_assert_good(rb_cmd(drive,
				      wr,
				      sizeof(wr),
				      RB_MMC_DIR_OUT,
				      (guint8 *)rb_image_test_sector(image, layout, lba),
				      n * size));
		lba += (gint32)n;
	}
	rb_assert_good(rb_cmd(drive, sync, sizeof(sync), RB_MMC_DIR_NONE, NULL, 0));
	rb_vdrive_get_report(drive, report);
	return g_steal_pointer(&drive);
}

void
rb_image_test_assert_clean(const RbVdriveReport *r, const RbImageLayout *layout)
{
	gint32 leadout = 0;

	for (guint i = 0; i < r->n_problems; i++)
		g_printerr("problem at %d: %s: %s\n",
			   r->problems[i].lba,
			   r->problems[i].kind,
			   r->problems[i].detail);
	ck_assert_uint_eq(r->n_problems, 0);
	ck_assert_uint_eq(r->bad_q_crc, 0);
	ck_assert_uint_eq(r->address_mismatches, 0);
	ck_assert_uint_eq(r->toc_mismatches, 0);
	ck_assert_uint_eq(r->toc_short_runs, 0);
	ck_assert_uint_eq(r->relative_time_mismatches, 0);
	ck_assert_uint_eq(r->sequence_errors, 0);
	ck_assert_uint_eq(r->p_channel_mismatches, 0);
	ck_assert_uint_eq(r->mcn_isrc_errors, 0);
	ck_assert_uint_eq(r->cdtext_crc_errors, 0);
	ck_assert(r->complete);
	ck_assert_uint_eq(r->tracks, rb_image_layout_get_n_tracks(layout));
	ck_assert(rb_image_layout_get_leadout_start(layout, &leadout, NULL));
	ck_assert_int_eq(r->leadout_start, leadout);
}

/* A0, A1, A2, then the tracks (the drive lists them as first seen) */
static int
rb_descriptor_cmp(const void *a, const void *b)
{
	guint pa = ((const guint8 *)a)[3];
	guint pb = ((const guint8 *)b)[3];

	pa = pa >= 0xA0 ? pa - 0xA0 : pa + 0x100;
	pb = pb >= 0xA0 ? pb - 0xA0 : pb + 0x100;
	return (gint)pa - (gint)pb;
}

/* the drive's raw TOC is ExpectedTableOfContents */
void
rb_image_test_assert_toc(RbVdrive *drive, const RbImageLayout *layout)
{
	g_autoptr(GBytes) expected = rb_image_layout_get_expected_toc(layout, NULL);
	guint8 cdb[10] = {RB_MMC_READ_TOC_PMA_ATIP, 0, 2, 0, 0, 0, 0, 0x10, 0, 0};
	guint8 buf[4096] = {0};
	gsize len;

	ck_assert(expected != NULL);
	rb_assert_good(rb_cmd(drive, cdb, sizeof(cdb), RB_MMC_DIR_IN, buf, sizeof(buf)));
	len = (gsize)((buf[0] << 8) | buf[1]) + 2;
	ck_assert_uint_eq(len, g_bytes_get_size(expected));
	qsort(buf + 4,
	      (len - 4) / RB_IMAGE_TOC_DESCRIPTOR_SIZE,
	      RB_IMAGE_TOC_DESCRIPTOR_SIZE,
	      rb_descriptor_cmp);
	ck_assert_mem_eq(buf, g_bytes_get_data(expected, NULL), len);
}
