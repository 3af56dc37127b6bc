/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A scripted MMC transport for unit tests: each command gets the next
 * queued answer (status, sense, data or a transport failure), and every
 * command received is recorded so tests can check the CDBs and the data
 * sent. No drive logic at all: the script is the drive.
 */
#pragma once

#include <check.h>
#include <gio/gio.h>

#include "rb-error.h"
#include "rb-mmc-transport.h"

G_BEGIN_DECLS

#define RB_TYPE_TEST_FAKE_TRANSPORT (rb_test_fake_transport_get_type())
G_DECLARE_FINAL_TYPE(
	RbTestFakeTransport, rb_test_fake_transport, RB, TEST_FAKE_TRANSPORT, RbMmcTransport)

typedef struct {
	guint8 cdb[RB_MMC_CDB_MAX];
	gsize cdb_len;
	RbMmcDirection direction;
	gsize buffer_len;
	guint timeout_ms;
	GBytes *data_out; /* the bytes of a data-out command, else NULL */
} RbTestFakeCommand;

RbTestFakeTransport *rb_test_fake_transport_new(void);

/* GOOD; for a data-in command @data is copied into the buffer (cut to its
 * size, the rest reported as residual); @data may be NULL */
void rb_test_fake_transport_push_good(RbTestFakeTransport *self, const guint8 *data, gsize len);
/* CHECK CONDITION with 18 bytes of fixed-format sense */
void
rb_test_fake_transport_push_check(RbTestFakeTransport *self, guint8 key, guint8 asc, guint8 ascq);
/* CHECK CONDITION with these sense bytes as they are */
void rb_test_fake_transport_push_sense(RbTestFakeTransport *self, const guint8 *sense, gsize len);
/* another status, no sense */
void rb_test_fake_transport_push_status(RbTestFakeTransport *self, guint8 status);
/* execute() returns FALSE with @code */
void rb_test_fake_transport_push_failure(RbTestFakeTransport *self, RbError code);
/* the answer once the script is used up (otherwise a transport failure
 * saying so): a CHECK CONDITION with this key/ASC/ASCQ, for ever */
void rb_test_fake_transport_set_default_check(RbTestFakeTransport *self,
					      guint8 key,
					      guint8 asc,
					      guint8 ascq);

guint rb_test_fake_transport_get_n_commands(RbTestFakeTransport *self);
const RbTestFakeCommand *rb_test_fake_transport_get_command(RbTestFakeTransport *self, guint i);
guint rb_test_fake_transport_get_n_pending(RbTestFakeTransport *self);
/* commands received with @opcode */
guint rb_test_fake_transport_count_opcode(RbTestFakeTransport *self, guint8 opcode);

/* 18 bytes of fixed-format sense into @out; with @progress >= 0 SKSV is
 * set and bytes 16-17 carry it */
void rb_test_fill_fixed_sense(guint8 out[18], guint8 key, guint8 asc, guint8 ascq, gint progress);

/* a GError of this domain and code, with its message in the failure report */
#define rb_assert_error(err_, domain_, code_)                                                      \
	do {                                                                                       \
		const GError *e_ = (err_);                                                         \
		ck_assert_msg(e_ != NULL, "expected error %d, got none", (gint)(code_));           \
		ck_assert_msg(g_error_matches(e_, (domain_), (gint)(code_)),                       \
			      "expected error %d, got %s %d: %s",                                  \
			      (gint)(code_),                                                       \
			      g_quark_to_string(e_->domain),                                       \
			      e_->code,                                                            \
			      e_->message);                                                        \
	} while (0)

G_END_DECLS
