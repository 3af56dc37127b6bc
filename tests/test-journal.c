/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * rawburnd's journal records, read from its stderr in the
 * RAWBURN_LOG_FORMAT=fields form (one record a line, KEY=VALUE fields
 * between tabs): nothing while clients only read properties; prepare,
 * write start and end and release of a burn, with the recorder, the
 * client's name, bus name and uid and the stream's sectors; a failed, a
 * cancelled burn; an erase.
 */
#include "config.h"

#include <fcntl.h>
#include <gio/gunixfdlist.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rb-error.h"
#include "rb-test-client.h"
#include "rb-test-service.h"
#include "rb-test-write-test.h"

#define RB_V0 RB_DBUS_RECORDERS_PATH "/virtual0"
#define RB_ERASE "org.rawburn.RawBurn1.DiscFormat2Erase"
#define RB_CLIENT_NAME "journal-test"
/* IMAPI's sector type 3: 2352 main + 96 sub-channel bytes */
#define RB_RAW_SECTOR 2448
#define RB_BURN_OPTIONS "{'ClientName': <'" RB_CLIENT_NAME "'>, 'SectorType': <uint32 3>}"

/* --- reading the records ---------------------------------------------------------- */

static gchar *
rb_read_log(RbTestService *service)
{
	gchar *log = NULL;

	ck_assert(g_file_get_contents(service->daemon_log, &log, NULL, NULL));
	return log;
}

/* the records (RAWBURN_EVENT set) of the daemon's stderr, each a table of its fields */
static GPtrArray *
rb_read_records(RbTestService *service)
{
	g_autofree gchar *log = rb_read_log(service);
	g_auto(GStrv) lines = g_strsplit(log, "\n", -1);
	GPtrArray *records = g_ptr_array_new_with_free_func((GDestroyNotify)g_hash_table_unref);

	for (guint i = 0; lines[i] != NULL; i++) {
		g_auto(GStrv) fields = g_strsplit(lines[i], "\t", -1);
		GHashTable *record = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);

		for (guint j = 0; fields[j] != NULL; j++) {
			const gchar *equals = strchr(fields[j], '=');

			if (equals != NULL)
				g_hash_table_insert(record,
						    g_strndup(fields[j], equals - fields[j]),
						    g_strdup(equals + 1));
		}
		if (g_hash_table_contains(record, "RAWBURN_EVENT"))
			g_ptr_array_add(records, record);
		else
			g_hash_table_unref(record);
	}
	return records;
}

static GHashTable *
rb_find_record(GPtrArray *records, const gchar *event)
{
	for (guint i = 0; i < records->len; i++) {
		GHashTable *record = g_ptr_array_index(records, i);

		if (g_strcmp0(g_hash_table_lookup(record, "RAWBURN_EVENT"), event) == 0)
			return record;
	}
	return NULL;
}

/* the events in order, space-separated */
static gchar *
rb_events(GPtrArray *records)
{
	g_autoptr(GString) events = g_string_new(NULL);

	for (guint i = 0; i < records->len; i++) {
		GHashTable *record = g_ptr_array_index(records, i);

		if (events->len > 0)
			g_string_append_c(events, ' ');
		g_string_append(events, g_hash_table_lookup(record, "RAWBURN_EVENT"));
	}
	return g_string_free(g_steal_pointer(&events), FALSE);
}

/* the records once @event and at least @n_records were logged: a record
 * may wait for the bus's answer about the client's uid, after the reply
 * the test got, and the release after an operation's end comes later */
static GPtrArray *
rb_wait_records(RbTestService *service, const gchar *event, guint n_records)
{
	gint64 deadline = g_get_monotonic_time() + RB_TEST_TIMEOUT_SECONDS * G_USEC_PER_SEC / 2;

	for (;;) {
		g_autoptr(GPtrArray) records = rb_read_records(service);
		g_autofree gchar *events = NULL;

		if (rb_find_record(records, event) != NULL && records->len >= n_records)
			return g_steal_pointer(&records);
		events = rb_events(records);
		ck_assert_msg(g_get_monotonic_time() < deadline,
			      "no “%s” record among %u; the records: %s",
			      event,
			      n_records,
			      events);
		g_usleep(10000);
	}
}

