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
	mkdir -p "$work/lo"
	if HOME="$work/lohome" timeout 120 libreoffice --headless \
		--convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1' \
		--outdir "$work/lo" "$top/mappa-2022-23.ods" >"$work/lo.log" 2>&1; then
		bad=""
		for f in "$top"/tables/*.csv; do
			base=$(basename "$f" .csv)
			kind=${base%%-*} stat=${base#*-}
			sheet=$work/lo/mappa-2022-23-$([ "$kind" = national ] && echo National || echo Areas)_$stat.csv
			first=$(head -1 "$f" | tr -d '\r')
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
else
	skip "LibreOffice is not installed (apt-get install libreoffice-calc-nogui): workbook not read back"
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
check "--help and --version" bash -c "'$BIN/mappa-publish' --help | grep -q usage && '$BIN/mappa-publish' --version | grep -q 'mappa-publish '"

# --- atomic replacement ---
mkdir -p "$work/at"
publish -o "$work/at" "$work/s3.ds" 2>/dev/null
# (the folder's own time changes when the temporary file comes and goes: compare what it holds)
before=$(cd "$work/at" && find . -mindepth 1 -printf '%P %s %T@ %m\n' | LC_ALL=C sort; sha256sum mappa-2022-23.tar.gz)
"$BIN/mappa-sample" --areas 42 --seed 3 "$work/s42.ds"
(ulimit -f 16; "$BIN/mappa-publish" -o "$work/at" "$work/s42.ds" 2>"$work/err"); rc=$?
after=$(cd "$work/at" && find . -mindepth 1 -printf '%P %s %T@ %m\n' | LC_ALL=C sort; sha256sum mappa-2022-23.tar.gz)
check "a write past the file size limit fails with 73" test "$rc" -eq 73
check "the failed write left the folder as it was" test "$before" = "$after"
check "no temporary file left after the failure" test -z "$(find "$work/at" -name '.*tmp*')"
check "a complete new bundle replaces the old one" bash -c "'$BIN/mappa-publish' -o '$work/at' '$work/s42.ds' 2>/dev/null && tar tzf '$work/at/mappa-2022-23.tar.gz' | grep -q E23000042 2>/dev/null || tar tzf '$work/at/mappa-2022-23.tar.gz' | grep -q W15000004"

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
