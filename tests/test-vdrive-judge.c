/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The emulated recorder as a judge: a valid two-track disc (a pregap before
 * track 2, optionally MCN and ISRC frames and lead-in CD-TEXT) is corrupted
 * in one precise way, burned, and the report must count exactly that, name
 * its place, and nothing else. The valid disc itself must count nothing.
 */
#include "config.h"

#include <string.h>

#include "rb-dao-stream.h"
#include "rb-msf.h"
#include "rb-subchannel.h"
#include "rb-test-service.h"
#include "rb-vdrive-test.h"

#define RB_LEADIN (-11634)
#define RB_CHUNK 26
/* track 1 at 0-299, track 2's pause 300-449, track 2 at 450-749, lead-out from 750 */
#define RB_TRACK2_PAUSE 300
#define RB_TRACK2 450
#define RB_LEADOUT 750
/* test-only MCN/ISRC schedule, every 90 frames, away from every transition */
#define RB_CODE_PERIOD 90
#define RB_MCN_PHASE 30
#define RB_ISRC_PHASE 75
#define RB_CDTEXT_PACK 18

static guint8
rb_bcd(guint value)
{
	return (guint8)(((value / 10) << 4) | (value % 10));
}

static guint
rb_unbcd(guint8 bcd)
{
	return (bcd >> 4) * 10 + (bcd & 0x0F);
}

static guint
rb_q_frames(const guint8 *msf)
{
	return (rb_unbcd(msf[0]) * 60 + rb_unbcd(msf[1])) * 75 + rb_unbcd(msf[2]);
}

static void
rb_q_set_frames(guint8 *msf, guint frames)
{
	msf[0] = rb_bcd(frames / 4500);
	msf[1] = rb_bcd(frames / 75 % 60);
	msf[2] = rb_bcd(frames % 75);
}

/* --- the test disc -------------------------------------------------------------------- */

typedef enum {
	RB_JUDGE_VALID,
	RB_JUDGE_RELATIVE_TRACK,
	RB_JUDGE_RELATIVE_PAUSE,
	RB_JUDGE_RELATIVE_MANY,
	RB_JUDGE_TNO_BACKWARDS,
	RB_JUDGE_TNO_SKIPPED,
	RB_JUDGE_INDEX_SKIPPED,
	RB_JUDGE_INDEX_BACKWARDS,
	RB_JUDGE_P_ALL_ZERO,
	RB_JUDGE_P_LEADIN,
	RB_JUDGE_P_MIXED,
	RB_JUDGE_P_TRACK,
	RB_JUDGE_P_LEADOUT_CONSTANT,
	RB_JUDGE_MCN_BAD_DIGIT,
	RB_JUDGE_ISRC_BAD_FORMAT,
	RB_JUDGE_ISRC_CHANGES,
	RB_JUDGE_ISRC_TOO_RARE,
	RB_JUDGE_MCN_TOO_RARE,
	RB_JUDGE_MODE1_TOO_RARE,
	RB_JUDGE_ISRC_IN_LEADOUT,
	RB_JUDGE_CDTEXT_BAD_CRC,
} RbJudgeCorruption;

/* 13 digits, the last one EAN-13's check digit */
static const gchar rb_mcn[] = "4006381333931";
static const gchar *const rb_isrc[] = {"DEXXX0012345", "DEXXX0012346"};

static void
rb_encode_mcn(guint8 q[RB_SUBQ_SIZE], gint32 lba)
{
	memset(q, 0, RB_SUBQ_SIZE);
	q[0] = RB_SUBQ_ADR_MCN;
	for (guint n = 0; n < 13; n++)
		q[1 + n / 2] |= (guint8)((rb_mcn[n] - '0') << (n % 2 == 0 ? 4 : 0));
	q[9] = rb_bcd((guint)(lba + 150) % 75);
	rb_subq_set_crc(q);
}

static guint8
rb_isrc_char(gchar c)
{
	return (guint8)(g_ascii_isdigit(c) ? c - '0' : c - 'A' + 0x11);
}

