#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: boot Debian 12's 6.12 kernel (or any kernel of
# scripts/kernels.conf) in a VM with memlens loaded and a Debian 12
# userspace (scripts/rootfs.sh: cached, the one make bench uses), start a
# few real programs (python3 interpreters, a mapped file, a file read once,
# a tmpfs file, a big heap, swap) and show what memlens shows of them
# (selftests/demo.sh).  One to three minutes; the first run, which also
# makes the root filesystem (debootstrap, while the module builds), about
# five.
#
#   scripts/demo.sh [NAME]          (make demo KERNEL=trixie-bpo)
#   scripts/demo.sh --shell NAME [OPTION...]
#                                   the same VM, a shell in it instead
#                                   (make shell: scripts/shell.sh, which
#                                   takes the OPTIONs)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

shell=0 shell_opts=()
if [ "${1:-}" = --shell ]; then
	[ $# -ge 2 ] || die "usage: $0 --shell NAME [OPTION...]"
	shell=1 shell_opts=("${@:3}")
	set -- "$2"
fi
"$MEMLENS_TOP/scripts/setup.sh"
kernel_lookup "${1:-bookworm-6.12}"
rootfs_out=$(mktemp)
trap 'rm -f "$rootfs_out"' EXIT
"$MEMLENS_TOP/scripts/rootfs.sh" >"$rootfs_out" &
rootfs_pid=$!
build_userspace
dir=$(build_module "$K_NAME" "$K_KDIR" "$K_ROOT")
wait "$rootfs_pid" || die "no Debian root filesystem (scripts/rootfs.sh failed)"
rootfs=$(cat "$rootfs_out")
ROOTFS=$rootfs KMODDIR=$K_MODDIR "$MEMLENS_TOP/scripts/initramfs.sh" \
	"$K_RELEASE" "$dir" "$dir/demo.cpio.gz"
rm -f "$rootfs_out"
note "booting $K_NAME ($K_RELEASE) with memlens loaded and a Debian 12 userspace"
if [ $shell = 1 ]; then
	exec "$MEMLENS_TOP/scripts/shell.sh" -k "$(kernel_vmlinux "$K_RELEASE" "$K_IMAGE")" \
		-i "$dir/demo.cpio.gz" "${shell_opts[@]}"
fi
tty=0
[ -t 1 ] && tty=1
# 1 GiB, so that the programs' 400 MiB and the root filesystem's 190 MiB
# show in the summary's bar; the scratch disk (sparse) holds the files on
# disk and the swap file
exec "$MEMLENS_TOP/scripts/vm.sh" -k "$(kernel_vmlinux "$K_RELEASE" "$K_IMAGE")" \
	-i "$dir/demo.cpio.gz" -m 1024 -d 512 -t 600 -- \
	DEMO_TTY=$tty /usr/lib/memlens/selftests/demo.sh
