/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The media the emulated drive takes, with ATIP figures of the kind real
 * blanks carry: the lead-in start (where a raw recording must begin) and the
 * last possible lead-out start (the capacity).
 */
#include "config.h"

#define G_LOG_DOMAIN "RbVdrive"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "rb-msf.h"
#include "rb-vdrive-private.h"

typedef struct {
	RbVirtualMedia media;
	RbMsf leadin;
	RbMsf last_leadout;
	gboolean rewritable;
} RbVdriveMediaKind;

static const RbVdriveMediaKind rb_vdrive_media_kinds[] = {
	{RB_VIRTUAL_MEDIA_CD_R_74, {97, 27, 0}, {74, 0, 0}, FALSE},
	{RB_VIRTUAL_MEDIA_CD_R_80, {97, 26, 66}, {79, 59, 74}, FALSE},
	{RB_VIRTUAL_MEDIA_CD_RW_74, {97, 15, 0}, {74, 0, 0}, TRUE},
	{RB_VIRTUAL_MEDIA_CD_RW_80, {97, 34, 23}, {79, 59, 74}, TRUE},
};

gboolean
rb_vdrive_media_info_for(RbVirtualMedia media, RbVdriveMediaInfo *info)
{
	for (guint i = 0; i < G_N_ELEMENTS(rb_vdrive_media_kinds); i++) {
		const RbVdriveMediaKind *kind = &rb_vdrive_media_kinds[i];
		if (kind->media != media)
			continue;
		info->leadin_start = rb_msf_to_lba(kind->leadin);
		info->last_leadout_start = rb_msf_to_lba(kind->last_leadout);
		info->rewritable = kind->rewritable;
		info->profile = kind->rewritable ? RB_MMC_PROFILE_CD_RW : RB_MMC_PROFILE_CD_R;
		return TRUE;
	}
	memset(info, 0, sizeof(*info));
	return FALSE;
}

/* a fresh blank of the current kind: nothing recorded, write parameters kept */
void
rb_vdrive_media_reset(RbVdrive *self)
{
	rb_vdrive_media_info_for(self->media, &self->info);
	rb_vdrive_recording_clear(self);
	self->disc_status = RB_VDRIVE_DISC_BLANK;
	if (self->fd >= 0 && ftruncate(self->fd, 0) != 0)
		g_warning("cannot empty the virtual disc: %s", g_strerror(errno));
}
