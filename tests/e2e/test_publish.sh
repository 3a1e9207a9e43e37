#!/bin/bash
# End-to-end tests of mappa-publish: the bundle read back by tar, bsdtar and unzip, its
# manifest checked by sha256sum, two builds byte-identical, the ODS recognised by file(1) and
# (when LibreOffice is installed) converted back to CSV equal to the CSV tables, golden files
# for every published text file of a small fixed dataset, refusal of unpublishable datasets
# and atomic replacement (a failed write leaves the folder as it was).
# Run from the repository root with MAPPA_BIN set. Last line: "N passed, N failed".
set -u
BIN=${MAPPA_BIN:?MAPPA_BIN must name the folder of the built programs}
GOLDEN=tests/golden/publish
passed=0 failed=0 skipped=0
work=$(mktemp -d) || exit 70
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

ok() { passed=$((passed + 1)); echo "ok   $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; }
skip() { skipped=$((skipped + 1)); echo "SKIP $1"; }
check() { # name, command...
	local name=$1; shift
	if "$@" >"$work/out" 2>&1; then ok "$name"; else fail "$name"; sed 's/^/  | /' "$work/out" | head -20; fi
}

publish() { "$BIN/mappa-publish" "$@"; }
need() { # tool, Debian package: check it is there (installing it when root), or skip checks
	command -v "$1" >/dev/null 2>&1 && return 0
	sh scripts/ensure-deps.sh "$2" >/dev/null 2>&1
	command -v "$1" >/dev/null 2>&1 && return 0
	skip "$1 is missing (apt-get install $2): its checks are not run"
	return 1
}
have_bsdtar=0 have_unzip=0 have_file=0
need bsdtar libarchive-tools && have_bsdtar=1
need unzip unzip && need zipinfo unzip && have_unzip=1
need file file && have_file=1

# --- a 3-area dataset, tar.gz ---
"$BIN/mappa-sample" --areas 3 --seed 11 "$work/s3.ds" || { echo "0 passed, 1 failed"; exit 1; }
mkdir -p "$work/a" "$work/b" "$work/z"
check "publish writes a tar.gz" publish -o "$work/a" "$work/s3.ds"
tgz=$work/a/mappa-2022-23.tar.gz
check "the bundle exists" test -s "$tgz"
check "no temporary file is left" test -z "$(find "$work/a" -name '.*tmp*')"
check "tar lists it" tar tzf "$tgz"
[ $have_bsdtar = 1 ] && check "bsdtar lists it" bsdtar tf "$tgz"
check "one top folder mappa-2022-23/" test "$(tar tzf "$tgz" | cut -d/ -f1 | sort -u)" = "mappa-2022-23"
check "no absolute or .. entry names" test -z "$(tar tzf "$tgz" | grep -E '^/|(^|/)\.\.(/|$)')"
check "entries are sorted" bash -c "tar tzf '$tgz' > '$work/names' && LC_ALL=C sort -c '$work/names'"
check "owner root, fixed time 2023-04-01" bash -c "tar tvzf '$tgz' --utc | awk '{ if (\$2 != \"root/root\" || \$4 != \"2023-04-01\") exit 1 }'"
check "modes 0644 and 0755" bash -c "tar tvzf '$tgz' | awk '{ if (\$1 != \"-rw-r--r--\" && \$1 != \"drwxr-xr-x\") exit 1 }'"
check "gzip header has no name and no time" bash -c "od -An -tx1 -N8 '$tgz' | grep -q '^ 1f 8b 08 00 00 00 00 00'"
# the gzip stream ends the file (QA: padded to 10,240 bytes after it, gzip -t exited 2 on
# "trailing zero bytes", which a publisher's integrity check counts as damage)
check "gzip -t passes, nothing after the gzip stream" bash -c "gzip -t '$tgz' 2>'$work/gz.err' && [ ! -s '$work/gz.err' ]"
mkdir -p "$work/x"
tar xzf "$tgz" -C "$work/x"
top=$work/x/mappa-2022-23
check "sha256sum -c MANIFEST.sha256 inside the folder" bash -c "cd '$top' && sha256sum -c --quiet MANIFEST.sha256"
check "the manifest covers every other file" bash -c "cd '$top' && diff <(find . -type f ! -name MANIFEST.sha256 | sed 's|^\./||' | LC_ALL=C sort) <(awk '{print \$2}' MANIFEST.sha256)"
[ $have_file = 1 ] && check "file calls the workbook OpenDocument Spreadsheet" bash -c "file '$top/mappa-2022-23.ods' | grep -q 'OpenDocument Spreadsheet'"
[ $have_unzip = 1 ] && check "the workbook's mimetype is first, stored, no extra field" bash -c "
	zipinfo -v '$top/mappa-2022-23.ods' > '$work/zi' &&
	awk '/^Central directory entry #1:/{f=1} f&&/^  mimetype$/{m=1} m&&/compression method:/{c=\$0} m&&/length of extra field:/{e=\$0; exit} END{ if (c !~ /none \\(stored\\)/ || e !~ / 0 bytes/) exit 1 }' '$work/zi' &&
	test \"\$(unzip -Z1 '$top/mappa-2022-23.ods' | head -1)\" = mimetype &&
	test \"\$(dd if='$top/mappa-2022-23.ods' bs=1 skip=30 count=8 2>/dev/null)\" = mimetype &&
	test \"\$(od -An -tu2 -j6 -N2 '$top/mappa-2022-23.ods' | tr -d ' ')\" = 0 &&
	test \"\$(od -An -tu2 -j28 -N2 '$top/mappa-2022-23.ods' | tr -d ' ')\" = 0"
check "observations.csv has exactly the public columns" bash -c "head -1 '$top/observations.csv' | grep -qx \$'period,area_code,area_name,table,category,level,value,status\\r'"
check "every CSV line ends in CRLF" bash -c "for f in '$top'/*.csv '$top'/tables/*.csv; do if grep -qv \$'\\r\$' \"\$f\"; then echo \"\$f\"; exit 1; fi; done"
check "value empty exactly when status holds a symbol" bash -c "tr -d '\\r' < '$top/observations.csv' | awk -F, 'NR>1 { if ((\$7 == \"\") != (\$8 != \"\")) exit 1; if (\$8 != \"\" && \$8 !~ /^\\[[czx]\\]\$/) exit 1 }'"
check "no area total over categories 1-4, no national 1-3 total" bash -c "tr -d '\\r' < '$top/observations.csv' | awk -F, 'NR>1 { if (\$2 != \"K04000001\" && \$5 == \"all\") exit 1; if (\$2 == \"K04000001\" && \$5 == \"1-3\") exit 1 }'"
check "no area category 4 value" bash -c "tr -d '\\r' < '$top/observations.csv' | awk -F, 'NR>1 && \$2 != \"K04000001\" && \$5 == \"4\" { if (\$7 != \"\" || \$8 != \"[c]\") exit 1 }'"
check "SDMX-CSV 2.0.0 has its columns" bash -c "head -1 '$top/observations-sdmx.csv' | grep -qx \$'STRUCTURE,STRUCTURE_ID,ACTION,FREQ,REF_AREA,MEASURE,CATEGORY,LEVEL,TIME_PERIOD,OBS_VALUE,OBS_STATUS,CONF_STATUS,UNIT_MEASURE,UNIT_MULT\\r'"
check "the SDMX structure message is in the bundle" test -s "$top/observations-sdmx-structure.xml"
check "one HTML and one text page per area" test "$(ls "$top/areas" | wc -l)" -eq 6
check "every page is well-formed (written through libxml2: XML reads it)" bash -c "xmllint --noout --nonet '$top'/index.html '$top'/areas/*.html"
check "HTML pages declare their language" bash -c "grep -L 'lang=\"en\"' '$top'/index.html '$top'/areas/*.html | grep -q . && exit 1 || exit 0"

# --- determinism ---
check "a second build" publish -o "$work/b" "$work/s3.ds"
check "two builds are byte-identical (tar.gz)" cmp "$tgz" "$work/b/mappa-2022-23.tar.gz"
check "a build in another time zone is identical" bash -c "TZ=Pacific/Kiritimati '$BIN/mappa-publish' -o '$work/z' '$work/s3.ds' 2>/dev/null && cmp '$tgz' '$work/z/mappa-2022-23.tar.gz'"

# --- zip ---
check "publish writes a zip" publish --format=zip -o "$work/a" "$work/s3.ds"
zip=$work/a/mappa-2022-23.zip
if [ $have_unzip = 1 ]; then
check "unzip -t accepts it" unzip -tq "$zip"
check "zip and tar.gz hold the same files" bash -c "diff <(unzip -Z1 '$zip' | sed 's|/\$||') <(tar tzf '$tgz' | sed 's|/\$||')"
mkdir -p "$work/zx" && unzip -q "$zip" -d "$work/zx"
check "sha256sum -c inside the zip's folder" bash -c "cd '$work/zx/mappa-2022-23' && sha256sum -c --quiet MANIFEST.sha256"
fi
[ $have_bsdtar = 1 ] && check "bsdtar lists the zip" bsdtar tf "$zip"
check "two zip builds are byte-identical" bash -c "'$BIN/mappa-publish' --format=zip -o '$work/b' '$work/s3.ds' 2>/dev/null && TZ=America/New_York '$BIN/mappa-publish' --format=zip -o '$work/z' '$work/s3.ds' 2>/dev/null && cmp '$zip' '$work/b/mappa-2022-23.zip' && cmp '$zip' '$work/z/mappa-2022-23.zip'"

# --- LibreOffice reads the workbook back as the CSV tables ---
if command -v libreoffice >/dev/null 2>&1; then
	# all 42 areas, so that the longest names (Greater Manchester, Devon and Cornwall) are in it
	"$BIN/mappa-sample" --areas 42 --seed 5 "$work/lo42.ds" && mkdir -p "$work/p42" &&
		publish -o "$work/p42" "$work/lo42.ds" 2>/dev/null && tar xzf "$work/p42/mappa-2022-23.tar.gz" -C "$work/p42"
	lotop=$work/p42/mappa-2022-23
	mkdir -p "$work/lo"
	if HOME="$work/lohome" timeout 120 libreoffice --headless \
		--convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1' \
		--outdir "$work/lo" "$lotop/mappa-2022-23.ods" >"$work/lo.log" 2>&1; then
		bad=""
		for f in "$lotop"/tables/*.csv; do
			base=$(basename "$f" .csv)
			kind=${base%%-*} stat=${base#*-}
			sheet=$work/lo/mappa-2022-23-$([ "$kind" = national ] && echo National || echo Areas)_$stat.csv
			first=$(head -1 "$f" | tr -d '\r')
			# the sheet's headings carry note markers, the CSV files none
			sed -i 's/ \[note [0-9]*\]//g' "$sheet"
			if [ ! -f "$sheet" ]; then bad="$bad $base(no sheet)"; continue; fi
			start=$(grep -n -x -F -- "$first" "$sheet" | head -1 | cut -d: -f1)
			if [ -z "$start" ] || ! diff <(tr -d '\r' < "$f") <(tail -n +"$start" "$sheet") >/dev/null; then
				bad="$bad $base"
			fi
		done
		if [ -z "$bad" ]; then ok "LibreOffice converts every table sheet back to its CSV"; else fail "LibreOffice sheets differ from CSV:$bad"; fi
		if head -1 "$work/lo/mappa-2022-23-Cover.csv" | grep -q 'MAPPA'; then ok "the first sheet is the cover"; else fail "the first sheet is the cover"; fi
	else
		fail "LibreOffice could not convert the workbook"; sed 's/^/  | /' "$work/lo.log" | tail -5
	fi
	# what LibreOffice kept of the table markup, read back from its own flat ODF
	if HOME="$work/lohome" timeout 120 libreoffice --headless --convert-to fods \
		--outdir "$work/lo" "$lotop/mappa-2022-23.ods" >"$work/lo.log" 2>&1; then
		fods=$work/lo/mappa-2022-23.fods
		nsheets=$(ls "$lotop"/tables/*.csv | wc -l)
		check "LibreOffice keeps a header row per table" test "$(grep -o '<table:table-header-rows>' "$fods" | wc -l)" -eq $((nsheets + 2))
		check "LibreOffice keeps a named range per table" test "$(grep -o '<table:named-range ' "$fods" | wc -l)" -eq $((nsheets + 2))
		check "the contents link to every table sheet" test "$(grep -o 'xlink:href="#\(National\|Areas\)_[A-Za-z0-9]*\.A1"' "$fods" | sort -u | wc -l)" -eq "$nsheets"
		# the page size, and no area name cut off: column B of an areas sheet is at least as
		# wide as its longest name (0.18 cm a character of 11 pt Arial)
		check "the sheets print on A4 portrait" python3 - "$fods" <<'PY'
import re, sys
x = open(sys.argv[1], encoding='utf-8').read()
m = re.search(r'<style:page-layout-properties[^>]*fo:page-width="([0-9.]+)(cm|in)"[^>]*fo:page-height="([0-9.]+)(cm|in)"', x)
cm = lambda v, u: float(v) * (2.54 if u == 'in' else 1)
sys.exit(0 if m and abs(cm(m[1], m[2]) - 21) < 0.05 and abs(cm(m[3], m[4]) - 29.7) < 0.05 else 1)
PY
		check "area names fit their column" python3 - "$fods" <<'PY'
import re, sys
x = open(sys.argv[1], encoding='utf-8').read()
widths = {}
for m in re.finditer(r'<style:style style:name="(co[0-9_]+)" style:family="table-column">\s*<style:table-column-properties[^>]*style:column-width="([0-9.]+)(cm|in)"', x):
    widths[m[1]] = float(m[2]) * (2.54 if m[3] == 'in' else 1)
t = x[x.index('table:name="Areas_eligible"'):]
t = t[:t.index('</table:table>')]
cols = []
for m in re.finditer(r'<table:table-column table:style-name="(co[0-9_]+)"(?: table:number-columns-repeated="([0-9]+)")?', t):
    cols += [m[1]] * int(m[2] or 1)
rows = re.findall(r'<table:table-row.*?</table:table-row>', t, re.S)
names = []
for r in rows:
    cells = re.findall(r'<text:p>(.*?)</text:p>', r)
    if len(cells) > 2 and re.fullmatch(r'[EW]\d{8}', cells[0]):
        names.append(cells[1])
ok = names and widths.get(cols[1], 0) >= 0.18 * max(len(n) for n in names)
sys.exit(0 if ok else 1)
PY
	else
		fail "LibreOffice could not convert the workbook to flat ODF"; sed 's/^/  | /' "$work/lo.log" | tail -5
	fi
else
	skip "LibreOffice is not installed (apt-get install libreoffice-calc-nogui): workbook not read back"
fi

# --- Welsh pages: the four Welsh areas also in Welsh, each page linking to the other ---
"$BIN/mappa-sample" --areas 42 --seed 5 "$work/cy42.ds" && mkdir -p "$work/cy" &&
	publish -o "$work/cy" "$work/cy42.ds" 2>/dev/null && tar xzf "$work/cy/mappa-2022-23.tar.gz" -C "$work/cy"
cytop=$work/cy/mappa-2022-23
welsh_pages() { # every check on the Welsh pages; prints what is wrong
	local n=0 code slug en cy
	for code in W15000001 W15000002 W15000003 W15000004; do
		en=$(ls "$cytop/areas/$code"-*.html 2>/dev/null | grep -v '\.cy\.html$')
		cy=${en%.html}.cy.html
		[ -f "$en" ] && [ -f "$cy" ] || { echo "$code: no English and Welsh page"; continue; }
		grep -q '<html lang="cy">' "$cy" || echo "$code: the Welsh page is not lang=cy"
		grep -q '<html lang="en">' "$en" || echo "$code: the English page is not lang=en"
		grep -q "<link rel=\"alternate\" hreflang=\"cy\" href=\"$(basename "$cy")\"/>" "$en" || echo "$code: English page without its Welsh alternate"
		grep -q "<link rel=\"alternate\" hreflang=\"en\" href=\"$(basename "$en")\"/>" "$cy" || echo "$code: Welsh page without its English alternate"
		grep -q "href=\"$(basename "$cy")\" hreflang=\"cy\" lang=\"cy\">Cymraeg</a>" "$en" || echo "$code: no visible link to Welsh"
		grep -q "href=\"$(basename "$en")\" hreflang=\"en\" lang=\"en\">English</a>" "$cy" || echo "$code: no visible link to English"
		grep -q "href=\"areas/$(basename "$cy")\" hreflang=\"cy\"" "$cytop/index.html" || echo "$code: the summary does not link the Welsh page"
		# the labels from schemas/definitions.xml (xml:lang="cy") and the prose from the table
		grep -q "<caption id=\"table1\">Unigolion sy&#39;n gymwys\|<caption id=\"table1\">Unigolion sy'n gymwys ar gyfer MAPPA ar 31 Mawrth 2023" "$cy" || echo "$code: Welsh table title missing"
		grep -q '<th scope="col">Lefel</th>' "$cy" && grep -q '>Cyfanswm<' "$cy" && grep -q 'Categori 1' "$cy" || echo "$code: Welsh table labels missing"
		grep -q 'Dyddiad cyhoeddi</dt><dd>26 Hydref 2023' "$cy" || echo "$code: Welsh release line missing"
		grep -q 'Trefniadau Amlasiantaethol Diogelu' "$cy" || echo "$code: no Welsh name of MAPPA"
		# no English prose left on the Welsh page (the configured names and addresses aside)
		grep -E -q 'Figures for Category|Release date|What the symbols mean|>Level [0-9]<|>Total<|The rate is' "$cy" && echo "$code: English text on the Welsh page"
		# the text section in Welsh too, saying what the English one says
		cytxt=${en%.html}.cy.txt
		if [ -f "$cytxt" ]; then
			grep -q '^Ystadegau MAPPA: ' "$cytxt" || echo "$code: Welsh text without its Welsh title"
			grep -q '^Dyddiad cyhoeddi: 26 Hydref 2023$' "$cytxt" || echo "$code: Welsh text without the release date in Welsh"
			grep -q "^Unigolion sy'n gymwys ar gyfer MAPPA ar 31 Mawrth 2023$" "$cytxt" || echo "$code: Welsh text without the Welsh table title"
			grep -q '^Lefel  *Categori 1  *Categori 2  *Categori 3  *Cyfanswm$' "$cytxt" || echo "$code: Welsh text without Welsh column labels"
			grep -q 'Nid yw ffigurau Categori 4' "$cytxt" || echo "$code: Welsh text without the Category 4 sentence"
			grep -q '^Y gyfradd yw nifer' "$cytxt" || echo "$code: Welsh text without the population note"
			test "$(grep -c '^Lefel [13] ' "$cytxt")" -eq "$(grep -c '^Level [13] ' "${en%.html}.txt")" || echo "$code: Welsh and English text differ in rows"
			grep -E -q 'Figures for Category|Release date|^Symbols$|^Level [0-9]|The rate is|^Published ' "$cytxt" && echo "$code: English text in the Welsh text section"
		else
			echo "$code: no Welsh text section"
		fi
		n=$((n + 1))
	done
	grep -q '^Cymraeg$' "$cytop/README.txt" && grep -q "^Mae'r bwndel hwn yn cynnwys" "$cytop/README.txt" || echo "README.txt has no Welsh section"
	grep -q '<p lang="cy">Mae.r bwndel hwn yn cynnwys.*(Gogledd Cymru, Gwent, De Cymru, Dyfed-Powys)' "$cytop/index.html" || echo "the summary has no Welsh paragraph naming the Welsh areas"
	test "$(ls "$cytop"/areas/*.cy.txt | wc -l)" -eq 4 || echo "not exactly 4 Welsh text sections"
	grep -q '<title>Ystadegau MAPPA: Gogledd Cymru, 2022/23</title>' "$cytop/areas/W15000001-north-wales.cy.html" || echo "North Wales has not its Welsh name"
	grep -q '<title>Ystadegau MAPPA: De Cymru, 2022/23</title>' "$cytop/areas/W15000003-south-wales.cy.html" || echo "South Wales has not its Welsh name"
	test "$(ls "$cytop"/areas/*.cy.html | wc -l)" -eq 4 || echo "not exactly 4 Welsh pages"
	test "$n" -eq 4 || echo "only $n Welsh areas checked"
}
welsh_pages > "$work/welsh" 2>&1
check "the 4 Welsh areas have Welsh pages (lang=cy, Welsh labels and prose) linked both ways with hreflang, Welsh text sections, a Welsh README section and summary paragraph" test ! -s "$work/welsh"
[ -s "$work/welsh" ] && sed 's/^/  | /' "$work/welsh" | head -20

# --- release metadata from a publication file (--release), options over it; the same everywhere ---
cat > "$work/release.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<release xmlns="urn:mappa:release:1" version="1">
  <date>2023-10-19</date>
  <next>2024-10</next>
  <producer>Test Producer Unit</producer>
  <contact name="Test Contact Team" email="stats@example.net" phone="0161 496 0000"/>
  <methodology>https://example.net/method</methodology>
  <licence>Open Government Licence v3.0</licence>
</release>
XML
check "the example publication file is valid" xmllint --noout --schema schemas/release.xsd docs/examples/release.xml
mkdir -p "$work/relf"
check "publish --release FILE, with --phone over the file" publish --release "$work/release.xml" --phone "029 2018 0000" -o "$work/relf" "$work/cy42.ds"
tar xzf "$work/relf/mappa-2022-23.tar.gz" -C "$work/relf" 2>/dev/null
reltop=$work/relf/mappa-2022-23
release_everywhere() { # prints each file that misses a piece of the release metadata
	local f date licence
	[ $have_unzip = 1 ] && unzip -p "$reltop/mappa-2022-23.ods" content.xml > "$work/cover.xml"
	for f in "$reltop/README.txt" "$work/cover.xml" "$reltop/index.html" "$reltop"/areas/*; do
		[ -f "$f" ] || continue
		date="19 October 2023" next="October 2024" licence="Open Government Licence v3.0"
		case $f in *.cy.html|*.cy.txt) date="19 Hydref 2023" next="Hydref 2024" licence="Trwydded Llywodraeth Agored v3.0" ;; esac
		for want in "$date" "$next" "Test Producer Unit" "Test Contact Team" "stats@example.net" \
			"029 2018 0000" "https://example.net/method" "$licence"; do
			grep -q -F "$want" "$f" || echo "$(basename "$f") lacks '$want'"
		done
		grep -q -F "0161 496 0000" "$f" && echo "$(basename "$f") has the file's phone, not the option's"
	done
}
release_everywhere > "$work/relcheck" 2>&1
check "README.txt, the cover sheet and every page carry the same release metadata" test ! -s "$work/relcheck"
[ -s "$work/relcheck" ] && sed 's/^/  | /' "$work/relcheck" | head -10
# every population of the reference data is an approximation: nothing credits the ONS estimates
check "no file calls an approximate population an ONS mid-2021 estimate" bash -c "! grep -r -l 'ONS mid-2021' '$reltop' '$work/cover.xml'"
printf '<release xmlns="urn:mappa:release:1" version="1"><date>2023-02-30</date></release>' > "$work/bad-release.xml"
mkdir -p "$work/relbad"
publish --release "$work/bad-release.xml" -o "$work/relbad" "$work/s3.ds" 2>"$work/err"; rc=$?
check "a publication file with an impossible date: 65, rule L04, nothing written" bash -c "[ $rc -eq 65 ] && grep -q 'error\[L04\]' '$work/err' && [ -z \"\$(ls '$work/relbad')\" ]"
printf '<release xmlns="urn:mappa:release:1" version="1"><licence>All rights reserved</licence></release>' > "$work/bad-release.xml"
publish --release "$work/bad-release.xml" -o "$work/relbad" "$work/s3.ds" 2>"$work/err"; rc=$?
check "a publication file with another licence: 65, rule L03" bash -c "[ $rc -eq 65 ] && grep -q 'error\[L03\]' '$work/err'"
printf '<!DOCTYPE release [<!ENTITY x "y">]><release xmlns="urn:mappa:release:1" version="1"/>' > "$work/bad-release.xml"
publish --release "$work/bad-release.xml" -o "$work/relbad" "$work/s3.ds" 2>"$work/err"; rc=$?
check "a publication file with a DOCTYPE: 65, rule L02" bash -c "[ $rc -eq 65 ] && grep -q 'error\[L02\]' '$work/err'"
publish --release "$work/no-such-release.xml" -o "$work/relbad" "$work/s3.ds" 2>/dev/null; rc=$?
check "a missing publication file: 66" test "$rc" -eq 66
publish --release "$work/release.xml" --release-date 2024-11-01 -o "$work/relbad" "$work/s3.ds" 2>/dev/null; rc=$?
check "an option that breaks the file's order of dates: 64" test "$rc" -eq 64
publish --release-date 2020-01-01 -o "$work/relbad" "$work/s3.ds" 2>"$work/err"; rc=$?
check "a release date before the period ends: 64 (it was 70, an internal error), nothing written" bash -c \
	"[ $rc -eq 64 ] && [ ! -e '$work/relbad/mappa-2022-23.tar.gz' ] && grep -q 'is not after the end of the period 2022-23' '$work/err'"
# the same date from a --release file: an invalid file (65) at the line of its <date>, as any
# L04 of the file (it was 64 without a line)
sed 's|<date>[^<]*</date>|<date>2023-03-31</date>|' docs/examples/release.xml >"$work/early.xml"
line=$(grep -n '<date>' "$work/early.xml" | head -1 | cut -d: -f1)
publish --release "$work/early.xml" -o "$work/relbad" "$work/s3.ds" 2>"$work/err"; rc=$?
check "a publication file whose date is before the period ends: 65, L04 at its line" bash -c \
	"[ $rc -eq 65 ] && [ ! -e '$work/relbad/mappa-2022-23.tar.gz' ] && grep -q '^$work/early.xml:$line: error\[L04\]: release date .2023-03-31. is not after the end of the period' '$work/err'"
publish --release "$work/early.xml" --release-date 2023-11-02 -o "$work/relbad" "$work/s3.ds" 2>/dev/null; rc=$?
check "the option over that file's date: published" test "$rc" -eq 0
rm -f "$work/relbad/mappa-2022-23.tar.gz"
# a date given alone against the other's default for the period (2022-23: released 2023-10-26,
# next 2024-10-31): an option that contradicts it is bad usage (64) naming the option and the
# rule, a file's date an invalid file (65) at the line of its element; both were found only in
# the bundle, as an internal error (70)
for bad in '--next-release 2023-10' '--next-release 2023-10-26' '--next-release 2023-01-01' \
	'--release-date 2025-01-01' '--release-date 2024-10-31'; do
	# shellcheck disable=SC2086
	publish $bad -o "$work/relbad" "$work/s3.ds" 2>"$work/err"; rc=$?
	check "$bad against the default of the other date: 64, naming the option and L04, nothing written" bash -c \
		"[ $rc -eq 64 ] && [ -z \"\$(ls '$work/relbad')\" ] && grep -q '^mappa-publish: ${bad%% *}: error\[L04\]: .*the default for 2022-23' '$work/err'"
done
publish --release-date 2024-10-30 -o "$work/relbad" "$work/s3.ds" 2>/dev/null; rc=$?
check "--release-date the day before the default next release: published" test "$rc" -eq 0
rm -f "$work/relbad/mappa-2022-23.tar.gz"
for el in '<date>2025-01-01</date>' '<next>2023-10</next>' '<next>2023-10-26</next>'; do
	printf '<release xmlns="urn:mappa:release:1" version="1">\n\n  %s\n</release>\n' "$el" >"$work/alone.xml"
	publish --release "$work/alone.xml" -o "$work/relbad" "$work/s3.ds" 2>"$work/err"; rc=$?
	check "a publication file with only $el, against the other's default: 65, L04 at line 3, nothing written" bash -c \
		"[ $rc -eq 65 ] && [ -z \"\$(ls '$work/relbad')\" ] && grep -q '^$work/alone.xml:3: error\[L04\]: .*the default for 2022-23' '$work/err'"
done
publish --release "$work/alone.xml" --release-date 2023-09-28 -o "$work/relbad" "$work/s3.ds" 2>/dev/null; rc=$?
check "the option that settles the file's next release: published" test "$rc" -eq 0
rm -f "$work/relbad/mappa-2022-23.tar.gz"
printf '<release xmlns="urn:mappa:release:1" version="1">\n  <date>2023-10-26</date>\n  <next>2023-10</next>\n</release>\n' >"$work/contra.xml"
publish --release "$work/contra.xml" -o "$work/relbad" "$work/s3.ds" 2>"$work/err"; rc=$?
check "a publication file whose dates contradict each other: 65, L04 at the line of <next>" bash -c \
	"[ $rc -eq 65 ] && [ -z \"\$(ls '$work/relbad')\" ] && grep -q '^$work/contra.xml:3: error\[L04\]: next release .2023-10. is not after the release date .2023-10-26.' '$work/err'"

# --- the policy: the publisher asks it (categories withheld, counts in the prose) ---
# (a policy of counts of 1 only: the dataset, suppressed for 1 or 2, withholds at least that; a
# policy of 1 to 3 would find its published 3s, P08)
# (the fixtures suppressed under it: a dataset suppressed under another policy than --policy has
# its pattern audited for that policy's readers, P09 below)
# With zeros published, a primary range of one count (1 to 1) tells the reader who knows the
# method the value of every primary the pattern shows to be one: on the fixtures 27 of them, and
# no pattern protects them (docs/disclosure-method.md): refused, and said so. With zeros
# protected each of them is 0 or 1, and the fixtures are published.
sed 's/ min="1" max="2"/ min="1" max="1"/' policy/default.xml > "$work/policy1.xml"
sed 's/ min="1" max="2" protectZeros="false"/ min="1" max="1" protectZeros="true"/' policy/default.xml > "$work/policy1z.xml"
"$BIN/mappa-merge" -o "$work/fix.obs" fixtures/returns/2022-23/*.xml 2>/dev/null
"$BIN/mappa-suppress" --policy "$work/policy1.xml" -o "$work/fix1one.obs" "$work/fix.obs" >/dev/null 2>"$work/err"; rc=$?
check "a policy of counts of 1 only, zeros published: 65, the reader who knows the method named, nothing written" bash -c \
	"[ $rc -eq 65 ] && [ ! -e '$work/fix1one.obs' ] && grep -q 'error\[S03\]: .*, who knows the method .* finds it in \[1, 1\]' '$work/err'"
"$BIN/mappa-suppress" --policy "$work/policy1z.xml" -o "$work/fix1.obs" "$work/fix.obs" >/dev/null 2>&1
mkdir -p "$work/pol" && publish --policy "$work/policy1z.xml" -o "$work/pol" "$work/fix1.obs" 2>/dev/null &&
	mkdir -p "$work/polx" && tar xzf "$work/pol/mappa-2022-23.tar.gz" -C "$work/polx"
# mappa-audit of that dataset under the built-in policy: said, with the policy to give (QA: the
# built-in policy's audit of another policy's dataset answered another question without a word)
"$BIN/mappa-audit" "$work/fix1.obs" >/dev/null 2>"$work/err"
check "mappa-audit of a dataset suppressed under another policy: warning A04 naming it" \
	grep -q "^$work/fix1.obs:0: warning\[A04\]: the dataset was suppressed under '$work/policy1z.xml'" "$work/err"
"$BIN/mappa-audit" --policy "$work/policy1z.xml" "$work/fix1.obs" >/dev/null 2>"$work/err"; rc=$?
check "... and with that policy: no A04, and it passes" bash -c "[ $rc -eq 0 ] && ! grep -q A04 '$work/err'"
# the README's list items unwrapped: a sentence may break anywhere
flat() { tr '\n' ' ' <"$1" | tr -s ' '; }
check "--policy: README states the policy's counts (0 or 1), never 1 or 2" bash -c "$(declare -f flat); flat '$work/polx/mappa-2022-23/README.txt' | grep -q 'Counts of 0 or 1 in area and national tables are suppressed\.' && ! grep -q '1 or 2' '$work/polx/mappa-2022-23/README.txt'"
sed 's/ min="1" max="2"/ min="1" max="3"/' policy/default.xml > "$work/policy3.xml"
mkdir -p "$work/pol3"; publish --policy "$work/policy3.xml" -o "$work/pol3" "$work/s3.ds" 2>"$work/err"; rc=$?
check "--policy of 1 to 3 for a dataset suppressed for 1 or 2: its published 3s refused (P08, 65)" bash -c "[ $rc -eq 65 ] && grep -q 'error\[P08\]: .* is published as 3: a count the policy never publishes' '$work/err'"
# P09: a dataset suppressed under a weaker policy than the one it is published under (the
# outsider alone as its reader, published under the built-in policy, whose readers include each
# area's data lead) is refused, naming a figure, the reader and the interval, and the policy it
# was suppressed under; under that policy it is published (QA: exit 0, and a README promising
# protection from an area's own totals)
"$BIN/mappa-sample" --areas 3 --seed 11 --stage merged "$work/m3.ds" &&
	"$BIN/mappa-suppress" --policy fixtures/policy/outsider-only.xml -o "$work/w3.ds" "$work/m3.ds" >/dev/null 2>&1
mkdir -p "$work/weak"
publish -o "$work/weak" "$work/w3.ds" 2>"$work/err"; rc=$?
check "a dataset suppressed for the outsider alone, published under the built-in policy: 65, P09, nothing written" bash -c \
	"[ $rc -eq 65 ] && [ -z \"\$(ls -A '$work/weak')\" ] && grep -q \"error\[P09\]: .* the insider E2300000[0-9] can deduce it lies in \[[0-9]*, [0-9]*\], narrower than the policy allows under the policy it is published under (the built-in one); the dataset was suppressed under 'fixtures/policy/outsider-only.xml'\" '$work/err'"
# ... at the figure's line of the dataset, as mappa-audit's A02 (it said line 0)
p09=$(grep -m1 'error\[P09\]: [^ ]* [a-zA-Z]* category' "$work/err")
p09line=$(printf '%s' "$p09" | sed -n 's/^[^:]*:\([0-9]*\): .*/\1/p')
p09cell=$(printf '%s' "$p09" | sed -n "s/.*error\[P09\]: \([^ ]*\) \([a-zA-Z]*\) category '\([^']*\)' level '\([^']*\)'.*/\1\t\2\t\3\t\4/p")
check "P09 names the figure's own line of the dataset" bash -c \
	"[ -n '$p09line' ] && [ '$p09line' -gt 0 ] && [ -n '$p09cell' ] && sed -n '${p09line}p' '$work/w3.ds' | grep -qF 'obs	$p09cell	'"
check "the same dataset under the policy it was suppressed under: published" \
	publish --policy fixtures/policy/outsider-only.xml -o "$work/weak" "$work/w3.ds"
# P09 goes by the policy's bytes, not its name (QA: a dataset suppressed under a file named
# policy/default.xml that held the outsider-only policy was published under the built-in one,
# exit 0): the dataset carries the SHA-256 of the policy it was suppressed under
check "the dataset carries the SHA-256 of the policy file it was suppressed under" bash -c \
	"grep -qx \"policy-sha256	\$(sha256sum fixtures/policy/outsider-only.xml | cut -c1-64)\" '$work/w3.ds'"
mkdir -p "$work/same/policy" "$work/same/out" && cp fixtures/policy/outsider-only.xml "$work/same/policy/default.xml"
bin_abs=$(cd "$BIN" && pwd)
(cd "$work/same" && "$bin_abs/mappa-suppress" --policy policy/default.xml -o same.ds ../m3.ds >/dev/null 2>&1)
publish -o "$work/same/out" "$work/same/same.ds" 2>"$work/err"; rc=$?
check "a weaker policy under the built-in one's name (policy/default.xml): 65, P09 says its SHA-256 differs, nothing written" bash -c \
	"[ $rc -eq 65 ] && [ -z \"\$(ls -A '$work/same/out')\" ] && grep -q \"error\[P09\]: .* the dataset was suppressed under 'policy/default.xml' as its file read then (its SHA-256 differs)\" '$work/err'"
cp policy/default.xml "$work/same/policy/default.xml"
(cd "$work/same" && "$bin_abs/mappa-publish" --policy policy/default.xml -o out same.ds 2>"$work/err"); rc=$?
check "the same, the file then changed back to the shipped policy: 65, P09" bash -c \
	"[ $rc -eq 65 ] && [ -z \"\$(ls -A '$work/same/out')\" ] && grep -q 'error\[P09\]' '$work/err'"
# a dataset that does not say which policy's bytes it was suppressed under (no policy-sha256:
# an older mappa-suppress, or written by hand) is audited whatever its policy line names (QA:
# mappa-sample's own pattern, named policy/default.xml, published with a figure the outsider
# pins at [2, 2]); the attack fixture is such a dataset, written by an older build
mkdir -p "$work/nohash"
publish -o "$work/nohash" fixtures/attacks/singleton-in-a-total.obs 2>"$work/err"; rc=$?
check "a dataset without policy-sha256 that a reader breaks, named policy/default.xml: 65, P09, nothing written" bash -c \
	"[ $rc -eq 65 ] && [ -z \"\$(ls -A '$work/nohash')\" ] && grep -q \"error\[P09\]: .* can deduce it lies in \[2, 2\], .* the dataset was suppressed under 'policy/default.xml' (or so its policy line says: it does not hold the policy's SHA-256)\" '$work/err'"
"$BIN/mappa-sample" --areas 3 --seed 11 "$work/smp.ds"
check "mappa-sample's dataset: suppressed under the built-in policy, every reader's audit passes" \
	bash -c "grep -qx 'policy-sha256	$(sha256sum policy/default.xml | cut -c1-64)' '$work/smp.ds' && '$BIN/mappa-audit' '$work/smp.ds' >/dev/null 2>&1"
# a dataset edited after its suppression, its SHA-256 line kept (a national secondary made
# publishable, resealed): audited all the same, 65, P09 (QA: exit 0, the outsider pins a figure
# at [15, 15]; P06 looks at area tables only)
"$BIN/mappa-suppress" -o "$work/fixd.obs" "$work/fix.obs" >/dev/null 2>&1
# edited NAME PERL PATTERN: fixd.obs edited by the perl program and resealed is refused, 65,
# with a diagnostic matching PATTERN (grep), and nothing written
edn=0
edited() {
	local name=$1 prog=$2 pattern=$3 f
	f="$work/edited$((++edn))"
	perl -pe "$prog" "$work/fixd.obs" >"$f.obs" && python3 tests/support/obs_reseal.py "$f.obs"
	mkdir -p "$f"
	publish -o "$f" "$f.obs" 2>"$work/err"; rc=$?
	check "$name" bash -c "! cmp -s '$work/fixd.obs' '$f.obs' && [ $rc -eq 65 ] && [ -z \"\$(ls -A '$f')\" ] && grep -q -- \"\$0\" '$work/err'" "$pattern"
}
edited "a dataset edited after its suppression under this very policy: 65, P09, nothing written" \
	'if (!$done && /^obs\tK04000001\t\S+\t\S+\t\S+\t\d+\tsecondary$/) { s/secondary$/ok/; $done = 1 }' \
	'error\[P09\]: .* the dataset was suppressed under this very policy, and changed after'
# populations edited in the dataset (Durham's 564,000 to 1,000, Cumbria's 443,000 to 1,443,000
# with its rate to match): published with exit 0, the pages and the rates from the edit (QA).
# 65, P03, nothing written. And a rate marked publishable by hand beside its withheld count: 65,
# P04 (QA: published).
edited "populations edited in the dataset: 65, P03, nothing written" \
	's/^(area\tE23000008\t.*\t)564000\t/${1}1000\t/; s/^(area\tE23000002\t.*\t)443000\t/${1}1443000\t/' \
	'error\[P03\]: area E23000008 has the population 1000[^,]*, but the reference data gives 564000'
edited "London's approximate population marked exact: 65, P03, nothing written (QA: published as the ONS estimate)" \
	's/^(area\tE23000001\t([^\t]*\t){5})1\t/${1}0\t/' \
	'error\[P03\]: area E23000001 has the population 7754000, but the reference data gives 7754000 (approximate)'
# an area's name edited, or from other reference data (QA round 2: published, the pages and the
# page names with it, and mappa-audit then refused the bundle): 65, P03 at the area line
edited "an area name that is not the reference data's: 65, P03 at its line, nothing written" \
	's/^(area\tE23000002\t)Cumbria\t/${1}Cumbriax\t/' \
	"edited[0-9]*\\.obs:[1-9][0-9]*: error\\[P03\\]: area E23000002 is named 'Cumbriax', but the reference data names it 'Cumbria'"
# the national figures' name edited (a spreadsheet formula in every national row of every CSV;
# QA round 3: published, exit 0): 65, P03
edited "a national name that is not the reference data's: 65, P03, nothing written" \
	's/^(national\tK04000001\t)England and Wales$/${1}=HYPERLINK("http:\/\/x","y")/' \
	"edited[0-9]*\\.obs:0: error\\[P03\\]: the national figures are named '=HYPERLINK(\"http://x\",\"y\")', but the reference data names them 'England and Wales'"
# an area's submission date after the release date the bundle gives (QA: 9999-12-31 passed every
# stage without a word): published, with mappa-run's warning L06 at the area's line
perl -pe 's/^(area\tE23000002\t([^\t]*\t){3})2023-05-04\t/${1}2030-01-01\t/' "$work/fixd.obs" >"$work/late.obs" &&
	python3 tests/support/obs_reseal.py "$work/late.obs" && mkdir -p "$work/late"
publish -o "$work/late" "$work/late.obs" 2>"$work/err"; rc=$?
check "a return sent after the release date: published, L06 at its area line" bash -c \
	"! cmp -s '$work/fixd.obs' '$work/late.obs' && [ $rc -eq 0 ] && grep -q 'late.obs:[1-9][0-9]*: warning\[L06\]: Cumbria (E23000002) sent its return on 2030-01-01, after the release date the bundle gives, 2023-10-26' '$work/err'"
# the period line edited (the returns submitted in May 2023 published as 2023-24's; QA round 3:
# exit 0): 65, at the first area's line, refused by the reader of the dataset as every stage
# reads it (O04, as R18 of a return), before mappa-publish's own check (P02)
edited "a period whose returns were submitted before it ended: 65, O04, nothing written" \
	's/^period\t2022-23$/period\t2023-24/' \
	"edited[0-9]*\\.obs:[1-9][0-9]*: error\\[O04\\]: bad area line: the submission date 2023-05-15 is not after 2024-03-31, the last day of the period 2023-24"
edited "a rate marked publishable beside its withheld count: 65, P04, nothing written" \
	'if (!$done && /^obs\tE23\d+\tnotificationRate\t-\t-\t\d+\tsecondary$/) { s/secondary$/ok/; $done = 1 }' \
	'error\[P04\]: E23[0-9]* notificationRate is marked publishable, but the count it is the rate of'
# an area left out of the dataset altogether (its area line and rows gone, resealed): published
# as England and Wales with the other 41 areas, no [x], no notice, not a word (QA). Said now, as a
# warning naming it (a dataset of a few areas, mappa-sample's, is published so)
perl -pe '$_ = "" if /^(area|obs)\tW15000004\t/' "$work/fixd.obs" >"$work/noarea.obs" &&
	python3 tests/support/obs_reseal.py "$work/noarea.obs"
mkdir -p "$work/noarea"
publish -o "$work/noarea" "$work/noarea.obs" 2>"$work/err"
check "an area of the reference data left out of the dataset: a P03 warning naming it" \
	grep -q 'noarea.obs:0: warning\[P03\]: the dataset holds 41 of the reference data.s 42 areas: 1, W15000004 (Dyfed-Powys), is neither present nor missing' "$work/err"
# the incomplete flag set with every area present (QA: the page said ' sent no valid return ...
# the other 42 areas'); O03 at the flag's line
edited "the incomplete flag contradicting the area lines: 65, O03 at its line, nothing written" \
	's/^incomplete\t0$/incomplete\t1/' \
	'edited[0-9]*\.obs:[1-9][0-9]*: error\[O03\]: the incomplete flag is 1, but 0 areas are missing'
cp policy/default.xml "$work/copy.xml"
"$BIN/mappa-suppress" --policy "$work/copy.xml" -o "$work/c3.ds" "$work/m3.ds" >/dev/null 2>&1
mkdir -p "$work/copy"
check "a dataset suppressed under a copy of the shipped policy, published under the built-in one: its bytes are the built-in's, published" \
	publish -o "$work/copy" "$work/c3.ds"
check "the built-in policy: README states 1 or 2" bash -c "$(declare -f flat); flat '$top/README.txt' | grep -q 'Counts of 1 or 2 in area and national tables are suppressed; zeros are published'"
printf '<policy xmlns="urn:mappa:policy:1" version="1"><nonsense/></policy>' > "$work/badpolicy.xml"
publish --policy "$work/badpolicy.xml" -o "$work/pol" "$work/s3.ds" 2>"$work/err"; rc=$?
check "--policy with an invalid policy: 65 with a located diagnostic" bash -c "[ $rc -eq 65 ] && grep -q 'badpolicy.xml:1: error\[C03\]' '$work/err'"
publish --policy "$work/no-such-policy.xml" -o "$work/pol" "$work/s3.ds" 2>/dev/null; rc=$?
check "--policy with a missing file: 66" test "$rc" -eq 66

# --- pages with a history (docs/publication.md, "Time series and revisions"): the summary with
# the time series chart and tables, area pages with the previous period and [r]; measured and
# checked by axe below with the others ---
# (a revision, [r], is tested through mappa-run in test_series.sh: mappa-publish audits one with
# the bundle it revises, and made-up figures of another seed are no revision its readers allow)
mkdir -p "$work/h" "$work/h2"
"$BIN/mappa-sample" --areas 3 --seed 12 --period 2021-22 "$work/h21.ds" &&
	publish -o "$work/h" "$work/h21.ds" 2>/dev/null && publish -o "$work/h2" --history "$work/h" "$work/s3.ds" 2>/dev/null &&
	mkdir -p "$work/hx" && tar xzf "$work/h2/mappa-2022-23.tar.gz" -C "$work/hx"
htop=$work/hx/mappa-2022-23
check "a history bundle: the series and the previous period on its pages" bash -c "
	grep -q '<h2 id=\"series\">Time series</h2>' '$htop/index.html' &&
	grep -q '<h2 id=\"previous\">' '$htop'/areas/E23000001-*.html"
# a revision of made-up figures over the bundle of the period: the pair gives figures away (65,
# P09, the bundle kept); and with --history at another folder the same (the bundle was replaced
# without that audit)
"$BIN/mappa-sample" --areas 3 --seed 13 "$work/h22r.ds"
cp "$work/h2/mappa-2022-23.tar.gz" "$work/h2.kept"
# (with --history h2, which lacks the 2021-22 bundle the one revised shows in its series: H05)
publish -o "$work/h2" --history "$work/h2" "$work/h22r.ds" 2>"$work/err"; rc=$?
check "a revision whose history lacks a year the bundle revised shows: 65, H05, the bundle kept" bash -c \
	"[ $rc -eq 65 ] && grep -q 'h2/mappa-2022-23.tar.gz:0: error\[H05\]: this publication of 2022-23 shows 2021-22 in its time series' '$work/err' && cmp -s '$work/h2.kept' '$work/h2/mappa-2022-23.tar.gz'"
cp -L "$work/h/mappa-2021-22.tar.gz" "$work/h2/"
publish -o "$work/h2" --history "$work/h2" "$work/h22r.ds" 2>"$work/err"; rc=$?
check "a revision its readers break: 65, P09, the bundle kept" bash -c \
	"[ $rc -eq 65 ] && grep -q 'error\[P09\]: .* is published otherwise than in the bundle it revises' '$work/err' && cmp -s '$work/h2.kept' '$work/h2/mappa-2022-23.tar.gz'"
publish -o "$work/h2" --history "$work/h" "$work/h22r.ds" 2>"$work/err"; rc=$?
check "a revision with --history at another folder: audited with the bundle it replaces, 65, P09, the bundle kept" bash -c \
	"[ $rc -eq 65 ] && grep -q 'error\[P09\]: .* is published otherwise than in the bundle it revises (.*h2/mappa-2022-23.tar.gz.)' '$work/err' && cmp -s '$work/h2.kept' '$work/h2/mappa-2022-23.tar.gz'"

# the bundle of the period kept under another name in DIR (QA: no revision at all, published with
# exit 0, and the pair gave Bedfordshire's earlier 2 to the outsider): 65, P09, naming it
mkdir -p "$work/renamed"
cp "$work/h2.kept" "$work/renamed/mappa-2022-23-old.tar.gz"
publish -o "$work/renamed" "$work/h22r.ds" 2>"$work/err"; rc=$?
check "a bundle of the period under another name in DIR: 65, P09, nothing written" bash -c \
	"[ $rc -eq 65 ] && grep -q 'renamed/mappa-2022-23-old.tar.gz:0: error\[P09\]: this looks like a bundle of 2022-23 kept under another name' '$work/err' && [ \"\$(ls '$work/renamed')\" = mappa-2022-23-old.tar.gz ]"
mkdir -p "$work/renamed2"
cp "$work/h2.kept" "$work/renamed2/copy of 2022-23.TGZ"
publish -o "$work/renamed2" "$work/h22r.ds" 2>"$work/err"; rc=$?
check "a name holding the period, another extension's case (copy of 2022-23.TGZ): 65, P09" bash -c \
	"[ $rc -eq 65 ] && grep -q 'renamed2/copy of 2022-23.TGZ.*:0: error\[P09\]: this looks like a bundle of 2022-23' '$work/err' && [ \"\$(ls '$work/renamed2')\" = 'copy of 2022-23.TGZ' ]"
mkdir -p "$work/renamed3"
cp "$work/h2.kept" "$work/renamed3/previous.tar.gz"
publish -o "$work/renamed3" "$work/h22r.ds" 2>"$work/err"; rc=$?
check "a bundle of the period under a name without it (previous.tar.gz): 65, P09 (QA round 2)" bash -c \
	"[ $rc -eq 65 ] && grep -q 'renamed3/previous.tar.gz:0: error\[P09\]: this looks like a bundle of 2022-23' '$work/err' && [ \"\$(ls '$work/renamed3')\" = previous.tar.gz ]"
mkdir -p "$work/renamed4/old-2022-23.zip"
publish -o "$work/renamed4" "$work/h22r.ds" 2>"$work/err"; rc=$?
check "a folder named like a bundle of the period is no publication: published, 0 (QA round 2: refused)" bash -c \
	"[ $rc -eq 0 ] && [ -f '$work/renamed4/mappa-2022-23.tar.gz' ]"

# --- the pages in a browser: no horizontal scroll on a 375 px phone, links at least 24 px ---
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
headless() { # width, height, then Chromium's arguments; output into the file named by $out
	local w=$1 h=$2; shift 2
	timeout -k 5 60 "$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
		--no-first-run --disable-crash-reporter --disable-breakpad --user-data-dir="$work/chrome" \
		--window-size="$w,$h" "$@" > "$out" 2>/dev/null < /dev/null
}
if [ -n "$browser" ]; then
	# each page is copied with a probe that writes what it measured into the title
	# (headless Chromium keeps windows at least 500 px wide, so the probe narrows the page to
	# the width asked for in the query and measures the right edge of everything outside the
	# tables' own scrolling regions)
	probe='<script>(function(){var w=Number(location.search.slice(1));if(!w)w=innerWidth;document.documentElement.style.width=w+"px";var r=0,h=1e9;document.querySelectorAll("body *").forEach(function(e){if(e.closest(".scroll")){if(!e.classList.contains("scroll"))return;}var b=e.getBoundingClientRect();if(b.right>r)r=b.right;});document.querySelectorAll("a").forEach(function(a){var q=a.getBoundingClientRect();if(q.height<h)h=q.height;});document.title="W"+Math.ceil(r)+"x"+w+"L"+Math.floor(h);})();</script>'
	bad="" shots=0
	# (and one Welsh area in both languages, and the pages of a bundle with a history)
	for page in "$top/index.html" "$top"/areas/*.html "$cytop"/areas/W15000001-*.html "$htop/index.html" "$htop"/areas/*.html; do
		sed "s#</body>#$probe</body>#" "$page" > "$work/probe.html"
		for w in 375 1280; do
			out=$work/dom headless "$w" 900 --dump-dom "file://$work/probe.html?$w"
			m=$(grep -o '<title>W[0-9]*x[0-9]*L[0-9]*</title>' "$work/dom" | head -1)
			sw=$(echo "$m" | sed 's/.*W\([0-9]*\)x.*/\1/') iw=$(echo "$m" | sed 's/.*x\([0-9]*\)L.*/\1/') lh=$(echo "$m" | sed 's/.*L\([0-9]*\)<.*/\1/')
			if [ -z "$m" ] || [ "$sw" -gt "$iw" ] || [ "$lh" -lt 24 ]; then
				bad="$bad $(basename "$page")@${w}px(${m:-no result})"
			fi
		done
	done
	[ -z "$bad" ] && ok "every page fits 375 and 1280 px without horizontal scroll; links at least 24 px high" || fail "pages too wide or links too small:$bad"
	for w in 375 1280; do
		out=/dev/null headless "$w" 2400 --screenshot="$work/index-$w.png" "file://$top/index.html"
		[ -s "$work/index-$w.png" ] && shots=$((shots + 1))
	done
	check "screenshots of the summary page at 375 and 1280 px" test "$shots" -eq 2
	# axe-core (npm; .ci/run installs it into build/axe): no violation of the WCAG 2.2 A and AA
	# rules on any page, at either width
	axe=${MAPPA_AXE:-build/axe/node_modules/axe-core/axe.min.js}
	if [ -f "$axe" ]; then
		cp "$axe" "$work/axe.min.js"
		run='<script src="axe.min.js"></script><script>(function(){var w=Number(location.search.slice(1));if(w)document.documentElement.style.width=w+"px";axe.run(document,{runOnly:{type:"tag",values:["wcag2a","wcag2aa","wcag21a","wcag21aa","wcag22aa"]}}).then(function(r){document.title="AXE"+r.violations.length+" "+r.violations.map(function(v){return v.id+"="+v.nodes.length;}).join(",");});})();</script>'
		bad=""
		for page in "$top/index.html" "$top"/areas/*.html "$cytop"/areas/W15000001-*.html "$htop/index.html" "$htop"/areas/*.html; do
			sed "s#</body>#$run</body>#" "$page" > "$work/axe.html"
			for w in 375 1280; do
				out=$work/axedom headless "$w" 900 --virtual-time-budget=5000 --dump-dom "file://$work/axe.html?$w"
				r=$(grep -o '<title>AXE[^<]*' "$work/axedom" | sed 's/<title>//')
				[ "${r%% *}" = AXE0 ] || bad="$bad $(basename "$page")@${w}px(${r:-axe did not run})"
			done
		done
		[ -z "$bad" ] && ok "axe-core: 0 WCAG 2.2 A/AA violations on every page (a Welsh one too, and those with a history) at 375 and 1280 px" || fail "axe-core violations:$bad"
	else
		skip "axe-core not found ($axe; npm install --prefix build/axe axe-core): pages not checked by axe"
	fi
else
	skip "no Chromium (apt-get install chromium): pages not measured in a browser"
fi

# --- golden files: every published text file of a small fixed dataset ---
mkdir -p "$work/g"
if publish -o "$work/g" "$GOLDEN/input.ds" 2>/dev/null && tar xzf "$work/g/mappa-2022-23.tar.gz" -C "$work/g"; then
	gtop=$work/g/mappa-2022-23
	missing=""
	for f in $(cd "$gtop" && find . -type f ! -name '*.ods' ! -name MANIFEST.sha256 | sed 's|^\./||' | LC_ALL=C sort); do
		if [ ! -f "$GOLDEN/expected/$f" ]; then missing="$missing $f"; continue; fi
		if cmp -s "$gtop/$f" "$GOLDEN/expected/$f"; then ok "golden $f"; else fail "golden $f"; diff "$GOLDEN/expected/$f" "$gtop/$f" | head -10 | sed 's/^/  | /'; fi
	done
	[ -z "$missing" ] && ok "a golden file for every published text file" || fail "no golden file for:$missing"
	for f in $(cd "$GOLDEN/expected" && find . -type f | sed 's|^\./||'); do
		[ -f "$gtop/$f" ] || fail "golden $f is no longer published"
	done
else
	fail "publish the golden dataset"
fi

# --- refusals: nothing written ---
mkdir -p "$work/r"
"$BIN/mappa-sample" --areas 3 --stage merged "$work/merged.ds"
publish -o "$work/r" "$work/merged.ds" 2>"$work/err"; rc=$?
check "a merged dataset is refused with 65" test "$rc" -eq 65
check "the refusal says why (P01)" grep -q 'error\[P01\]' "$work/err"
check "nothing written after a refusal" test -z "$(ls -A "$work/r")"
sed 's/^obs\tE23000001\teligible\t1\t1\t\([0-9]*\)\tok$/obs\tE23000001\teligible\t1\t1\t9\tok/' "$work/s3.ds" > "$work/edited.ds"
publish -o "$work/r" "$work/edited.ds" 2>/dev/null; rc=$?
check "an edited dataset (checksum) is refused with 65" test "$rc" -eq 65
publish -o "$work/r" "$work/nonexistent.ds" 2>/dev/null; rc=$?
check "a missing dataset gives 66" test "$rc" -eq 66
publish --format=rar "$work/s3.ds" 2>/dev/null; rc=$?
check "a bad format gives 64" test "$rc" -eq 64
publish -o "$work/no/such/folder" "$work/s3.ds" 2>/dev/null; rc=$?
check "a missing output folder gives 73" test "$rc" -eq 73
publish --email "not an address" -o "$work/r" "$work/s3.ds" 2>"$work/err"; rc=$?
check "release metadata that fails its check gives 64" test "$rc" -eq 64
check "and nothing is written" test -z "$(ls -A "$work/r")"
mkdir -p "$work/rel"
check "release metadata from the options" publish --release-date 2023-10-19 --next-release 2024-10 \
	--producer "Test Producer" --email stats@example.net --phone "0161 496 0000" -o "$work/rel" "$work/s3.ds"
tar xzf "$work/rel/mappa-2022-23.tar.gz" -C "$work/rel"
check "the same release metadata in the README and every page" bash -c "for f in '$work/rel/mappa-2022-23/README.txt' '$work/rel/mappa-2022-23'/index.html '$work/rel/mappa-2022-23'/areas/*.html '$work/rel/mappa-2022-23'/areas/*.txt; do for w in '19 October 2023' 'October 2024' 'Test Producer' 'stats@example.net' '0161 496 0000' 'Open Government Licence v3.0'; do grep -q \"\$w\" \"\$f\" || { echo \"\$f: \$w\"; exit 1; }; done; done"
check "nothing credits the ONS mid-2021 estimates while every population is approximate" bash -c "! grep -rl 'ONS mid-2021' '$work/rel/mappa-2022-23'"
check "--help and --version" bash -c "'$BIN/mappa-publish' --help | grep -q usage && '$BIN/mappa-publish' --version | grep -q 'mappa-publish '"

# --- atomic replacement ---
mkdir -p "$work/at"
publish -o "$work/at" "$work/s3.ds" 2>/dev/null
# (the folder's own time changes when the temporary file comes and goes: compare what it holds)
before=$(cd "$work/at" && find . -mindepth 1 -printf '%P %s %T@ %m\n' | LC_ALL=C sort; sha256sum mappa-2022-23.tar.gz)
# (the same dataset again, another producer: a revision that changes no figure)
(ulimit -f 16; "$BIN/mappa-publish" --producer 'Another Producer' -o "$work/at" "$work/s3.ds" 2>"$work/err"); rc=$?
after=$(cd "$work/at" && find . -mindepth 1 -printf '%P %s %T@ %m\n' | LC_ALL=C sort; sha256sum mappa-2022-23.tar.gz)
check "a write past the file size limit fails with 73" test "$rc" -eq 73
check "the failed write left the folder as it was" test "$before" = "$after"
check "no temporary file left after the failure" test -z "$(find "$work/at" -name '.*tmp*')"
check "a complete new bundle replaces the old one" bash -c "'$BIN/mappa-publish' --producer 'Another Producer' -o '$work/at' '$work/s3.ds' 2>/dev/null && tar xzOf '$work/at/mappa-2022-23.tar.gz' mappa-2022-23/README.txt | grep -q 'Another Producer'"

# a producer of spaces only is no producer (QA: '   ' was accepted, the check said "1 to 200
# characters"): 64 and the same message as the other producer checks
rm -rf "$work/blank"; mkdir -p "$work/blank"
check "--producer '   ': 64, said, nothing written" bash -c "'$BIN/mappa-publish' --producer '   ' -o '$work/blank' '$work/s3.ds' 2>'$work/blank.err'; s=\$?; [ \$s -eq 64 ] && grep -q 'producer' '$work/blank.err' && [ -z \"\$(ls -A '$work/blank')\" ]"

# an input where the bundle goes (another folder as --history): 64, the input as it was (QA: the
# dataset, the policy, --release or --reference there was replaced by the bundle, exit 0)
mkdir -p "$work/own" "$work/own-hist"
cp "$work/s3.ds" "$work/own/mappa-2022-23.tar.gz"
cp policy/default.xml "$work/own/mappa-2022-23.zip"
mkdir -p "$work/own-ref" && cp reference/areas.xml "$work/own-ref/mappa-2022-23.tar.gz"
for c in "dataset|-o $work/own $work/own/mappa-2022-23.tar.gz|$work/own/mappa-2022-23.tar.gz|is the input" \
	"policy|--format=zip --policy $work/own/mappa-2022-23.zip -o $work/own $work/s3.ds|$work/own/mappa-2022-23.zip|is the policy" \
	"reference|--reference $work/own-ref/mappa-2022-23.tar.gz -o $work/own-ref $work/s3.ds|$work/own-ref/mappa-2022-23.tar.gz|is the reference data"; do
	IFS='|' read -r what args file words <<<"$c"
	sum=$(sha256sum <"$file")
	# shellcheck disable=SC2086 # args is split into options on purpose
	publish --history "$work/own-hist" $args >"$work/own.err" 2>&1
	s=$?
	check "the $what where the bundle goes: 64, said, the file as it was" \
		bash -c "[ $s -eq 64 ] && grep -q '$words: the bundle mappa-2022-23' '$work/own.err' && [ \"\$(sha256sum <'$file')\" = '$sum' ]"
done

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
