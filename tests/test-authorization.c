/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The authorization map on a private system bus with the installed bus
 * policy and a polkitd mock that behaves like polkitd (root always
 * authorized): every member of the map, called as nobody without the
 * action (NotAuthorized naming it, nothing changed), as nobody with it, and
 * as root with nothing allowed; polkit asked for exactly the member's
 * action, with user interaction only when the caller allowed it. Then the
 * lock rules of the virtual recorder's controls (B3), and removals that
 * land while a call waits for polkit (B2).
 *
 * Needs root (to run the service and to become nobody); exits 99 otherwise.
 */
#include "config.h"

#include <gio/gunixfdlist.h>
#include <string.h>
#include <unistd.h>

#include "rb-auth-map.h"
#include "rb-error.h"
#include "rb-test-client.h"

#define RB_V0 RB_DBUS_RECORDERS_PATH "/virtual0"
#define RB_V1 RB_DBUS_RECORDERS_PATH "/virtual1"
#define RB_MGR RB_DBUS_MANAGER_PATH
#define RB_M "org.rawburn.RawBurn1.Manager."
#define RB_R "org.rawburn.RawBurn1.Recorder."
#define RB_F "org.rawburn.RawBurn1.DiscFormat2RawCD."
#define RB_V "org.rawburn.RawBurn1.VirtualRecorder."
#define RB_E "org.rawburn.RawBurn1.DiscFormat2Erase."
#define RB_SET "org.freedesktop.DBus.Properties.Set"
#define RB_BURN RB_AUTHORITY_ACTION_BURN
#define RB_VIRTUAL RB_AUTHORITY_ACTION_MANAGE_VIRTUAL
#define RB_NOT_AUTHORIZED "ERROR " RB_DBUS_ERROR_PREFIX "NotAuthorized "
#define RB_PREPARED RB_V0 " " RB_F "PrepareMedia"
#define RB_J "org.rawburn.RawBurn1.Job."
#define RB_CANCEL_OTHER RB_AUTHORITY_ACTION_CANCEL_OTHER
/* the row of Job.Cancel: it needs another user's job, which
 * test_authorization_cancel_other makes and walks itself */
#define RB_JOB_ROW "/org/rawburn/RawBurn1/jobs/0"

static const gchar *const rb_args[] = {"--virtual-recorder",
				       "media=cd-r-80,realtime=false",
				       "--virtual-recorder",
				       "media=cd-r-80,realtime=false",
				       NULL};

/* one member of the map, called the way a client would */
typedef struct {
	const gchar *path;
	const gchar *member;  /* interface.member, or Properties.Set */
	const gchar *args;    /* GVariant text of the parameters */
	const gchar *fd;      /* rb-test-call --fd KIND, or NULL */
	const gchar *action;  /* what polkit must be asked; NULL: nothing */
	gboolean options;     /* an a{sv}: auth.no_user_interaction decides */
	gboolean prepared;    /* the allowed call needs its caller to hold the lock */
	const gchar *outcome; /* the start of the allowed call's answer */
	/* members without an action, called unprepared as nobody */
	const gchar *denied_outcome;
	/* the caller makes an image creator first (path NULL: the call goes to
	 * it), RB_WITH_TRACK: and a track from the fd (path NULL: to the track) */
	guint creator;
} RbMember;

#define RB_WITH_CREATOR 1
#define RB_WITH_TRACK 2
#define RB_C "org.rawburn.RawBurn1.RawCDImageCreator."
#define RB_T "org.rawburn.RawBurn1.RawCDImageTrackInfo."
#define RB_CREATORS "/org/rawburn/RawBurn1/image_creators/"
#define RB_CREATE RB_MGR " " RB_M "CreateImageCreator"

