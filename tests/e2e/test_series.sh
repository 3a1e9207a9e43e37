#!/bin/bash
# End to end: the publication across years (issue 14; docs/publication.md "Time series and
# revisions"). One OUTDIR kept across a 2021-22 run and a 2022-23 run of mappa-run (six areas
# each, --allow-missing, to stay fast):
#  - the 2022-23 bundle's time series hold both periods, and every figure equals what the
#    2021-22 and 2022-23 bundles publish in observations.csv ([c] stays [c]); the 2021-22
#    bundle is untouched; each area page shows the previous period; the workbook has the
#    Series sheets; mappa-publish --history gives the same series;
#  - a tenfold jump in a return gives a year-on-year warning (Y01) in the run report, under
#    the area's return, and the run still publishes (exit 0);
#  - revision 2 of that return republishes 2022-23: revisions.csv lists the figure (before and
#    now), the tables mark it [r], README and the report name the revised area; the same inbox
#    again gives the same bundle;
#  - a damaged or foreign bundle in the history folder stops the run (65) with a message that
#    names it, publishes nothing, and is left byte for byte as it was.
# Run from the repository root with MAPPA_BIN set; the last line is "N passed, N failed".
set -u
bin=$(cd "${MAPPA_BIN:-bin}" && pwd) || exit 1
run="$bin/mappa-run"
pass=0 fail=0
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

ok() { pass=$((pass + 1)); echo "ok $*"; }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

AREAS="E23000001 E23000002 E23000003 E23000004 E23000005 E23000006"
inbox() { # $1 period, $2 folder
	mkdir -p "$2"
	for a in $AREAS; do cp "fixtures/returns/$1/$a.xml" "$2/"; done
}
out=$tmp/out
inbox 2021-22 "$tmp/in-2021-22"
inbox 2022-23 "$tmp/in-2022-23"
# Cumbria 2022-23: eligible category 1 level 1 is 669; tenfold
C=$tmp/in-2022-23/E23000002.xml
grep -q '<count category="1" level="1">669</count>' "$C" && ok "the line this test edits is there" ||
	bad "the line this test edits moved in $C"
sed -i 's|<count category="1" level="1">669</count>|<count category="1" level="1">6690</count>|' "$C"

# --- one OUTDIR across two years ---------------------------------------------------------------
"$run" -q --allow-missing "$tmp/in-2021-22" "$out" 2>"$tmp/err" && ok "2021-22 published" ||
	{ bad "2021-22 run: exit $?"; cat "$tmp/err"; }
sum21=$(sha256sum <"$out/mappa-2021-22.tar.gz")
grep -q "^History (.*): no earlier bundle" "$out/latest/report.txt" && ok "first year: no history" ||
	bad "first year: report lacks the history line"
"$run" -q --allow-missing "$tmp/in-2022-23" "$out" 2>"$tmp/err"; s=$?
[ $s -eq 0 ] && ok "2022-23 published in the same OUTDIR, a warning notwithstanding" ||
	{ bad "2022-23 run: exit $s"; cat "$tmp/err"; }
[ "$(sha256sum <"$out/mappa-2021-22.tar.gz")" = "$sum21" ] && ok "the 2021-22 bundle is untouched" ||
	bad "the 2021-22 bundle changed"
rep=$out/latest/report.txt
grep -q "^History (.*): mappa-2021-22.tar.gz" "$rep" && ok "report: history read" || bad "report lacks the history"
grep -q "^Year-on-year warnings (1;" "$rep" && ok "report: one year-on-year warning" ||
	{ bad "report: not one year-on-year warning"; sed -n '/^Year-on-year/,/^Returns/p' "$rep"; }
sed -n '/^Year-on-year/,/^Returns/p' "$rep" | grep -A1 "^  E23000002.xml:" |
	grep -q "warning\[Y01\]: eligible, category 1, level 1 is 6690, but was [0-9]* in 2021-22" &&
	ok "report: Y01 listed under Cumbria's return" || bad "report: Y01 not under E23000002.xml"
grep -q "Year-on-year warnings (1)" "$out/latest/report.html" && ok "HTML report: the warning" ||
	bad "HTML report lacks the warning"

mkdir -p "$tmp/b21" "$tmp/b22"
tar -xzf "$out/mappa-2021-22.tar.gz" -C "$tmp/b21" && tar -xzf "$out/mappa-2022-23.tar.gz" -C "$tmp/b22" ||
	bad "cannot unpack the bundles"
B21=$tmp/b21/mappa-2021-22 B22=$tmp/b22/mappa-2022-23
(cd "$B22" && sha256sum --quiet -c MANIFEST.sha256) && ok "2022-23 manifest checks" || bad "2022-23 manifest"
[ ! -e "$B21/tables/series-national-eligible.csv" ] && ok "no series in the first year" ||
	bad "the first year has a series"
