#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/run.sh [KERNEL]: every benchmark, with the numbers Documentation/
# performance.rst reports: the fast path under callgrind on the host;
# recording overhead and trace size in the test VM; and, on the host, QEMU's
# own record/replay log of the same guest (QEMU's rr needs TCG, which the
# test VM's QEMU does not ship) next to our trace of it.
set -eo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$here/..
kver=${1:-6.1}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

make -C "$here/fastpath" run
"$repo/selftests/vm/vmrun" --kernel "$kver" --timeout 3000 \
	--file "$here/record-overhead.sh:/root/record-overhead.sh" -- \
	sh /root/record-overhead.sh | tee "$out/vm.txt"
ours=$(sed -n 's/^boot trace bytes: //p' "$out/vm.txt")

# The same guest: the test VM's kernel and the guest initramfs from its image.
kfull=$(ls -d /lib/modules/"$kver"* | head -n 1 | xargs basename)
(cd "$out" && cpio -idm --quiet opt/vmtrace/guest/initrd.cpio \
	<"$repo/build/vm/$kfull/base.cpio")
start=$(date +%s)
timeout 900 qemu-system-x86_64 -M microvm -accel tcg -cpu max -m 256 \
	-nodefaults -no-reboot -display none -serial "file:$out/console" \
	-icount shift=auto,rr=record,rrfile="$out/qemu.rr" \
	-kernel "/boot/vmlinuz-$kfull" -initrd "$out/opt/vmtrace/guest/initrd.cpio" \
	-append "console=ttyS0 quiet pci=off panic=-1 vmtrace.sleep=0"
grep -q 'vmtrace-guest: done' "$out/console" || echo "# QEMU's recorded guest did not finish" >&2
theirs=$(stat -c %s "$out/qemu.rr")
echo "QEMU -icount rr=record log of the same guest: $theirs bytes ($(($(date +%s) - start)) s on the host)"
awk -v a="$ours" -v b="$theirs" 'BEGIN { printf "our trace: %d bytes = %.3f of QEMU'"'"'s log (1/%.0f)\n", a, a / b, b / a }'
