#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The main job, run inside the test VM by scripts/demo.sh: a real QEMU
# boots a small Linux guest under KVM and vmtrace records it, from its
# first instruction to poweroff; the trace is verified and summarized.
# Then vmtrace attaches to a QEMU already running, records a while, and
# detaches, the guest finishing untouched. (Replay is the next step.)
set -eu

say() { printf '\n=== %s\n' "$*"; }
cd /tmp

say "vmtrace-ctl record -o boot.vmt -- run-linux-guest --sleep 2"
vmtrace-ctl record -o boot.vmt -- run-linux-guest --sleep 2 >guest1.log
say "guest console"
cat guest1.log
grep -q 'vmtrace-guest: done' guest1.log
say "vmtrace-ctl verify boot.vmt"
vmtrace-ctl verify boot.vmt
say "vmtrace-ctl stats boot.vmt"
vmtrace-ctl stats boot.vmt
say "vmtrace-ctl dump --type irq,rdtsc,mem_write boot.vmt | head"
vmtrace-ctl dump --type irq,rdtsc,mem_write boot.vmt | head

say "starting another QEMU; attaching to it while it runs"
run-linux-guest --sleep 20 >guest2.log 2>&1 &
qpid=$!
i=0
until grep -q 'vmtrace-guest: hello' guest2.log; do
	i=$((i + 1))
	[ "$i" -le 180 ] || { cat guest2.log; echo "guest did not boot"; exit 1; }
	sleep 1
done
say "vmtrace-ctl start --vm $qpid -o live.vmt"
vmtrace-ctl start --vm "$qpid" -o live.vmt
sleep 5
say "vmtrace-ctl status --vm $qpid"
vmtrace-ctl status --vm "$qpid"
say "vmtrace-ctl stop --vm $qpid"
vmtrace-ctl stop --vm "$qpid"
vmtrace-ctl verify live.vmt
say "waiting for the guest to finish"
wait "$qpid"
grep -q 'vmtrace-guest: done' guest2.log
say "demo finished: recorded a QEMU Linux boot from its first instruction, and a running QEMU"
