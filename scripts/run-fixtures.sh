#!/bin/sh
# Runs the pipeline on the bundled fixture returns (make run):
#   sh scripts/run-fixtures.sh BINDIR OUTDIR
# One step after another; the first step that fails stops the run with its exit status.
#   1. validate   the 42 returns of fixtures/returns/2022-23/
#   2. normalise  each into OUTDIR/work/normalised/CODE.obs
#   3. merge      them into OUTDIR/work/national.obs (report: OUTDIR/work/merge-report.txt)
# Later stages (suppress, publish) follow step 3.
set -u
[ $# -eq 2 ] || { echo "usage: sh scripts/run-fixtures.sh BINDIR OUTDIR" >&2; exit 64; }
BIN=$1
OUT=$2
RETURNS=fixtures/returns/2022-23
WORK=$OUT/work

step() { printf '== %s\n' "$*"; }
fail() { status=$1; shift; printf 'run-fixtures: %s (exit %s)\n' "$*" "$status" >&2; exit "$status"; }

set -- "$RETURNS"/*.xml
[ -f "$1" ] || fail 66 "no returns in $RETURNS (run from the repository root)"
mkdir -p "$WORK/normalised" || fail 73 "cannot create $WORK/normalised"
rm -f "$WORK"/normalised/*.obs

step "1. validate $# returns ($RETURNS)"
"$BIN/mappa-validate" --quiet "$@" || fail $? "validation failed"

step "2. normalise into $WORK/normalised/"
for f in "$@"; do
	"$BIN/mappa-normalise" -o "$WORK/normalised/$(basename "$f" .xml).obs" "$f" ||
		fail $? "cannot normalise $f"
done

step "3. merge into $WORK/national.obs"
"$BIN/mappa-merge" --report "$WORK/merge-report.txt" -o "$WORK/national.obs" \
	"$WORK"/normalised/*.obs || fail $? "merge failed"
sed -n -e '/^period:/p' -e '/^result:/p' -e '/^areas:/p' \
	-e '/categories 1-4, all levels/p' -e '/^notificationRate/p' "$WORK/merge-report.txt"

echo "run-fixtures: done: $WORK/national.obs"
