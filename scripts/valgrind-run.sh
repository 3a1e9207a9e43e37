#!/bin/bash
# The whole pipeline on the 42 fixtures with every stage under valgrind memcheck: any memory
# error or definite/indirect leak fails it. Usage: scripts/valgrind-run.sh [BINDIR]
set -u
bin=$(cd "${1:-bin}" && pwd) || exit 1
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "valgrind-run: valgrind is not installed" >&2; exit 69; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
vg="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect"
pass=0 fail=0
step() { # NAME COMMAND...: runs it under valgrind; exit 99 means valgrind found something
	local name=$1; shift
	$vg "$@" >"$tmp/out" 2>&1
	local s=$?
	if [ $s -eq 0 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $name (exit $s)"; tail -n 30 "$tmp/out"; fi
}
returns=(fixtures/returns/2022-23/*.xml)
mkdir -p "$tmp/n" "$tmp/b"
step validate "$bin/mappa-validate" -q "${returns[@]}" fixtures/valid/*.xml
$vg "$bin/mappa-validate" -q fixtures/invalid/*.xml >"$tmp/out" 2>&1
[ $? -eq 65 ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: validate invalid fixtures"; tail -n 30 "$tmp/out"; }
step normalise "$bin/mappa-normalise" -d "$tmp/n" "${returns[@]}"
step merge "$bin/mappa-merge" -o "$tmp/national.obs" "$tmp"/n/*.obs
step merge-returns "$bin/mappa-merge" -o "$tmp/national2.obs" "${returns[@]}"
step suppress "$bin/mappa-suppress" --report "$tmp/r.txt" -o "$tmp/suppressed.obs" "$tmp/national.obs"
step publish "$bin/mappa-publish" -o "$tmp" "$tmp/suppressed.obs"
step publish-zip "$bin/mappa-publish" --format=zip -o "$tmp" "$tmp/suppressed.obs"
tar -xzf "$tmp/mappa-2022-23.tar.gz" -C "$tmp/b"
step audit "$bin/mappa-audit" "$tmp/b/mappa-2022-23/observations.csv"
echo "valgrind-run: $pass passed, $fail failed"
[ $fail -eq 0 ]
