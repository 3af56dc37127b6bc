/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * rawburn-vdrive-run [--media KIND] [--speed N] [--fast] [--disc FILE] [--export FILE]
 *                    PROGRAM [ARG…]
 *
 * Runs any program with an emulated CD recorder at /dev/sr0 (and /dev/sg0,
 * /dev/cdrom, /dev/scd0): the program's SG_IO and CDROM_SEND_PACKET reach
 * RbVdrive, and libudev shows it a CD-RW drive. The tool puts itself under
 * umockdev's preload library, builds the testbed, runs the program (which
 * inherits LD_PRELOAD and $UMOCKDEV_DIR), answers its ioctls on umockdev's
 * worker thread until it exits, and exits with its status. --disc inserts a
 * written disc (an image as --export and ExportImage write it) first;
 * --export writes the disc out when the program has ended. A developer's
 * tool and a test helper; not installed.
 */
#include "config.h"

#define G_LOG_DOMAIN "rawburn-vdrive-run"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rb-umockdev-drive.h"

/* what a shell answers for a program it cannot run */
#define RB_RUN_EXIT_CANNOT_RUN 127
#define RB_RUN_EXIT_USAGE 2

typedef struct {
	GMainLoop *loop;
	GPid pid;
	gint wait_status;
	gboolean exited;
} RbRun;

static void
rb_run_on_child_exit(GPid pid, gint wait_status, gpointer user_data)
{
	RbRun *run = user_data;

	run->wait_status = wait_status;
	run->exited = TRUE;
	g_spawn_close_pid(pid);
	g_main_loop_quit(run->loop);
}

/* a terminal's ^C reaches the whole process group anyway; kill(1) or a
 * service manager signals only us, and the program must hear it too */
static gboolean
rb_run_forward_signal(RbRun *run, gint signum)
{
	if (!run->exited)
		kill(run->pid, signum);
	return G_SOURCE_CONTINUE;
}

static gboolean
rb_run_on_sigint(gpointer user_data)
{
	return rb_run_forward_signal(user_data, SIGINT);
}

static gboolean
rb_run_on_sigterm(gpointer user_data)
{
	return rb_run_forward_signal(user_data, SIGTERM);
}

static gboolean
rb_run_on_sighup(gpointer user_data)
{
	return rb_run_forward_signal(user_data, SIGHUP);
}

/* the program's wait status as an exit status, the way shells report it */
static gint
rb_run_exit_status(gint wait_status)
{
	if (WIFEXITED(wait_status))
		return WEXITSTATUS(wait_status);
	if (WIFSIGNALED(wait_status))
		return 128 + WTERMSIG(wait_status);
	return EXIT_FAILURE;
}

static RbVirtualSpec *
rb_run_make_spec(const gchar *media, const gchar *speed, GError **error)
{
	g_autoptr(RbVirtualSpec) spec = rb_virtual_spec_new();

	if (media != NULL && !rb_virtual_media_from_string(media, &spec->media, error))
		return NULL;
	if (speed != NULL) {
		guint64 value = 0;

		if (!g_ascii_string_to_unsigned(speed, 10, 1, RB_VIRTUAL_SPEED_MAX, &value, NULL)) {
			g_set_error(error,
				    G_OPTION_ERROR,
				    G_OPTION_ERROR_BAD_VALUE,
				    "--speed needs a whole number from 1 to %u, not “%s”",
				    (guint)RB_VIRTUAL_SPEED_MAX,
				    speed);
			return NULL;
		}
		spec->max_speed = (guint)value;
	}
	return g_steal_pointer(&spec);
}

