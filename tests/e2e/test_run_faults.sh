#!/bin/bash
# Fault tests of bin/mappa-run, the unattended run: a full run on the 42 fixtures, two and
# four runs at once (one publishes, the others exit 75), runs killed with SIGKILL at every
# step, at each step of the publish with a new bundle, and at set moments (the next run
# completes, OUTDIR never shows a partial bundle, latest and the published bundle are the same
# file at every moment), a full disk (ulimit -f: exit 73/74 and OUTDIR exactly as before), the
# inbox never changed, re-runs byte-identical, an inbox with a revision 2, an invalid return
# and a missing area, a lock that is a symbolic link, a folder at latest, odd inbox entries
# (symbolic link, folder, FIFO, dot file), names with a line end, ESC or TAB, calls through
# symbolic links and the compatibility script scripts/mappa-run, the time and size budget of
# one return, and the release metadata options; then what a second sweep found (sections
# 19-22): a hard link at the lock, an empty status, the umask and the modes of the run folder,
# another format of the same period, an OUTDIR inside INBOX, impossible periods and numbers, a
# closed pipe, a runs/ that is a link, a merge that refuses a return, and characters that hide
# text in names and inside returns.
# Nothing here depends on timing: runs meant to overlap are held by a gate file
# (MAPPA_RUN_PAUSE_UNTIL), and every check after a kill at a moment holds whatever it hit.
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
own_policy_run() { # the same with the run's own --policy in args (given twice it is bad usage)
	local POLICY=()
	run "$@"
}
# The first two runs use the shipped policy. Every later one tests the run, not the disclosure
# control, and uses the shipped policy with the outsider as its only reader: protecting every
# reader costs seconds of suppression a run, and this file makes about fifty runs.
POLICY=()
# the run folder a failed run names in its output (FILE), "" when none. Not the last folder of
# runs/ by name: two runs in one second sort by process id, and pids wrap (pid_max 32768)
run_dir_of() { sed -n 's/.*report: \(.*\)\/report\.txt$/\1/p' "$1" | tail -n 1; }
status_is() { # status_is EXPECTED [ALTERNATIVE]: against $rc
	[ "$rc" -eq "$1" ] || { [ $# -ge 2 ] && [ "$rc" -eq "$2" ]; } || { echo "exit $rc, expected $*"; return 1; }
}
sums() { # a listing of a folder with checksums: path, type, size and sha256 of files, link targets
	(cd "$1" && find . -mindepth 1 -printf '%p %y %l\n' | LC_ALL=C sort &&
		find . -type f -exec sha256sum {} + | LC_ALL=C sort -k 2)
}
# Every bundle visible in OUTDIR (a name not starting with a dot) is complete: tar lists it
# and its MANIFEST.sha256 checks; latest, when it exists, points at a run that published (its
# status says 0, or it has none yet: stopped between the publish and its status), and the
# published bundle is the very file of latest's run folder, whenever the run was stopped.
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
		grep -qx 'status 0' "$out/latest/status" 2>/dev/null || [ ! -e "$out/latest/status" ] ||
			{ echo "latest points at a run that did not publish"; return 1; }
		[ "$out/latest/bundle/mappa-2022-23.tar.gz" -ef "$out/mappa-2022-23.tar.gz" ] ||
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

# Runs started together: the one that takes the lock is held at "locked" until the file $2
# exists (MAPPA_RUN_PAUSE_UNTIL), and that file is made only once all the others have ended,
# so the others always find the lock held, however loaded the machine. Usage:
# together N GATE OUTDIR OUTPREFIX: sets statuses (sorted, space-separated).
together() {
	local n=$1 gate=$2 dir=$3 prefix=$4 i p left waited=0
	local -a pids=()
	rm -f "$gate"
	for i in $(seq "$n"); do
		MAPPA_RUN_PAUSE_AT=locked MAPPA_RUN_PAUSE_UNTIL=$gate "$RUNNER" "${POLICY[@]}" "$inbox" "$dir" >"$prefix-$i.txt" 2>&1 &
		pids+=($!)
	done
	# until all but one have ended (at most 5 minutes)
	while [ "$waited" -lt 3000 ]; do
		left=0
		for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && left=$((left + 1)); done
		[ "$left" -le 1 ] && break
		sleep 0.1
		waited=$((waited + 1))
	done
	touch "$gate"
	statuses=""
	for p in "${pids[@]}"; do
		wait "$p"
		statuses="$statuses $?"
	done
	statuses=$(echo $statuses | tr ' ' '\n' | sort -n | tr '\n' ' ')
}

# --- 3. two runs started together: one publishes, the other exits 75 at once ---
out=$work/out-two
together 2 "$work/gate-two" "$out" "$work/two"
read -r ra rb <<<"$statuses"
expect "two at once: one exits 0, the other 75 ($ra, $rb)" test "$((ra + rb))" -eq 75 -a "$((ra * rb))" -eq 0
expect "two at once: the loser says which run holds the lock" \
	bash -c "grep -Eq 'another run holds .*run [0-9]{8}T[0-9]{6}Z-[0-9]+ pid [0-9]+ started [0-9-]{10}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z\\)' '$work/two-1.txt' '$work/two-2.txt'"
expect "two at once: one run folder, one bundle" test "$(find "$out/runs" -mindepth 1 -maxdepth 1 | wc -l)" -eq 1
expect "two at once: OUTDIR is sound" outdir_sound "$out"
expect "two at once: the inbox is unchanged" inbox_same

# --- 4. runs killed with SIGKILL: at every step, and at set moments ---
out=$work/out-kill
run "$work/kill0.txt" "$inbox" "$out"
expect "kill: a first complete run" status_is 0
cp "$out/mappa-2022-23.tar.gz" "$work/first-kill.tar.gz"
for step in locked copied validated normalised merged suppressed bundled verified reported synced linked symlinked pointed finished; do
	ls "$out/runs" >"$work/runs.before"
	MAPPA_RUN_KILL_AT=$step "$RUNNER" "${POLICY[@]}" "$inbox" "$out" >"$work/kill.txt" 2>&1
	rc=$?
	killed=$(ls "$out/runs" | comm -13 "$work/runs.before" -)
	expect "kill at $step: the run died by SIGKILL" status_is 137
	case $step in
	finished) expect "kill at $step: the run's status says 0 (it published)" grep -qx 'status 0' "$out/runs/$killed/status" ;;
	pointed) expect "kill at $step: latest points at the killed run, which has no status yet (published, status next)" \
		test "$(readlink "$out/latest")" = "runs/$killed" -a ! -e "$out/runs/$killed/status" ;;
	*) expect "kill at $step: no status in the killed run's folder (it never claims what it did not do)" test -n "$killed" -a ! -e "$out/runs/$killed/status" ;;
	esac
	expect "kill at $step: OUTDIR shows only complete bundles" outdir_sound "$out"
	run "$work/after.txt" "$inbox" "$out"
	expect "kill at $step: the next run completes" status_is 0
	expect "kill at $step: then OUTDIR is sound, bundle unchanged" bash -c "$(declare -f outdir_sound); work='$work'; outdir_sound '$out' && cmp '$work/first-kill.tar.gz' '$out/mappa-2022-23.tar.gz'"
	expect "kill at $step: no temporary name is left in OUTDIR" test -z "$(find "$out" -maxdepth 1 -name '.*' ! -name .lock)"
done
# kills at moments not tied to a step (the same moments every time; what they hit depends on
# the machine, and every check below holds whatever they hit)
i=0
for delay in 0.05 0.3 0.6 0.9; do
	i=$((i + 1))
	"$RUNNER" "${POLICY[@]}" "$inbox" "$out" >"$work/kill.txt" 2>&1 &
	pid=$!
	sleep "$delay"
	kill -KILL "$pid" 2>/dev/null
	wait "$pid"
	# A stage the killed run started may outlive it for a moment; it does not hold the lock.
	expect "kill after ${delay}s: OUTDIR shows only complete bundles" outdir_sound "$out"
	run "$work/after.txt" "$inbox" "$out"
	expect "kill after ${delay}s: the next run completes" status_is 0
	expect "kill after ${delay}s: then OUTDIR is sound" outdir_sound "$out"
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
	# a write that failed names its file, not the run folder alone (QA: "cannot write into
	# 'OUTDIR/runs/ID': File too large")
	expect "disk full ($kib KiB): no message names the run folder alone" \
		bash -c "! grep -Eq \"cannot write[^']*'[^']*/runs/[^/']+': \" '$work/full.txt'"
	expect "disk full ($kib KiB): OUTDIR exactly as before" bash -c "$(declare -f sums); sums '$out' | diff '$work/full.before' -"
done
expect "disk full: the message says OUTDIR is as it was, but for its lock file" \
	grep -q "is as it was before the run, but for the lock file (.lock)" "$work/full.txt"
# an OUTDIR the failed run made itself is not "as it was" (QA): it holds the lock file alone
(
	trap '' XFSZ
	ulimit -f 60
	"$RUNNER" "${POLICY[@]}" "$inbox" "$work/out-full-new"
) >"$work/full.txt" 2>&1
rc=$?
expect "disk full, OUTDIR made by the run: 74, it holds the lock file alone, and the message says so" \
	bash -c "[ $rc = 74 ] && [ \"\$(ls -A '$work/out-full-new')\" = .lock ] && grep -q \"'$work/out-full-new' is empty, as the run made it, but for the lock file (.lock)\" '$work/full.txt'"
MAPPA_RUN_MIN_FREE_KB=999999999999 "$RUNNER" "${POLICY[@]}" "$inbox" "$out" >"$work/full.txt" 2>&1
rc=$?
expect "too little free space: exit 73" status_is 73
expect "too little free space: says so" grep -q 'free on the file system' "$work/full.txt"
expect "too little free space: OUTDIR exactly as before" bash -c "$(declare -f sums); sums '$out' | diff '$work/full.before' -"
# a new OUTDIR short of space is not made (QA: refused, with OUTDIR and its .lock left behind)
MAPPA_RUN_MIN_FREE_KB=999999999999 "$RUNNER" "${POLICY[@]}" "$inbox" "$work/out-nospace/new" >"$work/full.txt" 2>&1
rc=$?
expect "too little free space for a new OUTDIR: exit 73, says so, nothing made" \
	bash -c "[ $rc = 73 ] && grep -q 'free on the file system of .*out-nospace/new.*: nothing made' '$work/full.txt' && [ ! -e '$work/out-nospace' ]"
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

# --- 7. kills at each step of the publish, with a new bundle: latest and the bundle agree ---
# A complete run on inbox A publishes bundle A; then a run on inbox B (a revision 2: another
# bundle) is killed at a step. Before the rename of latest OUTDIR shows run A and bundle A;
# from it on, the killed run and bundle B; never one run's latest with the other's bundle.
out=$work/out-repair
inbox_a=$work/inbox-repair-a
inbox_b=$work/inbox-repair
mkdir -p "$inbox_a" "$inbox_b" && cp "$FIXTURES"/*.xml "$inbox_a"/ && cp "$FIXTURES"/*.xml "$inbox_b"/
sed -e 's/revision="1"/revision="2"/' -e 's|<count category="1" level="1">669</count>|<count category="1" level="1">700</count>|' \
	"$FIXTURES/E23000002.xml" >"$inbox_b/E23000002 r2.xml"
for step in reported synced linked symlinked pointed finished; do
	run "$work/repair0.txt" "$inbox_a" "$out"
	expect "publish killed at $step: first, a complete run on inbox A" status_is 0
	before=$(readlink "$out/latest")
	cp "$out/mappa-2022-23.tar.gz" "$work/bundle-a.tar.gz"
	ls "$out/runs" >"$work/runs.before"
	MAPPA_RUN_KILL_AT=$step "$RUNNER" "${POLICY[@]}" "$inbox_b" "$out" >"$work/kill.txt" 2>&1
	rc=$?
	killed=$(ls "$out/runs" | comm -13 "$work/runs.before" -)
	expect "publish killed at $step: the run died by SIGKILL" status_is 137
	expect "publish killed at $step: OUTDIR is sound (latest's bundle is the published file)" outdir_sound "$out"
	case $step in
	pointed | finished)
		expect "publish killed at $step: latest names the killed run" test "$(readlink "$out/latest")" = "runs/$killed"
		expect "publish killed at $step: the published bundle is B (not A)" bash -c "! cmp -s '$work/bundle-a.tar.gz' '$out/mappa-2022-23.tar.gz'"
		;;
	*)
		expect "publish killed at $step: latest still names run A" test "$(readlink "$out/latest")" = "$before"
		expect "publish killed at $step: the published bundle is still A" cmp "$work/bundle-a.tar.gz" "$out/mappa-2022-23.tar.gz"
		expect "publish killed at $step: the killed run has no status" test ! -e "$out/runs/$killed/status"
		;;
	esac
	# its report says published only once it is (QA: killed before the publish, report.txt
	# and report.html said "published", exit 0)
	case $step in
	finished)
		expect "publish killed at $step: its report says published, exit 0" \
			bash -c "grep -q '^result:   published ' '$out/runs/$killed/report.txt' && grep -qx 'exit:     0' '$out/runs/$killed/report.txt' && grep -q '<title>MAPPA run [^<]*: published ' '$out/runs/$killed/report.html'"
		;;
	*)
		expect "publish killed at $step: its report says not published yet, no exit status" \
			bash -c "grep -q '^result:   not published yet: .* is ready; this report is written again once it is published' '$out/runs/$killed/report.txt' && grep -q '^exit:     none yet' '$out/runs/$killed/report.txt' && grep -q '(ready, not published yet)' '$out/runs/$killed/report.txt' && ! grep -q 'published \"' '$out/runs/$killed/report.html' && grep -q 'Result: not published yet' '$out/runs/$killed/report.html'"
		;;
	esac
	mkdir -p "$work/empty"
	ls "$out/runs" >"$work/runs.before"
	run "$work/repair1.txt" "$work/empty" "$out"
	next=$(ls "$out/runs" | comm -13 "$work/runs.before" -)
	expect "publish killed at $step: the next run (an empty inbox) exits 65" status_is 65
	expect "publish killed at $step: then OUTDIR is sound" outdir_sound "$out"
	expect "publish killed at $step: no temporary name is left" test -z "$(find "$out" -maxdepth 1 -name '.*' ! -name .lock)"
	case $step in
	pointed)
		expect "publish killed at $step: the next run records the killed run's status 0" grep -qx 'status 0' "$out/runs/$killed/status"
		expect "publish killed at $step: and says so in its log" grep -q "recovered: runs/$killed published" "$out/runs/$next/run.log"
		;;
	finished) expect "publish killed at $step: its status says 0" grep -qx 'status 0' "$out/runs/$killed/status" ;;
	*) expect "publish killed at $step: the killed run never gets a status" test ! -e "$out/runs/$killed/status" ;;
	esac
done
# the first publish of a period killed after its name is linked through latest, before the
# rename: no bundle is visible (the link resolves to nothing), and the next run removes the link;
# killed just after the rename, the period is published under its name (QA: a name made only
# after the rename left a published period unnamed until the next run)
out=$work/out-first
for step in linked symlinked; do
	MAPPA_RUN_KILL_AT=$step "$RUNNER" "${POLICY[@]}" "$inbox_a" "$out" >"$work/kill.txt" 2>&1
	rc=$?
	expect "first publish killed at $step: SIGKILL" status_is 137
	expect "first publish killed at $step: no bundle visible, no latest" test ! -e "$out/mappa-2022-23.tar.gz" -a ! -e "$out/latest"
done
run "$work/first1.txt" "$work/empty" "$out"
expect "first publish killed at linked: the next run removes the link" test ! -L "$out/mappa-2022-23.tar.gz"
out=$work/out-first-pointed
MAPPA_RUN_KILL_AT=pointed "$RUNNER" "${POLICY[@]}" "$inbox_a" "$out" >"$work/kill.txt" 2>&1
rc=$?
expect "first publish killed at pointed: published under its name, latest's bundle" \
	bash -c "[ $rc = 137 ] && [ '$out/mappa-2022-23.tar.gz' -ef '$out/latest/bundle/mappa-2022-23.tar.gz' ]"
run "$work/first1.txt" "$work/empty" "$out"
expect "first publish killed at pointed: then OUTDIR is sound" outdir_sound "$out"
out=$work/out-first
run "$work/first2.txt" "$inbox_a" "$out"
expect "first publish killed at linked: a later run publishes" status_is 0
expect "first publish killed at linked: then OUTDIR is sound" outdir_sound "$out"
# a bundle put back by hand as a file (docs/operations.md before this layout) and another
# period's bundle published by latest's run: a new publish keeps both right
# (a copy of latest's own bundle: bundle-a, A published again after B, may differ from A's
# first publication, which publishes the 0s the bundles of B pin)
cp "$out/latest/bundle/mappa-2022-23.tar.gz" "$out/.put-back" && mv -T "$out/.put-back" "$out/mappa-2022-23.tar.gz"
old=$(readlink "$out/latest")
cp "$work/bundle-a.tar.gz" "$out/$old/bundle/mappa-2021-22.tar.gz"
ln -s latest/bundle/mappa-2021-22.tar.gz "$out/mappa-2021-22.tar.gz"
# (its history read from an empty folder: the fake 2021-22 bundle is a 2022-23 one)
mkdir -p "$work/no-history"
# A bundle of the period in OUTDIR makes the run a revision, which is audited with that
# publication's true values and in its own OUTDIR: with --history elsewhere it is refused
# (4 December: it used to take the period as never published and replace the bundle), and
# OUTDIR stays sound
run "$work/first3.txt" --history "$work/no-history" "$inbox_b" "$out"
expect "a file at the bundle's name, --history elsewhere: the revision is refused (65)" \
	bash -c "[ $rc -eq 65 ] && grep -q 'OUTDIR published 2022-23 before' '$work/first3.txt'"
# (the file put back is a copy of latest's own bundle, made the link again; another file stays,
# below)
expect "a file at the bundle's name, the revision refused: OUTDIR is sound" outdir_sound "$out"
rm "$out/mappa-2021-22.tar.gz"

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
# (latest is gone too, and a run folder published the period: refused for the folder, 73,
# before the history reads the period as never published; before anything is replaced)
expect "folder at the bundle's name: exit 73" status_is 73
expect "folder at the bundle's name: latest not created" test ! -e "$out/latest"
# with latest sound: the folder named, 73 (QA: 65, S03 "latest does not lead to a published
# bundle ... point latest at the last run that published", with latest as it should be)
out=$work/out-bundlefolder
run "$work/bf0.txt" "$work/inbox" "$out"
rm "$out/mappa-2022-23.tar.gz" && mkdir "$out/mappa-2022-23.tar.gz"
sums "$out" | grep -v '^\./\.lock ' >"$work/bf.before"
run "$work/bf1.txt" "$work/inbox" "$out"
expect "folder at the bundle's name, latest sound: exit 73, naming the folder, not latest" \
	bash -c "[ $rc -eq 73 ] && grep -q \"something other than a file or a symbolic link stands at '.*/mappa-2022-23.tar.gz', the period's bundle name\" '$work/bf1.txt' && ! grep -q 'point latest' '$work/bf1.txt'"
