/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Simulated burns (the TestWrite Burn option) over the bus and through
 * rawburnctl, on virtual CD-R and CD-RW recorders: everything runs (the
 * lock, the FIFO, Update with PREPARING, WRITING and FINISHING) and the
 * disc stays blank, as the drive's READ DISC INFORMATION and its validation
 * report say; a real burn of the same stream then succeeds. rawburnctl
 * refuses --simulate with a read-back, and names the service's reason when
 * a recorder cannot simulate. The property and its refusals are in
 * test-test-write.c.
 */
#include "config.h"

#include <string.h>

#include "rb-dao-stream.h"
#include "rb-error.h"
#include "rb-test-client.h"
#include "rb-test-service.h"
#include "rb-test-tools.h"
#include "rb-test-write-test.h"

#define RB_V0 RB_DBUS_RECORDERS_PATH "/virtual0"

/* ---- over the bus ---- */

static gint32
rb_get_leadin(RbTestClient *client, const gchar *path)
{
	g_autoptr(GVariant) start =
		rb_test_client_get(client, path, RB_TEST_FORMAT, "StartOfNextSession");
	return g_variant_get_int32(start);
}

static const gchar *const rb_media[] = {"media=cd-r-80,realtime=false",
					"media=cd-rw-80,realtime=false"};

/* Burn with the TestWrite option: everything runs, nothing is recorded;
 * then a real Burn of the same stream on the same disc */
START_TEST(test_test_write_burn)
{
	const gchar *const args[] = {"--virtual-recorder", rb_media[_i], NULL};
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(RbTestClient) client = NULL;
	g_autoptr(RbDaoStream) stream = rb_test_write_stream_new();
	g_autofree gchar *failed = NULL;
	RbTestWriteUpdates updates;
	gint32 leadin;

	rb_test_service_start_daemon(service, args);
	client = rb_test_client_new(service);
	rb_test_client_wait_for_drive(client, RB_V0);
	leadin = rb_get_leadin(client, RB_V0);
	ck_assert_int_eq(leadin, _i == 0 ? -11634 : -11077);
	rb_test_write_updates_watch(&updates, client, RB_V0);

	failed = rb_test_write_burn(client,
				    RB_V0,
				    stream,
				    "{'ClientName': <'Simulation'>, 'SectorType': <uint32 3>, "
				    "'TestWrite': <true>}");
	ck_assert_msg(failed == NULL, "simulated Burn: %s", failed);
	rb_test_write_updates_assert_whole_burn(&updates, rb_dao_stream_get_end_lba(stream));
	rb_test_write_assert_released(client, RB_V0);
	rb_test_write_assert_simulated(
		client, RB_V0, (guint64)(rb_dao_stream_get_end_lba(stream) - leadin));
	/* Burn's option was for that call: the caller's property is untouched */
	{
		g_autoptr(GVariant) value =
			rb_test_client_get(client, RB_V0, RB_TEST_FORMAT, "TestWrite");
		ck_assert(!g_variant_get_boolean(value));
	}

	/* the same disc, blank still, takes the real burn */
	g_array_set_size(updates.actions, 0);
	failed = rb_test_write_burn(client, RB_V0, stream, "{'SectorType': <uint32 3>}");
	ck_assert_msg(failed == NULL, "real Burn after the simulation: %s", failed);
	rb_test_write_updates_assert_whole_burn(&updates, rb_dao_stream_get_end_lba(stream));
	rb_test_write_assert_burned(client, RB_V0, stream, leadin);
	rb_test_write_assert_released(client, RB_V0);
	rb_test_write_updates_clear(&updates);
	rb_test_service_stop_daemon(service);
}
END_TEST

/* ---- rawburnctl burn --simulate ---- */

/* an image from the developer tool, in the fixture's directory */
static gchar *
rb_make_image(RbTestService *service, const gchar *name)
{
	g_autofree gchar *tool =
		g_build_filename(rb_test_get_builddir(), "tests", "rawburn-make-image", NULL);
	gchar *path = g_build_filename(service->tmpdir, name, NULL);
	const gchar *const argv[] = {
		tool, "--sector-type", "3", "--tracks", "2", "--seconds", "8", path, NULL};
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;

	ck_assert_msg(rb_test_run(argv, NULL, &out, &err) == 0, "rawburn-make-image: %s", err);
	return path;
}

