/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How verification reads a disc the way real drives return it, over the
 * bus on a virtual recorder: a Q read with a broken CRC is unreadable, not
 * different, while a Q with a valid CRC that differs fails (an MCN frame
 * read as a position one does not); an unreadable sector is named; Burn's
 * read-back ends at the lead-out it wrote even when READ TOC is stale; a
 * drive refusing the pregap with 03/02/00 is read from LBA 0; an audio
 * sector that looks like a data sync is read back raw; StreamLeadInSectors
 * means the same to VerifyMedia as to Burn.
 */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "rb-error.h"
#include "rb-scramble.h"
#include "rb-subchannel.h"
#include "rb-test-client.h"
#include "rb-test-service.h"
#include "rb-verify-test.h"

/* the audio sector whose first bytes are a data sync pattern */
#define RB_SYNC_LBA 200

static gboolean
rb_audio_main(gint32 lba, guint8 *main_data, gpointer user_data, GError **error)
{
	static const guint8 sync[RB_CD_SYNC_SIZE] = {
		0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00};

	for (guint i = 0; i < RB_CD_MAIN_SIZE; i++)
		main_data[i] = (guint8)(lba * 7 + i);
	/* samples that happen to read as a sync: still audio, never scrambled */
	if (lba == RB_SYNC_LBA)
		memcpy(main_data, sync, sizeof(sync));
	return TRUE;
}

/* a fresh @media disc with @faults (NULL: none) and the audio stream in
 * @sector_type; returns the stream's fd */
static gint
rb_read_start(RbVerifyFixture *f, const gchar *media, const gchar *faults, guint sector_type)
{
	rb_verify_fixture_setup(f, media);
	if (faults != NULL)
		rb_test_client_set_faults(f->client, RB_VERIFY_RECORDER, faults);
	return rb_verify_audio_stream_fd(sector_type, rb_audio_main);
}

static void
rb_read_finish(RbVerifyFixture *f, gint fd)
{
	close(fd);
	rb_verify_fixture_teardown(f);
}

/* the read-back before the reply went from @start_lba to the last sector
 * before the stream's lead-out */
static void
rb_assert_read_back_from(RbVerifyFixture *f, gint32 start_lba)
{
	RbTestUpdate last = rb_verify_fixture_take_verifying(f);

	ck_assert_int_eq(last.start_lba, start_lba);
	ck_assert_int_eq(last.last_read, RB_VERIFY_AUDIO_LEADOUT - 1);
}

/* rewrites the Q of @lba in a 16-byte P-Q stream file, its CRC valid */
static void
rb_rewrite_q(gint fd, gint32 lba, void (*change)(guint8 q[RB_SUBQ_SIZE]))
{
	const gsize sector = RB_CD_MAIN_SIZE + RB_SUBCHANNEL_PQ_SIZE;
	off_t at = (off_t)(lba - RB_VERIFY_STREAM_FIRST_LBA) * (off_t)sector + RB_CD_MAIN_SIZE;
	guint8 pq[RB_SUBCHANNEL_PQ_SIZE];
	guint8 q[RB_SUBQ_SIZE];

	ck_assert_int_eq(pread(fd, pq, sizeof(pq), at), (gssize)sizeof(pq));
	rb_subchannel_pq_get_q(pq, q);
	change(q);
	rb_subq_set_crc(q);
	rb_subchannel_pq_build(q, rb_subchannel_pq_get_p(pq), pq);
	ck_assert_int_eq(pwrite(fd, pq, sizeof(pq), at), (gssize)sizeof(pq));
}

/* an MCN frame (ADR 2) in place of the position frame */
static void
rb_make_mcn(guint8 q[RB_SUBQ_SIZE])
{
	static const guint8 mcn[] = {0x12, 0x34, 0x56, 0x78, 0x90, 0x12, 0x30, 0x00};

	q[0] = (guint8)((q[0] & 0xF0) | RB_SUBQ_ADR_MCN);
	memcpy(q + 1, mcn, sizeof(mcn));
}

/* a position frame one frame off in absolute time */
static void
rb_shift_aframe(guint8 q[RB_SUBQ_SIZE])
{
	q[9] = q[9] == 0x74 ? 0x00 : (guint8)(q[9] + 1);
}

/* ---- tests ---- */

/* a Q read back with a broken CRC is unreadable, and one such sector
 * passes, with and without Burn's Verify */
START_TEST(test_bad_q_crc_passes)
{
	RbVerifyFixture f;
	gint fd = rb_read_start(&f, "cd-r-80", "{'BadQCrcAtLba': <123>}", 2);

	rb_test_client_assert_call_fd_ok(
		f.client, RB_VERIFY_RECORDER, "Burn", fd, "{'Verify': <true>}");
	rb_test_client_assert_call_fd_ok(f.client, RB_VERIFY_RECORDER, "VerifyMedia", fd, "{}");
	rb_read_finish(&f, fd);
}
END_TEST

/* a Q with a valid CRC that differs fails, naming it; an MCN frame where a
 * position frame was read does not */
START_TEST(test_q_difference_fails)
{
	RbVerifyFixture f;
	gint fd = rb_read_start(&f, "cd-rw-80", NULL, 1);

	rb_test_client_assert_call_fd_ok(
		f.client, RB_VERIFY_RECORDER, "Burn", fd, "{'SectorType': <uint32 1>}");
	rb_rewrite_q(fd, 321, rb_make_mcn);
	rb_rewrite_q(fd, 322, rb_shift_aframe);
	rb_test_client_assert_call_fd_fails(f.client,
					    RB_VERIFY_RECORDER,
					    "VerifyMedia",
					    fd,
					    "{'SectorType': <uint32 1>}",
					    RB_TEST_ERROR("BurnVerificationFailed"),
					    "LBA 322: sub-channel Q differs");
	rb_read_finish(&f, fd);
}
END_TEST

