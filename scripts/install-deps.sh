#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Install, idempotently, everything vmtrace needs to build and test on a
# Debian bookworm machine: QEMU, busybox, both test kernels (6.1 from
# bookworm, 6.12 from bookworm-backports) with headers and source.
#
# The backports suite is added with the mirror the machine already uses:
# no host name is written here.
set -euo pipefail

# Everything present already? Then there is nothing to do (and no root
# needed): both kernels with headers, the sources, the tools.
installed() {
	local k
	for k in 6.1 6.12; do
		ls -d /lib/modules/$k.*/build >/dev/null 2>&1 || return 1
		[ -f /usr/src/linux-source-$k/scripts/checkpatch.pl ] || return 1
	done
	command -v qemu-system-x86_64 >/dev/null && [ -x /bin/busybox ] &&
		[ -f /usr/include/zstd.h ] && command -v cpio >/dev/null &&
		command -v trace-cmd >/dev/null
}

if installed; then
	echo "install-deps: everything is installed"
	exit 0
fi
[ "$(id -u)" -eq 0 ] || { echo "install-deps: must run as root" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive

BASE_PKGS="qemu-system-x86 busybox-static cpio xz-utils zstd libzstd-dev
	trace-cmd kmod bc flex bison libelf-dev libssl-dev python3 gcc make"

# Print the first Debian mirror URI found in apt's sources.
debian_mirror() {
	local f
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk '/^URIs:/ { for (i = 2; i <= NF; i++) print $i }' "$f"
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		awk '$1 == "deb" && $0 ~ /bookworm/ {
			for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; break } }' "$f"
	done
}

add_backports() {
	local list=/etc/apt/sources.list.d/vmtrace-backports.list mirror
	if grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
		return 1
	fi
	mirror=$(debian_mirror | grep -v -e security -e '^$' | head -n 1)
	[ -n "$mirror" ] || { echo "install-deps: no Debian mirror in apt sources" >&2; exit 1; }
	echo "deb $mirror bookworm-backports main" > "$list"
	return 0
}

need_update=0
add_backports && need_update=1
# An apt-get update is needed if lists are missing or backports was just added.
if [ "$need_update" = 1 ] || ! ls /var/lib/apt/lists/*bookworm-backports*Packages >/dev/null 2>&1; then
	apt-get update -q
fi

# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $BASE_PKGS
apt-get install -y -q --no-install-recommends \
	linux-image-amd64 linux-headers-amd64 linux-source-6.1
apt-get install -y -q --no-install-recommends -t bookworm-backports \
	linux-image-amd64 linux-headers-amd64 linux-source-6.12

# Unpack the parts of the kernel sources we use: checkpatch.pl and its
# data under scripts/, the kselftest headers.
for src in /usr/src/linux-source-6.1.tar.xz /usr/src/linux-source-6.12.tar.xz; do
	dir=$(basename "${src%.tar.xz}")
	[ -f "$src" ] || continue
	[ -f "/usr/src/$dir/scripts/checkpatch.pl" ] && continue
	tar -C /usr/src -xf "$src" --wildcards "$dir/scripts/*" \
		"$dir/tools/testing/selftests/kselftest*" "$dir/Documentation/dev-tools/checkpatch.rst"
done
echo "install-deps: done; kernels: $(ls /lib/modules | tr '\n' ' ')"