/* in an order where each leaves the recorders as the next needs them */
static const RbMember rb_members[] = {
	{RB_MGR, RB_M "GetRecorders", NULL, NULL, NULL, FALSE, FALSE, "OK ", "OK "},
	{RB_V0,
	 RB_SET,
	 "('org.rawburn.RawBurn1.DiscFormat2RawCD', 'ClientName', <'Matrix'>)",
	 NULL,
	 RB_BURN,
	 FALSE,
	 FALSE,
	 "OK ()"},
	{RB_V0,
	 RB_SET,
	 "('org.rawburn.RawBurn1.DiscFormat2RawCD', 'Preflight', <'full'>)",
	 NULL,
	 RB_BURN,
	 FALSE,
	 FALSE,
	 "OK ()"},
	{RB_V0,
	 RB_SET,
	 "('org.rawburn.RawBurn1.DiscFormat2RawCD', 'TestWrite', <true>)",
	 NULL,
	 RB_BURN,
	 FALSE,
	 FALSE,
	 "OK ()"},
	{RB_V0, RB_F "SetWriteSpeed", "(-1, false)", NULL, RB_BURN, FALSE, FALSE, "OK ()"},
	{RB_V0, RB_F "PrepareMedia", NULL, NULL, RB_BURN, FALSE, FALSE, "OK ()"},
	{RB_V0,
	 RB_SET,
	 "('org.rawburn.RawBurn1.DiscFormat2RawCD', 'RequestedSectorType', <uint32 3>)",
	 NULL,
	 RB_BURN,
	 FALSE,
	 TRUE,
	 "OK ()"},
	{RB_V0,
	 RB_SET,
	 "('org.rawburn.RawBurn1.DiscFormat2RawCD', 'BufferUnderrunFreeDisabled', <true>)",
	 NULL,
	 RB_BURN,
	 FALSE,
	 TRUE,
	 "OK ()"},
	/* an empty stream: authorized, then refused for what it is */
	{RB_V0,
	 RB_F "WriteMedia",
	 "(@h 0,)",
	 "pipe-eof",
	 RB_BURN,
	 FALSE,
	 TRUE,
	 "ERROR " RB_DBUS_ERROR_PREFIX "StreamNotSupported "},
	{RB_V0,
	 RB_F "WriteMedia2",
	 "(@h 0, 22650)",
	 "pipe-eof",
	 RB_BURN,
	 FALSE,
	 TRUE,
	 "ERROR " RB_DBUS_ERROR_PREFIX "StreamNotSupported "},
	{RB_V0,
	 RB_F "Burn",
	 "(@h 0, @a{sv} {})",
	 "pipe-eof",
	 RB_BURN,
	 TRUE,
	 FALSE,
	 "ERROR " RB_DBUS_ERROR_PREFIX "StreamNotSupported "},
	/* DiscFormat2Erase: authorized, then refused for the CD-R it finds */
	{RB_V0,
	 RB_SET,
	 "('org.rawburn.RawBurn1.DiscFormat2Erase', 'ClientName', <'Matrix'>)",
	 NULL,
	 RB_BURN,
	 FALSE,
	 FALSE,
	 "OK ()"},
	{RB_V0,
	 RB_SET,
	 "('org.rawburn.RawBurn1.DiscFormat2Erase', 'FullErase', <true>)",
	 NULL,
	 RB_BURN,
	 FALSE,
	 FALSE,
	 "OK ()"},
	{RB_V0,
	 RB_E "EraseMedia",
	 NULL,
	 NULL,
	 RB_BURN,
	 FALSE,
	 FALSE,
	 "ERROR " RB_DBUS_ERROR_PREFIX "EraseMediaIsNotSupported "},
	/* the disc is still blank: the read-back fails at its first sector */
	{RB_V0,
	 RB_F "VerifyMedia",
	 "(@h 0, @a{sv} {})",
	 "pipe-eof",
	 RB_BURN,
	 TRUE,
	 FALSE,
	 "ERROR " RB_DBUS_ERROR_PREFIX "BurnVerificationFailed "},
	/* the lock holder's own: no action */
	{RB_V0,
	 RB_F "CancelWrite",
	 NULL,
	 NULL,
	 NULL,
	 FALSE,
	 TRUE,
	 "ERROR " RB_DBUS_ERROR_PREFIX "WriteNotInProgress ",
	 "ERROR " RB_DBUS_ERROR_PREFIX "WriteNotInProgress "},
	{RB_V0,
	 RB_F "ReleaseMedia",
	 NULL,
	 NULL,
	 NULL,
	 FALSE,
	 TRUE,
	 "OK ()",
	 "ERROR " RB_DBUS_ERROR_PREFIX "MediaIsNotPrepared "},
	{RB_V0, RB_R "EjectMedia", NULL, NULL, RB_BURN, FALSE, FALSE, "OK ()"},
	{RB_V0, RB_R "CloseTray", NULL, NULL, RB_BURN, FALSE, FALSE, "OK ()"},
	{RB_V0,
	 RB_SET,
	 "('org.rawburn.RawBurn1.VirtualRecorder', 'Faults', <@a{sv} {}>)",
	 NULL,
	 RB_VIRTUAL,
	 FALSE,
	 FALSE,
	 "OK ()"},
	/* nothing was burned: authorized, then refused for that */
	{RB_V0,
	 RB_V "ExportImage",
	 "(@h 0,)",
	 "wfile",
	 RB_VIRTUAL,
	 FALSE,
	 FALSE,
	 "ERROR org.freedesktop.DBus.Error.InvalidArgs "},
	{RB_V0,
	 RB_SET,
	 "('org.rawburn.RawBurn1.VirtualRecorder', 'FinishingMilliseconds', <@u 10>)",
	 NULL,
	 RB_VIRTUAL,
	 FALSE,
	 FALSE,
	 "OK ()"},
	/* an empty image: authorized, then refused for that */
	{RB_V0,
	 RB_V "LoadDisc",
	 "(@h 0, @a{sv} {})",
	 "pipe-eof",
	 RB_VIRTUAL,
	 TRUE,
	 FALSE,
	 "ERROR org.freedesktop.DBus.Error.InvalidArgs "},
	{RB_V0, RB_V "RemoveMedia", NULL, NULL, RB_VIRTUAL, FALSE, FALSE, "OK ()"},
	{RB_V0, RB_V "InsertMedia", "('cd-rw-80',)", NULL, RB_VIRTUAL, FALSE, FALSE, "OK ()"},
	{RB_MGR,
	 RB_M "AddVirtualRecorder",
	 "(@a{sv} {},)",
	 NULL,
	 RB_VIRTUAL,
	 TRUE,
	 FALSE,
	 "OK (objectpath "},
	{RB_MGR,
	 RB_M "RemoveVirtualRecorder",
	 "(@o '" RB_V1 "',)",
	 NULL,
	 RB_VIRTUAL,
	 FALSE,
	 FALSE,
	 "OK ()"},
	/* the image creator: the owner's own, only producing the image asks */
	{RB_MGR,
	 RB_M "CreateImageCreator",
	 NULL,
	 NULL,
	 NULL,
	 FALSE,
	 FALSE,
	 "OK (objectpath '" RB_CREATORS,
	 "OK (objectpath '" RB_CREATORS},
	{NULL,
	 RB_C "AddTrack",
	 "(@u 0, @h 0)",
	 "track",
	 NULL,
	 FALSE,
	 FALSE,
	 "OK (1,)",
	 "OK (1,)",
	 RB_WITH_CREATOR},
	{NULL,
	 RB_C "AddSpecialPregap",
	 "(@h 0,)",
	 "track",
	 NULL,
	 FALSE,
	 FALSE,
	 "OK ()",
	 "OK ()",
	 RB_WITH_CREATOR},
	{NULL,
	 RB_C "AddSubcodeRWGenerator",
	 "(@h 0,)",
	 "track",
	 NULL,
	 FALSE,
	 FALSE,
	 "OK ()",
	 "OK ()",
	 RB_WITH_CREATOR},
	{NULL,
	 RB_SET,
	 "('org.rawburn.RawBurn1.RawCDImageCreator', 'ResultingImageType', <@u 3>)",
	 NULL,
	 NULL,
	 FALSE,
	 FALSE,
	 "OK ()",
	 "OK ()",
	 RB_WITH_CREATOR},
	{NULL,
	 RB_SET,
	 "('org.rawburn.RawBurn1.RawCDImageCreator', 'StartOfLeadoutLimit', <398099>)",
	 NULL,
	 NULL,
	 FALSE,
	 FALSE,
	 "OK ()",
	 "OK ()",
	 RB_WITH_CREATOR},
	{NULL,
	 RB_SET,
	 "('org.rawburn.RawBurn1.RawCDImageCreator', 'DisableGaplessAudio', <true>)",
	 NULL,
	 NULL,
	 FALSE,
	 FALSE,
	 "OK ()",
	 "OK ()",
	 RB_WITH_CREATOR},
	{NULL,
	 RB_SET,
	 "('org.rawburn.RawBurn1.RawCDImageCreator', 'MediaCatalogNumber', <'4006381333931'>)",
	 NULL,
	 NULL,
	 FALSE,
	 FALSE,
	 "OK ()",
	 "OK ()",
	 RB_WITH_CREATOR},
	{NULL,
	 RB_SET,
	 "('org.rawburn.RawBurn1.RawCDImageCreator', 'StartingTrackNumber', <2>)",
	 NULL,
	 NULL,
	 FALSE,
	 FALSE,
	 "OK ()",
	 "OK ()",
	 RB_WITH_CREATOR},
	{NULL,
	 RB_SET,
	 "('org.rawburn.RawBurn1.RawCDImageTrackInfo', 'ISRC', <'USRC17607839'>)",
	 "track",
	 NULL,
	 FALSE,
	 FALSE,
	 "OK ()",
	 "OK ()",
	 RB_WITH_TRACK},
	{NULL,
	 RB_SET,
	 "('org.rawburn.RawBurn1.RawCDImageTrackInfo', 'DigitalAudioCopySetting', <@u 0>)",
	 "track",
	 NULL,
	 FALSE,
	 FALSE,
	 "OK ()",
	 "OK ()",
	 RB_WITH_TRACK},
	{NULL,
	 RB_SET,
	 "('org.rawburn.RawBurn1.RawCDImageTrackInfo', 'AudioHasPreemphasis', <true>)",
	 "track",
	 NULL,
	 FALSE,
	 FALSE,
	 "OK ()",
	 "OK ()",
	 RB_WITH_TRACK},
	{NULL,
	 RB_T "AddTrackIndex",
	 "(150,)",
	 "track",
	 NULL,
	 FALSE,
	 FALSE,
	 "OK ()",
	 "OK ()",
	 RB_WITH_TRACK},
	{NULL,
	 RB_T "ClearTrackIndex",
	 "(0,)",
	 "track",
	 NULL,
	 FALSE,
	 FALSE,
	 "ERROR " RB_DBUS_ERROR_PREFIX "RawImageTrackIndexOffsetZeroCannotBeCleared ",
	 "ERROR " RB_DBUS_ERROR_PREFIX "RawImageTrackIndexOffsetZeroCannotBeCleared ",
	 RB_WITH_TRACK},
	/* the caller's own stream, from its own creator: a burn's first step */
	{NULL,
	 RB_C "CreateResultImage",
	 NULL,
	 "track",
	 RB_BURN,
	 FALSE,
	 FALSE,
	 "OK (handle 0, int64 ",
	 NULL,
	 RB_WITH_TRACK},
	{NULL, RB_C "Close", NULL, NULL, NULL, FALSE, FALSE, "OK ()", "OK ()", RB_WITH_CREATOR},
	{RB_JOB_ROW,
	 RB_J "Cancel",
	 "(@a{sv} {},)",
	 NULL,
	 RB_CANCEL_OTHER,
	 TRUE,
	 FALSE,
	 "ERROR " RB_DBUS_ERROR_PREFIX "WriteNotInProgress "},
};

