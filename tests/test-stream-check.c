/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The stream preflight checker: generated streams of every shape pass in any
 * chunking, and each kind of damage (CRC, Q mode, BCD, addresses, lead-in
 * length, TOC runs and entries, TOC against the program area, a cut stream)
 * fails exactly at the first bad LBA, with that LBA in the message.
 */
#include "config.h"

#include <string.h>

#include "rb-dao-stream.h"
#include "rb-stream-check.h"
#include "rb-test-service.h"

#define RB_TEST_LEADIN_DEFAULT (-22650)  /* 95:00:00 */
#define RB_TEST_LEADIN_MEASURED (-11634) /* 97:26:66, mmc-notes "10. Measured" */
#define RB_TEST_LEADIN_ATIP (-11077)     /* 97:34:23, CDEmu's CD-R */
#define RB_TEST_NO_LIMIT G_MAXINT32
#define RB_TEST_PREGAP_START (-150)

/* short tracks keep whole streams quick; track 2 has a pregap, 3 none */
static const RbDaoTrack rb_test_tracks[] = {{0, 300}, {450, 300}, {750, 300}};

typedef void (*RbTestMutate)(const RbDaoStream *stream,
			     gint32 lba,
			     guint8 *sector,
			     gconstpointer user_data);

/* a stream from the generator, fed to a checker, maybe with damage */
typedef struct {
	gint32 leadin_start; /* the generator's */
	guint n_tracks;
	guint dbt;
	gint32 feed_from; /* the generator's first LBA fed; 0 means its lead-in start */
	gint32 feed_to;   /* exclusive; 0 means the end of the stream */
	gint32 shift;     /* the checker's LBA = the generator's + shift */
	gint32 last_leadout_start;
	gsize chunk;
	RbTestMutate mutate;
	gconstpointer mutate_data;
} RbTestFeed;

static RbDaoStream *
rb_test_stream_new(gint32 leadin_start, guint n_tracks, guint dbt)
{
	g_autoptr(GError) error = NULL;
	RbDaoStream *stream = rb_dao_stream_new(
		leadin_start, rb_test_tracks, n_tracks, dbt, NULL, NULL, NULL, &error);

	ck_assert_msg(stream != NULL, "%s", error != NULL ? error->message : "");
	return stream;
}

static RbTestFeed
rb_test_feed_init(gint32 leadin_start, guint n_tracks, guint dbt)
{
	RbTestFeed feed = {
		.leadin_start = leadin_start,
		.n_tracks = n_tracks,
		.dbt = dbt,
		.last_leadout_start = RB_TEST_NO_LIMIT,
		.chunk = 27,
	};
	return feed;
}

/*
 * Feeds the stream; returns the checker's verdict (with finish when
 * @finish) and, in @next_lba, where it stopped.
 */
static gboolean
rb_test_feed(const RbTestFeed *feed, gboolean finish, gint32 *next_lba, GError **error)
{
	g_autoptr(RbDaoStream) stream =
		rb_test_stream_new(feed->leadin_start, feed->n_tracks, feed->dbt);
	gsize size = rb_dao_stream_get_sector_size(stream);
	gint32 from = feed->feed_from != 0 ? feed->feed_from : feed->leadin_start;
	gint32 to = feed->feed_to != 0 ? feed->feed_to : rb_dao_stream_get_end_lba(stream);
	g_autoptr(RbStreamCheck) check =
		rb_stream_check_new(feed->dbt, from + feed->shift, feed->last_leadout_start);
	g_autofree guint8 *buffer = g_malloc(size * feed->chunk);
	gboolean ok = TRUE;

	for (gint32 lba = from; ok && lba < to; lba += (gint32)feed->chunk) {
		guint count = (guint)MIN((gint32)feed->chunk, to - lba);

		ck_assert(rb_dao_stream_get_sectors(stream, lba, count, buffer, NULL));
		for (guint i = 0; feed->mutate != NULL && i < count; i++)
			feed->mutate(stream, lba + (gint32)i, buffer + i * size, feed->mutate_data);
		ok = rb_stream_check_sectors(check, buffer, count, error);
		if (ok)
			ck_assert_int_eq(rb_stream_check_get_next_lba(check),
					 lba + (gint32)count + feed->shift);
	}
	if (ok && finish)
		ok = rb_stream_check_finish(check, error);
	if (next_lba != NULL)
		*next_lba = rb_stream_check_get_next_lba(check);
	return ok;
}

static void
rb_test_assert_passes(const RbTestFeed *feed)
{
	g_autoptr(GError) error = NULL;
	gint32 next_lba = 0;

	ck_assert_msg(rb_test_feed(feed, TRUE, &next_lba, &error),
		      "%s",
		      error != NULL ? error->message : "");
	ck_assert_ptr_null(error);
}

/* fails at @lba with @code, and the message starts with that LBA */
static void
rb_test_assert_fails(const RbTestFeed *feed, gint32 lba, gint code, const gchar *part)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *prefix = g_strdup_printf("LBA %d: ", lba);
	gint32 next_lba = 0;

	ck_assert_msg(!rb_test_feed(feed, TRUE, &next_lba, &error), "passed, expected LBA %d", lba);
	ck_assert_ptr_nonnull(error);
	ck_assert_msg(g_error_matches(error, RB_STREAM_CHECK_ERROR, code),
		      "expected code %d, got %d: %s",
		      code,
		      error->code,
		      error->message);
	ck_assert_msg(g_str_has_prefix(error->message, prefix), "%s", error->message);
	ck_assert_int_eq(next_lba, lba);
	if (part != NULL)
		ck_assert_msg(strstr(error->message, part) != NULL, "%s", error->message);
}

