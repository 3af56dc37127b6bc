/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * DiscFormat2Erase over the bus, end to end on virtual recorders: a burned
 * CD-RW blanked minimally and fully (the drive's report says which), the
 * Update signals and the lock while a real-time drive blanks, the
 * refusals, a caller that leaves mid-blank, the service stopping mid-blank,
 * and "rawburnctl erase".
 */
#include "config.h"

#include <gio/gunixfdlist.h>
#include <string.h>
#include <unistd.h>

#include "rb-dao-stream.h"
#include "rb-error.h"
#include "rb-test-client.h"
#include "rb-test-service.h"
#include "rb-test-tools.h"

#define RB_PATH RB_DBUS_RECORDERS_PATH "/virtual0"
#define RB_ERASE "org.rawburn.RawBurn1.DiscFormat2Erase"

/* --- helpers ------------------------------------------------------------------------- */

typedef struct {
	gint32 elapsed;
	gint32 expected;
} RbEraseUpdate;

static void
rb_on_erase_update(GDBusConnection *connection,
		   const gchar *sender,
		   const gchar *path,
		   const gchar *interface,
		   const gchar *signal,
		   GVariant *params,
		   gpointer user_data)
{
	GArray *updates = user_data;
	RbEraseUpdate update;

	g_variant_get(params, "(ii)", &update.elapsed, &update.expected);
	g_array_append_val(updates, update);
}

static guint
rb_subscribe_updates(RbTestClient *client, GArray *updates)
{
	return g_dbus_connection_signal_subscribe(client->connection,
						  RB_DBUS_NAME,
						  RB_ERASE,
						  "Update",
						  RB_PATH,
						  NULL,
						  G_DBUS_SIGNAL_FLAGS_NONE,
						  rb_on_erase_update,
						  updates,
						  NULL);
}

static gboolean
rb_pattern_main(gint32 lba, guint8 *main_data, gpointer user_data, GError **error)
{
	for (guint i = 0; i < RB_CD_MAIN_SIZE; i++)
		main_data[i] = (guint8)(lba * 7 + i);
	return TRUE;
}

/* Burn(h, a{sv}) of a short two-track disc; returns the error name or NULL */
static gchar *
rb_burn(RbTestClient *client)
{
	const RbDaoTrack tracks[] = {{0, 300}, {300, 150}};
	g_autoptr(GError) error = NULL;
	g_autoptr(RbDaoStream) stream =
		rb_dao_stream_new(-22650, tracks, 2, 2, rb_pattern_main, NULL, NULL, &error);
	g_autoptr(GUnixFDList) fds = NULL;
	g_autofree gchar *message = NULL;
	gchar *name;
	gint fd;

	ck_assert_msg(stream != NULL, "%s", error != NULL ? error->message : "");
	fd = rb_test_stream_to_file(stream);
	fds = rb_test_fd_list_new(fd);
	close(fd);
	name = rb_test_client_call(
		client,
		RB_PATH,
		RB_TEST_FORMAT,
		"Burn",
		g_variant_new("(h@a{sv})", 0, g_variant_new_array(G_VARIANT_TYPE("{sv}"), NULL, 0)),
		fds,
		&message);
	if (name != NULL)
		g_printerr("Burn: %s %s\n", name, message);
	return name;
}

static gboolean
rb_get_bool(RbTestClient *client, const gchar *interface, const gchar *property)
{
	g_autoptr(GVariant) value = rb_test_client_get(client, RB_PATH, interface, property);
	return g_variant_get_boolean(value);
}

static gchar *
rb_get_string(RbTestClient *client, const gchar *interface, const gchar *property)
{
	g_autoptr(GVariant) value = rb_test_client_get(client, RB_PATH, interface, property);
	return g_variant_dup_string(value, NULL);
}

static gchar *
rb_last_blank(RbTestClient *client)
{
	g_autoptr(GVariant) report =
		rb_test_client_get(client, RB_PATH, RB_TEST_VIRTUAL, "ValidationReport");
	const gchar *blank = NULL;

	ck_assert(g_variant_lookup(report, "LastBlank", "&s", &blank));
	return g_strdup(blank);
}

static void
rb_set_ok(RbTestClient *client, const gchar *property, GVariant *value)
{
	g_autofree gchar *message = NULL;
	g_autofree gchar *name =
		rb_test_client_set(client, RB_PATH, RB_ERASE, property, value, &message);

	ck_assert_msg(name == NULL, "%s: %s %s", property, name, message);
}

static gchar *
rb_erase(RbTestClient *client, gchar **message)
{
	return rb_test_client_call(client, RB_PATH, RB_ERASE, "EraseMedia", NULL, NULL, message);
}

/* what every successful erase leaves: a blank, writable medium and a free recorder */
static void
rb_assert_blank_and_free(RbTestClient *client)
{
	g_autofree gchar *owner = rb_get_string(client, RB_TEST_RECORDER, "ExclusiveAccessOwner");

	ck_assert(rb_get_bool(client, RB_TEST_FORMAT, "MediaPhysicallyBlank"));
	ck_assert(rb_get_bool(client, RB_TEST_FORMAT, "CurrentMediaSupported"));
	ck_assert_str_eq(owner, "");
}

/* waits (iterating) until the erase on @path has begun on the drive: the
 * first Update */
static void
rb_wait_first_update(GArray *updates, RbTestPending *pending)
{
	gint64 deadline = g_get_monotonic_time() + RB_TEST_TIMEOUT_SECONDS * G_USEC_PER_SEC / 2;

	while (updates->len == 0) {
		ck_assert_msg(!pending->done,
			      "EraseMedia ended before any Update: %s",
			      pending->error_name != NULL ? pending->error_name : "success");
		ck_assert_msg(g_get_monotonic_time() < deadline, "no Update came");
		g_main_context_iteration(NULL, FALSE);
		g_usleep(1000);
	}
}

/* --- tests ---------------------------------------------------------------------------- */

/* burned, blanked minimally, burned again, blanked fully: the drive tells the two apart */
START_TEST(test_erase_minimal_and_full)
{
	g_autoptr(RbTestService) service =
		rb_test_service_new_with_recorder("media=cd-rw-80,realtime=false");
	g_autoptr(RbTestClient) client = rb_test_client_new(service);
	g_autoptr(RbTestClient) other = rb_test_client_new(service);
	g_autoptr(GVariant) recorder = NULL;
	g_autoptr(GVariant) type = NULL;
	g_autofree gchar *failure = NULL;
	g_autofree gchar *message = NULL;
	g_autofree gchar *blank = NULL;

	rb_test_client_wait_for_drive(client, RB_PATH);
	recorder = rb_test_client_get(client, RB_PATH, RB_ERASE, "Recorder");
	ck_assert_str_eq(g_variant_get_string(recorder, NULL), RB_PATH);
	type = rb_test_client_get(client, RB_PATH, RB_ERASE, "CurrentPhysicalMediaType");
	ck_assert_uint_eq(g_variant_get_uint32(type), 3);

	ck_assert_ptr_null(rb_burn(client));
	/* the medium is read again after the burn's reply */
	rb_test_client_wait_for_property(client,
					 RB_PATH,
					 RB_TEST_FORMAT,
					 "MediaPhysicallyBlank",
					 g_variant_new_boolean(FALSE));
	ck_assert(!rb_get_bool(client, RB_TEST_FORMAT, "CurrentMediaSupported"));

	/* the default: minimal */
	ck_assert(!rb_get_bool(client, RB_ERASE, "FullErase"));
	failure = rb_erase(client, &message);
	ck_assert_msg(failure == NULL, "%s %s", failure, message);
	rb_assert_blank_and_free(client);
	blank = rb_last_blank(client);
	ck_assert_str_eq(blank, "minimal");

	/* writable again */
	ck_assert_ptr_null(rb_burn(client));
	rb_test_client_wait_for_property(client,
					 RB_PATH,
					 RB_TEST_FORMAT,
					 "MediaPhysicallyBlank",
					 g_variant_new_boolean(FALSE));

	/* FullErase is this client's own */
	rb_set_ok(client, "FullErase", g_variant_new_boolean(TRUE));
	ck_assert(rb_get_bool(client, RB_ERASE, "FullErase"));
	ck_assert(!rb_get_bool(other, RB_ERASE, "FullErase"));
	g_clear_pointer(&message, g_free);
	failure = rb_erase(client, &message);
	ck_assert_msg(failure == NULL, "%s %s", failure, message);
	rb_assert_blank_and_free(client);
	g_free(blank);
	blank = rb_last_blank(client);
	ck_assert_str_eq(blank, "full");
	ck_assert_ptr_null(rb_burn(client));
	rb_test_service_stop_daemon(service);
}
END_TEST

/* a real-time drive blanks for a few seconds: Update twice a second, the lock shown */
START_TEST(test_erase_progress_and_lock)
{
	/* minimal at 48x: 11227 sectors at 3600 a second, about 3 s */
	g_autoptr(RbTestService) service =
		rb_test_service_new_with_recorder("media=cd-rw-80,speed=48,realtime=true");
	g_autoptr(RbTestClient) client = rb_test_client_new(service);
	g_autoptr(RbTestClient) observer = rb_test_client_new(service);
	g_autoptr(GArray) updates = g_array_new(FALSE, FALSE, sizeof(RbEraseUpdate));
	RbTestPending pending = {0};
	gboolean saw_owner = FALSE;
	guint subscription;
	RbEraseUpdate *last;

	rb_test_client_wait_for_drive(client, RB_PATH);
	subscription = rb_subscribe_updates(observer, updates);
	rb_set_ok(client, "ClientName", g_variant_new_string("Eraser 1"));
	rb_test_client_call_async(client, RB_PATH, RB_ERASE, "EraseMedia", NULL, NULL, &pending);
	while (!pending.done) {
		g_autofree gchar *owner =
			rb_get_string(observer, RB_TEST_RECORDER, "ExclusiveAccessOwner");
		if (g_strcmp0(owner, "Eraser 1") == 0)
			saw_owner = TRUE;
		g_main_context_iteration(NULL, FALSE);
		g_usleep(10 * 1000);
	}
	ck_assert_msg(pending.error_name == NULL, "%s %s", pending.error_name, pending.message);
	ck_assert(saw_owner);
	/* the final Update was sent before the reply; let it arrive */
	for (guint i = 0; i < 50; i++)
		g_main_context_iteration(NULL, FALSE);
	ck_assert_uint_ge(updates->len, 3);
	for (guint i = 1; i < updates->len; i++) {
		RbEraseUpdate *update = &g_array_index(updates, RbEraseUpdate, i);
		RbEraseUpdate *before = &g_array_index(updates, RbEraseUpdate, i - 1);
		ck_assert_int_ge(update->elapsed, before->elapsed);
		ck_assert_int_ge(update->expected, update->elapsed);
	}
	last = &g_array_index(updates, RbEraseUpdate, updates->len - 1);
	ck_assert_int_eq(last->elapsed, last->expected);
	ck_assert_int_ge(last->elapsed, 2);
	rb_assert_blank_and_free(observer);
	rb_test_signal_unsubscribe(observer->connection, subscription);
	rb_test_pending_clear(&pending);
	rb_test_service_stop_daemon(service);
}
END_TEST

START_TEST(test_erase_refusals)
{
	g_autoptr(RbTestService) service =
		rb_test_service_new_with_recorder("media=cd-r-80,realtime=false");
	g_autoptr(RbTestClient) client = rb_test_client_new(service);
	g_autoptr(RbTestClient) holder = rb_test_client_new(service);
	g_autofree gchar *failure = NULL;
	g_autofree gchar *message = NULL;

	rb_test_client_wait_for_drive(client, RB_PATH);
	/* a CD-R cannot be blanked */
	failure = rb_erase(client, &message);
	ck_assert_str_eq(failure, RB_TEST_ERROR("EraseMediaIsNotSupported"));
	g_free(failure);
	failure = rb_test_client_call(
		client, RB_PATH, RB_TEST_VIRTUAL, "RemoveMedia", NULL, NULL, NULL);
	ck_assert_ptr_null(failure);
	g_clear_pointer(&message, g_free);
	failure = rb_erase(client, &message);
	ck_assert_str_eq(failure, RB_TEST_ERROR("MediaNoMedia"));
	g_free(failure);
	failure = rb_test_client_call(client,
				      RB_PATH,
				      RB_TEST_VIRTUAL,
				      "InsertMedia",
				      g_variant_new("(s)", "cd-rw-80"),
				      NULL,
				      NULL);
	ck_assert_ptr_null(failure);
	/* the lock refused pass on with its holder's name; the lock stays its */
	g_free(failure);
	failure = rb_test_client_set(holder,
				     RB_PATH,
				     RB_TEST_FORMAT,
				     "ClientName",
				     g_variant_new_string("Holder"),
				     NULL);
	ck_assert_ptr_null(failure);
	failure = rb_test_client_call(
		holder, RB_PATH, RB_TEST_FORMAT, "PrepareMedia", NULL, NULL, NULL);
	ck_assert_ptr_null(failure);
	g_clear_pointer(&message, g_free);
	failure = rb_erase(client, &message);
	ck_assert_str_eq(failure, RB_TEST_ERROR("Locked"));
	ck_assert_msg(strstr(message, "Holder") != NULL, "%s", message);
	g_free(failure);
	failure = rb_test_client_call(
		holder, RB_PATH, RB_TEST_FORMAT, "ReleaseMedia", NULL, NULL, NULL);
	ck_assert_ptr_null(failure);
	/* values checked before anything else */
	failure = rb_test_client_set(
		client, RB_PATH, RB_ERASE, "ClientName", g_variant_new_string("no/slashes"), NULL);
	ck_assert_str_eq(failure, RB_TEST_ERROR("EraseClientNameIsNotValid"));
	g_free(failure);
	failure = rb_test_client_set(
		client, RB_PATH, RB_ERASE, "FullErase", g_variant_new_string("yes"), NULL);
	ck_assert_str_eq(failure, RB_TEST_INVALID_ARGS);
	g_free(failure);
	failure = rb_test_client_set(client,
				     RB_PATH,
				     RB_ERASE,
				     "CurrentPhysicalMediaType",
				     g_variant_new_uint32(2),
				     NULL);
	ck_assert_ptr_nonnull(failure);
	/* and after all that, the CD-RW erases */
	g_free(failure);
	g_clear_pointer(&message, g_free);
	failure = rb_erase(client, &message);
	ck_assert_msg(failure == NULL, "%s %s", failure, message);
	rb_assert_blank_and_free(client);
	rb_test_service_stop_daemon(service);
}
END_TEST

/* the caller leaves mid-blank: the drive goes on, the lock with it, then both end */
START_TEST(test_erase_caller_leaves)
{
	/* minimal at 8x: 11227 sectors at 600 a second, about 19 s, for a
	 * client's teardown and a round trip however loaded the machine */
	g_autoptr(RbTestService) service =
		rb_test_service_new_with_recorder("media=cd-rw-80,speed=8,realtime=true");
	RbTestClient *eraser = rb_test_client_new(service);
	g_autoptr(RbTestClient) other = rb_test_client_new(service);
	g_autoptr(GArray) updates = g_array_new(FALSE, FALSE, sizeof(RbEraseUpdate));
	RbTestPending pending = {0};
	g_autofree gchar *failure = NULL;
	g_autofree gchar *message = NULL;
	g_autofree gchar *blank = NULL;
	gint64 deadline;
	guint subscription;

	rb_test_client_wait_for_drive(other, RB_PATH);
	subscription = rb_subscribe_updates(other, updates);
	rb_set_ok(eraser, "ClientName", g_variant_new_string("Leaver"));
	rb_test_client_call_async(eraser, RB_PATH, RB_ERASE, "EraseMedia", NULL, NULL, &pending);
	rb_wait_first_update(updates, &pending);
	/* gone from the bus, its call unanswered */
	rb_test_client_free(eraser);
	failure = rb_test_client_call(
		other, RB_PATH, RB_TEST_FORMAT, "PrepareMedia", NULL, NULL, &message);
	ck_assert_str_eq(failure, RB_TEST_ERROR("Locked"));
	ck_assert_msg(strstr(message, "Leaver") != NULL, "%s", message);
	/* the blank ends by itself; then the lock goes */
	deadline = g_get_monotonic_time() + RB_TEST_TIMEOUT_SECONDS * G_USEC_PER_SEC / 2;
	for (;;) {
		g_autofree gchar *owner =
			rb_get_string(other, RB_TEST_RECORDER, "ExclusiveAccessOwner");
		if (g_strcmp0(owner, "") == 0)
			break;
		ck_assert_str_eq(owner, "Leaver");
		ck_assert_msg(g_get_monotonic_time() < deadline, "the lock never went");
		g_usleep(50 * 1000);
	}
	rb_assert_blank_and_free(other);
	blank = rb_last_blank(other);
	ck_assert_str_eq(blank, "minimal");
	/* and the recorder is free for the next client */
	g_free(failure);
	failure = rb_test_client_call(
		other, RB_PATH, RB_TEST_FORMAT, "PrepareMedia", NULL, NULL, NULL);
	ck_assert_ptr_null(failure);
	failure = rb_test_client_call(
		other, RB_PATH, RB_TEST_FORMAT, "ReleaseMedia", NULL, NULL, NULL);
	ck_assert_ptr_null(failure);
	rb_test_signal_unsubscribe(other->connection, subscription);
	rb_test_pending_clear(&pending);
	rb_test_service_stop_daemon(service);
}
END_TEST

/*
 * SIGTERM mid-blank: the service stops waiting (the drive finishes on its
 * own) and exits 0. The disc was written, so READ DISC INFORMATION no
 * longer gives its size (FF:FF:FF): the first Update's estimate comes from
 * the ATIP. The emulated drive's model (rb_vdrive_blank_ms): every sector
 * from the lead-in (97:34:23, LBA -11077) to 90 s past the last possible
 * lead-out (79:59:74, 359849), at 48x (3600 sectors a second): 105 s.
 */
#define RB_FULL_BLANK_48X_S ((11077 + 359849 + 6750) / 3600)

START_TEST(test_erase_service_stops)
{
	g_autoptr(RbTestService) service =
		rb_test_service_new_with_recorder("media=cd-rw-80,speed=48,realtime=true");
	g_autoptr(RbTestClient) eraser = rb_test_client_new(service);
	g_autoptr(GArray) updates = g_array_new(FALSE, FALSE, sizeof(RbEraseUpdate));
	RbTestPending pending = {0};
	RbEraseUpdate *first;
	guint subscription;

	rb_test_client_wait_for_drive(eraser, RB_PATH);
	ck_assert_ptr_null(rb_burn(eraser));
	subscription = rb_subscribe_updates(eraser, updates);
	rb_set_ok(eraser, "FullErase", g_variant_new_boolean(TRUE));
	rb_test_client_call_async(eraser, RB_PATH, RB_ERASE, "EraseMedia", NULL, NULL, &pending);
	rb_wait_first_update(updates, &pending);
	first = &g_array_index(updates, RbEraseUpdate, 0);
	ck_assert_msg(first->expected >= RB_FULL_BLANK_48X_S / 2 &&
			      first->expected <= RB_FULL_BLANK_48X_S * 2,
		      "the first Update expects %d s of a %d s blank",
		      first->expected,
		      RB_FULL_BLANK_48X_S);
	/* fails the test unless rawburnd exits 0, long before the blank's end */
	rb_test_service_stop_daemon(service);
	rb_test_pending_wait(&pending);
	ck_assert_str_eq(pending.error_name, RB_TEST_ERROR("RequestCancelled"));
	ck_assert_msg(strstr(pending.message, "finishes the blank on its own") != NULL,
		      "%s",
		      pending.message);
	/* the drive is still at it: no Update may say it is done */
	for (guint i = 0; i < updates->len; i++) {
		RbEraseUpdate *update = &g_array_index(updates, RbEraseUpdate, i);
		ck_assert_int_lt(update->elapsed, update->expected);
	}
	rb_test_signal_unsubscribe(eraser->connection, subscription);
	rb_test_pending_clear(&pending);
}
END_TEST

START_TEST(test_erase_rawburnctl)
{
	g_autoptr(RbTestService) service =
		rb_test_service_new_with_recorder("media=cd-rw-80,speed=48,realtime=true");
	g_autoptr(RbTestClient) client = rb_test_client_new(service);
	const gchar *minimal[] = {"erase", "virtual0", NULL};
	const gchar *cdr[] = {"erase", "virtual0", NULL};
	const gchar *no_recorder[] = {"erase", NULL};
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *blank = NULL;
	g_autofree gchar *failure = NULL;
	gint status;

	rb_test_client_wait_for_drive(client, RB_PATH);
	/* a real-time minimal blank: progress lines (not a tty), then the result */
	status = rb_test_run_rawburnctl(service, minimal, &out, &err);
	ck_assert_msg(status == 0, "%s", err);
	ck_assert_msg(strstr(out, "Erasing: ") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "\r") == NULL && strstr(out, "\033") == NULL, "%s", out);
	ck_assert_msg(strstr(out, "Erased the disc in virtual0 (minimal).") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "Erasing: 100%") != NULL, "%s", out);
	blank = rb_last_blank(client);
	ck_assert_str_eq(blank, "minimal");
	rb_assert_blank_and_free(client);
	/* a CD-R: the service's error, a problem with the medium (6) */
	failure = rb_test_client_call(client,
				      RB_PATH,
				      RB_TEST_VIRTUAL,
				      "InsertMedia",
				      g_variant_new("(s)", "cd-r-80"),
				      NULL,
				      NULL);
	ck_assert_ptr_null(failure);
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	status = rb_test_run_rawburnctl(service, cdr, &out, &err);
	ck_assert_int_eq(status, 6);
	ck_assert_msg(strstr(err, "only a CD-RW") != NULL, "%s", err);
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	status = rb_test_run_rawburnctl(service, no_recorder, &out, &err);
	ck_assert_int_eq(status, 2);
	rb_test_service_stop_daemon(service);
}
END_TEST

