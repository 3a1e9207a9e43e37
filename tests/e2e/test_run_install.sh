#!/bin/bash
# make install into a temporary DESTDIR (scripts/install.sh, which the install target runs):
# the programs, man pages, default policy and example service, timer and cron line land under
# DESTDIR/PREFIX; the installed mappa-run, started from another folder with the source tree
# out of reach of its relative paths, runs the 42 fixtures and publishes; the examples name the
# installed program. Run from the repository root with MAPPA_BIN set.
# Last line: "N passed, N failed".
set -u
BIN=${MAPPA_BIN:?MAPPA_BIN must name the folder of the built programs}
FIXTURES=$PWD/fixtures/returns/2022-23
passed=0 failed=0
work=$(mktemp -d) || exit 70
trap 'rm -rf "$work"' EXIT
ok() { passed=$((passed + 1)); echo "ok   $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; }
expect() { # name, condition command...
	local name=$1
	shift
	if "$@" >"$work/expect.out" 2>&1; then ok "$name"; else fail "$name"; sed 's/^/  | /' "$work/expect.out" | head -20; fi
}

dest=$work/dest
prefix=/opt/mappa-test
sh scripts/install.sh "$BIN" "$dest" "$prefix" >"$work/install.txt" 2>&1
expect "install: exit 0" test $? -eq 0
root=$dest$prefix
for p in validate normalise merge suppress publish audit run; do
	expect "install: bin/mappa-$p is an executable" test -x "$root/bin/mappa-$p"
	expect "install: its man page" test -s "$root/share/man/man1/mappa-$p.1"
done
expect "install: the default policy" cmp policy/default.xml "$root/share/mappa/policy/default.xml"
expect "install: the example service runs the installed mappa-run" grep -qx "ExecStart=$prefix/bin/mappa-run -q /srv/mappa/inbox /srv/mappa/out" "$root/share/doc/mappa/examples/mappa-run.service"
expect "install: the example timer" grep -q '^OnCalendar=' "$root/share/doc/mappa/examples/mappa-run.timer"
expect "install: the example cron line runs the installed mappa-run" grep -q " $prefix/bin/mappa-run -q " "$root/share/doc/mappa/examples/mappa-run.cron"
expect "install: no @BINDIR@ left" bash -c "! grep -rq @BINDIR@ '$root/share/doc'"
# the guides the man pages name (docs/rules.md, docs/operations.md, ...) are installed beside
# them: a server has no source tree (QA: the unit's Documentation= and the man pages led nowhere)
expect "install: the guides the man pages name" bash -c "for g in \$(grep -oh 'docs/[a-z-]*\.md' docs/man/*.1 | sort -u); do [ -f '$root/share/doc/mappa/'\$g ] || exit 1; done"
# what the man pages and the messages name relative to the source tree (schemas/release.xsd,
# reference/areas.xml, policy/default.xml) is under PREFIX/share/mappa/ (QA: named, not there)
expect "install: the schemas and reference data the man pages name" bash -c "for f in \$(grep -oh '\\(schemas\\|reference\\|policy\\)/[a-z]*\\.\\(xsd\\|xml\\)' docs/man/*.1 | sort -u); do cmp -s \$f '$root/share/mappa/'\$f || { echo \$f; exit 1; }; done"
# a symbolic link at an example's name is replaced, not written through (QA: the file it led
# to got the demo release.xml and mode 644)
dl=$work/dest-link
mkdir -p "$dl$prefix/share/doc/mappa/examples" && printf 'live\n' >"$work/live.xml" && chmod 600 "$work/live.xml"
ln -s "$work/live.xml" "$dl$prefix/share/doc/mappa/examples/release.xml"
sh scripts/install.sh "$BIN" "$dl" "$prefix" >/dev/null 2>&1
expect "install: a link at an example's name is replaced, its target untouched" \
	bash -c "[ $? -eq 0 ] && [ ! -L '$dl$prefix/share/doc/mappa/examples/release.xml' ] && [ \"\$(cat '$work/live.xml')\" = live ] && [ \$(stat -c %a '$work/live.xml') = 600 ]"
sh scripts/install.sh "$BIN" "$dest" relative/prefix >/dev/null 2>&1
expect "install: a relative PREFIX is refused (64)" test $? -eq 64
# an empty PREFIX= is not the default /usr/local: refused, saying so (docs/operations.md)
sh scripts/install.sh "$BIN" "$work/dest-empty" "" >/dev/null 2>"$work/empty.err"
expect "install: an empty PREFIX is refused (64), nothing installed" bash -c "[ $? -eq 64 ] && [ ! -e '$work/dest-empty' ] && grep -q 'absolute path' '$work/empty.err'"
# the example unit and cron line carry PREFIX as it is: '&' came out as "@BINDIR@" in
# ExecStart, a space or '%' broke the unit and the cron line (refused, nothing installed)
for p in '/opt/a&b' '/opt/a b' '/opt/a%b'; do
	sh scripts/install.sh "$BIN" "$work/dest-odd" "$p" >/dev/null 2>&1
	expect "install: PREFIX '$p' is refused (64), nothing installed" bash -c "[ $? -eq 64 ] && [ ! -e '$work/dest-odd' ]"
done
sh scripts/install.sh "$work/nothing" "$dest" "$prefix" >/dev/null 2>&1
expect "install: no programs: 66" test $? -eq 66

# The installed program on its own: from another folder, through a symbolic link, the fixtures
# copied elsewhere (nothing relative to the source tree is used).
mkdir -p "$work/inbox" "$work/elsewhere/bin" && cp "$FIXTURES"/*.xml "$work/inbox/"
ln -s "$root/bin/mappa-run" "$work/elsewhere/bin/mappa-run"
(cd "$work/elsewhere" && env -i PATH=/usr/bin:/bin "$work/elsewhere/bin/mappa-run" -q "$work/inbox" "$work/out") >"$work/run.txt" 2>&1
rc=$?
expect "installed mappa-run on the fixtures: exit 0 (got $rc)" test "$rc" -eq 0
expect "installed mappa-run: the bundle" test -s "$work/out/mappa-2022-23.tar.gz"
expect "installed mappa-run: the same bundle as the built program's" bash -c \
	"'$BIN/mappa-run' -q '$work/inbox' '$work/out-built' && cmp '$work/out/mappa-2022-23.tar.gz' '$work/out-built/mappa-2022-23.tar.gz'"
expect "installed mappa-run: the report" grep -q '^Areas: 42 valid, 0 missing' "$work/out/latest/report.txt"
expect "installed mappa-run --version" bash -c "'$root/bin/mappa-run' --version | grep -q '^mappa-run '"
expect "installed man page renders" bash -c "man -l '$root/share/man/man1/mappa-run.1' >/dev/null 2>&1 || ! command -v man >/dev/null"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
