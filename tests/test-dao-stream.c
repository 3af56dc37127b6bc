/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The raw DAO stream generator against the conventions raw writers agree on
 * (mmc-notes "10. Measured"): lead-in TOC, pregap, tracks, lead-out, P and
 * Q of every sector in all three block types, and that trimming a lead-in
 * leaves the rest of the stream unchanged.
 */
#include "config.h"

#include <string.h>

#include "rb-dao-stream.h"
#include "rb-test-service.h"

#define RB_TEST_LEADIN_ATIP (-11077)    /* 97:34:23, CDEmu's CD-R */
#define RB_TEST_LEADIN_DEFAULT (-22650) /* 95:00:00 */
/* 30 seconds of audio, as in the measured captures */
#define RB_TEST_TRACK_LENGTH 2250

/*
 * ck_assert() reports every passing check to the runner, which costs a system
 * call; the loops over whole streams use these instead, which only speak up
 * on failure.
 */
#define RB_CHECK(cond)                                                                             \
	G_STMT_START                                                                               \
	{                                                                                          \
		if (G_UNLIKELY(!(cond)))                                                           \
			ck_abort_msg("Assertion '%s' failed", #cond);                              \
	}                                                                                          \
	G_STMT_END
#define RB_CHECK_EQ(a, b)                                                                          \
	G_STMT_START                                                                               \
	{                                                                                          \
		gint64 rb_check_a = (gint64)(a);                                                   \
		gint64 rb_check_b = (gint64)(b);                                                   \
		if (G_UNLIKELY(rb_check_a != rb_check_b))                                          \
			ck_abort_msg("Assertion '%s == %s' failed: %" G_GINT64_FORMAT              \
				     " != %" G_GINT64_FORMAT,                                      \
				     #a,                                                           \
				     #b,                                                           \
				     rb_check_a,                                                   \
				     rb_check_b);                                                  \
	}                                                                                          \
	G_STMT_END

typedef struct {
	guint calls;
	gint32 fail_at;
	gboolean *freed;
} RbTestSource;

static guint8
rb_test_pattern(gint32 lba, gsize i)
{
	return (guint8)((guint32)lba * 131u + i * 7u + (i >> 8));
}

static gboolean
rb_test_source_main(gint32 lba, guint8 *main_data, gpointer user_data, GError **error)
{
	RbTestSource *source = user_data;

	if (source != NULL) {
		source->calls++;
		if (lba == source->fail_at) {
			g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_IO, "no data at %d", lba);
			return FALSE;
		}
	}
	for (gsize i = 0; i < RB_CD_MAIN_SIZE; i++)
		main_data[i] = rb_test_pattern(lba, i);
	return TRUE;
}

static void
rb_test_source_free(gpointer user_data)
{
	RbTestSource *source = user_data;

	if (source->freed != NULL)
		*source->freed = TRUE;
	g_free(source);
}

static RbDaoStream *
rb_test_stream_new(gint32 leadin_start, const RbDaoTrack *tracks, guint n_tracks, guint dbt)
{
	g_autoptr(GError) error = NULL;
	RbDaoStream *stream = rb_dao_stream_new(
		leadin_start, tracks, n_tracks, dbt, rb_test_source_main, NULL, NULL, &error);

	ck_assert_msg(stream != NULL, "%s", error != NULL ? error->message : "");
	return stream;
}

static RbDaoStream *
rb_test_stream_new_one_track(gint32 leadin_start, guint dbt)
{
	const RbDaoTrack track = {0, RB_TEST_TRACK_LENGTH};

	return rb_test_stream_new(leadin_start, &track, 1, dbt);
}

static gint32
rb_test_msf_frames(RbMsf msf)
{
	return (msf.minute * RB_CD_SECONDS_PER_MINUTE + msf.second) * RB_CD_FRAMES_PER_SECOND +
	       msf.frame;
}

static gboolean
rb_test_is_zero(const guint8 *data, gsize len)
{
	for (gsize i = 0; i < len; i++) {
		if (data[i] != 0)
			return FALSE;
	}
	return TRUE;
}

/*
 * Reads one sector the way a drive would: the Q from the sub-channel layout,
 * its CRC, the ZERO byte, the layout's unused bits; and checks it against
 * rb_dao_stream_get_subq().
 */
