#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Recording with the tools, on a real QEMU booting Linux under KVM:
# vmtrace-ctl record from the first instruction to poweroff; a daemon
# killed mid-recording and taken over without loss; the VMM killed
# mid-recording; corrupt and truncated traces. TAP output.

n=0 failed=0
ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi
}
alive() {	# alive PID: running, not a zombie waiting to be reaped
	st=$(sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' "/proc/$1/status" 2>/dev/null)
	[ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}
wait_for() {	# wait_for FILE PATTERN SECONDS
	i=0
	until grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -le $(($3 * 10)) ] || return 1
		sleep 0.1
	done
}
json_count() {	# json_count TYPE < stats --json
	sed -n "s/.*\"$1\": \([0-9]*\).*/\1/p"
}

if ! command -v run-linux-guest >/dev/null || [ ! -e /dev/vmtrace ]; then
	echo "1..0 # SKIP needs run-linux-guest (the test VM) and vmtrace.ko"
	exit 4
fi
cd /tmp || exit 1
rm -f boot.vmt* resumed.vmt* killed.vmt* bad.vmt*

# 1. A whole QEMU run, recorded from its first instruction.
timeout 300 vmtrace-ctl record -o boot.vmt -- run-linux-guest --sleep 2 \
	>boot.console 2>boot.err
ok $? "record: QEMU booting Linux recorded to its end"
grep -q 'vmtrace-guest: done' boot.console
ok $? "record: the guest ran to its end"
vmtrace-ctl verify boot.vmt >verify.out 2>&1
ok $? "record: the trace verifies ($(cat verify.out))"
[ ! -e boot.vmt.incomplete ]
ok $? "record: no incomplete file is left"
vmtrace-ctl stats --json boot.vmt >stats.json
for t in rdtsc rdtscp cpuid pio_in mmio_read msr_read irq mem_write vcpu_in vcpu_out; do
	c=$(json_count "$t" <stats.json)
	[ "${c:-0}" -gt 0 ]
	ok $? "record: the boot produced $t records ($c)"
done
# The firmware loads the kernel through fw_cfg DMA: QEMU writes guest RAM.
c=$(vmtrace-ctl dump --type mem_write boot.vmt | grep -c 'flags=0x100')
[ "$c" -gt 0 ]
ok $? "record: the VMM's writes into guest RAM are recorded ($c pages)"
c=$(vmtrace-ctl dump --type irq boot.vmt | grep -c ' irq ')
[ "$c" -eq "$(json_count irq <stats.json)" ]
ok $? "dump --type irq lists every irq record ($c)"

# 2. The daemon killed mid-recording, a new one takes over.
run-linux-guest --sleep 30 >resumed.console 2>&1 &
qemu=$!
wait_for resumed.console 'vmtrace-guest: hello' 240
vmtrace-ctl start --vm $qemu -o resumed.vmt >/dev/null
ok $? "start -o records a running QEMU"
daemon=$(cat /run/vmtrace/vm-$qemu.pid)
sleep 3
kill -9 "$daemon"
sleep 2
vmtrace-ctl start --vm $qemu -o resumed.vmt --resume >/dev/null
ok $? "start --resume takes over after vmtraced was killed"
sleep 3
vmtrace-ctl stop --vm $qemu >/dev/null
ok $? "stop ends the resumed recording"
vmtrace-ctl verify resumed.vmt >verify.out 2>&1
ok $? "the resumed trace verifies: chunks numbered without a gap ($(cat verify.out))"
kill $qemu 2>/dev/null
wait $qemu 2>/dev/null

# 3. The VMM killed mid-recording: the trace up to there verifies.
run-linux-guest --sleep 30 >killed.console 2>&1 &
qemu=$!
wait_for killed.console 'vmtrace-guest: hello' 240
vmtrace-ctl start --vm $qemu -o killed.vmt >/dev/null
daemon=$(cat /run/vmtrace/vm-$qemu.pid)
sleep 2
kill -9 $qemu
wait $qemu 2>/dev/null
i=0
while alive "$daemon" && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
! alive "$daemon"
ok $? "VMM killed: vmtraced finishes and exits"
vmtrace-ctl verify killed.vmt >verify.out 2>&1
ok $? "VMM killed: the trace verifies ($(cat verify.out))"

# 4. Damage is found and located.
size=$(stat -c %s boot.vmt)
cp boot.vmt bad.vmt
printf '\377' | dd of=bad.vmt bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
vmtrace-ctl verify bad.vmt >verify.out 2>&1
[ $? -eq 10 ] && grep -q 'offset [0-9]*, section [0-9]*' verify.out
ok $? "a flipped byte fails verify and names the place: $(cat verify.out)"
head -c $((size - 1000)) boot.vmt >bad.vmt
vmtrace-ctl verify bad.vmt >verify.out 2>&1
[ $? -eq 10 ] && grep -q 'truncated\|incomplete' verify.out
ok $? "a truncated trace fails verify: $(cat verify.out)"

echo "1..$n"
exit $failed
