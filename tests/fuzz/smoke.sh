#!/bin/sh
# Smoke run of the libFuzzer targets (make fuzz-smoke): each target for FUZZ_SECONDS (default 10)
# on its seeds, one after the other. Exits 1 when any target crashes, leaks, times out, runs out
# of memory or cannot start, and says which and where the reproducer is. Usage:
#   FUZZ_DIR=build/fuzz FUZZ_SECONDS=10 sh tests/fuzz/smoke.sh return dataset areas defs
set -u
dir=${FUZZ_DIR:-build/fuzz}
secs=${FUZZ_SECONDS:-10}
here=$(dirname "$0")
failed=""
[ $# -gt 0 ] || set -- $(ls "$here"/fuzz_*.c | sed 's|.*/fuzz_\(.*\)\.c$|\1|')
mkdir -p "$dir/artifacts" "$dir/smoke"
for t in "$@"; do
	bin="$dir/fuzz_$t"
	log="$dir/smoke/$t.log"
	if [ ! -x "$bin" ]; then
		echo "fuzz-smoke: $bin is not built (make fuzz-build)" >&2
		failed="$failed $t"
		continue
	fi
	# a fresh work corpus each time, so that a smoke run's result depends only on the seeds
	rm -rf "$dir/smoke/$t" && mkdir -p "$dir/smoke/$t"
	dict="" seeds=""
	[ -f "$here/$t.dict" ] && dict="-dict=$here/$t.dict"
	[ -d "$here/corpus/$t" ] && seeds="$here/corpus/$t"
	ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
		-print_final_stats=1 -artifact_prefix="$dir/artifacts/$t-" $dict \
		"$dir/smoke/$t" $seeds >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -n 1)
	if [ "$rc" -ne 0 ]; then
		echo "fuzz-smoke: $t FAILED (exit $rc); log $log" >&2
		grep -E '^==[0-9]+==ERROR|SUMMARY|Test unit written|ALARM|runtime error' "$log" | head -n 8 >&2
		failed="$failed $t"
	else
		echo "fuzz-smoke: $t ok: ${runs:-?} runs in ${secs}s, ${cov:-no coverage line}"
	fi
done
if [ -n "$failed" ]; then
	echo "fuzz-smoke: failed:$failed" >&2
	exit 1
fi
echo "fuzz-smoke: all $# targets ok"
