#!/bin/sh
# make check-threads: the readers' audits, which run in two threads (etl/lib/readers.c), under
# ThreadSanitizer. Any data race stops the program with exit 66. The suppressed dataset of the
# fixtures must be byte for byte the one the plain build writes: the split of the work between
# the threads must not change the answer.
#   sh scripts/check-threads.sh BIN TSAN_BIN TSAN_BUILD
# Exit status: 0 passed, 1 a check failed, 64 bad usage.
set -u
[ $# -eq 3 ] || { echo "usage: sh scripts/check-threads.sh BIN TSAN_BIN TSAN_BUILD" >&2; exit 64; }
bin=$1 tbin=$2 tbuild=$3
TSAN_OPTIONS="halt_on_error=1 exitcode=66 ${TSAN_OPTIONS:-}"
export TSAN_OPTIONS
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
status=0
fail() { echo "FAIL: $*"; status=1; }

"$tbuild/tests/test_readers" >"$tmp/unit.log" 2>&1 || { fail "test_readers: exit $?"; tail -20 "$tmp/unit.log"; }
"$bin/mappa-merge" -o "$tmp/national.obs" fixtures/returns/2022-23/*.xml 2>"$tmp/merge.err" ||
	{ fail "merge: exit $?"; cat "$tmp/merge.err"; exit 1; }
"$bin/mappa-suppress" --report "$tmp/plain.txt" -o "$tmp/plain.obs" "$tmp/national.obs" ||
	fail "plain suppression: exit $?"
"$tbin/mappa-suppress" --report "$tmp/tsan.txt" -o "$tmp/tsan.obs" "$tmp/national.obs" \
	2>"$tmp/tsan.err" || { fail "suppression under ThreadSanitizer: exit $?"; head -40 "$tmp/tsan.err"; }
cmp -s "$tmp/plain.obs" "$tmp/tsan.obs" || fail "the two builds wrote different datasets"
"$tbin/mappa-audit" "$tmp/tsan.obs" 2>"$tmp/audit.err" ||
	{ fail "audit under ThreadSanitizer: exit $?"; head -40 "$tmp/audit.err"; }
[ $status -eq 0 ] && echo "check-threads: test_readers, mappa-suppress and mappa-audit on the fixtures: no data race, the same dataset"
exit $status