static void
rb_test_read(const RbDaoStream *stream, gint32 lba, guint8 *sector, RbSubQ *subq, gboolean *p)
{
	g_autoptr(GError) error = NULL;
	guint dbt = rb_dao_stream_get_data_block_type(stream);
	const guint8 *sub = sector + RB_CD_MAIN_SIZE;
	guint8 q[RB_SUBQ_SIZE];
	RbSubQ expected;
	gboolean p_expected = FALSE;

	if (!rb_dao_stream_get_sector(stream, lba, sector, &error))
		ck_abort_msg("LBA %d: %s", lba, error->message);
	RB_CHECK(rb_subchannel_get_q(dbt, sub, q, p, &error));
	if (!rb_subq_check_crc(q))
		ck_abort_msg("bad Q CRC at LBA %d", lba);
	RB_CHECK_EQ(q[6], 0);
	if (!rb_subq_decode(q, subq, &error))
		ck_abort_msg("LBA %d: %s", lba, error->message);
	RB_CHECK_EQ(subq->adr, 1);
	RB_CHECK_EQ(subq->ctl, 0);

	if (dbt == RB_DATA_BLOCK_TYPE_RAW_PQ) {
		RB_CHECK_EQ(sub[12] | sub[13] | sub[14], 0);
		RB_CHECK_EQ(sub[15] & 0x7F, 0);
	} else {
		/* P the same in all 96 symbols, R-W empty */
		for (guint k = 0; k < RB_SUBCHANNEL_PW_SIZE; k++) {
			RB_CHECK_EQ((sub[k] & 0x80) != 0, *p);
			RB_CHECK_EQ(sub[k] & 0x3F, 0);
		}
	}

	RB_CHECK(rb_dao_stream_get_subq(stream, lba, &expected, &p_expected, &error));
	RB_CHECK_EQ(expected.tno, subq->tno);
	RB_CHECK_EQ(expected.index_or_point, subq->index_or_point);
	RB_CHECK_EQ(rb_test_msf_frames(expected.relative), rb_test_msf_frames(subq->relative));
	RB_CHECK_EQ(rb_test_msf_frames(expected.absolute), rb_test_msf_frames(subq->absolute));
	RB_CHECK_EQ(p_expected, *p);
}

START_TEST(test_stream_bounds)
{
	const gsize sizes[] = {0, 2368, 2448, 2448};

	for (guint dbt = 1; dbt <= 3; dbt++) {
		g_autoptr(RbDaoStream) stream =
			rb_test_stream_new_one_track(RB_TEST_LEADIN_ATIP, dbt);

		RB_CHECK_EQ(rb_dao_stream_get_first_lba(stream), -11077);
		RB_CHECK_EQ(rb_dao_stream_get_leadout_start(stream), 2250);
		RB_CHECK_EQ(rb_dao_stream_get_end_lba(stream), 2250 + 6750);
		RB_CHECK_EQ(rb_dao_stream_get_n_sectors(stream), 11077 + 2250 + 6750);
		RB_CHECK_EQ(rb_dao_stream_get_data_block_type(stream), dbt);
		RB_CHECK_EQ(rb_dao_stream_get_sector_size(stream), sizes[dbt]);
	}
}
END_TEST

static void
rb_test_check_toc_order(const RbDaoTrack *tracks, guint n_tracks)
{
	g_autoptr(RbDaoStream) stream =
		rb_test_stream_new(RB_TEST_LEADIN_DEFAULT, tracks, n_tracks, 3);
	gint32 leadout = rb_dao_stream_get_leadout_start(stream);
	guint n_entries = n_tracks + 3;
	guint8 sector[2448];

	/* two full cycles from the first sector */
	for (guint k = 0; k < 2 * 3 * n_entries; k++) {
		gint32 lba = RB_TEST_LEADIN_DEFAULT + (gint32)k;
		guint entry = (k / 3) % n_entries;
		RbSubQ subq;
		gboolean p = TRUE;

		rb_test_read(stream, lba, sector, &subq, &p);
		RB_CHECK_EQ(subq.tno, 0);
		RB_CHECK(!p);
		RB_CHECK(rb_test_is_zero(sector, RB_CD_MAIN_SIZE));
		if (entry < n_tracks) {
			RB_CHECK_EQ(subq.index_or_point, entry + 1);
			RB_CHECK_EQ(rb_test_msf_frames(subq.absolute), tracks[entry].start + 150);
		} else if (entry == n_tracks) {
			RB_CHECK_EQ(subq.index_or_point, 0xA0);
			RB_CHECK_EQ(subq.absolute.minute, 1);
			RB_CHECK_EQ(subq.absolute.second, 0); /* disc type CD-DA */
			RB_CHECK_EQ(subq.absolute.frame, 0);
		} else if (entry == n_tracks + 1) {
			RB_CHECK_EQ(subq.index_or_point, 0xA1);
			RB_CHECK_EQ(subq.absolute.minute, n_tracks);
			RB_CHECK_EQ(subq.absolute.second, 0);
			RB_CHECK_EQ(subq.absolute.frame, 0);
		} else {
			RB_CHECK_EQ(subq.index_or_point, 0xA2);
			RB_CHECK_EQ(rb_test_msf_frames(subq.absolute), leadout + 150);
		}
	}
}

