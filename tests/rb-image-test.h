/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the image producer's tests share: an image produced in memory, its
 * sectors, and a burn on the emulated drive with the judge's report and the
 * disc's TOC checked.
 */
#pragma once

#include "rb-image.h"
#include "rb-vdrive.h"

G_BEGIN_DECLS

/* the ATIP lead-in start of the emulated CD-R 80, where a burn begins */
#define RB_IMAGE_TEST_LEADIN (-11634)

/* the whole stream (the tests' images are small), read 75 sectors at a time */
GBytes *
rb_image_test_produce(const RbImageLayout *layout, RbImageReadFunc read_func, gpointer user_data);
/* the sector at @lba in @image */
const guint8 *rb_image_test_sector(GBytes *image, const RbImageLayout *layout, gint32 lba);
/* burns @image from RB_IMAGE_TEST_LEADIN on a fast drive; (transfer full) */
RbVdrive *rb_image_test_burn(const RbImageLayout *layout, GBytes *image, RbVdriveReport *report);
/* nothing found wrong, all tracks and the lead-out where @layout says */
void rb_image_test_assert_clean(const RbVdriveReport *report, const RbImageLayout *layout);
/* the drive's READ TOC format 0010b is ExpectedTableOfContents */
void rb_image_test_assert_toc(RbVdrive *drive, const RbImageLayout *layout);

G_END_DECLS
