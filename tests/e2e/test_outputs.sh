#!/bin/bash
# End to end: what the programs write, and how they say what went wrong (issue 11, items 2
# and 4). An output (-o, --report, the bundle) that is a symbolic link is refused, never
# written through nor replaced: exit 73 and a message naming it, the link and its target left as
# they were. Every diagnostic is a FILE:LINE: error[RULE] line with the file quoted, the file
# being the one the diagnostic is about. Run from the repository root with MAPPA_BIN set.
set -u
bin=$(cd "${MAPPA_BIN:-bin}" && pwd) || exit 1
pass=0 fail=0
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
F=fixtures/valid/london-2022-23.xml

ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; [ -f "$tmp/err" ] && sed 's/^/  | /' "$tmp/err" | head -5; }

# refused NAME LINK CMD...: CMD exits 73, says the output is a symbolic link, and LINK still
# points at its target, which holds "precious" as before
refused() {
	local name=$1 link=$2
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"
	local s=$?
	if [ $s -ne 73 ]; then bad "$name: exit $s, expected 73"; return; fi
	if ! grep -q "symbolic link" "$tmp/err"; then bad "$name: the message does not say why"; return; fi
	if [ ! -L "$link" ] || [ "$(cat "$tmp/target")" != precious ]; then
		bad "$name: the link or its target changed"; return
	fi
	ok "$name"
}

"$bin/mappa-normalise" -o "$tmp/n.obs" "$F" 2>/dev/null || { echo "FAIL: normalise"; exit 1; }
"$bin/mappa-sample" --areas 3 --seed 11 --stage merged "$tmp/m3.ds" || { echo "FAIL: sample"; exit 1; }
"$bin/mappa-sample" --areas 3 --seed 11 "$tmp/s3.ds" || { echo "FAIL: sample"; exit 1; }

# the bundles already published (mappa-publish reads them from --history, by default the output
# folder, where these tests put links): none
mkdir -p "$tmp/hist"

reset_link() { echo precious >"$tmp/target"; rm -f "$1"; ln -s "$tmp/target" "$1"; }

reset_link "$tmp/link.obs"
refused "normalise -o a symbolic link" "$tmp/link.obs" "$bin/mappa-normalise" -o "$tmp/link.obs" "$F"
reset_link "$tmp/link.obs"
refused "merge -o a symbolic link" "$tmp/link.obs" "$bin/mappa-merge" --allow-missing -o "$tmp/link.obs" "$tmp/n.obs"
reset_link "$tmp/link.txt"
refused "merge --report a symbolic link" "$tmp/link.txt" \
	"$bin/mappa-merge" --allow-missing --report "$tmp/link.txt" -o "$tmp/m.obs" "$tmp/n.obs"
reset_link "$tmp/link.obs"
refused "suppress -o a symbolic link" "$tmp/link.obs" "$bin/mappa-suppress" -o "$tmp/link.obs" "$tmp/m3.ds"
reset_link "$tmp/link.txt"
refused "suppress --report a symbolic link" "$tmp/link.txt" \
	"$bin/mappa-suppress" --report "$tmp/link.txt" -o "$tmp/s.obs" "$tmp/m3.ds"
reset_link "$tmp/link.obs"
refused "sample OUT a symbolic link" "$tmp/link.obs" "$bin/mappa-sample" --areas 3 "$tmp/link.obs"
# an output that is another output or an input: 64 before anything is written (mappa-merge -o
# m.obs --report m.obs kept the dataset only, exit 0; mappa-normalise -o RET RET replaced the
# return with its observations)
same() { # NAME FILE-THAT-MUST-NOT-CHANGE CMD...
	local name=$1 keep=$2 before
	shift 2
	before=$(sha256sum <"$keep")
	"$@" >"$tmp/out" 2>"$tmp/err"
	local s=$?
	if [ $s -ne 64 ]; then bad "$name: exit $s, expected 64"; return; fi
	if ! grep -q "name the same file\|is an input\|is the input\|is the reference data\|is the policy" "$tmp/err"; then bad "$name: $(head -c 200 "$tmp/err")"; return; fi
	[ "$(sha256sum <"$keep")" = "$before" ] && ok "$name" || bad "$name: $keep changed"
}
cp "$F" "$tmp/ret.xml"
same "normalise -o its own input" "$tmp/ret.xml" "$bin/mappa-normalise" -o "$tmp/ret.xml" "$tmp/ret.xml"
same "normalise -o its input by another name" "$tmp/ret.xml" "$bin/mappa-normalise" -o "$tmp/./ret.xml" "$tmp/ret.xml"
cp "$tmp/n.obs" "$tmp/n2.obs"
same "merge -o an input" "$tmp/n2.obs" "$bin/mappa-merge" --allow-missing -o "$tmp/n2.obs" "$tmp/n.obs" "$tmp/n2.obs"
echo keep >"$tmp/same.obs"
same "merge -o and --report the same file" "$tmp/same.obs" \
	"$bin/mappa-merge" --allow-missing -o "$tmp/same.obs" --report "$tmp/./same.obs" "$tmp/n.obs"
same "suppress -o and --report the same file" "$tmp/same.obs" \
	"$bin/mappa-suppress" -o "$tmp/same.obs" --report "$tmp/same.obs" "$tmp/m3.ds"
cp "$tmp/m3.ds" "$tmp/m3b.ds"
same "suppress -o its input" "$tmp/m3b.ds" "$bin/mappa-suppress" -o "$tmp/m3b.ds" "$tmp/m3b.ds"
ln -f "$tmp/m3b.ds" "$tmp/m3hard.ds"
same "suppress --report a hard link to its input" "$tmp/m3b.ds" \
	"$bin/mappa-suppress" -o "$tmp/s9.obs" --report "$tmp/m3hard.ds" "$tmp/m3b.ds"
"$bin/mappa-merge" --allow-missing -o "$tmp/m9.obs" --report - "$tmp/n.obs" >/dev/null 2>&1 &&
	ok "merge --report - with -o: both written" || bad "merge --report -: exit $?"
# the reference data and the policy are inputs too, and -d's outputs may be none of the inputs
# (QA: each of these replaced its input, exit 0, or the return E.obs, then blamed it with R01)
cp reference/areas.xml "$tmp/areas.xml"
cp policy/default.xml "$tmp/pol.xml"
same "normalise -o its --reference" "$tmp/areas.xml" \
	"$bin/mappa-normalise" --reference "$tmp/areas.xml" -o "$tmp/areas.xml" "$F"
same "merge -o its --reference" "$tmp/areas.xml" \
	"$bin/mappa-merge" --allow-missing --reference "$tmp/areas.xml" -o "$tmp/areas.xml" "$tmp/n.obs"
same "merge --report its --reference" "$tmp/areas.xml" \
	"$bin/mappa-merge" --allow-missing --reference "$tmp/./areas.xml" --report "$tmp/areas.xml" \
	-o "$tmp/m8.obs" "$tmp/n.obs"
same "suppress -o its --policy" "$tmp/pol.xml" \
	"$bin/mappa-suppress" --policy "$tmp/pol.xml" -o "$tmp/pol.xml" "$tmp/m3.ds"
same "suppress --report its --policy" "$tmp/pol.xml" \
	"$bin/mappa-suppress" --policy "$tmp/pol.xml" --report "$tmp/pol.xml" -o "$tmp/s8.obs" "$tmp/m3.ds"
mkdir -p "$tmp/dd"
cp "$F" "$tmp/dd/E.xml"
cp fixtures/returns/2022-23/E23000002.xml "$tmp/dd/E.obs"
same "normalise -d: one return's output another return" "$tmp/dd/E.obs" \
	"$bin/mappa-normalise" -d "$tmp/dd" "$tmp/dd/E.xml" "$tmp/dd/E.obs"
same "normalise -d: the same, the other order" "$tmp/dd/E.obs" \
	"$bin/mappa-normalise" -d "$tmp/dd" "$tmp/dd/E.obs" "$tmp/dd/E.xml"
cp reference/areas.xml "$tmp/dd/E.obs"
same "normalise -d: a return's output its --reference" "$tmp/dd/E.obs" \
	"$bin/mappa-normalise" --reference "$tmp/dd/E.obs" -d "$tmp/dd" "$tmp/dd/E.xml"

mkdir -p "$tmp/pub"
reset_link "$tmp/pub/mappa-2022-23.tar.gz"
refused "publish: the bundle a symbolic link" "$tmp/pub/mappa-2022-23.tar.gz" \
	"$bin/mappa-publish" --history "$tmp/hist" -o "$tmp/pub" "$tmp/s3.ds"
reset_link "$tmp/pub/mappa-2022-23.zip"
refused "publish: the zip bundle a symbolic link" "$tmp/pub/mappa-2022-23.zip" \
	"$bin/mappa-publish" --history "$tmp/hist" --format=zip -o "$tmp/pub" "$tmp/s3.ds"
