#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The main job, run inside the test VM by scripts/demo.sh: a real QEMU
# boots a small Linux guest under KVM and vmtrace records it, from its
# first instruction to poweroff; the trace is verified and summarized.
# Then vmtrace attaches to a QEMU already running, records a while, and
# detaches, the guest finishing untouched. Last, a test guest is recorded
# and replayed exactly, and a trace with one value changed diverges.
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


say "vmtrace-ctl record -o guest.vmt -- vmm_guest inputs"
vmtrace-ctl record -o guest.vmt -- vmm_guest inputs >guest.rec
grep -c '^report' guest.rec | sed 's/$/ values reported by the guest/'
say "vmtrace-ctl replay guest.vmt"
vmtrace-ctl replay guest.vmt 2>guest.rep.err
cat guest.rep.err
want=$(grep -o 'digest regs=[0-9a-f]* mem=[0-9a-f]*' guest.rec)
got=$(grep -o 'digest regs=[0-9a-f]* mem=[0-9a-f]*' guest.rep.err)
echo "recorded: $want"
echo "replayed: $got"
[ "$want" = "$got" ]
say "one RDTSC value changed in the trace: replay reports the divergence"
trace_alter guest.vmt altered.vmt rdtsc 2 0x1000
if vmtrace-ctl replay altered.vmt; then echo "no divergence found"; exit 1; fi
say "demo finished: recorded a QEMU Linux boot and a running QEMU; recorded and replayed a guest exactly"