START_TEST(test_leadin_toc_one_track)
{
	const RbDaoTrack track = {0, RB_TEST_TRACK_LENGTH};
	g_autoptr(RbDaoStream) stream = rb_test_stream_new(RB_TEST_LEADIN_DEFAULT, &track, 1, 3);
	const guint8 expected[] = {0x01, 0xA0, 0xA1, 0xA2};
	guint8 sector[2448];

	for (guint k = 0; k < 24; k++) {
		RbSubQ subq;
		gboolean p;

		rb_test_read(stream, RB_TEST_LEADIN_DEFAULT + (gint32)k, sector, &subq, &p);
		RB_CHECK_EQ(subq.index_or_point, expected[(k / 3) % 4]);
	}
	rb_test_check_toc_order(&track, 1);
}
END_TEST

START_TEST(test_leadin_toc_three_tracks)
{
	/* track 3 has a 2-second pregap of its own */
	const RbDaoTrack tracks[] = {{0, 1000}, {1000, 500}, {1650, 300}};

	rb_test_check_toc_order(tracks, G_N_ELEMENTS(tracks));
}
END_TEST

/*
 * A lead-in that does not start on the anchor begins anywhere in the cycle,
 * but every run of entries is 3 frames long and the entries keep their order.
 */
START_TEST(test_leadin_cycle_any_start)
{
	const RbDaoTrack tracks[] = {{0, 1000}, {1000, 1250}};
	const guint8 order[] = {0x01, 0x02, 0xA0, 0xA1, 0xA2};
	g_autoptr(RbDaoStream) stream =
		rb_test_stream_new(RB_TEST_LEADIN_ATIP, tracks, G_N_ELEMENTS(tracks), 1);
	guint8 sector[2368];
	guint run = 0;
	guint runs = 0;
	gint prev = -1;

	for (gint32 lba = RB_TEST_LEADIN_ATIP; lba < -150; lba++) {
		RbSubQ subq;
		gboolean p;
		gint pos = -1;

		rb_test_read(stream, lba, sector, &subq, &p);
		for (guint i = 0; i < G_N_ELEMENTS(order); i++) {
			if (order[i] == subq.index_or_point)
				pos = (gint)i;
		}
		RB_CHECK(pos >= 0);
		if (pos == prev) {
			run++;
			RB_CHECK(run <= 3);
			continue;
		}
		if (prev >= 0) {
			RB_CHECK_EQ(pos, (prev + 1) % (gint)G_N_ELEMENTS(order));
			/* only the first run may be cut short */
			if (runs > 0)
				RB_CHECK_EQ(run, 3);
			runs++;
		}
		prev = pos;
		run = 1;
	}
	ck_assert_uint_gt(runs, 700);
}
END_TEST

START_TEST(test_leadin_running_time)
{
	g_autoptr(RbDaoStream) stream = rb_test_stream_new_one_track(RB_TEST_LEADIN_ATIP, 3);
	guint8 sector[2448];
	RbSubQ subq;
	gboolean p;

	rb_test_read(stream, -11077, sector, &subq, &p);
	RB_CHECK_EQ(subq.relative.minute, 97);
	RB_CHECK_EQ(subq.relative.second, 34);
	RB_CHECK_EQ(subq.relative.frame, 23);
	rb_test_read(stream, -151, sector, &subq, &p);
	RB_CHECK_EQ(subq.relative.minute, 99);
	RB_CHECK_EQ(subq.relative.second, 59);
	RB_CHECK_EQ(subq.relative.frame, 74);
	for (gint32 lba = -11077; lba < -150; lba++) {
		RbMsf msf;

		rb_test_read(stream, lba, sector, &subq, &p);
		RB_CHECK(rb_msf_from_lba(lba, &msf));
		RB_CHECK_EQ(rb_test_msf_frames(subq.relative), rb_test_msf_frames(msf));
		RB_CHECK_EQ(subq.tno, 0);
		RB_CHECK(!p);
	}
}
END_TEST

