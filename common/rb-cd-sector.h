/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The main channel of one CD sector built from a track's data, by
 * IMAPI_CD_SECTOR_TYPE: audio as given; cooked data with its sync, header
 * (MSF and mode), Mode 2 sub-header, EDC and ECC (ECMA-130), not yet
 * scrambled: the image producer scrambles them (rb-scramble.h), as a raw
 * writer must; raw types as given, scrambling included.
 */
#pragma once

#include <glib.h>

#include "rb-subchannel.h"

G_BEGIN_DECLS

/* IMAPI_CD_SECTOR_TYPE, with IMAPI's numbers (imapi-reference §4.6) */
typedef enum {
	RB_CD_SECTOR_AUDIO = 0,       /* 2352: 588 stereo 16-bit samples, little-endian */
	RB_CD_SECTOR_MODE_ZERO = 1,   /* 2336 (zeros on the disc) */
	RB_CD_SECTOR_MODE1 = 2,       /* 2048 user bytes */
	RB_CD_SECTOR_MODE2_FORM0 = 3, /* 2336: Mode 2 formless */
	RB_CD_SECTOR_MODE2_FORM1 = 4, /* 2048 user bytes */
	RB_CD_SECTOR_MODE2_FORM2 = 5, /* 2336: sub-header, 2324 user bytes, EDC */
	RB_CD_SECTOR_MODE1_RAW = 6,   /* 2352 as on the disc: header, EDC/ECC and scrambling done */
	RB_CD_SECTOR_MODE2_FORM0_RAW = 7, /* 2352 */
	RB_CD_SECTOR_MODE2_FORM1_RAW = 8, /* 2352 */
	RB_CD_SECTOR_MODE2_FORM2_RAW = 9, /* 2352 */
	RB_CD_SECTOR_TYPES,
} RbCdSectorType;

gboolean rb_cd_sector_type_is_valid(guint type);
/* the bytes a track gives for each of its sectors */
gsize rb_cd_sector_type_get_input_size(RbCdSectorType type);
/* data (not audio): its sectors are scrambled in the stream and its
 * track's Q control has the data bit */
gboolean rb_cd_sector_type_is_data(RbCdSectorType type);
/* the data mode a disc sector of this type has: 0 audio, 1 or 2 */
guint rb_cd_sector_type_get_mode(RbCdSectorType type);
/* whether the track hands over whole 2352-byte sectors */
gboolean rb_cd_sector_type_is_raw(RbCdSectorType type);
/* the cooked type of the same mode as raw @type (@type itself when it is
 * cooked or audio): what empty sectors of a raw track are encoded as */
RbCdSectorType rb_cd_sector_type_get_cooked(RbCdSectorType type);

/*
 * The 2352-byte main channel of the sector at @lba (its header says MSF
 * @lba + 150) of a track of @type, from rb_cd_sector_type_get_input_size()
 * bytes of @input. Cooked types come out unscrambled; raw types are
 * copied as given, scrambling included (IMAPI: "header, EDC/ECC and
 * scrambling already applied").
 */
void rb_cd_sector_encode(RbCdSectorType type,
			 gint32 lba,
			 const guint8 *input,
			 guint8 out[RB_CD_MAIN_SIZE]);

/* the parts, for tests and for readers that check them */
guint32 rb_cd_sector_edc(const guint8 *data, gsize len);
/* P then Q parity of a Mode 1 / Mode 2 Form 1 sector, over bytes 12-2075
 * (for Mode 2 Form 1 with the header taken as zero, as CD-ROM XA asks) into
 * 2076-2351 */
void rb_cd_sector_ecc(guint8 sector[RB_CD_MAIN_SIZE], gboolean zero_header);

G_END_DECLS