expect "folder at the bundle's name, latest sound: OUTDIR as before" \
	bash -c "$(declare -f sums); sums '$out' | grep -v '^\./\.lock ' | diff '$work/bf.before' -"

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
mv "$inbox/E23000005.xml" "$inbox/$(printf 'E5\rE23000099-FORGED.xml')"
sums "$inbox" >"$work/names.before"
out=$work/out-names
run "$work/names.txt" "$inbox" "$out"
expect "hostile names: exit 0" status_is 0
expect "hostile names: no line of run.log is forged (each starts with a time stamp)" \
	bash -c "! grep -Evq '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z ' '$out/latest/run.log'"
expect "hostile names: the line end is shown escaped in the report" grep -Fq '"cumbria\n2023-01-01T00\07200:00Z published: forged.xml": valid: E23000002 revision 1, used' "$out/latest/report.txt"
expect "hostile names: the name with a TAB is used (not a duplicate)" grep -Fq '"lancs\tfinal.xml": valid: E23000003 revision 1, used' "$out/latest/report.txt"
expect "hostile names: no ESC byte in the report, log or HTML" bash -c "! grep -q \$'\\033' '$out/latest/report.txt' '$out/latest/run.log' '$out/latest/report.html'"
expect "hostile names: the ESC is shown as \\033" grep -Fq '"mersey\033[31mred.xml"' "$out/latest/report.txt"
expect "hostile names: the copies keep the real names" test -f "$out/latest/inbox/$(printf 'lancs\tfinal.xml')"
expect "hostile names: inbox.sha256 checks with sha256sum -c" bash -c "cd '$out/latest/inbox' && sha256sum --quiet -c ../inbox.sha256"
expect "hostile names: no CR in inbox.sha256 (sha256sum's \\r)" bash -c "! grep -q \$'\\r' '$out/latest/inbox.sha256' && grep -Fq '  E5\rE23000099-FORGED.xml' '$out/latest/inbox.sha256'"
expect "hostile names: the inbox is unchanged" bash -c "$(declare -f sums); sums '$inbox' | cmp -s - '$work/names.before'"
expect "hostile names: the area's line names its return quoted once" grep -Fq 'valid (revision 1 of 2023-05-04, "cumbria\n2023-01-01T00\07200:00Z published: forged.xml")' "$out/latest/report.txt"
# an OUTDIR with a TAB: the bundle's path quoted as one name, on standard output and in the
# report (QA: '"OUTDIR"/mappa-2022-23.tar.gz', in two pieces)
tabout=$work/$(printf 'out\ttab')
run "$work/tabout.txt" "$work/inbox" "$tabout"
expect "an OUTDIR with a TAB: 'published' names the bundle quoted once" \
	bash -c "grep -Fq 'mappa-run: published \"$work/out\ttab/mappa-2022-23.tar.gz\" (run ' '$work/tabout.txt' && grep -Fq 'result:   published \"$work/out\ttab/mappa-2022-23.tar.gz\"' '$tabout/latest/report.txt'"
# and the run folder in report.txt, the reports in run.log (QA: '"OUTDIR"/runs/RUN-ID', half
# quoted, where standard error quoted the whole path)
tabrun=$(basename "$(readlink "$tabout/latest")")
expect "an OUTDIR with a TAB: the run folder and the reports quoted once in report.txt and run.log" \
	bash -c "grep -Fqx 'Run folder: \"$work/out\ttab/runs/$tabrun\" (log: run.log)' '$tabout/latest/report.txt' && grep -Fq 'report: \"$work/out\ttab/runs/$tabrun/report.txt\", \"$work/out\ttab/runs/$tabrun/report.html\"' '$tabout/latest/run.log'"
# a duplicate and an invalid return with a TAB: each diagnostic names its file quoted once (they
# were quoted twice, "\"bad\\tone.xml\"", and the merge's verdict did not find its file)
inbox=$work/inbox-names2
mkdir -p "$inbox" && cp "$FIXTURES"/*.xml "$inbox"/
cp "$inbox/E23000001.xml" "$inbox/$(printf 'dup\tx.xml')"
sed 's|^</return>|<bogus/></return>|' "$inbox/E23000005.xml" >"$inbox/$(printf 'bad\tone.xml')"
out=$work/out-names2
run "$work/names2.txt" "$inbox" "$out"
report=$(find "$out/runs" -name report.txt | head -n 1)
expect "hostile names: an invalid return: exit 65" status_is 65
line=$(grep -n '^<bogus/>' "$inbox/$(printf 'bad\tone.xml')" | cut -d: -f1)
expect "hostile names: the invalid return's diagnostic names it quoted once" grep -Fxq "    \"bad\\tone.xml\":$line: error[R05]: Element 'bogus': This element is not expected." "$report"
expect "hostile names: the same line in run.log" grep -Fq "check: \"bad\\tone.xml\":$line: error[R05]" "$(dirname "$report")/run.log"
expect "hostile names: the duplicate with a TAB is a duplicate" grep -Fq '"dup\tx.xml": valid: E23000001 revision 1, a duplicate (not used)' "$report"
expect "hostile names: the duplicate's M08 names it quoted once" grep -Fq '"dup\tx.xml":'"$(grep -n '<submission ' "$inbox/E23000001.xml" | cut -d: -f1)"': warning[M08]: area E23000001 revision 1 is the same as '"'E23000001.xml'"'' "$(dirname "$report")/run.log"
# a valid return's warnings reach the report, not only run.log (QA: a W01 was in the log alone)
expect "a valid return's warning is in report.txt" grep -Fq '"dup\tx.xml":'"$(grep -n '<submission ' "$inbox/E23000001.xml" | cut -d: -f1)"': warning[M08]: area E23000001 revision 1 is the same as' "$report"
expect "report.txt has a section for the warnings of valid returns" grep -q '^Warnings in valid returns (1; a warning never stops a return):$' "$report"
expect "report.html has it too" grep -q '<h2>Warnings in valid returns (1)</h2>' "$(dirname "$report")/report.html"
expect "hostile names: no name is quoted twice in the report, log or checks" bash -c "! grep -rqF '\\\\t' '$(dirname "$report")/report.txt' '$(dirname "$report")/run.log' '$(dirname "$report")/checks'"

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
# a --bin with control characters is not printed raw; and the script needs nothing on PATH but
# the shell (QA: ESC and BEL on standard error; without dirname it looked in /bin)
"$SCRIPT" --bin "$work/"$'\e]0;x\a\e[31mX' "$work/inbox" "$out" >"$work/links.txt" 2>&1
rc=$?
expect "scripts/mappa-run --bin with control characters: 69, none printed" \
	bash -c "[ $rc = 69 ] && grep -q 'its name is not shown' '$work/links.txt' && ! grep -q \$'[\x01-\x08\x0b-\x1f\x7f]' '$work/links.txt'"
# nor backslash escapes that the shell's echo turns into ESC, a C1 control, or \c that cut the
# line (QA: dash's echo)
for b in '/nonexist/\033[31mRED\033[0m' '/x/a\cb' "/x/$(printf '\302\233')y"; do
	/bin/sh "$SCRIPT" --bin "$b" "$work/inbox" "$out" >"$work/links.txt" 2>&1
	rc=$?
	expect "scripts/mappa-run --bin $(printf '%q' "$b"): 69, said whole, nothing raw" \
		bash -c "[ $rc = 69 ] && grep -q 'its name is not shown: .*not found or not executable' '$work/links.txt' && ! grep -q \$'[\x01-\x08\x0b-\x1f\x7f\x80-\x9f]' '$work/links.txt' && ! grep -q \$'\xc2[\x80-\x9f]' '$work/links.txt'"
done
(cd / && env -i PATH=/nonexistent /bin/sh "$work/tree/scripts/mappa-run" -q "$work/inbox" "$out") >"$work/links.txt" 2>&1
rc=$?
expect "scripts/mappa-run with nothing on PATH (no dirname, no readlink): exit 0" status_is 0
# through a symbolic link with nothing on PATH it cannot find where the link leads: 69, said,
# not the program beside the link (QA: one put there ran)
mkdir -p "$work/lnk/bin" && ln -sf "$work/tree/scripts/mappa-run" "$work/lnk/bin/mappa-run-compat" &&
	printf '#!/bin/sh\necho WRONG PROGRAM RAN\n' >"$work/lnk/bin/mappa-run" && chmod +x "$work/lnk/bin/mappa-run"
(cd "$work" && env -i PATH=/nonexistent /bin/sh lnk/bin/mappa-run-compat --version) >"$work/links.txt" 2>&1
rc=$?
expect "scripts/mappa-run through a link with nothing on PATH: 69, says to give --bin, nothing else run" \
	bash -c "[ $rc = 69 ] && grep -q 'readlink is not on PATH' '$work/links.txt' && ! grep -q WRONG '$work/links.txt'"

# no external tool at run time (the script died without flock, tar, sha256sum or find): with
# nothing on PATH the run still locks, copies, checksums, publishes and audits its bundle
out=$work/out-nopath
(cd / && env -i PATH=/nonexistent "$RUNNER" -q "$work/inbox" "$out") >"$work/nopath.txt" 2>&1
rc=$?
expect "nothing on PATH: exit 0" status_is 0
expect "nothing on PATH: the bundle is published" test -f "$out/mappa-2022-23.tar.gz"
expect "nothing on PATH: the report records the bundle's checksum" grep -q "sha256 $(sha256sum <"$out/mappa-2022-23.tar.gz" | cut -d' ' -f1)" "$out/latest/report.txt"

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
expect "duplicate cells: every one of them is in the run folder (2,000; the list kept 100)" test "$(cat "$folder"/checks/*.txt | grep -c 'error\[R08\]')" -eq 2000
expect "duplicate cells: the report counts the rest right" grep -q '^    and 1950 more (all of them: checks/' "$report"
expect "duplicate cells: the report stays small (under 64 KiB)" test "$(wc -c <"$report")" -lt 65536

# --- 14. four runs started together: one publishes, three exit 75 ---
out=$work/out-four
inbox=$work/inbox
together 4 "$work/gate-four" "$out" "$work/four"
expect "four at once: one exits 0, three exit 75 ($statuses)" test "$statuses" = "0 75 75 75 "
expect "four at once: one run folder" test "$(find "$out/runs" -mindepth 1 -maxdepth 1 | wc -l)" -eq 1
expect "four at once: OUTDIR is sound" outdir_sound "$out"

# an operator's script guarded by flock(1) on the same lock file (or the shell mappa-run of
# before): the run keeps out (QA: an fcntl lock, which flock(1) does not see, let it publish)
if command -v flock >/dev/null 2>&1; then
	out=$work/out-flock
	mkdir -p "$out" && : >"$out/.lock"
	flock -n "$out/.lock" -c "touch '$work/flock-held'; sleep 5" &
	fpid=$!
	for _ in $(seq 100); do [ -e "$work/flock-held" ] && break; sleep 0.05; done
	run "$work/flock.txt" "$work/inbox" "$out"
	expect "a flock(1) holder of .lock: the run exits 75" status_is 75
	expect "a flock(1) holder of .lock: said to be no run, with why" grep -q "another process holds '.*/.lock' (no run's note): not a run that says so; a flock of OUTDIR/.lock around this run" "$work/flock.txt"
	expect "a flock(1) holder of .lock: nothing published" test ! -e "$out/mappa-2022-23.tar.gz"
	kill "$fpid" 2>/dev/null; wait "$fpid" 2>/dev/null
	# the same with a killed run's note left in the file: its pid is not named as the holder
	rm -f "$work/flock-held"
	for _ in $(seq 100); do flock -n "$out/.lock" true && break; sleep 0.1; done
	echo "run 20260101T000000Z-999999 pid 999999 started 2026-01-01T00:00:00Z" >"$out/.lock"
	flock -n "$out/.lock" -c "touch '$work/flock-held'; sleep 5" &
	fpid=$!
	for _ in $(seq 100); do [ -e "$work/flock-held" ] && break; sleep 0.05; done
	run "$work/flock2.txt" "$work/inbox" "$out"
	expect "a flock(1) holder, a killed run's note in .lock: 75, the note said to be an ended run's" \
		bash -c "[ $rc = 75 ] && grep -q 'another process holds .* (its note is of an ended run: ' '$work/flock2.txt'"
	kill "$fpid" 2>/dev/null; wait "$fpid" 2>/dev/null
fi

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

# --- 16. the budget of one return: time (a test hook holds one return up) and size ---
out=$work/out-budget
SECONDS=0
MAPPA_RUN_PAUSE_AT="read E23000002.xml" "$RUNNER" "${POLICY[@]}" --max-return-seconds 0.5 "$work/inbox" "$out" >"$work/budget.txt" 2>&1
rc=$?
took=$SECONDS
report=$(find "$out/runs" -name report.txt | head -n 1)
expect "time budget: a return held up 2 s with a budget of 0.5 s: exit 65" status_is 65
expect "time budget: the run did not wait for more than the one held-up return (${took}s)" test "$took" -le 60
expect "time budget: the report names the file, the rule and the budget" \
	grep -Eq '^    E23000002.xml:1: error\[R19\]: reading this return took [0-9.]+ s, more than the time budget of one return \(0.5 s, mappa-run --max-return-seconds\)' "$report"