# the folder's name is quoted in the message, never printed raw
escdir="$tmp/$(printf 'pub\033[2J')"
mkdir -p "$escdir" && echo precious >"$tmp/target" && ln -s "$tmp/target" "$escdir/mappa-2022-23.tar.gz"
"$bin/mappa-publish" --history "$tmp/hist" -o "$escdir" "$tmp/s3.ds" >"$tmp/out" 2>"$tmp/err"
s=$?
[ $s -eq 73 ] && ! LC_ALL=C grep -q "$(printf '\033')" "$tmp/err" && grep -q 'pub\\033\[2J' "$tmp/err" &&
	ok "publish: a folder name with ESC is quoted in the refusal" ||
	bad "publish: a folder name with ESC is quoted in the refusal (exit $s)"
# a dangling link is refused too (it would create the file it names)
rm -f "$tmp/dangling" && ln -s "$tmp/nowhere/x" "$tmp/dangling"
"$bin/mappa-normalise" -o "$tmp/dangling" "$F" 2>"$tmp/err"
s=$?; [ $s -eq 73 ] && [ -L "$tmp/dangling" ] && ok "a dangling symbolic link is refused" ||
	bad "a dangling symbolic link: exit $s"
# a link to the output folder stays usable: only the file written is checked
ln -s "$tmp/pub" "$tmp/publink"
rm -f "$tmp/pub/mappa-2022-23.tar.gz"
"$bin/mappa-publish" --history "$tmp/hist" -o "$tmp/publink" "$tmp/s3.ds" 2>"$tmp/err" && [ -f "$tmp/pub/mappa-2022-23.tar.gz" ] &&
	ok "publish into a folder named by a symbolic link" || bad "publish into a folder named by a symbolic link"
# an ordinary existing output is replaced as before
echo old >"$tmp/plain.obs"
"$bin/mappa-normalise" -o "$tmp/plain.obs" "$F" 2>"$tmp/err" && grep -q '^mappa-observations' "$tmp/plain.obs" &&
	ok "an existing regular output is replaced" || bad "an existing regular output is replaced"

# a FIFO or a device where a dataset goes is written to, never replaced by a file (run as root,
# -o /dev/null put a file in the place of the device); a folder is refused (73), and so is a
# FIFO where a bundle goes (a bundle is a file renamed into place)
mkfifo "$tmp/out.fifo"
timeout 60 cat "$tmp/out.fifo" >"$tmp/out.fifo.out" &
reader=$!
"$bin/mappa-normalise" -o "$tmp/out.fifo" "$F" 2>"$tmp/err"
s=$?
[ $s -eq 0 ] || : >"$tmp/out.fifo" # let the reader go
wait $reader
[ $s -eq 0 ] && [ -p "$tmp/out.fifo" ] && grep -q '^end' "$tmp/out.fifo.out" &&
	ok "normalise -o a FIFO writes into it" || bad "normalise -o a FIFO: exit $s"
if mknod "$tmp/null" c 1 3 2>/dev/null; then
	for prog in "mappa-normalise -o $tmp/null $F" "mappa-merge --allow-missing -o $tmp/null $tmp/n.obs" \
		"mappa-suppress -o $tmp/null $tmp/m3.ds" "mappa-sample --areas 3 $tmp/null"; do
		# shellcheck disable=SC2086 # the words of each command
		"$bin"/$prog >/dev/null 2>"$tmp/err"
		s=$?
		[ $s -eq 0 ] && [ -c "$tmp/null" ] && ok "${prog%% *} -o a character device writes into it" ||
			bad "${prog%% *} -o a character device: exit $s, $(ls -l "$tmp/null")"
	done
else
	echo "skip a character device (mknod is not allowed here)"
fi
# mappa-sample: a period that is not two consecutive years, and a --missing area that is not
# one written, and a second --missing (the last was kept without a word), are bad usage (the first two were
# written, exit 0), and so is the only area missing from a suppressed dataset (QA: 65, S02
# "changed after it was written?"); a full disk is 74, as for the stages
for args in "--period 2022-24" "--missing XYZ99" "--areas 3 --missing E23000010" \
	"--areas 3 --missing E23000002 --missing E23000003" "--areas 1 --missing E23000001"; do
	# shellcheck disable=SC2086 # the words of each case
	"$bin/mappa-sample" $args "$tmp/bad-sample.obs" >/dev/null 2>"$tmp/err"; s=$?
	[ $s -eq 64 ] && [ ! -e "$tmp/bad-sample.obs" ] && ok "sample $args: 64, nothing written" ||
		bad "sample $args: exit $s"
done
# a number with a sign or a space is bad usage, as every other number option's (QA: --areas '+5'
# and ' 5' were 5)
for args in "--areas|+5" "--areas| 5" "--areas|5 " "--areas|-5" "--seed|+1" "--seed| 1"; do
	"$bin/mappa-sample" "${args%%|*}" "${args#*|}" "$tmp/bad-sample.obs" >/dev/null 2>"$tmp/err"; s=$?
	[ $s -eq 64 ] && [ ! -e "$tmp/bad-sample.obs" ] && grep -q "^mappa-sample: bad \(number of areas\|seed\) " "$tmp/err" &&
		ok "sample ${args%%|*} '${args#*|}': 64, nothing written" || bad "sample ${args%%|*} '${args#*|}': exit $s: $(head -c 200 "$tmp/err")"
done
"$bin/mappa-sample" --areas 3 --missing E23000002 "$tmp/ok-sample.obs" 2>"$tmp/err" &&
	grep -q "^area	E23000002	.*	missing	" "$tmp/ok-sample.obs" && ok "sample --missing an area written: it is missing" ||
	bad "sample --missing E23000002: $(grep E23000002 "$tmp/ok-sample.obs" | head -1)"
if [ -w /dev/full ]; then
	"$bin/mappa-sample" --areas 3 /dev/full 2>"$tmp/err"; s=$?
	[ $s -eq 74 ] && grep -q "error\[O10\]: cannot write: No space left on device" "$tmp/err" &&
		ok "sample to a full disk: 74" || bad "sample to a full disk: exit $s"
fi
mkdir "$tmp/dir.obs"
"$bin/mappa-suppress" -o "$tmp/dir.obs" "$tmp/m3.ds" 2>"$tmp/err"
s=$?
[ $s -eq 73 ] && [ -d "$tmp/dir.obs" ] && grep -q "dir.obs:0: error\[O10\]: cannot write: not a regular file" "$tmp/err" &&
	ok "suppress -o a folder is refused" || bad "suppress -o a folder: exit $s"
rm -f "$tmp/pub/mappa-2022-23.tar.gz" && mkfifo "$tmp/pub/mappa-2022-23.tar.gz"
"$bin/mappa-publish" --history "$tmp/hist" -o "$tmp/pub" "$tmp/s3.ds" >/dev/null 2>"$tmp/err"
s=$?
[ $s -eq 73 ] && [ -p "$tmp/pub/mappa-2022-23.tar.gz" ] && grep -q "error\[B02\]: cannot write: not a regular file" "$tmp/err" &&
	ok "publish: a FIFO where the bundle goes is refused" || bad "publish: a FIFO where the bundle goes: exit $s"
rm -f "$tmp/pub/mappa-2022-23.tar.gz"

# diagnostics: the dataset's own (quoted) name, a located line, never another file's name
name=$(printf 'in\033[2Jx.ds')
cp "$tmp/m3.ds" "$tmp/$name"
"$bin/mappa-publish" --history "$tmp/hist" -o "$tmp/pub" "$tmp/$name" >"$tmp/out" 2>"$tmp/err"
s=$?
if [ $s -eq 65 ] && grep -q "^\"$tmp/in\\\\033\[2Jx.ds\":2: error\[P01\]: " "$tmp/err" &&
	! LC_ALL=C grep -q "$(printf '\033')" "$tmp/err"; then
	ok "publish: P01 names the dataset, quoted"
else
	bad "publish: P01 names the dataset, quoted (exit $s)"
fi
# a reference file with an error: its diagnostics keep its name and line
sed 's/<area /<area bogus="1" /' reference/areas.xml >"$tmp/ref.xml"
"$bin/mappa-publish" --history "$tmp/hist" --reference "$tmp/ref.xml" -o "$tmp/pub" "$tmp/s3.ds" >"$tmp/out" 2>"$tmp/err"
s=$?
if [ $s -eq 65 ] && grep -q "^$tmp/ref.xml:[1-9][0-9]*: error\[" "$tmp/err"; then
	ok "publish: a bad reference file is located"
else
	bad "publish: a bad reference file is located (exit $s)"
fi
# a schema that does not compile: its error is located in the schema (it was "line N:" inside
# the message of a program line)
printf '<?xml version="1.0"?>\n<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">\n<xs:element name="a" type="nosuch"/>\n</xs:schema>\n' >"$tmp/bad.xsd"
"$bin/mappa-validate" --schema "$tmp/bad.xsd" "$F" >"$tmp/out" 2>"$tmp/err"
s=$?
if [ $s -eq 65 ] && grep -q "^$tmp/bad.xsd:3: error\[R00\]: " "$tmp/err"; then
	ok "validate --schema: a schema error is located"
