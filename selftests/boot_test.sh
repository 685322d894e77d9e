#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Loading memlens where debugfs cannot serve it.  Run by scripts/boot-tests.sh
# in a VM booted for the case, without memlens loaded:
#   boot_test.sh debugfs-off     booted with debugfs=off
#   boot_test.sh unmounted       debugfs not mounted
#   boot_test.sh lockdown        booted with lockdown=confidentiality
# Each time loading must fail with one clear message, and nothing else.
. "$(dirname "$0")/lib.sh"

ktap_print_header
ktap_set_plan 1

# Loading fails with ERRNO_TEXT and the kernel log gains exactly one line
# matching MESSAGE.  insmod, not modprobe: busybox's modprobe tries twice.
expect_refusal() {
	mark=$(dmesg_mark)
	if insmod "$(modinfo -n memlens)" 2>/tmp/modprobe.err; then
		log "memlens loaded"
		return 1
	fi
	cat /tmp/modprobe.err | sed 's/^/# modprobe: /'
	grep -q "$1" /tmp/modprobe.err || { log "expected '$1'"; return 1; }
	dmesg_since "$mark" | sed 's/^/# dmesg: /'
	# busybox's insmod tries finit_module(), then init_module(): count messages
	n=$(dmesg_since "$mark" | sed 's/^\[[^]]*\] //' | sort -u | grep -c "$2")
	[ "$n" = 1 ] || { log "expected one '$2' message in dmesg, found $n"; return 1; }
	[ ! -e /sys/module/memlens ]
}

debugfs_off() { expect_refusal "No such device" "memlens: debugfs is disabled"; }
unmounted() { expect_refusal "No such device" "memlens: debugfs is not mounted"; }
lockdown() {
	# the kernel rate-limits Lockdown messages, and the boot used them up
	while [ "$(cut -d. -f1 /proc/uptime)" -lt 7 ]; do sleep 1; done
	expect_refusal "Operation not permitted" "Lockdown: insmod: unsigned module loading is restricted"
}

case $1 in
debugfs-off)
	ktap_test_result "debugfs=off: load fails, says debugfs is disabled" debugfs_off
	;;
unmounted)
	ktap_test_result "debugfs not mounted: load fails, says how to mount it" unmounted
	;;
lockdown)
	ktap_test_result "lockdown=confidentiality: load refused, one Lockdown line" lockdown
	;;
*)
	ktap_exit_fail_msg "unknown case $1"
	;;
esac
ktap_finished
