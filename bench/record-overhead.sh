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
#   size:      our trace of that boot next to QEMU's own record/replay log
#              (TCG, -icount shift=auto,rr=record) of the same guest

ROUNDS=${ROUNDS:-3}
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

echo "# record overhead, median of $ROUNDS alternating runs (kernel $(uname -r))"
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
qemu-system-x86_64 -M microvm -accel tcg -cpu max -m 256 -nodefaults \
	-no-reboot -display none -serial null \
	-icount shift=auto,rr=record,rrfile=/tmp/qemu.rr \
	-kernel "$VMTRACE_GUEST_KERNEL" -initrd "$VMTRACE_GUEST_INITRD" \
	-append "console=ttyS0 quiet pci=off panic=-1 vmtrace.sleep=0" >/dev/null 2>&1 &
q=$!
i=0
while kill -0 $q 2>/dev/null && [ $i -lt 900 ]; do sleep 1; i=$((i + 1)); done
kill $q 2>/dev/null
wait $q
ours=$(stat -c %s boot.vmt)
theirs=$(stat -c %s /tmp/qemu.rr 2>/dev/null || echo 0)
echo "QEMU rr=record log of the same guest: $theirs bytes ($i s); ours: $ours bytes; ours/theirs $(awk -v a="$ours" -v b="$theirs" 'BEGIN { if (b) printf "%.3f", a / b; else print "n/a" }')"
