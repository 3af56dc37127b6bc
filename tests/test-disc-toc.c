/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * PLACEHOLDER: filled by its issue's work.
 */
#include "config.h"

#include "rb-test-service.h"

int
main(void)
{
	Suite *suite = suite_create("disc-toc");
	TCase *tc = tcase_create("disc-toc");

	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
