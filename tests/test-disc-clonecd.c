/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The CloneCD reader: a set (.ccd, .img, .sub) written here, a Mode 1
 * data track then an audio track, the .sub's P-Q the disc's own (from a
 * layout built independently with the image core) and its R-W a pattern;
 * the layout read back, the stream's P-W and main channel against the
 * files, unreadable Q repaired so that the service's stream check passes,
 * and the refusals (a .sub whose Q disagrees, no .img, a truncated .sub,
 * two sessions).
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rb-disc-image-private.h"
#include "rb-disc-test-formats.h"
#include "rb-scramble.h"
#include "rb-stream-check.h"
#include "rb-test-service.h"

#define RB_T1_SECTORS RB_DISC_TEST_CCD_T1_SECTORS
#define RB_T2_PREGAP RB_DISC_TEST_CCD_T2_PREGAP
#define RB_T2_SECTORS RB_DISC_TEST_CCD_T2_SECTORS
#define RB_LEADOUT RB_DISC_TEST_CCD_LEADOUT

START_TEST(test_clonecd_layout)
{
	RbDiscTestCcdOptions o = {.sessions = 1, .bad_q_lba = -1};
	g_autoptr(RbDiscTestCcd) set = rb_disc_test_ccd_new(&o);
	g_autoptr(GError) error = NULL;
	g_autoptr(RbDiscImage) image = rb_disc_image_open(set->ccd, &error);
	RbImageLayout *layout;
	const RbImageTrack *t;
	gint32 leadout = 0;

	ck_assert_msg(image != NULL, "%s", error != NULL ? error->message : "");
	ck_assert_int_eq(rb_disc_image_get_format(image), RB_DISC_IMAGE_FORMAT_CLONECD);
	layout = rb_disc_image_get_layout(image);
	ck_assert_uint_eq(rb_image_layout_get_n_tracks(layout), 2);
	ck_assert_str_eq(rb_image_layout_get_mcn(layout), RB_DISC_TEST_CCD_MCN);
	ck_assert(rb_image_layout_has_subchannel_source(layout));
	ck_assert_uint_eq(rb_image_layout_get_image_type(layout), 3);
	t = rb_image_layout_get_track(layout, 0);
	ck_assert_int_eq(t->type, RB_CD_SECTOR_MODE1_RAW);
	ck_assert_int_eq(t->start, 0);
	ck_assert_uint_eq(t->n_sectors, RB_T1_SECTORS);
	ck_assert_uint_eq(t->pregap_sectors, 150);
	t = rb_image_layout_get_track(layout, 1);
	ck_assert_int_eq(t->type, RB_CD_SECTOR_AUDIO);
	ck_assert_int_eq(t->start, RB_T1_SECTORS + RB_T2_PREGAP);
	ck_assert_uint_eq(t->pregap_sectors, RB_T2_PREGAP);
	ck_assert_uint_eq(t->n_sectors, RB_T2_SECTORS);
	ck_assert_str_eq(t->isrc, RB_DISC_TEST_CCD_ISRC);
	ck_assert(rb_image_layout_get_leadout_start(layout, &leadout, NULL));
	ck_assert_int_eq(leadout, RB_LEADOUT);
	ck_assert(rb_disc_image_get_cdtext(image) != NULL);
	ck_assert_str_eq(rb_cdtext_get_text(rb_disc_image_get_cdtext(image), 0, RB_CDTEXT_TITLE, 2),
			 "Clone Song");
}
END_TEST