static void
rb_encode_isrc(guint8 q[RB_SUBQ_SIZE], gint32 lba, const gchar *isrc)
{
	guint64 bits = 0;

	memset(q, 0, RB_SUBQ_SIZE);
	q[0] = RB_SUBQ_ADR_ISRC;
	/* five 6-bit characters and 2 zero bits */
	for (guint i = 0; i < 5; i++)
		bits = (bits << 6) | rb_isrc_char(isrc[i]);
	bits <<= 2;
	for (guint i = 0; i < 4; i++)
		q[1 + i] = (guint8)(bits >> (24 - 8 * i));
	for (guint n = 0; n < 7; n++)
		q[5 + n / 2] |= (guint8)((isrc[5 + n] - '0') << (n % 2 == 0 ? 4 : 0));
	q[9] = rb_bcd((guint)(lba + 150) % 75);
	rb_subq_set_crc(q);
}

/* 4 CD-TEXT packs of 18 bytes as 96 six-bit R-W symbols (mmc-notes §8.1) */
static void
rb_put_cdtext(guint8 *pw, gint32 lba, gboolean bad_crc)
{
	guint8 packs[4 * RB_CDTEXT_PACK];

	for (guint n = 0; n < 4; n++) {
		guint8 *pack = packs + n * RB_CDTEXT_PACK;
		guint16 crc;

		pack[0] = (guint8)(0x80 + n % 2);
		pack[1] = 0;
		/* a set of 256 packs, each sequence number with one content,
		 * repeated cyclically as a lead-in carries CD-TEXT */
		pack[2] = (guint8)(((guint)lba * 4 + n) & 0xFF);
		pack[3] = 0;
		for (guint i = 4; i < 16; i++)
			pack[i] = (guint8)('A' + (i + n) % 26);
		crc = (guint16)~rb_cd_crc16(pack, 16);
		if (bad_crc && n == 2)
			crc ^= 0x0100;
		pack[16] = (guint8)(crc >> 8);
		pack[17] = (guint8)crc;
	}
	for (guint i = 0; i < 24; i++) {
		const guint8 *b = packs + 3 * i;
		pw[4 * i] |= b[0] >> 2;
		pw[4 * i + 1] |= (guint8)(((b[0] & 0x03) << 4) | (b[1] >> 4));
		pw[4 * i + 2] |= (guint8)(((b[1] & 0x0F) << 2) | (b[2] >> 6));
		pw[4 * i + 3] |= b[2] & 0x3F;
	}
}

typedef struct {
	RbJudgeCorruption corruption;
	gboolean codes;  /* MCN and ISRC frames in the program area */
	gboolean cdtext; /* CD-TEXT packs in the lead-in */
} RbJudgeDisc;

static gboolean
rb_is_code_frame(gint32 lba, guint phase)
{
	return lba >= -150 && lba < RB_LEADOUT && (guint)(lba + 150) % RB_CODE_PERIOD == phase;
}

/* the corruption of Q, with its CRC kept right so that it reaches its own counter */
static void
rb_corrupt_q(RbJudgeCorruption corruption, gint32 lba, guint8 q[RB_SUBQ_SIZE])
{
	switch (corruption) {
	case RB_JUDGE_RELATIVE_TRACK:
		if (lba == 100)
			rb_q_set_frames(q + 3, rb_q_frames(q + 3) + 2);
		break;
	case RB_JUDGE_RELATIVE_PAUSE:
		if (lba == 350)
			rb_q_set_frames(q + 3, rb_q_frames(q + 3) + 3);
		break;
	case RB_JUDGE_RELATIVE_MANY:
		if (lba >= 100 && lba < 140 && (q[0] & 0x0F) == RB_SUBQ_ADR_POSITION)
			rb_q_set_frames(q + 3, rb_q_frames(q + 3) + 1);
		break;
	case RB_JUDGE_TNO_BACKWARDS:
		if (lba == 500)
			q[1] = 0x01;
		break;
	case RB_JUDGE_TNO_SKIPPED:
		/* track 2 becomes 3, in the TOC too: only the sequence is wrong */
		if (lba >= RB_TRACK2_PAUSE && q[1] == 0x02)
			q[1] = 0x03;
		if (lba < -150 && q[2] == 0x02)
			q[2] = 0x03;
		if (lba < -150 && q[2] == RB_SUBQ_POINT_LAST_TRACK)
			q[7] = 0x03;
		break;
	case RB_JUDGE_INDEX_SKIPPED:
		if (lba == 200)
			q[2] = 0x03;
		break;
	case RB_JUDGE_INDEX_BACKWARDS:
		if (lba == 500)
			q[2] = 0x00;
		break;
	case RB_JUDGE_MCN_BAD_DIGIT:
		if (lba == 150)
			q[3] = (guint8)((q[3] & 0x0F) | 0xA0);
		break;
	case RB_JUDGE_ISRC_BAD_FORMAT:
		if (lba == 105)
			q[1] |= 0xFC; /* character 1 = 3Fh */
		break;
	case RB_JUDGE_ISRC_CHANGES:
		if (lba == 105)
			rb_encode_isrc(q, lba, rb_isrc[1]);
		break;
	case RB_JUDGE_ISRC_IN_LEADOUT:
		if (lba == 800)
			rb_encode_isrc(q, lba, rb_isrc[1]);
		break;
	case RB_JUDGE_MODE1_TOO_RARE:
		/* 5 frames after the MCN at 60 */
		if (lba == 65)
			rb_encode_isrc(q, lba, rb_isrc[0]);
		break;
	default:
		break;
	}
	rb_subq_set_crc(q);
}

