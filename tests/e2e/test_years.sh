#!/bin/bash
# End to end: the fixture returns of every period (fixtures/returns/PERIOD/) and the
# year-on-year checks of mappa-validate --previous (docs/rules.md, rules Y01-Y03).
#  - every period folder holds 42 returns named after their area codes, each for that period,
#    valid for mappa-validate (no diagnostic at all) and for xmllint --schema;
#  - the eligible counts of each period add up to its national total (xmllint sums, not the
#    project's library);
#  - scripts/gen-returns.py is deterministic: every period regenerated gives the same bytes;
#  - the earlier periods go through merge, suppression (with its audit), publication and the
#    reader's audit, and the bundle publishes the period's national total;
#  - mappa-validate --previous: the shipped periods, area by area, give no year-on-year warning;
#    a jump made in a temporary copy gives Y01 or Y02 at the line of the figure, another area or
#    period Y03, and warnings never change the exit status; --yoy-limits moves the thresholds.
# Run from the repository root with MAPPA_BIN set; the last line is "N passed, N failed".
set -u
bin=$(cd "${MAPPA_BIN:-bin}" && pwd) || exit 1
v="$bin/mappa-validate"
pass=0 fail=0
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# national eligible totals, categories 1-4, on each period's last day
declare -A NATIONAL=([2020-21]=85610 [2021-22]=88170 [2022-23]=91040)
ref_codes=$(xmllint --xpath "//*[local-name()='area']/@code" reference/areas.xml |
	sed -n 's/.*code="\([^"]*\)".*/\1/p' | sort)

# --- the fixtures of every period -------------------------------------------------------------
periods=""
for d in fixtures/returns/*/; do
	p=$(basename "$d")
	periods+=" $p"
	files=("$d"*.xml)
	[ ${#files[@]} -eq 42 ] && ok || bad "$p: ${#files[@]} returns, expected 42"
	codes="" wrong=""
	y=${p%-*}
	for f in "${files[@]}"; do
		c=$(xmllint --xpath "string(/*/*[local-name()='area']/@code)" "$f")
		codes+="$c"$'\n'
		[ "$(basename "$f" .xml)" = "$c" ] || wrong+=" $f(code $c)"
		s=$(xmllint --xpath "string(/*/*[local-name()='period']/@start)" "$f")
		e=$(xmllint --xpath "string(/*/*[local-name()='period']/@end)" "$f")
		[ "$s $e" = "$y-04-01 $((y + 1))-03-31" ] || wrong+=" $f(period $s $e)"
	done
	[ -z "$wrong" ] && ok || bad "$p: returns not named after their code or not for the period:$wrong"
	[ "$(printf '%s' "$codes" | sort)" = "$ref_codes" ] && ok || bad "$p: codes differ from reference/areas.xml"
	if "$v" -q "${files[@]}" 2>"$tmp/err" && [ ! -s "$tmp/err" ]; then ok; else
		bad "$p: mappa-validate reports problems"; head -n 20 "$tmp/err"; fi
	if xmllint --noout --nonet --schema schemas/return.xsd "${files[@]}" 2>/dev/null; then ok; else
		bad "$p: xmllint --schema rejects a return"; fi
	total=0
	for f in "${files[@]}"; do
		n=$(xmllint --xpath "sum(/*/*[local-name()='eligible']/*)" "$f")
		total=$((total + n))
	done
	want=${NATIONAL[$p]:-}
	[ -n "$want" ] && [ "$total" = "$want" ] && ok || bad "$p: eligible total $total, expected ${want:-(no total known for $p)}"
	# the generator gives the same bytes again
	if python3 scripts/gen-returns.py --quiet --period "$p" --out "$tmp/gen-$p" &&
		diff -r "$tmp/gen-$p" "$d" >/dev/null; then ok; else
		bad "$p: scripts/gen-returns.py --period $p does not reproduce $d"; fi
done
[ "$periods" = " 2020-21 2021-22 2022-23" ] && ok || bad "periods found:$periods"

