#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# vmtrace-ctl and vmtraced against a VMM of ours (vmm_idle): start,
# status, stop, and every bad input with its documented exit status.
# TAP output.

n=0 failed=0
ok() {	# ok CONDITION-STATUS DESCRIPTION
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi
}
alive() {	# alive PID: running, not a zombie waiting to be reaped
	st=$(sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' "/proc/$1/status" 2>/dev/null)
	[ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}
expect_rc() {	# expect_rc WANT DESCRIPTION CMD...
	want=$1 desc=$2
	shift 2
	"$@" >/tmp/ctl.out 2>&1
	rc=$?
	[ "$rc" -eq "$want" ]
	ok $? "$desc (exit $rc, want $want)"
	[ "$rc" -eq "$want" ] || cat /tmp/ctl.out
}

if [ ! -e /dev/vmtrace ] || [ ! -e /dev/kvm ]; then
	echo "1..0 # SKIP needs /dev/kvm and vmtrace.ko"
	exit 4
fi

vmm_idle >/tmp/idle.out 2>&1 &
vmm=$!
i=0
until grep -q ready /tmp/idle.out || [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done

expect_rc 0 "start attaches to a running VMM" vmtrace-ctl start --vm $vmm
grep -q "attached to the VM of pid $vmm" /tmp/ctl.out
ok $? "start says what it attached to"
daemon=$(cat /run/vmtrace/vm-$vmm.pid 2>/dev/null)
[ -n "$daemon" ] && alive "$daemon"
ok $? "vmtraced runs and wrote its pid file"
expect_rc 6 "a second start on the same VM: already attached" vmtrace-ctl start --vm $vmm
expect_rc 0 "status lists the session" vmtrace-ctl status
grep -q "vmm_pid *$vmm" /tmp/ctl.out && grep -q "state *attached" /tmp/ctl.out
ok $? "status shows the VMM pid and state"
expect_rc 0 "status --vm --json" vmtrace-ctl status --vm $vmm --json
grep -q "\"vmm_pid\": $vmm" /tmp/ctl.out && grep -q '"exits_io": [1-9]' /tmp/ctl.out
ok $? "status --json has numbers, and I/O exits are counted"
expect_rc 5 "start on a process that is not a VMM" vmtrace-ctl start --vm 1
expect_rc 4 "start on a pid that does not exist" vmtrace-ctl start --vm 999999
expect_rc 2 "start with a bad pid is a usage error" vmtrace-ctl start --vm x
expect_rc 7 "start as an unprivileged user" setpriv_nobody vmtrace-ctl start --vm $vmm
expect_rc 0 "stop detaches" vmtrace-ctl stop --vm $vmm
! alive "$daemon"
ok $? "vmtraced exited"
[ ! -e /run/vmtrace/vm-$vmm.pid ]
ok $? "vmtraced removed its pid file"
expect_rc 8 "stop again: not attached" vmtrace-ctl stop --vm $vmm
expect_rc 8 "status --vm of a VM not attached" vmtrace-ctl status --vm $vmm
kill -0 $vmm
ok $? "the VMM survived attach and detach"

expect_rc 0 "start again after stop" vmtrace-ctl start --vm $vmm
daemon=$(cat /run/vmtrace/vm-$vmm.pid 2>/dev/null)
kill -9 $vmm
wait $vmm 2>/dev/null
i=0
while alive "$daemon" && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
! alive "$daemon"
ok $? "VMM killed: vmtraced notices and exits"
[ -z "$(ls /sys/kernel/debug/vmtrace | grep -E '^[0-9]+$')" ]
ok $? "VMM killed: no session is left in debugfs"

echo "1..$n"
exit $failed
