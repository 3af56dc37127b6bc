/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Verification over the bus on a virtual recorder: Burn with Verify (the
 * digests kept while writing, action 4 in Update), VerifyMedia of a file
 * and of a pipe, a disc altered behind the writer's back (the drive's
 * CorruptAtLba fault) in an audio and in a Mode 1 track, a 16-byte P-Q
 * burn, a changed, a shorter stream and a blank disc, and the lock,
 * argument and cancel rules of VerifyMedia.
 */
#include "config.h"

#include <gio/gunixfdlist.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "rb-dao-stream.h"
#include "rb-error.h"
#include "rb-image.h"
#include "rb-test-client.h"
#include "rb-test-service.h"
#include "rb-verify-test.h"

static gboolean
rb_audio_main(gint32 lba, guint8 *main_data, gpointer user_data, GError **error)
{
	for (guint i = 0; i < RB_CD_MAIN_SIZE; i++)
		main_data[i] = (guint8)(lba * 7 + i);
	return TRUE;
}

/* ---- a Mode 1 track and an audio track, by the image core ---- */

static gssize
rb_mixed_read(gpointer user_data, guint source, guint8 *buf, gsize len, GError **error)
{
	guint64 *offsets = user_data;
	const gsize size = source == 0 ? 2048 * 300 : RB_CD_MAIN_SIZE * 300;
	gsize n = (gsize)MIN((guint64)len, size - offsets[source]);

	for (gsize i = 0; i < n; i++)
		buf[i] = (guint8)((offsets[source] + i) * 13 + source);
	offsets[source] += n;
	return (gssize)n;
}

/* the stream's fd; *@data_start is the Mode 1 track's first LBA */
static gint
rb_mixed_stream_fd(gint32 *data_start)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RbImageLayout) layout = rb_image_layout_new();
	g_autoptr(RbImageProducer) producer = NULL;
	guint64 offsets[2] = {0, 0};
	g_autofree gchar *path = NULL;
	g_autofree guint8 *buf = NULL;
	gint fd;
	guint index;
	gsize size;

	ck_assert(rb_image_layout_set_image_type(layout, 3, &error));
	ck_assert(rb_image_layout_add_track(layout, RB_CD_SECTOR_MODE1, 300, &index, &error));
	ck_assert(rb_image_layout_add_track(layout, RB_CD_SECTOR_AUDIO, 300, &index, &error));
	producer = rb_image_producer_new(layout, rb_mixed_read, offsets, &error);
	ck_assert_msg(producer != NULL, "%s", error ? error->message : "");
	*data_start = rb_image_layout_get_track(rb_image_producer_get_layout(producer), 0)->start;
	size = rb_image_producer_get_sector_size(producer);
	buf = g_malloc(75 * size);
	fd = g_file_open_tmp("rawburn-verify-XXXXXX", &path, &error);
	ck_assert_int_ge(fd, 0);
	g_unlink(path);
	for (;;) {
		guint n = 0;

		ck_assert_msg(rb_image_producer_read(producer, buf, 75, &n, &error),
			      "%s",
			      error->message);
		if (n == 0)
			break;
		ck_assert_int_eq(write(fd, buf, n * size), (gssize)(n * size));
	}
	ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
	return fd;
}

/* ---- calls ---- */

/* a floating a{sv}, for the "@a{sv}" of g_variant_new(), which sinks it;
 * g_variant_parse()'s own reference is not floating and would be kept */
static GVariant *
rb_options(const gchar *text)
{
	g_autoptr(GVariant) parsed =
		g_variant_parse(G_VARIANT_TYPE_VARDICT, text, NULL, NULL, NULL);
	GVariantBuilder builder;
	GVariantIter iter;
	GVariant *entry;

	ck_assert_msg(parsed != NULL, "not an a{sv}: %s", text);
	g_variant_builder_init(&builder, G_VARIANT_TYPE_VARDICT);
	g_variant_iter_init(&iter, parsed);
	while ((entry = g_variant_iter_next_value(&iter)) != NULL) {
		g_variant_builder_add_value(&builder, entry);
		g_variant_unref(entry);
	}
	return g_variant_builder_end(&builder);
}

/* a pipe whose read end is returned, fed by a thread from @fd */
typedef struct {
	gint in;
	gint out;
} RbFeed;