static gboolean
rb_corrupt_p(RbJudgeCorruption corruption, gint32 lba, gboolean p)
{
	switch (corruption) {
	case RB_JUDGE_P_ALL_ZERO:
		return FALSE;
	case RB_JUDGE_P_LEADIN:
		return p || lba == -5000;
	case RB_JUDGE_P_TRACK:
		return p || (lba >= 120 && lba < 125);
	case RB_JUDGE_P_LEADOUT_CONSTANT:
		return lba >= RB_LEADOUT ? TRUE : p;
	default:
		return p;
	}
}

static void
rb_judge_sector(const RbJudgeDisc *disc, RbDaoStream *stream, gint32 lba, guint8 *sector)
{
	guint8 *pw = sector + RB_CD_MAIN_SIZE;
	guint8 q[RB_SUBQ_SIZE];
	gboolean p;
	RbJudgeCorruption c = disc->corruption;

	ck_assert(rb_dao_stream_get_sector(stream, lba, sector, NULL));
	rb_subchannel_pw_get_q(pw, q);
	p = rb_subchannel_pw_get_p(pw);
	if (disc->codes) {
		guint track = lba < RB_TRACK2_PAUSE ? 0 : 1;
		if (rb_is_code_frame(lba, RB_MCN_PHASE) &&
		    !(c == RB_JUDGE_MCN_TOO_RARE && lba == 150))
			rb_encode_mcn(q, lba);
		if (rb_is_code_frame(lba, RB_ISRC_PHASE) &&
		    !(c == RB_JUDGE_ISRC_TOO_RARE && lba == 105))
			rb_encode_isrc(q, lba, rb_isrc[track]);
	}
	rb_corrupt_q(c, lba, q);
	rb_subchannel_pw_build(q, rb_corrupt_p(c, lba, p), pw);
	if (c == RB_JUDGE_P_MIXED && lba == 100) {
		pw[3] |= 0x80;
		pw[40] |= 0x80;
		pw[95] |= 0x80;
	}
	if (disc->cdtext && lba < -150)
		rb_put_cdtext(pw, lba, c == RB_JUDGE_CDTEXT_BAD_CRC && lba == -5000);
}

/* burns @disc and reads the drive's report; the drive goes to @out_drive
 * when it is not NULL */
