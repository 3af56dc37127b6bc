#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The main job, end to end with no hardware: a private D-Bus bus, rawburnd on
# it with a virtual CD recorder, and rawburnctl burning a generated raw audio
# image onto it; then the emulated drive's validation report and the burned
# disc, byte for byte, prove the burn. Run by "make demo"; RAWBURND,
# RAWBURNCTL, MAKE_IMAGE (rawburn-make-image) and DBUS_DAEMON name the
# programs.
set -eu

: "${RAWBURND:?}" "${RAWBURNCTL:?}" "${MAKE_IMAGE:?}" "${DBUS_DAEMON:=dbus-daemon}"

workdir=$(mktemp -d "${TMPDIR:-/tmp}/rawburn-demo-XXXXXX")
bus_pid=""
daemon_pid=""
cleanup() {
	[ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null
	[ -n "$bus_pid" ] && kill "$bus_pid" 2>/dev/null
	rm -rf "$workdir"
}
trap cleanup EXIT INT TERM

cat >"$workdir/bus.conf" <<CONF
<busconfig>
  <type>session</type>
  <listen>unix:dir=$workdir</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*"/><allow receive_sender="*"/><allow own="*"/>
  </policy>
</busconfig>
CONF

"$DBUS_DAEMON" --config-file="$workdir/bus.conf" --nofork --print-address=3 3>"$workdir/address" &
bus_pid=$!
for _ in $(seq 50); do
	[ -s "$workdir/address" ] && break
	sleep 0.1
done
DBUS_SESSION_BUS_ADDRESS=$(head -n 1 "$workdir/address")
export DBUS_SESSION_BUS_ADDRESS
echo "== private bus: $DBUS_SESSION_BUS_ADDRESS"

echo "== rawburnd --session --virtual-recorder media=cd-r-80,realtime=false"
"$RAWBURND" --session --virtual-recorder media=cd-r-80,realtime=false 2>"$workdir/rawburnd.log" &
daemon_pid=$!
for _ in $(seq 100); do
	"$RAWBURNCTL" --session list >/dev/null 2>&1 && break
	sleep 0.1
done

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
if ! python3 - "$workdir/report.json" <<'CHECK'
import json, sys
r = json.load(open(sys.argv[1]))
bad = {k: r.get(k) for k in ("BadQCrc", "AddressMismatches", "TocMismatches") if r.get(k) != 0}
if r.get("Complete") is not True or bad:
    sys.exit("the drive found a bad recording: Complete=%s %s" % (r.get("Complete"), bad))
CHECK
then
	exit 1
fi

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
