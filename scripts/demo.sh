#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: boot Debian's 6.12 kernel in a VM with memlens loaded, and show
# each debugfs file as cat prints it and what the reader makes of them.
#
#   scripts/demo.sh [6.1|6.12]
set -euo pipefail
. "$(dirname "$0")/lib.sh"

"$MEMLENS_TOP/scripts/setup.sh"
rel=$(kernel_release "${1:-6.12}")
[ -n "$rel" ] || die "no ${1:-6.12} kernel installed: run scripts/setup.sh"
build_userspace
dir=$(build_module "$rel" "/lib/modules/$rel/build")
"$MEMLENS_TOP/scripts/initramfs.sh" "$rel" "$dir" "$dir/initramfs.cpio.gz"
note "booting $rel with memlens loaded"
exec "$MEMLENS_TOP/scripts/vm.sh" -k "$(kernel_vmlinux "$rel")" -i "$dir/initramfs.cpio.gz" \
	-t 300 -- /usr/lib/memlens/selftests/demo.sh
