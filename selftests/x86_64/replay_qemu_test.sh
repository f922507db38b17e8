#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# QEMU booting the small Linux guest (run-linux-guest), recorded twice
# with `vmtrace-ctl record` and each recording replayed: the guest prints
# values derived from the TSC (uptime), its interrupt count and
# /dev/urandom, so the two recordings' consoles differ; each replay is
# identical to the end (every event consumed, every digest equal, the
# last one where the recorded KVM_RUN returned) and prints its own
# recording's console output byte for byte. Interrupts wait up to 1 s
# for a synchronous exit (irq_hold_ms): in the test VM the replay cannot
# stop a nested guest on a breakpoint (replay.rst). TAP.

n=0 failed=0
ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi
}

hold=/sys/module/vmtrace/parameters/irq_hold_ms
if [ ! -e /dev/vmtrace ] || [ ! -e /dev/kvm ] || [ ! -w $hold ] ||
   ! command -v run-linux-guest >/dev/null; then
	echo "1..0 # SKIP needs /dev/kvm, vmtrace.ko and run-linux-guest (the test VM)"
	exit 4
fi
cd /tmp || exit 1
old=$(cat $hold)
echo 1000 >$hold
trap 'echo "$old" >$hold' EXIT

# The guest's own lines, without the \r of its line ends.
console() { tr -d '\r' <"$1" | grep '^vmtrace-guest:'; }

record_replay() {	# record_replay NAME
	rm -f "$1".vmt*
	timeout 600 vmtrace-ctl record -o "$1.vmt" -- run-linux-guest >"$1.rec" 2>"$1.rec.err"
	ok $? "$1: recorded QEMU booting Linux ($(grep -c 'vmtrace-guest' "$1.rec") console lines)"
	timeout 600 vmtrace-ctl replay "$1.vmt" >"$1.rep" 2>"$1.rep.err"
	ok $? "$1: replayed to the end ($(grep -m1 -i 'identical\|diverged\|error' "$1.rep.err"))"
	console "$1.rec" >"$1.rec.txt"
	console "$1.rep" >"$1.rep.txt"
	grep -q 'vmtrace-guest: done' "$1.rec.txt" && cmp -s "$1.rec.txt" "$1.rep.txt"
	ok $? "$1: the replay printed the recording's console ($(wc -l <"$1.rep.txt") lines)"
	cmp -s "$1.rec" "$1.rep"
	ok $? "$1: byte for byte, boot messages included ($(wc -c <"$1.rep") bytes)"
	cmp "$1.rec" "$1.rep" 2>&1 | sed 's/^/# /'
	diff "$1.rec.txt" "$1.rep.txt" | head -n 6 | sed 's/^/# /'
}

record_replay boot1
record_replay boot2
! cmp -s boot1.rec.txt boot2.rec.txt
ok $? "the two recordings saw different inputs ($(grep random boot1.rec.txt) / $(grep random boot2.rec.txt))"

echo "1..$n"
exit $failed
