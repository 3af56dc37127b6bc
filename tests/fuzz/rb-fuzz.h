/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What every fuzz target defines: libFuzzer's entry points, called by
 * libFuzzer in a fuzzing build (--enable-fuzzing) and by the replay driver
 * (rb-fuzz-replay.c) in every other build, and the check both use to fail
 * an input.
 */
#pragma once

#include <glib.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

G_BEGIN_DECLS

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* optional: only targets with one-time setup define it */
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* abort(), so that libFuzzer keeps the input and the replay test fails;
 * the message says which property broke */
#define rb_fuzz_check(expr)                                                                        \
	G_STMT_START                                                                               \
	{                                                                                          \
		if (G_UNLIKELY(!(expr))) {                                                         \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #expr);   \
			abort();                                                                   \
		}                                                                                  \
	}                                                                                          \
	G_STMT_END

/* the same, with what the target found in words */
G_GNUC_NORETURN G_GNUC_PRINTF(1, 2) static inline void rb_fuzz_fail(const gchar *format, ...)
{
	va_list args;

	va_start(args, format);
	vfprintf(stderr, format, args);
	va_end(args);
	fputc('\n', stderr);
	abort();
}

G_END_DECLS
