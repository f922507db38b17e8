# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# selftests/vm/lib.sh - helpers shared by vmrun and mkbase.sh (sourced,
# bash): kernel module lookup in modules.dep, load order, decompression,
# copying a dynamically linked program with its libraries.

# The installed kernel VER names: an exact /lib/modules entry, else the
# newest one starting with VER followed by a non-digit (6.1 is not 6.12).
vm_resolve_kernel() {	# vm_resolve_kernel VER
	local k=
	if [ -d "/lib/modules/$1" ]; then
		k=$1
	else
		k=$(find /lib/modules -mindepth 1 -maxdepth 1 -printf '%f\n' |
			grep -E "^${1//./\\.}[^0-9]" | sort -V | tail -n 1 || true)
	fi
	[ -n "$k" ] && echo "$k"
}

# The module name as the kernel spells it: no directory, no .ko*, '_'.
vm_mod_norm() {	# vm_mod_norm NAME-OR-PATH
	local n=${1##*/}
	n=${n%%.ko*}
	echo "${n//-/_}"
}

# The modules.dep line of module NAME ("path: dep dep ..."), empty if the
# kernel has no such loadable module.
vm_mod_dep_line() {	# vm_mod_dep_line KVER NAME
	local n
	n=$(vm_mod_norm "$2")
	awk -v n="$n" '{
		b = $1; sub(/:$/, "", b); sub(/.*\//, "", b); sub(/\.ko.*$/, "", b)
		gsub(/-/, "_", b)
		if (b == n) { print; exit }
	}' "/lib/modules/$1/modules.dep"
}

# True if NAME is built into kernel KVER.
vm_mod_builtin() {	# vm_mod_builtin KVER NAME
	local n f=/lib/modules/$1/modules.builtin
	n=$(vm_mod_norm "$2")
	[ -f "$f" ] || return 1
	sed 's,.*/,,;s,\.ko$,,;s,-,_,g' "$f" | grep -qx "$n"
}

# Print the modules.dep paths (relative to /lib/modules/KVER) needed to
# load NAMEs, dependencies first, each once. Built-in modules print
# nothing; an unknown module is an error.
vm_mod_order() {	# vm_mod_order KVER NAME...
	local kver=$1 name line path i
	local -a deps order=()
	shift
	for name in "$@"; do
		line=$(vm_mod_dep_line "$kver" "$name")
		if [ -z "$line" ]; then
			vm_mod_builtin "$kver" "$name" && continue
			echo "vmrun: module $name not found for kernel $kver" >&2
			return 1
		fi
		path=${line%%:*}
		read -r -a deps <<<"${line#*:}"
		# modules.dep lists dependencies in reverse load order.
		for ((i = ${#deps[@]} - 1; i >= 0; i--)); do
			order+=("${deps[i]}")
		done
		order+=("$path")
	done
	[ "${#order[@]}" -eq 0 ] || printf '%s\n' "${order[@]}" | awk '!seen[$0]++'
}

# The path a module has inside the VM: uncompressed, under /usr/lib.
vm_mod_dest() {	# vm_mod_dest KVER RELPATH
	local p=$2
	p=${p%.xz}
	p=${p%.zst}
	p=${p%.gz}
	echo "usr/lib/modules/$1/$p"
}

# Copy module RELPATH of KVER, decompressed, into the tree ROOT.
vm_mod_install() {	# vm_mod_install KVER RELPATH ROOT
	local src=/lib/modules/$1/$2 dst
	dst=$3/$(vm_mod_dest "$1" "$2")
	mkdir -p "$(dirname "$dst")"
	case $src in
	*.xz)  xz -dc "$src" >"$dst" ;;
	*.zst) zstd -q -dc "$src" >"$dst" ;;
	*.gz)  gzip -dc "$src" >"$dst" ;;
	*)     cp "$src" "$dst" ;;
	esac
}

# Copy file SRC (symlinks followed) to the same path, with /bin, /lib,
# /lib64 folded into /usr as on a merged-/usr system, under ROOT.
vm_copy_file() {	# vm_copy_file SRC ROOT
	local dir
	dir=$(cd "$(dirname "$1")" && pwd -P)
	mkdir -p "$2$dir"
	cp -L "$1" "$2$dir/${1##*/}"
}

# Copy program BIN and every shared library ldd lists for it into ROOT.
vm_copy_with_libs() {	# vm_copy_with_libs BIN ROOT
	local lib
	vm_copy_file "$1" "$2"
	for lib in $(ldd "$1" 2>/dev/null | grep -o '/[^ ]*'); do
		vm_copy_file "$lib" "$2"
	done
}

# Write a newc cpio archive of tree ROOT, owned by root, to OUT.
vm_cpio() {	# vm_cpio ROOT OUT
	(cd "$1" && find . -mindepth 1 | LC_ALL=C sort |
		cpio -o -H newc -R 0:0 --quiet) >"$2"
}
