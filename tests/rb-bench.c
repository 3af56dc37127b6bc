/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the `make bench` programs share (rb-bench.h).
 */
#include "config.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "rb-bench.h"

/* read/write in 128 KiB, as cat does */
#define RB_BENCH_COPY_BUFFER (128 * 1024)

gdouble
rb_bench_cat(const gchar *path)
{
	g_autofree guint8 *buf = g_malloc(RB_BENCH_COPY_BUFFER);
	gint in = open(path, O_RDONLY);
	gint out = open("/dev/null", O_WRONLY);
	gint64 started = g_get_monotonic_time();
	gssize n;

	if (in < 0 || out < 0)
		g_error("cannot open %s or /dev/null", path);
	while ((n = read(in, buf, RB_BENCH_COPY_BUFFER)) > 0) {
		if (write(out, buf, (gsize)n) != n)
			g_error("write to /dev/null failed");
	}
	close(in);
	close(out);
	return (gdouble)(g_get_monotonic_time() - started) / G_USEC_PER_SEC;
}

gint
rb_bench_compare(gconstpointer a, gconstpointer b)
{
	gdouble x = *(const gdouble *)a;
	gdouble y = *(const gdouble *)b;

	return x < y ? -1 : x > y;
}

glong
rb_bench_maxrss_kib(void)
{
	struct rusage usage;

	getrusage(RUSAGE_SELF, &usage);
	return usage.ru_maxrss;
}