static gpointer
rb_feed_thread(gpointer user_data)
{
	RbFeed *feed = user_data;
	guint8 buf[65536];
	gssize n;

	while ((n = read(feed->in, buf, sizeof(buf))) > 0) {
		if (write(feed->out, buf, (gsize)n) != n)
			break;
	}
	close(feed->out);
	return NULL;
}

/* ---- tests ---- */

/* a clean burn verifies; Update shows action 4 and the read-back's LBAs */
START_TEST(test_burn_verify_clean)
{
	RbVerifyFixture f;
	gint fd;
	gchar *message = NULL;
	RbTestUpdate last;

	rb_verify_fixture_setup(&f, "cd-r-80");
	fd = rb_verify_audio_stream_fd(2, rb_audio_main);
	rb_test_assert_ok(
		rb_test_client_call_fd(
			f.client, RB_VERIFY_RECORDER, "Burn", fd, "{'Verify': <true>}", &message),
		&message);
	/* the Update signals came before the reply, one of them VERIFYING */
	last = rb_verify_fixture_take_verifying(&f);
	/* read back to the last sector before the lead-out, where writing
	 * had read the stream to the lead-out's end */
	ck_assert_int_eq(last.last_read, RB_VERIFY_AUDIO_LEADOUT - 1);

	/* the same stream verifies from a file … */
	rb_test_assert_ok(rb_test_client_call_fd(
				  f.client, RB_VERIFY_RECORDER, "VerifyMedia", fd, "{}", &message),
			  &message);
	/* … and from a pipe */
	{
		gint pipefd[2];
		RbFeed feed;
		GThread *thread;

		g_autoptr(GUnixFDList) fds = NULL;

		ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
		ck_assert_int_eq(pipe(pipefd), 0);
		/* the service's copy must be the only reader: once it stops
		 * reading at the lead-out, the feeder sees EPIPE */
		fds = rb_test_fd_list_new(pipefd[0]);
		close(pipefd[0]);
		feed.in = fd;
		feed.out = pipefd[1];
		thread = g_thread_new("feed", rb_feed_thread, &feed);
		rb_test_assert_ok(
			rb_test_client_call(
				f.client,
				RB_VERIFY_RECORDER,
				RB_TEST_FORMAT,
				"VerifyMedia",
				g_variant_new("(h@a{sv})",
					      0,
					      rb_options("{'SectorType': <uint32 2>, "
							 "'StreamLeadInSectors': <22650>}")),
				fds,
				&message),
			&message);
		/* our copy of the read end goes too, so the feeder stops */
		g_clear_object(&fds);
		g_thread_join(thread);
	}
	close(fd);
	rb_verify_fixture_teardown(&f);
}
END_TEST

/* the disc altered behind the writer: the burn itself succeeds, the
 * read-back names the LBA, in an audio track and in a Mode 1 track */
static void
rb_check_corrupt(gboolean data_track, gboolean with_verify)
{
	RbVerifyFixture f;
	gint32 data_start = 0;
	gint fd = data_track ? rb_mixed_stream_fd(&data_start)
			     : rb_verify_audio_stream_fd(3, rb_audio_main);
	gint32 lba = data_track ? data_start + 10 : 123;
	g_autofree gchar *faults = g_strdup_printf("{'CorruptAtLba': <%d>}", lba);
	g_autofree gchar *where = g_strdup_printf("LBA %d: main channel", lba);
	g_autofree gchar *byte = g_strdup_printf("LBA %d: main channel byte 1000 differs", lba);
	gchar *message = NULL;

	rb_verify_fixture_setup(&f, "cd-r-80");
	rb_test_client_set_faults(f.client, RB_VERIFY_RECORDER, faults);
	if (with_verify) {
		rb_test_assert_error(
			rb_test_client_call_fd(f.client,
					       RB_VERIFY_RECORDER,
					       "Burn",
					       fd,
					       "{'SectorType': <uint32 3>, 'Verify': <true>}",
					       &message),
			&message,
			RB_TEST_ERROR("BurnVerificationFailed"),
			where);
	} else {
		/* the writer did not know */
		rb_test_assert_ok(rb_test_client_call_fd(f.client,
							 RB_VERIFY_RECORDER,
							 "Burn",
							 fd,
							 "{'SectorType': <uint32 3>}",
							 &message),
				  &message);
	}
	rb_test_assert_error(rb_test_client_call_fd(f.client,
						    RB_VERIFY_RECORDER,
						    "VerifyMedia",
						    fd,
						    "{'SectorType': <uint32 3>}",
						    &message),
			     &message,
			     RB_TEST_ERROR("BurnVerificationFailed"),
			     byte);
	close(fd);
	rb_verify_fixture_teardown(&f);
}

