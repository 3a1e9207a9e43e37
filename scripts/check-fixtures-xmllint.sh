#!/bin/sh
# check-fixtures-xmllint.sh - check the fixture returns against schemas/return.xsd with
# libxml2's own validator, independently of mappa-validate.
#
# usage: scripts/check-fixtures-xmllint.sh [-v]
#
#   - every return under fixtures/valid/ and fixtures/returns/ must validate;
#   - every return under fixtures/invalid/ must be rejected by xmllint, except the fixtures
#     listed in VALIDATOR_ONLY below: their problem is one XSD 1.0 cannot express (or one
#     xmllint does not refuse), so they are checked by mappa-validate only and skipped here;
#   - every fixture under fixtures/valid/ and fixtures/invalid/ has a NAME.expect beside it,
#     whose lines are "LINE RULE" sorted by line (empty for a valid return without warnings),
#     and every invalid fixture's .expect holds at least one error (R..).
#
# xmllint runs with --nonet and never with --noent: an external entity must not be resolved.
# Set XMLLINT to use another xmllint. -v prints xmllint's messages for failures and skips.
#
# Exit status: 0 all checks passed, 1 some check failed, 2 cannot run (no xmllint, no schema).
# The last line of output is "N passed, N failed".

set -u

cd "$(dirname "$0")/.." || exit 2

XMLLINT=${XMLLINT:-xmllint}
SCHEMA=schemas/return.xsd
verbose=0
[ "${1:-}" = "-v" ] && verbose=1

if ! command -v "$XMLLINT" >/dev/null 2>&1; then
	echo "check-fixtures-xmllint: '$XMLLINT' not found (apt-get install libxml2-utils)" >&2
	exit 2
fi
if [ ! -r "$SCHEMA" ]; then
	echo "check-fixtures-xmllint: cannot read '$SCHEMA'" >&2
	exit 2
fi

# Invalid fixtures checked by mappa-validate only (name: rule, why xmllint cannot see it).
VALIDATOR_ONLY='
dtd-network:R02 a DOCTYPE is refused by mappa-validate; xmllint --nonet ignores it
internal-entity:R02 a DOCTYPE is refused by mappa-validate; a harmless internal subset is legal XML
xsi-schemalocation:R04 XSD always allows xsi:* attributes; mappa-validate refuses them
period-reversed:R13 end before start: XSD 1.0 cannot compare two attributes
period-two-years:R13 end not in the year after start: XSD 1.0 cannot compare two attributes
managed-less-than-eligible:R15 comparison between tables
returned-more-than-managed:R16 comparison between tables
foreign-travel-more-than-shpo:R17 comparison between two counts
submitted-before-period-end:R18 comparison between two dates
utf16-no-bom:R01 UTF-16 without a BOM: the input gate refuses what libxml2 guesses
utf16-no-bom-declared:R01 UTF-16 without a BOM: the input gate refuses what libxml2 guesses
utf16-bom-declared-utf8:R01 the BOM and the declaration disagree: libxml2 follows the BOM
utf32-no-bom:R01 UTF-32 is not a documented encoding; libxml2 reads it
ucs4-declared:R01 UCS-4 is not a documented encoding; libxml2 reads it
utf7-encoded:R01 UTF-7 hides every tag from a reader; libxml2 decodes it
ibm037-declared:R01 EBCDIC is not a documented encoding; libxml2 decodes it
nul-then-junk:R01 libxml2 stops reading at a NUL and accepts what came before
nul-then-second-return:R01 libxml2 stops reading at a NUL and accepts what came before
nul-in-trailing-space:R01 libxml2 stops reading at a NUL and accepts what came before
too-many-namespaces:R01 a cap on namespace declarations (libxml2 has none)
'
# R03 (file over 1 MiB) has no committed fixture: tests generate it, and xmllint has no size cap.

passed=0
failed=0
skipped=0
tmp=$(mktemp) || exit 2
trap 'rm -f "$tmp"' EXIT INT TERM

pass() { passed=$((passed + 1)); }
fail() {
	failed=$((failed + 1))
	echo "FAIL $1: $2"
	[ "$verbose" = 1 ] && sed 's/^/    /' "$tmp"
}

run_xmllint() {
	"$XMLLINT" --noout --nonet --schema "$SCHEMA" "$1" >"$tmp" 2>&1
}

# check_expect FILE KIND: the .expect beside FILE exists and is well formed.
check_expect() {
	exp=${1%.xml}.expect
	if [ ! -f "$exp" ]; then
		fail "$1" "no $(basename "$exp")"
		return
	fi
	if grep -qvE '^[0-9]+ [RW][0-9][0-9]$' "$exp"; then
		fail "$exp" "a line is not 'LINE RULE'"
		return
	fi
	if ! sort -n -k1,1 -c "$exp" 2>/dev/null; then
		fail "$exp" "lines not sorted by line number"
		return
	fi
	if [ "$2" = invalid ] && ! grep -q ' R' "$exp"; then
		fail "$exp" "an invalid fixture must expect at least one error"
		return
	fi
	if [ "$2" = valid ] && grep -q ' R' "$exp"; then
		fail "$exp" "a valid fixture cannot expect an error"
		return
	fi
	pass
}

for f in fixtures/valid/*.xml fixtures/returns/*/*.xml; do
	[ -f "$f" ] || continue
	if run_xmllint "$f"; then
		pass
	else
		fail "$f" "valid fixture rejected by xmllint"
	fi
	case $f in fixtures/valid/*) check_expect "$f" valid ;; esac
done

for exp in fixtures/valid/*.expect fixtures/invalid/*.expect; do
	[ -f "$exp" ] || continue
	[ -f "${exp%.expect}.xml" ] || fail "$exp" "no $(basename "${exp%.expect}").xml beside it"
done

for f in fixtures/invalid/*.xml; do
	[ -f "$f" ] || continue
	name=$(basename "$f" .xml)
	check_expect "$f" invalid
	why=$(printf '%s\n' "$VALIDATOR_ONLY" | sed -n "s/^$name://p")
	if [ -n "$why" ]; then
		skipped=$((skipped + 1))
		echo "skip $f: checked by mappa-validate only ($why)"
		if [ "$verbose" = 1 ]; then
			run_xmllint "$f"
			sed 's/^/    /' "$tmp"
		fi
		continue
	fi
	if run_xmllint "$f"; then
		fail "$f" "invalid fixture accepted by xmllint"
	elif grep -q 'root:.*:0:0:' "$tmp"; then
		fail "$f" "xmllint output shows a resolved external entity"
	else
		pass
	fi
done

echo "$skipped skipped (checked by mappa-validate only)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
