#!/bin/bash
# End to end: mappa-normalise and mappa-merge, the built programs ($MAPPA_BIN), on the 42
# fixture returns (fixtures/returns/2022-23/).
#  - the national cells and totals of every table equal an independent sum of the fixture XML
#    (xmllint --format and awk, not the project's library);
#  - London: rate 89 and the totals of its published report; national eligible total 91,040;
#  - revisions (highest wins, superseded reported), same revision with other content (refused),
#    identical duplicates (kept once), a missing area (refused; --allow-missing gives [x]
#    cells), another period (refused), input order (identical bytes);
#  - normalise gives the same bytes for London written in every encoding and layout of
#    fixtures/valid/.
# Run from the repository root. Temporary files live in a mktemp -d folder, removed at the end.
# The last line of output is "N passed, N failed"; exit 1 when a check failed.
set -u

BIN=${MAPPA_BIN:-$PWD/bin}
DIR=fixtures/returns/2022-23
LONDON=E23000001
NAT=K04000001

passed=0
failed=0
ok()  { passed=$((passed + 1)); printf 'ok - %s\n' "$1"; }
nok() { failed=$((failed + 1)); printf 'not ok - %s\n' "$1"; }
finish() { printf '%d passed, %d failed\n' "$passed" "$failed"; [ "$failed" -eq 0 ] && exit 0; exit 1; }
expect() { if [ "$2" = "$3" ]; then ok "$1 ($3)"; else nok "$1: expected '$2', got '$3'"; fi; }

for p in mappa-normalise mappa-merge; do
	[ -x "$BIN/$p" ] || { nok "$BIN/$p is built"; finish; }
done
command -v xmllint >/dev/null 2>&1 || { nok "xmllint is installed"; finish; }

T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/norm" "$T/extra"

# value FILE AREA TABLE CATEGORY LEVEL: the value of a row of an observations file
# ('-' for an absent category or level); STATUS likewise.
value()  { awk -F'\t' -v a="$2" -v t="$3" -v c="$4" -v l="$5" '$1=="obs" && $2==a && $3==t && $4==c && $5==l { print $6 }' "$1"; }
status() { awk -F'\t' -v a="$2" -v t="$3" -v c="$4" -v l="$5" '$1=="obs" && $2==a && $3==t && $4==c && $5==l { print $7 }' "$1"; }

