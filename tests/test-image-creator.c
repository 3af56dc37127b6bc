/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The image creator on the bus (RawCDImageCreator, RawCDImageTrackInfo):
 * an image built from files and burned straight from CreateResultImage's
 * pipe onto a virtual recorder judges clean and matches
 * ExpectedTableOfContents; every IMAPI rule is refused by name; the
 * creator is its owner's alone and goes with it; a track file cut short
 * after AddTrack makes the stream end early and the burn fail by name.
 */
#include "config.h"

#include <fcntl.h>
#include <gio/gunixfdlist.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "rb-error.h"
#include "rb-test-client.h"

#define RB_V0 RB_DBUS_RECORDERS_PATH "/virtual0"
#define RB_V1 RB_DBUS_RECORDERS_PATH "/virtual1"
#define RB_CREATOR "org.rawburn.RawBurn1.RawCDImageCreator"
#define RB_TRACK "org.rawburn.RawBurn1.RawCDImageTrackInfo"
#define RB_AUDIO 0
#define RB_MODE1 2
#define RB_AUDIO_SIZE 2352
#define RB_MODE1_SIZE 2048
#define RB_E(name) RB_TEST_ERROR("RawImage" name)
#define RB_ACCESS_DENIED "org.freedesktop.DBus.Error.AccessDenied"
#define RB_LIMITS_EXCEEDED "org.freedesktop.DBus.Error.LimitsExceeded"
/* a valid EAN-13 and ISRC */
#define RB_MCN "4006381333931"
#define RB_ISRC "USRC17607839"

static const gchar *const rb_two_recorders[] = {"--virtual-recorder",
						"media=cd-r-80,realtime=false",
						"--virtual-recorder",
						"media=cd-r-80,realtime=false",
						NULL};

/* a track file of @n_sectors of @sector_size with a pattern; returns its path */
static gchar *
rb_track_file(RbTestService *service, const gchar *name, guint n_sectors, gsize sector_size)
{
	gsize size = n_sectors * sector_size;
	g_autofree guint8 *data = g_malloc(size);

	for (gsize i = 0; i < size; i++)
		data[i] = (guint8)(i * 13 + i / 4096);
	return rb_test_service_write_file(service, name, (const gchar *)data, (gssize)size, 0644);
}

static gchar *
rb_create(RbTestClient *client)
{
	g_autoptr(GVariant) reply = rb_test_client_call_reply(
		client, RB_DBUS_MANAGER_PATH, RB_TEST_MANAGER, "CreateImageCreator", NULL);
	gchar *path = NULL;

	g_variant_get(reply, "(o)", &path);
	return path;
}

/* AddTrack of @file; the error name (NULL on success), the index in @index */
static gchar *
rb_add_track_fd(RbTestClient *client,
		const gchar *creator,
		guint type,
		gint fd,
		gint *index,
		gchar **message)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GUnixFDList) fds = rb_test_fd_list_new(fd);
	g_autoptr(GVariant) reply =
		g_dbus_connection_call_with_unix_fd_list_sync(client->connection,
							      RB_DBUS_NAME,
							      creator,
							      RB_CREATOR,
							      "AddTrack",
							      g_variant_new("(uh)", type, 0),
							      G_VARIANT_TYPE("(i)"),
							      G_DBUS_CALL_FLAGS_NONE,
							      RB_TEST_TIMEOUT_SECONDS * 1000,
							      fds,
							      NULL,
							      NULL,
							      &error);

	if (reply == NULL) {
		if (message != NULL)
			*message = g_strdup(error->message);
		return g_dbus_error_get_remote_error(error);
	}
	if (index != NULL)
		g_variant_get(reply, "(i)", index);
	return NULL;
}

static gchar *
rb_add_track(RbTestClient *client, const gchar *creator, guint type, const gchar *file, gint *index)
{
	gint fd = open(file, O_RDONLY | O_CLOEXEC);
	gchar *error;

	ck_assert_msg(fd >= 0, "%s", file);
	error = rb_add_track_fd(client, creator, type, fd, index, NULL);
	close(fd);
	return error;
}

static gchar *
rb_track_path(const gchar *creator, gint index)
{
	return g_strdup_printf("%s/tracks/%d", creator, index);
}

static gchar *
rb_set(RbTestClient *client, const gchar *path, const gchar *iface, const gchar *name, GVariant *v)
{
	return rb_test_client_set(client, path, iface, name, v, NULL);
}

