/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void rb_ctl_json_append_string(GString *out, const gchar *text);
void rb_ctl_json_append_variant(GString *out, GVariant *value);

G_END_DECLS