/* a sector the drive cannot read fails the verify naming its LBA and the
 * sense, for Burn's Verify (_i 1) and VerifyMedia */
START_TEST(test_unreadable_sector)
{
	RbVerifyFixture f;
	gint fd = rb_read_start(&f, "cd-r-80", "{'UnreadableAtLba': <345>}", 2);
	const gchar *want = "LBA 345: unreadable (03/11/00";

	if (_i == 1)
		rb_test_client_assert_call_fd_fails(f.client,
						    RB_VERIFY_RECORDER,
						    "Burn",
						    fd,
						    "{'Verify': <true>}",
						    RB_TEST_ERROR("BurnVerificationFailed"),
						    want);
	else
		rb_test_client_assert_call_fd_ok(f.client, RB_VERIFY_RECORDER, "Burn", fd, "{}");
	rb_test_client_assert_call_fd_fails(f.client,
					    RB_VERIFY_RECORDER,
					    "VerifyMedia",
					    fd,
					    "{}",
					    RB_TEST_ERROR("BurnVerificationFailed"),
					    want);
	rb_read_finish(&f, fd);
}
END_TEST

/* with the TOC still that of the blank disc, Burn's Verify reads back to
 * the lead-out it wrote; VerifyMedia, which has only READ TOC, cannot */
START_TEST(test_stale_toc)
{
	RbVerifyFixture f;
	gint fd = rb_read_start(&f, "cd-r-80", "{'StaleToc': <true>}", 2);

	rb_test_client_assert_call_fd_ok(
		f.client, RB_VERIFY_RECORDER, "Burn", fd, "{'Verify': <true>}");
	rb_assert_read_back_from(&f, -150);
	rb_test_client_assert_call_fd_fails(
		f.client, RB_VERIFY_RECORDER, "VerifyMedia", fd, "{}", NULL, NULL);
	rb_read_finish(&f, fd);
}
END_TEST

/* a drive answering 03/02/00 for the pregap is compared from LBA 0 */
START_TEST(test_pregap_refused)
{
	RbVerifyFixture f;
	gint fd = rb_read_start(&f, "cd-r-80", "{'RefusePregapRead': <true>}", 2);

	rb_test_client_assert_call_fd_ok(
		f.client, RB_VERIFY_RECORDER, "Burn", fd, "{'Verify': <true>}");
	rb_assert_read_back_from(&f, 0);
	rb_test_client_assert_call_fd_ok(f.client, RB_VERIFY_RECORDER, "VerifyMedia", fd, "{}");
	rb_assert_read_back_from(&f, 0);
	rb_read_finish(&f, fd);
}
END_TEST

/* an audio sector opening with a sync pattern is read back as written,
 * not descrambled, and verifies both ways */
START_TEST(test_audio_sync_verifies)
{
	RbVerifyFixture f;
	gint fd = rb_read_start(&f, "cd-r-80", NULL, 2);

	rb_test_client_assert_call_fd_ok(
		f.client, RB_VERIFY_RECORDER, "Burn", fd, "{'Verify': <true>}");
	rb_test_client_assert_call_fd_ok(f.client, RB_VERIFY_RECORDER, "VerifyMedia", fd, "{}");
	rb_read_finish(&f, fd);
}
END_TEST

/* StreamLeadInSectors: a negative value means what Burn takes it to */
START_TEST(test_lead_in_sign)
{
	RbVerifyFixture f;
	gint fd = rb_read_start(&f, "cd-r-80", NULL, 2);

	rb_test_client_assert_call_fd_ok(f.client,
					 RB_VERIFY_RECORDER,
					 "Burn",
					 fd,
					 "{'StreamLeadInSectors': <-22650>, 'Verify': <true>}");
	rb_test_client_assert_call_fd_ok(f.client,
					 RB_VERIFY_RECORDER,
					 "VerifyMedia",
					 fd,
					 "{'StreamLeadInSectors': <-22650>}");
	rb_test_client_assert_call_fd_ok(f.client,
					 RB_VERIFY_RECORDER,
					 "VerifyMedia",
					 fd,
					 "{'StreamLeadInSectors': <22650>}");
	/* the stream's lead-in is 22650 sectors: any other magnitude is not it */
	rb_test_client_assert_call_fd_fails(f.client,
					    RB_VERIFY_RECORDER,
					    "VerifyMedia",
					    fd,
					    "{'StreamLeadInSectors': <-22651>}",
					    RB_TEST_ERROR("BurnVerificationFailed"),
					    NULL);
	rb_read_finish(&f, fd);
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("verify-read");
	TCase *tc = tcase_create("verify-read");

	signal(SIGPIPE, SIG_IGN);
	tcase_set_timeout(tc, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_test(tc, test_bad_q_crc_passes);
	tcase_add_test(tc, test_q_difference_fails);
	tcase_add_loop_test(tc, test_unreadable_sector, 0, 2);
	tcase_add_test(tc, test_stale_toc);
	tcase_add_test(tc, test_pregap_refused);
	tcase_add_test(tc, test_audio_sync_verifies);
	tcase_add_test(tc, test_lead_in_sign);
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