/* a CUE sheet of one audio track in a BIN file */
static gchar *
rb_make_cue(RbTestService *service)
{
	gsize len = 600 * RB_CD_MAIN_SIZE;
	g_autofree guint8 *audio = g_malloc(len);
	g_autofree gchar *bin = NULL;

	for (gsize i = 0; i < len; i++)
		audio[i] = (guint8)(i * 7 + i / 4096);
	bin = rb_test_service_write_file(
		service, "track.bin", (const gchar *)audio, (gssize)len, 0644);
	return rb_test_service_write_file(service,
					  "disc.cue",
					  "FILE \"track.bin\" BINARY\n"
					  "  TRACK 01 AUDIO\n"
					  "    INDEX 01 00:00:00\n",
					  -1,
					  0644);
}

/* "rawburnctl --json report": TestWrite, Complete, SectorsRecorded */
static gchar *
rb_ctl_report_summary(RbTestService *service)
{
	const gchar *const args[] = {"--json", "report", "virtual0", NULL};
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;

	ck_assert_msg(rb_test_run_rawburnctl(service, args, &out, &err) == 0, "%s", err);
	return rb_test_json_query(
		out, "'%s %s %d' % (d['TestWrite'], d['Complete'], d['SectorsRecorded'] > 0)");
}

/* a raw image and a CUE sheet, simulated then burned, text and JSON */
START_TEST(test_test_write_rawburnctl)
{
	const gboolean cue = _i == 1;
	const gchar *const args[] = {"--virtual-recorder", rb_media[_i], NULL};
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(RbTestClient) client = NULL;
	g_autofree gchar *image = cue ? rb_make_cue(service) : rb_make_image(service, "image.raw");
	const gchar *const simulate[] = {"burn", "--simulate", "virtual0", image, NULL};
	const gchar *const simulate_json[] = {
		"--json", "burn", "virtual0", image, "--simulate", NULL};
	const gchar *const burn[] = {"burn", "virtual0", image, NULL};
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *summary = NULL;
	g_autoptr(GString) json = g_string_new("[");
	g_auto(GStrv) lines = NULL;

	rb_test_service_start_daemon(service, args);
	client = rb_test_client_new(service);
	rb_test_client_wait_for_drive(client, RB_V0);

	/* text: it says so before and after, with progress in between */
	ck_assert_msg(rb_test_run_rawburnctl(service, simulate, &out, &err) == 0, "%s", err);
	ck_assert_msg(strstr(out, "Simulating the burn") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "Writing: ") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "Finishing: 100%") != NULL, "%s", out);
	ck_assert_msg(g_str_has_suffix(out,
				       "Simulation complete: nothing was recorded, the disc is "
				       "still blank.\n"),
		      "%s",
		      out);
	ck_assert(strstr(out, "Burn complete") == NULL);
	rb_test_write_assert_released(client, RB_V0);
	rb_test_write_wait_for(
		client, RB_V0, RB_TEST_FORMAT, "MediaPhysicallyBlank", g_variant_new_boolean(TRUE));
	summary = rb_ctl_report_summary(service);
	ck_assert_str_eq(summary, "True False 0");
	g_clear_pointer(&summary, g_free);
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);

	/* JSON: every progress object says it is a simulation */
	ck_assert_msg(rb_test_run_rawburnctl(service, simulate_json, &out, &err) == 0, "%s", err);
	lines = g_strsplit(out, "\n", -1);
	for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
		g_string_append_printf(json, "%s%s", i > 0 ? "," : "", lines[i]);
	g_string_append(json, "]");
	summary = rb_test_json_query(json->str,
				     "'%d %s %s' % (len(d) >= 2 and all(x['simulated'] is True "
				     "for x in d), d[-1]['action'], d[-1]['percent'])");
	ck_assert_str_eq(summary, "1 finishing 100");
	g_clear_pointer(&summary, g_free);
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	rb_test_write_wait_for(
		client, RB_V0, RB_TEST_FORMAT, "MediaPhysicallyBlank", g_variant_new_boolean(TRUE));

	/* then for real, on the same disc */
	ck_assert_msg(rb_test_run_rawburnctl(service, burn, &out, &err) == 0, "%s", err);
	ck_assert_msg(g_str_has_suffix(out, "Burn complete.\n"), "%s", out);
	ck_assert(strstr(out, "Simulat") == NULL);
	rb_test_write_wait_for(client,
			       RB_V0,
			       RB_TEST_FORMAT,
			       "MediaPhysicallyBlank",
			       g_variant_new_boolean(FALSE));
	summary = rb_ctl_report_summary(service);
	ck_assert_str_eq(summary, "False True 1");
	rb_test_service_stop_daemon(service);
}
END_TEST

