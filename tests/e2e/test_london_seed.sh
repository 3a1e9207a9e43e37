#!/bin/bash
# London's published statistics section, from the whole pipeline on the 42 fixtures, holds
# exactly the figures of its 2022/23 annual report (the seed), table by table, in order.
# The seed is ../shared/seed/ beside the repository; a copy of its figures is kept here so
# the test also runs where shared/ is absent.
set -u
bin=$(cd "${MAPPA_BIN:-bin}" && pwd) || exit 1
pass=0 fail=0
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# the seed's "MAPPA Statistics" figures, in the order of its tables
expected="6867 3612 - 10479 31 49 40 120 3 8 11 22 6901 3669 51 10621 179 303 215 697 18 25 27 70 197 328 242 767 158 64 548 0 7 9 9 12 27 48 6 4 7 17 15 16 34 65 0 0 0 89"
seed=../shared/seed/mappa-annual-report-london-2022-23.txt
if [ -f "$seed" ]; then
	from_seed=$(awk 'NR >= 47 && NR <= 195 && /^\t[0-9-]+[ \t]*$/ { gsub(/[ \t]/, ""); print }' "$seed" | tr '\n' ' ')
	[ "${from_seed% }" = "$expected" ] && ok || bad "the seed's figures are not the ones this test keeps: ${from_seed}"
fi

"$bin/mappa-merge" -o "$tmp/national.obs" fixtures/returns/2022-23/*.xml 2>/dev/null &&
	"$bin/mappa-suppress" --report "$tmp/s.txt" -o "$tmp/suppressed.obs" "$tmp/national.obs" &&
	"$bin/mappa-publish" -o "$tmp" "$tmp/suppressed.obs" >/dev/null 2>&1 && ok || { bad "pipeline"; echo "$pass passed, $fail failed"; exit 1; }
tar -xzf "$tmp/mappa-2022-23.tar.gz" -C "$tmp"
txt=$tmp/mappa-2022-23/areas/E23000001-london.txt
html=$tmp/mappa-2022-23/areas/E23000001-london.html

got=$(awk '
	/^Level [123] +[0-9-]/ { for (i = 3; i <= NF; i++) print $i; next }
	/^Total +[0-9-]/ { for (i = 2; i <= NF; i++) print $i; next }
	/^(Category 1 |Sexual Harm|SHPOs with|Notification Orders|Individuals who became)/ { print $NF }
	/^London +[0-9]/ { print $NF }' "$txt" | tr -d , | tr '\n' ' ')
[ "${got% }" = "$expected" ] && ok || bad "London's text section differs from the seed:
  seed: $expected
  ours: ${got% }"

# no [c] in London's categories 1-3: the seed published every figure
grep -q '\[c\]' "$txt" && bad "London's section has a suppressed figure" || ok
# the HTML section holds the same figures (header cells with scope, a caption per table)
for n in 6,867 3,612 10,479 10,621 767 548 65; do
	grep -q ">$n<" "$html" && ok || bad "HTML section lacks $n"
done
grep -q '<caption' "$html" && grep -q 'scope="col"' "$html" && ok || bad "HTML tables lack captions or scoped headers"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