expect "time budget: the log names it too" grep -q 'E23000002.xml:1: error\[R19\]' "${report%/report.txt}/run.log"
expect "time budget: nothing published" test ! -e "$out/mappa-2022-23.tar.gz" -a ! -e "$out/latest"
expect "time budget: the other 41 returns are used" test "$(grep -c ': valid: .* used$' "$report")" -eq 41
# a read that blocks (a stalled NFS, SMB or FUSE inbox; a test hook holds the reading of one
# file up for 5 minutes): the run leaves it at the budget (QA: a FUSE read that slept an hour held
# the run, and its lock, past --max-return-seconds 1; every later cron run exited 75)
SECONDS=0
MAPPA_RUN_PAUSE_AT="reading E23000002.xml" MAPPA_RUN_PAUSE_UNTIL="$work/never" \
	timeout 120 "$RUNNER" "${POLICY[@]}" --max-return-seconds 1 "$work/inbox" "$out-stall" >"$work/stall.txt" 2>&1
rc=$?
took=$SECONDS
report=$(find "$out-stall/runs" -name report.txt | head -n 1)
expect "a read that blocks: exit 65, not held for its 5 minutes (${took}s)" bash -c "[ $rc -eq 65 ] && [ $took -le 60 ]"
expect "a read that blocks: the report says R19 for it" \
	grep -Eq '^    E23000002.xml:1: error\[R19\]: reading this return took [0-9.]+ s, more than the time budget of one return \(1 s' "$report"
run "$work/stall2.txt" "$work/inbox" "$out-stall"
expect "a read that blocks: the lock is free for the next run, which publishes" status_is 0
run "$work/budget.txt" --max-return-seconds 30 "$work/inbox" "$out"
expect "time budget: with the default budget the same inbox publishes" status_is 0
run "$work/budget.txt" --max-return-size 2048 "$work/inbox" "$out-size"
report=$(find "$out-size/runs" -name report.txt | head -n 1)
expect "size budget of 2048 bytes: exit 65 (every return is larger)" status_is 65
expect "size budget: the report says R03 and the budget" grep -Eq '^    E23000002.xml:1: error\[R03\]: the file is larger than 2048 bytes' "$report"
expect "size budget: no more than the budget (+1 byte) is read and copied" test "$(wc -c <"${report%/report.txt}/inbox/E23000002.xml")" -le 2049
expect "size budget: the report says its SHA-256 is of what was read, not the file's" \
	grep -q '(of its first 2049 bytes, as copied: the file is larger than the size budget)' "${report%/report.txt}/report.html"
for bad in 0 -1 abc 1.5e400 '' 1048577; do
	run "$work/u.txt" --max-return-size "$bad" "$work/inbox" "$out"
	expect "--max-return-size '$bad': exit 64" status_is 64
done
for bad in 0 -2 abc '' 1e9 nan . .x; do
	run "$work/u.txt" --max-return-seconds "$bad" "$work/inbox" "$out"
	expect "--max-return-seconds '$bad': exit 64" status_is 64
done
# a decimal without its 0 is a decimal too (QA: .5 exit 64, 0.5 taken)
run "$work/u.txt" --max-return-seconds .5 "$work/empty" "$work/out-half"
expect "--max-return-seconds .5: taken (65, an empty inbox), not 64" status_is 65

# --- 17. usage and statuses ---
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
own_policy_run "$work/u.txt" --policy "$work/no-such-policy.xml" "$work/inbox" "$out"
expect "a policy that cannot be read: exit 66" status_is 66
# an invalid policy: its diagnostics at their lines, FILE:LINE: error[RULE] (the run printed
# only "the policy '...' is not valid: MESSAGE", with no line and no rule)
sed 's/minWidth="1"/minWidth="0"/' policy/default.xml >"$work/narrow-policy.xml"
line=$(grep -n 'minWidth=' "$work/narrow-policy.xml" | head -1 | cut -d: -f1)
own_policy_run "$work/u.txt" --policy "$work/narrow-policy.xml" "$work/inbox" "$out"
expect "an invalid policy: exit 65" status_is 65
expect "an invalid policy: its diagnostic at its line" grep -q "^$work/narrow-policy.xml:$line: error\[C03\]: .*minWidth" "$work/u.txt"
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
# an option that passes alone but not over the file: bad usage (64), as in mappa-publish
printf '<release xmlns="urn:mappa:release:1" version="1"><date>2023-10-19</date></release>' > "$work/release.xml"
run "$work/u.txt" --release "$work/release.xml" --next-release 2023-05 "$work/inbox" "$work/relout3"
expect "--next-release before the file's release date: exit 64, nothing made" bash -c "[ $rc -eq 64 ] && grep -q 'the options over' '$work/u.txt' && [ ! -e '$work/relout3' ]"
run "$work/u.txt" --help
expect "--help: exit 0" status_is 0
expect "--help mirrors the man page synopsis" grep -q 'usage: mappa-run \[--period YYYY-YY\]' "$work/u.txt"
run "$work/u.txt" --version
expect "--version: exit 0 and the version" grep -q '^mappa-run [0-9]' "$work/u.txt"
# every long option of --help is in the man page, and the other way round
help_opts=$("$RUNNER" --help | grep -Eo -- '--[a-z][a-z-]*' | sort -u)
man_opts=$(grep -E '^\.(B|BI|BR|RB) ' docs/man/mappa-run.1 | sed 's/\\-/-/g' | grep -Eo -- '--[a-z][a-z-]*' | sort -u)
expect "--help and the man page name the same options" test "$help_opts" = "$man_opts"

# --- 18. release metadata, as mappa-publish takes it, reaches the bundle ---
out=$work/out-release
run "$work/rel.txt" --release-date 2023-10-19 --next-release 2024-10 --producer 'Ministry of Justice statistics' \
	--contact 'MAPPA statistics' --email mappa.stats@justice.example.gov.uk --phone '020 3334 3555' \
	--methodology https://example.gov.uk/mappa/method "$work/inbox" "$out"
expect "release metadata: exit 0" status_is 0
readme=$(tar -xzOf "$out/mappa-2022-23.tar.gz" mappa-2022-23/README.txt 2>/dev/null)
for v in '19 October 2023' 'October 2024' 'Ministry of Justice statistics' 'MAPPA statistics' \
	mappa.stats@justice.example.gov.uk '020 3334 3555' https://example.gov.uk/mappa/method; do
	expect "release metadata: README.txt says '$v'" grep -qF "$v" <<<"$readme"
done
expect "release metadata: the run log records them" grep -q 'release: email=mappa.stats@justice.example.gov.uk' "$out/latest/run.log"
run "$work/rel.txt" "$work/inbox" "$work/out-release-default"
expect "release metadata: without them, the demo defaults (as mappa-publish)" bash -c \
	"tar -xzOf '$work/out-release-default/mappa-2022-23.tar.gz' mappa-2022-23/README.txt | grep -qF mappa.statistics@example.org"
for bad in '--email not-an-address' '--release-date 2023-02-30' '--release-date 2024-01-10 --next-release 2023-12' '--phone 12' '--methodology ftp://x'; do
	# shellcheck disable=SC2086
	run "$work/rel.txt" $bad "$work/inbox" "$work/out-release-bad"
	expect "release metadata: $bad: exit 64, nothing written" bash -c "[ $rc -eq 64 ] && [ ! -e '$work/out-release-bad' ]"
done
# a release date before the period's end (found once the returns say the period): 64 after the
# merge, nothing published (it failed in the bundle, after the suppression, as an internal error)
run "$work/rel.txt" --release-date 2023-03-31 "$work/inbox" "$work/out-release-early"
expect "release metadata: a release date before the period ends: exit 64, nothing published" bash -c \
	"[ $rc -eq 64 ] && [ ! -e '$work/out-release-early/mappa-2022-23.tar.gz' ] && grep -q \"release date '2023-03-31' is not after the end of the period 2022-23\" '$work/rel.txt'"
sed 's|<date>[^<]*</date>|<date>2023-03-31</date>|' docs/examples/release.xml >"$work/early.xml"
line=$(grep -n '<date>' "$work/early.xml" | head -1 | cut -d: -f1)
run "$work/rel.txt" --release "$work/early.xml" "$work/inbox" "$work/out-release-early2"
expect "release metadata: a --release file dated before the period ends: 65, L04 at its line, nothing published" bash -c \
	"[ $rc -eq 65 ] && [ ! -e '$work/out-release-early2/mappa-2022-23.tar.gz' ] && grep -q '^$work/early.xml:$line: error\[L04\]' '$work/rel.txt'"
# a date given alone against the other's default for the period (2022-23: 2023-10-26, next
# 2024-10-31): 64 for an option, 65 at the element's line for the file, after the merge and
# before any suppression; the message (stderr, the report's result) names the rule. It was 70,
# "cannot build the bundle" without a rule id, after the suppression and its audit.
no_suppression() { # OUTDIR: no bundle, and no run folder went as far as the suppression
	[ ! -e "$1/mappa-2022-23.tar.gz" ] && ! ls "$1"/runs/*/suppressed.obs >/dev/null 2>&1
}
for bad in '--next-release 2023-01-01' '--next-release 2023-10-26' '--release-date 2025-01-01'; do
	# shellcheck disable=SC2086
	run "$work/rel.txt" $bad "$work/inbox" "$work/out-release-default2"
	expect "release metadata: $bad against the other date's default: 64, naming the option and L04, before the suppression" bash -c \
		"[ $rc -eq 64 ] && grep -q '^mappa-run: ${bad%% *}: error\[L04\]: .*the default for 2022-23' '$work/rel.txt' &&
		 grep -qx 'status 64' '$work'/out-release-default2/runs/*/status &&
		 grep -q '^result: .*error\[L04\]' '$work'/out-release-default2/runs/*/report.txt"
	expect "release metadata: $bad: nothing suppressed, nothing published" no_suppression "$work/out-release-default2"
	rm -rf "$work/out-release-default2"
done
run "$work/rel.txt" --period 2022-23 --next-release 2023-10 "$work/inbox" "$work/out-release-default3"
expect "release metadata: with --period, a --next-release against the default release date: 64 before anything is done" bash -c \
	"[ $rc -eq 64 ] && [ ! -e '$work/out-release-default3' ] && grep -q '^mappa-run: --next-release: error\[L04\]' '$work/rel.txt'"
printf '<release xmlns="urn:mappa:release:1" version="1">\n\n  <date>2025-01-01</date>\n</release>\n' >"$work/alone.xml"
run "$work/rel.txt" --release "$work/alone.xml" "$work/inbox" "$work/out-release-default4"
expect "release metadata: a --release file of only <date>2025-01-01</date>: 65, L04 at its line, before the suppression" bash -c \
	"[ $rc -eq 65 ] && grep -q '^$work/alone.xml:3: error\[L04\]: .*the default for 2022-23' '$work/rel.txt' &&
	 grep -q '^result: .*error\[L04\]' '$work'/out-release-default4/runs/*/report.txt"
expect "release metadata: that file: nothing suppressed, nothing published" no_suppression "$work/out-release-default4"
printf '<release xmlns="urn:mappa:release:1" version="1">\n  <date>2023-10-26</date>\n  <next>2023-10</next>\n</release>\n' >"$work/contra.xml"
run "$work/rel.txt" --release "$work/contra.xml" "$work/inbox" "$work/out-release-contra"
expect "release metadata: a --release file whose dates contradict each other: 65 before anything is done, L04 at <next>" bash -c \
	"[ $rc -eq 65 ] && [ ! -e '$work/out-release-contra' ] && grep -q '^$work/contra.xml:3: error\[L04\]' '$work/rel.txt'"

# --- the prose of the bundle follows the run's policy (it said "1 or 2" whatever the policy) ---
sed 's/min="1" max="2"/min="1" max="3"/g' fixtures/policy/outsider-only.xml >"$work/policy3.xml"
"$RUNNER" --policy "$work/policy3.xml" "$work/inbox" "$work/out-policy3" >"$work/pol3.txt" 2>&1
rc=$?
expect "policy: a run under a policy of counts 1 to 3: exit 0" status_is 0
readme=$(tar -xzOf "$work/out-policy3/mappa-2022-23.tar.gz" mappa-2022-23/README.txt 2>/dev/null)
expect "policy: README.txt states the run's counts (1 to 3), never 1 or 2" bash -c \
	"tr '\\n' ' ' <<<\"\$0\" | tr -s ' ' | grep -qF 'Counts of 1 to 3 in area and national tables are suppressed' && ! grep -qF '1 or 2' <<<\"\$0\"" "$readme"

# a policy that publishes 1s (counts 2 to 3 suppressed): the run published it, its README saying
# counts of 2 or 3 are suppressed (QA, 5 December); a primary rule starts at 1, so the run
# refuses the policy at the line of that rule and publishes nothing (QA)
sed 's/min="1" max="2"/min="2" max="3"/g' fixtures/policy/outsider-only.xml >"$work/policy23.xml"
line=$(grep -n 'min="2"' "$work/policy23.xml" | head -1 | cut -d: -f1)
"$RUNNER" --policy "$work/policy23.xml" "$work/inbox" "$work/out-policy23" >"$work/pol23.txt" 2>&1
rc=$?
expect "policy: a run under a policy that publishes 1s (counts 2 to 3 suppressed): exit 65" status_is 65
expect "policy: a policy that publishes 1s: C03 at the line of its primary rule, nothing published" bash -c \
	"grep -q '^$work/policy23.xml:$line: error\[C03\]: primary rule: min 2 is not 1' '$work/pol23.txt' && [ ! -e '$work/out-policy23/mappa-2022-23.tar.gz' ]"

# --- 19. what a second sweep found (3 December): the lock, the status, the modes, the format ---
# a hard link at .lock: nothing is written into it (its file was emptied), and no person is
# needed (it was refused with 73 on every run after, QA: a backup by cp -al gives .lock a second
# name): a file of the run's own takes its place, and the run says so
out=$work/out-hardlock
mkdir -p "$out" && echo precious >"$work/precious2" && ln "$work/precious2" "$out/.lock"
run "$work/hl.txt" "$work/inbox" "$out"
expect "lock a hard link: the run publishes" status_is 0
expect "lock a hard link: its log says a new lock file took its place" grep -q "recovered: the lock file had 2 names (a hard link" "$out/latest/run.log"
expect "lock a hard link: the other file keeps its content" grep -qx precious "$work/precious2"
expect "lock a hard link: .lock is a file of its own now" bash -c "[ ! '$out/.lock' -ef '$work/precious2' ] && [ \$(stat -c %h '$work/precious2') -eq 1 ] && [ ! -e '$out/.lock.new' ]"
# .lock removed by hand while a run holds it ("a stale lock"): a second run took a new one and
# published, then the first published over it, the older data winning without the joint audit
# of the two (QA). Now the first refuses at its publish: 75, nothing replaced; held at
# "bundled" (before the publish's first check), at "synced" (after it, before latest: QA) and
# at "symlinked" (latest's temporary link made, which the second run removes: it said 73)
for step in bundled synced symlinked; do
	out=$work/out-lockgone-$step
	run "$work/lg0.txt" "$work/inbox" "$out"
	expect "lock removed at $step: a first run publishes" status_is 0
	rm -f "$work/lg.go" "$work/lg.go.reached"
	MAPPA_RUN_PAUSE_AT=$step MAPPA_RUN_PAUSE_UNTIL="$work/lg.go" "$RUNNER" "${POLICY[@]}" "$work/inbox" "$out" >"$work/lg1.txt" 2>&1 &
	lgpid=$!
	for _ in $(seq 600); do [ -e "$work/lg.go.reached" ] && break; sleep 0.1; done
	rm -f "$out/.lock"
	run "$work/lg2.txt" "$work/inbox" "$out"
	expect "lock removed at $step: the second run publishes" status_is 0
	second=$(readlink "$out/latest")
	touch "$work/lg.go"
	wait "$lgpid"
	rc=$?
	expect "lock removed at $step: the first run refuses at its publish (75)" status_is 75
	expect "lock removed at $step: it says why" grep -q "is no longer the file this run locked (removed or replaced while it ran" "$work/lg1.txt"
	expect "lock removed at $step: latest is still the second run's" test "$(readlink "$out/latest")" = "$second"
	expect "lock removed at $step: OUTDIR sound" outdir_sound "$out"
done
# the run's own folder removed while it runs (a clean-up of the folders with no status 0, which
# a run in progress has not written yet): latest was pointed at nothing, exit 0, and the
# publication before it gone from OUTDIR (QA). Refused at its publish (73), latest left
for step in synced linked symlinked; do
	out=$work/out-rfgone-$step
	run "$work/rg0.txt" "$work/inbox" "$out"
	first=$(readlink "$out/latest")
	rm -f "$work/rg.go" "$work/rg.go.reached"
	MAPPA_RUN_PAUSE_AT=$step MAPPA_RUN_PAUSE_UNTIL="$work/rg.go" "$RUNNER" "${POLICY[@]}" "$work/inbox" "$out" >"$work/rg1.txt" 2>&1 &
	rgpid=$!
	for _ in $(seq 600); do [ -e "$work/rg.go.reached" ] && break; sleep 0.1; done
	for d in "$out"/runs/*; do grep -qsx 'status 0' "$d/status" || rm -rf "$d"; done
	touch "$work/rg.go"
	wait "$rgpid"
	rc=$?
	expect "run folder removed at $step: refused at the publish (73), saying why" \
		bash -c "[ $rc = 73 ] && grep -q 'is no longer there, or not with its bundle (removed while the run ran' '$work/rg1.txt'"
	expect "run folder removed at $step: latest is still the first run's, OUTDIR sound" \
		bash -c "[ '$(readlink "$out/latest")' = '$first' ] && [ -f '$out/mappa-2022-23.tar.gz' ]"
	expect "run folder removed at $step: OUTDIR sound" outdir_sound "$out"
done
# a lock file with two names that cannot be replaced (.lock.new a folder with something in it):
# 73, naming it, and the other name's file keeps its content (QA: emptied at the end of the
# run, every run)
out=$work/out-hardlock2
mkdir -p "$out/.lock.new/x" && echo precious >"$work/precious3" && ln "$work/precious3" "$out/.lock"
run "$work/hl2.txt" "$work/inbox" "$out"
expect "lock with two names, .lock.new a folder not empty: 73, names .lock.new, the other file whole" \
	bash -c "[ $rc = 73 ] && grep -q \"cannot be made in its place as '.*/.lock.new': Directory not empty\" '$work/hl2.txt' && grep -qx precious '$work/precious3'"
# a .lock.new left by a run killed while it replaced the lock: removed by the next run, and said,
# whether .lock has one name (the rename done) or two (killed before it: QA, removed unsaid)
rm -rf "$out/.lock.new" "$out/.lock" && : >"$out/.lock.new"
run "$work/hl3.txt" "$work/inbox" "$out"
expect "a leftover .lock.new: the run publishes, removes it, and says so" \
	bash -c "[ $rc = 0 ] && [ ! -e '$out/.lock.new' ] && grep -q 'recovered: removed the leftover .lock.new' '$out/latest/run.log'"
rm -f "$out/.lock" && ln "$work/precious3" "$out/.lock" && : >"$out/.lock.new"
run "$work/hl4.txt" "$work/inbox" "$out"
expect "a leftover .lock.new beside a .lock of two names: the run publishes, removes it, and says so" \
	bash -c "[ $rc = 0 ] && [ ! -e '$out/.lock.new' ] && grep -q 'recovered: removed the leftover .lock.new' '$out/latest/run.log' && grep -qx precious '$work/precious3'"
# a status left empty (a full disk, or a kill between its truncation and its write, as the
# status was written before): the next run records latest's status 0
out=$work/out-status
run "$work/st1.txt" "$work/inbox" "$out"
expect "empty status: a first run publishes" status_is 0
: >"$out/latest/status"
mkdir -p "$work/inbox-empty"
run "$work/st2.txt" "$work/inbox-empty" "$out"
expect "empty status: a later run (an empty inbox: 65)" status_is 65
expect "empty status: latest's status is recorded whole" grep -qx 'status 0' "$out/latest/status"
expect "empty status: and the log says so" grep -q 'recovered: .* status 0 recorded' "$(run_dir_of "$work/st2.txt")/run.log"
expect "the status is written whole or not at all: no temporary name left" bash -c "! ls -a '$out'/runs/*/ | grep -q status.tmp"
# the operator's umask is kept (it was forced to 022), and what holds the true values is the
# operator's only whatever the umask; the bundle is public
out=$work/out-umask
(umask 077 && "$RUNNER" "${POLICY[@]}" -q "$work/inbox" "$out") >"$work/um.txt" 2>&1
rc=$?
expect "umask 077: exit 0" status_is 0
expect "umask 077: nothing in the run folder readable by others" bash -c "[ -z \"\$(find '$out/runs' -perm /077 -print)\" ]"
out=$work/out-umask2
(umask 022 && "$RUNNER" "${POLICY[@]}" -q "$work/inbox" "$out") >"$work/um.txt" 2>&1
rc=$?
expect "umask 022: exit 0" status_is 0
expect "umask 022: the copied returns, the normalised ones and the checks are the operator's only" \
	bash -c "[ \$(stat -c %a '$out/latest/inbox' '$out/latest/normalised' '$out/latest/checks' | sort -u) = 700 ]"
expect "umask 022: the datasets of true values and the merge's report too" \
	bash -c "[ \$(stat -c %a '$out/latest/national.obs' '$out/latest/suppressed.obs' '$out/latest/merge-report.txt' '$out/latest/inbox/E23000001.xml' | sort -u) = 600 ]"
expect "umask 022: the bundle is readable by all" bash -c "[ \$(stat -L -c %a '$out/mappa-2022-23.tar.gz') = 644 ]"
# the run's own records are the operator's only too: a failed run's report.txt showed the
# national totals before suppression, read by all under 022 (QA: with Cumbria missing, 426 and
# 305 against the published 429 and 307 gave its [c] categories 3 and 4); a return's
# diagnostics quote its counts
expect "umask 022: the reports, the log, the checks and the checksums are the operator's only" \
	bash -c "[ \$(stat -c %a '$out/latest/report.txt' '$out/latest/report.html' '$out/latest/run.log' '$out/latest/suppression-report.txt' '$out/latest/inbox.sha256' | sort -u) = 600 ]"
mkdir -p "$work/inbox-41"
cp "$work"/inbox/*.xml "$work/inbox-41/" && rm -f "$work/inbox-41/E23000002.xml"
out=$work/out-umask3
(umask 022 && "$RUNNER" "${POLICY[@]}" -q "$work/inbox-41" "$out") >"$work/um.txt" 2>&1
rc=$?
expect "umask 022, an area missing: exit 65" status_is 65
expect "umask 022: a failed run's report, with the totals before suppression, is the operator's only" \
	bash -c "f=\$(ls -d '$out'/runs/*/ | head -n 1); grep -q 'National totals' \"\$f/report.txt\" && [ -z \"\$(find '$out/runs' -type f ! -name status -perm /077 -print)\" ]"
