#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# selftests/vm/mkbase.sh - build the base initramfs of the test VM for one
# kernel: busybox, bash, the kernel's KVM modules (decompressed), QEMU
# with its libraries and firmware, and a small Linux guest (kernel +
# busybox initramfs) for QEMU to boot under nested KVM.
#
#   mkbase.sh KVER OUT.cpio
#
# Writes OUT.cpio (uncompressed newc) and OUT.cpio.modules, the list of
# module paths (modules.dep spelling) it contains. vmrun calls this and
# caches the result; the per-run archive (init, vmtrace.ko, tools, the
# command) is appended to it at each run.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$here/lib.sh"

# Modules every run loads; zstd_compress only where it is a module (6.1).
base_modules() {	# base_modules KVER
	echo kvm_amd
	if [ -n "$(vm_mod_dep_line "$1" zstd_compress)" ]; then
		echo zstd_compress
	fi
}

# The merged-/usr skeleton and the directories /init mounts on.
make_skeleton() {	# make_skeleton ROOT
	local r=$1 d
	mkdir -p "$r"/usr/bin "$r"/usr/sbin "$r"/usr/lib "$r"/usr/lib64
	for d in bin sbin lib lib64; do
		ln -s "usr/$d" "$r/$d"
	done
	mkdir -p "$r"/proc "$r"/sys "$r"/dev "$r"/tmp "$r"/run "$r"/mnt \
		"$r"/var/tmp "$r"/etc "$r"/opt/vmtrace/guest
	mkdir -m 0700 "$r"/root
	echo 'root:x:0:0:root:/root:/bin/sh' >"$r"/etc/passwd
	echo 'root:x:0:' >"$r"/etc/group
	echo vmtrace-test >"$r"/etc/hostname
}

# Busybox and a symlink for each applet that has no real program.
install_busybox() {	# install_busybox ROOT
	local r=$1 a dst
	cp /bin/busybox "$r"/usr/bin/busybox
	for a in $(/bin/busybox --list-full); do
		case $a in
		bin/*|sbin/*) dst=usr/$a ;;
		*) dst=$a ;;
		esac
		[ -e "$r/$dst" ] || [ -L "$r/$dst" ] && continue
		mkdir -p "$r/$(dirname "$dst")"
		ln -s /usr/bin/busybox "$r/$dst"
	done
}

# QEMU, its libraries and firmware, at their usual paths.
install_qemu() {	# install_qemu ROOT
	local r=$1 d
	vm_copy_with_libs /usr/bin/qemu-system-x86_64 "$r"
	for d in /usr/share/qemu /usr/share/seabios /usr/share/qboot; do
		[ -d "$d" ] || continue
		mkdir -p "$r$d"
		cp -a "$d/." "$r$d/"
	done
}

# The kernel modules, uncompressed, and a modules.dep naming them so that
# busybox modprobe works in the VM too.
install_modules() {	# install_modules KVER ROOT LIST
	local kver=$1 r=$2 list=$3 p line dep
	local -a deps roots
	mapfile -t roots < <(base_modules "$kver")
	vm_mod_order "$kver" "${roots[@]}" >"$list"
	while read -r p; do
		vm_mod_install "$kver" "$p" "$r"
	done <"$list"
	while read -r p; do
		line=$(vm_mod_dep_line "$kver" "$p")
		read -r -a deps <<<"${line#*:}"
		printf '%s:' "${p%.ko*}.ko"
		for dep in "${deps[@]}"; do
			printf ' %s' "${dep%.ko*}.ko"
		done
		echo
	done <"$list" >"$r/usr/lib/modules/$kver/modules.dep"
}

# The nested guest: the same kernel and a busybox initramfs whose /init
# is guest-init.
install_guest() {	# install_guest KVER ROOT
	local r=$2 g
	g=$(mktemp -d)
	mkdir -p "$g"/bin "$g"/proc "$g"/sys "$g"/dev "$g"/tmp
	cp /bin/busybox "$g"/bin/busybox
	ln -s busybox "$g"/bin/sh
	cp "$here/guest-init" "$g"/init
	chmod 0755 "$g"/init
	vm_cpio "$g" "$r"/opt/vmtrace/guest/initrd.cpio
	rm -rf "$g"
	cp "/boot/vmlinuz-$1" "$r"/opt/vmtrace/guest/vmlinuz
}

root=

main() {
	[ $# -eq 2 ] || { echo "usage: mkbase.sh KVER OUT.cpio" >&2; exit 2; }
	local kver=$1 out=$2
	root=$(mktemp -d)
	trap 'rm -rf "$root"' EXIT
	make_skeleton "$root"
	vm_copy_with_libs /bin/bash "$root"
	install_qemu "$root"
	install_busybox "$root"
	install_modules "$kver" "$root" "$out.modules.tmp"
	install_guest "$kver" "$root"
	vm_cpio "$root" "$out.tmp"
	mv "$out.modules.tmp" "$out.modules"
	mv "$out.tmp" "$out"
}

main "$@"
