#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The main job, run inside the test VM by scripts/demo.sh: a real QEMU
# boots a small Linux guest under KVM, vmtrace attaches to it by pid,
# shows what it sees, detaches, and the guest finishes untouched.
set -eu

say() { printf '\n=== %s\n' "$*"; }

say "starting QEMU with a Linux guest (nested KVM)"
run-linux-guest --sleep 20 >/tmp/guest.log 2>&1 &
qpid=$!
i=0
until grep -q 'vmtrace-guest: hello' /tmp/guest.log; do
	i=$((i + 1))
	[ "$i" -le 180 ] || { cat /tmp/guest.log; echo "guest did not boot"; exit 1; }
	sleep 1
done
echo "guest is up; QEMU pid $qpid"

say "vmtrace-ctl start --vm $qpid"
vmtrace-ctl start --vm "$qpid"
sleep 5
say "vmtrace-ctl status"
vmtrace-ctl status
say "cat /sys/kernel/debug/vmtrace/*/status"
cat /sys/kernel/debug/vmtrace/*/status
sleep 3
say "vmtrace-ctl status --vm $qpid --json"
vmtrace-ctl status --vm "$qpid" --json
say "vmtrace-ctl stop --vm $qpid"
vmtrace-ctl stop --vm "$qpid"

say "waiting for the guest to finish"
wait "$qpid"
say "guest console"
cat /tmp/guest.log
grep -q 'vmtrace-guest: done' /tmp/guest.log
say "demo finished: attached, observed and detached a running QEMU guest"