# another --format for the same period: one bundle a period, latest's (the other format's
# name stayed published with the old figures)
out=$work/out-formats
run "$work/f1.txt" "$work/inbox" "$out"
expect "format switch: the tar.gz run publishes" status_is 0
run "$work/f2.txt" --format=zip "$work/inbox-repair" "$out"
expect "format switch: the zip run with a revision publishes" status_is 0
expect "format switch: the tar.gz of the period is gone" test ! -e "$out/mappa-2022-23.tar.gz" -a ! -L "$out/mappa-2022-23.tar.gz"
expect "format switch: the zip is latest's" test "$out/latest/bundle/mappa-2022-23.zip" -ef "$out/mappa-2022-23.zip"
run "$work/f3.txt" "$work/inbox" "$out"
expect "format switch back: exit 0, only the tar.gz left" bash -c "[ $rc -eq 0 ] && [ -e '$out/mappa-2022-23.tar.gz' ] && [ ! -e '$out/mappa-2022-23.zip' ] && [ ! -L '$out/mappa-2022-23.zip' ]"
expect "format switch: OUTDIR is sound" outdir_sound "$out"
# an operator's file at the other format's name, never read as a bundle (the history reads the
# tar.gz): a switch refuses it, nothing replaced (QA: replaced by a link, exit 0)
echo "an operator's file" >"$out/mappa-2022-23.zip"
sums "$out" | grep -v '^\./\.lock \|  \./\.lock$' >"$work/stray.before"
run "$work/f5.txt" --format=zip "$work/inbox" "$out"
expect "a file at the other format's name: exit 73" status_is 73
expect "a file at the other format's name: the message names it" grep -q "a file stands at '.*/mappa-2022-23.zip' that this run did not read" "$work/f5.txt"
sums "$out" | grep -v '^\./\.lock \|  \./\.lock$' >"$work/stray.after"
expect "a file at the other format's name: OUTDIR unchanged but for the lock" cmp "$work/stray.before" "$work/stray.after"
rm -f "$out/mappa-2022-23.zip"
# a format switch killed at each step of its publish: the period stays published under a name
# that resolves, to latest's bundle (killed just after the rename, the old name resolved to
# nothing and the new one was not made yet: the period was published under no name, QA)
for step in synced linked symlinked pointed; do
	sha_before=$(sha256sum <"$out/mappa-2022-23.tar.gz")
	MAPPA_RUN_KILL_AT=$step "$RUNNER" "${POLICY[@]}" --format=zip "$work/inbox-repair" "$out" >"$work/kill.txt" 2>&1
	rc=$?
	expect "format switch killed at $step: SIGKILL" status_is 137
	case $step in
	pointed) expect "format switch killed at $step: the zip resolves, latest's" \
		test "$out/latest/bundle/mappa-2022-23.zip" -ef "$out/mappa-2022-23.zip" ;;
	*) expect "format switch killed at $step: the tar.gz still resolves, latest's, unchanged" \
		bash -c "[ '$out/latest/bundle/mappa-2022-23.tar.gz' -ef '$out/mappa-2022-23.tar.gz' ] && [ \"\$(sha256sum <'$out/mappa-2022-23.tar.gz')\" = '$sha_before' ]" ;;
	esac
	run "$work/f4.txt" "$work/inbox" "$out"
	expect "format switch killed at $step: the next run publishes the tar.gz alone" \
		bash -c "[ $rc -eq 0 ] && [ -e '$out/mappa-2022-23.tar.gz' ] && [ ! -e '$out/mappa-2022-23.zip' ] && [ ! -L '$out/mappa-2022-23.zip' ]"
	expect "format switch killed at $step: then OUTDIR is sound" outdir_sound "$out"
done

# --- 20. an OUTDIR inside INBOX, a bad period, a closed pipe, an empty argument ---
inbox=$work/inbox-outin
mkdir -p "$inbox" && cp "$FIXTURES"/*.xml "$inbox"/
sums "$inbox" >"$work/outin.before"
for o in "$inbox/out" "$inbox/a/b/" "$inbox/../$(basename "$inbox")/c"; do
	run "$work/oi.txt" "$work/inbox-outin" "$o"
	expect "OUTDIR '${o#"$work"/}' inside INBOX: exit 64" status_is 64
done
expect "OUTDIR inside INBOX: says so" grep -q 'OUTDIR must not be inside INBOX' "$work/oi.txt"
expect "OUTDIR inside INBOX: the inbox is unchanged" bash -c "$(declare -f sums); sums '$inbox' | cmp -s - '$work/outin.before'"
for p in 2022-24 2023-22 2099-01; do
	run "$work/p.txt" --period "$p" "$work/inbox" "$work/out-period"
	expect "--period $p (the second year is not the next): exit 64" status_is 64
done
run "$work/e.txt" "$work/inbox" ''
expect "an empty OUTDIR: exit 64" status_is 64
run "$work/e.txt" --max-return-seconds 0x10 "$work/inbox" "$work/out-hex"
expect "--max-return-seconds 0x10 (not a decimal number): exit 64" status_is 64
for kb in ' 5' +5 99999999999999999999999; do
	MAPPA_RUN_MIN_FREE_KB=$kb "$RUNNER" "${POLICY[@]}" "$work/inbox" "$work/out-kb" >"$work/e.txt" 2>&1
	rc=$?
	expect "MAPPA_RUN_MIN_FREE_KB='$kb' (digits only, no overflow): exit 64" status_is 64
done
mkfifo "$work/policy.fifo"
own_policy_run "$work/e.txt" --policy "$work/policy.fifo" "$work/inbox" "$work/out-ff"
expect "--policy a FIFO: exit 66, 'not a regular file'" bash -c "[ $rc -eq 66 ] && grep -q 'not a regular file' '$work/e.txt'"
# a reader that went away: a lost output (74, said), not a kill by SIGPIPE (141)
out=$work/out-pipe
"$RUNNER" "${POLICY[@]}" "$work/inbox" "$out" 2>"$work/pipe.txt" | true
rc=${PIPESTATUS[0]}
expect "a closed pipe on standard output: exit 74" status_is 74
expect "a closed pipe: says so" grep -q 'cannot write to standard output' "$work/pipe.txt"
expect "a closed pipe: the run published and recorded its status" grep -qx 'status 0' "$out/latest/status"
# a runs/ that is a link: refused before anything (the run folder would go elsewhere)
out=$work/out-runslink
mkdir -p "$out" "$work/elsewhere" && ln -s "$work/elsewhere" "$out/runs"
run "$work/rl.txt" "$work/inbox" "$out"
expect "runs/ a symbolic link: exit 73, says so" bash -c "[ $rc -eq 73 ] && grep -q 'something other than a folder stands at .*runs' '$work/rl.txt'"
expect "runs/ a symbolic link: nothing made where it points" test -z "$(ls -A "$work/elsewhere")"

# --- 21. the merge refuses a return (another period, a conflict): the report still has areas ---
inbox=$work/inbox-refused
mkdir -p "$inbox" && cp "$FIXTURES"/*.xml "$inbox"/
sed 's|<count category="1" level="1">669</count>|<count category="1" level="1">670</count>|' "$FIXTURES/E23000002.xml" >"$inbox/cumbria-conflict.xml"
sed 's/revision="1"/revision="2"/' "$FIXTURES/E23000003.xml" >"$inbox/lancs-r2.xml"
out=$work/out-refused
run "$work/mr.txt" "$inbox" "$out"
report=$(find "$out/runs" -name report.txt | head -n 1)
expect "a conflict (M05): exit 65" status_is 65
expect "a conflict: the result is the invalid return, not 'the merge failed'" grep -q '^result:   not published: 1 invalid return$' "$report"
expect "a conflict: the areas come from a provisional merge of the others" bash -c "grep -q '^NOT PUBLISHED: the figures below are provisional' '$report' && grep -q '^Areas: 42 valid, 0 missing, 1 superseded returns' '$report'"
expect "a conflict: the superseded return names the revision that replaced it" grep -q 'E23000003.xml: superseded: E23000003 revision 1, replaced by revision 2' "$report"
expect "a conflict: the log counts the refused return" grep -q 'merge: 1 more return refused .*: 1 invalid' "${report%/report.txt}/run.log"
inbox=$work/inbox-period
mkdir -p "$inbox" && cp "$FIXTURES"/*.xml "$inbox"/
sed -e 's/2022-04-01/2021-04-01/' -e 's/2023-03-31/2022-03-31/' "$FIXTURES/E23000015.xml" >"$inbox/other-period.xml"
run "$work/op.txt" "$inbox" "$work/out-period2"
report=$(find "$work/out-period2/runs" -name report.txt | head -n 1)
expect "another period (M04): exit 65, areas from a provisional merge" bash -c "[ $rc -eq 65 ] && grep -q '^Areas: 42 valid' '$report' && ! grep -q '(not merged)' '$report'"

# --- 22. what hides a character, in a name or inside a return, is never printed raw ---
inbox=$work/inbox-hidden
mkdir -p "$inbox" && cp "$FIXTURES"/*.xml "$inbox"/
mv "$inbox/E23000002.xml" "$inbox/$(printf 'E23000002\xe2\x80\x8b.xml')"    # U+200B
mv "$inbox/E23000004.xml" "$inbox/$(printf 'ls\xe2\x80\xa8forged.xml')"    # U+2028
mv "$inbox/E23000005.xml" "$inbox/   "
sed 's/date="2023-05-06"/date="2023\xe2\x80\xae-05-06"/' "$FIXTURES/E23000003.xml" >"$inbox/E23000003.xml" # U+202E
out=$work/out-hidden
run "$work/hid.txt" "$inbox" "$out"
folder=$(ls -d "$out"/runs/*/ | tail -n 1)
expect "hidden characters: exit 65 (the bad date)" status_is 65
for ch in '\xe2\x80\x8b' '\xe2\x80\xa8' '\xe2\x80\xae'; do
	expect "hidden characters: no raw $ch in the report, log or HTML" bash -c "! grep -q \$(printf '$ch') '$folder/report.txt' '$folder/run.log' '$folder/report.html'"
