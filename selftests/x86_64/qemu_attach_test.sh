#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Attach to and detach from a real QEMU booting Linux under KVM; the guest
# must run to its end untouched. Then kill QEMU while attached. TAP output.
# Every wait is bounded: a guest that does not boot or does not finish
# fails the test, it never hangs it.

BOOT_S=240	# the guest's banner appears after ~15 s in the test VM
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
wait_exit() {	# wait_exit PID SECONDS: its exit status, or kill it and 124
	i=0
	while alive "$1"; do
		i=$((i + 1))
		if [ $i -gt $(($2 * 10)) ]; then
			kill -9 "$1" 2>/dev/null
			wait "$1" 2>/dev/null
			return 124
		fi
		sleep 0.1
	done
	wait "$1"
}
bail() {	# bail LOG: show the guest's log, stop QEMU, end the test
	echo "# guest log ($1):"
	sed 's/^/#   /' "$1" | tail -n 20
	kill -9 "$qemu" 2>/dev/null
	wait "$qemu" 2>/dev/null
	echo "1..$n"
	exit 1
}

if ! command -v run-linux-guest >/dev/null || [ ! -e /dev/vmtrace ]; then
	echo "1..0 # SKIP needs run-linux-guest (the test VM) and vmtrace.ko"
	exit 4
fi

run-linux-guest --sleep 12 >/tmp/guest1.log 2>&1 &
qemu=$!
wait_for /tmp/guest1.log 'vmtrace-guest: hello' $BOOT_S
ok $? "QEMU boots the Linux guest under KVM"
[ $failed -eq 0 ] || bail /tmp/guest1.log
vmtrace-ctl start --vm $qemu
ok $? "start attaches to QEMU"
sleep 2
e1=$(vmtrace-ctl status --vm $qemu | awk '$1 == "entries" { print $2 }')
sleep 2
e2=$(vmtrace-ctl status --vm $qemu | awk '$1 == "entries" { print $2 }')
[ -n "$e1" ] && [ -n "$e2" ] && [ "$e2" -gt "$e1" ]
ok $? "entries grow while the guest runs ($e1 -> $e2)"
vmtrace-ctl stop --vm $qemu
ok $? "stop detaches from QEMU"
wait_exit $qemu 120
rc=$?
ok $rc "QEMU exits normally after detach (exit $rc)"
grep -q 'vmtrace-guest: done' /tmp/guest1.log
ok $? "the guest ran to its end"
[ $failed -eq 0 ] || bail /tmp/guest1.log

run-linux-guest --sleep 60 >/tmp/guest2.log 2>&1 &
qemu=$!
wait_for /tmp/guest2.log 'vmtrace-guest: hello' $BOOT_S || bail /tmp/guest2.log
vmtrace-ctl start --vm $qemu
ok $? "start attaches to a second QEMU"
daemon=$(cat /run/vmtrace/vm-$qemu.pid)
kill -9 $qemu
wait $qemu 2>/dev/null
i=0
while alive "$daemon" && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
! alive "$daemon"
ok $? "QEMU killed while attached: vmtraced exits"
vmtrace-ctl status --vm $qemu >/dev/null 2>&1
[ $? -eq 8 ]
ok $? "QEMU killed while attached: the session is gone"

echo "1..$n"
exit $failed