else
	bad "validate --schema: a schema error is located (exit $s)"
fi
# a dataset of the wrong stage: the stage line is named (it was line 0)
"$bin/mappa-merge" -o "$tmp/x.obs" "$tmp/s3.ds" >/dev/null 2>"$tmp/err"
grep -q "^$tmp/s3.ds:2: error\[M01\]: a suppressed dataset" "$tmp/err" && ok "merge: M01 names the stage line" ||
	bad "merge: M01 names the stage line"
"$bin/mappa-suppress" -o "$tmp/x.obs" "$tmp/s3.ds" >/dev/null 2>"$tmp/err"
grep -q "^$tmp/s3.ds:2: error\[S01\]: " "$tmp/err" && ok "suppress: S01 names the stage line" ||
	bad "suppress: S01 names the stage line"
# every line on stderr of a refused run is a located diagnostic or a "PROG: " message
for p in normalise merge suppress publish audit; do
	case $p in
	normalise) "$bin/mappa-normalise" -o "$tmp/x.obs" fixtures/invalid/cat3-level1.xml ;;
	merge) "$bin/mappa-merge" -o "$tmp/x.obs" "$tmp/s3.ds" ;;
	suppress) "$bin/mappa-suppress" -o "$tmp/x.obs" "$tmp/n.obs" ;;
	publish) "$bin/mappa-publish" --history "$tmp/hist" -o "$tmp/pub" "$tmp/m3.ds" ;;
	audit) "$bin/mappa-audit" "$tmp/m3.ds" ;;
	esac >/dev/null 2>"$tmp/err"
	if grep -v -E "^(\"[^\"]*\"|[^ \"]+):[0-9]+: (error|warning)\[[A-Z][0-9][0-9]\]: |^mappa-$p: |^  " "$tmp/err" |
		grep -q .; then
		bad "$p: a line on stderr is neither a diagnostic nor a 'mappa-$p:' message"
	elif grep -q ":0: error\[.*:[0-9][0-9]*: " "$tmp/err"; then
		bad "$p: a line number is buried in a line-0 diagnostic"
	else
		ok "$p: stderr holds only diagnostics and 'mappa-$p:' messages"
	fi
done

# one error convention: a file that cannot be read is a diagnostic of that file at line 0 with
# the rule of its reader, and the errno it keeps gives the exit status (66); the bundle that
# cannot be written in place is B02 of the bundle's path (73)
cannot() { # NAME STATUS DIAGNOSTIC CMD...: CMD exits STATUS and prints the DIAGNOSTIC line
	local name=$1 want=$2 line=$3
	shift 3
	"$@" >"$tmp/out" 2>"$tmp/err"
	local s=$?
	if [ $s -eq "$want" ] && grep -qxF "$line" "$tmp/err"; then ok "$name"; else bad "$name (exit $s)"; fi
}
gone="No such file or directory"
cannot "merge: an input that is not there is M11" 66 "$tmp/none.xml:0: error[M11]: cannot read: $gone" \
	"$bin/mappa-merge" -o "$tmp/x.obs" "$tmp/none.xml"
cannot "merge: a FIFO is M11, not a regular file" 66 \
	"$tmp/fifo:0: error[M11]: cannot read: not a regular file (a FIFO, a device or a socket is never read)" \
	bash -c "mkfifo '$tmp/fifo' && exec '$bin/mappa-merge' -o '$tmp/x.obs' '$tmp/fifo'"
cannot "suppress: a dataset that is not there is O08" 66 "$tmp/none.ds:0: error[O08]: cannot read: $gone" \
	"$bin/mappa-suppress" -o "$tmp/x.obs" "$tmp/none.ds"
cannot "publish: a dataset that is not there is O08" 66 "$tmp/none.ds:0: error[O08]: cannot read: $gone" \
	"$bin/mappa-publish" --history "$tmp/hist" -o "$tmp/pub" "$tmp/none.ds"
cannot "normalise --reference that is not there is F05" 66 "$tmp/none.xml:0: error[F05]: cannot read: $gone" \
	"$bin/mappa-normalise" --reference "$tmp/none.xml" -o "$tmp/x.obs" "$F"
cannot "publish --release that is not there is L05" 66 "$tmp/none.xml:0: error[L05]: cannot read: $gone" \
	"$bin/mappa-publish" --release "$tmp/none.xml" --history "$tmp/hist" -o "$tmp/pub" "$tmp/s3.ds"
cannot "publish --policy that is not there is C01" 66 "$tmp/none.xml:0: error[C01]: cannot read: $gone" \
	"$bin/mappa-publish" --policy "$tmp/none.xml" --history "$tmp/hist" -o "$tmp/pub" "$tmp/s3.ds"
cannot "publish --history that is not there is H01" 66 "$tmp/nohist:0: error[H01]: cannot read: $gone" \
	"$bin/mappa-publish" --history "$tmp/nohist" -o "$tmp/pub" "$tmp/s3.ds"
# --dataset with a suppressed dataset as INPUT: the input holds the true values; it was
# ignored without a word, even naming a file that is not there (QA)
"$bin/mappa-audit" --dataset "$tmp/none.ds" "$tmp/s3.ds" >/dev/null 2>"$tmp/err"; s=$?
[ $s -eq 64 ] && grep -q "INPUT is a suppressed dataset, which holds them" "$tmp/err" && ok "audit --dataset with a dataset as INPUT: 64" ||
	bad "audit --dataset with a dataset as INPUT: exit $s, $(head -c 200 "$tmp/err")"
cannot "audit --earlier that is not there is H01" 66 "$tmp/none.tar.gz:0: error[H01]: cannot read: $gone" \
	"$bin/mappa-audit" --earlier "$tmp/none.tar.gz" "$tmp/s3.ds"
cannot "audit --earlier a FIFO is H01, not a regular file" 66 \
	"$tmp/fifo:0: error[H01]: cannot read: not a regular file (a FIFO, a device or a socket is never read)" \
	"$bin/mappa-audit" --earlier "$tmp/fifo" "$tmp/s3.ds"
# a name with a TAB is quoted once, as every name is: the history reader quoted the path and
# the printer quoted the quoted form again
printf 'not an archive' >"$tmp/bad	name.tar.gz"
cannot "audit --earlier a damaged bundle with a TAB in its name: quoted once" 65 \
	"\"$tmp/bad\\tname.tar.gz\":0: error[H01]: not a .tar.gz or .zip archive, or a damaged one: neither a gzip-compressed tar nor a zip" \
	"$bin/mappa-audit" --earlier "$tmp/bad	name.tar.gz" "$tmp/s3.ds"
cannot "audit --earlier a FIFO with a TAB in its name: quoted once" 66 \
	"\"$tmp/fi\\tfo\":0: error[H01]: cannot read: not a regular file (a FIFO, a device or a socket is never read)" \
	bash -c "mkfifo '$tmp/fi	fo' && exec '$bin/mappa-audit' --earlier '$tmp/fi	fo' '$tmp/s3.ds'"
mkdir -p "$tmp/hi	st"
cp "$tmp/bad	name.tar.gz" "$tmp/hi	st/mappa-2021-22.tar.gz"
cannot "publish --history: a damaged bundle in a folder with a TAB in its name: quoted once" 65 \
	"\"$tmp/hi\\tst/mappa-2021-22.tar.gz\":0: error[H01]: not a .tar.gz or .zip archive, or a damaged one: neither a gzip-compressed tar nor a zip" \
	"$bin/mappa-publish" --history "$tmp/hi	st" -o "$tmp/pub" "$tmp/s3.ds"
printf '<release xmlns="urn:mappa:release:1" version="1">\n<date>2024-01-01</date>\n<next>2023-12</next>\n</release>\n' >"$tmp/rel.xml"
cannot "publish --release: L04 at the line of <next>" 65 \
	"$tmp/rel.xml:3: error[L04]: next release '2023-12' is not after the release date '2024-01-01'" \
	"$bin/mappa-publish" --release "$tmp/rel.xml" --history "$tmp/hist" -o "$tmp/pub" "$tmp/s3.ds"
reset_link "$tmp/pub/mappa-2022-23.tar.gz"
cannot "publish: the bundle a symbolic link is B02 of its path" 73 \
	"$tmp/pub/mappa-2022-23.tar.gz:0: error[B02]: cannot write: a symbolic link (an output is never written through one, nor replaced)" \
	"$bin/mappa-publish" --history "$tmp/hist" -o "$tmp/pub" "$tmp/s3.ds"
