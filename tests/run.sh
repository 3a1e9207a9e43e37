#!/bin/sh
# Runs every test: the cmocka unit test programs in $MAPPA_BUILD/tests/ and the end-to-end
# scripts tests/e2e/test_*.sh (run from the repository root with MAPPA_BIN set). Each reports
# "N passed, N failed" (cmocka: "[  PASSED  ] N test(s)."); this adds them up and ends with
# one line "total: N passed, N failed". A run that executes no test fails.
set -u
: "${MAPPA_BIN:?MAPPA_BIN must name the folder of the built programs}"
: "${MAPPA_BUILD:?MAPPA_BUILD must name the build folder}"
export MAPPA_BIN MAPPA_BUILD
passed=0 failed=0 broken=""
log=$(mktemp) || exit 70
trap 'rm -f "$log"' EXIT

count() { # $1: name, $2: exit status; reads the output in $log
	p=$(sed -n 's/.*\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
	f=$(sed -n 's/.*\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
	if [ -z "$p$f" ]; then
		line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
		p=$(echo "$line" | sed -n 's/^\([0-9]*\) passed.*/\1/p')
		f=$(echo "$line" | sed -n 's/.* \([0-9]*\) failed.*/\1/p')
	fi
	p=${p:-0} f=${f:-0}
	if [ "$2" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1 # crashed or failed without saying how many
	fi
	passed=$((passed + p)) failed=$((failed + f))
	if [ "$2" -ne 0 ] || [ "$f" -ne 0 ]; then
		broken="$broken $1"
		echo "FAIL $1 (exit $2): $p passed, $f failed"
		grep -a -m 20 '^FAIL' "$log" | sed 's/^/  ! /' # every failing check, wherever it is
		tail -n 40 "$log" | sed 's/^/  | /'
	else
		echo "ok   $1: $p passed"
	fi
}

for t in "$MAPPA_BUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	"$t" >"$log" 2>&1
	count "unit/$(basename "$t")" $?
done
for t in tests/e2e/test_*.sh; do
	[ -f "$t" ] || continue
	bash "$t" >"$log" 2>&1
	count "e2e/$(basename "$t" .sh)" $?
done

if [ -n "$broken" ]; then
	echo "failed:$broken"
fi
echo "total: $passed passed, $failed failed"
[ "$passed" -gt 0 ] || { echo "no test ran" >&2; exit 1; }
[ "$failed" -eq 0 ]
