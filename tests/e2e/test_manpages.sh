#!/bin/bash
# Every program has a man page that matches it: docs/man/PROG.1 exists for every built
# bin/mappa-*, names the same long options as PROG --help (both ways), gives the same exit
# statuses as the usage text, has the version PROG --version prints, and renders with groff
# without a warning (when groff is there; the other checks need none). The man pages are what
# `make install` puts in place.
set -u
bin=$(cd "${MAPPA_BIN:-bin}" && pwd) || exit 1
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# the long options a text names (roff escapes the dashes)
long_opts() { sed 's/\\-/-/g' | grep -Eo -- '--[a-z][a-z-]*' | sort -u | tr '\n' ' '; }

n=0
for prog in "$bin"/mappa-*; do
	[ -x "$prog" ] || continue
	name=$(basename "$prog")
	page=docs/man/$name.1
	n=$((n + 1))
	if [ ! -f "$page" ]; then
		bad "$name has no man page ($page)"
		continue
	fi
	ok
	help_opts=$("$prog" --help | long_opts)
	# the option lines of the page: its synopsis and its OPTIONS (.B, .BI, .BR, .RB, .IR)
	man_opts=$(grep -E '^\.(B|BI|BR|RB|IR|I) ' "$page" | long_opts)
	[ "$help_opts" = "$man_opts" ] && ok ||
		bad "$name: --help names [$help_opts], the man page [$man_opts]"
	# every exit status of the usage text is in the page's EXIT STATUS table
	statuses=$("$prog" --help | sed -n '/[Ee]xit status/,$p' | grep -Eo '\b(0|6[4-9]|7[0-8])\b' | sort -u)
	table=$(sed -n '/^\.SH EXIT STATUS/,/^\.TE/p' "$page" | grep -Eo '^(0|6[4-9]|7[0-8])	' | tr -d '\t' | sort -u)
	missing=$(comm -23 <(echo "$statuses") <(echo "$table") | tr '\n' ' ')
	[ -n "$statuses" ] && [ -z "$missing" ] && ok ||
		bad "$name: exit statuses of --help missing from the man page: [$missing] (--help: $(echo $statuses))"
	version=$("$prog" --version | awk '{ print $NF }')
	grep -q "^\.TH .*\"mappa $version\"" "$page" && ok || bad "$name: the man page is not for version $version"
	if command -v groff >/dev/null 2>&1; then
		warn=$(groff -t -man -Tutf8 -ww -z "$page" 2>&1)
		[ -z "$warn" ] && ok || bad "$name: groff warns: $warn"
	fi
done
[ "$n" -ge 8 ] && ok || bad "only $n programs found in $bin"
# and no page for a program that is not built
for page in docs/man/*.1; do
	name=$(basename "$page" .1)
	[ -x "$bin/$name" ] && ok || bad "$page is for a program that is not built ($name)"
done
# every id of the merge (M..) and P99 that a program prints is listed in docs/rules.md, the
# list the README sends data leads to (QA: M03, M06, M10, M12, M13, M14, M99 and P99 were only
# in docs/merge.md and docs/publication.md, or nowhere)
ids=$(grep -Eoh '"(M[0-9][0-9]|P99)"' etl/*.c etl/lib/*.c etl/fe/*.c | tr -d '"' | sort -u)
[ -n "$ids" ] && ok || bad "no M ids found in etl/"
for id in $ids; do
	grep -qw "$id" docs/rules.md && ok ||
		bad "$id is printed (etl/) but not listed in docs/rules.md"
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
