/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Built by make installcheck against the installed librawburn-1 with the
 * flags of `pkg-config --cflags --libs rawburn-1`: the headers compile
 * alone and the exported functions link and run. No bus is needed: the
 * client is pointed at one that does not exist.
 */
#include <rawburn/rawburn.h>
#include <stdio.h>
#include <string.h>

int
main(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RbClient) client = NULL;
	g_autofree gchar *name = rb_client_get_recorder_name("/org/rawburn/RawBurn1/recorders/sr0");
	const gchar *cancelled = rb_error_get_dbus_name(RB_ERROR_REQUEST_CANCELLED);

	if (strcmp(name, "sr0") != 0 ||
	    strcmp(cancelled, "org.rawburn.RawBurn1.Error.RequestCancelled") != 0) {
		fprintf(stderr, "wrong answers: %s %s\n", name, cancelled);
		return 1;
	}
	g_setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/rawburn-check", TRUE);
	client = rb_client_new_sync(G_BUS_TYPE_SESSION, NULL, &error);
	if (client != NULL || error == NULL) {
		fprintf(stderr, "a client on a bus that does not exist\n");
		return 1;
	}
	printf("librawburn-1: %s; %s; no bus: %s\n",
	       g_quark_to_string(RB_ERROR),
	       cancelled,
	       error->message);
	return 0;
}
