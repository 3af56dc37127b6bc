/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An emulated MMC CD-R/RW recorder: CDB in, status, sense and data out. It
 * knows nothing of how commands reach it (a function call from the daemon,
 * or umockdev's SG_IO handler in tests).
 */
#pragma once

#include <gio/gio.h>

#include "rb-mmc-types.h"
#include "rb-virtual-spec.h"

G_BEGIN_DECLS

#define RB_TYPE_VDRIVE (rb_vdrive_get_type())
G_DECLARE_FINAL_TYPE(RbVdrive, rb_vdrive, RB, VDRIVE, GObject)

/* what a reader of the recorded disc would see, for tests and, later, D-Bus */
typedef struct {
	guint64 sectors_written;
	guint64 leadin_sectors;
	guint64 program_sectors;
	guint64 leadout_sectors;
	guint64 bad_q_crc;          /* Q CRC wrong */
	guint64 address_mismatches; /* Q absolute time != LBA + 150, or bad Q for the area */
	guint64 toc_mismatches;     /* lead-in TOC entries that disagree with the program area */
	guint toc_entries;          /* distinct lead-in TOC points seen */
	guint toc_short_runs;       /* TOC entries not repeated in runs of 3 */
	guint tracks;
	gint32 first_lba;
	gint32 leadout_start;
	gboolean complete;
} RbVdriveReport;

/* LBAs are negative in the lead-in, so "off" is this value (0 for counts) */
#define RB_VDRIVE_FAULT_OFF G_MININT32

typedef struct {
	gint32 write_error_at_lba;  /* WRITE covering it: 03/0C/00 */
	gint32 not_ready_after_lba; /* then not_ready_count WRITEs answer 02/04/08 */
	guint not_ready_count;
	gint32 remove_media_at_lba; /* the medium vanishes when this LBA is written */
	gint32 timeout_at_lba;      /* the WRITE covering it never completes */
	guint long_write_polls;     /* finishing takes this many more 02/04/07 polls */
} RbVdriveFaults;

RbVdrive *rb_vdrive_new(const RbVirtualSpec *spec);

/* thread-safe: one command at a time, from any thread. A data-in command
 * fills @buffer and sets result->residual to what it did not fill. Returns
 * FALSE when the command never completes (an injected timeout): the
 * transport then reports its own time-out. */
gboolean rb_vdrive_execute(RbVdrive *self,
			   const guint8 *cdb,
			   gsize cdb_len,
			   RbMmcDirection direction,
			   guint8 *buffer,
			   gsize buffer_len,
			   RbMmcResult *result);

gboolean rb_vdrive_insert_media(RbVdrive *self, RbVirtualMedia media, GError **error);
gboolean rb_vdrive_remove_media(RbVdrive *self, GError **error);
RbVirtualMedia rb_vdrive_get_media(RbVdrive *self);
void rb_vdrive_get_report(RbVdrive *self, RbVdriveReport *report);
void rb_vdrive_set_faults(RbVdrive *self, const RbVdriveFaults *faults);
void rb_vdrive_faults_init(RbVdriveFaults *faults);
gint32 rb_vdrive_get_leadin_start(RbVdrive *self);
gint32 rb_vdrive_get_last_leadout_start(RbVdrive *self);
gboolean rb_vdrive_export_image(RbVdrive *self, gint fd, GError **error);
guint rb_vdrive_get_command_count(RbVdrive *self, guint8 opcode);
gboolean rb_vdrive_get_prevent_removal(RbVdrive *self);

G_END_DECLS
