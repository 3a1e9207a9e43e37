#!/bin/bash
# mappa-merge reads area returns directly (validated and normalised in-process) and gives the
# same national dataset as the staged route through mappa-normalise; an invalid return among
# them is refused with the validator's diagnostics and nothing is written.
set -u
bin=$(cd "${MAPPA_BIN:-bin}" && pwd) || exit 1
pass=0 fail=0
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

mkdir "$tmp/n"
for f in fixtures/returns/2022-23/*.xml; do
	"$bin/mappa-normalise" -o "$tmp/n/$(basename "$f" .xml).obs" "$f" || bad "normalise $f"
done
"$bin/mappa-merge" -o "$tmp/staged.obs" "$tmp"/n/*.obs && ok || bad "staged merge"

# mappa-normalise -d: every return in one process, the same bytes as one at a time
mkdir "$tmp/d"
"$bin/mappa-normalise" -d "$tmp/d" fixtures/returns/2022-23/*.xml && ok || bad "normalise -d"
diff -r "$tmp/n" "$tmp/d" >/dev/null && ok || bad "normalise -d differs from one at a time"
"$bin/mappa-normalise" -d "$tmp/d" fixtures/valid/crlf.xml fixtures/invalid/negative-count.xml 2>/dev/null
s=$?
[ $s -eq 65 ] && [ -f "$tmp/d/crlf.obs" ] && [ ! -e "$tmp/d/negative-count.obs" ] && ok ||
	bad "normalise -d with an invalid return: exit $s"
# -d with a folder that is not there, or not a folder: said once, 73 (it was an O10 for each
# return, 42 lines; QA)
"$bin/mappa-normalise" -d "$tmp/no-such-dir" fixtures/returns/2022-23/*.xml 2>"$tmp/err"
s=$?
[ $s -eq 73 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && [ ! -e "$tmp/no-such-dir" ] &&
	grep -qx "mappa-normalise: cannot write into '$tmp/no-such-dir': No such file or directory: nothing written" "$tmp/err" &&
	ok || bad "normalise -d into a folder that is not there: exit $s, $(wc -l <"$tmp/err") lines"
"$bin/mappa-normalise" -d fixtures/valid/crlf.xml fixtures/returns/2022-23/E23000001.xml 2>"$tmp/err"
s=$?
[ $s -eq 73 ] && grep -q "cannot write into 'fixtures/valid/crlf.xml': not a folder" "$tmp/err" && ok ||
	bad "normalise -d into a file: exit $s"
"$bin/mappa-merge" -o "$tmp/direct.obs" fixtures/returns/2022-23/*.xml && ok || bad "direct merge"
cmp -s "$tmp/staged.obs" "$tmp/direct.obs" && ok || bad "direct and staged merges differ"

# a mix of observations files and returns gives the same result again
"$bin/mappa-merge" -o "$tmp/mixed.obs" "$tmp"/n/E23*.obs fixtures/returns/2022-23/W*.xml && ok || bad "mixed merge"
cmp -s "$tmp/staged.obs" "$tmp/mixed.obs" && ok || bad "mixed and staged merges differ"

# an invalid return: its diagnostics, exit 65, nothing written
"$bin/mappa-merge" -o "$tmp/bad.obs" fixtures/returns/2022-23/*.xml fixtures/invalid/negative-count.xml 2>"$tmp/err"
s=$?
[ $s -eq 65 ] && ok || bad "invalid return: exit $s"
grep -q "negative-count.xml:15: error\[R06\]" "$tmp/err" && ok || bad "invalid return: no R06 diagnostic"
[ ! -e "$tmp/bad.obs" ] && ok || bad "invalid return: output written"

# an unreadable input: exit 66
"$bin/mappa-merge" -o "$tmp/x.obs" fixtures/returns/2022-23/*.xml "$tmp/nonexistent.xml" 2>/dev/null
s=$?
[ $s -eq 66 ] && ok || bad "unreadable input: exit $s"

# every bad input is named: the cap on diagnostics is per file (100 of a file, then "FILE: and
# N more not shown"), not 100 in all and the rest blamed on the last file shown (QA)
L=fixtures/returns/2022-23/E23000001.xml
mkdir "$tmp/many"
for i in $(seq 150); do sed 's/>6867</>x</' "$L" >"$tmp/many/i$i.xml"; done
"$bin/mappa-merge" -o "$tmp/many.obs" "$tmp"/many/*.xml 2>"$tmp/err"
s=$?
n=$(grep -c "error\[R06\]" "$tmp/err")
[ $s -eq 65 ] && [ "$n" -eq 150 ] && ! grep -q "more not shown" "$tmp/err" && ok ||
	bad "150 bad returns: exit $s, $n R06 shown, $(grep "more not shown" "$tmp/err")"
named=$(grep -o "^[^:]*/i[0-9]*\.xml:" "$tmp/err" | sort -u | wc -l)
[ "$named" -eq 150 ] && ok || bad "150 bad returns: $named named"
# one file with more than 100: its own 100, then its own "and N more"; the other still named
python3 - "$L" "$tmp/many/dups.xml" <<'PY'
import sys
t = open(sys.argv[1]).read()
dup = "\n".join('<count category="1" level="1">1</count>' for i in range(300))
open(sys.argv[2], "w").write(t.replace("<eligible>\n", "<eligible>\n" + dup + "\n", 1))
PY
"$bin/mappa-merge" -o "$tmp/many.obs" "$tmp/many/dups.xml" "$tmp/many/i1.xml" 2>"$tmp/err"
s=$?
[ $s -eq 65 ] && [ "$(grep -c "^$tmp/many/dups.xml:[0-9]*: error" "$tmp/err")" -eq 100 ] &&
	grep -q "^$tmp/many/dups.xml: and [0-9]* more not shown" "$tmp/err" &&
	grep -q "^$tmp/many/i1.xml:[0-9]*: error\[R06\]" "$tmp/err" &&
	! grep -q "^$tmp/many/i1.xml: and" "$tmp/err" && ok ||
	bad "a file with 300 diagnostics and one with 1: exit $s, $(grep -c . "$tmp/err") lines"

