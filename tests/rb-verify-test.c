/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The verification fixture and stream of rb-verify-test.h.
 */
#include "config.h"

#include "rb-error.h"
#include "rb-verify-test.h"

static void
rb_verify_on_update(GDBusConnection *connection,
		    const gchar *sender,
		    const gchar *path,
		    const gchar *interface,
		    const gchar *signal,
		    GVariant *params,
		    gpointer user_data)
{
	GArray *updates = user_data;
	RbTestUpdate update;

	rb_test_update_parse(params, &update);
	g_array_append_val(updates, update);
}

void
rb_verify_fixture_setup(RbVerifyFixture *f, const gchar *media)
{
	g_autofree gchar *spec = g_strdup_printf("media=%s,realtime=false", media);
	const gchar *args[] = {"--virtual-recorder", spec, NULL};

	f->service = rb_test_service_new_bus();
	rb_test_service_start_daemon(f->service, args);
	f->client = rb_test_client_new(f->service);
	rb_test_client_wait_for_drive(f->client, RB_VERIFY_RECORDER);
	f->updates = g_array_new(FALSE, FALSE, sizeof(RbTestUpdate));
	f->subscription = g_dbus_connection_signal_subscribe(f->client->connection,
							     RB_DBUS_NAME,
							     RB_TEST_FORMAT,
							     "Update",
							     RB_VERIFY_RECORDER,
							     NULL,
							     G_DBUS_SIGNAL_FLAGS_NONE,
							     rb_verify_on_update,
							     f->updates,
							     NULL);
}

void
rb_verify_fixture_teardown(RbVerifyFixture *f)
{
	rb_test_signal_unsubscribe(f->client->connection, f->subscription);
	g_array_unref(f->updates);
	rb_test_client_free(f->client);
	rb_test_service_stop_daemon(f->service);
	rb_test_service_free(f->service);
}

RbTestUpdate
rb_verify_fixture_take_verifying(RbVerifyFixture *f)
{
	RbTestUpdate last = {0};
	gboolean verifying = FALSE;

	/* the Update signals that came before the reply */
	while (g_main_context_iteration(NULL, FALSE))
		;
	for (guint i = 0; i < f->updates->len; i++) {
		const RbTestUpdate *u = &g_array_index(f->updates, RbTestUpdate, i);

		if (u->action == 4) {
			verifying = TRUE;
			last = *u;
		}
	}
	ck_assert(verifying);
	g_array_set_size(f->updates, 0);
	return last;
}

gint
rb_verify_audio_stream_fd(guint sector_type, RbDaoStreamMainFunc main)
{
	const RbDaoTrack tracks[] = {{0, 400}, {400, 200}};
	g_autoptr(GError) error = NULL;
	g_autoptr(RbDaoStream) stream = rb_dao_stream_new(
		RB_VERIFY_STREAM_FIRST_LBA, tracks, 2, sector_type, main, NULL, NULL, &error);

	ck_assert_msg(stream != NULL, "%s", error ? error->message : "");
	return rb_test_stream_to_file(stream);
}