static void
rb_assert_field(GHashTable *record, const gchar *key, const gchar *want)
{
	const gchar *value = g_hash_table_lookup(record, key);

	ck_assert_msg(value != NULL,
		      "no %s in the %s record",
		      key,
		      (const gchar *)g_hash_table_lookup(record, "RAWBURN_EVENT"));
	ck_assert_str_eq(value, want);
}

static gint64
rb_field_int(GHashTable *record, const gchar *key)
{
	const gchar *value = g_hash_table_lookup(record, key);

	ck_assert_msg(value != NULL, "no %s", key);
	return g_ascii_strtoll(value, NULL, 10);
}

/* the fields each record of @client on virtual0 has */
static void
rb_assert_who(GHashTable *record, RbTestClient *client, const gchar *client_name)
{
	g_autofree gchar *uid = g_strdup_printf("%u", (guint)getuid());

	rb_assert_field(record, "PRIORITY", "6");
	rb_assert_field(record, "RAWBURN_RECORDER", RB_V0);
	rb_assert_field(record, "RAWBURN_BUS_NAME", rb_test_client_get_name(client));
	rb_assert_field(record, "RAWBURN_CLIENT", client_name);
	rb_assert_field(record, "RAWBURN_UID", uid);
	ck_assert_uint_eq(strlen(g_hash_table_lookup(record, "MESSAGE_ID")), 32);
	ck_assert_ptr_nonnull(g_hash_table_lookup(record, "MESSAGE"));
}

/* the @event record, which must be there, of @client as @client_name */
static GHashTable *
rb_assert_record(GPtrArray *records,
		 const gchar *event,
		 RbTestClient *client,
		 const gchar *client_name)
{
	GHashTable *record = rb_find_record(records, event);

	ck_assert_msg(record != NULL, "no “%s” record", event);
	rb_assert_who(record, client, client_name);
	return record;
}

static void
rb_assert_ok(gchar *error_name, const gchar *what)
{
	g_autofree gchar *name = error_name;

	ck_assert_msg(name == NULL, "%s: %s", what, name);
}

/* rawburnd with virtual0 (@recorder its options), a client that waited for
 * the drive, and a stream to burn */
typedef struct {
	RbTestService *service;
	RbTestClient *client;
	RbDaoStream *stream;
} RbJournal;

static void
rb_journal_start(RbJournal *journal, const gchar *recorder)
{
	journal->service = rb_test_service_new_with_recorder(recorder);
	journal->client = rb_test_client_new(journal->service);
	journal->stream = rb_test_write_stream_new();
	rb_test_client_wait_for_drive(journal->client, RB_V0);
}

/* the daemon must end cleanly: every test's last check */
static void
rb_journal_stop(RbJournal *journal)
{
	ck_assert_int_eq(rb_test_service_stop_daemon(journal->service), 0);
	g_clear_pointer(&journal->stream, rb_dao_stream_free);
	g_clear_pointer(&journal->client, rb_test_client_free);
	g_clear_pointer(&journal->service, rb_test_service_free);
}

/* a burn of the journal's stream, once the drive shows it */
static void
rb_journal_burn(RbJournal *journal)
{
	rb_assert_ok(rb_test_write_burn(journal->client, RB_V0, journal->stream, RB_BURN_OPTIONS),
		     "Burn");
	rb_test_client_wait_for_property(journal->client,
					 RB_V0,
					 RB_TEST_FORMAT,
					 "MediaPhysicallyBlank",
					 g_variant_new_boolean(FALSE));
}

/* --- tests -------------------------------------------------------------------------- */

/* a daemon without --debug, as the service runs: clients that only read
 * leave not a line on stderr; the records of a PrepareMedia are still
 * logged (INFO, which GLib's default writer drops) */
