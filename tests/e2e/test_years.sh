#!/bin/bash
# End to end: the fixture returns of every period (fixtures/returns/PERIOD/) and the
# year-on-year checks of mappa-validate --previous (docs/rules.md, rules Y01-Y03).
#  - every period folder holds 42 returns named after their area codes, each for that period,
#    valid for mappa-validate (no diagnostic at all) and for xmllint --schema;
#  - the eligible counts of each period add up to its national total (xmllint sums, not the
#    project's library);
#  - scripts/gen-returns.py is deterministic: every period regenerated gives the same bytes.
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

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
