#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The bash completion of rawburnctl, as bash runs it on <TAB>: commands,
# options, option values, image files, and recorder names from a service
# on a private bus (rawburnd --session with a virtual recorder); with no
# service, no names and no wait. RB_TEST_BUILDDIR, RB_TEST_SRCDIR and
# DBUS_DAEMON come from the Makefile.
set -u

: "${RB_TEST_BUILDDIR:?}" "${RB_TEST_SRCDIR:?}"
: "${DBUS_DAEMON:=dbus-daemon}"
script=$RB_TEST_SRCDIR/client/completion/rawburnctl
checks=0
failures=0

check() {
	checks=$((checks + 1))
	if [ "$1" -ne 0 ]; then
		failures=$((failures + 1))
		echo "FAIL: $2"
	else
		echo "ok: $2"
	fi
}

workdir=$(mktemp -d "${TMPDIR:-/tmp}/rawburn-test-completion-XXXXXX")
bus_pid=""
daemon_pid=""
cleanup() {
	[ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null
	[ -n "$bus_pid" ] && kill "$bus_pid" 2>/dev/null
	rm -rf "$workdir"
}
trap cleanup EXIT INT TERM

# the words bash offers for a command line whose last word is being
# completed: "rawburnctl er" → erase; one word a line
complete_words() {
	(cd "$workdir/files" && PATH="$RB_TEST_BUILDDIR/client:$PATH" bash --norc --noprofile -c '
		source "$0" || exit 1
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"
		COMP_POINT=${#COMP_LINE}
		_rawburnctl rawburnctl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
		printf "%s\n" "${COMPREPLY[@]}"' "$script" "$@")
}

# expect WORDS... -- COMMAND LINE: the completion holds each of WORDS
expect() {
	wanted=""
	while [ "$1" != -- ]; do
		wanted="$wanted $1"
		shift
	done
	shift
	complete_words "$@" >"$workdir/reply.txt" 2>"$workdir/reply-errors.txt"
	status=$?
	missing=""
	for word in $wanted; do
		grep -qx -e "$word" "$workdir/reply.txt" || missing="$missing $word"
	done
	[ "$status" -eq 0 ] && [ -z "$missing" ] && [ ! -s "$workdir/reply-errors.txt" ]
	check $? "'$*<TAB>' offers$wanted${missing:+ (missing:$missing; got: $(tr '\n' ' ' <"$workdir/reply.txt"))}"
	cat "$workdir/reply-errors.txt"
}

# expect_not WORD -- COMMAND LINE: the completion does not hold WORD
expect_not() {
	unwanted=$1
	shift 2
	complete_words "$@" >"$workdir/reply.txt" 2>&1
	! grep -qx -e "$unwanted" "$workdir/reply.txt"
	check $? "'$*<TAB>' does not offer $unwanted"
}

mkdir "$workdir/files" "$workdir/files/discs"
: >"$workdir/files/album.cue"
: >"$workdir/files/album.bin"
: >"$workdir/files/Track01.WAV"
: >"$workdir/files/notes.txt"

# the private bus, as tests/demo.sh starts it
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
for _ in $(seq 100); do
	[ -s "$workdir/address" ] && break
	sleep 0.1
done
DBUS_SESSION_BUS_ADDRESS=$(head -n 1 "$workdir/address")
export DBUS_SESSION_BUS_ADDRESS
# never the machine's system bus: a bus that is not there
DBUS_SYSTEM_BUS_ADDRESS=unix:path=$workdir/no-system-bus
export DBUS_SYSTEM_BUS_ADDRESS

# before the service runs: no names, no error, no wait
expect_not virtual0 -- rawburnctl --session burn ""

"$RB_TEST_BUILDDIR/daemon/rawburnd" --session --virtual-recorder media=cd-rw-80,realtime=false \
	2>"$workdir/rawburnd.log" &
daemon_pid=$!
# ready when it answers
for _ in $(seq 200); do
	"$RB_TEST_BUILDDIR/client/rawburnctl" --session list >/dev/null 2>&1 && break
	sleep 0.1
done

# the listing the completion asks for
names=$("$RB_TEST_BUILDDIR/client/rawburnctl" --session list --names)
[ "$names" = virtual0 ]
check $? "rawburnctl --session list --names prints virtual0 alone (got: $names)"

expect erase -- rawburnctl er
expect list info burn erase verify show image report export virtual -- rawburnctl ""
expect --session --json --version -- rawburnctl --
expect virtual0 -- rawburnctl --session burn ""
expect virtual0 -- rawburnctl burn --session ""
expect virtual0 -- rawburnctl --session erase --full ""
expect virtual0 -- rawburnctl --session info v
# the system bus has no service: no recorder names from the session's
expect_not virtual0 -- rawburnctl burn ""
expect --simulate --verify --sector-type --lead-in --speed --no-burnfree --client-name \
	--title --no-cd-text -- rawburnctl burn --
expect --full --client-name -- rawburnctl erase --
expect 1 2 3 -- rawburnctl burn --sector-type ""
expect 1 2 3 -- rawburnctl burn --sector-type = ""
expect album.cue album.bin Track01.WAV discs - -- rawburnctl --session burn virtual0 ""
expect_not notes.txt -- rawburnctl --session burn virtual0 ""
# a burn's image after an option that takes a value
expect album.cue -- rawburnctl --session burn --speed 300 virtual0 a
expect album.cue -- rawburnctl show ""
expect insert load remove -- rawburnctl virtual ""
expect virtual0 -- rawburnctl --session virtual load ""
expect cd-rw-74 cd-r-80 -- rawburnctl --session virtual insert virtual0 ""
expect --media --first-lba -- rawburnctl virtual load --
expect notes.txt -- rawburnctl --session export virtual0 ""

kill "$daemon_pid"
wait "$daemon_pid"
check $? "rawburnd ended cleanly"
daemon_pid=""

echo "$(((checks - failures) * 100 / checks))%: Checks: $checks, Failures: $failures, Errors: 0"
[ "$failures" -eq 0 ]