/* full, in JSON: each line an object, the last the result */
START_TEST(test_erase_rawburnctl_json_full)
{
	g_autoptr(RbTestService) service =
		rb_test_service_new_with_recorder("media=cd-rw-74,realtime=false");
	g_autoptr(RbTestClient) client = rb_test_client_new(service);
	const gchar *full_json[] = {"--json", "erase", "virtual0", "--full", NULL};
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *blank = NULL;
	g_autofree gchar *last = NULL;
	g_auto(GStrv) lines = NULL;
	guint n_lines;
	gint status;

	rb_test_client_wait_for_drive(client, RB_PATH);
	ck_assert_ptr_null(rb_burn(client));
	status = rb_test_run_rawburnctl(service, full_json, &out, &err);
	ck_assert_msg(status == 0, "%s", err);
	lines = g_strsplit(g_strstrip(out), "\n", -1);
	n_lines = g_strv_length(lines);
	ck_assert_uint_ge(n_lines, 2);
	last = rb_test_json_query(lines[n_lines - 1],
				  "d['recorder'] if d['erased'] and d['full'] else 'wrong'");
	ck_assert_str_eq(last, "virtual0");
	for (guint i = 0; i + 1 < n_lines; i++) {
		g_autofree gchar *ok =
			rb_test_json_query(lines[i], "d['elapsedSeconds'] <= d['expectedSeconds']");
		ck_assert_str_eq(ok, "True");
	}
	blank = rb_last_blank(client);
	ck_assert_str_eq(blank, "full");
	rb_assert_blank_and_free(client);
	rb_test_service_stop_daemon(service);
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("erase");
	TCase *tc = tcase_create("erase");

	tcase_set_timeout(tc, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_test(tc, test_erase_minimal_and_full);
	tcase_add_test(tc, test_erase_progress_and_lock);
	tcase_add_test(tc, test_erase_refusals);
	tcase_add_test(tc, test_erase_caller_leaves);
	tcase_add_test(tc, test_erase_service_stops);
	tcase_add_test(tc, test_erase_rawburnctl);
	tcase_add_test(tc, test_erase_rawburnctl_json_full);
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
