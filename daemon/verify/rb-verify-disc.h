/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reading a written disc back and comparing it with what was sent: READ
 * CD of the main channel and the formatted Q, sector by sector from LBA
 * -150 (or 0 where the drive refuses the pregap) to the lead-out start,
 * against a source of expected sectors: the stream itself (VerifyMedia) or
 * the digests a burn kept (Burn's Verify). Blocking: call it from a worker
 * thread holding the drive.
 */
#pragma once

#include <gio/gio.h>

#include "rb-mmc-exec.h"
#include "rb-mmc-transport.h"
#include "rb-verify-sector.h"

G_BEGIN_DECLS

typedef enum {
	RB_VERIFY_EXPECT_SECTOR,  /* a sector before the lead-out */
	RB_VERIFY_EXPECT_LEADOUT, /* the stream's lead-out starts here */
	RB_VERIFY_EXPECT_END,     /* the stream ended before this LBA */
} RbVerifyExpectKind;

typedef struct {
	RbVerifyExpectKind kind;
	/* the main channel as READ CD returns it, or NULL when only the
	 * digest's CRC is known */
	const guint8 *main;
	RbVerifyDigest digest; /* q always; main_crc when @main is NULL */
} RbVerifyExpected;

typedef struct {
	/* comparing starts at *@lba (-150 or 0); a source that cannot begin
	 * there moves it later. Sectors before it are passed over. */
	gboolean (*start)(gpointer source, gint32 *lba, GError **error);
	/* the expected sector at @lba, called for consecutive LBAs */
	gboolean (*next)(gpointer source, gint32 lba, RbVerifyExpected *out, GError **error);
} RbVerifySourceFuncs;

/* after each READ CD: the last LBA read and compared, of [@first, @end) */
typedef void (*RbVerifyProgressFunc)(gint32 last_read_lba,
				     gint32 first_lba,
				     gint32 end_lba,
				     gpointer user_data);

/* rb_verify_disc()'s @written_leadout when the caller does not know it */
#define RB_VERIFY_LEADOUT_UNKNOWN G_MININT32

/*
 * Compares the disc in the drive with @source, up to @written_leadout (the
 * lead-out start the caller wrote itself) or, when that is
 * RB_VERIFY_LEADOUT_UNKNOWN, the lead-out READ TOC reports. Errors:
 * RB_ERROR_BURN_VERIFICATION_FAILED naming the first LBA that differs or
 * cannot be read and how (a blank disc: its first sector), or the count of
 * unreadable Q frames when they pass 1 % of the sectors;
 * RB_ERROR_REQUEST_CANCELLED when @env's cancellable fires; device errors.
 */
gboolean rb_verify_disc(RbMmcTransport *transport,
			const RbMmcEnv *env,
			const RbVerifySourceFuncs *funcs,
			gpointer source,
			gint32 written_leadout,
			RbVerifyProgressFunc progress,
			gpointer user_data,
			GError **error);

G_END_DECLS
