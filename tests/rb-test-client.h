/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A client of the service under test: its own connection to the private
 * bus, and the calls every integration test makes, returning the D-Bus
 * error name (NULL on success) so a test asserts on the named error.
 */
#pragma once

#include <gio/gunixfdlist.h>

#include "rb-test-service.h"

G_BEGIN_DECLS

#define RB_TEST_FORMAT "org.rawburn.RawBurn1.DiscFormat2RawCD"
#define RB_TEST_RECORDER "org.rawburn.RawBurn1.Recorder"
#define RB_TEST_VIRTUAL "org.rawburn.RawBurn1.VirtualRecorder"
#define RB_TEST_MANAGER "org.rawburn.RawBurn1.Manager"
#define RB_JOB_IFACE "org.rawburn.RawBurn1.Job"
#define RB_TEST_ERROR(name) "org.rawburn.RawBurn1.Error." name
#define RB_TEST_INVALID_ARGS "org.freedesktop.DBus.Error.InvalidArgs"

typedef struct {
	GDBusConnection *connection;
} RbTestClient;

RbTestClient *rb_test_client_new(RbTestService *service);
void rb_test_client_free(RbTestClient *client);
const gchar *rb_test_client_get_name(RbTestClient *client);

/* @method of @interface at @path of rawburnd over @connection, with @fds
 * (may be NULL): the D-Bus error name, NULL on success; *@message (may be
 * NULL) gets the error's message. What every test's calls come down to. */
gchar *rb_test_call_on(GDBusConnection *connection,
		       const gchar *path,
		       const gchar *interface,
		       const gchar *method,
		       GVariant *params,
		       GUnixFDList *fds,
		       gchar **message);
gchar *rb_test_client_call(RbTestClient *client,
			   const gchar *path,
			   const gchar *interface,
			   const gchar *method,
			   GVariant *params,
			   GUnixFDList *fds,
			   gchar **message);
GVariant *rb_test_client_call_reply(RbTestClient *client,
				    const gchar *path,
				    const gchar *interface,
				    const gchar *method,
				    GVariant *params);
/* @interface's @property of @path on rawburnd, over @connection: the one a
 * test watches signals on, so that what it sent before is delivered first */
GVariant *rb_test_get_property(GDBusConnection *connection,
			       const gchar *path,
			       const gchar *interface,
			       const gchar *property);
GVariant *rb_test_client_get(RbTestClient *client,
			     const gchar *path,
			     const gchar *interface,
			     const gchar *property);
gchar *rb_test_client_set(RbTestClient *client,
			  const gchar *path,
			  const gchar *interface,
			  const gchar *property,
			  GVariant *value,
			  gchar **message);
void rb_test_client_wait_for_drive(RbTestClient *client, const gchar *path);
/* the service's objects, as GetManagedObjects' a{oa{sa{sv}}} */
GVariant *rb_test_client_get_objects(RbTestClient *client);
/* the Job working on @recorder, found as a client that knows nothing else
 * finds it; NULL when there is none */
gchar *rb_test_client_find_job(RbTestClient *client, const gchar *recorder);
void rb_test_client_wait_for_property(RbTestClient *client,
				      const gchar *path,
				      const gchar *interface,
				      const gchar *property,
				      GVariant *expected);

/* @method of @path's DiscFormat2RawCD with (h a{sv}): @fd, rewound to its
 * start first, and @options (GVariant text of an a{sv}); the error name,
 * NULL on success */
gchar *rb_test_client_call_fd(RbTestClient *client,
			      const gchar *path,
			      const gchar *method,
			      gint fd,
			      const gchar *options,
			      gchar **message);
/* @method of @interface at @path with @params (floating, consumed; may be
 * NULL) and, unless @fd is -1, @fd as the one descriptor (the caller keeps
 * it): the error name, NULL on success */