done
expect "hidden characters: the zero-width space shown escaped" grep -Fq '"E23000002\342\200\213.xml": valid: E23000002 revision 1, used' "$folder/report.txt"
expect "hidden characters: a name of spaces shown quoted" grep -Fq '"   ": valid: E23000005 revision 1, used' "$folder/report.txt"

# --- 23. several periods in one OUTDIR: a run of one period, stopped anywhere, never changes another ---
# (a revision of 2021-22 killed before the rename of latest left mappa-2021-22.tar.gz resolving to
# nothing, and the next run removed it: the period was no longer published)
in21=$work/in21 in21r=$work/in21r in22=$work/in22 in20=$work/in20
mkdir -p "$in21" "$in21r" "$in22" "$in20"
cp "$PWD"/fixtures/returns/2021-22/*.xml "$in21"/ && cp "$PWD"/fixtures/returns/2021-22/*.xml "$in21r"/
cp "$FIXTURES"/*.xml "$in22"/ && cp "$PWD"/fixtures/returns/2020-21/*.xml "$in20"/
sed -e 's/revision="1"/revision="2"/' -e 's|<count category="1" level="1">701</count>|<count category="1" level="1">720</count>|' \
	"$PWD/fixtures/returns/2021-22/E23000002.xml" >"$in21r/E23000002 r2.xml"
grep -q '>720<' "$in21r/E23000002 r2.xml" || fail "could not make the 2021-22 revision"
periods_sum() { (cd "$1" && for b in mappa-*; do printf '%s ' "$b"; sha256sum <"$b" 2>/dev/null || echo none; done); }
for step in synced linked symlinked; do
	out=$work/out-periods-$step
	run "$work/p.txt" "$in21" "$out" && run "$work/p.txt" "$in22" "$out"
	periods_sum "$out" >"$work/periods.before"
	MAPPA_RUN_KILL_AT=$step "$RUNNER" "${POLICY[@]}" "$in21r" "$out" >"$work/kill.txt" 2>&1
	expect "two periods, a revision of the other killed at $step: both bundles as before" \
		bash -c "$(declare -f periods_sum); periods_sum '$out' | cmp -s - '$work/periods.before'"
	run "$work/p.txt" "$work/empty" "$out"
	expect "two periods, killed at $step: the next run keeps both as they were" \
		bash -c "$(declare -f periods_sum); periods_sum '$out' | cmp -s - '$work/periods.before'"
done
out=$work/out-periods-pointed
run "$work/p.txt" "$in21" "$out" && run "$work/p.txt" "$in22" "$out"
s22=$(sha256sum <"$out/mappa-2022-23.tar.gz")
MAPPA_RUN_KILL_AT=pointed "$RUNNER" "${POLICY[@]}" "$in21r" "$out" >"$work/kill.txt" 2>&1
expect "two periods, the revision killed after its publish: 2021-22 is latest's, the revision" \
	bash -c "[ '$out/mappa-2021-22.tar.gz' -ef '$out/latest/bundle/mappa-2021-22.tar.gz' ] && tar -xzOf '$out/mappa-2021-22.tar.gz' mappa-2021-22/observations.csv | grep -q ',E23000002,Cumbria,eligible,1,1,720,'"
expect "two periods, the revision killed after its publish: 2022-23 the same bytes" test "$(sha256sum <"$out/mappa-2022-23.tar.gz")" = "$s22"
# a folder or a FIFO at another period's name: refused before anything is replaced (QA: exit 0,
# the period left latest and the series, and never came back once the folder went)
for kind in folder fifo; do
	out=$work/out-periods-$kind
	run "$work/p.txt" "$in21" "$out"
	rm "$out/mappa-2021-22.tar.gz"
	if [ $kind = folder ]; then mkdir "$out/mappa-2021-22.tar.gz"; else mkfifo "$out/mappa-2021-22.tar.gz"; fi
	sums "$out" | grep -v '^\./\.lock ' >"$work/odd.before"
	run "$work/p.txt" "$in22" "$out"
	expect "a $kind at the other period's bundle name: exit 73, naming it" \
		bash -c "[ $rc -eq 73 ] && grep -q \"something other than a file or a symbolic link stands at '.*/mappa-2021-22.tar.gz', another period's bundle name\" '$work/p.txt'"
	expect "a $kind at the other period's bundle name: OUTDIR as before" \
		bash -c "$(declare -f sums); sums '$out' | grep -v '^\./\.lock ' | diff '$work/odd.before' -"
	rm -r "$out/mappa-2021-22.tar.gz"
	run "$work/p.txt" "$in22" "$out"
	expect "the $kind moved away: both periods published, 2021-22 the same bundle as before" \
		bash -c "[ $rc -eq 0 ] && [ -f '$out/mappa-2022-23.tar.gz' ] && [ '$out/mappa-2021-22.tar.gz' -ef '$out/latest/bundle/mappa-2021-22.tar.gz' ] && tar -tzf '$out/mappa-2021-22.tar.gz' >/dev/null"
done
# a first publish of a third period killed after its publish, before its name: the next run names it
MAPPA_RUN_KILL_AT=pointed "$RUNNER" "${POLICY[@]}" "$in20" "$out" >"$work/kill.txt" 2>&1
expect "a third period killed after its publish: the other two still resolve" test -e "$out/mappa-2021-22.tar.gz" -a -e "$out/mappa-2022-23.tar.gz"
run "$work/p.txt" "$work/empty" "$out"
expect "a third period killed after its publish: the next run makes its name, through latest" \
	bash -c "[ \"\$(readlink '$out/mappa-2020-21.tar.gz')\" = latest/bundle/mappa-2020-21.tar.gz ] && [ -e '$out/mappa-2020-21.tar.gz' ]"
expect "three periods: 2022-23 still the same bytes" test "$(sha256sum <"$out/mappa-2022-23.tar.gz")" = "$s22"
expect "three periods: latest carries the other two" test -L "$out/latest/bundle/mappa-2021-22.tar.gz" -a -L "$out/latest/bundle/mappa-2022-23.tar.gz"

# --- 24. limits cron can set: memory, descriptors; and an odd object in the history folder ---
if ldd "$RUNNER" 2>/dev/null | grep -q 'lib[a-z]*san'; then
	echo "skip ulimit -v (a sanitizer build reserves more address space than any limit here)"
else
	# a 64 MiB heap pad made a 100 MB limit fail the first allocation, silently (exit 70)
	(ulimit -v 100000 && "$RUNNER" "${POLICY[@]}" -q "$work/inbox" "$work/out-mem") >"$work/mem.txt" 2>&1
	rc=$?
	expect "ulimit -v 100000 (the run needs about 15 MB): exit 0" status_is 0
	# tighter limits end the LP solver: 70 and its message, never a crash (its error hook
	# printed with fprintf, which needed more stack than was left: SIGSEGV, 139, no status)
	bad_mem=""
	for v in 50000 54000 58000 62000 66000 74000 82000 90000; do
		rm -rf "$work/out-mem2"
		# the shipped policy: its readers' repairs are where GLPK ran out
		(ulimit -v $v && "$RUNNER" -q "$work/inbox" "$work/out-mem2") >"$work/mem.txt" 2>&1
		rc=$?
		case $rc in
		0) ;;
		# and its run folder says so (QA: no status, the lock's note left, as if killed)
		70) grep -q "stopped: out of memory\|out of memory" "$work/mem.txt" || bad_mem="$bad_mem $v:70-without-message"
		    [ ! -d "$work/out-mem2/runs" ] || grep -qx "status 70" "$work"/out-mem2/runs/*/status 2>/dev/null ||
			bad_mem="$bad_mem $v:70-without-status"
		    [ ! -s "$work/out-mem2/.lock" ] || bad_mem="$bad_mem $v:70-lock-note-left"
		    # every line of its log stamped, the fatal one too (QA: it was not)
		    ! cat "$work"/out-mem2/runs/*/run.log 2>/dev/null | grep -qv '^20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]T' ||
			bad_mem="$bad_mem $v:70-log-line-unstamped" ;;
		*) bad_mem="$bad_mem $v:$rc" ;;
		esac
	done
	expect "ulimit -v 50000-90000: exit 0 or 70 with a message, never a crash (got:${bad_mem:- none})" test -z "$bad_mem"
fi
# a hard limit of 8 descriptors: refused before anything is made (it left run folders behind)
(ulimit -n 8 && "$RUNNER" "${POLICY[@]}" -q "$work/inbox" "$work/out-fd") >"$work/fd.txt" 2>&1
rc=$?
expect "ulimit -n 8: exit 70, says so, nothing made" bash -c "[ $rc -eq 70 ] && grep -q 'file descriptors may be open' '$work/fd.txt' && [ ! -e '$work/out-fd' ]"
(ulimit -S -n 8 && "$RUNNER" "${POLICY[@]}" -q "$work/inbox" "$work/out-fd2") >"$work/fd.txt" 2>&1
rc=$?
expect "ulimit -S -n 8 (the hard limit higher): raised, exit 0" status_is 0
# a folder at a bundle's name in the history folder: said in the report (it was skipped silently)
mkdir -p "$work/hist-odd/mappa-2021-22.tar.gz"
run "$work/ho.txt" --history "$work/hist-odd" "$work/inbox" "$work/out-hist-odd"
expect "a folder at a bundle's name in the history: exit 0, and the report says it was not read" \
	bash -c "[ $rc -eq 0 ] && grep -q 'mappa-2021-22.tar.gz:0: warning\[H01\]: not a regular file' '$work/out-hist-odd/latest/report.txt'"
# a damaged bundle in the history: its H01 is in the log too, with the history folder (they were
# in the report only, QA)
mkdir -p "$work/hist-junk" && echo junk >"$work/hist-junk/mappa-2021-22.tar.gz"
run "$work/hj.txt" --history "$work/hist-junk" "$work/inbox" "$work/out-hist-junk"
expect "a damaged bundle in the history: exit 65, and run.log has its H01 and the folder" \
	bash -c "[ $rc -eq 65 ] && grep -q 'history: .*hist-junk/mappa-2021-22.tar.gz:0: error\[H01\]' '$work'/out-hist-junk/runs/*/run.log &&
		grep -q 'history: .*hist-junk\$' '$work'/out-hist-junk/runs/*/run.log"
# every diagnostic of a file is kept for its checks/NNN.txt, within one budget for the inbox
# (12 returns of 22,000 duplicate cells each: 60,000 kept in all, the rest counted)
inbox=$work/inbox-manydups
mkdir -p "$inbox" && cp "$FIXTURES"/*.xml "$inbox"/
awk '{ if ($0 ~ /<count category="1" level="1">669<\/count>/) for (i = 0; i < 22000; i++) print; print }' \
	"$FIXTURES/E23000002.xml" >"$inbox/dup00.xml"
for k in 01 02 03 04 05 06 07 08 09 10 11; do cp "$inbox/dup00.xml" "$inbox/dup$k.xml"; done
run "$work/md.txt" "$inbox" "$work/out-manydups"
folder=$(ls -d "$work"/out-manydups/runs/*/ | tail -n 1)
expect "twelve returns of 22,000 duplicates: exit 65" status_is 65
expect "twelve returns of 22,000 duplicates: the first keeps every one" test "$(grep -c 'error\[R08\]' "$folder/checks/043.txt")" -ge 22000
expect "twelve returns of 22,000 duplicates: at most 60,000 kept, the last says how many more" \
	bash -c "[ \$(cat '$folder'/checks/*.txt | wc -l) -le 60600 ] && grep -q '^dup11.xml: and [0-9]* more not kept' '$folder/checks/054.txt'"
# and the report, its HTML and run.log say so of that file, not "all of them" (QA)
expect "twelve returns of 22,000 duplicates: the report says how many its checks file keeps and how many were not kept" \
	bash -c "grep -q '^    and [0-9]* more (checks/054.txt keeps the first [0-9]* of all [0-9]*; the rest were counted, not kept: a run keeps at most 60000 diagnostics)' '$folder/report.txt' &&
		grep -q '<li>and [0-9]* more (checks/054.txt keeps the first [0-9]* of all [0-9]*; the rest were counted, not kept' '$folder/report.html' &&
		grep -q 'check: dup11.xml: and [0-9]* more (checks/054.txt keeps the first [0-9]* of all' '$folder/run.log' &&
		! grep -q 'all of them: checks/054.txt' '$folder/report.txt'"

# OUTDIR inside INBOX through a bind mount of INBOX: refused as by its path (QA: exit 0, the run
# written into the inbox)
mkdir -p "$work/bm-in" "$work/bm-bind" && cp "$work/inbox"/*.xml "$work/bm-in/"
if mount --bind "$work/bm-in" "$work/bm-bind" 2>/dev/null; then
	run "$work/bm.txt" "$work/bm-in" "$work/bm-bind/out"
	expect "OUTDIR inside INBOX through a bind mount: exit 64, nothing made in the inbox" \
		bash -c "[ $rc -eq 64 ] && [ ! -e '$work/bm-in/out' ] && grep -q 'OUTDIR must not be inside INBOX' '$work/bm.txt'"
	umount "$work/bm-bind"
else
	echo "skip OUTDIR inside INBOX through a bind mount (cannot bind-mount here)"
fi
# latest pointed by hand at a run that never published, or at runs/.. or runs/.: no status 0 is
# recorded for it, and none is written into OUTDIR or runs (QA: "recovered: ... published
# (latest points at it) ... status 0 recorded" for a run killed before its bundle, and a file
# OUTDIR/status holding "status 0")
out=$work/out-hand
run "$work/hand.txt" "$work/inbox" "$out"
MAPPA_RUN_KILL_AT=normalised "$RUNNER" "${POLICY[@]}" "$work/inbox" "$out" >"$work/kill.txt" 2>&1
killed=$(ls -t "$out/runs" | head -n 1)
ln -s "runs/$killed" "$out/.latest.hand" && mv -T "$out/.latest.hand" "$out/latest"
run "$work/hand2.txt" "$work/inbox" "$out"
expect "latest put by hand at a run killed before its bundle: no status 0 recorded for it" \
	bash -c "! grep -qx 'status 0' '$out/runs/$killed/status' 2>/dev/null && ! grep -q 'recovered: runs/$killed published' '$out'/runs/*/run.log"
for bad in runs/.. runs/.; do
	ln -sfn "$bad" "$out/latest"
	run "$work/hand3.txt" "$work/inbox" "$out"
	expect "latest put by hand at $bad: no status written into OUTDIR or runs" \
		test ! -e "$out/status" -a ! -e "$out/runs/status"
done

# latest put by hand at its run's bundle folder, at "." or at /etc: the period's published name
# is kept, whatever the run then does (QA: "recovered: removed 'mappa-2022-23.tar.gz'", and the
# run refused, 65); and report.txt gives every return read with its SHA-256, as report.html
# does (operations.md: the two say the same things; QA)
out=$work/out-odd
run "$work/odd.txt" "$work/inbox" "$out"
expect "report.txt: every return read with its SHA-256" \
	bash -c "[ \$(grep -c '^    sha256 [0-9a-f]\{64\}\$' '$out/latest/report.txt') -eq $(ls "$work/inbox" | wc -l) ]"