static void
rb_judge_burn(const RbJudgeDisc *disc,
	      guint8 block_type,
	      RbVdriveReport *report,
	      RbVdrive **out_drive)
{
	g_autoptr(RbVdrive) drive = rb_vdrive_test_new_raw(block_type);
	const RbDaoTrack tracks[] = {{0, RB_TRACK2_PAUSE}, {RB_TRACK2, RB_LEADOUT - RB_TRACK2}};
	g_autoptr(GError) error = NULL;
	g_autoptr(RbDaoStream) stream = rb_dao_stream_new(RB_LEADIN,
							  tracks,
							  G_N_ELEMENTS(tracks),
							  RB_DATA_BLOCK_TYPE_RAW_PW,
							  NULL,
							  NULL,
							  NULL,
							  &error);
	gsize size = rb_data_block_type_get_sector_size(block_type);
	g_autofree guint8 *buf = g_malloc(RB_CHUNK * size);
	gint32 end = rb_dao_stream_get_end_lba(stream);
	const guint8 sync[10] = {RB_MMC_SYNCHRONIZE_CACHE};

	ck_assert_msg(stream != NULL, "%s", error ? error->message : "");
	ck_assert_int_eq(rb_dao_stream_get_leadout_start(stream), RB_LEADOUT);
	for (gint32 lba = RB_LEADIN; lba < end;) {
		guint n = (guint)MIN(RB_CHUNK, end - lba);
		guint8 wr[10] = {RB_MMC_WRITE_10};

		for (guint i = 0; i < n; i++) {
			guint8 sector[2448];
			guint8 *out = buf + i * size;

			rb_judge_sector(disc, stream, lba + (gint32)i, sector);
			memcpy(out, sector, RB_CD_MAIN_SIZE);
			if (block_type == RB_DATA_BLOCK_TYPE_RAW_PQ) {
				guint8 q[RB_SUBQ_SIZE];
				rb_subchannel_pw_get_q(sector + RB_CD_MAIN_SIZE, q);
				rb_subchannel_pq_build(
					q,
					rb_subchannel_pw_get_p(sector + RB_CD_MAIN_SIZE),
					out + RB_CD_MAIN_SIZE);
			} else {
				memcpy(out + RB_CD_MAIN_SIZE, sector + RB_CD_MAIN_SIZE, 96);
			}
		}
		wr[2] = (guint8)((guint32)lba >> 24);
		wr[3] = (guint8)((guint32)lba >> 16);
		wr[4] = (guint8)((guint32)lba >> 8);
		wr[5] = (guint8)lba;
		wr[8] = (guint8)n;
		rb_assert_good(rb_cmd(drive, wr, sizeof(wr), RB_MMC_DIR_OUT, buf, n * size));
		lba += (gint32)n;
	}
	rb_assert_good(rb_cmd(drive, sync, sizeof(sync), RB_MMC_DIR_NONE, NULL, 0));
	rb_vdrive_get_report(drive, report);
	if (out_drive != NULL)
		*out_drive = g_steal_pointer(&drive);
}

/* --- what each corruption must count, and nothing else ------------------------------- */

typedef struct {
	guint relative;
	guint sequence;
	guint p[RB_VDRIVE_P_KINDS];
	guint mcn_isrc;
	guint cdtext;
} RbJudgeCounts;

typedef struct {
	const gchar *name;
	RbJudgeDisc disc;
	RbJudgeCounts count; /* the new counters; every other stays 0 */
	gint32 lba;          /* the first problem */
	const gchar *kind;
	const gchar *detail; /* a part of its text, or NULL */
} RbJudgeCase;

