# SPDX-License-Identifier: GPL-3.0-or-later
#
# Sourced by the shell tests and tests/demo.sh: rawburnd --session on a
# private bus of its own, so nothing reaches the machine's buses and every
# run starts from a service with only the virtual recorders it was given.
# The caller's cleanup trap ends both with rb_private_bus_stop; the pids
# are in bus_pid and daemon_pid for that trap (empty until started).
# DBUS_DAEMON (default dbus-daemon), RAWBURND and RAWBURNCTL name the
# programs.

bus_pid=""
daemon_pid=""

# rb_private_bus_start DIR: a session bus listening in DIR, its address
# exported as DBUS_SESSION_BUS_ADDRESS
rb_private_bus_start() {
	cat >"$1/bus.conf" <<CONF
<busconfig>
  <type>session</type>
  <listen>unix:dir=$1</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*"/><allow receive_sender="*"/><allow own="*"/>
  </policy>
</busconfig>
CONF
	"${DBUS_DAEMON:-dbus-daemon}" --config-file="$1/bus.conf" --nofork --print-address=3 \
		3>"$1/address" &
	bus_pid=$!
	# the address is printed once the bus listens
	for _ in $(seq 100); do
		[ -s "$1/address" ] && break
		kill -0 "$bus_pid" 2>/dev/null || break
		sleep 0.1
	done
	if [ ! -s "$1/address" ]; then
		echo "FAIL: dbus-daemon did not start" >&2
		return 1
	fi
	DBUS_SESSION_BUS_ADDRESS=$(head -n 1 "$1/address")
	export DBUS_SESSION_BUS_ADDRESS
}

# rb_rawburnd_start LOG ARGS...: rawburnd --session ARGS on that bus, its
# output in LOG; returns once the service answers a client, which also
# means its recorders are listed
rb_rawburnd_start() {
	rb_log=$1
	shift
	"$RAWBURND" --session "$@" >"$rb_log" 2>&1 &
	daemon_pid=$!
	for _ in $(seq 200); do
		"$RAWBURNCTL" --session list >/dev/null 2>&1 && return 0
		kill -0 "$daemon_pid" 2>/dev/null || break
		sleep 0.1
	done
	cat "$rb_log" >&2
	echo "FAIL: rawburnd did not answer" >&2
	return 1
}

# for the cleanup trap: the service, then its bus
rb_private_bus_stop() {
	[ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null
	[ -n "$bus_pid" ] && kill "$bus_pid" 2>/dev/null && wait "$bus_pid" 2>/dev/null
	daemon_pid=""
	bus_pid=""
}
