/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * No allocation per WRITE: the write job's reader and writer threads
 * ("rb-job-reader", "rb-job-writer") allocate as much for a stream of 30,000
 * program sectors as for one of 3,000, from a file and from a pipe. The
 * heap functions are interposed in this program and count the calls made on
 * those threads only; the main loop, GLib's workers, the coordinator and
 * the test's own feeder are not counted.
 *
 * AddressSanitizer owns malloc() itself and breaks under interposition, so
 * the sanitizer build counts through the hooks it calls on every
 * allocation instead.
 */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "rb-dao-stream.h"
#include "rb-mmc-cdb.h"
#include "rb-test-service.h"
#include "rb-vdrive-transport.h"
#include "rb-write-job.h"

#if defined(__SANITIZE_ADDRESS__)
#define RB_SANITIZER_HEAP 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RB_SANITIZER_HEAP 1
#endif
#endif
#ifndef RB_SANITIZER_HEAP
#define RB_SANITIZER_HEAP 0
#endif

#define RB_SPEC "media=cd-r-80,realtime=false"
#define RB_SHORT_SECTORS 3000
#define RB_LONG_SECTORS 30000
/* the MMC layer's one-second finishing polls take 10 ms */
#define RB_TIME_SCALE 0.01

/* ---- the counting heap ---- */

static guint64 rb_worker_allocs;
static __thread gboolean rb_is_worker;

/* a thread is the job's worker once it carries the name GLib gives it at
 * its start; only a "yes" is cached, as the name comes after the first
 * allocations of a new thread. prctl() rather than pthread_getname_np(),
 * which opens a file in /proc */
static void
rb_heap_count(void)
{
	char name[17] = {0};

	if (!rb_is_worker && prctl(PR_GET_NAME, name, 0, 0, 0) == 0 &&
	    strncmp(name, "rb-job-", 7) == 0)
		rb_is_worker = TRUE;
	if (rb_is_worker)
		__atomic_add_fetch(&rb_worker_allocs, 1, __ATOMIC_RELAXED);
}

static guint64
rb_worker_allocs_get(void)
{
	return __atomic_load_n(&rb_worker_allocs, __ATOMIC_SEQ_CST);
}

#if RB_SANITIZER_HEAP

/* the sanitizer's own hooks, run on every allocation it serves (declared
 * in its allocator_interface.h, which Debian's GCC does not ship) */
int __sanitizer_install_malloc_and_free_hooks(void (*malloc_hook)(const volatile void *, size_t),
					      void (*free_hook)(const volatile void *));

static void
rb_sanitizer_malloc_hook(const volatile void *ptr, size_t size)
{
	rb_heap_count();
}

/* the sanitizer takes both hooks or none */
static void
rb_sanitizer_free_hook(const volatile void *ptr)
{
}

static void
rb_heap_counting_start(void)
{
	if (__sanitizer_install_malloc_and_free_hooks(rb_sanitizer_malloc_hook,
						      rb_sanitizer_free_hook) == 0)
		g_error("the sanitizer refused the allocation hooks: nothing could be counted");
}

#else

static void *(*rb_real_malloc)(size_t);
static void *(*rb_real_calloc)(size_t, size_t);
static void *(*rb_real_realloc)(void *, size_t);
static void (*rb_real_free)(void *);
static int (*rb_real_posix_memalign)(void **, size_t, size_t);
static void *(*rb_real_aligned_alloc)(size_t, size_t);
static void *(*rb_real_memalign)(size_t, size_t);

/* dlsym() may calloc() before the real calloc is known */
static _Alignas(16) unsigned char rb_bootstrap[4096];
static size_t rb_bootstrap_used;

/* obsolete, so not declared by <stdlib.h>, yet still called */
void *memalign(size_t alignment, size_t size);

static void
rb_heap_resolve(void)
{
	static gboolean resolving;

	if (rb_real_free != NULL || resolving)
		return;
	resolving = TRUE;
	rb_real_calloc = dlsym(RTLD_NEXT, "calloc");
	rb_real_malloc = dlsym(RTLD_NEXT, "malloc");
	rb_real_realloc = dlsym(RTLD_NEXT, "realloc");
	rb_real_posix_memalign = dlsym(RTLD_NEXT, "posix_memalign");
	rb_real_aligned_alloc = dlsym(RTLD_NEXT, "aligned_alloc");
	rb_real_memalign = dlsym(RTLD_NEXT, "memalign");
	rb_real_free = dlsym(RTLD_NEXT, "free");
	resolving = FALSE;
}

static void *
rb_bootstrap_alloc(size_t size)
{
	size_t at = (rb_bootstrap_used + 15) & ~(size_t)15;

	if (at + size > sizeof(rb_bootstrap))
		return NULL;
	rb_bootstrap_used = at + size;
	return rb_bootstrap + at;
}