rm -f "$tmp/pub/mappa-2022-23.tar.gz"
reset_link "$tmp/link.obs"
cannot "normalise -o a symbolic link is O10 of the output" 73 \
	"$tmp/link.obs:0: error[O10]: cannot write: a symbolic link (an output is never written through one, nor replaced)" \
	"$bin/mappa-normalise" -o "$tmp/link.obs" "$F"
cannot "merge -o into a folder that is not there is O10" 73 \
	"$tmp/nowhere/m.obs:0: error[O10]: cannot write: $gone" \
	"$bin/mappa-merge" --allow-missing -o "$tmp/nowhere/m.obs" "$tmp/n.obs"

# the readers of a return (validate, normalise) and of audit's input put "cannot read" into the
# diagnostics too (issue 11, item 4): the library's R03 or O08 of the file at line 0, keeping
# the errno that gives 66, and the program prints the list and nothing of its own (stderr is
# exactly these lines); a file over the size cap is a data error (65)
only() { # NAME STATUS EXPECTED-STDERR CMD...: CMD exits STATUS and prints exactly EXPECTED-STDERR
	local name=$1 want=$2 expected=$3
	shift 3
	"$@" >"$tmp/out" 2>"$tmp/err"
	local s=$?
	if [ $s -eq "$want" ] && [ "$(cat "$tmp/err")" = "$expected" ]; then ok "$name"; else
		bad "$name (exit $s)"; cat "$tmp/err"; fi
}
isdir="Is a directory"
mkdir -p "$tmp/adir"
truncate -s 2M "$tmp/big.xml" && truncate -s 257M "$tmp/big.csv" || bad "cannot make the sparse files"
only "validate: a return that is not there is R03, 66" 66 "$tmp/none.xml:0: error[R03]: cannot read: $gone" \
	"$bin/mappa-validate" -q "$tmp/none.xml"
only "validate: a folder is R03, 66" 66 "$tmp/adir:0: error[R03]: cannot read: $isdir" \
	"$bin/mappa-validate" -q "$tmp/adir"
only "validate: the summary of a file that cannot be read" 66 \
	"$tmp/none.xml:0: error[R03]: cannot read: $gone
$tmp/none.xml: cannot be read" "$bin/mappa-validate" "$tmp/none.xml"
only "validate: larger than 1 MiB is R03 at line 1, 65" 65 \
	"$tmp/big.xml:1: error[R03]: the file is larger than 1048576 bytes: a return is a few kilobytes" \
	"$bin/mappa-validate" -q "$tmp/big.xml"
"$bin/mappa-validate" -q --format=xml "$tmp/none.xml" >"$tmp/out" 2>/dev/null; s=$?
[ $s -eq 66 ] && grep -q "status=\"unreadable\".*reason=\"$gone\"" "$tmp/out" &&
	grep -q '<diagnostic line="0" rule="R03" severity="error">cannot read: '"$gone"'</diagnostic>' "$tmp/out" &&
	ok "validate --format=xml: unreadable, its reason and its R03" || { bad "validate --format=xml unreadable (exit $s)"; cat "$tmp/out"; }
only "validate --schema that is not there is R00, 66" 66 "$tmp/none.xsd:0: error[R00]: cannot read: $gone" \
	"$bin/mappa-validate" -q --schema "$tmp/none.xsd" "$F"
only "validate --schema larger than 1 MiB is R00, 65" 65 "$tmp/big.xml:0: error[R00]: larger than 1048576 bytes" \
	"$bin/mappa-validate" -q --schema "$tmp/big.xml" "$F"
only "normalise: a return that is not there is R03, 66" 66 "$tmp/none.xml:0: error[R03]: cannot read: $gone" \
	"$bin/mappa-normalise" -o "$tmp/x.obs" "$tmp/none.xml"
only "normalise: a folder is R03, 66" 66 "$tmp/adir:0: error[R03]: cannot read: $isdir" \
	"$bin/mappa-normalise" -o "$tmp/x.obs" "$tmp/adir"
only "normalise: larger than 1 MiB is R03 at line 1, 65" 65 \
	"$tmp/big.xml:1: error[R03]: the file is larger than 1048576 bytes: a return is a few kilobytes
mappa-normalise: '$tmp/big.xml' is invalid (1 error): not normalised" \
	"$bin/mappa-normalise" -o "$tmp/x.obs" "$tmp/big.xml"
only "audit: an input that is not there is O08, 66" 66 "$tmp/none.csv:0: error[O08]: cannot read: $gone" \
	"$bin/mappa-audit" "$tmp/none.csv"
only "audit: a folder is O08, 66" 66 "$tmp/adir:0: error[O08]: cannot read: $isdir" \
	"$bin/mappa-audit" "$tmp/adir"
only "audit: larger than 256 MiB is O08, 65" 65 "$tmp/big.csv:0: error[O08]: larger than 268435456 bytes" \
	"$bin/mappa-audit" "$tmp/big.csv"
mkdir -p "$tmp/pa" && "$bin/mappa-publish" --history "$tmp/hist" -o "$tmp/pa" "$tmp/s3.ds" 2>/dev/null &&
	tar -xzf "$tmp/pa/mappa-2022-23.tar.gz" -C "$tmp/pa" || bad "cannot publish for the audit"
only "audit --dataset that is not there is O08, 66" 66 "$tmp/none.ds:0: error[O08]: cannot read: $gone" \
	"$bin/mappa-audit" --dataset "$tmp/none.ds" "$tmp/pa/mappa-2022-23/observations.csv"
rm -f "$tmp/big.xml" "$tmp/big.csv"

# --help and --version through the one skeleton: every program, the same shape
for p in "$bin"/mappa-*; do
	n=$(basename "$p")
	"$p" --version >"$tmp/out" 2>&1 && grep -qx "$n [0-9][0-9.]*" "$tmp/out" && ok "$n --version" ||
		bad "$n --version"
	"$p" --help >"$tmp/out" 2>&1 && head -1 "$tmp/out" | grep -q "^usage: $n " && ok "$n --help" ||
		bad "$n --help"
	"$p" --no-such-option >"$tmp/out" 2>&1
	s=$?; [ $s -eq 64 ] && ok "$n: an unknown option is exit 64" || bad "$n: an unknown option: exit $s"
	# --help on a full disk: the text is lost, so it is not a success
	"$p" --help >/dev/full 2>"$tmp/err"
	s=$?; [ $s -eq 74 ] && grep -q "^$n: cannot write to standard output: No space left on device$" "$tmp/err" &&
		ok "$n --help on a full disk: exit 74 and why" || bad "$n --help on a full disk: exit $s"
done