static const RbJudgeCase rb_judge_cases[] = {
	{.name = "relative time in a track",
	 .disc = {RB_JUDGE_RELATIVE_TRACK, FALSE, FALSE},
	 .count = {.relative = 1},
	 .lba = 100,
	 .kind = "relative-time",
	 .detail = "relative time 00:01:27, expected 00:01:25"},
	{.name = "relative time in a pause",
	 .disc = {RB_JUDGE_RELATIVE_PAUSE, FALSE, FALSE},
	 .count = {.relative = 1},
	 .lba = 350,
	 .kind = "relative-time",
	 .detail = "relative time 00:01:28, expected 00:01:25"},
	{.name = "relative time in 40 sectors",
	 .disc = {RB_JUDGE_RELATIVE_MANY, TRUE, FALSE},
	 .count = {.relative = 39},
	 .lba = 100,
	 .kind = "relative-time",
	 .detail = NULL},
	{.name = "TNO 01 inside track 2",
	 .disc = {RB_JUDGE_TNO_BACKWARDS, FALSE, FALSE},
	 .count = {.sequence = 1},
	 .lba = 500,
	 .kind = "sequence",
	 .detail = "TNO 01 index 01 after TNO 02 index 01"},
	{.name = "track 2 numbered 3",
	 .disc = {RB_JUDGE_TNO_SKIPPED, FALSE, FALSE},
	 .count = {.sequence = 1},
	 .lba = RB_TRACK2_PAUSE,
	 .kind = "sequence",
	 .detail = "TNO 03 index 00 after TNO 01"},
	{.name = "index 3 after index 1",
	 .disc = {RB_JUDGE_INDEX_SKIPPED, FALSE, FALSE},
	 .count = {.sequence = 1},
	 .lba = 200,
	 .kind = "sequence",
	 .detail = "TNO 01 index 03 after TNO 01 index 01"},
	{.name = "index 0 after index 1",
	 .disc = {RB_JUDGE_INDEX_BACKWARDS, FALSE, FALSE},
	 .count = {.sequence = 1},
	 .lba = 500,
	 .kind = "sequence",
	 .detail = "TNO 02 index 00 after TNO 02 index 01"},
	{.name = "P all zero",
	 .disc = {RB_JUDGE_P_ALL_ZERO, FALSE, FALSE},
	 .count = {.p = {[RB_VDRIVE_P_PAUSE] = 2, [RB_VDRIVE_P_LEADOUT] = 1}},
	 .lba = -150,
	 .kind = "p-channel",
	 .detail = "pause: P = 0, expected 1"},
	{.name = "P = 1 in the lead-in",
	 .disc = {RB_JUDGE_P_LEADIN, FALSE, FALSE},
	 .count = {.p = {[RB_VDRIVE_P_LEADIN] = 1}},
	 .lba = -5000,
	 .kind = "p-channel",
	 .detail = "lead-in: P = 1, expected 0"},
	{.name = "mixed P in a sector",
	 .disc = {RB_JUDGE_P_MIXED, FALSE, FALSE},
	 .count = {.p = {[RB_VDRIVE_P_MIXED] = 1}},
	 .lba = 100,
	 .kind = "p-channel",
	 .detail = "3 of 96 P bits set"},
	{.name = "P = 1 inside a track",
	 .disc = {RB_JUDGE_P_TRACK, FALSE, FALSE},
	 .count = {.p = {[RB_VDRIVE_P_TRACK] = 1}},
	 .lba = 120,
	 .kind = "p-channel",
	 .detail = "P = 1 for 5 frames inside track 01"},
	{.name = "lead-out P constant",
	 .disc = {RB_JUDGE_P_LEADOUT_CONSTANT, FALSE, FALSE},
	 .count = {.p = {[RB_VDRIVE_P_LEADOUT] = 1}},
	 .lba = RB_LEADOUT + 150,
	 .kind = "p-channel",
	 .detail = "lead-out: P = 1 for more"},
	{.name = "MCN with a bad digit",
	 .disc = {RB_JUDGE_MCN_BAD_DIGIT, TRUE, FALSE},
	 .count = {.mcn_isrc = 1},
	 .lba = 150,
	 .kind = "mcn-isrc",
	 .detail = "MCN digit 5 is Ah"},
	{.name = "ISRC with a bad character",
	 .disc = {RB_JUDGE_ISRC_BAD_FORMAT, TRUE, FALSE},
	 .count = {.mcn_isrc = 1},
	 .lba = 105,
	 .kind = "mcn-isrc",
	 .detail = "ISRC character 1 is 3Fh"},
	{.name = "ISRC changing inside a track",
	 .disc = {RB_JUDGE_ISRC_CHANGES, TRUE, FALSE},
	 .count = {.mcn_isrc = 1},
	 .lba = 105,
	 .kind = "mcn-isrc",
	 .detail = "ISRC DEXXX0012346 in track 01, expected DEXXX0012345"},
	{.name = "ISRC 180 frames apart",
	 .disc = {RB_JUDGE_ISRC_TOO_RARE, TRUE, FALSE},
	 .count = {.mcn_isrc = 1},
	 .lba = 195,
	 .kind = "mcn-isrc",
	 .detail = "no ISRC in the 179 frames before"},
	{.name = "MCN 180 frames apart",
	 .disc = {RB_JUDGE_MCN_TOO_RARE, TRUE, FALSE},
	 .count = {.mcn_isrc = 1},
	 .lba = 240,
	 .kind = "mcn-isrc",
	 .detail = "no MCN in the 179 frames before"},
	{.name = "MCN and ISRC in 2 of 10 frames",
	 .disc = {RB_JUDGE_MODE1_TOO_RARE, TRUE, FALSE},
	 .count = {.mcn_isrc = 1},
	 .lba = 65,
	 .kind = "mcn-isrc",
	 .detail = "Q mode 3 5 frames after another mode"},
	{.name = "ISRC in the lead-out",
	 .disc = {RB_JUDGE_ISRC_IN_LEADOUT, TRUE, FALSE},
	 .count = {.mcn_isrc = 1},
	 .lba = 800,
	 .kind = "mcn-isrc",
	 .detail = "ISRC in the lead-out"},
	{.name = "CD-TEXT pack with a bad CRC",
	 .disc = {RB_JUDGE_CDTEXT_BAD_CRC, FALSE, TRUE},
	 .count = {.cdtext = 1},
	 .lba = -5000,
	 .kind = "cd-text",
	 .detail = "pack 3 CRC"},
};

