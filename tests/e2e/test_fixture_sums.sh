#!/bin/bash
# Independent check of the fixture returns (fixtures/returns/2022-23/*.xml) against the
# published figures, with xmllint --xpath and awk only (not the project's C library):
#  - 42 files, 42 distinct area codes, equal to the codes of reference/areas.xml, each file
#    named after its code;
#  - the eligible counts of all 42 returns, categories 1-4, add up to 91,040 (the published
#    national total for 31 March 2023);
#  - London (E23000001) carries the figures of its published 2022/23 report;
#  - every return keeps the rules: counts are plain non-negative integers below 10,000,000,
#    every cell exactly once, no category 3 at level 1, managedAtLevel23 >= eligible and
#    returnedToCustody <= managedAtLevel23 at levels 2-3, shpoForeignTravel <= shpo;
#  - schemas: reference/areas.xml against schemas/reference.xsd, and the returns against
#    schemas/return.xsd when that file exists.
# Run from the repository root. Exit 0 when every check passes, 1 otherwise; the last line of
# output is "N passed, N failed".
set -u

DIR=fixtures/returns/2022-23
REF=reference/areas.xml
NATIONAL_ELIGIBLE=91040
LONDON=E23000001

passed=0
failed=0
ok()  { passed=$((passed + 1)); printf 'ok - %s\n' "$1"; }
nok() { failed=$((failed + 1)); printf 'not ok - %s\n' "$1"; }
finish() { printf '%d passed, %d failed\n' "$passed" "$failed"; [ "$failed" -eq 0 ] && exit 0; exit 1; }

# expect DESCRIPTION EXPECTED ACTUAL
expect() {
	if [ "$2" = "$3" ]; then ok "$1 ($3)"; else nok "$1: expected '$2', got '$3'"; fi
}

# xp FILE XPATH: the string value of an XPath 1.0 expression (namespace-agnostic queries).
xp() { xmllint --xpath "$2" "$1" 2>/dev/null; }

# el NAME: an XPath step matching an element by local name.
el() { printf "*[local-name()='%s']" "$1"; }

# cnt FILE TABLE CATEGORY LEVEL: a count of a table (CATEGORY empty for shpoBreach).
cnt() {
	local sel="@level='$4'"
	[ -n "$3" ] && sel="@category='$3' and $sel"
	xp "$1" "string(/$(el return)/$(el "$2")/$(el count)[$sel])"
}

# sumof FILE XPATH-of-nodes: sum of the nodes' values.
sumof() { xp "$1" "sum($2)"; }

if ! command -v xmllint >/dev/null 2>&1; then
	nok "xmllint is installed (apt-get install libxml2-utils)"
	finish
fi
if [ ! -d "$DIR" ] || [ ! -f "$REF" ]; then
	nok "run from the repository root: $DIR and $REF exist"
	finish
fi