START_TEST(test_clonecd_stream)
{
	RbDiscTestCcdOptions o = {.sessions = 1, .bad_q_lba = -1};
	g_autoptr(RbDiscTestCcd) set = rb_disc_test_ccd_new(&o);
	g_autoptr(GError) error = NULL;
	g_autoptr(RbDiscImage) image = rb_disc_clonecd_read(set->ccd, &error);
	g_autoptr(RbDiscImageStream) stream = NULL;
	g_autofree guint8 *buf = NULL;
	gsize size;
	guint n = 0;
	guint pw_checked = 0;
	guint main_checked = 0;
	gint32 lba = RB_IMAGE_FIRST_LBA;

	ck_assert_msg(image != NULL, "%s", error != NULL ? error->message : "");
	stream = rb_disc_image_stream_new(image, &error);
	ck_assert_msg(stream != NULL, "%s", error != NULL ? error->message : "");
	size = rb_disc_image_stream_get_sector_size(stream);
	ck_assert_uint_eq(size, 2352 + 96);
	buf = g_malloc(size * 64);
	while (rb_disc_image_stream_read(stream, buf, 64, &n, &error) && n > 0) {
		for (guint s = 0; s < n; s++, lba++) {
			guint8 *sector = buf + s * size;
			guint8 want[2352];

			if (lba < 0 || lba >= RB_LEADOUT)
				continue;
			/* the .sub burned as it is, R-W included */
			ck_assert_msg(memcmp(sector + 2352, set->symbols + (gsize)lba * 96, 96) ==
					      0,
				      "P-W at LBA %d",
				      lba);
			pw_checked++;
			rb_disc_test_ccd_sector(lba, want);
			if (lba < RB_T1_SECTORS)
				rb_scramble_sector(want);
			ck_assert_msg(memcmp(sector, want, 2352) == 0, "main at LBA %d", lba);
			main_checked++;
		}
	}
	ck_assert_msg(error == NULL, "%s", error != NULL ? error->message : "");
	ck_assert_uint_eq(pw_checked, RB_LEADOUT);
	ck_assert_uint_eq(main_checked, RB_LEADOUT);
}
END_TEST

static gboolean
rb_ccd_has_note(RbDiscImage *image, const gchar *part)
{
	const GPtrArray *notes = rb_disc_image_get_notes(image);

	for (guint i = 0; i < notes->len; i++) {
		if (strstr(g_ptr_array_index(notes, i), part) != NULL)
			return TRUE;
	}
	return FALSE;
}

/*
 * A scratched disc's dump: Q unreadable at three LBAs (a bad CRC, ADR 0, a
 * good CRC over a relative minute 0xFF, which the service's stream check
 * refuses as no BCD: that one passed the reader and stopped the burn). The
 * stream must pass the service's own check (rb_stream_check, what stops a
 * burn with StreamInvalid), those two sectors with the layout's Q and the
 * .sub's P and R-W, every other sector's P-W the .sub's.
 */
START_TEST(test_clonecd_repairs_unreadable_q)
{
	RbDiscTestCcdOptions o = {.sessions = 1,
				  .bad_q_lba = -1,
				  .bad_crc_lba = 500,
				  .bad_adr_lba = 600,
				  .bad_field_lba = 200};
	g_autoptr(RbDiscTestCcd) set = rb_disc_test_ccd_new(&o);
	g_autoptr(GError) error = NULL;
	g_autoptr(RbDiscImage) image = rb_disc_clonecd_read(set->ccd, &error);
	g_autoptr(RbDiscImageStream) stream = NULL;
	g_autoptr(RbStreamCheck) check = NULL;
	g_autofree guint8 *buf = NULL;
	gsize size;
	guint n = 0;
	guint repaired = 0;
	gint32 lba = RB_IMAGE_FIRST_LBA;

	ck_assert_msg(image != NULL, "%s", error != NULL ? error->message : "");
	ck_assert(rb_ccd_has_note(image, "3 sectors of the .sub"));
	ck_assert(rb_ccd_has_note(image, "LibCrypt"));
	stream = rb_disc_image_stream_new(image, &error);
	ck_assert_msg(stream != NULL, "%s", error != NULL ? error->message : "");
	size = rb_disc_image_stream_get_sector_size(stream);
	check = rb_stream_check_new(3, RB_IMAGE_FIRST_LBA, G_MAXINT32);
	buf = g_malloc(size * 64);
	while (rb_disc_image_stream_read(stream, buf, 64, &n, &error) && n > 0) {
		ck_assert_msg(rb_stream_check_sectors(check, buf, n, &error),
			      "%s",
			      error != NULL ? error->message : "");
		for (guint s = 0; s < n; s++, lba++) {
			const guint8 *pw = buf + s * size + 2352;
			const guint8 *sub = set->symbols + (gsize)lba * 96;
			guint8 q[RB_SUBQ_SIZE];
			guint8 want[RB_SUBQ_SIZE];
			gboolean p = FALSE;

			if (lba < 0 || lba >= RB_LEADOUT)
				continue;
			if (lba != o.bad_crc_lba && lba != o.bad_adr_lba &&
			    lba != o.bad_field_lba) {
				ck_assert_msg(memcmp(pw, sub, 96) == 0, "P-W at LBA %d", lba);
				continue;
			}
			/* Q generated, P (bit 7) and R-W (bits 5-0) as the .sub has them */
			ck_assert(rb_image_layout_get_subq(
				rb_disc_image_get_layout(image), lba, want, &p));
			rb_subchannel_pw_get_q(pw, q);
			ck_assert_msg(memcmp(q, want, sizeof(q)) == 0, "Q at LBA %d", lba);
			for (guint k = 0; k < 96; k++)
				ck_assert_msg((pw[k] & 0xBF) == (sub[k] & 0xBF),
					      "P or R-W at LBA %d, symbol %u",
					      lba,
					      k);
			repaired++;
		}
	}
	ck_assert_msg(error == NULL, "%s", error != NULL ? error->message : "");
	ck_assert_uint_eq(repaired, 3);
	ck_assert_msg(
		rb_stream_check_finish(check, &error), "%s", error != NULL ? error->message : "");
}
END_TEST

