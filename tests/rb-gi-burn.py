#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Burns IMAGE on RECORDER through librawburn's GObject Introspection data,
# as a Python application would, following the progress and the burn's
# job to its Completed signal. Run by
# tests/test-gi-burn on a private bus (the session bus address is that
# bus's).
#
#   rb-gi-burn.py RECORDER IMAGE

import sys

import gi

gi.require_version("Gio", "2.0")
gi.require_version("RawBurn", "1.0")
from gi.repository import Gio, GLib, RawBurn  # noqa: E402


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


recorder_name, image = sys.argv[1:3]
loop = GLib.MainLoop()
client = RawBurn.Client.new_sync(Gio.BusType.SESSION, None)
if client.get_name_owner() is None:
    fail("rawburnd is not on the bus")
recorder = client.lookup_recorder(recorder_name)
if recorder is None:
    fail("no recorder " + recorder_name)
if client.lookup_recorder("no-such-recorder") is not None:
    fail("an unknown recorder was found")
path = recorder.get_object_path()

state = {"burned": None, "jobs": 0, "jobs_done": 0, "job_error": None,
         "progress": 0, "writing": 0, "fraction": -1.0}


def maybe_quit():
    if state["burned"] is not None and state["jobs_done"] == state["jobs"]:
        loop.quit()


def on_progress(burn, action, fraction, elapsed, remaining):
    state["progress"] += 1
    if action == 2:
        state["writing"] += 1
    state["fraction"] = fraction


def on_job_done(client, result):
    try:
        client.wait_for_job_finish(result)
    except GLib.Error as e:
        state["job_error"] = e.message
    state["jobs_done"] += 1
    maybe_quit()


def on_object_added(manager, obj):
    job = obj.get_job()
    if job is None or path not in job.props.objects:
        return
    state["jobs"] += 1
    client.wait_for_job(obj, None, on_job_done)


def on_burned(burn, result):
    try:
        state["burned"] = burn.finish(result)
    except GLib.Error as e:
        fail("the burn failed: " + e.message)
    maybe_quit()


client.get_object_manager().connect("object-added", on_object_added)
burn = RawBurn.Burn.new(recorder)
burn.connect("progress", on_progress)
options = GLib.Variant("a{sv}", {"ClientName": GLib.Variant("s", "rb-gi-burn")})
burn.burn_file(Gio.File.new_for_path(image), options, None, on_burned)
loop.run()

if state["writing"] == 0 or state["fraction"] != 1.0:
    fail("no progress while writing: %r" % state)
if state["jobs"] != 1:
    fail("the burn should have been one job, it was %d" % state["jobs"])
if state["job_error"] is not None:
    fail("the job failed: " + state["job_error"])

# the drive's own account of what was written, read afresh
reply = client.get_connection().call_sync(
    "org.rawburn.RawBurn1", path, "org.freedesktop.DBus.Properties", "Get",
    GLib.Variant("(ss)", ("org.rawburn.RawBurn1.VirtualRecorder", "ValidationReport")),
    GLib.VariantType("(v)"), Gio.DBusCallFlags.NONE, -1, None)
report = reply.unpack()[0]
if report.get("SectorsWritten", 0) == 0:
    fail("the drive wrote nothing: %r" % report)
print("burned %s: %d sectors, %d progress updates, %d job(s) followed"
      % (recorder_name, report["SectorsWritten"], state["progress"], state["jobs"]))
