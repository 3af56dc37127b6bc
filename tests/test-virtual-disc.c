/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A virtual recorder's disc on the bus: LoadDisc puts back a disc that
 * ExportImage saved (and the drive judges it again), FinishingMilliseconds
 * sets how long the drive stays busy after a burn, ValidationReport names
 * the first problems, and rawburnctl's "virtual" commands change the
 * medium. Bad options and images are refused by name.
 */
#include "config.h"

#include <fcntl.h>
#include <gio/gunixfdlist.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "rb-dao-stream.h"
#include "rb-error.h"
#include "rb-subchannel.h"
#include "rb-test-client.h"

#define RB_VIRTUAL0 RB_DBUS_RECORDERS_PATH "/virtual0"
#define RB_VIRTUAL1 RB_DBUS_RECORDERS_PATH "/virtual1"
#define RB_STREAM_FIRST_LBA (-22650)
/* a sector whose Q a test breaks */
#define RB_BROKEN_LBA 100

static const gchar *const rb_two_recorders[] = {"--virtual-recorder",
						"media=cd-r-80,realtime=false",
						"--virtual-recorder",
						"media=cd-r-80,realtime=false",
						NULL};

static gboolean
rb_pattern_main(gint32 lba, guint8 *main_data, gpointer user_data, GError **error)
{
	for (guint i = 0; i < RB_CD_MAIN_SIZE; i++)
		main_data[i] = (guint8)(lba * 7 + i);
	return TRUE;
}

/* two audio tracks as a 2448-byte stream from 95:00:00 in a file; with
 * @break_q, the Q channel of RB_BROKEN_LBA has one bit flipped */
static gchar *
rb_write_stream(RbTestService *service, const gchar *name, gboolean break_q)
{
	const RbDaoTrack tracks[] = {{0, 300}, {300, 300}};
	g_autoptr(GError) error = NULL;
	g_autoptr(RbDaoStream) stream = rb_dao_stream_new(
		RB_STREAM_FIRST_LBA, tracks, 2, 3, rb_pattern_main, NULL, NULL, &error);
	gint32 end;
	gsize size;
	g_autofree guint8 *data = NULL;

	ck_assert_msg(stream != NULL, "%s", error ? error->message : "");
	end = rb_dao_stream_get_end_lba(stream);
	size = (gsize)(end - RB_STREAM_FIRST_LBA) * 2448;
	data = g_malloc(size);
	ck_assert(rb_dao_stream_get_sectors(
		stream, RB_STREAM_FIRST_LBA, (guint)(end - RB_STREAM_FIRST_LBA), data, &error));
	if (break_q) {
		/* bit 6 of a sub-channel byte is Q: byte 85 is in Q's CRC */
		data[(gsize)(RB_BROKEN_LBA - RB_STREAM_FIRST_LBA) * 2448 + 2352 + 85] ^= 0x40;
	}
	return rb_test_service_write_file(service, name, (const gchar *)data, (gssize)size, 0644);
}

/* @file opened for a call's descriptor */
static gint
rb_open(const gchar *file, gint flags)
{
	gint fd = open(file, flags | O_CLOEXEC, 0644);

	ck_assert_msg(fd >= 0, "%s", file);
	return fd;
}

static void
rb_burn(RbTestClient *client, const gchar *path, const gchar *stream_file)
{
	gint fd = rb_open(stream_file, O_RDONLY);

	rb_test_client_assert_call(client,
				   path,
				   RB_TEST_FORMAT,
				   "Burn",
				   g_variant_new_parsed("(@h 0, {'Preflight': <'off'>})"),
				   fd);
	close(fd);
}

static GVariant *
rb_report(RbTestClient *client, const gchar *path)
{
	return rb_test_client_get(client, path, RB_TEST_VIRTUAL, "ValidationReport");
}

