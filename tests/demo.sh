#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The main job, end to end with no hardware: a private D-Bus bus, rawburnd on
# it with a virtual CD recorder, and rawburnctl burning a generated raw audio
# image onto it; then the emulated drive's validation report and the burned
# disc, byte for byte, prove the burn. The disc then goes back into the
# drive, is judged again, and a real reader (libcdio's cd-info) reads its
# tracks from the emulated drive at /dev/sr0. Last, an app's way: two plain
# audio tracks become a disc through the service's image creator
# (tests/rb-burn-tracks.py, Python with Gio), judged clean. Then the way
# people hold discs: a CUE sheet of two WAV files with CD-TEXT, shown,
# burned with rawburnctl, judged clean, and read back by cd-info, CD-TEXT
# included. Last, a CD-RW: the CUE sheet burned as a simulation (the disc
# stays blank), then for real and verified by reading it back, a sector
# spoiled behind the writer's back caught by verification, and the disc
# erased and burned again. Then the desktop's way: a Python app using the
# client library (gi.repository.RawBurn, tests/rb-gi-burn.py) burns and
# follows its burn's job; a burn on a second, real-time recorder is
# cancelled by another process with `rawburnctl cancel`; and
# `rawburnctl monitor`, running since the start, shows what it saw.
# Run by "make demo"; RAWBURND, RAWBURNCTL, MAKE_IMAGE (rawburn-make-image),
# VDRIVE_RUN (rawburn-vdrive-run), BURN_TRACKS (rb-burn-tracks.py),
# GI_BURN (rb-gi-burn.py), LIBRAWBURN_DIR (the built library and typelib)
# and DBUS_DAEMON name the programs; RB_TEST_SRCDIR the source tree.
set -eu

: "${RAWBURND:?}" "${RAWBURNCTL:?}" "${MAKE_IMAGE:?}" "${VDRIVE_RUN:?}" "${BURN_TRACKS:?}"
: "${GI_BURN:?}" "${LIBRAWBURN_DIR:?}" "${RB_TEST_SRCDIR:?}"
: "${DBUS_DAEMON:=dbus-daemon}"

. "$RB_TEST_SRCDIR/tests/rb-private-bus.sh"
workdir=$(mktemp -d "${TMPDIR:-/tmp}/rawburn-demo-XXXXXX")
monitor_pid=""
cleanup() {
	[ -n "$monitor_pid" ] && kill "$monitor_pid" 2>/dev/null
	rb_private_bus_stop
	rm -rf "$workdir"
}
trap cleanup EXIT INT TERM

rb_private_bus_start "$workdir"
echo "== private bus: $DBUS_SESSION_BUS_ADDRESS"

echo "== rawburnd --session --virtual-recorder media=cd-r-80,realtime=false"
rb_rawburnd_start "$workdir/rawburnd.log" --virtual-recorder media=cd-r-80,realtime=false

# what a desktop shell would show, from now to the end (printed at the end)
"$RAWBURNCTL" --session monitor >"$workdir/monitor.txt" 2>&1 &
monitor_pid=$!

echo "== rawburnctl --session list"
"$RAWBURNCTL" --session list
echo
echo "== rawburnctl --session info virtual0"
"$RAWBURNCTL" --session info virtual0
echo
echo "== rawburnctl --session --json list"
"$RAWBURNCTL" --session --json list

# where the blank disc's lead-in starts (ATIP): the burned disc begins there
leadin=$("$RAWBURNCTL" --session --json info virtual0 |
	python3 -c 'import json, sys; print(json.load(sys.stdin)["DiscFormat2RawCD"]["StartOfNextSession"])')

echo
echo "== rawburn-make-image --sector-type 3 --tracks 2 --seconds 30 image.raw"
"$MAKE_IMAGE" --sector-type 3 --tracks 2 --seconds 30 "$workdir/image.raw"

echo
echo "== the same image, claimed to start at the disc's lead-in (--lead-in 11634): refused before the first WRITE"
if "$RAWBURNCTL" --session burn virtual0 "$workdir/image.raw" --sector-type 3 --lead-in 11634 \
	2>"$workdir/refused.txt"; then
	echo "a misaligned stream was burned" >&2
	exit 1