/* rewrites a sector's Q (its CRC recomputed when @fix_crc), keeping P */
static void
rb_test_set_q(guint dbt, guint8 *sector, const guint8 *q, gboolean fix_crc)
{
	guint8 out[RB_SUBQ_SIZE];
	guint8 old[RB_SUBQ_SIZE];
	gboolean p = FALSE;

	ck_assert(rb_subchannel_get_q(dbt, sector + RB_CD_MAIN_SIZE, old, &p, NULL));
	memcpy(out, q, RB_SUBQ_SIZE);
	if (fix_crc)
		rb_subq_set_crc(out);
	ck_assert(rb_subchannel_build(dbt, out, p, sector + RB_CD_MAIN_SIZE, NULL));
}

static void
rb_test_get_q(guint dbt, const guint8 *sector, guint8 *q)
{
	ck_assert(rb_subchannel_get_q(dbt, sector + RB_CD_MAIN_SIZE, q, NULL, NULL));
}

static guint8
rb_test_bcd(guint value)
{
	guint8 bcd = 0;

	ck_assert(rb_bcd_encode(value, &bcd));
	return bcd;
}

static guint8
rb_test_point(const RbDaoStream *stream, gint32 lba)
{
	RbSubQ subq;

	ck_assert(rb_dao_stream_get_subq(stream, lba, &subq, NULL, NULL));
	return subq.index_or_point;
}

/* ------------------------------------------------------------------------ */
/* whole streams pass */

static const gint32 rb_test_leadins[] = {
	RB_TEST_LEADIN_DEFAULT, RB_TEST_LEADIN_MEASURED, RB_TEST_LEADIN_ATIP};
static const guint rb_test_dbts[] = {1, 2, 3};
static const guint rb_test_n_tracks[] = {1, 3};
static const gsize rb_test_chunks[] = {1, 26, 27, 1000};
#define RB_TEST_N_STREAMS                                                                          \
	(G_N_ELEMENTS(rb_test_leadins) * G_N_ELEMENTS(rb_test_dbts) *                              \
	 G_N_ELEMENTS(rb_test_n_tracks) * G_N_ELEMENTS(rb_test_chunks))

START_TEST(test_generated_streams_pass)
{
	guint i = (guint)_i;
	RbTestFeed feed = rb_test_feed_init(rb_test_leadins[i % 3], 0, 0);

	i /= 3;
	feed.dbt = rb_test_dbts[i % 3];
	i /= 3;
	feed.n_tracks = rb_test_n_tracks[i % 2];
	i /= 2;
	feed.chunk = rb_test_chunks[i];
	/* the lead-out of the 3-track disc starts at 1050: exactly at the limit */
	feed.last_leadout_start = feed.n_tracks == 3 ? 1050 : 300;
	rb_test_assert_passes(&feed);
}
END_TEST

/* a service trims a longer lead-in to the disc's: the tail alone passes */
START_TEST(test_trimmed_stream_passes)
{
	RbTestFeed feed = rb_test_feed_init(RB_TEST_LEADIN_DEFAULT, 3, 3);

	feed.feed_from = RB_TEST_LEADIN_ATIP;
	rb_test_assert_passes(&feed);
	feed.feed_from = RB_TEST_PREGAP_START;
	rb_test_assert_passes(&feed);
	/* from inside the program area, without the TOC */
	feed.feed_from = 500;
	rb_test_assert_passes(&feed);
}
END_TEST

