#!/bin/bash
# Fault tests of bin/mappa-run, the unattended run: a full run on the 42 fixtures, two runs
# at once (one publishes, one exits 75), runs killed with SIGKILL at every step and at random
# moments (the next run completes, OUTDIR never shows a partial bundle, latest and the bundle
# agree), a full disk (ulimit -f: exit 73/74 and OUTDIR exactly as before), the inbox never
# changed, re-runs byte-identical, an inbox with a revision 2, an invalid return and a missing
# area, a lock that is a symbolic link, a folder at latest, odd inbox entries (symbolic link,
# folder, FIFO, dot file), names with a line end, ESC or TAB, and calls through symbolic links
# and the compatibility script scripts/mappa-run.
# Run from the repository root with MAPPA_BIN set. Last line: "N passed, N failed".
set -u
BIN=${MAPPA_BIN:?MAPPA_BIN must name the folder of the built programs}
RUNNER=$BIN/mappa-run
SCRIPT=$PWD/scripts/mappa-run
FIXTURES=$PWD/fixtures/returns/2022-23
passed=0 failed=0
work=$(mktemp -d) || exit 70
mounts=()
trap 'for m in "${mounts[@]}"; do umount "$m" 2>/dev/null; done; rm -rf "$work"' EXIT

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
	"$RUNNER" "${POLICY[@]}" "$@" >"$outlog" 2>&1
	rc=$?
}
# The first two runs use the shipped policy. Every later one tests the run, not the disclosure
# control, and uses the shipped policy with the outsider as its only reader: protecting every
# reader costs seconds of suppression a run, and this file makes about fifty runs.
POLICY=()
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
		# a run stopped between latest and its status file: latest's bundle is the published
		# file itself (the next run records the status)
		grep -qx 'status 0' "$out/latest/status" 2>/dev/null ||
			{ [ ! -e "$out/latest/status" ] && [ "$out/latest/bundle/mappa-2022-23.tar.gz" -ef "$out/mappa-2022-23.tar.gz" ]; } ||
			{ echo "latest points at a run that did not publish"; return 1; }
		[ -n "${LAGGING:-}" ] || cmp -s "$out/latest/bundle/mappa-2022-23.tar.gz" "$out/mappa-2022-23.tar.gz" ||
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

POLICY=(--policy "$PWD/fixtures/policy/outsider-only.xml")

# --- 3. two runs started together: one publishes, the other exits 75 at once ---
out=$work/out-two
MAPPA_RUN_PAUSE_AT=locked "$RUNNER" "${POLICY[@]}" "$inbox" "$out" >"$work/two-a.txt" 2>&1 &
pa=$!
MAPPA_RUN_PAUSE_AT=locked "$RUNNER" "${POLICY[@]}" "$inbox" "$out" >"$work/two-b.txt" 2>&1 &
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
cp "$out/mappa-2022-23.tar.gz" "$work/first-kill.tar.gz"
for step in locked copied validated normalised merged suppressed bundled verified reported linked renamed symlinked pointed finished; do
	ls "$out/runs" >"$work/runs.before"
	MAPPA_RUN_KILL_AT=$step "$RUNNER" "${POLICY[@]}" "$inbox" "$out" >"$work/kill.txt" 2>&1
	rc=$?
	killed=$(ls "$out/runs" | comm -13 "$work/runs.before" -)
	expect "kill at $step: the run died by SIGKILL" status_is 137
	case $step in
	finished) expect "kill at $step: the run's status says 0 (it published)" grep -qx 'status 0' "$out/runs/$killed/status" ;;
	*) expect "kill at $step: no status in the killed run's folder (it never claims what it did not do)" test -n "$killed" -a ! -e "$out/runs/$killed/status" ;;
	esac
	expect "kill at $step: OUTDIR shows only complete bundles" outdir_sound "$out"
	run "$work/after.txt" "$inbox" "$out"
	expect "kill at $step: the next run completes" status_is 0
	expect "kill at $step: then OUTDIR is sound, bundle unchanged" bash -c "$(declare -f outdir_sound); work='$work'; outdir_sound '$out' && cmp '$work/first-kill.tar.gz' '$out/mappa-2022-23.tar.gz'"
	expect "kill at $step: no temporary name is left in OUTDIR" test -z "$(find "$out" -maxdepth 1 -name '.*' ! -name .lock)"