# A standard output that cannot be written is exit 74 with "NAME: cannot write to standard
# output: REASON", never 0 with the output lost (mappa-audit --intervals, mappa-validate
# --format=xml and mappa-suppress -o - gave 0; mappa-suppress wrote a file named "-")
lost_stdout() {
	local name=$1 redir=$2 reason=$3
	shift 3
	rm -f "$tmp/err"
	case $redir in
	full) "$@" >/dev/full 2>"$tmp/err" ;;
	closed) "$@" >&- 2>"$tmp/err" ;;
	esac
	local s=$?
	if [ $s -ne 74 ]; then bad "$name: exit $s, expected 74"; return; fi
	if ! grep -q "^$(basename "$1"): cannot write to standard output: $reason" "$tmp/err"; then
		bad "$name: the message does not say why"; return
	fi
	ok "$name: exit 74 and why"
}
enospc="No space left on device"
# the fixtures suppressed: a dataset every audit passes
"$bin/mappa-merge" -o "$tmp/fx.ds" fixtures/returns/2022-23/*.xml 2>/dev/null &&
	"$bin/mappa-suppress" -o "$tmp/fx-s.ds" "$tmp/fx.ds" 2>/dev/null || bad "cannot suppress the fixtures"
lost_stdout "audit --intervals on a full disk" full "$enospc" \
	"$bin/mappa-audit" --attackers outsider --intervals "$tmp/fx-s.ds"
lost_stdout "audit --intervals to a closed descriptor" closed "Bad file descriptor" \
	"$bin/mappa-audit" --attackers outsider --intervals "$tmp/fx-s.ds"
# a status that says more is kept: an audit that fails is 65 whether or not its output is lost
# (a dataset the outsider breaks: the samples are suppressed by mappa-suppress now)
"$bin/mappa-audit" --attackers outsider --intervals fixtures/attacks/counts-at-the-limit.obs >/dev/full 2>"$tmp/err"
s=$?; [ $s -eq 65 ] && grep -q "cannot write to standard output" "$tmp/err" &&
	ok "audit that fails, on a full disk: exit 65, and the lost output said" ||
	bad "audit that fails, on a full disk: exit $s"
lost_stdout "validate --format=xml on a full disk" full "$enospc" "$bin/mappa-validate" --format=xml "$F"
lost_stdout "validate --format=xml to a closed descriptor" closed "Bad file descriptor" \
	"$bin/mappa-validate" --format=xml "$F"
grep -q "I/O error" "$tmp/err" && bad "validate --format=xml on a full disk: libxml2's own line too" ||
	ok "validate --format=xml on a full disk: one message, ours"
lost_stdout "normalise to stdout on a full disk" full "$enospc" "$bin/mappa-normalise" "$F"
lost_stdout "merge -o - on a full disk" full "$enospc" "$bin/mappa-merge" --allow-missing -o - "$F"
lost_stdout "suppress -o - on a full disk" full "$enospc" "$bin/mappa-suppress" -o - "$tmp/m3.ds"
[ -e ./- ] && { rm -f ./-; bad "suppress -o - wrote a file named -"; }
lost_stdout "sample --help to a closed descriptor" closed "Bad file descriptor" "$bin/mappa-sample" --help
(cd "$tmp" && "$bin/mappa-suppress" -o - m3.ds >"$tmp/s3-stdout.ds" 2>/dev/null)
s=$?
[ $s -eq 0 ] && [ ! -e "$tmp/-" ] && grep -q "^stage	suppressed$" "$tmp/s3-stdout.ds" &&
	ok "suppress -o -: the dataset on standard output, no file named -" ||
	bad "suppress -o -: exit $s, or a file named - (or no dataset on stdout)"
# a run whose closing line is lost says so, with -q it prints nothing and is 0
lost_stdout "run: its closing line on a full disk" full "$enospc" "$bin/mappa-run" fixtures/returns/2022-23 "$tmp/run-full"
"$bin/mappa-run" -q fixtures/returns/2022-23 "$tmp/run-q" >&-
s=$?; [ $s -eq 0 ] && ok "run -q with stdout closed: exit 0" || bad "run -q with stdout closed: exit $s"

# A closed stderr or stdout is never taken by a file the program opens: a message meant for
# it must not land in an output (/dev/null is put in its place, opened so that writes fail)
"$bin/mappa-merge" --report "$tmp/rep-closed.txt" -o "$tmp/m-closed.ds" "$F" "$tmp/none.xml" 2>&-
s=$?
[ $s -eq 66 ] && ! grep -q "error\[" "$tmp/rep-closed.txt" && ok "merge with stderr closed: exit 66, the report holds no diagnostic line" ||
	bad "merge with stderr closed: exit $s, or a diagnostic in the report"

# an unknown option is named as every other message names the program, not by the path it was
# run by, and quoted as names are (getopt's own message printed it raw: an option with a line
# end forged a second line of stderr, QA); exit 64
bad_names=""
for p in mappa-audit mappa-merge mappa-normalise mappa-publish mappa-run mappa-sample mappa-suppress mappa-validate; do
	"$bin/$p" --no-such-option >/dev/null 2>"$tmp/err"
	s=$?
	head -n 1 "$tmp/err" | grep -q "^$p: unrecognized option '--no-such-option'$" && [ $s -eq 64 ] ||
		bad_names="$bad_names $p"
	"$bin/$p" "$(printf -- '--x\nforged: line')" >/dev/null 2>"$tmp/err"
	grep -q '^forged' "$tmp/err" && bad_names="$bad_names $p(line)"
	head -n 1 "$tmp/err" | grep -qF '"--x\nforged: line"' || bad_names="$bad_names $p(quote)"
	"$bin/$p" "$(printf -- '-\001')" >/dev/null 2>"$tmp/err"
	head -n 1 "$tmp/err" | grep -qF "$p: invalid option \"-\\001\"" || bad_names="$bad_names $p(short)"
done
[ -z "$bad_names" ] && ok "an unknown option: each program says its name and quotes it, exit 64" ||
	bad "an unknown option:$bad_names"
"$bin/mappa-run" --period >/dev/null 2>"$tmp/err"
s=$?
[ $s -eq 64 ] && head -n 1 "$tmp/err" | grep -qx "mappa-run: option --period needs a value" &&
	ok "an option without its value: said, exit 64" || bad "an option without its value: exit $s, $(head -n 1 "$tmp/err")"
# as getopt_long takes them: a prefix of one option alone is that option, of two is ambiguous;
# a value given to an option that takes none (QA: all three were "unrecognized")
opt_msgs=""
for c in "--per|option --period needs a value" "--quiet=1|option --quiet takes no value" \
	 "--max-return-s|ambiguous option '--max-return-s'" "--quiet -xq|invalid option '-x'"; do
	# (word splitting on purpose: '--quiet -xq' is two arguments, the cluster after a long one)
	# shellcheck disable=SC2086
	"$bin/mappa-run" ${c%%|*} >/dev/null 2>"$tmp/err"
	s=$?
	[ $s -eq 64 ] && head -n 1 "$tmp/err" | grep -qxF "mappa-run: ${c#*|}" || opt_msgs="$opt_msgs ${c%%|*}"
done
[ -z "$opt_msgs" ] && ok "an option's prefix, a value where none is taken, an ambiguous prefix: each said, exit 64" ||
	bad "option messages:$opt_msgs"

# an option with a value given twice is bad usage (64): the second silently won, so a cron line
# "--policy default.xml ... --policy weaker.xml" ran the weaker policy without a word (QA);
# mappa-audit's --earlier is repeatable; a flag (-q) twice is harmless. The long-only options
# (--format, the release metadata) too: they took the last value in silence (QA)
twice=""
for c in "mappa-run|--policy policy/default.xml --policy fixtures/policy/outsider-only.xml fixtures/returns/2022-23 $tmp/twice-out|option --policy given twice: give it once" \
	 "mappa-suppress|-o $tmp/twice1.ds --output=$tmp/twice2.ds $tmp/s3.ds|option --output (-o) given twice: give it once" \
	 "mappa-validate|--format=text --format text $F|option --format given twice: give it once" \
	 "mappa-audit|--dataset $tmp/s3.ds --dataset $tmp/s3.ds x.csv|option --dataset given twice: give it once" \
	 "mappa-run|--format=zip --format=tar.gz fixtures/returns/2022-23 $tmp/twice-out|option --format given twice: give it once" \
	 "mappa-run|--release-date 2023-10-05 --release-date=2023-10-06 fixtures/returns/2022-23 $tmp/twice-out|option --release-date given twice: give it once" \
	 "mappa-publish|-o $tmp/twice-pub --email a@example.org --email b@example.org $tmp/s3.ds|option --email given twice: give it once" \
	 "mappa-publish|-o $tmp/twice-pub --producer A --producer B $tmp/s3.ds|option --producer given twice: give it once"; do
	prog=${c%%|*}; rest=${c#*|}; args=${rest%%|*}; msg=${rest#*|}
	# shellcheck disable=SC2086
	"$bin/$prog" $args >/dev/null 2>"$tmp/err"
	s=$?
	{ [ $s -eq 64 ] && head -n 1 "$tmp/err" | grep -qxF "$prog: $msg"; } || twice="$twice [$prog: $s $(head -n 1 "$tmp/err")]"
done
[ -z "$twice" ] && [ ! -e "$tmp/twice-out" ] && [ ! -e "$tmp/twice-pub" ] && [ ! -e "$tmp/twice1.ds" ] && [ ! -e "$tmp/twice2.ds" ] &&
	ok "an option with a value given twice: 64, said, nothing written" || bad "an option given twice:$twice"
"$bin/mappa-audit" --earlier "$tmp/none1.tar.gz" --earlier "$tmp/none2.tar.gz" "$tmp/none.csv" >/dev/null 2>"$tmp/err"
s=$?
[ $s -ne 64 ] && ! grep -q "given twice" "$tmp/err" && ok "mappa-audit --earlier twice: taken (exit $s, not 64)" ||
	bad "mappa-audit --earlier twice: exit $s, $(head -n 1 "$tmp/err")"

# an empty option value is bad usage (64), as docs/operations.md says; --policy '' was read as a
# file name and gave 66, "cannot read the policy '\"\"'"
bad_empty=""
for c in "mappa-run -q --policy '' fixtures/returns/2022-23 $tmp/empty-out" \
	 "mappa-run -q --history= fixtures/returns/2022-23 $tmp/empty-out" \
	 "mappa-merge -o '' $F" "mappa-suppress --report '' -o $tmp/e.obs $tmp/m3.ds" \
	 "mappa-publish --reference '' $tmp/s3.ds" "mappa-audit --policy '' $tmp/s3.ds" \
	 "mappa-validate --format= $F"; do
	eval "\"\$bin/\"$c" >/dev/null 2>"$tmp/err"; s=$?
	{ [ $s -eq 64 ] && grep -q "is empty" "$tmp/err"; } || bad_empty="$bad_empty [$c: $s]"
done
[ -z "$bad_empty" ] && [ ! -e "$tmp/empty-out" ] && ok "an empty option value: 64, said" || bad "an empty option value:$bad_empty"

# mappa-normalise -d: two returns with one name (d1/r.xml, d2/r.xml) were both written as
# DIR/r.obs, the second over the first, exit 0; mappa-merge wrote -o and then exited 73 when
# --report could not be made; mappa-suppress --report - made a file named '-'
mkdir -p "$tmp/nd/d1" "$tmp/nd/d2" "$tmp/nd/o"
cp "$F" "$tmp/nd/d1/r.xml" && cp "$F" "$tmp/nd/d2/r.xml"
"$bin/mappa-normalise" -d "$tmp/nd/o" "$tmp/nd/d1/r.xml" "$tmp/nd/d2/r.xml" >/dev/null 2>"$tmp/err"; s=$?
[ $s -eq 64 ] && grep -q "would both be written as one" "$tmp/err" && [ -z "$(ls -A "$tmp/nd/o")" ] &&
	ok "normalise -d: two returns of one name refused, nothing written" || bad "normalise -d, one name twice: exit $s"
rm -f "$tmp/mr.obs"
"$bin/mappa-merge" --allow-missing -o "$tmp/mr.obs" --report "$tmp/no-such-dir/r.txt" "$tmp/n.obs" >/dev/null 2>"$tmp/err"; s=$?
[ $s -eq 73 ] && [ ! -e "$tmp/mr.obs" ] && ok "merge: a report that cannot be made, no dataset either" ||
	bad "merge with an impossible --report: exit $s, dataset $( [ -e "$tmp/mr.obs" ] && echo written)"
(cd "$tmp" && "$bin/mappa-suppress" --report - -o "$tmp/sr.obs" "$tmp/m3.ds" >"$tmp/sr.txt" 2>/dev/null); s=$?
[ $s -eq 0 ] && [ ! -e "$tmp/-" ] && grep -q "^suppression of" "$tmp/sr.txt" &&
	ok "suppress --report -: the summary on standard output" || bad "suppress --report -: exit $s"

# a file size limit (ulimit -f) killed five programs with SIGXFSZ (exit 153) and left their
# temporary files (QA): the limit is a full disk like any other, exit 74, nothing left behind
mkdir -p "$tmp/fsz"
bad_fsz=""
for c in "mappa-normalise -o $tmp/fsz/n.obs $F" "mappa-merge --allow-missing -o $tmp/fsz/m.obs $tmp/n.obs" \
	 "mappa-suppress -o $tmp/fsz/s.obs $tmp/m3.ds" "mappa-sample --areas 3 --seed 11 $tmp/fsz/x.ds" \
	 "mappa-validate --format=xml fixtures/returns/2022-23/*.xml >$tmp/fsz/v.xml" \
	 "mappa-audit --intervals $tmp/sr.obs >$tmp/fsz/a.txt"; do
	(ulimit -f 1; eval "\"\$bin/\"$c" 2>"$tmp/err"); s=$?
	left=$(ls -A "$tmp/fsz" | grep -v -e '^v.xml$' -e '^a.txt$')
	{ [ $s -eq 74 ] && [ -z "$left" ]; } || bad_fsz="$bad_fsz [$c: exit $s, left: $left]"
	rm -rf "$tmp/fsz"/*
done
[ -z "$bad_fsz" ] && ok "a file size limit: 74 and no file left, in every program" || bad "a file size limit:$bad_fsz"

# names in a dataset are published as they are: an area name edited to hold an ESC and a \xff
# byte (the checksum recomputed) went into every format of the bundle, and its ODS was not
# well-formed XML (QA). The reader refuses a name or code that is not plain text (O03/O04 at
# its line); a Welsh letter stays a letter
rename_in() { # FILE OLD NEW OUT: OLD replaced once by NEW (bytes, with escapes), checksum rewritten
	python3 - "$@" <<'EOF'
import sys
sys.path.insert(0, "tests/support")
from obs_reseal import reseal
src, old, new, out = sys.argv[1:5]
old = old.encode().decode("unicode_escape").encode("latin-1")
new = new.encode().decode("unicode_escape").encode("latin-1")
b = open(src, "rb").read()
d = b[:b.rindex(b"end\t")].replace(old, new, 1)
open(out, "wb").write(reseal(d))
EOF
}
"$bin/mappa-merge" -o "$tmp/fx.obs" fixtures/returns/2022-23/*.xml 2>/dev/null &&
	"$bin/mappa-suppress" -o "$tmp/fxs.obs" "$tmp/fx.obs" 2>/dev/null || bad "merge and suppress the fixtures"
area1=$(awk -F'\t' '$1 == "area" { print $3; exit }' "$tmp/fxs.obs")
bad_names=""
for n in 'Lon\x1b[2J\xffdon' 'Lon\xe2\x80\xaedon' ' London' 'London '; do
	rename_in "$tmp/fxs.obs" "	$area1	" "	$n	" "$tmp/nm.obs"
	mkdir -p "$tmp/nmo"
	"$bin/mappa-publish" -o "$tmp/nmo" "$tmp/nm.obs" >/dev/null 2>"$tmp/err"; s=$?
	{ [ $s -eq 65 ] && grep -q "nm.obs:[0-9]*: error\[O04\]: .*control" "$tmp/err" && [ -z "$(ls -A "$tmp/nmo")" ]; } ||
		bad_names="$bad_names [$n: exit $s]"
	rm -rf "$tmp/nmo"
done
rename_in "$tmp/fxs.obs" "	England and Wales\n" "	England and Wales\x07\n" "$tmp/nm.obs"
"$bin/mappa-audit" "$tmp/nm.obs" >/dev/null 2>"$tmp/err"; s=$?
{ [ $s -eq 65 ] && grep -q "error\[O03\]: the national code or name" "$tmp/err"; } || bad_names="$bad_names [national name: exit $s]"
[ -z "$bad_names" ] && ok "a name that is not plain text in a dataset: refused at its line, nothing published" ||
	bad "names that are not plain text:$bad_names"
# a Welsh letter is text, not a control character: the reader takes it, and mappa-publish refuses
# the name only as not the reference data's (P03; reference names are ASCII, the Welsh ones apart)
rename_in "$tmp/fxs.obs" "	$area1	" "	Ynys M\xc3\xb4n	" "$tmp/nm.obs"
mkdir -p "$tmp/nmo"
"$bin/mappa-publish" -o "$tmp/nmo" "$tmp/nm.obs" >/dev/null 2>"$tmp/err"; s=$?
[ $s -eq 65 ] && grep -q "nm.obs:[1-9][0-9]*: error\[P03\]: area E23000001 is named 'Ynys Môn', but the reference data names it 'London'" "$tmp/err" &&
	! grep -q "O04" "$tmp/err" && ok "a Welsh letter in a dataset's name is read as text (P03: not the reference name)" ||
	bad "Ynys Môn: exit $s: $(head -1 "$tmp/err")"

# mappa-audit's reader of observations.csv: a NUL byte cut its field there (69495\0999 was read
# as 69495, exit 0), and an unterminated quote was reported at the file's last line (QA)
hdr='period,area_code,area_name,table,category,level,value,status\r\n'
printf "${hdr}2022-23,E23000001,London,eligible,1,1,69495\\0999,\\r\\n" >"$tmp/nul.csv"
"$bin/mappa-audit" "$tmp/nul.csv" >/dev/null 2>"$tmp/err"; s=$?
[ $s -eq 65 ] && grep -q "nul.csv:2: error\[P02\]: a NUL byte" "$tmp/err" && ok "audit: a NUL byte in observations.csv, P02 at its line" ||
	bad "audit, a NUL byte: exit $s"
{ printf "$hdr"; printf '2022-23,E23000001,London,eligible,1,1,5,\r\n'; printf '2022-23,E23000001,"London,eligible,1,2,5,\r\n';
  for i in 1 2 3; do printf '2022-23,E23000001,London,eligible,1,3,5,\r\n'; done; } >"$tmp/quote.csv"
"$bin/mappa-audit" "$tmp/quote.csv" >/dev/null 2>"$tmp/err"; s=$?
[ $s -eq 65 ] && grep -q "quote.csv:3: error\[P02\]" "$tmp/err" && ok "audit: a quote not closed, P02 at the row's line" ||
	{ bad "audit, a quote not closed: exit $s"; cat "$tmp/err"; }
# a row with a field too many was "not CSV (a quote not closed ...)", and reading stopped there,
# so a short row after it was not reported; an empty last line was "must have 8 fields" (QA)
{ printf "$hdr"; printf '2022-23,E23000001,London,eligible,1,1,5,,\r\n'; printf '2022-23,E23000001,London,eligible,1,2,5\r\n';
  printf '2022-23,E23000001,London,eligible,1,3,5,\r\n'; printf '\r\n'; } >"$tmp/fields.csv"
"$bin/mappa-audit" "$tmp/fields.csv" >/dev/null 2>"$tmp/err"; s=$?
[ $s -eq 65 ] && grep -q "fields.csv:2: error\[P02\]: a row must have 8 fields, and this one has 9$" "$tmp/err" &&
	grep -q "fields.csv:3: error\[P02\]: a row must have 8 fields, and this one has 7$" "$tmp/err" &&
	grep -q "fields.csv:5: error\[P02\]: an empty line: a row must have 8 fields$" "$tmp/err" &&
	ok "audit: a row with 9 fields and one with 7 both said with their count, reading on; an empty line said" ||
	{ bad "audit, rows with other numbers of fields: exit $s"; cat "$tmp/err"; }

# mappa-run: a return that cannot be read was reported as "invalid: cannot be read: permission
# denied", with no rule and no checks file (QA): R03, as every reader says it
as_other=""
if [ "$(id -u)" -eq 0 ]; then
	command -v setpriv >/dev/null && as_other="setpriv --reuid=65534 --regid=65534 --clear-groups"
	# (the checkout must be reachable by that user: not under a private home)
	[ -n "$as_other" ] && ! $as_other test -x "$bin/mappa-run" -a -r policy/default.xml 2>/dev/null && as_other=""
	[ -z "$as_other" ] && echo "skip run: an unreadable return (root, and no other user can run the checkout's programs)"
fi
if [ "$(id -u)" -ne 0 ] || [ -n "$as_other" ]; then
	u=$(mktemp -d /tmp/mappa-unr.XXXXXX) && chmod 755 "$u"
	mkdir -p "$u/in" "$u/out" && chmod 777 "$u/out"
	cp fixtures/returns/2022-23/*.xml "$u/in/" && chmod 000 "$u/in/E23000001.xml"
	$as_other "$bin/mappa-run" -q "$u/in" "$u/out/o" >/dev/null 2>&1; s=$?
	rep=$(ls -d "$u"/out/o/runs/*/ 2>/dev/null | head -n 1)
	[ $s -eq 65 ] && [ -n "$rep" ] && grep -q "E23000001.xml:0: error\[R03\]: cannot be read: permission denied" "$rep/report.txt" &&
		ok "run: an unreadable return is R03 in the report" || bad "run, an unreadable return: exit $s"
	rm -rf "$u"