typedef enum {
	RB_MODE_NOBODY_DENIED,
	RB_MODE_NOBODY_ALLOWED,
	RB_MODE_ROOT,
	RB_N_MODES,
} RbMode;

static RbTestService *
rb_authorization_service_new(GPid *polkit)
{
	RbTestService *service = rb_test_service_new_system_bus();
	g_autoptr(RbTestClient) client = NULL;

	*polkit = rb_test_start_polkit(service);
	rb_test_service_start_daemon_on(service, FALSE, rb_args);
	client = rb_test_client_new(service);
	rb_test_client_wait_for_drive(client, RB_V0);
	rb_test_client_wait_for_drive(client, RB_V1);
	return service;
}

/* every member of the map, in one of the three modes */
START_TEST(test_authorization_map_matrix)
{
	RbMode mode = (RbMode)_i;
	GPid polkit = 0;
	g_autoptr(RbTestService) service = rb_authorization_service_new(&polkit);
	g_autofree gchar *export_path =
		rb_test_service_write_file(service, "export.img", "", 0, 0666);
	g_autofree gchar *wfile = g_strconcat("wfile:", export_path, NULL);
	guint uid = mode == RB_MODE_ROOT ? 0 : RB_TEST_UID_NOBODY;
	/* an interactive caller in one mode, a non-interactive one in the others */
	gboolean interactive = mode == RB_MODE_NOBODY_ALLOWED;
	/* a 300-sector audio track anyone may read, and the creators made so far */
	g_autofree gchar *track_file =
		rb_test_service_write_file(service, "track.raw", "", 0, 0644);
	g_autofree gchar *track_fd = g_strconcat("file:", track_file, NULL);
	guint n_creators = 0;

	ck_assert(truncate(track_file, 300 * 2352) == 0);

	if (mode == RB_MODE_NOBODY_ALLOWED) {
		const gchar *const all[] = {RB_BURN, RB_VIRTUAL, NULL};
		rb_test_polkit_set_allowed(service, all);
	}
	for (guint i = 0; i < G_N_ELEMENTS(rb_members); i++) {
		const RbMember *m = &rb_members[i];
		const gchar *const fds[] = {g_strcmp0(m->fd, "wfile") == 0   ? wfile
					    : g_strcmp0(m->fd, "track") == 0 ? track_fd
									     : m->fd,
					    NULL};
		const gchar *const prepared[] = {RB_PREPARED, NULL};
		gboolean did_prepare = m->prepared && mode != RB_MODE_NOBODY_DENIED;
		g_autofree gchar *creator = g_strdup_printf("%s%u", RB_CREATORS, n_creators);
		g_autofree gchar *add_track =
			g_strdup_printf("%s " RB_C "AddTrack (@u 0, @h 0)", creator);
		g_autofree gchar *track = g_strdup_printf("%s/tracks/1", creator);
		const gchar *with_creator[] = {RB_CREATE, add_track, NULL};
		RbTestCallOptions options = {
			.uid = uid,
			.interactive = interactive,
			.fds = m->fd != NULL ? fds : NULL,
			.before = did_prepare ? prepared : NULL,
		};
		const gchar *path = m->path;

		if (g_strcmp0(path, RB_JOB_ROW) == 0)
			continue;
		if (m->creator != 0) {
			/* the creator only, or a track in it too */
			with_creator[1] = m->creator == RB_WITH_TRACK ? add_track : NULL;
			options.before = (const gchar *const *)with_creator;
			path = m->creator == RB_WITH_TRACK ? track : creator;
			if (g_str_has_prefix(m->member, RB_C))
				path = creator;
		}
		if (m->creator != 0 || g_strcmp0(m->member, RB_M "CreateImageCreator") == 0)
			n_creators++;
		g_autofree gchar *out = NULL;
		g_autofree gchar *checks = NULL;
		g_autofree gchar *expected_checks = NULL;
		g_auto(GStrv) lines = NULL;
		const gchar *last;
		guint flags;

		rb_test_polkit_clear_checks(service);
		out = rb_test_call_full(service, &options, path, m->member, m->args);
		lines = g_strsplit(out, "\n", -1);
		last = lines[g_strv_length(lines) - 1];
		if (mode == RB_MODE_NOBODY_DENIED && m->action != NULL) {
			ck_assert_msg(g_str_has_prefix(last, RB_NOT_AUTHORIZED) &&
					      strstr(last, m->action) != NULL,
				      "%s %s as nobody, nothing allowed: %s",
				      m->member,
				      m->args != NULL ? m->args : "",
				      last);
		} else if (mode == RB_MODE_NOBODY_DENIED) {
			ck_assert_msg(g_str_has_prefix(last, m->denied_outcome),
				      "%s as nobody: %s",
				      m->member,
				      last);
		} else {
			ck_assert_msg(g_str_has_prefix(last, m->outcome),
				      "%s %s in mode %d: %s",
				      m->member,
				      m->args != NULL ? m->args : "",
				      mode,
				      last);
		}
		/* polkit heard exactly the member's action, for this caller;
		 * interaction follows the header flag, or for a{sv} methods the
		 * option (not given here: allowed) */
		flags = m->options || interactive ? RB_TEST_POLKIT_ALLOW_USER_INTERACTION : 0;
		checks = rb_test_polkit_get_checks(service);
		if (m->action == NULL) {
			/* only the PrepareMedia before it asked */
			expected_checks =
				did_prepare
					? g_strdup_printf(
						  "%s uid=%u flags=%u",
						  RB_BURN,
						  uid,
						  interactive
							  ? RB_TEST_POLKIT_ALLOW_USER_INTERACTION
							  : 0)
					: g_strdup("");
			ck_assert_msg(g_strcmp0(checks, expected_checks) == 0,
				      "%s: polkit heard “%s”",
				      m->member,
				      checks);
		} else {
			/* with a PrepareMedia first, its check comes first */
			expected_checks =
				g_strdup_printf("%s uid=%u flags=%u", m->action, uid, flags);
			ck_assert_msg(g_str_has_suffix(checks, expected_checks),
				      "%s: polkit heard “%s”, not “%s”",
				      m->member,
				      checks,
				      expected_checks);
		}
	}
	/* refused calls changed nothing: both recorders are there, the medium in */
	if (mode == RB_MODE_NOBODY_DENIED) {
		g_autoptr(RbTestClient) client = rb_test_client_new(service);
		g_autoptr(GVariant) recorders = rb_test_client_call_reply(
			client, RB_MGR, RB_TEST_MANAGER, "GetRecorders", NULL);
		g_autoptr(GVariant) paths = NULL;
		g_autofree gchar *out =
			rb_test_call_as(service,
					0,
					FALSE,
					NULL,
					RB_V0,
					"org.freedesktop.DBus.Properties.Get",
					"('org.rawburn.RawBurn1.Recorder', 'MediaPresent')");

		g_variant_get(recorders, "(@ao)", &paths);
		ck_assert_uint_eq(g_variant_n_children(paths), 2);
		ck_assert_str_eq(out, "OK (<true>,)");
	}
	rb_test_service_stop_daemon(service);
	rb_test_stop_polkit(service, polkit);
}
END_TEST

