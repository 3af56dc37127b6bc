/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the emulated drive says about itself: INQUIRY, the profiles and
 * features of GET CONFIGURATION, mode pages 05h and 2Ah (and how strictly it
 * takes a MODE SELECT), and its write speeds. A 48x CD-R/RW recorder that
 * writes raw disc-at-once only, and says so.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbVdrive"

#include <string.h>

#include "rb-vdrive-private.h"

#define RB_VDRIVE_VENDOR "RAWBURN"
#define RB_VDRIVE_PRODUCT "Virtual CD-RW"
#define RB_VDRIVE_REVISION "0100"
#define RB_VDRIVE_BUFFER_KB (RB_VDRIVE_BUFFER_SIZE / 1024)

/* ILLEGAL REQUEST additional sense codes the drive uses */
#define RB_ASC_INVALID_FIELD_IN_CDB 0x24
#define RB_ASC_PARAMETER_LIST_LENGTH 0x1A
#define RB_ASC_INVALID_FIELD_IN_PARAMETERS 0x26
#define RB_ASC_SAVING_NOT_SUPPORTED 0x39

/* the CD speeds a 48x recorder offers, as factors of 1x */
static const guint rb_vdrive_speed_factors[] = {52, 48, 40, 32, 24, 16, 10, 8, 4};

/* 1x = 75 sectors of 2352 bytes = 176.4 kB/s (1000-byte kB) */
static guint
rb_vdrive_factor_to_kbs(guint factor)
{
	return (factor * 1764 + 5) / 10;
}

/* fastest first, up to the spec's maximum */
static guint
rb_vdrive_list_speeds(RbVdrive *self, guint *kbs, guint max)
{
	guint n = 0;

	for (guint i = 0; i < G_N_ELEMENTS(rb_vdrive_speed_factors) && n < max; i++) {
		if (rb_vdrive_speed_factors[i] <= self->spec->max_speed)
			kbs[n++] = rb_vdrive_factor_to_kbs(rb_vdrive_speed_factors[i]);
	}
	/* a slow spec (say speed=2) still has its own speed */
	if (n == 0 || rb_vdrive_factor_to_kbs(self->spec->max_speed) > kbs[0]) {
		memmove(kbs + 1, kbs, MIN(n, max - 1) * sizeof(guint));
		kbs[0] = rb_vdrive_factor_to_kbs(self->spec->max_speed);
		n = MIN(n + 1, max);
	}
	return n;
}

static void
rb_vdrive_put_padded(guint8 *dest, gsize len, const gchar *text)
{
	gsize i = 0;

	memset(dest, ' ', len);
	/* INQUIRY strings are printable ASCII: one '?' for each other character */
	for (const gchar *p = text; *p != '\0' && i < len; p = g_utf8_next_char(p))
		dest[i++] = g_ascii_isprint(*p) ? (guint8)*p : '?';
}

void
rb_vdrive_cmd_inquiry(
	RbVdrive *self, const guint8 *cdb, guint8 *buf, gsize len, RbMmcResult *result)
{
	guint8 data[36] = {0};

	if ((cdb[1] & 0x01) != 0 || cdb[2] != 0) {
		rb_vdrive_set_sense(
			result, RB_SENSE_ILLEGAL_REQUEST, RB_ASC_INVALID_FIELD_IN_CDB, 0);
		return;
	}
	data[0] = 0x05; /* CD/DVD device */
	data[1] = 0x80; /* removable */
	data[2] = 0x05; /* SPC-3 */
	data[3] = 0x02; /* response data format */
	data[4] = sizeof(data) - 5;
	rb_vdrive_put_padded(data + 8, 8, RB_VDRIVE_VENDOR);
	rb_vdrive_put_padded(
		data + 16, 16, self->spec->name != NULL ? self->spec->name : RB_VDRIVE_PRODUCT);
	rb_vdrive_put_padded(data + 32, 4, RB_VDRIVE_REVISION);
	rb_vdrive_reply(result, buf, len, rb_vdrive_get_be16(cdb + 3), data, sizeof(data));
}

/* --- GET CONFIGURATION ------------------------------------------------------ */

static gboolean
rb_vdrive_blank_writable(RbVdrive *self)
{
	return self->media != RB_VIRTUAL_MEDIA_NONE && !self->tray_open &&
	       self->disc_status == RB_VDRIVE_DISC_BLANK;
}

