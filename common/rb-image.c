/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The image producer. Main channel of each sector:
 * - lead-in: silence before an audio track 1, else empty sectors of track
 *   1's type (zero user data, headers with the lead-in's addresses,
 *   scrambled): cdrdao writes the lead-in in the first track's mode
 *   (GenericMMCraw::startDao, writeZeros(leadInMode())) and libburn data
 *   sectors too; tests/test-image-oracle.c compares with cdrdao;
 * - a track's data: audio as given; cooked data built by the sector encoder
 *   (rb-cd-sector.h) and scrambled (ECMA-130 Annex B, mmc-notes §8.5); raw
 *   data types as given: IMAPI defines them as 2352 bytes "with header,
 *   ECC, EDC and scrambling already applied" (imapi-reference §4.6), so a
 *   reader of descrambled dumps must use the cooked types or scramble;
 * - pregaps: the special pregap's audio, or in gapless audio the previous
 *   track's end (it is that track's data), else silence; for a data track
 *   empty sectors of its type (zero user data, scrambled); in sheet mode
 *   the track's source gives them, read and built as its other sectors;
 * - lead-out: silence after audio, empty sectors of the last track's type
 *   after data (a reader's read-ahead past the last track finds sectors of
 *   the same mode).
 * Sub-channel: rb_image_layout_get_subq(); the R-W generator's 96 bytes,
 * whose P and Q bits must be 0, are merged into the P-W of block types 2 and
 * 3 as given (packed or raw is the generator's business); the CD-TEXT
 * packs fill the lead-in's R-W, and a sub-channel source replaces the whole
 * P-W of the program area (rb-image-sheet.c).
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "rb-image-private.h"
#include "rb-image.h"
#include "rb-scramble.h"

struct _RbImageProducer {
	RbImageLayout *layout;
	RbImageReadFunc read_func;
	gpointer user_data;
	gsize sector_size;
	gint32 lba;
	gint32 end_lba;
	/* the track whose data the next data sector belongs to */
	guint data_track;
	gboolean failed;
	guint8 input[RB_CD_MAIN_SIZE];
	guint8 rw[RB_SUBCHANNEL_PW_SIZE];
	guint8 text[RB_SUBCHANNEL_PW_SIZE];
};

RbImageProducer *
rb_image_producer_new(const RbImageLayout *layout,
		      RbImageReadFunc read_func,
		      gpointer user_data,
		      GError **error)
{
	RbImageProducer *producer;

	g_return_val_if_fail(layout != NULL, NULL);
	g_return_val_if_fail(read_func != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (!rb_image_layout_validate(layout, error))
		return NULL;
	producer = g_new0(RbImageProducer, 1);
	producer->layout = rb_image_layout_copy(layout);
	producer->read_func = read_func;
	producer->user_data = user_data;
	producer->sector_size = rb_image_layout_get_sector_size(layout);
	producer->lba = RB_IMAGE_FIRST_LBA;
	producer->end_lba = rb_image_layout_get_end_lba(layout);
	return producer;
}

void
rb_image_producer_free(RbImageProducer *producer)
{
	if (producer == NULL)
		return;
	rb_image_layout_free(producer->layout);
	g_free(producer);
}

const RbImageLayout *
rb_image_producer_get_layout(const RbImageProducer *producer)
{
	return producer->layout;
}

gsize
rb_image_producer_get_sector_size(const RbImageProducer *producer)
{
	return producer->sector_size;
}

guint32
rb_image_producer_get_n_sectors(const RbImageProducer *producer)
{
	return rb_image_layout_get_n_sectors(producer->layout);
}

gint32
rb_image_producer_get_lba(const RbImageProducer *producer)
{
	return producer->lba;
}

/*
 * @source's read failure (READ_FAILED) or early end (DATA_ENDED_EARLY) at
 * @lba: whole sentences per kind of source, as translators need them
 */
static void
rb_image_set_source_error(GError **error, gint code, guint source, gint32 lba)
{
	gboolean ended = code == RB_IMAGE_ERROR_DATA_ENDED_EARLY;

	if (source == RB_IMAGE_SOURCE_SPECIAL_PREGAP)
		g_set_error(error,
			    RB_IMAGE_ERROR,
			    code,
			    ended ? _("the data of the special pregap ended early, at LBA %d")
				  : _("reading the special pregap failed at LBA %d"),
			    lba);
	else if (source == RB_IMAGE_SOURCE_RW)
		g_set_error(error,
			    RB_IMAGE_ERROR,
			    code,
			    ended ? _("the data of the R-W generator ended early, at LBA %d")
				  : _("reading the R-W generator failed at LBA %d"),
			    lba);
	else if (source == RB_IMAGE_SOURCE_SUBCHANNEL)
		g_set_error(error,
			    RB_IMAGE_ERROR,
			    code,
			    ended ? _("the data of the sub-channel source ended early, at LBA %d")
				  : _("reading the sub-channel source failed at LBA %d"),
			    lba);
	else
		g_set_error(error,
			    RB_IMAGE_ERROR,
			    code,
			    ended ? _("the data of track %u ended early, at LBA %d")
				  : _("reading track %u failed at LBA %d"),
			    source + 1,
			    lba);
}

/* exactly @len bytes of @source, for the sector at @lba */
static gboolean
rb_image_read_full(
	RbImageProducer *self, guint source, guint8 *buf, gsize len, gint32 lba, GError **error)
{
	gsize done = 0;

	while (done < len) {
		GError *read_error = NULL;
		gssize n = self->read_func(
			self->user_data, source, buf + done, len - done, &read_error);

		if (n < 0) {
			if (read_error != NULL) {
				g_propagate_error(error, read_error);
			} else {
				rb_image_set_source_error(
					error, RB_IMAGE_ERROR_READ_FAILED, source, lba);
			}
			return FALSE;
		}
		if (n == 0) {
			rb_image_set_source_error(
				error, RB_IMAGE_ERROR_DATA_ENDED_EARLY, source, lba);
			return FALSE;
		}
		done += (gsize)n;
	}
	return TRUE;
}

/*
 * The 2352 bytes of a data sector of @type at @lba from @input, as the
 * stream carries it: built, then scrambled.
 */
static gboolean
rb_image_encode_data(
	RbCdSectorType type, gint32 lba, const guint8 *input, guint8 *main_data, GError **error)
{
	(void)error;
	rb_cd_sector_encode(type, lba, input, main_data);
	rb_scramble_sector(main_data);
	return TRUE;
}

/* an empty sector of a data track's type, for its pregap or the lead-out */
static gboolean
rb_image_empty_data(
	RbImageProducer *self, RbCdSectorType type, gint32 lba, guint8 *main_data, GError **error)
{
	RbCdSectorType cooked = rb_image_type_cooked(type);

	/* the encoder sets a Form 2 sub-header's form bit itself */
	memset(self->input, 0, sizeof(self->input));
	return rb_image_encode_data(cooked, lba, self->input, main_data, error);
}

static gboolean
rb_image_main_channel(RbImageProducer *self, gint32 lba, guint8 *main_data, GError **error)
{
	const RbImageLayout *layout = self->layout;
	const RbImageTrack *t;

	if (lba < -RB_IMAGE_PREGAP_SECTORS) {
		t = &layout->tracks[0];
		if (layout->special_pregap > 0 || !rb_image_type_is_data(t->type)) {
			memset(main_data, 0, RB_CD_MAIN_SIZE);
			return TRUE;
		}
		return rb_image_empty_data(self, t->type, lba, main_data, error);
	}
	if (lba >= layout->leadout_start) {
		t = &layout->tracks[layout->n_tracks - 1];
		if (!rb_image_type_is_data(t->type)) {
			memset(main_data, 0, RB_CD_MAIN_SIZE);
			return TRUE;
		}
		return rb_image_empty_data(self, t->type, lba, main_data, error);
	}
	if (lba < -RB_IMAGE_PREGAP_SECTORS + (gint32)layout->special_pregap)
		return rb_image_read_full(self,
					  RB_IMAGE_SOURCE_SPECIAL_PREGAP,
					  main_data,
					  RB_CD_MAIN_SIZE,
					  lba,
					  error);

	while (self->data_track < layout->n_tracks &&
	       lba >= layout->tracks[self->data_track].start +
			       (gint32)layout->tracks[self->data_track].n_sectors)
		self->data_track++;
	t = self->data_track < layout->n_tracks ? &layout->tracks[self->data_track] : NULL;
	/* in sheet mode the source begins with the pregap */
	if (t != NULL && lba >= (layout->explicit_gaps ? t->pregap_start : t->start)) {
		gsize size = rb_image_type_input_size(t->type);

		if (!rb_image_type_is_data(t->type) || size == RB_CD_MAIN_SIZE)
			return rb_image_read_full(
				self, self->data_track, main_data, RB_CD_MAIN_SIZE, lba, error);
		if (!rb_image_read_full(self, self->data_track, self->input, size, lba, error))
			return FALSE;
		return rb_image_encode_data(t->type, lba, self->input, main_data, error);
	}
	/* a pregap that is no track's data */
	t = &layout->tracks[rb_image_layout_find_track(layout, lba)];
	if (!rb_image_type_is_data(t->type)) {
		memset(main_data, 0, RB_CD_MAIN_SIZE);
		return TRUE;
	}
	return rb_image_empty_data(self, t->type, lba, main_data, error);
}

static gboolean
rb_image_subchannel(RbImageProducer *self, gint32 lba, guint8 *sub, GError **error)
{
	const RbImageLayout *layout = self->layout;
	guint8 q[RB_SUBQ_SIZE];
	gboolean p = FALSE;
	gboolean text;

	if (layout->subchannel_source && lba >= 0 && lba < layout->leadout_start)
		return rb_image_read_full(
			self, RB_IMAGE_SOURCE_SUBCHANNEL, sub, RB_SUBCHANNEL_PW_SIZE, lba, error);
	rb_image_layout_get_subq(layout, lba, q, &p);
	if (!rb_subchannel_build(layout->image_type, q, p, sub, error))
		return FALSE;
	text = rb_image_layout_get_cdtext_rw(layout, lba, self->text);
	if (text) {
		for (guint i = 0; i < RB_SUBCHANNEL_PW_SIZE; i++)
			sub[i] |= self->text[i];
	}
	if (!layout->rw_generator)
		return TRUE;
	if (!rb_image_read_full(self, RB_IMAGE_SOURCE_RW, self->rw, sizeof(self->rw), lba, error))
		return FALSE;
	for (guint i = 0; i < RB_SUBCHANNEL_PW_SIZE; i++) {
		if ((self->rw[i] & 0xC0) != 0) {
			g_set_error(error,
				    RB_IMAGE_ERROR,
				    RB_IMAGE_ERROR_RW_HAS_PQ_BITS,
				    _("the R-W generator set P or Q in byte %u at LBA %d"),
				    i,
				    lba);
			return FALSE;
		}
		if (text && self->rw[i] != 0) {
			g_set_error(error,
				    RB_IMAGE_ERROR,
				    RB_IMAGE_ERROR_INVALID_ARGUMENT,
				    _("the R-W generator set byte %u at LBA %d in the lead-in, "
				      "where the CD-TEXT goes: it must give zeros there"),
				    i,
				    lba);
			return FALSE;
		}
		sub[i] |= self->rw[i];
	}
	return TRUE;
}

gboolean
rb_image_producer_read(
	RbImageProducer *producer, guint8 *out, guint max_sectors, guint *n_sectors, GError **error)
{
	guint n = 0;

	g_return_val_if_fail(producer != NULL, FALSE);
	g_return_val_if_fail(out != NULL || max_sectors == 0, FALSE);
	g_return_val_if_fail(n_sectors != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	*n_sectors = 0;
	if (producer->failed) {
		g_set_error(error,
			    RB_IMAGE_ERROR,
			    RB_IMAGE_ERROR_READ_FAILED,
			    _("the image failed earlier, at LBA %d"),
			    producer->lba);
		return FALSE;
	}
	while (n < max_sectors && producer->lba < producer->end_lba) {
		guint8 *sector = out + (gsize)n * producer->sector_size;

		if (!rb_image_main_channel(producer, producer->lba, sector, error) ||
		    !rb_image_subchannel(
			    producer, producer->lba, sector + RB_CD_MAIN_SIZE, error)) {
			producer->failed = TRUE;
			return FALSE;
		}
		producer->lba++;
		n++;
	}
	*n_sectors = n;
	return TRUE;
}
