#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Burns audio tracks with rawburnd's image creator, with no sub-channel
# knowledge: each FILE is raw CD audio (44.1 kHz, 16-bit stereo,
# little-endian, a multiple of 2352 bytes, at least 4 s). The README's
# example, run by the test suite.
#
#   rb-burn-tracks.py [--session] RECORDER FILE...
#   (RECORDER: a name such as sr0 or virtual0)

import sys

import gi

gi.require_version("Gio", "2.0")
from gi.repository import Gio, GLib  # noqa: E402

NAME = "org.rawburn.RawBurn1"
PREFIX = "org.rawburn.RawBurn1."

args = sys.argv[1:]
session = "--session" in args
args = [a for a in args if a != "--session"]
if len(args) < 2:
    sys.exit("usage: rb-burn-tracks.py [--session] RECORDER FILE...")
recorder = "/org/rawburn/RawBurn1/recorders/" + args[0]
bus = Gio.bus_get_sync(Gio.BusType.SESSION if session else Gio.BusType.SYSTEM)


def call(path, interface, method, params=None, fds=(), timeout=-1):
    fd_list = Gio.UnixFDList.new()
    for fd in fds:
        fd_list.append(fd)
    return bus.call_with_unix_fd_list_sync(
        NAME, path, PREFIX + interface, method, params, None,
        Gio.DBusCallFlags.ALLOW_INTERACTIVE_AUTHORIZATION, timeout, fd_list, None)


reply, _ = call("/org/rawburn/RawBurn1/Manager", "Manager", "CreateImageCreator")
creator = reply.unpack()[0]
for name in args[1:]:
    with open(name, "rb") as track:
        # sector type 0: audio; the handle is index 0 of the fds passed
        call(creator, "RawCDImageCreator", "AddTrack",
             GLib.Variant("(uh)", (0, 0)), [track.fileno()])
reply, fds = call(creator, "RawCDImageCreator", "CreateResultImage")
stream = fds.get(0)
# the burn replies when it is over: no timeout
call(recorder, "DiscFormat2RawCD", "Burn",
     GLib.Variant("(ha{sv})", (0, {"ClientName": GLib.Variant("s", "rb-burn-tracks")})),
     [stream], timeout=GLib.MAXINT32)
call(creator, "RawCDImageCreator", "Close")
print("burned %d tracks on %s" % (len(args) - 1, args[0]))
