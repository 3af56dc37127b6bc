/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The drive's side of EraseMedia (rb-erase-drive.c) without the bus: the
 * checks before BLANK against an emulated drive whose answers a filter
 * changes (a CD-RW the drive calls not erasable, a drive without the CD-RW
 * profile), and the time estimate of a written disc, whose READ DISC
 * INFORMATION no longer gives its size.
 */
#include "config.h"

#include <check.h>
#include <string.h>

#include "rb-erase-drive.h"
#include "rb-error.h"
#include "rb-mmc-types.h"
#include "rb-msf.h"
#include "rb-test-service.h"
#include "rb-vdrive-transport.h"
#include "rb-virtual-spec.h"

/* --- a transport that changes some of the emulated drive's answers ---------------------- */

#define RB_TYPE_FILTER_TRANSPORT (rb_filter_transport_get_type())
G_DECLARE_FINAL_TYPE(RbFilterTransport, rb_filter_transport, RB, FILTER_TRANSPORT, RbMmcTransport)

struct _RbFilterTransport {
	RbMmcTransport parent_instance;
	RbMmcTransport *inner;
	gboolean not_erasable; /* READ DISC INFORMATION without the Erasable bit */
	gboolean no_cd_rw;     /* GET CONFIGURATION's profile list without CD-RW */
};

G_DEFINE_TYPE(RbFilterTransport, rb_filter_transport, RB_TYPE_MMC_TRANSPORT)

/* the Profile List feature (0000h) comes first: 8-byte header, 4-byte
 * feature header, 4-byte profile descriptors; CD-RW (000Ah) becomes CD-R */
static void
rb_filter_profiles(guint8 *buffer, gsize len)
{
	gsize list_len;

	if (len < 12 || buffer[8] != 0 || buffer[9] != 0)
		return;
	list_len = MIN((gsize)buffer[11], len - 12);
	for (gsize i = 0; i + 4 <= list_len; i += 4) {
		guint8 *descriptor = buffer + 12 + i;

		if (descriptor[0] == 0 && descriptor[1] == RB_MMC_PROFILE_CD_RW)
			descriptor[1] = RB_MMC_PROFILE_CD_R;
	}
}

static gboolean
rb_filter_transport_execute(RbMmcTransport *transport,
			    const guint8 *cdb,
			    gsize cdb_len,
			    RbMmcDirection direction,
			    guint8 *buffer,
			    gsize buffer_len,
			    guint timeout_ms,
			    RbMmcResult *result,
			    GError **error)
{
	RbFilterTransport *self = RB_FILTER_TRANSPORT(transport);

	if (!rb_mmc_transport_execute(self->inner,
				      cdb,
				      cdb_len,
				      direction,
				      buffer,
				      buffer_len,
				      timeout_ms,
				      result,
				      error))
		return FALSE;
	if (result->status != 0)
		return TRUE;
	if (self->not_erasable && cdb[0] == RB_MMC_READ_DISC_INFORMATION && buffer_len > 2)
		buffer[2] &= (guint8)~0x10;
	if (self->no_cd_rw && cdb[0] == RB_MMC_GET_CONFIGURATION)
		rb_filter_profiles(buffer, buffer_len);
	return TRUE;
}

static void
rb_filter_transport_dispose(GObject *object)
{
	g_clear_object(&RB_FILTER_TRANSPORT(object)->inner);
	G_OBJECT_CLASS(rb_filter_transport_parent_class)->dispose(object);
}

static void
rb_filter_transport_class_init(RbFilterTransportClass *klass)
{
	G_OBJECT_CLASS(klass)->dispose = rb_filter_transport_dispose;
	RB_MMC_TRANSPORT_CLASS(klass)->execute = rb_filter_transport_execute;
}

static void
rb_filter_transport_init(RbFilterTransport *self)
{
}

/* --- helpers ------------------------------------------------------------------------------- */

typedef struct {
	RbVdrive *drive;
	RbFilterTransport *transport;
	RbEraseProgress progress;
} RbEraseFixture;

static void
rb_fixture_setup(RbEraseFixture *f, const gchar *spec_text)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RbVirtualSpec) spec = rb_virtual_spec_parse(spec_text, &error);

	ck_assert_msg(spec != NULL, "%s", error != NULL ? error->message : "");
	f->drive = rb_vdrive_new(spec);
	f->transport = g_object_new(RB_TYPE_FILTER_TRANSPORT, NULL);
	f->transport->inner = rb_vdrive_transport_new(f->drive);
	rb_erase_progress_init(&f->progress);
}

static void
rb_fixture_teardown(RbEraseFixture *f)
{
	rb_erase_progress_clear(&f->progress);
	g_clear_object(&f->transport);
	g_clear_object(&f->drive);
}

static RbEraseJob *
rb_job_new(RbEraseFixture *f)
{
	RbEraseJob *job = g_new0(RbEraseJob, 1);

	job->name = g_strdup("virtual0");
	job->progress = &f->progress;
	return job;
}