/* a simulation records nothing to read back: refused as a usage error,
 * before the service is asked anything */
START_TEST(test_test_write_rawburnctl_with_verify)
{
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autofree gchar *image = rb_make_image(service, "image.raw");
	const gchar *const burn[] = {"burn", "--simulate", "--verify", "virtual0", image, NULL};
	const gchar *const verify[] = {"verify", "--simulate", "virtual0", image, NULL};
	const gchar *const *const commands[] = {burn, verify};

	for (guint i = 0; i < G_N_ELEMENTS(commands); i++) {
		g_autofree gchar *out = NULL;
		g_autofree gchar *err = NULL;

		ck_assert_int_eq(rb_test_run_rawburnctl(service, commands[i], &out, &err), 2);
		ck_assert_msg(strstr(err, "--simulate") != NULL, "%s", err);
	}
}
END_TEST

/* a recorder without test writing: rawburnctl fails with the service's
 * named reason, the lock released and the disc blank */
START_TEST(test_test_write_rawburnctl_not_supported)
{
	const gchar *const args[] = {
		"--virtual-recorder", "media=cd-rw-80,realtime=false,test-write=false", NULL};
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(RbTestClient) client = NULL;
	g_autofree gchar *image = rb_make_image(service, "image.raw");
	const gchar *const simulate[] = {"burn", "--simulate", "virtual0", image, NULL};
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autoptr(GVariant) report = NULL;

	rb_test_service_start_daemon(service, args);
	client = rb_test_client_new(service);
	rb_test_client_wait_for_drive(client, RB_V0);
	ck_assert_int_eq(rb_test_run_rawburnctl(service, simulate, &out, &err), 1);
	ck_assert_msg(g_str_has_prefix(err, "rawburnctl: The recorder cannot simulate a write"),
		      "%s",
		      err);
	ck_assert_msg(strstr(err, "\nDetails: 0xC0AA06F3: ") != NULL, "%s", err);
	ck_assert(strstr(err, "org.rawburn") == NULL);
	rb_test_write_assert_released(client, RB_V0);
	report = rb_test_client_get(client, RB_V0, RB_TEST_VIRTUAL, "ValidationReport");
	ck_assert_uint_eq(rb_test_report_number(report, "SectorsWritten"), 0);
	rb_test_write_wait_for(
		client, RB_V0, RB_TEST_FORMAT, "MediaPhysicallyBlank", g_variant_new_boolean(TRUE));
	rb_test_service_stop_daemon(service);
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("test-write-burn");
	TCase *tc = tcase_create("test-write-burn");

	tcase_set_timeout(tc, RB_TEST_TIMEOUT_SECONDS * 2);
	tcase_add_loop_test(tc, test_test_write_burn, 0, G_N_ELEMENTS(rb_media));
	tcase_add_loop_test(tc, test_test_write_rawburnctl, 0, G_N_ELEMENTS(rb_media));
	tcase_add_test(tc, test_test_write_rawburnctl_not_supported);
	tcase_add_test(tc, test_test_write_rawburnctl_with_verify);
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
