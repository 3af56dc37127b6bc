/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The image producer, judged by the emulated drive: each layout is produced,
 * burned from the drive's lead-in start (the stream's first sectors skipped,
 * as WriteMedia2 does) and the drive's report must count nothing wrong; the
 * disc's raw TOC must equal ExpectedTableOfContents and READ CD must give
 * back the track data. Also: byte equality with rb_dao_stream where both
 * apply, the sub-channel details (indexes, MCN/ISRC, flags, R-W), and the
 * reader's errors.
 */
#include "config.h"

#include <string.h>

#include "rb-dao-stream.h"
#include "rb-image-private.h"
#include "rb-image-test.h"
#include "rb-image.h"
#include "rb-scramble.h"
#include "rb-test-service.h"
#include "rb-vdrive-test.h"

#define RB_MAX_SECTOR 2448

/* --- the test's sources: a pattern per source, read in short pieces ------------------- */

typedef struct {
	const RbImageLayout *layout;
	guint64 offset[RB_IMAGE_SOURCE_RW + 1];
	/* a track (0-based) whose data ends after @cut bytes, or G_MAXUINT */
	guint cut_track;
	guint64 cut;
	/* the R-W generator sets a P bit at this stream sector, or -1 */
	gint64 rw_bad_sector;
	/* a read error on this source, or G_MAXUINT */
	guint fail_source;
	/* raw data tracks: the last sector built */
	guint raw_source;
	guint64 raw_sector;
	guint8 raw[RB_CD_MAIN_SIZE];
} RbSource;

static guint8
rb_pattern(guint source, guint64 pos)
{
	return (guint8)(pos * 7u + source * 31u + (pos >> 11));
}

static guint64
rb_source_size(const RbSource *src, guint source)
{
	const RbImageLayout *layout = src->layout;

	if (source == RB_IMAGE_SOURCE_SPECIAL_PREGAP)
		return (guint64)rb_image_layout_get_special_pregap(layout) * RB_CD_MAIN_SIZE;
	if (source == RB_IMAGE_SOURCE_RW)
		return (guint64)rb_image_layout_get_n_sectors(layout) * RB_SUBCHANNEL_PW_SIZE;
	if (source == src->cut_track)
		return src->cut;
	return (guint64)rb_image_layout_get_track(layout, source)->n_sectors *
	       rb_image_type_input_size(rb_image_layout_get_track(layout, source)->type);
}

/* the R-W byte at @pos: zero in the lead-in of raw P-W, where the judge reads CD-TEXT */
static guint8
rb_rw_byte(const RbSource *src, guint64 pos)
{
	gint32 lba = RB_IMAGE_FIRST_LBA + (gint32)(pos / RB_SUBCHANNEL_PW_SIZE);

	if (lba < -150 && rb_image_layout_get_image_type(src->layout) == RB_DATA_BLOCK_TYPE_RAW_PW)
		return 0;
	return rb_pattern(RB_IMAGE_SOURCE_RW, pos) & 0x3F;
}

/* a raw data track's sector @k: the cooked type's encoding of the pattern,
 * scrambled, as IMAPI's raw types come */
static guint8
rb_raw_byte(RbSource *src, guint source, guint64 pos)
{
	const RbImageTrack *t = rb_image_layout_get_track(src->layout, source);
	RbCdSectorType cooked = rb_image_type_cooked(t->type);
	gsize size = rb_image_type_input_size(cooked);
	guint64 k = pos / RB_CD_MAIN_SIZE;

	if (src->raw_source != source || src->raw_sector != k) {
		guint8 input[RB_CD_MAIN_SIZE];
		for (gsize b = 0; b < size; b++)
			input[b] = rb_pattern(source, k * size + b);
		rb_cd_sector_encode(cooked, t->start + (gint32)k, input, src->raw);
		rb_scramble_sector(src->raw);
		src->raw_source = source;
		src->raw_sector = k;
	}
	return src->raw[pos % RB_CD_MAIN_SIZE];
}

static gssize
rb_source_read(gpointer user_data, guint source, guint8 *buf, gsize len, GError **error)
{
	RbSource *src = user_data;
	guint64 size = rb_source_size(src, source);
	guint64 *offset = &src->offset[source];
	/* short reads: the producer must ask again */
	gsize n = MIN(len, 1000);

	if (source == src->fail_source) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "the disk is on fire");
		return -1;
	}
	if (*offset >= size)
		return 0;
	n = (gsize)MIN((guint64)n, size - *offset);
	for (gsize i = 0; i < n; i++) {
		guint64 pos = *offset + i;
		if (source == RB_IMAGE_SOURCE_RW)
			buf[i] = rb_rw_byte(src, pos);
		else if (source < RB_IMAGE_MAX_TRACKS &&
			 rb_cd_sector_type_is_raw(
				 rb_image_layout_get_track(src->layout, source)->type))
			buf[i] = rb_raw_byte(src, source, pos);
		else
			buf[i] = rb_pattern(source, pos);
		if (source == RB_IMAGE_SOURCE_RW &&
		    (gint64)(pos / RB_SUBCHANNEL_PW_SIZE) == src->rw_bad_sector)
			buf[i] |= 0x80;
	}
	*offset += n;
	return (gssize)n;
}

