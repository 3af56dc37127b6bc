/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The scripted transport. It runs on the test's thread only, so it needs
 * no locking.
 */
#include "config.h"

#include <string.h>

#include "rb-test-fake-transport.h"

typedef enum {
	RB_TEST_REPLY_STATUS,
	RB_TEST_REPLY_FAILURE,
} RbTestReplyKind;

typedef struct {
	RbTestReplyKind kind;
	guint8 status;
	guint8 sense[RB_MMC_SENSE_MAX];
	gsize sense_len;
	GBytes *data;
	RbError failure;
} RbTestReply;

struct _RbTestFakeTransport {
	RbMmcTransport parent_instance;
	GQueue replies;        /* RbTestReply */
	GPtrArray *commands;   /* RbTestFakeCommand */
	RbTestReply *fallback; /* NULL: a used-up script is a failure */
};

G_DEFINE_TYPE(RbTestFakeTransport, rb_test_fake_transport, RB_TYPE_MMC_TRANSPORT)

static void
rb_test_reply_free(gpointer data)
{
	RbTestReply *reply = data;

	if (reply == NULL)
		return;
	g_clear_pointer(&reply->data, g_bytes_unref);
	g_free(reply);
}

static void
rb_test_fake_command_free(gpointer data)
{
	RbTestFakeCommand *command = data;

	g_clear_pointer(&command->data_out, g_bytes_unref);
	g_free(command);
}

void
rb_test_fill_fixed_sense(guint8 out[18], guint8 key, guint8 asc, guint8 ascq, gint progress)
{
	memset(out, 0, 18);
	out[0] = 0x70;
	out[2] = key;
	out[7] = 10; /* additional sense length: bytes 8-17 */
	out[12] = asc;
	out[13] = ascq;
	if (progress >= 0) {
		out[15] = 0x80;
		out[16] = (guint8)(progress >> 8);
		out[17] = (guint8)progress;
	}
}

static gboolean
rb_test_fake_transport_execute(RbMmcTransport *transport,
			       const guint8 *cdb,
			       gsize cdb_len,
			       RbMmcDirection direction,
			       guint8 *buffer,
			       gsize buffer_len,
			       guint timeout_ms,
			       RbMmcResult *result,
			       GError **error)
{
	RbTestFakeTransport *self = RB_TEST_FAKE_TRANSPORT(transport);
	RbTestFakeCommand *command = g_new0(RbTestFakeCommand, 1);
	RbTestReply *reply;
	gboolean ok = TRUE;

	memcpy(command->cdb, cdb, cdb_len);
	command->cdb_len = cdb_len;
	command->direction = direction;
	command->buffer_len = buffer_len;
	command->timeout_ms = timeout_ms;
	if (direction == RB_MMC_DIR_OUT)
		command->data_out = g_bytes_new(buffer, buffer_len);
	g_ptr_array_add(self->commands, command);

	reply = g_queue_pop_head(&self->replies);
	if (reply == NULL && self->fallback == NULL) {
		rb_error_set(error,
			     RB_ERROR_UNEXPECTED_RESPONSE_FROM_DEVICE,
			     "fake transport: no reply scripted for command %u (opcode %02Xh)",
			     self->commands->len,
			     cdb[0]);
		return FALSE;
	}
	if (reply == NULL) {
		memcpy(result->sense, self->fallback->sense, self->fallback->sense_len);
		result->sense_len = self->fallback->sense_len;
		result->status = self->fallback->status;
		return TRUE;
	}

	if (reply->kind == RB_TEST_REPLY_FAILURE) {
		rb_error_set(error, reply->failure, "fake transport: scripted failure");
		ok = FALSE;
	} else {
		result->status = reply->status;
		memcpy(result->sense, reply->sense, reply->sense_len);
		result->sense_len = reply->sense_len;
		if (direction == RB_MMC_DIR_IN) {
			gsize n = 0;
			if (reply->data != NULL)
				n = MIN(g_bytes_get_size(reply->data), buffer_len);
			if (n > 0)
				memcpy(buffer, g_bytes_get_data(reply->data, NULL), n);
			result->residual = buffer_len - n;
		}
	}
	rb_test_reply_free(reply);
	return ok;
}

