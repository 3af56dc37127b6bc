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

#include <gio/gunixfdlist.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "rb-dao-stream.h"
#include "rb-error.h"
#include "rb-scramble.h"
#include "rb-subchannel.h"
#include "rb-test-client.h"
#include "rb-test-service.h"

#define RB_RECORDER RB_DBUS_RECORDERS_PATH "/virtual0"
#define RB_STREAM_FIRST_LBA (-22650)
/* the audio stream's tracks: 0..399 and 400..599, lead-out at 600 */
#define RB_AUDIO_LEADOUT 600
/* the audio sector whose first bytes are a data sync pattern */
#define RB_SYNC_LBA 200

typedef struct {
	RbTestService *service;
	RbTestClient *client;
	guint subscription;
	/* of the last Update with action 4 VERIFYING */
	gboolean verifying;
	gint32 start_lba;
	gint32 last_read;
} RbReadFixture;

static void
rb_on_update(GDBusConnection *connection,
	     const gchar *sender,
	     const gchar *path,
	     const gchar *interface,
	     const gchar *signal,
	     GVariant *params,
	     gpointer user_data)
{
	RbReadFixture *f = user_data;
	guint32 action = 0;
	gint32 start = 0;
	gint32 last = 0;
	gint32 ignore;

	g_variant_get(params,
		      "(uiiiiiiiii)",
		      &action,
		      &ignore,
		      &ignore,
		      &start,
		      &ignore,
		      &last,
		      &ignore,
		      &ignore,
		      &ignore,
		      &ignore);
	if (action != 4)
		return;
	f->verifying = TRUE;
	f->start_lba = start;
	f->last_read = last;
}

static void
rb_fixture_setup(RbReadFixture *f, const gchar *media)
{
	g_autofree gchar *spec = g_strdup_printf("media=%s,realtime=false", media);
	const gchar *args[] = {"--virtual-recorder", spec, NULL};

	memset(f, 0, sizeof(*f));
	f->service = rb_test_service_new_bus();
	rb_test_service_start_daemon(f->service, args);
	f->client = rb_test_client_new(f->service);
	rb_test_client_wait_for_drive(f->client, RB_RECORDER);
	f->subscription = g_dbus_connection_signal_subscribe(f->client->connection,
							     RB_DBUS_NAME,
							     RB_TEST_FORMAT,
							     "Update",
							     RB_RECORDER,
							     NULL,
							     G_DBUS_SIGNAL_FLAGS_NONE,
							     rb_on_update,
							     f,
							     NULL);
}

static void
rb_fixture_teardown(RbReadFixture *f)
{
	g_dbus_connection_signal_unsubscribe(f->client->connection, f->subscription);
	rb_test_client_free(f->client);
	rb_test_service_stop_daemon(f->service);
	rb_test_service_free(f->service);
}

/* the Updates that came before the reply, seen; then forgotten */
static void
rb_fixture_take_updates(RbReadFixture *f, gint32 *start_lba, gint32 *last_read)
{
	while (g_main_context_iteration(NULL, FALSE))
		;
	ck_assert(f->verifying);
	*start_lba = f->start_lba;
	*last_read = f->last_read;
	f->verifying = FALSE;
}

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

static gint
rb_audio_stream_fd(guint sector_type)
{
	const RbDaoTrack tracks[] = {{0, 400}, {400, 200}};
	g_autoptr(GError) error = NULL;
	g_autoptr(RbDaoStream) stream = rb_dao_stream_new(
		RB_STREAM_FIRST_LBA, tracks, 2, sector_type, rb_audio_main, NULL, NULL, &error);

	ck_assert_msg(stream != NULL, "%s", error ? error->message : "");
	return rb_test_stream_to_file(stream);
}

static gchar *
rb_call_fd(
	RbTestClient *client, const gchar *method, gint fd, const gchar *options, gchar **message)
{
	g_autoptr(GUnixFDList) fds = rb_test_fd_list_new(fd);
	GVariant *dict = g_variant_parse(G_VARIANT_TYPE_VARDICT, options, NULL, NULL, NULL);

	ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
	return rb_test_client_call(client,
				   RB_RECORDER,
				   RB_TEST_FORMAT,
				   method,
				   g_variant_new("(h@a{sv})", 0, dict),
				   fds,
				   message);
}