static void
rb_source_init(RbSource *src, const RbImageLayout *layout)
{
	memset(src, 0, sizeof(*src));
	src->layout = layout;
	src->cut_track = G_MAXUINT;
	src->rw_bad_sector = -1;
	src->fail_source = G_MAXUINT;
	src->raw_source = G_MAXUINT;
}

/* --- producing and burning ------------------------------------------------------------ */

/* the whole image in memory, every source read to its end and no further */
static GBytes *
rb_produce(const RbImageLayout *layout, RbSource *src)
{
	GBytes *image = rb_image_test_produce(layout, rb_source_read, src);

	for (guint i = 0; i < rb_image_layout_get_n_tracks(layout); i++)
		ck_assert_uint_eq(src->offset[i], rb_source_size(src, i));
	return image;
}

static void
rb_sector_q(GBytes *image, const RbImageLayout *layout, gint32 lba, guint8 q[RB_SUBQ_SIZE])
{
	gboolean p;

	ck_assert(rb_subchannel_get_q(rb_image_layout_get_image_type(layout),
				      rb_image_test_sector(image, layout, lba) + RB_CD_MAIN_SIZE,
				      q,
				      &p,
				      NULL));
}

/* READ CD user data of @lba: 2352 bytes of audio, 2048 of Mode 1, 2336 of Mode 2 */
static void
rb_read_cd(RbVdrive *drive, gint32 lba, guint8 *buf, gsize len)
{
	guint8 cdb[12] = {RB_MMC_READ_CD, 0, 0, 0, 0, 0, 0, 0, 1, 0x10, 0};

	cdb[2] = (guint8)((guint32)lba >> 24);
	cdb[3] = (guint8)((guint32)lba >> 16);
	cdb[4] = (guint8)((guint32)lba >> 8);
	cdb[5] = (guint8)lba;
	rb_assert_good(rb_cmd(drive, cdb, sizeof(cdb), RB_MMC_DIR_IN, buf, len));
}

static void
rb_assert_read_cd(RbVdrive *drive, gint32 lba, const guint8 *expected, gsize len)
{
	guint8 cdb[12] = {RB_MMC_READ_CD, 0, 0, 0, 0, 0, 0, 0, 1, 0x10, 0};
	guint8 buf[RB_CD_MAIN_SIZE];

	cdb[2] = (guint8)((guint32)lba >> 24);
	cdb[3] = (guint8)((guint32)lba >> 16);
	cdb[4] = (guint8)((guint32)lba >> 8);
	cdb[5] = (guint8)lba;
	rb_assert_good(rb_cmd(drive, cdb, sizeof(cdb), RB_MMC_DIR_IN, buf, len));
	ck_assert_mem_eq(buf, expected, len);
}

/* the audio of track @i's sector @k, as the source gave it */
static void
rb_track_audio(guint i, guint32 k, guint8 out[RB_CD_MAIN_SIZE])
{
	for (gsize b = 0; b < RB_CD_MAIN_SIZE; b++)
		out[b] = rb_pattern(i, (guint64)k * RB_CD_MAIN_SIZE + b);
}

/* READ CD of data track @i's sector @k gives the user data the source had */
static void
rb_assert_data(RbVdrive *drive, guint i, const RbImageTrack *t, guint32 k)
{
	RbCdSectorType cooked = rb_image_type_cooked(t->type);
	gsize size = rb_image_type_input_size(cooked);
	guint mode = rb_cd_sector_type_get_mode(cooked);
	guint8 buf[RB_CD_MAIN_SIZE];
	/* where the user data lies in the READ CD answer and in the input */
	gsize at = mode == 2 && cooked != RB_CD_SECTOR_MODE2_FORM0 ? 8 : 0;
	gsize from = cooked == RB_CD_SECTOR_MODE2_FORM2 ? 8 : 0;
	gsize n = cooked == RB_CD_SECTOR_MODE2_FORM2 ? 2324 : size;

	rb_read_cd(drive, t->start + (gint32)k, buf, mode == 1 ? 2048 : 2336);
	for (gsize b = 0; b < n; b++) {
		if (buf[at + b] != rb_pattern(i, (guint64)k * size + from + b))
			ck_abort_msg("track %u sector %u byte %zu", i + 1, k, b);
	}
}