/* the matrix covers the whole map: a member added to the map without a row
 * here fails */
START_TEST(test_authorization_matrix_covers_map)
{
	gsize n_rules = 0;
	const RbAuthRule *rules = rb_auth_map_get_rules(&n_rules);

	for (gsize r = 0; r < n_rules; r++) {
		gboolean found = FALSE;
		g_autofree gchar *method =
			g_strdup_printf("%s.%s", rules[r].interface_name, rules[r].member);
		g_autofree gchar *property =
			g_strdup_printf("('%s', '%s',", rules[r].interface_name, rules[r].member);

		for (guint i = 0; i < G_N_ELEMENTS(rb_members) && !found; i++) {
			if (rules[r].property)
				found = g_strcmp0(rb_members[i].member, RB_SET) == 0 &&
					g_str_has_prefix(rb_members[i].args, property);
			else
				found = g_strcmp0(rb_members[i].member, method) == 0;
			if (found)
				ck_assert_str_eq(
					rb_members[i].action != NULL ? rb_members[i].action : "",
					rules[r].action_id != NULL ? rules[r].action_id : "");
		}
		ck_assert_msg(found, "%s is on the map but not in the matrix", rules[r].member);
	}
}
END_TEST

/*
 * Job.Cancel of a job root started (a burn, over and kept 10 s): nobody
 * needs org.rawburn.cancel-other and is refused without it, then with it
 * learns the job has ended; root, the starter's user, is not asked about.
 * The same uid's other connections are the starter's (test-job.c walks
 * the rule itself); a job still running is cancelled there too.
 */
