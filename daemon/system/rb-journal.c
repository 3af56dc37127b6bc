/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The journal records of one lock holder. Each is logged at INFO with
 * g_log_structured_array(): MESSAGE, MESSAGE_ID (one fixed id per kind of
 * event, for journald catalogs and `journalctl MESSAGE_ID=…`) and RAWBURN_*
 * fields. The uid comes from the bus (GetConnectionCredentials, asked
 * asynchronously when the lock is taken); records made before its answer
 * are kept and logged when it comes, so that their order stays.
 *
 * MESSAGE is English and not translated, unlike the strings a client
 * shows: the journal is the system's log, read by administrators whatever
 * the daemon's locale (a system service's locale is rarely the reader's),
 * searched by text and parsed by tools, and it is what bug reports quote.
 * journald's own messages and udisks' do the same. The fields carry the
 * figures for anyone who needs them in another language.
 */
#include "config.h"

#define G_LOG_DOMAIN "rawburnd"

#include "rb-dbus-util.h"
#include "rb-journal.h"

#include "rb-error.h"

#define RB_JOURNAL_ID_PREPARED "ab6462419f524635886b3a2d4239b0fb"
#define RB_JOURNAL_ID_WRITE_STARTED "9cbbe5cfdf6043df8a2b852f7ababfce"
#define RB_JOURNAL_ID_WRITE_ENDED "f417c7ec7fcf44c1ba89fe807ff65aa1"
#define RB_JOURNAL_ID_WRITE_FAILED "1655f092b1274f65a038e77436bea161"
#define RB_JOURNAL_ID_WRITE_CANCELLED "48d2344b399346c7833797d8f10769fb"
#define RB_JOURNAL_ID_ERASE_STARTED "94e1fdcf27034b92a53ea5eb4cfc801d"
#define RB_JOURNAL_ID_ERASE_ENDED "bd569220284d4b50a475c8a969b7ac77"
#define RB_JOURNAL_ID_ERASE_FAILED "14879b1588ec4a3698f99d7b378796f3"
#define RB_JOURNAL_ID_VERIFY_STARTED "0999ebf9b55942e0a5640092d5ed851a"
#define RB_JOURNAL_ID_VERIFY_ENDED "ab44701be6734704ad9efe97e7234bce"
#define RB_JOURNAL_ID_VERIFY_FAILED "ac254931bb194b9f8e3adc4003391054"
#define RB_JOURNAL_ID_RELEASED "307173d858994da78c904e480d5fe1ad"
#define RB_JOURNAL_ID_JOB_CANCELLED "0218666a929e469e87b2aa9b676b3b57"

struct _RbJournal {
	gint ref_count;
	gchar *recorder;
	gchar *bus_name;
	gchar *client_name;
	gchar *release_reason;
	gboolean have_credentials;
	guint32 uid;
	guint32 pid;
	GPtrArray *queued; /* of GPtrArray of key, value, key, value… */
	gint64 write_start_us;
	gint64 operation_start_us;
	gchar *operation;
};

/* one record: the keys are static, the values ours */
typedef GPtrArray RbJournalRecord;

static RbJournalRecord *
rb_journal_record_new(const gchar *message_id, const gchar *event, const gchar *func)
{
	RbJournalRecord *record = g_ptr_array_new_with_free_func(g_free);

	g_ptr_array_add(record, g_strdup("MESSAGE_ID"));
	g_ptr_array_add(record, g_strdup(message_id));
	g_ptr_array_add(record, g_strdup("RAWBURN_EVENT"));
	g_ptr_array_add(record, g_strdup(event));
	g_ptr_array_add(record, g_strdup("CODE_FUNC"));
	g_ptr_array_add(record, g_strdup(func));
	return record;
}

static void
rb_journal_record_take(RbJournalRecord *record, const gchar *key, gchar *value)
{
	g_ptr_array_add(record, g_strdup(key));
	g_ptr_array_add(record, value);
}

static void
rb_journal_record_add(RbJournalRecord *record, const gchar *key, const gchar *value)
{
	rb_journal_record_take(record, key, g_strdup(value != NULL ? value : ""));
}

