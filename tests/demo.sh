#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The main job, end to end with no hardware: a private D-Bus bus, rawburnd on
# it with a virtual CD recorder, and rawburnctl talking to it. Run by
# "make demo"; RAWBURND, RAWBURNCTL and DBUS_DAEMON name the programs.
set -eu

: "${RAWBURND:?}" "${RAWBURNCTL:?}" "${DBUS_DAEMON:=dbus-daemon}"

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

echo "== rawburnd --session --virtual-recorder media=cd-r-80,speed=48,realtime=false"
"$RAWBURND" --session --virtual-recorder media=cd-r-80,speed=48,realtime=false 2>"$workdir/rawburnd.log" &
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
