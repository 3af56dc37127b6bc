/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the umockdev tests share (Check assertions inside).
 */
#pragma once

#include "rb-test-tools.h"
#include "rb-umockdev-drive.h"

G_BEGIN_DECLS

RbUmockdevDrive *rb_test_drive_new(const gchar *spec_text);
/* runs @argv to completion and returns its wait status */
gint rb_test_spawn(const gchar *const *argv, gchar **envp, gchar **out, gchar **err);

G_END_DECLS
