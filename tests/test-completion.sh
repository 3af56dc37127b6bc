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
RAWBURND=$RB_TEST_BUILDDIR/daemon/rawburnd
RAWBURNCTL=$RB_TEST_BUILDDIR/client/rawburnctl
. "$RB_TEST_SRCDIR/tests/rb-private-bus.sh"
. "$RB_TEST_SRCDIR/tests/rb-sh-check.sh"

workdir=$(mktemp -d "${TMPDIR:-/tmp}/rawburn-test-completion-XXXXXX")
cleanup() {
	rb_private_bus_stop
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

rb_private_bus_start "$workdir" || exit 1
# never the machine's system bus: a bus that is not there
DBUS_SYSTEM_BUS_ADDRESS=unix:path=$workdir/no-system-bus
export DBUS_SYSTEM_BUS_ADDRESS

# before the service runs: no names, no error, no wait
expect_not virtual0 -- rawburnctl --session burn ""

rb_rawburnd_start "$workdir/rawburnd.log" --virtual-recorder media=cd-rw-80,realtime=false ||
	exit 1

# the listing the completion asks for
names=$("$RAWBURNCTL" --session list --names)
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

check_summary
