#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The man pages: groff and man format them without a single warning, and
# rawburnctl.1 names every command and every option that rawburnctl's own
# --help shows, so the page cannot silently fall behind the program.
# RB_TEST_BUILDDIR and RB_TEST_SRCDIR name the build and source trees (the
# Makefile sets them).
set -u

: "${RB_TEST_BUILDDIR:?}" "${RB_TEST_SRCDIR:?}"
rawburnctl=$RB_TEST_BUILDDIR/client/rawburnctl
. "$RB_TEST_SRCDIR/tests/rb-sh-check.sh"

for tool in groff man; do
	if ! command -v "$tool" >/dev/null; then
		echo "FAIL: $tool is missing: install groff-base and man-db"
		echo "0%: Checks: 1, Failures: 1, Errors: 0"
		exit 1
	fi
done

workdir=$(mktemp -d "${TMPDIR:-/tmp}/rawburn-test-man-XXXXXX")
trap 'rm -rf "$workdir"' EXIT

for page in "$RB_TEST_BUILDDIR/man/rawburnd.8" "$RB_TEST_BUILDDIR/man/rawburnctl.1"; do
	name=$(basename "$page")
	[ -s "$page" ]
	check $? "$name was generated"

	# -ww: every warning; -b: a backtrace with each; -z: no output but them
	groff -man -z -ww -b "$page" >"$workdir/groff.txt" 2>&1
	status=$?
	[ "$status" -eq 0 ] && [ ! -s "$workdir/groff.txt" ]
	check $? "groff -man -z -ww -b $name: no warnings"
	cat "$workdir/groff.txt"

	# man-db drops root's privileges before it formats: the page comes on
	# standard input, so a build tree only root may read still works
	LC_ALL=C.UTF-8 MANWIDTH=80 MANPAGER=cat PAGER=cat \
		man --warnings -l - <"$page" >"$workdir/man.txt" 2>"$workdir/man-warnings.txt"
	status=$?
	[ "$status" -eq 0 ] && [ ! -s "$workdir/man-warnings.txt" ] && [ -s "$workdir/man.txt" ]
	check $? "man --warnings -l $name: formats at 80 columns without warnings"
	cat "$workdir/man-warnings.txt"
done

# every command of rawburnctl's table (and every subcommand such as
# "virtual insert") has its own subsection; the C locale's --help has the
# untranslated words
page=$RB_TEST_BUILDDIR/man/rawburnctl.1
LC_ALL=C "$rawburnctl" --help >"$workdir/help.txt" 2>&1
sed -n '/^Commands:$/,$ s/^  \([a-z][a-z-]*\)\( \([a-z|-]*|[a-z|-]*\)\)\{0,1\}\( .*\)\{0,1\}$/\1 \3/p' \
	"$workdir/help.txt" >"$workdir/commands.txt"
[ "$(wc -l <"$workdir/commands.txt")" -ge 10 ]
check $? "rawburnctl --help lists the commands ($(wc -l <"$workdir/commands.txt") found)"

while read -r command subcommands; do
	if [ -z "$subcommands" ]; then
		grep -q "^\.SS $command\( \|$\)" "$page"
		check $? "rawburnctl.1 has a subsection for '$command'"
		LC_ALL=C "$rawburnctl" "$command" --help >"$workdir/command-help.txt" 2>&1
	else
		: >"$workdir/command-help.txt"
		for sub in $(echo "$subcommands" | tr '|' ' '); do
			grep -q "^\.SS $command $sub\( \|$\)" "$page"
			check $? "rawburnctl.1 has a subsection for '$command $sub'"
			LC_ALL=C "$rawburnctl" "$command" "$sub" --help >>"$workdir/command-help.txt" 2>&1
		done
	fi
	# every option the command takes is described somewhere in the page
	missing=""
	for option in $(sed -n 's/^  \(-[A-Za-z0-9], \)\{0,1\}\(--[a-z0-9-]*\).*/\2/p' \
		"$workdir/command-help.txt" | sort -u); do
		[ "$option" = --help ] && continue
		grep -q -e "$option\([^a-z0-9-]\|$\)" "$page" || missing="$missing $option"
	done
	[ -z "$missing" ]
	check $? "rawburnctl.1 describes every option of '$command'${missing:+ (missing:$missing)}"
done <"$workdir/commands.txt"

# and of rawburnd
LC_ALL=C "$RB_TEST_BUILDDIR/daemon/rawburnd" --help >"$workdir/daemon-help.txt" 2>&1
missing=""
for option in $(sed -n 's/^  \(-[A-Za-z0-9], \)\{0,1\}\(--[a-z0-9-]*\).*/\2/p' "$workdir/daemon-help.txt"); do
	grep -q -e "$option\([^a-z0-9-]\|$\)" "$RB_TEST_BUILDDIR/man/rawburnd.8" ||
		missing="$missing $option"
done
[ -z "$missing" ]
check $? "rawburnd.8 describes every option of rawburnd${missing:+ (missing:$missing)}"

# the summary line .ci/run counts, as Check prints it
check_summary