START_TEST(test_pregap)
{
	for (guint dbt = 1; dbt <= 3; dbt++) {
		g_autoptr(RbDaoStream) stream =
			rb_test_stream_new_one_track(RB_TEST_LEADIN_ATIP, dbt);
		guint8 sector[2448];
		RbSubQ subq;
		gboolean p;

		rb_test_read(stream, -150, sector, &subq, &p);
		RB_CHECK_EQ(subq.relative.minute, 0);
		RB_CHECK_EQ(subq.relative.second, 2);
		RB_CHECK_EQ(subq.relative.frame, 0);
		rb_test_read(stream, -1, sector, &subq, &p);
		RB_CHECK_EQ(rb_test_msf_frames(subq.relative), 1);
		for (gint32 lba = -150; lba < 0; lba++) {
			rb_test_read(stream, lba, sector, &subq, &p);
			RB_CHECK_EQ(subq.tno, 1);
			RB_CHECK_EQ(subq.index_or_point, 0);
			RB_CHECK_EQ(rb_test_msf_frames(subq.relative), -lba);
			RB_CHECK(p);
			RB_CHECK(rb_test_is_zero(sector, RB_CD_MAIN_SIZE));
		}
	}
}
END_TEST

START_TEST(test_program_area)
{
	/* a gap of 75 sectors before track 2 is its pregap */
	const RbDaoTrack tracks[] = {{0, 400}, {475, 300}};
	g_autoptr(RbDaoStream) stream =
		rb_test_stream_new(RB_TEST_LEADIN_ATIP, tracks, G_N_ELEMENTS(tracks), 3);
	guint8 sector[2448];

	RB_CHECK_EQ(rb_dao_stream_get_leadout_start(stream), 775);
	for (gint32 lba = 0; lba < 775; lba++) {
		RbSubQ subq;
		gboolean p;

		rb_test_read(stream, lba, sector, &subq, &p);
		/* every program-area sector comes from the source, pregaps too */
		for (gsize i = 0; i < RB_CD_MAIN_SIZE; i++)
			RB_CHECK_EQ(sector[i], rb_test_pattern(lba, i));
		if (lba < 400) {
			RB_CHECK_EQ(subq.tno, 1);
			RB_CHECK_EQ(subq.index_or_point, 1);
			RB_CHECK_EQ(rb_test_msf_frames(subq.relative), lba);
			RB_CHECK(!p);
		} else if (lba < 475) {
			RB_CHECK_EQ(subq.tno, 2);
			RB_CHECK_EQ(subq.index_or_point, 0);
			RB_CHECK_EQ(rb_test_msf_frames(subq.relative), 475 - lba);
			RB_CHECK(p);
		} else {
			RB_CHECK_EQ(subq.tno, 2);
			RB_CHECK_EQ(subq.index_or_point, 1);
			RB_CHECK_EQ(rb_test_msf_frames(subq.relative), lba - 475);
			RB_CHECK(!p);
		}
	}
}
END_TEST

START_TEST(test_leadout)
{
	for (guint dbt = 1; dbt <= 3; dbt++) {
		g_autoptr(RbDaoStream) stream =
			rb_test_stream_new_one_track(RB_TEST_LEADIN_ATIP, dbt);
		gint32 leadout = rb_dao_stream_get_leadout_start(stream);
		guint8 sector[2448];

		RB_CHECK_EQ(rb_dao_stream_get_end_lba(stream) - leadout, 6750);
		for (gint32 lba = leadout; lba < rb_dao_stream_get_end_lba(stream); lba++) {
			RbSubQ subq;
			gboolean p;

			rb_test_read(stream, lba, sector, &subq, &p);
			RB_CHECK_EQ(subq.tno, 0xAA);
			RB_CHECK_EQ(subq.index_or_point, 1);
			RB_CHECK_EQ(rb_test_msf_frames(subq.relative), lba - leadout);
			/* 0 for 2 s, then 19 frames on, 19 off (Red Book's 2 Hz) */
			RB_CHECK_EQ(p, lba - leadout >= 150 && (lba - leadout - 150) % 38 < 19);
			RB_CHECK(rb_test_is_zero(sector, RB_CD_MAIN_SIZE));
		}
	}
}
END_TEST

