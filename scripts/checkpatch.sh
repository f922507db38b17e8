#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/checkpatch.sh - the kernel's checkpatch.pl --strict on every
# kernel-side file (kmod/, uapi/). Exits non-zero on any finding.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cp=$(ls -d /usr/src/linux-source-6.12/scripts/checkpatch.pl \
	/usr/src/linux-source-*/scripts/checkpatch.pl 2>/dev/null | head -n 1)
[ -n "$cp" ] || { echo "checkpatch: no linux-source; run 'make deps'" >&2; exit 2; }

cd "$repo"
mapfile -t files < <(git ls-files 'kmod/*.c' 'kmod/*.h' 'uapi/*.h' 2>/dev/null ||
	find kmod uapi -name '*.[ch]' ! -name '*.mod.c')
[ "${#files[@]}" -gt 0 ] || mapfile -t files < <(find kmod uapi -name '*.[ch]' ! -name '*.mod.c')
perl "$cp" --no-tree --strict --terse --show-types \
	--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG -f "${files[@]}"