static void
rb_assert_ok(gchar *error, const gchar *what)
{
	ck_assert_msg(error == NULL, "%s: %s", what, error);
}

static void
rb_assert_error(gchar *error, const gchar *expected, const gchar *what)
{
	ck_assert_msg(g_strcmp0(error, expected) == 0, "%s: %s, not %s", what, error, expected);
	g_free(error);
}

static gchar *
rb_call(RbTestClient *client,
	const gchar *path,
	const gchar *iface,
	const gchar *method,
	GVariant *p)
{
	return rb_test_client_call(client, path, iface, method, p, NULL, NULL);
}

/* CreateResultImage: the stream's fd (or -1 and the error name) */
static gint
rb_create_result(RbTestClient *client, const gchar *creator, gint64 *size, gchar **error_name)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GUnixFDList) out_fds = NULL;
	g_autoptr(GVariant) reply =
		g_dbus_connection_call_with_unix_fd_list_sync(client->connection,
							      RB_DBUS_NAME,
							      creator,
							      RB_CREATOR,
							      "CreateResultImage",
							      NULL,
							      G_VARIANT_TYPE("(hx)"),
							      G_DBUS_CALL_FLAGS_NONE,
							      RB_TEST_TIMEOUT_SECONDS * 1000,
							      NULL,
							      &out_fds,
							      NULL,
							      &error);
	gint32 handle = -1;

	if (reply == NULL) {
		if (error_name != NULL)
			*error_name = g_dbus_error_get_remote_error(error);
		return -1;
	}
	g_variant_get(reply, "(hx)", &handle, size);
	ck_assert_int_eq(handle, 0);
	return g_unix_fd_list_get(out_fds, 0, NULL);
}

/* Burn of @fd; the error name, NULL on success */
static gchar *
rb_burn_fd(RbTestClient *client, const gchar *recorder, gint fd, gchar **message)
{
	g_autoptr(GUnixFDList) fds = rb_test_fd_list_new(fd);

	return rb_test_client_call(client,
				   recorder,
				   RB_TEST_FORMAT,
				   "Burn",
				   g_variant_new_parsed("(@h 0, {'ClientName': <'Creator'>})"),
				   fds,
				   message);
}

static GVariant *
rb_assert_clean(RbTestClient *client, const gchar *recorder, guint n_tracks)
{
	GVariant *report =
		rb_test_client_get(client, recorder, RB_TEST_VIRTUAL, "ValidationReport");

	rb_test_assert_report_clean(report);
	ck_assert_uint_eq(rb_test_report_number(report, "Tracks"), n_tracks);
	return report;
}

static gint32
rb_msf_to_lba(const guint8 *msf)
{
	return ((gint32)msf[0] * 60 + msf[1]) * 75 + msf[2] - 150;
}

/* the TOC descriptor of @point (format 0010b: 11-byte descriptors after 4) */
static gint32
rb_toc_start(GVariant *toc, guint8 point)
{
	gsize len = 0;
	const guint8 *data = g_variant_get_fixed_array(toc, &len, 1);

	for (gsize off = 4; off + 11 <= len; off += 11) {
		if (data[off + 3] == point)
			return rb_msf_to_lba(data + off + 8);
	}
	ck_abort_msg("the TOC has no point %02x", point);
	return 0;
}

/* Q of an exported sector (2448 bytes, interleaved P-W): bit 6 of each byte */
static void
rb_sector_q(const guint8 *sector, guint8 q[12])
{
	memset(q, 0, 12);
	for (guint i = 0; i < 96; i++) {
		if (sector[2352 + i] & 0x40)
			q[i / 8] |= (guint8)(0x80 >> (i % 8));
	}
}

static guint8
rb_bcd(guint n)
{
	return (guint8)((n / 10) << 4 | (n % 10));
}

static gchar *
rb_export(RbTestClient *client, RbTestService *service, const gchar *recorder)
{
	g_autofree gchar *file = rb_test_service_write_file(service, "export.img", "", 0, 0644);
	gint fd = open(file, O_WRONLY | O_CLOEXEC);
	g_autoptr(GUnixFDList) fds = rb_test_fd_list_new(fd);
	g_autofree gchar *message = NULL;
	g_autofree gchar *error = rb_test_client_call(client,
						      recorder,
						      RB_TEST_VIRTUAL,
						      "ExportImage",
						      g_variant_new("(h)", 0),
						      fds,
						      &message);

	close(fd);
	ck_assert_msg(error == NULL, "ExportImage: %s %s", error, message);
	return g_steal_pointer(&file);
}

