/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the umockdev tests share: an emulated drive from a spec, and
 * running rawburn-vdrive-run or another program to its end.
 */
#include "config.h"

#include "rb-test-service.h"
#include "rb-umockdev-test.h"

RbUmockdevDrive *
rb_test_drive_new(const gchar *spec_text)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RbVirtualSpec) spec = rb_virtual_spec_parse(spec_text, &error);
	RbUmockdevDrive *drive;

	ck_assert_msg(spec != NULL, "%s", error != NULL ? error->message : "");
	drive = rb_umockdev_drive_new(spec, &error);
	ck_assert_msg(drive != NULL, "%s", error != NULL ? error->message : "");
	return drive;
}

/* runs @argv to completion and returns its wait status */
gint
rb_test_spawn(const gchar *const *argv, gchar **envp, gchar **out, gchar **err)
{
	return rb_test_spawn_in(NULL, argv, envp, out, err);
}
