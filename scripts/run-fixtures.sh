#!/bin/sh
# Runs the pipeline on the bundled fixture returns (make run):
#   sh scripts/run-fixtures.sh BINDIR OUTDIR
# One step after another; the first step that fails stops the run with its exit status.
#   1. validate   the 42 returns of fixtures/returns/2022-23/
#   2. normalise  each into OUTDIR/work/normalised/CODE.obs
#   3. merge      them into OUTDIR/work/national.obs (report: OUTDIR/work/merge-report.txt)
#   4. suppress   under the default disclosure policy into OUTDIR/work/suppressed.obs
#   5. publish    the bundle OUTDIR/mappa-2022-23.tar.gz
#   6. audit      the bundle's published observations.csv, as a reader would
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
"$BIN/mappa-normalise" -d "$WORK/normalised" "$@" || fail $? "cannot normalise the returns"

step "3. merge into $WORK/national.obs"
"$BIN/mappa-merge" --report "$WORK/merge-report.txt" -o "$WORK/national.obs" \
	"$WORK"/normalised/*.obs || fail $? "merge failed"
sed -n -e '/^period:/p' -e '/^result:/p' -e '/^areas:/p' \
	-e '/categories 1-4, all levels/p' -e '/^notificationRate/p' "$WORK/merge-report.txt"

step "4. suppress into $WORK/suppressed.obs"
"$BIN/mappa-suppress" --report "$WORK/suppression-report.txt" -o "$WORK/suppressed.obs" \
	"$WORK/national.obs" || fail $? "suppression failed"
sed -n -e '/suppressions/p' -e '/audit:/p' "$WORK/suppression-report.txt"

step "5. publish into $OUT/"
"$BIN/mappa-publish" -o "$OUT" "$WORK/suppressed.obs" || fail $? "publication failed"
bundle=$OUT/mappa-2022-23.tar.gz

step "6. audit what the bundle publishes"
rm -rf "$WORK/published" && mkdir -p "$WORK/published" || fail 73 "cannot create $WORK/published"
tar -xzf "$bundle" -C "$WORK/published" || fail 65 "cannot read $bundle"
"$BIN/mappa-audit" "$WORK/published/mappa-2022-23/observations.csv" || fail $? "the audit of the bundle failed"

echo "run-fixtures: done: $bundle ($(wc -c <"$bundle") bytes)"