START_TEST(test_authorization_cancel_other)
{
	GPid polkit = 0;
	g_autoptr(RbTestService) service = rb_authorization_service_new(&polkit);
	g_autoptr(RbTestClient) client = rb_test_client_new(service);
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariant) objects = NULL;
	const gchar *const allowed[] = {RB_CANCEL_OTHER, NULL};
	RbTestCallOptions nobody = {.uid = RB_TEST_UID_NOBODY};
	g_autofree gchar *message = NULL;
	g_autofree gchar *job = NULL;
	g_autofree gchar *denied = NULL;
	g_autofree gchar *allowed_out = NULL;
	g_autofree gchar *root_out = NULL;
	g_autofree gchar *checks = NULL;
	g_autofree gchar *expected = NULL;
	GVariantIter iter;
	const gchar *path;
	GVariant *interfaces;

	/* root may burn (the polkitd mock authorizes root as polkitd does); a
	 * pipe that ends at once fails the write after its job started */
	{
		g_autoptr(GUnixFDList) fds = NULL;
		g_autofree gchar *name = NULL;
		gint pipe_fds[2];

		ck_assert_int_eq(pipe(pipe_fds), 0);
		close(pipe_fds[1]);
		fds = rb_test_fd_list_new(pipe_fds[0]);
		close(pipe_fds[0]);
		name = rb_test_client_call(
			client,
			RB_V0,
			RB_TEST_FORMAT,
			"Burn",
			g_variant_new("(h@a{sv})",
				      0,
				      g_variant_new_array(G_VARIANT_TYPE("{sv}"), NULL, 0)),
			fds,
			&message);
		ck_assert_msg(name != NULL, "an empty stream burned");
	}
	reply = rb_test_client_call_reply(client,
					  RB_DBUS_ROOT_PATH,
					  "org.freedesktop.DBus.ObjectManager",
					  "GetManagedObjects",
					  NULL);
	objects = g_variant_get_child_value(reply, 0);
	g_variant_iter_init(&iter, objects);
	while (job == NULL && g_variant_iter_next(&iter, "{&o@a{sa{sv}}}", &path, &interfaces)) {
		g_autoptr(GVariant) owned = interfaces;
		g_autoptr(GVariant) props = g_variant_lookup_value(
			owned, "org.rawburn.RawBurn1.Job", G_VARIANT_TYPE_VARDICT);

		if (props != NULL)
			job = g_strdup(path);
	}
	ck_assert_msg(job != NULL, "the burn left no job");

	rb_test_polkit_clear_checks(service);
	denied = rb_test_call_full(service, &nobody, job, RB_J "Cancel", "(@a{sv} {},)");
	ck_assert_msg(g_str_has_prefix(denied, RB_NOT_AUTHORIZED) &&
			      strstr(denied, RB_CANCEL_OTHER) != NULL,
		      "%s",
		      denied);
	rb_test_polkit_set_allowed(service, allowed);
	allowed_out = rb_test_call_full(service, &nobody, job, RB_J "Cancel", "(@a{sv} {},)");
	ck_assert_msg(
		g_str_has_prefix(allowed_out, "ERROR " RB_DBUS_ERROR_PREFIX "WriteNotInProgress "),
		"%s",
		allowed_out);
	root_out = rb_test_call_as(service, 0, FALSE, NULL, job, RB_J "Cancel", "(@a{sv} {},)");
	ck_assert_msg(
		g_str_has_prefix(root_out, "ERROR " RB_DBUS_ERROR_PREFIX "WriteNotInProgress "),
		"%s",
		root_out);
	/* polkit heard nobody twice (the option allows interaction), root never */
	checks = rb_test_polkit_get_checks(service);
	expected = g_strdup_printf("%s uid=%u flags=%u; %s uid=%u flags=%u",
				   RB_CANCEL_OTHER,
				   RB_TEST_UID_NOBODY,
				   RB_TEST_POLKIT_ALLOW_USER_INTERACTION,
				   RB_CANCEL_OTHER,
				   RB_TEST_UID_NOBODY,
				   RB_TEST_POLKIT_ALLOW_USER_INTERACTION);
	ck_assert_str_eq(checks, expected);
	rb_test_service_stop_daemon(service);
	rb_test_stop_polkit(service, polkit);
}
END_TEST

