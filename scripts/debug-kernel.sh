#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build, once, a 6.12 kernel with the kernel's bug detectors on (KASAN,
# lockdep, kmemleak, ...; scripts/debug.config) from Debian's
# linux-source-6.12, cached outside the tree in $MEMLENS_CACHE (default
# ~/.cache/memlens).  A new linux-source or a changed fragment rebuilds it.
# About 18 minutes on 2 cores.  Prints the build directory: KDIR for
# out-of-tree modules, with vmlinux, modules.builtin and
# modules-install/lib/modules/RELEASE.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ -f "$LINUX_SOURCE_TAR" ] || die "$LINUX_SOURCE_TAR missing: run scripts/setup.sh"
version=$(dpkg-query -W -f='${Version}' linux-source-6.12)
key=$( { echo "$version"; cat "$MEMLENS_TOP/scripts/debug.config"; } | md5sum | cut -c1-12)
top=$MEMLENS_CACHE/debug-6.12-$key
src=$top/src build=$top/build
# one build at a time: CI starts one early, in the background
mkdir -p "$MEMLENS_CACHE"
exec 9>"$MEMLENS_CACHE/debug.lock"
flock 9
if [ -f "$build/.memlens-complete" ]; then
	echo "$build"
	exit 0
fi

note "building the debug kernel in $top (about 18 minutes on 2 cores)"
rm -rf "$top"
mkdir -p "$src" "$build"
tar -xJf "$LINUX_SOURCE_TAR" -C "$src" --strip-components=1
jobs=$(nproc)
kmake() { make -C "$src" O="$build" LOCALVERSION=-memlens-debug -j"$jobs" "$@"; }
{
	kmake x86_64_defconfig
	kmake kvm_guest.config
	"$src/scripts/kconfig/merge_config.sh" -m -O "$build" "$build/.config" \
		"$MEMLENS_TOP/scripts/debug.config"
	kmake olddefconfig
	# every line of the fragment must have survived olddefconfig (an =n
	# may also be absent: a symbol whose dependencies are off)
	missing=$(grep '^CONFIG_' "$MEMLENS_TOP/scripts/debug.config" | while read -r l; do
		case $l in *=n) ! grep -q "^${l%=n}=" "$build/.config" || echo "$l" ;;
		*) grep -qx "$l" "$build/.config" || echo "$l" ;; esac
	done)
	[ -z "$missing" ] || die "the debug kernel's .config lacks: $missing"
	kmake bzImage modules
	kmake INSTALL_MOD_PATH="$build/modules-install" modules_install
} >"$top/build.log" 2>&1 || { tail -n 50 "$top/build.log" >&2; die "debug kernel build failed (log: $top/build.log)"; }
touch "$build/.memlens-complete"
echo "$build"
