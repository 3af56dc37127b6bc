/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * MSF <-> LBA as MMC defines it: addresses from 90:00:00 up map to the
 * negative LBAs of the lead-in (97:34:23 is LBA -11077, 95:00:00 is -22650).
 */
#include "config.h"

#include "rb-msf.h"

#define RB_CD_FRAMES_PER_MINUTE (RB_CD_SECONDS_PER_MINUTE * RB_CD_FRAMES_PER_SECOND)
/* 100 minutes of frames: the MSF address space wraps here */
#define RB_CD_MSF_WRAP (100 * RB_CD_FRAMES_PER_MINUTE)
/* the lowest LBA an MSF address can name: 90:00:00 */
#define RB_CD_LBA_MIN                                                                              \
	(RB_CD_LEADIN_MINUTE * RB_CD_FRAMES_PER_MINUTE - RB_CD_MSF_OFFSET - RB_CD_MSF_WRAP)
/* the highest: 89:59:74 */
#define RB_CD_LBA_MAX (RB_CD_LEADIN_MINUTE * RB_CD_FRAMES_PER_MINUTE - 1 - RB_CD_MSF_OFFSET)

gboolean
rb_msf_is_valid(RbMsf msf)
{
	return msf.minute < 100 && msf.second < RB_CD_SECONDS_PER_MINUTE &&
	       msf.frame < RB_CD_FRAMES_PER_SECOND;
}

gint32
rb_msf_to_lba(RbMsf msf)
{
	gint32 frames = msf.minute * RB_CD_FRAMES_PER_MINUTE +
			msf.second * RB_CD_FRAMES_PER_SECOND + msf.frame;

	if (msf.minute >= RB_CD_LEADIN_MINUTE)
		return frames - RB_CD_MSF_OFFSET - RB_CD_MSF_WRAP;
	return frames - RB_CD_MSF_OFFSET;
}

gboolean
rb_msf_from_lba(gint32 lba, RbMsf *msf)
{
	gint32 frames;

	g_return_val_if_fail(msf != NULL, FALSE);
	if (lba < RB_CD_LBA_MIN || lba > RB_CD_LBA_MAX)
		return FALSE;
	frames = lba + RB_CD_MSF_OFFSET;
	if (frames < 0)
		frames += RB_CD_MSF_WRAP;
	msf->minute = (guint8)(frames / RB_CD_FRAMES_PER_MINUTE);
	msf->second = (guint8)((frames / RB_CD_FRAMES_PER_SECOND) % RB_CD_SECONDS_PER_MINUTE);
	msf->frame = (guint8)(frames % RB_CD_FRAMES_PER_SECOND);
	return TRUE;
}