done
for i in 1 2 3 4; do
	delay=$(awk -v s="$RANDOM" 'BEGIN { srand(s); printf "%.2f", 0.05 + rand() * 1.2 }')
	"$RUNNER" "${POLICY[@]}" "$inbox" "$out" >"$work/kill.txt" 2>&1 &
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
		"$RUNNER" "${POLICY[@]}" "$inbox" "$out"
	) >"$work/full.txt" 2>&1
	rc=$?
	expect "disk full (files limited to $kib KiB): exit 73 or 74" status_is 74 73
	expect "disk full ($kib KiB): a clear error on stderr" grep -Eq 'mappa-run: .*(cannot|write|failed)' "$work/full.txt"
	expect "disk full ($kib KiB): OUTDIR exactly as before" bash -c "$(declare -f sums); sums '$out' | diff '$work/full.before' -"
done
MAPPA_RUN_MIN_FREE_KB=999999999999 "$RUNNER" "${POLICY[@]}" "$inbox" "$out" >"$work/full.txt" 2>&1
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

# --- 7. a kill between the publish and latest (or its status) is repaired by the next run ---
out=$work/out-repair
inbox=$work/inbox-repair
mkdir -p "$inbox" && cp "$FIXTURES"/*.xml "$inbox"/
run "$work/repair0.txt" "$inbox" "$out"
expect "repair: a first complete run" status_is 0
sed -e 's/revision="1"/revision="2"/' -e 's|<count category="1" level="1">669</count>|<count category="1" level="1">700</count>|' \
	"$FIXTURES/E23000002.xml" >"$inbox/E23000002 r2.xml"
for step in renamed pointed; do
	ls "$out/runs" >"$work/runs.before"
	MAPPA_RUN_KILL_AT=$step "$RUNNER" "${POLICY[@]}" "$inbox" "$out" >"$work/kill.txt" 2>&1
	rc=$?
	killed=$(ls "$out/runs" | comm -13 "$work/runs.before" -)
	expect "repair ($step): the run died by SIGKILL" status_is 137
	# (stopped between the two renames, latest still names the earlier run until the next run)
	expect "repair ($step): every visible bundle is complete" env LAGGING=1 bash -c "$(declare -f outdir_sound); work='$work'; outdir_sound '$out'"
	mkdir -p "$work/empty-$step"
	ls "$out/runs" >"$work/runs.before"
	run "$work/repair1.txt" "$work/empty-$step" "$out"
	next=$(ls "$out/runs" | comm -13 "$work/runs.before" -)
	expect "repair ($step): the next run (an empty inbox) exits 65" status_is 65
	expect "repair ($step): latest now points at the run that published" test "$(readlink "$out/latest")" = "runs/$killed"
	expect "repair ($step): its status is recorded" grep -qx 'status 0' "$out/latest/status"
	expect "repair ($step): latest's bundle is the published file" test "$out/latest/bundle/mappa-2022-23.tar.gz" -ef "$out/mappa-2022-23.tar.gz"
	expect "repair ($step): the repair is in the next run's log" grep -q 'recovered: ' "$out/runs/$next/run.log"
done

# --- 8. the lock is a symbolic link: refused, its target untouched ---
out=$work/out-lock
mkdir -p "$out"
echo "precious" >"$work/precious"
ln -s "$work/precious" "$out/.lock"
run "$work/lock.txt" "$work/inbox" "$out"
expect "lock symlink: exit 73" status_is 73
expect "lock symlink: says so" grep -q 'lock file .*symbolic link' "$work/lock.txt"
expect "lock symlink: its target is untouched" grep -qx precious "$work/precious"
expect "lock symlink: nothing published" test ! -e "$out/mappa-2022-23.tar.gz" -a ! -e "$out/runs"

# --- 9. a folder where latest goes: refused before anything is replaced ---
out=$work/out-latest
run "$work/latest0.txt" "$work/inbox" "$out"
expect "folder at latest: a first complete run" status_is 0
rm "$out/latest" && mkdir "$out/latest"
sums "$out" >"$work/latest.before"
inbox=$work/inbox-latest
mkdir -p "$inbox" && cp "$FIXTURES"/*.xml "$inbox"/ && cp "$work/inbox-repair/E23000002 r2.xml" "$inbox/"
run "$work/latest1.txt" "$inbox" "$out"
expect "folder at latest: exit 73" status_is 73
expect "folder at latest: says so" grep -q "something other than a symbolic link stands at .*latest" "$work/latest1.txt"
expect "folder at latest: OUTDIR exactly as before (the bundle not replaced)" bash -c "$(declare -f sums); sums '$out' | diff '$work/latest.before' -"
rmdir "$out/latest" && mkdir "$out/mappa-2022-23.tar.gz.new" && rm "$out/mappa-2022-23.tar.gz" && mv "$out/mappa-2022-23.tar.gz.new" "$out/mappa-2022-23.tar.gz"
run "$work/latest2.txt" "$inbox" "$out"
expect "folder at the bundle's name: exit 73" status_is 73
expect "folder at the bundle's name: latest not created" test ! -e "$out/latest"

# --- 10. odd inbox entries: each named in the report, with why ---
inbox=$work/inbox-odd
mkdir -p "$inbox" && cp "$FIXTURES"/*.xml "$inbox"/
mv "$inbox/E23000002.xml" "$work/cumbria.xml"
ln -s "$work/cumbria.xml" "$inbox/E23000002.xml"
mkdir "$inbox/old returns"
mkfifo "$inbox/pipe.xml"
cp "$FIXTURES/E23000003.xml" "$inbox/.hidden.xml"
out=$work/out-odd
run "$work/odd.txt" "$inbox" "$out"
report=$(find "$out/runs" -name report.txt | head -n 1)
expect "odd entries: Cumbria as a symbolic link: exit 65 (Cumbria missing)" status_is 65
expect "odd entries: the symbolic link is named, with why" grep -Eq '^  E23000002.xml: a symbolic link' "$report"
expect "odd entries: the folder is named" grep -Eq '^  old returns: a folder' "$report"
expect "odd entries: the FIFO is named (and the run did not hang on it)" grep -Eq '^  pipe.xml: a FIFO' "$report"
expect "odd entries: the dot file is named" grep -Eq '^  .hidden.xml: a dot file' "$report"
expect "odd entries: Cumbria is missing" grep -Eq '^  E23000002 .* missing' "$report"
rm "$inbox/E23000002.xml" && cp "$work/cumbria.xml" "$inbox/E23000002.xml"
run "$work/odd2.txt" "$inbox" "$out"
expect "odd entries that are not returns do not stop a run: exit 0" status_is 0
expect "odd entries: still listed in the report of a run that publishes" grep -Eq '^  pipe.xml: a FIFO' "$out/latest/report.txt"

# --- 11. hostile names: a line end, ESC, TAB; printed quoted, never raw ---
inbox=$work/inbox-names
mkdir -p "$inbox" && cp "$FIXTURES"/*.xml "$inbox"/
mv "$inbox/E23000002.xml" "$inbox/$(printf 'cumbria\n2023-01-01T00:00:00Z published: forged.xml')"
mv "$inbox/E23000003.xml" "$inbox/$(printf 'lancs\tfinal.xml')"
mv "$inbox/E23000004.xml" "$inbox/$(printf 'mersey\033[31mred.xml')"
sums "$inbox" >"$work/names.before"
out=$work/out-names
run "$work/names.txt" "$inbox" "$out"
expect "hostile names: exit 0" status_is 0
expect "hostile names: no line of run.log is forged (each starts with a time stamp)" \
	bash -c "! grep -Evq '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z ' '$out/latest/run.log'"
expect "hostile names: the line end is shown escaped in the report" grep -Fq '"cumbria\n2023-01-01T00:00:00Z published: forged.xml": valid: E23000002 revision 1, used' "$out/latest/report.txt"
expect "hostile names: the name with a TAB is used (not a duplicate)" grep -Fq '"lancs\tfinal.xml": valid: E23000003 revision 1, used' "$out/latest/report.txt"
expect "hostile names: no ESC byte in the report, log or HTML" bash -c "! grep -q \$'\\033' '$out/latest/report.txt' '$out/latest/run.log' '$out/latest/report.html'"
expect "hostile names: the ESC is shown as \\033" grep -Fq '"mersey\033[31mred.xml"' "$out/latest/report.txt"
expect "hostile names: the copies keep the real names" test -f "$out/latest/inbox/$(printf 'lancs\tfinal.xml')"
expect "hostile names: inbox.sha256 checks with sha256sum -c" bash -c "cd '$out/latest/inbox' && sha256sum --quiet -c ../inbox.sha256"
expect "hostile names: the inbox is unchanged" bash -c "$(declare -f sums); sums '$inbox' | cmp -s - '$work/names.before'"

# --- 12. called through symbolic links, and through the compatibility script ---
mkdir -p "$work/usr/bin"
ln -s "$RUNNER" "$work/usr/bin/mappa-run"
# the script finds ../bin beside its real location: a tree whose bin/ is the programs under
# test (MAPPA_BIN, which is bin/san under make check-sanitize, where bin/ may not exist)
mkdir -p "$work/tree/scripts" && cp "$SCRIPT" "$work/tree/scripts/mappa-run" && ln -s "$BIN" "$work/tree/bin"
ln -s "$work/tree/scripts/mappa-run" "$work/usr/bin/mappa-run-script"
out=$work/out-links
(cd / && "$work/usr/bin/mappa-run" -q "$work/inbox" "$out") >"$work/links.txt" 2>&1
rc=$?
expect "through a symbolic link to bin/mappa-run: exit 0" status_is 0
expect "-q: nothing on standard output" test ! -s "$work/links.txt"
(cd / && "$work/usr/bin/mappa-run-script" "$work/inbox" "$out") >"$work/links.txt" 2>&1
rc=$?
expect "through a symbolic link to scripts/mappa-run: exit 0" status_is 0
expect "the compatibility script says what it published" grep -q '^mappa-run: published ' "$work/links.txt"
"$SCRIPT" --bin "$BIN" "$work/inbox" "$out" >"$work/links.txt" 2>&1
rc=$?
expect "scripts/mappa-run --bin DIR (old cron lines): exit 0" status_is 0
"$SCRIPT" --bin "$work/nowhere" "$work/inbox" "$out" >"$work/links.txt" 2>&1
rc=$?
expect "scripts/mappa-run with no program: exit 69" status_is 69

# --- 13. a return with 2,000 duplicate cells: diagnostics capped in the report and the log ---
inbox=$work/inbox-dups
mkdir -p "$inbox" && cp "$FIXTURES"/*.xml "$inbox"/
awk '{ if ($0 ~ /<count category="1" level="1">669<\/count>/) for (i = 0; i < 2000; i++) print; print }' \
	"$FIXTURES/E23000002.xml" >"$inbox/E23000002 dup.xml"
out=$work/out-dups
run "$work/dups.txt" "$inbox" "$out"
report=$(find "$out/runs" -name report.txt | head -n 1)
folder=${report%/report.txt}
expect "duplicate cells: exit 65" status_is 65
expect "duplicate cells: the report shows 50 of them" test "$(grep -c 'error\[R08\]' "$report")" -eq 50
expect "duplicate cells: then says how many more, and where" grep -Eq '^    and [0-9]+ more \(all of them: checks/[0-9]+.txt\)' "$report"
expect "duplicate cells: the HTML report too" grep -Eq '<li>and [0-9]+ more' "${report%.txt}.html"
expect "duplicate cells: the log holds 50 of them" test "$(grep -c 'error\[R08\]' "$folder/run.log")" -eq 50
expect "duplicate cells: all the validator keeps is in the run folder (more than shown)" test "$(cat "$folder"/checks/*.txt | grep -c 'error\[R08\]')" -gt 50
expect "duplicate cells: the report stays small (under 64 KiB)" test "$(wc -c <"$report")" -lt 65536

# --- 14. four runs started together: one publishes, three exit 75 ---
out=$work/out-four
pids=()
for i in 1 2 3 4; do
	MAPPA_RUN_PAUSE_AT=locked "$RUNNER" "${POLICY[@]}" "$work/inbox" "$out" >"$work/four-$i.txt" 2>&1 &
	pids+=($!)
done
statuses=""
for p in "${pids[@]}"; do
	wait "$p"
	statuses="$statuses $?"
done
expect "four at once: one exits 0, three exit 75 ($statuses)" test "$(echo $statuses | tr ' ' '\n' | sort | tr '\n' ' ')" = "0 75 75 75 "
expect "four at once: one run folder" test "$(find "$out/runs" -mindepth 1 -maxdepth 1 | wc -l)" -eq 1
expect "four at once: OUTDIR is sound" outdir_sound "$out"

run "$work/zip.txt" --format=zip "$work/inbox" "$work/out-zip"
expect "--format=zip: exit 0" status_is 0
expect "--format=zip: the zip bundle tests clean" unzip -tq "$work/out-zip/mappa-2022-23.zip"
expect "--format=zip: latest's bundle is the published file" test "$work/out-zip/latest/bundle/mappa-2022-23.zip" -ef "$work/out-zip/mappa-2022-23.zip"

# --- 15. a real full disk (a small tmpfs) and a read-only OUTDIR, where a tmpfs can be mounted ---
small=$work/small
mkdir -p "$small"
if mount -t tmpfs -o size=1536k tmpfs "$small" 2>/dev/null; then
	mounts+=("$small")
	MAPPA_RUN_MIN_FREE_KB=0 "$RUNNER" "${POLICY[@]}" -q "$work/inbox" "$small/out" >"$work/tmpfs0.txt" 2>&1
	rc=$?
	expect "small tmpfs: a first complete run" status_is 0
	avail=$(df -Pk "$small" | awk 'NR == 2 { print $4 }')
	head -c $(( (avail - 150) * 1024 )) /dev/zero >"$small/filler" 2>/dev/null
	sums "$small" >"$work/tmpfs.before"
	MAPPA_RUN_MIN_FREE_KB=0 "$RUNNER" "${POLICY[@]}" -q "$work/inbox" "$small/out" >"$work/tmpfs1.txt" 2>&1
	rc=$?
	expect "full tmpfs: exit 74 or 73" status_is 74 73
	expect "full tmpfs: a clear error on stderr" grep -Eq 'mappa-run: .*(No space left|cannot)' "$work/tmpfs1.txt"
	expect "full tmpfs: OUTDIR exactly as before (the run folder removed)" bash -c "$(declare -f sums); sums '$small' | diff '$work/tmpfs.before' -"
	rm -f "$small/filler"
	sums "$small" >"$work/tmpfs.before"
	if mount -o remount,ro "$small" 2>/dev/null; then
		MAPPA_RUN_MIN_FREE_KB=0 "$RUNNER" "${POLICY[@]}" -q "$work/inbox" "$small/out" >"$work/tmpfs2.txt" 2>&1
		rc=$?
		expect "read-only OUTDIR: exit 73" status_is 73
		expect "read-only OUTDIR: says so" grep -q 'Read-only file system' "$work/tmpfs2.txt"
		expect "read-only OUTDIR: OUTDIR as before" bash -c "$(declare -f sums); sums '$small' | diff '$work/tmpfs.before' -"
	else
		echo "skip read-only OUTDIR (cannot remount the tmpfs read-only here)"
	fi
else
	echo "skip small tmpfs and read-only OUTDIR (cannot mount a tmpfs here: the ulimit -f tests above stand in)"
fi

# --- 16. usage and statuses ---
run "$work/u.txt" --format=rar "$work/inbox" "$out"
expect "bad --format: exit 64" status_is 64
run "$work/u.txt" --period 2022 "$work/inbox" "$out"
expect "bad --period: exit 64" status_is 64
run "$work/u.txt" "$work/inbox"
expect "one folder only: exit 64" status_is 64
run "$work/u.txt" "$work/no-such-inbox" "$out"
expect "an inbox that does not exist: exit 66" status_is 66
run "$work/u.txt" "$work/inbox" "$work/inbox"
expect "INBOX and OUTDIR the same: exit 64" status_is 64
run "$work/u.txt" --policy "$work/no-such-policy.xml" "$work/inbox" "$out"
expect "a policy that cannot be read: exit 66" status_is 66
# the release metadata of the publication from a publication file (as mappa-publish --release)
printf '<release xmlns="urn:mappa:release:1" version="1"><date>2023-10-19</date><producer>Run Test Producer</producer><contact email="run@example.net"/></release>' > "$work/release.xml"
rm -rf "$work/relout"
run "$work/u.txt" -q --release "$work/release.xml" "$work/inbox" "$work/relout"
expect "--release FILE: exit 0" status_is 0
expect "--release FILE: README, cover and pages of the bundle carry its metadata" bash -c "
	tar -xzOf '$work/relout/mappa-2022-23.tar.gz' mappa-2022-23/README.txt mappa-2022-23/index.html \
		mappa-2022-23/areas/E23000001-london.html > '$work/rel.txt' &&
	test \$(grep -c -e 'Run Test Producer' '$work/rel.txt') -ge 3 && grep -q 'run@example.net' '$work/rel.txt' &&
	grep -q '19 October 2023' '$work/rel.txt'"
printf '<release xmlns="urn:mappa:release:1" version="1"><date>2023-02-30</date></release>' > "$work/release.xml"
run "$work/u.txt" --release "$work/release.xml" "$work/inbox" "$work/relout2"
expect "an invalid --release file: exit 65 (L04) before the run starts" bash -c "[ $rc -eq 65 ] && grep -q 'error\[L04\]' '$work/u.txt' && [ ! -e '$work/relout2' ]"
run "$work/u.txt" --help
expect "--help: exit 0" status_is 0
expect "--help mirrors the man page synopsis" grep -q 'usage: mappa-run \[--period YYYY-YY\]' "$work/u.txt"
run "$work/u.txt" --version
expect "--version: exit 0 and the version" grep -q '^mappa-run [0-9]' "$work/u.txt"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