static void
rb_journal_record_add_int(RbJournalRecord *record, const gchar *key, gint64 value)
{
	rb_journal_record_take(record, key, g_strdup_printf("%" G_GINT64_FORMAT, value));
}

static void
rb_journal_emit(RbJournal *self, RbJournalRecord *record)
{
	g_autoptr(GArray) fields = g_array_new(FALSE, FALSE, sizeof(GLogField));
	g_autofree gchar *uid = NULL;
	g_autofree gchar *pid = NULL;
	const GLogField fixed[] = {
		{"PRIORITY", "6", -1},
		{"GLIB_DOMAIN", G_LOG_DOMAIN, -1},
		{"CODE_FILE", __FILE__, -1},
		{"RAWBURN_RECORDER", self->recorder, -1},
		{"RAWBURN_BUS_NAME", self->bus_name, -1},
	};

	g_array_append_vals(fields, fixed, G_N_ELEMENTS(fixed));
	for (guint i = 0; i + 1 < record->len; i += 2) {
		GLogField field = {
			g_ptr_array_index(record, i), g_ptr_array_index(record, i + 1), -1};

		g_array_append_val(fields, field);
	}
	if (self->have_credentials) {
		GLogField uid_field = {"RAWBURN_UID", NULL, -1};

		uid = g_strdup_printf("%u", self->uid);
		uid_field.value = uid;
		g_array_append_val(fields, uid_field);
		if (self->pid != 0) {
			GLogField pid_field = {"RAWBURN_PID", NULL, -1};

			pid = g_strdup_printf("%u", self->pid);
			pid_field.value = pid;
			g_array_append_val(fields, pid_field);
		}
	}
	g_log_structured_array(G_LOG_LEVEL_INFO, (const GLogField *)fields->data, fields->len);
}

/* logged now, or once the uid is known */
static void rb_journal_log(RbJournal *self, RbJournalRecord *record, const gchar *format, ...)
	G_GNUC_PRINTF(3, 4);

static void
rb_journal_log(RbJournal *self, RbJournalRecord *record, const gchar *format, ...)
{
	va_list args;
	g_autofree gchar *text = NULL;
	/* the object path's last element names the recorder well enough in a line */
	g_autofree gchar *recorder = g_path_get_basename(self->recorder);

	va_start(args, format);
	text = g_strdup_vprintf(format, args);
	va_end(args);
	rb_journal_record_add(record, "RAWBURN_CLIENT", self->client_name);
	rb_journal_record_take(
		record,
		"MESSAGE",
		g_strdup_printf("%s: client “%s” (%s): %s",
				recorder,
				self->client_name != NULL ? self->client_name : self->bus_name,
				self->bus_name,
				text));
	if (self->queued != NULL) {
		g_ptr_array_add(self->queued, record);
		return;
	}
	rb_journal_emit(self, record);
	g_ptr_array_unref(record);
}

static void
rb_journal_got_credentials(GObject *source, GAsyncResult *result, gpointer user_data)
{
	RbJournal *self = user_data;
	g_autoptr(GVariant) reply =
		g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), result, NULL);
	g_autoptr(GPtrArray) queued = g_steal_pointer(&self->queued);

	/* a client gone already has no uid to tell: the records go without */
	if (reply != NULL) {
		g_autoptr(GVariant) credentials = g_variant_get_child_value(reply, 0);

		self->have_credentials =
			g_variant_lookup(credentials, "UnixUserID", "u", &self->uid);
		if (!g_variant_lookup(credentials, "ProcessID", "u", &self->pid))
			self->pid = 0;
	}
	for (guint i = 0; i < queued->len; i++)
		rb_journal_emit(self, g_ptr_array_index(queued, i));
	rb_journal_unref(self);
}