/* the strict oracle: absolute time, CRC and P of every sector */
START_TEST(test_every_sector)
{
	const RbDaoTrack tracks[] = {{0, 1000}, {1000, 1250}};

	for (guint dbt = 1; dbt <= 3; dbt++) {
		g_autoptr(RbDaoStream) stream =
			rb_test_stream_new(RB_TEST_LEADIN_ATIP, tracks, G_N_ELEMENTS(tracks), dbt);
		gint32 leadout = rb_dao_stream_get_leadout_start(stream);
		guint8 sector[2448];

		for (gint32 lba = rb_dao_stream_get_first_lba(stream);
		     lba < rb_dao_stream_get_end_lba(stream);
		     lba++) {
			RbSubQ subq;
			gboolean p;
			gboolean in_pregap = lba >= -150 && lba < 0;

			rb_test_read(stream, lba, sector, &subq, &p);
			if (lba >= -150)
				RB_CHECK_EQ(rb_test_msf_frames(subq.absolute), lba + 150);
			RB_CHECK_EQ(p,
				    in_pregap || (lba >= leadout + 150 &&
						  (lba - leadout - 150) % 38 < 19));
			if (lba < -150)
				RB_CHECK_EQ(subq.tno, 0);
			else if (lba < leadout)
				RB_CHECK_EQ(subq.tno, lba < 1000 ? 1 : 2);
			else
				RB_CHECK_EQ(subq.tno, 0xAA);
		}
	}
}
END_TEST

/* a service trims a longer lead-in to the disc's: nothing else may change */
START_TEST(test_trimming)
{
	const RbDaoTrack tracks[] = {{0, 1000}, {1150, 1100}};

	for (guint dbt = 1; dbt <= 3; dbt++) {
		g_autoptr(RbDaoStream) longer =
			rb_test_stream_new(-22650, tracks, G_N_ELEMENTS(tracks), dbt);
		g_autoptr(RbDaoStream) shorter =
			rb_test_stream_new(-11077, tracks, G_N_ELEMENTS(tracks), dbt);
		gsize size = rb_dao_stream_get_sector_size(longer);
		guint8 a[2448];
		guint8 b[2448];

		RB_CHECK_EQ(rb_dao_stream_get_end_lba(longer), rb_dao_stream_get_end_lba(shorter));
		RB_CHECK_EQ(rb_dao_stream_get_n_sectors(longer) -
				    rb_dao_stream_get_n_sectors(shorter),
			    22650 - 11077);
		for (gint32 lba = -11077; lba < rb_dao_stream_get_end_lba(longer); lba++) {
			RB_CHECK(rb_dao_stream_get_sector(longer, lba, a, NULL));
			RB_CHECK(rb_dao_stream_get_sector(shorter, lba, b, NULL));
			if (memcmp(a, b, size) != 0)
				ck_abort_msg("LBA %d differs", lba);
		}
	}
}
END_TEST

START_TEST(test_get_sectors)
{
	g_autoptr(RbDaoStream) stream = rb_test_stream_new_one_track(RB_TEST_LEADIN_ATIP, 3);
	g_autoptr(GError) error = NULL;
	g_autofree guint8 *chunk = g_malloc(27 * 2448);
	guint8 one[2448];

	/* a WRITE-sized chunk across the lead-in, pregap and program area */
	ck_assert(rb_dao_stream_get_sectors(stream, -160, 27, chunk, &error));
	for (guint i = 0; i < 27; i++) {
		ck_assert(rb_dao_stream_get_sector(stream, -160 + (gint32)i, one, NULL));
		ck_assert_mem_eq(chunk + i * 2448, one, 2448);
	}
	ck_assert(rb_dao_stream_get_sectors(stream, 8999, 1, chunk, NULL));
	ck_assert(rb_dao_stream_get_sectors(stream, 0, 0, NULL, NULL));
	ck_assert(!rb_dao_stream_get_sectors(stream, 8990, 27, chunk, &error));
	ck_assert(g_error_matches(error, RB_DAO_STREAM_ERROR, RB_DAO_STREAM_ERROR_OUT_OF_RANGE));
	g_clear_error(&error);
	ck_assert(!rb_dao_stream_get_sectors(stream, 8999, G_MAXUINT, chunk, &error));
	ck_assert(g_error_matches(error, RB_DAO_STREAM_ERROR, RB_DAO_STREAM_ERROR_OUT_OF_RANGE));
}
END_TEST