/* produce, burn, judge, TOC, and READ CD of each track's ends */
static GBytes *
rb_check_disc(const RbImageLayout *layout, RbVdriveReport *report)
{
	RbSource src;
	g_autoptr(RbVdrive) drive = NULL;
	GBytes *image;

	rb_source_init(&src, layout);
	image = rb_produce(layout, &src);
	drive = rb_image_test_burn(layout, image, report);
	rb_image_test_assert_clean(report, layout);
	rb_image_test_assert_toc(drive, layout);
	for (guint i = 0; i < rb_image_layout_get_n_tracks(layout); i++) {
		const RbImageTrack *t = rb_image_layout_get_track(layout, i);
		guint8 audio[RB_CD_MAIN_SIZE];

		if (t->type != RB_CD_SECTOR_AUDIO) {
			rb_assert_data(drive, i, t, 0);
			rb_assert_data(drive, i, t, t->n_sectors - 1);
			continue;
		}
		rb_track_audio(i, 0, audio);
		rb_assert_read_cd(drive, t->start, audio, sizeof(audio));
		rb_track_audio(i, t->n_sectors - 1, audio);
		rb_assert_read_cd(drive, t->start + (gint32)t->n_sectors - 1, audio, sizeof(audio));
	}
	return image;
}

static RbImageLayout *
rb_audio_layout(guint type, gboolean gaps, const guint32 *lengths, guint n)
{
	RbImageLayout *layout = rb_image_layout_new();

	ck_assert(rb_image_layout_set_image_type(layout, type, NULL));
	ck_assert(rb_image_layout_set_disable_gapless_audio(layout, gaps, NULL));
	for (guint i = 0; i < n; i++)
		ck_assert(rb_image_layout_add_track(
			layout, RB_CD_SECTOR_AUDIO, lengths[i], NULL, NULL));
	return layout;
}

/* --- audio discs ---------------------------------------------------------------------- */

START_TEST(test_audio_one_track)
{
	const guint32 lengths[] = {2250};
	g_autoptr(RbImageLayout) layout = rb_audio_layout(_i + 1, TRUE, lengths, 1);
	RbVdriveReport report;
	g_autoptr(GBytes) image = NULL;
	gint32 leadout = 0;

	ck_assert(rb_image_layout_get_leadout_start(layout, &leadout, NULL));
	ck_assert_int_eq(leadout, 2250);
	ck_assert_int_eq(rb_image_layout_get_end_lba(layout), 2250 + 6750);
	image = rb_check_disc(layout, &report);
	ck_assert_uint_eq(g_bytes_get_size(image),
			  (gsize)(22650 + 2250 + 6750) * rb_image_layout_get_sector_size(layout));
}
END_TEST

static gboolean
rb_dao_main(gint32 lba, guint8 *main_data, gpointer user_data, GError **error)
{
	const RbImageLayout *layout = user_data;

	for (guint i = 0; i < rb_image_layout_get_n_tracks(layout); i++) {
		const RbImageTrack *t = rb_image_layout_get_track(layout, i);
		if (lba >= t->start && lba < t->start + (gint32)t->n_sectors) {
			rb_track_audio(i, (guint32)(lba - t->start), main_data);
			return TRUE;
		}
	}
	memset(main_data, 0, RB_CD_MAIN_SIZE);
	return TRUE;
}

/* with 2 s pauses the producer and rb_dao_stream agree on every byte */
START_TEST(test_audio_gaps_equal_dao_stream)
{
	const guint32 lengths[] = {300, 450, 600};
	g_autoptr(RbImageLayout) layout = rb_audio_layout(_i + 1, TRUE, lengths, 3);
	RbDaoTrack tracks[3];
	g_autoptr(RbDaoStream) stream = NULL;
	g_autoptr(GBytes) image = NULL;
	g_autofree guint8 *expected = NULL;
	RbVdriveReport report;
	gsize size = rb_image_layout_get_sector_size(layout);

	for (guint i = 0; i < 3; i++) {
		const RbImageTrack *t = rb_image_layout_get_track(layout, i);
		tracks[i] = (RbDaoTrack){t->start, t->n_sectors};
		ck_assert_int_eq(t->pregap_start, i == 0 ? -150 : t->start - 150);
		ck_assert_uint_eq(t->number, i + 1);
	}
	ck_assert_int_eq(tracks[1].start, 450);
	ck_assert_int_eq(tracks[2].start, 450 + 450 + 150);
	image = rb_check_disc(layout, &report);
	stream = rb_dao_stream_new(
		RB_IMAGE_FIRST_LBA, tracks, 3, _i + 1, rb_dao_main, layout, NULL, NULL);
	ck_assert(stream != NULL);
	ck_assert_uint_eq(rb_dao_stream_get_n_sectors(stream) * size, g_bytes_get_size(image));
	expected = g_malloc(g_bytes_get_size(image));
	ck_assert(rb_dao_stream_get_sectors(
		stream, RB_IMAGE_FIRST_LBA, rb_dao_stream_get_n_sectors(stream), expected, NULL));
	ck_assert(memcmp(expected, g_bytes_get_data(image, NULL), g_bytes_get_size(image)) == 0);
}
END_TEST

