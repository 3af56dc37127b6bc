/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How a WRITE's sectors reach the backing file: judged, then kept with as
 * few system calls as the block type allows. At 52x the host sends ~3,900
 * sectors a second and an unpaced burn ten times more, so the drive must
 * not copy or write one sector at a time. Blocks of 2448 bytes (main
 * channel + 96 bytes of P-W) are kept as the host sent them: they are
 * judged where they lie and the whole WRITE goes out in one pwritev(), a
 * sector that an injected fault alters swapped in as a patched copy. Blocks
 * of 2368 bytes (16 bytes of P-Q) need the drive to build P-W: they are
 * built into a buffer allocated once per drive and written a buffer at a
 * time.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbVdrive"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "rb-subchannel.h"
#include "rb-vdrive-private.h"

/* the main channel byte CorruptAtLba flips: inside the user data of any
 * data mode, past sync and header */
#define RB_VDRIVE_CORRUPT_BYTE 1000
/* Q in each interleaved sub-channel symbol (P is bit 7) */
#define RB_VDRIVE_PW_BIT_Q 0x40
/* the sectors an injected fault can alter in one WRITE: CorruptAtLba and
 * BadQCrcAtLba; each takes at most two iovecs (before it, itself), plus
 * the tail */
#define RB_VDRIVE_FAULT_KINDS 2
#define RB_VDRIVE_STORE_IOVECS (2 * RB_VDRIVE_FAULT_KINDS + 1)

G_STATIC_ASSERT(RB_VDRIVE_STORE_BLOCKS >= RB_VDRIVE_FAULT_KINDS);

/* writes all of @iov at @offset, resuming after a short write */
static gboolean
rb_vdrive_pwritev_all(gint fd, struct iovec *iov, gint iovcnt, off_t offset)
{
	while (iovcnt > 0) {
		ssize_t n = pwritev(fd, iov, MIN(iovcnt, IOV_MAX), offset);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return FALSE;
		offset += n;
		while (iovcnt > 0 && (gsize)n >= iov->iov_len) {
			n -= (ssize_t)iov->iov_len;
			iov++;
			iovcnt--;
		}
		if (iovcnt > 0) {
			iov->iov_base = (guint8 *)iov->iov_base + n;
			iov->iov_len -= (gsize)n;
		}
	}
	return TRUE;
}

static off_t
rb_vdrive_store_offset(RbVdrive *self, gint32 lba)
{
	return (off_t)(lba - self->info.leadin_start) * RB_VDRIVE_STORED_SIZE;
}

gboolean
rb_vdrive_store_sector(RbVdrive *self, gint32 lba, const guint8 *block)
{
	struct iovec iov = {(void *)block, RB_VDRIVE_STORED_SIZE};

	return rb_vdrive_pwritev_all(self->fd, &iov, 1, rb_vdrive_store_offset(self, lba));
}

static gboolean
rb_vdrive_fault_at(gint32 fault_lba, gint32 first, guint blocks)
{
	return fault_lba != RB_VDRIVE_FAULT_OFF && fault_lba >= first &&
	       fault_lba < first + (gint32)blocks;
}

/* alters a stored sector as the injected faults at @lba ask; each fires once */
static void
rb_vdrive_apply_faults(RbVdrive *self, gint32 lba, guint8 *stored)
{
	/* a disc that reads back wrong, for testing verification: judged as
	 * sent, stored altered, and the WRITE still succeeds. XOR commutes with
	 * the scrambler, so a data sector reads back with the same byte flipped */
	if (lba == self->faults.corrupt_at_lba) {
		self->faults.corrupt_at_lba = RB_VDRIVE_FAULT_OFF;
		stored[RB_VDRIVE_CORRUPT_BYTE] ^= 0xFF;
	}
	/* a Q that reads back with a CRC error, as real discs give several a
	 * second: the top bit of its first CRC byte (Q byte 10, the first of
	 * its 8 interleaved symbols) flips, its data stays */
	if (lba == self->faults.bad_q_crc_at_lba) {
		self->faults.bad_q_crc_at_lba = RB_VDRIVE_FAULT_OFF;
		stored[RB_VDRIVE_MAIN_SIZE + 8 * RB_SUBQ_DATA_SIZE] ^= RB_VDRIVE_PW_BIT_Q;
	}
}

