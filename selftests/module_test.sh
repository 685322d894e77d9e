#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The module's life: load, the debugfs files it creates, unload, repeated
# load cycles, a second load, and the files' permissions.
. "$(dirname "$0")/lib.sh"

require_root
ktap_print_header
ktap_set_plan 8

loaded() { [ -d /sys/module/memlens ]; }
load() { loaded || modprobe memlens; }

# Every file is there, root-only, and the version file names this kernel.
test_files() {
	load || return 1
	for f in $MEMLENS_FILES; do
		[ -f "$MEMLENS_DIR/$f" ] || { log "$f missing"; return 1; }
		mode=$(stat -c %a "$MEMLENS_DIR/$f")
		[ "$mode" = 400 ] || { log "$f has mode $mode"; return 1; }
	done
	[ "$(ls "$MEMLENS_DIR" | wc -l)" = "$(echo $MEMLENS_FILES | wc -w)" ] || { log "unexpected files: $(ls $MEMLENS_DIR)"; return 1; }
}

test_version() {
	v=$MEMLENS_DIR/version
	cat "$v" | sed 's/^/# /'
	[ "$(keyval $v kernel)" = "$(uname -r)" ] || return 1
	[ "$(keyval $v memlens)" = "$(cat /sys/module/memlens/version)" ] || return 1
	for f in $MEMLENS_VIEWS; do
		keyval "$v" "$f" | grep -Eq '^(available|partial: .+|unsupported: .+)$' ||
			{ log "no status line for $f"; return 1; }
	done
	keyval "$v" processes | grep -qx available
}

test_unload() {
	load && rmmod memlens || return 1
	[ ! -e "$MEMLENS_DIR" ] && [ ! -e /sys/module/memlens ] || return 1
	modprobe memlens && [ -f "$MEMLENS_DIR/version" ]
}

# A second insmod of the same module fails with EEXIST and harms nothing.
test_load_twice() {
	load || return 1
	mark=$(dmesg_mark)
	if insmod "$(modinfo -n memlens)" 2>/tmp/insmod.err; then
		log "second insmod succeeded"
		return 1
	fi
	grep -q 'File exists' /tmp/insmod.err || { cat /tmp/insmod.err; return 1; }
	dmesg_since "$mark" | grep -E 'WARNING|BUG' && return 1
	head -c 100 "$MEMLENS_DIR/processes" >/dev/null
}

slab_vmalloc_kb() {
	echo $(($(meminfo_kb SUnreclaim) + $(meminfo_kb VmallocUsed)))
}

KMEMLEAK=/sys/kernel/debug/kmemleak
# Objects kmemleak suspects, after two scans (an object must stay
# unreferenced across both).
kmemleak_count() {
	echo scan >$KMEMLEAK
	sleep 6
	echo scan >$KMEMLEAK
	grep -c '^unreferenced object' $KMEMLEAK
}

# LOAD_CYCLES (50) load/read/unload cycles.
CYCLES=${LOAD_CYCLES:-50}
cycles() {
	i=0
	while [ $i -lt "$CYCLES" ]; do
		modprobe memlens || return 1
		for f in $MEMLENS_FILES; do cat "$MEMLENS_DIR/$f" >/dev/null || return 1; done
		rmmod memlens || return 1
		i=$((i + 1))
	done
	echo 3 >/proc/sys/vm/drop_caches
}

# Rounds of LOAD_CYCLES load/read/unload cycles: no warning, and the kernel's
# unreclaimable slab and vmalloc use end a round within 256 kB of where it
# began, far below one leaked BTF or kallsyms buffer.  A leak grows every
# round; the rest of the kernel allocating now and then does not, so a round
# that grows is followed by another, up to three.  Under KASAN freed objects
# wait in a quarantine, so slab use says little: kmemleak, which such kernels
# have, must find no new suspect instead.
test_cycles() {
	leaks=
	[ -e $KMEMLEAK ] && leaks=$(kmemleak_count)
	rmmod memlens 2>/dev/null
	for i in 1 2; do modprobe memlens && cat $MEMLENS_DIR/* >/dev/null && rmmod memlens; done
	echo 3 >/proc/sys/vm/drop_caches
	mark=$(dmesg_mark)
	round=1
	while :; do
		before=$(slab_vmalloc_kb)
		cycles || return 1
		after=$(slab_vmalloc_kb)
		log "round $round: unreclaimable slab + vmalloc: $before kB before, $after kB after $CYCLES cycles"
		[ $((after - before)) -lt 256 ] && break
		[ -n "$leaks" ] && break
		[ $round -lt 3 ] || { modprobe memlens; return 1; }
		round=$((round + 1))
	done
	modprobe memlens || return 1
	dmesg_since "$mark" | grep -E 'WARNING|BUG|leak' && return 1
	if [ -n "$leaks" ]; then
		now=$(kmemleak_count)
		log "kmemleak suspects: $leaks before, $now after"
		[ "$now" -le "$leaks" ] || { head -n 40 $KMEMLEAK | sed 's/^/# /'; return 1; }
	fi
	return 0
}

# uid 65534 may not open any file, whatever debugfs's own mount mode.
test_nonroot() {
	load || return 1
	"$(dirname "$0")/as_nobody_open" $MEMLENS_DIR/* || return 1
	mount -o remount,mode=0755 /sys/kernel/debug || return 1
	"$(dirname "$0")/as_nobody_open" $MEMLENS_DIR/*
	rc=$?
	mount -o remount,mode=0700 /sys/kernel/debug
	return $rc
}

# An open file pins the module: rmmod refuses, the read goes on.
test_pinned() {
	load || return 1
	exec 3<"$MEMLENS_DIR/processes"
	if rmmod memlens 2>/dev/null; then
		exec 3<&-
		log "rmmod succeeded with a file open"
		return 1
	fi
	head -c 1000 <&3 >/dev/null
	exec 3<&-
	rmmod memlens && modprobe memlens
}

ktap_test_result "debugfs files exist, mode 0400" test_files
ktap_test_result "version file names module and kernel" test_version
ktap_test_result "unload removes every file" test_unload
ktap_test_result "second load fails with EEXIST" test_load_twice
ktap_test_result "$CYCLES load/unload cycles leak nothing" test_cycles
ktap_test_result "uid 65534 gets EACCES on every file" test_nonroot
ktap_test_result "an open file pins the module" test_pinned
ktap_test_result "module still loaded and readable" test_files
ktap_finished
