#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# `make fuzz`: runs each libFuzzer target for FUZZ_SECONDS (default 30),
# FUZZ_JOBS (default 2) at a time, seeded from the read-only corpus in the
# source tree. New inputs go to OUTDIR/corpus/<target>/, crashes to
# OUTDIR/artifacts/. Prints each target's executions and exec/s; exits 1 if
# any target crashed, naming the input to copy into the corpus.
#   run-fuzzers.sh SEED_DIR OUTDIR TARGET...
# Each target's log, OUTDIR/<target>.fuzz.log, ends with a Check-style
# "Checks: 1, Failures: F" line, so that CI counts a crash as a failure.
set -u

seeds=$1
outdir=$2
shift 2
seconds=${FUZZ_SECONDS:-30}
jobs=${FUZZ_JOBS:-2}
# GLib's slice allocator hides leaks and use-after-free from ASan
export G_SLICE=always-malloc
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

mkdir -p "$outdir/artifacts"
rm -f "$outdir"/*.fuzz.log "$outdir"/*.fuzz.result

run_one() {
	target=$1
	name=$(basename "$target")
	log="$outdir/$name.fuzz.log"
	work="$outdir/corpus/$name"
	mkdir -p "$work"
	options=""
	# libFuzzer's leak check after each input misreads what the in-process
	# daemon's worker threads hold between inputs (a once-in-5000-runs 2 KiB
	# "leak" that never reproduced); LeakSanitizer still checks at exit,
	# after everything is torn down
	if [ "$name" = fuzz-dbus-calls ]; then
		options="-detect_leaks=0"
	fi
	# the first directory receives new inputs; the seeds are only read
	# shellcheck disable=SC2086
	"$target" -max_total_time="$seconds" -timeout=60 -print_final_stats=1 $options \
		-artifact_prefix="$outdir/artifacts/$name-" \
		"$work" "$seeds/$name" >"$log" 2>&1
	status=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$log" | tail -n 1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *\([0-9]*\).*/\1/p' "$log" | tail -n 1)
	secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -n 1)
	if [ "$status" -eq 0 ]; then
		printf '%-20s ok     %10s runs in %s s, %s exec/s\n' \
			"$name" "${runs:-?}" "${secs:-?}" "${rate:-?}" >"$outdir/$name.fuzz.result"
		echo "100%: Checks: 1, Failures: 0, Errors: 0" >>"$log"
	else
		crash=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
		{
			printf '%-20s FAILED %10s runs, exit status %s\n' "$name" "${runs:-?}" "$status"
			printf '  input: %s\n' "${crash:-none written, see $log}"
			echo "  --- what went wrong, from $log ---"
			# from the first line saying what happened: a check, a GLib
			# message, a sanitizer or libFuzzer report
			awk '/check failed|fuzz-dbus-calls: |-CRITICAL|-WARNING|runtime error|==[0-9]+== ?ERROR/ { found = 1 }
			     found && shown < 30 { print "  " $0; shown++ }' "$log"
		} >"$outdir/$name.fuzz.result"
		echo "0%: Checks: 1, Failures: 1, Errors: 0" >>"$log"
	fi
}

# FUZZ_JOBS queues, each running its targets one after the other
queue=0
while [ "$queue" -lt "$jobs" ]; do
	(
		i=0
		for target in "$@"; do
			if [ $((i % jobs)) -eq "$queue" ]; then
				run_one "$target"
			fi
			i=$((i + 1))
		done
	) &
	queue=$((queue + 1))
done
wait

failed=0
for target in "$@"; do
	name=$(basename "$target")
	cat "$outdir/$name.fuzz.result"
	if ! grep -q "^$name  *ok " "$outdir/$name.fuzz.result"; then
		failed=$((failed + 1))
	fi
done
if [ "$failed" -gt 0 ]; then
	echo "$failed fuzz target(s) failed. Reproduce with: TARGET INPUT; once fixed, copy the"
	echo "input into tests/fuzz-corpus/<target>/ under a name saying what it found."
	exit 1
fi
echo "all $# fuzz targets ran ${seconds} s without a crash"
