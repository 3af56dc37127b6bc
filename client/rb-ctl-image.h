/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What rawburnctl's "burn", "image" and "show" share about image files
 * (CUE, TOC, NRG, CloneCD, WAV): opening one file or a list of WAV files,
 * the CD-TEXT options that add to the sheet's text, the sector type an
 * image is produced in, and the exit status an image's error gets. The
 * commands "image" (rb-ctl-image.c) and "show" (rb-ctl-show.c).
 */
#pragma once

#include "rb-ctl.h"
#include "rb-disc-image.h"

G_BEGIN_DECLS

/* IMAPI_FORMAT2_RAW_CD_DATA_SECTOR_TYPE */
#define RB_CTL_SECTOR_PQ_ONLY 1
#define RB_CTL_SECTOR_IS_COOKED 2
#define RB_CTL_SECTOR_IS_RAW 3

/* --sector-type: 1, 2 or 3, or 0 ("decide") where @zero_allowed */
gboolean rb_ctl_check_sector_type(gint type, gboolean zero_allowed, GError **error);

typedef struct {
	gchar *title;
	gchar *performer;
	gchar **track_titles; /* "N=TEXT" each */
	gchar **track_performers;
	gboolean no_cd_text;
} RbCtlCdTextOptions;

void rb_ctl_cdtext_options_clear(RbCtlCdTextOptions *options);
/* appends the GOptionEntry of each option to @entries (of GOptionEntry) */
void rb_ctl_cdtext_options_add_entries(RbCtlCdTextOptions *options, GArray *entries);
gboolean rb_ctl_cdtext_options_is_set(const RbCtlCdTextOptions *options);
/* the options' own syntax, before any file is opened (a usage error) */
gboolean rb_ctl_cdtext_options_check(const RbCtlCdTextOptions *options, GError **error);

/* one image file, or several WAV files (a track each); NULL with an
 * RB_DISC_IMAGE_ERROR */
RbDiscImage *rb_ctl_image_open(const gchar *const *files, GError **error);
/* --no-cd-text drops the sheet's CD-TEXT; the others add to or replace its
 * block 0. A bad track number or a character CD-TEXT cannot hold is a
 * usage error (G_OPTION_ERROR) */
gboolean
rb_ctl_image_apply_cdtext(RbDiscImage *image, const RbCtlCdTextOptions *options, GError **error);
/* whether producing needs IS_RAW: CD-TEXT or a sub-channel file (CloneCD) */
gboolean rb_ctl_image_needs_raw(RbDiscImage *image);
/* the layout's image type; refuses, naming the fix, a type that would drop
 * CD-TEXT or a sub-channel file (RB_DISC_IMAGE_ERROR_UNSUPPORTED) */
gboolean rb_ctl_image_set_sector_type(RbDiscImage *image, guint sector_type, GError **error);
/* the warnings of rb_disc_image_get_notes(), on stderr */
void rb_ctl_image_print_notes(RbDiscImage *image);
/* the exit status for an image's error: RB_CTL_EXIT_NOINPUT for a file
 * that is missing or unreadable, RB_CTL_EXIT_USAGE for an option,
 * RB_CTL_EXIT_DATAERR for the others */
int rb_ctl_image_exit_status(const GError *error);
/* the image's tracks in order, 0-based, whose sectors hold @lba (pregap
 * included); -1 before the first track or from the lead-out on */
gint rb_ctl_image_track_at(const RbImageLayout *layout, gint32 lba);

int rb_ctl_cmd_image(RbCtl *ctl, gint argc, gchar **argv, GError **error);
int rb_ctl_cmd_show(RbCtl *ctl, gint argc, gchar **argv, GError **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(RbCtlCdTextOptions, rb_ctl_cdtext_options_clear)

G_END_DECLS
