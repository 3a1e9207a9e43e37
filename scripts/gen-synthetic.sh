#!/bin/sh
# Makes N synthetic returns for the benchmarks: the 42 fixture returns of 2022-23 resubmitted
# again and again (return i is area i mod 42 at revision i div 42 + 1, one count changed so
# no two are alike), all valid, all of one period: a merge of them keeps the highest revision
# of each area. Deterministic.
# Usage: scripts/gen-synthetic.sh N OUTDIR
set -eu
[ $# -eq 2 ] || { echo "usage: gen-synthetic.sh N OUTDIR" >&2; exit 64; }
n=$1 out=$2
mkdir -p "$out"
awk -v n="$n" -v out="$out" '
FNR == 1 { k++; lines[k] = 0 }
{ lines[k]++; text[k, lines[k]] = $0 }
END {
	for (i = 0; i < n; i++) {
		a = i % k + 1; rev = int(i / k) + 1
		f = sprintf("%s/r%06d.xml", out, i)
		for (j = 1; j <= lines[a]; j++) {
			line = text[a, j]
			if (line ~ /<submission revision=/)
				sub(/revision="[0-9]+"/, "revision=\"" rev "\"", line)
			if (line ~ /<notificationBreach>/) {
				match(line, /[0-9]+/)
				v = substr(line, RSTART, RLENGTH) + rev
				sub(/[0-9]+/, v, line)
			}
			print line > f
		}
		close(f)
	}
}' fixtures/returns/2022-23/*.xml
