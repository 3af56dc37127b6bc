/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the `make bench` programs share: the baseline copy that stands for
 * `cat FILE > /dev/null`, sorting of timings, and the peak RSS.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* seconds to copy @path to /dev/null with read(2) and write(2) */
gdouble rb_bench_cat(const gchar *path);
/* for qsort() of gdouble */
gint rb_bench_compare(gconstpointer a, gconstpointer b);
/* the process's peak RSS so far */
glong rb_bench_maxrss_kib(void);

G_END_DECLS
