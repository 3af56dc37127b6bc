/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CD addresses: minutes/seconds/frames (MSF) and logical block addresses (LBA),
 * including the negative LBAs of the lead-in area.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RB_CD_FRAMES_PER_SECOND 75
#define RB_CD_SECONDS_PER_MINUTE 60
/* LBA 0 is MSF 00:02:00: the pre-gap of track 1 */
#define RB_CD_MSF_OFFSET 150
/* MSF minutes at or above this address the lead-in, whose LBAs are negative */
#define RB_CD_LEADIN_MINUTE 90

typedef struct {
	guint8 minute;
	guint8 second;
	guint8 frame;
} RbMsf;

gint32 rb_msf_to_lba(RbMsf msf);
gboolean rb_msf_from_lba(gint32 lba, RbMsf *msf);
gboolean rb_msf_is_valid(RbMsf msf);

G_END_DECLS