/* gapless: the audio runs on; the last 2 s of a track are the next one's pregap */
START_TEST(test_audio_gapless)
{
	const guint32 lengths[] = {450, 500, 300};
	g_autoptr(RbImageLayout) layout =
		rb_audio_layout(RB_DATA_BLOCK_TYPE_RAW_PW, FALSE, lengths, 3);
	g_autoptr(GBytes) image = NULL;
	RbVdriveReport report;
	guint8 q[RB_SUBQ_SIZE];
	guint8 audio[RB_CD_MAIN_SIZE];

	ck_assert_int_eq(rb_image_layout_get_track(layout, 1)->start, 450);
	ck_assert_int_eq(rb_image_layout_get_track(layout, 1)->pregap_start, 300);
	ck_assert_int_eq(rb_image_layout_get_track(layout, 2)->start, 950);
	image = rb_check_disc(layout, &report);
	/* LBA 300: track 1's data, track 2's index 0, P set, 150 frames to go */
	rb_track_audio(0, 300, audio);
	ck_assert_mem_eq(rb_image_test_sector(image, layout, 300), audio, RB_CD_MAIN_SIZE);
	rb_sector_q(image, layout, 300, q);
	ck_assert_uint_eq(q[1], 0x02);
	ck_assert_uint_eq(q[2], 0x00);
	ck_assert_uint_eq(q[3], 0x00);
	ck_assert_uint_eq(q[4], 0x02);
	ck_assert_uint_eq(q[5], 0x00);
	ck_assert(
		rb_subchannel_pw_get_p(rb_image_test_sector(image, layout, 300) + RB_CD_MAIN_SIZE));
	rb_track_audio(1, 0, audio);
	ck_assert_mem_eq(rb_image_test_sector(image, layout, 450), audio, RB_CD_MAIN_SIZE);
}
END_TEST

/* the special pregap's audio fills track 1's pregap, which grows with it */
START_TEST(test_special_pregap)
{
	g_autoptr(RbImageLayout) layout = rb_image_layout_new();
	g_autoptr(GBytes) image = NULL;
	RbVdriveReport report;
	guint8 q[RB_SUBQ_SIZE];

	ck_assert(rb_image_layout_add_special_pregap(layout, 400, NULL));
	ck_assert(rb_image_layout_add_track(layout, RB_CD_SECTOR_AUDIO, 600, NULL, NULL));
	ck_assert_int_eq(rb_image_layout_get_track(layout, 0)->start, 250);
	image = rb_check_disc(layout, &report);
	for (gint32 lba = -150; lba < 250; lba += 133) {
		guint8 expected[RB_CD_MAIN_SIZE];
		for (gsize b = 0; b < RB_CD_MAIN_SIZE; b++)
			expected[b] = rb_pattern(RB_IMAGE_SOURCE_SPECIAL_PREGAP,
						 (guint64)(lba + 150) * RB_CD_MAIN_SIZE + b);
		ck_assert_mem_eq(
			rb_image_test_sector(image, layout, lba), expected, RB_CD_MAIN_SIZE);
		rb_sector_q(image, layout, lba, q);
		ck_assert_uint_eq(q[1], 0x01);
		ck_assert_uint_eq(q[2], 0x00);
	}
}
END_TEST

START_TEST(test_indexes)
{
	const guint32 lengths[] = {600, 400};
	g_autoptr(RbImageLayout) layout =
		rb_audio_layout(RB_DATA_BLOCK_TYPE_RAW_PW, TRUE, lengths, 2);
	g_autoptr(GBytes) image = NULL;
	RbVdriveReport report;
	guint8 q[RB_SUBQ_SIZE];

	ck_assert(rb_image_layout_track_add_index(layout, 0, 100, NULL, NULL));
	ck_assert(rb_image_layout_track_add_index(layout, 0, 110, NULL, NULL));
	ck_assert(rb_image_layout_track_add_index(layout, 0, 400, NULL, NULL));
	ck_assert(rb_image_layout_track_add_index(layout, 1, 50, NULL, NULL));
	image = rb_check_disc(layout, &report);
	rb_sector_q(image, layout, 99, q);
	ck_assert_uint_eq(q[2], 0x01);
	rb_sector_q(image, layout, 100, q);
	ck_assert_uint_eq(q[2], 0x02);
	/* the relative time runs on through the indexes */
	ck_assert_uint_eq(q[4], 0x01);
	ck_assert_uint_eq(q[5], 0x25);
	rb_sector_q(image, layout, 110, q);
	ck_assert_uint_eq(q[2], 0x03);
	rb_sector_q(image, layout, 599, q);
	ck_assert_uint_eq(q[2], 0x04);
	rb_sector_q(image, layout, 750 + 50, q);
	ck_assert_uint_eq(q[1], 0x02);
	ck_assert_uint_eq(q[2], 0x02);
}
END_TEST