/* 1. one client builds an audio disc (MCN, ISRC, an index) and a Mode 1
 * disc, burns each straight from the pipe: clean, and as expected */
START_TEST(test_image_creator_end_to_end)
{
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(RbTestClient) client = NULL;
	g_autofree gchar *audio1 = NULL;
	g_autofree gchar *audio2 = NULL;
	g_autofree gchar *data = NULL;
	g_autofree gchar *creator = NULL;
	g_autofree gchar *data_creator = NULL;
	g_autofree gchar *track1 = NULL;
	g_autofree gchar *track2 = NULL;
	g_autofree gchar *message = NULL;
	g_autofree gchar *exported = NULL;
	g_autofree gchar *image = NULL;
	g_autoptr(GVariant) toc = NULL;
	g_autoptr(GVariant) leadout = NULL;
	g_autoptr(GVariant) report = NULL;
	g_autoptr(GVariant) data_report = NULL;
	g_autoptr(GVariant) indexes = NULL;
	gsize image_len = 0;
	gint32 first_lba;
	gint index = 0;
	gint64 size = 0;
	gint fd;

	rb_test_service_start_daemon(service, rb_two_recorders);
	client = rb_test_client_new(service);
	rb_test_client_wait_for_drive(client, RB_V0);
	rb_test_client_wait_for_drive(client, RB_V1);
	audio1 = rb_track_file(service, "audio1.raw", 600, RB_AUDIO_SIZE);
	audio2 = rb_track_file(service, "audio2.raw", 450, RB_AUDIO_SIZE);
	data = rb_track_file(service, "data.iso", 300, RB_MODE1_SIZE);

	creator = rb_create(client);
	ck_assert(g_str_has_prefix(creator, "/org/rawburn/RawBurn1/image_creators/"));
	rb_assert_ok(rb_set(client,
			    creator,
			    RB_CREATOR,
			    "MediaCatalogNumber",
			    g_variant_new_string(RB_MCN)),
		     "MCN");
	rb_assert_ok(rb_add_track(client, creator, RB_AUDIO, audio1, &index), "track 1");
	ck_assert_int_eq(index, 1);
	rb_assert_ok(rb_add_track(client, creator, RB_AUDIO, audio2, &index), "track 2");
	ck_assert_int_eq(index, 2);
	track1 = rb_track_path(creator, 1);
	track2 = rb_track_path(creator, 2);
	rb_assert_ok(rb_set(client, track1, RB_TRACK, "ISRC", g_variant_new_string(RB_ISRC)),
		     "ISRC");
	rb_assert_ok(rb_call(client, track1, RB_TRACK, "AddTrackIndex", g_variant_new("(i)", 150)),
		     "AddTrackIndex");
	/* again: IMAPI's "already exists" is a success */
	rb_assert_ok(rb_call(client, track1, RB_TRACK, "AddTrackIndex", g_variant_new("(i)", 150)),
		     "AddTrackIndex again");
	indexes = rb_test_client_get(client, track1, RB_TRACK, "TrackIndexes");
	ck_assert_uint_eq(g_variant_n_children(indexes), 2);
	toc = rb_test_client_get(client, creator, RB_CREATOR, "ExpectedTableOfContents");
	leadout = rb_test_client_get(client, creator, RB_CREATOR, "StartOfLeadout");
	ck_assert_int_eq(rb_toc_start(toc, 0xA2), g_variant_get_int32(leadout));

	fd = rb_create_result(client, creator, &size, NULL);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(size % 2448, 0);
	rb_assert_ok(rb_burn_fd(client, RB_V0, fd, &message), message);
	close(fd);
	report = rb_assert_clean(client, RB_V0, 2);
	ck_assert_uint_gt(rb_test_report_number(report, "McnIsrcFrames"), 0);
	ck_assert_int_eq((gint32)rb_test_report_number(report, "LeadOutStart"),
			 g_variant_get_int32(leadout));

	/* the burned disc's Q: each track's index 1 where the TOC says */
	exported = rb_export(client, service, RB_V0);
	ck_assert(g_file_get_contents(exported, &image, &image_len, NULL));
	first_lba = (gint32)(gint64)rb_test_report_number(report, "FirstLba");
	for (guint t = 1; t <= 2; t++) {
		g_autoptr(GVariant) start = rb_test_client_get(
			client, t == 1 ? track1 : track2, RB_TRACK, "StartingLba");
		gint32 lba = g_variant_get_int32(start);
		gsize off = (gsize)(lba - first_lba) * 2448;
		guint8 q[12];

		ck_assert_int_eq(rb_toc_start(toc, (guint8)t), lba);
		ck_assert_uint_le(off + 2448, image_len);
		rb_sector_q((const guint8 *)image + off, q);
		ck_assert_uint_eq(q[0] & 0x0F, 1);
		ck_assert_uint_eq(q[1], rb_bcd(t));
		ck_assert_uint_eq(q[2], 1);
		/* the sector before is not yet this track's index 1 */
		rb_sector_q((const guint8 *)image + off - 2448, q);
		ck_assert(!((q[0] & 0x0F) == 1 && q[1] == rb_bcd(t) && q[2] == 1));
	}

	/* a mixed-mode disc on the other recorder: Mode 1, then audio */
	data_creator = rb_create(client);
	rb_assert_ok(rb_add_track(client, data_creator, RB_MODE1, data, NULL), "Mode 1 track");
	rb_assert_ok(rb_add_track(client, data_creator, RB_AUDIO, audio2, NULL), "audio track 2");
	rb_assert_ok(rb_add_track(client, data_creator, RB_AUDIO, audio1, NULL), "audio track 3");
	fd = rb_create_result(client, data_creator, &size, NULL);
	ck_assert_int_ge(fd, 0);
	g_clear_pointer(&message, g_free);
	rb_assert_ok(rb_burn_fd(client, RB_V1, fd, &message), message);
	close(fd);
	data_report = rb_assert_clean(client, RB_V1, 3);
	rb_test_service_stop_daemon(service);
}
END_TEST

