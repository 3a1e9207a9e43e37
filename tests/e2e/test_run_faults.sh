#!/bin/bash
# Fault tests of scripts/mappa-run, the unattended run: a full run on the 42 fixtures, two runs
# at once (one publishes, one exits 75), runs killed with SIGKILL at every step and at random
# moments (the next run completes, and OUTDIR never shows a partial bundle), a full disk
# (ulimit -f: exit 73/74 and OUTDIR exactly as before), the inbox never changed, re-runs
# byte-identical, and an inbox with a revision 2, an invalid return and a missing area.
# Run from the repository root with MAPPA_BIN set. Last line: "N passed, N failed".
set -u
BIN=${MAPPA_BIN:?MAPPA_BIN must name the folder of the built programs}
RUNNER=$PWD/scripts/mappa-run
FIXTURES=$PWD/fixtures/returns/2022-23
passed=0 failed=0
work=$(mktemp -d) || exit 70
trap 'rm -rf "$work"' EXIT

ok() { passed=$((passed + 1)); echo "ok   $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; }
expect() { # name, condition command...
	local name=$1
	shift
	if "$@" >"$work/expect.out" 2>&1; then ok "$name"; else fail "$name"; sed 's/^/  | /' "$work/expect.out" | head -20; fi
}
run() { # run OUTLOG args...: runs mappa-run, its stdout+stderr in OUTLOG; sets rc
	local outlog=$1
	shift
	"$RUNNER" --bin "$BIN" "$@" >"$outlog" 2>&1
	rc=$?
}
status_is() { # status_is EXPECTED [ALTERNATIVE]: against $rc
	[ "$rc" -eq "$1" ] || { [ $# -ge 2 ] && [ "$rc" -eq "$2" ]; } || { echo "exit $rc, expected $*"; return 1; }
}
sums() { # a listing of a folder with checksums: path, type, size and sha256 of files, link targets
	(cd "$1" && find . -mindepth 1 -printf '%p %y %l\n' | LC_ALL=C sort &&
		find . -type f -exec sha256sum {} + | LC_ALL=C sort -k 2)
}
# Every bundle visible in OUTDIR (a name not starting with a dot) is complete: tar lists it
# and its MANIFEST.sha256 checks; latest, when it exists, points at a run that published.
outdir_sound() {
	local out=$1 b x
	for b in "$out"/mappa-*; do
		[ -e "$b" ] || continue
		tar -tzf "$b" >/dev/null || { echo "tar cannot list $b"; return 1; }
		x=$(mktemp -d "$work/x.XXXXXX") && tar -xzf "$b" -C "$x" || return 1
		(cd "$x"/mappa-* && sha256sum --quiet -c MANIFEST.sha256) || { echo "manifest of $b fails"; return 1; }
		rm -rf "$x"
	done
	for b in "$out"/*; do
		case ${b##*/} in mappa-*.tar.gz | latest | runs | '*') ;; *) echo "unexpected $b"; return 1 ;; esac
	done
	if [ -L "$out/latest" ]; then
		grep -qx 'status 0' "$out/latest/status" || { echo "latest points at a run that did not publish"; return 1; }
		cmp -s "$out/latest/bundle/mappa-2022-23.tar.gz" "$out/mappa-2022-23.tar.gz" ||
			{ echo "latest's bundle is not the published one"; return 1; }
	fi
}

