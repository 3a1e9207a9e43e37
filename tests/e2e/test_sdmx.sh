#!/bin/bash
# End-to-end tests of the SDMX files of a bundle (docs/publication.md, "SDMX"): the structure
# message validated by xmllint against the official SDMX-ML 2.1 schemas (../shared/sdmx/2.1, or
# $SDMX_SCHEMAS; skipped with a message only when they are absent), and the SDMX-CSV 2.0.0 file
# checked against it: every column after STRUCTURE, STRUCTURE_ID and ACTION a component of the
# DSD, every code in its codelist, STRUCTURE_ID the dataflow, OBS_VALUE a number or NaN, and
# TIME_PERIOD the day for stocks and the year for flows. Run on the golden dataset and on a
# 42-area sample with a missing area.
# Run from the repository root with MAPPA_BIN set. Last line: "N passed, N failed".
set -u
BIN=${MAPPA_BIN:?MAPPA_BIN must name the folder of the built programs}
SCHEMAS=${SDMX_SCHEMAS:-../shared/sdmx/2.1}
passed=0 failed=0 skipped=0
work=$(mktemp -d) || exit 70
trap 'rm -rf "$work"' EXIT

ok() { passed=$((passed + 1)); echo "ok   $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; }
skip() { skipped=$((skipped + 1)); echo "SKIP $1"; }
check() { # name, command...
	local name=$1; shift
	if "$@" >"$work/out" 2>&1; then ok "$name"; else fail "$name"; sed 's/^/  | /' "$work/out" | head -20; fi
}

# The values of an XPath over attributes (local names, as xmllint has no namespace option), one a line.
xattrs() { # file, xpath
	xmllint --xpath "$2" "$1" 2>/dev/null | grep -o '="[^"]*"' | sed 's/^="//; s/"$//'
}
# awk prologue: c[NAME] is the number of the column headed NAME; data rows follow.
HEAD='NR == 1 { sub(/\r$/, ""); for (i = 1; i <= NF; i++) c[$i] = i; next } { sub(/\r$/, "") }'
el() { printf "*[local-name()='%s']" "$1"; }

# Checks one extracted bundle folder; $1 a label, $2 the folder.
check_bundle() {
	local label=$1 top=$2 xml=$2/observations-sdmx-structure.xml csv=$2/observations-sdmx.csv
	check "$label: the structure message and the SDMX-CSV file are in the bundle" test -s "$xml" -a -s "$csv"
	if [ -f "$SCHEMAS/SDMXMessage.xsd" ]; then
		check "$label: the structure validates against the SDMX-ML 2.1 schemas" \
			xmllint --noout --nonet --schema "$SCHEMAS/SDMXMessage.xsd" "$xml"
	else
		skip "$label: $SCHEMAS/SDMXMessage.xsd is absent (set SDMX_SCHEMAS): schema validation not run"
	fi
	tr -d '\r' < "$csv" > "$work/data.csv"
	local dsc="//$(el DataStructureComponents)"
	xattrs "$xml" "$dsc/$(el DimensionList)/*/@id | $dsc/$(el MeasureList)/*/@id | $dsc/$(el AttributeList)/*/@id" > "$work/components"
	head -1 "$work/data.csv" | tr ',' '\n' | tail -n +4 > "$work/columns"
	check "$label: the DSD has components" test -s "$work/components"
	check "$label: the first columns are STRUCTURE,STRUCTURE_ID,ACTION" \
		test "$(head -1 "$work/data.csv" | cut -d, -f1-3)" = "STRUCTURE,STRUCTURE_ID,ACTION"
	check "$label: every other column is a component of the DSD, and every component a column" \
		diff <(sort "$work/components") <(sort "$work/columns")
	check "$label: every column once" test -z "$(sort "$work/columns" | uniq -d)"
	# STRUCTURE_ID: the dataflow the structure defines
	local df
	df=$(xmllint --xpath "concat(//$(el Dataflow)/@agencyID, ':', //$(el Dataflow)/@id, '(', //$(el Dataflow)/@version, ')')" "$xml" 2>/dev/null)
	check "$label: every row is for the dataflow $df, action I" \
		awk -F, -v df="$df" 'NR > 1 && ($1 != "dataflow" || $2 != df || $3 != "I") { print NR": "$0; exit 1 }' "$work/data.csv"
	check "$label: every row has every column" \
		awk -F, 'NR == 1 { n = NF } NF != n { print NR": "$0; exit 1 }' "$work/data.csv"
	# every code in its codelist
	local col=3 comp cl missing
	while read -r comp; do
		col=$((col + 1))
		cl=$(xmllint --xpath "string($dsc//*[@id='$comp']/$(el LocalRepresentation)/$(el Enumeration)/Ref/@id)" "$xml" 2>/dev/null)
		[ -n "$cl" ] || continue
		xattrs "$xml" "//$(el Codelist)[@id='$cl']/$(el Code)/@id" | sort -u > "$work/codes"
		missing=$(awk -F, -v c=$col 'NR > 1 && $c != "" { print $c }' "$work/data.csv" | sort -u | comm -23 - "$work/codes")
		check "$label: every $comp code is in $cl" test -z "$missing"
		[ -z "$missing" ] || echo "  | not in $cl: $missing"
	done < "$work/columns"
	check "$label: OBS_VALUE is a whole number or NaN, never empty" \
		awk -F, "$HEAD"' $c["OBS_VALUE"] !~ /^([0-9]+|NaN)$/ { print NR": "$0; exit 1 }' "$work/data.csv"
	check "$label: a withheld figure is NaN with OBS_STATUS Q and CONF_STATUS C" \
		awk -F, "$HEAD"' $c["OBS_VALUE"] == "NaN" && $c["OBS_STATUS"] == "Q" && $c["CONF_STATUS"] == "C" { n++ } END { exit !n }' "$work/data.csv"
	check "$label: eligible (a stock) is dated 31 March, the flows are the year from 1 April" \
		awk -F, "$HEAD"' { m = $c["MEASURE"]; t = $c["TIME_PERIOD"] }
			(m == "eligible" && t != "2023-03-31") || (m == "managedAtLevel23" && t != "2022-04-01/P1Y") { print NR": "$0; exit 1 }' "$work/data.csv"
	# the structure refers only to what it defines
	local refs defined
	refs=$(xattrs "$xml" "//$(el Enumeration)/Ref/@id" | sort -u)
	defined=$(xattrs "$xml" "//$(el Codelist)/@id" | sort -u)
	check "$label: every codelist the DSD uses is defined" test -z "$(comm -23 <(echo "$refs") <(echo "$defined"))"
	refs=$(xattrs "$xml" "//$(el ConceptIdentity)/Ref/@id" | sort -u)
	defined=$(xattrs "$xml" "//$(el ConceptScheme)/$(el Concept)/@id" | sort -u)
	check "$label: every concept the DSD uses is in the concept scheme" test -z "$(comm -23 <(echo "$refs") <(echo "$defined"))"
	check "$label: the agency of every artefact is defined in the agency scheme" \
		test "$(xattrs "$xml" "//$(el Codelist)/@agencyID | //$(el DataStructure)/@agencyID | //$(el Dataflow)/@agencyID | //$(el ConceptScheme)/@agencyID" | sort -u)" = \
		"$(xattrs "$xml" "//$(el AgencyScheme)/$(el Agency)/@id")"
}

if ! command -v xmllint >/dev/null 2>&1; then
	echo "xmllint is missing (apt-get install libxml2-utils)"
	echo "0 passed, 1 failed"
	exit 1
fi

mkdir -p "$work/g" "$work/s"
if "$BIN/mappa-publish" -o "$work/g" tests/golden/publish/input.ds 2>/dev/null &&
	tar xzf "$work/g/mappa-2022-23.tar.gz" -C "$work/g"; then
	check_bundle golden "$work/g/mappa-2022-23"
else
	fail "publish the golden dataset"
fi
if "$BIN/mappa-sample" --areas 42 --seed 5 --missing W15000002 "$work/s42.ds" 2>/dev/null &&
	"$BIN/mappa-publish" -o "$work/s" "$work/s42.ds" 2>/dev/null &&
	tar xzf "$work/s/mappa-2022-23.tar.gz" -C "$work/s"; then
	check_bundle "42 areas" "$work/s/mappa-2022-23"
	check "42 areas: every area and England and Wales is a code of CL_AREA" \
		test "$(xattrs "$work/s/mappa-2022-23/observations-sdmx-structure.xml" "//*[local-name()='Codelist'][@id='CL_AREA']/*[local-name()='Code']/@id" | wc -l)" -eq 43
	check "42 areas: the area without a return is NaN with OBS_STATUS O throughout" \
		awk -F, "$HEAD"' $c["REF_AREA"] != "W15000002" { next } $c["OBS_VALUE"] != "NaN" || $c["OBS_STATUS"] == "A" { exit 1 } $c["OBS_STATUS"] == "O" { o++ } END { exit !o }' "$work/s/mappa-2022-23/observations-sdmx.csv"
else
	fail "publish a 42-area sample"
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
