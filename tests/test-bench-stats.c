/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The benchmark harness's statistics (tests/rb-bench.h): medians of odd
 * and even counts, the nearest-rank 99th percentile, ratios taken pair by
 * pair rather than of the medians, a figure without values, and names
 * escaped in JSON. Nothing here is timed.
 */
#include "config.h"

#include <check.h>
#include <string.h>

#include "rb-bench.h"
#include "rb-test-service.h"

static GArray *
rb_values(const gdouble *values, guint n)
{
	GArray *array = g_array_new(FALSE, FALSE, sizeof(gdouble));

	g_array_append_vals(array, values, n);
	return array;
}

/* a harness as a program gets it from its command line */
static RbBench *
rb_bench_with(const gchar *option)
{
	gchar *args[] = {(gchar *)"test-bench-stats", (gchar *)option, NULL};
	gchar **argv = args;
	gint argc = option != NULL ? 2 : 1;

	return rb_bench_new(&argc, &argv);
}

START_TEST(test_bench_median)
{
	const gdouble odd[] = {5, 1, 4, 2, 3};
	const gdouble even[] = {10, 1, 4, 2};
	g_autoptr(GArray) a = rb_values(odd, G_N_ELEMENTS(odd));
	g_autoptr(GArray) b = rb_values(even, G_N_ELEMENTS(even));
	g_autoptr(GArray) empty = g_array_new(FALSE, FALSE, sizeof(gdouble));

	ck_assert_double_eq(rb_bench_quantile(a, 0.5), 3);
	/* even: the mean of the middle two, not either of them */
	ck_assert_double_eq(rb_bench_quantile(b, 0.5), 3);
	ck_assert_double_eq(rb_bench_quantile(b, 0), 1);
	ck_assert_double_eq(rb_bench_quantile(b, 1), 10);
	ck_assert_double_eq(rb_bench_quantile(empty, 0.5), 0);
}
END_TEST

START_TEST(test_bench_p99)
{
	g_autoptr(GArray) hundred = g_array_new(FALSE, FALSE, sizeof(gdouble));
	g_autoptr(GArray) more = g_array_new(FALSE, FALSE, sizeof(gdouble));

	/* 1 … 100 shuffled: nearest rank 99 is 99 */
	for (guint i = 0; i < 100; i++) {
		gdouble v = (gdouble)((i * 37) % 100 + 1);
		g_array_append_val(hundred, v);
	}
	ck_assert_double_eq(rb_bench_quantile(hundred, 0.99), 99);
	/* 1 … 1000: rank 990, no interpolation */
	for (guint i = 1000; i >= 1; i--) {
		gdouble v = (gdouble)i;
		g_array_append_val(more, v);
	}
	ck_assert_double_eq(rb_bench_quantile(more, 0.99), 990);
	/* 1 … 10: rank ceil(9.9) = 10, the largest */
	g_array_set_size(more, 0);
	for (guint i = 1; i <= 10; i++) {
		gdouble v = (gdouble)i;
		g_array_append_val(more, v);
	}
	ck_assert_double_eq(rb_bench_quantile(more, 0.99), 10);
}
END_TEST

START_TEST(test_bench_pairwise_ratio)
{
	RbBench *bench = rb_bench_with("--json");
	RbBenchFigure *figure = rb_bench_figure_new(bench, "rate", "MB/s", "dd");
	g_autofree gchar *line = NULL;

	/* ratios 1, 0.5, 3: their median is 1; the medians' ratio would be 2 */
	rb_bench_figure_add_pair(figure, 1, 1);
	rb_bench_figure_add_pair(figure, 2, 4);
	rb_bench_figure_add_pair(figure, 3, 1);
	line = rb_bench_figure_format(figure);
	ck_assert_pstr_eq(line,
			  "{\"name\": \"rate\", \"unit\": \"MB/s\", \"median\": 2, \"min\": 1, "
			  "\"max\": 3, \"runs\": 3, \"baseline\": \"dd\", \"ratio\": 1, "
			  "\"ratio_min\": 0.5, \"ratio_max\": 3}");
	rb_bench_figure_report(figure);
	rb_bench_free(bench);
}
END_TEST

START_TEST(test_bench_text)
{
	RbBench *bench = rb_bench_with(NULL);
	RbBenchFigure *figure = rb_bench_figure_new(bench, "rate", "MB/s", "dd");
	RbBenchFigure *missing = rb_bench_figure_new(bench, "underruns", "", NULL);
	g_autofree gchar *line = NULL;
	g_autofree gchar *na = NULL;

	rb_bench_figure_add_pair(figure, 100, 200);
	rb_bench_figure_add_pair(figure, 300, 200);
	rb_bench_figure_set_target(figure, "≥ 0.6× dd");
	rb_bench_figure_set_target(missing, "0");
	line = rb_bench_figure_format(figure);
	ck_assert_pstr_eq(line, "rate: 200 MB/s (100–300) 1.00× dd (0.50–1.50) [target ≥ 0.6× dd]");
	/* a figure the code cannot give yet is not 0 */
	na = rb_bench_figure_format(missing);
	ck_assert_pstr_eq(na, "underruns: n/a [target 0]");
	rb_bench_figure_report(figure);
	rb_bench_figure_report(missing);
	rb_bench_free(bench);
}
END_TEST

START_TEST(test_bench_json_escape)
{
	RbBench *bench = rb_bench_with("--json");
	RbBenchFigure *figure =
		rb_bench_figure_new(bench, "a \"quoted\" \\ name\twith\ncontrols", "µs", NULL);
	g_autofree gchar *line = NULL;

	line = rb_bench_figure_format(figure);
	ck_assert_pstr_eq(line,
			  "{\"name\": \"a \\\"quoted\\\" \\\\ name\\u0009with\\u000acontrols\", "
			  "\"unit\": \"µs\", \"median\": null, \"min\": null, \"max\": null, "
			  "\"runs\": 0}");
	rb_bench_figure_report(figure);
	rb_bench_free(bench);
}
END_TEST

START_TEST(test_bench_runs_option)
{
	gchar *args[] = {(gchar *)"test-bench-stats", (gchar *)"--runs", (gchar *)"7", NULL};
	gchar **argv = args;
	gint argc = 3;
	RbBench *bench = rb_bench_new(&argc, &argv);

	ck_assert_uint_eq(rb_bench_get_runs(bench), 7);
	ck_assert(!rb_bench_get_json(bench));
	/* the options are taken out of the command line */
	ck_assert_int_eq(argc, 1);
	rb_bench_free(bench);
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("bench-stats");
	TCase *tc = tcase_create("stats");

	tcase_add_test(tc, test_bench_median);
	tcase_add_test(tc, test_bench_p99);
	tcase_add_test(tc, test_bench_pairwise_ratio);
	tcase_add_test(tc, test_bench_text);
	tcase_add_test(tc, test_bench_json_escape);
	tcase_add_test(tc, test_bench_runs_option);
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