# the earlier periods go through the pipeline as 2022-23 does (test_publish covers 2022-23):
# merged, suppressed and audited, published as mappa-PERIOD.tar.gz, whose observations.csv
# carries the period's national total and passes the reader's audit, and which checks with
# sha256sum -c
for p in 2020-21 2021-22; do
	w=$tmp/run-$p
	mkdir -p "$w/pub"
	if "$bin/mappa-merge" -o "$w/national.obs" fixtures/returns/$p/*.xml 2>"$w/err" &&
		"$bin/mappa-suppress" -o "$w/suppressed.obs" "$w/national.obs" 2>>"$w/err" &&
		"$bin/mappa-publish" -o "$w" "$w/suppressed.obs" 2>>"$w/err" &&
		tar -xzf "$w/mappa-$p.tar.gz" -C "$w/pub" &&
		"$bin/mappa-audit" "$w/pub/mappa-$p/observations.csv" >/dev/null 2>>"$w/err"; then ok; else
		bad "$p: the pipeline fails on the fixtures"; tail -n 20 "$w/err"; continue; fi
	n=$(awk -F, -v p="$p" '$1 == p && $2 == "K04000001" && $4 == "eligible" && $5 == "all" && $6 == "all" { print $7 }' \
		"$w/pub/mappa-$p/observations.csv")
	[ "$n" = "${NATIONAL[$p]}" ] && ok || bad "$p: published national eligible total '$n', expected ${NATIONAL[$p]}"
	(cd "$w/pub/mappa-$p" && sha256sum --quiet -c MANIFEST.sha256) && ok || bad "$p: MANIFEST.sha256 does not check"
done

# --- year-on-year checks ----------------------------------------------------------------------
# "LINE RULE" for every diagnostic in a stderr file
keys() { sed -n 's/^.*:\([0-9][0-9]*\): \(error\|warning\)\[\([A-Z0-9]*\)\]: .*/\1 \3/p' "$1"; }

