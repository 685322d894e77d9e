#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make shell: the VM of make demo (the same kernel, initramfs and Debian 12
# userspace, built the same way, memlens loaded) with an interactive root
# shell on this terminal instead of the demo: memlens beside procps, smem,
# util-linux, vmtouch and, if this machine has it, tmux.  The shell's tty is
# its controlling one (job control; Ctrl-C stops memlens ps -w 1), with this
# terminal's TERM and size (after resizing it: stty rows R cols C in the
# guest) and LANG=C.UTF-8.  This checkout is at /memlens, read-only
# (virtio-9p: files as they are now, no image to make; a disk image would
# be a copy).  /dev/vda is a blank 512 MiB disk.  No time limit; exit or
# poweroff ends the VM, Ctrl-A X quits qemu.
#
#   scripts/shell.sh [-c CMD] [NAME]              (make shell KERNEL=6.1 CMD='…')
#   scripts/shell.sh [-c CMD] -k IMAGE -i INITRD  boot these, build nothing
#   scripts/shell.sh -h | --help
#
# NAME is a kernel of scripts/kernels.conf (default bookworm-6.12).
#
#   -c, --command CMD  run CMD (bash -c) in the VM instead of the shell, in
#                      /memlens, and exit with its status.  If stdin and
#                      stdout are terminals, CMD runs on this terminal as
#                      the shell would (job control, Ctrl-C).  Otherwise
#                      stdin is read to its end before the boot and is
#                      CMD's (nothing if stdin is a terminal), and CMD's
#                      stdout and stderr come out here apart, byte for byte.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

image= initrd= cmd=
while [ $# -gt 0 ]; do
	case $1 in
	-k | --kernel) image=$2; shift 2 ;;
	-i | --initrd) initrd=$2; shift 2 ;;
	-c | --command) cmd=$2; shift 2 ;;
	-h | --help) sed -n '4,/^set -/{/^set -/d; s/^# \{0,1\}//; p}' "$0"; exit 0 ;;
	-*) die "unknown option $1 (see $0 --help)" ;;
	*) break ;;
	esac
done
if [ -z "$image" ] && [ -z "$initrd" ]; then
	[ $# -le 1 ] || die "usage: $0 [-c CMD] [NAME] (see $0 --help)"
	exec "$MEMLENS_TOP/scripts/demo.sh" --shell "${1:-bookworm-6.12}" ${cmd:+-c "$cmd"}
fi
[ -n "$image" ] && [ -n "$initrd" ] && [ $# = 0 ] || die "usage: $0 [-c CMD] -k IMAGE -i INITRD"
vm=("$MEMLENS_TOP/scripts/vm.sh" -k "$image" -i "$initrd" -m 1024 -d 512 --share "$MEMLENS_TOP")
if [ -z "$cmd" ]; then
	note "a root shell on this terminal once the VM has booted (a minute or two)"
	note "Ctrl-C goes to the guest; Ctrl-A X quits qemu, Ctrl-A C switches to its monitor and back"
	exec "${vm[@]}" --shell
elif [ -t 0 ] && [ -t 1 ]; then
	note "running '$cmd' on this terminal once the VM has booted (a minute or two)"
	exec "${vm[@]}" --shell -- "$cmd"
elif [ -t 0 ]; then
	exec "${vm[@]}" --stdio -t 0 -- "$cmd" </dev/null
else
	exec "${vm[@]}" --stdio -t 0 -- "$cmd"
fi