/* auth.no_user_interaction on the a{sv} methods: polkit may not ask, so an
 * action that needs authentication is refused */
START_TEST(test_authorization_no_user_interaction_option)
{
	GPid polkit = 0;
	g_autoptr(RbTestService) service = rb_authorization_service_new(&polkit);
	const gchar *const challenge[] = {RB_BURN, RB_VIRTUAL, NULL};
	const gchar *const fds[] = {"pipe-eof", NULL};
	RbTestCallOptions burn_options = {
		.uid = RB_TEST_UID_NOBODY, .interactive = TRUE, .fds = fds};
	RbTestCallOptions add_options = {.uid = RB_TEST_UID_NOBODY, .interactive = TRUE};
	g_autofree gchar *burn = NULL;
	g_autofree gchar *add = NULL;
	g_autofree gchar *add_interactive = NULL;
	g_autofree gchar *checks = NULL;

	rb_test_polkit_set_challenge(service, challenge);
	/* even with the header flag: the option wins for a{sv} methods */
	burn = rb_test_call_full(service,
				 &burn_options,
				 RB_V0,
				 RB_F "Burn",
				 "(@h 0, {'auth.no_user_interaction': <true>})");
	ck_assert_msg(g_str_has_prefix(burn, RB_NOT_AUTHORIZED) &&
			      strstr(burn, "without authentication") != NULL,
		      "%s",
		      burn);
	add = rb_test_call_full(service,
				&add_options,
				RB_MGR,
				RB_M "AddVirtualRecorder",
				"({'auth.no_user_interaction': <true>},)");
	ck_assert_msg(g_str_has_prefix(add, RB_NOT_AUTHORIZED), "%s", add);
	add_interactive = rb_test_call_full(service,
					    &add_options,
					    RB_MGR,
					    RB_M "AddVirtualRecorder",
					    "({'auth.no_user_interaction': <false>},)");
	ck_assert_msg(g_str_has_prefix(add_interactive, "OK (objectpath "), "%s", add_interactive);
	checks = rb_test_polkit_get_checks(service);
	ck_assert_str_eq(checks,
			 "org.rawburn.burn uid=65534 flags=0; "
			 "org.rawburn.manage-virtual uid=65534 flags=0; "
			 "org.rawburn.manage-virtual uid=65534 flags=1");
	rb_test_service_stop_daemon(service);
	rb_test_stop_polkit(service, polkit);
}
END_TEST

