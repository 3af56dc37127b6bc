/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Where rawburnd's log goes: the journal with every field when stderr is
 * connected to it, else one readable line per message on stderr.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* RAWBURN_LOG_FORMAT=fields: each message as KEY=VALUE fields on one line
 * (a debugging aid, and what the tests read) */
#define RB_LOG_FORMAT_ENV "RAWBURN_LOG_FORMAT"

/* installs the writer: INFO and above always, DEBUG when --debug or
 * G_MESSAGES_DEBUG asks for it */
void rb_log_writer_install(void);

G_END_DECLS