START_TEST(test_corrupt_audio)
{
	rb_check_corrupt(FALSE, _i == 1);
}
END_TEST

START_TEST(test_corrupt_data)
{
	rb_check_corrupt(TRUE, _i == 1);
}
END_TEST

/* 16-byte P-Q: the drive regenerates the Q CRC, and that still verifies */
START_TEST(test_pq_burn_verifies)
{
	RbVerifyFixture f;
	gint fd = rb_verify_audio_stream_fd(1, rb_audio_main);
	gchar *message = NULL;

	rb_verify_fixture_setup(&f, "cd-rw-80");
	rb_test_assert_ok(rb_test_client_call_fd(f.client,
						 RB_VERIFY_RECORDER,
						 "Burn",
						 fd,
						 "{'SectorType': <uint32 1>, 'Verify': <true>}",
						 &message),
			  &message);
	rb_test_assert_ok(rb_test_client_call_fd(f.client,
						 RB_VERIFY_RECORDER,
						 "VerifyMedia",
						 fd,
						 "{'SectorType': <uint32 1>}",
						 &message),
			  &message);
	close(fd);
	rb_verify_fixture_teardown(&f);
}
END_TEST

/* streams that are not what is on the disc, and a blank disc */
START_TEST(test_verify_mismatches)
{
	RbVerifyFixture f;
	gint fd = rb_verify_audio_stream_fd(2, rb_audio_main);
	const gsize sector = 2448;
	const gint32 changed = 321;
	off_t at = (off_t)(changed - RB_VERIFY_STREAM_FIRST_LBA) * (off_t)sector + 500;
	guint8 byte = 0;
	gchar *message = NULL;

	rb_verify_fixture_setup(&f, "cd-r-80");
	/* blank: fails at its first sector */
	rb_test_assert_error(
		rb_test_client_call_fd(
			f.client, RB_VERIFY_RECORDER, "VerifyMedia", fd, "{}", &message),
		&message,
		RB_TEST_ERROR("BurnVerificationFailed"),
		"LBA -150:");
	rb_test_assert_ok(
		rb_test_client_call_fd(f.client, RB_VERIFY_RECORDER, "Burn", fd, "{}", &message),
		&message);

	/* one byte of the file changed */
	ck_assert_int_eq(pread(fd, &byte, 1, at), 1);
	byte ^= 0x5A;
	ck_assert_int_eq(pwrite(fd, &byte, 1, at), 1);
	rb_test_assert_error(
		rb_test_client_call_fd(
			f.client, RB_VERIFY_RECORDER, "VerifyMedia", fd, "{}", &message),
		&message,
		RB_TEST_ERROR("BurnVerificationFailed"),
		"LBA 321: main channel byte 500 differs");
	byte ^= 0x5A;
	ck_assert_int_eq(pwrite(fd, &byte, 1, at), 1);

	/* shorter: the stream ends inside the program area */
	ck_assert_int_eq(ftruncate(fd, (off_t)(450 - RB_VERIFY_STREAM_FIRST_LBA) * (off_t)sector),
			 0);
	rb_test_assert_error(
		rb_test_client_call_fd(
			f.client, RB_VERIFY_RECORDER, "VerifyMedia", fd, "{}", &message),
		&message,
		RB_TEST_ERROR("BurnVerificationFailed"),
		"LBA 450: the stream ends here");
	close(fd);
	rb_verify_fixture_teardown(&f);
}
END_TEST