static gboolean
rb_from_bootstrap(const void *ptr)
{
	return (const unsigned char *)ptr >= rb_bootstrap &&
	       (const unsigned char *)ptr < rb_bootstrap + sizeof(rb_bootstrap);
}

void *
malloc(size_t size)
{
	rb_heap_resolve();
	if (rb_real_malloc == NULL)
		return rb_bootstrap_alloc(size);
	rb_heap_count();
	return rb_real_malloc(size);
}

void *
calloc(size_t n, size_t size)
{
	rb_heap_resolve();
	if (rb_real_calloc == NULL)
		return rb_bootstrap_alloc(n * size); /* zeroed: static storage */
	rb_heap_count();
	return rb_real_calloc(n, size);
}

void *
realloc(void *ptr, size_t size)
{
	rb_heap_resolve();
	if (rb_from_bootstrap(ptr)) {
		void *moved = malloc(size);
		if (moved != NULL)
			memcpy(moved,
			       ptr,
			       MIN(size,
				   (size_t)(rb_bootstrap + sizeof(rb_bootstrap) -
					    (unsigned char *)ptr)));
		return moved;
	}
	rb_heap_count();
	return rb_real_realloc(ptr, size);
}

void
free(void *ptr)
{
	if (ptr == NULL || rb_from_bootstrap(ptr))
		return;
	rb_heap_resolve();
	rb_real_free(ptr);
}

int
posix_memalign(void **out, size_t alignment, size_t size)
{
	rb_heap_resolve();
	rb_heap_count();
	return rb_real_posix_memalign(out, alignment, size);
}

void *
aligned_alloc(size_t alignment, size_t size)
{
	rb_heap_resolve();
	rb_heap_count();
	return rb_real_aligned_alloc(alignment, size);
}

void *
memalign(size_t alignment, size_t size)
{
	rb_heap_resolve();
	rb_heap_count();
	return rb_real_memalign(alignment, size);
}

/* the interposed functions above count from the start */
static void
rb_heap_counting_start(void)
{
}

#endif

/* ---- a burn ---- */

static gboolean
rb_pattern_main(gint32 lba, guint8 *main_data, gpointer user_data, GError **error)
{
	for (guint i = 0; i < RB_CD_MAIN_SIZE; i++)
		main_data[i] = (guint8)(lba * 7 + i);
	return TRUE;
}

/* the stream's every sector into @fd; FALSE when the reader went away */
static gboolean
rb_write_stream(const RbDaoStream *stream, gint fd)
{
	gsize ss = rb_dao_stream_get_sector_size(stream);
	g_autofree guint8 *buf = g_malloc(256 * ss);
	gint32 end = rb_dao_stream_get_end_lba(stream);

	for (gint32 lba = rb_dao_stream_get_first_lba(stream); lba < end;) {
		guint n = (guint)MIN(256, end - lba);
		gsize len = n * ss;
		gsize done = 0;

		ck_assert(rb_dao_stream_get_sectors(stream, lba, n, buf, NULL));
		while (done < len) {
			gssize w = write(fd, buf + done, len - done);
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				return FALSE;
			done += (gsize)w;
		}
		lba += (gint32)n;
	}
	return TRUE;
}

typedef struct {
	const RbDaoStream *stream;
	gint fd;
} RbFeeder;

static gpointer
rb_feeder_thread(gpointer user_data)
{
	RbFeeder *feeder = user_data;

	rb_write_stream(feeder->stream, feeder->fd);
	close(feeder->fd);
	return NULL;
}

static void
rb_done_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(GError) error = NULL;
	GMainLoop *loop = user_data;

	ck_assert_msg(rb_write_job_run_finish(RB_WRITE_JOB(source), result, &error),
		      "%s",
		      error != NULL ? error->message : "");
	g_main_loop_quit(loop);
}

