#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run_selftests.sh - run every vmtrace selftest inside the test VM, pass
# their TAP through, and end with "N passed, N failed, N skipped" counting
# individual test cases. Exits non-zero if any failed.
#
# usage: run_selftests.sh [TEST...]   (default: all, rmmod_test last)

dir=$(cd "$(dirname "$0")" && pwd)
tests=${*:-"vmm_smoke_test api_test attach_test attach_errors_test vmm_exit_test
	attach_cycles_test record_test record_rdpmc_test record_vmm_writes_test
	record_resume_test ctl_test.sh replay_test.sh replay_qemu_test.sh
	qemu_attach_test.sh record_ctl_test.sh rmmod_test"}
pass=0 fail=0 skip=0
export PATH="$dir:$PATH"

for t in $tests; do
	echo "# ---- $t"
	out=/tmp/selftest-$t.log
	# A hung test fails alone instead of stalling the suite.
	timeout -s KILL "${VMTRACE_TEST_TIMEOUT:-900}" "$dir/$t" >"$out" 2>&1
	rc=$?
	[ "$rc" -ne 137 ] || echo "not ok - $t killed after ${VMTRACE_TEST_TIMEOUT:-900} s" >>"$out"
	cat "$out"
	p=$(grep -cE '^ok ' "$out")
	s=$(grep -cE '^ok .*# (SKIP|skip)' "$out")
	f=$(grep -cE '^not ok ' "$out")
	p=$((p - s))
	# A test program that died without reporting a failure still failed.
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 4 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $t exited with status $rc"
		f=1
	fi
	echo "# $t: $p passed, $f failed, $s skipped"
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
done
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