static void
rb_test_fake_transport_finalize(GObject *object)
{
	RbTestFakeTransport *self = RB_TEST_FAKE_TRANSPORT(object);

	g_queue_clear_full(&self->replies, rb_test_reply_free);
	g_ptr_array_unref(self->commands);
	rb_test_reply_free(self->fallback);
	G_OBJECT_CLASS(rb_test_fake_transport_parent_class)->finalize(object);
}

static void
rb_test_fake_transport_class_init(RbTestFakeTransportClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = rb_test_fake_transport_finalize;
	RB_MMC_TRANSPORT_CLASS(klass)->execute = rb_test_fake_transport_execute;
}

static void
rb_test_fake_transport_init(RbTestFakeTransport *self)
{
	g_queue_init(&self->replies);
	self->commands = g_ptr_array_new_with_free_func(rb_test_fake_command_free);
}

RbTestFakeTransport *
rb_test_fake_transport_new(void)
{
	return g_object_new(RB_TYPE_TEST_FAKE_TRANSPORT, NULL);
}

void
rb_test_fake_transport_push_good(RbTestFakeTransport *self, const guint8 *data, gsize len)
{
	RbTestReply *reply = g_new0(RbTestReply, 1);

	reply->kind = RB_TEST_REPLY_STATUS;
	reply->status = RB_SCSI_STATUS_GOOD;
	if (data != NULL)
		reply->data = g_bytes_new(data, len);
	g_queue_push_tail(&self->replies, reply);
}

void
rb_test_fake_transport_push_sense(RbTestFakeTransport *self, const guint8 *sense, gsize len)
{
	RbTestReply *reply = g_new0(RbTestReply, 1);

	g_assert(len <= RB_MMC_SENSE_MAX);
	reply->kind = RB_TEST_REPLY_STATUS;
	reply->status = RB_SCSI_STATUS_CHECK_CONDITION;
	memcpy(reply->sense, sense, len);
	reply->sense_len = len;
	g_queue_push_tail(&self->replies, reply);
}

void
rb_test_fake_transport_push_check(RbTestFakeTransport *self, guint8 key, guint8 asc, guint8 ascq)
{
	guint8 sense[18];

	rb_test_fill_fixed_sense(sense, key, asc, ascq, -1);
	rb_test_fake_transport_push_sense(self, sense, sizeof(sense));
}

void
rb_test_fake_transport_push_status(RbTestFakeTransport *self, guint8 status)
{
	RbTestReply *reply = g_new0(RbTestReply, 1);

	reply->kind = RB_TEST_REPLY_STATUS;
	reply->status = status;
	g_queue_push_tail(&self->replies, reply);
}

void
rb_test_fake_transport_push_failure(RbTestFakeTransport *self, RbError code)
{
	RbTestReply *reply = g_new0(RbTestReply, 1);

	reply->kind = RB_TEST_REPLY_FAILURE;
	reply->failure = code;
	g_queue_push_tail(&self->replies, reply);
}

void
rb_test_fake_transport_set_default_check(RbTestFakeTransport *self,
					 guint8 key,
					 guint8 asc,
					 guint8 ascq)
{
	RbTestReply *reply = g_new0(RbTestReply, 1);

	reply->kind = RB_TEST_REPLY_STATUS;
	reply->status = RB_SCSI_STATUS_CHECK_CONDITION;
	rb_test_fill_fixed_sense(reply->sense, key, asc, ascq, -1);
	reply->sense_len = 18;
	rb_test_reply_free(self->fallback);
	self->fallback = reply;
}

guint
rb_test_fake_transport_get_n_commands(RbTestFakeTransport *self)
{
	return self->commands->len;
}

const RbTestFakeCommand *
rb_test_fake_transport_get_command(RbTestFakeTransport *self, guint i)
{
	g_assert(i < self->commands->len);
	return g_ptr_array_index(self->commands, i);
}

guint
rb_test_fake_transport_get_n_pending(RbTestFakeTransport *self)
{
	return g_queue_get_length(&self->replies);
}

guint
rb_test_fake_transport_count_opcode(RbTestFakeTransport *self, guint8 opcode)
{
	guint n = 0;

	for (guint i = 0; i < self->commands->len; i++) {
		const RbTestFakeCommand *command = g_ptr_array_index(self->commands, i);
		if (command->cdb[0] == opcode)
			n++;
	}
	return n;
}
