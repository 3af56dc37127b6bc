/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How rawburnctl reports a failure: the service's D-Bus error name turned
 * into a sentence in the user's language and an exit status per failure
 * class, as text on standard error or as one JSON object with --json.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* rawburnctl's own failures, the ones no D-Bus error names */
#define RB_CTL_ERROR (rb_ctl_error_quark())
#define RB_CTL_ERROR_PREFIX "org.rawburn.RawBurn1.Ctl."

typedef enum {
	RB_CTL_ERROR_NO_BUS,              /* the bus cannot be reached */
	RB_CTL_ERROR_SERVICE_NOT_RUNNING, /* no rawburnd owns its name */
	RB_CTL_ERROR_NO_SUCH_RECORDER,
	RB_CTL_ERROR_NO_SUCH_JOB, /* no such job, or it ended */
} RbCtlError;

GQuark rb_ctl_error_quark(void);

/* a failure ready to be shown: what the user reads, and what a script tests */
typedef struct {
	gchar *name;    /* the D-Bus error name, or an RB_CTL_ERROR_PREFIX one */
	gchar *message; /* in the user's language */
	gchar *detail;  /* the service's own message, or NULL */
	int exit_status;
} RbCtlFailure;

/* @status is what the command returned: it stands for errors that carry no
 * D-Bus name (usage, an unreadable or a bad image file) */
RbCtlFailure *rb_ctl_failure_new(const GError *error, int status);
void rb_ctl_failure_free(RbCtlFailure *failure);
/* prints @error, as JSON on standard output with @json, and returns the exit status */
int rb_ctl_errors_report(const GError *error, int status, gboolean json);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RbCtlFailure, rb_ctl_failure_free)

G_END_DECLS