# the shipped fixtures move plausibly: no warning for any area, 2020-21 -> 2021-22 -> 2022-23
noisy=""
for pair in 2020-21:2021-22 2021-22:2022-23; do
	for f in fixtures/returns/${pair#*:}/*.xml; do
		"$v" -q --previous "fixtures/returns/${pair%:*}/$(basename "$f")" "$f" 2>"$tmp/err" || noisy+=" $f(exit $?)"
		[ -s "$tmp/err" ] && noisy+=" $f($(keys "$tmp/err" | tr '\n' ' '))"
	done
done
[ -z "$noisy" ] && ok || bad "shipped fixtures give year-on-year warnings:$noisy"

P=fixtures/returns/2021-22/E23000002.xml
C=fixtures/returns/2022-23/E23000002.xml
sum_before=$(cat fixtures/returns/*/*.xml | sha256sum)
# Cumbria 2022-23: eligible category 1 level 1 (line 12) is 669; shpo (line 57) is 64
grep -q '<count category="1" level="1">669</count>' "$C" && sed -n 57p "$C" | grep -q '<shpo>64</shpo>' && ok ||
	bad "the lines this test edits moved in $C"
sed 's|<count category="1" level="1">669</count>|<count category="1" level="1">6690</count>|' "$C" >"$tmp/jump.xml"
"$v" --previous "$P" "$tmp/jump.xml" 2>"$tmp/err"; s=$?
[ $s -eq 0 ] && [ "$(keys "$tmp/err")" = "12 Y01" ] && grep -q "valid, with 1 warning" "$tmp/err" &&
	grep -q "^$tmp/jump.xml:12: warning\[Y01\]: eligible, category 1, level 1 is 6690, but was [0-9]* in 2021-22: " "$tmp/err" &&
	ok || { bad "tenfold jump: exit $s, expected 0 and one Y01 at line 12"; cat "$tmp/err"; }
sed '57s|<shpo>64</shpo>|<shpo>0</shpo>|; 58s|<shpoForeignTravel>[0-9]*<|<shpoForeignTravel>0<|' "$C" >"$tmp/zero.xml"
"$v" -q --previous "$P" "$tmp/zero.xml" 2>"$tmp/err"; s=$?
[ $s -eq 0 ] && [ "$(keys "$tmp/err")" = "57 Y02" ] && ok || { bad "figure falls to 0: exit $s, expected 0 and Y02 at line 57"; cat "$tmp/err"; }
# the same jump with both: sorted by line, still exit 0
sed '57s|<shpo>64</shpo>|<shpo>0</shpo>|; 58s|<shpoForeignTravel>[0-9]*<|<shpoForeignTravel>0<|' "$tmp/jump.xml" >"$tmp/both.xml"
"$v" -q --previous "$P" "$tmp/both.xml" 2>"$tmp/err"; s=$?
[ $s -eq 0 ] && [ "$(keys "$tmp/err" | tr '\n' ' ')" = "12 Y01 57 Y02 " ] && ok || { bad "two warnings: exit $s"; cat "$tmp/err"; }
# another area, another period: Y03 and nothing compared
"$v" -q --previous fixtures/returns/2021-22/E23000003.xml "$tmp/jump.xml" 2>"$tmp/err"; s=$?
[ $s -eq 0 ] && [ "$(keys "$tmp/err")" = "6 Y03" ] && ok || { bad "another area: exit $s, expected Y03 at line 6"; cat "$tmp/err"; }
"$v" -q --previous fixtures/returns/2020-21/E23000002.xml "$tmp/jump.xml" 2>"$tmp/err"; s=$?
[ $s -eq 0 ] && [ "$(keys "$tmp/err")" = "7 Y03" ] && ok || { bad "two years back: exit $s, expected Y03 at line 7"; cat "$tmp/err"; }
"$v" -q --previous "$C" "$C" 2>"$tmp/err"; s=$?
[ $s -eq 0 ] && [ "$(keys "$tmp/err")" = "7 Y03" ] && ok || { bad "same period: exit $s, expected Y03 at line 7"; cat "$tmp/err"; }
# an invalid return stays invalid (65) and gets no year-on-year check; a valid one after it still does
sed 's|<count category="1" level="2">2</count>|<count category="1" level="2">-2</count>|' "$tmp/jump.xml" >"$tmp/invalid.xml"
"$v" -q --previous "$P" "$tmp/invalid.xml" "$tmp/jump.xml" 2>"$tmp/err"; s=$?
[ $s -eq 65 ] && ! grep "invalid.xml" "$tmp/err" | grep -q "warning\[Y" &&
	grep -q "jump.xml:12: warning\[Y01\]" "$tmp/err" && ok || { bad "invalid return with --previous: exit $s"; cat "$tmp/err"; }
# several areas' returns against one previous: only the same area is compared
"$v" -q --previous "$P" "$C" fixtures/returns/2022-23/E23000003.xml 2>"$tmp/err"; s=$?
[ $s -eq 0 ] && [ "$(keys "$tmp/err")" = "6 Y03" ] && grep -q "E23000003.xml:6: warning\[Y03\]" "$tmp/err" && ok ||
	{ bad "several returns: exit $s"; cat "$tmp/err"; }
# the XML report carries the warnings
"$v" --format=xml --previous "$P" "$tmp/jump.xml" >"$tmp/report.xml" 2>/dev/null; s=$?
[ $s -eq 0 ] && [ "$(xmllint --xpath 'string(//*[local-name()="diagnostic"]/@rule)' "$tmp/report.xml")" = Y01 ] &&
	[ "$(xmllint --xpath 'string(//*[local-name()="diagnostic"]/@severity)' "$tmp/report.xml")" = warning ] &&
	[ "$(xmllint --xpath 'string(//*[local-name()="file"]/@status)' "$tmp/report.xml")" = valid ] &&
	ok || { bad "XML report with --previous: exit $s"; cat "$tmp/report.xml"; }
# --yoy-limits: lower thresholds make a shipped fixture warn (Merseyside's managedAtLevel23,
# category 2, level 2: 14 in 2021-22, 29 in 2022-23, +15 people, +107%)
"$v" -q --yoy-limits 30,10,5 --previous fixtures/returns/2021-22/E23000006.xml fixtures/returns/2022-23/E23000006.xml 2>"$tmp/err"; s=$?
[ $s -eq 0 ] && keys "$tmp/err" | grep -qx "29 Y01" && ok || { bad "--yoy-limits 30,10,5: exit $s"; cat "$tmp/err"; }
"$v" -q --yoy-limits 200,10,5 --previous fixtures/returns/2021-22/E23000006.xml fixtures/returns/2022-23/E23000006.xml 2>"$tmp/err"; s=$?
[ $s -eq 0 ] && ! keys "$tmp/err" | grep -q "Y01" && ok || { bad "--yoy-limits 200,10,5: exit $s"; cat "$tmp/err"; }
# a previous return that is invalid or missing, and bad limits
"$v" -q --previous "$tmp/invalid.xml" "$C" 2>"$tmp/err"; s=$?
[ $s -eq 65 ] && grep -q "previous return '$tmp/invalid.xml' is not valid" "$tmp/err" && ok || { bad "invalid previous: exit $s"; cat "$tmp/err"; }
"$v" -q --previous "$tmp/nonexistent.xml" "$C" 2>"$tmp/err"; s=$?
[ $s -eq 66 ] && [ "$(cat "$tmp/err")" = "$tmp/nonexistent.xml:0: error[R03]: cannot read: No such file or directory
mappa-validate: the previous return '$tmp/nonexistent.xml' cannot be read: no return checked" ] && ok ||
	{ bad "missing previous: exit $s"; cat "$tmp/err"; }
# limits of a comparison not made: bad usage, not taken in silence (QA)
"$v" --yoy-limits 1,2,3 "$C" >/dev/null 2>"$tmp/err"; s=$?
[ $s -eq 64 ] && grep -q "^mappa-validate: --yoy-limits without --previous" "$tmp/err" && ok ||
	bad "--yoy-limits without --previous: exit $s, expected 64"
for l in 50,20 0,20,10 50,20,x -1,2,3; do
	"$v" --yoy-limits "$l" --previous "$P" "$C" >/dev/null 2>"$tmp/err"; s=$?
	[ $s -eq 64 ] && grep -q "bad --yoy-limits" "$tmp/err" && ok || bad "--yoy-limits $l: exit $s, expected 64"
done
# a number out of range is named with its range, and the man pages give the bound (QA: a bare
# "bad --yoy-limits '10000000,20,10'", and no upper bound documented)
"$v" --yoy-limits 10000000,20,10 --previous "$P" "$C" >/dev/null 2>"$tmp/err"; s=$?
[ $s -eq 64 ] && grep -q "bad --yoy-limits '10000000,20,10': PERCENT 10000000 is out of range: it is from 1 to 9999999" "$tmp/err" && ok ||
	{ bad "--yoy-limits 10000000,20,10: exit $s, not said which number and its range"; cat "$tmp/err"; }
"$v" --yoy-limits 9999999,20,10 --previous "$P" "$C" >/dev/null 2>&1 && ok || bad "--yoy-limits 9999999,20,10 refused"
for page in docs/man/mappa-validate.1 docs/man/mappa-run.1; do
	grep -q "at most 9999999" "$page" && ok || bad "$page does not give the bound of --yoy-limits"
done
# --- the periods the publication can hold (docs/rules.md, R13) -------------------------------
# 1899-00 and 2300-01 were valid returns, and mappa-run failed late (P02 after the suppression;
# 70 "File modification time too large" from the ustar writer), and mappa-sample made 9998-99,
# whose release date wrapped to 2000 (QA). One range, 2001-02 to 2099-00, everywhere.
period_return() { # FIRST_YEAR SRC DEST: the return SRC moved to the period FIRST_YEAR
	sed -e "s/2022-04-01/$1-04-01/;s/2023-03-31/$(($1 + 1))-03-31/;s/date=\"2023-/date=\"$(($1 + 1))-/" "$2" >"$3"
}
for y in 1899 2000 2001 2099 2100 2300; do
	period_return $y fixtures/returns/2022-23/E23000001.xml "$tmp/p$y.xml"
	"$v" -q "$tmp/p$y.xml" 2>"$tmp/err"; s=$?
	if [ $y -ge 2001 ] && [ $y -le 2099 ]; then
		[ $s -eq 0 ] && ok || { bad "period $y: exit $s, expected 0"; cat "$tmp/err"; }
	else
		[ $s -eq 65 ] && grep -q "^$tmp/p$y.xml:7: error\[R13\]: .*2001-02 to 2099-00" "$tmp/err" && ok ||
			{ bad "period $y: exit $s, expected 65 and R13 at line 7"; cat "$tmp/err"; }
	fi
done
for y in 2001 2099; do
	mkdir -p "$tmp/in$y"
	for f in fixtures/returns/2022-23/*.xml; do period_return $y "$f" "$tmp/in$y/$(basename "$f")"; done
done
"$bin/mappa-run" -q "$tmp/in2001" "$tmp/out2001" 2>"$tmp/err"; s=$?
[ $s -eq 0 ] && [ -f "$tmp/out2001/mappa-2001-02.tar.gz" ] && ok || { bad "mappa-run 2001-02: exit $s"; head -3 "$tmp/err"; }
"$bin/mappa-run" -q --format=zip "$tmp/in2099" "$tmp/out2099" 2>"$tmp/err"; s=$?
[ $s -eq 0 ] && [ -f "$tmp/out2099/mappa-2099-00.zip" ] && ok || { bad "mappa-run 2099-00 zip: exit $s"; head -3 "$tmp/err"; }
"$bin/mappa-run" -q "$tmp/in2099" "$tmp/out2099t" 2>"$tmp/err"; s=$?
[ $s -eq 0 ] && tar -tvzf "$tmp/out2099t/mappa-2099-00.tar.gz" | grep -q "2100-04-01" &&
	tar -xzOf "$tmp/out2099t/mappa-2099-00.tar.gz" mappa-2099-00/README.txt | grep -q "2100" && ok ||
	{ bad "mappa-run 2099-00 tar.gz: exit $s"; head -3 "$tmp/err"; }
for p in 2000-01 2100-01 9999-00 0000-01; do
	"$bin/mappa-sample" --period $p "$tmp/s.obs" 2>"$tmp/err"; s=$?
	[ $s -eq 64 ] && grep -q "2001-02 to 2099-00" "$tmp/err" && ok || bad "mappa-sample --period $p: exit $s, expected 64"
	"$bin/mappa-run" -q --period $p "$tmp/in2001" "$tmp/outp" 2>"$tmp/err"; s=$?
	[ $s -eq 64 ] && ok || bad "mappa-run --period $p: exit $s, expected 64"
done
for p in 2001-02 2099-00; do
	rm -rf "$tmp/pub" && mkdir "$tmp/pub"
	"$bin/mappa-sample" --stage suppressed --period $p "$tmp/s.obs" && "$bin/mappa-publish" --format=zip -o "$tmp/pub" "$tmp/s.obs" 2>"$tmp/err"; s=$?
	[ $s -eq 0 ] && [ -f "$tmp/pub/mappa-$p.zip" ] && ok || { bad "mappa-publish --format=zip $p: exit $s"; head -3 "$tmp/err"; }
done
# a dataset of a period out of the range is refused by the reader, at its period line
sed 's/^period\t2099-00$/period\t2100-01/' "$tmp/s.obs" >"$tmp/s2100.obs"
python3 tests/support/obs_reseal.py "$tmp/s2100.obs"
"$bin/mappa-publish" -o "$tmp/pub" "$tmp/s2100.obs" 2>"$tmp/err"; s=$?
[ $s -eq 65 ] && grep -q "^$tmp/s2100.obs:[0-9]*: error\[O03\]: .*2001-02 to 2099-00" "$tmp/err" && ok ||
	{ bad "a dataset of 2100-01: exit $s"; cat "$tmp/err"; }

# documented, and nothing was changed
"$v" --help | grep -q -e "--previous F" && "$v" --help | grep -q -e "--yoy-limits" && ok || bad "--help lacks --previous"
grep -q -e 'previous' docs/man/mappa-validate.1 && grep -q -e 'yoy\\-limits' docs/man/mappa-validate.1 && ok || bad "man page lacks --previous"
grep -q '| Y01 |' docs/rules.md && grep -q '| Y02 |' docs/rules.md && grep -q '| Y03 |' docs/rules.md && ok || bad "docs/rules.md lacks Y01-Y03"
[ "$(cat fixtures/returns/*/*.xml | sha256sum)" = "$sum_before" ] && ok || bad "a fixture changed"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
