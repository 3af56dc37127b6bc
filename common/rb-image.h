/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The image producer: the sectors of a raw DAO image in order, from 95:00:00
 * (RB_IMAGE_FIRST_LBA) through the end of the 90-second lead-out, each as
 * 2352 bytes of main channel and the sub-channel of the layout's image type
 * (16-byte P-Q, or 96-byte P-W). Track data, the special pregap and the R-W
 * generator's bytes come through one read callback, each source read from
 * its start to its end exactly once, in stream order; memory stays constant
 * whatever the image's size.
 */
#pragma once

#include "rb-image-layout.h"

G_BEGIN_DECLS

/* the sources a read callback serves besides the tracks (0-based 0..98) */
#define RB_IMAGE_SOURCE_SPECIAL_PREGAP 100
#define RB_IMAGE_SOURCE_RW 101
#define RB_IMAGE_SOURCE_SUBCHANNEL 102

/*
 * Reads up to @len bytes of @source into @buf, as read(2): the number read
 * (fewer is fine, the producer asks again), 0 at the end of the data, -1
 * with @error set on failure. A track gives its sector type's input size
 * per sector (rb_cd_sector_type_get_input_size()), its pregap's first in
 * sheet mode, the special pregap 2352 per sector, the R-W generator 96
 * per stream sector, the sub-channel source 96 per program-area sector. A source that ends
 * before its last sector is an error (RB_IMAGE_ERROR_DATA_ENDED_EARLY),
 * never padded; bytes after its last sector are not read.
 */
typedef gssize (*RbImageReadFunc)(
	gpointer user_data, guint source, guint8 *buf, gsize len, GError **error);

typedef struct _RbImageProducer RbImageProducer;

/* validates and copies @layout; it may change afterwards without effect */
RbImageProducer *rb_image_producer_new(const RbImageLayout *layout,
				       RbImageReadFunc read_func,
				       gpointer user_data,
				       GError **error);
void rb_image_producer_free(RbImageProducer *producer);

const RbImageLayout *rb_image_producer_get_layout(const RbImageProducer *producer);
gsize rb_image_producer_get_sector_size(const RbImageProducer *producer);
guint32 rb_image_producer_get_n_sectors(const RbImageProducer *producer);
/* the LBA of the next sector */
gint32 rb_image_producer_get_lba(const RbImageProducer *producer);

/*
 * Writes up to @max_sectors of the next sectors to @out (max_sectors ×
 * the sector size bytes) and sets @n_sectors to how many: 0 at the end.
 * After an error the producer stays failed.
 */
gboolean rb_image_producer_read(RbImageProducer *producer,
				guint8 *out,
				guint max_sectors,
				guint *n_sectors,
				GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RbImageProducer, rb_image_producer_free)

G_END_DECLS