/* 2. IMAPI's rules, each refused by name */
START_TEST(test_image_creator_rules)
{
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(RbTestClient) client = NULL;
	g_autofree gchar *min = NULL;
	g_autofree gchar *short_file = NULL;
	g_autofree gchar *odd = NULL;
	g_autofree gchar *data = NULL;
	g_autofree gchar *longer = NULL;
	g_autofree gchar *c = NULL;
	g_autofree gchar *track = NULL;
	gchar *paths[8] = {NULL};
	gint fd;
	gint fds[2];

	rb_test_service_start_daemon(service, NULL);
	client = rb_test_client_new(service);
	min = rb_track_file(service, "min.raw", 300, RB_AUDIO_SIZE);
	short_file = rb_track_file(service, "short.raw", 299, RB_AUDIO_SIZE);
	data = rb_track_file(service, "data.iso", 300, RB_MODE1_SIZE);
	longer = rb_track_file(service, "long.raw", 1100, RB_AUDIO_SIZE);
	odd = rb_test_service_write_file(service, "odd.raw", "x", 1, 0644);
	ck_assert(truncate(odd, 300 * RB_AUDIO_SIZE + 1) == 0);

	/* 8 per connection */
	for (guint i = 0; i < G_N_ELEMENTS(paths); i++)
		paths[i] = rb_create(client);
	rb_assert_error(
		rb_call(client, RB_DBUS_MANAGER_PATH, RB_TEST_MANAGER, "CreateImageCreator", NULL),
		RB_LIMITS_EXCEEDED,
		"9th creator");
	/* Close() frees a place */
	rb_assert_ok(rb_call(client, paths[7], RB_CREATOR, "Close", NULL), "Close");
	rb_assert_error(rb_call(client, paths[7], RB_CREATOR, "Close", NULL),
			"org.freedesktop.DBus.Error.UnknownMethod",
			"closed creator");
	for (guint i = 0; i < G_N_ELEMENTS(paths) - 1; i++)
		rb_assert_ok(rb_call(client, paths[i], RB_CREATOR, "Close", NULL), "Close");
	for (guint i = 0; i < G_N_ELEMENTS(paths); i++)
		g_free(paths[i]);
	c = rb_create(client);

	/* no tracks */
	rb_assert_error(rb_call(client, c, RB_CREATOR, "CreateResultImage", NULL),
			RB_E("NoTracks"),
			"CreateResultImage without tracks");
	/* values */
	rb_assert_error(rb_set(client,
			       c,
			       RB_CREATOR,
			       "MediaCatalogNumber",
			       g_variant_new_string("4006381333932")),
			RB_TEST_INVALID_ARGS,
			"MCN check digit");
	rb_assert_error(
		rb_set(client, c, RB_CREATOR, "StartingTrackNumber", g_variant_new_int32(100)),
		RB_TEST_INVALID_ARGS,
		"StartingTrackNumber 100");
	rb_assert_error(
		rb_set(client, c, RB_CREATOR, "ResultingImageType", g_variant_new_uint32(7)),
		RB_TEST_INVALID_ARGS,
		"ResultingImageType 7");
	rb_assert_error(rb_add_track(client, c, 10, min, NULL),
			RB_E("SectorTypeNotSupported"),
			"sector type 10");
	rb_assert_error(rb_add_track(client, c, RB_AUDIO, short_file, NULL),
			RB_TEST_INVALID_ARGS,
			"299 sectors");
	rb_assert_error(rb_add_track(client, c, RB_AUDIO, odd, NULL),
			RB_TEST_INVALID_ARGS,
			"not a whole number of sectors");
	fd = open(min, O_WRONLY | O_CLOEXEC);
	rb_assert_error(rb_add_track_fd(client, c, RB_AUDIO, fd, NULL, NULL),
			RB_TEST_INVALID_ARGS,
			"write-only data");
	close(fd);
	/* the lead-out limit */
	rb_assert_ok(
		rb_set(client, c, RB_CREATOR, "StartOfLeadoutLimit", g_variant_new_int32(1000)),
		"StartOfLeadoutLimit");
	rb_assert_error(rb_add_track(client, c, RB_AUDIO, longer, NULL),
			RB_E("InsufficientSpace"),
			"past the lead-out limit");
	rb_assert_ok(rb_set(client, c, RB_CREATOR, "StartOfLeadoutLimit", g_variant_new_int32(0)),
		     "no limit");
	/* mixing: Mode 1 first, then audio, then no data again */
	rb_assert_ok(rb_add_track(client, c, RB_MODE1, data, NULL), "Mode 1");
	rb_assert_ok(rb_add_track(client, c, RB_AUDIO, min, NULL), "audio after Mode 1 (mixed)");
	rb_assert_error(rb_add_track(client, c, RB_MODE1, data, NULL),
			RB_E("SectorTypeNotSupported"),
			"Mode 1 after audio");
	rb_assert_error(
		rb_set(client, c, RB_CREATOR, "StartingTrackNumber", g_variant_new_int32(2)),
		RB_E("TracksAlreadyAdded"),
		"StartingTrackNumber after a track");
	rb_assert_ok(rb_call(client, c, RB_CREATOR, "Close", NULL), "Close");
	g_clear_pointer(&c, g_free);

	/* indexes */
	c = rb_create(client);
	rb_assert_ok(rb_add_track(client, c, RB_AUDIO, longer, NULL), "long track");
	track = rb_track_path(c, 1);
	rb_assert_error(rb_set(client, track, RB_TRACK, "ISRC", g_variant_new_string("US-RC1-76")),
			RB_TEST_INVALID_ARGS,
			"ISRC shape");
	rb_assert_error(
		rb_set(client, track, RB_TRACK, "DigitalAudioCopySetting", g_variant_new_uint32(3)),
		RB_TEST_INVALID_ARGS,
		"copy setting 3");
	rb_assert_error(rb_call(client, track, RB_TRACK, "AddTrackIndex", g_variant_new("(i)", 5)),
			RB_E("TrackIndexTooCloseToOtherIndex"),
			"index at 5");
	rb_assert_error(rb_call(client, track, RB_TRACK, "AddTrackIndex", g_variant_new("(i)", -1)),
			RB_TEST_INVALID_ARGS,
			"index at -1");
	rb_assert_error(
		rb_call(client, track, RB_TRACK, "ClearTrackIndex", g_variant_new("(i)", 0)),
		RB_E("TrackIndexOffsetZeroCannotBeCleared"),
		"clear 0");
	rb_assert_error(
		rb_call(client, track, RB_TRACK, "ClearTrackIndex", g_variant_new("(i)", 77)),
		RB_E("TrackIndexNotFound"),
		"clear 77");
	for (gint offset = 10; offset <= 980; offset += 10)
		rb_assert_ok(rb_call(client,
				     track,
				     RB_TRACK,
				     "AddTrackIndex",
				     g_variant_new("(i)", offset)),
			     "index");
	rb_assert_error(
		rb_call(client, track, RB_TRACK, "AddTrackIndex", g_variant_new("(i)", 1000)),
		RB_E("TooManyTrackIndexes"),
		"100th index");
	rb_assert_ok(rb_call(client, track, RB_TRACK, "ClearTrackIndex", g_variant_new("(i)", 980)),
		     "clear 980");
	rb_assert_ok(rb_call(client, c, RB_CREATOR, "Close", NULL), "Close");
	g_clear_pointer(&c, g_free);
	g_clear_pointer(&track, g_free);

	/* 99 tracks (one small file, passed each time), then the 100th */
	c = rb_create(client);
	fd = open(min, O_RDONLY | O_CLOEXEC);
	for (guint i = 0; i < 99; i++) {
		g_autofree gchar *message = NULL;
		g_autofree gchar *error = rb_add_track_fd(client, c, RB_AUDIO, fd, NULL, &message);

		ck_assert_msg(error == NULL, "track %u: %s %s", i + 1, error, message);
	}
	rb_assert_error(rb_add_track_fd(client, c, RB_AUDIO, fd, NULL, NULL),
			RB_E("TooManyTracks"),
			"100th track");
	close(fd);
	rb_assert_ok(rb_call(client, c, RB_CREATOR, "Close", NULL), "Close");
	g_clear_pointer(&c, g_free);

	/* a pipe is the last track */
	c = rb_create(client);
	ck_assert(g_unix_open_pipe(fds, FD_CLOEXEC, NULL));
	rb_assert_ok(rb_add_track_fd(client, c, RB_AUDIO, fds[0], NULL, NULL), "pipe track");
	rb_assert_error(rb_add_track(client, c, RB_AUDIO, min, NULL),
			RB_TEST_INVALID_ARGS,
			"a track after a pipe");
	close(fds[0]);
	close(fds[1]);
	rb_assert_ok(rb_call(client, c, RB_CREATOR, "Close", NULL), "Close");
	g_clear_pointer(&c, g_free);
	rb_test_service_stop_daemon(service);
}
END_TEST