START_TEST(test_out_of_range)
{
	g_autoptr(RbDaoStream) stream = rb_test_stream_new_one_track(RB_TEST_LEADIN_ATIP, 1);
	const gint32 bad[] = {-11078, 9000, G_MININT32, G_MAXINT32};
	guint8 sector[2368];

	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GError) error2 = NULL;
		RbSubQ subq;

		ck_assert(!rb_dao_stream_get_sector(stream, bad[i], sector, &error));
		ck_assert(g_error_matches(
			error, RB_DAO_STREAM_ERROR, RB_DAO_STREAM_ERROR_OUT_OF_RANGE));
		ck_assert(!rb_dao_stream_get_subq(stream, bad[i], &subq, NULL, &error2));
		ck_assert(g_error_matches(
			error2, RB_DAO_STREAM_ERROR, RB_DAO_STREAM_ERROR_OUT_OF_RANGE));
	}
}
END_TEST

static void
rb_test_assert_invalid(gint32 leadin_start, const RbDaoTrack *tracks, guint n_tracks, guint dbt)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RbDaoStream) stream = NULL;
	gboolean freed = FALSE;
	RbTestSource *source = g_new0(RbTestSource, 1);

	source->freed = &freed;
	stream = rb_dao_stream_new(leadin_start,
				   tracks,
				   n_tracks,
				   dbt,
				   rb_test_source_main,
				   source,
				   rb_test_source_free,
				   &error);
	ck_assert_ptr_null(stream);
	ck_assert(
		g_error_matches(error, RB_DAO_STREAM_ERROR, RB_DAO_STREAM_ERROR_INVALID_ARGUMENT));
	/* the user data is released on failure too */
	ck_assert(freed);
}

START_TEST(test_invalid_layouts)
{
	const RbDaoTrack one = {0, 2250};
	const RbDaoTrack late_start = {1, 2250};
	const RbDaoTrack empty = {0, 0};
	const RbDaoTrack overlap[] = {{0, 1000}, {999, 1000}};
	const RbDaoTrack second_empty[] = {{0, 1000}, {1000, 0}};
	/* the lead-out would end after 89:59:74 */
	const RbDaoTrack too_long = {0, 398101};
	RbDaoTrack many[RB_DAO_MAX_TRACKS + 1];

	for (guint i = 0; i < G_N_ELEMENTS(many); i++)
		many[i] = (RbDaoTrack){(gint32)i * 300, 300};

	rb_test_assert_invalid(-11077, &one, 1, 0);
	rb_test_assert_invalid(-11077, &one, 1, 4);
	rb_test_assert_invalid(-150, &one, 1, 3);
	rb_test_assert_invalid(0, &one, 1, 3);
	rb_test_assert_invalid(-45151, &one, 1, 3);
	rb_test_assert_invalid(-11077, NULL, 1, 3);
	rb_test_assert_invalid(-11077, &one, 0, 3);
	rb_test_assert_invalid(-11077, &late_start, 1, 3);
	rb_test_assert_invalid(-11077, &empty, 1, 3);
	rb_test_assert_invalid(-11077, overlap, 2, 3);
	rb_test_assert_invalid(-11077, second_empty, 2, 3);
	rb_test_assert_invalid(-11077, &too_long, 1, 3);
	rb_test_assert_invalid(-11077, many, G_N_ELEMENTS(many), 3);
}
END_TEST

