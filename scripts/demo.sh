#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The main job: boot the test VM (6.1 unless VMTRACE_DEMO_KERNEL says
# otherwise) and run scripts/demo-in-vm.sh inside it.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
"$repo/scripts/install-deps.sh"
exec "$repo/selftests/vm/vmrun" --kernel "${VMTRACE_DEMO_KERNEL:-6.1}" \
	--timeout 900 --file "$repo/scripts/demo-in-vm.sh:/root/demo.sh" \
	-- sh /root/demo.sh