static gchar *
rb_export(RbTestClient *client, RbTestService *service, const gchar *path, const gchar *name)
{
	g_autofree gchar *file = rb_test_service_write_file(service, name, "", 0, 0644);
	gint fd = rb_open(file, O_WRONLY);

	rb_test_client_assert_call(
		client, path, RB_TEST_VIRTUAL, "ExportImage", g_variant_new("(h)", 0), fd);
	close(fd);
	return g_steal_pointer(&file);
}

static gchar *
rb_load(RbTestClient *client, const gchar *path, const gchar *file, GVariant *options)
{
	g_autofree gchar *message = NULL;
	gint fd = rb_open(file, O_RDONLY);
	gchar *error = rb_test_client_call_with_fd(
		client,
		path,
		RB_TEST_VIRTUAL,
		"LoadDisc",
		g_variant_new("(h@a{sv})",
			      0,
			      options != NULL ? options : g_variant_new_parsed("@a{sv} {}")),
		fd,
		&message);

	close(fd);
	if (error != NULL)
		g_debug("LoadDisc: %s %s", error, message);
	return error;
}

static void
rb_assert_same_file(const gchar *a, const gchar *b)
{
	g_autofree gchar *data_a = NULL;
	g_autofree gchar *data_b = NULL;
	gsize len_a = 0;
	gsize len_b = 0;

	ck_assert(g_file_get_contents(a, &data_a, &len_a, NULL));
	ck_assert(g_file_get_contents(b, &data_b, &len_b, NULL));
	ck_assert_uint_eq(len_a, len_b);
	ck_assert(memcmp(data_a, data_b, len_a) == 0);
}

/* burned on one recorder, saved, loaded into another: the same disc, judged
 * the same, read the same, and no longer blank */
START_TEST(test_virtual_disc_load_round_trip)
{
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(RbTestClient) client = NULL;
	g_autofree gchar *stream = NULL;
	g_autofree gchar *first = NULL;
	g_autofree gchar *second = NULL;
	g_autoptr(GVariant) burned = NULL;
	g_autoptr(GVariant) loaded = NULL;
	gboolean complete = FALSE;
	g_autofree gchar *error = NULL;
	const gchar *const same[] = {
		"SectorsWritten",
		"LeadInSectors",
		"ProgramSectors",
		"LeadOutSectors",
		"TocEntries",
		"Tracks",
		"FirstLba",
		"LeadOutStart",
	};

	rb_test_service_start_daemon(service, rb_two_recorders);
	client = rb_test_client_new(service);
	rb_test_client_wait_for_drive(client, RB_VIRTUAL0);
	rb_test_client_wait_for_drive(client, RB_VIRTUAL1);
	stream = rb_write_stream(service, "stream.bin", FALSE);
	rb_burn(client, RB_VIRTUAL0, stream);
	burned = rb_report(client, RB_VIRTUAL0);
	rb_test_assert_report_clean(burned);
	ck_assert_uint_eq(rb_test_report_number(burned, "Tracks"), 2);
	first = rb_export(client, service, RB_VIRTUAL0, "first.img");

	error = rb_load(client, RB_VIRTUAL1, first, NULL);
	ck_assert_msg(error == NULL, "LoadDisc: %s", error);
	loaded = rb_report(client, RB_VIRTUAL1);
	rb_test_assert_report_clean(loaded);
	for (guint i = 0; i < G_N_ELEMENTS(same); i++)
		ck_assert_msg(rb_test_report_number(burned, same[i]) ==
				      rb_test_report_number(loaded, same[i]),
			      "%s differs",
			      same[i]);
	ck_assert(g_variant_lookup(loaded, "Complete", "b", &complete));
	ck_assert(complete);
	/* the recorder reads the new medium in a thread of its own */
	for (gint64 deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;;) {
		g_autoptr(GVariant) blank = rb_test_client_get(
			client, RB_VIRTUAL1, RB_TEST_FORMAT, "MediaPhysicallyBlank");

		if (!g_variant_get_boolean(blank))
			break;
		ck_assert_msg(g_get_monotonic_time() < deadline,
			      "the loaded disc still reads as blank");
		g_usleep(20 * 1000);
	}
	/* a written disc takes no burn */
	g_clear_pointer(&error, g_free);
	error = rb_test_client_call(
		client, RB_VIRTUAL1, RB_TEST_FORMAT, "PrepareMedia", NULL, NULL, NULL);
	ck_assert_str_eq(error, RB_TEST_ERROR("MediaIsNotBlank"));

	second = rb_export(client, service, RB_VIRTUAL1, "second.img");
	rb_assert_same_file(first, second);
	rb_test_service_stop_daemon(service);
}
END_TEST

