#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# bench/fastpath/run.sh FASTPATH: instructions per appended record,
# measured by callgrind on bench_record_rdtsc() (the append and the
# stores of an RDTSC record's payload), over 100000 calls.
set -e
bin=${1:?usage: run.sh FASTPATH}
n=100000
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
valgrind --tool=callgrind --callgrind-out-file="$out/cg" "$bin" $n 2>/dev/null
ir=$(callgrind_annotate --inclusive=yes "$out/cg" 2>/dev/null |
	awk '/bench_record_rdtsc/ { gsub(",", "", $1); print $1; exit }')
[ -n "$ir" ] || { echo "run.sh: no callgrind data for bench_record_rdtsc" >&2; exit 1; }
echo "fast path: $ir instructions for $n records"
awk -v ir="$ir" -v n=$n 'BEGIN { printf "fast path: %.1f instructions per appended record (goal: <= 20)\n", ir / n }'
