#!/bin/sh
# Usage: scripts/screenshot-summary.sh BUNDLE_FOLDER_OR_HTML [OUT.png]
# Renders a bundle's index.html (or any page of it) with headless Chromium into a PNG, so that
# someone can look at the summary page and its chart. Needs the Debian package chromium
# (installed with apt-get when run as root and missing).
set -eu
page=${1:?usage: screenshot-summary.sh BUNDLE_FOLDER_OR_HTML [OUT.png]}
out=${2:-summary.png}
[ -d "$page" ] && page="$page/index.html"
[ -f "$page" ] || { echo "screenshot-summary: no such page '$page'" >&2; exit 66; }
if ! command -v chromium >/dev/null 2>&1; then
	if [ "$(id -u)" -eq 0 ]; then
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >&2 || exit 69
	else
		echo "screenshot-summary: chromium is missing: apt-get install chromium" >&2
		exit 69
	fi
fi
abs=$(cd "$(dirname "$page")" && pwd)/$(basename "$page")
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
case $out in /*) ;; *) out=$(pwd)/$out ;; esac
chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
	--disable-component-update --disable-sync --no-first-run --user-data-dir="$profile" \
	--hide-scrollbars --screenshot="$out" --window-size=1200,1600 "file://$abs" >/dev/null 2>&1
[ -s "$out" ] || { echo "screenshot-summary: chromium wrote no picture" >&2; exit 70; }
echo "$out"
