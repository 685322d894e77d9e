#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: in one VM (Debian 12 userspace, 4 GiB, TCG; 2 vCPUs, the
# bench and all it runs on the first, the pss part's target alone on the
# second), six parts (selftests/bench.c):
#   processes  one full read of memlens's processes file against a C loop
#              over every /proc/PID/statm and /proc/PID/status, procps's ps
#              and smem, at 1,000 and 10,000 extra sleeping processes; then
#              cyclictest's worst latency with memlens reads looping, ps
#              looping, and idle;
#   pss        one read of memlens's pss file against a C loop over every
#              /proc/PID/smaps_rollup and smem -t, at 1,000 and 10,000 extra
#              sleeping processes; then a target's loop rate while each runs;
#   shared     at 1,000 extra processes running coreutils' sleep (each
#              maps it, ld.so and libc), memlens shared -r against smem -m,
#              both with LANG=C.UTF-8 as from a user's shell, round by
#              round; and the command's parts: a dynamic program's start,
#              the reader's, one read of the mapped file;
#   files      at 100,000 cached files on the scratch disk, one read of the
#              files file and memlens files -r against fincore, vmtouch
#              and a C loop of open + cachestat() + close;
#   pages      one read of the pages file (a census of all 4 GiB) against
#              a C loop reading /proc/kpageflags for every PFN (what
#              page-types reads) and memlens pages;
#   cgroups    at 1,000 memory cgroups with a MiB of tmpfs each, one read of
#              the cgroups file against a C loop reading every cgroup's
#              memory.current, .max, .high, .swap.current, .events and
#              .stat (what cAdvisor reads), and memlens cgroups -r.
# Prints the figures and the ratios.  The scratch disk (ext2, made by
# selftests/scratch.sh) is sparse: 2 GiB give 131,072 inodes, and the
# files write about 450 MB of it.
#
#   scripts/bench.sh [6.1|6.12] [--icount] [bench options, e.g. --large 5000,
#                                          --only pss,files, --files 20000]
#   scripts/bench.sh --scale [6.1|6.12] [SECONDS]   (scripts/bench-scale.sh:
#                                          files and dirs at two million inodes)
#   scripts/bench.sh --only shared --slow-runs 5   # the shared part alone,
#                                                  # about 5 minutes
#
# --icount runs the VM with -icount shift=0: its clock then counts the
# guest's instructions, so every "ms" printed is a million instructions,
# the same in every run on any host.  It is a count of work, not a time:
# real hardware spends more per instruction on cache misses and system
# calls than TCG does, and with one instruction stream for both vCPUs
# the stall and latency figures mean nothing there.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ "${1:-}" != --scale ] || { shift; exec "$MEMLENS_TOP/scripts/bench-scale.sh" "$@"; }
"$MEMLENS_TOP/scripts/setup.sh"
series=6.12
case ${1:-} in 6.1 | 6.12) series=$1; shift ;; esac
icount=()
if [ "${1:-}" = --icount ]; then
	icount=(--icount)
	shift
fi
rel=$(kernel_release "$series")
[ -n "$rel" ] || die "no $series kernel installed: run scripts/setup.sh"
build_userspace
dir=$(build_module "$rel" "/lib/modules/$rel/build")
rootfs=$("$MEMLENS_TOP/scripts/rootfs.sh")
ROOTFS=$rootfs "$MEMLENS_TOP/scripts/initramfs.sh" "$rel" "$dir" "$dir/bench.cpio.gz"
note "benchmark on $rel (this takes several minutes)"
[ ${#icount[@]} = 0 ] || note "--icount: each ms below is a million guest instructions"
exec "$MEMLENS_TOP/scripts/vm.sh" -k "$(kernel_vmlinux "$rel")" -i "$dir/bench.cpio.gz" \
	-m 4096 -c 2 -d 2048 -t 3600 "${icount[@]}" -- /usr/lib/memlens/selftests/bench "$@"