RbJournal *
rb_journal_new(GDBusConnection *connection,
	       const gchar *recorder,
	       const gchar *bus_name,
	       const gchar *client_name)
{
	RbJournal *self = g_new0(RbJournal, 1);

	self->ref_count = 1;
	/* an unexported object has no path: the fields are never NULL */
	self->recorder = g_strdup(recorder != NULL ? recorder : "");
	self->bus_name = g_strdup(bus_name != NULL ? bus_name : "");
	self->client_name = g_strdup(client_name);
	if (connection == NULL)
		return self;
	self->queued = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
	g_dbus_connection_call(connection,
			       "org.freedesktop.DBus",
			       "/org/freedesktop/DBus",
			       "org.freedesktop.DBus",
			       "GetConnectionCredentials",
			       g_variant_new("(s)", bus_name),
			       G_VARIANT_TYPE("(a{sv})"),
			       G_DBUS_CALL_FLAGS_NONE,
			       -1,
			       NULL,
			       rb_journal_got_credentials,
			       rb_journal_ref(self));
	return self;
}

RbJournal *
rb_journal_ref(RbJournal *self)
{
	self->ref_count++;
	return self;
}

void
rb_journal_unref(RbJournal *self)
{
	if (--self->ref_count > 0)
		return;
	g_free(self->recorder);
	g_free(self->bus_name);
	g_free(self->client_name);
	g_free(self->release_reason);
	g_free(self->operation);
	g_clear_pointer(&self->queued, g_ptr_array_unref);
	g_free(self);
}

const gchar *
rb_journal_get_bus_name(RbJournal *self)
{
	return self->bus_name;
}

void
rb_journal_set_client_name(RbJournal *self, const gchar *client_name)
{
	g_free(self->client_name);
	self->client_name = g_strdup(client_name);
}

void
rb_journal_set_release_reason(RbJournal *self, const gchar *reason)
{
	if (self->release_reason == NULL)
		self->release_reason = g_strdup(reason);
}

static gchar *
rb_journal_speed_text(gint32 write_speed)
{
	/* 75 sectors per second is 1x */
	if (write_speed < 0)
		return g_strdup("fastest");
	return g_strdup_printf("%d sectors/s (%.1fx)", write_speed, write_speed / 75.0);
}

void
rb_journal_prepared(RbJournal *self, gint32 write_speed)
{
	RbJournalRecord *record =
		rb_journal_record_new(RB_JOURNAL_ID_PREPARED, "prepare", G_STRFUNC);
	g_autofree gchar *speed = rb_journal_speed_text(write_speed);

	rb_journal_record_add_int(record, "RAWBURN_SPEED", write_speed);
	rb_journal_log(self, record, "medium prepared, write speed %s", speed);
}

void
rb_journal_write_started(RbJournal *self, const RbJournalWrite *write)
{
	RbJournalRecord *record =
		rb_journal_record_new(RB_JOURNAL_ID_WRITE_STARTED, "write-start", G_STRFUNC);
	g_autofree gchar *speed = rb_journal_speed_text(write->write_speed);
	g_autofree gchar *size = NULL;

	self->write_start_us = g_get_monotonic_time();
	rb_journal_record_add_int(record, "RAWBURN_SECTOR_TYPE", write->sector_type);
	rb_journal_record_add_int(record, "RAWBURN_LEAD_IN_SECTORS", write->lead_in_sectors);
	rb_journal_record_add_int(record, "RAWBURN_SPEED", write->write_speed);
	rb_journal_record_add(record, "RAWBURN_TEST_WRITE", write->test_write ? "1" : "0");
	rb_journal_record_add(record, "RAWBURN_VERIFY", write->verify ? "1" : "0");
	rb_journal_record_add(record, "RAWBURN_BUFE", write->bufe ? "1" : "0");
	if (write->stream_bytes >= 0 && write->sector_size > 0) {
		rb_journal_record_add_int(record, "RAWBURN_BYTES", write->stream_bytes);
		rb_journal_record_add_int(record,
					  "RAWBURN_SECTORS",
					  write->stream_bytes / (gint64)write->sector_size);
		size = g_strdup_printf("%" G_GINT64_FORMAT " sectors",
				       write->stream_bytes / (gint64)write->sector_size);
	}
	rb_journal_log(self,
		       record,
		       "%s started: %s of sector type %u, lead-in %d sectors, speed %s%s%s",
		       write->test_write ? "test write" : "write",
		       size != NULL ? size : "a stream of unknown length",
		       write->sector_type,
		       write->lead_in_sectors,
		       speed,
		       write->verify ? ", then verify" : "",
		       write->bufe ? "" : ", buffer underrun protection off");
}

