/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The descriptor budget of rb-fd-limit.h. GLib aborts when it cannot make
 * a wake-up pipe ("Creating pipes for GWakeup: Too many open files"), so the
 * only safe way to meet the limit is not to reach it: every request that
 * opens descriptors asks here first and is refused with LimitsExceeded.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbFdLimit"

#include <dirent.h>
#include <errno.h>
#include <gio/gio.h>
#include <glib/gi18n.h>
#include <sys/resource.h>

#include "rb-fd-limit.h"

/* the soft limit, raised as far as the hard one allows: the daemon never
 * uses select(), whose FD_SETSIZE is the usual reason to keep it low */
guint
rb_fd_limit_raise(void)
{
	struct rlimit limit;

	if (getrlimit(RLIMIT_NOFILE, &limit) < 0)
		return 0;
	if (limit.rlim_cur < limit.rlim_max) {
		rlim_t wanted = limit.rlim_max;

		limit.rlim_cur = wanted;
		if (setrlimit(RLIMIT_NOFILE, &limit) < 0)
			g_debug("cannot raise the descriptor limit: %s", g_strerror(errno));
		getrlimit(RLIMIT_NOFILE, &limit);
	}
	return limit.rlim_cur == RLIM_INFINITY ? G_MAXUINT : (guint)MIN(limit.rlim_cur, G_MAXUINT);
}

/* the descriptors open now, as /proc sees them (its own one not counted) */
static guint
rb_fd_limit_count_open(void)
{
	DIR *dir = opendir("/proc/self/fd");
	struct dirent *entry;
	guint count = 0;

	if (dir == NULL)
		return 0;
	while ((entry = readdir(dir)) != NULL) {
		if (entry->d_name[0] != '.')
			count++;
	}
	closedir(dir);
	return count > 0 ? count - 1 : 0;
}

gboolean
rb_fd_limit_check(guint needed, GError **error)
{
	struct rlimit limit;
	guint open_now;

	if (getrlimit(RLIMIT_NOFILE, &limit) < 0 || limit.rlim_cur == RLIM_INFINITY)
		return TRUE;
	open_now = rb_fd_limit_count_open();
	if ((guint64)open_now + needed + RB_FD_LIMIT_RESERVE <= (guint64)limit.rlim_cur)
		return TRUE;
	g_warning("refusing a request: %u of %u file descriptors are open and it needs %u more",
		  open_now,
		  (guint)limit.rlim_cur,
		  needed);
	g_set_error(error,
		    G_DBUS_ERROR,
		    G_DBUS_ERROR_LIMITS_EXCEEDED,
		    _("The service has too many files open (%u of its limit of %u); wait for "
		      "other burns to end, or raise LimitNOFILE= of rawburnd.service."),
		    open_now,
		    (guint)limit.rlim_cur);
	return FALSE;
}
