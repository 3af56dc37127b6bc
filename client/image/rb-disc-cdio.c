/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libcdio's log handler swapped around the readers' calls into it
 * (rb-disc-cdio.h says why). Its handler takes no user data, so the one
 * reading's state is file-static, under the lock that begin takes.
 *
 * Only one thread may use libcdio at a time: the handler is process-wide,
 * so a call made outside begin..end while another thread is between them
 * would log into that reading's message (or, after end, on stderr). The
 * lock makes begin..end exclusive, so every libcdio call (opening, the
 * getters, cdio_destroy) belongs between them.
 */
#include "config.h"

#include <cdio/logging.h>

#include "rb-disc-cdio.h"

G_LOCK_DEFINE_STATIC(rb_disc_cdio);
static cdio_log_handler_t rb_disc_cdio_previous = NULL;
static GString *rb_disc_cdio_message = NULL;

static void
rb_disc_cdio_log(cdio_log_level_t level, const gchar *message)
{
	g_debug("libcdio (level %d): %s", (gint)level, message);
	if (level < CDIO_LOG_WARN)
		return;
	/* libcdio says "line N after word X:" and the reason in two messages */
	if (rb_disc_cdio_message->len > 0)
		g_string_append_c(rb_disc_cdio_message, ' ');
	g_string_append(rb_disc_cdio_message, message);
}

void
rb_disc_cdio_log_begin(void)
{
	G_LOCK(rb_disc_cdio);
	rb_disc_cdio_message = g_string_new(NULL);
	rb_disc_cdio_previous = cdio_log_set_handler(rb_disc_cdio_log);
}

gchar *
rb_disc_cdio_log_end(void)
{
	GString *message;

	cdio_log_set_handler(rb_disc_cdio_previous);
	rb_disc_cdio_previous = NULL;
	message = g_steal_pointer(&rb_disc_cdio_message);
	G_UNLOCK(rb_disc_cdio);
	if (message->len == 0) {
		g_string_free(message, TRUE);
		return NULL;
	}
	return g_string_free(message, FALSE);
}