/* the lock: another client's is refused, the holder's own is used and kept */
START_TEST(test_verify_lock)
{
	RbVerifyFixture f;
	g_autoptr(RbTestClient) other = NULL;
	g_autoptr(GVariant) owner = NULL;
	gint fd = rb_verify_audio_stream_fd(2, rb_audio_main);
	gchar *message = NULL;

	rb_verify_fixture_setup(&f, "cd-r-80");
	other = rb_test_client_new(f.service);
	g_free(rb_test_client_set(other,
				  RB_VERIFY_RECORDER,
				  RB_TEST_FORMAT,
				  "ClientName",
				  g_variant_new_string("Holder"),
				  NULL));
	rb_test_assert_ok(rb_test_client_call(other,
					      RB_VERIFY_RECORDER,
					      RB_TEST_FORMAT,
					      "PrepareMedia",
					      NULL,
					      NULL,
					      &message),
			  &message);
	rb_test_assert_error(
		rb_test_client_call_fd(
			f.client, RB_VERIFY_RECORDER, "VerifyMedia", fd, "{}", &message),
		&message,
		RB_TEST_ERROR("Locked"),
		"Holder");
	/* the holder's own lock (PrepareMedia wants a blank disc, which then
	 * fails at its first sector) */
	rb_test_assert_error(rb_test_client_call_fd(
				     other, RB_VERIFY_RECORDER, "VerifyMedia", fd, "{}", &message),
			     &message,
			     RB_TEST_ERROR("BurnVerificationFailed"),
			     "LBA -150:");
	owner = rb_test_client_get(
		other, RB_VERIFY_RECORDER, RB_TEST_RECORDER, "ExclusiveAccessOwner");
	ck_assert_str_eq(g_variant_get_string(owner, NULL), "Holder");
	close(fd);
	rb_verify_fixture_teardown(&f);
}
END_TEST

/* hostile arguments, refused before anything happens */
START_TEST(test_verify_arguments)
{
	RbVerifyFixture f;
	g_autoptr(GUnixFDList) fds = NULL;
	gint fd = rb_verify_audio_stream_fd(2, rb_audio_main);
	gchar *message = NULL;

	rb_verify_fixture_setup(&f, "cd-r-80");
	fds = rb_test_fd_list_new(fd);
	rb_test_assert_error(rb_test_client_call(f.client,
						 RB_VERIFY_RECORDER,
						 RB_TEST_FORMAT,
						 "VerifyMedia",
						 g_variant_new("(h@a{sv})", 3, rb_options("{}")),
						 fds,
						 &message),
			     &message,
			     RB_TEST_INVALID_ARGS,
			     "data");
	rb_test_assert_error(rb_test_client_call_fd(f.client,
						    RB_VERIFY_RECORDER,
						    "VerifyMedia",
						    fd,
						    "{'SectorType': <'2'>}",
						    &message),
			     &message,
			     RB_TEST_INVALID_ARGS,
			     "SectorType");
	rb_test_assert_error(rb_test_client_call_fd(f.client,
						    RB_VERIFY_RECORDER,
						    "VerifyMedia",
						    fd,
						    "{'StreamLeadInSectors': <true>}",
						    &message),
			     &message,
			     RB_TEST_INVALID_ARGS,
			     "StreamLeadInSectors");
	rb_test_assert_error(rb_test_client_call_fd(f.client,
						    RB_VERIFY_RECORDER,
						    "VerifyMedia",
						    fd,
						    "{'Speed': <1>}",
						    &message),
			     &message,
			     RB_TEST_INVALID_ARGS,
			     "Speed");
	rb_test_assert_error(
		rb_test_client_call_fd(
			f.client, RB_VERIFY_RECORDER, "Burn", fd, "{'Verify': <1>}", &message),
		&message,
		RB_TEST_INVALID_ARGS,
		"Verify");
	/* the message is the one of Verify with TestWrite once TestWrite is
	 * known; either way nothing is written */
	rb_test_assert_error(rb_test_client_call_fd(f.client,
						    RB_VERIFY_RECORDER,
						    "Burn",
						    fd,
						    "{'Verify': <true>, 'TestWrite': <true>}",
						    &message),
			     &message,
			     RB_TEST_INVALID_ARGS,
			     "TestWrite");
	close(fd);
	rb_verify_fixture_teardown(&f);
}
END_TEST

/* CancelWrite of a verify waiting for its stream: RequestCancelled, and
 * the lock it took is gone */