fi
cat "$workdir/refused.txt"
grep -q "StreamInvalid\|0xC0AA06F0" "$workdir/refused.txt"
"$RAWBURNCTL" --session --json report virtual0 >"$workdir/report.json"
python3 - "$workdir/report.json" <<'CHECK'
import json, sys
r = json.load(open(sys.argv[1]))
if r.get("SectorsWritten") != 0:
    sys.exit("the refused stream reached the disc: %s sectors" % r.get("SectorsWritten"))
print("the disc is still blank: 0 sectors written")
CHECK

echo
echo "== rawburnctl --session burn virtual0 image.raw --sector-type 3"
"$RAWBURNCTL" --session burn virtual0 "$workdir/image.raw" --sector-type 3

echo
echo "== rawburnctl --session report virtual0"
"$RAWBURNCTL" --session report virtual0
"$RAWBURNCTL" --session --json report virtual0 >"$workdir/report.json"
check_report() {
	python3 - "$workdir/report.json" <<'CHECK'
import json, sys
r = json.load(open(sys.argv[1]))
counters = ("BadQCrc", "AddressMismatches", "TocMismatches", "TocShortRuns",
            "RelativeTimeMismatches", "SequenceErrors", "PChannelMismatches",
            "McnIsrcErrors", "CdTextCrcErrors")
bad = {k: r.get(k) for k in counters if r.get(k) != 0}
if r.get("Complete") is not True or r.get("Tracks") != 2 or bad or r.get("FirstProblems"):
    sys.exit("the drive found a bad recording: Complete=%s Tracks=%s %s %s"
             % (r.get("Complete"), r.get("Tracks"), bad, r.get("FirstProblems")))
CHECK
}
check_report

echo
echo "== rawburnctl --session export virtual0 disc.raw; cmp with the image from LBA $leadin on"
"$RAWBURNCTL" --session export virtual0 "$workdir/disc.raw"
# the image starts at LBA -22650 (95:00:00), the disc at its lead-in; IS_RAW
# sectors are 2448 bytes in both
skip=$(((leadin + 22650) * 2448))
if ! tail -c +$((skip + 1)) "$workdir/image.raw" | cmp - "$workdir/disc.raw"; then
	echo "the burned disc differs from the image" >&2
	exit 1
fi
echo "burn verified: $(($(wc -c <"$workdir/disc.raw") / 2448)) sectors on the disc equal the image, the drive's report is clean"

echo
echo "== rawburnctl --session virtual insert virtual0 cd-r-80; virtual load virtual0 disc.raw"
# a fresh blank first, to show the drive forgets the burn; then the saved
# disc goes back in and is judged again, sector by sector
"$RAWBURNCTL" --session virtual insert virtual0 cd-r-80
"$RAWBURNCTL" --session --json report virtual0 >"$workdir/report.json"
python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); sys.exit(r["SectorsWritten"] != 0)' \
	"$workdir/report.json"
"$RAWBURNCTL" --session virtual load virtual0 "$workdir/disc.raw"
"$RAWBURNCTL" --session --json report virtual0 >"$workdir/report.json"
check_report
echo "the disc is back in virtual0 and judged clean again"

echo
echo "== rawburn-vdrive-run --disc disc.raw cd-info /dev/sr0: a real reader on the burned disc"
"$VDRIVE_RUN" --disc "$workdir/disc.raw" cd-info --no-header --no-device-info --no-cddb \
	--no-vcd --no-ioctl /dev/sr0 >"$workdir/cd-info.txt" 2>&1 || {
	cat "$workdir/cd-info.txt" >&2
	exit 1
}
sed -n '/CD-ROM Track List/,/leadout/p' "$workdir/cd-info.txt"
grep -q "^  2: 00:19:00  001275 audio" "$workdir/cd-info.txt" || {
	echo "cd-info does not list track 2 where it was burned" >&2
	exit 1
}

echo
echo "== two audio tracks (6 s and 5 s of raw CD audio) through the image creator: rb-burn-tracks.py"
# any 2352-byte sectors will do as audio; the image creator adds everything else
head -c $((450 * 2352)) /dev/urandom >"$workdir/track1.raw"
head -c $((375 * 2352)) /dev/urandom >"$workdir/track2.raw"
"$RAWBURNCTL" --session virtual insert virtual0 cd-r-80
/usr/bin/python3 "$BURN_TRACKS" --session virtual0 "$workdir/track1.raw" "$workdir/track2.raw"
"$RAWBURNCTL" --session --json report virtual0 >"$workdir/report.json"
check_report
echo "the image creator's disc is judged clean: 2 tracks, no sub-channel written by the app"