/* the drive's validation report, for a developer checking a burner */
static void
rb_run_print_report(RbVdrive *vdrive)
{
	RbVdriveReport report;
	g_autoptr(GString) p_kinds = g_string_new(NULL);

	rb_vdrive_get_report(vdrive, &report);
	g_printerr("rawburn-vdrive-run: %" G_GUINT64_FORMAT " sectors written from LBA %d: "
		   "%" G_GUINT64_FORMAT " lead-in, %" G_GUINT64_FORMAT
		   " program, %" G_GUINT64_FORMAT
		   " lead-out (from LBA %d); %u tracks, %u lead-in TOC entries; disc %s\n",
		   report.sectors_written,
		   report.first_lba,
		   report.leadin_sectors,
		   report.program_sectors,
		   report.leadout_sectors,
		   report.leadout_start,
		   report.tracks,
		   report.toc_entries,
		   report.test_write ? "blank (a test write: nothing recorded)"
		   : report.complete ? "complete"
				     : "not complete");
	g_printerr("rawburn-vdrive-run: bad Q CRCs %" G_GUINT64_FORMAT
		   ", address mismatches %" G_GUINT64_FORMAT ", TOC mismatches %" G_GUINT64_FORMAT
		   ", TOC entries not repeated 3 times %u\n",
		   report.bad_q_crc,
		   report.address_mismatches,
		   report.toc_mismatches,
		   report.toc_short_runs);
	/* one write per line: the program may still be printing */
	for (guint kind = 0; kind < RB_VDRIVE_P_KINDS; kind++)
		g_string_append_printf(p_kinds,
				       "%s%s %u",
				       kind > 0 ? ", " : "",
				       rb_vdrive_p_kind_to_string((RbVdrivePKind)kind),
				       report.p_by_kind[kind]);
	g_printerr("rawburn-vdrive-run: relative time mismatches %u, sequence errors %u, "
		   "P mismatches %u (%s)\n",
		   report.relative_time_mismatches,
		   report.sequence_errors,
		   report.p_channel_mismatches,
		   p_kinds->str);
	g_printerr("rawburn-vdrive-run: MCN/ISRC frames %u, MCN/ISRC errors %u, CD-TEXT packs %u, "
		   "CD-TEXT CRC errors %u\n",
		   report.mcn_isrc_frames,
		   report.mcn_isrc_errors,
		   report.cdtext_packs,
		   report.cdtext_crc_errors);
	for (guint i = 0; i < report.n_problems; i++)
		g_printerr("rawburn-vdrive-run: problem at LBA %d: %s: %s\n",
			   report.problems[i].lba,
			   report.problems[i].kind,
			   report.problems[i].detail);
}

/* inserts the written disc in @path, as if a medium had been put in */
static gboolean
rb_run_load_disc(RbUmockdevDrive *drive, const gchar *path, RbVirtualMedia media, GError **error)
{
	gint fd = g_strcmp0(path, "-") == 0 ? dup(STDIN_FILENO) : open(path, O_RDONLY | O_CLOEXEC);
	gboolean ok;

	if (fd < 0) {
		g_set_error(error,
			    G_IO_ERROR,
			    g_io_error_from_errno(errno),
			    "cannot open the disc image “%s”: %s",
			    path,
			    g_strerror(errno));
		return FALSE;
	}
	ok = rb_vdrive_load_disc(
		rb_umockdev_drive_get_vdrive(drive), fd, media, RB_VDRIVE_FAULT_OFF, error);
	close(fd);
	if (!ok)
		g_prefix_error(error, "cannot load “%s”: ", path);
	else
		rb_umockdev_drive_announce_media(drive, media, "complete");
	return ok;
}

/* writes the disc out, if anything was recorded or loaded */
static gboolean
rb_run_export(RbUmockdevDrive *drive, const gchar *path, GError **error)
{
	RbVdrive *vdrive = rb_umockdev_drive_get_vdrive(drive);
	RbVdriveReport report;
	gint fd;
	gboolean ok;

	rb_vdrive_get_report(vdrive, &report);
	if (report.sectors_written == 0) {
		g_printerr("%s: nothing was recorded or loaded; “%s” is not written\n",
			   g_get_prgname(),
			   path);
		return TRUE;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		g_set_error(error,
			    G_IO_ERROR,
			    g_io_error_from_errno(errno),
			    "cannot create “%s”: %s",
			    path,
			    g_strerror(errno));
		return FALSE;
	}
	ok = rb_vdrive_export_image(vdrive, fd, error);
	if (close(fd) != 0 && ok) {
		g_set_error(error,
			    G_IO_ERROR,
			    g_io_error_from_errno(errno),
			    "cannot write “%s”: %s",
			    path,
			    g_strerror(errno));
		ok = FALSE;
	}
	return ok;
}