fi

# mappa-run removed the operator's own files in OUTDIR (.tmp-x, .latest.back) as a killed run's
# leftovers (QA): only its own temporary links (.NAME.tmp-RUN) go
o=$tmp/dots
"$bin/mappa-run" -q fixtures/returns/2022-23 "$o" >/dev/null 2>&1
echo mine >"$o/.tmp-x"; echo mine >"$o/.latest.back"; ln -s runs/gone "$o/.latest.tmp-20990101T000000Z-1"
"$bin/mappa-run" -q fixtures/returns/2022-23 "$o" >/dev/null 2>&1; s=$?
[ $s -eq 0 ] && [ "$(cat "$o/.tmp-x")" = mine ] && [ "$(cat "$o/.latest.back")" = mine ] &&
	[ ! -L "$o/.latest.tmp-20990101T000000Z-1" ] &&
	ok "run: the operator's dot files stay, a killed run's temporary link goes" ||
	bad "run and dot files in OUTDIR: exit $s, $(ls -A "$o" | tr '\n' ' ')"

# mappa-run said "cannot read the policy" and "cannot read the history folder" with no rule,
# where every other program gives FILE:0: error[C01] / error[H01] (QA)
"$bin/mappa-run" -q --policy "$tmp/no-policy.xml" fixtures/returns/2022-23 "$tmp/np-out" >/dev/null 2>"$tmp/err"; s=$?
"$bin/mappa-run" -q --history "$tmp/no-history" fixtures/returns/2022-23 "$tmp/nh-out" >/dev/null 2>"$tmp/err2"; s2=$?
[ $s -eq 66 ] && grep -q "no-policy.xml:0: error\[C01\]: cannot read" "$tmp/err" &&
	[ $s2 -eq 66 ] && grep -q "no-history:0: error\[H01\]: cannot read" "$tmp/err2" &&
	ok "run: a policy or history folder that cannot be read, with its rule" || bad "run, unreadable policy/history: $s $s2"

