#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# `make bench`: every benchmark program in turn, from the build directory,
# after a header naming the machine. Arguments go to every program:
# --runs N (measured runs per figure, default 5), --json (then the whole
# output is one JSON array: the machine first, then every figure, each
# tagged with its program). A program that fails is named on stderr; the
# others still run, and the exit status is 1.

json=false
for arg in "$@"; do
	[ "$arg" = "--json" ] && json=true
done

# every program, one a line, with the arguments it takes before "$@"; one
# marked optional runs only when built
programs="bench-write-job
bench-burn
bench-concurrent-burns
bench-idle
bench-property-get
bench-image
bench-disc-image
bench-image-creator
bench-verify"

json_string() {
	printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g')"
}

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
[ -n "$cpu" ] || cpu=$(uname -m)
cores=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo "?")
memory=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
kernel=$(uname -sr)
date=$(date -u '+%Y-%m-%d %H:%M:%S UTC')
started=$(date +%s)
status=0
# the loop below runs in a subshell: its status comes back in a file
status_file=$(mktemp)
echo 0 >"$status_file"

if $json; then
	printf '[{"machine": {"cpu": %s, "cores": %s, "memory": %s, "kernel": %s, "date": %s}}' \
		"$(json_string "$cpu")" "$cores" "$(json_string "$memory")" \
		"$(json_string "$kernel")" "$(json_string "$date")"
	echo
else
	echo "rawburn benchmarks, $date"
	echo "CPU: $cpu, $cores cores; memory: $memory; kernel: $kernel"
	echo "each figure: median (min–max) of its runs; ratio × baseline run beside it (min–max)"
fi

run_program() {
	optional=false
	if [ "$1" = "optional" ]; then
		optional=true
		shift
	fi
	program=$1
	shift
	path="tests/$program"
	if [ ! -x "$path" ]; then
		$optional && return 0
		echo "bench: $path is not built" >&2
		status=1
		return 0
	fi
	$json || printf '\n%s\n' "$program"
	# the program's own arguments, then --runs/--json (options without
	# spaces: split on purpose); nothing reads the list on standard input
	# shellcheck disable=SC2086
	if ! output=$("$path" "$@" $bench_args </dev/null); then
		echo "bench: $program failed" >&2
		status=1
	fi
	if $json; then
		printf '%s\n' "$output" | sed -n "s/^{/,{\"program\": \"$program\", /p"
	else
		printf '%s\n' "$output"
	fi
}

bench_args="$*"
echo "$programs" | while read -r line; do
	# shellcheck disable=SC2086 # a line is the program and its arguments
	run_program $line
	echo "$status" >"$status_file"
done
status=$(cat "$status_file")
rm -f "$status_file"

if $json; then
	printf ']\n'
else
	printf '\nbench: %s s in all\n' "$(($(date +%s) - started))"
fi
exit "$status"