/* B3: another client's burn is nobody else's to disturb or to read, even
 * with the manage-virtual authorization; the holder may inject into its own */
START_TEST(test_authorization_controls_respect_the_lock)
{
	GPid polkit = 0;
	g_autoptr(RbTestService) service = rb_authorization_service_new(&polkit);
	const gchar *const manage[] = {RB_VIRTUAL, RB_BURN, NULL};
	g_autofree gchar *export_path =
		rb_test_service_write_file(service, "export.img", "", 0, 0666);
	g_autofree gchar *wfile = g_strconcat("wfile:", export_path, NULL);
	const gchar *const export_fds[] = {wfile, NULL};
	const gchar *const foreign[][3] = {
		{RB_SET,
		 "('org.rawburn.RawBurn1.VirtualRecorder', 'Faults', <{'WriteErrorAtLba': <5>}>)",
		 NULL},
		{RB_V "ExportImage", "(@h 0,)", "fd"},
		{RB_V "LoadDisc", "(@h 0, @a{sv} {})", "fd"},
		{RB_SET,
		 "('org.rawburn.RawBurn1.VirtualRecorder', 'FinishingMilliseconds', <@u 5>)",
		 NULL},
		{RB_V "RemoveMedia", NULL, NULL},
		{RB_V "InsertMedia", "('cd-r-74',)", NULL},
		{RB_R "EjectMedia", NULL, NULL},
	};
	/* a connection of the test's own (root) holds the recorder */
	g_autoptr(RbTestClient) holder = rb_test_client_new(service);
	g_autoptr(GVariant) faults = NULL;
	g_autofree gchar *prepared = NULL;
	g_autofree gchar *injected = NULL;
	g_autofree gchar *prepare_message = NULL;
	g_autofree gchar *inject_message = NULL;

	rb_test_polkit_set_allowed(service, manage);
	prepared = rb_test_client_call(
		holder, RB_V0, RB_TEST_FORMAT, "PrepareMedia", NULL, NULL, &prepare_message);
	ck_assert_msg(prepared == NULL, "%s", prepare_message);
	for (guint i = 0; i < G_N_ELEMENTS(foreign); i++) {
		RbTestCallOptions options = {
			.uid = RB_TEST_UID_NOBODY,
			.fds = foreign[i][2] != NULL ? export_fds : NULL,
		};
		g_autofree gchar *out =
			rb_test_call_full(service, &options, RB_V0, foreign[i][0], foreign[i][1]);

		ck_assert_msg(g_str_has_prefix(out, "ERROR " RB_DBUS_ERROR_PREFIX "Locked "),
			      "%s by another client: %s",
			      foreign[i][0],
			      out);
	}
	/* nothing was injected */
	faults = rb_test_client_get(holder, RB_V0, RB_TEST_VIRTUAL, "Faults");
	ck_assert_uint_eq(g_variant_n_children(faults), 0);
	/* the holder may: it is its own burn */
	injected = rb_test_client_set(holder,
				      RB_V0,
				      RB_TEST_VIRTUAL,
				      "Faults",
				      g_variant_new_parsed("{'WriteErrorAtLba': <5>}"),
				      &inject_message);
	ck_assert_msg(injected == NULL, "%s", inject_message);
	rb_test_service_stop_daemon(service);
	rb_test_stop_polkit(service, polkit);
}
END_TEST

