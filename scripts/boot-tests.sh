#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The cases that need a VM booted differently: debugfs=off, debugfs not
# mounted, lockdown=confidentiality, each running selftests/boot_test.sh;
# with --shell, also make shell's VM (its initramfs, with the Debian
# userspace of scripts/rootfs.sh, made here), booted by
# scripts/shell-test.py three times: the shell through a pty, then
# make shell CMD=... on a pty and between pipes.  They do not depend on
# the kernel, so make check asks for them on one.  Prints the runs' TAP and a
# "# memlens-totals" line for scripts/check.sh.
#
#   scripts/boot-tests.sh [--shell] KERNEL_IMAGE BUILD_DIR
set -euo pipefail
. "$(dirname "$0")/lib.sh"

shell=0
[ "${1:-}" != --shell ] || { shell=1; shift; }
[ $# -eq 2 ] || die "usage: $0 [--shell] KERNEL_IMAGE BUILD_DIR"
kernel=$1 dir=$2
pass=0 fail=0

boot() { # CASE VM_OPTIONS...
	local name=$1 log st=0
	shift
	log=$dir/boot-$name.log
	"$MEMLENS_TOP/scripts/vm.sh" --no-load -k "$kernel" -i "$dir/initramfs.cpio.gz" \
		-c 1 -t 300 -l "$dir/boot-$name.kernel.log" "$@" \
		-- /usr/lib/memlens/selftests/boot_test.sh "$name" | tee "$log" || st=$?
	if [ $st = 0 ] && grep -q '^# Totals: pass:1 fail:0' "$log"; then
		pass=$((pass + 1))
		return
	fi
	fail=$((fail + 1))
	# name it: a VM that failed (splat, timeout) printed no "not ok" line
	if [ $st != 0 ]; then
		echo "not ok - boot $name: the VM run failed (exit $st; vm.sh says why above)"
	else
		echo "not ok - boot $name: no passing totals line"
	fi
}

# make shell's VM: a case whose every step passed, or a "not ok" line
shell_vm() {
	local rel rootfs st=0 log=$dir/boot-shell.log initrd=$dir/shell.cpio.gz
	rel=$(modinfo -F vermagic "$dir/memlens.ko" | cut -d' ' -f1)
	if ! rootfs=$("$MEMLENS_TOP/scripts/rootfs.sh") ||
		! ROOTFS=$rootfs "$MEMLENS_TOP/scripts/initramfs.sh" "$rel" "$dir" "$initrd"; then
		fail=$((fail + 1))
		echo "not ok - boot shell: no initramfs with the Debian userspace (see above)"
		return
	fi
	# one vCPU, as the other boots
	MEMLENS_VM_CPUS=1 python3 "$MEMLENS_TOP/scripts/shell-test.py" "$kernel" "$initrd" |
		tee "$log" || st=$?
	rm -f "$initrd"
	if [ $st = 0 ] && grep -qE '^# Totals: pass:[1-9][0-9]* fail:0 ' "$log"; then
		pass=$((pass + 1))
		return
	fi
	fail=$((fail + 1))
	echo "not ok - boot shell: make shell's VM and CMD runs (exit $st; the steps above)"
}

boot debugfs-off -a debugfs=off
boot unmounted --no-debugfs
boot lockdown -a lockdown=confidentiality
[ $shell = 0 ] || shell_vm
echo "# memlens-totals pass:$pass fail:$fail skip:0"
[ $fail = 0 ]