/* what LoadDisc refuses, by name, with the recorder left as it was */
START_TEST(test_virtual_disc_load_refused)
{
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(RbTestClient) client = NULL;
	g_autoptr(RbTestClient) holder = NULL;
	/* not a whole number of 2448-byte sectors */
	g_autofree gchar *ragged_bytes = g_malloc0(1000);
	g_autofree gchar *ragged =
		rb_test_service_write_file(service, "ragged.img", ragged_bytes, 1000, 0644);
	g_autofree gchar *empty = rb_test_service_write_file(service, "empty.img", "", 0, 0644);
	const gchar *const bad_options[] = {
		"{'Speed': <1>}",
		"{'FirstLba': <'-11634'>}",
		"{'FirstLba': <1>}",
		"{'Media': <'floppy'>}",
		"{'Media': <'none'>}",
		"{'Media': <5>}",
		"{'auth.no_user_interaction': <1>}",
	};
	g_autoptr(GVariant) blank = NULL;

	rb_test_service_start_daemon(service, rb_two_recorders);
	client = rb_test_client_new(service);
	holder = rb_test_client_new(service);
	rb_test_client_wait_for_drive(client, RB_VIRTUAL0);
	for (guint i = 0; i < G_N_ELEMENTS(bad_options); i++) {
		g_autofree gchar *error =
			rb_load(client, RB_VIRTUAL0, empty, g_variant_new_parsed(bad_options[i]));
		ck_assert_msg(g_strcmp0(error, RB_TEST_INVALID_ARGS) == 0,
			      "%s gave %s",
			      bad_options[i],
			      error);
	}
	{
		g_autofree gchar *error = rb_load(client, RB_VIRTUAL0, ragged, NULL);
		ck_assert_str_eq(error, RB_TEST_INVALID_ARGS);
	}
	{
		g_autofree gchar *error = rb_load(client, RB_VIRTUAL0, empty, NULL);
		ck_assert_str_eq(error, RB_TEST_INVALID_ARGS);
	}
	/* the blank is still there */
	blank = rb_test_client_get(client, RB_VIRTUAL0, RB_TEST_FORMAT, "MediaPhysicallyBlank");
	ck_assert(g_variant_get_boolean(blank));
	/* a held recorder's medium stays in */
	{
		g_autofree gchar *prepared = rb_test_client_call(
			holder, RB_VIRTUAL0, RB_TEST_FORMAT, "PrepareMedia", NULL, NULL, NULL);
		g_autofree gchar *error = NULL;

		ck_assert_ptr_null(prepared);
		error = rb_load(client, RB_VIRTUAL0, empty, NULL);
		ck_assert_str_eq(error, RB_TEST_ERROR("Locked"));
	}
	rb_test_service_stop_daemon(service);
}
END_TEST

/* FinishingMilliseconds: by the drive's kind at first, the client's value
 * after; nothing out of range, nothing of another type (GDBus checks the
 * type of a property write) */
