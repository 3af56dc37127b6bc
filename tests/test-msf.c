/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * MSF <-> LBA, with the lead-in vectors of MMC.
 */
#include "config.h"

#include "rb-msf.h"
#include "rb-test-service.h"

typedef struct {
	RbMsf msf;
	gint32 lba;
} RbMsfVector;

static const RbMsfVector rb_msf_vectors[] = {
	{{0, 2, 0}, 0},
	{{0, 0, 0}, -150},
	{{0, 0, 74}, -76},
	{{97, 34, 23}, -11077}, /* a typical ATIP lead-in start */
	{{95, 0, 0}, -22650},   /* the first sector of a WriteMedia stream */
	{{90, 0, 0}, -45150},
	{{79, 59, 74}, 359849},
	{{89, 59, 74}, 404849},
};

START_TEST(test_msf_to_lba)
{
	for (guint i = 0; i < G_N_ELEMENTS(rb_msf_vectors); i++)
		ck_assert_int_eq(rb_msf_to_lba(rb_msf_vectors[i].msf), rb_msf_vectors[i].lba);
}
END_TEST

START_TEST(test_msf_from_lba)
{
	for (guint i = 0; i < G_N_ELEMENTS(rb_msf_vectors); i++) {
		RbMsf msf = {0};
		ck_assert(rb_msf_from_lba(rb_msf_vectors[i].lba, &msf));
		ck_assert_uint_eq(msf.minute, rb_msf_vectors[i].msf.minute);
		ck_assert_uint_eq(msf.second, rb_msf_vectors[i].msf.second);
		ck_assert_uint_eq(msf.frame, rb_msf_vectors[i].msf.frame);
	}
}
END_TEST

/* one assertion at the end: Check records every ck_assert, which is slow here */
START_TEST(test_msf_round_trip_every_address)
{
	guint failures = 0;
	gint32 first_failure = 0;

	for (gint32 lba = -45150; lba <= 404849; lba++) {
		RbMsf msf = {0};
		if (!rb_msf_from_lba(lba, &msf) || !rb_msf_is_valid(msf) ||
		    rb_msf_to_lba(msf) != lba) {
			if (failures++ == 0)
				first_failure = lba;
		}
	}
	ck_assert_msg(failures == 0,
		      "%u addresses do not round-trip, the first is %d",
		      failures,
		      first_failure);
}
END_TEST

START_TEST(test_msf_out_of_range)
{
	RbMsf msf = {1, 2, 3};
	RbMsf bad_frame = {10, 0, 75};
	RbMsf bad_second = {10, 60, 0};

	ck_assert(!rb_msf_from_lba(-45151, &msf));
	ck_assert(!rb_msf_from_lba(404850, &msf));
	/* untouched on failure */
	ck_assert_uint_eq(msf.minute, 1);
	ck_assert(!rb_msf_is_valid(bad_frame));
	ck_assert(!rb_msf_is_valid(bad_second));
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("msf");
	TCase *tc = tcase_create("msf");

	tcase_add_test(tc, test_msf_to_lba);
	tcase_add_test(tc, test_msf_from_lba);
	tcase_add_test(tc, test_msf_round_trip_every_address);
	tcase_add_test(tc, test_msf_out_of_range);
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