# --report is written atomically (O10 when it cannot be, nothing left), and only stays when the
# dataset was written too: "nothing written" is true (QA)
F=fixtures/returns/2022-23
(trap '' XFSZ; ulimit -f 1; "$bin/mappa-merge" --report "$tmp/r.txt" -o "$tmp/m2.obs" "$F"/*.xml 2>"$tmp/err")
s=$?
[ $s -eq 74 ] && [ ! -e "$tmp/r.txt" ] && [ ! -e "$tmp/m2.obs" ] &&
	grep -q "^$tmp/r.txt:0: error\[O10\]: cannot write" "$tmp/err" && ok ||
	bad "report over the file size limit: exit $s, $(ls "$tmp" | grep -c 'r.txt\|m2.obs') left, $(cat "$tmp/err")"
ls "$tmp" | grep -q "\.tmp\." && bad "a temporary file left: $(ls "$tmp")" || ok
echo old >"$tmp/r.txt"
"$bin/mappa-merge" --report "$tmp/r.txt" -o "$tmp/nodir/m.obs" "$F"/*.xml 2>"$tmp/err"
s=$?
[ $s -eq 73 ] && [ "$(cat "$tmp/r.txt")" = old ] && grep -q "nothing written" "$tmp/err" && ok ||
	bad "-o cannot be created: exit $s, the report is $(head -c 40 "$tmp/r.txt")"
ls "$tmp" | grep -q "\.tmp\." && bad "a temporary file left: $(ls "$tmp")" || ok
"$bin/mappa-merge" --report /dev/full -o "$tmp/m4.obs" "$F"/*.xml 2>"$tmp/err"
s=$?
[ $s -eq 74 ] && [ ! -e "$tmp/m4.obs" ] && grep -q "^/dev/full:0: error\[O10\]: cannot write" "$tmp/err" && ok ||
	bad "report to a full disk: exit $s, $(cat "$tmp/err")"
"$bin/mappa-merge" --report "$tmp/r.txt" -o "$tmp/m3.obs" "$F"/*.xml 2>/dev/null &&
	grep -q . "$tmp/r.txt" && [ "$(cat "$tmp/r.txt")" != old ] && [ -s "$tmp/m3.obs" ] && ok ||
	bad "report and dataset: not both written"

# two outputs on standard output: refused as mappa-suppress refuses it (QA)
"$bin/mappa-merge" --report - -o - "$F"/*.xml >"$tmp/out" 2>"$tmp/err"
s=$?
[ $s -eq 64 ] && [ ! -s "$tmp/out" ] && grep -q "same file" "$tmp/err" && ok ||
	bad "--report - -o -: exit $s, $(wc -c <"$tmp/out") bytes on stdout"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