# every series cell against observations.csv of its period: "TABLE,CATEGORY,LEVEL,PERIOD VALUE"
published() { # $1 observations.csv: national rows as "table,category,level,period shown"
	awk -F, 'NR > 1 && $2 == "K04000001" { v = $7 != "" ? $7 : $8; sub(/\r$/, "", v); print $4 "," $5 "," $6 "," $1 " " v }' "$1"
}
series() { # every tables/series-national-*.csv of $1 in the same form
	for f in "$1"/tables/series-national-*.csv; do
		t=${f##*/series-national-}; t=${t%.csv}
		awk -F, -v t="$t" '{ sub(/\r$/, "") } NR == 1 { for (i = 3; i <= NF; i++) p[i] = $i; next }
			{ for (i = 3; i <= NF; i++) print t "," $1 "," $2 "," p[i] " " $i }' "$f"
	done
}
n=$(ls "$B22"/tables/series-national-*.csv | wc -l)
[ "$n" -eq "$(ls "$B22"/tables/national-*.csv | wc -l)" ] && ok "a series for every national table ($n)" ||
	bad "$n series tables"
head -n 1 "$B22/tables/series-national-eligible.csv" | grep -q "^category,level,2021-22,2022-23" &&
	ok "series columns: 2021-22, 2022-23" || bad "series header: $(head -n 1 "$B22/tables/series-national-eligible.csv")"
{ published "$B21/observations.csv"; published "$B22/observations.csv"; } | sort >"$tmp/want"
series "$B22" | sort >"$tmp/got"
if [ -s "$tmp/got" ] && cmp -s "$tmp/want" "$tmp/got"; then ok "every series figure equals the bundles' ($(wc -l <"$tmp/got"))"; else
	bad "series differ from the bundles"; diff "$tmp/want" "$tmp/got" | head -n 10; fi
grep -q ' \[c\]$' "$tmp/got" || grep -q ',[0-9]' "$tmp/got" && ok "series hold figures" || bad "series empty"
grep -q '<h2 id="series">Time series</h2>' "$B22/index.html" && grep -q 'aria-labelledby="series-title' "$B22/index.html" &&
	ok "index.html: the series and its chart" || bad "index.html lacks the series"
grep -q '<h2 id="previous">2022/23 beside 2021/22</h2>' "$B22"/areas/E23000002-*.html &&
	ok "area page: the previous period beside this one" || bad "area page lacks the previous period"
unzip -p "$B22/mappa-2022-23.ods" content.xml | grep -q 'table:name="Series_eligible"' &&
	ok "workbook: Series sheets" || bad "workbook lacks the Series sheets"
grep -q "^Time series" "$B22/README.txt" && ok "README: time series" || bad "README lacks the time series"
# mappa-publish reads the same history: the same series
mkdir -p "$tmp/pub"
"$bin/mappa-publish" -o "$tmp/pub" --history "$out" "$out/latest/suppressed.obs" 2>"$tmp/err" &&
	tar -xzf "$tmp/pub/mappa-2022-23.tar.gz" -C "$tmp/pub" &&
	cmp -s "$tmp/pub/mappa-2022-23/tables/series-national-eligible.csv" "$B22/tables/series-national-eligible.csv" &&
	ok "mappa-publish --history: the same series" || { bad "mappa-publish --history"; cat "$tmp/err"; }

# --- a revision -----------------------------------------------------------------------------
sed -i 's|revision="1"|revision="2"|; s|<count category="1" level="1">6690</count>|<count category="1" level="1">669</count>|' "$C"
grep -q 'revision="2"' "$C" && ok "revision 2 made" || bad "no revision 2 in $C"
"$run" -q --allow-missing "$tmp/in-2022-23" "$out" 2>"$tmp/err"; s=$?
[ $s -eq 0 ] && ok "revision published" || { bad "revision run: exit $s"; cat "$tmp/err"; }
[ "$(sha256sum <"$out/mappa-2021-22.tar.gz")" = "$sum21" ] && ok "the 2021-22 bundle is still untouched" ||
	bad "the 2021-22 bundle changed"
rm -rf "$tmp/r" && mkdir -p "$tmp/r" && tar -xzf "$out/mappa-2022-23.tar.gz" -C "$tmp/r"
R=$tmp/r/mappa-2022-23
head -n 1 "$R/revisions.csv" | tr -d '\r' | grep -qx "area_code,area_name,table,category,level,published_before,published_now" &&
	ok "revisions.csv header" || bad "revisions.csv missing or bad header"
tr -d '\r' <"$R/revisions.csv" | grep -qx "E23000002,Cumbria,eligible,1,1,6690,669" &&
	ok "revisions.csv: Cumbria's figure, before and now" || { bad "revisions.csv lacks Cumbria's figure"; cat "$R/revisions.csv"; }
grep -q '669 \[r\]' "$R/tables/areas-eligible.csv" && ok "tables: [r] on the revised figure" || bad "no [r] in areas-eligible.csv"
grep -q 'title="revised">\[r\]' "$R"/areas/E23000002-*.html && ok "area page: [r]" || bad "area page lacks [r]"
unzip -p "$R/mappa-2022-23.ods" content.xml | grep -q '669 \[r\]' && ok "workbook: [r]" || bad "workbook lacks [r]"
grep -q "^Revisions" "$R/README.txt" && grep -q "Cumbria (E23000002)" "$R/README.txt" && ok "README: the revised area" ||
	bad "README does not say what was revised"
unzip -p "$R/mappa-2022-23.ods" content.xml | grep -q 'Revised areas: Cumbria (E23000002)' && ok "cover: the revised area" ||
	bad "cover does not say what was revised"
grep -q "republishes it; revised areas (1): Cumbria (E23000002)" "$out/latest/report.txt" &&
	ok "report: the revised area" || bad "report does not name the revised area"
! grep -q '\[r\]' "$R/observations.csv" && ok "observations.csv keeps its format" || bad "[r] in observations.csv"
(cd "$R" && sha256sum --quiet -c MANIFEST.sha256) && ok "revised bundle manifest checks" || bad "revised manifest"
# item 5's input: the unrevised areas' earlier figures still hold (each earlier value of
# another area equals the new one where both are published)
awk -F, 'NR > 1 && $1 != "K04000001" && $1 != "E23000002" && $6 ~ /^[0-9]+$/ && $7 ~ /^[0-9]+/ && $6 != $7 + 0 { bad = 1 } END { exit bad }' \
	"$R/revisions.csv" && ok "no unrevised area's published figure changed" || bad "an unrevised area's figure changed"
# the same inbox again: the same bytes (the earlier publication is the revised one now)
cp "$out/mappa-2022-23.tar.gz" "$tmp/rev1.tar.gz"
"$run" -q --allow-missing "$tmp/in-2022-23" "$out" 2>"$tmp/err" && cmp -s "$out/mappa-2022-23.tar.gz" "$tmp/rev1.tar.gz" &&
	ok "a second run of the same inbox: the same bundle, [r] and revisions.csv kept" ||
	bad "a second run of the same inbox changed the revised bundle"

# --- a damaged or foreign history --------------------------------------------------------------
mkdir -p "$tmp/hist-bad"
head -c 2000 "$out/mappa-2021-22.tar.gz" >"$tmp/hist-bad/mappa-2021-22.tar.gz"
sumbad=$(sha256sum <"$tmp/hist-bad/mappa-2021-22.tar.gz")
"$run" -q --allow-missing --history "$tmp/hist-bad" "$tmp/in-2022-23" "$tmp/out-bad" 2>"$tmp/err"; s=$?
[ $s -eq 65 ] && grep -q "published bundle in '$tmp/hist-bad' is refused" "$tmp/err" && ok "damaged history: exit 65, named" ||
	{ bad "damaged history: exit $s"; cat "$tmp/err"; }
grep -q "mappa-2021-22.tar.gz.*error\[H01\]" "$tmp/out-bad/latest/report.txt" 2>/dev/null ||
	grep -rq "error\[H01\]" "$tmp/out-bad/runs" && ok "damaged history: H01 in the report" || bad "no H01 in the report"
[ ! -e "$tmp/out-bad/mappa-2022-23.tar.gz" ] && ok "damaged history: nothing published" || bad "published with a damaged history"
[ "$(sha256sum <"$tmp/hist-bad/mappa-2021-22.tar.gz")" = "$sumbad" ] && ok "damaged bundle left as it was" ||
	bad "the damaged bundle changed"
mkdir -p "$tmp/hist-foreign"
cp "$out/mappa-2021-22.tar.gz" "$tmp/hist-foreign/mappa-2020-21.tar.gz"
"$run" -q --allow-missing --history "$tmp/hist-foreign" "$tmp/in-2022-23" "$tmp/out-foreign" 2>"$tmp/err"; s=$?
[ $s -eq 65 ] && grep -rq "error\[H04\]: the bundle is for 2021-22, not for 2020-21" "$tmp/out-foreign/runs" &&
	ok "foreign bundle: exit 65, H04" || { bad "foreign bundle: exit $s"; cat "$tmp/err"; }
"$run" -q --allow-missing --history "$tmp/no-such" "$tmp/in-2022-23" "$tmp/out-none" 2>"$tmp/err"; s=$?
[ $s -eq 66 ] && ok "a history folder that does not exist: exit 66" || { bad "missing history folder: exit $s"; cat "$tmp/err"; }
"$run" --yoy-limits 50,20 "$tmp/in-2022-23" "$tmp/out-none" 2>/dev/null; s=$?
[ $s -eq 64 ] && ok "bad --yoy-limits: exit 64" || bad "bad --yoy-limits: exit $s"

# --- documented ---------------------------------------------------------------------------------
"$run" --help | grep -q -e "--history DIR" && grep -q 'history' docs/man/mappa-run.1 && ok "mappa-run documents --history" ||
	bad "mappa-run --help or man page lacks --history"
"$bin/mappa-publish" --help | grep -q -e "--history H" && grep -q 'history' docs/man/mappa-publish.1 &&
	ok "mappa-publish documents --history" || bad "mappa-publish --help or man page lacks --history"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