/* MCN and ISRC frames at cdrdao's rate, and the judge is content */
START_TEST(test_mcn_isrc)
{
	const guint32 lengths[] = {450, 1000, 450};
	g_autoptr(RbImageLayout) layout = rb_audio_layout(_i + 1, _i == 0, lengths, 3);
	g_autoptr(GBytes) image = NULL;
	RbVdriveReport report;
	guint mcn = 0;
	guint isrc = 0;
	gint32 end = rb_image_layout_get_end_lba(layout);

	ck_assert(rb_image_layout_set_mcn(layout, "4006381333931", NULL));
	ck_assert(rb_image_layout_track_set_isrc(layout, 0, "DEXXX0012345", NULL));
	ck_assert(rb_image_layout_track_set_isrc(layout, 2, "usabc9912345", NULL));
	ck_assert_str_eq(rb_image_layout_get_track(layout, 2)->isrc, "USABC9912345");
	image = rb_check_disc(layout, &report);
	ck_assert_uint_gt(report.mcn_isrc_frames, 0);
	for (gint32 lba = RB_IMAGE_FIRST_LBA; lba < end; lba++) {
		guint8 q[RB_SUBQ_SIZE];
		rb_sector_q(image, layout, lba, q);
		ck_assert(rb_subq_check_crc(q));
		if ((q[0] & 0x0F) == RB_SUBQ_ADR_MCN) {
			ck_assert_uint_eq(q[1], 0x40);
			ck_assert_uint_eq(q[7], 0x10);
			mcn++;
		} else if ((q[0] & 0x0F) == RB_SUBQ_ADR_ISRC) {
			isrc++;
		}
	}
	ck_assert_uint_ge(mcn, (guint)(rb_image_layout_get_track(layout, 2)->start + 450) / 90);
	ck_assert_uint_ge(isrc, (300 + 450) / 90 - 1);
}
END_TEST

/* copy permitted sets CTL bit 1, prohibited clears it, SCMS alternates it;
 * pre-emphasis sets bit 0 */
START_TEST(test_flags)
{
	const guint32 lengths[] = {300, 300, 300};
	g_autoptr(RbImageLayout) layout =
		rb_audio_layout(RB_DATA_BLOCK_TYPE_RAW_PW, TRUE, lengths, 3);
	g_autoptr(GBytes) image = NULL;
	g_autoptr(GBytes) toc = NULL;
	RbVdriveReport report;
	guint8 q[RB_SUBQ_SIZE];
	const guint8 *d;
	gint32 t3;

	ck_assert(rb_image_layout_track_set_copy(layout, 0, RB_IMAGE_COPY_PERMITTED, NULL));
	ck_assert(rb_image_layout_track_set_preemphasis(layout, 1, TRUE, NULL));
	ck_assert(rb_image_layout_track_set_copy(layout, 2, RB_IMAGE_COPY_SCMS, NULL));
	image = rb_check_disc(layout, &report);
	rb_sector_q(image, layout, 10, q);
	ck_assert_uint_eq(q[0], 0x21);
	rb_sector_q(image, layout, 460, q);
	ck_assert_uint_eq(q[0], 0x11);
	t3 = rb_image_layout_get_track(layout, 2)->start;
	rb_sector_q(image, layout, t3, q);
	ck_assert_uint_eq(q[0], 0x21);
	rb_sector_q(image, layout, t3 + 4, q);
	ck_assert_uint_eq(q[0], 0x01);
	rb_sector_q(image, layout, t3 + 8, q);
	ck_assert_uint_eq(q[0], 0x21);
	/* the TOC: A0, A1, A2, 01, 02, 03 */
	toc = rb_image_layout_get_expected_toc(layout, NULL);
	d = (const guint8 *)g_bytes_get_data(toc, NULL) + 4;
	ck_assert_uint_eq(d[0 * 11 + 1], 0x12);
	ck_assert_uint_eq(d[3 * 11 + 1], 0x12);
	ck_assert_uint_eq(d[4 * 11 + 1], 0x11);
	ck_assert_uint_eq(d[5 * 11 + 1], 0x10);
}
END_TEST

/* the R-W generator's bytes land in R-W, P and Q untouched */
START_TEST(test_rw_generator)
{
	const guint32 lengths[] = {400};
	guint type = _i == 0 ? RB_DATA_BLOCK_TYPE_RAW_PW_PACKED : RB_DATA_BLOCK_TYPE_RAW_PW;
	g_autoptr(RbImageLayout) layout = rb_audio_layout(type, TRUE, lengths, 1);
	g_autoptr(RbImageLayout) plain = rb_audio_layout(type, TRUE, lengths, 1);
	g_autoptr(GBytes) image = NULL;
	g_autoptr(GBytes) plain_image = NULL;
	RbVdriveReport report;
	RbSource src;
	guint32 n;

	ck_assert(rb_image_layout_add_rw_generator(layout, NULL));
	image = rb_check_disc(layout, &report);
	rb_source_init(&src, plain);
	plain_image = rb_produce(plain, &src);
	n = rb_image_layout_get_n_sectors(layout);
	for (guint32 s = 0; s < n; s++) {
		const guint8 *a =
			rb_image_test_sector(image, layout, RB_IMAGE_FIRST_LBA + (gint32)s);
		const guint8 *b =
			rb_image_test_sector(plain_image, plain, RB_IMAGE_FIRST_LBA + (gint32)s);
		RbSource gen;

		rb_source_init(&gen, layout);
		if (memcmp(a, b, RB_CD_MAIN_SIZE) != 0)
			ck_abort_msg("main channel differs at sector %u", s);
		for (guint k = 0; k < RB_SUBCHANNEL_PW_SIZE; k++) {
			guint8 rw = rb_rw_byte(&gen, (guint64)s * RB_SUBCHANNEL_PW_SIZE + k);
			if (a[RB_CD_MAIN_SIZE + k] != (b[RB_CD_MAIN_SIZE + k] | rw))
				ck_abort_msg("P-W byte %u of sector %u", k, s);
		}
	}
}
END_TEST

