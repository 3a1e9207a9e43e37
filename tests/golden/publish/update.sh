#!/bin/sh
# Regenerates the golden files from input.ds with the built mappa-publish (bin/ or $MAPPA_BIN).
# Review the diff (git diff tests/golden/publish) before committing: a golden file is a
# promise about what users get.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=${MAPPA_BIN:-$here/../../../bin}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin/mappa-publish" -o "$tmp" "$here/input.ds"
tar xzf "$tmp/mappa-2022-23.tar.gz" -C "$tmp"
rm -rf "$here/expected"
mkdir -p "$here/expected"
(cd "$tmp/mappa-2022-23" && find . -type f ! -name '*.ods' ! -name MANIFEST.sha256) | while read -r f; do
	mkdir -p "$here/expected/$(dirname "$f")"
	cp "$tmp/mappa-2022-23/$f" "$here/expected/$f"
done
echo "golden files written to $here/expected"