/* appends one feature descriptor if the request wants it */
static void
rb_vdrive_add_feature(GByteArray *out,
		      guint8 rt,
		      guint16 start,
		      guint16 code,
		      guint8 version,
		      gboolean current,
		      const guint8 *body,
		      guint8 body_len)
{
	guint8 header[4];

	if (code < start || (rt == 1 && !current) || (rt == 2 && code != start))
		return;
	rb_vdrive_put_be16(header, code);
	/* every feature of this drive is persistent: it does not come and go */
	header[2] = (guint8)((version << 2) | 0x02 | (current ? 0x01 : 0x00));
	header[3] = body_len;
	g_byte_array_append(out, header, sizeof(header));
	g_byte_array_append(out, body, body_len);
}

void
rb_vdrive_cmd_get_configuration(
	RbVdrive *self, const guint8 *cdb, guint8 *buf, gsize len, RbMmcResult *result)
{
	g_autoptr(GByteArray) out = g_byte_array_new();
	guint8 rt = cdb[1] & 0x03;
	guint16 start = rb_vdrive_get_be16(cdb + 2);
	guint16 alloc = rb_vdrive_get_be16(cdb + 7);
	gboolean present = self->media != RB_VIRTUAL_MEDIA_NONE && !self->tray_open;
	guint16 current_profile = present ? self->info.profile : 0;
	const guint16 profiles[] = {
		RB_MMC_PROFILE_CD_RW, RB_MMC_PROFILE_CD_R, RB_MMC_PROFILE_CD_ROM};
	guint8 profile_list[4 * G_N_ELEMENTS(profiles)] = {0};
	const guint8 core[8] = {0x00, 0x00, 0x00, 0x02 /* ATAPI */, 0x01 /* DBE */};
	const guint8 morphing[4] = {0x02 /* OCEvent */};
	/* tray loader, ejectable, lockable */
	const guint8 removable[4] = {(0x01 << 5) | 0x08 | 0x01};
	const guint8 cd_read[4] = {0x00};
	/* BUF, Raw, Test Write, CD-RW, R-W; no SAO and no raw multi-session:
	 * the drive only claims what it emulates (Test Write unless the spec
	 * says it has none) */
	guint8 mastering[4] = {0x40 | 0x08 | 0x04 | 0x02 | 0x01, 0, 0, 0};
	const guint8 cd_rw_write[4] = {0x00, 0x01 /* subtype 0 */};
	guint8 header[8] = {0};

	if (rt == 3) {
		rb_vdrive_set_sense(
			result, RB_SENSE_ILLEGAL_REQUEST, RB_ASC_INVALID_FIELD_IN_CDB, 0);
		return;
	}
	if (!self->spec->test_write)
		mastering[0] &= (guint8)~0x04;
	for (guint i = 0; i < G_N_ELEMENTS(profiles); i++) {
		rb_vdrive_put_be16(profile_list + 4 * i, profiles[i]);
		profile_list[4 * i + 2] = profiles[i] == current_profile ? 0x01 : 0x00;
	}
	g_byte_array_append(out, header, sizeof(header));
	rb_vdrive_add_feature(out,
			      rt,
			      start,
			      RB_MMC_FEATURE_PROFILE_LIST,
			      0,
			      TRUE,
			      profile_list,
			      sizeof(profile_list));
	rb_vdrive_add_feature(out, rt, start, RB_MMC_FEATURE_CORE, 2, TRUE, core, sizeof(core));
	rb_vdrive_add_feature(
		out, rt, start, RB_MMC_FEATURE_MORPHING, 1, TRUE, morphing, sizeof(morphing));
	rb_vdrive_add_feature(out,
			      rt,
			      start,
			      RB_MMC_FEATURE_REMOVABLE_MEDIUM,
			      0,
			      TRUE,
			      removable,
			      sizeof(removable));
	rb_vdrive_add_feature(
		out, rt, start, RB_MMC_FEATURE_CD_READ, 2, present, cd_read, sizeof(cd_read));
	rb_vdrive_add_feature(out,
			      rt,
			      start,
			      RB_MMC_FEATURE_CD_MASTERING,
			      0,
			      rb_vdrive_blank_writable(self),
			      mastering,
			      sizeof(mastering));
	rb_vdrive_add_feature(out,
			      rt,
			      start,
			      RB_MMC_FEATURE_CD_RW_MEDIA_WRITE,
			      0,
			      present && self->info.rewritable,
			      cd_rw_write,
			      sizeof(cd_rw_write));
	rb_vdrive_put_be32(out->data, out->len - 4);
	rb_vdrive_put_be16(out->data + 6, current_profile);
	rb_vdrive_reply(result, buf, len, alloc, out->data, out->len);
}