START_TEST(test_pq_only_refuses_rw)
{
	g_autoptr(RbImageLayout) layout = rb_image_layout_new();
	g_autoptr(GError) error = NULL;

	ck_assert(rb_image_layout_set_image_type(layout, RB_DATA_BLOCK_TYPE_RAW_PQ, NULL));
	ck_assert(!rb_image_layout_add_rw_generator(layout, &error));
	ck_assert_int_eq(error->code, RB_IMAGE_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	ck_assert(rb_image_layout_set_image_type(layout, RB_DATA_BLOCK_TYPE_RAW_PW, NULL));
	ck_assert(rb_image_layout_add_rw_generator(layout, NULL));
	ck_assert(!rb_image_layout_set_image_type(layout, RB_DATA_BLOCK_TYPE_RAW_PQ, &error));
	ck_assert_int_eq(error->code, RB_IMAGE_ERROR_INVALID_ARGUMENT);
}
END_TEST

/* --- the reader's failures ------------------------------------------------------------ */

static void
rb_expect_failure(const RbImageLayout *layout, RbSource *src, gint code, gint32 lba)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RbImageProducer) producer =
		rb_image_producer_new(layout, rb_source_read, src, NULL);
	g_autofree guint8 *buf = g_malloc(100 * rb_image_producer_get_sector_size(producer));
	guint n = 0;
	gboolean ok;

	while ((ok = rb_image_producer_read(producer, buf, 100, &n, &error)) && n > 0)
		;
	ck_assert(!ok);
	ck_assert_int_eq(error->code, code);
	ck_assert_int_eq(rb_image_producer_get_lba(producer), lba);
	g_clear_error(&error);
	/* it stays failed */
	ck_assert(!rb_image_producer_read(producer, buf, 1, &n, &error));
	ck_assert_uint_eq(n, 0);
}

START_TEST(test_reader_errors)
{
	const guint32 lengths[] = {300, 400};
	g_autoptr(RbImageLayout) layout =
		rb_audio_layout(RB_DATA_BLOCK_TYPE_RAW_PW, TRUE, lengths, 2);
	RbSource src;

	/* track 2 ends 10 sectors and a bit early: an error, never padding */
	rb_source_init(&src, layout);
	src.cut_track = 1;
	src.cut = 390 * RB_CD_MAIN_SIZE + 100;
	rb_expect_failure(layout, &src, RB_IMAGE_ERROR_DATA_ENDED_EARLY, 450 + 390);

	rb_source_init(&src, layout);
	src.fail_source = 0;
	rb_expect_failure(layout, &src, G_IO_ERROR_FAILED, 0);

	ck_assert(rb_image_layout_add_rw_generator(layout, NULL));
	rb_source_init(&src, layout);
	src.rw_bad_sector = 30000;
	rb_expect_failure(layout, &src, RB_IMAGE_ERROR_RW_HAS_PQ_BITS, RB_IMAGE_FIRST_LBA + 30000);
}
END_TEST

/* a disc from track 5: TNO, TOC and A0 say so */
START_TEST(test_starting_track_number)
{
	g_autoptr(RbImageLayout) layout = rb_image_layout_new();
	g_autoptr(GBytes) image = NULL;
	g_autoptr(GBytes) toc = NULL;
	RbSource src;
	guint8 q[RB_SUBQ_SIZE];
	const guint8 *d;

	ck_assert(rb_image_layout_set_disable_gapless_audio(layout, TRUE, NULL));
	ck_assert(rb_image_layout_set_starting_track_number(layout, 5, NULL));
	ck_assert(rb_image_layout_add_track(layout, RB_CD_SECTOR_AUDIO, 300, NULL, NULL));
	ck_assert(rb_image_layout_add_track(layout, RB_CD_SECTOR_AUDIO, 300, NULL, NULL));
	rb_source_init(&src, layout);
	image = rb_produce(layout, &src);
	rb_sector_q(image, layout, -1, q);
	ck_assert_uint_eq(q[1], 0x05);
	rb_sector_q(image, layout, 310, q);
	ck_assert_uint_eq(q[1], 0x06);
	toc = rb_image_layout_get_expected_toc(layout, NULL);
	d = (const guint8 *)g_bytes_get_data(toc, NULL) + 4;
	ck_assert_uint_eq(d[3], 0xA0);
	ck_assert_uint_eq(d[8], 5);
	ck_assert_uint_eq(d[11 + 8], 6);
	ck_assert_uint_eq(d[3 * 11 + 3], 5);
}
END_TEST

/* --- data discs ----------------------------------------------------------------------- */

