#!/bin/sh
# Local build of the sdc/audit/policy modules and their tests (not the
# project Makefile).  Usage: tests/unit/build-local.sh [asan]
set -e
cd "$(dirname "$0")/../.."
CFLAGS="-std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror -Wshadow -Wconversion -Wstrict-prototypes -Wmissing-prototypes -Ietl/lib $(xml2-config --cflags)"
OPT="-O2 -g"
OUT=build/local
if [ "$1" = asan ]; then OPT="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer"; OUT=build/asan; fi
mkdir -p $OUT
LIBS="-lxml2 -larchive -lz -lzip -lglpk -lcmocka -lm"
objs=""
for f in etl/lib/sdc.c etl/lib/audit.c etl/lib/policy.c; do
  [ -f "$f" ] || continue
  o=$OUT/$(basename "$f" .c).o
  gcc $CFLAGS $OPT -c "$f" -o "$o"
  objs="$objs $o"
done
ar rcs $OUT/libmappa-sdc.a $objs
for t in tests/unit/test_sdc.c tests/unit/test_audit.c tests/unit/test_policy.c; do
  [ -f "$t" ] || continue
  gcc $CFLAGS $OPT "$t" -o $OUT/$(basename "$t" .c) $OUT/libmappa-sdc.a $LIBS
done
if [ -f tests/bench/bench_sdc.c ]; then
  gcc $CFLAGS $OPT tests/bench/bench_sdc.c -o $OUT/bench_sdc $OUT/libmappa-sdc.a $LIBS
fi
