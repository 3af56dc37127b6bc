# SPDX-License-Identifier: GPL-3.0-or-later
#
# Sourced by the shell tests that count their checks: the summary line is
# Check's, so .ci/run counts these tests with the C ones.

checks=0
failures=0

# check STATUS DESCRIPTION: one check, passed when STATUS is 0
check() {
	checks=$((checks + 1))
	if [ "$1" -ne 0 ]; then
		failures=$((failures + 1))
		echo "FAIL: $2"
	else
		echo "ok: $2"
	fi
}

# the summary line; fails when a check did
check_summary() {
	echo "$(((checks - failures) * 100 / checks))%: Checks: $checks, Failures: $failures, Errors: 0"
	[ "$failures" -eq 0 ]
}