static void
rb_assert_old_counters_clean(const RbVdriveReport *report)
{
	ck_assert_uint_eq(report->bad_q_crc, 0);
	ck_assert_uint_eq(report->address_mismatches, 0);
	ck_assert_uint_eq(report->toc_mismatches, 0);
	ck_assert_uint_eq(report->toc_short_runs, 0);
	ck_assert(report->complete);
}

START_TEST(test_judge_catches)
{
	const RbJudgeCase *jc = &rb_judge_cases[_i];
	RbVdriveReport report;
	guint p_sum = 0;

	rb_judge_burn(&jc->disc, RB_DATA_BLOCK_TYPE_RAW_PW, &report, NULL);
	rb_assert_old_counters_clean(&report);
	ck_assert_msg(report.relative_time_mismatches == jc->count.relative,
		      "%s: relative %u",
		      jc->name,
		      report.relative_time_mismatches);
	ck_assert_msg(report.sequence_errors == jc->count.sequence,
		      "%s: sequence %u",
		      jc->name,
		      report.sequence_errors);
	for (guint kind = 0; kind < RB_VDRIVE_P_KINDS; kind++) {
		ck_assert_msg(report.p_by_kind[kind] == jc->count.p[kind],
			      "%s: P %s %u",
			      jc->name,
			      rb_vdrive_p_kind_to_string((RbVdrivePKind)kind),
			      report.p_by_kind[kind]);
		p_sum += jc->count.p[kind];
	}
	ck_assert_uint_eq(report.p_channel_mismatches, p_sum);
	ck_assert_msg(report.mcn_isrc_errors == jc->count.mcn_isrc,
		      "%s: MCN/ISRC %u",
		      jc->name,
		      report.mcn_isrc_errors);
	ck_assert_uint_eq(report.cdtext_crc_errors, jc->count.cdtext);
	/* 20 inserted frames: MCN and ISRC every 90 over 900 */
	if (jc->disc.codes)
		ck_assert_uint_eq(report.mcn_isrc_frames,
				  jc->disc.corruption == RB_JUDGE_MCN_TOO_RARE ||
						  jc->disc.corruption == RB_JUDGE_ISRC_TOO_RARE
					  ? 19
				  : jc->disc.corruption == RB_JUDGE_MODE1_TOO_RARE ||
						  jc->disc.corruption == RB_JUDGE_ISRC_IN_LEADOUT
					  ? 21
					  : 20);
	else
		ck_assert_uint_eq(report.mcn_isrc_frames, 0);
	ck_assert_uint_eq(report.cdtext_packs, jc->disc.cdtext ? 4 * (-150 - RB_LEADIN) : 0);

	ck_assert_uint_ge(report.n_problems, 1);
	ck_assert_msg(report.problems[0].lba == jc->lba,
		      "%s: first problem at %d: %s",
		      jc->name,
		      report.problems[0].lba,
		      report.problems[0].detail);
	ck_assert_str_eq(report.problems[0].kind, jc->kind);
	if (jc->detail != NULL)
		ck_assert_msg(strstr(report.problems[0].detail, jc->detail) != NULL,
			      "%s: \"%s\"",
			      jc->name,
			      report.problems[0].detail);
}
END_TEST

/* the problems are the first ones by LBA, at most 16 of them */
START_TEST(test_judge_first_problems)
{
	const RbJudgeDisc many = {RB_JUDGE_RELATIVE_MANY, TRUE, FALSE};
	const RbJudgeDisc p_zero = {RB_JUDGE_P_ALL_ZERO, FALSE, FALSE};
	RbVdriveReport report;
	gint32 lba = 100;

	rb_judge_burn(&many, RB_DATA_BLOCK_TYPE_RAW_PW, &report, NULL);
	ck_assert_uint_eq(report.n_problems, 16);
	for (guint i = 0; i < 16; i++, lba++) {
		/* LBA 105 carries an ISRC, no relative time */
		if (lba == 105)
			lba++;
		ck_assert_int_eq(report.problems[i].lba, lba);
		ck_assert_str_eq(report.problems[i].kind, "relative-time");
	}

	/* a lead-out run is judged 150 frames late, and still comes in LBA order */
	rb_judge_burn(&p_zero, RB_DATA_BLOCK_TYPE_RAW_PW, &report, NULL);
	ck_assert_uint_eq(report.n_problems, 3);
	ck_assert_int_eq(report.problems[0].lba, -150);
	ck_assert_int_eq(report.problems[1].lba, RB_TRACK2_PAUSE);
	ck_assert_int_eq(report.problems[2].lba, RB_LEADOUT + 150);
	ck_assert_str_eq(report.problems[2].detail,
			 "lead-out: P = 0 for more than 150 frames, expected it to alternate");
}
END_TEST

