/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fuzz target: the stream preflight (common/rb-stream-check.h), which reads
 * every sector a client sends before the drive sees it. Input: a data block
 * type byte (% 3 + 1), a byte choosing where the stream starts and where the
 * disc ends, a byte choosing how many sectors each call takes, then the
 * sectors (2368 or 2448 bytes each; a partial last one is dropped). A
 * verdict names its LBA and stands: once the check failed, every later call
 * fails the same way and the next LBA stays put; while it passes, the next
 * LBA advances by exactly what was fed.
 */
#include "config.h"

#include <string.h>

#include "rb-fuzz.h"
#include "rb-stream-check.h"

/* where streams start: WriteMedia's default, the ATIP lead-ins of the
 * emulated media, the lead-in's end, the pregap, the program area */
static const gint32 rb_fuzz_first_lbas[] = {-22650, -11634, -11077, -160, -150, 0, 300};
static const gint32 rb_fuzz_last_leadouts[] = {G_MAXINT32, 359849, 329849, 300};

static void
rb_fuzz_check_error(const GError *error)
{
	rb_fuzz_check(error != NULL);
	rb_fuzz_check(error->domain == RB_STREAM_CHECK_ERROR);
	rb_fuzz_check(g_str_has_prefix(error->message, "LBA "));
	rb_fuzz_check(g_utf8_validate(error->message, -1, NULL));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(RbStreamCheck) check = NULL;
	g_autoptr(GError) first_error = NULL;
	guint data_block_type;
	gsize sector_size;
	gsize n_sectors;
	gsize per_call;
	gint32 first_lba;

	if (size < 3)
		return 0;
	data_block_type = data[0] % 3 + 1;
	sector_size = data_block_type == 1 ? 2368 : 2448;
	first_lba = rb_fuzz_first_lbas[data[1] % G_N_ELEMENTS(rb_fuzz_first_lbas)];
	check = rb_stream_check_new(
		data_block_type,
		first_lba,
		rb_fuzz_last_leadouts[(data[1] >> 4) % G_N_ELEMENTS(rb_fuzz_last_leadouts)]);
	rb_fuzz_check(check != NULL);
	rb_fuzz_check(rb_stream_check_get_next_lba(check) == first_lba);
	per_call = 1 + data[2] % 32;
	data += 3;
	size -= 3;
	n_sectors = size / sector_size;

	for (gsize done = 0; done < n_sectors;) {
		gsize n = MIN(per_call, n_sectors - done);
		gint32 before = rb_stream_check_get_next_lba(check);
		g_autoptr(GError) error = NULL;
		/* a copy: the checker must read only what it is given */
		g_autofree guint8 *sectors = g_memdup2(data + done * sector_size, n * sector_size);

		if (rb_stream_check_sectors(check, sectors, n, &error)) {
			rb_fuzz_check(first_error == NULL);
			rb_fuzz_check(rb_stream_check_get_next_lba(check) == before + (gint32)n);
		} else {
			rb_fuzz_check_error(error);
			/* the verdict stands, at the same LBA */
			if (first_error != NULL) {
				rb_fuzz_check(g_strcmp0(error->message, first_error->message) == 0);
				rb_fuzz_check(rb_stream_check_get_next_lba(check) == before);
			} else {
				rb_fuzz_check(rb_stream_check_get_next_lba(check) >= before);
				rb_fuzz_check(rb_stream_check_get_next_lba(check) <
					      before + (gint32)n);
				first_error = g_steal_pointer(&error);
			}
		}
		done += n;
	}
	{
		g_autoptr(GError) error = NULL;

		if (!rb_stream_check_finish(check, &error))
			rb_fuzz_check_error(error);
		else
			rb_fuzz_check(first_error == NULL);
	}
	return 0;
}
