#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# bench/record-overhead.sh - runs inside the test VM (bench/run.sh starts
# it there): recording overhead and trace size, each workload run plain
# and recorded, alternately, ROUNDS times, in one run. Prints medians and
# ratios; never passes or fails on timing.
#
#   workloads: bench_exits (our VMM, 50000 x RDTSC + OUT)
#              run-linux-guest (QEMU booting Linux under KVM, to poweroff)
#   replay:    bench_exits recorded and replayed, alternately; the same
#              for the Linux boot, with how far its replay got
#   size:      bytes per record and compression of that boot's trace
#              (bench/run.sh then sets it next to QEMU's own rr log)

ROUNDS=${ROUNDS:-3}	# BENCH=replay: the replay comparison only
cd /tmp || exit 1

now_ms() { awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

time_ms() {	# time_ms CMD...: wall-clock ms of CMD, its output discarded
	t0=$(now_ms)
	"$@" >/dev/null 2>&1 || echo "# failed: $*" >&2
	echo $(($(now_ms) - t0))
}

bench_pair() {	# bench_pair NAME CMD...: plain vs recorded, alternating
	name=$1
	shift
	: >plain.ms
	: >rec.ms
	i=0
	while [ $i -lt "$ROUNDS" ]; do
		time_ms "$@" >>plain.ms
		time_ms vmtrace-ctl record --force -o "$name.vmt" -- "$@" >>rec.ms
		i=$((i + 1))
	done
	p=$(median <plain.ms)
	r=$(median <rec.ms)
	echo "$name: plain $p ms, recorded $r ms, ratio $(awk -v p="$p" -v r="$r" 'BEGIN { printf "%.2f", r / p }')"
}

bench_replay() {	# bench_replay NAME CMD...: recording vs its replay, alternating
	name=$1
	shift
	: >rec.ms
	: >rep.ms
	i=0
	while [ $i -lt "$ROUNDS" ]; do
		time_ms vmtrace-ctl record --force -o "$name-r.vmt" -- "$@" >>rec.ms
		# A replay that diverges exits non-zero: time_ms says "# failed".
		time_ms vmtrace-ctl replay --quiet "$name-r.vmt" >>rep.ms
		i=$((i + 1))
	done
	r=$(median <rec.ms)
	p=$(median <rep.ms)
	echo "$name: recorded $r ms, replayed $p ms, ratio replay/record $(awk -v p="$p" -v r="$r" 'BEGIN { printf "%.2f", p / r }')"
}

# The Linux boot, recorded with interrupts held up to HOLD_MS for a
# synchronous exit (irq_hold_ms), then replayed: its replay does not reach
# the end yet (Documentation/replay.rst), so how far it got is printed too.
bench_replay_boot() {
	hold=/sys/module/vmtrace/parameters/irq_hold_ms
	old=$(cat $hold)
	echo "${HOLD_MS:-1000}" >$hold
	: >rec.ms
	: >rep.ms
	: >reach.txt
	i=0
	while [ $i -lt "$ROUNDS" ]; do
		time_ms vmtrace-ctl record --force -o boot-r.vmt -- run-linux-guest >>rec.ms
		t0=$(now_ms)
		vmtrace-ctl replay --json boot-r.vmt >boot-r.json 2>/dev/null
		echo $(($(now_ms) - t0)) >>rep.ms
		total=$(vmtrace-ctl stats --json boot-r.vmt | sed -n 's/.*"last_ordinal": \([0-9]*\).*/\1/p')
		sed -n 's/.*"verdict": "\([^"]*\)".*"ordinal": \([0-9]*\).*/\2 \1/p' boot-r.json |
			awk -v t="$total" '{ printf "%d of %d exits (%.1f%%), %s\n", $1, t, 100 * $1 / t, $2 }' >>reach.txt
		i=$((i + 1))
	done
	echo "$old" >$hold
	r=$(median <rec.ms)
	p=$(median <rep.ms)
	echo "boot (irq_hold_ms=${HOLD_MS:-1000}): recorded $r ms, replayed $p ms, ratio replay/record $(awk -v p="$p" -v r="$r" 'BEGIN { printf "%.2f", p / r }'); replays reached: $(paste -sd';' reach.txt)"
}

echo "# replay next to recording, median of $ROUNDS alternating runs (kernel $(uname -r))"
bench_replay exits bench_exits
bench_replay_boot
[ "${BENCH:-all}" = replay ] && exit 0
echo "# record overhead, median of $ROUNDS alternating runs"
bench_pair exits bench_exits
bench_pair boot run-linux-guest
echo "# the guest's own clock in bench_exits (ms, plain then recorded):" \
	"$(bench_exits) $(vmtrace-ctl record --force -o exits.vmt -- bench_exits 2>/dev/null)"

echo "# trace size"
vmtrace-ctl stats --json boot.vmt >boot.json
awk -v f=boot.json 'BEGIN {
	getline s < f
	match(s, /"total_records": [0-9]+/); n = substr(s, RSTART + 17, RLENGTH - 17)
	match(s, /"bytes": [0-9]+/); b = substr(s, RSTART + 9, RLENGTH - 9)
	match(s, /"bytes_uncompressed": [0-9]+/); u = substr(s, RSTART + 22, RLENGTH - 22)
	printf "boot trace: %d records, %d bytes (%.2f bytes/record), %d bytes before zstd (%.2f bytes/record), ratio %.2f\n", n, b, b / n, u, u / n, u / b
}'
echo "boot trace bytes: $(stat -c %s boot.vmt)"