static void
rb_set_faults(RbReadFixture *f, const gchar *faults)
{
	g_autoptr(GVariant) value = g_variant_parse(NULL, faults, NULL, NULL, NULL);
	g_autofree gchar *message = NULL;
	g_autofree gchar *error = rb_test_client_set(f->client,
						     RB_RECORDER,
						     RB_TEST_VIRTUAL,
						     "Faults",
						     g_steal_pointer(&value),
						     &message);

	ck_assert_msg(error == NULL, "%s", message);
}

static void
rb_assert_ok(gchar *error_name, gchar **message)
{
	ck_assert_msg(error_name == NULL, "%s: %s", error_name, *message);
	g_clear_pointer(message, g_free);
}

static void
rb_assert_error(gchar *error_name, gchar **message, const gchar *want, const gchar *text)
{
	ck_assert_msg(error_name != NULL, "succeeded, wanted %s", want);
	ck_assert_msg(
		want == NULL || g_strcmp0(error_name, want) == 0, "%s: %s", error_name, *message);
	ck_assert_msg(
		text == NULL || strstr(*message, text) != NULL, "“%s” not in: %s", text, *message);
	g_free(error_name);
	g_clear_pointer(message, g_free);
}

/* rewrites the Q of @lba in a 16-byte P-Q stream file, its CRC valid */
static void
rb_rewrite_q(gint fd, gint32 lba, void (*change)(guint8 q[RB_SUBQ_SIZE]))
{
	const gsize sector = RB_CD_MAIN_SIZE + RB_SUBCHANNEL_PQ_SIZE;
	off_t at = (off_t)(lba - RB_STREAM_FIRST_LBA) * (off_t)sector + RB_CD_MAIN_SIZE;
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
	RbReadFixture f;
	gint fd = rb_audio_stream_fd(2);
	gchar *message = NULL;

	rb_fixture_setup(&f, "cd-r-80");
	rb_set_faults(&f, "{'BadQCrcAtLba': <123>}");
	rb_assert_ok(rb_call_fd(f.client, "Burn", fd, "{'Verify': <true>}", &message), &message);
	rb_assert_ok(rb_call_fd(f.client, "VerifyMedia", fd, "{}", &message), &message);
	close(fd);
	rb_fixture_teardown(&f);
}
END_TEST

/* a Q with a valid CRC that differs fails, naming it; an MCN frame where a
 * position frame was read does not */
START_TEST(test_q_difference_fails)
{
	RbReadFixture f;
	gint fd = rb_audio_stream_fd(1);
	gchar *message = NULL;

	rb_fixture_setup(&f, "cd-rw-80");
	rb_assert_ok(rb_call_fd(f.client, "Burn", fd, "{'SectorType': <uint32 1>}", &message),
		     &message);
	rb_rewrite_q(fd, 321, rb_make_mcn);
	rb_rewrite_q(fd, 322, rb_shift_aframe);
	rb_assert_error(
		rb_call_fd(f.client, "VerifyMedia", fd, "{'SectorType': <uint32 1>}", &message),
		&message,
		RB_TEST_ERROR("BurnVerificationFailed"),
		"LBA 322: sub-channel Q differs");
	close(fd);
	rb_fixture_teardown(&f);
}
END_TEST

/* a sector the drive cannot read fails the verify naming its LBA and the
 * sense, for Burn's Verify (_i 1) and VerifyMedia */
START_TEST(test_unreadable_sector)
{
	RbReadFixture f;
	gint fd = rb_audio_stream_fd(2);
	gchar *message = NULL;
	const gchar *want = "LBA 345: unreadable (03/11/00";

	rb_fixture_setup(&f, "cd-r-80");
	rb_set_faults(&f, "{'UnreadableAtLba': <345>}");
	if (_i == 1)
		rb_assert_error(rb_call_fd(f.client, "Burn", fd, "{'Verify': <true>}", &message),
				&message,
				RB_TEST_ERROR("BurnVerificationFailed"),
				want);
	else
		rb_assert_ok(rb_call_fd(f.client, "Burn", fd, "{}", &message), &message);
	rb_assert_error(rb_call_fd(f.client, "VerifyMedia", fd, "{}", &message),
			&message,
			RB_TEST_ERROR("BurnVerificationFailed"),
			want);
	close(fd);
	rb_fixture_teardown(&f);
}
END_TEST

