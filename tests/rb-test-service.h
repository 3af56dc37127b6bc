/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Test fixture: a private dbus-daemon and the built rawburnd on it. The
 * machine's own buses are never touched.
 */
#pragma once

#include <check.h>
#include <gio/gio.h>

G_BEGIN_DECLS

/* generous: under AddressSanitizer everything is several times slower */
#define RB_TEST_TIMEOUT_SECONDS 60

typedef struct {
	gchar *tmpdir;
	gchar *bus_address;
	GPid bus_pid;
	GPid daemon_pid;
	gchar *daemon_log;
	GDBusConnection *connection;
	/* RLIMIT_NOFILE (soft and hard) for the next daemon started; 0 keeps ours */
	guint daemon_fd_limit;
} RbTestService;

RbTestService *rb_test_service_new_bus(void);
void rb_test_service_start_daemon(RbTestService *self, const gchar *const *extra_args);
void rb_test_service_start_daemon_on(RbTestService *self,
				     gboolean session,
				     const gchar *const *extra_args);
gint rb_test_service_stop_daemon(RbTestService *self);
gboolean rb_test_service_wait_daemon_exit(RbTestService *self, guint timeout_ms, gint *wait_status);
void rb_test_service_free(RbTestService *self);

gchar **rb_test_service_get_environ(RbTestService *self);
gint rb_test_run(const gchar *const *argv,
		 gchar **envp,
		 gchar **standard_output,
		 gchar **standard_error);

const gchar *rb_test_get_rawburnd(void);
const gchar *rb_test_get_rawburnctl(void);
const gchar *rb_test_get_dbus_xml_dir(void);
const gchar *rb_test_get_builddir(void);

gint rb_test_run_suite(Suite *suite);

typedef struct _RbDaoStream RbDaoStream;
/* the whole stream in an unlinked temporary file, at offset 0 */
gint rb_test_stream_to_file(RbDaoStream *stream);

/* python-dbusmock templates on the private bus (a test dependency) */
const gchar *rb_test_find_python(void);
gboolean rb_test_name_has_owner(RbTestService *service, const gchar *name);
GPid rb_test_start_mock(RbTestService *service, const gchar *template_name, const gchar *bus_name);
void rb_test_stop_mock(RbTestService *service, GPid pid, const gchar *bus_name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RbTestService, rb_test_service_free)

G_END_DECLS