good=$(readlink "$out/latest")
mkdir -p "$work/odd-in" && cp "$work/inbox"/*.xml "$work/odd-in/" && echo junk >"$work/odd-in/E23000002.xml"
run "$work/odd1.txt" "$work/odd-in" "$out"
nopub=runs/$(ls "$out/runs" | tail -n 1)
ln -sfn "$good" "$out/latest"
for bad in "$good/bundle" . /etc "$nopub"; do
	ln -sfn "$bad" "$out/latest"
	run "$work/odd2.txt" "$work/inbox" "$out"
	expect "latest put by hand at $bad: the published name is kept" test -L "$out/mappa-2022-23.tar.gz"
	ln -sfn "$good" "$out/latest"
done

# 20,000 dot files beside the returns: every one accounted for, in memory proportionate to them
# (each entry kept a 1,100-byte array for its quoted name: 100,000 took 192 MB, QA)
mkdir -p "$work/dots" && cp "$work/inbox"/*.xml "$work/dots/" && (cd "$work/dots" && for i in $(seq 1 20000); do : >".d$i"; done)
kb=$(python3 -c 'import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$RUNNER" "${POLICY[@]}" -q "$work/dots" "$work/out-dots")
expect "20,000 dot files: published, each named in run.log" \
	bash -c "[ -e '$work/out-dots/mappa-2022-23.tar.gz' ] && [ \$(grep -c 'a dot file (hidden): not read' '$work/out-dots/latest/run.log') -eq 20000 ]"
# and the report names the first 100 and counts the rest (it was 22 MB for 100,000, QA)
expect "20,000 dot files: the report names 100 and counts 19,900 more" \
	bash -c "[ \$(grep -c 'a dot file (hidden): not read' '$work/out-dots/latest/report.txt') -eq 100 ] && grep -q '^  and 19900 more (each of them in run.log)' '$work/out-dots/latest/report.txt' && grep -q 'And 19900 more entries' '$work/out-dots/latest/report.html' && [ \$(grep -c '<tr><th scope=\"row\">.d[0-9]' '$work/out-dots/latest/report.html') -eq 100 ] && [ \$(stat -c %s '$work/out-dots/latest/report.txt') -lt 100000 ]"
# 4,960 empty files beside the 42 returns, 5,002 in all: refused before
# anything is read (100,000 copies of a return took 1.4 GB, 2.5 minutes and a run folder of
# 974 MB, QA); dot files are not counted (20,000 above), but every entry is, up to 100,000
mkdir -p "$work/many" && cp "$work/inbox"/*.xml "$work/many/" && (cd "$work/many" && seq -f 'x%g.xml' 1 4960 | xargs touch)
run "$work/many.txt" -q "$work/many" "$work/out-many"
expect "5,002 files in the inbox: 65, says so, nothing published" \
	bash -c "[ $rc = 65 ] && grep -q 'holds 5002 entries (not counting dot files), more than the 5000 a run reads' '$work/many.txt' && [ ! -e '$work/out-many/mappa-2022-23.tar.gz' ] && [ ! -e '$work/out-many/latest' ] && ! grep -q '(null)\\|not used' '$work/out-many/runs/'*/report.txt && grep -q '^inbox: .*(5002 entries, more than a run lists: none read)' '$work/out-many/runs/'*/report.txt"
rm -rf "$work/many"
# 12 revisions of one area: its line of the report names 10 superseded and counts the others
# (10,000 revisions made a line of 239 KB, QA); each has its own line in the inbox list
mkdir -p "$work/revs" && cp "$work/inbox"/*.xml "$work/revs/" &&
	for i in $(seq 2 13); do sed "s/revision=\"1\"/revision=\"$i\"/" "$work/inbox/E23000002.xml" >"$work/revs/cumbria-r$i.xml"; done
run "$work/revs.txt" -q "$work/revs" "$work/out-revs"
expect "12 revisions of one area: published, its line names 10 superseded and 2 more" \
	bash -c "[ $rc = 0 ] && [ \$(grep -E '^  E23000002 ' '$work/out-revs/latest/report.txt' | grep -o 'superseded: revision' | wc -l) -eq 10 ] && grep -E '^  E23000002 ' '$work/out-revs/latest/report.txt' | grep -q '; and 2 more superseded' && [ \$(grep -c 'superseded' '$work/out-revs/latest/report.txt') -ge 12 ]"
rm -rf "$work/revs"
# 12 invalid returns of one area (the same revision, other counts): its line names 10 and counts
# the others (QA: 2,000 of them made its line 82 KB); each has its own line in the inbox list
mkdir -p "$work/invs" && cp "$work/inbox"/*.xml "$work/invs/" &&
	for i in $(seq 1 12); do sed "s|<count category=\"1\" level=\"1\">669</count>|<count category=\"1\" level=\"1\">$((700 + i))</count>|" "$work/inbox/E23000002.xml" >"$work/invs/cumbria-$i.xml"; done
run "$work/invs.txt" -q "$work/invs" "$work/out-invs"
f=$(run_dir_of "$work/invs.txt")
expect "12 invalid returns of one area: 65, its line names 10 and 2 more" \
	bash -c "[ $rc = 65 ] && [ \$(grep -E '^  E23000002 ' '$f/report.txt' | grep -o 'cumbria-[0-9]*\.xml' | wc -l) -eq 10 ] && grep -E '^  E23000002 ' '$f/report.txt' | grep -q '; invalid returns also received: cumbria-1.xml, cumbria-10.xml, .* and 2 more\$'"
rm -rf "$work/invs"
# a bundle file put by hand into latest's bundle folder, which latest's run never published: a
# run (here one that publishes nothing) gives it no name (QA: it was published as
# OUTDIR/mappa-2020-21.tar.gz, and every later run refused the OUTDIR, H03)
out=$work/out-handbundle
run "$work/hb1.txt" -q "$work/inbox" "$out"
cp "$out/mappa-2022-23.tar.gz" "$out/latest/bundle/mappa-2020-21.tar.gz"
ln -s /etc/passwd "$out/latest/bundle/mappa-2019-20.tar.gz"
mkdir "$out/latest/bundle/mappa-2018-19.tar.gz"
mkdir -p "$work/emptyin"
run "$work/hb2.txt" -q "$work/emptyin" "$out"
expect "a bundle, a link and a folder put by hand into latest/bundle: a run gives them no name" \
	bash -c "[ $rc = 65 ] && for y in 2020-21 2019-20 2018-19; do [ ! -e '$out'/mappa-\$y.tar.gz ] && [ ! -L '$out'/mappa-\$y.tar.gz ] || exit 1; done"
run "$work/hb3.txt" -q "$work/inbox" "$out"
expect "a bundle put by hand into latest/bundle: the next run publishes, and its log says the file is not published" \
	bash -c "[ $rc = 0 ] && grep -rq 'latest/bundle/mappa-2020-21.tar.gz is not the bundle latest.s run published' '$out/runs/'*/run.log"
rm -rf "$work/emptyin"
# a whole period sent after today (2030-31, sent in 2031): published, but said on standard error
# with -q, so cron mails it (QA: 42 W02 warnings in the report only, nothing said)
mkdir -p "$work/future" && for f in "$work/inbox"/*.xml; do
	sed 's/2022-04-01/2030-04-01/; s/2023-03-31/2031-03-31/; s/date="2023-/date="2031-/' "$f" >"$work/future/${f##*/}"; done
run "$work/future.txt" -q "$work/future" "$work/out-future"
expect "a period sent after today: published, and -q says so on standard error" \
	bash -c "[ $rc = 0 ] && grep -q '^mappa-run: warning: published, but 42 returns were sent after today (.*, UTC), the latest .* on 2031-.*: check the dates (W02)' '$work/future.txt'"
# one return dated after today, the release date before it (L06): both said (QA: W02 lost)
rm -rf "$work/future" && mkdir -p "$work/future" && cp "$work/inbox"/*.xml "$work/future/" &&
	sed -i 's/date="2023-\([0-9-]*\)"/date="2031-\1"/' "$work/future/E23000002.xml"
run "$work/future2.txt" -q "$work/future" "$work/out-future2"
expect "one return sent after today, before the release date: both said on standard error" \
	bash -c "[ $rc = 0 ] && grep -q 'is before .* when E23000002.xml was sent.*; and 1 return was sent after today' '$work/future2.txt'"
rm -rf "$work/future"
# the folders, links and FIFOs first, then the dot files (QA: 150 dot files hid a folder, a
# link and a FIFO from the report, taken in name order)
mkdir -p "$work/dots2/zz-folder" && cp "$work/inbox"/*.xml "$work/dots2/" &&
	(cd "$work/dots2" && for i in $(seq 1 150); do : >".d$i"; done && ln -s /etc/passwd zz-link && mkfifo zz-fifo)
run "$work/dots2.txt" -q "$work/dots2" "$work/out-dots2"
expect "150 dot files and a folder, a link and a FIFO: the three named in both reports, 97 dot files, 53 more" \
	bash -c "[ $rc = 0 ] && grep -q '^  zz-folder: a folder' '$work/out-dots2/latest/report.txt' && grep -q '^  zz-link: a symbolic link' '$work/out-dots2/latest/report.txt' && grep -q '^  zz-fifo: a FIFO' '$work/out-dots2/latest/report.txt' && [ \$(grep -c 'a dot file (hidden): not read' '$work/out-dots2/latest/report.txt') -eq 97 ] && grep -q '^  and 53 more (each of them in run.log)' '$work/out-dots2/latest/report.txt' && [ \$(grep -c '<tr><th scope=\"row\">zz-' '$work/out-dots2/latest/report.html') -eq 3 ]"
if ldd "$RUNNER" 2>/dev/null | grep -q 'lib[a-z]*san'; then
	echo "skip the memory of 20,000 dot files (a sanitizer build's memory is its own)"
else
	expect "20,000 dot files: at most 40 MB (got $kb KB)" test "$kb" -le 40000
fi

# What refuses a run, or a run that publishes nothing, changes nothing of OUTDIR (QA: the
# start-up repairs ran first, and replaced a bundle file an operator had put at the published
# name, with no word in any log)
hand=$work/out-handfile
mkdir -p "$work/in-hand" && cp "$FIXTURES"/*.xml "$work/in-hand/"
run "$work/hand-a.txt" "$work/in-hand" "$hand"
expect "an OUTDIR for the operator's file: published" test "$rc" = 0
rm "$hand/mappa-2022-23.tar.gz" && echo "the operator's own bundle" >"$hand/mappa-2022-23.tar.gz"
mkdir -p "$work/empty-inbox"
run "$work/hand-b.txt" "$work/empty-inbox" "$hand"
expect "a run that publishes nothing: 65, the operator's file at the bundle's name kept" \
	bash -c "[ $rc = 65 ] && [ -f '$hand/mappa-2022-23.tar.gz' ] && [ ! -L '$hand/mappa-2022-23.tar.gz' ] && grep -qx \"the operator's own bundle\" '$hand/mappa-2022-23.tar.gz'"
MAPPA_RUN_MIN_FREE_KB=999999999999 run "$work/hand-c.txt" "$work/in-hand" "$hand"
expect "too little free space: 73, the operator's file kept" \
	bash -c "[ $rc = 73 ] && [ ! -L '$hand/mappa-2022-23.tar.gz' ] && grep -q 'KiB free' '$work/hand-c.txt'"
# a copy of latest's own bundle put at the name by hand: made the link again, and the next run
# publishes (QA: with the file kept, every later run was refused, finding no run folder behind it)
cp "$hand/latest/bundle/mappa-2022-23.tar.gz" "$hand/.copy" && mv -f "$hand/.copy" "$hand/mappa-2022-23.tar.gz"
run "$work/hand-d.txt" "$work/in-hand" "$hand"
expect "a copy of latest's bundle at the name: the next run publishes, and the name is a link again" \
	bash -c "[ $rc = 0 ] && [ -L '$hand/mappa-2022-23.tar.gz' ] && [ '$hand/mappa-2022-23.tar.gz' -ef '$hand/latest/bundle/mappa-2022-23.tar.gz' ]"
# runs a link to another folder, latest a run in it: refused before any repair writes there
mkdir -p "$work/else/20260101T000000Z-1/bundle" "$work/out-runslink"
echo x >"$work/else/20260101T000000Z-1/bundle/mappa-2022-23.tar.gz"
ln -s "$work/else" "$work/out-runslink/runs"
ln -s runs/20260101T000000Z-1 "$work/out-runslink/latest"
run "$work/runslink.txt" "$work/in-hand" "$work/out-runslink"
expect "runs a link elsewhere: 73, no status written there, no bundle name made" \
	bash -c "[ $rc = 73 ] && [ ! -e '$work/else/20260101T000000Z-1/status' ] && [ ! -e '$work/out-runslink/mappa-2022-23.tar.gz' ] && [ ! -L '$work/out-runslink/mappa-2022-23.tar.gz' ] && grep -q \"stands at '.*runs'\" '$work/runslink.txt'"
# latest put by hand at another OUTDIR's run: a run that publishes nothing makes no name through it
mkdir -p "$work/out-abs"
ln -s "$(readlink -f "$hand/runs/$(ls "$hand/runs" | head -1)")" "$work/out-abs/latest"
run "$work/abs.txt" "$work/empty-inbox" "$work/out-abs"
expect "latest pointing outside OUTDIR: 65, no bundle name made through it" \
	bash -c "[ $rc = 65 ] && [ ! -L '$work/out-abs/mappa-2022-23.tar.gz' ]"

# OUTDIR inside INBOX through a part of its path that is not there yet (QA: nx/../INBOX/out was
# not seen as under INBOX, and the run was written into the inbox, exit 0)
cp -r "$work/in-hand" "$work/in-dotdot"
before=$(ls -A "$work/in-dotdot" | sha256sum)
(cd "$work" && "$RUNNER" "${POLICY[@]}" -q in-dotdot nx/../in-dotdot/out >"$work/dotdot.txt" 2>&1)
rc=$?
expect "OUTDIR nx/../INBOX/out: 64, nothing made in the inbox, nx not made" \
	bash -c "[ $rc = 64 ] && [ \"\$(ls -A '$work/in-dotdot' | sha256sum)\" = '$before' ] && [ ! -e '$work/nx' ] && grep -q 'inside INBOX' '$work/dotdot.txt'"

# More than 50 diagnostics of an earlier bundle: the report and the log show 50, count the rest
# and name the file with every one (QA: the log sent the reader to the report, which dropped them)
hx=$work/hist-many
mkdir -p "$hx/x" && cp -r "$PWD/fixtures/returns/2021-22" "$work/in2122-many"
"$RUNNER" "${POLICY[@]}" -q "$work/in2122-many" "$hx/o" >/dev/null 2>&1
tar -xzf "$hx/o/mappa-2021-22.tar.gz" -C "$hx/x"
awk -F, 'BEGIN{OFS=","} NR>1 && NR<=301 {$7="abc"} {print}' "$hx/x/mappa-2021-22/observations.csv" >"$hx/obs" &&
	cp "$hx/obs" "$hx/x/mappa-2021-22/observations.csv"
(cd "$hx/x/mappa-2021-22" && find . -type f ! -name MANIFEST.sha256 | sed 's|^\./||' | LC_ALL=C sort |
	xargs sha256sum >MANIFEST.sha256)
mkdir -p "$hx/out" && tar -czf "$hx/out/mappa-2021-22.tar.gz" -C "$hx/x" mappa-2021-22
run "$work/many.txt" "$work/in-hand" "$hx/out"
last=$(ls -d "$hx/out/runs"/*/ | tail -1)
expect "an earlier bundle with 300 errors: 65, 50 in the report and 'and N more (all of them: checks/publish.txt)' in report, HTML and log, and all 300 in that file" \
	bash -c "[ $rc = 65 ] && [ \$(grep -c 'error\[P04\]' '$last/report.txt') -eq 50 ] && grep -q '^  and [0-9]* more (all of them: checks/publish.txt)' '$last/report.txt' && grep -q '<li>and [0-9]* more (all of them: checks/publish.txt)</li>' '$last/report.html' && grep -q 'history: and [0-9]* more (all of them: checks/publish.txt)' '$last/run.log' && [ \$(grep -c 'error\[P04\]' '$last/checks/publish.txt') -eq 300 ]"
# a history folder that cannot be read is refused before OUTDIR is made: 66 with its H01 line,
# nothing made (QA: a new OUTDIR and a run folder were left behind by a mistyped path)
run "$work/nohist.txt" --history "$work/no-such-folder" "$work/in-hand" "$work/out-nohist"
expect "--history with no such folder: 66, its H01, and no OUTDIR made" \
	bash -c "[ $rc = 66 ] && grep -q 'no-such-folder:0: error\[H01\]: cannot read: No such file or directory' '$work/nohist.txt' && [ ! -e '$work/out-nohist' ]"

