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
show "memlens ps -J -t 2"
show "memlens version"