echo
echo "== a CUE sheet with CD-TEXT: two WAV files (8 s and 6 s), a second index, an ISRC, a pregap"
# the samples: two tones, made with Python's standard library
python3 - "$workdir" <<'WAV'
import math, struct, sys, wave
for name, seconds, hz in (("intro.wav", 8, 440), ("outro.wav", 6, 660)):
    with wave.open(f"{sys.argv[1]}/{name}", "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(44100)
        one = [int(8000 * math.sin(2 * math.pi * hz * i / 44100)) for i in range(44100)]
        second = b"".join(struct.pack("<hh", v, v) for v in one)
        out.writeframes(second * seconds)
WAV
cat >"$workdir/disc.cue" <<'CUE'
CATALOG 4006381333931
PERFORMER "The Virtual Band"
TITLE "Raw Sessions"
FILE "intro.wav" WAVE
  TRACK 01 AUDIO
    TITLE "Intro"
    PERFORMER "The Virtual Band"
    ISRC DEXX12600001
    INDEX 01 00:00:00
    INDEX 02 00:04:00
FILE "outro.wav" WAVE
  TRACK 02 AUDIO
    TITLE "Outro"
    PERFORMER "The Virtual Band"
    PREGAP 00:02:00
    INDEX 01 00:00:00
CUE
cat "$workdir/disc.cue"
echo
echo "== rawburnctl show disc.cue"
"$RAWBURNCTL" show "$workdir/disc.cue"
echo
echo "== rawburnctl --session burn virtual0 disc.cue (a fresh blank first)"
"$RAWBURNCTL" --session virtual insert virtual0 cd-r-80
"$RAWBURNCTL" --session burn virtual0 "$workdir/disc.cue"
"$RAWBURNCTL" --session --json report virtual0 >"$workdir/report.json"
check_report
python3 - "$workdir/report.json" <<'CHECK'
import json, sys
r = json.load(open(sys.argv[1]))
if not r.get("CdTextPacks"):
    sys.exit("the drive found no CD-TEXT in the lead-in")
print("the drive's report is clean; the lead-in carried %d CD-TEXT packs" % r["CdTextPacks"])
CHECK
"$RAWBURNCTL" --session export virtual0 "$workdir/cue-disc.raw"
echo
echo "== rawburn-vdrive-run --disc cue-disc.raw cd-info /dev/sr0: libcdio reads the tracks and the CD-TEXT"
"$VDRIVE_RUN" --disc "$workdir/cue-disc.raw" cd-info --no-header --no-device-info --no-cddb \
	--no-vcd --no-ioctl /dev/sr0 >"$workdir/cd-info.txt" 2>&1 || {
	cat "$workdir/cd-info.txt" >&2
	exit 1
}
sed -n '/CD-ROM Track List/,/leadout/p;/CD-TEXT/,$p' "$workdir/cd-info.txt" | grep -v "^$"
for text in "Raw Sessions" "Intro" "Outro" "The Virtual Band"; do
	grep -q "$text" "$workdir/cd-info.txt" || {
		echo "cd-info does not read “$text” back from the disc's CD-TEXT" >&2
		exit 1
	}
done
echo "the CUE sheet's disc reads back with its CD-TEXT"

echo
echo "== a CD-RW: a simulated burn, a burn verified by reading it back, an erase"
"$RAWBURNCTL" --session virtual insert virtual0 cd-rw-80
blank_state() {
	"$RAWBURNCTL" --session --json info virtual0 |
		python3 -c 'import json, sys; print(json.load(sys.stdin)["DiscFormat2RawCD"]["MediaPhysicallyBlank"])'
}
echo "== rawburnctl --session burn --simulate virtual0 disc.cue: everything runs, the laser stays off"
"$RAWBURNCTL" --session burn --simulate virtual0 "$workdir/disc.cue"
[ "$(blank_state)" = "True" ] || {
	echo "the simulation recorded something: the disc is no longer blank" >&2
	exit 1
}
echo "after the simulation the disc is still blank"
echo
echo "== rawburnctl --session burn --verify virtual0 disc.cue: digests kept while writing, the disc read back"
"$RAWBURNCTL" --session burn --verify virtual0 "$workdir/disc.cue"
echo
echo "== rawburnctl --session verify virtual0 disc.cue: the disc compared with the CUE sheet's stream again"
"$RAWBURNCTL" --session verify virtual0 "$workdir/disc.cue"
echo
echo "== the emulated drive spoils one stored sector behind the writer's back (fault CorruptAtLba 500): verify finds it"
gdbus call --session --dest org.rawburn.RawBurn1 \
	--object-path /org/rawburn/RawBurn1/recorders/virtual0 \
	--method org.freedesktop.DBus.Properties.Set org.rawburn.RawBurn1.VirtualRecorder Faults \
	"<{'CorruptAtLba': <500>}>" >/dev/null
"$RAWBURNCTL" --session erase virtual0 >/dev/null
if "$RAWBURNCTL" --session burn --verify virtual0 "$workdir/disc.cue" 2>"$workdir/verify.txt"; then
	echo "verification missed a sector that reads back wrong" >&2
	exit 1
fi
cat "$workdir/verify.txt"
grep -q "BurnVerificationFailed\|0xC0AA0007" "$workdir/verify.txt"
grep -q "LBA 500" "$workdir/verify.txt"
echo
echo "== rawburnctl --session erase virtual0: a minimal blank, then the CD-RW takes a burn again"
[ "$(blank_state)" = "False" ]
"$RAWBURNCTL" --session erase virtual0
[ "$(blank_state)" = "True" ] || {
	echo "the erased CD-RW does not read as blank" >&2
	exit 1
}
"$RAWBURNCTL" --session burn --verify virtual0 "$workdir/disc.cue" >/dev/null
echo "erased, burned again and verified"

echo
echo "== a Python app with gi.repository.RawBurn (librawburn-1) burns and follows its job: rb-gi-burn.py"
"$RAWBURNCTL" --session virtual insert virtual0 cd-r-80
"$MAKE_IMAGE" --sector-type 3 --tracks 2 --seconds 10 "$workdir/app.raw" >/dev/null
GI_TYPELIB_PATH=$LIBRAWBURN_DIR LD_LIBRARY_PATH=$LIBRAWBURN_DIR/.libs \
	/usr/bin/python3 "$GI_BURN" virtual0 "$workdir/app.raw"

echo
echo "== a burn on a second recorder (real time, 4x) cancelled from another process: rawburnctl cancel virtual1"
gdbus call --session --dest org.rawburn.RawBurn1 --object-path /org/rawburn/RawBurn1/Manager \
	--method org.rawburn.RawBurn1.Manager.AddVirtualRecorder \
	"{'Media': <'cd-r-80'>, 'MaxSpeed': <uint32 4>, 'Realtime': <true>}" >/dev/null
burn_status=0
"$RAWBURNCTL" --session burn virtual1 "$workdir/image.raw" --sector-type 3 \
	>/dev/null 2>"$workdir/cancelled.txt" &
burn_pid=$!
# the job exists once the write began; until then there is nothing to cancel
for _ in $(seq 100); do
	"$RAWBURNCTL" --session cancel virtual1 2>/dev/null && break
	sleep 0.1
done
wait "$burn_pid" || burn_status=$?
cat "$workdir/cancelled.txt"
[ "$burn_status" -eq 7 ] || {
	echo "the cancelled burn exited $burn_status, not 7 (cancelled)" >&2
	exit 1
}
echo "the burn ended cancelled (exit status 7) and the recorder is free again"

echo
echo "== what rawburnctl monitor saw of the jobs"
kill "$monitor_pid"
wait "$monitor_pid" 2>/dev/null || true
monitor_pid=""
grep -E "^job [0-9]+ (added|completed|failed)|^recorder" "$workdir/monitor.txt"
grep -q "failed: .*RequestCancelled" "$workdir/monitor.txt" || {
	echo "monitor did not see the cancelled job" >&2
	exit 1
}

kill "$daemon_pid"
if wait "$daemon_pid"; then
	daemon_pid=""
	echo
	echo "== rawburnd shut down cleanly"
else
	daemon_pid=""
	echo "rawburnd failed; its log:" >&2
	cat "$workdir/rawburnd.log" >&2
	exit 1
fi