/* read-only after CreateResultImage; the owner's alone; gone with it */
START_TEST(test_image_creator_ownership)
{
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(RbTestClient) owner = NULL;
	g_autoptr(RbTestClient) other = NULL;
	g_autofree gchar *min = NULL;
	g_autofree gchar *c = NULL;
	g_autofree gchar *track = NULL;
	g_autofree gchar *error = NULL;
	gint64 size = 0;
	gint fd;

	rb_test_service_start_daemon(service, NULL);
	owner = rb_test_client_new(service);
	other = rb_test_client_new(service);
	min = rb_track_file(service, "min.raw", 300, RB_AUDIO_SIZE);
	c = rb_create(owner);
	rb_assert_ok(rb_add_track(owner, c, RB_AUDIO, min, NULL), "track");
	track = rb_track_path(c, 1);

	/* another connection: nothing, not even a read */
	rb_assert_error(rb_add_track(other, c, RB_AUDIO, min, NULL), RB_ACCESS_DENIED, "AddTrack");
	rb_assert_error(rb_call(other, c, RB_CREATOR, "Close", NULL), RB_ACCESS_DENIED, "Close");
	rb_assert_error(rb_call(other,
				c,
				"org.freedesktop.DBus.Properties",
				"GetAll",
				g_variant_new("(s)", RB_CREATOR)),
			RB_ACCESS_DENIED,
			"GetAll");
	rb_assert_error(rb_call(other,
				track,
				"org.freedesktop.DBus.Properties",
				"Get",
				g_variant_new("(ss)", RB_TRACK, "ISRC")),
			RB_ACCESS_DENIED,
			"Get");
	rb_assert_error(rb_set(other, track, RB_TRACK, "ISRC", g_variant_new_string(RB_ISRC)),
			RB_ACCESS_DENIED,
			"Set");
	rb_assert_error(rb_call(other, track, RB_TRACK, "AddTrackIndex", g_variant_new("(i)", 150)),
			RB_ACCESS_DENIED,
			"AddTrackIndex");

	/* CreateResultImage once; then read-only */
	fd = rb_create_result(owner, c, &size, NULL);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(size, (gint64)(22650 + 300 + 6750) * 2448);
	close(fd);
	fd = rb_create_result(owner, c, &size, &error);
	ck_assert_int_lt(fd, 0);
	rb_assert_error(g_steal_pointer(&error), RB_E("IsReadOnly"), "second CreateResultImage");
	rb_assert_error(
		rb_set(owner, c, RB_CREATOR, "MediaCatalogNumber", g_variant_new_string(RB_MCN)),
		RB_E("IsReadOnly"),
		"MCN after");
	rb_assert_error(
		rb_set(owner, track, RB_TRACK, "AudioHasPreemphasis", g_variant_new_boolean(TRUE)),
		RB_E("IsReadOnly"),
		"pre-emphasis after");
	rb_assert_error(rb_call(owner, track, RB_TRACK, "AddTrackIndex", g_variant_new("(i)", 150)),
			RB_E("IsReadOnly"),
			"index after");
	rb_assert_error(
		rb_add_track(owner, c, RB_AUDIO, min, NULL), RB_E("IsReadOnly"), "track after");

	/* the owner leaves: the creator and its tracks go */
	g_clear_pointer(&owner, rb_test_client_free);
	for (guint tries = 0;; tries++) {
		g_autofree gchar *gone = rb_call(other,
						 c,
						 "org.freedesktop.DBus.Properties",
						 "GetAll",
						 g_variant_new("(s)", RB_CREATOR));

		if (g_strcmp0(gone, RB_ACCESS_DENIED) != 0) {
			ck_assert_str_eq(gone, "org.freedesktop.DBus.Error.UnknownMethod");
			break;
		}
		ck_assert_uint_lt(tries, 200);
		g_usleep(10 * 1000);
	}
	rb_assert_error(rb_call(other, track, RB_TRACK, "AddTrackIndex", g_variant_new("(i)", 150)),
			"org.freedesktop.DBus.Error.UnknownMethod",
			"track of a gone creator");
	rb_test_service_stop_daemon(service);
}
END_TEST

