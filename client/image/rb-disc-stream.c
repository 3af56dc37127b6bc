/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An image's raw DAO stream: the image core's producer asks for each
 * source's bytes in order, and this reads them from the segments the
 * reader listed, one file open per source at a time and one sector staged
 * for the conversions (byte-swapped samples, scrambling of raw data
 * sectors, built empty raw sectors, CloneCD's sub-channel order and its
 * unreadable Q repaired), so
 * memory stays constant whatever the image's size.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <inttypes.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "rb-disc-image-private.h"
#include "rb-scramble.h"
#include "rb-stream-check.h"

#define RB_DISC_STREAM_TRANSFORMS                                                                  \
	(RB_DISC_SEGMENT_SWAP16 | RB_DISC_SEGMENT_SCRAMBLE | RB_DISC_SEGMENT_SUB_CHANNELS |        \
	 RB_DISC_SEGMENT_XA_2336 | RB_DISC_SEGMENT_REPAIR_Q)
/* the sub-header's submode byte and its form bit (CD-ROM XA) */
#define RB_DISC_XA_SUBMODE 2
#define RB_DISC_XA_FORM2 0x20
#define RB_DISC_XA_FORM1_EDC_END 2072

typedef struct {
	guint segment;
	guint64 done;     /* bytes of the current segment given or staged */
	guint64 position; /* bytes of the source before the current segment */
	gint fd;
	guint8 *unit; /* one staged sector, for the conversions */
	gsize unit_len;
	gsize unit_pos;
} RbDiscSourceState;

struct _RbDiscImageStream {
	RbDiscImage *image;
	RbImageProducer *producer;
	RbDiscSourceState states[RB_DISC_IMAGE_N_SOURCES];
};

static void
rb_disc_stream_close_segment(RbDiscSourceState *state)
{
	if (state->fd >= 0)
		close(state->fd);
	state->fd = -1;
}

void
rb_disc_image_stream_free(RbDiscImageStream *stream)
{
	if (stream == NULL)
		return;
	for (guint i = 0; i < RB_DISC_IMAGE_N_SOURCES; i++) {
		rb_disc_stream_close_segment(&stream->states[i]);
		g_free(stream->states[i].unit);
	}
	g_clear_pointer(&stream->producer, rb_image_producer_free);
	g_free(stream);
}

/* exactly @len bytes of the segment's file from byte @at of the segment */
static gboolean
rb_disc_stream_pread(RbDiscSourceState *state,
		     const RbDiscSegment *segment,
		     guint8 *buf,
		     gsize len,
		     guint64 at,
		     GError **error)
{
	gsize got = 0;

	if (state->fd < 0) {
		state->fd = g_open(segment->path, O_RDONLY | O_CLOEXEC | O_NOCTTY, 0);
		if (state->fd < 0) {
			gint errsv = errno;

			g_set_error(error,
				    RB_DISC_IMAGE_ERROR,
				    RB_DISC_IMAGE_ERROR_FILE,
				    _("Cannot open “%s”: %s"),
				    segment->path,
				    g_strerror(errsv));
			return FALSE;
		}
	}
	while (got < len) {
		gssize n =
			pread(state->fd, buf + got, len - got, (off_t)(segment->offset + at + got));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			gint errsv = errno;

			g_set_error(error,
				    RB_DISC_IMAGE_ERROR,
				    n == 0 ? RB_DISC_IMAGE_ERROR_FILE_TOO_SHORT
					   : RB_DISC_IMAGE_ERROR_FILE,
				    n == 0 ? _("“%s” ended at byte %" PRIu64
					       " while it was being burned: was it changed?")
					   : _("Reading “%s” at byte %" PRIu64 " failed: %s"),
				    segment->path,
				    segment->offset + at + got,
				    g_strerror(errsv));
			return FALSE;
		}
		got += (gsize)n;
	}
	return TRUE;
}

/* @len bytes of a FILE segment: what the file has, then padding zeros */
static gboolean
rb_disc_stream_file_bytes(RbDiscSourceState *state,
			  const RbDiscSegment *segment,
			  guint8 *buf,
			  gsize len,
			  GError **error)
{
	gsize from_file = 0;

	if (state->done < segment->data_length)
		from_file = (gsize)MIN((guint64)len, segment->data_length - state->done);
	if (from_file > 0 &&
	    !rb_disc_stream_pread(state, segment, buf, from_file, state->done, error))
		return FALSE;
	memset(buf + from_file, 0, len - from_file);
	return TRUE;
}

