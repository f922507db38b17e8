#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Run every test vmtrace has and print one closing line
# "N passed, N failed, N skipped". Exits non-zero if anything failed.
#
#   host:     module builds for every installed kernel (warning-free),
#             user space and selftests build (-Wall -Wextra, warning-free),
#             checkpatch --strict and kernel-doc -Wall on kmod/ and uapi/,
#             user-space unit tests
#   test VM:  the harness's own tests, then the selftest suite once per
#             kernel (6.1 and 6.12) under selftests/vm/vmrun
#
# VMTRACE_CHECK_KERNELS="6.1 6.12" picks the kernels for the VM suites.
set -uo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
kernels=${VMTRACE_CHECK_KERNELS:-"6.1 6.12"}
log=$repo/build/check
pass=0 fail=0 skip=0
failed=()

mkdir -p "$log"

report() {	# report NAME ok|fail|skip [reason]
	case $2 in
	ok)   pass=$((pass + 1)); echo "ok - $1" ;;
	skip) skip=$((skip + 1)); echo "ok - $1 # SKIP ${3:-}" ;;
	*)    fail=$((fail + 1)); failed+=("$1"); echo "not ok - $1${3:+ ($3)}" ;;
	esac
}

# A build step passes if it succeeds and prints no compiler warning.
build_step() {	# build_step NAME LOGFILE CMD...
	local name=$1 out=$2
	shift 2
	if ! "$@" >"$out" 2>&1; then
		tail -n 30 "$out"
		report "$name" fail "see $out"
	elif grep -q 'warning:' "$out"; then
		grep 'warning:' "$out" | head -n 10
		report "$name" fail "compiler warnings"
	else
		report "$name" ok
	fi
}

# Count TAP results of a stream: top-level "ok"/"not ok" lines only.
tap_count() {	# tap_count NAME FILE
	local name=$1 file=$2 line
	while IFS= read -r line; do
		case $line in
		"not ok"*) report "$name: ${line#not ok }" fail ;;
		ok*"# SKIP"*) report "$name: ${line#ok }" skip ;;
		ok*) report "$name: ${line#ok }" ok ;;
		esac
	done < <(grep -E '^(not )?ok ' "$file")
}

# A host-side TAP test program: its cases, and a failure if it did not
# build or run to its end.
unit_step() {	# unit_step NAME LOG CMD...
	local name=$1 file=$2
	shift 2
	if "$@" >"$file" 2>&1; then
		cat "$file"
		tap_count "$name" "$file"
	else
		cat "$file"
		tap_count "$name" "$file"
		grep -q '^not ok ' "$file" || report "$name: did not build or run" fail
	fi
}

# The in-VM suite prints its own closing line; take its counts.
vm_suite() {	# vm_suite KERNEL
	local k=$1 out="$log/vm-$1.log" line rc
	echo "# in-VM suite on $k"
	"$repo/selftests/vm/vmrun" --kernel "$k" --timeout 1800 -- \
		run_selftests.sh 2>&1 | tee "$out"
	rc=${PIPESTATUS[0]}
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$out" | tail -n 1)
	if [ -z "$line" ]; then
		report "in-VM suite on $k" fail "no result line, vmrun exit $rc"
		return
	fi
	read -r p _ f _ s _ <<<"${line//,/}"
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + ${s:-0}))
	[ "$f" -gt 0 ] && failed+=("in-VM suite on $k: $f failed")
	[ "$rc" -eq 0 ] || [ "$f" -gt 0 ] ||
		report "in-VM suite on $k" fail "vmrun exit $rc"
}

main() {
	local k
	cd "$repo" || exit 1
	for k in $(ls -d /lib/modules/*/build | sed 's,^/lib/modules/,,;s,/build$,,'); do
		build_step "module builds for $k" "$log/kmod-$k.log" \
			make --no-print-directory kmod-for KVER="$k"
	done
	build_step "user space builds" "$log/userspace.log" make userspace
	build_step "selftests build" "$log/selftests.log" make selftests
	if scripts/checkpatch.sh >"$log/checkpatch.log" 2>&1; then
		report "checkpatch --strict on kmod/ and uapi/" ok
	else
		cat "$log/checkpatch.log"
		report "checkpatch --strict on kmod/ and uapi/" fail
	fi
	kdoc=$(ls -d /usr/src/linux-source-*/scripts/kernel-doc | tail -n 1)
	if out=$(perl "$kdoc" -none -Wall kmod/*.c kmod/*.h kmod/compat/*.h \
		uapi/linux/vmtrace.h 2>&1) && [ -z "$out" ]; then
		report "kernel-doc -Wall on kmod/ and uapi/" ok
	else
		echo "$out"
		report "kernel-doc -Wall on kmod/ and uapi/" fail
	fi
	unit_step "unit" "$log/unit.log" make --no-print-directory -C userspace test
	unit_step "pmu" "$log/pmu.log" make --no-print-directory -C tests/pmu test
	unit_step "rand" "$log/rand.log" make --no-print-directory -C tests/rand test
	build_step "the fast-path benchmark builds" "$log/bench.log" \
		make --no-print-directory -C bench/fastpath
	selftests/vm/vmrun_test.sh 2>&1 | tee "$log/vmrun.log"
	tap_count "vmrun" "$log/vmrun.log"
	for k in $kernels; do
		vm_suite "$k"
	done
	[ "${#failed[@]}" -eq 0 ] || printf '# failed: %s\n' "${failed[@]}"
	echo "$pass passed, $fail failed, $skip skipped"
	[ "$fail" -eq 0 ]
}

main "$@"