/* 3. a track file cut short after AddTrack: the stream ends early, and the
 * burn of it fails by name */
START_TEST(test_image_creator_truncated_track)
{
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(RbTestClient) client = NULL;
	g_autofree gchar *audio = NULL;
	g_autofree gchar *c = NULL;
	g_autofree gchar *message = NULL;
	g_autofree gchar *error = NULL;
	gint64 size = 0;
	gint fd;

	rb_test_service_start_daemon(service, rb_two_recorders);
	client = rb_test_client_new(service);
	rb_test_client_wait_for_drive(client, RB_V0);
	audio = rb_track_file(service, "audio.raw", 600, RB_AUDIO_SIZE);
	c = rb_create(client);
	rb_assert_ok(rb_add_track(client, c, RB_AUDIO, audio, NULL), "track");
	ck_assert(truncate(audio, 400 * RB_AUDIO_SIZE) == 0);
	fd = rb_create_result(client, c, &size, NULL);
	ck_assert_int_ge(fd, 0);
	error = rb_burn_fd(client, RB_V0, fd, &message);
	close(fd);
	/* the preflight sees the stream end before the TOC's lead-out: refused,
	 * nothing written */
	ck_assert_msg(g_strcmp0(error, RB_TEST_ERROR("StreamInvalid")) == 0,
		      "Burn of a short stream: %s %s",
		      error,
		      message);
	g_debug("%s: %s", error, message);

	/* the same, read by hand: fewer bytes than announced */
	{
		g_autofree gchar *c2 = rb_create(client);
		g_autofree guint8 *buf = g_malloc(1 << 20);
		gint64 total = 0;
		gssize n;

		ck_assert(truncate(audio, 600 * RB_AUDIO_SIZE) == 0);
		rb_assert_ok(rb_add_track(client, c2, RB_AUDIO, audio, NULL), "track");
		ck_assert(truncate(audio, 400 * RB_AUDIO_SIZE) == 0);
		fd = rb_create_result(client, c2, &size, NULL);
		while ((n = read(fd, buf, 1 << 20)) > 0)
			total += n;
		close(fd);
		ck_assert_int_lt(total, size);
		ck_assert_int_eq(total % 2448, 0);
	}
	rb_test_service_stop_daemon(service);
}
END_TEST