/* --- mode pages --------------------------------------------------------------- */

void
rb_vdrive_reset_write_parameters(RbVdrive *self)
{
	guint8 *page = self->page05;

	/* power-on defaults of a real recorder: TAO, Mode 1; raw needs a MODE SELECT */
	memset(self->page05, 0, sizeof(self->page05));
	page[0] = RB_MMC_PAGE_WRITE_PARAMETERS;
	page[1] = RB_VDRIVE_PAGE_05_LEN;
	page[2] = 0x01;                     /* write type TAO */
	page[3] = 0x04;                     /* track mode: data */
	page[4] = 0x08;                     /* data block type: Mode 1, 2048 */
	page[5] = 0x07;                     /* link size */
	rb_vdrive_put_be16(page + 14, 150); /* audio pause length */
	self->write_params_set = FALSE;
}

static void
rb_vdrive_page05_changeable(RbVdrive *self, guint8 *page)
{
	memset(page, 0, RB_VDRIVE_PAGE_05_LEN + 2);
	page[0] = RB_MMC_PAGE_WRITE_PARAMETERS;
	page[1] = RB_VDRIVE_PAGE_05_LEN;
	page[2] = 0x40 | 0x10 | 0x0F; /* BUFE, test write, write type */
	page[3] = 0xFF;               /* multi-session, FP, copy, track mode */
	page[4] = 0x0F;               /* data block type */
	page[5] = 0xFF;               /* link size */
	page[7] = 0x3F;               /* host application code */
	page[8] = 0xFF;               /* session format */
	memset(page + 10, 0xFF, 4);   /* packet size */
	memset(page + 14, 0xFF, 2);   /* audio pause length */
	memset(page + 16, 0xFF, 36);  /* MCN, ISRC, sub-header */
	/* a drive without test writing cannot change the bit */
	if (!self->spec->test_write)
		page[2] &= (guint8)~0x10;
}

/* page 2Ah, built afresh: it reflects the speed in effect */
static gsize
rb_vdrive_page2a(RbVdrive *self, guint8 *page, gsize size)
{
	guint speeds[G_N_ELEMENTS(rb_vdrive_speed_factors) + 1];
	guint n = rb_vdrive_list_speeds(self, speeds, G_N_ELEMENTS(speeds));
	gsize total = 32 + 4 * n;
	guint current = self->write_speed_kbs != 0 ? self->write_speed_kbs : speeds[0];

	g_assert(size >= total);
	memset(page, 0, total);
	page[0] = RB_MMC_PAGE_CAPABILITIES;
	page[1] = (guint8)(total - 2);
	page[2] = 0x03;               /* reads CD-R and CD-RW */
	page[3] = 0x01 | 0x02 | 0x04; /* writes CD-R, CD-RW; test write */
	page[4] = 0x80 | 0x40;        /* BUF, multi-session */
	if (!self->spec->test_write)
		page[3] &= (guint8)~0x04;
	/* READ CD of CD-DA (accurate), R-W; ISRC and UPC through READ SUB-CHANNEL */
	page[5] = 0x01 | 0x02 | 0x04 | 0x20 | 0x40;
	page[6] = (0x01 << 5) | 0x08 | 0x01 | (self->prevent_removal ? 0x02 : 0x00);
	rb_vdrive_put_be16(page + 8, (guint16)speeds[0]);
	rb_vdrive_put_be16(page + 12, RB_VDRIVE_BUFFER_KB);
	rb_vdrive_put_be16(page + 14, (guint16)speeds[0]);
	rb_vdrive_put_be16(page + 18, (guint16)speeds[0]);
	rb_vdrive_put_be16(page + 20, (guint16)current);
	page[27] = self->pure_cav ? 0x01 : 0x00;
	rb_vdrive_put_be16(page + 28, (guint16)current);
	rb_vdrive_put_be16(page + 30, (guint16)n);
	for (guint i = 0; i < n; i++) {
		page[32 + 4 * i + 1] = 0x00; /* CLV */
		rb_vdrive_put_be16(page + 32 + 4 * i + 2, (guint16)speeds[i]);
	}
	return total;
}