# two periods tied in the inbox: standard error said only "the merge failed (see the report)",
# where the report said "give --period" (QA)
mkdir -p "$tmp/tie"
cp fixtures/returns/2022-23/E23000001.xml "$tmp/tie/a.xml"; cp fixtures/returns/2021-22/E23000001.xml "$tmp/tie/b.xml"
"$bin/mappa-run" -q "$tmp/tie" "$tmp/tie-out" >/dev/null 2>"$tmp/err"; s=$?
[ $s -eq 65 ] && grep -q "the merge failed: error\[M04\]: .*give --period" "$tmp/err" &&
	ok "run: two periods tied, stderr says to give --period" || bad "run, two periods tied: exit $s: $(cat "$tmp/err")"

# mappa-sample - writes standard output, as '-' does for every other program (QA: it made a
# file named '-', and '- >/dev/full' exited 0)
(cd "$tmp" && "$bin/mappa-sample" --areas 3 - >"$tmp/sample-out.obs" 2>"$tmp/err"); s=$?
[ $s -eq 0 ] && [ ! -e "$tmp/-" ] && head -n 1 "$tmp/sample-out.obs" | grep -q '^mappa-observations' &&
	ok "sample -: the dataset on standard output" || bad "sample -: exit $s, $(ls "$tmp" | grep -x -- - )"
rm -f -- "$tmp/-"
(cd "$tmp" && "$bin/mappa-sample" --areas 3 - >/dev/full 2>"$tmp/err"); s=$?
[ $s -eq 74 ] && [ ! -e "$tmp/-" ] && grep -q "standard output" "$tmp/err" &&
	ok "sample - >/dev/full: 74, said" || bad "sample - >/dev/full: exit $s"
rm -f -- "$tmp/-"

# mappa-suppress's summary goes to standard error by default: lost there (2>/dev/full), the run
# failed as with --report FILE that cannot be written: 74 and no dataset (QA: exit 0)
rm -f "$tmp/sf.obs"
"$bin/mappa-suppress" -o "$tmp/sf.obs" "$tmp/m3.ds" 2>/dev/full; s=$?
[ $s -eq 74 ] && [ ! -e "$tmp/sf.obs" ] && ok "suppress 2>/dev/full: 74, nothing written" ||
	bad "suppress 2>/dev/full: exit $s, $(ls "$tmp/sf.obs" 2>&1)"
"$bin/mappa-suppress" -o "$tmp/sf.obs" "$tmp/m3.ds" 2>/dev/null; s=$?
[ $s -eq 0 ] && [ -s "$tmp/sf.obs" ] && ok "suppress 2>/dev/null: 0, written" || bad "suppress 2>/dev/null: exit $s"
# one rule for every program (QA: mappa-publish and mappa-merge exited 0 with their lines on
# standard error lost, mappa-suppress 74): a line lost there is 74
mkdir -p "$tmp/pfull"
"$bin/mappa-publish" -o "$tmp/pfull" "$tmp/sf.obs" 2>/dev/full; s=$?
[ $s -eq 74 ] && ok "publish 2>/dev/full: 74 (its 'wrote' line lost)" || bad "publish 2>/dev/full: exit $s"
rm -rf "$tmp/pfull" && mkdir -p "$tmp/pfull"
"$bin/mappa-publish" -o "$tmp/pfull" "$tmp/sf.obs" 2>/dev/null; s=$?
[ $s -eq 0 ] && ok "publish 2>/dev/null: 0" || bad "publish 2>/dev/null: exit $s"
"$bin/mappa-validate" "$F" 2>/dev/full; s=$?
[ $s -eq 74 ] && ok "validate 2>/dev/full: 74 (its report lost)" || bad "validate 2>/dev/full: exit $s"
"$bin/mappa-validate" -q "$F" 2>/dev/full; s=$?
[ $s -eq 0 ] && ok "validate -q 2>/dev/full: 0 (nothing to say)" || bad "validate -q 2>/dev/full: exit $s"