START_TEST(test_limits)
{
	const RbDaoTrack longest = {0, 398100};
	RbDaoTrack many[RB_DAO_MAX_TRACKS];
	guint8 sector[2448];
	RbSubQ subq;
	gboolean p;

	for (guint i = 0; i < G_N_ELEMENTS(many); i++)
		many[i] = (RbDaoTrack){(gint32)i * 300, 300};

	/* one lead-in sector; the earliest MSF address */
	{
		g_autoptr(RbDaoStream) stream = rb_test_stream_new(-151, &longest, 1, 3);

		rb_test_read(stream, -151, sector, &subq, &p);
		ck_assert_uint_eq(subq.tno, 0);
		/* the last sector of the stream is at 89:59:74 */
		rb_test_read(stream, rb_dao_stream_get_end_lba(stream) - 1, sector, &subq, &p);
		ck_assert_uint_eq(subq.absolute.minute, 89);
		ck_assert_uint_eq(subq.absolute.second, 59);
		ck_assert_uint_eq(subq.absolute.frame, 74);
	}
	{
		g_autoptr(RbDaoStream) stream = rb_test_stream_new(-45150, many, 99, 3);

		rb_test_read(stream, -45150, sector, &subq, &p);
		ck_assert_uint_eq(subq.relative.minute, 90);
		rb_test_read(stream, 99 * 300 - 1, sector, &subq, &p);
		ck_assert_uint_eq(subq.tno, 99);
		/* the A1 entry names track 99 */
		for (gint32 lba = -22650 + 3 * 100; lba < -22650 + 3 * 101; lba++) {
			rb_test_read(stream, lba, sector, &subq, &p);
			ck_assert_uint_eq(subq.index_or_point, 0xA1);
			ck_assert_uint_eq(subq.absolute.minute, 99);
		}
	}
}
END_TEST

START_TEST(test_main_source)
{
	const RbDaoTrack track = {0, 300};
	g_autoptr(GError) error = NULL;
	g_autoptr(RbDaoStream) silent = NULL;
	gboolean freed = FALSE;
	RbTestSource *source = g_new0(RbTestSource, 1);
	RbDaoStream *stream;
	guint8 sector[2448];

	source->fail_at = 100;
	source->freed = &freed;
	stream = rb_dao_stream_new(
		-11077, &track, 1, 2, rb_test_source_main, source, rb_test_source_free, &error);
	ck_assert_ptr_nonnull(stream);

	/* asked only for the program area */
	ck_assert(rb_dao_stream_get_sector(stream, -1, sector, NULL));
	ck_assert(rb_dao_stream_get_sector(stream, 300, sector, NULL));
	ck_assert_uint_eq(source->calls, 0);
	ck_assert(rb_dao_stream_get_sector(stream, 0, sector, NULL));
	ck_assert_uint_eq(source->calls, 1);

	/* its errors reach the caller */
	ck_assert(!rb_dao_stream_get_sector(stream, 100, sector, &error));
	ck_assert(g_error_matches(error, G_FILE_ERROR, G_FILE_ERROR_IO));

	ck_assert(!freed);
	rb_dao_stream_free(stream);
	ck_assert(freed);

	/* without a source the program area is silence */
	silent = rb_dao_stream_new(-11077, &track, 1, 3, NULL, NULL, NULL, NULL);
	ck_assert_ptr_nonnull(silent);
	memset(sector, 0xFF, sizeof(sector));
	ck_assert(rb_dao_stream_get_sector(silent, 10, sector, NULL));
	ck_assert(rb_test_is_zero(sector, RB_CD_MAIN_SIZE));
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("dao-stream");
	TCase *tc_layout = tcase_create("layout");
	TCase *tc_oracle = tcase_create("oracle");
	TCase *tc_api = tcase_create("api");

	tcase_add_test(tc_layout, test_stream_bounds);
	tcase_add_test(tc_layout, test_leadin_toc_one_track);
	tcase_add_test(tc_layout, test_leadin_toc_three_tracks);
	tcase_add_test(tc_layout, test_leadin_cycle_any_start);
	tcase_add_test(tc_layout, test_leadin_running_time);
	tcase_add_test(tc_layout, test_pregap);
	tcase_add_test(tc_layout, test_program_area);
	tcase_add_test(tc_layout, test_leadout);
	suite_add_tcase(suite, tc_layout);

	/* whole streams: slow under AddressSanitizer */
	tcase_set_timeout(tc_oracle, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_test(tc_oracle, test_every_sector);
	tcase_add_test(tc_oracle, test_trimming);
	suite_add_tcase(suite, tc_oracle);

	tcase_add_test(tc_api, test_get_sectors);
	tcase_add_test(tc_api, test_out_of_range);
	tcase_add_test(tc_api, test_invalid_layouts);
	tcase_add_test(tc_api, test_limits);
	tcase_add_test(tc_api, test_main_source);
	suite_add_tcase(suite, tc_api);

	return rb_test_run_suite(suite);
}
