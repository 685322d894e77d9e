#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The cases that need a VM booted differently: debugfs=off, debugfs not
# mounted, lockdown=confidentiality.  Each boot runs selftests/boot_test.sh;
# prints the runs' TAP and a "# memlens-totals" line for scripts/check.sh.
#
#   scripts/boot-tests.sh KERNEL_IMAGE BUILD_DIR
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -eq 2 ] || die "usage: $0 KERNEL_IMAGE BUILD_DIR"
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

boot debugfs-off -a debugfs=off
boot unmounted --no-debugfs
boot lockdown -a lockdown=confidentiality
echo "# memlens-totals pass:$pass fail:$fail skip:0"
[ $fail = 0 ]