gchar *rb_test_client_call_with_fd(RbTestClient *client,
				   const gchar *path,
				   const gchar *interface,
				   const gchar *method,
				   GVariant *params,
				   gint fd,
				   gchar **message);
/* the same call, which must succeed: else the test fails naming the error */
void rb_test_client_assert_call(RbTestClient *client,
				const gchar *path,
				const gchar *interface,
				const gchar *method,
				GVariant *params,
				gint fd);
/* rb_test_client_call_fd() (Burn, VerifyMedia…) succeeds */
void rb_test_client_assert_call_fd_ok(RbTestClient *client,
				      const gchar *path,
				      const gchar *method,
				      gint fd,
				      const gchar *options);
/* … fails with @want (NULL: any error), its message holding @text (NULL: any) */
void rb_test_client_assert_call_fd_fails(RbTestClient *client,
					 const gchar *path,
					 const gchar *method,
					 gint fd,
					 const gchar *options,
					 const gchar *want,
					 const gchar *text);
/* a virtual recorder's Faults set to @faults (GVariant text of an a{sv});
 * fails the test unless the service takes them */
void rb_test_client_set_faults(RbTestClient *client, const gchar *path, const gchar *faults);
/* a call's result: fails unless @error_name is NULL (success); frees
 * *@message */
void rb_test_assert_ok(gchar *error_name, gchar **message);
/* fails unless the call failed with @want (NULL: any error) and a message
 * holding @text (NULL: any); frees @error_name and *@message */
void rb_test_assert_error(gchar *error_name, gchar **message, const gchar *want, const gchar *text);

/* the numbers of one Update signal of DiscFormat2RawCD */
typedef struct {
	guint32 action; /* 2 WRITING, 3 FINISHING, 4 VERIFYING, … */
	gint32 elapsed;
	gint32 remaining;
	gint32 start_lba;
	gint32 sector_count;
	gint32 last_read;
	gint32 last_written;
	gint32 fifo_total;
	gint32 fifo_used;
	gint32 fifo_free;
} RbTestUpdate;

/* @params of an Update signal, (uiiiiiiiii), into @update */
void rb_test_update_parse(GVariant *params, RbTestUpdate *update);

void rb_test_signal_unsubscribe(GDBusConnection *connection, guint subscription);

/* a call whose reply is collected later, iterating the default context */
typedef struct {
	gboolean done;
	gchar *error_name; /* NULL on success */
	gchar *message;
	GVariant *reply;
} RbTestPending;

void rb_test_client_call_async(RbTestClient *client,
			       const gchar *path,
			       const gchar *interface,
			       const gchar *method,
			       GVariant *params,
			       GUnixFDList *fds,
			       RbTestPending *pending);
/* the same with a timeout (ms): a call that outlives it fails with the
 * error name "timeout" */
void rb_test_client_call_async_timeout(RbTestClient *client,
				       const gchar *path,
				       const gchar *interface,
				       const gchar *method,
				       GVariant *params,
				       GUnixFDList *fds,
				       gint timeout_msec,
				       RbTestPending *pending);
void rb_test_pending_wait(RbTestPending *pending);
void rb_test_pending_clear(RbTestPending *pending);
/* waits for the reply, which must be a success, and clears @pending */
void rb_test_pending_assert_ok(RbTestPending *pending);
/* waits for the reply, which must be the error @want, and clears @pending */
void rb_test_pending_assert_error(RbTestPending *pending, const gchar *want);
void rb_test_iterate_until(gboolean *flag);

/* a number of a virtual recorder's ValidationReport, whatever its integer type */
guint64 rb_test_report_number(GVariant *report, const gchar *key);
/* every finding counter of a ValidationReport is 0 and FirstProblems is empty */
void rb_test_assert_report_clean(GVariant *report);

/* an fd list holding @fd (dup'ed by the list; the caller keeps @fd) */
GUnixFDList *rb_test_fd_list_new(gint fd);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RbTestClient, rb_test_client_free)

G_END_DECLS