/* a last track from a pipe: the reply waits for its end, the image burns */
START_TEST(test_image_creator_pipe_track)
{
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(RbTestClient) client = NULL;
	g_autofree gchar *audio = NULL;
	g_autofree gchar *c = NULL;
	g_autofree guint8 *pcm = g_malloc0(450 * RB_AUDIO_SIZE);
	RbTestPending pending = {0};
	gint fds[2];
	gint32 handle = -1;
	gint64 size = 0;
	gsize done = 0;

	rb_test_service_start_daemon(service, rb_two_recorders);
	client = rb_test_client_new(service);
	rb_test_client_wait_for_drive(client, RB_V0);
	audio = rb_track_file(service, "audio.raw", 600, RB_AUDIO_SIZE);
	c = rb_create(client);
	rb_assert_ok(rb_add_track(client, c, RB_AUDIO, audio, NULL), "track 1");
	ck_assert(g_unix_open_pipe(fds, FD_CLOEXEC, NULL));
	rb_assert_ok(rb_add_track_fd(client, c, RB_AUDIO, fds[0], NULL, NULL), "pipe track");
	close(fds[0]);
	rb_test_client_call_async(client, c, RB_CREATOR, "CreateResultImage", NULL, NULL, &pending);
	while (done < 450 * RB_AUDIO_SIZE) {
		gssize n = write(fds[1], pcm + done, 450 * RB_AUDIO_SIZE - done);

		ck_assert_int_gt(n, 0);
		done += (gsize)n;
	}
	/* nothing yet: the pipe has not ended */
	g_main_context_iteration(NULL, FALSE);
	ck_assert(!pending.done);
	close(fds[1]);
	rb_test_pending_wait(&pending);
	ck_assert_msg(pending.error_name == NULL, "%s %s", pending.error_name, pending.message);
	g_variant_get(pending.reply, "(hx)", &handle, &size);
	ck_assert_int_eq(size, (gint64)(22650 + 600 + 450 + 6750) * 2448);
	rb_test_pending_clear(&pending);
	rb_test_service_stop_daemon(service);
}
END_TEST

