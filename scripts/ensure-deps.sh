#!/bin/sh
# Make sure the Debian packages the build needs are installed.
# As root, installs what is missing with apt-get; otherwise prints the exact command and fails.
set -u
pkgs="libxml2-dev libxml2-utils zlib1g-dev libarchive-dev libzip-dev libglpk-dev libcmocka-dev nettle-dev pkg-config gcc make"
[ $# -gt 0 ] && pkgs="$pkgs $*"
missing=""
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "ensure-deps: missing Debian packages:$missing" >&2
	echo "ensure-deps: install them as root with:" >&2
	echo "  apt-get update && apt-get install -y$missing" >&2
	exit 69
fi
echo "ensure-deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2 || exit 69
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >&2 || exit 69
