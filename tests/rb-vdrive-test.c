/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the emulated drive's own tests share.
 */
#include "config.h"

#include <string.h>

#include "rb-test-service.h"
#include "rb-vdrive-test.h"

RbVdrive *
rb_vdrive_test_new(const gchar *spec_text)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RbVirtualSpec) spec = rb_virtual_spec_parse(spec_text, &error);

	ck_assert_msg(spec != NULL, "%s", error ? error->message : "");
	return rb_vdrive_new(spec);
}

RbCommand
rb_cmd(RbVdrive *drive,
       const guint8 *cdb,
       gsize cdb_len,
       RbMmcDirection dir,
       guint8 *buf,
       gsize len)
{
	RbCommand cmd = {0};

	cmd.completed = rb_vdrive_execute(drive, cdb, cdb_len, dir, buf, len, &cmd.result);
	return cmd;
}

RbCommand
rb_tur(RbVdrive *drive)
{
	const guint8 cdb[6] = {RB_MMC_TEST_UNIT_READY};

	return rb_cmd(drive, cdb, sizeof(cdb), RB_MMC_DIR_NONE, NULL, 0);
}
RbCommand
rb_write(RbVdrive *drive, gint32 lba, guint16 blocks, guint8 *data, gsize len)
{
	guint8 cdb[10] = {RB_MMC_WRITE_10};

	cdb[2] = (guint8)((guint32)lba >> 24);
	cdb[3] = (guint8)((guint32)lba >> 16);
	cdb[4] = (guint8)((guint32)lba >> 8);
	cdb[5] = (guint8)lba;
	cdb[7] = (guint8)(blocks >> 8);
	cdb[8] = (guint8)blocks;
	return rb_cmd(drive, cdb, sizeof(cdb), RB_MMC_DIR_OUT, data, len);
}

void
rb_assert_good_at(RbCommand cmd, const gchar *file, gint line)
{
	ck_assert_msg(cmd.completed && cmd.result.status == RB_SCSI_STATUS_GOOD,
		      "%s:%d: expected GOOD, got status %u sense %X/%02X/%02X",
		      file,
		      line,
		      cmd.result.status,
		      cmd.result.sense[2] & 0x0F,
		      cmd.result.sense[12],
		      cmd.result.sense[13]);
}

void
rb_assert_sense_at(RbCommand cmd, guint8 key, guint8 asc, guint8 ascq, const gchar *file, gint line)
{
	ck_assert_msg(cmd.completed, "%s:%d: the command never completed", file, line);
	ck_assert_msg(cmd.result.status == RB_SCSI_STATUS_CHECK_CONDITION &&
			      cmd.result.sense_len >= 18 && (cmd.result.sense[0] & 0x7F) == 0x70 &&
			      (cmd.result.sense[2] & 0x0F) == key && cmd.result.sense[12] == asc &&
			      cmd.result.sense[13] == ascq,
		      "%s:%d: expected %X/%02X/%02X, got status %u sense %X/%02X/%02X",
		      file,
		      line,
		      key,
		      asc,
		      ascq,
		      cmd.result.status,
		      cmd.result.sense[2] & 0x0F,
		      cmd.result.sense[12],
		      cmd.result.sense[13]);
}

/* a fast drive with a blank CD-R 80 in raw mode of @block_type, its unit
 * attention consumed, ready for WRITE (10) from the lead-in */
RbVdrive *
rb_vdrive_test_new_raw(guint8 block_type)
{
	return rb_vdrive_test_new_raw_spec("media=cd-r-80,realtime=false", block_type, TRUE);
}

RbVdrive *
rb_vdrive_test_new_raw_spec(const gchar *spec_text, guint8 block_type, gboolean bufe)
{
	RbVdrive *drive = rb_vdrive_test_new(spec_text);
	const guint8 tur[6] = {RB_MMC_TEST_UNIT_READY};
	guint8 sense[10] = {RB_MMC_MODE_SENSE_10, 0, 0x05, 0, 0, 0, 0, 0, 255};
	guint8 buf[255] = {0};
	guint8 select[10] = {RB_MMC_MODE_SELECT_10, 0x10, 0, 0, 0, 0, 0, 0, 8 + 2 + 0x32};
	guint8 list[8 + 2 + 0x32] = {0};

	rb_cmd(drive, tur, sizeof(tur), RB_MMC_DIR_NONE, NULL, 0); /* unit attention */
	rb_assert_good(rb_cmd(drive, sense, sizeof(sense), RB_MMC_DIR_IN, buf, sizeof(buf)));
	memcpy(list + 8, buf + 8, 2 + 0x32);
	list[8] &= 0x7F;
	list[8 + 2] = (bufe ? 0x40 : 0) | RB_MMC_WRITE_TYPE_RAW;
	list[8 + 3] = 0;
	list[8 + 4] = block_type;
	rb_assert_good(rb_cmd(drive, select, sizeof(select), RB_MMC_DIR_OUT, list, sizeof(list)));
	return drive;
}