/* CloneCD's 96 bytes, 12 per channel P…W, into one symbol per byte (P = bit 7) */
static void
rb_disc_stream_interleave_channels(guint8 *unit)
{
	guint8 symbols[RB_SUBCHANNEL_PW_SIZE] = {0};

	for (guint k = 0; k < RB_SUBCHANNEL_PW_SIZE; k++) {
		for (guint channel = 0; channel < 8; channel++) {
			guint bit = (unit[channel * 12 + k / 8] >> (7 - k % 8)) & 1;

			symbols[k] |= (guint8)(bit << (7 - channel));
		}
	}
	memcpy(unit, symbols, sizeof(symbols));
}

/*
 * A CloneCD unit's Q (12 bytes after P's 12) that the service's stream check
 * refuses by itself (rb_stream_check_q: a bad CRC, a mode that cannot be in
 * the program area, a field that is no BCD), as the layout gives it for
 * @lba: the source disc's read error, not the disc. The reader refused the
 * image before if such a Q was a readable one that disagrees with the sheet
 * (rb-disc-clonecd-sub.c), so only unreadable ones are left here.
 */
static void
rb_disc_stream_repair_q(const RbImageLayout *layout, gint32 lba, guint8 *unit)
{
	guint8 *q = unit + RB_SUBQ_SIZE;
	guint8 generated[RB_SUBQ_SIZE];
	gboolean p = FALSE;

	/* the .sub is burned as raw P-W: the stream's data block type */
	if (rb_stream_check_q(RB_DATA_BLOCK_TYPE_RAW_PW, lba, q, NULL))
		return;
	if (rb_image_layout_get_subq(layout, lba, generated, &p))
		memcpy(q, generated, sizeof(generated));
}

/*
 * A 2336-byte XA sector into its raw sector: Form 2 (the sub-header's form
 * bit) as the image core builds Form 2, EDC over 16-2347 included; Form 1
 * with the file's sub-header kept, EDC over 16-2071 and P/Q parity with the
 * header taken as zero (CD-ROM XA); then scrambled, as raw sectors go.
 */
static void
rb_disc_stream_build_xa(const guint8 *input, gint32 lba, guint8 *out)
{
	if ((input[RB_DISC_XA_SUBMODE] & RB_DISC_XA_FORM2) != 0) {
		rb_cd_sector_encode(RB_CD_SECTOR_MODE2_FORM2, lba, input, out);
	} else {
		guint32 edc;

		/* formless Mode 2 gives the sync, the header and the 2336 bytes */
		rb_cd_sector_encode(RB_CD_SECTOR_MODE2_FORM0, lba, input, out);
		edc = rb_cd_sector_edc(out + 16, RB_DISC_XA_FORM1_EDC_END - 16);
		for (guint i = 0; i < 4; i++)
			out[RB_DISC_XA_FORM1_EDC_END + i] = (guint8)(edc >> (8 * i));
		rb_cd_sector_ecc(out, TRUE);
	}
	rb_scramble_sector(out);
}

static gboolean
rb_disc_stream_stage(RbDiscImageStream *stream,
		     guint source,
		     RbDiscSourceState *state,
		     const RbDiscSegment *segment,
		     GError **error)
{
	gsize unit_size = (segment->flags & RB_DISC_SEGMENT_SUB_CHANNELS) != 0
				  ? RB_SUBCHANNEL_PW_SIZE
				  : RB_CD_MAIN_SIZE;
	gsize want = (gsize)MIN((guint64)unit_size, segment->length - state->done);

	if (state->unit == NULL)
		state->unit = g_malloc(RB_CD_MAIN_SIZE);
	if (segment->kind == RB_DISC_SEGMENT_EMPTY_RAW) {
		const RbImageTrack *t = rb_image_layout_get_track(stream->image->layout, source);
		guint8 zeros[RB_CD_MAIN_SIZE] = {0};
		gint32 lba = t->pregap_start +
			     (gint32)((state->position + state->done) / RB_CD_MAIN_SIZE);

		rb_cd_sector_encode(rb_cd_sector_type_get_cooked(t->type), lba, zeros, state->unit);
		rb_scramble_sector(state->unit);
	} else if ((segment->flags & RB_DISC_SEGMENT_XA_2336) != 0) {
		const RbImageTrack *t = rb_image_layout_get_track(stream->image->layout, source);
		guint64 sector = state->done / RB_CD_MAIN_SIZE;
		gint32 lba = t->pregap_start +
			     (gint32)((state->position + state->done) / RB_CD_MAIN_SIZE);
		guint8 input[RB_CD_XA_INPUT_SIZE];

		if (!rb_disc_stream_pread(state,
					  segment,
					  input,
					  sizeof(input),
					  sector * RB_CD_XA_INPUT_SIZE,
					  error))
			return FALSE;
		rb_disc_stream_build_xa(input, lba, state->unit);
	} else if (!rb_disc_stream_file_bytes(state, segment, state->unit, want, error)) {
		return FALSE;
	}
	if ((segment->flags & RB_DISC_SEGMENT_SWAP16) != 0) {
		for (gsize i = 0; i + 1 < want; i += 2) {
			guint8 b = state->unit[i];

			state->unit[i] = state->unit[i + 1];
			state->unit[i + 1] = b;
		}
	}
	if ((segment->flags & RB_DISC_SEGMENT_SCRAMBLE) != 0 && want == RB_CD_MAIN_SIZE &&
	    rb_scramble_has_sync(state->unit))
		rb_scramble_sector(state->unit);
	if ((segment->flags & RB_DISC_SEGMENT_REPAIR_Q) != 0 && want == RB_SUBCHANNEL_PW_SIZE)
		rb_disc_stream_repair_q(
			stream->image->layout,
			(gint32)((state->position + state->done) / RB_SUBCHANNEL_PW_SIZE),
			state->unit);
	if ((segment->flags & RB_DISC_SEGMENT_SUB_CHANNELS) != 0 && want == RB_SUBCHANNEL_PW_SIZE)
		rb_disc_stream_interleave_channels(state->unit);
	state->unit_len = want;
	state->unit_pos = 0;
	state->done += want;
	if (state->done == segment->length)
		rb_disc_stream_close_segment(state);
	return TRUE;
}