void
rb_vdrive_cmd_mode_sense(
	RbVdrive *self, const guint8 *cdb, guint8 *buf, gsize len, RbMmcResult *result)
{
	guint8 pc = cdb[2] >> 6;
	guint8 code = cdb[2] & 0x3F;
	guint16 alloc = rb_vdrive_get_be16(cdb + 7);
	guint8 data[RB_MMC_MODE_HEADER_10_LEN + 2 + RB_VDRIVE_PAGE_05_LEN + 128] = {0};
	gsize total = RB_MMC_MODE_HEADER_10_LEN;

	if (pc == 3) {
		rb_vdrive_set_sense(
			result, RB_SENSE_ILLEGAL_REQUEST, RB_ASC_SAVING_NOT_SUPPORTED, 0);
		return;
	}
	if (code != RB_MMC_PAGE_WRITE_PARAMETERS && code != RB_MMC_PAGE_CAPABILITIES &&
	    code != 0x3F) {
		rb_vdrive_set_sense(
			result, RB_SENSE_ILLEGAL_REQUEST, RB_ASC_INVALID_FIELD_IN_CDB, 0);
		return;
	}
	if (code == RB_MMC_PAGE_WRITE_PARAMETERS || code == 0x3F) {
		guint8 *page = data + total;
		if (pc == 1)
			rb_vdrive_page05_changeable(self, page);
		else if (pc == 2)
			memcpy(page,
			       (guint8[]){RB_MMC_PAGE_WRITE_PARAMETERS,
					  RB_VDRIVE_PAGE_05_LEN,
					  0x01,
					  0x04,
					  0x08,
					  0x07},
			       6);
		else
			memcpy(page, self->page05, sizeof(self->page05));
		if (pc == 2) {
			page[1] = RB_VDRIVE_PAGE_05_LEN;
			rb_vdrive_put_be16(page + 14, 150);
		}
		total += RB_VDRIVE_PAGE_05_LEN + 2;
	}
	if (code == RB_MMC_PAGE_CAPABILITIES || code == 0x3F) {
		gsize page_len = rb_vdrive_page2a(self, data + total, sizeof(data) - total);
		/* nothing in page 2Ah is changeable */
		if (pc == 1)
			memset(data + total + 2, 0, page_len - 2);
		total += page_len;
	}
	rb_vdrive_put_be16(data, (guint16)(total - 2));
	rb_vdrive_reply(result, buf, len, alloc, data, total);
}

/* which data block types a write type takes; raw needs sub-channel blocks */
static gboolean
rb_vdrive_block_type_valid(guint8 write_type, guint8 block_type)
{
	if (write_type == RB_MMC_WRITE_TYPE_RAW)
		return block_type >= RB_MMC_DBT_RAW_PQ && block_type <= RB_MMC_DBT_RAW_PW;
	return block_type <= 3 || (block_type >= 8 && block_type <= 13);
}

