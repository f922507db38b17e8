#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Attach to and detach from a real QEMU booting Linux under KVM; the guest
# must run to its end untouched. Then kill QEMU while attached. TAP output.

n=0 failed=0
ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi
}
wait_for() {	# wait_for FILE PATTERN SECONDS
	i=0
	until grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -le $(($3 * 10)) ] || return 1
		sleep 0.1
	done
}

if ! command -v run-linux-guest >/dev/null || [ ! -e /dev/vmtrace ]; then
	echo "1..0 # SKIP needs run-linux-guest (the test VM) and vmtrace.ko"
	exit 4
fi

run-linux-guest --sleep 12 >/tmp/guest1.log 2>&1 &
qemu=$!
wait_for /tmp/guest1.log 'vmtrace-guest: hello' 180
ok $? "QEMU boots the Linux guest under KVM"
vmtrace-ctl start --vm $qemu
ok $? "start attaches to QEMU"
sleep 2
e1=$(vmtrace-ctl status --vm $qemu | awk '$1 == "entries" { print $2 }')
sleep 2
e2=$(vmtrace-ctl status --vm $qemu | awk '$1 == "entries" { print $2 }')
[ -n "$e1" ] && [ "$e2" -gt "$e1" ]
ok $? "entries grow while the guest runs ($e1 -> $e2)"
vmtrace-ctl stop --vm $qemu
ok $? "stop detaches from QEMU"
wait $qemu
rc=$?
ok $rc "QEMU exits normally after detach (exit $rc)"
grep -q 'vmtrace-guest: done' /tmp/guest1.log
ok $? "the guest ran to its end"

run-linux-guest --sleep 30 >/tmp/guest2.log 2>&1 &
qemu=$!
wait_for /tmp/guest2.log 'vmtrace-guest: hello' 180
vmtrace-ctl start --vm $qemu
ok $? "start attaches to a second QEMU"
daemon=$(cat /run/vmtrace/vm-$qemu.pid)
kill -9 $qemu
wait $qemu 2>/dev/null
i=0
while kill -0 "$daemon" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
kill -0 "$daemon" 2>/dev/null
[ $? -ne 0 ]
ok $? "QEMU killed while attached: vmtraced exits"
vmtrace-ctl status --vm $qemu >/dev/null 2>&1
[ $? -eq 8 ]
ok $? "QEMU killed while attached: the session is gone"

echo "1..$n"
exit $failed