/* with the TOC still that of the blank disc, Burn's Verify reads back to
 * the lead-out it wrote; VerifyMedia, which has only READ TOC, cannot */
START_TEST(test_stale_toc)
{
	RbReadFixture f;
	gint fd = rb_audio_stream_fd(2);
	gchar *message = NULL;
	gint32 start = 0;
	gint32 last = 0;

	rb_fixture_setup(&f, "cd-r-80");
	rb_set_faults(&f, "{'StaleToc': <true>}");
	rb_assert_ok(rb_call_fd(f.client, "Burn", fd, "{'Verify': <true>}", &message), &message);
	rb_fixture_take_updates(&f, &start, &last);
	ck_assert_int_eq(start, -150);
	ck_assert_int_eq(last, RB_AUDIO_LEADOUT - 1);
	rb_assert_error(
		rb_call_fd(f.client, "VerifyMedia", fd, "{}", &message), &message, NULL, NULL);
	close(fd);
	rb_fixture_teardown(&f);
}
END_TEST

/* a drive answering 03/02/00 for the pregap is compared from LBA 0 */
START_TEST(test_pregap_refused)
{
	RbReadFixture f;
	gint fd = rb_audio_stream_fd(2);
	gchar *message = NULL;
	gint32 start = 0;
	gint32 last = 0;

	rb_fixture_setup(&f, "cd-r-80");
	rb_set_faults(&f, "{'RefusePregapRead': <true>}");
	rb_assert_ok(rb_call_fd(f.client, "Burn", fd, "{'Verify': <true>}", &message), &message);
	rb_fixture_take_updates(&f, &start, &last);
	ck_assert_int_eq(start, 0);
	ck_assert_int_eq(last, RB_AUDIO_LEADOUT - 1);
	rb_assert_ok(rb_call_fd(f.client, "VerifyMedia", fd, "{}", &message), &message);
	rb_fixture_take_updates(&f, &start, &last);
	ck_assert_int_eq(start, 0);
	ck_assert_int_eq(last, RB_AUDIO_LEADOUT - 1);
	close(fd);
	rb_fixture_teardown(&f);
}
END_TEST

/* an audio sector opening with a sync pattern is read back as written,
 * not descrambled, and verifies both ways */
START_TEST(test_audio_sync_verifies)
{
	RbReadFixture f;
	gint fd = rb_audio_stream_fd(2);
	gchar *message = NULL;

	rb_fixture_setup(&f, "cd-r-80");
	rb_assert_ok(rb_call_fd(f.client, "Burn", fd, "{'Verify': <true>}", &message), &message);
	rb_assert_ok(rb_call_fd(f.client, "VerifyMedia", fd, "{}", &message), &message);
	close(fd);
	rb_fixture_teardown(&f);
}
END_TEST

/* StreamLeadInSectors: a negative value means what Burn takes it to */
START_TEST(test_lead_in_sign)
{
	RbReadFixture f;
	gint fd = rb_audio_stream_fd(2);
	gchar *message = NULL;

	rb_fixture_setup(&f, "cd-r-80");
	rb_assert_ok(rb_call_fd(f.client,
				"Burn",
				fd,
				"{'StreamLeadInSectors': <-22650>, 'Verify': <true>}",
				&message),
		     &message);
	rb_assert_ok(
		rb_call_fd(
			f.client, "VerifyMedia", fd, "{'StreamLeadInSectors': <-22650>}", &message),
		&message);
	rb_assert_ok(
		rb_call_fd(
			f.client, "VerifyMedia", fd, "{'StreamLeadInSectors': <22650>}", &message),
		&message);
	/* the stream's lead-in is 22650 sectors: any other magnitude is not it */
	rb_assert_error(
		rb_call_fd(
			f.client, "VerifyMedia", fd, "{'StreamLeadInSectors': <-22651>}", &message),
		&message,
		RB_TEST_ERROR("BurnVerificationFailed"),
		NULL);
	close(fd);
	rb_fixture_teardown(&f);
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
