#!/bin/sh
# make run: the unattended run, bin/mappa-run (the program cron runs), on the bundled fixture
# returns, then where the bundle and the report are. The earlier periods (2020-21, 2021-22) are
# run first into the same OUTDIR, as the national team keeps OUTDIR across years, so that the
# 2022-23 bundle has a time series; an earlier period whose bundle OUTDIR already holds is not
# run again (a second `make run` costs one run, not three).
#   sh scripts/run-fixtures.sh BINDIR OUTDIR
# Exit status: that of mappa-run (docs/man/mappa-run.1).
set -u
[ $# -eq 2 ] || { echo "usage: sh scripts/run-fixtures.sh BINDIR OUTDIR" >&2; exit 64; }
for p in 2020-21 2021-22; do
	[ -f "$2/mappa-$p.tar.gz" ] && continue
	"$1/mappa-run" -q "fixtures/returns/$p" "$2" || exit $?
	echo "earlier period: $2/mappa-$p.tar.gz"
done
"$1/mappa-run" fixtures/returns/2022-23 "$2"
status=$?
if [ "$status" -eq 0 ]; then
	echo "bundle: $2/mappa-2022-23.tar.gz (time series from the earlier bundles in $2)"
	echo "report: $2/latest/report.txt (and report.html); run folder: $2/latest/"
fi
exit "$status"