static void
rb_ccd_assert_refused(const RbDiscTestCcdOptions *o, gint code, const gchar *says)
{
	g_autoptr(RbDiscTestCcd) set = rb_disc_test_ccd_new(o);
	g_autoptr(GError) error = NULL;
	g_autoptr(RbDiscImage) image = rb_disc_clonecd_read(set->ccd, &error);

	ck_assert(image == NULL);
	ck_assert_msg(g_error_matches(error, RB_DISC_IMAGE_ERROR, code),
		      "%s",
		      error != NULL ? error->message : "");
	ck_assert_msg(
		strstr(error->message, says) != NULL, "“%s” lacks “%s”", error->message, says);
}

START_TEST(test_clonecd_refuses_q_disagreement)
{
	RbDiscTestCcdOptions o = {.sessions = 1, .bad_q_lba = 500};
	rb_ccd_assert_refused(&o, RB_DISC_IMAGE_ERROR_MISMATCH, "LBA 500");
}
END_TEST

/*
 * The set's .ccd with the first @from (whose line says @line_of, or @from
 * itself when NULL) replaced by @to; returns the line @line_of is on
 */
static guint
rb_ccd_edit(const RbDiscTestCcd *set, const gchar *from, const gchar *to, const gchar *line_of)
{
	g_autofree gchar *text = NULL;
	g_autoptr(GString) edited = NULL;
	const gchar *at;
	guint line = 1;

	ck_assert(g_file_get_contents(set->ccd, &text, NULL, NULL));
	at = strstr(text, from);
	ck_assert_msg(at != NULL, "no “%s” in the sheet", from);
	edited = g_string_new_len(text, at - text);
	g_string_append(edited, to);
	g_string_append(edited, at + strlen(from));
	at = strstr(edited->str, line_of != NULL ? line_of : to);
	ck_assert(at != NULL);
	for (const gchar *c = edited->str; c < at; c++)
		line += *c == '\n' ? 1 : 0;
	ck_assert(g_file_set_contents(set->ccd, edited->str, (gssize)edited->len, NULL));
	return line;
}

/* the .ccd edited, then refused with @says on the line @line_of is on */
static void
rb_ccd_assert_sheet_refused(const gchar *from,
			    const gchar *to,
			    const gchar *line_of,
			    const gchar *says)
{
	RbDiscTestCcdOptions o = {.sessions = 1, .bad_q_lba = -1};
	g_autoptr(RbDiscTestCcd) set = rb_disc_test_ccd_new(&o);
	guint line = rb_ccd_edit(set, from, to, line_of);
	g_autofree gchar *want = g_strdup_printf("disc.ccd line %u: %s", line, says);
	g_autoptr(GError) error = NULL;
	g_autoptr(RbDiscImage) image = rb_disc_clonecd_read(set->ccd, &error);

	ck_assert(image == NULL);
	ck_assert_msg(g_error_matches(error, RB_DISC_IMAGE_ERROR, RB_DISC_IMAGE_ERROR_SYNTAX),
		      "%s",
		      error != NULL ? error->message : "");
	ck_assert_msg(
		strstr(error->message, want) != NULL, "“%s” lacks “%s”", error->message, want);
}