# --- files and codes -------------------------------------------------------------------------
files=("$DIR"/*.xml)
[ -e "${files[0]}" ] || files=()
expect "number of fixture files" 42 "${#files[@]}"

ref_codes=$(xp "$REF" "//$(el reference)/$(el area)/@code" | sed -n 's/.*code="\([^"]*\)".*/\1/p' | sort)
expect "reference codes" 42 "$(printf '%s\n' "$ref_codes" | grep -c .)"

codes=""
misnamed=""
for f in "${files[@]}"; do
	c=$(xp "$f" "string(/$(el return)/$(el area)/@code)")
	codes+="$c"$'\n'
	[ "$(basename "$f" .xml)" = "$c" ] || misnamed+=" $f($c)"
done
codes=$(printf '%s' "$codes" | sort)
expect "distinct area codes in the fixtures" 42 "$(printf '%s\n' "$codes" | sort -u | grep -c .)"
if [ "$codes" = "$ref_codes" ]; then
	ok "fixture codes equal the reference codes"
else
	nok "fixture codes differ from the reference codes: $(diff <(printf '%s\n' "$ref_codes") <(printf '%s\n' "$codes") | grep '^[<>]' | tr '\n' ' ')"
fi
expect "every file is named after its area code" "" "$misnamed"

# --- national eligible total -----------------------------------------------------------------
total=0
bad=""
for f in "${files[@]}"; do
	s=$(sumof "$f" "/$(el return)/$(el eligible)/$(el count)")
	if [[ "$s" =~ ^[0-9]+$ ]]; then total=$((total + s)); else bad+=" $f"; fi
done
expect "eligible sums are integers in every file" "" "$bad"
expect "national eligible total, categories 1-4" "$NATIONAL_ELIGIBLE" "$total"

# --- London: the figures of its published report ---------------------------------------------
L="$DIR/$LONDON.xml"
if [ ! -f "$L" ]; then
	nok "London's return $L exists"
else
	E="/$(el return)/$(el eligible)/$(el count)"
	M="/$(el return)/$(el managedAtLevel23)/$(el count)"
	R="/$(el return)/$(el returnedToCustody)/$(el count)"
	expect "London eligible category 1 total" 6901 "$(sumof "$L" "$E[@category='1']")"
	expect "London eligible category 2 total" 3669 "$(sumof "$L" "$E[@category='2']")"
	expect "London eligible category 3 total" 51 "$(sumof "$L" "$E[@category='3']")"
	expect "London eligible total, categories 1-3" 10621 "$(sumof "$L" "$E[@category!='4']")"
	expect "London eligible level 1, categories 1-3" 10479 "$(sumof "$L" "$E[@category!='4' and @level='1']")"
	expect "London eligible level 2, categories 1-3" 120 "$(sumof "$L" "$E[@category!='4' and @level='2']")"
	expect "London eligible level 3, categories 1-3" 22 "$(sumof "$L" "$E[@category!='4' and @level='3']")"
	seed_cells="1 1 6867
1 2 31
1 3 3
2 1 3612
2 2 49
2 3 8
3 2 40
3 3 11"
	got=""
	while read -r c l v; do
		[ "$(cnt "$L" eligible "$c" "$l")" = "$v" ] || got+=" c$c/l$l"
	done <<<"$seed_cells"
	expect "London eligible cells equal the seed's" "" "$got"
	expect "London managedAtLevel23 total, categories 1-3" 767 "$(sumof "$L" "$M[@category!='4']")"
	expect "London managedAtLevel23 category totals" "197 328 242" \
		"$(sumof "$L" "$M[@category='1']") $(sumof "$L" "$M[@category='2']") $(sumof "$L" "$M[@category='3']")"
	expect "London managedAtLevel23 level totals" "697 70" \
		"$(sumof "$L" "$M[@category!='4' and @level='2']") $(sumof "$L" "$M[@category!='4' and @level='3']")"
	expect "London returnedToCustody category totals" "15 16 34" \
		"$(sumof "$L" "$R[@category='1']") $(sumof "$L" "$R[@category='2']") $(sumof "$L" "$R[@category='3']")"
	expect "London returnedToCustody level totals" "48 17" \
		"$(sumof "$L" "$R[@category!='4' and @level='2']") $(sumof "$L" "$R[@category!='4' and @level='3']")"
	expect "London shpoBreach levels 2, 3" "0 0" "$(cnt "$L" shpoBreach "" 2) $(cnt "$L" shpoBreach "" 3)"
	singles=""
	for s in notificationBreach notificationRevoked shpo shpoForeignTravel notificationOrder sroBreach; do
		singles+="$(xp "$L" "string(/$(el return)/$(el "$s"))") "
	done
	expect "London single counts (breach, revoked, SHPO, foreign travel, NO, SRO)" "158 64 548 0 7 9 " "$singles"
fi

# --- the rules, in every return ----------------------------------------------------------------
# One line per value: "table category level value" (category and level "-" where absent).
cells_of() {
	local f=$1 t s
	for t in eligible managedAtLevel23 returnedToCustody shpoBreach; do
		xp "$f" "/$(el return)/$(el "$t")/$(el count)" | awk -v t="$t" '
			/<count/ {
				c = "-"; l = "-"; v = $0
				if (match($0, /category="[^"]*"/)) c = substr($0, RSTART + 10, RLENGTH - 11)
				if (match($0, /level="[^"]*"/)) l = substr($0, RSTART + 7, RLENGTH - 8)
				sub(/^[^>]*>/, "", v); sub(/<.*$/, "", v)
				print t, c, l, v
			}'
	done
	for s in notificationBreach notificationRevoked shpo shpoForeignTravel notificationOrder sroBreach; do
		echo "$s - - $(xp "$f" "string(/$(el return)/$(el "$s"))")"
	done
}

rule_errors=""
for f in "${files[@]}"; do
	errs=$(cells_of "$f" | awk -v f="$f" '
		{
			k = $1 " " $2 " " $3
			n[k]++; v[k] = $4
			if ($4 !~ /^[0-9]+$/ || length($4) > 7) print f ": " k ": not a count below 10,000,000: " $4
		}
		END {
			for (c = 1; c <= 4; c++) for (l = 1; l <= 3; l++) {
				k = "eligible " c " " l
				want = (c == 3 && l == 1) ? 0 : 1
				if (n[k] + 0 != want) print f ": " k ": " n[k] + 0 " cells, expected " want
				if (l == 1) continue
				m = "managedAtLevel23 " c " " l; r = "returnedToCustody " c " " l
				if (n[m] + 0 != 1) print f ": " m ": " n[m] + 0 " cells, expected 1"
				if (n[r] + 0 != 1) print f ": " r ": " n[r] + 0 " cells, expected 1"
				if (v[m] + 0 < v[k] + 0) print f ": " m " (" v[m] ") < eligible (" v[k] ")"
				if (v[r] + 0 > v[m] + 0) print f ": " r " (" v[r] ") > managedAtLevel23 (" v[m] ")"
			}
			for (l = 2; l <= 3; l++) if (n["shpoBreach - " l] + 0 != 1) print f ": shpoBreach level " l " missing or repeated"
			if (v["shpoForeignTravel - -"] + 0 > v["shpo - -"] + 0) print f ": shpoForeignTravel > shpo"
		}')
	[ -n "$errs" ] && rule_errors+="$errs"$'\n'
done
if [ -z "$rule_errors" ]; then
	ok "every return keeps the rules (cells, ranges, managed >= eligible, returned <= managed, foreign travel <= SHPO)"
else
	nok "rule violations:"$'\n'"$rule_errors"
fi

# --- schemas -----------------------------------------------------------------------------------
if [ -f schemas/reference.xsd ] && xmllint --noout --schema schemas/reference.xsd "$REF" 2>/dev/null; then
	ok "$REF is valid against schemas/reference.xsd"
else
	nok "$REF is valid against schemas/reference.xsd"
fi
if [ -f schemas/return.xsd ]; then
	if xmllint --noout --schema schemas/return.xsd "${files[@]}" 2>/dev/null; then
		ok "the 42 returns are valid against schemas/return.xsd"
	else
		nok "the 42 returns are valid against schemas/return.xsd"
	fi
elif xmllint --noout "${files[@]}" 2>/dev/null; then
	ok "the 42 returns are well-formed (schemas/return.xsd not found)"
else
	nok "the 42 returns are well-formed"
fi

finish
