#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench's part at scale (scripts/bench.sh --scale): in one VM
# (busybox, Debian 12's 6.12 or 6.1, TCG, 2 vCPUs, SCALE_MEM MiB, default
# 12,288) with SCALE_FILES cached inodes (default two million, the fixture
# of selftests/scale.h), selftests/scale_bench prints
#   - one whole read of the files and the dirs file, and its time per
#     million inodes;
#   - a creat + write + close + unlink loop on the same tmpfs, SECONDS
#     (default 20) alone, with files read in a loop, with dirs read in a
#     loop, alone again: its rate, 99th percentile and worst latency.
# Making two million files under TCG takes a few minutes; the run about
# ten.
#
#   scripts/bench-scale.sh [6.1|6.12] [SECONDS]
set -euo pipefail
. "$(dirname "$0")/lib.sh"

"$MEMLENS_TOP/scripts/setup.sh"
series=6.12
case ${1:-} in 6.1 | 6.12) series=$1; shift ;; esac
rel=$(kernel_release "$series")
[ -n "$rel" ] || die "no $series kernel installed: run scripts/setup.sh"
build_userspace
dir=$(build_module "$rel" "/lib/modules/$rel/build")
"$MEMLENS_TOP/scripts/initramfs.sh" "$rel" "$dir" "$dir/initramfs.cpio.gz"
files=${SCALE_FILES:-2000000}
note "benchmark at $files cached inodes on $rel (about ten minutes)"
exec "$MEMLENS_TOP/scripts/vm.sh" -k "$(kernel_vmlinux "$rel")" -i "$dir/initramfs.cpio.gz" \
	-m "${SCALE_MEM:-12288}" -c 2 -t 3600 -- \
	"SCALE_FILES=$files /usr/lib/memlens/selftests/scale_bench $*"