static void
rb_journal_add_error(RbJournalRecord *record, const GError *error)
{
	g_autoptr(GError) reply = rb_dbus_util_error_for_reply(error);

	/* the name the caller's reply and the job's Completed carry */
	rb_journal_record_take(record, "RAWBURN_ERROR", g_dbus_error_encode_gerror(reply));
	rb_journal_record_add(record, "RAWBURN_ERROR_MESSAGE", error->message);
}

static gboolean
rb_journal_is_cancel(const GError *error)
{
	return g_error_matches(error, RB_ERROR, RB_ERROR_REQUEST_CANCELLED) ||
	       g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

void
rb_journal_write_ended(RbJournal *self,
		       gint64 sectors,
		       gsize sector_size,
		       gint32 last_written_lba,
		       gsize fifo_size,
		       gint fifo_min_fill,
		       const GError *error,
		       const gchar *how)
{
	gint64 duration_ms = (g_get_monotonic_time() - self->write_start_us) / 1000;
	gint64 bytes = sectors * (gint64)sector_size;
	gint64 rate = duration_ms > 0 ? bytes * 1000 / duration_ms : 0;
	g_autofree gchar *figures = g_strdup_printf(
		"%" G_GINT64_FORMAT " sectors (%" G_GINT64_FORMAT " bytes) in %.1f s, %.2f MB/s",
		sectors,
		bytes,
		duration_ms / 1000.0,
		rate / 1e6);
	RbJournalRecord *record;

	if (error == NULL)
		record = rb_journal_record_new(RB_JOURNAL_ID_WRITE_ENDED, "write-end", G_STRFUNC);
	else if (rb_journal_is_cancel(error))
		record = rb_journal_record_new(
			RB_JOURNAL_ID_WRITE_CANCELLED, "write-cancel", G_STRFUNC);
	else
		record = rb_journal_record_new(
			RB_JOURNAL_ID_WRITE_FAILED, "write-failure", G_STRFUNC);
	rb_journal_record_add_int(record, "RAWBURN_SECTORS", sectors);
	rb_journal_record_add_int(record, "RAWBURN_BYTES", bytes);
	rb_journal_record_add_int(record, "RAWBURN_DURATION_MS", duration_ms);
	rb_journal_record_add_int(record, "RAWBURN_RATE", rate);
	/* how close the stream came to an underrun, as wodim's "min fill" */
	if (fifo_size > 0)
		rb_journal_record_add_int(record, "RAWBURN_FIFO_SIZE", (gint64)fifo_size);
	if (fifo_min_fill >= 0)
		rb_journal_record_add_int(record, "RAWBURN_FIFO_MIN_FILL", fifo_min_fill);
	if (error == NULL) {
		rb_journal_log(self, record, "write ended: %s", figures);
		return;
	}
	rb_journal_add_error(record, error);
	if (rb_journal_is_cancel(error)) {
		rb_journal_record_add(record, "RAWBURN_CANCELLED_BY", how);
		rb_journal_log(self, record, "write cancelled (%s) after %s", how, figures);
		return;
	}
	rb_journal_record_add_int(record, "RAWBURN_LBA", last_written_lba);
	rb_journal_log(self,
		       record,
		       "write failed after LBA %d, %s: %s",
		       last_written_lba,
		       figures,
		       error->message);
}

void
rb_journal_write_refused(RbJournal *self, const GError *error)
{
	RbJournalRecord *record =
		rb_journal_record_new(RB_JOURNAL_ID_WRITE_FAILED, "write-failure", G_STRFUNC);

	rb_journal_record_add_int(record, "RAWBURN_SECTORS", 0);
	rb_journal_add_error(record, error);
	rb_journal_log(self, record, "write refused before it began: %s", error->message);
}

void
rb_journal_operation_started(RbJournal *self, const gchar *operation, const gchar *mode)
{
	gboolean erase = g_strcmp0(operation, "erase") == 0;
	RbJournalRecord *record = rb_journal_record_new(erase ? RB_JOURNAL_ID_ERASE_STARTED
							      : RB_JOURNAL_ID_VERIFY_STARTED,
							erase ? "erase-start" : "verify-start",
							G_STRFUNC);

	g_free(self->operation);
	self->operation = g_strdup(operation);
	self->operation_start_us = g_get_monotonic_time();
	if (mode != NULL)
		rb_journal_record_add(record, "RAWBURN_MODE", mode);
	rb_journal_log(self,
		       record,
		       "%s%s%s started",
		       mode != NULL ? mode : "",
		       mode != NULL ? " " : "",
		       operation);
}

void
rb_journal_operation_ended(RbJournal *self, const GError *error)
{
	gboolean erase = g_strcmp0(self->operation, "erase") == 0;
	gint64 duration_ms = (g_get_monotonic_time() - self->operation_start_us) / 1000;
	RbJournalRecord *record;

	if (error == NULL)
		record = rb_journal_record_new(erase ? RB_JOURNAL_ID_ERASE_ENDED
						     : RB_JOURNAL_ID_VERIFY_ENDED,
					       erase ? "erase-end" : "verify-end",
					       G_STRFUNC);
	else
		record = rb_journal_record_new(erase ? RB_JOURNAL_ID_ERASE_FAILED
						     : RB_JOURNAL_ID_VERIFY_FAILED,
					       erase ? "erase-failure" : "verify-failure",
					       G_STRFUNC);
	rb_journal_record_add_int(record, "RAWBURN_DURATION_MS", duration_ms);
	if (error == NULL) {
		rb_journal_log(
			self, record, "%s ended in %.1f s", self->operation, duration_ms / 1000.0);
		return;
	}
	rb_journal_add_error(record, error);
	rb_journal_log(self,
		       record,
		       "%s failed after %.1f s: %s",
		       self->operation,
		       duration_ms / 1000.0,
		       error->message);
}

void
rb_journal_released(RbJournal *self)
{
	RbJournalRecord *record =
		rb_journal_record_new(RB_JOURNAL_ID_RELEASED, "release", G_STRFUNC);
	const gchar *reason =
		self->release_reason != NULL ? self->release_reason : "end of the call";

	rb_journal_record_add(record, "RAWBURN_RELEASED_BY", reason);
	rb_journal_log(self, record, "medium released (%s)", reason);
}

void
rb_journal_job_cancelled(const gchar *job_path,
			 const gchar *recorder_path,
			 const gchar *caller_bus_name,
			 guint32 caller_uid,
			 guint32 started_by_uid)
{
	g_autofree gchar *caller_uid_text = g_strdup_printf("%u", caller_uid);
	g_autofree gchar *started_by_uid_text = g_strdup_printf("%u", started_by_uid);
	g_autofree gchar *message = g_strdup_printf(
		"%s cancelled by %s (uid %u)", job_path, caller_bus_name, caller_uid);
	const GLogField fields[] = {
		{"PRIORITY", "6", -1},
		{"GLIB_DOMAIN", G_LOG_DOMAIN, -1},
		{"CODE_FILE", __FILE__, -1},
		{"CODE_FUNC", G_STRFUNC, -1},
		{"MESSAGE_ID", RB_JOURNAL_ID_JOB_CANCELLED, -1},
		{"MESSAGE", message, -1},
		{"RAWBURN_EVENT", "job-cancel", -1},
		{"RAWBURN_JOB", job_path, -1},
		{"RAWBURN_RECORDER", recorder_path != NULL ? recorder_path : "", -1},
		{"RAWBURN_CANCELLED_BY", "Job.Cancel", -1},
		{"RAWBURN_CANCELLED_BY_BUS_NAME", caller_bus_name, -1},
		{"RAWBURN_CANCELLED_BY_UID", caller_uid_text, -1},
		{"RAWBURN_UID", started_by_uid_text, -1},
	};

	g_log_structured_array(G_LOG_LEVEL_INFO, fields, G_N_ELEMENTS(fields));
}
