#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: boot Debian 12's 6.12 kernel (or any kernel of
# scripts/kernels.conf) in a VM with memlens loaded, and show each debugfs
# file as cat prints it and what the reader makes of them.
#
#   scripts/demo.sh [NAME]        (make demo KERNEL=trixie-bpo)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

"$MEMLENS_TOP/scripts/setup.sh"
kernel_lookup "${1:-bookworm-6.12}"
build_userspace
dir=$(build_module "$K_NAME" "$K_KDIR" "$K_ROOT")
KMODDIR=$K_MODDIR "$MEMLENS_TOP/scripts/initramfs.sh" "$K_RELEASE" "$dir" "$dir/initramfs.cpio.gz"
note "booting $K_NAME ($K_RELEASE) with memlens loaded"
exec "$MEMLENS_TOP/scripts/vm.sh" -k "$(kernel_vmlinux "$K_RELEASE" "$K_IMAGE")" \
	-i "$dir/initramfs.cpio.gz" -t 300 -- /usr/lib/memlens/selftests/demo.sh