START_TEST(test_journal_quiet_when_idle)
{
	const gchar *args[] = {"--virtual-recorder", "media=cd-r-80,realtime=false", NULL};
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(RbTestClient) client = NULL;
	g_autoptr(GPtrArray) records = NULL;
	g_autofree gchar *before = NULL;
	g_autofree gchar *after = NULL;
	g_autofree gchar *events = NULL;
	gint64 end;

	service->daemon_no_debug = TRUE;
	rb_test_service_start_daemon(service, args);
	client = rb_test_client_new(service);
	rb_test_client_wait_for_drive(client, RB_V0);
	before = rb_read_log(service);
	end = g_get_monotonic_time() + 2 * G_USEC_PER_SEC;
	while (g_get_monotonic_time() < end) {
		g_autoptr(GVariant) blank =
			rb_test_client_get(client, RB_V0, RB_TEST_FORMAT, "MediaPhysicallyBlank");
		g_autoptr(GVariant) vendor =
			rb_test_client_get(client, RB_V0, RB_TEST_RECORDER, "VendorId");
		g_autoptr(GVariant) all =
			rb_test_client_call_reply(client,
						  RB_V0,
						  "org.freedesktop.DBus.Properties",
						  "GetAll",
						  g_variant_new("(s)", RB_TEST_FORMAT));

		g_usleep(50000);
	}
	after = rb_read_log(service);
	ck_assert_str_eq(after, before);

	rb_test_client_assert_call(client, RB_V0, RB_TEST_FORMAT, "PrepareMedia", NULL, -1);
	rb_test_client_assert_call(client, RB_V0, RB_TEST_FORMAT, "ReleaseMedia", NULL, -1);
	records = rb_wait_records(service, "release", 0);
	events = rb_events(records);
	ck_assert_str_eq(events, "prepare release");
	ck_assert_int_eq(rb_test_service_stop_daemon(service), 0);
}
END_TEST

/* PrepareMedia and ReleaseMedia, then a Burn: who, where, how much */
START_TEST(test_journal_burn)
{
	RbJournal journal;
	RbTestClient *client;
	g_autoptr(GPtrArray) records = NULL;
	g_autofree gchar *events = NULL;
	const gchar *process_name;
	GHashTable *record;
	struct stat st;
	gint fd;
	gint64 sectors;

	rb_journal_start(&journal, "media=cd-r-80,realtime=false");
	client = journal.client;
	fd = rb_test_stream_to_file(journal.stream);
	ck_assert_int_eq(fstat(fd, &st), 0);
	close(fd);
	sectors = st.st_size / RB_RAW_SECTOR;

	/* under the process's name, the default ClientName */
	rb_assert_ok(rb_test_client_call(
			     client, RB_V0, RB_TEST_FORMAT, "PrepareMedia", NULL, NULL, NULL),
		     "PrepareMedia");
	rb_assert_ok(rb_test_client_call(
			     client, RB_V0, RB_TEST_FORMAT, "ReleaseMedia", NULL, NULL, NULL),
		     "ReleaseMedia");
	records = rb_wait_records(journal.service, "release", 0);
	events = rb_events(records);
	ck_assert_str_eq(events, "prepare release");
	record = rb_find_record(records, "prepare");
	process_name = g_hash_table_lookup(record, "RAWBURN_CLIENT");
	ck_assert_ptr_nonnull(process_name);
	ck_assert_str_ne(process_name, "");
	rb_assert_who(record, client, process_name);
	rb_assert_field(record, "RAWBURN_SPEED", "-1");
	record = rb_assert_record(records, "release", client, process_name);
	rb_assert_field(record, "RAWBURN_RELEASED_BY", "ReleaseMedia");

	rb_assert_ok(rb_test_write_burn(client, RB_V0, journal.stream, RB_BURN_OPTIONS), "Burn");
	g_clear_pointer(&records, g_ptr_array_unref);
	g_clear_pointer(&events, g_free);
	records = rb_wait_records(journal.service, "write-end", 6);
	events = rb_events(records);
	ck_assert_str_eq(events, "prepare release prepare write-start write-end release");

	record = g_ptr_array_index(records, 2);
	rb_assert_who(record, client, RB_CLIENT_NAME);

	record = rb_assert_record(records, "write-start", client, RB_CLIENT_NAME);
	ck_assert_int_eq(rb_field_int(record, "RAWBURN_SECTORS"), sectors);
	ck_assert_int_eq(rb_field_int(record, "RAWBURN_BYTES"), st.st_size);
	rb_assert_field(record, "RAWBURN_SECTOR_TYPE", "3");
	rb_assert_field(record, "RAWBURN_LEAD_IN_SECTORS", "22650");
	rb_assert_field(record, "RAWBURN_TEST_WRITE", "0");

	/* from the disc's lead-in start (-11634) on: the stream's sectors before
	 * it are not written */
	record = rb_assert_record(records, "write-end", client, RB_CLIENT_NAME);
	ck_assert_int_eq(rb_field_int(record, "RAWBURN_SECTORS"), sectors - (22650 - 11634));
	ck_assert_int_eq(rb_field_int(record, "RAWBURN_BYTES"),
			 rb_field_int(record, "RAWBURN_SECTORS") * RB_RAW_SECTOR);
	ck_assert_int_ge(rb_field_int(record, "RAWBURN_DURATION_MS"), 0);
	ck_assert_int_ge(rb_field_int(record, "RAWBURN_RATE"), 0);
	/* the FIFO sized by the recorder's speed, within --fifo-size, and its
	 * low-water mark as a percentage */
	ck_assert_int_ge(rb_field_int(record, "RAWBURN_FIFO_SIZE"), 4 * 1024 * 1024);
	ck_assert_int_le(rb_field_int(record, "RAWBURN_FIFO_SIZE"), 32 * 1024 * 1024);
	ck_assert_int_ge(rb_field_int(record, "RAWBURN_FIFO_MIN_FILL"), 0);
	ck_assert_int_le(rb_field_int(record, "RAWBURN_FIFO_MIN_FILL"), 100);

	record = g_ptr_array_index(records, 5);
	rb_assert_who(record, client, RB_CLIENT_NAME);
	rb_assert_field(record, "RAWBURN_RELEASED_BY", "end of Burn");
	rb_journal_stop(&journal);
}
END_TEST