/* no false alarms: the valid disc in every block type, with and without codes */
START_TEST(test_judge_valid_disc)
{
	const RbJudgeDisc plain = {RB_JUDGE_VALID, FALSE, FALSE};
	const RbJudgeDisc full = {RB_JUDGE_VALID, TRUE, TRUE};
	RbVdriveReport report;

	for (guint8 dbt = 1; dbt <= 3; dbt++) {
		rb_judge_burn(dbt == 3 ? &full : &plain, dbt, &report, NULL);
		rb_assert_old_counters_clean(&report);
		ck_assert_uint_eq(report.tracks, 2);
		ck_assert_uint_eq(report.relative_time_mismatches, 0);
		ck_assert_uint_eq(report.sequence_errors, 0);
		ck_assert_uint_eq(report.p_channel_mismatches, 0);
		ck_assert_uint_eq(report.mcn_isrc_errors, 0);
		ck_assert_uint_eq(report.cdtext_crc_errors, 0);
		ck_assert_uint_eq(report.n_problems, 0);
		ck_assert_uint_eq(report.mcn_isrc_frames, dbt == 3 ? 20 : 0);
		ck_assert_uint_eq(report.cdtext_packs, dbt == 3 ? 4 * (-150 - RB_LEADIN) : 0);
	}
}
END_TEST

/* what the drive read from the Q channel comes back from READ SUB-CHANNEL
 * (formats 02h and 03h), digit for digit */
START_TEST(test_judge_codes_read_back)
{
	const RbJudgeDisc full = {RB_JUDGE_VALID, TRUE, TRUE};
	g_autoptr(RbVdrive) drive = NULL;
	RbVdriveReport report;
	guint8 mcn_cdb[10] = {RB_MMC_READ_SUB_CHANNEL, 0, 0x40, 0x02, 0, 0, 0, 0, 24};
	guint8 buf[24];

	rb_judge_burn(&full, RB_DATA_BLOCK_TYPE_RAW_PW, &report, &drive);
	ck_assert_uint_eq(report.mcn_isrc_errors, 0);
	rb_assert_good(rb_cmd(drive, mcn_cdb, sizeof(mcn_cdb), RB_MMC_DIR_IN, buf, sizeof(buf)));
	ck_assert_uint_eq(buf[8] & 0x80, 0x80);
	ck_assert(memcmp(buf + 9, rb_mcn, 13) == 0);
	for (guint track = 1; track <= 2; track++) {
		guint8 isrc_cdb[10] = {
			RB_MMC_READ_SUB_CHANNEL, 0, 0x40, 0x03, 0, 0, (guint8)track, 0, 24};

		rb_assert_good(
			rb_cmd(drive, isrc_cdb, sizeof(isrc_cdb), RB_MMC_DIR_IN, buf, sizeof(buf)));
		ck_assert_uint_eq(buf[8] & 0x80, 0x80);
		ck_assert_msg(memcmp(buf + 9, rb_isrc[track - 1], 12) == 0,
			      "track %u: %.12s",
			      track,
			      (const gchar *)buf + 9);
	}
}
END_TEST

START_TEST(test_judge_p_kind_names)
{
	const gchar *names[] = {"mixed", "lead-in", "pause", "track", "lead-out"};

	for (guint kind = 0; kind < RB_VDRIVE_P_KINDS; kind++)
		ck_assert_str_eq(rb_vdrive_p_kind_to_string((RbVdrivePKind)kind), names[kind]);
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("vdrive-judge");
	TCase *tc = tcase_create("vdrive-judge");

	tcase_set_timeout(tc, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_loop_test(tc, test_judge_catches, 0, G_N_ELEMENTS(rb_judge_cases));
	tcase_add_test(tc, test_judge_first_problems);
	tcase_add_test(tc, test_judge_valid_disc);
	tcase_add_test(tc, test_judge_codes_read_back);
	tcase_add_test(tc, test_judge_p_kind_names);
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
