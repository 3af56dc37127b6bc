/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fuzz target: sense data as a drive (or a broken transport) returns it.
 * Input: one opcode byte, then the sense bytes. Whatever the bytes, the
 * decoder either names the reply invalid or gives a sense whose action and
 * error agree with each other, and an error message a D-Bus reply can carry.
 */
#include "config.h"

#include "rb-error.h"
#include "rb-fuzz.h"
#include "rb-mmc-sense.h"

/* the commands whose errors the table treats specially, and a plain one */
static const guint8 rb_fuzz_opcodes[] = {
	RB_MMC_TEST_UNIT_READY,
	RB_MMC_WRITE_10,
	RB_MMC_MODE_SELECT_10,
	RB_MMC_SET_CD_SPEED,
};

static void
rb_fuzz_check_error(const RbMmcSense *sense, guint8 opcode, RbMmcSenseAction action)
{
	RbError code = rb_mmc_sense_to_error_code(sense, opcode);
	g_autoptr(GError) error = rb_mmc_sense_to_error(sense, opcode);

	rb_fuzz_check(code < RB_ERROR_N_ERRORS);
	rb_fuzz_check(error != NULL && error->domain == RB_ERROR && error->code == (gint)code);
	/* it ends up in a D-Bus error reply, which must be UTF-8 */
	rb_fuzz_check(error->message != NULL && g_utf8_validate(error->message, -1, NULL));
	/* a busy drive that stays busy is MediaBusy, whatever the command */
	if (action == RB_MMC_SENSE_ACTION_RETRY_BUSY)
		rb_fuzz_check(code == RB_ERROR_MEDIA_BUSY);
	/* no medium is no medium, whatever the command */
	if (sense->asc == RB_ASC_MEDIUM_NOT_PRESENT && sense->key == RB_SENSE_NOT_READY)
		rb_fuzz_check(code == RB_ERROR_MEDIA_NO_MEDIA);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GError) error = NULL;
	RbMmcSense sense;
	RbMmcSenseAction action;
	const gchar *text;
	guint8 opcode;

	if (size < 1)
		return 0;
	opcode = data[0];
	if (!rb_mmc_sense_parse(data + 1, size - 1, &sense, &error)) {
		rb_fuzz_check(
			g_error_matches(error, RB_ERROR, RB_ERROR_INVALID_RESPONSE_FROM_DEVICE));
		return 0;
	}
	rb_fuzz_check(error == NULL);
	rb_fuzz_check(sense.key <= 0x0F);
	rb_fuzz_check(sense.response_code >= 0x70 && sense.response_code <= 0x73);
	rb_fuzz_check(sense.descriptor_format == (sense.response_code >= 0x72));
	rb_fuzz_check(sense.deferred ==
		      (sense.response_code == 0x71 || sense.response_code == 0x73));
	/* progress is only ever NOT READY's (or NO SENSE's), and 0 when not valid */
	if (sense.progress_valid)
		rb_fuzz_check(sense.key == RB_SENSE_NOT_READY || sense.key == RB_SENSE_NO_SENSE);
	else
		rb_fuzz_check(sense.progress == 0);

	action = rb_mmc_sense_get_action(&sense);
	rb_fuzz_check(action <= RB_MMC_SENSE_ACTION_RETRY_ONCE);
	if (sense.key == RB_SENSE_RECOVERED_ERROR)
		rb_fuzz_check(action == RB_MMC_SENSE_ACTION_SUCCEED);
	rb_fuzz_check_error(&sense, opcode, action);
	for (guint i = 0; i < G_N_ELEMENTS(rb_fuzz_opcodes); i++)
		rb_fuzz_check_error(&sense, rb_fuzz_opcodes[i], action);

	text = rb_mmc_sense_describe(sense.key, sense.asc, sense.ascq);
	rb_fuzz_check(text == NULL || (text[0] != '\0' && g_utf8_validate(text, -1, NULL)));
	return 0;
}