START_TEST(test_virtual_disc_finishing_milliseconds)
{
	const gchar *const args[] = {"--virtual-recorder",
				     "media=cd-r-80,realtime=false",
				     "--virtual-recorder",
				     "media=cd-r-80,realtime=true",
				     NULL};
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(RbTestClient) client = NULL;
	const gchar *const refused[] = {"<@u 600001>", "<-1>", "<'100'>", "<@t 4294967296>"};

	rb_test_service_start_daemon(service, args);
	client = rb_test_client_new(service);
	rb_test_client_wait_for_drive(client, RB_VIRTUAL1);
	{
		g_autoptr(GVariant) fast = rb_test_client_get(
			client, RB_VIRTUAL0, RB_TEST_VIRTUAL, "FinishingMilliseconds");
		g_autoptr(GVariant) paced = rb_test_client_get(
			client, RB_VIRTUAL1, RB_TEST_VIRTUAL, "FinishingMilliseconds");
		ck_assert_uint_eq(g_variant_get_uint32(fast), 0);
		ck_assert_uint_eq(g_variant_get_uint32(paced), 2000);
	}
	for (guint i = 0; i < G_N_ELEMENTS(refused); i++) {
		g_autofree gchar *error = rb_test_client_set(client,
							     RB_VIRTUAL0,
							     RB_TEST_VIRTUAL,
							     "FinishingMilliseconds",
							     g_variant_new_parsed(refused[i]),
							     NULL);
		ck_assert_msg(g_strcmp0(error, RB_TEST_INVALID_ARGS) == 0,
			      "%s gave %s",
			      refused[i],
			      error);
	}
	{
		g_autofree gchar *error = rb_test_client_set(client,
							     RB_VIRTUAL0,
							     RB_TEST_VIRTUAL,
							     "FinishingMilliseconds",
							     g_variant_new_uint32(250),
							     NULL);
		g_autoptr(GVariant) value = NULL;

		ck_assert_ptr_null(error);
		value = rb_test_client_get(
			client, RB_VIRTUAL0, RB_TEST_VIRTUAL, "FinishingMilliseconds");
		ck_assert_uint_eq(g_variant_get_uint32(value), 250);
	}
	rb_test_service_stop_daemon(service);
}
END_TEST

/* a broken Q in the program area: the report counts it and names its LBA
 * first, and the burn with Preflight off went through */
START_TEST(test_virtual_disc_report_first_problems)
{
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(RbTestClient) client = NULL;
	g_autofree gchar *stream = NULL;
	g_autoptr(GVariant) report = NULL;
	g_autoptr(GVariant) problems = NULL;
	g_autoptr(GVariant) first = NULL;
	gint32 lba = 0;
	const gchar *kind = NULL;
	const gchar *detail = NULL;

	rb_test_service_start_daemon(service, rb_two_recorders);
	client = rb_test_client_new(service);
	rb_test_client_wait_for_drive(client, RB_VIRTUAL0);
	stream = rb_write_stream(service, "broken.bin", TRUE);
	rb_burn(client, RB_VIRTUAL0, stream);
	report = rb_report(client, RB_VIRTUAL0);
	ck_assert_uint_eq(rb_test_report_number(report, "BadQCrc"), 1);
	problems = g_variant_lookup_value(report, "FirstProblems", G_VARIANT_TYPE("aa{sv}"));
	ck_assert_ptr_nonnull(problems);
	ck_assert_uint_eq(g_variant_n_children(problems), 1);
	first = g_variant_get_child_value(problems, 0);
	ck_assert(g_variant_lookup(first, "Lba", "i", &lba));
	ck_assert(g_variant_lookup(first, "Kind", "&s", &kind));
	ck_assert(g_variant_lookup(first, "Detail", "&s", &detail));
	ck_assert_int_eq(lba, RB_BROKEN_LBA);
	ck_assert_str_eq(kind, "q-crc");
	ck_assert(detail[0] != '\0');
	rb_test_service_stop_daemon(service);
}
END_TEST