/* track 2's entry is at 00:08:00 (LBA 450), the lead-out's at 00:13:25 (LBA 850) */
START_TEST(test_clonecd_refuses_times_out_of_range)
{
	/* 256 was taken as minute 0: the same LBA, silently */
	rb_ccd_assert_sheet_refused("PMin=0\r\nPSec=8\r\nPFrame=0\r\nPLBA=450\r\n",
				    "PMin=256\r\nPSec=8\r\nPFrame=0\r\n",
				    "PMin=256",
				    "PMin=256 is out of range (0 to 99)");
	rb_ccd_assert_sheet_refused(
		"PSec=8\r\n", "PSec=60\r\n", "PSec=60", "PSec=60 is out of range (0 to 59)");
	rb_ccd_assert_sheet_refused("PFrame=25\r\nPLBA=850\r\n",
				    "PFrame=75\r\n",
				    "PFrame=75",
				    "PFrame=75 is out of range (0 to 74)");
	rb_ccd_assert_sheet_refused("PSec=8\r\nPFrame=0\r\nPLBA=450\r\n",
				    "PSec=-1\r\nPFrame=0\r\nPLBA=450\r\n",
				    "PSec=-1",
				    "PSec=-1 is out of range (0 to 59)");
	rb_ccd_assert_sheet_refused(
		"PLBA=850", "PLBA=449850", NULL, "PLBA=449850 is out of range (-150 to 449849)");
}
END_TEST

START_TEST(test_clonecd_refuses_plba_disagreement)
{
	rb_ccd_assert_sheet_refused(
		"PLBA=450", "PLBA=451", NULL, "PLBA=451 but PMin/PSec/PFrame say LBA 450");
}
END_TEST

/* without PSec and PLBA the start would have been made up of a zero */
START_TEST(test_clonecd_refuses_entry_without_time)
{
	rb_ccd_assert_sheet_refused("PSec=8\r\nPFrame=0\r\nPLBA=450\r\n",
				    "PFrame=0\r\n",
				    "[Entry 4]",
				    "the entry lacks PMin, PSec or PFrame");
}
END_TEST

START_TEST(test_clonecd_refuses_missing_img)
{
	RbDiscTestCcdOptions o = {.sessions = 1, .bad_q_lba = -1, .no_img = TRUE};
	rb_ccd_assert_refused(&o, RB_DISC_IMAGE_ERROR_FILE, "disc.img");
}
END_TEST

START_TEST(test_clonecd_refuses_short_sub)
{
	RbDiscTestCcdOptions o = {.sessions = 1, .bad_q_lba = -1, .short_sub = TRUE};
	rb_ccd_assert_refused(&o, RB_DISC_IMAGE_ERROR_FILE_TOO_SHORT, "disc.sub");
}
END_TEST

START_TEST(test_clonecd_refuses_two_sessions)
{
	RbDiscTestCcdOptions o = {.sessions = 2, .bad_q_lba = -1};
	rb_ccd_assert_refused(&o, RB_DISC_IMAGE_ERROR_UNSUPPORTED, "multi-session");
}
END_TEST

/* the reviewer's set: one audio track, INDEX 1 at LBA 150, no INDEX 0 */
#define RB_LATE_START 150
#define RB_LATE_LEADOUT 750

static void
rb_late_sector(gint32 lba, guint8 out[2352])
{
	for (gsize i = 0; i < 2352; i++)
		out[i] = (guint8)(lba * 7 + i * 13 + 1);
}

/* the .sub in CloneCD order from @layout's P-Q, R-W zero */
static void
rb_late_write_sub(const gchar *path, const RbImageLayout *layout)
{
	g_autoptr(GByteArray) sub = g_byte_array_new();

	for (gint32 lba = 0; lba < RB_LATE_LEADOUT; lba++) {
		guint8 q[RB_SUBQ_SIZE];
		guint8 pw[96];
		guint8 channels[96] = {0};
		gboolean p = FALSE;

		ck_assert(rb_image_layout_get_subq(layout, lba, q, &p));
		rb_subchannel_pw_build(q, p, pw);
		for (guint k = 0; k < 96; k++) {
			for (guint c = 0; c < 8; c++) {
				if ((pw[k] >> (7 - c)) & 1)
					channels[c * 12 + k / 8] |= (guint8)(0x80 >> (k % 8));
			}
		}
		g_byte_array_append(sub, channels, sizeof(channels));
	}
	ck_assert(g_file_set_contents(path, (const gchar *)sub->data, sub->len, NULL));
}