/* the README's example, as an app would run it: Python with Gio, no
 * sub-channel anywhere; the distribution's python3, which has the GObject
 * bindings .ci/build installs. Gapless by default: track 1 lends its
 * last 2 s to track 2's pregap and keeps 4 s of its own */
START_TEST(test_image_creator_python_example)
{
	g_autoptr(RbTestService) service = rb_test_service_new_bus();
	g_autoptr(RbTestClient) client = NULL;
	g_autofree gchar *first = rb_track_file(service, "first.raw", 450, RB_AUDIO_SIZE);
	g_autofree gchar *second = rb_track_file(service, "second.raw", 450, RB_AUDIO_SIZE);
	const gchar *argv[] = {"/usr/bin/python3",
			       RB_TEST_ABS_SRCDIR "/tests/rb-burn-tracks.py",
			       "--session",
			       "virtual0",
			       first,
			       second,
			       NULL};
	g_auto(GStrv) envp = NULL;
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autoptr(GVariant) report = NULL;
	gboolean complete = FALSE;

	rb_test_service_start_daemon(service, rb_two_recorders);
	client = rb_test_client_new(service);
	rb_test_client_wait_for_drive(client, RB_V0);
	envp = rb_test_service_get_environ(service);
	ck_assert_msg(rb_test_run(argv, envp, &out, &err) == 0, "%s%s", out, err);
	ck_assert_msg(strstr(out, "burned 2 tracks on virtual0") != NULL, "%s", out);
	report = rb_assert_clean(client, RB_V0, 2);
	ck_assert(g_variant_lookup(report, "Complete", "b", &complete));
	ck_assert(complete);
	rb_test_service_stop_daemon(service);
}
END_TEST

static Suite *
rb_suite(void)
{
	Suite *suite = suite_create("image-creator");
	TCase *tc = tcase_create("image-creator");

	tcase_set_timeout(tc, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_test(tc, test_image_creator_end_to_end);
	tcase_add_test(tc, test_image_creator_rules);
	tcase_add_test(tc, test_image_creator_ownership);
	tcase_add_test(tc, test_image_creator_truncated_track);
	tcase_add_test(tc, test_image_creator_pipe_track);
	tcase_add_test(tc, test_image_creator_python_example);
	suite_add_tcase(suite, tc);
	return suite;
}

int
main(void)
{
	return rb_test_run_suite(rb_suite());
}