static const RbCdSectorType rb_data_discs[][3] = {
	{RB_CD_SECTOR_MODE1, RB_CD_SECTOR_MODE1, RB_CD_SECTOR_MODE1},
	{RB_CD_SECTOR_MODE1_RAW, RB_CD_SECTOR_MODE1, RB_CD_SECTOR_MODE1_RAW},
	{RB_CD_SECTOR_MODE2_FORM1, RB_CD_SECTOR_MODE2_FORM2, RB_CD_SECTOR_MODE2_FORM0},
	{RB_CD_SECTOR_MODE2_FORM1_RAW, RB_CD_SECTOR_MODE2_FORM2_RAW, RB_CD_SECTOR_MODE2_FORM1},
};

/* data tracks: sectors built, scrambled, judged clean, read back */
START_TEST(test_data_disc)
{
	g_autoptr(RbImageLayout) layout = rb_image_layout_new();
	g_autoptr(GBytes) image = NULL;
	g_autoptr(GBytes) toc = NULL;
	RbVdriveReport report;
	guint8 q[RB_SUBQ_SIZE];
	guint8 sector[RB_CD_MAIN_SIZE];
	const guint32 lengths[] = {300, 450, 375};
	const RbImageTrack *t;

	for (guint i = 0; i < 3; i++)
		ck_assert(rb_image_layout_add_track(
			layout, rb_data_discs[_i][i], lengths[i], NULL, NULL));
	t = rb_image_layout_get_track(layout, 1);
	ck_assert_int_eq(t->pregap_start, 300);
	ck_assert_int_eq(t->start, 450);
	image = rb_check_disc(layout, &report);
	/* CTL data in the pregap, the track and the lead-out */
	rb_sector_q(image, layout, -1, q);
	ck_assert_uint_eq(q[0], 0x41);
	rb_sector_q(image, layout, 460, q);
	ck_assert_uint_eq(q[0], 0x41);
	rb_sector_q(image, layout, rb_image_layout_get_end_lba(layout) - 1, q);
	ck_assert_uint_eq(q[0], 0x41);
	/* the pregap of track 2: an empty sector of its type, scrambled */
	memcpy(sector, rb_image_test_sector(image, layout, 300), RB_CD_MAIN_SIZE);
	ck_assert(rb_scramble_has_sync(sector));
	rb_scramble_sector(sector);
	ck_assert_uint_eq(sector[12], 0x00);
	ck_assert_uint_eq(sector[13], 0x06);
	ck_assert_uint_eq(sector[14], 0x00);
	ck_assert_uint_eq(sector[15], rb_cd_sector_type_get_mode(rb_data_discs[_i][1]));
	/* the lead-out too, in the last track's mode */
	memcpy(sector,
	       rb_image_test_sector(image, layout, rb_image_layout_get_end_lba(layout) - 1),
	       RB_CD_MAIN_SIZE);
	rb_scramble_sector(sector);
	ck_assert_uint_eq(sector[15], rb_cd_sector_type_get_mode(rb_data_discs[_i][2]));
	/* A0's disc type: CD-ROM XA for Mode 2 */
	toc = rb_image_layout_get_expected_toc(layout, NULL);
	ck_assert_uint_eq(((const guint8 *)g_bytes_get_data(toc, NULL))[4 + 1], 0x14);
	ck_assert_uint_eq(((const guint8 *)g_bytes_get_data(toc, NULL))[4 + 9], _i >= 2 ? 20 : 0);
}
END_TEST

/* mixed mode (cdrdao.man's "Mixed mode CD", tests/test-image-oracle.c):
 * a data track, its 2 s postgap of empty sectors, then audio whose first
 * track has a 2 s pregap of silence even when gapless; burned clean */
static const RbCdSectorType rb_mixed_discs[] = {RB_CD_SECTOR_MODE1, RB_CD_SECTOR_MODE2_FORM1_RAW};

