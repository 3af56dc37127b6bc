/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The emulated recorder. (skeleton: grows in this change)
 */
#include "config.h"

#define G_LOG_DOMAIN "RbVdrive"

#include <string.h>

#include "rb-vdrive.h"

struct _RbVdrive {
	GObject parent_instance;
	GMutex mutex;
	RbVirtualMedia media;
	guint max_speed;
};

G_DEFINE_TYPE(RbVdrive, rb_vdrive, G_TYPE_OBJECT)

static void
rb_vdrive_finalize(GObject *object)
{
	RbVdrive *self = RB_VDRIVE(object);
	g_mutex_clear(&self->mutex);
	G_OBJECT_CLASS(rb_vdrive_parent_class)->finalize(object);
}

static void
rb_vdrive_class_init(RbVdriveClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = rb_vdrive_finalize;
}

static void
rb_vdrive_init(RbVdrive *self)
{
	g_mutex_init(&self->mutex);
}

RbVdrive *
rb_vdrive_new(const RbVirtualSpec *spec)
{
	RbVdrive *self = g_object_new(RB_TYPE_VDRIVE, NULL);
	self->media = spec->media;
	self->max_speed = spec->max_speed;
	return self;
}

static void
rb_vdrive_set_sense(RbMmcResult *result, guint8 key, guint8 asc, guint8 ascq)
{
	result->status = RB_SCSI_STATUS_CHECK_CONDITION;
	memset(result->sense, 0, sizeof(result->sense));
	result->sense[0] = 0x70;
	result->sense[2] = key;
	result->sense[7] = 10;
	result->sense[12] = asc;
	result->sense[13] = ascq;
	result->sense_len = 18;
}

void
rb_vdrive_execute(RbVdrive *self,
		  const guint8 *cdb,
		  gsize cdb_len,
		  RbMmcDirection direction,
		  guint8 *buffer,
		  gsize buffer_len,
		  RbMmcResult *result)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->mutex);

	memset(result, 0, sizeof(*result));
	result->residual = buffer_len;
	switch (cdb[0]) {
	case RB_MMC_TEST_UNIT_READY:
		if (self->media == RB_VIRTUAL_MEDIA_NONE)
			rb_vdrive_set_sense(result, RB_SENSE_NOT_READY, 0x3A, 0x00);
		break;
	case RB_MMC_INQUIRY: {
		guint8 inquiry[36] = {0x05, 0x80, 0x05, 0x32, 31};
		gsize n = MIN(buffer_len, sizeof(inquiry));
		memcpy(inquiry + 8, "RAWBURN Virtual CD-RW   0100", 28);
		memcpy(buffer, inquiry, n);
		result->residual = buffer_len - n;
		break;
	}
	default:
		rb_vdrive_set_sense(result, RB_SENSE_ILLEGAL_REQUEST, 0x20, 0x00);
	}
}
