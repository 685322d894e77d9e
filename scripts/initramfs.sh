#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the test VM's initramfs for one kernel: static busybox, memlens.ko
# and the test module, the kernel modules the tests and vm.sh's virtio-9p
# shares use, the reader with its libraries, jq, and the selftests.
#
#   scripts/initramfs.sh RELEASE MODULE_DIR OUT.cpio.gz
#
# MODULE_DIR holds memlens.ko and selftests/memlens_selftest.ko built for
# RELEASE; RELEASE's own modules come from /lib/modules/RELEASE, unless
# KMODDIR names another tree (the debug kernel's).  ROOTFS=DIR starts from
# a Debian root filesystem (scripts/rootfs.sh) instead of an empty one, and
# then adds this machine's tmux, if installed, for make shell.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -eq 3 ] || die "usage: $0 RELEASE MODULE_DIR OUT.cpio.gz"
release=$1 moddir=$2 out=$3
kmoddir=${KMODDIR:-/lib/modules/$release}
kbase=${kmoddir%/lib/modules/"$release"}
kbase=${kbase:-/}
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

if [ -n "${ROOTFS:-}" ]; then
	cp -a "$ROOTFS/." "$root/"
	rm -f "$root/init" "$root/sbin/init"
fi
mkdir -p "$root"/{bin,sbin,etc,proc,sys,dev,tmp,run,root,usr/bin,usr/lib/memlens}
cp /bin/busybox "$root/bin/busybox"
install -m 0755 "$MEMLENS_TOP/scripts/guest/init" "$root/init"
if [ -z "${ROOTFS:-}" ]; then
	printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/sh\n' \
		>"$root/etc/passwd"
	printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
fi

# A program and the shared libraries it loads, at their own paths.
add_program() {
	local bin=$1 lib
	install -D -m 0755 "$bin" "$root/usr/bin/$(basename "$bin")"
	for lib in $(ldd "$bin" 2>/dev/null | grep -o '/[^ ]*'); do
		[ -e "$root$lib" ] || install -D -m 0755 "$lib" "$root$lib"
	done
}

# A kernel module and its dependencies, uncompressed for busybox.
add_kmod() {
	local ko dst
	for ko in $(modprobe -d "$kbase" -S "$release" --show-depends "$1" |
		awk '$1 == "insmod" { print $2 }'); do
		dst=$root/lib/modules/$release/kernel/$(basename "${ko%.xz}")
		dst=${dst%.zst}
		case $ko in
		*.xz) xz -dc "$ko" >"$dst" ;;
		*.zst) zstd -qdc "$ko" >"$dst" ;;
		*) cp "$ko" "$dst" ;;
		esac
	done
}

mkdir -p "$root/lib/modules/$release/kernel" "$root/lib/modules/$release/extra"
for m in loop virtio_pci virtio_blk ext4 9p 9pnet_virtio zram; do
	modprobe -d "$kbase" -S "$release" --show-depends "$m" \
		>/dev/null 2>&1 && add_kmod "$m"
done
cp "$moddir/memlens.ko" "$root/lib/modules/$release/extra/"
if [ -e "$moddir/selftests/memlens_selftest.ko" ]; then
	cp "$moddir/selftests/memlens_selftest.ko" "$root/lib/modules/$release/extra/"
fi
for f in modules.order modules.builtin modules.builtin.modinfo; do
	if [ -e "$kmoddir/$f" ]; then cp "$kmoddir/$f" "$root/lib/modules/$release/"; fi
done
depmod -b "$root" "$release"

# The reader, the selftests and the tools the tests use.
add_program "$MEMLENS_TOP/userspace/memlens"
add_program "$(command -v jq)"
cp -a "$MEMLENS_TOP/selftests/out/." "$root/usr/lib/memlens/selftests/"
if [ -n "${ROOTFS:-}" ]; then
	if dpkg -s tmux >/dev/null 2>&1; then
		add_program "$(command -v tmux)"
	else
		note "tmux is not installed here (apt-get install tmux): the VM's shell has none"
	fi
fi

mkdir -p "$(dirname "$out")"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$out.tmp"
mv "$out.tmp" "$out"