# a policy mappa-run cannot read: its C01 diagnostic and no line of the program's own beside it
# (docs/rules.md; QA: a second line 'mappa-run: cannot read the policy ...')
"$bin/mappa-run" -q --policy "$tmp/no-policy.xml" fixtures/returns/2022-23 "$tmp/np2-out" >/dev/null 2>"$tmp/err"; s=$?
[ $s -eq 66 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q "no-policy.xml:0: error\[C01\]: cannot read" "$tmp/err" &&
	ok "run --policy unreadable: the diagnostic alone" || bad "run --policy unreadable: exit $s, $(cat "$tmp/err")"

# MAPPA_RUN_MIN_FREE_KB set but empty is the default, as if unset (QA: exit 64)
MAPPA_RUN_MIN_FREE_KB= "$bin/mappa-run" -q fixtures/returns/2022-23 "$tmp/kb-out" >/dev/null 2>"$tmp/err"; s=$?
[ $s -eq 0 ] && ok "run with MAPPA_RUN_MIN_FREE_KB empty: the default" || bad "MAPPA_RUN_MIN_FREE_KB empty: exit $s, $(head -c 300 "$tmp/err")"
# not a number: 64, one line, no usage text (QA: the whole usage followed it)
MAPPA_RUN_MIN_FREE_KB=5MB "$bin/mappa-run" -q fixtures/returns/2022-23 "$tmp/kb-out2" >/dev/null 2>"$tmp/err"; s=$?
[ $s -eq 64 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q "^mappa-run: MAPPA_RUN_MIN_FREE_KB must be a number of KiB, not '5MB'$" "$tmp/err" &&
	[ ! -e "$tmp/kb-out2" ] && ok "run with MAPPA_RUN_MIN_FREE_KB=5MB: 64, one line" || bad "MAPPA_RUN_MIN_FREE_KB=5MB: exit $s, $(head -c 300 "$tmp/err")"

# out of memory anywhere is the machine's fault, not the data's: 70 and a message, never 65 and
# never a signal (QA: under ulimit -v of about 49-53 MB mappa-audit, -merge, -suppress and
# -publish said "O09/M99 out of memory" and exited 65, the publisher refused its own earlier
# bundle as "damaged, changed or foreign", and mappa-audit, -merge, -publish and -run died of
# SIGSEGV: frames of up to 282 KB on a stack that could not grow), and no temporary file left
if ldd "$bin/mappa-audit" 2>/dev/null | grep -q 'lib[a-z]*san'; then
	ok "out of memory: skipped (a sanitizer build reserves more address space than any limit here)"
else
	"$bin/mappa-run" -q fixtures/returns/2022-23 "$tmp/oom-o" >/dev/null 2>&1 || bad "run for the out-of-memory tests"
	o=$tmp/oom-o/latest
	mkdir -p "$tmp/oom/again"
	"$bin/mappa-publish" -o "$tmp/oom/again" "$o/suppressed.obs" >/dev/null 2>&1
	bad_mem=""
	oom() { # PROG LIMIT OUTDIR CMD...: CMD under ulimit -v LIMIT exits 0 or 70 (70 with a message)
		local prog=$1 v=$2 dir=$3 s left
		shift 3
		(ulimit -v "$v" && "$@") >/dev/null 2>"$tmp/mem.err"
		s=$?
		case $s in
		0) ;;
		70) grep -qi "out of memory\|cannot allocate memory" "$tmp/mem.err" || bad_mem="$bad_mem $prog@$v:70-no-message" ;;
		# the dynamic loader, before the program runs, or binding a symbol lazily on its
		# first call (glibc's own "out of memory", alone on its line: no program writes that;
		# mappa-suppress at 49,000 KB once the binary grew, 7 December)
		127) grep -q "error while loading shared libraries\|cannot allocate TLS\|^out of memory$" "$tmp/mem.err" || bad_mem="$bad_mem $prog@$v:127" ;;
		*) bad_mem="$bad_mem $prog@$v:$s($(grep -m1 -o 'error\[[A-Z0-9]*\]: [^:]*' "$tmp/mem.err"))" ;;
		esac
		left=$(find "$dir" -name '.*.tmp*' -o -name '*.tmp.*' -o -name '.status.tmp' | head -n 1)
		[ -z "$left" ] || bad_mem="$bad_mem $prog@$v:left-$left"
	}
	for v in $(seq 49000 200 53000); do
		oom audit $v "$tmp/oom" "$bin/mappa-audit" "$o/suppressed.obs"
		oom merge $v "$tmp/oom" "$bin/mappa-merge" -o "$tmp/oom/m.obs" "$o"/normalised/*.obs
		rm -rf "$tmp/oom/pub"; mkdir "$tmp/oom/pub"
		oom publish $v "$tmp/oom" "$bin/mappa-publish" -o "$tmp/oom/pub" "$o/suppressed.obs"
		oom publish-again $v "$tmp/oom" "$bin/mappa-publish" -o "$tmp/oom/again" "$o/suppressed.obs"
	done
	# (about 52.2-52.9 MB and 59.8 MB: the readers' audits in two threads moved a share's "out of
	# memory" to the caller without its errno, and mappa-suppress and mappa-audit exited 65,
	# "S02/A01 out of memory": CI, 5 December)
	for v in $(seq 49000 200 50200) $(seq 52000 200 52600) $(seq 59600 200 60000); do
		oom suppress $v "$tmp/oom" "$bin/mappa-suppress" -o "$tmp/oom/s.obs" "$o/national.obs"
	done
	# (about 61.4 MB: the suppression's "internal error" with ENOMEM gave 65)
	for v in $(seq 52000 200 53600) $(seq 61000 200 61800); do
		rm -rf "$tmp/oom/run"
		oom run $v "$tmp/oom" "$bin/mappa-run" -q fixtures/returns/2022-23 "$tmp/oom/run"
	done
	[ -z "$bad_mem" ] && ok "out of memory in every program: 0 or 70, never 65 nor a signal" ||
		bad "out of memory: statuses other than 0 or 70:$bad_mem"
fi

# the outputs that hold the true values (datasets, the stage reports) are made 0600 whatever the
# umask, and a replaced one keeps its mode (QA: world-readable under umask 022, and a 0600
# suppressed.obs came back 0644)
mode_of() { stat -c %a "$1"; }
rm -f "$tmp/p-n.obs" "$tmp/p-m.obs" "$tmp/p-mr.txt" "$tmp/p-s.obs" "$tmp/p-sr.txt"
(umask 022 && "$bin/mappa-normalise" -o "$tmp/p-n.obs" "$F" 2>/dev/null &&
	"$bin/mappa-merge" --allow-missing --report "$tmp/p-mr.txt" -o "$tmp/p-m.obs" "$tmp/p-n.obs" 2>/dev/null &&
	"$bin/mappa-suppress" --report "$tmp/p-sr.txt" -o "$tmp/p-s.obs" "$tmp/m3.ds" 2>/dev/null)
modes="$(mode_of "$tmp/p-n.obs") $(mode_of "$tmp/p-m.obs") $(mode_of "$tmp/p-mr.txt") $(mode_of "$tmp/p-s.obs") $(mode_of "$tmp/p-sr.txt")"
[ "$modes" = "600 600 600 600 600" ] && ok "umask 022: datasets and stage reports made 0600" ||
	bad "umask 022: datasets and stage reports made $modes, not 600"
chmod 640 "$tmp/p-s.obs" "$tmp/p-sr.txt"
(umask 000 && "$bin/mappa-suppress" --report "$tmp/p-sr.txt" -o "$tmp/p-s.obs" "$tmp/m3.ds" 2>/dev/null)
[ "$(mode_of "$tmp/p-s.obs") $(mode_of "$tmp/p-sr.txt")" = "640 640" ] && ok "a replaced output keeps its mode (640 under umask 000)" ||
	bad "a replaced output's mode: $(mode_of "$tmp/p-s.obs") $(mode_of "$tmp/p-sr.txt"), not 640"

# a read-only output of this user's is not replaced (73; QA: a 0400 file was, exit 0), and a
# replaced one keeps its group; as nobody, where root runs the tests (root may write, as cp)
if [ -n "$as_other" ] || [ "$(id -u)" -ne 0 ]; then
	u=$(mktemp -d /tmp/mappa-ro.XXXXXX) && chmod 777 "$u"
	cp "$F" "$u/in.xml" && chmod 644 "$u/in.xml"
	$as_other sh -c "echo keep >'$u/ro.obs' && chmod 400 '$u/ro.obs'"
	$as_other "$bin/mappa-normalise" -o "$u/ro.obs" "$u/in.xml" 2>"$tmp/err"; s=$?
	[ $s -eq 73 ] && [ "$(cat "$u/ro.obs")" = keep ] && grep -q "ro.obs:0: error\[O10\]: cannot write: Permission denied" "$tmp/err" &&
		ok "a read-only output (0400) of this user's: 73, left as it was" ||
		{ bad "a read-only output: exit $s, $(cat "$u/ro.obs" | head -c 20)"; }
	if [ "$(id -u)" -eq 0 ]; then
		echo old >"$u/g.obs" && chown 65534:100 "$u/g.obs" && chmod 640 "$u/g.obs"
		"$bin/mappa-normalise" -o "$u/g.obs" "$u/in.xml" 2>/dev/null; s=$?
		[ $s -eq 0 ] && [ "$(stat -c '%u:%g %a' "$u/g.obs")" = "65534:100 640" ] &&
			ok "an output replaced by root keeps its owner, group and mode" ||
			bad "an output replaced by root: exit $s, $(stat -c '%u:%g %a' "$u/g.obs")"
		echo old >"$u/s.obs" && chmod 4755 "$u/s.obs"
		"$bin/mappa-normalise" -o "$u/s.obs" "$u/in.xml" 2>/dev/null
		[ "$(stat -c %a "$u/s.obs")" = 755 ] && ok "no set-user-ID bit kept on a dataset" ||
			bad "a 4755 file replaced: $(stat -c %a "$u/s.obs")"
	fi
	rm -rf "$u"
fi

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
