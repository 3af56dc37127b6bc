/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the tests of verification over the bus share (test-verify.c, Burn's
 * Verify and VerifyMedia; test-verify-read.c, how real drives read back):
 * a virtual recorder whose Update signals are collected, and the two-track
 * audio stream they burn and verify.
 * Check assertions inside.
 */
#pragma once

#include "rb-dao-stream.h"
#include "rb-test-client.h"

G_BEGIN_DECLS

#define RB_VERIFY_RECORDER RB_DBUS_RECORDERS_PATH "/virtual0"
#define RB_VERIFY_STREAM_FIRST_LBA (-22650)
/* the audio stream's tracks: 0..399 and 400..599, lead-out at 600 */
#define RB_VERIFY_AUDIO_LEADOUT 600

/* rawburnd with a virtual recorder holding @media, unpaced; a client; the
 * Update signals of the recorder the client heard */
typedef struct {
	RbTestService *service;
	RbTestClient *client;
	GArray *updates; /* RbTestUpdate */
	guint subscription;
} RbVerifyFixture;

void rb_verify_fixture_setup(RbVerifyFixture *f, const gchar *media);
void rb_verify_fixture_teardown(RbVerifyFixture *f);
/* the last VERIFYING Update that came before now (fails the test when there
 * is none); the Updates heard so far are forgotten */
RbTestUpdate rb_verify_fixture_take_verifying(RbVerifyFixture *f);

/* the audio stream (from RB_VERIFY_STREAM_FIRST_LBA, @sector_type, @main's
 * samples) in an unlinked temporary file, at offset 0 */
gint rb_verify_audio_stream_fd(guint sector_type, RbDaoStreamMainFunc main);

G_END_DECLS
