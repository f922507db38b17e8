#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# bench/run.sh [KERNEL]: every benchmark, with the numbers Documentation/
# performance.rst reports: the fast path under callgrind on the host, then
# recording overhead and trace size in the test VM.
set -e
here=$(cd "$(dirname "$0")" && pwd)
make -C "$here/fastpath" run
"$here/../selftests/vm/vmrun" --kernel "${1:-6.1}" --timeout 3000 \
	--file "$here/record-overhead.sh:/root/record-overhead.sh" -- \
	sh /root/record-overhead.sh