START_TEST(test_verify_cancel)
{
	RbVerifyFixture f;
	RbTestPending pending = {0};
	g_autoptr(GUnixFDList) fds = NULL;
	g_autoptr(GVariant) owner = NULL;
	gint fd = rb_verify_audio_stream_fd(2, rb_audio_main);
	gint pipefd[2];
	gchar *message = NULL;

	rb_verify_fixture_setup(&f, "cd-r-80");
	rb_test_assert_ok(
		rb_test_client_call_fd(f.client, RB_VERIFY_RECORDER, "Burn", fd, "{}", &message),
		&message);
	ck_assert_int_eq(pipe(pipefd), 0);
	fds = rb_test_fd_list_new(pipefd[0]);
	close(pipefd[0]);
	rb_test_client_call_async(f.client,
				  RB_VERIFY_RECORDER,
				  RB_TEST_FORMAT,
				  "VerifyMedia",
				  g_variant_new("(h@a{sv})", 0, rb_options("{}")),
				  fds,
				  &pending);
	/* running once it holds the lock and shows action 4 */
	for (;;) {
		g_autoptr(GVariant) action = rb_test_client_get(
			f.client, RB_VERIFY_RECORDER, RB_TEST_FORMAT, "CurrentAction");

		if (g_variant_get_uint32(action) == 4)
			break;
		g_main_context_iteration(NULL, FALSE);
		g_usleep(10000);
	}
	rb_test_assert_ok(rb_test_client_call(f.client,
					      RB_VERIFY_RECORDER,
					      RB_TEST_FORMAT,
					      "CancelWrite",
					      NULL,
					      NULL,
					      &message),
			  &message);
	rb_test_pending_wait(&pending);
	ck_assert_str_eq(pending.error_name, RB_TEST_ERROR("RequestCancelled"));
	rb_test_pending_clear(&pending);
	owner = rb_test_client_get(
		f.client, RB_VERIFY_RECORDER, RB_TEST_RECORDER, "ExclusiveAccessOwner");
	ck_assert_str_eq(g_variant_get_string(owner, NULL), "");
	close(pipefd[1]);
	close(fd);
	rb_verify_fixture_teardown(&f);
}
END_TEST

/* rawburnctl burn --verify and verify, and a disc that reads back wrong */
START_TEST(test_rawburnctl_verify)
{
	RbVerifyFixture f;
	gint fd = rb_verify_audio_stream_fd(2, rb_audio_main);
	g_autofree gchar *path = g_strdup_printf("/proc/%d/fd/%d", (gint)getpid(), fd);
	const gchar *burn[] = {"burn", "--verify", "virtual0", path, NULL};
	const gchar *verify[] = {"verify", "virtual0", path, NULL};
	const gchar *verify_json[] = {"--json", "verify", "virtual0", path, NULL};
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;

	rb_verify_fixture_setup(&f, "cd-rw-80");
	ck_assert_msg(rb_test_run_rawburnctl(f.service, burn, &out, &err) == 0, "%s", err);
	ck_assert_msg(strstr(out, "Verifying") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "Verified") != NULL, "%s", out);
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	ck_assert_msg(rb_test_run_rawburnctl(f.service, verify, &out, &err) == 0, "%s", err);
	ck_assert_msg(strstr(out, "Verified") != NULL, "%s", out);
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	ck_assert_msg(rb_test_run_rawburnctl(f.service, verify_json, &out, &err) == 0, "%s", err);
	ck_assert_msg(strstr(out, "\"verified\":true") != NULL, "%s", out);
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	rb_verify_fixture_teardown(&f);

	/* a fresh disc that reads back wrong at LBA 123 */
	rb_verify_fixture_setup(&f, "cd-r-80");
	rb_test_client_set_faults(f.client, RB_VERIFY_RECORDER, "{'CorruptAtLba': <123>}");
	ck_assert_int_eq(rb_test_run_rawburnctl(f.service, burn, &out, &err), 8);
	ck_assert_msg(strstr(err, "LBA 123: main channel") != NULL, "%s", err);
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	ck_assert_int_eq(rb_test_run_rawburnctl(f.service, verify, &out, &err), 8);
	ck_assert_msg(strstr(err, "LBA 123: main channel byte 1000") != NULL, "%s", err);
	close(fd);
	rb_verify_fixture_teardown(&f);
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("verify");
	TCase *tc = tcase_create("verify");

	signal(SIGPIPE, SIG_IGN);
	tcase_set_timeout(tc, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_test(tc, test_burn_verify_clean);
	tcase_add_loop_test(tc, test_corrupt_audio, 0, 2);
	tcase_add_loop_test(tc, test_corrupt_data, 0, 2);
	tcase_add_test(tc, test_pq_burn_verifies);
	tcase_add_test(tc, test_verify_mismatches);
	tcase_add_test(tc, test_verify_lock);
	tcase_add_test(tc, test_verify_arguments);
	tcase_add_test(tc, test_verify_cancel);
	tcase_add_test(tc, test_rawburnctl_verify);
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
