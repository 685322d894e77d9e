#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The VM's scratch disk (/dev/vda: scripts/scratch-image.sh's, or a blank
# one from scripts/vm.sh -d) as an ext2 filesystem on /mnt/scratch, made
# only on a blank disk; "scratch.sh swap" also turns on a 64 MiB swap file
# there.  Prints the mount point; exits 4 (skip) without the disk.
mnt=/mnt/scratch
if [ ! -b /dev/vda ]; then
	modprobe virtio_pci 2>/dev/null
	modprobe virtio_blk 2>/dev/null
	# the disk is probed asynchronously
	for i in 1 2 3 4 5 6 7 8 9 10; do [ -b /dev/vda ] && break; sleep 0.5; done
fi
[ -b /dev/vda ] || { echo "no scratch disk /dev/vda" >&2; exit 4; }
if ! grep -q " $mnt " /proc/mounts; then
	modprobe ext4 2>/dev/null
	mkdir -p $mnt
	if ! mount -t ext2 /dev/vda $mnt 2>/dev/null; then
		mke2fs -q /dev/vda >/dev/null 2>&1 || mke2fs /dev/vda >/dev/null || exit 1
		mount -t ext2 /dev/vda $mnt || exit 1
	fi
fi
if [ "$1" = swap ] && ! grep -q "$mnt/swapfile" /proc/swaps; then
	if [ ! -f $mnt/swapfile ]; then
		dd if=/dev/zero of=$mnt/swapfile bs=1M count=64 2>/dev/null &&
			chmod 600 $mnt/swapfile && mkswap $mnt/swapfile >/dev/null || exit 1
	fi
	swapon $mnt/swapfile || exit 1
fi
echo $mnt