static void
rb_late_entry(GString *ccd, guint i, guint point, guint pmin, gint32 lba)
{
	RbMsf msf = {0};

	if (point >= 0xA0 && point != 0xA2)
		msf = (RbMsf){pmin, 0, 0};
	else
		rb_msf_from_lba(lba, &msf);
	g_string_append_printf(ccd,
			       "[Entry %u]\r\nSession=1\r\nPoint=0x%02x\r\nADR=0x01\r\n"
			       "Control=0x00\r\nTrackNo=0\r\nAMin=0\r\nASec=0\r\nAFrame=0\r\n"
			       "ALBA=-150\r\nZero=0\r\nPMin=%u\r\nPSec=%u\r\nPFrame=%u\r\n"
			       "PLBA=%d\r\n",
			       i,
			       point,
			       msf.minute,
			       msf.second,
			       msf.frame,
			       rb_msf_to_lba(msf));
}

/*
 * Every .img sector at its own LBA, LBA 0-149 as track 1's index 0 (a
 * pregap of 150 generated + 150 from the .img); with a .sub the disc's own
 * Q, which the stream check must pass end to end
 */
static void
rb_late_check(gboolean with_sub)
{
	g_autofree gchar *dir = g_dir_make_tmp("rb-ccd-late-XXXXXX", NULL);
	g_autofree gchar *ccd_path = g_build_filename(dir, "late.ccd", NULL);
	g_autofree gchar *img_path = g_build_filename(dir, "late.img", NULL);
	g_autofree gchar *sub_path = g_build_filename(dir, "late.sub", NULL);
	g_autoptr(GString) ccd = g_string_new(NULL);
	g_autoptr(GByteArray) img = g_byte_array_new();
	g_autoptr(RbImageLayout) reference = rb_image_layout_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(RbDiscImage) image = NULL;
	g_autoptr(RbDiscImageStream) stream = NULL;
	g_autoptr(RbStreamCheck) check = rb_stream_check_new(3, RB_IMAGE_FIRST_LBA, G_MAXINT32);
	g_autofree guint8 *buf = NULL;
	const RbImageTrack *t;
	gsize size;
	guint n = 0;
	guint checked = 0;
	gint32 lba = RB_IMAGE_FIRST_LBA;

	g_string_append(ccd,
			"[CloneCD]\r\nVersion=3\r\n[Disc]\r\nTocEntries=4\r\nSessions=1\r\n"
			"DataTracksScrambled=0\r\nCDTextLength=0\r\n[Session 1]\r\n"
			"PreGapMode=0\r\nPreGapSubC=0\r\n");
	rb_late_entry(ccd, 0, 0xA0, 1, 0);
	rb_late_entry(ccd, 1, 0xA1, 1, 0);
	rb_late_entry(ccd, 2, 0xA2, 0, RB_LATE_LEADOUT);
	rb_late_entry(ccd, 3, 1, 0, RB_LATE_START);
	g_string_append_printf(ccd, "[TRACK 1]\r\nMODE=0\r\nINDEX 1=%d\r\n", RB_LATE_START);
	ck_assert(g_file_set_contents(ccd_path, ccd->str, (gssize)ccd->len, NULL));
	for (gint32 at = 0; at < RB_LATE_LEADOUT; at++) {
		guint8 sector[2352];

		rb_late_sector(at, sector);
		g_byte_array_append(img, sector, sizeof(sector));
	}
	ck_assert(g_file_set_contents(img_path, (const gchar *)img->data, img->len, NULL));
	ck_assert(rb_image_layout_set_explicit_gaps(reference, TRUE, NULL));
	ck_assert(rb_image_layout_add_track(
		reference, RB_CD_SECTOR_AUDIO, RB_LATE_LEADOUT - RB_LATE_START, NULL, NULL));
	ck_assert(rb_image_layout_track_set_pregap(reference, 0, 150 + RB_LATE_START, NULL));
	if (with_sub)
		rb_late_write_sub(sub_path, reference);

	image = rb_disc_clonecd_read(ccd_path, &error);
	ck_assert_msg(image != NULL, "%s", error != NULL ? error->message : "");
	t = rb_image_layout_get_track(rb_disc_image_get_layout(image), 0);
	ck_assert_int_eq(t->start, RB_LATE_START);
	ck_assert_uint_eq(t->pregap_sectors, 150 + RB_LATE_START);
	ck_assert_uint_eq(t->n_sectors, RB_LATE_LEADOUT - RB_LATE_START);
	stream = rb_disc_image_stream_new(image, &error);
	ck_assert_msg(stream != NULL, "%s", error != NULL ? error->message : "");
	size = rb_disc_image_stream_get_sector_size(stream);
	buf = g_malloc(size * 64);
	while (rb_disc_image_stream_read(stream, buf, 64, &n, &error) && n > 0) {
		if (with_sub)
			ck_assert_msg(rb_stream_check_sectors(check, buf, n, &error),
				      "%s",
				      error != NULL ? error->message : "");
		for (guint s = 0; s < n; s++, lba++) {
			guint8 want[2352];

			if (lba < 0 || lba >= RB_LATE_LEADOUT)
				continue;
			rb_late_sector(lba, want);
			ck_assert_msg(
				memcmp(buf + s * size, want, 2352) == 0, "main at LBA %d", lba);
			checked++;
		}
	}
	ck_assert_msg(error == NULL, "%s", error != NULL ? error->message : "");
	ck_assert_uint_eq(checked, RB_LATE_LEADOUT);
	if (with_sub)
		ck_assert_msg(rb_stream_check_finish(check, &error),
			      "%s",
			      error != NULL ? error->message : "");
	g_unlink(ccd_path);
	g_unlink(img_path);
	g_unlink(sub_path);
	g_rmdir(dir);
}