/* 96-byte P-W: what the host sent is what the disc keeps */
static gboolean
rb_vdrive_store_as_sent(RbVdrive *self, gint32 lba, const guint8 *buf, guint blocks)
{
	struct iovec iov[RB_VDRIVE_STORE_IOVECS];
	gint32 faulted[RB_VDRIVE_FAULT_KINDS];
	guint n_faulted = 0;
	gint n_iov = 0;
	guint next = 0; /* the first sector not yet in iov */

	for (guint i = 0; i < blocks; i++)
		rb_vdrive_check_sector(
			self, lba + (gint32)i, buf + (gsize)i * RB_VDRIVE_STORED_SIZE);
	/* a test write moves the laser at low power: nothing is recorded */
	if (self->recording_test_write)
		return TRUE;

	/* the sectors a fault alters, in LBA order, each once */
	if (rb_vdrive_fault_at(self->faults.corrupt_at_lba, lba, blocks))
		faulted[n_faulted++] = self->faults.corrupt_at_lba;
	if (rb_vdrive_fault_at(self->faults.bad_q_crc_at_lba, lba, blocks) &&
	    (n_faulted == 0 || faulted[0] != self->faults.bad_q_crc_at_lba))
		faulted[n_faulted++] = self->faults.bad_q_crc_at_lba;
	if (n_faulted == 2 && faulted[1] < faulted[0]) {
		gint32 swap = faulted[0];
		faulted[0] = faulted[1];
		faulted[1] = swap;
	}
	for (guint k = 0; k < n_faulted; k++) {
		guint at = (guint)(faulted[k] - lba);
		guint8 *copy = self->store_buffer + (gsize)k * RB_VDRIVE_STORED_SIZE;

		memcpy(copy, buf + (gsize)at * RB_VDRIVE_STORED_SIZE, RB_VDRIVE_STORED_SIZE);
		rb_vdrive_apply_faults(self, faulted[k], copy);
		if (at > next) {
			iov[n_iov].iov_base = (void *)(buf + (gsize)next * RB_VDRIVE_STORED_SIZE);
			iov[n_iov++].iov_len = (gsize)(at - next) * RB_VDRIVE_STORED_SIZE;
		}
		iov[n_iov].iov_base = copy;
		iov[n_iov++].iov_len = RB_VDRIVE_STORED_SIZE;
		next = at + 1;
	}
	if (blocks > next) {
		iov[n_iov].iov_base = (void *)(buf + (gsize)next * RB_VDRIVE_STORED_SIZE);
		iov[n_iov++].iov_len = (gsize)(blocks - next) * RB_VDRIVE_STORED_SIZE;
	}
	return rb_vdrive_pwritev_all(self->fd, iov, n_iov, rb_vdrive_store_offset(self, lba));
}

/* 16-byte P-Q: the drive encodes Q into P-W itself */
static void
rb_vdrive_build_from_pq(RbVdrive *self, const guint8 *block, guint8 *stored)
{
	const guint8 *pq = block + RB_VDRIVE_MAIN_SIZE;
	guint8 q[RB_SUBQ_SIZE];

	memcpy(stored, block, RB_VDRIVE_MAIN_SIZE);
	rb_subchannel_pq_get_q(pq, q);
	/* in 16-byte mode the drive encodes Q itself and regenerates its
	 * CRC (Red Book: inverted), so the plain CRC cdrdao and libburn send
	 * and wodim's inverted one record alike (mmc-notes §8.3 and "10.
	 * Measured"; cdrinfo.com's glossary: "in 16 byte mode the drive
	 * corrects the CRC of sub-Q"). A CRC wrong in both polarities is the
	 * host's error: it is counted and recorded as sent. */
	if (!rb_subq_check_crc(q) && rb_subq_check_crc_uninverted(q)) {
		self->report.plain_q_crc++;
		rb_subq_set_crc(q);
	}
	rb_subchannel_pw_build(q, rb_subchannel_pq_get_p(pq), stored + RB_VDRIVE_MAIN_SIZE);
}

static gboolean
rb_vdrive_store_built(RbVdrive *self, gint32 lba, const guint8 *buf, guint blocks)
{
	gsize block_size = RB_VDRIVE_MAIN_SIZE + RB_SUBCHANNEL_PQ_SIZE;

	for (guint done = 0; done < blocks;) {
		guint n = MIN(blocks - done, RB_VDRIVE_STORE_BLOCKS);
		gint32 first = lba + (gint32)done;
		struct iovec iov;

		for (guint i = 0; i < n; i++) {
			guint8 *stored = self->store_buffer + (gsize)i * RB_VDRIVE_STORED_SIZE;

			rb_vdrive_build_from_pq(self, buf + (gsize)(done + i) * block_size, stored);
			rb_vdrive_check_sector(self, first + (gint32)i, stored);
			if (!self->recording_test_write)
				rb_vdrive_apply_faults(self, first + (gint32)i, stored);
		}
		done += n;
		if (self->recording_test_write)
			continue;
		iov.iov_base = self->store_buffer;
		iov.iov_len = (gsize)n * RB_VDRIVE_STORED_SIZE;
		if (!rb_vdrive_pwritev_all(self->fd, &iov, 1, rb_vdrive_store_offset(self, first)))
			return FALSE;
	}
	return TRUE;
}

gboolean
rb_vdrive_store_write(RbVdrive *self, gint32 lba, const guint8 *buf, guint blocks)
{
	if (self->recording_data_block_type == RB_MMC_DBT_RAW_PQ)
		return rb_vdrive_store_built(self, lba, buf, blocks);
	return rb_vdrive_store_as_sent(self, lba, buf, blocks);
}