START_TEST(test_mixed_disc)
{
	g_autoptr(RbImageLayout) layout = rb_image_layout_new();
	g_autoptr(GBytes) image = NULL;
	RbVdriveReport report;
	guint8 q[RB_SUBQ_SIZE];
	guint8 sector[RB_CD_MAIN_SIZE];
	guint8 zeros[RB_CD_MAIN_SIZE] = {0};
	const RbImageTrack *t;

	ck_assert(rb_image_layout_set_image_type(layout, RB_DATA_BLOCK_TYPE_RAW_PW, NULL));
	ck_assert(rb_image_layout_add_track(layout, rb_mixed_discs[_i], 300, NULL, NULL));
	ck_assert(rb_image_layout_add_track(layout, RB_CD_SECTOR_AUDIO, 450, NULL, NULL));
	ck_assert(rb_image_layout_add_track(layout, RB_CD_SECTOR_AUDIO, 450, NULL, NULL));
	ck_assert(rb_image_layout_validate(layout, NULL));
	/* postgap 300-449, pregap 450-599, then gapless audio */
	t = rb_image_layout_get_track(layout, 1);
	ck_assert_int_eq(t->pregap_start, 450);
	ck_assert_int_eq(t->start, 600);
	t = rb_image_layout_get_track(layout, 2);
	ck_assert_int_eq(t->pregap_start, 900);
	ck_assert_int_eq(t->start, 1050);
	image = rb_check_disc(layout, &report);
	ck_assert_uint_eq(report.tracks, 3);
	/* the postgap: track 1 in Q (data, index 1, relative time on) and
	 * an empty sector of its cooked type */
	rb_sector_q(image, layout, 300, q);
	ck_assert_uint_eq(q[0], 0x41);
	ck_assert_uint_eq(q[1], 0x01);
	ck_assert_uint_eq(q[2], 0x01);
	ck_assert_uint_eq(q[5], 0x00);
	rb_sector_q(image, layout, 449, q);
	ck_assert_uint_eq(q[1], 0x01);
	memcpy(sector, rb_image_test_sector(image, layout, 449), RB_CD_MAIN_SIZE);
	rb_scramble_sector(sector);
	{
		guint8 expected[RB_CD_MAIN_SIZE];

		rb_cd_sector_encode(rb_image_type_cooked(rb_mixed_discs[_i]), 449, zeros, expected);
		ck_assert_mem_eq(sector, expected, RB_CD_MAIN_SIZE);
	}
	/* the pregap: track 2, audio, index 0, silence */
	rb_sector_q(image, layout, 450, q);
	ck_assert_uint_eq(q[0], 0x01);
	ck_assert_uint_eq(q[1], 0x02);
	ck_assert_uint_eq(q[2], 0x00);
	ck_assert_mem_eq(rb_image_test_sector(image, layout, 450), zeros, RB_CD_MAIN_SIZE);
	ck_assert_mem_eq(rb_image_test_sector(image, layout, 599), zeros, RB_CD_MAIN_SIZE);
	rb_sector_q(image, layout, 600, q);
	ck_assert_uint_eq(q[0], 0x01);
	ck_assert_uint_eq(q[2], 0x01);
}
END_TEST

/* the lead-in's main channel: silence before audio, empty sectors of track
 * 1's mode before data, as cdrdao writes it (tests/test-image-oracle.c) */
START_TEST(test_leadin_main_channel)
{
	static const RbCdSectorType types[] = {
		RB_CD_SECTOR_AUDIO, RB_CD_SECTOR_MODE1, RB_CD_SECTOR_MODE2_FORM1};

	for (guint i = 0; i < G_N_ELEMENTS(types); i++) {
		g_autoptr(RbImageLayout) layout = rb_image_layout_new();
		g_autoptr(GBytes) image = NULL;
		RbSource src;
		guint8 zeros[RB_CD_MAIN_SIZE] = {0};
		guint8 expected[RB_CD_MAIN_SIZE];

		ck_assert(rb_image_layout_set_image_type(layout, RB_DATA_BLOCK_TYPE_RAW_PW, NULL));
		ck_assert(rb_image_layout_add_track(layout, types[i], 300, NULL, NULL));
		rb_source_init(&src, layout);
		image = rb_produce(layout, &src);
		for (gint32 lba = RB_IMAGE_FIRST_LBA; lba < -150; lba += 997) {
			if (types[i] == RB_CD_SECTOR_AUDIO) {
				memset(expected, 0, sizeof(expected));
			} else {
				rb_cd_sector_encode(types[i], lba, zeros, expected);
				rb_scramble_sector(expected);
			}
			ck_assert_mem_eq(rb_image_test_sector(image, layout, lba),
					 expected,
					 RB_CD_MAIN_SIZE);
		}
	}
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("image");
	TCase *tc_audio = tcase_create("audio");
	TCase *tc_sub = tcase_create("subchannel");
	TCase *tc_errors = tcase_create("errors");
	TCase *tc_data = tcase_create("data");

	tcase_set_timeout(tc_audio, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_loop_test(tc_audio, test_audio_one_track, 0, 3);
	tcase_add_loop_test(tc_audio, test_audio_gaps_equal_dao_stream, 0, 3);
	tcase_add_test(tc_audio, test_audio_gapless);
	tcase_add_test(tc_audio, test_special_pregap);
	tcase_add_test(tc_audio, test_leadin_main_channel);
	suite_add_tcase(suite, tc_audio);

	tcase_set_timeout(tc_sub, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_test(tc_sub, test_indexes);
	tcase_add_loop_test(tc_sub, test_mcn_isrc, 0, 2);
	tcase_add_test(tc_sub, test_flags);
	tcase_add_loop_test(tc_sub, test_rw_generator, 0, 2);
	tcase_add_test(tc_sub, test_pq_only_refuses_rw);
	tcase_add_test(tc_sub, test_starting_track_number);
	suite_add_tcase(suite, tc_sub);

	tcase_add_test(tc_errors, test_reader_errors);
	tcase_set_timeout(tc_data, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_loop_test(tc_data, test_data_disc, 0, G_N_ELEMENTS(rb_data_discs));
	tcase_add_loop_test(tc_data, test_mixed_disc, 0, G_N_ELEMENTS(rb_mixed_discs));
	suite_add_tcase(suite, tc_data);
	suite_add_tcase(suite, tc_errors);

	return rb_test_run_suite(suite);
}