/* B2: the recorder is removed while a call on it waits for polkit; when
 * polkit answers, the call fails with DeviceGone and touches nothing */
START_TEST(test_authorization_removed_while_authorizing)
{
	const gchar *const *waiting_members[] = {
		(const gchar *const[]){RB_F "PrepareMedia", NULL, RB_BURN},
		/* burn's members: the removal's own check (manage-virtual) is
		 * not held with them */
		(const gchar *const[]){RB_F "SetWriteSpeed", "(1764, false)", RB_BURN},
		(const gchar *const[]){RB_R "EjectMedia", NULL, RB_BURN},
		(const gchar *const[]){
			RB_SET,
			"('org.rawburn.RawBurn1.DiscFormat2RawCD', 'ClientName', <'Late'>)",
			RB_BURN},
	};
	const gchar *const *waiting = waiting_members[_i];
	GPid polkit = 0;
	g_autoptr(RbTestService) service = rb_authorization_service_new(&polkit);
	const gchar *const allowed[] = {waiting[2], NULL};
	RbTestCallOptions as_nobody = {.uid = RB_TEST_UID_NOBODY};
	RbTestCall *call;
	g_autoptr(RbTestClient) admin = rb_test_client_new(service);
	g_autofree gchar *removed = NULL;
	g_autofree gchar *message = NULL;
	g_autofree gchar *out = NULL;

	rb_test_polkit_set_allowed(service, allowed);
	rb_test_polkit_hang_actions(service, allowed);
	call = rb_test_call_start(service, &as_nobody, RB_V1, waiting[0], waiting[1]);
	rb_test_polkit_wait_hanging(service);
	/* root removes it: its own check is not held (manage-virtual) */
	removed = rb_test_client_call(admin,
				      RB_MGR,
				      RB_TEST_MANAGER,
				      "RemoveVirtualRecorder",
				      g_variant_new("(o)", RB_V1),
				      NULL,
				      &message);
	ck_assert_msg(removed == NULL, "%s", message);
	rb_test_polkit_release_hanging(service);
	out = rb_test_call_finish(call);
	ck_assert_msg(g_str_has_prefix(out, "ERROR " RB_DBUS_ERROR_PREFIX "DeviceGone "),
		      "%s: %s",
		      waiting[0],
		      out);
	rb_test_service_stop_daemon(service);
	rb_test_stop_polkit(service, polkit);
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("authorization");
	TCase *tc = tcase_create("authorization");

	/* a missing test dependency fails the run, it never passes silently */
	if (!rb_test_require_system_bus("test-authorization"))
		return 99;
#ifndef HAVE_POLKIT
	g_printerr("rawburn was built without polkit: the authorization map cannot be tested\n");
	return 99;
#endif
	tcase_set_timeout(tc, RB_TEST_TIMEOUT_SECONDS * 3);
	tcase_add_test(tc, test_authorization_matrix_covers_map);
	tcase_add_loop_test(tc, test_authorization_map_matrix, 0, RB_N_MODES);
	tcase_add_test(tc, test_authorization_no_user_interaction_option);
	tcase_add_test(tc, test_authorization_cancel_other);
	tcase_add_test(tc, test_authorization_controls_respect_the_lock);
	tcase_add_loop_test(tc, test_authorization_removed_while_authorizing, 0, 4);
	suite_add_tcase(suite, tc);
	return rb_test_run_suite(suite);
}