# --- 25. what a third sweep found (5 December): a removed working folder, descriptors left open,
# an inbox that cannot be searched, a refused switch of latest, INBOX OUTDIR/runs ---
# a relative OUTDIR in a working folder that was removed: 73 at once, nothing made (QA: realpath(".")
# failed and path_to_be tried it again forever, at full CPU; timeout's 124 is that)
for o in out ../gone-x/out; do
	mkdir -p "$work/gone"
	(cd "$work/gone" && rmdir "$work/gone" && timeout 60 "$RUNNER" "${POLICY[@]}" -q "$work/inbox" "$o") >"$work/gone.txt" 2>&1
	rc=$?
	expect "OUTDIR $o from a working folder that was removed: 73 at once, says so, nothing made" \
		bash -c "[ $rc = 73 ] && grep -q 'the working folder was removed' '$work/gone.txt' && [ ! -e '$work/gone' ] && [ ! -e '$work/gone-x' ]"
done
# a working folder whose path cannot be found (deeper than PATH_MAX): 73 before OUTDIR is made,
# saying why (QA: OUTDIR was made, then "cannot enter 'out'" blamed it and left it there empty)
deep=$(printf 'd%.0s' $(seq 200))
rm -rf "$work/deep" && mkdir -p "$work/deep"
(cd "$work/deep" && for i in $(seq 25); do mkdir "$deep" && cd "$deep" || exit 1; done &&
	timeout 60 "$RUNNER" "${POLICY[@]}" -q "$work/inbox" out; echo "rc=$?"; ls -A) >"$work/deep.txt" 2>&1
expect "OUTDIR out from a working folder deeper than PATH_MAX: 73, says why, nothing made" \
	bash -c "grep -q '^rc=73\$' '$work/deep.txt' && grep -q 'the path of the working folder cannot be found (File name too long)' '$work/deep.txt' && ! grep -qx out '$work/deep.txt'"
rm -rf "$work/deep"
# descriptors left open by the caller count against the limit (QA: ulimit -n 16 and 5 to 10 of
# them open gave 42 invalid returns, "out of memory", or 66 and 73 with a run folder left behind)
for k in 5 6 7 9 10; do
	(ulimit -n 16 && for i in $(seq 3 $((k + 2))); do eval "exec $i</dev/null"; done &&
		"$RUNNER" "${POLICY[@]}" -q "$work/inbox" "$work/out-fdk") >"$work/fdk.txt" 2>&1
	rc=$?
	expect "ulimit -n 16 with $k descriptors left open: exit 70, says so, nothing made" \
		bash -c "[ $rc -eq 70 ] && grep -q 'file descriptors are free' '$work/fdk.txt' && grep -q 'nothing done' '$work/fdk.txt' && [ ! -e '$work/out-fdk' ]"
done
(ulimit -n 32 && for i in $(seq 3 12); do eval "exec $i</dev/null"; done &&
	"$RUNNER" "${POLICY[@]}" -q "$work/inbox" "$work/out-fdk32") >"$work/fdk.txt" 2>&1