/* a trimmed start that leaves only the last frame of a TOC entry */
START_TEST(test_first_run_of_one_passes)
{
	g_autoptr(RbDaoStream) stream = rb_test_stream_new(RB_TEST_LEADIN_DEFAULT, 3, 3);
	RbTestFeed feed = rb_test_feed_init(RB_TEST_LEADIN_DEFAULT, 3, 3);
	gint32 lba = -11000;

	while (rb_test_point(stream, lba) == rb_test_point(stream, lba + 1) ||
	       rb_test_point(stream, lba) != rb_test_point(stream, lba - 1))
		lba++;
	feed.feed_from = lba;
	rb_test_assert_passes(&feed);
	/* and from the start of that run */
	feed.feed_from = lba - 2;
	rb_test_assert_passes(&feed);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Q CRC and Q mode */

START_TEST(test_all_zero_stream_fails)
{
	guint dbt = _i == 0 ? 1 : 3;
	gsize size = rb_data_block_type_get_sector_size(dbt);
	g_autofree guint8 *zero = g_malloc0(size * 10);
	g_autoptr(RbStreamCheck) check = rb_stream_check_new(dbt, -11634, RB_TEST_NO_LIMIT);
	g_autoptr(GError) error = NULL;

	ck_assert(!rb_stream_check_sectors(check, zero, 10, &error));
	/* 16-byte: a zero CRC over zero bytes is right in the plain polarity,
	 * so it is ADR 0 that gives it away */
	ck_assert(g_error_matches(error,
				  RB_STREAM_CHECK_ERROR,
				  dbt == 1 ? RB_STREAM_CHECK_ERROR_Q_MODE
					   : RB_STREAM_CHECK_ERROR_Q_CRC));
	ck_assert(g_str_has_prefix(error->message, "LBA -11634: "));
	ck_assert_int_eq(rb_stream_check_get_next_lba(check), -11634);
}
END_TEST

typedef struct {
	gint32 lba;
	guint byte;
	guint8 xor_mask;
	gboolean fix_crc;
} RbTestFlip;

static void
rb_test_mutate_flip(const RbDaoStream *stream, gint32 lba, guint8 *sector, gconstpointer data)
{
	const RbTestFlip *flip = data;
	guint dbt = rb_dao_stream_get_data_block_type(stream);
	guint8 q[RB_SUBQ_SIZE];

	if (lba != flip->lba)
		return;
	rb_test_get_q(dbt, sector, q);
	q[flip->byte] ^= flip->xor_mask;
	rb_test_set_q(dbt, sector, q, flip->fix_crc);
}

START_TEST(test_bad_crc_in_leadin)
{
	const RbTestFlip flip = {-11000, 5, 0x01, FALSE};
	RbTestFeed feed = rb_test_feed_init(RB_TEST_LEADIN_MEASURED, 1, _i == 0 ? 1 : 3);
	g_autoptr(RbDaoStream) stream = rb_test_stream_new(RB_TEST_LEADIN_MEASURED, 1, feed.dbt);
	gsize size = rb_dao_stream_get_sector_size(stream);
	guint n = (guint)(flip.lba - RB_TEST_LEADIN_MEASURED + 10);
	g_autofree guint8 *sectors = g_malloc(size * n);
	g_autoptr(RbStreamCheck) check =
		rb_stream_check_new(feed.dbt, RB_TEST_LEADIN_MEASURED, RB_TEST_NO_LIMIT);
	g_autoptr(GError) error = NULL;
	guint before = (guint)(flip.lba - RB_TEST_LEADIN_MEASURED);

	feed.mutate = rb_test_mutate_flip;
	feed.mutate_data = &flip;
	rb_test_assert_fails(&feed, flip.lba, RB_STREAM_CHECK_ERROR_Q_CRC, "CRC");

	/* every sector before it is accepted, then it alone fails */
	ck_assert(rb_dao_stream_get_sectors(stream, RB_TEST_LEADIN_MEASURED, n, sectors, NULL));
	rb_test_mutate_flip(stream, flip.lba, sectors + before * size, &flip);
	ck_assert(rb_stream_check_sectors(check, sectors, before, &error));
	ck_assert_int_eq(rb_stream_check_get_next_lba(check), flip.lba);
	ck_assert(!rb_stream_check_sectors(check, sectors + before * size, 10, &error));
	ck_assert(g_str_has_prefix(error->message, "LBA -11000: the Q sub-channel CRC is wrong"));
	g_clear_error(&error);
	/* and the checker stays failed, even on good sectors */
	ck_assert(!rb_stream_check_sectors(check, sectors, 1, &error));
	ck_assert(g_str_has_prefix(error->message, "LBA -11000: "));
	g_clear_error(&error);
	ck_assert(!rb_stream_check_finish(check, &error));
	ck_assert(g_error_matches(error, RB_STREAM_CHECK_ERROR, RB_STREAM_CHECK_ERROR_Q_CRC));
	ck_assert_int_eq(rb_stream_check_get_next_lba(check), flip.lba);
}
END_TEST

/* cdrdao and libburn send the plain CRC in 16-byte mode; only there is it good */
static void
rb_test_mutate_plain_crc(const RbDaoStream *stream, gint32 lba, guint8 *sector, gconstpointer data)
{
	guint dbt = rb_dao_stream_get_data_block_type(stream);
	guint8 q[RB_SUBQ_SIZE];
	guint16 crc;

	rb_test_get_q(dbt, sector, q);
	crc = rb_cd_crc16(q, RB_SUBQ_DATA_SIZE);
	q[10] = (guint8)(crc >> 8);
	q[11] = (guint8)(crc & 0xFF);
	rb_test_set_q(dbt, sector, q, FALSE);
}

START_TEST(test_plain_crc)
{
	RbTestFeed feed = rb_test_feed_init(RB_TEST_LEADIN_ATIP, 3, 1);

	feed.mutate = rb_test_mutate_plain_crc;
	rb_test_assert_passes(&feed);
	feed.dbt = 3;
	rb_test_assert_fails(&feed, RB_TEST_LEADIN_ATIP, RB_STREAM_CHECK_ERROR_Q_CRC, NULL);
	feed.dbt = 2;
	rb_test_assert_fails(&feed, RB_TEST_LEADIN_ATIP, RB_STREAM_CHECK_ERROR_Q_CRC, NULL);
}
END_TEST

/* a Q frame of mode @adr at @lba, with a good CRC */
typedef struct {
	gint32 lba;
	gint32 count;
	guint8 q0;
} RbTestAdr;

static void
rb_test_mutate_adr(const RbDaoStream *stream, gint32 lba, guint8 *sector, gconstpointer data)
{
	const RbTestAdr *adr = data;
	guint dbt = rb_dao_stream_get_data_block_type(stream);
	/* MCN 1234567890123 then AFRAME, as cdrdao packs it; or a B0 pointer */
	guint8 q[RB_SUBQ_SIZE] = {0, 0x12, 0x34, 0x56, 0x78, 0x90, 0x12, 0x30, 0x00, 0x00};

	if (lba < adr->lba || lba >= adr->lba + adr->count)
		return;
	q[0] = adr->q0;
	if ((adr->q0 & 0x0F) == 5) {
		memset(q + 1, 0, RB_SUBQ_DATA_SIZE - 1);
		q[2] = 0xB0;
	}
	rb_test_set_q(dbt, sector, q, TRUE);
}

START_TEST(test_q_modes)
{
	RbTestFeed feed = rb_test_feed_init(RB_TEST_LEADIN_DEFAULT, 3, 3);
	g_autoptr(RbDaoStream) stream = rb_test_stream_new(RB_TEST_LEADIN_DEFAULT, 3, 3);
	RbTestAdr adr = {450, 1, 0x02};
	gint32 a2 = -15000;

	feed.mutate = rb_test_mutate_adr;
	feed.mutate_data = &adr;
	/* an MCN frame right on track 2's start: the start is still found */
	rb_test_assert_passes(&feed);
	adr.q0 = 0x03; /* ISRC on the lead-out's first sector */
	adr.lba = 1050;
	rb_test_assert_passes(&feed);
	adr.lba = -10000;
	rb_test_assert_fails(
		&feed, -10000, RB_STREAM_CHECK_ERROR_Q_MODE, "Q mode (ADR) 3 cannot be here");
	adr.q0 = 0x04;
	adr.lba = 100;
	rb_test_assert_fails(&feed, 100, RB_STREAM_CHECK_ERROR_Q_MODE, "(ADR) 4 cannot");
	adr.q0 = 0x00;
	rb_test_assert_fails(&feed, 100, RB_STREAM_CHECK_ERROR_Q_MODE, "(ADR) 0 cannot");

	/* multi-session pointers: in the lead-in only, in a whole run */
	while (rb_test_point(stream, a2) != RB_SUBQ_POINT_LEADOUT ||
	       rb_test_point(stream, a2 - 1) == RB_SUBQ_POINT_LEADOUT)
		a2++;
	adr = (RbTestAdr){a2, 3, 0x05};
	rb_test_assert_passes(&feed);
	adr.lba = -100;
	rb_test_assert_fails(
		&feed, -100, RB_STREAM_CHECK_ERROR_Q_MODE, "Q mode (ADR) 5 cannot be here");
}
END_TEST

/* one Q byte of one sector set to @value, the CRC made right */
typedef struct {
	gint32 lba;
	guint byte;
	guint8 value;
} RbTestSet;

static void
rb_test_mutate_set(const RbDaoStream *stream, gint32 lba, guint8 *sector, gconstpointer data)
{
	const RbTestSet *set = data;
	guint dbt = rb_dao_stream_get_data_block_type(stream);
	guint8 q[RB_SUBQ_SIZE];

	if (lba != set->lba)
		return;
	rb_test_get_q(dbt, sector, q);
	q[set->byte] = set->value;
	rb_test_set_q(dbt, sector, q, TRUE);
}

START_TEST(test_not_bcd)
{
	RbTestFeed feed = rb_test_feed_init(RB_TEST_LEADIN_ATIP, 1, _i == 0 ? 1 : 3);
	RbTestSet set = {200, 2, 0x0A}; /* INDEX */

	feed.mutate = rb_test_mutate_set;
	feed.mutate_data = &set;
	rb_test_assert_fails(&feed, 200, RB_STREAM_CHECK_ERROR_Q_MODE, "not BCD");
	set = (RbTestSet){200, 1, 0x1F}; /* TNO */
	rb_test_assert_fails(&feed, 200, RB_STREAM_CHECK_ERROR_Q_MODE, "1F");
	set = (RbTestSet){200, 4, 0xA0}; /* relative second */
	rb_test_assert_fails(&feed, 200, RB_STREAM_CHECK_ERROR_Q_MODE, NULL);
	/* a lead-in POINT that is neither a track nor A0-A2 */
	set = (RbTestSet){-5000, 2, 0xB1};
	rb_test_assert_fails(&feed, -5000, RB_STREAM_CHECK_ERROR_Q_MODE, "B1");
	set = (RbTestSet){-5000, 2, 0x00};
	rb_test_assert_fails(&feed, -5000, RB_STREAM_CHECK_ERROR_Q_MODE, NULL);
	/* a running time with frame 75, a TNO that is not one */
	set = (RbTestSet){-5000, 5, 0x75};
	rb_test_assert_fails(&feed, -5000, RB_STREAM_CHECK_ERROR_Q_MODE, NULL);
	set = (RbTestSet){-5000, 1, 0xAB};
	rb_test_assert_fails(&feed, -5000, RB_STREAM_CHECK_ERROR_Q_MODE, NULL);
	/* an absolute time with second 60 */
	set = (RbTestSet){300, 8, 0x60};
	rb_test_assert_fails(&feed, 300, RB_STREAM_CHECK_ERROR_Q_MODE, NULL);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* addresses and the lead-in length */

START_TEST(test_wrong_absolute_time)
{
	RbTestFeed feed = rb_test_feed_init(RB_TEST_LEADIN_ATIP, 3, _i == 0 ? 1 : 3);
	RbTestFlip flip = {600, 9, 0x01, TRUE};

	feed.mutate = rb_test_mutate_flip;
	feed.mutate_data = &flip;
	rb_test_assert_fails(&feed, 600, RB_STREAM_CHECK_ERROR_ADDRESS, "LBA + 150");
	/* in the pregap and the lead-out too */
	flip = (RbTestFlip){-1, 8, 0x01, TRUE};
	rb_test_assert_fails(&feed, -1, RB_STREAM_CHECK_ERROR_ADDRESS, "00:01:74");
	flip = (RbTestFlip){7000, 9, 0x01, TRUE};
	rb_test_assert_fails(&feed, 7000, RB_STREAM_CHECK_ERROR_ADDRESS, NULL);
	/* a lead-in address off by one frame */
	flip.lba = -300;
	flip.byte = 5;
	rb_test_assert_fails(&feed, -300, RB_STREAM_CHECK_ERROR_ADDRESS, "streamLeadInSectors");
}
END_TEST

/*
 * The stream's lead-in is not as long as the checker is told: every sector
 * lands at another LBA. With absolute running times the first sector shows it.
 */
START_TEST(test_wrong_leadin_length)
{
	RbTestFeed feed = rb_test_feed_init(RB_TEST_LEADIN_MEASURED, 1, 3);

	/* generated from -11634, fed as if from -22650 */
	feed.shift = RB_TEST_LEADIN_DEFAULT - RB_TEST_LEADIN_MEASURED;
	rb_test_assert_fails(&feed,
			     RB_TEST_LEADIN_DEFAULT,
			     RB_STREAM_CHECK_ERROR_ADDRESS,
			     "streamLeadInSectors");
	rb_test_assert_fails(
		&feed, RB_TEST_LEADIN_DEFAULT, RB_STREAM_CHECK_ERROR_ADDRESS, "97:26:66");

	/* generated from -22650, fed as if from -11634 */
	feed = rb_test_feed_init(RB_TEST_LEADIN_DEFAULT, 1, 3);
	feed.shift = RB_TEST_LEADIN_MEASURED - RB_TEST_LEADIN_DEFAULT;
	rb_test_assert_fails(&feed,
			     RB_TEST_LEADIN_MEASURED,
			     RB_STREAM_CHECK_ERROR_ADDRESS,
			     "streamLeadInSectors");
}
END_TEST

/* cdrdao's and libburn's lead-in: the running time counts from 00:00:00 */
typedef struct {
	gint32 start;
	gint32 jump_at; /* from here one frame more; 0: none */
	gint32 from;    /* before it the generator's addresses; 0: none */
} RbTestRelative;

static void
rb_test_mutate_relative(const RbDaoStream *stream, gint32 lba, guint8 *sector, gconstpointer data)
{
	const RbTestRelative *relative = data;
	guint dbt = rb_dao_stream_get_data_block_type(stream);
	gint32 frames = lba - relative->start;
	guint8 q[RB_SUBQ_SIZE];

	if (lba >= RB_TEST_PREGAP_START || (relative->from != 0 && lba < relative->from))
		return;
	if (relative->jump_at != 0 && lba >= relative->jump_at)
		frames++;
	rb_test_get_q(dbt, sector, q);
	q[3] = rb_test_bcd((guint)frames / 4500);
	q[4] = rb_test_bcd((guint)frames / 75 % 60);
	q[5] = rb_test_bcd((guint)frames % 75);
	rb_test_set_q(dbt, sector, q, TRUE);
}

START_TEST(test_relative_running_time)
{
	RbTestFeed feed = rb_test_feed_init(RB_TEST_LEADIN_MEASURED, 1, _i == 0 ? 1 : 3);
	RbTestRelative relative = {RB_TEST_LEADIN_MEASURED, 0};

	feed.mutate = rb_test_mutate_relative;
	feed.mutate_data = &relative;
	rb_test_assert_passes(&feed);
	/* trimmed: it need not start at 00:00:00 */
	feed.feed_from = -5000;
	rb_test_assert_passes(&feed);
	feed.feed_from = 0;
	relative.jump_at = -7777;
	rb_test_assert_fails(&feed, -7777, RB_STREAM_CHECK_ERROR_ADDRESS, "jumps");
	/* an address, then a count: the conventions cannot be mixed, not even
	 * with the count at 00:00:00 on the lead-in's last sector */
	relative = (RbTestRelative){RB_TEST_LEADIN_MEASURED, 0, -7777};
	rb_test_assert_fails(&feed, -7777, RB_STREAM_CHECK_ERROR_ADDRESS, "jumps");
	relative = (RbTestRelative){RB_TEST_PREGAP_START - 1, 0, RB_TEST_PREGAP_START - 1};
	rb_test_assert_fails(
		&feed, RB_TEST_PREGAP_START - 1, RB_STREAM_CHECK_ERROR_ADDRESS, "to 00:00:00");
}
END_TEST

/*
 * With relative running times only the lead-in's end shows a wrong length:
 * track 01 before -150 (lead-in shorter than said), or TNO 00 at -150
 * (longer).
 */
START_TEST(test_wrong_leadin_length_relative)
{
	RbTestFeed feed = rb_test_feed_init(RB_TEST_LEADIN_MEASURED, 1, 3);
	RbTestRelative relative = {RB_TEST_LEADIN_MEASURED, 0};

	feed.mutate = rb_test_mutate_relative;
	feed.mutate_data = &relative;
	feed.shift = -66;
	rb_test_assert_fails(
		&feed, -216, RB_STREAM_CHECK_ERROR_AREA, "track 01 inside the lead-in");
	rb_test_assert_fails(&feed, -216, RB_STREAM_CHECK_ERROR_AREA, "streamLeadInSectors");
	feed.shift = 34;
	rb_test_assert_fails(&feed, -150, RB_STREAM_CHECK_ERROR_AREA, "lead-in is longer");
}
END_TEST

/* ------------------------------------------------------------------------ */
/* the lead-in TOC */

START_TEST(test_a2_past_the_disc)
{
	g_autoptr(RbDaoStream) stream = rb_test_stream_new(RB_TEST_LEADIN_ATIP, 3, 3);
	RbTestFeed feed = rb_test_feed_init(RB_TEST_LEADIN_ATIP, 3, 3);
	gint32 first_a2 = RB_TEST_LEADIN_ATIP;

	while (rb_test_point(stream, first_a2) != RB_SUBQ_POINT_LEADOUT)
		first_a2++;
	feed.last_leadout_start = 1049;
	rb_test_assert_fails(&feed, first_a2, RB_STREAM_CHECK_ERROR_TOC, "A2 lies past the disc");
	rb_test_assert_fails(&feed, first_a2, RB_STREAM_CHECK_ERROR_TOC, "LBA 1049");
	rb_test_assert_fails(&feed, first_a2, RB_STREAM_CHECK_ERROR_TOC, "LBA 1050");
}
END_TEST

/* replaces the TOC entry of @lba (POINT and P-fields) by that of @from_lba */
typedef struct {
	gint32 lba;
	gint32 count;
	gint32 from_lba;
} RbTestCopyEntry;

static void
rb_test_mutate_copy_entry(const RbDaoStream *stream, gint32 lba, guint8 *sector, gconstpointer data)
{
	const RbTestCopyEntry *copy = data;
	guint dbt = rb_dao_stream_get_data_block_type(stream);
	guint8 other[RB_SUBQ_SIZE];
	guint8 q[RB_SUBQ_SIZE];
	RbSubQ subq;

	/* a list, ended by a zero count */
	while (copy->count != 0 && (lba < copy->lba || lba >= copy->lba + copy->count))
		copy++;
	if (copy->count == 0)
		return;
	ck_assert(rb_dao_stream_get_subq(stream, copy->from_lba, &subq, NULL, NULL));
	ck_assert(rb_subq_encode(&subq, other, NULL));
	rb_test_get_q(dbt, sector, q);
	q[2] = other[2];
	memcpy(q + 7, other + 7, 3);
	rb_test_set_q(dbt, sector, q, TRUE);
}

/* the first LBA from @lba on whose POINT is @point and starts a run */
static gint32
rb_test_find_run(const RbDaoStream *stream, gint32 lba, guint8 point)
{
	while (rb_test_point(stream, lba) != point || rb_test_point(stream, lba - 1) == point)
		lba++;
	return lba;
}

/* a lead-in LBA whose POINT is neither that at @a nor that at @b */
static gint32
rb_test_find_other(const RbDaoStream *stream, gint32 a, gint32 b)
{
	gint32 lba = -1000;

	while (rb_test_point(stream, lba) == rb_test_point(stream, a) ||
	       rb_test_point(stream, lba) == rb_test_point(stream, b))
		lba++;
	return lba;
}

START_TEST(test_short_run)
{
	g_autoptr(RbDaoStream) stream = rb_test_stream_new(RB_TEST_LEADIN_DEFAULT, 3, 3);
	RbTestFeed feed = rb_test_feed_init(RB_TEST_LEADIN_DEFAULT, 3, 3);
	gint32 a1 = rb_test_find_run(stream, -12000, RB_SUBQ_POINT_LAST_TRACK);
	/* A1 A1 A2 A2 A2 A2: A1 sent twice */
	RbTestCopyEntry copy[3] = {{a1 + 2, 1, a1 + 3}};

	feed.mutate = rb_test_mutate_copy_entry;
	feed.mutate_data = copy;
	rb_test_assert_fails(&feed, a1 + 2, RB_STREAM_CHECK_ERROR_TOC, "A1 is sent 2 times");
	/* A1 A1 A1 A1 A2 A2: now A2's run is short, seen at the next entry */
	copy[0] = (RbTestCopyEntry){a1 + 3, 1, a1};
	rb_test_assert_fails(&feed, a1 + 6, RB_STREAM_CHECK_ERROR_TOC, "A2 is sent 2 times");

	/* the last run before -150 may be cut: X X X Y Y Y becomes X X X X Z Z */
	ck_assert_uint_ne(rb_test_point(stream, -154), rb_test_point(stream, -153));
	ck_assert_uint_eq(rb_test_point(stream, -153), rb_test_point(stream, -151));
	copy[0] = (RbTestCopyEntry){-153, 1, -154};
	copy[1] = (RbTestCopyEntry){-152, 2, rb_test_find_other(stream, -154, -153)};
	rb_test_assert_passes(&feed);
	/* but not in the middle: W W W X X X Y Y Y becomes W W W W Z Z Y Y Y */
	ck_assert_uint_ne(rb_test_point(stream, -157), rb_test_point(stream, -156));
	copy[0] = (RbTestCopyEntry){-156, 1, -157};
	copy[1] = (RbTestCopyEntry){-155, 2, rb_test_find_other(stream, -157, -153)};
	rb_test_assert_fails(&feed, -153, RB_STREAM_CHECK_ERROR_TOC, "sent 2 times");
}
END_TEST

START_TEST(test_inconsistent_entry)
{
	g_autoptr(RbDaoStream) stream = rb_test_stream_new(RB_TEST_LEADIN_DEFAULT, 3, 3);
	RbTestFeed feed = rb_test_feed_init(RB_TEST_LEADIN_DEFAULT, 3, 3);
	gint32 a1 = rb_test_find_run(stream, -20000, RB_SUBQ_POINT_LAST_TRACK);
	RbTestFlip flip = {a1 + 1, 7, 0x01, TRUE}; /* A1 names track 02 once */

	feed.mutate = rb_test_mutate_flip;
	feed.mutate_data = &flip;
	rb_test_assert_fails(&feed, a1 + 1, RB_STREAM_CHECK_ERROR_TOC, "POINT A1");
	/* CTL counts too */
	flip = (RbTestFlip){a1, 0, 0x40, TRUE};
	rb_test_assert_fails(&feed, a1, RB_STREAM_CHECK_ERROR_TOC, "inconsistent");
}
END_TEST

/* every lead-in frame of POINT 02 replaced by @data's entry */
static void
rb_test_mutate_missing(const RbDaoStream *stream, gint32 lba, guint8 *sector, gconstpointer data)
{
	if (lba < RB_TEST_PREGAP_START && rb_test_point(stream, lba) == 0x02)
		rb_test_mutate_copy_entry(stream, lba, sector, data);
}

/* track 2 missing from every cycle: found when the lead-in ends */
START_TEST(test_missing_entry)
{
	g_autoptr(RbDaoStream) stream = rb_test_stream_new(RB_TEST_LEADIN_ATIP, 3, 3);
	RbTestFeed feed = rb_test_feed_init(RB_TEST_LEADIN_ATIP, 3, 3);
	RbTestCopyEntry copy[2] = {{RB_TEST_LEADIN_ATIP,
				    RB_TEST_PREGAP_START - RB_TEST_LEADIN_ATIP,
				    rb_test_find_run(stream, RB_TEST_LEADIN_ATIP + 1, 0x01)}};
	RbTestFeed short_feed;

	/* by track 1's entry, which makes its runs 6 frames long */
	feed.mutate = rb_test_mutate_missing;
	feed.mutate_data = copy;
	rb_test_assert_fails(&feed, RB_TEST_PREGAP_START, RB_STREAM_CHECK_ERROR_TOC, "POINT 02");

	/* less than a cycle of lead-in proves nothing missing */
	short_feed = feed;
	short_feed.feed_from = -160;
	rb_test_assert_passes(&short_feed);
}
END_TEST

/* every lead-in frame of @point gets the P-fields @p */
typedef struct {
	guint8 point;
	guint8 p[3];
} RbTestEntry;

static void
rb_test_mutate_entry(const RbDaoStream *stream, gint32 lba, guint8 *sector, gconstpointer data)
{
	const RbTestEntry *entry = data;
	guint dbt = rb_dao_stream_get_data_block_type(stream);
	guint8 q[RB_SUBQ_SIZE];

	if (lba >= RB_TEST_PREGAP_START || rb_test_point(stream, lba) != entry->point)
		return;
	rb_test_get_q(dbt, sector, q);
	memcpy(q + 7, entry->p, sizeof(entry->p));
	rb_test_set_q(dbt, sector, q, TRUE);
}

/* the first lead-in LBA from @lba on with POINT @point */
static gint32
rb_test_first(const RbDaoStream *stream, gint32 lba, guint8 point)
{
	while (rb_test_point(stream, lba) != point)
		lba++;
	return lba;
}

/* a TOC that is the same every cycle but wrong in itself */
START_TEST(test_toc_order)
{
	g_autoptr(RbDaoStream) stream = rb_test_stream_new(RB_TEST_LEADIN_ATIP, 3, 3);
	RbTestFeed feed = rb_test_feed_init(RB_TEST_LEADIN_ATIP, 3, 3);
	gint32 first_02 = rb_test_first(stream, RB_TEST_LEADIN_ATIP, 0x02);
	gint32 first_03 = rb_test_first(stream, RB_TEST_LEADIN_ATIP, 0x03);
	gint32 first_a0 = rb_test_first(stream, RB_TEST_LEADIN_ATIP, RB_SUBQ_POINT_FIRST_TRACK);
	gint32 first_a1 = rb_test_first(stream, RB_TEST_LEADIN_ATIP, RB_SUBQ_POINT_LAST_TRACK);
	gint32 first_a2 = rb_test_first(stream, RB_TEST_LEADIN_ATIP, RB_SUBQ_POINT_LEADOUT);
	gint32 track_01 = rb_test_first(stream, RB_TEST_LEADIN_ATIP, 0x01);
	RbTestEntry entry = {0x02, {0x00, 0x01, 0x00}}; /* track 2 at LBA -75 */

	feed.mutate = rb_test_mutate_entry;
	feed.mutate_data = &entry;
	rb_test_assert_fails(
		&feed, MAX(first_02, track_01), RB_STREAM_CHECK_ERROR_TOC, "not after track 01");
	/* A1 says 2 tracks, but track 3 is listed */
	entry = (RbTestEntry){RB_SUBQ_POINT_LAST_TRACK, {0x02, 0x00, 0x00}};
	rb_test_assert_fails(&feed,
			     MAX(first_03, first_a1),
			     RB_STREAM_CHECK_ERROR_TOC,
			     "outside tracks 01 to 02");
	/* A0 says the first track is 4, A1 the last is 3 */
	entry = (RbTestEntry){RB_SUBQ_POINT_FIRST_TRACK, {0x04, 0x00, 0x00}};
	rb_test_assert_fails(&feed,
			     MAX(first_a0, track_01),
			     RB_STREAM_CHECK_ERROR_TOC,
			     "outside tracks 04 to 99");
	/* from A0 on, A1 comes before any track */
	feed.feed_from = rb_test_find_run(stream, first_a0 + 1, RB_SUBQ_POINT_FIRST_TRACK);
	rb_test_assert_fails(&feed,
			     rb_test_first(stream, feed.feed_from, RB_SUBQ_POINT_LAST_TRACK),
			     RB_STREAM_CHECK_ERROR_TOC,
			     "first track 04 (A0) comes after its last track 03 (A1)");
	feed.feed_from = 0;
	/* a disc type that is not 00, 10 or 20 */
	entry = (RbTestEntry){RB_SUBQ_POINT_FIRST_TRACK, {0x01, 0x30, 0x00}};
	rb_test_assert_fails(&feed, first_a0, RB_STREAM_CHECK_ERROR_Q_MODE, NULL);
	/* the lead-out at 00:10:00 (LBA 600), before track 3 at 750 */
	entry = (RbTestEntry){RB_SUBQ_POINT_LEADOUT, {0x00, 0x10, 0x00}};
	rb_test_assert_fails(&feed,
			     MAX(first_03, first_a2),
			     RB_STREAM_CHECK_ERROR_TOC,
			     "not before its lead-out");
	/* CD-ROM XA is a disc type too */
	entry = (RbTestEntry){RB_SUBQ_POINT_FIRST_TRACK, {0x01, 0x20, 0x00}};
	rb_test_assert_passes(&feed);
}
END_TEST

/* a TOC that is right in itself but not where the program area says */
START_TEST(test_toc_against_program_area)
{
	RbTestFeed feed = rb_test_feed_init(RB_TEST_LEADIN_ATIP, 3, _i == 0 ? 1 : 3);
	RbTestEntry entry = {0x02, {0x00, 0x08, 0x01}}; /* 451, one after track 2's start */

	feed.mutate = rb_test_mutate_entry;
	feed.mutate_data = &entry;
	rb_test_assert_fails(&feed, 450, RB_STREAM_CHECK_ERROR_TOC, "the lead-in TOC says LBA 451");
	entry.p[2] = 0x74; /* 449: the start comes too late */
	entry.p[1] = 0x07;
	rb_test_assert_fails(&feed, 450, RB_STREAM_CHECK_ERROR_TOC, "LBA 449");
	/* the lead-out at 1051 (00:14:01) */
	entry = (RbTestEntry){RB_SUBQ_POINT_LEADOUT, {0x00, 0x14, 0x01}};
	rb_test_assert_fails(&feed, 1050, RB_STREAM_CHECK_ERROR_TOC, "lead-out starts here");
	/* without the lead-in nothing is known of the TOC */
	feed.feed_from = RB_TEST_PREGAP_START;
	rb_test_assert_passes(&feed);
}
END_TEST

/* a track the complete TOC does not list */
START_TEST(test_track_not_in_toc)
{
	RbTestFeed feed = rb_test_feed_init(RB_TEST_LEADIN_DEFAULT, 3, 3);
	RbTestSet set = {900, 1, 0x04}; /* TNO 04 INDEX 01, inside track 3 */

	feed.mutate = rb_test_mutate_set;
	feed.mutate_data = &set;
	rb_test_assert_fails(&feed, 900, RB_STREAM_CHECK_ERROR_TOC, "does not list it");
}
END_TEST

/* every program-area sector of track @from made one of track @to */
typedef struct {
	guint8 from;
	guint8 to;
} RbTestRenumber;

static void
rb_test_mutate_renumber(const RbDaoStream *stream, gint32 lba, guint8 *sector, gconstpointer data)
{
	const RbTestRenumber *renumber = data;
	guint dbt = rb_dao_stream_get_data_block_type(stream);
	guint8 q[RB_SUBQ_SIZE];

	if (lba < RB_TEST_PREGAP_START)
		return;
	rb_test_get_q(dbt, sector, q);
	if ((q[0] & 0x0F) != RB_SUBQ_ADR_POSITION || q[1] != renumber->from)
		return;
	q[1] = renumber->to;
	rb_test_set_q(dbt, sector, q, TRUE);
}

/*
 * A TOC listing a track the program area never starts: tracks 1 to 3 in the
 * lead-in, tracks 1 and 2 after it (track 3's sectors say track 2), the
 * lead-out where A2 says. Only the lead-out can show it.
 */
START_TEST(test_toc_track_never_starts)
{
	RbTestFeed feed = rb_test_feed_init(RB_TEST_LEADIN_ATIP, 3, _i == 0 ? 1 : 3);
	RbTestRenumber renumber = {0x03, 0x02};

	feed.mutate = rb_test_mutate_renumber;
	feed.mutate_data = &renumber;
	rb_test_assert_fails(&feed, 1050, RB_STREAM_CHECK_ERROR_TOC, "track 03");
	rb_test_assert_fails(&feed, 1050, RB_STREAM_CHECK_ERROR_TOC, "LBA 750, never started");
	rb_test_assert_fails(
		&feed, 1050, RB_STREAM_CHECK_ERROR_TOC, "TOC does not match its program area");
	/* without the lead-in nothing is known of the TOC */
	feed.feed_from = RB_TEST_PREGAP_START;
	rb_test_assert_passes(&feed);
}
END_TEST

START_TEST(test_finish)
{
	RbTestFeed feed = rb_test_feed_init(RB_TEST_LEADIN_ATIP, 3, 3);

	feed.feed_to = 100;
	rb_test_assert_fails(
		&feed, 100, RB_STREAM_CHECK_ERROR_TOC, "before its lead-out at LBA 1050");
	feed.feed_to = -5000;
	rb_test_assert_fails(&feed, -5000, RB_STREAM_CHECK_ERROR_TOC, "cut short");
	/* the whole lead-out need not be there, only its start */
	feed.feed_to = 1051;
	rb_test_assert_passes(&feed);
	/* without the lead-in the lead-out's place is not known */
	feed.feed_from = RB_TEST_PREGAP_START;
	feed.feed_to = 100;
	rb_test_assert_passes(&feed);
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("stream-check");
	TCase *tc_pass = tcase_create("pass");
	TCase *tc_q = tcase_create("q");
	TCase *tc_address = tcase_create("address");
	TCase *tc_toc = tcase_create("toc");

	/* whole streams: slow under AddressSanitizer */
	tcase_set_timeout(tc_pass, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_loop_test(tc_pass, test_generated_streams_pass, 0, RB_TEST_N_STREAMS);
	tcase_add_test(tc_pass, test_trimmed_stream_passes);
	tcase_add_test(tc_pass, test_first_run_of_one_passes);
	suite_add_tcase(suite, tc_pass);

	tcase_set_timeout(tc_q, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_loop_test(tc_q, test_all_zero_stream_fails, 0, 2);
	tcase_add_loop_test(tc_q, test_bad_crc_in_leadin, 0, 2);
	tcase_add_test(tc_q, test_plain_crc);
	tcase_add_test(tc_q, test_q_modes);
	tcase_add_loop_test(tc_q, test_not_bcd, 0, 2);
	suite_add_tcase(suite, tc_q);

	tcase_set_timeout(tc_address, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_loop_test(tc_address, test_wrong_absolute_time, 0, 2);
	tcase_add_test(tc_address, test_wrong_leadin_length);
	tcase_add_loop_test(tc_address, test_relative_running_time, 0, 2);
	tcase_add_test(tc_address, test_wrong_leadin_length_relative);
	suite_add_tcase(suite, tc_address);

	tcase_set_timeout(tc_toc, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_test(tc_toc, test_a2_past_the_disc);
	tcase_add_test(tc_toc, test_short_run);
	tcase_add_test(tc_toc, test_inconsistent_entry);
	tcase_add_test(tc_toc, test_missing_entry);
	tcase_add_test(tc_toc, test_toc_order);
	tcase_add_loop_test(tc_toc, test_toc_against_program_area, 0, 2);
	tcase_add_test(tc_toc, test_track_not_in_toc);
	tcase_add_loop_test(tc_toc, test_toc_track_never_starts, 0, 2);
	tcase_add_test(tc_toc, test_finish);
	suite_add_tcase(suite, tc_toc);

	return rb_test_run_suite(suite);
}
