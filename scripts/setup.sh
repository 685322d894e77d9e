#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Install, when missing, what building and testing memlens needs on Debian 12:
# both supported kernels with headers, the kernel source (for kselftest and
# checkpatch), qemu and busybox for the test VM, the reader's libraries and
# the lint, fuzz, benchmark and packaging tools.
#
#   scripts/setup.sh            install what is missing
#   scripts/setup.sh --check    list what is missing, install nothing
set -euo pipefail

packages=(
	# build
	build-essential pkg-config kmod cpio xz-utils zstd bc rsync
	linux-image-amd64 linux-headers-amd64
	linux-image-6.12-amd64 linux-headers-6.12-amd64
	linux-source-6.12
	# test VM
	qemu-system-x86 busybox-static e2fsprogs
	# reader
	libsmartcols-dev jq procps
	# lint and fuzz
	sparse cppcheck clang-tidy clang libclang-rt-14-dev
	# benchmark userspace and latency
	debootstrap
	# debug kernel
	flex bison libelf-dev libssl-dev dwarves python3
	# packaging
	dkms dh-dkms debhelper lintian fakeroot
)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done

if [ "${1:-}" = --check ]; then
	printf '%s\n' "${missing[@]}"
	exit 0
fi
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=
[ "$(id -u)" = 0 ] || sudo=sudo
echo "==> installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
# The kernels are booted with memlens's own initramfs, never this machine's:
# INITRD=No skips the minutes initramfs-tools would spend on each.
$sudo env INITRD=No apt-get install -y -q --no-install-recommends "${missing[@]}"
