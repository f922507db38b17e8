#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# selftests/vm/vmrun_test.sh - self-test of the test-VM harness vmrun:
# exit statuses, output streaming, --file, and that a WARN, a panic, a
# timeout and a stalled VM fail the run. Prints TAP.
#
#   vmrun_test.sh [VMRUN-OPTION...]     e.g. --kernel 6.12, --no-build
#
# The first run builds what vmrun needs; later runs pass --no-build.
# VMRUN_TEST_QUICK=1 skips the nested Linux guest (about 30 s).
#
# Commands for the VM are single-quoted on purpose:
# shellcheck disable=SC2016
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$here/lib.sh"

vmrun=$here/vmrun
opts=("$@")
work=
n=0
failed=0
out='' err='' rc=''

# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
	[ -z "$work" ] || rm -rf "$work"
}

tap() {	# tap OK DESCRIPTION
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
		echo "# exit status $rc; stdout:"
		sed 's/^/#   /' "$out" | tail -n 20
		echo "# stderr (tail):"
		sed 's/^/#   /' "$err" | tail -n 20
	fi
}

# check DESCRIPTION COMMAND...: a TAP line for COMMAND's success.
check() {
	local desc=$1
	shift
	if "$@"; then tap 0 "$desc"; else tap 1 "$desc"; fi
}

no_match() {	# no_match REGEX FILE
	! grep -q -- "$1" "$2"
}

# vm VMRUN-ARGS...: run vmrun without stdin; sets rc, $out, $err.
vm() {
	rc=0
	"$vmrun" "${opts[@]}" "$@" </dev/null >"$out" 2>"$err" || rc=$?
}

# The kernel the runs use (vmrun's --kernel, default 6.1).
kernel_version() {
	local i want=6.1
	for ((i = 0; i < ${#opts[@]}; i++)); do
		[ "${opts[i]}" = --kernel ] && want=${opts[i + 1]:-}
	done
	vm_resolve_kernel "$want"
}

build_warn_module() {	# build_warn_module KVER
	mkdir -p "$work/warn"
	cp "$here/warn/vmrun_warn.c" "$here/warn/Kbuild" "$work/warn/"
	make -C "/lib/modules/$1/build" M="$work/warn" modules >"$work/warn.log" 2>&1
}

test_basics() {
	vm -- true
	check "vmrun -- true exits 0" [ "$rc" = 0 ]
	check "stdout is empty when the command prints nothing" [ ! -s "$out" ]
	opts+=(--no-build)

	vm -- sh -c 'exit 3'
	check "vmrun -- sh -c 'exit 3' exits 3" [ "$rc" = 3 ]

	vm -- uname -r
	check "the VM runs the chosen kernel" [ "$(cat "$out")" = "$kver" ]
}

test_output() {
	vm -- sh -c 'echo hi; echo err >&2; seq 1 20000; echo "cwd $(pwd) uid $(id -u)"'
	check "output streaming exits 0" [ "$rc" = 0 ]
	check "echo hi prints hi" [ "$(head -n 1 "$out")" = hi ]
	check "stderr goes to stdout" [ "$(sed -n 2p "$out")" = err ]
	check "20000 lines arrive complete, without CR" \
		[ "$(sed -n '3,20002p' "$out" | tr -d '\r')" = "$(seq 1 20000)" ]
	check "no CR in the output" no_match $'\r' "$out"
	check "command runs as root in /root" grep -qx 'cwd /root uid 0' "$out"
	check "no kernel messages on stdout" no_match '^\[ *[0-9]*\.[0-9]*\]' "$out"
}

test_files() {
	printf 'one\n' >"$work/f1"
	printf 'two\n' >"$work/f2"
	mkdir -p "$work/d"
	printf 'three\n' >"$work/d/f3"
	vm --file "$work/f1" --file "$work/f2:/tmp/x" --file "$work/d:/opt/d" \
		-- sh -c 'cat /root/f1 /tmp/x /opt/d/f3'
	check "--file copies files and directories" \
		[ "$rc:$(tr '\n' ' ' <"$out")" = "0:one two three " ]
}

test_environment() {
	vm -- sh -c 'echo "$VMTRACE_KO"; test -f "$VMTRACE_KO" && echo ko;
		grep -c -e "^vmtrace " -e "^kvm_amd " /proc/modules;
		cat /sys/module/kvm_amd/parameters/nested;
		command -v run-linux-guest; command -v qemu-system-x86_64;
		test -d /sys/kernel/debug/tracing -o -d /sys/kernel/tracing && echo tracing'
	check "environment: VMTRACE_KO, modules loaded, nested=1, tools in PATH" \
		[ "$(tr '\n' ' ' <"$out")" = "/opt/vmtrace/vmtrace.ko ko 2 1 /opt/vmtrace/bin/run-linux-guest /usr/bin/qemu-system-x86_64 tracing " ]
}

test_failures() {
	if build_warn_module "$kver"; then
		vm --file "$work/warn/vmrun_warn.ko" -- insmod /root/vmrun_warn.ko
		check "a WARN in the VM fails the run (122)" [ "$rc" = 122 ]
		check "the reason names the WARNING" grep -q '^vmrun: kernel WARNING in VM' "$err"
		check "the kernel log is printed on stderr" grep -q 'vmrun_warn: deliberate warning' "$err"
	else
		tap 1 "building vmrun_warn.ko (see $work/warn.log)"
	fi

	vm -- sh -c 'echo c >/proc/sysrq-trigger; sleep 60'
	check "a panic in the VM fails the run (122)" [ "$rc" = 122 ]
	check "the reason names the panic" grep -q '^vmrun: kernel panic in VM' "$err"

	vm --timeout 15 -- sleep 600
	check "a hang ends at the timeout (124)" [ "$rc" = 124 ]
	check "the reason names the timeout" grep -q '^vmrun: timeout after 15 s' "$err"

	if [ -f "$work/warn/vmrun_warn.ko" ]; then
		VMRUN_STALL=30 vm --timeout 300 --file "$work/warn/vmrun_warn.ko" \
			-- insmod /root/vmrun_warn.ko stall=1
		check "a VM whose CPU halted for good ends as stalled (126)" [ "$rc" = 126 ]
		check "the stall report shows the CPU's registers" grep -q 'RIP=' "$err"
	fi
	VMRUN_STALL=30 vm --timeout 60 -- sleep 600
	check "an idle VM is not taken for stalled (124)" [ "$rc" = 124 ]

	vm --kernel 0.0.bad -- true
	check "an unknown kernel is a harness error (125)" [ "$rc" = 125 ]
}

test_nested_guest() {
	if [ "${VMRUN_TEST_QUICK:-0}" = 1 ]; then
		n=$((n + 1))
		echo "ok $n - nested Linux guest # SKIP VMRUN_TEST_QUICK=1"
		return
	fi
	vm -- run-linux-guest --sleep 2
	check "run-linux-guest boots the guest under nested KVM" \
		[ "$rc:$(tr -d '\r' <"$out" | grep -c '^vmtrace-guest: \(hello\|tick 2\|done\)$')" = 0:3 ]
}

main() {
	work=$(mktemp -d "${TMPDIR:-/tmp}/vmrun_test.XXXXXX")
	trap cleanup EXIT
	out=$work/stdout err=$work/stderr
	kver=$(kernel_version) || { echo "1..0 # SKIP no such kernel"; exit 0; }
	echo "# vmrun self-test on $kver"
	test_basics
	test_output
	test_files
	test_environment
	test_failures
	test_nested_guest
	echo "1..$n"
	[ "$failed" = 0 ]
}

main
