/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fuzz target: MODE SENSE(10) replies for pages 05h and 2Ah. Input: one
 * byte choosing the page (even: 05h, odd: 2Ah), then the reply. A page that
 * decodes must survive the trip the write job gives it: typed fields read
 * and written back give the very bytes the drive sent, and the MODE SELECT
 * list carries them unchanged but for PS.
 */
#include "config.h"

#include <string.h>

#include "rb-error.h"
#include "rb-fuzz.h"
#include "rb-mmc-mode-pages.h"
#include "rb-mmc-replies.h"

/* a MODE SENSE(10) reply holding @page and nothing else */
static gsize
rb_fuzz_sense_reply(const RbMmcModePage *page, guint8 *out)
{
	memset(out, 0, RB_MMC_MODE_HEADER_10_LEN);
	out[0] = (guint8)((RB_MMC_MODE_HEADER_10_LEN - 2 + page->page_len) >> 8);
	out[1] = (guint8)(RB_MMC_MODE_HEADER_10_LEN - 2 + page->page_len);
	memcpy(out + RB_MMC_MODE_HEADER_10_LEN, page->page, page->page_len);
	return RB_MMC_MODE_HEADER_10_LEN + page->page_len;
}

static void
rb_fuzz_check_page(const RbMmcModePage *page, guint8 page_code)
{
	guint8 list[RB_MMC_MODE_DATA_MAX];
	RbMmcModePage again;
	gsize len;

	rb_fuzz_check(page->page_len >= 2 && page->page_len <= RB_MMC_MODE_PAGE_MAX);
	rb_fuzz_check(page->page_len == 2 + (gsize)page->page[1]);
	rb_fuzz_check((page->page[0] & 0x3F) == page_code);

	/* MODE SELECT: zero header, the page as sensed, PS cleared */
	len = rb_mmc_mode_select_build(page, list);
	rb_fuzz_check(len == RB_MMC_MODE_HEADER_10_LEN + page->page_len);
	for (guint i = 0; i < RB_MMC_MODE_HEADER_10_LEN; i++)
		rb_fuzz_check(list[i] == 0);
	rb_fuzz_check(list[RB_MMC_MODE_HEADER_10_LEN] == (page->page[0] & 0x7F));
	rb_fuzz_check(memcmp(list + RB_MMC_MODE_HEADER_10_LEN + 1,
			     page->page + 1,
			     page->page_len - 1) == 0);

	/* the same page in a reply of its own decodes to the same bytes */
	len = rb_fuzz_sense_reply(page, list);
	rb_fuzz_check(rb_mmc_mode_sense_parse(list, len, page_code, &again, NULL));
	rb_fuzz_check(again.page_len == page->page_len);
	rb_fuzz_check(memcmp(again.page, page->page, page->page_len) == 0);
}

static void
rb_fuzz_write_parameters(const RbMmcModePage *page)
{
	g_autoptr(GError) error = NULL;
	RbMmcWriteParameters params;
	RbMmcModePage copy = *page;

	if (!rb_mmc_write_parameters_parse(page, &params, &error)) {
		rb_fuzz_check(
			g_error_matches(error, RB_ERROR, RB_ERROR_INVALID_RESPONSE_FROM_DEVICE));
		rb_fuzz_check(page->page_len < RB_MMC_PAGE_05_MIN_LEN);
		return;
	}
	/* every bit of bytes 2-15 is a field or kept: writing back what was
	 * read changes nothing */
	rb_fuzz_check(rb_mmc_write_parameters_apply(&params, &copy, NULL));
	rb_fuzz_check(copy.page_len == page->page_len);
	rb_fuzz_check(memcmp(copy.page, page->page, page->page_len) == 0);

	/* what the write job sets is what a new read gives */
	params.write_type = RB_MMC_WRITE_TYPE_RAW;
	params.data_block_type = RB_MMC_DBT_RAW_PW;
	params.bufe = !params.bufe;
	params.test_write = FALSE;
	rb_fuzz_check(rb_mmc_write_parameters_apply(&params, &copy, NULL));
	rb_fuzz_check(rb_mmc_write_parameters_parse(&copy, &params, NULL));
	rb_fuzz_check(params.write_type == RB_MMC_WRITE_TYPE_RAW);
	rb_fuzz_check(params.data_block_type == RB_MMC_DBT_RAW_PW);
	rb_fuzz_check(!params.test_write);
	rb_fuzz_check(memcmp(copy.page + RB_MMC_PAGE_05_MIN_LEN,
			     page->page + RB_MMC_PAGE_05_MIN_LEN,
			     page->page_len - RB_MMC_PAGE_05_MIN_LEN) == 0);
}

static void
rb_fuzz_capabilities(const RbMmcModePage *page)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RbMmcCapabilities) caps = rb_mmc_capabilities_parse(page, &error);

	if (caps == NULL) {
		rb_fuzz_check(
			g_error_matches(error, RB_ERROR, RB_ERROR_INVALID_RESPONSE_FROM_DEVICE));
		rb_fuzz_check(page->page_len < RB_MMC_PAGE_2A_MIN_LEN);
		return;
	}
	rb_fuzz_check(caps->rotation_control <= 3);
	/* descriptors are 4 bytes from byte 32 on, never past the page */
	rb_fuzz_check(caps->write_speeds->len == 0 ||
		      32 + 4 * (gsize)caps->write_speeds->len <= page->page_len);
	for (guint i = 0; i < caps->write_speeds->len; i++) {
		const RbMmcPage2AWriteSpeed *speed =
			&g_array_index(caps->write_speeds, RbMmcPage2AWriteSpeed, i);
		rb_fuzz_check(speed->rotation_control <= 3);
		rb_fuzz_check(speed->write_speed_kbps == rb_mmc_get_be16(page->page + 34 + 4 * i));
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GError) error = NULL;
	RbMmcModePage page;
	guint8 page_code;

	if (size < 1)
		return 0;
	page_code = data[0] % 2 == 0 ? RB_MMC_PAGE_WRITE_PARAMETERS : RB_MMC_PAGE_CAPABILITIES;
	if (!rb_mmc_mode_sense_parse(data + 1, size - 1, page_code, &page, &error)) {
		rb_fuzz_check(
			g_error_matches(error, RB_ERROR, RB_ERROR_INVALID_RESPONSE_FROM_DEVICE));
		return 0;
	}
	/* the page sits after the header and the block descriptors */
	rb_fuzz_check(page.block_descriptor_length == rb_mmc_get_be16(data + 1 + 6));
	rb_fuzz_check(RB_MMC_MODE_HEADER_10_LEN + page.block_descriptor_length + page.page_len <=
		      size - 1);
	rb_fuzz_check_page(&page, page_code);
	if (page_code == RB_MMC_PAGE_WRITE_PARAMETERS)
		rb_fuzz_write_parameters(&page);
	else
		rb_fuzz_capabilities(&page);
	return 0;
}
