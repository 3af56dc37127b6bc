/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the CD-TEXT reading tests share (rb-cd-text-test.c): the disc's
 * texts in two languages, cdrdao burning them on rawburn-vdrive-run with
 * the disc exported, the packs cdrdao listed, the drive's report, and the
 * real readers' view of the disc.
 */
#pragma once

#include "rb-test-cd-text-crc.h"
#include "rb-umockdev-test.h"
#include "rb-vdrive.h"

G_BEGIN_DECLS

#define RB_CD_TEXT_TEST_PACK 18
#define RB_CD_TEXT_TEST_SECTOR 2448
#define RB_CD_TEXT_TEST_MAIN 2352
#define RB_CD_TEXT_TEST_TRACK_SECTORS 300
#define RB_CD_TEXT_TEST_SPEC "media=cd-r-80,realtime=false"

typedef struct {
	const gchar *title;
	const gchar *performer;
} RbCdTextTestText;

/* [language block][0 = disc, 1 and 2 = tracks] */
extern const RbCdTextTestText rb_cd_text_test_texts[2][3];
/* EBU Tech 3264 codes, and the names cd-info gives them */
extern const guint rb_cd_text_test_languages[2];
extern const gchar *const rb_cd_text_test_language_names[2];
/* cdrdao's command line burning disc.toc */
extern const gchar rb_cd_text_test_burn[];

void rb_cd_text_test_append_cd_text(GString *toc, guint item);
gchar *rb_cd_text_test_inputs(gboolean cdtext);
GByteArray *rb_cd_text_test_cdrdao_packs(const gchar *log);
gchar *rb_cd_text_test_burn_export(gboolean cdtext, GByteArray **packs, gchar **report);
guint64 rb_cd_text_test_report_number(const gchar *report, const gchar *label);
guint64 rb_cd_text_test_report_leadin(const gchar *report);
void rb_cd_text_test_assert_contains(const gchar *haystack, const gchar *needle);
void rb_cd_text_test_assert_readers(const gchar *dir, const gchar *info, const gchar *toc_name);
RbVdrive *rb_cd_text_test_vdrive_with_disc(const gchar *dir);
void rb_cd_text_test_read_cdtext(
	RbVdrive *vdrive, guint16 alloc, gboolean msf, guint8 *buf, gsize len, RbMmcResult *result);
/* an umockdev drive holding @dir/disc.img, for readers in this process */
RbUmockdevDrive *rb_cd_text_test_drive_with_disc(const gchar *dir);

G_END_DECLS