void
rb_vdrive_cmd_mode_select(
	RbVdrive *self, const guint8 *cdb, const guint8 *buf, gsize len, RbMmcResult *result)
{
	guint16 list_len = rb_vdrive_get_be16(cdb + 7);
	guint8 changeable[RB_VDRIVE_PAGE_05_LEN + 2];
	const guint8 *page;
	gsize page_len;

	/* PF must be set, SP (save) is not supported */
	if ((cdb[1] & 0x10) == 0 || (cdb[1] & 0x01) != 0) {
		rb_vdrive_set_sense(
			result, RB_SENSE_ILLEGAL_REQUEST, RB_ASC_INVALID_FIELD_IN_CDB, 0);
		return;
	}
	if (list_len != len || len < RB_MMC_MODE_HEADER_10_LEN + 2) {
		rb_vdrive_set_sense(
			result, RB_SENSE_ILLEGAL_REQUEST, RB_ASC_PARAMETER_LIST_LENGTH, 0);
		return;
	}
	/* no block descriptors on an MMC drive */
	if (rb_vdrive_get_be16(buf + 6) != 0) {
		rb_vdrive_set_sense(
			result, RB_SENSE_ILLEGAL_REQUEST, RB_ASC_INVALID_FIELD_IN_PARAMETERS, 0);
		return;
	}
	result->residual = 0;
	page = buf + RB_MMC_MODE_HEADER_10_LEN;
	page_len = len - RB_MMC_MODE_HEADER_10_LEN;
	/* PS must be 0 in a MODE SELECT, and the page length exactly the drive's */
	if ((page[0] & 0x80) != 0 || (page[0] & 0x3F) != RB_MMC_PAGE_WRITE_PARAMETERS ||
	    page[1] != RB_VDRIVE_PAGE_05_LEN || page_len != (gsize)RB_VDRIVE_PAGE_05_LEN + 2) {
		rb_vdrive_set_sense(
			result, RB_SENSE_ILLEGAL_REQUEST, RB_ASC_INVALID_FIELD_IN_PARAMETERS, 0);
		return;
	}
	/* a recorder without test writing refuses the bit outright, as real
	 * drives without the feature do: invalid field in parameter list */
	if (!self->spec->test_write && (page[2] & 0x10) != 0) {
		rb_vdrive_set_sense(
			result, RB_SENSE_ILLEGAL_REQUEST, RB_ASC_INVALID_FIELD_IN_PARAMETERS, 0x00);
		return;
	}
	rb_vdrive_page05_changeable(self, changeable);
	for (gsize i = 2; i < page_len; i++) {
		if (((page[i] ^ self->page05[i]) & ~changeable[i]) != 0) {
			rb_vdrive_set_sense(result,
					    RB_SENSE_ILLEGAL_REQUEST,
					    RB_ASC_INVALID_FIELD_IN_PARAMETERS,
					    0x02);
			return;
		}
	}
	/* write types this drive has: TAO, SAO, raw; raw takes no multi-session */
	if ((page[2] & 0x0F) < 1 || (page[2] & 0x0F) > 3 ||
	    !rb_vdrive_block_type_valid(page[2] & 0x0F, page[4] & 0x0F) ||
	    ((page[2] & 0x0F) == RB_MMC_WRITE_TYPE_RAW && (page[3] & 0xC0) != 0)) {
		rb_vdrive_set_sense(
			result, RB_SENSE_ILLEGAL_REQUEST, RB_ASC_INVALID_FIELD_IN_PARAMETERS, 0x02);
		return;
	}
	memcpy(self->page05, page, page_len);
	self->write_params_set = TRUE;
}

/* --- speeds ---------------------------------------------------------------------- */

void
rb_vdrive_cmd_get_performance(
	RbVdrive *self, const guint8 *cdb, guint8 *buf, gsize len, RbMmcResult *result)
{
	guint speeds[G_N_ELEMENTS(rb_vdrive_speed_factors) + 1];
	guint n;
	guint16 max_descriptors = rb_vdrive_get_be16(cdb + 8);
	g_autoptr(GByteArray) out = g_byte_array_new();
	guint8 header[8] = {0};

	if (cdb[10] != 0x03) {
		rb_vdrive_set_sense(
			result, RB_SENSE_ILLEGAL_REQUEST, RB_ASC_INVALID_FIELD_IN_CDB, 0);
		return;
	}
	if (!rb_vdrive_check_ready(self, result))
		return;
	n = rb_vdrive_list_speeds(self, speeds, G_N_ELEMENTS(speeds));
	g_byte_array_append(out, header, sizeof(header));
	for (guint i = 0; i < n && i < max_descriptors; i++) {
		guint8 descriptor[16] = {0};
		rb_vdrive_put_be32(descriptor + 4, (guint32)self->info.last_leadout_start);
		rb_vdrive_put_be32(descriptor + 8, speeds[0]);
		rb_vdrive_put_be32(descriptor + 12, speeds[i]);
		g_byte_array_append(out, descriptor, sizeof(descriptor));
	}
	/* the length covers every descriptor the drive has, as hosts ask twice */
	rb_vdrive_put_be32(out->data, 4 + 16 * n);
	rb_vdrive_reply(result, buf, len, G_MAXSIZE, out->data, out->len);
}

void
rb_vdrive_cmd_set_cd_speed(RbVdrive *self, const guint8 *cdb, RbMmcResult *result)
{
	guint speeds[G_N_ELEMENTS(rb_vdrive_speed_factors) + 1];
	guint n = rb_vdrive_list_speeds(self, speeds, G_N_ELEMENTS(speeds));
	guint requested = rb_vdrive_get_be16(cdb + 4);

	if ((cdb[1] & 0x03) > 1) {
		rb_vdrive_set_sense(
			result, RB_SENSE_ILLEGAL_REQUEST, RB_ASC_INVALID_FIELD_IN_CDB, 0);
		return;
	}
	self->pure_cav = (cdb[1] & 0x03) == 1;
	/* drives round down to a speed they have, and never below the slowest */
	self->write_speed_kbs = speeds[n - 1];
	for (guint i = 0; i < n; i++) {
		if (speeds[i] <= requested) {
			self->write_speed_kbs = speeds[i];
			break;
		}
	}
}
