#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make shell: the VM of make demo (the same kernel, initramfs and Debian 12
# userspace, built the same way, memlens loaded) with an interactive root
# shell on this terminal instead of the demo: memlens beside procps, smem,
# util-linux, vmtouch and, if this machine has it, tmux.  The shell's tty is
# its controlling one (job control; Ctrl-C stops memlens ps -w 1), with this
# terminal's TERM and size (after resizing it: stty rows R cols C in the
# guest) and LANG=C.UTF-8.  /dev/vda is a blank 512 MiB disk.  No time
# limit; exit or poweroff ends the VM, Ctrl-A X quits qemu.
#
#   scripts/shell.sh [NAME]                (make shell KERNEL=6.1)
#   scripts/shell.sh -k IMAGE -i INITRD    boot these, build nothing
#   scripts/shell.sh -h | --help
#
# NAME is a kernel of scripts/kernels.conf (default bookworm-6.12).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

image= initrd=
while [ $# -gt 0 ]; do
	case $1 in
	-k | --kernel) image=$2; shift 2 ;;
	-i | --initrd) initrd=$2; shift 2 ;;
	-h | --help) sed -n '4,/^set -/{/^set -/d; s/^# \{0,1\}//; p}' "$0"; exit 0 ;;
	-*) die "unknown option $1 (see $0 --help)" ;;
	*) break ;;
	esac
done
if [ -z "$image" ] && [ -z "$initrd" ]; then
	[ $# -le 1 ] || die "usage: $0 [NAME] (see $0 --help)"
	exec "$MEMLENS_TOP/scripts/demo.sh" --shell "$@"
fi
[ -n "$image" ] && [ -n "$initrd" ] && [ $# = 0 ] || die "usage: $0 -k IMAGE -i INITRD"
note "a root shell on this terminal once the VM has booted (a minute or two)"
note "Ctrl-C goes to the guest; Ctrl-A X quits qemu, Ctrl-A C switches to its monitor and back"
exec "$MEMLENS_TOP/scripts/vm.sh" --shell -k "$image" -i "$initrd" -m 1024 -d 512
