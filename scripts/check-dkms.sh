#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make check-dkms: memlens installed the way users install it, end to end.
#  1. A Debian 12 root filesystem with dkms and the 6.1 kernel and headers
#     (debootstrap, cached; the kernel's ABI is whatever the mirror has).
#  2. The two packages of "make deb" installed in it, in a chroot (nothing
#     is ever loaded on this machine): DKMS builds memlens for 6.1.
#  3. The 6.12 kernel and headers installed after them: DKMS builds memlens
#     for 6.12 by itself, as on a kernel upgrade.
#  4. The root filesystem booted in the VM on each kernel: "modprobe memlens"
#     finds it through modules.dep, "memlens" prints the summary, and
#     "dkms status" shows it installed for that kernel.
#  5. The packages purged: the module and DKMS's tree are gone for both.
# TAP, and a "# Totals:" line.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

"$MEMLENS_TOP/scripts/setup.sh"
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
security=${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}

. "$MEMLENS_TOP/scripts/tap.sh"
# a step's output is kept for the boot steps, which show it
check() { local d=$1; shift; tap_check "$d" logged "$@"; }
logged() { "$@" 2>&1 | tee "$MEMLENS_BUILD/dkms-step.log"; return "${PIPESTATUS[0]}"; }

# Run in the root filesystem with /proc, /sys and /dev, unmounted after.
in_root() {
	local root=$1 st=0
	shift
	mount -t proc proc "$root/proc"
	mount -t sysfs sysfs "$root/sys"
	mount --bind /dev "$root/dev"
	DEBIAN_FRONTEND=noninteractive chroot "$root" "$@" || st=$?
	umount "$root/dev" "$root/sys" "$root/proc"
	return $st
}

# 1. the base: Debian 12, dkms, the 6.1 kernel with its headers
base_root() {
	local dir=$MEMLENS_CACHE/dkms-root-bookworm
	if [ ! -f "$dir/.complete" ]; then
		note "debootstrap of the DKMS test root filesystem into $dir"
		rm -rf "$dir"
		mkdir -p "$MEMLENS_CACHE"
		debootstrap --variant=minbase bookworm "$dir" "$mirror" >&2
		cat >"$dir/etc/apt/sources.list" <<-EOT
			deb $mirror bookworm main
			deb $mirror bookworm-updates main
			deb $security bookworm-security main
		EOT
		in_root "$dir" apt-get update -q >&2
		in_root "$dir" apt-get install -y -q --no-install-recommends \
			dkms kmod procps linux-image-amd64 linux-headers-amd64 >&2
		in_root "$dir" apt-get clean
		touch "$dir/.complete"
	fi
	echo "$dir"
}

# memlens.ko under every kernel's updates/dkms
modules() { find "$root/lib/modules" -path '*/updates/dkms/memlens.ko*' | sort; }
built_for_61() { modules | grep -qE '/6\.1\.0-[0-9]+-amd64/'; }
built_for_both() { [ "$(modules | grep -cE '/(6\.1\.0-[0-9]+|6\.12\.[^/]+)-amd64/')" = 2 ]; }
# the newest kernel of a series in the root filesystem
root_kernel() {
	(cd "$root/lib/modules" && ls -d "$1"*-amd64) | sort -V | tail -n 1
}
purged() {
	in_root "$root" apt-get purge -y -q memlens memlens-dkms &&
		[ -z "$(find "$root/lib/modules" -name 'memlens.ko*')" ] &&
		[ ! -e "$root/var/lib/dkms/memlens" ] &&
		! ls -d "$root"/usr/src/memlens-* >/dev/null 2>&1
}

echo "TAP version 13"
"$MEMLENS_TOP/scripts/deb.sh" >/dev/null
debs=("$MEMLENS_BUILD"/deb/memlens-dkms_"$MEMLENS_VERSION"_all.deb
      "$MEMLENS_BUILD"/deb/memlens_"$MEMLENS_VERSION"_amd64.deb)
base=$(base_root)
root=$MEMLENS_BUILD/dkms-root
trap 'umount "$root/dev" "$root/sys" "$root/proc" 2>/dev/null || true' EXIT
rm -rf "$root"
cp -a "$base" "$root"
cp "${debs[@]}" "$root/tmp/"

# 2. install: DKMS builds for the one kernel with headers
check "the packages install; DKMS builds memlens for 6.1" \
	in_root "$root" apt-get install -y -q --no-install-recommends \
	"/tmp/${debs[0]##*/}" "/tmp/${debs[1]##*/}"
check "memlens.ko is in 6.1's updates/dkms" built_for_61

# 3. a new kernel arrives: DKMS builds for it by itself
check "installing the 6.12 kernel and headers builds memlens for 6.12" \
	in_root "$root" sh -c "apt-get update -q && apt-get install -y -q --no-install-recommends \
		linux-image-6.12-amd64 linux-headers-6.12-amd64"
modules | sed "s|^$root|# |"
check "memlens.ko is in both kernels' updates/dkms" built_for_both

# 4. boot each kernel from the root filesystem
install -m 0755 "$MEMLENS_TOP/scripts/guest/dkms-check" "$root/usr/local/sbin/memlens-dkms-check"
image=$MEMLENS_BUILD/dkms-root.img
rm -f "$image"
mke2fs -q -t ext4 -d "$root" -L memlens-root "$image" 4G
for prefix in 6.1.0- 6.12.; do
	rel=$(root_kernel "$prefix")
	check "boot $rel: modprobe memlens, memlens, dkms status" \
		"$MEMLENS_TOP/scripts/vm.sh" --no-load -k "$root/boot/vmlinuz-$rel" \
		-i "$root/boot/initrd.img-$rel" --disk-image "$image" -m 2048 -t 600 \
		-a "root=/dev/vda rw init=/usr/local/sbin/memlens-dkms-check" -- dkms-check
	sed 's/^/# /' "$MEMLENS_BUILD/dkms-step.log" | grep -v '^# \[' | head -n 40
done

# 5. purge: nothing left for either kernel
check "purging the packages removes module and DKMS tree for both kernels" purged

tap_finish
