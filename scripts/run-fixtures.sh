#!/bin/sh
# The pipeline on the bundled fixtures (make run): validates the 42 returns of 2022-23.
# Usage: run-fixtures.sh BINDIR OUTDIR
set -eu
bin=$1 out=$2
mkdir -p "$out"
echo "== validate: fixtures/returns/2022-23 (42 returns)"
"$bin/mappa-validate" -q fixtures/returns/2022-23/*.xml
echo "all 42 returns are valid"