inbox=$work/inbox
if ! mkdir -p "$inbox" || ! cp "$FIXTURES"/*.xml "$inbox"/; then
	echo "0 passed, 1 failed"
	exit 1
fi
sums "$inbox" >"$work/inbox.before"
inbox_same() { sums "$inbox" | cmp -s - "$work/inbox.before"; }

# --- 1. a full run on the 42 fixtures ---
out=$work/out
run "$work/run1.txt" "$inbox" "$out"
expect "full run: exit 0" status_is 0
expect "full run: the bundle is in OUTDIR" test -s "$out/mappa-2022-23.tar.gz"
expect "full run: latest is a link to runs/<run id>" bash -c "[ -L '$out/latest' ] && readlink '$out/latest' | grep -Eq '^runs/[0-9]{8}T[0-9]{6}Z-[0-9]+$'"
expect "full run: OUTDIR is sound (bundle lists, manifest checks)" outdir_sound "$out"
expect "full run: the report lists 42 valid areas" grep -q '^Areas: 42 valid, 0 missing' "$out/latest/report.txt"
expect "full run: 42 area lines say valid" test "$(grep -Ec '^  [EW][0-9]{8} .* valid \(revision 1 ' "$out/latest/report.txt")" -eq 42
expect "full run: the report names the bundle and its sha256" \
	grep -q "sha256 $(sha256sum <"$out/mappa-2022-23.tar.gz" | cut -d' ' -f1)" "$out/latest/report.txt"
expect "full run: the report gives the national eligible total" grep -Eq '^  categories 1-4 +91040$' "$out/latest/report.txt"
expect "full run: report.html is a complete page" bash -c "grep -q '<html lang=\"en-GB\">' '$out/latest/report.html' && grep -q '</html>' '$out/latest/report.html' && grep -q '<caption>' '$out/latest/report.html'"
expect "full run: every line of run.log has a UTC time stamp" \
	bash -c "! grep -Evq '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z ' '$out/latest/run.log'"
expect "full run: the lock file is left empty" test ! -s "$out/.lock"
expect "full run: the inbox is unchanged" inbox_same
first=$(readlink "$out/latest")
cp "$out/mappa-2022-23.tar.gz" "$work/first.tar.gz"

# --- 2. a re-run on the same inbox: a byte-identical bundle ---
run "$work/run2.txt" "$inbox" "$out"
expect "re-run: exit 0" status_is 0
expect "re-run: the bundle is byte-identical" cmp "$work/first.tar.gz" "$out/mappa-2022-23.tar.gz"
expect "re-run: latest points at the new run" test "$(readlink "$out/latest")" != "$first"
expect "re-run: the inbox is unchanged" inbox_same

# --- 3. two runs started together: one publishes, the other exits 75 at once ---
out=$work/out-two
MAPPA_RUN_PAUSE_AT=locked "$RUNNER" --bin "$BIN" "$inbox" "$out" >"$work/two-a.txt" 2>&1 &
pa=$!
MAPPA_RUN_PAUSE_AT=locked "$RUNNER" --bin "$BIN" "$inbox" "$out" >"$work/two-b.txt" 2>&1 &
pb=$!
wait "$pa"
ra=$?
wait "$pb"
rb=$?
expect "two at once: one exits 0, the other 75 ($ra, $rb)" test "$((ra + rb))" -eq 75 -a "$((ra * rb))" -eq 0
expect "two at once: the loser says which run holds the lock" \
	bash -c "grep -Eq 'another run holds .*run [0-9]{8}T[0-9]{6}Z-[0-9]+ pid [0-9]+' '$work/two-a.txt' '$work/two-b.txt'"
expect "two at once: one run folder, one bundle" test "$(find "$out/runs" -mindepth 1 -maxdepth 1 | wc -l)" -eq 1
expect "two at once: OUTDIR is sound" outdir_sound "$out"
expect "two at once: the inbox is unchanged" inbox_same

# --- 4. runs killed with SIGKILL: at every step, and at random moments ---
out=$work/out-kill
run "$work/kill0.txt" "$inbox" "$out"
expect "kill: a first complete run" status_is 0
for step in locked copied validated normalised merged suppressed bundled verified reported linked renamed symlinked finished; do
	MAPPA_RUN_KILL_AT=$step "$RUNNER" --bin "$BIN" "$inbox" "$out" >"$work/kill.txt" 2>&1
	rc=$?
	expect "kill at $step: the run died by SIGKILL" status_is 137
	expect "kill at $step: OUTDIR shows only complete bundles" outdir_sound "$out"
	run "$work/after.txt" "$inbox" "$out"
	expect "kill at $step: the next run completes" status_is 0
	expect "kill at $step: then OUTDIR is sound, bundle unchanged" bash -c "$(declare -f outdir_sound); work='$work'; outdir_sound '$out' && cmp '$work/first.tar.gz' '$out/mappa-2022-23.tar.gz'"
	expect "kill at $step: no temporary name is left in OUTDIR" test -z "$(find "$out" -maxdepth 1 -name '.*' ! -name .lock)"
done
for i in 1 2 3 4; do
	delay=$(awk -v s="$RANDOM" 'BEGIN { srand(s); printf "%.2f", 0.05 + rand() * 1.2 }')
	"$RUNNER" --bin "$BIN" "$inbox" "$out" >"$work/kill.txt" 2>&1 &
	pid=$!
	sleep "$delay"
	kill -KILL "$pid" 2>/dev/null
	wait "$pid"
	# A stage the killed run started may outlive it for a moment; it does not hold the lock.
	expect "random kill $i (after ${delay}s): OUTDIR shows only complete bundles" outdir_sound "$out"
	run "$work/after.txt" "$inbox" "$out"
	expect "random kill $i: the next run completes" status_is 0
	expect "random kill $i: then OUTDIR is sound" outdir_sound "$out"
done
expect "kill: the inbox is unchanged" inbox_same

# --- 5. the disk fills up: exit 73/74, a clear error, OUTDIR exactly as before ---
out=$work/out-full
run "$work/full0.txt" "$inbox" "$out"
expect "disk full: a first complete run" status_is 0
sums "$out" >"$work/full.before"
for kib in 1 4 60 124; do
	(
		trap '' XFSZ
		ulimit -f "$kib"
		"$RUNNER" --bin "$BIN" "$inbox" "$out"
	) >"$work/full.txt" 2>&1
	rc=$?
	expect "disk full (files limited to $kib KiB): exit 73 or 74" status_is 74 73
	expect "disk full ($kib KiB): a clear error on stderr" grep -Eq 'mappa-run: .*(cannot|write|failed)' "$work/full.txt"
	expect "disk full ($kib KiB): OUTDIR exactly as before" bash -c "$(declare -f sums); sums '$out' | diff '$work/full.before' -"
done
MAPPA_RUN_MIN_FREE_KB=999999999999 "$RUNNER" --bin "$BIN" "$inbox" "$out" >"$work/full.txt" 2>&1
rc=$?
expect "too little free space: exit 73" status_is 73
expect "too little free space: says so" grep -q 'free on the file system' "$work/full.txt"
expect "too little free space: OUTDIR exactly as before" bash -c "$(declare -f sums); sums '$out' | diff '$work/full.before' -"
expect "disk full: the inbox is unchanged" inbox_same

# --- 6. a revision 2, an invalid return, a missing area ---
inbox=$work/inbox-bad
mkdir -p "$inbox" && cp "$FIXTURES"/*.xml "$inbox"/ && rm "$inbox/W15000004.xml"
sed -e 's/revision="1"/revision="2"/' -e 's|<count category="1" level="1">669</count>|<count category="1" level="1">700</count>|' \
	"$FIXTURES/E23000002.xml" >"$inbox/cumbria revision 2.xml"
cp fixtures/invalid/managed-less-than-eligible.xml "$inbox/broken & <old>.xml"
rule=$(cut -d' ' -f2 fixtures/invalid/managed-less-than-eligible.expect | head -n 1)
sums "$inbox" >"$work/inbox.before"
out=$work/out-bad
run "$work/bad.txt" "$inbox" "$out"
report=$(find "$out/runs" -name report.txt | head -n 1)
expect "bad inbox: exit 65" status_is 65
expect "bad inbox: nothing published, no latest" test -z "$(find "$out" -mindepth 1 -maxdepth 1 ! -name runs ! -name .lock)"
expect "bad inbox: the report names the invalid file with rule $rule" grep -Eq "broken & <old>.xml:[0-9]+: error\[$rule\]" "$report"
expect "bad inbox: the HTML report too, escaped" grep -q "broken &amp; &lt;old&gt;.xml:[0-9]*: error\[$rule\]" "${report%.txt}.html"
expect "bad inbox: no unescaped file name in the HTML" bash -c "! grep -q '<old>' '${report%.txt}.html'"
expect "bad inbox: the report names the missing area" grep -Eq '^  W15000004 .* missing' "$report"
expect "bad inbox: the report shows revision 2 used, revision 1 superseded" \
	grep -Eq '^  E23000002 .*valid \(revision 2 .*superseded: revision 1 \(E23000002.xml\)' "$report"
expect "bad inbox: stderr points at the report" grep -q 'not published: .*report' "$work/bad.txt"
expect "bad inbox: the inbox is unchanged" inbox_same
rm "$inbox/broken & <old>.xml"
sums "$inbox" >"$work/inbox.before"
run "$work/bad2.txt" --allow-missing "$inbox" "$out"
expect "--allow-missing without the invalid one: exit 0" status_is 0
expect "--allow-missing: a warning about the missing areas" grep -q 'warning: published with missing areas' "$work/bad2.txt"
expect "--allow-missing: OUTDIR is sound" outdir_sound "$out"
expect "--allow-missing: W15000004 is [x] in the bundle" bash -c \
	"tar -xzOf '$out/mappa-2022-23.tar.gz' mappa-2022-23/observations.csv | grep -q '^2022-23,W15000004,Dyfed-Powys,eligible,1,1,,\[x\]'"
expect "--allow-missing: the report names the missing area" grep -Eq '^  W15000004 .* missing' "$out/latest/report.txt"
expect "--allow-missing: the inbox is unchanged" inbox_same

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
