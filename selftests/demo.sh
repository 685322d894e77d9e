#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# What make demo shows inside the VM.
d=/sys/kernel/debug/memlens
show() { printf '\n\033[1m$ %s\033[0m\n' "$*"; sh -c "$*"; }

show "ls -l $d"
show "cat $d/version"
show "head -n 15 $d/processes"
show "cat $d/system"
show "head -n 15 $d/slab"
show "memlens"
show "memlens ps -o +threads,heap,stack,code,data,lib -s rss -t 8"
show "memlens mem"
show "memlens slab -t 12"
# the page cache file by file: a file read, one deleted while open, a
# program run from a tmpfs that is then unmounted while it runs
mkdir -p /tmp/demo && mount -t tmpfs demo /tmp/demo
dd if=/dev/urandom of=/tmp/demo/data bs=64k count=64 2>/dev/null
dd if=/dev/zero of=/tmp/demo/log bs=4k count=100 2>/dev/null
exec 3</tmp/demo/log && rm /tmp/demo/log
cp /bin/busybox /tmp/demo/sleep && /tmp/demo/sleep 600 &
sleep 0.5 && umount -l /tmp/demo
show "head -n 5 $d/files"
show "memlens files -t 8"
show "memlens files --fstype tmpfs -o +in_rss,procs,nlink,dev,ino"
show "memlens shared -t 5"
show "memlens ps -J -t 2"
show "memlens version"