int
main(int argc, char **argv)
{
	g_autofree gchar *media = NULL;
	g_autofree gchar *speed = NULL;
	gboolean opt_report = FALSE;
	gboolean opt_fast = FALSE;
	g_autofree gchar *disc = NULL;
	g_autofree gchar *export_path = NULL;
	g_auto(GStrv) command = NULL;
	const GOptionEntry entries[] = {
		{"media",
		 'm',
		 G_OPTION_FLAG_NONE,
		 G_OPTION_ARG_STRING,
		 &media,
		 "The medium in the drive: none, cd-r-74, cd-r-80 (default), cd-rw-74 or "
		 "cd-rw-80",
		 "KIND"},
		{"speed",
		 's',
		 G_OPTION_FLAG_NONE,
		 G_OPTION_ARG_STRING,
		 &speed,
		 "The drive's highest speed, 1 to 52 (default 48)",
		 "N"},
		{"disc",
		 'd',
		 G_OPTION_FLAG_NONE,
		 G_OPTION_ARG_FILENAME,
		 &disc,
		 "Insert this written disc first: 2448-byte sectors from the lead-in "
		 "start, as --export writes them (“-” reads standard input); --media "
		 "gives the medium kind",
		 "FILE"},
		{"export",
		 'e',
		 G_OPTION_FLAG_NONE,
		 G_OPTION_ARG_FILENAME,
		 &export_path,
		 "When PROGRAM ends, write the disc to FILE (if anything was recorded "
		 "or loaded)",
		 "FILE"},
		{"report",
		 'r',
		 G_OPTION_FLAG_NONE,
		 G_OPTION_ARG_NONE,
		 &opt_report,
		 "When PROGRAM ends, print what a reader would see of the recording",
		 NULL},
		{"fast",
		 'f',
		 G_OPTION_FLAG_NONE,
		 G_OPTION_ARG_NONE,
		 &opt_fast,
		 "No real-time pacing: the drive takes data as fast as it comes and is done "
		 "as soon as the cache is flushed",
		 NULL},
		{G_OPTION_REMAINING,
		 0,
		 G_OPTION_FLAG_NONE,
		 G_OPTION_ARG_STRING_ARRAY,
		 &command,
		 NULL,
		 "PROGRAM [ARG…]"},
		{NULL},
	};
	g_autoptr(GOptionContext) context = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(RbVirtualSpec) spec = NULL;
	g_autoptr(RbUmockdevDrive) drive = NULL;
	g_autoptr(GMainLoop) loop = NULL;
	g_auto(GStrv) envp = NULL;
	RbRun run = {0};

	setlocale(LC_ALL, "");

	/* first, so that everything below, the uevents included, is faked */
	if (!rb_umockdev_drive_ensure_preload(argv, &error)) {
		g_printerr("%s: %s\n", argv[0], error->message);
		return EXIT_FAILURE;
	}

	context = g_option_context_new(NULL);
	g_option_context_set_summary(context,
				     "Run PROGRAM with an emulated CD recorder at /dev/sr0 and "
				     "/dev/sg0.");
	/* options after PROGRAM are PROGRAM's */
	g_option_context_set_strict_posix(context, TRUE);
	g_option_context_add_main_entries(context, entries, NULL);
	if (!g_option_context_parse(context, &argc, &argv, &error)) {
		g_printerr("%s: %s\n", g_get_prgname(), error->message);
		return RB_RUN_EXIT_USAGE;
	}
	if (command == NULL || command[0] == NULL) {
		g_printerr("%s: no PROGRAM to run; see --help\n", g_get_prgname());
		return RB_RUN_EXIT_USAGE;
	}
	spec = rb_run_make_spec(media, speed, &error);
	if (spec == NULL) {
		g_printerr("%s: %s\n", g_get_prgname(), error->message);
		return RB_RUN_EXIT_USAGE;
	}
	if (opt_fast)
		spec->realtime = FALSE;

	drive = rb_umockdev_drive_new(spec, &error);
	if (drive == NULL) {
		g_printerr("%s: cannot set up the emulated drive: %s\n",
			   g_get_prgname(),
			   error->message);
		return EXIT_FAILURE;
	}
	if (disc != NULL) {
		RbVirtualMedia media = spec->media;

		/* a disc needs a medium kind even when the drive starts empty */
		if (media == RB_VIRTUAL_MEDIA_NONE)
			media = RB_VIRTUAL_MEDIA_CD_R_80;
		if (!rb_run_load_disc(drive, disc, media, &error)) {
			g_printerr("%s: %s\n", g_get_prgname(), error->message);
			return EXIT_FAILURE;
		}
	}

	/* the environment now holds $UMOCKDEV_DIR, and LD_PRELOAD since the
	 * re-exec; the program needs both */
	envp = g_get_environ();
	if (!g_spawn_async(NULL,
			   command,
			   envp,
			   G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD |
				   G_SPAWN_CHILD_INHERITS_STDIN,
			   NULL,
			   NULL,
			   &run.pid,
			   &error)) {
		g_printerr(
			"%s: cannot run “%s”: %s\n", g_get_prgname(), command[0], error->message);
		return RB_RUN_EXIT_CANNOT_RUN;
	}

	loop = g_main_loop_new(NULL, FALSE);
	run.loop = loop;
	g_child_watch_add(run.pid, rb_run_on_child_exit, &run);
	g_unix_signal_add(SIGINT, rb_run_on_sigint, &run);
	g_unix_signal_add(SIGTERM, rb_run_on_sigterm, &run);
	g_unix_signal_add(SIGHUP, rb_run_on_sighup, &run);
	/* the ioctls are served on umockdev's own thread; this loop only
	 * waits for the program */
	g_main_loop_run(loop);

	if (opt_report)
		rb_run_print_report(rb_umockdev_drive_get_vdrive(drive));
	if (export_path != NULL && !rb_run_export(drive, export_path, &error)) {
		g_printerr("%s: %s\n", g_get_prgname(), error->message);
		return EXIT_FAILURE;
	}
	return rb_run_exit_status(run.wait_status);
}
