/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What every rawburnctl command shares: the global options, the connection
 * to the service, finding a recorder by name, and parsing a command's own
 * options.
 */
#pragma once

#include <gio/gio.h>

#include "rb-client.h"
#include "rb-generated.h"

G_BEGIN_DECLS

/*
 * Exit statuses, one per failure class, so that a script can tell why a
 * command failed (README.md and rawburnctl(1) list them; do not renumber):
 * 0 success, 1 any other failure, 2 a wrong command line. rb-ctl-errors.c
 * gives each of the service's errors its class.
 */
#define RB_CTL_EXIT_USAGE 2
/* no bus, or no rawburnd on it */
#define RB_CTL_EXIT_UNREACHABLE 3
/* polkit, or the bus's policy, said no */
#define RB_CTL_EXIT_NOT_AUTHORIZED 4
/* another client or a running operation holds the recorder */
#define RB_CTL_EXIT_BUSY 5
/* no medium, or one that cannot be written or erased */
#define RB_CTL_EXIT_MEDIUM 6
/* CancelWrite, Ctrl-C */
#define RB_CTL_EXIT_CANCELLED 7
/* the disc does not read back as the image */
#define RB_CTL_EXIT_VERIFY_FAILED 8
/* no such recorder (or it went away), or no such job */
#define RB_CTL_EXIT_NOT_FOUND 9
/* an image file that is wrong or does not fit (sysexits.h EX_DATAERR), or
 * one that is missing or unreadable (EX_NOINPUT): a script tells a bad
 * image from a failed burn, and knows the recorder was not touched */
#define RB_CTL_EXIT_DATAERR 65
#define RB_CTL_EXIT_NOINPUT 66
/* a person waits at the other end: polkit may ask them to authenticate */
#define RB_CTL_CALL_FLAGS G_DBUS_CALL_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION
/* for calls that may ask: D-Bus's default 25 s is short for typing a password,
 * and a timed-out call may still take the lock once the person answered */
#define RB_CTL_AUTHORIZED_CALL_TIMEOUT_MS G_MAXINT

typedef struct {
	gboolean session;
	gboolean json;
	/* librawburn's connection; object_manager is its object manager */
	RbClient *client;
	GDBusObjectManager *object_manager;
} RbCtl;

void rb_ctl_clear(RbCtl *ctl);
void rb_ctl_add_global_entries(RbCtl *ctl, GOptionContext *context);
/* a command's own options, then exactly @n_args arguments (else
 * @wrong_args, which says what the command needs) */
gboolean rb_ctl_parse_command(RbCtl *ctl,
			      const gchar *command,
			      const gchar *parameters,
			      const gchar *summary,
			      const GOptionEntry *entries,
			      guint n_args,
			      const gchar *wrong_args,
			      gint *argc,
			      gchar ***argv,
			      GError **error);
/* the same for a command taking @min_args to @max_args arguments */
gboolean rb_ctl_parse_command_range(RbCtl *ctl,
				    const gchar *command,
				    const gchar *parameters,
				    const gchar *summary,
				    const GOptionEntry *entries,
				    guint min_args,
				    guint max_args,
				    const gchar *wrong_args,
				    gint *argc,
				    gchar ***argv,
				    GError **error);
gboolean rb_ctl_connect(RbCtl *ctl, GError **error);
gchar **rb_ctl_get_recorder_paths(RbCtl *ctl, GError **error);
gchar *rb_ctl_recorder_name(const gchar *object_path);
/* takes @error_remote, keeping its D-Bus name for rb_ctl_errors_report(); FALSE */
gboolean rb_ctl_fail_remote(GError **error, GError *error_remote);
gboolean rb_ctl_set_property(GDBusProxy *proxy, const gchar *name, GVariant *value, GError **error);
/* connects first (rb_ctl_connect()): every command naming a RECORDER starts here */
GDBusObject *rb_ctl_connect_recorder(RbCtl *ctl, const gchar *wanted, GError **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(RbCtl, rb_ctl_clear)

G_END_DECLS