/* the drive fails a WRITE: the record names the error the client got */
START_TEST(test_journal_write_failure)
{
	RbJournal journal;
	g_autoptr(GPtrArray) records = NULL;
	g_autofree gchar *error_name = NULL;
	GHashTable *record;

	rb_journal_start(&journal, "media=cd-r-80,realtime=false");
	rb_test_client_set_faults(journal.client, RB_V0, "{'WriteErrorAtLba': <250>}");
	error_name = rb_test_write_burn(journal.client, RB_V0, journal.stream, RB_BURN_OPTIONS);
	ck_assert_ptr_nonnull(error_name);
	records = rb_wait_records(journal.service, "release", 0);
	record = rb_assert_record(records, "write-failure", journal.client, RB_CLIENT_NAME);
	ck_assert_ptr_null(rb_find_record(records, "write-end"));
	rb_assert_field(record, "RAWBURN_ERROR", error_name);
	ck_assert_ptr_nonnull(g_hash_table_lookup(record, "RAWBURN_ERROR_MESSAGE"));
	ck_assert_int_lt(rb_field_int(record, "RAWBURN_LBA"), 250);
	rb_journal_stop(&journal);
}
END_TEST

/* a stream the checks refuse before anything is written: a failure record
 * too, with nothing written */
START_TEST(test_journal_write_refused)
{
	RbJournal journal;
	g_autoptr(GPtrArray) records = NULL;
	g_autofree gchar *events = NULL;
	g_autofree gchar *message = NULL;
	g_autofree gchar *error_name = NULL;
	g_autofree gchar *file = NULL;
	GHashTable *record;
	gint fd;

	rb_journal_start(&journal, "media=cd-r-80,realtime=false");
	/* not a whole number of 2448-byte sectors */
	file = rb_test_service_write_file(journal.service, "odd.raw", "x", 1, 0644);
	fd = open(file, O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	error_name = rb_test_client_call_fd(
		journal.client, RB_V0, "Burn", fd, RB_BURN_OPTIONS, &message);
	close(fd);
	ck_assert_ptr_nonnull(error_name);
	records = rb_wait_records(journal.service, "release", 0);
	events = rb_events(records);
	ck_assert_str_eq(events, "prepare write-failure release");
	record = rb_assert_record(records, "write-failure", journal.client, RB_CLIENT_NAME);
	rb_assert_field(record, "RAWBURN_ERROR", error_name);
	/* the client's message is the record's, after GDBus's prefix */
	ck_assert_msg(
		g_str_has_suffix(message, g_hash_table_lookup(record, "RAWBURN_ERROR_MESSAGE")),
		"%s",
		message);
	rb_assert_field(record, "RAWBURN_SECTORS", "0");
	rb_assert_field(g_ptr_array_index(records, 2), "RAWBURN_RELEASED_BY", "end of Burn");
	rb_journal_stop(&journal);
}
END_TEST

/* CancelWrite (_i 0) or the job's Cancel (_i 1) on a real-time drive: a
 * cancel record that says which; the job's also says who cancelled */
START_TEST(test_journal_cancel)
{
	gboolean by_job = _i == 1;
	g_autofree gchar *job = NULL;
	RbJournal journal;
	g_autoptr(GUnixFDList) fds = NULL;
	g_autoptr(GPtrArray) records = NULL;
	RbTestPending pending;
	GHashTable *record;
	gint64 deadline = g_get_monotonic_time() + RB_TEST_TIMEOUT_SECONDS * G_USEC_PER_SEC / 2;
	gint fd;

	rb_journal_start(&journal, "media=cd-r-80,speed=4,realtime=true");
	fd = rb_test_stream_to_file(journal.stream);
	fds = rb_test_fd_list_new(fd);
	close(fd);
	rb_test_client_call_async(
		journal.client,
		RB_V0,
		RB_TEST_FORMAT,
		"Burn",
		g_variant_new("(h@a{sv})", 0, g_variant_new_parsed(RB_BURN_OPTIONS)),
		fds,
		&pending);
	for (;;) {
		g_autoptr(GVariant) writing = NULL;

		g_main_context_iteration(NULL, FALSE);
		writing = rb_test_client_get(
			journal.client, RB_V0, RB_TEST_FORMAT, "WriteInProgress");
		if (g_variant_get_boolean(writing))
			break;
		ck_assert_msg(!pending.done, "Burn ended before it wrote: %s", pending.error_name);
		ck_assert(g_get_monotonic_time() < deadline);
		g_usleep(5000);
	}
	if (by_job) {
		g_autofree gchar *uid = g_strdup_printf("%u", getuid());

		/* the job is announced once the bus told the starter's uid */
		while ((job = rb_test_client_find_job(journal.client, RB_V0)) == NULL) {
			ck_assert(g_get_monotonic_time() < deadline);
			g_main_context_iteration(NULL, FALSE);
			g_usleep(5000);
		}
		rb_assert_ok(rb_test_client_call(journal.client,
						 job,
						 RB_JOB_IFACE,
						 "Cancel",
						 g_variant_new_parsed("(@a{sv} {},)"),
						 NULL,
						 NULL),
			     "Job.Cancel");
		rb_test_pending_assert_error(&pending, RB_TEST_ERROR("RequestCancelled"));
		records = rb_wait_records(journal.service, "release", 0);
		record = rb_find_record(records, "job-cancel");
		ck_assert_msg(record != NULL, "no job-cancel record");
		rb_assert_field(record, "RAWBURN_JOB", job);
		rb_assert_field(record, "RAWBURN_RECORDER", RB_V0);
		rb_assert_field(record, "RAWBURN_CANCELLED_BY_UID", uid);
		rb_assert_field(record,
				"RAWBURN_CANCELLED_BY_BUS_NAME",
				rb_test_client_get_name(journal.client));
	} else {
		rb_assert_ok(rb_test_client_call(journal.client,
						 RB_V0,
						 RB_TEST_FORMAT,
						 "CancelWrite",
						 NULL,
						 NULL,
						 NULL),
			     "CancelWrite");
		rb_test_pending_assert_error(&pending, RB_TEST_ERROR("RequestCancelled"));
		records = rb_wait_records(journal.service, "release", 0);
		ck_assert_ptr_null(rb_find_record(records, "job-cancel"));
	}
	record = rb_assert_record(records, "write-cancel", journal.client, RB_CLIENT_NAME);
	rb_assert_field(record, "RAWBURN_CANCELLED_BY", by_job ? "Job.Cancel" : "CancelWrite");
	rb_assert_field(record, "RAWBURN_ERROR", RB_TEST_ERROR("RequestCancelled"));
	ck_assert_ptr_null(rb_find_record(records, "write-failure"));
	rb_journal_stop(&journal);
}
END_TEST

/* a CD-RW burned and blanked: the erase's records, under its own lock */
START_TEST(test_journal_erase)
{
	RbJournal journal;
	g_autoptr(GPtrArray) records = NULL;
	g_autofree gchar *events = NULL;
	g_autofree gchar *name = NULL;
	GHashTable *record;

	rb_journal_start(&journal, "media=cd-rw-80,realtime=false");
	rb_journal_burn(&journal);
	rb_assert_ok(rb_test_client_set(journal.client,
					RB_V0,
					RB_ERASE,
					"ClientName",
					g_variant_new_string("journal-eraser"),
					NULL),
		     "ClientName");
	name = rb_test_client_call(journal.client, RB_V0, RB_ERASE, "EraseMedia", NULL, NULL, NULL);
	ck_assert_msg(name == NULL, "EraseMedia: %s", name);
	records = rb_wait_records(journal.service, "erase-end", 7);
	events = rb_events(records);
	ck_assert_str_eq(events,
			 "prepare write-start write-end release erase-start erase-end release");
	record = rb_assert_record(records, "erase-start", journal.client, "journal-eraser");
	rb_assert_field(record, "RAWBURN_MODE", "minimal");
	record = rb_assert_record(records, "erase-end", journal.client, "journal-eraser");
	ck_assert_int_ge(rb_field_int(record, "RAWBURN_DURATION_MS"), 0);
	record = g_ptr_array_index(records, 6);
	rb_assert_who(record, journal.client, "journal-eraser");
	rb_assert_field(record, "RAWBURN_RELEASED_BY", "end of erase");
	rb_journal_stop(&journal);
}
END_TEST

/* VerifyMedia of what a Burn wrote: the verify's records; then one of
 * another stream, which fails */
START_TEST(test_journal_verify)
{
	RbJournal journal;
	g_autoptr(GPtrArray) records = NULL;
	g_autofree gchar *events = NULL;
	GHashTable *record;
	gint fd;
	const gchar *options = "{'ClientName': <'journal-verifier'>, 'SectorType': <uint32 3>}";

	rb_journal_start(&journal, "media=cd-r-80,realtime=false");
	fd = rb_test_stream_to_file(journal.stream);
	rb_journal_burn(&journal);
	rb_test_client_assert_call_fd_ok(journal.client, RB_V0, "VerifyMedia", fd, options);
	records = rb_wait_records(journal.service, "verify-end", 7);
	events = rb_events(records);
	ck_assert_str_eq(events,
			 "prepare write-start write-end release verify-start verify-end release");
	rb_assert_record(records, "verify-start", journal.client, "journal-verifier");
	record = rb_assert_record(records, "verify-end", journal.client, "journal-verifier");
	ck_assert_int_ge(rb_field_int(record, "RAWBURN_DURATION_MS"), 0);
	record = g_ptr_array_index(records, 6);
	rb_assert_field(record, "RAWBURN_RELEASED_BY", "end of verify");

	/* a byte of LBA 300 changed in the stream: the disc no longer matches */
	{
		const off_t offset = (off_t)(22650 + 300) * RB_RAW_SECTOR + 10;
		guint8 byte;

		ck_assert_int_eq(pread(fd, &byte, 1, offset), 1);
		byte ^= 0xff;
		ck_assert_int_eq(pwrite(fd, &byte, 1, offset), 1);
	}
	rb_test_client_assert_call_fd_fails(journal.client,
					    RB_V0,
					    "VerifyMedia",
					    fd,
					    options,
					    RB_TEST_ERROR("BurnVerificationFailed"),
					    NULL);
	close(fd);
	g_ptr_array_unref(records);
	records = rb_wait_records(journal.service, "verify-failure", 0);
	record = rb_assert_record(records, "verify-failure", journal.client, "journal-verifier");
	rb_assert_field(record, "RAWBURN_ERROR", RB_TEST_ERROR("BurnVerificationFailed"));
	rb_journal_stop(&journal);
}
END_TEST

static Suite *
rb_journal_suite(void)
{
	Suite *suite = suite_create("journal");
	TCase *tc = tcase_create("records");

	tcase_set_timeout(tc, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_test(tc, test_journal_quiet_when_idle);
	tcase_add_test(tc, test_journal_burn);
	tcase_add_test(tc, test_journal_write_failure);
	tcase_add_test(tc, test_journal_write_refused);
	tcase_add_loop_test(tc, test_journal_cancel, 0, 2);
	tcase_add_test(tc, test_journal_erase);
	tcase_add_test(tc, test_journal_verify);
	suite_add_tcase(suite, tc);
	return suite;
}

int
main(void)
{
	/* the daemons these tests start print every record's fields */
	g_setenv("RAWBURN_LOG_FORMAT", "fields", TRUE);
	/* INFO must be kept without it */
	g_unsetenv("G_MESSAGES_DEBUG");
	return rb_test_run_suite(rb_journal_suite());
}