/* burns @program_sectors from a pipe or a file; the workers' allocations */
static guint64
rb_burn(guint program_sectors, gboolean pipe_stream)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RbVirtualSpec) spec = rb_virtual_spec_parse(RB_SPEC, &error);
	g_autoptr(RbVdrive) drive = NULL;
	g_autoptr(RbMmcTransport) transport = NULL;
	g_autoptr(RbDaoStream) stream = NULL;
	g_autoptr(RbWriteJob) job = NULL;
	g_autoptr(GMainContext) context = g_main_context_new();
	g_autoptr(GMainLoop) loop = g_main_loop_new(context, FALSE);
	const RbDaoTrack track = {0, program_sectors};
	RbFeeder feeder = {NULL, -1};
	GThread *feeder_thread = NULL;
	RbWriteJobParams params = {0};
	RbWriteProgress progress;
	guint64 before;
	guint64 after;
	gint fd;

	ck_assert_msg(spec != NULL, "%s", error ? error->message : "");
	drive = rb_vdrive_new(spec);
	transport = rb_vdrive_transport_new(drive);
	stream = rb_dao_stream_new(rb_vdrive_get_leadin_start(drive),
				   &track,
				   1,
				   rb_mmc_imapi_sector_type_to_dbt(3),
				   rb_pattern_main,
				   NULL,
				   NULL,
				   &error);
	ck_assert_msg(stream != NULL, "%s", error ? error->message : "");
	if (pipe_stream) {
		gint fds[2];

		ck_assert_int_eq(pipe(fds), 0);
		feeder.stream = stream;
		feeder.fd = fds[1];
		feeder_thread = g_thread_new("test-feeder", rb_feeder_thread, &feeder);
		fd = fds[0];
	} else {
		g_autofree gchar *path = NULL;

		fd = g_file_open_tmp("rawburn-alloc-XXXXXX", &path, &error);
		ck_assert_msg(fd >= 0, "%s", error ? error->message : "");
		unlink(path);
		ck_assert(rb_write_stream(stream, fd));
		ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
	}
	params.fd = fd;
	params.stream_first_lba = rb_dao_stream_get_first_lba(stream);
	params.sector_type = 3;
	params.leadin_start_lba = rb_vdrive_get_leadin_start(drive);
	params.last_leadout_start_lba = rb_vdrive_get_last_leadout_start(drive);
	params.bufe = TRUE;
	params.write_speed_kbps = RB_MMC_SPEED_MAX;
	params.rotation = RB_MMC_ROTATION_CLV;
	params.write_rate_sectors = 52 * 75;
	params.preflight = RB_PREFLIGHT_LEAD_IN;
	job = rb_write_job_new(transport, &params, &error);
	ck_assert_msg(job != NULL, "%s", error ? error->message : "");
	close(fd);
	rb_write_job_set_time_scale(job, RB_TIME_SCALE);

	g_main_context_push_thread_default(context);
	before = rb_worker_allocs_get();
	rb_write_job_run_async(job, NULL, rb_done_cb, loop);
	g_main_loop_run(loop);
	after = rb_worker_allocs_get();
	g_main_context_pop_thread_default(context);
	rb_write_job_get_progress(job, &progress);
	/* the whole stream went to the drive, its lead-out included */
	ck_assert_int_eq(progress.last_written_lba, rb_dao_stream_get_end_lba(stream) - 1);
	if (feeder_thread != NULL)
		g_thread_join(feeder_thread);
	return after - before;
}

static void
rb_assert_flat(gboolean pipe_stream)
{
	const gchar *what = pipe_stream ? "pipe" : "file";
	guint64 short_allocs;
	guint64 long_allocs;

	/* a first burn, uncounted: GLib's and the drive's one-time set-up */
	rb_burn(RB_SHORT_SECTORS, pipe_stream);
	short_allocs = rb_burn(RB_SHORT_SECTORS, pipe_stream);
	long_allocs = rb_burn(RB_LONG_SECTORS, pipe_stream);
	g_printerr("write-alloc (%s): the workers allocated %" G_GUINT64_FORMAT
		   " times for %u program sectors, %" G_GUINT64_FORMAT " times for %u\n",
		   what,
		   short_allocs,
		   RB_SHORT_SECTORS,
		   long_allocs,
		   RB_LONG_SECTORS);
	/* the counting sees the workers at all: a thread start allocates */
	ck_assert_uint_gt(short_allocs, 0);
	ck_assert_msg(long_allocs == short_allocs,
		      "from a %s, the workers allocated %" G_GUINT64_FORMAT
		      " times for %u program sectors but %" G_GUINT64_FORMAT
		      " times for %u: something allocates per WRITE or per read",
		      what,
		      short_allocs,
		      RB_SHORT_SECTORS,
		      long_allocs,
		      RB_LONG_SECTORS);
}

START_TEST(test_write_alloc_file)
{
	rb_assert_flat(FALSE);
}
END_TEST

START_TEST(test_write_alloc_pipe)
{
	rb_assert_flat(TRUE);
}
END_TEST

int
main(int argc, char **argv)
{
	Suite *suite = suite_create("write-alloc");
	TCase *tc = tcase_create("write-alloc");

	rb_heap_counting_start();
	tcase_set_timeout(tc, RB_TEST_TIMEOUT_SECONDS * 4);
	tcase_add_test(tc, test_write_alloc_file);
	tcase_add_test(tc, test_write_alloc_pipe);
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