/* rawburnctl virtual remove / insert / load, each seen on the bus */
START_TEST(test_virtual_disc_rawburnctl_commands)
{
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(RbTestClient) client = NULL;
	g_autofree gchar *stream = NULL;
	g_autofree gchar *image = NULL;
	g_autoptr(GVariant) report = NULL;

	rb_test_service_start_daemon(service, rb_two_recorders);
	client = rb_test_client_new(service);
	rb_test_client_wait_for_drive(client, RB_VIRTUAL0);
	rb_test_client_wait_for_drive(client, RB_VIRTUAL1);
	stream = rb_write_stream(service, "stream.bin", FALSE);
	rb_burn(client, RB_VIRTUAL0, stream);
	image = rb_export(client, service, RB_VIRTUAL0, "disc.img");
	{
		const gchar *const args[] = {"virtual", "remove", "virtual1", NULL};
		g_autofree gchar *out = NULL;
		g_autofree gchar *err = NULL;

		ck_assert_msg(rb_test_run_rawburnctl(service, args, &out, &err) == 0, "%s", err);
		/* the recorder's properties follow the drive after the reply */
		rb_test_client_wait_for_property(client,
						 RB_VIRTUAL1,
						 RB_TEST_RECORDER,
						 "MediaPresent",
						 g_variant_new_boolean(FALSE));
	}
	{
		const gchar *const args[] = {"virtual", "insert", "virtual1", "cd-rw-74", NULL};
		g_autofree gchar *out = NULL;
		g_autofree gchar *err = NULL;

		ck_assert_msg(rb_test_run_rawburnctl(service, args, &out, &err) == 0, "%s", err);
	}
	{
		const gchar *const args[] = {"virtual", "insert", "virtual1", "floppy", NULL};
		g_autofree gchar *out = NULL;
		g_autofree gchar *err = NULL;

		/* the service's InvalidArgs: a wrong value on the command line */
		ck_assert_int_eq(rb_test_run_rawburnctl(service, args, &out, &err), 2);
		ck_assert_msg(strstr(err, "floppy") != NULL, "%s", err);
	}
	{
		const gchar *const args[] = {"virtual", "eject", "virtual1", NULL};
		g_autofree gchar *out = NULL;
		g_autofree gchar *err = NULL;

		ck_assert_int_eq(rb_test_run_rawburnctl(service, args, &out, &err), 2);
		ck_assert_msg(strstr(err, "insert") != NULL, "%s", err);
	}
	{
		const gchar *const args[] = {
			"virtual", "load", "--media", "cd-r-80", "virtual1", image, NULL};
		g_autofree gchar *out = NULL;
		g_autofree gchar *err = NULL;

		ck_assert_msg(rb_test_run_rawburnctl(service, args, &out, &err) == 0, "%s", err);
	}
	report = rb_report(client, RB_VIRTUAL1);
	ck_assert_uint_eq(rb_test_report_number(report, "Tracks"), 2);
	rb_test_assert_report_clean(report);
	{
		const gchar *const args[] = {"report", "virtual1", NULL};
		g_autofree gchar *out = NULL;
		g_autofree gchar *err = NULL;

		ck_assert_msg(rb_test_run_rawburnctl(service, args, &out, &err) == 0, "%s", err);
		ck_assert_msg(strstr(out, "SequenceErrors") != NULL, "%s", out);
	}
	rb_test_service_stop_daemon(service);
}
END_TEST

static Suite *
rb_suite(void)
{
	Suite *suite = suite_create("virtual-disc");
	TCase *tc = tcase_create("virtual-disc");

	tcase_set_timeout(tc, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_test(tc, test_virtual_disc_load_round_trip);
	tcase_add_test(tc, test_virtual_disc_load_refused);
	tcase_add_test(tc, test_virtual_disc_finishing_milliseconds);
	tcase_add_test(tc, test_virtual_disc_report_first_problems);
	tcase_add_test(tc, test_virtual_disc_rawburnctl_commands);
	suite_add_tcase(suite, tc);
	return suite;
}

int
main(void)
{
	return rb_test_run_suite(rb_suite());
}