# ---- normalise the 42 returns and merge them ------------------------------------------------
files=("$DIR"/*.xml)
expect "fixture returns" 42 "${#files[@]}"
bad=0
for f in "${files[@]}"; do
	"$BIN/mappa-normalise" -o "$T/norm/$(basename "$f" .xml).obs" "$f" 2>"$T/err" || { bad=1; cat "$T/err"; }
done
expect "mappa-normalise accepts the 42 returns" 0 "$bad"
"$BIN/mappa-merge" --report "$T/report.txt" -o "$T/national.obs" "$T"/norm/*.obs 2>"$T/err"
expect "mappa-merge of the 42 exits 0" 0 "$?"
[ -s "$T/err" ] && { nok "mappa-merge of the 42 says nothing on stderr"; sed 's/^/  | /' "$T/err"; } || ok "mappa-merge of the 42 says nothing on stderr"

# ---- an independent sum of the XML: every inner cell, then every total -----------------------
for f in "${files[@]}"; do
	xmllint --format "$f" | awk '
		/<(eligible|managedAtLevel23|returnedToCustody|shpoBreach)>/ { match($0, /<[A-Za-z0-9]+>/); table = substr($0, RSTART + 1, RLENGTH - 2); next }
		/<\/(eligible|managedAtLevel23|returnedToCustody|shpoBreach)>/ { table = ""; next }
		table != "" && /<count / {
			c = "-"; l = "-"
			if (match($0, /category="[0-9]+"/)) c = substr($0, RSTART + 10, RLENGTH - 11)
			if (match($0, /level="[0-9]+"/)) l = substr($0, RSTART + 7, RLENGTH - 8)
			v = $0; sub(/^.*">/, "", v); sub(/<.*$/, "", v)
			print table, c, l, v + 0; next }
		/<(notificationBreach|notificationRevoked|shpo|shpoForeignTravel|notificationOrder|sroBreach)>/ {
			match($0, /<[A-Za-z]+>/); t = substr($0, RSTART + 1, RLENGTH - 2)
			v = $0; sub(/^[^>]*>/, "", v); sub(/<.*$/, "", v)
			print t, "-", "-", v + 0 }'
done >"$T/cells.txt"
expect "cells read from the XML (42 returns x 35 cells)" 1470 "$(wc -l <"$T/cells.txt" | tr -d ' ')"
awk '{
	t = $1; c = $2; l = $3; v = $4
	s[t " " c " " l] += v
	if (c != "-") { s[t " all " l] += v; if (c <= 3) s[t " 1-3 " l] += v }
	if (l != "-") s[t " " c " all"] += v
	if (c != "-" && l != "-") { s[t " all all"] += v; if (c <= 3) s[t " 1-3 all"] += v }
} END { for (k in s) print k, s[k] }' "$T/cells.txt" | sort >"$T/expected.txt"
awk -F'\t' -v n="$NAT" '$1=="obs" && $2==n && $7=="ok" && $3!="notificationRate" { print $3, $4, $5, $6 }' \
	"$T/national.obs" | sort >"$T/actual.txt"
if [ "$(wc -l <"$T/expected.txt")" -gt 60 ] && diff "$T/expected.txt" "$T/actual.txt" >"$T/diff"; then
	ok "national cells and totals of every table = the independent sum of the XML ($(wc -l <"$T/expected.txt" | tr -d ' ') rows)"
else
	nok "national cells and totals differ from the independent sum of the XML:"
	head -20 "$T/diff" | sed 's/^/  | /'
fi
expect "national eligible, categories 1-4, all levels" 91040 "$(value "$T/national.obs" $NAT eligible all all)"
expect "national eligible category 3 level 1" na "$(status "$T/national.obs" $NAT eligible 3 1)"

# ---- London --------------------------------------------------------------------------------
N=$T/national.obs
expect "London's rate per 100,000" 89 "$(value "$N" $LONDON notificationRate - -)"
expect "London eligible category 1" 6901 "$(value "$N" $LONDON eligible 1 all)"
expect "London eligible category 2" 3669 "$(value "$N" $LONDON eligible 2 all)"
expect "London eligible category 3" 51 "$(value "$N" $LONDON eligible 3 all)"
expect "London eligible categories 1-3" 10621 "$(value "$N" $LONDON eligible 1-3 all)"
expect "London eligible level 2, categories 1-3" 120 "$(value "$N" $LONDON eligible 1-3 2)"
expect "London eligible level 3, categories 1-3" 22 "$(value "$N" $LONDON eligible 1-3 3)"
expect "London managed at level 2 or 3, categories 1-3" 767 "$(value "$N" $LONDON managedAtLevel23 1-3 all)"
expect "London returned to custody, categories 1-3" 65 "$(value "$N" $LONDON returnedToCustody 1-3 all)"
grep -q 'categories 1-4, all levels: 91040' "$T/report.txt" && ok "the report gives the national total" ||
	nok "the report gives the national total"

# ---- input order ---------------------------------------------------------------------------
mapfile -t norm < <(ls "$T"/norm/*.obs)
"$BIN/mappa-merge" -o "$T/reversed.obs" $(printf '%s\n' "${norm[@]}" | sort -r) 2>/dev/null
"$BIN/mappa-merge" -o "$T/shuffled.obs" $(printf '%s\n' "${norm[@]}" | shuf --random-source=<(yes)) 2>/dev/null
cmp -s "$N" "$T/reversed.obs" && cmp -s "$N" "$T/shuffled.obs" &&
	ok "reversed and shuffled inputs give identical bytes" || nok "input order changes the output"

# ---- revisions -------------------------------------------------------------------------------
sed -e 's/revision="1"/revision="2"/' -e 's/date="2023-05-15"/date="2023-06-01"/' \
	-e 's/<count category="1" level="1">6867</<count category="1" level="1">6900</' \
	"$DIR/$LONDON.xml" >"$T/extra/london-r2.xml"
"$BIN/mappa-normalise" -o "$T/extra/london-r2.obs" "$T/extra/london-r2.xml"
expect "normalise revision 2" 0 "$?"
"$BIN/mappa-merge" --report "$T/r2-report.txt" -o "$T/r2.obs" "$T"/norm/*.obs "$T/extra/london-r2.obs" 2>"$T/err"
expect "merge with revision 2 exits 0" 0 "$?"
expect "revision 2 wins: London eligible 1 1" 6900 "$(value "$T/r2.obs" $LONDON eligible 1 1)"
expect "national total follows revision 2" 91073 "$(value "$T/r2.obs" $NAT eligible all all)"
expect "superseded line" "superseded $LONDON 1 2" "$(awk -F'\t' '$1=="superseded" { print $1, $2, $3, $4 }' "$T/r2.obs")"
grep -q 'M09' "$T/err" && ok "stderr reports the superseded revision" || nok "stderr reports the superseded revision"
aline=$(awk -F'\t' '$1=="area" { print NR }' "$T/norm/$LONDON.obs")
grep -q "^$T/norm/$LONDON.obs:$aline: warning\[M09\]" "$T/err" && ok "M09 names the line of the superseded revision" ||
	{ nok "M09 names the line of the superseded revision"; sed 's/^/  | /' "$T/err"; }
"$BIN/mappa-merge" -o "$T/r2x.obs" $(printf '%s\n' "${norm[@]}" | grep -v "/$LONDON.obs") "$T/extra/london-r2.xml" "$DIR/$LONDON.xml" 2>"$T/err"
sline=$(grep -n '<submission ' "$DIR/$LONDON.xml" | cut -d: -f1)
grep -q "^$DIR/$LONDON.xml:$sline: warning\[M09\]" "$T/err" && ok "M09 names the return's submission element" ||
	{ nok "M09 names the return's submission element"; sed 's/^/  | /' "$T/err"; }
grep -A1 '^superseded:' "$T/r2-report.txt" | grep -q "$LONDON *revision 1" && ok "the report lists the superseded revision" ||
	nok "the report lists the superseded revision"
"$BIN/mappa-merge" -o "$T/r2b.obs" "$T/extra/london-r2.obs" $(printf '%s\n' "${norm[@]}" | sort -r) 2>/dev/null
cmp -s "$T/r2.obs" "$T/r2b.obs" && ok "revisions: input order changes nothing" || nok "revisions: input order changes the output"

# same revision, other content: refused, naming both files
sed -e 's/<count category="1" level="1">6867</<count category="1" level="1">6900</' \
	"$DIR/$LONDON.xml" >"$T/extra/london-r1-other.xml"
"$BIN/mappa-normalise" -o "$T/extra/london-r1-other.obs" "$T/extra/london-r1-other.xml"
"$BIN/mappa-merge" -o "$T/conflict.obs" "$T"/norm/*.obs "$T/extra/london-r1-other.obs" 2>"$T/err"
expect "same revision, other content: exit" 65 "$?"
grep 'M05' "$T/err" | grep -q "london-r1-other.obs" && grep 'M05' "$T/err" | grep -q "norm/$LONDON.obs" &&
	ok "the conflict names both files" || { nok "the conflict names both files"; sed 's/^/  | /' "$T/err"; }
cline=$(awk -F'\t' '$1=="area" { print NR }' "$T/extra/london-r1-other.obs")
grep -q ":$cline: error\[M05\]" "$T/err" && ok "M05 names the line of the revision" ||
	{ nok "M05 names the line of the revision"; sed 's/^/  | /' "$T/err"; }
[ ! -e "$T/conflict.obs" ] && ok "nothing written on conflict" || nok "nothing written on conflict"

# the same content twice: a harmless duplicate
cp "$T/norm/$LONDON.obs" "$T/extra/london-copy.obs"
"$BIN/mappa-merge" -o "$T/dup.obs" "$T"/norm/*.obs "$T/extra/london-copy.obs" 2>"$T/err"
expect "identical duplicate: exit" 0 "$?"
grep -q 'M08' "$T/err" && ok "the duplicate is reported" || nok "the duplicate is reported"
cmp -s "$N" "$T/dup.obs" && ok "the duplicate changes nothing" || nok "the duplicate changes the output"

# names with a line end: the message and the report quote them (they were printed raw, a line
# end forging a line of the report)
nl1="$T/extra/$(printf 'london\ncopy1.obs')" nl2="$T/extra/$(printf 'london\ncopy2.obs')"
cp "$T/norm/$LONDON.obs" "$nl1" && cp "$T/norm/$LONDON.obs" "$nl2"
"$BIN/mappa-merge" --report "$T/nl-report.txt" -o "$T/nl.obs" $(printf '%s\n' "${norm[@]}" | grep -v "/$LONDON.obs") "$nl1" "$nl2" 2>"$T/err"
expect "names with a line end: exit" 0 "$?"
grep -Fq "warning[M08]: area $LONDON revision 1 is the same as \"$T/extra/london\\ncopy1.obs\": a harmless duplicate, one is kept" "$T/err" &&
	ok "M08 quotes the name of the kept file" || { nok "M08 quotes the name of the kept file"; sed 's/^/  | /' "$T/err"; }
grep -Fq "same as \"$T/extra/london\\ncopy1.obs\" (kept)" "$T/nl-report.txt" &&
	! grep -q '^copy[12]' "$T/nl-report.txt" && ok "the report quotes the names: no line forged" ||
	{ nok "the report quotes the names: no line forged"; sed 's/^/  | /' "$T/nl-report.txt"; }

# ---- a missing area --------------------------------------------------------------------------
MISS=E23000013
rest=$(printf '%s\n' "${norm[@]}" | grep -v "/$MISS.obs")
"$BIN/mappa-merge" -o "$T/missing.obs" $rest 2>"$T/err"
expect "missing area: exit" 65 "$?"
grep 'M06' "$T/err" | grep -q "$MISS" && ok "the missing area is named" || nok "the missing area is named"
"$BIN/mappa-merge" --allow-missing --report "$T/m-report.txt" -o "$T/missing.obs" $rest 2>"$T/err"
expect "--allow-missing: exit" 0 "$?"
expect "incomplete flag" 1 "$(awk -F'\t' '$1=="incomplete" { print $2 }' "$T/missing.obs")"
expect "the missing area's eligible 1 1" missing "$(status "$T/missing.obs" $MISS eligible 1 1)"
expect "the missing area's total" missing "$(status "$T/missing.obs" $MISS eligible all all)"
expect "the missing area's rate" missing "$(status "$T/missing.obs" $MISS notificationRate - -)"
other=$(awk -F'\t' -v a=$MISS '$1=="obs" && $2==a && $7!="missing" && $7!="na"' "$T/missing.obs" | wc -l)
expect "every other cell of the missing area is [x] or [z]" 0 "$other"
miss_total=$(awk '$1=="eligible" { s += $2 } END { print s }' <(xmllint --format "$DIR/$MISS.xml" | awk '
	/<eligible>/ { on = 1 } /<\/eligible>/ { on = 0 }
	on && /<count / { v = $0; sub(/^.*">/, "", v); sub(/<.*$/, "", v); print "eligible", v }'))
expect "national total without the missing area" $((91040 - miss_total)) "$(value "$T/missing.obs" $NAT eligible all all)"
grep -A1 '^missing' "$T/m-report.txt" | grep -q "$MISS" && ok "the report lists the missing area" || nok "the report lists the missing area"

# ---- another period --------------------------------------------------------------------------
sed -e 's/start="2022-04-01" end="2023-03-31"/start="2021-04-01" end="2022-03-31"/' \
	-e 's/date="2023-05-15"/date="2022-05-15"/' "$DIR/$LONDON.xml" >"$T/extra/london-2021.xml"
"$BIN/mappa-normalise" -o "$T/extra/london-2021.obs" "$T/extra/london-2021.xml"
expect "normalise a 2021-22 return" 2021-22 "$(awk -F'\t' '$1=="period" { print $2 }' "$T/extra/london-2021.obs")"
"$BIN/mappa-merge" --period 2022-23 -o "$T/period.obs" "$T"/norm/*.obs "$T/extra/london-2021.obs" 2>"$T/err"
expect "--period 2022-23 with a 2021-22 input: exit" 65 "$?"
grep 'M04' "$T/err" | grep -q 'london-2021.obs' && ok "the other period is refused by name" || nok "the other period is refused by name"
# and at the line that says the period: of the observations file, or of the return itself
pline=$(awk -F'\t' '$1=="period" { print NR }' "$T/extra/london-2021.obs")
grep -q "^$T/extra/london-2021.obs:$pline: error\[M04\]" "$T/err" && ok "M04 names the period's line of the observations file" ||
	{ nok "M04 names the period's line of the observations file"; sed 's/^/  | /' "$T/err"; }
"$BIN/mappa-merge" --period 2022-23 -o "$T/period.obs" "$T"/norm/*.obs "$T/extra/london-2021.xml" 2>"$T/err"
xline=$(grep -n '<period ' "$T/extra/london-2021.xml" | cut -d: -f1)
grep -q "^$T/extra/london-2021.xml:$xline: error\[M04\]" "$T/err" && ok "M04 names the return's period element" ||
	{ nok "M04 names the return's period element"; sed 's/^/  | /' "$T/err"; }
"$BIN/mappa-merge" -o "$T/period.obs" "$T"/norm/*.obs "$T/extra/london-2021.obs" 2>"$T/err"
expect "no --period, a minority period: exit" 65 "$?"
"$BIN/mappa-merge" --period 2021-22 -o "$T/period.obs" "$T"/norm/*.obs 2>/dev/null
expect "--period 2021-22 with 2022-23 inputs: exit" 65 "$?"
"$BIN/mappa-merge" --period 2022-24 -o "$T/period.obs" "$T"/norm/*.obs 2>/dev/null
expect "a malformed --period: exit" 64 "$?"

# ---- damaged and unreadable inputs -----------------------------------------------------------
sed 's/\t6867\t/\t6868\t/' "$T/norm/$LONDON.obs" >"$T/extra/damaged.obs"
rest=$(printf '%s\n' "${norm[@]}" | grep -v "/$LONDON.obs")
"$BIN/mappa-merge" -o "$T/damaged-out.obs" $rest "$T/extra/damaged.obs" 2>"$T/err"
expect "a damaged input: exit" 65 "$?"
grep -q 'damaged.obs:.*O07' "$T/err" && ok "the damaged input's checksum error is shown" || nok "the damaged input's checksum error is shown"
"$BIN/mappa-merge" -o "$T/x.obs" "$T"/norm/*.obs "$T/no-such.obs" 2>/dev/null
expect "an unreadable input: exit" 66 "$?"
"$BIN/mappa-merge" "$T"/norm/*.obs 2>/dev/null
expect "no -o: exit" 64 "$?"

# ---- normalise: the same bytes whatever the encoding and layout ------------------------------
mkdir -p "$T/same"
first=""
same=1
for v in london-2022-23 utf16-bom latin1 crlf whitespace reordered-attrs; do
	# the same input name, so that the recorded source is the same
	cp "fixtures/valid/$v.xml" "$T/same/return.xml"
	"$BIN/mappa-normalise" -o "$T/same/$v.obs" "$T/same/return.xml" || same=0
	# and the original name with --source
	"$BIN/mappa-normalise" --source return.xml -o "$T/same/$v-src.obs" "fixtures/valid/$v.xml" || same=0
	if [ -z "$first" ]; then
		first=$v
	else
		cmp -s "$T/same/$first.obs" "$T/same/$v.obs" || { same=0; echo "  | $v differs"; }
		cmp -s "$T/same/$first-src.obs" "$T/same/$v-src.obs" || { same=0; echo "  | $v (--source) differs"; }
	fi
done
expect "normalise: identical bytes for UTF-8, UTF-16, ISO-8859-1, CRLF, whitespace, attribute order" 1 "$same"
cmp -s <(grep '^obs' "$T/same/london-2022-23.obs") <(grep '^obs' "$T/norm/$LONDON.obs") &&
	ok "the valid London fixture and fixtures/returns' London give the same rows" ||
	nok "the valid London fixture and fixtures/returns' London give the same rows"

# ---- normalise refuses what is invalid, reads nothing it cannot ------------------------------
"$BIN/mappa-normalise" -o "$T/bad.obs" fixtures/invalid/negative-count.xml 2>"$T/err"
expect "normalise an invalid return: exit" 65 "$?"
grep -q 'error\[' "$T/err" && ok "with the validator's diagnostics" || nok "with the validator's diagnostics"
[ ! -e "$T/bad.obs" ] && ok "nothing written for an invalid return" || nok "nothing written for an invalid return"
"$BIN/mappa-normalise" "$T/no-such.xml" 2>/dev/null
expect "normalise an unreadable file: exit" 66 "$?"
"$BIN/mappa-normalise" 2>/dev/null
expect "normalise without a file: exit" 64 "$?"

finish
