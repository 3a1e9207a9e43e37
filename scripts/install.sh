#!/bin/sh
# Installs the programs as a server needs them (make install; GNU conventions):
#   sh scripts/install.sh BINDIR DESTDIR PREFIX
# puts DESTDIR/PREFIX/bin/mappa-* (the programs carry their schemas, definitions, reference
# data and default policy compiled in, so nothing is looked up relative to the source tree),
# DESTDIR/PREFIX/share/man/man1/mappa-*.1, the default policy (for reading and as a starting
# point for --policy) in DESTDIR/PREFIX/share/mappa/policy/, the schemas and the reference data
# (copies of what is compiled in) in DESTDIR/PREFIX/share/mappa/schemas/ and reference/, and an example systemd service,
# timer and cron line and an example publication file (release.xml) in
# DESTDIR/PREFIX/share/doc/mappa/examples/, with PREFIX/bin filled in, and the guides the man
# pages name (docs/*.md) in DESTDIR/PREFIX/share/doc/mappa/docs/, so that "docs/rules.md" of a
# man page is there on a server without the source tree.
# Exit status: 0 installed, 64 bad usage, 66 a program is missing (run make), 73 cannot write.
set -u
[ $# -eq 3 ] || { echo "usage: sh scripts/install.sh BINDIR DESTDIR PREFIX" >&2; exit 64; }
src=$1 destdir=$2 prefix=$3
[ -n "$prefix" ] || { echo "install: PREFIX is empty: it must be an absolute path (/usr/local is the default only when PREFIX is not given at all)" >&2; exit 64; }
case $prefix in /*) ;; *) echo "install: PREFIX must be an absolute path, not '$prefix'" >&2; exit 64 ;; esac
# the example unit and cron line carry PREFIX/bin as it is: a space, '%' (a specifier in systemd,
# a line end in cron), '&' or '|' (sed) or a quote would make them wrong, so only plain paths
case $prefix in *[!A-Za-z0-9/._+-]*)
	echo "install: PREFIX '$prefix' holds a character the example systemd unit and cron line cannot carry (letters, digits and / . _ + - only)" >&2
	exit 64 ;;
esac
bindir=$prefix/bin
mandir=$prefix/share/man/man1
datadir=$prefix/share/mappa
docdir=$prefix/share/doc/mappa
for p in "$src"/mappa-*; do
	[ -x "$p" ] || { echo "install: no programs in '$src' (run make)" >&2; exit 66; }
done
install -d "$destdir$bindir" "$destdir$mandir" "$destdir$datadir/policy" "$destdir$docdir/examples" \
	"$destdir$docdir/docs" ||
	{ echo "install: cannot create the folders under '$destdir$prefix'" >&2; exit 73; }
for p in "$src"/mappa-*; do
	install -m 0755 "$p" "$destdir$bindir/" || exit 73
done
for m in docs/man/*.1; do
	install -m 0644 "$m" "$destdir$mandir/" || exit 73
done
install -m 0644 policy/default.xml schemas/policy.xsd "$destdir$datadir/policy/" || exit 73
# what the man pages and the messages name relative to the source tree (schemas/release.xsd,
# reference/areas.xml), under PREFIX/share/mappa/ as there (QA: named, not installed)
install -d "$destdir$datadir/schemas" "$destdir$datadir/reference" || exit 73
install -m 0644 schemas/*.xsd schemas/definitions.xml "$destdir$datadir/schemas/" || exit 73
install -m 0644 reference/areas.xml "$destdir$datadir/reference/" || exit 73
for g in docs/*.md; do
	install -m 0644 "$g" "$destdir$docdir/docs/" || exit 73
done
# each example made in a temporary file and put in place by install(1), which replaces what is
# at its name (QA: sed > FILE and chmod wrote through a symbolic link there, into the file it
# led to, and made that file world-readable)
tmp=$(mktemp) || exit 73
trap 'rm -f "$tmp"' EXIT
for e in docs/examples/mappa-run.service docs/examples/mappa-run.timer docs/examples/mappa-run.cron docs/examples/release.xml; do
	sed "s|@BINDIR@|$bindir|g" "$e" >"$tmp" || exit 73
	install -m 0644 "$tmp" "$destdir$docdir/examples/${e##*/}" || exit 73
done
echo "installed into $destdir$prefix: bin/ ($(ls "$src" | grep -c '^mappa-') programs), share/man/man1/, share/mappa/ (policy, schemas, reference), share/doc/mappa/examples/ and docs/"
