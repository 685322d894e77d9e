#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# A Debian 12 root filesystem for the VM runs that need real programs
# (procps's ps, smem, cyclictest, util-linux's fincore, vmtouch), made once
# with debootstrap and cached outside the tree, from the mirror this
# machine's apt uses.  Prints its directory.
#
#   scripts/rootfs.sh [PACKAGE...]    extra packages (a different set is
#                                     another cached root filesystem)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

packages="procps smem python3 rt-tests util-linux-extra vmtouch ${*:-}"
key=$(echo "$packages" | tr ' ' '\n' | sort -u | tr '\n' ' ' | md5sum | cut -c1-8)
dir=$MEMLENS_CACHE/rootfs-bookworm-$key
mkdir -p "$MEMLENS_CACHE"
# two runs started together (benches, demo) make it once
exec 9>"$dir.lock"
flock 9
if [ ! -f "$dir/.complete" ]; then
	note "debootstrap of a Debian 12 root filesystem ($packages) into $dir"
	rm -rf "$dir"
	mirror=$(debian_mirror)
	debootstrap --variant=minbase --include="$(echo $packages | tr ' ' ',')" \
		bookworm "$dir" ${mirror:+"$mirror"} >&2
	rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/*
	touch "$dir/.complete"
fi
echo "$dir"