static gssize
rb_disc_stream_read_source(gpointer user_data, guint source, guint8 *buf, gsize len, GError **error)
{
	RbDiscImageStream *stream = user_data;
	RbDiscSourceState *state;
	GArray *segments;
	const RbDiscSegment *segment;
	gsize n;

	if (source >= RB_DISC_IMAGE_N_SOURCES || stream->image->sources[source] == NULL)
		return 0;
	state = &stream->states[source];
	segments = stream->image->sources[source];

	if (state->unit_pos < state->unit_len) {
		n = MIN(len, state->unit_len - state->unit_pos);
		memcpy(buf, state->unit + state->unit_pos, n);
		state->unit_pos += n;
		return (gssize)n;
	}
	while (state->segment < segments->len &&
	       state->done == g_array_index(segments, RbDiscSegment, state->segment).length) {
		state->position += state->done;
		state->done = 0;
		state->segment++;
		rb_disc_stream_close_segment(state);
	}
	if (state->segment >= segments->len)
		return 0;
	segment = &g_array_index(segments, RbDiscSegment, state->segment);

	if (segment->kind == RB_DISC_SEGMENT_EMPTY_RAW ||
	    (segment->flags & RB_DISC_STREAM_TRANSFORMS) != 0) {
		if (!rb_disc_stream_stage(stream, source, state, segment, error))
			return -1;
		return rb_disc_stream_read_source(user_data, source, buf, len, error);
	}
	n = (gsize)MIN((guint64)len, segment->length - state->done);
	if (segment->kind == RB_DISC_SEGMENT_ZERO)
		memset(buf, 0, n);
	else if (!rb_disc_stream_file_bytes(state, segment, buf, n, error))
		return -1;
	state->done += n;
	/* a finished track's source is never read again: its file goes now,
	 * not with the stream (99 tracks would hold 99 descriptors) */
	if (state->done == segment->length)
		rb_disc_stream_close_segment(state);
	return (gssize)n;
}

RbDiscImageStream *
rb_disc_image_stream_new(RbDiscImage *image, GError **error)
{
	g_autoptr(RbDiscImageStream) stream = NULL;

	g_return_val_if_fail(image != NULL, NULL);
	if (image->layout == NULL) {
		g_set_error(error,
			    RB_DISC_IMAGE_ERROR,
			    RB_DISC_IMAGE_ERROR_INVALID,
			    _("%s is a raw stream already: burn it as it is"),
			    image->path);
		return NULL;
	}
	if (!rb_disc_image_check(image, 0, error))
		return NULL;
	stream = g_new0(RbDiscImageStream, 1);
	stream->image = image;
	for (guint i = 0; i < RB_DISC_IMAGE_N_SOURCES; i++)
		stream->states[i].fd = -1;
	stream->producer =
		rb_image_producer_new(image->layout, rb_disc_stream_read_source, stream, error);
	if (stream->producer == NULL)
		return NULL;
	return g_steal_pointer(&stream);
}

gsize
rb_disc_image_stream_get_sector_size(const RbDiscImageStream *stream)
{
	return rb_image_producer_get_sector_size(stream->producer);
}

guint32
rb_disc_image_stream_get_n_sectors(const RbDiscImageStream *stream)
{
	return rb_image_producer_get_n_sectors(stream->producer);
}

gboolean
rb_disc_image_stream_read(
	RbDiscImageStream *stream, guint8 *out, guint max_sectors, guint *n_sectors, GError **error)
{
	return rb_image_producer_read(stream->producer, out, max_sectors, n_sectors, error);
}