#define RB_ASSERT_ERROR(err_, code_)                                                               \
	do {                                                                                       \
		const GError *e_ = (err_);                                                         \
		ck_assert_msg(e_ != NULL, "expected error %d, got none", (gint)(code_));           \
		ck_assert_msg(g_error_matches(e_, RB_ERROR, (gint)(code_)),                        \
			      "expected error %d, got %s %d: %s",                                  \
			      (gint)(code_),                                                       \
			      g_quark_to_string(e_->domain),                                       \
			      e_->code,                                                            \
			      e_->message);                                                        \
	} while (0)

/* --- tests ------------------------------------------------------------------------------------ */

/* unfiltered, the emulated CD-RW blanks: the filter alone makes the refusals below */
START_TEST(test_erase_drive_blanks)
{
	RbEraseFixture f;
	g_autoptr(RbEraseJob) job = NULL;
	g_autoptr(GError) error = NULL;

	rb_fixture_setup(&f, "media=cd-rw-80,realtime=false");
	job = rb_job_new(&f);
	ck_assert_msg(rb_erase_drive_run(RB_MMC_TRANSPORT(f.transport), job, &error),
		      "%s",
		      error->message);
	ck_assert_uint_eq(rb_vdrive_get_command_count(f.drive, RB_MMC_BLANK), 1);
	ck_assert(job->state_after->media_blank);
	rb_fixture_teardown(&f);
}
END_TEST

/* a CD-RW the drive says it cannot erase: IMAPI's E_IMAPI_ERASE_MEDIA_IS_NOT_ERASABLE */
START_TEST(test_erase_drive_not_erasable)
{
	RbEraseFixture f;
	g_autoptr(RbEraseJob) job = NULL;
	g_autoptr(GError) error = NULL;

	rb_fixture_setup(&f, "media=cd-rw-80,realtime=false");
	f.transport->not_erasable = TRUE;
	job = rb_job_new(&f);
	ck_assert(!rb_erase_drive_run(RB_MMC_TRANSPORT(f.transport), job, &error));
	RB_ASSERT_ERROR(error, RB_ERROR_ERASE_MEDIA_IS_NOT_ERASABLE);
	ck_assert_uint_eq(rb_vdrive_get_command_count(f.drive, RB_MMC_BLANK), 0);
	ck_assert(!rb_vdrive_get_prevent_removal(f.drive));
	rb_fixture_teardown(&f);
}
END_TEST

/* a drive without the CD-RW profile cannot blank, whatever is in it */
START_TEST(test_erase_drive_recorder_not_supported)
{
	RbEraseFixture f;
	g_autoptr(RbEraseJob) job = NULL;
	g_autoptr(GError) error = NULL;

	rb_fixture_setup(&f, "media=cd-rw-80,realtime=false");
	f.transport->no_cd_rw = TRUE;
	job = rb_job_new(&f);
	ck_assert(!rb_erase_drive_run(RB_MMC_TRANSPORT(f.transport), job, &error));
	RB_ASSERT_ERROR(error, RB_ERROR_ERASE_RECORDER_NOT_SUPPORTED);
	ck_assert_uint_eq(rb_vdrive_get_command_count(f.drive, RB_MMC_BLANK), 0);
	rb_fixture_teardown(&f);
}
END_TEST

/*
 * A complete disc: READ DISC INFORMATION gives FF:FF:FF for both addresses
 * (the probe keeps 0), the ATIP still has them. A full blank of an
 * 80-minute disc at 48x (3600 sectors a second): from the lead-in at
 * 97:34:23 to 90 s past 79:59:74, 377676 sectors, 105 s.
 */
START_TEST(test_erase_drive_estimate)
{
	g_autoptr(RbDriveState) complete = rb_drive_state_new();
	RbMmcAtip atip = {0};
	const RbMsf leadin = {97, 34, 23};
	const RbMsf leadout = {79, 59, 74};

	complete->current_write_speed = 3600;
	atip.leadin_start_lba = rb_msf_to_lba(leadin);
	atip.last_leadout_lba = rb_msf_to_lba(leadout);
	ck_assert_int_eq(atip.leadin_start_lba, -11077);
	ck_assert_int_eq(rb_erase_estimate_seconds(complete, &atip, TRUE), 105);
	/* minimal: the lead-in and the first pregap, 11227 sectors */
	ck_assert_int_eq(rb_erase_estimate_seconds(complete, &atip, FALSE), 4);
	/* no ATIP: a nominal 80-minute disc, lead-in 97:32:00 */
	ck_assert_int_eq(rb_erase_estimate_seconds(complete, NULL, TRUE), 105);
	ck_assert_int_eq(rb_erase_estimate_seconds(complete, NULL, FALSE), 4);
	/* a blank disc's READ DISC INFORMATION: a 74-minute one */
	complete->leadin_start = -11625;
	complete->last_leadout_start = 332850;
	ck_assert_int_eq(rb_erase_estimate_seconds(complete, NULL, TRUE), 98);
	/* and 1x when the drive names no speed */
	complete->current_write_speed = 0;
	ck_assert_int_eq(rb_erase_estimate_seconds(complete, NULL, FALSE), 157);
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("erase-drive");
	TCase *tc = tcase_create("erase-drive");

	tcase_add_test(tc, test_erase_drive_blanks);
	tcase_add_test(tc, test_erase_drive_not_erasable);
	tcase_add_test(tc, test_erase_drive_recorder_not_supported);
	tcase_add_test(tc, test_erase_drive_estimate);
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
