#!/bin/sh
# make run: the unattended run, bin/mappa-run (the program cron runs), on the bundled fixture
# returns, then where the bundle and the report are.
#   sh scripts/run-fixtures.sh BINDIR OUTDIR
# Exit status: that of mappa-run (docs/man/mappa-run.1).
set -u
[ $# -eq 2 ] || { echo "usage: sh scripts/run-fixtures.sh BINDIR OUTDIR" >&2; exit 64; }
"$1/mappa-run" fixtures/returns/2022-23 "$2"
status=$?
if [ "$status" -eq 0 ]; then
	echo "bundle: $2/mappa-2022-23.tar.gz"
	echo "report: $2/latest/report.txt (and report.html); run folder: $2/latest/"
fi
exit "$status"