rc=$?
expect "ulimit -n 32 with 10 descriptors left open: enough free, exit 0" status_is 0
# a run as nobody, where root ignores modes: nobody_can_run makes nb, a folder nobody can
# enter (status 1, nothing made, where root, setpriv or the user nobody is not at hand)
as_nobody() { setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups "$@"; }
nobody_can_run() {
	nb=
	[ "$(id -u)" = 0 ] && command -v setpriv >/dev/null && id nobody >/dev/null 2>&1 &&
		nb=$(mktemp -d /tmp/mappa-nobody.XXXXXX) && chmod 755 "$nb" &&
		as_nobody test -x "$RUNNER" && return 0
	[ -n "$nb" ] && rm -rf "$nb"
	return 1
}
# in nb: in/ (the fixtures, readable by nobody) and o/ (writable by nobody), for OUTDIR o/out
nobody_folders() {
	mkdir "$nb/in" "$nb/o" && cp "$work/inbox"/*.xml "$nb/in/" && chmod 755 "$nb/in" &&
		chmod 644 "$nb/in"/*.xml && chmod 777 "$nb/o"
}
# an inbox that can be listed but not searched (chmod 644): the inbox cannot be read, 66 before
# OUTDIR is made (QA: 65, each return "vanished while the inbox was read"). Root ignores the
# mode, so the run is made as nobody, in a folder nobody can reach.
if nobody_can_run; then
	mkdir "$nb/in" "$nb/o" && cp "$work/inbox"/*.xml "$nb/in/" && chmod 644 "$nb/in" && chmod 777 "$nb/o"
	as_nobody \
		"$RUNNER" "${POLICY[@]}" -q "$nb/in" "$nb/o/out" >"$work/nox.txt" 2>&1
	rc=$?
	expect "an inbox listed but not searched (mode 644, run as nobody): 66, names it, nothing made" \
		bash -c "[ $rc = 66 ] && grep -q \"cannot read the inbox '$nb/in': Permission denied\" '$work/nox.txt' && ! grep -q R03 '$work/nox.txt' && [ ! -e '$nb/o/out' ]"
	chmod 755 "$nb/in"
	rm -rf "$nb"
else
	echo "skip an inbox that cannot be searched (needs root, setpriv and the user nobody able to run $RUNNER)"
fi
# a working folder under one its user cannot search (mode 700, root's), OUTDIR relative: 73
# before OUTDIR is made (QA: realpath(".") found the path, OUTDIR was made, then "cannot enter"
# blamed it and left it there empty)
if nobody_can_run; then
	mkdir -p "$nb/in" "$nb/np/a/b" && cp "$work/inbox"/*.xml "$nb/in/" && chmod 755 "$nb/in" &&
		chmod 644 "$nb/in"/*.xml && chmod 700 "$nb/np" && chmod 777 "$nb/np/a" "$nb/np/a/b"
	(cd "$nb/np/a/b" && as_nobody \
		"$RUNNER" "${POLICY[@]}" -q "$nb/in" out) >"$work/nps.txt" 2>&1
	rc=$?
	expect "a relative OUTDIR under a folder nobody cannot search: 73, says why, nothing made" \
		bash -c "[ $rc = 73 ] && grep -q 'the path of the working folder cannot be found (Permission denied)' '$work/nps.txt' && [ -z \"\$(ls -A '$nb/np/a/b')\" ]"
	rm -rf "$nb"
else
	echo "skip a working folder under one that cannot be searched (needs root, setpriv and the user nobody able to run $RUNNER)"
fi
# the service's user publishes, root runs once by hand (its run folder root's, 700), and the
# service's next run cannot read what root's run published: 65 saying whose the folder must be,
# not "restore the run folder from a backup" (nothing is damaged; QA)
if nobody_can_run; then
	nobody_folders
	as_nobody "$RUNNER" "${POLICY[@]}" -q "$nb/in" "$nb/o/out" >"$work/own1.txt" 2>&1
	r1=$?
	"$RUNNER" "${POLICY[@]}" -q "$nb/in" "$nb/o/out" >"$work/own2.txt" 2>&1
	r2=$?
	as_nobody "$RUNNER" "${POLICY[@]}" -q "$nb/in" "$nb/o/out" >"$work/own3.txt" 2>&1
	rc=$?
	expect "a run by hand as root between the service's runs: 65, says to give OUTDIR back, no backup advice" \
		bash -c "[ $r1 = 0 ] && [ $r2 = 0 ] && [ $rc = 65 ] && grep -q 'Permission denied' '$work/own3.txt' && grep -q 'give OUTDIR and everything in it back to the user the runs run as' '$work/own3.txt' && ! grep -q 'from a backup' '$work/own3.txt'"
	rm -rf "$nb"
else
	echo "skip a run as root between the service's runs (needs root, setpriv and the user nobody able to run $RUNNER)"
fi
# the same, and the service's next run is of another period: 65 as well, latest as it was (QA:
# exit 0, the period root published left out of the new latest, and its name removed by the run
# after)
if nobody_can_run; then
	mkdir "$nb/in" "$nb/in21" "$nb/o" && cp "$work/inbox"/*.xml "$nb/in/" &&
		cp "$PWD"/fixtures/returns/2021-22/*.xml "$nb/in21/" && chmod 755 "$nb/in" "$nb/in21" &&
		chmod 644 "$nb/in"/*.xml "$nb/in21"/*.xml && chmod 777 "$nb/o"
	as_nobody "$RUNNER" "${POLICY[@]}" -q "$nb/in" "$nb/o/out" >"$work/own1.txt" 2>&1
	r1=$?
	(umask 077 && "$RUNNER" "${POLICY[@]}" -q "$nb/in" "$nb/o/out") >"$work/own2.txt" 2>&1
	r2=$?
	before=$(readlink "$nb/o/out/latest")
	as_nobody "$RUNNER" "${POLICY[@]}" -q "$nb/in21" "$nb/o/out" >"$work/own3.txt" 2>&1
	rc=$?
	expect "root's run by hand, then the service's run of another period: 65, latest as it was, the period's name kept" \
		bash -c "[ $r1 = 0 ] && [ $r2 = 0 ] && [ $rc = 65 ] && grep -q \"'mappa-2022-23.tar.gz' leads into a run folder this run cannot read (Permission denied): give OUTDIR\" '$work/own3.txt' && [ \"\$(readlink '$nb/o/out/latest')\" = '$before' ] && [ -L '$nb/o/out/mappa-2022-23.tar.gz' ] && [ ! -e '$nb/o/out/mappa-2021-22.tar.gz' ]"
	rm -rf "$nb"
else
	echo "skip a run as root, then the service's run of another period (needs root, setpriv and the user nobody able to run $RUNNER)"
fi
# root's run by hand first, with umask 077, in the service's OUTDIR: its .lock root's, mode 600;
# the service's run said only "cannot open the lock file: Permission denied" (QA): now whose
# OUTDIR must be, as for a run folder
if nobody_can_run; then
	nobody_folders
	(umask 077 && "$RUNNER" "${POLICY[@]}" -q "$nb/in" "$nb/o/out") >"$work/lk1.txt" 2>&1
	r1=$?
	chmod 777 "$nb/o/out"
	as_nobody "$RUNNER" "${POLICY[@]}" -q "$nb/in" "$nb/o/out" >"$work/lk2.txt" 2>&1
	rc=$?
	expect "a lock file root's (a run by hand with umask 077): 73, says to give OUTDIR back" \
		bash -c "[ $r1 = 0 ] && [ $rc = 73 ] && grep -q \"cannot open the lock file .*Permission denied: it is user 0's, not this run's ([0-9]*): give OUTDIR and everything in it back to the user the runs run as\" '$work/lk2.txt'"
	# OUTDIR itself root's, no .lock yet: whose OUTDIR is, not "chmod" (QA)
	mkdir -p "$nb/o/root-out" && chmod 755 "$nb/o/root-out"
	as_nobody "$RUNNER" "${POLICY[@]}" -q "$nb/in" "$nb/o/root-out" >"$work/lk3.txt" 2>&1
	rc=$?
	expect "an OUTDIR of root's, run as nobody: 73, says whose OUTDIR is" \
		bash -c "[ $rc = 73 ] && grep -q \"OUTDIR is user 0's, not this run's ([0-9]*): give OUTDIR and everything in it to the user the runs run as (chown -R)\" '$work/lk3.txt'"
	rm -rf "$nb"
else
	echo "skip a lock file root's (needs root, setpriv and the user nobody able to run $RUNNER)"
fi
# latest removed by hand, then a run of another period: 65, every published name kept (QA: exit
# 0, the names of the other periods removed and the years gone from the series); an empty inbox
# keeps them too
out=$work/out-nolatest
run "$work/nl1.txt" "$PWD/fixtures/returns/2021-22" "$out" && r1=$rc &&
	run "$work/nl2.txt" "$PWD/fixtures/returns/2022-23" "$out" && r2=$rc && rm "$out/latest"
run "$work/nl3.txt" "$PWD/fixtures/returns/2020-21" "$out"
rc3=$rc
run "$work/nl4.txt" "$work/empty" "$out"
expect "latest removed by hand, a run of another period: 65, says to point latest back, the names kept" \
	bash -c "[ '$r1' = 0 ] && [ '$r2' = 0 ] && [ $rc3 = 65 ] && grep -q 'OUTDIR/latest is not there (removed by hand?): point latest back' '$work/nl3.txt' && [ -L '$out/mappa-2021-22.tar.gz' ] && [ -L '$out/mappa-2022-23.tar.gz' ] && [ ! -e '$out/mappa-2020-21.tar.gz' ] && [ ! -L '$out/mappa-2020-21.tar.gz' ]"
# the switch of latest refused (here a folder put at latest while the run waits after step 3):
# 73, and the bundle's name made in step 3, where nothing was, is gone again (QA: it said OUTDIR
# was as before, and left the name dangling): on a first publish, and on a format switch (the
# old name resolves to nothing once latest is switched).
mkdir -p "$work/out-sw"
MAPPA_RUN_PAUSE_AT=linked MAPPA_RUN_PAUSE_UNTIL="$work/sw-gate" \
	"$RUNNER" "${POLICY[@]}" -q "$work/inbox" "$work/out-sw" >"$work/sw.txt" 2>&1 &
pid=$!
for _ in $(seq 1 3000); do [ -e "$work/sw-gate.reached" ] || ! kill -0 $pid 2>/dev/null && break; sleep 0.1; done
made_link=no
[ -L "$work/out-sw/mappa-2022-23.tar.gz" ] && made_link=yes
mkdir -p "$work/out-sw/latest/keep" && : >"$work/sw-gate"
wait $pid
rc=$?
expect "latest cannot be switched on a first publish: 73, the bundle's name it made is removed (made: $made_link)" \
	bash -c "[ $made_link = yes ] && [ $rc = 73 ] && grep -q 'as it was before the run' '$work/sw.txt' && [ ! -L '$work/out-sw/mappa-2022-23.tar.gz' ] && [ ! -e '$work/out-sw/runs' ]"
rm -rf "$work/out-sw" "$work/sw-gate" "$work/sw-gate.reached"
run "$work/sw0.txt" -q "$work/inbox" "$work/out-sw"
rc0=$rc
MAPPA_RUN_PAUSE_AT=linked MAPPA_RUN_PAUSE_UNTIL="$work/sw-gate" \
	"$RUNNER" "${POLICY[@]}" -q --format=zip "$work/inbox" "$work/out-sw" >"$work/sw.txt" 2>&1 &
pid=$!
for _ in $(seq 1 3000); do [ -e "$work/sw-gate.reached" ] || ! kill -0 $pid 2>/dev/null && break; sleep 0.1; done
made_link=no
[ -L "$work/out-sw/mappa-2022-23.zip" ] && made_link=yes
rm "$work/out-sw/latest" && mkdir -p "$work/out-sw/latest/keep" && : >"$work/sw-gate"
wait $pid
rc=$?
expect "latest cannot be switched on a format switch: 73, the new name it made is removed (made: $made_link)" \
	bash -c "[ $rc0 = 0 ] && [ $made_link = yes ] && [ $rc = 73 ] && grep -q 'as it was before the run' '$work/sw.txt' && [ ! -L '$work/out-sw/mappa-2022-23.zip' ]"
# INBOX OUTDIR/runs: the run folder would be made in the inbox (QA: exit 0, and it was); 64,
# nothing made, by either path to it; going back to a run folder's inbox (docs/operations.md)
# still publishes.
mkdir -p "$work/o20/runs" && cp "$work/inbox"/*.xml "$work/o20/runs/"
run "$work/o20.txt" -q "$work/o20/runs" "$work/o20"
rc1=$rc
(cd "$work/o20" && "$RUNNER" "${POLICY[@]}" -q runs/. .) >>"$work/o20.txt" 2>&1
rc=$?
expect "INBOX OUTDIR/runs: 64 (both ways), says so, nothing made in OUTDIR or the inbox" \
	bash -c "[ $rc1 = 64 ] && [ $rc = 64 ] && [ \$(grep -c 'INBOX must not be OUTDIR/runs' '$work/o20.txt') = 2 ] && [ \"\$(ls -A '$work/o20')\" = runs ] && [ \$(ls -A '$work/o20/runs' | wc -l) = 42 ]"
run "$work/o21.txt" -q "$work/inbox" "$work/o21"
rc1=$rc
back=$(readlink "$work/o21/latest")
run "$work/o21.txt" -q "$work/o21/$back/inbox" "$work/o21"
expect "going back: INBOX OUTDIR/runs/RUN-ID/inbox publishes (exit 0, latest a new run)" \
	bash -c "[ $rc1 = 0 ] && [ $rc = 0 ] && [ \"\$(readlink '$work/o21/latest')\" != '$back' ]"
# going back from a revision: Cumbria's revision 2 published, then its file gone from the inbox:
# revision 1's figures are published again (docs/operations.md, "Going back"), and cron's mail,
# run.log and the report say that the area goes back (QA: only "revised areas (1): Cumbria")
mkdir -p "$work/gb-in" && cp "$work/inbox"/*.xml "$work/gb-in/"
run "$work/gb1.txt" -q "$work/gb-in" "$work/o-gb"
rc1=$rc
sed -e 's/revision="1"/revision="2"/' -e 's|<count category="1" level="1">669</count>|<count category="1" level="1">700</count>|' \
	"$work/inbox/E23000002.xml" >"$work/gb-in/cumbria-r2.xml"
run "$work/gb2.txt" -q --release-date 2023-11-30 "$work/gb-in" "$work/o-gb"
rc2=$rc
rm "$work/gb-in/cumbria-r2.xml"
run "$work/gb3.txt" -q --release-date 2023-11-30 "$work/gb-in" "$work/o-gb"
expect "going back from revision 2 to 1: published, and said on standard error, in run.log and the report" \
	bash -c "[ $rc1 = 0 ] && [ $rc2 = 0 ] && [ $rc = 0 ] && grep -q 'warning: Cumbria (E23000002) goes back from revision 2, published before, to revision 1' '$work/gb3.txt' && grep -q 'goes back from revision 2' '$work/o-gb/latest/run.log' && grep -q 'GOING BACK: revision 2 was published before (from cumbria-r2.xml)' '$work/o-gb/latest/report.txt'"
# the same release date as the revision it replaces: both warnings on standard error and in
# run.log (QA: the date's reached the report alone, behind the first warning)
expect "going back with the revision's own release date: that said too, on standard error and in run.log" \
	bash -c "grep -q 'goes back from revision 2.*; published, but the revised bundle gives 30 November 2023 as its release date' '$work/gb3.txt' && grep -q 'warning: published, but the revised bundle gives 30 November 2023' '$work/o-gb/latest/run.log'"
# INBOX a run folder of OUTDIR (OUTDIR/latest, a slip for its inbox/): 64, its status not
# written (QA: the repair of a missing status wrote status 0 into the inbox)
back=$(readlink "$work/o21/latest")
mv "$work/o21/$back/status" "$work/o21-status"
run "$work/o22.txt" -q "$work/o21/latest" "$work/o21"
expect "INBOX OUTDIR/latest: 64, says so, nothing written into it" \
	bash -c "[ $rc = 64 ] && grep -q 'INBOX must not be a run folder of OUTDIR' '$work/o22.txt' && [ ! -e '$work/o21/$back/status' ]"
mv "$work/o21-status" "$work/o21/$back/status"
# OUTDIR inside a run folder (OUTDIR/latest, a slip for OUTDIR, or a folder to be made in it):
# 64, nothing written into it (QA: exit 0, runs/, latest, .lock and a bundle name made inside a
# published run folder)
(cd "$work/o21/$back" && find . | LC_ALL=C sort) >"$work/o23.before"
run "$work/o23.txt" -q "$work/inbox" "$work/o21/latest"
rc1=$rc
run "$work/o23b.txt" -q "$work/inbox" "$work/o21/latest/bundle/new"
expect "OUTDIR inside a run folder (latest, or a folder to be made in it): 64 both, says so, the run folder as it was" \
	bash -c "[ $rc1 = 64 ] && [ $rc = 64 ] && grep -q 'OUTDIR must not be inside a run folder' '$work/o23.txt' '$work/o23b.txt' && [ \$(cat '$work/o23.txt' '$work/o23b.txt' | grep -c 'OUTDIR must not be inside a run folder') = 2 ] && (cd '$work/o21/$back' && find . | LC_ALL=C sort) | diff '$work/o23.before' -"
# a clock before 2000 or after 2099 (never set): 70 with the date it says, nothing made (QA:
# GLPK's own clock asserted and the run said "out of memory"); needs a C compiler, and not under
# ASan (its runtime must come first among the preloaded libraries)
if command -v cc >/dev/null 2>&1 && ! ldd "$RUNNER" 2>/dev/null | grep -q libasan &&
	cc -shared -fPIC -O2 -o "$work/fakeclock.so" tests/e2e/fakeclock.c -ldl 2>/dev/null; then
	LD_PRELOAD=$work/fakeclock.so FAKE_OFFSET=-1800000000 "$RUNNER" "${POLICY[@]}" -q "$work/inbox" "$work/o24" >"$work/o24.txt" 2>&1
	rc1=$?
	LD_PRELOAD=$work/fakeclock.so FAKE_OFFSET=4400000000 "$RUNNER" "${POLICY[@]}" -q "$work/inbox" "$work/o24" >>"$work/o24.txt" 2>&1
	rc=$?
	expect "a clock in 1969 or 2166: 70 both, the date said, no OUTDIR made" \
		bash -c "[ $rc1 = 70 ] && [ $rc = 70 ] && grep -q 'the system clock says 1969-' '$work/o24.txt' && grep -q 'the system clock says 2166-' '$work/o24.txt' && [ ! -e '$work/o24' ]"
else
	echo "skip a clock never set (needs cc, and a build without ASan)"
fi
# an OUTDIR whose path leaves too little room below it: 73 at once (QA: 4,040 bytes published
# once, and every later run was refused, its own bundle's name past PATH_MAX)
long=$work/long
while [ ${#long} -lt 3300 ]; do long=$long/$(printf 'd%.0s' {1..200}); done
long=$long/$(head -c $((3599 - ${#long})) /dev/zero | tr '\0' o)
run "$work/o23.txt" -q "$work/inbox" "$long"
expect "OUTDIR of 3,600 bytes: 73, says the limit" \
	bash -c "[ $rc = 73 ] && grep -q 'the path of OUTDIR is 3600 bytes long: at most 3584' '$work/o23.txt' && [ ! -e '$long/runs' ]"
# ... and makes nothing: OUTDIR and the 16 folders above it were made, then refused (QA)
expect "OUTDIR of 3,600 bytes: nothing made" test ! -e "$work/long"
# ... and removes only what it made: a folder it found, reached through "..", stays
mkdir -p "$work/keepme"
long2=$work/nw/../keepme
while [ ${#long2} -lt 3700 ]; do long2=$long2/$(printf 'd%.0s' {1..200}); done
run "$work/o23b.txt" -q "$work/inbox" "$long2"
expect "OUTDIR too long through '..': 73, what it made removed, the folder it found kept" \
	bash -c "[ $rc = 73 ] && [ ! -e '$work/nw' ] && [ -d '$work/keepme' ] && [ -z \"\$(ls -A '$work/keepme')\" ]"

# OUTDIR made read-only while the run waits before the switch of latest (run as nobody: root
# ignores the mode): 73, and what it could not remove is named, not "as it was before the run"
# (QA: a temporary link, or a dangling bundle name, stayed while the message said so)
if nobody_can_run; then
	mkdir "$nb/in" "$nb/o" && cp "$work/inbox"/*.xml "$nb/in/" && chown nobody "$nb/o"
	as_nobody \
		"$RUNNER" "${POLICY[@]}" -q "$nb/in" "$nb/o" >/dev/null 2>&1
	rc1=$?
	MAPPA_RUN_PAUSE_AT=symlinked MAPPA_RUN_PAUSE_UNTIL="$nb/gate" \
		as_nobody \
		"$RUNNER" "${POLICY[@]}" -q --format=zip "$nb/in" "$nb/o" >"$work/ro.txt" 2>&1 &
	pid=$!
	for _ in $(seq 1 300); do ls -a "$nb/o" | grep -q '^\.latest\.tmp-' && break; sleep 0.2; done
	chmod 555 "$nb/o"
	touch "$nb/gate"
	wait "$pid"
	rc=$?
	chmod 755 "$nb/o"
	expect "OUTDIR read-only before the switch of latest: 73, what stayed is named, not 'as it was'" \
		bash -c "[ $rc1 = 0 ] && [ $rc = 73 ] && grep -q 'could not remove all it made in' '$work/ro.txt' && ! grep -q 'is as it was before the run' '$work/ro.txt'"
	rm -rf "$nb"
else
	echo "skip OUTDIR made read-only during a run (needs root, setpriv and the user nobody able to run $RUNNER)"
fi

# a publish refused after the bundle passed its audit (a period's run folder removed by hand:
# 65): the report says failed and the bundle not published (QA: "published", exit 65)
out=$work/out-refused
mkdir -p "$work/in21b"
cp "$PWD"/fixtures/returns/2021-22/*.xml "$work/in21b/"
sed -e 's/revision="1"/revision="2"/' -e '0,/<count category="1" level="1">[0-9]*</s//<count category="1" level="1">700</' \
	"$PWD/fixtures/returns/2021-22/E23000002.xml" >"$work/in21b/E23000002 r2.xml"
run "$work/rf1.txt" "$inbox_a" "$out" && r1=$rc && p22=$(readlink "$out/latest")
run "$work/rf2.txt" "$PWD/fixtures/returns/2021-22" "$out" && r2=$rc
rm -rf "${out:?}/$p22"
ls "$out/runs" >"$work/runs.before"
run "$work/rf3.txt" --release-date 2023-01-10 "$work/in21b" "$out"
refused=$(ls "$out/runs" | comm -13 "$work/runs.before" -)
expect "a publish refused after the audit (a run folder removed): 65, its report says failed and the bundle not published" \
	bash -c "[ $r1 = 0 ] && [ $r2 = 0 ] && [ $rc = 65 ] && grep -q '^result:   failed: .*nothing published' '$out/runs/$refused/report.txt' && grep -qx 'exit:     65' '$out/runs/$refused/report.txt' && grep -q '(made in the run folder, not published)' '$out/runs/$refused/report.txt' && ! grep -q 'published \"' '$out/runs/$refused/report.html' && grep -q 'Result: failed' '$out/runs/$refused/report.html'"

# a run killed after its bundle was written, before its audit, and latest put at it by hand:
# the next run records no status 0 for it (QA: status 0, and later revisions counted it as a
# publication)
out=$work/out-unaudited
run "$work/un1.txt" "$inbox_a" "$out" && r1=$rc
ls "$out/runs" >"$work/runs.before"
MAPPA_RUN_KILL_AT=bundled "$RUNNER" "${POLICY[@]}" -q "$inbox_b" "$out" >/dev/null 2>&1
killed=$(ls "$out/runs" | comm -13 "$work/runs.before" -)
ln -s "runs/$killed" "$out/.latest.back" && mv -T "$out/.latest.back" "$out/latest"
run "$work/un2.txt" "$work/empty" "$out"
expect "latest put by hand at a run killed before its bundle's audit: no status 0 recorded for it" \
	bash -c "[ $r1 = 0 ] && [ -n '$killed' ] && [ ! -e '$out/runs/$killed/status' ] && ! grep -q 'recovered: runs/$killed published' '$out/runs/'*/run.log"

# Objects that are not regular files inside OUTDIR's run folders, where a run reads (QA, third
# sweep): a FIFO kept the run waiting for a writer for ever, holding its lock (every later
# cron run 75); a folder, a FIFO or a device at the published bundle in its run folder let a
# revision out as a first publication, without the joint audit; a sparse file of gigabytes
# there was read whole (12 s for 4 GB). Each run below is bounded by timeout: 124 is a hang.
out=$work/out-fifo-status
run "$work/fs1.txt" "$inbox_a" "$out" && r1=$rc
run "$work/fs2.txt" --max-return-size 10 "$inbox_a" "$out" && r2=$rc
failed_run=$(run_dir_of "$work/fs2.txt")
rm "$failed_run/status" && mkfifo "$failed_run/status"
timeout 60 "$RUNNER" "${POLICY[@]}" -q "$inbox_a" "$out" >"$work/fs3.txt" 2>&1
rc=$?
expect "a FIFO at a failed run folder's status: the next run ends (not 124) and publishes" \
	bash -c "[ $r1 = 0 ] && [ $r2 = 65 ] && [ $rc = 0 ]"
out=$work/out-fifo-truth
inbox_r=$work/inbox-fifo-rev
mkdir -p "$inbox_r" && cp "$FIXTURES"/*.xml "$inbox_r"/ &&
	cp "$PWD"/fixtures/revisions/2022-23-chain/E23000023-r2.xml "$PWD"/fixtures/revisions/2022-23-chain/E23000024-r2.xml "$inbox_r"/
run "$work/ft1.txt" "$inbox_a" "$out" && r1=$rc
first=$(readlink "$out/latest")
run "$work/ft2.txt" --release-date 2024-01-10 "$inbox_r" "$out" && r2=$rc
rm "$out/$first/suppressed.obs" && mkfifo "$out/$first/suppressed.obs"
before=$(readlink "$out/latest") && sha_before=$(sha256sum <"$out/mappa-2022-23.tar.gz")
timeout 60 "$RUNNER" "${POLICY[@]}" -q --release-date 2024-01-10 "$inbox_r" "$out" >"$work/ft3.txt" 2>&1
rc=$?
expect "a FIFO at an earlier publication's suppressed.obs: refused (65, not 124), naming it, nothing published" \
	bash -c "[ $r1 = 0 ] && [ $r2 = 0 ] && [ $rc = 65 ] && grep -q 'suppressed.obs.*not a regular file' '$work/ft3.txt' && [ '$(readlink "$out/latest")' = '$before' ] && [ '$(sha256sum <"$out/mappa-2022-23.tar.gz")' = '$sha_before' ]"
out=$work/out-fifo-same
run "$work/fb1.txt" "$inbox_a" "$out" && r1=$rc
first=$(readlink "$out/latest")
rm "$out/mappa-2022-23.tar.gz" && mv "$out/$first/bundle/mappa-2022-23.tar.gz" "$out/mappa-2022-23.tar.gz" &&
	mkfifo "$out/$first/bundle/mappa-2022-23.tar.gz"
timeout 60 "$RUNNER" "${POLICY[@]}" -q "$inbox_a" "$out" >"$work/fb2.txt" 2>&1
rc=$?
expect "a bundle put over its name by hand, a FIFO in its run folder: refused (65, not 124)" \
	bash -c "[ $r1 = 0 ] && [ $rc = 65 ]"
for kind in folder FIFO device "sparse file of 20 GB"; do
	out=$work/out-gone-${kind%% *}
	run "$work/g1.txt" "$inbox_a" "$out" && r1=$rc
	first=$(readlink "$out/latest")
	held=$out/$first/bundle/mappa-2022-23.tar.gz
	rm "$held"
	case $kind in
	folder) mkdir "$held" ;;
	FIFO) mkfifo "$held" ;;
	device) mknod "$held" c 1 3 2>/dev/null || ln -s /dev/null "$held" ;;
	"sparse file of 20 GB") truncate -s 20G "$held" ;; # no disk used
	esac
	ls "$out/runs" >"$work/runs.before"
	timeout 60 "$RUNNER" "${POLICY[@]}" --release-date 2024-01-10 "$inbox_r" "$out" >"$work/g2.txt" 2>&1
	rc=$?
	refused=$(ls "$out/runs" | comm -13 "$work/runs.before" -)
	expect "a $kind at the published bundle in its run folder: a revision refused (65, not published as a first publication)" \
		bash -c "[ $r1 = 0 ] && [ $rc = 65 ] && [ '$(readlink "$out/latest")' = '$first' ] && grep -q 'H01\|H03\|refused' '$work/g2.txt' && ! grep -q 'first publication' '$out/runs/$refused/run.log'"
	rm -rf "$held"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