START_TEST(test_clonecd_first_index1_late)
{
	rb_late_check(FALSE);
	rb_late_check(TRUE);
}
END_TEST

/* the sheet is checked before it is read: a FIFO would wait for a writer,
 * a huge sparse file fill memory */
START_TEST(test_clonecd_refuses_odd_sheet_files)
{
	RbDiscTestCcdOptions o = {.sessions = 1, .bad_q_lba = -1};
	g_autoptr(RbDiscTestCcd) set = rb_disc_test_ccd_new(&o);
	g_autoptr(GError) error = NULL;
	g_autoptr(RbDiscImage) image = NULL;

	ck_assert_int_eq(g_unlink(set->ccd), 0);
	ck_assert_int_eq(mkfifo(set->ccd, 0600), 0);
	image = rb_disc_clonecd_read(set->ccd, &error);
	ck_assert(image == NULL);
	ck_assert_msg(g_error_matches(error, RB_DISC_IMAGE_ERROR, RB_DISC_IMAGE_ERROR_FILE) &&
			      strstr(error->message, "no regular file") != NULL,
		      "%s",
		      error != NULL ? error->message : "");
	g_clear_error(&error);

	ck_assert_int_eq(g_unlink(set->ccd), 0);
	ck_assert(g_file_set_contents(set->ccd, "[CloneCD]\r\n", -1, NULL));
	ck_assert_int_eq(truncate(set->ccd, 400 * 1024 * 1024), 0);
	image = rb_disc_clonecd_read(set->ccd, &error);
	ck_assert(image == NULL);
	ck_assert_msg(g_error_matches(error, RB_DISC_IMAGE_ERROR, RB_DISC_IMAGE_ERROR_FILE) &&
			      strstr(error->message, "419430400 bytes") != NULL,
		      "%s",
		      error != NULL ? error->message : "");
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("disc-clonecd");
	TCase *tc = tcase_create("disc-clonecd");

	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_clonecd_layout);
	tcase_add_test(tc, test_clonecd_stream);
	tcase_add_test(tc, test_clonecd_repairs_unreadable_q);
	tcase_add_test(tc, test_clonecd_refuses_q_disagreement);
	tcase_add_test(tc, test_clonecd_refuses_times_out_of_range);
	tcase_add_test(tc, test_clonecd_refuses_plba_disagreement);
	tcase_add_test(tc, test_clonecd_refuses_entry_without_time);
	tcase_add_test(tc, test_clonecd_refuses_missing_img);
	tcase_add_test(tc, test_clonecd_refuses_short_sub);
	tcase_add_test(tc, test_clonecd_refuses_two_sessions);
	tcase_add_test(tc, test_clonecd_first_index1_late);
	tcase_add_test(tc, test_clonecd_refuses_odd_sheet_files);
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
